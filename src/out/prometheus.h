/*
 * Prometheus exposition: the text format 0.0.4 and OpenMetrics 1.0 text.
 * Names, labels and samples only; what is exported, and from which map,
 * is rt/metrics.c's business.
 */
#ifndef SONDE_OUT_PROMETHEUS_H
#define SONDE_OUT_PROMETHEUS_H
#include <stdint.h>
#include "../util/util.h"

enum prom_format { PROM_TEXT, PROM_OPENMETRICS, PROM_PROTOBUF };
#define PROM_FORMATS 3
enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM, PROM_SUMMARY };

#define PROM_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define PROM_OPENMETRICS_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define PROM_PROTOBUF_TYPE "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

/* The format an Accept header ranks first: protobuf (delimited MetricFamily
 * messages), OpenMetrics 1.0, else the text format. */
enum prom_format prom_negotiate(const char *accept);

/* A metric name: [a-zA-Z_:][a-zA-Z0-9_:]*, every other byte becomes '_'. */
void prom_metric_name(struct strbuf *out, const char *s);
/* A label name: [a-zA-Z_][a-zA-Z0-9_]*, never starting with "__" (reserved). */
void prom_label_name(struct strbuf *out, const char *s);
/* A label value between quotes: \ " and newline escaped. */
void prom_label_value(struct strbuf *out, const char *s, size_t n);

/*
 * `# HELP` and `# TYPE` of a family. NAME is the family's name: for a
 * counter without its `_total`, which the samples add.
 */
void prom_family(struct strbuf *out, enum prom_format f, const char *name, enum prom_type t, const char *help);
/* One sample: NAME SUFFIX{LABELS[,EXTRA]} VALUE; labels are rendered `a="x",b="y"`, either may be empty. */
void prom_sample(struct strbuf *out, const char *name, const char *suffix, const char *labels,
		 const char *extra, const char *value);
void prom_sample_int(struct strbuf *out, const char *name, const char *suffix, const char *labels,
		     const char *extra, int64_t v);
void prom_sample_uint(struct strbuf *out, const char *name, const char *suffix, const char *labels,
		      const char *extra, uint64_t v);
/* TEXT as a number divided by 10^exp, written exactly: ("1023", 9) → "0.000001023". */
void prom_decimal_shift(char *buf, size_t n, const char *text, int exp);
/* The end of a page: `# EOF` for OpenMetrics. */
void prom_end(struct strbuf *out, enum prom_format f);

/*
 * A family at a time, in any format: prom_begin(), one call per series,
 * prom_done(). Values come as decimal text (exact in the text formats,
 * parsed to a double for protobuf).
 */
struct prom_label {
	const char *name;
	const char *value;
	size_t len;
};

/* One series of a histogram. */
struct prom_hist {
	int nbounds;
	const char *const *le;	/* each finite bound, as text */
	const uint64_t *cum;	/* the cumulative count at each bound */
	uint64_t count;		/* all of them (+Inf) */
	const char *sum;	/* NULL: unknown (text: no _sum; protobuf: NaN) */
	/* protobuf only: the same counts as a native histogram of schema 0
	 * (bucket i is (2^(i-1), 2^i]); native = 0 sends classic buckets only */
	int native;
	uint64_t zero_count;	/* values of exactly 0 */
	int first;		/* the native index of counts[0] */
	int ncounts;
	const uint64_t *counts;
};

struct prom_writer {
	enum prom_format f;
	struct strbuf *out;
	const char *name;
	enum prom_type type;
	struct strbuf text;	/* reused: labels (text), a metric (protobuf) */
	struct strbuf family;	/* protobuf: the MetricFamily being built */
	struct strbuf scratch;	/* protobuf: nested messages */
};
void prom_begin(struct prom_writer *w, const char *name, enum prom_type t, const char *help);
void prom_scalar(struct prom_writer *w, const struct prom_label *l, int nl, const char *value);
void prom_summary(struct prom_writer *w, const struct prom_label *l, int nl, uint64_t count, const char *sum);
void prom_histogram(struct prom_writer *w, const struct prom_label *l, int nl, const struct prom_hist *h);
void prom_done(struct prom_writer *w);
void prom_writer_free(struct prom_writer *w);

/* promproto.c: the same as delimited io.prometheus.client.MetricFamily messages. */
void promproto_begin(struct prom_writer *w, const char *help);
void promproto_scalar(struct prom_writer *w, const struct prom_label *l, int nl, double v);
void promproto_summary(struct prom_writer *w, const struct prom_label *l, int nl, uint64_t count, double sum);
void promproto_histogram(struct prom_writer *w, const struct prom_label *l, int nl, const struct prom_hist *h);
void promproto_done(struct prom_writer *w);

#endif
