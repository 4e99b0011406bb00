#include "mapprint.h"
#include "hist.h"
#include "json.h"
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdlib.h>
#include <string.h>

struct entry {
	uint8_t *key;		/* user key (without the hist bucket) */
	uint8_t *val;		/* non-aggregated value bytes */
	int64_t v;		/* count, sum, min, max, or the average */
	int64_t count, total;	/* avg, stats */
	uint64_t *buckets;	/* hist, lhist */
	uint64_t bucket_total;
};

struct table {
	const struct mapinfo *m;
	int user_key_size;
	struct entry *e;
	int n, cap;
};

static int ncpus(void)
{
	static int n;
	if (!n)
		n = libbpf_num_possible_cpus();
	return n > 0 ? n : 1;
}

static struct hist_shape shape_of(const struct type *t)
{
	struct hist_shape sh = { .linear = t->kind == TY_LHIST, .min = t->lmin, .max = t->lmax, .step = t->lstep };
	return sh;
}

static struct entry *entry_for(struct table *tb, const uint8_t *key)
{
	for (int i = 0; i < tb->n; i++)
		if (!memcmp(tb->e[i].key, key, (size_t)tb->user_key_size))
			return &tb->e[i];
	if (tb->n == tb->cap) {
		tb->cap = tb->cap ? 2 * tb->cap : 64;
		tb->e = xrealloc(tb->e, (size_t)tb->cap * sizeof(*tb->e));
	}
	struct entry *e = &tb->e[tb->n++];
	memset(e, 0, sizeof(*e));
	e->key = xmalloc((size_t)tb->user_key_size);
	memcpy(e->key, key, (size_t)tb->user_key_size);
	return e;
}

