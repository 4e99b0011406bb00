/*
 * profile:UNIT:N and software:EVENT[:COUNT]: a software perf event on every
 * online CPU, each linked to the block's program with the probe id as cookie.
 * (-p filters the process in BPF: a per-process perf event would sample one
 * thread only.)
 */
#include "provider.h"
#include "../sema/sema.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

struct sw_event {
	const char *name, *alias;
	int config;
	uint64_t default_period;	/* bpftrace's defaults */
};

/* perf.c's part of a point */
struct perf_point {
	int perf_config;	/* the software event */
	int perf_freq;		/* profile:hz: period_ns holds a frequency */
};

static inline struct perf_point *perf_of(const struct probe_point *pt)
{
	return pt->priv;
}

static const struct sw_event sw_events[] = {
	{ "alignment-faults", NULL, PERF_COUNT_SW_ALIGNMENT_FAULTS, 1 },
	{ "bpf-output", NULL, PERF_COUNT_SW_BPF_OUTPUT, 1 },
	{ "context-switches", "cs", PERF_COUNT_SW_CONTEXT_SWITCHES, 1000 },
	{ "cpu-clock", "cpu", PERF_COUNT_SW_CPU_CLOCK, 1000000 },
	{ "cpu-migrations", NULL, PERF_COUNT_SW_CPU_MIGRATIONS, 1 },
	{ "dummy", NULL, PERF_COUNT_SW_DUMMY, 1 },
	{ "emulation-faults", NULL, PERF_COUNT_SW_EMULATION_FAULTS, 1 },
	{ "major-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MAJ, 1 },
	{ "minor-faults", NULL, PERF_COUNT_SW_PAGE_FAULTS_MIN, 100 },
	{ "page-faults", "faults", PERF_COUNT_SW_PAGE_FAULTS, 100 },
	{ "task-clock", NULL, PERF_COUNT_SW_TASK_CLOCK, 1000000 },
};

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;
	if (!s || !*s || *s == '-')
		return -1;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (*end || errno || !x)
		return -1;
	*v = x;
	return 0;
}

/* Splits "provider:a:b" into its two parts (b may be empty or missing). */
static int split(const char *raw, char *buf, size_t n, char **a, char **b)
{
	snprintf(buf, n, "%s", raw);
	char *p = strchr(buf, ':');
	if (!p)
		return -1;
	*a = p + 1;
	char *q = strchr(*a, ':');
	*b = NULL;
	if (q) {
		*q = 0;
		*b = q + 1;
	}
	return 0;
}

static int profile_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	char buf[256], *unit, *count;
	uint64_t n = 0, period = 0;
	int freq = 0;
	if (!split(ap->raw, buf, sizeof(buf), &unit, &count) && !parse_u64(count, &n)) {
		if (!strcmp(unit, "hz"))
			freq = 1, period = n;
		else if (!strcmp(unit, "s") && n <= UINT64_MAX / 1000000000ull)
			period = n * 1000000000ull;
		else if (!strcmp(unit, "ms") && n <= UINT64_MAX / 1000000ull)
			period = n * 1000000ull;
		else if (!strcmp(unit, "us") && n <= UINT64_MAX / 1000ull)
			period = n * 1000ull;
	}
	if (!period) {
		diag_error(d, ap->span, "invalid profile probe: %s (expected profile:hz:N, profile:s:N, profile:ms:N or profile:us:N)", ap->raw);
		return -1;
	}
	char name[256];
	snprintf(name, sizeof(name), "profile:%s:%s", unit, count);
	provider_add_point(s, blk, &provider_profile, name, period);
	struct probe_point *pt = provider_last_point(s, sizeof(struct perf_point));
	perf_of(pt)->perf_config = PERF_COUNT_SW_CPU_CLOCK;
	perf_of(pt)->perf_freq = freq;
	return 0;
}

static int software_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	char buf[256], *event, *count;
	if (split(ap->raw, buf, sizeof(buf), &event, &count)) {
		diag_error(d, ap->span, "invalid software probe: %s (expected software:EVENT[:COUNT])", ap->raw);
		return -1;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sw_events); i++) {
		const struct sw_event *e = &sw_events[i];
		if (strcmp(event, e->name) && (!e->alias || strcmp(event, e->alias)))
			continue;
		uint64_t period = e->default_period;
		if (count && *count && parse_u64(count, &period)) {
			diag_error(d, ap->span, "invalid count in %s: a positive number of events is expected", ap->raw);
			return -1;
		}
		char name[256];
		snprintf(name, sizeof(name), "software:%s:%s", event, count && *count ? count : "");
		provider_add_point(s, blk, &provider_software, name, period);
		perf_of(provider_last_point(s, sizeof(struct perf_point)))->perf_config = e->config;
		return 0;
	}
	diag_error(d, ap->span, "unknown software event: %s (list them with: sonde -l 'software:*')", event);
	return -1;
}

/* CPUs from a sysfs list such as "0-3,6". */
static int online_cpus(int *cpus, int max)
{
	FILE *f = fopen("/sys/devices/system/cpu/online", "r");
	int n = 0;
	if (!f)
		return 0;
	int a, b;
	char sep;
	while (n < max && fscanf(f, "%d", &a) == 1) {
		b = a;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &b) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = 0;
		}
		for (int c = a; c <= b && n < max; c++)
			cpus[n++] = c;
		if (sep != ',')
			break;
	}
	fclose(f);
	return n;
}

static int perf_attach(struct probe_point *pt, int prog_fd, char *err, size_t errlen)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(attr),
		.config = (uint64_t)perf_of(pt)->perf_config,
		.freq = perf_of(pt)->perf_freq ? 1 : 0,
		.sample_period = pt->period_ns,	/* a frequency when freq is set */
	};
	int cpus[1024];
	int n = online_cpus(cpus, 1024);
	if (!n) {
		snprintf(err, errlen, "cannot read the online CPUs for %s", pt->name);
		return -ENOENT;
	}
	for (int i = 0; i < n; i++) {
		int rc = provider_attach_perf(pt, &attr, cpus[i], prog_fd, (uint64_t)pt->id, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

static void software_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	(void)pid;	/* the same for every process */
	(void)verbose;
	for (size_t i = 0; i < ARRAY_SIZE(sw_events); i++) {
		char name[128];
		snprintf(name, sizeof(name), "software:%s:", sw_events[i].name);
		if (!fnmatch(pattern, name, 0))
			sb_printf(out, "%s\n", name);
	}
}

static const char *const profile_aliases[] = { "p", NULL };
static const char *const software_aliases[] = { "s", NULL };

const struct provider provider_profile = {
	.name = "profile",
	.aliases = profile_aliases,
	.mode = RUN_ATTACHED,
	.expand = profile_expand,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.attach = perf_attach,
};

const struct provider provider_software = {
	.name = "software",
	.aliases = software_aliases,
	.mode = RUN_ATTACHED,
	.expand = software_expand,
	.prog_type = BPF_PROG_TYPE_PERF_EVENT,
	.attach = perf_attach,
	.list = software_list,
};
