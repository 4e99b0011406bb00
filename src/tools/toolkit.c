#include "toolkit.h"
#include "../python/merge.h"
#include "../rt/cgroup.h"
#include "../rt/metrics_http.h"
#include "../obj/binpath.h"
#include "../obj/elf.h"
#include "../probe/provider.h"
#include "../probe/syscalls.h"
#include "../out/hist.h"
#include "../out/maptable.h"
#include "../out/folded.h"
#include "../out/stacks.h"
#include "../out/json.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int tk_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int tk_parse_double(const char *s, double max, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || end == s || !isfinite(v) || v <= 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int tk_parse_seconds(const char *tool, int c, const char *s, long *out)
{
	if (!tk_parse_long(s, 1, 31536000, out))
		return 0;
	fprintf(stderr, "ERROR: %s: -%c is a number of seconds, 1 to 31536000, got '%s'\n", tool, c, s);
	return -1;
}

int tk_no_positionals(const char *tool, int argc, char **argv)
{
	if (optind >= argc)
		return 0;
	fprintf(stderr, "ERROR: %s: unexpected argument '%s' (a command goes after --)\n", tool, argv[optind]);
	return -1;
}

int tk_parse_pid(const char *tool, const char *s, int *pid)
{
	long v;
	if (tk_parse_long(s, 1, INT32_MAX, &v)) {
		fprintf(stderr, "ERROR: %s: -p needs a process id, got '%s'\n", tool, s);
		return -1;
	}
	if (kill((pid_t)v, 0) && errno == ESRCH) {
		fprintf(stderr, "ERROR: %s: -p: there is no process %ld\n", tool, v);
		return -1;
	}
	*pid = (int)v;
	return 0;
}

static int count_char(const char *s, char c)
{
	int n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

int tk_parse_pattern(const char *tool, const char *text, struct tk_pattern *p)
{
	*p = (struct tk_pattern){ .text = text };
	const char *rest = text;
	char kind = 0;
	if (strlen(text) > 2 && text[1] == ':' && strchr("ptur", text[0])) {
		kind = text[0];
		rest = text + 2;
	}
	if (kind == 'r') {
		fprintf(stderr, "ERROR: %s: '%s': give the function without r:, %s times calls from entry to return itself\n",
			tool, text, tool);
		return -1;
	}
	if (kind == 't') {
		if (count_char(rest, ':') != 1 || rest[0] == ':' || rest[strlen(rest) - 1] == ':') {
			fprintf(stderr, "ERROR: %s: '%s': a tracepoint is t:CATEGORY:EVENT (list them: sonde -l 'tracepoint:*')\n",
				tool, text);
			return -1;
		}
		p->kind = TK_TRACEPOINT;
		p->name = xstrdup(rest);
		return 0;
	}
	const char *colon = strchr(rest, ':');
	/* `func` or `p::func`: a kernel function */
	if (!colon || (kind == 'p' && colon == rest)) {
		p->kind = TK_KERNEL;
		p->name = xstrdup(colon ? colon + 1 : rest);
		return *p->name ? 0 : (fprintf(stderr, "ERROR: %s: '%s' names no function\n", tool, text), -1);
	}
	p->kind = kind == 'u' ? TK_USDT : TK_USER;
	p->lib = xstrndup(rest, (size_t)(colon - rest));
	p->name = xstrdup(colon + 1);
	if (!*p->lib || !*p->name) {
		fprintf(stderr, "ERROR: %s: '%s': expected LIB:%s\n", tool, text, p->kind == TK_USDT ? "PROBE" : "FUNCTION");
		tk_pattern_free(p);
		return -1;
	}
	if (!strcmp(p->lib, "c")) {	/* BCC's name for libc */
		free(p->lib);
		p->lib = xstrdup("libc");
	}
	return 0;
}

void tk_pattern_free(struct tk_pattern *p)
{
	free(p->lib);
	free(p->name);
	p->lib = p->name = NULL;
}

/* An attach-point part in double quotes when it holds what the lexer would read otherwise. */
static void put_part(struct strbuf *out, const char *s)
{
	if (strcspn(s, " \t,{}\"") == strlen(s) && !strstr(s, "//")) {
		sb_puts(out, s);
		return;
	}
	sb_putc(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_putc(out, '\\');
		sb_putc(out, *s);
	}
	sb_putc(out, '"');
}

static int regex_points(const char *tool, const struct tk_pattern *p, int ret, int pid, struct strbuf *out)
{
	regex_t re;
	char anchored[4096];
	snprintf(anchored, sizeof(anchored), "^(%s)$", p->name);
	int rc = regcomp(&re, anchored, REG_EXTENDED | REG_NOSUB);
	if (rc) {
		char msg[256];
		regerror(rc, &re, msg, sizeof(msg));
		fprintf(stderr, "ERROR: %s: -r: '%s' is not a regular expression: %s\n", tool, p->name, msg);
		return -1;
	}
	const char *prov = p->kind == TK_USDT ? "usdt" : p->kind == TK_TRACEPOINT ? "tracepoint" : "uprobe";
	struct strbuf listing = { 0 }, pattern = { 0 };
	if (p->kind == TK_TRACEPOINT)
		sb_printf(&pattern, "tracepoint:*");
	else
		sb_printf(&pattern, "%s:%s:*", prov, p->lib);
	provider_list(sb_str(&pattern), 0, pid, &listing);
	int n = 0;
	char *text = xstrdup(sb_str(&listing)), *save = NULL;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		/* tracepoint:CAT:EVENT names CAT:EVENT; uprobe:FILE:FUNC and usdt:FILE:[PROVIDER:]PROBE their last part */
		const char *name = p->kind == TK_TRACEPOINT ? line + strlen("tracepoint:") : strrchr(line, ':') + 1;
		if (!name || regexec(&re, name, 0, NULL, 0))
			continue;
		if (n++)
			sb_puts(out, ", ");
		if (p->kind == TK_TRACEPOINT) {
			sb_printf(out, "tracepoint:%s", name);
		} else {
			sb_printf(out, "%s:", p->kind == TK_USDT ? "usdt" : ret ? "uretprobe" : "uprobe");
			put_part(out, p->lib);
			sb_putc(out, ':');
			put_part(out, name);
		}
	}
	regfree(&re);
	free(text);
	sb_free(&listing);
	sb_free(&pattern);
	if (!n)
		fprintf(stderr, "0 functions matched by \"%s\". Exiting.\n", p->text);
	return n ? 0 : -1;
}

