/*
 * ustack through CFI. The main program fills a walk state (the user
 * registers, the process) next to the frame buffer and calls bpf_loop();
 * the callback, appended to the program as a second subprogram, records
 * one frame per call and steps to the caller:
 * mapping (binary search of the process's executable mappings) → row
 * (binary search of the file's table in sonde_unw_rows) → CFA from rsp or
 * rbp (or read at rbp + k: a realigned frame) → return address at CFA - 8
 * and maybe rbp at CFA + 8k, read with bpf_probe_read_user(). Mappings without CFI step by rbp; a frame in a
 * CFI file that has no usable row steps by rbp after a marker frame.
 * The callback is written on physical registers (R6 holds the state;
 * values kept across helper calls live in R7-R9 or in the state) and
 * emitted on its own: the register allocator never sees it.
 */
#include "lower.h"
#include "../arch/arch.h"
#include "../unwind/layout.h"
#include "../unwind/table.h"
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The walk state: in the scratch map, right after the frame buffer
 * {nr, ips[]} (see lower_stack), never on the stack. The verifier does not
 * track map memory, so every value the callback reads back is an unknown
 * scalar and the callback's passes converge at once: kept on the stack,
 * constants (flags, counts) and computed ranges made each call a new state
 * to verify, past the verifier's million instructions.
 */
#define FRAMES_BYTES (8 * (1 + STACK_MAX_FRAMES))
enum {
	S_UNUSED0 = 0,	/* what a masked index past the frames would hit */
	S_IP = 8, S_SP = 16, S_BP = 24,
	S_NR = 32,	/* frames recorded */
	S_FLAGS = 40,
	S_PID = 48,	/* the process: sonde_unw_procs' key */
	S_TMP = 56,	/* bpf_probe_read_user's destination; the rows map's key */
	S_LIMIT = 64,	/* frames wanted */
	S_STATUS = 72,	/* 1: the leaf is not in CFI code, take the stack the old way */
	S_FIRST = 80,	/* the rows' search: its base */
	S_SPARE = 88,
	S_IDX = 96,	/* this call's frame slot: bpf_loop's index */
	S_SIZE = UNWIND_STATE_SIZE,
};
/* the ip is a return address (look up ip - 1); the marker is in; the marker goes in this call's slot;
 * the ip came from the rbp chain (it may be garbage) */
enum { F_CALLER = 1, F_MARKED = 2, F_MARK_NOW = 4, F_BY_FP = 8 };
#define WALK_CALLS (STACK_MAX_FRAMES + 1)	/* one marker frame besides the frames */
#define ROW_STEPS 24	/* steps of the rows' search: tables of up to 16M rows */
/* the callback's callee-saved registers (ir.h names R0-R5 only): R6 holds the state */
#define R6 6
#define R7 7
#define R8 8
#define R9 9

static int user_regs(struct lower *L)
{
	/* uprobes: the context is the user's pt_regs; perf events and tracepoints: the task's */
	if (L->blk->prov && L->blk->prov->prog_type == BPF_PROG_TYPE_KPROBE)
		return RCTX;
	int task = helper_call(L, BPF_FUNC_get_current_task_btf, 0, NULL);
	return helper_call(L, BPF_FUNC_task_pt_regs, 1, (struct harg[]){ HREG(task) });
}

