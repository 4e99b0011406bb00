#include "cgroup.h"
#include "../util/util.h"
#include <dirent.h>
#include <errno.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

static int is_cgroup2(const char *dir)
{
	struct statfs fs;
	return !statfs(dir, &fs) && fs.f_type == CGROUP2_SUPER_MAGIC;
}

const char *cgroup2_root(void)
{
	static char root[512];
	static int looked;
	if (looked)
		return root[0] ? root : NULL;
	looked = 1;
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[2048];
	while (f && fgets(line, sizeof(line), f)) {
		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS … - FSTYPE SOURCE SUPEROPTIONS */
		char mnt[512], *dash = strstr(line, " - ");
		if (dash && !strncmp(dash + 3, "cgroup2 ", 8) && sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1) {
			snprintf(root, sizeof(root), "%s", mnt);
			break;
		}
	}
	if (f)
		fclose(f);
	return root[0] ? root : NULL;
}

int cgroup_id_of(const char *spec, uint64_t *id)
{
	char path[1024];
	struct stat st;
	const char *root = cgroup2_root();
	if (!stat(spec, &st) && S_ISDIR(st.st_mode) && is_cgroup2(spec)) {
		snprintf(path, sizeof(path), "%s", spec);
	} else if (root && spec[0] == '/') {
		snprintf(path, sizeof(path), "%s%s", root, strcmp(spec, "/") ? spec : "");
		if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "ERROR: no cgroup %s (neither a cgroup v2 directory nor %s)\n", spec, path);
			return -1;
		}
	} else {
		fprintf(stderr, "ERROR: no cgroup %s: give its directory under %s, or its path as /proc/PID/cgroup shows it "
				"(0::/PATH)\n", spec, root ? root : "a cgroup v2 mount (none is mounted)");
		return -1;
	}
	*id = (uint64_t)st.st_ino;
	return 0;
}

/* Depth-first search of dir (path rel below the root) for the directory with inode id. */
static int find_id(const char *dir, const char *rel, uint64_t id, char *out, size_t n, int depth)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int found = -1;
	for (struct dirent *e; found && (e = readdir(d));) {
		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		char sub[1024], subrel[1024];
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		snprintf(subrel, sizeof(subrel), "%s/%s", rel, e->d_name);
		if ((uint64_t)e->d_ino == id) {
			snprintf(out, n, "%s", subrel);
			found = 0;
		} else if (depth < 32) {
			found = find_id(sub, subrel, id, out, n, depth + 1);
		}
	}
	closedir(d);
	return found;
}

int cgroup_path_of(uint64_t id, char *out, size_t n)
{
	/* a scrape names every series' cgroup: a cgroup gone since is remembered as gone, not searched again */
	static struct { uint64_t id; int gone; char path[512]; } cache[256];
	static int ncache;
	for (int i = 0; i < ncache; i++)
		if (cache[i].id == id) {
			snprintf(out, n, "%s", cache[i].path);
			return cache[i].gone ? -1 : 0;
		}
	const char *root = cgroup2_root();
	struct stat st;
	if (!root || stat(root, &st))
		return -1;
	int gone = 0;
	if ((uint64_t)st.st_ino == id)
		snprintf(out, n, "/");
	else if (find_id(root, "", id, out, n, 0))
		gone = 1, out[0] = 0;
	if (ncache < (int)ARRAY_SIZE(cache)) {
		cache[ncache].id = id;
		cache[ncache].gone = gone;
		snprintf(cache[ncache++].path, sizeof(cache[0].path), "%s", out);
	}
	return gone ? -1 : 0;
}

void cgroup_label(uint64_t id, struct strbuf *out)
{
	char path[512];
	if (cgroup_path_of(id, path, sizeof(path)))
		sb_printf(out, "%llu", (unsigned long long)id);
	else
		sb_puts(out, path);
}
