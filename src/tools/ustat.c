/*
 * sonde ustat: per-process rates of Python events (calls, collections,
 * module loads), BCC ustat's flags and layout. BCC finds its targets by
 * comm ("python"), which misses Debian's python3.11 processes; here a
 * process is Python when its executable or a mapped libpython carries
 * CPython's python:* USDT notes. Each such file is probed once, for every
 * process that maps it (the kernel sets the semaphores in all of them), so
 * Python processes started later are counted too.
 */
#include "tools.h"
#include "toolkit.h"
#include "pylang.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: sonde ustat [-h] [-l {python}] [-C] [-S {cload,excp,gc,method,objnew,thread}] [-r MAXROWS] [-d] [--json]\n"
	"                   [interval] [count]\n"
	"\n"
	"Activity stats from high-level languages.\n"
	"\n"
	"positional arguments:\n"
	"  interval              output interval, in seconds (default 1)\n"
	"  count                 number of outputs\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -l {python}, --language {python}\n"
	"                        language to trace (default: all Python processes)\n"
	"  -C, --noclear         don't clear the screen\n"
	"  -S {cload,excp,gc,method,objnew,thread}, --sort {cload,excp,gc,method,objnew,thread}\n"
	"                        sort by this field (descending order)\n"
	"  -r MAXROWS, --maxrows MAXROWS\n"
	"                        maximum rows to print, default 20\n"
	"  -d, --debug           print the generated program before starting\n"
	"  --json                one JSON object per interval\n"
	"\n"
	"Python processes are found by what they map (CPython's USDT probes), not by\n"
	"name. METHOD/s counts returns (every call returns once; 3.11 fires\n"
	"function__entry only for calls from C), CLOAD/s module loads; Python has no\n"
	"probes for OBJNEW, EXC and THR.\n"
	"\n"
	"examples:\n"
	"    ./ustat              # stats for all Python processes, every second\n"
	"    ./ustat -C           # don't clear the screen\n"
	"    ./ustat -S method    # sort by calls per second\n"
	"    ./ustat 1 10         # 10 outputs, one a second\n";

enum { F_METHOD, F_GC, F_OBJNEW, F_CLOAD, F_EXC, F_THR, NFIELDS };
static const char *const field_names[NFIELDS] = { "method", "gc", "objnew", "cload", "excp", "thread" };
static const char *const field_maps[NFIELDS] = { "@m", "@g", NULL, "@cl", NULL, NULL };

typedef VEC(char *) files_vec;

struct proc {
	int pid;
	char cmdline[24];
	int64_t v[NFIELDS];
};

struct ustat {
	int noclear, json, sort;	/* sort: a field, or -1 for pid */
	long maxrows, interval;
	VEC(struct proc) procs;
	struct tk_baseline base[NFIELDS];
};

static void read_cmdline(int pid, char *out, size_t n)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/cmdline", pid);
	FILE *f = fopen(p, "r");
	size_t len = f ? fread(out, 1, n - 1, f) : 0;
	if (f)
		fclose(f);
	for (size_t i = 0; i < len; i++)
		if (!out[i])
			out[i] = ' ';
	while (len && out[len - 1] == ' ')
		len--;
	out[len > 20 ? 20 : len] = 0;
}

static struct proc *proc_of(struct ustat *u, int pid)
{
	for (int i = 0; i < u->procs.n; i++)
		if (u->procs.v[i].pid == pid)
			return &u->procs.v[i];
	struct proc p = { .pid = pid };
	read_cmdline(pid, p.cmdline, sizeof(p.cmdline));
	VEC_PUSH(u->procs, p);
	return &u->procs.v[u->procs.n - 1];
}

/* Files judged once: whether they carry the python:* notes. */
struct judged {
	char *path;
	int python;
};
typedef VEC(struct judged) judged_vec;

static int judge(judged_vec *j, const char *path, files_vec *files)
{
	for (int i = 0; i < j->n; i++)
		if (!strcmp(j->v[i].path, path))
			return j->v[i].python;
	struct judged e = { xstrdup(path), pylang_file_is_python(path) };
	VEC_PUSH(*j, e);
	if (e.python)
		VEC_PUSH(*files, xstrdup(path));
	return e.python;
}

