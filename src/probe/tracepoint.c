/*
 * tracepoint:CATEGORY:EVENT (wildcards in both): fields from the tracefs
 * format, one program per block attached to every matching event through a
 * perf event and a link whose cookie is the probe id.
 */
#include "provider.h"
#include "tracefs.h"
#include "syscalls.h"
#include "../sema/sema.h"
#include "../sema/btf.h"
#include "../arch/arch.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* tracepoint.c's part of a point */
struct tp_point {
	struct tp_format *fmt;	/* the event's id and fields */
	int user_pointers;	/* pointer fields are user addresses (syscalls) */
	int syscall_nr;		/* syscalls:sys_enter_X / sys_exit_X: X's number, else -1 */
	int syscall_exit;	/* a sys_exit_ tracepoint */
	int via_dispatch;	/* reached through raw_syscalls and the block's dispatch map */
};

static inline struct tp_point *tp_of(const struct probe_point *pt)
{
	return pt->priv;
}

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
	struct probe_point *pt = provider_last_point(x->s, sizeof(struct tp_point));
	tp_of(pt)->fmt = fmt;
	/* raw_syscalls:sys_enter: args[6] holds the call's arguments, user addresses as in syscalls:* */
	tp_of(pt)->user_pointers = !strcmp(cat, "syscalls") || (!strcmp(cat, "raw_syscalls") && !strcmp(event, "sys_enter"));
	tp_of(pt)->syscall_nr = -1;
	if (!strcmp(cat, "syscalls")) {
		tp_of(pt)->syscall_exit = !strncmp(event, "sys_exit_", 9);
		if (tp_of(pt)->syscall_exit || !strncmp(event, "sys_enter_", 10))
			tp_of(pt)->syscall_nr = syscall_nr(event + (tp_of(pt)->syscall_exit ? 9 : 10));
	}
}

/* The args fields a tree reads, once each ("filename;flags;"). */
static void used_fields(const struct node *n, struct strbuf *out)
{
	for (; n; n = n->next) {
		if (n->kind == N_FIELD && n->a && n->a->kind == N_BUILTIN && !strcmp(n->a->name, "args")) {
			char key[256];
			snprintf(key, sizeof(key), ";%s;", n->name);
			if (!strstr(sb_str(out), key))	/* out starts with ';' */
				sb_printf(out, "%s;", n->name);
		}
		used_fields(n->a, out);
		used_fields(n->b, out);
		used_fields(n->c, out);
		used_fields(n->pred, out);
		used_fields(n->list, out);
	}
}

/* The layout of the fields used: points that agree on them can share one program. */
static void layout_key(const struct tp_format *f, const char *used, struct strbuf *out)
{
	for (int i = 0; f && i < f->nfields; i++) {
		const struct tp_field *x = &f->fields[i];
		char key[256];
		snprintf(key, sizeof(key), ";%s;", x->name);
		if (strstr(used, key))
			sb_printf(out, "%s:%d:%d:%d:%d;", x->name, x->offset, x->size, (int)x->kind, x->is_signed);
	}
}

/*
 * tracepoint:syscalls:sys_enter_open* { str(args.filename) }: open and openat
 * keep filename at different offsets, so a block that reads args gets one
 * program per field layout — a copy of the block for each further layout.
 */
