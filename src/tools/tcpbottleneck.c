/*
 * sonde tcpbottleneck: what held each TCP transfer back, live: the peer's
 * receive window, the sender's own buffer, the network (loss, cwnd cuts) or
 * the application (nothing to send). The kernel already times the first
 * three per socket (struct tcp_sock's chrono_type/chrono_start/chrono_stat[],
 * the figures `ss -ti` prints as busy/rwnd_limited/sndbuf_limited); the
 * script reads them through BTF at close, and with -i from the first ACK a
 * socket receives after each interval (tcp:tcp_probe), so a live transfer
 * costs one map lookup per ACK and a record per interval. The process is
 * the one noted at connect() (SYN_SENT) or at accept()'s return.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include "../rt/session.h"
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcpbottleneck [-h] [-p PID] [-P PORT] [-i SECS] [-d SECS] [--min-bytes N] [-4 | -6] [--json]\n"
	"                           [-- CMD [ARG...]]\n"
	"\n"
	"What limits each TCP transfer's throughput: the receiver's window, the send buffer,\n"
	"the network or the application. One line per connection that sent data, at its close,\n"
	"and with -i one per interval for each connection that sent in it.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -p PID, --pid PID     only connections of this process (noted at connect or accept)\n"
	"  -P PORT, --port PORT  only connections with this local or remote port (comma-separated list)\n"
	"  -i SECS, --interval SECS\n"
	"                        also print the live connections every SECS seconds, figures over the interval\n"
	"  -d SECS, --duration SECS\n"
	"                        total duration of trace, seconds\n"
	"  --min-bytes N         only connections that sent at least N bytes of data (default 1)\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per line\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached and stop when it ends\n"
	"\n"
	"BUSY% is the share of the time the sender had data out (ss -ti's busy); RWND% and SNDBUF%\n"
	"are shares of that busy time, as ss -ti prints rwnd_limited and sndbuf_limited.\n"
	"Verdicts, the first that holds:\n"
	"  application    nothing to send more than half of the time: the sender did not write faster\n"
	"  receiver       the peer's advertised window was full 20% of the busy time or more\n"
	"  sender-buffer  the send buffer was full 20% of the busy time or more\n"
	"  network        0.5% or more of the segments retransmitted: loss held cwnd down\n"
	"  none           sending, with no window, buffer or loss limit (the path's own pace)\n"
	"  short          under 10 ticks of the kernel's clock (40 ms at 250 Hz): too short to tell\n"
	"Connections still open at the end are printed with what they have done so far.\n"
	"\n"
	"examples:\n"
	"    ./tcpbottleneck             # every TCP connection that sent data, at its close\n"
	"    ./tcpbottleneck -i 1        # and each live one every second\n"
	"    ./tcpbottleneck -P 443      # connections to or from port 443\n"
	"    ./tcpbottleneck --min-bytes 1000000  # transfers of 1 MB or more\n";

/* What one record tells of a socket; the chrono times are in ticks, the current one included. */
struct snap {
	uint64_t key;
	int64_t life_ns, sent, received, srtt_us, cwnd, ssthresh, wnd, retrans, cuts, sndbuf, segs;
	int64_t busy, rwnd, sndbuf_lim;	/* chrono: busy (window open), rwnd-limited, sndbuf-limited */
	int64_t pid, family, sport, dport;
	char comm[17];
	char laddr[64], raddr[64];
};

struct live {
	struct snap last, shown;	/* the newest snapshot, and the one the last interval row ended at */
	int has_shown, fresh;
};

struct bottleneck {
	const struct tk_run *run;
	int json, pid, interval;
	long hz;
	int64_t min_bytes;
	struct live *v;
	int n, cap;
};

static void on_attached(struct session *s, void *arg)
{
	struct bottleneck *b = arg;
	if (b->json)
		return;
	fprintf(s->out, "Tracing TCP transfers (clock %ld Hz)... Hit Ctrl-C to end.\n", b->hz);
	fprintf(s->out, "%-6s %-7s %-12s %-23s %-23s %8s %8s %8s %8s %7s %5s %8s %7s %4s %5s %5s %7s %-13s %s\n", "STATE",
		"PID", "COMM", "LADDR:LPORT", "RADDR:RPORT", "TX_KB", "RX_KB", "MS", "MB/s", "SRTT_us", "CWND", "SSTHRESH",
		"RWND_KB", "RETR", "BUSY%", "RWND%", "SNDBUF%", "VERDICT", "REASON");
}

