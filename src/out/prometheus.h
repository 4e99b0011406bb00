/*
 * Prometheus exposition: the text format 0.0.4 and OpenMetrics 1.0 text.
 * Names, labels and samples only; what is exported, and from which map,
 * is rt/metrics.c's business.
 */
#ifndef SONDE_OUT_PROMETHEUS_H
#define SONDE_OUT_PROMETHEUS_H
#include <stdint.h>
#include "../util/util.h"

enum prom_format { PROM_TEXT, PROM_OPENMETRICS };
enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM, PROM_SUMMARY };

#define PROM_TEXT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define PROM_OPENMETRICS_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

/* Whether an Accept header asks for OpenMetrics (and the text format does not rank above it). */
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

#endif
