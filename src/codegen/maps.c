/* Map access in BPF: packed zero-filled keys, reads, stores, aggregations. */
#include "lower.h"
#include <errno.h>
#include <string.h>

/* Builds the key of @m[...] in a new slot; `extra` bytes follow it (hist bucket). */
int map_build_key(struct lower *L, struct node *mapnode, int extra)
{
	const struct mapinfo *m = mapnode->map;
	int size = (m->key ? m->key->size : 8) + extra;
	int off = slot_alloc(L, size);
	/* Key parts are 8-aligned and fully written: no padding to clear. */
	if (!m->key) {
		ir_st(L->f, 8, FP, (int16_t)off, 0);
		return off;
	}
	if (m->key->kind == TY_TUPLE && mapnode->list->next) {
		int i = 0;
		for (struct node *k = mapnode->list; k; k = k->next, i++)
			store_value(L, k, m->key->fields[i], off + m->key->offs[i]);
	} else {
		store_value(L, mapnode->list, m->key, off);
	}
	return off;
}

static int lookup(struct lower *L, const struct mapinfo *m, int key_off)
{
	return helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(m->fd), HFP(key_off) });
}

static void add_at(struct lower *L, int p, int16_t off, int v);

/*
 * Only a new key can fail for want of room (-E2BIG): a preallocated hash
 * replaces an existing key's element from a spare one, or in place. Such a
 * failure adds one to the map's slot of sonde_map_full, keyed by the value
 * slot, which the refused update no longer needs. The success path costs
 * one jump.
 */
static void update(struct lower *L, const struct mapinfo *m, int key_off, int val_off)
{
	struct ir_func *f = L->f;
	int rc = helper_call(L, BPF_FUNC_map_update_elem, 4,
			     (struct harg[]){ HMAP(m->fd), HFP(key_off), HFP(val_off), HIMM(BPF_ANY) });
	if (L->env->map_full_fd < 0)
		return;
	int l_ok = ir_new_label(f);
	ir_jmpi(f, BPF_JNE, rc, -E2BIG, l_ok);
	ir_st(f, 8, FP, (int16_t)val_off, m->id);
	int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->map_full_fd), HFP(val_off) });
	ir_jmpi(f, BPF_JEQ, p, 0, l_ok);
	add_at(L, p, 0, -1);
	ir_label(f, l_ok);
}

/*
 * count/sum/min/max/avg read in an expression: combine every CPU's slot with
 * bpf_map_lookup_percpu_elem in a bounded loop. Loop state lives in frame
 * slots because virtual registers never cross a back-edge.
 */
