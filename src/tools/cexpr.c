#include "cexpr.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* C integer types by their words (const and volatile dropped, one blank between words). */
static const struct {
	const char *name;
	const char *sonde;
} int_types[] = {
	{ "char", "int8" }, { "signed char", "int8" }, { "unsigned char", "uint8" },
	{ "short", "int16" }, { "short int", "int16" }, { "signed short", "int16" },
	{ "unsigned short", "uint16" }, { "unsigned short int", "uint16" },
	{ "int", "int32" }, { "signed", "int32" }, { "signed int", "int32" },
	{ "unsigned", "uint32" }, { "unsigned int", "uint32" },
	{ "long", "int64" }, { "long int", "int64" }, { "signed long", "int64" },
	{ "unsigned long", "uint64" }, { "unsigned long int", "uint64" },
	{ "long long", "int64" }, { "long long int", "int64" }, { "unsigned long long", "uint64" },
	{ "unsigned long long int", "uint64" },
	{ "u8", "uint8" }, { "u16", "uint16" }, { "u32", "uint32" }, { "u64", "uint64" },
	{ "s8", "int8" }, { "s16", "int16" }, { "s32", "int32" }, { "s64", "int64" },
	{ "__u8", "uint8" }, { "__u16", "uint16" }, { "__u32", "uint32" }, { "__u64", "uint64" },
	{ "__s8", "int8" }, { "__s16", "int16" }, { "__s32", "int32" }, { "__s64", "int64" },
	{ "int8_t", "int8" }, { "int16_t", "int16" }, { "int32_t", "int32" }, { "int64_t", "int64" },
	{ "uint8_t", "uint8" }, { "uint16_t", "uint16" }, { "uint32_t", "uint32" }, { "uint64_t", "uint64" },
	{ "size_t", "uint64" }, { "ssize_t", "int64" }, { "off_t", "int64" }, { "loff_t", "int64" },
	{ "pid_t", "int32" }, { "uid_t", "uint32" }, { "gid_t", "uint32" }, { "bool", "uint8" },
	{ "uintptr_t", "uint64" }, { "intptr_t", "int64" },
};

