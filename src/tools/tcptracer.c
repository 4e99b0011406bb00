/*
 * sonde tcptracer: connect (C), accept (A) and close (X) of established TCP
 * connections, BCC tcptracer's flags and columns, without kprobes:
 * - C: CLOSE→SYN_SENT runs inside connect() (the process is noted there),
 *   SYN_SENT→ESTABLISHED (in softirq) prints it with the local port;
 * - A: the exit of accept()/accept4(), the socket read behind the new fd;
 * - X: ESTABLISHED→FIN_WAIT1 and CLOSE_WAIT→LAST_ACK, which close() does in
 *   the closer's own context; a socket never established has neither.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcptracer [-h] [-t] [-p PID] [-N NETNS] [-v] [-4 | -6] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP connections\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -t, --timestamp       include timestamp on output\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -N NETNS, --netns NETNS\n"
	"                        trace this Network Namespace only\n"
	"  -v, --verbose         include Network Namespace in the output\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per event\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"\n"
	"Types: C connect, A accept, X close (of an established connection, by close()).\n"
	"\n"
	"examples:\n"
	"    ./tcptracer           # trace all TCP connect, accept and close events\n"
	"    ./tcptracer -t        # include timestamps\n"
	"    ./tcptracer -p 181    # only trace PID 181\n"
	"    ./tcptracer -N 4026531969  # only trace this network namespace\n";

struct tracer {
	int ts_col, verbose, json;
	uint64_t first_ns;
};

static void on_attached(struct session *s, void *arg)
{
	struct tracer *t = arg;
	if (t->json)
		return;
	fputs("Tracing TCP established connections. Ctrl-C to end.\n", s->out);
	if (t->ts_col)
		fprintf(s->out, t->verbose ? "%-14s " : "%-9s ", t->verbose ? "TIME(ns)" : "TIME(s)");
	fprintf(s->out, t->verbose ? "%-12s " : "%-2s ", t->verbose ? "TYPE" : "T");
	fprintf(s->out, "%-6s %-16s %-2s %-16s %-16s %-6s %-6s", "PID", "COMM", "IP", "SADDR", "DADDR", "SPORT", "DPORT");
	if (t->verbose)
		fprintf(s->out, " %-8s", "NETNS");
	fputc('\n', s->out);
}

static const char *type_word(int type)
{
	return type == 'C' ? "connect" : type == 'A' ? "accept" : type == 'X' ? "close" : "unknown";
}

/* printf(FMT, type, pid, comm, family, sport, dport, netns, ts, saddr, daddr, saddr6, daddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct tracer *t = arg;
	int64_t v[8];
	for (int i = 0; i < 8; i++)
		if (i != 2)
			memcpy(&v[i], data + r->offs[i], 8);
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[2]);
	int v6 = v[3] == 10;
	struct strbuf sa = { 0 }, da = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &sa, &da);
	if (!t->first_ns)
		t->first_ns = (uint64_t)v[7];
	uint64_t since = (uint64_t)v[7] - t->first_ns;
	if (t->json) {
		sb_printf(&out, "{\"type\": \"tcp_%s\", \"data\": {\"pid\": %lld, \"comm\": ", type_word((int)v[0]),
			  (long long)v[1]);
		json_escape(&out, comm, strlen(comm));
		sb_printf(&out, ", \"ip\": %d, \"saddr\": \"%s\", \"daddr\": \"%s\", \"sport\": %lld, \"dport\": %lld, "
			  "\"netns\": %lld, \"time_s\": %.6f}}\n",
			  v6 ? 6 : 4, sb_str(&sa), sb_str(&da), (long long)v[4], (long long)v[5], (long long)v[6],
			  (double)since / 1e9);
	} else {
		if (t->ts_col && t->verbose)
			sb_printf(&out, "%-14llu ", (unsigned long long)since);
		else if (t->ts_col)
			sb_printf(&out, "%-9.3f ", (double)since / 1e9);
		if (t->verbose)
			sb_printf(&out, "%-12s ", type_word((int)v[0]));
		else
			sb_printf(&out, "%-2c ", (int)v[0]);
		/* IPv6 addresses in brackets, as BCC prints them */
		struct strbuf s6 = { 0 }, d6 = { 0 };
		sb_printf(&s6, v6 ? "[%s]" : "%s", sb_str(&sa));
		sb_printf(&d6, v6 ? "[%s]" : "%s", sb_str(&da));
		sb_printf(&out, "%-6lld %-16.16s %-2d %-16s %-16s %-6lld %-6lld", (long long)v[1], comm, v6 ? 6 : 4,
			  sb_str(&s6), sb_str(&d6), (long long)v[4], (long long)v[5]);
		if (t->verbose)
			sb_printf(&out, " %-8lld", (long long)v[6]);
		sb_putc(&out, '\n');
		sb_free(&s6);
		sb_free(&d6);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&sa);
	sb_free(&da);
}

