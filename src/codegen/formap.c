/*
 * for ($kv : @m) { BODY }: bpf_for_each_map_elem(@m, callback, ctx, 0), the
 * body lowered as a callback subprogram of its own (one per loop, nested
 * loops included), placed after the main program by formap_finish().
 *
 * Frames: the callback's ctx argument is its caller's frame pointer (the
 * verifier lets a callback read and write its caller's stack through it).
 * Scalar variables keep the same frame offset in every function of the
 * probe: the callback copies in those BODY uses, runs BODY on its own frame
 * with the ordinary lowering, and copies back those BODY assigns. Strings
 * and tuples in variables live in the per-CPU scratch area, which every
 * function reaches through R9, and so do the callback's temporaries (its
 * stack budget ends at its deepest variable): caller and callback share
 * the kernel's 512 bytes of stack.
 *
 * The header, three words at the top of every frame: the probe's context
 * (R6, restored in each callback), the scratch area's address (R9, when the
 * probe uses scratch) and a "return" flag: `return`/`exit()` in BODY set
 * the caller's flag and stop the walk; the caller then leaves as well.
 * break returns 1 (stop), continue and the body's end 0 (next element).
 */
#include "lower.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIN_STACK_BUDGET 256	/* of 512: the rest is for the callbacks' frames and spills */

struct formap_prog {
	VEC(struct ir_func *) cbs;	/* callback k (1-based: IR_LD_FUNC imm) is cbs.v[k - 1] */
	int h_ctx, h_scr, h_ret;	/* the header's frame offsets */
	int launder;	/* a scratch word the copied-in variables pass through */
};

static int has_for_map(const struct node *n)
{
	for (; n; n = n->next)
		if (n->kind == N_FOR_MAP || has_for_map(n->a) || has_for_map(n->b) || has_for_map(n->c) ||
		    has_for_map(n->list))
			return 1;
	return 0;
}

/* A slot in the per-CPU scratch area whatever the stack budget: one place every function reaches through R9. */
static int scratch_slot(struct lower *L, int size)
{
	int off = L->sdepth - SCRATCH_BIAS;
	L->sdepth += (int)ALIGN8((size_t)size);
	if (L->sdepth > L->f->scratch)
		L->f->scratch = L->sdepth;
	return off;
}

/*
 * Strings and tuples in variables live in scratch: the callbacks use them
 * in place, and neither they nor their copies fill the stack the probe
 * shares with its callbacks. The probe's own slots get less stack too.
 */
void formap_plan(struct lower *L)
{
	if (!has_for_map(L->blk->node->b))
		return;
	L->fm = xcalloc(1, sizeof(*L->fm));
	if (L->stack_budget > MAIN_STACK_BUDGET)
		L->stack_budget = MAIN_STACK_BUDGET;
	/* the header first: a callback's frame then reaches only as deep as the variables it uses */
	int h = slot_alloc_stack(L, 24);
	L->fm->h_ctx = h;
	L->fm->h_scr = h + 8;
	L->fm->h_ret = h + 16;
	ir_stx(L->f, 8, FP, (int16_t)L->fm->h_ctx, RCTX);
	ir_st(L->f, 8, FP, (int16_t)L->fm->h_ret, 0);
	L->fm->launder = scratch_slot(L, 8);	/* see copy_vars() */
}

int formap_var_slot(struct lower *L, int size)
{
	return L->fm ? scratch_slot(L, size) : slot_alloc(L, size);
}

int formap_scratch_save(const struct lower *L)
{
	return L->fm ? L->fm->h_scr : 0;
}

/* Variables the body reads or writes (used) and assigns (written), nested loops included. */
static void collect_vars(const struct node *n, char *used, char *written)
{
	for (; n; n = n->next) {
		if (n->kind == N_VAR && n->var_slot >= 0)
			used[n->var_slot] = 1;
		if ((n->kind == N_ASSIGN || n->kind == N_INCDEC) && n->a && n->a->kind == N_VAR && n->a->var_slot >= 0)
			written[n->a->var_slot] = 1;
		if (n->kind != N_FOR_MAP)	/* an inner loop fills its own $kv */
			collect_vars(n->a, used, written);
		collect_vars(n->b, used, written);
		collect_vars(n->c, used, written);
		collect_vars(n->pred, used, written);
		collect_vars(n->list, used, written);
	}
}

/* size bytes at ptr into the frame at dst: whole words, then the tail (keys of odd string sizes) */
static void copy_bytes_in(struct lower *L, int dst, int ptr, int size)
{
	int i = 0;
	for (int w = 8; w >= 1; w /= 2)
		for (; i + w <= size; i += w) {
			int t = ir_vreg(L->f);
			ir_ldx(L->f, w, t, ptr, (int16_t)i);
			ir_stx(L->f, w, FP, (int16_t)(dst + i), t);
		}
}

