/*
 * sonde uflow: each Python call and return of a process as it happens,
 * indented by depth per thread, BCC uflow's flags and layout. Entries come
 * from pylang.c's source (3.11: uprobes on the RESUME handlers, reading the
 * entered frame's code object), returns from function__return; both send a
 * record (kind, cpu, pid, tid, nsecs, file, function) and each thread's
 * open calls are kept here, so a return closes its own entry. -C and -M are prefix tests in the script.
 */
#include "tools.h"
#include "toolkit.h"
#include "pylang.h"
#include "../out/json.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde uflow [-h] [-l {python}] [-M METHOD] [-C CLASS] [-v] [--json] pid\n"
	"\n"
	"Trace method execution flow in high-level languages.\n"
	"\n"
	"positional arguments:\n"
	"  pid                   process id to attach to\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -l {python}, --language {python}\n"
	"                        language to trace (default: python when the process is one)\n"
	"  -M METHOD, --method METHOD\n"
	"                        trace only calls to methods starting with this prefix\n"
	"  -C CLASS, --class CLASS\n"
	"                        trace only calls to classes starting with this prefix\n"
	"                        (for Python: the file name)\n"
	"  -v, --verbose         verbose mode: print the program before starting\n"
	"  --json                one JSON object per call and return\n"
	"\n"
	"examples:\n"
	"    ./uflow 185                  # trace Python calls of process 185\n"
	"    ./uflow -M index 185         # only functions whose names start with index\n"
	"    ./uflow -C '/srv/app/' 185   # only functions of files under /srv/app/\n";

/* A thread's calls in progress, as "file.function" (its depth is their number). */
struct depth {
	int tid;
	VEC(char *) open;
};

struct uflow {
	int pid, json;
	struct pylang py;
	uint64_t start_ns;
	VEC(struct depth) depths;
};

static void on_attached(struct session *s, void *arg)
{
	struct uflow *f = arg;
	const char *note = pylang_entry_note(&f->py);
	f->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (f->json) {
		struct strbuf j = { 0 };
		sb_printf(&j, "{\"type\": \"attached\", \"data\": {\"tool\": \"uflow\", \"pid\": %d, \"language\": \"python\", \"note\": ",
			  f->pid);
		json_escape(&j, note ? note : "", note ? strlen(note) : 0);
		sb_puts(&j, "}}\n");
		fputs(sb_str(&j), s->out);
		sb_free(&j);
		return;
	}
	fprintf(s->out, "Tracing method calls in python process %d... Ctrl-C to quit.\n", f->pid);
	if (note)
		fprintf(s->out, "%s\n", note);
	fprintf(s->out, "%-3s %-6s %-6s %-8s %s\n", "CPU", "PID", "TID", "TIME(us)", "METHOD");
}

static struct depth *depth_of(struct uflow *f, int tid)
{
	for (int i = 0; i < f->depths.n; i++)
		if (f->depths.v[i].tid == tid)
			return &f->depths.v[i];
	struct depth d = { .tid = tid };
	VEC_PUSH(f->depths, d);
	return &f->depths.v[f->depths.n - 1];
}

/* Whether an open call is the one returning; an entry whose name could not
 * be read yet (a non-ASCII name before its UTF-8 copy) matches its file. */
static int same_call(const char *open, const char *name)
{
	size_t n = strlen(open);
	return !strcmp(open, name) || (n && open[n - 1] == '.' && !strncmp(open, name, n));
}

/*
 * The level to print a call or return at. An entry opens a level; a return
 * closes its own: the open one on top, or the one under it when the top was
 * left by a missed return. A return with no entry (a generator entered by
 * throw() or close(), a call begun before tracing) prints one level deeper
 * and closes nothing.
 */
static int level_of(struct depth *d, int ret, const char *name)
{
	if (!ret) {
		VEC_PUSH(d->open, xstrdup(name));
		return d->open.n;
	}
	int n = d->open.n;
	if (n > 1 && !same_call(d->open.v[n - 1], name) && same_call(d->open.v[n - 2], name))
		free(d->open.v[--d->open.n]);
	n = d->open.n;
	if (n && same_call(d->open.v[n - 1], name)) {
		free(d->open.v[--d->open.n]);
		return n;
	}
	return n + 1;
}

