/*
 * sonde strace: strace's lines, classes and -c table, without ptrace: the
 * traced process is never stopped. raw_syscalls:sys_enter keeps each call's
 * number, time and six arguments per thread, and reads its strings (paths)
 * with str() at the argument positions the syscalls:sys_enter_X formats
 * give as `const char *`; raw_syscalls:sys_exit sends one record per
 * finished call, which this file prints whole (no `<unfinished ...>`: a
 * line appears when its call returns). Two programs, whatever the set: one
 * attachment per direction, as each tracepoint detach waits for RCU.
 * With -f a map of pids, grown by sched_process_fork, picks the processes.
 */
#include "tools.h"
#include "toolkit.h"
#include "strace_decode.h"
#include "../probe/syscalls.h"
#include "../probe/tracefs.h"
#include "../out/json.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] =
	"usage: sonde strace [-h] [-f] [-c | -C] [-T] [-t | -tt | -ttt] [-s N] [-o FILE] [-e EXPR]... [-D] [--json]\n"
	"                    (-p PID[,PID...] | -- CMD [ARG...])\n"
	"\n"
	"Trace system calls, as strace prints them, from tracepoints: the traced process is never stopped.\n"
	"\n"
	"optional arguments:\n"
	"  -h, --help            show this help message and exit\n"
	"  -- CMD [ARG...]       run CMD once the probes are attached, trace it, end with it\n"
	"  -p PID[,PID...]       trace these running processes (all their threads)\n"
	"  -f                    follow the children they fork (and their threads)\n"
	"  -e trace=SET          only these calls: names and classes (%file %network %process %signal\n"
	"                        %memory %desc %ipc %creds), comma-separated; !SET for all but; `-e SET` too\n"
	"  -e status=failed      only the calls that fail (status=successful: only those that do not)\n"
	"  -c                    count time, calls and errors per call; print a table at the end instead of lines\n"
	"  -C                    the lines and the table\n"
	"  -T                    show the time spent in each call, <seconds>\n"
	"  -t, -tt, -ttt         prefix each line with the time of day, with microseconds, or as seconds since the epoch\n"
	"  -s N                  read/write data: print at most N bytes (default 32, at most 1024, 0: the address);\n"
	"                        paths are printed whole (up to 255 bytes)\n"
	"  -o FILE               write the trace (and the table) to FILE instead of standard output\n"
	"  -D                    print the generated program before starting\n"
	"  --json                one JSON object per call ({\"type\": \"syscall\", ...}) and for -c's counts\n"
	"\n"
	"Decoded: AT_FDCWD, open/access/AT_ flags, modes, mmap/mprotect prot and flags, signals,\n"
	"sigprocmask's how, lseek's whence, socket family/type, errno names, the strings of any call\n"
	"(paths, read at entry) and read/write/pread64/pwrite64 data (read at return); other arguments\n"
	"by their tracepoint field's type (numbers; pointers, buffers, structures and argv as addresses).\n"
	"A line is printed when its call returns (never `<unfinished ...>`); a string in a page the probe\n"
	"cannot read is printed as its address.\n"
	"-c times each call from entry to return (strace -c -w).\n"
	"\n"
	"examples:\n"
	"    sonde strace -- cat /etc/hostname       # every call of cat\n"
	"    sonde strace -f -e trace=%file -- make  # file calls of make and its children\n"
	"    sonde strace -c -p 1234                 # a table of 1234's calls until Ctrl-C\n"
	"    sonde strace -T -e trace=openat,read -p 1234\n";

#define MAX_PIDS 64
#define STR_LEN 256	/* bytes of a path read at entry */

struct call_stats {
	uint64_t calls, errors, ns;
};