/* The variables marked in `which` between this frame and the caller's (at the saved pointer). */
static void copy_vars(struct lower *L, int par_slot, const char *which, int kv, int out)
{
	for (int i = 0; i < L->blk->vars.n; i++) {
		const struct var *v = &L->blk->vars.v[i];
		if (!which[i] || i == kv || v->slot_off < SCRATCH_MARK)
			continue;	/* scratch-held variables are shared already */
		int p = ir_vreg(L->f);
		ir_ldx(L->f, 8, p, FP, (int16_t)par_slot);
		ir_alui(L->f, BPF_ADD, p, v->slot_off);
		int size = (int)ALIGN8((size_t)v->type->size);
		if (out) {
			copy_to_ptr(L, p, v->slot_off, size);
			continue;
		}
		/*
		 * In through a word of the scratch map, whose contents the verifier
		 * does not track: a variable that was a constant in the caller is an
		 * unknown number here, so the verifier's passes over the callback
		 * converge at once instead of following a counter ($n++; if ($n > 5))
		 * one value at a time.
		 */
		for (int i = 0; i < size; i += 8) {
			int t = ir_vreg(L->f), u = ir_vreg(L->f);
			ir_ldx(L->f, 8, t, p, (int16_t)i);
			ir_stx(L->f, 8, FP, (int16_t)L->fm->launder, t);
			ir_ldx(L->f, 8, u, FP, (int16_t)L->fm->launder);
			ir_stx(L->f, 8, FP, (int16_t)(v->slot_off + i), u);
		}
	}
}

/* $kv = (key, value): the key's bytes, then the value's (a per-CPU aggregation combined over the CPUs). */
static void fill_pair(struct lower *L, struct node *n, int key_slot, int val_slot)
{
	const struct mapinfo *m = n->b->map;
	const struct type *t = n->a->type;
	int kv = L->blk->vars.v[n->a->var_slot].slot_off;
	int koff = kv + t->offs[0], voff = kv + t->offs[1];
	if (m->key_size % 8 || (!type_is_agg(m->val) && m->value_size % 8))
		zero_slot(L, kv, t->size);
	int kp = ir_vreg(L->f);
	ir_ldx(L->f, 8, kp, FP, (int16_t)key_slot);
	copy_bytes_in(L, koff, kp, m->key_size);
	if (type_is_agg(m->val)) {
		int v = lower_agg_read(L, m, koff);
		ir_stx(L->f, 8, FP, (int16_t)voff, v);
		return;
	}
	int vp = ir_vreg(L->f);
	ir_ldx(L->f, 8, vp, FP, (int16_t)val_slot);
	copy_bytes_in(L, voff, vp, m->value_size);
}

static void epilogue(struct lower *C, int label, int par_slot, const char *written, int kv, int rc, int set_ret)
{
	ir_label(C->f, label);
	if (set_ret) {
		int p = ir_vreg(C->f);
		ir_ldx(C->f, 8, p, FP, (int16_t)par_slot);
		ir_st(C->f, 8, p, (int16_t)C->fm->h_ret, 1);
	}
	copy_vars(C, par_slot, written, kv, 1);
	ir_movi(C->f, R0, rc);
	ir_exit(C->f);
}

void lower_for_map(struct lower *L, struct node *n)
{
	struct formap_prog *fm = L->fm;
	struct ir_func *cf = xcalloc(1, sizeof(*cf));
	VEC_PUSH(fm->cbs, cf);
	int id = fm->cbs.n;
	cf->span = n->span;
	int nv = L->blk->vars.n;
	char *used = xcalloc((size_t)nv + 1, 1), *written = xcalloc((size_t)nv + 1, 1);
	collect_vars(n->c, used, written);
	int kv = n->a->var_slot;
	/* the frame keeps the caller's offsets down to the deepest slot it copies in */
	int depth = -fm->h_ctx;
	for (int i = 0; i < nv; i++) {
		int off = L->blk->vars.v[i].slot_off;
		if (used[i] && i != kv && off >= SCRATCH_MARK && -off > depth)
			depth = -off;
	}
	if (L->probe_slot && -L->probe_slot > depth)
		depth = -L->probe_slot;
	cf->stack = depth;

	struct lower C = *L;
	C.f = cf;
	C.depth = depth;
	C.stack_budget = depth;	/* temporaries in scratch: the two frames share 512 bytes */
	C.uses_unwind = 0;
	C.l_exit = ir_new_label(cf);
	C.l_break = ir_new_label(cf);
	C.l_continue = ir_new_label(cf);
	/* the helper's arguments: R2 the key, R3 the value, R4 the caller's frame */
	int par = slot_alloc_stack(&C, 8), key = slot_alloc_stack(&C, 8), val = slot_alloc_stack(&C, 8);
	ir_stx(cf, 8, FP, (int16_t)par, R4);
	ir_stx(cf, 8, FP, (int16_t)key, R2);
	ir_stx(cf, 8, FP, (int16_t)val, R3);
	ir_ldx(cf, 8, RCTX, R4, (int16_t)fm->h_ctx);
	ir_stx(cf, 8, FP, (int16_t)fm->h_ctx, RCTX);
	ir_st(cf, 8, FP, (int16_t)fm->h_ret, 0);
	if (L->probe_slot) {
		int t = ir_vreg(cf);
		ir_ldx(cf, 8, t, R4, (int16_t)L->probe_slot);
		ir_stx(cf, 8, FP, (int16_t)L->probe_slot, t);
	}
	copy_vars(&C, par, used, kv, 0);
	fill_pair(&C, n, key, val);
	lower_block(&C, n->c);
	ir_ja(cf, C.l_continue);
	epilogue(&C, C.l_continue, par, written, kv, 0, 0);
	epilogue(&C, C.l_break, par, written, kv, 1, 0);
	epilogue(&C, C.l_exit, par, written, kv, 1, 1);
	free(used);
	free(written);
	if (cf->scratch > L->f->scratch)
		L->f->scratch = cf->scratch;
	L->uses_unwind |= C.uses_unwind;

	/* the call: bpf_for_each_map_elem(@m, callback, this frame, 0) */
	struct ir_func *f = L->f;
	f->span = n->span;
	ir_call_begin(f);
	ir_ld_map(f, R1, n->b->map->fd);
	ir_ld_func_id(f, R2, id);
	ir_mov(f, R3, FP);
	ir_movi(f, R4, 0);
	ir_call(f, BPF_FUNC_for_each_map_elem);
	int ret = ir_vreg(f);
	ir_ldx(f, 8, ret, FP, (int16_t)fm->h_ret);
	ir_jmpi(f, BPF_JNE, ret, 0, L->l_exit);
}

