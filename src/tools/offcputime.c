/*
 * sonde offcputime: the time threads spend blocked, summed by the stack they
 * blocked in, with BCC offcputime's flags and layouts (multi-line or folded),
 * or straight to an off-CPU flame graph (--svg). BCC hooks the kernel's
 * finish_task_switch(), which needs kprobes; this is the libbpf-tools way
 * through the sched_switch tracepoint, where the thread switching out is
 * current:
 *
 *   tracepoint:sched:sched_switch {
 *     if (FILTER) { @offcpu[args.prev_pid] = (nsecs, kstack, ustack, pid, comm); }
 *     $v = @offcpu[args.next_pid];
 *     if ($v.0) { ... @s[$v.1, $v.2, $v.3, args.next_pid, $v.4] = sum(us); }
 *   }
 *
 * Stacks are values in sonde, so the ones taken at the switch-out travel in
 * the tuple to the switch-in. The filter is the script's own (the session
 * filters by the current process, which at the switch-in is another one).
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/flamegraph.h"
#include "../out/folded.h"
#include "../out/json.h"
#include "../sym/resolve.h"
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: sonde offcputime [-h] [-p PIDS | -t TIDS | -u | -k] [-U | -K] [-d] [-f] [-s] [--stack-storage-size N]\n"
	"                        [-m MIN_BLOCK_TIME] [-M MAX_BLOCK_TIME] [--svg FILE] [--title TEXT] [--json] [-D]\n"
	"                        [duration] [-- CMD [ARG...]]\n"
	"\n"
	"Summarize off-CPU time by stack trace\n"
	"\n"
	"positional arguments:\n"
	"  duration              duration of trace, in seconds (default: until Ctrl-C or CMD ends)\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace it only, end with it\n"
	"  -p PIDS, --pid PIDS   trace these processes only (comma-separated)\n"
	"  -t TIDS, --tid TIDS   trace these threads only (comma-separated)\n"
	"  -u, --user-threads-only\n"
	"                        user threads only (no kernel threads)\n"
	"  -k, --kernel-threads-only\n"
	"                        kernel threads only (no user threads)\n"
	"  -U, --user-stacks-only\n"
	"                        show stacks from user space only (no kernel space stacks)\n"
	"  -K, --kernel-stacks-only\n"
	"                        show stacks from kernel space only (no user space stacks)\n"
	"  -d, --delimited       insert delimiter between kernel/user stacks\n"
	"  -f, --folded          output folded format\n"
	"  -s, --offset          show address offsets\n"
	"  --stack-storage-size N\n"
	"                        the number of unique stack traces that can be stored (default 16384)\n"
	"  -m MIN_BLOCK_TIME, --min-block-time MIN_BLOCK_TIME\n"
	"                        the amount of time in microseconds over which we store traces (default 1)\n"
	"  -M MAX_BLOCK_TIME, --max-block-time MAX_BLOCK_TIME\n"
	"                        the amount of time in microseconds under which we store traces (default U64_MAX)\n"
	"  --svg FILE            write an off-CPU flame graph (widths in us) to FILE\n"
	"  --title TEXT          the flame graph's title\n"
	"  --json                one JSON object with the stacks at the end\n"
	"  -D, --debug           print the generated program before starting\n"
	"\n"
	"examples:\n"
	"    ./offcputime             # trace off-CPU stack time until Ctrl-C\n"
	"    ./offcputime 5           # trace for 5 seconds only\n"
	"    ./offcputime -f 5        # 5 seconds, and output in folded format\n"
	"    ./offcputime -m 1000     # trace only events that last more than 1000 usec\n"
	"    ./offcputime -M 10000    # trace only events that last less than 10000 usec\n"
	"    ./offcputime -p 185      # only trace threads for PID 185\n"
	"    ./offcputime -t 188      # only trace thread 188\n"
	"    ./offcputime -u          # only trace user threads (no kernel)\n"
	"    ./offcputime -k          # only trace kernel threads (no user)\n"
	"    ./offcputime -U          # only show user space stacks (no kernel)\n"
	"    ./offcputime -K          # only show kernel space stacks (no user)\n"
	"    ./offcputime --svg off.svg 10 -- make   # an off-CPU flame graph of a build\n";

#define PF_KTHREAD 0x00200000	/* task_struct.flags of a kernel thread */

