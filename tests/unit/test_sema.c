/* Semantic checks (language spec 2-6): the exact error messages, and the map,
 * variable and record types a successful check leaves in the script. Only
 * BEGIN/END/interval probes are used: their checks read nothing from the
 * kernel. */
#include "test.h"
#include "lang/parser.h"
#include "sema/sema.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char result[8192];
static char typebuf[256];
static int last_rc;

/* What a test sees of one checked script; open_script/close_script pair up. */
struct checked {
	struct script s;
	struct source src;
	char *buf;
	size_t len;
	int parsed;
	int rc;
};

static char *params[] = { "42", "str", "-5", "0x10" };

/* Parses and checks src with $1..$4 = 42, "str", -5, 0x10; diagnostics are
 * captured in result. */
static void open_script(struct checked *c, const char *src)
{
	memset(c, 0, sizeof(*c));
	c->src.name = "t";
	c->src.text = src;
	struct diag d = { .src = &c->src, .out = open_memstream(&c->buf, &c->len) };
	c->s.arena = arena_new();
	c->s.params = params;
	c->s.nparams = 4;
	c->s.prog = parse_program(c->s.arena, &d, src);
	c->parsed = c->s.prog != NULL;
	c->rc = c->parsed ? sema_check(&c->s, &d) : -2;
	fclose(d.out);
	snprintf(result, sizeof(result), "%s%s", c->parsed ? "" : "(parse failed) ",
		 c->buf ? c->buf : "");
	last_rc = c->rc;
}

static void close_script(struct checked *c)
{
	script_free(&c->s);
	free(c->buf);
}

/* The diagnostics of checking src ("" when clean); the return code is in last_rc. */
static const char *check(const char *src)
{
	struct checked c;
	open_script(&c, src);
	close_script(&c);
	return result;
}

static const char *type_text(const struct type *t)
{
	if (!t)
		return "(none)";
	struct strbuf sb = { 0 };
	type_name(t, &sb);
	snprintf(typebuf, sizeof(typebuf), "%s", sb_str(&sb));
	sb_free(&sb);
	return typebuf;
}

/* The program's tree after the check (folded positional parameters, unroll counts). */
static const char *dump_after_check(const char *src)
{
	struct checked c;
	open_script(&c, src);
	if (c.rc == 0) {
		struct strbuf sb = { 0 };
		ast_dump(c.s.prog, &sb);
		snprintf(result, sizeof(result), "%s", sb_str(&sb));
		sb_free(&sb);
	}
	close_script(&c);
	return result;
}

/* ---- names ---- */

TEST(test_sema_unknown_function)
{
	EXPECT_STR(check("BEGIN { foo(); }"),
		   "t:1:9-14: ERROR: Unknown function: foo\n"
		   "BEGIN { foo(); }\n"
		   "        ~~~~~\n");
	EXPECT_INT(last_rc, -1);
}

TEST(test_sema_reports_every_bad_statement_of_a_block)
{
	EXPECT_STR(check("BEGIN { foo(1); bar(); }"),
		   "t:1:9-15: ERROR: Unknown function: foo\n"
		   "BEGIN { foo(1); bar(); }\n"
		   "        ~~~~~~\n"
		   "t:1:17-22: ERROR: Unknown function: bar\n"
		   "BEGIN { foo(1); bar(); }\n"
		   "                ~~~~~\n");
	EXPECT_INT(last_rc, -1);
}

TEST(test_sema_undefined_variable)
{
	EXPECT_STR(check("BEGIN { $x = $y; }"),
		   "t:1:14-16: ERROR: Undefined or undeclared variable: $y\n"
		   "BEGIN { $x = $y; }\n"
		   "             ~~\n");
	EXPECT_INT(last_rc, -1);
}

TEST(test_sema_variables_are_local_to_their_probe)
{
	EXPECT_STR(check("BEGIN { $x = 1; } END { $y = $x; }"),
		   "t:1:30-32: ERROR: Undefined or undeclared variable: $x\n"
		   "BEGIN { $x = 1; } END { $y = $x; }\n"
		   "                             ~~\n");
}

TEST(test_sema_unknown_identifier)
{
	EXPECT_STR(check("BEGIN { $x = nope; }"),
		   "t:1:14-18: ERROR: Unknown identifier: 'nope'\n"
		   "BEGIN { $x = nope; }\n"
		   "             ~~~~\n");
}

