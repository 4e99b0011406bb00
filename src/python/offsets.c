/*
 * CPython's layouts as data. Each row is one version's offsets, read from
 * that version's own headers with offsetof (Py_BUILD_CORE and the internal
 * headers), never guessed:
 *
 * 3.11: Debian 12's python3.11 3.11.2-6+deb12u6 (/usr/bin/python3.11;
 *   libpython3.11 static in the executable). Checked two ways:
 *   scripts/python-offsets.sh, a program compiled against
 *   /usr/include/python3.11 (python3.11-dev 3.11.2-6+deb12u6, the same
 *   build's headers: `#define Py_BUILD_CORE 1`, internal/pycore_frame.h,
 *   pycore_interp.h, pycore_runtime.h), prints every offsetof below, and
 *   python_stacks.t compares them with this row; python_stacks.t also
 *   reads live processes through them: the thread list, the frame chain,
 *   the names and the lines it checks come out right only if they are.
 *   Debian ships no debug symbols for this build (python3.11-dbg is a
 *   Py_DEBUG build, another layout).
 *
 * Adding 3.12 or 3.13 (neither is installable here, so neither is in the
 * table, and nothing below was checked against them): run
 * scripts/python-offsets.sh against that version's headers and add a row.
 * What changed, to check first: 3.12 drops `is_entry` (a C call of the
 * interpreter pushes a shim frame, owner FRAME_OWNED_BY_CSTACK, instead)
 * and PyASCIIObject's wstr (ASCII data at 40, not 48); 3.13 drops
 * _PyCFrame (PyThreadState.current_frame) and renames f_code to
 * f_executable. Such a change is code in codegen/pystack.c and
 * python/merge.c, not only a row. The Python tools (tools/pylang.c) read
 * the same row: RESUME's and RESUME_QUICK's opcode numbers (3.12 has no
 * RESUME_QUICK) and a str's ascii flag and UTF-8 copy.
 */
#include "offsets.h"
#include <stdio.h>
#include <string.h>

static const struct py_offsets tables[] = {
	{
		.version = "3.11",
		.rt_interp_head = 40,
		.is_threads = 16,
		.ts_next = 8, .ts_native_tid = 160, .ts_cframe = 56,
		.cf_current_frame = 8,
		.fr_code = 32, .fr_previous = 48, .fr_prev_instr = 56, .fr_is_entry = 68,
		.co_filename = 112, .co_name = 120, .co_qualname = 128, .co_linetable = 136, .co_firstlineno = 72,
		.co_code_adaptive = 184, .co_size = 192,
		.str_length = 16, .str_state = 32, .str_ascii_data = 48, .str_compact_data = 72,
		.bytes_size = 16, .bytes_data = 32,
		.str_utf8 = 56, .str_ascii_bit = 64,
		.op_resume = 151, .op_resume_quick = 150,
	},
};

const struct py_offsets *py_offsets_for(const char *version)
{
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (!strcmp(tables[i].version, version))
			return &tables[i];
	return NULL;
}

int py_version_of_path(const char *path, char *out, int n)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	int major, minor, len = 0;
	/* python3.11, python3.11d, libpython3.11.so.1.0; not python3.11-config or a .py file */
	if (sscanf(base, "libpython%d.%d.so%n", &major, &minor, &len) == 2 && len)
		return snprintf(out, (size_t)n, "%d.%d", major, minor) < n ? 0 : -1;
	len = 0;
	if (sscanf(base, "python%d.%d%n", &major, &minor, &len) == 2 && len &&
	    (!base[len] || (base[len] == 'd' && !base[len + 1])))
		return snprintf(out, (size_t)n, "%d.%d", major, minor) < n ? 0 : -1;
	return -1;
}
