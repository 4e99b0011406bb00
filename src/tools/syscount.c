/*
 * sonde syscount: system calls counted by call or by process, with their
 * time (-L), BCC syscount's flags and layout. The counting is a script on
 * raw_syscalls:sys_enter/sys_exit; names come from the syscall table built
 * from the uapi headers (probe/syscalls.c).
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include "../probe/syscalls.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde syscount [-h] [-p PID] [-t TID] [-i INTERVAL] [-d DURATION] [-T TOP] [-x] [-e ERRNO] [-L] [-m] [-P]\n"
	"                      [-l] [--syscall SYSCALL] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Summarize syscall counts and latencies.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -p PID, --pid PID     trace only this pid\n"
	"  -t TID, --tid TID     trace only this tid\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        print summary at this interval (seconds)\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, in seconds\n"
	"  -T TOP, --top TOP     print only the top syscalls by count or latency (default 10)\n"
	"  -x, --failures        trace only failed syscalls (return < 0)\n"
	"  -e ERRNO, --errno ERRNO\n"
	"                        trace only syscalls that return this error (numeric or EPERM, etc.)\n"
	"  -L, --latency         collect syscall latency\n"
	"  -m, --milliseconds    display latency in milliseconds (default: microseconds)\n"
	"  -P, --process         count by process and not by syscall\n"
	"  -l, --list            print list of recognized syscalls and exit\n"
	"  --syscall SYSCALL     trace this syscall only (use with -P for processes)\n"
	"  --json                one JSON object per summary\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, count it only, end with it\n"
	"\n"
	"examples:\n"
	"    ./syscount                   # count syscalls of the whole system, top 10\n"
	"    ./syscount -P                # count by process\n"
	"    ./syscount -p 185 -L         # process 185, with the time spent in each call\n"
	"    ./syscount -x -i 1           # failed syscalls, every second\n"
	"    ./syscount -e ENOENT         # calls that failed with ENOENT\n"
	"    ./syscount -- gzip file      # what gzip calls, as perf stat -e 'syscalls:*' gzip file\n";

struct syscount {
	long top;
	int latency, ms, by_process, json;
	struct tk_baseline count_base, time_base;
};

struct row {
	const struct map_entry *e;
	int64_t ns;
};

static int by_value(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int64_t vx = x->ns >= 0 ? x->ns : x->e->v, vy = y->ns >= 0 ? y->ns : y->e->v;
	return vx > vy ? -1 : vx < vy;
}

/* "openat", or "[unknown: 999]"; with -P "1234   bash           ". */
static void key_text(struct strbuf *out, const struct syscount *sc, const struct map_table *tb, const uint8_t *key)
{
	int64_t a;
	memcpy(&a, key, 8);
	if (sc->by_process) {
		const char *comm = (const char *)key + tb->m->key->offs[1];
		sb_printf(out, "%-6lld %-15.16s", (long long)a, comm);
		return;
	}
	const char *name = syscall_name((int)a);
	if (name)
		sb_puts(out, name);
	else
		sb_printf(out, "[unknown: %lld]", (long long)a);
}

