/* The lexer (language spec 1 and 3): tokens, values, spans, attach points and
 * the exact text of lexical errors. */
#include "test.h"
#include "lang/lexer.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char result[4096];
static char diag_text[4096];

/* Short names for the token kinds, so an expectation reads like the input. */
static const char *const kind_names[T_COUNT_] = {
	[T_EOF] = "EOF", [T_ERROR] = "ERROR", [T_INT] = "INT", [T_STR] = "STR",
	[T_IDENT] = "IDENT", [T_VAR] = "VAR", [T_MAP] = "MAP", [T_POSPARAM] = "POSPARAM",
	[T_POSCOUNT] = "POSCOUNT", [T_LPAREN] = "LPAREN", [T_RPAREN] = "RPAREN",
	[T_LBRACE] = "LBRACE", [T_RBRACE] = "RBRACE", [T_LBRACKET] = "LBRACKET",
	[T_RBRACKET] = "RBRACKET", [T_SEMI] = "SEMI", [T_COMMA] = "COMMA", [T_DOT] = "DOT",
	[T_ARROW] = "ARROW", [T_QUESTION] = "QUESTION", [T_COLON] = "COLON",
	[T_PLUS] = "PLUS", [T_MINUS] = "MINUS", [T_STAR] = "STAR", [T_SLASH] = "SLASH",
	[T_PERCENT] = "PERCENT", [T_AMP] = "AMP", [T_PIPE] = "PIPE", [T_CARET] = "CARET",
	[T_TILDE] = "TILDE", [T_BANG] = "BANG", [T_LT] = "LT", [T_GT] = "GT", [T_LE] = "LE",
	[T_GE] = "GE", [T_EQ] = "EQ", [T_NE] = "NE", [T_SHL] = "SHL", [T_SHR] = "SHR",
	[T_ANDAND] = "ANDAND", [T_OROR] = "OROR", [T_ASSIGN] = "ASSIGN", [T_INC] = "INC",
	[T_DEC] = "DEC", [T_ADD_ASSIGN] = "ADD_ASSIGN", [T_SUB_ASSIGN] = "SUB_ASSIGN",
	[T_MUL_ASSIGN] = "MUL_ASSIGN", [T_DIV_ASSIGN] = "DIV_ASSIGN",
	[T_MOD_ASSIGN] = "MOD_ASSIGN", [T_AND_ASSIGN] = "AND_ASSIGN",
	[T_OR_ASSIGN] = "OR_ASSIGN", [T_XOR_ASSIGN] = "XOR_ASSIGN",
	[T_SHL_ASSIGN] = "SHL_ASSIGN", [T_SHR_ASSIGN] = "SHR_ASSIGN",
};

/* Diagnostics go to a memory stream; end_capture() copies them to diag_text. */
struct capture {
	struct source src;
	struct diag diag;
	char *buf;
	size_t len;
};

static void begin_capture(struct capture *c, const char *text)
{
	c->src.name = "t";
	c->src.text = text;
	c->buf = NULL;
	c->len = 0;
	c->diag.src = &c->src;
	c->diag.out = open_memstream(&c->buf, &c->len);
	c->diag.errors = 0;
	c->diag.generated = 0;
}

static void end_capture(struct capture *c)
{
	fclose(c->diag.out);
	snprintf(diag_text, sizeof(diag_text), "%s", c->buf ? c->buf : "");
	free(c->buf);
}

/* Decoded string bytes as a C literal body: \n, \t, \", \\ and \xNN. */
static void put_escaped(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			sb_puts(sb, "\\n");
		else if (c == '\t')
			sb_puts(sb, "\\t");
		else if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			sb_printf(sb, "\\x%02x", c);
		else
			sb_putc(sb, (char)c);
	}
}

static void put_token(struct strbuf *sb, const struct token *t, int spans)
{
	sb_puts(sb, kind_names[t->kind]);
	switch (t->kind) {
	case T_INT:
	case T_POSPARAM:
		sb_printf(sb, "(%llu)", (unsigned long long)t->ival);
		break;
	case T_STR:
		sb_puts(sb, "(\"");
		put_escaped(sb, t->str, t->str_len);
		sb_puts(sb, "\")");
		break;
	case T_IDENT:
	case T_VAR:
	case T_MAP:
		sb_printf(sb, "(%s)", t->str);
		break;
	default:
		break;
	}
	if (spans)
		sb_printf(sb, "@%d:%d-%d:%d", t->span.line, t->span.col, t->span.end_line,
			  t->span.end_col);
}

