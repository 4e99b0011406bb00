#include "lexer.h"
#include "../util/util.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const tok_names[T_COUNT_] = {
	[T_EOF] = "end of file", [T_ERROR] = "invalid token", [T_INT] = "integer",
	[T_STR] = "string", [T_IDENT] = "identifier", [T_VAR] = "variable",
	[T_MAP] = "map", [T_POSPARAM] = "positional parameter", [T_POSCOUNT] = "$#",
	[T_LPAREN] = "(", [T_RPAREN] = ")", [T_LBRACE] = "{", [T_RBRACE] = "}",
	[T_LBRACKET] = "[", [T_RBRACKET] = "]", [T_SEMI] = ";", [T_COMMA] = "\",\"",
	[T_DOT] = ".", [T_ARROW] = "->", [T_QUESTION] = "?", [T_COLON] = ":", [T_DOTDOT] = "..",
	[T_PLUS] = "+", [T_MINUS] = "-", [T_STAR] = "*", [T_SLASH] = "/",
	[T_PERCENT] = "%", [T_AMP] = "&", [T_PIPE] = "|", [T_CARET] = "^",
	[T_TILDE] = "~", [T_BANG] = "!", [T_LT] = "<", [T_GT] = ">", [T_LE] = "<=",
	[T_GE] = ">=", [T_EQ] = "==", [T_NE] = "!=", [T_SHL] = "<<", [T_SHR] = ">>",
	[T_ANDAND] = "&&", [T_OROR] = "||", [T_ASSIGN] = "=", [T_INC] = "++",
	[T_DEC] = "--", [T_ADD_ASSIGN] = "+=", [T_SUB_ASSIGN] = "-=",
	[T_MUL_ASSIGN] = "*=", [T_DIV_ASSIGN] = "/=", [T_MOD_ASSIGN] = "%=",
	[T_AND_ASSIGN] = "&=", [T_OR_ASSIGN] = "|=", [T_XOR_ASSIGN] = "^=",
	[T_SHL_ASSIGN] = "<<=", [T_SHR_ASSIGN] = ">>=",
};

const char *tok_name(enum tok t)
{
	return t < T_COUNT_ ? tok_names[t] : "?";
}

void lexer_init(struct lexer *lx, const char *src, struct diag *diag)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = src;
	lx->line = 1;
	lx->col = 1;
	lx->diag = diag;
	/* A #! line is a comment. */
	if (src[0] == '#' && src[1] == '!')
		while (lx->src[lx->pos] && lx->src[lx->pos] != '\n')
			lx->pos++, lx->col++;
}

void lexer_free(struct lexer *lx)
{
	for (int i = 0; i < lx->nowned; i++)
		free(lx->owned[i]);
	free(lx->owned);
}

static char *own(struct lexer *lx, char *s)
{
	if (lx->nowned == lx->capowned) {
		lx->capowned = lx->capowned ? 2 * lx->capowned : 16;
		lx->owned = xrealloc(lx->owned, (size_t)lx->capowned * sizeof(char *));
	}
	lx->owned[lx->nowned++] = s;
	return s;
}

static int cur(struct lexer *lx)
{
	return (unsigned char)lx->src[lx->pos];
}

static int at(struct lexer *lx, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (!lx->src[lx->pos + i])
			return 0;
	return (unsigned char)lx->src[lx->pos + k];
}

static void advance(struct lexer *lx)
{
	if (!lx->src[lx->pos])
		return;
	if (lx->src[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static struct span here(struct lexer *lx)
{
	return (struct span){ lx->line, lx->col, lx->line, lx->col + 1 };
}

static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		int c = cur(lx);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
			advance(lx);
		} else if (c == '/' && at(lx, 1) == '/') {
			while (cur(lx) && cur(lx) != '\n')
				advance(lx);
		} else if (c == '/' && at(lx, 1) == '*') {
			struct span sp = here(lx);
			advance(lx);
			advance(lx);
			while (cur(lx) && !(cur(lx) == '*' && at(lx, 1) == '/'))
				advance(lx);
			if (!cur(lx)) {
				sp.end_col = sp.col + 2;
				diag_error(lx->diag, sp, "unterminated comment");
				return;
			}
			advance(lx);
			advance(lx);
		} else {
			return;
		}
	}
}

int lexer_peek_char(struct lexer *lx)
{
	skip_blanks(lx);
	return cur(lx);
}

static struct token start_token(struct lexer *lx)
{
	struct token t = { 0 };
	t.span = here(lx);
	t.text = lx->src + lx->pos;
	return t;
}

