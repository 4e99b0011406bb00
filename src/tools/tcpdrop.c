/*
 * sonde tcpdrop: TCP packets the kernel drops, with the reason, BCC
 * tcpdrop's columns, from skb:kfree_skb (no kprobes). The packet's own
 * headers give the addresses, ports and flags (skb->head plus the network
 * and transport header offsets); the socket it was for (rx_sk, else
 * skb->sk) gives the state; the reason's name comes from the kernel's own
 * enum skb_drop_reason in BTF, so new reasons need no code here.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include "../out/stacks.h"
#include "../sym/resolve.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcpdrop [-h] [-S] [-p PID] [-P PORT] [-4 | -6] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Trace TCP drops by the kernel\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -S, --nostack         do not print the kernel stack of each drop\n"
	"  -p PID, --pid PID     only drops while this process is on the CPU\n"
	"  -P PORT, --port PORT  only packets from or to these ports (comma-separated)\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per drop\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached and stop when it ends\n"
	"\n"
	"PID and COMM are the task on the CPU when the packet was dropped (packets are\n"
	"often received in softirq, on behalf of another task: 0 is the idle task).\n"
	"STATE is that of the socket the packet was for, '-' when there is none (NO_SOCKET).\n"
	"\n"
	"examples:\n"
	"    ./tcpdrop           # trace kernel TCP drops\n"
	"    ./tcpdrop -S        # without the kernel stacks\n"
	"    ./tcpdrop -P 443    # drops of packets from or to port 443\n";

struct tcpdrop {
	int nostack, json;
	struct tcp_drop_reasons reasons;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcpdrop *d = arg;
	if (d->json)
		return;
	fprintf(s->out, "%-8s %-7s %-16s %-2s %-20s > %-20s %-12s %-16s %s\n", "TIME", "PID", "COMM", "IP", "SADDR:SPORT",
		"DADDR:DPORT", "STATE", "(FLAGS)", "REASON");
}

/* "SYN|ACK" for the flags byte of a TCP header */
static void flag_names(char *buf, size_t n, unsigned flags)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR" };
	size_t len = 0;
	buf[0] = 0;
	for (int i = 0; i < 8 && len < n; i++)
		if (flags & (1u << i))
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "|" : "", names[i]);
}

