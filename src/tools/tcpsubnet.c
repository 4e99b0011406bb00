/*
 * sonde tcpsubnet: TCP bytes sent, summed per destination subnet, BCC
 * tcpsubnet's flags and layout, from sock:sock_send_length (no kprobes).
 * The subnets are tried in the order given, in the script: the first one
 * holding the destination gets the bytes (IPv4, as BCC).
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include "../rt/metrics.h"
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde tcpsubnet [-h] [-v] [-J] [-f {b,k,m,B,K,M}] [-i INTERVAL] [-d DURATION] [subnets] [-- CMD [ARG...]]\n"
	"\n"
	"Summarize TCP send and aggregate by subnet\n"
	"\n"
	"positional arguments:\n"
	"  subnets               comma separated list of subnets (IPv4 CIDRs)\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -v, --verbose         output debug statements (the generated program)\n"
	"  -J, --json            format output in JSON\n"
	"  -f {b,k,m,B,K,M}, --format {b,k,m,B,K,M}\n"
	"                        [bkmBKM] format to report: bits, Kbits, Mbits, bytes, KBytes, MBytes (default B)\n"
	"  -i INTERVAL, --interval INTERVAL\n"
	"                        output interval, in seconds (default 1)\n"
	"  -d DURATION, --duration DURATION\n"
	"                        total duration of trace, seconds\n"
	"  -- CMD [ARG...]       run CMD once the probe is attached, trace it only, end with it\n"
	"\n"
	"Default subnets: 127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,0.0.0.0/0\n"
	"A destination is counted in the first subnet that holds it, in the order given.\n"
	"\n"
	"examples:\n"
	"    ./tcpsubnet                 # Trace TCP sent to the default subnets\n"
	"    ./tcpsubnet -f K            # Trace TCP sent to the default subnets, in KBytes\n"
	"    ./tcpsubnet 10.80.0.0/24    # Trace TCP sent to 10.80.0.0/24 only\n"
	"    ./tcpsubnet -J              # Format the output in JSON\n";

#define DEFAULT_SUBNETS "127.0.0.1/32,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,0.0.0.0/0"
#define MAX_SUBNETS 64

struct subnet {
	char text[48];
	uint32_t net, mask;	/* host order */
};

struct tcpsubnet {
	struct subnet v[MAX_SUBNETS];
	int n, json;
	long interval;
	char format;
	struct tk_baseline base;
};

/* "10.0.0.0/8,…" into subnets; -1 after saying which one is wrong. */
static int parse_subnets(struct tcpsubnet *t, const char *list)
{
	char *copy = xstrdup(list), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
		char *slash = strchr(tok, '/'), *end;
		struct in_addr a;
		long bits = slash ? strtol(slash + 1, &end, 10) : -1;
		if (slash)
			*slash = 0;
		if (!slash || *end || end == slash + 1 || bits < 0 || bits > 32 || inet_pton(AF_INET, tok, &a) != 1) {
			if (slash)
				*slash = '/';
			fprintf(stderr, "ERROR: tcpsubnet: '%s' is not an IPv4 subnet (ADDRESS/BITS, e.g. 10.0.0.0/8)\n", tok);
			rc = -1;
		} else if (t->n == MAX_SUBNETS) {
			fprintf(stderr, "ERROR: tcpsubnet: at most %d subnets\n", MAX_SUBNETS);
			rc = -1;
		} else {
			struct subnet *s = &t->v[t->n++];
			s->mask = bits ? ~0u << (32 - bits) : 0;
			s->net = ntohl(a.s_addr) & s->mask;
			snprintf(s->text, sizeof(s->text), "%s/%ld", tok, bits);
		}
	}
	free(copy);
	if (!rc && !t->n) {
		fputs("ERROR: tcpsubnet: no subnet given\n", stderr);
		rc = -1;
	}
	return rc;
}

static void on_attached(struct session *s, void *arg)
{
	struct tcpsubnet *t = arg;
	if (!t->json)
		fprintf(s->out, "Tracing... Output every %ld secs. Hit Ctrl-C to end\n", t->interval);
}

/* bytes in the -f unit, as BCC: b k m are bits, B K M bytes; k, K, m, M are 1024 based */
static long long in_unit(int64_t bytes, char format)
{
	double v = (double)bytes;
	switch (format) {
	case 'b': return (long long)(v * 8);
	case 'k': return (long long)(v * 8 / 1024);
	case 'm': return (long long)(v * 8 / 1024 / 1024);
	case 'K': return (long long)(v / 1024);
	case 'M': return (long long)(v / 1024 / 1024);
	default: return (long long)v;
	}
}

