/*
 * The probe context, as the block's provider described it (struct ctx_loc,
 * struct ctx_dispatch, struct ctx_guard): loads from the context record,
 * user memory behind a register, the probe id. Nothing here knows a probe type.
 */
#include "lower.h"

/* The id of the point that fired: attached probes carry it as the link's cookie, test-run ones as ctx[0]. */
int lower_probe_id(struct lower *L)
{
	int v;
	if (L->probe_slot) {	/* found by the dispatch prologue */
		v = ir_vreg(L->f);
		ir_ldx(L->f, 8, v, FP, (int16_t)L->probe_slot);
		return v;
	}
	if (L->blk->prov->prog_type == BPF_PROG_TYPE_TRACING) {	/* iterators: no cookie, one point */
		v = ir_vreg(L->f);
		ir_movi(L->f, v, L->blk->points.v[0]->id);
		return v;
	}
	if (L->blk->prov->mode == RUN_ATTACHED)
		return helper_call(L, BPF_FUNC_get_attach_cookie, 1, (struct harg[]){ HREG(RCTX) });
	v = ir_vreg(L->f);
	ir_ldx(L->f, 8, v, RCTX, 0);
	return v;
}

/* size bytes of user memory at ctx[base] + disp (+ ctx[index] × scale) into dst. */
static void read_user_at(struct lower *L, const struct ctx_loc *c, int dst)
{
	struct ir_func *f = L->f;
	ir_ldx(f, 8, dst, RCTX, (int16_t)c->off);
	if (c->imm)
		ir_alui(f, BPF_ADD, dst, (int32_t)c->imm);
	if (c->index >= 0) {
		int idx = ir_vreg(f);
		ir_ldx(f, 8, idx, RCTX, (int16_t)c->index);
		ir_alui(f, BPF_MUL, idx, c->scale);
		ir_alu(f, BPF_ADD, dst, idx);
	}
	int slot = slot_alloc_stack(L, 8);
	ir_st(f, 8, FP, (int16_t)slot, 0);
	if (c->resident)
		helper_call(L, BPF_FUNC_probe_read_user, 3, (struct harg[]){ HFP(slot), HIMM(c->size), HREG(dst) });
	else
		read_into(L, BPF_FUNC_probe_read_user, HFP(slot), HIMM(c->size), dst);
	ir_ldx(f, c->size, dst, FP, (int16_t)slot);
	lower_extend(L, dst, c->size, c->is_signed);
}

static void lower_loc_into(struct lower *L, const struct ctx_loc *c, int dst)
{
	struct ir_func *f = L->f;
	switch (c->kind) {
	case CTX_CONST:
		ir_movi(f, dst, c->imm);
		break;
	case CTX_LOAD:
		ir_ldx(f, c->load, dst, RCTX, (int16_t)c->off);
		if (c->nullable) {	/* the verifier allows arithmetic on it only once tested */
			int l_set = ir_new_label(f);
			ir_jmpi(f, BPF_JNE, dst, 0, l_set);
			ir_movi(f, dst, 0);
			ir_label(f, l_set);
		}
		if (c->shift)
			ir_alui(f, BPF_RSH, dst, c->shift);
		lower_extend(L, dst, c->size, c->is_signed);
		if (c->imm) {
			int d = ir_vreg(f);
			ir_movi(f, d, c->imm);
			ir_alu(f, BPF_ADD, dst, d);
		}
		break;
	case CTX_USER:
		read_user_at(L, c, dst);
		break;
	case CTX_PROBE_ID:
		ir_mov(f, dst, lower_probe_id(L));
		break;
	default:
		ir_movi(f, dst, 0);
	}
}

/*
 * A scalar of the context. Where the points of the block keep it
 * differently (USDT sites), the probe id picks the code.
 */
int lower_ctx(struct lower *L, const struct ctx_loc *c)
{
	struct ir_func *f = L->f;
	if (c->kind == CTX_PROBE_ID)
		return lower_probe_id(L);
	int v = ir_vreg(f);
	if (c->kind != CTX_PER_POINT) {
		lower_loc_into(L, c, v);
		return v;
	}
	int id = lower_probe_id(L);
	int l_done = ir_new_label(f);
	ir_movi(f, v, 0);
	for (int i = 0; i < L->blk->points.n; i++) {
		int l_next = ir_new_label(f);
		ir_jmpi(f, BPF_JNE, id, L->blk->points.v[i]->id, l_next);
		lower_loc_into(L, &c->per_point[i], v);
		ir_ja(f, l_done);
		ir_label(f, l_next);
	}
	ir_label(f, l_done);
	return v;
}

