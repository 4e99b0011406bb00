/*
 * --metrics' pages: the exported maps read (batches, plus what clear() took
 * away) and written through out/prometheus.c's writer in the format asked,
 * then sonde's own figures. Runs on the event loop's thread.
 */
#include "metrics_priv.h"
#include "session.h"
#include "cgroup.h"
#include "../bpf/loader.h"
#include "../out/hist.h"
#include <bpf/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void metrics_read_table(struct metrics *mt, const struct mapinfo *m, struct map_table *tb)
{
	map_table_init(tb, m, bpf_ncpus());
	if (!mt->no_batch && !bpf_map_read_table_batch(m, tb))
		return;
	mt->no_batch = 1;
	map_table_free(tb);
	map_table_init(tb, m, bpf_ncpus());
	bpf_map_read_table(m, tb);
}

/* v as decimal text, signed or not, divided by 10^exp. */
static const char *decimal(char *buf, size_t n, int64_t v, int is_signed, int exp)
{
	char text[24];
	if (is_signed)
		snprintf(text, sizeof(text), "%lld", (long long)v);
	else
		snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
	prom_decimal_shift(buf, n, text, exp);
	return buf;
}

/* The labels of one series: each key part as the map prints it (or as the tool names it). */
static struct prom_label *series_labels(struct session *s, struct metric_def *d, const uint8_t *key)
{
	for (int i = 0; i < d->parts.n; i++) {
		const struct key_part *p = &d->parts.v[i];
		struct strbuf *v = &d->values[i];
		sb_reset(v);
		if (p->cgroup) {
			uint64_t id;
			memcpy(&id, key + p->off, 8);
			cgroup_label(id, v);
		} else if (!d->spec || !d->spec->label_value ||
			   d->spec->label_value(s, i, p->t, key + p->off, v, s->o.metrics_arg)) {
			value_text(v, &s->vc, p->t, key + p->off, 1);
		}
		d->lbl[i] = (struct prom_label){ p->label, sb_str(v), v->len };
	}
	return d->lbl;
}

/* The `le` of bucket b (bucket numbering in out/hist.h); 0 for lhist's last, which only +Inf holds. */
static int bucket_le(const struct type *t, int b, int exp, char *buf, size_t n)
{
	char text[24];
	if (t->kind == TY_HIST) {
		/* bucket b >= 1 is [lo, hi): for integers, le = hi - 1 (out/hist.c) */
		uint64_t lo, hi;
		if (b == 0)
			snprintf(text, sizeof(text), "-1");
		else if (hist_log2_range(t->hist_bits, b, &lo, &hi), hi == UINT64_MAX)
			snprintf(text, sizeof(text), "%llu", ~0ull);
		else
			snprintf(text, sizeof(text), "%llu", (unsigned long long)(hi - 1));
	} else {
		struct hist_shape sh;
		map_hist_shape(t, &sh);
		if (b >= hist_nbuckets(&sh) - 1)
			return 0;
		snprintf(text, sizeof(text), "%lld", (long long)(t->lmin + (int64_t)b * t->lstep - 1));
	}
	prom_decimal_shift(buf, n, text, exp);
	return 1;
}

/*
 * hist() as a native histogram of schema 0, whose bucket i is (2^(i-1), 2^i]:
 * bpftrace's [0] is the zero bucket, [1] native bucket 0, and [2^k, 2^(k+1))
 * native bucket k+1, the one of its largest integer 2^(k+1) - 1. Exact but
 * for 2^k itself (k >= 1), which is counted one bucket up. Values below 0
 * (one bpftrace bucket, unbounded) have no honest place: such a series, a
 * lhist() and a scaled family stay classic.
 */
/* The native bucket of log2 bucket b >= 2: the ceil-log2 of its largest integer. */
static int native_index(int b)
{
	return b == 2 ? 0 : b - 1;
}

static int native_buckets(const struct metric_def *d, const struct map_entry *e, struct prom_hist *h, uint64_t *counts)
{
	/* hist(n, k > 0) splits powers of two evenly, not in native buckets' geometric steps */
	if (d->m->val->kind != TY_HIST || d->m->val->hist_bits || d->exp || !e->buckets || e->buckets[0])
		return 0;
	int lo = -1, hi = -1;
	for (int b = 2; b < HIST_LOG2_BUCKETS; b++)
		if (e->buckets[b]) {
			lo = lo < 0 ? b : lo;
			hi = b;
		}
	h->native = 1;
	h->zero_count = e->buckets[1];
	h->first = lo < 0 ? 0 : native_index(lo);
	h->ncounts = lo < 0 ? 0 : native_index(hi) - h->first + 1;
	memset(counts, 0, (size_t)h->ncounts * sizeof(*counts));
	for (int b = lo; lo >= 0 && b <= hi; b++)
		counts[native_index(b) - h->first] = e->buckets[b];
	h->counts = counts;
	return 1;
}

