/* The parser (language spec 1 and 3): the tree it builds, shown by ast_dump,
 * and the exact text of syntax errors. */
#include "test.h"
#include "lang/parser.h"
#include "util/util.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char result[16384];

/*
 * Parses src (named "t" in messages). Returns the ast_dump of the program, or
 * everything the diagnostics printed when parsing failed; a program that
 * parsed but printed anything fails loudly through the "+diag:" suffix.
 */
struct parse_job {
	struct arena *arena;
	struct diag *d;
	const char *src;
	struct node *prog;
};

/* sonde parses on a big stack (nesting up to 10000 levels); so do the tests */
static int parse_job_run(void *v)
{
	struct parse_job *j = v;
	j->prog = parse_program(j->arena, j->d, j->src);
	return 0;
}

static const char *parse(const char *src)
{
	struct source source = { .name = "t", .text = src };
	char *buf = NULL;
	size_t len = 0;
	struct diag d = { .src = &source, .out = open_memstream(&buf, &len) };
	struct arena *arena = arena_new();
	struct strbuf sb = { 0 };

	struct parse_job job = { arena, &d, src, NULL };
	run_on_big_stack(parse_job_run, &job);
	struct node *prog = job.prog;
	fclose(d.out);
	if (prog) {
		ast_dump(prog, &sb);
		if (len)
			sb_printf(&sb, " +diag: %s", buf);
	} else {
		sb_puts(&sb, buf ? buf : "");
		if (!d.errors)
			sb_puts(&sb, "(NULL without an error)");
	}
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	free(buf);
	arena_free(arena);
	return result;
}

/* The dump of the first statement of the only probe of `BEGIN { stmt }`. */
static const char *stmt(const char *s)
{
	char src[1024];
	snprintf(src, sizeof(src), "BEGIN { %s }", s);
	const char *all = parse(src);
	const char *head = "(program (probe BEGIN { ";
	size_t n = strlen(all);
	if (strncmp(all, head, strlen(head)) || n < strlen(head) + 4 ||
	    strcmp(all + n - 4, " }))"))
		return all;
	memmove(result, all + strlen(head), n - strlen(head) - 4);
	result[n - strlen(head) - 4] = 0;
	return result;
}

/* ---- precedence and associativity ---- */

TEST(test_parser_multiplication_binds_tighter_than_addition)
{
	EXPECT_STR(stmt("$x = 1 + 2 * 3"), "(= $x (+ 1 (* 2 3)))");
	EXPECT_STR(stmt("$x = 1 * 2 + 3"), "(= $x (+ (* 1 2) 3))");
}

TEST(test_parser_and_binds_tighter_than_or)
{
	EXPECT_STR(stmt("$x = a || b && c"), "(= $x (|| a (&& b c)))");
	EXPECT_STR(stmt("$x = a && b || c"), "(= $x (|| (&& a b) c))");
}

TEST(test_parser_shift_binds_looser_than_plus_and_tighter_than_comparison)
{
	EXPECT_STR(stmt("$x = 1 << 2 + 3"), "(= $x (<< 1 (+ 2 3)))");
	EXPECT_STR(stmt("$x = 1 << 2 < 3 >> 4"), "(= $x (< (<< 1 2) (>> 3 4)))");
}

TEST(test_parser_equality_binds_looser_than_relational)
{
	EXPECT_STR(stmt("$x = 1 == 2 < 3"), "(= $x (== 1 (< 2 3)))");
	EXPECT_STR(stmt("$x = 1 <= 2 != 3 >= 4"), "(= $x (!= (<= 1 2) (>= 3 4)))");
}

TEST(test_parser_bitwise_and_xor_or_follow_c_precedence)
{
	EXPECT_STR(stmt("$x = 1 & 2 ^ 3 | 4"), "(= $x (| (^ (& 1 2) 3) 4))");
	EXPECT_STR(stmt("$x = 1 | 2 ^ 3 & 4"), "(= $x (| 1 (^ 2 (& 3 4))))");
	EXPECT_STR(stmt("$x = a == 1 & b"), "(= $x (& (== a 1) b))");
	EXPECT_STR(stmt("$x = a | b && c"), "(= $x (&& (| a b) c))");
}

