/*
 * sonde execsnoop: one line per exec, with BCC execsnoop's flags and
 * columns, from the execve/execveat syscall tracepoints (no kprobes). At
 * entry the script sends the file name and each argument, read from the
 * process's memory one pointer at a time until argv's NULL; at exit, the
 * result, the new image's comm and the parent. This file pairs them by
 * thread and prints the line.
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/json.h"
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde execsnoop [-h] [-T] [-t] [-x] [-q] [-n NAME] [-l LINE] [-U] [-u USER] [-P PPID] [--max-args MAX_ARGS]\n"
	"                       [-p PID] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace exec() syscalls.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -T, --time            include time column on output (HH:MM:SS)\n"
	"  -t, --timestamp       include timestamp on output\n"
	"  -x, --fails           include failed exec()s\n"
	"  -q, --quote           add quotemarks (\") around arguments\n"
	"  -n NAME, --name NAME  only print commands matching this name (regex), any arg\n"
	"  -l LINE, --line LINE  only print commands where arg contains this line (regex)\n"
	"  -U, --print-uid       print UID column\n"
	"  -u USER, --uid USER   trace this UID only\n"
	"  -P PPID, --ppid PPID  trace this parent PID only\n"
	"  --max-args MAX_ARGS   maximum number of arguments parsed and displayed, defaults to 20\n"
	"  -p PID, --pid PID     trace this process (and what it execs) only\n"
	"  --json                one JSON object per exec\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it and what it starts, end with it\n"
	"\n"
	"examples:\n"
	"    ./execsnoop           # trace all exec() syscalls\n"
	"    ./execsnoop -x        # include failed exec()s\n"
	"    ./execsnoop -T        # include time (HH:MM:SS)\n"
	"    ./execsnoop -U        # include UID\n"
	"    ./execsnoop -u 1000   # only trace UID 1000\n"
	"    ./execsnoop -t        # include timestamps\n"
	"    ./execsnoop -q        # add \"quotemarks\" around arguments\n"
	"    ./execsnoop -n main   # only print command lines containing \"main\"\n"
	"    ./execsnoop -l tpkg   # only print command where arguments contains \"tpkg\"\n";

#define MAX_ARGS 60

struct pending {
	int tid;
	struct strbuf args;
	int nargs, truncated;
};

struct execsnoop {
	int time_col, ts_col, fails, quote, uid_col, json;
	long max_args;
	regex_t name_re, line_re;
	int have_name_re, have_line_re;
	uint64_t start_ns;
	struct pending *p;
	int np, cap;
};

static struct pending *pending_for(struct execsnoop *es, int tid, int create)
{
	for (int i = 0; i < es->np; i++)
		if (es->p[i].tid == tid)
			return &es->p[i];
	if (!create)
		return NULL;
	if (es->np == es->cap) {
		es->cap = es->cap ? 2 * es->cap : 8;
		es->p = xrealloc(es->p, (size_t)es->cap * sizeof(*es->p));
	}
	es->p[es->np] = (struct pending){ .tid = tid };
	return &es->p[es->np++];
}

static void drop(struct execsnoop *es, struct pending *p)
{
	sb_free(&p->args);
	*p = es->p[--es->np];
}

static void on_attached(struct session *s, void *arg)
{
	struct execsnoop *es = arg;
	es->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (es->json)
		return;
	if (es->time_col)
		fprintf(s->out, "%-9s", "TIME");
	if (es->ts_col)
		fprintf(s->out, "%-8s ", "TIME(s)");
	if (es->uid_col)
		fprintf(s->out, "%-6s ", "UID");
	fprintf(s->out, "%-16s %-7s %-7s %3s %s\n", "COMM", "PID", "PPID", "RET", "ARGS");
}

/* Newlines show as \n, as BCC prints them; -q quotes each argument. */
static void add_arg(struct execsnoop *es, struct pending *p, const char *a)
{
	if (p->nargs++)
		sb_putc(&p->args, ' ');
	if (es->quote)
		sb_putc(&p->args, '"');
	for (; *a; a++) {
		if (*a == '\n')
			sb_puts(&p->args, "\\n");
		else if (es->quote && *a == '"')
			sb_puts(&p->args, "\\\"");
		else
			sb_putc(&p->args, *a);
	}
	if (es->quote)
		sb_putc(&p->args, '"');
}

