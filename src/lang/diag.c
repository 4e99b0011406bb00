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

/* At most this much of a source line is repeated under a message: a window
 * around the marked columns, with "..." where the line goes on. */
#define LINE_WINDOW 160

static void print_source_line(struct diag *d, const struct source *src, struct span sp)
{
	const char *p = src->text;
	for (int l = 1; l < sp.line && p; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return;
	int len = (int)strcspn(p, "\n");
	int end = sp.end_line == sp.line ? sp.end_col : len + 1;
	if (end <= sp.col)
		end = sp.col + 1;
	/* columns [from, to) of the line are shown (1-based); the marker is clipped to them */
	int from = 1, to = len + 1;
	if (len > LINE_WINDOW) {
		from = sp.col - LINE_WINDOW / 4 > 1 ? sp.col - LINE_WINDOW / 4 : 1;
		to = from + LINE_WINDOW < len + 1 ? from + LINE_WINDOW : len + 1;
		if (to - from < LINE_WINDOW)
			from = to - LINE_WINDOW > 1 ? to - LINE_WINDOW : 1;
	}
	const char *lead = from > 1 ? "..." : "";
	fprintf(d->out, "%s%.*s%s\n", lead, to - from, p + from - 1, to <= len ? "..." : "");
	fputs(lead, d->out);
	for (int c = from; c < sp.col && c < to; c++)
		fputc(p[c - 1] == '\t' ? '\t' : ' ', d->out);
	for (int c = sp.col > from ? sp.col : from; c < end && c < to; c++)
		fputc('~', d->out);
	if (sp.col >= to || end <= from)
		fputc('~', d->out);	/* the marked part lies outside the window: still point */
	fputc('\n', d->out);
}

static void report(struct diag *d, const char *kind, struct span sp, const char *fmt, va_list ap)
{
	const struct source *src = d->src;
	int k = sp.line / DIAG_IMPORT_LINES;
	if (k >= 1 && k <= d->nimports) {	/* a line of an imported file */
		src = &d->imports[k - 1];
		sp.line -= k * DIAG_IMPORT_LINES;
		sp.end_line -= k * DIAG_IMPORT_LINES;
	}
	int end = sp.end_line == sp.line && sp.end_col > sp.col ? sp.end_col : sp.col + 1;
	if (d->generated) {
		fprintf(d->out, "%s: %s: ", kind, src->name);
		vfprintf(d->out, fmt, ap);
		fputc('\n', d->out);
		return;
	}
	fprintf(d->out, "%s:%d:%d-%d: %s: ", src->name, sp.line, sp.col, end, kind);
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	print_source_line(d, src, sp);
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
