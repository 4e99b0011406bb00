/*
 * Values that live in memory: strings, buffers, tuples, addresses (ntop,
 * usym) and what struct fields and tracepoint fields read, in frame slots
 * zero-filled so equal values have equal bytes.
 */
#include "lower.h"
#include <string.h>
#include <sys/socket.h>

/* Reads `size` bytes of kernel memory at addr into a fresh slot. */
static int read_mem(struct lower *L, int addr, int size, int user)
{
	int off = slot_alloc(L, size);
	zero_slot(L, off, (int)ALIGN8((size_t)size));
	read_into(L, user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, HFP(off), HIMM(size), addr);
	return off;
}

/* Whether a place is inside a value copied into a variable or map (its bytes are on the BPF stack). */
static int in_held_value(const struct node *n)
{
	while ((n->kind == N_FIELD && !n->arrow && n->a->type && n->a->type->kind == TY_STRUCT) ||
	       (n->kind == N_INDEX && n->a->type && n->a->type->kind == TY_ARRAY))
		n = n->a;
	return n->type && n->type->held;
}

/* A field of a struct typed by DWARF, or laid over user memory, lives in the traced process; others in the kernel. */
int lower_field_in_user_mem(const struct node *n)
{
	return (n->kind == N_FIELD || n->kind == N_INDEX) && n->a->type && n->a->type->user_mem && !in_held_value(n->a);
}

int read_kernel_scalar(struct lower *L, int addr, const struct type *t, int user)
{
	int size = t->kind == TY_INT ? t->size : 8;
	int off = read_mem(L, addr, size, user);
	int v = ir_vreg(L->f);
	ir_ldx(L->f, size, v, FP, (int16_t)off);
	if (t->kind == TY_INT)
		lower_extend(L, v, size, t->is_signed);
	return v;
}

static void read_str_into(struct lower *L, int helper, int addr, int maxlen, int off)
{
	zero_slot(L, off, sonde_strlen);
	read_into(L, helper, HFP(off), HIMM(maxlen), addr);
}

/* Address of a kernel struct or array value (x->s, x->arr, y.z). */
int lower_addr(struct lower *L, struct node *n)
{
	if (n->kind == N_CALL && !strcmp(n->name, "pton"))
		return lower_pton_addr(L, n);
	if (n->kind == N_TUPLE_ELEM && n->type->kind == TY_ARRAY)	/* an array held in a tuple: its copy's address */
		return slot_addr(L, lower_mem(L, n));
	if (n->kind == N_FIELD && n->a->type->kind == TY_ARGS)
		return lower_ctx_addr(L, lower_ctx_of(L, n));	/* a tracepoint's array field */
	if (n->kind == N_FIELD) {
		int base = n->arrow ? lower_scalar(L, n->a) : lower_addr(L, n->a);
		int v = ir_vreg(L->f);
		ir_mov(L->f, v, base);
		ir_alui(L->f, BPF_ADD, v, (int32_t)n->ival);
		return v;
	}
	if (n->kind == N_INDEX) {
		const struct type *at = n->a->type;
		int base = at->kind == TY_PTR ? lower_scalar(L, n->a) : lower_addr(L, n->a);
		int idx = lower_scalar(L, n->b);
		int esize = at->kind == TY_ARRAY && at->elem_size ? at->elem_size :
			    n->type->kind == TY_INT ? n->type->size : n->type->size ? n->type->size : 8;
		int v = ir_vreg(L->f);
		ir_mov(L->f, v, idx);
		ir_alui(L->f, BPF_MUL, v, esize);
		ir_alu(L->f, BPF_ADD, v, base);
		if (at->kind == TY_ARRAY && at->array_len > 0 && n->b->kind != N_INT) {
			/* an index past the end reads address 0: the read fails and gives 0, never a neighbour's bytes */
			int ok = ir_new_label(L->f);
			ir_jmpi(L->f, BPF_JLT, idx, at->array_len, ok);
			ir_movi(L->f, v, 0);
			ir_label(L->f, ok);
		}
		return v;
	}
	if ((n->type->kind == TY_ARRAY || n->type->kind == TY_STRUCT) && n->type->held)	/* a copy: in its slot */
		return slot_addr(L, lower_mem(L, n));	/* on the stack or in the scratch map */
	/* a pointer-valued expression used as a struct (after a cast) */
	return lower_scalar(L, n);
}

