/* PromQL parser: recursive descent with precedence climbing for the binary
 * operators (Prometheus 2.x: ^ right-associative above * / % atan2, then
 * + -, comparisons, and/unless, or). The tree is then type-checked (check.c). */
#include "promql/lexer.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct parser {
	struct arena *arena;
	struct pq_token *toks;
	int pos;
	int depth;
	struct pq_error *err;
	int failed;
};

static struct pq_token *peek(struct parser *p) { return &p->toks[p->pos]; }
static struct pq_token *peek2(struct parser *p) { return p->toks[p->pos].kind == T_EOF ? &p->toks[p->pos] : &p->toks[p->pos + 1]; }
static struct pq_token *next(struct parser *p) { struct pq_token *t = &p->toks[p->pos]; if (t->kind != T_EOF) p->pos++; return t; }
static struct span prev_span(struct parser *p) { return p->toks[p->pos > 0 ? p->pos - 1 : 0].sp; }

static void *fail(struct parser *p, struct span sp, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *fail(struct parser *p, struct span sp, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
		va_end(ap);
		p->err->sp = sp;
		p->failed = 1;
	}
	return NULL;
}

static void *unexpected(struct parser *p, const char *where, const char *wanted)
{
	char buf[96];
	struct pq_token *t = peek(p);
	const char *what = pq_tok_describe(t, buf, sizeof(buf));
	if (wanted)
		return fail(p, t->sp, "unexpected %s in %s, expected %s", what, where, wanted);
	return fail(p, t->sp, "unexpected %s in %s", what, where);
}

static int is_kw(const struct pq_token *t, const char *kw)
{
	return t->kind == T_IDENT && (int)strlen(kw) == t->len && !strncasecmp(t->text, kw, (size_t)t->len);
}

static const char *const aggregators[] = {
	"sum", "avg", "count", "min", "max", "group", "stddev", "stdvar",
	"topk", "bottomk", "quantile", "count_values",
};

static const char *aggregator(const struct pq_token *t)
{
	for (size_t i = 0; i < ARRAY_SIZE(aggregators); i++)
		if (is_kw(t, aggregators[i]))
			return aggregators[i];
	return NULL;
}

/* Words that cannot name a metric where an expression starts. Prometheus's
 * grammar lets by, without, offset, and, or, unless (and the aggregators)
 * name one there: `x and and` compares with a metric called "and". */
static int is_reserved(const struct pq_token *t)
{
	static const char *const words[] = {
		"on", "ignoring", "group_left", "group_right", "bool", "atan2",
	};
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (is_kw(t, words[i]))
			return 1;
	return 0;
}

static char *tok_str(struct parser *p, const struct pq_token *t)
{
	return arena_strndup(p->arena, t->text, (size_t)t->len);
}

static struct pq_node *new_node(struct parser *p, enum pq_kind kind, struct span sp, int height)
{
	if (height > PQ_MAX_DEPTH)
		return fail(p, sp, "expression nests too deeply (more than %d levels)", PQ_MAX_DEPTH);
	struct pq_node *n = arena_alloc(p->arena, sizeof(*n));
	n->kind = kind;
	n->sp = sp;
	n->height = height;
	return n;
}

static int max2(int a, int b) { return a > b ? a : b; }

static struct pq_node *parse_expr(struct parser *p, int min_prec);

static int expect(struct parser *p, enum pq_tok kind, const char *where, const char *wanted)
{
	if (peek(p)->kind != kind) {
		unexpected(p, where, wanted);
		return -1;
	}
	next(p);
	return 0;
}

static int valid_label_name(const struct pq_token *t)
{
	return t->kind == T_IDENT && !memchr(t->text, ':', (size_t)t->len);
}

