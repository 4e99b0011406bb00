#include "binpath.h"
#include "ldcache.h"
#include "../util/util.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int exists(const char *path)
{
	return access(path, R_OK) == 0;
}

/* libc → libc.so.6 when the cache does not say: the dynamic linker's usual directories; the
 * shortest matching name, and for a bare libX.so (a linker script or dev symlink) the first
 * libX.so.N that exists */
static int find_library(const char *name, const char *root, char *out, size_t n)
{
	static const char *const dirs[] = {
		"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64",
		"/lib", "/usr/lib", "/usr/local/lib",
	};
	char want[256];
	snprintf(want, sizeof(want), "%s%s.so", strncmp(name, "lib", 3) ? "lib" : "", name);
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		char dir[512];
		snprintf(dir, sizeof(dir), "%s%s", root, dirs[i]);
		DIR *d = opendir(dir);
		if (!d)
			continue;
		char best[256] = "";
		struct dirent *e;
		while ((e = readdir(d)))
			if (!strncmp(e->d_name, want, strlen(want)) &&
			    (e->d_name[strlen(want)] == 0 || e->d_name[strlen(want)] == '.') &&
			    (!best[0] || strlen(e->d_name) < strlen(best)))
				snprintf(best, sizeof(best), "%s", e->d_name);
		closedir(d);
		/* prefer a versioned soname (libc.so.6) to the linker script libc.so */
		if (best[0]) {
			char path[768];
			snprintf(path, sizeof(path), "%s/%s", dir, best);
			if (!strcmp(best, want)) {
				char versioned[800];
				for (int v = 0; v < 10; v++) {
					snprintf(versioned, sizeof(versioned), "%.780s.%d", path, v);
					if (exists(versioned)) {
						snprintf(path, sizeof(path), "%.767s", versioned);
						break;
					}
				}
			}
			snprintf(out, n, "%s", path + strlen(root));
			return 0;
		}
	}
	return -1;
}

/*
 * A file process pid maps that was deleted since (a rolling upgrade replaced
 * it; /proc/PID/maps says "FILE (deleted)"): its /proc/PID/map_files link,
 * which opens the file the process still runs. 0, or -1 when it maps none.
 */
static int deleted_mapping(int pid, const char *file, char *out, size_t n)
{
	char maps[64], line[4352];
	snprintf(maps, sizeof(maps), "/proc/%d/maps", pid);
	FILE *f = fopen(maps, "r");
	if (!f)
		return -1;
	int found = -1;
	size_t len = strlen(file);
	while (found && fgets(line, sizeof(line), f)) {
		char *name = strchr(line, '/'), range[64];
		if (!name || sscanf(line, "%63s", range) != 1)
			continue;
		name[strcspn(name, "\n")] = 0;
		if (!strncmp(name, file, len) && !strcmp(name + len, " (deleted)")) {
			snprintf(out, n, "/proc/%d/map_files/%s", pid, range);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

int bin_resolve(const char *bin, int pid, char *out, size_t n)
{
	char root[64] = "";
	if (pid > 0)
		snprintf(root, sizeof(root), "/proc/%d/root", pid);
	char path[1024];
	if (strchr(bin, '/')) {
		/* /proc/PID/root/…, /proc/PID/exe, /proc/PID/map_files/…: already the process's view */
		int under_proc = !strncmp(bin, "/proc/", 6);
		if (pid > 0 && bin[0] == '/' && !under_proc && !deleted_mapping(pid, bin, path, sizeof(path))) {
			fprintf(stderr, "NOTE: %s was deleted since process %d mapped it (an upgrade?): probing the file it "
					"runs, through %s\n", bin, pid, path);
			snprintf(out, n, "%s", path);
			return 0;
		}
		snprintf(path, sizeof(path), "%s%s", bin[0] == '/' && !under_proc ? root : "", bin);
		if (!exists(path))
			return -1;
		snprintf(out, n, "%s", path);
		return 0;
	}
	const char *env = getenv("PATH");
	char *dirs = xstrdup(env ? env : "/usr/bin:/bin");
	int found = -1;
	for (char *d = strtok(dirs, ":"); d && found; d = strtok(NULL, ":")) {
		snprintf(path, sizeof(path), "%s%s/%s", root, d, bin);
		if (access(path, X_OK) == 0) {
			snprintf(out, n, "%s", path);
			found = 0;
		}
	}
	free(dirs);
	if (!found)
		return 0;
	/* a library: as ld.so finds it (its cache, inside the process's root), else by scanning */
	char full[1100];
	if (!ldcache_lookup(root, bin, path, sizeof(path))) {
		snprintf(full, sizeof(full), "%s%s", root, path);
		if (exists(full)) {
			snprintf(out, n, "%s", full);
			return 0;
		}
	}
	if (find_library(bin, root, path, sizeof(path)))
		return -1;
	snprintf(out, n, "%s%s", root, path);
	return 0;
}

const char *bin_missing_hint(const char *bin, int pid)
{
	static char hint[512];
	char stat[64], line[512];
	snprintf(stat, sizeof(stat), "/proc/%d/stat", pid);
	FILE *f = pid > 0 ? fopen(stat, "r") : NULL;
	int gone = pid > 0 && !f;
	if (f) {
		/* "PID (comm) S …": a zombie has exited, its files are gone with it */
		char *close = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
		gone = close && close[1] == ' ' && close[2] == 'Z';
		fclose(f);
	}
	if (gone)
		snprintf(hint, sizeof(hint), " (process %d has exited)", pid);
	else if (pid > 0)
		snprintf(hint, sizeof(hint), " (looked for as process %d sees it, under /proc/%d/root; what it maps: sonde -p %d -l "
			 "'uprobe:*:*')", pid, pid, pid);
	else if (bin[0] == '/')
		snprintf(hint, sizeof(hint), " (a path inside a container exists only there: add -p PID of a process in it, or "
			 "write /proc/PID/root%s)", bin);
	else
		snprintf(hint, sizeof(hint), " (give a path, a program on $PATH or a library name such as libc)");
	return hint;
}
