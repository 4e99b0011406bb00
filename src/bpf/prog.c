#include "loader.h"
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
	{ "combined stack size", "the program uses too much stack" },
	{ "invalid read from stack", "a value is read before it is set" },
	{ "unknown func", "a helper this kernel does not offer to this probe type" },
	{ "R0 invalid mem access", "a memory read the verifier cannot prove safe" },
	{ "invalid mem access", "a memory access the verifier cannot prove safe" },
	{ "div by zero", "a division by zero" },
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

int bpf_load_block(struct probe_block *blk, const struct emitted *code, struct diag *d, int verbose,
		   FILE *vout)
{
	size_t logsz = 1 << 20;
	char *log = xcalloc(1, logsz);
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log, .log_size = (__u32)logsz,
		    .log_level = verbose ? 1 | 4 : 0);
	int fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "sonde", "GPL",
			       code->insns, (size_t)code->n, &opts);
	if (fd < 0 && !verbose) {
		/* Load again with a log to explain the rejection. */
		opts.log_level = 1;
		log[0] = 0;
		fd = bpf_prog_load(BPF_PROG_TYPE_RAW_TRACEPOINT, "sonde", "GPL", code->insns,
				   (size_t)code->n, &opts);
	}
	if (verbose && vout) {
		const char *stats = strstr(log, "processed ");
		fprintf(vout, "verifier: %s", stats ? stats : "(no statistics)\n");
	}
	if (fd >= 0) {
		blk->prog_fd = fd;
		free(log);
		return 0;
	}
	int err = errno;
	if (err == EPERM || err == EACCES) {
		diag_plain(d, "cannot load BPF programs: %s. sonde needs root or CAP_BPF and CAP_PERFMON", strerror(err));
		free(log);
		return -1;
	}
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
