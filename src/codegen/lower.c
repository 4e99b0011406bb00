/*
 * AST → IR for one probe block. Scalars live in virtual registers; strings,
 * tuples and keys in frame slots, zero-filled so equal values have equal
 * bytes. Variables own a slot for the whole block; other slots are released
 * at the end of each statement.
 */
#include "lower.h"
#include "../arch/arch.h"
#include "../probe/syscalls.h"
#include "../sema/btf.h"
#include "../probe/usdt_args.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>

static int stack_slot(struct lower *L, int size)
{
	L->depth += size;
	if (L->depth > L->f->stack)
		L->f->stack = L->depth;
	return -L->depth;
}

/* Scalars the verifier must track exactly (loop counters, variables) stay on the stack. */
int slot_alloc_stack(struct lower *L, int size)
{
	return stack_slot(L, (int)ALIGN8((size_t)(size ? size : 8)));
}

int slot_alloc(struct lower *L, int size)
{
	size = (int)ALIGN8((size_t)(size ? size : 8));
	if (L->depth + size <= L->stack_budget) {
		L->depth += size;
		if (L->depth > L->f->stack)
			L->f->stack = L->depth;
		return -L->depth;
	}
	int off = L->sdepth;
	L->sdepth += size;
	if (L->sdepth > L->f->scratch)
		L->f->scratch = L->sdepth;
	if (L->sdepth > SCRATCH_BIAS + SCRATCH_MARK)
		return -L->depth;	/* reported by codegen_block: scratch too large */
	return off - SCRATCH_BIAS;
}

int helper_call(struct lower *L, int helper, int n, const struct harg *args)
{
	struct ir_func *f = L->f;
	ir_call_begin(f);
	for (int i = 0; i < n; i++) {
		int r = R1 + i;
		switch (args[i].kind) {
		case HA_REG: ir_mov(f, r, (int)args[i].v); break;
		case HA_IMM: ir_movi(f, r, args[i].v); break;
		case HA_FP:
			if (args[i].v < SCRATCH_MARK) {
				ir_mov(f, r, RSCRATCH);
				ir_alui(f, BPF_ADD, r, (int32_t)(args[i].v + SCRATCH_BIAS));
			} else {
				ir_mov(f, r, FP);
				ir_alui(f, BPF_ADD, r, (int32_t)args[i].v);
			}
			break;
		case HA_MAP: ir_ld_map(f, r, (int)args[i].v); break;
		}
	}
	ir_call(f, helper);
	int v = ir_vreg(f);
	ir_mov(f, v, R0);
	return v;
}

void zero_slot(struct lower *L, int off, int size)
{
	for (int i = 0; i < size; i += 8)
		ir_st(L->f, 8, FP, (int16_t)(off + i), 0);
}

void copy_slot(struct lower *L, int dst, int src, int size)
{
	if (dst == src)
		return;
	for (int i = 0; i < size; i += 8) {
		int t = ir_vreg(L->f);
		ir_ldx(L->f, 8, t, FP, (int16_t)(src + i));
		ir_stx(L->f, 8, FP, (int16_t)(dst + i), t);
	}
}

void copy_from_ptr(struct lower *L, int dst, int ptr, int size)
{
	for (int i = 0; i < size; i += 8) {
		int t = ir_vreg(L->f);
		ir_ldx(L->f, 8, t, ptr, (int16_t)i);
		ir_stx(L->f, 8, FP, (int16_t)(dst + i), t);
	}
}

void copy_to_ptr(struct lower *L, int ptr, int src, int size)
{
	for (int i = 0; i < size; i += 8) {
		int t = ir_vreg(L->f);
		ir_ldx(L->f, 8, t, FP, (int16_t)(src + i));
		ir_stx(L->f, 8, ptr, (int16_t)i, t);
	}
}

/* Sign- or zero-extends the low `size` bytes of r to 64 bits. */
static void extend(struct lower *L, int r, int size, int is_signed)
{
	if (size >= 8)
		return;
	int shift = 64 - 8 * size;
	ir_alui(L->f, BPF_LSH, r, shift);
	ir_alui(L->f, is_signed ? BPF_ARSH : BPF_RSH, r, shift);
}