static void lower_str_literal(struct lower *L, struct node *n, int off)
{
	zero_slot(L, off, sonde_strlen);
	for (int i = 0; i < n->str_len; i += 8) {
		uint64_t word = 0;
		int k = n->str_len - i < 8 ? n->str_len - i : 8;
		memcpy(&word, n->str + i, (size_t)k);	/* little-endian, like the target */
		if (!word)
			continue;
		int t = ir_vreg(L->f);
		ir_movi(L->f, t, (int64_t)word);
		ir_stx(L->f, 8, FP, (int16_t)(off + i), t);
	}
}

int lower_var_off(struct lower *L, struct node *n)
{
	return L->blk->vars.v[n->var_slot].slot_off;
}

static void lower_ntop(struct lower *L, struct node *n, int off)
{
	struct node *addr = n->list->next ? n->list->next : n->list;
	zero_slot(L, off, 24);
	int is6 = addr->type->kind == TY_ARRAY && type_array_bytes(addr->type) == 16;
	if (n->list->next) {
		int af = lower_scalar(L, n->list);
		ir_stx(L->f, 8, FP, (int16_t)off, af);
	} else {
		ir_st(L->f, 8, FP, (int16_t)off, is6 ? AF_INET6 : AF_INET);
	}
	if (addr->type->kind == TY_ARRAY) {
		int a = lower_addr(L, addr);
		helper_call(L, BPF_FUNC_probe_read_kernel, 3,
			    (struct harg[]){ HFP(off + 8), HIMM(type_array_bytes(addr->type)), HREG(a) });
	} else {
		int v = lower_scalar(L, addr);
		ir_stx(L->f, 4, FP, (int16_t)(off + 8), v);
	}
}

/* usym(addr): the address and the process it belongs to */
static void lower_usym(struct lower *L, struct node *n, int off)
{
	int addr = lower_scalar(L, n->list);
	ir_stx(L->f, 8, FP, (int16_t)off, addr);
	note_user_process(L, off + 8);
}

void note_user_process(struct lower *L, int pid_off)
{
	int tgid = helper_call(L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
	ir_alui(L->f, BPF_RSH, tgid, 32);
	ir_stx(L->f, 8, FP, (int16_t)pid_off, tgid);
	if (L->env->usym_pids_fd < 0)
		return;
	/* note the process once, so user space reads its maps while it lives (a lookup is cheaper than an update) */
	int seen = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->env->usym_pids_fd), HFP(pid_off) });
	int l_known = ir_new_label(L->f);
	ir_jmpi(L->f, BPF_JNE, seen, 0, l_known);
	int rc = helper_call(L, BPF_FUNC_map_update_elem, 4,
			     (struct harg[]){ HMAP(L->env->usym_pids_fd), HFP(pid_off), HFP(pid_off), HIMM(BPF_NOEXIST) });
	ir_jmpi(L->f, BPF_JNE, rc, 0, l_known);
	/* first sight: wake user space now, so a short-lived process is read before it exits */
	int rec = slot_alloc(L, 16);
	int pid = ir_vreg(L->f);
	ir_movi(L->f, pid, (int64_t)REC_ID_SNAPSHOT);
	ir_stx(L->f, 8, FP, (int16_t)rec, pid);
	ir_ldx(L->f, 8, pid, FP, (int16_t)pid_off);
	ir_stx(L->f, 8, FP, (int16_t)(rec + 8), pid);
	helper_call(L, BPF_FUNC_ringbuf_output, 4,
		    (struct harg[]){ HMAP(L->env->ringbuf_fd), HFP(rec), HIMM(16), HIMM(BPF_RB_FORCE_WAKEUP) });
	ir_label(L->f, l_known);
}

