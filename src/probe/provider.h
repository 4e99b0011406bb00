/* Probe providers: a probe type is one file with these faces. */
#ifndef SONDE_PROVIDER_H
#define SONDE_PROVIDER_H
#include <stdint.h>
#include "../lang/ast.h"

struct script;
struct probe_block;

/* One concrete attach point after expansion. */
struct probe_point {
	const struct provider *prov;
	char *name;		/* full probe name, what `probe` prints */
	int id;			/* index in script->points, also the record id of `probe` */
	uint64_t period_ns;	/* interval */
	struct probe_block *block;
};

enum run_mode {
	RUN_ONCE_FIRST,		/* BEGIN: run by BPF_PROG_TEST_RUN before anything attaches */
	RUN_ONCE_LAST,		/* END: run after everything is detached and drained */
	RUN_TIMER,		/* interval: run by a wall-clock timer */
};

struct provider {
	const char *name;
	const char *const *aliases;
	enum run_mode mode;
	/* Parses one attach point and appends its probe points to the block. 0 or -1 after a diag. */
	int (*expand)(struct script *s, struct probe_block *blk, struct attach_point *ap,
		      struct diag *d);
};

/* Finds the provider for an attach point; reports unknown or unavailable types. */
const struct provider *provider_find(const char *raw, struct span sp, struct diag *d);
int provider_add_point(struct script *s, struct probe_block *blk, const struct provider *p,
		       const char *name, uint64_t period_ns);

extern const struct provider provider_begin, provider_end, provider_interval;

#endif
