/* The checked script: probes, maps, records — what codegen and the runtime consume. */
#ifndef SONDE_SEMA_H
#define SONDE_SEMA_H
#include "../lang/ast.h"
#include "../probe/provider.h"
#include "../out/format.h"
#include "types.h"

struct mapinfo {
	char *name;		/* "@", "@x" */
	struct type *key;	/* NULL: a scalar map (one u64 zero key) */
	struct type *val;
	struct span first_use;
	int id;
	int fd;			/* after creation */
	int key_size;		/* BPF key: user key (or 8), plus 8 for a hist/lhist bucket */
	int value_size;
	int percpu;		/* aggregations count per CPU, summed when printed */
	uint32_t max_entries;	/* `let @m = hash(N)`: N keys; 0: the script's default */
	int lru;		/* lruhash/percpulruhash: the least recently used key gives way to a new one */
};

enum rec_kind { REC_PRINTF, REC_PRINT_MAP, REC_PRINT_VAL, REC_CLEAR, REC_ZERO, REC_EXIT, REC_TIME, REC_JOIN };

/* Where a printf-like call's text goes (rt/sinks.c). */
enum printf_sink { PRINTF_STDOUT, PRINTF_ERRORF, PRINTF_WARNF, PRINTF_SYSTEM, PRINTF_CAT };

#define JOIN_MAX_ARGS 16	/* join() reads at most this many array elements, as bpftrace */

/*
 * uprobe points before the frame is set up (a function's entry, a Go stack
 * check, a RET): the caller is only in [sp]. The kernel's walk adds it when
 * the probed instruction is `push %rbp` or `endbr64`, not otherwise.
 */
enum stack_ra {
	STACK_RA_NONE,		/* the walk is complete (or some point is mid-function: [sp] means nothing) */
	STACK_RA_INSERT,	/* every point needs [sp] added after the first frame */
	STACK_RA_UNLESS_KERNEL,	/* points of both kinds: add it unless the walk already has it */
	STACK_RA_RETURN,	/* Go RETs: [sp] replaces the returning function's frame, as after a uretprobe */
};

/* Not a script's record: {id, u64 pid} asks user space to read a process's maps now, while it lives. */
#define REC_ID_SNAPSHOT 0xffffffffffff0001ull
/* -k: {id, errno, span (line, col, end line, end col: 16 bits each)} of a failed read of user memory */
#define REC_ID_READ_FAILED 0xffffffffffff0002ull

/* A record BPF sends through the ring buffer: u64 id, then arguments. */
struct record {
	enum rec_kind kind;
	int id;
	const char *fmt;	/* printf / time format */
	struct fmt_spec spec;
	int nargs;
	struct type **args;	/* printf args, the print(value) value, the exit code */
	int *offs;		/* argument offsets in the record */
	int size;		/* the most a record takes */
	int tail_str_off;	/* a string ends the record: only its used bytes are sent; else -1 */
	struct mapinfo *map;	/* print/clear/zero */
	int64_t top, div;
	int sink;		/* REC_PRINTF: enum printf_sink (errorf, warnf, system, cat) */
	struct span span;	/* REC_PRINTF: the call, for errorf/warnf's position */
};

struct var {
	char *name;
	struct type *type;
	int untyped;		/* `let $x;` only so far: the first assignment gives the type */
	int slot_off;		/* codegen: stack offset */
};

struct probe_block {
	struct node *node;
	VEC(struct probe_point *) points;
	VEC(struct var) vars;
	const struct provider *prov;
	/* codegen / bpf */
	struct bpf_insn *insns;
	int ninsns;
	struct span *insn_spans;
	int prog_fd;
	int stack_bytes;
	int dispatch_fd;	/* a map to the probe id of shared events (struct ctx_dispatch); -1: none */
	int dispatch_attached[2];	/* raw_syscalls sys_enter / sys_exit attached */
	int filter_pid;		/* -p: user probes are created in this process only */
	int filter_pending;	/* that process is a command not yet exec'd: its maps tell nothing yet */
	int expected_attach_type;	/* set by a provider's plan: how the program will attach */
	int attach_btf_id;		/* set by a provider's plan: the kernel function a tracing program serves */
	/* the context face's answers, for codegen */
	VEC(struct ctx_loc) ctx;	/* what sema resolved: N_BUILTIN/N_CALL ival (1-based), args fields' ival (0-based) */
	struct ctx_guard guard;		/* set by plan: an exit before anything runs */
	struct ctx_dispatch dispatch;	/* set by plan with dispatch_fd */
	int stack_ra;		/* uprobes: where the caller's return address is (STACK_RA_*) */
	int id;			/* index in script.blocks */
	int sleepable;		/* set by codegen: the program faults user pages in, so it loads sleepable */
};

/* config missing_probes: what a probe that is not there does */
enum missing_probes { MISSING_PROBES_ERROR, MISSING_PROBES_WARN, MISSING_PROBES_IGNORE };

struct script {
	struct arena *arena;
	struct node *prog;
	VEC(struct probe_block *) blocks;
	VEC(struct probe_point *) points;
	VEC(struct mapinfo *) maps;
	VEC(struct record *) records;
	VEC(char *) time_fmts;
	char **params;		/* positional parameters $1… */
	int nparams;
	char **named;		/* --name[=value] parameters after `--`, for getopt() */
	int nnamed;
	VEC(char *) getopt_names;	/* the names getopt() asked for: any other --name is an error */
	int unsafe;
	int verbose;		/* -v: notes such as a uprobe moved past an unsafe instruction */
	uint64_t start_ns;	/* CLOCK_MONOTONIC at start, for `elapsed` */
	int uses_curtask;
	int uses_usym;		/* usym(): the processes it sees get their maps read while alive */
	int uses_stacks;	/* kstack/ustack: a stack table is created */
	int uses_ustack;	/* ustack: the CFI unwinder's maps are created (src/unwind/) */
	uint32_t map_keys_max;	/* keys per map; 0: BPFTRACE_MAP_KEYS_MAX or 4096 */
	int cpid;		/* -c: the child's pid, for `cpid` */
	const char *cmd_program;	/* -c: the program it runs (usdt:*:… searches it) */
	int filter_pid;		/* -p: attached probes act for this process only */
	int stack_mode_default;	/* config stack_mode: kstack/ustack without a mode */
	int missing_probes;	/* config missing_probes: enum missing_probes */
	struct dw_cache *dwarf;	/* owned by the providers: DWARF of the probed files read so far */
};

/* Expands attach points, resolves names and types. 0, or -1 with errors reported. */
int sema_check(struct script *s, struct diag *d);
/* Takes the --name[=value] parameters out of s->params into s->named (getopt()). */
void stdlib_split_named_params(struct script *s);
/* After sema: a --name no getopt() asked for is an error. */
int stdlib_check_named_params(struct script *s, struct diag *d);
struct mapinfo *script_find_map(struct script *s, const char *name);
/* Frees what sema allocated (not kernel objects). */
void script_free(struct script *s);

#endif
