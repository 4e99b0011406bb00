/* The table of tools main.c dispatches to. */
#include "tools.h"
#include <string.h>

const struct tool tools[] = {
	{ "profile", "sample CPU stacks: BCC profile's flags; folded, SVG flame graph or pprof output", tool_profile },
	{ "funccount", "count calls of functions, tracepoints or USDT probes matching a pattern (BCC funccount)", tool_funccount },
	{ "funclatency", "time functions: a log2 latency histogram, BCC's layout and footer (Go: paired by goroutine)", tool_funclatency },
	{ "funcslower", "print calls slower than a threshold, with their caller stacks (BCC funcslower)", tool_funcslower },
	{ "trace", "print a line per event with a message of yours: BCC trace's probe specs, filters and formats", tool_trace },
	{ "argdist", "frequency counts (-C) or log2 histograms (-H) of argument and return values (BCC argdist)", tool_argdist },
	{ "stackcount", "count the stacks that reach functions, tracepoints or USDT probes (BCC stackcount)", tool_stackcount },
	{ "syscount", "count system calls by call or by process, with their time (BCC syscount)", tool_syscount },
	{ "execsnoop", "one line per exec, with its arguments (BCC execsnoop)", tool_execsnoop },
	{ "opensnoop", "one line per open(), with the path, fd or error (BCC opensnoop)", tool_opensnoop },
	{ "tcpstates", "every TCP state change, with the time in the previous state (BCC tcpstates)", tool_tcpstates },
	{ "tcplife", "one line per closed TCP session: bytes each way and lifetime (BCC tcplife)", tool_tcplife },
	{ "tcpconnect", "active TCP connects: process, addresses, port (BCC tcpconnect)", tool_tcpconnect },
	{ "tcpaccept", "passive TCP accepts: the accepting process, addresses, ports (BCC tcpaccept)", tool_tcpaccept },
	{ "tcptracer", "connect, accept and close of established TCP connections (BCC tcptracer)", tool_tcptracer },
	{ "tcpbottleneck", "what limits each TCP transfer: receiver window, send buffer, network or application", tool_tcpbottleneck },
	{ "tcpdrop", "TCP packets the kernel drops, with the reason by name and the kernel stack (BCC tcpdrop)", tool_tcpdrop },
	{ "tcptop", "the TCP connections moving the bytes, per process, every interval (BCC tcptop)", tool_tcptop },
	{ "tcpsubnet", "TCP bytes sent, summed per destination subnet (BCC tcpsubnet)", tool_tcpsubnet },
	{ "tcpsynbl", "a histogram of each listener's accept backlog at every new connection (BCC tcpsynbl)", tool_tcpsynbl },
	{ "tcpcong", "time each TCP connection spends in each congestion state (BCC tcpcong)", tool_tcpcong },
	{ "tcpretrans", "TCP retransmits, one line each or counted per flow (BCC tcpretrans)", tool_tcpretrans },
	{ "tcprtt", "a log2 histogram of TCP's smoothed RTT, from tcp:tcp_probe (BCC tcprtt)", tool_tcprtt },
	{ "tcpconnlat", "TCP connect latency, SYN sent to established (BCC tcpconnlat)", tool_tcpconnlat },
	{ "offcputime", "time blocked off-CPU, summed by stack: BCC offcputime's flags; folded or an SVG flame graph", tool_offcputime },
	{ "gethostlatency", "latency of DNS lookups through libc getaddrinfo/gethostbyname (BCC gethostlatency)", tool_gethostlatency },
	{ "bashreadline", "print the lines typed into bash, from the return of readline (BCC bashreadline)", tool_bashreadline },
	{ "strace", "system calls as strace prints them (-f -c -e trace= -T -tt), from tracepoints: nothing is stopped", tool_strace },
	{ "ucalls", "calls of each Python function of a process, with -L their time and -S its syscalls (BCC ucalls)", tool_ucalls },
	{ "ugc", "garbage collections of a Python process, with their durations (BCC ugc)", tool_ugc },
	{ "ustat", "calls, collections and module loads per second of every Python process, found by what it maps (BCC ustat)", tool_ustat },
	{ "uflow", "each Python call and return of a process as it happens, indented by depth (BCC uflow)", tool_uflow },
	{ "promql", "promql split: the sides PromQL alert expressions compare, to graph value and threshold", tool_promql },
	{ "stat", "count events while a command runs, perf stat's layout: exact kernel counters, tracepoints by glob", tool_stat },
	{ "flamegraph", "folded stacks on stdin → interactive SVG flame graph on stdout", tool_flamegraph },
	{ 0 },
};

const struct tool *tool_find(const char *name)
{
	for (const struct tool *t = tools; t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
