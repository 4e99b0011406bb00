# gdb -x: the real frames of the stopped thread, one "PC <hex>" line each.
# gdb's inline and tail-call frames are left out: they come from debug
# information and have no frame of their own on the stack.
import gdb
f = gdb.newest_frame()
while f is not None:
    if f.type() not in (gdb.INLINE_FRAME, gdb.TAILCALL_FRAME):
        print("PC %x" % f.pc())
    f = f.older()
