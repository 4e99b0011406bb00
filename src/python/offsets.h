/*
 * CPython's struct layouts, one table per version (python/offsets.c), and
 * which version a mapped file is.
 */
#ifndef SONDE_PYTHON_OFFSETS_H
#define SONDE_PYTHON_OFFSETS_H
#include <stdint.h>

struct py_offsets {
	const char *version;	/* "3.11": matched against python3.11 / libpython3.11.so */
	/* the frame walk (BPF; see python/layout.h) */
	uint32_t rt_interp_head;	/* _PyRuntimeState.interpreters.head */
	uint32_t is_threads;		/* PyInterpreterState.threads.head */
	uint32_t ts_next, ts_native_tid, ts_cframe;	/* PyThreadState */
	uint32_t cf_current_frame;	/* _PyCFrame */
	uint32_t fr_code, fr_previous, fr_prev_instr, fr_is_entry;	/* _PyInterpreterFrame */
	/* naming a frame (user space, through /proc/PID/mem) */
	uint32_t co_filename, co_name, co_qualname, co_linetable, co_firstlineno, co_code_adaptive;
	uint32_t co_size;		/* bytes read from a code object: past every field above */
	uint32_t str_length, str_state;	/* PyASCIIObject.length, .state */
	uint32_t str_ascii_data;	/* sizeof(PyASCIIObject): an ASCII compact string's characters */
	uint32_t str_compact_data;	/* sizeof(PyCompactUnicodeObject): other compact strings' */
	uint32_t bytes_size, bytes_data;	/* PyVarObject.ob_size, PyBytesObject.ob_sval */
	/* the Python tools' entries (tools/pylang.c): RESUME's handlers read the entered frame */
	uint32_t str_utf8;		/* PyCompactUnicodeObject.utf8: a non-ASCII str's UTF-8 copy, once made */
	uint32_t str_ascii_bit;		/* PyASCIIObject.state's ascii flag, as a mask of its first byte */
	uint32_t op_resume, op_resume_quick;	/* opcode numbers: the handlers' slots in the dispatch table */
};

/* The table for "3.11" and the like, or NULL. */
const struct py_offsets *py_offsets_for(const char *version);
/* The version a mapped file's name says ("python3.11", "libpython3.11.so.1.0") into out; 0, or -1. */
int py_version_of_path(const char *path, char *out, int n);

#endif
