/* The ELF objects a process runs: mapped now (-p), or about to be (-c). */
#ifndef SONDE_OBJECTS_H
#define SONDE_OBJECTS_H
#include "../util/util.h"

struct obj_list {
	VEC(char *) v;		/* paths to open (under /proc/PID/root for a live process) */
};

/* Every file mapped executable in process PID, each once, in map order. 0 or -errno. */
int objects_of_pid(int pid, struct obj_list *out);
/* A program and the libraries it names (DT_NEEDED), resolved like the linker. 0 or -errno. */
int objects_of_program(const char *program, struct obj_list *out);
void objects_free(struct obj_list *l);
/* An object's path as the process names it: /proc/PID/root/usr/bin/x is /usr/bin/x. */
const char *objects_display_path(const char *path);
/* Whether process PID maps the file at path (matched by inode): 1 yes, 0 no (instead:
 * a mapped file whose name starts like path's, or empty), -1 when it cannot tell. */
int pid_maps_file(int pid, const char *path, char *instead, size_t n);

#endif
