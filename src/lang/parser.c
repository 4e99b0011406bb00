#include "parser.h"
#include "preproc.h"
#include "macro.h"
#include "ctypes.h"
#include <stdlib.h>
#include "../util/util.h"
#include <string.h>

struct parser {
	struct lexer lx;
	struct token tok;
	struct span prev;	/* the last token consumed, for spans that end there */
	struct arena *arena;
	struct diag *diag;
	int in_pred_depth;	/* >0 while parsing a predicate outside parentheses */
	int for_loops;		/* for-range loops so far: each gets hidden variables of its own */
	int depth;		/* nesting, bounded so deep input cannot exhaust the C stack */
	int failed;
	const struct node *ctypes;	/* the script's C type definitions so far: (T)x casts to its typedefs */
};

static void next(struct parser *p)
{
	p->prev = p->tok.span;
	p->tok = lexer_next(&p->lx);
	if (p->tok.kind == T_ERROR)
		p->failed = 1;
}

static void describe(const struct token *t, char *buf, size_t n)
{
	switch (t->kind) {
	case T_INT: case T_IDENT: case T_VAR: case T_MAP: case T_POSPARAM:
		snprintf(buf, n, "%.*s", (int)t->len, t->text);
		break;
	case T_STR:
		snprintf(buf, n, "string");
		break;
	default:
		snprintf(buf, n, "%s", tok_name(t->kind));
	}
}

static void syntax_error(struct parser *p, const char *expecting)
{
	if (p->failed)
		return;
	p->failed = 1;
	if (p->tok.kind == T_ERROR)
		return;
	char what[64];
	describe(&p->tok, what, sizeof(what));
	if (expecting)
		diag_error(p->diag, p->tok.span, "syntax error, unexpected %s, expecting %s", what, expecting);
	else
		diag_error(p->diag, p->tok.span, "syntax error, unexpected %s", what);
}

static int accept(struct parser *p, enum tok k)
{
	if (p->tok.kind != k)
		return 0;
	next(p);
	return 1;
}

static int expect(struct parser *p, enum tok k, const char *expecting)
{
	if (accept(p, k))
		return 1;
	syntax_error(p, expecting ? expecting : tok_name(k));
	return 0;
}

static struct node *mk(struct parser *p, enum node_kind k, struct span sp)
{
	return node_new(p->arena, k, sp);
}

static char *adup(struct parser *p, const char *s, size_t n)
{
	return arena_strndup(p->arena, s, n);
}

static struct node *parse_expr(struct parser *p);
static struct node *parse_record(struct parser *p, struct token open);
static int peek_is(struct parser *p, enum tok kind);
static struct node *parse_block_expr(struct parser *p);
static struct node *parse_block(struct parser *p, int advance_after);
static struct node *parse_sizeof(struct parser *p, struct token kw);
static struct node *parse_unary(struct parser *p);
static struct node *parse_if(struct parser *p, struct token kw);

/* A level of parentheses costs two entries (expression, operand), any other
 * level one: the limit refuses only programs nested more than MAX_LEVELS deep. */
#define MAX_LEVELS 10000
#define MAX_DEPTH (2 * MAX_LEVELS)

/* Every recursive rule enters here; later passes recurse no deeper than the tree. */
static int enter(struct parser *p)
{
	if (++p->depth <= MAX_DEPTH)
		return 1;
	if (!p->failed)
		diag_error(p->diag, p->tok.span, "the program is nested too deeply: more than %d levels of parentheses, blocks or operators", MAX_LEVELS);
	p->failed = 1;
	return 0;
}

#define LEAVE(p, v) do { (p)->depth--; return (v); } while (0)

/* Comma-separated expressions up to `close`; the opening token is consumed. */
static struct node *parse_args(struct parser *p, enum tok close, const char *expecting)
{
	struct node *head = NULL, **tail = &head;
	int saved = p->in_pred_depth;
	p->in_pred_depth = 0;
	if (p->tok.kind != close) {
		for (;;) {
			struct node *e = parse_expr(p);
			if (!e)
				break;
			*tail = e;
			tail = &e->next;
			if (!accept(p, T_COMMA))
				break;
		}
	}
	p->in_pred_depth = saved;
	if (p->failed)
		return NULL;
	if (!expect(p, close, expecting))
		return NULL;
	return head ? head : (struct node *)p;	/* non-NULL marker for "no args" */
}

static struct node *fix_args(struct parser *p, struct node *args)
{
	return args == (struct node *)p ? NULL : args;
}

static int is_int_type_name(const char *s)
{
	static const char *const names[] = {
		"int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
		"bool", "int", "char", "short", "long", "unsigned",
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(s, names[i]))
			return 1;
	return 0;
}

