/*
 * sonde funclatency: a log2 histogram of how long functions take, with BCC
 * funclatency's flags, histogram and footer. A script times each call from
 * its entry probe to its return probe; on a Go program the return probes
 * are the function's RET instructions (no uretprobe), and calls are paired
 * by goroutine (goid), not by thread, since goroutines move between threads.
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/bcchist.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde funclatency [-h] [-p PID] [-i INTERVAL] [-d DURATION] [-T] [-u] [-m] [-F] [-r] [-l LEVEL] [-D] [--json] pattern [-- CMD [ARG...]]\n"
	"\n"
	"Time functions and print latency as a histogram.\n"
	"\n"
	"positional arguments:\n"
	"  pattern               search expression for functions\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        summary interval, in seconds\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, in seconds\n"
	"  -T, --timestamp       include timestamp on output\n"
	"  -u, --microseconds    microsecond histogram\n"
	"  -m, --milliseconds    millisecond histogram\n"
	"  -F, --function        show a separate histogram per function\n"
	"  -r, --regexp          use regular expressions (POSIX ERE). Default is \"*\" wildcards only.\n"
	"  -l LEVEL, --level LEVEL\n"
	"                        time nested (recursive) calls up to LEVEL deep; default: the innermost only\n"
	"  -D, --debug           print the generated program before starting\n"
	"  --json                one JSON object per summary\n"
	"\n"
	"Go: calls are paired by goroutine (goid), so a call whose goroutine moves to another\n"
	"thread is timed right; the return side is a probe on each RET instruction (a uretprobe\n"
	"would crash a Go program when its goroutine stack moves).\n"
	"\n"
	"examples:\n"
	"    ./funclatency c:read                  # time libc read(), nanoseconds\n"
	"    ./funclatency -u -d 10 './server:main.*.Mul'  # Go methods called Mul, microseconds\n"
	"    ./funclatency -m -i 5 'c:open*'       # milliseconds, a summary every 5 s\n"
	"    ./funclatency -F -p 181 'c:str*'      # a histogram per function of process 181\n"
	"    ./funclatency -l 3 './prog:fib'       # recursive calls, 3 levels deep\n";

struct funclatency {
	struct tk_pattern pat;
	int timestamp, json, per_function;
	const char *unit;
	int64_t overhead_ns;	/* the probes' own share of each time; -1: unknown */
	int calibrate, is_go;	/* measure it (user functions), with Go's return probes */
	struct tk_baseline hist_base, sum_base, count_base;
};

static void on_attached(struct session *s, void *arg)
{
	struct funclatency *fl = arg;
	if (fl->json) {
		struct strbuf j = { 0 };
		if (fl->calibrate)
			fl->overhead_ns = tk_probe_overhead_ns(fl->is_go);
		json_escape(&j, fl->pat.text, strlen(fl->pat.text));
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"funclatency\", \"probes\": %d, \"pattern\": %s, "
			"\"probe_overhead_ns\": %lld}}\n", s->script.blocks.v[0]->points.n, sb_str(&j), (long long)fl->overhead_ns);
		sb_free(&j);
	} else {
		fprintf(s->out, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", s->script.blocks.v[0]->points.n,
			fl->pat.text);
		fflush(s->out);
		/* measured once the probes are in place, so the header comes first and fast */
		if (fl->calibrate)
			fl->overhead_ns = tk_probe_overhead_ns(fl->is_go);
		if (fl->overhead_ns >= 0)
			fprintf(s->out, "Each time includes about %lld nsecs of the probes' own cost (measured now on an empty function).\n",
				(long long)fl->overhead_ns);
	}
}

/* The entry of tb with the same key as k, or NULL. */
static const struct map_entry *find(const struct map_table *tb, const uint8_t *k)
{
	for (int i = 0; i < tb->n; i++)
		if (!memcmp(tb->e[i].key, k, (size_t)tb->user_key_size))
			return &tb->e[i];
	return NULL;
}

