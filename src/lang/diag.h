/* Diagnostics: every user-facing error goes through here, with its span. */
#ifndef SONDE_DIAG_H
#define SONDE_DIAG_H
#include <stdio.h>

struct span {
	int line, col;		/* 1-based start */
	int end_line, end_col;	/* exclusive end column on end_line */
};

struct source {
	const char *name;	/* "stdin" for -e, else the file name */
	const char *text;
};

struct diag {
	const struct source *src;
	FILE *out;		/* stderr unless a test captures it; NULL: count errors silently */
	int errors;
	int generated;		/* a tool wrote the program: messages name the tool, not a line the user never saw */
	const struct source *imports;	/* imported files: lines from k × DIAG_IMPORT_LINES are imports[k - 1]'s */
	int nimports;
};

/* Lines of the k-th imported file are numbered from k × this + 1 (lang/imports.c). */
#define DIAG_IMPORT_LINES 1000000

void diag_error(struct diag *d, struct span sp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warn(struct diag *d, struct span sp, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error with no place in the script (attach failures, options). */
void diag_plain(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct span span_join(struct span a, struct span b);

#endif
