/*
 * .init and .fini carry no CFI (glibc's crti.S writes them without any),
 * but their code is always the same few instructions:
 *     [endbr64]  sub $8,%rsp  …  add $8,%rsp  ret
 * (.init calls __gmon_start__ in between, when a profiled build has one).
 * Their rules follow from those bytes: CFA = rsp + 8 at the entry and after
 * the add, rsp + 16 between. Code of another shape gets the entry's rule
 * only, which holds for any function's first instruction.
 */
#include "initfini.h"
#include <gelf.h>
#include <string.h>

#define SCAN_MAX 256	/* crti's sections are 9 and 23 bytes: farther is not theirs */

static const uint8_t endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
static const uint8_t sub8[4] = { 0x48, 0x83, 0xec, 0x08 };	/* sub $8,%rsp */
static const uint8_t add8_ret[5] = { 0x48, 0x83, 0xc4, 0x08, 0xc3 };	/* add $8,%rsp; ret */

static struct unw_row rsp(uint64_t pc, int off)
{
	return (struct unw_row){ .pc = (uint32_t)pc, .kind = UNW_RSP, .off = (int16_t)off };
}

static struct unw_row none(uint64_t pc)
{
	return (struct unw_row){ .pc = (uint32_t)pc, .kind = UNW_NONE };
}

/* One section's rows (at most 4) into out; how many. */
static size_t section_rows(uint64_t at, const uint8_t *b, size_t size, struct unw_row *out)
{
	size_t n = 0, p = size >= 4 && !memcmp(b, endbr64, 4) ? 4 : 0;
	out[n++] = rsp(at, 8);
	if (p + 4 > size || memcmp(b + p, sub8, 4)) {
		out[n++] = none(at + (p ? p : 1));	/* only the first instruction is known */
		return n;
	}
	size_t lim = size < SCAN_MAX ? size : SCAN_MAX;
	for (size_t q = p + 4; q + 5 <= lim; q++)
		if (!memcmp(b + q, add8_ret, 5)) {
			out[n++] = rsp(at + p + 4, 16);
			out[n++] = rsp(at + q + 4, 8);
			out[n++] = none(at + q + 5);
			return n;
		}
	out[n++] = none(at + p + 4);
	return n;
}

size_t unw_init_fini_rows(Elf *e, struct unw_row out[UNW_INIT_FINI_ROWS])
{
	size_t shstrndx, n = 0;
	if (elf_getshdrstrndx(e, &shstrndx))
		return 0;
	for (Elf_Scn *s = NULL; (s = elf_nextscn(e, s));) {
		GElf_Shdr sh;
		const char *name = gelf_getshdr(s, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
		if (!name || (strcmp(name, ".init") && strcmp(name, ".fini")) || sh.sh_type != SHT_PROGBITS ||
		    !(sh.sh_flags & SHF_EXECINSTR) || sh.sh_addr + sh.sh_size > UINT32_MAX || n + 4 > UNW_INIT_FINI_ROWS)
			continue;
		Elf_Data *d = elf_getdata(s, NULL);
		if (d && d->d_buf && d->d_size)
			n += section_rows(sh.sh_addr, d->d_buf, d->d_size < sh.sh_size ? d->d_size : sh.sh_size, out + n);
	}
	return n;
}