static void human_bytes(char *buf, size_t n, double bytes)
{
	if (bytes >= 1 << 20)
		snprintf(buf, n, "%.1f MiB", bytes / (1 << 20));
	else if (bytes >= 1 << 10)
		snprintf(buf, n, "%.1f KiB", bytes / (1 << 10));
	else
		snprintf(buf, n, "%.0f B", bytes);
}

/* The figures of one line: over the whole life (prev NULL) or since prev. */
struct figures {
	double ms, tx, rx, mbs, busy_pct, rwnd_pct, sndbuf_pct, app_pct, bdp;
	double busy_ms, rwnd_ms, sndbuf_ms;	/* as ss -ti: busy is all three */
	double loss_pct;			/* retransmitted segments per data segment sent */
	int64_t retrans, cuts;
	const char *verdict;
	char reason[256];
};

static void judge(const struct bottleneck *b, const struct snap *now, const struct snap *prev, struct figures *f)
{
	const struct snap zero = { 0 };
	if (!prev)
		prev = &zero;
	double life_s = (double)(now->life_ns - prev->life_ns) / 1e9;
	double tick_s = 1.0 / (double)b->hz;
	double busy = (double)(now->busy - prev->busy) * tick_s, rwnd = (double)(now->rwnd - prev->rwnd) * tick_s;
	double sndbuf = (double)(now->sndbuf_lim - prev->sndbuf_lim) * tick_s;
	double sending = busy + rwnd + sndbuf;	/* ss's busy: any of the three */
	if (life_s < sending)	/* whole ticks against nanoseconds: never more than all of it */
		life_s = sending;
	double app = life_s - sending;
	f->ms = life_s * 1e3;
	f->tx = (double)(now->sent - prev->sent);
	f->rx = (double)(now->received - prev->received);
	f->mbs = life_s > 0 ? f->tx / life_s / 1e6 : 0;
	double pct = life_s > 0 ? 100.0 / life_s : 0;
	f->busy_ms = sending * 1e3;
	f->rwnd_ms = rwnd * 1e3;
	f->sndbuf_ms = sndbuf * 1e3;
	f->busy_pct = sending * pct;
	/* of the busy time, as ss -ti gives them */
	f->rwnd_pct = sending > 0 ? 100.0 * rwnd / sending : 0;
	f->sndbuf_pct = sending > 0 ? 100.0 * sndbuf / sending : 0;
	f->app_pct = app * pct;
	f->retrans = now->retrans - prev->retrans;
	f->cuts = now->cuts - prev->cuts;
	/* the bytes in flight the path needs at the rate it had while sending: rate × RTT */
	f->bdp = sending > 0 ? f->tx / sending * (double)now->srtt_us / 1e6 : 0;
	char wnd[32], buf[32], bdp[32];
	human_bytes(wnd, sizeof(wnd), (double)now->wnd);
	human_bytes(buf, sizeof(buf), (double)now->sndbuf);
	human_bytes(bdp, sizeof(bdp), f->bdp);
	/* loss: retransmits of 0.5 % of the segments or more, those the peer reported as duplicates
	 * (DSACK: spurious, after reordering) left out. Not any cwnd cut: a loopback transfer has CWR
	 * cuts from local queues, and is not held back by them */
	int64_t segs = now->segs - prev->segs;
	f->loss_pct = segs > 0 ? 100.0 * (double)f->retrans / (double)segs : 0;
	int lossy = f->loss_pct >= 0.5;
	/*
	 * The first that holds: mostly nothing to send; the peer's window, then the send buffer, full
	 * a fifth of the busy time or more (either one then is what a faster sender would hit:
	 * the kernel counts the time it stopped sending for it); loss; else nothing held it back.
	 */
	enum { RECEIVER, SENDER_BUFFER, NETWORK, APPLICATION, NONE, SHORT } verdict;
	static const char *const names[] = { "receiver", "sender-buffer", "network", "application", "none", "short" };
	if (app > sending)
		verdict = APPLICATION;
	else if (f->rwnd_pct >= 20)
		verdict = RECEIVER;
	else if (f->sndbuf_pct >= 20)
		verdict = SENDER_BUFFER;
	else if (lossy)
		verdict = NETWORK;
	else
		verdict = NONE;
	/* the kernel times the limits in whole ticks: under ten of them, the shares mean little */
	if (life_s < 10 * tick_s)
		verdict = SHORT;
	f->verdict = names[verdict];
	if (verdict == SHORT)
		snprintf(f->reason, sizeof(f->reason),
			 "%.1f ms: under 10 ticks of the kernel's %ld Hz clock, which times the limits; no verdict", life_s * 1e3,
			 b->hz);
	else if (verdict == RECEIVER)
		snprintf(f->reason, sizeof(f->reason),
			 "the peer's window (now %s) was full %.0f%% of the busy time: it reads slowly or its receive buffer is "
			 "below the BDP (%s at %.2f MB/s x %.2f ms)",
			 wnd, f->rwnd_pct, bdp, f->mbs, (double)now->srtt_us / 1e3);
	else if (verdict == SENDER_BUFFER)
		snprintf(f->reason, sizeof(f->reason),
			 "the send buffer (%s) was full %.0f%% of the busy time: raise SO_SNDBUF/tcp_wmem above the BDP (%s)", buf,
			 f->sndbuf_pct, bdp);
	else if (verdict == NETWORK)
		snprintf(f->reason, sizeof(f->reason),
			 "%lld retransmits (%.1f%% of %lld segments), %lld cwnd cuts, sending %.0f%% of the time: loss holds cwnd "
			 "at %lld segments",
			 (long long)f->retrans, f->loss_pct, (long long)segs, (long long)f->cuts, f->busy_pct, (long long)now->cwnd);
	else if (verdict == APPLICATION)
		snprintf(f->reason, sizeof(f->reason),
			 "nothing to send %.0f%% of the time: the application did not write faster", f->app_pct);
	else
		snprintf(f->reason, sizeof(f->reason),
			 "sending %.0f%% of the time with the window open, no loss: the path's own pace", f->busy_pct);
}