TEST(test_parser_binary_operators_of_one_level_associate_left)
{
	EXPECT_STR(stmt("$x = 10 - 3 - 2"), "(= $x (- (- 10 3) 2))");
	EXPECT_STR(stmt("$x = 2 % 3 / 4 * 5"), "(= $x (* (/ (% 2 3) 4) 5))");
	EXPECT_STR(stmt("$x = 1 << 2 >> 3"), "(= $x (>> (<< 1 2) 3))");
}

TEST(test_parser_parentheses_override_precedence)
{
	EXPECT_STR(stmt("$x = (1 + 2) * 3"), "(= $x (* (+ 1 2) 3))");
	EXPECT_STR(stmt("$x = ((1))"), "(= $x 1)");
}

TEST(test_parser_unary_minus_not_and_tilde_bind_tighter_than_binary)
{
	EXPECT_STR(stmt("$x = -1 + !2 - ~3"), "(= $x (- (+ (- 1) (! 2)) (~ 3)))");
	EXPECT_STR(stmt("$x = - -1"), "(= $x (- (- 1)))");
	EXPECT_STR(stmt("$x = !!a"), "(= $x (! (! a)))");
	EXPECT_STR(stmt("$x = 1 - -1"), "(= $x (- 1 (- 1)))");
}

TEST(test_parser_postfix_binds_tighter_than_unary)
{
	EXPECT_STR(stmt("$x = -a.b"), "(= $x (- (. a b)))");
	EXPECT_STR(stmt("$x = !$t.0"), "(= $x (! (. $t 0)))");
}

TEST(test_parser_ternary_is_loosest_and_nests_to_the_right)
{
	EXPECT_STR(stmt("$x = a ? b : c"), "(= $x (? a b c))");
	EXPECT_STR(stmt("$x = a ? b : c ? d : e"), "(= $x (? a b (? c d e)))");
	EXPECT_STR(stmt("$x = a || b ? 1 + 2 : 3"), "(= $x (? (|| a b) (+ 1 2) 3))");
	EXPECT_STR(stmt("$x = a ? b ? 1 : 2 : 3"), "(= $x (? a (? b 1 2) 3))");
}

/* ---- casts ---- */

TEST(test_parser_deref_binds_like_a_unary_operator)
{
	EXPECT_STR(stmt("$x = *(uint32 *)p + 1"), "(= $x (+ (deref (cast uint32 * p)) 1))");
	EXPECT_STR(stmt("$x = 2 * *(uint8 *)(p + 8)"), "(= $x (* 2 (deref (cast uint8 * (+ p 8)))))");
}

TEST(test_parser_integer_cast_applies_to_the_unary_operand)
{
	EXPECT_STR(stmt("$x = (uint8)x"), "(= $x (cast uint8 x))");
	EXPECT_STR(stmt("$x = (uint8)x + 1"), "(= $x (+ (cast uint8 x) 1))");
	EXPECT_STR(stmt("$x = (int8)-10"), "(= $x (cast int8 (- 10)))");
	EXPECT_STR(stmt("$x = (long) - 1"), "(= $x (cast long (- 1)))");
	EXPECT_STR(stmt("$x = (int32)(uint16)x"), "(= $x (cast int32 (cast uint16 x)))");
}

TEST(test_parser_multi_word_c_type_names_are_joined)
{
	EXPECT_STR(stmt("$x = (unsigned long long)x"), "(= $x (cast unsigned long long x))");
	EXPECT_STR(stmt("$x = (unsigned int)x"), "(= $x (cast unsigned int x))");
}

