/* /etc/ld.so.cache lookups (obj/ldcache.c): the real cache, made-up caches that pin the
 * preference order, and corrupt images, which must read as "no cache" and never crash
 * (the unit tests run under AddressSanitizer; every image sits in a buffer of its exact size). */
#include "test.h"
#include "obj/ldcache.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ent {
	uint32_t flags;
	const char *key, *value;
	uint64_t hwcap;
};

#define X86_64 0x0303
#define I386 0x0003

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* A new-format cache image (after `old` entries of an old-format table when old >= 0). */
static size_t make_cache(unsigned char *buf, const struct ent *e, int n, int old)
{
	size_t at = 0;
	if (old >= 0) {
		memset(buf, 0, 16 + (size_t)old * 12 + 8);
		memcpy(buf, "ld.so-1.7.0", 11);
		put32(buf + 12, (uint32_t)old);
		at = (16 + (size_t)old * 12 + 7) & ~(size_t)7;
	}
	unsigned char *h = buf + at;
	memset(h, 0, 48);
	memcpy(h, "glibc-ld.so.cache1.1", 20);
	put32(h + 20, (uint32_t)n);
	h[28] = 2;	/* little-endian */
	size_t str = 48 + (size_t)n * 24;
	for (int i = 0; i < n; i++) {
		unsigned char *p = h + 48 + (size_t)i * 24;
		memset(p, 0, 24);
		put32(p, e[i].flags);
		put32(p + 4, (uint32_t)str);
		strcpy((char *)h + str, e[i].key);
		str += strlen(e[i].key) + 1;
		put32(p + 8, (uint32_t)str);
		strcpy((char *)h + str, e[i].value);
		str += strlen(e[i].value) + 1;
		memcpy(p + 16, &e[i].hwcap, 8);
	}
	put32(h + 24, (uint32_t)(str - 48 - (size_t)n * 24));
	return at + str;
}

static char found[512];

/* Looks name up in a copy of the image of exactly len bytes; the path, or NULL. */
static const char *lookup(const unsigned char *img, size_t len, const char *name)
{
	unsigned char *copy = malloc(len ? len : 1);
	memcpy(copy, img, len);
	int rc = ldcache_lookup_buf(copy, len, name, found, sizeof(found));
	free(copy);
	return rc ? NULL : found;
}

static int ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);
	return a >= b && !strcmp(s + a - b, tail);
}

static const struct ent sample[] = {
	{ X86_64, "libz3.so.4", "/lib/x86_64-linux-gnu/libz3.so.4", 0 },
	{ X86_64, "libz.so", "/lib/x86_64-linux-gnu/libz.so", 0 },
	{ I386, "libz.so.1", "/lib32/libz.so.1", 0 },
	{ X86_64, "libz.so.1", "/lib/x86_64-linux-gnu/libz.so.1", 0 },
	{ X86_64, "libpython3.11.so.1.0", "/lib/x86_64-linux-gnu/libpython3.11.so.1.0", 0 },
	{ X86_64, "libpython3.11.so", "/lib/x86_64-linux-gnu/libpython3.11.so", 0 },
	{ X86_64, "libm.so.6", "/lib/x86_64-linux-gnu/glibc-hwcaps/x86-64-v3/libm.so.6", 1ull << 62 },
	{ X86_64, "libm.so.6", "/lib/x86_64-linux-gnu/libm.so.6", 0 },
	{ I386, "libc.so.6", "/lib32/libc.so.6", 0 },
	{ X86_64, "libc.so.6", "/lib/x86_64-linux-gnu/libc.so.6", 0 },
	{ X86_64, "libfoo.so.1.2", "/lib/libfoo.so.1.2", 0 },
	{ X86_64, "libfoo.so.1", "/lib/libfoo.so.1", 0 },
	{ I386, "libonly32.so.2", "/lib32/libonly32.so.2", 0 },
	{ X86_64, "libbad.so.1", "relative/libbad.so.1", 0 },
};

