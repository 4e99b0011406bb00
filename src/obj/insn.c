#include "insn.h"
#include "../util/util.h"
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Capstone is opened the first time an instruction is decoded: linked, its
 * relocated tables cost every run about 3 MB of resident memory, though
 * most scripts never decode anything.
 */
static struct {
	int tried;
	cs_err (*open)(cs_arch, cs_mode, csh *);
	cs_err (*option)(csh, cs_opt_type, size_t);
	cs_err (*close)(csh *);
	cs_insn *(*alloc)(csh);
	void (*free)(cs_insn *, size_t);
	bool (*disasm_iter)(csh, const uint8_t **, size_t *, uint64_t *, cs_insn *);
} cs;

static int capstone_loaded(void)
{
	if (!cs.tried) {
		cs.tried = 1;
		void *lib = dlopen("libcapstone.so.4", RTLD_NOW | RTLD_LOCAL);
		if (!lib)
			lib = dlopen("libcapstone.so", RTLD_NOW | RTLD_LOCAL);
		if (lib) {
			*(void **)&cs.open = dlsym(lib, "cs_open");
			*(void **)&cs.close = dlsym(lib, "cs_close");
			*(void **)&cs.option = dlsym(lib, "cs_option");
			*(void **)&cs.alloc = dlsym(lib, "cs_malloc");
			*(void **)&cs.free = dlsym(lib, "cs_free");
			*(void **)&cs.disasm_iter = dlsym(lib, "cs_disasm_iter");
		}
	}
	return cs.open && cs.option && cs.close && cs.alloc && cs.free && cs.disasm_iter;
}

/* Decodes the function's instructions in order; visit returns nonzero to stop. -1 when unreadable. */
static int walk(const char *path, uint64_t file_off, uint64_t size,
		int (*visit)(void *ctx, const cs_insn *insn), void *ctx, uint64_t *end)
{
	if (!size || size > (1u << 24) || !capstone_loaded())
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	uint8_t *code = xmalloc(size);
	ssize_t got = pread(fd, code, size, (off_t)file_off);
	close(fd);
	csh h;
	if (got != (ssize_t)size || cs.open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
		free(code);
		return -1;
	}
	const uint8_t *p = code;
	size_t left = size;
	uint64_t addr = 0;
	cs_insn *insn = cs.alloc(h);
	while (left && cs.disasm_iter(h, &p, &left, &addr, insn))
		if (visit(ctx, insn))
			break;
	*end = addr;
	cs.free(insn, 1);
	cs.close(&h);
	free(code);
	return 0;
}

struct boundary {
	uint64_t off, before, after;
	int found;
};

static int visit_boundary(void *ctx, const cs_insn *insn)
{
	struct boundary *b = ctx;
	if (insn->address == b->off)
		return b->found = 1;
	if (insn->address > b->off) {
		b->after = insn->address;
		return 1;
	}
	b->before = insn->address;
	return 0;
}

int insn_is_boundary(const char *path, uint64_t file_off, uint64_t size, uint64_t off, uint64_t *before,
		     uint64_t *after)
{
	/* the decoder's lengths are the boundaries */
	struct boundary b = { off, 0, 0, 0 };
	uint64_t end;
	if (walk(path, file_off, size, visit_boundary, &b, &end))
		return -1;
	*before = b.before;
	*after = b.after;
	if (b.found)
		return 1;
	if (!*after && end > off)
		*after = end;
	return *after ? 0 : -1;	/* decoding stopped before reaching the offset: unknown, not "inside" */
}

struct returns {
	uint64_t *offs;
	int n, max;
};

static int visit_return(void *ctx, const cs_insn *insn)
{
	struct returns *r = ctx;
	if (insn->id == X86_INS_RET && r->n < r->max)
		r->offs[r->n++] = insn->address;
	return 0;
}

int insn_find_returns(const char *path, uint64_t file_off, uint64_t size, uint64_t *offs, int max)
{
	struct returns r = { offs, 0, max };
	uint64_t end;
	if (walk(path, file_off, size, visit_return, &r, &end) || end < size)
		return -1;	/* a function decoded only in part might hide a return */
	return r.n;
}

