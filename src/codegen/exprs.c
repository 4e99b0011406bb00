/* Scalar expressions: integers, operators, casts, builtins and the context's values, in virtual registers. */
#include "lower.h"
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

/* Sign- or zero-extends the low `size` bytes of r to 64 bits. */
void lower_extend(struct lower *L, int r, int size, int is_signed)
{
	if (size >= 8)
		return;
	int shift = 64 - 8 * size;
	ir_alui(L->f, BPF_LSH, r, shift);
	ir_alui(L->f, is_signed ? BPF_ARSH : BPF_RSH, r, shift);
}

/*
 * pid(curr_ns), tid(curr_ns): the ids in sonde's own PID namespace
 * (bpftrace's meaning). In the initial namespace (its fixed inode,
 * PROC_PID_INIT_INO) they are pid and tid; in another one,
 * bpf_get_ns_current_pid_tgid() gives them for tasks of that namespace
 * only, and 0 for the others, as in bpftrace.
 */
static int lower_curr_ns_id(struct lower *L, int want_tid)
{
	struct ir_func *f = L->f;
	struct stat st = { 0 };
	if (stat("/proc/self/ns/pid", &st) || st.st_ino == 0xEFFFFFFCu) {
		int v = helper_call(L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
		if (want_tid)
			lower_extend(L, v, 4, 0);
		else
			ir_alui(f, BPF_RSH, v, 32);
		return v;
	}
	int info = slot_alloc_stack(L, 8), v = ir_vreg(f), l_ok = ir_new_label(f);
	ir_st(f, 8, FP, (int16_t)info, 0);
	int rc = helper_call(L, BPF_FUNC_get_ns_current_pid_tgid, 4,
			     (struct harg[]){ HIMM((int64_t)st.st_dev), HIMM((int64_t)st.st_ino), HFP(info), HIMM(8) });
	ir_jmpi(f, BPF_JEQ, rc, 0, l_ok);
	ir_st(f, 8, FP, (int16_t)info, 0);
	ir_label(f, l_ok);
	/* struct bpf_pidns_info { __u32 pid; __u32 tgid; } */
	ir_ldx(f, 4, v, FP, (int16_t)(info + (want_tid ? 0 : 4)));
	return v;
}

static int lower_builtin(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	const char *b = n->name;
	int v;
	if (n->ival)	/* argN, retval, func, goid, probe: where the provider said */
		return lower_ctx(L, lower_ctx_of(L, n));
	if (!strcmp(b, "pid_curr_ns") || !strcmp(b, "tid_curr_ns"))
		return lower_curr_ns_id(L, b[0] == 't');
	if (!strcmp(b, "pid") || !strcmp(b, "tid")) {
		v = helper_call(L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
		if (b[0] == 'p')
			ir_alui(f, BPF_RSH, v, 32);
		else
			lower_extend(L, v, 4, 0);
		return v;
	}
	if (!strcmp(b, "uid") || !strcmp(b, "gid")) {
		v = helper_call(L, BPF_FUNC_get_current_uid_gid, 0, NULL);
		if (b[0] == 'g')
			ir_alui(f, BPF_RSH, v, 32);
		else
			lower_extend(L, v, 4, 0);
		return v;
	}
	if (!strcmp(b, "nsecs"))
		return helper_call(L, BPF_FUNC_ktime_get_ns, 0, NULL);
	if (!strcmp(b, "nsecs_boot"))	/* nsecs(boot): counts suspended time too */
		return helper_call(L, BPF_FUNC_ktime_get_boot_ns, 0, NULL);
	if (!strcmp(b, "nsecs_tai"))	/* nsecs(tai): International Atomic Time, comparable across hosts */
		return helper_call(L, BPF_FUNC_ktime_get_tai_ns, 0, NULL);
	if (!strcmp(b, "elapsed")) {
		v = helper_call(L, BPF_FUNC_ktime_get_ns, 0, NULL);
		int t = ir_vreg(f);
		ir_movi(f, t, (int64_t)L->env->start_ns);
		ir_alu(f, BPF_SUB, v, t);
		return v;
	}
	if (!strcmp(b, "true") || !strcmp(b, "false")) {
		v = ir_vreg(f);
		ir_movi(f, v, b[0] == 't');
		return v;
	}
	if (!strcmp(b, "jiffies"))	/* the kernel's tick count: what TCP's chrono and timers are kept in */
		return helper_call(L, BPF_FUNC_jiffies64, 0, NULL);
	if (!strcmp(b, "cpu"))
		return helper_call(L, BPF_FUNC_get_smp_processor_id, 0, NULL);
	if (!strcmp(b, "rand"))
		return helper_call(L, BPF_FUNC_get_prandom_u32, 0, NULL);
	if (!strcmp(b, "cgroup"))
		return helper_call(L, BPF_FUNC_get_current_cgroup_id, 0, NULL);
	if (!strcmp(b, "curtask"))
		return helper_call(L, BPF_FUNC_get_current_task, 0, NULL);
	v = ir_vreg(f);
	ir_movi(f, v, 0);
	return v;
}

/* n->op (== or !=) over SIZE bytes of two zero-filled slots, word by word: 1 or 0. */
int lower_slots_eq(struct lower *L, struct node *n, int a, int b, int size)
{
	int r = ir_vreg(L->f), l_ne = ir_new_label(L->f), l_done = ir_new_label(L->f);
	for (int i = 0; i < size; i += 8) {
		int x = ir_vreg(L->f), y = ir_vreg(L->f);
		ir_ldx(L->f, 8, x, FP, (int16_t)(a + i));
		ir_ldx(L->f, 8, y, FP, (int16_t)(b + i));
		ir_jmp(L->f, BPF_JNE, x, y, l_ne);
	}
	ir_movi(L->f, r, n->op == T_EQ);
	ir_ja(L->f, l_done);
	ir_label(L->f, l_ne);
	ir_movi(L->f, r, n->op != T_EQ);
	ir_label(L->f, l_done);
	return r;
}

/* a == b (or !=) of two zero-filled strings. */
int lower_str_eq(struct lower *L, struct node *n)
{
	int a = lower_mem(L, n->a), b = lower_mem(L, n->b);
	return lower_slots_eq(L, n, a, b, sonde_strlen);
}

/* strncmp(a, b, n): 0 when the first n bytes are equal (both are zeros past their end), else 1 */
int lower_strncmp(struct lower *L, struct node *n)
{
	int a = lower_mem(L, n->list), b = lower_mem(L, n->list->next), len = (int)n->ival;
	int r = ir_vreg(L->f), l_ne = ir_new_label(L->f), l_done = ir_new_label(L->f);
	for (int i = 0; i < len; i += 8) {
		int x = ir_vreg(L->f), y = ir_vreg(L->f), w = len - i >= 8 ? 8 : len - i;
		/* the last word's first w bytes: little-endian, the low ones */
		ir_ldx(L->f, 8, x, FP, (int16_t)(a + i));
		ir_ldx(L->f, 8, y, FP, (int16_t)(b + i));
		if (w < 8) {
			ir_alui(L->f, BPF_LSH, x, 64 - 8 * w);
			ir_alui(L->f, BPF_LSH, y, 64 - 8 * w);
		}
		ir_jmp(L->f, BPF_JNE, x, y, l_ne);
	}
	ir_movi(L->f, r, 0);
	ir_ja(L->f, l_done);
	ir_label(L->f, l_ne);
	ir_movi(L->f, r, 1);
	ir_label(L->f, l_done);
	return r;
}

/*
 * memcmp(a, b, n): word by word; at the first word that differs, its lowest
 * differing byte (little-endian: the first in memory) gives the sign. n is a
 * constant no larger than either operand's slot.
 */
static int lower_memcmp(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	int a = lower_mem(L, n->list), b = lower_mem(L, n->list->next), len = (int)n->ival;
	int r = ir_vreg(f), x = ir_vreg(f), y = ir_vreg(f), l_ne = ir_new_label(f), l_done = ir_new_label(f);
	for (int i = 0; i < len; i += 8) {
		int w = len - i >= 8 ? 8 : len - i;
		ir_ldx(f, w == 8 ? 8 : w >= 4 ? 4 : w >= 2 ? 2 : 1, x, FP, (int16_t)(a + i));
		ir_ldx(f, w == 8 ? 8 : w >= 4 ? 4 : w >= 2 ? 2 : 1, y, FP, (int16_t)(b + i));
		if (w != 8 && w != 4 && w != 2 && w != 1) {	/* 3, 5, 6, 7 bytes: the whole word, its top cut */
			ir_ldx(f, 8, x, FP, (int16_t)(a + i));
			ir_ldx(f, 8, y, FP, (int16_t)(b + i));
			ir_alui(f, BPF_LSH, x, 64 - 8 * w);
			ir_alui(f, BPF_LSH, y, 64 - 8 * w);
			ir_alui(f, BPF_RSH, x, 64 - 8 * w);
			ir_alui(f, BPF_RSH, y, 64 - 8 * w);
		}
		ir_jmp(f, BPF_JNE, x, y, l_ne);
	}
	ir_movi(f, r, 0);
	ir_ja(f, l_done);
	ir_label(f, l_ne);
	int bx = ir_vreg(f), by = ir_vreg(f);
	for (int k = 0; k < 8; k++) {
		int l_same = ir_new_label(f), l_less = ir_new_label(f);
		ir_mov(f, bx, x);
		ir_mov(f, by, y);
		if (k) {
			ir_alui(f, BPF_RSH, bx, 8 * k);
			ir_alui(f, BPF_RSH, by, 8 * k);
		}
		ir_alui(f, BPF_AND, bx, 0xff);
		ir_alui(f, BPF_AND, by, 0xff);
		ir_jmp(f, BPF_JEQ, bx, by, l_same);
		ir_jmp(f, BPF_JLT, bx, by, l_less);
		ir_movi(f, r, 1);
		ir_ja(f, l_done);
		ir_label(f, l_less);
		ir_movi(f, r, -1);
		ir_ja(f, l_done);
		ir_label(f, l_same);
	}
	ir_movi(f, r, 0);	/* unreachable: the words differ */
	ir_label(f, l_done);
	return r;
}

int lower_is_signed(const struct type *t)
{
	return t->kind == TY_INT ? t->is_signed : t->kind == TY_BOOL;
}

uint8_t binop_code(enum tok op)
{
	switch (op) {
	case T_PLUS: case T_ADD_ASSIGN: case T_INC: return BPF_ADD;
	case T_MINUS: case T_SUB_ASSIGN: case T_DEC: return BPF_SUB;
	case T_STAR: case T_MUL_ASSIGN: return BPF_MUL;
	case T_SLASH: case T_DIV_ASSIGN: return BPF_DIV;
	case T_PERCENT: case T_MOD_ASSIGN: return BPF_MOD;
	case T_AMP: case T_AND_ASSIGN: return BPF_AND;
	case T_PIPE: case T_OR_ASSIGN: return BPF_OR;
	case T_CARET: case T_XOR_ASSIGN: return BPF_XOR;
	case T_SHL: case T_SHL_ASSIGN: return BPF_LSH;
	case T_SHR: case T_SHR_ASSIGN: return BPF_RSH;
	default: return BPF_ADD;
	}
}

/* Signed division without BPF v4: divide magnitudes, then fix the sign. */
static void emulate_sdiv(struct lower *L, uint8_t op, int dst, int src)
{
	struct ir_func *f = L->f;
	int neg = ir_vreg(f), a = ir_vreg(f), b = ir_vreg(f);
	int l1 = ir_new_label(f), l2 = ir_new_label(f), l3 = ir_new_label(f);
	ir_movi(f, neg, 0);
	ir_mov(f, a, dst);
	ir_jmpi(f, BPF_JSGE, a, 0, l1);
	ir_alui(f, BPF_NEG, a, 0);
	ir_movi(f, neg, 1);
	ir_label(f, l1);
	ir_mov(f, b, src);
	ir_jmpi(f, BPF_JSGE, b, 0, l2);
	ir_alui(f, BPF_NEG, b, 0);
	if (op == BPF_DIV)
		ir_alui(f, BPF_XOR, neg, 1);
	ir_label(f, l2);
	ir_alu(f, op, a, b);
	ir_jmpi(f, BPF_JEQ, neg, 0, l3);
	ir_alui(f, BPF_NEG, a, 0);
	ir_label(f, l3);
	ir_mov(f, dst, a);
}

void lower_arith(struct lower *L, uint8_t op, int is_signed, int dst, int src)
{
	struct ir_func *f = L->f;
	if (op == BPF_RSH && is_signed)
		op = BPF_ARSH;
	if (op != BPF_DIV && op != BPF_MOD) {
		ir_alu(f, op, dst, src);
		return;
	}
	/* x / 0 and x % 0 are 0, whatever the instruction does. */
	int l_zero = ir_new_label(f), l_done = ir_new_label(f);
	ir_jmpi(f, BPF_JEQ, src, 0, l_zero);
	if (!is_signed)
		ir_alu(f, op, dst, src);
	else if (L->env->have_sdiv)
		ir_sdiv(f, op, dst, src);
	else
		emulate_sdiv(L, op, dst, src);
	ir_ja(f, l_done);
	ir_label(f, l_zero);
	ir_movi(f, dst, 0);
	ir_label(f, l_done);
}

static uint8_t cmp_code(enum tok op, int is_signed)
{
	switch (op) {
	case T_EQ: return BPF_JEQ;
	case T_NE: return BPF_JNE;
	case T_LT: return is_signed ? BPF_JSLT : BPF_JLT;
	case T_LE: return is_signed ? BPF_JSLE : BPF_JLE;
	case T_GT: return is_signed ? BPF_JSGT : BPF_JGT;
	default: return is_signed ? BPF_JSGE : BPF_JGE;
	}
}

static int lower_binop(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	if (n->a->type->kind == TY_ARRAY && n->b->type->kind == TY_ARRAY &&
	    !(n->a->type->is_chars && n->b->type->is_chars))	/* arrays compared byte for byte (pton); char arrays as strings */
		return lower_array_eq(L, n);
	if ((n->op == T_EQ || n->op == T_NE) && n->a->type->kind != TY_INT &&
	    n->a->type->kind != TY_BOOL && n->a->type->kind != TY_PTR)
		return lower_str_eq(L, n);
	int r = ir_vreg(f);
	if (n->op == T_ANDAND || n->op == T_OROR) {
		int l_short = ir_new_label(f), l_done = ir_new_label(f);
		int a = lower_scalar(L, n->a);
		ir_jmpi(f, n->op == T_ANDAND ? BPF_JEQ : BPF_JNE, a, 0, l_short);
		int b = lower_scalar(L, n->b);
		ir_jmpi(f, n->op == T_ANDAND ? BPF_JEQ : BPF_JNE, b, 0, l_short);
		ir_movi(f, r, n->op == T_ANDAND);
		ir_ja(f, l_done);
		ir_label(f, l_short);
		ir_movi(f, r, n->op != T_ANDAND);
		ir_label(f, l_done);
		return r;
	}
	int a = lower_scalar(L, n->a);
	int b = lower_scalar(L, n->b);
	if (n->type->kind == TY_BOOL) {
		int is_signed = lower_is_signed(n->a->type) && lower_is_signed(n->b->type);
		int l_true = ir_new_label(f);
		ir_movi(f, r, 1);
		ir_jmp(f, cmp_code(n->op, is_signed), a, b, l_true);
		ir_movi(f, r, 0);
		ir_label(f, l_true);
		return r;
	}
	ir_mov(f, r, a);
	lower_arith(L, binop_code(n->op), n->type->is_signed, r, b);
	return r;
}

static int lower_cast(struct lower *L, struct node *n)
{
	const struct type *t = n->type;
	if (n->a->type->kind == TY_ARRAY && t->kind == TY_INT && !n->cast_ptr)	/* (uint64)arr: its bytes */
		return read_kernel_scalar(L, lower_addr(L, n->a), t, lower_field_in_user_mem(n->a));
	/* an array member cast to a pointer: its address (sema allowed only those in memory) */
	int v = n->a->type->kind == TY_ARRAY ? lower_addr(L, n->a) : lower_scalar(L, n->a);
	int r = ir_vreg(L->f);
	ir_mov(L->f, r, v);
	if (t->kind == TY_INT)
		lower_extend(L, r, t->size, t->is_signed);
	if (t->kind == TY_BOOL) {
		int l = ir_new_label(L->f);
		ir_jmpi(L->f, BPF_JEQ, r, 0, l);
		ir_movi(L->f, r, 1);
		ir_label(L->f, l);
	}
	return r;
}

static int lower_ternary_scalar(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	int r = ir_vreg(f), l_else = ir_new_label(f), l_done = ir_new_label(f);
	int c = lower_scalar(L, n->a);
	ir_jmpi(f, BPF_JEQ, c, 0, l_else);
	ir_mov(f, r, lower_scalar(L, n->b));
	ir_ja(f, l_done);
	ir_label(f, l_else);
	ir_mov(f, r, lower_scalar(L, n->c));
	ir_label(f, l_done);
	return r;
}

int lower_scalar(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	struct span saved = f->span;
	f->span = n->span;
	int v = -1;
	switch (n->kind) {
	case N_INT:
		v = ir_vreg(f);
		ir_movi(f, v, (int64_t)n->ival);
		break;
	case N_BUILTIN:
		v = lower_builtin(L, n);
		break;
	case N_VAR:
		v = ir_vreg(f);
		ir_ldx(f, 8, v, FP, (int16_t)lower_var_off(L, n));
		break;
	case N_MAP:
		v = lower_map_read(L, n, 0);
		break;
	case N_BINOP:
		v = lower_binop(L, n);
		break;
	case N_UNOP:
		if (n->op == T_AMP) {	/* &$p->f: the place's address */
			v = lower_addr(L, n->a);
			break;
		}
		v = ir_vreg(f);
		ir_mov(f, v, lower_scalar(L, n->a));
		if (n->op == T_MINUS) {
			ir_alui(f, BPF_NEG, v, 0);
		} else if (n->op == T_TILDE) {
			ir_alui(f, BPF_XOR, v, -1);
		} else {
			int l = ir_new_label(f), r = ir_vreg(f);
			ir_movi(f, r, 1);
			ir_jmpi(f, BPF_JEQ, v, 0, l);
			ir_movi(f, r, 0);
			ir_label(f, l);
			v = r;
		}
		break;
	case N_TERNARY:
		v = lower_ternary_scalar(L, n);
		break;
	case N_INCDEC:
		v = lower_incdec(L, n);
		break;
	case N_CAST:
		v = lower_cast(L, n);
		break;
	case N_BLOCK_EXPR:	/* the statements, then the value */
		lower_block(L, n->b);
		v = n->a ? lower_scalar(L, n->a) : ir_vreg(f);
		if (!n->a)
			ir_movi(f, v, 0);
		break;
	case N_DEREF: {
		/* the address's memory: the process's when it is a user address or the probe is in user space */
		const struct type *at = n->a->type;
		int user = at->user_addr || at->user_mem || L->blk->prov->mode != RUN_ATTACHED || L->blk->prov->can_sleep;
		if (at->kind == TY_PTR)	/* a typed pointer knows its memory */
			user = at->user_mem;
		v = read_kernel_scalar(L, lower_scalar(L, n->a), n->type, user);
		break;
	}
	case N_FIELD: case N_INDEX:
		if (n->kind == N_FIELD && n->a->type->kind == TY_ARGS) {
			v = lower_ctx(L, lower_ctx_of(L, n));	/* a tracepoint field, a parameter's register */
			break;
		}
		v = read_kernel_scalar(L, lower_addr(L, n), n->type, lower_field_in_user_mem(n));
		break;
	case N_TUPLE_ELEM: {
		int off = lower_mem(L, n->a);
		v = ir_vreg(f);
		ir_ldx(f, 8, v, FP, (int16_t)(off + n->a->type->offs[n->ival]));
		break;
	}
	case N_CALL:
		if (!strcmp(n->name, "find")) {
			v = lower_find(L, n);
		} else if (!strcmp(n->name, "has_key")) {
			v = lower_has_key(L, n);
		} else if (!strcmp(n->name, "reg")) {
			v = ir_vreg(f);
			ir_ldx(f, 8, v, RCTX, (int16_t)n->ival);
		} else if (!strcmp(n->name, "len")) {
			ir_call_begin(f);
			ir_ld_map(f, R1, n->list->map->fd);
			ir_kfunc_call(f, (int)n->ival);
			v = ir_vreg(f);
			ir_mov(f, v, R0);
		} else if (!strcmp(n->name, "strftime")) {
			v = lower_scalar(L, n->list->next);
		} else if (!strcmp(n->name, "bswap")) {
			/* byte i of the value's ival bytes moves to byte ival-1-i */
			int x = lower_scalar(L, n->list), w = (int)n->ival, t = ir_vreg(f);
			v = ir_vreg(f);
			ir_movi(f, v, 0);
			for (int i = 0; i < w; i++) {
				ir_mov(f, t, x);
				if (i)
					ir_alui(f, BPF_RSH, t, 8 * i);
				ir_alui(f, BPF_AND, t, 0xff);
				if (w - 1 - i)
					ir_alui(f, BPF_LSH, t, 8 * (w - 1 - i));
				ir_alu(f, BPF_OR, v, t);
			}
		} else if (!strcmp(n->name, "strlen")) {
			struct harg a[1] = { HFP(lower_mem(L, n->list)) };
			v = kfunc_call(L, (int)n->ival, 1, a);	/* the length, or a negative errno */
			lower_extend(L, v, 4, 1);
		} else if (!strcmp(n->name, "kptr") || !strcmp(n->name, "uptr")) {
			v = lower_scalar(L, n->list);	/* the type says where it points now */
		} else if (!strcmp(n->name, "strstr")) {
			/* the needle's index, or -1 (bpf_strstr says -ENOENT; other errors are -1 too) */
			struct harg a[2] = { HFP(lower_mem(L, n->list)), HFP(lower_mem(L, n->list->next)) };
			v = kfunc_call(L, (int)n->ival, 2, a);
			lower_extend(L, v, 4, 1);
			int found = ir_new_label(f);
			ir_jmpi(f, BPF_JSGE, v, 0, found);
			ir_movi(f, v, -1);
			ir_label(f, found);
		} else if (!strcmp(n->name, "strcontains")) {
			/* the kernel's bpf_strstr(haystack, needle): the needle's index, or -ENOENT */
			struct harg a[2] = { HFP(lower_mem(L, n->list)), HFP(lower_mem(L, n->list->next)) };
			v = kfunc_call(L, (int)n->ival, 2, a);
			lower_extend(L, v, 4, 1);
			int yes = ir_new_label(f), done = ir_new_label(f);
			ir_jmpi(f, BPF_JSGE, v, 0, yes);
			ir_movi(f, v, 0);
			ir_ja(f, done);
			ir_label(f, yes);
			ir_movi(f, v, 1);
			ir_label(f, done);
		} else if (!strcmp(n->name, "sizeof") || !strcmp(n->name, "offsetof")) {
			v = ir_vreg(f);
			ir_movi(f, v, (int64_t)n->ival);	/* a constant sema worked out */
		} else if (n->type->kind == TY_NAMED || !strcmp(n->name, "ksym")) {
			v = lower_scalar(L, n->list);	/* the address, id or number; user space names it */
		} else if (!strcmp(n->name, "strncmp")) {
			v = lower_strncmp(L, n);
		} else if (!strcmp(n->name, "memcmp")) {
			v = lower_memcmp(L, n);
		} else if (!strcmp(n->name, "is_err")) {
			/* IS_ERR_VALUE: the top 4095 values, -4095 to -1 (the immediate sign-extends) */
			int x = lower_scalar(L, n->list), yes = ir_new_label(f), done = ir_new_label(f);
			v = ir_vreg(f);
			ir_mov(f, v, x);
			ir_jmpi(f, BPF_JGE, v, -4095, yes);
			ir_movi(f, v, 0);
			ir_ja(f, done);
			ir_label(f, yes);
			ir_movi(f, v, 1);
			ir_label(f, done);
		} else if (!strcmp(n->name, "uaddr")) {
			v = lower_ctx(L, lower_ctx_of(L, n));	/* relative to the probed instruction */
		} else {
			lower_record_call(L, n);
			v = ir_vreg(f);
			ir_movi(f, v, 0);
		}
		break;
	default:
		v = ir_vreg(f);
		ir_movi(f, v, 0);
	}
	f->span = saved;
	return v;
}
