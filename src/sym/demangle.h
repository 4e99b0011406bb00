/* C++ symbol names as people write them, by the C++ runtime's own demangler. */
#ifndef SONDE_DEMANGLE_H
#define SONDE_DEMANGLE_H

/* NAME demangled in full, as perf and bpftrace show it ("ns::Widget::area() const"), for
 * the caller to free; NULL when NAME is no mangled C++ name (_Z…) or the demangler is not
 * there (libstdc++.so.6 is loaded on first use, never linked). */
char *demangle_cxx(const char *name);
/* config cpp_demangle = false: names stay mangled */
extern int demangle_enabled;

#endif
