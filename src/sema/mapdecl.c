/*
 * bpftrace 0.24's map declarations, at the top of a script:
 *   let @seen = lruhash(1000);   the least recently used key gives way
 *   let @bytes = percpuhash(64); a per-CPU aggregation
 * They set a map's size and kind; its key and value types still come from
 * its uses.
 */
#include "checker.h"
#include <string.h>

static const struct {
	const char *kind;
	int lru, percpu;
} kinds[] = {
	{ "hash", 0, 0 }, { "lruhash", 1, 0 }, { "percpuhash", 0, 1 }, { "percpulruhash", 1, 1 },
};

int sema_map_decls(struct script *s, struct diag *d)
{
	int rc = 0;
	for (const struct node *decl = s->prog->a; decl; decl = decl->next) {
		const struct node *map = decl->a, *call = decl->b;
		size_t k = 0;
		while (k < ARRAY_SIZE(kinds) && (call->kind != N_CALL || strcmp(call->name, kinds[k].kind)))
			k++;
		if (k == ARRAY_SIZE(kinds)) {
			diag_error(d, call->span, "a map is declared as hash(N), lruhash(N), percpuhash(N) or percpulruhash(N)");
			rc = -1;
			continue;
		}
		const struct node *size = call->list;
		if (!size || size->next || size->kind != N_INT || size->ival == 0 || size->ival > (1u << 28)) {
			diag_error(d, size ? size->span : call->span, "%s() takes the map's size: a number of keys, 1 to %u",
				   kinds[k].kind, 1u << 28);
			rc = -1;
			continue;
		}
		for (const struct node *o = s->prog->a; o != decl; o = o->next)
			if (!strcmp(o->a->name, map->name)) {
				diag_error(d, map->span, "%s is declared twice", map->name);
				rc = -1;
			}
		struct mapinfo *m = script_find_map(s, map->name);
		if (!m || !m->val) {
			diag_warn(d, map->span, "%s is declared but never used", map->name);
			continue;
		}
		if (kinds[k].percpu && !type_is_agg(m->val)) {
			diag_error(d, call->span, "%s is a %s, but it holds plain values: only aggregations (count(), sum(), "
				   "hist()…) can be per CPU; declare it hash(N) or lruhash(N)", map->name, kinds[k].kind);
			rc = -1;
			continue;
		}
		/* aggregations are per CPU whatever the declaration: it chooses size and eviction */
		m->max_entries = (uint32_t)size->ival;
		m->lru = kinds[k].lru;
	}
	return rc;
}