int lower_unwind(struct lower *L, int buf, int limit, int l_plain)
{
	struct ir_func *f = L->f;
	const struct codegen_env *env = L->env;
	if (env->unw_procs_fd < 0 || L->blk->stack_ra == STACK_RA_RETURN)
		return -1;	/* a Go RET probe's stack starts in the caller: the rbp walk's way */
	int st = buf + FRAMES_BYTES;
	zero_slot(L, st, S_SIZE);
	ir_st(f, 8, FP, (int16_t)buf, 0);	/* the count: a walk that records nothing leaves 0 */
	/* the map key and the pending entry's value go in the state (scratch): 8 bytes of stack per ustack only */
	int tgid = helper_call(L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
	ir_alui(f, BPF_RSH, tgid, 32);
	ir_stx(f, 8, FP, (int16_t)(st + S_PID), tgid);
	int proc = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(env->unw_procs_fd), HFP(st + S_PID) });
	int l_known = ir_new_label(f);
	ir_jmpi(f, BPF_JNE, proc, 0, l_known);
	/* not loaded yet: ask user space, and take this stack the old way */
	helper_call(L, BPF_FUNC_map_update_elem, 4,
		    (struct harg[]){ HMAP(env->unw_pending_fd), HFP(st + S_PID), HFP(st + S_TMP), HIMM(BPF_NOEXIST) });
	ir_ja(f, l_plain);
	ir_label(f, l_known);
	/* bpf_loop's context is on the stack: the state's address */
	int ctx = slot_alloc_stack(L, 8), p = ir_vreg(f);
	if (buf < SCRATCH_MARK) {
		ir_mov(f, p, RSCRATCH);
		ir_alui(f, BPF_ADD, p, buf + SCRATCH_BIAS);
	} else {
		ir_mov(f, p, FP);
		ir_alui(f, BPF_ADD, p, buf);
	}
	int state = ir_vreg(f);
	ir_mov(f, state, p);
	ir_alui(f, BPF_ADD, state, FRAMES_BYTES);
	ir_stx(f, 8, FP, (int16_t)ctx, state);
	int regs = user_regs(L);
	ir_jmpi(f, BPF_JEQ, regs, 0, l_plain);
	static const int from[3] = { PT_IP, PT_SP, PT_BP }, to[3] = { S_IP, S_SP, S_BP };
	for (int i = 0; i < 3; i++) {
		int v = ir_vreg(f);
		ir_ldx(f, 8, v, regs, (int16_t)from[i]);
		ir_stx(f, 8, FP, (int16_t)(st + to[i]), v);
	}
	ir_st(f, 8, FP, (int16_t)(st + S_LIMIT), limit);
	helper_call(L, BPF_FUNC_loop, 4, (struct harg[]){ HIMM(WALK_CALLS), HFUNC, HFP(ctx), HIMM(0) });
	int status = ir_vreg(f), nr = ir_vreg(f);
	ir_ldx(f, 8, status, FP, (int16_t)(st + S_STATUS));
	ir_jmpi(f, BPF_JNE, status, 0, l_plain);
	/*
	 * The count again, from the frame buffer (map memory, which the
	 * verifier does not track): hashing the frames bounds a loop by it,
	 * and a bound read from the state would make the callback's index
	 * precise back through every call, one verification per frame.
	 */
	ir_ldx(f, 8, nr, p, 0);
	ir_jmpi(f, BPF_JEQ, nr, 0, l_plain);
	return nr;
}

/* dst = *(u64 *)(user address in `addr` + off), through S_TMP; a failed read ends the walk. */
static void read_user(struct ir_func *f, int dst, int addr, int off, int l_stop)
{
	ir_call_begin(f);
	ir_mov(f, R3, addr);
	if (off)
		ir_alui(f, BPF_ADD, R3, off);
	ir_mov(f, R1, R6);
	ir_alui(f, BPF_ADD, R1, S_TMP);
	ir_movi(f, R2, 8);
	ir_call(f, BPF_FUNC_probe_read_user);
	ir_jmpi(f, BPF_JNE, R0, 0, l_stop);
	ir_ldx(f, 8, dst, R6, S_TMP);
}

/*
 * buf[idx] = v, nr = idx + 1, where idx is bpf_loop's index (in the state's
 * S_TMP2 slot): one frame per call. Indexing by the loop's own counter,
 * which the verifier sees as unknown at every call, lets it find the
 * callback's states equal after a few passes; a count kept in the state
 * would be a new constant each call and the verification would not end.
 */
static void record(struct ir_func *f, int v)
{
	ir_ldx(f, 8, R3, R6, S_IDX);
	ir_alui(f, BPF_AND, R3, STACK_MAX_FRAMES);	/* < 128: the verifier's bound (the caller checked < 127) */
	ir_mov(f, R2, R6);
	ir_alui(f, BPF_ADD, R2, -FRAMES_BYTES);
	ir_mov(f, R4, R3);
	ir_alui(f, BPF_ADD, R4, 1);
	ir_stx(f, 8, R6, S_NR, R4);
	ir_stx(f, 8, R2, 0, R4);	/* the main program reads the count here (see lower_unwind) */
	ir_alui(f, BPF_LSH, R3, 3);
	ir_alu(f, BPF_ADD, R2, R3);
	ir_stx(f, 8, R2, 8, v);
}

/*
 * Both searches are binary lifting, unrolled: base starts at the first
 * entry and takes each power-of-two step whose entry still starts at or
 * below pc. No loop and no comparison of indices the verifier could
 * decide: a decided comparison marks the indices precise, and precise
 * indices split the callback into states it never finds equal.
 */

