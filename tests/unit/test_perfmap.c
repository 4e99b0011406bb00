/* Perf maps (sym/perfmap.c): the lines JITs write, read from files in a fresh temporary
 * directory; and their use by sym_user_info() for anonymous executable memory of this very
 * process, with a map written to /tmp/perf-PID.map like a JIT's. */
#include "test.h"
#include "sym/perfmap.h"
#include "sym/resolve.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[64];

static const char *fixture(const char *name, const char *text, const char *mode)
{
	static char path[128];
	if (!dir[0]) {
		strcpy(dir, "/tmp/sonde-perfmap-XXXXXX");
		if (!mkdtemp(dir))
			return NULL;
	}
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, mode);
	fputs(text, f);
	fclose(f);
	return path;
}

static void cleanup(const char *name)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
	if (rmdir(dir) == 0)	/* once the last fixture is gone */
		dir[0] = 0;
}

/* The name ADDR resolves to and its offset in the function: "name+0x10", or NULL. */
static const char *at(struct perfmap *m, uint64_t addr)
{
	static char buf[256];
	struct perfmap_sym s;
	if (!perfmap_find(m, addr, &s))
		return NULL;
	snprintf(buf, sizeof(buf), "%s+0x%llx", s.name, (unsigned long long)(addr - s.start));
	return buf;
}

/* What `jcmd PID Compiler.perfmap` writes, with the lines other JITs write mixed in. */
static const char java_map[] =
	"0x00007f3c5c000100 0x0000000000000080 Interpreter\n"
	"0x00007f3c5c000200 0x0000000000000140 void java.lang.String.<init>(byte[], byte) [c1, tier 3]\n"
	"7f3c5c001000 40 LazyCompile:*fib /srv/app.js:3:13\n"	/* Node.js: bare hex */
	"0x7f3c5c002000 0x20 trailing blanks and CR \t\r\n"
	"this is not a line of a perf map\n"
	"0x7f3c5c003000\n"
	"0x7f3c5c003000 0x10\n"
	"0x7f3c5c004000 0x0 an empty function\n"
	"\n";

TEST(test_perfmap_reads_java_style_lines_with_0x_and_names_with_spaces)
{
	const char *path = fixture("java.map", java_map, "w");
	struct perfmap *m = perfmap_new(path, NULL, "/tmp/perf-1.map");
	EXPECT_INT(perfmap_present(m), 0);
	EXPECT_INT(perfmap_load(m), 0);
	EXPECT_INT(perfmap_present(m), 1);
	EXPECT_STR(perfmap_shown(m), "/tmp/perf-1.map");
	EXPECT_STR(at(m, 0x7f3c5c000100), "Interpreter+0x0");
	EXPECT_STR(at(m, 0x7f3c5c00017f), "Interpreter+0x7f");
	EXPECT_STR(at(m, 0x7f3c5c000180), NULL);
	EXPECT_STR(at(m, 0x7f3c5c000210), "void java.lang.String.<init>(byte[], byte) [c1, tier 3]+0x10");
	EXPECT_STR(at(m, 0x7f3c5c001039), "LazyCompile:*fib /srv/app.js:3:13+0x39");
	EXPECT_STR(at(m, 0x7f3c5c002001), "trailing blanks and CR+0x1");
	/* malformed lines and empty functions name nothing */
	EXPECT_STR(at(m, 0x7f3c5c003000), NULL);
	EXPECT_STR(at(m, 0x7f3c5c004000), NULL);
	EXPECT_STR(at(m, 0), NULL);
	EXPECT_STR(at(m, UINT64_MAX), NULL);
	perfmap_free(m);
	cleanup("java.map");
}

