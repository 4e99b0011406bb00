/*
 * sonde ucalls: calls of each Python function of one process (and with -S
 * its system calls), with their total time under -L, BCC ucalls' flags and
 * layout. Calls are counted at function__return, which CPython fires at
 * every return (3.11's function__entry misses Python-to-Python calls);
 * -L pairs each return with the newest entry of its thread (pylang.c's
 * entry source) through a per-thread stack of stamps.
 */
#include "tools.h"
#include "toolkit.h"
#include "pylang.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include "../probe/syscalls.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde ucalls [-h] [-l {python,none}] [-T TOP] [-L] [-S] [-m] [-v] [-d DURATION] [--json] pid [interval]\n"
	"\n"
	"Summarize method calls in high-level languages.\n"
	"\n"
	"positional arguments:\n"
	"  pid                   process id to attach to\n"
	"  interval              print every specified number of seconds\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -l {python,none}, --language {python,none}\n"
	"                        language to trace (default: python when the process is one;\n"
	"                        none: system calls only)\n"
	"  -T TOP, --top TOP     number of most frequent/slow calls to print\n"
	"  -L, --latency         record method latency from enter to exit\n"
	"  -S, --syscalls        record syscall latency (adds overhead)\n"
	"  -m, --milliseconds    report times in milliseconds (default is microseconds)\n"
	"  -v, --verbose         verbose mode: print the program before starting\n"
	"  -d DURATION           stop after this many seconds\n"
	"  --json                one JSON object per summary\n"
	"\n"
	"Python 3.11 fires function__entry only for calls from C: calls are counted at\n"
	"their returns, and -L times them from uprobes on the interpreter's RESUME handlers.\n"
	"\n"
	"examples:\n"
	"    ./ucalls 185                 # trace Python calls of process 185\n"
	"    ./ucalls -T 10 -L 185        # the 10 slowest functions, with their time\n"
	"    ./ucalls -S -m 185 5         # calls and syscalls, times in ms, every 5 s\n"
	"    ./ucalls -l none -S 185      # system calls only\n";

struct ucalls {
	int pid, latency, syscalls, ms, json, language;
	long top;
	struct pylang py;
	const struct tk_run *run;
	struct tk_baseline cbase, tbase, scbase, stbase;
};

struct row {
	char name[160];
	int64_t calls, ns;	/* ns -1: no time */
};

static void on_attached(struct session *s, void *arg)
{
	struct ucalls *u = arg;
	const char *note = NULL;
	if (u->language) {
		note = u->latency ? pylang_entry_note(&u->py)
				  : "Calls are counted at their returns (function__return): Python 3.11 fires function__entry only for calls from C.";
		if (u->latency && !note)
			note = "";
	}
	if (u->json) {
		struct strbuf j = { 0 };
		sb_printf(&j, "{\"type\": \"attached\", \"data\": {\"tool\": \"ucalls\", \"pid\": %d, \"language\": \"%s\", \"probes\": %d, \"note\": ",
			  u->pid, u->language ? "python" : "none", s->script.points.n);
		json_escape(&j, note ? note : "", note ? strlen(note) : 0);
		sb_puts(&j, "}}\n");
		fputs(sb_str(&j), s->out);
		sb_free(&j);
		return;
	}
	fprintf(s->out, "Tracing calls in process %d (language: %s)... Ctrl-C to quit.\n", u->pid,
		u->language ? "python" : "none");
	if (note && *note)
		fprintf(s->out, "%s\n", note);
	if (u->syscalls)
		fputs("Attached kernel tracepoints for syscall tracing.\n", s->out);
}