int lower_agg_read(struct lower *L, const struct mapinfo *m, int key)
{
	struct ir_func *f = L->f;
	const struct type *t = m->val;
	int acc = slot_alloc_stack(L, 8), aux = slot_alloc_stack(L, 8), cpu = slot_alloc_stack(L, 8);
	zero_slot(L, acc, 8);
	zero_slot(L, aux, 8);	/* avg: count; min/max: "set" */
	zero_slot(L, cpu, 8);
	int l_top = ir_new_label(f), l_next = ir_new_label(f), l_end = ir_new_label(f);
	ir_label(f, l_top);
	int c = ir_vreg(f);
	ir_ldx(f, 8, c, FP, (int16_t)cpu);
	ir_jmpi(f, BPF_JGE, c, L->env->ncpus > 0 ? L->env->ncpus : 1, l_end);
	int p = helper_call(L, BPF_FUNC_map_lookup_percpu_elem, 3,
			    (struct harg[]){ HMAP(m->fd), HFP(key), HREG(c) });
	ir_jmpi(f, BPF_JEQ, p, 0, l_next);
	int v = ir_vreg(f), a = ir_vreg(f);
	ir_ldx(f, 8, v, p, 0);
	ir_ldx(f, 8, a, FP, (int16_t)acc);
	if (t->kind == TY_MIN || t->kind == TY_MAX) {
		int set = ir_vreg(f), l_take = ir_new_label(f);
		ir_ldx(f, 8, set, p, 8);
		ir_jmpi(f, BPF_JEQ, set, 0, l_next);
		ir_ldx(f, 8, set, FP, (int16_t)aux);
		ir_jmpi(f, BPF_JEQ, set, 0, l_take);
		uint8_t keep = t->kind == TY_MIN ? (t->is_signed ? BPF_JSLE : BPF_JLE)
						 : (t->is_signed ? BPF_JSGE : BPF_JGE);
		ir_jmp(f, keep, a, v, l_next);
		ir_label(f, l_take);
		ir_stx(f, 8, FP, (int16_t)acc, v);
		ir_st(f, 8, FP, (int16_t)aux, 1);
	} else if (t->kind == TY_AVG) {
		int tot = ir_vreg(f), cnt = ir_vreg(f);
		ir_ldx(f, 8, tot, p, 8);
		ir_alu(f, BPF_ADD, a, tot);
		ir_stx(f, 8, FP, (int16_t)acc, a);
		ir_ldx(f, 8, cnt, FP, (int16_t)aux);
		ir_alu(f, BPF_ADD, cnt, v);
		ir_stx(f, 8, FP, (int16_t)aux, cnt);
	} else {
		ir_alu(f, BPF_ADD, a, v);
		ir_stx(f, 8, FP, (int16_t)acc, a);
	}
	ir_label(f, l_next);
	int c2 = ir_vreg(f);
	ir_ldx(f, 8, c2, FP, (int16_t)cpu);
	ir_alui(f, BPF_ADD, c2, 1);
	ir_stx(f, 8, FP, (int16_t)cpu, c2);
	ir_ja(f, l_top);
	ir_label(f, l_end);
	int r = ir_vreg(f);
	ir_ldx(f, 8, r, FP, (int16_t)acc);
	if (t->kind == TY_AVG) {
		int cnt = ir_vreg(f);
		ir_ldx(f, 8, cnt, FP, (int16_t)aux);
		lower_arith(L, BPF_DIV, t->is_signed, r, cnt);
	}
	return r;
}

/* A missing key reads as 0 or as zeroed memory. */
int lower_map_read(struct lower *L, struct node *n, int into_off)
{
	struct ir_func *f = L->f;
	const struct mapinfo *m = n->map;
	int key = map_build_key(L, n, 0);
	if (type_is_agg(m->val))
		return lower_agg_read(L, m, key);
	int p = lookup(L, m, key);
	int l_missing = ir_new_label(f), l_done = ir_new_label(f);
	if (type_is_scalar(m->val)) {
		int v = ir_vreg(f);
		ir_movi(f, v, 0);
		ir_jmpi(f, BPF_JEQ, p, 0, l_done);
		ir_ldx(f, 8, v, p, 0);
		ir_label(f, l_done);
		return v;
	}
	ir_jmpi(f, BPF_JEQ, p, 0, l_missing);
	copy_from_ptr(L, into_off, p, m->val->size);
	ir_ja(f, l_done);
	ir_label(f, l_missing);
	zero_slot(L, into_off, m->val->size);
	ir_label(f, l_done);
	return -1;
}

/* b += floor(log2(v)) for v > 0, by halving steps; x and t are scratch registers. */
static void add_log2(struct ir_func *f, int b, int v, int x, int t)
{
	ir_mov(f, x, v);
	for (int s = 32; s >= 1; s /= 2) {
		int l_skip = ir_new_label(f);
		ir_mov(f, t, x);
		ir_alui(f, BPF_RSH, t, s);
		ir_jmpi(f, BPF_JEQ, t, 0, l_skip);
		ir_mov(f, x, t);
		ir_alui(f, BPF_ADD, b, s);
		ir_label(f, l_skip);
	}
}

/*
 * hist(n, k): 0 for negatives; else with s = max(0, floor(log2(v)) - k) the
 * bucket is s * 2^k + 1 + (v >> s): values below 2^(k+1) one each, then
 * 2^k equal parts per power of two (out/hist.h).
 */
