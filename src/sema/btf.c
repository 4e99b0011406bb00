#include "btf.h"
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <string.h>

static struct btf *vmlinux;
static struct btf *script;	/* the script's own types (sema/ctypes.c), split over vmlinux */
static int tried;

struct btf *kbtf_vmlinux(void)
{
	if (!tried) {
		tried = 1;
		vmlinux = btf__load_vmlinux_btf();
		if (libbpf_get_error(vmlinux))
			vmlinux = NULL;
	}
	return vmlinux;
}

struct btf *kbtf_get(void)
{
	return script ? script : kbtf_vmlinux();
}

void kbtf_set_script(struct btf *b)
{
	btf__free(script);
	script = b;
}

void kbtf_release(void)
{
	btf__free(script);
	script = NULL;
	btf__free(vmlinux);
	vmlinux = NULL;
	tried = 0;
}

int kbtf_find_named(const char *name, int kind)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	/* the script's types (ids from `first` on) shadow the kernel's */
	int first = script && kbtf_vmlinux() ? (int)btf__type_cnt(kbtf_vmlinux()) : 1;
	for (int id = first; id < (int)btf__type_cnt(b); id++) {
		const struct btf_type *t = btf__type_by_id(b, (__u32)id);
		if ((int)btf_kind(t) == kind && !strcmp(btf__name_by_offset(b, t->name_off), name))
			return id;
	}
	if (first == 1)
		return -1;
	int id = btf__find_by_name_kind(kbtf_vmlinux(), name, (__u32)kind);
	return id < 0 ? -1 : id;
}

int kbtf_find_struct(const char *name)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	if (script) {
		int id = kbtf_find_named(name, BTF_KIND_STRUCT);
		return id >= 0 ? id : kbtf_find_named(name, BTF_KIND_UNION);
	}
	int id = btf__find_by_name_kind(b, name, BTF_KIND_STRUCT);
	if (id < 0)
		id = btf__find_by_name_kind(b, name, BTF_KIND_UNION);
	return id < 0 ? -1 : id;
}

static int skip_mods(struct btf *b, int id)
{
	const struct btf_type *t = btf__type_by_id(b, (__u32)id);
	while (t && (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t) ||
		     btf_is_restrict(t) || btf_kind(t) == BTF_KIND_TYPE_TAG || btf_is_fwd(t))) {
		if (btf_is_fwd(t)) {	/* a script's `struct T *` before T's definition: T's definition now */
			int full = kbtf_find_named(btf__name_by_offset(b, t->name_off),
						   btf_kflag(t) ? BTF_KIND_UNION : BTF_KIND_STRUCT);
			return full >= 0 ? full : id;
		}
		id = (int)t->type;
		t = btf__type_by_id(b, (__u32)id);
	}
	return id;
}

int kbtf_field(int struct_id, const char *field, int *off, int *type_id)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	struct_id = skip_mods(b, struct_id);
	const struct btf_type *t = btf__type_by_id(b, (__u32)struct_id);
	if (!t || !(btf_is_struct(t) || btf_is_union(t)))
		return -1;
	const struct btf_member *m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(b, m->name_off);
		int bit = (int)btf_member_bit_offset(t, (__u32)i);
		if (btf_member_bitfield_size(t, (__u32)i))
			continue;	/* bitfields: not addressable as bytes */
		if (name && *name) {
			if (!strcmp(name, field)) {
				*off = bit / 8;
				*type_id = (int)m->type;
				return 0;
			}
		} else {
			int sub_off, sub_type;
			if (!kbtf_field((int)m->type, field, &sub_off, &sub_type)) {
				*off = bit / 8 + sub_off;
				*type_id = sub_type;
				return 0;
			}
		}
	}
	return -1;
}

int kbtf_member(int struct_id, int i, const char **name, int *off, int *type_id)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	const struct btf_type *t = btf__type_by_id(b, (__u32)skip_mods(b, struct_id));
	if (!t || !(btf_is_struct(t) || btf_is_union(t)) || i >= btf_vlen(t))
		return -1;
	if (btf_member_bitfield_size(t, (__u32)i))
		return 1;
	const struct btf_member *m = btf_members(t) + i;
	*name = btf__name_by_offset(b, m->name_off);
	*off = (int)btf_member_bit_offset(t, (__u32)i) / 8;
	*type_id = (int)m->type;
	return 0;
}

int kbtf_find_func(const char *name)
{
	struct btf *b = kbtf_get();
	int id = b ? btf__find_by_name_kind(b, name, BTF_KIND_FUNC) : -1;
	return id < 0 ? -1 : id;
}

