/*
 * Python targets for the u* tools (ucalls, uflow, ustat, ugc): which object
 * of a process carries CPython's USDT probes, and where calls can be seen
 * entering. In CPython 3.11 `function__entry` fires only for calls from C
 * into Python (or under sys.settrace), while `function__return` fires for
 * every return; entries come instead from uprobes on the interpreter's
 * RESUME instruction, which every Python function executes first.
 */
#ifndef SONDE_PYLANG_H
#define SONDE_PYLANG_H
#include "../util/util.h"
#include <limits.h>
#include <stdint.h>

/* How a tool sees calls entering. */
enum pylang_entries {
	PY_ENTRY_NONE,		/* returns only: the header says so */
	PY_ENTRY_USDT,		/* function__entry fires for every call (CPython before 3.11) */
	PY_ENTRY_RESUME,	/* uprobes on the RESUME and RESUME_QUICK handlers (3.11) */
};

struct pylang {
	char path[PATH_MAX];	/* the file holding the python:* probes (the executable or libpython) */
	int major, minor;	/* from its name (python3.11, libpython3.11.so.1.0); 0 when not in it */
	enum pylang_entries entries;
	uint64_t resume_off[2];	/* RESUME_QUICK, RESUME: bytes into _PyEval_EvalFrameDefault */
	char frame_reg[8];	/* the register holding the frame there, as reg() names it */
	char why[160];		/* why entries are not seen (PY_ENTRY_NONE) */
};

/* -l LANG of the Python tools: 0 for python; -1 after the error (sonde traces no other language). */
int pylang_language_ok(const char *tool, const char *lang);

/* Whether the file has the python:function__return USDT probe. */
int pylang_file_is_python(const char *path);

/*
 * The Python object process pid maps (its executable or a libpython with
 * the python:* USDT notes), into py; then the entry source. 0, or -1 after
 * one line naming the tool ("ERROR: ucalls: process 12 (sleep) is not a
 * Python process: ...").
 */
int pylang_find(const char *tool, int pid, struct pylang *py);

/* The entry source of py->path (called by pylang_find()). */
void pylang_find_entries(struct pylang *py);

/* The attach points that see calls entering (comma-separated, no filter). */
void pylang_entry_points(const struct pylang *py, struct strbuf *out);

/*
 * Statements that set $pyfunc and with_file $pyfile (addresses of the
 * function's and the file's names, for str(); $pyfunc is the buffer
 * function__return passes as arg1) at an entry point, from the entered
 * frame (RESUME) or the USDT arguments (function__entry).
 */
void pylang_entry_names(const struct pylang *py, int with_file, struct strbuf *out);

/* The `usdt:PATH:python:NAME` attach point. */
void pylang_usdt(const struct pylang *py, const char *name, struct strbuf *out);

/* One line for a tool's header on how calls are seen, or NULL when entries are USDT's own. */
const char *pylang_entry_note(const struct pylang *py);

#endif
