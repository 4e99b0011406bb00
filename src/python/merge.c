/*
 * Python frames into their native places. In 3.11 a Python-to-Python call
 * stays inside one C call of _PyEval_EvalFrameDefault; the frame that C
 * call began with is marked is_entry. So, leaf first, the native frames
 * and the Python chain line up: the first interpreter frame ran the Python
 * frames up to the first entry frame, the next one up to the next, and so on.
 */
#include "merge.h"
#include "layout.h"
#include "../sema/types.h"
#include "../sym/resolve.h"
#include "../unwind/layout.h"
#include <string.h>

int py_is_frame(uint64_t word)
{
	return (word & PY_FRAME_BIT) && word != UNW_FP_MARKER;
}

static int is_eval_loop(struct sym_cache *syms, int pid, uint64_t ip)
{
	const char *name = syms ? sym_user(syms, pid, ip) : NULL;
	return name && !strcmp(name, "_PyEval_EvalFrameDefault");
}

int py_merge(struct sym_cache *syms, int pid, uint64_t *ips, int n)
{
	uint64_t native[STACK_MAX_FRAMES], py[STACK_MAX_FRAMES], out[STACK_MAX_FRAMES];
	int nn = 0, np = 0, no = 0, used = 0, rest_at = 0;
	if (n > STACK_MAX_FRAMES)
		n = STACK_MAX_FRAMES;
	for (int i = 0; i < n; i++) {
		if (py_is_frame(ips[i]))
			py[np++] = ips[i];
		else
			native[nn++] = ips[i];
	}
	if (!np)
		return n;
	for (int i = 0; i < nn; i++) {
		if (used < np && is_eval_loop(syms, pid, native[i])) {
			while (used < np) {
				uint64_t w = py[used++];
				out[no++] = w;
				if (w & PY_ENTRY_BIT)
					break;
			}
			rest_at = no;
			continue;
		}
		out[no++] = native[i];
	}
	/* Python frames no interpreter frame claimed: after the last run, or on top */
	if (used < np) {
		int k = np - used;
		memmove(out + rest_at + k, out + rest_at, (size_t)(no - rest_at) * sizeof(out[0]));
		memcpy(out + rest_at, py + used, (size_t)k * sizeof(out[0]));
		no += k;
	}
	memcpy(ips, out, (size_t)no * sizeof(out[0]));
	return no;
}
