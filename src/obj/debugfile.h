/* Separate debug files: where a stripped binary's symbols went (Debian's dbgsym layout). */
#ifndef SONDE_DEBUGFILE_H
#define SONDE_DEBUGFILE_H
#include <stddef.h>

/* The separate debug file of an ELF file: /usr/lib/debug/.build-id/xx/rest.debug by
 * its build-id, else by .gnu_debuglink (DIR/NAME, DIR/.debug/NAME, /usr/lib/debug/DIR/NAME)
 * with its CRC checked. Debug roots: $SONDE_DEBUG_DIRS (colon list) or /usr/lib/debug.
 * 0 with the path in out, -1 when there is none. */
int debug_file_for(const char *path, char *out, size_t n);
/* The GNU build-id note of an ELF file in hex (up to 128 digits); 0, or -1 when it has none. */
int elf_build_id_hex(const char *path, char *out, size_t n);

#endif
