/*
 * bpftrace's map printout → folded stacks, for `sonde flamegraph`. A map
 * whose key holds stacks (`@[kstack, ustack, comm] = count()`) prints each
 * entry over several lines, as sonde and bpftrace both do:
 *
 *   @NAME[PART, …, 
 *       frame+OFF            leaf first; `\tADDR frame+OFF (module)` in perf mode
 *   , PART, …, 
 *       frame+OFF            the key's next stack
 *   , PART, …]: VALUE
 *
 * where any run of PARTs may be missing. An entry becomes one folded stack,
 * root first: `@NAME` (unless the map is plain `@`), the key's other parts
 * (comm, pid…) in key order, then the stacks' frames reversed, so the last
 * stack's root comes first (key order `kstack, ustack` puts user code under
 * the kernel, as it runs). Frames lose `+OFF`, perf mode's address and
 * module; a kernel address (perf mode) marks the frame `_[k]`.
 * VALUE is a count or sum, stats' count, or a histogram (the lines after
 * `]:`, bucket counts summed). A one-line entry is a sample only when its key
 * has an empty part (`@[, comm]: 3`: an empty stack); other maps and all
 * other lines are not stacks and are passed over.
 */
#ifndef SONDE_COLLAPSE_H
#define SONDE_COLLAPSE_H
#include <stddef.h>
#include <stdint.h>
#include "../util/util.h"

/* Receives one entry: its folded stack (STACK[0..LEN), no count), its count
 * and the line its value was on. */
typedef void (*collapse_fn)(void *ctx, const char *stack, size_t len, uint64_t count, long line);

struct collapse {
	int state;		/* outside an entry, in one, or in its histogram */
	long start;		/* the line the entry began on */
	struct strbuf name;	/* "@NAME" */
	struct strbuf parts;	/* the key's other parts, each followed by ';' */
	struct strbuf frames;	/* the entry's frames as read, leaf first */
	VEC(size_t) ends;	/* where each of them ends in frames */
	struct strbuf stack;	/* the folded stack being emitted */
	uint64_t count;		/* a histogram's sum so far */
	long count_line;
	long passed;		/* entries of maps without a stack, passed over */
	struct strbuf err;	/* the last error, without the line number */
};

/* Whether LINE starts an entry of a map: `@NAME[` or `@NAME:`. */
int collapse_is_map_line(const char *line, size_t n);
/* Whether LINE ends an entry (`]: 3`, `, comm]: 3`): bpftrace's layout,
 * even when the entry's start is missing. */
int collapse_is_entry_end(const char *line, size_t n);
/* Appends the name a frame line (indentation and all) stands for: without
 * `+OFF`, `;` as `:`; a line indented by a tab is perf mode's, without its
 * address and (module), and `_[k]` for a kernel address. Appends nothing for
 * a blank line. */
void collapse_frame(struct strbuf *out, const char *line, size_t n);
/* Feeds line number LINENO (its newline optional); calls EMIT for each entry
 * it completes. 0, or -1 with the reason in c->err (the input is not
 * bpftrace's layout). */
int collapse_line(struct collapse *c, const char *line, size_t n, long lineno, collapse_fn emit, void *ctx);
/* At the end of the input: emits a histogram still open; -1 inside an entry. */
int collapse_end(struct collapse *c, collapse_fn emit, void *ctx);
void collapse_free(struct collapse *c);

#endif
