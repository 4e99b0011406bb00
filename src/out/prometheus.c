#include "prometheus.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The q of one Accept entry ("type;version=…;q=0.5"); 1 when absent. */
static double entry_q(const char *e, size_t n)
{
	for (const char *p = e; p < e + n; p++)
		if (*p == ';') {
			const char *k = p + 1;
			while (k < e + n && *k == ' ')
				k++;
			if (e + n - k > 2 && k[0] == 'q' && k[1] == '=')
				return strtod(k + 2, NULL);
		}
	return 1;
}

enum prom_format prom_negotiate(const char *accept)
{
	double om = 0, text = 0, proto = 0;
	for (const char *p = accept; p && *p;) {
		size_t n = strcspn(p, ",");
		while (n && *p == ' ')
			p++, n--;
		double q = entry_q(p, n);
		/* OpenMetrics 1.0 only: 0.0.1 was a draft */
		if (!strncasecmp(p, "application/openmetrics-text", 28) && !memmem(p, n, "version=0.0.1", 13))
			om = q > om ? q : om;
		else if (!strncasecmp(p, "application/vnd.google.protobuf", 31) &&
			 memmem(p, n, "proto=io.prometheus.client.MetricFamily", 39) && memmem(p, n, "encoding=delimited", 18))
			proto = q > proto ? q : proto;
		else if (!strncasecmp(p, "text/plain", 10))
			text = q > text ? q : text;
		p += n;
		if (*p == ',')
			p++;
	}
	if (proto > 0 && proto >= om && proto >= text)
		return PROM_PROTOBUF;
	return om > 0 && om >= text ? PROM_OPENMETRICS : PROM_TEXT;
}

static int is_alpha_(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

void prom_metric_name(struct strbuf *out, const char *s)
{
	if (!*s || is_digit(*s))
		sb_putc(out, '_');
	for (; *s; s++)
		sb_putc(out, is_alpha_(*s) || is_digit(*s) || *s == ':' ? *s : '_');
}

void prom_label_name(struct strbuf *out, const char *s)
{
	if (!*s || is_digit(*s))
		sb_putc(out, '_');
	else if (s[0] == '_' && s[1] == '_')
		s++;	/* "__" starts the names Prometheus keeps for itself */
	for (; *s; s++)
		sb_putc(out, is_alpha_(*s) || is_digit(*s) ? *s : '_');
}

void prom_label_value(struct strbuf *out, const char *s, size_t n)
{
	sb_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\')
			sb_puts(out, "\\\\");
		else if (s[i] == '"')
			sb_puts(out, "\\\"");
		else if (s[i] == '\n')
			sb_puts(out, "\\n");
		else
			sb_putc(out, s[i]);
	}
	sb_putc(out, '"');
}

/* HELP text: backslash and newline escaped (both formats; OpenMetrics also escapes quotes). */
static void help_text(struct strbuf *out, enum prom_format f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			sb_puts(out, "\\\\");
		else if (*s == '\n')
			sb_puts(out, "\\n");
		else if (*s == '"' && f == PROM_OPENMETRICS)
			sb_puts(out, "\\\"");
		else
			sb_putc(out, *s);
	}
}

void prom_family(struct strbuf *out, enum prom_format f, const char *name, enum prom_type t, const char *help)
{
	static const char *const types[] = {
		[PROM_COUNTER] = "counter", [PROM_GAUGE] = "gauge", [PROM_HISTOGRAM] = "histogram",
		[PROM_SUMMARY] = "summary",
	};
	/* the text format names a counter's family with its _total */
	const char *total = t == PROM_COUNTER && f == PROM_TEXT ? "_total" : "";
	if (help && *help) {
		sb_printf(out, "# HELP %s%s ", name, total);
		help_text(out, f, help);
		sb_putc(out, '\n');
	}
	sb_printf(out, "# TYPE %s%s %s\n", name, total, types[t]);
}

void prom_sample(struct strbuf *out, const char *name, const char *suffix, const char *labels,
		 const char *extra, const char *value)
{
	int have_labels = labels && *labels, have_extra = extra && *extra;
	sb_puts(out, name);
	sb_puts(out, suffix);
	if (have_labels || have_extra) {
		sb_putc(out, '{');
		if (have_labels)
			sb_puts(out, labels);
		if (have_labels && have_extra)
			sb_putc(out, ',');
		if (have_extra)
			sb_puts(out, extra);
		sb_putc(out, '}');
	}
	sb_putc(out, ' ');
	sb_puts(out, value);
	sb_putc(out, '\n');
}

