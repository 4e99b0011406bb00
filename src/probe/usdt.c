/*
 * usdt:BIN:PROBE and usdt:BIN:PROVIDER:PROBE (globs): the stapsdt notes of
 * BIN; every site of a probe is a point with its own argument spec. They
 * attach as uprobes (one uprobe_multi link per file), semaphores through the
 * kernel's reference counter.
 */
#include "uprobe.h"
#include "../obj/insn.h"
#include "usdt_args.h"
#include "../obj/binpath.h"
#include "../obj/elf.h"
#include "../obj/notes.h"
#include "../obj/objects.h"
#include "../sema/sema.h"
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>

/* usdt:BIN:[PROVIDER:]PROBE → parts; provider is "*" when left out. */
static int split_usdt(const char *raw, char *bin, size_t nb, char *prov, size_t np, char *name, size_t nn)
{
	char buf[1024];
	snprintf(buf, sizeof(buf), "%s", raw);
	char *parts[4] = { 0 };
	int k = 0;
	for (char *p = buf; k < 4; k++) {
		parts[k] = p;
		char *c = strchr(p, ':');
		if (!c)
			break;
		*c = 0;
		p = c + 1;
	}
	if (k < 2 || k > 3)
		return -1;
	snprintf(bin, nb, "%s", parts[1]);
	snprintf(prov, np, "%s", k == 3 ? parts[2] : "*");
	snprintf(name, nn, "%s", parts[k]);
	return *name ? 0 : -1;
}

/* Debian's python3.11: its specialising interpreter skips function__entry (measured: 0 of 1000 calls). */
static int is_python311(const char *path)
{
	const char *base = strrchr(path, '/');
	return !strncmp(base ? base + 1 : path, "python3.11", 10);
}

/*
 * SYM(%rip) operands name a global. At the uprobe, ip is the site's address,
 * so the global is at ip + (SYM - site), both link-time addresses of this file.
 */
static int place_globals(const char *path, const struct usdt_site *u, struct usdt_arg *args, int n, char *err,
			 size_t errlen)
{
	for (int i = 0; i < n; i++) {
		uint64_t addr;
		if (!args[i].sym[0])
			continue;
		int rc = elf_symbol_addr(path, args[i].sym, &addr);
		if (rc == -ENOTUNIQ) {
			snprintf(err, errlen, "argument %d names the symbol %s, which several static variables of %s share: sonde cannot tell which", i, args[i].sym, path);
			return -1;
		}
		if (rc) {
			snprintf(err, errlen, "argument %d names the symbol %s, which %s does not define", i, args[i].sym, path);
			return -1;
		}
		int64_t delta = (int64_t)(addr - u->pc) + args[i].value;
		if (delta < INT32_MIN || delta > INT32_MAX) {
			snprintf(err, errlen, "argument %d: %s is too far from the probe site", i, args[i].sym);
			return -1;
		}
		args[i].value = delta;
	}
	return 0;
}

struct usdt_want {
	const char *prov, *name;
	int n;			/* points added */
	int entry;		/* a python function__entry among them */
};

