/* Go's function table (.gopclntab): the functions of a Go binary stripped of .symtab. */
#ifndef SONDE_GOPCLNTAB_H
#define SONDE_GOPCLNTAB_H
#include <stddef.h>
#include <stdint.h>
#include "elf.h"

/* Parses a .gopclntab image (Go 1.12 to 1.22 layouts) whose .text starts at text_addr
 * (used when the table leaves it to a relocation). Calls add(name, entry, size) for
 * each function; returns their number, or -1 when the image is not one. */
int gopclntab_parse(const uint8_t *tab, size_t len, uint64_t text_addr,
		    void (*add)(void *ctx, const char *name, uint64_t entry, uint64_t size), void *ctx);

/* The Go functions of an ELF file, placed through its PT_LOAD segments. Count, or -1. */
int gopclntab_read(Elf *e, struct elf_syms *out);

/* Whether an ELF file was built by the Go toolchain (its build info, build id or function table). */
int gopclntab_is_go(Elf *e);

/* The Go release that built the file ("go1.19.8"), from .go.buildinfo (Go 1.18+). 0 or -1. */
int gopclntab_go_version(Elf *e, char *out, size_t n);

/* 1 when the file surely predates Go's register ABI (Go 1.17): its table is the Go 1.15 one. */
int gopclntab_before_regabi(Elf *e);

#endif
