/* Map typing: keys, values, aggregations, whole-map arguments. */
#include "checker.h"
#include <string.h>

struct mapinfo *script_find_map(struct script *s, const char *name)
{
	for (int i = 0; i < s->maps.n; i++)
		if (!strcmp(s->maps.v[i]->name, name))
			return s->maps.v[i];
	return NULL;
}

struct mapinfo *chk_get_map(struct checker *c, struct node *n)
{
	struct mapinfo *m = script_find_map(c->s, n->name);
	if (!m) {
		m = arena_alloc(chk_arena(c), sizeof(*m));
		m->name = n->name;
		m->first_use = n->span;
		m->id = c->s->maps.n;
		m->fd = -1;
		VEC_PUSH(c->s->maps, m);
	}
	n->map = m;
	return m;
}

static struct type *key_type(struct checker *c, struct node *keys)
{
	int n = node_list_len(keys);
	struct type *ts[16];
	if (n > 16) {
		ERR(c, keys->span, "too many map keys (%d, at most 16)", n);
		return NULL;
	}
	int i = 0;
	for (struct node *k = keys; k; k = k->next, i++) {
		struct type *t = check_expr(c, k);
		if (!t)
			return NULL;
		if (t->kind == TY_VOID || t->kind == TY_STRUCT || t->kind == TY_ARGS || type_is_agg(t) ||
		    (t->kind == TY_ARRAY && !t->is_chars)) {
			ERR(c, k->span, "%s cannot be used as a map key", chk_type_name(c, t));
			return NULL;
		}
		ts[i] = chk_stored(c, t);
	}
	return n == 1 ? ts[0] : type_tuple(chk_arena(c), ts, n);
}

/* Keys of one map: equal types, where a 64-bit integer may be signed or not (a literal key is
 * int64, a field widened from u8 uint64; bpftrace indexes one map with both) */
static int keys_compatible(const struct type *a, const struct type *b)
{
	if (a->kind == TY_INT && b->kind == TY_INT)
		return a->size == b->size;
	if (a->kind == TY_TUPLE && b->kind == TY_TUPLE && a->nfields == b->nfields) {
		for (int i = 0; i < a->nfields; i++)
			if (!keys_compatible(a->fields[i], b->fields[i]))
				return 0;
		return 1;
	}
	return type_equal(a, b);
}

/* Checks @m[keys] against the map's key type, fixing it on first use. */
int check_map_keys(struct checker *c, struct node *n, struct mapinfo *m)
{
	struct type *kt = n->list ? key_type(c, n->list) : NULL;
	if (n->list && !kt)
		return -1;
	if (!m->key && !m->val) {
		m->key = kt;
		return 0;
	}
	if (!kt && !m->key)
		return 0;
	if (!kt || !m->key) {
		ERR(c, n->span, "%s used both with and without keys", m->name);
		return -1;
	}
	if (!keys_compatible(kt, m->key)) {
		ERR(c, n->span, "Argument mismatch for %s: trying to access with arguments: '%s' when map expects arguments: '%s'",
		    m->name, chk_type_name(c, kt), chk_type_name(c, m->key));
		return -1;
	}
	return 0;
}

int set_map_value(struct checker *c, struct node *site, struct mapinfo *m, struct type *t)
{
	if (!m->val) {
		m->val = t;
		return 0;
	}
	if (type_equal(m->val, t))
		return 0;
	/* An int of another signedness joins an int map (bpftrace widens). */
	if (m->val->kind == TY_INT && t->kind == TY_INT)
		return 0;
	ERR(c, site->span, "Type mismatch for %s: trying to assign value of type '%s' when map already contains a value of type '%s'",
	    m->name, chk_type_name(c, t), chk_type_name(c, m->val));
	return -1;
}

struct type *check_map_read(struct checker *c, struct node *n)
{
	struct mapinfo *m = chk_get_map(c, n);
	if (check_map_keys(c, n, m))
		return NULL;
	if (!m->val && c->guess_maps)
		return type_int(chk_arena(c), 8, 1);
	if (!m->val) {
		ERR(c, n->span, "Undefined map: %s", n->name);
		return NULL;
	}
	switch (m->val->kind) {
	case TY_COUNT:
		return type_int(chk_arena(c), 8, 0);
	case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG:
		/* summed over CPUs in BPF, as the newest bpftrace does */
		return type_int(chk_arena(c), 8, m->val->is_signed);
	case TY_STATS: case TY_HIST: case TY_LHIST: case TY_TSERIES:
		ERR(c, n->span, "the %s value of %s cannot be read in an expression; print(%s) shows it",
		    chk_type_name(c, m->val), m->name, m->name);
		return NULL;
	default:
		return m->val;
	}
}

/* A map argument of print/clear/zero/len: the whole map, no keys. */
struct mapinfo *chk_whole_map(struct checker *c, struct node *call, struct node *arg)
{
	if (!arg || arg->kind != N_MAP || arg->list) {
		ERR(c, arg ? arg->span : call->span, "%s() expects a map with no keys, e.g. %s(@name)",
		    call->name, call->name);
		return NULL;
	}
	struct mapinfo *m = chk_get_map(c, arg);
	if (!m->val) {
		ERR(c, arg->span, "Undefined map: %s", arg->name);
		return NULL;
	}
	return m;
}

