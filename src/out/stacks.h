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
#define STACK_STATS_MODULES 8
struct stack_stats {
	uint64_t cut;		/* user stacks cut short */
	char module[STACK_STATS_MODULES][256];	/* the files their first frames are in (the first 8 seen) */
	uint64_t per_module[STACK_STATS_MODULES];
};
/* Counts the user stack IPS of process PID in vc->stack_stats if it was cut short. */
void stack_check_cut(const struct value_ctx *vc, int pid, const uint64_t *ips, int n, int limit);
/* The (up to 3) files most cut stacks start in, most first, separated by ", ". */
void stack_stats_files(const struct stack_stats *st, struct strbuf *out);

#endif
