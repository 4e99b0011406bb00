/* The checks Prometheus makes when it parses, after the grammar: argument
 * types and counts, what binary operators accept, selectors that select
 * something. Messages follow Prometheus's wording. */
#include "promql/promql.h"
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fail(struct pq_error *err, struct span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct pq_error *err, struct span sp, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->sp = sp;
	return -1;
}

int pq_op_is_comparison(enum pq_op op)
{
	return op >= PQ_EQL && op <= PQ_LTE;
}

int pq_op_is_set(enum pq_op op)
{
	return op == PQ_AND || op == PQ_OR || op == PQ_UNLESS;
}

enum pq_type pq_node_type(const struct pq_node *n)
{
	switch (n->kind) {
	case PQ_NUMBER: return PQ_SCALAR;
	case PQ_STRING_LIT: return PQ_STRING;
	case PQ_SELECTOR: return n->sel.range ? PQ_MATRIX : PQ_VECTOR;
	case PQ_SUBQUERY: return PQ_MATRIX;
	case PQ_CALL: return n->call.fn->ret;
	case PQ_AGGREGATE: return PQ_VECTOR;
	case PQ_UNARY: return pq_node_type(n->unary.expr);
	case PQ_BINARY:
		return pq_node_type(n->bin.lhs) == PQ_SCALAR && pq_node_type(n->bin.rhs) == PQ_SCALAR ? PQ_SCALAR : PQ_VECTOR;
	}
	return PQ_VECTOR;
}

static int expect_type(const struct pq_node *n, enum pq_type want, const char *context, struct pq_error *err)
{
	enum pq_type got = pq_node_type(n);
	if (got != want)
		return fail(err, n->sp, "expected type %s in %s, got %s", pq_type_name(want), context, pq_type_name(got));
	return 0;
}

/* Whether the matcher accepts the empty string. Prometheus runs its (RE2)
 * regular expression; POSIX extended syntax agrees on the common cases, and
 * a pattern it cannot compile is taken as matching something. */
static int matches_empty(const struct pq_matcher *m)
{
	switch (m->op) {
	case PQ_MATCH_EQ: return m->value[0] == '\0';
	case PQ_MATCH_NE: return m->value[0] != '\0';
	case PQ_MATCH_RE:
	case PQ_MATCH_NRE: {
		struct strbuf anchored = { 0 };
		sb_printf(&anchored, "^(%s)$", m->value);
		regex_t re;
		int hit = 0;
		if (!regcomp(&re, anchored.s, REG_EXTENDED | REG_NOSUB)) {
			hit = regexec(&re, "", 0, NULL, 0) == 0;
			regfree(&re);
		}
		sb_free(&anchored);
		return m->op == PQ_MATCH_RE ? hit : !hit;
	}
	}
	return 0;
}

static int check_selector(const struct pq_node *n, struct pq_error *err)
{
	int nonempty = n->sel.name != NULL;
	for (int i = 0; i < n->sel.nmatchers; i++) {
		const struct pq_matcher *m = &n->sel.matchers[i];
		if (n->sel.name && !strcmp(m->label, "__name__"))
			return fail(err, m->sp, "metric name must not be set twice: \"%s\" or \"%s\"", n->sel.name, m->value);
		if ((m->op == PQ_MATCH_RE || m->op == PQ_MATCH_NRE) && pq_regex_check(m->value, err->msg, sizeof(err->msg))) {
			err->sp = m->sp;
			return -1;
		}
		nonempty = nonempty || !matches_empty(m);	/* a metric name is enough: no regcomp */
	}
	if (!nonempty)
		return fail(err, n->sp, "vector selector must contain at least one non-empty matcher");
	return 0;
}

static int check_call(const struct pq_node *n, struct pq_error *err)
{
	const struct pq_function *fn = n->call.fn;
	int got = n->call.nargs;
	if (fn->variadic == 0 && got != fn->nargs)
		return fail(err, n->sp, "expected %d argument(s) in call to \"%s\", got %d", fn->nargs, fn->name, got);
	if (fn->variadic != 0 && got < fn->nargs - 1)
		return fail(err, n->sp, "expected at least %d argument(s) in call to \"%s\", got %d", fn->nargs - 1, fn->name, got);
	if (fn->variadic > 0 && got > fn->nargs - 1 + fn->variadic)
		return fail(err, n->sp, "expected at most %d argument(s) in call to \"%s\", got %d", fn->nargs - 1 + fn->variadic, fn->name, got);
	char context[96];
	snprintf(context, sizeof(context), "call to function \"%s\"", fn->name);
	for (int i = 0; i < got; i++) {
		/* the last declared type repeats for variadic functions */
		enum pq_type want = fn->args[i < fn->nargs ? i : fn->nargs - 1];
		if (expect_type(n->call.args[i], want, context, err))
			return -1;
	}
	return 0;
}

