/* Function calls: argument counts and types, records for output functions. */
#include "checker.h"
#include <bpf/btf.h>
#include "../arch/arch.h"
#include "btf.h"
#include <stdio.h>
#include <errno.h>
#include <string.h>

int chk_nargs_ok(struct checker *c, struct node *n, int min, int max)
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

struct node *chk_arg(struct node *call, int i)
{
	struct node *a = call->list;
	while (a && i--)
		a = a->next;
	return a;
}

int chk_const_int(struct checker *c, struct node *n, int64_t *v, const char *what)
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

int chk_int_args(struct checker *c, struct node *call, int from, const char *fn)
{
	for (struct node *a = chk_arg(call, from); a; a = a->next) {
		struct type *t = check_expr(c, a);
		if (!t)
			return -1;
		if (!chk_is_int(t)) {
			ERR(c, a->span, "%s() expects an integer argument (%s supplied)", fn, chk_type_name(c, t));
			return -1;
		}
	}
	return 0;
}

static struct type *check_printf(struct checker *c, struct node *n)
{
	struct node *f = n->list;
	if (!f || f->kind != N_STR) {
		ERR(c, f ? f->span : n->span, "%s() expects a string literal as its first argument", n->name);
		return NULL;
	}
	struct fmt_spec spec;
	char err[256];
	if (fmt_parse(f->str, &spec, err, sizeof(err))) {
		ERR(c, f->span, "%s", err);
		return NULL;
	}
	int nargs = node_list_len(f->next);
	if (fmt_check_args(&spec, nargs - n->hidden_args, err, sizeof(err))) {
		ERR(c, n->span, "%s", err);
		return NULL;
	}
	struct type *ts[32];
	int i = 0;
	for (struct node *a = f->next; a; a = a->next, i++) {
		struct type *t = check_expr(c, a);
		if (!t)
			return NULL;
		t = chk_stored(c, t);
		int want_str = i < spec.nconv && spec.conv[i].kind == FMT_STR;
		if (i < spec.nconv && spec.conv[i].conv == 'r' && t->kind != TY_BUF) {
			ERR(c, a->span, "printf: %%r specifier expects a value of type buffer (%s supplied)",
			    t->kind == TY_STR ? "string" : chk_type_name(c, t));
			return NULL;
		}
		if (want_str && !type_is_stringish(t)) {
			ERR(c, a->span, "printf: %%%c specifier expects a value of type string (%s supplied)",
			    spec.conv[i].conv, chk_type_name(c, t));
			return NULL;
		}
		if (!want_str && !chk_is_int(t)) {
			ERR(c, a->span, "printf: %%%c specifier expects a value of type integer (%s supplied)",
			    spec.conv[i].conv, t->kind == TY_STR ? "string" : chk_type_name(c, t));
			return NULL;
		}
		ts[i] = t;
	}
	struct record *r = chk_new_record(c, REC_PRINTF, n);
	if (r) {
		r->fmt = f->str;
		r->spec = spec;
		r->sink = stdlib_printf_sink(c, n);
		r->span = n->span;
		chk_record_args(c, r, ts, nargs);
	}
	return type_simple(chk_arena(c), TY_VOID);
}

static struct type *check_print(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 3))
		return NULL;
	struct node *a = n->list;
	if (a->kind == N_MAP && !a->list) {
		struct mapinfo *m = chk_whole_map(c, n, a);
		if (!m)
			return NULL;
		int64_t top = 0, div = 1;
		if (a->next && chk_const_int(c, a->next, &top, "print()'s top argument"))
			return NULL;
		if (a->next && a->next->next && chk_const_int(c, a->next->next, &div, "print()'s div argument"))
			return NULL;
		if (top < 0 || div <= 0) {
			ERR(c, a->next->span, "print(): top must be >= 0 and div > 0");
			return NULL;
		}
		struct record *r = chk_new_record(c, REC_PRINT_MAP, n);
		if (r) {
			r->map = m;
			r->top = top;
			r->div = div;
		}
		return type_simple(chk_arena(c), TY_VOID);
	}
	if (a->next) {
		ERR(c, a->next->span, "print() of a value takes a single argument");
		return NULL;
	}
	struct type *t = check_expr(c, a);
	if (!t)
		return NULL;
	if (t->kind == TY_VOID || t->kind == TY_STRUCT || t->kind == TY_ARGS) {
		ERR(c, a->span, "print() cannot print a value of type %s", chk_type_name(c, t));
		return NULL;
	}
	t = chk_stored(c, t);
	struct record *r = chk_new_record(c, REC_PRINT_VAL, n);
	if (r)
		chk_record_args(c, r, &t, 1);
	return type_simple(chk_arena(c), TY_VOID);
}

