/*
 * Folded stacks ("a;b;c 12" per line, as stackcollapse and `sonde profile -f`
 * write them) → one self-contained, interactive SVG flame graph.
 * A frame may end in an annotation that sets its colour and is not shown:
 * _[k] kernel, _[j] JIT, _[i] inlined, _[p] Python (interpreted), _[w] waker.
 */
#ifndef SONDE_FLAMEGRAPH_H
#define SONDE_FLAMEGRAPH_H
#include <stdio.h>

struct fg_options {
	const char *title;	/* default "Flame Graph" */
	const char *subtitle;	/* optional second line */
	const char *countname;	/* "samples" */
	int width;		/* image width in pixels, default 1200 */
	double minwidth;	/* frames narrower than this many pixels are left out, default 0.1 */
};

/* Reads folded stacks from IN and writes the SVG to OUT. Returns 0, or -1 with a message on stderr. */
int flamegraph_write(FILE *in, FILE *out, const struct fg_options *o);

#endif