TEST(test_parser_struct_pointer_cast)
{
	EXPECT_STR(stmt("$x = (struct task_struct *)x"), "(= $x (cast struct task_struct * x))");
	EXPECT_STR(stmt("$x = ((struct task_struct *)curtask)->pid"),
		   "(= $x (-> (cast struct task_struct * curtask) pid))");
	EXPECT_STR(stmt("$x = (union u *)x"), "(= $x (cast union u * x))");
}

TEST(test_parser_parenthesised_name_that_is_not_a_type_is_not_a_cast)
{
	EXPECT_STR(stmt("$x = (x) + 1"), "(= $x (+ x 1))");
	EXPECT_STR(stmt("$x = (pid)"), "(= $x pid)");
}

TEST(test_parser_struct_cast_needs_a_type_name)
{
	EXPECT_STR(parse("BEGIN { $x = (struct 5 *)x }"),
		   "t:1:22-23: ERROR: syntax error, unexpected 5, expecting type name\n"
		   "BEGIN { $x = (struct 5 *)x }\n"
		   "                     ~\n");
	EXPECT_STR(parse("BEGIN { $x = (uint8 x }"),
		   "t:1:21-22: ERROR: syntax error, unexpected x, expecting )\n"
		   "BEGIN { $x = (uint8 x }\n"
		   "                    ~\n");
}

/* ---- tuples, maps, fields, indexes ---- */

TEST(test_parser_parenthesised_list_is_a_tuple)
{
	EXPECT_STR(stmt("$t = (1, \"a\")"), "(= $t (tuple 1 \"a\"))");
	EXPECT_STR(stmt("$t = (1, (2, 3), $x + 1)"), "(= $t (tuple 1 (tuple 2 3) (+ $x 1)))");
}

TEST(test_parser_tuple_element_is_dot_and_an_integer)
{
	EXPECT_STR(stmt("$y = $t.0"), "(= $y (. $t 0))");
	EXPECT_STR(stmt("$y = $t.0.1"), "(= $y (. (. $t 0) 1))");
	EXPECT_STR(stmt("$y = (1, 2).1"), "(= $y (. (tuple 1 2) 1))");
}

TEST(test_parser_map_with_several_keys)
{
	EXPECT_STR(stmt("@m[1, \"x\"] = 1"), "(= @m[ 1 \"x\" ] 1)");
	EXPECT_STR(stmt("@m[pid] = @m[pid] + 1"), "(= @m[ pid ] (+ @m[ pid ] 1))");
	EXPECT_STR(stmt("@m[(1, 2)] = 1"), "(= @m[ (tuple 1 2) ] 1)");
}

TEST(test_parser_anonymous_map_with_and_without_keys)
{
	EXPECT_STR(stmt("@ = 1"), "(= @ 1)");
	EXPECT_STR(stmt("@[comm] = count()"), "(= @[ comm ] (call count))");
}

TEST(test_parser_empty_map_key_is_an_error)
{
	EXPECT_STR(parse("BEGIN { @m[] = 1 }"),
		   "t:1:9-11: ERROR: empty map key\n"
		   "BEGIN { @m[] = 1 }\n"
		   "        ~~\n");
}

TEST(test_parser_field_access_arrow_and_index_chain_left_to_right)
{
	EXPECT_STR(stmt("$x = a.b->c[i]"), "(= $x ([] (-> (. a b) c) i))");
	EXPECT_STR(stmt("$x = a[1][2]"), "(= $x ([] ([] a 1) 2))");
	EXPECT_STR(stmt("$x = args->filename"), "(= $x (-> args filename))");
	EXPECT_STR(stmt("$x = a[i + 1].f"), "(= $x (. ([] a (+ i 1)) f))");
}

TEST(test_parser_field_needs_a_name)
{
	EXPECT_STR(parse("BEGIN { $x = a. }"),
		   "t:1:17-18: ERROR: syntax error, unexpected }, expecting field name\n"
		   "BEGIN { $x = a. }\n"
		   "                ~\n");
	EXPECT_STR(parse("BEGIN { $x = a->5 }"),
		   "t:1:17-18: ERROR: syntax error, unexpected 5, expecting field name\n"
		   "BEGIN { $x = a->5 }\n"
		   "                ~\n");
}

