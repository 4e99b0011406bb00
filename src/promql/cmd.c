/* sonde promql split: the sides an alert expression compares, for people
 * (one pair a line) or programs (--json), from an expression or a rules file,
 * with a Prometheus /graph link that draws each side in a panel. */
#include "promql/rules.h"
#include "out/json.h"
#include "tools/tools.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"USAGE:\n"
	"    sonde promql split [--json] [--graph-url BASE] EXPR\n"
	"    sonde promql split [--json] [--graph-url BASE] --rules RULES.yml\n"
	"\n"
	"Splits PromQL alert expressions into the sides they compare, to graph the\n"
	"value and its threshold: and/or/unless are walked into, a comparison gives\n"
	"one pair (left, operator, right), anything else one series by itself.\n"
	"\n"
	"OPTIONS:\n"
	"    --json            one JSON document instead of text\n"
	"    --rules FILE      every alert rule of a Prometheus rules file (recording rules are skipped)\n"
	"    --graph-url BASE  add a Prometheus /graph link with a panel per side (BASE: http://prometheus:9090)\n"
	"    -h, --help        show this help\n"
	"\n"
	"EXAMPLES:\n"
	"    sonde promql split 'node_load1 > 2 * count by (instance) (node_cpu_seconds_total{mode=\"idle\"})'\n"
	"    sonde promql split --json --rules /etc/prometheus/rules.yml --graph-url http://localhost:9090\n";

struct opts {
	int json;
	const char *rules;
	const char *graph_url;
	const char *expr;
};

/* What one alert (or the one expression) split into. */
struct split_result {
	const char *name;	/* the alert, NULL for EXPR */
	const char *group;
	const struct pq_node *root;
	struct pq_pairs pairs;
};

static char *node_text(const struct pq_node *n)
{
	struct strbuf sb = { 0 };
	pq_print(&sb, n);
	return sb.s;
}

static void url_encode(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || strchr("-_.~", c))
			sb_putc(out, (char)c);
		else
			sb_printf(out, "%%%02X", c);
	}
}

/* BASE/graph?g0.expr=…&g0.tab=0&g1.expr=…: each distinct side once, in order. */
static void graph_url(struct strbuf *out, const char *base, const struct pq_pairs *pairs)
{
	size_t blen = strlen(base);
	while (blen && base[blen - 1] == '/')
		blen--;
	sb_putn(out, base, blen);
	sb_puts(out, "/graph?");
	VEC(char *) seen = { 0 };
	for (int i = 0; i < pairs->n; i++) {
		const struct pq_node *sides[2] = { pairs->v[i].left, pairs->v[i].right };
		for (int s = 0; s < 2 && sides[s]; s++) {
			char *text = node_text(sides[s]);
			int dup = 0;
			for (int j = 0; j < seen.n && !dup; j++)
				dup = !strcmp(seen.v[j], text);
			if (dup) {
				free(text);
				continue;
			}
			sb_printf(out, "%sg%d.expr=", seen.n ? "&" : "", seen.n);
			url_encode(out, text);
			sb_printf(out, "&g%d.tab=0", seen.n);
			VEC_PUSH(seen, text);
		}
	}
	for (int j = 0; j < seen.n; j++)
		free(seen.v[j]);
	free(seen.v);
}

static void print_text(struct strbuf *out, const struct split_result *r, const struct opts *o)
{
	const char *indent = r->name ? "  " : "";
	if (r->name)
		sb_printf(out, "%s\n", r->name);
	for (int i = 0; i < r->pairs.n; i++) {
		const struct pq_pair *p = &r->pairs.v[i];
		sb_puts(out, indent);
		pq_print(out, p->left);
		if (p->cmp) {
			sb_puts(out, "  ");
			pq_print_operator(out, p->cmp);
			sb_puts(out, "  ");
			pq_print(out, p->right);
		}
		sb_putc(out, '\n');
	}
	if (o->graph_url) {
		sb_printf(out, "%sgraph: ", indent);
		graph_url(out, o->graph_url, &r->pairs);
		sb_putc(out, '\n');
	}
}

static void json_node(struct strbuf *out, const struct pq_node *n)
{
	if (!n) {
		sb_puts(out, "null");
		return;
	}
	char *text = node_text(n);
	json_escape(out, text, strlen(text));
	free(text);
}

static void print_json(struct strbuf *out, const struct split_result *r, const struct opts *o)
{
	sb_putc(out, '{');
	if (r->name) {
		sb_puts(out, "\"alert\": ");
		json_escape(out, r->name, strlen(r->name));
		sb_puts(out, ", \"group\": ");
		json_escape(out, r->group, strlen(r->group));
		sb_puts(out, ", ");
	}
	sb_puts(out, "\"expr\": ");
	json_node(out, r->root);
	sb_puts(out, ", \"pairs\": [");
	for (int i = 0; i < r->pairs.n; i++) {
		const struct pq_pair *p = &r->pairs.v[i];
		sb_puts(out, i ? ", {\"left\": " : "{\"left\": ");
		json_node(out, p->left);
		sb_puts(out, ", \"op\": ");
		if (p->cmp) {
			struct strbuf op = { 0 };
			pq_print_operator(&op, p->cmp);
			json_escape(out, op.s, op.len);
			sb_free(&op);
		} else {
			sb_puts(out, "null");
		}
		sb_puts(out, ", \"right\": ");
		json_node(out, p->right);
		sb_putc(out, '}');
	}
	sb_putc(out, ']');
	if (o->graph_url) {
		struct strbuf url = { 0 };
		graph_url(&url, o->graph_url, &r->pairs);
		sb_puts(out, ", \"graph_url\": ");
		json_escape(out, url.s, url.len);
		sb_free(&url);
	}
	sb_putc(out, '}');
}

