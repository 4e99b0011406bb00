/*
 * Block expressions, `$x = { let $y = 2; $y * 3 }`: the statements are
 * checked as a block's, then the last expression gives the value. A value
 * of no type (a printf) becomes the block's last statement, so the block
 * can still stand as a statement (a macro's argument: side_effects({ printf("hi") })).
 */
#include "checker.h"

struct type *check_block_expr(struct checker *c, struct node *n)
{
	if (check_block(c, n->b))
		return NULL;
	if (!n->a)	/* moved into the block by an earlier pass */
		return type_simple(chk_arena(c), TY_VOID);
	struct type *t = check_expr(c, n->a);
	if (!t)
		return NULL;
	if (t->kind == TY_VOID) {
		struct node *s = node_new(chk_arena(c), N_EXPR_STMT, n->a->span), **tail = &n->b->list;
		s->a = n->a;
		while (*tail)
			tail = &(*tail)->next;
		*tail = s;
		n->a = NULL;
	}
	return t;
}
