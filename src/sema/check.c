/*
 * The semantic pass: expands attach points through their providers, gives
 * every expression a type, fixes map and variable types, and collects the
 * records BPF will send. Runs twice: a quiet first pass learns map types from
 * assignments anywhere in the script, the second reports errors.
 */
#include "sema.h"
#include "btf.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct checker {
	struct script *s;
	struct diag *d;
	int final;		/* last pass: report errors, create records */
	int guess_maps;		/* quiet pass 2: read a map not yet typed as int64 (@u = @u + 1) */
	struct probe_block *blk;
};

static struct type *check_expr(struct checker *c, struct node *n);
static int check_stmt(struct checker *c, struct node *n);
static int check_incdec(struct checker *c, struct node *n);

#define ERR(c, sp, ...) do { if ((c)->final) diag_error((c)->d, sp, __VA_ARGS__); else (c)->d->errors++; } while (0)

static struct arena *A(struct checker *c)
{
	return c->s->arena;
}

struct mapinfo *script_find_map(struct script *s, const char *name)
{
	for (int i = 0; i < s->maps.n; i++)
		if (!strcmp(s->maps.v[i]->name, name))
			return s->maps.v[i];
	return NULL;
}

static struct mapinfo *get_map(struct checker *c, struct node *n)
{
	struct mapinfo *m = script_find_map(c->s, n->name);
	if (!m) {
		m = arena_alloc(A(c), sizeof(*m));
		m->name = n->name;
		m->first_use = n->span;
		m->id = c->s->maps.n;
		m->fd = -1;
		VEC_PUSH(c->s->maps, m);
	}
	n->map = m;
	return m;
}

static char *tname(struct checker *c, const struct type *t)
{
	struct strbuf sb = { 0 };
	type_name(t, &sb);
	char *r = arena_strndup(A(c), sb_str(&sb), sb.len);
	sb_free(&sb);
	return r;
}

static int is_int(const struct type *t)
{
	return t && (t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_PTR);
}

/* What a value becomes in a map, a variable, a key or a record. */
static struct type *stored(struct checker *c, struct type *t)
{
	if (t->kind == TY_ARRAY && t->is_chars)
		return type_str(A(c));
	return type_stored(A(c), t);
}

static struct record *new_record(struct checker *c, enum rec_kind kind, struct node *n)
{
	if (!c->final)
		return NULL;
	struct record *r = arena_alloc(A(c), sizeof(*r));
	r->kind = kind;
	r->id = c->s->records.n;
	r->size = 8;
	r->tail_str_off = -1;
	VEC_PUSH(c->s->records, r);
	n->id = r->id;
	return r;
}

static void record_add_args(struct checker *c, struct record *r, struct type **types, int n)
{
	r->nargs = n;
	r->args = arena_alloc(A(c), sizeof(*types) * (size_t)(n ? n : 1));
	r->offs = arena_alloc(A(c), sizeof(int) * (size_t)(n ? n : 1));
	r->tail_str_off = -1;
	/* Strings go last, so the final one can be sent without its zero padding. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < n; i++) {
			if ((types[i]->kind == TY_STR) != pass)
				continue;
			r->args[i] = types[i];
			r->offs[i] = r->size;
			if (pass)
				r->tail_str_off = r->size;
			r->size += (int)ALIGN8((size_t)types[i]->size);
		}
}

/* ---- builtins ---- */

struct builtin {
	const char *name;
	enum type_kind kind;
	int is_signed;
};

static const struct builtin builtins[] = {
	{ "pid", TY_INT, 0 }, { "tid", TY_INT, 0 }, { "uid", TY_INT, 0 }, { "gid", TY_INT, 0 },
	{ "cpu", TY_INT, 0 }, { "nsecs", TY_INT, 0 }, { "elapsed", TY_INT, 0 },
	{ "rand", TY_INT, 0 }, { "cgroup", TY_INT, 0 }, { "comm", TY_STR, 0 },
	{ "curtask", TY_PTR, 0 }, { "probe", TY_PROBE, 0 },
};

/* Builtins that belong to probe types this build does not attach yet. */
static const char *const later_builtins[] = {
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "retval", "func", "args", "kstack",
	"ustack", "cpid", "username", "jiffies", "numaid", "sarg0", "sarg1", "sarg2",
};

static struct type *check_builtin(struct checker *c, struct node *n)
{
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++) {
		if (strcmp(builtins[i].name, n->name))
			continue;
		if (builtins[i].kind == TY_STR)
			return type_str(A(c));
		if (builtins[i].kind == TY_PTR) {
			int id = kbtf_find_struct("task_struct");
			if (id < 0) {
				ERR(c, n->span, "curtask needs kernel BTF (/sys/kernel/btf/vmlinux), which this kernel does not provide");
				return NULL;
			}
			struct type *t = type_simple(A(c), TY_PTR);
			t->btf_id = id;
			c->s->uses_curtask = 1;
			return t;
		}
		if (builtins[i].kind == TY_PROBE)
			return type_simple(A(c), TY_PROBE);
		return type_int(A(c), 8, builtins[i].is_signed);
	}
	for (size_t i = 0; i < ARRAY_SIZE(later_builtins); i++)
		if (!strcmp(later_builtins[i], n->name)) {
			ERR(c, n->span, "builtin %s is not available for probe type %s", n->name,
			    c->blk->prov->name);
			return NULL;
		}
	ERR(c, n->span, "Unknown identifier: '%s'", n->name);
	return NULL;
}

