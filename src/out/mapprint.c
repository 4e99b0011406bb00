/* Sorts a map's entries and prints them as bpftrace does, in text or JSON. */
#include "mapprint.h"
#include "hist.h"
#include "json.h"
#include "tseries.h"
#include <stdlib.h>
#include <string.h>

static int cmp_keys(const struct type *t, const uint8_t *a, const uint8_t *b)
{
	if (!t)
		return 0;
	switch (t->kind) {
	case TY_INT: case TY_BOOL: case TY_PTR: case TY_PROBE: case TY_TIME: case TY_NAMED: {
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


/* Values ascending (averages for avg/stats, totals for histograms); ties and non-numbers by key. */
static int cmp_entries(const void *pa, const void *pb, void *map)
{
	const struct map_entry *a = pa, *b = pb;
	const struct mapinfo *sort_map = map;
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
	case TY_TSERIES: {	/* least recently updated first, as bpftrace */
		uint64_t x = tseries_last_epoch(t, (const struct tseries_slot *)a->buckets);
		uint64_t y = tseries_last_epoch(t, (const struct tseries_slot *)b->buckets);
		c = x < y ? -1 : x > y;
		break;
	}
	default:
		break;
	}
	return c ? c : cmp_keys(sort_map->key, a->key, b->key);
}

static void key_text(struct strbuf *out, const struct value_ctx *vc, const struct mapinfo *m,
		     const uint8_t *key, int json)
{
	struct value_ctx in_key = *vc;
	in_key.stack_indent = 4;	/* bpftrace indents a key's frames by 4, a printed stack's by 8 */
	vc = &in_key;
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
		     const struct map_entry *e, const struct map_print_opts *o, int json)
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

static void print_hist(struct strbuf *out, const struct mapinfo *m, struct map_entry *e,
		       const struct map_print_opts *o, int json)
{
	struct hist_shape sh;
	map_hist_shape(m->val, &sh);
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
	case TY_TSERIES: return "tseries";
	case TY_AVG: case TY_STATS: return "stats";
	default: return "map";
	}
}

void map_render(struct strbuf *out, const struct value_ctx *vc, struct map_table *t,
		const struct map_print_opts *o)
{
	const struct mapinfo *m = t->m;
	struct map_table tb = *t;
	int hist = m->val->kind == TY_HIST || m->val->kind == TY_LHIST;
	int tseries = m->val->kind == TY_TSERIES;
	if (tb.n)
		qsort_r(tb.e, (size_t)tb.n, sizeof(*tb.e), cmp_entries, (void *)m);
	/* every key's chart ends at the map's newest interval */
	uint64_t last = 0;
	for (int i = 0; tseries && i < tb.n; i++) {
		uint64_t l = tseries_last_epoch(m->val, (const struct tseries_slot *)tb.e[i].buckets);
		last = l > last ? l : last;
	}
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
			else if (tseries)
				tseries_render_json(out, m->val, (const struct tseries_slot *)tb.e[i].buckets, last);
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
			if (hist || tseries) {
				sb_puts(out, ":\n");
				if (hist)
					print_hist(out, m, &tb.e[i], o, 0);
				else
					tseries_render_text(out, m->val, (const struct tseries_slot *)tb.e[i].buckets, last);
				sb_putc(out, '\n');
			} else {
				sb_puts(out, ": ");
				value_of(out, vc, m, &tb.e[i], o, 0);
				sb_putc(out, '\n');
			}
		}
	}
}

