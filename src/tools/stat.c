/*
 * sonde stat: perf stat's counts, layout and numbers. Software events are
 * the kernel's own counters (rt/perfcount.c: counting perf events, enabled
 * at the command's exec as perf does), "<not supported>" for the hardware
 * counters a machine without a PMU lacks. Tracepoints are counted by a
 * script (a count() per event, for the command's processes from its exec
 * on): perf's per-task tracepoint counters miss a short program's calls
 * now and then on this kernel; the syscalls:* family is counted from
 * raw_syscalls by number (one attachment, not hundreds). Like perf stat,
 * it writes on stderr: the command keeps stdout.
 */
#include "tools.h"
#include "toolkit.h"
#include "../lang/diag.h"
#include "../out/maptable.h"
#include "../out/value.h"
#include "../rt/session.h"
#include "../probe/syscalls.h"
#include "../probe/tracefs.h"
#include "../rt/perfcount.h"
#include "../rt/target.h"
#include <errno.h>
#include <getopt.h>
#include <linux/perf_event.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

static const char usage[] =
	"usage: sonde stat [-h] [-e EVENT[,EVENT...]] [-p PID | -a] [-I MSECS] [-x SEP] [--] [CMD [ARG...]]\n"
	"\n"
	"Count events while a command runs, as perf stat: exact counts kept by the kernel.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -e EVENT,...          events to count: task-clock, context-switches, cpu-migrations, page-faults,\n"
	"                        minor-faults, major-faults, cpu-clock, hardware events (cycles, instructions…)\n"
	"                        and tracepoints CATEGORY:EVENT with globs ('syscalls:sys_enter_*')\n"
	"  -p PID, --pid PID     count the threads of this process (until it ends or Ctrl-C)\n"
	"  -a, --all-cpus        count on every CPU, the whole system\n"
	"  -I MSECS, --interval-print MSECS\n"
	"                        print the counts of each interval\n"
	"  -x SEP, --field-separator SEP\n"
	"                        CSV-like output, as perf stat -x\n"
	"\n"
	"examples:\n"
	"    sonde stat -- ./a.out                         # the default counters\n"
	"    sonde stat -e 'syscalls:sys_enter_*' gzip f   # each system call, as perf stat -e\n"
	"    sonde stat -a -I 1000                         # the whole system, every second\n";

static const char *const default_events[] = { "task-clock", "context-switches", "cpu-migrations", "page-faults",
					      "cycles", "instructions", "branches", "branch-misses" };

struct stat_run {
	struct perf_counters pc;
	const char *sep;	/* -x */
	long interval_ms;
	uint64_t *last;		/* values at the last interval row */
	char **command;
	int pid, all;
	uint64_t start_ns, last_ns;
	int syscall_enter, syscall_exit;	/* some syscalls:sys_enter_* / sys_exit_* counter */
};

static volatile sig_atomic_t stop;
static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* perf's rate: "/sec", "K/sec" or "M/sec" of count per second of task-clock */
static void rate_text(char *buf, size_t n, double count, double task_s, const char *sep)
{
	double r = task_s > 0 ? count / task_s : 0;
	const char *unit = "/sec";
	if (r >= 1e6)
		r /= 1e6, unit = "M/sec";
	else if (r >= 1e3)
		r /= 1e3, unit = "K/sec";
	if (sep)
		snprintf(buf, n, "%.3f%s%s", r, sep, unit);
	else
		snprintf(buf, n, "%8.3f %-23s", r, unit);
}