TEST(test_perfmap_a_later_line_wins_where_lines_overlap)
{
	const char *path = fixture("reuse.map",
				   "0x1000 0x1000 old_big\n"		/* [0x1000, 0x2000) */
				   "0x1400 0x100 inside\n"		/* [0x1400, 0x1500) */
				   "0x1000 0x80 same_start\n"		/* [0x1000, 0x1080) */
				   "0x1800 0x1000 straddles\n"		/* [0x1800, 0x2800) */
				   "0x3000 0x10 small_first\n"
				   "0x2f00 0x200 covers_it_later\n"	/* [0x2f00, 0x3100) */
				   "0x5000 0x40 recompiled\n"
				   "0x5000 0x40 recompiled again\n"
				   "0xffffffffffffff00 0x1000 at_the_top\n",	/* clipped, not wrapped */
				   "w");
	struct perfmap *m = perfmap_new(path, NULL, "x");
	EXPECT_INT(perfmap_load(m), 0);
	EXPECT_STR(at(m, 0xfff), NULL);
	EXPECT_STR(at(m, 0x1000), "same_start+0x0");
	EXPECT_STR(at(m, 0x107f), "same_start+0x7f");
	EXPECT_STR(at(m, 0x1080), "old_big+0x80");
	EXPECT_STR(at(m, 0x13ff), "old_big+0x3ff");
	EXPECT_STR(at(m, 0x1400), "inside+0x0");
	EXPECT_STR(at(m, 0x1500), "old_big+0x500");
	EXPECT_STR(at(m, 0x1800), "straddles+0x0");
	EXPECT_STR(at(m, 0x2000), "straddles+0x800");
	EXPECT_STR(at(m, 0x27ff), "straddles+0xfff");
	EXPECT_STR(at(m, 0x2800), NULL);
	EXPECT_STR(at(m, 0x3008), "covers_it_later+0x108");
	EXPECT_STR(at(m, 0x30ff), "covers_it_later+0x1ff");
	EXPECT_STR(at(m, 0x3100), NULL);
	EXPECT_STR(at(m, 0x5010), "recompiled again+0x10");
	EXPECT_STR(at(m, 0xffffffffffffff10), "at_the_top+0x10");
	EXPECT_STR(at(m, UINT64_MAX - 1), "at_the_top+0xfe");
	EXPECT_STR(at(m, 0x10), NULL);
	perfmap_free(m);
	cleanup("reuse.map");
}

/* Random lines in a small space, every address checked against the rule itself: the last line covering it. */
TEST(test_perfmap_overlaps_agree_with_the_last_covering_line_everywhere)
{
	enum { LINES = 400, SPACE = 0x1000 };
	static unsigned start[LINES], size[LINES];
	char *text = malloc(LINES * 32), *p = text;
	srand(7);
	for (int i = 0; i < LINES; i++) {
		start[i] = (unsigned)rand() % SPACE;
		size[i] = 1 + (unsigned)rand() % (i % 8 ? 0x40 : 0x400);
		p += sprintf(p, "%x %x f%d\n", start[i], size[i], i);
	}
	const char *path = fixture("random.map", text, "w");
	free(text);
	struct perfmap *m = perfmap_new(path, NULL, "x");
	EXPECT_INT(perfmap_load(m), 0);
	int wrong = 0;
	for (unsigned a = 0; a < SPACE + 0x400; a++) {
		int want = -1;
		for (int i = 0; i < LINES; i++)
			if (a >= start[i] && a < start[i] + size[i])
				want = i;
		struct perfmap_sym s;
		int found = perfmap_find(m, a, &s);
		char name[16];
		snprintf(name, sizeof(name), "f%d", want);
		if (found != (want >= 0) || (found && (strcmp(s.name, name) || s.start != start[want])))
			wrong++;
	}
	EXPECT_INT(wrong, 0);
	perfmap_free(m);
	cleanup("random.map");
}

