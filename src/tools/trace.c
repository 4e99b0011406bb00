/*
 * sonde trace: a line per event with a message of the user's, from BCC
 * trace's probe specs, flags and columns. Each spec becomes a probe whose
 * printf record carries the columns, the message's values and the stacks;
 * this file renders the records (the message with the user's own format).
 */
#include "tools.h"
#include "../python/merge.h"
#include "toolkit.h"
#include "cexpr.h"
#include "../out/folded.h"
#include "../out/format.h"
#include "../out/json.h"
#include "../out/stacks.h"
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde trace [-h] [-p PID] [-L TID] [-v] [-M MAX_EVENTS] [-t] [-T] [-K] [-U] [--json] probe [probe ...] [-- CMD [ARG...]]\n"
	"\n"
	"Attach to functions and print trace messages.\n"
	"\n"
	"positional arguments:\n"
	"  probe                 probe specifier (see examples)\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     id of the process to trace (optional)\n"
	"  -L TID, --tid TID     id of the thread to trace (optional)\n"
	"  -v, --verbose         print resulting program before executing it\n"
	"  -M MAX_EVENTS, --max-events MAX_EVENTS\n"
	"                        number of events to print before quitting\n"
	"  -t, --timestamp       print timestamp column (seconds since start)\n"
	"  -T, --time            print time column (HH:MM:SS)\n"
	"  -K, --kernel-stack    output kernel stack trace (tracepoints; a user function's kernel\n"
	"                        stack at its probe is the probe's own trap and is left out)\n"
	"  -U, --user-stack      output user stack trace\n"
	"  --json                one JSON object per event\n"
	"\n"
	"Probe: [{p,r,t,u}]:[lib]:function[(signature)] [(filter)] [\"format\", args...]\n"
	"  p:lib:func (the default) at entry, r:lib:func at return (retval), t:cat:event a\n"
	"  tracepoint (args->field), u:lib[:provider]:probe a USDT probe; a signature names the\n"
	"  parameters (int a, char *b). Values: arg1..arg6, retval, $pid (the thread), $tgid,\n"
	"  $uid, $gid, $cpu, $comm, $task, C casts, str(), ksym(), usym(). The format takes\n"
	"  %d %u %ld %lu %lld %llu %hd %hu %x %lx %llx %c %s (a string, or a user pointer to\n"
	"  one) %K %U (a kernel/user address as its function), with flags and a width.\n"
	"\n"
	"Not supported: +OFFSET in a probe, STRCMP() (use str(arg1) == \"text\"), arg1@user,\n"
	"struct members through a signature, and BCC's -u -C -c -n -f -B -s -a -I -A -b -S -Z\n"
	"--uid; each is refused with a message.\n"
	"\n"
	"examples:\n"
	"    ./trace 'c:open \"%s\", arg1'          # libc open() calls with the file name\n"
	"    ./trace 'r:c:malloc (retval == 0) \"failed\"'  # malloc() returning NULL\n"
	"    ./trace 't:syscalls:sys_enter_openat \"%s\", args->filename'  # a tracepoint field\n"
	"    ./trace -p 1234 'r:./server:main.(*Arith).Mul \"%d\", retval'  # a Go method's result\n"
	"    ./trace -U 'c:write (arg3 > 1000) \"%d bytes\", arg3'  # big writes, with the stack\n"
	"    ./trace 'u:/usr/bin/python3.11:function__entry \"%s\", arg2'  # a USDT probe\n"
	"    ./trace -M 10 -T 'p:c:malloc \"%lu\", arg1'  # 10 events, with a time column\n";

#define MAX_PROBES 64
#define FIXED_FIELDS 5	/* idx, tgid, tid, comm, nsecs */

struct trace_probe {
	char kind;		/* p, r, t or u */
	const char *text;	/* as typed */
	char *label;		/* FUNC: the function, event or probe */
	int wildcard;		/* FUNC comes from the record's probe */
	char *message;		/* the format with %K/%U as %s; NULL: none */
	struct fmt_spec spec;
	int kstack;		/* a kernel stack worth printing */
};

struct trace {
	struct trace_probe p[MAX_PROBES];
	int n;
	int time_col, ts_col, user_stack, kernel_stack, json, any_message, kstack_dropped;
	long max_events, events;
	struct tk_run *run;
};

static const struct cx_alias aliases[] = {
	{ "retval", "retval" }, { "$pid", "tid" }, { "$tgid", "pid" }, { "$uid", "uid" }, { "$gid", "gid" },
	{ "$cpu", "cpu" }, { "$comm", "comm" }, { "$task", "curtask" }, { 0 },
};

