/* printf engine. Each conversion is checked against a table, rebuilt as a
 * small C format string and handed to snprintf with the C type the length
 * modifier names, so the output matches C's printf byte for byte. */
#include "out/format.h"
#include <stdio.h>
#include <string.h>

/* Widths beyond this are almost surely typos and would make one event's
 * output megabytes long. */
#define FMT_MAX_WIDTH 4096

/* Longest first, so "hh" is not read as "h" + "h". */
static const struct {
	const char *text;
	int bits;
} length_mods[] = {
	{ "hh", 8 }, { "h", 16 }, { "ll", 64 }, { "l", 64 },
	{ "j", 64 }, { "z", 64 }, { "t", 64 },
};

typedef void emit_fn(struct strbuf *out, const char *cfmt, const struct fmt_value *v, int bits);

struct conv_info {
	char conv;
	enum fmt_arg_kind kind;
	const char *flags;	/* flags C defines for it; others are dropped */
	const char *cconv;	/* C length + conversion passed to snprintf */
	int takes_length;	/* accepts hh/h/l/...; else "%ls" etc. are errors */
	int takes_precision;	/* else ".N" is accepted and ignored */
	int fixed_bits;		/* nonzero: the modifier does not change the width */
	emit_fn *emit;
};

static emit_fn emit_signed, emit_unsigned, emit_char, emit_str, emit_ptr;

static const struct conv_info convs[] = {
	/* conv  kind     C flags  C conv  length? prec? fixed bits */
	{ 'd', FMT_INT, "-+ 0", "lld", 1, 1, 0, emit_signed },
	{ 'i', FMT_INT, "-+ 0", "lli", 1, 1, 0, emit_signed },
	{ 'u', FMT_INT, "-0", "llu", 1, 1, 0, emit_unsigned },
	{ 'o', FMT_INT, "-#0", "llo", 1, 1, 0, emit_unsigned },
	{ 'x', FMT_INT, "-#0", "llx", 1, 1, 0, emit_unsigned },
	{ 'X', FMT_INT, "-#0", "llX", 1, 1, 0, emit_unsigned },
	{ 'c', FMT_INT, "-", "c", 0, 0, 8, emit_char },
	/* New bpftrace ignores precision for strings (0.17 truncated). */
	{ 's', FMT_STR, "-", "s", 0, 0, 0, emit_str },
	/* a buf(): printable bytes as they are, others as \xNN */
	{ 'r', FMT_STR, "-", "s", 0, 0, 0, emit_str },
	/* 0.17 accepts %hp etc. and still prints all 64 bits. */
	{ 'p', FMT_INT, "-", "s", 1, 0, 64, emit_ptr },
};

static const char all_flags[] = "-+ #0";

/* One parsed "%..." token. ci is NULL for "%%". */
struct token {
	const struct conv_info *ci;
	unsigned flags;		/* bit i set: all_flags[i] was given */
	int width, prec;	/* -1 when absent */
	int bits;
};

static uint64_t truncate_bits(uint64_t v, int bits)
{
	return bits >= 64 ? v : v & ((UINT64_C(1) << bits) - 1);
}

static int64_t sign_extend(uint64_t v, int bits)
{
	if (bits >= 64)
		return (int64_t)v;
	uint64_t sign = UINT64_C(1) << (bits - 1);
	return (int64_t)((truncate_bits(v, bits) ^ sign) - sign);
}

static void emit_signed(struct strbuf *out, const char *cfmt, const struct fmt_value *v, int bits)
{
	sb_printf(out, cfmt, (long long)sign_extend((uint64_t)v->i, bits));
}

static void emit_unsigned(struct strbuf *out, const char *cfmt, const struct fmt_value *v, int bits)
{
	sb_printf(out, cfmt, (unsigned long long)truncate_bits((uint64_t)v->i, bits));
}

static void emit_char(struct strbuf *out, const char *cfmt, const struct fmt_value *v, int bits)
{
	(void)bits;
	sb_printf(out, cfmt, (int)(unsigned char)v->i);
}

static void emit_str(struct strbuf *out, const char *cfmt, const struct fmt_value *v, int bits)
{
	(void)bits;
	sb_printf(out, cfmt, v->s ? v->s : "");
}

/* glibc's %p prints "(nil)" for 0; bpftrace users expect 0x0, so the hex is
 * produced here and padded as a string. */
static void emit_ptr(struct strbuf *out, const char *cfmt, const struct fmt_value *v, int bits)
{
	char hex[24];
	(void)bits;
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(uint64_t)v->i);
	sb_printf(out, cfmt, hex);
}

static void set_err(char *err, size_t errlen, const char *what, const char *tok, size_t toklen)
{
	if (err && errlen)
		snprintf(err, errlen, "printf: %s: %.*s", what, (int)toklen, tok);
}

/* Reads digits at *q into *val; -1 when the number is too large. */
static int parse_number(const char **q, int *val)
{
	long n = 0;
	while (**q >= '0' && **q <= '9') {
		n = n * 10 + (**q - '0');
		if (n > FMT_MAX_WIDTH)
			return -1;
		(*q)++;
	}
	*val = (int)n;
	return 0;
}

