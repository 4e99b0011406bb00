/*
 * The semantic pass: expands attach points through their providers, gives
 * every expression a type, fixes map and variable types, and collects the
 * records BPF will send. Quiet passes first learn map types from assignments
 * anywhere in the script (the second also reads an untyped map as int64, for
 * @u = @u + 1); the last pass reports errors. Calls are in calls.c, map
 * typing in maps.c.
 */
#include "checker.h"
#include "btf.h"
#include "../probe/tracefs.h"
#include "../probe/usdt_args.h"
#include "../obj/dwarf.h"
#include "../arch/arch.h"
#include "../obj/elf.h"
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_stmt(struct checker *c, struct node *n);

struct arena *chk_arena(struct checker *c)
{
	return c->s->arena;
}

char *chk_type_name(struct checker *c, const struct type *t)
{
	struct strbuf sb = { 0 };
	type_name(t, &sb);
	char *r = arena_strndup(chk_arena(c), sb_str(&sb), sb.len);
	sb_free(&sb);
	return r;
}

int chk_is_int(const struct type *t)
{
	return t && (t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_PTR);
}

/* What a value becomes in a map, a variable, a key or a record. */
struct type *chk_stored(struct checker *c, struct type *t)
{
	if (t->kind == TY_ARRAY && t->is_chars)
		return type_str(chk_arena(c));
	return type_stored(chk_arena(c), t);
}

struct record *chk_new_record(struct checker *c, enum rec_kind kind, struct node *n)
{
	if (!c->final)
		return NULL;
	struct record *r = arena_alloc(chk_arena(c), sizeof(*r));
	r->kind = kind;
	r->id = c->s->records.n;
	r->size = 8;
	r->tail_str_off = -1;
	VEC_PUSH(c->s->records, r);
	n->id = r->id;
	return r;
}

void chk_record_args(struct checker *c, struct record *r, struct type **types, int n)
{
	r->nargs = n;
	r->args = arena_alloc(chk_arena(c), sizeof(*types) * (size_t)(n ? n : 1));
	r->offs = arena_alloc(chk_arena(c), sizeof(int) * (size_t)(n ? n : 1));
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
	{ "cpu", TY_INT, 0 }, { "nsecs", TY_INT, 0 }, { "elapsed", TY_INT, 0 }, { "jiffies", TY_INT, 0 },
	{ "rand", TY_INT, 0 }, { "cgroup", TY_INT, 0 }, { "comm", TY_STR, 0 },
	{ "curtask", TY_PTR, 0 }, { "probe", TY_PROBE, 0 },
};

/* Builtins that belong to probe types this build does not attach yet. */
static const char *const later_builtins[] = {
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "retval", "func", "args",
	"username", "numaid", "sarg0", "sarg1", "sarg2",
};

/*
 * goid: the goroutine's id, read through the g pointer Go keeps in r14 (Go
 * 1.17+). Its offset in runtime.g comes from the binary's DWARF, or for a
 * stripped binary from the Go release that built it (verified ones only).
 */
static int goid_offset(struct checker *c, const char *path, struct node *n)
{
	static const struct { const char *release; int off; } known[] = {
		{ "go1.19", 152 },	/* Debian 12's golang-go, read from its DWARF */
	};
	if (!c->s->dwarf)
		c->s->dwarf = dw_cache_new();
	int off;
	if (dw_member_offset(c->s->dwarf, path, "runtime.g", "goid", &off) == 0)
		return off;
	char version[64];
	if (elf_go_version(path, version, sizeof(version)) == 0)
		for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
			size_t k = strlen(known[i].release);
			if (!strncmp(version, known[i].release, k) && (version[k] == 0 || version[k] == '.'))
				return known[i].off;
		}
	ERR(c, n->span, "goid: %s has no DWARF for runtime.g and was built by %s, whose goroutine layout sonde does not know",
	    path, elf_go_version(path, version, sizeof(version)) == 0 ? version : "an unknown Go release");
	return -1;
}

static struct type *check_goid(struct checker *c, struct node *n)
{
	int off = -1;
	for (int i = 0; i < c->blk->points.n; i++) {
		const struct probe_point *pt = c->blk->points.v[i];
		int go = pt->path ? elf_is_go(pt->path) : 0;
		if (!go) {
			ERR(c, n->span, "goid is only known in uprobes and uretprobes of Go programs, not in %s", pt->name);
			return NULL;
		}
		if (go == 2) {
			ERR(c, n->span, "goid needs Go 1.17 or later (the g pointer in r14); %s is older", pt->path);
			return NULL;
		}
		int o = goid_offset(c, pt->path, n);
		if (o < 0)
			return NULL;
		if (off >= 0 && o != off) {
			ERR(c, n->span, "goid lives at different offsets in the programs of this probe: split it");
			return NULL;
		}
		off = o;
	}
	n->ival = (uint64_t)off;
	return type_int(chk_arena(c), 8, 1);
}