static void finish(struct lexer *lx, struct token *t, enum tok kind)
{
	t->kind = kind;
	t->len = (size_t)(lx->src + lx->pos - t->text);
	t->span.end_line = lx->line;
	t->span.end_col = lx->col;
}

/*
 * A C integer suffix (kept for C headers' sake, no effect on the type) or a
 * duration unit, which turns the literal into nanoseconds (bpftrace 0.2x):
 * 1 when SUFFIX is one, with its multiplier in *SCALE.
 */
static int literal_suffix(const char *suffix, size_t len, uint64_t *scale)
{
	static const struct { const char *name; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000ULL }, { "ms", 1000000ULL }, { "s", 1000000000ULL },
		{ "m", 60000000000ULL }, { "h", 3600000000000ULL }, { "d", 86400000000000ULL },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strlen(units[i].name) == len && !strncmp(suffix, units[i].name, len)) {
			*scale = units[i].ns;
			return 1;
		}
	/* U, L, UL, LU, LL, ULL, LLU in either case: at most one U, at most two Ls */
	size_t us = 0, ls = 0;
	for (size_t i = 0; i < len; i++) {
		if (suffix[i] == 'u' || suffix[i] == 'U')
			us++;
		else if (suffix[i] == 'l' || suffix[i] == 'L')
			ls++;
		else
			return 0;
	}
	if (us > 1 || ls > 2)
		return 0;
	*scale = 1;
	return 1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static struct token lex_number(struct lexer *lx, struct token t)
{
	uint64_t v = 0;
	int overflow = 0;
	if (cur(lx) == '0' && (at(lx, 1) == 'x' || at(lx, 1) == 'X') && hexval(at(lx, 2)) >= 0) {
		advance(lx);
		advance(lx);
		while (hexval(cur(lx)) >= 0 || cur(lx) == '_') {
			if (cur(lx) != '_') {
				if (v >> 60)
					overflow = 1;
				v = v * 16 + (uint64_t)hexval(cur(lx));
			}
			advance(lx);
		}
	} else {
		while (isdigit(cur(lx)) || (cur(lx) == '_' && isdigit(at(lx, 1)))) {
			if (cur(lx) != '_') {
				uint64_t d = (uint64_t)(cur(lx) - '0');
				if (v > (UINT64_MAX - d) / 10)
					overflow = 1;
				v = v * 10 + d;
			}
			advance(lx);
		}
		/* 1e6: an integer in scientific notation */
		if ((cur(lx) == 'e' || cur(lx) == 'E') && isdigit(at(lx, 1))) {
			advance(lx);
			int e = 0;
			while (isdigit(cur(lx))) {
				e = e * 10 + (cur(lx) - '0');
				if (e > 30 && v)
					overflow = 1;
				if (e > 30)
					e = 30;
				advance(lx);
			}
			for (int i = 0; i < e && !overflow && v; i++) {
				if (v > UINT64_MAX / 10)
					overflow = 1;
				v *= 10;
			}
		}
	}
	if (isalpha(cur(lx)) || cur(lx) == '_') {
		const char *suffix = lx->src + lx->pos;
		while (isalnum(cur(lx)) || cur(lx) == '_')
			advance(lx);
		uint64_t scale;
		if (!literal_suffix(suffix, (size_t)(lx->src + lx->pos - suffix), &scale)) {
			finish(lx, &t, T_ERROR);
			diag_error(lx->diag, t.span, "invalid integer literal: %.*s (suffixes: U, L, UL, LL, ULL; "
				   "durations in nanoseconds: ns, us, ms, s, m, h, d)", (int)t.len, t.text);
			return t;
		}
		if (v && scale > UINT64_MAX / v)
			overflow = 1;
		v *= scale;
	}
	finish(lx, &t, T_INT);
	if (overflow) {
		diag_error(lx->diag, t.span, "integer literal too large: %.*s", (int)t.len, t.text);
		t.kind = T_ERROR;
	}
	t.ival = v;
	return t;
}

