#include "ir.h"
#include <stdlib.h>
#include <string.h>

static struct ir_insn *push(struct ir_func *f, enum ir_kind kind, uint8_t code, int dst, int src)
{
	struct ir_insn i = { .kind = kind, .code = code, .dst = dst, .src = src, .label = -1, .span = f->span };
	VEC_PUSH(f->insns, i);
	return &f->insns.v[f->insns.n - 1];
}

int ir_vreg(struct ir_func *f)
{
	return VREG0 + f->nvregs++;
}

int ir_new_label(struct ir_func *f)
{
	return f->nlabels++;
}

void ir_label(struct ir_func *f, int label)
{
	push(f, IR_LABEL, 0, -1, -1)->label = label;
}

void ir_alu(struct ir_func *f, uint8_t op, int dst, int src)
{
	push(f, IR_INSN, BPF_ALU64 | op | BPF_X, dst, src);
}

void ir_alui(struct ir_func *f, uint8_t op, int dst, int32_t imm)
{
	push(f, IR_INSN, BPF_ALU64 | op | BPF_K, dst, -1)->imm = imm;
}

void ir_sdiv(struct ir_func *f, uint8_t op, int dst, int src)
{
	push(f, IR_INSN, BPF_ALU64 | op | BPF_X, dst, src)->off = 1;
}

void ir_mov(struct ir_func *f, int dst, int src)
{
	if (dst != src)
		ir_alu(f, BPF_MOV, dst, src);
}

void ir_movi(struct ir_func *f, int dst, int64_t imm)
{
	if (imm >= INT32_MIN && imm <= INT32_MAX)
		ir_alui(f, BPF_MOV, dst, (int32_t)imm);
	else
		push(f, IR_LD_IMM64, BPF_LD | BPF_DW | BPF_IMM, dst, -1)->imm64 = imm;
}

int ir_size_code(int size)
{
	switch (size) {
	case 1: return BPF_B;
	case 2: return BPF_H;
	case 4: return BPF_W;
	default: return BPF_DW;
	}
}

/* Frame slots past the stack budget are scratch-map bytes at R9. */
static void rebase(int *base, int *off)
{
	if (*base == FP && *off < SCRATCH_MARK) {
		*base = RSCRATCH;
		*off += SCRATCH_BIAS;
	}
}

void ir_ldx(struct ir_func *f, int size, int dst, int base, int16_t off16)
{
	int off = off16;
	rebase(&base, &off);
	push(f, IR_INSN, BPF_LDX | BPF_MEM | ir_size_code(size), dst, base)->off = (int16_t)off;
}

void ir_stx(struct ir_func *f, int size, int base, int16_t off16, int src)
{
	int off = off16;
	rebase(&base, &off);
	push(f, IR_INSN, BPF_STX | BPF_MEM | ir_size_code(size), base, src)->off = (int16_t)off;
}

void ir_st(struct ir_func *f, int size, int base, int16_t off16, int32_t imm)
{
	int off = off16;
	rebase(&base, &off);
	struct ir_insn *i = push(f, IR_INSN, BPF_ST | BPF_MEM | ir_size_code(size), base, -1);
	i->off = (int16_t)off;
	i->imm = imm;
}

void ir_atomic(struct ir_func *f, int size, int op, int base, int16_t off16, int src)
{
	int off = off16;
	rebase(&base, &off);
	struct ir_insn *i = push(f, IR_INSN, BPF_STX | BPF_ATOMIC | ir_size_code(size), base, src);
	i->off = (int16_t)off;
	i->imm = op;
}

void ir_jmp(struct ir_func *f, uint8_t op, int a, int b, int label)
{
	push(f, IR_JUMP, BPF_JMP | op | BPF_X, a, b)->label = label;
}

void ir_jmpi(struct ir_func *f, uint8_t op, int a, int32_t imm, int label)
{
	struct ir_insn *i = push(f, IR_JUMP, BPF_JMP | op | BPF_K, a, -1);
	i->imm = imm;
	i->label = label;
}

