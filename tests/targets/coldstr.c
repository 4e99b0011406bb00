/*
 * Strings in pages the process has never touched. bpf_probe_read_user()
 * cannot fault a page in, so a probe at greet()'s entry reads these only if
 * sonde faults them in itself (a sleepable program).
 *   coldstr once       greet() a cold string, then one that straddles two
 *                      cold pages, then show() an unmapped address (never
 *                      dereferenced), then open() one; prints lengths
 *   coldstr usdt       fire coldstr:hello(cold string), a USDT probe
 *   coldstr timed N    N calls of greet() with a warm string; prints
 *                      "ns_per_call X" on stderr (bench/user_reads.py)
 */
#include <fcntl.h>
#include <sys/sdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define KB 1024
/*
 * 512 KiB of read-only data. The strings sit far from any page the program
 * touches: farther than the kernel maps around a fault (64 KiB by default).
 */
__attribute__((aligned(4096))) const char cold_area[512 * KB] = {
	[256 * KB] = 's', 'o', 'n', 'd', 'e',
	[384 * KB - 3] = 'p', 'a', 'g', 'e', 's', '-', 't', 'w', 'o',
};

__attribute__((noinline)) size_t greet(const char *who)
{
	__asm__ volatile("" : : "r"(who) : "memory");	/* not pure: every call is made */
	return strlen(who);
}

/* Takes an address it never reads: a probe's read of it must fail. */
__attribute__((noinline)) int show(const char *where)
{
	__asm__ volatile("" : : "r"(where) : "memory");
	return where != NULL;
}

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "once")) {
		size_t a = greet(&cold_area[256 * KB]);
		size_t b = greet(&cold_area[384 * KB - 3]);
		int c = show((const char *)16);
		int fd = open((const char *)16, O_RDONLY);	/* EFAULT: a tracepoint's read fails too */
		printf("lengths %zu %zu show %d open %d\n", a, b, c, fd);
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "usdt")) {
		STAP_PROBE1(coldstr, hello, &cold_area[256 * KB]);
		puts("fired");
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "timed")) {
		long n = atol(argv[2]);
		size_t sum = 0;
		double t0 = now_ns();
		for (long i = 0; i < n; i++)
			sum += greet("warm");
		double ns = now_ns() - t0;
		fprintf(stderr, "ns_per_call %.1f\n", n > 0 ? ns / (double)n : 0.0);
		return sum == (size_t)n * 4 ? 0 : 1;
	}
	fputs("usage: coldstr once | timed N\n", stderr);
	return 2;
}
