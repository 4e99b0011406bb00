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
	const char *title;	/* NULL: "Flame Graph" */
	const char *subtitle;	/* optional second line; NULL or "": none */
	const char *countname;	/* what a count is, in the details; NULL: "samples" */
	int width;		/* image width in pixels, more than 20; 0: 1200 */
	double minwidth;	/* frames narrower than this many pixels are left out with
				 * what stands on them; 0 keeps all (the tool's default is 0.1) */
};

/* Reads folded stacks from IN and writes the SVG to OUT. Returns 0, or -1
 * with a message on stderr (no samples at all, a read error, bad options);
 * nothing is written then. Malformed lines are skipped with one warning.
 * O may be NULL: every default, minwidth 0.1. The SVG's script and the URL
 * parameters it reads (?s=REGEX, ?f=A;B;C) are described in flamegraph.js. */
int flamegraph_write(FILE *in, FILE *out, const struct fg_options *o);

#endif
