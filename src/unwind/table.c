/*
 * CFI → compact rows. libdw interprets the CFA programs
 * (dwarf_cfi_addrframe() gives the rule at an address and the range it
 * holds for); this file only enumerates the FDEs (.eh_frame through
 * .eh_frame_hdr's sorted index, .debug_frame with dwarf_next_cfi()) and
 * steps from one rule's end to the next within each FDE. .eh_frame wins;
 * .debug_frame (the file's own, else its separate debug file's) fills the
 * addresses .eh_frame leaves without a rule. Every count and offset read
 * from the file is bounded: broken CFI gives fewer rows, never a crash or
 * an endless walk.
 */
#include "table.h"
#include "initfini.h"
#include "../obj/debugfile.h"
#include "../util/util.h"
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_ROWS (8u << 20)		/* a hostile file cannot make the table larger than this */
#define MAX_RULES_PER_FDE 65536		/* bounds the walk within one FDE */
#define REG_RBP 6
#define REG_RSP 7
#define REG_RA 16
#define EH_PE_DATAREL_SDATA4 0x3b	/* the encoding every GNU linker uses for the index */

struct rows {
	struct unw_row *v;
	size_t n, cap;
};

static int push(struct rows *r, struct unw_row row)
{
	if (r->n >= MAX_ROWS)
		return -E2BIG;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		struct unw_row *v = realloc(r->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = row;
	return 0;
}

/* The linker's rule for .plt: rsp + 8, + 8 once the entry has pushed its index (ip & 15 >= N). */
static int plt_threshold(const Dwarf_Op *o, size_t n)
{
	static const uint8_t shape[9] = { DW_OP_breg7, DW_OP_breg16, DW_OP_lit15, DW_OP_and, 0, DW_OP_ge,
					  DW_OP_lit3, DW_OP_shl, DW_OP_plus };
	if (n != 9 || o[0].number != 8 || o[1].number != 0)
		return -1;
	for (int i = 0; i < 9; i++)
		if (i != 4 && o[i].atom != shape[i])
			return -1;
	if (o[4].atom < DW_OP_lit0 || o[4].atom > DW_OP_lit31)
		return -1;
	return o[4].atom - DW_OP_lit0;
}

/* "at CFA + k": DW_OP_call_frame_cfa, DW_OP_plus_uconst k (libdw's form for offset(N)) */
static int cfa_relative(const Dwarf_Op *o, size_t n, int64_t *k)
{
	if (n == 1 && o[0].atom == DW_OP_call_frame_cfa) {
		*k = 0;
		return 1;
	}
	if (n != 2 || o[0].atom != DW_OP_call_frame_cfa || o[1].atom != DW_OP_plus_uconst)
		return 0;
	*k = (int64_t)o[1].number;
	return 1;
}

/*
 * gcc's dynamic realignment (DRAP: a realigned stack and a VLA or alloca):
 * the CFA is saved below the frame, `DW_CFA_def_cfa_expression: breg6 K;
 * deref`, and rbp is saved at rbp + J, `DW_CFA_expression: rbp, breg6 J`.
 */
static struct unw_row drap_row(Dwarf_Frame *f, struct unw_row r, int64_t k)
{
	Dwarf_Op mem[3], *ops;
	size_t nops;
	if (k < -1024 || k > 1024 || dwarf_frame_register(f, REG_RBP, mem, &ops, &nops))
		return r;
	/* libdw puts the CFA that DWARF pushes before an expression rule in front of it */
	if (nops == 2 && ops[0].atom == DW_OP_call_frame_cfa) {
		ops++;
		nops--;
	}
	if (nops != 1 || ops[0].atom != DW_OP_breg6)
		return r;
	int64_t j = (int64_t)ops[0].number;
	if (j % 8 || j < -1024 || j > 1016)
		return r;
	r.kind = UNW_DEREF;
	r.off = (int16_t)k;
	r.bp8 = (int8_t)(j / 8);
	return r;
}

static struct unw_row row_of(Dwarf_Frame *f, uint64_t start, int signal)
{
	struct unw_row r = { .pc = (uint32_t)start, .kind = UNW_EXPR };
	if (signal) {
		r.kind = UNW_SIGNAL;
		return r;
	}
	Dwarf_Op mem[3], *ops;
	size_t nops;
	int64_t k;
	if (dwarf_frame_register(f, REG_RA, mem, &ops, &nops))
		return r;
	if (nops == 0 && ops == mem) {
		r.kind = UNW_END;	/* undefined: nothing called this frame */
		return r;
	}
	if (!cfa_relative(ops, nops, &k) || k != -8)
		return r;
	if (dwarf_frame_cfa(f, &ops, &nops) || nops == 0)
		return r;
	if (nops == 1 && ops[0].atom == DW_OP_bregx) {
		int64_t off = (int64_t)ops[0].number2;
		if ((ops[0].number != REG_RSP && ops[0].number != REG_RBP) || off < 0)
			return r;
		if (off <= INT16_MAX) {
			r.kind = ops[0].number == REG_RSP ? UNW_RSP : UNW_RBP;
			r.off = (int16_t)off;
		} else if (ops[0].number == REG_RSP && off % 8 == 0 && off / 8 <= INT16_MAX) {
			r.kind = UNW_RSP8;	/* a large frame (Py_RunMain's helpers: 64 KiB) */
			r.off = (int16_t)(off / 8);
		} else {
			return r;
		}
	} else if (nops == 2 && ops[0].atom == DW_OP_breg6 && ops[1].atom == DW_OP_deref) {
		return drap_row(f, r, (int64_t)ops[0].number);
	} else {
		int t = plt_threshold(ops, nops);
		if (t < 0)
			return r;
		r.kind = UNW_PLT;
		r.off = (int16_t)t;
	}
	if (dwarf_frame_register(f, REG_RBP, mem, &ops, &nops)) {
		r.kind = UNW_EXPR;
		return r;
	}
	if (nops == 0)
		return r;	/* same value or undefined: rbp stays as it is */
	if (!cfa_relative(ops, nops, &k) || k % 8 || k < -1024 || k > 1016 || k == 0) {
		r.kind = UNW_EXPR;
		return r;
	}
	r.bp8 = (int8_t)(k / 8);
	return r;
}

static int same_rule(const struct unw_row *a, const struct unw_row *b)
{
	return a->kind == b->kind && a->bp8 == b->bp8 && a->off == b->off;
}

/* One FDE from loc: a row per rule, a UNW_NONE row where it ends before `limit` (the next FDE). */
static int walk_fde(Dwarf_CFI *cfi, uint64_t loc, uint64_t limit, struct rows *out)
{
	uint64_t addr = loc;
	for (int i = 0; i < MAX_RULES_PER_FDE && addr < limit; i++) {
		Dwarf_Frame *f;
		if (dwarf_cfi_addrframe(cfi, addr, &f))
			break;
		Dwarf_Addr start, end;
		bool signal;
		int rc = dwarf_frame_info(f, &start, &end, &signal);
		struct unw_row row = row_of(f, addr, signal);
		free(f);
		if (rc < 0 || end <= addr || end > UINT32_MAX)
			break;
		rc = push(out, row);
		if (rc)
			return rc;
		addr = end;
	}
	if (addr < limit && addr <= UINT32_MAX)
		return push(out, (struct unw_row){ .pc = (uint32_t)addr, .kind = UNW_NONE });
	return 0;
}

static Elf_Data *section_named(Elf *e, const char *want, GElf_Shdr *sh)
{
	size_t shstrndx;
	if (elf_getshdrstrndx(e, &shstrndx))
		return NULL;
	for (Elf_Scn *s = NULL; (s = elf_nextscn(e, s));) {
		const char *name;
		if (!gelf_getshdr(s, sh) || !(name = elf_strptr(e, shstrndx, sh->sh_name)) || strcmp(name, want))
			continue;
		return sh->sh_type == SHT_NOBITS ? NULL : elf_getdata(s, NULL);
	}
	return NULL;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int by_pc(const void *a, const void *b)
{
	const struct unw_row *x = a, *y = b;
	return x->pc < y->pc ? -1 : x->pc > y->pc;
}

/* Sorted, one row per pc (a hostile index may repeat or overlap FDEs), runs of one rule merged. */
static void tidy(struct rows *r)
{
	if (!r->n)
		return;
	qsort(r->v, r->n, sizeof(*r->v), by_pc);
	size_t w = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (w && r->v[w - 1].pc == r->v[i].pc)
			continue;
		if (w && same_rule(&r->v[w - 1], &r->v[i]))
			continue;
		r->v[w++] = r->v[i];
	}
	r->n = w;
}

/* .eh_frame: the FDEs' starts from .eh_frame_hdr's index. */
static int eh_frame_rows(Elf *e, struct rows *out)
{
	GElf_Shdr sh;
	Elf_Data *hdr = section_named(e, ".eh_frame_hdr", &sh);
	if (!hdr || hdr->d_size < 12)
		return -ENOENT;
	const uint8_t *p = hdr->d_buf;
	/* version 1; eh_frame_ptr's encoding (any 4-byte one); count udata4; table datarel sdata4 */
	if (p[0] != 1 || (p[1] & 0x0f) != 0x0b || p[2] != 0x03 || p[3] != EH_PE_DATAREL_SDATA4)
		return -ENOENT;
	uint64_t count = le32(p + 8);
	if (count > (hdr->d_size - 12) / 8)
		return -ENOENT;	/* truncated */
	Dwarf_CFI *cfi = dwarf_getcfi_elf(e);
	if (!cfi)
		return -ENOENT;
	int rc = 0;
	for (uint64_t i = 0; i < count && !rc; i++) {
		uint64_t loc = sh.sh_addr + (uint64_t)(int64_t)(int32_t)le32(p + 12 + 8 * i);
		uint64_t next = i + 1 < count ? sh.sh_addr + (uint64_t)(int64_t)(int32_t)le32(p + 12 + 8 * (i + 1))
					      : UINT32_MAX;
		if (loc > UINT32_MAX)
			continue;
		rc = walk_fde(cfi, loc, next > loc ? next : UINT32_MAX, out);
	}
	dwarf_cfi_end(cfi);
	if (rc == -E2BIG)
		rc = 0;	/* keep what fits: the rest falls back to frame pointers */
	return rc ? rc : out->n ? 0 : -ENOENT;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/*
 * .debug_frame has no index: dwarf_next_cfi() steps through its entries and
 * each FDE starts with its 8-byte initial_location and address_range (no
 * pointer encoding there, unlike .eh_frame). Rules come from the Dwarf's
 * CFI. A start of 0 is a function the linker discarded.
 */
static int debug_frame_rows(Elf *e, struct rows *out)
{
	GElf_Shdr sh;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	if (gelf_getclass(e) != ELFCLASS64 || elf_getshdrstrndx(e, &shstrndx))
		return -ENOENT;
	while ((scn = elf_nextscn(e, scn))) {
		const char *name = gelf_getshdr(scn, &sh) ? elf_strptr(e, shstrndx, sh.sh_name) : NULL;
		if (name && !strcmp(name, ".debug_frame"))
			break;
	}
	if (!scn || sh.sh_type == SHT_NOBITS)
		return -ENOENT;
	if ((sh.sh_flags & SHF_COMPRESSED) && elf_compress(scn, 0, 0) < 0)
		return -ENOENT;	/* debug files often compress their sections */
	Elf_Data *d = elf_getdata(scn, NULL);
	const unsigned char *ident = (const unsigned char *)elf_getident(e, NULL);
	Dwarf *dw = d && ident ? dwarf_begin_elf(e, DWARF_C_READ, NULL) : NULL;
	Dwarf_CFI *cfi = dw ? dwarf_getcfi(dw) : NULL;
	if (!cfi) {
		if (dw)
			dwarf_end(dw);
		return -ENOENT;
	}
	uint64_t *locs = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	/* every entry is longer than 16 bytes: the offsets only grow, the loop ends */
	for (Dwarf_Off off = 0, next = 0; off < d->d_size && !rc; off = next) {
		Dwarf_CFI_Entry ent;
		int r = dwarf_next_cfi(ident, d, false, off, &next, &ent);
		if (r > 0 || next <= off || next == (Dwarf_Off)-1)
			break;
		if (r < 0 || dwarf_cfi_cie_p(&ent) || ent.fde.end - ent.fde.start < 16)
			continue;
		uint64_t loc = le64(ent.fde.start), len = le64(ent.fde.start + 8);
		if (!loc || !len || loc > UINT32_MAX)
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 1024;
			uint64_t *v = realloc(locs, c * sizeof(*v));
			if (!v) {
				rc = -ENOMEM;
				break;
			}
			locs = v;
			cap = c;
		}
		locs[n++] = loc;
	}
	if (n)
		qsort(locs, n, sizeof(*locs), by_u64);
	for (size_t i = 0; i < n && !rc; i++) {
		if (i + 1 < n && locs[i + 1] == locs[i])
			continue;
		rc = walk_fde(cfi, locs[i], i + 1 < n ? locs[i + 1] : UINT32_MAX, out);
	}
	free(locs);
	dwarf_end(dw);	/* frees the CFI too */
	if (rc == -E2BIG)
		rc = 0;
	return rc ? rc : out->n ? 0 : -ENOENT;
}

/* The row in effect at pc (sorted rows), or NULL. */
static const struct unw_row *row_at(const struct rows *r, uint32_t pc, size_t *hint)
{
	while (*hint < r->n && r->v[*hint].pc <= pc)
		++*hint;
	return *hint ? &r->v[*hint - 1] : NULL;
}

/* .eh_frame's rows where they say something, .debug_frame's elsewhere; both tidy. How many came from df. */
static size_t merge(const struct rows *eh, const struct rows *df, struct rows *out)
{
	size_t i = 0, j = 0, he = 0, hd = 0, from_df = 0;
	while (i < eh->n || j < df->n) {
		uint32_t pc = j >= df->n || (i < eh->n && eh->v[i].pc <= df->v[j].pc) ? eh->v[i].pc : df->v[j].pc;
		while (i < eh->n && eh->v[i].pc == pc)
			i++;
		while (j < df->n && df->v[j].pc == pc)
			j++;
		const struct unw_row *a = row_at(eh, pc, &he), *b = row_at(df, pc, &hd);
		struct unw_row r = a && a->kind != UNW_NONE ? *a : b ? *b : (struct unw_row){ .kind = UNW_NONE };
		from_df += r.kind != UNW_NONE && (!a || a->kind == UNW_NONE);
		r.pc = pc;
		if (push(out, r))
			break;	/* out of memory or rows: what is there stays usable */
	}
	return from_df;
}

/*
 * The file's .debug_frame rows and, for the mapped file (eh not NULL), its
 * .eh_frame rows and .init/.fini's; each tidy: 0, -ENOEXEC, -errno.
 */
static int elf_rows(Elf *e, struct rows *eh, struct rows *df, struct rows *initfini)
{
	/* the rules are x86-64's (rsp is DWARF register 7, i386's esp is 4): 32-bit code walks rbp */
	int rc = e && elf_kind(e) == ELF_K_ELF && gelf_getclass(e) == ELFCLASS64 ? 0 : -ENOEXEC;
	if (!rc && eh && (rc = eh_frame_rows(e, eh)) == -ENOENT)
		rc = 0;
	if (!rc && (rc = debug_frame_rows(e, df)) == -ENOENT)
		rc = 0;
	if (!rc && eh) {
		struct unw_row v[UNW_INIT_FINI_ROWS];
		size_t n = unw_init_fini_rows(e, v);
		for (size_t i = 0; i < n && !rc; i++)
			rc = push(initfini, v[i]);
	}
	if (eh) {
		tidy(eh);
		tidy(initfini);
	}
	tidy(df);
	return rc;
}

static int file_rows(const char *path, struct rows *eh, struct rows *df, struct rows *initfini)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	Elf *e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	int rc = elf_rows(e, eh, df, initfini);
	if (e)
		elf_end(e);
	close(fd);
	return rc;
}

