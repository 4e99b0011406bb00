/*
 * Processes → sonde_py_procs (python/layout.h): whether a process runs a
 * CPython sonde knows, and where its interpreter list is. Called by the
 * unwinder (unwind/procs.c) for every process it loads, so a Python
 * process's stacks get Python frames with nothing asked of the user.
 */
#ifndef SONDE_PYTHON_PROCS_H
#define SONDE_PYTHON_PROCS_H
#include <stdint.h>

/* Creates the map; fd or -errno. */
int py_procs_open(void);
/*
 * Whether the mapped file at path (as /proc/PID/root/… gives it) is a
 * CPython executable or libpython of a known version: 1, else 0.
 */
int py_is_interpreter(const char *path);
/*
 * Writes pid's entry: path (the interpreter's file, NULL if none) mapped
 * with bias (address − link-time address). Without a path, or when the
 * file has no _PyRuntime, the entry says "not Python". 0 or -errno.
 */
int py_proc_write(int fd, int pid, const char *path, uint64_t bias);

#endif