/* The probes of one file's sites that match: a point per site. -1 after a diag. */
static int expand_sites(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
			const char *label, const char *path, const struct usdt_sites *sites, struct usdt_want *w)
{
	/* usdt:BIN:PROBE must name one provider's probe (bpftrace's rule) */
	const char *first_prov = NULL;
	int ambiguous = 0, entry = 0, n = 0;
	for (int i = 0; i < sites->v.n; i++) {
		const struct usdt_site *u = &sites->v.v[i];
		if (!fnmatch(w->prov, u->provider, 0) && !fnmatch(w->name, u->name, 0)) {
			if (first_prov && strcmp(first_prov, u->provider) && !strcmp(w->prov, "*") && !strpbrk(w->name, "*?["))
				ambiguous = 1;
			first_prov = u->provider;
		}
	}
	if (ambiguous) {
		diag_error(d, ap->span, "namespace for %s not specified, matched several providers: write usdt:%s:PROVIDER:%s",
			   ap->raw, label, w->name);
		return -1;
	}
	for (int i = 0; i < sites->v.n; i++) {
		const struct usdt_site *u = &sites->v.v[i];
		if (fnmatch(w->prov, u->provider, 0) || fnmatch(w->name, u->name, 0))
			continue;
		struct usdt_arg args[USDT_MAX_ARGS];
		char err[256];
		int nargs = usdt_parse_args(u->args, args, USDT_MAX_ARGS, err, sizeof(err));
		if (nargs < 0 || place_globals(path, u, args, nargs, err, sizeof(err))) {
			diag_error(d, ap->span, "%s:%s: %s", u->provider, u->name, err);
				return -1;
		}
		/* sys/sdt.h puts a nop at each site; anything else the kernel might run wrongly is refused */
		struct insn_hazard h;
		if (!insn_check_site(path, u->file_off, 16, &h) && h.unsafe) {
			diag_error(d, ap->span, "%s:%s: the site at file offset 0x%llx holds `%s`, %s, which the kernel runs wrongly under a uprobe",
				   u->provider, u->name, (unsigned long long)u->file_off, h.text, h.unsafe);
			return -1;
		}
		char full[1400];
		snprintf(full, sizeof(full), "usdt:%s:%s:%s", label, u->provider, u->name);
		entry |= !strcmp(u->name, "function__entry");
		provider_add_point(s, blk, &provider_usdt, full, 0);
		struct probe_point *pt = provider_last_point(s, sizeof(struct uprobe_point));
		pt->path = arena_strndup(s->arena, path, strlen(path));
		pt->func = arena_strndup(s->arena, u->name, strlen(u->name));
		uprobe_of(pt)->offset = u->file_off;
		uprobe_of(pt)->sema_off = u->sema_off;
		uprobe_of(pt)->nuargs = nargs;
		uprobe_of(pt)->uargs = arena_alloc(s->arena, sizeof(struct usdt_arg) * (size_t)(nargs ? nargs : 1));
		memcpy(uprobe_of(pt)->uargs, args, sizeof(struct usdt_arg) * (size_t)nargs);
		n++;
	}
	if (entry && is_python311(path))
		diag_warn(d, ap->span, "CPython 3.11 fires function__entry only while a trace or profile hook is set (CPython issue 98894): ordinary calls are not seen; function__return fires for every call");
	w->n += n;
	return 0;
}

static int expand_file(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
		       const char *label, const char *path, struct usdt_want *w)
{
	struct usdt_sites sites;
	int rc = usdt_read_sites(path, &sites);
	if (rc) {
		diag_error(d, ap->span, "cannot read USDT notes of %s: %s", path, strerror(-rc));
		return -1;
	}
	rc = expand_sites(s, blk, ap, d, label, path, &sites, w);
	usdt_sites_free(&sites);
	return rc;
}

/* The path a probe is named by: the process's own view, without /proc/PID/root. */
/*
 * usdt:*:… and usdt::… search every object of the traced process: with -p
 * what it maps now, with -c the program and the libraries it names.
 */
static int expand_all_objects(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
			      struct usdt_want *w)
{
	struct obj_list objs;
	int rc;
	if (s->filter_pid > 0)
		rc = objects_of_pid(s->filter_pid, &objs);
	else if (s->cmd_program)
		rc = objects_of_program(s->cmd_program, &objs);
	else {
		diag_error(d, ap->span, "%s: a usdt probe without a binary needs a process (-p PID or -c CMD) to search", ap->raw);
		return -1;
	}
	if (rc) {
		diag_error(d, ap->span, "cannot list the objects of the traced process for %s: %s", ap->raw, strerror(-rc));
		return -1;
	}
	for (int i = 0; i < objs.v.n; i++) {
		struct usdt_sites sites;
		/* most objects have no notes at all, or cannot be read: skip them quietly */
		if (usdt_read_sites(objs.v.v[i], &sites))
			continue;
		int rc = sites.v.n ? expand_sites(s, blk, ap, d, objects_display_path(objs.v.v[i]), objs.v.v[i], &sites, w) : 0;
		usdt_sites_free(&sites);
		if (rc) {
			objects_free(&objs);
			return -1;
		}
	}
	objects_free(&objs);
	return 0;
}

