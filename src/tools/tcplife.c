/*
 * sonde tcplife: one line per closed TCP session with its bytes and
 * lifetime, BCC tcplife's flags and columns, from sock:inet_sock_set_state
 * (no kprobes). Birth is the first change into a state before FIN_WAIT1;
 * the process is noted at SYN_SENT and LAST_ACK (the task on CPU then is
 * the socket's user; the one at CLOSE often is not); bytes come from the
 * kernel's struct tcp_sock behind skaddr (BTF) when the socket closes.
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

static const char usage[] =
	"usage: sonde tcplife [-h] [-T] [-t] [-w] [-s] [-p PID] [-L LOCALPORT] [-D REMOTEPORT] [-4 | -6] [--json]\n"
	"                     [-- CMD [ARG...]]\n"
	"\n"
	"Trace the lifespan of TCP sessions and summarize.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -T, --time            include time column on output (HH:MM:SS)\n"
	"  -t, --timestamp       include timestamp on output (seconds)\n"
	"  -w, --wide            wide column output (fits IPv6 addresses)\n"
	"  -s, --csv             comma separated values output\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -L LOCALPORT, --localport LOCALPORT\n"
	"                        comma-separated list of local ports to trace.\n"
	"  -D REMOTEPORT, --remoteport REMOTEPORT\n"
	"                        comma-separated list of remote ports to trace.\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per session\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace its sessions only, end with it\n"
	"\n"
	"examples:\n"
	"    ./tcplife           # trace all TCP connect()s\n"
	"    ./tcplife -t        # include time column (HH:MM:SS)\n"
	"    ./tcplife -w        # wider columns (fit IPv6)\n"
	"    ./tcplife -stT      # csv output, with times & timestamps\n"
	"    ./tcplife -p 181    # only trace PID 181\n"
	"    ./tcplife -L 80     # only trace local port 80\n"
	"    ./tcplife -L 80,81  # only trace local ports 80 and 81\n"
	"    ./tcplife -D 80     # only trace remote port 80\n";

struct tcplife {
	int time_col, ts_col, wide, csv, json, pid, command;
	uint64_t first_ns;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcplife *tl = arg;
	if (tl->json)
		return;
	if (tl->csv) {
		fprintf(s->out, "%s%sPID,COMM,IP,LADDR,LPORT,RADDR,RPORT,TX_KB,RX_KB,MS\n", tl->time_col ? "TIME," : "",
			tl->ts_col ? "TIME(s)," : "");
		return;
	}
	if (tl->time_col)
		fprintf(s->out, "%-8s ", "TIME");
	if (tl->ts_col)
		fprintf(s->out, "%-9s ", "TIME(s)");
	if (tl->wide)
		fprintf(s->out, "%-5s %-16.16s %-2s %-39s %-5s %-39s %-5s %6s %6s %s\n", "PID", "COMM", "IP", "LADDR", "LPORT",
			"RADDR", "RPORT", "TX_KB", "RX_KB", "MS");
	else
		fprintf(s->out, "%-5s %-10.10s %s%-15s %-5s %-15s %-5s %5s %5s %s\n", "PID", "COMM", "", "LADDR", "LPORT", "RADDR",
			"RPORT", "TX_KB", "RX_KB", "MS");
}

/* printf(FMT, wpid, wcomm, pid, comm, family, sport, dport, life_ns, acked, received, ts, saddr, daddr, saddr6, daddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct tcplife *tl = arg;
	int64_t v[11];
	for (int i = 0; i < 11; i++)
		if (i != 1 && i != 3)
			memcpy(&v[i], data + r->offs[i], 8);
	/* the process noted at SYN_SENT or LAST_ACK, else the task on CPU at the close */
	int noted = v[0] != 0;
	int64_t pid = noted ? v[0] : v[2];
	int want = tl->command ? s->script.cpid : tl->pid;
	if (want && pid != want)
		return;
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[noted ? 1 : 3]);
	int v6 = v[4] == 10;
	struct strbuf la = { 0 }, ra = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &la, &ra);
	uint64_t now = (uint64_t)v[10];
	if (!tl->first_ns)
		tl->first_ns = now;
	double ms = (double)v[7] / 1e6, secs = (double)(now - tl->first_ns) / 1e9;
	long long tx = v[8] / 1024, rx = v[9] / 1024;
	char clock[16] = "";
	if (tl->time_col)
		tk_clock(clock, sizeof(clock));
	if (tl->json) {
		sb_printf(&out, "{\"type\": \"tcp_session\", \"data\": {\"pid\": %lld, \"comm\": ", (long long)pid);
		json_escape(&out, comm, strlen(comm));
		sb_printf(&out, ", \"ip\": %d, \"laddr\": \"%s\", \"lport\": %lld, \"raddr\": \"%s\", \"rport\": %lld, "
			  "\"tx_bytes\": %lld, \"rx_bytes\": %lld, \"ms\": %.2f, \"time_s\": %.6f}}\n",
			  v6 ? 6 : 4, sb_str(&la), (long long)v[5], sb_str(&ra), (long long)v[6], (long long)v[8],
			  (long long)v[9], ms, secs);
	} else if (tl->csv) {
		if (tl->time_col)
			sb_printf(&out, "%s,", clock);
		if (tl->ts_col)
			sb_printf(&out, "%.6f,", secs);
		sb_printf(&out, "%lld,%s,%d,%s,%lld,%s,%lld,%lld,%lld,%.2f\n", (long long)pid, comm, v6 ? 6 : 4, sb_str(&la),
			  (long long)v[5], sb_str(&ra), (long long)v[6], tx, rx, ms);
	} else {
		if (tl->time_col)
			sb_printf(&out, "%-8s ", clock);
		if (tl->ts_col)
			sb_printf(&out, "%-9.6f ", secs);
		if (tl->wide)
			sb_printf(&out, "%-5lld %-16.16s %-2d %-39s %-5lld %-39s %-5lld %6lld %6lld %.2f\n", (long long)pid, comm,
				  v6 ? 6 : 4, sb_str(&la), (long long)v[5], sb_str(&ra), (long long)v[6], tx, rx, ms);
		else
			sb_printf(&out, "%-5lld %-10.10s %s%-15s %-5lld %-15s %-5lld %5lld %5lld %.2f\n", (long long)pid, comm, "",
				  sb_str(&la), (long long)v[5], sb_str(&ra), (long long)v[6], tx, rx, ms);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&la);
	sb_free(&ra);
}

