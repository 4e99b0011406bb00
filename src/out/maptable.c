#include "maptable.h"
#include "tseries.h"
#include "hist.h"
#include <stdlib.h>
#include <string.h>

void map_hist_shape(const struct type *t, struct hist_shape *sh)
{
	*sh = (struct hist_shape){ .linear = t->kind == TY_LHIST, .bits = t->kind == TY_HIST ? t->hist_bits : 0,
				   .min = t->lmin, .max = t->lmax, .step = t->lstep };
}

void map_table_init(struct map_table *tb, const struct mapinfo *m, int ncpus)
{
	int bucketed = m->val->kind == TY_HIST || m->val->kind == TY_LHIST || m->val->kind == TY_TSERIES;
	*tb = (struct map_table){ .m = m, .ncpus = ncpus > 0 ? ncpus : 1 };
	tb->user_key_size = m->key_size - (bucketed ? 8 : 0);
}

static uint32_t key_hash(const uint8_t *key, int n)
{
	uint32_t h = 2166136261u;	/* FNV-1a */
	for (int i = 0; i < n; i++)
		h = (h ^ key[i]) * 16777619u;
	return h;
}

static void index_put(struct map_table *tb, int i)
{
	uint32_t mask = tb->nslots - 1, at = key_hash(tb->e[i].key, tb->user_key_size) & mask;
	while (tb->slots[at])
		at = (at + 1) & mask;
	tb->slots[at] = (uint32_t)i + 1;
}

/* Rebuilt when missing (map_table_finish drops it) or half full. */
static void index_grow(struct map_table *tb)
{
	if (tb->slots && (uint32_t)tb->n * 2 < tb->nslots)
		return;
	free(tb->slots);
	tb->nslots = 64;
	while (tb->nslots <= (uint32_t)tb->n * 2)
		tb->nslots *= 2;
	tb->slots = xcalloc(tb->nslots, sizeof(*tb->slots));
	for (int i = 0; i < tb->n; i++)
		index_put(tb, i);
}

static struct map_entry *find(struct map_table *tb, const uint8_t *key)
{
	index_grow(tb);
	uint32_t mask = tb->nslots - 1;
	for (uint32_t at = key_hash(key, tb->user_key_size) & mask; tb->slots[at]; at = (at + 1) & mask) {
		struct map_entry *e = &tb->e[tb->slots[at] - 1];
		if (!memcmp(e->key, key, (size_t)tb->user_key_size))
			return e;
	}
	return NULL;
}

const struct map_entry *map_table_find(struct map_table *tb, const uint8_t *key)
{
	return find(tb, key);
}

struct map_entry *map_table_entry(struct map_table *tb, const uint8_t *key)
{
	struct map_entry *e = find(tb, key);
	if (e)
		return e;
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? 2 * tb->cap : 64;
		tb->e = xrealloc(tb->e, (size_t)tb->cap * sizeof(*tb->e));
	}
	e = &tb->e[tb->n++];
	memset(e, 0, sizeof(*e));
	e->key = xmalloc((size_t)(tb->user_key_size ? tb->user_key_size : 1));
	memcpy(e->key, key, (size_t)tb->user_key_size);
	index_put(tb, tb->n - 1);
	return e;
}

void map_table_add(struct map_table *tb, const uint8_t *key, const uint8_t *vals)
{
	const struct type *t = tb->m->val;
	struct map_entry *e = map_table_entry(tb, key);
	int stride = (int)ALIGN8((size_t)tb->m->value_size);
	if (t->kind == TY_TSERIES) {
		/* one BPF entry per slot: the key's slots gather in buckets, {epoch, value, seen} each */
		uint64_t slot;
		memcpy(&slot, key + tb->user_key_size, 8);
		if (!e->buckets)
			e->buckets = xcalloc((size_t)t->ts_count, sizeof(struct tseries_slot));
		if (slot < (uint64_t)t->ts_count)
			memcpy((struct tseries_slot *)e->buckets + slot, vals, sizeof(struct tseries_slot));
		return;
	}
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
	/* callers sort the entries next: the index is rebuilt on the next lookup */
	free(tb->slots);
	tb->slots = NULL;
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
	free(tb->slots);
	tb->e = NULL;
	tb->slots = NULL;
	tb->n = tb->cap = 0;
	tb->nslots = 0;
}

void map_table_merge_counts(struct map_table *dst, const struct map_table *src)
{
	const struct type *t = dst->m->val;
	struct hist_shape sh;
	map_hist_shape(t, &sh);
	int nb = t->kind == TY_HIST || t->kind == TY_LHIST ? hist_nbuckets(&sh) : 0;
	for (int i = 0; i < src->n; i++) {
		const struct map_entry *s = &src->e[i];
		struct map_entry *d = map_table_entry(dst, s->key);
		d->v += s->v;
		d->count += s->count;
		d->total += s->total;
		if (nb && s->buckets) {
			if (!d->buckets)
				d->buckets = xcalloc((size_t)nb, sizeof(uint64_t));
			for (int b = 0; b < nb; b++)
				d->buckets[b] += s->buckets[b];
			d->bucket_total += s->bucket_total;
		}
	}
}
