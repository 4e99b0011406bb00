/* Structs as values: copies with a snapshot of their members (structval.c). */
#ifndef SONDE_STRUCTVAL_H
#define SONDE_STRUCTVAL_H
#include "checker.h"

/* Whether a struct can be copied into a variable, map value or record (BTF-typed, at most 256 bytes). */
int struct_storable(const struct type *t);
/* The type of such a copy (held, members in fields/offs/names); t itself when it is one. */
struct type *struct_held(struct arena *a, const struct type *t);

#endif
