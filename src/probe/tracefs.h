/* tracefs: where it is (mounting it if needed), which events exist, their formats. */
#ifndef SONDE_TRACEFS_H
#define SONDE_TRACEFS_H
#include "../util/util.h"

enum tp_field_kind {
	TPF_INT,	/* integer, sized and signed as the format says */
	TPF_PTR,	/* a pointer: an address (char * reads with str()) */
	TPF_CHARS,	/* char name[N]: a string */
	TPF_DATALOC,	/* __data_loc char[]: u32 {u16 offset, u16 length} to a string in the record */
	TPF_ARRAY,	/* other fixed arrays, e.g. u8 saddr[4] */
};

struct tp_field {
	char *name;
	char *type;		/* as written in the format, e.g. "const char *" */
	enum tp_field_kind kind;
	int offset, size, is_signed;
	int elem_size, count;	/* arrays */
};

struct tp_format {
	int id;
	int nfields;
	struct tp_field *fields;	/* without the common_ fields */
};

/* The tracefs root, mounted on /sys/kernel/tracing if nothing is; NULL when impossible. */
const char *tracefs_root(void);
/* Tests and the fuzz harness: read events from a fixture tree instead (no mount, no kernel). */
void tracefs_set_root(const char *dir);
/* Calls fn(category, event) for every event matching the glob patterns; returns the count. */
int tracefs_glob(const char *cat_pattern, const char *event_pattern,
		 void (*fn)(const char *cat, const char *event, void *ctx), void *ctx);
/* Reads events/CAT/EVENT/format; fields are arena-owned. 0, or -errno. */
int tracefs_format(const char *cat, const char *event, struct tp_format *out, struct arena *a);
const struct tp_field *tp_format_field(const struct tp_format *f, const char *name);

#endif
