#include "insn.h"
#include "../util/util.h"
#include <capstone/capstone.h>
#include <dlfcn.h>
#include <fcntl.h>
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
			*(void **)&cs.alloc = dlsym(lib, "cs_malloc");
			*(void **)&cs.free = dlsym(lib, "cs_free");
			*(void **)&cs.disasm_iter = dlsym(lib, "cs_disasm_iter");
		}
	}
	return cs.open && cs.close && cs.alloc && cs.free && cs.disasm_iter;
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
