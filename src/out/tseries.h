/* tseries() maps: a chart per key, as bpftrace prints it, and JSON. */
#ifndef SONDE_OUT_TSERIES_H
#define SONDE_OUT_TSERIES_H
#include <stdint.h>
#include "../sema/types.h"
#include "util/util.h"

/* A key's slots, as the BPF side keeps them: per slot {epoch, value, values seen} (epoch 0: never used). */
struct tseries_slot {
	uint64_t epoch;
	int64_t value;
	uint64_t seen;
};

/* The newest epoch of SLOTS (t->ts_count of them); 0 when none is used. */
uint64_t tseries_last_epoch(const struct type *t, const struct tseries_slot *slots);

/* Rows from the key's first interval within the last t->ts_count before LAST (the map's newest) to LAST. */
void tseries_render_text(struct strbuf *out, const struct type *t, const struct tseries_slot *slots, uint64_t last);
void tseries_render_json(struct strbuf *out, const struct type *t, const struct tseries_slot *slots, uint64_t last);

#endif