static void print_line(struct session *s, struct bottleneck *b, const char *state, const struct snap *now,
		       const struct snap *prev)
{
	struct figures f;
	judge(b, now, prev, &f);
	struct strbuf out = { 0 };
	int infinite = now->ssthresh >= 0x7fffffff;	/* TCP_INFINITE_SSTHRESH: never cut */
	if (b->json) {
		sb_printf(&out, "{\"type\": \"tcp_bottleneck\", \"data\": {\"state\": \"%s\", \"pid\": %lld, \"comm\": ", state,
			  (long long)now->pid);
		json_escape(&out, now->comm, strlen(now->comm));
		sb_printf(&out,
			  ", \"ip\": %d, \"laddr\": \"%s\", \"lport\": %lld, \"raddr\": \"%s\", \"rport\": %lld, \"tx_bytes\": %.0f, "
			  "\"rx_bytes\": %.0f, \"ms\": %.3f, \"mb_per_s\": %.3f, \"srtt_us\": %lld, \"cwnd\": %lld, \"ssthresh\": ",
			  now->family == 10 ? 6 : 4, now->laddr, (long long)now->sport, now->raddr, (long long)now->dport, f.tx,
			  f.rx, f.ms, f.mbs, (long long)now->srtt_us, (long long)now->cwnd);
		if (infinite)
			sb_puts(&out, "null");
		else
			sb_printf(&out, "%lld", (long long)now->ssthresh);
		sb_printf(&out,
			  ", \"peer_window\": %lld, \"sndbuf\": %lld, \"retransmits\": %lld, \"cwnd_cuts\": %lld, \"busy_ms\": %.0f, "
			  "\"rwnd_limited_ms\": %.0f, \"sndbuf_limited_ms\": %.0f, \"retransmit_pct\": %.2f, \"busy_pct\": %.1f, "
			  "\"rwnd_limited_pct\": %.1f, \"sndbuf_limited_pct\": %.1f, \"app_limited_pct\": %.1f, \"bdp_bytes\": %.0f, "
			  "\"verdict\": \"%s\", \"reason\": ",
			  (long long)now->wnd, (long long)now->sndbuf, (long long)f.retrans, (long long)f.cuts, f.busy_ms, f.rwnd_ms,
			  f.sndbuf_ms, f.loss_pct, f.busy_pct,
			  f.rwnd_pct, f.sndbuf_pct, f.app_pct, f.bdp, f.verdict);
		json_escape(&out, f.reason, strlen(f.reason));
		sb_puts(&out, "}}\n");
	} else {
		char la[96], ra[96], ssthresh[24];
		snprintf(la, sizeof(la), now->family == 10 ? "[%s]:%lld" : "%s:%lld", now->laddr, (long long)now->sport);
		snprintf(ra, sizeof(ra), now->family == 10 ? "[%s]:%lld" : "%s:%lld", now->raddr, (long long)now->dport);
		snprintf(ssthresh, sizeof(ssthresh), infinite ? "-" : "%lld", (long long)now->ssthresh);
		sb_printf(&out, "%-6s %-7lld %-12.12s %-23s %-23s %8.0f %8.0f %8.1f %8.2f %7lld %5lld %8s %7.1f %4lld %5.1f %5.1f %7.1f %-13s %s\n",
			  state, (long long)now->pid, now->comm, la, ra, f.tx / 1024, f.rx / 1024, f.ms, f.mbs,
			  (long long)now->srtt_us, (long long)now->cwnd, ssthresh, (double)now->wnd / 1024, (long long)f.retrans,
			  f.busy_pct, f.rwnd_pct, f.sndbuf_pct, f.verdict, f.reason);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
}

static struct live *find_live(struct bottleneck *b, uint64_t key, int add)
{
	for (int i = 0; i < b->n; i++)
		if (b->v[i].last.key == key)
			return &b->v[i];
	if (!add)
		return NULL;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 16;
		b->v = xrealloc(b->v, (size_t)b->cap * sizeof(*b->v));
	}
	b->v[b->n] = (struct live){ .last.key = key };
	return &b->v[b->n++];
}