struct strace {
	unsigned char set[SD_NR_MAX];	/* the calls traced */
	const struct tp_format *fmts[SD_NR_MAX];	/* sys_enter_X's fields, by number */
	struct arena *arena;
	int pids[MAX_PIDS], npids;
	int follow, count, count_lines, durations, time_fmt, status, json;	/* status: 0 all, 1 failed, 2 successful */
	long strlen;
	FILE *out;
	int to_file;
	int first_tid;		/* the process started or the first -p: its lines carry no [pid N] */
	int64_t real_minus_mono;
	struct call_stats stats[SD_NR_MAX];
	unsigned char strings_read[SD_NR_MAX];	/* calls whose strings the script reads */
};

static void load_format(const char *cat, const char *event, void *arg)
{
	struct strace *st = arg;
	int nr = syscall_nr(event + strlen("sys_enter_"));
	if (nr < 0 || nr >= SD_NR_MAX || st->fmts[nr])
		return;
	struct tp_format *f = arena_alloc(st->arena, sizeof(*f));
	if (tracefs_format(cat, event, f, st->arena) == 0)
		st->fmts[nr] = f;
}

static int parse_set(struct strace *st, const char *text)
{
	int negate = text[0] == '!';
	unsigned char want[SD_NR_MAX] = { 0 };
	char *copy = xstrdup(text + negate), *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, ",", &save); w && !rc; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, "all")) {
			memset(want, 1, sizeof(want));
		} else if (!strcmp(w, "none")) {
			;
		} else if (w[0] == '%') {
			if (sd_class_add(w + 1, want, st->fmts)) {
				fprintf(stderr, "ERROR: strace: invalid system call class '%s' (classes: %%file %%network %%process "
					"%%signal %%memory %%desc %%ipc %%creds)\n", w);
				rc = -1;
			}
		} else {
			int nr = sd_syscall_nr(w);
			if (nr < 0 || nr >= SD_NR_MAX) {
				fprintf(stderr, "ERROR: strace: invalid system call '%s'\n", w);
				rc = -1;
			} else {
				want[nr] = 1;
			}
		}
	}
	free(copy);
	for (int i = 0; i < SD_NR_MAX; i++)
		st->set[i] = negate ? !want[i] && sd_syscall_name(i) : want[i];
	return rc;
}

static int parse_expr(struct strace *st, const char *e)
{
	if (!strncmp(e, "status=", 7)) {
		const char *v = e + 7;
		if (!strcmp(v, "failed"))
			st->status = 1;
		else if (!strcmp(v, "successful"))
			st->status = 2;
		else if (!strcmp(v, "all"))
			st->status = 0;
		else {
			fprintf(stderr, "ERROR: strace: -e status= takes failed, successful or all, got '%s'\n", v);
			return -1;
		}
		return 0;
	}
	if (!strncmp(e, "trace=", 6))
		return parse_set(st, e + 6);
	if (strchr(e, '=')) {
		fprintf(stderr, "ERROR: strace: -e '%s': only trace= and status= are supported\n", e);
		return -1;
	}
	return parse_set(st, e);
}

static int parse_pids(struct strace *st, const char *text)
{
	char *copy = xstrdup(text), *save = NULL;
	int rc = 0;
	for (char *w = strtok_r(copy, ", ", &save); w && !rc; w = strtok_r(NULL, ", ", &save)) {
		if (st->npids == MAX_PIDS) {
			fprintf(stderr, "ERROR: strace: at most %d processes with -p\n", MAX_PIDS);
			rc = -1;
		} else {
			rc = tk_parse_pid("strace", w, &st->pids[st->npids++]);
		}
	}
	if (!rc && !st->npids) {
		fprintf(stderr, "ERROR: strace: -p needs a process id, got '%s'\n", text);
		rc = -1;
	}
	free(copy);
	return rc;
}

/* ---- the script ---- */

