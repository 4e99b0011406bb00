/* PromQL (Prometheus 2.x query language): the tree, the parser, the printer
 * and the split of alert expressions into the sides they compare. */
#ifndef SONDE_PROMQL_H
#define SONDE_PROMQL_H
#include "lang/diag.h"
#include "util/util.h"

/* Deeper nesting is refused with an error: parser, checker, printer and split
 * all recurse over the tree, and no real alert comes near this. */
#define PQ_MAX_DEPTH 256

enum pq_type { PQ_SCALAR, PQ_VECTOR, PQ_MATRIX, PQ_STRING };

enum pq_kind {
	PQ_NUMBER,	/* text as written: 1e9, 0x1f, Inf */
	PQ_STRING_LIT,	/* value decoded */
	PQ_SELECTOR,	/* instant vector, or range vector when range is set */
	PQ_SUBQUERY,
	PQ_CALL,
	PQ_AGGREGATE,
	PQ_BINARY,
	PQ_UNARY,
};

/* Binary operators, by family; pq_op_precedence orders them. */
enum pq_op {
	PQ_OP_NONE,
	PQ_ADD, PQ_SUB, PQ_MUL, PQ_DIV, PQ_MOD, PQ_POW, PQ_ATAN2,
	PQ_EQL, PQ_NEQ, PQ_GTR, PQ_LSS, PQ_GTE, PQ_LTE,
	PQ_AND, PQ_OR, PQ_UNLESS,
};

enum pq_match_op { PQ_MATCH_EQ, PQ_MATCH_NE, PQ_MATCH_RE, PQ_MATCH_NRE };

struct pq_matcher {
	const char *label;
	enum pq_match_op op;
	const char *value;	/* decoded */
	struct span sp;
};

struct pq_labels {
	const char **v;
	int n;
};

/* offset and @, on selectors and subqueries */
struct pq_time_mods {
	const char *offset;	/* duration text, NULL when absent */
	int offset_negative;
	const char *at;		/* number text, "start()", "end()"; NULL when absent */
};

enum pq_grouping { PQ_GROUP_NONE, PQ_GROUP_BY, PQ_GROUP_WITHOUT };
enum pq_card { PQ_CARD_NONE, PQ_CARD_GROUP_LEFT, PQ_CARD_GROUP_RIGHT };

struct pq_node {
	enum pq_kind kind;
	struct span sp;		/* the whole expression */
	int height;		/* 1 for a leaf: bounds every walk's recursion */
	union {
		struct { const char *text; } number;
		struct { const char *value; } string;
		struct {
			const char *name;	/* NULL for {__name__=…}-only selectors */
			struct pq_matcher *matchers;
			int nmatchers;
			const char *range;	/* duration text: a range vector */
			struct pq_time_mods tm;
		} sel;
		struct {
			struct pq_node *expr;
			const char *range, *step;	/* step NULL: the default resolution */
			struct pq_time_mods tm;
		} subq;
		struct {
			const struct pq_function *fn;
			struct pq_node **args;
			int nargs;
		} call;
		struct {
			const char *op;		/* lower case: sum, topk … */
			struct pq_node *param;	/* topk/bottomk/quantile/count_values, else NULL */
			struct pq_node *expr;
			enum pq_grouping grouping;
			struct pq_labels labels;
		} agg;
		struct {
			enum pq_op op;
			int return_bool;
			int matching;		/* 0: none, 1: on(…), 2: ignoring(…) */
			struct pq_labels match_labels;
			enum pq_card card;
			struct pq_labels include;	/* group_left/group_right labels */
			struct pq_node *lhs, *rhs;
			struct span op_sp;
		} bin;
		struct {
			enum pq_op op;	/* PQ_ADD or PQ_SUB */
			struct pq_node *expr;
		} unary;
	};
};

struct pq_function {
	const char *name;
	enum pq_type args[5];	/* the declared arguments */
	int nargs;
	int variadic;		/* 0: exactly nargs; n > 0: nargs-1 to nargs-1+n; -1: nargs-1 or more */
	enum pq_type ret;
};

/* The first error found, with the place it points at. */
struct pq_error {
	struct span sp;
	char msg[256];
};

/* functions.c */
const struct pq_function *pq_function_find(const char *name);
const char *pq_type_name(enum pq_type t);

/* regex.c: whether Prometheus (RE2) would compile re; -1 with msg filled if not. */
int pq_regex_check(const char *re, char *msg, size_t n);

/* parser.c: the tree of text, allocated in arena, checked as Prometheus checks
 * it at parse time; NULL with *err filled on any error. */
struct pq_node *pq_parse(struct arena *arena, const char *text, struct pq_error *err);

/* check.c: Prometheus's parse-time type checks; 0 or -1 with *err filled. */
int pq_check(const struct pq_node *n, struct pq_error *err);
enum pq_type pq_node_type(const struct pq_node *n);

/* print.c: n as PromQL, with only the parentheses its meaning needs. */
void pq_print(struct strbuf *out, const struct pq_node *n);
const char *pq_op_name(enum pq_op op);
int pq_op_is_comparison(enum pq_op op);
int pq_op_is_set(enum pq_op op);
/* The operator with its bool and vector-matching modifiers: "> bool", "/ on (job) group_left". */
void pq_print_operator(struct strbuf *out, const struct pq_node *bin);

/* split.c: the pairs an alert expression compares. cmp and right are NULL
 * for a lone series (an and/or/unless operand that compares nothing). */
struct pq_pair {
	const struct pq_node *left, *right;
	const struct pq_node *cmp;	/* the comparison: its operator and modifiers */
};
struct pq_pairs {
	struct pq_pair *v;
	int n, cap;
};
void pq_split(const struct pq_node *root, struct pq_pairs *out);

#endif
