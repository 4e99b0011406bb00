/*
 * JIT frames end to end: a real Node.js (/usr/bin/node, Debian's nodejs)
 * started with --perf-basic-prof runs a hot JS function; once V8 has
 * compiled it and written it to /tmp/perf-PID.map, sym_user_info() must name
 * an address inside it, as SYM_JIT, while the process lives and after it is
 * gone. Only the node process started here is killed (by pid); its perf
 * map is deleted, and the V8 logs --perf-basic-prof leaves in the working
 * directory go with the temporary directory it runs in. Built with the unit
 * tests' harness: prints "N passed, N failed".
 */
#include "test.h"
#include "sym/resolve.h"
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NODE "/usr/bin/node"
#define FN "sondeHotLoop"

/* A named function, hot for at most 10 s: it is killed as soon as the test has what it needs. */
static const char script[] =
	"function " FN "(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }\n"
	"const t = Date.now(); let r = 0;\n"
	"while (Date.now() - t < 10000) r += " FN "(1e5);\n";

static pid_t start_node(const char *dir)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		if (chdir(dir))
			_exit(127);
		execl(NODE, "node", "--perf-basic-prof", "-e", script, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/*
 * The last line of PATH naming FN as optimised code ("JS:*sondeHotLoop …"),
 * which lives in executable anonymous memory; 1 with its start and name.
 */
static int find_line(const char *path, uint64_t *start, char *name, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	char line[512];
	int found = 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long a, size;
		int at;
		if (!strchr(line, '\n') || !strstr(line, "*" FN " ") ||
		    sscanf(line, "%llx %llx %n", &a, &size, &at) != 2)
			continue;
		*start = a;
		snprintf(name, n, "%.*s", (int)strcspn(line + at, "\n"), line + at);
		found = 1;
	}
	fclose(f);
	return found;
}

/* DIR and the files node left in it. */
static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	if (d)
		closedir(d);
	rmdir(dir);
}

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&t, NULL);
}

TEST(test_node_jit_function_is_named_from_its_perf_map_live_and_after_exit)
{
	if (access(NODE, X_OK)) {
		EXPECT_STR("no " NODE, "Node.js at " NODE " (scripts/install-deps.sh installs nodejs)");
		return;
	}
	char dir[] = "/tmp/sonde-jit-XXXXXX";
	if (!mkdtemp(dir)) {
		EXPECT_STR("no temporary directory", dir);
		return;
	}
	pid_t pid = start_node(dir);
	EXPECT_INT(pid > 0, 1);
	if (pid <= 0) {
		remove_dir(dir);
		return;
	}
	char map[64], name[256] = "", module[64];
	snprintf(map, sizeof(map), "/tmp/perf-%d.map", pid);
	snprintf(module, sizeof(module), "/tmp/perf-%d.map", pid);
	uint64_t start = 0;
	int found = 0, status;
	/* V8 optimises the loop within a second; give it 8 */
	for (int waited = 0; waited < 8000 && !found; waited += 50) {
		sleep_ms(50);
		found = find_line(map, &start, name, sizeof(name));
		if (waitpid(pid, &status, WNOHANG) == pid) {
			pid = -1;
			break;
		}
	}
	EXPECT_INT(pid > 0, 1);	/* node still running */
	EXPECT_INT(found, 1);
	if (pid < 0) {
		unlink(map);
		remove_dir(dir);
		return;
	}
	if (found) {
		struct sym_cache *c = sym_cache_new();
		struct sym_info si;
		EXPECT_INT(sym_user_info(c, pid, start + 1, &si), 1);
		EXPECT_STR(si.name, name);
		EXPECT_INT(si.offset, 1);
		EXPECT_INT(si.kind, SYM_JIT);
		EXPECT_STR(si.module, module);
		/* the anonymous executable mapping holding V8's code was kept */
		EXPECT_INT(si.map_start <= start && start < si.map_end, 1);
		sym_cache_free(c);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	if (found) {
		/* gone, and its /proc/PID/root with it: the host's /tmp/perf-PID.map still names it */
		struct sym_cache *c = sym_cache_new();
		struct sym_info si;
		EXPECT_INT(sym_user_info(c, pid, start + 1, &si), 1);
		EXPECT_STR(si.name, name);
		EXPECT_INT(si.kind, SYM_JIT);
		EXPECT_INT(si.map_start, 0);
		sym_cache_free(c);
	}
	unlink(map);
	remove_dir(dir);
}
