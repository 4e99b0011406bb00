/*
 * The context face of uprobe and uretprobe: the task's pt_regs. arg0…arg5
 * are SysV registers, retval rax; args.NAME are a function's parameters from
 * DWARF (SysV, or Go's register ABI), and their structs' members; goid is
 * read through Go's g; uaddr() names a symbol of the probed file.
 */
#include "uprobe.h"
#include "../arch/arch.h"
#include "../obj/dwarf.h"
#include "../obj/elf.h"
#include "../sema/sema.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>

#define FAIL(q, ...) (snprintf((q)->err, sizeof((q)->err), __VA_ARGS__), CTX_ERROR)

static struct dw_cache *dwarf_of(struct script *s)
{
	if (!s->dwarf)
		s->dwarf = dw_cache_new();
	return s->dwarf;
}

/*
 * goid: the goroutine's id, read through the g pointer Go keeps in r14 (Go
 * 1.17+). Its offset in runtime.g comes from the binary's DWARF, or for a
 * stripped binary from the Go release that built it (verified ones only).
 */
static int goid_offset(struct ctx_query *q, const char *path)
{
	static const struct { const char *release; int off; } known[] = {
		{ "go1.19", 152 },	/* Debian 12's golang-go, read from its DWARF */
	};
	int off;
	if (dw_member_offset(dwarf_of(q->s), path, "runtime.g", "goid", &off) == 0)
		return off;
	char version[64];
	if (elf_go_version(path, version, sizeof(version)) == 0)
		for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
			size_t k = strlen(known[i].release);
			if (!strncmp(version, known[i].release, k) && (version[k] == 0 || version[k] == '.'))
				return known[i].off;
		}
	(void)FAIL(q, "goid: %s has no DWARF for runtime.g and was built by %s, whose goroutine layout sonde does not know",
	     path, elf_go_version(path, version, sizeof(version)) == 0 ? version : "an unknown Go release");
	return -1;
}

static enum ctx_answer uprobe_goid(struct ctx_query *q)
{
	int off = -1;
	for (int i = 0; i < q->blk->points.n; i++) {
		const struct probe_point *pt = q->blk->points.v[i];
		int go = pt->path ? elf_is_go(pt->path) : 0;
		if (!go)
			return FAIL(q, "goid is only known in uprobes and uretprobes of Go programs, not in %s", pt->name);
		if (go == 2)
			return FAIL(q, "goid needs Go 1.17 or later (the g pointer in r14); %s is older", pt->path);
		int o = goid_offset(q, pt->path);
		if (o < 0)
			return CTX_ERROR;
		if (off >= 0 && o != off)
			return FAIL(q, "goid lives at different offsets in the programs of this probe: split it");
		off = o;
	}
	/* *(int64 *)(g + offsetof(runtime.g, goid)): g is always resident */
	q->type_out = type_int(q->s->arena, 8, 1);
	q->loc = (struct ctx_loc){ .kind = CTX_USER, .off = PT_GO_G, .imm = off, .index = -1, .size = 8, .is_signed = 1,
				   .resident = 1 };
	return CTX_FOUND;
}

