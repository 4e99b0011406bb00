/* What the TCP tools share: state names, the address/port script pieces, port filters. */
#ifndef SONDE_TOOLS_TCP_H
#define SONDE_TOOLS_TCP_H
#include "../util/util.h"

/* "ESTABLISHED", "SYN_SENT" … as BCC prints them; "UNKNOWN" past the table. */
const char *tcp_state_name(long state);
/* A predicate for -L/-D PORT[,PORT…] on field (args.sport or args.dport), appended with &&; -1 on a bad list. */
int tcp_port_filter(struct strbuf *pred, const char *list, const char *field);
/* The script's common filter: TCP, and with only4/only6 one family. */
void tcp_base_filter(struct strbuf *pred, int only4, int only6);
#endif
