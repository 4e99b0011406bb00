/*
 * bpftrace 0.24's hygienic macros, expanded in the syntax tree before sema:
 *   macro add_one(x) { x + 1 }            x: an expression, put where x is used
 *   macro bump(@m, $k) { @m[$k]++; $k }   @m, $k: a map, a variable (the caller's own)
 * The last expression of the body is the macro's value. Variables declared
 * inside are renamed per expansion, so they never meet the caller's; a map
 * or variable not passed in is an error. Statements before the value are
 * put before the statement that uses it, where it is evaluated once.
 */
#include "macro.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAX_EXPANSIONS 10000	/* a macro that calls itself ends here, with an error */

struct expander {
	struct arena *a;
	struct diag *diag;
	const struct node *macros;	/* N_MACRO list */
	int expansions;
	int failed;
};

static const struct node *find_macro(const struct expander *ex, const struct node *call)
{
	if (call->kind != N_CALL)
		return NULL;
	for (const struct node *m = ex->macros; m; m = m->next)
		if (!strcmp(m->name, call->name))
			return m;
	return NULL;
}

static char *dup_str(struct expander *ex, const char *s)
{
	return arena_strndup(ex->a, s, strlen(s));
}

__attribute__((format(printf, 3, 4)))
static void fail(struct expander *ex, struct span sp, const char *fmt, ...)
{
	if (!ex->failed) {	/* the first error only: what follows from it would repeat it */
		char msg[512];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		diag_error(ex->diag, sp, "%s", msg);
	}
	ex->failed = 1;
}

struct instance {
	const struct node *macro;
	const struct node *call;
	int id;
};

static const struct node *arg_for(const struct instance *in, const char *param, enum node_kind kind)
{
	const struct node *a = in->call->list;
	for (const struct node *p = in->macro->list; p; p = p->next, a = a->next)
		if (p->kind == kind && !strcmp(p->name, param))
			return a;
	return NULL;
}

/* In a copy of the body: parameters become the caller's arguments, the body's own variables get names of this expansion. */
static void bind(struct expander *ex, const struct instance *in, struct node *n)
{
	for (; n && !ex->failed; n = n->next) {
		const struct node *arg;
		if (n->kind == N_BUILTIN && (arg = arg_for(in, n->name, N_BUILTIN))) {
			struct node *next = n->next, *copy = node_clone(ex->a, arg);
			*n = *copy;
			n->next = next;
			continue;	/* the caller's expression: its names are the caller's */
		}
		if (n->kind == N_VAR) {
			if ((arg = arg_for(in, n->name, N_VAR))) {
				n->name = arg->name;
			} else {
				char name[256];
				snprintf(name, sizeof(name), "%s__%s%d", n->name, in->macro->name, in->id);
				n->name = dup_str(ex, name);
			}
		} else if (n->kind == N_MAP) {
			if ((arg = arg_for(in, n->name, N_MAP)))
				n->name = arg->name;
			else
				fail(ex, n->span, "macro %s uses the map %s, which is not one of its parameters "
				     "(macros see only what they are given)", in->macro->name, n->name);
		}
		bind(ex, in, n->a);
		bind(ex, in, n->b);
		bind(ex, in, n->c);
		bind(ex, in, n->list);
	}
}

/* The body's statements for this call, parameters bound; NULL after an error. */
static struct node *instantiate(struct expander *ex, const struct node *m, const struct node *call)
{
	if (++ex->expansions > MAX_EXPANSIONS) {
		fail(ex, call->span, "macro %s: more than %d expansions (does it call itself?)", m->name, MAX_EXPANSIONS);
		return NULL;
	}
	int nparams = node_list_len(m->list), nargs = node_list_len(call->list);
	if (nparams != nargs) {
		fail(ex, call->span, "macro %s takes %d argument%s", m->name, nparams, nparams == 1 ? "" : "s");
		return NULL;
	}
	const struct node *a = call->list;
	for (const struct node *p = m->list; p; p = p->next, a = a->next) {
		if (p->kind == N_VAR && a->kind != N_VAR) {
			fail(ex, a->span, "macro %s: %s is a variable parameter: pass a variable ($x)", m->name, p->name);
			return NULL;
		}
		if (p->kind == N_MAP && (a->kind != N_MAP || a->list)) {
			fail(ex, a->span, "macro %s: %s is a map parameter: pass a map (@m, without keys)", m->name, p->name);
			return NULL;
		}
	}
	struct instance in = { m, call, ex->expansions };
	struct node *body = node_clone(ex->a, m->b);
	bind(ex, &in, body->list);
	return ex->failed ? NULL : body->list;
}

static void expand_list(struct expander *ex, struct node **link);