static struct node *parse_primary(struct parser *p)
{
	struct token t = p->tok;
	struct node *n;
	switch (t.kind) {
	case T_INT:
		next(p);
		n = mk(p, N_INT, t.span);
		n->ival = t.ival;
		return n;
	case T_STR:
		next(p);
		n = mk(p, N_STR, t.span);
		n->str = adup(p, t.str, t.str_len);
		n->str_len = (int)t.str_len;
		return n;
	case T_POSPARAM:
		next(p);
		n = mk(p, N_POSPARAM, t.span);
		n->ival = t.ival;
		return n;
	case T_POSCOUNT:
		next(p);
		return mk(p, N_POSCOUNT, t.span);
	case T_VAR:
		next(p);
		n = mk(p, N_VAR, t.span);
		n->name = adup(p, t.str, strlen(t.str));
		return n;
	case T_MAP:
		next(p);
		n = mk(p, N_MAP, t.span);
		n->name = adup(p, t.str, strlen(t.str));
		if (p->tok.kind == T_LBRACKET) {
			next(p);
			struct node *keys = parse_args(p, T_RBRACKET, "]");
			if (!keys)
				return NULL;
			n->list = fix_args(p, keys);
			if (!n->list) {
				diag_error(p->diag, n->span, "empty map key");
				p->failed = 1;
				return NULL;
			}
			n->span = span_join(n->span, p->prev);
		}
		return n;
	case T_IDENT:
		next(p);
		if (p->tok.kind == T_LPAREN && (!strcmp(t.str, "sizeof") || !strcmp(t.str, "offsetof") ||
						 !strcmp(t.str, "container_of")))
			return parse_sizeof(p, t);
		if (p->tok.kind == T_LPAREN) {
			n = mk(p, N_CALL, t.span);
			n->name = adup(p, t.str, strlen(t.str));
			next(p);
			struct node *args = parse_args(p, T_RPAREN, ") or \",\"");
			if (!args)
				return NULL;
			n->list = fix_args(p, args);
			n->span = span_join(n->span, p->prev);
			return n;
		}
		n = mk(p, N_BUILTIN, t.span);
		n->name = adup(p, t.str, strlen(t.str));
		return n;
	case T_LBRACE:
		return parse_block_expr(p);
	case T_LPAREN: {
		next(p);
		if (p->tok.kind == T_IDENT && peek_is(p, T_ASSIGN))	/* (a=1, b="x"): a record */
			return parse_record(p, t);
		int saved = p->in_pred_depth;
		p->in_pred_depth = 0;
		struct node *e = parse_expr(p);
		if (!e) {
			p->in_pred_depth = saved;
			return NULL;
		}
		if (p->tok.kind == T_COMMA) {
			struct node *tup = mk(p, N_TUPLE, t.span);
			tup->list = e;
			struct node **tail = &e->next;
			while (accept(p, T_COMMA)) {
				struct node *x = parse_expr(p);
				if (!x) {
					p->in_pred_depth = saved;
					return NULL;
				}
				*tail = x;
				tail = &x->next;
			}
			tup->span.end_line = p->tok.span.end_line;
			tup->span.end_col = p->tok.span.end_col;
			e = tup;
		}
		p->in_pred_depth = saved;
		if (!expect(p, T_RPAREN, ") or \",\""))
			return NULL;
		return e;
	}
	default:
		syntax_error(p, NULL);
		return NULL;
	}
}

/*
 * sizeof(TYPE), sizeof(EXPR), offsetof(struct T, FIELD[.FIELD…]): a call
 * whose first argument is the type as an N_STR with cast_ptr -1 when it
 * names a type (`struct T`, `union T`, or an integer type's name), then
 * the field path as N_STRs. sema turns it into a constant.
 */
static struct node *parse_sizeof(struct parser *p, struct token kw)
{
	next(p);	/* ( */
	struct node *n = mk(p, N_CALL, kw.span);
	n->name = adup(p, kw.str, strlen(kw.str));
	struct node *ptr = NULL;	/* container_of(ptr, TYPE, FIELD…): ptr, then as offsetof */
	if (!strcmp(kw.str, "container_of") && (!(ptr = parse_expr(p)) || !expect(p, T_COMMA, ",")))
		return NULL;
	struct token t = p->tok;
	int is_type = t.kind == T_IDENT && (!strcmp(t.str, "struct") || !strcmp(t.str, "union") ||
					    !strcmp(t.str, "enum") || ctypes_is_typedef(p->ctypes, t.str) ||
					    !strncmp(t.str, "int", 3) || !strncmp(t.str, "uint", 4) || !strcmp(t.str, "char") ||
					    !strcmp(t.str, "short") || !strcmp(t.str, "long") || !strcmp(t.str, "bool"));
	if (is_type) {
		char name[256];
		snprintf(name, sizeof(name), "%s", t.str);
		next(p);
		if (!strcmp(t.str, "struct") || !strcmp(t.str, "union") || !strcmp(t.str, "enum")) {
			if (p->tok.kind != T_IDENT) {
				syntax_error(p, "a struct name");
				return NULL;
			}
			snprintf(name, sizeof(name), "%s %s", t.str, p->tok.str);
			next(p);
		}
		struct node *ty = mk(p, N_STR, t.span);
		ty->str = adup(p, name, strlen(name));
		ty->str_len = (int)strlen(name);
		ty->cast_ptr = -1;
		n->list = ty;
	} else {
		n->list = parse_expr(p);
		if (!n->list)
			return NULL;
	}
	struct node *last = n->list;
	if (strcmp(kw.str, "sizeof")) {
		if (!expect(p, T_COMMA, ","))
			return NULL;
		do {
			if (p->tok.kind != T_IDENT) {
				syntax_error(p, "a field name");
				return NULL;
			}
			struct node *f = mk(p, N_STR, p->tok.span);
			f->str = adup(p, p->tok.str, strlen(p->tok.str));
			f->str_len = (int)strlen(p->tok.str);
			last = last->next = f;
			next(p);
		} while (p->tok.kind == T_DOT && (next(p), 1));
	}
	if (!expect(p, T_RPAREN, ")"))
		return NULL;
	n->span = span_join(n->span, p->prev);
	if (ptr) {
		ptr->next = n->list;
		n->list = ptr;
	}
	return n;
}