/* R9 = the mapping holding pc R8 (a pointer into the proc value); else to l_outside when the
 * process has mappings, none of them pc's, or to l_none */
static void find_mapping(struct ir_func *f, int procs_fd, int l_none, int l_outside)
{
	ir_ldx(f, 8, R1, R6, S_PID);
	ir_stx(f, 8, R6, S_TMP, R1);
	ir_call_begin(f);
	ir_ld_map(f, R1, procs_fd);
	ir_mov(f, R2, R6);
	ir_alui(f, BPF_ADD, R2, S_TMP);
	ir_call(f, BPF_FUNC_map_lookup_elem);
	ir_jmpi(f, BPF_JEQ, R0, 0, l_none);
	ir_mov(f, R9, R0);
	ir_ldx(f, 4, R2, R9, offsetof(struct unw_proc, n));
	ir_jmpi(f, BPF_JEQ, R2, 0, l_none);
	ir_movi(f, R1, 0);	/* base */
	for (int step = UNW_MAX_MAPS / 2; step >= 1; step /= 2) {
		int l_next = ir_new_label(f);
		ir_mov(f, R3, R1);
		ir_alui(f, BPF_ADD, R3, step);
		ir_jmp(f, BPF_JGE, R3, R2, l_next);
		ir_alui(f, BPF_AND, R3, UNW_MAX_MAPS - 1);
		ir_alui(f, BPF_MUL, R3, sizeof(struct unw_map));
		ir_alu(f, BPF_ADD, R3, R9);
		ir_ldx(f, 8, R4, R3, offsetof(struct unw_proc, m) + offsetof(struct unw_map, start));
		ir_jmp(f, BPF_JGT, R4, R8, l_next);
		ir_alui(f, BPF_ADD, R1, step);
		ir_label(f, l_next);
	}
	ir_alui(f, BPF_AND, R1, UNW_MAX_MAPS - 1);
	ir_alui(f, BPF_MUL, R1, sizeof(struct unw_map));
	ir_alu(f, BPF_ADD, R9, R1);
	ir_alui(f, BPF_ADD, R9, offsetof(struct unw_proc, m));
	ir_ldx(f, 8, R5, R9, offsetof(struct unw_map, start));
	ir_jmp(f, BPF_JGT, R5, R8, l_outside);	/* below the first mapping */
	ir_ldx(f, 8, R5, R9, offsetof(struct unw_map, end));
	ir_jmp(f, BPF_JGE, R8, R5, l_outside);
}

/* R0 = the row at index S_TMP (the rows map's element), or to l_stop */
static void row_at(struct ir_func *f, int rows_fd, int l_stop)
{
	ir_call_begin(f);
	ir_ld_map(f, R1, rows_fd);
	ir_mov(f, R2, R6);
	ir_alui(f, BPF_ADD, R2, S_TMP);
	ir_call(f, BPF_FUNC_map_lookup_elem);
	ir_jmpi(f, BPF_JEQ, R0, 0, l_stop);
}

/* R0 = the row for file pc R8 in [R7, R9), or to l_none (no row at or below pc) */
static void find_row(struct ir_func *f, int rows_fd, int l_none, int l_stop)
{
	ir_stx(f, 8, R6, S_FIRST, R7);	/* base */
	for (int step = 1 << (ROW_STEPS - 1); step >= 1; step /= 2) {
		int l_next = ir_new_label(f);
		ir_ldx(f, 8, R7, R6, S_FIRST);
		ir_alui(f, BPF_ADD, R7, step);
		ir_jmp(f, BPF_JGE, R7, R9, l_next);
		ir_st(f, 8, R6, S_TMP, 0);
		ir_stx(f, 4, R6, S_TMP, R7);
		row_at(f, rows_fd, l_stop);
		ir_ldx(f, 4, R1, R0, offsetof(struct unw_row, pc));
		ir_jmp(f, BPF_JGT, R1, R8, l_next);
		ir_stx(f, 8, R6, S_FIRST, R7);
		ir_label(f, l_next);
	}
	ir_ldx(f, 8, R7, R6, S_FIRST);
	ir_st(f, 8, R6, S_TMP, 0);
	ir_stx(f, 4, R6, S_TMP, R7);
	row_at(f, rows_fd, l_stop);
	ir_ldx(f, 4, R1, R0, offsetof(struct unw_row, pc));
	ir_jmp(f, BPF_JGT, R1, R8, l_none);
}

