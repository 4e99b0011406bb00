/*
 * sonde argdist: how often each value of an argument or return value comes
 * (-C) or a log2 histogram of it (-H), from BCC argdist's specifiers, flags
 * and layout. Each specifier becomes a probe that counts its expressions in
 * a map of its own (@cN[values] = count(), @hN = hist(value)); a return
 * probe that needs $latency or $entry() gets an entry probe that stamps the
 * thread (on Go, the goroutine). Every interval prints what each map
 * gathered since the last one (-c: since the start).
 */
#include "tools.h"
#include "toolkit.h"
#include "cexpr.h"
#include "../out/bcchist.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde argdist [-h] [-p PID] [-t TID] [-i INTERVAL] [-d DURATION] [-n COUNT] [-v] [-c] [-T TOP]\n"
	"                     [-H SPECIFIER] [-C SPECIFIER] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace a function and display a summary of its parameter values.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     id of the process to trace (optional)\n"
	"  -t TID, --tid TID     id of the thread to trace (optional)\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        output interval, in seconds (default 1 second)\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, in seconds\n"
	"  -n COUNT, --number COUNT\n"
	"                        number of outputs\n"
	"  -v, --verbose         print resulting program before executing it\n"
	"  -c, --cumulative      do not clear histograms and freq counts at each interval\n"
	"  -T TOP, --top TOP     number of top results to show (not applicable to histograms)\n"
	"  -H SPECIFIER, --histogram SPECIFIER\n"
	"                        probe specifier to capture histogram of (see examples below)\n"
	"  -C SPECIFIER, --count SPECIFIER\n"
	"                        probe specifier to capture count of (see examples below)\n"
	"  --json                one JSON object per interval\n"
	"\n"
	"Probe specifier syntax:\n"
	"        {p,r,t,u}:{[library],category}:function(signature)[:type[,type...]:expr[,expr...][:filter]][#label]\n"
	"Where:\n"
	"        p,r,t,u    -- probe at function entry, function exit, kernel tracepoint, or USDT probe;\n"
	"                      in exit probes: can use $retval, $entry(param), $latency (ns)\n"
	"        library    -- the library (c for libc), program or path that contains the function\n"
	"                      (leave empty for a kernel function: kprobes are refused on this kernel)\n"
	"        category   -- the category of the kernel tracepoint (e.g. net, sched)\n"
	"        function   -- the function name to trace (or tracepoint name)\n"
	"        signature  -- the function's parameters, as in the C declaration (int a, char *b)\n"
	"        type       -- the type of the expression to collect (int, u64, size_t, char* ...)\n"
	"        expr       -- the expression to collect: parameters, args->field, casts, $PID, $COMM\n"
	"        filter     -- the filter that is applied to collected values\n"
	"        label      -- the label for this probe in the resulting output\n"
	"\n"
	"Not supported: struct members (p->field; a struct pointer is its address) and\n"
	"struct values, USDT provider names (u:lib:provider:probe), STRCMP(), BCC's -z\n"
	"and -I; each is refused with a message. Without -p or -d, argdist runs until Ctrl-C.\n"
	"\n"
	"examples:\n"
	"\n"
	"argdist -H 'p:c:malloc(size_t size):size_t:size'\n"
	"        Print a histogram of allocation sizes passed to malloc\n"
	"\n"
	"argdist -p 1005 -C 'p:c:malloc(size_t size):size_t:size:size==16'\n"
	"        Print a frequency count of how many times process 1005 called malloc\n"
	"        with an allocation size of 16 bytes\n"
	"\n"
	"argdist -C 'r:c:gets():char*:(char*)$retval#snooped strings'\n"
	"        Snoop on all strings returned by gets()\n"
	"\n"
	"argdist -H 'r:c:read():u64:$latency' -i 5\n"
	"        Print a histogram of read() latency in nanoseconds every 5 seconds\n"
	"\n"
	"argdist -C 'p:c:write(int fd):int:fd' -T 5\n"
	"        Print frequency counts of the file descriptors write() was called with, top 5\n"
	"\n"
	"argdist -H 't:syscalls:sys_enter_read():u64:args->count'\n"
	"        Print a histogram of the sizes read() asks for, from a tracepoint\n";

