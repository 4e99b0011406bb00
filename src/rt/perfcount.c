#include "perfcount.h"
#include "../util/util.h"
#include <dirent.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static const struct { const char *name; uint32_t type; uint64_t config; } named[] = {
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "alignment-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_ALIGNMENT_FAULTS },
	{ "emulation-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_EMULATION_FAULTS },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "bus-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
	{ "ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
	{ "stalled-cycles-frontend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "stalled-cycles-backend", PERF_TYPE_HARDWARE, PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
};

static struct perf_counter *new_counter(struct perf_counters *pc, const char *name, uint32_t type, uint64_t config)
{
	pc->v = xrealloc(pc->v, (size_t)(pc->n + 1) * sizeof(*pc->v));
	pc->v[pc->n] = (struct perf_counter){ .name = xstrdup(name), .type = type, .config = config, .supported = 1 };
	return &pc->v[pc->n++];
}

struct perf_counter *perfcount_add_external(struct perf_counters *pc, const char *name, uint32_t type)
{
	struct perf_counter *c = new_counter(pc, name, type, 0);
	c->external = 1;
	return c;
}

int perfcount_add(struct perf_counters *pc, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(named); i++)
		if (!strcmp(named[i].name, name)) {
			new_counter(pc, name, named[i].type, named[i].config);
			return 0;
		}
	fprintf(stderr, "ERROR: unknown event '%s': a software or hardware event (task-clock, page-faults, "
			"cycles…) or a tracepoint CATEGORY:EVENT (list them: sonde -l 'tracepoint:*')\n", name);
	return -1;
}

static int open_one(struct perf_counter *c, pid_t pid, int cpu, int inherit, int enable_on_exec)
{
	struct perf_event_attr a = {
		.size = sizeof(a), .type = c->type, .config = c->config, .inherit = (uint64_t)inherit,
		.disabled = (uint64_t)enable_on_exec, .enable_on_exec = (uint64_t)enable_on_exec,
		.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING,
		.exclude_guest = 1,
	};
	int fd = (int)syscall(SYS_perf_event_open, &a, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	c->fds = xrealloc(c->fds, (size_t)(c->nfds + 1) * sizeof(int));
	c->fds[c->nfds++] = fd;
	return 0;
}

/* The CPUs that are online: "0-3,5" in /sys/devices/system/cpu/online, into a list. */
static int online_cpus(int *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	char buf[1024];
	int n = 0;
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (char *p = buf; *p && *p != '\n';) {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long c = lo; c <= hi && n < max; c++)
			cpus[n++] = (int)c;
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

int perfcount_open(struct perf_counters *pc, enum perfcount_scope scope, pid_t pid, int enable_on_exec)
{
	int cpus[1024], ncpu = 0;
	pid_t tids[4096];
	int ntid = 0;
	if (scope == PC_ALL_CPUS && (ncpu = online_cpus(cpus, (int)ARRAY_SIZE(cpus))) <= 0) {
		fputs("ERROR: cannot read the online CPUs (/sys/devices/system/cpu/online)\n", stderr);
		return -1;
	}
	if (scope == PC_THREADS_OF) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
		DIR *d = opendir(path);
		if (!d) {
			fprintf(stderr, "ERROR: process %d does not exist (or has exited)\n", (int)pid);
			return -1;
		}
		for (struct dirent *e; (e = readdir(d)) && ntid < (int)ARRAY_SIZE(tids);)
			if (e->d_name[0] != '.')
				tids[ntid++] = (pid_t)atoi(e->d_name);
		closedir(d);
	}
	for (int i = 0; i < pc->n; i++) {
		struct perf_counter *c = &pc->v[i];
		int err = 0;
		if (c->external)
			continue;
		if (scope == PC_TASK)
			err = open_one(c, pid, -1, 1, enable_on_exec);
		for (int t = 0; scope == PC_THREADS_OF && t < ntid && !err; t++)
			if ((err = open_one(c, tids[t], -1, 1, 0)) == -ESRCH)
				err = 0;	/* a thread that ended meanwhile */
		for (int k = 0; scope == PC_ALL_CPUS && k < ncpu && !err; k++)
			err = open_one(c, -1, cpus[k], 0, 0);
		/* no such event on this machine (no PMU: ENOENT, EOPNOTSUPP, or EINVAL for a hardware type) */
		if (err == -ENOENT || err == -EOPNOTSUPP || (err == -EINVAL && c->type == PERF_TYPE_HARDWARE)) {
			c->supported = 0;
			continue;
		}
		if (err) {
			fprintf(stderr, "ERROR: cannot count %s: perf_event_open: %s%s\n", c->name, strerror(-err),
				err == -EACCES || err == -EPERM ? " (run as root, or lower kernel.perf_event_paranoid)" : "");
			return -1;
		}
	}
	return 0;
}

void perfcount_read(struct perf_counters *pc)
{
	for (int i = 0; i < pc->n; i++) {
		struct perf_counter *c = &pc->v[i];
		if (c->external)
			continue;
		c->value = c->enabled = c->running = 0;
		for (int k = 0; k < c->nfds; k++) {
			uint64_t r[3];
			if (read(c->fds[k], r, sizeof(r)) == (ssize_t)sizeof(r)) {
				c->value += r[0];
				c->enabled += r[1];
				c->running += r[2];
			}
		}
	}
}

void perfcount_free(struct perf_counters *pc)
{
	for (int i = 0; i < pc->n; i++) {
		for (int k = 0; k < pc->v[i].nfds; k++)
			close(pc->v[i].fds[k]);
		free(pc->v[i].fds);
		free(pc->v[i].name);
	}
	free(pc->v);
	*pc = (struct perf_counters){ 0 };
}
