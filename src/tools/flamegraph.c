/* sonde flamegraph: folded stacks or bpftrace's stack maps (a file or stdin) → interactive SVG flame graph. */
#include "tools/tools.h"
#include "out/flamegraph.h"
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: sonde flamegraph [options] [FILE]\n"
	"Reads folded stacks (\"main;foo;bar 12\" per line, root first) from FILE or stdin\n"
	"and writes a self-contained, interactive SVG flame graph to stdout.\n"
	"It also reads what a script prints for maps with stacks in their key, sonde's or\n"
	"bpftrace's (@[kstack, ustack, comm] = count(); counts, sums, stats, histograms):\n"
	"other key parts become root frames, a named map (@cpu[...]) gets a root frame\n"
	"of its own, maps without a stack and lines around the maps are left out.\n"
	"\n"
	"  --title TEXT       heading (default \"Flame Graph\")\n"
	"  --subtitle TEXT    a second line under the heading\n"
	"  --width PX         image width in pixels (default 1200)\n"
	"  --minwidth PX      leave out frames narrower than this (default 0.1)\n"
	"  --countname NAME   what a count is, in the details (default \"samples\")\n"
	"  -o FILE            write the SVG to FILE instead of stdout\n"
	"  -h, --help         show this help\n"
	"\n"
	"A frame ending in _[k] (kernel), _[j] (JIT), _[i] (inlined), _[p] (Python)\n"
	"or _[w] (waker) is coloured for its kind; the suffix is not shown.\n"
	"In a browser: click a frame to zoom, Ctrl-F or / to search, Escape to clear.\n"
	"URL parameters: ?s=REGEX searches; ?f=main;foo zooms to the frame that stack\n"
	"(from the root, names as shown) leads to.\n";

enum { OPT_TITLE = 256, OPT_SUBTITLE, OPT_WIDTH, OPT_MINWIDTH, OPT_COUNTNAME };

static const struct option longopts[] = {
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "subtitle", required_argument, NULL, OPT_SUBTITLE },
	{ "width", required_argument, NULL, OPT_WIDTH },
	{ "minwidth", required_argument, NULL, OPT_MINWIDTH },
	{ "countname", required_argument, NULL, OPT_COUNTNAME },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

/* ARG as a number in [LO, HI], or NAN. */
static double number(const char *arg, double lo, double hi)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (end == arg || *end || errno || !isfinite(v) || v < lo || v > hi)
		return NAN;
	return v;
}

int tool_flamegraph(int argc, char **argv)
{
	struct fg_options o = { .width = 1200, .minwidth = 0.1 };
	const char *outpath = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_TITLE: o.title = optarg; break;
		case OPT_SUBTITLE: o.subtitle = optarg; break;
		case OPT_COUNTNAME: o.countname = optarg; break;
		case OPT_WIDTH: {
			double w = number(optarg, 100, 1000000);
			if (isnan(w) || w != (int)w) {
				fprintf(stderr, "ERROR: flamegraph: --width needs a whole number of pixels from 100 to 1000000, got '%s'\n", optarg);
				return 1;
			}
			o.width = (int)w;
			break;
		}
		case OPT_MINWIDTH:
			o.minwidth = number(optarg, 0, 1e9);
			if (isnan(o.minwidth)) {
				fprintf(stderr, "ERROR: flamegraph: --minwidth needs a number of pixels, 0 or more, got '%s'\n", optarg);
				return 1;
			}
			break;
		case 'o': outpath = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default:
			fputs("Try 'sonde flamegraph --help'.\n", stderr);
			return 1;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "ERROR: flamegraph: one input file at most, got '%s' and '%s'\n", argv[optind], argv[optind + 1]);
		return 1;
	}
	const char *inpath = optind < argc && strcmp(argv[optind], "-") ? argv[optind] : NULL;
	FILE *in = inpath ? fopen(inpath, "r") : stdin;
	if (!in) {
		fprintf(stderr, "ERROR: flamegraph: cannot open %s: %s\n", inpath, strerror(errno));
		return 1;
	}
	FILE *out = outpath ? fopen(outpath, "w") : stdout;
	if (!out) {
		fprintf(stderr, "ERROR: flamegraph: cannot create %s: %s\n", outpath, strerror(errno));
		if (inpath)
			fclose(in);
		return 1;
	}
	int ret = flamegraph_write(in, out, &o);
	if (inpath)
		fclose(in);
	if ((fflush(out) || ferror(out)) && !ret) {
		fprintf(stderr, "ERROR: flamegraph: writing %s: %s\n", outpath ? outpath : "the output", strerror(errno));
		ret = -1;
	}
	if (outpath) {
		fclose(out);
		if (ret)
			unlink(outpath);	/* no half-written graph left behind */
	}
	return ret ? 1 : 0;
}
