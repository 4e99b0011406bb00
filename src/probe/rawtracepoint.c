/*
 * rawtracepoint:[MODULE:]EVENT (alias rt; globs in EVENT): a raw_tp program on
 * the kernel's tracepoint, before its record is formatted. The context is the
 * tracepoint's arguments as u64s; their names and types come from the BTF
 * typedef btf_trace_EVENT (a pointer to a prototype whose first parameter is
 * the tracepoint's private data), so args.NAME and argN read ctx[8 × N].
 * Only vmlinux's BTF is read: MODULE is vmlinux.
 */
#include "provider.h"
#include "../sema/sema.h"
#include "../sema/btf.h"
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TRACE_PREFIX "btf_trace_"

/* rawtracepoint.c's part of a point */
struct rtp_point {
	int proto_id;	/* BTF id of the tracepoint's prototype */
	char *event;	/* the kernel's name for it, what raw_tracepoint_open takes */
};

/*
 * The prototype of tracepoint `event`, or -1: __bpf_trace_EVENT's, the
 * function that calls raw_tp programs, whose parameters have names; else
 * the typedef's (types only).
 */
static int event_proto(struct btf *b, const char *event)
{
	char name[256];
	snprintf(name, sizeof(name), "__bpf_trace_%s", event);
	int id = btf__find_by_name_kind(b, name, BTF_KIND_FUNC);
	const struct btf_type *t = id > 0 ? btf__type_by_id(b, (__u32)id) : NULL;
	if (t && btf_vlen(btf__type_by_id(b, t->type)) >= 1)
		return (int)t->type;
	snprintf(name, sizeof(name), TRACE_PREFIX "%s", event);
	id = btf__find_by_name_kind(b, name, BTF_KIND_TYPEDEF);
	t = id > 0 ? btf__type_by_id(b, (__u32)id) : NULL;
	t = t ? btf__type_by_id(b, t->type) : NULL;	/* the pointer */
	if (!t || !btf_is_ptr(t))
		return -1;
	const struct btf_type *fp = btf__type_by_id(b, t->type);
	return fp && btf_is_func_proto(fp) && btf_vlen(fp) >= 1 ? (int)t->type : -1;
}

/* Calls fn for every tracepoint whose name matches glob, in BTF order. */
static void each_event(struct btf *b, const char *glob, void (*fn)(const char *event, void *arg), void *arg)
{
	int n = (int)btf__type_cnt(b);
	size_t plen = strlen(TRACE_PREFIX);
	for (int id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(b, (__u32)id);
		if (!btf_is_typedef(t))
			continue;
		const char *name = btf__name_by_offset(b, t->name_off);
		if (name && !strncmp(name, TRACE_PREFIX, plen) && !fnmatch(glob, name + plen, 0))
			fn(name + plen, arg);
	}
}

struct expansion {
	struct script *s;
	struct probe_block *blk;
	struct btf *b;
	int count;
};

static void add_event(const char *event, void *arg)
{
	struct expansion *x = arg;
	int proto = event_proto(x->b, event);
	if (proto < 0)
		return;
	char name[320];
	snprintf(name, sizeof(name), "rawtracepoint:vmlinux:%s", event);
	provider_add_point(x->s, x->blk, &provider_rawtracepoint, name, 0);
	struct rtp_point *r = provider_last_point(x->s, sizeof(struct rtp_point))->priv;
	r->proto_id = proto;
	r->event = arena_strndup(x->s->arena, event, strlen(event));
	x->count++;
}

static int rtp_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", ap->raw);
	char *event = strchr(buf, ':');
	char *second = event ? strchr(event + 1, ':') : NULL;
	const char *module = "vmlinux";
	if (event)
		event++;
	if (second) {	/* rawtracepoint:MODULE:EVENT */
		*second = 0;
		module = event;
		event = second + 1;
	}
	if (!event || !*event || strchr(event, ':')) {
		diag_error(d, ap->span, "invalid rawtracepoint: %s (expected rawtracepoint:EVENT or rawtracepoint:MODULE:EVENT)",
			   ap->raw);
		return -1;
	}
	if (strcmp(module, "vmlinux") && strcmp(module, "*")) {
		diag_error(d, ap->span, "rawtracepoint module '%s': sonde reads only vmlinux's BTF (write rawtracepoint:vmlinux:%s or rawtracepoint:%s)",
			   module, event, event);
		return -1;
	}
	struct btf *b = kbtf_get();
	if (!b) {
		diag_error(d, ap->span, "rawtracepoint needs kernel BTF (/sys/kernel/btf/vmlinux) for the arguments of %s", event);
		return -1;
	}
	struct expansion x = { s, blk, b, 0 };
	each_event(b, event, add_event, &x);
	if (!x.count) {
		diag_error(d, ap->span, "rawtracepoint not found: %s (list them with: sonde -l 'rawtracepoint:*')", event);
		return -1;
	}
	return 0;
}

