#include "diag.h"
#include <stdarg.h>
#include <string.h>

struct span span_join(struct span a, struct span b)
{
	struct span s = a;
	s.end_line = b.end_line;
	s.end_col = b.end_col;
	return s;
}

static void print_source_line(struct diag *d, struct span sp)
{
	const char *p = d->src->text;
	for (int l = 1; l < sp.line && p; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return;
	size_t len = strcspn(p, "\n");
	fprintf(d->out, "%.*s\n", (int)len, p);
	int end = sp.end_line == sp.line ? sp.end_col : (int)len + 1;
	if (end <= sp.col)
		end = sp.col + 1;
	for (int c = 1; c < sp.col; c++)
		fputc(p[c - 1] == '\t' ? '\t' : ' ', d->out);
	for (int c = sp.col; c < end; c++)
		fputc('~', d->out);
	fputc('\n', d->out);
}

static void report(struct diag *d, const char *kind, struct span sp, const char *fmt, va_list ap)
{
	int end = sp.end_line == sp.line && sp.end_col > sp.col ? sp.end_col : sp.col + 1;
	fprintf(d->out, "%s:%d:%d-%d: %s: ", d->src->name, sp.line, sp.col, end, kind);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	print_source_line(d, sp);
}

void diag_error(struct diag *d, struct span sp, const char *fmt, ...)
{
	if (!d->out) {	/* a silent diag only counts */
		d->errors++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	report(d, "ERROR", sp, fmt, ap);
	va_end(ap);
	d->errors++;
}

void diag_warn(struct diag *d, struct span sp, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(d, "WARNING", sp, fmt, ap);
	va_end(ap);
}

void diag_plain(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("ERROR: ", d->out);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	va_end(ap);
	d->errors++;
}
