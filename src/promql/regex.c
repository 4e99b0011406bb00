/* Prometheus compiles the regular expressions of =~ and !~ (RE2 syntax, Go's
 * regexp) when it parses, and refuses a query whose pattern does not compile.
 * POSIX regcomp cannot judge RE2 ((?i), \d, non-greedy *? are RE2 and not
 * POSIX), so this checks RE2's structure: groups and classes closed, flags
 * known, repetitions after something and with sane counts, escapes known. */
#include "promql/promql.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int bad(char *msg, size_t n, const char *what, const char *re)
{
	snprintf(msg, n, "error parsing regexp: %s: `%s`", what, re);
	return -1;
}

/* The length of an escape at p (p[0] == '\\'), or 0 when RE2 does not know it. */
static int escape_length(const char *p)
{
	char c = p[1];
	if (!c)
		return 0;
	if (!isalnum((unsigned char)c))
		return 2;	/* \. \\ \- \/ …: punctuation stands for itself */
	if (strchr("afntrvdDsSwWbBAz", c))
		return 2;
	if (c >= '0' && c <= '7') {
		int n = 2;
		while (n < 4 && p[n] >= '0' && p[n] <= '7')
			n++;
		return c == '0' || n > 2 ? n : 0;	/* \1 alone is a back-reference: not RE2 */
	}
	if (c == 'x') {
		if (p[2] == '{') {
			const char *e = strchr(p + 3, '}');
			return e ? (int)(e - p) + 1 : 0;
		}
		return isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3]) ? 4 : 0;
	}
	if (c == 'p' || c == 'P') {
		if (p[2] == '{') {
			const char *e = strchr(p + 3, '}');
			return e ? (int)(e - p) + 1 : 0;
		}
		return isalpha((unsigned char)p[2]) ? 3 : 0;
	}
	if (c == 'Q') {	/* literal text up to \E or the end */
		const char *e = strstr(p + 2, "\\E");
		return e ? (int)(e - p) + 2 : (int)strlen(p);
	}
	return 0;
}

/* [...] at p: its length, or 0 when it does not close. */
static int class_length(const char *p)
{
	const char *q = p + 1;
	if (*q == '^')
		q++;
	if (*q == ']')
		q++;	/* a leading ] is literal */
	while (*q && *q != ']') {
		if (*q == '\\') {
			int n = escape_length(q);
			if (!n)
				return 0;
			q += n;
		} else if (q[0] == '[' && q[1] == ':') {
			const char *e = strstr(q + 2, ":]");
			q = e ? e + 2 : q + 1;
		} else {
			q++;
		}
	}
	return *q == ']' ? (int)(q - p) + 1 : 0;
}

/* {n}, {n,} or {n,m} at p: its length, 0 when p is a literal "{". */
static int repeat_length(const char *p, int *lo, int *hi)
{
	const char *q = p + 1;
	if (!isdigit((unsigned char)*q))
		return 0;
	for (*lo = 0; isdigit((unsigned char)*q); q++)
		*lo = *lo > 100000 ? *lo : *lo * 10 + (*q - '0');
	*hi = *lo;
	if (*q == ',') {
		q++;
		*hi = -1;
		if (isdigit((unsigned char)*q))
			for (*hi = 0; isdigit((unsigned char)*q); q++)
				*hi = *hi > 100000 ? *hi : *hi * 10 + (*q - '0');
	}
	return *q == '}' ? (int)(q - p) + 1 : 0;
}

int pq_regex_check(const char *re, char *msg, size_t n)
{
	int depth = 0;
	int repeatable = 0;	/* something stands before: a repetition may follow */
	int repeated = 0;	/* …and it was just repeated */
	for (const char *p = re; *p;) {
		int lo = 0, hi = 0, len = 0;
		if (*p == '(') {
			if (p[1] == '?') {
				const char *q = p + 2;
				if (*q == 'P' && q[1] == '<') {
					q = strchr(q, '>');
					if (!q)
						return bad(msg, n, "invalid named capture", re);
					q++;
				} else {
					while (*q && strchr("imsU-", *q))
						q++;
					if (*q == ')') {	/* flags for the rest: (?i) */
						p = q + 1;
						repeatable = repeated = 0;
						continue;
					}
					if (*q != ':')
						return bad(msg, n, "invalid or unsupported Perl syntax", re);
					q++;
				}
				p = q;
			} else {
				p++;
			}
			depth++;
			repeatable = repeated = 0;
		} else if (*p == ')') {
			if (--depth < 0)
				return bad(msg, n, "unexpected )", re);
			p++;
			repeatable = 1, repeated = 0;
		} else if (*p == '|') {
			p++;
			repeatable = repeated = 0;
		} else if (*p == '*' || *p == '+' || *p == '?' || (*p == '{' && (len = repeat_length(p, &lo, &hi)))) {
			if (!repeatable)
				return bad(msg, n, "missing argument to repetition operator", re);
			if (repeated)
				return bad(msg, n, "invalid nested repetition operator", re);
			if (*p == '{') {
				if (lo > 1000 || hi > 1000 || (hi >= 0 && hi < lo))
					return bad(msg, n, "invalid repeat count", re);
				p += len;
			} else {
				p++;
			}
			if (*p == '?')	/* non-greedy */
				p++;
			repeated = 1;
		} else if (*p == '[') {
			if (!(len = class_length(p)))
				return bad(msg, n, "missing closing ]", re);
			p += len;
			repeatable = 1, repeated = 0;
		} else if (*p == '\\') {
			if (!p[1])
				return bad(msg, n, "trailing backslash at end of expression", re);
			if (!(len = escape_length(p)))
				return bad(msg, n, "invalid escape sequence", re);
			p += len;
			repeatable = 1, repeated = 0;
		} else {
			p++;
			repeatable = 1, repeated = 0;
		}
	}
	if (depth > 0)
		return bad(msg, n, "missing closing )", re);
	return 0;
}
