/*
 * A struct with every kind of member, laid out by gcc, handed to a function
 * (take) for tests/run/ctypes.t: a script defines the same struct and reads
 * it through a uprobe, so its layout is checked against the compiler's. The
 * layout gcc chose is printed first, then take() is called once.
 */
#include <stddef.h>
#include <stdio.h>

enum color { RED, GREEN = 5, BLUE };

struct inner {
	short s;
	long l;
};

typedef struct inner inner_t;

struct rec {
	char c;
	int i;
	char name[10];
	inner_t in;
	struct inner pair[2];
	int m[2][3];
	enum color col;
	union {
		int ui;
		unsigned char bytes[8];
	};
	struct rec *next;
	const char *strs[2];
	unsigned char flag;
	long long tail;
};

__attribute__((noinline)) long take(struct rec *r)
{
	__asm__ volatile("" : : "r"(r) : "memory");
	return r->i;
}

int main(void)
{
	static struct rec second = { .c = 'z', .i = 2, .name = "second", .col = GREEN };
	struct rec r = { 'a', -7, "hello", { 3, 40 }, { { 5, 50 }, { 6, 60 } }, { { 1, 2, 3 }, { 4, 5, 6 } },
			 BLUE, { .ui = 0x01020304 }, &second, { "x0", "y1" }, 200, -1234567890123LL };
	printf("gcc: %zu %zu %zu %zu %zu %zu %zu %zu\n", sizeof(struct rec), offsetof(struct rec, name),
	       offsetof(struct rec, in.l), offsetof(struct rec, pair), offsetof(struct rec, m),
	       offsetof(struct rec, col), offsetof(struct rec, next), offsetof(struct rec, tail));
	fflush(stdout);
	take(&r);
	return 0;
}