static void section(struct session *s, struct funclatency *fl, const struct map_table *hist,
		    const struct map_table *sum, const struct map_table *count, int i, struct strbuf *out, int first)
{
	const struct map_entry *e = &hist->e[i];
	uint64_t slots[BCC_SLOTS];
	bcc_slots_from_hist(slots, e->buckets);
	const struct map_entry *se = find(sum, e->key), *ce = find(count, e->key);
	int64_t total = se ? se->v : 0, n = ce ? ce->v : 0;
	struct strbuf name = { 0 };
	if (fl->per_function)
		value_text(&name, &s->vc, hist->m->key, e->key, 1);
	if (fl->json) {
		sb_puts(out, first ? "{" : ", {");
		if (fl->per_function) {
			sb_puts(out, "\"function\": ");
			json_escape(out, sb_str(&name), name.len);
			sb_puts(out, ", ");
		}
		sb_puts(out, "\"hist\": ");
		bcc_log2_hist_json(out, slots);
		sb_printf(out, ", \"total\": %lld, \"count\": %lld, \"avg\": %lld}", (long long)total, (long long)n,
			  (long long)(n ? total / n : 0));
	} else {
		if (fl->per_function) {
			/* "func, pid" as a tuple key: BCC's "Function = NAME [PID]" */
			char *comma = strstr(sb_str(&name), ", ");
			if (comma)
				sb_printf(out, "\nFunction = %.*s [%s]\n", (int)(comma - sb_str(&name)), sb_str(&name), comma + 2);
			else
				sb_printf(out, "\nFunction = %s\n", sb_str(&name));
		}
		bcc_log2_hist_text(out, slots, fl->unit);
		if (n)
			sb_printf(out, "\navg = %lld %s, total: %lld %s, count: %lld\n\n", (long long)(total / n), fl->unit,
				  (long long)total, fl->unit, (long long)n);
	}
	sb_free(&name);
}

