/* Macros (bpftrace 0.24): expanded in the syntax tree, before sema. */
#ifndef SONDE_MACRO_H
#define SONDE_MACRO_H
#include "ast.h"

/* Expands every call of prog's macros (prog->c, N_MACRO nodes); -1 after an error. */
int macro_expand(struct arena *a, struct diag *diag, struct node *prog);

#endif