int tk_attach_points(const char *tool, const struct tk_pattern *p, int regex, int ret, int pid, struct strbuf *out)
{
	(void)pid;
	if (regex)
		return regex_points(tool, p, ret, pid, out);
	switch (p->kind) {
	case TK_TRACEPOINT:
		sb_printf(out, "tracepoint:%s", p->name);
		break;
	case TK_USDT:
		sb_puts(out, "usdt:");
		put_part(out, p->lib);
		sb_putc(out, ':');
		sb_puts(out, p->name);
		break;
	case TK_KERNEL:
		/* the engine says what this kernel lacks; a kernel with kprobes just works */
		sb_printf(out, "%s:%s", ret ? "kretprobe" : "kprobe", p->name);
		break;
	case TK_USER:
		sb_printf(out, "%s:", ret ? "uretprobe" : "uprobe");
		put_part(out, p->lib);
		sb_putc(out, ':');
		put_part(out, p->name);
		break;
	}
	return 0;
}

int tk_pattern_is_go(const struct tk_pattern *p, int pid)
{
	char path[4096];
	if (p->kind != TK_USER || bin_resolve(p->lib, pid, path, sizeof(path)))
		return 0;
	return elf_is_go(path) > 0;
}

const char *tk_probe_label(const char *probe)
{
	if (!strncmp(probe, "tracepoint:", 11))
		return probe + 11;
	const char *c = strrchr(probe, ':');
	return c ? c + 1 : probe;
}

void tk_clock(char *buf, size_t n)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(buf, n, "%H:%M:%S", &tm);
}

const struct mapinfo *tk_map(struct session *s, const char *name)
{
	for (int i = 0; i < s->script.maps.n; i++)
		if (!strcmp(s->script.maps.v[i]->name, name))
			return s->script.maps.v[i];
	return NULL;
}

static void on_tick(struct session *s, void *arg)
{
	struct tk_run *run = arg;
	uint64_t now = clock_ns(CLOCK_MONOTONIC);
	int done = run->duration && now - run->start_ns + 50000000ull >= (uint64_t)run->duration * 1000000000ull;
	if (run->summary && (run->interval || run->interval_ms || done)) {
		run->last_summary = done;
		run->summary(s, run->arg);
		run->summaries++;
		fflush(s->out);
	}
	if (done) {
		run->finished = 1;
		s->exiting = 1;
	}
}