static void gen_filter(struct strace *st, struct strbuf *s, const char *idexpr)
{
	int n = 0, all = 1;
	for (int i = 0; i < SD_NR_MAX; i++)
		if (sd_syscall_name(i)) {
			n += st->set[i];
			all &= st->set[i];
		}
	if (st->follow)
		sb_puts(s, "@st_p[pid]");
	if (all)
		return;
	sb_puts(s, st->follow ? " && " : "");
	if (n <= 24) {
		sb_putc(s, '(');
		int k = 0;
		for (int i = 0; i < SD_NR_MAX; i++)
			if (st->set[i])
				sb_printf(s, "%s%s == %d", k++ ? " || " : "", idexpr, i);
		sb_puts(s, k ? ")" : "0)");
	} else {
		sb_printf(s, "@st_want[%s]", idexpr);
	}
}

/* The first two `const char *` fields of a call's tracepoint that hold text (not write's buffer): read at its entry. */
static int string_fields(const struct tp_format *f, const struct tp_field **out)
{
	int n = 0;
	for (int i = 0; f && i < f->nfields && n < 2; i++)
		if (!strcmp(f->fields[i].type, "const char *") && strcmp(f->fields[i].name, "buf") &&
		    strcmp(f->fields[i].name, "u_msg_ptr") && strcmp(f->fields[i].name, "value"))
			out[n++] = &f->fields[i];
	return n;
}

/* The argument positions of a call's strings (up to two; -1: none), from its tracepoint's fields. */
static void string_args(const struct tp_format *f, int pos[2])
{
	const struct tp_field *sf[2];
	int n = string_fields(f, sf);
	pos[0] = pos[1] = -1;
	for (int k = 0; k < n; k++) {
		int arg = 0;
		for (int i = 0; i < f->nfields && &f->fields[i] != sf[k]; i++)
			arg += strcmp(f->fields[i].name, "__syscall_nr") != 0;
		pos[k] = arg < 6 ? arg : -1;
	}
}

