/*
 * A target for watchpoints: prints the address of a global, waits 300 ms
 * (for the probe), writes it N times and reads it N times, checks its
 * own result (the traced process must not be harmed), then lives 300 ms.
 *   watched N
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

volatile long watched;

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&t, NULL);
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 0, sum = 0;
	printf("%p\n", (void *)&watched);
	fflush(stdout);
	sleep_ms(300);
	for (long i = 1; i <= n; i++)
		watched = i;
	for (long i = 0; i < n; i++)
		sum += watched;
	sleep_ms(300);
	if (watched != n || sum != n * n) {
		fprintf(stderr, "watched: wrong values under the watchpoint: %ld, %ld\n", watched, sum);
		return 1;
	}
	puts("ok");
	return 0;
}