static struct type *check_builtin(struct checker *c, struct node *n)
{
	if (!strcmp(n->name, "goid") && c->blk->prov->has_regs)
		return check_goid(c, n);
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++) {
		if (strcmp(builtins[i].name, n->name))
			continue;
		if (builtins[i].kind == TY_STR)
			return type_str(chk_arena(c));
		if (builtins[i].kind == TY_PTR) {
			int id = kbtf_find_struct("task_struct");
			if (id < 0) {
				ERR(c, n->span, "curtask needs kernel BTF (/sys/kernel/btf/vmlinux), which this kernel does not provide");
				return NULL;
			}
			struct type *t = type_simple(chk_arena(c), TY_PTR);
			t->btf_id = id;
			c->s->uses_curtask = 1;
			return t;
		}
		if (builtins[i].kind == TY_PROBE)
			return type_simple(chk_arena(c), TY_PROBE);
		return type_int(chk_arena(c), 8, builtins[i].is_signed);
	}
	if (!strcmp(n->name, "args") && (c->blk->prov->has_args || c->blk->prov->has_dwarf_args))
		return type_simple(chk_arena(c), TY_ARGS);
	if (c->blk->prov->has_usdt_args && !strncmp(n->name, "arg", 3) && isdigit((unsigned char)n->name[3])) {
		int k = atoi(n->name + 3);
		for (int i = 0; i < c->blk->points.n; i++)
			if (k >= c->blk->points.v[i]->nuargs) {
				ERR(c, n->span, "%s has %d argument%s: %s does not exist", c->blk->points.v[i]->name,
				    c->blk->points.v[i]->nuargs, c->blk->points.v[i]->nuargs == 1 ? "" : "s", n->name);
				return NULL;
			}
		/* sized and signed by the first site's spec; user addresses for str() */
		const struct usdt_arg *ua = &c->blk->points.v[0]->uargs[k];
		struct type *t = type_int(chk_arena(c), 8, ua->is_signed);
		t->user_addr = 1;
		return t;
	}
	if (c->blk->prov->has_regs) {
		/* arg0…arg5 (SysV registers), retval in return probes, func: user addresses */
		int is_arg = !strncmp(n->name, "arg", 3) && n->name[3] >= '0' && n->name[3] <= '5' && !n->name[4];
		int is_ret = !strcmp(n->name, "retval") && c->blk->prov->is_return;
		if (is_arg || is_ret) {
			struct type *t = type_int(chk_arena(c), 8, is_ret);
			t->user_addr = 1;
			return t;
		}
		if (!strcmp(n->name, "func"))
			return type_simple(chk_arena(c), TY_FUNC);
	}
	if (!strcmp(n->name, "cpid")) {
		if (!c->s->cpid) {
			ERR(c, n->span, "cpid is only defined when sonde starts a command with -c");
			return NULL;
		}
		n->kind = N_INT;	/* the child exists before compiling: its pid is a constant */
		n->ival = (uint64_t)c->s->cpid;
		return type_int(chk_arena(c), 8, 0);
	}
	if (chk_is_stack(n->name))
		return check_stack_builtin(c, n);
	for (size_t i = 0; i < ARRAY_SIZE(later_builtins); i++)
		if (!strcmp(later_builtins[i], n->name)) {
			ERR(c, n->span, "builtin %s is not available for probe type %s", n->name,
			    c->blk->prov->name);
			return NULL;
		}
	ERR(c, n->span, "Unknown identifier: '%s'", n->name);
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
		/* -5 becomes -(5), so every later pass sees a signed expression */
		struct node *num = v[0] == '-' ? node_new(chk_arena(c), N_INT, n->span) : n;
		num->kind = N_INT;
		num->ival = strtoull(v[0] == '-' ? v + 1 : v, NULL, 0);
		if (num != n) {
			n->kind = N_UNOP;
			n->op = T_MINUS;
			n->a = num;
			return check_expr(c, n);
		}
		return type_int(chk_arena(c), 8, n->ival <= INT64_MAX);
	}
	n->kind = N_STR;
	n->str = arena_strndup(chk_arena(c), v, strlen(v));
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
	if ((n->op == T_EQ || n->op == T_NE) && chk_stored(c, a)->kind == TY_STR &&
	    chk_stored(c, b)->kind == TY_STR)
		return type_simple(chk_arena(c), TY_BOOL);
	if (!chk_is_int(a) || !chk_is_int(b)) {
		struct type *bad = chk_is_int(a) ? b : a;
		struct node *where = chk_is_int(a) ? n->b : n->a;
		ERR(c, where->span, "operator %s cannot be used on a value of type %s", tok_name(n->op),
		    bad->kind == TY_STR ? "string" : chk_type_name(c, bad));
		return NULL;
	}
	if (cmp || n->op == T_ANDAND || n->op == T_OROR)
		return type_simple(chk_arena(c), TY_BOOL);
	int sa = a->kind == TY_INT ? a->is_signed : a->kind == TY_BOOL;
	int sb = b->kind == TY_INT ? b->is_signed : b->kind == TY_BOOL;
	/* C's rule at 64 bits: unsigned wins, unless the unsigned side is narrower. */
	int is_signed = (sa && sb) || (sa && b->kind == TY_INT && b->size < 8) ||
			(sb && a->kind == TY_INT && a->size < 8);
	struct type *t = type_int(chk_arena(c), 8, is_signed);
	/* a user address moved by an offset is still a user address: str(args.p + 1) */
	t->user_addr = (n->op == T_PLUS || n->op == T_MINUS) &&
		       (a->user_addr || b->user_addr || a->user_mem || b->user_mem);
	return t;
}

