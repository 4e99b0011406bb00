/* Probe providers: a probe type is one file with these faces. */
#ifndef SONDE_PROVIDER_H
#define SONDE_PROVIDER_H
#include <stdint.h>
#include "../lang/ast.h"

struct script;
struct probe_block;

struct type;
struct arena;

/*
 * The context face: where a value the script names lives at a block's
 * points. Codegen lowers these without knowing the probe type.
 */
enum ctx_loc_kind {
	CTX_NONE,	/* not a value (args as a whole) */
	CTX_PROBE_ID,	/* the id of the point that fired (probe, func) */
	CTX_CONST,	/* imm */
	CTX_LOAD,	/* `load` bytes at ctx+off, >> shift, extended from `size` bytes, + imm */
	CTX_BYTES,	/* bytes of the context record at off: an array whose address is ctx+off */
	CTX_DATA_LOC,	/* the bytes a u32 {u16 offset, u16 length} at ctx+off points to in the record */
	CTX_USER,	/* `size` bytes of user memory at ctx[off] + imm (+ ctx[index] × scale), extended */
	CTX_PER_POINT,	/* differs between the block's points: per_point[i] for points.v[i] */
};

struct ctx_loc {
	enum ctx_loc_kind kind;
	int off;		/* a context offset: what is loaded, or CTX_USER's base register */
	int load, shift;	/* CTX_LOAD */
	int size, is_signed;	/* the value's width in bytes (8: no extension) and sign */
	int64_t imm;		/* CTX_CONST's value; added by CTX_LOAD; CTX_USER's displacement */
	int index, scale;	/* CTX_USER: the index register's context offset, or -1 */
	int resident;		/* CTX_USER: memory always paged in (a goroutine's g): read once, not retried */
	int nullable;		/* CTX_LOAD: a pointer the verifier knows may be NULL (an iterator's ctx->task) */
	struct ctx_loc *per_point;	/* CTX_PER_POINT */
};

enum ctx_ask {
	CTX_NAME,	/* a builtin: argN, retval, func, goid, args (sema answers the rest) */
	CTX_FIELD,	/* args.NAME */
	CTX_MEMBER,	/* NAME of a struct the provider typed (type: the struct or a pointer to it) */
	CTX_SYMBOL,	/* uaddr("NAME"): the address of a symbol of the probed file */
};

struct ctx_query {
	struct script *s;
	struct probe_block *blk;
	enum ctx_ask ask;
	const char *name;
	const struct type *type;	/* CTX_MEMBER */
	/* answers */
	struct type *type_out;
	struct ctx_loc loc;
	int err_at_arg;		/* the error is about the call's argument, not the call */
	char err[512];
};

enum ctx_answer { CTX_ERROR = -1, CTX_FOUND = 0, CTX_UNKNOWN = 1 };

/*
 * Points that share events (syscalls:* through raw_syscalls): the probe id
 * is looked up in the block's dispatch map (id + 1; 0: none) with a u32
 * key from the context plus a part the cookie picks. Cookies below
 * cookie_min belong to points attached on their own: they are the id.
 */
struct ctx_dispatch {
	uint64_t cookie_min;
	int key_off;		/* the key's context offset */
	uint32_t key_max;	/* keys at or above: no probe */
	int cookie_shift, key_shift;	/* key += (cookie >> cookie_shift) << key_shift */
	int task_skip_off;	/* >= 0: leave when this u32 of the current task_struct … */
	uint32_t task_skip_mask;	/* … has one of these bits */
};

/* An early exit before anything runs: the u64 at ctx+off has a bit of mask (0: none). */
struct ctx_guard {
	int off;
	uint64_t mask;
	int if_zero;	/* leave when the u64 is zero instead (an iterator's last call, with no object) */
};

/*
 * One concrete attach point after expansion: what every point has. What
 * one probe type needs (a tracepoint's format, a uprobe's offsets, USDT
 * operands) is in priv, a record only its provider reads.
 */
struct probe_point {
	const struct provider *prov;
	char *name;		/* full probe name, what `probe` prints */
	int id;			/* index in script->points; the attach cookie of attached probes */
	uint64_t period_ns;	/* interval, profile, software: the period (profile:hz: a frequency) */
	struct probe_block *block;
	char *path;		/* user-space probes: the probed file, whose symbols name its addresses */
	char *func;		/* what `func` prints, NULL where there is no function */
	void *priv;		/* the provider's own record */
	VEC(int) fds;		/* perf events and links: closing them detaches */
};

