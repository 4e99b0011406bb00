/* printf engine: a bpftrace format string is parsed once at compile time
 * (to type-check the arguments) and rendered in user space per event. */
#ifndef SONDE_OUT_FORMAT_H
#define SONDE_OUT_FORMAT_H
#include <stddef.h>
#include <stdint.h>
#include "util/util.h"

#define FMT_MAX_CONV 32

enum fmt_arg_kind { FMT_INT, FMT_STR };	/* what a conversion expects */

struct fmt_conv {
	enum fmt_arg_kind kind;
	char conv;		/* d i u o x X c s p */
	int length_bits;	/* 8/16/32/64 from hh, h, none, l/ll/j/z/t;
				   %p is 64, %c is 8, %s is 0 */
};

struct fmt_spec {
	int nconv;
	struct fmt_conv conv[FMT_MAX_CONV];
};

/* Parses fmt into spec. On error writes a message in bpftrace's words to err
 * (e.g. "printf: Unknown format string token: %q") and returns -1. */
int fmt_parse(const char *fmt, struct fmt_spec *spec, char *err, size_t errlen);

/* 0 when nargs matches spec->nconv; otherwise writes bpftrace's
 * "printf: Too many/Not enough arguments ..." message and returns -1. */
int fmt_check_args(const struct fmt_spec *spec, int nargs, char *err, size_t errlen);

struct fmt_value {
	int64_t i;		/* for FMT_INT */
	const char *s;		/* for FMT_STR, NUL-terminated; NULL prints "" */
};

/* Appends fmt rendered with values to out; values[k] matches conversion k of
 * fmt_parse's spec. fmt must have parsed cleanly; missing values print as
 * 0 / "". */
void fmt_render(struct strbuf *out, const char *fmt,
		const struct fmt_value *values, int nvalues);

#endif