#define MAX_PROBES 32
#define MAX_EXPRS 6

struct ad_probe {
	int hist;		/* -H; else -C */
	char *text;		/* the specifier as typed, printed when there is no label */
	char *label;		/* after #, or NULL */
	char kind;		/* p, r, t or u */
	int nexprs;
	char *shown[MAX_EXPRS];	/* each expression as typed: `v = 3` */
	int default_expr;	/* no expression given: "total calls", or the return value */
	struct tk_baseline base;
};

struct argdist {
	struct ad_probe p[MAX_PROBES];
	int n;
	int cumulative, json;
	long top, count, printed;
	struct tk_run *run;
};

static const struct cx_alias aliases[] = {
	{ "$retval", "retval" }, { "$latency", "$ad_lat" }, { "$PID", "pid" }, { "$COMM", "comm" }, { 0 },
};

static int bad(const char *text, const char *what)
{
	fprintf(stderr, "ERROR: argdist: '%s': %s\n", text, what);
	return -1;
}

static void free_parts(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
}

/* One specifier: its blocks appended to script. */
static int parse_spec(struct argdist *ad, int idx, const char *text, int hist, struct strbuf *script, long tid)
{
	struct ad_probe *ap = &ad->p[idx];
	struct cexpr cx = { .aliases = aliases, .entry_ok = 1 };
	struct tk_pattern pat = { 0 };
	struct strbuf pattern = { 0 }, entries = { 0 }, points = { 0 }, key = { 0 }, filter = { 0 }, x = { 0 };
	char *parts[16], *types[MAX_EXPRS], *exprs[MAX_EXPRS], err[256];
	int nparts = 0, ntypes = 0, nexprs = 0, rc = -1;
	const char *who = "tid";
	ap->hist = hist;
	ap->text = xstrdup(text);
	char *body = xstrdup(text), *hash = NULL;
	/* #label: after the first # outside quotes */
	for (char *p = body, q = 0; *p && !hash; p++) {
		if (q)
			q = *p == q ? 0 : q;
		else if (*p == '"' || *p == '\'')
			q = *p;
		else if (*p == '#')
			hash = p;
	}
	if (hash) {
		*hash = 0;
		ap->label = xstrdup(hash + 1);
	}
	nparts = cexpr_split(body, ':', parts, 16);
	if (nparts < 3) {
		if (nparts < 0)
			nparts = 0;
		bad(text, "a specifier is {p,r,t,u}:{lib,category}:function(signature)[:type:expr[:filter]]");
		goto out;
	}
	if (strlen(parts[0]) != 1 || !strchr("prtu", parts[0][0])) {
		bad(text, "the probe type is p (entry), r (return), t (tracepoint) or u (USDT)");
		goto out;
	}
	ap->kind = parts[0][0];
	if (ap->kind == 'u' && !strchr(parts[2], '(') && nparts > 3 && strchr(parts[3], '(')) {
		bad(text, "USDT provider names are not supported: give u:LIB:PROBE");
		goto out;
	}
	cx.ret = ap->kind == 'r';
	cx.one_based_args = ap->kind == 'u';	/* BCC reads USDT arguments as arg1, arg2 … */
	cx.tracepoint = ap->kind == 't';
	/* function(signature) */
	/* the parenthesis that closes at the end (Go names hold parentheses: main.(*T).F(int a)) */
	char *fn = parts[2], *open = NULL;
	size_t fnlen = strlen(fn);
	if (fnlen && fn[fnlen - 1] == ')')
		for (int depth = 0, i = (int)fnlen - 1; i >= 0 && !open; i--)
			if (!(depth += fn[i] == ')' ? 1 : fn[i] == '(' ? -1 : 0))
				open = fn + i;
	if (open) {
		fn[fnlen - 1] = 0;
		if ((ap->kind == 't' || ap->kind == 'u') && open[1]) {
			bad(text, "a tracepoint or USDT probe takes no signature: ()");
			goto out;
		}
		if (cexpr_signature(&cx, open + 1, err, sizeof(err))) {
			bad(text, err);
			goto out;
		}
		*open = 0;
	}
	sb_printf(&pattern, "%c:%s:%s", ap->kind == 'r' ? 'p' : ap->kind, parts[1], fn);
	if (!*fn || tk_parse_pattern("argdist", sb_str(&pattern), &pat))
		goto out;
	pat.text = text;
	if (pat.kind == TK_USDT && strchr(pat.name, ':')) {
		bad(text, "USDT provider names are not supported: give u:LIB:PROBE");
		goto out;
	}
	if (pat.kind == TK_KERNEL)
		ad->run->kernel_pattern = 1;
	if (tk_pattern_is_go(&pat, ad->run->pid))
		who = "goid";

	/* type[,type]:expr[,expr] */
	if (nparts > 3 && (ntypes = cexpr_split(parts[3], ',', types, MAX_EXPRS)) < 0) {
		ntypes = 0;
		bad(text, "at most 6 types");
		goto out;
	}
	if (nparts > 4 && (nexprs = cexpr_split(parts[4], ',', exprs, MAX_EXPRS)) < 0) {
		nexprs = 0;
		bad(text, "at most 6 expressions");
		goto out;
	}
	if (nexprs == 1 && !*exprs[0])
		free_parts(exprs, nexprs), nexprs = 0;
	if (nexprs == 0) {
		ap->default_expr = 1;
		if (ap->kind == 'r') {
			exprs[nexprs++] = xstrdup("$retval");
		} else if (hist) {
			bad(text, "a histogram needs an expression (TYPE:EXPR)");
			goto out;
		}
	}
	if (nexprs && ntypes != nexprs && !(ap->default_expr && ntypes <= 1)) {
		snprintf(err, sizeof(err), "%d type%s for %d expression%s: give one type per expression", ntypes,
			 ntypes == 1 ? "" : "s", nexprs, nexprs == 1 ? "" : "s");
		bad(text, err);
		goto out;
	}
	if (hist && nexprs > 1) {
		bad(text, "a histogram takes one expression");
		goto out;
	}
	for (int k = 0; k < nexprs; k++) {
		const char *type = k < ntypes ? cexpr_type(types[k], 1) : "int64";
		if (!type) {
			snprintf(err, sizeof(err), "'%s' is not a type argdist knows (int, long, u32, u64, size_t, char* ...)", types[k]);
			bad(text, err);
			goto out;
		}
		if (hist && !strcmp(type, "str")) {
			bad(text, "a histogram needs a number, not a string");
			goto out;
		}
		sb_reset(&x);
		if (!*exprs[k] || cexpr_translate(&cx, exprs[k], &x, err, sizeof(err))) {
			bad(text, *exprs[k] ? err : "an empty expression");
			goto out;
		}
		ap->shown[ap->nexprs++] = xstrdup(ap->default_expr ? "retval" : exprs[k]);
		if (!strcmp(type, "str"))
			sb_printf(&key, "%sstr(%s)", k ? ", " : "", sb_str(&x));
		else
			sb_printf(&key, "%s(%s)(%s)", k ? ", " : "", type, sb_str(&x));
	}
	if (!nexprs)
		sb_puts(&key, "0");
	if (nparts > 5) {
		/* the filter may hold colons (a ? b : c) */
		struct strbuf f = { 0 };
		for (int i = 5; i < nparts; i++)
			sb_printf(&f, "%s%s", i > 5 ? ":" : "", parts[i]);
		int r = cexpr_translate(&cx, sb_str(&f), &filter, err, sizeof(err));
		sb_free(&f);
		if (r) {
			bad(text, err);
			goto out;
		}
	}
	if (tid) {
		struct strbuf f = { 0 };
		sb_printf(&f, "%s%s%stid == %ld", filter.len ? "(" : "", sb_str(&filter), filter.len ? ") && " : "", tid);
		sb_free(&filter);
		filter = f;
	}

	int entry = cx.latency_used;
	for (int k = 0; k < cx.nparams; k++)
		entry |= cx.entry_used[k];
	if (tk_attach_points("argdist", &pat, 0, ap->kind == 'r', ad->run->pid, &points) ||
	    (entry && tk_attach_points("argdist", &pat, 0, 0, ad->run->pid, &entries)))
		goto out;
	const char *agg = hist ? "@h%d = hist(%s);" : "@c%d[%s] = count();";
	if (entry) {
		/* the entry stamps the thread (goroutine) and keeps what $entry() reads */
		sb_printf(script, "%s { @ad_t%d[%s] = nsecs;", sb_str(&entries), idx, who);
		for (int k = 0; k < cx.nparams; k++)
			if (cx.entry_used[k])
				sb_printf(script, " @ad_e%d_%d[%s] = arg%d;", idx, k, who, k);
		sb_printf(script, " }\n%s /@ad_t%d[%s]/ {", sb_str(&points), idx, who);
		if (cx.latency_used)
			sb_printf(script, " $ad_lat = nsecs - @ad_t%d[%s];", idx, who);
		sb_printf(script, " delete(@ad_t%d[%s]);", idx, who);
		for (int k = 0; k < cx.nparams; k++)
			if (cx.entry_used[k])
				sb_printf(script, " $ad_e%d = @ad_e%d_%d[%s]; delete(@ad_e%d_%d[%s]);", k, idx, k, who, idx, k, who);
		sb_printf(script, "\n  if (%s) { ", filter.len ? sb_str(&filter) : "1");
		sb_printf(script, agg, idx, sb_str(&key));
		sb_puts(script, " } }\n");
	} else {
		sb_puts(script, sb_str(&points));
		if (filter.len)
			sb_printf(script, " /%s/", sb_str(&filter));
		sb_puts(script, " { ");
		sb_printf(script, agg, idx, sb_str(&key));
		sb_puts(script, " }\n");
	}
	rc = 0;
out:
	free_parts(parts, nparts);
	free_parts(types, ntypes);
	free_parts(exprs, nexprs);
	free(body);
	cexpr_free(&cx);
	tk_pattern_free(&pat);
	sb_free(&pattern);
	sb_free(&entries);
	sb_free(&points);
	sb_free(&key);
	sb_free(&filter);
	sb_free(&x);
	return rc;
}

