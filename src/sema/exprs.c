/* Expressions: a type for every node, from literals and operators up; calls are in calls.c. */
#include "checker.h"
#include "btf.h"
#include <stdlib.h>
#include <string.h>

static int numeric_param(const char *s)
{
	if (!*s)
		return 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2])
		return strspn(s + 2, "0123456789abcdefABCDEF") == strlen(s + 2);
	if (*s == '-')
		s++;
	return *s && strspn(s, "0123456789") == strlen(s);
}

static struct type *check_param(struct checker *c, struct node *n)
{
	const char *v = n->ival >= 1 && (int)n->ival <= c->s->nparams ? c->s->params[n->ival - 1] : "";
	if (numeric_param(v) || !*v) {
		/* -5 becomes -(5), so every later pass sees a signed expression */
		struct node *num = v[0] == '-' ? node_new(chk_arena(c), N_INT, n->span) : n;
		num->kind = N_INT;
		num->ival = strtoull(v[0] == '-' ? v + 1 : v, NULL, 0);
		if (num != n) {
			n->kind = N_UNOP;
			n->op = T_MINUS;
			n->a = num;
			return check_expr(c, n);
		}
		return type_int(chk_arena(c), 8, n->ival <= INT64_MAX);
	}
	n->kind = N_STR;
	n->str = arena_strndup(chk_arena(c), v, strlen(v));
	n->str_len = (int)strlen(v);
	return check_expr(c, n);
}

static struct type *check_binop(struct checker *c, struct node *n)
{
	struct type *a = check_expr(c, n->a), *b = a ? check_expr(c, n->b) : NULL;
	if (!a || !b)
		return NULL;
	int cmp = n->op == T_EQ || n->op == T_NE || n->op == T_LT || n->op == T_GT ||
		  n->op == T_LE || n->op == T_GE;
	if ((n->op == T_EQ || n->op == T_NE) && chk_stored(c, a)->kind == TY_STR &&
	    chk_stored(c, b)->kind == TY_STR)
		return type_simple(chk_arena(c), TY_BOOL);
	if (a->kind == TY_ARRAY || b->kind == TY_ARRAY)	/* args.daddr == pton("127.0.0.1") */
		return check_array_cmp(c, n, a, b);
	if (!chk_is_int(a) || !chk_is_int(b)) {
		struct type *bad = chk_is_int(a) ? b : a;
		struct node *where = chk_is_int(a) ? n->b : n->a;
		ERR(c, where->span, "operator %s cannot be used on a value of type %s", tok_name(n->op),
		    bad->kind == TY_STR ? "string" : chk_type_name(c, bad));
		return NULL;
	}
	if (cmp || n->op == T_ANDAND || n->op == T_OROR)
		return type_simple(chk_arena(c), TY_BOOL);
	int sa = a->kind == TY_INT ? a->is_signed : a->kind == TY_BOOL;
	int sb = b->kind == TY_INT ? b->is_signed : b->kind == TY_BOOL;
	/* C's rule at 64 bits: unsigned wins, unless the unsigned side is narrower. */
	int is_signed = (sa && sb) || (sa && b->kind == TY_INT && b->size < 8) ||
			(sb && a->kind == TY_INT && a->size < 8);
	struct type *t = type_int(chk_arena(c), 8, is_signed);
	/* a user address moved by an offset is still a user address: str(args.p + 1) */
	t->user_addr = (n->op == T_PLUS || n->op == T_MINUS) &&
		       (a->user_addr || b->user_addr || a->user_mem || b->user_mem);
	return t;
}