static void tracepoint_split(struct script *s, struct probe_block *blk)
{
	if (blk->points.n < 2 ||
	    (!node_uses_builtin(blk->node->b, "args") && !node_uses_builtin(blk->node->pred, "args")))
		return;
	struct strbuf used = { 0 }, first = { 0 }, key = { 0 };
	sb_putc(&used, ';');
	used_fields(blk->node->b, &used);
	used_fields(blk->node->pred, &used);
	layout_key(tp_of(blk->points.v[0])->fmt, sb_str(&used), &first);
	while (1) {
		struct probe_block *other = NULL;
		struct strbuf other_key = { 0 };
		int kept = 0;
		for (int i = 0; i < blk->points.n; i++) {
			struct probe_point *pt = blk->points.v[i];
			sb_reset(&key);
			layout_key(tp_of(pt)->fmt, sb_str(&used), &key);
			if (!strcmp(sb_str(&key), sb_str(&first))) {
				blk->points.v[kept++] = pt;
				continue;
			}
			if (!other) {	/* the next layout gets its own copy of the block */
				other = arena_alloc(s->arena, sizeof(*other));
				*other = (struct probe_block){ .prov = blk->prov, .prog_fd = -1, .dispatch_fd = -1 };
				other->node = node_clone(s->arena, blk->node);
				sb_puts(&other_key, sb_str(&key));
			}
			if (strcmp(sb_str(&key), sb_str(&other_key))) {
				blk->points.v[kept++] = pt;	/* a third layout: a later round */
				continue;
			}
			pt->block = other;
			VEC_PUSH(other->points, pt);
		}
		blk->points.n = kept;
		sb_free(&other_key);
		if (!other)
			break;
		other->id = s->blocks.n;
		VEC_PUSH(s->blocks, other);
	}
	sb_free(&used);
	sb_free(&first);
	sb_free(&key);
}

/* args.NAME: a field of the record, at the same place in every tracepoint of the block. */
static enum ctx_answer tracepoint_field(struct ctx_query *q)
{
	struct probe_block *blk = q->blk;
	const struct tp_field *f = NULL;
	int user = 0;
	for (int i = 0; i < blk->points.n; i++) {
		const struct tp_field *g = tp_format_field(tp_of(blk->points.v[i])->fmt, q->name);
		if (!g) {
			snprintf(q->err, sizeof(q->err), "tracepoint %s has no field named '%s' (list its fields with: sonde -lv %s)",
				 blk->points.v[i]->name, q->name, blk->points.v[i]->name);
			return CTX_ERROR;
		}
		if (f && (g->offset != f->offset || g->size != f->size || g->kind != f->kind ||
			  g->is_signed != f->is_signed)) {
			snprintf(q->err, sizeof(q->err), "field '%s' has a different layout in %s and %s: split the probe",
				 q->name, blk->points.v[0]->name, blk->points.v[i]->name);
			return CTX_ERROR;
		}
		f = g;
		user |= tp_of(blk->points.v[i])->user_pointers;
	}
	struct arena *a = q->s->arena;
	struct type *t;
	q->loc.off = f->offset;
	switch (f->kind) {
	case TPF_INT:
	case TPF_PTR:
		t = q->type_out = type_int(a, f->kind == TPF_PTR ? 8 : f->size <= 8 ? f->size : 8, f->kind == TPF_INT && f->is_signed);
		t->user_addr = f->kind == TPF_PTR && user;
		if (f->kind == TPF_PTR) {
			/* `struct __kernel_timespec * rqtp`: a pointer to that struct (BTF), so args.rqtp->tv_sec
			 * reads it, in user memory for a syscall's argument */
			const char *st = strstr(f->type, "struct ");
			char name[128];
			int id = -1;
			if (st && sscanf(st + 7, "%127[A-Za-z0-9_]", name) == 1)
				id = kbtf_find_struct(name);
			if (id > 0) {
				t = q->type_out = type_simple(a, TY_PTR);
				t->btf_id = id;
				t->user_mem = user;
			}
		}
		q->loc = (struct ctx_loc){ .kind = CTX_LOAD, .off = f->offset, .load = t->size, .size = t->size,
					   .is_signed = t->is_signed };
		return CTX_FOUND;
	default:	/* char[N], __data_loc char[], u8[N] */
		t = q->type_out = type_simple(a, TY_ARRAY);
		t->in_ctx = 1;
		t->is_chars = f->kind != TPF_ARRAY;
		t->data_loc = f->kind == TPF_DATALOC;
		t->elem_size = f->kind == TPF_ARRAY ? f->elem_size : 1;
		t->array_len = f->kind == TPF_DATALOC ? sonde_strlen : f->count;
		t->size = t->elem_size * t->array_len;
		/* raw_syscalls' unsigned long args[6]: each element may be a user address (str(args.args[1])) */
		t->user_addr = user && f->kind == TPF_ARRAY && f->elem_size == 8;
		q->loc.kind = f->kind == TPF_DATALOC ? CTX_DATA_LOC : CTX_BYTES;
		return CTX_FOUND;
	}
}