static int split_expr(const struct opts *o)
{
	struct arena *arena = arena_new();
	struct pq_error err;
	struct pq_node *root = pq_parse(arena, o->expr, &err);
	if (!root) {
		struct source src = { "expr", o->expr };
		struct diag d = { &src, stderr, 0, 0 };
		diag_error(&d, err.sp, "%s", err.msg);
		arena_free(arena);
		return 1;
	}
	struct split_result r = { .root = root };
	pq_split(root, &r.pairs);
	struct strbuf out = { 0 };
	if (o->json) {
		print_json(&out, &r, o);
		sb_putc(&out, '\n');
	} else {
		print_text(&out, &r, o);
	}
	fputs(out.s, stdout);
	sb_free(&out);
	free(r.pairs.v);
	arena_free(arena);
	return 0;
}

static int split_rules(const struct opts *o)
{
	char *text = read_whole_file(o->rules);
	if (!text) {
		fprintf(stderr, "ERROR: cannot read rules file '%s': %s\n", o->rules, strerror(errno));
		return 1;
	}
	struct source src = { o->rules, text };
	struct diag d = { &src, stderr, 0, 0 };
	struct arena *arena = arena_new();
	struct pq_rules rules = { 0 };
	pq_rules_load(arena, o->rules, text, &rules, &d);
	struct strbuf out = { 0 };
	int alerts = 0;
	if (o->json)
		sb_puts(&out, "{\"alerts\": [");
	for (int i = 0; i < rules.n; i++) {
		const struct pq_rule *rule = &rules.v[i];
		struct pq_error err;
		struct pq_node *root = pq_parse(arena, rule->expr, &err);
		if (!root) {	/* recording rules too: a broken file is worth knowing about */
			pq_rules_report(&d, rule, &err);
			continue;
		}
		if (!rule->alert)
			continue;
		struct split_result r = { rule->alert, rule->group, root, { 0 } };
		pq_split(root, &r.pairs);
		if (o->json) {
			sb_puts(&out, alerts ? ",\n  " : "\n  ");
			print_json(&out, &r, o);
		} else {
			print_text(&out, &r, o);
		}
		alerts++;
		free(r.pairs.v);
	}
	if (o->json)
		sb_puts(&out, alerts ? "\n]}\n" : "]}\n");
	if (out.s)
		fputs(out.s, stdout);
	if (!d.errors && !alerts)
		fprintf(stderr, "%s: no alert rules (recording rules are skipped)\n", o->rules);
	sb_free(&out);
	free(rules.v);
	arena_free(arena);
	free(text);
	return d.errors ? 1 : 0;
}

/* --name VALUE or --name=VALUE; NULL when argv[*i] is not --name. */
static const char *option_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n])
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

int tool_promql(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2;
	}
	if (strcmp(argv[1], "split")) {
		fprintf(stderr, "ERROR: unknown promql command '%s': the one there is, is split\n%s", argv[1], usage);
		return 1;
	}
	struct opts o = { 0 };
	int positional_only = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v;
		int missing = 0;
		/* options are long (and -h): "-x > 1" is an expression */
		int option = !positional_only && (!strncmp(a, "--", 2) || !strcmp(a, "-h"));
		if (!option) {
			if (o.expr) {
				fprintf(stderr, "ERROR: one expression at a time (quote it): got '%s' and '%s'\n", o.expr, a);
				return 1;
			}
			o.expr = a;
		} else if (!strcmp(a, "--")) {
			positional_only = 1;
		} else if (!strcmp(a, "--json")) {
			o.json = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		} else if ((v = option_value(argc, argv, &i, "--rules", &missing))) {
			o.rules = v;
		} else if ((v = option_value(argc, argv, &i, "--graph-url", &missing))) {
			o.graph_url = v;
		} else {
			if (missing)
				fprintf(stderr, "ERROR: %s needs a value\n", a);
			else
				fprintf(stderr, "ERROR: unknown option '%s' (an expression that starts with '-' goes after --)\n", a);
			return 1;
		}
	}
	if (o.rules && o.expr) {
		fputs("ERROR: give an expression or --rules FILE, not both\n", stderr);
		return 1;
	}
	if (!o.rules && !o.expr) {
		fputs("ERROR: no expression to split: give one, or --rules FILE\n", stderr);
		fputs(usage, stderr);
		return 1;
	}
	return o.rules ? split_rules(&o) : split_expr(&o);
}
