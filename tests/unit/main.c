/* Runs every registered test, or those whose name contains argv[1]. Prints one
 * line per failed expectation and ends with "N passed, N failed". */
#include "test.h"
#include <stdio.h>
#include <string.h>

static struct test_case *tests_head, **tests_tail = &tests_head;
static const char *current_name;
static int current_failed;

void test_register(struct test_case *tc)
{
	/* Appended, so tests run in the order the constructors ran. */
	*tests_tail = tc;
	tests_tail = &tc->next;
}

int test_streq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

/* Prints s as a C string literal so a failure stays on one line and
 * whitespace differences are visible. */
static void print_quoted(const char *s)
{
	if (!s) {
		fputs("NULL", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void test_fail_str(const char *file, int line, const char *expr,
		   const char *actual, const char *expected)
{
	current_failed = 1;
	printf("%s:%d: %s: %s is ", file, line, current_name, expr);
	print_quoted(actual);
	fputs(", expected ", stdout);
	print_quoted(expected);
	putchar('\n');
}

void test_fail_int(const char *file, int line, const char *expr,
		   long long actual, long long expected)
{
	current_failed = 1;
	printf("%s:%d: %s: %s is %lld, expected %lld\n",
	       file, line, current_name, expr, actual, expected);
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	int passed = 0, failed = 0;

	for (struct test_case *tc = tests_head; tc; tc = tc->next) {
		if (filter && !strstr(tc->name, filter))
			continue;
		current_name = tc->name;
		current_failed = 0;
		tc->fn();
		if (current_failed)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
