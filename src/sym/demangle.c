/*
 * C++ demangling through __cxa_demangle, the function libstdc++ exports for
 * std::type_info names and backtraces. Opened with dlopen so that sonde stays
 * a C program that runs without libstdc++: without it, names stay mangled.
 */
#include "demangle.h"
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

typedef char *(*cxa_demangle_fn)(const char *mangled, char *buf, size_t *len, int *status);

/* Looked up once per process: the library is the same for every cache. */
static cxa_demangle_fn demangler(void)
{
	static int tried;
	static cxa_demangle_fn fn;
	if (!tried) {
		tried = 1;
		void *lib = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
		if (lib)
			fn = (cxa_demangle_fn)dlsym(lib, "__cxa_demangle");
	}
	return fn;
}

int demangle_enabled = 1;

char *demangle_cxx(const char *name)
{
	if (!demangle_enabled || name[0] != '_' || name[1] != 'Z')
		return NULL;
	cxa_demangle_fn fn = demangler();
	int status = -1;
	char *out = fn ? fn(name, NULL, NULL, &status) : NULL;
	if (status != 0) {
		free(out);
		return NULL;
	}
	return out;
}
