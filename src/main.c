/* sonde: a dynamic tracer for Linux — command line. */
#include "rt/session.h"
#include "rt/cgroup.h"
#include "tools/toolkit.h"
#include "probe/provider.h"
#include "tools/tools.h"
#include "tools/toolkit.h"
#include "rt/metrics_http.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

static const char usage[] =
	"USAGE:\n"
	"    sonde [options] -e 'program' [params...]\n"
	"    sonde [options] FILE [params...]     (FILE '-' reads the program from stdin)\n"
	"\n"
	"OPTIONS:\n"
	"    -e PROGRAM     the program to run\n"
	"    -f FORMAT      output format: text (default) or json\n"
	"    -o FILE        write output to FILE\n"
	"    -B MODE        output buffering: line (default), full or none\n"
	"    -c CMD         run CMD once every probe is attached; exit when it exits (cpid)\n"
	"    -p PID         probes act only for process PID; exit when it exits\n"
	"    --cgroup PATH  probes act only for the processes of this cgroup v2 (every tool takes it too)\n"
	"    --label-cgroup each event's cgroup path in JSON printf records and as a label of every metric\n"
	"    --dry-run      compile, load and attach the probes, then detach: BEGIN, END and -c never run\n"
	"    --test         run the test:NAME probes after BEGIN and report each; nothing is attached\n"
	"    -l [PATTERN]   list probes matching PATTERN (with -v: their arguments)\n"
	"    -q             do not print the 'Attached N probes' line\n"
	"    -v             verbose: IR, instruction counts, verifier statistics\n"
	"    --unsafe       allow unsafe actions\n"
	"    --metrics [ADDR]  serve the maps as Prometheus metrics at http://ADDR/metrics\n"
	"                   (default 127.0.0.1:9435; PORT alone is on 127.0.0.1)\n"
	"    --probe-stats  with --metrics: the kernel counts each probe's runs and run time\n"
	"    -h, --help     show this help\n"
	"    -V, --version  show the version\n"
	"    --list-tools   list the ready-made tools (sonde TOOL -h for each)\n"
	"\n"
	"EXAMPLES:\n"
	"    sonde -e 'BEGIN { printf(\"hello %s\\n\", \"world\"); exit(); }'\n"
	"    sonde -e 'interval:ms:100 { @i++; if (@i >= 3) { exit(); } }'\n"
	"    sonde -e 'BEGIN { @h = hist(5); @h = hist(300); exit(); }'\n";