static void summary(struct session *s, void *arg)
{
	struct funclatency *fl = arg;
	struct map_table hist = { 0 }, sum = { 0 }, count = { 0 };
	int have = !session_read_map(s, "@h", &hist) && !session_read_map(s, "@sum", &sum) &&
		   !session_read_map(s, "@n", &count);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	if (fl->json) {
		sb_printf(&out, "{\"type\": \"latency\", \"data\": {\"time\": \"%s\", \"unit\": \"%s\", \"histograms\": [", now,
			  fl->unit);
	} else {
		sb_putc(&out, '\n');
		if (fl->timestamp)
			sb_printf(&out, "%-8s\n", now);
	}
	if (have) {
		tk_since_last(&fl->hist_base, &hist);
		tk_since_last(&fl->sum_base, &sum);
		tk_since_last(&fl->count_base, &count);
		for (int i = 0, k = 0; i < hist.n; i++)
			if (!tk_entry_empty(&hist, i))
				section(s, fl, &hist, &sum, &count, i, &out, !k++);
	}
	if (fl->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	if (hist.m)
		map_table_free(&hist);
	if (sum.m)
		map_table_free(&sum);
	if (count.m)
		map_table_free(&count);
}

/* The script: entry stamps, return probes that histogram the difference. */
static void build_script(struct strbuf *sb, const char *entries, const char *returns, const char *who, long level,
			 long divisor, int per_function)
{
	const char *key = per_function ? "func, pid" : "0";
	if (level <= 1) {
		sb_printf(sb, "%s { @start[%s] = nsecs; }\n", entries, who);
		sb_printf(sb, "%s /@start[%s]/ { $d = (nsecs - @start[%s]) / %ld; delete(@start[%s]);\n", returns, who, who,
			  divisor, who);
	} else {
		/* a stack of LEVEL stamps per thread or goroutine: nested calls each get theirs */
		sb_printf(sb, "%s { $l = @depth[%s]; if ($l < %ld) { @start[%s, $l] = nsecs; } @depth[%s] = $l + 1; }\n", entries,
			  who, level, who, who);
		sb_printf(sb, "%s /@depth[%s] > 0/ { $l = @depth[%s] - 1; @depth[%s] = $l; if ($l >= %ld) { return; }\n",
			  returns, who, who, who, level);
		sb_printf(sb, "  $d = (nsecs - @start[%s, $l]) / %ld; delete(@start[%s, $l]);\n", who, divisor, who);
	}
	sb_printf(sb, "  @h[%s] = hist($d); @sum[%s] = sum($d); @n[%s] = count(); }\n", key, key, key);
}

/* --metrics: one histogram for the pattern, or (-F) one per function and process */
static int pattern_label(struct session *s, int part, const struct type *t, const uint8_t *data, struct strbuf *out,
			 void *arg)
{
	struct funclatency *fl = arg;
	(void)s;
	(void)t;
	(void)data;
	if (fl->per_function || part)
		return -1;
	sb_puts(out, fl->pat.text);
	return 0;
}

int tool_funclatency(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' }, { "timestamp", no_argument, NULL, 'T' },
		{ "microseconds", no_argument, NULL, 'u' }, { "milliseconds", no_argument, NULL, 'm' },
		{ "function", no_argument, NULL, 'F' }, { "regexp", no_argument, NULL, 'r' },
		{ "level", required_argument, NULL, 'l' }, { "debug", no_argument, NULL, 'D' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct funclatency fl = { .unit = "nsecs", .overhead_ns = -1 };
	struct tk_run run = { .tool = "funclatency", .arg = &fl };
	int regex = 0, c;
	long level = 1, divisor = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:i:d:TumFrl:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("funclatency", optarg, &run.pid))
				return 1;
			break;
		case 'i': case 'd':
			if (tk_parse_seconds("funclatency", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 1;
			break;
		case 'l':
			if (tk_parse_long(optarg, 1, 64, &level)) {
				fprintf(stderr, "ERROR: funclatency: -l is a nesting depth, 1 to 64, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'T': fl.timestamp = 1; break;
		case 'u':
		case 'm':
			if (divisor != 1) {
				fputs("ERROR: funclatency: -u and -m exclude each other\n", stderr);
				return 2;
			}
			divisor = c == 'u' ? 1000 : 1000000;
			fl.unit = c == 'u' ? "usecs" : "msecs";
			break;
		case 'F': fl.per_function = 1; break;
		case 'r': regex = 1; break;
		case 'D': run.print_script = 1; break;
		case OPT_JSON: fl.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	int npos = argc - optind;
	if (npos != 1) {
		fprintf(stderr, "%s\nERROR: funclatency: %s\n", usage,
			npos < 1 ? "a pattern is required" : "give one pattern (several functions: a glob or -r)");
		return 2;
	}
	if (tk_parse_pattern("funclatency", argv[optind], &fl.pat))
		return 1;
	if (fl.pat.kind == TK_TRACEPOINT || fl.pat.kind == TK_USDT) {
		fprintf(stderr, "ERROR: funclatency: '%s' is a %s, which has no return to time: give a function (LIB:FUNC)\n",
			fl.pat.text, fl.pat.kind == TK_USDT ? "USDT probe" : "tracepoint");
		tk_pattern_free(&fl.pat);
		return 1;
	}
	struct strbuf entries = { 0 }, returns = { 0 }, script = { 0 };
	int rc = 1;
	if (tk_attach_points("funclatency", &fl.pat, regex, 0, run.pid, &entries) ||
	    tk_attach_points("funclatency", &fl.pat, regex, 1, run.pid, &returns))
		goto out;
	fl.is_go = tk_pattern_is_go(&fl.pat, run.pid);
	build_script(&script, sb_str(&entries), sb_str(&returns), fl.is_go ? "goid" : "tid", level, divisor, fl.per_function);
	fl.calibrate = fl.pat.kind == TK_USER;
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	run.kernel_pattern = fl.pat.kind == TK_KERNEL;
	const struct metrics_spec metrics[] = {
		{ .map = "@h", .sum_map = "@sum", .label_value = pattern_label,
		  .name = "sonde_funclatency_seconds", .exp = divisor == 1 ? 9 : divisor == 1000 ? 6 : 3,
		  .help = "Latency of the calls, from entry to return (log2 buckets of ns, -u us, -m ms: le = 2^k - 1)",
		  .labels = { "function", "pid" } },
		{ 0 },
	};
	run.metrics = metrics;
	rc = tk_run(&run);
out:
	tk_baseline_free(&fl.hist_base);
	tk_baseline_free(&fl.sum_base);
	tk_baseline_free(&fl.count_base);
	tk_pattern_free(&fl.pat);
	sb_free(&entries);
	sb_free(&returns);
	sb_free(&script);
	return rc;
}
