/* PromQL (src/promql/): the split of alert expressions into compared sides,
 * the printer's parentheses and round trips, and parse errors with their
 * place. */
#include "test.h"
#include "promql/promql.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char result[8192];

/* "left | op | right" per pair, "series" for a lone one, joined by "; ";
 * or "ERROR line:col: message". */
static const char *split(const char *text)
{
	struct arena *arena = arena_new();
	struct pq_error err;
	struct pq_node *root = pq_parse(arena, text, &err);
	struct strbuf sb = { 0 };
	if (!root) {
		sb_printf(&sb, "ERROR %d:%d: %s", err.sp.line, err.sp.col, err.msg);
	} else {
		struct pq_pairs pairs = { 0 };
		pq_split(root, &pairs);
		for (int i = 0; i < pairs.n; i++) {
			if (i)
				sb_puts(&sb, "; ");
			pq_print(&sb, pairs.v[i].left);
			if (pairs.v[i].cmp) {
				sb_puts(&sb, " | ");
				pq_print_operator(&sb, pairs.v[i].cmp);
				sb_puts(&sb, " | ");
				pq_print(&sb, pairs.v[i].right);
			}
		}
		free(pairs.v);
	}
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	arena_free(arena);
	return result;
}

/* The expression printed back, or the error. */
static const char *reprint(const char *text)
{
	struct arena *arena = arena_new();
	struct pq_error err;
	struct pq_node *root = pq_parse(arena, text, &err);
	struct strbuf sb = { 0 };
	if (root)
		pq_print(&sb, root);
	else
		sb_printf(&sb, "ERROR %d:%d: %s", err.sp.line, err.sp.col, err.msg);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	arena_free(arena);
	return result;
}

static const struct { const char *expr, *pairs; } splits[] = {
	{ "a > 3 and b < 1", "a | > | 3; b | < | 1" },
	{ "up == 0 unless on(job) (sum by (job) (up) == 0)", "up | == | 0; sum by (job) (up) | == | 0" },
	{ "(a > 10) < 100", "a > 10 | < | 100" },
	{ "x > bool 2", "x | > bool | 2" },
	{ "sum by (job) (rate(e[5m])) / sum by (job) (rate(t[5m])) > 0.01",
	  "sum by (job) (rate(e[5m])) / sum by (job) (rate(t[5m])) | > | 0.01" },
	{ "a > 1 or b > 2 or c", "a | > | 1; b | > | 2; c" },
	{ "absent(up{job=\"x\"})", "absent(up{job=\"x\"})" },
	{ "(a > 1 and b) or (c <= d unless e)", "a | > | 1; b; c | <= | d; e" },
	{ "count(up == 0) > 3", "count(up == 0) | > | 3" },
	{ "(a and b) > 3", "a and b | > | 3" },
	{ "3 < a < 5", "3 < a | < | 5" },
	{ "a > on (job) group_left (team) b", "a | > on (job) group_left (team) | b" },
	{ "a / ignoring (code) group_left b > 0.1", "a / ignoring (code) group_left b | > | 0.1" },
	{ "((a)) >= ((1))", "a | >= | 1" },
	{ "-a < -1", "-a | < | -1" },
	{ "1 > bool 2", "1 | > bool | 2" },
	{ "a != b", "a | != | b" },
	{ "vector(1)", "vector(1)" },
	{ "rate(x[5m]) > 1 and on (job) deploying", "rate(x[5m]) | > | 1; deploying" },
};

TEST(test_promql_split_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(splits); i++)
		EXPECT_STR(split(splits[i].expr), splits[i].pairs);
}

