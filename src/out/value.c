#include "value.h"
#include "named.h"
#include "json.h"
#include "stacks.h"
#include "../sym/resolve.h"
#include "../sym/demangle.h"
#include <stdlib.h>
#include <arpa/inet.h>
#include <string.h>
#include <time.h>

int64_t value_int(const struct type *t, const uint8_t *data)
{
	int64_t v;
	memcpy(&v, data, 8);
	(void)t;
	return v;
}

static void format_time(struct strbuf *out, const struct value_ctx *vc, const char *fmt, uint64_t ns)
{
	int64_t real = (int64_t)ns + vc->boot_to_real_ns;
	time_t secs = (time_t)(real / 1000000000);
	long us = (long)((real % 1000000000) / 1000);
	struct tm tm;
	localtime_r(&secs, &tm);
	/* %f (microseconds) is bpftrace's extension to strftime. */
	struct strbuf f = { 0 };
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '%' && p[1] == 'f') {
			sb_printf(&f, "%06ld", us);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			sb_puts(&f, "%%");
			p++;
		} else {
			sb_putc(&f, *p);
		}
	}
	char buf[512];
	size_t n = strftime(buf, sizeof(buf), sb_str(&f), &tm);
	sb_putn(out, buf, n);
	sb_free(&f);
}

void value_string(struct strbuf *out, const struct value_ctx *vc, const struct type *t,
		  const uint8_t *data)
{
	switch (t->kind) {
	case TY_STR:
		sb_putn(out, (const char *)data, strnlen((const char *)data, (size_t)t->size));
		return;
	case TY_INET: {
		uint64_t af;
		memcpy(&af, data, 8);
		char buf[INET6_ADDRSTRLEN] = "";
		inet_ntop(af == AF_INET6 ? AF_INET6 : AF_INET, data + 8, buf, sizeof(buf));
		sb_puts(out, buf);
		return;
	}
	case TY_TIME: {
		uint64_t ns;
		memcpy(&ns, data, 8);
		format_time(out, vc, vc->s->time_fmts.v[t->time_fmt], ns);
		return;
	}
	case TY_KSYM: case TY_USYM: {
		uint64_t addr, pid = 0;
		memcpy(&addr, data, 8);
		if (t->kind == TY_USYM)
			memcpy(&pid, data + 8, 8);
		const char *name = !vc->syms ? NULL : t->kind == TY_KSYM ? sym_kernel(vc->syms, addr)
									 : sym_user(vc->syms, (int)pid, addr);
		if (name)
			sb_puts(out, name);
		else
			sb_printf(out, "0x%llx", (unsigned long long)addr);	/* unresolved: bpftrace prints the address */
		return;
	}
	case TY_NAMED: {
		uint64_t v;
		memcpy(&v, data, 8);
		named_text(out, t->naming, v);
		return;
	}
	case TY_STACK:
		stack_text(out, vc, t, data);
		return;
	case TY_BUF: {
		uint64_t len;
		memcpy(&len, data, 8);
		for (uint64_t i = 0; i < len && i < (uint64_t)t->array_len; i++) {
			uint8_t b = data[8 + i];
			if (b >= 0x20 && b < 0x7f)
				sb_putc(out, (char)b);
			else
				sb_printf(out, "\\x%02x", b);
		}
		return;
	}
	case TY_PROBE: case TY_FUNC: {
		uint64_t id;
		memcpy(&id, data, 8);
		const struct probe_point *pt = id < (uint64_t)vc->s->points.n ? vc->s->points.v[id] : NULL;
		char *cxx = pt && t->kind == TY_FUNC && pt->func ? demangle_cxx(pt->func) : NULL;	/* as bpftrace shows C++ */
		sb_puts(out, cxx ? cxx : !pt ? "?" : t->kind == TY_FUNC && pt->func ? pt->func : pt->name);
		free(cxx);
		return;
	}
	default:
		value_text(out, vc, t, data, 0);
	}
}

void value_text(struct strbuf *out, const struct value_ctx *vc, const struct type *t,
		const uint8_t *data, int top_tuple)
{
	int64_t v;
	switch (t->kind) {
	case TY_INT:
		v = value_int(t, data);
		if (t->is_signed)
			sb_printf(out, "%lld", (long long)v);
		else
			sb_printf(out, "%llu", (unsigned long long)v);
		return;
	case TY_BOOL:
		sb_puts(out, value_int(t, data) ? "true" : "false");
		return;
	case TY_PTR:
		sb_printf(out, "0x%llx", (unsigned long long)value_int(t, data));
		return;
	case TY_ARRAY:	/* an integer array, as bpftrace prints one: [1,2,3,4] (char arrays are strings) */
		if (t->is_chars || t->elem_size <= 0 || t->elem_size > 8) {
			sb_putn(out, (const char *)data, strnlen((const char *)data, (size_t)t->size));
			return;
		}
		sb_putc(out, '[');
		for (int i = 0; i < t->size / t->elem_size; i++) {
			uint64_t e = 0;
			int w = t->elem_size;
			memcpy(&e, data + i * w, (size_t)w);	/* little-endian: the low bytes */
			if (i)
				sb_putc(out, ',');
			if (t->is_signed && w < 8 && (e >> (8 * w - 1)) & 1)
				e |= ~0ull << (8 * w);	/* sign-extend */
			if (t->is_signed)
				sb_printf(out, "%lld", (long long)e);
			else
				sb_printf(out, "%llu", (unsigned long long)e);
		}
		sb_putc(out, ']');
		return;
	case TY_TUPLE:
		if (t->names) {	/* a record, as bpftrace prints one: { .a = 1, .b = x } */
			sb_puts(out, "{ ");
			for (int i = 0; i < t->nfields; i++) {
				sb_printf(out, "%s.%s = ", i ? ", " : "", t->names[i]);
				value_text(out, vc, t->fields[i], data + t->offs[i], 0);
			}
			sb_puts(out, " }");
			return;
		}
		if (!top_tuple)
			sb_putc(out, '(');
		for (int i = 0; i < t->nfields; i++) {
			if (i)
				sb_puts(out, ", ");
			value_text(out, vc, t->fields[i], data + t->offs[i], 0);
		}
		if (!top_tuple)
			sb_putc(out, ')');
		return;
	default:
		value_string(out, vc, t, data);
	}
}

void value_json(struct strbuf *out, const struct value_ctx *vc, const struct type *t,
		const uint8_t *data)
{
	switch (t->kind) {
	case TY_INT: case TY_BOOL:
		value_text(out, vc, t, data, 0);
		return;

	case TY_TUPLE:
		sb_putc(out, t->names ? '{' : '[');
		for (int i = 0; i < t->nfields; i++) {
			if (i)
				sb_putc(out, ',');
			if (t->names) {
				json_escape(out, t->names[i], strlen(t->names[i]));
				sb_putc(out, ':');
			}
			value_json(out, vc, t->fields[i], data + t->offs[i]);
		}
		sb_putc(out, t->names ? '}' : ']');
		return;
	case TY_ARRAY:
		if (!t->is_chars) {	/* [1,2,3,4] is JSON already */
			value_text(out, vc, t, data, 0);
			return;
		}
		__attribute__((fallthrough));	/* a char array is a string */
	default: {
		struct strbuf s = { 0 };
		value_text(&s, vc, t, data, 0);
		json_escape(out, sb_str(&s), s.len);
		sb_free(&s);
	}
	}
}