/* The key's parts: one value, or a tuple's fields. */
static int key_parts(const struct type *key, const struct type **t, int *offs)
{
	if (key->kind != TY_TUPLE) {
		t[0] = key;
		offs[0] = 0;
		return 1;
	}
	for (int i = 0; i < key->nfields && i < MAX_EXPRS; i++) {
		t[i] = key->fields[i];
		offs[i] = key->offs[i];
	}
	return key->nfields < MAX_EXPRS ? key->nfields : MAX_EXPRS;
}

/* Ascending by count, then by the values (numbers as numbers). */
static int by_count(const void *a, const void *b, void *arg)
{
	const struct map_entry *x = a, *y = b;
	const struct type *key = arg, *t[MAX_EXPRS];
	int offs[MAX_EXPRS], n = key_parts(key, t, offs);
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	for (int i = 0; i < n; i++) {
		int c;
		if (t[i]->kind == TY_INT) {
			int64_t u, v;
			memcpy(&u, x->key + offs[i], 8);
			memcpy(&v, y->key + offs[i], 8);
			c = u < v ? -1 : u > v;
		} else {
			c = memcmp(x->key + offs[i], y->key + offs[i], (size_t)t[i]->size);
		}
		if (c)
			return c;
	}
	return 0;
}

/* `v = 3, s = abc`, `total calls`, or `retval = 0`. */
static void event_text(struct strbuf *out, struct session *s, const struct ad_probe *ap, const struct map_table *tb,
		       const struct map_entry *e)
{
	const struct type *t[MAX_EXPRS];
	int offs[MAX_EXPRS], n = key_parts(tb->m->key, t, offs);
	if (ap->default_expr && ap->kind != 'r') {
		sb_puts(out, "total calls");
		return;
	}
	for (int i = 0; i < n && i < ap->nexprs; i++) {
		sb_printf(out, "%s%s = ", i ? ", " : "", ap->shown[i]);
		value_string(out, &s->vc, t[i], e->key + offs[i]);
	}
}

