/*
 * sonde tcpconnect and tcpconnlat: active TCP connects, with BCC's flags and
 * columns, from sock:inet_sock_set_state (no kprobes). CLOSE→SYN_SENT runs
 * inside connect() in the caller's context: the script notes the process and
 * the time there; the local port is still 0 then, so the line is sent at
 * the socket's next change (ESTABLISHED, or CLOSE for a refused connect),
 * with the port and the latency. tcpconnlat prints established ones only.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_connect[] =
	"usage: sonde tcpconnect [-h] [-t] [-p PID] [-P PORT] [-4 | -6] [-L] [-U] [-u UID] [-c] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP connects.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -t, --timestamp       include timestamp on output\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -P PORT, --port PORT  comma-separated list of destination ports to trace.\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  -L, --lport           include LPORT on output\n"
	"  -U, --print-uid       include UID on output\n"
	"  -u UID, --uid UID     trace this UID only\n"
	"  -c, --count           count connects per src ip and dest ip/port\n"
	"  --json                one JSON object per connect\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace it only, end with it\n"
	"\n"
	"(-d, the DNS name of the address, needs kprobes on udp_recvmsg: not on this kernel.)\n"
	"\n"
	"examples:\n"
	"    ./tcpconnect           # trace all TCP connect()s\n"
	"    ./tcpconnect -t        # include timestamps\n"
	"    ./tcpconnect -p 181    # only trace PID 181\n"
	"    ./tcpconnect -P 80     # only trace port 80\n"
	"    ./tcpconnect -P 80,81  # only trace port 80 and 81\n"
	"    ./tcpconnect -4        # only trace IPv4 family\n"
	"    ./tcpconnect -U        # include UID\n"
	"    ./tcpconnect -u 1000   # only trace UID 1000\n"
	"    ./tcpconnect -c        # count connects per src ip and dest ip/port\n";

static const char usage_connlat[] =
	"usage: sonde tcpconnlat [-h] [-t] [-p PID] [-L] [-4 | -6] [--json] [min_ms] [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP connects and show connection latency.\n"
	"\n"
	"positional arguments:\n"
	"  min_ms                minimum duration to trace, in ms (default 0)\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -t, --timestamp       include timestamp on output\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -L, --lport           include LPORT on output\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per connect\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace it only, end with it\n"
	"\n"
	"examples:\n"
	"    ./tcpconnlat           # trace all TCP connect()s\n"
	"    ./tcpconnlat 1         # trace connection latency slower than 1 ms\n"
	"    ./tcpconnlat 0.1       # trace connection latency slower than 100 us\n"
	"    ./tcpconnlat -t        # include timestamps\n"
	"    ./tcpconnlat -p 181    # only trace PID 181\n"
	"    ./tcpconnlat -L        # include LPORT while printing outputs\n";

struct connect {
	int latency_tool, ts_col, lport, uid_col, count, json;
	double min_ms;
	uint64_t first_ns;
	struct tcp_flows flows;
};

static void on_attached(struct session *s, void *arg)
{
	struct connect *c = arg;
	if (c->json || c->count) {
		if (c->count)
			fputs("Tracing connect ... Hit Ctrl-C to end\n", s->out);
		return;
	}
	if (c->ts_col)
		fprintf(s->out, "%-9s ", "TIME(s)");
	if (c->uid_col)
		fprintf(s->out, "%-6s ", "UID");
	if (c->latency_tool) {
		fprintf(s->out, "%-7s %-12s %-2s %-16s ", "PID", "COMM", "IP", "SADDR");
		if (c->lport)
			fprintf(s->out, "%-6s ", "LPORT");
		fprintf(s->out, "%-16s %-5s %s\n", "DADDR", "DPORT", "LAT(ms)");
		return;
	}
	fprintf(s->out, "%-7s %-12s %-2s %-16s ", "PID", "COMM", "IP", "SADDR");
	if (c->lport)
		fprintf(s->out, "%-6s ", "LPORT");
	fprintf(s->out, "%-16s %-6s\n", "DADDR", "DPORT");
}

/* printf(FMT, pid, comm, uid, family, sport, dport, established, lat_ns, ts, saddr, daddr, saddr6, daddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct connect *c = arg;
	int64_t v[9];
	for (int i = 0; i < 9; i++)
		if (i != 1)
			memcpy(&v[i], data + r->offs[i], 8);
	if (c->latency_tool && (!v[6] || (double)v[7] / 1e6 < c->min_ms))
		return;
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[1]);
	int v6 = v[3] == 10;
	struct strbuf sa = { 0 }, da = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &sa, &da);
	if (!c->first_ns)
		c->first_ns = (uint64_t)v[8];
	double secs = (double)((uint64_t)v[8] - c->first_ns) / 1e9, ms = (double)v[7] / 1e6;
	if (c->count) {
		char key[160];
		snprintf(key, sizeof(key), "%-25s %-25s %-20lld", sb_str(&sa), sb_str(&da), (long long)v[5]);
		tcp_flows_add(&c->flows, key);
	} else if (c->json) {
		sb_printf(&out, "{\"type\": \"%s\", \"data\": {\"pid\": %lld, \"uid\": %lld, \"comm\": ",
			  c->latency_tool ? "tcp_connect_latency" : "tcp_connect", (long long)v[0], (long long)v[2]);
		json_escape(&out, comm, strlen(comm));
		sb_printf(&out, ", \"ip\": %d, \"saddr\": \"%s\", \"lport\": %lld, \"daddr\": \"%s\", \"dport\": %lld, "
			  "\"established\": %s, \"lat_ms\": %.3f, \"time_s\": %.6f}}\n",
			  v6 ? 6 : 4, sb_str(&sa), (long long)v[4], sb_str(&da), (long long)v[5], v[6] ? "true" : "false", ms, secs);
	} else {
		if (c->ts_col)
			sb_printf(&out, "%-9.3f ", secs);
		if (c->uid_col)
			sb_printf(&out, "%-6lld ", (long long)v[2]);
		sb_printf(&out, "%-7lld %-12.12s %-2d %-16s ", (long long)v[0], comm, v6 ? 6 : 4, sb_str(&sa));
		if (c->lport)
			sb_printf(&out, "%-6lld ", (long long)v[4]);
		if (c->latency_tool)
			sb_printf(&out, "%-16s %-5lld %.2f\n", sb_str(&da), (long long)v[5], ms);
		else
			sb_printf(&out, "%-16s %-6lld \n", sb_str(&da), (long long)v[5]);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&sa);
	sb_free(&da);
}

static void at_end(struct session *s, void *arg)
{
	struct connect *c = arg;
	if (!c->count)
		return;
	fprintf(s->out, "\n%-25s %-25s %-20s %-10s\n", "LADDR", "RADDR", "RPORT", "CONNECTS");
	tcp_flows_print(s->out, &c->flows, "%-10ld");
}

static int run_tool(int argc, char **argv, int latency_tool)
{
	const char *tool = latency_tool ? "tcpconnlat" : "tcpconnect";
	const char *usage = latency_tool ? usage_connlat : usage_connect;
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "timestamp", no_argument, NULL, 't' }, { "pid", required_argument, NULL, 'p' },
		{ "port", required_argument, NULL, 'P' }, { "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' }, { "lport", no_argument, NULL, 'L' },
		{ "print-uid", no_argument, NULL, 'U' }, { "uid", required_argument, NULL, 'u' },
		{ "count", no_argument, NULL, 'c' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct connect c = { .latency_tool = latency_tool };
	struct tk_run run = { .tool = tool, .arg = &c, .quiet_exit = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	const char *ports = NULL;
	int only4 = 0, only6 = 0, opt, rc = 1, pid = 0;
	long uid = -1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((opt = getopt_long(argc, argv, latency_tool ? "tp:L46h" : "tp:P:46LUu:ch", longopts, NULL)) != -1) {
		switch (opt) {
		case 't': c.ts_col = 1; break;
		case 'p':
			if (tk_parse_pid(tool, optarg, &pid))
				goto out;
			break;
		case 'P': ports = optarg; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case 'L': c.lport = 1; break;
		case 'U': c.uid_col = 1; break;
		case 'u':
			if (tk_parse_long(optarg, 0, INT32_MAX, &uid)) {
				fprintf(stderr, "ERROR: %s: -u needs a user id, got '%s'\n", tool, optarg);
				goto out;
			}
			break;
		case 'c': c.count = 1; break;
		case OPT_JSON: c.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		default: fputs(usage, stderr); rc = 2; goto out;
		}
	}
	if (only4 && only6) {
		fprintf(stderr, "ERROR: %s: -4 and -6 exclude each other\n", tool);
		rc = 2;
		goto out;
	}
	if (latency_tool && optind < argc && tk_parse_double(argv[optind++], 1e9, &c.min_ms)) {
		fprintf(stderr, "ERROR: tcpconnlat: min_ms is a positive number of milliseconds, got '%s'\n", argv[optind - 1]);
		goto out;
	}
	if (tk_no_positionals(tool, argc, argv)) {
		rc = 2;
		goto out;
	}
	tcp_base_filter(&pred, only4, only6);
	if (ports && tcp_port_filter(&pred, ports, "args.dport")) {
		fprintf(stderr, "ERROR: %s: -P takes ports 1 to 65535 separated by commas\n", tool);
		goto out;
	}
	/* SYN_SENT is entered inside connect(), by the caller: the filters on the process apply there,
	 * not to the whole probe (the next change runs in softirq, in whatever task is on the CPU) */
	struct strbuf start = { 0 };
	sb_puts(&start, "args.oldstate == 7 && args.newstate == 2");
	if (uid >= 0)
		sb_printf(&start, " && uid == %ld", uid);
	if (pid)
		sb_printf(&start, " && pid == %d", pid);
	if (run.command) {
		sb_puts(&start, " && pid == cpid");
		run.command_family = 1;
	}
	sb_printf(&script, "tracepoint:sock:inet_sock_set_state /%s/ {\n"
		  "  $sk = (uint64)args.skaddr;\n"
		  "  if (%s) {\n"
		  "    @start[$sk] = nsecs; @pid[$sk] = pid; @uid[$sk] = uid; @comm[$sk] = comm;\n"
		  "  } else if (args.oldstate == 2 && @start[$sk] != 0) {\n"
		  "    printf(\"%%d %%s %%d %%d %%d %%d %%d %%d %%d %%s %%s %%s %%s\", @pid[$sk], @comm[$sk], @uid[$sk], args.family,\n"
		  "           args.sport, args.dport, args.newstate == 1, nsecs - @start[$sk], nsecs,\n"
		  "           " TCP_ADDR_ARGS ");\n"
		  "    delete(@start[$sk]); delete(@pid[$sk]); delete(@uid[$sk]); delete(@comm[$sk]);\n"
		  "  }\n}\n",
		  sb_str(&pred), sb_str(&start));
	sb_free(&start);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	run.summary = c.count ? at_end : NULL;
	rc = tk_run(&run);
out:
	tcp_flows_free(&c.flows);
	sb_free(&pred);
	sb_free(&script);
	return rc;
}

int tool_tcpconnect(int argc, char **argv)
{
	return run_tool(argc, argv, 0);
}

int tool_tcpconnlat(int argc, char **argv)
{
	return run_tool(argc, argv, 1);
}