/* printf(FMT, pid, comm, v6, sport, dport, flags, state, reason, kstack, saddr, daddr, saddr6, daddr6) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct tcpdrop *d = arg;
	int64_t v[8];
	for (int i = 0; i < 8; i++)
		if (i != 1)
			memcpy(&v[i], data + r->offs[i], 8);
	char comm[17], flags[64], clock[16];
	snprintf(comm, sizeof(comm), "%.16s", (const char *)data + r->offs[1]);
	flag_names(flags, sizeof(flags), (unsigned)v[5]);
	tk_clock(clock, sizeof(clock));
	int v6 = v[2] != 0;
	const char *state = v[6] < 0 ? "-" : tcp_state_name(v[6]);
	const char *reason = tcp_drop_reason_name(&d->reasons, v[7]);
	struct strbuf sa = { 0 }, da = { 0 }, out = { 0 };
	tcp_record_addrs(s, r, data, v6, &sa, &da);
	uint64_t ips[STACK_MAX_FRAMES], hash;
	memcpy(&hash, data + r->offs[8], 8);
	int n = d->nostack || !hash ? 0 : stack_frames(s->vc.stacks_fd, hash, ips, STACK_MAX_FRAMES);
	if (d->json) {
		sb_printf(&out, "{\"type\": \"tcp_drop\", \"data\": {\"time\": \"%s\", \"pid\": %lld, \"comm\": ", clock,
			  (long long)v[0]);
		json_escape(&out, comm, strlen(comm));
		sb_printf(&out, ", \"ip\": %d, \"saddr\": \"%s\", \"sport\": %lld, \"daddr\": \"%s\", \"dport\": %lld, "
			  "\"state\": \"%s\", \"flags\": \"%s\", \"reason\": \"%s\", \"kstack\": [",
			  v6 ? 6 : 4, sb_str(&sa), (long long)v[3], sb_str(&da), (long long)v[4], state, flags, reason);
		for (int i = 0; i < n; i++) {
			struct sym_info si = { 0 };
			sb_puts(&out, i ? ", " : "");
			if (sym_kernel_info(s->vc.syms, ips[i], &si))
				sb_printf(&out, "\"%s+0x%llx\"", si.name, (unsigned long long)si.offset);
			else
				sb_printf(&out, "\"0x%llx\"", (unsigned long long)ips[i]);
		}
		sb_puts(&out, "]}}\n");
	} else {
		char src[80], dst[80], fl[80];
		snprintf(src, sizeof(src), v6 ? "[%s]:%lld" : "%s:%lld", sb_str(&sa), (long long)v[3]);
		snprintf(dst, sizeof(dst), v6 ? "[%s]:%lld" : "%s:%lld", sb_str(&da), (long long)v[4]);
		snprintf(fl, sizeof(fl), "(%s)", flags);
		sb_printf(&out, "%-8s %-7lld %-16s %-2d %-20s > %-20s %-12s %-16s %s\n", clock, (long long)v[0], comm,
			  v6 ? 6 : 4, src, dst, state, fl, reason);
		for (int i = 0; i < n; i++) {
			struct sym_info si = { 0 };
			if (sym_kernel_info(s->vc.syms, ips[i], &si))
				sb_printf(&out, "\t%s+0x%llx\n", si.name, (unsigned long long)si.offset);
			else
				sb_printf(&out, "\t0x%llx\n", (unsigned long long)ips[i]);
		}
		if (n)
			sb_putc(&out, '\n');
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	sb_free(&sa);
	sb_free(&da);
}

int tool_tcpdrop(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "nostack", no_argument, NULL, 'S' }, { "pid", required_argument, NULL, 'p' },
		{ "port", required_argument, NULL, 'P' }, { "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcpdrop d = { 0 };
	struct tk_run run = { .tool = "tcpdrop", .arg = &d, .quiet_exit = 1, .command_family = 1 };
	struct strbuf pred = { 0 }, sports = { 0 }, dports = { 0 }, script = { 0 };
	const char *ports = NULL;
	int only4 = 0, only6 = 0, c, rc = 1, pid = 0;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "Sp:P:46h", longopts, NULL)) != -1) {
		switch (c) {
		case 'S': d.nostack = 1; break;
		case 'p':
			if (tk_parse_pid("tcpdrop", optarg, &pid))
				return 1;
			break;
		case 'P': ports = optarg; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case OPT_JSON: d.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcpdrop: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcpdrop", argc, argv))
		return 2;
	if (tcp_drop_reasons_load(&d.reasons)) {
		fputs("ERROR: tcpdrop: the kernel's BTF has no enum skb_drop_reason (/sys/kernel/btf/vmlinux): "
		      "the drop reasons cannot be named\n", stderr);
		return 1;
	}
	sb_puts(&pred, "1");
	if (pid)
		sb_printf(&pred, " && pid == %d", pid);
	if (ports) {
		if (tcp_port_filter(&sports, ports, "$sport") || tcp_port_filter(&dports, ports, "$dport")) {
			fputs("ERROR: tcpdrop: -P takes ports 1 to 65535 separated by commas\n", stderr);
			goto out;
		}
		sb_printf(&pred, " && (1%s || 1%s)", sb_str(&sports), sb_str(&dports));
	}
	/* ETH_P_IP and ETH_P_IPV6, as the tracepoint gives skb->protocol: in host order */
	const char *families = only4 ? "args.protocol == 0x0800" : only6 ? "args.protocol == 0x86DD"
							    : "(args.protocol == 0x0800 || args.protocol == 0x86DD)";
	sb_printf(&script,
		  "tracepoint:skb:kfree_skb /%s/ {\n"
		  "  $skb = (struct sk_buff *)args.skbaddr;\n"
		  "  $nh = $skb->head + $skb->network_header;\n"
		  "  $th = $skb->head + $skb->transport_header;\n"
		  "  $v6 = args.protocol == 0x86DD;\n"
		  "  $proto = $v6 ? ((struct ipv6hdr *)$nh)->nexthdr : ((struct iphdr *)$nh)->protocol;\n"
		  "  if ($proto == 6) {\n"
		  "    $sport = ((struct tcphdr *)$th)->source; $sport = (($sport & 0xff) << 8) | ($sport >> 8);\n"
		  "    $dport = ((struct tcphdr *)$th)->dest; $dport = (($dport & 0xff) << 8) | ($dport >> 8);\n"
		  "    $sk = (struct sock *)(args.rx_sk ? (uint64)args.rx_sk : (uint64)$skb->sk);\n"
		  "    $state = $sk ? (int64)$sk->__sk_common.skc_state : -1;\n"
		  "    if (%s) {\n"
		  "      printf(\"%%d %%s %%d %%d %%d %%d %%d %%d %s %%s %%s %%s %%s\", pid, comm, $v6, $sport, $dport,\n"
		  "             *(uint8 *)($th + 13), $state, args.reason, %s,\n"
		  "             ntop(((struct iphdr *)$nh)->saddr), ntop(((struct iphdr *)$nh)->daddr),\n"
		  "             ntop(((struct ipv6hdr *)$nh)->saddr.in6_u.u6_addr8), ntop(((struct ipv6hdr *)$nh)->daddr.in6_u.u6_addr8));\n"
		  "    }\n"
		  "  }\n"
		  "}\n",
		  families, sb_str(&pred), d.nostack ? "%d" : "%s", d.nostack ? "0" : "kstack");
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	rc = tk_run(&run);
out:
	tcp_drop_reasons_free(&d.reasons);
	sb_free(&pred);
	sb_free(&sports);
	sb_free(&dports);
	sb_free(&script);
	return rc;
}
