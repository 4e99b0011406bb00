/*
 * Prometheus' protobuf exposition: each family one io.prometheus.client
 * MetricFamily message, preceded by its length as a varint (the
 * "delimited" encoding). The only format that carries native histograms.
 * Field numbers from the client model's metrics.proto.
 */
#include "prometheus.h"
#include "protobuf.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MF_NAME = 1, MF_HELP = 2, MF_TYPE = 3, MF_METRIC = 4 };
enum { M_LABEL = 1, M_GAUGE = 2, M_COUNTER = 3, M_SUMMARY = 4, M_HISTOGRAM = 7 };
enum { LP_NAME = 1, LP_VALUE = 2 };
enum { H_COUNT = 1, H_SUM = 2, H_BUCKET = 3, H_ZERO_COUNT = 7, H_POS_SPAN = 12, H_POS_DELTA = 13 };
enum { B_CUMULATIVE = 1, B_UPPER = 2 };
enum { SPAN_OFFSET = 1, SPAN_LENGTH = 2 };

void promproto_begin(struct prom_writer *w, const char *help)
{
	/* the client model's MetricType: COUNTER 0, GAUGE 1, SUMMARY 2, HISTOGRAM 4 */
	static const uint64_t types[] = { [PROM_COUNTER] = 0, [PROM_GAUGE] = 1, [PROM_HISTOGRAM] = 4, [PROM_SUMMARY] = 2 };
	sb_reset(&w->family);
	/* the family's name is the series': a counter's carries its _total */
	sb_reset(&w->scratch);
	sb_puts(&w->scratch, w->name);
	if (w->type == PROM_COUNTER)
		sb_puts(&w->scratch, "_total");
	pb_bytes(&w->family, MF_NAME, w->scratch.s, w->scratch.len);
	if (help && *help)
		pb_bytes(&w->family, MF_HELP, help, strlen(help));
	pb_uint(&w->family, MF_TYPE, types[w->type]);
}

/* A Metric's labels into w->text, which the caller completes and adds. */
static void metric_labels(struct prom_writer *w, const struct prom_label *l, int nl)
{
	sb_reset(&w->text);
	for (int i = 0; i < nl; i++) {
		sb_reset(&w->scratch);
		pb_bytes(&w->scratch, LP_NAME, l[i].name, strlen(l[i].name));
		pb_bytes(&w->scratch, LP_VALUE, l[i].value ? l[i].value : "", l[i].len);
		pb_bytes(&w->text, M_LABEL, w->scratch.s, w->scratch.len);
	}
}

static void add_metric(struct prom_writer *w)
{
	pb_bytes(&w->family, MF_METRIC, w->text.s, w->text.len);
}

void promproto_scalar(struct prom_writer *w, const struct prom_label *l, int nl, double v)
{
	metric_labels(w, l, nl);
	sb_reset(&w->scratch);
	pb_double(&w->scratch, 1, v);	/* Counter.value, Gauge.value */
	pb_bytes(&w->text, w->type == PROM_COUNTER ? M_COUNTER : M_GAUGE, w->scratch.s, w->scratch.len);
	add_metric(w);
}

void promproto_summary(struct prom_writer *w, const struct prom_label *l, int nl, uint64_t count, double sum)
{
	metric_labels(w, l, nl);
	sb_reset(&w->scratch);
	pb_uint(&w->scratch, 1, count);	/* sample_count */
	pb_double(&w->scratch, 2, sum);	/* sample_sum */
	pb_bytes(&w->text, M_SUMMARY, w->scratch.s, w->scratch.len);
	add_metric(w);
}

void promproto_histogram(struct prom_writer *w, const struct prom_label *l, int nl, const struct prom_hist *h)
{
	struct strbuf hist = { 0 }, bucket = { 0 };
	pb_uint(&hist, H_COUNT, h->count);
	/* unknown sums are NaN: honest, where 0 would pass for a measurement */
	pb_double(&hist, H_SUM, h->sum ? strtod(h->sum, NULL) : NAN);
	for (int i = 0; i < h->nbounds; i++) {
		sb_reset(&bucket);
		pb_uint(&bucket, B_CUMULATIVE, h->cum[i]);
		pb_double(&bucket, B_UPPER, strtod(h->le[i], NULL));
		pb_bytes(&hist, H_BUCKET, bucket.s, bucket.len);
	}
	if (h->native) {
		/* schema 0 (omitted: its default), zero threshold 0: the zero bucket holds exact zeros */
		pb_uint(&hist, H_ZERO_COUNT, h->zero_count);
		/* one span over every bucket from the first to the last used; a
		 * histogram with none still needs an empty span to read as native */
		sb_reset(&bucket);
		pb_tag(&bucket, SPAN_OFFSET, PB_VARINT);
		pb_varint(&bucket, pb_zigzag(h->ncounts ? h->first : 0));
		pb_uint(&bucket, SPAN_LENGTH, (uint64_t)h->ncounts);
		pb_bytes(&hist, H_POS_SPAN, bucket.s, bucket.len);
		uint64_t *deltas = xcalloc((size_t)(h->ncounts ? h->ncounts : 1), sizeof(*deltas));
		for (int i = 0; i < h->ncounts; i++)
			deltas[i] = pb_zigzag((int64_t)h->counts[i] - (int64_t)(i ? h->counts[i - 1] : 0));
		pb_packed(&hist, H_POS_DELTA, deltas, (size_t)h->ncounts);
		free(deltas);
	}
	metric_labels(w, l, nl);
	pb_bytes(&w->text, M_HISTOGRAM, hist.s, hist.len);
	add_metric(w);
	sb_free(&hist);
	sb_free(&bucket);
}

void promproto_done(struct prom_writer *w)
{
	pb_varint(w->out, w->family.len);
	if (w->family.len)
		sb_putn(w->out, w->family.s, w->family.len);
}
