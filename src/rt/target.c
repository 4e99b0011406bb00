#include "target.h"
#include <sys/stat.h>
#include "../util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* The file execvp would run: a path as given, or the first executable regular file of
 * that name on $PATH. Resolved here so the child execs once (execvp's tries
 * along $PATH would show, failing, in a trace of the command). 1 when found. */
static int find_program(const char *name, char *out, size_t outlen)
{
	struct stat st;
	if (strchr(name, '/')) {
		snprintf(out, outlen, "%s", name);
		return access(name, X_OK) == 0;
	}
	const char *path = getenv("PATH");
	char *dirs = xstrdup(path ? path : "/usr/bin:/bin");
	int found = 0;
	for (char *dir = strtok(dirs, ":"); dir && !found; dir = strtok(NULL, ":")) {
		snprintf(out, outlen, "%s/%s", *dir ? dir : ".", name);
		found = access(out, X_OK) == 0 && stat(out, &st) == 0 && S_ISREG(st.st_mode);
	}
	free(dirs);
	return found;
}

int target_spawn(struct target *t, const char *cmd, char *const *words, struct diag *d)
{
	memset(t, 0, sizeof(*t));
	t->go_fd = t->err_fd = t->pidfd = -1;
	/* argv: the words given (a tool's `-- CMD ARGS`), or the command split on blanks, as bpftrace does */
	char *copy = xstrdup(cmd ? cmd : "");
	VEC(char *) argv = { 0 };
	for (int i = 0; words && words[i]; i++)
		VEC_PUSH(argv, words[i]);
	for (char *tok = words ? NULL : strtok(copy, " \t"); tok; tok = strtok(NULL, " \t"))
		VEC_PUSH(argv, tok);
	VEC_PUSH(argv, NULL);
	if (!argv.v[0]) {
		diag_plain(d, "-c needs a command to run");
		free(argv.v);
		free(copy);
		return -1;
	}
	char program[4096];
	if (!find_program(argv.v[0], program, sizeof(program))) {
		diag_plain(d, "cannot run '%s'%s: no such program", argv.v[0], words ? "" : " (-c)");
		free(argv.v);
		free(copy);
		return -1;
	}
	int go[2], err[2];
	if (pipe2(go, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) {
		diag_plain(d, "cannot start '%s': %s", cmd, strerror(errno));
		free(argv.v);
		free(copy);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0) {
		/* Wait until every probe is attached, then become the command. */
		char c;
		close(go[1]);
		close(err[0]);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execv(program, argv.v);
		int e = errno;
		if (write(err[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(err[1]);
	snprintf(t->program, sizeof(t->program), "%s", argv.v[0]);
	free(argv.v);
	free(copy);
	if (pid < 0) {
		diag_plain(d, "cannot start '%s': %s", cmd, strerror(errno));
		close(go[1]);
		close(err[0]);
		return -1;
	}
	t->pid = pid;
	t->is_child = 1;
	t->go_fd = go[1];
	t->err_fd = err[0];
	t->pidfd = pidfd_open(pid);
	return 0;
}

int target_follow(struct target *t, pid_t pid, struct diag *d)
{
	memset(t, 0, sizeof(*t));
	t->go_fd = t->err_fd = -1;
	t->pidfd = pidfd_open(pid);
	if (pid <= 0 || t->pidfd < 0) {
		diag_plain(d, "no process with pid %d to trace (-p): %s", (int)pid, strerror(pid <= 0 ? EINVAL : errno));
		return -1;
	}
	t->pid = pid;
	return 0;
}

int target_release(struct target *t, struct diag *d)
{
	if (!t->is_child || t->go_fd < 0)
		return 0;
	char c = 1;
	int rc = 0;
	if (write(t->go_fd, &c, 1) != 1)
		rc = -1;
	close(t->go_fd);
	t->go_fd = -1;
	int e;
	/* EOF: exec closed the pipe, the command runs. An errno: it could not. */
	if (read(t->err_fd, &e, sizeof(e)) == (ssize_t)sizeof(e)) {
		diag_plain(d, "cannot run the -c command: %s", strerror(e));
		rc = -1;
	}
	close(t->err_fd);
	t->err_fd = -1;
	return rc;
}

int target_exited(struct target *t)
{
	if (!t->pid || t->exited)
		return t->exited;
	if (t->is_child) {
		int status;
		if (waitpid(t->pid, &status, WNOHANG) == t->pid)
			t->exited = 1;
		return t->exited;
	}
	struct pollfd p = { .fd = t->pidfd, .events = POLLIN };
	if (t->pidfd >= 0 && poll(&p, 1, 0) == 1)
		t->exited = 1;
	return t->exited;
}

void target_cleanup(struct target *t)
{
	if (t->is_child && t->pid && !t->exited) {
		if (t->go_fd >= 0) {	/* never released: it has not run anything */
			close(t->go_fd);
			t->go_fd = -1;
		} else {
			kill(t->pid, SIGTERM);
		}
		/* a second to go, then SIGKILL: the child is ours to end */
		int gone = 0;
		for (int i = 0; i < 100 && !gone; i++) {
			gone = waitpid(t->pid, NULL, WNOHANG) == t->pid;
			if (!gone)
				usleep(10000);
		}
		if (!gone) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, NULL, 0);
		}
		t->exited = 1;
	}
	if (t->go_fd >= 0)
		close(t->go_fd);
	if (t->err_fd >= 0)
		close(t->err_fd);
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->go_fd = t->err_fd = t->pidfd = -1;
}
