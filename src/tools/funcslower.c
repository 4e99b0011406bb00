/*
 * sonde funcslower: one line per call slower than a threshold, with BCC
 * funcslower's flags and columns, and the caller's stacks with -U/-K. A
 * script stamps each entry and, at the return, sends a record for the slow
 * calls only; this file prints the records. On a Go program calls are paired
 * by goroutine and the return side is the RET instructions, as funclatency.
 */
#include "tools.h"
#include "../python/merge.h"
#include "toolkit.h"
#include "../out/folded.h"
#include "../out/json.h"
#include "../out/stacks.h"
#include "../sym/resolve.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde funcslower [-h] [-p PID] [-m MIN_MS] [-u MIN_US] [-a ARGUMENTS] [-T] [-t] [-U] [-K] [-f] [-D] [--json] function [function ...] [-- CMD [ARG...]]\n"
	"\n"
	"Trace slow function calls and print them with their latency.\n"
	"\n"
	"positional arguments:\n"
	"  function              function(s) to trace: LIB:FUNC (a glob matches several)\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -m MIN_MS, --min-ms MIN_MS\n"
	"                        minimum duration to trace (ms); default 1 ms\n"
	"  -u MIN_US, --min-us MIN_US\n"
	"                        minimum duration to trace (us)\n"
	"  -a ARGUMENTS, --arguments ARGUMENTS\n"
	"                        print this many entry arguments, as hexadecimal (up to 6)\n"
	"  -T, --time            show HH:MM:SS timestamp\n"
	"  -t, --timestamp       show timestamp in seconds since the first event, to the us\n"
	"  -U, --user-stack      show the caller's user stack\n"
	"  -K, --kernel-stack    show the kernel stack (of a kernel function; a user function's\n"
	"                        kernel stack at its probe is the probe's own trap and is left out)\n"
	"  -f, --folded          output folded stacks, one line per call (for flame graphs)\n"
	"  -D, --debug           print the generated program before starting\n"
	"  --json                one JSON object per call\n"
	"\n"
	"Go: calls are paired by goroutine (goid), and the return side is each RET instruction.\n"
	"\n"
	"examples:\n"
	"    ./funcslower c:open                    # libc open() calls slower than 1 ms\n"
	"    ./funcslower -u 10 './server:main.(*Arith).Mul'   # Go calls slower than 10 us\n"
	"    ./funcslower -UK -u 10 './server:main.(*Arith).Mul'  # with the caller's stack\n"
	"    ./funcslower -p 135 -a 2 -m 5 c:write  # process 135, with 2 arguments\n"
	"    ./funcslower -U -f -m 5 c:write > out.folded  # folded, for a flame graph\n";

#define MAX_FUNCS 64
#define MAX_DEPTH 32	/* nested calls timed per thread or goroutine */

struct funcslower {
	const char *typed[MAX_FUNCS];	/* each function as typed, printed in FUNC */
	int exact[MAX_FUNCS];		/* no wildcard: FUNC is the text as typed */
	int nfuncs, nargs;
	int user_stack, kernel_stack, folded, time_col, ts_col, json, kernel_probe;
	double threshold;	/* in the unit */
	const char *unit;	/* "us" or "ms" */
	uint64_t first_ns;
	int64_t overhead_ns;	/* the probes' own share of each time; -1: unknown */
	int calibrate, calibrate_go;	/* measure it once attached (user functions; Go's return probes) */
};

static void on_attached(struct session *s, void *arg)
{
	struct funcslower *fs = arg;
	if (fs->json) {
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"funcslower\", \"probes\": %d, \"min_%s\": %g}}\n",
			s->script.points.n, fs->unit, fs->threshold);
		return;
	}
	if (fs->folded)
		return;
	fprintf(s->out, "Tracing function calls slower than %g %s... Ctrl+C to quit.\n", fs->threshold, fs->unit);
	fflush(s->out);
	if (fs->calibrate)
		fs->overhead_ns = tk_probe_overhead_ns(fs->calibrate_go);
	if (fs->overhead_ns >= 0)
		fprintf(s->out, "Each time includes about %lld ns of the probes' own cost (measured now on an empty function).\n",
			(long long)fs->overhead_ns);
	if (fs->time_col || fs->ts_col)
		fprintf(s->out, "%-10s ", "TIME");
	char lat[16];
	snprintf(lat, sizeof(lat), "LAT(%s)", fs->unit);
	fprintf(s->out, "%-14s %-6s %7s %16s %s\n", "COMM", "PID", lat, "RVAL", fs->nargs ? "FUNC ARGS" : "FUNC");
	if (fs->kernel_stack && !fs->kernel_probe)
		fputs("NOTE: -K: these are user functions; the kernel stack at their probe is the probe's own trap, so it is left out\n",
		      stderr);
}

