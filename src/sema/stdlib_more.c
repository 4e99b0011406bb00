/*
 * bpftrace 0.2x's library, continued (see stdlib.c): str_concat, pton,
 * container_of, comm(pid), getopt named parameters, and the printf-like
 * errorf/warnf/system/cat, whose records printf's machinery sends and
 * rt/sinks.c renders.
 */
#include "checker.h"
#include "btf.h"
#include <linux/bpf.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* str_concat(a, b): a then b, cut to the string size (the NUL included) */
static struct type *check_str_concat(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 2, 2))
		return NULL;
	for (struct node *a = n->list; a; a = a->next) {
		struct type *t = check_expr(c, a);
		if (!t)
			return NULL;
		if (chk_stored(c, t)->kind != TY_STR) {
			ERR(c, a->span, "str_concat() joins strings (%s supplied)", chk_type_name(c, t));
			return NULL;
		}
	}
	return type_str(chk_arena(c));
}

/* pton("addr"): the address's bytes, known now; an int8[4] or int8[16] as bpftrace */
static struct type *check_pton(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 1))
		return NULL;
	struct node *a = n->list;
	if (a->kind != N_STR) {
		ERR(c, a->span, "pton() expects a string literal");
		return NULL;
	}
	unsigned char buf[16];
	int v6 = strchr(a->str, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, a->str, buf) != 1) {
		ERR(c, a->span, "pton(): invalid %s address: %s", v6 ? "IPv6" : "IPv4", a->str);
		return NULL;
	}
	struct type *t = type_simple(chk_arena(c), TY_ARRAY);
	t->array_len = t->size = v6 ? 16 : 4;
	t->elem_size = 1;
	t->is_signed = 1;
	return t;
}

/* container_of(ptr, struct T, f.g): (struct T *)(ptr - offsetof(struct T, f.g)) */
static struct type *check_container_of(struct checker *c, struct node *n)
{
	struct node *ptr = n->list, *ty = ptr ? ptr->next : NULL;
	if (!ty || ty->kind != N_STR || ty->cast_ptr != -1 ||
	    (strncmp(ty->str, "struct ", 7) && strncmp(ty->str, "union ", 6))) {
		ERR(c, ty ? ty->span : n->span, "container_of() takes a struct type second: container_of(ptr, struct T, field)");
		return NULL;
	}
	struct type *pt = check_expr(c, ptr);
	if (!pt)
		return NULL;
	if (!chk_is_int(pt)) {
		ERR(c, ptr->span, "container_of() expects a pointer or an address (%s supplied)", chk_type_name(c, pt));
		return NULL;
	}
	struct arena *ar = chk_arena(c);
	struct node *off = node_new(ar, N_CALL, n->span), *minus = node_new(ar, N_BINOP, n->span);
	off->name = (char *)"offsetof";
	off->list = ty;
	ptr->next = NULL;
	minus->op = T_MINUS;
	minus->a = ptr;
	minus->b = off;
	n->kind = N_CAST;
	n->name = ty->str;
	n->cast_ptr = 1;
	n->a = minus;
	n->list = NULL;
	return check_expr(c, n);
}

/* The value of --name[=value] given after `--`; NULL when absent, "" for a bare --name. */
static const char *named_param(const struct script *s, const char *name)
{
	size_t len = strlen(name);
	for (int i = 0; i < s->nnamed; i++) {
		const char *p = s->named[i] + 2;
		if (!strncmp(p, name, len) && (p[len] == '=' || !p[len]))
			return p[len] == '=' ? p + len + 1 : "";
	}
	return NULL;
}

