#include "btf.h"
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <string.h>

static struct btf *vmlinux;
static int tried;

struct btf *kbtf_get(void)
{
	if (!tried) {
		tried = 1;
		vmlinux = btf__load_vmlinux_btf();
		if (libbpf_get_error(vmlinux))
			vmlinux = NULL;
	}
	return vmlinux;
}

void kbtf_release(void)
{
	btf__free(vmlinux);
	vmlinux = NULL;
	tried = 0;
}

int kbtf_find_struct(const char *name)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	int id = btf__find_by_name_kind(b, name, BTF_KIND_STRUCT);
	if (id < 0)
		id = btf__find_by_name_kind(b, name, BTF_KIND_UNION);
	return id < 0 ? -1 : id;
}

static int skip_mods(struct btf *b, int id)
{
	const struct btf_type *t = btf__type_by_id(b, (__u32)id);
	while (t && (btf_is_typedef(t) || btf_is_const(t) || btf_is_volatile(t) ||
		     btf_is_restrict(t) || btf_kind(t) == BTF_KIND_TYPE_TAG)) {
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

int kbtf_find_func(const char *name)
{
	struct btf *b = kbtf_get();
	int id = b ? btf__find_by_name_kind(b, name, BTF_KIND_FUNC) : -1;
	return id < 0 ? -1 : id;
}

const char *kbtf_name(int type_id)
{
	struct btf *b = kbtf_get();
	if (!b)
		return "?";
	const struct btf_type *t = btf__type_by_id(b, (__u32)type_id);
	return t ? btf__name_by_offset(b, t->name_off) : "?";
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
	if (btf_is_enum(t))
		return type_int(a, (int)t->size, 1);
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
		at->elem_size = et && (btf_is_int(et) || btf_is_enum(et) || btf_is_struct(et) ||
				       btf_is_union(et)) ? (int)et->size : 8;
		at->size = at->array_len * at->elem_size;
		/* char[N] reads as a string, like bpftrace */
		at->is_chars = et && btf_is_int(et) && et->size == 1;
		return at;
	}
	return NULL;
}

int kbtf_enum_value(const char *name, int64_t *value)
{
	struct btf *b = kbtf_get();
	if (!b)
		return -1;
	/* one pass over the types: scripts name a handful of constants at most */
	int n = (int)btf__type_cnt(b);
	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, (__u32)id);
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t);
			for (int i = 0; i < btf_vlen(t); i++)
				if (!strcmp(btf__name_by_offset(b, e[i].name_off), name)) {
					*value = e[i].val;
					return 0;
				}
		} else if (btf_is_enum64(t)) {
			const struct btf_enum64 *e = btf_enum64(t);
			for (int i = 0; i < btf_vlen(t); i++)
				if (!strcmp(btf__name_by_offset(b, e[i].name_off), name)) {
					*value = (int64_t)btf_enum64_value(&e[i]);
					return 0;
				}
		}
	}
	return -1;
}
