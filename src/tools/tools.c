/* The table of tools main.c dispatches to. */
#include "tools.h"
#include <string.h>

const struct tool tools[] = {
	{ "profile", "sample CPU stacks: BCC profile's flags; folded, SVG flame graph or pprof output", tool_profile },
	{ "funccount", "count calls of functions, tracepoints or USDT probes matching a pattern (BCC funccount)", tool_funccount },
	{ "funclatency", "time functions: a log2 latency histogram, BCC's layout and footer (Go: paired by goroutine)", tool_funclatency },
	{ "funcslower", "print calls slower than a threshold, with their caller stacks (BCC funcslower)", tool_funcslower },
	{ "trace", "print a line per event with a message of yours: BCC trace's probe specs, filters and formats", tool_trace },
	{ "argdist", "frequency counts (-C) or log2 histograms (-H) of argument and return values (BCC argdist)", tool_argdist },
	{ "stackcount", "count the stacks that reach functions, tracepoints or USDT probes (BCC stackcount)", tool_stackcount },
	{ "strace", "system calls as strace prints them (-f -c -e trace= -T -tt), from tracepoints: nothing is stopped", tool_strace },
	{ "flamegraph", "folded stacks on stdin → interactive SVG flame graph on stdout", tool_flamegraph },
	{ 0 },
};

const struct tool *tool_find(const char *name)
{
	for (const struct tool *t = tools; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