/* { stmts; expr }: the statements run, then the last expression (no `;` after it) is the value */
static struct node *parse_block_expr(struct parser *p)
{
	struct node *blk = parse_block(p, 1);
	if (!blk)
		return NULL;
	if (!blk->prefix) {
		diag_error(p->diag, blk->span, "a block used as a value must end with an expression, without a `;` after it");
		p->failed = 1;
		return NULL;
	}
	struct node *n = mk(p, N_BLOCK_EXPR, blk->span), **last = &blk->list;
	while ((*last)->next)
		last = &(*last)->next;
	n->a = (*last)->a;
	*last = NULL;
	n->b = blk;
	return n;
}

/* Whether the token after the current one is `kind` (the lexer is rewound). */
static int peek_is(struct parser *p, enum tok kind)
{
	struct lexer save = p->lx;
	struct diag quiet = { .src = p->diag->src, .out = NULL };
	p->lx.diag = &quiet;
	struct token tk = lexer_next(&p->lx);
	char **owned = p->lx.owned;
	int nowned = p->lx.nowned, capowned = p->lx.capowned;
	p->lx = save;
	p->lx.owned = owned;
	p->lx.nowned = nowned;
	p->lx.capowned = capowned;
	return tk.kind == kind;
}

/* (name = expr, …): a tuple whose fields have names, after the `(` */
static struct node *parse_record(struct parser *p, struct token open)
{
	struct node *rec = mk(p, N_TUPLE, open.span), **tail = &rec->list;
	char *names[16];
	int n = 0, saved = p->in_pred_depth;
	p->in_pred_depth = 0;
	do {
		if (p->tok.kind == T_RPAREN)
			break;	/* a trailing comma */
		if (p->tok.kind != T_IDENT || n == 16) {
			syntax_error(p, n == 16 ? "at most 16 fields" : "a field name");
			return NULL;
		}
		names[n++] = adup(p, p->tok.str, strlen(p->tok.str));
		next(p);
		if (!expect(p, T_ASSIGN, "="))
			return NULL;
		struct node *e = parse_expr(p);
		if (!e)
			return NULL;
		*tail = e;
		tail = &e->next;
	} while (accept(p, T_COMMA));
	p->in_pred_depth = saved;
	if (!expect(p, T_RPAREN, ") or \",\""))
		return NULL;
	rec->fnames = arena_alloc(p->arena, sizeof(char *) * (size_t)n);
	memcpy(rec->fnames, names, sizeof(char *) * (size_t)n);
	rec->span = span_join(rec->span, p->prev);
	return rec;
}

static struct node *parse_postfix(struct parser *p)
{
	struct node *e = parse_primary(p);
	int links = 0;	/* x.a.b[1]… chains nest like operators */
	while (e && !p->failed && (links == 0 || enter(p))) {
		links++;
		struct token t = p->tok;
		if (t.kind == T_DOT || t.kind == T_ARROW) {
			next(p);
			if (t.kind == T_DOT && p->tok.kind == T_INT) {
				struct node *n = mk(p, N_TUPLE_ELEM, span_join(e->span, p->tok.span));
				n->a = e;
				n->ival = p->tok.ival;
				next(p);
				e = n;
				continue;
			}
			if (p->tok.kind != T_IDENT) {
				syntax_error(p, "field name");
				return NULL;
			}
			struct node *n = mk(p, N_FIELD, span_join(e->span, p->tok.span));
			n->a = e;
			n->arrow = t.kind == T_ARROW;
			n->name = adup(p, p->tok.str, strlen(p->tok.str));
			next(p);
			e = n;
		} else if (t.kind == T_LBRACKET) {
			next(p);
			int saved = p->in_pred_depth;
			p->in_pred_depth = 0;
			struct node *idx = parse_expr(p);
			p->in_pred_depth = saved;
			if (!idx)
				return NULL;
			struct span end = p->tok.span;
			if (!expect(p, T_RBRACKET, "]"))
				return NULL;
			struct node *n = mk(p, N_INDEX, span_join(e->span, end));
			n->a = e;
			n->b = idx;
			e = n;
		} else if (t.kind == T_INC || t.kind == T_DEC) {
			next(p);
			struct node *n = mk(p, N_INCDEC, span_join(e->span, t.span));
			n->op = t.kind;
			n->a = e;
			e = n;
		} else {
			break;
		}
	}
	p->depth -= links > 0 ? links - 1 : 0;
	return p->failed ? NULL : e;
}

/* `(` already seen and the next token starts a type name. */
static struct node *parse_cast(struct parser *p, struct token open)
{
	struct strbuf sb = { 0 };
	if (!strcmp(p->tok.str, "struct") || !strcmp(p->tok.str, "union") ||
	    !strcmp(p->tok.str, "enum")) {
		sb_printf(&sb, "%s ", p->tok.str);
		next(p);
		if (p->tok.kind != T_IDENT) {
			sb_free(&sb);
			syntax_error(p, "type name");
			return NULL;
		}
	}
	sb_puts(&sb, p->tok.str);
	next(p);
	/* "unsigned int", "long long" … */
	while (p->tok.kind == T_IDENT && is_int_type_name(p->tok.str)) {
		sb_printf(&sb, " %s", p->tok.str);
		next(p);
	}
	if (accept(p, T_LBRACKET)) {	/* (uint8[8])x, (int8[])x: an integer as an array */
		sb_putc(&sb, '[');
		if (p->tok.kind == T_INT) {
			sb_printf(&sb, "%llu", (unsigned long long)p->tok.ival);
			next(p);
		}
		sb_putc(&sb, ']');
		if (!expect(p, T_RBRACKET, "]")) {
			sb_free(&sb);
			return NULL;
		}
	}
	int ptr = 0;
	while (accept(p, T_STAR))
		ptr++;
	struct node *n = mk(p, N_CAST, open.span);
	n->name = adup(p, sb.s, sb.len);
	n->cast_ptr = ptr;
	sb_free(&sb);
	if (!expect(p, T_RPAREN, ")"))
		return NULL;
	n->span.end_col = p->tok.span.col;
	return n;
}

