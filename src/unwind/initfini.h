/* Rows for .init and .fini, which have no CFI: read from crti's fixed instructions. */
#ifndef SONDE_UNWIND_INITFINI_H
#define SONDE_UNWIND_INITFINI_H
#include "table.h"
#include <libelf.h>

#define UNW_INIT_FINI_ROWS 8	/* 4 per section */

/* The rows of e's .init and .fini (sorted within each section); how many. */
size_t unw_init_fini_rows(Elf *e, struct unw_row out[UNW_INIT_FINI_ROWS]);

#endif