/* ( label, … ) with an optional trailing comma, as by/without/on/ignoring/group_* take. */
static int parse_label_list(struct parser *p, struct pq_labels *out, const char *where)
{
	if (expect(p, T_LPAREN, where, "\"(\""))
		return -1;
	VEC(const char *) labels = { 0 };
	while (peek(p)->kind != T_RPAREN) {
		if (!valid_label_name(peek(p))) {
			free(labels.v);
			unexpected(p, where, "label");
			return -1;
		}
		VEC_PUSH(labels, tok_str(p, next(p)));
		if (peek(p)->kind == T_COMMA)
			next(p);
		else if (peek(p)->kind != T_RPAREN) {
			free(labels.v);
			unexpected(p, where, "\",\" or \")\"");
			return -1;
		}
	}
	next(p);
	out->n = labels.n;
	out->v = arena_alloc(p->arena, sizeof(*out->v) * (size_t)(labels.n ? labels.n : 1));
	if (labels.n)
		memcpy(out->v, labels.v, sizeof(*out->v) * (size_t)labels.n);
	free(labels.v);
	return 0;
}

/* { label op "value", … } */
static int parse_matchers(struct parser *p, struct pq_node *sel)
{
	VEC(struct pq_matcher) ms = { 0 };
	next(p);	/* { */
	while (peek(p)->kind != T_RBRACE) {
		struct pq_token *name = peek(p);
		if (!valid_label_name(name)) {
			unexpected(p, "label matching", "label name");
			goto fail;
		}
		next(p);
		struct pq_matcher m = { .label = tok_str(p, name), .sp = name->sp };
		struct pq_token *op = next(p);
		if (op->kind == T_ASSIGN)
			m.op = PQ_MATCH_EQ;
		else if (op->kind == T_OP && op->op == PQ_NEQ)
			m.op = PQ_MATCH_NE;
		else if (op->kind == T_EQL_REGEX)
			m.op = PQ_MATCH_RE;
		else if (op->kind == T_NEQ_REGEX)
			m.op = PQ_MATCH_NRE;
		else {
			p->pos--;
			unexpected(p, "label matching", "one of \"=\", \"!=\", \"=~\" or \"!~\"");
			goto fail;
		}
		if (peek(p)->kind != T_STRING) {
			unexpected(p, "label matching", "string");
			goto fail;
		}
		struct pq_token *val = next(p);
		m.value = val->value;
		m.sp = span_join(m.sp, val->sp);
		VEC_PUSH(ms, m);
		if (peek(p)->kind == T_COMMA)
			next(p);
		else if (peek(p)->kind != T_RBRACE) {
			unexpected(p, "label matching", "\",\" or \"}\"");
			goto fail;
		}
	}
	next(p);
	sel->sel.nmatchers = ms.n;
	sel->sel.matchers = arena_alloc(p->arena, sizeof(struct pq_matcher) * (size_t)(ms.n ? ms.n : 1));
	if (ms.n)
		memcpy(sel->sel.matchers, ms.v, sizeof(struct pq_matcher) * (size_t)ms.n);
	free(ms.v);
	return 0;
fail:
	free(ms.v);
	return -1;
}

static struct pq_node *parse_selector(struct parser *p)
{
	struct pq_token *first = peek(p);
	struct pq_node *n = new_node(p, PQ_SELECTOR, first->sp, 1);
	if (first->kind == T_IDENT)
		n->sel.name = tok_str(p, next(p));
	if (peek(p)->kind == T_LBRACE && parse_matchers(p, n))
		return NULL;
	n->sp = span_join(first->sp, prev_span(p));
	return n;
}

/* ( expr, … ) after a function's or aggregation's name. */
static int parse_args(struct parser *p, struct pq_node ***args, int *nargs, int *height, const char *where)
{
	if (expect(p, T_LPAREN, where, "\"(\""))
		return -1;
	VEC(struct pq_node *) v = { 0 };
	*height = 0;
	while (peek(p)->kind != T_RPAREN) {
		struct pq_node *a = parse_expr(p, 0);
		if (!a)
			goto fail;
		VEC_PUSH(v, a);
		*height = max2(*height, a->height);
		if (peek(p)->kind == T_COMMA) {
			next(p);
			if (peek(p)->kind == T_RPAREN) {
				unexpected(p, where, "expression");
				goto fail;
			}
		} else if (peek(p)->kind != T_RPAREN) {
			unexpected(p, where, "\",\" or \")\"");
			goto fail;
		}
	}
	next(p);
	*nargs = v.n;
	*args = arena_alloc(p->arena, sizeof(**args) * (size_t)(v.n ? v.n : 1));
	if (v.n)
		memcpy(*args, v.v, sizeof(**args) * (size_t)v.n);
	free(v.v);
	return 0;
fail:
	free(v.v);
	return -1;
}