int tool_tcptracer(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "timestamp", no_argument, NULL, 't' }, { "pid", required_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, 'N' }, { "verbose", no_argument, NULL, 'v' },
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tracer t = { 0 };
	struct tk_run run = { .tool = "tcptracer", .arg = &t, .quiet_exit = 1 };
	struct strbuf state_pred = { 0 }, sk_pred = { 0 }, in_netns = { 0 }, proc = { 0 }, script = { 0 };
	int only4 = 0, only6 = 0, c, rc = 1, pid = 0;
	long netns = 0;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "tp:N:v46h", longopts, NULL)) != -1) {
		switch (c) {
		case 't': t.ts_col = 1; break;
		case 'p':
			if (tk_parse_pid("tcptracer", optarg, &pid))
				return 1;
			break;
		case 'N':
			if (tk_parse_long(optarg, 1, UINT32_MAX, &netns)) {
				fprintf(stderr, "ERROR: tcptracer: -N needs a network namespace's inode number "
						"(ls -l /proc/PID/ns/net), got '%s'\n", optarg);
				return 2;
			}
			break;
		case 'v': t.verbose = 1; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case OPT_JSON: t.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcptracer: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcptracer", argc, argv))
		return 2;
	/* the process filters hold where the process is on the CPU: at connect(), accept() and
	 * close(); the connect's ESTABLISHED comes in softirq and follows what connect() noted */
	sb_puts(&proc, "1");
	if (pid)
		sb_printf(&proc, " && pid == %d", pid);
	if (run.command) {
		sb_puts(&proc, " && pid == cpid");
		run.command_family = 1;
	}
	tcp_base_filter(&state_pred, only4, only6);
	tcp_sk_filter(&sk_pred, only4, only6);
	if (netns)
		sb_printf(&in_netns, TCP_SK_NETNS " == %ld", netns);
	else
		sb_puts(&in_netns, "1");
	sb_printf(&sk_pred, " && %s", sb_str(&in_netns));
#define EVENT_ARGS "\"%%d %%d %%s %%d %%d %%d %%d %%d %%s %%s %%s %%s\""
	sb_printf(&script,
		  "tracepoint:sock:inet_sock_set_state /%s/ {\n"
		  "  $sk = (struct sock *)args.skaddr;\n"
		  "  $key = (uint64)args.skaddr;\n"
		  "  if (%s) {\n"
		  "    if (args.oldstate == 7 && args.newstate == 2 && %s) {\n"
		  "      @cpid[$key] = pid; @ccomm[$key] = comm;\n"
		  "    } else if (args.oldstate == 2) {\n"
		  "      if (args.newstate == 1 && @cpid[$key] != 0) {\n"
		  "        printf(" EVENT_ARGS ", 67, @cpid[$key], @ccomm[$key], args.family, args.sport, args.dport,\n"
		  "               " TCP_SK_NETNS ", nsecs, " TCP_ADDR_ARGS ");\n"
		  "      }\n"
		  "      delete(@cpid[$key]); delete(@ccomm[$key]);\n"
		  "    } else if (((args.oldstate == 1 && args.newstate == 4) || (args.oldstate == 8 && args.newstate == 9)) && %s) {\n"
		  "      printf(" EVENT_ARGS ", 88, pid, comm, args.family, args.sport, args.dport,\n"
		  "             " TCP_SK_NETNS ", nsecs, " TCP_ADDR_ARGS ");\n"
		  "    }\n"
		  "  }\n"
		  "}\n"
		  "tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept /args.ret >= 0 && %s/ {\n"
		  "  $sk = " TCP_ACCEPTED_SK ";\n"
		  "  if (%s) {\n"
		  "    printf(" EVENT_ARGS ", 65, pid, comm, $sk->__sk_common.skc_family, $sk->__sk_common.skc_num,\n"
		  "           " TCP_SK_DPORT ", " TCP_SK_NETNS ", nsecs, " TCP_SK_ADDR_ARGS ");\n"
		  "  }\n"
		  "}\n",
		  sb_str(&state_pred), sb_str(&in_netns), sb_str(&proc),
		  sb_str(&proc), sb_str(&proc), sb_str(&sk_pred));
#undef EVENT_ARGS
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
	sb_free(&state_pred);
	sb_free(&sk_pred);
	sb_free(&proc);
	sb_free(&in_netns);
	sb_free(&script);
	return rc;
}
