/*
 * kstack/ustack. bpf_get_stack() fills a scratch buffer {nr, ips[]}; a hash
 * of the frames is the stack's key in the stack table, where it is stored
 * once, and the value is {hash, pid}. Keying by content rather than by a
 * stack map's bucket (bpf_get_stackid) means two stacks never share an id
 * and none is overwritten: a full table is counted and reported instead.
 */
#include "lower.h"
#include "../arch/arch.h"
#include <errno.h>

#define HASH_MUL 0x9e3779b97f4a7c15ull	/* 2^64 / golden ratio: spreads consecutive addresses */

/* h = hash of the nr frames at buf + 8; the loop is bounded by limit for the verifier */
static int hash_frames(struct lower *L, int buf, int nr, int limit)
{
	struct ir_func *f = L->f;
	int h = ir_vreg(f), mul = ir_vreg(f), i = ir_vreg(f), w = ir_vreg(f), t = ir_vreg(f);
	int p = slot_addr(L, buf + 8);
	int l_loop = ir_new_label(f), l_end = ir_new_label(f);
	ir_movi(f, mul, (int64_t)HASH_MUL);
	ir_mov(f, h, nr);
	ir_alu(f, BPF_MUL, h, mul);
	ir_movi(f, i, 0);
	ir_label(f, l_loop);
	ir_jmp(f, BPF_JGE, i, nr, l_end);
	ir_jmpi(f, BPF_JGE, i, limit, l_end);
	ir_ldx(f, 8, w, p, 0);
	ir_alu(f, BPF_XOR, h, w);
	ir_alu(f, BPF_MUL, h, mul);
	ir_mov(f, t, h);
	ir_alui(f, BPF_RSH, t, 29);
	ir_alu(f, BPF_XOR, h, t);
	ir_alui(f, BPF_ADD, p, 8);
	ir_alui(f, BPF_ADD, i, 1);
	ir_ja(f, l_loop);
	ir_label(f, l_end);
	/* 0 means "no stack" in a key */
	int l_nonzero = ir_new_label(f);
	ir_jmpi(f, BPF_JNE, h, 0, l_nonzero);
	ir_movi(f, h, 1);
	ir_label(f, l_nonzero);
	return h;
}

static void count_lost(struct lower *L, int l_done)
{
	int key = slot_alloc_stack(L, 8);
	ir_st(L->f, 8, FP, (int16_t)key, 0);
	int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->stack_lost_fd), HFP(key) });
	ir_jmpi(L->f, BPF_JEQ, p, 0, l_done);
	int t = ir_vreg(L->f);
	ir_ldx(L->f, 8, t, p, 0);
	ir_alui(L->f, BPF_ADD, t, 1);
	ir_stx(L->f, 8, p, 0, t);
}

/*
 * At a function's first instruction (or a Go stack check, or a RET) the
 * caller's return address is at [sp], not yet (or no longer) in the
 * frame-pointer chain, so the kernel's walk skips the immediate caller.
 * At a RET, [sp] replaces the returning function's own frame instead, so
 * the stack starts in the caller as after a classic uretprobe. The kernel adds it back
 * itself when the probed instruction is `push %rbp` or `endbr64`; for the
 * others, frames go in one slot later and [sp] fills the gap. Returns the
 * register holding the frame count, 0 when the stack should be taken plainly.
 */
static int stack_with_caller(struct lower *L, int buf, int limit, int l_plain, int l_done)
{
	struct ir_func *f = L->f;
	int ret = L->blk->stack_ra == STACK_RA_RETURN;
	/* at a RET the walk's frames stay where they are; else they go one slot up, for [sp] */
	int len = helper_call(L, BPF_FUNC_get_stack, 4,
			      (struct harg[]){ HREG(RCTX), HFP(ret ? buf + 8 : buf + 16), HIMM(8 * (ret ? limit : limit - 1)),
					       HIMM(BPF_F_USER_STACK) });
	ir_jmpi(f, BPF_JSLE, len, 0, l_done);
	int ra_slot = slot_alloc_stack(L, 8);
	ir_st(f, 8, FP, (int16_t)ra_slot, 0);
	int sp = ir_vreg(f);
	ir_ldx(f, 8, sp, RCTX, PT_SP);
	helper_call(L, BPF_FUNC_probe_read_user, 3, (struct harg[]){ HFP(ra_slot), HIMM(8), HREG(sp) });
	int ra = ir_vreg(f), f0 = ir_vreg(f), nr = ir_vreg(f);
	ir_ldx(f, 8, ra, FP, (int16_t)ra_slot);
	ir_jmpi(f, BPF_JEQ, ra, 0, l_plain);
	ir_mov(f, nr, len);
	ir_alui(f, BPF_RSH, nr, 3);
	if (ret) {
		ir_stx(f, 8, FP, (int16_t)(buf + 8), ra);	/* [sp] in the returning function's place */
		return nr;
	}
	if (L->blk->stack_ra == STACK_RA_UNLESS_KERNEL) {
		/* points of both kinds: the kernel added it when the walk's second frame is [sp] */
		int l_insert = ir_new_label(f), f1 = ir_vreg(f);
		ir_jmpi(f, BPF_JLT, nr, 2, l_insert);
		ir_ldx(f, 8, f1, FP, (int16_t)(buf + 24));
		ir_jmp(f, BPF_JEQ, f1, ra, l_plain);
		ir_label(f, l_insert);
	}
	ir_ldx(f, 8, f0, FP, (int16_t)(buf + 16));
	ir_stx(f, 8, FP, (int16_t)(buf + 8), f0);
	ir_stx(f, 8, FP, (int16_t)(buf + 16), ra);
	ir_alui(f, BPF_ADD, nr, 1);
	return nr;
}