/* Frames of a stack value {hash, pid}, leaf first. */
static int frames(struct session *s, const uint8_t *v, uint64_t *ips)
{
	uint64_t hash;
	memcpy(&hash, v, 8);
	return hash ? stack_frames(s->vc.stacks_fd, hash, ips, STACK_MAX_FRAMES) : 0;
}

static void frame_lines(struct strbuf *out, struct session *s, const uint64_t *ips, int n, int pid, int user)
{
	for (int i = 0; i < n; i++) {
		struct sym_info si = { 0 };
		int known = user ? sym_user_info(s->vc.syms, pid, ips[i], &si) : sym_kernel_info(s->vc.syms, ips[i], &si);
		sb_printf(out, "    %s\n", known ? si.name : "[unknown]");
	}
}

/* printf(FMT, idx, comm, pid, lat_ns, retval, ts, a0…a5, [ustack], [kstack], func) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct funcslower *fs = arg;
	int64_t v[12];
	for (int i = 0; i < r->nargs && i < 12; i++)
		if (r->args[i]->kind != TY_STR && r->args[i]->kind != TY_STACK)
			memcpy(&v[i], data + r->offs[i], 8);
	const char *comm = (const char *)data + r->offs[1];
	int idx = (int)v[0], pid = (int)v[2];
	int64_t lat = v[3], retval = v[4];
	uint64_t ts = (uint64_t)v[5];
	if (!fs->first_ns)
		fs->first_ns = ts;
	int first_stack = 6 + fs->nargs;
	struct stack_sample x = { .pid = pid, .count = 1 };
	snprintf(x.comm, sizeof(x.comm), "%.16s", comm);
	if (fs->user_stack)
		x.nu = py_merge(s->vc.syms, pid, x.uips, frames(s, data + r->offs[first_stack], x.uips));
	if (fs->kernel_stack && fs->kernel_probe)
		x.nk = frames(s, data + r->offs[first_stack + fs->user_stack], x.kips);
	/* FUNC: as typed for an exact name, else the function the glob matched */
	struct strbuf func = { 0 }, out = { 0 };
	if (idx >= 0 && idx < fs->nfuncs && fs->exact[idx])
		sb_puts(&func, fs->typed[idx]);
	else
		value_string(&func, &s->vc, r->args[r->nargs - 1], data + r->offs[r->nargs - 1]);
	double div = !strcmp(fs->unit, "ms") ? 1e6 : 1e3;
	if (fs->folded) {
		struct stack_layout l = { .user = fs->user_stack, .kernel = fs->kernel_stack && fs->kernel_probe };
		stack_sample_folded(&out, s->vc.syms, &x, &l);
		sb_puts(&out, " 1\n");
	} else if (fs->json) {
		sb_puts(&out, "{\"type\": \"slow_call\", \"data\": {\"comm\": ");
		json_escape(&out, x.comm, strlen(x.comm));
		sb_printf(&out, ", \"pid\": %d, \"lat_ns\": %lld, \"retval\": %lld, \"time_s\": %.6f, \"func\": ", pid,
			  (long long)lat, (long long)retval, (double)(ts - fs->first_ns) / 1e9);
		json_escape(&out, sb_str(&func), func.len);
		sb_puts(&out, ", \"args\": [");
		for (int i = 0; i < fs->nargs; i++)
			sb_printf(&out, "%s%llu", i ? ", " : "", (unsigned long long)v[6 + i]);
		sb_puts(&out, "]");
		if (fs->user_stack) {
			sb_puts(&out, ", \"ustack\": [");
			for (int i = 0; i < x.nu; i++) {
				struct sym_info si = { 0 };
				int known = sym_user_info(s->vc.syms, pid, x.uips[i], &si);
				sb_puts(&out, i ? ", " : "");
				json_escape(&out, known ? si.name : "[unknown]", strlen(known ? si.name : "[unknown]"));
			}
			sb_puts(&out, "]");
		}
		sb_puts(&out, "}}\n");
	} else {
		if (fs->time_col) {
			char now[16];
			time_t t = time(NULL);
			struct tm tm;
			localtime_r(&t, &tm);
			strftime(now, sizeof(now), "%H:%M:%S", &tm);
			sb_printf(&out, "%-10s ", now);
		} else if (fs->ts_col) {
			sb_printf(&out, "%-10.6f ", (double)(ts - fs->first_ns) / 1e9);
		}
		char pidtxt[16];
		snprintf(pidtxt, sizeof(pidtxt), "%d", pid);
		sb_printf(&out, "%-14.14s %-6s %7.2f %16llx %s ", x.comm, pidtxt, (double)lat / div, (unsigned long long)retval,
			  sb_str(&func));
		for (int i = 0; i < fs->nargs; i++)
			sb_printf(&out, "%s0x%llx", i ? " " : "", (unsigned long long)v[6 + i]);
		sb_putc(&out, '\n');
		frame_lines(&out, s, x.kips, x.nk, pid, 0);
		frame_lines(&out, s, x.uips, x.nu, pid, 1);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&func);
}

