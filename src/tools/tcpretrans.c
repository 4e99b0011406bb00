/*
 * sonde tcpretrans: TCP retransmits, one line each or counted per flow
 * (-c), BCC tcpretrans' flags and columns, from tcp:tcp_retransmit_skb.
 * Retransmits run from timers and softirq, so no process filter applies;
 * a command after -- only bounds the run.
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
	"usage: sonde tcpretrans [-h] [-s] [-l] [-c] [-4 | -6] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP retransmits.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -l, --lossprobe       include tail loss probe attempts (needs kprobes: refused on this kernel)\n"
	"  -s, --sequence        display TCP sequence numbers\n"
	"  -c, --count           count occurred retransmits per flow\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per retransmit\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached and stop when it ends (every\n"
	"                        retransmit is shown: they run in softirq, not in a process)\n"
	"\n"
	"PID is the task on the CPU when the retransmit ran, usually 0.\n"
	"\n"
	"examples:\n"
	"    ./tcpretrans           # trace TCP retransmits\n"
	"    ./tcpretrans -c        # count retransmits per flow\n";

struct retrans {
	int count, json, seq;
	struct tcp_flows flows;
};

static void on_attached(struct session *s, void *arg)
{
	struct retrans *rt = arg;
	if (rt->json)
		return;
	fputs("Tracing retransmits ... Hit Ctrl-C to end\n", s->out);
	if (!rt->count && rt->seq)
		fprintf(s->out, "%-8s %-7s %-2s %-20s %1s> %-20s %-12s %-10s\n", "TIME", "PID", "IP", "LADDR:LPORT", "T",
			"RADDR:RPORT", "STATE", "SEQ");
	else if (!rt->count)
		fprintf(s->out, "%-8s %-7s %-2s %-20s %1s> %-20s %-4s\n", "TIME", "PID", "IP", "LADDR:LPORT", "T", "RADDR:RPORT",
			"STATE");
}

/* printf(FMT, pid, family, sport, dport, state, seq, saddr, daddr, saddr6, daddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct retrans *rt = arg;
	int64_t v[6];
	for (int i = 0; i < 6; i++)
		memcpy(&v[i], data + r->offs[i], 8);
	int v6 = v[1] == 10;
	struct strbuf la = { 0 }, ra = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &la, &ra);
	if (rt->count) {
		char l[64], rr[64], full[160];
		snprintf(l, sizeof(l), "[%s]#%lld", sb_str(&la), (long long)v[2]);
		snprintf(rr, sizeof(rr), "[%s]#%lld", sb_str(&ra), (long long)v[3]);
		snprintf(full, sizeof(full), "%-20s <-> %-20s", l, rr);
		tcp_flows_add(&rt->flows, full);
	} else if (rt->json) {
		sb_printf(&out, "{\"type\": \"tcp_retransmit\", \"data\": {\"pid\": %lld, \"ip\": %d, \"laddr\": \"%s\", \"lport\": %lld, "
			  "\"raddr\": \"%s\", \"rport\": %lld, \"state\": \"%s\", \"seq\": %llu}}\n", (long long)v[0], v6 ? 6 : 4,
			  sb_str(&la), (long long)v[2], sb_str(&ra), (long long)v[3], tcp_state_name(v[4]),
			  (unsigned long long)(uint32_t)v[5]);
	} else {
		char now[16], l[80], rr[80];
		tk_clock(now, sizeof(now));
		snprintf(l, sizeof(l), "%s:%lld", sb_str(&la), (long long)v[2]);
		snprintf(rr, sizeof(rr), "%s:%lld", sb_str(&ra), (long long)v[3]);
		if (rt->seq)
			sb_printf(&out, "%-8s %-7lld %-2d %-20s %1s> %-20s %-12s %-10u\n", now, (long long)v[0], v6 ? 6 : 4, l, "R",
				  rr, tcp_state_name(v[4]), (uint32_t)v[5]);
		else
			sb_printf(&out, "%-8s %-7lld %-2d %-20s %1s> %-20s %s\n", now, (long long)v[0], v6 ? 6 : 4, l, "R", rr,
				  tcp_state_name(v[4]));
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&la);
	sb_free(&ra);
}

static void at_end(struct session *s, void *arg)
{
	struct retrans *rt = arg;
	fprintf(s->out, "\n%-25s %-25s %-10s\n", "LADDR:LPORT", "RADDR:RPORT", "RETRANSMITS");
	tcp_flows_print(s->out, &rt->flows, "%10ld");
}

int tool_tcpretrans(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "lossprobe", no_argument, NULL, 'l' }, { "count", no_argument, NULL, 'c' },
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "sequence", no_argument, NULL, 's' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct retrans rt = { 0 };
	struct tk_run run = { .tool = "tcpretrans", .arg = &rt, .quiet_exit = 1, .command_family = 1 };
	int only4 = 0, only6 = 0, c;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "lc46sh", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			fputs("ERROR: tcpretrans: -l: tail loss probes have no tracepoint; they need kprobes or fentry on "
			      "tcp_send_loss_probe, which this kernel does not offer to BPF\n", stderr);
			return 1;
		case 's': rt.seq = 1; break;
		case 'c': rt.count = 1; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case OPT_JSON: rt.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcpretrans: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcpretrans", argc, argv))
		return 2;
	struct strbuf script = { 0 };
	sb_puts(&script, "tracepoint:tcp:tcp_retransmit_skb");
	if (only4 || only6)
		sb_printf(&script, " /args.family == %d/", only4 ? 2 : 10);
	/* the sequence number is in the skb's control block, struct tcp_skb_cb laid over skb->cb */
	sb_puts(&script, " {\n  $cb = (struct tcp_skb_cb *)((struct sk_buff *)args.skbaddr)->cb;\n"
			 "  printf(\"%d %d %d %d %d %d %s %s %s %s\", pid, args.family, args.sport, args.dport, args.state,\n"
			 "         $cb->seq, " TCP_ADDR_ARGS ");\n}\n");
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	run.summary = rt.count ? at_end : NULL;
	int rc = tk_run(&run);
	tcp_flows_free(&rt.flows);
	sb_free(&script);
	return rc;
}