static int parse_grouping(struct parser *p, struct pq_node *n)
{
	n->agg.grouping = is_kw(next(p), "by") ? PQ_GROUP_BY : PQ_GROUP_WITHOUT;
	return parse_label_list(p, &n->agg.labels, "grouping");
}

static int is_grouping(const struct pq_token *t)
{
	return is_kw(t, "by") || is_kw(t, "without");
}

static struct pq_node *parse_aggregate(struct parser *p, const char *op)
{
	struct pq_token *first = next(p);
	struct pq_node *n = new_node(p, PQ_AGGREGATE, first->sp, 1);
	n->agg.op = op;
	int before = is_grouping(peek(p));
	if (before && parse_grouping(p, n))
		return NULL;
	struct pq_node **args;
	int nargs, height;
	if (parse_args(p, &args, &nargs, &height, "aggregation"))
		return NULL;
	struct span args_sp = span_join(first->sp, prev_span(p));
	if (!before && is_grouping(peek(p)) && parse_grouping(p, n))
		return NULL;
	if (is_grouping(peek(p)))
		return unexpected(p, "aggregation", NULL);
	int want = !strcmp(op, "topk") || !strcmp(op, "bottomk") || !strcmp(op, "quantile") || !strcmp(op, "count_values") ? 2 : 1;
	if (nargs == 0)
		return fail(p, args_sp, "no arguments for aggregate expression provided");
	if (nargs != want)
		return fail(p, args_sp, "wrong number of arguments for aggregate expression provided, expected %d, got %d", want, nargs);
	n->agg.param = want == 2 ? args[0] : NULL;
	n->agg.expr = args[want - 1];
	n->sp = span_join(first->sp, prev_span(p));
	if (height + 1 > PQ_MAX_DEPTH)
		return fail(p, n->sp, "expression nests too deeply (more than %d levels)", PQ_MAX_DEPTH);
	n->height = height + 1;
	return n;
}

static struct pq_node *parse_call(struct parser *p)
{
	struct pq_token *name = next(p);
	char *fname = tok_str(p, name);
	const struct pq_function *fn = pq_function_find(fname);
	if (!fn)
		return fail(p, name->sp, "unknown function with name \"%s\"", fname);
	struct pq_node *n = new_node(p, PQ_CALL, name->sp, 1);
	int height;
	if (parse_args(p, &n->call.args, &n->call.nargs, &height, "function call"))
		return NULL;
	n->call.fn = fn;
	n->sp = span_join(name->sp, prev_span(p));
	if (height + 1 > PQ_MAX_DEPTH)
		return fail(p, n->sp, "expression nests too deeply (more than %d levels)", PQ_MAX_DEPTH);
	n->height = height + 1;
	return n;
}

/* A number, string, selector, call, aggregation or parenthesised expression.
 * *paren says which: ranges and offsets do not apply through parentheses. */