/* into gets a's rows where they say something, b's elsewhere; how many came from b. */
static size_t fill_from(struct rows *into, const struct rows *b)
{
	if (!b->n)
		return 0;
	struct rows r = { 0 };
	size_t from_b = merge(into, b, &r);
	tidy(&r);
	free(into->v);
	*into = r;
	return from_b;
}

/* The table from the rows read (r: .eh_frame's, df: .debug_frame's); frees them. */
static int finish(struct rows *r, struct rows *df, struct rows *initfini, int rc, struct unw_table *out,
		  const struct timespec *t0)
{
	size_t from_eh = r->n, from_df = fill_from(r, df);
	/* crti's code alone is no reason to keep a table: the rest would walk rbp anyway */
	if (from_eh || from_df)
		fill_from(r, initfini);
	free(df->v);
	free(initfini->v);
	out->sources = (from_eh ? UNW_FROM_EH_FRAME : 0) | (from_df ? UNW_FROM_DEBUG_FRAME : 0);
	if (rc || !out->sources) {
		free(r->v);
		free(out->debug_file);
		*out = (struct unw_table){ 0 };
		return rc ? rc : -ENOENT;
	}
	if (!from_df) {
		free(out->debug_file);
		out->debug_file = NULL;
	}
	out->rows = r->v;
	out->n = r->n;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out->build_ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
	return 0;
}