static void gen_script(struct strace *st, struct strbuf *s)
{
	struct strbuf filt = { 0 };
	gen_filter(st, &filt, "args.id");
	int want_map = strstr(sb_str(&filt), "@st_want") != NULL;
	if (st->follow || want_map) {
		sb_puts(s, "BEGIN {");
		for (int i = 0; st->follow && i < st->npids; i++)
			sb_printf(s, " @st_p[%d] = 1;", st->pids[i]);
		if (st->follow && !st->npids)
			sb_puts(s, " @st_p[(uint64)cpid] = 1;");
		for (int i = 0; want_map && i < SD_NR_MAX; i++)
			if (st->set[i])
				sb_printf(s, " @st_want[%d] = 1;", i);
		sb_puts(s, " }\n");
	}
	if (st->follow == 1)	/* -f: a child of a traced process is traced */
		sb_puts(s, "tracepoint:sched:sched_process_fork /@st_p[pid]/ { @st_p[(uint64)args.child_pid] = 1; }\n");
	/* entry: number, time, arguments; calls that never return are printed here */
	sb_printf(s, "tracepoint:raw_syscalls:sys_enter %s%s%s {\n", filt.len ? "/" : "", sb_str(&filt), filt.len ? "/" : "");
	sb_puts(s, "  @st_e[tid] = (args.id, nsecs, args.args[0], args.args[1], args.args[2], args.args[3], args.args[4], args.args[5]);\n");
	sb_puts(s, "  if (args.id == 60 || args.id == 231) { printf(\"%d %d %d %d %d %d %d %d %d %d %d %d %d\", 1, pid, tid, args.id, 0, nsecs, 0, "
		   "args.args[0], args.args[1], args.args[2], args.args[3], args.args[4], args.args[5]); delete(@st_e[tid]);");
	if (st->follow == 1)
		sb_puts(s, " if (args.id == 231) { delete(@st_p[pid]); }");
	sb_puts(s, " return; }\n");
	/* strings: the calls that take them, by argument positions (from the sys_enter_X formats) */
	int pos[SD_NR_MAX][2], maxn = 0;
	unsigned char done[SD_NR_MAX] = { 0 };
	for (int i = 0; i < SD_NR_MAX; i++)
		string_args(st->set[i] ? st->fmts[i] : NULL, pos[i]);
	for (int i = 0; i < SD_NR_MAX; i++) {
		if (done[i] || pos[i][0] < 0)
			continue;
		int n = pos[i][1] >= 0 ? 2 : 1, k = 0;
		sb_puts(s, "  if (");
		for (int j = i; j < SD_NR_MAX; j++)
			if (!done[j] && pos[j][0] == pos[i][0] && pos[j][1] == pos[i][1]) {
				sb_printf(s, "%sargs.id == %d", k++ ? " || " : "", j);
				done[j] = 1;
				st->strings_read[j] = 1;
			}
		sb_printf(s, ") { @st_s0[tid] = str(args.args[%d], %d);", pos[i][0], STR_LEN);
		if (n > 1)
			sb_printf(s, " @st_s1[tid] = str(args.args[%d], %d);", pos[i][1], STR_LEN);
		sb_printf(s, " @st_ns[tid] = %d; }\n", n);
		maxn = n > maxn ? n : maxn;
	}
	sb_puts(s, "}\n");
	/* return: one record per call */
	static const char rec[] = "printf(\"%d %d %d %d %d %d %d %d %d %d %d %d %d";
	static const char vals[] = "0, pid, tid, $e.0, args.ret, $e.1, nsecs - $e.1, $e.2, $e.3, $e.4, $e.5, $e.6, $e.7";
	sb_puts(s, "tracepoint:raw_syscalls:sys_exit {\n  $e = @st_e[tid]; if ($e.1 == 0) { return; } delete(@st_e[tid]);\n");
	/* read/write: the buffer, at most -s bytes, read at return (read's data is there only then) */
	struct strbuf io = { 0 };
	static const int io_calls[] = { 0, 1, 17, 18 };	/* read, write, pread64, pwrite64 */
	for (size_t i = 0; st->strlen && i < ARRAY_SIZE(io_calls); i++)
		if (st->set[io_calls[i]])
			sb_printf(&io, "%s$e.0 == %d", io.len ? " || " : "", io_calls[i]);
	if (io.len) {
		sb_printf(s, "  if (%s) { $bn = ($e.0 == 0 || $e.0 == 17) ? args.ret : $e.4; if ($bn < 0) { $bn = 0; } if ($bn > %ld) { $bn = %ld; }\n",
			  sb_str(&io), st->strlen, st->strlen);
		sb_printf(s, "    %s %%r\", %s, buf($e.3, $bn)); return; }\n", rec, vals);
	}
	sb_free(&io);
	if (!maxn) {
		sb_printf(s, "  %s\", %s);\n}\n", rec, vals);
	} else {
		sb_puts(s, "  $n = @st_ns[tid];\n");
		sb_printf(s, "  if ($n == 0) { %s\", %s); return; }\n", rec, vals);
		if (maxn == 1) {
			sb_printf(s, "  %s %%s\", %s, @st_s0[tid]);\n", rec, vals);
		} else {
			sb_printf(s, "  if ($n == 1) { %s %%s\", %s, @st_s0[tid]); }\n", rec, vals);
			sb_printf(s, "  else { %s %%s %%s\", %s, @st_s0[tid], @st_s1[tid]); delete(@st_s1[tid]); }\n", rec, vals);
		}
		sb_puts(s, "  delete(@st_s0[tid]); delete(@st_ns[tid]);\n}\n");
	}
	sb_free(&filt);
}

/* ---- output ---- */