static struct pq_node *parse_primary(struct parser *p, int *paren)
{
	struct pq_token *t = peek(p);
	*paren = 0;
	switch (t->kind) {
	case T_NUMBER: {
		struct pq_node *n = new_node(p, PQ_NUMBER, t->sp, 1);
		n->number.text = tok_str(p, next(p));
		return n;
	}
	case T_STRING: {
		struct pq_node *n = new_node(p, PQ_STRING_LIT, t->sp, 1);
		n->string.value = next(p)->value;
		return n;
	}
	case T_LPAREN: {
		next(p);
		struct pq_node *n = parse_expr(p, 0);
		if (!n)
			return NULL;
		if (peek(p)->kind != T_RPAREN)
			return peek(p)->kind == T_EOF ? fail(p, t->sp, "unclosed left parenthesis")
						      : unexpected(p, "parenthesised expression", "\")\"");
		next(p);
		*paren = 1;
		return n;
	}
	case T_LBRACE:
		return parse_selector(p);
	case T_IDENT: {
		const char *agg = aggregator(t);
		struct pq_token *after = peek2(p);
		if (agg && (after->kind == T_LPAREN || is_grouping(after)))
			return parse_aggregate(p, agg);
		if (after->kind == T_LPAREN)
			return parse_call(p);
		if (is_reserved(t))
			return unexpected(p, "expression", NULL);
		return parse_selector(p);
	}
	case T_RPAREN:
		return fail(p, t->sp, "unexpected right parenthesis \")\"");
	default:
		return unexpected(p, "expression", NULL);
	}
}

static const char *duration(struct parser *p, const char *where)
{
	if (peek(p)->kind != T_DURATION)
		return unexpected(p, where, "duration");
	struct pq_token *t = next(p);
	if (!strpbrk(tok_str(p, t), "123456789"))
		return fail(p, t->sp, "duration must be greater than 0");
	return tok_str(p, t);
}


/* [range] or [range:step] after an operand. */
static struct pq_node *parse_brackets(struct parser *p, struct pq_node *n, int paren)
{
	struct span open = next(p)->sp;
	const char *range = duration(p, "range");
	if (!range)
		return NULL;
	if (peek(p)->kind == T_RBRACKET) {
		next(p);
		struct span sp = span_join(n->sp, prev_span(p));
		if (n->kind != PQ_SELECTOR || paren || n->sel.range)
			return fail(p, span_join(open, prev_span(p)), "ranges only allowed for vector selectors");
		if (n->sel.tm.offset)
			return fail(p, sp, "no offset modifiers allowed before range");
		if (n->sel.tm.at)
			return fail(p, sp, "no @ modifiers allowed before range");
		n->sel.range = range;
		n->sp = sp;
		return n;
	}
	if (peek(p)->kind != T_COLON)
		return unexpected(p, "range", "\":\" or \"]\"");
	next(p);
	const char *step = NULL;
	if (peek(p)->kind != T_RBRACKET && !(step = duration(p, "subquery")))
		return NULL;
	if (expect(p, T_RBRACKET, "subquery", "\"]\""))
		return NULL;
	struct pq_node *s = new_node(p, PQ_SUBQUERY, span_join(n->sp, prev_span(p)), n->height + 1);
	if (!s)
		return NULL;
	s->subq.expr = n;
	s->subq.range = range;
	s->subq.step = step;
	return s;
}

static struct pq_time_mods *time_mods(struct parser *p, struct pq_node *n, int paren, const char *what)
{
	if (!paren && n->kind == PQ_SELECTOR)
		return &n->sel.tm;
	if (!paren && n->kind == PQ_SUBQUERY)
		return &n->subq.tm;
	return fail(p, span_join(n->sp, prev_span(p)), "%s modifier must be preceded by an instant vector selector or range vector selector or a subquery", what);
}

static struct pq_node *parse_offset(struct parser *p, struct pq_node *n, int paren)
{
	next(p);
	int negative = 0;
	if (peek(p)->kind == T_OP && peek(p)->op == PQ_SUB) {	/* "offset +5m" is refused, as by Prometheus */
		next(p);
		negative = 1;
	}
	const char *d = duration(p, "offset");
	if (!d)
		return NULL;
	struct pq_time_mods *tm = time_mods(p, n, paren, "offset");
	if (!tm)
		return NULL;
	if (tm->offset)
		return fail(p, span_join(n->sp, prev_span(p)), "offset may not be set multiple times");
	tm->offset = d;
	tm->offset_negative = negative;
	n->sp = span_join(n->sp, prev_span(p));
	return n;
}

