/* interval:UNIT:N (and interval:Ns style): a wall-clock timer in user space runs the program. */
#include "provider.h"
#include "../sema/sema.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct unit {
	const char *name;
	uint64_t ns;	/* 0: frequency in hz */
};

static const struct unit units[] = {
	{ "s", 1000000000ull }, { "ms", 1000000ull }, { "us", 1000ull }, { "ns", 1ull },
	{ "hz", 0 }, { "sec", 1000000000ull }, { "m", 60000000000ull },
};

static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	if (!*s || *s == '-')
		return -1;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end || v == 0)
		return -1;
	*out = v;
	return 0;
}

static int period_from(const char *unit, const char *count, uint64_t *ns)
{
	uint64_t n;
	if (parse_count(count, &n))
		return -1;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(unit, units[i].name))
			continue;
		if (units[i].ns && n > UINT64_MAX / units[i].ns)
			return -1;	/* would wrap around */
		*ns = units[i].ns ? units[i].ns * n : 1000000000ull / n;
		return *ns ? 0 : -1;
	}
	return -1;
}

static int interval_expand(struct script *s, struct probe_block *blk, struct attach_point *ap,
			   struct diag *d)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", ap->raw);
	char *rest = strchr(buf, ':');
	uint64_t ns = 0;
	int ok = 0;
	if (rest) {
		rest++;
		char *colon = strchr(rest, ':');
		if (colon) {	/* interval:ms:100 */
			*colon = 0;
			ok = !period_from(rest, colon + 1, &ns);
			*colon = ':';
		} else {	/* interval:100ms (newer bpftrace) or bare ns */
			size_t digits = strspn(rest, "0123456789");
			char count[32];
			snprintf(count, sizeof(count), "%.*s", (int)digits, rest);
			ok = !period_from(rest[digits] ? rest + digits : "ns", count, &ns);
		}
	}
	if (!ok) {
		diag_error(d, ap->span, "invalid interval probe: %s (expected interval:UNIT:N with UNIT one of s, ms, us, ns, hz)", ap->raw);
		return -1;
	}
	snprintf(buf, sizeof(buf), "interval:%s", strchr(ap->raw, ':') + 1);
	return provider_add_point(s, blk, &provider_interval, buf, ns);
}

static const char *const interval_aliases[] = { "i", NULL };

const struct provider provider_interval = {
	.name = "interval", .aliases = interval_aliases, .mode = RUN_TIMER, .expand = interval_expand,
};
