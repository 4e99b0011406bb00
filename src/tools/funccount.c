/*
 * sonde funccount: calls of user functions, tracepoints or USDT probes
 * matching a pattern, with BCC funccount's flags and layout. The counting
 * is a script, `PROBES /filter/ { @c[probe] = count(); }`; each summary
 * prints what each probe counted since the previous one.
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde funccount [-h] [-p PID] [-i INTERVAL] [-d DURATION] [-T] [-r] [-c CPU] [-D] [--json] pattern [-- CMD [ARG...]]\n"
	"\n"
	"Count function calls, tracepoints and USDT probes matching a pattern.\n"
	"\n"
	"positional arguments:\n"
	"  pattern               search expression for events\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        summary interval, seconds\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, seconds\n"
	"  -T, --timestamp       include timestamp on output\n"
	"  -r, --regexp          use regular expressions (POSIX ERE). Default is \"*\" wildcards only.\n"
	"  -c CPU, --cpu CPU     trace this CPU only\n"
	"  -D, --debug           print the generated program before starting\n"
	"  --json                one JSON object per summary\n"
	"\n"
	"Patterns: LIB:FUNC or p:LIB:FUNC (a user function; LIB a path, a program on $PATH,\n"
	"or a library such as c or libpthread), t:CATEGORY:EVENT (a tracepoint),\n"
	"u:LIB:PROBE (a USDT probe). An exact symbol name matches itself, so Go names work\n"
	"as written (main.(*Arith).Mul); otherwise * and ? are the only wildcards.\n"
	"\n"
	"examples:\n"
	"    ./funccount 'c:malloc'               # count libc's malloc() calls\n"
	"    ./funccount -d 10 './server:main.*.Mul'  # Go methods called Mul, for 10 s\n"
	"    ./funccount -Ti 5 './server:runtime.*gc*'  # Go GC functions, every 5 s\n"
	"    ./funccount -p 185 'c:str*'          # str* calls of process 185\n"
	"    ./funccount 't:sched:sched_*'        # scheduler tracepoints\n"
	"    ./funccount -r 'c:^(malloc|free)$'   # a regular expression\n"
	"    ./funccount 'u:/usr/bin/python3.11:function__*'  # USDT probes\n";

struct funccount {
	struct tk_pattern pat;
	int timestamp, json;
	struct tk_baseline base;
};

static int by_count(const void *a, const void *b)
{
	const struct map_entry *x = a, *y = b;
	return x->v < y->v ? -1 : x->v > y->v;
}

static void on_attached(struct session *s, void *arg)
{
	struct funccount *fc = arg;
	if (fc->json)
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"funccount\", \"probes\": %d, \"pattern\": ",
			s->script.points.n);
	else
		fprintf(s->out, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", s->script.points.n, fc->pat.text);
	if (fc->json) {
		struct strbuf j = { 0 };
		json_escape(&j, fc->pat.text, strlen(fc->pat.text));
		fprintf(s->out, "%s}}\n", sb_str(&j));
		sb_free(&j);
	}
}

static void summary(struct session *s, void *arg)
{
	struct funccount *fc = arg;
	struct map_table tb;
	char now[16];
	tk_clock(now, sizeof(now));
	if (session_read_map(s, "@c", &tb)) {
		tb = (struct map_table){ 0 };
	} else {
		tk_since_last(&fc->base, &tb);
		qsort(tb.e, (size_t)tb.n, sizeof(*tb.e), by_count);
	}
	struct strbuf out = { 0 }, name = { 0 };
	if (fc->json)
		sb_printf(&out, "{\"type\": \"counts\", \"data\": {\"time\": \"%s\", \"counts\": [", now);
	else {
		sb_putc(&out, '\n');
		if (fc->timestamp)
			sb_printf(&out, "%-8s\n", now);
		sb_printf(&out, "%-36s %8s\n", "FUNC", "COUNT");
	}
	int rows = 0;
	for (int i = 0; i < tb.n; i++) {
		if (tk_entry_empty(&tb, i))
			continue;
		sb_reset(&name);
		value_string(&name, &s->vc, tb.m->key, tb.e[i].key);
		const char *label = tk_probe_label(sb_str(&name));
		if (fc->json) {
			sb_puts(&out, rows ? ", {\"func\": " : "{\"func\": ");
			json_escape(&out, label, strlen(label));
			sb_printf(&out, ", \"count\": %lld}", (long long)tb.e[i].v);
		} else {
			sb_printf(&out, "%-36s %8lld\n", label, (long long)tb.e[i].v);
		}
		rows++;
	}
	if (fc->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&name);
	if (tb.m)
		map_table_free(&tb);
}

/* --metrics: the function's name, as the summary prints it */
static int function_label(struct session *s, int part, const struct type *t, const uint8_t *data, struct strbuf *out,
			  void *arg)
{
	struct strbuf probe = { 0 };
	(void)part;
	(void)arg;
	value_string(&probe, &s->vc, t, data);
	sb_puts(out, tk_probe_label(sb_str(&probe)));
	sb_free(&probe);
	return 0;
}

static const struct metrics_spec funccount_metrics[] = {
	{ .map = "@c", .name = "sonde_funccount_calls", .help = "Calls of each function (or event) the pattern matched",
	  .labels = { "function" }, .label_value = function_label },
	{ 0 },
};

int tool_funccount(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' }, { "timestamp", no_argument, NULL, 'T' },
		{ "regexp", no_argument, NULL, 'r' }, { "cpu", required_argument, NULL, 'c' },
		{ "debug", no_argument, NULL, 'D' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct funccount fc = { 0 };
	struct tk_run run = { .tool = "funccount", .arg = &fc };
	int regex = 0, c;
	long cpu = -1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:i:d:Trc:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("funccount", optarg, &run.pid))
				return 1;
			break;
		case 'i': case 'd':
			if (tk_parse_seconds("funccount", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 1;
			break;
		case 'T': fc.timestamp = 1; break;
		case 'r': regex = 1; break;
		case 'c':
			if (tk_parse_long(optarg, 0, 4095, &cpu)) {
				fprintf(stderr, "ERROR: funccount: -c needs a CPU number, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'D': run.print_script = 1; break;
		case OPT_JSON: fc.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	int npos = argc - optind;
	if (npos != 1) {
		fprintf(stderr, "%s\nERROR: funccount: %s\n", usage,
			npos < 1 ? "a pattern is required" : "give one pattern (several functions: a glob or -r)");
		return 2;
	}
	if (tk_parse_pattern("funccount", argv[optind], &fc.pat))
		return 1;
	struct strbuf script = { 0 };
	if (tk_attach_points("funccount", &fc.pat, regex, 0, run.pid, &script)) {
		tk_pattern_free(&fc.pat);
		sb_free(&script);
		return 1;
	}
	if (cpu >= 0)
		sb_printf(&script, " /cpu == %ld/", cpu);
	sb_puts(&script, " { @c[probe] = count(); }\n");
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	run.kernel_pattern = fc.pat.kind == TK_KERNEL;
	run.metrics = funccount_metrics;
	int rc = tk_run(&run);
	tk_baseline_free(&fc.base);
	tk_pattern_free(&fc.pat);
	sb_free(&script);
	return rc;
}
