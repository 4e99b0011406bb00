/* bpftrace map printout → folded stacks (out/collapse.c). Each test feeds
 * the text line by line and compares the folded lines it became. */
#include "test.h"
#include "out/collapse.h"
#include <stdio.h>
#include <string.h>

struct got {
	struct strbuf text;	/* "stack count @line\n" per entry */
	char err[256];
};

static void collect(void *ctx, const char *stack, size_t len, uint64_t count, long line)
{
	struct got *g = ctx;
	sb_putn(&g->text, stack, len);
	sb_printf(&g->text, " %llu @%ld\n", (unsigned long long)count, line);
}

/* Feeds IN; returns the folded lines, or "ERROR line N: message". */
static const char *collapse_text(const char *in)
{
	static struct got g;
	struct collapse c = { 0 };
	long lineno = 0;
	int r = 0;
	sb_free(&g.text);
	g.text = (struct strbuf){ 0 };
	sb_puts(&g.text, "");
	for (const char *p = in; *p && !r;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		r = collapse_line(&c, p, n, ++lineno, collect, &g);
		p += n;
	}
	if (!r && collapse_end(&c, collect, &g) < 0) {
		r = -1;
		lineno = 0;
	}
	if (r) {
		snprintf(g.err, sizeof(g.err), "ERROR line %ld: %s", lineno, sb_str(&c.err));
		collapse_free(&c);
		return g.err;
	}
	collapse_free(&c);
	return sb_str(&g.text);
}

static const char *frame(const char *line)
{
	static struct strbuf sb;
	sb_reset(&sb);
	sb_puts(&sb, "");
	collapse_frame(&sb, line, strlen(line));
	return sb_str(&sb);
}

TEST(test_collapse_ustack_count_becomes_root_first_without_offsets)
{
	EXPECT_STR(collapse_text("Attached 1 probe\n"
				 "chain 5\n\n\n"
				 "@[\n"
				 "    leaf+0\n"
				 "    inner+49\n"
				 "    main+652\n"
				 "    __libc_start_call_main+122\n"
				 "]: 5\n"),
		   "__libc_start_call_main;main;inner;leaf 5 @10\n");
}

TEST(test_collapse_kstack_then_ustack_then_comm_puts_comm_at_the_root_and_the_kernel_on_top)
{
	EXPECT_STR(collapse_text("@[\n"
				 "    perf_syscall_enter+475\n"
				 "    do_syscall_64+527\n"
				 ", \n"
				 "    getppid+9\n"
				 "    main+30\n"
				 ", sysload]: 3\n"),
		   "sysload;main;getppid;do_syscall_64;perf_syscall_enter 3 @7\n");
}

TEST(test_collapse_empty_kernel_stack_and_pid_and_comm_in_key_order)
{
	EXPECT_STR(collapse_text("@[, \n"
				 "    leaf+0\n"
				 "    main+3\n"
				 ", 20568, stacks]: 5\n"),
		   "20568;stacks;main;leaf 5 @4\n");
	EXPECT_STR(collapse_text("@f[stacks, \n"
				 "    leaf+0\n"
				 "]: 2\n"),
		   "@f;stacks;leaf 2 @3\n");
}

TEST(test_collapse_named_maps_get_a_root_frame_and_all_are_taken)
{
	EXPECT_STR(collapse_text("@a[\n    f+1\n]: 1\n"
				 "@c: 5\n"
				 "@d[stacks]: 3\n"
				 "@[\n    g+2\n]: 2\n"
				 "@a[\n    f+9\n]: 4\n"),
		   "@a;f 1 @3\ng 2 @8\n@a;f 4 @11\n");
}

TEST(test_collapse_one_line_entry_with_an_empty_stack_is_a_sample)
{
	EXPECT_STR(collapse_text("@[, stacks]: 5\n@[]: 2\n@b[, ]: 1\n@x[]: 7\n"),
		   "stacks 5 @1\n[empty stack] 2 @2\n@b;[empty stack] 1 @3\n@x;[empty stack] 7 @4\n");
}

TEST(test_collapse_perf_mode_drops_address_and_module_and_marks_the_kernel)
{
	EXPECT_STR(collapse_text("@k[\n"
				 "\tffffffff814c44eb perf_syscall_enter+475\n"
				 "\tffffffff8223e12f do_syscall_64+527\n"
				 ", \n"
				 "\t5622a3ece690 leaf+0 (/work/build/targets/stacks)\n"
				 "\t7fc0b613e24a __libc_start_call_main+122 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
				 "\t562a975fb3fc 0x562a975fb3fc ([unknown])\n"
				 "]: 5\n"),
		   "@k;0x562a975fb3fc;__libc_start_call_main;leaf;do_syscall_64_[k];perf_syscall_enter_[k] 5 @8\n");
}

