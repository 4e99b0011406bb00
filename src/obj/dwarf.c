/*
 * Function parameters from DWARF, for uprobe `args.NAME` and `-lv`. A file is
 * indexed once (every defined function's name → its DIE); parameters are
 * read when first asked for. Registers follow the SysV x86-64 ABI at the
 * function's entry: integer and pointer parameters take rdi, rsi, rdx, rcx,
 * r8, r9 in order; floats go to xmm registers and take none.
 */
#include "dwarf.h"
#include "debugfile.h"
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct dw_func {
	char *name;
	Dwarf_Off die;
	uint64_t entry;		/* low_pc: tells apart static functions of one name */
	int read;		/* params filled */
	struct dw_params params;
};

struct dw_file {
	char *path;
	int fd;
	Dwarf *dw;		/* NULL: no DWARF in this file */
	VEC(struct dw_func) funcs;	/* sorted by name */
	/* the last dw_member_offset() answer: every probe and checker pass asks for runtime.g's goid */
	char *memo_key;
	int memo_rc, memo_off;
};

struct dw_cache {
	VEC(struct dw_file *) files;
};

struct dw_cache *dw_cache_new(void)
{
	return xcalloc(1, sizeof(struct dw_cache));
}

static void params_free(struct dw_params *p)
{
	for (int i = 0; i < p->v.n; i++) {
		free(p->v.v[i].name);
		free(p->v.v[i].type);
	}
	free(p->v.v);
}

void dw_cache_free(struct dw_cache *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->files.n; i++) {
		struct dw_file *f = c->files.v[i];
		for (int k = 0; k < f->funcs.n; k++) {
			free(f->funcs.v[k].name);
			params_free(&f->funcs.v[k].params);
		}
		free(f->funcs.v);
		if (f->dw)
			dwarf_end(f->dw);
		if (f->fd >= 0)
			close(f->fd);
		free(f->memo_key);
		free(f->path);
		free(f);
	}
	free(c->files.v);
	free(c);
}

/* dwarf_getfuncs callback: defined functions only (declarations have no code) */
static int collect_func(Dwarf_Die *die, void *arg)
{
	struct dw_file *f = arg;
	Dwarf_Addr lo;
	const char *name = dwarf_diename(die);
	int has_lo = dwarf_lowpc(die, &lo) == 0;
	if (name && !dwarf_hasattr(die, DW_AT_declaration) && (has_lo || dwarf_hasattr(die, DW_AT_ranges)))
		VEC_PUSH(f->funcs, ((struct dw_func){ .name = xstrdup(name), .die = dwarf_dieoffset(die),
						      .entry = has_lo ? lo : 0 }));
	return DWARF_CB_OK;
}

static int by_name(const void *a, const void *b)
{
	const struct dw_func *x = a, *y = b;
	int r = strcmp(x->name, y->name);
	/* a static function defined in two units: the first one wins, as for ELF symbols */
	return r ? r : (x->die > y->die) - (x->die < y->die);
}

