/*
 * kstack, ustack, kstack(N), ustack(mode[, N]): typed here, captured by
 * codegen/stacks.c, named by out/stacks.c. The mode and the frame limit are
 * part of the type, so two spellings never share a map.
 */
#include "checker.h"
#include <string.h>

static const char *const mode_names[] = { [STACK_BPFTRACE] = "bpftrace", [STACK_PERF] = "perf", [STACK_RAW] = "raw",
					      [STACK_PYTHON] = "python", [STACK_BUILD_ID] = "build_id" };

static struct type *stack_type(struct checker *c, int user, int mode, int limit)
{
	struct type *t = type_simple(chk_arena(c), TY_STACK);
	t->stack_user = user;
	t->stack_mode = mode;
	t->stack_limit = limit;
	c->s->uses_stacks = 1;
	c->s->uses_ustack |= user;
	/* user frames are named through the process's maps: read them while it lives, as for usym() */
	c->s->uses_usym |= user;
	return t;
}

int chk_is_stack(const char *name)
{
	return !strcmp(name, "kstack") || !strcmp(name, "ustack");
}

/* The builtin identifier: every frame, bpftrace's layout. */
struct type *check_stack_builtin(struct checker *c, struct node *n)
{
	return stack_type(c, n->name[0] == 'u', c->s->stack_mode_default, STACK_MAX_FRAMES);
}

/* kstack(N), kstack(mode), kstack(mode, N): constants only, checked without evaluating `perf` as a name. */
struct type *check_stack_call(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 0, 2))
		return NULL;
	int mode = c->s->stack_mode_default, limit = STACK_MAX_FRAMES;
	struct node *a = n->list;
	int user = n->name[0] == 'u';
	const char *modes = user ? "bpftrace, perf, raw, python or build_id" : "bpftrace, perf or raw";
	if (a && a->kind == N_BUILTIN) {
		size_t i = 0;
		if (!user && !strcmp(a->name, "build_id")) {
			ERR(c, a->span, "kstack(build_id): build-ids name the files of user stacks; use ustack(build_id)");
			return NULL;
		}
		/* python: the interpreter's frames are user-space ones */
		while (i < ARRAY_SIZE(mode_names) && (strcmp(mode_names[i], a->name) || (!user && i >= STACK_PYTHON)))
			i++;
		if (i == ARRAY_SIZE(mode_names)) {
			ERR(c, a->span, "%s: unknown stack mode '%s' (expected %s)", n->name, a->name, modes);
			return NULL;
		}
		mode = (int)i;
		a = a->next;
	} else if (a && n->list->next) {
		ERR(c, a->span, "%s: the first of two arguments is the mode: %s", n->name, modes);
		return NULL;
	}
	if (a) {
		int64_t v;
		if (a->kind == N_POSPARAM && !check_expr(c, a))	/* a numeric $1 becomes its value */
			return NULL;
		if (chk_const_int(c, a, &v, "the number of frames"))
			return NULL;
		if (v < 1 || v > STACK_MAX_FRAMES) {
			ERR(c, a->span, "%s: the number of frames must be between 1 and %d, got %lld", n->name,
			    STACK_MAX_FRAMES, (long long)v);
			return NULL;
		}
		limit = (int)v;
	}
	return stack_type(c, user, mode, limit);
}
