/*
 * Functions whose first instruction is of one encoding class each, for the
 * uprobe placement rules (the kernel sorts VEX/EVEX instructions by the
 * legacy opcode map: some are "emulated" as jumps and never run).
 *
 *   vexinsn SECS   calls every class the CPU has, each filling 32 bytes with
 *                  a byte that changes every call, for SECS seconds, and prints
 *                  `CLASS calls=N bad=M` per class (bad: a result was wrong).
 *
 * Each function is f(out, byte). cls_evex_hi starts with `vpbroadcastb esi,
 * ymm17` (AVX-512, writes a register that carries no argument: a probe on it
 * moves past it); cls_evex_lo writes ymm1 (xmm1 carries an argument),
 * cls_vex_ymm starts with `vpcmpeqb` (VEX, 0x74 read as je), both refused;
 * cls_plain and cls_sse are ordinary.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define FN(name, body) \
	__asm__(".text\n.globl " #name "\n.type " #name ",@function\n" #name ":\n" body "\nret\n.size " #name ", .-" #name "\n")
FN(cls_plain, "mov %esi,%eax\n imul $0x01010101,%eax,%eax\n mov %eax,(%rdi)\n mov %eax,4(%rdi)\n mov %eax,8(%rdi)\n"
	      " mov %eax,12(%rdi)\n mov %eax,16(%rdi)\n mov %eax,20(%rdi)\n mov %eax,24(%rdi)\n mov %eax,28(%rdi)");
FN(cls_sse, "movd %esi, %xmm5\n punpcklbw %xmm5,%xmm5\n punpcklwd %xmm5,%xmm5\n pshufd $0,%xmm5,%xmm5\n"
	    " movdqu %xmm5,(%rdi)\n movdqu %xmm5,16(%rdi)");
FN(cls_vex_ymm, "vpcmpeqb %ymm7,%ymm7,%ymm7\n vmovd %esi, %xmm6\n vpbroadcastb %xmm6,%ymm6\n vpand %ymm7,%ymm6,%ymm6\n"
		" vmovdqu %ymm6,(%rdi)\n vzeroupper");
FN(cls_evex_lo, "{evex} vpbroadcastb %esi, %ymm1\n vmovdqu %ymm1,(%rdi)\n vzeroupper");
FN(cls_evex_hi, "vpbroadcastb %esi, %ymm17\n mov %rdi,%rax\n vmovdqu64 %ymm17,(%rax)");
void cls_plain(uint8_t *, int), cls_sse(uint8_t *, int), cls_vex_ymm(uint8_t *, int), cls_evex_lo(uint8_t *, int),
	cls_evex_hi(uint8_t *, int);

static const struct {
	const char *name;
	void (*f)(uint8_t *, int);
	int level;	/* 0 any x86-64, 1 AVX2, 2 AVX-512 BW+VL */
} classes[] = {
	{ "plain", cls_plain, 0 }, { "sse", cls_sse, 0 }, { "vex_ymm", cls_vex_ymm, 1 },
	{ "evex_lo", cls_evex_lo, 2 }, { "evex_hi", cls_evex_hi, 2 },
};
#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

int main(int argc, char **argv)
{
	int secs = argc > 1 ? atoi(argv[1]) : 3;
	__builtin_cpu_init();
	int level = __builtin_cpu_supports("avx2") ? 1 : 0;
	if (level && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
		level = 2;
	long calls[NCLASSES] = { 0 }, bad[NCLASSES] = { 0 };
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	unsigned it = 0;
	do {
		for (int k = 0; k < 64; k++, it++)
			for (unsigned c = 0; c < NCLASSES; c++) {
				if (classes[c].level > level)
					continue;
				uint8_t out[32];
				memset(out, 0, sizeof(out));
				int b = 1 + (int)((it + c) % 250);
				classes[c].f(out, b);
				calls[c]++;
				for (int i = 0; i < 32; i++)
					if (out[i] != b) {
						bad[c]++;
						break;
					}
			}
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec < secs);
	for (unsigned c = 0; c < NCLASSES; c++)
		printf("%s calls=%ld bad=%ld\n", classes[c].name, calls[c], bad[c]);
	return 0;
}