/* The context face: the record's fields, as args. */
static enum ctx_answer tracepoint_context(struct ctx_query *q)
{
	if (q->ask == CTX_NAME && !strcmp(q->name, "args")) {
		q->type_out = type_simple(q->s->arena, TY_ARGS);
		return CTX_FOUND;
	}
	return q->ask == CTX_FIELD ? tracepoint_field(q) : CTX_UNKNOWN;
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

/*
 * raw_syscalls also fires for 32-bit (ia32) calls, numbered differently; the
 * sys_enter_X tracepoints do not. Dispatched events skip tasks in a compat
 * syscall: task->thread_info.status & TS_COMPAT, where the kernel has that
 * field (-1: it does not).
 */
static int compat_status_offset(void)
{
	int task = kbtf_find_struct("task_struct"), off1, off2, ti, st;
	if (task < 0 || kbtf_field(task, "thread_info", &off1, &ti) || kbtf_field(ti, "status", &off2, &st))
		return -1;
	return off1 + off2;
}

static int tracepoint_plan(struct probe_block *blk, char *err, size_t errlen)
{
	int n = 0;
	for (int i = 0; i < blk->points.n; i++)
		n += tp_of(blk->points.v[i])->syscall_nr >= 0 && tp_of(blk->points.v[i])->syscall_nr < SYSCALL_NR_MAX;
	if (n < DISPATCH_MIN_POINTS)
		return 0;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sonde_sysnr", 4, 8, 2 * SYSCALL_NR_MAX, NULL);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create the syscall dispatch map: %s", strerror(errno));
		return -errno;
	}
	for (int i = 0; i < blk->points.n; i++) {
		struct probe_point *pt = blk->points.v[i];
		if (tp_of(pt)->syscall_nr < 0 || tp_of(pt)->syscall_nr >= SYSCALL_NR_MAX)
			continue;
		uint32_t key = (uint32_t)(tp_of(pt)->syscall_nr + (tp_of(pt)->syscall_exit ? SYSCALL_NR_MAX : 0));
		uint64_t val = (uint64_t)pt->id + 1;
		bpf_map_update_elem(fd, &key, &val, BPF_ANY);
		tp_of(pt)->via_dispatch = 1;
	}
	blk->dispatch_fd = fd;
	/* raw_syscalls' long id at 8, low half; the cookie's bit 40 or 41: enter 0, exit 1 (× SYSCALL_NR_MAX) */
	blk->dispatch = (struct ctx_dispatch){ .cookie_min = DISPATCH_COOKIE_ENTER, .key_off = 8, .key_max = SYSCALL_NR_MAX,
					       .cookie_shift = 41, .key_shift = 10, .task_skip_off = compat_status_offset(),
					       .task_skip_mask = TS_COMPAT };
	return 0;
}

static int attach_event(struct probe_point *pt, int prog_fd, int event_id, uint64_t cookie, char *err, size_t errlen);

/* The raw_syscalls event behind a dispatched point, once per direction and block. */
static int attach_dispatch(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	struct probe_block *blk = pt->block;
	int dir = tp_of(pt)->syscall_exit;
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
	if (tp_of(pt)->via_dispatch)
		return attach_dispatch(pt, prog_fd, err, errlen);
	return attach_event(pt, prog_fd, tp_of(pt)->fmt->id, (uint64_t)pt->id, err, errlen);
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

static void tracepoint_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	(void)pid;	/* the same for every process */
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
	.context = tracepoint_context,
	.split = tracepoint_split,
	.plan = tracepoint_plan,
	.attach = tracepoint_attach,
	.list = tracepoint_list,
};