/* uprobe args.NAME: a parameter in a register at the function's entry (SysV, or Go's ABI), the same in every point. */
static struct type *check_dwarf_arg(struct checker *c, struct node *n)
{
	struct probe_block *blk = c->blk;
	const struct dw_param *first = NULL;
	int go = 0;
	if (!c->s->dwarf)
		c->s->dwarf = dw_cache_new();
	for (int i = 0; i < blk->points.n; i++) {
		const struct probe_point *pt = blk->points.v[i];
		const struct dw_params *ps;
		if (pt->func_extra) {
			ERR(c, n->span, "args are known at a function's entry only, not at %s", pt->name);
			return NULL;
		}
		int rc = dw_func_params(c->s->dwarf, pt->path, pt->func, pt->func_addr, &ps);
		if (rc) {
			ERR(c, n->span, rc == -ENODATA ? "%s has no DWARF debug info: args.%s is unknown (use arg0…arg5, or install its debug symbols)"
						       : "DWARF of %s does not describe %s: args.%s is unknown (use arg0…arg5)",
			    pt->path, rc == -ENODATA ? n->name : pt->func, n->name);
			return NULL;
		}
		const struct dw_param *p = NULL;
		for (int k = 0; k < ps->v.n && !p; k++)
			if (!strcmp(ps->v.v[k].name, n->name))
				p = &ps->v.v[k];
		if (!p) {
			struct strbuf names = { 0 };
			for (int k = 0; k < ps->v.n; k++)
				sb_printf(&names, "%s%s", k ? ", " : "", ps->v.v[k].name);
			ERR(c, n->span, "%s has no parameter named '%s' (%s%s; list them with: sonde -lv '%s')", pt->func,
			    n->name, ps->v.n ? "it has: " : "it has none", ps->v.n ? sb_str(&names) : "", pt->name);
			sb_free(&names);
			return NULL;
		}
		if (p->reg < 0 && ps->is_go && p->go_nint > 1) {
			/* a string, slice, interface or struct: one register per word; name them */
			struct strbuf regs = { 0 };
			for (int k = 0; k < p->go_nint; k++)
				sb_printf(&regs, "%sreg(\"%s\")", k ? ", " : "", pt_go_arg_names[p->go_first + k]);
			ERR(c, n->span, "parameter '%s' of %s (%s) takes %d Go registers: read its words with %s", n->name,
			    pt->func, p->type, p->go_nint, sb_str(&regs));
			sb_free(&regs);
			return NULL;
		}
		if (p->reg < 0) {
			ERR(c, n->span, "parameter '%s' of %s (%s) is not passed in an integer register: sonde cannot read it",
			    n->name, pt->func, p->type);
			return NULL;
		}
		if (i == 0)
			go = ps->is_go;
		if (ps->is_go != go) {
			ERR(c, n->span, "parameter '%s' is in a Go function in one probe and a C one in another: split the probe", n->name);
			return NULL;
		}
		if (first && (p->reg != first->reg || p->kind != first->kind || p->size != first->size ||
			      p->is_signed != first->is_signed || p->pointee != first->pointee ||
			      strcmp(pt->path, blk->points.v[0]->path))) {
			ERR(c, n->span, "parameter '%s' differs between %s and %s: split the probe", n->name,
			    blk->points.v[0]->func, pt->func);
			return NULL;
		}
		first = p;
	}
	n->ival = (uint64_t)(go ? pt_go_args[first->reg] : pt_sysv_args[first->reg]);
	if (first->pointee) {	/* struct point *p: p->x reads user memory */
		struct type *t = type_simple(chk_arena(c), TY_PTR);
		t->user_mem = 1;
		t->dw_die = first->pointee;
		t->dw_path = blk->points.v[0]->path;
		return t;
	}
	struct type *t = type_int(chk_arena(c), first->kind == DWP_PTR ? 8 : first->size, first->is_signed);
	t->user_addr = first->kind == DWP_PTR;
	return t;
}