static int hist_bits_bucket(struct lower *L, int v, int is_signed, int bits)
{
	struct ir_func *f = L->f;
	int b = ir_vreg(f), x = ir_vreg(f), t = ir_vreg(f), l_done = ir_new_label(f), l_small = ir_new_label(f);
	ir_movi(f, b, 0);
	if (is_signed)
		ir_jmpi(f, BPF_JSLT, v, 0, l_done);
	/* b = floor(log2(v)); v = 0 gives 0 and goes with the small values */
	ir_movi(f, b, 0);
	add_log2(f, b, v, x, t);
	/* b = s = log2 - k, at least 0 */
	ir_alui(f, BPF_SUB, b, bits);
	ir_jmpi(f, BPF_JSLT, b, 0, l_small);
	ir_mov(f, t, v);
	ir_alu(f, BPF_RSH, t, b);
	ir_alui(f, BPF_LSH, b, bits);
	ir_alu(f, BPF_ADD, b, t);
	ir_alui(f, BPF_ADD, b, 1);
	ir_ja(f, l_done);
	ir_label(f, l_small);
	ir_mov(f, b, v);
	ir_alui(f, BPF_ADD, b, 1);
	ir_label(f, l_done);
	return b;
}

/* log2 bucket: 0 for negatives, 1 for 0, else floor(log2(v)) + 2. */
static int hist_bucket(struct lower *L, int v, int is_signed)
{
	struct ir_func *f = L->f;
	int b = ir_vreg(f), x = ir_vreg(f), t = ir_vreg(f), l_done = ir_new_label(f);
	ir_movi(f, b, 0);
	if (is_signed)
		ir_jmpi(f, BPF_JSLT, v, 0, l_done);
	ir_movi(f, b, 1);
	ir_jmpi(f, BPF_JEQ, v, 0, l_done);
	ir_movi(f, b, 2);
	add_log2(f, b, v, x, t);
	ir_label(f, l_done);
	return b;
}

/* Linear bucket: 0 below min, n+1 at or above max, else (v-min)/step + 1. */
static int lhist_bucket(struct lower *L, int v, const struct type *t)
{
	struct ir_func *f = L->f;
	int64_t nb = (t->lmax - t->lmin) / t->lstep;
	int b = ir_vreg(f), lim = ir_vreg(f), l_done = ir_new_label(f);
	ir_movi(f, b, 0);
	ir_movi(f, lim, t->lmin);
	ir_jmp(f, BPF_JSLT, v, lim, l_done);
	ir_movi(f, b, nb + 1);
	ir_movi(f, lim, t->lmax);
	ir_jmp(f, BPF_JSGE, v, lim, l_done);
	ir_mov(f, b, v);
	ir_movi(f, lim, t->lmin);
	ir_alu(f, BPF_SUB, b, lim);
	ir_movi(f, lim, t->lstep);
	ir_alu(f, BPF_DIV, b, lim);
	ir_alui(f, BPF_ADD, b, 1);
	ir_label(f, l_done);
	return b;
}

static void add_at(struct lower *L, int p, int16_t off, int v)
{
	int t = ir_vreg(L->f);
	ir_ldx(L->f, 8, t, p, off);
	if (v < 0)
		ir_alui(L->f, BPF_ADD, t, 1);
	else
		ir_alu(L->f, BPF_ADD, t, v);
	ir_stx(L->f, 8, p, off, t);
}

/*
 * tseries(): the slot is epoch % count, epoch = TAI ns / interval (TAI, so
 * intervals start on whole multiples of wall-clock time); a slot that holds
 * an older epoch starts over. One value for all CPUs, as "last" needs: CPUs
 * racing within one interval may lose an update, as in bpftrace.
 */
