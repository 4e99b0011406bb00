#include "elf.h"
#include "gopclntab.h"
#include "debugfile.h"
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int elf_vaddr_to_offset(Elf *e, uint64_t addr, int exec_only, uint64_t *off)
{
	size_t n;
	if (elf_getphdrnum(e, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || (exec_only && !(ph.p_flags & PF_X)))
			continue;
		if (addr >= ph.p_vaddr && addr < ph.p_vaddr + (exec_only ? ph.p_memsz : ph.p_filesz)) {
			*off = addr - ph.p_vaddr + ph.p_offset;
			return 0;
		}
	}
	return -1;
}

Elf *elf_open_file(const char *path, int *fd, int *err)
{
	*err = 0;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		*err = -EINVAL;
		return NULL;
	}
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		*err = -errno;
		return NULL;
	}
	Elf *e = elf_begin(*fd, ELF_C_READ, NULL);
	if (!e || elf_kind(e) != ELF_K_ELF) {
		if (e)
			elf_end(e);
		close(*fd);
		*err = -ENOEXEC;
		return NULL;
	}
	return e;
}

void elf_close_file(Elf *e, int fd)
{
	elf_end(e);
	close(fd);
}

static int cmp_name(const void *a, const void *b)
{
	const struct elf_sym *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->addr > y->addr) - (x->addr < y->addr);
}

/* The function symbols of SYMS's symbol tables of the given types, placed through LOAD's
 * PT_LOAD segments (the same file, or the binary a separate debug file belongs to).
 * Returns how many sections of those types SYMS has. */
static int add_functions(Elf *syms, Elf *load, int want_dynsym, struct elf_syms *out)
{
	int tables = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(syms, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && (!want_dynsym || sh.sh_type != SHT_DYNSYM)))
			continue;
		tables += sh.sh_type == SHT_SYMTAB;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; data && i < count; i++) {
			GElf_Sym sym;
			if (!gelf_getsym(data, (int)i, &sym))
				continue;
			int type = GELF_ST_TYPE(sym.st_info);
			if ((type != STT_FUNC && type != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF || !sym.st_value)
				continue;
			const char *name = elf_strptr(syms, sh.sh_link, sym.st_name);
			uint64_t off;
			if (!name || !*name || elf_vaddr_to_offset(load, sym.st_value, 1, &off))
				continue;
			struct elf_sym s = { xstrdup(name), sym.st_value, sym.st_size, off, type == STT_GNU_IFUNC };
			VEC_PUSH(out->v, s);
		}
	}
	return tables;
}

int elf_read_functions(const char *path, struct elf_syms *out)
{
	memset(out, 0, sizeof(*out));
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return err;
	/* Stripped (no .symtab): the static functions are in the separate debug file, at the
	 * same link-time addresses; its own segments may be NOBITS, so offsets come from e. */
	char debug[4096];
	int have_symtab = add_functions(e, e, 1, out);
	if (!have_symtab && !debug_file_for(path, debug, sizeof(debug))) {
		int dfd;
		Elf *d = elf_open_file(debug, &dfd, &err);
		if (d) {
			have_symtab = add_functions(d, e, 0, out);
			elf_close_file(d, dfd);
		}
	}
	/* a Go binary built with -ldflags='-s -w': its own function table still names everything */
	if (!have_symtab)
		gopclntab_read(e, out);
	elf_close_file(e, fd);
	/* .symtab and .dynsym repeat names: keep one of each */
	if (out->v.n)
		qsort(out->v.v, (size_t)out->v.n, sizeof(struct elf_sym), cmp_name);
	int k = 0;
	for (int i = 0; i < out->v.n; i++) {
		if (k && !strcmp(out->v.v[k - 1].name, out->v.v[i].name)) {
			free(out->v.v[i].name);
			continue;
		}
		out->v.v[k++] = out->v.v[i];
	}
	out->v.n = k;
	return 0;
}

void elf_syms_free(struct elf_syms *s)
{
	for (int i = 0; i < s->v.n; i++)
		free(s->v.v[i].name);
	free(s->v.v);
	memset(s, 0, sizeof(*s));
}

/* Defined symbols of that name in e's tables: how many distinct addresses, the first in *addr. */
static int symbol_addrs(Elf *e, const char *name, uint64_t *addr)
{
	int found = 0;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || (sh.sh_type != SHT_SYMTAB && sh.sh_type != SHT_DYNSYM))
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t count = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (size_t i = 0; data && i < count; i++) {
			GElf_Sym sym;
			const char *s;
			if (!gelf_getsym(data, (int)i, &sym) || sym.st_shndx == SHN_UNDEF ||
			    !(s = elf_strptr(e, sh.sh_link, sym.st_name)) || strcmp(s, name))
				continue;
			if (!found)
				*addr = sym.st_value;
			found += !found || sym.st_value != *addr;	/* .symtab and .dynsym repeat globals */
		}
	}
	return found;
}

int elf_symbol_addr(const char *path, const char *name, uint64_t *addr)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return err;
	int found = symbol_addrs(e, name, addr);
	elf_close_file(e, fd);
	char debug[4096];
	if (!found && !debug_file_for(path, debug, sizeof(debug))) {
		/* stripped: a static variable's symbol went to the debug file */
		Elf *d = elf_open_file(debug, &fd, &err);
		if (d) {
			found = symbol_addrs(d, name, addr);
			elf_close_file(d, fd);
		}
	}
	return found == 1 ? 0 : found ? -ENOTUNIQ : -ENOENT;
}

int elf_fixed_text(const char *path, uint64_t *start, uint64_t *end, uint64_t *pgoff)
{
	int fd, err, rc = -1;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return -1;
	GElf_Ehdr eh;
	size_t n;
	if (gelf_getehdr(e, &eh) && eh.e_type == ET_EXEC && !elf_getphdrnum(e, &n))
		for (size_t i = 0; i < n && rc; i++) {
			GElf_Phdr ph;
			if (!gelf_getphdr(e, (int)i, &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
				continue;
			/* as the kernel maps it: from the page holding the segment's start */
			*start = ph.p_vaddr & ~0xfffull;
			*end = ph.p_vaddr + ph.p_memsz;
			*pgoff = ph.p_offset & ~0xfffull;
			rc = 0;
		}
	elf_close_file(e, fd);
	return rc;
}

int elf_is_pie(const char *path)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return -1;
	GElf_Ehdr eh;
	int pie = gelf_getehdr(e, &eh) && eh.e_type == ET_DYN;
	elf_close_file(e, fd);
	return pie;
}

int elf_is_go(const char *path)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return 0;
	int go = gopclntab_is_go(e);
	if (go && gopclntab_before_regabi(e))
		go = 2;
	elf_close_file(e, fd);
	return go;
}

int elf_go_version(const char *path, char *out, size_t n)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return -1;
	int rc = gopclntab_go_version(e, out, n);
	elf_close_file(e, fd);
	return rc;
}
