/*
 * --metrics: the script's maps (or a tool's chosen ones) as Prometheus
 * metrics, read at scrape time by the event loop, plus sonde's own figures.
 * Counters survive clear() and zero(): what they take away is kept here and
 * added back, so an exported counter never goes down.
 */
#ifndef SONDE_METRICS_H
#define SONDE_METRICS_H
#include <stdint.h>
#include "../util/util.h"

struct session;
struct mapinfo;
struct type;

/* A tool's export of one map; the key's parts become labels. */
struct metrics_spec {
	const char *map;	/* "@h"; NULL ends a table */
	const char *name;	/* the family: "sonde_funclatency_nanoseconds" (a counter's without _total) */
	const char *help;
	const char *sum_map;	/* hist(): a sum() map of the same keys, the histogram's _sum */
	const char *labels[8];	/* one per key part; NULL: named after the key expression */
	int exp;		/* values (and bucket bounds) are in 10^-exp of the unit: 9 for ns → seconds */
	/* writes the label value of key part `part` (a tool's names: syscalls, functions); 0 if it did */
	int (*label_value)(struct session *s, int part, const struct type *t, const uint8_t *data,
			   struct strbuf *out, void *arg);
};

struct metrics;
/* After compiling: checks the exports and starts serving; -1 after an error message. */
int metrics_open(struct session *s);
/* The event loop: a scrape waits on this fd; metrics_serve() answers it. */
int metrics_wake_fd(const struct metrics *mt);
void metrics_serve(struct session *s);
/*
 * A clear() or zero() of map m: what it holds joins the running totals.
 * 1 when the map is cleared already (taken key by key), else the caller
 * clears or zeroes it.
 */
int metrics_clear(struct session *s, const struct mapinfo *m, int zero);
void metrics_close(struct session *s);

#endif
