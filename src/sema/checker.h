/* Internal to sema/: the checker's state and the helpers its files share. */
#ifndef SONDE_CHECKER_H
#define SONDE_CHECKER_H
#include "sema.h"

struct checker {
	struct script *s;
	struct diag *d;
	int final;		/* last pass: report errors, create records */
	int guess_maps;		/* quiet pass 2: read a map not yet typed as int64 (@u = @u + 1) */
	struct probe_block *blk;
	int loop_depth;		/* while loops around the statement: break/continue need one */
	int dead_depth;		/* branches of an if whose condition is a constant that skips them: fail() is quiet there */
};

/* In the quiet passes errors are only counted; the last pass reports them. */
#define ERR(c, sp, ...) do { if ((c)->final) diag_error((c)->d, sp, __VA_ARGS__); else (c)->d->errors++; } while (0)

struct type *check_expr(struct checker *c, struct node *n);
int check_incdec(struct checker *c, struct node *n);

/* exprs.c, builtins.c, fields.c, stmts.c */
struct type *check_builtin(struct checker *c, struct node *n);
int chk_is_builtin_name(const char *name);
/* introspect.c: compile-time helpers (is_str, strcap, static_assert, fail…), folded into constants */
struct type *check_introspect(struct checker *c, struct node *n, int *done);
struct type *check_introspect_builtin(struct checker *c, struct node *n);
int chk_const_eval(const struct node *n, int64_t *v);
int chk_assign_var_type(struct checker *c, struct node *var, struct type *t);
/* stdlib.c: bpftrace 0.2x's library functions; *done = 0 when f is none of them */
struct type *check_stdlib(struct checker *c, struct node *n, int *done);
struct type *check_username(struct checker *c, struct node *n);
/* mapdecl.c: `let @m = hash(N)` at the top of the script; -1 after errors */
int sema_map_decls(struct script *s, struct diag *d);
struct type *check_field(struct checker *c, struct node *n);
struct type *check_cast(struct checker *c, struct node *n);
struct type *check_deref(struct checker *c, struct node *n);
int check_block(struct checker *c, struct node *blk);
int check_for_map(struct checker *c, struct node *n);	/* formap.c */
int check_cond(struct checker *c, struct node *e, const char *what);

/* check.c: helpers shared by the sema files */
struct arena *chk_arena(struct checker *c);
char *chk_type_name(struct checker *c, const struct type *t);	/* bpftrace's spelling, arena-owned */
int chk_is_int(const struct type *t);
struct type *chk_stored(struct checker *c, struct type *t);	/* as held in a map, variable or record */
/*
 * Asks the block's provider what NAME is here (struct ctx_query); 1 when it
 * answered, with *out the type (NULL after reporting its error), and the
 * value's place noted for codegen in n->ival; 0 when the provider does not know it.
 */
int chk_context(struct checker *c, struct node *n, enum ctx_ask ask, const char *name, const struct type *type,
		struct type **out);
struct record *chk_new_record(struct checker *c, enum rec_kind kind, struct node *n);
void chk_record_args(struct checker *c, struct record *r, struct type **types, int n);

/* maps.c: map typing and aggregations */
struct mapinfo *chk_get_map(struct checker *c, struct node *n);
int check_map_keys(struct checker *c, struct node *n, struct mapinfo *m);
int set_map_value(struct checker *c, struct node *site, struct mapinfo *m, struct type *t);
struct type *check_map_read(struct checker *c, struct node *n);
struct mapinfo *chk_whole_map(struct checker *c, struct node *call, struct node *arg);
enum type_kind chk_agg_kind(const struct node *n);
struct type *check_agg(struct checker *c, struct node *n, enum type_kind kind);

/* calls.c: functions */
int chk_nargs_ok(struct checker *c, struct node *n, int min, int max);
struct node *chk_arg(struct node *call, int i);
int chk_const_int(struct checker *c, struct node *n, int64_t *v, const char *what);
int chk_int_args(struct checker *c, struct node *call, int from, const char *fn);
struct type *check_call(struct checker *c, struct node *n);

/* stacks.c: kstack and ustack */
int chk_is_stack(const char *name);
/* namedtuple.c: records, (a=1, b="x") */
struct type *record_type(struct checker *c, struct node *tuple, struct type *t);
struct type *record_field(struct checker *c, struct node *field, struct type *t);
/* A record literal with the fields of `want` in another order takes want's layout (bpftrace does so); 1 if it did. */
int record_reorder(struct node *rhs, struct type *want, const struct type *have);
/* blockexpr.c */
struct type *check_block_expr(struct checker *c, struct node *n);
/* stdlib_more.c */
struct type *check_stdlib_more(struct checker *c, struct node *n, int *done);
int stdlib_printf_sink(struct checker *c, struct node *n);
struct type *check_array_cmp(struct checker *c, struct node *n, struct type *a, struct type *b);
struct type *pton_as_int(struct checker *c, struct node *cast);	/* folds the operand; its type */	/* enum printf_sink, -1 after an error */
struct type *check_stack_builtin(struct checker *c, struct node *n);
struct type *check_stack_call(struct checker *c, struct node *n);

#endif