TEST(test_sema_undefined_map)
{
	EXPECT_STR(check("BEGIN { $y = @nope; }"),
		   "t:1:14-19: ERROR: Undefined map: @nope\n"
		   "BEGIN { $y = @nope; }\n"
		   "             ~~~~~\n");
}

TEST(test_sema_only_variables_and_maps_can_be_assigned)
{
	EXPECT_STR(check("BEGIN { x = 1 }"),
		   "t:1:9-10: ERROR: only variables and maps can be assigned to\n"
		   "BEGIN { x = 1 }\n"
		   "        ~\n");
}

/* ---- type consistency ---- */

TEST(test_sema_map_value_type_mismatch)
{
	EXPECT_STR(check("BEGIN { @x = 1; @x = \"a\"; }"),
		   "t:1:17-19: ERROR: Type mismatch for @x: trying to assign value of type 'string[64]' when map already contains a value of type 'int64'\n"
		   "BEGIN { @x = 1; @x = \"a\"; }\n"
		   "                ~~\n");
	EXPECT_INT(last_rc, -1);
}

TEST(test_sema_map_aggregation_kind_mismatch)
{
	EXPECT_STR(check("BEGIN { @x = count(); @x = sum(1); }"),
		   "t:1:23-25: ERROR: Type mismatch for @x: trying to assign value of type 'sum_t' when map already contains a value of type 'count_t'\n"
		   "BEGIN { @x = count(); @x = sum(1); }\n"
		   "                      ~~\n");
}

TEST(test_sema_variable_type_mismatch)
{
	EXPECT_STR(check("BEGIN { $x = 1; $x = \"a\"; }"),
		   "t:1:17-19: ERROR: Type mismatch for $x: trying to assign value of type 'string[64]' when variable already contains a value of type 'int64'\n"
		   "BEGIN { $x = 1; $x = \"a\"; }\n"
		   "                ~~\n");
}

TEST(test_sema_map_key_type_mismatch)
{
	EXPECT_STR(check("BEGIN { @m[1] = 1; @m[\"a\"] = 2; }"),
		   "t:1:20-27: ERROR: Argument mismatch for @m: trying to access with arguments: 'string[64]' when map expects arguments: 'int64'\n"
		   "BEGIN { @m[1] = 1; @m[\"a\"] = 2; }\n"
		   "                   ~~~~~~~\n");
}

TEST(test_sema_map_tuple_key_order_mismatch)
{
	EXPECT_STR(check("BEGIN { @m[1, \"a\"] = 1; @m[\"a\", 1] = 2; }"),
		   "t:1:25-35: ERROR: Argument mismatch for @m: trying to access with arguments: '(string[64],int64)' when map expects arguments: '(int64,string[64])'\n"
		   "BEGIN { @m[1, \"a\"] = 1; @m[\"a\", 1] = 2; }\n"
		   "                        ~~~~~~~~~~\n");
}

TEST(test_sema_map_used_with_and_without_keys)
{
	EXPECT_STR(check("BEGIN { @x[1] = 1; $y = @x; }"),
		   "t:1:25-27: ERROR: @x used both with and without keys\n"
		   "BEGIN { @x[1] = 1; $y = @x; }\n"
		   "                        ~~\n");
}

TEST(test_sema_string_operand_of_arithmetic)
{
	EXPECT_STR(check("BEGIN { $x = \"a\" + 1; }"),
		   "t:1:14-17: ERROR: operator + cannot be used on a value of type string\n"
		   "BEGIN { $x = \"a\" + 1; }\n"
		   "             ~~~\n");
}

TEST(test_sema_ternary_branches_must_agree)
{
	EXPECT_STR(check("BEGIN { $x = 1 ? \"a\" : 2; }"),
		   "t:1:14-25: ERROR: Ternary operator must return the same type: have 'string[64]' and 'int64'\n"
		   "BEGIN { $x = 1 ? \"a\" : 2; }\n"
		   "             ~~~~~~~~~~~\n");
	EXPECT_STR(check("BEGIN { $x = 1 ? \"a\" : \"b\"; }"), "");
	EXPECT_INT(last_rc, 0);
}