static int check_binary(const struct pq_node *n, struct pq_error *err)
{
	enum pq_op op = n->bin.op;
	enum pq_type lt = pq_node_type(n->bin.lhs), rt = pq_node_type(n->bin.rhs);
	const char *name = pq_op_name(op);
	if (n->bin.return_bool && !pq_op_is_comparison(op))
		return fail(err, n->bin.op_sp, "bool modifier can only be used on comparison operators");
	if (pq_op_is_comparison(op) && !n->bin.return_bool && lt == PQ_SCALAR && rt == PQ_SCALAR)
		return fail(err, n->bin.op_sp, "comparisons between scalars must use BOOL modifier");
	if (n->bin.matching == 1)
		for (int i = 0; i < n->bin.match_labels.n; i++)
			for (int j = 0; j < n->bin.include.n; j++)
				if (!strcmp(n->bin.match_labels.v[i], n->bin.include.v[j]))
					return fail(err, n->bin.op_sp, "label \"%s\" must not occur in ON and GROUP clause at once", n->bin.include.v[j]);
	if (lt != PQ_SCALAR && lt != PQ_VECTOR)
		return fail(err, n->bin.lhs->sp, "binary expression must contain only scalar and instant vector types");
	if (rt != PQ_SCALAR && rt != PQ_VECTOR)
		return fail(err, n->bin.rhs->sp, "binary expression must contain only scalar and instant vector types");
	if ((lt != PQ_VECTOR || rt != PQ_VECTOR) && n->bin.matching && n->bin.match_labels.n > 0)
		return fail(err, n->bin.op_sp, "vector matching only allowed between instant vectors");
	if (pq_op_is_set(op) && lt == PQ_VECTOR && rt == PQ_VECTOR && n->bin.card != PQ_CARD_NONE)
		return fail(err, n->bin.op_sp, "no grouping allowed for \"%s\" operation", name);
	if (pq_op_is_set(op) && (lt == PQ_SCALAR || rt == PQ_SCALAR))
		return fail(err, n->bin.op_sp, "set operator \"%s\" not allowed in binary scalar expression", name);
	return 0;
}

static int check(const struct pq_node *n, struct pq_error *err)
{
	switch (n->kind) {
	case PQ_NUMBER:
	case PQ_STRING_LIT:
		return 0;
	case PQ_SELECTOR:
		return check_selector(n, err);
	case PQ_SUBQUERY:
		if (check(n->subq.expr, err))
			return -1;
		if (pq_node_type(n->subq.expr) != PQ_VECTOR)
			return fail(err, n->sp, "subquery is only allowed on instant vector, got %s instead", pq_type_name(pq_node_type(n->subq.expr)));
		return 0;
	case PQ_CALL:
		for (int i = 0; i < n->call.nargs; i++)
			if (check(n->call.args[i], err))
				return -1;
		return check_call(n, err);
	case PQ_AGGREGATE:
		if ((n->agg.param && check(n->agg.param, err)) || check(n->agg.expr, err))
			return -1;
		if (expect_type(n->agg.expr, PQ_VECTOR, "aggregation expression", err))
			return -1;
		if (n->agg.param)
			return expect_type(n->agg.param, !strcmp(n->agg.op, "count_values") ? PQ_STRING : PQ_SCALAR,
					   "aggregation parameter", err);
		return 0;
	case PQ_UNARY: {
		if (check(n->unary.expr, err))
			return -1;
		enum pq_type t = pq_node_type(n->unary.expr);
		if (t != PQ_SCALAR && t != PQ_VECTOR)
			return fail(err, n->sp, "unary expression only allowed on expressions of type scalar or instant vector, got \"%s\"", pq_type_name(t));
		return 0;
	}
	case PQ_BINARY:
		if (check(n->bin.lhs, err) || check(n->bin.rhs, err))
			return -1;
		return check_binary(n, err);
	}
	return 0;
}

int pq_check(const struct pq_node *n, struct pq_error *err)
{
	return check(n, err);
}