/* p->name of a user struct typed by DWARF: integers, pointers, char arrays, nested structs. */
static struct type *check_user_field(struct checker *c, struct node *n, const struct type *t)
{
	struct dw_type ft;
	int off;
	char name[256];
	int rc = dw_struct_field(c->s->dwarf, t->dw_path, t->dw_die, n->name, &off, &ft);
	if (rc == -EOPNOTSUPP) {
		ERR(c, n->span, "field '%s' is a bit-field, which sonde cannot read yet", n->name);
		return NULL;
	}
	if (rc) {
		ERR(c, n->span, "Struct/union of type '%s' does not contain a field named '%s'",
		    dw_type_name(c->s->dwarf, t->dw_path, t->dw_die, name, sizeof(name)), n->name);
		return NULL;
	}
	n->ival = (uint64_t)off;
	struct arena *a = chk_arena(c);
	struct type *r;
	if (ft.kind == DWP_INT)
		return type_int(a, ft.size, ft.is_signed);
	if (ft.kind == DWP_PTR && !ft.die) {
		r = type_int(a, 8, 0);
		r->user_addr = 1;
		return r;
	}
	if (ft.kind == DWP_PTR || ft.is_struct) {
		r = type_simple(a, ft.is_struct ? TY_STRUCT : TY_PTR);
		r->dw_die = ft.die;
	} else if (ft.is_chars) {
		r = type_simple(a, TY_ARRAY);
		r->is_chars = 1;
		r->elem_size = 1;
		r->array_len = ft.array_len;
		r->size = ft.array_len;
	} else {
		ERR(c, n->span, "field '%s' has a type sonde cannot read yet (floats, bit-fields and arrays other than char[N])",
		    n->name);
		return NULL;
	}
	r->user_mem = 1;
	r->dw_path = t->dw_path;
	return r;
}

/* args.NAME: the field must mean the same in every tracepoint of the block. */
static struct type *check_args_field(struct checker *c, struct node *n)
{
	struct probe_block *blk = c->blk;
	if (blk->prov->has_dwarf_args)
		return check_dwarf_arg(c, n);
	const struct tp_field *f = NULL;
	int user = 0;
	for (int i = 0; i < blk->points.n; i++) {
		const struct tp_field *g = tp_format_field(blk->points.v[i]->fmt, n->name);
		if (!g) {
			ERR(c, n->span, "tracepoint %s has no field named '%s' (list its fields with: sonde -lv %s)",
			    blk->points.v[i]->name, n->name, blk->points.v[i]->name);
			return NULL;
		}
		if (f && (g->offset != f->offset || g->size != f->size || g->kind != f->kind ||
			  g->is_signed != f->is_signed)) {
			ERR(c, n->span, "field '%s' has a different layout in %s and %s: split the probe", n->name,
			    blk->points.v[0]->name, blk->points.v[i]->name);
			return NULL;
		}
		f = g;
		user |= blk->points.v[i]->user_pointers;
	}
	struct arena *a = chk_arena(c);
	struct type *t;
	n->ival = (uint64_t)f->offset;
	switch (f->kind) {
	case TPF_INT:
		return type_int(a, f->size <= 8 ? f->size : 8, f->is_signed);
	case TPF_PTR:
		t = type_int(a, 8, 0);
		t->user_addr = user;
		return t;
	default:	/* char[N], __data_loc char[], u8[N] */
		t = type_simple(a, TY_ARRAY);
		t->in_ctx = 1;
		t->is_chars = f->kind != TPF_ARRAY;
		t->data_loc = f->kind == TPF_DATALOC;
		t->elem_size = f->kind == TPF_ARRAY ? f->elem_size : 1;
		t->array_len = f->kind == TPF_DATALOC ? sonde_strlen : f->count;
		t->size = t->elem_size * t->array_len;
		/* raw_syscalls' unsigned long args[6]: each element may be a user address (str(args.args[1])) */
		t->user_addr = user && f->kind == TPF_ARRAY && f->elem_size == 8;
		return t;
	}
}

