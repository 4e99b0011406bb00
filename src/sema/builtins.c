/*
 * Builtins: pid, comm, curtask…, and the names a probe's context gives
 * (argN, retval, func, args, goid), which depend on the block's provider.
 */
#include "checker.h"
#include "btf.h"
#include "../probe/tracefs.h"
#include "../probe/usdt_args.h"
#include "../obj/dwarf.h"
#include "../obj/elf.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

struct builtin {
	const char *name;
	enum type_kind kind;
	int is_signed;
};

static const struct builtin builtins[] = {
	{ "pid", TY_INT, 0 }, { "tid", TY_INT, 0 }, { "uid", TY_INT, 0 }, { "gid", TY_INT, 0 },
	{ "cpu", TY_INT, 0 }, { "nsecs", TY_INT, 0 }, { "elapsed", TY_INT, 0 }, { "jiffies", TY_INT, 0 },
	{ "rand", TY_INT, 0 }, { "cgroup", TY_INT, 0 }, { "comm", TY_STR, 0 },
	{ "curtask", TY_PTR, 0 }, { "probe", TY_PROBE, 0 },
};

/* Builtins that belong to probe types this build does not attach yet. */
static const char *const later_builtins[] = {
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "retval", "func", "args",
	"username", "numaid", "sarg0", "sarg1", "sarg2",
};

/*
 * goid: the goroutine's id, read through the g pointer Go keeps in r14 (Go
 * 1.17+). Its offset in runtime.g comes from the binary's DWARF, or for a
 * stripped binary from the Go release that built it (verified ones only).
 */
static int goid_offset(struct checker *c, const char *path, struct node *n)
{
	static const struct { const char *release; int off; } known[] = {
		{ "go1.19", 152 },	/* Debian 12's golang-go, read from its DWARF */
	};
	if (!c->s->dwarf)
		c->s->dwarf = dw_cache_new();
	int off;
	if (dw_member_offset(c->s->dwarf, path, "runtime.g", "goid", &off) == 0)
		return off;
	char version[64];
	if (elf_go_version(path, version, sizeof(version)) == 0)
		for (size_t i = 0; i < ARRAY_SIZE(known); i++) {
			size_t k = strlen(known[i].release);
			if (!strncmp(version, known[i].release, k) && (version[k] == 0 || version[k] == '.'))
				return known[i].off;
		}
	ERR(c, n->span, "goid: %s has no DWARF for runtime.g and was built by %s, whose goroutine layout sonde does not know",
	    path, elf_go_version(path, version, sizeof(version)) == 0 ? version : "an unknown Go release");
	return -1;
}

static struct type *check_goid(struct checker *c, struct node *n)
{
	int off = -1;
	for (int i = 0; i < c->blk->points.n; i++) {
		const struct probe_point *pt = c->blk->points.v[i];
		int go = pt->path ? elf_is_go(pt->path) : 0;
		if (!go) {
			ERR(c, n->span, "goid is only known in uprobes and uretprobes of Go programs, not in %s", pt->name);
			return NULL;
		}
		if (go == 2) {
			ERR(c, n->span, "goid needs Go 1.17 or later (the g pointer in r14); %s is older", pt->path);
			return NULL;
		}
		int o = goid_offset(c, pt->path, n);
		if (o < 0)
			return NULL;
		if (off >= 0 && o != off) {
			ERR(c, n->span, "goid lives at different offsets in the programs of this probe: split it");
			return NULL;
		}
		off = o;
	}
	n->ival = (uint64_t)off;
	return type_int(chk_arena(c), 8, 1);
}

struct type *check_builtin(struct checker *c, struct node *n)
{
	if (!strcmp(n->name, "goid") && c->blk->prov->has_regs)
		return check_goid(c, n);
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++) {
		if (strcmp(builtins[i].name, n->name))
			continue;
		if (builtins[i].kind == TY_STR)
			return type_str(chk_arena(c));
		if (builtins[i].kind == TY_PTR) {
			int id = kbtf_find_struct("task_struct");
			if (id < 0) {
				ERR(c, n->span, "curtask needs kernel BTF (/sys/kernel/btf/vmlinux), which this kernel does not provide");
				return NULL;
			}
			struct type *t = type_simple(chk_arena(c), TY_PTR);
			t->btf_id = id;
			c->s->uses_curtask = 1;
			return t;
		}
		if (builtins[i].kind == TY_PROBE)
			return type_simple(chk_arena(c), TY_PROBE);
		return type_int(chk_arena(c), 8, builtins[i].is_signed);
	}
	if (!strcmp(n->name, "args") && (c->blk->prov->has_args || c->blk->prov->has_dwarf_args))
		return type_simple(chk_arena(c), TY_ARGS);
	if (c->blk->prov->has_usdt_args && !strncmp(n->name, "arg", 3) && isdigit((unsigned char)n->name[3])) {
		int k = atoi(n->name + 3);
		for (int i = 0; i < c->blk->points.n; i++)
			if (k >= c->blk->points.v[i]->nuargs) {
				ERR(c, n->span, "%s has %d argument%s: %s does not exist", c->blk->points.v[i]->name,
				    c->blk->points.v[i]->nuargs, c->blk->points.v[i]->nuargs == 1 ? "" : "s", n->name);
				return NULL;
			}
		/* sized and signed by the first site's spec; user addresses for str() */
		const struct usdt_arg *ua = &c->blk->points.v[0]->uargs[k];
		struct type *t = type_int(chk_arena(c), 8, ua->is_signed);
		t->user_addr = 1;
		return t;
	}
	if (c->blk->prov->has_regs) {
		/* arg0…arg5 (SysV registers), retval in return probes, func: user addresses */
		int is_arg = !strncmp(n->name, "arg", 3) && n->name[3] >= '0' && n->name[3] <= '5' && !n->name[4];
		int is_ret = !strcmp(n->name, "retval") && c->blk->prov->is_return;
		if (is_arg || is_ret) {
			struct type *t = type_int(chk_arena(c), 8, is_ret);
			t->user_addr = 1;
			return t;
		}
		if (!strcmp(n->name, "func"))
			return type_simple(chk_arena(c), TY_FUNC);
	}
	if (!strcmp(n->name, "cpid")) {
		if (!c->s->cpid) {
			ERR(c, n->span, "cpid is only defined when sonde starts a command with -c");
			return NULL;
		}
		n->kind = N_INT;	/* the child exists before compiling: its pid is a constant */
		n->ival = (uint64_t)c->s->cpid;
		return type_int(chk_arena(c), 8, 0);
	}
	if (chk_is_stack(n->name))
		return check_stack_builtin(c, n);
	for (size_t i = 0; i < ARRAY_SIZE(later_builtins); i++)
		if (!strcmp(later_builtins[i], n->name)) {
			ERR(c, n->span, "builtin %s is not available for probe type %s", n->name,
			    c->blk->prov->name);
			return NULL;
		}
	ERR(c, n->span, "Unknown identifier: '%s'", n->name);
	return NULL;
}
