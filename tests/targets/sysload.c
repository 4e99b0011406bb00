/*
 * A target for end-to-end tests: makes exactly the system calls a test
 * counts, with nothing else to trace. Every loop is bounded.
 *   sysload getppid N            N getppid() calls
 *   sysload timed-getppid N      N getppid() calls; prints "ns_per_call X" on stderr
 *   sysload ia32-getppid N       N 32-bit getppid calls through int $0x80 (ia32 number 64)
 *   sysload spin SECONDS         getppid() every millisecond for SECONDS
 *   sysload spin2 SECONDS        the same, while a forked child makes 200000 getppid() calls
 *   sysload burn MILLISECONDS    a busy loop until it has used that much CPU time
 *   sysload fork-getppid N       fork once; the child makes N getppid() calls, the parent waits for it
 *   sysload exec ARG...          execve("/bin/true", ["true", ARG...])
 *   sysload open PATH            openat(AT_FDCWD, PATH) and close
 *   sysload open2 PATH           open(PATH) (the old syscall), then openat(AT_FDCWD, PATH)
 *   sysload tcp                  one loopback TCP connection, accepted and closed
 *   sysload tcp6                 the same on ::1
 *   sysload timed-tcp N          N such connections; prints "ns_per_call X" (per connection) on stderr
 *   sysload demo                 a little of everything, for `make demo`
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int usage(void)
{
	fputs("usage: sysload getppid N | timed-getppid N | ia32-getppid N | spin SECONDS | spin2 SECONDS | burn MS | fork-getppid N | exec ARG... | open PATH | open2 PATH | tcp | tcp6 | timed-tcp N | demo\n", stderr);
	return 2;
}

/* One loopback connection (IPv4, or IPv6 on ::1), accepted and closed: about ten TCP state changes. */
static int one_tcp(int v6, int print_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr *sa = v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a;
	socklen_t len = v6 ? sizeof(a6) : sizeof(a);
	int srv = socket(sa->sa_family, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, sa, len) || listen(srv, 1) || getsockname(srv, sa, &len))
		return 1;
	int cli = socket(sa->sa_family, SOCK_STREAM, 0);
	if (cli < 0 || connect(cli, sa, len))
		return 1;
	int conn = accept(srv, NULL, NULL);
	if (print_port)
		printf("%d\n", ntohs(v6 ? a6.sin6_port : a.sin_port));
	close(cli);
	if (conn >= 0)
		close(conn);
	close(srv);
	return 0;
}

static int do_tcp(int v6)
{
	return one_tcp(v6, 1);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "getppid") && argc == 3) {
		long n = atol(argv[2]);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return 0;
	}
	if (!strcmp(argv[1], "fork-getppid") && argc == 3) {
		long n = atol(argv[2]);
		pid_t child = fork();
		if (child == 0) {
			for (long i = 0; i < n; i++)
				syscall(SYS_getppid);
			_exit(0);
		}
		int status;
		return child > 0 && waitpid(child, &status, 0) == child && status == 0 ? 0 : 1;
	}
	if (!strcmp(argv[1], "timed-tcp") && argc == 3) {
		long n = atol(argv[2]);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			if (one_tcp(0, 0))
				return 1;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
		fprintf(stderr, "ns_per_call %.1f\n", n > 0 ? ns / (double)n : 0.0);
		return 0;
	}
	if (!strcmp(argv[1], "timed-getppid") && argc == 3) {
		long n = atol(argv[2]);
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
		fprintf(stderr, "ns_per_call %.1f\n", n > 0 ? ns / (double)n : 0.0);
		return 0;
	}
	if (!strcmp(argv[1], "ia32-getppid") && argc == 3) {
		long n = atol(argv[2]), r = 0;
		for (long i = 0; i < n; i++)
			__asm__ volatile("int $0x80" : "=a"(r) : "a"(64L) : "memory");
		return r > 0 ? 0 : 1;
	}
	if (!strcmp(argv[1], "spin") && argc == 3) {
		long ms = atol(argv[2]) * 1000;
		struct timespec tick = { 0, 1000000 };
		for (long i = 0; i < ms; i++) {
			syscall(SYS_getppid);
			nanosleep(&tick, NULL);
		}
		return 0;
	}
	if (!strcmp(argv[1], "burn") && argc == 3) {
		/* CPU time, not wall time: samples stay predictable on a busy machine */
		struct timespec t0, t;
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
		long ms = atol(argv[2]);
		volatile unsigned long sink = 0;
		do {
			for (int i = 0; i < 100000; i++)
				sink += (unsigned long)i;
			clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
		} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
		return 0;
	}
	if (!strcmp(argv[1], "spin2") && argc == 3) {
		pid_t child = fork();
		if (child == 0) {
			for (int i = 0; i < 200000; i++)
				syscall(SYS_getppid);
			_exit(0);
		}
		argv[1] = "spin";
		int rc = main(argc, argv);
		if (child > 0)
			waitpid(child, NULL, 0);
		return rc;
	}
	if (!strcmp(argv[1], "exec") && argc >= 2) {
		argv[1] = "true";
		execv("/bin/true", argv + 1);
		return 1;
	}
	if (!strcmp(argv[1], "open2") && argc == 3) {
		long fd = syscall(SYS_open, argv[2], O_RDONLY);
		if (fd >= 0)
			close((int)fd);
		argv[1] = "open";
		return main(argc, argv);
	}
	if (!strcmp(argv[1], "open") && argc == 3) {
		int fd = openat(AT_FDCWD, argv[2], O_RDONLY);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (!strcmp(argv[1], "tcp") || !strcmp(argv[1], "tcp6"))
		return do_tcp(argv[1][3] == '6');
	if (!strcmp(argv[1], "demo")) {
		static const char *const files[] = { "/etc/hostname", "/etc/os-release", "/etc/passwd" };
		for (int round = 0; round < 3; round++) {
			for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
				int fd = openat(AT_FDCWD, files[i], O_RDONLY);
				char buf[256];
				if (fd >= 0 && read(fd, buf, sizeof(buf)) < 0)
					return 1;
				if (fd >= 0)
					close(fd);
			}
			for (int i = 0; i < 1000; i++)
				syscall(SYS_getppid);
			struct timespec nap = { 0, 100 * 1000000 };
			nanosleep(&nap, NULL);
		}
		return do_tcp(0);
	}
	return usage();
}
