/*
 * sonde tcpcong: how long each TCP connection spends in each congestion
 * state (open, disorder, cwr, recovery, loss) and how often it changes,
 * BCC tcpcong's flags and columns, from tcp:tcp_cong_state_set and
 * sock:inet_sock_set_state (no kprobes). A connection is in open from
 * ESTABLISHED; each change adds the time since the last one to the state
 * it leaves; CLOSE ends it. The state a live connection is in counts up to
 * the moment of the output (user space adds it).
 */
#include "tools.h"
#include "toolkit.h"
#include "tcp.h"
#include "../out/bcchist.h"
#include "../out/json.h"
#include "../out/maptable.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde tcpcong [-h] [-T] [-L LOCALPORT] [-R REMOTEPORT] [-u] [-d] [--json] [interval] [outputs]\n"
	"                     [-- CMD [ARG...]]\n"
	"\n"
	"Summarize tcp socket congestion control status duration\n"
	"\n"
	"positional arguments:\n"
	"  interval              output interval, in seconds (default: once, at the end)\n"
	"  outputs               number of outputs\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -T, --timestamp       include timestamp on output\n"
	"  -L LOCALPORT, --localport LOCALPORT\n"
	"                        trace local ports only (comma-separated)\n"
	"  -R REMOTEPORT, --remoteport REMOTEPORT\n"
	"                        trace the dest ports only (comma-separated)\n"
	"  -u, --microseconds    output in microseconds\n"
	"  -d, --dist            show distributions instead of summary\n"
	"  --json                one JSON object per output\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached and stop when it ends\n"
	"\n"
	"examples:\n"
	"    ./tcpcong                  # show tcp congestion status duration\n"
	"    ./tcpcong 1 10             # show 1 second summaries, 10 times\n"
	"    ./tcpcong -L 3000-3006 1   # 1s summaries, local ports 3000-3006\n"
	"    ./tcpcong -R 5000-5005 1   # 1s summaries, remote ports 5000-5005\n"
	"    ./tcpcong -uT 1            # 1s summaries, microseconds, and timestamps\n"
	"    ./tcpcong -d               # show the duration as histograms\n";

#define NSTATES 5	/* TCP_CA_Open, Disorder, CWR, Recovery, Loss */
static const char *const state_names[NSTATES] = { "open", "disorder", "cwr", "recovery", "loss" };

/* the maps' key: laddr, lport, raddr, rport (and the state for @t) */
enum { K_LADDR, K_LPORT, K_RADDR, K_RPORT, K_STATE };

struct conn {
	char key[128];		/* "laddr/lport raddr/rport" */
	int64_t ns[NSTATES], changes;		/* totals now */
	int64_t shown_ns[NSTATES], shown_changes;	/* at the last output */
	int seen;
};

struct tcpcong {
	int timestamp, us, dist, json;
	struct conn *v;
	int n, cap;
	struct tk_baseline hist_base;
};

static void on_attached(struct session *s, void *arg)
{
	struct tcpcong *t = arg;
	if (!t->json)
		fputs("Tracing tcp congestion control status duration... Hit Ctrl-C to end.\n", s->out);
}

static struct conn *conn_for(struct tcpcong *t, const char *key)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key))
			return &t->v[i];
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xrealloc(t->v, (size_t)t->cap * sizeof(*t->v));
	}
	t->v[t->n] = (struct conn){ 0 };
	snprintf(t->v[t->n].key, sizeof(t->v[t->n].key), "%s", key);
	return &t->v[t->n++];
}

static void tuple_text(struct session *s, const struct map_table *tb, const uint8_t *key, char *out, size_t n)
{
	struct strbuf la = { 0 }, ra = { 0 };
	tcp_key_text(s, tb, key, K_LADDR, &la);
	tcp_key_text(s, tb, key, K_RADDR, &ra);
	snprintf(out, n, "%s/%lld %s/%lld", sb_str(&la), (long long)tcp_key_int(tb, key, K_LPORT), sb_str(&ra),
		 (long long)tcp_key_int(tb, key, K_RPORT));
	sb_free(&la);
	sb_free(&ra);
}

