/* Lowering of sema/stdlib_more.c's functions that need code: str_concat's copy and pton's bytes. */
#include "lower.h"
#include "../sema/btf.h"
#include <arpa/inet.h>
#include <string.h>

/* A slot's address in a vreg: the frame's, or the scratch area's (R9) past the budget. */
int slot_addr(struct lower *L, int off)
{
	int r = ir_vreg(L->f);
	if (off < SCRATCH_MARK) {
		ir_mov(L->f, r, RSCRATCH);
		ir_alui(L->f, BPF_ADD, r, off + SCRATCH_BIAS);
	} else {
		ir_mov(L->f, r, FP);
		ir_alui(L->f, BPF_ADD, r, off);
	}
	return r;
}

/*
 * str_concat(a, b): a is built in the first half of a two-string slot, b is
 * copied (to its NUL) right after a's last character, and the first string's
 * worth is the result, its last byte a NUL: at most strlen-1 characters, a's
 * first. The copy's destination varies but stays inside the slot for any a.
 */
void lower_str_concat(struct lower *L, struct node *n, int off)
{
	int size = sonde_strlen, tmp = slot_alloc(L, 2 * size);
	zero_slot(L, tmp, 2 * size);
	lower_mem_into(L, n->list, tmp);
	int b = lower_mem(L, n->list->next);
	/* a's length, NUL included: the kernel's string copy of a onto itself counts it */
	int len = helper_call(L, BPF_FUNC_probe_read_kernel_str, 3, (struct harg[]){ HFP(tmp), HIMM(size), HFP(tmp) });
	ir_alui(L->f, BPF_SUB, len, 1);
	int in_range = ir_new_label(L->f);
	ir_jmpi(L->f, BPF_JLE, len, size - 1, in_range);
	ir_movi(L->f, len, size - 1);
	ir_label(L->f, in_range);
	int dst = slot_addr(L, tmp);
	ir_alu(L->f, BPF_ADD, dst, len);
	helper_call(L, BPF_FUNC_probe_read_kernel_str, 3, (struct harg[]){ HREG(dst), HIMM(size), HFP(b) });
	copy_slot(L, off, tmp, size);
	ir_st(L->f, 1, FP, (int16_t)(off + size - 1), 0);
}

/* pton("addr"): its bytes (known since sema) in a slot; the slot's address, as an array's */
int lower_pton_addr(struct lower *L, struct node *n)
{
	unsigned char buf[16] = { 0 };
	int v6 = n->type->size == 16;
	inet_pton(v6 ? AF_INET6 : AF_INET, n->list->str, buf);
	int off = slot_alloc(L, 16);
	for (int i = 0; i < 16; i += 8) {
		uint64_t w;
		memcpy(&w, buf + i, 8);
		int t = ir_vreg(L->f);
		ir_movi(L->f, t, (int64_t)w);
		ir_stx(L->f, 8, FP, (int16_t)(off + i), t);
	}
	return slot_addr(L, off);
}

/* a == b (or !=) of two arrays: both copied into zeroed slots, then compared word by word */
int lower_array_eq(struct lower *L, struct node *n)
{
	int a = lower_mem(L, n->a), b = lower_mem(L, n->b);
	return lower_slots_eq(L, n, a, b, n->a->type->size);
}

/* comm(pid): the task's comm through the kernel's bpf_task_from_pid (a reference, released at once) */
void lower_comm_of(struct lower *L, struct node *n, int off)
{
	zero_slot(L, off, sonde_strlen);
	int pid = lower_scalar(L, n->list);
	int task = kfunc_call(L, (int)n->ival, 1, (struct harg[]){ HREG(pid) });
	int l_none = ir_new_label(L->f);
	ir_jmpi(L->f, BPF_JEQ, task, 0, l_none);
	int comm_off = 0, tid;
	kbtf_field(kbtf_find_struct("task_struct"), "comm", &comm_off, &tid);
	int at = ir_vreg(L->f);
	ir_mov(L->f, at, task);
	ir_alui(L->f, BPF_ADD, at, comm_off);
	helper_call(L, BPF_FUNC_probe_read_kernel_str, 3, (struct harg[]){ HFP(off), HIMM(16), HREG(at) });
	ir_call_begin(L->f);	/* bpf_task_release returns nothing: R0 is not read */
	ir_mov(L->f, R1, task);
	ir_kfunc_call(L->f, n->id);
	ir_label(L->f, l_none);
}

void lower_array_into(struct lower *L, struct node *n, int off)
{
	int size = n->type->size;
	zero_slot(L, off, (int)ALIGN8((size_t)size));
	int helper = lower_field_in_user_mem(n) ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel;
	read_into(L, helper, HFP(off), HIMM(size), lower_addr(L, n));
}
