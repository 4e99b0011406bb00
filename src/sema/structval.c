/*
 * Structs as values (bpftrace): `*$p`, or a struct member, copied into a
 * variable, a map value or a record ("held"), with a snapshot of its
 * members (names, offsets, types) for printing `{ .a = 1, .b = [1,2] }`
 * after BTF is released. Members read through the copy (deref.c, fields).
 */
#include "structval.h"
#include "arrays.h"
#include "btf.h"
#include <string.h>

#define STRUCT_HELD_MAX 256	/* bytes: a copy lives on the 512-byte BPF stack */
#define SNAPSHOT_DEPTH 8	/* nested structs and arrays printed; deeper ones print as {...} */

int struct_storable(const struct type *t)
{
	return t->kind == TY_STRUCT && !t->dw_path && t->size > 0 && t->size <= STRUCT_HELD_MAX;
}

static struct type *snapshot(struct arena *a, struct type *t, int depth);

/* The members of struct `id` into s: anonymous structs and unions are flattened, bit-fields left out. */
static void add_members(struct arena *a, struct type *s, int id, int base, int depth, int *cap)
{
	const char *name;
	int off, tid, rc;
	for (int i = 0; (rc = kbtf_member(id, i, &name, &off, &tid)) >= 0; i++) {
		if (rc)
			continue;
		struct type *mt = kbtf_type(a, tid);
		if (!mt)
			continue;
		if (!*name && mt->kind == TY_STRUCT) {
			add_members(a, s, mt->btf_id, base + off, depth, cap);
			continue;
		}
		if (s->nfields == *cap) {
			*cap = *cap ? 2 * *cap : 8;
			struct type **f = arena_alloc(a, sizeof(*f) * (size_t)*cap);
			int *o = arena_alloc(a, sizeof(int) * (size_t)*cap);
			char **n = arena_alloc(a, sizeof(char *) * (size_t)*cap);
			if (s->nfields) {
				memcpy(f, s->fields, sizeof(*f) * (size_t)s->nfields);
				memcpy(o, s->offs, sizeof(int) * (size_t)s->nfields);
				memcpy(n, s->names, sizeof(char *) * (size_t)s->nfields);
			}
			s->fields = f;
			s->offs = o;
			s->names = n;
		}
		s->fields[s->nfields] = snapshot(a, mt, depth + 1);
		s->offs[s->nfields] = base + off;
		s->names[s->nfields] = arena_strndup(a, name, strlen(name));
		s->nfields++;
	}
}

/* A member's type as printing needs it: nested structs and arrays carry their own members/elements. */
static struct type *snapshot(struct arena *a, struct type *t, int depth)
{
	if (depth > SNAPSHOT_DEPTH)
		return t;
	if (t->kind == TY_STRUCT) {
		int cap = 0;
		t->nfields = 0;
		add_members(a, t, t->btf_id, 0, depth, &cap);
		t->elem_size = t->size;
		t->held = 1;
		return t;
	}
	if (t->kind == TY_ARRAY && !t->is_chars && t->array_len > 0) {
		struct type *h = arena_alloc(a, sizeof(*h));
		*h = *t;
		h->held = 1;
		h->fields = arena_alloc(a, sizeof(*h->fields));
		struct type *e = kbtf_type(a, t->btf_id);
		h->fields[0] = e ? snapshot(a, e, depth + 1) : type_int(a, t->elem_size < 8 ? t->elem_size : 8, 0);
		h->is_signed = h->fields[0]->kind == TY_INT && h->fields[0]->is_signed;
		return h;
	}
	return t;
}

struct type *struct_held(struct arena *a, const struct type *t)
{
	if (t->held)
		return (struct type *)t;
	struct type *h = arena_alloc(a, sizeof(*h));
	*h = *t;
	snapshot(a, h, 0);
	h->elem_size = t->size;	/* the bytes read; the slot is rounded up to 8 */
	h->size = (int)ALIGN8((size_t)t->size);
	return h;
}