/* Totals per connection: what the probes summed, plus the live state up to now. */
static void gather(struct session *s, struct tcpcong *t)
{
	struct map_table times = { 0 }, changes = { 0 }, since = { 0 }, cur = { 0 };
	char key[128];
	for (int i = 0; i < t->n; i++) {
		memset(t->v[i].ns, 0, sizeof(t->v[i].ns));
		t->v[i].changes = 0;
	}
	if (!session_read_map(s, "@t", &times)) {
		for (int i = 0; i < times.n; i++) {
			int64_t st = tcp_key_int(&times, times.e[i].key, K_STATE);
			tuple_text(s, &times, times.e[i].key, key, sizeof(key));
			if (st >= 0 && st < NSTATES)
				conn_for(t, key)->ns[st] += times.e[i].v;
		}
		map_table_free(&times);
	}
	if (!session_read_map(s, "@chg", &changes)) {
		for (int i = 0; i < changes.n; i++) {
			tuple_text(s, &changes, changes.e[i].key, key, sizeof(key));
			conn_for(t, key)->changes += changes.e[i].v;
		}
		map_table_free(&changes);
	}
	int64_t now = (int64_t)clock_ns(CLOCK_MONOTONIC);
	if (!session_read_map(s, "@since", &since) && !session_read_map(s, "@cst", &cur)) {
		for (int i = 0; i < since.n; i++) {
			int64_t at, st = -1;
			memcpy(&at, since.e[i].val, 8);
			for (int j = 0; j < cur.n; j++)
				if (!memcmp(cur.e[j].key, since.e[i].key, (size_t)since.user_key_size))
					memcpy(&st, cur.e[j].val, 8);
			tuple_text(s, &since, since.e[i].key, key, sizeof(key));
			if (st >= 0 && st < NSTATES && now > at)
				conn_for(t, key)->ns[st] += now - at;
		}
	}
	if (since.m)
		map_table_free(&since);
	if (cur.m)
		map_table_free(&cur);
}

static void print_dist(struct session *s, struct tcpcong *t, struct strbuf *out)
{
	struct map_table h = { 0 };
	if (session_read_map(s, "@h", &h))
		return;
	tk_since_last(&t->hist_base, &h);
	int first = 1;
	for (int st = 0; st < NSTATES; st++)
		for (int i = 0; i < h.n; i++) {
			int64_t key;
			memcpy(&key, h.e[i].key, 8);
			if (key != st || tk_entry_empty(&h, i))
				continue;
			uint64_t slots[BCC_SLOTS] = { 0 };
			bcc_slots_from_hist(slots, h.e[i].buckets);
			if (t->json) {
				sb_printf(out, "%s{\"state\": \"%s\", \"hist\": ", first ? "" : ", ", state_names[st]);
				bcc_log2_hist_json(out, slots);
				sb_putc(out, '}');
			} else {
				sb_printf(out, "\ntcp_congest_state = %s\n", state_names[st]);
				bcc_log2_hist_text(out, slots, t->us ? "usecs" : "msecs");
			}
			first = 0;
		}
	map_table_free(&h);
}

static void summary(struct session *s, void *arg)
{
	struct tcpcong *t = arg;
	struct strbuf out = { 0 };
	char now[16];
	tk_clock(now, sizeof(now));
	const char *unit = t->us ? "us" : "ms";
	double div = t->us ? 1e3 : 1e6;
	if (t->json)
		sb_printf(&out, "{\"type\": \"tcpcong\", \"data\": {\"time\": \"%s\", \"unit\": \"%s\", \"%s\": [", now,
			  t->us ? "usecs" : "msecs", t->dist ? "dist" : "connections");
	else if (t->timestamp)
		sb_printf(&out, "\n%s\n", now);
	if (t->dist) {
		print_dist(s, t, &out);
	} else {
		gather(s, t);
		int shown = 0;
		for (int i = 0; i < t->n; i++) {
			struct conn *c = &t->v[i];
			int64_t d[NSTATES], any = c->changes - c->shown_changes;
			for (int st = 0; st < NSTATES; st++)
				any |= d[st] = c->ns[st] - c->shown_ns[st];
			if (!any)
				continue;
			char la[64], ra[64];
			sscanf(c->key, "%63s %63s", la, ra);
			if (t->json) {
				sb_printf(&out, "%s{\"laddr_port\": \"%s\", \"raddr_port\": \"%s\"", shown ? ", " : "", la, ra);
				for (int st = 0; st < NSTATES; st++)
					sb_printf(&out, ", \"%s\": %lld", state_names[st], (long long)((double)d[st] / div));
				sb_printf(&out, ", \"changes\": %lld}", (long long)(c->changes - c->shown_changes));
			} else {
				if (!shown)
					sb_printf(&out, "\n%-21s %-21s %-7s %-7s %-7s %-7s %-7s %-5s\n", "LAddrPort", "RAddrPort",
						  t->us ? "Open_us" : "Open_ms", t->us ? "Dod_us" : "Dod_ms",
						  t->us ? "Rcov_us" : "Rcov_ms", t->us ? "Cwr_us" : "Cwr_ms",
						  t->us ? "Loss_us" : "Loss_ms", "Chgs");
				sb_printf(&out, "%-21s %-21s %-7lld %-7lld %-7lld %-7lld %-7lld %-5lld\n", la, ra,
					  (long long)((double)d[0] / div), (long long)((double)d[1] / div),
					  (long long)((double)d[3] / div), (long long)((double)d[2] / div),
					  (long long)((double)d[4] / div), (long long)(c->changes - c->shown_changes));
			}
			memcpy(c->shown_ns, c->ns, sizeof(c->ns));
			c->shown_changes = c->changes;
			shown++;
		}
	}
	(void)unit;
	if (t->json)
		sb_puts(&out, "]}}\n");
	fputs(sb_str(&out), s->out);
	sb_free(&out);
}