static struct node *parse_unary_inner(struct parser *p)
{
	struct token t = p->tok;
	if (t.kind == T_MINUS || t.kind == T_BANG || t.kind == T_TILDE) {
		next(p);
		struct node *a = parse_unary(p);
		if (!a)
			return NULL;
		struct node *n = mk(p, N_UNOP, span_join(t.span, a->span));
		n->op = t.kind;
		n->a = a;
		return n;
	}
	if (t.kind == T_AMP) {
		/* &$p->field: the address of a place in memory (N_UNOP &) */
		next(p);
		struct node *a = parse_unary(p);
		if (!a)
			return NULL;
		struct node *n = mk(p, N_UNOP, span_join(t.span, a->span));
		n->op = T_AMP;
		n->a = a;
		return n;
	}
	if (t.kind == T_STAR) {
		/* *(uint32 *)p: the value at an address */
		next(p);
		struct node *a = parse_unary(p);
		if (!a)
			return NULL;
		struct node *n = mk(p, N_DEREF, span_join(t.span, a->span));
		n->a = a;
		return n;
	}
	if (t.kind == T_INC || t.kind == T_DEC) {
		next(p);
		struct node *a = parse_unary(p);
		if (!a)
			return NULL;
		struct node *n = mk(p, N_INCDEC, span_join(t.span, a->span));
		n->op = t.kind;
		n->prefix = 1;
		n->a = a;
		return n;
	}
	if (t.kind == T_LPAREN) {
		/* A cast needs a peek past '(' at a type name. */
		struct lexer save = p->lx;
		/* The peek must not report: the token is lexed again after the rewind. */
		struct diag quiet = { .src = p->diag->src, .out = NULL };
		p->lx.diag = &quiet;
		struct token tk = lexer_next(&p->lx);
		p->lx.diag = p->diag;
		int is_cast = tk.kind == T_IDENT &&
			      (is_int_type_name(tk.str) || !strcmp(tk.str, "struct") ||
			       !strcmp(tk.str, "union") || !strcmp(tk.str, "enum") || ctypes_is_typedef(p->ctypes, tk.str));
		if (is_cast) {
			p->tok = tk;
			struct node *n = parse_cast(p, t);
			if (!n)
				return NULL;
			struct node *a = parse_unary(p);
			if (!a)
				return NULL;
			n->a = a;
			n->span = span_join(t.span, a->span);
			return n;
		}
		/* Rewind: the identifier strings the peek allocated stay owned by the lexer. */
		char **owned = p->lx.owned;
		int nowned = p->lx.nowned, capowned = p->lx.capowned;
		p->lx = save;
		p->lx.owned = owned;
		p->lx.nowned = nowned;
		p->lx.capowned = capowned;
	}
	return parse_postfix(p);
}

static struct node *parse_unary(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct node *n = parse_unary_inner(p);
	LEAVE(p, n);
}

struct binop_level {
	enum tok ops[4];
};

/* C precedence, loosest first. */
static const struct binop_level levels[] = {
	{ { T_OROR } }, { { T_ANDAND } }, { { T_PIPE } }, { { T_CARET } }, { { T_AMP } },
	{ { T_EQ, T_NE } }, { { T_LT, T_GT, T_LE, T_GE } }, { { T_SHL, T_SHR } },
	{ { T_PLUS, T_MINUS } }, { { T_STAR, T_SLASH, T_PERCENT } },
};

static int level_has(struct parser *p, int level, enum tok k)
{
	/* Inside a predicate a bare '/' closes it; division needs parentheses. */
	if (k == T_SLASH && p->in_pred_depth)
		return 0;
	for (int i = 0; i < 4; i++)
		if (levels[level].ops[i] == k && k)
			return 1;
	return 0;
}

static struct node *parse_binary(struct parser *p, int level)
{
	if (level == (int)ARRAY_SIZE(levels))
		return parse_unary(p);
	struct node *lhs = parse_binary(p, level + 1);
	int links = 0;	/* a left-deep chain is as deep as it is long: count it */
	while (lhs && level_has(p, level, p->tok.kind)) {
		if (!enter(p))
			break;
		links++;
		enum tok op = p->tok.kind;
		next(p);
		struct node *rhs = parse_binary(p, level + 1);
		if (!rhs) {
			p->depth -= links;
			return NULL;
		}
		struct node *n = mk(p, N_BINOP, span_join(lhs->span, rhs->span));
		n->op = op;
		n->a = lhs;
		n->b = rhs;
		lhs = n;
	}
	p->depth -= links;
	return p->failed ? NULL : lhs;
}

static struct node *parse_expr_inner(struct parser *p)
{
	struct node *c = parse_binary(p, 0);
	if (!c || p->tok.kind != T_QUESTION)
		return c;
	next(p);
	struct node *a = parse_expr(p);
	if (!a || !expect(p, T_COLON, ":"))
		return NULL;
	struct node *b = parse_expr(p);
	if (!b)
		return NULL;
	struct node *n = mk(p, N_TERNARY, span_join(c->span, b->span));
	n->a = c;
	n->b = a;
	n->c = b;
	return n;
}

