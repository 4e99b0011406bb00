/* Recursive-descent parser: source text → N_PROGRAM tree (arena-owned). */
#ifndef SONDE_PARSER_H
#define SONDE_PARSER_H
#include "ast.h"

/* Returns the program, or NULL after reporting errors through diag. */
struct node *parse_program(struct arena *arena, struct diag *diag, const char *text);

#endif
