/* The dynamic linker's cache, /etc/ld.so.cache: library short names → paths, as ld.so finds them. */
#ifndef SONDE_LDCACHE_H
#define SONDE_LDCACHE_H
#include <stddef.h>

/* Looks a library up in a cache image of len bytes (glibc's "glibc-ld.so.cache1.1" format,
 * optionally behind the old "ld.so-1.7.0" one). NAME is libc, c, libc.so, libc.so.6 or
 * libpython3.11: the entry whose key is NAME itself or NAME.so.VERSION (libc.so.6), preferring
 * this machine's architecture, then a versioned name, then the shortest, then the first.
 * 0 with the path in out; -1 when nothing matches or the image is not a cache (never reads
 * outside buf, whatever it holds). */
int ldcache_lookup_buf(const void *buf, size_t len, const char *name, char *out, size_t n);

/* The same in ROOT/etc/ld.so.cache (ROOT "" or "/proc/PID/root"). The path is the cache's,
 * without ROOT. */
int ldcache_lookup(const char *root, const char *name, char *out, size_t n);

#endif
