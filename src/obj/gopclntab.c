/*
 * Go keeps every function's name and entry in .gopclntab for its own stack
 * traces, so `-ldflags='-s -w'` (no .symtab, no DWARF) still leaves them.
 * The layout changed with Go 1.16 and 1.18; every offset read from the file
 * is checked against the image before use.
 */
#include "gopclntab.h"
#include <gelf.h>
#include <string.h>

struct tab {
	const uint8_t *p;
	size_t len;
	int ptr;	/* pointer size: 4 or 8 */
};

static int read_uint(const struct tab *t, uint64_t off, int size, uint64_t *v)
{
	if (off > t->len || (uint64_t)size > t->len - off)
		return -1;
	uint64_t x = 0;
	memcpy(&x, t->p + off, (size_t)size);	/* little-endian (x86-64) */
	*v = x;
	return 0;
}

/* A NUL-terminated name inside the image, or NULL. */
static const char *name_at(const struct tab *t, uint64_t off)
{
	if (off >= t->len || !memchr(t->p + off, 0, t->len - off))
		return NULL;
	return (const char *)t->p + off;
}

int gopclntab_parse(const uint8_t *tab, size_t len, uint64_t text_addr,
		    void (*add)(void *ctx, const char *name, uint64_t entry, uint64_t size), void *ctx)
{
	struct tab t = { tab, len, 0 };
	uint64_t magic, pad, ptr;
	if (read_uint(&t, 0, 4, &magic) || read_uint(&t, 4, 2, &pad) || read_uint(&t, 7, 1, &ptr) || pad ||
	    (ptr != 4 && ptr != 8))
		return -1;
	t.ptr = (int)ptr;
	int v118 = magic == 0xfffffff0 || magic == 0xfffffff1;	/* Go 1.18-1.19, 1.20+ */
	int v116 = magic == 0xfffffffa;				/* Go 1.16-1.17 */
	int v112 = magic == 0xfffffffb;				/* Go 1.12-1.15 */
	if (!v118 && !v116 && !v112)
		return -1;
	uint64_t nfunc, text = 0, names = 0, functab;
	if (read_uint(&t, 8, t.ptr, &nfunc))
		return -1;
	if (v112) {
		functab = 8 + (uint64_t)t.ptr;
	} else {
		/* nfunc, nfiles, [textStart,] funcnameOffset, cuOffset, filetabOffset, pctabOffset, pclnOffset */
		int k = v118 ? 3 : 2;
		if (v118 && read_uint(&t, 8 + 2 * (uint64_t)t.ptr, t.ptr, &text))
			return -1;
		if (read_uint(&t, 8 + (uint64_t)k * t.ptr, t.ptr, &names) ||
		    read_uint(&t, 8 + (uint64_t)(k + 4) * t.ptr, t.ptr, &functab))
			return -1;
		if (v118 && !text)
			text = text_addr;	/* PIE: the linker left it to a relocation */
	}
	/* functab: nfunc + 1 (entry, funcoff) pairs, 4-byte offsets from 1.18, pointers before */
	int esz = v118 ? 4 : t.ptr;
	if (nfunc > len / (2 * (uint64_t)esz))
		return -1;
	int n = 0;
	for (uint64_t i = 0; i < nfunc; i++) {
		uint64_t entry, funcoff, next, nameoff;
		uint64_t at = functab + i * 2 * (uint64_t)esz;
		if (read_uint(&t, at, esz, &entry) || read_uint(&t, at + (uint64_t)esz, esz, &funcoff) ||
		    read_uint(&t, at + 2 * (uint64_t)esz, esz, &next) || next < entry)
			return n ? n : -1;
		/* _func: entry (u32 offset from 1.18, a pointer before), then nameoff (int32) */
		uint64_t func = (v112 ? 0 : functab) + funcoff;
		if (read_uint(&t, func + (uint64_t)esz, 4, &nameoff))
			return n ? n : -1;
		const char *name = name_at(&t, (v112 ? 0 : names) + (uint32_t)nameoff);
		if (!name || !*name)
			continue;
		add(ctx, name, v118 ? text + entry : entry, next - entry);
		n++;
	}
	return n;
}

