/*
 * Fields and casts: args.NAME of tracepoints and DWARF-typed functions,
 * p->f through kernel BTF or a user struct's DWARF, (T)x, (struct T *)x, *(T *)x.
 */
#include "checker.h"
#include "btf.h"
#include "../probe/tracefs.h"
#include "../obj/dwarf.h"
#include "../arch/arch.h"
#include <errno.h>
#include <string.h>

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

struct type *check_field(struct checker *c, struct node *n)
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

struct type *check_cast(struct checker *c, struct node *n)
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
struct type *check_deref(struct checker *c, struct node *n)
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
