/* JIT-compiled functions' names from perf map files (/tmp/perf-PID.map), read as perf reads them. */
#ifndef SONDE_PERFMAP_H
#define SONDE_PERFMAP_H
#include <stdint.h>

/* One line `START SIZE NAME` (hex, with or without 0x; NAME may hold spaces). */
struct perfmap_sym {
	uint64_t start, size;
	const char *name;	/* valid until the map is freed, however often it is read again */
};

struct perfmap;
/* A map read from PATH, else from FALLBACK (may be NULL); SHOWN names it in output.
 * Nothing is read yet. */
struct perfmap *perfmap_new(const char *path, const char *fallback, const char *shown);
void perfmap_free(struct perfmap *m);
/* Reads only files owned by root or UID (the JIT's user); the default, -1, reads any. */
void perfmap_set_owner(struct perfmap *m, long uid);
/* Reads the file now: 0 with its lines replacing what was read before, or -errno with
 * the map left as it was (a process that exited takes /proc/PID/root with it). */
int perfmap_load(struct perfmap *m);
/* Reads the file again if it changed (size, mtime, inode) — looked at no more than every
 * 200 ms, and no more often than 20 times a read's own duration (big maps of busy JITs). */
void perfmap_refresh(struct perfmap *m);
/* Fills *OUT with the function holding ADDR — among lines covering it, the last in the file
 * (JITs reuse memory) — and returns 1; else 0. */
int perfmap_find(struct perfmap *m, uint64_t addr, struct perfmap_sym *out);
/* The map's name for output ("/tmp/perf-1234.map"), and whether any file was read. */
const char *perfmap_shown(const struct perfmap *m);
int perfmap_present(const struct perfmap *m);

#endif
