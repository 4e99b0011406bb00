/*
 * Python targets for the u* tools: the object with CPython's USDT notes,
 * and a source of call entries where 3.11's function__entry is silent.
 *
 * CPython 3.11 dispatches bytecode through a static table of label
 * addresses (`opcode_targets[256]`, computed gotos) in _PyEval_EvalFrameDefault.
 * Every Python function starts with RESUME (rewritten to RESUME_QUICK once
 * warm), and a generator resumed after a yield runs it again: a uprobe on
 * both handlers sees each activation that function__return (fired at every
 * return and yield) ends. The table is found in the stripped binary as 256
 * pointers into .text (through its relocations in a libpython or a PIE),
 * most of them inside _PyEval_EvalFrameDefault; the
 * handler's first store `frame->prev_instr = next_instr` names the register
 * holding the frame, from which the code object gives file and function.
 */
#include "pylang.h"
#include "../obj/elf.h"
#include "../obj/insn.h"
#include "../obj/notes.h"
#include "../python/offsets.h"
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The version's layouts and opcode numbers: python/offsets.c's table, shared with the stack walk. */
static const struct py_offsets *version_of(const struct pylang *py)
{
	char v[16];
	snprintf(v, sizeof(v), "%d.%d", py->major, py->minor);
	return py_offsets_for(v);
}

int pylang_language_ok(const char *tool, const char *lang)
{
	if (!strcmp(lang, "python"))
		return 0;
	fprintf(stderr, "ERROR: %s: -l: sonde traces python, not '%s'\n", tool, lang);
	return -1;
}

int pylang_file_is_python(const char *path)
{
	struct usdt_sites sites = { 0 };
	int found = 0;
	if (usdt_read_sites(path, &sites))
		return 0;
	for (int i = 0; i < sites.v.n && !found; i++)
		found = !strcmp(sites.v.v[i].provider, "python") && !strcmp(sites.v.v[i].name, "function__return");
	usdt_sites_free(&sites);
	return found;
}

/* 3.11 from ".../python3.11" or ".../libpython3.11.so.1.0". */
static void version_from_name(struct pylang *py)
{
	const char *base = strrchr(py->path, '/');
	const char *p = strstr(base ? base : py->path, "python");
	py->major = py->minor = 0;
	if (p && isdigit((unsigned char)p[6]) && p[7] == '.' && isdigit((unsigned char)p[8])) {
		py->major = p[6] - '0';
		py->minor = atoi(p + 8);
	}
}

static const char *reg_names[16] = { "ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
				     "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };

/*
 * The base register of the handler's `mov %rX, DISP(%base)` (REX.W 89 /r,
 * disp8; r12 as a base takes a SIB byte) among its first bytes, at an
 * instruction boundary; -1 if none.
 */
static int frame_register(const char *path, const struct elf_sym *fn, uint64_t addr, int disp)
{
	uint8_t b[24];
	uint64_t off = fn->file_off + (addr - fn->addr);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = pread(fd, b, sizeof(b), (off_t)off);
	close(fd);
	for (int k = 0; k + 5 <= n; k++) {
		int rex = b[k], modrm = b[k + 2], base = modrm & 7, at = k + 3;
		if ((rex & 0xf8) != 0x48 || b[k + 1] != 0x89 || (modrm >> 6) != 1)
			continue;
		if (base == 4) {	/* SIB: no index, a plain base */
			int sib = b[at++];
			if (((sib >> 3) & 7) != 4 || (rex & 2))
				continue;
			base = sib & 7;
		}
		if (b[at] != disp)
			continue;
		uint64_t before, after;
		if (insn_is_boundary(path, fn->file_off, fn->size, addr - fn->addr + (uint64_t)k, &before, &after) == 1)
			return base + (rex & 1 ? 8 : 0);
	}
	return -1;
}

/*
 * The handler's first jump: the kernel emulates a branch under a uprobe but
 * single-steps a load such as the handler's first instruction, which costs
 * 10.7 us a hit in this VM against 0.8 us (bench/ucalls.py). Straight-line
 * code up to it, leaving the frame's register alone, so each pass reaches it.
 */
static int move_to_branch(const char *path, const struct elf_sym *fn, const char *reg, uint64_t *addr)
{
	char r64[8], r32[8];
	uint64_t off;
	if (reg[0] == 'r') {
		snprintf(r64, sizeof(r64), "%s", reg);
		snprintf(r32, sizeof(r32), "%sd", reg);
	} else {
		snprintf(r64, sizeof(r64), "r%s", reg);
		snprintf(r32, sizeof(r32), "e%s", reg);
	}
	if (insn_first_branch(path, fn->file_off + (*addr - fn->addr), 64, r64, r32, &off))
		return -1;
	*addr += off;
	return 0;
}

/* A section's 8-byte words as loaded: a position-independent file keeps
 * pointers in R_X86_64_RELATIVE relocations (the addend is the value). */
static uint64_t *section_words(Elf *e, const GElf_Shdr *sh, const Elf_Data *d, size_t *n)
{
	*n = d->d_size / 8;
	uint64_t *w = xmalloc(*n * 8 + 8);
	memcpy(w, d->d_buf, *n * 8);
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr rs;
		Elf_Data *rd;
		if (!gelf_getshdr(scn, &rs) || rs.sh_type != SHT_RELA || !(rd = elf_getdata(scn, NULL)))
			continue;
		size_t count = rs.sh_entsize ? rs.sh_size / rs.sh_entsize : 0;
		for (size_t i = 0; i < count; i++) {
			GElf_Rela r;
			if (!gelf_getrela(rd, (int)i, &r) || GELF_R_TYPE(r.r_info) != R_X86_64_RELATIVE ||
			    r.r_offset < sh->sh_addr || r.r_offset >= sh->sh_addr + *n * 8 || (r.r_offset - sh->sh_addr) % 8)
				continue;
			w[(r.r_offset - sh->sh_addr) / 8] = (uint64_t)r.r_addend;
		}
	}
	return w;
}

