/*
 * The C preprocessor lines that bpftrace scripts carry (Debian's own
 * the .bt tools in /usr/sbin among them), for a compiler without headers: kernel types
 * come from BTF, so `#include` lines are dropped; `#ifdef`/`#ifndef`/
 * `#if [!]defined(X)`/`#if 0|1`/`#else`/`#endif` keep or drop lines, with
 * BPFTRACE_HAVE_BTF defined; object-like `#define NAME TEXT` is
 * substituted word by word outside strings and comments. Dropped lines
 * stay as empty lines, so errors keep their line numbers.
 */
#include "preproc.h"
#include "../util/util.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_MACROS 256
#define MAX_NEST 32

struct macro {
	char name[64];
	char *text;
};

struct pp {
	struct macro m[MAX_MACROS];
	int n;
	int active[MAX_NEST + 1];	/* per #if level: this branch's lines are kept */
	int taken[MAX_NEST + 1];	/* a branch of this level was kept already (for #else) */
	int depth;
};

static const struct macro *find(const struct pp *pp, const char *name, size_t len)
{
	for (int i = 0; i < pp->n; i++)
		if (strlen(pp->m[i].name) == len && !strncmp(pp->m[i].name, name, len))
			return &pp->m[i];
	return NULL;
}

static int defined(const struct pp *pp, const char *name)
{
	return !strcmp(name, "BPFTRACE_HAVE_BTF") || find(pp, name, strlen(name));
}

/* The word after a directive, into out (up to a blank or a parenthesis). */
static const char *word(const char *p, char *out, size_t n)
{
	while (*p == ' ' || *p == '\t')
		p++;
	size_t k = 0;
	while ((isalnum((unsigned char)*p) || *p == '_') && k + 1 < n)
		out[k++] = *p++;
	out[k] = 0;
	return p;
}

/* `#if` conditions: 0, 1, defined(X), !defined(X), defined X; -1 for anything else. */
static int condition(const struct pp *pp, const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	int neg = *p == '!';
	p += neg;
	char w[64];
	if (!strncmp(p, "defined", 7)) {
		p += 7;
		while (*p == ' ' || *p == '(')
			p++;
		word(p, w, sizeof(w));
		return *w ? defined(pp, w) != neg : -1;
	}
	if ((*p == '0' || *p == '1') && !isalnum((unsigned char)p[1]))
		return (*p == '1') != neg;
	return -1;
}

static int all_active(const struct pp *pp)
{
	for (int i = 1; i <= pp->depth; i++)
		if (!pp->active[i])
			return 0;
	return 1;
}

/* One line of code: macros replaced, outside strings and // comments (block comments span lines: left alone). */
static void substitute(const struct pp *pp, const char *line, size_t len, struct strbuf *out)
{
	int in_str = 0;
	for (size_t i = 0; i < len;) {
		char c = line[i];
		if (in_str) {
			sb_putc(out, c);
			if (c == '\\' && i + 1 < len)
				sb_putc(out, line[++i]);
			else if (c == '"')
				in_str = 0;
			i++;
		} else if (c == '"') {
			in_str = 1;
			sb_putc(out, c);
			i++;
		} else if (c == '/' && i + 1 < len && line[i + 1] == '/') {
			sb_printf(out, "%.*s", (int)(len - i), line + i);
			return;
		} else if (isalpha((unsigned char)c) || c == '_') {
			size_t j = i;
			while (j < len && (isalnum((unsigned char)line[j]) || line[j] == '_'))
				j++;
			/* $x, @x and args.x are not macro names */
			int after_sigil = i > 0 && (line[i - 1] == '$' || line[i - 1] == '@' || line[i - 1] == '.');
			const struct macro *m = after_sigil ? NULL : find(pp, line + i, j - i);
			if (m)
				sb_puts(out, m->text);
			else
				sb_printf(out, "%.*s", (int)(j - i), line + i);
			i = j;
		} else {
			sb_putc(out, c);
			i++;
		}
	}
}

/* Whether a block comment is open at the end of this line (strings and // comments skipped). */
static int comment_after(const char *p, size_t len, int in_comment)
{
	int in_str = 0;
	for (size_t i = 0; i < len; i++) {
		if (in_comment) {
			if (p[i] == '*' && i + 1 < len && p[i + 1] == '/')
				in_comment = 0, i++;
		} else if (in_str) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_str = 0;
		} else if (p[i] == '"') {
			in_str = 1;
		} else if (p[i] == '/' && i + 1 < len && p[i + 1] == '/') {
			break;
		} else if (p[i] == '/' && i + 1 < len && p[i + 1] == '*') {
			in_comment = 1, i++;
		}
	}
	return in_comment;
}