TEST(test_parser_function_calls_with_and_without_arguments)
{
	EXPECT_STR(stmt("f()"), "(call f)");
	EXPECT_STR(stmt("printf(\"%d %s\\n\", 1 + 2, comm)"), "(call printf \"%d %s\\n\" (+ 1 2) comm)");
	EXPECT_STR(stmt("exit()"), "(call exit)");
}

TEST(test_parser_positional_parameters_and_count)
{
	EXPECT_STR(stmt("$x = $1 + $#"), "(= $x (+ $1 $#))");
}

TEST(test_parser_string_literal_is_dumped_escaped)
{
	EXPECT_STR(stmt("$a = \"x\\n\\\"\\t\""), "(= $a \"x\\n\\\"\\x09\")");
}

/* ---- predicates ---- */

TEST(test_parser_predicate_between_slashes)
{
	EXPECT_STR(parse("BEGIN /pid == 1/ { }"), "(program (probe BEGIN /(== pid 1)/ { }))");
	EXPECT_STR(parse("BEGIN/pid/{}"), "(program (probe BEGIN /pid/ { }))");
}

TEST(test_parser_division_in_a_predicate_needs_parentheses)
{
	EXPECT_STR(parse("BEGIN /(a / 2) == 1/ { }"), "(program (probe BEGIN /(== (/ a 2) 1)/ { }))");
	EXPECT_STR(parse("BEGIN /a / 2 == 1/ { }"),
		   "t:1:12-13: ERROR: syntax error, unexpected 2, expecting {\n"
		   "BEGIN /a / 2 == 1/ { }\n"
		   "           ~\n");
}

TEST(test_parser_division_inside_brackets_and_call_arguments_of_a_predicate_is_allowed)
{
	EXPECT_STR(parse("BEGIN /@m[a / 2]/ { }"), "(program (probe BEGIN /@m[ (/ a 2) ]/ { }))");
	EXPECT_STR(parse("BEGIN /f(a / 2, 1)/ { }"), "(program (probe BEGIN /(call f (/ a 2) 1)/ { }))");
	EXPECT_STR(parse("BEGIN /x[a / 2]/ { }"), "(program (probe BEGIN /([] x (/ a 2))/ { }))");
}

TEST(test_parser_division_after_the_predicate_is_division_again)
{
	EXPECT_STR(parse("BEGIN /1/ { $x = 4 / 2 }"), "(program (probe BEGIN /1/ { (= $x (/ 4 2)) }))");
}

TEST(test_parser_unclosed_predicate)
{
	EXPECT_STR(parse("BEGIN /1 { }"),
		   "t:1:10-11: ERROR: syntax error, unexpected {, expecting /\n"
		   "BEGIN /1 { }\n"
		   "         ~\n");
}

/* ---- probes and attach points ---- */

TEST(test_parser_several_attach_points_separated_by_commas)
{
	EXPECT_STR(parse("BEGIN,END { }"), "(program (probe BEGIN END { }))");
	EXPECT_STR(parse("BEGIN, interval:s:1 , END { }"), "(program (probe BEGIN interval:s:1 END { }))");
}

TEST(test_parser_attach_points_may_continue_on_the_next_line_after_a_comma)
{
	EXPECT_STR(parse("BEGIN,\n  END\n{ }"), "(program (probe BEGIN END { }))");
	EXPECT_STR(parse("BEGIN\n, END { }"), "(program (probe BEGIN END { }))");
}

