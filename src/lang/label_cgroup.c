/*
 * --label-cgroup, as a rewrite of the parsed script: every printf carries
 * the event's cgroup as a hidden last argument (tools' JSON records name
 * it), and each exported map gets a shadow keyed by the same keys plus
 * `cgroup`, written by a copy of every statement that writes the map, so
 * metrics split by container while the tool's own output stays as it was.
 */
#include "label_cgroup.h"
#include "../out/format.h"
#include <string.h>

void label_cgroup_shadow_name(struct strbuf *out, const char *map)
{
	sb_printf(out, "%s:cgroup", map);
}

int label_cgroup_is_shadow(const char *map)
{
	return strchr(map, ':') != NULL;
}

static struct node *cgroup_node(struct arena *a, struct span sp)
{
	struct node *n = node_new(a, N_BUILTIN, sp);
	n->name = arena_strndup(a, "cgroup", 6);
	return n;
}

static void append(struct node **list, struct node *n)
{
	while (*list)
		list = &(*list)->next;
	*list = n;
}

struct rewrite {
	struct arena *a;
	int (*wanted)(const char *map, void *arg);
	void *arg;
};

static int whole_map_call(const struct node *n)
{
	return n->kind == N_CALL && (!strcmp(n->name, "clear") || !strcmp(n->name, "zero"));
}

/* Within a copied statement: each wanted map becomes its shadow, keyed by
 * cgroup too (but for clear() and zero(), which take the whole map). */
static void to_shadow(struct rewrite *rw, struct node *n, int whole)
{
	for (; n; n = n->next) {
		if (n->kind == N_MAP && !label_cgroup_is_shadow(n->name) && rw->wanted(n->name, rw->arg)) {
			struct strbuf name = { 0 };
			label_cgroup_shadow_name(&name, n->name);
			n->name = arena_strndup(rw->a, sb_str(&name), name.len);
			sb_free(&name);
			if (whole)
				;
			else if (n->list && n->list->kind == N_TUPLE && !n->list->next)
				append(&n->list->list, cgroup_node(rw->a, n->span));
			else
				append(&n->list, cgroup_node(rw->a, n->span));
		}
		to_shadow(rw, n->a, 0);
		to_shadow(rw, n->b, 0);
		to_shadow(rw, n->c, 0);
		to_shadow(rw, n->list, whole_map_call(n));
	}
}

/* The map a statement writes: `@m[k] = v`, `@m[k] op= v`, `@m[k]++`, clear(@m), zero(@m). */
static const struct node *written_map(const struct node *st)
{
	if (st->kind == N_ASSIGN && st->a && st->a->kind == N_MAP)
		return st->a;
	if (st->kind != N_EXPR_STMT || !st->a)
		return NULL;
	const struct node *e = st->a;
	if (e->kind == N_INCDEC && e->a && e->a->kind == N_MAP)
		return e->a;
	if (whole_map_call(e) && e->list && e->list->kind == N_MAP)
		return e->list;
	return NULL;
}

static void rewrite_list(struct rewrite *rw, struct node *st);

static void rewrite_stmt(struct rewrite *rw, struct node *st)
{
	switch (st->kind) {
	case N_IF:
		rewrite_list(rw, st->b);
		if (st->c && st->c->kind == N_IF)	/* else if */
			rewrite_stmt(rw, st->c);
		else
			rewrite_list(rw, st->c);
		break;
	case N_WHILE: case N_UNROLL:
		rewrite_list(rw, st->b);
		break;
	case N_FOR_MAP:
		rewrite_list(rw, st->c);
		break;
	case N_BLOCK:
		rewrite_list(rw, st->list);
		break;
	default:
		break;
	}
}

static void rewrite_list(struct rewrite *rw, struct node *st)
{
	if (st && st->kind == N_BLOCK) {
		rewrite_list(rw, st->list);
		return;
	}
	for (; st; st = st->next) {
		rewrite_stmt(rw, st);
		const struct node *m = written_map(st);
		if (!m || label_cgroup_is_shadow(m->name) || !rw->wanted(m->name, rw->arg))
			continue;
		struct node *copy = node_clone(rw->a, st);
		to_shadow(rw, copy, 0);
		copy->next = st->next;
		st->next = copy;
		st = copy;
	}
}

static void printf_cgroup(struct arena *a, struct node *n)
{
	for (; n; n = n->next) {
		/* the format string and up to FMT_MAX_CONV - 1 values leave room for one more */
		if (n->kind == N_CALL && !strcmp(n->name, "printf") && n->list &&
		    node_list_len(n->list) <= FMT_MAX_CONV) {
			append(&n->list, cgroup_node(a, n->span));
			n->hidden_args = 1;
		}
		printf_cgroup(a, n->a);
		printf_cgroup(a, n->b);
		printf_cgroup(a, n->c);
		printf_cgroup(a, n->list);
	}
}

void label_cgroup_rewrite(struct arena *a, struct node *prog, int (*wanted)(const char *map, void *arg), void *arg)
{
	struct rewrite rw = { a, wanted, arg };
	for (struct node *p = prog->list; p; p = p->next) {
		printf_cgroup(a, p->b);
		if (wanted)
			rewrite_list(&rw, p->b);
	}
}
