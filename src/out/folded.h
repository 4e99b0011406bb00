/*
 * Sampled stacks as BCC's tools print them (tools-spec §2.3): one frame a
 * line (`sym+0xoff [module]`), or folded, one line a stack
 * (`comm;root;…;leaf COUNT`) for flame graphs.
 */
#ifndef SONDE_FOLDED_H
#define SONDE_FOLDED_H
#include <stdint.h>
#include <stdio.h>
#include "../sema/types.h"

struct sym_cache;

/* One sampled (kernel stack, user stack, process) and how often it was seen; frames leaf first. */
struct stack_sample {
	char comm[17];
	int pid;
	int tid;		/* offcputime: the thread (pid names the frames); else pid */
	uint64_t count;
	int nk, nu;
	int k_missed, u_missed;	/* the stack was taken but not kept */
	uint64_t kips[STACK_MAX_FRAMES], uips[STACK_MAX_FRAMES];
};

struct stack_layout {
	int user, kernel;	/* which halves to print */
	int delimiter;		/* `--` (folded: `-`) between kernel and user frames */
	int annotate;		/* _[k] after kernel frames, _[j] after JIT frames, _[p] after Python frames */
};

/* One frame as `sym+0xoff [module]` (`[unknown]` when unresolved), for pid's user address or a kernel one. */
void stack_frame_text(struct strbuf *out, struct sym_cache *syms, int pid, uint64_t ip, int kernel);
/* Kernel frames, `--`, user frames, then "    -                comm (pid)" and the count. */
void stack_sample_lines(struct strbuf *out, struct sym_cache *syms, const struct stack_sample *x,
			const struct stack_layout *l);
/* "comm;user frames root first;-;kernel frames root first", without the count. */
void stack_sample_folded(struct strbuf *out, struct sym_cache *syms, const struct stack_sample *x,
			 const struct stack_layout *l);
/* Folded lines with their counts, ascending; stacks that read the same (offsets differ) become one. */
void stack_samples_folded(FILE *out, struct sym_cache *syms, struct stack_sample *const *v, int n,
			  const struct stack_layout *l);

#endif
