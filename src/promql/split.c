/* An alert fires when its expression returns anything, so its own graph is
 * empty until then. What is worth drawing are the sides it compares: walk
 * through and/or/unless into both operands; at a comparison, keep the pair
 * and stop (a side that compares again stays whole); anything else is one
 * series to draw by itself.
 *
 * Matching modifiers: those of a comparison (bool, on/ignoring, group_*) are
 * the comparison's own and are printed with its operator, not on a side;
 * those of and/or/unless only select which series of the operands fire, so
 * they belong to neither side, and each side is drawn whole. Modifiers inside
 * a side (a / on (job) b) are part of that side and stay. */
#include "promql/promql.h"

static void push(struct pq_pairs *out, const struct pq_node *l, const struct pq_node *cmp, const struct pq_node *r)
{
	struct pq_pair pair = { l, r, cmp };
	VEC_PUSH(*out, pair);
}

void pq_split(const struct pq_node *n, struct pq_pairs *out)
{
	if (n->kind == PQ_BINARY && pq_op_is_set(n->bin.op)) {
		pq_split(n->bin.lhs, out);
		pq_split(n->bin.rhs, out);
	} else if (n->kind == PQ_BINARY && pq_op_is_comparison(n->bin.op)) {
		push(out, n->bin.lhs, n, n->bin.rhs);
	} else {
		push(out, n, NULL, NULL);
	}
}