struct offcputime {
	const char *pids, *tids, *svg, *title;
	int user_threads, kernel_threads, offsets, json, folded;
	long duration;
	struct stack_layout layout;
	int rc;
};

/* "1,2,3" → "(VAR == 1 || VAR == 2 || VAR == 3)"; -1 on a bad list */
static int id_filter(struct strbuf *sb, const char *list, const char *var)
{
	char *copy = xstrdup(list), *save = NULL;
	int n = 0, bad = 0;
	sb_putc(sb, '(');
	for (char *tok = strtok_r(copy, ",", &save); tok && !bad; tok = strtok_r(NULL, ",", &save)) {
		long v;
		if (tk_parse_long(tok, 1, INT32_MAX, &v))
			bad = 1;
		else
			sb_printf(sb, "%s%s == %ld", n++ ? " || " : "", var, v);
	}
	sb_putc(sb, ')');
	free(copy);
	return bad || !n || list[strlen(list) - 1] == ',' ? -1 : 0;
}

static int build_script(const struct offcputime *o, int command, long min_us, long max_us, struct strbuf *sb)
{
	struct strbuf filter = { 0 };
	sb_puts(&filter, "args.prev_pid != 0");	/* the idle tasks are not blocked */
	if (o->pids) {
		sb_puts(&filter, " && ");
		if (id_filter(&filter, o->pids, "pid")) {
			fprintf(stderr, "ERROR: offcputime: -p expects process ids separated by commas, got '%s'\n", o->pids);
			sb_free(&filter);
			return -1;
		}
	}
	if (o->tids) {
		sb_puts(&filter, " && ");
		if (id_filter(&filter, o->tids, "args.prev_pid")) {
			fprintf(stderr, "ERROR: offcputime: -t expects thread ids separated by commas, got '%s'\n", o->tids);
			sb_free(&filter);
			return -1;
		}
	}
	if (command)
		sb_puts(&filter, " && pid == cpid");
	if (o->user_threads || o->kernel_threads)
		sb_printf(&filter, " && (curtask->flags & %#x) %s 0", PF_KTHREAD, o->user_threads ? "==" : "!=");
	/* the tuple: (start, [kstack], [ustack], tgid, comm); its fields after start make the key */
	int k = o->layout.kernel, u = o->layout.user, i = 1;
	sb_printf(sb, "tracepoint:sched:sched_switch {\n  if (%s) { @offcpu[args.prev_pid] = (nsecs,%s%s pid, comm); }\n",
		  sb_str(&filter), k ? " kstack," : "", u ? " ustack," : "");
	sb_puts(sb, "  $v = @offcpu[args.next_pid];\n  if ($v.0) {\n    delete(@offcpu[args.next_pid]);\n"
		    "    $us = (nsecs - $v.0) / 1000;\n");
	sb_printf(sb, "    if ($us >= %ld", min_us);
	if (max_us >= 0)
		sb_printf(sb, " && $us <= %ld", max_us);
	sb_puts(sb, ") { @s[");
	if (k)
		sb_printf(sb, "$v.%d, ", i++);
	if (u)
		sb_printf(sb, "$v.%d, ", i++);
	sb_printf(sb, "$v.%d, args.next_pid, $v.%d] = sum($us); }\n  }\n}\n", i, i + 1);
	sb_free(&filter);
	return 0;
}