TEST(test_parser_attach_point_keeps_paths_and_drops_quotes)
{
	EXPECT_STR(parse("uprobe:/bin/bash:readline /pid == 1/ { }"),
		   "(program (probe uprobe:/bin/bash:readline /(== pid 1)/ { }))");
	EXPECT_STR(parse("uprobe:./a:\"main.(*Arith).Mul\" { }"),
		   "(program (probe uprobe:./a:main.(*Arith).Mul { }))");
	EXPECT_STR(parse("tracepoint:syscalls:sys_enter_* { }"),
		   "(program (probe tracepoint:syscalls:sys_enter_* { }))");
}

TEST(test_parser_several_probes_in_order)
{
	EXPECT_STR(parse("BEGIN { @a = 1 }\nEND { @b = 2 }\ninterval:ms:100{exit()}"),
		   "(program (probe BEGIN { (= @a 1) }) (probe END { (= @b 2) }) "
		   "(probe interval:ms:100 { (call exit) }))");
	EXPECT_STR(parse("BEGIN{}END{}"), "(program (probe BEGIN { }) (probe END { }))");
}

TEST(test_parser_hash_bang_line_and_comments_around_probes)
{
	EXPECT_STR(parse("#!/usr/bin/env sonde\n// c\nBEGIN /* c */ { /* c */ }\n// end"),
		   "(program (probe BEGIN { }))");
}

TEST(test_parser_empty_program_has_no_probes)
{
	EXPECT_STR(parse(""),
		   "t:1:1-2: ERROR: no probes in program\n"
		   "\n"
		   "~\n");
	EXPECT_STR(parse("// only a comment"),
		   "t:1:18-19: ERROR: no probes in program\n"
		   "// only a comment\n"
		   "                 ~\n");
}

TEST(test_parser_probe_needs_a_block)
{
	EXPECT_STR(parse("BEGIN"),
		   "t:1:6-7: ERROR: syntax error, unexpected end of file, expecting {\n"
		   "BEGIN\n"
		   "     ~\n");
	EXPECT_STR(parse("BEGIN /1/ x"),
		   "t:1:11-12: ERROR: syntax error, unexpected x, expecting {\n"
		   "BEGIN /1/ x\n"
		   "          ~\n");
}

TEST(test_parser_comma_without_a_following_attach_point)
{
	EXPECT_STR(parse("BEGIN, { }"),
		   "t:1:8-9: ERROR: syntax error, unexpected {, expecting attach point\n"
		   "BEGIN, { }\n"
		   "       ~\n");
}

/* ---- statements ---- */

TEST(test_parser_if_else_if_else_chain)
{
	EXPECT_STR(stmt("if (a) { x } else if (b) { y } else { z }"),
		   "(if a { x } (if b { y } { z }))");
	EXPECT_STR(stmt("if (a == 1) { @x = 1; @y = 2; }"), "(if (== a 1) { (= @x 1) (= @y 2) })");
	EXPECT_STR(stmt("if (a) { } else { }"), "(if a { } { })");
}

TEST(test_parser_statement_after_if_needs_no_semicolon)
{
	EXPECT_STR(stmt("if (a) { x } y"), "(if a { x }) y");
}

TEST(test_parser_if_needs_parentheses_and_a_block)
{
	EXPECT_STR(parse("BEGIN { if x { } }"),
		   "t:1:12-13: ERROR: syntax error, unexpected x, expecting (\n"
		   "BEGIN { if x { } }\n"
		   "           ~\n");
	EXPECT_STR(parse("BEGIN { if (x) y }"),
		   "t:1:16-17: ERROR: syntax error, unexpected y, expecting {\n"
		   "BEGIN { if (x) y }\n"
		   "               ~\n");
}

TEST(test_parser_while_loop)
{
	EXPECT_STR(stmt("while ($i < 3) { $i++ }"), "(while (< $i 3) { (post++ $i) })");
	EXPECT_STR(parse("BEGIN { while (1) x }"),
		   "t:1:19-20: ERROR: syntax error, unexpected x, expecting {\n"
		   "BEGIN { while (1) x }\n"
		   "                  ~\n");
}