/* One counter's line (values are deltas when printing intervals). */
static void print_counter(FILE *out, const struct stat_run *r, const struct perf_counter *c, uint64_t value,
			  uint64_t running, double task_s, double elapsed_s, const char *prefix)
{
	int is_clock = c->type == PERF_TYPE_SOFTWARE &&
		       (c->config == PERF_COUNT_SW_TASK_CLOCK || c->config == PERF_COUNT_SW_CPU_CLOCK) && !c->external;
	char metric[64] = "";
	if (c->supported && is_clock)
		snprintf(metric, sizeof(metric), r->sep ? "%.3f%sCPUs utilized" : "%8.3f CPUs utilized          ",
			 elapsed_s > 0 ? (double)value / 1e9 / elapsed_s : 0, r->sep ? r->sep : "");
	else if (c->supported && c->type != PERF_TYPE_TRACEPOINT)
		rate_text(metric, sizeof(metric), (double)value, task_s, r->sep);
	if (r->sep) {
		const char *s = r->sep;
		if (!c->supported)
			fprintf(out, "%s<not supported>%s%s%s%s0%s100.00%s%s\n", prefix, s, s, c->name, s, s, s, s);
		else if (is_clock)
			fprintf(out, "%s%.2f%smsec%s%s%s%llu%s100.00%s%s\n", prefix, (double)value / 1e6, s, s, c->name, s,
				(unsigned long long)running, s, s, metric);
		else
			fprintf(out, "%s%llu%s%s%s%s%llu%s100.00%s%s\n", prefix, (unsigned long long)value, s, s, c->name, s,
				(unsigned long long)running, s, s, *metric ? metric : s);
		return;
	}
	if (!c->supported)
		fprintf(out, "%s%18s      %-60s\n", prefix, "<not supported>", c->name);
	else if (is_clock)
		fprintf(out, "%s%18.2f msec %-32s # %s\n", prefix, (double)value / 1e6, c->name, metric);
	else if (*metric)
		fprintf(out, "%s%18llu      %-32s # %s\n", prefix, (unsigned long long)value, c->name, metric);
	else
		fprintf(out, "%s%18llu      %-33s%34s\n", prefix, (unsigned long long)value, c->name, "");
}

/* task-clock's seconds among the counters (for the rates), from values v. */
static double task_seconds(const struct perf_counters *pc, const uint64_t *v)
{
	for (int i = 0; i < pc->n; i++)
		if (pc->v[i].type == PERF_TYPE_SOFTWARE && pc->v[i].config == PERF_COUNT_SW_TASK_CLOCK && pc->v[i].supported &&
		    !pc->v[i].external)
			return (double)v[i] / 1e9;
	return 0;
}

static void print_interval(struct stat_run *r, double since_start_s, double interval_s)
{
	uint64_t *v = xcalloc((size_t)r->pc.n, sizeof(*v));
	for (int i = 0; i < r->pc.n; i++)
		v[i] = r->pc.v[i].value - r->last[i];
	double task_s = task_seconds(&r->pc, v);
	char prefix[40];
	snprintf(prefix, sizeof(prefix), r->sep ? "%.9f%s" : "%16.9f ", since_start_s, r->sep ? r->sep : "");
	for (int i = 0; i < r->pc.n; i++) {
		print_counter(stderr, r, &r->pc.v[i], v[i], r->pc.v[i].running, task_s, interval_s, prefix);
		r->last[i] = r->pc.v[i].value;
	}
	fflush(stderr);
	free(v);
}

/* The totals: perf stat's header, a line per counter, the elapsed (and the command's user and sys) time. */
static void print_report(struct stat_run *r, double elapsed, const struct rusage *ru)
{
	uint64_t *v = xcalloc((size_t)r->pc.n, sizeof(*v));
	for (int i = 0; i < r->pc.n; i++)
		v[i] = r->pc.v[i].value;
	double task_s = task_seconds(&r->pc, v);
	FILE *out = stderr;	/* as perf stat: the command's own output stays clean on stdout */
	if (!r->sep) {
		if (r->all) {
			fputs("\n Performance counter stats for 'system wide':\n\n", out);
		} else if (r->command) {
			fputs("\n Performance counter stats for '", out);
			for (int i = 0; r->command[i]; i++)
				fprintf(out, "%s%s", i ? " " : "", r->command[i]);
			fputs("':\n\n", out);
		} else {
			fprintf(out, "\n Performance counter stats for process id '%d':\n\n", r->pid);
		}
	}
	for (int i = 0; i < r->pc.n; i++)
		print_counter(out, r, &r->pc.v[i], v[i], r->pc.v[i].running, task_s, elapsed, "");
	if (!r->sep) {
		fprintf(out, "\n%18.9f seconds time elapsed\n\n", elapsed);
		if (ru)
			fprintf(out, "%18.9f seconds user\n%18.9f seconds sys\n\n",
				(double)ru->ru_utime.tv_sec + (double)ru->ru_utime.tv_usec / 1e6,
				(double)ru->ru_stime.tv_sec + (double)ru->ru_stime.tv_usec / 1e6);
	}
	free(v);
}

