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
	int is_ifunc;		/* STT_GNU_IFUNC: the address is a resolver run once at load time */
};

struct elf_syms {
	VEC(struct elf_sym) v;
};

typedef struct Elf Elf;
/* Opens an ELF file for reading (libelf); NULL with *err = -errno. elf_close_file() ends it. */
Elf *elf_open_file(const char *path, int *fd, int *err);
void elf_close_file(Elf *e, int fd);
/* A link-time address → file offset through the PT_LOAD holding it (executable ones only if asked). */
int elf_vaddr_to_offset(Elf *e, uint64_t addr, int exec_only, uint64_t *off);

/* Reads the function symbols of .symtab and .dynsym (each name once); a stripped file
 * (no .symtab) gets the .symtab of its separate debug file (debugfile.h). 0 or -errno. */
int elf_read_functions(const char *path, struct elf_syms *out);
void elf_syms_free(struct elf_syms *s);
/* Whether the file was built by the Go toolchain: 0 no, 1 yes, 2 yes but before Go 1.17's
 * register ABI (arguments on the stack, g not in r14). */
int elf_is_go(const char *path);
/* The Go release that built it ("go1.19.8"): 0, or -1 when unknown. */
int elf_go_version(const char *path, char *out, size_t n);
/* The link-time address of a defined symbol of any type (.symtab, .dynsym, else the separate
 * debug file). 0, -ENOENT, or -ENOTUNIQ when several symbols of that name differ. */
int elf_symbol_addr(const char *path, const char *name, uint64_t *addr);
/* A fixed-address executable's (ET_EXEC) code segment as it is mapped; 0, or -1 for any other file. */
int elf_fixed_text(const char *path, uint64_t *start, uint64_t *end, uint64_t *pgoff);
/* 1 for a position-independent file (ET_DYN: PIE or library), 0 if not, -1 when unreadable. */
int elf_is_pie(const char *path);

#endif
