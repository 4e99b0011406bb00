#include "out/bcchist.h"
#include "out/hist.h"
#include <inttypes.h>

void bcc_slots_from_hist(uint64_t *slots, const uint64_t *buckets)
{
	/* sonde: 1 = [0], 2 = [1], k >= 3 = [2^(k-2), 2^(k-1)) */
	for (int s = 0; s < BCC_SLOTS; s++)
		slots[s] = 0;
	slots[1] = buckets[1] + buckets[2];
	for (int k = 3; k < HIST_LOG2_BUCKETS && k - 1 < BCC_SLOTS; k++)
		slots[k - 1] = buckets[k];
}

static int last_slot(const uint64_t *slots, uint64_t *max)
{
	int last = 0;
	*max = 0;
	for (int s = 1; s < BCC_SLOTS; s++)
		if (slots[s]) {
			last = s;
			if (slots[s] > *max)
				*max = slots[s];
		}
	return last;
}

static void bounds(int s, uint64_t *low, uint64_t *high)
{
	*high = s >= 64 ? UINT64_MAX : (1ull << s) - 1;
	*low = s == 1 ? 0 : 1ull << (s - 1);
}

void bcc_log2_hist_text(struct strbuf *out, const uint64_t *slots, const char *label)
{
	uint64_t max;
	int last = last_slot(slots, &max);
	if (!last)
		return;
	int wide = last > 32, width = wide ? 20 : 40;
	if (wide)
		sb_printf(out, "               %-29s : count     distribution\n", label);
	else
		sb_printf(out, "     %-19s : count     distribution\n", label);
	for (int s = 1; s <= last; s++) {
		uint64_t low, high;
		bounds(s, &low, &high);
		int stars = (int)(slots[s] * (uint64_t)width / max);
		if (wide)
			sb_printf(out, "%20" PRIu64 " -> %-20" PRIu64 " : %-8" PRIu64 " |", low, high, slots[s]);
		else
			sb_printf(out, "%10" PRIu64 " -> %-10" PRIu64 " : %-8" PRIu64 " |", low, high, slots[s]);
		for (int i = 0; i < width; i++)
			sb_putc(out, i < stars ? '*' : ' ');
		sb_puts(out, "|\n");
	}
}

void bcc_log2_hist_json(struct strbuf *out, const uint64_t *slots)
{
	uint64_t max;
	int last = last_slot(slots, &max);
	sb_putc(out, '[');
	for (int s = 1; s <= last; s++) {
		uint64_t low, high;
		bounds(s, &low, &high);
		sb_printf(out, "%s{\"low\": %" PRIu64 ", \"high\": %" PRIu64 ", \"count\": %" PRIu64 "}", s > 1 ? ", " : "",
			  low, high, slots[s]);
	}
	sb_putc(out, ']');
}
