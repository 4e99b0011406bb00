/*
 * A program linked against build/targets/libprobes.so (found next to it
 * through its rpath $ORIGIN), for tests of probes in a shared library:
 *   uselib calls N      N times: lp_scale(i, 3), lp_fire(i, "item") and
 *                       lp_point({i, 1000 + i, 7 * i, "p<i % 10>"}); then
 *                       prints "N calls: sum S, gated G" (G: how many
 *                       times the semaphore-gated probe was reached)
 *   uselib wait MS N    sleep MS milliseconds first, then as `calls N`
 *   uselib armed N LINKS [TWIN]
 *                       wait (15 s at most) until the tracer bound to this
 *                       process (the one whose command line holds "-p PID")
 *                       holds LINKS BPF links: only then are its programs
 *                       in place (on the perf-event path the breakpoint
 *                       shows before the program is linked); then, with a
 *                       TWIN pid (a child started by `uselib twin`), send it
 *                       SIGUSR1 and wait for it to end; then as `calls N`.
 *                       A -p test needs no guess of how long attaching takes
 *   uselib twin N       wait (17 s at most) for SIGUSR1, then as `calls N`
 *   uselib depth D      lp_depth(D) once (D + 1 nested calls); prints it
 *   uselib hold MS      lp_scale() and lp_fire() every 10 ms for MS
 *                       milliseconds or until SIGUSR1; prints "held: K
 *                       calls" at the end, which shows it survived the
 *                       tracer coming and going
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "libprobes.h"

static void sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
	nanosleep(&t, NULL);
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void calls(long n)
{
	long sum = 0;
	int gated = 0;
	for (long i = 0; i < n; i++) {
		struct point p = { (int32_t)i, 1000 + (int32_t)i, 7 * i, "p0" };
		p.name[1] = (char)('0' + i % 10);
		sum += lp_scale(i, 3);
		gated += lp_fire(i, "item");
		sum += lp_point(&p);
	}
	printf("%ld calls: sum %ld, gated %d\n", n, sum, gated);
}

/* Whether /proc/PID/cmdline holds "-p" followed by our pid. */
static int binds_us(const char *pid)
{
	char path[64], args[4096], me[24];
	snprintf(path, sizeof(path), "/proc/%s/cmdline", pid);
	snprintf(me, sizeof(me), "%d", (int)getpid());
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(args, 1, sizeof(args) - 1, f);
	fclose(f);
	args[n] = 0;
	for (size_t i = 0; i < n; i += strlen(args + i) + 1)
		if (!strcmp(args + i, "-p") && i + 3 < n && !strcmp(args + i + 3, me))
			return 1;
	return 0;
}

/* The BPF links (fdinfo with a link_id) that process PID holds. */
static int links_of(const char *pid)
{
	char dir[64], path[320], line[256];
	snprintf(dir, sizeof(dir), "/proc/%s/fdinfo", pid);
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int links = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "link_id:", 8))
				links++;
		fclose(f);
	}
	closedir(d);
	return links;
}

/* The links held by a tracer bound to this process with -p (the most any holds). */
static int tracer_links(void)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	int most = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && binds_us(e->d_name)) {
			int n = links_of(e->d_name);
			most = n > most ? n : most;
		}
	closedir(d);
	return most;
}

static int armed(long n, int links, pid_t twin)
{
	long end = now_ms() + 15000;
	while (tracer_links() < links && now_ms() < end)
		sleep_ms(5);
	if (tracer_links() < links)
		printf("the tracer holds %d links, not %d\n", tracer_links(), links);
	if (twin > 0) {
		kill(twin, SIGUSR1);
		waitpid(twin, NULL, 0);
	}
	calls(n);
	return 0;
}

static int twin(long n)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	struct timespec limit = { 17, 0 };
	if (sigtimedwait(&set, NULL, &limit) < 0)
		puts("twin: no signal");
	calls(n);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_usr1(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "calls")) {
		calls(atol(argv[2]));
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "wait")) {
		sleep_ms(atol(argv[2]));
		calls(atol(argv[3]));
		return 0;
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "armed"))
		return armed(atol(argv[2]), atoi(argv[3]), argc == 5 ? (pid_t)atol(argv[4]) : 0);
	if (argc == 3 && !strcmp(argv[1], "twin"))
		return twin(atol(argv[2]));
	if (argc == 3 && !strcmp(argv[1], "depth")) {
		printf("depth %d\n", lp_depth(atoi(argv[2])));
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "hold")) {
		long end = now_ms() + atol(argv[2]), k = 0;
		signal(SIGUSR1, on_usr1);
		while (!stop && now_ms() < end) {
			lp_scale(k, 2);
			lp_fire(k, "hold");
			k++;
			sleep_ms(10);
		}
		printf("held: %ld calls\n", k);
		return 0;
	}
	fputs("usage: uselib calls N | wait MS N | armed N LINKS [TWIN] | twin N | depth D | hold MS\n", stderr);
	return 2;
}