static struct type *check_field(struct checker *c, struct node *n)
{
	struct type *t = check_expr(c, n->a);
	if (!t)
		return NULL;
	if (t->kind == TY_ARGS)
		return check_args_field(c, n);
	if (n->arrow ? t->kind != TY_PTR : t->kind != TY_STRUCT) {
		ERR(c, n->span, "Can not access field '%s' on type '%s'%s", n->name, chk_type_name(c, t),
		    t->kind == TY_PTR ? ": use -> on pointers" : t->kind == TY_STRUCT ? ": use . on structs" : "");
		return NULL;
	}
	if (t->dw_path)
		return check_user_field(c, n, t);
	int off, tid;
	if (kbtf_field(t->btf_id, n->name, &off, &tid)) {
		ERR(c, n->span, "Struct/union of type 'struct %s' does not contain a field named '%s'",
		    kbtf_name(t->btf_id), n->name);
		return NULL;
	}
	struct type *ft = kbtf_type(chk_arena(c), tid);
	if (!ft) {
		ERR(c, n->span, "field '%s' has a type sonde cannot read yet", n->name);
		return NULL;
	}
	n->ival = (uint64_t)off;
	if (t->user_mem) {	/* a kernel type laid over user memory: what it holds is the process's too */
		ft->user_mem = ft->kind == TY_PTR || ft->kind == TY_STRUCT || ft->kind == TY_ARRAY;
		ft->user_addr = ft->kind == TY_INT && ft->size == 8;
	}
	return ft;
}

/*
 * An array member read through a pointer (skb->cb, thread_pid->numbers): as
 * in C, a cast to a pointer takes its address. A tracepoint's own array
 * fields live in the context, which has no address to give.
 */
static int array_in_memory(const struct node *n)
{
	return n->type && n->type->kind == TY_ARRAY && (n->kind == N_FIELD || n->kind == N_INDEX) &&
	       n->a->type && n->a->type->kind != TY_ARGS;
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
		if (!chk_is_int(t) && !array_in_memory(n->a)) {
			ERR(c, n->span, "Cannot cast from \"%s\" to \"%s *\"", chk_type_name(c, t), n->name);
			return NULL;
		}
		int id = kbtf_find_struct(strchr(n->name, ' ') + 1);
		if (id < 0) {
			ERR(c, n->span, "Unknown struct/union: '%s'", n->name);
			return NULL;
		}
		struct type *p = type_simple(chk_arena(c), TY_PTR);
		p->btf_id = id;
		/* (struct T *)arg0 in a uprobe, or a syscall's pointer: the struct is in user memory */
		p->user_mem = t->user_addr || t->user_mem;
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
		if (!chk_is_int(t) && !(n->cast_ptr && array_in_memory(n->a))) {
			ERR(c, n->span, "Cannot cast from \"%s\" to \"%s\"", chk_type_name(c, t), n->name);
			return NULL;
		}
		if (n->cast_ptr) {
			/* an address: what it points at is read by *(T *)x */
			struct type *p = type_int(chk_arena(c), 8, 0);
			p->user_addr = t->user_addr || t->user_mem;
			return p;
		}
		if (!strcmp(n->name, "bool"))
			return type_simple(chk_arena(c), TY_BOOL);
		return type_int(chk_arena(c), ints[i].size, ints[i].is_signed);
	}
	ERR(c, n->span, "Unknown type: %s", n->name);
	return NULL;
}

/* *(T *)x, T an integer type: reads sizeof(T) bytes at x (user memory when x is a user address). */
static struct type *check_deref(struct checker *c, struct node *n)
{
	struct node *cast = n->a;
	if (cast->kind != N_CAST || cast->cast_ptr != 1 || !strncmp(cast->name, "struct ", 7) ||
	    !strncmp(cast->name, "union ", 6)) {
		ERR(c, n->span, "* reads through a pointer to an integer type: cast the address first, e.g. *(uint64 *)arg0");
		return NULL;
	}
	struct type *t = check_expr(c, cast);
	if (!t)
		return NULL;
	/* the cast to the plain type gives the pointee's size and sign */
	struct node plain = *cast;
	plain.cast_ptr = 0;
	plain.a = &(struct node){ .kind = N_INT, .span = cast->span };
	struct type *pointee = check_cast(c, &plain);
	if (!pointee || pointee->kind != TY_INT) {
		ERR(c, n->span, "* reads integers: cast to a pointer to an integer type, e.g. *(uint64 *)arg0");
		return NULL;
	}
	struct type *r = type_int(chk_arena(c), pointee->size, pointee->is_signed);
	/* an 8-byte value read from user memory may well be another user address (argv[i]) */
	r->user_addr = t->user_addr && pointee->size == 8;
	return r;
}