int unw_table_build(const char *path, struct unw_table *out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = (struct unw_table){ 0 };
	elf_version(EV_CURRENT);
	struct rows r = { 0 }, df = { 0 }, initfini = { 0 };
	int rc = file_rows(path, &r, &df, &initfini);
	char dbg[PATH_MAX];
	if (!rc && !df.n && !debug_file_for(path, dbg, sizeof(dbg)) && !file_rows(dbg, NULL, &df, NULL) && df.n)
		out->debug_file = xstrdup(dbg);
	return finish(&r, &df, &initfini, rc, out, &t0);
}

int unw_table_build_image(const void *image, size_t size, struct unw_table *out)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	*out = (struct unw_table){ 0 };
	elf_version(EV_CURRENT);
	/* a private copy: libelf may write to what it reads (a compressed section), the image is read-only */
	char *copy = malloc(size);
	if (!copy)
		return -ENOMEM;
	memcpy(copy, image, size);
	Elf *e = elf_memory(copy, size);
	struct rows r = { 0 }, df = { 0 }, initfini = { 0 };
	int rc = elf_rows(e, &r, &df, &initfini);
	if (e)
		elf_end(e);
	free(copy);
	return finish(&r, &df, &initfini, rc, out, &t0);
}

void unw_table_free(struct unw_table *t)
{
	free(t->rows);
	free(t->debug_file);
	*t = (struct unw_table){ 0 };
}

const struct unw_row *unw_table_find(const struct unw_table *t, uint64_t pc)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->rows[mid].pc <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &t->rows[lo - 1] : NULL;
}

const char *unw_kind_name(int kind)
{
	static const char *const names[] = { "none", "rsp", "rbp", "plt", "signal", "end", "expr", "deref", "rsp8" };
	return kind >= 0 && kind < (int)(sizeof(names) / sizeof(names[0])) ? names[kind] : "?";
}