static void on_attached(struct session *s, void *arg)
{
	struct offcputime *o = arg;
	if (o->json) {
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"offcputime\", \"probes\": %d}}\n",
			s->script.points.n);
		return;
	}
	if (o->folded || o->svg)
		return;
	char who[64];
	if (o->pids)
		snprintf(who, sizeof(who), "PID %.50s", o->pids);
	else if (o->tids)
		snprintf(who, sizeof(who), "TID %.50s", o->tids);
	else if (s->target.is_child)
		snprintf(who, sizeof(who), "PID %d", s->target.pid);
	else
		snprintf(who, sizeof(who), "%s threads", o->user_threads ? "user" : o->kernel_threads ? "kernel" : "all");
	fprintf(s->out, "Tracing off-CPU time (us) of %s by %s stack", who,
		!o->layout.kernel ? "user" : !o->layout.user ? "kernel" : "user + kernel");
	if (o->duration)
		fprintf(s->out, " for %ld secs.\n", o->duration);
	else
		fputs("... Hit Ctrl-C to end.\n", s->out);
}

/* A frame as BCC's offcputime prints it: the bare name, +0xOFF with -s, [unknown]. */
static void frame(struct strbuf *out, struct session *s, const struct offcputime *o, int pid, uint64_t ip, int user)
{
	struct sym_info si = { 0 };
	int known = user ? sym_user_info(s->vc.syms, pid, ip, &si) : sym_kernel_info(s->vc.syms, ip, &si);
	if (!known)
		sb_puts(out, "[unknown]");
	else if (o->offsets)
		sb_printf(out, "%s+%#llx", si.name, (unsigned long long)si.offset);
	else
		sb_puts(out, si.name);
}

static void stack_lines(struct strbuf *out, struct session *s, const struct offcputime *o, const struct stack_sample *x)
{
	if (o->layout.kernel) {
		if (x->k_missed)
			sb_puts(out, "    [Missed Kernel Stack]\n");
		for (int f = 0; f < x->nk; f++) {
			sb_puts(out, "    ");
			frame(out, s, o, x->pid, x->kips[f], 0);
			sb_putc(out, '\n');
		}
	}
	if (o->layout.user) {
		if (o->layout.delimiter && o->layout.kernel && !x->k_missed && !x->u_missed)
			sb_puts(out, "    --\n");
		if (x->u_missed)
			sb_puts(out, "    [Missed User Stack]\n");
		for (int f = 0; f < x->nu; f++) {
			sb_puts(out, "    ");
			frame(out, s, o, x->pid, x->uips[f], 1);
			sb_putc(out, '\n');
		}
	}
	/* BCC prints the thread id here, not the process's */
	sb_printf(out, "    %-16s %s (%d)\n        %llu\n\n", "-", x->comm, x->tid, (unsigned long long)x->count);
}

static void json_stacks(struct strbuf *out, struct session *s, const struct offcputime *o, struct stack_sample **v, int n)
{
	sb_puts(out, "{\"type\": \"stacks\", \"data\": {\"unit\": \"us\", \"stacks\": [");
	for (int i = 0; i < n; i++) {
		struct stack_sample *x = v[i];
		sb_printf(out, "%s{\"total_us\": %llu, \"pid\": %d, \"tid\": %d, \"comm\": ", i ? ", " : "",
			  (unsigned long long)x->count, x->pid, x->tid);
		json_escape(out, x->comm, strlen(x->comm));
		for (int half = 0; half < 2; half++) {
			int user = half == 1, nf = user ? x->nu : x->nk;
			if (user ? !o->layout.user : !o->layout.kernel)
				continue;
			sb_printf(out, ", \"%s\": [", user ? "ustack" : "kstack");
			for (int f = 0; f < nf; f++) {
				struct strbuf fr = { 0 };
				frame(&fr, s, o, x->pid, user ? x->uips[f] : x->kips[f], user);
				sb_puts(out, f ? ", " : "");
				json_escape(out, sb_str(&fr), fr.len);
				sb_free(&fr);
			}
			sb_putc(out, ']');
		}
		sb_putc(out, '}');
	}
	sb_puts(out, "]}}\n");
}