static struct token lex_string(struct lexer *lx, struct token t)
{
	struct strbuf sb = { 0 };
	advance(lx);	/* opening quote */
	while (cur(lx) && cur(lx) != '"' && cur(lx) != '\n') {
		int c = cur(lx);
		if (c != '\\') {
			sb_putc(&sb, (char)c);
			advance(lx);
			continue;
		}
		advance(lx);
		c = cur(lx);
		int v;
		switch (c) {
		case 'n': sb_putc(&sb, '\n'); advance(lx); break;
		case 't': sb_putc(&sb, '\t'); advance(lx); break;
		case 'r': sb_putc(&sb, '\r'); advance(lx); break;
		case '\\': sb_putc(&sb, '\\'); advance(lx); break;
		case '"': sb_putc(&sb, '"'); advance(lx); break;
		case 'x':
			advance(lx);
			if (hexval(cur(lx)) < 0) {
				diag_error(lx->diag, here(lx), "invalid escape: \\x needs hexadecimal digits");
				break;
			}
			v = 0;
			for (int i = 0; i < 2 && hexval(cur(lx)) >= 0; i++) {
				v = v * 16 + hexval(cur(lx));
				advance(lx);
			}
			sb_putc(&sb, (char)v);
			break;
		default:
			if (c >= '0' && c <= '7') {
				v = 0;
				struct span sp = here(lx);
				for (int i = 0; i < 3 && cur(lx) >= '0' && cur(lx) <= '7'; i++) {
					v = v * 8 + (cur(lx) - '0');
					advance(lx);
				}
				if (v > 255)
					diag_error(lx->diag, sp, "invalid escape: octal value over \\377");
				sb_putc(&sb, (char)v);
			} else {
				struct span sp = here(lx);
				diag_error(lx->diag, sp, "invalid escape character '\\%c'", c ? c : ' ');
				if (c)
					advance(lx);
			}
		}
	}
	if (cur(lx) != '"') {
		finish(lx, &t, T_ERROR);
		diag_error(lx->diag, t.span, "unterminated string");
		sb_free(&sb);
		return t;
	}
	advance(lx);
	finish(lx, &t, T_STR);
	t.str_len = sb.len;
	t.str = own(lx, sb.s ? sb.s : xstrdup(""));
	return t;
}

static int is_ident_start(int c)
{
	return isalpha(c) || c == '_';
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

struct op {
	const char *text;
	enum tok kind;
};

/* Longest first, so "<<=" wins over "<<" and "<". */
static const struct op ops[] = {
	{ "<<=", T_SHL_ASSIGN }, { ">>=", T_SHR_ASSIGN },
	{ "->", T_ARROW }, { "..", T_DOTDOT }, { "<=", T_LE }, { ">=", T_GE }, { "==", T_EQ }, { "!=", T_NE },
	{ "<<", T_SHL }, { ">>", T_SHR }, { "&&", T_ANDAND }, { "||", T_OROR },
	{ "++", T_INC }, { "--", T_DEC }, { "+=", T_ADD_ASSIGN }, { "-=", T_SUB_ASSIGN },
	{ "*=", T_MUL_ASSIGN }, { "/=", T_DIV_ASSIGN }, { "%=", T_MOD_ASSIGN },
	{ "&=", T_AND_ASSIGN }, { "|=", T_OR_ASSIGN }, { "^=", T_XOR_ASSIGN },
	{ "(", T_LPAREN }, { ")", T_RPAREN }, { "{", T_LBRACE }, { "}", T_RBRACE },
	{ "[", T_LBRACKET }, { "]", T_RBRACKET }, { ";", T_SEMI }, { ",", T_COMMA },
	{ ".", T_DOT }, { "?", T_QUESTION }, { ":", T_COLON }, { "+", T_PLUS },
	{ "-", T_MINUS }, { "*", T_STAR }, { "/", T_SLASH }, { "%", T_PERCENT },
	{ "&", T_AMP }, { "|", T_PIPE }, { "^", T_CARET }, { "~", T_TILDE },
	{ "!", T_BANG }, { "<", T_LT }, { ">", T_GT }, { "=", T_ASSIGN },
};

struct token lexer_next(struct lexer *lx)
{
	skip_blanks(lx);
	struct token t = start_token(lx);
	int c = cur(lx);
	if (!c) {
		finish(lx, &t, T_EOF);
		return t;
	}
	if (isdigit(c))
		return lex_number(lx, t);
	if (c == '"')
		return lex_string(lx, t);
	if (is_ident_start(c)) {
		while (is_ident(cur(lx)))
			advance(lx);
		finish(lx, &t, T_IDENT);
		t.str = own(lx, xstrndup(t.text, t.len));
		return t;
	}
	if (c == '$') {
		advance(lx);
		if (cur(lx) == '#') {
			advance(lx);
			finish(lx, &t, T_POSCOUNT);
			return t;
		}
		if (isdigit(cur(lx))) {
			uint64_t v = 0;
			while (isdigit(cur(lx))) {
				if (v < 1000000)
					v = v * 10 + (uint64_t)(cur(lx) - '0');
				advance(lx);
			}
			finish(lx, &t, T_POSPARAM);
			t.ival = v;
			if (v > 100000) {
				t.kind = T_ERROR;
				diag_error(lx->diag, t.span, "positional parameter number too large: %.*s", (int)t.len, t.text);
			}
			return t;
		}
		if (!is_ident_start(cur(lx))) {
			finish(lx, &t, T_ERROR);
			diag_error(lx->diag, t.span, "syntax error, unexpected $");
			return t;
		}
		while (is_ident(cur(lx)))
			advance(lx);
		finish(lx, &t, T_VAR);
		t.str = own(lx, xstrndup(t.text, t.len));
		return t;
	}
	if (c == '@') {
		advance(lx);
		while (is_ident(cur(lx)))
			advance(lx);
		finish(lx, &t, T_MAP);
		t.str = own(lx, xstrndup(t.text, t.len));
		return t;
	}
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t n = strlen(ops[i].text);
		if (strncmp(lx->src + lx->pos, ops[i].text, n) == 0) {
			for (size_t k = 0; k < n; k++)
				advance(lx);
			finish(lx, &t, ops[i].kind);
			return t;
		}
	}
	advance(lx);
	finish(lx, &t, T_ERROR);
	if (isprint(c))
		diag_error(lx->diag, t.span, "syntax error, invalid character '%c'", c);
	else
		diag_error(lx->diag, t.span, "syntax error, invalid character 0x%02x", c);
	return t;
}