static struct pq_node *parse_at(struct parser *p, struct pq_node *n, int paren)
{
	struct span at_sp = next(p)->sp;
	const char *at;
	struct pq_token *t = peek(p);
	if ((is_kw(t, "start") || is_kw(t, "end")) && peek2(p)->kind == T_LPAREN) {
		at = is_kw(t, "start") ? "start()" : "end()";
		next(p);
		next(p);
		if (expect(p, T_RPAREN, "@ modifier", "\")\""))
			return NULL;
	} else {
		const char *sign = "";
		if (t->kind == T_OP && (t->op == PQ_SUB || t->op == PQ_ADD))
			sign = next(p)->op == PQ_SUB ? "-" : "";
		if (peek(p)->kind != T_NUMBER)
			return unexpected(p, "@ modifier", "timestamp, start() or end()");
		struct pq_token *num = next(p);
		char c = (char)(num->text[0] | 0x20);
		if (c == 'i' || c == 'n')	/* Inf, NaN */
			return fail(p, span_join(at_sp, num->sp), "timestamp out of bounds for @ modifier");
		struct strbuf sb = { 0 };
		sb_printf(&sb, "%s%.*s", sign, num->len, num->text);
		/* Prometheus keeps it as int64 milliseconds */
		double v = strtod(sb.s, NULL);
		if (v * 1000 >= 9.2233720368547758e18 || v * 1000 <= -9.2233720368547758e18) {
			sb_free(&sb);
			return fail(p, span_join(at_sp, num->sp), "timestamp out of bounds for @ modifier");
		}
		at = arena_strndup(p->arena, sb.s, sb.len);
		sb_free(&sb);
	}
	struct pq_time_mods *tm = time_mods(p, n, paren, "@");
	if (!tm)
		return NULL;
	if (tm->at)
		return fail(p, span_join(n->sp, prev_span(p)), "@ <timestamp> may not be set multiple times");
	tm->at = at;
	n->sp = span_join(n->sp, prev_span(p));
	return n;
}

/* An operand with what may follow it: [range], [range:step], offset, @. */
static struct pq_node *parse_postfix(struct parser *p)
{
	int paren;
	struct pq_node *n = parse_primary(p, &paren);
	while (n) {
		struct pq_token *t = peek(p);
		if (t->kind == T_LBRACKET)
			n = parse_brackets(p, n, paren);
		else if (is_kw(t, "offset"))
			n = parse_offset(p, n, paren);
		else if (t->kind == T_AT)
			n = parse_at(p, n, paren);
		else
			break;
		paren = 0;
	}
	return n;
}

enum { PREC_OR = 1, PREC_AND, PREC_CMP, PREC_ADD, PREC_MUL, PREC_POW };

static int precedence(enum pq_op op)
{
	switch (op) {
	case PQ_OR: return PREC_OR;
	case PQ_AND: case PQ_UNLESS: return PREC_AND;
	case PQ_EQL: case PQ_NEQ: case PQ_GTR: case PQ_LSS: case PQ_GTE: case PQ_LTE: return PREC_CMP;
	case PQ_ADD: case PQ_SUB: return PREC_ADD;
	case PQ_MUL: case PQ_DIV: case PQ_MOD: case PQ_ATAN2: return PREC_MUL;
	case PQ_POW: return PREC_POW;
	default: return 0;
	}
}

static enum pq_op binary_op(const struct pq_token *t)
{
	if (t->kind == T_OP)
		return t->op;
	if (is_kw(t, "and")) return PQ_AND;
	if (is_kw(t, "or")) return PQ_OR;
	if (is_kw(t, "unless")) return PQ_UNLESS;
	if (is_kw(t, "atan2")) return PQ_ATAN2;
	return PQ_OP_NONE;
}

