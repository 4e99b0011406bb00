/*
 * The CFI unwinder's C++ target, built as distributions build C++ (-O2
 * -fomit-frame-pointer, see the Makefile). Its chain:
 *   unwind_cxx chain   main → drive (a try block: the exception it throws and
 *                      catches comes after the chain, its landing pad is in
 *                      this frame) → Circle::visit (a virtual call) →
 *                      raise(SIGUSR1) (a PLT call into libc) → the kernel's
 *                      signal frame (__restore_rt) → on_signal →
 *                      sort_pair<int> (a template) → std::sort's insertion
 *                      sort → its comparator, a lambda → chain::leaf, a
 *                      frameless leaf; twice, 300 ms apart (sonde loads the
 *                      tables when a stack first meets the process: the second
 *                      walk is CFI's)
 */
#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

static volatile unsigned long sink;

namespace chain {
/* A leaf: no call, so -O2 gives it no frame at all. */
__attribute__((noinline)) void leaf(unsigned long x)
{
	sink += x;
}
}	// namespace chain

template <typename T> __attribute__((noinline)) void sort_pair(T *v)
{
	/* two elements: the insertion sort compares once, so the leaf runs once per chain;
	 * noinline keeps the lambda a frame of its own */
	std::sort(v, v + 2, [](const T &a, const T &b) __attribute__((noinline)) {
		chain::leaf((unsigned long)(a ^ b));
		return a < b;
	});
	sink += (unsigned long)v[1];	/* work after the sort: no tail call, this frame stays */
}

static void on_signal(int sig)
{
	int v[2] = { sig, 1 };
	sort_pair(v);
	sink += (unsigned long)v[0];
}

struct Shape {
	virtual ~Shape() = default;
	virtual void visit() = 0;
};

struct Circle : Shape {
	void visit() override;
};

struct Square : Shape {
	void visit() override;
};

__attribute__((noinline)) void Circle::visit()
{
	raise(SIGUSR1);
	sink++;
}

__attribute__((noinline)) void Square::visit()
{
	sink += 4;
}

/* noipa: the caller cannot see which override it gets, so the call stays virtual */
__attribute__((noipa)) static Shape *pick(int round)
{
	static Circle circle;
	static Square square;
	return round >= 0 ? static_cast<Shape *>(&circle) : static_cast<Shape *>(&square);
}

__attribute__((noinline)) static int drive(int round)
{
	try {
		pick(round)->visit();
		if (sink)
			throw std::runtime_error("after the chain");
	} catch (const std::exception &e) {
		return (int)strlen(e.what());
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "chain")) {
		signal(SIGUSR1, on_signal);
		int caught = drive(0);
		usleep(300000);
		caught += drive(1);
		return caught == 2 * (int)strlen("after the chain") ? 0 : 1;
	}
	fprintf(stderr, "usage: unwind_cxx chain\n");
	return 2;
}
