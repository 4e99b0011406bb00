/* Calls that talk to user space: records {u64 id, args…} through the ring buffer. */
#include "lower.h"
#include <string.h>

/*
 * A record ending in a string is cut after the string's last non-zero word:
 * records carry the bytes used, not the full string size. The size register
 * takes one of a few constants, so the verifier knows its bounds.
 */
static int trimmed_size(struct lower *L, int off, const struct record *r)
{
	struct ir_func *f = L->f;
	int size = ir_vreg(f), l_done = ir_new_label(f);
	int str = off + r->tail_str_off;
	ir_movi(f, size, r->tail_str_off + 8);	/* an empty string still sends its NUL word */
	for (int k = sonde_strlen / 8 - 1; k >= 1; k--) {
		int w = ir_vreg(f), l_next = ir_new_label(f);
		ir_ldx(f, 8, w, FP, (int16_t)(str + 8 * k));
		ir_jmpi(f, BPF_JEQ, w, 0, l_next);
		ir_movi(f, size, r->tail_str_off + 8 * (k + 1));
		ir_ja(f, l_done);
		ir_label(f, l_next);
	}
	ir_label(f, l_done);
	return size;
}

/* Sends the record at frame offset off; a full buffer counts one lost event. */
static void output(struct lower *L, int off, const struct record *r)
{
	struct ir_func *f = L->f;
	int size = r->tail_str_off >= 0 ? trimmed_size(L, off, r) : -1;
	/*
	 * No wake-up per event: user space polls on a timer, unless the buffer
	 * fills up. Asking how full it is reads the consumer's position, a cache
	 * line user space writes from another CPU (~300 ns a query here), so
	 * only one record in 64, picked at random, asks.
	 */
	int flags = ir_vreg(f), l_quiet = ir_new_label(f);
	ir_movi(f, flags, BPF_RB_NO_WAKEUP);
	int dice = helper_call(L, BPF_FUNC_get_prandom_u32, 0, NULL);
	ir_alui(f, BPF_AND, dice, 63);
	ir_jmpi(f, BPF_JNE, dice, 0, l_quiet);
	int avail = helper_call(L, BPF_FUNC_ringbuf_query, 2,
				(struct harg[]){ HMAP(L->env->ringbuf_fd), HIMM(BPF_RB_AVAIL_DATA) });
	ir_jmpi(f, BPF_JLT, avail, (int32_t)L->env->ringbuf_wake_bytes, l_quiet);
	ir_movi(f, flags, BPF_RB_FORCE_WAKEUP);
	ir_label(f, l_quiet);
	int rc = helper_call(L, BPF_FUNC_ringbuf_output, 4,
			     (struct harg[]){ HMAP(L->env->ringbuf_fd), HFP(off),
					      size >= 0 ? HREG(size) : HIMM(r->size), HREG(flags) });
	int l_ok = ir_new_label(f);
	ir_jmpi(f, BPF_JEQ, rc, 0, l_ok);
	int key = slot_alloc(L, 8);
	ir_st(f, 8, FP, (int16_t)key, 0);
	int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->lost_fd), HFP(key) });
	ir_jmpi(f, BPF_JEQ, p, 0, l_ok);
	int t = ir_vreg(f);
	ir_ldx(f, 8, t, p, 0);
	ir_alui(f, BPF_ADD, t, 1);
	ir_stx(f, 8, p, 0, t);
	ir_label(f, l_ok);
}

/* join(): up to JOIN_MAX_ARGS strings of a NULL-terminated user array, read in BPF. */
static void lower_join(struct lower *L, struct node *call, int off)
{
	struct ir_func *f = L->f;
	int arr = ir_vreg(f), l_done = ir_new_label(f);
	int ptr_slot = slot_alloc_stack(L, 8);
	ir_mov(f, arr, lower_scalar(L, call->list));
	for (int i = 0; i < JOIN_MAX_ARGS; i++) {
		int addr = ir_vreg(f);
		ir_mov(f, addr, arr);
		ir_alui(f, BPF_ADD, addr, i * 8);
		ir_st(f, 8, FP, (int16_t)ptr_slot, 0);
		read_into(L, BPF_FUNC_probe_read_user, HFP(ptr_slot), HIMM(8), addr);
		int p = ir_vreg(f);
		ir_ldx(f, 8, p, FP, (int16_t)ptr_slot);
		ir_jmpi(f, BPF_JEQ, p, 0, l_done);
		read_into(L, BPF_FUNC_probe_read_user_str, HFP(off + 16 + i * sonde_strlen), HIMM(sonde_strlen), p);
		ir_st(f, 8, FP, (int16_t)(off + 8), i + 1);
	}
	ir_label(f, l_done);
}

void lower_record_call(struct lower *L, struct node *call)
{
	const char *fn = call->name;
	if (!strcmp(fn, "delete")) {
		lower_delete(L, call);
		return;
	}
	struct record *r = L->s->records.v[call->id];
	int off = slot_alloc(L, r->size);
	/*
	 * Every argument writes all of its 8-aligned bytes, so only join(), whose
	 * strings are read to their NUL, needs the record zeroed first.
	 */
	if (r->kind == REC_JOIN)
		zero_slot(L, off, r->size);
	ir_st(L->f, 8, FP, (int16_t)off, r->id);
	struct node *a = call->list;
	if (r->kind == REC_PRINTF)
		a = a->next;	/* the format stays in user space */
	if (r->kind == REC_JOIN)
		lower_join(L, call, off);
	if (r->kind == REC_PRINTF || r->kind == REC_PRINT_VAL || r->kind == REC_EXIT) {
		for (int i = 0; i < r->nargs; i++, a = a ? a->next : NULL) {
			if (a)
				store_value(L, a, r->args[i], off + r->offs[i]);
			else	/* exit() without a code */
				ir_st(L->f, 8, FP, (int16_t)(off + r->offs[i]), 0);
		}
	}
	output(L, off, r);
	if (r->kind == REC_EXIT) {
		/* Also in a map: a full ring buffer must not lose the request to stop. */
		int key = slot_alloc(L, 8);
		ir_st(L->f, 8, FP, (int16_t)key, 0);
		int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->exit_fd), HFP(key) });
		ir_jmpi(L->f, BPF_JEQ, p, 0, L->l_exit);
		int code = ir_vreg(L->f);
		ir_ldx(L->f, 8, code, FP, (int16_t)(off + r->offs[0]));
		ir_stx(L->f, 8, p, 8, code);
		ir_st(L->f, 8, p, 0, 1);
		ir_ja(L->f, L->l_exit);	/* exit() ends the block too */
	}
}