static struct type *check_map_fn(struct checker *c, struct node *n, enum rec_kind kind)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	struct mapinfo *m = chk_whole_map(c, n, n->list);
	if (!m)
		return NULL;
	struct record *r = chk_new_record(c, kind, n);
	if (r)
		r->map = m;
	return type_simple(chk_arena(c), TY_VOID);
}

#define BUF_MAX 1024	/* bytes buf() copies at most */

/* buf(p, n) / buf(array): n raw bytes, for %r. A literal n sizes the value; else it is capped at BPFTRACE_STRLEN. */
static struct type *check_buf(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 2))
		return NULL;
	struct type *t = check_expr(c, n->list);
	if (!t)
		return NULL;
	int cap;
	if (t->kind == TY_ARRAY) {
		/* an array's own size, or fewer bytes when a literal length says so */
		const struct node *len = n->list->next;
		if (len && len->kind != N_INT) {
			ERR(c, len->span, "buf() of an array takes a literal length");
			return NULL;
		}
		cap = t->size < BUF_MAX ? t->size : BUF_MAX;
		if (len && (len->ival < 1 || len->ival > (uint64_t)cap)) {
			ERR(c, len->span, "buf() length must be between 1 and %d for this array", cap);
			return NULL;
		}
		if (len)
			cap = (int)len->ival;
	} else if (!chk_is_int(t)) {
		ERR(c, n->list->span, "buf() expects an integer, a pointer or an array (%s supplied)", chk_type_name(c, t));
		return NULL;
	} else if (!n->list->next) {
		ERR(c, n->span, "buf() of a pointer needs a length: buf(p, n)");
		return NULL;
	} else {
		if (chk_int_args(c, n, 1, "buf"))
			return NULL;
		const struct node *len = n->list->next;
		cap = len->kind == N_INT ? (int)(len->ival > BUF_MAX ? BUF_MAX + 1 : len->ival) : sonde_strlen;
		if (cap < 1 || cap > BUF_MAX) {
			ERR(c, len->span, "buf() length must be between 1 and %d", BUF_MAX);
			return NULL;
		}
	}
	struct type *b = type_simple(chk_arena(c), TY_BUF);
	b->array_len = cap;
	b->size = 8 + (cap + 7) / 8 * 8;
	return b;
}

/* @m[keys] of delete() and has_key(): a typed map and keys of its key type. */
static struct mapinfo *keyed_map(struct checker *c, struct node *m)
{
	struct mapinfo *mi = chk_get_map(c, m);
	if (check_map_keys(c, m, mi))
		return NULL;
	if (!mi->val) {
		ERR(c, m->span, "Undefined map: %s", m->name);
		return NULL;
	}
	return mi;
}

/* delete(@m[k]), delete(@m, k), delete(@m, (k1, k2)), delete(@scalar) */
static struct type *check_delete(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 2))
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
	if (!keyed_map(c, m))
		return NULL;
	return type_simple(chk_arena(c), TY_VOID);
}

static struct type *check_has_key(struct checker *c, struct node *n)
{
	struct node *m = n->list;
	if (!(m && m->list && !m->next) && !chk_nargs_ok(c, n, 2, 2))
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
	if (!keyed_map(c, m))
		return NULL;
	return type_simple(chk_arena(c), TY_BOOL);
}

