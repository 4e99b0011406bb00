/* A tiny unit-test framework. TEST(name) defines a test that registers itself
 * before main() runs; EXPECT_* report file:line and both values on failure
 * and let the test continue. tests/unit/main.c runs what was registered. */
#ifndef SONDE_TEST_H
#define SONDE_TEST_H

struct test_case {
	const char *name;
	void (*fn)(void);
	struct test_case *next;
};

void test_register(struct test_case *tc);
void test_fail_str(const char *file, int line, const char *expr,
		   const char *actual, const char *expected);
void test_fail_int(const char *file, int line, const char *expr,
		   long long actual, long long expected);
int test_streq(const char *a, const char *b);	/* NULL-safe */

#define TEST(name)							\
	static void name(void);						\
	static struct test_case name##_case = { #name, name, 0 };	\
	__attribute__((constructor)) static void name##_register(void)	\
	{								\
		test_register(&name##_case);				\
	}								\
	static void name(void)

#define EXPECT_STR(actual, expected) do {				\
	const char *test_a_ = (actual), *test_e_ = (expected);		\
	if (!test_streq(test_a_, test_e_))				\
		test_fail_str(__FILE__, __LINE__, #actual, test_a_, test_e_); \
} while (0)

#define EXPECT_INT(actual, expected) do {				\
	long long test_a_ = (long long)(actual), test_e_ = (long long)(expected); \
	if (test_a_ != test_e_)						\
		test_fail_int(__FILE__, __LINE__, #actual, test_a_, test_e_); \
} while (0)

#endif
