/*
 * C type definitions in a script's preamble (bpftrace 0.2x): struct, union,
 * enum and typedef, parsed into N_CTYPE nodes that sema/ctypes.c turns into
 * BTF types.
 *
 * A definition: N_CTYPE with name "struct T", "union T", "enum T" (a bare
 * "struct"/"union"/"enum" when anonymous) or "typedef"; list = its members;
 * ival = 1 when it has a body ({…}), 0 for a declaration (struct T;).
 * A typedef's type is one member-like declarator in `a`, named by the new name.
 * A member (declarator): N_CTYPE with str = its base type as written ("int",
 * "unsigned long", "struct Bar", "pid_t"), a = an inline definition when the
 * base type has a body (struct { … } x;), cast_ptr = pointer depth, list =
 * array lengths as N_INT (outermost first; ival 0 for []), name = the member's
 * name (NULL: an anonymous struct/union member), prefix = 1 for a function
 * pointer. An enumerator: N_CTYPE with name and its value in ival.
 */
#ifndef SONDE_CTYPES_H
#define SONDE_CTYPES_H
#include "ast.h"

/* Whether the raw text at the lexer's position starts a type definition. */
int ctypes_at_def(struct lexer *lx);
/* One definition, its last token (`;` or `}`, and a `;` after it) consumed; NULL after an error. */
struct node *ctypes_parse(struct lexer *lx, struct arena *a, struct diag *d);
/* Whether the definitions so far name `name` with a typedef (casts to it parse as casts). */
int ctypes_is_typedef(const struct node *defs, const char *name);

#endif
