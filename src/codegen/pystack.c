/*
 * Python frames in a user stack (CPython; layouts in python/offsets.c,
 * shared shapes in python/layout.h). After the native walk, for a process
 * whose sonde_py_procs entry names an interpreter: find the current
 * thread's PyThreadState in the interpreter's thread list (its
 * native_thread_id is the tid in the process's pid namespace), then follow cframe->current_frame and each
 * frame's `previous`, appending one tagged word per frame (code object,
 * entry flag, code unit) after the native frames. User space names the
 * code objects and puts each run of Python frames in place of the
 * interpreter's native frame (python/merge.c). Every offset comes from the
 * map entry, so the program holds no version's layout. Both loops are
 * bounded by constants: PY_MAX_THREADS threads, the stack's frame limit.
 */
#include "lower.h"
#include "../python/layout.h"
#include <stddef.h>

/* dst = *(u64 *)(addr + the u32 field at P + field), or to l_fail */
static void read_at(struct lower *L, int tmp, int dst, int addr, int P, int field, int l_fail)
{
	struct ir_func *f = L->f;
	int a = ir_vreg(f), o = ir_vreg(f);
	ir_ldx(f, 4, o, P, (int16_t)field);
	ir_mov(f, a, addr);
	ir_alu(f, BPF_ADD, a, o);
	int rc = helper_call(L, BPF_FUNC_probe_read_user, 3, (struct harg[]){ HFP(tmp), HIMM(8), HREG(a) });
	ir_jmpi(f, BPF_JNE, rc, 0, l_fail);
	ir_ldx(f, 8, dst, FP, (int16_t)tmp);
}

/*
 * dst = the size-byte field at window + (the u32 at P + field), the window
 * being map memory (scratch): the offset is masked to 0..63 so the verifier
 * sees the load inside the walk state that holds the window.
 */
static void window_field(struct lower *L, int dst, int win, int P, int field, int size)
{
	struct ir_func *f = L->f;
	int p = ir_vreg(f), o = ir_vreg(f);
	ir_ldx(f, 4, o, P, (int16_t)field);
	ir_alui(f, BPF_AND, o, 63);
	ir_mov(f, p, RSCRATCH);
	ir_alui(f, BPF_ADD, p, win + SCRATCH_BIAS);
	ir_alu(f, BPF_ADD, p, o);
	ir_ldx(f, size, dst, p, 0);
}

