/*
 * sonde tcpsynbl: a histogram of each listener's accept backlog at every
 * new connection, per backlog limit, BCC tcpsynbl's layout, without
 * kprobes: a connection that completes its handshake is queued on its
 * listener, which is then woken (sock:sk_data_ready on a LISTEN socket);
 * its sk_ack_backlog is the queue's length then. Handshakes dropped because
 * the queue was full are counted beside it: the kernel's TCP_LISTEN_OVERFLOW
 * drops (skb:kfree_skb), and its ListenOverflows counter, which also counts
 * the SYNs it turns away silently.
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/bcchist.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include "../rt/metrics.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcpsynbl [-h] [-4 | -6] [-i INTERVAL] [-d DURATION] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Show TCP SYN backlog.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        print the histograms every INTERVAL seconds\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, seconds\n"
	"  --json                one JSON object per summary\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached and stop when it ends\n"
	"\n"
	"Below each histogram: the handshakes the kernel dropped for a full queue\n"
	"(TCP_LISTEN_OVERFLOW). ListenOverflows is the kernel's own counter for sonde's\n"
	"network namespace: it also counts the SYNs turned away without a drop reason.\n"
	"\n"
	"examples:\n"
	"    ./tcpsynbl          # trace syn backlog\n"
	"    ./tcpsynbl -4       # trace IPv4 family only\n"
	"    ./tcpsynbl -6       # trace IPv6 family only\n";

struct tcpsynbl {
	int json;
	long overflows_at_start;
	struct tk_baseline hist_base, drop_base;
};

/* TcpExt ListenOverflows of /proc/net/netstat, or -1. */
static long listen_overflows(void)
{
	FILE *f = fopen("/proc/net/netstat", "r");
	if (!f)
		return -1;
	char names[4096], values[4096];
	long v = -1;
	while (v < 0 && fgets(names, sizeof(names), f) && fgets(values, sizeof(values), f)) {
		if (strncmp(names, "TcpExt:", 7))
			continue;
		char *ns = NULL, *vs = NULL;
		char *n = strtok_r(names, " \n", &ns), *x = strtok_r(values, " \n", &vs);
		for (; n && x; n = strtok_r(NULL, " \n", &ns), x = strtok_r(NULL, " \n", &vs))
			if (!strcmp(n, "ListenOverflows"))
				v = atol(x);
	}
	fclose(f);
	return v;
}

static void on_attached(struct session *s, void *arg)
{
	struct tcpsynbl *t = arg;
	t->overflows_at_start = listen_overflows();
	if (!t->json)
		fputs("Tracing SYN backlog size. Ctrl-C to end.\n", s->out);
}

static void summary(struct session *s, void *arg)
{
	struct tcpsynbl *t = arg;
	struct map_table hist = { 0 }, drops = { 0 };
	int have = !session_read_map(s, "@backlog", &hist);
	int have_drops = !session_read_map(s, "@drops", &drops);
	if (have)
		tk_since_last(&t->hist_base, &hist);
	if (have_drops)
		tk_since_last(&t->drop_base, &drops);
	long now = listen_overflows();
	long overflows = now >= 0 && t->overflows_at_start >= 0 ? now - t->overflows_at_start : -1;
	struct strbuf out = { 0 };
	if (t->json)
		sb_puts(&out, "{\"type\": \"synbl\", \"data\": {\"listeners\": [");
	int shown = 0;
	for (int i = 0; have && i < hist.n; i++) {
		if (tk_entry_empty(&hist, i))
			continue;
		int64_t max;
		memcpy(&max, hist.e[i].key, 8);
		int64_t dropped = 0;
		for (int j = 0; have_drops && j < drops.n; j++)
			if (!memcmp(drops.e[j].key, hist.e[i].key, 8))
				dropped = drops.e[j].v;
		uint64_t slots[BCC_SLOTS] = { 0 };
		bcc_slots_from_hist(slots, hist.e[i].buckets);
		if (t->json) {
			sb_printf(&out, "%s{\"backlog_max\": %lld, \"listen_overflow_drops\": %lld, \"hist\": ", shown ? ", " : "",
				  (long long)max, (long long)dropped);
			bcc_log2_hist_json(&out, slots);
			sb_putc(&out, '}');
		} else {
			sb_printf(&out, "\nbacklog_max = %lld\n", (long long)max);
			bcc_log2_hist_text(&out, slots, "backlog");
			sb_printf(&out, "dropped for a full queue (TCP_LISTEN_OVERFLOW): %lld\n", (long long)dropped);
		}
		shown++;
	}
	if (t->json)
		sb_printf(&out, "], \"listen_overflows\": %ld}}\n", overflows);
	else if (overflows >= 0)
		sb_printf(&out, "\nListenOverflows (the kernel's count, this network namespace): %ld\n", overflows);
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	if (hist.m)
		map_table_free(&hist);
	if (drops.m)
		map_table_free(&drops);
	if (now >= 0)
		t->overflows_at_start = now;
}

int tool_tcpsynbl(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcpsynbl t = { 0 };
	struct tk_run run = { .tool = "tcpsynbl", .arg = &t, .quiet_exit = 1, .command_family = 1 };
	struct tcp_drop_reasons reasons;
	struct strbuf script = { 0 };
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "46i:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case 'i': case 'd':
			if (tk_parse_seconds("tcpsynbl", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 2;
			break;
		case OPT_JSON: t.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcpsynbl: -4 and -6 exclude each other\n", stderr);
		return 2;
	}
	if (tk_no_positionals("tcpsynbl", argc, argv))
		return 2;
	long overflow = -1;
	if (!tcp_drop_reasons_load(&reasons)) {
		for (int i = 0; i < reasons.n; i++)
			if (!strcmp(reasons.v[i].name, "TCP_LISTEN_OVERFLOW"))
				overflow = reasons.v[i].value;
		tcp_drop_reasons_free(&reasons);
	}
	const char *family = only4 ? " && args.family == 2" : only6 ? " && args.family == 10" : "";
	sb_printf(&script,
		  "tracepoint:sock:sk_data_ready /args.protocol == 6%s/ {\n"
		  "  $sk = (struct sock *)args.skaddr;\n"
		  "  if ($sk->__sk_common.skc_state == 10) { @backlog[(uint64)$sk->sk_max_ack_backlog] = hist($sk->sk_ack_backlog); }\n"
		  "}\n",
		  family);
	/* a kernel without the reason has no such drops to count */
	if (overflow >= 0)
		sb_printf(&script,
			  "tracepoint:skb:kfree_skb /args.reason == %ld && args.rx_sk != 0/ {\n"
			  "  @drops[(uint64)((struct sock *)args.rx_sk)->sk_max_ack_backlog] = count();\n"
			  "}\n",
			  overflow);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	static const struct metrics_spec metrics[] = {
		{ .map = "@backlog", .name = "sonde_tcpsynbl_backlog", .labels = { "backlog_max" },
		  .help = "Accept queue length at each new connection, per listener backlog limit" },
		{ .map = "@drops", .name = "sonde_tcpsynbl_listen_overflow_drops", .labels = { "backlog_max" },
		  .help = "Handshakes dropped for a full accept queue (TCP_LISTEN_OVERFLOW)" },
		{ 0 },
	};
	run.metrics = metrics;
	rc = tk_run(&run);
	tk_baseline_free(&t.hist_base);
	tk_baseline_free(&t.drop_base);
	sb_free(&script);
	return rc;
}
