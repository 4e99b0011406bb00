#include "ldcache.h"
#include "../util/util.h"
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* glibc's elf/cache.h, sysdeps/generic/ldconfig.h */
#define OLD_MAGIC "ld.so-1.7.0"
#define NEW_MAGIC "glibc-ld.so.cache1.1"
#define OLD_HEADER 16		/* magic[11], pad, u32 nlibs */
#define OLD_ENTRY 12		/* i32 flags, u32 key, u32 value */
#define NEW_HEADER 48		/* magic+version[20], u32 nlibs, u32 len_strings, u8 flags, ... */
#define NEW_ENTRY 24		/* i32 flags, u32 key, u32 value, u32 osversion, u64 hwcap */
#define FLAG_REQUIRED_MASK 0xff00
#define ENDIAN_MASK 3
#define ENDIAN_LITTLE 2
#define ENDIAN_BIG 3
#define MAX_CACHE (64u << 20)

/* The required-flags byte of this machine's libraries: a 64-bit sonde traces 64-bit libraries. */
#if defined(__x86_64__)
#define OUR_ARCH 0x0300
#elif defined(__aarch64__)
#define OUR_ARCH 0x0a00
#else
#define OUR_ARCH -1
#endif

static uint32_t get32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* The start of the new-format header: at 0, or after the old-format table. (size_t)-1: none. */
static size_t new_header(const unsigned char *b, size_t len)
{
	if (len >= sizeof(OLD_MAGIC) - 1 && !memcmp(b, OLD_MAGIC, sizeof(OLD_MAGIC) - 1)) {
		if (len < OLD_HEADER)
			return (size_t)-1;
		uint32_t nlibs = get32(b + 12);
		if (nlibs > (len - OLD_HEADER) / OLD_ENTRY)
			return (size_t)-1;
		size_t off = ALIGN8(OLD_HEADER + (size_t)nlibs * OLD_ENTRY);
		/* an old-format-only cache (glibc before 2.32 could write one) is treated as absent */
		return off <= len ? off : (size_t)-1;
	}
	return 0;
}

/* A NUL-terminated string at base+off inside the image, or NULL. */
static const char *string_at(const unsigned char *b, size_t len, size_t base, uint32_t off)
{
	if (off >= len - base)
		return NULL;
	const char *s = (const char *)b + base + off;
	return memchr(s, 0, len - base - off) ? s : NULL;
}

/* Larger is better: our architecture, no hwcap subdirectory, a versioned name (libc.so.6,
 * not the development link libc.so). Ties go to the shorter key, then to the first. */
static int rank(int32_t flags, uint64_t hwcap, int versioned)
{
	return ((flags & FLAG_REQUIRED_MASK) == OUR_ARCH) * 4 + !hwcap * 2 + versioned;
}

int ldcache_lookup_buf(const void *buf, size_t len, const char *name, char *out, size_t n)
{
	const unsigned char *b = buf;
	size_t base = new_header(b, len);
	if (base == (size_t)-1 || len - base < NEW_HEADER || memcmp(b + base, NEW_MAGIC, sizeof(NEW_MAGIC) - 1))
		return -1;
	unsigned endian = b[base + 28] & ENDIAN_MASK;
	const uint32_t one = 1;
	unsigned ours = *(const unsigned char *)&one ? ENDIAN_LITTLE : ENDIAN_BIG;
	if (endian && endian != ours)
		return -1;
	uint32_t nlibs = get32(b + base + 20);
	if (nlibs > (len - base - NEW_HEADER) / NEW_ENTRY)
		return -1;

	/* libc, c, libc.so → stem "libc": keys "libc.so" and "libc.so.N"; libc.so.6 → itself */
	char stem[256];
	size_t nl = strlen(name);
	if (nl >= 3 && !strcmp(name + nl - 3, ".so"))
		nl -= 3;
	if (snprintf(stem, sizeof(stem), "%s%.*s", strncmp(name, "lib", 3) ? "lib" : "", (int)nl, name) >=
	    (int)sizeof(stem))
		return -1;
	size_t sl = strlen(stem);

	const char *best = NULL;
	int best_rank = -1;
	size_t best_len = 0;
	for (uint32_t i = 0; i < nlibs; i++) {
		const unsigned char *e = b + base + NEW_HEADER + (size_t)i * NEW_ENTRY;
		const char *key = string_at(b, len, base, get32(e + 4));
		const char *value = string_at(b, len, base, get32(e + 8));
		if (!key || !value || value[0] != '/')
			continue;
		int exact = !strcmp(key, stem);
		int versioned = !strncmp(key, stem, sl) && !strncmp(key + sl, ".so.", 4) && key[sl + 4];
		if (!exact && !versioned && !(!strncmp(key, stem, sl) && !strcmp(key + sl, ".so")))
			continue;
		if (((int32_t)get32(e) & FLAG_REQUIRED_MASK) != OUR_ARCH)
			continue;	/* an i386 library cannot be probed in our processes */
		int r = rank((int32_t)get32(e), get64(e + 16), exact || versioned);
		size_t kl = strlen(key);
		if (r > best_rank || (r == best_rank && kl < best_len)) {
			best = value;
			best_rank = r;
			best_len = kl;
		}
	}
	if (!best || (size_t)snprintf(out, n, "%s", best) >= n)
		return -1;
	return 0;
}

int ldcache_lookup(const char *root, const char *name, char *out, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/etc/ld.so.cache", root);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) || st.st_size <= 0 || (uint64_t)st.st_size > MAX_CACHE) {
		close(fd);
		return -1;
	}
	size_t len = (size_t)st.st_size, got = 0;
	unsigned char *buf = xmalloc(len);
	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	rc = ldcache_lookup_buf(buf, got, name, out, n);
	free(buf);
	return rc;
}