static void combine(struct table *tb, const uint8_t *key, const uint8_t *vals)
{
	const struct type *t = tb->m->val;
	struct entry *e = entry_for(tb, key);
	int stride = (int)ALIGN8((size_t)tb->m->value_size);
	if (!tb->m->percpu) {
		e->val = xmalloc((size_t)tb->m->value_size);
		memcpy(e->val, vals, (size_t)tb->m->value_size);
		memcpy(&e->v, vals, 8);
		return;
	}
	int have = e->count > 0 || e->bucket_total > 0;
	for (int c = 0; c < ncpus(); c++) {
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
			struct hist_shape sh = shape_of(t);
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

static void read_table(struct table *tb)
{
	const struct mapinfo *m = tb->m;
	int bucketed = m->val->kind == TY_HIST || m->val->kind == TY_LHIST;
	tb->user_key_size = m->key_size - (bucketed ? 8 : 0);
	uint8_t *key = xcalloc(1, (size_t)m->key_size), *next = xcalloc(1, (size_t)m->key_size);
	size_t vsize = m->percpu ? (size_t)ncpus() * ALIGN8((size_t)m->value_size) : (size_t)m->value_size;
	uint8_t *vals = xmalloc(vsize);
	void *prev = NULL;
	int guard = 0;
	while (!bpf_map_get_next_key(m->fd, prev, next) && guard++ < 1000000) {
		if (!bpf_map_lookup_elem(m->fd, next, vals))
			combine(tb, next, vals);
		memcpy(key, next, (size_t)m->key_size);
		prev = key;
	}
	/* min/max entries no CPU has set are not shown */
	if (m->val->kind == TY_MIN || m->val->kind == TY_MAX) {
		int k = 0;
		for (int i = 0; i < tb->n; i++) {
			if (tb->e[i].count)
				tb->e[k++] = tb->e[i];
			else
				free(tb->e[i].key);
		}
		tb->n = k;
	}
	free(key);
	free(next);
	free(vals);
}

static int cmp_keys(const struct type *t, const uint8_t *a, const uint8_t *b)
{
	if (!t)
		return 0;
	switch (t->kind) {
	case TY_INT: case TY_BOOL: case TY_PTR: case TY_PROBE: case TY_TIME: {
		int64_t x, y;
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (t->kind == TY_INT && t->is_signed)
			return x < y ? -1 : x > y;
		return (uint64_t)x < (uint64_t)y ? -1 : (uint64_t)x > (uint64_t)y;
	}
	case TY_TUPLE:
		for (int i = 0; i < t->nfields; i++) {
			int c = cmp_keys(t->fields[i], a + t->offs[i], b + t->offs[i]);
			if (c)
				return c;
		}
		return 0;
	case TY_STR:
		return strncmp((const char *)a, (const char *)b, (size_t)t->size);
	default:
		return memcmp(a, b, (size_t)t->size);
	}
}

static const struct mapinfo *sort_map;

/* Values ascending (averages for avg/stats, totals for histograms); ties and non-numbers by key. */
static int cmp_entries(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	const struct type *t = sort_map->val;
	int c = 0;
	switch (t->kind) {
	case TY_COUNT: case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG: case TY_STATS:
		c = t->is_signed || t->kind == TY_COUNT ? (a->v < b->v ? -1 : a->v > b->v)
						 : ((uint64_t)a->v < (uint64_t)b->v ? -1 : (uint64_t)a->v > (uint64_t)b->v);
		break;
	case TY_INT:
		c = t->is_signed ? (a->v < b->v ? -1 : a->v > b->v)
				 : ((uint64_t)a->v < (uint64_t)b->v ? -1 : (uint64_t)a->v > (uint64_t)b->v);
		break;
	case TY_HIST: case TY_LHIST:
		c = a->bucket_total < b->bucket_total ? -1 : a->bucket_total > b->bucket_total;
		break;
	default:
		break;
	}
	return c ? c : cmp_keys(sort_map->key, a->key, b->key);
}

static void key_text(struct strbuf *out, const struct value_ctx *vc, const struct mapinfo *m,
		     const uint8_t *key, int json)
{
	if (!json) {
		value_text(out, vc, m->key, key, 1);
		return;
	}
	/* JSON keys: tuple parts joined by ',' without spaces */
	struct strbuf s = { 0 };
	if (m->key->kind == TY_TUPLE) {
		for (int i = 0; i < m->key->nfields; i++) {
			if (i)
				sb_putc(&s, ',');
			value_text(&s, vc, m->key->fields[i], key + m->key->offs[i], 0);
		}
	} else {
		value_text(&s, vc, m->key, key, 0);
	}
	json_escape(out, sb_str(&s), s.len);
	sb_free(&s);
}

static void value_of(struct strbuf *out, const struct value_ctx *vc, const struct mapinfo *m,
		     const struct entry *e, const struct map_print_opts *o, int json)
{
	const struct type *t = m->val;
	int64_t div = o->div > 0 ? o->div : 1;
	switch (t->kind) {
	case TY_COUNT: case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG:
		if (t->is_signed || t->kind == TY_COUNT)
			sb_printf(out, "%lld", (long long)(e->v / div));
		else
			sb_printf(out, "%llu", (unsigned long long)((uint64_t)e->v / (uint64_t)div));
		return;
	case TY_STATS:
		if (json)
			sb_printf(out, "{\"count\": %lld, \"average\": %lld, \"total\": %lld}",
				  (long long)(e->count / div), (long long)(e->v / div), (long long)(e->total / div));
		else
			sb_printf(out, "{ .count = %lld, .average = %lld, .total = %lld }",
				  (long long)(e->count / div), (long long)(e->v / div), (long long)(e->total / div));
		return;
	case TY_INT:
		if (div != 1) {
			if (t->is_signed)
				sb_printf(out, "%lld", (long long)(e->v / div));
			else
				sb_printf(out, "%llu", (unsigned long long)((uint64_t)e->v / (uint64_t)div));
			return;
		}
		/* fall through */
	default:
		if (json)
			value_json(out, vc, t, e->val);
		else
			value_text(out, vc, t, e->val, 0);
	}
}

static void print_hist(struct strbuf *out, const struct mapinfo *m, struct entry *e,
		       const struct map_print_opts *o, int json)
{
	struct hist_shape sh = shape_of(m->val);
	int nb = hist_nbuckets(&sh);
	if (o->div > 1 && m->val->kind == TY_HIST)
		for (int i = 0; i < nb; i++)
			e->buckets[i] /= (uint64_t)o->div;
	if (json)
		hist_render_json(out, &sh, e->buckets);
	else
		hist_render_text(out, &sh, e->buckets);
}

static const char *json_type(const struct type *t)
{
	switch (t->kind) {
	case TY_HIST: case TY_LHIST: return "hist";
	case TY_AVG: case TY_STATS: return "stats";
	default: return "map";
	}
}

void map_print(struct strbuf *out, const struct value_ctx *vc, const struct mapinfo *m,
	       const struct map_print_opts *o)
{
	if (!m->val || m->fd < 0)
		return;
	struct table tb = { .m = m };
	read_table(&tb);
	int hist = m->val->kind == TY_HIST || m->val->kind == TY_LHIST;
	sort_map = m;
	if (tb.n)
		qsort(tb.e, (size_t)tb.n, sizeof(*tb.e), cmp_entries);
	int first = o->top > 0 && o->top < tb.n ? tb.n - (int)o->top : 0;
	if (tb.n && o->json) {
		sb_printf(out, "{\"type\": \"%s\", \"data\": {", json_type(m->val));
		json_escape(out, m->name, strlen(m->name));
		sb_puts(out, ": ");
		if (m->key)
			sb_putc(out, '{');
		for (int i = first; i < tb.n; i++) {
			if (m->key) {
				if (i > first)
					sb_puts(out, ", ");
				key_text(out, vc, m, tb.e[i].key, 1);
				sb_puts(out, ": ");
			}
			if (hist)
				print_hist(out, m, &tb.e[i], o, 1);
			else
				value_of(out, vc, m, &tb.e[i], o, 1);
		}
		if (m->key)
			sb_putc(out, '}');
		sb_puts(out, "}}\n");
	} else {
		for (int i = first; i < tb.n; i++) {
			sb_puts(out, m->name);
			if (m->key) {
				sb_putc(out, '[');
				key_text(out, vc, m, tb.e[i].key, 0);
				sb_putc(out, ']');
			}
			if (hist) {
				sb_puts(out, ":\n");
				print_hist(out, m, &tb.e[i], o, 0);
				sb_putc(out, '\n');
			} else {
				sb_puts(out, ": ");
				value_of(out, vc, m, &tb.e[i], o, 0);
				sb_putc(out, '\n');
			}
		}
	}
	for (int i = 0; i < tb.n; i++) {
		free(tb.e[i].key);
		free(tb.e[i].val);
		free(tb.e[i].buckets);
	}
	free(tb.e);
}

static void for_each_key(const struct mapinfo *m, int zero)
{
	uint8_t *key = xcalloc(1, (size_t)m->key_size), *next = xcalloc(1, (size_t)m->key_size);
	size_t vsize = m->percpu ? (size_t)ncpus() * ALIGN8((size_t)m->value_size) : (size_t)m->value_size;
	uint8_t *zeros = xcalloc(1, vsize);
	int guard = 0;
	if (zero) {
		void *prev = NULL;
		while (!bpf_map_get_next_key(m->fd, prev, next) && guard++ < 1000000) {
			bpf_map_update_elem(m->fd, next, zeros, BPF_EXIST);
			memcpy(key, next, (size_t)m->key_size);
			prev = key;
		}
	} else {
		/* Deleting while walking restarts the walk; take the first key each time. */
		while (!bpf_map_get_next_key(m->fd, NULL, next) && guard++ < 1000000)
			bpf_map_delete_elem(m->fd, next);
	}
	free(key);
	free(next);
	free(zeros);
}

void map_clear(const struct mapinfo *m)
{
	if (m->fd >= 0)
		for_each_key(m, 0);
}

void map_zero(const struct mapinfo *m)
{
	if (m->fd >= 0)
		for_each_key(m, 1);
}