static void lower_tseries(struct lower *L, struct node *lhs, int v)
{
	struct ir_func *f = L->f;
	const struct mapinfo *m = lhs->map;
	const struct type *t = m->val;
	int key = map_build_key(L, lhs, 8);
	int epoch = helper_call(L, BPF_FUNC_ktime_get_tai_ns, 0, NULL);
	int k = ir_vreg(f), slot = ir_vreg(f), cur = ir_vreg(f);
	ir_movi(f, k, t->ts_interval);
	ir_alu(f, BPF_DIV, epoch, k);
	ir_mov(f, slot, epoch);
	ir_movi(f, k, t->ts_count);
	ir_alu(f, BPF_MOD, slot, k);
	ir_stx(f, 8, FP, (int16_t)(key + (m->key ? m->key->size : 8)), slot);
	int p = lookup(L, m, key);
	int l_init = ir_new_label(f), l_restart = ir_new_label(f), l_done = ir_new_label(f);
	ir_jmpi(f, BPF_JEQ, p, 0, l_init);
	ir_ldx(f, 8, cur, p, 0);
	ir_jmp(f, BPF_JNE, cur, epoch, l_restart);
	add_at(L, p, 16, -1);	/* values seen in this interval */
	switch (t->ts_agg) {
	case TSERIES_SUM: case TSERIES_AVG:
		add_at(L, p, 8, v);
		break;
	case TSERIES_MAX: case TSERIES_MIN:
		ir_ldx(f, 8, cur, p, 8);
		ir_jmp(f, t->ts_agg == TSERIES_MIN ? (t->is_signed ? BPF_JSLE : BPF_JLE) : (t->is_signed ? BPF_JSGE : BPF_JGE),
		       cur, v, l_done);
		ir_stx(f, 8, p, 8, v);
		break;
	default:	/* the last value */
		ir_stx(f, 8, p, 8, v);
		break;
	}
	ir_ja(f, l_done);
	ir_label(f, l_restart);	/* the slot's interval is over: it is this one's now */
	ir_stx(f, 8, p, 0, epoch);
	ir_stx(f, 8, p, 8, v);
	ir_st(f, 8, p, 16, 1);
	ir_ja(f, l_done);
	ir_label(f, l_init);
	int val = slot_alloc(L, 24);
	ir_stx(f, 8, FP, (int16_t)val, epoch);
	ir_stx(f, 8, FP, (int16_t)(val + 8), v);
	ir_st(f, 8, FP, (int16_t)(val + 16), 1);
	update(L, m, key, val);
	ir_label(f, l_done);
}

static void lower_agg(struct lower *L, struct node *lhs, struct node *call)
{
	struct ir_func *f = L->f;
	const struct mapinfo *m = lhs->map;
	const struct type *t = m->val;
	int v = call->list ? lower_scalar(L, call->list) : -1;
	if (t->kind == TY_TSERIES) {
		lower_tseries(L, lhs, v);
		return;
	}
	int bucketed = t->kind == TY_HIST || t->kind == TY_LHIST;
	int key = map_build_key(L, lhs, bucketed ? 8 : 0);
	if (bucketed) {
		int b = t->kind == TY_LHIST ? lhist_bucket(L, v, t)
			: t->hist_bits ? hist_bits_bucket(L, v, t->is_signed, t->hist_bits)
				       : hist_bucket(L, v, t->is_signed);
		ir_stx(f, 8, FP, (int16_t)(key + (m->key ? m->key->size : 8)), b);
	}
	int p = lookup(L, m, key);
	int l_init = ir_new_label(f), l_done = ir_new_label(f);
	ir_jmpi(f, BPF_JEQ, p, 0, l_init);
	switch (t->kind) {
	case TY_COUNT: case TY_HIST: case TY_LHIST:
		add_at(L, p, 0, -1);
		break;
	case TY_SUM:
		add_at(L, p, 0, v);
		break;
	case TY_AVG: case TY_STATS:
		add_at(L, p, 0, -1);
		add_at(L, p, 8, v);
		break;
	case TY_MIN: case TY_MAX: {
		/* Replace when this CPU's slot is unset or the new value wins. */
		int cur = ir_vreg(f), l_store = ir_new_label(f);
		ir_ldx(f, 8, cur, p, 8);
		ir_jmpi(f, BPF_JEQ, cur, 0, l_store);
		ir_ldx(f, 8, cur, p, 0);
		uint8_t keep = t->kind == TY_MIN ? (t->is_signed ? BPF_JSLE : BPF_JLE)
						 : (t->is_signed ? BPF_JSGE : BPF_JGE);
		ir_jmp(f, keep, cur, v, l_done);
		ir_label(f, l_store);
		ir_stx(f, 8, p, 0, v);
		ir_st(f, 8, p, 8, 1);
		break;
	}
	default:
		break;
	}
	ir_ja(f, l_done);
	ir_label(f, l_init);
	int val = slot_alloc(L, t->size);
	zero_slot(L, val, t->size);
	switch (t->kind) {
	case TY_COUNT: case TY_HIST: case TY_LHIST:
		ir_st(f, 8, FP, (int16_t)val, 1);
		break;
	case TY_SUM:
		ir_stx(f, 8, FP, (int16_t)val, v);
		break;
	case TY_AVG: case TY_STATS:
		ir_st(f, 8, FP, (int16_t)val, 1);
		ir_stx(f, 8, FP, (int16_t)(val + 8), v);
		break;
	case TY_MIN: case TY_MAX:
		ir_stx(f, 8, FP, (int16_t)val, v);
		ir_st(f, 8, FP, (int16_t)(val + 8), 1);
		break;
	default:
		break;
	}
	update(L, m, key, val);
	ir_label(f, l_done);
}