TEST(test_perfmap_a_line_counts_once_its_newline_is_written)
{
	const char *path = fixture("grow.map", "0x1000 0x10 done\n0x2000 0x10 half", "w");
	struct perfmap *m = perfmap_new(path, NULL, "x");
	EXPECT_INT(perfmap_load(m), 0);
	EXPECT_STR(at(m, 0x1000), "done+0x0");
	EXPECT_STR(at(m, 0x2000), NULL);
	struct perfmap_sym kept;
	EXPECT_INT(perfmap_find(m, 0x1001, &kept), 1);
	fixture("grow.map", "way\n0x3000 0x10 third\n", "a");
	EXPECT_INT(perfmap_load(m), 0);
	EXPECT_STR(at(m, 0x2000), "halfway+0x0");
	EXPECT_STR(at(m, 0x3000), "third+0x0");
	/* a name handed out before the map was read again is still there */
	EXPECT_STR(kept.name, "done");
	perfmap_free(m);
	cleanup("grow.map");
}

TEST(test_perfmap_refresh_rereads_a_changed_file_at_most_every_200_ms)
{
	const char *path = fixture("refresh.map", "0x1000 0x10 first\n", "w");
	struct perfmap *m = perfmap_new(path, NULL, "x");
	perfmap_refresh(m);	/* never read: read now */
	EXPECT_STR(at(m, 0x1000), "first+0x0");
	fixture("refresh.map", "0x2000 0x10 second\n", "a");
	perfmap_refresh(m);
	EXPECT_STR(at(m, 0x2000), NULL);
	usleep(250 * 1000);
	perfmap_refresh(m);
	EXPECT_STR(at(m, 0x2000), "second+0x0");
	/* the file gone (its process and /proc/PID/root with it): what was read stays */
	unlink(path);
	usleep(250 * 1000);
	perfmap_refresh(m);
	EXPECT_INT(perfmap_load(m), -2);
	EXPECT_STR(at(m, 0x2000), "second+0x0");
	perfmap_free(m);
	cleanup("refresh.map");
}

TEST(test_perfmap_reads_the_fallback_when_the_first_path_is_missing)
{
	const char *path = fixture("fallback.map", "0x1000 0x10 from_the_fallback\n", "w");
	struct perfmap *m = perfmap_new("/proc/2147483647/root/tmp/perf-1.map", path, "x");
	EXPECT_INT(perfmap_load(m), 0);
	EXPECT_STR(at(m, 0x1000), "from_the_fallback+0x0");
	perfmap_free(m);
	m = perfmap_new("/nonexistent/perf-1.map", NULL, "x");
	EXPECT_INT(perfmap_load(m), -2);
	EXPECT_INT(perfmap_present(m), 0);
	EXPECT_STR(at(m, 0x1000), NULL);
	perfmap_free(m);
	cleanup("fallback.map");
}

static double elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 100k lines, in a shuffled order, 1 in 10 reusing an earlier line's memory. */
TEST(test_perfmap_reads_100k_lines_in_well_under_a_second)
{
	enum { N = 100000 };
	char *text = malloc((size_t)N * 64), *p = text;
	for (unsigned i = 0; i < N; i++) {
		unsigned slot = (i * 7919u) % N;
		if (i % 10 == 9)
			slot = ((i - 9) * 7919u) % N;	/* recompiled: the later name wins */
		p += sprintf(p, "%llx %x LazyCompile:*fn%u /srv/app.js:%u:1\n",
			     0x7f0000000000ull + (unsigned long long)slot * 0x100, 0x100u, i, i);
	}
	const char *path = fixture("big.map", text, "w");
	free(text);
	struct perfmap *m = perfmap_new(path, NULL, "x");
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_INT(perfmap_load(m), 0);
	double ms = elapsed_ms(&t0);
	printf("  (100k-line perf map read in %.1f ms)\n", ms);
	EXPECT_INT(ms < 1000, 1);
	EXPECT_STR(at(m, 0x7f0000000000ull + 1), "LazyCompile:*fn9 /srv/app.js:9:1+0x1");
	EXPECT_STR(at(m, 0x7f0000000000ull + 7919 * 0x100 + 0xff), "LazyCompile:*fn1 /srv/app.js:1:1+0xff");
	EXPECT_STR(at(m, 0x7f0000000000ull + (unsigned long long)N * 0x100), NULL);
	perfmap_free(m);
	cleanup("big.map");
}