static struct type *check_expr_inner(struct checker *c, struct node *n)
{
	struct type *t, *u;
	switch (n->kind) {
	case N_INT:
		return type_int(chk_arena(c), 8, n->ival <= INT64_MAX);
	case N_STR:
		if (n->str_len >= sonde_strlen) {
			ERR(c, n->span, "String is too long (over %d bytes): set BPFTRACE_STRLEN to allow longer strings",
			    sonde_strlen);
			return NULL;
		}
		return type_str(chk_arena(c));
	case N_POSPARAM:
		return check_param(c, n);
	case N_POSCOUNT:
		n->kind = N_INT;
		n->ival = (uint64_t)c->s->nparams;
		return type_int(chk_arena(c), 8, 1);
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
		if (!chk_is_int(t)) {
			ERR(c, n->span, "operator %s cannot be used on a value of type %s", tok_name(n->op), chk_type_name(c, t));
			return NULL;
		}
		if (n->op == T_BANG)
			return type_simple(chk_arena(c), TY_BOOL);
		return type_int(chk_arena(c), 8, n->op == T_MINUS ? 1 : (t->kind == TY_INT && t->is_signed));
	case N_DEREF:
		return check_deref(c, n);
	case N_TERNARY:
		t = check_expr(c, n->a);
		if (!t)
			return NULL;
		if (!chk_is_int(t)) {
			ERR(c, n->a->span, "the condition of ?: must be an integer or bool (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
		t = check_expr(c, n->b);
		u = t ? check_expr(c, n->c) : NULL;
		if (!t || !u)
			return NULL;
		t = chk_stored(c, t);
		u = chk_stored(c, u);
		if (chk_is_int(t) && chk_is_int(u))
			return type_int(chk_arena(c), 8, t->kind == TY_INT && t->is_signed && u->kind == TY_INT && u->is_signed);
		if (!type_equal(t, u)) {
			ERR(c, n->span, "Ternary operator must return the same type: have '%s' and '%s'", chk_type_name(c, t), chk_type_name(c, u));
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
			    (unsigned long long)n->ival, chk_type_name(c, t));
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
		if (!chk_is_int(u)) {
			ERR(c, n->b->span, "an index must be an integer (%s supplied)", chk_type_name(c, u));
			return NULL;
		}
		if (t->kind == TY_ARRAY && n->b->kind == N_INT && n->b->ival >= (uint64_t)t->array_len) {
			ERR(c, n->b->span, "index %llu is out of bounds: the array has %d elements",
			    (unsigned long long)n->b->ival, t->array_len);
			return NULL;
		}
		if (t->kind == TY_ARRAY && t->in_ctx) {	/* u8 saddr[4]: unsigned elements */
			struct type *et = type_int(chk_arena(c), t->elem_size <= 8 ? t->elem_size : 8, 0);
			et->user_addr = t->user_addr;
			return et;
		}
		if (t->dw_path) {
			ERR(c, n->span, "indexing user memory typed by DWARF is not supported yet");
			return NULL;
		}
		if (t->kind == TY_ARRAY || t->kind == TY_PTR) {
			struct type *et = kbtf_type(chk_arena(c), t->btf_id);
			if (!et || et->kind == TY_STRUCT || et->kind == TY_ARRAY) {
				ERR(c, n->span, "indexing this %s is not supported yet", chk_type_name(c, t));
				return NULL;
			}
			return et;
		}
		ERR(c, n->span, "The array index operator [] can only be used on arrays and pointers, found %s",
		    chk_type_name(c, t));
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
			if (t->kind == TY_VOID || type_is_agg(t) || t->kind == TY_STRUCT || t->kind == TY_ARGS) {
				ERR(c, e->span, "a tuple cannot hold a value of type %s", chk_type_name(c, t));
				return NULL;
			}
			ts[k++] = chk_stored(c, t);
		}
		return type_tuple(chk_arena(c), ts, k);
	}
	case N_CAST:
		return check_cast(c, n);
	case N_INCDEC:
		/* $x++ as a value: the old value (post) or the new one (pre) */
		if (check_incdec(c, n))
			return NULL;
		return type_int(chk_arena(c), 8, 1);
	case N_ASSIGN:
		ERR(c, n->span, "an assignment is a statement, not a value");
		return NULL;
	default:
		ERR(c, n->span, "not an expression");
		return NULL;
	}
}

