/* Small shared helpers: growable buffers, arena allocation, fatal OOM. */
#ifndef SONDE_UTIL_H
#define SONDE_UTIL_H
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
/* The rest of F, NUL-terminated, for the caller to free ("" when empty). */
char *read_stream(FILE *f);
/* The whole file at PATH, or NULL when it cannot be opened. */
char *read_whole_file(const char *path);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Growable array of T: struct { T *v; int n, cap; }. */
#define VEC(T) struct { T *v; int n, cap; }
#define VEC_PUSH(vec, x) do { \
	if ((vec).n == (vec).cap) { \
		(vec).cap = (vec).cap ? 2 * (vec).cap : 8; \
		(vec).v = xrealloc((vec).v, (size_t)(vec).cap * sizeof(*(vec).v)); \
	} \
	(vec).v[(vec).n++] = (x); \
} while (0)

/* Growable string; s is always NUL-terminated once anything was appended. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_putc(struct strbuf *sb, char c);
void sb_putn(struct strbuf *sb, const char *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct strbuf *sb, const char *fmt, va_list ap);
void sb_free(struct strbuf *sb);
void sb_reset(struct strbuf *sb);	/* empty, keeping the memory for reuse */
const char *sb_str(struct strbuf *sb);

/* Arena: every AST/type/IR object of one compilation, freed at once. */
struct arena;
struct arena *arena_new(void);
void *arena_alloc(struct arena *a, size_t n);	/* zeroed */
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

/* The time of clock ID (CLOCK_MONOTONIC …) in nanoseconds. */
uint64_t clock_ns(clockid_t id);

/* Runs fn(arg) on a thread with a stack of BIG_STACK bytes (reserved, touched
 * only as deep as it goes) and returns its result: the parser, checker and
 * code generator recurse as deep as the program nests. -1 when no thread starts. */
#define BIG_STACK ((size_t)1 << 30)
int run_on_big_stack(int (*fn)(void *), void *arg);

#endif
