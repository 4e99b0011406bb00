#include "types.h"
#include <string.h>

int sonde_strlen = 64;

struct type *type_simple(struct arena *a, enum type_kind kind)
{
	struct type *t = arena_alloc(a, sizeof(*t));
	t->kind = kind;
	t->size = 8;
	switch (kind) {
	case TY_INET: t->size = 24; break;	/* u64 family + 16 address bytes */
	case TY_USYM: case TY_STACK: t->size = 16; break;
	case TY_TIME: t->size = 8; break;	/* boot-relative ns; the format is in the type */
	case TY_AVG: case TY_STATS: t->size = 16; break;	/* count, total */
	case TY_TSERIES: t->size = 24; break;	/* epoch (TAI ns / interval), value, values seen */
	case TY_MIN: case TY_MAX: t->size = 16; break;	/* value, "set" flag */
	case TY_VOID: case TY_NONE: t->size = 0; break;
	default: break;
	}
	return t;
}

struct type *type_int(struct arena *a, int size, int is_signed)
{
	struct type *t = type_simple(a, TY_INT);
	t->size = size;
	t->is_signed = is_signed;
	return t;
}

struct type *type_str(struct arena *a)
{
	struct type *t = type_simple(a, TY_STR);
	t->size = sonde_strlen;
	return t;
}

struct type *type_tuple(struct arena *a, struct type **fields, int n)
{
	struct type *t = type_simple(a, TY_TUPLE);
	t->nfields = n;
	t->fields = arena_alloc(a, sizeof(*fields) * (size_t)n);
	t->offs = arena_alloc(a, sizeof(int) * (size_t)n);
	int off = 0;
	for (int i = 0; i < n; i++) {
		t->fields[i] = type_stored(a, fields[i]);
		t->offs[i] = off;
		off += (int)ALIGN8((size_t)t->fields[i]->size);
	}
	t->size = off;
	return t;
}

struct type *type_stored(struct arena *a, struct type *t)
{
	if (t->kind == TY_INT && t->size != 8) {
		struct type *w = type_int(a, 8, t->is_signed);
		w->width = t->width ? t->width : t->size;
		return w;
	}
	if (t->kind == TY_TUPLE) {
		int changed = 0;
		for (int i = 0; i < t->nfields; i++)
			changed |= t->fields[i]->kind == TY_INT && t->fields[i]->size != 8;
		if (changed) {
			struct type *w = type_tuple(a, t->fields, t->nfields);
			w->names = t->names;
			return w;
		}
	}
	return t;
}

int type_equal(const struct type *a, const struct type *b)
{
	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case TY_INT:
		return a->size == b->size && a->is_signed == b->is_signed;
	case TY_TUPLE:
		if (a->nfields != b->nfields || !a->names != !b->names)
			return 0;
		for (int i = 0; i < a->nfields; i++)
			if (!type_equal(a->fields[i], b->fields[i]) || (a->names && strcmp(a->names[i], b->names[i])))
				return 0;
		return 1;
	case TY_PTR: case TY_STRUCT:
		if (a->user_mem != b->user_mem || !a->dw_path != !b->dw_path)
			return 0;
		if (a->dw_path)
			return a->dw_die == b->dw_die && !strcmp(a->dw_path, b->dw_path);
		return a->btf_id == b->btf_id;
	case TY_LHIST:
		return a->lmin == b->lmin && a->lmax == b->lmax && a->lstep == b->lstep;
	case TY_HIST:
		return a->hist_bits == b->hist_bits;
	case TY_TSERIES:
		return a->ts_interval == b->ts_interval && a->ts_count == b->ts_count && a->ts_agg == b->ts_agg;
	case TY_TIME:
		return a->time_fmt == b->time_fmt;
	case TY_NAMED:
		return a->naming == b->naming;
	case TY_BUF:
		return a->array_len == b->array_len;
	case TY_STACK:
		return a->stack_user == b->stack_user && a->stack_mode == b->stack_mode && a->stack_limit == b->stack_limit;
	default:
		return 1;
	}
}

