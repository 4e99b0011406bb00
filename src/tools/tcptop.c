/*
 * sonde tcptop: the TCP connections that move the bytes, refreshed every
 * interval, BCC tcptop's layout, from sock:sock_send_length and
 * sock:sock_recv_length (no kprobes). Both fire inside the send and receive
 * calls, in the process's own context; the bytes are summed per process and
 * connection, and each screen shows what moved since the last one.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include "../rt/metrics.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcptop [-h] [-C] [-S] [-p PID] [-4 | -6] [--json] [interval] [count] [-- CMD [ARG...]]\n"
	"\n"
	"Summarize TCP send/recv throughput by host\n"
	"\n"
	"positional arguments:\n"
	"  interval              output interval, in seconds (default 1)\n"
	"  count                 number of outputs\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -C, --noclear         don't clear the screen\n"
	"  -S, --nosummary       skip system summary line\n"
	"  -p PID, --pid PID     trace this PID only\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per interval\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it only, end with it\n"
	"\n"
	"examples:\n"
	"    ./tcptop           # trace TCP send/recv by host\n"
	"    ./tcptop -C        # don't clear the screen\n"
	"    ./tcptop -p 181    # only trace PID 181\n"
	"    ./tcptop 5 10      # 5 second summaries, 10 times\n";

/* the maps' key: pid, comm, family, lport, rport, laddr, raddr */
enum { K_PID, K_COMM, K_FAMILY, K_LPORT, K_RPORT, K_LADDR, K_RADDR };

struct tcptop {
	int noclear, nosummary, json;
	long interval, count;
	struct tk_baseline tx_base, rx_base;
};

struct row {
	const uint8_t *key;
	int64_t rx, tx;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcptop *t = arg;
	if (!t->json)
		fprintf(s->out, "Tracing... Output every %ld secs. Hit Ctrl-C to end\n", t->interval);
}

static int by_bytes(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int64_t vx = x->rx + x->tx, vy = y->rx + y->tx;
	return vx > vy ? -1 : vx < vy;
}

/* Adds the entries of tb (since the last screen) to rows, as rx or tx. */
static void add_rows(struct row **rows, int *n, const struct map_table *tb, int tx)
{
	for (int i = 0; i < tb->n; i++) {
		if (tk_entry_empty(tb, i))
			continue;
		int j = 0;
		while (j < *n && memcmp((*rows)[j].key, tb->e[i].key, (size_t)tb->user_key_size))
			j++;
		if (j == *n) {
			*rows = xrealloc(*rows, (size_t)(*n + 1) * sizeof(**rows));
			(*rows)[(*n)++] = (struct row){ .key = tb->e[i].key };
		}
		if (tx)
			(*rows)[j].tx += tb->e[i].v;
		else
			(*rows)[j].rx += tb->e[i].v;
	}
}

