/* Naming the Python frames of new stacks while their processes live (see prefetch.h). */
#include "prefetch.h"
#include "layout.h"
#include "merge.h"
#include "../sema/types.h"
#include "../sym/resolve.h"
#include "../util/util.h"
#include <bpf/bpf.h>
#include <stdlib.h>
#include <time.h>

#define EVERY_NS 100000000ull
#define MAX_PIDS 64

/* 1 when h is new (and now noted) */
static int note(struct py_prefetch *pf, uint64_t h)
{
	if (2 * (pf->n + 1) > pf->cap) {
		uint32_t cap = pf->cap ? 2 * pf->cap : 1024;
		uint64_t *v = xcalloc(cap, sizeof(*v)), *old = pf->seen;
		for (uint32_t i = 0; i < pf->cap; i++)
			for (uint32_t k = (uint32_t)(old[i] * 0x9e3779b97f4a7c15ull >> 40) & (cap - 1); old[i];
			     k = (k + 1) & (cap - 1))
				if (!v[k]) {
					v[k] = old[i];
					break;
				}
		free(old);
		pf->seen = v, pf->cap = cap;
	}
	for (uint32_t k = (uint32_t)(h * 0x9e3779b97f4a7c15ull >> 40) & (pf->cap - 1);; k = (k + 1) & (pf->cap - 1)) {
		if (pf->seen[k] == h)
			return 0;
		if (!pf->seen[k]) {
			pf->seen[k] = h;
			pf->n++;
			return 1;
		}
	}
}

void py_prefetch(struct py_prefetch *pf, int py_fd, int stacks_fd, struct sym_cache *syms, int force)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t now = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
	if (py_fd < 0 || stacks_fd < 0 || !syms || (!force && now - pf->last_ns < pf->every_ns))
		return;
	pf->last_ns = now;
	if (!pf->every_ns)
		pf->every_ns = EVERY_NS;
	int pids[MAX_PIDS], np = 0;
	uint32_t key, next;
	for (int r = bpf_map_get_next_key(py_fd, NULL, &next); !r && np < MAX_PIDS;
	     r = bpf_map_get_next_key(py_fd, &key, &next)) {
		struct py_proc p;
		if (!bpf_map_lookup_elem(py_fd, &next, &p) && p.interp_head)
			pids[np++] = (int)next;
		key = next;
	}
	if (!np)
		return;
	uint64_t h, hn, v[1 + STACK_MAX_FRAMES];
	for (int r = bpf_map_get_next_key(stacks_fd, NULL, &hn); !r; r = bpf_map_get_next_key(stacks_fd, &h, &hn)) {
		h = hn;
		if (!h || !note(pf, h) || bpf_map_lookup_elem(stacks_fd, &h, v))
			continue;
		for (uint64_t i = 0; i < v[0] && i < STACK_MAX_FRAMES; i++) {
			if (!py_is_frame(v[1 + i]))
				continue;
			struct sym_info si;
			for (int k = 0; k < np; k++)
				sym_user_info(syms, pids[k], v[1 + i], &si);
		}
	}
	/* a pass reads every key of the table: it never takes more than 5 % of sonde's time */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	uint64_t took = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec - now;
	pf->every_ns = 20 * took > EVERY_NS ? 20 * took : EVERY_NS;
}

void py_prefetch_free(struct py_prefetch *pf)
{
	free(pf->seen);
	*pf = (struct py_prefetch){ 0 };
}
