/*
 * --test: each test:NAME probe runs once, in script order, after BEGIN. A
 * test fails when its program returns nonzero (`return N;`), when it calls
 * exit() with a nonzero code, or when the kernel refuses to run it. What a
 * test prints is kept aside and shown only when it fails. Results go to
 * the output stream: `PASS test:NAME`, `FAIL test:NAME (why)` followed by
 * its output, then `N tests: P passed, F failed`.
 */
#include "testmode.h"
#include "session.h"
#include "events.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One test run with its output captured into *text; its verdict's reason, or NULL when it passed. */
static const char *run_one(struct session *s, const struct probe_point *p, char **text, char *why, size_t n)
{
	size_t len = 0;
	FILE *real = s->out, *mem = open_memstream(text, &len);
	if (!mem)
		return strcpy(why, "cannot capture its output");
	fflush(real);
	s->out = mem;
	uint64_t ctx[1] = { (uint64_t)p->id };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ctx, .ctx_size_in = sizeof(ctx));
	int rc = bpf_prog_test_run_opts(p->block->prog_fd, &opts);
	int err = errno;
	events_drain(s);
	fflush(mem);
	s->out = real;
	fclose(mem);
	if (rc) {
		snprintf(why, n, "the kernel refused to run it: %s", strerror(err));
		return why;
	}
	if (opts.retval) {
		snprintf(why, n, "returned %d", (int)opts.retval);
		return why;
	}
	if (s->exit_seen && s->exit_code) {
		snprintf(why, n, "exit(%d)", s->exit_code);
		return why;
	}
	return NULL;
}

int testmode_run(struct session *s)
{
	int passed = 0, failed = 0;
	for (int i = 0; i < s->script.points.n; i++) {
		struct probe_point *p = s->script.points.v[i];
		if (p->prov->mode != RUN_TEST)
			continue;
		char *text = NULL, why[256];
		s->exiting = s->exit_seen = 0;
		s->exit_code = 0;
		const char *fail = run_one(s, p, &text, why, sizeof(why));
		if (fail) {
			fprintf(s->out, "FAIL %s (%s)\n%s", p->name, fail, text ? text : "");
			failed++;
		} else {
			fprintf(s->out, "PASS %s\n", p->name);
			passed++;
		}
		free(text);
		/* an exit() ends the test, not the run: the next test starts clean */
		uint32_t key = 0;
		int64_t clear_flag[2] = { 0, 0 };
		bpf_map_update_elem(s->exit_fd, &key, clear_flag, BPF_ANY);
	}
	s->exiting = s->exit_seen = 0;
	fprintf(s->out, "%d test%s: %d passed, %d failed\n", passed + failed, passed + failed == 1 ? "" : "s", passed,
		failed);
	return failed ? 1 : 0;
}
