/*
 * CPU profiles in pprof's format (profile.proto, gzip'd): what `go tool
 * pprof`, Pyroscope and Parca read. Samples are added one stack at a time;
 * functions, locations and mappings are deduplicated as they come: one
 * mapping per (module, start, end, pgoff), one function per (name, module),
 * one location per (mapping, address, name).
 */
#ifndef SONDE_PPROF_H
#define SONDE_PPROF_H
#include <stddef.h>
#include <stdint.h>

struct pprof_frame {
	uint64_t addr;		/* the instruction address (0: none, e.g. a frame known by name only) */
	const char *name;	/* function name; NULL when unknown (written as the address in hex) */
	const char *module;	/* file the address is mapped from, "[kernel.kallsyms]", or NULL
				 * (a kernel address without one gets "[kernel.kallsyms]") */
	uint64_t map_start, map_end, map_pgoff;	/* the mapping holding addr (0, 0, 0 when unknown) */
	/* source position, when known (Python frames): the function's file and first line, the frame's line */
	const char *file;
	int64_t start_line, line;
};

struct pprof;

/* A profile of samples taken every PERIOD_NS of CPU time (1e9 / hz); its
 * time is now. Free with pprof_free(). */
struct pprof *pprof_new(uint64_t period_ns);
/* How long the profile ran; optional. */
void pprof_set_duration(struct pprof *p, uint64_t duration_ns);
/* One stack seen COUNT times; FRAMES leaf first, copied. Labels: COMM unless
 * NULL, PID unless 0. A COUNT of 0 adds nothing. Returns 0, or -1 with errno
 * EINVAL on a bad argument. */
int pprof_add(struct pprof *p, const struct pprof_frame *frames, size_t n, int64_t count, const char *comm, int pid);
/* Writes the gzip'd profile to PATH (P is kept: it can be written again);
 * returns 0, or -1 with errno set. */
int pprof_write(struct pprof *p, const char *path);
/* The program the profile is of (a module name frames use): pprof shows it as the profile's file. */
void pprof_set_main(struct pprof *p, const char *module);
void pprof_free(struct pprof *p);

#endif
