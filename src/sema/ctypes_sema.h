/* The script's C type definitions in sema: built as BTF types (ctypes.c). */
#ifndef SONDE_CTYPES_SEMA_H
#define SONDE_CTYPES_SEMA_H
#include "checker.h"

/* Builds the script's struct/union/enum/typedef definitions; 0, or -1 after errors. */
int sema_ctypes(struct script *s, struct diag *d);
/* The BTF id of a type named "struct T", "union T", "enum T" or a typedef's name; -1 if none. */
int ctype_named(const char *name);
/* (T)x, (T *)x with T an enum or a typedef: 1 when T is one (*out the type, NULL after an error), else 0. */
int ctype_check_cast(struct checker *c, struct node *n, struct type *from, struct type **out);

#endif
