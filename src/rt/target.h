/* The process a run follows: a -c child sonde starts, or a -p process it watches. */
#ifndef SONDE_TARGET_H
#define SONDE_TARGET_H
#include <sys/types.h>
#include "../lang/diag.h"

struct target {
	pid_t pid;		/* 0: none */
	int is_child;		/* started by -c: released after attaching, reaped at the end */
	int go_fd;		/* -c: writing here lets the child exec */
	int err_fd;		/* -c: the child's exec errno, EOF once exec succeeded */
	int pidfd;		/* readable once the process has exited */
	int exited;
	char program[256];	/* -c: argv[0] of the command */
};

/* -c: forks CMD (split on blanks), stopped before exec until target_release(). */
int target_spawn(struct target *t, const char *cmd, char *const *words, struct diag *d);
/* -p: follows an existing process. */
int target_follow(struct target *t, pid_t pid, struct diag *d);
/* -c: lets the child exec; -1 if the exec failed (reported). */
int target_release(struct target *t, struct diag *d);
/* Non-blocking: has the process exited? */
int target_exited(struct target *t);
/* Ends a -c child still running (SIGTERM), reaps it, closes descriptors. */
void target_cleanup(struct target *t);

#endif