static struct type *check_expr_inner(struct checker *c, struct node *n)
{
	struct type *t, *u;
	switch (n->kind) {
	case N_INT:
		return type_int(chk_arena(c), 8, n->ival <= INT64_MAX);
	case N_STR:
		if (n->str_len >= sonde_strlen) {
			ERR(c, n->span, "String is too long (over %d bytes): set BPFTRACE_STRLEN to allow longer strings",
			    sonde_strlen);
			return NULL;
		}
		return type_str(chk_arena(c));
	case N_POSPARAM:
		return check_param(c, n);
	case N_POSCOUNT:
		n->kind = N_INT;
		n->ival = (uint64_t)c->s->nparams;
		return type_int(chk_arena(c), 8, 1);
	case N_BUILTIN:
		return check_builtin(c, n);
	case N_VAR:
		for (int i = c->blk->vars.n - 1; i >= 0; i--)	/* newest first: a for loop's $kv */
			if (!strcmp(c->blk->vars.v[i].name, n->name)) {
				n->var_slot = i;
				return c->blk->vars.v[i].type;
			}
		ERR(c, n->span, "Undefined or undeclared variable: %s", n->name);
		return NULL;
	case N_MAP:
		return check_map_read(c, n);
	case N_CALL:
		return check_call(c, n);
	case N_BINOP:
		return check_binop(c, n);
	case N_UNOP:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (!chk_is_int(t)) {
			ERR(c, n->span, "operator %s cannot be used on a value of type %s", tok_name(n->op), chk_type_name(c, t));
			return NULL;
		}
		if (n->op == T_BANG)
			return type_simple(chk_arena(c), TY_BOOL);
		return type_int(chk_arena(c), 8, n->op == T_MINUS ? 1 : (t->kind == TY_INT && t->is_signed));
	case N_DEREF:
		return check_deref(c, n);
	case N_TERNARY:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (!chk_is_int(t)) {
			ERR(c, n->a->span, "the condition of ?: must be an integer or bool (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
		t = check_expr(c, n->b);
		u = t ? check_expr(c, n->c) : NULL;
		if (!t || !u)
			return NULL;
		t = chk_stored(c, t);
		u = chk_stored(c, u);
		if (chk_is_int(t) && chk_is_int(u)) {
			struct type *r = type_int(chk_arena(c), 8, t->kind == TY_INT && t->is_signed && u->kind == TY_INT && u->is_signed);
			/* a user address chosen by ?: is still one: str(c ? args.p : args.q) */
			r->user_addr = t->user_addr || u->user_addr || t->user_mem || u->user_mem;
			return r;
		}
		if (!type_equal(t, u)) {
			ERR(c, n->span, "Ternary operator must return the same type: have '%s' and '%s'", chk_type_name(c, t), chk_type_name(c, u));
			return NULL;
		}
		return t;
	case N_FIELD:
		return check_field(c, n);
	case N_TUPLE_ELEM:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (t->kind != TY_TUPLE) {
			ERR(c, n->span, "Can not access index '%llu' on expression of type '%s'",
			    (unsigned long long)n->ival, chk_type_name(c, t));
			return NULL;
		}
		if (n->ival >= (uint64_t)t->nfields) {
			ERR(c, n->span, "Invalid tuple index: %llu. Found %d elements in tuple.",
			    (unsigned long long)n->ival, t->nfields);
			return NULL;
		}
		return t->fields[n->ival];
	case N_INDEX:
		t = check_expr(c, n->a);
		u = t ? check_expr(c, n->b) : NULL;
		if (!t || !u)
			return NULL;
		if (!chk_is_int(u)) {
			ERR(c, n->b->span, "an index must be an integer (%s supplied)", chk_type_name(c, u));
			return NULL;
		}
		/* a flexible array member (numbers[] of struct pid) has no length to check against */
		if (t->kind == TY_ARRAY && t->array_len > 0 && n->b->kind == N_INT && n->b->ival >= (uint64_t)t->array_len) {
			ERR(c, n->b->span, "index %llu is out of bounds: the array has %d elements",
			    (unsigned long long)n->b->ival, t->array_len);
			return NULL;
		}
		if (t->kind == TY_ARRAY && t->in_ctx) {	/* u8 saddr[4]: unsigned elements */
			struct type *et = type_int(chk_arena(c), t->elem_size <= 8 ? t->elem_size : 8, 0);
			et->user_addr = t->user_addr;
			return et;
		}
		if (t->dw_path) {
			ERR(c, n->span, "indexing user memory typed by DWARF is not supported yet");
			return NULL;
		}
		if (t->kind == TY_ARRAY || t->kind == TY_PTR) {
			struct type *et = kbtf_type(chk_arena(c), t->btf_id);
			/* an element that is a struct is a place in memory: `.` reads its members
			 * (thread_pid->numbers[level].nr) */
			if (!et || et->kind == TY_ARRAY) {
				ERR(c, n->span, "indexing this %s is not supported yet", chk_type_name(c, t));
				return NULL;
			}
			return et;
		}
		ERR(c, n->span, "The array index operator [] can only be used on arrays and pointers, found %s",
		    chk_type_name(c, t));
		return NULL;
	case N_TUPLE: {
		struct type *ts[16];
		int k = 0;
		for (struct node *e = n->list; e; e = e->next) {
			if (k == 16) {
				ERR(c, e->span, "a tuple has at most 16 elements");
				return NULL;
			}
			t = check_expr(c, e);
			if (!t)
				return NULL;
			if (t->kind == TY_VOID || type_is_agg(t) || t->kind == TY_STRUCT || t->kind == TY_ARGS) {
				ERR(c, e->span, "a tuple cannot hold a value of type %s", chk_type_name(c, t));
				return NULL;
			}
			ts[k++] = chk_stored(c, t);
		}
		return record_type(c, n, type_tuple(chk_arena(c), ts, k));
	}
	case N_CAST:
		return check_cast(c, n);
	case N_BLOCK_EXPR:
		return check_block_expr(c, n);
	case N_INCDEC:
		/* $x++ as a value: the old value (post) or the new one (pre) */
		if (check_incdec(c, n))
			return NULL;
		return type_int(chk_arena(c), 8, 1);
	case N_ASSIGN:
		ERR(c, n->span, "an assignment is a statement, not a value");
		return NULL;
	default:
		ERR(c, n->span, "not an expression");
		return NULL;
	}
}

struct type *check_expr(struct checker *c, struct node *n)
{
	struct type *t = check_expr_inner(c, n);
	n->type = t;
	return t;
}