/* buf(p, n): u64 length, then min(n, capacity) bytes; the rest stays zero so equal buffers are equal keys */
static void lower_buf(struct lower *L, struct node *n, int off)
{
	struct node *x = n->list;
	const struct type *t = x->type;
	int cap = n->type->array_len;
	zero_slot(L, off, n->type->size);
	if (t->kind == TY_ARRAY) {
		ir_st(L->f, 8, FP, (int16_t)off, cap);
		read_into(L, lower_field_in_user_mem(x) ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, HFP(off + 8),
			  HIMM(cap), lower_addr(L, x));
		return;
	}
	int kernel = (t->kind == TY_PTR && !t->user_mem) || (!t->user_addr && !t->user_mem && L->blk->prov->mode == RUN_ATTACHED);
	int helper = kernel ? BPF_FUNC_probe_read_kernel : BPF_FUNC_probe_read_user;
	int addr = lower_scalar(L, x);
	if (x->next->kind == N_INT) {
		ir_st(L->f, 8, FP, (int16_t)off, cap);
		read_into(L, helper, HFP(off + 8), HIMM(cap), addr);
		return;
	}
	/* a run-time length: bounded for the verifier (0 reads nothing) */
	int len = lower_scalar(L, x->next), big = ir_new_label(L->f);
	ir_jmpi(L->f, BPF_JLE, len, cap, big);
	ir_movi(L->f, len, cap);
	ir_label(L->f, big);
	ir_stx(L->f, 8, FP, (int16_t)off, len);
	read_into(L, helper, HFP(off + 8), HREG(len), addr);
}

static void lower_str_call(struct lower *L, struct node *n, int off)
{
	struct node *x = n->list;
	const struct type *t = x->type;
	int maxlen = sonde_strlen;
	if (t->kind == TY_STR) {
		lower_mem_into(L, x, off);
	} else if (t->kind == TY_ARRAY) {
		int len = t->array_len < maxlen ? t->array_len : maxlen;
		int helper = lower_field_in_user_mem(x) ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str;
		int addr = lower_addr(L, x);
		if (!x->next) {
			read_str_into(L, helper, addr, len, off);
			return;
		}
		/* str(arr, n): at most n-1 characters and the NUL, within the array */
		int n = lower_scalar(L, x->next), l = ir_new_label(L->f);
		ir_jmpi(L->f, BPF_JLE, n, len, l);
		ir_movi(L->f, n, len);
		ir_label(L->f, l);
		zero_slot(L, off, sonde_strlen);
		read_into(L, helper, HFP(off), HREG(n), addr);
		return;
	} else {
		/* Kernel pointers (BTF-typed, or a kernel tracepoint's) read kernel memory;
		 * syscall arguments and BEGIN's own addresses read user memory. */
		int kernel = (t->kind == TY_PTR && !t->user_mem) || (!t->user_addr && !t->user_mem && L->blk->prov->mode == RUN_ATTACHED);
		int helper = kernel ? BPF_FUNC_probe_read_kernel_str : BPF_FUNC_probe_read_user_str;
		int addr = lower_scalar(L, x);
		if (!x->next) {
			read_str_into(L, helper, addr, maxlen, off);
		} else {
			/* str(p, n): at most n-1 characters and the NUL, bounded for the verifier */
			int len = lower_scalar(L, x->next), l = ir_new_label(L->f);
			ir_jmpi(L->f, BPF_JLE, len, maxlen, l);
			ir_movi(L->f, len, maxlen);
			ir_label(L->f, l);
			zero_slot(L, off, sonde_strlen);
			read_into(L, helper, HFP(off), HREG(len), addr);
		}
		return;
	}
	if (x->next && t->kind == TY_STR) {
		/* str("literal", n) truncates a string we already hold: cut at n-1 */
		int len = lower_scalar(L, x->next);
		for (int i = 0; i < sonde_strlen; i++) {
			int l = ir_new_label(L->f);
			ir_jmpi(L->f, BPF_JGT, len, i + 1, l);
			ir_st(L->f, 1, FP, (int16_t)(off + i), 0);
			ir_label(L->f, l);
		}
	}
}

