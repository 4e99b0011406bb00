/*
 * What user space (unwind/procs.c) and the BPF walk (codegen/unwind.c)
 * share: the layouts of the unwinder's maps and the marker frame.
 *
 * sonde_unw_procs: hash, tgid → struct unw_proc (the process's executable
 *   mappings, sorted by start); sonde_unw_rows: array of struct unw_row, every
 *   table one after another (a mapping names its first row and count);
 *   sonde_unw_pending: hash, tgid → 0: processes a stack met without a
 *   struct unw_proc, for user space to load.
 */
#ifndef SONDE_UNWIND_LAYOUT_H
#define SONDE_UNWIND_LAYOUT_H
#include <stdint.h>

#define UNW_MAX_MAPS 64		/* executable mappings per process the walk knows */

enum unw_map_kind {
	UNW_MAP_FP = 0,		/* walk rbp: Go, files without CFI, files beyond the row budget */
	UNW_MAP_CFI = 1,	/* rows [first, first + count) */
};

struct unw_map {
	uint64_t start, end;	/* the mapping's addresses */
	uint64_t bias;		/* address - bias = the file's link-time address (row pc) */
	uint32_t first, count;
	uint32_t kind, pad;
};

struct unw_proc {
	uint32_t n, pad;
	struct unw_map m[UNW_MAX_MAPS];
};

/* Stands between a frame whose CFI the walk could not use and the frames its rbp chain gave. */
#define UNW_FP_MARKER 0xfffffffffffff9f9ull
#define UNW_FP_MARKER_NAME "[frame pointers]"

#endif
