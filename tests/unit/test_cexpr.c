/* BCC's C expressions in trace and argdist specs → sonde's language (tools/cexpr.c). */
#include "test.h"
#include "tools/cexpr.h"
#include <string.h>

static const struct cx_alias trace_names[] = {
	{ "retval", "retval" }, { "$pid", "tid" }, { "$tgid", "pid" }, { "$comm", "comm" }, { 0 },
};

/* The translation of IN, or "ERROR: message". */
static const char *tr(struct cexpr *cx, const char *in)
{
	static struct strbuf out;
	char err[256];
	sb_free(&out);
	out = (struct strbuf){ 0 };
	sb_puts(&out, "");
	if (cexpr_translate(cx, in, &out, err, sizeof(err))) {
		sb_reset(&out);
		sb_printf(&out, "ERROR: %s", err);
	}
	return sb_str(&out);
}

TEST(test_cexpr_trace_arguments_count_from_one_and_specials_become_builtins)
{
	struct cexpr cx = { .aliases = trace_names, .one_based_args = 1 };
	EXPECT_STR(tr(&cx, "arg1 > 10 && $pid != $tgid"), "arg0 > 10 && tid != pid");
	EXPECT_STR(tr(&cx, "arg6 == 'a'"), "arg5 == 97");
	EXPECT_STR(tr(&cx, "arg0"), "ERROR: 'arg0': the arguments are arg1 to arg6");
	EXPECT_STR(tr(&cx, "retval"), "ERROR: retval is the return value: it needs a return probe (r:)");
	EXPECT_STR(tr(&cx, "$nope"), "ERROR: unknown special '$nope' (known: $pid $tgid $comm)");
}

TEST(test_cexpr_casts_numbers_and_strings)
{
	struct cexpr cx = { .aliases = trace_names, .one_based_args = 1 };
	EXPECT_STR(tr(&cx, "(unsigned int)arg2 + (char *)arg1 + 10UL"), "(uint32)arg1 + (uint64)arg0 + 10");
	EXPECT_STR(tr(&cx, "str(arg1) == \"a:b\""), "str(arg0) == \"a:b\"");
	EXPECT_STR(tr(&cx, "(arg1 + 1) * 0x10"), "(arg0 + 1) * 0x10");
	EXPECT_STR(tr(&cx, "arg1->f"), "ERROR: '->': struct members are not supported (only a tracepoint's args->FIELD)");
}

TEST(test_cexpr_tracepoint_fields_either_spelling)
{
	struct cexpr cx = { .aliases = trace_names, .tracepoint = 1 };
	EXPECT_STR(tr(&cx, "args->fd == 3 && args.count > 0"), "args.fd == 3 && args.count > 0");
}

TEST(test_cexpr_signature_names_parameters_and_return_probes_need_entry)
{
	static const struct cx_alias names[] = { { "$retval", "retval" }, { "$latency", "$ad_lat" }, { 0 } };
	struct cexpr cx = { .aliases = names, .entry_ok = 1 };
	char err[256];
	EXPECT_INT(cexpr_signature(&cx, "int fd, const char *buf, size_t n", err, sizeof(err)), 0);
	EXPECT_INT(cx.nparams, 3);
	EXPECT_STR(tr(&cx, "n > 16 && fd"), "arg2 > 16 && arg0");
	EXPECT_STR(tr(&cx, "$latency"), "ERROR: $latency is timed from entry to return: it needs a return probe (r:)");
	cx.ret = 1;
	EXPECT_STR(tr(&cx, "$entry(n) + $latency"), "$ad_e2 + $ad_lat");
	EXPECT_INT(cx.entry_used[2] && cx.latency_used, 1);
	EXPECT_STR(tr(&cx, "fd"), "ERROR: 'fd' is a parameter: a return probe no longer has it (its value at entry: $entry(NAME))");
	cexpr_free(&cx);
	EXPECT_INT(cexpr_signature(&cx, "struct file f", err, sizeof(err)), -1);
}

TEST(test_cexpr_types)
{
	EXPECT_STR(cexpr_type("unsigned long", 1), "uint64");
	EXPECT_STR(cexpr_type("const char *", 1), "str");
	EXPECT_STR(cexpr_type("char*", 0), "uint64");
	EXPECT_STR(cexpr_type("u32", 1), "uint32");
	EXPECT_INT(cexpr_type("float", 1) == NULL, 1);
}