struct go_check {
	int n;			/* instructions seen */
	int cmp_seen;
	uint64_t jump, after;
};

static int visit_go_check(void *ctx, const cs_insn *insn)
{
	struct go_check *g = ctx;
	g->n++;
	if (g->cmp_seen) {
		if (!strcmp(insn->mnemonic, "jbe")) {
			g->jump = insn->address;
			g->after = insn->address + insn->size;
		}
		return 1;
	}
	/* cmp rsp, qword ptr [r14 + 0x10] (or r12 after lea r12, [rsp - N] for a large frame) */
	g->cmp_seen = !strcmp(insn->mnemonic, "cmp") && strstr(insn->op_str, "qword ptr [r14 + 0x10]");
	/* a huge frame checks `mov r12, rsp; sub r12, N; jb …` first, then cmp r12 */
	return g->n >= 5 && !g->cmp_seen;
}

int insn_go_stack_check(const char *path, uint64_t file_off, uint64_t size, uint64_t *jump, uint64_t *after)
{
	struct go_check g = { 0 };
	uint64_t end;
	if (walk(path, file_off, size < 64 ? size : 64, visit_go_check, &g, &end) || !g.after)
		return 0;
	*jump = g.jump;
	*after = g.after;
	return 1;
}

/*
 * The kernel's x86 uprobe code sorts the probed instruction by its opcode
 * byte as if it were a legacy one-byte opcode, also for VEX, EVEX and XOP
 * encodings, whose opcode lives in another map. Measured on 6.18
 * (tests/targets/insns.c): `vpbroadcastb` (opcode 0x7a) and `vpcmpeqb`
 * (0x74) are "emulated" as the conditional jumps 0x7a and 0x74 and never
 * run, so every hit leaves a wrong register; `vmovd` (0x6e, outsb) is
 * refused; `vxorps` (0x57) and `kxnord` (0x46) happen to be single-stepped
 * correctly. Which one it gets depends on a byte, not on the vector width:
 * no such instruction takes a uprobe.
 */
static const char *encoding_hazard(const uint8_t *b, size_t n)
{
	size_t i = 0;
	while (i < n && (b[i] == 0x26 || b[i] == 0x2e || b[i] == 0x36 || b[i] == 0x3e || b[i] == 0x64 || b[i] == 0x65 ||
			 b[i] == 0x66 || b[i] == 0x67 || b[i] == 0xf0 || b[i] == 0xf2 || b[i] == 0xf3 || (b[i] & 0xf0) == 0x40))
		i++;
	if (i >= n)
		return NULL;
	if (b[i] == 0x62)
		return "AVX-512 (EVEX-encoded)";
	if (b[i] == 0xc4 || b[i] == 0xc5)
		return "AVX (VEX-encoded)";
	if (b[i] == 0x8f && i + 1 < n && (b[i + 1] & 0x38))
		return "XOP-encoded";
	return NULL;
}

/* Registers an instruction skipped at a function's entry may write: vector and mask
 * registers that carry no argument (xmm0-7 pass floating-point arguments). */
static int harmless_write(unsigned reg)
{
	return reg == X86_REG_EFLAGS || (reg >= X86_REG_K0 && reg <= X86_REG_K7) ||
	       (reg >= X86_REG_XMM8 && reg <= X86_REG_XMM31) || (reg >= X86_REG_YMM8 && reg <= X86_REG_YMM31) ||
	       (reg >= X86_REG_ZMM8 && reg <= X86_REG_ZMM31);
}

/* Capstone 4's access flags miss some AVX-512 stores (vmovdqu64 to memory reads
 * as no write), so this is conservative: no memory operand at all, and the
 * destination (operand 0 in Intel syntax) and every register marked written
 * must be harmless. */