static int usdt_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	char bin[512], prov[256], name[256], path[1024];
	if (split_usdt(ap->raw, bin, sizeof(bin), prov, sizeof(prov), name, sizeof(name))) {
		diag_error(d, ap->span, "invalid usdt probe: %s (expected usdt:BINARY:[PROVIDER:]PROBE)", ap->raw);
		return -1;
	}
	struct usdt_want w = { .prov = prov, .name = name };
	if (!*bin || !strcmp(bin, "*")) {
		if (expand_all_objects(s, blk, ap, d, &w))
			return -1;
		snprintf(path, sizeof(path), "the traced process");
	} else {
		if (bin_resolve(bin, s->filter_pid, path, sizeof(path))) {
			diag_error(d, ap->span, "cannot find binary or library '%s' for %s%s", bin, ap->raw,
				   bin_missing_hint(bin, s->filter_pid));
			return -1;
		}
		if (expand_file(s, blk, ap, d, bin, path, &w))
			return -1;
	}
	if (!w.n) {
		diag_error(d, ap->span, "no USDT probe matches %s in %s (list them with: sonde -l 'usdt:%s:*')", ap->raw, path,
			   *bin && strcmp(bin, "*") ? bin : "BINARY");
		return -1;
	}
	return 0;
}

static int same_operand(const struct usdt_arg *x, const struct usdt_arg *y)
{
	return x->kind == y->kind && x->size == y->size && x->is_signed == y->is_signed && x->value == y->value &&
	       x->reg == y->reg && x->shift == y->shift && x->index == y->index && x->scale == y->scale;
}

/* Where an operand lives at its site: a constant, a register (%ah: shifted), or memory at base+disp(+index×scale). */
static struct ctx_loc operand_loc(const struct usdt_arg *a)
{
	if (a->kind == UA_CONST)
		return (struct ctx_loc){ .kind = CTX_CONST, .imm = a->value };
	if (a->kind == UA_REG)
		return (struct ctx_loc){ .kind = CTX_LOAD, .off = a->reg, .load = 8, .shift = a->shift, .size = a->size,
					 .is_signed = a->is_signed };
	return (struct ctx_loc){ .kind = CTX_USER, .off = a->reg, .imm = a->value, .index = a->index, .scale = a->scale,
				 .size = a->size, .is_signed = a->is_signed };
}

/* The context face: argN is the site's Nth operand; sites that keep it differently each get their own read. */
static enum ctx_answer usdt_context(struct ctx_query *q)
{
	struct probe_block *blk = q->blk;
	if (q->ask != CTX_NAME || strncmp(q->name, "arg", 3) || !isdigit((unsigned char)q->name[3]))
		return CTX_UNKNOWN;
	int k = atoi(q->name + 3);
	for (int i = 0; i < blk->points.n; i++)
		if (k >= uprobe_of(blk->points.v[i])->nuargs) {
			snprintf(q->err, sizeof(q->err), "%s has %d argument%s: %s does not exist", blk->points.v[i]->name,
				 uprobe_of(blk->points.v[i])->nuargs, uprobe_of(blk->points.v[i])->nuargs == 1 ? "" : "s", q->name);
			return CTX_ERROR;
		}
	/* sized and signed by the first site's spec; user addresses for str() */
	const struct usdt_arg *first = &uprobe_of(blk->points.v[0])->uargs[k];
	q->type_out = type_int(q->s->arena, 8, first->is_signed);
	q->type_out->user_addr = 1;
	int uniform = 1;
	for (int i = 1; i < blk->points.n; i++)
		uniform &= same_operand(&uprobe_of(blk->points.v[i])->uargs[k], first);
	if (uniform) {
		q->loc = operand_loc(first);
		return CTX_FOUND;
	}
	q->loc = (struct ctx_loc){ .kind = CTX_PER_POINT };
	q->loc.per_point = arena_alloc(q->s->arena, sizeof(struct ctx_loc) * (size_t)blk->points.n);
	for (int i = 0; i < blk->points.n; i++)
		q->loc.per_point[i] = operand_loc(&uprobe_of(blk->points.v[i])->uargs[k]);
	return CTX_FOUND;
}