static void summary(struct session *s, void *arg)
{
	struct tcptop *t = arg;
	struct map_table tx = { 0 }, rx = { 0 };
	int have_tx = !session_read_map(s, "@tx", &tx), have_rx = !session_read_map(s, "@rx", &rx);
	struct row *rows = NULL;
	int n = 0;
	const struct map_table *keys = have_tx ? &tx : &rx;
	if (have_tx) {
		tk_since_last(&t->tx_base, &tx);
		add_rows(&rows, &n, &tx, 1);
	}
	if (have_rx) {
		tk_since_last(&t->rx_base, &rx);
		add_rows(&rows, &n, &rx, 0);
	}
	if (n)
		qsort(rows, (size_t)n, sizeof(*rows), by_bytes);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	if (t->json) {
		sb_printf(&out, "{\"type\": \"tcptop\", \"data\": {\"time\": \"%s\", \"connections\": [", now);
		for (int i = 0; i < n; i++) {
			struct strbuf la = { 0 }, ra = { 0 };
			const char *c = (const char *)rows[i].key + keys->m->key->offs[K_COMM];
			tcp_key_text(s, keys, rows[i].key, K_LADDR, &la);
			tcp_key_text(s, keys, rows[i].key, K_RADDR, &ra);
			sb_printf(&out, "%s{\"pid\": %lld, \"comm\": ", i ? ", " : "", (long long)tcp_key_int(keys, rows[i].key, K_PID));
			json_escape(&out, c, strnlen(c, 16));
			sb_printf(&out, ", \"ip\": %d, \"laddr\": \"%s\", \"lport\": %lld, \"raddr\": \"%s\", \"rport\": %lld, "
				  "\"rx_bytes\": %lld, \"tx_bytes\": %lld}",
				  tcp_key_int(keys, rows[i].key, K_FAMILY) == 10 ? 6 : 4, sb_str(&la),
				  (long long)tcp_key_int(keys, rows[i].key, K_LPORT), sb_str(&ra),
				  (long long)tcp_key_int(keys, rows[i].key, K_RPORT), (long long)rows[i].rx, (long long)rows[i].tx);
			sb_free(&la);
			sb_free(&ra);
		}
		sb_puts(&out, "]}}\n");
	} else {
		if (!t->noclear)
			sb_puts(&out, "\033[H\033[2J");	/* what clear(1) sends */
		else
			sb_putc(&out, '\n');
		if (!t->nosummary) {
			char load[128] = "";
			FILE *f = fopen("/proc/loadavg", "r");
			if (f) {
				if (!fgets(load, sizeof(load), f))
					load[0] = 0;
				fclose(f);
			}
			load[strcspn(load, "\n")] = 0;
			sb_printf(&out, "%-8s loadavg: %s\n", now, load);
		}
		/* IPv4 first, then IPv6 with its wider columns, as BCC */
		for (int v6 = 0; v6 <= 1; v6++) {
			int header = 0;
			for (int i = 0; i < n; i++) {
				if ((tcp_key_int(keys, rows[i].key, K_FAMILY) == 10) != v6)
					continue;
				if (!header++) {
					sb_putc(&out, '\n');
					sb_printf(&out, v6 ? "%-7s %-12s %-32s %-32s %6s %6s\n" : "%-7s %-12s %-21s %-21s %6s %6s\n", "PID",
						  "COMM", v6 ? "LADDR6" : "LADDR", v6 ? "RADDR6" : "RADDR", "RX_KB", "TX_KB");
				}
				struct strbuf la = { 0 }, ra = { 0 };
				char l[96], r[96];
				tcp_key_text(s, keys, rows[i].key, K_LADDR, &la);
				tcp_key_text(s, keys, rows[i].key, K_RADDR, &ra);
				snprintf(l, sizeof(l), "%s:%lld", sb_str(&la), (long long)tcp_key_int(keys, rows[i].key, K_LPORT));
				snprintf(r, sizeof(r), "%s:%lld", sb_str(&ra), (long long)tcp_key_int(keys, rows[i].key, K_RPORT));
				sb_printf(&out, v6 ? "%-7lld %-12.12s %-32s %-32s %6lld %6lld\n" : "%-7lld %-12.12s %-21s %-21s %6lld %6lld\n",
					  (long long)tcp_key_int(keys, rows[i].key, K_PID),
					  (const char *)rows[i].key + keys->m->key->offs[K_COMM], l, r, (long long)(rows[i].rx / 1024),
					  (long long)(rows[i].tx / 1024));
				sb_free(&la);
				sb_free(&ra);
			}
		}
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	free(rows);
	if (tx.m)
		map_table_free(&tx);
	if (rx.m)
		map_table_free(&rx);
}

int tool_tcptop(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "noclear", no_argument, NULL, 'C' }, { "nosummary", no_argument, NULL, 'S' },
		{ "pid", required_argument, NULL, 'p' }, { "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcptop t = { 0 };
	struct tk_run run = { .tool = "tcptop", .arg = &t, .quiet_exit = 1, .interval = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "CSp:46h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': t.noclear = 1; break;
		case 'S': t.nosummary = 1; break;
		case 'p':
			if (tk_parse_pid("tcptop", optarg, &run.pid))
				return 1;
			break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case OPT_JSON: t.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcptop: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (optind < argc && tk_parse_seconds("tcptop", 'i', argv[optind++], &run.interval))
		return 2;
	if (optind < argc) {
		if (tk_parse_long(argv[optind++], 1, 1000000000, &t.count)) {
			fprintf(stderr, "ERROR: tcptop: count is a number of outputs, got '%s'\n", argv[optind - 1]);
			return 2;
		}
		run.duration = run.interval * t.count;
	}
	if (tk_no_positionals("tcptop", argc, argv))
		return 2;
	t.interval = run.interval;
	sb_puts(&pred, "args.protocol == 6 && args.ret > 0");
	if (only4 || only6)
		sb_printf(&pred, " && args.family == %d", only4 ? 2 : 10);
#define KEY                                                                                                           \
	"pid, comm, args.family, $sk->__sk_common.skc_num, " TCP_SK_DPORT ",\n"                                        \
	"      args.family == 2 ? ntop($sk->__sk_common.skc_rcv_saddr) : ntop($sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8),\n" \
	"      args.family == 2 ? ntop($sk->__sk_common.skc_daddr) : ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8)"
	/* MSG_PEEK (2) reads leave the data queued: counted when really read */
	sb_printf(&script,
		  "tracepoint:sock:sock_send_length /%s/ { $sk = (struct sock *)args.sk; @tx[" KEY "] = sum(args.ret); }\n"
		  "tracepoint:sock:sock_recv_length /%s && !(args.flags & 2)/ { $sk = (struct sock *)args.sk; @rx[" KEY "] = sum(args.ret); }\n",
		  sb_str(&pred), sb_str(&pred));
#undef KEY
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	static const struct metrics_spec metrics[] = {
		{ .map = "@tx", .name = "sonde_tcptop_sent_bytes", .help = "TCP bytes sent, per process and connection",
		  .labels = { "pid", "comm", "family", "lport", "rport", "laddr", "raddr" } },
		{ .map = "@rx", .name = "sonde_tcptop_received_bytes", .help = "TCP bytes received, per process and connection",
		  .labels = { "pid", "comm", "family", "lport", "rport", "laddr", "raddr" } },
		{ 0 },
	};
	run.metrics = metrics;
	rc = tk_run(&run);
	tk_baseline_free(&t.tx_base);
	tk_baseline_free(&t.rx_base);
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
