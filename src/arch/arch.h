/* The architecture sonde compiles for: its registers in the probe context. */
#ifndef SONDE_ARCH_H
#define SONDE_ARCH_H
#if defined(__x86_64__)
#include "x86_64.h"
#else
#error "sonde knows the registers of x86-64 only: add src/arch/<arch>.h and include it here"
#endif
#endif
