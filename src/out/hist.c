/* Histogram renderers: bucket labels and bars exactly as bpftrace prints them. */
#include "out/hist.h"
#include <inttypes.h>
#include <stdio.h>

#define BAR_WIDTH 52

/* A power of two is written with one suffix per full factor of 1024. */
static const char *const pow2_suffix[] = { "", "K", "M", "G", "T", "P", "E" };

/* lhist bounds are abbreviated only when they are exact multiples; new
 * bpftrace further requires step to be a multiple of 1024. */
static const struct {
	int64_t unit;
	const char *suffix;
} lhist_units[] = {
	{ 1024 * 1024, "M" },
	{ 1024, "K" },
};

struct range {
	int first, last;	/* lowest and highest non-empty bucket; -1 if none */
	uint64_t max_count;
};

static struct range find_range(const uint64_t *counts, int n)
{
	struct range r = { -1, -1, 0 };
	for (int i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		if (r.first < 0)
			r.first = i;
		r.last = i;
		if (counts[i] > r.max_count)
			r.max_count = counts[i];
	}
	return r;
}

int hist_nbuckets(const struct hist_shape *sh)
{
	if (!sh->linear)
		return sh->bits ? (65 - sh->bits) * (1 << sh->bits) + 1 : HIST_LOG2_BUCKETS;
	if (sh->step <= 0 || sh->max <= sh->min)
		return 0;
	return (int)((sh->max - sh->min) / sh->step) + 2;
}

/*
 * The exclusive upper bound of log2 bucket j, as bpftrace counts: below 2^b
 * one value per bucket; from there each power of two 2^p is split in 2^b
 * parts of 2^(p-b), the bucket's last bits saying which. *power is p - b
 * for the label's suffix, -1 for the single values.
 */
static unsigned __int128 log2_upper(int bits, int j, int *power, uint64_t *factor)
{
	uint32_t n = 1u << bits;
	if ((uint32_t)j < n) {
		*power = -1;
		*factor = (uint64_t)j;
		return (unsigned __int128)j;
	}
	*power = (int)((uint32_t)j >> bits) - 1;
	*factor = n + ((uint32_t)j & (n - 1));
	return ((unsigned __int128)1 << *power) * *factor;
}

int hist_log2_range(int bits, int i, uint64_t *lo, uint64_t *hi)
{
	int p;
	uint64_t f;
	unsigned __int128 l = log2_upper(bits, i - 1, &p, &f), h = log2_upper(bits, i, &p, &f);
	*lo = l > UINT64_MAX ? UINT64_MAX : (uint64_t)l;
	*hi = h > UINT64_MAX ? UINT64_MAX : (uint64_t)h;
	return i <= (2 << bits);
}

/* bpftrace's label of bound j: the value itself up to 2^(b+1), else 2^p times the part with K/M/G… per 2^10. */
static void log2_bound_label(char *buf, size_t len, int bits, int j)
{
	int power;
	uint64_t factor;
	unsigned __int128 v = log2_upper(bits, j, &power, &factor);
	if (j <= (2 << bits) || power < 0) {
		snprintf(buf, len, "%" PRIu64, (uint64_t)v);
		return;
	}
	int decade = power / 10;
	snprintf(buf, len, "%" PRIu64 "%s", (UINT64_C(1) << (power - 10 * decade)) * factor, pow2_suffix[decade]);
}

static void lhist_label(char *buf, size_t len, int64_t v, int64_t step)
{
	for (size_t i = 0; step % 1024 == 0 && v != 0 && i < ARRAY_SIZE(lhist_units); i++) {
		if (v % lhist_units[i].unit == 0) {
			snprintf(buf, len, "%" PRId64 "%s", v / lhist_units[i].unit, lhist_units[i].suffix);
			return;
		}
	}
	snprintf(buf, len, "%" PRId64, v);
}

