/* Go's function table (obj/gopclntab.c) of the stripped Go target: the real image names
 * main.(*Arith).Mul at its symbol-table address, and every truncation or corruption of
 * the image reads as fewer functions or none, never out of bounds (ASan). */
#include "test.h"
#include "obj/elf.h"
#include "obj/gopclntab.h"
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct found {
	int n;
	uint64_t mul_entry, mul_size;
};

static void note(void *ctx, const char *name, uint64_t entry, uint64_t size)
{
	struct found *f = ctx;
	f->n++;
	if (!strcmp(name, "main.(*Arith).Mul")) {
		f->mul_entry = entry;
		f->mul_size = size;
	}
}

/* The .gopclntab bytes and .text address of a file; malloc'd copy or NULL. */
static uint8_t *load(const char *path, size_t *len, uint64_t *text)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return NULL;
	size_t shstrndx;
	uint8_t *copy = NULL;
	Elf_Scn *scn = NULL;
	elf_getshdrstrndx(e, &shstrndx);
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
		if (name && !strcmp(name, ".text"))
			*text = sh.sh_addr;
		if (name && !strcmp(name, ".gopclntab")) {
			Elf_Data *d = elf_getdata(scn, NULL);
			copy = malloc(d->d_size);
			memcpy(copy, d->d_buf, d->d_size);
			*len = d->d_size;
		}
	}
	elf_close_file(e, fd);
	return copy;
}

TEST(test_gopclntab_names_the_functions_of_a_stripped_go_binary)
{
	size_t len = 0;
	uint64_t text = 0, addr = 0;
	uint8_t *tab = load("build/targets/goserver-stripped", &len, &text);
	EXPECT_INT(tab != NULL, 1);
	if (!tab)
		return;
	struct found f = { 0 };
	int n = gopclntab_parse(tab, len, text, note, &f);
	EXPECT_INT(n > 1000, 1);
	EXPECT_INT(n, f.n);
	/* the unstripped build of the same source places it at the same address */
	EXPECT_INT(elf_symbol_addr("build/targets/goserver", "main.(*Arith).Mul", &addr), 0);
	EXPECT_INT(f.mul_entry, addr);
	EXPECT_INT(f.mul_size > 0 && f.mul_size < 4096, 1);
	free(tab);
}

TEST(test_gopclntab_truncated_or_corrupt_images_are_read_safely)
{
	size_t len = 0;
	uint64_t text = 0;
	uint8_t *tab = load("build/targets/goserver-stripped", &len, &text);
	if (!tab)
		return;	/* the test above reports it */
	/* every cut of the header and the function table, each in a buffer of its exact size */
	for (size_t cut = 0; cut < len && cut < 4096; cut += cut < 128 ? 1 : 61) {
		uint8_t *p = malloc(cut ? cut : 1);
		memcpy(p, tab, cut);
		struct found f = { 0 };
		int n = gopclntab_parse(p, cut, text, note, &f);
		EXPECT_INT(n <= f.n || n == -1, 1);
		free(p);
	}
	/* scrambled offsets: a fixed pseudo-random walk over the first 4 KiB */
	uint32_t seed = 12345;
	for (int round = 0; round < 300; round++) {
		uint8_t *p = malloc(len);
		memcpy(p, tab, len);
		for (int k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			p[8 + (seed >> 8) % 4088] = (uint8_t)(seed >> 24);
		}
		struct found f = { 0 };
		gopclntab_parse(p, len, text, note, &f);
		free(p);
	}
	uint8_t junk[64] = { 0xf1, 0xff, 0xff, 0xff, 0, 0, 1, 8 };
	struct found f = { 0 };
	EXPECT_INT(gopclntab_parse(junk, sizeof(junk), 0, note, &f) <= 0, 1);
	free(tab);
}