static struct dw_file *file_open(struct dw_cache *c, const char *path)
{
	for (int i = 0; i < c->files.n; i++)
		if (!strcmp(c->files.v[i]->path, path))
			return c->files.v[i];
	struct dw_file *f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->fd = open(path, O_RDONLY | O_CLOEXEC);
	f->dw = f->fd >= 0 ? dwarf_begin(f->fd, DWARF_C_READ) : NULL;
	char debug[1024];
	if (!f->dw && debug_file_for(path, debug, sizeof(debug)) == 0) {
		/* stripped: the DWARF went to a separate debug file (Debian's -dbgsym) */
		if (f->fd >= 0)
			close(f->fd);
		f->fd = open(debug, O_RDONLY | O_CLOEXEC);
		f->dw = f->fd >= 0 ? dwarf_begin(f->fd, DWARF_C_READ) : NULL;
	}
	VEC_PUSH(c->files, f);
	if (!f->dw)
		return f;
	Dwarf_Off off = 0, next;
	size_t hsize;
	while (dwarf_nextcu(f->dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu;
		if (dwarf_offdie(f->dw, off + hsize, &cu))
			dwarf_getfuncs(&cu, collect_func, f, 0);
		off = next;
	}
	if (f->funcs.n)
		qsort(f->funcs.v, (size_t)f->funcs.n, sizeof(f->funcs.v[0]), by_name);
	return f;
}

static int type_of(Dwarf_Die *die, Dwarf_Die *out)
{
	Dwarf_Attribute attr;
	return dwarf_attr_integrate(die, DW_AT_type, &attr) && dwarf_formref_die(&attr, out) ? 0 : -1;
}

/* An array type's element and the length of its first dimension (DW_AT_count or upper bound + 1). */
static int array_shape(Dwarf_Die *array, Dwarf_Die *elem, Dwarf_Word *count)
{
	Dwarf_Die sub;
	Dwarf_Attribute attr;
	*count = 0;
	if (type_of(array, elem) || dwarf_child(array, &sub) != 0 || dwarf_tag(&sub) != DW_TAG_subrange_type)
		return -1;
	if (dwarf_attr_integrate(&sub, DW_AT_count, &attr))
		dwarf_formudata(&attr, count);
	else if (dwarf_attr_integrate(&sub, DW_AT_upper_bound, &attr) && dwarf_formudata(&attr, count) == 0)
		(*count)++;
	return 0;
}

/* The type as C spells it, in bpftrace's layout: "const char*", "struct point*". */
static void type_spell(Dwarf_Die *t, struct strbuf *out, int depth)
{
	Dwarf_Die inner;
	int has_inner = type_of(t, &inner) == 0;
	const char *name = dwarf_diename(t);
	if (depth > 16) {
		sb_puts(out, "?");
		return;
	}
	switch (dwarf_tag(t)) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
		if (has_inner && dwarf_tag(&inner) == DW_TAG_subroutine_type)
			sb_puts(out, "void (*)()");
		else {
			if (has_inner)
				type_spell(&inner, out, depth + 1);
			else
				sb_puts(out, "void");
			sb_puts(out, dwarf_tag(t) == DW_TAG_pointer_type ? "*" : "&");
		}
		return;
	case DW_TAG_const_type:
	case DW_TAG_volatile_type:
		sb_puts(out, dwarf_tag(t) == DW_TAG_const_type ? "const " : "volatile ");
		if (has_inner)
			type_spell(&inner, out, depth + 1);
		else
			sb_puts(out, "void");
		return;
	case DW_TAG_restrict_type:
	case DW_TAG_atomic_type:
		if (has_inner)
			type_spell(&inner, out, depth + 1);
		else
			sb_puts(out, "void");
		return;
	case DW_TAG_structure_type:
		sb_printf(out, "struct %s", name ? name : "(anonymous)");
		return;
	case DW_TAG_union_type:
		sb_printf(out, "union %s", name ? name : "(anonymous)");
		return;
	case DW_TAG_enumeration_type:
		sb_printf(out, "enum %s", name ? name : "(anonymous)");
		return;
	case DW_TAG_array_type:
		if (has_inner)
			type_spell(&inner, out, depth + 1);
		sb_puts(out, "[]");
		return;
	default:
		sb_puts(out, name ? name : "?");
	}
}

/* What a parameter's value is, seen through typedefs and qualifiers. */
static void classify(Dwarf_Die *t, struct dw_param *p)
{
	Dwarf_Die peeled;
	if (dwarf_peel_type(t, &peeled) != 0) {
		p->kind = DWP_OTHER;
		return;
	}
	Dwarf_Word size = 0, enc = 0;
	Dwarf_Attribute attr;
	if (dwarf_attr_integrate(&peeled, DW_AT_byte_size, &attr))
		dwarf_formudata(&attr, &size);
	p->size = (int)size;
	switch (dwarf_tag(&peeled)) {
	case DW_TAG_pointer_type:
	case DW_TAG_reference_type:
	case DW_TAG_rvalue_reference_type: {
		p->kind = DWP_PTR;
		p->size = 8;
		Dwarf_Die to, peeled_to;
		if (type_of(&peeled, &to) == 0 && dwarf_peel_type(&to, &peeled_to) == 0 &&
		    (dwarf_tag(&peeled_to) == DW_TAG_structure_type || dwarf_tag(&peeled_to) == DW_TAG_union_type) &&
		    !dwarf_hasattr(&peeled_to, DW_AT_declaration))
			p->pointee = dwarf_dieoffset(&peeled_to);
		return;
	}
	case DW_TAG_enumeration_type:
		p->kind = size >= 1 && size <= 8 ? DWP_INT : DWP_OTHER;
		p->is_signed = 0;
		return;
	case DW_TAG_base_type:
		if (dwarf_attr_integrate(&peeled, DW_AT_encoding, &attr))
			dwarf_formudata(&attr, &enc);
		p->is_signed = enc == DW_ATE_signed || enc == DW_ATE_signed_char;
		p->kind = (enc == DW_ATE_signed || enc == DW_ATE_signed_char || enc == DW_ATE_unsigned ||
			   enc == DW_ATE_unsigned_char || enc == DW_ATE_boolean) && size >= 1 && size <= 8 ? DWP_INT
												   : DWP_OTHER;
		return;
	default:
		p->kind = DWP_OTHER;
	}
}