void prom_sample_int(struct strbuf *out, const char *name, const char *suffix, const char *labels,
		     const char *extra, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	prom_sample(out, name, suffix, labels, extra, buf);
}

void prom_sample_uint(struct strbuf *out, const char *name, const char *suffix, const char *labels,
		      const char *extra, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	prom_sample(out, name, suffix, labels, extra, buf);
}

void prom_decimal_shift(char *buf, size_t n, const char *text, int exp)
{
	const char *sign = *text == '-' ? "-" : "";
	const char *digits = text + (*sign ? 1 : 0);
	int len = (int)strlen(digits);
	if (exp <= 0) {
		snprintf(buf, n, "%s", text);
	} else if (len > exp) {
		snprintf(buf, n, "%s%.*s.%s", sign, len - exp, digits, digits + len - exp);
	} else {
		snprintf(buf, n, "%s0.%0*d%s", sign, exp - len, 0, digits);
		if (exp == len)	/* %0*d with width 0 still writes the 0 */
			snprintf(buf, n, "%s0.%s", sign, digits);
	}
}

void prom_end(struct strbuf *out, enum prom_format f)
{
	if (f == PROM_OPENMETRICS)
		sb_puts(out, "# EOF\n");
}

/* ---- a family at a time ---- */

void prom_begin(struct prom_writer *w, const char *name, enum prom_type t, const char *help)
{
	w->name = name;
	w->type = t;
	if (w->f == PROM_PROTOBUF)
		promproto_begin(w, help);
	else
		prom_family(w->out, w->f, name, t, help);
}

static const char *labels_text(struct prom_writer *w, const struct prom_label *l, int nl)
{
	sb_reset(&w->text);
	for (int i = 0; i < nl; i++) {
		sb_printf(&w->text, "%s%s=", i ? "," : "", l[i].name);
		prom_label_value(&w->text, l[i].value ? l[i].value : "", l[i].len);
	}
	return sb_str(&w->text);
}

void prom_scalar(struct prom_writer *w, const struct prom_label *l, int nl, const char *value)
{
	if (w->f == PROM_PROTOBUF)
		promproto_scalar(w, l, nl, strtod(value, NULL));
	else
		prom_sample(w->out, w->name, w->type == PROM_COUNTER ? "_total" : "", labels_text(w, l, nl), NULL, value);
}

void prom_summary(struct prom_writer *w, const struct prom_label *l, int nl, uint64_t count, const char *sum)
{
	if (w->f == PROM_PROTOBUF) {
		promproto_summary(w, l, nl, count, strtod(sum, NULL));
		return;
	}
	const char *lb = labels_text(w, l, nl);
	prom_sample(w->out, w->name, "_sum", lb, NULL, sum);
	prom_sample_uint(w->out, w->name, "_count", lb, NULL, count);
}

void prom_histogram(struct prom_writer *w, const struct prom_label *l, int nl, const struct prom_hist *h)
{
	if (w->f == PROM_PROTOBUF) {
		promproto_histogram(w, l, nl, h);
		return;
	}
	const char *lb = labels_text(w, l, nl);
	struct strbuf le = { 0 };
	for (int i = 0; i < h->nbounds; i++) {
		sb_reset(&le);
		sb_printf(&le, "le=\"%s\"", h->le[i]);
		prom_sample_uint(w->out, w->name, "_bucket", lb, sb_str(&le), h->cum[i]);
	}
	sb_free(&le);
	prom_sample_uint(w->out, w->name, "_bucket", lb, "le=\"+Inf\"", h->count);
	if (h->sum)
		prom_sample(w->out, w->name, "_sum", lb, NULL, h->sum);
	prom_sample_uint(w->out, w->name, "_count", lb, NULL, h->count);
}

void prom_done(struct prom_writer *w)
{
	if (w->f == PROM_PROTOBUF)
		promproto_done(w);
}

void prom_writer_free(struct prom_writer *w)
{
	sb_free(&w->text);
	sb_free(&w->family);
	sb_free(&w->scratch);
}
