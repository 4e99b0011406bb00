/* *p through a typed pointer (deref.c). */
#ifndef SONDE_DEREF_H
#define SONDE_DEREF_H
#include "checker.h"

/* *p with p of pointer type (its type given): the value it points to; NULL after an error. */
struct type *check_ptr_deref(struct checker *c, struct node *n, struct type *p);

#endif
