/* The syntax tree: one node type, kinds below, lists through `next`. */
#ifndef SONDE_AST_H
#define SONDE_AST_H
#include <stdint.h>
#include "diag.h"
#include "lexer.h"
#include "../util/util.h"

enum node_kind {
	N_INT, N_STR, N_BUILTIN, N_VAR, N_MAP, N_POSPARAM, N_POSCOUNT, N_CALL,
	N_BINOP, N_UNOP, N_DEREF, N_TERNARY, N_FIELD, N_TUPLE_ELEM, N_INDEX, N_TUPLE, N_CAST,
	N_ASSIGN, N_INCDEC, N_IF, N_WHILE, N_UNROLL, N_RETURN, N_BREAK, N_CONTINUE, N_BLOCK, N_EXPR_STMT,
	N_PROBE, N_PROGRAM,
	N_MACRO,	/* macro NAME(params) { body }: name, list the parameters, b the body; in N_PROGRAM's c */
	N_CTYPE,	/* a C type definition or a member of one (lang/ctypes.h); in N_PROGRAM's pred */
	N_IMPORT,	/* import "str"; (lang/imports.c) */
	N_BLOCK_EXPR,	/* { stmts; expr } as a value: b the statements (an N_BLOCK), a the value */
	N_FOR_MAP,	/* for ($kv : @m) { body }: a the variable, b the map, c the body (sema/formap.c) */
};

struct type;
struct mapinfo;

struct attach_point {
	char *raw;		/* as written, quotes removed */
	struct span span;
	struct attach_point *next;
};

struct node {
	enum node_kind kind;
	struct span span;
	struct node *next;	/* sibling in a list (args, statements, probes) */

	enum tok op;		/* N_BINOP, N_UNOP, N_ASSIGN (T_ASSIGN or compound), N_INCDEC */
	int prefix;		/* N_INCDEC: ++x rather than x++ */
	int discard;		/* N_EXPR_STMT: `_ = e`, the value dropped on purpose (no warning) */
	int declare_only;	/* N_ASSIGN of `let $x;`: zero now, the type from the first real assignment */
	int arrow;		/* N_FIELD: -> rather than . */
	uint64_t ival;		/* N_INT, N_POSPARAM, N_TUPLE_ELEM index, N_UNROLL count */
	char *name;		/* N_BUILTIN, N_VAR, N_MAP, N_CALL, N_FIELD, N_CAST type text */
	char *str;		/* N_STR bytes */
	int str_len;
	int cast_ptr;		/* N_CAST: pointer depth, `(struct T *)` = 1 */
	int hidden_args;	/* N_CALL printf: trailing arguments the format leaves out (--label-cgroup) */
	char **fnames;		/* N_TUPLE of a record, (a=1, b="x"): its field names */

	struct node *a, *b, *c;	/* operands / cond, then, else / lhs, rhs */
	struct node *list;	/* N_CALL args, N_MAP keys, N_TUPLE items, N_BLOCK stmts, N_PROGRAM probes */

	/* N_PROBE */
	struct attach_point *attach;
	struct node *pred;	/* also reuses b for the body block */

	/* filled by sema */
	struct type *type;
	struct mapinfo *map;	/* N_MAP, and map-taking calls */
	int var_slot;		/* N_VAR: index into the probe's variables */
	int id;			/* printf/exit/... record ids, probe ids */
};

struct node *node_new(struct arena *a, enum node_kind kind, struct span sp);
int node_list_len(const struct node *n);
/* A deep copy of n and everything below it (not n's siblings), in arena a. */
struct node *node_clone(struct arena *a, const struct node *n);
/* Whether the tree uses the builtin `name` anywhere. */
int node_uses_builtin(const struct node *n, const char *name);
/* Dumps the tree as s-expressions (for -v and the parser's tests). */
void ast_dump(const struct node *n, struct strbuf *out);

#endif