/* Whether pid's executable, or a libpython it maps, is a Python with the notes. */
static int is_python(int pid, judged_vec *j, files_vec *files)
{
	char p[64], path[PATH_MAX];
	snprintf(p, sizeof(p), "/proc/%d/exe", pid);
	ssize_t n = readlink(p, path, sizeof(path) - 1);
	if (n <= 0)
		return 0;	/* a kernel thread, or gone */
	path[n] = 0;
	if (judge(j, path, files))
		return 1;
	snprintf(p, sizeof(p), "/proc/%d/maps", pid);
	FILE *f = fopen(p, "r");
	char line[PATH_MAX + 128];
	int found = 0;
	while (f && !found && fgets(line, sizeof(line), f)) {
		char *at = strchr(line, '/');
		if (!at || !strstr(at, "/libpython"))
			continue;
		at[strcspn(at, "\n")] = 0;
		found = judge(j, at, files);
	}
	if (f)
		fclose(f);
	return found;
}

/* Every Python process now running; each file with the notes once in files. */
static void scan(struct ustat *u, files_vec *files)
{
	judged_vec j = { 0 };
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d))) {
		int pid = atoi(de->d_name);
		if (pid > 0 && pid != getpid() && is_python(pid, &j, files))
			proc_of(u, pid);
	}
	if (d)
		closedir(d);
	for (int i = 0; i < j.n; i++)
		free(j.v[i].path);
	free(j.v);
}

static void on_attached(struct session *s, void *arg)
{
	struct ustat *u = arg;
	if (u->json)
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"ustat\", \"processes\": %d, \"probes\": %d}}\n",
			u->procs.n, s->script.points.n);
	else
		fprintf(s->out, "Tracing... Output every %ld secs. Hit Ctrl-C to end\n", u->interval);
}

/* qsort_r: by the -S field (descending), then by pid */
static int by_field(const void *a, const void *b, void *arg)
{
	const struct proc *x = a, *y = b;
	int f = *(const int *)arg;
	if (f >= 0 && x->v[f] != y->v[f])
		return x->v[f] > y->v[f] ? -1 : 1;
	return x->pid - y->pid;
}

static int alive(int pid)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d", pid);
	return !access(p, F_OK);
}

static void summary(struct session *s, void *arg)
{
	struct ustat *u = arg;
	for (int i = 0; i < u->procs.n; i++)
		memset(u->procs.v[i].v, 0, sizeof(u->procs.v[i].v));
	for (int f = 0; f < NFIELDS; f++) {
		struct map_table tb;
		if (!field_maps[f] || session_read_map(s, field_maps[f], &tb))
			continue;
		tk_since_last(&u->base[f], &tb);
		for (int i = 0; i < tb.n; i++) {
			int64_t pid;
			memcpy(&pid, tb.e[i].key, 8);
			if (!tk_entry_empty(&tb, i))
				proc_of(u, (int)pid)->v[f] = tb.e[i].v;
		}
		map_table_free(&tb);
	}
	/* rows: processes with events, and Python processes still running */
	struct proc *rows = xcalloc((size_t)u->procs.n + 1, sizeof(*rows));
	int n = 0;
	for (int i = 0; i < u->procs.n; i++) {
		const struct proc *p = &u->procs.v[i];
		int any = 0;
		for (int f = 0; f < NFIELDS; f++)
			any |= p->v[f] != 0;
		if (any || alive(p->pid))
			rows[n++] = *p;
	}
	qsort_r(rows, (size_t)n, sizeof(*rows), by_field, &u->sort);
	char now[16], load[128] = "";
	tk_clock(now, sizeof(now));
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (!fgets(load, sizeof(load), f))
			load[0] = 0;
		fclose(f);
	}
	load[strcspn(load, "\n")] = 0;
	struct strbuf out = { 0 };
	double secs = (double)u->interval;
	if (u->json) {
		sb_printf(&out, "{\"type\": \"rates\", \"data\": {\"time\": \"%s\", \"loadavg\": ", now);
		json_escape(&out, load, strlen(load));
		sb_puts(&out, ", \"rows\": [");
	} else {
		sb_puts(&out, u->noclear ? "\n" : "\033[H\033[2J");
		sb_printf(&out, "%-8s loadavg: %s\n\n", now, load);
		sb_printf(&out, "%-6s %-20s %-10s %-6s %-10s %-8s %-6s %-6s\n", "PID", "CMDLINE", "METHOD/s", "GC/s", "OBJNEW/s",
			  "CLOAD/s", "EXC/s", "THR/s");
	}
	for (int i = 0; i < n && i < u->maxrows; i++) {
		const struct proc *p = &rows[i];
		if (u->json) {
			sb_printf(&out, "%s{\"pid\": %d, \"cmdline\": ", i ? ", " : "", p->pid);
			json_escape(&out, p->cmdline, strlen(p->cmdline));
			for (int k = 0; k < NFIELDS; k++)
				sb_printf(&out, ", \"%s\": %lld", field_names[k], (long long)(p->v[k] / secs));
			sb_putc(&out, '}');
		} else {
			sb_printf(&out, "%-6d %-20s %-10lld %-6lld %-10lld %-8lld %-6lld %-6lld\n", p->pid, p->cmdline,
				  (long long)(p->v[F_METHOD] / secs), (long long)(p->v[F_GC] / secs),
				  (long long)(p->v[F_OBJNEW] / secs), (long long)(p->v[F_CLOAD] / secs),
				  (long long)(p->v[F_EXC] / secs), (long long)(p->v[F_THR] / secs));
		}
	}
	if (u->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	fflush(s->out);
	sb_free(&out);
	free(rows);
}

