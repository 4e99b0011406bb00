#include "maptable.h"
#include "hist.h"
#include <stdlib.h>
#include <string.h>

void map_hist_shape(const struct type *t, struct hist_shape *sh)
{
	*sh = (struct hist_shape){ .linear = t->kind == TY_LHIST, .min = t->lmin, .max = t->lmax, .step = t->lstep };
}

void map_table_init(struct map_table *tb, const struct mapinfo *m, int ncpus)
{
	int bucketed = m->val->kind == TY_HIST || m->val->kind == TY_LHIST;
	*tb = (struct map_table){ .m = m, .ncpus = ncpus > 0 ? ncpus : 1 };
	tb->user_key_size = m->key_size - (bucketed ? 8 : 0);
}

static struct map_entry *entry_for(struct map_table *tb, const uint8_t *key)
{
	for (int i = 0; i < tb->n; i++)
		if (!memcmp(tb->e[i].key, key, (size_t)tb->user_key_size))
			return &tb->e[i];
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? 2 * tb->cap : 64;
		tb->e = xrealloc(tb->e, (size_t)tb->cap * sizeof(*tb->e));
	}
	struct map_entry *e = &tb->e[tb->n++];
	memset(e, 0, sizeof(*e));
	e->key = xmalloc((size_t)tb->user_key_size);
	memcpy(e->key, key, (size_t)tb->user_key_size);
	return e;
}

void map_table_add(struct map_table *tb, const uint8_t *key, const uint8_t *vals)
{
	const struct type *t = tb->m->val;
	struct map_entry *e = entry_for(tb, key);
	int stride = (int)ALIGN8((size_t)tb->m->value_size);
	if (!tb->m->percpu) {
		e->val = xmalloc((size_t)tb->m->value_size);
		memcpy(e->val, vals, (size_t)tb->m->value_size);
		memcpy(&e->v, vals, 8);
		return;
	}
	int have = e->count > 0 || e->bucket_total > 0;
	for (int c = 0; c < tb->ncpus; c++) {
		const uint8_t *p = vals + c * stride;
		int64_t a, b;
		memcpy(&a, p, 8);
		memcpy(&b, p + (t->size > 8 ? 8 : 0), 8);
		switch (t->kind) {
		case TY_COUNT: case TY_SUM:
			e->v += a;
			break;
		case TY_MIN: case TY_MAX:
			if (!b)
				break;	/* this CPU never saw a value */
			if (!have || (t->kind == TY_MIN ? (t->is_signed ? a < e->v : (uint64_t)a < (uint64_t)e->v)
							: (t->is_signed ? a > e->v : (uint64_t)a > (uint64_t)e->v)))
				e->v = a;
			have = 1;
			e->count = 1;
			break;
		case TY_AVG: case TY_STATS:
			e->count += a;
			e->total += b;
			break;
		case TY_HIST: case TY_LHIST: {
			uint64_t bucket;
			struct hist_shape sh;
			map_hist_shape(t, &sh);
			uint64_t nb = (uint64_t)hist_nbuckets(&sh);
			memcpy(&bucket, key + tb->user_key_size, 8);
			if (!e->buckets)
				e->buckets = xcalloc((size_t)nb, sizeof(uint64_t));
			if (bucket >= nb)
				break;
			e->buckets[bucket] += (uint64_t)a;
			e->bucket_total += (uint64_t)a;
			break;
		}
		default:
			break;
		}
	}
	if (t->kind == TY_AVG || t->kind == TY_STATS)
		e->v = e->count ? (t->is_signed ? e->total / e->count
						 : (int64_t)((uint64_t)e->total / (uint64_t)e->count)) : 0;
}

void map_table_finish(struct map_table *tb)
{
	const struct type *t = tb->m->val;
	if (t->kind != TY_MIN && t->kind != TY_MAX)
		return;
	int k = 0;
	for (int i = 0; i < tb->n; i++) {
		if (tb->e[i].count)
			tb->e[k++] = tb->e[i];
		else
			free(tb->e[i].key);
	}
	tb->n = k;
}

void map_table_free(struct map_table *tb)
{
	for (int i = 0; i < tb->n; i++) {
		free(tb->e[i].key);
		free(tb->e[i].val);
		free(tb->e[i].buckets);
	}
	free(tb->e);
	tb->e = NULL;
	tb->n = tb->cap = 0;
}
