/*
 * sonde profile: CPU stacks sampled at a frequency, with BCC profile's
 * flags and layouts (multi-line or folded), or straight to an interactive
 * flame graph (--svg) or a pprof profile (--pprof). The sampling is a
 * script, `profile:hz:F /filter/ { @s[kstack, ustack, pid, comm] = count(); }`;
 * this file turns its map into samples for out/folded.c, the flame graph
 * and pprof.
 */
#include "tools.h"
#include "toolkit.h"
#include "../out/flamegraph.h"
#include "../out/folded.h"
#include "../out/maptable.h"
#include "../out/pprof.h"
#include "../out/stacks.h"
#include "../rt/session.h"
#include "../sym/resolve.h"
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
	"USAGE: sonde profile [options] [duration]\n"
	"Profile CPU usage by sampling stack traces at a timed interval.\n"
	"\n"
	"  -p PID[,PID]          profile these processes only\n"
	"  -L TID[,TID]          profile these threads only\n"
	"  -U                    user-space stacks only (no kernel)\n"
	"  -K                    kernel stacks only (no user space)\n"
	"  -F HZ                 sample frequency, Hertz (default 49)\n"
	"  -c COUNT              sample period, every COUNT ns of CPU time (instead of -F)\n"
	"  -d                    insert a delimiter between kernel and user stacks\n"
	"  -a                    annotate frames: _[k] kernel, _[j] JIT (for flame graphs)\n"
	"  -I                    include CPU idle stacks\n"
	"  -f                    folded output, one line per stack (for flame graphs)\n"
	"  -C CPU                sample this CPU only\n"
	"  --stack-storage-size N  distinct stacks kept (default 16384)\n"
	"  --hash-storage-size N   distinct (stack, process) entries kept (default 40960)\n"
	"  --svg FILE            write an interactive flame graph to FILE\n"
	"  --pprof FILE          write a gzip'd pprof profile to FILE (go tool pprof, Pyroscope, Parca)\n"
	"  --title TEXT          the flame graph's title\n"
	"  duration              seconds to profile (default: until Ctrl-C)\n"
	"\n"
	"EXAMPLES:\n"
	"    sonde profile -F 99 -p 4242 -f 10 > out.folded\n"
	"    sonde profile -F 99 -p 4242 --svg cpu.svg 10\n"
	"    sonde profile -F 99 -p 4242 --pprof cpu.pb.gz 10\n";

struct profile_opts {
	const char *pids, *tids;
	int user_only, kernel_only, delimiter, annotate, idle, folded, cpu, hz_given;
	long hz, count;
	long duration;
	uint32_t stack_entries, hash_entries;
	const char *svg, *pprof, *title;
	char main_exe[4096];	/* -p with one process: its program, named first in pprof */
};

static int parse_long(const char *s, long min, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min)
		return -1;
	*out = v;
	return 0;
}

/* "1,2,3" → "pid == 1 || pid == 2 || pid == 3"; -1 on a bad list */
static int id_filter(struct strbuf *sb, const char *list, const char *var)
{
	char *copy = xstrdup(list), *save = NULL;
	int n = 0, bad = 0;
	sb_putc(sb, '(');
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v;
		if (parse_long(tok, 1, &v) || v > INT32_MAX) {
			bad = 1;
			break;
		}
		sb_printf(sb, "%s%s == %ld", n++ ? " || " : "", var, v);
	}
	sb_putc(sb, ')');
	free(copy);
	return bad || !n ? -1 : 0;
}

static int build_script(const struct profile_opts *o, struct strbuf *sb)
{
	if (o->count)
		sb_printf(sb, "software:cpu-clock:%ld", o->count);
	else
		sb_printf(sb, "profile:hz:%ld", o->hz);
	struct strbuf pred = { 0 };
	if (!o->idle)
		sb_puts(&pred, "pid != 0");
	if (o->pids) {
		sb_puts(&pred, pred.len ? " && " : "");
		if (id_filter(&pred, o->pids, "pid")) {
			fprintf(stderr, "ERROR: -p expects process ids separated by commas, got '%s'\n", o->pids);
			sb_free(&pred);
			return -1;
		}
	}
	if (o->tids) {
		sb_puts(&pred, pred.len ? " && " : "");
		if (id_filter(&pred, o->tids, "tid")) {
			fprintf(stderr, "ERROR: -L expects thread ids separated by commas, got '%s'\n", o->tids);
			sb_free(&pred);
			return -1;
		}
	}
	if (o->cpu >= 0)
		sb_printf(&pred, "%scpu == %d", pred.len ? " && " : "", o->cpu);
	if (pred.len)
		sb_printf(sb, " /%s/", sb_str(&pred));
	sb_free(&pred);
	sb_printf(sb, " { @s[%s%s pid, comm] = count(); }\n", o->user_only ? "" : "kstack,", o->kernel_only ? "" : " ustack,");
	if (o->duration)
		sb_printf(sb, "interval:s:%ld { exit(); }\n", o->duration);
	return 0;
}