/* ---- maps ---- */

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
		if (t->kind == TY_VOID || t->kind == TY_STRUCT || type_is_agg(t) ||
		    (t->kind == TY_ARRAY && !t->is_chars)) {
			ERR(c, k->span, "%s cannot be used as a map key", tname(c, t));
			return NULL;
		}
		ts[i] = stored(c, t);
	}
	return n == 1 ? ts[0] : type_tuple(A(c), ts, n);
}

/* Checks @m[keys] against the map's key type, fixing it on first use. */
static int check_map_keys(struct checker *c, struct node *n, struct mapinfo *m)
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
	if (!type_equal(kt, m->key)) {
		ERR(c, n->span, "Argument mismatch for %s: trying to access with arguments: '%s' when map expects arguments: '%s'",
		    m->name, tname(c, kt), tname(c, m->key));
		return -1;
	}
	return 0;
}

static int set_map_value(struct checker *c, struct node *site, struct mapinfo *m, struct type *t)
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
	    m->name, tname(c, t), tname(c, m->val));
	return -1;
}

static struct type *check_map_read(struct checker *c, struct node *n)
{
	struct mapinfo *m = get_map(c, n);
	if (check_map_keys(c, n, m))
		return NULL;
	if (!m->val && c->guess_maps)
		return type_int(A(c), 8, 1);
	if (!m->val) {
		ERR(c, n->span, "Undefined map: %s", n->name);
		return NULL;
	}
	switch (m->val->kind) {
	case TY_COUNT:
		return type_int(A(c), 8, 0);
	case TY_SUM: case TY_MIN: case TY_MAX: case TY_AVG:
		/* summed over CPUs in BPF, as the newest bpftrace does */
		return type_int(A(c), 8, m->val->is_signed);
	case TY_STATS: case TY_HIST: case TY_LHIST:
		ERR(c, n->span, "the %s value of %s cannot be read in an expression; print(%s) shows it",
		    tname(c, m->val), m->name, m->name);
		return NULL;
	default:
		return m->val;
	}
}

/* A map argument of print/clear/zero/len: the whole map, no keys. */
static struct mapinfo *whole_map_arg(struct checker *c, struct node *call, struct node *arg)
{
	if (!arg || arg->kind != N_MAP || arg->list) {
		ERR(c, arg ? arg->span : call->span, "%s() expects a map with no keys, e.g. %s(@name)",
		    call->name, call->name);
		return NULL;
	}
	struct mapinfo *m = get_map(c, arg);
	if (!m->val) {
		ERR(c, arg->span, "Undefined map: %s", arg->name);
		return NULL;
	}
	return m;
}

/* ---- functions ---- */

static int nargs_ok(struct checker *c, struct node *n, int min, int max)
{
	int k = node_list_len(n->list);
	if (k >= min && k <= max)
		return 1;
	if (min == max)
		ERR(c, n->span, "%s() requires %d argument%s (%d provided)", n->name, min, min == 1 ? "" : "s", k);
	else
		ERR(c, n->span, "%s() takes %d to %d arguments (%d provided)", n->name, min, max, k);
	return 0;
}

static struct node *arg(struct node *call, int i)
{
	struct node *a = call->list;
	while (a && i--)
		a = a->next;
	return a;
}

static int const_int(struct checker *c, struct node *n, int64_t *v, const char *what)
{
	if (n->kind == N_UNOP && n->op == T_MINUS && n->a->kind == N_INT) {
		*v = -(int64_t)n->a->ival;
		return 0;
	}
	if (n->kind == N_INT) {
		*v = (int64_t)n->ival;
		return 0;
	}
	ERR(c, n->span, "%s must be an integer literal", what);
	return -1;
}

static int check_args_are(struct checker *c, struct node *call, int from, const char *fn)
{
	for (struct node *a = arg(call, from); a; a = a->next) {
		struct type *t = check_expr(c, a);
		if (!t)
			return -1;
		if (!is_int(t)) {
			ERR(c, a->span, "%s() expects an integer argument (%s supplied)", fn, tname(c, t));
			return -1;
		}
	}
	return 0;
}

static struct type *check_printf(struct checker *c, struct node *n)
{
	struct node *f = n->list;
	if (!f || f->kind != N_STR) {
		ERR(c, f ? f->span : n->span, "printf() expects a string literal as its first argument");
		return NULL;
	}
	struct fmt_spec spec;
	char err[256];
	if (fmt_parse(f->str, &spec, err, sizeof(err))) {
		ERR(c, f->span, "%s", err);
		return NULL;
	}
	int nargs = node_list_len(f->next);
	if (fmt_check_args(&spec, nargs, err, sizeof(err))) {
		ERR(c, n->span, "%s", err);
		return NULL;
	}
	struct type *ts[32];
	int i = 0;
	for (struct node *a = f->next; a; a = a->next, i++) {
		struct type *t = check_expr(c, a);
		if (!t)
			return NULL;
		t = stored(c, t);
		int want_str = spec.conv[i].kind == FMT_STR;
		if (want_str && !type_is_stringish(t)) {
			ERR(c, a->span, "printf: %%%c specifier expects a value of type string (%s supplied)",
			    spec.conv[i].conv, tname(c, t));
			return NULL;
		}
		if (!want_str && !is_int(t)) {
			ERR(c, a->span, "printf: %%%c specifier expects a value of type integer (%s supplied)",
			    spec.conv[i].conv, t->kind == TY_STR ? "string" : tname(c, t));
			return NULL;
		}
		ts[i] = t;
	}
	struct record *r = new_record(c, REC_PRINTF, n);
	if (r) {
		r->fmt = f->str;
		r->spec = spec;
		record_add_args(c, r, ts, nargs);
	}
	return type_simple(A(c), TY_VOID);
}

