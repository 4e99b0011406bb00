/*
 * tracepoint:CATEGORY:EVENT (wildcards in both): fields from the tracefs
 * format, one program per block attached to every matching event through a
 * perf event and a link whose cookie is the probe id.
 */
#include "provider.h"
#include "tracefs.h"
#include "syscalls.h"
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
	/* raw_syscalls:sys_enter: args[6] holds the call's arguments, user addresses as in syscalls:* */
	pt->user_pointers = !strcmp(cat, "syscalls") || (!strcmp(cat, "raw_syscalls") && !strcmp(event, "sys_enter"));
	pt->syscall_nr = -1;
	if (!strcmp(cat, "syscalls")) {
		pt->syscall_exit = !strncmp(event, "sys_exit_", 9);
		if (pt->syscall_exit || !strncmp(event, "sys_enter_", 10))
			pt->syscall_nr = syscall_nr(event + (pt->syscall_exit ? 9 : 10));
	}
}

/*
 * Detaching a tracepoint waits for an RCU grace period (~80 ms here), so
 * sys_enter_* (360 events) took half a minute to leave. Many syscall
 * tracepoints in a block attach instead to raw_syscalls:sys_enter/sys_exit,
 * whose records have the same layout (id at 8, arguments or ret from 16),
 * and a map from the syscall number picks the probe. Below this many,
 * per-event tracepoints are cheaper: raw_syscalls runs on every syscall.
 */
#define DISPATCH_MIN_POINTS 8

static int tracepoint_plan(struct probe_block *blk, char *err, size_t errlen)
{
	int n = 0;
	for (int i = 0; i < blk->points.n; i++)
		n += blk->points.v[i]->syscall_nr >= 0 && blk->points.v[i]->syscall_nr < SYSCALL_NR_MAX;
	if (n < DISPATCH_MIN_POINTS)
		return 0;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sonde_sysnr", 4, 8, 2 * SYSCALL_NR_MAX, NULL);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create the syscall dispatch map: %s", strerror(errno));
		return -errno;
	}
	for (int i = 0; i < blk->points.n; i++) {
		struct probe_point *pt = blk->points.v[i];
		if (pt->syscall_nr < 0 || pt->syscall_nr >= SYSCALL_NR_MAX)
			continue;
		uint32_t key = (uint32_t)(pt->syscall_nr + (pt->syscall_exit ? SYSCALL_NR_MAX : 0));
		uint64_t val = (uint64_t)pt->id + 1;
		bpf_map_update_elem(fd, &key, &val, BPF_ANY);
		pt->via_dispatch = 1;
	}
	blk->dispatch_fd = fd;
	return 0;
}

static int attach_event(struct probe_point *pt, int prog_fd, int event_id, uint64_t cookie, char *err, size_t errlen);

/* The raw_syscalls event behind a dispatched point, once per direction and block. */
static int attach_dispatch(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	struct probe_block *blk = pt->block;
	int dir = pt->syscall_exit;
	if (blk->dispatch_attached[dir])
		return 0;
	struct arena *a = arena_new();
	struct tp_format raw;
	int rc = tracefs_format("raw_syscalls", dir ? "sys_exit" : "sys_enter", &raw, a);
	arena_free(a);
	if (rc) {
		snprintf(err, errlen, "cannot read raw_syscalls:%s to attach %s: %s", dir ? "sys_exit" : "sys_enter",
			 pt->name, strerror(-rc));
		return rc;
	}
	rc = attach_event(pt, prog_fd, raw.id, dir ? DISPATCH_COOKIE_EXIT : DISPATCH_COOKIE_ENTER, err, errlen);
	if (!rc)
		blk->dispatch_attached[dir] = 1;
	return rc;
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
	if (pt->via_dispatch)
		return attach_dispatch(pt, prog_fd, err, errlen);
	return attach_event(pt, prog_fd, pt->fmt->id, (uint64_t)pt->id, err, errlen);
}

static int attach_event(struct probe_point *pt, int prog_fd, int event_id, uint64_t cookie, char *err, size_t errlen)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.config = (uint64_t)event_id,
		.sample_period = 1,
		.wakeup_events = 1,
	};
	/* One perf event, any CPU: a tracepoint's program runs wherever it fires. */
	return provider_attach_perf(pt, &attr, 0, prog_fd, cookie, err, errlen);
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
	.plan = tracepoint_plan,
	.attach = tracepoint_attach,
	.list = tracepoint_list,
};
