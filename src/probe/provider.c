/* The provider table and the probe types this kernel or this build cannot run. */
#include "provider.h"
#include "../sema/sema.h"
#include "../bpf/loader.h"
#include "../obj/dwarf.h"
#include <bpf/bpf.h>
#include <linux/perf_event.h>
#include <sys/syscall.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* In this order -l lists them. */
static const struct provider *const providers[] = {
#define PROVIDER(name) &provider_##name,
#include "provider_table.h"
#undef PROVIDER
};

/* What the running kernel offers, checked when a script names the probe type. */
static int has_event_source(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "/sys/bus/event_source/devices/%s", name);
	return access(path, F_OK) == 0;
}

static const char *why_kprobe(void)
{
	return has_event_source("kprobe") ? NULL
		: "kprobes are not available on this kernel (no kprobe event source: built without CONFIG_KPROBES)";
}

static const char *why_fentry(void)
{
	static char why[160];
	int err = bpf_probe_fentry();
	if (!err)
		return NULL;
	snprintf(why, sizeof(why), "fentry/fexit are not available on this kernel (loading a tracing program fails: %s)",
		 strerror(err));
	return why;
}

static const char *why_hardware(void)
{
	return has_event_source("cpu") || has_event_source("cpu_core") ? NULL
		: "hardware events are not available: this machine has no hardware PMU";
}

struct unavailable {
	const char *names[4];
	const char *(*kernel_lacks)(void);	/* NULL: only this build of sonde lacks it */
	const char *what;
};

/* Named explicitly so a script gets one line saying what is missing. */
static const struct unavailable unavailable[] = {
	{ { "kprobe", "k", "kretprobe", "kr" }, why_kprobe, "kprobe probes" },
	{ { "fentry", "f", "fexit", "fr" }, why_fentry, "fentry/fexit probes" },
	{ { "kfunc", "kretfunc" }, why_fentry, "fentry/fexit (kfunc) probes" },
	{ { "hardware", "h" }, why_hardware, "hardware probes" },
	{ { "asyncwatchpoint", "aw" }, NULL, "asynchronous watchpoints" },
};

const struct provider *provider_find(const char *raw, struct span sp, struct diag *d)
{
	size_t n = strcspn(raw, ":");
	for (size_t i = 0; i < ARRAY_SIZE(providers); i++) {
		const struct provider *p = providers[i];
		if (strlen(p->name) == n && !strncmp(raw, p->name, n))
			return p;
		for (const char *const *a = p->aliases; a && *a; a++)
			if (strlen(*a) == n && !strncmp(raw, *a, n))
				return p;
	}
	for (size_t i = 0; i < ARRAY_SIZE(unavailable); i++)
		for (int k = 0; k < 4 && unavailable[i].names[k]; k++)
			if (strlen(unavailable[i].names[k]) == n && !strncmp(raw, unavailable[i].names[k], n)) {
				const struct unavailable *u = &unavailable[i];
				const char *why = u->kernel_lacks ? u->kernel_lacks() : NULL;
				if (why)
					diag_error(d, sp, "%.*s: %s", (int)n, raw, why);
				else
					diag_error(d, sp, "%.*s: %s are not supported by this version of sonde yet", (int)n,
						   raw, u->what);
				return NULL;
			}
	diag_error(d, sp, "Invalid probe type: %.*s (run `sonde -l` to list the probes sonde can attach)", (int)n, raw);
	return NULL;
}

int provider_add_point(struct script *s, struct probe_block *blk, const struct provider *p,
		       const char *name, uint64_t period_ns)
{
	struct probe_point *pt = arena_alloc(s->arena, sizeof(*pt));
	pt->prov = p;
	pt->name = arena_strndup(s->arena, name, strlen(name));
	pt->period_ns = period_ns;
	pt->block = blk;
	pt->id = s->points.n;
	VEC_PUSH(s->points, pt);
	VEC_PUSH(blk->points, pt);
	return 0;
}

struct probe_point *provider_last_point(struct script *s, size_t priv_size)
{
	struct probe_point *pt = s->points.v[s->points.n - 1];
	if (!pt->priv)
		pt->priv = arena_alloc(s->arena, priv_size);
	return pt;
}

