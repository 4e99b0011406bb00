/*
 * What user space (python/procs.c, python/names.c) and the BPF frame walk
 * (codegen/pystack.c) share: the per-process map's value and how a Python
 * frame is written into a stack's frame buffer.
 *
 * sonde_py_procs: hash, tgid → struct py_proc. Written for every process
 * the unwinder loads (unwind/procs.c): `threads` 0 for a process that runs
 * no CPython sonde knows, so BPF stops there after one lookup.
 */
#ifndef SONDE_PYTHON_LAYOUT_H
#define SONDE_PYTHON_LAYOUT_H
#include <stdint.h>

/*
 * The interpreter's address and the offsets the walk needs, copied from the
 * version's table (python/offsets.c): the program carries no version's
 * layout, so one program walks any version the table knows.
 */
struct py_proc {
	uint64_t interp_head;	/* &_PyRuntime.interpreters.head; 0: not Python */
	/* the process's pid namespace (nsfs dev and inode; 0 when unknown): the tid Python saw is the one there */
	uint64_t ns_dev, ns_ino;
	uint32_t threads;	/* PyInterpreterState.threads.head */
	uint32_t ts_next;	/* PyThreadState.next */
	uint32_t ts_tid;	/* PyThreadState.native_thread_id (the tid in the process's pid namespace) */
	uint32_t ts_cframe;	/* PyThreadState.cframe */
	uint32_t cf_frame;	/* _PyCFrame.current_frame */
	/* a frame is read as one window of PY_FRAME_WINDOW bytes at frame + fr_window; the fields are within it */
	uint32_t fr_window;
	uint32_t fr_code;	/* _PyInterpreterFrame.f_code − fr_window */
	uint32_t fr_previous;	/* _PyInterpreterFrame.previous − fr_window */
	uint32_t fr_instr;	/* _PyInterpreterFrame.prev_instr − fr_window */
	uint32_t fr_entry;	/* _PyInterpreterFrame.is_entry (a byte) − fr_window */
	uint32_t co_code;	/* PyCodeObject.co_code_adaptive: the first code unit */
};

/*
 * A Python frame in a stack's frame buffer: bit 63 set (no user address
 * has it), bit 62 the entry flag (the frame a C call of the interpreter
 * began with), bits 47-61 the index of the last code unit run (PY_NO_INSTR:
 * past what the field holds), bits 0-46 the code object's address. The
 * unwinder's marker (UNW_FP_MARKER) has bit 63 too: tests for it come first.
 */
#define PY_FRAME_BIT (1ull << 63)
#define PY_ENTRY_BIT (1ull << 62)
#define PY_INSTR_SHIFT 47
#define PY_INSTR_MASK 0x7fffull
#define PY_NO_INSTR PY_INSTR_MASK
#define PY_CODE_MASK ((1ull << 47) - 1)
/* a frame whose memory could not be read (it ends the walk): no code object is at the top of user space */
#define PY_BAD_FRAME (PY_FRAME_BIT | (PY_NO_INSTR << PY_INSTR_SHIFT) | PY_CODE_MASK)
/* the thread was not among the first PY_MAX_THREADS of the interpreter's list: its frames are not walked */
#define PY_MANY_THREADS (PY_BAD_FRAME - 1)
#define PY_FRAME_WINDOW 40	/* bytes of a frame read at once: 3.11's f_code to is_entry and owner */
#define PY_MAX_THREADS 32	/* threads of one interpreter the walk looks through for the current one */
#define PY_MAX_THREADS_TEXT "32"

#endif
