/*
 * A process that checks its own libc results while it is traced.
 *
 *   harm SECS     calls printf-family, string, memory, sorting and
 *                 number-parsing functions of libc for SECS seconds, with
 *                 inputs that change every iteration (a register a broken
 *                 uprobe leaves stale then holds a wrong value), compares
 *                 each result with an answer computed here without libc,
 *                 and prints `iterations=N bad=M` (then up to 5 `bad: …`
 *                 lines). Exit status 1 when a result was wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long bad;

static void check(int ok, const char *what, long it)
{
	if (ok)
		return;
	if (++bad <= 5)
		printf("bad: %s at iteration %ld\n", what, it);
}

/* decimal text of v, without libc */
static void itoa10(long v, char *out)
{
	char tmp[32];
	int n = 0, neg = v < 0;
	unsigned long u = neg ? -(unsigned long)v : (unsigned long)v;
	do
		tmp[n++] = (char)('0' + u % 10);
	while ((u /= 10));
	if (neg)
		*out++ = '-';
	while (n)
		*out++ = tmp[--n];
	*out = 0;
}

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

static void one_iteration(long it)
{
	char buf[128], want[128], num[32];
	int c = 'a' + (int)(it % 26);

	/* printf family */
	itoa10(it * 7 - 1000, num);
	snprintf(buf, sizeof(buf), "%ld-%s-%x", it * 7 - 1000, "abc", 255);
	size_t n = 0;
	for (const char *p = num; *p; p++)
		want[n++] = *p;
	memcpy(want + n, "-abc-ff", 8);
	check(same(buf, want), "snprintf", it);
	int len = sprintf(buf, "%c%c%5d|", c, c + 1, (int)(it % 1000));
	check(len == 8 && buf[0] == c && buf[1] == c + 1 && buf[7] == '|', "sprintf", it);

	/* strings: the searched character changes every iteration */
	char s[64];
	for (int i = 0; i < 40; i++)
		s[i] = (char)('a' + (i + it) % 26);
	s[40] = 0;
	int first = -1, last = -1;
	for (int i = 0; i < 40; i++) {
		if (s[i] == c && first < 0)
			first = i;
		if (s[i] == c)
			last = i;
	}
	check(strchr(s, c) == s + first, "strchr", it);
	check(strrchr(s, c) == s + last, "strrchr", it);
	check(strchrnul(s, c) == s + first, "strchrnul", it);
	check(strchrnul(s, '#') == s + 40, "strchrnul (absent)", it);
	check(memchr(s, c, 40) == s + first, "memchr", it);
	check(rawmemchr(s, c) == s + first, "rawmemchr", it);
	check(strlen(s + it % 7) == (size_t)(40 - it % 7), "strlen", it);
	char t[64];
	strcpy(t, s);
	check(strcmp(s, t) == 0, "strcpy/strcmp", it);
	t[it % 40] = '!';
	check((strcmp(s, t) > 0) == (s[it % 40] > '!'), "strcmp (differs)", it);
	check(strncmp(s, t, (size_t)(it % 40)) == 0, "strncmp", it);
	check(strstr(s, "xyz") == NULL || strstr(s, "xyz")[0] == 'x', "strstr", it);
	check(strspn(s, s) == 40, "strspn", it);

	/* memory: sizes and bytes change */
	unsigned char m[300], m2[300];
	size_t sz = 1 + (size_t)(it % 257);
	memset(m, c, sz);
	int ok = 1;
	for (size_t i = 0; i < sz; i++)
		ok &= m[i] == c;
	check(ok, "memset", it);
	for (size_t i = 0; i < sz; i++)
		m[i] = (unsigned char)(i * 3 + it);
	memcpy(m2, m, sz);
	check(memcmp(m, m2, sz) == 0, "memcpy/memcmp", it);
	memmove(m + 1, m, sz);
	ok = 1;
	for (size_t i = 0; i < sz; i++)
		ok &= m[i + 1] == (unsigned char)(i * 3 + it);
	check(ok, "memmove", it);

	/* sorting */
	int a[32];
	long sum = 0;
	for (int i = 0; i < 32; i++)
		sum += a[i] = (int)((i * 7919 + it * 31) % 1000);
	qsort(a, 32, sizeof(a[0]), cmp_int);
	ok = 1;
	for (int i = 1; i < 32; i++) {
		ok &= a[i - 1] <= a[i];
		sum -= a[i];
	}
	check(ok && sum == a[0], "qsort", it);

	/* number parsing */
	itoa10(it * 13 - 77, num);
	check(strtol(num, NULL, 10) == it * 13 - 77, "strtol", it);
	check(atoi(num) == (int)(it * 13 - 77), "atoi", it);
	check(strtoul("ff", NULL, 16) == 255, "strtoul", it);
	check(strtod("123.25", NULL) == 123.25, "strtod", it);
}

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 5;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	long it = 0;
	do {
		for (int k = 0; k < 64; k++)
			one_iteration(it++);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
	printf("iterations=%ld bad=%ld\n", it, bad);
	return bad != 0;
}