void lower_mem_into(struct lower *L, struct node *n, int off)
{
	struct ir_func *f = L->f;
	struct span saved = f->span;
	f->span = n->span;
	const struct type *t = n->type;
	if (t->kind == TY_ARRAY && !t->is_chars &&
	    (n->kind == N_FIELD || n->kind == N_INDEX || (n->kind == N_CALL && !strcmp(n->name, "pton")))) {
		lower_array_into(L, n, off);	/* an integer array's bytes (print, tuples) */
		f->span = saved;
		return;
	}
	switch (n->kind) {
	case N_STR:
		lower_str_literal(L, n, off);
		break;
	case N_BUILTIN:	/* comm, kstack, ustack */
		if (t->kind == TY_STACK) {
			lower_stack(L, n, off);
			break;
		}
		zero_slot(L, off, t->size);
		helper_call(L, BPF_FUNC_get_current_comm, 2, (struct harg[]){ HFP(off), HIMM(16) });
		break;
	case N_VAR:
		copy_slot(L, off, lower_var_off(L, n), t->size);
		break;
	case N_MAP:
		lower_map_read(L, n, off);
		break;
	case N_TUPLE: {
		zero_slot(L, off, t->size);
		int i = 0;
		for (struct node *e = n->list; e; e = e->next, i++) {
			int j = i;	/* a record written in another order than its type's: by name */
			while (n->fnames && t->names && strcmp(t->names[j], n->fnames[i]))
				j = (j + 1) % t->nfields;
			store_value(L, e, t->fields[j], off + t->offs[j]);
		}
		break;
	}
	case N_BLOCK_EXPR:	/* the statements, then the value */
		lower_block(L, n->b);
		if (n->a)
			lower_mem_into(L, n->a, off);
		break;
	case N_TUPLE_ELEM: {
		int src = lower_mem(L, n->a);
		copy_slot(L, off, src + n->a->type->offs[n->ival], t->size);
		break;
	}
	case N_TERNARY: {
		int l_else = ir_new_label(f), l_done = ir_new_label(f);
		int c = lower_scalar(L, n->a);
		ir_jmpi(f, BPF_JEQ, c, 0, l_else);
		lower_mem_into(L, n->b, off);
		ir_ja(f, l_done);
		ir_label(f, l_else);
		lower_mem_into(L, n->c, off);
		ir_label(f, l_done);
		break;
	}
	case N_FIELD: case N_INDEX:
		if ((t->kind == TY_ARRAY && !t->is_chars) || t->kind == TY_STRUCT) {	/* an array's or a struct's bytes */
			/* a held struct (an element of a copied array) knows its own size; its slot is rounded up */
			int bytes = t->kind == TY_ARRAY ? t->array_len * t->elem_size : t->held ? t->elem_size : t->size;
			zero_slot(L, off, (int)ALIGN8((size_t)bytes));
			read_into(L, lower_field_in_user_mem(n) ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, HFP(off),
				  HIMM(bytes), lower_addr(L, n));
			break;
		}
		/* a char array read as a string */
		read_str_into(L, lower_field_in_user_mem(n) ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str, lower_addr(L, n),
			      t->array_len < sonde_strlen ? t->array_len : sonde_strlen, off);
		break;
	case N_DEREF: {	/* $s = *$p: a struct's bytes */
		const struct type *p = n->a->type;
		zero_slot(L, off, t->size);
		read_into(L, p->user_mem ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, HFP(off),
			  HIMM(t->elem_size), lower_scalar(L, n->a));
		break;
	}
	case N_CAST:	/* (uint8[8])x: the integer's bytes */
		zero_slot(L, off, t->size);
		ir_stx(L->f, t->array_len * t->elem_size, FP, (int16_t)off, lower_scalar(L, n->a));
		break;
	case N_CALL:
		if (!strcmp(n->name, "str"))
			lower_str_call(L, n, off);
		else if (!strcmp(n->name, "ntop"))
			lower_ntop(L, n, off);
		else if (!strcmp(n->name, "usym"))
			lower_usym(L, n, off);
		else if (!strcmp(n->name, "buf"))
			lower_buf(L, n, off);
		else if (!strcmp(n->name, "comm"))
			lower_comm_of(L, n, off);
		else if (!strcmp(n->name, "str_concat"))
			lower_str_concat(L, n, off);
		else if (t->kind == TY_STACK)
			lower_stack(L, n, off);
		break;
	default:
		zero_slot(L, off, t->size);
	}
	f->span = saved;
}

int lower_mem(struct lower *L, struct node *n)
{
	if (n->kind == N_VAR)
		return lower_var_off(L, n);
	int size = n->type->kind == TY_ARRAY && n->type->is_chars ? sonde_strlen : (int)ALIGN8((size_t)n->type->size);
	int off = slot_alloc(L, size);
	lower_mem_into(L, n, off);
	return off;
}

void store_value(struct lower *L, struct node *n, const struct type *t, int off)
{
	if (type_is_scalar(t)) {
		int v = lower_scalar(L, n);
		ir_stx(L->f, 8, FP, (int16_t)off, v);
	} else {
		lower_mem_into(L, n, off);
	}
}