static struct node *parse_expr(struct parser *p)
{
	if (!enter(p))
		return NULL;
	struct node *n = parse_expr_inner(p);
	LEAVE(p, n);
}

static int is_assign_op(enum tok k)
{
	return k == T_ASSIGN || (k >= T_ADD_ASSIGN && k <= T_SHR_ASSIGN);
}

static struct node *parse_if_inner(struct parser *p, struct token kw)
{
	if (!expect(p, T_LPAREN, "("))
		return NULL;
	struct node *cond = parse_expr(p);
	if (!cond || !expect(p, T_RPAREN, ")"))
		return NULL;
	struct node *n = mk(p, N_IF, kw.span);
	n->a = cond;
	n->b = parse_block(p, 1);
	if (!n->b)
		return NULL;
	if (p->tok.kind == T_IDENT && !strcmp(p->tok.str, "else")) {
		next(p);
		if (p->tok.kind == T_IDENT && !strcmp(p->tok.str, "if")) {
			struct token kw2 = p->tok;
			next(p);
			n->c = parse_if(p, kw2);
		} else {
			n->c = parse_block(p, 1);
		}
		if (!n->c)
			return NULL;
	}
	return n;
}

static struct node *parse_if(struct parser *p, struct token kw)
{
	if (!enter(p))
		return NULL;
	struct node *n = parse_if_inner(p, kw);
	LEAVE(p, n);
}

static struct node *var_node(struct parser *p, const char *name, struct span sp)
{
	struct node *n = mk(p, N_VAR, sp);
	n->name = adup(p, name, strlen(name));
	return n;
}

static struct node *assign_node(struct parser *p, struct node *lhs, struct node *rhs, struct span sp)
{
	struct node *n = mk(p, N_ASSIGN, sp);
	n->op = T_ASSIGN;
	n->a = lhs;
	n->b = rhs;
	return n;
}

/*
 * for ($i : START..END) { BODY }, END excluded, both evaluated once, as in
 * bpftrace 0.2x: a block that becomes
 *   $__forN = START; $__forN_end = END;
 *   while ($__forN < $__forN_end) { $i = $__forN; $__forN++; BODY }
 * (the counter moves before BODY, so a `continue` in it cannot loop forever).
 * for ($kv : @m) { BODY } is an N_FOR_MAP (sema/formap.c, codegen/formap.c).
 */
static struct node *parse_for_range(struct parser *p, struct token kw)
{
	if (!expect(p, T_LPAREN, "("))
		return NULL;
	struct token var = p->tok;
	if (var.kind != T_VAR) {
		syntax_error(p, "a variable ($i)");
		return NULL;
	}
	next(p);
	if (!expect(p, T_COLON, ":"))
		return NULL;
	struct node *start = parse_expr(p);
	if (!start)
		return NULL;
	if (p->tok.kind == T_RPAREN) {
		if (start->kind != N_MAP) {
			diag_error(p->diag, start->span, "a for loop runs over a map, for ($kv : @m), or a range, for ($i : 0..10)");
			p->failed = 1;
			return NULL;
		}
		next(p);
		struct node *loop = mk(p, N_FOR_MAP, kw.span);
		loop->a = var_node(p, var.str, var.span);
		loop->b = start;
		loop->c = parse_block(p, 1);
		return loop->c ? loop : NULL;
	}
	if (!expect(p, T_DOTDOT, ".."))
		return NULL;
	struct node *end = parse_expr(p);
	if (!end || !expect(p, T_RPAREN, ")"))
		return NULL;
	struct node *body = parse_block(p, 1);
	if (!body)
		return NULL;
	char ctr[48], lim[56];
	snprintf(ctr, sizeof(ctr), "$__for%d", ++p->for_loops);
	snprintf(lim, sizeof(lim), "%s_end", ctr);
	struct span sp = kw.span;
	struct node *init = assign_node(p, var_node(p, ctr, sp), start, sp);
	struct node *limit = assign_node(p, var_node(p, lim, sp), end, sp);
	struct node *cond = mk(p, N_BINOP, sp);
	cond->op = T_LT;
	cond->a = var_node(p, ctr, sp);
	cond->b = var_node(p, lim, sp);
	struct node *set = assign_node(p, var_node(p, var.str, var.span), var_node(p, ctr, sp), sp);
	struct node *step = mk(p, N_INCDEC, sp);
	step->op = T_INC;
	step->a = var_node(p, ctr, sp);
	struct node *step_stmt = mk(p, N_EXPR_STMT, sp);
	step_stmt->a = step;
	set->next = step_stmt;
	step_stmt->next = body;
	struct node *loop_body = mk(p, N_BLOCK, body->span);
	loop_body->list = set;
	struct node *loop = mk(p, N_WHILE, sp);
	loop->a = cond;
	loop->b = loop_body;
	init->next = limit;
	limit->next = loop;
	struct node *blk = mk(p, N_BLOCK, sp);
	blk->list = init;
	return blk;
}

/*
 * let $x; let $x = e; let $x: TYPE = e; (bpftrace 0.2x): a declaration is an
 * assignment — of e, cast to TYPE when one is given, or of 0. A bare
 * `let $x;` zeroes the variable and leaves its type to its first assignment
 * (a string, a tuple…). Maps are declared before the probes (mapdecl.c).
 */
