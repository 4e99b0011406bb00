/*
 * A shared library for uprobe and USDT tests (built as build/targets/libprobes.so
 * and used by uselib). Built without optimisation or inlining so every call
 * is a real call.
 *   lp_scale(v, factor)   returns v * factor
 *   lp_depth(n)           recursive: returns n after n nested calls of itself
 *   lp_point(p)           returns p->x + p->y of a struct point
 *   lp_fire(i, name)      libprobes:hit(i, name, -i) always, and
 *                         libprobes:gated(i, i * i) behind its semaphore;
 *                         returns 1 when the gated probe was reached
 * lp_gated_semaphore() reads the gated probe's semaphore, so that a program
 * can report whether a tracer raised it.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>
#include "libprobes.h"

/* With semaphores enabled every probe has one; only gated's is tested in code. */
unsigned short libprobes_hit_semaphore __attribute__((unused, section(".probes")));
unsigned short libprobes_gated_semaphore __attribute__((unused, section(".probes")));

__attribute__((noinline)) long lp_scale(long v, int factor)
{
	return v * factor;
}

__attribute__((noinline)) int lp_depth(int n)
{
	return n <= 0 ? 0 : 1 + lp_depth(n - 1);
}

__attribute__((noinline)) long lp_point(const struct point *p)
{
	return (long)p->x + p->y;
}

__attribute__((noinline)) int lp_fire(long i, const char *name)
{
	STAP_PROBE3(libprobes, hit, i, name, -i);
	if (libprobes_gated_semaphore) {
		STAP_PROBE2(libprobes, gated, i, i * i);
		return 1;
	}
	return 0;
}

unsigned short lp_gated_semaphore(void)
{
	return *(volatile unsigned short *)&libprobes_gated_semaphore;
}
