/*
 * sonde tcprtt: a log2 histogram of TCP's smoothed RTT, BCC tcprtt's flags
 * and layout, from tcp:tcp_probe, which fires at the start of
 * tcp_rcv_established with srtt (µs) already taken from the socket: what
 * BCC reads with a kprobe. Segments are received in softirq, so no process
 * filter applies; a command after -- only bounds the run.
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/bcchist.h"
#include "../out/maptable.h"
#include "../out/value.h"
#include "../rt/metrics.h"
#include "../rt/session.h"
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcprtt [-h] [-i INTERVAL] [-d DURATION] [-T] [-m] [-p LPORT] [-P RPORT] [-a LADDR] [-A RADDR]\n"
	"                    [-b | -B] [-e] [-D] [-4 | -6] [--json] [-- CMD [ARG...]]\n"
	"\n"
	"Summarize TCP RTT as a histogram.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        summary interval, seconds\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, seconds\n"
	"  -T, --timestamp       include timestamp on output\n"
	"  -m, --milliseconds    millisecond histogram\n"
	"  -p LPORT, --lport LPORT\n"
	"                        filter for local port\n"
	"  -P RPORT, --rport RPORT\n"
	"                        filter for remote port\n"
	"  -a LADDR, --laddr LADDR\n"
	"                        filter for local address (IPv4 or IPv6)\n"
	"  -A RADDR, --raddr RADDR\n"
	"                        filter for remote address (IPv4 or IPv6)\n"
	"  -b, --byladdr         show sockets histogram by local address\n"
	"  -B, --byraddr         show sockets histogram by remote address\n"
	"  -e, --extension       show extension summary (average)\n"
	"  -D, --debug           print the generated program before starting\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per summary\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached and stop when it ends\n"
	"\n"

	"examples:\n"
	"    ./tcprtt            # summarize TCP RTT\n"
	"    ./tcprtt -i 1 -d 10 # print 1 second summaries, 10 times\n"
	"    ./tcprtt -m -T      # summarize in millisecond, and timestamps\n"
	"    ./tcprtt -p 80      # filter for local port 80\n"
	"    ./tcprtt -P 80      # filter for remote port 80\n"
	"    ./tcprtt -a 127.0.0.1  # filter for local address 127.0.0.1\n"
	"    ./tcprtt -A ::1     # filter for remote address ::1\n"
	"    ./tcprtt -b         # show sockets histogram by local address\n"
	"    ./tcprtt -B         # show sockets histogram by remote address\n"
	"    ./tcprtt -e         # show extension summary (average)\n";

struct tcprtt {
	int timestamp, ms, avg, json;
	char by;		/* 'b': a section per local address, 'B' per remote one, 0: one for all */
	struct tk_baseline hist_base, sum_base, count_base;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcprtt *t = arg;
	if (!t->json)
		fputs("Tracing TCP RTT... Hit Ctrl-C to end.\n", s->out);
}

/* The entry of tb whose key equals key (the maps share their keys), or -1. */
static int same_key(const struct map_table *tb, const uint8_t *key)
{
	for (int i = 0; i < tb->n; i++)
		if (!memcmp(tb->e[i].key, key, (size_t)tb->user_key_size))
			return i;
	return -1;
}

