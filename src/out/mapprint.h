/* Sorts and prints a map's entries as bpftrace does. */
#ifndef SONDE_MAPPRINT_H
#define SONDE_MAPPRINT_H
#include "value.h"
#include "maptable.h"

struct map_print_opts {
	int json;
	int64_t top;	/* 0: all */
	int64_t div;	/* 1: as is */
	int empty_scalar_as_zero;	/* print(@x): an empty scalar map prints 0 (bpftrace 0.2x) */
};

/* Appends the map's text (or one JSON line); nothing when it is empty. Sorts t. */
void map_render(struct strbuf *out, const struct value_ctx *vc, struct map_table *t,
		const struct map_print_opts *o);

#endif
