/*
 * A target with USDT probes (<sys/sdt.h>, systemtap-sdt-dev):
 *   usdt calls N [MS]  N times: sonde:tick(i, i * 3, -7) with a constant among
 *                      the operands, sonde:mem(p->a, p->b) from a struct, and
 *                      sonde:guarded(i) behind a semaphore, and
 *                      sonde:global(counter, level) whose operands name globals (SYM(%rip)),
 *                      sonde:consts(...) with constants of each size and sign
 *                      (4@$-202182160 is the unsigned 4092785136);
 *                      with MS, live MS more milliseconds (stack tests name its frames)
 *   usdt peek T1 T2    print the guarded probe's semaphore at T1 and T2 ms
 */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* With semaphores enabled every probe has one; only guarded's is tested in code. */
unsigned short sonde_tick_semaphore __attribute__((unused, section(".probes")));
unsigned short sonde_mem_semaphore __attribute__((unused, section(".probes")));
unsigned short sonde_guarded_semaphore __attribute__((unused, section(".probes")));
unsigned short sonde_global_semaphore __attribute__((unused, section(".probes")));
unsigned short sonde_consts_semaphore __attribute__((unused, section(".probes")));

long sonde_counter;	/* set by main before each work() */
int sonde_level = -3;

struct pair {
	long a;
	int b;
};

__attribute__((noinline)) static void work(long i, struct pair *p)
{
	p->a = i * 10;
	p->b = (int)i + 1;
	STAP_PROBE3(sonde, tick, i, i * 3, -7);
	STAP_PROBE2(sonde, mem, p->a, p->b);
	if (sonde_guarded_semaphore)
		STAP_PROBE1(sonde, guarded, i);
	STAP_PROBE2(sonde, global, sonde_counter, sonde_level);
	STAP_PROBE6(sonde, consts, (uint32_t)-202182160, (uint16_t)61936, (uint8_t)240, (int8_t)-16, (int16_t)-3,
		    (uint64_t)0xf0f0f0f0f0f0f0f0ull);
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&t, NULL);
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "calls")) {
		struct pair p;
		for (long i = 0; i < atol(argv[2]); i++) {
			sonde_counter = i * 5;
			work(i, &p);
		}
		sleep_ms(argc == 4 ? atol(argv[3]) : 0);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "peek")) {
		long t1 = atol(argv[2]), t2 = atol(argv[3]);
		sleep_ms(t1);
		printf("%d\n", sonde_guarded_semaphore);
		fflush(stdout);
		sleep_ms(t2 - t1);
		printf("%d\n", sonde_guarded_semaphore);
		return 0;
	}
	fputs("usage: usdt calls N [MS] | peek T1 T2\n", stderr);
	return 2;
}