static int writes_only_harmless(const cs_insn *insn)
{
	const cs_x86 *x = &insn->detail->x86;
	for (int i = 0; i < insn->detail->regs_write_count; i++)
		if (!harmless_write(insn->detail->regs_write[i]))
			return 0;
	if (!x->op_count)
		return 0;
	for (int i = 0; i < x->op_count; i++) {
		if (x->operands[i].type == X86_OP_MEM)
			return 0;
		if ((i == 0 || (x->operands[i].access & CS_AC_WRITE)) &&
		    (x->operands[i].type != X86_OP_REG || !harmless_write(x->operands[i].reg)))
			return 0;
	}
	return 1;
}

int insn_check_site(const char *path, uint64_t file_off, uint64_t size, struct insn_hazard *h)
{
	memset(h, 0, sizeof(*h));
	if (size > 256)
		size = 256;	/* a handful of instructions is all a move may pass */
	if (!size || !capstone_loaded())
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	uint8_t code[256];
	ssize_t got = pread(fd, code, size, (off_t)file_off);
	close(fd);
	if (got <= 0)
		return -1;
	static csh hd;
	static int hd_open;
	if (!hd_open) {
		if (cs.open(CS_ARCH_X86, CS_MODE_64, &hd) != CS_ERR_OK)
			return -1;
		cs.option(hd, CS_OPT_DETAIL, CS_OPT_ON);
		hd_open = 1;
	}
	const uint8_t *p = code;
	size_t left = (size_t)got;
	uint64_t addr = 0;
	cs_insn *insn = cs.alloc(hd);
	int rc = -1;
	h->movable = 1;
	for (int k = 0; k < 16 && cs.disasm_iter(hd, &p, &left, &addr, insn); k++) {
		const char *why = encoding_hazard(insn->bytes, insn->size);
		if (!why) {
			h->safe_off = insn->address;
			h->found_safe = 1;
			rc = 0;
			break;
		}
		if (!k) {
			h->unsafe = why;
			snprintf(h->text, sizeof(h->text), "%s %s", insn->mnemonic, insn->op_str);
			for (char *sp; (sp = strstr(h->text, " ,"));)	/* capstone 4 writes "ymm17 , esi" */
				memmove(sp, sp + 1, strlen(sp));
		}
		if (!writes_only_harmless(insn))
			h->movable = 0;
		rc = 0;
	}
	cs.free(insn, 1);
	return rc;
}

struct first_branch {
	const char *keep64, *keep32;
	uint64_t off;
	int found, failed;
};

/* Whether insn writes register name (Intel syntax: the destination comes first). */
static int writes(const cs_insn *insn, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(insn->op_str, name, n))
		return 0;
	if (insn->op_str[n] == 0)
		return !strcmp(insn->mnemonic, "pop") || !strncmp(insn->mnemonic, "inc", 3) ||
		       !strncmp(insn->mnemonic, "dec", 3) || !strcmp(insn->mnemonic, "not") || !strcmp(insn->mnemonic, "neg");
	return insn->op_str[n] == ',' && strcmp(insn->mnemonic, "cmp") && strcmp(insn->mnemonic, "test");
}

static int visit_first_branch(void *ctx, const cs_insn *insn)
{
	struct first_branch *b = ctx;
	const char *m = insn->mnemonic;
	if (m[0] == 'j' && !strstr(m, "cxz") && !strncmp(insn->op_str, "0x", 2)) {
		b->off = insn->address;
		return b->found = 1;
	}
	/* any other change of flow, or the register overwritten, ends the search */
	if (m[0] == 'j' || !strncmp(m, "call", 4) || !strncmp(m, "ret", 3) || !strncmp(m, "loop", 4) ||
	    writes(insn, b->keep64) || writes(insn, b->keep32))
		return b->failed = 1;
	return 0;
}

int insn_first_branch(const char *path, uint64_t file_off, uint64_t max, const char *keep64, const char *keep32,
		      uint64_t *off)
{
	struct first_branch b = { keep64, keep32, 0, 0, 0 };
	uint64_t end;
	if (walk(path, file_off, max, visit_first_branch, &b, &end) || !b.found)
		return -1;
	*off = b.off;
	return 0;
}
