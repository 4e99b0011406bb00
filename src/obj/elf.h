/* ELF files → facts: function symbols and the file offsets uprobes need. */
#ifndef SONDE_ELF_H
#define SONDE_ELF_H
#include <stdint.h>
#include "../util/util.h"

struct elf_sym {
	char *name;
	uint64_t addr;		/* virtual address, as nm shows it */
	uint64_t size;
	uint64_t file_off;	/* where the uprobe goes: through the PT_LOAD segments */
};

struct elf_syms {
	VEC(struct elf_sym) v;
};

/* Reads the function symbols of .symtab and .dynsym (each name once). 0 or -errno. */
int elf_read_functions(const char *path, struct elf_syms *out);
void elf_syms_free(struct elf_syms *s);

#endif
