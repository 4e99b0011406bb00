/* The provider table and the probe types this kernel or this build cannot run. */
#include "provider.h"
#include "../sema/sema.h"
#include <string.h>

static const struct provider *const providers[] = {
	&provider_begin, &provider_end, &provider_interval,
};

struct unavailable {
	const char *names[4];
	const char *why;
};

/* Named explicitly so a script gets one line saying what is missing. */
static const struct unavailable unavailable[] = {
	{ { "kprobe", "k", "kretprobe", "kr" }, "kprobes are not available on this kernel (built without CONFIG_KPROBES)" },
	{ { "fentry", "f", "fexit", "fr" }, "fentry/fexit are not available on this kernel (loading a tracing program fails with EPERM)" },
	{ { "kfunc", "kretfunc" }, "fentry/fexit (kfunc) are not available on this kernel (loading a tracing program fails with EPERM)" },
	{ { "hardware", "h" }, "hardware events are not available: this machine has no hardware PMU" },
	{ { "tracepoint", "t", "rawtracepoint", "rt" }, "tracepoint probes are not supported by this version of sonde yet" },
	{ { "uprobe", "u", "uretprobe", "ur" }, "uprobes are not supported by this version of sonde yet" },
	{ { "usdt", "U" }, "USDT probes are not supported by this version of sonde yet" },
	{ { "profile", "p", "software", "s" }, "profile/software probes are not supported by this version of sonde yet" },
	{ { "watchpoint", "asyncwatchpoint", "w", "aw" }, "watchpoints are not supported by sonde" },
	{ { "iter", "it" }, "iterator probes are not supported by sonde" },
};

const struct provider *provider_find(const char *raw, struct span sp, struct diag *d)
{
	size_t n = strcspn(raw, ":");
	for (size_t i = 0; i < ARRAY_SIZE(providers); i++) {
		const struct provider *p = providers[i];
		if (strlen(p->name) == n && !strncmp(raw, p->name, n))
			return p;
		for (const char *const *a = p->aliases; a && *a; a++)
			if (strlen(*a) == n && !strncmp(raw, *a, n))
				return p;
	}
	for (size_t i = 0; i < ARRAY_SIZE(unavailable); i++)
		for (int k = 0; k < 4 && unavailable[i].names[k]; k++)
			if (strlen(unavailable[i].names[k]) == n && !strncmp(raw, unavailable[i].names[k], n)) {
				diag_error(d, sp, "%.*s: %s", (int)n, raw, unavailable[i].why);
				return NULL;
			}
	diag_error(d, sp, "Invalid probe type: %.*s (run `sonde -l` to list the probes sonde can attach)", (int)n, raw);
	return NULL;
}

int provider_add_point(struct script *s, struct probe_block *blk, const struct provider *p,
		       const char *name, uint64_t period_ns)
{
	struct probe_point *pt = arena_alloc(s->arena, sizeof(*pt));
	pt->prov = p;
	pt->name = arena_strndup(s->arena, name, strlen(name));
	pt->period_ns = period_ns;
	pt->block = blk;
	pt->id = s->points.n;
	VEC_PUSH(s->points, pt);
	VEC_PUSH(blk->points, pt);
	return 0;
}
