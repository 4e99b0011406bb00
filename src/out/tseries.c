/*
 * tseries() output. bpftrace's chart: a scale line with the smallest and the
 * largest value, a row per interval with its wall-clock time, a '*' at the
 * value's place in 53 columns ('.' marks zero when the range spans it), and
 * the value; intervals with no value are empty rows.
 */
#include "tseries.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define CHART_WIDTH 53	/* columns from the '|' on the left to the one on the right */

uint64_t tseries_last_epoch(const struct type *t, const struct tseries_slot *slots)
{
	uint64_t last = 0;
	for (int i = 0; i < t->ts_count; i++)
		if (slots[i].seen && slots[i].epoch > last)
			last = slots[i].epoch;
	return last;
}

/* The slot holding EPOCH, or NULL. */
static const struct tseries_slot *find(const struct type *t, const struct tseries_slot *slots, uint64_t epoch)
{
	const struct tseries_slot *s = &slots[epoch % (uint64_t)t->ts_count];
	return s->seen && s->epoch == epoch ? s : NULL;
}

static int64_t value_of(const struct type *t, const struct tseries_slot *s)
{
	if (t->ts_agg != TSERIES_AVG || !s->seen)
		return s->value;
	return t->is_signed ? s->value / (int64_t)s->seen : (int64_t)((uint64_t)s->value / s->seen);
}

/* The first epoch to print: the key's oldest one within the map's last ts_count intervals. */
static uint64_t first_epoch(const struct type *t, const struct tseries_slot *slots, uint64_t last)
{
	uint64_t from = last >= (uint64_t)t->ts_count ? last - (uint64_t)t->ts_count + 1 : 0, first = last + 1;
	for (int i = 0; i < t->ts_count; i++)
		if (slots[i].seen && slots[i].epoch >= from && slots[i].epoch < first)
			first = slots[i].epoch;
	return first;
}

/* TAI - UTC, whole seconds (the leap seconds): read once per chart */
static int64_t leap_seconds(void)
{
	struct timespec tai, real;
	clock_gettime(CLOCK_TAI, &tai);
	clock_gettime(CLOCK_REALTIME, &real);
	return (int64_t)tai.tv_sec - (int64_t)real.tv_sec;
}

/* hh:mm:ss.mmm local time of an interval's start (epochs count TAI). */
static void interval_time(char *buf, size_t n, const struct type *t, uint64_t epoch, int64_t leap, uint64_t *utc_ns)
{
	uint64_t ns = epoch * (uint64_t)t->ts_interval - (uint64_t)(leap * 1000000000LL);
	*utc_ns = ns;
	time_t sec = (time_t)(ns / 1000000000u);
	struct tm tm;
	localtime_r(&sec, &tm);
	char hms[16];
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	snprintf(buf, n, "%s.%03u", hms, (unsigned)(ns % 1000000000u / 1000000u));
}

static void int_text(char *buf, size_t n, const struct type *t, int64_t v)
{
	if (t->is_signed)
		snprintf(buf, n, "%" PRId64, v);
	else
		snprintf(buf, n, "%" PRIu64, (uint64_t)v);
}

static int below(const struct type *t, int64_t a, int64_t b)
{
	return t->is_signed ? a < b : (uint64_t)a < (uint64_t)b;
}

/* Column of V between LO and HI: floor((v - lo) * 52 / (hi - lo)), as bpftrace places it. */
static int column(const struct type *t, int64_t v, int64_t lo, int64_t hi)
{
	if (!below(t, lo, hi))
		return 0;
	unsigned __int128 span = t->is_signed ? (unsigned __int128)((__int128)hi - lo) : (unsigned __int128)((uint64_t)hi - (uint64_t)lo);
	unsigned __int128 off = t->is_signed ? (unsigned __int128)((__int128)v - lo) : (unsigned __int128)((uint64_t)v - (uint64_t)lo);
	return (int)(off * (CHART_WIDTH - 1) / span);
}

static void scale_line(struct strbuf *out, const char *lo, const char *hi)
{
	int pad = CHART_WIDTH - (int)strlen(lo) - (int)strlen(hi);
	sb_printf(out, "%13s%s%*s%s\n", "", lo, pad > 1 ? pad : 1, "", hi);
}

void tseries_render_text(struct strbuf *out, const struct type *t, const struct tseries_slot *slots, uint64_t last)
{
	uint64_t first = first_epoch(t, slots, last);
	int64_t lo = 0, hi = 0;
	int any = 0;
	for (uint64_t e = first; e <= last; e++) {
		const struct tseries_slot *s = find(t, slots, e);
		if (!s)
			continue;
		int64_t v = value_of(t, s);
		lo = !any || below(t, v, lo) ? v : lo;
		hi = !any || below(t, hi, v) ? v : hi;
		any = 1;
	}
	if (!any)
		return;
	char los[24], his[24], when[32], val[24], row[CHART_WIDTH + 1];
	int_text(los, sizeof(los), t, lo);
	int_text(his, sizeof(his), t, hi);
	scale_line(out, los, his);
	sb_puts(out, "hh:mm:ss.ms  |");
	for (int i = 0; i < CHART_WIDTH - 2; i++)
		sb_putc(out, '_');
	sb_puts(out, "|\n");
	int zero = t->is_signed && lo < 0 && hi > 0 ? column(t, 0, lo, hi) : -1;
	int64_t leap = leap_seconds();
	for (uint64_t e = first; e <= last; e++) {
		const struct tseries_slot *s = find(t, slots, e);
		uint64_t ns;
		interval_time(when, sizeof(when), t, e, leap, &ns);
		memset(row, ' ', CHART_WIDTH);
		row[0] = row[CHART_WIDTH - 1] = '|';
		row[CHART_WIDTH] = 0;
		if (zero > 0 && zero < CHART_WIDTH - 1)
			row[zero] = '.';
		if (!s) {
			sb_printf(out, "%s %s\n", when, row);
			continue;
		}
		int64_t v = value_of(t, s);
		row[column(t, v, lo, hi)] = '*';
		int_text(val, sizeof(val), t, v);
		sb_printf(out, "%s %s %s\n", when, row, val);
	}
	sb_printf(out, "%13sv", "");
	for (int i = 0; i < CHART_WIDTH - 2; i++)
		sb_putc(out, '_');
	sb_puts(out, "v\n");
	scale_line(out, los, his);
}

void tseries_render_json(struct strbuf *out, const struct type *t, const struct tseries_slot *slots, uint64_t last)
{
	uint64_t first = first_epoch(t, slots, last);
	char when[32], val[24];
	int64_t leap = leap_seconds();
	sb_putc(out, '[');
	for (uint64_t e = first; e <= last; e++) {
		const struct tseries_slot *s = find(t, slots, e);
		uint64_t ns;
		interval_time(when, sizeof(when), t, e, leap, &ns);
		if (s)
			int_text(val, sizeof(val), t, value_of(t, s));
		sb_printf(out, "%s{\"time\": \"%s\", \"ns\": %" PRIu64 ", \"value\": %s}", e > first ? ", " : "", when, ns,
			  s ? val : "null");
	}
	sb_putc(out, ']');
}