/* BCC trace's conversions: what it may be, and how the value is wrapped in the script. */
static const struct {
	const char *conv;
	const char *as;		/* the conversion sonde renders */
	const char *wrap;	/* NULL: the value itself */
} convs[] = {
	{ "d", "d", NULL }, { "u", "u", NULL }, { "ld", "ld", NULL }, { "lu", "lu", NULL },
	{ "lld", "lld", NULL }, { "llu", "llu", NULL }, { "hd", "hd", NULL }, { "hu", "hu", NULL },
	{ "x", "x", NULL }, { "lx", "lx", NULL }, { "llx", "llx", NULL }, { "c", "c", NULL },
	{ "s", "s", "str" }, { "K", "s", "ksym" }, { "U", "s", "usym" },
};

static int bad(const char *text, const char *what)
{
	fprintf(stderr, "ERROR: trace: '%s': %s\n", text, what);
	return -1;
}

/*
 * The message's conversions checked and rewritten (%K, %U → %s) into tp;
 * wraps[k]: the function conversion k's value goes through, or NULL.
 */
static int parse_format(struct trace_probe *tp, const char *fmt, const char **wraps, int *n)
{
	struct strbuf out = { 0 };
	*n = 0;
	for (const char *p = fmt; *p; p++) {
		sb_putc(&out, *p);
		if (*p != '%')
			continue;
		if (p[1] == '%') {
			sb_putc(&out, *++p);
			continue;
		}
		const char *q = p + 1;
		while (*q && strchr("-+ #0", *q))
			q++;
		while (isdigit((unsigned char)*q))
			q++;
		sb_putn(&out, p + 1, (size_t)(q - p - 1));
		size_t i, len = 0;
		for (i = 0; i < ARRAY_SIZE(convs); i++) {
			size_t l = strlen(convs[i].conv);
			if (!strncmp(q, convs[i].conv, l) && l > len)
				len = l;
		}
		for (i = 0; i < ARRAY_SIZE(convs) && (strlen(convs[i].conv) != len || strncmp(q, convs[i].conv, len)); i++)
			;
		if (i == ARRAY_SIZE(convs) || *n == FMT_MAX_CONV - FIXED_FIELDS - 3) {
			char msg[160];
			snprintf(msg, sizeof(msg), i == ARRAY_SIZE(convs)
				 ? "'%%%.*s' is not a format trace knows (%%d %%u %%ld %%lu %%lld %%llu %%hd %%hu %%x %%lx %%llx %%c %%s %%K %%U)"
				 : "too many conversions in the format", (int)(q - p + (*q != 0)), p + 1);
			sb_free(&out);
			return bad(tp->text, msg);
		}
		sb_puts(&out, convs[i].as);
		wraps[(*n)++] = convs[i].wrap;
		p = q + len - 1;
	}
	char err[256];
	if (fmt_parse(sb_str(&out), &tp->spec, err, sizeof(err))) {
		sb_free(&out);
		return bad(tp->text, err);
	}
	tp->message = xstrdup(sb_str(&out));
	sb_free(&out);
	return 0;
}

/* The end of a parenthesis opened at p (quotes respected), or NULL. */
static const char *closing(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				return NULL;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && !--depth) {
			return p;
		}
	}
	return NULL;
}

