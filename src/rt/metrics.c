/*
 * --metrics: which maps are exported and how (families, labels, running
 * totals across clear()), and the life cycle. Pages are rendered
 * (rt/metrics_render.c) on the event loop's thread (metrics_serve), the
 * thread that also prints and clears maps, so a scrape never sees half a
 * clear(); the HTTP threads only hand pages over (rt/metrics_http.c).
 */
#include "metrics_priv.h"
#include "metrics_http.h"
#include "session.h"
#include "../bpf/loader.h"
#include "../lang/label_cgroup.h"
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- what is exported ---------------------------------------------------- */

static int value_family(const struct type *v, enum prom_type *pt, const char **what)
{
	switch (v->kind) {
	case TY_COUNT: *pt = PROM_COUNTER; *what = "count()"; return 0;
	case TY_SUM: *pt = PROM_COUNTER; *what = "sum()"; return 0;
	case TY_MIN: *pt = PROM_GAUGE; *what = "min()"; return 0;
	case TY_MAX: *pt = PROM_GAUGE; *what = "max()"; return 0;
	case TY_AVG: *pt = PROM_GAUGE; *what = "avg()"; return 0;
	case TY_INT: case TY_BOOL: *pt = PROM_GAUGE; *what = "a value"; return 0;
	case TY_STATS: *pt = PROM_SUMMARY; *what = "stats()"; return 0;
	case TY_HIST: *pt = PROM_HISTOGRAM; *what = "hist()"; return 0;
	case TY_LHIST: *pt = PROM_HISTOGRAM; *what = "lhist()"; return 0;
	default: return -1;
	}
}

/* The N_MAP node that first gives map m its keys, so labels can be named after them. */
static const struct node *find_keyed_use(const struct node *n, const struct mapinfo *m)
{
	for (; n; n = n->next) {
		if (n->kind == N_MAP && n->map == m && n->list)
			return n;
		const struct node *kids[] = { n->a, n->b, n->c, n->list, n->pred };
		for (size_t i = 0; i < ARRAY_SIZE(kids); i++) {
			const struct node *f = kids[i] ? find_keyed_use(kids[i], m) : NULL;
			if (f)
				return f;
		}
	}
	return NULL;
}

/* comm, pid, func, $var → var, str(arg0) → arg0, args.filename → filename; NULL: keyN. */
static const char *expr_label(const struct node *n)
{
	switch (n->kind) {
	case N_BUILTIN: case N_FIELD:
		return n->name;
	case N_VAR:
		return n->name[0] == '$' ? n->name + 1 : n->name;
	case N_MAP:
		return n->name[0] == '@' && n->name[1] ? n->name + 1 : NULL;
	case N_CAST:
		return n->a ? expr_label(n->a) : NULL;
	case N_CALL:
		return n->list ? expr_label(n->list) : n->name;
	default:
		return NULL;
	}
}

static int has_stack(const struct type *t)
{
	if (t->kind == TY_STACK)
		return 1;
	for (int i = 0; t->kind == TY_TUPLE && i < t->nfields; i++)
		if (has_stack(t->fields[i]))
			return 1;
	return 0;
}

static void add_part(struct metric_def *d, const struct type *t, int off, const char *want, int i)
{
	struct strbuf name = { 0 };
	if (want && *want)
		prom_label_name(&name, want);
	/* le and quantile belong to histograms and summaries; a repeated name would be one label */
	int clash = !name.len || !strcmp(sb_str(&name), "le") || !strcmp(sb_str(&name), "quantile");
	for (int k = 0; k < d->parts.n && !clash; k++)
		clash = !strcmp(d->parts.v[k].label, sb_str(&name));
	if (clash) {
		sb_reset(&name);
		sb_printf(&name, "key%d", i);
	}
	struct key_part p = { t, off, xstrdup(sb_str(&name)) };
	VEC_PUSH(d->parts, p);
	sb_free(&name);
}

