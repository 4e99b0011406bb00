/* Typed AST of one probe block → verifier-ready BPF instructions. */
#ifndef SONDE_CODEGEN_H
#define SONDE_CODEGEN_H
#include "../sema/sema.h"
#include "ir.h"

struct codegen_env {
	int ringbuf_fd;
	int lost_fd;		/* per-CPU u64: records the ring buffer had no room for */
	int exit_fd;		/* {u64 requested, s64 code}: exit() even when its record is lost */
	uint32_t ringbuf_wake_bytes;	/* force a wake-up past this much unread data */
	int have_sdiv;		/* BPF v4 signed division */
	int ncpus;		/* possible CPUs: per-CPU values read in expressions are combined over them */
	uint64_t start_ns;
	int nest_fd;		/* per-CPU u64: bitmap of the scratch levels in use */
	/* Creates a per-CPU array of `levels` scratch areas of `size` bytes; fd or -1. */
	int (*new_scratch_map)(void *ctx, int size, int levels);
	void *ctx;
	int stack_budget;	/* 0: the default; tests shrink it to exercise scratch */
	int filter_pid;		/* -p: attached probes return early for other processes */
	uint64_t filter_cgroup;	/* --cgroup: attached probes return early in other cgroups (v2 id) */
	int usym_pids_fd;	/* usym(): the set of processes seen, -1 when unused */
	int stacks_fd;		/* kstack/ustack: hash of frames → {u64 nr, u64 ips[STACK_MAX_FRAMES]}; -1 when unused */
	int stack_lost_fd;	/* per-CPU u64: stacks the full table could not take */
	int map_full_fd;	/* per-CPU u64 per script map (key: mapinfo.id): new keys a full map refused; -1 without maps */
	int warn_reads;		/* -k: a failed user read also sends a REC_ID_READ_FAILED record with its span */
	int read_fail_fd;	/* per-CPU u64 per block (key: probe_block.id): user-memory reads that failed; -1: not counted */
	int can_sleep;		/* user-space probes may load sleepable (BPF_F_SLEEPABLE) and fault pages in */
	/* ustack through CFI (src/unwind/): the processes' mappings, the tables' rows, processes to load; -1: walk rbp only */
	int unw_procs_fd, unw_rows_fd, unw_pending_fd;
	int py_procs_fd;	/* Python frames in ustack: tgid → struct py_proc (python/layout.h); -1: native only */
};

#define SCRATCH_LEVELS 4	/* a profile probe may interrupt a tracepoint on one CPU */

/* 0, or -1 with the reason in err. With dump != NULL, writes the IR for -v. */
int codegen_block(struct script *s, struct probe_block *blk, const struct codegen_env *env,
		  struct emitted *out, struct strbuf *dump, char *err, size_t errlen);

#endif
