/*
 * sonde tcpstates: every TCP state change with the time the socket spent in
 * its previous state, BCC tcpstates' flags and columns, from
 * sock:inet_sock_set_state (no kprobes). The script keeps each socket's
 * last change and sends a record per change; this file prints it.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <systemd/sd-journal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde tcpstates [-h] [-T] [-t] [-w] [-s] [-L LOCALPORT] [-D REMOTEPORT] [-Y] [-4 | -6] [-p PID] [--json]\n"
	"                       [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP session state changes and durations.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -T, --time            include time column on output (HH:MM:SS)\n"
	"  -t, --timestamp       include timestamp on output (seconds)\n"
	"  -w, --wide            wide column output (fits IPv6 addresses)\n"
	"  -s, --csv             comma separated values output\n"
	"  -Y, --journal         log session state changes to the systemd journal\n"
	"  -L LOCALPORT, --localport LOCALPORT\n"
	"                        comma-separated list of local ports to trace.\n"
	"  -D REMOTEPORT, --remoteport REMOTEPORT\n"
	"                        comma-separated list of remote ports to trace.\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  -p PID, --pid PID     changes made while this process runs only (C-PID is the task on CPU:\n"
	"                        a change in softirq context shows another one)\n"
	"  --json                one JSON object per change\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace it only, end with it\n"
	"\n"
	"examples:\n"
	"    ./tcpstates           # trace all TCP state changes\n"
	"    ./tcpstates -t        # include timestamp column\n"
	"    ./tcpstates -T        # include time column (HH:MM:SS)\n"
	"    ./tcpstates -w        # wider columns (fit IPv6)\n"
	"    ./tcpstates -stT      # csv output, with times & timestamps\n"
	"    ./tcpstates -L 80     # only trace local port 80\n"
	"    ./tcpstates -L 80,81  # only trace local ports 80 and 81\n"
	"    ./tcpstates -D 80     # only trace remote port 80\n";

struct tcpstates {
	int time_col, ts_col, wide, csv, json, journal, journal_failed;
	uint64_t first_ns;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcpstates *ts = arg;
	if (ts->json)
		return;
	if (ts->csv) {
		fprintf(s->out, "%s%sSKADDR,C-PID,C-COMM,IP,LADDR,LPORT,RADDR,RPORT,OLDSTATE,NEWSTATE,MS\n",
			ts->time_col ? "TIME," : "", ts->ts_col ? "TIME(s)," : "");
		return;
	}
	if (ts->time_col)
		fprintf(s->out, "%-8s ", "TIME");
	if (ts->ts_col)
		fprintf(s->out, "%-9s ", "TIME(s)");
	if (ts->wide)
		fprintf(s->out, "%-16s %-5s %-16.16s %-2s %-39s %-5s %-39s %-5s %-11s -> %-11s %s\n", "SKADDR", "C-PID",
			"C-COMM", "IP", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE", "NEWSTATE", "MS");
	else
		fprintf(s->out, "%-16s %-5s %-10.10s %s%-15s %-5s %-15s %-5s %-11s -> %-11s %s\n", "SKADDR", "C-PID", "C-COMM",
			"", "LADDR", "LPORT", "RADDR", "RPORT", "OLDSTATE", "NEWSTATE", "MS");
}

#define JOURNAL_SOCKET "/run/systemd/journal/socket"

/* -Y: one journal entry per change, with BCC's fields, so that journalctl queries written for BCC work. */
static void to_journal(struct session *s, struct tcpstates *ts, int64_t pid, const char *comm, int v6, const char *laddr,
		       int64_t lport, const char *raddr, int64_t rport, const char *old, const char *new, int64_t span_ns)
{
	const char *ip = v6 ? "IPV6" : "IPV4";
	int err = sd_journal_send("MESSAGE=%s %s %lld -> %s %lld %s -> %s", comm, laddr, (long long)lport, raddr,
				  (long long)rport, old, new, "SYSLOG_IDENTIFIER=tcpstates", "PRIORITY=5",
				  "OBJECT_PID=%lld", (long long)pid, "OBJECT_COMM=%s", comm, "OBJECT_%s_SOURCE_ADDRESS=%s", ip,
				  laddr, "OBJECT_TCP_SOURCE_PORT=%lld", (long long)lport, "OBJECT_%s_DESTINATION_ADDRESS=%s", ip,
				  raddr, "OBJECT_TCP_DESTINATION_PORT=%lld", (long long)rport, "OBJECT_TCP_OLD_STATE=%s", old,
				  "OBJECT_TCP_NEW_STATE=%s", new, "OBJECT_TCP_SPAN_TIME=%lld", (long long)(span_ns / 1000), NULL);
	if (err < 0 && !ts->journal_failed++) {	/* said once: the lines still go to the output */
		fprintf(stderr, "ERROR: tcpstates: -Y: cannot write to the systemd journal (%s): %s\n", JOURNAL_SOCKET,
			strerror(-err));
		s->exit_code = 1;
	}
}