static void at_exit(struct session *s, void *arg)
{
	struct tk_run *run = arg;
	/* the summary at the end, unless the last tick printed it */
	if (run->summary && !run->finished) {
		run->last_summary = 1;
		run->summary(s, run->arg);
	}
	if (!run->quiet_exit && !run->json)
		fputs("Detaching...\n", s->out);
}

static void on_attached(struct session *s, void *arg)
{
	struct tk_run *run = arg;
	run->start_ns = clock_ns(CLOCK_MONOTONIC);
	if (run->on_attached)
		run->on_attached(s, run->arg);
	fflush(s->out);
}

static uint64_t cgroup_filter;	/* --cgroup: the cgroup v2 id every tool's probes act for */
static int label_cgroup;	/* --label-cgroup */

/* `{"type": "T", "data": {…` lines get `"cgroup": "PATH", ` first in data */
static void add_cgroup_field(FILE *out, const char *text, size_t len, uint64_t id)
{
	static const char data[] = "\"data\": {";
	struct strbuf path = { 0 }, field = { 0 };
	cgroup_label(id, &path);
	sb_puts(&field, "\"cgroup\": ");
	json_escape(&field, sb_str(&path), path.len);
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl + 1 : end;
		const char *at = p[0] == '{' ? memmem(p, (size_t)(eol - p), data, sizeof(data) - 1) : NULL;
		if (at) {
			at += sizeof(data) - 1;
			fwrite(p, 1, (size_t)(at - p), out);
			fprintf(out, "%s%s", sb_str(&field), *at == '}' ? "" : ", ");
			fwrite(at, 1, (size_t)(eol - at), out);
		} else {
			fwrite(p, 1, (size_t)(eol - p), out);
		}
		p = eol;
	}
	sb_free(&path);
	sb_free(&field);
}

static void on_printf(struct session *s, const struct record *r, const uint8_t *data, void *arg)
{
	struct tk_run *run = arg;
	if (!run->json || !label_cgroup || r->nargs <= r->spec.nconv) {
		run->on_printf(s, r, data, run->arg);
		return;
	}
	/* --label-cgroup: the tool writes its JSON lines as always; the cgroup (the
	 * record's hidden last argument) is added to each on their way out */
	uint64_t id;
	memcpy(&id, data + r->offs[r->nargs - 1], 8);
	char *text = NULL;
	size_t len = 0;
	FILE *out = s->out, *mem = open_memstream(&text, &len);
	if (!mem) {
		run->on_printf(s, r, data, run->arg);
		return;
	}
	s->out = mem;
	run->on_printf(s, r, data, run->arg);
	s->out = out;
	fclose(mem);
	add_cgroup_field(out, text, len, id);
	free(text);
}

int tk_take_cgroup(int *argc, char **argv)
{
	for (int i = 1; i < *argc && strcmp(argv[i], "--"); i++) {
		const char *spec = NULL;
		int words = 0;
		if (!strcmp(argv[i], "--label-cgroup")) {
			label_cgroup = 1;
			memmove(argv + i, argv + i + 1, (size_t)(*argc - i) * sizeof(char *));
			(*argc)--;
			i--;
			continue;
		}
		if (!strcmp(argv[i], "--cgroup") && i + 1 < *argc)
			spec = argv[i + 1], words = 2;
		else if (!strncmp(argv[i], "--cgroup=", 9))
			spec = argv[i] + 9, words = 1;
		if (!spec)
			continue;
		if (cgroup_id_of(spec, &cgroup_filter))
			return -1;
		memmove(argv + i, argv + i + words, (size_t)(*argc - i - words + 1) * sizeof(char *));
		*argc -= words;
		i--;
	}
	return 0;
}

char **tk_take_command(int *argc, char **argv)
{
	for (int i = 1; i < *argc; i++)
		if (!strcmp(argv[i], "--")) {
			char **cmd = i + 1 < *argc ? argv + i + 1 : NULL;
			*argc = i;
			return cmd;
		}
	return NULL;
}

/* --metrics' address for the tool this process runs ("" the default; NULL: not asked), and --probe-stats */
static const char *metrics_addr;
static int probe_stats;