/* Parses the token at p (which points at '%'): %[flags][width][.prec][len]conv.
 * Returns its length, or -1 with a message in err. */
static int parse_token(const char *p, struct token *t, char *err, size_t errlen)
{
	const char *q = p + 1, *f, *digits;
	size_t i;

	*t = (struct token){ .width = -1, .prec = -1, .bits = 32 };
	if (*q == '%')
		return 2;
	while (*q && (f = strchr(all_flags, *q))) {
		t->flags |= 1u << (f - all_flags);
		q++;
	}
	digits = q;
	if (parse_number(&q, &t->width) < 0)
		goto too_wide;
	if (q == digits)
		t->width = -1;
	if (*q == '.') {
		q++;
		if (parse_number(&q, &t->prec) < 0)
			goto too_wide;
	}
	int has_length = 0;
	for (i = 0; i < ARRAY_SIZE(length_mods); i++) {
		size_t n = strlen(length_mods[i].text);
		if (!strncmp(q, length_mods[i].text, n)) {
			t->bits = length_mods[i].bits;
			has_length = 1;
			q += n;
			break;
		}
	}
	if (!*q) {
		set_err(err, errlen, "Incomplete format string token", p, (size_t)(q - p));
		return -1;
	}
	for (i = 0; i < ARRAY_SIZE(convs); i++)
		if (convs[i].conv == *q)
			t->ci = &convs[i];
	if (!t->ci || (has_length && !t->ci->takes_length)) {
		set_err(err, errlen, "Unknown format string token", p, (size_t)(q - p + 1));
		return -1;
	}
	if (*q == 'r' && (q[1] == 'x' || q[1] == 'h')) {
		set_err(err, errlen, "Format string token not supported yet (only %r prints a buffer)", p, (size_t)(q - p + 2));
		return -1;
	}
	if (t->ci->fixed_bits)
		t->bits = t->ci->fixed_bits;
	if (t->ci->kind == FMT_STR)
		t->bits = 0;
	return (int)(q - p + 1);

too_wide:
	while (*q >= '0' && *q <= '9')
		q++;
	set_err(err, errlen, "Width or precision too large in format string token",
		p, (size_t)(q - p));
	return -1;
}

/* Rebuilds the token as a C format for snprintf, keeping only what C defines
 * for this conversion so the call never has undefined behaviour. */
static void build_cfmt(const struct token *t, char *cfmt, size_t len)
{
	char flags[sizeof(all_flags)] = "", *fp = flags;
	const char *f;
	int n;

	for (f = t->ci->flags; *f; f++)
		if (t->flags & (1u << (strchr(all_flags, *f) - all_flags)))
			*fp++ = *f;
	*fp = 0;
	n = snprintf(cfmt, len, "%%%s", flags);
	if (t->width >= 0)
		n += snprintf(cfmt + n, len - (size_t)n, "%d", t->width);
	if (t->prec >= 0 && t->ci->takes_precision)
		n += snprintf(cfmt + n, len - (size_t)n, ".%d", t->prec);
	snprintf(cfmt + n, len - (size_t)n, "%s", t->ci->cconv);
}

int fmt_parse(const char *fmt, struct fmt_spec *spec, char *err, size_t errlen)
{
	const char *p = fmt;
	struct token t;

	spec->nconv = 0;
	while ((p = strchr(p, '%'))) {
		int n = parse_token(p, &t, err, errlen);
		if (n < 0)
			return -1;
		if (t.ci) {
			if (spec->nconv == FMT_MAX_CONV) {
				if (err && errlen)
					snprintf(err, errlen, "printf: Too many conversions in format string (at most %d)",
						 FMT_MAX_CONV);
				return -1;
			}
			spec->conv[spec->nconv++] = (struct fmt_conv){
				.kind = t.ci->kind, .conv = t.ci->conv, .length_bits = t.bits,
			};
		}
		p += n;
	}
	return 0;
}

int fmt_check_args(const struct fmt_spec *spec, int nargs, char *err, size_t errlen)
{
	if (nargs == spec->nconv)
		return 0;
	if (err && errlen)
		snprintf(err, errlen, "printf: %s arguments for format string (%d supplied, %d expected)",
			 nargs > spec->nconv ? "Too many" : "Not enough", nargs, spec->nconv);
	return -1;
}

void fmt_render(struct strbuf *out, const char *fmt, const struct fmt_value *values, int nvalues)
{
	static const struct fmt_value missing = { 0, "" };
	const char *p = fmt, *pct;
	struct token t;
	char cfmt[32];
	int k = 0;

	while ((pct = strchr(p, '%'))) {
		sb_putn(out, p, (size_t)(pct - p));
		int n = parse_token(pct, &t, NULL, 0);
		if (n < 0) {		/* fmt_parse would have refused it */
			p = pct;
			break;
		}
		if (!t.ci) {
			sb_putc(out, '%');
		} else {
			build_cfmt(&t, cfmt, sizeof(cfmt));
			t.ci->emit(out, cfmt, k < nvalues ? &values[k] : &missing, t.bits);
			k++;
		}
		p = pct + n;
	}
	sb_puts(out, p);
}
