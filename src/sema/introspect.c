/*
 * bpftrace 0.2x's compile-time helpers: questions about types and the build
 * that sema answers with a constant (is_str, is_integer, strcap, has_cpid,
 * kfunc_exist, default_str_length…), and static_assert/fail, which stop the
 * compilation. A question becomes its constant, so codegen sees a literal;
 * static_assert and fail stay calls that codegen skips.
 */
#include "checker.h"
#include "btf.h"
#include "../lang/lexer.h"
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define CGROUP2_MAGIC 0x63677270	/* statfs() f_type of cgroup v2 */

static struct type *fold_bool(struct checker *c, struct node *n, int v)
{
	n->kind = N_BUILTIN;
	n->name = (char *)(v ? "true" : "false");
	n->list = NULL;
	return type_simple(chk_arena(c), TY_BOOL);
}

static struct type *fold_int(struct checker *c, struct node *n, int64_t v)
{
	n->kind = N_INT;
	n->ival = (uint64_t)v;
	n->list = NULL;
	return type_int(chk_arena(c), 8, v < 0);
}

/* The value of a constant expression (literals, true/false, operators over them); 0 when it is none. */
int chk_const_eval(const struct node *n, int64_t *v)
{
	int64_t a, b;
	switch (n->kind) {
	case N_INT:
		*v = (int64_t)n->ival;
		return 1;
	case N_CALL:	/* after sema: constants it worked out */
		if (strcmp(n->name, "sizeof") && strcmp(n->name, "offsetof"))
			return 0;
		*v = (int64_t)n->ival;
		return 1;
	case N_BUILTIN:
		if (!strcmp(n->name, "true") || !strcmp(n->name, "false")) {
			*v = n->name[0] == 't';
			return 1;
		}
		return 0;
	case N_UNOP:
		if (!chk_const_eval(n->a, &a))
			return 0;
		*v = n->op == T_MINUS ? -a : n->op == T_BANG ? !a : n->op == T_TILDE ? ~a : a;
		return n->op == T_MINUS || n->op == T_BANG || n->op == T_TILDE;
	case N_BINOP:
		if (!chk_const_eval(n->a, &a) || !chk_const_eval(n->b, &b))
			return 0;
		switch (n->op) {
		case T_PLUS: *v = (int64_t)((uint64_t)a + (uint64_t)b); return 1;
		case T_MINUS: *v = (int64_t)((uint64_t)a - (uint64_t)b); return 1;
		case T_STAR: *v = (int64_t)((uint64_t)a * (uint64_t)b); return 1;
		case T_SLASH: *v = b ? a / b : 0; return 1;
		case T_PERCENT: *v = b ? a % b : 0; return 1;
		case T_EQ: *v = a == b; return 1;
		case T_NE: *v = a != b; return 1;
		case T_LT: *v = a < b; return 1;
		case T_LE: *v = a <= b; return 1;
		case T_GT: *v = a > b; return 1;
		case T_GE: *v = a >= b; return 1;
		case T_ANDAND: *v = a && b; return 1;
		case T_AMP: *v = a & b; return 1;
		case T_PIPE: *v = a | b; return 1;
		case T_CARET: *v = a ^ b; return 1;
		case T_SHL: *v = b >= 0 && b < 64 ? (int64_t)((uint64_t)a << b) : 0; return 1;
		case T_SHR: *v = b >= 0 && b < 64 ? (int64_t)((uint64_t)a >> b) : 0; return 1;
		case T_OROR: *v = a || b; return 1;
		default: return 0;
		}
	default:
		return 0;
	}
}

/* is_str(e), is_integer(e)…: what the expression's type is; e is never run */
static struct type *check_is_kind(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	const char *f = n->name;
	int literal = n->list->kind == N_INT || n->list->kind == N_STR ||
		      (n->list->kind == N_BUILTIN && (!strcmp(n->list->name, "true") || !strcmp(n->list->name, "false")));
	struct type *t = check_expr(c, n->list);
	if (!t)
		return NULL;
	if (!strcmp(f, "is_literal"))
		return fold_bool(c, n, literal);
	if (!strcmp(f, "is_str"))
		return fold_bool(c, n, t->kind == TY_STR);
	if (!strcmp(f, "is_ptr"))
		return fold_bool(c, n, t->kind == TY_PTR);
	if (!strcmp(f, "is_array"))
		return fold_bool(c, n, t->kind == TY_ARRAY);
	if (!strcmp(f, "is_unsigned_integer"))
		return fold_bool(c, n, t->kind == TY_INT && !t->is_signed);
	return fold_bool(c, n, t->kind == TY_INT);	/* is_integer */
}

/* strcap(s): a string's or an array's capacity, without reading it */
static struct type *check_strcap(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	struct type *t = check_expr(c, n->list);
	if (!t)
		return NULL;
	if (t->kind == TY_STR)
		return fold_int(c, n, t->size);
	if (t->kind == TY_ARRAY)
		return fold_int(c, n, t->array_len);
	ERR(c, n->list->span, "strcap() takes a string or an array (%s supplied)", chk_type_name(c, t));
	return NULL;
}

static struct type *check_kfunc_exist(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	if (n->list->kind != N_STR) {
		ERR(c, n->list->span, "%s() takes the kernel function's name as a string literal", n->name);
		return NULL;
	}
	return fold_bool(c, n, kbtf_find_func(n->list->str) >= 0);
}

