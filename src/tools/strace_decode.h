/*
 * What `sonde strace` prints for a system call: names by number (from the
 * uapi headers), strace's classes (%file, %network…), errno and signal
 * names, and the arguments of the common calls decoded as strace does
 * (AT_FDCWD, open/mmap/socket flags, modes, signals); any other argument
 * is printed by its tracepoint field's type (decimal, pointer, string).
 */
#ifndef SONDE_STRACE_DECODE_H
#define SONDE_STRACE_DECODE_H
#include "../probe/tracefs.h"
#include "../util/util.h"
#include <stdint.h>

#define SD_NR_MAX 1024

/* The name of system call nr (x86-64), or NULL. */
const char *sd_syscall_name(int nr);
/* The number of a system call by name (`stat`, `openat`…); -1 if unknown. */
int sd_syscall_nr(const char *name);
/* Adds the members of class cls (`file`, without the %) to set; -1 if there is no such class. */
int sd_class_add(const char *cls, unsigned char *set, const struct tp_format *const *fmts);

/* One call as it returned (or, with returned 0, as it entered a call that never returns). */
struct sd_call {
	int nr;
	int returned;
	int64_t ret;
	uint64_t a[6];
	const char *str[2];	/* the first two `const char *` arguments, read at entry (NULL: not read) */
	const struct tp_format *fmt;	/* the sys_enter tracepoint's fields (NULL: unknown) */
	const char *data;	/* read/write: the buffer's first bytes, read at return (NULL: not read) */
	size_t datalen;		/* how many */
};

/* `name(args…)` */
void sd_call(struct strbuf *out, const struct sd_call *c);
/* `3`, `0x7f…`, `-1 ENOENT (No such file or directory)`, `?` */
void sd_result(struct strbuf *out, const struct sd_call *c);
/* A C string as strace quotes it, cut after max bytes with `...`. */
void sd_quote(struct strbuf *out, const char *s, size_t n, size_t max);

#endif
