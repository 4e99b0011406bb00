/*
 * sonde stackcount: how often each stack reaches a function, tracepoint or
 * USDT probe, with BCC stackcount's flags and layout. The counting is a
 * script, `PROBES /filter/ { @s[kstack, ustack, pid, comm] = count(); }`;
 * user frames are named per process even when processes are merged (BCC
 * prints [unknown] there).
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/folded.h"
#include "../out/json.h"
#include "../sym/resolve.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde stackcount [-h] [-p PID] [-c CPU] [-i INTERVAL] [-D DURATION] [-T] [-r] [-s] [-P] [-K] [-U] [-v] [-d] [-f] [--debug] [--json] pattern [-- CMD [ARG...]]\n"
	"\n"
	"Count events and their stack traces.\n"
	"\n"
	"positional arguments:\n"
	"  pattern               search expression for events\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -c CPU, --cpu CPU     trace this CPU only\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        summary interval, seconds\n"
	"  -D DURATION, --duration DURATION\n"
	"                        total duration of trace, seconds\n"
	"  -T, --timestamp       include timestamp on output\n"
	"  -r, --regexp          use regular expressions (POSIX ERE). Default is \"*\" wildcards only.\n"
	"  -s, --offset          show address offsets\n"
	"  -P, --perpid          display stacks separately for each process\n"
	"  -K, --kernel-stacks-only\n"
	"                        kernel stack only\n"
	"  -U, --user-stacks-only\n"
	"                        user stack only\n"
	"  -v, --verbose         show raw addresses\n"
	"  -d, --delimited       insert delimiter between kernel/user stacks\n"
	"  -f, --folded          output folded format\n"
	"  --debug               print the generated program before starting\n"
	"  --json                one JSON object per summary\n"
	"\n"
	"A user function or USDT probe runs in user space: its kernel stack at the probe\n"
	"is the probe's own trap, so such patterns count user stacks unless -K is given.\n"
	"\n"
	"examples:\n"
	"    ./stackcount c:malloc                # count stacks that call libc malloc()\n"
	"    ./stackcount -p 185 -P c:write       # per process, process 185 only\n"
	"    ./stackcount t:sched:sched_switch    # stacks that switch out\n"
	"    ./stackcount -f -D 10 c:malloc > out.folded  # folded, for a flame graph\n"
	"    ./stackcount 'u:/usr/bin/python3.11:function__entry'  # USDT probe\n";

struct stackcount {
	struct tk_pattern pat;
	int timestamp, offsets, per_pid, verbose, json;
	struct stack_layout layout;
	struct tk_baseline base;
};

static void on_attached(struct session *s, void *arg)
{
	struct stackcount *sc = arg;
	if (sc->json) {
		struct strbuf j = { 0 };
		json_escape(&j, sc->pat.text, strlen(sc->pat.text));
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"stackcount\", \"probes\": %d, \"pattern\": %s}}\n",
			s->script.points.n, sb_str(&j));
		sb_free(&j);
	} else if (!sc->layout.annotate) {	/* annotate: folded, no header */
		fprintf(s->out, "Tracing %d functions for \"%s\"... Hit Ctrl-C to end.\n", s->script.points.n, sc->pat.text);
	}
}

static void frame(struct strbuf *out, struct session *s, const struct stackcount *sc, uint64_t ip, int pid, int user)
{
	struct sym_info si = { 0 };
	int known = user ? sym_user_info(s->vc.syms, pid, ip, &si) : sym_kernel_info(s->vc.syms, ip, &si);
	if (sc->verbose)
		sb_printf(out, "%#llx ", (unsigned long long)ip);
	if (!known)
		sb_puts(out, "[unknown]");
	else if (sc->offsets)
		sb_printf(out, "%s+%#llx", si.name, (unsigned long long)si.offset);
	else
		sb_puts(out, si.name);
}

/* Kernel frames, `--`, user frames: two-space indent, as BCC prints them. */
static void stack_block(struct strbuf *out, struct session *s, const struct stackcount *sc, const struct stack_sample *x,
			const struct stack_layout *l)
{
	if (l->kernel) {
		if (x->k_missed)
			sb_puts(out, "  [Missed Kernel Stack]\n");
		for (int f = 0; f < x->nk; f++) {
			sb_puts(out, "  ");
			frame(out, s, sc, x->kips[f], x->pid, 0);
			sb_putc(out, '\n');
		}
	}
	if (l->kernel && l->user && l->delimiter)
		sb_puts(out, "    --\n");
	if (l->user) {
		if (x->u_missed)
			sb_puts(out, "  [Missed User Stack]\n");
		for (int f = 0; f < x->nu; f++) {
			sb_puts(out, "  ");
			frame(out, s, sc, x->uips[f], x->pid, 1);
			sb_putc(out, '\n');
		}
	}
}

struct block {
	struct strbuf text;
	uint64_t count;
};

static int by_block_count(const void *a, const void *b)
{
	const struct block *x = a, *y = b;
	return x->count < y->count ? -1 : x->count > y->count;
}