/* Probe types whose second part is a binary, where a relative path may hold '/'. */
static int takes_binary(const char *ap)
{
	static const char *const names[] = { "uprobe", "uretprobe", "usdt", "u", "ur", "U" };
	size_t n = strcspn(ap, ":");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && !strncmp(ap, names[i], n))
			return 1;
	return 0;
}

/*
 * An attach point runs to a blank, ',' or '{'. A '/' starts the predicate
 * unless it begins a path segment (uprobe:/bin/bash:readline), continues one,
 * or stands in the second part (uprobe:build/app:main), where binaries go.
 * Quoted parts ("main.(*Arith).Mul") are taken verbatim without the quotes.
 */
struct token lexer_attach_point(struct lexer *lx)
{
	skip_blanks(lx);
	struct token t = start_token(lx);
	struct strbuf sb = { 0 };
	int seg_start = 1, seg_is_path = 0, colons = 0;
	/* Punctuation cannot start an attach point: `BEGIN { } }` has a stray brace. */
	if (cur(lx) && strchr("}){;)]/=", cur(lx))) {
		advance(lx);
		finish(lx, &t, T_ERROR);
		diag_error(lx->diag, t.span, "syntax error, unexpected %c, expecting attach point", t.text[0]);
		return t;
	}
	for (;;) {
		int c = cur(lx);
		if (!c || isspace(c) || c == ',' || c == '{')
			break;
		if (c == '/' && !seg_start && !seg_is_path && !(colons == 1 && takes_binary(sb_str(&sb))))
			break;
		if (c == '"') {
			advance(lx);
			while (cur(lx) && cur(lx) != '"' && cur(lx) != '\n') {
				sb_putc(&sb, (char)cur(lx));
				advance(lx);
			}
			if (cur(lx) != '"') {
				finish(lx, &t, T_ERROR);
				diag_error(lx->diag, t.span, "unterminated string in attach point");
				sb_free(&sb);
				return t;
			}
			advance(lx);
			seg_start = 0;
			continue;
		}
		if (seg_start)
			seg_is_path = c == '/' || c == '.';
		if (c == '/' && colons == 1 && takes_binary(sb_str(&sb)))
			seg_is_path = 1;
		seg_start = c == ':';
		colons += c == ':';
		sb_putc(&sb, (char)c);
		advance(lx);
	}
	finish(lx, &t, sb.len ? T_STR : T_ERROR);
	if (!sb.len) {
		t.span.end_col = t.span.col + 1;
		if (cur(lx))
			diag_error(lx->diag, t.span, "syntax error, unexpected %c, expecting attach point", cur(lx));
		else
			diag_error(lx->diag, t.span, "syntax error, unexpected end of file, expecting attach point");
		return t;
	}
	t.str_len = sb.len;
	t.str = own(lx, sb.s);
	return t;
}