/* Puts R9 (the scratch area, saved by the caller's prologue) back at a callback's start. */
static void restore_scratch(struct ir_func *cf, const struct formap_prog *fm)
{
	struct ir_func pro = { .nlabels = cf->nlabels, .span = cf->span };
	ir_ldx(&pro, 8, RSCRATCH, R4, (int16_t)fm->h_scr);
	ir_stx(&pro, 8, FP, (int16_t)fm->h_scr, RSCRATCH);
	ir_splice(cf, 0, &pro);
}

static void free_prog(struct formap_prog *fm)
{
	for (int i = 0; i < fm->cbs.n; i++) {
		free(fm->cbs.v[i]->insns.v);
		free(fm->cbs.v[i]);
	}
	free(fm->cbs.v);
	free(fm);
}

int formap_finish(struct lower *L, int scratch, struct emitted *out, struct strbuf *dump, char *err, size_t errlen)
{
	struct formap_prog *fm = L->fm;
	if (!fm)
		return 0;
	L->fm = NULL;
	if (fm->cbs.n > EMIT_MAX_CALLBACKS) {
		snprintf(err, errlen, "the probe has %d for loops over maps, more than the %d one probe can hold: split the block",
			 fm->cbs.n, EMIT_MAX_CALLBACKS);
		free_prog(fm);
		return -1;
	}
	for (int k = 0; k < fm->cbs.n; k++) {
		struct ir_func *cf = fm->cbs.v[k];
		cf->scratch = scratch;	/* R9 stays reserved where the probe keeps scratch */
		if (scratch)
			restore_scratch(cf, fm);
		ir_prune(cf);
		if (dump) {
			sb_printf(dump, "IR for the map loop at line %d (callback %d, %d virtual registers):\n",
				  cf->span.line, k + 1, cf->nvregs);
			ir_dump(cf, dump);
		}
		struct emitted cb = { 0 };
		if (regalloc(cf, err, errlen)) {
			free_prog(fm);
			return -1;
		}
		if (ir_emit(cf, &cb)) {
			snprintf(err, errlen, "the for loop at line %d compiles to %d BPF instructions and one of its branches jumps over more than the 32767 a BPF jump can reach: shorten its body",
				 cf->span.line, cb.n);
			free(cb.insns);
			free(cb.spans);
			free_prog(fm);
			return -1;
		}
		int at = out->n;
		out->insns = xrealloc(out->insns, (size_t)(at + cb.n) * sizeof(*out->insns));
		out->spans = xrealloc(out->spans, (size_t)(at + cb.n) * sizeof(*out->spans));
		memcpy(out->insns + at, cb.insns, (size_t)cb.n * sizeof(*cb.insns));
		memcpy(out->spans + at, cb.spans, (size_t)cb.n * sizeof(*cb.spans));
		out->n = at + cb.n;
		out->cb_at[out->ncb++] = at;
		free(cb.insns);
		free(cb.spans);
	}
	/* references to callback k (imm k) become offsets; the unwinder's (imm 0) are unwind.c's */
	for (int i = 0; i < out->n; i++) {
		struct bpf_insn *b = &out->insns[i];
		if (b->code == (BPF_LD | BPF_DW | BPF_IMM) && b->src_reg == BPF_PSEUDO_FUNC && b->imm > 0 &&
		    b->imm <= out->ncb) {
			b->imm = out->cb_at[b->imm - 1] - i - 1;
			i++;
		}
	}
	free_prog(fm);
	return 0;
}

void formap_discard(struct lower *L)
{
	if (L->fm)
		free_prog(L->fm);
	L->fm = NULL;
}