TEST(test_parser_for_over_a_map_keeps_variable_map_and_body)
{
	EXPECT_STR(stmt("for ($kv : @m) { $s += $kv.1 }"), "(for $kv @m { (+= $s (. $kv 1)) })");
	EXPECT_STR(parse("BEGIN { for ($kv : 5) { } }"),
		   "t:1:20-21: ERROR: a for loop runs over a map, for ($kv : @m), or a range, for ($i : 0..10)\n"
		   "BEGIN { for ($kv : 5) { } }\n"
		   "                   ~\n");
}

TEST(test_parser_unroll_keeps_its_count_expression_and_body)
{
	struct source source = { .name = "t", .text = "BEGIN { unroll(3) { x; y } }" };
	struct diag d = { .src = &source, .out = stderr };
	struct arena *arena = arena_new();
	struct strbuf sb = { 0 };

	struct node *prog = parse_program(arena, &d, source.text);
	EXPECT_INT(prog != NULL, 1);
	if (prog) {
		struct node *u = prog->list->b->list;
		EXPECT_INT(u->kind, N_UNROLL);
		ast_dump(u->a, &sb);
		EXPECT_STR(sb_str(&sb), "3");
		sb.len = 0;
		ast_dump(u->b, &sb);
		EXPECT_STR(sb_str(&sb), "{ x y }");
	}
	sb_free(&sb);
	arena_free(arena);
}

TEST(test_parser_return_statement)
{
	EXPECT_STR(stmt("return"), "(return)");
	EXPECT_STR(stmt("if (a) { return; } @x = 1"), "(if a { (return) }) (= @x 1)");
	EXPECT_STR(stmt("return 1 + a"), "(return (+ 1 a))");	/* test: probes' results */
	EXPECT_STR(stmt("if (a) { return 2 }"), "(if a { (return 2) })");
}

TEST(test_parser_assignment_and_every_compound_assignment)
{
	EXPECT_STR(stmt("$x = 1; $x += 1; $x -= 2; $x *= 3; $x /= 4; $x %= 5"),
		   "(= $x 1) (+= $x 1) (-= $x 2) (*= $x 3) (/= $x 4) (%= $x 5)");
	EXPECT_STR(stmt("@a &= 1; @b |= 2; @c ^= 3; @d <<= 4; @e >>= 5"),
		   "(&= @a 1) (|= @b 2) (^= @c 3) (<<= @d 4) (>>= @e 5)");
	EXPECT_STR(stmt("@m[1] += 1 + 2"), "(+= @m[ 1 ] (+ 1 2))");
}

TEST(test_parser_pre_and_post_increment_and_decrement)
{
	EXPECT_STR(stmt("++$x; $x--; @a[1]++; --@b"),
		   "(pre++ $x) (post-- $x) (post++ @a[ 1 ]) (pre-- @b)");
	EXPECT_STR(stmt("$y = $x++ + 1"), "(= $y (+ (post++ $x) 1))");
	EXPECT_STR(stmt("$y = --$x"), "(= $y (pre-- $x))");
}

TEST(test_parser_empty_statements_and_nested_blocks)
{
	EXPECT_STR(stmt(";; x;; ;"), "x");
	EXPECT_STR(parse("BEGIN { }"), "(program (probe BEGIN { }))");
	EXPECT_STR(parse("BEGIN { ; }"), "(program (probe BEGIN { }))");
	EXPECT_STR(stmt("{} { x }"), "{ } { x }");
}

TEST(test_parser_last_statement_may_omit_its_semicolon)
{
	EXPECT_STR(stmt("@x = 1; @y = 2"), "(= @x 1) (= @y 2)");
}

/* ---- syntax errors ---- */

TEST(test_parser_unclosed_call_reports_the_brace_it_found)
{
	EXPECT_STR(parse("BEGIN { printf(\"x\" }"),
		   "t:1:20-21: ERROR: syntax error, unexpected }, expecting ) or \",\"\n"
		   "BEGIN { printf(\"x\" }\n"
		   "                   ~\n");
}