/* The address of bytes of the context record: at an offset, or where a __data_loc points. */
int lower_ctx_addr(struct lower *L, const struct ctx_loc *c)
{
	int v = ir_vreg(L->f);
	if (c->kind == CTX_DATA_LOC) {
		ir_ldx(L->f, 4, v, RCTX, (int16_t)c->off);
		ir_alui(L->f, BPF_AND, v, 0xffff);
		ir_alu(L->f, BPF_ADD, v, RCTX);
	} else {
		ir_mov(L->f, v, RCTX);
		ir_alui(L->f, BPF_ADD, v, (int32_t)c->off);
	}
	return v;
}

const struct ctx_loc *lower_ctx_of(struct lower *L, const struct node *n)
{
	return n->ival ? &L->blk->ctx.v[n->ival - 1] : NULL;
}

/* Before anything runs: leave when the guarded context word has one of the bits. */
void lower_guard(struct lower *L)
{
	const struct ctx_guard *g = &L->blk->guard;
	if (!g->mask && !g->if_zero)
		return;
	int v = ir_vreg(L->f);
	ir_ldx(L->f, 8, v, RCTX, (int16_t)g->off);
	if (g->if_zero) {
		ir_jmpi(L->f, BPF_JEQ, v, 0, L->l_exit);
		return;
	}
	ir_alui(L->f, BPF_AND, v, (int32_t)g->mask);
	ir_jmpi(L->f, BPF_JNE, v, 0, L->l_exit);
}

/*
 * Points that share events: the cookie says whether this event is one of
 * them; then a key from the context and the cookie picks the probe id in
 * the dispatch map, and events no probe asked for leave at once.
 */
void lower_dispatch(struct lower *L)
{
	struct ir_func *f = L->f;
	const struct ctx_dispatch *d = &L->blk->dispatch;
	L->probe_slot = slot_alloc_stack(L, 8);
	int cookie = helper_call(L, BPF_FUNC_get_attach_cookie, 1, (struct harg[]){ HREG(RCTX) });
	ir_stx(f, 8, FP, (int16_t)L->probe_slot, cookie);
	int l_body = ir_new_label(f), big = ir_vreg(f);
	ir_movi(f, big, (int64_t)d->cookie_min);
	ir_jmp(f, BPF_JLT, cookie, big, l_body);
	if (d->task_skip_off >= 0) {
		int task = helper_call(L, BPF_FUNC_get_current_task, 0, NULL);
		ir_alui(f, BPF_ADD, task, d->task_skip_off);
		int st = slot_alloc_stack(L, 8);
		ir_st(f, 8, FP, (int16_t)st, 0);
		helper_call(L, BPF_FUNC_probe_read_kernel, 3, (struct harg[]){ HFP(st), HIMM(4), HREG(task) });
		int word = ir_vreg(f);
		ir_ldx(f, 4, word, FP, (int16_t)st);
		ir_jmpi(f, BPF_JSET, word, d->task_skip_mask, L->l_exit);
	}
	int key = ir_vreg(f), part = ir_vreg(f);
	ir_ldx(f, 4, key, RCTX, (int16_t)d->key_off);
	ir_jmpi(f, BPF_JGE, key, d->key_max, L->l_exit);
	ir_mov(f, part, cookie);
	ir_alui(f, BPF_RSH, part, d->cookie_shift);
	ir_alui(f, BPF_LSH, part, d->key_shift);
	ir_alu(f, BPF_ADD, key, part);
	int key_slot = slot_alloc_stack(L, 8);
	ir_stx(f, 8, FP, (int16_t)key_slot, key);
	int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->blk->dispatch_fd), HFP(key_slot) });
	ir_jmpi(f, BPF_JEQ, p, 0, L->l_exit);
	int id = ir_vreg(f);
	ir_ldx(f, 8, id, p, 0);
	ir_jmpi(f, BPF_JEQ, id, 0, L->l_exit);
	ir_alui(f, BPF_SUB, id, 1);
	ir_stx(f, 8, FP, (int16_t)L->probe_slot, id);
	ir_label(f, l_body);
}