/* args.NAME: a parameter in a register at the function's entry (SysV, or Go's ABI), the same in every point. */
static enum ctx_answer uprobe_param(struct ctx_query *q)
{
	struct probe_block *blk = q->blk;
	const struct dw_param *first = NULL;
	int go = 0;
	for (int i = 0; i < blk->points.n; i++) {
		const struct probe_point *pt = blk->points.v[i];
		const struct dw_params *ps;
		if (uprobe_of(pt)->func_extra)
			return FAIL(q, "args are known at a function's entry only, not at %s", pt->name);
		int rc = dw_func_params(dwarf_of(q->s), pt->path, pt->func, uprobe_of(pt)->func_addr, &ps);
		if (rc)
			return FAIL(q, rc == -ENODATA ? "%s has no DWARF debug info: args.%s is unknown (use arg0…arg5, or install its debug symbols)"
						      : "DWARF of %s does not describe %s: args.%s is unknown (use arg0…arg5)",
				    pt->path, rc == -ENODATA ? q->name : pt->func, q->name);
		const struct dw_param *p = NULL;
		for (int k = 0; k < ps->v.n && !p; k++)
			if (!strcmp(ps->v.v[k].name, q->name))
				p = &ps->v.v[k];
		if (!p) {
			struct strbuf names = { 0 };
			for (int k = 0; k < ps->v.n; k++)
				sb_printf(&names, "%s%s", k ? ", " : "", ps->v.v[k].name);
			(void)FAIL(q, "%s has no parameter named '%s' (%s%s; list them with: sonde -lv '%s')", pt->func, q->name,
			     ps->v.n ? "it has: " : "it has none", ps->v.n ? sb_str(&names) : "", pt->name);
			sb_free(&names);
			return CTX_ERROR;
		}
		if (p->reg < 0 && ps->is_go && p->go_nint > 1) {
			/* a string, slice, interface or struct: one register per word; name them */
			struct strbuf regs = { 0 };
			for (int k = 0; k < p->go_nint; k++)
				sb_printf(&regs, "%sreg(\"%s\")", k ? ", " : "", pt_go_arg_names[p->go_first + k]);
			(void)FAIL(q, "parameter '%s' of %s (%s) takes %d Go registers: read its words with %s", q->name, pt->func,
			     p->type, p->go_nint, sb_str(&regs));
			sb_free(&regs);
			return CTX_ERROR;
		}
		if (p->reg < 0)
			return FAIL(q, "parameter '%s' of %s (%s) is not passed in an integer register: sonde cannot read it",
				    q->name, pt->func, p->type);
		if (i == 0)
			go = ps->is_go;
		if (ps->is_go != go)
			return FAIL(q, "parameter '%s' is in a Go function in one probe and a C one in another: split the probe",
				    q->name);
		if (first && (p->reg != first->reg || p->kind != first->kind || p->size != first->size ||
			      p->is_signed != first->is_signed || p->pointee != first->pointee ||
			      strcmp(pt->path, blk->points.v[0]->path)))
			return FAIL(q, "parameter '%s' differs between %s and %s: split the probe", q->name,
				    blk->points.v[0]->func, pt->func);
		first = p;
	}
	int reg = go ? pt_go_args[first->reg] : pt_sysv_args[first->reg];
	struct type *t;
	if (first->pointee) {	/* struct point *p: p->x reads user memory */
		t = type_simple(q->s->arena, TY_PTR);
		t->user_mem = 1;
		t->dw_die = first->pointee;
		t->dw_path = blk->points.v[0]->path;
	} else {
		t = type_int(q->s->arena, first->kind == DWP_PTR ? 8 : first->size, first->is_signed);
		t->user_addr = first->kind == DWP_PTR;
	}
	q->type_out = t;
	int size = t->kind == TY_INT ? t->size : 8;
	q->loc = (struct ctx_loc){ .kind = CTX_LOAD, .off = reg, .load = size, .size = size,
				   .is_signed = t->kind == TY_INT && t->is_signed };
	return CTX_FOUND;
}

/* p->name of a user struct typed by DWARF: integers, pointers, char arrays, nested structs. */
static enum ctx_answer uprobe_member(struct ctx_query *q)
{
	const struct type *t = q->type;
	struct dw_type ft;
	int off;
	char name[256];
	if (!t->dw_path)
		return CTX_UNKNOWN;
	int rc = dw_struct_field(dwarf_of(q->s), t->dw_path, t->dw_die, q->name, &off, &ft);
	if (rc == -EOPNOTSUPP)
		return FAIL(q, "field '%s' is a bit-field, which sonde cannot read yet", q->name);
	if (rc)
		return FAIL(q, "Struct/union of type '%s' does not contain a field named '%s'",
			    dw_type_name(q->s->dwarf, t->dw_path, t->dw_die, name, sizeof(name)), q->name);
	q->loc.off = off;
	struct arena *a = q->s->arena;
	struct type *r;
	if (ft.kind == DWP_INT) {
		q->type_out = type_int(a, ft.size, ft.is_signed);
		return CTX_FOUND;
	}
	if (ft.kind == DWP_PTR && !ft.die) {
		r = q->type_out = type_int(a, 8, 0);
		r->user_addr = 1;
		return CTX_FOUND;
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
		return FAIL(q, "field '%s' has a type sonde cannot read yet (floats, bit-fields and arrays other than char[N])",
			    q->name);
	}
	r->user_mem = 1;
	r->dw_path = t->dw_path;
	q->type_out = r;
	return CTX_FOUND;
}