/* Parameter i (0 is the private data) of a prototype: its name and type id. */
static const struct btf_param *proto_params(struct btf *b, int proto, int *n)
{
	const struct btf_type *fp = btf__type_by_id(b, (__u32)proto);
	*n = btf_vlen(fp);
	return btf_params(fp);
}

/* Where argument k lives and what it is; CTX_ERROR when it is past the tracepoint's arguments. */
static enum ctx_answer arg_loc(struct ctx_query *q, int k, int type_id)
{
	struct type *t = type_id ? kbtf_type(q->s->arena, type_id) : NULL;
	if (!t || (t->kind != TY_INT && t->kind != TY_PTR))
		t = type_int(q->s->arena, 8, 0);	/* a struct passed by value cannot be: u64 */
	q->type_out = t;
	int size = t->kind == TY_INT ? t->size : 8;
	q->loc = (struct ctx_loc){ .kind = CTX_LOAD, .off = 8 * k, .load = 8, .size = size,
				   .is_signed = t->kind == TY_INT && t->is_signed };
	return CTX_FOUND;
}

/* Two argument types the script would read alike (0: argN's u64). */
static int same_type(struct arena *a, int x, int y)
{
	if (x == y)
		return 1;
	struct type *tx = kbtf_type(a, x), *ty = kbtf_type(a, y);
	return tx && ty && tx->kind == ty->kind && tx->size == ty->size && tx->is_signed == ty->is_signed &&
	       tx->btf_id == ty->btf_id;
}

/* The same parameter name at the same position with the same type in every point, or an error. */
static enum ctx_answer rtp_arg(struct ctx_query *q, const char *name, int index)
{
	struct btf *b = kbtf_get();
	int pos = -1, type_id = 0;
	for (int i = 0; i < q->blk->points.n; i++) {
		const struct probe_point *pt = q->blk->points.v[i];
		const struct rtp_point *r = pt->priv;
		int n, k = -1;
		const struct btf_param *p = proto_params(b, r->proto_id, &n);
		if (name) {
			for (int j = 1; j < n && k < 0; j++)
				if (!strcmp(btf__name_by_offset(b, p[j].name_off), name))
					k = j - 1;
		} else if (index + 1 < n)
			k = index;
		if (k < 0) {
			if (name)
				snprintf(q->err, sizeof(q->err), "%s has no argument named '%s' (list them with: sonde -lv %s)",
					 pt->name, name, pt->name);
			else
				snprintf(q->err, sizeof(q->err), "%s has %d argument%s: arg%d is past them", pt->name, n - 1,
					 n == 2 ? "" : "s", index);
			return CTX_ERROR;
		}
		int tid = name ? (int)p[k + 1].type : 0;
		if (pos >= 0 && (k != pos || !same_type(q->s->arena, tid, type_id))) {
			snprintf(q->err, sizeof(q->err), "argument '%s' differs between %s and %s: split the probe",
				 name ? name : q->name, q->blk->points.v[0]->name, pt->name);
			return CTX_ERROR;
		}
		pos = k;
		type_id = tid;
	}
	return arg_loc(q, pos, type_id);
}

/* The context face: argN (u64) and args.NAME (typed from BTF). */
static enum ctx_answer rtp_context(struct ctx_query *q)
{
	if (q->ask == CTX_NAME && !strcmp(q->name, "args")) {
		q->type_out = type_simple(q->s->arena, TY_ARGS);
		return CTX_FOUND;
	}
	if (q->ask == CTX_NAME && !strncmp(q->name, "arg", 3) && q->name[3] >= '0' && q->name[3] <= '9' && !q->name[4])
		return rtp_arg(q, NULL, q->name[3] - '0');
	if (q->ask == CTX_FIELD)
		return rtp_arg(q, q->name, 0);
	return CTX_UNKNOWN;
}