/* printf("%d %d %d %d %d %s %s", kind (0 entry, 1 return), cpu, pid, tid, nsecs, file, function) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct uflow *f = arg;
	int64_t kind, cpu, pid, tid, at;
	memcpy(&kind, data + r->offs[0], 8);
	memcpy(&cpu, data + r->offs[1], 8);
	memcpy(&pid, data + r->offs[2], 8);
	memcpy(&tid, data + r->offs[3], 8);
	memcpy(&at, data + r->offs[4], 8);
	const char *file = (const char *)data + r->offs[5], *func = (const char *)data + r->offs[6];
	int flen = (int)strnlen(file, (size_t)(r->offs[6] - r->offs[5])), nlen = (int)strnlen(func, 256);
	char name[512];
	snprintf(name, sizeof(name), "%.*s.%.*s", flen, file, nlen, func);
	int level = level_of(depth_of(f, (int)tid), (int)kind, name);
	double secs = at > (int64_t)f->start_ns ? (double)(at - (int64_t)f->start_ns) / 1e9 : 0;
	struct strbuf out = { 0 };
	if (f->json) {
		sb_printf(&out, "{\"type\": \"%s\", \"data\": {\"cpu\": %lld, \"pid\": %lld, \"tid\": %lld, \"time\": %.6f, \"depth\": %d, \"file\": ",
			  kind ? "return" : "call", (long long)cpu, (long long)pid, (long long)tid, secs, level);
		json_escape(&out, file, (size_t)flen);
		sb_puts(&out, ", \"function\": ");
		json_escape(&out, func, (size_t)nlen);
		sb_puts(&out, "}}\n");
	} else {
		sb_printf(&out, "%-3lld %-6lld %-6lld %-8.3f %*s%s %s\n", (long long)cpu, (long long)pid, (long long)tid,
			  secs, 2 * (level - 1), "", kind ? "<-" : "->", name);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
}

/* ` /str(FILE, n) == "CLASS" && …/`: prefix tests on the name addresses */
static void filter(struct strbuf *sc, const char *file, const char *func, const char *cls, const char *method)
{
	struct strbuf j = { 0 };
	if (!cls && !method)
		return;
	sb_puts(sc, "if (");
	if (cls) {
		json_escape(&j, cls, strlen(cls));
		sb_printf(sc, "str(%s, %zu) == %s", file, strlen(cls) + 1, sb_str(&j));
	}
	if (method) {
		sb_reset(&j);
		json_escape(&j, method, strlen(method));
		sb_printf(sc, "%sstr(%s, %zu) == %s", cls ? " && " : "", func, strlen(method) + 1, sb_str(&j));
	}
	sb_puts(sc, ") ");
	sb_free(&j);
}

/* The record of an entry (kind 0) or a return, under the filters; ends the block. */
static void send(struct strbuf *sc, int kind, const char *file, const char *func, const char *cls, const char *method)
{
	int filtered = cls || method;
	filter(sc, file, func, cls, method);
	sb_printf(sc, "%sprintf(\"%%d %%d %%d %%d %%d %%s %%s\", %d, cpu, pid, tid, nsecs, str(%s), str(%s));%s\n}\n",
		  filtered ? "{ " : "", kind, file, func, filtered ? " }" : "");
}

int tool_uflow(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "language", required_argument, NULL, 'l' }, { "method", required_argument, NULL, 'M' },
		{ "class", required_argument, NULL, 'C' }, { "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct uflow f = { 0 };
	struct tk_run run = { .tool = "uflow", .arg = &f, .quiet_exit = 1 };
	const char *cls = NULL, *method = NULL;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:M:C:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (pylang_language_ok("uflow", optarg))
				return 2;
			break;
		case 'M': method = optarg; break;
		case 'C': cls = optarg; break;
		case 'v': run.print_script = 1; break;
		case OPT_JSON: f.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "%s\nERROR: uflow: %s\n", usage, argc - optind < 1 ? "a pid is required" : "too many arguments");
		return 2;
	}
	if ((cls && strlen(cls) > 60) || (method && strlen(method) > 60)) {
		fputs("ERROR: uflow: -C and -M prefixes are at most 60 characters\n", stderr);
		return 2;
	}
	if (tk_parse_pid("uflow", argv[optind], &run.pid))
		return 1;
	f.pid = run.pid;
	if (pylang_find("uflow", run.pid, &f.py))
		return 1;
	struct strbuf script = { 0 };
	/* the records' format only types their arguments; on_record() prints the line */
	if (f.py.entries != PY_ENTRY_NONE) {
		pylang_entry_points(&f.py, &script);
		sb_puts(&script, " {\n  ");
		pylang_entry_names(&f.py, 1, &script);
		sb_puts(&script, "\n  ");
		send(&script, 0, "$pyfile", "$pyfunc", cls, method);
	}
	pylang_usdt(&f.py, "function__return", &script);
	sb_puts(&script, " {\n  ");
	send(&script, 1, "arg0", "arg1", cls, method);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	int rc = tk_run(&run);
	for (int i = 0; i < f.depths.n; i++) {
		for (int k = 0; k < f.depths.v[i].open.n; k++)
			free(f.depths.v[i].open.v[k]);
		free(f.depths.v[i].open.v);
	}
	free(f.depths.v);
	sb_free(&script);
	return rc;
}
