/* x86-64 instruction boundaries, from Debian's capstone disassembler. */
#ifndef SONDE_INSN_H
#define SONDE_INSN_H
#include <stdint.h>

/*
 * Whether off (bytes from the function's start) begins an instruction of the
 * function at file_off (size bytes) in path. 1 yes, 0 no (before and after get
 * the nearest boundaries), -1 when the bytes cannot be read or decoded.
 */
int insn_is_boundary(const char *path, uint64_t file_off, uint64_t size, uint64_t off, uint64_t *before,
		     uint64_t *after);

/* Offsets of the function's RET instructions (at most max). Their count, or -1 when
 * the function cannot be decoded to its end. */
int insn_find_returns(const char *path, uint64_t file_off, uint64_t size, uint64_t *offs, int max);

/* A Go function's goroutine stack check (Go 1.17+, g in r14): `cmp rsp, [r14+0x10]; jbe
 * morestack`, the jbe at *jump and the next instruction at *after. 1 when found. */
int insn_go_stack_check(const char *path, uint64_t file_off, uint64_t size, uint64_t *jump, uint64_t *after);

/*
 * Whether a uprobe may sit on the instruction at file_off (size bytes to
 * the function's end). h->unsafe names the encoding when the kernel would
 * run it wrongly (NULL when safe); then h->text is the instruction,
 * h->safe_off the distance to the first safe instruction (h->found_safe),
 * and h->movable whether the unsafe ones before it write only vector or mask
 * registers that pass no argument (no memory, no general register, no
 * xmm0-7), so a probe moved there sees the same arguments and stack.
 * 0, or -1 when the bytes cannot be read or decoded.
 */
struct insn_hazard {
	const char *unsafe;
	char text[200];
	uint64_t safe_off;
	int found_safe, movable;
};
int insn_check_site(const char *path, uint64_t file_off, uint64_t size, struct insn_hazard *h);

/*
 * The first direct jump or conditional jump (which uprobes emulate instead
 * of single-stepping) in the straight-line code at file_off, within max
 * bytes, as bytes from file_off: every pass through file_off reaches it.
 * -1 when a call, return or indirect jump comes first, when an instruction
 * before it writes the register keep64 (or its 32-bit name keep32), or when
 * none is found.
 */
int insn_first_branch(const char *path, uint64_t file_off, uint64_t max, const char *keep64, const char *keep32,
		      uint64_t *off);

#endif
