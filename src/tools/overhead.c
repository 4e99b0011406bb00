/*
 * What timing a call costs by itself: the part of the entry and return
 * probes that falls between their two nsecs readings. funclatency and
 * funcslower measure it at start on a function of sonde's own that does
 * nothing (push, mov, pop, ret), with the same kind of return probe as the
 * traced function (a uretprobe, or for Go a uprobe on the RET), and say it
 * in their header, so probe cost never passes for the function's time.
 */
#include "toolkit.h"
#include "../out/maptable.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* An entry the kernel emulates (push) and a RET at +5, as sonde needs them to be. */
__asm__(".text\n"
	".globl sonde_calibration_target\n"
	".type sonde_calibration_target, @function\n"
	"sonde_calibration_target:\n"
	"\tpush %rbp\n"
	"\tmov %rsp, %rbp\n"
	"\tpop %rbp\n"
	"\tret\n"
	".size sonde_calibration_target, .-sonde_calibration_target\n");
void sonde_calibration_target(void);

#define CALLS 300
#define STEP_NS 25
#define MAX_NS 25000

struct calibration {
	int64_t median_ns;
};

static void call_it(struct session *s, void *arg)
{
	(void)arg;
	void (*volatile fn)(void) = sonde_calibration_target;
	for (int i = 0; i < CALLS; i++)
		fn();
	s->exiting = 1;
}

static void read_median(struct session *s, void *arg)
{
	struct calibration *c = arg;
	struct map_table tb;
	if (session_read_map(s, "@d", &tb))
		return;
	if (tb.n == 1 && tb.e[0].buckets) {
		/* lhist buckets: 0 below 0, i = [(i-1)*STEP, i*STEP), last at or above MAX */
		uint64_t seen = 0, total = tb.e[0].bucket_total;
		for (int i = 0; i <= MAX_NS / STEP_NS + 1 && total; i++) {
			seen += tb.e[0].buckets[i];
			if (seen * 2 >= total) {
				c->median_ns = i > 0 ? (int64_t)(i - 1) * STEP_NS + STEP_NS / 2 : 0;
				break;
			}
		}
	}
	map_table_free(&tb);
}

int64_t tk_probe_overhead_ns(int ret_site)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = 0;
	struct strbuf script = { 0 };
	sb_printf(&script, "uprobe:\"%s\":sonde_calibration_target { @s[tid] = nsecs; }\n", self);
	if (ret_site)
		sb_printf(&script, "uprobe:\"%s\":sonde_calibration_target+5", self);
	else
		sb_printf(&script, "uretprobe:\"%s\":sonde_calibration_target", self);
	sb_printf(&script, " /@s[tid]/ { @d = lhist(nsecs - @s[tid], 0, %d, %d); delete(@s[tid]); }\n", MAX_NS, STEP_NS);
	struct calibration c = { .median_ns = -1 };
	struct session s = { 0 };
	s.o.prog_text = sb_str(&script);
	s.o.prog_name = "calibration";
	s.o.quiet = 1;
	s.o.generated = 1;
	s.o.on_attached = call_it;
	s.o.at_exit = read_median;
	s.o.at_exit_arg = &c;
	s.out = stdout;
	FILE *saved = stderr;
	stderr = fopen("/dev/null", "we");	/* a failed calibration only leaves the note out */
	int rc = session_run(&s);
	session_free(&s);
	if (stderr)
		fclose(stderr);
	stderr = saved;
	sb_free(&script);
	return rc ? -1 : c.median_ns;
}