TEST(test_parser_statements_need_a_separator)
{
	EXPECT_STR(parse("BEGIN { $x = 1 $y = 2 }"),
		   "t:1:16-18: ERROR: syntax error, unexpected $y, expecting ; or }\n"
		   "BEGIN { $x = 1 $y = 2 }\n"
		   "               ~~\n");
	EXPECT_STR(parse("BEGIN { $x = 1 = 2 }"),
		   "t:1:16-17: ERROR: syntax error, unexpected =, expecting ; or }\n"
		   "BEGIN { $x = 1 = 2 }\n"
		   "               ~\n");
}

TEST(test_parser_missing_operand)
{
	EXPECT_STR(parse("BEGIN { $x = ; }"),
		   "t:1:14-15: ERROR: syntax error, unexpected ;\n"
		   "BEGIN { $x = ; }\n"
		   "             ~\n");
	EXPECT_STR(parse("BEGIN { $x = 1 + \"s\" * }"),
		   "t:1:24-25: ERROR: syntax error, unexpected }\n"
		   "BEGIN { $x = 1 + \"s\" * }\n"
		   "                       ~\n");
	EXPECT_STR(parse("BEGIN { $x = 1 + ; }"),
		   "t:1:18-19: ERROR: syntax error, unexpected ;\n"
		   "BEGIN { $x = 1 + ; }\n"
		   "                 ~\n");
}

TEST(test_parser_unexpected_string_is_named_string)
{
	EXPECT_STR(parse("BEGIN { $x = 1 \"s\" }"),
		   "t:1:16-19: ERROR: syntax error, unexpected string, expecting ; or }\n"
		   "BEGIN { $x = 1 \"s\" }\n"
		   "               ~~~\n");
}

TEST(test_parser_ternary_needs_a_colon)
{
	EXPECT_STR(parse("BEGIN { $x = 1 ? 2 }"),
		   "t:1:20-21: ERROR: syntax error, unexpected }, expecting :\n"
		   "BEGIN { $x = 1 ? 2 }\n"
		   "                   ~\n");
}

TEST(test_parser_end_of_file_inside_a_block)
{
	EXPECT_STR(parse("BEGIN {"),
		   "t:1:8-9: ERROR: syntax error, unexpected end of file, expecting }\n"
		   "BEGIN {\n"
		   "       ~\n");
}

TEST(test_parser_error_on_a_later_line_shows_that_line)
{
	EXPECT_STR(parse("BEGIN {\n  $x = (1;\n}"),
		   "t:2:10-11: ERROR: syntax error, unexpected ;, expecting ) or \",\"\n"
		   "  $x = (1;\n"
		   "         ~\n");
}

TEST(test_parser_marker_line_keeps_tabs_so_it_lines_up)
{
	EXPECT_STR(parse("BEGIN {\n\t\t$x = ;\n}"),
		   "t:2:8-9: ERROR: syntax error, unexpected ;\n"
		   "\t\t$x = ;\n"
		   "\t\t     ~\n");
}

TEST(test_parser_lexical_error_is_reported_once)
{
	EXPECT_STR(parse("BEGIN { $x = 1 # 2 }"),
		   "t:1:16-17: ERROR: syntax error, invalid character '#'\n"
		   "BEGIN { $x = 1 # 2 }\n"
		   "               ~\n");
	EXPECT_STR(parse("BEGIN { $x = \"abc }"),
		   "t:1:14-20: ERROR: unterminated string\n"
		   "BEGIN { $x = \"abc }\n"
		   "             ~~~~~~\n");
	EXPECT_STR(parse("BEGIN { $ }"),
		   "t:1:9-10: ERROR: syntax error, unexpected $\n"
		   "BEGIN { $ }\n"
		   "        ~\n");
}