static int write_svg(struct session *s, const struct offcputime *o, struct stack_sample *const *v, int n)
{
	if (!n) {
		fprintf(stderr, "WARNING: offcputime: no off-CPU time was recorded: %s not written\n", o->svg);
		unlink(o->svg);	/* created empty when the flags were checked */
		return 0;
	}
	struct strbuf folded = { 0 };
	struct stack_layout l = o->layout;
	l.annotate = 1;	/* the flame graph colours kernel frames apart */
	for (int i = 0; i < n; i++) {
		stack_sample_folded(&folded, s->vc.syms, v[i], &l);
		sb_printf(&folded, " %llu\n", (unsigned long long)v[i]->count);
	}
	FILE *in = fmemopen(folded.s, folded.len, "r");
	FILE *out = fopen(o->svg, "we");
	int rc = -1;
	if (!out)
		fprintf(stderr, "ERROR: offcputime: cannot write %s: %s\n", o->svg, strerror(errno));
	else if (in) {
		struct fg_options fo = { .title = o->title ? o->title : "Off-CPU Time Flame Graph", .countname = "us" };
		rc = flamegraph_write(in, out, &fo);
	}
	if (in)
		fclose(in);
	if (out && fclose(out) && !rc) {
		fprintf(stderr, "ERROR: offcputime: cannot write %s: %s\n", o->svg, strerror(errno));
		rc = -1;
	}
	sb_free(&folded);
	return rc;
}

