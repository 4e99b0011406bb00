/* Unwind tables (unwind/table.c) of Debian's libc: a function's first
 * instruction has CFA = rsp + 8, the PLT gets the linker's rule, the signal
 * trampoline and the outermost frames are marked; a file whose .eh_frame is
 * garbled or cut short builds fewer rows or none, never reads out of bounds (ASan). */
#include "test.h"
#include "obj/elf.h"
#include "unwind/table.h"
#include <gelf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LIBC "/lib/x86_64-linux-gnu/libc.so.6"
#define ZLIB "/lib/x86_64-linux-gnu/libz.so.1"

static size_t count_kind(const struct unw_table *t, int kind)
{
	size_t n = 0;
	for (size_t i = 0; i < t->n; i++)
		n += t->rows[i].kind == kind;
	return n;
}

TEST(test_unwind_libc_function_entry_is_rsp_plus_8)
{
	struct unw_table t;
	uint64_t malloc_at = 0;
	EXPECT_INT(unw_table_build(LIBC, &t), 0);
	EXPECT_INT(elf_symbol_addr(LIBC, "malloc", &malloc_at), 0);
	const struct unw_row *r = unw_table_find(&t, malloc_at);
	EXPECT_INT(r != NULL, 1);
	if (r) {
		EXPECT_INT(r->kind, UNW_RSP);
		EXPECT_INT(r->off, 8);
		EXPECT_INT(r->bp8, 0);
	}
	EXPECT_INT(t.n > 10000, 1);
	EXPECT_INT(count_kind(&t, UNW_SIGNAL), 1);	/* __restore_rt */
	EXPECT_INT(count_kind(&t, UNW_END) >= 1, 1);	/* clone3's thread root */
	EXPECT_INT(count_kind(&t, UNW_RSP8) >= 1, 1);	/* a 33 KiB frame: past a 16-bit offset */
	for (size_t i = 1; i < t.n; i++)
		if (t.rows[i - 1].pc >= t.rows[i].pc) {
			EXPECT_INT(t.rows[i].pc, t.rows[i - 1].pc + 1);	/* sorted, one row per pc */
			break;
		}
	unw_table_free(&t);
}

/* A section's address, from the section headers. */
static uint64_t section_addr(const char *path, const char *want)
{
	int fd, err;
	uint64_t at = 0;
	Elf *e = elf_open_file(path, &fd, &err);
	size_t shstrndx;
	if (!e || elf_getshdrstrndx(e, &shstrndx))
		return 0;
	for (Elf_Scn *s = NULL; (s = elf_nextscn(e, s));) {
		GElf_Shdr sh;
		const char *name = gelf_getshdr(s, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
		if (name && !strcmp(name, want))
			at = sh.sh_addr;
	}
	elf_close_file(e, fd);
	return at;
}

TEST(test_unwind_libc_plt_gets_the_linkers_rule)
{
	struct unw_table t;
	uint64_t plt = section_addr(LIBC, ".plt");
	EXPECT_INT(plt != 0, 1);
	EXPECT_INT(unw_table_build(LIBC, &t), 0);
	const struct unw_row *r = unw_table_find(&t, plt + 16);	/* the first entry after PLT0 */
	EXPECT_INT(r != NULL, 1);
	if (r) {
		EXPECT_INT(r->kind, UNW_PLT);
		EXPECT_INT(r->off, 11);
	}
	unw_table_free(&t);
}

static void expect_rsp(const struct unw_table *t, uint64_t pc, int off)
{
	const struct unw_row *r = unw_table_find(t, pc);
	EXPECT_INT(r ? r->kind : -1, UNW_RSP);
	EXPECT_INT(r ? r->off : -1, off);
}

/* crti's .init (sub $8,%rsp; …; call *%rax; add $8,%rsp; ret) and .fini (sub; add; ret) have no CFI:
 * their rows come from those instructions (libz: Debian's zlib, which sonde links). */
TEST(test_unwind_init_and_fini_get_rows_from_crtis_instructions)
{
	struct unw_table t;
	uint64_t init = section_addr(ZLIB, ".init"), fini = section_addr(ZLIB, ".fini");
	EXPECT_INT(init && fini, 1);
	EXPECT_INT(unw_table_build(ZLIB, &t), 0);
	expect_rsp(&t, init, 8);
	expect_rsp(&t, init + 4, 16);	/* after the sub */
	expect_rsp(&t, init + 0x10, 16);	/* at the call: the return address it pushes is at rsp + 8 */
	expect_rsp(&t, init + 0x16, 8);	/* the ret, after the add */
	const struct unw_row *r = unw_table_find(&t, init + 0x17);
	EXPECT_INT(r && r->pc == init + 0x17 ? r->kind : -1, UNW_NONE);	/* past the section: nothing claimed */
	expect_rsp(&t, fini, 8);
	expect_rsp(&t, fini + 4, 16);
	expect_rsp(&t, fini + 8, 8);
	unw_table_free(&t);
}

/* A 32-bit ELF (only its header: i386's registers are numbered otherwise) gets no table. */
TEST(test_unwind_32bit_elf_is_refused)
{
	char path[] = "/tmp/sonde-unw32-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	Elf32_Ehdr h = { .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT, .e_ehsize = sizeof(h) };
	memcpy(h.e_ident, ELFMAG, SELFMAG);
	h.e_ident[EI_CLASS] = ELFCLASS32;
	h.e_ident[EI_DATA] = ELFDATA2LSB;
	h.e_ident[EI_VERSION] = EV_CURRENT;
	EXPECT_INT(write(fd, &h, sizeof(h)), (int)sizeof(h));
	close(fd);
	struct unw_table t;
	EXPECT_INT(unw_table_build(path, &t), -ENOEXEC);
	EXPECT_INT(t.n, 0);
	unlink(path);
}

/* A copy of libc with `len` bytes at file offset `at` overwritten by a pattern. */
static int garbled_copy(const char *out, long at, long len, unsigned seed)
{
	FILE *in = fopen(LIBC, "rb"), *o = fopen(out, "wb");
	int rc = -1;
	if (in && o) {
		char buf[65536];
		size_t n;
		long pos = 0;
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
			for (size_t i = 0; i < n; i++)
				if (pos + (long)i >= at && pos + (long)i < at + len)
					buf[i] = (char)(seed = seed * 1103515245u + 12345u) ;
			fwrite(buf, 1, n, o);
			pos += (long)n;
		}
		rc = 0;
	}
	if (in)
		fclose(in);
	if (o)
		fclose(o);
	return rc;
}