int tool_tcplife(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "time", no_argument, NULL, 'T' }, { "timestamp", no_argument, NULL, 't' },
		{ "wide", no_argument, NULL, 'w' }, { "csv", no_argument, NULL, 's' },
		{ "pid", required_argument, NULL, 'p' }, { "localport", required_argument, NULL, 'L' },
		{ "remoteport", required_argument, NULL, 'D' }, { "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcplife tl = { 0 };
	struct tk_run run = { .tool = "tcplife", .arg = &tl, .quiet_exit = 1 };
	const char *lports = NULL, *rports = NULL;
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "TtwsL:D:46p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'T': tl.time_col = 1; break;
		case 't': tl.ts_col = 1; break;
		case 'w': tl.wide = 1; break;
		case 's': tl.csv = 1; break;
		case 'L': lports = optarg; break;
		case 'D': rports = optarg; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case 'p':
			/* the session's owner is known only at SYN_SENT/LAST_ACK, and the close runs in
			 * softirq: the filter is on the noted process, in user space */
			if (tk_parse_pid("tcplife", optarg, &tl.pid))
				return 1;
			break;
		case OPT_JSON: tl.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcplife: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcplife", argc, argv))
		return 2;
	run.command_family = 1;	/* its sessions close in softirq too: filtered on the noted process */
	struct strbuf pred = { 0 }, script = { 0 };
	tcp_base_filter(&pred, only4, only6);
	if ((lports && tcp_port_filter(&pred, lports, "args.sport")) || (rports && tcp_port_filter(&pred, rports, "args.dport"))) {
		fprintf(stderr, "ERROR: tcplife: -L and -D take ports 1 to 65535 separated by commas\n");
		goto out;
	}
	sb_printf(&script, "tracepoint:sock:inet_sock_set_state /%s/ {\n"
		  "  $sk = (uint64)args.skaddr;\n"
		  "  if (args.newstate < 4 && @birth[$sk] == 0) { @birth[$sk] = nsecs; }\n"
		  "  if (args.newstate == 2 || args.newstate == 9) { @wpid[$sk] = pid; @wcomm[$sk] = comm; }\n"
		  "  if (args.newstate == 7) {\n"
		  "    if (@birth[$sk] != 0) {\n"
		  "      $tp = (struct tcp_sock *)args.skaddr;\n"
		  "      printf(\"%%d %%s %%d %%s %%d %%d %%d %%d %%d %%d %%d %%s %%s %%s %%s\", @wpid[$sk], @wcomm[$sk], pid, comm,\n"
		  "             args.family, args.sport, args.dport, nsecs - @birth[$sk], $tp->bytes_acked, $tp->bytes_received, nsecs,\n"
		  "             " TCP_ADDR_ARGS ");\n"
		  "    }\n"
		  "    delete(@birth[$sk]); delete(@wpid[$sk]); delete(@wcomm[$sk]);\n"
		  "  }\n}\n",
		  sb_str(&pred));
	tl.command = run.command != NULL;	/* its sessions only, by the process noted for them */
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
out:
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
