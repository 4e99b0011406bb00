/*
 * iter:task, iter:task_file, iter:task_vma (alias it): BPF iterators. The
 * program is a tracing program (BPF_TRACE_ITER) on the kernel's
 * bpf_iter_KIND; after BEGIN and the other attaches, sonde creates the
 * iterator and reads it to its end, which runs the program once per task
 * (file, memory area), then the run ends as bpftrace's does. The context is
 * struct bpf_iter__KIND, named `ctx` as in bpftrace: ctx.task, ctx.fd,
 * ctx.file, ctx.vma, their types from BTF. The kernel makes one last call
 * with no object (ctx->task NULL): the program leaves at once there.
 * Records go through the ring buffer, drained after the iteration: one
 * larger than its 4 MiB is reported as lost records.
 */
#include "provider.h"
#include "../sema/sema.h"
#include "../sema/btf.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const kinds[] = { "task", "task_file", "task_vma" };

/* iter.c's part of a point */
struct iter_point {
	struct script *s;	/* plan checks the script's other probes */
	int ctx_struct;		/* BTF id of struct bpf_iter__KIND */
	int target_func;	/* BTF id of bpf_iter_KIND */
};

static int iter_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", ap->raw);
	char *kind = strchr(buf, ':');
	char *pin = kind ? strchr(kind + 1, ':') : NULL;
	if (pin)
		*pin++ = 0;
	int known = 0;
	for (size_t i = 0; kind && i < ARRAY_SIZE(kinds); i++)
		known |= !strcmp(kind + 1, kinds[i]);
	if (!known) {
		diag_error(d, ap->span, "invalid iterator: %s (sonde knows iter:task, iter:task_file and iter:task_vma)",
			   ap->raw);
		return -1;
	}
	kind++;
	if (pin) {
		diag_error(d, ap->span, "iter:%s:%s: pinning an iterator in /sys/fs/bpf is not supported by sonde: "
					"write iter:%s, which runs it now", kind, pin, kind);
		return -1;
	}
	if (s->filter_pid || s->cpid) {
		diag_error(d, ap->span, "iter:%s walks every task of the system: -p and -c do not apply", kind);
		return -1;
	}
	char name[64];
	snprintf(name, sizeof(name), "bpf_iter__%s", kind);
	int ctx_struct = kbtf_find_struct(name);
	snprintf(name, sizeof(name), "bpf_iter_%s", kind);
	int target = ctx_struct > 0 ? kbtf_find_func(name) : -1;
	if (target < 0) {
		diag_error(d, ap->span, "iter:%s: this kernel's BTF has no %s iterator", kind, kind);
		return -1;
	}
	snprintf(name, sizeof(name), "iter:%s", kind);
	provider_add_point(s, blk, &provider_iter, name, 0);
	struct iter_point *it = provider_last_point(s, sizeof(struct iter_point))->priv;
	*it = (struct iter_point){ .s = s, .ctx_struct = ctx_struct, .target_func = target };
	return 0;
}

/* The context face: ctx, and its members from struct bpf_iter__KIND. */
static enum ctx_answer iter_context(struct ctx_query *q)
{
	if (q->ask == CTX_NAME && !strcmp(q->name, "ctx")) {
		q->type_out = type_simple(q->s->arena, TY_ARGS);
		return CTX_FOUND;
	}
	if (q->ask != CTX_FIELD)
		return CTX_UNKNOWN;
	const struct probe_point *pt = q->blk->points.v[0];
	const struct iter_point *it = pt->priv;
	int off, tid;
	struct type *t = NULL;
	if (strcmp(q->name, "meta") && !kbtf_field(it->ctx_struct, q->name, &off, &tid))
		t = kbtf_type(q->s->arena, tid);
	if (!t || (t->kind != TY_INT && t->kind != TY_PTR)) {
		snprintf(q->err, sizeof(q->err), "%s has no field '%s' in ctx (it has %s)", pt->name, q->name,
			 !strcmp(pt->name, "iter:task") ? "task" : !strcmp(pt->name, "iter:task_file") ? "task, fd, file"
											 : "task, vma");
		return CTX_ERROR;
	}
	q->type_out = t;
	/* the verifier wants 8-byte loads of the context; an int is the low bytes */
	q->loc = (struct ctx_loc){ .kind = CTX_LOAD, .off = off, .load = 8, .size = t->kind == TY_INT ? t->size : 8,
				   .is_signed = t->kind == TY_INT && t->is_signed, .nullable = t->kind == TY_PTR };
	return CTX_FOUND;
}

