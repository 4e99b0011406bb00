/*
 * *p through a typed pointer (bpftrace): an integer or a pointer read at p,
 * or a struct copied out of memory into a variable (`$s = *$p; $s.a`), in
 * p's memory (a user struct's pointer reads the process's).
 */
#include "deref.h"
#include "btf.h"
#include "structval.h"

struct type *check_ptr_deref(struct checker *c, struct node *n, struct type *p)
{
	struct type *t = p->dw_path ? NULL : kbtf_type(chk_arena(c), p->btf_id);
	if (!t || !(t->kind == TY_INT || t->kind == TY_PTR || t->kind == TY_STRUCT)) {
		ERR(c, n->span, "* cannot read the value this pointer points to (%s)", t ? chk_type_name(c, t) : "an unknown type");
		return NULL;
	}
	if (t->kind == TY_STRUCT) {
		if (!struct_storable(t)) {
			ERR(c, n->span, "a struct of %d bytes is too large to copy (at most 256): read its members through the pointer",
			    t->size);
			return NULL;
		}
		t = struct_held(chk_arena(c), t);
	}
	/* what it holds is in the same memory: pointers of a user struct are user pointers */
	t->user_mem = p->user_mem && (t->kind == TY_PTR || t->kind == TY_STRUCT);
	t->user_addr = p->user_mem && t->kind == TY_INT && t->size == 8;
	return t;
}
