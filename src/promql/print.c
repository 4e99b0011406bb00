/* PromQL from the tree: what Prometheus parses back to the same tree, with
 * parentheses only where precedence or associativity needs them. */
#include "promql/promql.h"
#include <string.h>

const char *pq_op_name(enum pq_op op)
{
	static const char *const names[] = {
		[PQ_OP_NONE] = "?", [PQ_ADD] = "+", [PQ_SUB] = "-", [PQ_MUL] = "*", [PQ_DIV] = "/",
		[PQ_MOD] = "%", [PQ_POW] = "^", [PQ_ATAN2] = "atan2", [PQ_EQL] = "==", [PQ_NEQ] = "!=",
		[PQ_GTR] = ">", [PQ_LSS] = "<", [PQ_GTE] = ">=", [PQ_LTE] = "<=", [PQ_AND] = "and",
		[PQ_OR] = "or", [PQ_UNLESS] = "unless",
	};
	return names[op];
}

/* Binding strength, doubled so unary minus fits between * and ^. */
enum { BIND_OR = 2, BIND_AND = 4, BIND_CMP = 6, BIND_ADD = 8, BIND_MUL = 10, BIND_UNARY = 11, BIND_POW = 12, BIND_PRIMARY = 100 };

static int op_binding(enum pq_op op)
{
	switch (op) {
	case PQ_OR: return BIND_OR;
	case PQ_AND: case PQ_UNLESS: return BIND_AND;
	case PQ_ADD: case PQ_SUB: return BIND_ADD;
	case PQ_MUL: case PQ_DIV: case PQ_MOD: case PQ_ATAN2: return BIND_MUL;
	case PQ_POW: return BIND_POW;
	default: return BIND_CMP;
	}
}

static int binding(const struct pq_node *n)
{
	if (n->kind == PQ_BINARY)
		return op_binding(n->bin.op);
	if (n->kind == PQ_UNARY)
		return BIND_UNARY;
	return BIND_PRIMARY;
}

