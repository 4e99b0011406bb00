/*
 * Mixed stacks: a user stack's native frames with the Python frames the
 * BPF walk appended after them (codegen/pystack.c) put in their place.
 */
#ifndef SONDE_PYTHON_MERGE_H
#define SONDE_PYTHON_MERGE_H
#include <stdint.h>

struct sym_cache;
/* Whether a stack word is a Python frame (python/layout.h), not a native address or the unwinder's marker. */
int py_is_frame(uint64_t word);
/*
 * Rewrites the n words of ips (leaf first) in place: each native frame of
 * the interpreter's loop (_PyEval_EvalFrameDefault) is replaced by the
 * Python frames it was running, up to and including the next entry frame
 * (the one its C call began with). Python frames left over (no such native
 * frame was seen: a cut native walk, or ustack(python)) go where the last
 * run went, or first. Returns n.
 */
int py_merge(struct sym_cache *syms, int pid, uint64_t *ips, int n);

#endif