static int is_float(Dwarf_Die *t)
{
	Dwarf_Die peeled;
	Dwarf_Attribute attr;
	Dwarf_Word enc = 0;
	if (dwarf_peel_type(t, &peeled) || dwarf_tag(&peeled) != DW_TAG_base_type ||
	    !dwarf_attr_integrate(&peeled, DW_AT_encoding, &attr))
		return 0;
	dwarf_formudata(&attr, &enc);
	return enc == DW_ATE_float || enc == DW_ATE_complex_float;
}

/* A result the caller receives through memory: its address travels as a hidden first argument (rdi). */
static int returns_in_memory(Dwarf_Die *fn)
{
	Dwarf_Die t, peeled;
	Dwarf_Attribute attr;
	Dwarf_Word size = 0;
	if (type_of(fn, &t) || dwarf_peel_type(&t, &peeled))
		return 0;
	int tag = dwarf_tag(&peeled);
	if (tag != DW_TAG_structure_type && tag != DW_TAG_union_type && tag != DW_TAG_class_type)
		return 0;
	if (dwarf_attr_integrate(&peeled, DW_AT_byte_size, &attr))
		dwarf_formudata(&attr, &size);
	return size > 16;
}

/*
 * Go's internal ABI (Go 1.17+, amd64): a value goes in registers as a whole or
 * not at all; integers, pointers, maps, chans and funcs take one integer
 * register, floats one of 15 X registers, strings, interfaces and slices
 * their 2 or 3 words (structs to DWARF), structs field by field, arrays of
 * length 0 or 1 their element. 0 when it cannot be in registers.
 */
static int go_count(Dwarf_Die *t, int *nint, int *nfp, int depth)
{
	Dwarf_Die peeled, m, elem;
	Dwarf_Attribute attr;
	Dwarf_Word size = 0, enc = 0, count = 0;
	if (depth > 16 || dwarf_peel_type(t, &peeled))
		return 0;
	if (dwarf_attr_integrate(&peeled, DW_AT_byte_size, &attr))
		dwarf_formudata(&attr, &size);
	switch (dwarf_tag(&peeled)) {
	case DW_TAG_pointer_type:
	case DW_TAG_subroutine_type:
		(*nint)++;
		return 1;
	case DW_TAG_base_type:
		if (dwarf_attr_integrate(&peeled, DW_AT_encoding, &attr))
			dwarf_formudata(&attr, &enc);
		if (enc == DW_ATE_float)
			(*nfp)++;
		else if (enc == DW_ATE_complex_float)
			*nfp += 2;
		else if (size <= 8)
			(*nint)++;
		else
			return 0;
		return 1;
	case DW_TAG_structure_type:
		if (dwarf_child(&peeled, &m) != 0)
			return 1;	/* struct{}: nothing */
		do {
			Dwarf_Die mt;
			if (dwarf_tag(&m) == DW_TAG_member && (type_of(&m, &mt) || !go_count(&mt, nint, nfp, depth + 1)))
				return 0;
		} while (dwarf_siblingof(&m, &m) == 0);
		return 1;
	case DW_TAG_array_type:
		if (array_shape(&peeled, &elem, &count))
			return 0;
		return count == 0 ? 1 : count == 1 ? go_count(&elem, nint, nfp, depth + 1) : 0;
	default:
		return 0;
	}
}

/* The Go integer register (0-8: RAX, RBX, RCX, RDI, RSI, R8-R11) a parameter's location
 * names at the function's entry, or -1. */
static int go_entry_reg(Dwarf_Die *param, uint64_t entry)
{
	/* DWARF x86-64 register numbers → Go's order */
	static const int8_t go_index[17] = { 0, -1, 2, 1, 4, 3, -1, -1, 5, 6, 7, 8, -1, -1, -1, -1, -1 };
	Dwarf_Attribute attr;
	Dwarf_Op *expr;
	size_t len;
	if (!entry || !dwarf_attr(param, DW_AT_location, &attr) ||
	    dwarf_getlocation_addr(&attr, entry, &expr, &len, 1) != 1 || len != 1)
		return -1;
	unsigned op = expr[0].atom;
	return op >= DW_OP_reg0 && op <= DW_OP_reg16 ? go_index[op - DW_OP_reg0] : -1;
}

