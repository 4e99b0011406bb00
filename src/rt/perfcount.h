/*
 * Counting perf events (perf_event_open without sampling): the kernel adds
 * every event to a counter that is read, not a program that runs. What
 * sonde stat counts: software events, and hardware events where the
 * machine has a PMU. (Not tracepoints: a task's syscall tracepoint counter
 * enabled at exec misses the calls of a short program now and then on this
 * kernel, perf stat's as well; sonde stat counts tracepoints with probes.)
 */
#ifndef SONDE_PERFCOUNT_H
#define SONDE_PERFCOUNT_H
#include <stdint.h>
#include <sys/types.h>

struct perf_counter {
	char *name;		/* as the user wrote it: "task-clock", "cs"… */
	uint32_t type;		/* PERF_TYPE_* */
	uint64_t config;
	int supported;		/* 0 once the kernel refused it (no PMU, …): "<not supported>" */
	int external;		/* counted elsewhere (a script's tracepoint count): value set by the caller */
	int *fds;
	int nfds;
	uint64_t value, enabled, running;	/* summed over fds at the last read */
};

struct perf_counters {
	struct perf_counter *v;
	int n;
};

/* Adds a counter whose value the caller sets (perfcount_open and _read leave it alone). */
struct perf_counter *perfcount_add_external(struct perf_counters *pc, const char *name, uint32_t type);
/* Adds the software or hardware event NAME, by perf's name (task-clock, page-faults, cycles…); -1 (said) if unknown. */
int perfcount_add(struct perf_counters *pc, const char *name);

enum perfcount_scope { PC_TASK, PC_THREADS_OF, PC_ALL_CPUS };
/*
 * Opens every counter: PC_TASK for one task and what it starts (pid, with
 * enable_on_exec: it counts from its exec), PC_THREADS_OF for each thread
 * of process pid and what they start, PC_ALL_CPUS on every CPU. A counter
 * the kernel refuses is marked unsupported; -1 (said) on any other error.
 */
int perfcount_open(struct perf_counters *pc, enum perfcount_scope scope, pid_t pid, int enable_on_exec);
/* Reads and sums every counter's descriptors. */
void perfcount_read(struct perf_counters *pc);
void perfcount_free(struct perf_counters *pc);

#endif
