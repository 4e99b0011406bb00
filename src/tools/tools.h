/* Ready-made tools: `sonde TOOL [flags]` runs one instead of a script. */
#ifndef SONDE_TOOLS_H
#define SONDE_TOOLS_H

struct tool {
	const char *name;
	const char *summary;	/* one line for `sonde --help` */
	int (*main)(int argc, char **argv);	/* argv[0] is the tool's name; returns the exit status */
};

/* The tool called NAME, or NULL. */
const struct tool *tool_find(const char *name);
/* The table, ended by an entry without a name. */
extern const struct tool tools[];

int tool_flamegraph(int argc, char **argv);
int tool_profile(int argc, char **argv);
int tool_funccount(int argc, char **argv);
int tool_funclatency(int argc, char **argv);
int tool_funcslower(int argc, char **argv);
int tool_stackcount(int argc, char **argv);
int tool_syscount(int argc, char **argv);
int tool_execsnoop(int argc, char **argv);
int tool_opensnoop(int argc, char **argv);
int tool_tcpstates(int argc, char **argv);
int tool_tcplife(int argc, char **argv);
int tool_tcpconnect(int argc, char **argv);
int tool_tcpconnlat(int argc, char **argv);
int tool_tcpaccept(int argc, char **argv);
int tool_tcptracer(int argc, char **argv);
int tool_tcpbottleneck(int argc, char **argv);
int tool_tcpdrop(int argc, char **argv);
int tool_tcptop(int argc, char **argv);
int tool_tcpsubnet(int argc, char **argv);
int tool_tcpsynbl(int argc, char **argv);
int tool_tcpcong(int argc, char **argv);
int tool_stat(int argc, char **argv);
int tool_tcpretrans(int argc, char **argv);
int tool_tcprtt(int argc, char **argv);
int tool_trace(int argc, char **argv);
int tool_argdist(int argc, char **argv);
int tool_offcputime(int argc, char **argv);
int tool_gethostlatency(int argc, char **argv);
int tool_bashreadline(int argc, char **argv);
int tool_strace(int argc, char **argv);
int tool_ucalls(int argc, char **argv);
int tool_ugc(int argc, char **argv);
int tool_ustat(int argc, char **argv);
int tool_uflow(int argc, char **argv);
int tool_promql(int argc, char **argv);	/* src/promql/cmd.c */

#endif
