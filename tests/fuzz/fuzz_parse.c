/*
 * libFuzzer harness: lexer + parser + semantic checks on arbitrary text.
 * Tracepoints come from a fixture tracefs tree (tests/fuzz/tracefs), so runs
 * are fast and do not depend on the kernel. Build: make build/fuzz-parse;
 * run from the repository root: build/fuzz-parse tests/fuzz/corpus
 */
#include "lang/parser.h"
#include "sema/sema.h"
#include "probe/tracefs.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

/* parse and check one input; on a big stack, as sonde compiles (nesting up to 10000 levels) */
static int parse_and_check(void *arg)
{
	char *text = arg;
	static FILE *devnull;
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		tracefs_set_root("tests/fuzz/tracefs");
	}
	struct source src = { .name = "fuzz", .text = text };
	struct diag d = { .src = &src, .out = devnull };
	struct script s = { 0 };
	s.arena = arena_new();
	static char *params[] = { "42", "str" };
	s.params = params;
	s.nparams = 2;
	s.prog = parse_program(s.arena, &d, text);
	if (s.prog)
		sema_check(&s, &d);
	script_free(&s);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = 0;
	run_on_big_stack(parse_and_check, text);
	free(text);
	return 0;
}
