#include "loader.h"
#include "funcinfo.h"
#include "../sema/btf.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct verifier_hint {
	const char *needle;	/* text in the kernel's log */
	const char *words;	/* the same thing in the script's terms */
};

/* The kernel's phrases, said in the script's terms. */
static const struct verifier_hint hints[] = {
	{ "back-edge", "this loop has no bound the verifier can prove: make the condition depend on a counter that reaches a limit" },
	{ "infinite loop", "this loop may never end: make the condition depend on a counter that reaches a limit" },
	{ "BPF program is too large", "the program is too large for the verifier: unroll less, or split the block" },
	{ "too deep", "its for loops over maps nest too deep: the kernel calls at most 8 functions in a chain (the probe, then each loop's body)" },
	{ "combined stack size", "the probe and its for loops' bodies (each a function with its own stack) use more than 512 bytes of stack together: use fewer variables or shorter strings (BPFTRACE_STRLEN)" },
	{ "invalid read from stack", "a value is read before it is set" },
	{ "unknown func", "a helper this kernel does not offer to this probe type" },
	{ "R0 invalid mem access", "a memory read the verifier cannot prove safe" },
	{ "invalid mem access", "a memory access the verifier cannot prove safe" },
	{ "div by zero", "a division by zero" },
	{ "jumps is too complex", "too many branches on one path for the verifier (each kstack/ustack is hashed in a loop of its frames): take fewer stacks, fewer frames (ustack(16)) or unroll less" },
};

/* The last instruction the verifier mentions: "N: (xx) ..." lines. */
static int failing_insn(const char *log)
{
	int last = -1;
	for (const char *p = log; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		int n;
		if (sscanf(p, "%d: (", &n) == 1)
			last = n;
	}
	return last;
}

static const char *last_line(const char *log, char *buf, size_t n)
{
	const char *end = log + strlen(log);
	while (end > log && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *start = end;
	/* skip the "processed N insns" trailer lines */
	for (int k = 0; k < 5 && start > log; k++) {
		start--;
		while (start > log && start[-1] != '\n')
			start--;
		if (strncmp(start, "processed ", 10) && strncmp(start, "verification time", 17) &&
		    strncmp(start, "stack depth", 11))
			break;
		end = start > log ? start - 1 : start;
	}
	snprintf(buf, n, "%.*s", (int)(end - start), start);
	return buf;
}

/* config: license and log_size (bpftrace's names); set once before loading */
static const char *prog_license = "GPL";
static size_t verifier_log_bytes = 1u << 20;

void bpf_set_load_config(const char *license, uint32_t log_size)
{
	if (license)
		prog_license = license;
	if (log_size)
		verifier_log_bytes = log_size;
}

static int load(enum bpf_prog_type prog_type, const struct probe_block *blk, const struct emitted *code, char *log,
		size_t logsz, int level)
{
	if (log)
		log[0] = 0;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = (__u32)logsz, .log_level = (__u32)level,
		    .expected_attach_type = (enum bpf_attach_type)blk->expected_attach_type,
		    .attach_btf_id = (__u32)blk->attach_btf_id,
		    .prog_flags = blk->sleepable ? BPF_F_SLEEPABLE : 0);
	struct bpf_func_info fi[FUNCINFO_MAX];
	int btf_fd = -1;
	if (code->sub_at || code->ncb) {
		btf_fd = bpf_funcinfo_btf();
		if (btf_fd < 0)
			return -1;
		opts.prog_btf_fd = (__u32)btf_fd;
		opts.func_info = fi;
		opts.func_info_cnt = (__u32)bpf_funcinfo_fill(fi, code);
		opts.func_info_rec_size = sizeof(fi[0]);
	}
	int fd = bpf_prog_load(prog_type, "sonde", prog_license, code->insns, (size_t)code->n, &opts);
	if (btf_fd >= 0) {
		int err = errno;
		close(btf_fd);
		errno = err;
	}
	return fd;
}

/*
 * A first load asks for statistics only (with -v) or nothing, so a large
 * valid program never fails for want of log space. Only a rejection loads
 * again with the full log, whose tail (the kernel keeps the end when the
 * buffer fills) names the failing instruction.
 */
