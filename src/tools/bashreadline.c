/*
 * sonde bashreadline: every line typed into a bash, from the return of its
 * readline(), as BCC bashreadline prints it. The script sends a record with
 * the returned line; only processes called exactly `bash` count, as in BCC
 * (with -s, a readline library other programs load too).
 */
#include "tools.h"
#include "toolkit.h"
#include "../obj/binpath.h"
#include "../out/json.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: sonde bashreadline [-h] [-s SHARED] [-p PID] [--json] [-D] [-- CMD [ARG...]]\n"
	"\n"
	"Print entered bash commands from all running shells\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace it only, end with it\n"
	"  -s SHARED, --shared SHARED\n"
	"                        the program or library whose readline() to probe (default /bin/bash;\n"
	"                        e.g. libreadline.so.8 for a bash linked against it)\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  --json                one JSON object per line\n"
	"  -D, --debug           print the generated program before starting\n"
	"\n"
	"examples:\n"
	"    ./bashreadline                        # every bash on the system\n"
	"    ./bashreadline -s libreadline.so.8    # a bash built against libreadline\n";

#define LINE_LEN 80	/* BCC's str[80] */

struct bashreadline {
	int json;
};

static void on_attached(struct session *s, void *arg)
{
	struct bashreadline *b = arg;
	if (b->json)
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"bashreadline\", \"probes\": %d}}\n",
			s->script.points.n);
	else
		fprintf(s->out, "%-9s %-7s %s\n", "TIME", "PID", "COMMAND");
	fflush(s->out);
}

/* printf("%d %s", pid, line) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct bashreadline *b = arg;
	int64_t pid;
	memcpy(&pid, data + r->offs[0], 8);
	const char *line = (const char *)data + r->offs[1];
	int len = (int)strnlen(line, LINE_LEN);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	if (b->json) {
		sb_printf(&out, "{\"type\": \"line\", \"data\": {\"time\": \"%s\", \"pid\": %lld, \"command\": ", now, (long long)pid);
		json_escape(&out, line, (size_t)len);
		sb_puts(&out, "}}\n");
	} else {
		sb_printf(&out, "%-9s %-7lld %.*s\n", now, (long long)pid, len, line);
	}
	fputs(sb_str(&out), s->out);
	fflush(s->out);	/* a line as it is typed, even into a pipe */
	sb_free(&out);
}

int tool_bashreadline(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "shared", required_argument, NULL, 's' }, { "pid", required_argument, NULL, 'p' },
		{ "json", no_argument, NULL, OPT_JSON }, { "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct bashreadline b = { 0 };
	struct tk_run run = { .tool = "bashreadline", .arg = &b, .quiet_exit = 1 };
	const char *shared = "/bin/bash";
	int c;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "s:p:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 's': shared = optarg; break;
		case 'p':
			if (tk_parse_pid("bashreadline", optarg, &run.pid))
				return 1;
			break;
		case OPT_JSON: b.json = run.json = 1; break;
		case 'D': run.print_script = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (tk_no_positionals("bashreadline", argc, argv))
		return 2;
	if (run.pid && run.command) {
		fputs("ERROR: bashreadline: -p excludes a command: it is the process traced\n", stderr);
		return 2;
	}
	char path[4096];
	if (bin_resolve(shared, run.pid, path, sizeof(path))) {
		fprintf(stderr, "ERROR: bashreadline: cannot find '%s' (-s takes a path, a program on $PATH or a library name such as libreadline)\n",
			shared);
		return 1;
	}
	struct strbuf script = { 0 };
	/* readline() returns NULL at end of input; BCC leaves those out */
	sb_printf(&script, "uretprobe:\"%s\":readline /retval != 0 && comm == \"bash\"/ { printf(\"%%d %%s\", pid, str(retval, %d)); }\n",
		  shared, LINE_LEN);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	int rc = tk_run(&run);
	sb_free(&script);
	return rc;
}