static void log2_text_label(char *buf, size_t len, int bits, int i)
{
	char lo[24], hi[24];

	if (i == 0) {
		snprintf(buf, len, "(..., 0)");
		return;
	}
	if (i <= (2 << bits)) {
		snprintf(buf, len, "[%d]", i - 1);
		return;
	}
	log2_bound_label(lo, sizeof(lo), bits, i - 1);
	log2_bound_label(hi, sizeof(hi), bits, i);
	snprintf(buf, len, "[%s, %s)", lo, hi);
}

static void linear_text_label(char *buf, size_t len, const struct hist_shape *sh, int i, int n)
{
	char lo[24], hi[24];

	if (i == 0) {
		lhist_label(lo, sizeof(lo), sh->min, sh->step);
		snprintf(buf, len, "(..., %s)", lo);
	} else if (i == n - 1) {
		lhist_label(lo, sizeof(lo), sh->max, sh->step);
		snprintf(buf, len, "[%s, ...)", lo);
	} else {
		lhist_label(lo, sizeof(lo), sh->min + (i - 1) * sh->step, sh->step);
		lhist_label(hi, sizeof(hi), sh->min + i * sh->step, sh->step);
		snprintf(buf, len, "[%s, %s)", lo, hi);
	}
}

static int bar_width(uint64_t count, uint64_t max)
{
	/* 128 bits because 52 * count overflows 64 once counts pass 2^58. */
	return (int)((unsigned __int128)count * BAR_WIDTH / max);
}

void hist_render_text(struct strbuf *out, const struct hist_shape *sh, const uint64_t *counts)
{
	int n = hist_nbuckets(sh);
	struct range r = find_range(counts, n);
	char label[64], bar[BAR_WIDTH + 1];

	for (int i = r.first; r.first >= 0 && i <= r.last; i++) {
		if (sh->linear)
			linear_text_label(label, sizeof(label), sh, i, n);
		else
			log2_text_label(label, sizeof(label), sh->bits, i);
		int w = bar_width(counts[i], r.max_count);
		for (int k = 0; k < w; k++)
			bar[k] = '@';
		bar[w] = 0;
		sb_printf(out, "%-16s%8" PRIu64 " |%-52s|\n", label, counts[i], bar);
	}
}

/* JSON bounds are inclusive: [2, 4) is {"min": 2, "max": 3}. The open-ended
 * first bucket has only "max", the last lhist bucket only "min". */
static void log2_json_bounds(struct strbuf *out, int bits, int i)
{
	if (i == 0) {
		sb_puts(out, "\"max\": -1, ");
		return;
	}
	uint64_t lo, hi;
	hist_log2_range(bits, i, &lo, &hi);
	/* the last bucket's bound saturates: its largest value is UINT64_MAX itself */
	sb_printf(out, "\"min\": %" PRIu64 ", \"max\": %" PRIu64 ", ", lo, hi == UINT64_MAX ? hi : hi - 1);
}

static void linear_json_bounds(struct strbuf *out, const struct hist_shape *sh, int i, int n)
{
	if (i == 0)
		sb_printf(out, "\"max\": %" PRId64 ", ", sh->min - 1);
	else if (i == n - 1)
		sb_printf(out, "\"min\": %" PRId64 ", ", sh->max);
	else
		sb_printf(out, "\"min\": %" PRId64 ", \"max\": %" PRId64 ", ",
			  sh->min + (i - 1) * sh->step, sh->min + i * sh->step - 1);
}

void hist_render_json(struct strbuf *out, const struct hist_shape *sh, const uint64_t *counts)
{
	int n = hist_nbuckets(sh);
	struct range r = find_range(counts, n);

	sb_putc(out, '[');
	for (int i = r.first; r.first >= 0 && i <= r.last; i++) {
		if (i > r.first)
			sb_puts(out, ", ");
		sb_putc(out, '{');
		if (sh->linear)
			linear_json_bounds(out, sh, i, n);
		else
			log2_json_bounds(out, sh->bits, i);
		sb_printf(out, "\"count\": %" PRIu64 "}", counts[i]);
	}
	sb_putc(out, ']');
}