/* JIT code in this process: an anonymous executable page named by /tmp/perf-PID.map. */
TEST(test_usym_names_jit_code_in_anonymous_memory_from_the_perf_map)
{
	long page = sysconf(_SC_PAGESIZE);
	char *code = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_INT(code != MAP_FAILED, 1);
	if (code == MAP_FAILED)
		return;
	char path[64], text[256];
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", getpid());
	snprintf(text, sizeof(text), "%llx 40 JS:*hot /srv/app.js:1:1\n%llx 40 JS:*hot /srv/app.js:1:1 (recompiled)\n",
		 (unsigned long long)(uintptr_t)code + 0x100, (unsigned long long)(uintptr_t)code + 0x100);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	struct sym_cache *c = sym_cache_new();
	struct sym_info si;
	EXPECT_INT(sym_user_info(c, getpid(), (uintptr_t)code + 0x101, &si), 1);
	EXPECT_STR(si.name, "JS:*hot /srv/app.js:1:1 (recompiled)");
	EXPECT_INT(si.offset, 1);
	EXPECT_INT(si.kind, SYM_JIT);
	EXPECT_STR(si.module, path);
	/* the mapping holding it (the kernel may have merged it with a neighbour) */
	EXPECT_INT(si.map_start <= (uintptr_t)code && (uintptr_t)code + 2 * (uintptr_t)page <= si.map_end, 1);
	/* the same memory outside any line: unknown, but under the perf map's name like perf's */
	EXPECT_INT(sym_user_info(c, getpid(), (uintptr_t)code + 0x200, &si), 0);
	EXPECT_INT(si.kind, SYM_UNKNOWN);
	EXPECT_STR(si.module, path);
	EXPECT_STR(sym_user(c, getpid(), (uintptr_t)code + 0x13f), "JS:*hot /srv/app.js:1:1 (recompiled)");
	/* a file's function is still the file's */
	EXPECT_INT(sym_user_info(c, getpid(), (uintptr_t)&sym_cache_new, &si), 1);
	EXPECT_STR(si.name, "sym_cache_new");
	EXPECT_INT(si.kind, SYM_USER);
	sym_cache_free(c);
	unlink(path);
	munmap(code, (size_t)page * 2);
}

/* /tmp is anyone's: a FIFO or a link to /dev/zero must not hang or exhaust sonde, and a map
 * someone else wrote for the process is not believed. */
TEST(test_perfmap_reads_only_regular_files_of_root_or_the_jits_user)
{
	const char *path = fixture("good.map", "0x1000 0x10 named\n", "w");
	char fifo[160], link[160];
	snprintf(fifo, sizeof(fifo), "%s/fifo.map", dir);
	snprintf(link, sizeof(link), "%s/zero.map", dir);
	EXPECT_INT(mkfifo(fifo, 0600), 0);
	EXPECT_INT(symlink("/dev/zero", link), 0);
	struct perfmap *m = perfmap_new(fifo, NULL, "x");
	EXPECT_INT(perfmap_load(m) < 0, 1);	/* at once: opened without blocking, then refused */
	perfmap_free(m);
	m = perfmap_new(link, NULL, "x");
	EXPECT_INT(perfmap_load(m) < 0, 1);
	perfmap_free(m);
	EXPECT_INT(chown(path, 4242, 4242), 0);
	m = perfmap_new(path, NULL, "x");
	perfmap_set_owner(m, 1000);
	EXPECT_INT(perfmap_load(m) < 0, 1);	/* written by uid 4242 for a process of uid 1000 */
	perfmap_set_owner(m, 4242);
	EXPECT_INT(perfmap_load(m), 0);
	EXPECT_STR(at(m, 0x1004), "named+0x4");
	perfmap_free(m);
	unlink(fifo);
	unlink(link);
	cleanup("good.map");
}