/* Reads `size` bytes of kernel memory at addr into a fresh slot. */
static int read_mem(struct lower *L, int addr, int size, int user)
{
	int off = slot_alloc(L, size);
	zero_slot(L, off, (int)ALIGN8((size_t)size));
	read_into(L, user ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, HFP(off), HIMM(size), addr);
	return off;
}

/* A field of a struct typed by DWARF lives in the traced process; BTF-typed ones in the kernel. */
static int field_in_user_mem(const struct node *n)
{
	return (n->kind == N_FIELD || n->kind == N_INDEX) && n->a->type && n->a->type->user_mem;
}

static int read_kernel_scalar(struct lower *L, int addr, const struct type *t, int user)
{
	int size = t->kind == TY_INT ? t->size : 8;
	int off = read_mem(L, addr, size, user);
	int v = ir_vreg(L->f);
	ir_ldx(L->f, size, v, FP, (int16_t)off);
	if (t->kind == TY_INT)
		extend(L, v, size, t->is_signed);
	return v;
}

static void read_str_into(struct lower *L, int helper, int addr, int maxlen, int off)
{
	zero_slot(L, off, sonde_strlen);
	read_into(L, helper, HFP(off), HIMM(maxlen), addr);
}

/* Address of a kernel struct or array value (x->s, x->arr, y.z). */
static int lower_addr(struct lower *L, struct node *n)
{
	if (n->kind == N_FIELD && n->a->type->kind == TY_ARGS) {
		/* a tracepoint field: bytes of the context record, or where its __data_loc points */
		int v = ir_vreg(L->f);
		if (n->type->data_loc) {
			ir_ldx(L->f, 4, v, RCTX, (int16_t)n->ival);
			ir_alui(L->f, BPF_AND, v, 0xffff);
			ir_alu(L->f, BPF_ADD, v, RCTX);
		} else {
			ir_mov(L->f, v, RCTX);
			ir_alui(L->f, BPF_ADD, v, (int32_t)n->ival);
		}
		return v;
	}
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
		int esize = n->type->kind == TY_INT ? n->type->size : n->type->size ? n->type->size : 8;
		int v = ir_vreg(L->f);
		ir_mov(L->f, v, idx);
		ir_alui(L->f, BPF_MUL, v, esize);
		ir_alu(L->f, BPF_ADD, v, base);
		return v;
	}
	/* a pointer-valued expression used as a struct (after a cast) */
	return lower_scalar(L, n);
}

/* One USDT operand of one site: a register, memory at base(+index*scale)+disp, or a constant. */
static void usdt_read(struct lower *L, const struct usdt_arg *a, int dst)
{
	struct ir_func *f = L->f;
	if (a->kind == UA_CONST) {
		ir_movi(f, dst, a->value);
		return;
	}
	ir_ldx(f, 8, dst, RCTX, (int16_t)a->reg);
	if (a->kind == UA_REG) {
		if (a->shift)
			ir_alui(f, BPF_RSH, dst, a->shift);
		extend(L, dst, a->size, a->is_signed);
		return;
	}
	if (a->value)
		ir_alui(f, BPF_ADD, dst, (int32_t)a->value);
	if (a->index >= 0) {
		int idx = ir_vreg(f);
		ir_ldx(f, 8, idx, RCTX, (int16_t)a->index);
		ir_alui(f, BPF_MUL, idx, a->scale);
		ir_alu(f, BPF_ADD, dst, idx);
	}
	int slot = slot_alloc_stack(L, 8);
	ir_st(f, 8, FP, (int16_t)slot, 0);
	read_into(L, BPF_FUNC_probe_read_user, HFP(slot), HIMM(a->size), dst);
	ir_ldx(f, a->size, dst, FP, (int16_t)slot);
	extend(L, dst, a->size, a->is_signed);
}

static int same_usdt_arg(const struct usdt_arg *x, const struct usdt_arg *y)
{
	return x->kind == y->kind && x->size == y->size && x->is_signed == y->is_signed && x->value == y->value &&
	       x->reg == y->reg && x->shift == y->shift && x->index == y->index && x->scale == y->scale;
}