static void summary(struct session *s, void *arg)
{
	struct stackcount *sc = arg;
	int n;
	struct stack_sample **v = tk_stack_samples(s, "@s", &sc->base, &n);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	int folded = sc->layout.annotate;
	struct stack_layout l = sc->layout;
	l.annotate = 0;
	if (sc->json)
		sb_printf(&out, "{\"type\": \"stacks\", \"data\": {\"time\": \"%s\", \"stacks\": [", now);
	else if (!folded) {
		sb_putc(&out, '\n');
		if (sc->timestamp)
			sb_printf(&out, "%-8s\n", now);
	}
	struct block *blocks = xcalloc((size_t)(n ? n : 1), sizeof(*blocks));
	int nblocks = 0;
	for (int i = 0; i < n; i++) {
		struct stack_sample *x = v[i];
		if (folded) {
			stack_sample_folded(&out, s->vc.syms, x, &l);
			sb_printf(&out, " %llu\n", (unsigned long long)x->count);
			continue;
		}
		if (sc->json) {
			sb_printf(&out, "%s{\"count\": %llu, \"pid\": %d, \"comm\": ", i ? ", " : "", (unsigned long long)x->count,
				  x->pid);
			json_escape(&out, x->comm, strlen(x->comm));
			for (int half = 0; half < 2; half++) {
				int user = half == 1, nf = user ? x->nu : x->nk;
				if (user ? !l.user : !l.kernel)
					continue;
				sb_printf(&out, ", \"%s\": [", user ? "ustack" : "kstack");
				for (int f = 0; f < nf; f++) {
					struct strbuf fr = { 0 };
					frame(&fr, s, sc, user ? x->uips[f] : x->kips[f], x->pid, user);
					sb_puts(&out, f ? ", " : "");
					json_escape(&out, sb_str(&fr), fr.len);
					sb_free(&fr);
				}
				sb_putc(&out, ']');
			}
			sb_putc(&out, '}');
			continue;
		}
		struct block *b = &blocks[nblocks++];
		*b = (struct block){ .count = x->count };
		stack_block(&b->text, s, sc, x, &l);
		if (sc->per_pid)
			sb_printf(&b->text, "    %s [%d]\n", x->comm, x->pid);
	}
	/* without -P, the same stack in several processes is one (each named in its own process) */
	for (int i = 0; i < nblocks && !sc->per_pid; i++)
		for (int j = i + 1; j < nblocks; j++)
			if (blocks[j].count && blocks[i].count && !strcmp(sb_str(&blocks[i].text), sb_str(&blocks[j].text))) {
				blocks[i].count += blocks[j].count;
				blocks[j].count = 0;
			}
	qsort(blocks, (size_t)nblocks, sizeof(*blocks), by_block_count);
	for (int i = 0; i < nblocks; i++) {
		if (blocks[i].count)
			sb_printf(&out, "%s    %llu\n\n", sb_str(&blocks[i].text), (unsigned long long)blocks[i].count);
		sb_free(&blocks[i].text);
	}
	free(blocks);
	if (sc->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	tk_stack_samples_free(v, n);
}

int tool_stackcount(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_DEBUG };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "cpu", required_argument, NULL, 'c' },
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'D' },
		{ "timestamp", no_argument, NULL, 'T' }, { "regexp", no_argument, NULL, 'r' },
		{ "offset", no_argument, NULL, 's' }, { "perpid", no_argument, NULL, 'P' },
		{ "kernel-stacks-only", no_argument, NULL, 'K' }, { "user-stacks-only", no_argument, NULL, 'U' },
		{ "verbose", no_argument, NULL, 'v' }, { "delimited", no_argument, NULL, 'd' },
		{ "folded", no_argument, NULL, 'f' }, { "debug", no_argument, NULL, OPT_DEBUG },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct stackcount sc = { 0 };
	struct tk_run run = { .tool = "stackcount", .arg = &sc };
	int regex = 0, c, kernel_only = 0, user_only = 0, folded = 0;
	long cpu = -1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:c:i:D:TrsPKUvdfh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("stackcount", optarg, &run.pid))
				return 1;
			break;
		case 'c':
			if (tk_parse_long(optarg, 0, 4095, &cpu)) {
				fprintf(stderr, "ERROR: stackcount: -c needs a CPU number, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'i': case 'D':
			if (tk_parse_seconds("stackcount", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 1;
			break;
		case 'T': sc.timestamp = 1; break;
		case 'r': regex = 1; break;
		case 's': sc.offsets = 1; break;
		case 'P': sc.per_pid = 1; break;
		case 'K': kernel_only = 1; break;
		case 'U': user_only = 1; break;
		case 'v': sc.verbose = 1; break;
		case 'd': sc.layout.delimiter = 1; break;
		case 'f': folded = 1; break;
		case OPT_DEBUG: run.print_script = 1; break;
		case OPT_JSON: sc.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (kernel_only && user_only) {
		fputs("ERROR: stackcount: -K and -U exclude each other: leave both out for both stacks\n", stderr);
		return 2;
	}
	int npos = argc - optind;
	if (npos != 1) {
		fprintf(stderr, "%s\nERROR: stackcount: %s\n", usage,
			npos < 1 ? "a pattern is required" : "give one pattern (several functions: a glob or -r)");
		return 2;
	}
	if (tk_parse_pattern("stackcount", argv[optind], &sc.pat))
		return 1;
	/* a user-space probe's kernel stack is its trap: user stacks unless -K asks */
	int user_probe = sc.pat.kind == TK_USER || sc.pat.kind == TK_USDT;
	sc.layout.kernel = kernel_only || (!user_only && !user_probe);
	sc.layout.user = !kernel_only;
	sc.layout.annotate = folded;	/* carried to the hooks: folded output */
	run.quiet_exit = folded;
	struct strbuf script = { 0 };
	int rc = 1;
	if (tk_attach_points("stackcount", &sc.pat, regex, 0, run.pid, &script))
		goto out;
	if (cpu >= 0)
		sb_printf(&script, " /cpu == %ld/", cpu);
	sb_printf(&script, " { @s[%s%s pid, comm] = count(); }\n", sc.layout.kernel ? "kstack," : "",
		  sc.layout.user ? " ustack," : "");
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	run.kernel_pattern = sc.pat.kind == TK_KERNEL;
	rc = tk_run(&run);
out:
	tk_baseline_free(&sc.base);
	tk_pattern_free(&sc.pat);
	sb_free(&script);
	return rc;
}