static void list_tools(FILE *out)
{
	for (const struct tool *t = tools; t->name; t++)
		fprintf(out, "    %-14s %s\n", t->name, t->summary);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "unsafe", no_argument, NULL, 'U' },
		{ "cgroup", required_argument, NULL, 'G' },
		{ "label-cgroup", no_argument, NULL, 'L' },
		{ "dry-run", no_argument, NULL, 'D' },
		{ "test", no_argument, NULL, 'T' },
		{ "metrics", optional_argument, NULL, 'M' },
		{ "probe-stats", no_argument, NULL, 'S' },
		{ 0 },
	};
	if (argc > 1 && tool_find(argv[1])) {
		/* every tool takes --metrics and --cgroup: cut out before the tool's own getopt */
		if (tk_take_metrics(&argc, argv))
			return 1;
		int targc = argc - 1;
		if (tk_take_cgroup(&targc, argv + 1))
			return 1;
		return tool_find(argv[1])->main(targc, argv + 1);
	}
	if (argc > 1 && !strcmp(argv[1], "--list-tools")) {
		list_tools(stdout);
		return 0;
	}
	struct session s = { 0 };
	int list = 0;
	s.o.buffering = BUF_LINE;
	const char *format = "text";
	int c;
	/* options stand anywhere before `--`, as bpftrace takes them: `sonde pp.bt -p 1`
	 * follows process 1 (getopt moves the script file and parameters to the end) */
	while ((c = getopt_long(argc, argv, "e:f:o:B:qvhVp:c:lk", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': s.o.prog_text = optarg; s.o.prog_name = "stdin"; break;
		case 'f': format = optarg; break;
		case 'o': s.o.outfile = optarg; break;
		case 'B':
			if (!strcmp(optarg, "line"))
				s.o.buffering = BUF_LINE;
			else if (!strcmp(optarg, "full"))
				s.o.buffering = BUF_FULL;
			else if (!strcmp(optarg, "none"))
				s.o.buffering = BUF_NONE;
			else {
				fprintf(stderr, "ERROR: -B must be one of line, full, none (got \"%s\")\n", optarg);
				return 1;
			}
			break;
		case 'q': s.o.quiet = 1; break;
		case 'v': s.o.verbose = 1; break;
		case 'U': s.o.unsafe = 1; break;
		case 'M':
			/* `--metrics ADDR` as well as `--metrics=ADDR`: the next word when it reads as an address */
			s.o.metrics_addr = optarg ? optarg
				: optind < argc && metrics_addr_like(argv[optind]) ? argv[optind++] : "";
			break;
		case 'S': s.o.probe_stats = 1; break;
		case 'k': s.o.warn_reads = 1; break;	/* each failed read of user memory, where it happened */
		case 'h':
			fputs(usage, stdout);
			if (tools[0].name)
				fputs("\nTOOLS (sonde TOOL --help; sonde --list-tools):\n", stdout);
			list_tools(stdout);
			return 0;
		case 'V': printf("sonde %s\n", SONDE_VERSION); return 0;
		case 'c': s.o.command = optarg; break;
		case 'p': {
			char *end;
			long v = strtol(optarg, &end, 10);
			s.o.pid = *end || v > INT32_MAX ? 0 : (int)v;
			if (s.o.pid <= 0) {
				fprintf(stderr, "ERROR: -p needs a process id, got '%s'\n", optarg);
				return 1;
			}
			break;
		}
		case 'l': list = 1; break;
		case 'G':
			if (cgroup_id_of(optarg, &s.o.cgroup_id))
				return 1;
			break;
		case 'L': s.o.label_cgroup = 1; break;
		case 'D': s.o.dry_run = 1; break;
		case 'T': s.o.test_mode = 1; break;
		default: fputs(usage, stderr); return 1;
		}
	}
	if (s.o.probe_stats && !s.o.metrics_addr) {
		fputs("ERROR: --probe-stats goes with --metrics: the figures are exported there\n", stderr);
		return 1;
	}
	if (s.o.command && s.o.pid) {
		fputs("ERROR: -c and -p cannot be used together: -c follows the command it starts\n", stderr);
		return 1;
	}
	if (!strcmp(format, "json"))
		s.o.json = 1;
	else if (strcmp(format, "text")) {
		fprintf(stderr, "ERROR: Invalid output format \"%s\"\nValid formats: 'text', 'json'\n", format);
		return 1;
	}
	if (list) {
		/* -l [PATTERN]: what can be probed, one per line (-v: with arguments) */
		struct strbuf out = { 0 };
		provider_list(optind < argc ? argv[optind] : "*", s.o.verbose, s.o.pid, &out);
		fputs(sb_str(&out), stdout);
		sb_free(&out);
		return 0;
	}
	char *text = NULL;
	if (!s.o.prog_text) {
		if (optind >= argc) {
			fputs(usage, stderr);
			return 1;
		}
		const char *file = argv[optind++];
		FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
		if (!f && errno == ENOENT && !strpbrk(file, "/.")) {
			/* a word, not a path: most likely a tool's name mistyped */
			fprintf(stderr, "ERROR: '%s' is neither a tool nor a script file. The tools are:\n", file);
			list_tools(stderr);
			return 1;
		}
		if (!f) {
			fprintf(stderr, "ERROR: failed to open file '%s': %m\n", file);
			return 1;
		}
		text = read_stream(f);
		if (f != stdin)
			fclose(f);
		s.o.prog_text = text;
		s.o.prog_name = strcmp(file, "-") ? file : "stdin";
	}
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	s.o.params = argv + optind;
	s.o.nparams = argc - optind;
	const char *stacks = getenv("SONDE_STACK_TABLE");	/* distinct kstack/ustack values kept */
	if (stacks) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(stacks, &end, 10);
		if (errno || *end || end == stacks || stacks[0] == '-' || v < 1 || v > 16777216) {
			fprintf(stderr, "ERROR: SONDE_STACK_TABLE must be a number of stacks from 1 to 16777216, got '%s'\n", stacks);
			return 1;
		}
		s.o.stack_entries = (uint32_t)v;
	}
	const char *rb = getenv("SONDE_RINGBUF_BYTES");	/* developer option: force overload */
	if (rb)
		s.o.ringbuf_bytes = (uint32_t)strtoul(rb, NULL, 0);

	s.out = stdout;
	if (s.o.outfile) {
		s.out = fopen(s.o.outfile, "we");	/* not inherited by a -c command */
		if (!s.out) {
			fprintf(stderr, "ERROR: failed to open output file '%s': %m\n", s.o.outfile);
			free(text);
			return 1;
		}
	}
	/* line: whole lines, written once per batch of records (the runtime flushes
	 * after each poll), not one write() per line */
	static const int modes[] = { [BUF_LINE] = _IOFBF, [BUF_NONE] = _IONBF, [BUF_FULL] = _IOFBF };
	setvbuf(s.out, NULL, modes[s.o.buffering], 0);
	int rc = session_run(&s);
	session_free(&s);
	if (s.out != stdout)
		fclose(s.out);
	free(text);
	return rc;
}