/*
 * argN of a USDT probe: each site may keep it elsewhere. Sites that agree
 * share one read; otherwise the cookie (the site's probe id) picks the code.
 */
static int lower_usdt_arg(struct lower *L, int k)
{
	struct ir_func *f = L->f;
	struct probe_block *blk = L->blk;
	int v = ir_vreg(f);
	int uniform = 1;
	for (int i = 1; i < blk->points.n; i++)
		uniform &= same_usdt_arg(&blk->points.v[i]->uargs[k], &blk->points.v[0]->uargs[k]);
	if (uniform) {
		usdt_read(L, &blk->points.v[0]->uargs[k], v);
		return v;
	}
	int cookie = helper_call(L, BPF_FUNC_get_attach_cookie, 1, (struct harg[]){ HREG(RCTX) });
	int l_done = ir_new_label(f);
	ir_movi(f, v, 0);
	for (int i = 0; i < blk->points.n; i++) {
		int l_next = ir_new_label(f);
		ir_jmpi(f, BPF_JNE, cookie, blk->points.v[i]->id, l_next);
		usdt_read(L, &blk->points.v[i]->uargs[k], v);
		ir_ja(f, l_done);
		ir_label(f, l_next);
	}
	ir_label(f, l_done);
	return v;
}

static int lower_builtin(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	const char *b = n->name;
	int v;
	if (!strcmp(b, "pid") || !strcmp(b, "tid")) {
		v = helper_call(L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
		if (b[0] == 'p')
			ir_alui(f, BPF_RSH, v, 32);
		else
			extend(L, v, 4, 0);
		return v;
	}
	if (!strcmp(b, "uid") || !strcmp(b, "gid")) {
		v = helper_call(L, BPF_FUNC_get_current_uid_gid, 0, NULL);
		if (b[0] == 'g')
			ir_alui(f, BPF_RSH, v, 32);
		else
			extend(L, v, 4, 0);
		return v;
	}
	if (!strcmp(b, "nsecs"))
		return helper_call(L, BPF_FUNC_ktime_get_ns, 0, NULL);
	if (!strcmp(b, "elapsed")) {
		v = helper_call(L, BPF_FUNC_ktime_get_ns, 0, NULL);
		int t = ir_vreg(f);
		ir_movi(f, t, (int64_t)L->env->start_ns);
		ir_alu(f, BPF_SUB, v, t);
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
	if (!strcmp(b, "goid")) {
		/* *(int64 *)(r14 + offsetof(runtime.g, goid)): r14 holds the running goroutine's g */
		int g = ir_vreg(f);
		ir_ldx(f, 8, g, RCTX, PT_GO_G);
		ir_alui(f, BPF_ADD, g, (int32_t)n->ival);
		int slot = slot_alloc_stack(L, 8);
		ir_st(f, 8, FP, (int16_t)slot, 0);
		helper_call(L, BPF_FUNC_probe_read_user, 3, (struct harg[]){ HFP(slot), HIMM(8), HREG(g) });
		v = ir_vreg(f);
		ir_ldx(f, 8, v, FP, (int16_t)slot);
		return v;
	}
	if (L->blk->prov->has_usdt_args && !strncmp(b, "arg", 3))
		return lower_usdt_arg(L, atoi(b + 3));
	if (L->blk->prov->has_regs && (!strncmp(b, "arg", 3) || !strcmp(b, "retval"))) {
		v = ir_vreg(f);
		ir_ldx(f, 8, v, RCTX, b[0] == 'a' ? pt_sysv_args[b[3] - '0'] : PT_RETVAL);
		return v;
	}
	if (!strcmp(b, "probe") || !strcmp(b, "func")) {
		/* Attached probes carry their id as the link's cookie; test-run ones as ctx[0]. */
		if (L->probe_slot) {
			v = ir_vreg(f);
			ir_ldx(f, 8, v, FP, (int16_t)L->probe_slot);
			return v;
		}
		if (L->blk->prov->mode == RUN_ATTACHED)
			return helper_call(L, BPF_FUNC_get_attach_cookie, 1, (struct harg[]){ HREG(RCTX) });
		v = ir_vreg(f);
		ir_ldx(f, 8, v, RCTX, 0);
		return v;
	}
	v = ir_vreg(f);
	ir_movi(f, v, 0);
	return v;
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

/* 1 if the two zero-filled strings are equal, else 0. */
static int lower_str_eq(struct lower *L, struct node *n)
{
	int a = lower_mem(L, n->a), b = lower_mem(L, n->b);
	int r = ir_vreg(L->f), l_ne = ir_new_label(L->f), l_done = ir_new_label(L->f);
	for (int i = 0; i < sonde_strlen; i += 8) {
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

static int is_signed_type(const struct type *t)
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
		int is_signed = is_signed_type(n->a->type) && is_signed_type(n->b->type);
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
	/* an array member cast to a pointer: its address (sema allowed only those in memory) */
	int v = n->a->type->kind == TY_ARRAY ? lower_addr(L, n->a) : lower_scalar(L, n->a);
	const struct type *t = n->type;
	int r = ir_vreg(L->f);
	ir_mov(L->f, r, v);
	if (t->kind == TY_INT)
		extend(L, r, t->size, t->is_signed);
	if (t->kind == TY_BOOL) {
		int l = ir_new_label(L->f);
		ir_jmpi(L->f, BPF_JEQ, r, 0, l);
		ir_movi(L->f, r, 1);
		ir_label(L->f, l);
	}
	return r;
}

static int lower_incdec(struct lower *L, struct node *n);

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

static int var_off(struct lower *L, struct node *n)
{
	return L->blk->vars.v[n->var_slot].slot_off;
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
		ir_ldx(f, 8, v, FP, (int16_t)var_off(L, n));
		break;
	case N_MAP:
		v = lower_map_read(L, n, 0);
		break;
	case N_BINOP:
		v = lower_binop(L, n);
		break;
	case N_UNOP:
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
	case N_DEREF: {
		/* the address's memory: the process's when it is a user address or the probe is in user space */
		const struct type *at = n->a->type;
		int user = at->user_addr || at->user_mem || L->blk->prov->mode != RUN_ATTACHED || L->blk->prov->can_sleep;
		v = read_kernel_scalar(L, lower_scalar(L, n->a), n->type, user);
		break;
	}
	case N_FIELD: case N_INDEX:
		if (n->kind == N_FIELD && n->a->type->kind == TY_ARGS) {
			/* an integer field: a direct load from the context */
			int size = n->type->kind == TY_INT ? n->type->size : 8;
			v = ir_vreg(f);
			ir_ldx(f, size, v, RCTX, (int16_t)n->ival);
			if (n->type->kind == TY_INT)
				extend(L, v, size, n->type->is_signed);
			break;
		}
		v = read_kernel_scalar(L, lower_addr(L, n), n->type, field_in_user_mem(n));
		break;
	case N_TUPLE_ELEM: {
		int off = lower_mem(L, n->a);
		v = ir_vreg(f);
		ir_ldx(f, 8, v, FP, (int16_t)(off + n->a->type->offs[n->ival]));
		break;
	}
	case N_CALL:
		if (!strcmp(n->name, "has_key")) {
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
		} else if (!strcmp(n->name, "ksym")) {
			v = lower_scalar(L, n->list);	/* the address; user space names it */
		} else if (!strcmp(n->name, "uaddr")) {
			/* a PIE: the symbol's distance from the probed instruction, plus ip */
			v = ir_vreg(f);
			int d = ir_vreg(f);
			ir_ldx(f, 8, v, RCTX, PT_IP);
			ir_movi(f, d, (int64_t)n->ival);
			ir_alu(f, BPF_ADD, v, d);
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

static void lower_ntop(struct lower *L, struct node *n, int off)
{
	struct node *addr = n->list->next ? n->list->next : n->list;
	zero_slot(L, off, 24);
	int is6 = addr->type->kind == TY_ARRAY && addr->type->size == 16;
	if (n->list->next) {
		int af = lower_scalar(L, n->list);
		ir_stx(L->f, 8, FP, (int16_t)off, af);
	} else {
		ir_st(L->f, 8, FP, (int16_t)off, is6 ? AF_INET6 : AF_INET);
	}
	if (addr->type->kind == TY_ARRAY) {
		int a = lower_addr(L, addr);
		helper_call(L, BPF_FUNC_probe_read_kernel, 3,
			    (struct harg[]){ HFP(off + 8), HIMM(addr->type->size), HREG(a) });
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
		read_into(L, field_in_user_mem(x) ? BPF_FUNC_probe_read_user : BPF_FUNC_probe_read_kernel, HFP(off + 8),
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
		int helper = field_in_user_mem(x) ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str;
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
		copy_slot(L, off, var_off(L, n), t->size);
		break;
	case N_MAP:
		lower_map_read(L, n, off);
		break;
	case N_TUPLE: {
		zero_slot(L, off, t->size);
		int i = 0;
		for (struct node *e = n->list; e; e = e->next, i++)
			store_value(L, e, t->fields[i], off + t->offs[i]);
		break;
	}
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
	case N_FIELD: case N_INDEX:	/* a char array read as a string */
		read_str_into(L, field_in_user_mem(n) ? BPF_FUNC_probe_read_user_str : BPF_FUNC_probe_read_kernel_str, lower_addr(L, n),
			      t->array_len < sonde_strlen ? t->array_len : sonde_strlen, off);
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
		return var_off(L, n);
	int size = n->type->kind == TY_ARRAY ? sonde_strlen : n->type->size;
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

/* ---- statements ---- */

static void lower_block(struct lower *L, struct node *blk);

static void lower_var_assign(struct lower *L, struct node *n)
{
	struct var *v = &L->blk->vars.v[n->a->var_slot];
	if (n->op == T_ASSIGN) {
		store_value(L, n->b, v->type, v->slot_off);
		return;
	}
	int x = ir_vreg(L->f);
	ir_ldx(L->f, 8, x, FP, (int16_t)v->slot_off);
	int y = lower_scalar(L, n->b);
	lower_arith(L, binop_code(n->op), is_signed_type(v->type), x, y);
	ir_stx(L->f, 8, FP, (int16_t)v->slot_off, x);
}

/* ++/--: returns the new value (prefix) or the old one (postfix). */
static int lower_incdec(struct lower *L, struct node *n)
{
	uint8_t op = n->op == T_INC ? BPF_ADD : BPF_SUB;
	int x;
	if (n->a->kind == N_MAP) {
		x = lower_map_compound(L, n->a, op, NULL, 1);
	} else {
		int off = var_off(L, n->a);
		x = ir_vreg(L->f);
		ir_ldx(L->f, 8, x, FP, (int16_t)off);
		ir_alui(L->f, op, x, 1);
		ir_stx(L->f, 8, FP, (int16_t)off, x);
	}
	if (n->prefix)
		return x;
	int old = ir_vreg(L->f);
	ir_mov(L->f, old, x);
	ir_alui(L->f, op == BPF_ADD ? BPF_SUB : BPF_ADD, old, 1);
	return old;
}

static void lower_stmt(struct lower *L, struct node *n)
{
	struct ir_func *f = L->f;
	int mark = L->depth, smark = L->sdepth;
	f->span = n->span;
	switch (n->kind) {
	case N_ASSIGN:
		if (n->a->kind == N_VAR)
			lower_var_assign(L, n);
		else if (n->op == T_ASSIGN)
			lower_map_assign(L, n);
		else
			lower_map_compound(L, n->a, binop_code(n->op), n->b, 0);
		break;
	case N_INCDEC:
		lower_incdec(L, n);
		break;
	case N_EXPR_STMT:
		if (n->a->kind == N_CALL && n->a->type->kind == TY_VOID)
			lower_record_call(L, n->a);
		else if (type_is_scalar(n->a->type))
			lower_scalar(L, n->a);
		else
			lower_mem(L, n->a);
		break;
	case N_IF: {
		int l_else = ir_new_label(f), l_done = ir_new_label(f);
		int c = lower_scalar(L, n->a);
		ir_jmpi(f, BPF_JEQ, c, 0, l_else);
		lower_block(L, n->b);
		ir_ja(f, l_done);
		ir_label(f, l_else);
		if (n->c) {
			if (n->c->kind == N_IF)
				lower_stmt(L, n->c);
			else
				lower_block(L, n->c);
		}
		ir_label(f, l_done);
		break;
	}
	case N_WHILE: {
		int l_top = ir_new_label(f), l_end = ir_new_label(f);
		int saved_break = L->l_break, saved_continue = L->l_continue;
		L->l_break = l_end;
		L->l_continue = l_top;
		ir_label(f, l_top);
		int c = lower_scalar(L, n->a);
		ir_jmpi(f, BPF_JEQ, c, 0, l_end);
		lower_block(L, n->b);
		ir_ja(f, l_top);
		ir_label(f, l_end);
		L->l_break = saved_break;
		L->l_continue = saved_continue;
		break;
	}
	case N_BREAK:
		ir_ja(f, L->l_break);
		break;
	case N_CONTINUE:
		ir_ja(f, L->l_continue);
		break;
	case N_UNROLL:
		for (uint64_t i = 0; i < n->ival; i++)
			lower_block(L, n->b);
		break;
	case N_RETURN:
		ir_ja(f, L->l_exit);
		break;
	case N_BLOCK:
		lower_block(L, n);
		break;
	default:
		break;
	}
	L->depth = mark;
	L->sdepth = smark;
}

static void lower_block(struct lower *L, struct node *blk)
{
	for (struct node *s = blk->list; s; s = s->next)
		lower_stmt(L, s);
}

/* Offset of task_struct.thread_info.status, or -1 where there is none. */
static int compat_status_offset(void)
{
	int task = kbtf_find_struct("task_struct"), off1, off2, ti, st;
	if (task < 0 || kbtf_field(task, "thread_info", &off1, &ti) || kbtf_field(ti, "status", &off2, &st))
		return -1;
	return off1 + off2;
}

/*
 * A block of many syscall tracepoints also runs from raw_syscalls events
 * (cookie DISPATCH_COOKIE_*): the syscall number picks the probe through the
 * dispatch map, and numbers no probe asked for leave at once. Events
 * attached on their own carry the probe id as cookie.
 */
static void lower_dispatch(struct lower *L)
{
	struct ir_func *f = L->f;
	L->probe_slot = slot_alloc_stack(L, 8);
	int cookie = helper_call(L, BPF_FUNC_get_attach_cookie, 1, (struct harg[]){ HREG(RCTX) });
	ir_stx(f, 8, FP, (int16_t)L->probe_slot, cookie);
	int l_body = ir_new_label(f), big = ir_vreg(f);
	ir_movi(f, big, (int64_t)DISPATCH_COOKIE_ENTER);
	ir_jmp(f, BPF_JLT, cookie, big, l_body);
	/*
	 * raw_syscalls also fires for 32-bit (ia32) calls, numbered differently;
	 * the sys_enter_X tracepoints do not. Skip tasks in a compat syscall
	 * (task->thread_info.status & TS_COMPAT) where the kernel has that field.
	 */
	int status_off = compat_status_offset();
	if (status_off >= 0) {
		int task = helper_call(L, BPF_FUNC_get_current_task, 0, NULL);
		ir_alui(f, BPF_ADD, task, status_off);
		int st = slot_alloc_stack(L, 8);
		ir_st(f, 8, FP, (int16_t)st, 0);
		helper_call(L, BPF_FUNC_probe_read_kernel, 3, (struct harg[]){ HFP(st), HIMM(4), HREG(task) });
		int status = ir_vreg(f);
		ir_ldx(f, 4, status, FP, (int16_t)st);
		ir_jmpi(f, BPF_JSET, status, TS_COMPAT, L->l_exit);
	}
	int key = ir_vreg(f), dir = ir_vreg(f);
	ir_ldx(f, 4, key, RCTX, 8);	/* raw_syscalls' long id, low half */
	ir_jmpi(f, BPF_JGE, key, SYSCALL_NR_MAX, L->l_exit);
	ir_mov(f, dir, cookie);
	ir_alui(f, BPF_RSH, dir, 41);	/* enter 0, exit 1 */
	ir_alui(f, BPF_LSH, dir, 10);	/* × SYSCALL_NR_MAX */
	ir_alu(f, BPF_ADD, key, dir);
	int key_slot = slot_alloc_stack(L, 8);
	ir_stx(f, 8, FP, (int16_t)key_slot, key);
	int p = helper_call(L, BPF_FUNC_map_lookup_elem, 2, (struct harg[]){ HMAP(L->blk->dispatch_fd), HFP(key_slot) });
	ir_jmpi(f, BPF_JEQ, p, 0, L->l_exit);
	int id = ir_vreg(f);
	ir_ldx(f, 8, id, p, 0);
	ir_jmpi(f, BPF_JEQ, id, 0, L->l_exit);
	ir_alui(f, BPF_SUB, id, 1);
	ir_stx(f, 8, FP, (int16_t)L->probe_slot, id);
	ir_label(f, l_body);
}

/* Nesting counter: key 0 of the per-CPU nest map, at frame offset key. */
static void nest_lookup(struct ir_func *f, int fd, int key, int l_fail)
{
	ir_st(f, 8, FP, (int16_t)key, 0);
	ir_ld_map(f, R1, fd);
	ir_mov(f, R2, FP);
	ir_alui(f, BPF_ADD, R2, key);
	ir_call(f, BPF_FUNC_map_lookup_elem);
	ir_jmpi(f, BPF_JEQ, R0, 0, l_fail);
}

/*
 * With scratch in use: take a free scratch level of this CPU, point R9 at its
 * area, and give the level back on the way out. Levels are bits taken and
 * freed atomically, not a depth counter: a preempted or sleeping program on
 * the same CPU may finish after one that started later. With every level
 * taken the probe is skipped rather than share an area.
 */
static int add_scratch(struct ir_func *f, const struct codegen_env *env, int l_exit, char *err, size_t errlen)
{
	int fd = env->new_scratch_map ? env->new_scratch_map(env->ctx, f->scratch, SCRATCH_LEVELS) : -1;
	if (fd < 0) {
		snprintf(err, errlen, "cannot create a scratch map of %d bytes for this probe's strings and tuples", f->scratch);
		return -1;
	}
	f->stack += 16;
	int key = -f->stack, level = key + 8;
	int l_ret = ir_new_label(f);
	struct ir_func pro = { .nlabels = f->nlabels, .span = f->span };
	nest_lookup(&pro, env->nest_fd, key, l_ret);
	int l_got = ir_new_label(&pro);
	for (int lvl = 0; lvl < SCRATCH_LEVELS; lvl++) {
		ir_movi(&pro, RSCRATCH, lvl);
		ir_movi(&pro, R1, 1 << lvl);
		ir_atomic(&pro, 8, BPF_OR | BPF_FETCH, R0, 0, R1);
		ir_alui(&pro, BPF_AND, R1, 1 << lvl);
		ir_jmpi(&pro, BPF_JEQ, R1, 0, l_got);
	}
	ir_ja(&pro, l_ret);
	ir_label(&pro, l_got);
	ir_stx(&pro, 4, FP, (int16_t)key, RSCRATCH);
	ir_stx(&pro, 8, FP, (int16_t)level, RSCRATCH);
	ir_ld_map(&pro, R1, fd);
	ir_mov(&pro, R2, FP);
	ir_alui(&pro, BPF_ADD, R2, key);
	ir_call(&pro, BPF_FUNC_map_lookup_elem);
	ir_jmpi(&pro, BPF_JEQ, R0, 0, l_exit);
	ir_mov(&pro, RSCRATCH, R0);
	/* splice after `r6 = r1` */
	VEC(struct ir_insn) all = { 0 };
	VEC_PUSH(all, f->insns.v[0]);
	for (int i = 0; i < pro.insns.n; i++)
		VEC_PUSH(all, pro.insns.v[i]);
	for (int i = 1; i < f->insns.n; i++)
		VEC_PUSH(all, f->insns.v[i]);
	free(pro.insns.v);
	free(f->insns.v);
	f->insns.v = all.v;
	f->insns.n = all.n;
	f->insns.cap = all.cap;
	f->nlabels = pro.nlabels;
	/* epilogue: at l_exit (already placed), give the level back */
	nest_lookup(f, env->nest_fd, key, l_ret);
	ir_ldx(f, 8, R2, FP, (int16_t)level);
	ir_movi(f, R1, 1);
	ir_alu(f, BPF_LSH, R1, R2);
	ir_alui(f, BPF_XOR, R1, -1);
	ir_atomic(f, 8, BPF_AND, R0, 0, R1);
	ir_label(f, l_ret);
	return 0;
}

int codegen_block(struct script *s, struct probe_block *blk, const struct codegen_env *env,
		  struct emitted *out, struct strbuf *dump, char *err, size_t errlen)
{
	struct ir_func f = { 0 };
	struct lower L = { .f = &f, .s = s, .blk = blk, .env = env, .l_break = -1, .l_continue = -1 };
	/* Slots take the stack up to this budget; the rest is left for spills. */
	L.stack_budget = env->stack_budget > 0 ? env->stack_budget : 384;
	f.span = blk->node->span;
	L.l_exit = ir_new_label(&f);
	L.may_sleep = env->can_sleep && blk->prov && blk->prov->can_sleep;
	blk->sleepable = 0;
	ir_mov(&f, RCTX, R1);
	if (blk->go_stack_check) {
		/* on `jbe morestack`: CF or ZF set means the function will start over; count it then */
		int flags = ir_vreg(&f);
		ir_ldx(&f, 8, flags, RCTX, PT_FLAGS);
		ir_alui(&f, BPF_AND, flags, FLAGS_CF_ZF);
		ir_jmpi(&f, BPF_JNE, flags, 0, L.l_exit);
	}
	/* Variables: one zeroed slot each for the whole block. */
	for (int i = 0; i < blk->vars.n; i++) {
		struct var *v = &blk->vars.v[i];
		v->slot_off = type_is_scalar(v->type) ? slot_alloc_stack(&L, v->type->size)
						       : slot_alloc(&L, v->type->size);
		zero_slot(&L, v->slot_off, (int)ALIGN8((size_t)v->type->size));
	}
	if (blk->dispatch_fd >= 0)
		lower_dispatch(&L);
	if (env->filter_pid && blk->prov->mode == RUN_ATTACHED) {
		/* -p: other processes leave at once */
		int tgid = helper_call(&L, BPF_FUNC_get_current_pid_tgid, 0, NULL);
		ir_alui(&f, BPF_RSH, tgid, 32);
		ir_jmpi(&f, BPF_JNE, tgid, env->filter_pid, L.l_exit);
	}
	if (blk->node->pred) {
		f.span = blk->node->pred->span;
		int c = lower_scalar(&L, blk->node->pred);
		ir_jmpi(&f, BPF_JEQ, c, 0, L.l_exit);
	}
	lower_block(&L, blk->node->b);
	ir_label(&f, L.l_exit);
	if (f.scratch > SCRATCH_BIAS + SCRATCH_MARK) {
		snprintf(err, errlen, "the probe needs %d bytes for strings, tuples and records, more than sonde's %d: use shorter strings (BPFTRACE_STRLEN)",
			 f.scratch, SCRATCH_BIAS + SCRATCH_MARK);
		free(f.insns.v);
		return -1;
	}
	if (f.scratch && add_scratch(&f, env, L.l_exit, err, errlen)) {
		free(f.insns.v);
		return -1;
	}
	ir_movi(&f, R0, 0);
	ir_exit(&f);
	ir_prune(&f);
	if (dump) {
		sb_printf(dump, "IR for block at line %d (%d virtual registers):\n", blk->node->span.line, f.nvregs);
		ir_dump(&f, dump);
	}
	int rc = regalloc(&f, err, errlen);
	if (!rc && dump) {
		sb_puts(dump, "after register allocation:\n");
		ir_dump(&f, dump);
	}
	if (!rc && ir_emit(&f, out)) {
		snprintf(err, errlen, "the probe compiles to %d BPF instructions and one of its branches jumps over more than the 32767 a BPF jump can reach: split the block or shorten what an if or loop holds",
			 out->n);
		free(out->insns);
		free(out->spans);
		*out = (struct emitted){ 0 };
		rc = -1;
	}
	if (!rc)
		blk->stack_bytes = f.stack;
	free(f.insns.v);
	return rc;
}