int bpf_load_block(struct probe_block *blk, const struct emitted *code, struct diag *d, int verbose,
		   FILE *vout)
{
	char stats[4096];
	enum bpf_prog_type type = blk->prov->prog_type ? (enum bpf_prog_type)blk->prov->prog_type
						   : BPF_PROG_TYPE_RAW_TRACEPOINT;
	int fd = load(type, blk, code, verbose ? stats : NULL, verbose ? sizeof(stats) : 0, verbose ? 4 : 0);
	if (fd >= 0) {
		if (verbose && vout) {
			const char *p = strstr(stats, "processed ");
			fprintf(vout, "verifier: %s", p ? p : "(no statistics)\n");
		}
		blk->prog_fd = fd;
		return 0;
	}
	int err = errno;
	if (blk->sleepable && err != EPERM && err != EACCES) {
		/* an older kernel, or something sleepable programs may not have: the caller compiles it non-sleepable */
		if (verbose && vout) {
			char *log = xcalloc(1, 1u << 16), kmsg[256];
			load(type, blk, code, log, 1u << 16, 1);
			fprintf(vout, "NOTE: the kernel refused this probe as a sleepable program (%s); it runs non-sleepable, and reads of pages not yet in memory fail (counted)\n",
				last_line(log, kmsg, sizeof(kmsg))[0] ? kmsg : strerror(err));
			free(log);
		}
		return 1;
	}
	size_t logsz = verifier_log_bytes;	/* the kernel keeps the log's tail, where the reason is */
	char *log = xcalloc(1, logsz);
	if (err == EACCES || (err == E2BIG && code->ncb))	/* also the verifier's answer to a stack too large, */
		load(type, blk, code, log, logsz, 1);		/* or to map loops nested too deep: its log tells */
	if (err == EPERM || (err == EACCES && !log[0])) {
		free(log);
		diag_plain(d, "cannot load BPF programs: %s. sonde needs root or CAP_BPF and CAP_PERFMON", strerror(err));
		return -1;
	}
	if (err == E2BIG && !strstr(log, "too deep")) {
		/* The verifier gave up on the size: the log would only repeat the program. */
		diag_error(d, blk->node->span, "the kernel's verifier rejected this probe: the program is too large for the verifier (over a million instructions to check): bound the loops tighter, unroll less, or split the block");
		free(log);
		return -1;
	}
	if (!log[0])
		load(type, blk, code, log, logsz, 1);
	int at = failing_insn(log);
	char kmsg[256];
	last_line(log, kmsg, sizeof(kmsg));
	const char *words = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(hints) && !words; i++)
		if (strstr(log, hints[i].needle))
			words = hints[i].words;
	struct span sp = at >= 0 && at < code->n ? code->spans[at] : blk->node->span;
	diag_error(d, sp, "the kernel's verifier rejected this probe: %s (kernel says: %s)%s",
		   words ? words : "see the kernel's reason", kmsg[0] ? kmsg : strerror(err),
		   verbose ? "" : "; run with -v for the full verifier log");
	if (verbose && vout)
		fprintf(vout, "%s\n", log);
	free(log);
	return -1;
}

int bpf_test_run(int prog_fd, uint64_t probe_id)
{
	uint64_t ctx[1] = { probe_id };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
	return bpf_prog_test_run_opts(prog_fd, &opts);
}

int bpf_probe_sdiv(void)
{
	if (getenv("SONDE_NO_SDIV"))
		return 0;	/* tests force the emulation */
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = -7 },
		{ .code = BPF_ALU64 | BPF_DIV | BPF_K, .dst_reg = 0, .off = 1, .imm = 2 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "sdiv_probe", "GPL", prog, 3, NULL);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int bpf_probe_fentry(void)
{
	int id = kbtf_find_func("bpf_fentry_test1");
	if (id < 0)
		return ENOENT;
	struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY,
		    .attach_btf_id = (__u32)id);
	int fd = bpf_prog_load(BPF_PROG_TYPE_TRACING, "fentry_probe", "GPL", prog, 2, &opts);
	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}
