/* Statements: assignments give variables and maps their types; conditions must be integers. */
#include "checker.h"
#include "arrays.h"
#include "structval.h"
#include <string.h>

static int check_stmt(struct checker *c, struct node *n);

static struct var *find_var(struct checker *c, const char *name, int *idx)
{
	for (int i = c->blk->vars.n - 1; i >= 0; i--)	/* newest first: a for loop's $kv */
		if (!strcmp(c->blk->vars.v[i].name, name)) {
			*idx = i;
			return &c->blk->vars.v[i];
		}
	return NULL;
}

static int check_assign_var(struct checker *c, struct node *n, struct type *t)
{
	int idx = -1;
	struct var *v = find_var(c, n->a->name, &idx);
	if (t->kind == TY_VOID || type_is_agg(t) || (t->kind == TY_STRUCT && !struct_storable(t)) || t->kind == TY_ARGS ||
	    (t->kind == TY_ARRAY && !t->is_chars && !array_storable(chk_arena(c), t))) {
		ERR(c, n->b->span, "Value of type %s cannot be assigned to a variable", chk_type_name(c, t));
		return -1;
	}
	t = chk_stored(c, t);
	if (!v) {
		struct var nv = { .name = n->a->name, .type = t, .untyped = n->declare_only };
		VEC_PUSH(c->blk->vars, nv);
		idx = c->blk->vars.n - 1;
	} else if (n->declare_only) {
		/* declared again: nothing to type */
	} else if (v->untyped) {
		v->type = t;	/* `let $x;` then `$x = "a"`: the slot is sized for this, zeroed at the let */
		v->untyped = 0;
	} else if (!type_equal(v->type, t) && !(chk_is_int(v->type) && chk_is_int(t)) && !record_reorder(n->b, v->type, t)) {
		ERR(c, n->a->span, "Type mismatch for %s: trying to assign value of type '%s' when variable already contains a value of type '%s'",
		    n->a->name, chk_type_name(c, t), chk_type_name(c, v->type));
		return -1;
	}
	n->a->var_slot = idx;
	n->a->type = c->blk->vars.v[idx].type;
	return 0;
}

/* find(@m, k, $v): $v takes the map's value type, as `$v = @m[k]` would give it. */
int chk_assign_var_type(struct checker *c, struct node *var, struct type *t)
{
	struct node assign = { .kind = N_ASSIGN, .span = var->span, .op = T_ASSIGN, .a = var, .b = var };
	return check_assign_var(c, &assign, t);
}

static int check_assign(struct checker *c, struct node *n)
{
	struct node *lhs = n->a;
	if (lhs->kind != N_VAR && lhs->kind != N_MAP) {
		ERR(c, lhs->span, "only variables and maps can be assigned to");
		return -1;
	}
	if (n->op != T_ASSIGN) {
		/* x op= y: x must be an integer; a new map starts as int64 0 */
		if (lhs->kind == N_MAP) {
			struct mapinfo *m = chk_get_map(c, lhs);
			if (check_map_keys(c, lhs, m))
				return -1;
			if (!m->val)
				m->val = type_int(chk_arena(c), 8, 1);
			if (type_is_agg(m->val)) {
				ERR(c, n->span, "%s holds a %s: update it with its function, e.g. %s = sum(x)", m->name,
				    chk_type_name(c, m->val), m->name);
				return -1;
			}
		}
		struct type *lt = check_expr(c, lhs);
		struct type *rt = lt ? check_expr(c, n->b) : NULL;
		if (!lt || !rt)
			return -1;
		if (!chk_is_int(lt) || !chk_is_int(rt)) {
			ERR(c, n->span, "%s needs integer operands", tok_name(n->op));
			return -1;
		}
		return 0;
	}
	enum type_kind ak = chk_agg_kind(n->b);
	if (ak != TY_NONE) {
		if (lhs->kind != N_MAP) {
			ERR(c, n->b->span, "%s() should be directly assigned to a map", n->b->name);
			return -1;
		}
		struct type *t = check_agg(c, n->b, ak);
		n->b->type = t;
		struct mapinfo *m = chk_get_map(c, lhs);
		if (!t || check_map_keys(c, lhs, m))
			return -1;
		return set_map_value(c, lhs, m, t);
	}
	struct type *t = check_expr(c, n->b);
	if (!t)
		return -1;
	if (lhs->kind == N_VAR)
		return check_assign_var(c, n, t);
	struct mapinfo *m = chk_get_map(c, lhs);
	if (check_map_keys(c, lhs, m))
		return -1;
	if (t->kind == TY_VOID || (t->kind == TY_STRUCT && !struct_storable(t)) || t->kind == TY_ARGS ||
	    (t->kind == TY_ARRAY && !t->is_chars && !array_storable(chk_arena(c), t))) {
		ERR(c, n->b->span, "Value of type %s cannot be stored in a map", chk_type_name(c, t));
		return -1;
	}
	if (set_map_value(c, lhs, m, chk_stored(c, t)))
		return -1;
	lhs->type = m->val;
	return 0;
}