int tk_take_metrics(int *argc, char **argv)
{
	int k = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--metrics")) {
			metrics_addr = i + 1 < *argc && metrics_addr_like(argv[i + 1]) ? argv[++i] : "";
			continue;
		}
		if (!strncmp(argv[i], "--metrics=", 10)) {
			metrics_addr = argv[i] + 10;
			continue;
		}
		if (!strcmp(argv[i], "--probe-stats")) {
			probe_stats = 1;
			continue;
		}
		argv[k++] = argv[i];
	}
	*argc = k;
	argv[k] = NULL;
	if (probe_stats && !metrics_addr) {
		fputs("ERROR: --probe-stats goes with --metrics: the figures are exported there\n", stderr);
		return -1;
	}
	return 0;
}

int tk_run(struct tk_run *run)
{
	if (metrics_addr && !run->metrics) {
		fprintf(stderr, "ERROR: %s: --metrics is not available for this tool yet (funccount, funclatency, "
			"syscount, ucalls, ustat, tcprtt, tcptop, tcpsubnet and tcpsynbl have it; any script has it: sonde --metrics -e '…')\n",
			run->tool);
		return 1;
	}
	if (run->print_script)
		printf("%s", run->script);
	/* a tool's pattern is meant to match many functions (BCC has no 512 limit); the variable still rules */
	setenv("BPFTRACE_MAX_PROBES", "10000", 0);
	struct session s = { 0 };
	s.o.prog_text = run->script;
	s.o.prog_name = run->tool;
	s.o.quiet = 1;
	s.o.generated = 1;
	s.o.buffering = BUF_LINE;
	s.o.pid = run->script_filters ? 0 : run->pid;
	s.o.cgroup_id = cgroup_filter;
	s.o.label_cgroup = label_cgroup;
	s.o.command_argv = run->command;
	s.o.filter_child = run->command != NULL && !run->command_family && !run->script_filters;
	s.o.own_filter = run->own_filter;
	s.o.map_entries = run->map_entries;
	s.o.stack_entries = run->stack_entries;
	s.o.preload_pids = run->preload_pids;
	s.o.at_exit = at_exit;
	s.o.at_exit_arg = run;
	s.o.on_attached = on_attached;
	s.o.on_tick = on_tick;
	long every = run->interval ? run->interval : run->duration;
	s.o.tick_ns = run->interval_ms ? (uint64_t)run->interval_ms * 1000000ull : every ? (uint64_t)every * 1000000000ull : 0;
	if (run->on_printf)
		s.o.on_printf = on_printf;
	s.o.metrics_addr = metrics_addr;
	s.o.probe_stats = probe_stats;
	s.o.metrics_specs = run->metrics;
	s.o.metrics_arg = run->arg;
	s.out = stdout;
	int rc = session_run(&s);
	session_free(&s);
	if (rc && run->kernel_pattern)
		fprintf(stderr, "HINT: %s: kernel functions need kprobes or fentry, which this kernel does not offer to BPF; "
			"trace the system call instead (t:syscalls:sys_enter_NAME; list them: sonde -l 'tracepoint:syscalls:*')\n",
			run->tool);
	return rc;
}

struct tk_base_entry {
	uint8_t *key;
	int64_t v, count, total;
	uint64_t *buckets;
};

static int nbuckets(const struct map_table *tb)
{
	struct hist_shape sh;
	if (tb->m->val->kind != TY_HIST && tb->m->val->kind != TY_LHIST)
		return 0;
	map_hist_shape(tb->m->val, &sh);
	return hist_nbuckets(&sh);
}

void tk_since_last(struct tk_baseline *b, struct map_table *tb)
{
	int nb = nbuckets(tb), ks = tb->user_key_size;
	for (int i = 0; i < tb->n; i++) {
		struct map_entry *e = &tb->e[i];
		struct tk_base_entry *old = NULL;
		for (int j = 0; j < b->n && !old; j++)
			if (!memcmp(b->e[j].key, e->key, (size_t)ks))
				old = &b->e[j];
		if (!old) {
			if (b->n == b->cap) {
				b->cap = b->cap ? 2 * b->cap : 16;
				b->e = xrealloc(b->e, (size_t)b->cap * sizeof(*b->e));
			}
			old = &b->e[b->n++];
			*old = (struct tk_base_entry){ .key = xmalloc((size_t)(ks ? ks : 1)) };
			memcpy(old->key, e->key, (size_t)ks);
			if (nb)
				old->buckets = xcalloc((size_t)nb, sizeof(uint64_t));
		}
		int64_t v = e->v, count = e->count, total = e->total;
		e->v -= old->v;
		e->count -= old->count;
		e->total -= old->total;
		old->v = v, old->count = count, old->total = total;
		for (int k = 0; k < nb && e->buckets; k++) {
			uint64_t now = e->buckets[k];
			e->buckets[k] -= old->buckets[k];
			e->bucket_total -= old->buckets[k];
			old->buckets[k] = now;
		}
	}
}

