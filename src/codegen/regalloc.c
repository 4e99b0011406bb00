/*
 * Linear-scan register allocation. Temporaries never live across a
 * statement (variables sit in frame slots), so live ranges are intervals of
 * the linear order. A value live across a helper call, from the first
 * argument move to the call, needs a callee-saved register (R7-R9); others
 * prefer R1-R4. What does not fit is spilled to the frame, reloaded through
 * R5 (sources) and R0 (destinations), which are never allocated.
 */
#include "ir.h"
#include <stdio.h>
#include <stdlib.h>

#define TMP_SRC R5
#define TMP_DST R0
#define MAX_STACK 512

struct interval {
	int vreg, start, end, crosses_call;
	int phys;	/* -1: spilled */
	int slot;	/* frame offset when spilled */
};

static int by_start(const void *a, const void *b)
{
	const struct interval *x = a, *y = b;
	return x->start != y->start ? x->start - y->start : x->vreg - y->vreg;
}

static int reads_dst(const struct ir_insn *i)
{
	uint8_t cls = BPF_CLASS(i->code);
	if (i->kind == IR_JUMP)
		return 1;
	if (i->kind != IR_INSN)
		return 0;
	if (cls == BPF_ALU64)
		return BPF_OP(i->code) != BPF_MOV;
	return cls == BPF_STX || cls == BPF_ST;
}

static int writes_dst(const struct ir_insn *i)
{
	uint8_t cls = BPF_CLASS(i->code);
	if (i->kind == IR_LD_IMM64 || i->kind == IR_LD_MAP || i->kind == IR_LD_FUNC)
		return 1;
	return i->kind == IR_INSN && (cls == BPF_ALU64 || cls == BPF_LDX);
}

static void touch(struct interval *iv, int r, int pos)
{
	if (r < VREG0)
		return;
	struct interval *x = &iv[r - VREG0];
	if (x->start < 0 || pos < x->start)
		x->start = pos;
	if (pos > x->end)
		x->end = pos;
}

int regalloc(struct ir_func *f, char *err, size_t errlen)
{
	int n = f->nvregs;
	struct interval *iv = xcalloc((size_t)(n ? n : 1), sizeof(*iv));
	for (int v = 0; v < n; v++) {
		iv[v].vreg = v;
		iv[v].start = iv[v].end = -1;
		iv[v].phys = -1;
	}
	int begin = -1;
	VEC(int) windows = { 0 };	/* pairs: begin, call */
	for (int k = 0; k < f->insns.n; k++) {
		struct ir_insn *i = &f->insns.v[k];
		touch(iv, i->dst, k);
		touch(iv, i->src, k);
		if (i->kind == IR_CALL_BEGIN)
			begin = k;
		if (i->kind == IR_INSN && i->code == (BPF_JMP | BPF_CALL)) {
			VEC_PUSH(windows, begin >= 0 ? begin : k);
			VEC_PUSH(windows, k);
			begin = -1;
		}
	}
	for (int v = 0; v < n; v++)
		for (int w = 0; w < windows.n; w += 2)
			if (iv[v].start >= 0 && iv[v].start < windows.v[w + 1] && iv[v].end > windows.v[w])
				iv[v].crosses_call = 1;

	struct interval *order = xcalloc((size_t)(n ? n : 1), sizeof(*order));
	for (int v = 0; v < n; v++)
		order[v] = iv[v];
	qsort(order, (size_t)n, sizeof(*order), by_start);

	int busy_until[10];
	for (int r = 0; r < 10; r++)
		busy_until[r] = -1;
	static const int caller_saved[] = { R1, R2, R3, R4 };
	static const int callee_saved[] = { 7, 8, 9 };
	int frame = f->stack;
	for (int k = 0; k < n; k++) {
		struct interval *x = &iv[order[k].vreg];
		if (x->start < 0)
			continue;
		int pick = -1;
		if (!x->crosses_call)
			for (size_t r = 0; r < ARRAY_SIZE(caller_saved) && pick < 0; r++)
				if (busy_until[caller_saved[r]] < x->start)
					pick = caller_saved[r];
		for (size_t r = 0; r < ARRAY_SIZE(callee_saved) && pick < 0; r++)
			if (busy_until[callee_saved[r]] < x->start &&
			    !(f->scratch && callee_saved[r] == RSCRATCH))
				pick = callee_saved[r];
		if (pick >= 0) {
			x->phys = pick;
			busy_until[pick] = x->end;
		} else {
			frame += 8;
			x->slot = -frame;
		}
	}
	free(order);
	free(windows.v);
	if (frame > MAX_STACK) {
		snprintf(err, errlen, "the probe needs %d bytes of BPF stack, more than the %d the kernel allows: use fewer or shorter strings (BPFTRACE_STRLEN), or split the block",
			 frame, MAX_STACK);
		free(iv);
		return -1;
	}
	f->stack = frame;

	/* Rewrite with physical registers and spill code. */
	VEC(struct ir_insn) out = { 0 };
	for (int k = 0; k < f->insns.n; k++) {
		struct ir_insn i = f->insns.v[k];
		struct interval *d = i.dst >= VREG0 ? &iv[i.dst - VREG0] : NULL;
		struct interval *s = i.src >= VREG0 ? &iv[i.src - VREG0] : NULL;
		if (s) {
			if (s->phys >= 0) {
				i.src = s->phys;
			} else {
				struct ir_insn ld = { .kind = IR_INSN, .code = BPF_LDX | BPF_MEM | BPF_DW,
						      .dst = TMP_SRC, .src = FP, .off = (int16_t)s->slot,
						      .label = -1, .span = i.span };
				VEC_PUSH(out, ld);
				i.src = TMP_SRC;
			}
		}
		int store_after = 0;
		if (d) {
			if (d->phys >= 0) {
				i.dst = d->phys;
			} else {
				if (reads_dst(&i)) {
					struct ir_insn ld = { .kind = IR_INSN, .code = BPF_LDX | BPF_MEM | BPF_DW,
							      .dst = TMP_DST, .src = FP, .off = (int16_t)d->slot,
							      .label = -1, .span = i.span };
					VEC_PUSH(out, ld);
				}
				store_after = writes_dst(&i);
				i.dst = TMP_DST;
			}
		}
		VEC_PUSH(out, i);
		if (store_after) {
			struct ir_insn st = { .kind = IR_INSN, .code = BPF_STX | BPF_MEM | BPF_DW,
					      .dst = FP, .src = TMP_DST, .off = (int16_t)d->slot,
					      .label = -1, .span = i.span };
			VEC_PUSH(out, st);
		}
	}
	free(f->insns.v);
	f->insns.v = out.v;
	f->insns.n = out.n;
	f->insns.cap = out.cap;
	free(iv);
	return 0;
}
