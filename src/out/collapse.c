/*
 * bpftrace's map printout → folded stacks (see collapse.h for the layout).
 * A state machine fed one line at a time, so that flame graphs of any size
 * stream: outside an entry, inside one (its frames and key parts), and in
 * the histogram that may follow an entry's `]:`.
 */
#include "out/collapse.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

enum { OUTSIDE, ENTRY, HIST };

/* How much of an offending line an error quotes. */
#define QUOTE	60

static int blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static size_t trim_end(const char *s, size_t n)
{
	while (n && (blank(s[n - 1]) || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	return n;
}

static int fail(struct collapse *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct collapse *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_reset(&c->err);
	sb_vprintf(&c->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The length of `@NAME` at S, or 0. */
static size_t map_name_len(const char *s, size_t n)
{
	if (!n || s[0] != '@')
		return 0;
	size_t i = 1;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i;
}

int collapse_is_map_line(const char *s, size_t n)
{
	size_t i = map_name_len(s, n);
	return i && i < n && (s[i] == '[' || s[i] == ':');
}

/* Where the key ends in S: the `]` of the first `]:` followed by a blank or
 * the end of the line; N when there is none (the key goes on). */
static size_t key_end(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == ']' && s[i + 1] == ':' && (i + 2 == n || blank(s[i + 2])))
			return i;
	return n;
}

int collapse_is_entry_end(const char *s, size_t n)
{
	n = trim_end(s, n);
	return n && (s[0] == ']' || s[0] == ',') && key_end(s, n) < n;
}

static int hexval(char ch)
{
	return isdigit((unsigned char)ch) ? ch - '0' : tolower((unsigned char)ch) - 'a' + 10;
}

/* Appends S[0..N) with `;`, which separates folded frames, as `:` (as stackcollapse does). */
static void put_frame(struct strbuf *out, const char *s, size_t n)
{
	size_t start = out->len;
	sb_putn(out, s, n);
	for (size_t i = start; i < out->len; i++)
		if (out->s[i] == ';')
			out->s[i] = ':';
}

void collapse_frame(struct strbuf *out, const char *s, size_t n)
{
	n = trim_end(s, n);
	int perf = n && s[0] == '\t';
	while (n && blank(*s))
		s++, n--;
	int kernel = 0;
	/* perf mode, indented by a tab: "ADDR name+OFF (module)", ADDR in hex
	 * without 0x; the kernel's half has no module */
	size_t h = 0;
	while (perf && h < n && isxdigit((unsigned char)s[h]))
		h++;
	if (h && h < n && s[h] == ' ') {
		uint64_t addr = 0;
		for (size_t i = 0; i < h; i++)
			addr = addr << 4 | (uint64_t)hexval(s[i]);
		kernel = h <= 16 && addr >= UINT64_C(0xffff800000000000);
		s += h + 1;
		n -= h + 1;
		if (n && s[n - 1] == ')') {
			for (size_t i = n - 1; i > 0; i--) {
				if (s[i] == '(' && s[i - 1] == ' ') {
					n = i - 1;
					break;
				}
			}
		}
	}
	/* +OFF: decimal as bpftrace prints it, or 0x… */
	size_t e = n;
	while (e && isxdigit((unsigned char)s[e - 1]))
		e--;
	int hex = e >= 2 && s[e - 1] == 'x' && s[e - 2] == '0';
	size_t plus = hex ? e - 2 : e;
	int digits = 1;
	for (size_t i = e; !hex && i < n; i++)
		digits &= isdigit((unsigned char)s[i]) != 0;
	if (plus > 1 && e < n && s[plus - 1] == '+' && digits)
		n = plus - 1;
	if (!n)
		return;
	put_frame(out, s, n);
	if (kernel)
		sb_puts(out, "_[k]");
}

/* Adds the key parts in S[0..N), separated by `,`: the text ones become
 * frames, an empty one is an empty stack and adds nothing. With STACK_NEXT a
 * stack follows, so the line must end in `,` (or hold nothing). Returns the
 * number of empty parts, or -1. */
static int add_parts(struct collapse *c, const char *s, size_t n, int stack_next)
{
	int empty = 0;
	for (size_t i = 0;;) {
		const char *comma = memchr(s + i, ',', n - i);
		size_t a = i, b = comma ? (size_t)(comma - s) : n;
		while (a < b && blank(s[a]))
			a++;
		while (b > a && blank(s[b - 1]))
			b--;
		if (!comma && stack_next)
			return a == b ? empty : -1;
		if (a == b) {
			empty++;
		} else {
			put_frame(&c->parts, s + a, b - a);
			sb_putc(&c->parts, ';');
		}
		if (!comma)
			return empty;
		i = (size_t)(comma - s) + 1;
	}
}

/* Reads a decimal count at S; the number of bytes it took, 0 if none. */
static size_t read_count(const char *s, size_t n, uint64_t *count)
{
	size_t i = 0;
	*count = 0;
	for (; i < n && isdigit((unsigned char)s[i]); i++) {
		if (*count > (UINT64_MAX - 9) / 10)
			return 0;
		*count = *count * 10 + (uint64_t)(s[i] - '0');
	}
	return i;
}

/* The count an entry's VALUE (after `]:`) stands for: 1 and *COUNT; 0 when
 * it is empty (a histogram follows); -1 when it is none (a string, a
 * negative number). */
static int parse_value(const char *s, size_t n, uint64_t *count)
{
	/* stats() as sonde prints it, then as bpftrace 0.17 does */
	static const char *const stats[] = { "{ .count = ", "count " };
	while (n && blank(*s))
		s++, n--;
	if (!n)
		return 0;
	for (size_t k = 0; k < ARRAY_SIZE(stats); k++) {
		size_t len = strlen(stats[k]);
		if (n > len && !memcmp(s, stats[k], len)) {
			size_t d = read_count(s + len, n - len, count);
			return d && (len + d == n || s[len + d] == ',' || blank(s[len + d])) ? 1 : -1;
		}
	}
	size_t d = read_count(s, n, count);
	return d && d == n ? 1 : -1;
}

/* The count on a histogram's bucket line (`[4, 8)   12 |@@@  |`): 0 and
 * *COUNT, or -1 if the line is not one. */
static int bucket_count(const char *s, size_t n, uint64_t *count)
{
	if (!n || (s[0] != '[' && s[0] != '('))
		return -1;
	const char *bar = memchr(s, '|', n);
	if (!bar)
		return -1;
	size_t e = (size_t)(bar - s);
	while (e && blank(s[e - 1]))
		e--;
	size_t b = e;
	while (b && isdigit((unsigned char)s[b - 1]))
		b--;
	if (b == e || !b || !blank(s[b - 1]))
		return -1;
	return read_count(s + b, e - b, count) == e - b ? 0 : -1;
}

static void reset_entry(struct collapse *c)
{
	c->state = OUTSIDE;
	sb_reset(&c->parts);
	sb_reset(&c->frames);
	c->ends.n = 0;
}

/* Hands the entry read so far to EMIT as a folded stack, root first. */
static void emit_entry(struct collapse *c, uint64_t count, long line, collapse_fn emit, void *ctx)
{
	struct strbuf *st = &c->stack;
	sb_reset(st);
	if (c->name.len > 1) {	/* "@": the usual map, no frame of its own */
		sb_putn(st, c->name.s, c->name.len);
		sb_putc(st, ';');
	}
	if (c->parts.len)
		sb_putn(st, c->parts.s, c->parts.len);
	for (int k = c->ends.n - 1; k >= 0; k--) {
		size_t start = k ? c->ends.v[k - 1] : 0;
		sb_putn(st, c->frames.s + start, c->ends.v[k] - start);
		sb_putc(st, ';');
	}
	if (!c->parts.len && !c->ends.n)	/* `@[]: 5`: the samples still count */
		sb_puts(st, "[empty stack]");
	else
		st->len--;	/* the last ';' */
	emit(ctx, sb_str(st), st->len, count, line);
	reset_entry(c);
}

/* S[0..N) is what follows `]:`. */
static int finish(struct collapse *c, const char *s, size_t n, long lineno, collapse_fn emit, void *ctx)
{
	uint64_t count;
	while (n && blank(*s))
		s++, n--;
	int r = parse_value(s, n, &count);
	if (r < 0)
		return fail(c, "expected a count after ']:' (the value of count(), sum() or stats(), or a "
			    "histogram), got '%.*s'", (int)(n < QUOTE ? n : QUOTE), s);
	if (r == 0) {
		c->state = HIST;
		c->count = 0;
		c->count_line = lineno;
		return 0;
	}
	emit_entry(c, count, lineno, emit, ctx);
	return 0;
}

static int outside_line(struct collapse *c, const char *s, size_t n, long lineno, collapse_fn emit, void *ctx)
{
	if (!collapse_is_map_line(s, n)) {
		if (collapse_is_entry_end(s, n))
			return fail(c, "'%.*s' ends a map entry that never began (expected a line '@NAME[' before it)",
				    (int)(n < QUOTE ? n : QUOTE), s);
		return 0;	/* "Attached 1 probe", printf output, … */
	}
	size_t i = map_name_len(s, n);
	sb_reset(&c->name);
	sb_putn(&c->name, s, i);
	if (s[i] == ':') {	/* no key, no stack */
		c->passed++;
		return 0;
	}
	s += i + 1;
	n -= i + 1;
	size_t k = key_end(s, n);
	if (k == n) {
		if (add_parts(c, s, n, 1) < 0) {
			reset_entry(c);
			return fail(c, "expected a line that starts a map entry to end in '[' or ', ' (a stack "
				    "follows), got '%.*s'", (int)(n < QUOTE ? n : QUOTE), s);
		}
		c->state = ENTRY;
		c->start = lineno;
		return 0;
	}
	if (!add_parts(c, s, k, 0)) {	/* no empty stack in the key: not a stack map */
		reset_entry(c);
		c->passed++;
		return 0;
	}
	return finish(c, s + k + 2, n - k - 2, lineno, emit, ctx);
}

static int entry_line(struct collapse *c, const char *s, size_t n, long lineno, collapse_fn emit, void *ctx)
{
	if (n && blank(s[0])) {
		collapse_frame(&c->frames, s, n);
		if (!c->ends.n || c->frames.len > c->ends.v[c->ends.n - 1])
			VEC_PUSH(c->ends, c->frames.len);
		return 0;
	}
	if (n && (s[0] == ',' || s[0] == ']')) {
		if (s[0] == ',')
			s++, n--;
		size_t k = key_end(s, n);
		if (k == n) {
			if (add_parts(c, s, n, 1) < 0)
				return fail(c, "expected ', ' at the end of a line of key parts inside the entry of "
					    "%s that began on line %ld, got '%.*s'", sb_str(&c->name), c->start,
					    (int)(n < QUOTE ? n : QUOTE), s);
			return 0;
		}
		add_parts(c, s, k, 0);
		return finish(c, s + k + 2, n - k - 2, lineno, emit, ctx);
	}
	if (!n)
		return fail(c, "expected a stack frame (indented), ', ' or ']: COUNT' inside the entry of %s that "
			    "began on line %ld, got a blank line", sb_str(&c->name), c->start);
	return fail(c, "expected a stack frame (indented), ', ' or ']: COUNT' inside the entry of %s that began "
		    "on line %ld, got '%.*s'", sb_str(&c->name), c->start, (int)(n < QUOTE ? n : QUOTE), s);
}

int collapse_line(struct collapse *c, const char *s, size_t n, long lineno, collapse_fn emit, void *ctx)
{
	n = trim_end(s, n);
	if (c->state == HIST) {
		uint64_t count;
		if (!bucket_count(s, n, &count)) {
			c->count += count < UINT64_MAX - c->count ? count : UINT64_MAX - c->count;
			return 0;
		}
		emit_entry(c, c->count, c->count_line, emit, ctx);
	}
	if (c->state == ENTRY)
		return entry_line(c, s, n, lineno, emit, ctx);
	return outside_line(c, s, n, lineno, emit, ctx);
}

int collapse_end(struct collapse *c, collapse_fn emit, void *ctx)
{
	if (c->state == HIST)
		emit_entry(c, c->count, c->count_line, emit, ctx);
	if (c->state == ENTRY)
		return fail(c, "the input ends inside the entry of %s that began on line %ld (expected ']: COUNT')",
			    sb_str(&c->name), c->start);
	return 0;
}

void collapse_free(struct collapse *c)
{
	sb_free(&c->name);
	sb_free(&c->parts);
	sb_free(&c->frames);
	sb_free(&c->stack);
	sb_free(&c->err);
	free(c->ends.v);
}