static struct type *check_print(struct checker *c, struct node *n)
{
	if (!nargs_ok(c, n, 1, 3))
		return NULL;
	struct node *a = n->list;
	if (a->kind == N_MAP && !a->list) {
		struct mapinfo *m = whole_map_arg(c, n, a);
		if (!m)
			return NULL;
		int64_t top = 0, div = 1;
		if (a->next && const_int(c, a->next, &top, "print()'s top argument"))
			return NULL;
		if (a->next && a->next->next && const_int(c, a->next->next, &div, "print()'s div argument"))
			return NULL;
		if (top < 0 || div <= 0) {
			ERR(c, a->next->span, "print(): top must be >= 0 and div > 0");
			return NULL;
		}
		struct record *r = new_record(c, REC_PRINT_MAP, n);
		if (r) {
			r->map = m;
			r->top = top;
			r->div = div;
		}
		return type_simple(A(c), TY_VOID);
	}
	if (a->next) {
		ERR(c, a->next->span, "print() of a value takes a single argument");
		return NULL;
	}
	struct type *t = check_expr(c, a);
	if (!t)
		return NULL;
	if (t->kind == TY_VOID || t->kind == TY_STRUCT) {
		ERR(c, a->span, "print() cannot print a value of type %s", tname(c, t));
		return NULL;
	}
	t = stored(c, t);
	struct record *r = new_record(c, REC_PRINT_VAL, n);
	if (r)
		record_add_args(c, r, &t, 1);
	return type_simple(A(c), TY_VOID);
}

static struct type *check_map_fn(struct checker *c, struct node *n, enum rec_kind kind)
{
	if (!nargs_ok(c, n, 1, 1))
		return NULL;
	struct mapinfo *m = whole_map_arg(c, n, n->list);
	if (!m)
		return NULL;
	struct record *r = new_record(c, kind, n);
	if (r)
		r->map = m;
	return type_simple(A(c), TY_VOID);
}

/* delete(@m[k]), delete(@m, k), delete(@m, (k1, k2)), delete(@scalar) */
static struct type *check_delete(struct checker *c, struct node *n)
{
	if (!nargs_ok(c, n, 1, 2))
		return NULL;
	struct node *m = n->list;
	if (m->kind != N_MAP) {
		ERR(c, m->span, "delete() expects a map");
		return NULL;
	}
	if (m->next) {
		if (m->list) {
			ERR(c, m->span, "delete(@map, key) takes the map without keys");
			return NULL;
		}
		/* Fold the new form into the old one: @m[key]. */
		struct node *k = m->next;
		m->next = NULL;
		if (k->kind == N_TUPLE) {
			m->list = k->list;
		} else {
			m->list = k;
		}
		n->list = m;
	}
	struct mapinfo *mi = get_map(c, m);
	if (check_map_keys(c, m, mi))
		return NULL;
	if (!mi->val) {
		ERR(c, m->span, "Undefined map: %s", m->name);
		return NULL;
	}
	return type_simple(A(c), TY_VOID);
}

static struct type *check_has_key(struct checker *c, struct node *n)
{
	struct node *m = n->list;
	if (!(m && m->list && !m->next) && !nargs_ok(c, n, 2, 2))
		return NULL;
	if (m->kind != N_MAP || (m->list && m->next)) {
		ERR(c, m->span, "has_key() expects a map with no keys as its first argument");
		return NULL;
	}
	struct node *k = m->next;
	if (k) {	/* the first pass folded it already otherwise */
		m->next = NULL;
		m->list = k->kind == N_TUPLE ? k->list : k;
	}
	struct mapinfo *mi = get_map(c, m);
	if (check_map_keys(c, m, mi))
		return NULL;
	if (!mi->val) {
		ERR(c, m->span, "Undefined map: %s", m->name);
		return NULL;
	}
	return type_simple(A(c), TY_BOOL);
}

