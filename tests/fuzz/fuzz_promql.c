/*
 * libFuzzer harness for src/promql: any text through the lexer, parser and
 * checks; what parses is split and printed, and the printed text must parse
 * again and print the same (the printer's parentheses are right). Build:
 * make build/fuzz-promql; run: build/fuzz-promql -max_total_time=60 DIR
 */
#include "promql/promql.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static char *print_new(const struct pq_node *n)
{
	struct strbuf sb = { 0 };
	pq_print(&sb, n);
	return sb.s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct arena *arena = arena_new();
	struct pq_error err;
	struct pq_node *root = pq_parse(arena, text, &err);
	if (root) {
		struct pq_pairs pairs = { 0 };
		pq_split(root, &pairs);
		free(pairs.v);
		char *once = print_new(root);
		struct pq_node *again = pq_parse(arena, once, &err);
		if (!again)
			abort();	/* sonde printed what it cannot read back */
		char *twice = print_new(again);
		if (strcmp(once, twice))
			abort();	/* printing is not a fixpoint */
		free(once);
		free(twice);
	}
	arena_free(arena);
	free(text);
	return 0;
}