/* Every token up to and including EOF (or the first ERROR), space-separated;
 * diagnostics land in diag_text. */
static const char *lex(const char *src, int spans)
{
	struct capture c;
	struct lexer lx;
	struct strbuf sb = { 0 };

	begin_capture(&c, src);
	lexer_init(&lx, src, &c.diag);
	for (int i = 0; i < 200; i++) {
		struct token t = lexer_next(&lx);
		if (i)
			sb_putc(&sb, ' ');
		put_token(&sb, &t, spans);
		if (t.kind == T_EOF || t.kind == T_ERROR)
			break;
	}
	lexer_free(&lx);
	end_capture(&c);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

static const char *tokens(const char *src)
{
	return lex(src, 0);
}

static const char *tokens_with_spans(const char *src)
{
	return lex(src, 1);
}

/*
 * Scans src as the parser does around attach points: a program made of
 * 'A' (lexer_attach_point) and 'N' (lexer_next) steps, one token each.
 */
static const char *scan(const char *src, const char *steps, int spans)
{
	struct capture c;
	struct lexer lx;
	struct strbuf sb = { 0 };

	begin_capture(&c, src);
	lexer_init(&lx, src, &c.diag);
	for (const char *s = steps; *s; s++) {
		struct token t = *s == 'A' ? lexer_attach_point(&lx) : lexer_next(&lx);
		if (s != steps)
			sb_putc(&sb, ' ');
		put_token(&sb, &t, spans);
	}
	lexer_free(&lx);
	end_capture(&c);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

/* ---- integers ---- */

TEST(test_lexer_decimal_and_hex_integers_have_their_values)
{
	EXPECT_STR(tokens("0 7 42 0x1F 0XfF 0x0"),
		   "INT(0) INT(7) INT(42) INT(31) INT(255) INT(0) EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_underscores_separate_digits)
{
	EXPECT_STR(tokens("1_000 1_000_000 0xffff_ffff"),
		   "INT(1000) INT(1000000) INT(4294967295) EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_exponent_form_is_an_integer)
{
	EXPECT_STR(tokens("1e6 1E3 5e0 18e18"),
		   "INT(1000000) INT(1000) INT(5) INT(18000000000000000000) EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_integer_token_text_is_the_literal_as_written)
{
	struct capture c;
	struct lexer lx;

	begin_capture(&c, "1_000 0x1F 1e6");
	lexer_init(&lx, "1_000 0x1F 1e6", &c.diag);
	struct token a = lexer_next(&lx), b = lexer_next(&lx), d = lexer_next(&lx);
	EXPECT_INT(a.len, 5);
	EXPECT_INT(strncmp(a.text, "1_000", a.len), 0);
	EXPECT_INT(b.len, 4);
	EXPECT_INT(strncmp(b.text, "0x1F", b.len), 0);
	EXPECT_INT(d.len, 3);
	EXPECT_INT(strncmp(d.text, "1e6", d.len), 0);
	lexer_free(&lx);
	end_capture(&c);
}

TEST(test_lexer_uint64_max_is_accepted_in_decimal_and_hex)
{
	EXPECT_STR(tokens("18446744073709551615 0xffffffffffffffff"),
		   "INT(18446744073709551615) INT(18446744073709551615) EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_decimal_integer_above_uint64_max_is_too_large)
{
	EXPECT_STR(tokens("18446744073709551616"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-21: ERROR: integer literal too large: 18446744073709551616\n"
		   "18446744073709551616\n"
		   "~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(test_lexer_hex_integer_above_uint64_max_is_too_large)
{
	EXPECT_STR(tokens("x = 0x10000000000000000"), "IDENT(x) ASSIGN ERROR");
	EXPECT_STR(diag_text,
		   "t:1:5-24: ERROR: integer literal too large: 0x10000000000000000\n"
		   "x = 0x10000000000000000\n"
		   "    ~~~~~~~~~~~~~~~~~~~\n");
}

TEST(test_lexer_exponent_past_uint64_is_too_large)
{
	EXPECT_STR(tokens("1e20"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-5: ERROR: integer literal too large: 1e20\n"
		   "1e20\n"
		   "~~~~\n");
	EXPECT_STR(tokens("2e19"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-5: ERROR: integer literal too large: 2e19\n"
		   "2e19\n"
		   "~~~~\n");
}

TEST(test_lexer_digits_running_into_letters_are_an_invalid_integer)
{
	EXPECT_STR(tokens("12abc"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-6: ERROR: invalid integer literal: 12abc (suffixes: U, L, UL, LL, ULL; durations in nanoseconds: ns, us, ms, s, m, h, d)\n"
		   "12abc\n"
		   "~~~~~\n");
	EXPECT_STR(tokens("1_000_"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-7: ERROR: invalid integer literal: 1_000_ (suffixes: U, L, UL, LL, ULL; durations in nanoseconds: ns, us, ms, s, m, h, d)\n"
		   "1_000_\n"
		   "~~~~~~\n");
	/* C suffixes are read and change nothing; durations are nanoseconds */
	EXPECT_STR(tokens("7ULL 2ms 1_5us"), "INT(7) INT(2000000) INT(15000) EOF");
}

/* ---- strings ---- */

TEST(test_lexer_string_is_decoded_without_quotes)
{
	EXPECT_STR(tokens("\"hello world\" \"\""), "STR(\"hello world\") STR(\"\") EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_string_escapes_newline_tab_backslash_quote_return)
{
	EXPECT_STR(tokens("\"a\\nb\\tc\\\\d\\\"e\\rf\""),
		   "STR(\"a\\nb\\tc\\\\d\\\"e\\x0df\") EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_string_hex_and_octal_escapes_give_bytes)
{
	EXPECT_STR(tokens("\"\\x41\\101\\x4a\\x4\\7\\1012\""),
		   "STR(\"AAJ\\x04\\x07A2\") EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_string_may_hold_a_nul_byte_and_keeps_its_length)
{
	struct capture c;
	struct lexer lx;

	begin_capture(&c, "\"a\\0b\"");
	lexer_init(&lx, "\"a\\0b\"", &c.diag);
	struct token t = lexer_next(&lx);
	EXPECT_INT(t.kind, T_STR);
	EXPECT_INT(t.str_len, 3);
	EXPECT_INT(memcmp(t.str, "a\0b", 3), 0);
	EXPECT_INT(t.len, 6);	/* the source text, quotes included */
	lexer_free(&lx);
	end_capture(&c);
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_unterminated_string_at_end_of_input)
{
	EXPECT_STR(tokens_with_spans("\"abc"), "ERROR@1:1-1:5");
	EXPECT_STR(diag_text,
		   "t:1:1-5: ERROR: unterminated string\n"
		   "\"abc\n"
		   "~~~~\n");
}

TEST(test_lexer_string_ends_at_the_end_of_its_line)
{
	EXPECT_STR(tokens_with_spans("x = \"ab\ncd\""), "IDENT(x)@1:1-1:2 ASSIGN@1:3-1:4 ERROR@1:5-1:8");
	EXPECT_STR(diag_text,
		   "t:1:5-8: ERROR: unterminated string\n"
		   "x = \"ab\n"
		   "    ~~~\n");
}

TEST(test_lexer_unknown_escape_is_reported_at_the_escaped_character)
{
	/* The string is still returned, so the parser can go on and find more. */
	EXPECT_STR(tokens("\"a\\qb\""), "STR(\"ab\") EOF");
	EXPECT_STR(diag_text,
		   "t:1:4-5: ERROR: invalid escape character '\\q'\n"
		   "\"a\\qb\"\n"
		   "   ~\n");
}

/* ---- names ---- */

TEST(test_lexer_identifiers_keep_their_name)
{
	EXPECT_STR(tokens("abc _x a1_b2 BEGIN if"),
		   "IDENT(abc) IDENT(_x) IDENT(a1_b2) IDENT(BEGIN) IDENT(if) EOF");
}

TEST(test_lexer_variables_keep_the_dollar_in_their_name)
{
	EXPECT_STR(tokens("$x $_y1 $abc_def"), "VAR($x) VAR($_y1) VAR($abc_def) EOF");
}

TEST(test_lexer_positional_parameters_and_their_count)
{
	EXPECT_STR(tokens("$1 $2 $42 $#"), "POSPARAM(1) POSPARAM(2) POSPARAM(42) POSCOUNT EOF");
	EXPECT_STR(tokens_with_spans("$12+$#"), "POSPARAM(12)@1:1-1:4 PLUS@1:4-1:5 POSCOUNT@1:5-1:7 EOF@1:7-1:7");
}

TEST(test_lexer_lone_dollar_is_a_syntax_error)
{
	EXPECT_STR(tokens("a $ b"), "IDENT(a) ERROR");
	EXPECT_STR(diag_text,
		   "t:1:3-4: ERROR: syntax error, unexpected $\n"
		   "a $ b\n"
		   "  ~\n");
}

TEST(test_lexer_maps_keep_the_at_sign_and_bare_at_is_the_anonymous_map)
{
	EXPECT_STR(tokens("@m @_a1 @ @[1]"),
		   "MAP(@m) MAP(@_a1) MAP(@) MAP(@) LBRACKET INT(1) RBRACKET EOF");
	EXPECT_STR(tokens_with_spans("@=@x"), "MAP(@)@1:1-1:2 ASSIGN@1:2-1:3 MAP(@x)@1:3-1:5 EOF@1:5-1:5");
}

/* ---- operators and punctuation ---- */

TEST(test_lexer_every_operator_and_punctuation_token)
{
	EXPECT_STR(tokens("( ) { } [ ] ; , . -> ? :"),
		   "LPAREN RPAREN LBRACE RBRACE LBRACKET RBRACKET SEMI COMMA DOT ARROW QUESTION COLON EOF");
	EXPECT_STR(tokens("+ - * / % & | ^ ~ !"),
		   "PLUS MINUS STAR SLASH PERCENT AMP PIPE CARET TILDE BANG EOF");
	EXPECT_STR(tokens("< > <= >= == != << >> && ||"),
		   "LT GT LE GE EQ NE SHL SHR ANDAND OROR EOF");
	EXPECT_STR(tokens("= ++ -- += -= *= /= %= &= |= ^= <<= >>="),
		   "ASSIGN INC DEC ADD_ASSIGN SUB_ASSIGN MUL_ASSIGN DIV_ASSIGN MOD_ASSIGN "
		   "AND_ASSIGN OR_ASSIGN XOR_ASSIGN SHL_ASSIGN SHR_ASSIGN EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_operators_take_the_longest_match_without_blanks)
{
	EXPECT_STR(tokens("a<<=b>>=c->d++--e"),
		   "IDENT(a) SHL_ASSIGN IDENT(b) SHR_ASSIGN IDENT(c) ARROW IDENT(d) INC DEC IDENT(e) EOF");
	EXPECT_STR(tokens("a---b"), "IDENT(a) DEC MINUS IDENT(b) EOF");
	EXPECT_STR(tokens("a<<b<=c<d"), "IDENT(a) SHL IDENT(b) LE IDENT(c) LT IDENT(d) EOF");
	EXPECT_STR(tokens("!!a!=b==c"), "BANG BANG IDENT(a) NE IDENT(b) EQ IDENT(c) EOF");
	EXPECT_STR(tokens("a&&&b|||c"), "IDENT(a) ANDAND AMP IDENT(b) OROR PIPE IDENT(c) EOF");
}

TEST(test_lexer_tuple_index_after_dot_is_an_integer)
{
	EXPECT_STR(tokens("$t.0.1"), "VAR($t) DOT INT(0) DOT INT(1) EOF");
}

TEST(test_lexer_tok_name_spells_tokens_for_error_messages)
{
	EXPECT_STR(tok_name(T_EOF), "end of file");
	EXPECT_STR(tok_name(T_COMMA), "\",\"");
	EXPECT_STR(tok_name(T_SHL_ASSIGN), "<<=");
	EXPECT_STR(tok_name(T_ARROW), "->");
	EXPECT_STR(tok_name(T_POSCOUNT), "$#");
	EXPECT_STR(tok_name(T_IDENT), "identifier");
	EXPECT_STR(tok_name(T_COUNT_), "?");
}

/* ---- blanks and comments ---- */

TEST(test_lexer_line_and_block_comments_are_skipped)
{
	EXPECT_STR(tokens_with_spans("a // one\nb /* two\n three */ c /**/d"),
		   "IDENT(a)@1:1-1:2 IDENT(b)@2:1-2:2 IDENT(c)@3:11-3:12 IDENT(d)@3:17-3:18 EOF@3:18-3:18");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_block_comments_do_not_nest)
{
	EXPECT_STR(tokens("a /* x /* y */ b */"), "IDENT(a) IDENT(b) STAR SLASH EOF");
}

TEST(test_lexer_comment_at_end_of_input_without_newline)
{
	EXPECT_STR(tokens("a // end"), "IDENT(a) EOF");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_unterminated_block_comment_is_reported_at_its_start)
{
	EXPECT_STR(tokens("a /* x\ny"), "IDENT(a) EOF");
	EXPECT_STR(diag_text,
		   "t:1:3-5: ERROR: unterminated comment\n"
		   "a /* x\n"
		   "  ~~\n");
}

TEST(test_lexer_hash_bang_first_line_is_skipped)
{
	EXPECT_STR(tokens_with_spans("#!/usr/bin/env sonde\nBEGIN"),
		   "IDENT(BEGIN)@2:1-2:6 EOF@2:6-2:6");
	EXPECT_STR(diag_text, "");
	EXPECT_STR(tokens("#!/usr/bin/sonde"), "EOF");
}

TEST(test_lexer_hash_bang_after_the_first_line_is_an_invalid_character)
{
	EXPECT_STR(tokens("a\n#!x"), "IDENT(a) ERROR");
	EXPECT_STR(diag_text,
		   "t:2:1-2: ERROR: syntax error, invalid character '#'\n"
		   "#!x\n"
		   "~\n");
}

/* ---- spans ---- */

TEST(test_lexer_spans_are_one_based_with_exclusive_end_column)
{
	EXPECT_STR(tokens_with_spans("BEGIN {\n  $x = \"ab\";\n}"),
		   "IDENT(BEGIN)@1:1-1:6 LBRACE@1:7-1:8 VAR($x)@2:3-2:5 ASSIGN@2:6-2:7 "
		   "STR(\"ab\")@2:8-2:12 SEMI@2:12-2:13 RBRACE@3:1-3:2 EOF@3:2-3:2");
}

TEST(test_lexer_tab_counts_as_one_column)
{
	EXPECT_STR(tokens_with_spans("\t<<=\t1_000"), "SHL_ASSIGN@1:2-1:5 INT(1000)@1:6-1:11 EOF@1:11-1:11");
}

TEST(test_lexer_crlf_line_endings_count_lines_once)
{
	EXPECT_STR(tokens_with_spans("a\r\nb"), "IDENT(a)@1:1-1:2 IDENT(b)@2:1-2:2 EOF@2:2-2:2");
}

/* ---- invalid characters ---- */

TEST(test_lexer_printable_invalid_character_is_quoted)
{
	EXPECT_STR(tokens_with_spans("x # y"), "IDENT(x)@1:1-1:2 ERROR@1:3-1:4");
	EXPECT_STR(diag_text,
		   "t:1:3-4: ERROR: syntax error, invalid character '#'\n"
		   "x # y\n"
		   "  ~\n");
	EXPECT_STR(tokens("`"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-2: ERROR: syntax error, invalid character '`'\n"
		   "`\n"
		   "~\n");
}

TEST(test_lexer_unprintable_invalid_character_is_shown_in_hex)
{
	EXPECT_STR(tokens("\x01"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-2: ERROR: syntax error, invalid character 0x01\n"
		   "\x01\n"
		   "~\n");
	EXPECT_STR(tokens("\xc3\xa9"), "ERROR");
	EXPECT_STR(diag_text,
		   "t:1:1-2: ERROR: syntax error, invalid character 0xc3\n"
		   "\xc3\xa9\n"
		   "~\n");
}

/* ---- attach points ---- */

TEST(test_lexer_attach_point_with_wildcard_runs_to_the_blank)
{
	EXPECT_STR(scan("tracepoint:syscalls:sys_enter_* { }", "AN", 1),
		   "STR(\"tracepoint:syscalls:sys_enter_*\")@1:1-1:32 LBRACE@1:33-1:34");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_attach_point_path_segment_keeps_its_slashes)
{
	EXPECT_STR(scan("uprobe:/bin/bash:readline /pid/", "ANNN", 1),
		   "STR(\"uprobe:/bin/bash:readline\")@1:1-1:26 SLASH@1:27-1:28 "
		   "IDENT(pid)@1:28-1:31 SLASH@1:31-1:32");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_attach_point_slash_after_a_name_segment_starts_the_predicate)
{
	EXPECT_STR(scan("BEGIN/pid == 1/", "ANNNNN", 1),
		   "STR(\"BEGIN\")@1:1-1:6 SLASH@1:6-1:7 IDENT(pid)@1:7-1:10 EQ@1:11-1:13 "
		   "INT(1)@1:14-1:15 SLASH@1:15-1:16");
	EXPECT_STR(scan("uprobe:/usr/lib/libc.so.6:malloc/arg0 > 8/", "AN", 0),
		   "STR(\"uprobe:/usr/lib/libc.so.6:malloc\") SLASH");
	EXPECT_STR(scan("uprobe:./a.out:main/1/", "AN", 0), "STR(\"uprobe:./a.out:main\") SLASH");
}

TEST(test_lexer_attach_point_quoted_part_is_kept_verbatim_without_quotes)
{
	EXPECT_STR(scan("uprobe:./a:\"main.(*Arith).Mul\" {", "AN", 1),
		   "STR(\"uprobe:./a:main.(*Arith).Mul\")@1:1-1:31 LBRACE@1:32-1:33");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_attach_point_raw_text_includes_the_quotes)
{
	struct capture c;
	struct lexer lx;
	const char *src = "uprobe:./a:\"f g\"{";

	begin_capture(&c, src);
	lexer_init(&lx, src, &c.diag);
	struct token t = lexer_attach_point(&lx);
	EXPECT_INT(t.kind, T_STR);
	EXPECT_STR(t.str, "uprobe:./a:f g");
	EXPECT_INT(t.str_len, 14);
	EXPECT_INT(t.len, 16);
	EXPECT_INT(lexer_peek_char(&lx), '{');
	lexer_free(&lx);
	end_capture(&c);
}

TEST(test_lexer_attach_points_separated_by_commas_and_newlines)
{
	EXPECT_STR(scan("BEGIN,END{", "ANAN", 1),
		   "STR(\"BEGIN\")@1:1-1:6 COMMA@1:6-1:7 STR(\"END\")@1:7-1:10 LBRACE@1:10-1:11");
	EXPECT_STR(scan("i:s:1,\n  interval:ms:100\n{", "ANAN", 1),
		   "STR(\"i:s:1\")@1:1-1:6 COMMA@1:6-1:7 STR(\"interval:ms:100\")@2:3-2:18 LBRACE@3:1-3:2");
}

TEST(test_lexer_attach_point_skips_leading_blanks_and_comments)
{
	EXPECT_STR(scan("  // probes\n  /* first */ BEGIN", "A", 1), "STR(\"BEGIN\")@2:15-2:20");
	EXPECT_STR(diag_text, "");
}

TEST(test_lexer_peek_char_skips_blanks_and_comments)
{
	struct capture c;
	struct lexer lx;
	const char *src = "  /* x */ // y\n {";

	begin_capture(&c, src);
	lexer_init(&lx, src, &c.diag);
	EXPECT_INT(lexer_peek_char(&lx), '{');
	struct token t = lexer_next(&lx);
	EXPECT_INT(t.kind, T_LBRACE);
	EXPECT_INT(t.span.line, 2);
	EXPECT_INT(t.span.col, 2);
	EXPECT_INT(lexer_peek_char(&lx), 0);
	lexer_free(&lx);
	end_capture(&c);
}

TEST(test_lexer_missing_attach_point_is_a_syntax_error)
{
	EXPECT_STR(scan("{ }", "A", 1), "ERROR@1:1-1:2");
	EXPECT_STR(diag_text,
		   "t:1:1-2: ERROR: syntax error, unexpected {, expecting attach point\n"
		   "{ }\n"
		   "~\n");
	EXPECT_STR(scan("BEGIN, ", "ANA", 0), "STR(\"BEGIN\") COMMA ERROR");
	EXPECT_STR(diag_text,
		   "t:1:8-9: ERROR: syntax error, unexpected end of file, expecting attach point\n"
		   "BEGIN, \n"
		   "       ~\n");
}

TEST(test_lexer_unterminated_quote_in_attach_point)
{
	EXPECT_STR(scan("uprobe:./a:\"main", "A", 1), "ERROR@1:1-1:17");
	EXPECT_STR(diag_text,
		   "t:1:1-17: ERROR: unterminated string in attach point\n"
		   "uprobe:./a:\"main\n"
		   "~~~~~~~~~~~~~~~~\n");
}

TEST(test_lexer_attach_point_with_a_relative_binary_path)
{
	struct diag d = { 0 };
	struct source src = { "t", "uprobe:build/app:main /pid/ {" };
	d.src = &src;
	d.out = stderr;
	struct lexer lx;
	lexer_init(&lx, src.text, &d);
	struct token t = lexer_attach_point(&lx);
	EXPECT_STR(t.str, "uprobe:build/app:main");
	lexer_free(&lx);
}

TEST(test_lexer_slash_after_the_function_starts_the_predicate)
{
	struct diag d = { 0 };
	struct source src = { "t", "uprobe:./app:main/pid/ {" };
	d.src = &src;
	d.out = stderr;
	struct lexer lx;
	lexer_init(&lx, src.text, &d);
	struct token t = lexer_attach_point(&lx);
	EXPECT_STR(t.str, "uprobe:./app:main");
	lexer_free(&lx);
}
