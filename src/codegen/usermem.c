/*
 * Reads of the traced process's memory. bpf_probe_read_user() cannot fault:
 * a page the process has not touched yet (a cold .rodata string, a program
 * that just started) reads as an error and the value as zeros. In a program
 * that may sleep (a user-space probe on a kernel that allows it), a failed
 * read faults the page in with bpf_copy_from_user() and reads again; the fast
 * path stays the non-faulting read, so a resident page costs one branch more.
 * A read that still fails (an unmapped address) is counted for the block and
 * reported at exit: an empty string is never passed off as data.
 */
#include "lower.h"

static int is_user_read(int helper)
{
	return helper == BPF_FUNC_probe_read_user || helper == BPF_FUNC_probe_read_user_str;
}

/* -k: the read's error and its place in the script, for user space to warn about */
static void report_failure(struct lower *L, int err)
{
	struct ir_func *f = L->f;
	struct span sp = f->span;
	uint64_t place = (uint64_t)(uint16_t)sp.line << 48 | (uint64_t)(uint16_t)sp.col << 32 |
			 (uint64_t)(uint16_t)sp.end_line << 16 | (uint16_t)sp.end_col;
	int rec = slot_alloc(L, 24), t = ir_vreg(f);
	ir_movi(f, t, (int64_t)REC_ID_READ_FAILED);
	ir_stx(f, 8, FP, (int16_t)rec, t);
	ir_stx(f, 8, FP, (int16_t)(rec + 8), err);
	ir_movi(f, t, (int64_t)place);
	ir_stx(f, 8, FP, (int16_t)(rec + 16), t);
	helper_call(L, BPF_FUNC_ringbuf_output, 4,
		    (struct harg[]){ HMAP(L->env->ringbuf_fd), HFP(rec), HIMM(24), HIMM(BPF_RB_NO_WAKEUP) });
}

/* One more failed read for this block: a per-CPU counter, added to atomically
 * because a sleepable program can be preempted on its CPU. */
static void count_failure(struct lower *L, int err)
{
	if (L->env->warn_reads)
		report_failure(L, err);
	if (L->env->read_fail_fd < 0)
		return;
	struct ir_func *f = L->f;
	int key = slot_alloc_stack(L, 8), l_done = ir_new_label(f);
	ir_st(f, 8, FP, (int16_t)key, L->blk->id);
	int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->read_fail_fd), HFP(key) });
	ir_jmpi(f, BPF_JEQ, p, 0, l_done);
	int one = ir_vreg(f);
	ir_movi(f, one, 1);
	ir_atomic(f, 8, BPF_ADD, p, 0, one);
	ir_label(f, l_done);
}

/* Faults in the page holding addr + delta (delta: a register or -1 for none) by copying one byte of it. */
static void fault_in(struct lower *L, int addr, int delta)
{
	int at = ir_vreg(L->f), byte = slot_alloc_stack(L, 8);
	ir_mov(L->f, at, addr);
	if (delta >= 0)
		ir_alu(L->f, BPF_ADD, at, delta);
	helper_call(L, BPF_FUNC_copy_from_user, 3, (struct harg[]){ HFP(byte), HIMM(1), HREG(at) });
}

/*
 * A string may run into the next page: after faulting in addr's page, a read
 * that still fails faults in the next one too (len <= 4096 spans at most two),
 * but only when [addr, addr + len) reaches it.
 */
static void retry_str(struct lower *L, struct harg dst, struct harg len, int addr, int l_ok)
{
	struct ir_func *f = L->f;
	int l_fail = ir_new_label(f);
	fault_in(L, addr, -1);
	int r = helper_call(L, BPF_FUNC_probe_read_user_str, 3, (struct harg[]){ dst, len, HREG(addr) });
	ir_jmpi(f, BPF_JSGE, r, 0, l_ok);
	/* to_next = 4096 - (addr & 4095): bytes left in addr's page */
	int to_next = ir_vreg(f), n = ir_vreg(f);
	ir_mov(f, to_next, addr);
	ir_alui(f, BPF_AND, to_next, 4095);
	ir_alui(f, BPF_XOR, to_next, 4095);
	ir_alui(f, BPF_ADD, to_next, 1);
	if (len.kind == HA_IMM)
		ir_movi(f, n, len.v);
	else
		ir_mov(f, n, (int)len.v);
	ir_jmp(f, BPF_JLE, n, to_next, l_fail);
	fault_in(L, addr, to_next);
	r = helper_call(L, BPF_FUNC_probe_read_user_str, 3, (struct harg[]){ dst, len, HREG(addr) });
	ir_jmpi(f, BPF_JSGE, r, 0, l_ok);
	ir_label(f, l_fail);
}

void read_into(struct lower *L, int helper, struct harg dst, struct harg len, int addr)
{
	struct ir_func *f = L->f;
	int r = helper_call(L, helper, 3, (struct harg[]){ dst, len, HREG(addr) });
	if (!is_user_read(helper) || (!L->may_sleep && L->env->read_fail_fd < 0))
		return;
	int l_ok = ir_new_label(f);
	ir_jmpi(f, BPF_JSGE, r, 0, l_ok);
	if (L->may_sleep) {
		L->blk->sleepable = 1;
		if (helper == BPF_FUNC_probe_read_user_str) {
			retry_str(L, dst, len, addr, l_ok);
		} else {
			/* bpf_copy_from_user faults in every page of the range, zeroing dst on failure as the read does */
			r = helper_call(L, BPF_FUNC_copy_from_user, 3, (struct harg[]){ dst, len, HREG(addr) });
			ir_jmpi(f, BPF_JSGE, r, 0, l_ok);
		}
	}
	count_failure(L, r);
	ir_label(f, l_ok);
}
