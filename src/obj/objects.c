#include "objects.h"
#include "binpath.h"
#include "elf.h"
#include <errno.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void add_once(struct obj_list *l, const char *path)
{
	for (int i = 0; i < l->v.n; i++)
		if (!strcmp(l->v.v[i], path))
			return;
	VEC_PUSH(l->v, xstrdup(path));
}

int objects_of_pid(int pid, struct obj_list *out)
{
	memset(out, 0, sizeof(*out));
	char maps[64];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", pid);
	FILE *f = fopen(maps, "re");
	if (!f)
		return -errno;
	char line[4600];
	while (fgets(line, sizeof(line), f)) {
		/* 7f..-7f.. r-xp 00000000 08:01 1234   /usr/lib/x86_64-linux-gnu/libc.so.6 */
		char perms[8], path[4096];
		if (sscanf(line, "%*s %7s %*s %*s %*s %4095[^\n]", perms, path) != 2 || perms[2] != 'x' || path[0] != '/')
			continue;
		if (strstr(path, " (deleted)"))
			continue;	/* the file on disk is no longer the one mapped */
		char full[4200];
		snprintf(full, sizeof(full), "/proc/%d/root%s", pid, path);
		add_once(out, full);
	}
	fclose(f);
	return 0;
}

const char *objects_display_path(const char *path)
{
	if (strncmp(path, "/proc/", 6))
		return path;
	const char *root = strstr(path, "/root/");
	return root ? root + 5 : path;
}

int pid_maps_file(int pid, const char *path, char *instead, size_t n)
{
	struct stat want;
	if (stat(path, &want))
		return -1;
	char maps[64];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", pid);
	FILE *f = fopen(maps, "re");
	if (!f)
		return -1;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char line[4600];
	int found = 0;
	if (n)
		instead[0] = 0;
	while (!found && fgets(line, sizeof(line), f)) {
		unsigned long long ino;
		char mpath[4096];
		if (sscanf(line, "%*s %*s %*s %*s %llu %4095[^\n]", &ino, mpath) != 2 || mpath[0] != '/')
			continue;
		/* by inode, as the kernel matches a uprobe (device numbers differ under overlayfs) */
		found = ino == (unsigned long long)want.st_ino;
		const char *mbase = strrchr(mpath, '/') + 1;
		if (!found && n && !instead[0] && !strncmp(mbase, base, strcspn(base, ".")) && base[0])
			snprintf(instead, n, "%s", mpath);
	}
	fclose(f);
	return found;
}

/* A soname in the program's DT_RUNPATH/DT_RPATH directories ($ORIGIN: the program's own). */
static int in_runpath(const char *runpath, const char *origin, const char *soname, char *out, size_t n)
{
	char dirs[2048];
	snprintf(dirs, sizeof(dirs), "%s", runpath);
	for (char *save, *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char dir[2048];
		if (!strncmp(d, "$ORIGIN", 7))
			snprintf(dir, sizeof(dir), "%s%s", origin, d + 7);
		else if (!strncmp(d, "${ORIGIN}", 9))
			snprintf(dir, sizeof(dir), "%s%s", origin, d + 9);
		else
			snprintf(dir, sizeof(dir), "%s", d);
		snprintf(out, n, "%.1500s/%.500s", dir, soname);
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -1;
}

/* The libraries a file's dynamic section names, found as the dynamic linker would. */
static void add_needed(const char *path, struct obj_list *out)
{
	int fd, err;
	Elf *e = elf_open_file(path, &fd, &err);
	if (!e)
		return;
	char origin[1024];
	snprintf(origin, sizeof(origin), "%s", path);
	char *slash = strrchr(origin, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(origin, sizeof(origin), ".");
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(e, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNAMIC)
			continue;
		Elf_Data *data = elf_getdata(scn, NULL);
		size_t count = data && sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		const char *runpath = "";
		for (size_t i = 0; i < count; i++) {
			GElf_Dyn dyn;
			const char *s;
			if (gelf_getdyn(data, (int)i, &dyn) && (dyn.d_tag == DT_RUNPATH || dyn.d_tag == DT_RPATH) &&
			    (s = elf_strptr(e, sh.sh_link, dyn.d_un.d_val)))
				runpath = s;
		}
		for (size_t i = 0; i < count; i++) {
			GElf_Dyn dyn;
			if (!gelf_getdyn(data, (int)i, &dyn) || dyn.d_tag != DT_NEEDED)
				continue;
			const char *soname = elf_strptr(e, sh.sh_link, dyn.d_un.d_val);
			char lib[2100];
			if (soname && (!in_runpath(runpath, origin, soname, lib, sizeof(lib)) ||
				       !bin_resolve(soname, 0, lib, sizeof(lib))))
				add_once(out, lib);
		}
	}
	elf_close_file(e, fd);
}

int objects_of_program(const char *program, struct obj_list *out)
{
	memset(out, 0, sizeof(*out));
	char path[1024];
	if (bin_resolve(program, 0, path, sizeof(path)))
		return -ENOENT;
	add_once(out, path);
	add_needed(path, out);
	return 0;
}

void objects_free(struct obj_list *l)
{
	for (int i = 0; i < l->v.n; i++)
		free(l->v.v[i]);
	free(l->v.v);
	memset(l, 0, sizeof(*l));
}