void lower_map_assign(struct lower *L, struct node *n)
{
	struct node *lhs = n->a;
	if (type_is_agg(lhs->map->val)) {
		lower_agg(L, lhs, n->b);
		return;
	}
	const struct mapinfo *m = lhs->map;
	int key = map_build_key(L, lhs, 0);
	int val = slot_alloc(L, m->val->size);
	store_value(L, n->b, m->val, val);
	update(L, m, key, val);
}

/* @m[k] op= rhs (or op= imm when rhs is NULL): read, modify, write back. */
int lower_map_compound(struct lower *L, struct node *lhs, uint8_t op, struct node *rhs, int64_t imm)
{
	struct ir_func *f = L->f;
	const struct mapinfo *m = lhs->map;
	int key = map_build_key(L, lhs, 0);
	int p = lookup(L, m, key);
	int cur = ir_vreg(f), l_missing = ir_new_label(f);
	ir_movi(f, cur, 0);
	ir_jmpi(f, BPF_JEQ, p, 0, l_missing);
	ir_ldx(f, 8, cur, p, 0);
	ir_label(f, l_missing);
	int y = ir_vreg(f);
	if (rhs)
		ir_mov(f, y, lower_scalar(L, rhs));
	else
		ir_movi(f, y, imm);
	lower_arith(L, op, m->val->is_signed, cur, y);
	int val = slot_alloc(L, 8);
	ir_stx(f, 8, FP, (int16_t)val, cur);
	update(L, m, key, val);
	return cur;
}

void lower_delete(struct lower *L, struct node *call)
{
	struct node *mapnode = call->list;
	int key = map_build_key(L, mapnode, 0);
	helper_call(L, BPF_FUNC_map_delete_elem, 2, (struct harg[]){ HMAP(mapnode->map->fd), HFP(key) });
}

/* find(@m[k], $v) after sema: one lookup; the value is copied into $v's slot when the key is there */
int lower_find(struct lower *L, struct node *call)
{
	struct ir_func *f = L->f;
	struct node *mapnode = call->list;
	const struct mapinfo *m = mapnode->map;
	int key = map_build_key(L, mapnode, 0);
	int p = lookup(L, m, key);
	int r = ir_vreg(f), t = ir_vreg(f), l = ir_new_label(f);
	int dst = lower_var_off(L, mapnode->next);
	ir_movi(f, r, 0);
	ir_jmpi(f, BPF_JEQ, p, 0, l);
	for (int off = 0, w; off < m->value_size; off += w) {
		int left = m->value_size - off;
		w = left >= 8 ? 8 : left >= 4 ? 4 : left >= 2 ? 2 : 1;
		ir_ldx(f, w, t, p, (int16_t)off);
		ir_stx(f, w, FP, (int16_t)(dst + off), t);
	}
	ir_movi(f, r, 1);
	ir_label(f, l);
	return r;
}

int lower_has_key(struct lower *L, struct node *call)
{
	struct node *mapnode = call->list;
	int key = map_build_key(L, mapnode, 0);
	int p = lookup(L, mapnode->map, key);
	int r = ir_vreg(L->f), l = ir_new_label(L->f);
	ir_movi(L->f, r, 0);
	ir_jmpi(L->f, BPF_JEQ, p, 0, l);
	ir_movi(L->f, r, 1);
	ir_label(L->f, l);
	return r;
}