static void print_header(const struct profile_opts *o)
{
	if (o->count)
		printf("Sampling at every %ld events", o->count);
	else
		printf("Sampling at %ld Hertz", o->hz);
	if (o->pids)
		printf(" of PID %s", o->pids);
	else if (o->tids)
		printf(" of TID %s", o->tids);
	else
		printf(" of all threads");
	printf(" by %s stack", o->user_only ? "user" : o->kernel_only ? "kernel" : "user + kernel");
	if (o->cpu >= 0)
		printf(" on CPU#%d", o->cpu);
	if (o->duration)
		printf(" for %ld secs.\n", o->duration);
	else
		printf("... Hit Ctrl-C to end.\n");
	fflush(stdout);
}

static struct stack_layout layout_of(const struct profile_opts *o, int annotate)
{
	return (struct stack_layout){ .user = !o->kernel_only, .kernel = !o->user_only, .delimiter = o->delimiter,
				      .annotate = annotate };
}

static int write_svg(struct session *s, const struct profile_opts *o, struct stack_sample *const *v, int n)
{
	struct strbuf folded = { 0 };
	struct stack_layout l = layout_of(o, 1);	/* the flame graph colours frames by kind */
	for (int i = 0; i < n; i++) {
		stack_sample_folded(&folded, s->vc.syms, v[i], &l);
		sb_printf(&folded, " %llu\n", (unsigned long long)v[i]->count);
	}
	if (!n) {
		fprintf(stderr, "WARNING: no samples: %s not written\n", o->svg);
		unlink(o->svg);	/* created empty when the flags were checked */
		sb_free(&folded);
		return 0;
	}
	FILE *in = fmemopen(folded.s, folded.len, "r");
	FILE *out = fopen(o->svg, "we");
	int rc = -1;
	if (!out)
		fprintf(stderr, "ERROR: cannot write %s: %s\n", o->svg, strerror(errno));
	else if (in) {
		char title[128];
		if (o->count)
			snprintf(title, sizeof(title), "CPU profile, a sample every %ld ns of CPU time", o->count);
		else
			snprintf(title, sizeof(title), "CPU profile, %ld Hz", o->hz);
		struct fg_options fo = { .title = o->title ? o->title : title, .countname = "samples" };
		rc = flamegraph_write(in, out, &fo);
	}
	if (in)
		fclose(in);
	if (out && fclose(out) && !rc) {
		fprintf(stderr, "ERROR: cannot write %s: %s\n", o->svg, strerror(errno));
		rc = -1;
	}
	sb_free(&folded);
	return rc;
}

static void add_frames(struct session *s, struct pprof_frame *fr, int *nf, int pid, const uint64_t *ips, int n,
		       int kernel)
{
	for (int k = 0; k < n; k++) {
		struct sym_info si;
		int known = kernel ? sym_kernel_info(s->vc.syms, ips[k], &si) : sym_user_info(s->vc.syms, pid, ips[k], &si);
		if (si.kind == SYM_PYTHON) {
			/* the function by its qualname, in its file, at its line; no address or mapping */
			fr[(*nf)++] = (struct pprof_frame){ .name = si.func ? si.func : si.name, .file = si.file,
							    .start_line = si.start_line, .line = si.line };
			continue;
		}
		fr[(*nf)++] = (struct pprof_frame){ .addr = ips[k], .name = known ? si.name : NULL, .module = si.module,
						    .map_start = si.map_start, .map_end = si.map_end,
						    .map_pgoff = si.map_pgoff };
	}
}

