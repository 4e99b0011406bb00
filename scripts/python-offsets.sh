#!/bin/sh
# Prints CPython's struct offsets the way src/python/offsets.c holds them, read
# with offsetof from that version's own headers (Py_BUILD_CORE: the internal
# ones): how the 3.11 row was made and checked, and how to add a version.
# Usage: scripts/python-offsets.sh [VERSION] (default 3.11; needs pythonVERSION-dev).
# The fields are 3.11's: a version that renamed or dropped one (3.12: is_entry;
# 3.13: _PyCFrame, f_code) fails to compile here, which is the point to stop
# and read python/offsets.c's comment.
set -eu
V=${1:-3.11}
INC=/usr/include/python$V
[ -d "$INC/internal" ] || { echo "no $INC/internal: install python$V-dev" >&2; exit 1; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cat > "$DIR/off.c" <<'C'
#define Py_BUILD_CORE 1
#include <Python.h>
#include <internal/pycore_runtime.h>
#include <internal/pycore_interp.h>
#include <internal/pycore_frame.h>
#include <opcode.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#define F(name, value) printf("\t\t.%s = %zu,\n", name, (size_t)(value))
int main(void)
{
	F("rt_interp_head", offsetof(_PyRuntimeState, interpreters.head));
	F("is_threads", offsetof(PyInterpreterState, threads.head));
	F("ts_next", offsetof(PyThreadState, next));
	F("ts_native_tid", offsetof(PyThreadState, native_thread_id));
	F("ts_cframe", offsetof(PyThreadState, cframe));
	F("cf_current_frame", offsetof(_PyCFrame, current_frame));
	F("fr_code", offsetof(_PyInterpreterFrame, f_code));
	F("fr_previous", offsetof(_PyInterpreterFrame, previous));
	F("fr_prev_instr", offsetof(_PyInterpreterFrame, prev_instr));
	F("fr_is_entry", offsetof(_PyInterpreterFrame, is_entry));
	F("co_filename", offsetof(PyCodeObject, co_filename));
	F("co_name", offsetof(PyCodeObject, co_name));
	F("co_qualname", offsetof(PyCodeObject, co_qualname));
	F("co_linetable", offsetof(PyCodeObject, co_linetable));
	F("co_firstlineno", offsetof(PyCodeObject, co_firstlineno));
	F("co_code_adaptive", offsetof(PyCodeObject, co_code_adaptive));
	F("co_size", offsetof(PyCodeObject, co_code_adaptive) + 8);
	F("str_length", offsetof(PyASCIIObject, length));
	F("str_state", offsetof(PyASCIIObject, state));
	F("str_ascii_data", sizeof(PyASCIIObject));
	F("str_compact_data", sizeof(PyCompactUnicodeObject));
	F("bytes_size", offsetof(PyVarObject, ob_size));
	F("bytes_data", offsetof(PyBytesObject, ob_sval));
	F("str_utf8", offsetof(PyCompactUnicodeObject, utf8));
	PyASCIIObject s;
	memset(&s, 0, sizeof(s));
	s.state.ascii = 1;	/* a bit-field: its mask, read back */
	F("str_ascii_bit", *(unsigned char *)&s.state);
	F("op_resume", RESUME);
	F("op_resume_quick", RESUME_QUICK);
	return 0;
}
C
cc -I"$INC" "$DIR/off.c" -o "$DIR/off"
"$DIR/off"
