/*
 * sonde opensnoop: one line per open(), openat() or openat2(), with BCC
 * opensnoop's flags and columns, from the syscall tracepoints. At entry the
 * script sends the path (read from the process's memory), flags and mode; at
 * exit the result. This file pairs them by thread and prints the line.
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/json.h"
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"usage: sonde opensnoop [-h] [-T] [-U] [-x] [-p PID] [-t TID] [-u UID] [-d DURATION] [-n NAME] [-e] [-f FLAG_FILTER]\n"
	"                       [-F] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace open() syscalls.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -T, --timestamp       include timestamp on output\n"
	"  -U, --print-uid       print UID column\n"
	"  -x, --failed          only show failed opens\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -t TID, --tid TID     trace this TID only (a TID column replaces PID)\n"
	"  -u UID, --uid UID     trace this UID only\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace in seconds\n"
	"  -n NAME, --name NAME  only print process names containing this name\n"
	"  -e, --extended_fields show extended fields (flags and mode)\n"
	"  -f FLAG_FILTER, --flag_filter FLAG_FILTER\n"
	"                        filter on flags argument (e.g., O_WRONLY); repeatable\n"
	"  -F, --full-path       show full path for an open of a relative path (from the process's cwd)\n"
	"  --json                one JSON object per open\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"\n"
	"examples:\n"
	"    ./opensnoop                        # trace all open() syscalls\n"
	"    ./opensnoop -T                     # include timestamps\n"
	"    ./opensnoop -U                     # include UID\n"
	"    ./opensnoop -x                     # only show failed opens\n"
	"    ./opensnoop -p 181                 # only trace PID 181\n"
	"    ./opensnoop -u 1000                # only trace UID 1000\n"
	"    ./opensnoop -d 10                  # trace for 10 seconds only\n"
	"    ./opensnoop -n main                # only print process names containing \"main\"\n"
	"    ./opensnoop -e                     # show extended fields\n"
	"    ./opensnoop -f O_WRONLY -f O_RDWR  # only print calls for writing\n"
	"    ./opensnoop -- cat /etc/hostname   # what cat opens\n";

struct pending {
	int tid, pid;
	char comm[17];
	char path[4096];
	int64_t flags, mode, uid;
};

struct opensnoop {
	int ts_col, uid_col, failed, tid_col, extended, full_path, json;
	const char *name;
	uint64_t start_ns;
	struct pending *p;
	int np, cap;
};

static void on_attached(struct session *s, void *arg)
{
	struct opensnoop *os = arg;
	os->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (os->json)
		return;
	if (os->ts_col)
		fprintf(s->out, "%-14s", "TIME(s)");
	if (os->uid_col)
		fprintf(s->out, "%-6s ", "UID");
	fprintf(s->out, "%-6s %-16s %4s %3s ", os->tid_col ? "TID" : "PID", "COMM", "FD", "ERR");
	if (os->extended)
		fprintf(s->out, "%-8s %-4s ", "FLAGS", "MODE");
	fputs("PATH\n", s->out);
}

static struct pending *pending_for(struct opensnoop *os, int tid, int create)
{
	for (int i = 0; i < os->np; i++)
		if (os->p[i].tid == tid)
			return &os->p[i];
	if (!create)
		return NULL;
	if (os->np == os->cap) {
		os->cap = os->cap ? 2 * os->cap : 8;
		os->p = xrealloc(os->p, (size_t)os->cap * sizeof(*os->p));
	}
	os->p[os->np] = (struct pending){ .tid = tid };
	return &os->p[os->np++];
}

/* entry: printf(FMT, 1, tid, pid, comm, path, flags, mode, uid); exit: printf(FMT, 2, tid, ret) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct opensnoop *os = arg;
	int64_t kind, tid;
	memcpy(&kind, data + r->offs[0], 8);
	memcpy(&tid, data + r->offs[1], 8);
	if (kind == 1) {
		struct pending *p = pending_for(os, (int)tid, 1);
		int64_t pid;
		memcpy(&pid, data + r->offs[2], 8);
		p->pid = (int)pid;
		snprintf(p->comm, sizeof(p->comm), "%.16s", (const char *)data + r->offs[3]);
		snprintf(p->path, sizeof(p->path), "%s", (const char *)data + r->offs[4]);
		memcpy(&p->flags, data + r->offs[5], 8);
		memcpy(&p->mode, data + r->offs[6], 8);
		memcpy(&p->uid, data + r->offs[7], 8);
		return;
	}
	struct pending *p = pending_for(os, (int)tid, 0);
	if (!p)
		return;
	int64_t ret;
	memcpy(&ret, data + r->offs[2], 8);
	int fd = ret >= 0 ? (int)ret : -1, err = ret >= 0 ? 0 : (int)-ret;
	if ((!os->failed || ret < 0) && (!os->name || strstr(p->comm, os->name))) {
		char path[8192];
		snprintf(path, sizeof(path), "%s", p->path);
		if (os->full_path && p->path[0] != '/') {
			/* relative: from the process's working directory, while it lives (else as given) */
			char link[64], cwd[4096];
			snprintf(link, sizeof(link), "/proc/%d/cwd", p->pid);
			ssize_t n = readlink(link, cwd, sizeof(cwd) - 1);
			if (n > 0) {
				cwd[n] = 0;
				snprintf(path, sizeof(path), "%s/%s", cwd, p->path);
			}
		}
		struct strbuf out = { 0 };
		double secs = (double)(clock_ns(CLOCK_MONOTONIC) - os->start_ns) / 1e9;
		if (os->json) {
			sb_printf(&out, "{\"type\": \"open\", \"data\": {\"pid\": %d, \"tid\": %lld, \"uid\": %lld, \"comm\": ", p->pid,
				  (long long)tid, (long long)p->uid);
			json_escape(&out, p->comm, strlen(p->comm));
			sb_printf(&out, ", \"fd\": %d, \"err\": %d, \"flags\": %lld, \"mode\": %lld, \"time_s\": %.9f, \"path\": ", fd,
				  err, (long long)p->flags, (long long)p->mode, secs);
			json_escape(&out, path, strlen(path));
			sb_puts(&out, "}}\n");
		} else {
			if (os->ts_col)
				sb_printf(&out, "%-14.9f", secs);
			if (os->uid_col)
				sb_printf(&out, "%-6lld ", (long long)p->uid);
			sb_printf(&out, "%-6d %-16s %4d %3d ", os->tid_col ? (int)tid : p->pid, p->comm, fd, err);
			if (os->extended) {
				sb_printf(&out, "%08llo ", (unsigned long long)p->flags);
				if (p->flags & (O_CREAT | __O_TMPFILE))
					sb_printf(&out, "%04llo ", (unsigned long long)p->mode);
				else
					sb_puts(&out, "n/a  ");
			}
			sb_printf(&out, "%s\n", path);
		}
		fputs(sb_str(&out), s->out);
		sb_free(&out);
	}
	*p = os->p[--os->np];
}

