/*
 * Arrays as values (bpftrace 0.2x): an array read from memory is copied
 * into a variable, a map key or value, or a record ("held"), its elements
 * still indexable and printed as [1,2,3]; casts between integers and
 * integer arrays of the same size, (uint8[8])x and (uint64)arr.
 */
#include "checker.h"
#include "btf.h"
#include "arrays.h"
#include "structval.h"
#include <stdlib.h>
#include <string.h>

#define ARRAY_HELD_MAX 256	/* bytes: variables and keys live on the 512-byte BPF stack */

/* The element type of an array: held arrays carry it, others have it in BTF or the context. */
static struct type *elem_of(struct arena *a, const struct type *t)
{
	if (t->held && t->fields)
		return t->fields[0];
	if (t->in_ctx)	/* u8 saddr[4] of a tracepoint: unsigned */
		return type_int(a, t->elem_size <= 8 ? t->elem_size : 8, 0);
	if (t->btf_id <= 0)	/* pton()'s bytes: the array's own sign */
		return type_int(a, t->elem_size <= 8 ? t->elem_size : 8, t->is_signed);
	return kbtf_type(a, t->btf_id);
}

int array_storable(struct arena *a, const struct type *t)
{
	if (t->kind != TY_ARRAY || t->data_loc || t->array_len <= 0 || t->array_len * t->elem_size > ARRAY_HELD_MAX)
		return 0;
	struct type *e = elem_of(a, t);
	if (!e)
		return 0;
	return e->kind == TY_INT || e->kind == TY_BOOL || e->kind == TY_PTR || (e->kind == TY_ARRAY && array_storable(a, e)) ||
	       (e->kind == TY_STRUCT && struct_storable(e));
}

struct type *array_held(struct arena *a, const struct type *t)
{
	if (t->held)
		return (struct type *)t;
	struct type *e = elem_of(a, t);
	if (e->kind == TY_ARRAY)
		e = array_held(a, e);
	if (e->kind == TY_STRUCT)
		e = struct_held(a, e);
	if (e->kind == TY_PTR)
		e->user_mem = t->user_mem;	/* pointers copied out of user memory point into it */
	struct type *h = arena_alloc(a, sizeof(*h));
	*h = *t;
	h->held = 1;
	h->in_ctx = 0;
	h->is_chars = 0;
	h->is_signed = e->kind == TY_INT && e->is_signed;
	h->size = (int)ALIGN8((size_t)(t->array_len * t->elem_size));
	h->fields = arena_alloc(a, sizeof(*h->fields));
	h->fields[0] = e;
	return h;
}

struct type *array_elem(struct arena *a, const struct type *t)
{
	struct type *e = arena_alloc(a, sizeof(*e));
	*e = *t->fields[0];
	/* a struct or an array inside a held array is held too: its bytes are ours */
	e->held = e->kind == TY_ARRAY || e->kind == TY_STRUCT;
	return e;
}

/* bpftrace's spelling of a type, arrays as ELEM[N] (uint8[8], int32[2][3]) when their elements are known. */
static const char *spelling(struct checker *c, const struct type *t)
{
	if (t->kind != TY_ARRAY || !array_storable(chk_arena(c), t))
		return chk_type_name(c, t);
	struct strbuf sb = { 0 };
	const struct type *e = t;
	while (e->kind == TY_ARRAY && array_storable(chk_arena(c), e))
		e = array_held(chk_arena(c), e)->fields[0];
	sb_puts(&sb, chk_type_name(c, type_int(chk_arena(c), e->kind == TY_INT ? e->size : 8, e->kind == TY_INT && e->is_signed)));
	if (e->kind == TY_PTR || e->kind == TY_STRUCT)
		sb_reset(&sb), sb_puts(&sb, e->kind == TY_PTR ? "pointer" : "struct");
	for (e = t; e->kind == TY_ARRAY && array_storable(chk_arena(c), e); e = array_held(chk_arena(c), e)->fields[0])
		sb_printf(&sb, "[%d]", e->array_len);
	char *r = arena_strndup(chk_arena(c), sb_str(&sb), sb.len);
	sb_free(&sb);
	return r;
}

/* An integer type by its cast name: bpftrace's and C's; 0 if it is none. */
static int int_named(const char *name, int *size, int *is_signed)
{
	static const struct { const char *name; int size, is_signed; } ints[] = {
		{ "int8", 1, 1 }, { "int16", 2, 1 }, { "int32", 4, 1 }, { "int64", 8, 1 },
		{ "uint8", 1, 0 }, { "uint16", 2, 0 }, { "uint32", 4, 0 }, { "uint64", 8, 0 },
		{ "char", 1, 1 }, { "short", 2, 1 }, { "int", 4, 1 }, { "long", 8, 1 },
		{ "unsigned char", 1, 0 }, { "unsigned short", 2, 0 }, { "unsigned int", 4, 0 }, { "unsigned long", 8, 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (!strcmp(ints[i].name, name)) {
			*size = ints[i].size;
			*is_signed = ints[i].is_signed;
			return 1;
		}
	return 0;
}

/* The bytes an integer-like value has: its own size (a literal, a stored int: 8). */
static int int_bytes(const struct type *t)
{
	return t->kind == TY_INT ? t->size : 8;
}

int array_check_cast(struct checker *c, struct node *n, struct type *from, struct type **out)
{
	const char *bracket = strchr(n->name, '[');
	int size, is_signed;
	if (!bracket) {	/* (uint64)arr: an integer array's bytes as one integer */
		if (from->kind != TY_ARRAY || n->cast_ptr || !int_named(n->name, &size, &is_signed))
			return 0;
		*out = NULL;
		struct type *e = elem_of(chk_arena(c), from);
		if (!e || e->kind != TY_INT || from->array_len * from->elem_size != size) {
			ERR(c, n->span, "Cannot cast from \"%s\" to \"%s\": an integer array of %d bytes is needed",
			    spelling(c, from), n->name, size);
			return 1;
		}
		*out = type_int(chk_arena(c), size, is_signed);
		return 1;
	}
	*out = NULL;
	char elem[64];
	snprintf(elem, sizeof(elem), "%.*s", (int)(bracket - n->name), n->name);
	if (!int_named(elem, &size, &is_signed)) {
		ERR(c, n->span, "Cannot cast to \"%s\": arrays of integer types only", n->name);
		return 1;
	}
	if (!chk_is_int(from)) {
		ERR(c, n->span, "Cannot cast from \"%s\" to \"%s\"", chk_type_name(c, from), n->name);
		return 1;
	}
	int len = bracket[1] == ']' ? int_bytes(from) / size : atoi(bracket + 1);
	if (len * size != int_bytes(from)) {
		ERR(c, n->span, "Cannot cast from \"%s\" to \"%s\": the sizes differ (%d and %d bytes)",
		    chk_type_name(c, from), n->name, int_bytes(from), len * size);
		return 1;
	}
	struct type *t = type_simple(chk_arena(c), TY_ARRAY);
	t->array_len = len;
	t->elem_size = size;
	t->held = 1;
	t->is_signed = is_signed;
	t->size = (int)ALIGN8((size_t)(len * size));
	t->fields = arena_alloc(chk_arena(c), sizeof(*t->fields));
	t->fields[0] = type_int(chk_arena(c), size, is_signed);
	*out = t;
	return 1;
}