/* getopt("name"[, default[, "description"]]): folded to the value given on the command line, or the default */
static struct type *check_getopt(struct checker *c, struct node *n)
{
	if (!chk_nargs_ok(c, n, 1, 3))
		return NULL;
	struct node *name = n->list, *def = name->next;
	if (name->kind != N_STR || !name->str_len) {
		ERR(c, name->span, "getopt() expects the option's name as a string literal");
		return NULL;
	}
	if (def && def->next && def->next->kind != N_STR) {
		ERR(c, def->next->span, "getopt()'s description must be a string literal");
		return NULL;
	}
	int64_t num = 0;
	int is_bool = !def || (def->kind == N_BUILTIN && (!strcmp(def->name, "true") || !strcmp(def->name, "false")));
	if (def && !is_bool && def->kind != N_STR && chk_const_int(c, def, &num, "getopt()'s default"))
		return NULL;
	const char *v = named_param(c->s, name->str);
	VEC_PUSH(c->s->getopt_names, name->str);
	struct node *r = n;
	if (is_bool) {
		int on = def && !strcmp(def->name, "true");
		if (v && (!*v || !strcmp(v, "true") || !strcmp(v, "1")))
			on = 1;
		else if (v && (!strcmp(v, "false") || !strcmp(v, "0")))
			on = 0;
		else if (v) {
			ERR(c, n->span, "getopt(): --%s expects true, false, 1 or 0 (got '%s')", name->str, v);
			return NULL;
		}
		r->kind = N_BUILTIN;
		r->name = (char *)(on ? "true" : "false");
	} else if (def->kind == N_STR) {
		if (v && strlen(v) >= (size_t)sonde_strlen) {
			ERR(c, n->span, "getopt(): the value of --%s is longer than %d bytes", name->str, sonde_strlen - 1);
			return NULL;
		}
		r->kind = N_STR;
		r->str = v ? arena_strndup(chk_arena(c), v, strlen(v)) : def->str;
		r->str_len = (int)strlen(r->str);
	} else {
		if (v) {
			char *end;
			errno = 0;
			num = strtoll(v, &end, 0);
			if (!*v || *end || errno) {
				ERR(c, n->span, "getopt(): --%s expects an integer (got '%s')", name->str, v);
				return NULL;
			}
		}
		r->kind = N_INT;
		r->ival = (uint64_t)num;
		if (num < 0) {	/* a negative constant is -(N) */
			struct node *k = node_new(chk_arena(c), N_INT, n->span);
			k->ival = (uint64_t)-num;
			r->kind = N_UNOP;
			r->op = T_MINUS;
			r->a = k;
		}
	}
	r->list = NULL;
	return check_expr(c, r);
}

int stdlib_check_named_params(struct script *s, struct diag *d)
{
	for (int i = 0; i < s->nnamed; i++) {
		const char *p = s->named[i] + 2;
		size_t len = strcspn(p, "=");
		int known = 0;
		for (int j = 0; j < s->getopt_names.n && !known; j++)
			known = strlen(s->getopt_names.v[j]) == len && !strncmp(s->getopt_names.v[j], p, len);
		if (!known) {
			diag_plain(d, "unknown named parameter: --%.*s (the script's getopt() calls name none such)", (int)len, p);
			return -1;
		}
	}
	return 0;
}

/* errorf, warnf, system, cat: printf's checks, then what renders the text (PRINTF_*) */
int stdlib_printf_sink(struct checker *c, struct node *n)
{
	static const char *const names[] = { [PRINTF_ERRORF] = "errorf", [PRINTF_WARNF] = "warnf",
					     [PRINTF_SYSTEM] = "system", [PRINTF_CAT] = "cat" };
	for (int i = 1; i < (int)ARRAY_SIZE(names); i++) {
		if (strcmp(n->name, names[i]))
			continue;
		if (i == PRINTF_SYSTEM && !c->s->unsafe) {
			ERR(c, n->span, "system() is an unsafe function being used in safe mode");
			return -1;
		}
		return i;
	}
	return PRINTF_STDOUT;
}

