/* Typed bytes → text or JSON, as bpftrace prints values, keys and tuples. */
#ifndef SONDE_VALUE_H
#define SONDE_VALUE_H
#include <stdint.h>
#include "../sema/sema.h"

struct stack_stats;
struct value_ctx {
	const struct script *s;
	int64_t boot_to_real_ns;	/* CLOCK_REALTIME - CLOCK_MONOTONIC, for strftime */
	struct sym_cache *syms;		/* ksym()/usym() names, read on first use */
	int stacks_fd;			/* kstack/ustack frames by hash; -1 */
	int stack_indent;		/* spaces before each frame: 8, or 4 in a map key */
	struct stack_stats *stack_stats;	/* user stacks cut short, counted as printed; may be NULL */
};

/* Text: 5, -5, bash, (1, a), true, 127.0.0.1. `top` drops a tuple's parentheses (map keys). */
void value_text(struct strbuf *out, const struct value_ctx *vc, const struct type *t,
		const uint8_t *data, int top_tuple);
void value_json(struct strbuf *out, const struct value_ctx *vc, const struct type *t,
		const uint8_t *data);
/* Plain text of a string-like value (for printf %s). */
void value_string(struct strbuf *out, const struct value_ctx *vc, const struct type *t,
		  const uint8_t *data);
int64_t value_int(const struct type *t, const uint8_t *data);

#endif