/* Every return leaves the search's slots alike. */
static void leave(struct ir_func *f, int rc)
{
	ir_st(f, 8, R6, S_TMP, 0);
	ir_st(f, 8, R6, S_FIRST, 0);
	ir_movi(f, R0, rc);
	ir_exit(f);
}

/* flags |= on, then &= ~off: one load and one store */
static void set_flags(struct ir_func *f, int on, int off)
{
	ir_ldx(f, 8, R1, R6, S_FLAGS);
	if (on)
		ir_alui(f, BPF_OR, R1, on);
	if (off)
		ir_alui(f, BPF_AND, R1, ~off);
	ir_stx(f, 8, R6, S_FLAGS, R1);
}

static void set_flag(struct ir_func *f, int flag, int on)
{
	set_flags(f, on ? flag : 0, on ? 0 : flag);
}

/* long callback(u64 index, struct state *st): 0 walks on, 1 stops */
static void build_callback(struct ir_func *f, const struct codegen_env *env)
{
	int l_stop = ir_new_label(f), l_leaf_other = ir_new_label(f), l_fp = ir_new_label(f),
	    l_fp_marked = ir_new_label(f), l_no_map = ir_new_label(f), l_signal = ir_new_label(f),
	    l_cfa = ir_new_label(f), l_rbp = ir_new_label(f), l_plt = ir_new_label(f), l_step = ir_new_label(f),
	    l_keep_bp = ir_new_label(f), l_plt_done = ir_new_label(f), l_deref = ir_new_label(f),
	    l_rsp8 = ir_new_label(f);
	int l_fp_now = ir_new_label(f), l_frame = ir_new_label(f), l_outside = ir_new_label(f);
	ir_ldx(f, 8, R6, R2, 0);	/* the state */
	/* the slot: bounded by the frames wanted and by the buffer */
	ir_ldx(f, 8, R2, R6, S_LIMIT);
	ir_jmp(f, BPF_JGE, R1, R2, l_stop);
	ir_jmpi(f, BPF_JGE, R1, STACK_MAX_FRAMES, l_stop);
	ir_stx(f, 8, R6, S_IDX, R1);
	ir_ldx(f, 8, R1, R6, S_FLAGS);
	ir_alui(f, BPF_AND, R1, F_MARK_NOW);
	ir_jmpi(f, BPF_JEQ, R1, 0, l_frame);
	/* the marker, then the rbp step from the frame whose CFI failed */
	set_flag(f, F_MARK_NOW, 0);
	ir_movi(f, R1, (int64_t)UNW_FP_MARKER);
	record(f, R1);
	ir_ja(f, l_fp_now);
	ir_label(f, l_frame);
	ir_ldx(f, 8, R1, R6, S_IP);
	ir_jmpi(f, BPF_JEQ, R1, 0, l_stop);
	record(f, R1);
	/* the pc to look up: a return address is one past its call, which may end a function */
	ir_ldx(f, 8, R8, R6, S_IP);
	ir_ldx(f, 8, R1, R6, S_FLAGS);
	ir_alui(f, BPF_AND, R1, F_CALLER);
	ir_alu(f, BPF_SUB, R8, R1);
	find_mapping(f, env->unw_procs_fd, l_no_map, l_outside);
	ir_ldx(f, 4, R1, R9, offsetof(struct unw_map, kind));
	ir_jmpi(f, BPF_JNE, R1, UNW_MAP_CFI, l_leaf_other);
	ir_ldx(f, 8, R1, R9, offsetof(struct unw_map, bias));
	ir_alu(f, BPF_SUB, R8, R1);
	ir_ldx(f, 4, R7, R9, offsetof(struct unw_map, first));
	ir_ldx(f, 4, R1, R9, offsetof(struct unw_map, count));
	ir_mov(f, R9, R7);
	ir_alu(f, BPF_ADD, R9, R1);
	find_row(f, env->unw_rows_fd, l_fp_marked, l_stop);
	/* R7 = kind, R8 = bp8 (signed), R9 = off (signed) */
	ir_ldx(f, 1, R7, R0, offsetof(struct unw_row, kind));
	ir_ldx(f, 1, R8, R0, offsetof(struct unw_row, bp8));
	ir_alui(f, BPF_LSH, R8, 56);
	ir_alui(f, BPF_ARSH, R8, 56);
	ir_ldx(f, 2, R9, R0, offsetof(struct unw_row, off));
	ir_alui(f, BPF_LSH, R9, 48);
	ir_alui(f, BPF_ARSH, R9, 48);
	ir_jmpi(f, BPF_JEQ, R7, UNW_RSP, l_cfa);
	ir_jmpi(f, BPF_JEQ, R7, UNW_RBP, l_rbp);
	ir_jmpi(f, BPF_JEQ, R7, UNW_PLT, l_plt);
	ir_jmpi(f, BPF_JEQ, R7, UNW_SIGNAL, l_signal);
	ir_jmpi(f, BPF_JEQ, R7, UNW_END, l_stop);
	ir_jmpi(f, BPF_JEQ, R7, UNW_DEREF, l_deref);
	ir_jmpi(f, BPF_JEQ, R7, UNW_RSP8, l_rsp8);
	ir_ja(f, l_fp_marked);		/* no CFI here, or an expression */

	/* CFA = rsp + 8 * off, then as rsp + off */
	ir_label(f, l_rsp8);
	ir_alui(f, BPF_LSH, R9, 3);
	/* CFA = rsp + off */
	ir_label(f, l_cfa);
	ir_ldx(f, 8, R1, R6, S_SP);
	ir_alu(f, BPF_ADD, R9, R1);
	ir_ja(f, l_step);
	/* CFA = rbp + off */
	ir_label(f, l_rbp);
	ir_ldx(f, 8, R1, R6, S_BP);
	ir_alu(f, BPF_ADD, R9, R1);
	ir_ja(f, l_step);
	/* the PLT: rsp + 8, + 8 when (ip & 15) >= off */
	ir_label(f, l_plt);
	ir_ldx(f, 8, R1, R6, S_IP);
	ir_alui(f, BPF_AND, R1, 15);
	ir_ldx(f, 8, R2, R6, S_SP);
	ir_alui(f, BPF_ADD, R2, 8);
	ir_jmp(f, BPF_JLT, R1, R9, l_plt_done);
	ir_alui(f, BPF_ADD, R2, 8);
	ir_label(f, l_plt_done);
	ir_mov(f, R9, R2);
	ir_ja(f, l_step);
	/* a realigned frame (DRAP): CFA = *(rbp + off); the caller's rbp = *(rbp + 8 * bp8), taken here */
	ir_label(f, l_deref);
	ir_ldx(f, 8, R1, R6, S_BP);
	ir_alu(f, BPF_ADD, R9, R1);
	read_user(f, R9, R9, 0, l_stop);
	ir_ldx(f, 8, R1, R6, S_BP);
	ir_alui(f, BPF_LSH, R8, 3);
	ir_alu(f, BPF_ADD, R8, R1);
	read_user(f, R1, R8, 0, l_stop);
	ir_stx(f, 8, R6, S_BP, R1);
	ir_movi(f, R8, 0);	/* rbp is done: the step below keeps it */

	/* R9 = CFA: the caller's rsp; its ip at CFA - 8; rbp at CFA + 8 * bp8 when saved */
	ir_label(f, l_step);
	ir_ldx(f, 8, R1, R6, S_SP);
	ir_jmp(f, BPF_JLE, R9, R1, l_stop);	/* a caller's frame is above: never loop */
	read_user(f, R1, R9, -8, l_stop);
	ir_stx(f, 8, R6, S_IP, R1);
	ir_jmpi(f, BPF_JEQ, R8, 0, l_keep_bp);
	ir_alui(f, BPF_LSH, R8, 3);
	ir_alu(f, BPF_ADD, R8, R9);
	read_user(f, R1, R8, 0, l_stop);
	ir_stx(f, 8, R6, S_BP, R1);
	ir_label(f, l_keep_bp);
	ir_stx(f, 8, R6, S_SP, R9);
	set_flags(f, F_CALLER, F_BY_FP);
	leave(f, 0);

	/* __restore_rt: rsp points at the ucontext; its mcontext has rbp, rsp, rip */
	ir_label(f, l_signal);
	ir_ldx(f, 8, R9, R6, S_SP);
	read_user(f, R1, R9, 40 + 80, l_stop);
	ir_stx(f, 8, R6, S_BP, R1);
	read_user(f, R1, R9, 40 + 128, l_stop);
	ir_stx(f, 8, R6, S_IP, R1);
	read_user(f, R1, R9, 40 + 120, l_stop);
	ir_stx(f, 8, R6, S_SP, R1);
	set_flags(f, 0, F_CALLER | F_BY_FP);	/* the interrupted instruction itself */
	leave(f, 0);

	/*
	 * Outside every mapping the process had when it was loaded: code it
	 * mapped since (dlopen) or JIT code. An ip from the registers or from
	 * CFI is no garbage: ask user space to read the mappings again (it
	 * does so at most once a second per process).
	 */
	ir_label(f, l_outside);
	ir_ldx(f, 8, R1, R6, S_FLAGS);
	ir_alui(f, BPF_AND, R1, F_BY_FP);
	ir_jmpi(f, BPF_JNE, R1, 0, l_no_map);
	ir_call_begin(f);
	ir_ld_map(f, R1, env->unw_pending_fd);
	ir_mov(f, R2, R6);
	ir_alui(f, BPF_ADD, R2, S_PID);
	ir_mov(f, R3, R6);
	ir_alui(f, BPF_ADD, R3, S_TMP);
	ir_movi(f, R4, BPF_NOEXIST);
	ir_call(f, BPF_FUNC_map_update_elem);
	/* no mapping: JIT code or garbage; the leaf takes the old way */
	ir_label(f, l_no_map);
	/* a mapping without CFI: the leaf takes the old way (Go's and JIT's special cases), callers step by rbp */
	ir_label(f, l_leaf_other);
	ir_ldx(f, 8, R1, R6, S_IDX);
	ir_jmpi(f, BPF_JNE, R1, 0, l_fp);
	ir_st(f, 8, R6, S_STATUS, 1);
	ir_ja(f, l_stop);

	/* a CFI file without a usable row here: say (once) that the rest comes from rbp, in the next slot */
	ir_label(f, l_fp_marked);
	ir_ldx(f, 8, R1, R6, S_FLAGS);
	ir_alui(f, BPF_AND, R1, F_MARKED);
	ir_jmpi(f, BPF_JNE, R1, 0, l_fp);
	set_flag(f, F_MARKED | F_MARK_NOW, 1);
	leave(f, 0);

	/* rbp → [saved rbp, return address] */
	ir_label(f, l_fp);
	ir_label(f, l_fp_now);
	ir_ldx(f, 8, R9, R6, S_BP);
	ir_ldx(f, 8, R1, R6, S_SP);
	ir_jmp(f, BPF_JLT, R9, R1, l_stop);	/* a frame is above the stack pointer, or rbp is not a frame */
	read_user(f, R1, R9, 8, l_stop);
	ir_stx(f, 8, R6, S_IP, R1);
	read_user(f, R1, R9, 0, l_stop);
	ir_stx(f, 8, R6, S_BP, R1);
	ir_alui(f, BPF_ADD, R9, 16);
	ir_stx(f, 8, R6, S_SP, R9);
	set_flag(f, F_CALLER | F_BY_FP, 1);
	leave(f, 0);

	ir_label(f, l_stop);
	leave(f, 1);
}