static void leader(struct strace *st, struct strbuf *l, int tid, uint64_t ts)
{
	if (st->follow && st->to_file)
		sb_printf(l, "%-5d ", tid);
	else if (st->follow && tid != st->first_tid)
		sb_printf(l, "[pid %5d] ", tid);
	if (st->time_fmt) {
		int64_t real = (int64_t)ts + st->real_minus_mono;
		time_t sec = (time_t)(real / 1000000000);
		long us = (long)(real % 1000000000 / 1000);
		if (st->time_fmt >= 3) {
			sb_printf(l, "%lld.%06ld ", (long long)sec, us);
		} else {
			struct tm tm;
			char hms[16];
			localtime_r(&sec, &tm);
			strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
			if (st->time_fmt == 2)
				sb_printf(l, "%s.%06ld ", hms, us);
			else
				sb_printf(l, "%s ", hms);
		}
	}
}

/* The command started: its lines carry no [pid N] with -f. */
static void on_attached(struct session *s, void *arg)
{
	struct strace *st = arg;
	if (!st->first_tid)
		st->first_tid = s->target.pid;
}

/* --json: {"type": "syscall", "data": {…}}, the arguments as strace prints them */
static void json_call(struct strace *st, struct strbuf *l, const struct sd_call *c, const int64_t *v)
{
	struct strbuf call = { 0 };
	sd_call(&call, c);
	const char *open = strchr(sb_str(&call), '(');
	int failed = c->returned && c->ret < 0 && c->ret >= -4095;
	const char *ename = failed ? strerrorname_np((int)-c->ret) : NULL;
	sb_printf(l, "{\"type\": \"syscall\", \"data\": {\"time_s\": %.6f, \"pid\": %d, \"tid\": %d, \"syscall\": ",
		  (double)(v[5] + st->real_minus_mono) / 1e9, (int)v[1], (int)v[2]);
	json_escape(l, sb_str(&call), (size_t)(open - sb_str(&call)));
	sb_puts(l, ", \"args\": ");
	json_escape(l, open + 1, call.len - (size_t)(open - sb_str(&call)) - 2);
	if (!c->returned)
		sb_puts(l, ", \"ret\": null");
	else
		sb_printf(l, ", \"ret\": %lld", failed ? -1LL : (long long)c->ret);
	if (ename)
		sb_printf(l, ", \"errno\": \"%s\"", ename);
	else if (failed)
		sb_printf(l, ", \"errno\": %lld", (long long)-c->ret);
	if (c->returned)
		sb_printf(l, ", \"duration_ns\": %lld", (long long)v[6]);
	sb_puts(l, "}}\n");
	sb_free(&call);
}

/* printf(kind, pid, tid, nr, ret, ts, dur, a0…a5[, s0[, s1]]) */
static void on_record(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct strace *st = arg;
	(void)s;
	int64_t v[13];
	if (r->nargs < 13)
		return;
	for (int i = 0; i < 13; i++)
		memcpy(&v[i], data + r->offs[i], 8);
	char strs[2][STR_LEN + 1] = { { 0 } };
	struct sd_call c = { .nr = (int)v[3], .returned = v[0] == 0, .ret = v[4] };
	for (int i = 0; i < 6; i++)
		c.a[i] = (uint64_t)v[7 + i];
	if (r->nargs == 14 && r->args[13]->kind == TY_BUF) {
		uint64_t len;
		memcpy(&len, data + r->offs[13], 8);
		c.data = (const char *)data + r->offs[13] + 8;
		c.datalen = len < (uint64_t)r->args[13]->array_len ? (size_t)len : (size_t)r->args[13]->array_len;
	}
	for (int i = 0; i < 2 && 13 + i < r->nargs && r->args[13 + i]->kind == TY_STR; i++) {
		size_t max = (size_t)r->args[13 + i]->size < STR_LEN ? (size_t)r->args[13 + i]->size : STR_LEN;
		memcpy(strs[i], data + r->offs[13 + i], strnlen((const char *)data + r->offs[13 + i], max));
		c.str[i] = strs[i];
	}
	if (c.nr < 0 || c.nr >= SD_NR_MAX)
		return;
	c.fmt = st->fmts[c.nr];
	int failed = c.returned && c.ret < 0 && c.ret >= -4095;
	if ((st->status == 1 && !failed) || (st->status == 2 && failed))
		return;
	if (st->count) {
		struct call_stats *cs = &st->stats[c.nr];
		cs->calls++;
		cs->errors += failed;
		cs->ns += (uint64_t)v[6];
		if (!st->count_lines)
			return;
	}
	struct strbuf l = { 0 };
	if (st->json) {
		json_call(st, &l, &c, v);
		fputs(sb_str(&l), st->out);
		sb_free(&l);
		return;
	}
	leader(st, &l, (int)v[2], (uint64_t)v[5]);
	sd_call(&l, &c);
	sb_putc(&l, ' ');
	while (l.len < 40)
		sb_putc(&l, ' ');
	sb_puts(&l, "= ");
	sd_result(&l, &c);
	if (st->durations && c.returned)
		sb_printf(&l, " <%lld.%06lld>", (long long)(v[6] / 1000000000), (long long)(v[6] % 1000000000 / 1000));
	sb_putc(&l, '\n');
	if (!c.returned && c.nr == 231) {	/* exit_group */
		leader(st, &l, (int)v[2], (uint64_t)v[5]);
		sb_printf(&l, "+++ exited with %d +++\n", (int)c.a[0] & 0xff);
	}
	fputs(sb_str(&l), st->out);
	sb_free(&l);
}

