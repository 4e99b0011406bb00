/* PromQL lexer: Prometheus 2.x's token rules (numbers with hex, exponents,
 * Inf/NaN; three kinds of quotes with Go escapes; durations 1h30m, 100ms). */
#include "promql/lexer.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct lexer {
	struct arena *arena;
	const char *p;
	int line, col;
	struct pq_tokens *out;
	struct pq_error *err;
};

static int fail(struct lexer *lx, struct span sp, const char *msg, const char *text, int len)
{
	lx->err->sp = sp;
	if (text)
		snprintf(lx->err->msg, sizeof(lx->err->msg), "%s: \"%.*s\"", msg, len > 40 ? 40 : len, text);
	else
		snprintf(lx->err->msg, sizeof(lx->err->msg), "%s", msg);
	return -1;
}

static struct span here(const struct lexer *lx, int len)
{
	return (struct span){ lx->line, lx->col, lx->line, lx->col + (len > 0 ? len : 1) };
}

/* Moves over n bytes of one line. */
static void advance(struct lexer *lx, int n)
{
	lx->p += n;
	lx->col += n;
}

static void push(struct lexer *lx, enum pq_tok kind, enum pq_op op, int len)
{
	struct pq_token t = { kind, op, lx->p, len, here(lx, len), NULL };
	VEC_PUSH(*lx->out, t);
	advance(lx, len);
}

static int is_ident_start(int c) { return isalpha(c) || c == '_' || c == ':'; }
static int is_ident_char(int c) { return isalnum(c) || c == '_' || c == ':'; }

static int is_unit(int c) { return c && strchr("smhdwy", c); }

/* After digits and a unit letter, the rest of a duration: (digits unit)*. */
static int duration_length(const char *s)
{
	const char *p = s;
	while (isdigit((unsigned char)*p))
		p++;
	if (!is_unit(*p))
		return 0;
	do {
		if (p[0] == 'm' && p[1] == 's')
			p++;
		p++;
		if (!isdigit((unsigned char)*p))
			break;
		while (isdigit((unsigned char)*p))
			p++;
		if (!is_unit(*p))
			return -1;
	} while (1);
	return isalnum((unsigned char)*p) ? -1 : (int)(p - s);
}

/* Units descending, each at most once: Prometheus's model.ParseDuration. */
static int duration_valid(const char *s, int len)
{
	static const char *const units[] = { "y", "w", "d", "h", "m", "s", "ms" };
	int next = 0, any_nonzero = 0;
	const char *p = s, *end = s + len;
	while (p < end) {
		int zero = 1;
		while (p < end && isdigit((unsigned char)*p))
			zero &= *p++ == '0';
		int ulen = p + 1 < end && p[0] == 'm' && p[1] == 's' ? 2 : 1;
		int u = next;
		while (u < 7 && !(strlen(units[u]) == (size_t)ulen && !strncmp(units[u], p, ulen)))
			u++;
		if (u == 7)
			return 0;
		next = u + 1;
		any_nonzero |= !zero;
		p += ulen;
	}
	return any_nonzero ? 1 : 2;	/* 2: a valid zero duration */
}

static int lex_number_or_duration(struct lexer *lx)
{
	const char *s = lx->p, *p = s;
	int dlen = duration_length(s);
	if (dlen > 0) {
		if (!duration_valid(s, dlen))
			return fail(lx, here(lx, dlen), "not a valid duration string", s, dlen);
		push(lx, T_DURATION, PQ_OP_NONE, dlen);
		return 0;
	}
	int ok = dlen == 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		ok &= isxdigit((unsigned char)*p) != 0;
		while (isxdigit((unsigned char)*p))
			p++;
	} else {
		int digits = 0;
		for (; isdigit((unsigned char)*p); p++)
			digits++;
		if (*p == '.')
			for (p++; isdigit((unsigned char)*p); p++)
				digits++;
		ok &= digits > 0;
		if (*p == 'e' || *p == 'E') {
			p++;
			if (*p == '+' || *p == '-')
				p++;
			ok &= isdigit((unsigned char)*p) != 0;
			while (isdigit((unsigned char)*p))
				p++;
		}
	}
	int len = (int)(p - s);
	ok &= !is_ident_char((unsigned char)*p) && *p != '.';
	if (!ok) {
		while (is_ident_char((unsigned char)*p) || *p == '.')
			p++;
		return fail(lx, here(lx, (int)(p - s)), "bad number or duration syntax", s, (int)(p - s));
	}
	push(lx, T_NUMBER, PQ_OP_NONE, len);
	return 0;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

