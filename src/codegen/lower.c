/*
 * AST → IR for one probe block. Scalars live in virtual registers; strings,
 * tuples and keys in frame slots, zero-filled so equal values have equal
 * bytes. Variables own a slot for the whole block; other slots are released
 * at the end of each statement. This file holds the block's frame (slots,
 * helper calls), its prologue and epilogue; expressions are in exprs.c,
 * memory values in memory.c, statements in stmts.c.
 */
#include "lower.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static int stack_slot(struct lower *L, int size)
{
	L->depth += size;
	if (L->depth > L->f->stack)
		L->f->stack = L->depth;
	return -L->depth;
}

/* Scalars the verifier must track exactly (loop counters, variables) stay on the stack. */
int slot_alloc_stack(struct lower *L, int size)
{
	return stack_slot(L, (int)ALIGN8((size_t)(size ? size : 8)));
}

int slot_alloc(struct lower *L, int size)
{
	size = (int)ALIGN8((size_t)(size ? size : 8));
	if (L->depth + size <= L->stack_budget) {
		L->depth += size;
		if (L->depth > L->f->stack)
			L->f->stack = L->depth;
		return -L->depth;
	}
	int off = L->sdepth;
	L->sdepth += size;
	if (L->sdepth > L->f->scratch)
		L->f->scratch = L->sdepth;
	if (L->sdepth > SCRATCH_BIAS + SCRATCH_MARK)
		return -L->depth;	/* reported by codegen_block: scratch too large */
	return off - SCRATCH_BIAS;
}

/* R1… from args, for a helper or kfunc call that follows */
static void call_args(struct lower *L, int n, const struct harg *args)
{
	struct ir_func *f = L->f;
	ir_call_begin(f);
	for (int i = 0; i < n; i++) {
		int r = R1 + i;
		switch (args[i].kind) {
		case HA_REG: ir_mov(f, r, (int)args[i].v); break;
		case HA_IMM: ir_movi(f, r, args[i].v); break;
		case HA_FP:
			if (args[i].v < SCRATCH_MARK) {
				ir_mov(f, r, RSCRATCH);
				ir_alui(f, BPF_ADD, r, (int32_t)(args[i].v + SCRATCH_BIAS));
			} else {
				ir_mov(f, r, FP);
				ir_alui(f, BPF_ADD, r, (int32_t)args[i].v);
			}
			break;
		case HA_MAP: ir_ld_map(f, r, (int)args[i].v); break;
		case HA_FUNC: ir_ld_func(f, r); L->uses_unwind = 1; break;
		}
	}
}

int helper_call(struct lower *L, int helper, int n, const struct harg *args)
{
	call_args(L, n, args);
	ir_call(L->f, helper);
	int v = ir_vreg(L->f);
	ir_mov(L->f, v, R0);
	return v;
}

int kfunc_call(struct lower *L, int btf_id, int n, const struct harg *args)
{
	call_args(L, n, args);
	ir_kfunc_call(L->f, btf_id);
	int v = ir_vreg(L->f);
	ir_mov(L->f, v, R0);
	return v;
}

void zero_slot(struct lower *L, int off, int size)
{
	for (int i = 0; i < size; i += 8)
		ir_st(L->f, 8, FP, (int16_t)(off + i), 0);
}

void copy_slot(struct lower *L, int dst, int src, int size)
{
	if (dst == src)
		return;
	for (int i = 0; i < size; i += 8) {
		int t = ir_vreg(L->f);
		ir_ldx(L->f, 8, t, FP, (int16_t)(src + i));
		ir_stx(L->f, 8, FP, (int16_t)(dst + i), t);
	}
}

void copy_from_ptr(struct lower *L, int dst, int ptr, int size)
{
	for (int i = 0; i < size; i += 8) {
		int t = ir_vreg(L->f);
		ir_ldx(L->f, 8, t, ptr, (int16_t)i);
		ir_stx(L->f, 8, FP, (int16_t)(dst + i), t);
	}
}

void copy_to_ptr(struct lower *L, int ptr, int src, int size)
{
	for (int i = 0; i < size; i += 8) {
		int t = ir_vreg(L->f);
		ir_ldx(L->f, 8, t, FP, (int16_t)(src + i));
		ir_stx(L->f, 8, ptr, (int16_t)i, t);
	}
}