void lower_stack(struct lower *L, struct node *n, int off)
{
	struct ir_func *f = L->f;
	const struct type *t = n->type;
	int l_done = ir_new_label(f), l_plain = ir_new_label(f), l_have = ir_new_label(f);
	zero_slot(L, off, 16);
	if (t->stack_user)
		note_user_process(L, off + 8);	/* user frames are named through this process's maps */
	if (L->env->stacks_fd < 0)
		return;		/* BPF_PROG_TEST_RUN checks of codegen: no table */
	/* a user stack's buffer also holds the CFI walk's state (unwind.c) */
	int buf = slot_alloc(L, 8 * (1 + STACK_MAX_FRAMES) + (t->stack_user ? UNWIND_STATE_SIZE : 0));
	int nr = ir_vreg(f), l_old = ir_new_label(f);
	if (t->stack_mode == STACK_PYTHON) {
		/* Python frames only: no native walk */
		ir_movi(f, nr, 0);
		int n_py = lower_pystack(L, buf, nr, t->stack_limit);
		ir_jmpi(f, BPF_JEQ, n_py, 0, l_done);	/* not Python, or no frames: no stack */
		ir_mov(f, nr, n_py);
		ir_ja(f, l_have);
	} else if (t->stack_user) {
		/* CFI first (unwind.c); where it does not apply, the kernel's rbp walk below */
		int n_cfi = lower_unwind(L, buf, t->stack_limit, l_old);
		if (n_cfi >= 0) {
			ir_mov(f, nr, n_cfi);
			ir_ja(f, l_have);
		}
	}
	ir_label(f, l_old);
	if (t->stack_user && t->stack_limit > 1 && L->blk->stack_ra != STACK_RA_NONE) {
		ir_mov(f, nr, stack_with_caller(L, buf, t->stack_limit, l_plain, l_done));
		ir_ja(f, l_have);
	}
	ir_label(f, l_plain);
	int len = helper_call(L, BPF_FUNC_get_stack, 4,
			      (struct harg[]){ HREG(RCTX), HFP(buf + 8), HIMM(8 * t->stack_limit),
					       HIMM(t->stack_user ? BPF_F_USER_STACK : 0) });
	ir_jmpi(f, BPF_JSLE, len, 0, l_done);	/* no stack (a kernel thread's user side) stays 0 */
	ir_mov(f, nr, len);
	ir_alui(f, BPF_RSH, nr, 3);
	ir_label(f, l_have);
	if (t->stack_user && t->stack_mode != STACK_PYTHON)
		ir_mov(f, nr, lower_pystack(L, buf, nr, t->stack_limit));	/* after the native frames */
	ir_stx(f, 8, FP, (int16_t)buf, nr);
	if (t->stack_user)
		ir_ldx(f, 8, nr, FP, (int16_t)buf);	/* from map memory: an unknown count, so each walk's ends verify as one */
	int h = hash_frames(L, buf, nr, t->stack_limit);
	ir_stx(f, 8, FP, (int16_t)off, h);
	/* a lookup first: most stacks repeat, and a lookup takes no lock */
	int known = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->stacks_fd), HFP(off) });
	ir_jmpi(f, BPF_JNE, known, 0, l_done);
	int rc = helper_call(L, BPF_FUNC_map_update_elem, 4,
			     (struct harg[]){ HMAP(L->env->stacks_fd), HFP(off), HFP(buf), HIMM(BPF_NOEXIST) });
	ir_jmpi(f, BPF_JEQ, rc, 0, l_done);
	ir_jmpi(f, BPF_JEQ, rc, -EEXIST, l_done);	/* another CPU stored it meanwhile */
	count_lost(L, l_done);
	ir_label(f, l_done);
}