/* BPF_RAW_TRACEPOINT_OPEN with a cookie (Linux 6.10): the uapi headers sonde builds with may predate it. */
static int raw_tp_open(const char *event, int prog_fd, uint64_t cookie)
{
	struct {
		uint64_t name;
		uint32_t prog_fd, pad;
		uint64_t cookie;
	} attr = { (uint64_t)(uintptr_t)event, (uint32_t)prog_fd, 0, cookie };
	return (int)syscall(SYS_bpf, BPF_RAW_TRACEPOINT_OPEN, &attr, sizeof(attr));
}

static int rtp_attach(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	const struct rtp_point *r = pt->priv;
	int link = raw_tp_open(r->event, prog_fd, (uint64_t)pt->id);
	if (link < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot attach to %s: %s%s", pt->name, strerror(e),
			 e == EINVAL ? " (a raw tracepoint cookie needs Linux 6.10 or later)" : "");
		return -e;
	}
	VEC_PUSH(pt->fds, link);
	return 0;
}

/* A BTF type as C spells it, for -lv: `struct task_struct *`, `unsigned int`. */
static void spell(struct btf *b, int id, struct strbuf *out)
{
	const struct btf_type *t = btf__type_by_id(b, (__u32)id);
	if (!id || !t) {
		sb_puts(out, "void");
		return;
	}
	const char *name = btf__name_by_offset(b, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
		spell(b, (int)t->type, out);
		sb_puts(out, " *");
		return;
	case BTF_KIND_CONST:
		sb_puts(out, "const ");
		spell(b, (int)t->type, out);
		return;
	case BTF_KIND_VOLATILE:
		sb_puts(out, "volatile ");
		spell(b, (int)t->type, out);
		return;
	case BTF_KIND_STRUCT:
		sb_printf(out, "struct %s", name);
		return;
	case BTF_KIND_UNION:
		sb_printf(out, "union %s", name);
		return;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		sb_printf(out, "enum %s", name);
		return;
	case BTF_KIND_FUNC_PROTO:
		sb_puts(out, "void (*)()");
		return;
	default:
		if (name && *name)
			sb_puts(out, name);
		else
			spell(b, (int)t->type, out);
	}
}

struct listing {
	const char *pattern;
	int verbose;
	struct strbuf *out;
	struct btf *b;
};

static void list_event(const char *event, void *arg)
{
	struct listing *l = arg;
	char name[320];
	snprintf(name, sizeof(name), "rawtracepoint:vmlinux:%s", event);
	char short_name[320];	/* rawtracepoint:EVENT, as scripts may write it */
	snprintf(short_name, sizeof(short_name), "rawtracepoint:%s", event);
	int proto = event_proto(l->b, event);
	if (proto < 0 || (fnmatch(l->pattern, name, 0) && fnmatch(l->pattern, short_name, 0)))
		return;
	sb_printf(l->out, "%s\n", name);
	if (!l->verbose)
		return;
	int n;
	const struct btf_param *p = proto_params(l->b, proto, &n);
	for (int i = 1; i < n; i++) {
		sb_puts(l->out, "    ");
		spell(l->b, (int)p[i].type, l->out);
		sb_printf(l->out, " %s\n", btf__name_by_offset(l->b, p[i].name_off));
	}
}

static void rtp_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	(void)pid;
	struct btf *b = kbtf_get();
	if (!b || strncmp(pattern, "rawtracepoint:", 14))	/* thousands of names: only when asked for */
		return;
	struct listing l = { pattern, verbose, out, b };
	each_event(b, "*", list_event, &l);
}

static const char *const rtp_aliases[] = { "rt", NULL };

const struct provider provider_rawtracepoint = {
	.name = "rawtracepoint",
	.aliases = rtp_aliases,
	.mode = RUN_ATTACHED,
	.expand = rtp_expand,
	.prog_type = BPF_PROG_TYPE_RAW_TRACEPOINT,
	.context = rtp_context,
	.attach = rtp_attach,
	.list = rtp_list,
};