int tool_tcpcong(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "timestamp", no_argument, NULL, 'T' }, { "localport", required_argument, NULL, 'L' },
		{ "remoteport", required_argument, NULL, 'R' }, { "microseconds", no_argument, NULL, 'u' },
		{ "dist", no_argument, NULL, 'd' }, { "json", no_argument, NULL, OPT_JSON },
		{ "help", no_argument, NULL, 'h' }, { 0 },
	};
	struct tcpcong t = { 0 };
	struct tk_run run = { .tool = "tcpcong", .arg = &t, .quiet_exit = 1, .command_family = 1 };
	struct strbuf ports = { 0 }, script = { 0 };
	const char *lports = NULL, *rports = NULL;
	int c, rc = 1;
	long outputs = 0;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "TL:R:udh", longopts, NULL)) != -1) {
		switch (c) {
		case 'T': t.timestamp = 1; break;
		case 'L': lports = optarg; break;
		case 'R': rports = optarg; break;
		case 'u': t.us = 1; break;
		case 'd': t.dist = 1; break;
		case OPT_JSON: t.json = run.json = 1; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (optind < argc && tk_parse_seconds("tcpcong", 'i', argv[optind++], &run.interval))
		return 2;
	if (optind < argc) {
		if (tk_parse_long(argv[optind++], 1, 1000000000, &outputs)) {
			fprintf(stderr, "ERROR: tcpcong: outputs is a number of outputs, got '%s'\n", argv[optind - 1]);
			return 2;
		}
		run.duration = run.interval * outputs;
	}
	if (tk_no_positionals("tcpcong", argc, argv))
		return 2;
	sb_puts(&ports, "1");
	if ((lports && tcp_port_filter(&ports, lports, "$lport")) ||
	    (rports && tcp_port_filter(&ports, rports, "$rport"))) {
		fputs("ERROR: tcpcong: -L and -R take ports or ranges (1 to 65535), e.g. 80,3000-3006\n", stderr);
		goto out;
	}
#define TUPLE                                                                                                          \
	"  $sk = (struct sock *)args.skaddr;\n"                                                                        \
	"  $lport = $sk->__sk_common.skc_num; $rport = " TCP_SK_DPORT ";\n"                                          \
	"  $v4 = $sk->__sk_common.skc_family == 2;\n"                                                                  \
	"  $la = $v4 ? ntop($sk->__sk_common.skc_rcv_saddr) : ntop($sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8);\n" \
	"  $ra = $v4 ? ntop($sk->__sk_common.skc_daddr) : ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8);\n"
	/* the time in the state left: into its total, or with -d its histogram */
	const char *account = t.dist ? (t.us ? "@h[(uint64)@cst[$la, $lport, $ra, $rport]] = hist($d / 1000);"
					     : "@h[(uint64)@cst[$la, $lport, $ra, $rport]] = hist($d / 1000000);")
				     : "@t[$la, $lport, $ra, $rport, (uint64)@cst[$la, $lport, $ra, $rport]] = sum($d);";
	sb_printf(&script,
		  "tracepoint:sock:inet_sock_set_state /args.protocol == 6 && (args.newstate == 1 || args.newstate == 7)/ {\n"
		  TUPLE
		  "  if (%s) {\n"
		  "    if (args.newstate == 1) {\n"
		  "      @since[$la, $lport, $ra, $rport] = nsecs; @cst[$la, $lport, $ra, $rport] = 0;\n"
		  "    } else if (@since[$la, $lport, $ra, $rport] != 0) {\n"
		  "      $d = nsecs - @since[$la, $lport, $ra, $rport];\n"
		  "      %s\n"
		  "      delete(@since[$la, $lport, $ra, $rport]); delete(@cst[$la, $lport, $ra, $rport]);\n"
		  "    }\n"
		  "  }\n"
		  "}\n"
		  "tracepoint:tcp:tcp_cong_state_set {\n"
		  TUPLE
		  "  if (%s && @since[$la, $lport, $ra, $rport] != 0) {\n"
		  "    $d = nsecs - @since[$la, $lport, $ra, $rport];\n"
		  "    %s\n"
		  "    @chg[$la, $lport, $ra, $rport] = count();\n"
		  "    @since[$la, $lport, $ra, $rport] = nsecs; @cst[$la, $lport, $ra, $rport] = args.cong_state;\n"
		  "  }\n"
		  "}\n",
		  sb_str(&ports), account, sb_str(&ports), account);
#undef TUPLE
	run.script = sb_str(&script);
	run.on_attached = on_attached;
	run.summary = summary;
	rc = tk_run(&run);
out:
	free(t.v);
	tk_baseline_free(&t.hist_base);
	sb_free(&ports);
	sb_free(&script);
	return rc;
}