/* Waits until the command or process ends (pidfd readable), Ctrl-C, printing -I rows on the way. */
static void wait_and_print(struct stat_run *r, int pidfd)
{
	uint64_t last_ns = r->start_ns;
	while (!stop) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		int n = poll(&p, pidfd >= 0 ? 1 : 0, r->interval_ms ? (int)r->interval_ms : -1);
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0)
			break;	/* the process ended */
		if (n == 0 && r->interval_ms) {
			uint64_t now = clock_ns(CLOCK_MONOTONIC);
			perfcount_read(&r->pc);
			print_interval(r, (double)(now - r->start_ns) / 1e9, (double)(now - last_ns) / 1e9);
			last_ns = now;
		}
	}
}

/* Only kernel counters: no script to compile or load, so `sonde stat -- true` costs next to nothing. */
static int run_counters(struct stat_run *r)
{
	struct target t = { .pidfd = -1, .go_fd = -1, .err_fd = -1 };
	struct diag d = { .out = stderr, .generated = 1 };
	if (r->command && target_spawn(&t, NULL, r->command, &d))
		return 1;
	enum perfcount_scope scope = r->all ? PC_ALL_CPUS : r->pid ? PC_THREADS_OF : PC_TASK;
	if (perfcount_open(&r->pc, scope, r->command && !r->all ? t.pid : r->pid, r->command && !r->all) ||
	    (r->pid && target_follow(&t, r->pid, &d))) {
		target_cleanup(&t);
		return 1;
	}
	struct sigaction sa = { .sa_handler = on_signal };
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	r->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (r->command && target_release(&t, &d)) {
		target_cleanup(&t);
		return 1;
	}
	if (r->interval_ms && !r->sep)
		fputs("#           time             counts unit events\n", stderr);
	wait_and_print(r, t.pidfd);
	struct rusage ru = { 0 };
	int status = 0;
	/* a Ctrl-C reached the command too (same terminal): wait for it, then count */
	if (r->command && wait4(t.pid, &status, 0, &ru) == t.pid)
		t.exited = 1;
	uint64_t end = clock_ns(CLOCK_MONOTONIC);
	perfcount_read(&r->pc);
	if (r->interval_ms)
		print_interval(r, (double)(end - r->start_ns) / 1e9, 0);
	else
		print_report(r, (double)(end - r->start_ns) / 1e9, r->command && !r->all ? &ru : NULL);
	target_cleanup(&t);
	/* perf stat's status: the command's */
	return r->command ? (WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)) : 0;
}

/* The script's counts into the tracepoint counters: @tp[probe], @se/@sx[syscall number] (config; UINT64_MAX: by probe). */
static void read_script_counts(struct session *s, struct stat_run *r, uint64_t running_ns)
{
	struct map_table tp = { 0 }, se = { 0 }, sx = { 0 };
	int have_tp = !session_read_map(s, "@tp", &tp), have_se = !session_read_map(s, "@se", &se);
	int have_sx = !session_read_map(s, "@sx", &sx);
	for (int i = 0; i < r->pc.n; i++) {
		struct perf_counter *c = &r->pc.v[i];
		if (!c->external)
			continue;
		c->value = 0;
		c->running = running_ns;	/* counted the whole time, as perf's run time */
		int enter = !strncmp(c->name, "syscalls:sys_enter_", 19), exit_ = !strncmp(c->name, "syscalls:sys_exit_", 18);
		if ((enter || exit_) && c->config != UINT64_MAX) {
			const struct map_table *tb = enter ? (have_se ? &se : NULL) : (have_sx ? &sx : NULL);
			for (int k = 0; tb && k < tb->n; k++) {
				int64_t nr;
				memcpy(&nr, tb->e[k].key, 8);
				if (nr == (int64_t)c->config)
					c->value = (uint64_t)tb->e[k].v;
			}
			continue;
		}
		for (int k = 0; have_tp && k < tp.n; k++) {
			struct strbuf probe = { 0 };	/* the probe key is an index: its name as printed */
			value_string(&probe, &s->vc, tp.m->key, tp.e[k].key);
			if (!strncmp(sb_str(&probe), "tracepoint:", 11) && !strcmp(sb_str(&probe) + 11, c->name))
				c->value = (uint64_t)tp.e[k].v;
			sb_free(&probe);
		}
	}
	if (tp.m)
		map_table_free(&tp);
	if (se.m)
		map_table_free(&se);
	if (sx.m)
		map_table_free(&sx);
}

