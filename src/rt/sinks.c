/*
 * The printf-like functions whose text does not go to the output as it is:
 * errorf/warnf (stderr, with the call's position and caret, as sema's
 * messages), system (the command's output; --unsafe) and cat (a file's
 * contents, at most MAX_CAT_BYTES, as bpftrace's max_cat_bytes default).
 */
#include "sinks.h"
#include "session.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_CAT_BYTES 10240

static void copy_stream(FILE *in, FILE *out, size_t max)
{
	char buf[4096];
	size_t n, total = 0;
	while (total < max && (n = fread(buf, 1, sizeof(buf) < max - total ? sizeof(buf) : max - total, in)) > 0) {
		fwrite(buf, 1, n, out);
		total += n;
	}
}

void sink_emit(struct session *s, const struct record *r, const char *text)
{
	size_t len = strlen(text);
	switch (r->sink) {
	case PRINTF_ERRORF:
	case PRINTF_WARNF: {
		/* the message is a line of its own: a trailing newline in the format is not doubled */
		int n = (int)(len && text[len - 1] == '\n' ? len - 1 : len);
		fflush(s->out);
		struct diag d = s->diag;	/* the run's error count is not the script's to raise */
		if (r->sink == PRINTF_ERRORF)
			diag_error(&d, r->span, "%.*s", n, text);
		else
			diag_warn(&d, r->span, "%.*s", n, text);
		fflush(d.out);
		return;
	}
	case PRINTF_SYSTEM: {
		fflush(s->out);
		FILE *p = popen(text, "r");
		if (!p) {
			fprintf(stderr, "ERROR: system(): cannot run '%s': %s\n", text, strerror(errno));
			return;
		}
		copy_stream(p, s->out, (size_t)-1);
		pclose(p);
		return;
	}
	case PRINTF_CAT: {
		FILE *f = fopen(text, "r");
		if (!f) {
			fflush(s->out);
			fprintf(stderr, "ERROR: failed to open file '%s': %s\n", text, strerror(errno));
			return;
		}
		copy_stream(f, s->out, MAX_CAT_BYTES);
		fclose(f);
		return;
	}
	}
}
