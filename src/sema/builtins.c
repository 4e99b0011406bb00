/*
 * Builtins: pid, comm, curtask…; the names a probe's context gives (argN,
 * retval, func, args, goid, probe) are the block's provider's to answer.
 */
#include "checker.h"
#include "btf.h"
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
	{ "curtask", TY_PTR, 0 },
};

/* Builtins of the context that the block's probe type does not give. */
static const char *const later_builtins[] = {
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "retval", "func", "args",
	"username", "numaid", "sarg0", "sarg1", "sarg2",
};

struct type *check_builtin(struct checker *c, struct node *n)
{
	struct type *ctx;
	if (chk_context(c, n, CTX_NAME, n->name, NULL, &ctx))
		return ctx;	/* argN, retval, func, args, goid, probe: what the provider says */
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
		return type_int(chk_arena(c), 8, builtins[i].is_signed);
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