/* tseries(n, interval_ns, num_intervals[, "avg"|"max"|"min"|"sum"]) */
static int check_tseries_args(struct checker *c, struct node *n, struct type *t)
{
	int64_t interval, count;
	if (chk_const_int(c, chk_arg(n, 1), &interval, "tseries() interval") ||
	    chk_const_int(c, chk_arg(n, 2), &count, "tseries() number of intervals"))
		return -1;
	if (interval <= 0) {
		ERR(c, chk_arg(n, 1)->span, "tseries() interval must be above 0 (ns; 100ms, 1s also work)");
		return -1;
	}
	if (count < 1 || count > 1000000) {
		ERR(c, chk_arg(n, 2)->span, "tseries() keeps 1 to 1000000 intervals");
		return -1;
	}
	t->ts_interval = interval;
	t->ts_count = (int)count;
	t->ts_agg = TSERIES_LAST;
	struct node *agg = chk_arg(n, 3);
	if (agg) {
		static const char *const aggs[] = { [TSERIES_AVG] = "avg", [TSERIES_MAX] = "max", [TSERIES_MIN] = "min",
						    [TSERIES_SUM] = "sum" };
		int k = TSERIES_AVG;
		while (agg->kind == N_STR && k <= TSERIES_SUM && strcmp(aggs[k], agg->str))
			k++;
		if (agg->kind != N_STR || k > TSERIES_SUM) {
			ERR(c, agg->span, "tseries() aggregates an interval by \"avg\", \"max\", \"min\" or \"sum\"");
			return -1;
		}
		t->ts_agg = k;
	}
	return 0;
}

struct type *check_agg(struct checker *c, struct node *n, enum type_kind kind)
{
	static const int nargs[] = { [TY_COUNT] = 0, [TY_SUM] = 1, [TY_MIN] = 1, [TY_MAX] = 1,
				     [TY_AVG] = 1, [TY_STATS] = 1, [TY_HIST] = 1, [TY_LHIST] = 4, [TY_TSERIES] = 3 };
	/* hist(n, k): 2^k buckets per power of two (bpftrace 0.20); tseries(n, interval, count, "agg") */
	if (!chk_nargs_ok(c, n, nargs[kind], nargs[kind] + (kind == TY_HIST || kind == TY_TSERIES)))
		return NULL;
	struct type *t = type_simple(chk_arena(c), kind);
	if (n->list) {
		struct type *vt = check_expr(c, n->list);
		if (!vt)
			return NULL;
		if (!chk_is_int(vt)) {
			ERR(c, n->list->span, "%s() expects an integer argument (%s supplied)", n->name, chk_type_name(c, vt));
			return NULL;
		}
		t->is_signed = vt->kind == TY_INT && vt->is_signed;
	}
	if (kind == TY_HIST && chk_arg(n, 1)) {
		int64_t bits;
		if (chk_const_int(c, chk_arg(n, 1), &bits, "hist() k"))
			return NULL;
		if (bits < 0 || bits > 5) {
			ERR(c, chk_arg(n, 1)->span, "hist() k is 0 to 5 (2^k buckets per power of two), not %lld",
			    (long long)bits);
			return NULL;
		}
		t->hist_bits = (int)bits;
	}
	if (kind == TY_TSERIES && check_tseries_args(c, n, t))
		return NULL;
	if (kind == TY_LHIST) {
		if (chk_const_int(c, chk_arg(n, 1), &t->lmin, "lhist() min") ||
		    chk_const_int(c, chk_arg(n, 2), &t->lmax, "lhist() max") ||
		    chk_const_int(c, chk_arg(n, 3), &t->lstep, "lhist() step"))
			return NULL;
		if (t->lmin < 0 || t->lmax <= t->lmin || t->lstep <= 0) {
			ERR(c, n->span, "lhist() needs 0 <= min < max and step > 0");
			return NULL;
		}
		if ((t->lmax - t->lmin) / t->lstep > 1000) {
			ERR(c, n->span, "lhist() max buckets is 1000; use a larger step");
			return NULL;
		}
	}
	return t;
}

struct agg_name {
	const char *name;
	enum type_kind kind;
};

static const struct agg_name agg_names[] = {
	{ "count", TY_COUNT }, { "sum", TY_SUM }, { "min", TY_MIN }, { "max", TY_MAX },
	{ "avg", TY_AVG }, { "stats", TY_STATS }, { "hist", TY_HIST }, { "lhist", TY_LHIST },
	{ "tseries", TY_TSERIES },
};

enum type_kind chk_agg_kind(const struct node *n)
{
	if (n->kind != N_CALL)
		return TY_NONE;
	for (size_t i = 0; i < ARRAY_SIZE(agg_names); i++)
		if (!strcmp(agg_names[i].name, n->name))
			return agg_names[i].kind;
	return TY_NONE;
}