/*
 * uaddr("sym"): a symbol's address in the probed file, known now for a
 * fixed-address executable. In a PIE or a library the load address is
 * added at run time: ip minus the probed instruction's link-time address.
 */
static enum ctx_answer uprobe_symbol(struct ctx_query *q)
{
	struct probe_block *b = q->blk;
	if (!b->points.n || !b->points.v[0]->path)
		return CTX_UNKNOWN;
	const char *path = b->points.v[0]->path;
	for (int i = 1; i < b->points.n; i++)
		if (strcmp(b->points.v[i]->path, path))
			return FAIL(q, "uaddr() needs the block's probes in one file: it names symbols of that file");
	uint64_t addr;
	int rc = elf_symbol_addr(path, q->name, &addr);
	if (rc) {
		q->err_at_arg = 1;
		return FAIL(q, "uaddr(): %s %s in %s (list functions with: sonde -l 'uprobe:%s:*')", q->name,
			    rc == -ENOTUNIQ ? "names more than one symbol" : "is not a symbol", path, path);
	}
	int pie = elf_is_pie(path);
	const struct probe_point *pt = b->points.v[0];
	if (pie && (b->points.n != 1 || (b->prov->is_return && !uprobe_of(pt)->ret_site)))
		return FAIL(q, "uaddr() in a position-independent file (%s) needs a block with one entry probe: "
			    "its load address is worked out from the probed instruction", path);
	if (pie)	/* reg("ip") + the symbol's distance from the probed instruction */
		q->loc = (struct ctx_loc){ .kind = CTX_LOAD, .off = PT_IP, .load = 8, .size = 8,
					   .imm = (int64_t)(addr - (uprobe_of(pt)->func_addr + (uprobe_of(pt)->offset - uprobe_of(pt)->func_file_off))) };
	else
		q->loc = (struct ctx_loc){ .kind = CTX_CONST, .imm = (int64_t)addr };
	q->type_out = type_int(q->s->arena, 8, 0);
	q->type_out->user_addr = 1;
	return CTX_FOUND;
}

enum ctx_answer uprobe_context(struct ctx_query *q)
{
	const char *n = q->name;
	int is_return = q->blk->prov->is_return;
	switch (q->ask) {
	case CTX_FIELD:
		return is_return ? CTX_UNKNOWN : uprobe_param(q);
	case CTX_MEMBER:
		return uprobe_member(q);
	case CTX_SYMBOL:
		return uprobe_symbol(q);
	case CTX_NAME:
		break;
	}
	/* arg0…arg5 (SysV registers), retval in return probes: user addresses */
	int is_arg = !strncmp(n, "arg", 3) && n[3] >= '0' && n[3] <= '5' && !n[4];
	int is_ret = !strcmp(n, "retval") && is_return;
	if (is_arg || is_ret) {
		q->type_out = type_int(q->s->arena, 8, is_ret);
		q->type_out->user_addr = 1;
		q->loc = (struct ctx_loc){ .kind = CTX_LOAD, .off = is_arg ? pt_sysv_args[n[3] - '0'] : PT_RETVAL, .load = 8,
					   .size = 8 };
		return CTX_FOUND;
	}
	if (!strcmp(n, "func")) {	/* the probe id; user space names the function */
		q->type_out = type_simple(q->s->arena, TY_FUNC);
		q->loc.kind = CTX_PROBE_ID;
		return CTX_FOUND;
	}
	if (!strcmp(n, "goid"))
		return uprobe_goid(q);
	if (!strcmp(n, "args") && !is_return) {	/* the function's parameters, from DWARF */
		q->type_out = type_simple(q->s->arena, TY_ARGS);
		return CTX_FOUND;
	}
	return CTX_UNKNOWN;
}
