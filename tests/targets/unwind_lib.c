/*
 * A library build/targets/unwind dlopens after sonde has read its
 * mappings (unwind dlopen PATH), built as distributions build code
 * (-O2 -fomit-frame-pointer): lib_outer → lib_inner → the caller's callback.
 */
static volatile unsigned long sink;

__attribute__((noinline)) static void lib_inner(void (*cb)(unsigned long), unsigned long x)
{
	cb(x);
	sink++;	/* after the call: no tail call */
}

void lib_outer(void (*cb)(unsigned long), unsigned long x);

__attribute__((noinline)) void lib_outer(void (*cb)(unsigned long), unsigned long x)
{
	lib_inner(cb, x * 3);
	sink += x;
}
