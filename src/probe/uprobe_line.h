/* Internal to probe/: uprobe:BIN@FILE:LINE[:COL], source-line uprobes (uprobe_line.c). */
#ifndef SONDE_UPROBE_LINE_H
#define SONDE_UPROBE_LINE_H
#include "provider.h"

/* The attach point names a source line: an `@` in its binary part. */
int uprobe_is_line(const char *raw);
/* Adds a point per statement start of the line; 0, or -1 after a diag. */
int uprobe_expand_line(struct script *s, struct probe_block *blk, struct attach_point *ap, struct diag *d,
		       const struct provider *prov);

#endif