static void render_hist(struct session *s, struct metrics *mt, struct metric_def *d, struct map_table *tb,
			struct prom_writer *w)
{
	struct hist_shape sh;
	map_hist_shape(d->m->val, &sh);
	int nb = hist_nbuckets(&sh);
	for (int i = 0; i < tb->n; i++)
		for (int b = 0; tb->e[i].buckets && b < nb; b++)
			if (tb->e[i].buckets[b]) {
				d->lo = d->lo > d->hi || b < d->lo ? b : d->lo;
				d->hi = b > d->hi ? b : d->hi;
			}
	/* one empty bucket below the lowest gives interpolation its lower bound;
	 * log2's negative bucket only once a value fell there */
	int first = d->lo > (d->m->val->kind == TY_HIST ? 1 : 0) ? d->lo - 1 : d->lo;
	int n = d->lo <= d->hi ? d->hi - first + 1 : 0;
	/* the bounds are the same for every series */
	char (*bounds)[48] = xcalloc((size_t)(n ? n : 1), sizeof(*bounds));
	const char **le = xcalloc((size_t)(n ? n : 1), sizeof(*le));
	uint64_t *cum = xcalloc((size_t)(n ? n : 1), sizeof(*cum));
	uint64_t native[HIST_LOG2_BUCKETS];
	int nbounds = 0;
	for (; nbounds < n && bucket_le(d->m->val, first + nbounds, d->exp, bounds[nbounds], sizeof(bounds[0])); nbounds++)
		le[nbounds] = bounds[nbounds];
	struct map_table sums = { 0 };
	if (d->sum)
		metrics_read_table(mt, d->sum, &sums);
	for (int i = 0; i < tb->n; i++) {
		const struct map_entry *e = &tb->e[i];
		uint64_t c = 0;
		for (int b = 0; e->buckets && b < first; b++)
			c += e->buckets[b];
		for (int k = 0; k < nbounds; k++)
			cum[k] = c += e->buckets ? e->buckets[first + k] : 0;
		char sum[48];
		const struct map_entry *se = d->sum ? map_table_find(&sums, e->key) : NULL;	/* same keys, no bucket */
		struct prom_hist h = { .nbounds = nbounds, .le = le, .cum = cum, .count = e->bucket_total,
				       .sum = d->sum ? decimal(sum, sizeof(sum), se ? se->v : 0, 1, d->exp) : NULL };
		if (w->f == PROM_PROTOBUF)
			native_buckets(d, e, &h, native);
		prom_histogram(w, series_labels(s, d, e->key), d->parts.n, &h);
	}
	if (d->sum)
		map_table_free(&sums);
	free(bounds);
	free(le);
	free(cum);
}

static void render_def(struct session *s, struct metrics *mt, struct metric_def *d, struct prom_writer *w)
{
	struct map_table tb;
	metrics_read_table(mt, d->m, &tb);
	if (d->counted && d->cleared.n)
		map_table_merge_counts(&tb, &d->cleared);
	d->entries = tb.n;
	prom_begin(w, d->name, d->type, d->help);
	int is_signed = d->m->val->is_signed || d->m->val->kind == TY_INT;
	char v[48];
	if (d->type == PROM_HISTOGRAM) {
		render_hist(s, mt, d, &tb, w);
	} else {
		for (int i = 0; i < tb.n; i++) {
			const struct map_entry *e = &tb.e[i];
			struct prom_label *l = series_labels(s, d, e->key);
			if (d->type == PROM_SUMMARY)
				prom_summary(w, l, d->parts.n, (uint64_t)e->count, decimal(v, sizeof(v), e->total, 1, d->exp));
			else
				prom_scalar(w, l, d->parts.n, decimal(v, sizeof(v), e->v, is_signed, d->exp));
		}
	}
	prom_done(w);
	map_table_free(&tb);
}

static int kernel_stats_on(const struct metrics *mt)
{
	if (mt->stats_fd >= 0)
		return 1;
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "re");
	int on = 0;
	if (f) {
		on = fgetc(f) == '1';
		fclose(f);
	}
	return on;
}

/* One family of sonde's own, a series per block (probe, line) or per exported map (map). */
enum own_key { OWN_NONE, OWN_BLOCK, OWN_MAP };

static void own_family(struct session *s, struct prom_writer *w, const char *name, enum prom_type t, const char *help,
		       enum own_key key, void (*value)(struct session *s, int i, char *buf, size_t n))
{
	struct metrics *mt = s->metrics;
	int n = key == OWN_BLOCK ? s->script.blocks.n : key == OWN_MAP ? mt->defs.n : 1;
	prom_begin(w, name, t, help);
	for (int i = 0; i < n; i++) {
		char line[16], v[48];
		struct prom_label l[2];
		int nl = 0;
		if (key == OWN_BLOCK) {
			const struct probe_block *b = s->script.blocks.v[i];
			const char *probe = b->points.n ? b->points.v[0]->name : "?";
			snprintf(line, sizeof(line), "%d", b->node->span.line);
			l[nl++] = (struct prom_label){ "probe", probe, strlen(probe) };
			l[nl++] = (struct prom_label){ "line", line, strlen(line) };
		} else if (key == OWN_MAP) {
			const char *map = mt->defs.v[i].map_name;
			l[nl++] = (struct prom_label){ "map", map, strlen(map) };
		}
		value(s, i, v, sizeof(v));
		if (*v)	/* empty: nothing to say for this one */
			prom_scalar(w, l, nl, v);
	}
	prom_done(w);
}

