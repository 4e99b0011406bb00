/*
 * self:signal:SIGUSR1: a program sonde runs (BPF_PROG_TEST_RUN, as for
 * interval) each time sonde itself receives SIGUSR1, as bpftrace's self
 * probe. rt/selfsig.c catches the signal; the event loop runs the points.
 */
#include "provider.h"
#include "../sema/sema.h"
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

static int self_expand(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d)
{
	const char *kind = strchr(ap->raw, ':');
	const char *sig = kind ? strchr(kind + 1, ':') : NULL;
	if (!sig || strncmp(kind, ":signal:", 8)) {
		diag_error(d, ap->span, "invalid self probe: %s (expected self:signal:SIGUSR1)", ap->raw);
		return -1;
	}
	if (strcmp(sig + 1, "SIGUSR1")) {
		diag_error(d, ap->span, "self:signal: %s is not a signal a probe can take (only SIGUSR1, as in bpftrace)",
			   sig + 1);
		return -1;
	}
	return provider_add_point(s, blk, &provider_self, "self:signal:SIGUSR1", 0);
}

static void self_list(const char *pattern, int verbose, int pid, struct strbuf *out)
{
	(void)verbose, (void)pid;
	if (!fnmatch(pattern, "self:signal:SIGUSR1", 0))
		sb_puts(out, "self:signal:SIGUSR1\n");
}

const struct provider provider_self = {
	.name = "self", .mode = RUN_SIGNAL, .expand = self_expand, .list = self_list,
};