/* Nesting counter: key 0 of the per-CPU nest map, at frame offset key. */
static void nest_lookup(struct ir_func *f, int fd, int key, int l_fail)
{
	ir_st(f, 8, FP, (int16_t)key, 0);
	ir_ld_map(f, R1, fd);
	ir_mov(f, R2, FP);
	ir_alui(f, BPF_ADD, R2, key);
	ir_call(f, BPF_FUNC_map_lookup_elem);
	ir_jmpi(f, BPF_JEQ, R0, 0, l_fail);
}

/*
 * With scratch in use: take a free scratch level of this CPU, point R9 at its
 * area, and give the level back on the way out. Levels are bits taken and
 * freed atomically, not a depth counter: a preempted or sleeping program on
 * the same CPU may finish after one that started later. With every level
 * taken the probe is skipped rather than share an area.
 */
static int add_scratch(struct ir_func *f, const struct codegen_env *env, int l_exit, int save_off, char *err, size_t errlen)
{
	int fd = env->new_scratch_map ? env->new_scratch_map(env->ctx, f->scratch, SCRATCH_LEVELS) : -1;
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a scratch map of %d bytes for this probe's strings and tuples", f->scratch);
		return -1;
	}
	f->stack += 16;
	int key = -f->stack, level = key + 8;
	int l_ret = ir_new_label(f);
	struct ir_func pro = { .nlabels = f->nlabels, .span = f->span };
	nest_lookup(&pro, env->nest_fd, key, l_ret);
	int l_got = ir_new_label(&pro);
	for (int lvl = 0; lvl < SCRATCH_LEVELS; lvl++) {
		ir_movi(&pro, RSCRATCH, lvl);
		ir_movi(&pro, R1, 1 << lvl);
		ir_atomic(&pro, 8, BPF_OR | BPF_FETCH, R0, 0, R1);
		ir_alui(&pro, BPF_AND, R1, 1 << lvl);
		ir_jmpi(&pro, BPF_JEQ, R1, 0, l_got);
	}
	ir_ja(&pro, l_ret);
	ir_label(&pro, l_got);
	ir_stx(&pro, 4, FP, (int16_t)key, RSCRATCH);
	ir_stx(&pro, 8, FP, (int16_t)level, RSCRATCH);
	ir_ld_map(&pro, R1, fd);
	ir_mov(&pro, R2, FP);
	ir_alui(&pro, BPF_ADD, R2, key);
	ir_call(&pro, BPF_FUNC_map_lookup_elem);
	ir_jmpi(&pro, BPF_JEQ, R0, 0, l_exit);
	ir_mov(&pro, RSCRATCH, R0);
	if (save_off)	/* map loops' callbacks take it from here */
		ir_stx(&pro, 8, FP, (int16_t)save_off, RSCRATCH);
	ir_splice(f, 1, &pro);	/* after `r6 = r1` */
	f->nlabels = pro.nlabels;
	/* epilogue: at l_exit (already placed), give the level back */
	nest_lookup(f, env->nest_fd, key, l_ret);
	ir_ldx(f, 8, R2, FP, (int16_t)level);
	ir_movi(f, R1, 1);
	ir_alu(f, BPF_LSH, R1, R2);
	ir_alui(f, BPF_XOR, R1, -1);
	ir_atomic(f, 8, BPF_AND, R0, 0, R1);
	ir_label(f, l_ret);
	return 0;
}