/* printf("%d %d %d %s", 1, tid, i, arg) per argument; printf("%d %d %d %s %d %d", 2, tid, ppid, comm, ret, uid) at exit */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct execsnoop *es = arg;
	int64_t kind, tid;
	memcpy(&kind, data + r->offs[0], 8);
	memcpy(&tid, data + r->offs[1], 8);
	if (kind == 1) {
		int64_t idx;
		memcpy(&idx, data + r->offs[2], 8);
		struct pending *p = pending_for(es, (int)tid, 1);
		if (idx == 0) {	/* a new exec by this thread: what an earlier failed one left goes */
			sb_reset(&p->args);
			p->nargs = p->truncated = 0;
		}
		if (idx >= es->max_args) {
			p->truncated = 1;
			return;
		}
		add_arg(es, p, (const char *)data + r->offs[3]);
		return;
	}
	struct pending *p = pending_for(es, (int)tid, 0);
	if (!p)
		return;
	int64_t ppid, ret, uid;
	memcpy(&ppid, data + r->offs[2], 8);
	memcpy(&ret, data + r->offs[4], 8);
	memcpy(&uid, data + r->offs[5], 8);
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[3]);
	if (p->truncated)
		sb_puts(&p->args, " ...");
	const char *args = sb_str(&p->args);
	int show = (ret == 0 || es->fails) && (!es->have_name_re || !regexec(&es->name_re, comm, 0, NULL, 0)) &&
		   (!es->have_line_re || !regexec(&es->line_re, args, 0, NULL, 0));
	if (show) {
		struct strbuf out = { 0 };
		double secs = (double)(clock_ns(CLOCK_MONOTONIC) - es->start_ns) / 1e9;
		if (es->json) {
			sb_puts(&out, "{\"type\": \"exec\", \"data\": {\"comm\": ");
			json_escape(&out, comm, strlen(comm));
			sb_printf(&out, ", \"pid\": %lld, \"ppid\": %lld, \"uid\": %lld, \"ret\": %lld, \"time_s\": %.3f, \"args\": ",
				  (long long)tid, (long long)ppid, (long long)uid, (long long)ret, secs);
			json_escape(&out, args, strlen(args));
			sb_puts(&out, "}}\n");
		} else {
			if (es->time_col) {
				char now[16];
				tk_clock(now, sizeof(now));
				sb_printf(&out, "%-9s", now);
			}
			if (es->ts_col)
				sb_printf(&out, "%-8.3f ", secs);
			if (es->uid_col)
				sb_printf(&out, "%-6lld ", (long long)uid);
			char ppidtxt[24];
			snprintf(ppidtxt, sizeof(ppidtxt), ppid > 0 ? "%lld" : "?", (long long)ppid);
			sb_printf(&out, "%-16s %-7lld %-7s %3lld %s\n", comm, (long long)tid, ppidtxt, (long long)ret, args);
		}
		fputs(sb_str(&out), s->out);
		sb_free(&out);
	}
	drop(es, p);
}

/* Entry: the file name, then argv[1…] one record each until argv's NULL (at most max_args). */
static void build_script(struct strbuf *sb, const char *pred, long max_args, int family)
{
	if (family)	/* with a command: it and every process it starts, as they fork */
		sb_puts(sb, "BEGIN { @family[(uint64)cpid] = 1; }\n"
			    "tracepoint:sched:sched_process_fork /@family[(uint64)args.parent_pid]/ { @family[(uint64)args.child_pid] = 1; }\n"
			    "tracepoint:sched:sched_process_exit /@family[(uint64)pid] && pid == tid/ { delete(@family[(uint64)pid]); }\n");
	sb_printf(sb, "tracepoint:syscalls:sys_enter_execve, tracepoint:syscalls:sys_enter_execveat%s%s%s {\n", *pred ? " /" : "",
		  pred, *pred ? "/" : "");
	sb_puts(sb, "  printf(\"%d %d %d %s\", 1, tid, 0, str(args.filename));\n");
	long n = max_args + 1 < MAX_ARGS ? max_args + 1 : MAX_ARGS;	/* one more to know there were more */
	for (long i = 1; i < n; i++)
		sb_printf(sb, "%*s$p = *(uint64 *)(args.argv + %ld); if ($p != 0) { printf(\"%%d %%d %%d %%s\", 1, tid, %ld, str($p));\n",
			  (int)(2 * i), "", 8 * i, i);
	for (long i = 1; i < n; i++)
		sb_putc(sb, '}');
	sb_puts(sb, "\n}\n");
	sb_printf(sb, "tracepoint:syscalls:sys_exit_execve, tracepoint:syscalls:sys_exit_execveat%s%s%s {\n", *pred ? " /" : "",
		  pred, *pred ? "/" : "");
	sb_puts(sb, "  printf(\"%d %d %d %s %d %d\", 2, tid, curtask->real_parent->tgid, comm, args.ret, uid);\n}\n");
}

