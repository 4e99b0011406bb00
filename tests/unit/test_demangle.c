/* C++ names (sym/demangle.c, through libstdc++'s __cxa_demangle), alone and as usym() finds
 * them in a library mapped into this process. */
#include "test.h"
#include "sym/demangle.h"
#include "sym/resolve.h"
#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static char *got;

static const char *demangled(const char *name)
{
	free(got);
	got = demangle_cxx(name);
	return got;
}

TEST(test_demangle_cxx_names_in_full_as_perf_shows_them)
{
	EXPECT_STR(demangled("_ZNK2ns6Widget4areaEv"), "ns::Widget::area() const");
	EXPECT_STR(demangled("_ZN2ns5twiceIiEET_S1_"), "int ns::twice<int>(int)");
	EXPECT_STR(demangled("_Z5scaled"), "scale(double)");
	EXPECT_STR(demangled("_ZL5callsl"), "calls(long)");
	EXPECT_STR(demangled("_Z5scalei.cold"), "scale(int) [clone .cold]");
}

TEST(test_demangle_leaves_other_names_alone)
{
	EXPECT_STR(demangled("main"), NULL);
	EXPECT_STR(demangled("_Z"), NULL);
	EXPECT_STR(demangled("_Znot a mangled name"), NULL);
	EXPECT_STR(demangled("Z5scalei"), NULL);
	EXPECT_STR(demangled(""), NULL);
	free(got);
	got = NULL;
}

TEST(test_usym_demangles_a_cxx_library_function)
{
	void *lib = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_LOCAL);
	EXPECT_INT(lib != NULL, 1);
	if (!lib)
		return;
	void *fn = dlsym(lib, "_ZNSt9exceptionD2Ev");
	EXPECT_INT(fn != NULL, 1);
	struct sym_cache *c = sym_cache_new();
	struct sym_info si;
	EXPECT_INT(sym_user_info(c, getpid(), (uintptr_t)fn, &si), 1);
	EXPECT_STR(si.name, "std::exception::~exception()");
	EXPECT_INT(si.kind, SYM_USER);
	/* the second time from the cache */
	EXPECT_STR(sym_user(c, getpid(), (uintptr_t)fn), "std::exception::~exception()");
	sym_cache_free(c);
	dlclose(lib);
}