/* opcode_targets: 256 code addresses in [lo, hi), most inside the function;
 * the RESUME_QUICK and RESUME ones. 0, or -1 when no such table is found. */
static int find_table(Elf *e, const struct elf_sym *fn, uint64_t lo, uint64_t hi, const struct py_offsets *v,
		      uint64_t *quick, uint64_t *resume)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_PROGBITS || !(sh.sh_flags & SHF_ALLOC) ||
		    (sh.sh_flags & SHF_EXECINSTR))
			continue;
		Elf_Data *d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf || d->d_size < 256 * 8)
			continue;
		size_t n;
		uint64_t *q = section_words(e, &sh, d, &n);
		for (size_t at = 0; at + 256 <= n; at++) {
			int in_fn = 0, k;
			for (k = 0; k < 256 && q[at + k] >= lo && q[at + k] < hi; k++)
				in_fn += q[at + k] >= fn->addr && q[at + k] < fn->addr + fn->size;
			uint64_t a = q[at + v->op_resume_quick], b = q[at + v->op_resume];
			if (k < 256 || in_fn < 128 || a < fn->addr || a >= fn->addr + fn->size || b < fn->addr ||
			    b >= fn->addr + fn->size)
				continue;
			*quick = a;
			*resume = b;
			free(q);
			return 0;
		}
		free(q);
	}
	return -1;
}

/* The executable section holding addr: [lo, hi). */
static int text_range(Elf *e, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_EXECINSTR) && addr >= sh.sh_addr &&
		    addr < sh.sh_addr + sh.sh_size) {
			*lo = sh.sh_addr;
			*hi = sh.sh_addr + sh.sh_size;
			return 0;
		}
	}
	return -1;
}

void pylang_find_entries(struct pylang *py)
{
	const struct py_offsets *v;
	py->entries = PY_ENTRY_NONE;
	version_from_name(py);
	if (py->major == 3 && py->minor < 11) {
		py->entries = PY_ENTRY_USDT;
		return;
	}
	if (!(v = version_of(py))) {
		snprintf(py->why, sizeof(py->why), "no entry source known for Python %d.%d", py->major, py->minor);
		return;
	}
	struct elf_syms syms = { 0 };
	const struct elf_sym *fn = NULL;
	if (!elf_read_functions(py->path, &syms))
		for (int i = 0; i < syms.v.n && !fn; i++)
			if (!strcmp(syms.v.v[i].name, "_PyEval_EvalFrameDefault"))
				fn = &syms.v.v[i];
	int fd, err;
	Elf *e = fn ? elf_open_file(py->path, &fd, &err) : NULL;
	uint64_t lo, hi, quick, resume;
	int r1 = -1, r2 = -1;
	if (!fn)
		snprintf(py->why, sizeof(py->why), "no _PyEval_EvalFrameDefault in %.96s", py->path);
	else if (!e || text_range(e, fn->addr, &lo, &hi) || find_table(e, fn, lo, hi, v, &quick, &resume))
		snprintf(py->why, sizeof(py->why), "the interpreter's opcode table was not found in %.96s", py->path);
	else if ((r1 = frame_register(py->path, fn, quick, (int)v->fr_prev_instr)) < 0 ||
		 (r2 = frame_register(py->path, fn, resume, (int)v->fr_prev_instr)) != r1)
		snprintf(py->why, sizeof(py->why), "the frame's register at RESUME was not recognised in %.96s", py->path);
	else if (move_to_branch(py->path, fn, reg_names[r1], &quick) || move_to_branch(py->path, fn, reg_names[r1], &resume))
		snprintf(py->why, sizeof(py->why), "no emulated branch at the start of the RESUME handlers in %.96s", py->path);
	else {
		py->entries = PY_ENTRY_RESUME;
		py->resume_off[0] = quick - fn->addr;
		py->resume_off[1] = resume - fn->addr;
		snprintf(py->frame_reg, sizeof(py->frame_reg), "%s", reg_names[r1]);
	}
	if (e)
		elf_close_file(e, fd);
	elf_syms_free(&syms);
}

