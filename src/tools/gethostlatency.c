/*
 * sonde gethostlatency: one line per name lookup through libc's
 * getaddrinfo(), gethostbyname() or gethostbyname2(), with its latency, as
 * BCC gethostlatency prints it. The script stamps each entry with the host
 * asked for and sends a record at the return; this file prints the records.
 * Programs that resolve without libc (Go's own resolver) are not seen.
 */
#include "tools.h"
#include "toolkit.h"
#include "../obj/binpath.h"
#include "../out/json.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: sonde gethostlatency [-h] [-p PID] [-L LIBC] [--json] [-D] [-- CMD [ARG...]]\n"
	"\n"
	"Show latency for getaddrinfo/gethostbyname[2] calls\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -L LIBC, --libc LIBC  the C library to probe (default: libc, as ld.so finds it)\n"
	"  --json                one JSON object per lookup\n"
	"  -D, --debug           print the generated program before starting\n"
	"\n"
	"examples:\n"
	"    ./gethostlatency           # time every lookup on the system\n"
	"    ./gethostlatency -p 181    # only trace PID 181\n"
	"    ./gethostlatency -- getent ahosts localhost\n";

/* The functions BCC probes: each takes the host name as its first argument. */
static const char *const funcs[] = { "getaddrinfo", "gethostbyname", "gethostbyname2" };

#define HOST_LEN 80	/* BCC's host[80] */

struct gethostlatency {
	int json;
};

static void on_attached(struct session *s, void *arg)
{
	struct gethostlatency *g = arg;
	if (g->json)
		fprintf(s->out, "{\"type\": \"attached\", \"data\": {\"tool\": \"gethostlatency\", \"probes\": %d}}\n",
			s->script.points.n);
	else
		fprintf(s->out, "%-9s %-7s %-16s %10s %s\n", "TIME", "PID", "COMM", "LATms", "HOST");
}

/* printf("%d %s %d %s", pid, comm, lat_ns, host) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct gethostlatency *g = arg;
	int64_t pid, lat;
	memcpy(&pid, data + r->offs[0], 8);
	memcpy(&lat, data + r->offs[2], 8);
	const char *comm = (const char *)data + r->offs[1], *host = (const char *)data + r->offs[3];
	int comm_len = (int)strnlen(comm, 16), host_len = (int)strnlen(host, HOST_LEN);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	if (g->json) {
		sb_printf(&out, "{\"type\": \"lookup\", \"data\": {\"time\": \"%s\", \"pid\": %lld, \"comm\": ", now, (long long)pid);
		json_escape(&out, comm, (size_t)comm_len);
		sb_printf(&out, ", \"lat_ns\": %lld, \"host\": ", (long long)lat);
		json_escape(&out, host, (size_t)host_len);
		sb_puts(&out, "}}\n");
	} else {
		sb_printf(&out, "%-9s %-7lld %-16.*s %10.2f %.*s\n", now, (long long)pid, comm_len, comm, (double)lat / 1e6,
			  host_len, host);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
}

int tool_gethostlatency(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "libc", required_argument, NULL, 'L' },
		{ "json", no_argument, NULL, OPT_JSON }, { "debug", no_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct gethostlatency g = { 0 };
	struct tk_run run = { .tool = "gethostlatency", .arg = &g, .quiet_exit = 1 };
	const char *libc = "libc";
	int c;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:L:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (tk_parse_pid("gethostlatency", optarg, &run.pid))
				return 1;
			break;
		case 'L': libc = optarg; break;
		case OPT_JSON: g.json = run.json = 1; break;
		case 'D': run.print_script = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (tk_no_positionals("gethostlatency", argc, argv))
		return 2;
	if (run.pid && run.command) {
		fputs("ERROR: gethostlatency: -p excludes a command: it is the process traced\n", stderr);
		return 2;
	}
	char path[4096];
	if (bin_resolve(libc, run.pid, path, sizeof(path))) {
		fprintf(stderr, "ERROR: gethostlatency: cannot find the C library '%s' (give a path or a library name such as libc)\n",
			libc);
		return 1;
	}
	struct strbuf script = { 0 };
	size_t n = sizeof(funcs) / sizeof(funcs[0]);
	for (int ret = 0; ret < 2; ret++) {
		for (size_t i = 0; i < n; i++)
			sb_printf(&script, "%s%s:\"%s\":%s", i ? ", " : "", ret ? "uretprobe" : "uprobe", libc, funcs[i]);
		if (!ret)
			sb_printf(&script, " { @ghl_start[tid] = nsecs; @ghl_host[tid] = str(arg0, %d); }\n", HOST_LEN);
		else
			/* a record for this file to print: the format only types the arguments */
			sb_puts(&script, " /@ghl_start[tid]/ {\n  printf(\"%d %s %d %s\", pid, comm, nsecs - @ghl_start[tid], "
					 "@ghl_host[tid]);\n  delete(@ghl_start[tid]); delete(@ghl_host[tid]);\n}\n");
	}
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	int rc = tk_run(&run);
	sb_free(&script);
	return rc;
}