int kbtf_type_is_struct(int type_id)
{
	struct btf *b = kbtf_get();
	const struct btf_type *t = b ? btf__type_by_id(b, (__u32)skip_mods(b, type_id)) : NULL;
	return t && (btf_is_struct(t) || btf_is_union(t));
}

const char *kbtf_name(int type_id)
{
	struct btf *b = kbtf_get();
	if (!b)
		return "?";
	const struct btf_type *t = btf__type_by_id(b, (__u32)type_id);
	return t ? btf__name_by_offset(b, t->name_off) : "?";
}

/* The enumerators of an enum type, copied: user space names values after BTF is released. */
static const struct type_enum *enum_names(struct arena *a, struct btf *b, const struct btf_type *t)
{
	struct type_enum *en = arena_alloc(a, sizeof(*en));
	en->n = btf_vlen(t);
	en->vals = arena_alloc(a, sizeof(int64_t) * (size_t)(en->n ? en->n : 1));
	en->names = arena_alloc(a, sizeof(char *) * (size_t)(en->n ? en->n : 1));
	const struct btf_enum *e = btf_enum(t);
	for (int i = 0; i < en->n; i++) {
		const char *name = btf__name_by_offset(b, e[i].name_off);
		en->names[i] = arena_strndup(a, name, strlen(name));
		en->vals[i] = btf_kflag(t) ? (int64_t)e[i].val : (int64_t)(uint32_t)e[i].val;
	}
	return en;
}

struct type *kbtf_type(struct arena *a, int type_id)
{
	struct btf *b = kbtf_get();
	if (!b)
		return NULL;
	type_id = skip_mods(b, type_id);
	const struct btf_type *t = btf__type_by_id(b, (__u32)type_id);
	if (!t)
		return NULL;
	if (btf_is_int(t)) {
		int enc = btf_int_encoding(t);
		if (btf_int_encoding(t) & BTF_INT_BOOL)
			return type_int(a, 1, 0);
		return type_int(a, (int)t->size, (enc & BTF_INT_SIGNED) != 0);
	}
	if (btf_is_enum(t)) {
		struct type *e = type_int(a, (int)t->size, btf_kflag(t));
		e->enums = enum_names(a, b, t);
		return e;
	}
	if (btf_is_ptr(t)) {
		struct type *p = type_simple(a, TY_PTR);
		p->btf_id = skip_mods(b, (int)t->type);
		return p;
	}
	if (btf_is_struct(t) || btf_is_union(t)) {
		struct type *s = type_simple(a, TY_STRUCT);
		s->btf_id = type_id;
		s->size = (int)t->size;
		return s;
	}
	if (btf_is_array(t)) {
		const struct btf_array *arr = btf_array(t);
		int elem = skip_mods(b, (int)arr->type);
		const struct btf_type *et = btf__type_by_id(b, (__u32)elem);
		struct type *at = type_simple(a, TY_ARRAY);
		at->btf_id = elem;
		at->array_len = (int)arr->nelems;
		long esize = btf__resolve_size(b, (__u32)elem);
		at->elem_size = et && esize > 0 ? (int)esize : 8;
		at->size = at->array_len * at->elem_size;
		/* char[N] reads as a string, like bpftrace */
		at->is_chars = et && btf_is_int(et) && et->size == 1;
		return at;
	}
	return NULL;
}

static int script_first(void)
{
	return script && kbtf_vmlinux() ? (int)btf__type_cnt(kbtf_vmlinux()) : 1;
}

int kbtf_enum_value(const char *name, int64_t *value)
{
	return kbtf_enum_find(name, value) < 0 ? -1 : 0;
}

int kbtf_enum_find(const char *name, int64_t *value)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	/* one pass over the types, the script's first: scripts name a handful of constants at most */
	int n = (int)btf__type_cnt(b), first = script_first();
	for (int i = 0; i < n - 1; i++) {
		int id = first + i < n ? first + i : first + i - n + 1;
		const struct btf_type *t = btf__type_by_id(b, (__u32)id);
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);
			for (int i = 0; i < btf_vlen(t); i++)
				if (!strcmp(btf__name_by_offset(b, e[i].name_off), name)) {
					*value = btf_kflag(t) ? (int64_t)e[i].val : (int64_t)(uint32_t)e[i].val;
					return id;
				}
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);
			for (int i = 0; i < btf_vlen(t); i++)
				if (!strcmp(btf__name_by_offset(b, e[i].name_off), name)) {
					*value = (int64_t)btf_enum64_value(&e[i]);
					return id;
				}
		}
	}
	return -1;
}
