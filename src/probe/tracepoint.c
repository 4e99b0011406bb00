/*
 * tracepoint:CATEGORY:EVENT (wildcards in both): fields from the tracefs
 * format, one program per block attached to every matching event through a
 * perf event and a link whose cookie is the probe id.
 */
#include "provider.h"
#include "tracefs.h"
#include "../sema/sema.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct expansion {
	struct script *s;
	struct probe_block *blk;
	int failed;
};

static void tracepoint_add(const char *cat, const char *event, void *ctx)
{
	struct expansion *x = ctx;
	char name[512];
	snprintf(name, sizeof(name), "tracepoint:%s:%s", cat, event);
	struct tp_format *fmt = arena_alloc(x->s->arena, sizeof(*fmt));
	if (tracefs_format(cat, event, fmt, x->s->arena)) {
		x->failed = 1;
		return;
	}
	provider_add_point(x->s, x->blk, &provider_tracepoint, name, 0);
	struct probe_point *pt = x->s->points.v[x->s->points.n - 1];
	pt->fmt = fmt;
	pt->user_pointers = !strcmp(cat, "syscalls");
}

static int tracepoint_expand(struct script *s, struct probe_block *blk, struct attach_point *ap,
			     struct diag *d)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", ap->raw);
	char *cat = strchr(buf, ':');
	char *event = cat ? strchr(cat + 1, ':') : NULL;
	if (!cat || !event || !event[1] || strchr(event + 1, ':')) {
		diag_error(d, ap->span, "invalid tracepoint: %s (expected tracepoint:CATEGORY:EVENT)", ap->raw);
		return -1;
	}
	*event++ = 0;
	cat++;
	if (!tracefs_root()) {
		diag_error(d, ap->span, "cannot find or mount tracefs on /sys/kernel/tracing, so tracepoints cannot be listed or attached");
		return -1;
	}
	struct expansion x = { .s = s, .blk = blk };
	int n = tracefs_glob(cat, event, tracepoint_add, &x);
	if (!n || x.failed) {
		diag_error(d, ap->span, "tracepoint not found: %s:%s (list them with: sonde -l 'tracepoint:%s:*')", cat,
			   event, strchr(cat, '*') ? "*" : cat);
		return -1;
	}
	return 0;
}

static int tracepoint_attach(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = (uint64_t)pt->fmt->id,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	/* One perf event on CPU 0 is enough: a tracepoint's program runs wherever it fires. */
	int pfd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (pfd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot open a perf event for %s: %s", pt->name, strerror(e));
		return -e;
	}
	VEC_PUSH(pt->fds, pfd);
	LIBBPF_OPTS(bpf_link_create_opts, opts, .perf_event.bpf_cookie = (uint64_t)pt->id);
	int link = bpf_link_create(prog_fd, pfd, BPF_PERF_EVENT, &opts);
	if (link < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot attach to %s: %s", pt->name, strerror(e));
		return -e;
	}
	VEC_PUSH(pt->fds, link);
	return 0;
}

struct listing {
	const char *pattern;
	int verbose;
	struct strbuf *out;
};

static void tracepoint_list_one(const char *cat, const char *event, void *ctx)
{
	struct listing *l = ctx;
	char name[512];
	snprintf(name, sizeof(name), "tracepoint:%s:%s", cat, event);
	if (fnmatch(l->pattern, name, 0))
		return;
	sb_printf(l->out, "%s\n", name);
	if (!l->verbose)
		return;
	struct arena *a = arena_new();
	struct tp_format fmt;
	if (!tracefs_format(cat, event, &fmt, a))
		for (int i = 0; i < fmt.nfields; i++) {
			const struct tp_field *f = &fmt.fields[i];
			if (f->kind == TPF_CHARS || f->kind == TPF_ARRAY)
				sb_printf(l->out, "    %s %s[%d]\n", f->type, f->name, f->count);
			else
				sb_printf(l->out, "    %s %s\n", f->type, f->name);
		}
	arena_free(a);
}

static void tracepoint_list(const char *pattern, int verbose, struct strbuf *out)
{
	struct listing l = { pattern, verbose, out };
	tracefs_glob("*", "*", tracepoint_list_one, &l);
}

static const char *const tracepoint_aliases[] = { "t", NULL };

const struct provider provider_tracepoint = {
	.name = "tracepoint",
	.aliases = tracepoint_aliases,
	.mode = RUN_ATTACHED,
	.expand = tracepoint_expand,
	.prog_type = BPF_PROG_TYPE_TRACEPOINT,
	.has_args = 1,
	.attach = tracepoint_attach,
	.list = tracepoint_list,
};
