/*
 * The unwinder's kernel side as user space keeps it: the maps
 * (unwind/layout.h), one table per file (keyed by build-id, shared by every
 * process mapping it), and the processes BPF asked for.
 */
#ifndef SONDE_UNWIND_PROCS_H
#define SONDE_UNWIND_PROCS_H
#include <stdint.h>
#include <stdio.h>
#include "../util/util.h"

struct unw_file {
	char *key;		/* build-id in hex, else "dev:inode:mtime" */
	char *path;		/* the first path it was seen at */
	uint32_t first, count;	/* its rows in the rows map */
	uint32_t kind;		/* enum unw_map_kind */
	uint64_t delta;		/* its executable PT_LOAD: p_vaddr - p_offset */
	double build_ms;
	unsigned sources;	/* enum unw_source: where its rows came from */
	char *debug_file;	/* the separate debug file that gave .debug_frame, or NULL */
};

struct unw_loaded {
	int pid;
	uint64_t startcode;	/* /proc/PID/stat's: another value means the process ran exec */
	uint64_t loaded_ns;	/* when its mappings were last read */
};

struct unw_state {
	int procs_fd, rows_fd, pending_fd;	/* -1: off */
	int py_fd;		/* sonde_py_procs (python/layout.h), written with every process loaded; -1: off */
	void *rows;		/* the rows map, mmapped */
	uint32_t rows_cap, rows_used;
	VEC(struct unw_file) files;
	uint32_t procs;		/* processes loaded */
	VEC(struct unw_loaded) loaded;
	uint64_t polled_ns, checked_ns;
	double build_ms;	/* every table's build time */
	int rows_full;		/* some file did not fit: it walks rbp */
	uint64_t vdso_size;	/* sonde's own [vdso] mapping's size, once looked up */
	VEC(int) reread;	/* loaded processes whose mappings were read again (dlopen): the caller's to drain */
};

/* Creates the maps (SONDE_UNWIND_ROWS rows, default 1M: 8 MiB); 0 or -errno (state off). */
int unw_open(struct unw_state *u);
void unw_close(struct unw_state *u);
/* Loads a process's mappings (and the tables of files not seen before); 0 or -errno. */
int unw_load_pid(struct unw_state *u, int pid);
/* Drops what was loaded of pid (a -c command that has just run exec): its next stack asks again. */
void unw_forget_pid(struct unw_state *u, int pid);
/* Loads the processes BPF asked for since the last call (at most every 10 ms unless forced):
 * new ones, and loaded ones whose stacks met code outside their mappings (dlopen, JIT code;
 * at most once a second each); every 250 ms, reloads those that ran exec and forgets those
 * that exited. */
void unw_poll(struct unw_state *u, int force);
/* -v: tables, rows, kernel memory, build time. */
void unw_report(const struct unw_state *u, FILE *out);
/* Whether the file at path was given a CFI table (for the cut-stack note); -1 if never seen. */
int unw_file_has_cfi(const struct unw_state *u, const char *path);

#endif