TEST(test_sema_conditions_must_be_integers)
{
	EXPECT_STR(check("BEGIN { if (\"a\") { } }"),
		   "t:1:13-16: ERROR: an if condition must be an integer or bool (string[64] supplied)\n"
		   "BEGIN { if (\"a\") { } }\n"
		   "            ~~~\n");
	EXPECT_STR(check("BEGIN /\"a\"/ { }"),
		   "t:1:8-11: ERROR: a predicate must be an integer or bool (string[64] supplied)\n"
		   "BEGIN /\"a\"/ { }\n"
		   "       ~~~\n");
}

TEST(test_sema_tuple_index_out_of_range)
{
	EXPECT_STR(check("BEGIN { $t = (1, \"a\"); $y = $t.2; }"),
		   "t:1:29-33: ERROR: Invalid tuple index: 2. Found 2 elements in tuple.\n"
		   "BEGIN { $t = (1, \"a\"); $y = $t.2; }\n"
		   "                            ~~~~\n");
	EXPECT_STR(check("BEGIN { $y = (1).0; }"),
		   "t:1:15-19: ERROR: Can not access index '0' on expression of type 'int64'\n"
		   "BEGIN { $y = (1).0; }\n"
		   "              ~~~~\n");
}

/* ---- printf ---- */

TEST(test_sema_printf_integer_conversion_given_a_string)
{
	EXPECT_STR(check("BEGIN { printf(\"%d\\n\", \"a\"); }"),
		   "t:1:24-27: ERROR: printf: %d specifier expects a value of type integer (string supplied)\n"
		   "BEGIN { printf(\"%d\\n\", \"a\"); }\n"
		   "                       ~~~\n");
}

TEST(test_sema_printf_string_conversion_given_an_integer)
{
	EXPECT_STR(check("BEGIN { printf(\"%s\\n\", 1); }"),
		   "t:1:24-25: ERROR: printf: %s specifier expects a value of type string (int64 supplied)\n"
		   "BEGIN { printf(\"%s\\n\", 1); }\n"
		   "                       ~\n");
}

TEST(test_sema_printf_too_few_and_too_many_arguments)
{
	EXPECT_STR(check("BEGIN { printf(\"%d %d\\n\", 1); }"),
		   "t:1:9-29: ERROR: printf: Not enough arguments for format string (1 supplied, 2 expected)\n"
		   "BEGIN { printf(\"%d %d\\n\", 1); }\n"
		   "        ~~~~~~~~~~~~~~~~~~~~\n");
	EXPECT_STR(check("BEGIN { printf(\"%d\\n\", 1, 2); }"),
		   "t:1:9-29: ERROR: printf: Too many arguments for format string (2 supplied, 1 expected)\n"
		   "BEGIN { printf(\"%d\\n\", 1, 2); }\n"
		   "        ~~~~~~~~~~~~~~~~~~~~\n");
}

TEST(test_sema_printf_format_must_be_a_string_literal)
{
	EXPECT_STR(check("BEGIN { printf(1); }"),
		   "t:1:16-17: ERROR: printf() expects a string literal as its first argument\n"
		   "BEGIN { printf(1); }\n"
		   "               ~\n");
	EXPECT_STR(check("BEGIN { printf(); }"),
		   "t:1:9-17: ERROR: printf() expects a string literal as its first argument\n"
		   "BEGIN { printf(); }\n"
		   "        ~~~~~~~~\n");
}