int unwind_append_callback(const struct codegen_env *env, struct emitted *out, char *err, size_t errlen)
{
	struct ir_func f = { 0 };
	build_callback(&f, env);
	struct emitted cb = { 0 };
	int rc = ir_emit(&f, &cb);
	free(f.insns.v);
	if (rc) {
		snprintf(err, errlen, "the stack walk's callback does not encode");
		free(cb.insns);
		free(cb.spans);
		return -1;
	}
	int at = out->n;
	for (int k = 0; k < at; k++)
		if (out->insns[k].code == (BPF_LD | BPF_DW | BPF_IMM) && out->insns[k].src_reg == BPF_PSEUDO_FUNC &&
		    out->insns[k].imm == 0)	/* not a map loop's callback (formap.c placed those) */
			out->insns[k].imm = at - k - 1;
	out->insns = xrealloc(out->insns, (size_t)(at + cb.n) * sizeof(*out->insns));
	out->spans = xrealloc(out->spans, (size_t)(at + cb.n) * sizeof(*out->spans));
	for (int k = 0; k < cb.n; k++) {
		out->insns[at + k] = cb.insns[k];
		out->spans[at + k] = at ? out->spans[at - 1] : (struct span){ 0 };
	}
	out->n = at + cb.n;
	out->sub_at = at;
	free(cb.insns);
	free(cb.spans);
	return 0;
}