int type_is_scalar(const struct type *t)
{
	return t->kind == TY_INT || t->kind == TY_BOOL || t->kind == TY_PTR || t->kind == TY_PROBE ||
	       t->kind == TY_TIME || t->kind == TY_FUNC || t->kind == TY_KSYM || t->kind == TY_NAMED;
}

int type_is_agg(const struct type *t)
{
	return t->kind >= TY_COUNT;
}

int type_is_stringish(const struct type *t)
{
	return t->kind == TY_STR || t->kind == TY_INET || t->kind == TY_TIME || t->kind == TY_PROBE ||
	       t->kind == TY_FUNC || t->kind == TY_KSYM || t->kind == TY_USYM || t->kind == TY_BUF ||
	       t->kind == TY_STACK || t->kind == TY_NAMED;
}

void type_name(const struct type *t, struct strbuf *out)
{
	static const char *const names[] = {
		[TY_NONE] = "none", [TY_VOID] = "void", [TY_BOOL] = "bool", [TY_PTR] = "pointer",
		[TY_STRUCT] = "struct", [TY_ARRAY] = "array", [TY_INET] = "inet",
		[TY_TIME] = "timestamp", [TY_PROBE] = "probe", [TY_FUNC] = "func", [TY_KSYM] = "ksym_t", [TY_USYM] = "usym_t",
		[TY_NAMED] = "cgroup_path_t",
		[TY_BUF] = "buffer", [TY_STACK] = "stack", [TY_ARGS] = "args", [TY_COUNT] = "count_t",
		[TY_SUM] = "sum_t", [TY_MIN] = "min_t", [TY_MAX] = "max_t", [TY_AVG] = "avg_t",
		[TY_STATS] = "stats_t", [TY_HIST] = "hist_t", [TY_LHIST] = "lhist_t",
		[TY_TSERIES] = "tseries_t",
	};
	static const char *const namings[] = {
		[NAMED_CGROUP] = "cgroup_path_t", [NAMED_SIGNAL] = "signal_name_t", [NAMED_ERRNO] = "strerror_t",
		[NAMED_SYSCALL] = "syscall_name_t", [NAMED_USER] = "username_t",
	};
	switch (t->kind) {
	case TY_NAMED:
		sb_puts(out, namings[t->naming]);
		return;
	case TY_INT:
		sb_printf(out, "%sint%d", t->is_signed ? "" : "u", t->size * 8);
		return;
	case TY_STR:
		sb_printf(out, "string[%d]", t->size);
		return;
	case TY_STACK: {
		static const char *const modes[] = { "", "perf", "raw", "python" };
		sb_puts(out, t->stack_user ? "ustack" : "kstack");
		if (t->stack_mode != STACK_BPFTRACE && t->stack_limit != STACK_MAX_FRAMES)
			sb_printf(out, "(%s, %d)", modes[t->stack_mode], t->stack_limit);
		else if (t->stack_mode != STACK_BPFTRACE)
			sb_printf(out, "(%s)", modes[t->stack_mode]);
		else if (t->stack_limit != STACK_MAX_FRAMES)
			sb_printf(out, "(%d)", t->stack_limit);
		return;
	}
	case TY_TSERIES: {
		static const char *const aggs[] = { "last", "avg", "max", "min", "sum" };
		sb_printf(out, "tseries_t(%lld ns, %d, %s)", (long long)t->ts_interval, t->ts_count, aggs[t->ts_agg]);
		return;
	}
	case TY_HIST:
		sb_puts(out, "hist_t");
		if (t->hist_bits)
			sb_printf(out, "(k=%d)", t->hist_bits);
		return;
	case TY_TUPLE:
		sb_putc(out, '(');
		for (int i = 0; i < t->nfields; i++) {
			if (i)
				sb_putc(out, ',');
			if (t->names)
				sb_printf(out, "%s=", t->names[i]);
			type_name(t->fields[i], out);
		}
		sb_putc(out, ')');
		return;
	default:
		sb_puts(out, names[t->kind]);
	}
}