static int by_time(const void *a, const void *b, void *arg)
{
	const struct call_stats *st = arg;
	int x = *(const int *)a, y = *(const int *)b;
	if (st[x].ns != st[y].ns)
		return st[x].ns < st[y].ns ? 1 : -1;
	if (st[x].calls != st[y].calls)
		return st[x].calls < st[y].calls ? 1 : -1;
	return strcmp(sd_syscall_name(x), sd_syscall_name(y));
}

/* strace -c's table (count.c's layout), slowest first. */
static void summary(struct session *s, void *arg)
{
	struct strace *st = arg;
	(void)s;
	int order[SD_NR_MAX], n = 0;
	struct call_stats total = { 0 };
	for (int i = 0; i < SD_NR_MAX; i++)
		if (st->stats[i].calls) {
			order[n++] = i;
			total.calls += st->stats[i].calls;
			total.errors += st->stats[i].errors;
			total.ns += st->stats[i].ns;
		}
	qsort_r(order, (size_t)n, sizeof(int), by_time, st->stats);
	static const char dashes[] = "------ ----------- ----------- --------- --------- ----------------\n";
	FILE *o = st->out;
	if (st->json) {
		fputs("{\"type\": \"syscall_counts\", \"data\": {\"syscalls\": [", o);
		for (int i = 0; i < n; i++) {
			const struct call_stats *cs = &st->stats[order[i]];
			fprintf(o, "%s{\"syscall\": \"%s\", \"calls\": %llu, \"errors\": %llu, \"ns\": %llu}", i ? ", " : "",
				sd_syscall_name(order[i]), (unsigned long long)cs->calls, (unsigned long long)cs->errors,
				(unsigned long long)cs->ns);
		}
		fprintf(o, "], \"calls\": %llu, \"errors\": %llu, \"ns\": %llu}}\n", (unsigned long long)total.calls,
			(unsigned long long)total.errors, (unsigned long long)total.ns);
		fflush(o);
		return;
	}
	fprintf(o, "%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time", "seconds", "usecs/call", "calls", "errors", "syscall");
	fputs(dashes, o);
	for (int i = 0; i < n; i++) {
		const struct call_stats *cs = &st->stats[order[i]];
		fprintf(o, "%6.2f %11.6f %11llu %9llu %9.llu %s\n", total.ns ? 100.0 * (double)cs->ns / (double)total.ns : 0.0,
			(double)cs->ns / 1e9, (unsigned long long)(cs->ns / 1000 / cs->calls), (unsigned long long)cs->calls,
			(unsigned long long)cs->errors, sd_syscall_name(order[i]));
	}
	fputs(dashes, o);
	fprintf(o, "%6.6s %11.6f %11llu %9llu %9.llu %s\n", "100.00", (double)total.ns / 1e9,
		(unsigned long long)(total.calls ? total.ns / 1000 / total.calls : 0), (unsigned long long)total.calls,
		(unsigned long long)total.errors, "total");
	fflush(o);
}

