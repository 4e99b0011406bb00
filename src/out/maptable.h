/* A map's entries with per-CPU values combined: what printing works from. */
#ifndef SONDE_MAPTABLE_H
#define SONDE_MAPTABLE_H
#include <stdint.h>
#include "../sema/sema.h"

struct map_entry {
	uint8_t *key;		/* user key (without the hist bucket) */
	uint8_t *val;		/* non-aggregated value bytes */
	int64_t v;		/* count, sum, min, max, or the average */
	int64_t count, total;	/* avg, stats; min/max: 1 once some CPU set it */
	uint64_t *buckets;	/* hist, lhist */
	uint64_t bucket_total;
};

struct map_table {
	const struct mapinfo *m;
	int user_key_size;
	int ncpus;		/* per-CPU values per entry */
	struct map_entry *e;
	int n, cap;
	/* open addressing over the user key: entry index + 1, 0 empty (maps of
	 * 10 000 keys are read at every scrape; a linear search was quadratic) */
	uint32_t *slots;
	uint32_t nslots;
};

void map_table_init(struct map_table *tb, const struct mapinfo *m, int ncpus);
/* Adds one BPF entry: its key (bucket included) and its value (one per CPU if per-CPU). */
void map_table_add(struct map_table *tb, const uint8_t *bpf_key, const uint8_t *vals);
/* Drops min/max entries no CPU has set, and the key index (entries may be sorted after). */
void map_table_finish(struct map_table *tb);
void map_table_free(struct map_table *tb);
/* The entry for a user key, or NULL. */
const struct map_entry *map_table_find(struct map_table *tb, const uint8_t *key);
/* The entry for a user key, added (zeroed) when new. */
struct map_entry *map_table_entry(struct map_table *tb, const uint8_t *key);
/* Adds src's counted values (count/sum, avg/stats' count and total, hist
 * buckets) into dst, key by key; both tables are of the same map. */
void map_table_merge_counts(struct map_table *dst, const struct map_table *src);
struct hist_shape;
void map_hist_shape(const struct type *t, struct hist_shape *sh);

#endif