static void summary(struct session *s, void *arg)
{
	struct offcputime *o = arg;
	int n;
	struct stack_sample **v = tk_stack_samples(s, "@s", NULL, &n);
	if (!v)
		return;
	struct strbuf out = { 0 };
	if (o->json) {
		json_stacks(&out, s, o, v, n);
	} else if (o->folded) {
		stack_samples_folded(s->out, s->vc.syms, v, n, &o->layout);
	} else if (!o->svg) {
		sb_putc(&out, '\n');	/* BCC's line between the header and the stacks */
		for (int i = 0; i < n; i++)
			stack_lines(&out, s, o, v[i]);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	if (o->svg && write_svg(s, o, v, n))
		o->rc = 1;
	int missed = 0;
	for (int i = 0; i < n; i++)
		missed += v[i]->k_missed + v[i]->u_missed;
	if (missed)
		fprintf(stderr, "WARNING: %d stack traces lost and could not be displayed. Consider increasing --stack-storage-size.\n",
			missed);
	tk_stack_samples_free(v, n);
}

int tool_offcputime(int argc, char **argv)
{
	enum { OPT_STACKS = 256, OPT_SVG, OPT_TITLE, OPT_JSON };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "tid", required_argument, NULL, 't' },
		{ "user-threads-only", no_argument, NULL, 'u' }, { "kernel-threads-only", no_argument, NULL, 'k' },
		{ "user-stacks-only", no_argument, NULL, 'U' }, { "kernel-stacks-only", no_argument, NULL, 'K' },
		{ "delimited", no_argument, NULL, 'd' }, { "folded", no_argument, NULL, 'f' },
		{ "offset", no_argument, NULL, 's' }, { "min-block-time", required_argument, NULL, 'm' },
		{ "max-block-time", required_argument, NULL, 'M' }, { "stack-storage-size", required_argument, NULL, OPT_STACKS },
		{ "svg", required_argument, NULL, OPT_SVG }, { "title", required_argument, NULL, OPT_TITLE },
		{ "json", no_argument, NULL, OPT_JSON }, { "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct offcputime o = { .layout = { .user = 1, .kernel = 1 } };
	struct tk_run run = { .tool = "offcputime", .arg = &o, .script_filters = 1, .quiet_exit = 1 };
	long min_us = 1, max_us = -1, stacks = 0;
	int c;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:t:ukUKdfsm:M:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o.pids = optarg; break;
		case 't': o.tids = optarg; break;
		case 'u': o.user_threads = 1; break;
		case 'k': o.kernel_threads = 1; break;
		case 'U': o.layout.kernel = 0; break;
		case 'K': o.layout.user = 0; break;
		case 'd': o.layout.delimiter = 1; break;
		case 'f': o.folded = 1; break;
		case 's': o.offsets = 1; break;
		case 'm': case 'M':
			if (tk_parse_long(optarg, 0, INT64_MAX / 1000, c == 'm' ? &min_us : &max_us)) {
				fprintf(stderr, "ERROR: offcputime: -%c is a number of microseconds, got '%s'\n", c, optarg);
				return 1;
			}
			break;
		case OPT_STACKS:
			if (tk_parse_long(optarg, 1, INT32_MAX, &stacks)) {
				fprintf(stderr, "ERROR: offcputime: --stack-storage-size is a positive number, got '%s'\n", optarg);
				return 1;
			}
			break;
		case OPT_SVG: o.svg = optarg; break;
		case OPT_TITLE: o.title = optarg; break;
		case OPT_JSON: o.json = run.json = 1; break;
		case 'D': run.print_script = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	const char *clash = !o.layout.user && !o.layout.kernel ? "-U and -K exclude each other: leave both out for both stacks"
			    : (o.pids != NULL) + (o.tids != NULL) + o.user_threads + o.kernel_threads > 1 ? "-p, -t, -u and -k exclude each other"
			    : run.command && (o.pids || o.tids) ? "-p and -t exclude a command: it is the process traced"
			    : o.folded + o.json + (o.svg != NULL) > 1 ? "-f, --json and --svg exclude each other"
			    : o.folded && o.offsets ? "-s shows offsets in stack lines, which -f leaves out"
			    : max_us >= 0 && max_us < min_us ? "-M is below -m: no block time is in between"
			    : NULL;
	if (clash) {
		fprintf(stderr, "ERROR: offcputime: %s\n", clash);
		return 2;
	}
	if (optind < argc && tk_parse_long(argv[optind], 1, 31536000, &o.duration)) {
		fprintf(stderr, "ERROR: offcputime: the duration is a number of seconds, 1 to 31536000, got '%s'\n", argv[optind]);
		return 2;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "ERROR: offcputime: the only positional argument is the duration in seconds; '%s' is one too many\n",
			argv[optind + 1]);
		return 2;
	}
	/* like BCC, a -p or -t that names nobody is refused before tracing */
	for (const char *ids = o.pids ? o.pids : o.tids, *id = ids; id && *id; id = strchr(id, ',') ? strchr(id, ',') + 1 : "") {
		long v;
		char tok[24];
		snprintf(tok, sizeof(tok), "%.*s", (int)strcspn(id, ","), id);
		if (!tk_parse_long(tok, 1, INT32_MAX, &v) && kill((pid_t)v, 0) && errno == ESRCH) {
			fprintf(stderr, "ERROR: offcputime: -%c: there is no %s %ld\n", o.pids ? 'p' : 't',
				o.pids ? "process" : "thread", v);
			return 1;
		}
	}
	if (o.svg) {
		/* a file that cannot be written is found now, not after the tracing */
		FILE *w = fopen(o.svg, "we");
		if (!w) {
			fprintf(stderr, "ERROR: offcputime: cannot write %s: %s\n", o.svg, strerror(errno));
			return 1;
		}
		fclose(w);
	}
	struct strbuf script = { 0 };
	if (build_script(&o, run.command != NULL, min_us, max_us, &script)) {
		sb_free(&script);
		return 2;
	}
	run.script = sb_str(&script);
	run.duration = o.duration;
	run.stack_entries = (uint32_t)stacks;
	run.preload_pids = o.pids;	/* the script filters: the first stacks of -p's processes are whole */
	run.on_attached = on_attached;
	run.summary = summary;
	int rc = tk_run(&run);
	sb_free(&script);
	return rc ? rc : o.rc;
}
