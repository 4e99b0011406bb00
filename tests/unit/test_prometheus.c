/* Prometheus exposition (out/prometheus.c): names, label values, families,
 * format negotiation, exact decimal bounds. */
#include "test.h"
#include "out/prometheus.h"
#include "rt/metrics_http.h"
#include <stdio.h>
#include <string.h>

static char result[1024];

static const char *metric_name(const char *s)
{
	struct strbuf sb = { 0 };
	prom_metric_name(&sb, s);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

static const char *label_name(const char *s)
{
	struct strbuf sb = { 0 };
	prom_label_name(&sb, s);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

static const char *label_value(const char *s)
{
	struct strbuf sb = { 0 };
	prom_label_value(&sb, s, strlen(s));
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

static const char *shift(const char *text, int exp)
{
	prom_decimal_shift(result, sizeof(result), text, exp);
	return result;
}

TEST(test_prom_names_keep_what_prometheus_allows_and_replace_the_rest)
{
	EXPECT_STR(metric_name("sonde_reqs:rate"), "sonde_reqs:rate");
	EXPECT_STR(metric_name("a-b.c"), "a_b_c");
	EXPECT_STR(metric_name("9lives"), "_9lives");
	EXPECT_STR(label_name("comm"), "comm");
	EXPECT_STR(label_name("a:b"), "a_b");
	EXPECT_STR(label_name("__reserved"), "_reserved");
	EXPECT_STR(label_name("0"), "_0");
}

TEST(test_prom_label_values_escape_backslash_quote_and_newline)
{
	EXPECT_STR(label_value("plain"), "\"plain\"");
	EXPECT_STR(label_value("q\"b\\s\nn"), "\"q\\\"b\\\\s\\nn\"");
	EXPECT_STR(label_value("tab\tstays"), "\"tab\tstays\"");
}

TEST(test_prom_counter_family_is_named_with_total_in_text_and_without_in_openmetrics)
{
	struct strbuf sb = { 0 };
	prom_family(&sb, PROM_TEXT, "sonde_calls", PROM_COUNTER, "Calls\nby \"function\"");
	prom_sample_uint(&sb, "sonde_calls", "_total", "function=\"work\"", NULL, 40);
	prom_end(&sb, PROM_TEXT);
	EXPECT_STR(sb_str(&sb), "# HELP sonde_calls_total Calls\\nby \"function\"\n# TYPE sonde_calls_total counter\n"
			       "sonde_calls_total{function=\"work\"} 40\n");
	sb_reset(&sb);
	prom_family(&sb, PROM_OPENMETRICS, "sonde_calls", PROM_COUNTER, "Calls \"all\"");
	prom_sample(&sb, "sonde_calls", "_total", NULL, NULL, "3");
	prom_end(&sb, PROM_OPENMETRICS);
	EXPECT_STR(sb_str(&sb), "# HELP sonde_calls Calls \\\"all\\\"\n# TYPE sonde_calls counter\nsonde_calls_total 3\n# EOF\n");
	sb_free(&sb);
}

TEST(test_prom_sample_joins_labels_and_the_bucket_bound)
{
	struct strbuf sb = { 0 };
	prom_sample_int(&sb, "h", "_bucket", "a=\"1\"", "le=\"-1\"", -0);
	prom_sample_int(&sb, "h", "_bucket", NULL, "le=\"+Inf\"", 7);
	prom_sample_int(&sb, "g", "", "", NULL, -5);
	EXPECT_STR(sb_str(&sb), "h_bucket{a=\"1\",le=\"-1\"} 0\nh_bucket{le=\"+Inf\"} 7\ng -5\n");
	sb_free(&sb);
}

TEST(test_prom_negotiates_openmetrics_only_when_it_ranks_first)
{
	EXPECT_INT(prom_negotiate(NULL), PROM_TEXT);
	EXPECT_INT(prom_negotiate("*/*"), PROM_TEXT);
	EXPECT_INT(prom_negotiate("text/plain;version=0.0.4"), PROM_TEXT);
	/* what Prometheus 2.42 sends */
	EXPECT_INT(prom_negotiate("application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
				  "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"), PROM_OPENMETRICS);
	EXPECT_INT(prom_negotiate("application/openmetrics-text;version=1.0.0;q=0.2,text/plain;q=0.9"), PROM_TEXT);
	EXPECT_INT(prom_negotiate("application/openmetrics-text;version=0.0.1"), PROM_TEXT);
}

TEST(test_prom_decimal_shift_writes_log2_bounds_exactly)
{
	EXPECT_STR(shift("1023", 9), "0.000001023");
	EXPECT_STR(shift("1048575", 9), "0.001048575");
	EXPECT_STR(shift("123456789", 9), "0.123456789");
	EXPECT_STR(shift("18446744073709551615", 9), "18446744073.709551615");
	EXPECT_STR(shift("-1", 6), "-0.000001");
	EXPECT_STR(shift("0", 3), "0.000");
	EXPECT_STR(shift("42", 0), "42");
}

TEST(test_metrics_addr_like_tells_addresses_from_script_files)
{
	EXPECT_INT(metrics_addr_like("9435"), 1);
	EXPECT_INT(metrics_addr_like(":9435"), 1);
	EXPECT_INT(metrics_addr_like("0.0.0.0:9435"), 1);
	EXPECT_INT(metrics_addr_like("[::1]:9435"), 1);
	EXPECT_INT(metrics_addr_like("script.bt"), 0);
	EXPECT_INT(metrics_addr_like("-e"), 0);
	EXPECT_INT(metrics_addr_like("dir/x:1"), 0);
}

TEST(test_prom_protobuf_is_delimited_metric_families)
{
	struct strbuf out = { 0 };
	struct prom_writer w = { .f = PROM_PROTOBUF, .out = &out };
	struct prom_label l = { "comm", "sh", 2 };
	prom_begin(&w, "sonde_calls", PROM_COUNTER, NULL);
	prom_scalar(&w, &l, 1, "3");
	prom_done(&w);
	prom_writer_free(&w);
	/* len 44: name "sonde_calls_total" (type COUNTER is the default, 0), one
	 * Metric: LabelPair{comm, sh}, Counter{value 3.0} */
	static const unsigned char want[] = {
		44, 0x0a, 17, 's', 'o', 'n', 'd', 'e', '_', 'c', 'a', 'l', 'l', 's', '_', 't', 'o', 't', 'a', 'l',
		0x22, 23, 0x0a, 10, 0x0a, 4, 'c', 'o', 'm', 'm', 0x12, 2, 's', 'h',
		0x1a, 9, 0x09, 0, 0, 0, 0, 0, 0, 0x08, 0x40,
	};
	EXPECT_INT(out.len, sizeof(want));
	EXPECT_INT(out.len == sizeof(want) && !memcmp(out.s, want, sizeof(want)), 1);
	sb_free(&out);
}

TEST(test_prom_negotiates_protobuf_when_prometheus_wants_native_histograms)
{
	EXPECT_INT(prom_negotiate("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
				  "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"), PROM_PROTOBUF);
	EXPECT_INT(prom_negotiate("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
				  "encoding=text"), PROM_TEXT);
}
