/* BEGIN and END (also the newer spellings begin/end): run once through BPF_PROG_TEST_RUN. */
#include "provider.h"
#include "../sema/sema.h"
#include <string.h>

static int special_expand(struct script *s, struct probe_block *blk, struct attach_point *ap,
			  struct diag *d)
{
	const struct provider *p = (ap->raw[0] == 'B' || ap->raw[0] == 'b') ? &provider_begin : &provider_end;
	if (strchr(ap->raw, ':')) {
		diag_error(d, ap->span, "%s takes no arguments: %s", p->name, ap->raw);
		return -1;
	}
	return provider_add_point(s, blk, p, p->name, 0);
}

static const char *const begin_aliases[] = { "begin", NULL };
static const char *const end_aliases[] = { "end", NULL };

const struct provider provider_begin = {
	.name = "BEGIN", .aliases = begin_aliases, .mode = RUN_ONCE_FIRST, .expand = special_expand,
};

const struct provider provider_end = {
	.name = "END", .aliases = end_aliases, .mode = RUN_ONCE_LAST, .expand = special_expand,
};
