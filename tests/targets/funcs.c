/*
 * A target for uprobe tests: functions with known arguments and results,
 * called a known number of times. Built without optimisation or inlining
 * so every call is a real call.
 *   funcs calls N [MS] add(i, 2*i) and greet("sonde") N times, fib(10) once;
 *                     then live MS more milliseconds (usym() reads a live process's maps)
 *   funcs wait MS N   sleep MS milliseconds first, then as `calls N`
 *   funcs timed N     N calls of add(); prints "ns_per_call X" on stderr
 *   funcs mix N       mix(-5, 65535, -7000000000, 2.5, &{3, 4}, 42), measure(&shape) and
 *                     make_big(11, 22) N times
 *   funcs peek T1 T2  print the first byte of add() at T1 and at T2 ms: a
 *                     uprobe shows as 0xcc (int3) while it is in place
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

__attribute__((noinline)) int add(int a, int b)
{
	return a + b;
}

__attribute__((noinline)) size_t greet(const char *name)
{
	return strlen(name);
}

__attribute__((noinline)) long fib(int n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

struct point {
	int x, y;
};

/* Parameters of every kind: the double travels in xmm0, so `after` is the fifth integer register. */
__attribute__((noinline)) long mix(signed char c, unsigned short u, long neg, double d, const struct point *p, int after)
{
	return c + u + neg + (long)d + p->x + p->y + after;
}

struct shape {
	char name[8];
	struct point origin;
	const struct point *corner;
	union {
		long area;
		int quick;
	};
	const char *label;
};

/* A struct pointer with every kind of member: char array, nested struct, pointer, anonymous union, string. */
__attribute__((noinline)) long measure(const struct shape *s)
{
	return s->origin.x + s->corner->y + s->area + (long)strlen(s->label) + s->name[0];
}

struct big {
	long a, b, c, d;
};

/* Returned through memory: its address is a hidden first argument in rdi, so x is in rsi. */
__attribute__((noinline)) struct big make_big(long x, long y)
{
	struct big b = { x, y, 3, 4 };
	return b;
}

static long calls(long n)
{
	long sum = 0;
	for (long i = 0; i < n; i++) {
		sum += add((int)i, (int)(2 * i));
		sum += (long)greet("sonde");
	}
	return sum + fib(10);
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "calls")) {
		printf("%ld\n", calls(atol(argv[2])));
		fflush(stdout);
		long ms = argc == 4 ? atol(argv[3]) : 0;
		struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&t, NULL);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "wait")) {
		struct timespec t = { atol(argv[2]) / 1000, (atol(argv[2]) % 1000) * 1000000 };
		nanosleep(&t, NULL);
		printf("%ld\n", calls(atol(argv[3])));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "mix")) {
		struct point pt = { 3, 4 };
		long sum = 0;
		struct shape sh = { "square", { -1, 2 }, &pt, { .area = 1L << 40 }, "a label" };
		for (long i = 0; i < atol(argv[2]); i++) {
			sum += mix(-5, 65535, -7000000000L, 2.5, &pt, 42);
			sum += measure(&sh);
			if (make_big(11, 22).b != 22)
				return 1;
		}
		printf("%ld\n", sum);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "timed")) {
		long n = atol(argv[2]), sum = 0;
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			sum += add((int)i, 1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
		fprintf(stderr, "ns_per_call %.1f\n", n > 0 ? ns / (double)n : 0.0);
		return sum == 42;
	}
	if (argc == 4 && !strcmp(argv[1], "peek")) {
		long t1 = atol(argv[2]), t2 = atol(argv[3]);
		for (int i = 0; i < 2; i++) {
			long ms = i ? t2 - t1 : t1;
			struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
			nanosleep(&t, NULL);
			printf("0x%02x\n", *(volatile unsigned char *)(void *)add);
			fflush(stdout);
		}
		return 0;
	}
	fputs("usage: funcs calls N | mix N | wait MS N | timed N | peek T1 T2\n", stderr);
	return 2;
}