static const struct {
	const char *name;
	int value;
} oflags[] = {
	{ "O_RDONLY", O_RDONLY }, { "O_WRONLY", O_WRONLY }, { "O_RDWR", O_RDWR }, { "O_CREAT", O_CREAT },
	{ "O_EXCL", O_EXCL }, { "O_NOCTTY", O_NOCTTY }, { "O_TRUNC", O_TRUNC }, { "O_APPEND", O_APPEND },
	{ "O_NONBLOCK", O_NONBLOCK }, { "O_DSYNC", O_DSYNC }, { "O_DIRECT", O_DIRECT }, { "O_LARGEFILE", O_LARGEFILE },
	{ "O_DIRECTORY", O_DIRECTORY }, { "O_NOFOLLOW", O_NOFOLLOW }, { "O_NOATIME", O_NOATIME },
	{ "O_CLOEXEC", O_CLOEXEC }, { "O_SYNC", O_SYNC }, { "O_PATH", O_PATH }, { "O_TMPFILE", O_TMPFILE },
};

int tool_opensnoop(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "timestamp", no_argument, NULL, 'T' }, { "print-uid", no_argument, NULL, 'U' },
		{ "failed", no_argument, NULL, 'x' }, { "pid", required_argument, NULL, 'p' },
		{ "tid", required_argument, NULL, 't' }, { "uid", required_argument, NULL, 'u' },
		{ "duration", required_argument, NULL, 'd' }, { "name", required_argument, NULL, 'n' },
		{ "extended_fields", no_argument, NULL, 'e' }, { "flag_filter", required_argument, NULL, 'f' },
		{ "full-path", no_argument, NULL, 'F' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct opensnoop os = { 0 };
	struct tk_run run = { .tool = "opensnoop", .arg = &os, .quiet_exit = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	long v, flag_filter = -1;
	int c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "TUxp:t:u:d:n:ef:Fh", longopts, NULL)) != -1) {
		switch (c) {
		case 'T': os.ts_col = 1; break;
		case 'U': os.uid_col = 1; break;
		case 'x': os.failed = 1; break;
		case 'p':
			if (tk_parse_pid("opensnoop", optarg, &run.pid))
				goto out;
			break;
		case 't': case 'u':
			if (tk_parse_long(optarg, c == 'u' ? 0 : 1, INT32_MAX, &v)) {
				fprintf(stderr, "ERROR: opensnoop: -%c needs a number, got '%s'\n", c, optarg);
				goto out;
			}
			sb_printf(&pred, "%s%s == %ld", pred.len ? " && " : "", c == 'u' ? "uid" : "tid", v);
			os.tid_col |= c == 't';
			break;
		case 'd':
			if (tk_parse_seconds("opensnoop", c, optarg, &run.duration))
				goto out;
			break;
		case 'n': os.name = optarg; break;
		case 'e': os.extended = 1; break;
		case 'f': {
			size_t i = 0;
			while (i < ARRAY_SIZE(oflags) && strcmp(oflags[i].name, optarg))
				i++;
			if (i == ARRAY_SIZE(oflags)) {
				fprintf(stderr, "ERROR: opensnoop: -f: unknown flag '%s' (O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, …)\n", optarg);
				goto out;
			}
			flag_filter = (flag_filter < 0 ? 0 : flag_filter) | oflags[i].value;
			break;
		}
		case 'F': os.full_path = 1; break;
		case OPT_JSON: os.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		default: fputs(usage, stderr); rc = 2; goto out;
		}
	}
	if (tk_no_positionals("opensnoop", argc, argv)) {
		rc = 2;
		goto out;
	}
	const char *p = sb_str(&pred);
	const char *open_at = "printf(\"%d %d %d %s %s %d %d %d\", 1, tid, pid, comm, str(args.filename), ";
	/* O_RDONLY is 0: as a filter it means "neither O_WRONLY nor O_RDWR" */
	struct strbuf fpred = { 0 };
	if (flag_filter >= 0)
		sb_printf(&fpred, flag_filter ? " && (args.flags & %ld) != 0" : " && (args.flags & 3) == 0", flag_filter);
	sb_printf(&script, "tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat /1%s%s%s/ { %sargs.flags, args.mode, uid); }\n",
		  *p ? " && " : "", p, sb_str(&fpred), open_at);
	/* openat2's flags and mode are in its struct open_how, in the process's memory */
	sb_free(&fpred);
	if (flag_filter >= 0)
		sb_printf(&fpred, flag_filter ? " && (*(uint64 *)args.how & %ld) != 0" : " && (*(uint64 *)args.how & 3) == 0",
			  flag_filter);
	sb_printf(&script, "tracepoint:syscalls:sys_enter_openat2 /1%s%s%s/ { %s*(uint64 *)args.how, *(uint64 *)(args.how + 8), uid); }\n",
		  *p ? " && " : "", p, sb_str(&fpred), open_at);
	sb_printf(&script, "tracepoint:syscalls:sys_exit_open, tracepoint:syscalls:sys_exit_openat, tracepoint:syscalls:sys_exit_openat2%s%s%s "
		  "{ printf(\"%%d %%d %%d\", 2, tid, args.ret); }\n", *p ? " /" : "", p, *p ? "/" : "");
	sb_free(&fpred);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
out:
	free(os.p);
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
