/*
 * &x (bpftrace 0.24's address-of): the address of a place in the traced
 * memory — a member reached through a pointer (&$p->f, &$p->a.b), an
 * element of an array in memory (&$p->arr[2]) — as a pointer to its type,
 * in the same address space (a user struct's member is a user address).
 * A variable, a map value or a copied array lives in BPF memory: no
 * address the script could use, so it is refused.
 */
#include "addrof.h"
#include "btf.h"
#include <string.h>

/* Whether n is a place in memory: a field or element of something reached through a pointer. */
static int in_memory(const struct node *n)
{
	if (n->kind == N_FIELD)
		return n->arrow ? 1 : n->a->type && n->a->type->kind == TY_STRUCT && in_memory(n->a);
	if (n->kind == N_INDEX) {
		const struct type *at = n->a->type;
		return at && !at->held && !at->in_ctx && (at->kind == TY_PTR || (at->kind == TY_ARRAY && in_memory(n->a)));
	}
	return 0;
}

struct type *check_addr_of(struct checker *c, struct node *n)
{
	struct node *x = n->a;
	struct type *t = check_expr(c, x);
	if (!t)
		return NULL;
	const struct type *parent = (x->kind == N_FIELD || x->kind == N_INDEX) ? x->a->type : NULL;
	if (!parent || parent->kind == TY_ARGS || !in_memory(x)) {
		ERR(c, n->span, "& takes the address of a member or an element in memory (&$p->field, &$p->arr[i]): %s",
		    x->kind == N_VAR || x->kind == N_MAP ? "variables and maps live in BPF memory, with no address to give"
							 : "this value is not in memory");
		return NULL;
	}
	int user = parent->user_mem && !parent->held;
	int pointee = -1, off;
	if (parent->dw_path) {
		pointee = -1;	/* typed by DWARF: the address alone */
	} else if (x->kind == N_FIELD) {
		if (kbtf_field(parent->btf_id, x->name, &off, &pointee))
			pointee = -1;
	} else {
		pointee = parent->btf_id;	/* an array's or a pointer's element */
	}
	if (pointee < 0) {
		struct type *a = type_int(chk_arena(c), 8, 0);
		a->user_addr = user;
		return a;
	}
	struct type *p = type_simple(chk_arena(c), TY_PTR);
	p->btf_id = pointee;
	p->user_mem = user;
	return p;
}
