/* IR (physical registers) → struct bpf_insn: label offsets, 16-byte loads, span map. */
#include "ir.h"
#include <stdlib.h>
#include <string.h>

static int width(const struct ir_insn *i)
{
	switch (i->kind) {
	case IR_LABEL: case IR_CALL_BEGIN: return 0;
	case IR_LD_IMM64: case IR_LD_MAP: case IR_LD_FUNC: return 2;
	default: return 1;
	}
}

static uint8_t reg(int r)
{
	return r < 0 ? 0 : (uint8_t)r;
}

int ir_emit(const struct ir_func *f, struct emitted *out)
{
	int far = 0;	/* a branch past what a 16-bit offset reaches */
	int *label_at = xcalloc((size_t)(f->nlabels ? f->nlabels : 1), sizeof(int));
	int n = 0;
	for (int k = 0; k < f->insns.n; k++) {
		if (f->insns.v[k].kind == IR_LABEL)
			label_at[f->insns.v[k].label] = n;
		n += width(&f->insns.v[k]);
	}
	out->insns = xcalloc((size_t)(n ? n : 1), sizeof(struct bpf_insn));
	out->spans = xcalloc((size_t)(n ? n : 1), sizeof(struct span));
	out->n = n;
	int pc = 0;
	for (int k = 0; k < f->insns.n; k++) {
		const struct ir_insn *i = &f->insns.v[k];
		struct bpf_insn *b = &out->insns[pc];
		switch (i->kind) {
		case IR_LABEL: case IR_CALL_BEGIN:
			continue;
		case IR_LD_IMM64:
			b[0] = (struct bpf_insn){ .code = i->code, .dst_reg = reg(i->dst),
						  .imm = (int32_t)(uint32_t)(uint64_t)i->imm64 };
			b[1] = (struct bpf_insn){ .imm = (int32_t)(uint32_t)((uint64_t)i->imm64 >> 32) };
			break;
		case IR_LD_MAP:
			b[0] = (struct bpf_insn){ .code = i->code, .dst_reg = reg(i->dst),
						  .src_reg = BPF_PSEUDO_MAP_FD, .imm = i->imm };
			b[1] = (struct bpf_insn){ 0 };
			break;
		case IR_LD_FUNC:	/* imm: the function's id, made an offset by unwind_append_callback() or formap_finish() */
			b[0] = (struct bpf_insn){ .code = i->code, .dst_reg = reg(i->dst), .src_reg = BPF_PSEUDO_FUNC,
						  .imm = i->imm };
			b[1] = (struct bpf_insn){ 0 };
			break;
		case IR_JUMP:
			far |= label_at[i->label] - pc - 1 > INT16_MAX || label_at[i->label] - pc - 1 < INT16_MIN;
			b[0] = (struct bpf_insn){ .code = i->code, .dst_reg = reg(i->dst), .src_reg = reg(i->src),
						  .imm = i->imm, .off = (int16_t)(label_at[i->label] - pc - 1) };
			break;
		case IR_INSN:
			b[0] = (struct bpf_insn){ .code = i->code, .dst_reg = reg(i->dst), .src_reg = reg(i->src),
						  .off = i->off, .imm = i->imm };
			break;
		}
		for (int w = 0; w < width(i); w++)
			out->spans[pc + w] = i->span;
		pc += width(i);
	}
	free(label_at);
	return far ? -1 : 0;
}
