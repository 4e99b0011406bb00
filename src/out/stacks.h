/* kstack/ustack values → frames → text, as bpftrace prints them. */
#ifndef SONDE_STACKS_H
#define SONDE_STACKS_H
#include <stdint.h>
#include "value.h"

/* Frames of the stack stored under HASH, leaf first; their count (0: none or unknown). */
int stack_frames(int stacks_fd, uint64_t hash, uint64_t *ips, int max);
/* A stack value {hash, pid} of type T: a newline, then one line per frame. */
void stack_text(struct strbuf *out, const struct value_ctx *vc, const struct type *t, const uint8_t *data);
/* Counts user stacks that end after their first frame (no frame pointers), for a note at exit. */
struct stack_stats {
	uint64_t cut;		/* one-frame user stacks outside a thread's first function */
	char module[256];	/* where the first of them was */
};

#endif