int tool_execsnoop(int argc, char **argv)
{
	enum { OPT_MAX_ARGS = 256, OPT_JSON };
	static const struct option longopts[] = {
		{ "time", no_argument, NULL, 'T' }, { "timestamp", no_argument, NULL, 't' },
		{ "fails", no_argument, NULL, 'x' }, { "quote", no_argument, NULL, 'q' },
		{ "name", required_argument, NULL, 'n' }, { "line", required_argument, NULL, 'l' },
		{ "print-uid", no_argument, NULL, 'U' }, { "uid", required_argument, NULL, 'u' },
		{ "ppid", required_argument, NULL, 'P' }, { "max-args", required_argument, NULL, OPT_MAX_ARGS },
		{ "pid", required_argument, NULL, 'p' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct execsnoop es = { .max_args = 20 };
	struct tk_run run = { .tool = "execsnoop", .arg = &es, .quiet_exit = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	long v;
	int c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "Ttxqn:l:Uu:P:p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'T': es.time_col = 1; break;
		case 't': es.ts_col = 1; break;
		case 'x': es.fails = 1; break;
		case 'q': es.quote = 1; break;
		case 'n': case 'l': {
			regex_t *re = c == 'n' ? &es.name_re : &es.line_re;
			if (regcomp(re, optarg, REG_EXTENDED | REG_NOSUB)) {
				fprintf(stderr, "ERROR: execsnoop: -%c: '%s' is not a regular expression\n", c, optarg);
				goto out;
			}
			*(c == 'n' ? &es.have_name_re : &es.have_line_re) = 1;
			break;
		}
		case 'U': es.uid_col = 1; break;
		case 'u': case 'P':
			if (tk_parse_long(optarg, 0, INT32_MAX, &v)) {
				fprintf(stderr, "ERROR: execsnoop: -%c needs a number, got '%s'\n", c, optarg);
				goto out;
			}
			sb_printf(&pred, "%s%s == %ld", pred.len ? " && " : "", c == 'u' ? "uid" : "curtask->real_parent->tgid", v);
			break;
		case OPT_MAX_ARGS:
			if (tk_parse_long(optarg, 1, MAX_ARGS - 1, &es.max_args)) {
				fprintf(stderr, "ERROR: execsnoop: --max-args is 1 to %d, got '%s'\n", MAX_ARGS - 1, optarg);
				goto out;
			}
			break;
		case 'p':
			if (tk_parse_pid("execsnoop", optarg, &run.pid))
				goto out;
			break;
		case OPT_JSON: es.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		default: fputs(usage, stderr); rc = 2; goto out;
		}
	}
	if (tk_no_positionals("execsnoop", argc, argv)) {
		rc = 2;
		goto out;
	}
	if (run.command) {
		run.command_family = 1;
		sb_printf(&pred, "%s@family[(uint64)pid]", pred.len ? " && " : "");
	}
	build_script(&script, sb_str(&pred), es.max_args, run.command != NULL);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
out:
	for (int i = 0; i < es.np; i++)
		sb_free(&es.p[i].args);
	free(es.p);
	if (es.have_name_re)
		regfree(&es.name_re);
	if (es.have_line_re)
		regfree(&es.line_re);
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