struct type *check_stdlib_more(struct checker *c, struct node *n, int *done)
{
	const char *f = n->name;
	*done = 1;
	if (!strcmp(f, "str_concat"))
		return check_str_concat(c, n);
	if (!strcmp(f, "pton"))
		return check_pton(c, n);
	if (!strcmp(f, "container_of"))
		return check_container_of(c, n);
	if (!strcmp(f, "getopt"))
		return check_getopt(c, n);
	if (!strcmp(f, "comm")) {
		if (!chk_nargs_ok(c, n, 0, 1))
			return NULL;
		if (!n->list) {
			n->kind = N_BUILTIN;
			return check_expr(c, n);
		}
		if (chk_int_args(c, n, 0, f))
			return NULL;
		/*
		 * comm(pid): as bpftrace, through the kernel's bpf_task_from_pid, in the
		 * program types that may call it (tracepoint, perf event); BEGIN/END/
		 * interval (raw tracepoint) and uprobes may not, so there the pid is
		 * named from /proc when printed.
		 */
		int from_pid = kbtf_find_func("bpf_task_from_pid"), release = kbtf_find_func("bpf_task_release");
		int type = c->blk->prov->prog_type;
		if (from_pid >= 0 && release >= 0 && (type == BPF_PROG_TYPE_TRACEPOINT || type == BPF_PROG_TYPE_PERF_EVENT)) {
			n->ival = (uint64_t)from_pid;
			n->id = release;
			return type_str(chk_arena(c));
		}
		struct type *t = type_simple(chk_arena(c), TY_NAMED);
		t->naming = NAMED_COMM;
		return t;
	}
	*done = 0;
	return NULL;
}

void stdlib_split_named_params(struct script *s)
{
	char **pos = arena_alloc(s->arena, sizeof(char *) * (size_t)(s->nparams + 1));
	s->named = arena_alloc(s->arena, sizeof(char *) * (size_t)(s->nparams + 1));
	int np = 0;
	for (int i = 0; i < s->nparams; i++) {
		if (!strncmp(s->params[i], "--", 2) && s->params[i][2] && s->params[i][2] != '=')
			s->named[s->nnamed++] = s->params[i];
		else
			pos[np++] = s->params[i];
	}
	s->params = pos;
	s->nparams = np;
}

/* int8[4] for an array of bytes, as bpftrace names pton()'s */
static const char *array_name(struct checker *c, const struct type *t)
{
	if (t->kind != TY_ARRAY || t->elem_size <= 0 || t->elem_size > 8)
		return chk_type_name(c, t);
	char buf[64];
	snprintf(buf, sizeof(buf), "%sint%d[%d]", t->is_signed ? "" : "u", 8 * t->elem_size, t->size / t->elem_size);
	return arena_strndup(chk_arena(c), buf, strlen(buf));
}

/* a == b, a != b of two arrays of one size: their bytes (an address against pton()'s) */
struct type *check_array_cmp(struct checker *c, struct node *n, struct type *a, struct type *b)
{
	struct node *bad = a->kind != TY_ARRAY ? n->a : n->b;
	if (n->op != T_EQ && n->op != T_NE) {
		ERR(c, n->span, "arrays are compared with == and != only");
		return NULL;
	}
	if (a->kind != TY_ARRAY || b->kind != TY_ARRAY || a->size != b->size || a->size <= 0 || a->size > 64) {
		ERR(c, bad->span, "an array compares with an array of the same size only (%s and %s)", array_name(c, a),
		    array_name(c, b));
		return NULL;
	}
	return type_simple(chk_arena(c), TY_BOOL);
}

/* (uint32)pton("1.2.3.4"): the four bytes as the integer they are in memory; sizes must match, as bpftrace's array casts */
struct type *pton_as_int(struct checker *c, struct node *cast)
{
	static const struct { const char *name; int size; } ints[] = {
		{ "int8", 1 }, { "int16", 2 }, { "int32", 4 }, { "int64", 8 }, { "uint8", 1 }, { "uint16", 2 },
		{ "uint32", 4 }, { "uint64", 8 }, { "int", 4 }, { "unsigned int", 4 }, { "long", 8 }, { "unsigned long", 8 },
	};
	struct node *p = cast->a;
	int size = 0;
	for (size_t i = 0; i < ARRAY_SIZE(ints); i++)
		if (!strcmp(ints[i].name, cast->name))
			size = ints[i].size;
	if (size != p->type->size) {
		ERR(c, cast->span, "Cannot cast from %s to %s: an array casts to an integer of its own size (%d bytes)",
		    array_name(c, p->type), cast->name, p->type->size);
		return NULL;
	}
	unsigned char buf[4];
	inet_pton(AF_INET, p->list->str, buf);
	uint32_t v;
	memcpy(&v, buf, 4);
	p->kind = N_INT;
	p->ival = v;
	p->list = NULL;
	return check_expr(c, p);
}