static void script_attached(struct session *s, void *arg)
{
	struct stat_run *r = arg;
	/* before the command is let go: the kernel counters start at its exec, as the script's counts do */
	if (perfcount_open(&r->pc, r->all ? PC_ALL_CPUS : r->pid ? PC_THREADS_OF : PC_TASK,
			   r->command && !r->all ? s->target.pid : r->pid, r->command && !r->all)) {
		s->exiting = 1;
		s->exit_code = 1;
		return;
	}
	r->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (r->interval_ms && !r->sep)
		fputs("#           time             counts unit events\n", stderr);
}

static void script_summary(struct session *s, void *arg)
{
	struct stat_run *r = arg;
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	read_script_counts(s, r, now - r->start_ns);
	perfcount_read(&r->pc);
	if (r->interval_ms) {
		print_interval(r, (double)(now - r->start_ns) / 1e9, (double)(now - (r->last_ns ? r->last_ns : r->start_ns)) / 1e9);
		r->last_ns = now;
	} else {
		/* elapsed until the command ended, not until the probes were detached; kept for the report,
		 * which the caller prints once the command is reaped (its user and sys times) */
		r->start_ns = (s->ended_ns ? s->ended_ns : now) - r->start_ns;
	}
}

/* Tracepoints too: a script counts them, the kernel counters run beside it. */
static int run_script(struct stat_run *r)
{
	struct strbuf script = { 0 }, tps = { 0 };
	const char *filter = r->all ? "1" : "@family[(uint64)pid]";
	if (r->command)
		sb_puts(&script, "tracepoint:sched:sched_process_exec /pid == cpid/ { @family[(uint64)pid] = 1; }\n");
	else if (r->pid)
		sb_printf(&script, "BEGIN { @family[%d] = 1; }\n", r->pid);
	if (!r->all)
		sb_puts(&script, "tracepoint:sched:sched_process_fork /@family[(uint64)args.parent_pid]/ "
				 "{ @family[(uint64)args.child_pid] = 1; }\n");
	if (r->syscall_enter)
		sb_printf(&script, "tracepoint:raw_syscalls:sys_enter /%s/ { @se[args.id] = count(); }\n", filter);
	if (r->syscall_exit)
		sb_printf(&script, "tracepoint:raw_syscalls:sys_exit /%s/ { @sx[args.id] = count(); }\n", filter);
	for (int i = 0; i < r->pc.n; i++)
		if (r->pc.v[i].external && (strncmp(r->pc.v[i].name, "syscalls:", 9) || r->pc.v[i].config == UINT64_MAX))
			sb_printf(&tps, "%stracepoint:%s", tps.len ? ", " : "", r->pc.v[i].name);
	if (tps.len)
		sb_printf(&script, "%s /%s/ { @tp[probe] = count(); }\n", sb_str(&tps), filter);
	struct tk_run run = { .tool = "stat", .script = sb_str(&script), .arg = r, .quiet_exit = 1, .script_filters = 1,
			      .command = r->command, .pid = r->pid, .interval_ms = r->interval_ms };
	run.on_attached = script_attached;
	run.summary = script_summary;
	int rc = tk_run(&run);
	if (!r->interval_ms && r->pc.v) {
		struct rusage ru;
		int have = r->command && !r->all && !getrusage(RUSAGE_CHILDREN, &ru);
		print_report(r, (double)r->start_ns / 1e9, have ? &ru : NULL);
	}
	sb_free(&script);
	sb_free(&tps);
	return rc;
}

struct tp_glob {
	struct stat_run *r;
	int failed;
};

