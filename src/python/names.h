/*
 * Python frames (python/layout.h words) → names, through the process's
 * memory (/proc/PID/mem): the code object's co_qualname, co_filename,
 * co_firstlineno, and the line of the frame's code unit from co_linetable.
 * Every object read is checked to be of its type (ob_type against the
 * interpreter's PyCode_Type, PyUnicode_Type, PyBytes_Type), so a freed or
 * reused address is reported as unreadable, never named wrongly.
 */
#ifndef SONDE_PYTHON_NAMES_H
#define SONDE_PYTHON_NAMES_H
#include <stddef.h>
#include <stdint.h>

struct py_names;
struct py_frame {
	const char *shown;	/* "qualname (file.py:LINE)", or "[python: …]" when unreadable */
	const char *func;	/* qualname; NULL when unreadable */
	const char *file;	/* co_filename as the interpreter has it */
	int line;		/* the frame's current line; its first line when unknown */
	int first_line;		/* co_firstlineno */
};

struct py_names *py_names_new(void);
void py_names_free(struct py_names *p);
/* Names frame word w of process pid (cached; strings live as long as p): 1 when named, 0 unreadable. */
int py_frame_name(struct py_names *p, int pid, uint64_t w, struct py_frame *out);
/* The 3.11+ location table: the line of code unit `unit` (-1: none); exposed for the unit tests. */
int py_line_of(const uint8_t *table, size_t n, int first_line, int unit);

#endif
