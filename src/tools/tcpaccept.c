/*
 * sonde tcpaccept: passive TCP accepts, BCC tcpaccept's flags and columns,
 * without kprobes. accept()/accept4() return the new socket's fd in the
 * acceptor's own context: the script reads the socket behind the fd
 * (current->files->fdt->fd[fd]->private_data->sk, through BTF) there. The
 * SYN_RECV→ESTABLISHED change has the addresses too, but runs in softirq,
 * where the task on the CPU is not the acceptor. io_uring accepts are missed.
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
	"usage: sonde tcpaccept [-h] [-T] [-t] [-p PID] [-P PORT] [-4 | -6] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP accepts\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -T, --time            include time column on output (HH:MM:SS)\n"
	"  -t, --timestamp       include timestamp on output\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -P PORT, --port PORT  comma-separated list of local ports to trace\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per accept\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"\n"
	"(Accepts done through io_uring are not seen: they make no accept() call.)\n"
	"\n"
	"examples:\n"
	"    ./tcpaccept           # trace all TCP accept()s\n"
	"    ./tcpaccept -t        # include timestamps\n"
	"    ./tcpaccept -P 80,81  # only trace port 80 and 81\n"
	"    ./tcpaccept -p 181    # only trace PID 181\n";

struct accept {
	int time_col, ts_col, json;
	uint64_t first_ns;
};

static void on_attached(struct session *s, void *arg)
{
	struct accept *a = arg;
	if (a->json)
		return;
	if (a->time_col)
		fprintf(s->out, "%-9s ", "TIME");
	if (a->ts_col)
		fprintf(s->out, "%-9s ", "TIME(s)");
	fprintf(s->out, "%-7s %-12s %-2s %-16s %-5s %-16s %-5s\n", "PID", "COMM", "IP", "RADDR", "RPORT", "LADDR", "LPORT");
}

/* printf(FMT, pid, comm, family, lport, rport, ts, laddr, raddr, laddr6, raddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct accept *a = arg;
	int64_t v[6];
	for (int i = 0; i < 6; i++)
		if (i != 1)
			memcpy(&v[i], data + r->offs[i], 8);
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[1]);
	int v6 = v[2] == 10;
	struct strbuf la = { 0 }, ra = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &la, &ra);
	if (!a->first_ns)
		a->first_ns = (uint64_t)v[5];
	double secs = (double)((uint64_t)v[5] - a->first_ns) / 1e9;
	if (a->json) {
		sb_printf(&out, "{\"type\": \"tcp_accept\", \"data\": {\"pid\": %lld, \"comm\": ", (long long)v[0]);
		json_escape(&out, comm, strlen(comm));
		sb_printf(&out, ", \"ip\": %d, \"raddr\": \"%s\", \"rport\": %lld, \"laddr\": \"%s\", \"lport\": %lld, "
			  "\"time_s\": %.6f}}\n",
			  v6 ? 6 : 4, sb_str(&ra), (long long)v[4], sb_str(&la), (long long)v[3], secs);
	} else {
		if (a->time_col) {
			char clock[16];
			tk_clock(clock, sizeof(clock));
			sb_printf(&out, "%-9s ", clock);
		}
		if (a->ts_col)
			sb_printf(&out, "%-9.3f ", secs);
		sb_printf(&out, "%-7lld %-12.12s %-2d %-16s %-5lld %-16s %-5lld\n", (long long)v[0], comm, v6 ? 6 : 4,
			  sb_str(&ra), (long long)v[4], sb_str(&la), (long long)v[3]);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&la);
	sb_free(&ra);
}

int tool_tcpaccept(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "time", no_argument, NULL, 'T' }, { "timestamp", no_argument, NULL, 't' },
		{ "pid", required_argument, NULL, 'p' }, { "port", required_argument, NULL, 'P' },
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct accept a = { 0 };
	struct tk_run run = { .tool = "tcpaccept", .arg = &a, .quiet_exit = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	const char *ports = NULL;
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "Ttp:P:46h", longopts, NULL)) != -1) {
		switch (c) {
		case 'T': a.time_col = 1; break;
		case 't': a.ts_col = 1; break;
		case 'p':
			if (tk_parse_pid("tcpaccept", optarg, &run.pid))
				return 1;
			break;
		case 'P': ports = optarg; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case OPT_JSON: a.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcpaccept: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcpaccept", argc, argv))
		return 2;
	/* the filters read the new socket, so they stand inside the block, after the fd walk */
	tcp_sk_filter(&pred, only4, only6);
	if (ports && tcp_port_filter(&pred, ports, "$sk->__sk_common.skc_num")) {
		fputs("ERROR: tcpaccept: -P takes ports 1 to 65535 separated by commas\n", stderr);
		goto out;
	}
	sb_printf(&script,
		  "tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept /args.ret >= 0/ {\n"
		  "  $sk = " TCP_ACCEPTED_SK ";\n"
		  "  if (%s) {\n"
		  "    printf(\"%%d %%s %%d %%d %%d %%d %%s %%s %%s %%s\", pid, comm, $sk->__sk_common.skc_family,\n"
		  "           $sk->__sk_common.skc_num, " TCP_SK_DPORT ", nsecs, " TCP_SK_ADDR_ARGS ");\n"
		  "  }\n}\n",
		  sb_str(&pred));
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
out:
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
