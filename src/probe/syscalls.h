/* System call numbers, for dispatching raw_syscalls events to sys_enter_NAME probes. */
#ifndef SONDE_SYSCALLS_H
#define SONDE_SYSCALLS_H

#define SYSCALL_NR_MAX 1024	/* numbers at or above are not dispatched */

/* The number of the system call a syscalls:sys_enter_NAME tracepoint names; -1 if unknown. */
int syscall_nr(const char *name);
/* The name of system call NR (x86-64 numbering), or NULL. */
const char *syscall_name(int nr);

#endif