static const char *skip_blanks(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* One probe spec: its block appended to script. */
static int parse_probe(struct trace *t, int idx, const char *text, struct strbuf *script, long tid)
{
	struct trace_probe *tp = &t->p[idx];
	struct cexpr cx = { .aliases = aliases, .one_based_args = 1 };
	struct tk_pattern pat = { 0 };
	struct strbuf points = { 0 }, pred = { 0 }, args = { 0 }, x = { 0 };
	char *spec = NULL, *fmt = NULL, err[256];
	char *argv[FMT_MAX_CONV];
	int nargv = 0, rc = -1;
	tp->text = text;
	const char *p = skip_blanks(text), *end = p;
	/* the spec runs to the first blank outside parentheses (a signature has blanks) */
	for (int depth = 0; *end && (depth || !isspace((unsigned char)*end)); end++)
		depth += *end == '(' ? 1 : *end == ')' ? -1 : 0;
	spec = xstrndup(p, (size_t)(end - p));
	size_t len = strlen(spec);
	if (len > 2 && spec[1] == ':' && strchr("prtu", spec[0]))
		tp->kind = spec[0];
	else
		tp->kind = 'p';
	cx.ret = tp->kind == 'r';
	cx.tracepoint = tp->kind == 't';
	if (len && spec[len - 1] == ')') {
		/* a signature: the parenthesis that closes at the end */
		int depth = 0;
		char *open = spec + len - 1;
		for (; open >= spec; open--) {
			depth += *open == ')' ? 1 : *open == '(' ? -1 : 0;
			if (!depth)
				break;
		}
		if (open < spec) {
			bad(text, "unbalanced parentheses");
			goto out;
		}
		if (tp->kind == 't' || tp->kind == 'u') {
			bad(text, "a tracepoint or USDT probe takes no signature");
			goto out;
		}
		spec[len - 1] = 0;
		if (cexpr_signature(&cx, open + 1, err, sizeof(err))) {
			bad(text, err);
			goto out;
		}
		*open = 0;
	}
	if (strchr(spec, '+') && tp->kind != 't') {
		bad(text, "instruction offsets (+OFF) are not supported");
		goto out;
	}
	/* r:lib:func is p:lib:func at its return */
	if (tp->kind == 'r')
		spec[0] = 'p';
	if (tk_parse_pattern("trace", spec, &pat))
		goto out;
	tp->wildcard = strpbrk(pat.name, "*?") != NULL;
	const char *colon = strrchr(pat.name, ':');
	tp->label = xstrdup(pat.kind == TK_USER || pat.kind == TK_KERNEL || !colon ? pat.name : colon + 1);
	tp->kstack = t->kernel_stack && (pat.kind == TK_TRACEPOINT || pat.kind == TK_KERNEL);
	t->kstack_dropped |= t->kernel_stack && !tp->kstack;
	if (pat.kind == TK_KERNEL)
		t->run->kernel_pattern = 1;
	if (tk_attach_points("trace", &pat, 0, tp->kind == 'r', t->run->pid, &points))
		goto out;

	/* (filter) */
	p = skip_blanks(end);
	if (*p == '(') {
		const char *close = closing(p);
		if (!close) {
			bad(text, "the filter's parenthesis is not closed");
			goto out;
		}
		char *filter = xstrndup(p + 1, (size_t)(close - p - 1));
		int r = cexpr_translate(&cx, filter, &x, err, sizeof(err));
		free(filter);
		if (r) {
			bad(text, err);
			goto out;
		}
		sb_printf(&pred, "(%s)", sb_str(&x));
		p = skip_blanks(close + 1);
	}
	if (tid)
		sb_printf(&pred, "%stid == %ld", pred.len ? " && " : "", tid);

	/* "format", args... */
	const char *wraps[FMT_MAX_CONV];
	int nconv = 0;
	if (*p) {
		if (*p != '"') {
			bad(text, "expected (FILTER) or \"FORMAT\", args after the probe");
			goto out;
		}
		struct strbuf f = { 0 };
		for (p++; *p && *p != '"'; p++) {
			if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
				p++;
			sb_putc(&f, *p);
		}
		fmt = xstrdup(sb_str(&f));
		sb_free(&f);
		if (*p != '"') {
			bad(text, "the format's quote is not closed");
			goto out;
		}
		p = skip_blanks(p + 1);
		if (*p && *p != ',') {
			bad(text, "expected , and the format's arguments after it");
			goto out;
		}
		if (*p) {
			nargv = cexpr_split(p + 1, ',', argv, FMT_MAX_CONV);
			if (nargv < 0) {
				nargv = 0;
				bad(text, "too many arguments");
				goto out;
			}
		}
		if (parse_format(tp, fmt, wraps, &nconv))
			goto out;
		if (nconv != nargv) {
			snprintf(err, sizeof(err), "the format has %d conversion%s but %d argument%s follow", nconv,
				 nconv == 1 ? "" : "s", nargv, nargv == 1 ? "" : "s");
			bad(text, err);
			goto out;
		}
		t->any_message = 1;
	}
	for (int k = 0; k < nargv; k++) {
		sb_reset(&x);
		if (!*argv[k] || cexpr_translate(&cx, argv[k], &x, err, sizeof(err))) {
			bad(text, *argv[k] ? err : "an empty argument");
			goto out;
		}
		sb_printf(&args, ", %s%s%s%s", wraps[k] ? wraps[k] : "", wraps[k] ? "(" : "", sb_str(&x), wraps[k] ? ")" : "");
	}

	/* the record: idx, tgid, tid, comm, nsecs, [probe], values, [ustack], [kstack] */
	sb_printf(script, "%s", sb_str(&points));
	if (pred.len)
		sb_printf(script, " /%s/", sb_str(&pred));
	sb_puts(script, " { printf(\"%d %d %d %s %d");
	if (tp->wildcard)
		sb_puts(script, " %s");
	for (int k = 0; k < nconv; k++)
		sb_puts(script, tp->spec.conv[k].kind == FMT_STR ? " %s" : " %d");
	sb_puts(script, t->user_stack ? " %s" : "");
	sb_puts(script, tp->kstack ? " %s" : "");
	sb_printf(script, "\", %d, pid, tid, comm, nsecs%s%s%s%s); }\n", idx, tp->wildcard ? ", probe" : "", sb_str(&args),
		  t->user_stack ? ", ustack" : "", tp->kstack ? ", kstack" : "");
	rc = 0;
out:
	for (int k = 0; k < nargv; k++)
		free(argv[k]);
	cexpr_free(&cx);
	tk_pattern_free(&pat);
	sb_free(&points);
	sb_free(&pred);
	sb_free(&args);
	sb_free(&x);
	free(spec);
	free(fmt);
	return rc;
}

static void on_attached(struct session *s, void *arg)
{
	struct trace *t = arg;
	if (t->kstack_dropped)
		fputs("NOTE: -K: the kernel stack of a user function at its probe is the probe's own trap, so it is left out\n",
		      stderr);
	if (t->json) {
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"trace\", \"probes\": %d}}\n", s->script.points.n);
		return;
	}
	if (t->time_col || t->ts_col)
		fprintf(s->out, "%-8s ", "TIME");
	fprintf(s->out, "%-7s %-7s %-15s %-16s %s\n", "PID", "TID", "COMM", "FUNC", t->any_message ? "-" : "");
}