const char *cexpr_type(const char *ctype, int strings)
{
	char words[256] = "";
	size_t n = 0;
	int stars = 0, is_struct = 0;
	for (const char *p = ctype; *p;) {
		if (*p == '*') {
			stars++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (!isalpha((unsigned char)*p) && *p != '_')
			return NULL;
		const char *w = p;
		while (isalnum((unsigned char)*p) || *p == '_')
			p++;
		size_t len = (size_t)(p - w);
		if ((len == 5 && !strncmp(w, "const", 5)) || (len == 8 && !strncmp(w, "volatile", 8)))
			continue;
		if ((len == 6 && !strncmp(w, "struct", 6)) || (len == 5 && !strncmp(w, "union", 5)))
			is_struct = 1;
		if (stars || n + len + 2 >= sizeof(words))
			return NULL;	/* a word after a `*` */
		if (n)
			words[n++] = ' ';
		memcpy(words + n, w, len);
		words[n += len] = 0;
	}
	if (!n)
		return NULL;
	if (stars)
		return strings && stars == 1 && !strcmp(words, "char") ? "str" : "uint64";
	if (is_struct)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(int_types); i++)
		if (!strcmp(words, int_types[i].name))
			return int_types[i].sonde;
	return NULL;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

static int is_name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static int is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static const char *skip_blanks(const char *p)
{
	while (isspace((unsigned char)*p))
		p++;
	return p;
}

/* `(type)` at p: its sonde type and the length of the parenthesis; NULL when p holds no cast. */
static const char *cast_at(const char *p, size_t *len)
{
	const char *close = strchr(p, ')');
	if (!close || !is_name_start(*skip_blanks(p + 1)))
		return NULL;
	char inside[256];
	size_t n = (size_t)(close - p - 1);
	if (n >= sizeof(inside) || strcspn(p + 1, "()\"'") < n)
		return NULL;
	memcpy(inside, p + 1, n);
	inside[n] = 0;
	*len = n + 2;
	return cexpr_type(inside, 0);
}

static int param_index(const struct cexpr *cx, const char *name, size_t len)
{
	for (int k = 0; k < cx->nparams; k++)
		if (strlen(cx->params[k]) == len && !strncmp(cx->params[k], name, len))
			return k;
	return -1;
}

static void known_specials(const struct cexpr *cx, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = 0;
	for (const struct cx_alias *a = cx->aliases; a && a->from; a++)
		if (a->from[0] == '$')
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s", used ? " " : "", a->from);
}

/* A name at *pp (with its `$`, if any): appends what it becomes and moves *pp past what it used. */
static int put_name(struct cexpr *cx, const char **pp, struct strbuf *out, char *err, size_t errlen)
{
	const char *p = *pp, *start = p;
	if (*p == '$')
		p++;
	while (is_name_char(*p))
		p++;
	size_t len = (size_t)(p - start);
	*pp = p;
	if (len == 6 && !strncmp(start, "$entry", 6) && cx->entry_ok) {
		const char *q = skip_blanks(p), *name;
		if (*q != '(')
			return fail(err, errlen, "$entry needs a parameter: $entry(NAME)");
		name = q = skip_blanks(q + 1);
		while (is_name_char(*q))
			q++;
		int k = param_index(cx, name, (size_t)(q - name));
		q = skip_blanks(q);
		if (k < 0 || *q != ')')
			return fail(err, errlen, "$entry(%.*s): not a parameter named in the signature", (int)(q - name), name);
		if (!cx->ret)
			return fail(err, errlen, "$entry() is for return probes (r:); an entry probe reads the parameter itself");
		cx->entry_used[k] = 1;
		sb_printf(out, "$ad_e%d", k);
		*pp = q + 1;
		return 0;
	}
	for (const struct cx_alias *a = cx->aliases; a && a->from; a++) {
		if (strlen(a->from) != len || strncmp(a->from, start, len))
			continue;
		if (!strcmp(a->to, "retval") && !cx->ret)
			return fail(err, errlen, "%s is the return value: it needs a return probe (r:)", a->from);
		if (!strcmp(a->to, "$ad_lat")) {
			if (!cx->ret)
				return fail(err, errlen, "%s is timed from entry to return: it needs a return probe (r:)", a->from);
			cx->latency_used = 1;
		}
		sb_puts(out, a->to);
		return 0;
	}
	if (*start == '$') {
		char known[256];
		known_specials(cx, known, sizeof(known));
		return fail(err, errlen, "unknown special '%.*s' (known: %s)", (int)len, start, known);
	}
	int k = param_index(cx, start, len);
	if (k >= 0) {
		if (cx->ret)
			return fail(err, errlen, "'%.*s' is a parameter: a return probe no longer has it%s", (int)len, start,
				    cx->entry_ok ? " (its value at entry: $entry(NAME))" : "");
		sb_printf(out, "arg%d", k);
		return 0;
	}
	if (cx->one_based_args && len == 4 && !strncmp(start, "arg", 3) && start[3] >= '0' && start[3] <= '9') {
		if (start[3] < '1' || start[3] > '6')
			return fail(err, errlen, "'%.*s': the arguments are arg1 to arg6", (int)len, start);
		sb_printf(out, "arg%d", start[3] - '1');
		return 0;
	}
	if (len == 4 && !strncmp(start, "args", 4) && cx->tracepoint) {
		const char *q = skip_blanks(p);
		sb_puts(out, "args");
		if ((q[0] == '-' && q[1] == '>') || q[0] == '.') {
			/* the field's name goes as it is */
			q = skip_blanks(q + (q[0] == '.' ? 1 : 2));
			const char *f = q;
			while (is_name_char(*q))
				q++;
			if (q == f || !is_name_start(*f))
				return fail(err, errlen, "args-> needs a field name");
			sb_printf(out, ".%.*s", (int)(q - f), f);
			*pp = q;
		}
		return 0;
	}
	static const char *const calls[] = { "str", "ksym", "usym" };
	for (size_t i = 0; i < ARRAY_SIZE(calls); i++)
		if (strlen(calls[i]) == len && !strncmp(calls[i], start, len) && *skip_blanks(p) == '(') {
			sb_putn(out, start, len);
			return 0;
		}
	if (len == 6 && !strncmp(start, "STRCMP", 6))
		return fail(err, errlen, "STRCMP() is not supported: compare str(EXPR) == \"text\" instead");
	return fail(err, errlen, "unknown name '%.*s'", (int)len, start);
}

int cexpr_translate(struct cexpr *cx, const char *in, struct strbuf *out, char *err, size_t errlen)
{
	const char *p = in;
	while (*p) {
		if (*p == '"') {
			const char *q = p + 1;
			while (*q && *q != '"')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			if (!*q)
				return fail(err, errlen, "a string without its closing quote");
			sb_putn(out, p, (size_t)(q + 1 - p));
			p = q + 1;
		} else if (*p == '\'') {
			/* sonde has no character literals: the character's code */
			int c = (unsigned char)p[1], used = 3;
			if (p[1] == '\\') {
				static const char esc[] = "n\nt\tr\r0\0\\\\''\"\"";
				const char *e = p[2] ? strchr(esc, p[2]) : NULL;
				if (!e || (e - esc) % 2)
					return fail(err, errlen, "a character literal this translation does not know: %.4s", p);
				c = (unsigned char)e[1];
				used = 4;
			}
			if (!p[1] || p[used - 1] != '\'')
				return fail(err, errlen, "a character literal without its closing quote");
			sb_printf(out, "%d", c);
			p += used;
		} else if (*p == '(') {
			size_t len;
			const char *type = cast_at(p, &len);
			if (type) {
				sb_printf(out, "(%s)", type);
				p += len;
			} else {
				sb_putc(out, *p++);
			}
		} else if (p[0] == '-' && p[1] == '>') {
			return fail(err, errlen, "'->': struct members are not supported (only a tracepoint's args->FIELD)");
		} else if (*p == '@') {
			return fail(err, errlen, "'@' is not supported (user strings: str(EXPR) or %%s)");
		} else if (*p == '$' || is_name_start(*p)) {
			if (put_name(cx, &p, out, err, errlen))
				return -1;
		} else if (isdigit((unsigned char)*p)) {
			/* a number; C's U and L suffixes are dropped */
			const char *q = p;
			while (isalnum((unsigned char)*q))
				q++;
			const char *end = q;
			while (end > p + 1 && strchr("uUlL", end[-1]) && !(end - p == 2 && (p[1] == 'x' || p[1] == 'X')))
				end--;
			sb_putn(out, p, (size_t)(end - p));
			p = q;
		} else {
			sb_putc(out, *p++);
		}
	}
	return 0;
}

int cexpr_split(const char *s, char sep, char **v, int max)
{
	int n = 0, depth = 0;
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;
			for (p++; *p && *p != q; p++)
				if (*p == '\\' && p[1])
					p++;
			if (!*p)
				p--;
			continue;
		}
		if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && depth)
			depth--;
		if (*p && (*p != sep || depth))
			continue;
		if (n == max) {
			for (int i = 0; i < n; i++)
				free(v[i]);
			return -1;
		}
		const char *a = skip_blanks(start), *b = p;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		v[n++] = xstrndup(a, (size_t)(b - a));
		if (!*p)
			return n;
		start = p + 1;
	}
}

