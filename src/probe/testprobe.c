/*
 * test:NAME: a unit test of the script, as bpftrace 0.25's. With --test,
 * rt/testmode.c runs every test probe once (BPF_PROG_TEST_RUN, after BEGIN,
 * in order) and reports it; without --test they never run.
 */
#include "provider.h"
#include "../sema/sema.h"
#include <string.h>

static int test_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	const char *name = strchr(ap->raw, ':');
	if (!name || !name[1] || strchr(name + 1, ':')) {
		diag_error(d, ap->span, "invalid test probe: %s (expected test:NAME)", ap->raw);
		return -1;
	}
	return provider_add_point(s, blk, &provider_test, ap->raw, 0);
}

const struct provider provider_test = {
	.name = "test", .mode = RUN_TEST, .expand = test_expand,
};
