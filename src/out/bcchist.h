/*
 * BCC's log2 histogram (print_log2_hist) from a sonde hist() map's buckets:
 * rows "0 -> 1", "2 -> 3", "4 -> 7"… from the first slot up to the highest
 * non-empty one, empty rows included, 40-column star bars (20 and wide
 * columns past 2^32). Slot 1 holds 0 and 1; slot s >= 2 holds
 * [2^(s-1), 2^s - 1].
 */
#ifndef SONDE_OUT_BCCHIST_H
#define SONDE_OUT_BCCHIST_H
#include <stdint.h>
#include "util/util.h"

#define BCC_SLOTS 65

/* slots[BCC_SLOTS] from sonde's log2 buckets (out/hist.h), negatives dropped. */
void bcc_slots_from_hist(uint64_t *slots, const uint64_t *buckets);
/* Nothing when every slot is empty. */
void bcc_log2_hist_text(struct strbuf *out, const uint64_t *slots, const char *label);
/* [{"low": 0, "high": 1, "count": 3}, …], the same rows as the text. */
void bcc_log2_hist_json(struct strbuf *out, const uint64_t *slots);

#endif
