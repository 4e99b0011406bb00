/*
 * A target for the function tools: calls with known counts, latencies,
 * arguments and call paths.
 *   slow work N        N calls of work(i): every 4th sleeps 5 ms in nap(),
 *                      the others return at once; work() returns i % 4
 *   slow pick N        N calls of pick(v) with v = i % 4 (so 0, 1, 2, 3 each
 *                      N/4 times), then N/2 calls of pick(100)
 *   slow paths A B     leaf() called A times from path_a(), B times from path_b()
 *   slow timed N       N calls of step(1) (which calls pick(1)), timed: "ns_per_call X"
 *                      on stderr (bench/tools.py)
 *   slow phases K C    C cycles of an "up" phase (K fast calls of work(1), 5 ms
 *                      apart) then a "down" one (K calls of work(0), each a 5 ms
 *                      nap): as many calls in each, half the time down (docs/slo.md)
 *   slow wait MS ...   sleep MS milliseconds first, then as the rest says
 * Prints "done" at the end, then lives 300 ms more (its stacks are named from
 * its maps, read while it lives).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NOINLINE __attribute__((noinline))
#define OPAQUE(x) __asm__ volatile("" : : "r"(x) : "memory")

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&t, NULL);
}

NOINLINE void nap(long ms)
{
	OPAQUE(ms);
	sleep_ms(ms);
}

NOINLINE int work(long i)
{
	OPAQUE(i);
	if (i % 4 == 0)
		nap(5);
	return (int)(i % 4);
}

NOINLINE long pick(long v)
{
	OPAQUE(v);
	return v * 2;
}

/* Not a leaf, so it starts with `push %rbp`, which uprobes emulate (no single-step): bench/tools.py */
NOINLINE long step(long v)
{
	long r = pick(v);
	OPAQUE(r);
	return r;
}

NOINLINE int leaf(int x)
{
	OPAQUE(x);
	return x + 1;
}

NOINLINE int path_a(int x)
{
	int r = leaf(x);
	OPAQUE(r);
	return r;
}

NOINLINE int path_b(int x)
{
	int r = leaf(x);
	OPAQUE(r);
	return r;
}

int main(int argc, char **argv)
{
	int a = 1;
	if (argc > a + 1 && !strcmp(argv[a], "wait")) {
		sleep_ms(atol(argv[a + 1]));
		a += 2;
	}
	if (argc == a + 2 && !strcmp(argv[a], "work")) {
		long sum = 0;
		for (long i = 0; i < atol(argv[a + 1]); i++)
			sum += work(i);
		OPAQUE(sum);
	} else if (argc == a + 2 && !strcmp(argv[a], "pick")) {
		long n = atol(argv[a + 1]), sum = 0;
		for (long i = 0; i < n; i++)
			sum += pick(i % 4);
		for (long i = 0; i < n / 2; i++)
			sum += pick(100);
		OPAQUE(sum);
	} else if (argc == a + 2 && !strcmp(argv[a], "timed")) {
		long n = atol(argv[a + 1]), sum = 0;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			sum += step(1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		OPAQUE(sum);
		double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
		fprintf(stderr, "ns_per_call %.1f\n", n > 0 ? ns / (double)n : 0.0);
	} else if (argc == a + 3 && !strcmp(argv[a], "paths")) {
		int sum = 0;
		for (long i = 0; i < atol(argv[a + 1]); i++)
			sum += path_a((int)i);
		for (long i = 0; i < atol(argv[a + 2]); i++)
			sum += path_b((int)i);
		OPAQUE(sum);
	} else if (argc == a + 3 && !strcmp(argv[a], "phases")) {
		long k = atol(argv[a + 1]), cycles = atol(argv[a + 2]), sum = 0;
		for (long c = 0; c < cycles; c++) {
			for (long i = 0; i < k; i++) {
				sum += work(1);
				sleep_ms(5);
			}
			for (long i = 0; i < k; i++)
				sum += work(0);
		}
		OPAQUE(sum);
	} else {
		fputs("usage: slow [wait MS] work N | pick N | paths A B | timed N | phases K C\n", stderr);
		return 2;
	}
	puts("done");
	fflush(stdout);
	sleep_ms(300);
	return 0;
}