int codegen_block(struct script *s, struct probe_block *blk, const struct codegen_env *env,
		  struct emitted *out, struct strbuf *dump, char *err, size_t errlen)
{
	struct ir_func f = { 0 };
	struct lower L = { .f = &f, .s = s, .blk = blk, .env = env, .l_break = -1, .l_continue = -1 };
	/* Slots take the stack up to this budget; the rest is left for spills. */
	L.stack_budget = env->stack_budget > 0 ? env->stack_budget : 384;
	f.span = blk->node->span;
	L.l_exit = ir_new_label(&f);
	L.may_sleep = env->can_sleep && blk->prov && blk->prov->can_sleep;
	blk->sleepable = 0;
	ir_mov(&f, RCTX, R1);
	lower_guard(&L);
	formap_plan(&L);
	/* Variables: one zeroed slot each for the whole block. */
	for (int i = 0; i < blk->vars.n; i++) {
		struct var *v = &blk->vars.v[i];
		v->slot_off = type_is_scalar(v->type) ? slot_alloc_stack(&L, v->type->size)
						       : formap_var_slot(&L, v->type->size);
		zero_slot(&L, v->slot_off, (int)ALIGN8((size_t)v->type->size));
	}
	if (blk->prov->mode == RUN_TEST) {	/* the result BPF_PROG_TEST_RUN gives back */
		L.ret_slot = slot_alloc_stack(&L, 8);
		zero_slot(&L, L.ret_slot, 8);
	}
	if (blk->dispatch_fd >= 0)
		lower_dispatch(&L);
	if (env->filter_pid && blk->prov->mode == RUN_ATTACHED) {
		/* -p: other processes leave at once */
		int tgid = helper_call(&L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
		ir_alui(&f, BPF_RSH, tgid, 32);
		ir_jmpi(&f, BPF_JNE, tgid, env->filter_pid, L.l_exit);
	}
	if (env->filter_cgroup && blk->prov->mode == RUN_ATTACHED) {
		/* --cgroup: tasks of other cgroups leave at once (the id is the v2 directory's inode) */
		int cg = helper_call(&L, BPF_FUNC_get_current_cgroup_id, 0, NULL);
		int want = ir_vreg(&f);
		ir_movi(&f, want, (int64_t)env->filter_cgroup);
		ir_jmp(&f, BPF_JNE, cg, want, L.l_exit);
	}
	if (blk->node->pred) {
		f.span = blk->node->pred->span;
		int c = lower_scalar(&L, blk->node->pred);
		ir_jmpi(&f, BPF_JEQ, c, 0, L.l_exit);
	}
	lower_block(&L, blk->node->b);
	ir_label(&f, L.l_exit);
	if (f.scratch > SCRATCH_BIAS + SCRATCH_MARK) {
		snprintf(err, errlen, "the probe needs %d bytes for strings, tuples and records, more than sonde's %d: use shorter strings (BPFTRACE_STRLEN)",
			 f.scratch, SCRATCH_BIAS + SCRATCH_MARK);
		formap_discard(&L);
		free(f.insns.v);
		return -1;
	}
	if (f.scratch && add_scratch(&f, env, L.l_exit, formap_scratch_save(&L), err, errlen)) {
		formap_discard(&L);
		free(f.insns.v);
		return -1;
	}
	if (L.ret_slot)
		ir_ldx(&f, 8, R0, FP, (int16_t)L.ret_slot);
	else
		ir_movi(&f, R0, 0);
	ir_exit(&f);
	ir_prune(&f);
	if (dump) {
		sb_printf(dump, "IR for block at line %d (%d virtual registers):\n", blk->node->span.line, f.nvregs);
		ir_dump(&f, dump);
	}
	int rc = regalloc(&f, err, errlen);
	if (rc)
		formap_discard(&L);
	if (!rc && dump) {
		sb_puts(dump, "after register allocation:\n");
		ir_dump(&f, dump);
	}
	if (!rc && ir_emit(&f, out)) {
		snprintf(err, errlen, "the probe compiles to %d BPF instructions and one of its branches jumps over more than the 32767 a BPF jump can reach: split the block or shorten what an if or loop holds",
			 out->n);
		free(out->insns);
		free(out->spans);
		*out = (struct emitted){ 0 };
		rc = -1;
	}
	if (rc)
		formap_discard(&L);
	if (!rc && formap_finish(&L, f.scratch, out, dump, err, errlen)) {
		free(out->insns);
		free(out->spans);
		*out = (struct emitted){ 0 };
		rc = -1;
	}
	if (!rc && L.uses_unwind && unwind_append_callback(env, out, err, errlen)) {
		free(out->insns);
		free(out->spans);
		*out = (struct emitted){ 0 };
		rc = -1;
	}
	if (!rc)
		blk->stack_bytes = f.stack;
	free(f.insns.v);
	return rc;
}