/* A tracepoint the glob matched: a counter the script fills (syscalls by number). */
static void add_tracepoint(const char *cat, const char *event, void *ctx)
{
	struct tp_glob *g = ctx;
	char name[256];
	snprintf(name, sizeof(name), "%s:%s", cat, event);
	struct perf_counter *c = perfcount_add_external(&g->r->pc, name, PERF_TYPE_TRACEPOINT);
	if (strcmp(cat, "syscalls"))
		return;
	int enter = !strncmp(event, "sys_enter_", 10);
	int nr = syscall_nr(event + (enter ? 10 : 9));
	if (nr < 0) {	/* newer than the table sonde was built with: its own tracepoint counts it */
		c->config = UINT64_MAX;
		return;
	}
	c->config = (uint64_t)nr;
	if (enter)
		g->r->syscall_enter = 1;
	else
		g->r->syscall_exit = 1;
}

/* -e NAME: a perf event name, or CAT:EVENT with globs. */
static int add_event(struct stat_run *r, const char *name)
{
	const char *colon = strchr(name, ':');
	if (!colon)
		return perfcount_add(&r->pc, name);
	if (!tracefs_root()) {
		fprintf(stderr, "ERROR: stat: tracepoint '%s': tracefs is not mounted and cannot be\n", name);
		return -1;
	}
	char *cat = xstrndup(name, (size_t)(colon - name));
	struct tp_glob g = { .r = r };
	int n = tracefs_glob(cat, colon + 1, add_tracepoint, &g);
	free(cat);
	if (!g.failed && n <= 0)
		fprintf(stderr, "ERROR: stat: no tracepoint matches '%s' (list them: sonde -l 'tracepoint:%s')\n", name, name);
	return g.failed || n <= 0 ? -1 : 0;
}

int tool_stat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "event", required_argument, NULL, 'e' }, { "pid", required_argument, NULL, 'p' },
		{ "all-cpus", no_argument, NULL, 'a' }, { "interval-print", required_argument, NULL, 'I' },
		{ "field-separator", required_argument, NULL, 'x' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct stat_run r = { 0 };
	r.command = tk_take_command(&argc, argv);
	int c, rc = 1, any_event = 0;
	long ms;
	optind = 1;
	/* "+": the options end at the command's name, as perf stat's do */
	while ((c = getopt_long(argc, argv, "+e:p:aI:x:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': {
			char *copy = xstrdup(optarg), *save = NULL;
			for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save), any_event = 1)
				if (add_event(&r, tok)) {
					free(copy);
					goto out;
				}
			free(copy);
			break;
		}
		case 'p':
			if (tk_parse_pid("stat", optarg, &r.pid))
				goto out;
			break;
		case 'a': r.all = 1; break;
		case 'I':
			if (tk_parse_long(optarg, 10, 3600000, &ms)) {
				fprintf(stderr, "ERROR: stat: -I takes milliseconds, 10 or more, got '%s'\n", optarg);
				rc = 2;
				goto out;
			}
			r.interval_ms = ms;
			break;
		case 'x': r.sep = optarg; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		default: fputs(usage, stderr); rc = 2; goto out;
		}
	}
	if (!r.command && optind < argc) {
		r.command = argv + optind;	/* `sonde stat CMD ARGS`, as `perf stat CMD ARGS` */
	} else if (optind < argc) {
		fprintf(stderr, "ERROR: stat: unexpected argument '%s'\n", argv[optind]);
		rc = 2;
		goto out;
	}
	if (r.pid && r.all) {
		fputs("ERROR: stat: -p and -a exclude each other\n", stderr);
		rc = 2;
		goto out;
	}
	if (r.command && r.pid) {
		fputs("ERROR: stat: a command and -p exclude each other\n", stderr);
		rc = 2;
		goto out;
	}
	if (!r.command && !r.pid && !r.all) {
		fputs("ERROR: stat: give a command to run (sonde stat -- CMD), -p PID or -a\n", stderr);
		rc = 2;
		goto out;
	}
	for (size_t i = 0; !any_event && i < ARRAY_SIZE(default_events); i++)
		perfcount_add(&r.pc, default_events[i]);
	r.last = xcalloc((size_t)r.pc.n, sizeof(*r.last));
	int scripted = 0;
	for (int i = 0; i < r.pc.n; i++)
		scripted |= r.pc.v[i].external;
	rc = scripted ? run_script(&r) : run_counters(&r);
out:
	free(r.last);
	perfcount_free(&r.pc);
	return rc;
}
