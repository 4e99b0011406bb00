#include "insn.h"
#include "../util/util.h"
#include <capstone/capstone.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int insn_is_boundary(const char *path, uint64_t file_off, uint64_t size, uint64_t off, uint64_t *before,
		     uint64_t *after)
{
	if (!size || size > (1u << 24))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	uint8_t *code = xmalloc(size);
	ssize_t got = pread(fd, code, size, (off_t)file_off);
	close(fd);
	csh h;
	if (got != (ssize_t)size || cs_open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
		free(code);
		return -1;
	}
	/* Walk the instructions from the start; the decoder's lengths are the boundaries. */
	const uint8_t *p = code;
	size_t left = size;
	uint64_t addr = 0;
	cs_insn *insn = cs_malloc(h);
	int rc = 0;
	*before = *after = 0;
	while (left && cs_disasm_iter(h, &p, &left, &addr, insn)) {
		uint64_t start = insn->address;
		if (start == off) {
			rc = 1;
			break;
		}
		if (start > off) {
			*after = start;
			break;
		}
		*before = start;
	}
	if (!rc && !*after && addr > off)
		*after = addr;
	if (!rc && !*after)
		rc = -1;	/* decoding stopped before reaching the offset: unknown, not "inside" */
	cs_free(insn, 1);
	cs_close(&h);
	free(code);
	return rc;
}