/* The key's parts (a tuple's fields, or the key itself), labelled. */
static void key_parts(struct metric_def *d, const struct node *use)
{
	const struct type *k = d->m->key;
	if (!k)
		return;
	const struct node *exprs = use ? use->list : NULL;
	int nexprs = node_list_len(exprs);
	if (nexprs == 1 && exprs->kind == N_TUPLE) {
		exprs = exprs->list;
		nexprs = node_list_len(exprs);
	}
	int n = k->kind == TY_TUPLE ? k->nfields : 1;
	const struct node *e = nexprs == n ? exprs : NULL;
	for (int i = 0; i < n; i++, e = e ? e->next : NULL) {
		const char *want = d->spec && i < (int)ARRAY_SIZE(d->spec->labels) ? d->spec->labels[i] : NULL;
		if (!want && e)
			want = expr_label(e);
		if (k->kind == TY_TUPLE)
			add_part(d, k->fields[i], k->offs[i], want, i);
		else
			add_part(d, k, 0, want, i);
	}
}

static int family_taken(const struct metrics *mt, const char *name)
{
	static const char *const own[] = {
		"sonde_events_lost", "sonde_read_failures", "sonde_map_updates_dropped", "sonde_map_entries",
		"sonde_probe_runs", "sonde_probe_run_seconds", "sonde_scrape_duration_seconds",
	};
	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		if (!strcmp(own[i], name))
			return 1;
	for (int i = 0; i < mt->defs.n; i++)
		if (!strcmp(mt->defs.v[i].name, name))
			return 1;
	return 0;
}

/* One exported map; -1 after an error message when it cannot be a metric. */
/* --label-cgroup: the map's shadow keyed by cgroup too (lang/label_cgroup.c), or m itself. */
static const struct mapinfo *by_cgroup(struct session *s, const struct mapinfo *m)
{
	if (!m || !s->o.label_cgroup)
		return m;
	struct strbuf name = { 0 };
	label_cgroup_shadow_name(&name, m->name);
	const struct mapinfo *shadow = script_find_map(&s->script, sb_str(&name));
	sb_free(&name);
	return shadow && shadow->val ? shadow : m;
}

static int add_def(struct session *s, struct metrics *mt, const struct mapinfo *m, const struct metrics_spec *spec)
{
	/* the family keeps the map's name; its series come from the shadow */
	const struct mapinfo *shadow = by_cgroup(s, m);
	struct metric_def d = { .m = shadow, .map_name = m->name, .spec = spec, .lo = 1, .hi = 0 };
	const char *what;
	const struct node *use = find_keyed_use(s->script.prog, shadow);
	if (value_family(m->val, &d.type, &what)) {
		struct strbuf t = { 0 };
		type_name(m->val, &t);
		diag_error(&s->diag, m->first_use, "--metrics: %s holds %s values, which cannot be a metric (numbers, "
			   "count(), sum(), min(), max(), avg(), stats(), hist() and lhist() can); name it @_%s to keep "
			   "it out of the metrics", m->name, sb_str(&t), m->name + 1);
		sb_free(&t);
		return -1;
	}
	if (m->key && has_stack(m->key)) {
		diag_error(&s->diag, use ? use->span : m->first_use, "--metrics: %s is keyed by a stack, which cannot be a "
			   "label (every stack would be a series, its frames one long value); name it @_%s to keep it out "
			   "of the metrics, or key it by func, probe or comm", m->name, m->name + 1);
		return -1;
	}
	struct strbuf name = { 0 };
	if (spec && spec->name) {
		sb_puts(&name, spec->name);
	} else {
		sb_puts(&name, "sonde_");
		prom_metric_name(&name, m->name[1] ? m->name + 1 : "map");
	}
	/* a counter's samples add _total: @requests_total is sonde_requests_total, not …_total_total */
	if (d.type == PROM_COUNTER && name.len > 6 && !strcmp(name.s + name.len - 6, "_total"))
		name.s[name.len -= 6] = 0;
	if (family_taken(mt, sb_str(&name))) {
		diag_error(&s->diag, m->first_use, "--metrics: %s would be exported as %s, a name already taken; "
			   "rename the map", m->name, sb_str(&name));
		sb_free(&name);
		return -1;
	}
	d.name = xstrdup(sb_str(&name));
	sb_reset(&name);
	if (spec && spec->help)
		sb_puts(&name, spec->help);
	else
		sb_printf(&name, "%s = %s in the script (line %d)", m->name, what, m->first_use.line);
	d.help = xstrdup(sb_str(&name));
	sb_free(&name);
	d.exp = spec ? spec->exp : 0;
	d.counted = d.type == PROM_COUNTER || d.type == PROM_SUMMARY || d.type == PROM_HISTOGRAM;
	map_table_init(&d.cleared, shadow, bpf_ncpus());
	if (spec && spec->sum_map)
		d.sum = by_cgroup(s, script_find_map(&s->script, spec->sum_map));
	key_parts(&d, use);
	if (shadow != m && d.parts.n)
		d.parts.v[d.parts.n - 1].cgroup = 1;
	d.values = xcalloc((size_t)d.parts.n + 1, sizeof(*d.values));
	d.lbl = xcalloc((size_t)d.parts.n + 1, sizeof(*d.lbl));
	VEC_PUSH(mt->defs, d);
	return 0;
}