/* One section: its title (with the average under -e) and its histogram, since the last summary. */
static void section(struct session *s, struct tcprtt *t, struct strbuf *out, int first, const struct map_table *hist,
		    int i, const struct map_table *sum, const struct map_table *count)
{
	const char *unit = t->ms ? "msecs" : "usecs";
	uint64_t slots[BCC_SLOTS] = { 0 };
	int si = same_key(sum, hist->e[i].key), ci = same_key(count, hist->e[i].key);
	int64_t total = si >= 0 ? sum->e[si].v : 0, n = ci >= 0 ? count->e[ci].v : 0;
	if (hist->e[i].buckets)
		bcc_slots_from_hist(slots, hist->e[i].buckets);
	struct strbuf addr = { 0 };
	if (t->by)
		value_string(&addr, &s->vc, hist->m->key, hist->e[i].key);
	if (t->json) {
		sb_printf(out, "%s{", first ? "" : ", ");
		if (t->by)
			sb_printf(out, "\"%s\": \"%s\", ", t->by == 'b' ? "laddr" : "raddr", sb_str(&addr));
		sb_printf(out, "\"count\": %lld, \"avg\": %lld, \"hist\": ", (long long)n, (long long)(n ? total / n : 0));
		bcc_log2_hist_json(out, slots);
		sb_putc(out, '}');
	} else {
		sb_printf(out, "\n%s = %s", t->by == 'b' ? "Local Address" : t->by == 'B' ? "Remote Address" : "All Addresses",
			  t->by ? sb_str(&addr) : "*******");
		if (t->avg)
			sb_printf(out, " [AVG %lld]", (long long)(n ? total / n : 0));
		sb_putc(out, '\n');
		bcc_log2_hist_text(out, slots, unit);
	}
	sb_free(&addr);
}