static void show_probe(struct session *s, struct argdist *ad, int idx, struct strbuf *out, int first)
{
	struct ad_probe *ap = &ad->p[idx];
	char name[16];
	snprintf(name, sizeof(name), "@%c%d", ap->hist ? 'h' : 'c', idx);
	struct map_table tb = { 0 };
	int have = !session_read_map(s, name, &tb);
	if (have && !ad->cumulative)
		tk_since_last(&ap->base, &tb);
	const char *title = ap->label ? ap->label : ap->text;
	if (ad->json) {
		sb_puts(out, first ? "{\"probe\": " : ", {\"probe\": ");
		json_escape(out, title, strlen(title));
	}
	if (ap->hist) {
		uint64_t slots[BCC_SLOTS] = { 0 };
		if (have && tb.n)
			bcc_slots_from_hist(slots, tb.e[0].buckets);
		const char *label = ap->label ? ap->label : ap->shown[0];
		if (ad->json) {
			sb_puts(out, ", \"hist\": ");
			bcc_log2_hist_json(out, slots);
			sb_puts(out, "}");
		} else {
			bcc_log2_hist_text(out, slots, label);
		}
	} else {
		int n = 0;
		struct map_entry *rows = xcalloc((size_t)(have && tb.n ? tb.n : 1), sizeof(*rows));
		for (int i = 0; have && i < tb.n; i++)
			if (!tk_entry_empty(&tb, i))
				rows[n++] = tb.e[i];
		if (n)
			qsort_r(rows, (size_t)n, sizeof(*rows), by_count, (void *)tb.m->key);
		int from = ad->top && n > ad->top ? n - (int)ad->top : 0;
		struct strbuf ev = { 0 };
		if (ad->json)
			sb_puts(out, ", \"counts\": [");
		else
			sb_printf(out, "%s\n\t%-10s %s\n", title, "COUNT", "EVENT");
		for (int i = from; i < n; i++) {
			sb_reset(&ev);
			event_text(&ev, s, ap, &tb, &rows[i]);
			if (ad->json) {
				sb_puts(out, i > from ? ", {\"event\": " : "{\"event\": ");
				json_escape(out, sb_str(&ev), ev.len);
				sb_printf(out, ", \"count\": %lld}", (long long)rows[i].v);
			} else {
				char count[24];
				snprintf(count, sizeof(count), "%lld", (long long)rows[i].v);
				sb_printf(out, "\t%-10s %s\n", count, sb_str(&ev));
			}
		}
		if (ad->json)
			sb_puts(out, "]}");
		sb_free(&ev);
		free(rows);
	}
	if (have)
		map_table_free(&tb);
}