static struct pq_node *parse_unary(struct parser *p)
{
	if (++p->depth > PQ_MAX_DEPTH)
		return fail(p, peek(p)->sp, "expression nests too deeply (more than %d levels)", PQ_MAX_DEPTH);
	struct pq_token *t = peek(p);
	struct pq_node *n;
	if (t->kind == T_OP && (t->op == PQ_ADD || t->op == PQ_SUB)) {
		next(p);
		/* binds looser than ^ only: -a^b is -(a^b), -a*b is (-a)*b */
		struct pq_node *e = parse_expr(p, PREC_POW);
		n = e ? new_node(p, PQ_UNARY, span_join(t->sp, e->sp), e->height + 1) : NULL;
		if (n) {
			n->unary.op = t->op;
			n->unary.expr = e;
		}
	} else {
		n = parse_postfix(p);
	}
	p->depth--;
	return n;
}

/* bool, on/ignoring (labels), group_left/group_right [(labels)] after an operator. */
static int parse_bin_modifiers(struct parser *p, struct pq_node *n)
{
	if (is_kw(peek(p), "bool")) {
		next(p);
		n->bin.return_bool = 1;
	}
	int on = is_kw(peek(p), "on");
	if (on || is_kw(peek(p), "ignoring")) {
		next(p);
		n->bin.matching = on ? 1 : 2;
		if (parse_label_list(p, &n->bin.match_labels, on ? "on" : "ignoring"))
			return -1;
		int left = is_kw(peek(p), "group_left");
		if (left || is_kw(peek(p), "group_right")) {
			next(p);
			n->bin.card = left ? PQ_CARD_GROUP_LEFT : PQ_CARD_GROUP_RIGHT;
			/* "(" right after group_x is always its label list, as in Prometheus */
			if (peek(p)->kind == T_LPAREN &&
			    parse_label_list(p, &n->bin.include, left ? "group_left" : "group_right"))
				return -1;
		}
	} else if (is_kw(peek(p), "group_left") || is_kw(peek(p), "group_right")) {
		unexpected(p, "binary expression", "\"on\" or \"ignoring\" before it");
		return -1;
	}
	return 0;
}

static struct pq_node *parse_expr(struct parser *p, int min_prec)
{
	struct pq_node *lhs = parse_unary(p);
	while (lhs) {
		struct pq_token *t = peek(p);
		enum pq_op op = binary_op(t);
		int prec = precedence(op);
		if (!prec || prec < min_prec)
			break;
		next(p);
		struct pq_node *n = new_node(p, PQ_BINARY, lhs->sp, 1);
		if (!n || parse_bin_modifiers(p, n))
			return NULL;
		n->bin.op = op;
		n->bin.op_sp = t->sp;
		n->bin.lhs = lhs;
		if (++p->depth > PQ_MAX_DEPTH)
			return fail(p, t->sp, "expression nests too deeply (more than %d levels)", PQ_MAX_DEPTH);
		n->bin.rhs = parse_expr(p, op == PQ_POW ? prec : prec + 1);
		p->depth--;
		if (!n->bin.rhs)
			return NULL;
		n->sp = span_join(lhs->sp, n->bin.rhs->sp);
		n->height = max2(lhs->height, n->bin.rhs->height) + 1;
		if (n->height > PQ_MAX_DEPTH)
			return fail(p, n->sp, "expression nests too deeply (more than %d levels)", PQ_MAX_DEPTH);
		lhs = n;
	}
	return lhs;
}

struct pq_node *pq_parse(struct arena *arena, const char *text, struct pq_error *err)
{
	struct pq_tokens toks = { 0 };
	struct pq_node *root = NULL;
	if (pq_lex(arena, text, &toks, err))
		goto out;
	struct parser p = { arena, toks.v, 0, 0, err, 0 };
	if (toks.v[0].kind == T_EOF) {
		fail(&p, toks.v[0].sp, "no expression found in input");
		goto out;
	}
	root = parse_expr(&p, 0);
	if (root && peek(&p)->kind != T_EOF) {
		if (peek(&p)->kind == T_RPAREN)
			fail(&p, peek(&p)->sp, "unexpected right parenthesis \")\"");
		else
			unexpected(&p, "expression", "an operator or end of input");
		root = NULL;
	}
	if (root && pq_check(root, err))
		root = NULL;
out:
	free(toks.v);
	return root;
}