static int cmp_maps(const void *a, const void *b)
{
	return strcmp((*(const struct mapinfo *const *)a)->name, (*(const struct mapinfo *const *)b)->name);
}

static int build_defs(struct session *s, struct metrics *mt)
{
	struct script *sc = &s->script;
	int rc = 0;
	if (s->o.metrics_specs) {
		for (const struct metrics_spec *sp = s->o.metrics_specs; sp->map; sp++) {
			const struct mapinfo *m = script_find_map(sc, sp->map);
			if (m && m->val && add_def(s, mt, m, sp))
				rc = -1;
		}
		return rc;
	}
	/* every map of the script, in name order; @_name stays private */
	const struct mapinfo **order = xcalloc((size_t)sc->maps.n + 1, sizeof(*order));
	int n = 0;
	for (int i = 0; i < sc->maps.n; i++)
		if (sc->maps.v[i]->val && strncmp(sc->maps.v[i]->name, "@_", 2) &&
		    !label_cgroup_is_shadow(sc->maps.v[i]->name))
			order[n++] = sc->maps.v[i];
	qsort(order, (size_t)n, sizeof(*order), cmp_maps);
	for (int i = 0; i < n; i++)
		if (add_def(s, mt, order[i], NULL))
			rc = -1;
	free(order);
	return rc;
}

/* ---- the `/` page ------------------------------------------------------ */