static void summary(struct session *s, void *arg)
{
	struct tcprtt *t = arg;
	struct map_table hist = { 0 }, sum = { 0 }, count = { 0 };
	int have = !session_read_map(s, "@h", &hist) && !session_read_map(s, "@sum", &sum) &&
		   !session_read_map(s, "@n", &count);
	char now[16];
	tk_clock(now, sizeof(now));
	struct strbuf out = { 0 };
	if (have) {
		tk_since_last(&t->hist_base, &hist);
		tk_since_last(&t->sum_base, &sum);
		tk_since_last(&t->count_base, &count);
	}
	if (t->json)
		sb_printf(&out, "{\"type\": \"rtt\", \"data\": {\"time\": \"%s\", \"unit\": \"%s\", \"%s\": [", now,
			  t->ms ? "msecs" : "usecs", t->by == 'b' ? "by_laddr" : t->by == 'B' ? "by_raddr" : "all");
	else {
		sb_putc(&out, '\n');
		if (t->timestamp)
			sb_printf(&out, "%-8s\n", now);
	}
	int shown = 0;
	for (int i = 0; have && i < hist.n; i++)
		if (!tk_entry_empty(&hist, i))
			section(s, t, &out, !shown++, &hist, i, &sum, &count);
	if (t->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	if (hist.m)
		map_table_free(&hist);
	if (sum.m)
		map_table_free(&sum);
	if (count.m)
		map_table_free(&count);
}

/*
 * -a/-A ADDR as a predicate on $sk (IPv4 or IPv6, as the address is written),
 * appended with &&; -1 when it is not an address.
 */
static int addr_filter(struct strbuf *pred, const char *text, int local)
{
	uint8_t a[16];
	uint32_t w[4];
	if (inet_pton(AF_INET, text, a) == 1) {
		memcpy(w, a, 4);
		sb_printf(pred, " && args.family == 2 && $sk->__sk_common.%s == %u", local ? "skc_rcv_saddr" : "skc_daddr", w[0]);
		return 0;
	}
	if (inet_pton(AF_INET6, text, a) != 1)
		return -1;
	memcpy(w, a, 16);
	sb_puts(pred, " && args.family == 10");
	for (int i = 0; i < 4; i++)
		sb_printf(pred, " && $sk->__sk_common.%s.in6_u.u6_addr32[%d] == %u", local ? "skc_v6_rcv_saddr" : "skc_v6_daddr",
			  i, w[i]);
	return 0;
}

int tool_tcprtt(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "timestamp", no_argument, NULL, 'T' }, { "milliseconds", no_argument, NULL, 'm' },
		{ "lport", required_argument, NULL, 'p' }, { "rport", required_argument, NULL, 'P' },
		{ "laddr", required_argument, NULL, 'a' }, { "raddr", required_argument, NULL, 'A' },
		{ "byladdr", no_argument, NULL, 'b' }, { "byraddr", no_argument, NULL, 'B' },
		{ "extension", no_argument, NULL, 'e' }, { "debug", no_argument, NULL, 'D' },
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcprtt t = { 0 };
	struct tk_run run = { .tool = "tcprtt", .arg = &t, .command_family = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	long lport = 0, rport = 0;
	const char *laddr = NULL, *raddr = NULL;
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:d:Tmp:P:a:A:bBeD46h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': case 'd':
			if (tk_parse_seconds("tcprtt", c, optarg, c == 'i' ? &run.interval : &run.duration))
				goto out;
			break;
		case 'T': t.timestamp = 1; break;
		case 'm': t.ms = 1; break;
		case 'p': case 'P':
			if (tk_parse_long(optarg, 1, 65535, c == 'p' ? &lport : &rport)) {
				fprintf(stderr, "ERROR: tcprtt: -%c is a port, 1 to 65535, got '%s'\n", c, optarg);
				goto out;
			}
			break;
		case 'e': t.avg = 1; break;
		case 'D': run.print_script = 1; break;
		case '4': only4 = 1; break;
		case '6': only6 = 1; break;
		case 'a': laddr = optarg; break;
		case 'A': raddr = optarg; break;
		case 'b': case 'B':
			if (t.by && t.by != c) {
				fputs("ERROR: tcprtt: -b and -B exclude each other\n", stderr);
				rc = 2;
				goto out;
			}
			t.by = (char)c;
			break;
		case OPT_JSON: t.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		default: fputs(usage, stderr); rc = 2; goto out;
		}
	}
	if (only4 && only6) {
		fputs("ERROR: tcprtt: -4 and -6 exclude each other\n", stderr);
		rc = 2;
		goto out;
	}
	if (tk_no_positionals("tcprtt", argc, argv)) {
		rc = 2;
		goto out;
	}
	sb_puts(&pred, "1");
	if (lport)
		sb_printf(&pred, " && args.sport == %ld", lport);
	if (rport)
		sb_printf(&pred, " && args.dport == %ld", rport);
	if (only4 || only6)
		sb_printf(&pred, " && args.family == %d", only4 ? 2 : 10);
	for (int local = 1; local >= 0; local--) {
		const char *addr = local ? laddr : raddr;
		if (addr && addr_filter(&pred, addr, local)) {
			fprintf(stderr, "ERROR: tcprtt: -%c takes an IPv4 or IPv6 address, got '%s'\n", local ? 'a' : 'A', addr);
			goto out;
		}
	}
	const char *v = t.ms ? "args.srtt / 1000" : "args.srtt";
	/* a section per address: the key is the address as ntop() gives it, either family */
	const char *v4 = t.by == 'b' ? "skc_rcv_saddr" : "skc_daddr", *v6 = t.by == 'b' ? "skc_v6_rcv_saddr" : "skc_v6_daddr";
	struct strbuf key = { 0 };
	if (t.by)
		sb_printf(&key, "$key = args.family == 2 ? ntop($sk->__sk_common.%s) : ntop($sk->__sk_common.%s.in6_u.u6_addr8)",
			  v4, v6);
	else
		sb_puts(&key, "$key = 0");
	sb_printf(&script, "tracepoint:tcp:tcp_probe {\n"
		  "  $sk = (struct sock *)args.skaddr;\n"
		  "  if (%s) {\n"
		  "    %s;\n"
		  "    @h[$key] = hist(%s); @sum[$key] = sum(%s); @n[$key] = count();\n"
		  "  }\n}\n",
		  sb_str(&pred), sb_str(&key), v, v);
	sb_free(&key);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	/* --metrics: the srtt histogram (per address with -b/-B), in seconds */
	const struct metrics_spec metrics[] = {
		{ .map = "@h", .name = "sonde_tcprtt_seconds", .sum_map = "@sum", .exp = t.ms ? 3 : 6,
		  .help = "Smoothed RTT of TCP segments received (tcp:tcp_probe)",
		  .labels = { t.by == 'b' ? "laddr" : t.by == 'B' ? "raddr" : "all" } },
		{ 0 },
	};
	run.metrics = metrics;
	rc = tk_run(&run);
out:
	tk_baseline_free(&t.hist_base);
	tk_baseline_free(&t.sum_base);
	tk_baseline_free(&t.count_base);
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