static struct node *parse_let(struct parser *p, struct token kw)
{
	struct token var = p->tok;
	if (var.kind == T_MAP) {
		diag_error(p->diag, var.span, "a map is declared at the top of the script, before the probes (let @m = hash(N);); here, a map is created by its first use");
		p->failed = 1;
		return NULL;
	}
	if (var.kind != T_VAR) {
		syntax_error(p, "a variable ($x)");
		return NULL;
	}
	next(p);
	char type[64] = "";
	if (p->tok.kind == T_COLON) {
		next(p);
		if (p->tok.kind != T_IDENT) {
			syntax_error(p, "a type (int64, uint16…)");
			return NULL;
		}
		snprintf(type, sizeof(type), "%s", p->tok.str);
		next(p);
	}
	struct node *value;
	int untyped = 0;	/* `let $x;`: typed by its first assignment */
	if (p->tok.kind == T_ASSIGN) {
		next(p);
		value = parse_expr(p);
		if (!value)
			return NULL;
	} else {
		value = mk(p, N_INT, kw.span);	/* declared only: zero, as bpftrace's */
		untyped = !*type;
	}
	if (*type) {
		struct node *cast = mk(p, N_CAST, value->span);
		cast->name = adup(p, type, strlen(type));
		cast->a = value;
		value = cast;
	}
	struct node *n = assign_node(p, var_node(p, var.str, var.span), value, span_join(kw.span, value->span));
	if (n)
		n->declare_only = untyped;
	return n;
}

/* Returns a statement; *needs_semi tells whether a ';' or '}' must follow. */
static struct node *parse_statement(struct parser *p, int *needs_semi)
{
	struct token t = p->tok;
	*needs_semi = 1;
	if (t.kind == T_IDENT) {
		if (!strcmp(t.str, "if")) {
			next(p);
			*needs_semi = 0;
			return parse_if(p, t);
		}
		if (!strcmp(t.str, "while")) {
			next(p);
			*needs_semi = 0;
			if (!expect(p, T_LPAREN, "("))
				return NULL;
			struct node *n = mk(p, N_WHILE, t.span);
			n->a = parse_expr(p);
			if (!n->a || !expect(p, T_RPAREN, ")"))
				return NULL;
			n->b = parse_block(p, 1);
			return n->b ? n : NULL;
		}
		if (!strcmp(t.str, "for")) {
			next(p);
			*needs_semi = 0;
			return parse_for_range(p, t);
		}
		if (!strcmp(t.str, "unroll")) {
			next(p);
			*needs_semi = 0;
			if (!expect(p, T_LPAREN, "("))
				return NULL;
			struct node *n = mk(p, N_UNROLL, t.span);
			n->a = parse_expr(p);
			if (!n->a || !expect(p, T_RPAREN, ")"))
				return NULL;
			n->b = parse_block(p, 1);
			return n->b ? n : NULL;
		}
		if (!strcmp(t.str, "let") && lexer_peek_char(&p->lx) != '(') {
			next(p);
			return parse_let(p, t);
		}
		if (!strcmp(t.str, "return")) {
			next(p);
			struct node *r = mk(p, N_RETURN, t.span);
			if (p->tok.kind != T_SEMI && p->tok.kind != T_RBRACE && !(r->a = parse_expr(p)))
				return NULL;	/* return VALUE: a test: probe's result */
			return r;
		}
		if (!strcmp(t.str, "_") && lexer_peek_char(&p->lx) == '=') {
			/* `_ = e;` (bpftrace 0.24): e runs, its value is dropped on purpose */
			next(p);
			next(p);
			struct node *e = parse_expr(p);
			if (!e)
				return NULL;
			struct node *s = mk(p, N_EXPR_STMT, span_join(t.span, e->span));
			s->a = e;
			s->discard = 1;
			return s;
		}
		if (!strcmp(t.str, "break") || !strcmp(t.str, "continue")) {
			next(p);
			return mk(p, t.str[0] == 'b' ? N_BREAK : N_CONTINUE, t.span);
		}
	}
	if (t.kind == T_LBRACE) {
		*needs_semi = 0;
		return parse_block(p, 1);
	}
	struct node *e = parse_expr(p);
	if (!e)
		return NULL;
	if (is_assign_op(p->tok.kind)) {
		enum tok op = p->tok.kind;
		next(p);
		struct node *rhs = parse_expr(p);
		if (!rhs)
			return NULL;
		struct node *n = mk(p, N_ASSIGN, span_join(e->span, rhs->span));
		n->op = op;
		n->a = e;
		n->b = rhs;
		return n;
	}
	struct node *s = mk(p, N_EXPR_STMT, e->span);
	s->a = e;
	return s;
}

static struct node *parse_block_inner(struct parser *p, int advance_after)
{
	struct node *blk = mk(p, N_BLOCK, p->tok.span);
	if (p->tok.kind != T_LBRACE) {
		syntax_error(p, "{");
		return NULL;
	}
	next(p);
	struct node **tail = &blk->list;
	blk->prefix = 0;	/* set: the last statement is an expression with no `;` after it (a block's value) */
	while (p->tok.kind != T_RBRACE) {
		if (accept(p, T_SEMI)) {
			blk->prefix = 0;
			continue;
		}
		if (p->tok.kind == T_EOF) {
			syntax_error(p, "}");
			return NULL;
		}
		int needs_semi;
		struct node *s = parse_statement(p, &needs_semi);
		if (!s || p->failed)
			return NULL;
		*tail = s;
		tail = &s->next;
		blk->prefix = s->kind == N_EXPR_STMT && p->tok.kind == T_RBRACE;
		if (needs_semi && p->tok.kind != T_RBRACE && !accept(p, T_SEMI)) {
			syntax_error(p, "; or }");
			return NULL;
		}
	}
	blk->span.end_line = p->tok.span.end_line;
	blk->span.end_col = p->tok.span.end_col;
	if (advance_after)
		next(p);
	return blk;
}