/* An iterator runs alone: it is read once and the run ends, so nothing else would fire in between. */
static int iter_plan(struct probe_block *blk, char *err, size_t errlen)
{
	const struct probe_point *pt = blk->points.v[0];
	const struct iter_point *it = pt->priv;
	for (int i = 0; i < it->s->points.n; i++) {
		const struct probe_point *o = it->s->points.v[i];
		if (o != pt && o->prov != &provider_begin && o->prov != &provider_end) {
			snprintf(err, errlen, "%s cannot be mixed with other probes (only BEGIN and END), here %s", pt->name,
				 o->name);
			return -1;
		}
	}
	blk->expected_attach_type = BPF_TRACE_ITER;
	blk->attach_btf_id = it->target_func;
	blk->guard = (struct ctx_guard){ .off = 8, .if_zero = 1 };	/* ctx->task: NULL on the last call */
	return 0;
}

static int iter_attach(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	int link = bpf_link_create(prog_fd, 0, BPF_TRACE_ITER, NULL);
	if (link < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot attach %s: %s", pt->name, strerror(e));
		return -e;
	}
	VEC_PUSH(pt->fds, link);
	return 0;
}

/* Reads the iterator to its end: each read() runs the program over the objects it walks. */
static int iter_iterate(struct probe_point *pt, char *err, size_t errlen)
{
	int fd = bpf_iter_create(pt->fds.v[0]);
	if (fd < 0) {
		int e = errno;
		snprintf(err, errlen, "cannot start %s: %s", pt->name, strerror(e));
		return -e;
	}
	char buf[4096];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	int e = n < 0 ? errno : 0;
	close(fd);
	if (e) {
		snprintf(err, errlen, "%s stopped: %s", pt->name, strerror(e));
		return -e;
	}
	return 0;
}

/* -l: the iterators this kernel has; -v: ctx's members. */
static void iter_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	(void)pid;
	struct arena *a = arena_new();
	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++) {
		char name[64], sname[64];
		snprintf(name, sizeof(name), "iter:%s", kinds[i]);
		snprintf(sname, sizeof(sname), "bpf_iter__%s", kinds[i]);
		int id = kbtf_find_struct(sname);
		if (id < 0 || fnmatch(pattern, name, 0))
			continue;
		sb_printf(out, "%s\n", name);
		static const char *const members[] = { "task", "fd", "file", "vma" };
		for (size_t k = 0; verbose && k < ARRAY_SIZE(members); k++) {
			int off, tid;
			if (kbtf_field(id, members[k], &off, &tid))
				continue;
			struct type *t = kbtf_type(a, tid);
			if (t && t->kind == TY_PTR)
				sb_printf(out, "    struct %s * %s\n", kbtf_name(t->btf_id), members[k]);
			else
				sb_printf(out, "    unsigned int %s\n", members[k]);
		}
	}
	arena_free(a);
}

static const char *const iter_aliases[] = { "it", NULL };

const struct provider provider_iter = {
	.name = "iter",
	.aliases = iter_aliases,
	.mode = RUN_ATTACHED,
	.expand = iter_expand,
	.prog_type = BPF_PROG_TYPE_TRACING,
	.context = iter_context,
	.plan = iter_plan,
	.attach = iter_attach,
	.iterate = iter_iterate,
	.list = iter_list,
};