TEST(test_ldcache_real_cache_resolves_libc_to_the_64_bit_library)
{
	if (access("/etc/ld.so.cache", R_OK)) {
		EXPECT_STR("no /etc/ld.so.cache", "a readable /etc/ld.so.cache");
		return;
	}
	static const char *const names[] = { "libc", "c", "libc.so", "libc.so.6" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[512] = "";
		EXPECT_INT(ldcache_lookup("", names[i], path, sizeof(path)), 0);
		EXPECT_INT(ends_with(path, "/libc.so.6"), 1);
		EXPECT_INT(access(path, R_OK), 0);
		EXPECT_INT(strstr(path, "lib32") == NULL, 1);
	}
	char path[512];
	EXPECT_INT(ldcache_lookup("", "libno-such-library-anywhere", path, sizeof(path)), -1);
	EXPECT_INT(ldcache_lookup("/nonexistent-root", "libc", path, sizeof(path)), -1);
}

TEST(test_ldcache_short_names_prefer_our_arch_a_version_and_the_shortest)
{
	static unsigned char img[4096];
	size_t len = make_cache(img, sample, (int)(sizeof(sample) / sizeof(sample[0])), -1);
	EXPECT_STR(lookup(img, len, "libc"), "/lib/x86_64-linux-gnu/libc.so.6");
	EXPECT_STR(lookup(img, len, "c"), "/lib/x86_64-linux-gnu/libc.so.6");
	EXPECT_STR(lookup(img, len, "libc.so"), "/lib/x86_64-linux-gnu/libc.so.6");
	EXPECT_STR(lookup(img, len, "libc.so.6"), "/lib/x86_64-linux-gnu/libc.so.6");
	/* the versioned soname, not the development link libz.so, not the 32-bit one, not libz3 */
	EXPECT_STR(lookup(img, len, "libz"), "/lib/x86_64-linux-gnu/libz.so.1");
	EXPECT_STR(lookup(img, len, "z"), "/lib/x86_64-linux-gnu/libz.so.1");
	EXPECT_STR(lookup(img, len, "libz3"), "/lib/x86_64-linux-gnu/libz3.so.4");
	EXPECT_STR(lookup(img, len, "libpython3.11"), "/lib/x86_64-linux-gnu/libpython3.11.so.1.0");
	EXPECT_STR(lookup(img, len, "libpython3"), NULL);
	/* the baseline library, not a glibc-hwcaps variant */
	EXPECT_STR(lookup(img, len, "libm"), "/lib/x86_64-linux-gnu/libm.so.6");
	EXPECT_STR(lookup(img, len, "libfoo"), "/lib/libfoo.so.1");
	/* another architecture's library never: our processes cannot map it */
	EXPECT_STR(lookup(img, len, "libonly32"), NULL);
	EXPECT_STR(lookup(img, len, "libbad"), NULL);
	EXPECT_STR(lookup(img, len, "libzz"), NULL);
	EXPECT_STR(lookup(img, len, "li"), NULL);
	EXPECT_STR(lookup(img, len, ""), NULL);
}

TEST(test_ldcache_new_format_behind_the_old_one_is_found)
{
	static unsigned char img[4096];
	size_t len = make_cache(img, sample, 3, 5);
	EXPECT_STR(lookup(img, len, "libz"), "/lib/x86_64-linux-gnu/libz.so");
	/* an old table claiming more entries than the file holds */
	put32(img + 12, 0x7fffffff);
	EXPECT_STR(lookup(img, len, "libz"), NULL);
	/* an old-format-only cache counts as none */
	EXPECT_STR(lookup(img, 16 + 5 * 12, "libz"), NULL);
}

TEST(test_ldcache_a_path_too_long_for_the_caller_is_not_returned)
{
	static unsigned char img[4096];
	size_t len = make_cache(img, sample, (int)(sizeof(sample) / sizeof(sample[0])), -1);
	char small[8];
	EXPECT_INT(ldcache_lookup_buf(img, len, "libc", small, sizeof(small)), -1);
}