static void uint_text(char *buf, size_t n, uint64_t v)
{
	snprintf(buf, n, "%llu", (unsigned long long)v);
}

static void ns_as_seconds(char *buf, size_t n, uint64_t ns)
{
	snprintf(buf, n, "%llu.%09llu", (unsigned long long)(ns / 1000000000ull), (unsigned long long)(ns % 1000000000ull));
}

static void own_lost(struct session *s, int i, char *buf, size_t n)
{
	(void)i;
	uint_text(buf, n, session_percpu_total(s->lost_fd, 0));
}

static void own_read_failures(struct session *s, int i, char *buf, size_t n)
{
	uint_text(buf, n, session_percpu_total(s->read_fail_fd, (uint32_t)s->script.blocks.v[i]->id));
}

static void own_dropped(struct session *s, int i, char *buf, size_t n)
{
	uint_text(buf, n, session_percpu_total(s->map_full_fd, (uint32_t)s->metrics->defs.v[i].m->id));
}

static void own_entries(struct session *s, int i, char *buf, size_t n)
{
	uint_text(buf, n, (uint64_t)s->metrics->defs.v[i].entries);
}

static int prog_info(struct session *s, int i, struct bpf_prog_info *info)
{
	__u32 len = sizeof(*info);
	const struct probe_block *b = s->script.blocks.v[i];
	memset(info, 0, sizeof(*info));
	return b->prog_fd >= 0 && !bpf_obj_get_info_by_fd(b->prog_fd, info, &len);
}

static void own_runs(struct session *s, int i, char *buf, size_t n)
{
	struct bpf_prog_info info;
	*buf = 0;
	if (prog_info(s, i, &info))
		uint_text(buf, n, info.run_cnt);
}

static void own_run_time(struct session *s, int i, char *buf, size_t n)
{
	struct bpf_prog_info info;
	*buf = 0;
	if (prog_info(s, i, &info))
		ns_as_seconds(buf, n, info.run_time_ns);
}

static void own_scrape_time(struct session *s, int i, char *buf, size_t n)
{
	(void)i;
	ns_as_seconds(buf, n, clock_ns(CLOCK_MONOTONIC) - s->metrics->scrape_start_ns);
}

static void render_own(struct session *s, struct prom_writer *w)
{
	struct metrics *mt = s->metrics;
	own_family(s, w, "sonde_events_lost", PROM_COUNTER, "Records (printf, print …) the ring buffer had no room for",
		   OWN_NONE, own_lost);
	if (s->read_fail_fd >= 0)
		own_family(s, w, "sonde_read_failures", PROM_COUNTER,
			   "Reads of the traced process's memory that failed, per probe block", OWN_BLOCK, own_read_failures);
	if (s->map_full_fd >= 0 && mt->defs.n)
		own_family(s, w, "sonde_map_updates_dropped", PROM_COUNTER, "New keys a full map refused", OWN_MAP,
			   own_dropped);
	if (mt->defs.n)
		own_family(s, w, "sonde_map_entries", PROM_GAUGE, "Keys in each exported map, at this scrape", OWN_MAP,
			   own_entries);
	/* the kernel counts only while its BPF statistics are on (--probe-stats, or sysctl kernel.bpf_stats_enabled) */
	if (kernel_stats_on(mt)) {
		own_family(s, w, "sonde_probe_runs", PROM_COUNTER, "Runs of each probe's BPF program", OWN_BLOCK, own_runs);
		own_family(s, w, "sonde_probe_run_seconds", PROM_COUNTER, "Time spent in each probe's BPF program",
			   OWN_BLOCK, own_run_time);
	}
	own_family(s, w, "sonde_scrape_duration_seconds", PROM_GAUGE,
		   "Time to read the maps and render this page, up to this line", OWN_NONE, own_scrape_time);
}

void metrics_render(struct session *s, enum prom_format f, struct strbuf *out)
{
	struct metrics *mt = s->metrics;
	struct prom_writer w = { .f = f, .out = out };
	mt->scrape_start_ns = clock_ns(CLOCK_MONOTONIC);
	for (int i = 0; i < mt->defs.n; i++)
		render_def(s, mt, &mt->defs.v[i], &w);
	render_own(s, &w);
	prom_end(out, f);
	prom_writer_free(&w);
}
