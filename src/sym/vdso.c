/*
 * Frames in a process's [vdso] mapping (clock_gettime, gettimeofday …).
 * The kernel maps one image into every process, so sonde reads the
 * symbols of its own copy, found through the auxiliary vector, once.
 */
#include "vdso.h"
#include "../util/util.h"
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

struct vsym {
	uint64_t off, size;
	char *name;
};

static struct {
	int read;
	VEC(struct vsym) syms;
} vdso;

/* The image's size: the end of its loadable segment or of its section headers, from its ELF header. */
static size_t image_size(const unsigned char *base)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)base;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64)
		return 0;
	size_t end = 0;
	for (int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(base + eh->e_phoff + (size_t)i * eh->e_phentsize);
		if (ph->p_type == PT_LOAD && ph->p_offset + ph->p_filesz > end)
			end = ph->p_offset + ph->p_filesz;
	}
	/* the section headers (where .dynsym is found) may lie past the segment's end */
	size_t shdrs = eh->e_shoff + (size_t)eh->e_shnum * eh->e_shentsize;
	return shdrs > end ? shdrs : end;
}

static void read_vdso(void)
{
	vdso.read = 1;
	unsigned char *base = (unsigned char *)getauxval(AT_SYSINFO_EHDR);
	size_t size = base ? image_size(base) : 0;
	if (!size || elf_version(EV_CURRENT) == EV_NONE)
		return;
	Elf *e = elf_memory((char *)base, size);
	Elf_Scn *scn = NULL;
	while (e && (scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM)
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		for (size_t i = 0; d && sh.sh_entsize && i < sh.sh_size / sh.sh_entsize; i++) {
			GElf_Sym s;
			const char *name;
			if (!gelf_getsym(d, (int)i, &s) || GELF_ST_TYPE(s.st_info) != STT_FUNC || !s.st_value ||
			    !(name = elf_strptr(e, sh.sh_link, s.st_name)))
				continue;
			/* the image is linked at 0: a symbol's value is its offset in the mapping */
			VEC_PUSH(vdso.syms, ((struct vsym){ s.st_value, s.st_size, xstrdup(name) }));
		}
	}
	if (e)
		elf_end(e);
}

const char *vdso_symbol(uint64_t off, uint64_t *start)
{
	if (!vdso.read)
		read_vdso();
	const struct vsym *best = NULL;
	for (int i = 0; i < vdso.syms.n; i++) {
		const struct vsym *v = &vdso.syms.v[i];
		/* of aliases (clock_gettime, __vdso_clock_gettime), the __vdso_ name, as perf shows it */
		if (off >= v->off && off < v->off + (v->size ? v->size : 1) && (!best || !strncmp(v->name, "__vdso_", 7)))
			best = v;
	}
	if (best)
		*start = best->off;
	return best ? best->name : NULL;
}