void ir_splice(struct ir_func *f, int at, struct ir_func *pro)
{
	VEC(struct ir_insn) all = { 0 };
	for (int i = 0; i < at; i++)
		VEC_PUSH(all, f->insns.v[i]);
	for (int i = 0; i < pro->insns.n; i++)
		VEC_PUSH(all, pro->insns.v[i]);
	for (int i = at; i < f->insns.n; i++)
		VEC_PUSH(all, f->insns.v[i]);
	free(pro->insns.v);
	pro->insns.v = NULL;
	pro->insns.n = pro->insns.cap = 0;
	free(f->insns.v);
	f->insns.v = all.v;
	f->insns.n = all.n;
	f->insns.cap = all.cap;
}

void ir_ja(struct ir_func *f, int label)
{
	push(f, IR_JUMP, BPF_JMP | BPF_JA, -1, -1)->label = label;
}

void ir_ld_map(struct ir_func *f, int dst, int fd)
{
	push(f, IR_LD_MAP, BPF_LD | BPF_DW | BPF_IMM, dst, -1)->imm = fd;
}

void ir_ld_func(struct ir_func *f, int dst)
{
	push(f, IR_LD_FUNC, BPF_LD | BPF_DW | BPF_IMM, dst, -1);
}

void ir_ld_func_id(struct ir_func *f, int dst, int id)
{
	push(f, IR_LD_FUNC, BPF_LD | BPF_DW | BPF_IMM, dst, -1)->imm = id;
}

void ir_call_begin(struct ir_func *f)
{
	push(f, IR_CALL_BEGIN, 0, -1, -1);
}

void ir_call(struct ir_func *f, int helper)
{
	push(f, IR_INSN, BPF_JMP | BPF_CALL, -1, -1)->imm = helper;
}

void ir_kfunc_call(struct ir_func *f, int btf_id)
{
	/* src_reg carries BPF_PSEUDO_KFUNC_CALL; it is below VREG0, so the allocator leaves it. */
	push(f, IR_INSN, BPF_JMP | BPF_CALL, -1, BPF_PSEUDO_KFUNC_CALL)->imm = btf_id;
}

void ir_exit(struct ir_func *f)
{
	push(f, IR_INSN, BPF_JMP | BPF_EXIT, -1, -1);
}

static void reg_name(int r, struct strbuf *out)
{
	if (r < 0)
		sb_puts(out, "?");
	else if (r >= VREG0)
		sb_printf(out, "v%d", r - VREG0);
	else
		sb_printf(out, "r%d", r);
}

static int size_bits(uint8_t code)
{
	static const int bits[4] = { 32, 16, 8, 64 };	/* BPF_W, BPF_H, BPF_B, BPF_DW */
	return bits[BPF_SIZE(code) >> 3];
}

static const char *alu_name(uint8_t op)
{
	static const char *const names[16] = { "+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
					       "neg", "%=", "^=", "=", "s>>=", "end", "?", "?" };
	return names[op >> 4];
}

static const char *jmp_name(uint8_t op)
{
	static const char *const names[16] = { "ja", "==", ">", ">=", "&", "!=", "s>", "s>=",
					       "call", "exit", "<", "<=", "s<", "s<=", "?", "?" };
	return names[op >> 4];
}