/* input, printed: the parentheses precedence and associativity need, no more */
static const struct { const char *in, *out; } prints[] = {
	{ "a - (b - c)", "a - (b - c)" },
	{ "(a - b) - c", "a - b - c" },
	{ "a ^ (b ^ c)", "a ^ b ^ c" },
	{ "(a ^ b) ^ c", "(a ^ b) ^ c" },
	{ "-a ^ b", "-a ^ b" },
	{ "-(a ^ b)", "-a ^ b" },
	{ "(-a) ^ b", "(-a) ^ b" },
	{ "a ^ -b", "a ^ -b" },
	{ "-(a * b)", "-(a * b)" },
	{ "(-a) * b", "-a * b" },
	{ "- -a", "- -a" },
	{ "--a", "- -a" },
	{ "a * (b + c)", "a * (b + c)" },
	{ "(a * b) + c", "a * b + c" },
	{ "a or (b and c)", "a or b and c" },
	{ "(a or b) and c", "(a or b) and c" },
	{ "a and (b unless c)", "a and (b unless c)" },
	{ "(a > 1) == bool (b < 2)", "a > 1 == bool (b < 2)" },
	{ "a atan2 (b * c)", "a atan2 (b * c)" },
	{ "(a + b)[5m:1m]", "(a + b)[5m:1m]" },
	{ "rate(x[5m])[1h:]", "rate(x[5m])[1h:]" },
	{ "(x offset 5m)[1h:]", "x offset 5m[1h:]" },
	{ "sum(x) by (a, b)", "sum by (a, b) (x)" },
	{ "topk without (a) (5, x)", "topk without (a) (5, x)" },
	{ "SUM BY (job) (x)", "sum by (job) (x)" },
	{ "x{a='b\\n', c=`d\\e`, e=\"\\u00e9\\x41\"}", "x{a=\"b\\n\", c=\"d\\\\e\", e=\"éA\"}" },
	{ "{__name__=~\"a.*\"}", "{__name__=~\"a.*\"}" },
	{ "x{a=\"\\xff\\377é\"}", "x{a=\"\\xff\\xffé\"}" },
	{ "x offset -5m @ start()", "x offset -5m @ start()" },
	{ "x @ 100 offset 5m", "x offset 5m @ 100" },
	{ "rate(x[5m] offset 1h)", "rate(x[5m] offset 1h)" },
	{ "a * on () group_left (b + c)", "ERROR 1:25: unexpected \"+\" in group_left, expected \",\" or \")\"" },
	{ "a * on () group_left () (b + c)", "a * on () group_left () (b + c)" },
	{ "a * on (x) group_left b", "a * on (x) group_left b" },
	{ "1e3 + 0x1F + Inf + NaN + .5", "1e3 + 0x1F + Inf + NaN + .5" },
	{ "# a comment\nx # another\n", "x" },
	{ "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")", "label_replace(up, \"a\", \"$1\", \"b\", \"(.*)\")" },
};

TEST(test_promql_printer_puts_only_needed_parentheses)
{
	for (size_t i = 0; i < ARRAY_SIZE(prints); i++)
		EXPECT_STR(reprint(prints[i].in), prints[i].out);
}

TEST(test_promql_printed_text_parses_to_the_same_text)
{
	for (size_t i = 0; i < ARRAY_SIZE(prints); i++) {
		char once[8192];
		snprintf(once, sizeof(once), "%s", reprint(prints[i].in));
		if (strncmp(once, "ERROR", 5))
			EXPECT_STR(reprint(once), once);
	}
	for (size_t i = 0; i < ARRAY_SIZE(splits); i++) {
		char once[8192];
		snprintf(once, sizeof(once), "%s", reprint(splits[i].expr));
		EXPECT_STR(reprint(once), once);
	}
}

static const struct { const char *in, *err; } errors[] = {
	{ "rate(x)", "ERROR 1:6: expected type range vector in call to function \"rate\", got instant vector" },
	{ "1 > 2", "ERROR 1:3: comparisons between scalars must use BOOL modifier" },
	{ "rate(x[5m]) by (job)", "ERROR 1:13: unexpected identifier \"by\" in expression, expected an operator or end of input" },
	{ "foo(x)", "ERROR 1:1: unknown function with name \"foo\"" },
	{ "x and 1", "ERROR 1:3: set operator \"and\" not allowed in binary scalar expression" },
	{ "x + bool y", "ERROR 1:3: bool modifier can only be used on comparison operators" },
	{ "sum(x\n  + y", "ERROR 2:6: unexpected end of input in aggregation, expected \",\" or \")\"" },
	{ "(x", "ERROR 1:1: unclosed left parenthesis" },
	{ "x)", "ERROR 1:2: unexpected right parenthesis \")\"" },
	{ "x[5m1h]", "ERROR 1:3: not a valid duration string: \"5m1h\"" },
	{ "x[5q]", "ERROR 1:3: bad number or duration syntax: \"5q\"" },
	{ "x[0s]", "ERROR 1:3: duration must be greater than 0" },
	{ "", "ERROR 1:1: no expression found in input" },
	{ "  # only a comment", "ERROR 1:19: no expression found in input" },
	{ "'a\\q'", "ERROR 1:3: unknown escape sequence: \"\\q\"" },
	{ "\"abc", "ERROR 1:1: unterminated quoted string" },
	{ "x{a=~\"(\"}", "ERROR 1:3: error parsing regexp: missing closing ): `(`" },
	{ "topk(x)", "ERROR 1:1: wrong number of arguments for aggregate expression provided, expected 2, got 1" },
	{ "count_values(1, x)", "ERROR 1:14: expected type string in aggregation parameter, got scalar" },
	{ "{}", "ERROR 1:1: vector selector must contain at least one non-empty matcher" },
	{ "x offset 1m offset 2m", "ERROR 1:1: offset may not be set multiple times" },
	{ "(x)[5m]", "ERROR 1:4: ranges only allowed for vector selectors" },
	{ "x @ Inf", "ERROR 1:3: timestamp out of bounds for @ modifier" },
	{ "x + on (a) group_left (a) y", "ERROR 1:3: label \"a\" must not occur in ON and GROUP clause at once" },
	{ "x and on (a) group_left y", "ERROR 1:3: no grouping allowed for \"and\" operation" },
	{ "x € 1", "ERROR 1:3: unexpected character: \"€\"" },
};