static void stack_lines(struct strbuf *out, struct session *s, const uint8_t *v, int pid, int kernel, int json)
{
	uint64_t hash, ips[STACK_MAX_FRAMES];
	memcpy(&hash, v, 8);
	int n = hash ? stack_frames(s->vc.stacks_fd, hash, ips, STACK_MAX_FRAMES) : 0;
	if (!kernel)
		n = py_merge(s->vc.syms, pid, ips, n);	/* Python frames in the interpreter's place */
	struct strbuf f = { 0 };
	if (json)
		sb_printf(out, ", \"%s\": [", kernel ? "kstack" : "ustack");
	for (int i = 0; i < n; i++) {
		sb_reset(&f);
		stack_frame_text(&f, s->vc.syms, pid, ips[i], kernel);
		if (json) {
			sb_puts(out, i ? ", " : "");
			json_escape(out, sb_str(&f), f.len);
		} else {
			sb_printf(out, "        %s\n", sb_str(&f));
		}
	}
	if (json)
		sb_puts(out, "]");
	sb_free(&f);
}

static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct trace *t = arg;
	if (t->max_events && t->events >= t->max_events)
		return;
	int64_t fixed[FIXED_FIELDS];
	for (int i = 0; i < FIXED_FIELDS; i++)
		if (i != 3)
			memcpy(&fixed[i], data + r->offs[i], 8);
	if (fixed[0] < 0 || fixed[0] >= t->n)
		return;
	struct trace_probe *tp = &t->p[fixed[0]];
	int pid = (int)fixed[1], tid = (int)fixed[2], f = FIXED_FIELDS;
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[3]);
	struct strbuf label = { 0 }, msg = { 0 }, out = { 0 }, strs[FMT_MAX_CONV];
	if (tp->wildcard) {
		value_string(&label, &s->vc, r->args[f], data + r->offs[f]);
		f++;
		const char *name = tk_probe_label(sb_str(&label));
		memmove(label.s, name, strlen(name) + 1);
		label.len = strlen(label.s);
	} else {
		sb_puts(&label, tp->label);
	}
	struct fmt_value vals[FMT_MAX_CONV] = { 0 };
	int nconv = tp->message ? tp->spec.nconv : 0;
	for (int k = 0; k < nconv; k++, f++) {
		strs[k] = (struct strbuf){ 0 };
		if (tp->spec.conv[k].kind == FMT_STR) {
			value_string(&strs[k], &s->vc, r->args[f], data + r->offs[f]);
			vals[k].s = sb_str(&strs[k]);
		} else {
			memcpy(&vals[k].i, data + r->offs[f], 8);
		}
	}
	if (tp->message)
		fmt_render(&msg, tp->message, vals, nconv);
	uint64_t since = t->run->start_ns && (uint64_t)fixed[4] > t->run->start_ns ? (uint64_t)fixed[4] - t->run->start_ns : 0;
	char ts[32], now[16];
	snprintf(ts, sizeof(ts), "%.6f", (double)since / 1e9);
	tk_clock(now, sizeof(now));
	if (t->json) {
		sb_printf(&out, "{\"type\": \"event\", \"data\": {\"time\": \"%s\", \"ts\": %s, \"pid\": %d, \"tid\": %d, \"comm\": ", now,
			  ts, pid, tid);
		json_escape(&out, comm, strlen(comm));
		sb_puts(&out, ", \"func\": ");
		json_escape(&out, sb_str(&label), label.len);
		sb_puts(&out, ", \"message\": ");
		json_escape(&out, sb_str(&msg), msg.len);
		if (t->user_stack)
			stack_lines(&out, s, data + r->offs[f], pid, 0, 1);
		if (tp->kstack)
			stack_lines(&out, s, data + r->offs[f + t->user_stack], pid, 1, 1);
		sb_puts(&out, "}}\n");
	} else {
		/* BCC cuts the time to 8 characters */
		if (t->time_col || t->ts_col)
			sb_printf(&out, "%-8.8s ", t->time_col ? now : ts);
		sb_printf(&out, "%-7d %-7d %-15s %-16s %s\n", pid, tid, comm, sb_str(&label), sb_str(&msg));
		if (tp->kstack)
			stack_lines(&out, s, data + r->offs[f + t->user_stack], pid, 1, 0);
		if (t->user_stack)
			stack_lines(&out, s, data + r->offs[f], pid, 0, 0);
		if (t->user_stack || tp->kstack)
			sb_putc(&out, '\n');
	}
	fputs(sb_str(&out), s->out);
	for (int k = 0; k < nconv; k++)
		sb_free(&strs[k]);
	sb_free(&label);
	sb_free(&msg);
	sb_free(&out);
	if (t->max_events && ++t->events >= t->max_events)
		s->exiting = 1;
}