/* -lv: a probe's sites and each argument's size, sign and operand, as its notes give them */
static void list_args(const struct usdt_sites *sites, const struct usdt_site *first, struct strbuf *out)
{
	int nsites = 0;
	for (int i = 0; i < sites->v.n; i++)
		nsites += !strcmp(sites->v.v[i].provider, first->provider) && !strcmp(sites->v.v[i].name, first->name);
	if (nsites > 1)
		sb_printf(out, "    (%d sites; arguments of the first)\n", nsites);
	char spec[1024];
	snprintf(spec, sizeof(spec), "%s", first->args ? first->args : "");
	int k = 0;
	for (char *tok = strtok(spec, " \t"); tok; tok = strtok(NULL, " \t"), k++) {
		long size = strtol(tok, NULL, 10);
		const char *at = strchr(tok, '@');
		sb_printf(out, "    arg%d: %sint%ld %s\n", k, size < 0 ? "" : "u", labs(size) * 8, at ? at + 1 : tok);
	}
}

/* The probes of one file, named usdt:NAME:PROVIDER:PROBE, each once. */
static void list_file(const char *pattern, int verbose, const char *name, const char *path, struct strbuf *out)
{
	struct usdt_sites sites;
	if (usdt_read_sites(path, &sites))
		return;
	VEC(char *) seen = { 0 };
	for (int i = 0; i < sites.v.n; i++) {
		char full[1400];
		snprintf(full, sizeof(full), "usdt:%s:%s:%s", name, sites.v.v[i].provider, sites.v.v[i].name);
		int dup = 0;	/* a probe with several sites is listed once */
		for (int k = 0; k < seen.n && !dup; k++)
			dup = !strcmp(seen.v[k], full);
		if (dup || fnmatch(pattern, full, 0))
			continue;
		VEC_PUSH(seen, xstrdup(full));
		sb_printf(out, "%s\n", full);
		if (verbose)
			list_args(&sites, &sites.v.v[i], out);
	}
	for (int k = 0; k < seen.n; k++)
		free(seen.v[k]);
	free(seen.v);
	usdt_sites_free(&sites);
}

/* -l usdt:…: one file's probes, or with -p those of every file the process maps, under the names it maps them by */
static void usdt_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	char bin[512], prov[256], name[256], path[1024];
	if (strncmp(pattern, "usdt:", 5) || split_usdt(pattern, bin, sizeof(bin), prov, sizeof(prov), name, sizeof(name)))
		return;
	if (!strpbrk(bin, "*?")) {
		if (!bin_resolve(bin, pid, path, sizeof(path)))
			list_file(pattern, verbose, bin, path, out);
		return;
	}
	struct obj_list objs;
	if (pid <= 0 || objects_of_pid(pid, &objs))
		return;
	for (int i = 0; i < objs.v.n; i++)
		if (!fnmatch(bin, objects_display_path(objs.v.v[i]), 0))
			list_file(pattern, verbose, objects_display_path(objs.v.v[i]), objs.v.v[i], out);
	objects_free(&objs);
}

static const char *const usdt_aliases[] = { "U", NULL };

const struct provider provider_usdt = {
	.name = "usdt",
	.aliases = usdt_aliases,
	.mode = RUN_ATTACHED,
	.expand = usdt_expand,
	.prog_type = BPF_PROG_TYPE_KPROBE,
	.can_sleep = 1,
	.context = usdt_context,
	.plan = uprobe_plan_block,
	.attach = uprobe_attach_point,
	.list = usdt_list,
};
