/*
 * bpftrace 0.2x's standard library that sonde builds into the engine (bpftrace
 * compiles it from C with clang on every run): names of numbers printed by
 * user space, strncmp, is_err, and the namespace and clock forms of
 * pid/tid/nsecs.
 */
#include "checker.h"
#include <string.h>

static struct type *named(struct checker *c, struct node *n, int naming)
{
	if (!chk_nargs_ok(c, n, 1, 1) || chk_int_args(c, n, 0, n->name))
		return NULL;
	struct type *t = type_simple(chk_arena(c), TY_NAMED);
	t->naming = naming;
	return t;
}

/* strncmp(a, b, n): 0 when the first n bytes (up to the end of the strings) are equal */
static struct type *check_strncmp(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 3, 3))
		return NULL;
	for (struct node *a = n->list; a != n->list->next->next; a = a->next) {
		struct type *t = check_expr(c, a);
		if (!t)
			return NULL;
		if (t->kind != TY_STR) {
			ERR(c, a->span, "strncmp() compares strings (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
	}
	int64_t len;
	if (chk_const_int(c, n->list->next->next, &len, "strncmp()'s length"))
		return NULL;
	if (len < 0) {
		ERR(c, n->list->next->next->span, "strncmp()'s length must be 0 or more");
		return NULL;
	}
	n->ival = (uint64_t)(len < sonde_strlen ? len : sonde_strlen);	/* past the slot, both are zeros */
	return type_int(chk_arena(c), 8, 0);
}

/* pid(curr_ns|init), tid(…), nsecs(monotonic|boot|tai|sw_tai): the word chooses the builtin */
static struct type *check_ns_form(struct checker *c, struct node *n, int *done)
{
	static const struct { const char *fn, *word, *builtin; } forms[] = {
		{ "pid", "init", "pid" }, { "pid", "curr_ns", "pid_curr_ns" },
		{ "tid", "init", "tid" }, { "tid", "curr_ns", "tid_curr_ns" },
		{ "nsecs", "monotonic", "nsecs" }, { "nsecs", "boot", "nsecs_boot" },
		{ "nsecs", "tai", "nsecs_tai" }, { "nsecs", "sw_tai", "nsecs_tai" },
	};
	int known_fn = 0;
	for (size_t i = 0; i < ARRAY_SIZE(forms) && n->list; i++) {
		if (strcmp(forms[i].fn, n->name))
			continue;
		known_fn = 1;
		if (!n->list || n->list->next || n->list->kind != N_BUILTIN || strcmp(n->list->name, forms[i].word))
			continue;
		*done = 1;
		n->kind = N_BUILTIN;
		n->name = (char *)forms[i].builtin;
		n->list = NULL;
		return check_builtin(c, n);
	}
	if (known_fn) {
		*done = 1;
		ERR(c, n->span, "%s() takes %s", n->name,
		    !strcmp(n->name, "nsecs") ? "monotonic, boot, tai or sw_tai" : "curr_ns or init");
	}
	return NULL;
}

struct type *check_stdlib(struct checker *c, struct node *n, int *done)
{
	const char *f = n->name;
	*done = 1;
	if (!strcmp(f, "cgroup_path"))	/* the id (the cgroup builtin, or any), named as bpftrace does */
		return named(c, n, NAMED_CGROUP);
	if (!strcmp(f, "signal_name"))
		return named(c, n, NAMED_SIGNAL);
	if (!strcmp(f, "strerror"))
		return named(c, n, NAMED_ERRNO);
	if (!strcmp(f, "syscall_name"))
		return named(c, n, NAMED_SYSCALL);
	if (!strcmp(f, "username") && n->list)	/* `username`, after check_username() */
		return named(c, n, NAMED_USER);
	if (!strcmp(f, "strncmp"))
		return check_strncmp(c, n);
	if (!strcmp(f, "is_err")) {	/* a kernel pointer that holds -errno (IS_ERR_VALUE) */
		if (!chk_nargs_ok(c, n, 1, 1))
			return NULL;
		struct type *t = check_expr(c, n->list);
		if (!t)
			return NULL;
		if (t->kind != TY_INT && t->kind != TY_PTR) {
			ERR(c, n->list->span, "is_err() takes a pointer or an integer (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
		return type_simple(chk_arena(c), TY_BOOL);
	}
	struct type *t = check_stdlib_more(c, n, done);
	if (*done)
		return t;
	return check_ns_form(c, n, done);
}

/* `username`: the uid, named by user space */
struct type *check_username(struct checker *c, struct node *n)
{
	struct node *uid = node_new(chk_arena(c), N_BUILTIN, n->span);
	uid->name = (char *)"uid";
	n->kind = N_CALL;
	n->list = uid;
	return named(c, n, NAMED_USER);
}