static void read_params(struct dw_file *f, struct dw_func *fn)
{
	fn->read = 1;
	Dwarf_Die die, child, cu;
	if (!dwarf_offdie(f->dw, fn->die, &die))
		return;
	/* Go passes arguments in its own registers (RAX, RBX, RCX, RDI, …), not SysV's */
	fn->params.is_go = dwarf_diecu(&die, &cu, NULL, NULL) && dwarf_srclang(&cu) == DW_LANG_Go;
	if (dwarf_child(&die, &child) != 0)
		return;
	int next_reg = returns_in_memory(&die);	/* -1 once a struct by value makes the rest uncertain */
	int go_int = 0, go_fp = 0;		/* Go: registers taken so far */
	do {
		/* Go's results are parameters marked variable (~r0): not arguments */
		Dwarf_Attribute va;
		bool is_result = false;
		if (dwarf_attr(&child, DW_AT_variable_parameter, &va))
			dwarf_formflag(&va, &is_result);
		if (dwarf_tag(&child) != DW_TAG_formal_parameter || is_result)
			continue;
		Dwarf_Attribute attr;
		const char *name = dwarf_formstring(dwarf_attr_integrate(&child, DW_AT_name, &attr));
		struct dw_param p = { .name = xstrdup(name ? name : ""), .reg = -1 };
		struct strbuf sb = { 0 };
		Dwarf_Die t;
		if (type_of(&child, &t) == 0) {
			type_spell(&t, &sb, 0);
			classify(&t, &p);
		} else {
			sb_puts(&sb, "void");
			p.kind = DWP_OTHER;
		}
		p.type = sb.s ? sb.s : xstrdup("?");
		int ni = 0, nf = 0;
		if (fn->params.is_go) {
			/* a value that does not fit goes to the stack; later ones may still get registers */
			if (type_of(&child, &t) == 0 && go_count(&t, &ni, &nf, 0) && go_int + ni <= 9 && go_fp + nf <= 15) {
				p.go_first = go_int;
				p.go_nint = ni;
				p.reg = ni == 1 && nf == 0 && p.kind != DWP_OTHER ? go_int : -1;
				go_int += ni;
				go_fp += nf;
			}
			/* Go's DWARF leaves out `_`, unnamed receivers and generics' dictionary: where the
			 * compiler says the value is at entry is the truth; without it, do not guess */
			int at = go_entry_reg(&child, fn->entry);
			if (p.reg >= 0 && at != p.reg)
				p.reg = at;
		} else if (p.kind != DWP_OTHER && next_reg >= 0 && next_reg < 6)
			p.reg = next_reg++;
		else if (p.kind != DWP_OTHER && next_reg >= 6)
			next_reg++;	/* on the stack */
		else if (p.kind == DWP_OTHER && !(type_of(&child, &t) == 0 && is_float(&t)))
			next_reg = -1;	/* an aggregate by value: its registers depend on its fields */
		VEC_PUSH(fn->params.v, p);
	} while (dwarf_siblingof(&child, &child) == 0);
}