static struct node *parse_block(struct parser *p, int advance_after)
{
	if (!enter(p))
		return NULL;
	struct node *n = parse_block_inner(p, advance_after);
	LEAVE(p, n);
}

static struct node *parse_probe(struct parser *p)
{
	struct node *probe = NULL;
	struct attach_point **tail = NULL;
	for (;;) {
		struct token ap = lexer_attach_point(&p->lx);
		if (ap.kind != T_STR) {
			p->failed = 1;
			return NULL;
		}
		struct attach_point *a = arena_alloc(p->arena, sizeof(*a));
		a->raw = adup(p, ap.str, ap.str_len);
		a->span = ap.span;
		if (!probe) {
			probe = mk(p, N_PROBE, ap.span);
			tail = &probe->attach;
		}
		*tail = a;
		tail = &a->next;
		if (lexer_peek_char(&p->lx) != ',')
			break;
		next(p);	/* the comma */
	}
	next(p);
	if (p->tok.kind == T_SLASH) {
		next(p);
		p->in_pred_depth = 1;
		probe->pred = parse_expr(p);
		p->in_pred_depth = 0;
		if (!probe->pred)
			return NULL;
		if (!expect(p, T_SLASH, "/"))
			return NULL;
	}
	if (p->tok.kind != T_LBRACE) {
		syntax_error(p, "{");
		return NULL;
	}
	probe->b = parse_block(p, 0);
	return probe->b ? probe : NULL;
}

/* Whether the raw text at the lexer's position is `let @`, a map declaration rather than a probe. */
static int at_map_decl(struct lexer *lx)
{
	lexer_peek_char(lx);
	const char *t = lx->src + lx->pos;
	if (strncmp(t, "let", 3) || !(t[3] == ' ' || t[3] == '\t' || t[3] == '\n'))
		return 0;
	t += 3;
	t += strspn(t, " \t\n");
	return *t == '@';
}

/* let @m = KIND(N);  (sema/mapdecl.c checks KIND and N) */
static struct node *parse_map_decl(struct parser *p)
{
	next(p);	/* let */
	next(p);
	struct node *map = mk(p, N_MAP, p->tok.span);
	map->name = adup(p, p->tok.str, strlen(p->tok.str));
	next(p);
	if (!expect(p, T_ASSIGN, "="))
		return NULL;
	struct node *call = parse_expr(p);
	if (!call)
		return NULL;
	if (p->tok.kind != T_SEMI) {	/* the ; is the last token read: what follows is scanned raw */
		syntax_error(p, ";");
		return NULL;
	}
	return assign_node(p, map, call, span_join(map->span, call->span));
}

