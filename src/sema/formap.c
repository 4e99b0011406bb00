/*
 * for ($kv : @m) { BODY } (bpftrace 0.2x): BODY runs once per entry of @m
 * with $kv = (key, value); a multi-key map's key is a tuple ($kv.0.1).
 * $kv is a variable of its own for each loop: it is visible in BODY only
 * (lookups search the newest variables first, and the entry is renamed
 * once BODY is checked), so two loops may use $kv over maps of different
 * types. Maps without keys, and avg/stats/hist/lhist maps, are refused as
 * bpftrace refuses them; count/sum/min/max values are summed over the
 * CPUs (as reading @m[k] is). Codegen: codegen/formap.c.
 */
#include "checker.h"
#include <stdio.h>
#include <string.h>

/* The value $kv.1 holds: a per-CPU aggregation reads as its combined integer. */
static struct type *loop_value_type(struct checker *c, struct type *val)
{
	switch (val->kind) {
	case TY_COUNT:
		return type_int(chk_arena(c), 8, 0);
	case TY_SUM: case TY_MIN: case TY_MAX:
		return type_int(chk_arena(c), 8, val->is_signed);
	default:
		return val;
	}
}

int check_for_map(struct checker *c, struct node *n)
{
	struct node *mn = n->b;
	struct mapinfo *m = chk_get_map(c, mn);
	if (mn->list) {
		ERR(c, mn->span, "a for loop runs over a whole map: write %s, without keys", mn->name);
		return -1;
	}
	if (!m->val) {	/* a quiet pass may meet the loop before the assignment that types @m */
		ERR(c, mn->span, "Undefined map: %s", mn->name);
		return -1;
	}
	if (!m->key) {
		ERR(c, mn->span, "%s has no keys to iterate over: a for loop needs a map such as @m[k]", mn->name);
		return -1;
	}
	switch (m->val->kind) {
	case TY_AVG: case TY_STATS: case TY_HIST: case TY_LHIST:
		ERR(c, mn->span, "a for loop cannot iterate over %s: its %s values are not one number per key (print(%s) shows them)",
		    mn->name, chk_type_name(c, m->val), mn->name);
		return -1;
	default:
		break;
	}
	struct type *pair[2] = { m->key, loop_value_type(c, m->val) };
	struct type *t = type_tuple(chk_arena(c), pair, 2);
	struct var v = { .name = n->a->name, .type = t };
	VEC_PUSH(c->blk->vars, v);
	int idx = c->blk->vars.n - 1;
	n->a->var_slot = idx;
	n->a->type = t;
	c->loop_depth++;
	int rc = check_block(c, n->c);
	c->loop_depth--;
	/* out of the body, $kv names nothing (or a variable of its own) */
	char hidden[96];
	snprintf(hidden, sizeof(hidden), "%s (for loop at line %d)", n->a->name, n->span.line);
	c->blk->vars.v[idx].name = arena_strndup(chk_arena(c), hidden, strlen(hidden));
	return rc;
}