static void index_page(const struct metrics *mt, struct strbuf *out)
{
	static const char *const types[] = { "counter", "gauge", "histogram", "summary" };
	sb_puts(out, "sonde --metrics\n\nGET /metrics: Prometheus text format 0.0.4, or OpenMetrics 1.0 when the "
		"Accept header asks for it.\nMaps are read when scraped.\n\n");
	sb_printf(out, "%-40s %-10s %-24s %s\n", "METRIC", "TYPE", "LABELS", "FROM");
	for (int i = 0; i < mt->defs.n; i++) {
		const struct metric_def *d = &mt->defs.v[i];
		struct strbuf name = { 0 }, labels = { 0 };
		sb_printf(&name, "%s%s", d->name, d->type == PROM_COUNTER ? "_total" : "");
		for (int k = 0; k < d->parts.n; k++)
			sb_printf(&labels, "%s%s", k ? "," : "", d->parts.v[k].label);
		sb_printf(out, "%-40s %-10s %-24s %s\n", sb_str(&name), types[d->type], labels.len ? sb_str(&labels) : "-",
			  d->help);
		sb_free(&name);
		sb_free(&labels);
	}
	sb_puts(out, "\nsonde's own:\n");
	static const char *const own[][4] = {
		{ "sonde_events_lost_total", "counter", "-", "records the ring buffer had no room for" },
		{ "sonde_read_failures_total", "counter", "probe,line", "reads of user memory that failed" },
		{ "sonde_map_updates_dropped_total", "counter", "map", "new keys a full map refused" },
		{ "sonde_map_entries", "gauge", "map", "keys in each exported map" },
		{ "sonde_probe_runs_total", "counter", "probe,line", "runs of each probe (kernel BPF stats on)" },
		{ "sonde_probe_run_seconds_total", "counter", "probe,line", "time in each probe (kernel BPF stats on)" },
		{ "sonde_scrape_duration_seconds", "gauge", "-", "time to read the maps and render this page" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(own); i++)
		sb_printf(out, "%-40s %-10s %-24s %s\n", own[i][0], own[i][1], own[i][2], own[i][3]);
}

/* ---- the life cycle ------------------------------------------------------ */

int metrics_open(struct session *s)
{
	if (!s->o.metrics_addr)
		return 0;
	struct metrics *mt = xcalloc(1, sizeof(*mt));
	mt->stats_fd = -1;
	s->metrics = mt;
	if (build_defs(s, mt))
		return -1;
	if (s->o.probe_stats) {
		mt->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (mt->stats_fd < 0) {
			diag_plain(&s->diag, "--probe-stats: the kernel would not keep BPF run-time statistics: %s",
				   strerror(errno));
			return -1;
		}
	}
	struct strbuf page = { 0 };
	index_page(mt, &page);
	char err[512], bound[128] = "";
	mt->http = metrics_http_start(*s->o.metrics_addr ? s->o.metrics_addr : NULL, sb_str(&page), err, sizeof(err),
				      bound, sizeof(bound));
	sb_free(&page);
	if (!mt->http) {
		diag_plain(&s->diag, "--metrics: %s", err);
		return -1;
	}
	fprintf(stderr, "Serving metrics at http://%s/metrics\n", bound);
	return 0;
}

int metrics_wake_fd(const struct metrics *mt)
{
	return mt && mt->http ? metrics_http_wake_fd(mt->http) : -1;
}

void metrics_serve(struct session *s)
{
	struct metrics *mt = s->metrics;
	if (!mt || !mt->http)
		return;
	unsigned want = metrics_http_pending(mt->http);
	for (int f = 0; f < PROM_FORMATS; f++) {
		if (!(want & (1u << f)))
			continue;
		struct strbuf page = { 0 };
		metrics_render(s, (enum prom_format)f, &page);
		metrics_http_publish(mt->http, (enum prom_format)f, &page);
	}
}

/*
 * clear(): each key taken out with its value in one step
 * (BPF_MAP_LOOKUP_AND_DELETE_ELEM), so no update falls between the read and
 * the delete; -1 when the kernel cannot, and some of the map may be left.
 */
static int take_all(const struct mapinfo *m, struct map_table *tb)
{
	size_t vsize = m->percpu ? (size_t)bpf_ncpus() * ALIGN8((size_t)m->value_size) : (size_t)m->value_size;
	uint8_t *key = xcalloc(1, (size_t)m->key_size), *vals = xmalloc(vsize);
	int rc = 0;
	for (int guard = 0; guard < 1000000 && !bpf_map_get_next_key(m->fd, NULL, key); guard++) {
		if (bpf_map_lookup_and_delete_elem(m->fd, key, vals)) {
			if (errno == ENOENT)
				continue;	/* a BPF delete() won the race */
			rc = -1;
			break;
		}
		map_table_add(tb, key, vals);
	}
	free(key);
	free(vals);
	map_table_finish(tb);
	return rc;
}

int metrics_clear(struct session *s, const struct mapinfo *m, int zero)
{
	struct metrics *mt = s->metrics;
	for (int i = 0; mt && i < mt->defs.n; i++) {
		struct metric_def *d = &mt->defs.v[i];
		if (d->m != m || !d->counted)
			continue;
		struct map_table tb;
		map_table_init(&tb, m, bpf_ncpus());
		int taken = !zero && !take_all(m, &tb);
		if (!taken) {
			map_table_free(&tb);
			metrics_read_table(mt, m, &tb);
		}
		map_table_merge_counts(&d->cleared, &tb);
		map_table_free(&tb);
		return taken;
	}
	return 0;
}

void metrics_close(struct session *s)
{
	struct metrics *mt = s->metrics;
	if (!mt)
		return;
	metrics_http_stop(mt->http);
	for (int i = 0; i < mt->defs.n; i++) {
		struct metric_def *d = &mt->defs.v[i];
		for (int k = 0; k < d->parts.n; k++) {
			free(d->parts.v[k].label);
			sb_free(&d->values[k]);
		}
		free(d->values);
		free(d->lbl);
		free(d->parts.v);
		free(d->name);
		free(d->help);
		map_table_free(&d->cleared);
	}
	free(mt->defs.v);
	if (mt->stats_fd >= 0)
		close(mt->stats_fd);
	free(mt);
	s->metrics = NULL;
}