char *preprocess(const char *text, int *error_line, char *err, size_t errlen)
{
	struct pp pp = { .depth = 0 };
	struct strbuf out = { 0 };
	int lineno = 0, bad = 0, in_comment = 0;
	*error_line = 0;
	for (const char *p = text; *p && !bad;) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		lineno++;
		const char *q = p;
		while (q < p + len && (*q == ' ' || *q == '\t'))
			q++;
		int directive = !in_comment && *q == '#' && !(lineno == 1 && q[1] == '!');
		in_comment = comment_after(p, len, in_comment);
		if (directive) {
			char dir[32], name[64], line[1024];
			snprintf(line, sizeof(line), "%.*s", (int)(len - (size_t)(q - p)), q);
			const char *rest = word(line + 1, dir, sizeof(dir));
			if (!strcmp(dir, "include")) {
				/* kernel types come from BTF: nothing to read */
			} else if (!strcmp(dir, "ifdef") || !strcmp(dir, "ifndef") || !strcmp(dir, "if")) {
				int c = dir[2] == 0 ? condition(&pp, rest) : -1;
				if (dir[2] == 'd' || dir[2] == 'n') {
					word(rest, name, sizeof(name));
					c = *name ? defined(&pp, name) == (dir[2] == 'd') : -1;
				}
				if (c < 0 || pp.depth == MAX_NEST) {
					snprintf(err, errlen, c < 0 ? "#%s: only defined(NAME), !defined(NAME), 0 and 1 are understood"
								 : "#%s: nested too deep", dir);
					bad = 1;
				} else {
					pp.depth++;
					pp.active[pp.depth] = c;
					pp.taken[pp.depth] = c;
				}
			} else if (!strcmp(dir, "else")) {
				if (!pp.depth) {
					snprintf(err, errlen, "#else without #if");
					bad = 1;
				} else {
					pp.active[pp.depth] = !pp.taken[pp.depth];
					pp.taken[pp.depth] = 1;
				}
			} else if (!strcmp(dir, "endif")) {
				if (!pp.depth) {
					snprintf(err, errlen, "#endif without #if");
					bad = 1;
				} else {
					pp.depth--;
				}
			} else if (!strcmp(dir, "define") && all_active(&pp)) {
				rest = word(rest, name, sizeof(name));
				if (!*name || *rest == '(') {
					snprintf(err, errlen, *name ? "#define %s(…): function-like macros are not supported"
								    : "#define needs a name", name);
					bad = 1;
				} else if (pp.n == MAX_MACROS) {
					snprintf(err, errlen, "more than %d #defines", MAX_MACROS);
					bad = 1;
				} else {
					while (*rest == ' ' || *rest == '\t')
						rest++;
					snprintf(pp.m[pp.n].name, sizeof(pp.m[pp.n].name), "%s", name);
					pp.m[pp.n++].text = xstrdup(rest);
				}
			} else if (!strcmp(dir, "undef") && all_active(&pp)) {
				word(rest, name, sizeof(name));
				for (int i = 0; i < pp.n; i++)
					if (!strcmp(pp.m[i].name, name)) {
						free(pp.m[i].text);
						pp.m[i] = pp.m[--pp.n];
						break;
					}
			} else if (all_active(&pp) && strcmp(dir, "define") && strcmp(dir, "undef")) {
				snprintf(err, errlen, "unknown preprocessor directive #%s", dir);
				bad = 1;
			}
		} else if (all_active(&pp)) {
			substitute(&pp, p, len, &out);
		}
		if (end)
			sb_putc(&out, '\n');
		p = end ? end + 1 : p + len;
		if (bad)
			*error_line = lineno;
	}
	if (!bad && pp.depth) {
		snprintf(err, errlen, "#if without #endif");
		*error_line = lineno;
		bad = 1;
	}
	for (int i = 0; i < pp.n; i++)
		free(pp.m[i].text);
	if (bad) {
		sb_free(&out);
		return NULL;
	}
	char *text_out = xstrdup(sb_str(&out));
	sb_free(&out);
	return text_out;
}

int needs_preprocess(const char *text)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '#' && q[1] != '!')
			return 1;
	}
	return 0;
}