static struct type *check_agg(struct checker *c, struct node *n, enum type_kind kind)
{
	static const int nargs[] = { [TY_COUNT] = 0, [TY_SUM] = 1, [TY_MIN] = 1, [TY_MAX] = 1,
				     [TY_AVG] = 1, [TY_STATS] = 1, [TY_HIST] = 1, [TY_LHIST] = 4 };
	if (!nargs_ok(c, n, nargs[kind], nargs[kind]))
		return NULL;
	struct type *t = type_simple(A(c), kind);
	if (n->list) {
		struct type *vt = check_expr(c, n->list);
		if (!vt)
			return NULL;
		if (!is_int(vt)) {
			ERR(c, n->list->span, "%s() expects an integer argument (%s supplied)", n->name, tname(c, vt));
			return NULL;
		}
		t->is_signed = vt->kind == TY_INT && vt->is_signed;
	}
	if (kind == TY_LHIST) {
		if (const_int(c, arg(n, 1), &t->lmin, "lhist() min") ||
		    const_int(c, arg(n, 2), &t->lmax, "lhist() max") ||
		    const_int(c, arg(n, 3), &t->lstep, "lhist() step"))
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
};

static enum type_kind agg_kind(const struct node *n)
{
	if (n->kind != N_CALL)
		return TY_NONE;
	for (size_t i = 0; i < ARRAY_SIZE(agg_names); i++)
		if (!strcmp(agg_names[i].name, n->name))
			return agg_names[i].kind;
	return TY_NONE;
}

static int lookup_kallsyms(const char *sym, uint64_t *addr)
{
	FILE *f = fopen("/proc/kallsyms", "r");
	if (!f)
		return -1;
	char line[512];
	int found = -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a;
		char kind, name[256];
		if (sscanf(line, "%llx %c %255s", &a, &kind, name) == 3 && !strcmp(name, sym)) {
			*addr = a;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

static struct type *check_call(struct checker *c, struct node *n)
{
	const char *f = n->name;
	if (agg_kind(n) != TY_NONE) {
		ERR(c, n->span, "%s() should be directly assigned to a map", f);
		return NULL;
	}
	if (!strcmp(f, "printf"))
		return check_printf(c, n);
	if (!strcmp(f, "print"))
		return check_print(c, n);
	if (!strcmp(f, "clear"))
		return check_map_fn(c, n, REC_CLEAR);
	if (!strcmp(f, "zero"))
		return check_map_fn(c, n, REC_ZERO);
	if (!strcmp(f, "delete"))
		return check_delete(c, n);
	if (!strcmp(f, "has_key"))
		return check_has_key(c, n);
	if (!strcmp(f, "exit")) {
		if (!nargs_ok(c, n, 0, 1) || check_args_are(c, n, 0, f))
			return NULL;
		struct type *t = type_int(A(c), 8, 1);
		struct record *r = new_record(c, REC_EXIT, n);
		if (r)
			record_add_args(c, r, &t, 1);
		return type_simple(A(c), TY_VOID);
	}
	if (!strcmp(f, "time")) {
		if (!nargs_ok(c, n, 0, 1))
			return NULL;
		if (n->list && n->list->kind != N_STR) {
			ERR(c, n->list->span, "time() expects a string literal");
			return NULL;
		}
		struct record *r = new_record(c, REC_TIME, n);
		if (r)
			r->fmt = n->list ? n->list->str : "%H:%M:%S\n";
		return type_simple(A(c), TY_VOID);
	}
	if (!strcmp(f, "strftime")) {
		if (!nargs_ok(c, n, 2, 2))
			return NULL;
		if (n->list->kind != N_STR) {
			ERR(c, n->list->span, "strftime() expects a string literal as its format");
			return NULL;
		}
		if (check_args_are(c, n, 1, f))
			return NULL;
		struct type *t = type_simple(A(c), TY_TIME);
		t->time_fmt = c->s->time_fmts.n;
		for (int i = 0; i < c->s->time_fmts.n; i++)
			if (!strcmp(c->s->time_fmts.v[i], n->list->str))
				t->time_fmt = i;
		if (t->time_fmt == c->s->time_fmts.n)
			VEC_PUSH(c->s->time_fmts, n->list->str);
		return t;
	}
	if (!strcmp(f, "str")) {
		if (!nargs_ok(c, n, 1, 2))
			return NULL;
		struct type *t = check_expr(c, n->list);
		if (!t)
			return NULL;
		if (!is_int(t) && t->kind != TY_STR && !(t->kind == TY_ARRAY && t->is_chars)) {
			ERR(c, n->list->span, "str() expects an integer or a pointer (%s supplied)", tname(c, t));
			return NULL;
		}
		if (check_args_are(c, n, 1, f))
			return NULL;
		return type_str(A(c));
	}
	if (!strcmp(f, "ntop")) {
		if (!nargs_ok(c, n, 1, 2))
			return NULL;
		struct node *addr = n->list->next ? n->list->next : n->list;
		if (n->list->next && check_args_are(c, n, 0, f) < 0 && 0)
			return NULL;
		if (n->list->next) {
			struct type *af = check_expr(c, n->list);
			if (!af)
				return NULL;
			if (!is_int(af)) {
				ERR(c, n->list->span, "ntop() expects an integer address family");
				return NULL;
			}
		}
		struct type *t = check_expr(c, addr);
		if (!t)
			return NULL;
		int ok = t->kind == TY_INT || (t->kind == TY_ARRAY && (t->size == 4 || t->size == 16));
		if (!ok) {
			ERR(c, addr->span, "ntop() expects an integer or an array of 4 or 16 bytes (%s supplied)", tname(c, t));
			return NULL;
		}
		return type_simple(A(c), TY_INET);
	}
	if (!strcmp(f, "kaddr")) {
		if (!nargs_ok(c, n, 1, 1))
			return NULL;
		if (n->list->kind != N_STR) {
			ERR(c, n->list->span, "kaddr() expects a string literal");
			return NULL;
		}
		uint64_t addr;
		if (lookup_kallsyms(n->list->str, &addr)) {
			ERR(c, n->list->span, "kaddr(): kernel symbol not found: %s", n->list->str);
			return NULL;
		}
		/* Folded to a constant: the address is known now. */
		n->kind = N_INT;
		n->ival = addr;
		return type_int(A(c), 8, 0);
	}
	if (!strcmp(f, "len")) {
		if (!nargs_ok(c, n, 1, 1) || !whole_map_arg(c, n, n->list))
			return NULL;
		/* The kernel counts a map's entries: the kfunc bpf_map_sum_elem_count (6.6+). */
		int id = kbtf_find_func("bpf_map_sum_elem_count");
		if (id < 0) {
			ERR(c, n->span, "len() needs the kernel function bpf_map_sum_elem_count (Linux 6.6 or newer with BTF)");
			return NULL;
		}
		n->ival = (uint64_t)id;
		return type_int(A(c), 8, 1);
	}
	if (!strcmp(f, "join")) {
		/* join(argv[, sep]): a user-space array of char pointers, NULL-terminated */
		if (!nargs_ok(c, n, 1, 2))
			return NULL;
		struct type *t = check_expr(c, n->list);
		if (!t)
			return NULL;
		if (!is_int(t)) {
			ERR(c, n->list->span, "join() expects an array of strings (a char ** pointer), %s supplied", tname(c, t));
			return NULL;
		}
		if (n->list->next && n->list->next->kind != N_STR) {
			ERR(c, n->list->next->span, "join() expects a string literal as its separator");
			return NULL;
		}
		struct record *r = new_record(c, REC_JOIN, n);
		if (r) {
			r->fmt = n->list->next ? n->list->next->str : " ";
			/* id, count, then one string per element */
			r->size = 16 + JOIN_MAX_ARGS * sonde_strlen;
		}
		return type_simple(A(c), TY_VOID);
	}
	if (!strcmp(f, "ksym") || !strcmp(f, "usym") || !strcmp(f, "reg") ||
	    !strcmp(f, "buf") || !strcmp(f, "cat") || !strcmp(f, "system") || !strcmp(f, "uaddr")) {
		ERR(c, n->span, "%s() is not supported by this version of sonde yet", f);
		return NULL;
	}
	ERR(c, n->span, "Unknown function: %s", f);
	return NULL;
}

/* ---- expressions ---- */

static int numeric_param(const char *s)
{
	if (!*s)
		return 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && s[2])
		return strspn(s + 2, "0123456789abcdefABCDEF") == strlen(s + 2);
	if (*s == '-')
		s++;
	return *s && strspn(s, "0123456789") == strlen(s);
}

static struct type *check_param(struct checker *c, struct node *n)
{
	const char *v = n->ival >= 1 && (int)n->ival <= c->s->nparams ? c->s->params[n->ival - 1] : "";
	if (numeric_param(v) || !*v) {
		n->kind = N_INT;
		n->ival = (uint64_t)strtoll(v, NULL, 0);
		if (v[0] == '-')
			return type_int(A(c), 8, 1);
		n->ival = (uint64_t)strtoull(v, NULL, 0);
		return type_int(A(c), 8, 1);
	}
	n->kind = N_STR;
	n->str = arena_strndup(A(c), v, strlen(v));
	n->str_len = (int)strlen(v);
	return check_expr(c, n);
}

static struct type *check_binop(struct checker *c, struct node *n)
{
	struct type *a = check_expr(c, n->a), *b = a ? check_expr(c, n->b) : NULL;
	if (!a || !b)
		return NULL;
	int cmp = n->op == T_EQ || n->op == T_NE || n->op == T_LT || n->op == T_GT ||
		  n->op == T_LE || n->op == T_GE;
	if ((n->op == T_EQ || n->op == T_NE) && stored(c, a)->kind == TY_STR &&
	    stored(c, b)->kind == TY_STR)
		return type_simple(A(c), TY_BOOL);
	if (!is_int(a) || !is_int(b)) {
		struct type *bad = is_int(a) ? b : a;
		struct node *where = is_int(a) ? n->b : n->a;
		ERR(c, where->span, "operator %s cannot be used on a value of type %s", tok_name(n->op),
		    bad->kind == TY_STR ? "string" : tname(c, bad));
		return NULL;
	}
	if (cmp || n->op == T_ANDAND || n->op == T_OROR)
		return type_simple(A(c), TY_BOOL);
	int sa = a->kind == TY_INT ? a->is_signed : a->kind == TY_BOOL;
	int sb = b->kind == TY_INT ? b->is_signed : b->kind == TY_BOOL;
	/* C's rule at 64 bits: unsigned wins, unless the unsigned side is narrower. */
	int is_signed = (sa && sb) || (sa && b->kind == TY_INT && b->size < 8) ||
			(sb && a->kind == TY_INT && a->size < 8);
	return type_int(A(c), 8, is_signed);
}

static struct type *check_field(struct checker *c, struct node *n)
{
	struct type *t = check_expr(c, n->a);
	if (!t)
		return NULL;
	if (n->arrow ? t->kind != TY_PTR : t->kind != TY_STRUCT) {
		ERR(c, n->span, "Can not access field '%s' on type '%s'%s", n->name, tname(c, t),
		    t->kind == TY_PTR ? ": use -> on pointers" : t->kind == TY_STRUCT ? ": use . on structs" : "");
		return NULL;
	}
	int off, tid;
	if (kbtf_field(t->btf_id, n->name, &off, &tid)) {
		ERR(c, n->span, "Struct/union of type 'struct %s' does not contain a field named '%s'",
		    kbtf_name(t->btf_id), n->name);
		return NULL;
	}
	struct type *ft = kbtf_type(A(c), tid);
	if (!ft) {
		ERR(c, n->span, "field '%s' has a type sonde cannot read yet", n->name);
		return NULL;
	}
	n->ival = (uint64_t)off;
	return ft;
}

static struct type *check_cast(struct checker *c, struct node *n)
{
	struct type *t = check_expr(c, n->a);
	if (!t)
		return NULL;
	if (!strncmp(n->name, "struct ", 7) || !strncmp(n->name, "union ", 6)) {
		if (n->cast_ptr != 1) {
			ERR(c, n->span, "Cannot cast to \"%s\": cast to a pointer, e.g. (%s *)", n->name, n->name);
			return NULL;
		}
		if (!is_int(t)) {
			ERR(c, n->span, "Cannot cast from \"%s\" to \"%s *\"", tname(c, t), n->name);
			return NULL;
		}
		int id = kbtf_find_struct(strchr(n->name, ' ') + 1);
		if (id < 0) {
			ERR(c, n->span, "Unknown struct/union: '%s'", n->name);
			return NULL;
		}
		struct type *p = type_simple(A(c), TY_PTR);
		p->btf_id = id;
		return p;
	}
	static const struct { const char *name; int size, is_signed; } ints[] = {
		{ "int8", 1, 1 }, { "int16", 2, 1 }, { "int32", 4, 1 }, { "int64", 8, 1 },
		{ "uint8", 1, 0 }, { "uint16", 2, 0 }, { "uint32", 4, 0 }, { "uint64", 8, 0 },
		{ "char", 1, 1 }, { "short", 2, 1 }, { "int", 4, 1 }, { "long", 8, 1 },
		{ "unsigned int", 4, 0 }, { "unsigned long", 8, 0 }, { "unsigned char", 1, 0 },
		{ "long long", 8, 1 }, { "unsigned long long", 8, 0 }, { "unsigned short", 2, 0 },
		{ "bool", 1, 0 }, { "unsigned", 4, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++) {
		if (strcmp(ints[i].name, n->name))
			continue;
		if (!is_int(t)) {
			ERR(c, n->span, "Cannot cast from \"%s\" to \"%s\"", tname(c, t), n->name);
			return NULL;
		}
		if (n->cast_ptr)
			return type_int(A(c), 8, 0);
		if (!strcmp(n->name, "bool"))
			return type_simple(A(c), TY_BOOL);
		return type_int(A(c), ints[i].size, ints[i].is_signed);
	}
	ERR(c, n->span, "Unknown type: %s", n->name);
	return NULL;
}

static struct type *check_expr_inner(struct checker *c, struct node *n)
{
	struct type *t, *u;
	switch (n->kind) {
	case N_INT:
		return type_int(A(c), 8, n->ival <= INT64_MAX);
	case N_STR:
		if (n->str_len >= sonde_strlen) {
			ERR(c, n->span, "String is too long (over %d bytes): set BPFTRACE_STRLEN to allow longer strings",
			    sonde_strlen);
			return NULL;
		}
		return type_str(A(c));
	case N_POSPARAM:
		return check_param(c, n);
	case N_POSCOUNT:
		n->kind = N_INT;
		n->ival = (uint64_t)c->s->nparams;
		return type_int(A(c), 8, 1);
	case N_BUILTIN:
		return check_builtin(c, n);
	case N_VAR:
		for (int i = 0; i < c->blk->vars.n; i++)
			if (!strcmp(c->blk->vars.v[i].name, n->name)) {
				n->var_slot = i;
				return c->blk->vars.v[i].type;
			}
		ERR(c, n->span, "Undefined or undeclared variable: %s", n->name);
		return NULL;
	case N_MAP:
		return check_map_read(c, n);
	case N_CALL:
		return check_call(c, n);
	case N_BINOP:
		return check_binop(c, n);
	case N_UNOP:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (!is_int(t)) {
			ERR(c, n->span, "operator %s cannot be used on a value of type %s", tok_name(n->op), tname(c, t));
			return NULL;
		}
		if (n->op == T_BANG)
			return type_simple(A(c), TY_BOOL);
		return type_int(A(c), 8, n->op == T_MINUS ? 1 : (t->kind == TY_INT && t->is_signed));
	case N_TERNARY:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (!is_int(t)) {
			ERR(c, n->a->span, "the condition of ?: must be an integer or bool (%s supplied)", tname(c, t));
			return NULL;
		}
		t = check_expr(c, n->b);
		u = t ? check_expr(c, n->c) : NULL;
		if (!t || !u)
			return NULL;
		t = stored(c, t);
		u = stored(c, u);
		if (is_int(t) && is_int(u))
			return type_int(A(c), 8, t->kind == TY_INT && t->is_signed && u->kind == TY_INT && u->is_signed);
		if (!type_equal(t, u)) {
			ERR(c, n->span, "Ternary operator must return the same type: have '%s' and '%s'", tname(c, t), tname(c, u));
			return NULL;
		}
		return t;
	case N_FIELD:
		return check_field(c, n);
	case N_TUPLE_ELEM:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (t->kind != TY_TUPLE) {
			ERR(c, n->span, "Can not access index '%llu' on expression of type '%s'",
			    (unsigned long long)n->ival, tname(c, t));
			return NULL;
		}
		if (n->ival >= (uint64_t)t->nfields) {
			ERR(c, n->span, "Invalid tuple index: %llu. Found %d elements in tuple.",
			    (unsigned long long)n->ival, t->nfields);
			return NULL;
		}
		return t->fields[n->ival];
	case N_INDEX:
		t = check_expr(c, n->a);
		u = t ? check_expr(c, n->b) : NULL;
		if (!t || !u)
			return NULL;
		if (!is_int(u)) {
			ERR(c, n->b->span, "an index must be an integer (%s supplied)", tname(c, u));
			return NULL;
		}
		if (t->kind == TY_ARRAY || t->kind == TY_PTR) {
			struct type *et = kbtf_type(A(c), t->btf_id);
			if (!et || et->kind == TY_STRUCT || et->kind == TY_ARRAY) {
				ERR(c, n->span, "indexing this %s is not supported yet", tname(c, t));
				return NULL;
			}
			return et;
		}
		ERR(c, n->span, "The array index operator [] can only be used on arrays and pointers, found %s",
		    tname(c, t));
		return NULL;
	case N_TUPLE: {
		struct type *ts[16];
		int k = 0;
		for (struct node *e = n->list; e; e = e->next) {
			if (k == 16) {
				ERR(c, e->span, "a tuple has at most 16 elements");
				return NULL;
			}
			t = check_expr(c, e);
			if (!t)
				return NULL;
			if (t->kind == TY_VOID || type_is_agg(t) || t->kind == TY_STRUCT) {
				ERR(c, e->span, "a tuple cannot hold a value of type %s", tname(c, t));
				return NULL;
			}
			ts[k++] = stored(c, t);
		}
		return type_tuple(A(c), ts, k);
	}
	case N_CAST:
		return check_cast(c, n);
	case N_INCDEC:
		/* $x++ as a value: the old value (post) or the new one (pre) */
		if (check_incdec(c, n))
			return NULL;
		return type_int(A(c), 8, 1);
	case N_ASSIGN:
		ERR(c, n->span, "an assignment is a statement, not a value");
		return NULL;
	default:
		ERR(c, n->span, "not an expression");
		return NULL;
	}
}

static struct type *check_expr(struct checker *c, struct node *n)
{
	struct type *t = check_expr_inner(c, n);
	n->type = t;
	return t;
}

/* ---- statements ---- */

static struct var *find_var(struct checker *c, const char *name, int *idx)
{
	for (int i = 0; i < c->blk->vars.n; i++)
		if (!strcmp(c->blk->vars.v[i].name, name)) {
			*idx = i;
			return &c->blk->vars.v[i];
		}
	return NULL;
}

static int check_assign_var(struct checker *c, struct node *n, struct type *t)
{
	int idx = -1;
	struct var *v = find_var(c, n->a->name, &idx);
	if (t->kind == TY_VOID || type_is_agg(t) || t->kind == TY_STRUCT ||
	    (t->kind == TY_ARRAY && !t->is_chars)) {
		ERR(c, n->b->span, "Value of type %s cannot be assigned to a variable", tname(c, t));
		return -1;
	}
	t = stored(c, t);
	if (!v) {
		struct var nv = { .name = n->a->name, .type = t };
		VEC_PUSH(c->blk->vars, nv);
		idx = c->blk->vars.n - 1;
	} else if (!type_equal(v->type, t) && !(is_int(v->type) && is_int(t))) {
		ERR(c, n->a->span, "Type mismatch for %s: trying to assign value of type '%s' when variable already contains a value of type '%s'",
		    n->a->name, tname(c, t), tname(c, v->type));
		return -1;
	}
	n->a->var_slot = idx;
	n->a->type = c->blk->vars.v[idx].type;
	return 0;
}

static int check_assign(struct checker *c, struct node *n)
{
	struct node *lhs = n->a;
	if (lhs->kind != N_VAR && lhs->kind != N_MAP) {
		ERR(c, lhs->span, "only variables and maps can be assigned to");
		return -1;
	}
	if (n->op != T_ASSIGN) {
		/* x op= y: x must be an integer; a new map starts as int64 0 */
		if (lhs->kind == N_MAP) {
			struct mapinfo *m = get_map(c, lhs);
			if (check_map_keys(c, lhs, m))
				return -1;
			if (!m->val)
				m->val = type_int(A(c), 8, 1);
		}
		struct type *lt = check_expr(c, lhs);
		struct type *rt = lt ? check_expr(c, n->b) : NULL;
		if (!lt || !rt)
			return -1;
		if (!is_int(lt) || !is_int(rt)) {
			ERR(c, n->span, "%s needs integer operands", tok_name(n->op));
			return -1;
		}
		return 0;
	}
	enum type_kind ak = agg_kind(n->b);
	if (ak != TY_NONE) {
		if (lhs->kind != N_MAP) {
			ERR(c, n->b->span, "%s() should be directly assigned to a map", n->b->name);
			return -1;
		}
		struct type *t = check_agg(c, n->b, ak);
		n->b->type = t;
		struct mapinfo *m = get_map(c, lhs);
		if (!t || check_map_keys(c, lhs, m))
			return -1;
		return set_map_value(c, lhs, m, t);
	}
	struct type *t = check_expr(c, n->b);
	if (!t)
		return -1;
	if (lhs->kind == N_VAR)
		return check_assign_var(c, n, t);
	struct mapinfo *m = get_map(c, lhs);
	if (check_map_keys(c, lhs, m))
		return -1;
	if (t->kind == TY_VOID || t->kind == TY_STRUCT || (t->kind == TY_ARRAY && !t->is_chars)) {
		ERR(c, n->b->span, "Value of type %s cannot be stored in a map", tname(c, t));
		return -1;
	}
	if (set_map_value(c, lhs, m, stored(c, t)))
		return -1;
	lhs->type = m->val;
	return 0;
}

static int check_incdec(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (x->kind == N_MAP) {
		struct mapinfo *m = get_map(c, x);
		if (check_map_keys(c, x, m))
			return -1;
		if (!m->val)
			m->val = type_int(A(c), 8, 1);
		if (m->val->kind != TY_INT) {
			ERR(c, n->span, "%s needs an integer map, %s holds %s", tok_name(n->op), m->name, tname(c, m->val));
			return -1;
		}
		x->type = m->val;
		return 0;
	}
	if (x->kind == N_VAR) {
		struct type *t = check_expr(c, x);
		if (!t)
			return -1;
		if (!is_int(t)) {
			ERR(c, n->span, "%s needs an integer variable", tok_name(n->op));
			return -1;
		}
		return 0;
	}
	ERR(c, n->span, "%s can only be applied to variables and maps", tok_name(n->op));
	return -1;
}

static int check_block(struct checker *c, struct node *blk)
{
	int rc = 0;
	for (struct node *s = blk->list; s; s = s->next)
		if (check_stmt(c, s))
			rc = -1;
	return rc;
}

static int check_cond(struct checker *c, struct node *e, const char *what)
{
	struct type *t = check_expr(c, e);
	if (!t)
		return -1;
	if (!is_int(t)) {
		ERR(c, e->span, "%s must be an integer or bool (%s supplied)", what, tname(c, t));
		return -1;
	}
	return 0;
}

static int check_stmt(struct checker *c, struct node *n)
{
	switch (n->kind) {
	case N_ASSIGN:
		return check_assign(c, n);
	case N_INCDEC:
		return check_incdec(c, n);
	case N_EXPR_STMT:
		if (n->a->kind == N_INCDEC) {
			struct node *next = n->next;
			*n = *n->a;
			n->next = next;
			return check_incdec(c, n);
		}
		if (!check_expr(c, n->a))
			return -1;
		if (n->a->kind != N_CALL && n->a->kind != N_MAP && c->final)
			diag_warn(c->d, n->span, "expression has no effect");
		return 0;
	case N_IF: {
		int rc = check_cond(c, n->a, "an if condition");
		rc |= check_block(c, n->b);
		if (n->c)
			rc |= n->c->kind == N_IF ? check_stmt(c, n->c) : check_block(c, n->c);
		return rc;
	}
	case N_WHILE:
		return check_cond(c, n->a, "a while condition") | check_block(c, n->b);
	case N_UNROLL: {
		int64_t k;
		if (const_int(c, n->a, &k, "unroll count"))
			return -1;
		if (k < 1 || k > 100) {
			ERR(c, n->a->span, "unroll count must be between 1 and 100");
			return -1;
		}
		n->ival = (uint64_t)k;
		return check_block(c, n->b);
	}
	case N_RETURN:
		return 0;
	case N_BLOCK:
		return check_block(c, n);
	default:
		ERR(c, n->span, "not a statement");
		return -1;
	}
}

static int check_probe(struct checker *c, struct probe_block *blk)
{
	c->blk = blk;
	blk->vars.n = 0;
	int rc = 0;
	if (blk->node->pred && check_cond(c, blk->node->pred, "a predicate"))
		rc = -1;
	if (check_block(c, blk->node->b))
		rc = -1;
	return rc;
}

static int expand_probes(struct script *s, struct diag *d)
{
	int rc = 0;
	for (struct node *p = s->prog->list; p; p = p->next) {
		struct probe_block *blk = arena_alloc(s->arena, sizeof(*blk));
		blk->node = p;
		blk->prog_fd = -1;
		VEC_PUSH(s->blocks, blk);
		for (struct attach_point *ap = p->attach; ap; ap = ap->next) {
			const struct provider *prov = provider_find(ap->raw, ap->span, d);
			if (!prov || prov->expand(s, blk, ap, d)) {
				rc = -1;
				continue;
			}
			/* One program per block: its points must share a run mode. */
			if (blk->prov && blk->prov->mode != prov->mode) {
				diag_error(d, ap->span, "%s cannot share a block with %s", prov->name, blk->prov->name);
				rc = -1;
			}
			if (!blk->prov)
				blk->prov = prov;
		}
	}
	return rc;
}

static void free_vecs(struct script *s)
{
	for (int i = 0; i < s->blocks.n; i++)
		s->blocks.v[i]->vars.n = 0;
}

int sema_check(struct script *s, struct diag *d)
{
	const char *env = getenv("BPFTRACE_STRLEN");
	if (env) {
		int v = atoi(env);
		if (v < 8 || v > 1024) {
			diag_plain(d, "BPFTRACE_STRLEN must be between 8 and 1024 (got %s)", env);
			return -1;
		}
		sonde_strlen = (int)ALIGN8((size_t)v);
	}
	if (expand_probes(s, d))
		return -1;
	/* Quiet pass: learn map types from every assignment, in any order. */
	struct diag quiet = { .src = d->src, .out = d->out };
	struct checker c = { .s = s, .d = &quiet, .final = 0 };
	for (int i = 0; i < s->blocks.n; i++)
		check_probe(&c, s->blocks.v[i]);
	free_vecs(s);
	c.guess_maps = 1;
	for (int i = 0; i < s->blocks.n; i++)
		check_probe(&c, s->blocks.v[i]);
	free_vecs(s);
	c.guess_maps = 0;
	c.d = d;
	c.final = 1;
	int rc = 0;
	for (int i = 0; i < s->blocks.n; i++)
		if (check_probe(&c, s->blocks.v[i]))
			rc = -1;
	return rc || d->errors ? -1 : 0;
}

void script_free(struct script *s)
{
	for (int i = 0; i < s->blocks.n; i++) {
		free(s->blocks.v[i]->points.v);
		free(s->blocks.v[i]->vars.v);
	}
	free(s->blocks.v);
	free(s->points.v);
	free(s->maps.v);
	free(s->records.v);
	free(s->time_fmts.v);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
