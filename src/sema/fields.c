/*
 * Fields and casts: p->f through kernel BTF, args.NAME and the members of
 * user structs through the block's provider, (T)x, (struct T *)x, *(T *)x.
 */
#include "checker.h"
#include "btf.h"
#include <string.h>

struct type *check_field(struct checker *c, struct node *n)
{
	struct type *t = check_expr(c, n->a);
	if (!t)
		return NULL;
	if (t->kind == TY_TUPLE)	/* a record's field: $r.a */
		return record_field(c, n, t);
	struct type *ft;
	if (t->kind == TY_ARGS) {	/* a tracepoint's field, a function's parameter: the provider knows */
		if (!chk_context(c, n, CTX_FIELD, n->name, NULL, &ft))
			ERR(c, n->span, "%s has no args fields", c->blk->prov->name);
		return ft;
	}
	if (!n->arrow && t->kind == TY_PTR)
		n->arrow = 1;	/* bpftrace 0.25: `.` through a pointer, as -> */
	if (n->arrow ? t->kind != TY_PTR : t->kind != TY_STRUCT) {
		ERR(c, n->span, "Can not access field '%s' on type '%s'%s", n->name, chk_type_name(c, t),
		    t->kind == TY_STRUCT ? ": use . on structs" : "");
		return NULL;
	}
	if (t->dw_path) {	/* a user struct typed by the provider (DWARF) */
		if (!chk_context(c, n, CTX_MEMBER, n->name, t, &ft))
			ERR(c, n->span, "Can not access field '%s' here", n->name);
		return ft;
	}
	int off, tid;
	if (kbtf_field(t->btf_id, n->name, &off, &tid)) {
		ERR(c, n->span, "Struct/union of type 'struct %s' does not contain a field named '%s'",
		    kbtf_name(t->btf_id), n->name);
		return NULL;
	}
	ft = kbtf_type(chk_arena(c), tid);
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
	if (n->a->kind == N_CALL && !strcmp(n->a->name, "pton") && !n->cast_ptr && !(t = pton_as_int(c, n)))
		return NULL;	/* (uint32)pton("127.0.0.1"): the bytes as an integer */
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