/*
 * printf(FMT, kind, key, pid, comm, family, sport, dport, life_ns, sent (data, once), received, srtt_us, cwnd, ssthresh,
 *        wnd, retrans, cuts, sndbuf, segs, chrono_type, chrono_start, stat0, stat1, stat2, jiffies, addrs x4)
 */
enum { A_KIND, A_KEY, A_PID, A_COMM, A_FAMILY, A_SPORT, A_DPORT, A_LIFE, A_SENT, A_RECEIVED, A_SRTT, A_CWND,
       A_SSTHRESH, A_WND, A_RETRANS, A_CUTS, A_SNDBUF, A_SEGS, A_CTYPE, A_CSTART, A_STAT0, A_JIFFIES = A_STAT0 + 3 };

static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct bottleneck *b = arg;
	int64_t v[A_JIFFIES + 1];
	for (int i = 0; i <= A_JIFFIES; i++)
		if (i != A_COMM)
			memcpy(&v[i], data + r->offs[i], 8);
	if (b->pid && v[A_PID] != b->pid)
		return;
	struct snap sn = {
		.key = (uint64_t)v[A_KEY], .life_ns = v[A_LIFE], .sent = v[A_SENT], .received = v[A_RECEIVED],
		.srtt_us = v[A_SRTT], .cwnd = v[A_CWND], .ssthresh = v[A_SSTHRESH], .wnd = v[A_WND],
		.retrans = v[A_RETRANS], .cuts = v[A_CUTS], .sndbuf = v[A_SNDBUF], .segs = v[A_SEGS],
		.busy = v[A_STAT0], .rwnd = v[A_STAT0 + 1], .sndbuf_lim = v[A_STAT0 + 2], .pid = v[A_PID],
		.family = v[A_FAMILY], .sport = v[A_SPORT], .dport = v[A_DPORT],
	};
	/* the chrono running now has not been added to its stat yet (tcp_get_info_chrono_stats) */
	int64_t running = (int64_t)(uint32_t)((uint32_t)v[A_JIFFIES] - (uint32_t)v[A_CSTART]);
	if (v[A_CTYPE] == 1)
		sn.busy += running;
	else if (v[A_CTYPE] == 2)
		sn.rwnd += running;
	else if (v[A_CTYPE] == 3)
		sn.sndbuf_lim += running;
	snprintf(sn.comm, sizeof(sn.comm), "%.16s", v[A_PID] ? (const char *)data + r->offs[A_COMM] : "?");
	struct strbuf la = { 0 }, ra = { 0 };
	tcp_record_addrs(s, r, data, sn.family == 10, &la, &ra);
	snprintf(sn.laddr, sizeof(sn.laddr), "%s", sb_str(&la));
	snprintf(sn.raddr, sizeof(sn.raddr), "%s", sb_str(&ra));
	sb_free(&la);
	sb_free(&ra);
	if (v[A_KIND] == 'X') {	/* closed: the whole life, then forget it */
		struct live *l = find_live(b, sn.key, 0);
		if (sn.sent >= b->min_bytes)
			print_line(s, b, "closed", &sn, NULL);
		if (l)
			*l = b->v[--b->n];
		return;
	}
	struct live *l = find_live(b, sn.key, 1);
	l->last = sn;
	l->fresh = 1;
}

