/*
 * Builtins: pid, comm, curtask…; the names a probe's context gives (argN,
 * retval, func, args, goid, probe) are the block's provider's to answer.
 */
#include "checker.h"
#include "btf.h"
#include "../lang/parser.h"
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct builtin {
	const char *name;
	enum type_kind kind;
	int is_signed;
};

static const struct builtin builtins[] = {
	{ "pid", TY_INT, 0 }, { "tid", TY_INT, 0 }, { "uid", TY_INT, 0 }, { "gid", TY_INT, 0 },
	{ "cpu", TY_INT, 0 }, { "nsecs", TY_INT, 0 }, { "elapsed", TY_INT, 0 }, { "jiffies", TY_INT, 0 },
	{ "rand", TY_INT, 0 }, { "cgroup", TY_INT, 0 }, { "comm", TY_STR, 0 },
	{ "nsecs_boot", TY_INT, 0 }, { "nsecs_tai", TY_INT, 0 },	/* nsecs(boot), nsecs(tai) */
	{ "pid_curr_ns", TY_INT, 0 }, { "tid_curr_ns", TY_INT, 0 },	/* pid(curr_ns), tid(curr_ns) */
	{ "curtask", TY_PTR, 0 },
};

/* Builtins of the context that the block's probe type does not give. */
static const char *const later_builtins[] = {
	"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "retval", "func", "args",
	"numaid", "sarg0", "sarg1", "sarg2",
};

/* Every node of a subtree takes span sp: errors inside point at the builtin the user wrote. */
static void respan(struct node *n, struct span sp)
{
	for (; n; n = n->next) {
		n->span = sp;
		respan(n->a, sp);
		respan(n->b, sp);
		respan(n->c, sp);
		respan(n->list, sp);
	}
}

/*
 * Builtins that are expressions over the task (through BTF), written once
 * as text: the node becomes that expression, which the checker then types
 * like any other.
 * nspid, nstid: the process's and the thread's ids in their own PID
 * namespace, as `ps` in a container shows them (struct pid's numbers[level]);
 * pcomm: the process's name, its thread group leader's comm (a thread's
 * own comm can differ); ppid: the parent process's id.
 */
static const struct { const char *name, *text; } sugar[] = {
	{ "nspid", "((struct task_struct *)curtask)->group_leader->thread_pid->numbers["
		   "((struct task_struct *)curtask)->group_leader->thread_pid->level].nr" },
	{ "nstid", "((struct task_struct *)curtask)->thread_pid->numbers["
		   "((struct task_struct *)curtask)->thread_pid->level].nr" },
	{ "pcomm", "((struct task_struct *)curtask)->group_leader->comm" },
	{ "ppid", "((struct task_struct *)curtask)->real_parent->tgid" },
};

static struct type *check_sugar(struct checker *c, struct node *n, const char *expr_text)
{
	char text[512];
	snprintf(text, sizeof(text), "BEGIN { print(%s); }", expr_text);
	struct diag quiet = { 0 };
	struct node *prog = parse_program(chk_arena(c), &quiet, text);
	/* program → probe → its block → the statement → print(…) */
	struct node *stmt = prog && prog->list && prog->list->b ? prog->list->b->list : NULL;
	struct node *call = stmt && stmt->kind == N_EXPR_STMT ? stmt->a : NULL;
	if (!call || call->kind != N_CALL || !call->list) {
		ERR(c, n->span, "internal error: %s could not be built", n->name);
		return NULL;
	}
	struct node *expr = call->list, *next = n->next;
	respan(expr, n->span);
	*n = *expr;
	n->next = next;
	return check_expr(c, n);
}

/* Whether NAME is a builtin, so that NAME() means it too (bpftrace 0.2x: `pid` and `pid()` are one). */
int chk_is_builtin_name(const char *name)
{
	static const char *const others[] = { "ncpus", "username", "cpid", "has_cpid", "default_str_length", "probe",
					      "kstack", "ustack", "goid" };
	for (size_t i = 0; i < ARRAY_SIZE(builtins); i++)
		if (!strcmp(builtins[i].name, name))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(later_builtins); i++)
		if (!strcmp(later_builtins[i], name))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(sugar); i++)
		if (!strcmp(sugar[i].name, name))
			return 1;
	for (size_t i = 0; i < ARRAY_SIZE(others); i++)
		if (!strcmp(others[i], name))
			return 1;
	return 0;
}

struct type *check_builtin(struct checker *c, struct node *n)
{
	for (size_t i = 0; i < ARRAY_SIZE(sugar); i++)
		if (!strcmp(n->name, sugar[i].name))
			return check_sugar(c, n, sugar[i].text);
	if (!strcmp(n->name, "ncpus")) {	/* the CPUs the kernel may run: a constant of this machine */
		long ncpus = sysconf(_SC_NPROCESSORS_CONF);
		n->kind = N_INT;
		n->ival = (uint64_t)(ncpus > 0 ? ncpus : 1);
		return type_int(chk_arena(c), 8, 0);
	}
	if (!strcmp(n->name, "username"))
		return check_username(c, n);
	if (!strcmp(n->name, "has_cpid") || !strcmp(n->name, "default_str_length"))
		return check_introspect_builtin(c, n);
	if (!strcmp(n->name, "true") || !strcmp(n->name, "false"))	/* bpftrace 0.2x's bool literals */
		return type_simple(chk_arena(c), TY_BOOL);
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
	/* a constant: a few macros of <sys/socket.h> and <linux/sched.h> (not in BTF), or an enumerator
	 * of the kernel's BTF, as a header would give it to bpftrace */
	static const struct { const char *name; int value; } families[] = {
		{ "AF_UNSPEC", 0 }, { "AF_UNIX", 1 }, { "AF_LOCAL", 1 }, { "AF_INET", 2 }, { "AF_INET6", 10 },
		{ "AF_NETLINK", 16 }, { "AF_PACKET", 17 }, { "AF_VSOCK", 40 },
		/* a task's __state, from <linux/sched.h> (runqlat.bt) */
		{ "TASK_RUNNING", 0x0 }, { "TASK_INTERRUPTIBLE", 0x1 }, { "TASK_UNINTERRUPTIBLE", 0x2 },
		{ "__TASK_STOPPED", 0x4 }, { "__TASK_TRACED", 0x8 }, { "EXIT_DEAD", 0x10 }, { "EXIT_ZOMBIE", 0x20 },
		{ "TASK_PARKED", 0x40 }, { "TASK_DEAD", 0x80 }, { "TASK_WAKEKILL", 0x100 }, { "TASK_WAKING", 0x200 },
		{ "TASK_NOLOAD", 0x400 }, { "TASK_NEW", 0x800 },
	};
	int64_t value;
	int known = 0;
	for (size_t i = 0; i < ARRAY_SIZE(families) && !known; i++)
		if (!strcmp(families[i].name, n->name))
			value = families[i].value, known = 1;
	if (known || !kbtf_enum_value(n->name, &value)) {
		n->kind = N_INT;	/* stays a constant in later passes */
		n->ival = (uint64_t)value;
		return type_int(chk_arena(c), 8, value < 0);
	}
	ERR(c, n->span, "Unknown identifier: '%s'", n->name);
	return NULL;
}
