/* Prometheus rules files (groups: - name: … rules: - alert|record: … expr: …),
 * read with libyaml. */
#ifndef SONDE_PROMQL_RULES_H
#define SONDE_PROMQL_RULES_H
#include "promql/promql.h"

struct pq_rule {
	const char *group;
	const char *alert;	/* NULL for a recording rule */
	const char *record;
	const char *expr;
	struct span sp;		/* the rule's first line in the file */
	/* Where the expression's text stands verbatim in the file, so errors can
	 * point into the file: line 0 when it does not (escapes, folding). */
	int expr_line, expr_col;	/* of its first character */
	int expr_indent;		/* column of its later lines, minus one */
};

struct pq_rules {
	struct pq_rule *v;
	int n, cap;
};

/* Reads the rules of text (the file path) into out, strings in arena.
 * Errors (not YAML, not a rules file, a rule without expr) go through d;
 * returns the number of them: rules that are fine are still listed. */
int pq_rules_load(struct arena *arena, const char *path, const char *text, struct pq_rules *out, struct diag *d);

/* Reports a parse error of rule r's expression, pointing into the file when
 * its text stands there verbatim. */
void pq_rules_report(struct diag *d, const struct pq_rule *r, const struct pq_error *err);

#endif
