/* System call numbers by tracepoint name (sys_enter_NAME), from the uapi headers. */
#include "syscalls.h"
#include <string.h>

struct nr {
	const char *name;
	int nr;
};

static const struct nr nrs[] = {
#include "syscall_nrs.h"
};

/* Tracepoints named after the kernel function rather than the syscall. */
static const struct {
	const char *tracepoint, *syscall;
} aliases[] = {
	{ "newstat", "stat" }, { "newlstat", "lstat" }, { "newfstat", "fstat" },
	{ "newuname", "uname" }, { "sendfile64", "sendfile" }, { "umount", "umount2" },
};

int syscall_nr(const char *name)
{
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcmp(name, aliases[i].tracepoint))
			name = aliases[i].syscall;
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		if (!strcmp(nrs[i].name, name))
			return nrs[i].nr;
	return -1;
}

const char *syscall_name(int nr)
{
	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		if (nrs[i].nr == nr)
			return nrs[i].name;
	return NULL;
}
