/* cgroup v2: a cgroup's id (what BPF's cgroup builtin returns) from its path, and back. */
#ifndef SONDE_CGROUP_H
#define SONDE_CGROUP_H
#include <stddef.h>
#include <stdint.h>

/* Where cgroup v2 is mounted ("/sys/fs/cgroup" or "/sys/fs/cgroup/unified"); NULL when it is not. */
const char *cgroup2_root(void);
/*
 * A cgroup given as its directory (/sys/fs/cgroup/…) or as /proc/PID/cgroup
 * names it ("/system.slice/x.service", under the v2 root): its id, the
 * directory's inode number. 0, or -1 after a message naming what is wrong.
 */
int cgroup_id_of(const char *spec, uint64_t *id);
/* The path of cgroup id under the v2 root ("/system.slice/x.service"), or -1 (cached walks of the tree). */
int cgroup_path_of(uint64_t id, char *out, size_t n);

/* A cgroup as a label or field: its path, or its id when it is gone. */
struct strbuf;
void cgroup_label(uint64_t id, struct strbuf *out);

#endif