static int write_pprof(struct session *s, const struct profile_opts *o, struct stack_sample *const *v, int n,
		       uint64_t duration_ns)
{
	uint64_t period = o->count ? (uint64_t)o->count : 1000000000ull / (uint64_t)o->hz;
	struct pprof *p = pprof_new(period);
	if (o->main_exe[0])
		pprof_set_main(p, o->main_exe);
	struct pprof_frame *fr = xcalloc(2 * STACK_MAX_FRAMES, sizeof(*fr));
	for (int i = 0; i < n; i++) {
		int nf = 0;
		if (!o->user_only)
			add_frames(s, fr, &nf, v[i]->pid, v[i]->kips, v[i]->nk, 1);
		if (!o->kernel_only)
			add_frames(s, fr, &nf, v[i]->pid, v[i]->uips, v[i]->nu, 0);
		pprof_add(p, fr, (size_t)nf, (int64_t)v[i]->count, v[i]->comm, v[i]->pid);
	}
	free(fr);
	pprof_set_duration(p, duration_ns);
	int rc = pprof_write(p, o->pprof);
	if (rc)
		fprintf(stderr, "ERROR: cannot write %s: %s\n", o->pprof, strerror(errno));
	pprof_free(p);
	return rc;
}

struct profile_run {
	const struct profile_opts *o;
	uint64_t start_ns;	/* when sampling began, for pprof's duration */
	int rc;
};

static void report(struct session *s, void *arg)
{
	struct profile_run *run = arg;
	const struct profile_opts *o = run->o;
	int n;
	struct stack_sample **v = tk_stack_samples(s, "@s", NULL, &n);
	if (!v)
		return;
	struct stack_layout l = layout_of(o, o->annotate);
	if (o->folded) {
		stack_samples_folded(s->out, s->vc.syms, v, n, &l);
	} else if (!o->svg && !o->pprof) {
		struct strbuf sb = { 0 };
		sb_putc(&sb, '\n');	/* BCC's line between the header and the stacks */
		for (int i = 0; i < n; i++)
			stack_sample_lines(&sb, s->vc.syms, v[i], &l);
		fputs(sb_str(&sb), s->out);
		sb_free(&sb);
	}
	if (o->svg && write_svg(s, o, v, n))
		run->rc = 1;
	if (o->pprof && write_pprof(s, o, v, n, clock_ns(CLOCK_MONOTONIC) - run->start_ns))
		run->rc = 1;
	int missed = 0;
	for (int i = 0; i < n; i++)
		missed += v[i]->k_missed + v[i]->u_missed;
	if (missed)
		fprintf(stderr, "WARNING: %d stack traces could not be displayed. Consider increasing --stack-storage-size.\n",
			missed);
	if ((uint32_t)n >= o->hash_entries)
		fprintf(stderr, "WARNING: the table of stacks by process is full (%u entries): samples of new stacks were dropped. "
			"Consider increasing --hash-storage-size.\n", o->hash_entries);
	tk_stack_samples_free(v, n);
}

