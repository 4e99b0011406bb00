/* One run of a script: options, the compiled script, kernel objects, the event loop. */
#ifndef SONDE_SESSION_H
#define SONDE_SESSION_H
#include "../out/stacks.h"
#include <stdio.h>
#include "../sema/sema.h"
#include "../out/value.h"
#include "target.h"
#include "config.h"
#include "../unwind/procs.h"
#include "../python/prefetch.h"

enum buffering { BUF_LINE, BUF_NONE, BUF_FULL };
struct session;

struct options {
	const char *prog_text;
	const char *prog_name;	/* "stdin" for -e, as bpftrace */
	char **params;
	int nparams;
	int verbose, quiet, json, unsafe;
	int warn_reads;		/* -k: each failed read of the process's memory is a warning with its place */
	int generated;		/* a tool wrote the program: errors name the tool, with no source line */
	const char *outfile;
	enum buffering buffering;
	uint32_t ringbuf_bytes;	/* developer option: SONDE_RINGBUF_BYTES */
	const char *command;	/* -c */
	char *const *command_argv;	/* a tool's `-- CMD ARGS` (NULL-terminated), instead of -c */
	int filter_child;	/* with a command: attached probes act for it only, as with -p */
	int pid;		/* -p */
	const char *preload_pids;	/* tools: "1,2": processes whose stacks are wanted, loaded for the unwinder (and Python frames) before attaching */
	uint64_t cgroup_id;	/* --cgroup: attached probes act for this cgroup v2 only (0: any) */
	int label_cgroup;	/* --label-cgroup: JSON records and metrics name each event's cgroup */
	int dry_run;		/* --dry-run: compile, load and attach, then detach: nothing runs */
	int test_mode;		/* --test: BEGIN, the test: probes (rt/testmode.c), END; nothing attached */
	int own_filter;		/* a tool's script chooses the processes itself (strace -f): -p and the command are followed, not filtered */
	uint32_t stack_entries;	/* distinct stacks kept (0: the default) */
	uint32_t map_entries;	/* keys per map (0: BPFTRACE_MAP_KEYS_MAX or 4096) */
	/* tools: called at the end instead of printing the maps; at_exit_arg goes to every hook */
	void (*at_exit)(struct session *s, void *arg);
	void *at_exit_arg;
	/* tools: called once every probe is attached, before a -c command runs */
	void (*on_attached)(struct session *s, void *arg);
	/* tools: called every tick_ns while probes are attached (interval summaries) */
	void (*on_tick)(struct session *s, void *arg);
	uint64_t tick_ns;
	/* tools: printf records go here, typed, instead of being printed */
	void (*on_printf)(struct session *s, const struct record *r, const uint8_t *data, void *arg);
	/* --metrics: serve Prometheus metrics at this address ("" the default) */
	const char *metrics_addr;
	int probe_stats;	/* --metrics: the kernel counts each probe's runs and run time */
	const struct metrics_spec *metrics_specs;	/* tools: the maps exported; NULL: every map of the script */
	void *metrics_arg;	/* passed to a spec's label_value */
};

struct ring_buffer;

struct session {
	struct options o;
	FILE *out;
	struct source src;
	struct diag diag;
	struct script script;
	struct value_ctx vc;
	int ringbuf_fd, lost_fd, exit_fd, nest_fd;
	int usym_pids_fd;	/* pids usym() has seen, so their maps are read while they live; -1 */
	uint64_t usym_snapshot_ns;	/* when that set was last read */
	struct stack_stats stack_stats;	/* user stacks cut short, noted at the end */
	int stacks_fd, stack_lost_fd;	/* kstack/ustack: the stack table and its overflow counter; -1 */
	int map_full_fd;	/* per-CPU u64 per script map: updates a full map refused; -1 without maps */
	int read_fail_fd;	/* per-CPU u64 per block: reads of user memory that failed */
	VEC(int) scratch_fds;	/* per-block scratch maps */
	struct ring_buffer *rb;
	int exiting;		/* stop: exit() ran (record or flag), or a probe failed */
	int exit_seen;		/* an exit() record was printed in order: later records are dropped */
	int exit_code;
	struct config cfg;	/* a script's config block and BPFTRACE_* settings (defaults for tools) */
	uint64_t ended_ns;	/* CLOCK_MONOTONIC when tracing stopped (command ended, Ctrl-C…), before detaching */
	struct strbuf line;	/* text of the record being printed, reused */
	struct strbuf args[FMT_MAX_CONV];	/* its string arguments, reused */
	uint8_t *padded;	/* a trimmed record padded back to full size, reused */
	size_t padded_cap;
	struct target target;	/* -c child or -p process */
	struct unw_state unw;	/* ustack's CFI tables (src/unwind/); fds -1 when off */
	struct py_prefetch pyf;	/* Python frames named while their processes live (python/prefetch.h) */
	struct metrics *metrics;	/* --metrics; NULL */
};

struct map_print_opts;
struct map_table;
/* Reads the script map NAME ("@s") into TB (map_table_free it); 0, or -1 when there is no such map. */
int session_read_map(struct session *s, const char *name, struct map_table *tb);
/* Reads a script map from the kernel and appends it as print() shows it. */
void session_print_map(struct session *s, struct strbuf *out, const struct mapinfo *m,
		       const struct map_print_opts *o);

/* A note on stderr when user stacks were cut short for lack of frame pointers
 * (in files without CFI tables, when unw is given). */
void report_cut_stacks(const struct stack_stats *st, const struct unw_state *unw);

/* The sum over CPUs of slot `key` of a per-CPU u64 array; 0 when it cannot be read. */
uint64_t session_percpu_total(int fd, uint32_t key);

/* Compiles and runs; returns the process exit status. */
int session_run(struct session *s);
void session_free(struct session *s);

#endif
