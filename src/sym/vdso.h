/* The vDSO's functions (__vdso_clock_gettime …), read from sonde's own copy: every process on
 * one kernel maps the same image. */
#ifndef SONDE_VDSO_H
#define SONDE_VDSO_H
#include <stdint.h>

/* The function at OFF bytes into a [vdso] mapping, with *START its offset; NULL if none. */
const char *vdso_symbol(uint64_t off, uint64_t *start);

#endif