static int parse_args(int argc, char **argv, struct profile_opts *o)
{
	enum { OPT_STACKS = 256, OPT_HASH, OPT_SVG, OPT_PPROF, OPT_TITLE };
	static const struct option longopts[] = {
		{ "stack-storage-size", required_argument, NULL, OPT_STACKS },
		{ "hash-storage-size", required_argument, NULL, OPT_HASH },
		{ "svg", required_argument, NULL, OPT_SVG },
		{ "pprof", required_argument, NULL, OPT_PPROF },
		{ "title", required_argument, NULL, OPT_TITLE },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;
	long v;
	optind = 1;
	while ((c = getopt_long(argc, argv, "p:L:UKF:c:daIfC:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p': o->pids = optarg; break;
		case 'L': o->tids = optarg; break;
		case 'U': o->user_only = 1; break;
		case 'K': o->kernel_only = 1; break;
		case 'd': o->delimiter = 1; break;
		case 'a': o->annotate = 1; break;
		case 'I': o->idle = 1; break;
		case 'f': o->folded = 1; break;
		case OPT_SVG: o->svg = optarg; break;
		case OPT_PPROF: o->pprof = optarg; break;
		case OPT_TITLE: o->title = optarg; break;
		case 'h': fputs(usage, stdout); exit(0);
		case 'F': case 'c': case 'C': case OPT_STACKS: case OPT_HASH:
			if (parse_long(optarg, c == 'C' ? 0 : 1, &v) || v > INT32_MAX) {
				fprintf(stderr, "ERROR: %s%s expects a %s number, got '%s'\n", c < 256 ? "-" : "--",
					c == OPT_STACKS ? "stack-storage-size" : c == OPT_HASH ? "hash-storage-size" : (char[]){ (char)c, 0 },
					c == 'C' ? "non-negative" : "positive", optarg);
				return -1;
			}
			if (c == 'F')
				o->hz = v, o->hz_given = 1;
			else if (c == 'c')
				o->count = v;
			else if (c == 'C')
				o->cpu = (int)v;
			else if (c == OPT_STACKS)
				o->stack_entries = (uint32_t)v;
			else
				o->hash_entries = (uint32_t)v;
			break;
		default: fputs(usage, stderr); return -1;
		}
	}
	if (o->hz_given && o->count) {
		fputs("ERROR: -F and -c exclude each other: a frequency, or a period\n", stderr);
		return -1;
	}
	int ncpus = libbpf_num_possible_cpus();
	if (o->cpu >= 0 && ncpus > 0 && o->cpu >= ncpus) {
		fprintf(stderr, "ERROR: -C: there is no CPU %d (CPUs 0 to %d here)\n", o->cpu, ncpus - 1);
		return -1;
	}
	long max_rate = 0;
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_sample_rate", "re");
	if (f && fscanf(f, "%ld", &max_rate) == 1 && o->hz > max_rate) {
		fprintf(stderr, "ERROR: -F %ld is above the kernel's limit of %ld samples a second "
			"(/proc/sys/kernel/perf_event_max_sample_rate)\n", o->hz, max_rate);
		fclose(f);
		return -1;
	}
	if (f)
		fclose(f);
	if (o->user_only && o->kernel_only) {
		fputs("ERROR: -U and -K exclude each other: leave both out for user and kernel stacks\n", stderr);
		return -1;
	}
	if (o->pids && o->tids) {
		fputs("ERROR: -p and -L exclude each other\n", stderr);
		return -1;
	}
	if (optind < argc && (parse_long(argv[optind], 1, &o->duration) || o->duration > 31536000)) {
		fprintf(stderr, "ERROR: the duration is a number of seconds, 1 to 31536000 (a year), got '%s'\n", argv[optind]);
		return -1;
	}
	if (optind + 1 < argc) {
		fprintf(stderr, "ERROR: the only positional argument is the duration in seconds; '%s' is one too many\n",
			argv[optind + 1]);
		return -1;
	}
	/* an output file that cannot be written is found now, not after the sampling */
	const char *outs[] = { o->svg, o->pprof };
	for (int i = 0; i < 2; i++) {
		FILE *w = outs[i] ? fopen(outs[i], "we") : NULL;
		if (outs[i] && !w) {
			fprintf(stderr, "ERROR: cannot write %s: %s\n", outs[i], strerror(errno));
			return -1;
		}
		if (w)
			fclose(w);
	}
	return 0;
}

int tool_profile(int argc, char **argv)
{
	struct profile_opts o = { .hz = 49, .cpu = -1, .hash_entries = 40960 };
	if (parse_args(argc, argv, &o))
		return 1;
	struct strbuf script = { 0 };
	if (build_script(&o, &script)) {
		sb_free(&script);
		return 1;
	}
	for (const char *id = o.pids; id && *id; id = strchr(id, ',') ? strchr(id, ',') + 1 : "")
		if (kill((pid_t)atol(id), 0) && errno == ESRCH) {
			fprintf(stderr, "ERROR: -p: there is no process %ld\n", atol(id));
			sb_free(&script);
			return 1;
		}
	if (o.pids && !strchr(o.pids, ',')) {
		char link[64];
		snprintf(link, sizeof(link), "/proc/%s/exe", o.pids);
		ssize_t n = readlink(link, o.main_exe, sizeof(o.main_exe) - 1);
		o.main_exe[n > 0 ? n : 0] = 0;
	}
	struct profile_run run = { .o = &o, .start_ns = clock_ns(CLOCK_MONOTONIC) };
	struct session s = { 0 };
	s.o.prog_text = sb_str(&script);
	s.o.prog_name = "profile";
	s.o.quiet = 1;
	s.o.buffering = BUF_FULL;
	s.o.stack_entries = o.stack_entries;
	s.o.preload_pids = o.pids;	/* -p's first samples are whole, Python frames included */
	s.o.map_entries = o.hash_entries;
	s.o.at_exit = report;
	s.o.at_exit_arg = &run;
	s.out = stdout;
	if (!o.folded)
		print_header(&o);
	int rc = session_run(&s);
	session_free(&s);
	sb_free(&script);
	return rc ? rc : run.rc;
}