/* The length of the valid UTF-8 sequence at s, 0 if it is not one. */
static int utf8_length(const unsigned char *s)
{
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void print_string(struct strbuf *out, const char *s)
{
	sb_putc(out, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80) {
			/* UTF-8 passes through; other bytes (from \x or octal escapes)
			 * are escaped, so the output stays UTF-8 (and JSON) */
			int n = utf8_length((const unsigned char *)s);
			if (n) {
				sb_putn(out, s, (size_t)n);
				s += n - 1;
			} else {
				sb_printf(out, "\\x%02x", c);
			}
			continue;
		}
		if (c == '"' || c == '\\')
			sb_printf(out, "\\%c", c);
		else if (c == '\n')
			sb_puts(out, "\\n");
		else if (c == '\t')
			sb_puts(out, "\\t");
		else if (c == '\r')
			sb_puts(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			sb_printf(out, "\\x%02x", c);
		else
			sb_putc(out, (char)c);
	}
	sb_putc(out, '"');
}

static void print_labels(struct strbuf *out, const struct pq_labels *l)
{
	sb_putc(out, '(');
	for (int i = 0; i < l->n; i++)
		sb_printf(out, "%s%s", i ? ", " : "", l->v[i]);
	sb_putc(out, ')');
}

static void print_time_mods(struct strbuf *out, const struct pq_time_mods *tm)
{
	if (tm->offset)
		sb_printf(out, " offset %s%s", tm->offset_negative ? "-" : "", tm->offset);
	if (tm->at)
		sb_printf(out, " @ %s", tm->at);
}

static void print_selector(struct strbuf *out, const struct pq_node *n)
{
	static const char *const ops[] = { "=", "!=", "=~", "!~" };
	if (n->sel.name)
		sb_puts(out, n->sel.name);
	if (n->sel.nmatchers || !n->sel.name) {
		sb_putc(out, '{');
		for (int i = 0; i < n->sel.nmatchers; i++) {
			const struct pq_matcher *m = &n->sel.matchers[i];
			sb_printf(out, "%s%s%s", i ? ", " : "", m->label, ops[m->op]);
			print_string(out, m->value);
		}
		sb_putc(out, '}');
	}
	if (n->sel.range)
		sb_printf(out, "[%s]", n->sel.range);
	print_time_mods(out, &n->sel.tm);
}

static void print_node(struct strbuf *out, const struct pq_node *n);

static void print_wrapped(struct strbuf *out, const struct pq_node *n, int paren)
{
	if (paren)
		sb_putc(out, '(');
	print_node(out, n);
	if (paren)
		sb_putc(out, ')');
}

static void print_args(struct strbuf *out, struct pq_node *const *args, int n)
{
	sb_putc(out, '(');
	for (int i = 0; i < n; i++) {
		if (i)
			sb_puts(out, ", ");
		print_node(out, args[i]);
	}
	sb_putc(out, ')');
}

void pq_print_operator(struct strbuf *out, const struct pq_node *n)
{
	sb_puts(out, pq_op_name(n->bin.op));
	if (n->bin.return_bool)
		sb_puts(out, " bool");
	if (n->bin.matching) {
		sb_puts(out, n->bin.matching == 1 ? " on " : " ignoring ");
		print_labels(out, &n->bin.match_labels);
	}
	if (n->bin.card != PQ_CARD_NONE) {
		sb_puts(out, n->bin.card == PQ_CARD_GROUP_LEFT ? " group_left" : " group_right");
		if (n->bin.include.n) {
			sb_putc(out, ' ');
			print_labels(out, &n->bin.include);
		}
	}
}

static void print_binary(struct strbuf *out, const struct pq_node *n)
{
	int b = op_binding(n->bin.op), right_assoc = n->bin.op == PQ_POW;
	int lb = binding(n->bin.lhs), rb = binding(n->bin.rhs);
	print_wrapped(out, n->bin.lhs, lb < b || (lb == b && right_assoc));
	sb_putc(out, ' ');
	pq_print_operator(out, n);
	struct strbuf rhs = { 0 };
	/* a unary minus on the right binds as it reads: a ^ -b, a * -b */
	print_wrapped(&rhs, n->bin.rhs, n->bin.rhs->kind != PQ_UNARY && (rb < b || (rb == b && !right_assoc)));
	/* "(" right after group_left would be read as its label list */
	if (n->bin.card != PQ_CARD_NONE && !n->bin.include.n && rhs.s[0] == '(')
		sb_puts(out, " ()");
	sb_putc(out, ' ');
	sb_puts(out, rhs.s);
	sb_free(&rhs);
}

static void print_node(struct strbuf *out, const struct pq_node *n)
{
	switch (n->kind) {
	case PQ_NUMBER:
		sb_puts(out, n->number.text);
		break;
	case PQ_STRING_LIT:
		print_string(out, n->string.value);
		break;
	case PQ_SELECTOR:
		print_selector(out, n);
		break;
	case PQ_SUBQUERY: {
		const struct pq_node *e = n->subq.expr;
		/* operators need parentheses; "x offset 5m[1h:]" is read as written */
		print_wrapped(out, e, binding(e) != BIND_PRIMARY);
		sb_printf(out, "[%s:%s]", n->subq.range, n->subq.step ? n->subq.step : "");
		print_time_mods(out, &n->subq.tm);
		break;
	}
	case PQ_CALL:
		sb_puts(out, n->call.fn->name);
		print_args(out, n->call.args, n->call.nargs);
		break;
	case PQ_AGGREGATE: {
		sb_puts(out, n->agg.op);
		if (n->agg.grouping != PQ_GROUP_NONE) {
			sb_puts(out, n->agg.grouping == PQ_GROUP_BY ? " by " : " without ");
			print_labels(out, &n->agg.labels);
			sb_putc(out, ' ');
		}
		struct pq_node *args[2] = { n->agg.param, n->agg.expr };
		print_args(out, n->agg.param ? args : args + 1, n->agg.param ? 2 : 1);
		break;
	}
	case PQ_UNARY:
		sb_puts(out, n->unary.op == PQ_SUB ? "-" : "+");
		/* "- -x" rather than "--x", which reads as a typo, or "-(-x)", which
		 * would nest deeper than what was read (PQ_MAX_DEPTH) */
		if (n->unary.expr->kind == PQ_UNARY)
			sb_putc(out, ' ');
		print_wrapped(out, n->unary.expr, binding(n->unary.expr) < BIND_POW && n->unary.expr->kind != PQ_UNARY);
		break;
	case PQ_BINARY:
		print_binary(out, n);
		break;
	}
}

void pq_print(struct strbuf *out, const struct pq_node *n)
{
	print_node(out, n);
}
