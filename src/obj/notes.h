/* USDT probes: the .note.stapsdt notes of an ELF file. */
#ifndef SONDE_NOTES_H
#define SONDE_NOTES_H
#include <stdint.h>
#include "../util/util.h"

struct usdt_site {
	char *provider, *name, *args;	/* args: the operand spec, e.g. "8@%rbx -4@112(%rsp)" */
	uint64_t pc;			/* link-time address, .stapsdt.base applied */
	uint64_t file_off;		/* where the uprobe goes */
	uint64_t sema_off;		/* file offset of the semaphore; 0: none */
};

struct usdt_sites {
	VEC(struct usdt_site) v;
};

/* Reads every stapsdt note of path. 0 (maybe none) or -errno. */
int usdt_read_sites(const char *path, struct usdt_sites *out);
void usdt_sites_free(struct usdt_sites *s);

#endif
