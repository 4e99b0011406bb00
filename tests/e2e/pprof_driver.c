/*
 * Writes pprof profiles for tests/e2e/pprof.sh to read back with `go tool
 * pprof`:
 *   pprof_driver OUT                   the known profile below
 *   pprof_driver --bench N DEPTH OUT   N random stacks of DEPTH frames, timed
 */
#include "out/pprof.h"
#include "util/util.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEMO "/opt/sonde-test/demo"
#define PERIOD_NS 10000000	/* 99 Hz would do too; 100 Hz keeps the figures round */

static struct pprof_frame fn(const char *name, uint64_t addr)
{
	return (struct pprof_frame){ addr, name, DEMO, 0x400000, 0x480000, 0 };
}

/*
 * 100 samples: main→outer→middle→inner 90 times; main→other→[kernel]
 * ksys_write 6 times; main→other→(a frame without a name) 4 times.
 */
static int known(const char *out)
{
	struct pprof_frame hot[] = {
		fn("inner", 0x401100), fn("middle", 0x401200), fn("outer", 0x401300), fn("main", 0x401400),
	};
	struct pprof_frame syscall[] = {
		{ 0xffffffff81234567, "ksys_write", "[kernel.kallsyms]", 0, 0, 0 },
		fn("other", 0x401500), fn("main", 0x401410),
	};
	struct pprof_frame unnamed[] = {
		fn(NULL, 0x401abc), fn("other", 0x401510), fn("main", 0x401410),
	};
	struct pprof *p = pprof_new(PERIOD_NS);
	pprof_set_duration(p, 1000000000);
	/* the hot stack in two parts, as two CPUs' map entries would bring it */
	if (pprof_add(p, hot, ARRAY_SIZE(hot), 60, "demo", 42) ||
	    pprof_add(p, hot, ARRAY_SIZE(hot), 30, "demo", 42) ||
	    pprof_add(p, syscall, ARRAY_SIZE(syscall), 6, "demo", 42) ||
	    pprof_add(p, unnamed, ARRAY_SIZE(unnamed), 4, NULL, 0) ||
	    pprof_write(p, out)) {
		perror(out);
		pprof_free(p);
		return 1;
	}
	pprof_free(p);
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Stacks drawn from 20k functions in three files, roughly like a busy
 * process: many stacks, each a deep walk through a shared pool of frames. */
static int bench(long n, int depth, const char *out)
{
	static const char *const modules[] = { "/usr/bin/app", "/usr/lib/libc.so.6", "[kernel.kallsyms]" };
	enum { NFUNC = 20000 };
	char **names = xcalloc(NFUNC, sizeof(*names));
	struct pprof_frame *frames = xcalloc((size_t)depth, sizeof(*frames));
	unsigned seed = 1;
	for (int i = 0; i < NFUNC; i++) {
		char buf[32];
		snprintf(buf, sizeof(buf), "function_%d", i);
		names[i] = xstrdup(buf);
	}
	struct pprof *p = pprof_new(PERIOD_NS);
	double t0 = now();
	for (long s = 0; s < n; s++) {
		for (int d = 0; d < depth; d++) {
			int f = rand_r(&seed) % NFUNC;
			frames[d] = (struct pprof_frame){ 0x400000 + (uint64_t)f * 64, f % 50 ? names[f] : NULL,
							  modules[f % 3], 0x400000, 0x400000 + NFUNC * 64, 0 };
		}
		pprof_add(p, frames, (size_t)depth, 1 + s % 7, "app", 1234);
	}
	double t1 = now();
	int err = pprof_write(p, out);
	double t2 = now();
	if (err)
		perror(out);
	else
		printf("%ld stacks x %d frames: add %.2f s, write %.2f s\n", n, depth, t1 - t0, t2 - t1);
	pprof_free(p);
	for (int i = 0; i < NFUNC; i++)
		free(names[i]);
	free(names);
	free(frames);
	return err ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return known(argv[1]);
	if (argc == 5 && !strcmp(argv[1], "--bench"))
		return bench(atol(argv[2]), atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: %s OUT | --bench STACKS DEPTH OUT\n", argv[0]);
	return 2;
}