struct type *check_expr(struct checker *c, struct node *n)
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
	if (t->kind == TY_VOID || type_is_agg(t) || t->kind == TY_STRUCT || t->kind == TY_ARGS ||
	    (t->kind == TY_ARRAY && !t->is_chars)) {
		ERR(c, n->b->span, "Value of type %s cannot be assigned to a variable", chk_type_name(c, t));
		return -1;
	}
	t = chk_stored(c, t);
	if (!v) {
		struct var nv = { .name = n->a->name, .type = t };
		VEC_PUSH(c->blk->vars, nv);
		idx = c->blk->vars.n - 1;
	} else if (!type_equal(v->type, t) && !(chk_is_int(v->type) && chk_is_int(t))) {
		ERR(c, n->a->span, "Type mismatch for %s: trying to assign value of type '%s' when variable already contains a value of type '%s'",
		    n->a->name, chk_type_name(c, t), chk_type_name(c, v->type));
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
			struct mapinfo *m = chk_get_map(c, lhs);
			if (check_map_keys(c, lhs, m))
				return -1;
			if (!m->val)
				m->val = type_int(chk_arena(c), 8, 1);
			if (type_is_agg(m->val)) {
				ERR(c, n->span, "%s holds a %s: update it with its function, e.g. %s = sum(x)", m->name,
				    chk_type_name(c, m->val), m->name);
				return -1;
			}
		}
		struct type *lt = check_expr(c, lhs);
		struct type *rt = lt ? check_expr(c, n->b) : NULL;
		if (!lt || !rt)
			return -1;
		if (!chk_is_int(lt) || !chk_is_int(rt)) {
			ERR(c, n->span, "%s needs integer operands", tok_name(n->op));
			return -1;
		}
		return 0;
	}
	enum type_kind ak = chk_agg_kind(n->b);
	if (ak != TY_NONE) {
		if (lhs->kind != N_MAP) {
			ERR(c, n->b->span, "%s() should be directly assigned to a map", n->b->name);
			return -1;
		}
		struct type *t = check_agg(c, n->b, ak);
		n->b->type = t;
		struct mapinfo *m = chk_get_map(c, lhs);
		if (!t || check_map_keys(c, lhs, m))
			return -1;
		return set_map_value(c, lhs, m, t);
	}
	struct type *t = check_expr(c, n->b);
	if (!t)
		return -1;
	if (lhs->kind == N_VAR)
		return check_assign_var(c, n, t);
	struct mapinfo *m = chk_get_map(c, lhs);
	if (check_map_keys(c, lhs, m))
		return -1;
	if (t->kind == TY_VOID || t->kind == TY_STRUCT || t->kind == TY_ARGS || (t->kind == TY_ARRAY && !t->is_chars)) {
		ERR(c, n->b->span, "Value of type %s cannot be stored in a map", chk_type_name(c, t));
		return -1;
	}
	if (set_map_value(c, lhs, m, chk_stored(c, t)))
		return -1;
	lhs->type = m->val;
	return 0;
}