int lower_pystack(struct lower *L, int buf, int nr, int limit)
{
	struct ir_func *f = L->f;
	const struct codegen_env *env = L->env;
	/* the frame window goes where the CFI walk kept its state (done by now): scratch, 64 + 8 bytes at most read */
	_Static_assert(UNWIND_STATE_SIZE >= 64 + 8 && PY_FRAME_WINDOW <= 64, "the window fits the walk's state");
	if (env->py_procs_fd < 0 || buf >= SCRATCH_MARK)
		return nr;	/* (a stack budget so large the buffer is on the stack: native frames only) */
	int win = buf + 8 * (1 + STACK_MAX_FRAMES);
	int out = ir_vreg(f), l_done = ir_new_label(f);
	ir_mov(f, out, nr);
	int key = slot_alloc_stack(L, 8), tmp = slot_alloc_stack(L, 8);
	int tgid = helper_call(L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
	int tid = ir_vreg(f);
	ir_mov(f, tid, tgid);
	ir_alui(f, BPF_LSH, tid, 32);
	ir_alui(f, BPF_RSH, tid, 32);
	ir_alui(f, BPF_RSH, tgid, 32);
	ir_stx(f, 8, FP, (int16_t)key, tgid);
	int rc, P = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(env->py_procs_fd), HFP(key) });
	if (env->unw_pending_fd >= 0) {
		/* not loaded yet (a ustack(python) takes no native walk, which would have asked): ask user space */
		int l_known = ir_new_label(f);
		ir_jmpi(f, BPF_JNE, P, 0, l_known);
		ir_st(f, 8, FP, (int16_t)tmp, 0);
		helper_call(L, BPF_FUNC_map_update_elem, 4,
			    (struct harg[]){ HMAP(env->unw_pending_fd), HFP(key), HFP(tmp), HIMM(BPF_NOEXIST) });
		ir_ja(f, l_done);
		ir_label(f, l_known);
	} else {
		ir_jmpi(f, BPF_JEQ, P, 0, l_done);
	}
	int head = ir_vreg(f), ts = ir_vreg(f), v = ir_vreg(f);
	ir_ldx(f, 8, head, P, offsetof(struct py_proc, interp_head));
	ir_jmpi(f, BPF_JEQ, head, 0, l_done);	/* not Python: one lookup, and out */
	/* a process in another pid namespace: its threads know their tids there */
	int l_same_ns = ir_new_label(f), ino = ir_vreg(f), dev = ir_vreg(f);
	ir_ldx(f, 8, ino, P, offsetof(struct py_proc, ns_ino));
	ir_jmpi(f, BPF_JEQ, ino, 0, l_same_ns);
	ir_ldx(f, 8, dev, P, offsetof(struct py_proc, ns_dev));
	rc = helper_call(L, BPF_FUNC_get_ns_current_pid_tgid, 4,
			 (struct harg[]){ HREG(dev), HREG(ino), HFP(tmp), HIMM(8) });
	ir_jmpi(f, BPF_JNE, rc, 0, l_done);
	ir_ldx(f, 4, tid, FP, (int16_t)tmp);	/* struct bpf_pidns_info: {u32 pid (the thread), u32 tgid} */
	ir_label(f, l_same_ns);
	rc = helper_call(L, BPF_FUNC_probe_read_user, 3, (struct harg[]){ HFP(tmp), HIMM(8), HREG(head) });
	ir_jmpi(f, BPF_JNE, rc, 0, l_done);
	ir_ldx(f, 8, v, FP, (int16_t)tmp);
	ir_jmpi(f, BPF_JEQ, v, 0, l_done);	/* no interpreter yet, or finalized */
	read_at(L, tmp, ts, v, P, offsetof(struct py_proc, threads), l_done);

	/* the thread list: the entry whose native_thread_id is this thread */
	int j = ir_vreg(f), code = ir_vreg(f), w = ir_vreg(f), u = ir_vreg(f), p = ir_vreg(f), fr = ir_vreg(f);
	int l_floop = ir_new_label(f), l_fend = ir_new_label(f), l_store = ir_new_label(f), l_many = ir_new_label(f);
	ir_movi(f, j, 0);
	int t = ir_vreg(f), l_tloop = ir_new_label(f), l_found = ir_new_label(f);
	ir_movi(f, t, 0);
	ir_label(f, l_tloop);
	ir_jmpi(f, BPF_JGE, t, PY_MAX_THREADS, l_many);
	ir_jmpi(f, BPF_JEQ, ts, 0, l_done);
	read_at(L, tmp, v, ts, P, offsetof(struct py_proc, ts_tid), l_done);
	ir_jmp(f, BPF_JEQ, v, tid, l_found);
	read_at(L, tmp, ts, ts, P, offsetof(struct py_proc, ts_next), l_done);
	ir_alui(f, BPF_ADD, t, 1);
	ir_ja(f, l_tloop);

	ir_label(f, l_found);
	read_at(L, tmp, v, ts, P, offsetof(struct py_proc, ts_cframe), l_done);
	ir_jmpi(f, BPF_JEQ, v, 0, l_done);
	read_at(L, tmp, fr, v, P, offsetof(struct py_proc, cf_frame), l_done);

	/* the frames, leaf first: buf[1 + out] = tag(code, entry, code unit); each frame one read */
	ir_label(f, l_floop);
	ir_jmpi(f, BPF_JGE, j, limit, l_fend);
	ir_jmpi(f, BPF_JGE, out, limit, l_fend);
	ir_jmpi(f, BPF_JEQ, fr, 0, l_fend);
	int a = ir_vreg(f);
	ir_ldx(f, 4, a, P, offsetof(struct py_proc, fr_window));
	ir_alu(f, BPF_ADD, a, fr);
	int l_bad = ir_new_label(f);
	rc = helper_call(L, BPF_FUNC_probe_read_user, 3, (struct harg[]){ HFP(win), HIMM(PY_FRAME_WINDOW), HREG(a) });
	ir_jmpi(f, BPF_JNE, rc, 0, l_bad);
	window_field(L, code, win, P, offsetof(struct py_proc, fr_code), 8);
	ir_jmpi(f, BPF_JEQ, code, 0, l_fend);
	ir_mov(f, w, code);
	ir_movi(f, v, (int64_t)PY_CODE_MASK);
	ir_alu(f, BPF_AND, w, v);
	ir_movi(f, v, (int64_t)PY_FRAME_BIT);
	ir_alu(f, BPF_OR, w, v);
	/* the code unit: (prev_instr − &co_code_adaptive) / 2; a new frame's is before the first */
	int l_unit = ir_new_label(f), l_noentry = ir_new_label(f);
	window_field(L, u, win, P, offsetof(struct py_proc, fr_instr), 8);
	ir_alu(f, BPF_SUB, u, code);
	ir_ldx(f, 4, v, P, offsetof(struct py_proc, co_code));
	ir_alu(f, BPF_SUB, u, v);
	ir_alui(f, BPF_ARSH, u, 1);
	ir_jmpi(f, BPF_JLT, u, (int32_t)PY_NO_INSTR, l_unit);	/* unsigned: a negative one is past it too */
	ir_movi(f, u, (int64_t)PY_NO_INSTR);
	ir_label(f, l_unit);
	ir_alui(f, BPF_LSH, u, PY_INSTR_SHIFT);
	ir_alu(f, BPF_OR, w, u);
	window_field(L, v, win, P, offsetof(struct py_proc, fr_entry), 1);
	ir_jmpi(f, BPF_JEQ, v, 0, l_noentry);
	ir_movi(f, v, (int64_t)PY_ENTRY_BIT);
	ir_alu(f, BPF_OR, w, v);
	ir_label(f, l_noentry);
	window_field(L, fr, win, P, offsetof(struct py_proc, fr_previous), 8);
	ir_ja(f, l_store);
	/* a frame that cannot be read is said, and ends the walk */
	ir_label(f, l_bad);
	ir_movi(f, w, (int64_t)PY_BAD_FRAME);
	ir_movi(f, fr, 0);
	ir_ja(f, l_store);
	/* more threads than the walk looks through: said in one frame, not left out silently */
	ir_label(f, l_many);
	ir_jmpi(f, BPF_JGE, out, limit, l_done);
	ir_movi(f, w, (int64_t)PY_MANY_THREADS);
	ir_movi(f, fr, 0);
	/* the slot: out < limit ≤ STACK_MAX_FRAMES, masked for the verifier */
	ir_label(f, l_store);
	int q = ir_vreg(f);
	ir_mov(f, p, RSCRATCH);
	ir_alui(f, BPF_ADD, p, buf + SCRATCH_BIAS + 8);
	ir_mov(f, q, out);
	ir_alui(f, BPF_AND, q, STACK_MAX_FRAMES);
	ir_alui(f, BPF_LSH, q, 3);
	ir_alu(f, BPF_ADD, p, q);
	ir_stx(f, 8, p, 0, w);
	ir_alui(f, BPF_ADD, out, 1);
	ir_alui(f, BPF_ADD, j, 1);
	ir_ja(f, l_floop);
	ir_label(f, l_fend);
	ir_label(f, l_done);
	return out;
}
