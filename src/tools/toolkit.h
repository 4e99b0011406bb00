/*
 * What the tools share: numbers and pids from flags, BCC's probe patterns
 * turned into attach points, and the run itself (a generated script in a
 * session, a summary every -i seconds, a stop after -d, `Detaching...`).
 */
#ifndef SONDE_TOOLKIT_H
#define SONDE_TOOLKIT_H
#include "../rt/session.h"
#include "../rt/metrics.h"
#include "../util/util.h"
#include <stdint.h>

/* A number in [min, max]; -1 on anything else. */
int tk_parse_long(const char *s, long min, long max, long *out);
/* A decimal in (0, max], such as a threshold in ms ("0.5"); -1 on anything else. */
int tk_parse_double(const char *s, double max, double *out);
/* -i/-d (flag c): seconds, 1 to a year; prints the error and returns -1 otherwise. */
int tk_parse_seconds(const char *tool, int c, const char *s, long *out);
/* After getopt, for tools without positionals: -1 (said) when one is left. */
int tk_no_positionals(const char *tool, int argc, char **argv);
/* -p PID: a running process; prints the error and returns -1 otherwise. */
int tk_parse_pid(const char *tool, const char *s, int *pid);

enum tk_kind { TK_USER, TK_TRACEPOINT, TK_USDT, TK_KERNEL };

/*
 * BCC's patterns (tools-spec §2.4): `lib:func`, `p:lib:func`, `path:func`
 * (a user function; lib as `c`, `libc`, a path or a program on $PATH),
 * `t:cat:event`, `u:lib:[provider:]probe`, `func` or `p::func` (a kernel
 * function). `r:` is refused here (the tools decide entry and return).
 */
struct tk_pattern {
	enum tk_kind kind;
	char *lib;		/* user, usdt: as typed (`c` becomes `libc`) */
	char *name;		/* function, event (cat:event) or [provider:]probe */
	const char *text;	/* the pattern as typed */
};
int tk_parse_pattern(const char *tool, const char *text, struct tk_pattern *p);
void tk_pattern_free(struct tk_pattern *p);

/*
 * The pattern's attach points for a script, comma-separated: `uprobe:LIB:NAME`
 * (`uretprobe` with ret), `tracepoint:CAT:EVENT`, `usdt:LIB:PROBE`,
 * `kprobe:F`/`kretprobe:F`. With regex, the names of LIB that match the
 * POSIX ERE, each exact; -1 after an error message (bad regex, no match).
 */
int tk_attach_points(const char *tool, const struct tk_pattern *p, int regex, int ret, int pid, struct strbuf *out);

/* Whether the pattern's file is a Go program (its calls are paired by goroutine). */
int tk_pattern_is_go(const struct tk_pattern *p, int pid);

/* The part of a probe name a tool prints: a function, `cat:event`, or a USDT probe. */
const char *tk_probe_label(const char *probe);
/* The syscall number at DATA (8 bytes) by its name, or the number when the kernel's table has none. */
void tk_syscall_text(struct strbuf *out, const uint8_t *data);

/* `HH:MM:SS` of now, local time. */
void tk_clock(char *buf, size_t n);

struct tk_run {
	const char *tool;
	const char *script;
	int pid;		/* -p: the process the probes act for */
	char **command;		/* `-- CMD ARGS`: run it once attached, count it only, end with it */
	int command_family;	/* the script itself follows the command and its children (cpid) */
	int own_filter;		/* the script picks the processes (strace -f): the run ends with pid/command, no filter */
	long interval;		/* -i: seconds between summaries; 0: one at the end */
	long interval_ms;	/* or milliseconds between them (perf stat -I) */
	long duration;		/* -d: seconds to run; 0: until Ctrl-C or the process ends */
	int print_script;	/* -D: print the generated program first */
	int json;
	uint32_t map_entries;
	uint32_t stack_entries;	/* distinct stacks kept; 0: the default */
	void *arg;		/* passed to every hook */
	/* after attaching: the tool's header (probes attached: s->script.points.n) */
	void (*on_attached)(struct session *s, void *arg);
	/* every interval and at the end: one summary */
	void (*summary)(struct session *s, void *arg);
	/* printf records, typed */
	void (*on_printf)(struct session *s, const struct record *r, const uint8_t *data, void *arg);
	int quiet_exit;		/* no `Detaching...` (folded output) */
	int kernel_pattern;	/* a kernel function was asked for: a failure gets a hint */
	/* the script picks its processes itself (offcputime: a thread is switched
	 * in while another runs): -p and a command drop no event (cpid is set) */
	int script_filters;
	const char *preload_pids;	/* "1,2": processes loaded for the unwinder (and Python frames) before attaching */
	/* --metrics: the maps exported (a table ended by a NULL map); NULL: the tool has none */
	const struct metrics_spec *metrics;
	/* set by tk_run() */
	uint64_t start_ns;
	int summaries;
	int finished;		/* -d ran out: the last summary is printed */
	int last_summary;	/* the summary being printed is the last one (-d ran out, or the run ends) */
};

/*
 * Before getopt: `-- CMD ARGS` cut off argv (*argc ends before the `--`);
 * the command, or NULL without one. GNU getopt would move the positionals
 * behind a `--`, so it must not see it.
 */
char **tk_take_command(int *argc, char **argv);

/*
 * `--cgroup PATH` (or --cgroup=PATH) anywhere before a `--`: every tool's
 * filter on a cgroup v2, taken out of argv for tk_run(). 0, or -1 (said).
 */
int tk_take_cgroup(int *argc, char **argv);

/*
 * Before the tool's getopt: `--metrics [ADDR]`, `--metrics=ADDR` and
 * `--probe-stats` cut out of argv (up to a `--`), for tk_run to serve; -1
 * after an error message.
 */
int tk_take_metrics(int *argc, char **argv);

/* Runs the script; 0, or the exit status. */
int tk_run(struct tk_run *run);

/* The mapinfo called name in the running script, or NULL. */
const struct mapinfo *tk_map(struct session *s, const char *name);



struct map_table;
/* What each key of a map held at the previous summary, so a summary shows
 * what happened since (read once, never cleared under running probes). */
struct tk_baseline {
	struct tk_base_entry *e;
	int n, cap;
};
/* Subtracts the baseline from tb's values (count/sum, avg/stats, hist
 * buckets) and makes tb's values the new baseline. */
void tk_since_last(struct tk_baseline *b, struct map_table *tb);
void tk_baseline_free(struct tk_baseline *b);
/* Whether a delta entry holds anything. */
int tk_entry_empty(const struct map_table *tb, int i);

/*
 * overhead.c: the ns that an entry and a return probe add to a timed call
 * (median over an empty function of sonde's own; ret_site: the return probe
 * is a uprobe on the RET, as for Go); -1 when it cannot be measured.
 */
int64_t tk_probe_overhead_ns(int ret_site);

struct stack_sample;
/*
 * A map keyed [kstack?, ustack?, pid, tid?, comm] with a count or sum
 * (profile, stackcount, offcputime) as samples sorted by value, ascending;
 * with since, only what changed since the last call. NULL when the map is
 * missing.
 */
struct stack_sample **tk_stack_samples(struct session *s, const char *map, struct tk_baseline *since, int *n);
void tk_stack_samples_free(struct stack_sample **v, int n);

#endif
