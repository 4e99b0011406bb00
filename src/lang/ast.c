#include "ast.h"
#include "../util/util.h"
#include <string.h>

struct node *node_new(struct arena *a, enum node_kind kind, struct span sp)
{
	struct node *n = arena_alloc(a, sizeof(*n));
	n->kind = kind;
	n->span = sp;
	n->var_slot = -1;
	return n;
}

int node_list_len(const struct node *n)
{
	int k = 0;
	for (; n; n = n->next)
		k++;
	return k;
}

static struct node *clone_list(struct arena *a, const struct node *n)
{
	struct node *head = NULL, **tail = &head;
	for (; n; n = n->next) {
		*tail = node_clone(a, n);
		tail = &(*tail)->next;
	}
	return head;
}

struct node *node_clone(struct arena *a, const struct node *n)
{
	if (!n)
		return NULL;
	struct node *c = arena_alloc(a, sizeof(*c));
	*c = *n;
	c->next = NULL;
	c->a = node_clone(a, n->a);
	c->b = node_clone(a, n->b);
	c->c = node_clone(a, n->c);
	c->pred = node_clone(a, n->pred);
	c->list = clone_list(a, n->list);
	return c;
}

int node_uses_builtin(const struct node *n, const char *name)
{
	for (; n; n = n->next) {
		if (n->kind == N_BUILTIN && !strcmp(n->name, name))
			return 1;
		if (node_uses_builtin(n->a, name) || node_uses_builtin(n->b, name) ||
		    node_uses_builtin(n->c, name) || node_uses_builtin(n->pred, name) ||
		    node_uses_builtin(n->list, name))
			return 1;
	}
	return 0;
}

static void dump_list(const struct node *n, struct strbuf *out)
{
	for (; n; n = n->next) {
		sb_putc(out, ' ');
		ast_dump(n, out);
	}
}

static void dump_escaped(const char *s, int len, struct strbuf *out)
{
	sb_putc(out, '"');
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			sb_printf(out, "\\%c", c);
		else if (c == '\n')
			sb_puts(out, "\\n");
		else if (c < 32 || c > 126)
			sb_printf(out, "\\x%02x", c);
		else
			sb_putc(out, (char)c);
	}
	sb_putc(out, '"');
}

void ast_dump(const struct node *n, struct strbuf *out)
{
	if (!n) {
		sb_puts(out, "()");
		return;
	}
	switch (n->kind) {
	case N_INT: sb_printf(out, "%llu", (unsigned long long)n->ival); return;
	case N_STR: dump_escaped(n->str, n->str_len, out); return;
	case N_BUILTIN: case N_VAR: sb_puts(out, n->name); return;
	case N_MAP:
		sb_puts(out, n->name);
		if (n->list) {
			sb_puts(out, "[");
			dump_list(n->list, out);
			sb_puts(out, " ]");
		}
		return;
	case N_POSPARAM: sb_printf(out, "$%llu", (unsigned long long)n->ival); return;
	case N_POSCOUNT: sb_puts(out, "$#"); return;
	case N_CALL: sb_printf(out, "(call %s", n->name); dump_list(n->list, out); break;
	case N_BINOP: sb_printf(out, "(%s ", tok_name(n->op)); ast_dump(n->a, out);
		sb_putc(out, ' '); ast_dump(n->b, out); break;
	case N_UNOP: sb_printf(out, "(%s ", tok_name(n->op)); ast_dump(n->a, out); break;
	case N_DEREF: sb_puts(out, "(deref "); ast_dump(n->a, out); break;
	case N_TERNARY: sb_puts(out, "(? "); ast_dump(n->a, out); sb_putc(out, ' ');
		ast_dump(n->b, out); sb_putc(out, ' '); ast_dump(n->c, out); break;
	case N_FIELD: sb_printf(out, "(%s ", n->arrow ? "->" : "."); ast_dump(n->a, out);
		sb_printf(out, " %s", n->name); break;
	case N_TUPLE_ELEM: sb_puts(out, "(. "); ast_dump(n->a, out);
		sb_printf(out, " %llu", (unsigned long long)n->ival); break;
	case N_INDEX: sb_puts(out, "([] "); ast_dump(n->a, out); sb_putc(out, ' ');
		ast_dump(n->b, out); break;
	case N_TUPLE: sb_puts(out, "(tuple"); dump_list(n->list, out); break;
	case N_CAST: sb_printf(out, "(cast %s%s%.*s ", n->name, n->cast_ptr ? " " : "", n->cast_ptr, "********");
		ast_dump(n->a, out); break;
	case N_ASSIGN: sb_printf(out, "(%s ", tok_name(n->op)); ast_dump(n->a, out);
		sb_putc(out, ' '); ast_dump(n->b, out); break;
	case N_INCDEC: sb_printf(out, "(%s%s ", n->prefix ? "pre" : "post", tok_name(n->op));
		ast_dump(n->a, out); break;
	case N_IF: sb_puts(out, "(if "); ast_dump(n->a, out); sb_putc(out, ' ');
		ast_dump(n->b, out);
		if (n->c) {
			sb_putc(out, ' ');
			ast_dump(n->c, out);
		}
		break;
	case N_WHILE: sb_puts(out, "(while "); ast_dump(n->a, out); sb_putc(out, ' ');
		ast_dump(n->b, out); break;
	case N_UNROLL: sb_puts(out, "(unroll "); ast_dump(n->a, out); sb_putc(out, ' ');
		ast_dump(n->b, out); break;
	case N_FOR_MAP: sb_puts(out, "(for "); ast_dump(n->a, out); sb_putc(out, ' ');
		ast_dump(n->b, out); sb_putc(out, ' '); ast_dump(n->c, out); break;
	case N_RETURN:
		sb_puts(out, "(return");
		if (n->a) {	/* a test: probe's result */
			sb_putc(out, ' ');
			ast_dump(n->a, out);
		}
		break;
	case N_BREAK: sb_puts(out, "(break"); break;
	case N_CONTINUE: sb_puts(out, "(continue"); break;
	case N_BLOCK: sb_puts(out, "{"); dump_list(n->list, out); sb_puts(out, " }"); return;
	case N_EXPR_STMT: ast_dump(n->a, out); return;
	case N_PROBE:
		sb_puts(out, "(probe");
		for (struct attach_point *ap = n->attach; ap; ap = ap->next)
			sb_printf(out, " %s", ap->raw);
		if (n->pred) {
			sb_puts(out, " /");
			ast_dump(n->pred, out);
			sb_puts(out, "/");
		}
		sb_putc(out, ' ');
		ast_dump(n->b, out);
		break;
	case N_PROGRAM:
		sb_puts(out, "(program");
		dump_list(n->list, out);
		break;
	case N_CTYPE:
		sb_printf(out, "(ctype %s", n->name ? n->name : "");
		break;
	case N_BLOCK_EXPR:
		sb_puts(out, "(block-value ");
		ast_dump(n->b, out);
		sb_putc(out, ' ');
		ast_dump(n->a, out);
		break;
	case N_MACRO:
		sb_printf(out, "(macro %s", n->name);
		dump_list(n->list, out);
		sb_putc(out, ' ');
		ast_dump(n->b, out);
		break;
	case N_IMPORT:
		sb_printf(out, "(import %s", n->str);
		break;
	}
	sb_putc(out, ')');
}
