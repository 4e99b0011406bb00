/*
 * The IR: BPF instructions over virtual registers, with labels instead of
 * offsets. Lowering writes it, the allocator maps registers, emit encodes.
 * Register refs 0..10 are physical (R0 return, R1-R5 helper args, R6 the
 * context, R10 the frame); refs >= VREG0 are virtual.
 */
#ifndef SONDE_IR_H
#define SONDE_IR_H
#include <stdint.h>
#include <linux/bpf.h>
#include "../lang/diag.h"
#include "../util/util.h"

#define VREG0 16
#define R0 0
#define R1 1
#define R2 2
#define R3 3
#define R4 4
#define R5 5
#define RCTX 6
#define FP 10
/*
 * Slots that do not fit the 512-byte stack live in a per-CPU scratch map
 * whose address is kept in R9. Lowering addresses both through FP: offsets
 * below SCRATCH_MARK mean scratch byte (off + SCRATCH_BIAS).
 */
#define RSCRATCH 9
#define SCRATCH_BIAS 32768
#define SCRATCH_MARK (-4096)

enum ir_kind {
	IR_INSN,	/* a plain instruction */
	IR_JUMP,	/* jump (conditional or not) to `label` */
	IR_LABEL,	/* a jump target */
	IR_LD_IMM64,	/* dst = imm64 (two slots) */
	IR_LD_MAP,	/* dst = map fd imm (pseudo map fd) */
	IR_CALL_BEGIN,	/* marks where helper arguments start: R1-R5 are clobbered from here */
	IR_LD_FUNC,	/* dst = the program's callback subprogram (bpf_loop), patched once it is placed */
};

struct ir_insn {
	enum ir_kind kind;
	uint8_t code;
	int dst, src;		/* -1: unused */
	int16_t off;
	int32_t imm;
	int64_t imm64;
	int label;
	struct span span;
};

struct ir_func {
	VEC(struct ir_insn) insns;
	int nvregs;
	int nlabels;
	int stack;		/* bytes of frame used by lowering's slots */
	int scratch;		/* bytes of per-CPU scratch used (R9 is then reserved) */
	struct span span;	/* source span stamped on new instructions */
};

int ir_vreg(struct ir_func *f);
int ir_new_label(struct ir_func *f);
void ir_label(struct ir_func *f, int label);
void ir_alu(struct ir_func *f, uint8_t op, int dst, int src);		/* dst op= src, 64-bit */
void ir_alui(struct ir_func *f, uint8_t op, int dst, int32_t imm);	/* dst op= imm */
void ir_mov(struct ir_func *f, int dst, int src);
void ir_movi(struct ir_func *f, int dst, int64_t imm);			/* picks mov or ld_imm64 */
void ir_ldx(struct ir_func *f, int size, int dst, int base, int16_t off);
void ir_stx(struct ir_func *f, int size, int base, int16_t off, int src);
void ir_st(struct ir_func *f, int size, int base, int16_t off, int32_t imm);
/* *(base + off) op= src, atomically (BPF_ADD, BPF_OR, BPF_AND; | BPF_FETCH puts the old value in src) */
void ir_atomic(struct ir_func *f, int size, int op, int base, int16_t off, int src);
void ir_jmp(struct ir_func *f, uint8_t op, int a, int b, int label);	/* if a op b goto */
void ir_jmpi(struct ir_func *f, uint8_t op, int a, int32_t imm, int label);
void ir_ja(struct ir_func *f, int label);
/* Inserts PRO's instructions into F before its instruction AT; PRO is left empty. */
void ir_splice(struct ir_func *f, int at, struct ir_func *pro);
void ir_ld_map(struct ir_func *f, int dst, int fd);
void ir_ld_func(struct ir_func *f, int dst);
void ir_ld_func_id(struct ir_func *f, int dst, int id);	/* id 0: the unwinder; k: the k-th map loop callback */
void ir_call_begin(struct ir_func *f);
void ir_call(struct ir_func *f, int helper);
void ir_kfunc_call(struct ir_func *f, int btf_id);	/* a kernel function from vmlinux BTF */
void ir_exit(struct ir_func *f);
void ir_sdiv(struct ir_func *f, uint8_t op, int dst, int src);	/* BPF v4 signed div/mod */
/* Size in bytes → BPF_B/H/W/DW. */
int ir_size_code(int size);
void ir_dump(const struct ir_func *f, struct strbuf *out);
void ir_prune(struct ir_func *f);

/* Maps virtual registers to R1-R9, spilling to the frame. -1 with *err set when the frame is too big. */
int regalloc(struct ir_func *f, char *err, size_t errlen);

#define EMIT_MAX_CALLBACKS 64	/* map loops in one probe */
struct emitted {
	struct bpf_insn *insns;
	struct span *spans;	/* one per instruction, for verifier messages */
	int n;
	int sub_at;		/* where the callback subprogram starts (the loader then gives BTF func_info); 0: none */
	int ncb;		/* for ($kv : @m) callbacks, starting at cb_at[] (codegen/formap.c) */
	int cb_at[EMIT_MAX_CALLBACKS];
};
/* -1 when a branch spans more instructions than a BPF jump's 16-bit offset reaches */
int ir_emit(const struct ir_func *f, struct emitted *out);

#endif