static const struct metrics_spec ustat_metrics[] = {
	{ .map = "@m", .name = "sonde_ustat_calls", .help = "Python function returns (calls) of each process",
	  .labels = { "pid" } },
	{ .map = "@g", .name = "sonde_ustat_collections", .help = "Python garbage collections of each process",
	  .labels = { "pid" } },
	{ .map = "@cl", .name = "sonde_ustat_module_loads", .help = "Python modules found and loaded by each process",
	  .labels = { "pid" } },
	{ 0 },
};

int tool_ustat(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "language", required_argument, NULL, 'l' }, { "noclear", no_argument, NULL, 'C' },
		{ "sort", required_argument, NULL, 'S' }, { "maxrows", required_argument, NULL, 'r' },
		{ "debug", no_argument, NULL, 'd' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct ustat u = { .sort = -1, .maxrows = 20, .interval = 1 };
	struct tk_run run = { .tool = "ustat", .arg = &u };
	long count = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:CS:r:dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (pylang_language_ok("ustat", optarg))
				return 2;
			break;
		case 'C': u.noclear = 1; break;
		case 'S':
			for (int f = 0; f < NFIELDS; f++)
				if (!strcmp(optarg, field_names[f]))
					u.sort = f;
			if (u.sort < 0) {
				fprintf(stderr, "ERROR: ustat: -S: one of cload, excp, gc, method, objnew, thread, not '%s'\n", optarg);
				return 2;
			}
			break;
		case 'r':
			if (tk_parse_long(optarg, 1, 100000, &u.maxrows)) {
				fprintf(stderr, "ERROR: ustat: -r is a number of rows, got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'd': run.print_script = 1; break;
		case OPT_JSON: u.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	int npos = argc - optind;
	if (npos > 2 || (npos >= 1 && tk_parse_seconds("ustat", 'i', argv[optind], &u.interval)) ||
	    (npos == 2 && tk_parse_long(argv[optind + 1], 1, 1000000, &count))) {
		fprintf(stderr, "%s\nERROR: ustat: give [interval [count]], whole seconds and a number of outputs\n", usage);
		return 2;
	}
	files_vec files = { 0 };
	scan(&u, &files);
	if (!files.n) {
		fputs("ERROR: ustat: no Python process is running (none maps an executable with CPython's python:* USDT probes)\n",
		      stderr);
		free(u.procs.v);
		return 1;
	}
	struct strbuf script = { 0 };
	for (int i = 0; i < files.n; i++) {
		struct pylang py = { 0 };
		snprintf(py.path, sizeof(py.path), "%s", files.v[i]);
		pylang_usdt(&py, "function__return", &script);
		sb_puts(&script, " { @m[pid] = count(); }\n");
		pylang_usdt(&py, "gc__start", &script);
		sb_puts(&script, " { @g[pid] = count(); }\n");
		pylang_usdt(&py, "import__find__load__start", &script);
		sb_puts(&script, " { @cl[pid] = count(); }\n");
	}
	run.script = sb_str(&script);
	run.interval = u.interval;
	run.duration = count ? count * u.interval : 0;
	run.on_attached = on_attached;
	run.summary = summary;
	run.metrics = ustat_metrics;
	int rc = tk_run(&run);
	for (int f = 0; f < NFIELDS; f++)
		tk_baseline_free(&u.base[f]);
	free(u.procs.v);
	for (int i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	sb_free(&script);
	return rc;
}
