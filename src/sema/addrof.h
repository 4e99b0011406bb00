/* &x: the address of a field or an element in memory (addrof.c). */
#ifndef SONDE_ADDROF_H
#define SONDE_ADDROF_H
#include "checker.h"

struct type *check_addr_of(struct checker *c, struct node *n);

#endif