enum ctx_answer provider_context(struct ctx_query *q)
{
	if (q->ask == CTX_NAME && !strcmp(q->name, "probe")) {	/* every point has a name */
		q->type_out = type_simple(q->s->arena, TY_PROBE);
		q->loc.kind = CTX_PROBE_ID;
		return CTX_FOUND;
	}
	enum ctx_answer a = q->blk->prov->context ? q->blk->prov->context(q) : CTX_UNKNOWN;
	/* a struct a provider typed may travel in a map to another block: its provider knows it still */
	for (size_t i = 0; a == CTX_UNKNOWN && q->ask == CTX_MEMBER && i < ARRAY_SIZE(providers); i++)
		if (providers[i] != q->blk->prov && providers[i]->context)
			a = providers[i]->context(q);
	return a;
}

void provider_script_free(struct script *s)
{
	dw_cache_free(s->dwarf);
	s->dwarf = NULL;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * A provider's listing, sorted as bpftrace sorts -l, into out: an entry is a
 * line and the indented lines under it (-v's arguments), which stay with it.
 */
static void sort_listing(struct strbuf *in, struct strbuf *out)
{
	VEC(char *) entries = { 0 };
	char *text = (char *)sb_str(in);
	for (char *p = text; *p;) {
		char *end = p;
		do {
			end = strchr(end, '\n');
			end = end ? end + 1 : p + strlen(p);
		} while (*end == ' ');
		VEC_PUSH(entries, xstrndup(p, (size_t)(end - p)));
		p = end;
	}
	if (entries.n)
		qsort(entries.v, (size_t)entries.n, sizeof(char *), by_text);
	for (int i = 0; i < entries.n; i++) {
		sb_puts(out, entries.v[i]);
		free(entries.v[i]);
	}
	free(entries.v);
}

void provider_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	/* "t:syscalls:*" means "tracepoint:syscalls:*" */
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", pattern && *pattern ? pattern : "*");
	size_t n = strcspn(buf, ":");
	for (size_t i = 0; buf[n] == ':' && i < ARRAY_SIZE(providers); i++)
		for (const char *const *a = providers[i]->aliases; a && *a; a++)
			if (strlen(*a) == n && !strncmp(buf, *a, n)) {
				char full[512];
				snprintf(full, sizeof(full), "%s%s", providers[i]->name, buf + n);
				snprintf(buf, sizeof(buf), "%s", full);
			}
	/* uprobe:BIN, uretprobe:BIN or usdt:BIN with no probe part: everything in BIN */
	const char *colon = strchr(buf, ':');
	if (colon && !strchr(colon + 1, ':') && colon[1] && strlen(buf) + 3 < sizeof(buf) &&
	    (!strncmp(buf, "uprobe:", 7) || !strncmp(buf, "uretprobe:", 10) || !strncmp(buf, "usdt:", 5)))
		strcat(buf, ":*");
	for (size_t i = 0; i < ARRAY_SIZE(providers); i++)
		if (providers[i]->list) {
			struct strbuf part = { 0 };
			providers[i]->list(buf, verbose, pid, &part);
			sort_listing(&part, out);
			sb_free(&part);
		}
}

void provider_detach(struct probe_point *pt)
{
	for (int i = pt->fds.n - 1; i >= 0; i--)
		close(pt->fds.v[i]);
	free(pt->fds.v);
	pt->fds.v = NULL;
	pt->fds.n = pt->fds.cap = 0;
}

int provider_attach_perf(struct probe_point *pt, struct perf_event_attr *attr, int cpu, int prog_fd,
			 uint64_t cookie, char *err, size_t errlen)
{
	return provider_attach_perf_pid(pt, attr, -1, cpu, prog_fd, cookie, err, errlen);
}

int provider_attach_perf_pid(struct probe_point *pt, struct perf_event_attr *attr, int pid, int cpu, int prog_fd,
			     uint64_t cookie, char *err, size_t errlen)
{
	char where[32] = "";
	if (cpu >= 0)
		snprintf(where, sizeof(where), " on CPU %d", cpu);
	int pfd = (int)syscall(SYS_perf_event_open, attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		int e = errno;
		if (e == ESRCH && pid > 0)
			snprintf(err, errlen, "process %d exited while sonde was attaching %s", pid, pt->name);
		else
			snprintf(err, errlen, "cannot open a perf event for %s%s: %s", pt->name, where, strerror(e));
		return -e;
	}
	VEC_PUSH(pt->fds, pfd);
	LIBBPF_OPTS(bpf_link_create_opts, opts, .perf_event.bpf_cookie = cookie);
	int link = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, &opts);
	if (link < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot attach to %s%s: %s", pt->name, where, strerror(e));
		return -e;
	}
	VEC_PUSH(pt->fds, link);
	return 0;
}
