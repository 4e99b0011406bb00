/* ustack(build_id) frames: the mapped file's GNU build-id and the file offset (out/buildid.c). */
#ifndef SONDE_BUILDID_H
#define SONDE_BUILDID_H
#include "value.h"

struct sym_info;
/* One frame: `BUILDID + 0xOFFSET`, or `0xADDR` when no mapped file holds it. */
void stack_build_id_frame(struct strbuf *out, const struct value_ctx *vc, int pid, uint64_t ip,
			  const struct sym_info *si);

#endif
