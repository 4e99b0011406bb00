#include "notes.h"
#include "elf.h"
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NT_STAPSDT 3

static Elf_Scn *section(Elf *e, const char *want, GElf_Shdr *sh)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx))
		return NULL;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		const char *name;
		if (gelf_getshdr(scn, sh) && (name = elf_strptr(e, shstrndx, sh->sh_name)) && !strcmp(name, want))
			return scn;
	}
	return NULL;
}

int usdt_read_sites(const char *path, struct usdt_sites *out)
{
	memset(out, 0, sizeof(*out));
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return err;
	GElf_Shdr sh, base_sh;
	Elf_Scn *base = section(e, ".stapsdt.base", &base_sh);
	Elf_Scn *notes = section(e, ".note.stapsdt", &sh);
	Elf_Data *data = notes ? elf_getdata(notes, NULL) : NULL;
	size_t off = 0, name_off, desc_off;
	GElf_Nhdr nh;
	while (data && (off = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const char *owner = (const char *)data->d_buf + name_off;
		const char *desc = (const char *)data->d_buf + desc_off;
		if (nh.n_type != NT_STAPSDT || nh.n_namesz != 8 || strcmp(owner, "stapsdt") || nh.n_descsz < 27)
			continue;
		uint64_t pc, note_base, sema;
		memcpy(&pc, desc, 8);
		memcpy(&note_base, desc + 8, 8);
		memcpy(&sema, desc + 16, 8);
		/* strings: provider, name, arguments, all inside the descriptor */
		const char *end = desc + nh.n_descsz, *prov = desc + 24;
		const char *name = memchr(prov, 0, (size_t)(end - prov));
		const char *args = name ? memchr(name + 1, 0, (size_t)(end - name - 1)) : NULL;
		if (!name || !args || !memchr(args + 1, 0, (size_t)(end - args - 1) + 0))
			continue;
		name++;
		args++;
		/* prelinked or moved: .stapsdt.base tells how far */
		if (base && note_base)
			pc += base_sh.sh_addr - note_base;
		struct usdt_site s = { xstrdup(prov), xstrdup(name), xstrdup(args), pc, 0, 0 };
		if (elf_vaddr_to_offset(e, pc, 0, &s.file_off) ||
		    (sema && elf_vaddr_to_offset(e, sema, 0, &s.sema_off))) {
			free(s.provider);
			free(s.name);
			free(s.args);
			continue;
		}
		VEC_PUSH(out->v, s);
	}
	elf_close_file(e, fd);
	return 0;
}

void usdt_sites_free(struct usdt_sites *s)
{
	for (int i = 0; i < s->v.n; i++) {
		free(s->v.v[i].provider);
		free(s->v.v[i].name);
		free(s->v.v[i].args);
	}
	free(s->v.v);
	memset(s, 0, sizeof(*s));
}