static void summary(struct session *s, void *arg)
{
	struct syscount *sc = arg;
	struct map_table counts = { 0 }, times = { 0 };
	int have = !session_read_map(s, "@c", &counts);
	int have_t = sc->latency && !session_read_map(s, "@t", &times);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 }, key = { 0 };
	const char *col = sc->by_process ? "PID    COMM" : "SYSCALL";
	if (sc->json) {
		sb_printf(&out, "{\"type\": \"syscalls\", \"data\": {\"time\": \"%s\", \"rows\": [", now);
	} else {
		sb_printf(&out, "[%s]\n", now);
		if (sc->latency)
			sb_printf(&out, "%-22s %8s %16s\n", col, "COUNT", sc->ms ? "TIME (ms)" : "TIME (us)");
		else
			sb_printf(&out, "%-22s %8s\n", col, "COUNT");
	}
	struct row *rows = NULL;
	int n = 0;
	if (have) {
		tk_since_last(&sc->count_base, &counts);
		if (have_t)
			tk_since_last(&sc->time_base, &times);
		rows = xcalloc((size_t)(counts.n ? counts.n : 1), sizeof(*rows));
		for (int i = 0; i < counts.n; i++) {
			if (tk_entry_empty(&counts, i))
				continue;
			rows[n] = (struct row){ &counts.e[i], sc->latency ? 0 : -1 };
			for (int k = 0; have_t && k < times.n; k++)
				if (!memcmp(times.e[k].key, counts.e[i].key, (size_t)counts.user_key_size))
					rows[n].ns = times.e[k].v;
			n++;
		}
		qsort(rows, (size_t)n, sizeof(*rows), by_value);
	}
	for (int i = 0; i < n && i < sc->top; i++) {
		sb_reset(&key);
		key_text(&key, sc, &counts, rows[i].e->key);
		if (sc->json) {
			sb_puts(&out, i ? ", {\"key\": " : "{\"key\": ");
			json_escape(&out, sb_str(&key), key.len);
			sb_printf(&out, ", \"count\": %lld", (long long)rows[i].e->v);
			if (sc->latency)
				sb_printf(&out, ", \"time_ns\": %lld", (long long)rows[i].ns);
			sb_putc(&out, '}');
		} else if (sc->latency) {
			sb_printf(&out, sc->ms ? "%-22s %8lld %16.6f\n" : "%-22s %8lld %16.3f\n", sb_str(&key),
				  (long long)rows[i].e->v, (double)rows[i].ns / (sc->ms ? 1e6 : 1e3));
		} else {
			sb_printf(&out, "%-22s %8lld\n", sb_str(&key), (long long)rows[i].e->v);
		}
	}
	sb_puts(&out, sc->json ? "]}}\n" : "\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&key);
	free(rows);
	if (counts.m)
		map_table_free(&counts);
	if (times.m)
		map_table_free(&times);
}

/* ENOENT or 2 → 2; -1 when neither. */
static int parse_errno(const char *text)
{
	long v;
	if (!tk_parse_long(text, 1, 4095, &v))
		return (int)v;
	for (int e = 1; e < 4096; e++) {
		const char *name = strerrorname_np(e);
		if (name && !strcmp(name, text))
			return e;
	}
	return -1;
}

static void list_syscalls(void)
{
	for (int nr = 0, col = 0; nr < SYSCALL_NR_MAX; nr++) {
		const char *name = syscall_name(nr);
		if (!name)
			continue;
		printf("%-22s%s", name, ++col % 4 ? "" : "\n");
	}
	putchar('\n');
}

/* --metrics: args.id is named as the kernel's table names it (unknown numbers stay numbers) */
static int syscall_label(struct session *s, int part, const struct type *t, const uint8_t *data, struct strbuf *out,
			 void *arg)
{
	struct syscount *sc = arg;
	(void)s;
	(void)t;
	if (sc->by_process || part)
		return -1;
	tk_syscall_text(out, data);
	return 0;
}

