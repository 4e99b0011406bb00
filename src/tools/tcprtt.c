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
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: sonde tcprtt [-h] [-i INTERVAL] [-d DURATION] [-T] [-m] [-p LPORT] [-P RPORT] [-e] [-D] [-4 | -6]\n"
	"                    [--json] [-- CMD [ARG...]]\n"
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
	"  -e, --extension       show extension summary (average)\n"
	"  -D, --debug           print the generated program before starting\n"
	"  -4, --ipv4            trace IPv4 family only\n"
	"  -6, --ipv6            trace IPv6 family only\n"
	"  --json                one JSON object per summary\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached and stop when it ends\n"
	"\n"
	"(-a/-A/-b/-B, address filters and histograms per address, are not supported yet.)\n"
	"\n"
	"examples:\n"
	"    ./tcprtt            # summarize TCP RTT\n"
	"    ./tcprtt -i 1 -d 10 # print 1 second summaries, 10 times\n"
	"    ./tcprtt -m -T      # summarize in millisecond, and timestamps\n"
	"    ./tcprtt -p 80      # filter for local port 80\n"
	"    ./tcprtt -P 80      # filter for remote port 80\n"
	"    ./tcprtt -e         # show extension summary (average)\n";

struct tcprtt {
	int timestamp, ms, avg, json;
	struct tk_baseline hist_base, sum_base, count_base;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcprtt *t = arg;
	if (!t->json)
		fputs("Tracing TCP RTT... Hit Ctrl-C to end.\n", s->out);
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
	uint64_t slots[BCC_SLOTS] = { 0 };
	int64_t total = 0, n = 0;
	if (have) {
		tk_since_last(&t->hist_base, &hist);
		tk_since_last(&t->sum_base, &sum);
		tk_since_last(&t->count_base, &count);
		if (hist.n && hist.e[0].buckets)
			bcc_slots_from_hist(slots, hist.e[0].buckets);
		total = sum.n ? sum.e[0].v : 0;
		n = count.n ? count.e[0].v : 0;
	}
	const char *unit = t->ms ? "msecs" : "usecs";
	if (t->json) {
		sb_printf(&out, "{\"type\": \"rtt\", \"data\": {\"time\": \"%s\", \"unit\": \"%s\", \"count\": %lld, \"avg\": %lld, \"hist\": ",
			  now, unit, (long long)n, (long long)(n ? total / n : 0));
		bcc_log2_hist_json(&out, slots);
		sb_puts(&out, "}}\n");
	} else {
		sb_putc(&out, '\n');
		if (t->timestamp)
			sb_printf(&out, "%-8s\n", now);
		if (n) {
			sb_puts(&out, "\nAll Addresses = *******");
			if (t->avg)
				sb_printf(&out, " [AVG %lld]", (long long)(total / n));
			sb_putc(&out, '\n');
		}
		bcc_log2_hist_text(&out, slots, unit);
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
	if (hist.m)
		map_table_free(&hist);
	if (sum.m)
		map_table_free(&sum);
	if (count.m)
		map_table_free(&count);
}

int tool_tcprtt(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "timestamp", no_argument, NULL, 'T' }, { "milliseconds", no_argument, NULL, 'm' },
		{ "lport", required_argument, NULL, 'p' }, { "rport", required_argument, NULL, 'P' },
		{ "extension", no_argument, NULL, 'e' }, { "debug", no_argument, NULL, 'D' },
		{ "ipv4", no_argument, NULL, '4' }, { "ipv6", no_argument, NULL, '6' },
		{ "json", no_argument, NULL, OPT_JSON }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcprtt t = { 0 };
	struct tk_run run = { .tool = "tcprtt", .arg = &t, .command_family = 1 };
	struct strbuf pred = { 0 }, script = { 0 };
	long lport = 0, rport = 0;
	int only4 = 0, only6 = 0, c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "i:d:Tmp:P:eD46aAbBh", longopts, NULL)) != -1) {
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
		case 'a': case 'A': case 'b': case 'B':
			fprintf(stderr, "ERROR: tcprtt: -%c (addresses) is not supported yet: filter by port with -p or -P\n", c);
			goto out;
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
	const char *v = t.ms ? "args.srtt / 1000" : "args.srtt";
	sb_printf(&script, "tracepoint:tcp:tcp_probe /%s/ { @h[0] = hist(%s); @sum[0] = sum(%s); @n[0] = count(); }\n",
		  sb_str(&pred), v, v);
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	rc = tk_run(&run);
out:
	tk_baseline_free(&t.hist_base);
	tk_baseline_free(&t.sum_base);
	tk_baseline_free(&t.count_base);
	sb_free(&pred);
	sb_free(&script);
	return rc;
}