static int by_value(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int64_t vx = x->ns >= 0 ? x->ns : x->calls, vy = y->ns >= 0 ? y->ns : y->calls;
	if (vx != vy)
		return vx < vy ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The rows of a count map and its time map (read since the last summary). */
static void gather(struct session *s, struct ucalls *u, const char *cmap, const char *tmap, struct tk_baseline *cb,
		   struct tk_baseline *tb, int methods, struct row **rows, int *n)
{
	struct map_table counts = { 0 }, times = { 0 };
	if (session_read_map(s, cmap, &counts))
		return;
	int have_t = u->latency && !session_read_map(s, tmap, &times);
	tk_since_last(cb, &counts);
	if (have_t)
		tk_since_last(tb, &times);
	*rows = xrealloc(*rows, sizeof(**rows) * (size_t)(*n + counts.n + 1));
	for (int i = 0; i < counts.n; i++) {
		if (tk_entry_empty(&counts, i))
			continue;
		struct row *r = &(*rows)[(*n)++];
		const uint8_t *key = counts.e[i].key;
		if (methods) {
			const char *file = (const char *)key + counts.m->key->offs[0];
			const char *func = (const char *)key + counts.m->key->offs[1];
			snprintf(r->name, sizeof(r->name), "%.*s.%.*s", 64, file, 64, func);
		} else {
			int64_t nr;
			memcpy(&nr, key, 8);
			const char *name = syscall_name((int)nr);
			if (name)
				snprintf(r->name, sizeof(r->name), "%s", name);
			else
				snprintf(r->name, sizeof(r->name), "[unknown: %lld]", (long long)nr);
		}
		r->calls = counts.e[i].v;
		r->ns = u->latency ? 0 : -1;
		const struct map_entry *t = have_t ? map_table_find(&times, key) : NULL;
		if (t)
			r->ns = t->v;
	}
	map_table_free(&counts);
	if (have_t)
		map_table_free(&times);
}

static void summary(struct session *s, void *arg)
{
	struct ucalls *u = arg;
	struct row *rows = NULL;
	int n = 0;
	if (u->language)
		gather(s, u, "@c", "@t", &u->cbase, &u->tbase, 1, &rows, &n);
	if (u->syscalls)
		gather(s, u, "@sc", "@st", &u->scbase, &u->stbase, 0, &rows, &n);
	if (n)
		qsort(rows, (size_t)n, sizeof(*rows), by_value);
	int first = u->top && n > u->top ? n - (int)u->top : 0;
	struct strbuf out = { 0 };
	char now[16];
	tk_clock(now, sizeof(now));
	const char *unit = u->ms ? "TIME (ms)" : "TIME (us)";
	if (u->json)
		sb_printf(&out, "{\"type\": \"calls\", \"data\": {\"time\": \"%s\", \"rows\": [", now);
	else if (u->latency)
		sb_printf(&out, "\n%-50s %8s %8s\n", "METHOD", "# CALLS", unit);
	else
		sb_printf(&out, "\n%-50s %8s\n", "METHOD", "# CALLS");
	for (int i = first; i < n; i++) {
		if (u->json) {
			sb_puts(&out, i > first ? ", {\"method\": " : "{\"method\": ");
			json_escape(&out, rows[i].name, strlen(rows[i].name));
			sb_printf(&out, ", \"calls\": %lld", (long long)rows[i].calls);
			if (rows[i].ns >= 0)
				sb_printf(&out, ", \"time_ns\": %lld", (long long)rows[i].ns);
			sb_putc(&out, '}');
		} else if (u->latency) {
			sb_printf(&out, "%-50s %8lld %6.2f\n", rows[i].name, (long long)rows[i].calls,
				  (double)rows[i].ns / (u->ms ? 1e6 : 1e3));
		} else {
			sb_printf(&out, "%-50s %8lld\n", rows[i].name, (long long)rows[i].calls);
		}
	}
	if (u->json)
		sb_puts(&out, "]}}\n");
	if (!u->json && u->syscalls && u->run->last_summary)
		sb_puts(&out, "Detaching kernel probes, please wait...\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	free(rows);
}

static void build_script(struct ucalls *u, struct strbuf *sc)
{
	int timed = u->language && u->latency && u->py.entries != PY_ENTRY_NONE;
	if (timed) {
		/*
		 * A stack per thread of (entry stamp, name address): the entry's
		 * name is the very buffer function__return passes (the str's
		 * characters, or its UTF-8 copy), so a return pops only its own
		 * entry. A return without one (a generator entered by throw() or
		 * close(), a call begun before tracing) is counted, not timed; an
		 * entry left on top by a missed return is dropped at its caller's.
		 */
		pylang_entry_points(&u->py, sc);
		sb_puts(sc, " {\n  ");
		pylang_entry_names(&u->py, 0, sc);
		sb_puts(sc, "\n  $d = @ucd[tid] + 1; @ucd[tid] = $d; @uct[tid, $d] = (nsecs, $pyfunc);\n}\n");
	}
	if (u->language) {
		pylang_usdt(&u->py, "function__return", sc);
		sb_puts(sc, " {\n  $file = str(arg0); $func = str(arg1);\n  @c[$file, $func] = count();\n");
		if (timed)
			sb_puts(sc, "  $d = @ucd[tid];\n  $e = @uct[tid, $d];\n"
				    "  if ($d > 1 && $e.1 != arg1 && @uct[tid, $d - 1].1 == arg1) {\n"
				    "    delete(@uct[tid, $d]); $d = $d - 1; @ucd[tid] = $d; $e = @uct[tid, $d];\n  }\n"
				    "  if ($d > 0 && $e.1 == arg1) {\n    @t[$file, $func] = sum(nsecs - $e.0);\n"
				    "    delete(@uct[tid, $d]); @ucd[tid] = $d - 1;\n  }\n");
		sb_puts(sc, "}\n");
	}
	if (u->syscalls) {
		if (u->latency)
			sb_puts(sc, "tracepoint:raw_syscalls:sys_enter { @ucs[tid] = nsecs; }\n"
				    "tracepoint:raw_syscalls:sys_exit /@ucs[tid]/ { @sc[args.id] = count(); "
				    "@st[args.id] = sum(nsecs - @ucs[tid]); delete(@ucs[tid]); }\n");
		else
			sb_puts(sc, "tracepoint:raw_syscalls:sys_exit { @sc[args.id] = count(); }\n");
	}
}

/* --metrics: syscalls by name */
static int syscall_label(struct session *s, int part, const struct type *t, const uint8_t *data, struct strbuf *out,
			 void *arg)
{
	(void)s;
	(void)t;
	(void)arg;
	if (part)
		return -1;
	tk_syscall_text(out, data);
	return 0;
}

static const struct metrics_spec ucalls_metrics[] = {
	{ .map = "@c", .name = "sonde_ucalls_calls", .help = "Returns of each Python function (its calls)",
	  .labels = { "file", "function" } },
	{ .map = "@t", .name = "sonde_ucalls_seconds", .exp = 9, .help = "Time in each Python function, entry to return (-L)",
	  .labels = { "file", "function" } },
	{ .map = "@sc", .name = "sonde_ucalls_syscalls", .help = "System calls of the process (-S)",
	  .labels = { "syscall" }, .label_value = syscall_label },
	{ .map = "@st", .name = "sonde_ucalls_syscall_seconds", .exp = 9, .help = "Time in system calls (-S -L)",
	  .labels = { "syscall" }, .label_value = syscall_label },
	{ 0 },
};

int tool_ucalls(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "language", required_argument, NULL, 'l' }, { "top", required_argument, NULL, 'T' },
		{ "latency", no_argument, NULL, 'L' }, { "syscalls", no_argument, NULL, 'S' },
		{ "milliseconds", no_argument, NULL, 'm' }, { "verbose", no_argument, NULL, 'v' },
		{ "duration", required_argument, NULL, 'd' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct ucalls u = { .language = 1 };
	struct tk_run run = { .tool = "ucalls", .arg = &u };
	u.run = &run;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:T:LSmvd:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (strcmp(optarg, "python") && strcmp(optarg, "none")) {
				fprintf(stderr, "ERROR: ucalls: -l: sonde traces python (or none: system calls only), not '%s'\n", optarg);
				return 2;
			}
			u.language = !strcmp(optarg, "python");
			break;
		case 'T':
			if (tk_parse_long(optarg, 1, 100000, &u.top)) {
				fprintf(stderr, "ERROR: ucalls: -T is a number of rows, got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'L': u.latency = 1; break;
		case 'S': u.syscalls = 1; break;
		case 'm': u.ms = 1; break;
		case 'v': run.print_script = 1; break;
		case 'd':
			if (tk_parse_seconds("ucalls", c, optarg, &run.duration))
				return 2;
			break;
		case OPT_JSON: u.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	int npos = argc - optind;
	if (npos < 1 || npos > 2) {
		fprintf(stderr, "%s\nERROR: ucalls: %s\n", usage, npos < 1 ? "a pid is required" : "too many arguments");
		return 2;
	}
	if (tk_parse_pid("ucalls", argv[optind], &run.pid))
		return 1;
	u.pid = run.pid;
	if (npos == 2 && tk_parse_seconds("ucalls", 'i', argv[optind + 1], &run.interval))
		return 2;
	if (!u.language && !u.syscalls) {
		fputs("ERROR: ucalls: -l none traces system calls only: add -S\n", stderr);
		return 2;
	}
	if (u.language && pylang_find("ucalls", run.pid, &u.py))
		return 1;
	struct strbuf script = { 0 };
	build_script(&u, &script);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	run.metrics = ucalls_metrics;
	run.quiet_exit = u.syscalls;
	int rc = tk_run(&run);
	tk_baseline_free(&u.cbase);
	tk_baseline_free(&u.tbase);
	tk_baseline_free(&u.scbase);
	tk_baseline_free(&u.stbase);
	sb_free(&script);
	return rc;
}