static void put_utf8(struct strbuf *sb, unsigned long cp)
{
	if (cp < 0x80) {
		sb_putc(sb, (char)cp);
	} else if (cp < 0x800) {
		sb_putc(sb, (char)(0xc0 | cp >> 6));
		sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		sb_putc(sb, (char)(0xe0 | cp >> 12));
		sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		sb_putc(sb, (char)(0xf0 | cp >> 18));
		sb_putc(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		sb_putc(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		sb_putc(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

/* One escape after the backslash at p[0]; its length, or -1 when unknown. */
static int lex_escape(const char *p, char quote, struct strbuf *val)
{
	static const char simple[] = "a\ab\bf\fn\nr\rt\tv\v\\\\";
	const char *e = strchr(simple, p[1]);
	if (p[1] && e && (e - simple) % 2 == 0) {
		sb_putc(val, e[1]);
		return 2;
	}
	if (p[1] == quote) {
		sb_putc(val, quote);
		return 2;
	}
	int digits = 0, base = 16, skip = 2;
	switch (p[1]) {
	case 'x': digits = 2; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	default:
		if (p[1] >= '0' && p[1] <= '7') {
			digits = 3, base = 8, skip = 1;
			break;
		}
		return -1;
	}
	unsigned long v = 0;
	for (int i = 0; i < digits; i++) {
		int c = (unsigned char)p[skip + i];
		if (base == 8 ? !(c >= '0' && c <= '7') : !isxdigit(c))
			return -1;
		v = v * (unsigned long)base + (unsigned long)hexval(c);
	}
	if (base == 8 && v > 255)
		return -1;
	if (p[1] == 'x' || base == 8)
		sb_putc(val, (char)v);	/* a byte, as Go's \x and octal escapes */
	else if (v > 0x10ffff || (v >= 0xd800 && v < 0xe000))
		return -1;
	else
		put_utf8(val, v);
	return skip + digits;
}

static int lex_string(struct lexer *lx)
{
	char quote = *lx->p;
	const char *p = lx->p + 1;
	struct strbuf val = { 0 };
	int line = lx->line, col = lx->col;
	int cur_line = line;
	const char *line_start = lx->p - (lx->col - 1);
	for (;;) {
		if (!*p || (*p == '\n' && quote != '`')) {
			sb_free(&val);
			struct span sp = { line, col, line, col + 1 };
			return fail(lx, sp, quote == '`' ? "unterminated raw string" : "unterminated quoted string", NULL, 0);
		}
		if (*p == quote)
			break;
		if (*p == '\\' && quote != '`') {
			int n = lex_escape(p, quote, &val);
			if (n < 0) {
				sb_free(&val);
				int c = (int)(p - line_start) + 1;
				struct span sp = { cur_line, c, cur_line, c + 2 };
				return fail(lx, sp, "unknown escape sequence", p, p[1] ? 2 : 1);
			}
			p += n;
			continue;
		}
		if (*p == '\n') {	/* raw strings may span lines */
			cur_line++;
			line_start = p + 1;
		}
		sb_putc(&val, *p++);
	}
	p++;
	struct pq_token t = { T_STRING, PQ_OP_NONE, lx->p, (int)(p - lx->p), { line, col, cur_line, (int)(p - line_start) + 1 },
			      arena_strndup(lx->arena, val.s ? val.s : "", val.len) };
	sb_free(&val);
	VEC_PUSH(*lx->out, t);
	lx->line = cur_line;
	lx->col = (int)(p - line_start) + 1;
	lx->p = p;
	return 0;
}

/* Two- then one-character signs. */
static const struct { const char *s; enum pq_tok kind; enum pq_op op; } signs[] = {
	{ "==", T_OP, PQ_EQL }, { "!=", T_OP, PQ_NEQ }, { ">=", T_OP, PQ_GTE }, { "<=", T_OP, PQ_LTE },
	{ "=~", T_EQL_REGEX, PQ_OP_NONE }, { "!~", T_NEQ_REGEX, PQ_OP_NONE },
	{ ">", T_OP, PQ_GTR }, { "<", T_OP, PQ_LSS }, { "+", T_OP, PQ_ADD }, { "-", T_OP, PQ_SUB },
	{ "*", T_OP, PQ_MUL }, { "/", T_OP, PQ_DIV }, { "%", T_OP, PQ_MOD }, { "^", T_OP, PQ_POW },
	{ "=", T_ASSIGN, PQ_OP_NONE }, { "(", T_LPAREN, PQ_OP_NONE }, { ")", T_RPAREN, PQ_OP_NONE },
	{ "{", T_LBRACE, PQ_OP_NONE }, { "}", T_RBRACE, PQ_OP_NONE }, { "[", T_LBRACKET, PQ_OP_NONE },
	{ "]", T_RBRACKET, PQ_OP_NONE }, { ",", T_COMMA, PQ_OP_NONE }, { ":", T_COLON, PQ_OP_NONE },
	{ "@", T_AT, PQ_OP_NONE },
};

static int word_is(const char *s, int len, const char *word)
{
	return (int)strlen(word) == len && !strncasecmp(s, word, (size_t)len);
}

int pq_lex(struct arena *arena, const char *text, struct pq_tokens *out, struct pq_error *err)
{
	struct lexer lx = { arena, text, 1, 1, out, err };
	int brackets = 0;	/* inside [ ], ':' separates range and step */
	while (*lx.p) {
		unsigned char c = (unsigned char)*lx.p;
		if (c == '\n') {
			lx.p++;
			lx.line++;
			lx.col = 1;
		} else if (isspace(c)) {
			advance(&lx, 1);
		} else if (c == '#') {
			while (*lx.p && *lx.p != '\n')
				advance(&lx, 1);
		} else if (isdigit(c) || (c == '.' && isdigit((unsigned char)lx.p[1]))) {
			if (lex_number_or_duration(&lx))
				return -1;
		} else if (c == '"' || c == '\'' || c == '`') {
			if (lex_string(&lx))
				return -1;
		} else if (is_ident_start(c) && !(c == ':' && brackets)) {
			int len = 1;
			/* a colon belongs to metric names, but not to the names of labels
			 * or to a subquery's "[5m:1m]" */
			while (is_ident_char((unsigned char)lx.p[len]) && !(lx.p[len] == ':' && brackets))
				len++;
			int num = word_is(lx.p, len, "inf") || word_is(lx.p, len, "nan");
			push(&lx, num ? T_NUMBER : T_IDENT, PQ_OP_NONE, len);
		} else {
			size_t i;
			for (i = 0; i < ARRAY_SIZE(signs); i++)
				if (lx.p[0] == signs[i].s[0] && (!signs[i].s[1] || lx.p[1] == signs[i].s[1]))
					break;
			if (i == ARRAY_SIZE(signs)) {
				int len = 1;
				while ((lx.p[len] & 0xc0) == 0x80)	/* the whole UTF-8 character */
					len++;
				return fail(&lx, here(&lx, len), "unexpected character", lx.p, len);
			}
			brackets += signs[i].kind == T_LBRACKET;
			brackets -= signs[i].kind == T_RBRACKET && brackets > 0;
			push(&lx, signs[i].kind, signs[i].op, (int)strlen(signs[i].s));
		}
	}
	/* "unexpected end of input" points just past the last token, not at
	 * trailing blank lines and comments */
	struct span end = here(&lx, 1);
	if (out->n) {
		struct span last = out->v[out->n - 1].sp;
		end = (struct span){ last.end_line, last.end_col, last.end_line, last.end_col + 1 };
	}
	struct pq_token eof = { T_EOF, PQ_OP_NONE, lx.p, 0, end, NULL };
	VEC_PUSH(*out, eof);
	return 0;
}

const char *pq_tok_describe(const struct pq_token *t, char *buf, size_t n)
{
	switch (t->kind) {
	case T_EOF: return "end of input";
	case T_IDENT: snprintf(buf, n, "identifier \"%.*s\"", t->len > 40 ? 40 : t->len, t->text); return buf;
	case T_NUMBER: snprintf(buf, n, "number \"%.*s\"", t->len > 40 ? 40 : t->len, t->text); return buf;
	case T_STRING: return "string";
	case T_DURATION: snprintf(buf, n, "duration \"%.*s\"", t->len, t->text); return buf;
	default: snprintf(buf, n, "\"%.*s\"", t->len, t->text); return buf;
	}
}