void ir_dump(const struct ir_func *f, struct strbuf *out)
{
	for (int k = 0; k < f->insns.n; k++) {
		const struct ir_insn *i = &f->insns.v[k];
		uint8_t cls = BPF_CLASS(i->code);
		switch (i->kind) {
		case IR_LABEL: sb_printf(out, "L%d:\n", i->label); continue;
		case IR_CALL_BEGIN: sb_puts(out, "    ; call args\n"); continue;
		case IR_LD_MAP: sb_puts(out, "    "); reg_name(i->dst, out);
			sb_printf(out, " = map_fd(%d)\n", i->imm); continue;
		case IR_LD_FUNC: sb_puts(out, "    "); reg_name(i->dst, out);
			sb_puts(out, " = callback\n"); continue;
		case IR_LD_IMM64: sb_puts(out, "    "); reg_name(i->dst, out);
			sb_printf(out, " = %lld ll\n", (long long)i->imm64); continue;
		default: break;
		}
		sb_puts(out, "    ");
		if (cls == BPF_ALU64) {
			reg_name(i->dst, out);
			sb_printf(out, " %s%s ", i->off ? "s" : "", alu_name(BPF_OP(i->code)));
			if (BPF_SRC(i->code) == BPF_X)
				reg_name(i->src, out);
			else
				sb_printf(out, "%d", i->imm);
		} else if (cls == BPF_LDX) {
			reg_name(i->dst, out);
			sb_printf(out, " = *(u%d *)(", size_bits(i->code));
			reg_name(i->src, out);
			sb_printf(out, " %+d)", i->off);
		} else if (cls == BPF_STX && BPF_MODE(i->code) == BPF_ATOMIC) {
			sb_printf(out, "lock%s *(", i->imm & BPF_FETCH ? " fetch" : "");
			reg_name(i->dst, out);
			sb_printf(out, " %+d) %s (u%d)", i->off, alu_name((uint8_t)(i->imm & ~BPF_FETCH)), size_bits(i->code));
			reg_name(i->src, out);
		} else if (cls == BPF_STX || cls == BPF_ST) {
			sb_puts(out, "*(");
			reg_name(i->dst, out);
			sb_printf(out, " %+d) = (u%d)", i->off, size_bits(i->code));
			if (cls == BPF_STX)
				reg_name(i->src, out);
			else
				sb_printf(out, "%d", i->imm);
		} else if (BPF_OP(i->code) == BPF_CALL) {
			sb_printf(out, "call %d", i->imm);
		} else if (BPF_OP(i->code) == BPF_EXIT) {
			sb_puts(out, "exit");
		} else if (BPF_OP(i->code) == BPF_JA) {
			sb_printf(out, "goto L%d", i->label);
		} else {
			sb_puts(out, "if ");
			reg_name(i->dst, out);
			sb_printf(out, " %s ", jmp_name(BPF_OP(i->code)));
			if (BPF_SRC(i->code) == BPF_X)
				reg_name(i->src, out);
			else
				sb_printf(out, "%d", i->imm);
			sb_printf(out, " goto L%d", i->label);
		}
		sb_putc(out, '\n');
	}
}

/* The verifier rejects unreachable instructions: drop what no path reaches (code after exit(), return). */
void ir_prune(struct ir_func *f)
{
	int n = f->insns.n;
	int *label_at = xcalloc((size_t)(f->nlabels ? f->nlabels : 1), sizeof(int));
	for (int k = 0; k < n; k++)
		if (f->insns.v[k].kind == IR_LABEL)
			label_at[f->insns.v[k].label] = k;
	char *reach = xcalloc((size_t)(n ? n : 1), 1);
	int *work = xcalloc((size_t)(n ? n : 1) * 2, sizeof(int));
	int top = 0;
	if (n)
		work[top++] = 0;
	while (top) {
		int k = work[--top];
		if (k >= n || reach[k])
			continue;
		reach[k] = 1;
		const struct ir_insn *i = &f->insns.v[k];
		int is_exit = i->kind == IR_INSN && i->code == (BPF_JMP | BPF_EXIT);
		int is_ja = i->kind == IR_JUMP && BPF_OP(i->code) == BPF_JA;
		if (i->kind == IR_JUMP)
			work[top++] = label_at[i->label];
		if (!is_exit && !is_ja)
			work[top++] = k + 1;
	}
	int m = 0;
	for (int k = 0; k < n; k++)
		if (reach[k] || f->insns.v[k].kind == IR_LABEL)
			f->insns.v[m++] = f->insns.v[k];
	f->insns.n = m;
	free(reach);
	free(work);
	free(label_at);
}