/* file offsets of .eh_frame_hdr and .eh_frame */
static void eh_offsets(long *hdr, long *frame, long *frame_len)
{
	int fd, err;
	Elf *e = elf_open_file(LIBC, &fd, &err);
	size_t shstrndx;
	*hdr = *frame = *frame_len = 0;
	if (!e || elf_getshdrstrndx(e, &shstrndx))
		return;
	for (Elf_Scn *s = NULL; (s = elf_nextscn(e, s));) {
		GElf_Shdr sh;
		const char *name = gelf_getshdr(s, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
		if (name && !strcmp(name, ".eh_frame_hdr"))
			*hdr = (long)sh.sh_offset;
		if (name && !strcmp(name, ".eh_frame")) {
			*frame = (long)sh.sh_offset;
			*frame_len = (long)sh.sh_size;
		}
	}
	elf_close_file(e, fd);
}

TEST(test_unwind_garbled_eh_frame_builds_fewer_rows_or_none)
{
	long hdr, frame, frame_len;
	eh_offsets(&hdr, &frame, &frame_len);
	EXPECT_INT(hdr && frame && frame_len > 4096, 1);
	char path[] = "/tmp/sonde-unw-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return;
	close(fd);
	struct { long at, len; } cuts[] = {
		{ frame + 100, 4096 },		/* CIEs and FDEs garbled */
		{ frame, frame_len },		/* all of .eh_frame */
		{ hdr + 8, 4 },			/* the FDE count */
		{ hdr + 12, 64 },		/* the index's first entries */
	};
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		EXPECT_INT(garbled_copy(path, cuts[i].at, cuts[i].len, (unsigned)i + 7), 0);
		struct unw_table t;
		int rc = unw_table_build(path, &t);
		EXPECT_INT(rc == 0 || rc == -ENOENT, 1);
		EXPECT_INT(t.n <= (8u << 20), 1);
		unw_table_free(&t);
	}
	/* cut short: the file ends inside .eh_frame */
	EXPECT_INT(truncate(path, frame + 200), 0);
	struct unw_table t;
	int rc = unw_table_build(path, &t);
	EXPECT_INT(rc == 0 || rc == -ENOENT || rc == -ENOEXEC, 1);
	unw_table_free(&t);
	unlink(path);
}
