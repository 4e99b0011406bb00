/* The table of tools main.c dispatches to. */
#include "tools.h"
#include <string.h>

const struct tool tools[] = {
	{ "profile", "sample CPU stacks: BCC profile's flags; folded, SVG flame graph or pprof output", tool_profile },
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