TEST(test_sema_printf_makes_one_record_with_its_arguments)
{
	struct checked c;
	open_script(&c, "BEGIN { printf(\"%d %s\\n\", pid, comm); printf(\"x\\n\"); }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	EXPECT_INT(c.s.records.n, 2);
	if (c.s.records.n == 2) {
		struct record *r = c.s.records.v[0];
		EXPECT_INT(r->kind, REC_PRINTF);
		EXPECT_INT(r->id, 0);
		EXPECT_STR(r->fmt, "%d %s\n");
		EXPECT_INT(r->nargs, 2);
		EXPECT_STR(type_text(r->args[0]), "uint64");
		EXPECT_STR(type_text(r->args[1]), "string[64]");
		EXPECT_INT(c.s.records.v[1]->id, 1);
		EXPECT_STR(c.s.records.v[1]->fmt, "x\n");
		EXPECT_INT(c.s.records.v[1]->nargs, 0);
	}
	close_script(&c);
}

/* ---- aggregations ---- */

TEST(test_sema_count_assigned_to_a_variable_is_refused)
{
	EXPECT_STR(check("BEGIN { $x = count(); }"),
		   "t:1:14-21: ERROR: count() should be directly assigned to a map\n"
		   "BEGIN { $x = count(); }\n"
		   "             ~~~~~~~\n");
}

TEST(test_sema_count_inside_an_expression_is_refused)
{
	EXPECT_STR(check("BEGIN { print(count()); }"),
		   "t:1:15-22: ERROR: count() should be directly assigned to a map\n"
		   "BEGIN { print(count()); }\n"
		   "              ~~~~~~~\n");
	EXPECT_STR(check("BEGIN { @x = count() + 1; }"),
		   "t:1:14-21: ERROR: count() should be directly assigned to a map\n"
		   "BEGIN { @x = count() + 1; }\n"
		   "             ~~~~~~~\n");
}

TEST(test_sema_aggregation_argument_count_and_type)
{
	EXPECT_STR(check("BEGIN { @x = count(1) }"),
		   "t:1:14-22: ERROR: count() requires 0 arguments (1 provided)\n"
		   "BEGIN { @x = count(1) }\n"
		   "             ~~~~~~~~\n");
	EXPECT_STR(check("BEGIN { @x = sum(\"a\") }"),
		   "t:1:18-21: ERROR: sum() expects an integer argument (string[64] supplied)\n"
		   "BEGIN { @x = sum(\"a\") }\n"
		   "                 ~~~\n");
	EXPECT_STR(check("BEGIN { @x = lhist(1, 0, 10, 0) }"),
		   "t:1:14-32: ERROR: lhist() needs 0 <= min < max and step > 0\n"
		   "BEGIN { @x = lhist(1, 0, 10, 0) }\n"
		   "             ~~~~~~~~~~~~~~~~~~\n");
}

TEST(test_sema_histogram_cannot_be_read_in_an_expression)
{
	EXPECT_STR(check("BEGIN { @x = hist(1); $y = @x; }"),
		   "t:1:28-30: ERROR: the hist_t value of @x cannot be read in an expression; print(@x) shows it\n"
		   "BEGIN { @x = hist(1); $y = @x; }\n"
		   "                           ~~\n");
}

/* ---- unroll ---- */

TEST(test_sema_unroll_count_must_be_between_1_and_100)
{
	EXPECT_STR(check("BEGIN { unroll(0) { } }"),
		   "t:1:16-17: ERROR: unroll count must be between 1 and 100\n"
		   "BEGIN { unroll(0) { } }\n"
		   "               ~\n");
	EXPECT_STR(check("BEGIN { unroll(101) { } }"),
		   "t:1:16-19: ERROR: unroll count must be between 1 and 100\n"
		   "BEGIN { unroll(101) { } }\n"
		   "               ~~~\n");
	EXPECT_STR(check("BEGIN { unroll(-1) { } }"),
		   "t:1:16-18: ERROR: unroll count must be between 1 and 100\n"
		   "BEGIN { unroll(-1) { } }\n"
		   "               ~~\n");
}

TEST(test_sema_unroll_count_must_be_a_literal)
{
	EXPECT_STR(check("BEGIN { $x = 2; unroll($x) { } }"),
		   "t:1:24-26: ERROR: unroll count must be an integer literal\n"
		   "BEGIN { $x = 2; unroll($x) { } }\n"
		   "                       ~~\n");
}

TEST(test_sema_unroll_bounds_are_inclusive_and_the_count_is_recorded)
{
	EXPECT_STR(dump_after_check("BEGIN { unroll(1) { @a = 1 } unroll(100) { @b = 2 } }"),
		   "(program (probe BEGIN { (unroll 1 { (= @a 1) }) (unroll 100 { (= @b 2) }) }))");
	EXPECT_INT(last_rc, 0);
}

/* ---- probe types ---- */

TEST(test_sema_kprobe_refusal_names_the_missing_kernel_feature)
{
	EXPECT_STR(check("kprobe:do_sys_open { }"),
		   "t:1:1-19: ERROR: kprobe: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)\n"
		   "kprobe:do_sys_open { }\n"
		   "~~~~~~~~~~~~~~~~~~\n");
	EXPECT_INT(last_rc, -1);
	EXPECT_STR(check("kretprobe:x { }"),
		   "t:1:1-12: ERROR: kretprobe: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)\n"
		   "kretprobe:x { }\n"
		   "~~~~~~~~~~~\n");
	EXPECT_STR(check("kr:x { }"),
		   "t:1:1-5: ERROR: kr: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)\n"
		   "kr:x { }\n"
		   "~~~~\n");
}

TEST(test_sema_fentry_refusal_names_the_missing_kernel_feature)
{
	EXPECT_STR(check("fentry:vfs_read { }"),
		   "t:1:1-16: ERROR: fentry: fentry/fexit are not available on this kernel (loading a tracing program fails: Operation not permitted)\n"
		   "fentry:vfs_read { }\n"
		   "~~~~~~~~~~~~~~~\n");
	EXPECT_STR(check("fexit:x { }"),
		   "t:1:1-8: ERROR: fexit: fentry/fexit are not available on this kernel (loading a tracing program fails: Operation not permitted)\n"
		   "fexit:x { }\n"
		   "~~~~~~~\n");
	EXPECT_STR(check("kfunc:x { }"),
		   "t:1:1-8: ERROR: kfunc: fentry/fexit are not available on this kernel (loading a tracing program fails: Operation not permitted)\n"
		   "kfunc:x { }\n"
		   "~~~~~~~\n");
}

TEST(test_sema_hardware_refusal_names_the_missing_pmu)
{
	EXPECT_STR(check("hardware:cpu-cycles:100 { }"),
		   "t:1:1-24: ERROR: hardware: hardware events are not available: this machine has no hardware PMU\n"
		   "hardware:cpu-cycles:100 { }\n"
		   "~~~~~~~~~~~~~~~~~~~~~~~\n");
	EXPECT_STR(check("h:cpu-cycles { }"),
		   "t:1:1-13: ERROR: h: hardware events are not available: this machine has no hardware PMU\n"
		   "h:cpu-cycles { }\n"
		   "~~~~~~~~~~~~\n");
}

TEST(test_sema_probe_types_not_supported_yet_say_so)
{
	EXPECT_STR(check("asyncwatchpoint:0x1000:8:w { }"),
		   "t:1:1-27: ERROR: asyncwatchpoint: asynchronous watchpoints are not supported by this version of sonde yet\n"
		   "asyncwatchpoint:0x1000:8:w { }\n"
		   "~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
	EXPECT_STR(check("watchpoint:0x1000:8:w { }"),
		   "t:1:1-22: ERROR: a watchpoint watches one process: give it with -p PID or -c CMD\n"
		   "watchpoint:0x1000:8:w { }\n"
		   "~~~~~~~~~~~~~~~~~~~~~\n");
	EXPECT_STR(check("usdt:/bin/x:p { }"),
		   "t:1:1-14: ERROR: cannot find binary or library '/bin/x' for usdt:/bin/x:p (a path inside a container "
		   "exists only there: add -p PID of a process in it, or write /proc/PID/root/bin/x)\n"
		   "usdt:/bin/x:p { }\n"
		   "~~~~~~~~~~~~~\n");
}

TEST(test_sema_invalid_probe_type)
{
	EXPECT_STR(check("bogus:x { }"),
		   "t:1:1-8: ERROR: Invalid probe type: bogus (run `sonde -l` to list the probes sonde can attach)\n"
		   "bogus:x { }\n"
		   "~~~~~~~\n");
	EXPECT_INT(last_rc, -1);
}

TEST(test_sema_every_bad_attach_point_of_a_block_is_reported)
{
	EXPECT_STR(check("bogus:x, kprobe:f { }"),
		   "t:1:1-8: ERROR: Invalid probe type: bogus (run `sonde -l` to list the probes sonde can attach)\n"
		   "bogus:x, kprobe:f { }\n"
		   "~~~~~~~\n"
		   "t:1:10-18: ERROR: kprobe: kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)\n"
		   "bogus:x, kprobe:f { }\n"
		   "         ~~~~~~~~\n");
}

TEST(test_sema_begin_takes_no_arguments)
{
	EXPECT_STR(check("BEGIN:foo { }"),
		   "t:1:1-10: ERROR: BEGIN takes no arguments: BEGIN:foo\n"
		   "BEGIN:foo { }\n"
		   "~~~~~~~~~\n");
}

TEST(test_sema_probes_of_different_run_modes_cannot_share_a_block)
{
	EXPECT_STR(check("BEGIN, interval:s:1 { }"),
		   "t:1:8-20: ERROR: interval cannot share a block with BEGIN\n"
		   "BEGIN, interval:s:1 { }\n"
		   "       ~~~~~~~~~~~~\n");
}

TEST(test_sema_invalid_interval)
{
	EXPECT_STR(check("interval:s:0 { }"),
		   "t:1:1-13: ERROR: invalid interval probe: interval:s:0 (expected interval:UNIT:N with UNIT one of s, ms, us, ns, hz)\n"
		   "interval:s:0 { }\n"
		   "~~~~~~~~~~~~\n");
	EXPECT_STR(check("interval:xs:1 { }"),
		   "t:1:1-14: ERROR: invalid interval probe: interval:xs:1 (expected interval:UNIT:N with UNIT one of s, ms, us, ns, hz)\n"
		   "interval:xs:1 { }\n"
		   "~~~~~~~~~~~~~\n");
	EXPECT_STR(check("interval:ms: { }"),
		   "t:1:1-13: ERROR: invalid interval probe: interval:ms: (expected interval:UNIT:N with UNIT one of s, ms, us, ns, hz)\n"
		   "interval:ms: { }\n"
		   "~~~~~~~~~~~~\n");
}

TEST(test_sema_interval_periods_and_probe_names)
{
	struct checked c;
	open_script(&c, "interval:s:2, i:ms:100, interval:hz:4, interval:100us, interval:500 { }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.s.points.n, 5);
	if (c.s.points.n == 5) {
		EXPECT_STR(c.s.points.v[0]->name, "interval:s:2");
		EXPECT_INT(c.s.points.v[0]->period_ns, 2000000000);
		EXPECT_STR(c.s.points.v[1]->name, "interval:ms:100");
		EXPECT_INT(c.s.points.v[1]->period_ns, 100000000);
		EXPECT_STR(c.s.points.v[2]->name, "interval:hz:4");
		EXPECT_INT(c.s.points.v[2]->period_ns, 250000000);
		EXPECT_STR(c.s.points.v[3]->name, "interval:100us");
		EXPECT_INT(c.s.points.v[3]->period_ns, 100000);
		EXPECT_STR(c.s.points.v[4]->name, "interval:500");
		EXPECT_INT(c.s.points.v[4]->period_ns, 500);
	}
	EXPECT_INT(c.s.blocks.n, 1);
	close_script(&c);
}

TEST(test_sema_begin_and_end_accept_their_new_lowercase_spelling)
{
	struct checked c;
	open_script(&c, "begin { } end { } BEGIN { }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	EXPECT_INT(c.s.points.n, 3);
	if (c.s.points.n == 3) {
		EXPECT_STR(c.s.points.v[0]->name, "BEGIN");
		EXPECT_STR(c.s.points.v[1]->name, "END");
		EXPECT_STR(c.s.points.v[2]->name, "BEGIN");
		EXPECT_INT(c.s.points.v[0]->id, 0);
		EXPECT_INT(c.s.points.v[2]->id, 2);
	}
	close_script(&c);
}

/* ---- builtins ---- */

TEST(test_sema_arg0_is_not_available_in_begin)
{
	EXPECT_STR(check("BEGIN { $x = arg0; }"),
		   "t:1:14-18: ERROR: builtin arg0 is not available for probe type BEGIN\n"
		   "BEGIN { $x = arg0; }\n"
		   "             ~~~~\n");
	EXPECT_STR(check("END { $x = retval; }"),
		   "t:1:12-18: ERROR: builtin retval is not available for probe type END\n"
		   "END { $x = retval; }\n"
		   "           ~~~~~~\n");
	EXPECT_STR(check("interval:s:1 { printf(\"%s\", func); }"),
		   "t:1:29-33: ERROR: builtin func is not available for probe type interval\n"
		   "interval:s:1 { printf(\"%s\", func); }\n"
		   "                            ~~~~\n");
}

TEST(test_sema_pid_comm_and_friends_have_their_types)
{
	struct checked c;
	open_script(&c, "BEGIN { $p = pid; $c = comm; $n = nsecs; $b = 1 == 2; $q = probe; }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	if (c.s.blocks.n == 1 && c.s.blocks.v[0]->vars.n == 5) {
		struct var *v = c.s.blocks.v[0]->vars.v;
		EXPECT_STR(v[0].name, "$p");
		EXPECT_STR(type_text(v[0].type), "uint64");
		EXPECT_STR(v[1].name, "$c");
		EXPECT_STR(type_text(v[1].type), "string[64]");
		EXPECT_STR(type_text(v[2].type), "uint64");
		EXPECT_STR(type_text(v[3].type), "bool");
		EXPECT_STR(type_text(v[4].type), "probe");
	} else {
		EXPECT_INT(c.s.blocks.n == 1 ? c.s.blocks.v[0]->vars.n : -1, 5);
	}
	close_script(&c);
}

TEST(test_sema_expression_statement_without_effect_warns_but_passes)
{
	EXPECT_STR(check("BEGIN { 1; }"),
		   "t:1:9-10: WARNING: expression has no effect\n"
		   "BEGIN { 1; }\n"
		   "        ~\n");
	EXPECT_INT(last_rc, 0);
}

/* ---- positional parameters ---- */

TEST(test_sema_numeric_positional_parameter_becomes_an_integer)
{
	EXPECT_STR(dump_after_check("BEGIN { $a = $1; $b = $4; $c = $1 + 1; }"),
		   "(program (probe BEGIN { (= $a 42) (= $b 16) (= $c (+ 42 1)) }))");
	EXPECT_INT(last_rc, 0);
}

TEST(test_sema_negative_positional_parameter_is_a_signed_negation)
{
	struct checked c;
	open_script(&c, "BEGIN { $n = $3; }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	if (c.rc == 0) {
		struct node *assign = c.s.prog->list->b->list;
		EXPECT_INT(assign->b->kind, N_UNOP);
		EXPECT_INT(assign->b->a->kind, N_INT);
		EXPECT_INT((int64_t)assign->b->a->ival, 5);
		EXPECT_INT(assign->b->type->is_signed, 1);
	}
	close_script(&c);
}

TEST(test_sema_string_positional_parameter_becomes_a_string)
{
	EXPECT_STR(dump_after_check("BEGIN { $s = $2; printf(\"%s %d\\n\", $2, $1); }"),
		   "(program (probe BEGIN { (= $s \"str\") (call printf \"%s %d\\n\" \"str\" 42) }))");
	EXPECT_INT(last_rc, 0);
}

TEST(test_sema_string_positional_parameter_in_arithmetic_is_an_error)
{
	EXPECT_STR(check("BEGIN { $x = $2 + 1; }"),
		   "t:1:14-16: ERROR: operator + cannot be used on a value of type string\n"
		   "BEGIN { $x = $2 + 1; }\n"
		   "             ~~\n");
	EXPECT_STR(check("BEGIN { printf(\"%s\\n\", $1); }"),
		   "t:1:24-26: ERROR: printf: %s specifier expects a value of type string (int64 supplied)\n"
		   "BEGIN { printf(\"%s\\n\", $1); }\n"
		   "                       ~~\n");
}

TEST(test_sema_parameter_count_and_missing_parameter)
{
	EXPECT_STR(dump_after_check("BEGIN { $n = $#; $m = $9; }"),
		   "(program (probe BEGIN { (= $n 4) (= $m 0) }))");
	EXPECT_INT(last_rc, 0);
}

/* ---- map and variable types after a successful check ---- */

TEST(test_sema_sets_count_map_and_tuple_keyed_map_types)
{
	struct checked c;
	open_script(&c, "BEGIN { @x = count(); @y[\"a\", 1] = 5; }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	EXPECT_INT(c.s.maps.n, 2);

	struct mapinfo *x = script_find_map(&c.s, "@x");
	EXPECT_INT(x != NULL, 1);
	if (x) {
		EXPECT_INT(x->key == NULL, 1);
		EXPECT_INT(x->val ? (int)x->val->kind : -1, TY_COUNT);
		EXPECT_STR(type_text(x->val), "count_t");
		EXPECT_INT(x->id, 0);
	}

	struct mapinfo *y = script_find_map(&c.s, "@y");
	EXPECT_INT(y != NULL, 1);
	if (y && y->key) {
		EXPECT_INT(y->key->kind, TY_TUPLE);
		EXPECT_INT(y->key->nfields, 2);
		EXPECT_INT(y->key->fields[0]->kind, TY_STR);
		EXPECT_INT(y->key->fields[0]->size, 64);
		EXPECT_INT(y->key->fields[1]->kind, TY_INT);
		EXPECT_INT(y->key->fields[1]->size, 8);
		EXPECT_INT(y->key->fields[1]->is_signed, 1);
		/* fields at 8-byte aligned offsets: the string, then the integer */
		EXPECT_INT(y->key->offs[0], 0);
		EXPECT_INT(y->key->offs[1], 64);
		EXPECT_INT(y->key->size, 72);
		EXPECT_STR(type_text(y->key), "(string[64],int64)");
		EXPECT_STR(type_text(y->val), "int64");
		EXPECT_INT(y->id, 1);
	} else {
		EXPECT_STR(y ? type_text(y->key) : "(no @y)", "(string[64],int64)");
	}
	EXPECT_INT(script_find_map(&c.s, "@z") == NULL, 1);
	close_script(&c);
}

TEST(test_sema_sets_aggregation_and_anonymous_map_types)
{
	struct checked c;
	open_script(&c, "BEGIN { @ = 1; @h[comm] = hist(5); @l = lhist(3, 0, 100, 10); @s = sum(-1); @t = (1, \"a\"); }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	struct mapinfo *m;
	m = script_find_map(&c.s, "@");
	EXPECT_STR(m ? type_text(m->val) : "(no @)", "int64");
	m = script_find_map(&c.s, "@h");
	EXPECT_STR(m ? type_text(m->key) : "(no @h)", "string[64]");
	EXPECT_STR(m ? type_text(m->val) : "(no @h)", "hist_t");
	m = script_find_map(&c.s, "@l");
	EXPECT_STR(m ? type_text(m->val) : "(no @l)", "lhist_t");
	if (m && m->val) {
		EXPECT_INT(m->val->lmin, 0);
		EXPECT_INT(m->val->lmax, 100);
		EXPECT_INT(m->val->lstep, 10);
	}
	m = script_find_map(&c.s, "@s");
	EXPECT_STR(m ? type_text(m->val) : "(no @s)", "sum_t");
	EXPECT_INT(m && m->val ? m->val->is_signed : -1, 1);
	m = script_find_map(&c.s, "@t");
	EXPECT_STR(m ? type_text(m->val) : "(no @t)", "(int64,string[64])");
	close_script(&c);
}

TEST(test_sema_map_type_is_learned_from_a_later_probe)
{
	struct checked c;
	open_script(&c, "BEGIN { $y = @x + 1; } END { @x = 1; }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	struct mapinfo *m = script_find_map(&c.s, "@x");
	EXPECT_STR(m ? type_text(m->val) : "(no @x)", "int64");
	close_script(&c);
}

TEST(test_sema_increment_makes_a_new_map_an_int64)
{
	struct checked c;
	open_script(&c, "BEGIN { @n++; @m[1] += 2; }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	struct mapinfo *m = script_find_map(&c.s, "@n");
	EXPECT_STR(m ? type_text(m->val) : "(no @n)", "int64");
	m = script_find_map(&c.s, "@m");
	EXPECT_STR(m ? type_text(m->key) : "(no @m)", "int64");
	EXPECT_STR(m ? type_text(m->val) : "(no @m)", "int64");
	close_script(&c);
}

TEST(test_sema_small_integer_cast_widens_when_stored)
{
	struct checked c;
	open_script(&c, "BEGIN { @a = (uint8)300; $b = (int16)1; @k[(uint32)1] = 1; }");
	EXPECT_STR(result, "");
	EXPECT_INT(c.rc, 0);
	struct mapinfo *m = script_find_map(&c.s, "@a");
	EXPECT_STR(m ? type_text(m->val) : "(no @a)", "uint64");
	m = script_find_map(&c.s, "@k");
	EXPECT_STR(m ? type_text(m->key) : "(no @k)", "uint64");
	if (c.s.blocks.n == 1 && c.s.blocks.v[0]->vars.n == 1)
		EXPECT_STR(type_text(c.s.blocks.v[0]->vars.v[0].type), "int64");
	close_script(&c);
}

TEST(test_sema_signed_and_unsigned_integers_share_a_map)
{
	EXPECT_STR(check("BEGIN { @x = 1; @x = pid; $v = -1; $v = pid; }"), "");
	EXPECT_INT(last_rc, 0);
}