struct collect {
	Elf *e;
	struct elf_syms *out;
};

static void collect_one(void *ctx, const char *name, uint64_t entry, uint64_t size)
{
	struct collect *c = ctx;
	uint64_t off;
	if (elf_vaddr_to_offset(c->e, entry, 1, &off))
		return;
	struct elf_sym s = { xstrdup(name), entry, size, off, 0 };
	VEC_PUSH(c->out->v, s);
}

/* The section of that name (NOBITS ones too when data is NULL), or NULL; its data and header. */
static Elf_Scn *section(Elf *e, const char *want, Elf_Data **data, GElf_Shdr *out)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx))
		return NULL;
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
		if (!name || strcmp(name, want))
			continue;
		if (out)
			*out = sh;
		if (!data)
			return scn;
		*data = sh.sh_type != SHT_NOBITS ? elf_getdata(scn, NULL) : NULL;
		return *data && (*data)->d_buf ? scn : NULL;
	}
	return NULL;
}

/* The function table: .gopclntab, or .data.rel.ro.gopclntab in PIE builds. */
static Elf_Data *table(Elf *e)
{
	Elf_Data *d = NULL;
	if (section(e, ".gopclntab", &d, NULL) || section(e, ".data.rel.ro.gopclntab", &d, NULL))
		return d;
	return NULL;
}

int gopclntab_read(Elf *e, struct elf_syms *out)
{
	Elf_Data *pcln = table(e);
	GElf_Shdr text = { 0 };
	if (!pcln)
		return -1;
	section(e, ".text", NULL, &text);
	struct collect c = { e, out };
	return gopclntab_parse(pcln->d_buf, pcln->d_size, text.sh_addr, collect_one, &c);
}

int gopclntab_is_go(Elf *e)
{
	return section(e, ".go.buildinfo", NULL, NULL) || section(e, ".note.go.buildid", NULL, NULL) ||
	       table(e) != NULL;
}

int gopclntab_go_version(Elf *e, char *out, size_t n)
{
	Elf_Data *d = NULL;
	if (!section(e, ".go.buildinfo", &d, NULL))
		return -1;
	const uint8_t *p = d->d_buf;
	/* "\xff Go buildinf:", pointer size, flags; from Go 1.18 (flag 2) the version follows inline */
	if (d->d_size < 33 || memcmp(p, "\xff Go buildinf:", 14) || !(p[15] & 2))
		return -1;
	size_t len = p[32];	/* a one-byte varint: versions are short */
	if (len >= 0x80 || 33 + len > d->d_size || len >= n)
		return -1;
	memcpy(out, p + 33, len);
	out[len] = 0;
	return 0;
}

static void note_spill(void *ctx, const char *name, uint64_t entry, uint64_t size)
{
	(void)entry;
	(void)size;
	*(int *)ctx |= !strcmp(name, "runtime.spillArgs");
}

int gopclntab_before_regabi(Elf *e)
{
	char version[64];
	if (gopclntab_go_version(e, version, sizeof(version)) == 0)
		return 0;	/* build info inline: Go 1.18 or later */
	Elf_Data *d = table(e);
	uint32_t magic = 0;
	if (!d || d->d_size < 4)
		return 0;
	memcpy(&magic, d->d_buf, 4);
	if (magic == 0xfffffffb)
		return 1;	/* the Go 1.2-1.15 table: before the register ABI (1.17) */
	if (magic != 0xfffffffa)
		return 0;
	/* Go 1.16 and 1.17 share a table; 1.17 brought runtime.spillArgs with its register ABI */
	int spill = 0;
	gopclntab_parse(d->d_buf, d->d_size, 0, note_spill, &spill);
	return !spill;
}
