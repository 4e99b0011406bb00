/* Reads a map from the kernel, combines per-CPU values, sorts and prints it as bpftrace does. */
#ifndef SONDE_MAPPRINT_H
#define SONDE_MAPPRINT_H
#include "value.h"

struct map_print_opts {
	int json;
	int64_t top;	/* 0: all */
	int64_t div;	/* 1: as is */
};

/* Appends the map's text (or one JSON line); nothing when it is empty. */
void map_print(struct strbuf *out, const struct value_ctx *vc, const struct mapinfo *m,
	       const struct map_print_opts *o);
void map_clear(const struct mapinfo *m);
void map_zero(const struct mapinfo *m);

#endif