/* printf(FMT, skaddr, pid, comm, family, sport, dport, old, new, delta_ns, ts, saddr, daddr, saddr6, daddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct tcpstates *ts = arg;
	int64_t v[10];
	for (int i = 0; i < 10; i++)
		if (i != 2)
			memcpy(&v[i], data + r->offs[i], 8);
	char comm[17];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[2]);
	int v6 = v[3] == 10;
	struct strbuf la = { 0 }, ra = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &la, &ra);
	uint64_t now = (uint64_t)v[9];
	if (!ts->first_ns)
		ts->first_ns = now;
	double ms = (double)v[8] / 1e6, secs = (double)(now - ts->first_ns) / 1e9;
	const char *old = tcp_state_name(v[6]), *new = tcp_state_name(v[7]);
	char clock[16] = "";
	if (ts->time_col)
		tk_clock(clock, sizeof(clock));
	if (ts->json) {
		sb_printf(&out, "{\"type\": \"tcp_state\", \"data\": {\"skaddr\": \"%llx\", \"pid\": %lld, \"comm\": ",
			  (unsigned long long)v[0], (long long)v[1]);
		json_escape(&out, comm, strlen(comm));
		sb_printf(&out, ", \"ip\": %d, \"laddr\": \"%s\", \"lport\": %lld, \"raddr\": \"%s\", \"rport\": %lld, "
			  "\"oldstate\": \"%s\", \"newstate\": \"%s\", \"ms\": %.3f, \"time_s\": %.6f}}\n",
			  v6 ? 6 : 4, sb_str(&la), (long long)v[4], sb_str(&ra), (long long)v[5], old, new, ms, secs);
	} else if (ts->csv) {
		if (ts->time_col)
			sb_printf(&out, "%s,", clock);
		if (ts->ts_col)
			sb_printf(&out, "%.6f,", secs);
		sb_printf(&out, "%llx,%lld,%s,%d,%s,%lld,%s,%lld,%s,%s,%.3f\n", (unsigned long long)v[0], (long long)v[1], comm,
			  v6 ? 6 : 4, sb_str(&la), (long long)v[4], sb_str(&ra), (long long)v[5], old, new, ms);
	} else {
		if (ts->time_col)
			sb_printf(&out, "%-8s ", clock);
		if (ts->ts_col)
			sb_printf(&out, "%-9.6f ", secs);
		if (ts->wide)
			sb_printf(&out, "%-16llx %-5lld %-16.16s %-2d %-39s %-5lld %-39s %-5lld %-11s -> %-11s %.3f\n",
				  (unsigned long long)v[0], (long long)v[1], comm, v6 ? 6 : 4, sb_str(&la), (long long)v[4],
				  sb_str(&ra), (long long)v[5], old, new, ms);
		else
			sb_printf(&out, "%-16llx %-5lld %-10.10s %s%-15s %-5lld %-15s %-5lld %-11s -> %-11s %.3f\n",
				  (unsigned long long)v[0], (long long)v[1], comm, "", sb_str(&la), (long long)v[4], sb_str(&ra),
				  (long long)v[5], old, new, ms);
	}
	fputs(sb_str(&out), s->out);
	if (ts->journal)
		to_journal(s, ts, v[1], comm, v6, sb_str(&la), v[4], sb_str(&ra), v[5], old, new, v[8]);
	sb_free(&out);
	sb_free(&la);
	sb_free(&ra);
}

int tool_tcpstates(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "time", no_argument, NULL, 'T' }, { "timestamp", no_argument, NULL, 't' },
		{ "wide", no_argument, NULL, 'w' }, { "csv", no_argument, NULL, 's' },
		{ "localport", required_argument, NULL, 'L' }, { "remoteport", required_argument, NULL, 'D' },
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "pid", required_argument, NULL, 'p' }, { "json", no_argument, NULL, OPT_JSON },
		{ "journal", no_argument, NULL, 'Y' },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcpstates ts = { 0 };
	struct tk_run run = { .tool = "tcpstates", .arg = &ts, .quiet_exit = 1 };
	const char *lports = NULL, *rports = NULL;
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "TtwsL:D:Y46p:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'T': ts.time_col = 1; break;
		case 't': ts.ts_col = 1; break;
		case 'w': ts.wide = 1; break;
		case 's': ts.csv = 1; break;
		case 'Y': ts.journal = 1; break;
		case 'L': lports = optarg; break;
		case 'D': rports = optarg; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case 'p':
			if (tk_parse_pid("tcpstates", optarg, &run.pid))
				return 1;
			break;
		case OPT_JSON: ts.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcpstates: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcpstates", argc, argv))
		return 2;
	/* libsystemd drops entries silently when there is no journal: say it before tracing */
	if (ts.journal && access(JOURNAL_SOCKET, W_OK)) {
		fprintf(stderr, "ERROR: tcpstates: -Y: no systemd journal to write to (%s: %s)\n", JOURNAL_SOCKET, strerror(errno));
		return 1;
	}
	struct strbuf pred = { 0 }, script = { 0 };
	tcp_base_filter(&pred, only4, only6);
	if ((lports && tcp_port_filter(&pred, lports, "args.sport")) || (rports && tcp_port_filter(&pred, rports, "args.dport"))) {
		fprintf(stderr, "ERROR: tcpstates: -L and -D take ports 1 to 65535 separated by commas\n");
		goto out;
	}
	sb_printf(&script, "tracepoint:sock:inet_sock_set_state /%s/ {\n"
		  "  $sk = (uint64)args.skaddr; $last = @last[$sk];\n"
		  "  printf(\"%%d %%d %%s %%d %%d %%d %%d %%d %%d %%d %%s %%s %%s %%s\", $sk, pid, comm, args.family, args.sport, args.dport,\n"
		  "         args.oldstate, args.newstate, $last ? nsecs - $last : 0, nsecs,\n"
		  "         " TCP_ADDR_ARGS ");\n"
		  "  if (args.newstate == 7) { delete(@last[$sk]); } else { @last[$sk] = nsecs; }\n}\n",
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