int cexpr_signature(struct cexpr *cx, const char *sig, char *err, size_t errlen)
{
	char *parts[CX_MAX_PARAMS + 1];
	cx->nparams = 0;
	if (!*skip_blanks(sig) || !strcmp(sig, "void"))
		return 0;
	int n = cexpr_split(sig, ',', parts, CX_MAX_PARAMS);
	if (n < 0)
		return fail(err, errlen, "at most %d parameters in a signature", CX_MAX_PARAMS);
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char *s = parts[i];
		size_t len = strlen(s), k = len;
		while (k && is_name_char(s[k - 1]))
			k--;
		char *type = xstrndup(s, k);
		if (k == len || !is_name_start(s[k]) || !cexpr_type(type, 1)) {
			if (!rc)
				rc = fail(err, errlen, "'%s': a parameter is a C type and a name (int a, char *b, struct types are not supported)", s);
		} else {
			cx->params[cx->nparams++] = xstrdup(s + k);
		}
		free(type);
	}
	for (int i = 0; i < n; i++)
		free(parts[i]);
	if (rc)
		cexpr_free(cx);
	return rc;
}

void cexpr_free(struct cexpr *cx)
{
	for (int k = 0; k < cx->nparams; k++)
		free(cx->params[k]);
	cx->nparams = 0;
}