int check_incdec(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	if (x->kind == N_MAP) {
		struct mapinfo *m = chk_get_map(c, x);
		if (check_map_keys(c, x, m))
			return -1;
		if (!m->val)
			m->val = type_int(chk_arena(c), 8, 1);
		if (m->val->kind != TY_INT) {
			ERR(c, n->span, "%s needs an integer map, %s holds %s", tok_name(n->op), m->name, chk_type_name(c, m->val));
			return -1;
		}
		x->type = m->val;
		return 0;
	}
	if (x->kind == N_VAR) {
		struct type *t = check_expr(c, x);
		if (!t)
			return -1;
		if (!chk_is_int(t)) {
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
	if (!chk_is_int(t)) {
		ERR(c, e->span, "%s must be an integer or bool (%s supplied)", what, chk_type_name(c, t));
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
	case N_WHILE: {
		int rc = check_cond(c, n->a, "a while condition");
		c->loop_depth++;
		rc |= check_block(c, n->b);
		c->loop_depth--;
		return rc;
	}
	case N_BREAK: case N_CONTINUE:
		if (!c->loop_depth) {
			ERR(c, n->span, "%s used outside of a while loop", n->kind == N_BREAK ? "break" : "continue");
			return -1;
		}
		return 0;
	case N_UNROLL: {
		int64_t k;
		if (chk_const_int(c, n->a, &k, "unroll count"))
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

/* The args fields a tree reads, once each ("filename;flags;"). */
static void used_fields(const struct node *n, struct strbuf *out)
{
	for (; n; n = n->next) {
		if (n->kind == N_FIELD && n->a && n->a->kind == N_BUILTIN && !strcmp(n->a->name, "args")) {
			char key[256];
			snprintf(key, sizeof(key), ";%s;", n->name);
			if (!strstr(sb_str(out), key))	/* out starts with ';' */
				sb_printf(out, "%s;", n->name);
		}
		used_fields(n->a, out);
		used_fields(n->b, out);
		used_fields(n->c, out);
		used_fields(n->pred, out);
		used_fields(n->list, out);
	}
}

/* The layout of the fields used: points that agree on them can share one program. */
static void layout_key(const struct tp_format *f, const char *used, struct strbuf *out)
{
	for (int i = 0; f && i < f->nfields; i++) {
		const struct tp_field *x = &f->fields[i];
		char key[256];
		snprintf(key, sizeof(key), ";%s;", x->name);
		if (strstr(used, key))
			sb_printf(out, "%s:%d:%d:%d:%d;", x->name, x->offset, x->size, (int)x->kind, x->is_signed);
	}
}

/*
 * tracepoint:syscalls:sys_enter_open* { str(args.filename) }: open and openat
 * keep filename at different offsets, so a block that reads args gets one
 * program per field layout — a copy of the block for each further layout.
 */
static void split_by_layout(struct script *s, struct probe_block *blk)
{
	if (!blk->prov || !blk->prov->has_args || blk->points.n < 2 ||
	    (!node_uses_builtin(blk->node->b, "args") && !node_uses_builtin(blk->node->pred, "args")))
		return;
	struct strbuf used = { 0 }, first = { 0 }, key = { 0 };
	sb_putc(&used, ';');
	used_fields(blk->node->b, &used);
	used_fields(blk->node->pred, &used);
	layout_key(blk->points.v[0]->fmt, sb_str(&used), &first);
	while (1) {
		struct probe_block *other = NULL;
		struct strbuf other_key = { 0 };
		int kept = 0;
		for (int i = 0; i < blk->points.n; i++) {
			struct probe_point *pt = blk->points.v[i];
			sb_reset(&key);
			layout_key(pt->fmt, sb_str(&used), &key);
			if (!strcmp(sb_str(&key), sb_str(&first))) {
				blk->points.v[kept++] = pt;
				continue;
			}
			if (!other) {	/* the next layout gets its own copy of the block */
				other = arena_alloc(s->arena, sizeof(*other));
				*other = (struct probe_block){ .prov = blk->prov, .prog_fd = -1, .dispatch_fd = -1 };
				other->node = node_clone(s->arena, blk->node);
				sb_puts(&other_key, sb_str(&key));
			}
			if (strcmp(sb_str(&key), sb_str(&other_key))) {
				blk->points.v[kept++] = pt;	/* a third layout: a later round */
				continue;
			}
			pt->block = other;
			VEC_PUSH(other->points, pt);
		}
		blk->points.n = kept;
		sb_free(&other_key);
		if (!other)
			break;
		other->id = s->blocks.n;
		VEC_PUSH(s->blocks, other);
	}
	sb_free(&used);
	sb_free(&first);
	sb_free(&key);
}

static int expand_probes(struct script *s, struct diag *d)
{
	int rc = 0;
	for (struct node *p = s->prog->list; p; p = p->next) {
		struct probe_block *blk = arena_alloc(s->arena, sizeof(*blk));
		blk->node = p;
		blk->prog_fd = -1;
		blk->dispatch_fd = -1;
		blk->id = s->blocks.n;
		VEC_PUSH(s->blocks, blk);
		for (struct attach_point *ap = p->attach; ap; ap = ap->next) {
			const struct provider *prov = provider_find(ap->raw, ap->span, d);
			if (!prov || prov->expand(s, blk, ap, d)) {
				rc = -1;
				continue;
			}
			/* One program per block: its points must share a provider (program type, context). */
			if (blk->prov && blk->prov != prov) {
				diag_error(d, ap->span, "%s cannot share a block with %s", prov->name, blk->prov->name);
				rc = -1;
			}
			if (!blk->prov)
				blk->prov = prov;
		}
		if (!rc)
			split_by_layout(s, blk);
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
	dw_cache_free(s->dwarf);
	arena_free(s->arena);
	memset(s, 0, sizeof(*s));
}
