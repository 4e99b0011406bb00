/*
 * The script's C type definitions (lang/ctypes.h) as BTF types, in a BTF
 * split over the kernel's: the rest of sema reads them through kbtf_* like
 * kernel types, and a script's struct, union, enum or typedef shadows the
 * kernel's of the same name (kbtf_find_named looks at the script's first).
 * Layout follows the x86-64 C ABI: each member at the next multiple of its
 * alignment, a struct's size a multiple of its largest member alignment.
 */
#include "checker.h"
#include "btf.h"
#include "ctypes_sema.h"
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	struct btf *b;
	struct diag *d;
	const struct node *defs;	/* all definitions: a pointer may name a struct defined later */
	VEC(const char *) defined;	/* "struct T", "enum E", "typedef T", enumerators: redefinitions are errors */
	int uint_id;			/* the index type of arrays */
};

static int align_up(int v, int a)
{
	return (v + a - 1) / a * a;
}

static int failed(struct builder *bd, struct span sp, const char *fmt, const char *what)
{
	diag_error(bd->d, sp, fmt, what);
	return -1;
}

/* C's integer types by their words (any order), bpftrace's names, the fixed-width typedefs. */
static int int_spec(const char *text, int *size, int *is_signed, int *is_bool)
{
	static const struct { const char *name; int size, is_signed; } named[] = {
		{ "int8", 1, 1 }, { "int16", 2, 1 }, { "int32", 4, 1 }, { "int64", 8, 1 },
		{ "uint8", 1, 0 }, { "uint16", 2, 0 }, { "uint32", 4, 0 }, { "uint64", 8, 0 },
		{ "int8_t", 1, 1 }, { "int16_t", 2, 1 }, { "int32_t", 4, 1 }, { "int64_t", 8, 1 },
		{ "uint8_t", 1, 0 }, { "uint16_t", 2, 0 }, { "uint32_t", 4, 0 }, { "uint64_t", 8, 0 },
	};
	*is_bool = !strcmp(text, "_Bool") || !strcmp(text, "bool");
	if (*is_bool) {
		*size = 1;
		*is_signed = 0;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(named); i++)
		if (!strcmp(named[i].name, text)) {
			*size = named[i].size;
			*is_signed = named[i].is_signed;
			return 0;
		}
	int uns = 0, chr = 0, shrt = 0, lng = 0, words = 0;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", text);
	for (char *save, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save), words++) {
		if (!strcmp(w, "unsigned"))
			uns = 1;
		else if (!strcmp(w, "char"))
			chr = 1;
		else if (!strcmp(w, "short"))
			shrt = 1;
		else if (!strcmp(w, "long"))
			lng++;
		else if (strcmp(w, "signed") && strcmp(w, "int"))
			return -1;
	}
	if (!words)
		return -1;
	*size = chr ? 1 : shrt ? 2 : lng ? 8 : 4;
	*is_signed = !uns;	/* plain char is signed on x86-64 */
	return 0;
}

static int add_int(struct builder *bd, const char *text)
{
	int size, is_signed, is_bool;
	if (int_spec(text, &size, &is_signed, &is_bool))
		return -1;
	int enc = is_bool ? BTF_INT_BOOL : is_signed ? BTF_INT_SIGNED : 0;
	if (size == 1 && !is_bool && strstr(text, "char"))
		enc |= BTF_INT_CHAR;
	return btf__add_int(bd->b, text, size, enc);
}

static int script_defines(const struct builder *bd, const char *key)
{
	for (int i = 0; i < bd->defined.n; i++)
		if (!strcmp(bd->defined.v[i], key))
			return 1;
	return 0;
}

/* Whether a definition with a body for `text` ("struct T") comes anywhere in the script. */
static int defined_anywhere(const struct node *defs, const char *text)
{
	for (const struct node *d = defs; d; d = d->next) {
		if (d->ival && !strcmp(d->name, text))
			return 1;
		for (const struct node *m = d->list; m; m = m->next)
			if (m->a && defined_anywhere(m->a, text))
				return 1;
		if (d->a && d->a->a && defined_anywhere(d->a->a, text))
			return 1;
	}
	return 0;
}

static int define(struct builder *bd, const struct node *def);