int tool_trace(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_UID };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "tid", required_argument, NULL, 'L' },
		{ "verbose", no_argument, NULL, 'v' }, { "max-events", required_argument, NULL, 'M' },
		{ "timestamp", no_argument, NULL, 't' }, { "time", no_argument, NULL, 'T' },
		{ "kernel-stack", no_argument, NULL, 'K' }, { "user-stack", no_argument, NULL, 'U' },
		{ "json", no_argument, NULL, OPT_JSON }, { "uid", required_argument, NULL, OPT_UID },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct trace *t = xcalloc(1, sizeof(*t));
	struct tk_run run = { .tool = "trace", .arg = t, .quiet_exit = 1 };
	t->run = &run;
	int c, rc = 2;
	long tid = 0;
	struct strbuf script = { 0 };
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:L:vM:tTKUhuCc:n:f:Bs:aI:Ab:SZ:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("trace", optarg, &run.pid)) {
				rc = 1;
				goto out;
			}
			break;
		case 'L':
			if (tk_parse_long(optarg, 1, INT32_MAX, &tid)) {
				fprintf(stderr, "ERROR: trace: -L needs a thread id, got '%s'\n", optarg);
				rc = 1;
				goto out;
			}
			break;
		case 'M':
			if (tk_parse_long(optarg, 1, INT32_MAX, &t->max_events)) {
				fprintf(stderr, "ERROR: trace: -M is a number of events, at least 1, got '%s'\n", optarg);
				rc = 1;
				goto out;
			}
			break;
		case 'v': run.print_script = 1; break;
		case 't': t->ts_col = 1; break;
		case 'T': t->time_col = 1; break;
		case 'K': t->kernel_stack = 1; break;
		case 'U': t->user_stack = 1; break;
		case OPT_JSON: t->json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		case '?': fputs(usage, stderr); goto out;
		default:
			if (c == OPT_UID)
				fputs("ERROR: trace: --uid is not supported (filter on $uid instead)\n", stderr);
			else
				fprintf(stderr, "ERROR: trace: -%c is not supported (see sonde trace -h)\n", c);
			goto out;
		}
	}
	int npos = argc - optind;
	if (npos < 1) {
		fprintf(stderr, "%s\nERROR: trace: a probe is required\n", usage);
		goto out;
	}
	if (npos > MAX_PROBES) {
		fprintf(stderr, "ERROR: trace: at most %d probes\n", MAX_PROBES);
		goto out;
	}
	if (t->time_col && t->ts_col) {
		fputs("ERROR: trace: -T and -t exclude each other\n", stderr);
		goto out;
	}
	rc = 1;
	for (int i = optind; i < optind + npos; i++)
		if (parse_probe(t, t->n++, argv[i], &script, tid))
			goto out;
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
out:
	for (int i = 0; i < t->n; i++) {
		free(t->p[i].label);
		free(t->p[i].message);
	}
	free(t);
	sb_free(&script);
	return rc;
}