void tk_baseline_free(struct tk_baseline *b)
{
	for (int i = 0; i < b->n; i++) {
		free(b->e[i].key);
		free(b->e[i].buckets);
	}
	free(b->e);
	*b = (struct tk_baseline){ 0 };
}

int tk_entry_empty(const struct map_table *tb, int i)
{
	const struct map_entry *e = &tb->e[i];
	switch (tb->m->val->kind) {
	case TY_HIST: case TY_LHIST: return e->bucket_total == 0;
	case TY_AVG: case TY_STATS: return e->count == 0;
	default: return e->v == 0;
	}
}

/* The frames of a stack value {hash, pid}; *missed when it was taken but not kept. */
static int read_stack(struct session *s, const uint8_t *val, uint64_t *ips, int *missed)
{
	uint64_t hash;
	memcpy(&hash, val, 8);
	int n = stack_frames(s->stacks_fd, hash, ips, STACK_MAX_FRAMES);
	*missed = hash && !n;
	return n;
}

/* The offset of the nth field of that kind (stacks: the user or the kernel one); -1 if none. */
static int field_of(const struct type *key, enum type_kind kind, int user, int nth)
{
	for (int i = 0; i < key->nfields; i++)
		if (key->fields[i]->kind == kind && (kind != TY_STACK || key->fields[i]->stack_user == user) && !nth--)
			return key->offs[i];
	return -1;
}

static int by_count(const void *a, const void *b)
{
	const struct stack_sample *x = *(struct stack_sample *const *)a, *y = *(struct stack_sample *const *)b;
	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return x->pid != y->pid ? (x->pid < y->pid ? -1 : 1) : strcmp(x->comm, y->comm);
}

struct stack_sample **tk_stack_samples(struct session *s, const char *map, struct tk_baseline *since, int *n)
{
	struct map_table tb;
	*n = 0;
	if (session_read_map(s, map, &tb))
		return NULL;
	if (since)
		tk_since_last(since, &tb);
	const struct type *key = tb.m->key;
	int koff = field_of(key, TY_STACK, 0, 0), uoff = field_of(key, TY_STACK, 1, 0);
	int poff = field_of(key, TY_INT, 0, 0), toff = field_of(key, TY_INT, 0, 1), coff = field_of(key, TY_STR, 0, 0);
	struct stack_sample **v = xcalloc((size_t)(tb.n ? tb.n : 1), sizeof(*v));
	for (int i = 0; i < tb.n; i++) {
		if (tk_entry_empty(&tb, i))
			continue;
		struct stack_sample *x = v[*n] = xcalloc(1, sizeof(*x));
		(*n)++;
		const uint8_t *k = tb.e[i].key;
		int64_t pid = 0;
		if (poff >= 0)
			memcpy(&pid, k + poff, 8);
		x->pid = (int)pid;
		if (toff >= 0)
			memcpy(&pid, k + toff, 8);
		x->tid = (int)pid;
		if (coff >= 0)
			snprintf(x->comm, sizeof(x->comm), "%.16s", (const char *)k + coff);
		x->count = (uint64_t)tb.e[i].v;
		if (koff >= 0)
			x->nk = read_stack(s, k + koff, x->kips, &x->k_missed);
		if (uoff >= 0)
			x->nu = py_merge(s->vc.syms, x->pid, x->uips, read_stack(s, k + uoff, x->uips, &x->u_missed));
		stack_check_cut(&s->vc, x->pid, x->uips, x->nu, STACK_MAX_FRAMES);
	}
	qsort(v, (size_t)*n, sizeof(*v), by_count);
	map_table_free(&tb);
	return v;
}

void tk_stack_samples_free(struct stack_sample **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void tk_syscall_text(struct strbuf *out, const uint8_t *data)
{
	int64_t nr;
	memcpy(&nr, data, 8);
	const char *name = syscall_name((int)nr);
	if (name)
		sb_puts(out, name);
	else
		sb_printf(out, "%lld", (long long)nr);
}
