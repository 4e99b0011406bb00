/*
 * A target with a known call chain, main → outer → middle → inner → leaf, for stack
 * tests and the sampling benchmark. Built twice: with frame pointers
 * (stacks) and without (stacks-nofp), so both full and cut stacks are seen.
 *   stacks chain N [MS]  N calls of the chain, inner() a leaf; then live MS more ms
 *   stacks burn MS       spin in inner() for MS milliseconds of CPU time
 *   stacks work N        N units of CPU work in inner(); prints "cpu_ns_per_unit X" on stderr
 *   stacks jit MS        spin MS ms of CPU time in code written at run time to an anonymous
 *                        page, named Java-style in /tmp/perf-PID.map (0x addresses, a `;`
 *                        in the name); the map is removed at the end
 *   stacks dlopen LIB SYM  getppid(), 100 ms later dlopen LIB and call SYM (a function
 *                        without arguments), then live 300 ms more
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile unsigned long sink;

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/*
 * A leaf without a frame, whatever the compiler flags: its first
 * instruction is not `push %rbp`, so at its entry the kernel's stack walk
 * does not see its caller (sonde adds it from [sp]).
 */
unsigned long leaf(unsigned long x);
__asm__(".text\n.globl leaf\n.type leaf, @function\nleaf:\n\tlea 1(%rdi), %rax\n\tret\n.size leaf, .-leaf\n");

/* One unit: about 10 µs of arithmetic, no memory traffic to speak of. Not a leaf, so it has a frame. */
__attribute__((noinline)) unsigned long inner(unsigned long x)
{
	for (int i = 0; i < 4000; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return leaf(x) + 1;
}

__attribute__((noinline)) unsigned long middle(unsigned long x)
{
	return inner(x) + 1;
}

__attribute__((noinline)) unsigned long outer(unsigned long x)
{
	return middle(x) + 1;
}

/* `dec %rdi; jnz .-3; ret`: a leaf a JIT might emit */
static const unsigned char spin_code[] = { 0x48, 0xff, 0xcf, 0x75, 0xfb, 0xc3 };

static int jit(double ms)
{
	unsigned char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return 1;
	memcpy(page + 64, spin_code, sizeof(spin_code));
	if (mprotect(page, 4096, PROT_READ | PROT_EXEC))
		return 1;
	char path[64];
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)getpid());
	FILE *map = fopen(path, "w");
	if (!map)
		return 1;
	/* as `jcmd PID Compiler.perfmap` writes them */
	fprintf(map, "0x%lx 0x%zx Interpreter\n", (unsigned long)page, (size_t)64);
	fprintf(map, "0x%lx 0x%zx LFixture;::spin (I)V\n", (unsigned long)(page + 64), sizeof(spin_code));
	fclose(map);
	unsigned long (*spin)(unsigned long) = (unsigned long (*)(unsigned long))(void *)(page + 64);
	double end = cpu_ms() + ms;
	while (cpu_ms() < end)
		sink += spin(200000);
	unlink(path);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "chain")) {
		for (long i = 0; i < atol(argv[2]); i++)
			sink += outer((unsigned long)i);
		printf("chain %ld\n", atol(argv[2]));
		fflush(stdout);
		long ms = argc == 4 ? atol(argv[3]) : 0;
		struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&t, NULL);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "burn")) {
		double end = cpu_ms() + atof(argv[2]);
		while (cpu_ms() < end)
			for (int i = 0; i < 100; i++)
				sink += outer(sink);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "work")) {
		long n = atol(argv[2]);
		double t0 = cpu_ms();
		for (long i = 0; i < n; i++)
			sink += outer(sink);
		fprintf(stderr, "cpu_ns_per_unit %.1f\n", n > 0 ? (cpu_ms() - t0) * 1e6 / (double)n : 0.0);
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "dlopen")) {
		struct timespec t = { 0, 100000000 };
		sink += (unsigned long)getppid();
		nanosleep(&t, NULL);
		void *lib = dlopen(argv[2], RTLD_NOW);
		void (*fn)(void) = lib ? (void (*)(void))dlsym(lib, argv[3]) : NULL;
		if (!fn)
			return 1;
		fn();
		t.tv_nsec = 300000000;
		nanosleep(&t, NULL);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "jit"))
		return jit(atof(argv[2]));
	fprintf(stderr, "usage: stacks chain N [MS] | burn MS | work N | jit MS\n");
	return 2;
}
