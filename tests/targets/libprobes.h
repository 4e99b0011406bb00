/* The interface of build/targets/libprobes.so (tests/targets/libprobes.c). */
#ifndef LIBPROBES_H
#define LIBPROBES_H
#include <stdint.h>

/* 24 bytes: x at 0, y at 4, tag at 8, name at 16 */
struct point {
	int32_t x;
	int32_t y;
	int64_t tag;
	char name[8];
};

long lp_scale(long v, int factor);
int lp_depth(int n);
long lp_point(const struct point *p);
int lp_fire(long i, const char *name);
unsigned short lp_gated_semaphore(void);

#endif
