/*
 * sonde ugc: each garbage collection of a Python process, with its duration,
 * BCC ugc's flags and layout. gc__start stamps the thread and keeps the
 * generation; gc__done sends one record (its nsecs, duration, generation,
 * objects collected) when the collection lasted at least -M ms.
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
	"usage: sonde ugc [-h] [-l {python}] [-v] [-m] [-M MINIMUM] [-F FILTER] [--json] pid\n"
	"\n"
	"Summarize garbage collection events in high-level languages.\n"
	"\n"
	"positional arguments:\n"
	"  pid                   process id to attach to\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -l {python}, --language {python}\n"
	"                        language to trace (default: python when the process is one)\n"
	"  -v, --verbose         verbose mode: print the program before starting\n"
	"  -m, --milliseconds    report times in milliseconds (default is microseconds)\n"
	"  -M MINIMUM, --minimum MINIMUM\n"
	"                        display only GCs longer than this many milliseconds\n"
	"  -F FILTER, --filter FILTER\n"
	"                        display only GCs whose description contains this text\n"
	"  --json                one JSON object per collection\n"
	"\n"
	"examples:\n"
	"    ./ugc 185                    # trace collections of Python process 185\n"
	"    ./ugc -m 185                 # times in milliseconds\n"
	"    ./ugc -M 10 185              # collections longer than 10 ms only\n"
	"    ./ugc -F 'gen 2' 185         # full collections only\n";

struct ugc {
	int pid, ms, json;
	const char *filter;
	uint64_t start_ns;
};

static void on_attached(struct session *s, void *arg)
{
	struct ugc *g = arg;
	g->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (g->json) {
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"ugc\", \"pid\": %d, \"language\": \"python\"}}\n",
			g->pid);
		return;
	}
	fprintf(s->out, "Tracing garbage collections in python process %d... Ctrl-C to quit.\n", g->pid);
	fprintf(s->out, "%-8s %-8s %-40s\n", "START", g->ms ? "TIME (ms)" : "TIME (us)", "DESCRIPTION");
}

/* printf("%d %d %d %d", nsecs, duration, generation, collected) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct ugc *g = arg;
	int64_t at, dur, gen, objs;
	memcpy(&at, data + r->offs[0], 8);
	memcpy(&dur, data + r->offs[1], 8);
	memcpy(&gen, data + r->offs[2], 8);
	memcpy(&objs, data + r->offs[3], 8);
	char desc[96];
	snprintf(desc, sizeof(desc), "gen %lld GC collected %lld objects", (long long)gen, (long long)objs);
	if (g->filter && !strstr(desc, g->filter))
		return;
	double start = at > (int64_t)g->start_ns ? (double)(at - (int64_t)g->start_ns) / 1e9 : 0;
	if (g->json) {
		fprintf(s->out, "{\"type\": \"gc\", \"data\": {\"start\": %.6f, \"time_ns\": %lld, \"generation\": %lld, \"collected\": %lld}}\n",
			start, (long long)dur, (long long)gen, (long long)objs);
		return;
	}
	fprintf(s->out, "%-8.3f %-8.2f %s\n", start, (double)dur / (g->ms ? 1e6 : 1e3), desc);
}

int tool_ugc(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "language", required_argument, NULL, 'l' }, { "verbose", no_argument, NULL, 'v' },
		{ "milliseconds", no_argument, NULL, 'm' }, { "minimum", required_argument, NULL, 'M' },
		{ "filter", required_argument, NULL, 'F' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct ugc g = { 0 };
	struct tk_run run = { .tool = "ugc", .arg = &g, .quiet_exit = 1 };
	struct pylang py;
	long min_ms = 0;
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "l:vmM:F:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (pylang_language_ok("ugc", optarg))
				return 2;
			break;
		case 'v': run.print_script = 1; break;
		case 'm': g.ms = 1; break;
		case 'M':
			if (tk_parse_long(optarg, 0, 86400000, &min_ms)) {
				fprintf(stderr, "ERROR: ugc: -M is a number of milliseconds, got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'F': g.filter = optarg; break;
		case OPT_JSON: g.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "%s\nERROR: ugc: %s\n", usage, argc - optind < 1 ? "a pid is required" : "too many arguments");
		return 2;
	}
	if (tk_parse_pid("ugc", argv[optind], &run.pid))
		return 1;
	g.pid = run.pid;
	if (pylang_find("ugc", run.pid, &py))
		return 1;
	struct strbuf script = { 0 };
	pylang_usdt(&py, "gc__start", &script);
	sb_puts(&script, " { @ugs[tid] = nsecs; @ugg[tid] = arg0; }\n");
	pylang_usdt(&py, "gc__done", &script);
	/* the record's format only types its arguments; on_record() prints the line */
	sb_printf(&script, " /@ugs[tid]/ {\n  $d = nsecs - @ugs[tid];\n  if ($d >= %lld) { printf(\"%%d %%d %%d %%d\", nsecs, $d, @ugg[tid], (int64)arg0); }\n"
			   "  delete(@ugs[tid]); delete(@ugg[tid]);\n}\n", min_ms * 1000000LL);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	int rc = tk_run(&run);
	sb_free(&script);
	return rc;
}