int dw_func_params(struct dw_cache *c, const char *path, const char *func, uint64_t addr,
		   const struct dw_params **out)
{
	struct dw_file *f = file_open(c, path);
	if (!f->dw)
		return -ENODATA;
	struct dw_func key = { .name = (char *)func, .die = 0 };
	/* the first unit's definition: lower bound on (name, offset 0) */
	int lo = 0, hi = f->funcs.n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (by_name(&f->funcs.v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo >= f->funcs.n || strcmp(f->funcs.v[lo].name, func))
		return -ENOENT;
	/* static functions of one name in several units: the one at the probed address */
	for (int k = lo; addr && k < f->funcs.n && !strcmp(f->funcs.v[k].name, func); k++)
		if (f->funcs.v[k].entry == addr) {
			lo = k;
			break;
		}
	struct dw_func *fn = &f->funcs.v[lo];
	if (!fn->read)
		read_params(f, fn);
	*out = &fn->params;
	return 0;
}

static void classify_member(Dwarf_Die *t, struct dw_type *out)
{
	struct dw_param p = { 0 };
	Dwarf_Die peeled;
	memset(out, 0, sizeof(*out));
	classify(t, &p);
	out->kind = p.kind;
	out->size = p.size;
	out->is_signed = p.is_signed;
	out->die = p.pointee;
	if (p.kind != DWP_OTHER || dwarf_peel_type(t, &peeled))
		return;
	int tag = dwarf_tag(&peeled);
	if (tag == DW_TAG_structure_type || tag == DW_TAG_union_type) {
		out->is_struct = 1;
		out->die = dwarf_dieoffset(&peeled);
		return;
	}
	/* char name[16]: one dimension of 1-byte integers */
	Dwarf_Die elem;
	struct dw_param e = { 0 };
	Dwarf_Word count = 0;
	if (tag != DW_TAG_array_type || array_shape(&peeled, &elem, &count))
		return;
	classify(&elem, &e);
	if (e.kind == DWP_INT && e.size == 1 && count > 0 && count < 65536) {
		out->is_chars = 1;
		out->array_len = (int)count;
		out->size = (int)count;
	}
}

static int find_member(Dwarf_Die *st, const char *name, int base, int *off, struct dw_type *out, int depth)
{
	Dwarf_Die m;
	if (depth > 8 || dwarf_child(st, &m) != 0)
		return -ENOENT;
	do {
		if (dwarf_tag(&m) != DW_TAG_member)
			continue;
		if (dwarf_hasattr(&m, DW_AT_bit_size)) {
			const char *bname = dwarf_diename(&m);
			if (bname && !strcmp(bname, name))
				return -EOPNOTSUPP;
			continue;
		}
		Dwarf_Attribute attr;
		Dwarf_Word loc = 0;
		if (dwarf_attr_integrate(&m, DW_AT_data_member_location, &attr) && dwarf_formudata(&attr, &loc))
			continue;	/* a location expression, not an offset: not a plain C member */
		const char *mname = dwarf_diename(&m);
		Dwarf_Die t, peeled;
		if (type_of(&m, &t))
			continue;
		if (mname && !strcmp(mname, name)) {
			classify_member(&t, out);
			*off = base + (int)loc;
			return 0;
		}
		/* an anonymous struct or union: its members belong to the outer one */
		int rc;
		if (!mname && dwarf_peel_type(&t, &peeled) == 0 &&
		    (rc = find_member(&peeled, name, base + (int)loc, off, out, depth + 1)) != -ENOENT)
			return rc;
	} while (dwarf_siblingof(&m, &m) == 0);
	return -ENOENT;
}

int dw_struct_field(struct dw_cache *c, const char *path, uint64_t die, const char *name, int *off,
		    struct dw_type *out)
{
	struct dw_file *f = file_open(c, path);
	Dwarf_Die st;
	if (!f->dw || !dwarf_offdie(f->dw, die, &st))
		return -ENOENT;
	return find_member(&st, name, 0, off, out, 0);
}

const char *dw_type_name(struct dw_cache *c, const char *path, uint64_t die, char *buf, size_t n)
{
	struct dw_file *f = file_open(c, path);
	Dwarf_Die t;
	struct strbuf sb = { 0 };
	if (f->dw && dwarf_offdie(f->dw, die, &t))
		type_spell(&t, &sb, 0);
	snprintf(buf, n, "%s", sb.s ? sb.s : "?");
	sb_free(&sb);
	return buf;
}

/* dwarf_getfuncs-like walk over every unit's top-level types */
static int member_offset(struct dw_file *f, const char *type, const char *member, int *off);

int dw_member_offset(struct dw_cache *c, const char *path, const char *type, const char *member, int *off)
{
	struct dw_file *f = file_open(c, path);
	if (!f->dw)
		return -ENODATA;
	char key[512];
	snprintf(key, sizeof(key), "%s.%s", type, member);
	if (!f->memo_key || strcmp(f->memo_key, key)) {
		/* a walk over every unit: done once per question */
		free(f->memo_key);
		f->memo_key = xstrdup(key);
		f->memo_rc = member_offset(f, type, member, &f->memo_off);
	}
	*off = f->memo_off;
	return f->memo_rc;
}

static int member_offset(struct dw_file *f, const char *type, const char *member, int *off)
{
	Dwarf_Off cuoff = 0, next;
	size_t hsize;
	while (dwarf_nextcu(f->dw, cuoff, &next, &hsize, NULL, NULL, NULL) == 0) {
		Dwarf_Die cu, child;
		if (dwarf_offdie(f->dw, cuoff + hsize, &cu) && dwarf_child(&cu, &child) == 0)
			do {
				const char *name = dwarf_diename(&child);
				struct dw_type t;
				if (dwarf_tag(&child) == DW_TAG_structure_type && name && !strcmp(name, type) &&
				    !dwarf_hasattr(&child, DW_AT_declaration))
					return find_member(&child, member, 0, off, &t, 0);
			} while (dwarf_siblingof(&child, &child) == 0);
		cuoff = next;
	}
	return -ENOENT;
}
