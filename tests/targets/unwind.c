/*
 * A target built as distributions build code (-O2 -fomit-frame-pointer,
 * see the Makefile) for the CFI unwinder's tests. Its chains:
 *   unwind chain     main → outer → raise(SIGUSR1) (a PLT call into libc) →
 *                    the kernel's signal frame (__restore_rt) → on_signal →
 *                    qsort (PLT) → libc's sort → by_value → spin_leaf, a frameless
 *                    leaf; twice, 300 ms apart (sonde loads the tables when a
 *                    stack first meets the process: the second walk is CFI's)
 *   unwind burn MS   spin_outer → spin_middle → spin_inner (a frameless leaf
 *                    that spins) for MS ms of CPU time
 *   unwind deep N    main → descend × N+1 (a recursion that keeps every frame)
 *                    → spin_leaf; twice, 300 ms apart, as chain
 *   unwind stderr    main → say → fprintf(stderr) → libc's buffered_vfprintf
 *                    (stderr is unbuffered: a 33 KiB frame, CFA = rsp + 33360)
 *                    → … → write; twice, as chain
 *   unwind big       main → big_frame (a 40000-byte buffer: CFA = rsp + 40016, past
 *                    what a row's 16-bit offset holds) → spin_leaf; twice, as chain
 *   unwind clock MS  main → clock_loop → clock_gettime (libc) → the vDSO's
 *                    __vdso_clock_gettime, for MS ms of CPU time
 *   unwind dlopen LIB  spin_leaf once (sonde reads the mappings), 1.2 s later
 *                    dlopen(LIB) (build/targets/libunwind-dl.so) and main →
 *                    lib_outer → lib_inner → spin_leaf, three times 500 ms apart
 *   unwind thread    a thread: start_thread → thread_main → spin_leaf, whose
 *                    stack ends at clone3 (its CFI marks the outermost frame);
 *                    twice, 300 ms apart
 *   unwind drap      main → realigned (a 64-byte aligned buffer and a VLA: gcc
 *                    realigns the stack through r10, and the CFA is an
 *                    expression, *(rbp - 8)) → spin_leaf; twice, as chain
 */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;
static volatile int keep_spinning = 1;

__attribute__((noinline)) void spin_leaf(unsigned long x)
{
	sink += x;
}

__attribute__((noinline)) static int by_value(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	spin_leaf((unsigned long)(x ^ y));
	return (x > y) - (x < y);
}

static void on_signal(int sig)
{
	int v[2] = { sig, 1 };
	qsort(v, 2, sizeof(v[0]), by_value);
	sink += (unsigned long)v[0];
}

__attribute__((noinline)) void outer(void)
{
	raise(SIGUSR1);
	sink++;
}

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* A leaf: no call, so -O2 gives it no frame at all. */
__attribute__((noinline)) unsigned long spin_inner(unsigned long x)
{
	for (int i = 0; i < 100000 && keep_spinning; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return x;
}

__attribute__((noinline)) unsigned long spin_middle(unsigned long x)
{
	return spin_inner(x) + 1;
}

__attribute__((noinline)) unsigned long spin_outer(double ms)
{
	unsigned long x = 1;
	for (double end = cpu_ms() + ms; cpu_ms() < end;)
		x += spin_middle(x);
	return x;
}

/* 16 bytes of frame per level (a saved register), no frame pointer */
__attribute__((noinline)) unsigned long descend(int depth)
{
	unsigned long r = depth > 0 ? descend(depth - 1) : (spin_leaf(1), 1);
	sink += r;	/* work after the call: no tail call, every level stays on the stack */
	return r + (unsigned long)depth;
}

__attribute__((noinline)) void realigned(int n)
{
	char aligned[64] __attribute__((aligned(64)));
	char vla[n];
	memset(aligned, n, sizeof(aligned));
	memset(vla, n, (size_t)n);
	spin_leaf((unsigned long)aligned[n % 64] + (unsigned long)vla[n - 1]);
	sink += (unsigned long)aligned[1];	/* after the call: no tail call */
}

__attribute__((noinline)) void big_frame(int n)
{
	char buf[40000];
	memset(buf, n, sizeof(buf));
	spin_leaf((unsigned long)buf[n]);
	sink += (unsigned long)buf[n + 1];	/* after the call: no tail call */
}

/* Most of its time is in the vDSO, which has no file: its CFI comes from memory. */
__attribute__((noinline)) void clock_loop(double ms)
{
	struct timespec t;
	/* MS of CPU time (a system call, checked now and then): the loop's own calls stay in the vDSO */
	for (double end = cpu_ms() + ms; cpu_ms() < end;)
		for (int i = 0; i < 1000; i++) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			sink += (unsigned long)t.tv_nsec;
		}
}

__attribute__((noinline)) static void *thread_main(void *arg)
{
	spin_leaf((unsigned long)arg);
	sink++;	/* after the call: no tail call */
	return NULL;
}

static int run_thread(unsigned long arg)
{
	pthread_t t;
	return pthread_create(&t, NULL, thread_main, (void *)arg) || pthread_join(t, NULL);
}

__attribute__((noinline)) void say(int round)
{
	fprintf(stderr, "round %d\n", round);
	sink++;	/* after the call: no tail call */
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "chain")) {
		signal(SIGUSR1, on_signal);
		outer();
		usleep(300000);
		outer();
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "burn")) {
		sink += spin_outer(atof(argv[2]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "deep")) {
		sink += descend(atoi(argv[2]));
		usleep(300000);
		sink += descend(atoi(argv[2]));
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "stderr")) {
		say(1);
		usleep(300000);
		say(2);
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "big")) {
		big_frame(argc);
		usleep(300000);
		big_frame(argc);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "clock")) {
		clock_loop(atof(argv[2]));
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "dlopen")) {
		spin_leaf(0);	/* the first stack: sonde reads the mappings, without the library */
		usleep(1200000);
		void *lib = dlopen(argv[2], RTLD_NOW);
		void (*lib_outer)(void (*)(unsigned long), unsigned long);
		*(void **)&lib_outer = lib ? dlsym(lib, "lib_outer") : NULL;
		if (!lib_outer)
			return 1;
		/* callers outside the known mappings: sonde reads them again (at most once a second) */
		for (unsigned long i = 1; i <= 3; i++) {
			lib_outer(spin_leaf, i);
			usleep(500000);
		}
		return 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "thread")) {
		if (run_thread(1))
			return 1;
		usleep(300000);
		return run_thread(2);
	}
	if (argc >= 2 && !strcmp(argv[1], "drap")) {
		realigned(argc + 40);
		usleep(300000);
		realigned(argc + 40);
		return 0;
	}
	fprintf(stderr, "usage: unwind chain | unwind burn MS | unwind deep N | unwind stderr | unwind big | unwind clock MS | unwind dlopen LIB | unwind thread | unwind drap\n");
	return 2;
}
