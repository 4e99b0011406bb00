/*
 * Compact unwind tables: an ELF file's CFI (.eh_frame, .debug_frame, read with libdw)
 * folded into sorted rows that the BPF unwinder (codegen/unwind.c) binary
 * searches. A row holds from its pc to the next row's pc.
 */
#ifndef SONDE_UNWIND_TABLE_H
#define SONDE_UNWIND_TABLE_H
#include <stdint.h>
#include <stddef.h>

enum unw_kind {
	UNW_NONE = 0,	/* no CFI covers these addresses */
	UNW_RSP = 1,	/* CFA = rsp + off */
	UNW_RBP = 2,	/* CFA = rbp + off */
	UNW_PLT = 3,	/* the linker's PLT rule: CFA = rsp + 8, + 8 more when (ip & 15) >= off */
	UNW_SIGNAL = 4,	/* a signal trampoline (__restore_rt): the interrupted registers are in the ucontext at rsp */
	UNW_END = 5,	/* the return address is undefined: the outermost frame (_start, thread roots) */
	UNW_EXPR = 6,	/* a rule sonde does not evaluate (a DWARF expression): the walk falls back to rbp */
	UNW_DEREF = 7,	/* gcc's realigned stack (DRAP): CFA = *(rbp + off), the caller's rbp at rbp + 8 * bp8 */
	UNW_RSP8 = 8,	/* CFA = rsp + 8 * off: frames past 32 KiB (up to 256 KiB) */
};

/* 8 bytes, as the BPF side reads it from the rows map. */
struct unw_row {
	uint32_t pc;	/* link-time address (file vaddr) where the row starts */
	uint8_t kind;	/* enum unw_kind */
	int8_t bp8;	/* 0: rbp unchanged; else the caller's rbp is at CFA + 8 * bp8 (UNW_DEREF: rbp + 8 * bp8) */
	int16_t off;	/* UNW_RSP/UNW_RBP/UNW_DEREF: the CFA's offset (UNW_RSP8: in 8 bytes); UNW_PLT: the threshold */
};

enum unw_source {
	UNW_FROM_EH_FRAME = 1,
	UNW_FROM_DEBUG_FRAME = 2,
};

struct unw_table {
	struct unw_row *rows;
	size_t n;
	double build_ms;	/* how long building took */
	unsigned sources;	/* enum unw_source: the sections its rules came from */
	char *debug_file;	/* the separate debug file whose .debug_frame it used, or NULL */
};

/*
 * Builds path's table from its .eh_frame (through .eh_frame_hdr's index of
 * FDEs), filling what that leaves without a rule from .debug_frame: the
 * file's own, else its separate debug file's (obj/debugfile.c). 0; -ENOENT
 * when the file has no usable CFI (the caller walks its frame pointers);
 * -errno when unreadable. Free with unw_table_free().
 */
int unw_table_build(const char *path, struct unw_table *out);
/* The same from an ELF image in memory (the vDSO), which has no debug file. */
int unw_table_build_image(const void *image, size_t size, struct unw_table *out);
void unw_table_free(struct unw_table *t);
/* The row covering pc (file vaddr), or NULL below the first row. */
const struct unw_row *unw_table_find(const struct unw_table *t, uint64_t pc);
const char *unw_kind_name(int kind);

#endif