enum run_mode {
	RUN_ONCE_FIRST,		/* BEGIN: run by BPF_PROG_TEST_RUN before anything attaches */
	RUN_ONCE_LAST,		/* END: run after everything is detached and drained */
	RUN_TIMER,		/* interval: run by a wall-clock timer */
	RUN_ATTACHED,		/* kernel events: attached after BEGIN, detached before END */
	RUN_SIGNAL,		/* self:signal: run by the event loop when sonde receives the signal */
	RUN_TEST,		/* test:NAME: run one by one with --test (rt/testmode.c), else never */
};

struct provider {
	const char *name;
	const char *const *aliases;
	enum run_mode mode;
	/* Parses one attach point and appends its probe points to the block. 0 or -1 after a diag. */
	int (*expand)(struct script *s, struct probe_block *blk, struct attach_point *ap,
		      struct diag *d);
	/* The context codegen sees: the program type, where `probe` comes from, `args`. */
	int prog_type;		/* 0: BPF_PROG_TYPE_RAW_TRACEPOINT, run with BPF_PROG_TEST_RUN */
	int has_regs;		/* the context is struct pt_regs: reg() reads it */
	int is_return;
	/* What argN, retval, args.NAME… are here (struct ctx_query): CTX_FOUND, CTX_UNKNOWN or CTX_ERROR. */
	enum ctx_answer (*context)(struct ctx_query *q);
	/* After expansion: may split a block whose points read the context differently (one program each). */
	void (*split)(struct script *s, struct probe_block *blk);
	int can_sleep;		/* user-space probes: the program may load sleepable and fault pages in */
	/* After sema, before codegen: choose how the block's points attach (may create maps). */
	int (*plan)(struct probe_block *blk, char *err, size_t errlen);
	/* -l: appends the probes whose full name matches the glob (with -v, their arguments); with pid
	 * (-p), as that process sees them: its files, under the names it maps them by. */
	void (*list)(const char *pattern, int verbose, int pid, struct strbuf *out);
	/* RUN_ATTACHED: attaches prog_fd to the point; 0, or -errno with err filled in. */
	int (*attach)(struct probe_point *pt, int prog_fd, char *err, size_t errlen);
	/* Optional, after every attach: runs the point's programs now (iterators); the run then ends. 0 or -errno. */
	int (*iterate)(struct probe_point *pt, char *err, size_t errlen);
};

/* The context face for sema: `probe` everywhere, then the block's provider. */
enum ctx_answer provider_context(struct ctx_query *q);
/* Frees what providers cached for a script (DWARF of probed files). */
void provider_script_free(struct script *s);

/* -l [PATTERN]: lists matching probes of every provider (aliases such as t: accepted), sorted;
 * pid > 0 (-p): that process's view. */
void provider_list(const char *pattern, int verbose, int pid, struct strbuf *out);

struct perf_event_attr;
/*
 * Opens a perf event (on one CPU, -1: any) and links prog_fd to it with the
 * cookie; keeps both fds in pt (the event first, then its link). 0 or -errno.
 */
int provider_attach_perf(struct probe_point *pt, struct perf_event_attr *attr, int cpu, int prog_fd,
			 uint64_t cookie, char *err, size_t errlen);
/* The same for one process (pid > 0, cpu -1) or all (pid -1, cpu 0). */
int provider_attach_perf_pid(struct probe_point *pt, struct perf_event_attr *attr, int pid, int cpu, int prog_fd,
			     uint64_t cookie, char *err, size_t errlen);

/* Closes what attach opened. */
void provider_detach(struct probe_point *pt);

/*
 * Cookies of raw_syscalls events that dispatch to sys_enter_X / sys_exit_X
 * probes; other attached probes carry their probe id (< 2^31) as cookie.
 */
#define DISPATCH_COOKIE_ENTER (1ull << 40)
#define DISPATCH_COOKIE_EXIT (2ull << 40)

/* Finds the provider for an attach point; reports unknown or unavailable types. */
const struct provider *provider_find(const char *raw, struct span sp, struct diag *d);
int provider_add_point(struct script *s, struct probe_block *blk, const struct provider *p,
		       const char *name, uint64_t period_ns);
/* The point just added, given a zeroed record of priv_size bytes for its provider. */
struct probe_point *provider_last_point(struct script *s, size_t priv_size);

/* Every provider, declared from the table (a provider's own file refers to itself through this). */
#define PROVIDER(name) extern const struct provider provider_##name;
#include "provider_table.h"
#undef PROVIDER


#endif