/* find(@m, key, $v): whether the key is there; when it is, $v gets its value (one lookup) */
static struct type *check_find(struct checker *c, struct node *n)
{
	struct node *m = n->list;
	int folded = m && m->kind == N_MAP && m->list && m->next && !m->next->next;	/* by an earlier pass */
	if (!folded) {
		if (!chk_nargs_ok(c, n, 3, 3))
			return NULL;
		struct node *k = m->next, *v = k->next;
		if (m->kind != N_MAP || m->list) {
			ERR(c, m->span, "find() expects a map with no keys as its first argument");
			return NULL;
		}
		if (v->kind != N_VAR) {
			ERR(c, v->span, "find() puts the value in a variable: find(@m, key, $v)");
			return NULL;
		}
		/* fold (@m, key, $v) into @m[key], $v as has_key() does */
		m->next = v;
		k->next = NULL;
		m->list = k->kind == N_TUPLE ? k->list : k;
	}
	struct node *var = m->next;
	struct mapinfo *mi = keyed_map(c, m);
	if (!mi)
		return NULL;
	if (!mi->key) {
		ERR(c, m->span, "find() needs a map with keys (%s has none)", m->name);
		return NULL;
	}
	if (type_is_agg(mi->val)) {
		ERR(c, m->span, "find() copies plain values; %s holds %s (read it with %s[key])", m->name,
		    chk_type_name(c, mi->val), m->name);
		return NULL;
	}
	if (chk_assign_var_type(c, var, mi->val))
		return NULL;
	return type_simple(chk_arena(c), TY_BOOL);
}