int check_incdec(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (x->kind == N_MAP) {
		struct mapinfo *m = chk_get_map(c, x);
		if (check_map_keys(c, x, m))
			return -1;
		if (!m->val)
			m->val = type_int(chk_arena(c), 8, 1);
		if (m->val->kind != TY_INT) {
			ERR(c, n->span, "%s needs an integer map, %s holds %s", tok_name(n->op), m->name, chk_type_name(c, m->val));
			return -1;
		}
		x->type = m->val;
		return 0;
	}
	if (x->kind == N_VAR) {
		struct type *t = check_expr(c, x);
		if (!t)
			return -1;
		if (!chk_is_int(t)) {
			ERR(c, n->span, "%s needs an integer variable", tok_name(n->op));
			return -1;
		}
		return 0;
	}
	ERR(c, n->span, "%s can only be applied to variables and maps", tok_name(n->op));
	return -1;
}

int check_block(struct checker *c, struct node *blk)
{
	int rc = 0;
	for (struct node *s = blk->list; s; s = s->next)
		if (check_stmt(c, s))
			rc = -1;
	return rc;
}

int check_cond(struct checker *c, struct node *e, const char *what)
{
	struct type *t = check_expr(c, e);
	if (!t)
		return -1;
	if (!chk_is_int(t)) {
		ERR(c, e->span, "%s must be an integer or bool (%s supplied)", what, chk_type_name(c, t));
		return -1;
	}
	return 0;
}

static int check_stmt(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_ASSIGN:
		return check_assign(c, n);
	case N_INCDEC:
		return check_incdec(c, n);
	case N_EXPR_STMT:
		if (n->a->kind == N_INCDEC) {
			struct node *next = n->next;
			*n = *n->a;
			n->next = next;
			return check_incdec(c, n);
		}
		if (!check_expr(c, n->a))
			return -1;
		if (n->a->kind != N_CALL && n->a->kind != N_MAP && n->a->kind != N_BLOCK_EXPR && !n->discard && c->final)
			diag_warn(c->d, n->span, "expression has no effect");
		return 0;
	case N_IF: {
		int rc = check_cond(c, n->a, "an if condition");
		/* a constant condition ($1 < 2) leaves a branch dead: fail() there says nothing */
		int64_t k;
		int known = chk_const_eval(n->a, &k);
		c->dead_depth += known && !k;
		rc |= check_block(c, n->b);
		c->dead_depth -= known && !k;
		c->dead_depth += known && k;
		if (n->c)
			rc |= n->c->kind == N_IF ? check_stmt(c, n->c) : check_block(c, n->c);
		c->dead_depth -= known && k;
		return rc;
	}
	case N_WHILE: {
		int rc = check_cond(c, n->a, "a while condition");
		c->loop_depth++;
		rc |= check_block(c, n->b);
		c->loop_depth--;
		return rc;
	}
	case N_BREAK: case N_CONTINUE:
		if (!c->loop_depth) {
			ERR(c, n->span, "%s used outside of a while loop", n->kind == N_BREAK ? "break" : "continue");
			return -1;
		}
		return 0;
	case N_UNROLL: {
		int64_t k;
		if (chk_const_int(c, n->a, &k, "unroll count"))
			return -1;
		if (k < 1 || k > 100) {
			ERR(c, n->a->span, "unroll count must be between 1 and 100");
			return -1;
		}
		n->ival = (uint64_t)k;
		return check_block(c, n->b);
	}
	case N_FOR_MAP:
		return check_for_map(c, n);
	case N_RETURN:
		if (!n->a)
			return 0;
		if (c->blk->prov->mode != RUN_TEST) {
			ERR(c, n->a->span, "return with a value is a test: probe's result; here, write return;");
			return -1;
		}
		struct type *rt = check_expr(c, n->a);
		if (rt && !chk_is_int(rt)) {
			ERR(c, n->a->span, "a test: probe returns an integer, not %s", chk_type_name(c, rt));
			return -1;
		}
		return rt ? 0 : -1;
	case N_BLOCK:
		return check_block(c, n);
	default:
		ERR(c, n->span, "not a statement");
		return -1;
	}
}