int tool_syscount(int argc, char **argv)
{
	enum { OPT_SYSCALL = 256, OPT_JSON };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "tid", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "top", required_argument, NULL, 'T' }, { "failures", no_argument, NULL, 'x' },
		{ "errno", required_argument, NULL, 'e' }, { "latency", no_argument, NULL, 'L' },
		{ "milliseconds", no_argument, NULL, 'm' }, { "process", no_argument, NULL, 'P' },
		{ "list", no_argument, NULL, 'l' }, { "syscall", required_argument, NULL, OPT_SYSCALL },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct syscount sc = { .top = 10 };
	struct tk_run run = { .tool = "syscount", .arg = &sc };
	long tid = 0;
	int failures = 0, err = 0, nr = -1, c;
	const char *syscall = NULL;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:t:i:d:T:xe:LmPlh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("syscount", optarg, &run.pid))
				return 1;
			break;
		case 't':
			if (tk_parse_long(optarg, 1, INT32_MAX, &tid)) {
				fprintf(stderr, "ERROR: syscount: -t needs a thread id, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'i': case 'd':
			if (tk_parse_seconds("syscount", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 1;
			break;
		case 'T':
			if (tk_parse_long(optarg, 1, 100000, &sc.top)) {
				fprintf(stderr, "ERROR: syscount: -T is a number of rows, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'x': failures = 1; break;
		case 'e':
			if ((err = parse_errno(optarg)) < 0) {
				fprintf(stderr, "ERROR: syscount: -e: '%s' is neither an errno number nor a name such as ENOENT\n", optarg);
				return 1;
			}
			break;
		case 'L': sc.latency = 1; break;
		case 'm': sc.ms = 1; break;
		case 'P': sc.by_process = 1; break;
		case 'l': list_syscalls(); return 0;
		case OPT_SYSCALL:
			syscall = optarg;
			if ((nr = syscall_nr(optarg)) < 0) {
				fprintf(stderr, "ERROR: syscount: --syscall: no system call is called '%s' (list them: sonde syscount -l)\n",
					optarg);
				return 1;
			}
			break;
		case OPT_JSON: sc.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (tk_no_positionals("syscount", argc, argv))
		return 2;
	struct strbuf pred = { 0 }, script = { 0 };
	if (tid)
		sb_printf(&pred, "tid == %ld", tid);
	if (nr >= 0)
		sb_printf(&pred, "%sargs.id == %d", pred.len ? " && " : "", nr);
	struct strbuf exit_pred = { 0 };
	sb_puts(&exit_pred, sb_str(&pred));
	if (failures)
		sb_printf(&exit_pred, "%sargs.ret < 0", exit_pred.len ? " && " : "");
	if (err)
		sb_printf(&exit_pred, "%sargs.ret == -%d", exit_pred.len ? " && " : "", err);
	const char *key = sc.by_process ? "pid, comm" : "args.id";
	if (sc.latency) {
		sb_printf(&script, "tracepoint:raw_syscalls:sys_enter%s%s%s { @start[tid] = nsecs; }\n", pred.len ? " /" : "",
			  sb_str(&pred), pred.len ? "/" : "");
		sb_printf(&script, "tracepoint:raw_syscalls:sys_exit /@start[tid]%s%s/ { @c[%s] = count(); "
			  "@t[%s] = sum(nsecs - @start[tid]); delete(@start[tid]); }\n",
			  exit_pred.len ? " && " : "", sb_str(&exit_pred), key, key);
	} else {
		sb_printf(&script, "tracepoint:raw_syscalls:sys_exit%s%s%s { @c[%s] = count(); }\n", exit_pred.len ? " /" : "",
			  sb_str(&exit_pred), exit_pred.len ? "/" : "", key);
	}
	if (!sc.json) {
		if (syscall)
			printf("Tracing syscall '%s'... Ctrl+C to quit.\n", syscall);
		else
			printf("Tracing %ssyscalls, printing top %ld... Ctrl+C to quit.\n", failures ? "failed " : "", sc.top);
	}
	run.script = sb_str(&script);
	run.summary = summary;
	const struct metrics_spec metrics[] = {
		{ .map = "@c", .name = "sonde_syscount_calls", .help = "System calls, by call or (-P) by process",
		  .labels = { sc.by_process ? "pid" : "syscall", "comm" }, .label_value = syscall_label },
		{ .map = "@t", .name = "sonde_syscount_seconds", .exp = 9, .help = "Time in system calls (-L)",
		  .labels = { sc.by_process ? "pid" : "syscall", "comm" }, .label_value = syscall_label },
		{ 0 },
	};
	run.metrics = metrics;
	int rc = tk_run(&run);
	tk_baseline_free(&sc.count_base);
	tk_baseline_free(&sc.time_base);
	sb_free(&pred);
	sb_free(&exit_pred);
	sb_free(&script);
	return rc;
}