TEST(test_ldcache_corrupt_headers_read_as_no_cache)
{
	static unsigned char img[4096];
	size_t len = make_cache(img, sample, (int)(sizeof(sample) / sizeof(sample[0])), -1);
	EXPECT_STR(lookup(img, 0, "libc"), NULL);
	EXPECT_STR(lookup(img, 20, "libc"), NULL);
	EXPECT_STR(lookup(img, 47, "libc"), NULL);
	EXPECT_STR(lookup((const unsigned char *)"ld.so-1.7", 9, "libc"), NULL);
	/* more entries than bytes */
	put32(img + 20, 0xffffffff);
	EXPECT_STR(lookup(img, len, "libc"), NULL);
	put32(img + 20, (uint32_t)(sizeof(sample) / sizeof(sample[0])) + 200);
	EXPECT_STR(lookup(img, len, "libc"), NULL);
	put32(img + 20, (uint32_t)(sizeof(sample) / sizeof(sample[0])));
	/* the other byte order */
	img[28] = 3;
	EXPECT_STR(lookup(img, len, "libc"), NULL);
	img[28] = 2;
	/* a wrong version */
	img[19] = '2';
	EXPECT_STR(lookup(img, len, "libc"), NULL);
	img[19] = '1';
	EXPECT_STR(lookup(img, len, "libc"), "/lib/x86_64-linux-gnu/libc.so.6");
}

TEST(test_ldcache_strings_outside_the_image_are_skipped)
{
	static unsigned char img[4096];
	const struct ent two[] = {
		{ X86_64, "libc.so.6", "/lib/a/libc.so.6", 0 },
		{ X86_64, "libc.so.6", "/lib/b/libc.so.6", 0 },
	};
	size_t len = make_cache(img, two, 2, -1);
	put32(img + 48 + 4, 0xfffffff0);	/* first entry's key */
	EXPECT_STR(lookup(img, len, "libc"), "/lib/b/libc.so.6");
	put32(img + 48 + 24 + 8, (uint32_t)len);	/* second entry's value: one past the end */
	EXPECT_STR(lookup(img, len, "libc"), NULL);
	/* a last string without its NUL */
	len = make_cache(img, two, 2, -1);
	EXPECT_STR(lookup(img, len - 1, "libc"), "/lib/a/libc.so.6");
}

TEST(test_ldcache_every_truncation_is_safe)
{
	static unsigned char img[4096];
	size_t len = make_cache(img, sample, (int)(sizeof(sample) / sizeof(sample[0])), 2);
	int found_whole = 0;
	for (size_t l = 0; l <= len; l++) {
		const char *p = lookup(img, l, "libc");
		/* a cut image answers right or not at all */
		if (p && strcmp(p, "/lib/x86_64-linux-gnu/libc.so.6") && strcmp(p, "/lib32/libc.so.6"))
			EXPECT_STR(p, "/lib/x86_64-linux-gnu/libc.so.6 or nothing");
		found_whole = p != NULL;
	}
	EXPECT_INT(found_whole, 1);
}

/* Random bytes written over the real cache: the parser must stay inside it. */
TEST(test_ldcache_scrambled_real_cache_never_reads_outside)
{
	FILE *f = fopen("/etc/ld.so.cache", "rb");
	if (!f) {
		EXPECT_STR("no /etc/ld.so.cache", "a readable /etc/ld.so.cache");
		return;
	}
	static unsigned char real[1 << 20];
	size_t len = fread(real, 1, sizeof(real), f);
	fclose(f);
	EXPECT_INT(len > 48 && len < sizeof(real), 1);
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	int answered = 0;
	for (int round = 0; round < 400; round++) {
		unsigned char *copy = malloc(len);
		memcpy(copy, real, len);
		for (int k = 0; k < 16; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			/* mostly the header and the first entries, where offsets and counts live */
			size_t at = (size_t)(seed >> 33) % (k < 12 ? 48 + 24 * 64 : len);
			copy[at < len ? at : len - 1] = (unsigned char)(seed >> 24);
		}
		size_t l = round % 4 ? len : (size_t)(seed >> 40) % len;
		char path[512];
		if (!ldcache_lookup_buf(copy, l, "libc", path, sizeof(path))) {
			answered++;
			EXPECT_INT(path[0], '/');
		}
		free(copy);
	}
	/* most scrambles leave the libc entry intact */
	EXPECT_INT(answered > 0, 1);
}