static int has_wildcard(const char *s)
{
	return strpbrk(s, "*?") != NULL;
}

int tool_funcslower(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "min-ms", required_argument, NULL, 'm' },
		{ "min-us", required_argument, NULL, 'u' }, { "arguments", required_argument, NULL, 'a' },
		{ "time", no_argument, NULL, 'T' }, { "timestamp", no_argument, NULL, 't' },
		{ "user-stack", no_argument, NULL, 'U' }, { "kernel-stack", no_argument, NULL, 'K' },
		{ "folded", no_argument, NULL, 'f' }, { "debug", no_argument, NULL, 'D' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct funcslower fs = { .threshold = 1, .unit = "ms", .overhead_ns = -1 };
	struct tk_run run = { .tool = "funcslower", .arg = &fs };
	int c, got_threshold = 0;
	long nargs = 0;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:m:u:a:TtUKfDh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("funcslower", optarg, &run.pid))
				return 1;
			break;
		case 'm': case 'u':
			if (got_threshold++) {
				fputs("ERROR: funcslower: -m and -u exclude each other: one threshold\n", stderr);
				return 2;
			}
			if (tk_parse_double(optarg, 1e9, &fs.threshold)) {
				fprintf(stderr, "ERROR: funcslower: -%c is a positive number of %s, got '%s'\n", c,
					c == 'm' ? "milliseconds" : "microseconds", optarg);
				return 1;
			}
			fs.unit = c == 'm' ? "ms" : "us";
			break;
		case 'a':
			if (tk_parse_long(optarg, 1, 6, &nargs)) {
				fprintf(stderr, "ERROR: funcslower: -a is a number of arguments, 1 to 6, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'T': fs.time_col = 1; break;
		case 't': fs.ts_col = 1; break;
		case 'U': fs.user_stack = 1; break;
		case 'K': fs.kernel_stack = 1; break;
		case 'f': fs.folded = 1; break;
		case 'D': run.print_script = 1; break;
		case OPT_JSON: fs.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	fs.nargs = (int)nargs;
	int npos = argc - optind;
	if (npos < 1) {
		fprintf(stderr, "%s\nERROR: funcslower: a function is required\n", usage);
		return 2;
	}
	if (npos > MAX_FUNCS) {
		fprintf(stderr, "ERROR: funcslower: at most %d functions (a glob matches several)\n", MAX_FUNCS);
		return 2;
	}
	if (fs.folded && !fs.user_stack && !fs.kernel_stack) {
		fputs("ERROR: funcslower: -f prints stacks: add -U and/or -K\n", stderr);
		return 2;
	}
	if (fs.time_col && fs.ts_col) {
		fputs("ERROR: funcslower: -T and -t exclude each other\n", stderr);
		return 2;
	}
	run.quiet_exit = fs.folded;
	long long thresh_ns = (long long)(fs.threshold * (!strcmp(fs.unit, "ms") ? 1e6 : 1e3));
	struct strbuf script = { 0 };
	int rc = 1;
	for (int i = optind; i < optind + npos; i++) {
		struct tk_pattern pat;
		struct strbuf entries = { 0 }, returns = { 0 };
		int idx = fs.nfuncs++;
		fs.typed[idx] = argv[i];
		fs.exact[idx] = !has_wildcard(argv[i]);
		if (tk_parse_pattern("funcslower", argv[i], &pat))
			goto out;
		if (pat.kind == TK_TRACEPOINT || pat.kind == TK_USDT) {
			fprintf(stderr, "ERROR: funcslower: '%s' has no return to time: give a function (LIB:FUNC)\n", argv[i]);
			tk_pattern_free(&pat);
			goto out;
		}
		fs.kernel_probe |= pat.kind == TK_KERNEL;
		if (pat.kind == TK_USER && !fs.calibrate && !fs.folded) {
			fs.calibrate = 1;
			fs.calibrate_go = tk_pattern_is_go(&pat, run.pid);
		}
		int bad = tk_attach_points("funcslower", &pat, 0, 0, run.pid, &entries) ||
			  tk_attach_points("funcslower", &pat, 0, 1, run.pid, &returns);
		const char *who = tk_pattern_is_go(&pat, run.pid) ? "goid" : "tid";
		tk_pattern_free(&pat);
		if (!bad) {
			/* a stack of stamps per thread (goroutine): nested and recursive calls are each timed */
			sb_printf(&script, "%s { $l = @depth%d[%s]; @depth%d[%s] = $l + 1; if ($l < %d) { @start%d[%s, $l] = nsecs;",
				  sb_str(&entries), idx, who, idx, who, MAX_DEPTH, idx, who);
			for (int a = 0; a < fs.nargs; a++)
				sb_printf(&script, " @arg%d_%d[%s, $l] = arg%d;", idx, a, who, a);
			sb_printf(&script, " } }\n%s /@depth%d[%s] > 0/ { $l = @depth%d[%s] - 1; @depth%d[%s] = $l;\n",
				  sb_str(&returns), idx, who, idx, who, idx, who);
			sb_printf(&script, "  if ($l == 0) { delete(@depth%d[%s]); } if ($l >= %d) { return; }\n", idx, who, MAX_DEPTH);
			sb_printf(&script, "  $lat = nsecs - @start%d[%s, $l]; delete(@start%d[%s, $l]);\n", idx, who, idx, who);
			/* a record for this file to print: the format only types the arguments */
			sb_printf(&script, "  if ($lat >= %lld) { printf(\"%%d %%s %%d %%d %%d %%d", thresh_ns);
			for (int a = 0; a < fs.nargs; a++)
				sb_puts(&script, " %d");
			sb_puts(&script, fs.user_stack ? " %s" : "");
			sb_puts(&script, fs.kernel_stack && fs.kernel_probe ? " %s" : "");
			sb_printf(&script, " %%s\", %d, comm, pid, $lat, retval, nsecs", idx);
			for (int a = 0; a < fs.nargs; a++)
				sb_printf(&script, ", @arg%d_%d[%s, $l]", idx, a, who);
			if (fs.user_stack)
				sb_puts(&script, ", ustack");
			if (fs.kernel_stack && fs.kernel_probe)
				sb_puts(&script, ", kstack");
			sb_puts(&script, ", func); }");
			for (int a = 0; a < fs.nargs; a++)
				sb_printf(&script, " delete(@arg%d_%d[%s, $l]);", idx, a, who);
			sb_puts(&script, " }\n");
		}
		sb_free(&entries);
		sb_free(&returns);
		if (bad)
			goto out;
	}
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	run.kernel_pattern = fs.kernel_probe;
	rc = tk_run(&run);
out:
	sb_free(&script);
	return rc;
}