/* static_assert(cond, "msg"): cond known when compiling; false stops it with msg */
static struct type *check_static_assert(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 2, 2))
		return NULL;
	struct node *msg = n->list->next;
	if (msg->kind != N_STR) {
		ERR(c, msg->span, "static_assert()'s message is a string literal");
		return NULL;
	}
	if (!check_expr(c, n->list))
		return NULL;
	int64_t v;
	if (!chk_const_eval(n->list, &v)) {
		ERR(c, n->list->span, "static_assert() needs a condition known when compiling (literals, $1…, sizeof)");
		return NULL;
	}
	if (!v && !c->dead_depth) {
		ERR(c, n->span, "static_assert failed: %s", msg->str);
		return NULL;
	}
	return type_simple(chk_arena(c), TY_VOID);	/* nothing runs: codegen skips it */
}

/* fail("fmt", literals…): a compile error where it is reached (not inside an if whose condition is constant false) */
static struct type *check_fail(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 8))
		return NULL;
	if (n->list->kind != N_STR) {
		ERR(c, n->list->span, "fail()'s format is a string literal");
		return NULL;
	}
	char text[512];
	size_t k = 0;
	struct node *arg = n->list->next;
	for (const char *p = n->list->str; *p && k + 1 < sizeof(text); p++) {
		if (*p != '%' || p[1] == '%') {
			text[k++] = *p;
			p += *p == '%';
			continue;
		}
		const char *conv = p + 1;
		while (*conv && !strchr("dsuxl", *conv))
			conv++;
		while (*conv == 'l')
			conv++;
		if (!arg || (arg->kind != N_INT && arg->kind != N_STR && !check_expr(c, arg))) {
			ERR(c, arg ? arg->span : n->span, "fail()'s arguments are literals, one per conversion");
			return NULL;
		}
		if (arg->kind == N_STR)
			k += (size_t)snprintf(text + k, sizeof(text) - k, "%s", arg->str);
		else if (arg->kind == N_INT)
			k += (size_t)snprintf(text + k, sizeof(text) - k, *conv == 'u' || *conv == 'x' ? (*conv == 'x' ? "%llx" : "%llu") : "%lld",
					      (unsigned long long)arg->ival);
		else {
			ERR(c, arg->span, "fail()'s arguments are literals, one per conversion");
			return NULL;
		}
		k = k < sizeof(text) ? k : sizeof(text) - 1;
		arg = arg->next;
		p = *conv ? conv : conv - 1;
	}
	text[k] = 0;
	if (!c->dead_depth) {
		ERR(c, n->span, "%s", text);
		return NULL;
	}
	return type_simple(chk_arena(c), TY_VOID);	/* in a dead branch: codegen skips it */
}

/* cgroupid("/sys/fs/cgroup/x"): the cgroup v2 directory's id (its inode number), known when compiling */
static struct type *check_cgroupid(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	struct node *a = n->list;
	if (a->kind != N_STR) {
		ERR(c, a->span, "cgroupid() takes the cgroup's directory as a string literal");
		return NULL;
	}
	struct stat st;
	struct statfs fs;
	if (stat(a->str, &st) || !S_ISDIR(st.st_mode) || statfs(a->str, &fs) || fs.f_type != CGROUP2_MAGIC) {
		ERR(c, a->span, "cgroupid(): %s is not a cgroup v2 directory (they are under /sys/fs/cgroup)", a->str);
		return NULL;
	}
	return fold_int(c, n, (int64_t)st.st_ino);
}

/* kptr(p), uptr(p): the same value, read from kernel or user memory from now on */
static struct type *check_address_space(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	struct type *t = check_expr(c, n->list);
	if (!t)
		return NULL;
	if (t->kind != TY_PTR && t->kind != TY_INT) {
		ERR(c, n->list->span, "%s() takes a pointer or an address (%s supplied)", n->name, chk_type_name(c, t));
		return NULL;
	}
	struct type *marked = arena_alloc(chk_arena(c), sizeof(*marked));
	*marked = *t;
	int user = n->name[0] == 'u';
	if (t->kind == TY_PTR)
		marked->user_mem = user;
	else
		marked->user_addr = user;
	return marked;
}

struct type *check_introspect(struct checker *c, struct node *n, int *done)
{
	const char *f = n->name;
	*done = 1;
	static const char *const is_kinds[] = { "is_str", "is_integer", "is_unsigned_integer", "is_ptr", "is_array",
						 "is_literal" };
	for (size_t i = 0; i < ARRAY_SIZE(is_kinds); i++)
		if (!strcmp(f, is_kinds[i]))
			return check_is_kind(c, n);
	if (!strcmp(f, "strcap"))
		return check_strcap(c, n);
	if (!strcmp(f, "kfunc_exist"))
		return check_kfunc_exist(c, n);
	if (!strcmp(f, "cgroupid"))
		return check_cgroupid(c, n);
	if (!strcmp(f, "kptr") || !strcmp(f, "uptr"))
		return check_address_space(c, n);
	if (!strcmp(f, "static_assert"))
		return check_static_assert(c, n);
	if (!strcmp(f, "fail"))
		return check_fail(c, n);
	if ((!strcmp(f, "has_cpid") || !strcmp(f, "default_str_length")) && chk_nargs_ok(c, n, 0, 0))
		return check_introspect_builtin(c, n);
	*done = 0;
	return NULL;
}

/* has_cpid, default_str_length: also without parentheses; NULL when NAME is neither */
struct type *check_introspect_builtin(struct checker *c, struct node *n)
{
	if (!strcmp(n->name, "has_cpid"))
		return fold_bool(c, n, c->s->cpid != 0);
	if (!strcmp(n->name, "default_str_length"))
		return fold_int(c, n, sonde_strlen);
	return NULL;
}
