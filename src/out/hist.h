/* Histogram renderers for hist() and lhist() maps, text and JSON.
 *
 * Bucket indexes, as the BPF side fills them:
 *   log2:   0 = (..., 0), 1 = [0], 2 = [1], k >= 3 = [2^(k-2), 2^(k-1)); 66 buckets.
 *   log2 with 2^b buckets per power of two (hist(n, b), bpftrace 0.20):
 *           0 = (..., 0); i in 1..2^(b+1) = [i-1]; then each power of two
 *           p >= b+1 in 2^b equal parts; (65-b) * 2^b + 1 buckets.
 *   linear: 0 = (..., min), i in 1..n = [min+(i-1)*step, min+i*step),
 *           n+1 = [max, ...), where n = (max-min)/step.
 */
#ifndef SONDE_OUT_HIST_H
#define SONDE_OUT_HIST_H
#include <stdint.h>
#include "util/util.h"

#define HIST_LOG2_BUCKETS 66

struct hist_shape {
	int linear;		/* 0: log2 hist; min/max/step unused */
	int64_t min, max, step;
	int bits;		/* log2: 2^bits buckets per power of two (0..5) */
};

/* Log2 bucket i >= 1 holds [*lo, *hi) (*hi saturates at UINT64_MAX); 1 when it holds one value. */
int hist_log2_range(int bits, int i, uint64_t *lo, uint64_t *hi);

/* Number of counts the renderers read; 0 for a malformed lhist shape. */
int hist_nbuckets(const struct hist_shape *sh);

/* One "%-16s%8llu |%-52s|\n" row per bucket from the lowest to the highest
 * non-empty one, bar = '@' x floor(52*count/max_count); nothing when all
 * counts are zero. No header, no trailing blank line. */
void hist_render_text(struct strbuf *out, const struct hist_shape *sh, const uint64_t *counts);

/* bpftrace's JSON array: [{"min": 0, "max": 0, "count": 1}, ...], rows from
 * the lowest to the highest non-empty bucket; "[]" when all are zero. */
void hist_render_json(struct strbuf *out, const struct hist_shape *sh, const uint64_t *counts);

#endif