static void summary(struct session *s, void *arg)
{
	struct tcpsubnet *t = arg;
	struct map_table tb = { 0 };
	int64_t bytes[MAX_SUBNETS] = { 0 };
	if (!session_read_map(s, "@bytes", &tb)) {
		tk_since_last(&t->base, &tb);
		for (int i = 0; i < tb.n; i++) {
			int64_t idx;
			memcpy(&idx, tb.e[i].key, 8);
			if (idx >= 0 && idx < t->n)
				bytes[idx] += tb.e[i].v;
		}
		map_table_free(&tb);
	}
	char stamp[32];
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%m/%d/%y %H:%M:%S", localtime(&now));
	struct strbuf out = { 0 };
	if (t->json) {
		sb_printf(&out, "{\"date\": \"%.8s\", \"time\": \"%s\", \"entries\": {", stamp, stamp + 9);
		int first = 1;
		for (int i = 0; i < t->n; i++)
			if (bytes[i]) {
				sb_printf(&out, "%s\"%s\": %lld", first ? "" : ", ", t->v[i].text, in_unit(bytes[i], t->format));
				first = 0;
			}
		sb_puts(&out, "}}\n");
	} else {
		sb_printf(&out, "[%s]\n", stamp);
		for (int i = 0; i < t->n; i++)
			if (bytes[i])
				sb_printf(&out, "%-21s %6lld\n", t->v[i].text, in_unit(bytes[i], t->format));
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
}

/* --metrics: the subnet as given, not its index */
static int subnet_label(struct session *s, int part, const struct type *t, const uint8_t *data, struct strbuf *out,
			void *arg)
{
	const struct tcpsubnet *ts = arg;
	int64_t idx;
	(void)s, (void)part, (void)t;
	memcpy(&idx, data, 8);
	if (idx < 0 || idx >= ts->n)
		return -1;
	sb_puts(out, ts->v[idx].text);
	return 0;
}

int tool_tcpsubnet(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "verbose", no_argument, NULL, 'v' }, { "json", no_argument, NULL, 'J' },
		{ "format", required_argument, NULL, 'f' }, { "interval", required_argument, NULL, 'i' },
		{ "duration", required_argument, NULL, 'd' }, { "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcpsubnet t = { .format = 'B' };
	struct tk_run run = { .tool = "tcpsubnet", .arg = &t, .quiet_exit = 1, .interval = 1 };
	struct strbuf script = { 0 };
	int c, rc = 1;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "vJf:i:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'v': run.print_script = 1; break;
		case 'J': t.json = run.json = 1; break;
		case 'f':
			if (strlen(optarg) != 1 || !strchr("bkmBKM", optarg[0])) {
				fprintf(stderr, "ERROR: tcpsubnet: -f is one of b, k, m (bits), B, K, M (bytes), got '%s'\n", optarg);
				return 2;
			}
			t.format = optarg[0];
			break;
		case 'i': case 'd':
			if (tk_parse_seconds("tcpsubnet", c, optarg, c == 'i' ? &run.interval : &run.duration))
				return 2;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (parse_subnets(&t, optind < argc ? argv[optind++] : DEFAULT_SUBNETS))
		return 2;
	if (tk_no_positionals("tcpsubnet", argc, argv))
		return 2;
	t.interval = run.interval;
	/* the destination in host order, tried against each subnet in turn */
	sb_puts(&script, "tracepoint:sock:sock_send_length /args.protocol == 6 && args.family == 2 && args.ret > 0/ {\n"
			 "  $d = ((struct sock *)args.sk)->__sk_common.skc_daddr;\n"
			 "  $d = (($d & 0xff) << 24) | (($d & 0xff00) << 8) | (($d >> 8) & 0xff00) | (($d >> 24) & 0xff);\n");
	for (int i = 0; i < t.n; i++)
		sb_printf(&script, "  %sif (($d & %u) == %u) { @bytes[%d] = sum(args.ret); }\n", i ? "else " : "", t.v[i].mask,
			  t.v[i].net, i);
	sb_puts(&script, "}\n");
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	static const struct metrics_spec metrics[] = {
		{ .map = "@bytes", .name = "sonde_tcpsubnet_sent_bytes", .help = "TCP bytes sent, per destination subnet",
		  .labels = { "subnet" }, .label_value = subnet_label },
		{ 0 },
	};
	run.metrics = metrics;
	rc = tk_run(&run);
	tk_baseline_free(&t.base);
	sb_free(&script);
	return rc;
}
