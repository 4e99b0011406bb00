/*
 * Stack values print as bpftrace prints them: a newline, then one frame per
 * line, `sym+off` indented 8 spaces (4 inside a map key), unresolved user
 * frames as 0xADDR; `perf` mode prints "\tADDR sym+off (module)", `raw`
 * only the address. Frames come from the stack table by hash.
 */
#include "stacks.h"
#include "../python/merge.h"
#include "../sym/resolve.h"
#include "buildid.h"
#include <bpf/bpf.h>
#include <string.h>

int stack_frames(int stacks_fd, uint64_t hash, uint64_t *ips, int max)
{
	uint64_t v[1 + STACK_MAX_FRAMES];
	if (stacks_fd < 0 || !hash || bpf_map_lookup_elem(stacks_fd, &hash, v))
		return 0;
	int n = v[0] < (uint64_t)max ? (int)v[0] : max;
	/* a frame-pointer walk through code without frame pointers can end in a 0 "return address" */
	for (int i = 0; i < n; i++)
		if (!(ips[i] = v[1 + i]))
			return i;
	return n;
}

static void frame_text(struct strbuf *out, const struct value_ctx *vc, const struct type *t, int pid, uint64_t ip)
{
	struct sym_info si = { 0 };
	int known = !vc->syms ? 0 : t->stack_user ? sym_user_info(vc->syms, pid, ip, &si) : sym_kernel_info(vc->syms, ip, &si);
	if (t->stack_mode == STACK_BUILD_ID && si.kind != SYM_PYTHON) {
		stack_build_id_frame(out, vc, pid, ip, &si);
		return;
	}
	if (t->stack_mode == STACK_RAW) {
		sb_printf(out, "\t%llx\n", (unsigned long long)ip);
		return;
	}
	if (t->stack_mode == STACK_PERF) {
		sb_printf(out, "\t%llx ", (unsigned long long)ip);
		if (si.kind == SYM_PYTHON)
			sb_puts(out, si.name);
		else if (known)
			sb_printf(out, "%s+%llu", si.name, (unsigned long long)si.offset);
		else
			sb_printf(out, "0x%llx", (unsigned long long)ip);
		/* bpftrace names the module of user frames only */
		if (t->stack_user)
			sb_printf(out, " (%s)", known && si.module ? si.module : "[unknown]");
		sb_putc(out, '\n');
		return;
	}
	sb_printf(out, "%*s", vc->stack_indent ? vc->stack_indent : 8, "");
	if (si.kind == SYM_PYTHON)
		sb_printf(out, "%s\n", si.name);	/* "func (file.py:LINE)": no offset */
	else if (known)
		sb_printf(out, "%s+%llu\n", si.name, (unsigned long long)si.offset);
	else
		sb_printf(out, "0x%llx\n", (unsigned long long)ip);
}

/* Whether a one-frame user stack is complete: a thread's first function has no caller. */
static int is_thread_root(const struct value_ctx *vc, int pid, uint64_t ip)
{
	static const char *const roots[] = { "_start", "__clone3", "clone3", "__clone", "clone", "start_thread",
					     "runtime.goexit", "runtime.rt0_go", "runtime.mstart" };
	const char *name = vc->syms ? sym_user(vc->syms, pid, ip) : NULL;
	for (size_t i = 0; name && i < sizeof(roots) / sizeof(roots[0]); i++)
		if (!strcmp(name, roots[i]))
			return 1;
	return 0;
}

/*
 * A user stack cut short by code without frame pointers: one frame that is
 * not a thread's first function, or a second "frame" outside any mapped
 * code (the walk read a register used for data as a frame pointer).
 */
static int is_cut(const struct value_ctx *vc, int pid, const uint64_t *ips, int n, int limit)
{
	if (n == 1)
		return limit > 1 && !is_thread_root(vc, pid, ips[0]);
	struct sym_info si;
	return n >= 2 && (sym_user_info(vc->syms, pid, ips[1], &si), !si.module);
}

static void count_cut(struct stack_stats *st, const struct value_ctx *vc, int pid, uint64_t ip);

void stack_text(struct strbuf *out, const struct value_ctx *vc, const struct type *t, const uint8_t *data)
{
	uint64_t hash, pid, ips[STACK_MAX_FRAMES];
	memcpy(&hash, data, 8);
	memcpy(&pid, data + 8, 8);
	int n = stack_frames(vc->stacks_fd, hash, ips, t->stack_limit);
	if (!n)
		return;		/* no stack (a kernel thread's user side): an empty string, as bpftrace */
	if (t->stack_user)
		n = py_merge(vc->syms, (int)pid, ips, n);	/* Python frames in the interpreter's place */
	sb_putc(out, '\n');
	for (int i = 0; i < n; i++)
		frame_text(out, vc, t, (int)pid, ips[i]);
	if (t->stack_user)
		stack_check_cut(vc, (int)pid, ips, n, t->stack_limit);
}

void stack_check_cut(const struct value_ctx *vc, int pid, const uint64_t *ips, int n, int limit)
{
	/* a Python frame ends a ustack(python) or a walk the interpreter's chain completed */
	for (int i = 0; i < n && i < 2; i++)
		if (py_is_frame(ips[i]))
			return;
	if (n && vc->stack_stats && vc->syms && is_cut(vc, pid, ips, n, limit))
		count_cut(vc->stack_stats, vc, pid, ips[0]);
}

static void count_cut(struct stack_stats *st, const struct value_ctx *vc, int pid, uint64_t ip)
{
	struct sym_info si = { 0 };
	st->cut++;
	if (sym_user_info(vc->syms, pid, ip, &si), !si.module)
		return;
	for (int i = 0; i < STACK_STATS_MODULES; i++) {
		if (!st->module[i][0])
			snprintf(st->module[i], sizeof(st->module[i]), "%s", si.module);
		if (!strcmp(st->module[i], si.module)) {
			st->per_module[i]++;
			return;
		}
	}
}

void stack_stats_files(const struct stack_stats *st, struct strbuf *out)
{
	int used[STACK_STATS_MODULES] = { 0 };
	for (int k = 0; k < 3; k++) {
		int best = -1;
		for (int i = 0; i < STACK_STATS_MODULES && st->module[i][0]; i++)
			if (!used[i] && (best < 0 || st->per_module[i] > st->per_module[best]))
				best = i;
		if (best < 0)
			return;
		used[best] = 1;
		sb_printf(out, "%s%s", k ? ", " : "", st->module[best]);
	}
}