static void summary(struct session *s, void *arg)
{
	struct argdist *ad = arg;
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	if (ad->json)
		sb_printf(&out, "{\"type\": \"argdist\", \"data\": {\"time\": \"%s\", \"probes\": [", now);
	else
		sb_printf(&out, "[%s]\n", now);
	for (int i = 0; i < ad->n; i++)
		show_probe(s, ad, i, &out, !i);
	if (ad->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	/* -n: that many summaries, then stop */
	if (ad->count && ++ad->printed >= ad->count) {
		ad->run->finished = 1;
		s->exiting = 1;
	}
}

static void on_attached(struct session *s, void *arg)
{
	struct argdist *ad = arg;
	if (ad->json)
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"argdist\", \"probes\": %d}}\n", s->script.points.n);
}

int tool_argdist(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "tid", required_argument, NULL, 't' },
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "number", required_argument, NULL, 'n' }, { "verbose", no_argument, NULL, 'v' },
		{ "cumulative", no_argument, NULL, 'c' }, { "top", required_argument, NULL, 'T' },
		{ "histogram", required_argument, NULL, 'H' }, { "count", required_argument, NULL, 'C' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' },
		{ "string-size", required_argument, NULL, 'z' }, { "include", required_argument, NULL, 'I' }, { 0 },
	};
	struct argdist *ad = xcalloc(1, sizeof(*ad));
	struct tk_run run = { .tool = "argdist", .arg = ad, .interval = 1, .quiet_exit = 1 };
	ad->run = &run;
	const char *specs[MAX_PROBES];
	int hist[MAX_PROBES], nspecs = 0, c, rc = 2;
	long tid = 0;
	struct strbuf script = { 0 };
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:t:i:d:n:vcT:H:C:hz:I:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("argdist", optarg, &run.pid)) {
				rc = 1;
				goto out;
			}
			break;
		case 't':
			if (tk_parse_long(optarg, 1, INT32_MAX, &tid)) {
				fprintf(stderr, "ERROR: argdist: -t needs a thread id, got '%s'\n", optarg);
				rc = 1;
				goto out;
			}
			break;
		case 'i': case 'd':
			if (tk_parse_seconds("argdist", c, optarg, c == 'i' ? &run.interval : &run.duration)) {
				rc = 1;
				goto out;
			}
			break;
		case 'n': case 'T':
			if (tk_parse_long(optarg, 1, INT32_MAX, c == 'n' ? &ad->count : &ad->top)) {
				fprintf(stderr, "ERROR: argdist: -%c is a number, at least 1, got '%s'\n", c, optarg);
				rc = 1;
				goto out;
			}
			break;
		case 'v': run.print_script = 1; break;
		case 'c': ad->cumulative = 1; break;
		case 'H': case 'C':
			if (nspecs == MAX_PROBES) {
				fprintf(stderr, "ERROR: argdist: at most %d specifiers\n", MAX_PROBES);
				goto out;
			}
			hist[nspecs] = c == 'H';
			specs[nspecs++] = optarg;
			break;
		case OPT_JSON: ad->json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		case 'z': case 'I':
			fprintf(stderr, "ERROR: argdist: -%c is not supported (see sonde argdist -h)\n", c);
			goto out;
		default: fputs(usage, stderr); goto out;
		}
	}
	int npos = argc - optind;
	if (npos > 0) {
		fprintf(stderr, "ERROR: argdist: unexpected argument '%s': give specifiers with -C or -H\n", argv[optind]);
		goto out;
	}
	if (!nspecs) {
		fprintf(stderr, "%s\nERROR: argdist: at least one specifier is required (-C or -H)\n", usage);
		goto out;
	}
	rc = 1;
	for (int i = 0; i < nspecs; i++)
		if (parse_spec(ad, ad->n++, specs[i], hist[i], &script, tid))
			goto out;
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	rc = tk_run(&run);
out:
	for (int i = 0; i < ad->n; i++) {
		struct ad_probe *ap = &ad->p[i];
		free(ap->text);
		free(ap->label);
		for (int k = 0; k < ap->nexprs; k++)
			free(ap->shown[k]);
		tk_baseline_free(&ap->base);
	}
	free(ad);
	sb_free(&script);
	return rc;
}