/*
 * Macro calls inside expression *np (and below). A macro with statements
 * before its value gets them put before the statement, at **before (moved
 * on past them); where the expression may not run, or runs more than once,
 * that would be wrong, and is refused.
 */
static void expand_expr(struct expander *ex, struct node **np, struct node ***before, int conditional)
{
	struct node *n = *np;
	if (!n || ex->failed)
		return;
	int short_circuit = n->kind == N_BINOP && (n->op == T_ANDAND || n->op == T_OROR);
	expand_expr(ex, &n->a, before, conditional);
	expand_expr(ex, &n->b, before, conditional || short_circuit || n->kind == N_TERNARY);
	expand_expr(ex, &n->c, before, conditional || n->kind == N_TERNARY);
	for (struct node **l = &n->list; *l; l = &(*l)->next)
		expand_expr(ex, l, before, conditional);
	const struct node *m = find_macro(ex, n);
	if (!m || ex->failed)
		return;
	struct node *stmts = instantiate(ex, m, n);
	if (!stmts)
		return;
	struct node *last = stmts, *prev = NULL;
	while (last->next)
		prev = last, last = last->next;
	if (last->kind != N_EXPR_STMT) {
		fail(ex, n->span, "macro %s has no value: its body must end with an expression", m->name);
		return;
	}
	if (prev) {
		if (!before || conditional) {
			fail(ex, n->span, "macro %s runs statements before its value, which cannot be done %s", m->name,
			     !before ? "in a predicate or a loop's condition"
				     : "where the value may not be needed (after && or ||, in ?:)");
			return;
		}
		prev->next = NULL;
		struct node *head = stmts, *tail;
		expand_list(ex, &head);	/* macros the body calls */
		for (tail = head; tail->next; tail = tail->next)
			;
		tail->next = **before;
		**before = head;
		*before = &tail->next;
	}
	struct node *value = last->a, *next = n->next;
	expand_expr(ex, &value, before, conditional);	/* macros called in the value */
	value->next = next;
	*np = value;
}

/* Expands the statement at *link; returns the link where it stands after the statements put before it. */
static struct node **expand_stmt(struct expander *ex, struct node **link)
{
	struct node *st = *link;
	const struct node *m = st->kind == N_EXPR_STMT ? find_macro(ex, st->a) : NULL;
	if (m) {
		/* a statement of its own: the body in a block, value and all */
		struct node *stmts = instantiate(ex, m, st->a);
		if (!stmts)
			return link;
		struct node *blk = node_new(ex->a, N_BLOCK, st->span);
		blk->list = stmts;
		blk->next = st->next;
		*link = blk;
		expand_list(ex, &blk->list);
		return link;
	}
	switch (st->kind) {
	case N_IF:
		expand_expr(ex, &st->a, &link, 0);
		expand_list(ex, &st->b->list);
		if (st->c && st->c->kind == N_IF) {
			/* else if: in a block of its own, so what its condition needs runs only there */
			struct node *blk = node_new(ex->a, N_BLOCK, st->c->span);
			blk->list = st->c;
			st->c = blk;
		}
		if (st->c)
			expand_list(ex, &st->c->list);
		return link;
	case N_WHILE:
		expand_expr(ex, &st->a, NULL, 0);	/* evaluated on every turn */
		expand_list(ex, &st->b->list);
		return link;
	case N_UNROLL:
		expand_list(ex, &st->b->list);
		return link;
	case N_FOR_MAP:	/* the body's statements stay in the body */
		expand_list(ex, &st->c->list);
		return link;
	case N_BLOCK:
		expand_list(ex, &st->list);
		return link;
	default:
		expand_expr(ex, &st->a, &link, 0);
		expand_expr(ex, &st->b, &link, 0);
		expand_expr(ex, &st->c, &link, 0);
		for (struct node **l = &st->list; *l; l = &(*l)->next)
			expand_expr(ex, l, &link, 0);
		return link;
	}
}

static void expand_list(struct expander *ex, struct node **link)
{
	for (; *link && !ex->failed; link = &(*link)->next)
		link = expand_stmt(ex, link);
}

int macro_expand(struct arena *a, struct diag *diag, struct node *prog)
{
	if (!prog->c)
		return 0;
	struct expander ex = { a, diag, prog->c, 0, 0 };
	for (const struct node *m = prog->c; m; m = m->next)
		for (const struct node *o = prog->c; o != m; o = o->next)
			if (!strcmp(o->name, m->name))
				fail(&ex, m->span, "macro %s is defined twice", m->name);
	for (struct node *p = prog->list; p && !ex.failed; p = p->next) {
		expand_expr(&ex, &p->pred, NULL, 0);
		expand_list(&ex, &p->b->list);
	}
	return ex.failed ? -1 : 0;
}