static void read_comm(int pid, char *comm, size_t n)
{
	char p[64];
	snprintf(p, sizeof(p), "/proc/%d/comm", pid);
	FILE *f = fopen(p, "r");
	comm[0] = 0;
	if (f) {
		if (fgets(comm, (int)n, f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
}

int pylang_find(const char *tool, int pid, struct pylang *py)
{
	char p[64], comm[32], exe[PATH_MAX];
	memset(py, 0, sizeof(*py));
	read_comm(pid, comm, sizeof(comm));
	snprintf(p, sizeof(p), "/proc/%d/exe", pid);
	ssize_t n = readlink(p, exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		if (pylang_file_is_python(exe)) {
			snprintf(py->path, sizeof(py->path), "%s", exe);
			pylang_find_entries(py);
			return 0;
		}
	}
	/* an embedding program: libpython is mapped */
	snprintf(p, sizeof(p), "/proc/%d/maps", pid);
	FILE *f = fopen(p, "r");
	char line[PATH_MAX + 128];
	while (f && fgets(line, sizeof(line), f)) {
		char *path = strchr(line, '/');
		if (!path || !strstr(path, "libpython"))
			continue;
		path[strcspn(path, "\n")] = 0;
		if (pylang_file_is_python(path)) {
			snprintf(py->path, sizeof(py->path), "%s", path);
			fclose(f);
			pylang_find_entries(py);
			return 0;
		}
	}
	if (f)
		fclose(f);
	fprintf(stderr, "ERROR: %s: process %d (%s) is not a Python process: neither its executable nor a mapped libpython has CPython's python:* USDT probes\n",
		tool, pid, comm[0] ? comm : "?");
	return -1;
}

void pylang_usdt(const struct pylang *py, const char *name, struct strbuf *out)
{
	sb_printf(out, "usdt:%s:python:%s", py->path, name);
}

void pylang_entry_points(const struct pylang *py, struct strbuf *out)
{
	if (py->entries == PY_ENTRY_USDT)
		pylang_usdt(py, "function__entry", out);
	else if (py->entries == PY_ENTRY_RESUME)
		sb_printf(out, "uprobe:%s:_PyEval_EvalFrameDefault+%llu,uprobe:%s:_PyEval_EvalFrameDefault+%llu", py->path,
			  (unsigned long long)py->resume_off[0], py->path, (unsigned long long)py->resume_off[1]);
}

void pylang_entry_names(const struct pylang *py, int with_file, struct strbuf *out)
{
	const struct py_offsets *v = version_of(py);
	if (py->entries == PY_ENTRY_RESUME && v) {
		/* frame->f_code, then its file and name: a compact ASCII str holds its
		 * characters after the header; another its UTF-8 copy, when made */
		sb_printf(out, "$pycode = *(uint64 *)(reg(\"%s\") + %d); ", py->frame_reg, (int)v->fr_code);
		const char *what[2] = { "$pyfile", "$pyfunc" };
		uint32_t field[2] = { v->co_filename, v->co_name };
		for (int i = !with_file; i < 2; i++) {
			sb_printf(out, "$pystr = *(uint64 *)($pycode + %u); ", field[i]);
			sb_printf(out, "%s = (*(uint8 *)($pystr + %u) & %u) ? $pystr + %u : *(uint64 *)($pystr + %u); ", what[i],
				  v->str_state, v->str_ascii_bit, v->str_ascii_data, v->str_utf8);
		}
	} else {
		sb_puts(out, with_file ? "$pyfile = arg0; $pyfunc = arg1; " : "$pyfunc = arg1; ");
	}
}

const char *pylang_entry_note(const struct pylang *py)
{
	static char note[256];
	switch (py->entries) {
	case PY_ENTRY_RESUME:
		return "Python 3.11 fires function__entry only for calls from C: entries are uprobes on the interpreter's RESUME handlers.";
	case PY_ENTRY_NONE:
		snprintf(note, sizeof(note), "Calls are seen at their returns only (function__return): %s.", py->why);
		return note;
	default:
		return NULL;
	}
}