TEST(test_promql_errors_say_what_and_where)
{
	for (size_t i = 0; i < ARRAY_SIZE(errors); i++)
		EXPECT_STR(reprint(errors[i].in), errors[i].err);
}

TEST(test_promql_deep_nesting_is_an_error_not_a_crash)
{
	struct strbuf sb = { 0 };
	for (int i = 0; i < 100000; i++)
		sb_putc(&sb, '(');
	sb_putc(&sb, 'x');
	EXPECT_STR(reprint(sb.s), "ERROR 1:257: expression nests too deeply (more than 256 levels)");
	sb_reset(&sb);
	sb_puts(&sb, "x");
	for (int i = 0; i < 100000; i++)
		sb_puts(&sb, " + x");
	EXPECT_INT(strncmp(reprint(sb.s), "ERROR 1:1: expression nests too deeply", 38), 0);
	sb_reset(&sb);
	for (int i = 0; i < 100000; i++)
		sb_puts(&sb, "abs(");
	EXPECT_INT(strncmp(reprint(sb.s), "ERROR 1:", 8), 0);
	sb_reset(&sb);
	for (int i = 0; i < 100000; i++)
		sb_puts(&sb, "-");
	sb_puts(&sb, "1");
	EXPECT_INT(strncmp(reprint(sb.s), "ERROR 1:", 8), 0);
	sb_reset(&sb);
	sb_puts(&sb, "x");
	for (int i = 0; i < 200; i++)
		sb_puts(&sb, " or x");
	EXPECT_INT(strncmp(reprint(sb.s), "x or x", 6), 0);
	sb_free(&sb);
}

TEST(test_promql_functions_are_sorted_and_typed)
{
	EXPECT_INT(pq_function_find("rate")->args[0], PQ_MATRIX);
	EXPECT_INT(pq_function_find("time")->ret, PQ_SCALAR);
	EXPECT_INT(pq_function_find("abs") != NULL, 1);
	EXPECT_INT(pq_function_find("year") != NULL, 1);
	EXPECT_INT(pq_function_find("histogram_quantile") != NULL, 1);
	EXPECT_INT(pq_function_find("label_join")->variadic, -1);
	EXPECT_INT(pq_function_find("Rate") == NULL, 1);
	EXPECT_INT(pq_function_find("sum") == NULL, 1);
}

TEST(test_promql_regex_check_follows_re2)
{
	char msg[256];
	EXPECT_INT(pq_regex_check("(?i)foo|ba[rz]\\d+", msg, sizeof(msg)), 0);
	EXPECT_INT(pq_regex_check("a*?b{2,3}\\.\\p{Greek}", msg, sizeof(msg)), 0);
	EXPECT_INT(pq_regex_check("a{,3}", msg, sizeof(msg)), 0);	/* a literal {,3} */
	EXPECT_INT(pq_regex_check("(?=a)", msg, sizeof(msg)), -1);
	EXPECT_INT(pq_regex_check("a**", msg, sizeof(msg)), -1);
	EXPECT_INT(pq_regex_check("a{3,2}", msg, sizeof(msg)), -1);
	EXPECT_INT(pq_regex_check("[a", msg, sizeof(msg)), -1);
	EXPECT_STR(msg, "error parsing regexp: missing closing ]: `[a`");
	EXPECT_INT(pq_regex_check("\\", msg, sizeof(msg)), -1);
}
