/*
 * Python frames are named from the process's memory, which is gone once
 * the process exits (a -c command's end is the end of the run): while the
 * session runs, the frames of stacks new in the stack table are named in
 * every live Python process, so the names are in the cache when the maps
 * are printed.
 */
#ifndef SONDE_PYTHON_PREFETCH_H
#define SONDE_PYTHON_PREFETCH_H
#include <stdint.h>

struct sym_cache;
struct py_prefetch {
	uint64_t *seen;		/* stack hashes already looked at: open addressing, 0 empty */
	uint32_t cap, n;
	uint64_t last_ns, every_ns;	/* every_ns: 100 ms, or 20 times the last pass */
};

/* At most every 100 ms (or 20 times as long as the last pass took) unless force; nothing without a Python process in py_fd (sonde_py_procs). */
void py_prefetch(struct py_prefetch *pf, int py_fd, int stacks_fd, struct sym_cache *syms, int force);
void py_prefetch_free(struct py_prefetch *pf);

#endif
