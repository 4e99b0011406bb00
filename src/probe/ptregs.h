/* x86-64 struct pt_regs, the context of uprobes: where each register sits, and the argument orders. */
#ifndef SONDE_PTREGS_H
#define SONDE_PTREGS_H
#include <stdint.h>

enum pt_reg_off {
	PT_R14 = 8, PT_AX = 80, PT_CX = 88, PT_DX = 96, PT_SI = 104, PT_DI = 112, PT_IP = 128, PT_FLAGS = 144, PT_SP = 152,
};

/* SysV: rdi, rsi, rdx, rcx, r8, r9 */
static const int16_t pt_sysv_args[6] = { 112, 104, 96, 88, 72, 64 };
/* Go's internal ABI: RAX, RBX, RCX, RDI, RSI, R8-R11 */
static const int16_t pt_go_args[9] = { 80, 40, 88, 112, 104, 72, 64, 56, 48 };

#endif
