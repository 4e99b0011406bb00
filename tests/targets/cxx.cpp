/*
 * A C++ target for symbol tests: a namespaced const method, a function
 * template instantiated twice and an overloaded function, whose mangled
 * names (_ZNK2ns6Widget4areaEv, _ZN2ns5twiceIiEET_S1_, _Z5scalei, …) usym()
 * must print demangled. Built without optimisation or inlining so every call
 * is a real call.
 *   cxx calls N [MS]  N rounds of Widget::area(), twice<int>, twice<double>,
 *                     scale(int) and scale(double); prints the sum, then
 *                     lives MS more milliseconds (usym() reads a live process's maps)
 */
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

namespace ns {

class Widget {
public:
	Widget(int w, int h) : w_(w), h_(h) {}
	int area() const;

private:
	int w_, h_;
};

int Widget::area() const
{
	return w_ * h_;
}

template <typename T> T twice(T x)
{
	return x + x;
}

} // namespace ns

long scale(int x)
{
	return 3L * x;
}

long scale(double x)
{
	return (long)(x * 10);
}

static long calls(long n)
{
	long sum = 0;
	for (long i = 0; i < n; i++) {
		ns::Widget w((int)i, 2);
		sum += w.area();
		sum += ns::twice<int>((int)i);
		sum += (long)ns::twice<double>(0.5);
		sum += scale((int)i) + scale(0.5);
	}
	return sum;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "calls")) {
		printf("%ld\n", calls(atol(argv[2])));
		fflush(stdout);
		long ms = argc == 4 ? atol(argv[3]) : 0;
		struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
		nanosleep(&t, NULL);
		return 0;
	}
	fputs("usage: cxx calls N [MS]\n", stderr);
	return 2;
}
