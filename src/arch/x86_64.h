/*
 * x86-64: where struct pt_regs (the context of uprobes and perf events) keeps
 * each register, which registers carry arguments and results, and how the
 * assembler and bpftrace's reg() spell them. An arm64 port adds a sibling.
 */
#ifndef SONDE_ARCH_X86_64_H
#define SONDE_ARCH_X86_64_H
#include <stdint.h>
#include <string.h>

enum pt_reg_off {
	PT_R14 = 8, PT_BP = 32, PT_AX = 80, PT_CX = 88, PT_DX = 96, PT_SI = 104, PT_DI = 112, PT_IP = 128, PT_FLAGS = 144, PT_SP = 152,
};

#define PT_RETVAL PT_AX		/* where a return probe finds the result */
#define PT_GO_G PT_R14		/* Go 1.17+: the running goroutine's g */
#define FLAGS_CF_ZF 0x41	/* the flags `jbe` jumps on */
#define TS_COMPAT 0x0002	/* thread_info.status: the task is in a 32-bit (ia32) syscall */

/* SysV: rdi, rsi, rdx, rcx, r8, r9 */
static const int16_t pt_sysv_args[6] = { 112, 104, 96, 88, 72, 64 };
/* Go's internal ABI: RAX, RBX, RCX, RDI, RSI, R8-R11 */
static const int16_t pt_go_args[9] = { 80, 40, 88, 112, 104, 72, 64, 56, 48 };
/* the same, as reg() spells them */
static const char *const pt_go_arg_names[9] = { "ax", "bx", "cx", "di", "si", "r8", "r9", "r10", "r11" };

/* pt_regs offset of a register by the name bpftrace's reg() takes; -1 if none. */
static inline int pt_regs_offset(const char *name)
{
	static const char *const names[] = { "r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
					     "ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp", "ss" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return (int)(8 * i);
	return -1;
}

struct asm_reg {
	const char *name;
	int off, shift;
};

/* Every spelling GCC writes in USDT operands, by pt_regs offset; %ah-style bytes shift by 8. */
static const struct asm_reg pt_asm_regs[] = {
	{ "rax", 80 }, { "eax", 80 }, { "ax", 80 }, { "al", 80 }, { "ah", 80, 8 },
	{ "rbx", 40 }, { "ebx", 40 }, { "bx", 40 }, { "bl", 40 }, { "bh", 40, 8 },
	{ "rcx", 88 }, { "ecx", 88 }, { "cx", 88 }, { "cl", 88 }, { "ch", 88, 8 },
	{ "rdx", 96 }, { "edx", 96 }, { "dx", 96 }, { "dl", 96 }, { "dh", 96, 8 },
	{ "rsi", 104 }, { "esi", 104 }, { "si", 104 }, { "sil", 104 },
	{ "rdi", 112 }, { "edi", 112 }, { "di", 112 }, { "dil", 112 },
	{ "rbp", 32 }, { "ebp", 32 }, { "bp", 32 }, { "bpl", 32 },
	{ "rsp", 152 }, { "esp", 152 }, { "sp", 152 }, { "spl", 152 },
	{ "r8", 72 }, { "r8d", 72 }, { "r8w", 72 }, { "r8b", 72 },
	{ "r9", 64 }, { "r9d", 64 }, { "r9w", 64 }, { "r9b", 64 },
	{ "r10", 56 }, { "r10d", 56 }, { "r10w", 56 }, { "r10b", 56 },
	{ "r11", 48 }, { "r11d", 48 }, { "r11w", 48 }, { "r11b", 48 },
	{ "r12", 24 }, { "r12d", 24 }, { "r12w", 24 }, { "r12b", 24 },
	{ "r13", 16 }, { "r13d", 16 }, { "r13w", 16 }, { "r13b", 16 },
	{ "r14", 8 }, { "r14d", 8 }, { "r14w", 8 }, { "r14b", 8 },
	{ "r15", 0 }, { "r15d", 0 }, { "r15w", 0 }, { "r15b", 0 },
	{ "rip", PT_IP },
};

#endif
