/*
 * ustack(build_id), as bpftrace 0.25's mode: each frame as the GNU build-id
 * of the file mapped there and the offset in that file (ip − mapping start +
 * its file offset), which tools symbolize later on another machine. sonde
 * unwinds user stacks itself (unwind/), so this is done here, in user space,
 * from the process's mappings: the kernel's BPF_F_USER_BUILD_ID is not used.
 * A frame outside any file, or in a file without a build-id, prints its
 * address. Build-ids are read once per file.
 */
#include "buildid.h"
#include "../obj/debugfile.h"
#include "../sym/resolve.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CACHE_FILES 64

struct cached {
	char *path;
	char hex[130];	/* "" when the file has none */
};

static struct cached cache[CACHE_FILES];
static int ncached;

static const char *build_id_of(int pid, const char *module)
{
	for (int i = 0; i < ncached; i++)
		if (!strcmp(cache[i].path, module))
			return cache[i].hex;
	char path[PATH_MAX + 32];
	/* the file as the process sees it, through its root (another mount namespace) */
	if (pid > 0 && module[0] == '/')
		snprintf(path, sizeof(path), "/proc/%d/root%s", pid, module);
	else
		snprintf(path, sizeof(path), "%s", module);
	struct cached c = { 0 };
	if (elf_build_id_hex(path, c.hex, sizeof(c.hex)) && elf_build_id_hex(module, c.hex, sizeof(c.hex)))
		c.hex[0] = 0;
	if (ncached == CACHE_FILES)	/* full: the oldest goes */
		free(cache[--ncached].path);
	memmove(&cache[1], &cache[0], sizeof(cache[0]) * (size_t)ncached);
	c.path = strdup(module);
	cache[0] = c;
	ncached++;
	return c.path ? cache[0].hex : "";
}

void stack_build_id_frame(struct strbuf *out, const struct value_ctx *vc, int pid, uint64_t ip,
			  const struct sym_info *si)
{
	sb_printf(out, "%*s", vc->stack_indent ? vc->stack_indent : 8, "");
	const char *id = si->module && si->map_end > si->map_start ? build_id_of(pid, si->module) : "";
	if (!*id) {
		sb_printf(out, "0x%llx\n", (unsigned long long)ip);
		return;
	}
	sb_printf(out, "%s + 0x%llx\n", id, (unsigned long long)(ip - si->map_start + si->map_pgoff));
}
