/* Probe providers: a probe type is one file with these faces. */
#ifndef SONDE_PROVIDER_H
#define SONDE_PROVIDER_H
#include <stdint.h>
#include "../lang/ast.h"

struct script;
struct probe_block;

struct tp_format;
struct usdt_arg;

/* One concrete attach point after expansion. */
struct probe_point {
	const struct provider *prov;
	char *name;		/* full probe name, what `probe` prints */
	int id;			/* index in script->points; the attach cookie of attached probes */
	uint64_t period_ns;	/* interval */
	struct probe_block *block;
	struct tp_format *fmt;	/* tracepoint: the event's id and fields */
	int user_pointers;	/* pointer arguments are user addresses (syscalls) */
	int syscall_nr;		/* syscalls:sys_enter_X / sys_exit_X: X's number, else -1 */
	int syscall_exit;	/* a sys_exit_ tracepoint */
	int via_dispatch;	/* reached through raw_syscalls and the block's dispatch map */
	int perf_config;	/* profile/software: the software event */
	char *path;		/* uprobe: the resolved file */
	char *func;		/* uprobe: the function, what `func` prints */
	uint64_t offset;	/* uprobe: file offset */
	uint64_t func_extra;	/* uprobe: the +OFFSET into the function, 0 at its entry */
	uint64_t func_addr;	/* uprobe: the function's link-time address */
	uint64_t func_file_off;	/* uprobe: the function's file offset (offset − this = distance into it) */
	int ret_site;		/* uretprobe of a Go function: an entry probe on one of its RETs */
	int go_check;		/* uprobe of a Go function: on its stack check's jbe (go_after: past it) */
	uint64_t go_after;
	uint64_t sema_off;	/* usdt: file offset of the probe's semaphore, 0 if none */
	struct usdt_arg *uargs;	/* usdt: where this site's arguments live */
	int nuargs;
	int via_multi;		/* uprobe: in its block's uprobe_multi link for this path */
	int multi_done;		/* that link exists */
	int perf_freq;		/* profile:hz: period_ns holds a frequency */
	VEC(int) fds;		/* perf events and links: closing them detaches */
};

enum run_mode {
	RUN_ONCE_FIRST,		/* BEGIN: run by BPF_PROG_TEST_RUN before anything attaches */
	RUN_ONCE_LAST,		/* END: run after everything is detached and drained */
	RUN_TIMER,		/* interval: run by a wall-clock timer */
	RUN_ATTACHED,		/* kernel events: attached after BEGIN, detached before END */
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
	int has_args;		/* args.NAME / args->NAME */
	int has_regs;		/* arg0…arg5, func, and retval when is_return (pt_regs context) */
	int has_usdt_args;	/* arg0…argN are the USDT site's operands */
	int has_dwarf_args;	/* args.NAME: a C function's parameters, from DWARF */
	int is_return;
	int can_sleep;		/* user-space probes: the program may load sleepable and fault pages in */
	/* After sema, before codegen: choose how the block's points attach (may create maps). */
	int (*plan)(struct probe_block *blk, char *err, size_t errlen);
	/* -l: appends the probes whose full name matches the glob (with -v, their arguments). */
	void (*list)(const char *pattern, int verbose, struct strbuf *out);
	/* RUN_ATTACHED: attaches prog_fd to the point; 0, or -errno with err filled in. */
	int (*attach)(struct probe_point *pt, int prog_fd, char *err, size_t errlen);
};

/* -l [PATTERN]: lists matching probes of every provider (aliases such as t: accepted). */
void provider_list(const char *pattern, int verbose, struct strbuf *out);

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

extern const struct provider provider_begin, provider_end, provider_interval, provider_tracepoint,
	provider_profile, provider_software, provider_uprobe, provider_uretprobe, provider_usdt;

/* uprobe.c, shared with usdt.c: how a block's user probes attach. */
int uprobe_plan_block(struct probe_block *blk, char *err, size_t errlen);
int uprobe_attach_point(struct probe_point *pt, int prog_fd, char *err, size_t errlen);

#endif