/* uaddr("sym"): a symbol's address in the probed file, which the block's provider works out. */
static struct type *check_uaddr(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	if (n->list->kind != N_STR) {
		ERR(c, n->list->span, "uaddr() expects a string literal");
		return NULL;
	}
	struct type *t;
	if (!chk_context(c, n, CTX_SYMBOL, n->list->str, NULL, &t)) {
		ERR(c, n->span, "uaddr() is only available in uprobe and uretprobe probes");
		return NULL;
	}
	if (t && n->ival && c->blk->ctx.v[n->ival - 1].kind == CTX_CONST) {
		n->kind = N_INT;	/* known now: a constant */
		n->ival = (uint64_t)c->blk->ctx.v[--c->blk->ctx.n].imm;
	}
	return t;
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

/* The size of a type named in sizeof()/offsetof(): `struct T`, `union T` (BTF) or an integer type; -1 if unknown. */
static int named_type_size(const char *name, int *struct_id)
{
	static const struct { const char *name; int size; } ints[] = {
		{ "int8", 1 }, { "uint8", 1 }, { "int16", 2 }, { "uint16", 2 }, { "int32", 4 }, { "uint32", 4 },
		{ "int64", 8 }, { "uint64", 8 }, { "char", 1 }, { "short", 2 }, { "int", 4 }, { "long", 8 }, { "bool", 1 },
	};
	*struct_id = -1;
	if (!strncmp(name, "struct ", 7) || !strncmp(name, "union ", 6)) {
		*struct_id = kbtf_find_struct(strchr(name, ' ') + 1);
		return *struct_id < 0 ? -1 : (int)btf__resolve_size(kbtf_get(), (__u32)*struct_id);
	}
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (!strcmp(ints[i].name, name))
			return ints[i].size;
	return -1;
}

/* sizeof(TYPE|EXPR), offsetof(struct T, a.b): constants, kept in n->ival (codegen loads them). */
static struct type *check_sizeof(struct checker *c, struct node *n)
{
	struct node *arg = n->list;
	int is_off = n->name[0] == 'o', sid = -1;
	if (arg->kind == N_STR && arg->cast_ptr == -1) {
		int size = named_type_size(arg->str, &sid);
		if (size < 0) {
			ERR(c, arg->span, "Unknown type: '%s' (kernel structs and unions come from BTF)", arg->str);
			return NULL;
		}
		n->ival = (uint64_t)size;
	} else if (is_off) {
		ERR(c, arg->span, "offsetof() takes a struct type first: offsetof(struct T, field)");
		return NULL;
	} else {
		struct type *t = check_expr(c, arg);
		if (!t)
			return NULL;
		if (t->kind == TY_STRUCT && t->btf_id > 0)
			n->ival = (uint64_t)btf__resolve_size(kbtf_get(), (__u32)t->btf_id);
		else if (t->size > 0 && !type_is_agg(t))
			n->ival = (uint64_t)t->size;
		else {
			ERR(c, arg->span, "sizeof() of a value of type %s is not known", chk_type_name(c, t));
			return NULL;
		}
	}
	if (is_off) {
		if (sid < 0) {
			ERR(c, arg->span, "offsetof() takes a struct or union: offsetof(struct T, field)");
			return NULL;
		}
		uint64_t total = 0;
		for (struct node *f = arg->next; f; f = f->next) {
			int off, tid;
			if (sid < 0 || kbtf_field(sid, f->str, &off, &tid)) {
				ERR(c, f->span, "'%s' has no field %s", arg->str, f->str);
				return NULL;
			}
			total += (uint64_t)off;
			struct type *ft = kbtf_type(chk_arena(c), tid);
			sid = ft && ft->kind == TY_STRUCT ? ft->btf_id : -1;
		}
		n->ival = total;
	}
	return type_int(chk_arena(c), 8, 0);
}

struct type *check_call(struct checker *c, struct node *n)
{
	const char *f = n->name;
	if (chk_agg_kind(n) != TY_NONE) {
		ERR(c, n->span, "%s() should be directly assigned to a map", f);
		return NULL;
	}
	int sink = stdlib_printf_sink(c, n);	/* errorf, warnf, system, cat: printf's checks */
	if (sink < 0)
		return NULL;
	if (!strcmp(f, "printf") || sink)
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
	if (!strcmp(f, "find"))
		return check_find(c, n);
	if (!strcmp(f, "exit")) {
		if (!chk_nargs_ok(c, n, 0, 1) || chk_int_args(c, n, 0, f))
			return NULL;
		struct type *t = type_int(chk_arena(c), 8, 1);
		struct record *r = chk_new_record(c, REC_EXIT, n);
		if (r)
			chk_record_args(c, r, &t, 1);
		return type_simple(chk_arena(c), TY_VOID);
	}
	if (!strcmp(f, "time")) {
		if (!chk_nargs_ok(c, n, 0, 1))
			return NULL;
		if (n->list && n->list->kind != N_STR) {
			ERR(c, n->list->span, "time() expects a string literal");
			return NULL;
		}
		struct record *r = chk_new_record(c, REC_TIME, n);
		if (r)
			r->fmt = n->list ? n->list->str : "%H:%M:%S\n";
		return type_simple(chk_arena(c), TY_VOID);
	}
	if (!strcmp(f, "strftime")) {
		if (!chk_nargs_ok(c, n, 2, 2))
			return NULL;
		if (n->list->kind != N_STR) {
			ERR(c, n->list->span, "strftime() expects a string literal as its format");
			return NULL;
		}
		if (chk_int_args(c, n, 1, f))
			return NULL;
		struct type *t = type_simple(chk_arena(c), TY_TIME);
		t->time_fmt = c->s->time_fmts.n;
		for (int i = 0; i < c->s->time_fmts.n; i++)
			if (!strcmp(c->s->time_fmts.v[i], n->list->str))
				t->time_fmt = i;
		if (t->time_fmt == c->s->time_fmts.n)
			VEC_PUSH(c->s->time_fmts, n->list->str);
		return t;
	}
	if (!strcmp(f, "str")) {
		if (!chk_nargs_ok(c, n, 1, 2))
			return NULL;
		struct type *t = check_expr(c, n->list);
		if (!t)
			return NULL;
		if (!chk_is_int(t) && t->kind != TY_STR && !(t->kind == TY_ARRAY && t->is_chars)) {
			ERR(c, n->list->span, "str() expects an integer or a pointer (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
		if (chk_int_args(c, n, 1, f))
			return NULL;
		return type_str(chk_arena(c));
	}
	if (!strcmp(f, "ntop")) {
		if (!chk_nargs_ok(c, n, 1, 2))
			return NULL;
		struct node *addr = n->list->next ? n->list->next : n->list;
		if (n->list->next) {
			struct type *af = check_expr(c, n->list);
			if (!af)
				return NULL;
			if (!chk_is_int(af)) {
				ERR(c, n->list->span, "ntop() expects an integer address family");
				return NULL;
			}
		}
		struct type *t = check_expr(c, addr);
		if (!t)
			return NULL;
		int ok = t->kind == TY_INT || (t->kind == TY_ARRAY && (t->size == 4 || t->size == 16));
		if (!ok) {
			ERR(c, addr->span, "ntop() expects an integer or an array of 4 or 16 bytes (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
		return type_simple(chk_arena(c), TY_INET);
	}
	if (!strcmp(f, "kaddr")) {
		if (!chk_nargs_ok(c, n, 1, 1))
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
		return type_int(chk_arena(c), 8, 0);
	}
	if (!strcmp(f, "len")) {
		struct mapinfo *m = chk_nargs_ok(c, n, 1, 1) ? chk_whole_map(c, n, n->list) : NULL;
		if (!m)
			return NULL;
		if (m->val->kind == TY_HIST || m->val->kind == TY_LHIST) {
			ERR(c, n->span, "len() counts keys, and %s keeps one entry per histogram bucket", m->name);
			return NULL;
		}
		/* The kernel counts a map's entries: the kfunc bpf_map_sum_elem_count (6.6+). */
		int id = kbtf_find_func("bpf_map_sum_elem_count");
		if (id < 0) {
			ERR(c, n->span, "len() needs the kernel function bpf_map_sum_elem_count (Linux 6.6 or newer with BTF)");
			return NULL;
		}
		n->ival = (uint64_t)id;
		return type_int(chk_arena(c), 8, 1);
	}
	if (!strcmp(f, "join")) {
		/* join(argv[, sep]): a user-space array of char pointers, NULL-terminated */
		if (!chk_nargs_ok(c, n, 1, 2))
			return NULL;
		struct type *t = check_expr(c, n->list);
		if (!t)
			return NULL;
		if (!chk_is_int(t)) {
			ERR(c, n->list->span, "join() expects an array of strings (a char ** pointer), %s supplied", chk_type_name(c, t));
			return NULL;
		}
		if (n->list->next && n->list->next->kind != N_STR) {
			ERR(c, n->list->next->span, "join() expects a string literal as its separator");
			return NULL;
		}
		struct record *r = chk_new_record(c, REC_JOIN, n);
		if (r) {
			r->fmt = n->list->next ? n->list->next->str : " ";
			/* id, count, then one string per element */
			r->size = 16 + JOIN_MAX_ARGS * sonde_strlen;
		}
		return type_simple(chk_arena(c), TY_VOID);
	}
	if (!strcmp(f, "reg")) {
		if (!chk_nargs_ok(c, n, 1, 1))
			return NULL;
		int off = n->list->kind == N_STR ? pt_regs_offset(n->list->str) : -1;
		if (!c->blk->prov->has_regs) {
			ERR(c, n->span, "reg() is only available in uprobe and uretprobe probes");
			return NULL;
		}
		if (off < 0) {
			ERR(c, n->list->span, "reg() expects a register name such as \"ip\", \"sp\", \"ax\", \"di\" or \"r8\"");
			return NULL;
		}
		n->ival = (uint64_t)off;
		struct type *t = type_int(chk_arena(c), 8, 0);
		t->user_addr = 1;	/* registers of a user-space probe hold user addresses */
		return t;
	}
	if (!strcmp(f, "ksym") || !strcmp(f, "usym")) {
		if (!chk_nargs_ok(c, n, 1, 1) || chk_int_args(c, n, 0, f))
			return NULL;
		/* user addresses belong to a process: the pid travels with them */
		c->s->uses_usym |= f[0] == 'u';
		return type_simple(chk_arena(c), f[0] == 'k' ? TY_KSYM : TY_USYM);
	}
	if (!strcmp(f, "bswap")) {
		/* the bytes of an integer reversed, over its own size (a u16 port kept in a variable stays 2 bytes) */
		if (!chk_nargs_ok(c, n, 1, 1) || chk_int_args(c, n, 0, f))
			return NULL;
		const struct type *t = n->list->type;
		int width = t->width ? t->width : t->size;
		n->ival = (uint64_t)(width == 1 || width == 2 || width == 4 ? width : 8);
		return type_int(chk_arena(c), (int)n->ival, 0);
	}
	if (!strcmp(f, "strlen")) {
		/* a string's length, by the kernel's bpf_strlen (6.17+) */
		if (!chk_nargs_ok(c, n, 1, 1))
			return NULL;
		struct type *t = check_expr(c, n->list);
		if (!t)
			return NULL;
		if (t->kind != TY_STR) {
			ERR(c, n->list->span, "strlen() takes a string (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
		int id = kbtf_find_func("bpf_strlen");
		if (id < 0) {
			ERR(c, n->span, "strlen() needs the kernel function bpf_strlen (Linux 6.17 or newer with BTF)");
			return NULL;
		}
		n->ival = (uint64_t)id;
		return type_int(chk_arena(c), 8, 0);
	}
	if (!strcmp(f, "memcmp")) {
		/* memcmp(a, b, n): strings or arrays, n a constant no larger than either */
		if (!chk_nargs_ok(c, n, 3, 3))
			return NULL;
		int size[2];
		for (int i = 0; i < 2; i++) {
			struct node *a = chk_arg(n, i);
			struct type *t = check_expr(c, a);
			if (!t)
				return NULL;
			if (t->kind != TY_STR && t->kind != TY_ARRAY) {
				ERR(c, a->span, "memcmp() compares strings or arrays (%s supplied)", chk_type_name(c, t));
				return NULL;
			}
			size[i] = t->size;
		}
		int64_t len;
		if (chk_const_int(c, chk_arg(n, 2), &len, "memcmp()'s count"))
			return NULL;
		if (len < 0 || len > size[0] || len > size[1]) {
			ERR(c, chk_arg(n, 2)->span, "memcmp()'s count is 0 to %d (the smaller operand's size)",
			    size[0] < size[1] ? size[0] : size[1]);
			return NULL;
		}
		n->ival = (uint64_t)len;
		return type_int(chk_arena(c), 8, 1);
	}
	if (!strcmp(f, "strcontains") || !strcmp(f, "strstr")) {
		/* bpftrace 0.2x: whether (strstr: where) the first string holds the second, by the kernel's bpf_strstr (6.17+) */
		if (!chk_nargs_ok(c, n, 2, 2))
			return NULL;
		for (struct node *a = n->list; a; a = a->next) {
			struct type *t = check_expr(c, a);
			if (!t)
				return NULL;
			if (t->kind != TY_STR) {
				ERR(c, a->span, "%s() takes strings (%s supplied)", f, chk_type_name(c, t));
				return NULL;
			}
		}
		int id = kbtf_find_func("bpf_strstr");
		if (id < 0) {
			ERR(c, n->span, "%s() needs the kernel function bpf_strstr (Linux 6.17 or newer with BTF)", f);
			return NULL;
		}
		n->ival = (uint64_t)id;
		return f[3] == 's' ? type_int(chk_arena(c), 8, 1) : type_simple(chk_arena(c), TY_BOOL);
	}
	if (!strcmp(f, "sizeof") || !strcmp(f, "offsetof"))
		return check_sizeof(c, n);
	if (!strcmp(f, "buf"))
		return check_buf(c, n);
	if (chk_is_stack(f))
		return check_stack_call(c, n);
	if (!strcmp(f, "uaddr"))
		return check_uaddr(c, n);
	if (!n->list && chk_is_builtin_name(f) && !chk_is_stack(f)) {
		n->kind = N_BUILTIN;	/* pid(), comm(), nsecs(): the builtin itself */
		return check_builtin(c, n);
	}
	int done;
	struct type *t = check_introspect(c, n, &done);
	if (done)
		return t;
	t = check_stdlib(c, n, &done);
	if (done)
		return t;
	ERR(c, n->span, "Unknown function: %s", f);
	return NULL;
}