/* The BTF id of a member's (or typedef's) type: base, then pointers, then array dimensions. */
static int member_type(struct builder *bd, const struct node *m)
{
	int id;
	const char *text = m->str;
	if (m->a) {
		id = define(bd, m->a);
	} else if (m->prefix) {
		id = 0;	/* a function pointer: a pointer to void */
	} else if (!strcmp(text, "void")) {
		id = 0;
		if (!m->cast_ptr)
			return failed(bd, m->span, "a member cannot have type void%s", "");
	} else if (!strncmp(text, "struct ", 7) || !strncmp(text, "union ", 6)) {
		int is_union = text[0] == 'u';
		const char *name = strchr(text, ' ') + 1;
		id = kbtf_find_named(name, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT);
		/* a pointer to the script's own struct (itself, or one defined later): resolved by name when used */
		if (m->cast_ptr && (id < 0 || defined_anywhere(bd->defs, text)))
			id = btf__add_fwd(bd->b, name, is_union ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		else if (id < 0)
			return failed(bd, m->span, "Unknown struct/union: '%s' (define it before it is used as a member)", text);
	} else if (!strncmp(text, "enum ", 5)) {
		id = kbtf_find_named(text + 5, BTF_KIND_ENUM);
		if (id < 0)
			return failed(bd, m->span, "Unknown enum: '%s'", text);
	} else if ((id = kbtf_find_named(text, BTF_KIND_TYPEDEF)) < 0 && (id = add_int(bd, text)) < 0) {
		return failed(bd, m->span, "Unknown type: '%s'", text);
	}
	if (id < 0)
		return -1;
	for (int i = 0; i < m->cast_ptr; i++)
		id = btf__add_ptr(bd->b, id);
	const struct node *dims[16];
	int nd = 0;
	for (const struct node *d = m->list; d; d = d->next) {
		if (nd == 16)
			return failed(bd, d->span, "an array has at most 16 dimensions%s", "");
		if (d->ival > (1u << 24))
			return failed(bd, d->span, "an array of more than 16M elements%s", "");
		dims[nd++] = d;
	}
	while (nd--)
		id = btf__add_array(bd->b, bd->uint_id, id, (int)dims[nd]->ival);
	return id;
}

static int note_name(struct builder *bd, struct span sp, const char *key, const char *what)
{
	if (script_defines(bd, key)) {
		diag_error(bd->d, sp, "redefinition of %s '%s'", what, strchr(key, ' ') ? strchr(key, ' ') + 1 : key);
		return -1;
	}
	VEC_PUSH(bd->defined, key);
	return 0;
}

static int define_enum(struct builder *bd, const struct node *def)
{
	const char *name = def->name[4] == ' ' ? def->name + 5 : NULL;
	int64_t lo = 0, hi = 0;
	for (const struct node *e = def->list; e; e = e->next) {
		int64_t v = (int64_t)e->ival;
		if (v < INT32_MIN || v > (int64_t)UINT32_MAX) {
			diag_error(bd->d, e->span, "the value of enumerator '%s' does not fit in 32 bits", e->name);
			return -1;
		}
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		if (note_name(bd, e->span, e->name, "enumerator"))
			return -1;
	}
	if (lo < 0 && hi > INT32_MAX) {
		diag_error(bd->d, def->span, "the values of '%s' do not fit in one 32-bit type", def->name);
		return -1;
	}
	int id = btf__add_enum(bd->b, name, 4);
	for (const struct node *e = def->list; e; e = e->next)
		btf__add_enum_value(bd->b, e->name, (int64_t)e->ival);
	return id;
}

static int define_struct(struct builder *bd, const struct node *def)
{
	int is_union = def->name[0] == 'u';
	const char *name = strchr(def->name, ' ') ? strchr(def->name, ' ') + 1 : NULL;
	int n = node_list_len(def->list);
	int *ids = xcalloc((size_t)(n ? n : 1), sizeof(int)), *offs = xcalloc((size_t)(n ? n : 1), sizeof(int));
	int i = 0, off = 0, end = 0, align = 1, rc = -1;
	for (const struct node *m = def->list; m; m = m->next, i++) {
		for (const struct node *o = def->list; o != m; o = o->next)
			if (m->name && o->name && !strcmp(o->name, m->name)) {
				diag_error(bd->d, m->span, "duplicate member '%s'", m->name);
				goto out;
			}
		if ((ids[i] = member_type(bd, m)) < 0)
			goto out;
		long size = btf__resolve_size(bd->b, (__u32)ids[i]);
		int a = btf__align_of(bd->b, (__u32)ids[i]);
		if (size < 0 || a <= 0) {
			diag_error(bd->d, m->span, "member '%s' has an incomplete type", m->name ? m->name : m->str);
			goto out;
		}
		if (m->list && !m->list->ival && m->next) {
			diag_error(bd->d, m->span, "a flexible array member ('%s') must be the last", m->name);
			goto out;
		}
		offs[i] = is_union ? 0 : align_up(off, a);
		off = offs[i] + (int)size;
		end = off > end ? off : end;
		align = a > align ? a : align;
	}
	int size = align_up(end, align);
	rc = is_union ? btf__add_union(bd->b, name, (__u32)size) : btf__add_struct(bd->b, name, (__u32)size);
	i = 0;
	for (const struct node *m = def->list; m && rc >= 0; m = m->next, i++)
		if (btf__add_field(bd->b, m->name, ids[i], offs[i] * 8, 0) < 0)
			rc = -1;
out:
	free(ids);
	free(offs);
	return rc;
}

/* A definition with its body (or a typedef): its BTF id, or -1 after reporting. */
static int define(struct builder *bd, const struct node *def)
{
	if (!strcmp(def->name, "typedef")) {
		const struct node *m = def->a;
		int id = member_type(bd, m);
		/* typedef names and enumerators share C's namespace of ordinary identifiers */
		if (id < 0 || note_name(bd, m->span, m->name, "typedef"))
			return -1;
		return btf__add_typedef(bd->b, m->name, id);
	}
	if (!def->ival)
		return 0;	/* struct T; */
	if (strchr(def->name, ' ') && note_name(bd, def->span, def->name, def->name[0] == 'e' ? "enum" : def->name[0] == 'u' ? "union" : "struct"))
		return -1;
	return def->name[0] == 'e' ? define_enum(bd, def) : define_struct(bd, def);
}

int sema_ctypes(struct script *s, struct diag *d)
{
	const struct node *defs = s->prog ? s->prog->pred : NULL;
	kbtf_set_script(NULL);	/* an earlier script's types (unit tests, the fuzzer compile many) */
	if (!defs)
		return 0;
	struct btf *base = kbtf_vmlinux();
	struct btf *b = base ? btf__new_empty_split(base) : btf__new_empty();
	if (libbpf_get_error(b)) {
		diag_error(d, defs->span, "cannot hold the script's types (%s)", "out of memory");
		return -1;
	}
	kbtf_set_script(b);
	struct builder bd = { .b = b, .d = d, .defs = defs };
	bd.uint_id = btf__add_int(b, "unsigned int", 4, 0);
	int rc = 0;
	for (const struct node *def = defs; def && !rc; def = def->next)
		if (define(&bd, def) < 0)
			rc = -1;
	free(bd.defined.v);
	return rc;
}

int ctype_named(const char *name)
{
	if (!strncmp(name, "struct ", 7) || !strncmp(name, "union ", 6))
		return kbtf_find_struct(strchr(name, ' ') + 1);
	if (!strncmp(name, "enum ", 5))
		return kbtf_find_named(name + 5, BTF_KIND_ENUM);
	return kbtf_find_named(name, BTF_KIND_TYPEDEF);
}

int ctype_check_cast(struct checker *c, struct node *n, struct type *from, struct type **out)
{
	int id = ctype_named(n->name);
	if (id < 0 || !strncmp(n->name, "struct ", 7) || !strncmp(n->name, "union ", 6))
		return 0;
	*out = NULL;
	struct type *t = kbtf_type(chk_arena(c), id);
	if (!t) {
		ERR(c, n->span, "Cannot cast to \"%s\": sonde cannot read its type yet", n->name);
		return 1;
	}
	int to_struct = t->kind == TY_STRUCT;
	if (!chk_is_int(from)) {
		ERR(c, n->span, "Cannot cast from \"%s\" to \"%s\"", chk_type_name(c, from), n->name);
		return 1;
	}
	if (n->cast_ptr == 1 && to_struct) {	/* (T *)x, T a typedef of a struct */
		struct type *p = type_simple(chk_arena(c), TY_PTR);
		p->btf_id = t->btf_id;
		p->user_mem = from->user_addr || from->user_mem;
		*out = p;
	} else if (n->cast_ptr || t->kind == TY_PTR) {	/* an address: *(T *)x reads what it points at */
		struct type *p = t->kind == TY_PTR && !n->cast_ptr ? t : type_int(chk_arena(c), 8, 0);
		if (p->kind == TY_PTR)
			p->user_mem = from->user_addr || from->user_mem;
		else
			p->user_addr = from->user_addr || from->user_mem;
		*out = p;
	} else if (t->kind == TY_INT) {
		*out = t;
	} else {
		ERR(c, n->span, "Cannot cast to \"%s\"%s", n->name, to_struct ? ": cast to a pointer, e.g. (T *)" : "");
	}
	return 1;
}