TEST(test_collapse_frame_names)
{
	EXPECT_STR(frame("    leaf+0\n"), "leaf");
	EXPECT_STR(frame("    0x7f6aada70829"), "0x7f6aada70829");
	EXPECT_STR(frame("    operator+(int)+12"), "operator+(int)");
	EXPECT_STR(frame("    f+0x1f"), "f");
	EXPECT_STR(frame("    a+b"), "a+b");
	EXPECT_STR(frame("    +5"), "+5");
	EXPECT_STR(frame("    LazyCompile:*f;x.js:1+3"), "LazyCompile:*f:x.js:1");
	EXPECT_STR(frame("    bad alloc+3"), "bad alloc");	/* spaces: perf mode only after a tab */
	EXPECT_STR(frame("\t401136 main+6 (/tmp/a b/prog)"), "main");
	EXPECT_STR(frame("\tffffffff81000130 entry_SYSCALL_64_after_hwframe+118"),
		   "entry_SYSCALL_64_after_hwframe_[k]");
	EXPECT_STR(frame("   \r\n"), "");
}

TEST(test_collapse_values_counts_sums_stats_and_histograms)
{
	EXPECT_STR(collapse_text("@s[\n    f+1\n]: { .count = 5, .average = 3, .total = 15 }\n"
				 "@t[\n    f+1\n]: count 4, average 3, total 12\n"
				 "@h[\n    f+1\n]:\n"
				 "[2, 4)                 5 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
				 "[4, 8)                 2 |@@@@@@@@@@@@@@@@@@@@                                |\n"
				 "\n"
				 "@[\n    g+1\n]: 0\n"
				 "@l[\n    f+1\n]:\n"
				 "(..., 0)               1 |@@                                                  |\n"),
		   "@s;f 5 @3\n@t;f 4 @6\n@h;f 7 @9\ng 0 @15\n@l;f 1 @18\n");
}

TEST(test_collapse_what_is_not_bpftrace_layout_is_an_error_naming_the_line)
{
	EXPECT_STR(collapse_text("    leaf+4\n    main+3\n]: 42\n"),
		   "ERROR line 3: ']: 42' ends a map entry that never began (expected a line '@NAME[' before it)");
	EXPECT_STR(collapse_text("@[\n    leaf+4\nmain+3\n]: 1\n"),
		   "ERROR line 3: expected a stack frame (indented), ', ' or ']: COUNT' inside the entry of @ "
		   "that began on line 1, got 'main+3'");
	EXPECT_STR(collapse_text("@x[\n    leaf+4\n\n]: 1\n"),
		   "ERROR line 3: expected a stack frame (indented), ', ' or ']: COUNT' inside the entry of @x "
		   "that began on line 1, got a blank line");
	EXPECT_STR(collapse_text("@[\n    leaf+4\n]: stacks\n"),
		   "ERROR line 3: expected a count after ']:' (the value of count(), sum() or stats(), or a "
		   "histogram), got 'stacks'");
	EXPECT_STR(collapse_text("@[\n    leaf+4\n]: -3\n"),
		   "ERROR line 3: expected a count after ']:' (the value of count(), sum() or stats(), or a "
		   "histogram), got '-3'");
	EXPECT_STR(collapse_text("@[comm\n    leaf+4\n]: 1\n"),
		   "ERROR line 1: expected a line that starts a map entry to end in '[' or ', ' (a stack "
		   "follows), got 'comm'");
	EXPECT_STR(collapse_text("@[\n    leaf+4\n"),
		   "ERROR line 0: the input ends inside the entry of @ that began on line 1 (expected ']: COUNT')");
}

TEST(test_collapse_recognises_map_lines_and_entry_ends)
{
	EXPECT_INT(collapse_is_map_line("@[\n", 3), 1);
	EXPECT_INT(collapse_is_map_line("@cpu_1[", 7), 1);
	EXPECT_INT(collapse_is_map_line("@c: 5", 5), 1);
	EXPECT_INT(collapse_is_map_line("@", 1), 0);
	EXPECT_INT(collapse_is_map_line("@x y", 4), 0);
	EXPECT_INT(collapse_is_map_line("main;@x 1", 9), 0);
	EXPECT_INT(collapse_is_entry_end("]: 3\n", 5), 1);
	EXPECT_INT(collapse_is_entry_end(", comm]: 3", 10), 1);
	EXPECT_INT(collapse_is_entry_end("]:", 2), 1);
	EXPECT_INT(collapse_is_entry_end("a]: 3", 5), 0);
	EXPECT_INT(collapse_is_entry_end("]:x 3", 5), 0);
}