TEST(test_parser_string_with_a_bad_escape_fails_the_parse)
{
	EXPECT_STR(parse("BEGIN { $x = \"a\\q\"; }"),
		   "t:1:17-18: ERROR: invalid escape character '\\q'\n"
		   "BEGIN { $x = \"a\\q\"; }\n"
		   "                ~\n");
}

TEST(test_parser_unterminated_comment_inside_a_block)
{
	EXPECT_STR(parse("BEGIN { /* x"),
		   "t:1:9-11: ERROR: unterminated comment\n"
		   "BEGIN { /* x\n"
		   "        ~~\n"
		   "t:1:13-14: ERROR: syntax error, unexpected end of file, expecting }\n"
		   "BEGIN { /* x\n"
		   "            ~\n");
}

/* ---- nesting bound ---- */

static char *repeat(const char *head, const char *unit, int n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * (size_t)n + tl + 1);
	memcpy(s, head, hl);
	for (int i = 0; i < n; i++)
		memcpy(s + hl + ul * (size_t)i, unit, ul);
	memcpy(s + hl + ul * (size_t)n, tail, tl + 1);
	return s;
}

/* The message of a program nested past the limit, and whether the diagnostic stayed short. */
static const char *too_deep(const char *prefix, const char *unit, int n, const char *suffix)
{
	char *src = repeat(prefix, unit, n, suffix);
	const char *out = parse(src);
	free(src);
	const char *msg = strstr(out, " ERROR: ");
	static char got[200];
	snprintf(got, sizeof(got), "%.*s%s", msg ? (int)strcspn(msg, "\n") : 0, msg ? msg : "",
		 strlen(out) < 600 ? " (short)" : " (long)");
	return got;
}

#define TOO_DEEP " ERROR: the program is nested too deeply: more than 10000 levels of parentheses, blocks or operators (short)"

TEST(test_parser_30000_nested_parentheses_are_nested_too_deeply)
{
	EXPECT_STR(too_deep("BEGIN { $x = ", "(", 30000, "1; }"), TOO_DEEP);
}

TEST(test_parser_30000_nested_blocks_are_nested_too_deeply)
{
	EXPECT_STR(too_deep("BEGIN ", "{", 30000, ""), TOO_DEEP);
}

TEST(test_parser_30000_unary_operators_are_nested_too_deeply)
{
	EXPECT_STR(too_deep("BEGIN { $x = ", "!", 30000, "1 }"), TOO_DEEP);
}

TEST(test_parser_long_else_if_chain_is_nested_too_deeply)
{
	EXPECT_STR(too_deep("BEGIN { ", "if (1) {} else ", 30000, "{} }"), TOO_DEEP);
}

TEST(test_parser_9000_nested_parentheses_are_fine)
{
	char *src = repeat("BEGIN { $x = ", "(", 9000, "1");
	size_t n = strlen(src);
	src = xrealloc(src, n + 9000 + 4);
	memset(src + n, ')', 9000);
	strcpy(src + n + 9000, "; }");
	EXPECT_STR(parse(src), "(program (probe BEGIN { (= $x 1) }))");
	free(src);
}

TEST(test_parser_90_nested_parentheses_are_fine)
{
	char *src = repeat("BEGIN { $x = ", "(", 90, "1");
	char *full = repeat(src, ")", 90, "; }");
	EXPECT_STR(parse(full), "(program (probe BEGIN { (= $x 1) }))");
	free(full);
	free(src);
}

TEST(test_parser_long_flat_lists_are_not_nesting)
{
	char *src = repeat("BEGIN { $t = (0", ", 1", 300, "); }");
	const char *out = parse(src);
	EXPECT_INT(strncmp(out, "(program (probe BEGIN { (= $t (tuple 0 1 1 1", 44), 0);
	free(src);
	src = repeat("BEGIN { ", "@x = 1; ", 1000, "}");
	out = parse(src);
	EXPECT_INT(strncmp(out, "(program (probe BEGIN { (= @x 1) (= @x 1)", 41), 0);
	free(src);
}
