/*
 * What rt/metrics.c (the exports, the life cycle) and rt/metrics_render.c
 * (the pages) share. Private to them.
 */
#ifndef SONDE_METRICS_PRIV_H
#define SONDE_METRICS_PRIV_H
#include "metrics.h"
#include "../out/maptable.h"
#include "../out/prometheus.h"

struct key_part {
	const struct type *t;
	int off;
	char *label;		/* sanitised label name */
	int cgroup;		/* --label-cgroup's part: the id shown as the cgroup's path */
};

struct metric_def {
	const struct mapinfo *m;	/* read at scrape time: the map, or its --label-cgroup shadow */
	const char *map_name;	/* the script's name for it (labels of sonde's own figures) */
	const struct mapinfo *sum;	/* a histogram's _sum (tools), or NULL */
	const struct metrics_spec *spec;	/* a tool's, or NULL */
	char *name;		/* the family (a counter's without _total) */
	char *help;
	enum prom_type type;
	VEC(struct key_part) parts;
	int counted;		/* counts that must never go down: kept across clear() */
	struct map_table cleared;	/* what clear()/zero() took away, added back at every scrape */
	int lo, hi;		/* histogram: the buckets shown so far (only ever widen); lo > hi: none yet */
	int entries;		/* keys at the last scrape (sonde_map_entries) */
	int exp;		/* values are in 10^-exp units (a tool's ns exported as seconds) */
	struct strbuf *values;	/* one series' label values, reused (one per part) */
	struct prom_label *lbl;
};

struct metrics {
	VEC(struct metric_def) defs;
	struct metrics_http *http;
	int stats_fd;		/* --probe-stats: the kernel's run-time statistics, while open */
	int no_batch;		/* the kernel refused a batch lookup: read key by key */
	uint64_t scrape_start_ns;	/* the page being rendered began then */
};

/* A map's entries, in batches when the kernel allows (tb: map_table_free it). */
void metrics_read_table(struct metrics *mt, const struct mapinfo *m, struct map_table *tb);
/* The page of every export and of sonde's own figures, in format f. */
void metrics_render(struct session *s, enum prom_format f, struct strbuf *out);

#endif
