/* Where a uprobe's BIN is: a path, a program on $PATH, or a library short name. */
#ifndef SONDE_BINPATH_H
#define SONDE_BINPATH_H
#include <stddef.h>

/*
 * Resolves BIN (with pid > 0: inside /proc/PID/root; a file the process
 * maps but that was deleted since, through /proc/PID/map_files, with a
 * note; a /proc/… path as it is). 0, or -1 when nothing matches.
 */
int bin_resolve(const char *bin, int pid, char *out, size_t n);

/* What to add to "cannot find BIN": where it was looked for, and how to list what is there (a static buffer). */
const char *bin_missing_hint(const char *bin, int pid);

#endif