/* Every -i: a row per connection that sent since the last one; at the end, the open ones so far. */
static void summary(struct session *s, void *arg)
{
	struct bottleneck *b = arg;
	int at_end = b->run->last_summary;
	char now[16];
	tk_clock(now, sizeof(now));
	int header = 0;
	for (int i = 0; i < b->n; i++) {
		struct live *l = &b->v[i];
		if (l->last.sent < b->min_bytes || (!at_end && (!l->fresh || (l->has_shown && l->last.sent == l->shown.sent))))
			continue;
		if (!header++ && !b->json)
			fprintf(s->out, "%s\n", now);
		print_line(s, b, at_end ? "open" : "live", &l->last, at_end || !l->has_shown ? NULL : &l->shown);
		l->shown = l->last;
		l->has_shown = 1;
		l->fresh = 0;
	}
}

int tool_tcpbottleneck(int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_MIN_BYTES };
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' }, { "port", required_argument, NULL, 'P' },
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "min-bytes", required_argument, NULL, OPT_MIN_BYTES }, { "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct bottleneck b = { .min_bytes = 1 };
	struct tk_run run = { .tool = "tcpbottleneck", .arg = &b, .quiet_exit = 1, .command_family = 1 };
	b.run = &run;
	struct strbuf pred = { 0 }, probe_pred = { 0 }, lports = { 0 }, rports = { 0 }, script = { 0 };
	const char *ports = NULL;
	int only4 = 0, only6 = 0, c, rc = 1;
	long min_bytes;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:P:i:d:46h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			/* the close and the ACKs run in softirq: the filter is on the process noted, in user space */
			if (tk_parse_pid("tcpbottleneck", optarg, &b.pid))
				return 1;
			break;
		case 'P': ports = optarg; break;
		case 'i': case 'd':
			if (tk_parse_seconds("tcpbottleneck", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 2;
			break;
		case OPT_MIN_BYTES:
			if (tk_parse_long(optarg, 0, LONG_MAX, &min_bytes)) {
				fprintf(stderr, "ERROR: tcpbottleneck: --min-bytes needs a number of bytes, got '%s'\n", optarg);
				return 2;
			}
			b.min_bytes = min_bytes;
			break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case OPT_JSON: b.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcpbottleneck: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcpbottleneck", argc, argv))
		return 2;
	b.hz = tcp_kernel_hz();
	if (b.hz <= 0) {
		fputs("ERROR: tcpbottleneck: cannot tell the kernel's clock rate (CONFIG_HZ): none of /proc/config.gz, "
		      "/boot/config-RELEASE or /proc/timer_list is readable\n", stderr);
		return 1;
	}
	b.interval = run.interval != 0;
	/* a command only bounds the run: its transfers may be made by its children, in namespaces of their own */
	tcp_base_filter(&pred, only4, only6);
	sb_puts(&probe_pred, "1");	/* tcp:tcp_probe is TCP's own: no protocol field */
	if (only4 || only6)
		sb_printf(&probe_pred, " && args.family == %d", only4 ? 2 : 10);
	if (ports) {
		/* either end: the connection's local or remote port */
		if (tcp_port_filter(&lports, ports, "args.sport") || tcp_port_filter(&rports, ports, "args.dport")) {
			fputs("ERROR: tcpbottleneck: -P takes ports 1 to 65535 separated by commas\n", stderr);
			goto out;
		}
		/* both lists start with " && (": join them with || */
		sb_printf(&pred, " && (1%s || 1%s)", sb_str(&lports), sb_str(&rports));
		sb_printf(&probe_pred, " && (1%s || 1%s)", sb_str(&lports), sb_str(&rports));
	}
	/* a snapshot four times an interval (a second without -i: the open ones at the end), in ticks,
	 * so that each summary has one at most a quarter interval old */
	long every = (run.interval ? run.interval : 1) * b.hz / 4;
	if (every < 1)
		every = 1;
#define ROW_FORMAT "\"%%d %%d %%d %%s %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%d %%s %%s %%s %%s\""
#define ROW_ARGS(kind)                                                                                                \
	kind ", $key, @pid[$key], @comm[$key], args.family, args.sport, args.dport, nsecs - @born[$key],\n"           \
	"           $tp->bytes_sent - $tp->bytes_retrans, $tp->bytes_received, $tp->srtt_us >> 3, $tp->snd_cwnd, $tp->snd_ssthresh,\n"   \
	"           $tp->snd_wnd, $tp->total_retrans - $tp->dsack_dups, @cuts[$key], $tp->inet_conn.icsk_inet.sk.sk_sndbuf,\n"        \
	"           $tp->data_segs_out, $tp->chrono_type, $tp->chrono_start, $tp->chrono_stat[0], $tp->chrono_stat[1],\n"  \
	"           $tp->chrono_stat[2], jiffies & 0xffffffff, " TCP_SK_ADDR_ARGS
	sb_printf(&script,
		  "tracepoint:sock:inet_sock_set_state /%s/ {\n"
		  "  $key = (uint64)args.skaddr;\n"
		  "  if (args.newstate == 1) { @born[$key] = nsecs; @last[$key] = jiffies; }\n"
		  "  if (args.oldstate == 7 && args.newstate == 2) { @pid[$key] = pid; @comm[$key] = comm; }\n"
		  "  if (args.newstate == 7) {\n"
		  "    if (@born[$key] != 0) {\n"
		  "      $tp = (struct tcp_sock *)args.skaddr;\n"
		  "      $sk = (struct sock *)args.skaddr;\n"
		  "      printf(" ROW_FORMAT ", " ROW_ARGS("88") ");\n"
		  "    }\n"
		  "    delete(@born[$key]); delete(@pid[$key]); delete(@comm[$key]); delete(@cuts[$key]); delete(@last[$key]);\n"
		  "  }\n"
		  "}\n"
		  "tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept /args.ret >= 0/ {\n"
		  "  $sk = " TCP_ACCEPTED_SK ";\n"
		  "  if ($sk->sk_protocol == 6) { @pid[(uint64)$sk] = pid; @comm[(uint64)$sk] = comm; }\n"
		  "}\n"
		  "tracepoint:tcp:tcp_cong_state_set /args.cong_state >= 2/ {\n"	/* CWR, Recovery, Loss: cwnd cut */
		  "  if (@born[(uint64)args.skaddr] != 0) { @cuts[(uint64)args.skaddr] = @cuts[(uint64)args.skaddr] + 1; }\n"
		  "}\n"
		  "tracepoint:tcp:tcp_probe /%s/ {\n"
		  "  $key = (uint64)args.skaddr;\n"
		  "  if (@born[$key] != 0 && jiffies - @last[$key] >= %ld) {\n"
		  "    @last[$key] = jiffies;\n"
		  "    $tp = (struct tcp_sock *)args.skaddr;\n"
		  "    $sk = (struct sock *)args.skaddr;\n"
		  "    printf(" ROW_FORMAT ", " ROW_ARGS("83") ");\n"
		  "  }\n"
		  "}\n",
		  sb_str(&pred), sb_str(&probe_pred), every);
#undef ROW_FORMAT
#undef ROW_ARGS
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.on_printf = on_record;
	run.summary = summary;
	rc = tk_run(&run);
out:
	free(b.v);
	sb_free(&pred);
	sb_free(&probe_pred);
	sb_free(&lports);
	sb_free(&rports);
	sb_free(&script);
	return rc;
}
