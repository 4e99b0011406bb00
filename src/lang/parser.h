/* Recursive-descent parser: source text → N_PROGRAM tree (arena-owned). */
#ifndef SONDE_PARSER_H
#define SONDE_PARSER_H
#include "ast.h"

/* Returns the program, or NULL after reporting errors through diag. */
struct node *parse_program(struct arena *arena, struct diag *diag, const char *text);
/*
 * One file's text, without imports resolved or macros expanded: its lines
 * numbered from line_base + 1, its `import` statements appended to *imports.
 */
struct node *parse_source(struct arena *arena, struct diag *diag, const char *text, int line_base,
			  struct node **imports);
/* lang/imports.c: parses what prog's imports name into prog (probes, macros, map declarations). */
int imports_resolve(struct arena *arena, struct diag *diag, struct node *prog, struct node *imports);

#endif