/* Whether the raw text at the lexer's position is `macro NAME(`, a definition rather than a probe. */
static int at_macro(struct lexer *lx)
{
	lexer_peek_char(lx);
	const char *t = lx->src + lx->pos;
	if (strncmp(t, "macro", 5) || !(t[5] == ' ' || t[5] == '\t' || t[5] == '\n'))
		return 0;
	t += 5;
	t += strspn(t, " \t\n");
	if (!(*t == '_' || (*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z')))
		return 0;
	t += strspn(t, "_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	t += strspn(t, " \t\n");
	return *t == '(';
}

/* macro NAME(x, $v, @m) { body }: parameters are N_BUILTIN (an expression), N_VAR or N_MAP nodes */
static struct node *parse_macro(struct parser *p)
{
	next(p);	/* macro */
	next(p);
	struct node *m = mk(p, N_MACRO, p->tok.span);
	m->name = adup(p, p->tok.str, strlen(p->tok.str));
	next(p);
	if (!expect(p, T_LPAREN, "("))
		return NULL;
	struct node **tail = &m->list;
	while (p->tok.kind != T_RPAREN) {
		int k = p->tok.kind == T_IDENT ? N_BUILTIN : p->tok.kind == T_VAR ? N_VAR : p->tok.kind == T_MAP ? N_MAP : -1;
		if (k < 0) {
			syntax_error(p, "a parameter (x, $x or @x)");
			return NULL;
		}
		struct node *param = mk(p, (enum node_kind)k, p->tok.span);
		param->name = adup(p, p->tok.str, strlen(p->tok.str));
		*tail = param;
		tail = &param->next;
		next(p);
		if (p->tok.kind == T_COMMA)
			next(p);
		else if (p->tok.kind != T_RPAREN) {
			syntax_error(p, ", or )");
			return NULL;
		}
	}
	next(p);
	if (p->tok.kind != T_LBRACE) {
		syntax_error(p, "{");
		return NULL;
	}
	m->b = parse_block(p, 0);	/* the next probe is scanned raw from after its } */
	return m->b ? m : NULL;
}

/* Whether the program opens with a `config = {` block (after blanks and comments). */
static int starts_with_config(const char *t)
{
	for (;;) {
		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
			t++;
		if (t[0] == '/' && t[1] == '/')
			t += strcspn(t, "\n");
		else if (t[0] == '#' && t[1] == '!')
			t += strcspn(t, "\n");
		else
			break;
	}
	if (strncmp(t, "config", 6))
		return 0;
	t += 6;
	while (*t == ' ' || *t == '\t' || *t == '\n')
		t++;
	return *t == '=';
}

/*
 * config = { KEY = VALUE; … }: a list of N_ASSIGN nodes, `a` an N_STR
 * with the key, `b` the value (N_INT, or N_STR for a word or a string).
 */
static struct node *parse_config(struct parser *p)
{
	struct node *head = NULL, **tail = &head;
	next(p);	/* config */
	next(p);
	if (!expect(p, T_ASSIGN, "=") || !expect(p, T_LBRACE, "{"))
		return NULL;
	while (p->tok.kind != T_RBRACE) {
		struct token key = p->tok;
		if (key.kind != T_IDENT) {
			syntax_error(p, "a setting's name");
			return NULL;
		}
		next(p);
		if (!expect(p, T_ASSIGN, "="))
			return NULL;
		struct node *v;
		if (p->tok.kind == T_INT) {
			v = mk(p, N_INT, p->tok.span);
			v->ival = p->tok.ival;
		} else if (p->tok.kind == T_IDENT || p->tok.kind == T_STR) {
			v = mk(p, N_STR, p->tok.span);
			v->str = adup(p, p->tok.str, strlen(p->tok.str));
			v->str_len = (int)strlen(p->tok.str);
		} else {
			syntax_error(p, "a number, a word or a string");
			return NULL;
		}
		next(p);
		struct node *k = mk(p, N_STR, key.span);
		k->str = adup(p, key.str, strlen(key.str));
		struct node *a = mk(p, N_ASSIGN, span_join(key.span, v->span));
		a->a = k;
		a->b = v;
		*tail = a;
		tail = &a->next;
		if (p->tok.kind == T_SEMI)
			next(p);
		else if (p->tok.kind != T_RBRACE) {
			syntax_error(p, "; or }");
			return NULL;
		}
	}
	/* the '}' is the last token read: the probes after it are scanned raw from there */
	return head;
}

/* `import "…"` at the top level */
static int at_import(struct lexer *lx)
{
	lexer_peek_char(lx);
	const char *t = lx->src + lx->pos;
	if (strncmp(t, "import", 6) || !(t[6] == ' ' || t[6] == '\t'))
		return 0;
	return t[6 + strspn(t + 6, " \t")] == '"';
}

static struct node *parse_import(struct parser *p)
{
	next(p);	/* import */
	next(p);
	struct node *n = mk(p, N_IMPORT, p->tok.span);
	n->str = adup(p, p->tok.str, strlen(p->tok.str));
	next(p);
	if (p->tok.kind != T_SEMI) {
		syntax_error(p, ";");
		return NULL;
	}
	return n;	/* the ';' is the last token read: what follows is scanned raw from there */
}

struct node *parse_program(struct arena *arena, struct diag *diag, const char *text)
{
	struct node *imports = NULL;
	struct node *prog = parse_source(arena, diag, text, 0, &imports);
	if (!prog || imports_resolve(arena, diag, prog, imports))
		return NULL;
	if (!prog->list) {
		diag_error(diag, prog->span, "no probes in program");
		return NULL;
	}
	return macro_expand(arena, diag, prog) ? NULL : prog;
}

struct node *parse_source(struct arena *arena, struct diag *diag, const char *text, int line_base,
			  struct node **imports)
{
	char *pre = NULL;
	if (needs_preprocess(text)) {
		char err[256];
		int line;
		pre = preprocess(text, &line, err, sizeof(err));
		if (!pre) {
			diag_error(diag, (struct span){ line_base + line, 1, line_base + line, 2 }, "%s", err);
			return NULL;
		}
		text = pre;
	}
	struct parser p = { 0 };
	p.arena = arena;
	p.diag = diag;
	lexer_init(&p.lx, text, diag);
	p.lx.line += line_base;	/* an imported file's lines: diag finds its source by them */
	struct node *prog = node_new(arena, N_PROGRAM, (struct span){ 1, 1, 1, 2 });
	struct node **tail = &prog->list;
	int errors_before = diag->errors;
	if (starts_with_config(text))
		prog->b = parse_config(&p);
	struct node **macros = &prog->c, **decls = &prog->a, **ctypes = &prog->pred;
	while (!p.failed && lexer_peek_char(&p.lx)) {
		if (ctypes_at_def(&p.lx)) {
			struct node *t = ctypes_parse(&p.lx, arena, diag);
			if (!t) {
				p.failed = 1;
				break;
			}
			*ctypes = t;
			ctypes = &t->next;
			p.ctypes = prog->pred;
			if (!prog->b && lexer_peek_char(&p.lx) && starts_with_config(p.lx.src + p.lx.pos))
				prog->b = parse_config(&p);	/* the preamble's order: type definitions, then config */
			continue;
		}
		/* an import, a map declaration, a macro or a probe, each appended to its own list */
		struct node ***list = &tail, *n;
		if (at_import(&p.lx))
			n = parse_import(&p), list = &imports;
		else if (at_map_decl(&p.lx))
			n = parse_map_decl(&p), list = &decls;
		else if (at_macro(&p.lx))
			n = parse_macro(&p), list = &macros;
		else
			n = parse_probe(&p);
		if (!n)
			break;
		**list = n;
		*list = &n->next;
	}
	prog->span = (struct span){ p.lx.line, p.lx.col, p.lx.line, p.lx.col + 1 };	/* where the text ends */
	lexer_free(&p.lx);
	free(pre);
	return p.failed || diag->errors != errors_before ? NULL : prog;
}
