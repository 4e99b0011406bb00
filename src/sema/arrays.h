/* Arrays as values and int <-> array casts (arrays.c). */
#ifndef SONDE_ARRAYS_H
#define SONDE_ARRAYS_H
#include "checker.h"

/* Whether an array can be copied into a variable, map or record (integer, pointer or struct elements, at most 256 bytes). */
int array_storable(struct arena *a, const struct type *t);
/* The type of such a copy ("held": its bytes are the script's own); t itself when it is one. */
struct type *array_held(struct arena *a, const struct type *t);
/* The type of an element of a held array. */
struct type *array_elem(struct arena *a, const struct type *t);
/* (uint8[8])x, (int8[])x and (uint64)arr: 1 when n is such a cast (*out the type, NULL after an error), else 0. */
int array_check_cast(struct checker *c, struct node *n, struct type *from, struct type **out);

#endif