int tool_strace(int argc, char **argv)
{
	enum { OPT_JSON = 256 };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' }, { "json", no_argument, NULL, OPT_JSON }, { 0 },
	};
	struct strace *st = xcalloc(1, sizeof(*st));
	struct tk_run run = { .tool = "strace", .arg = st, .quiet_exit = 1 };
	struct strbuf script = { 0 };
	const char *outfile = NULL;
	int c, rc = 1;
	st->arena = arena_new();
	st->strlen = 32;
	st->out = stdout;
	tracefs_glob("syscalls", "sys_enter_*", load_format, st);
	memset(st->set, 0, sizeof(st->set));
	for (int i = 0; i < SD_NR_MAX; i++)
		st->set[i] = sd_syscall_name(i) != NULL;
	run.command = tk_take_command(&argc, argv);
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:fe:cCTts:o:Dh", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (parse_pids(st, optarg))
				goto out;
			break;
		case 'f': st->follow = 1; break;
		case 'e':
			if (parse_expr(st, optarg))
				goto out;
			break;
		case 'c': st->count = 1; break;
		case 'C': st->count = st->count_lines = 1; break;
		case 'T': st->durations = 1; break;
		case 't': st->time_fmt++; break;
		case 's':
			if (tk_parse_long(optarg, 0, 1024, &st->strlen)) {
				fprintf(stderr, "ERROR: strace: -s is a number of characters, 0 to 1024, got '%s'\n", optarg);
				goto out;
			}
			break;
		case 'o': outfile = optarg; break;
		case 'D': run.print_script = 1; break;
		case OPT_JSON: st->json = run.json = 1; break;
		case 'h': fputs(usage, stdout); rc = 0; goto out;
		default: fputs(usage, stderr); goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ERROR: strace: unexpected '%s': give the command after --\n", argv[optind]);
		goto out;
	}
	if (!st->npids && !run.command) {
		fputs("ERROR: strace: must have -p PID or a command after --\n", stderr);
		goto out;
	}
	if (st->npids && run.command) {
		fputs("ERROR: strace: -p and a command exclude each other\n", stderr);
		goto out;
	}
	if (outfile && !(st->out = fopen(outfile, "w"))) {
		fprintf(stderr, "ERROR: strace: -o %s: %s\n", outfile, strerror(errno));
		st->out = stdout;
		goto out;
	}
	st->to_file = outfile != NULL;
	st->first_tid = st->npids ? st->pids[0] : 0;
	/* one process followed by the session (it ends with it); several: until Ctrl-C */
	run.pid = st->npids == 1 ? st->pids[0] : 0;
	run.own_filter = st->follow || st->npids > 1;
	if (st->npids > 1 && !st->follow)
		st->follow = 2;	/* the pid map picks them, without following forks */
	st->real_minus_mono = (int64_t)clock_ns(CLOCK_REALTIME) - (int64_t)clock_ns(CLOCK_MONOTONIC);
	gen_script(st, &script);
	if (st->strlen) {	/* buf()'s capacity when its length is not a constant */
		char cap[24];
		snprintf(cap, sizeof(cap), "%ld", st->strlen < 8 ? 8 : st->strlen);
		setenv("BPFTRACE_STRLEN", cap, 1);
	}
	run.script = sb_str(&script);
	run.on_printf = on_record;
	run.on_attached = on_attached;
	if (st->count)
		run.summary = summary;
	rc = tk_run(&run);
out:
	if (st->out != stdout)
		fclose(st->out);
	else
		fflush(stdout);
	sb_free(&script);
	arena_free(st->arena);
	free(st);
	return rc;
}
