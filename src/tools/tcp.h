/* What the TCP tools share: state names, the address/port script pieces, port filters. */
#ifndef SONDE_TOOLS_TCP_H
#define SONDE_TOOLS_TCP_H
#include "../util/util.h"
#include <stdint.h>
#include <stdio.h>

struct session;
struct record;

/* The last printf arguments of every TCP tool's record: both ends, IPv4 then IPv6 (ntop of each). */
#define TCP_ADDR_ARGS "ntop(args.saddr), ntop(args.daddr), ntop(args.saddr_v6), ntop(args.daddr_v6)"
/* The socket accept()/accept4() returned, from their exit's args.ret (the acceptor's own fd table). */
#define TCP_ACCEPTED_SK "((struct socket *)curtask->files->fdt->fd[args.ret]->private_data)->sk"
/* TCP_ADDR_ARGS for a struct sock *$sk: local, remote, local v6, remote v6. */
#define TCP_SK_ADDR_ARGS                                                                                              \
	"ntop($sk->__sk_common.skc_rcv_saddr), ntop($sk->__sk_common.skc_daddr), "                                    \
	"ntop($sk->__sk_common.skc_v6_rcv_saddr.in6_u.u6_addr8), ntop($sk->__sk_common.skc_v6_daddr.in6_u.u6_addr8)"
/* The remote port of $sk in host order (skc_dport is in network order). */
#define TCP_SK_DPORT "((($sk->__sk_common.skc_dport & 0xff) << 8) | ($sk->__sk_common.skc_dport >> 8))"
/* $sk's network namespace, as `ls -l /proc/PID/ns/net` shows it. */
#define TCP_SK_NETNS "$sk->__sk_common.skc_net.net->ns.inum"

/* The two addresses of a record ending in TCP_ADDR_ARGS, as text: the IPv6 pair when v6. */
void tcp_record_addrs(struct session *s, const struct record *r, const uint8_t *data, int v6,
		      struct strbuf *src, struct strbuf *dst);

struct map_table;
/* Field i of a map's tuple key: as text (value_string: ntop, comm…), or as an integer. */
void tcp_key_text(struct session *s, const struct map_table *tb, const uint8_t *key, int i, struct strbuf *out);
int64_t tcp_key_int(const struct map_table *tb, const uint8_t *key, int i);

/* Events counted per flow (tcpconnect -c, tcpretrans -c): a key text and its count. */
struct tcp_flows {
	struct tcp_flow { char key[160]; long count; } *v;
	int n, cap;
};
void tcp_flows_add(struct tcp_flows *f, const char *key);
/* The rows, most counted first: the key, a blank, then the count in row_count's format ("%-10ld"). */
void tcp_flows_print(FILE *out, struct tcp_flows *f, const char *row_count);
void tcp_flows_free(struct tcp_flows *f);

/* The kernel's tick rate (CONFIG_HZ), which TCP's chrono times count in; -1 when it cannot be told. */
long tcp_kernel_hz(void);
/* The kernel's enum skb_drop_reason, read from its BTF: names without the SKB_DROP_REASON_ prefix. */
struct tcp_drop_reasons {
	struct tcp_drop_reason { long value; char *name; } *v;
	int n;
};
/* 0, or -1 when the kernel's BTF has no such enum. */
int tcp_drop_reasons_load(struct tcp_drop_reasons *r);
/* "NO_SOCKET", or the number as text when the kernel has no name for it (a static buffer). */
const char *tcp_drop_reason_name(const struct tcp_drop_reasons *r, long value);
void tcp_drop_reasons_free(struct tcp_drop_reasons *r);

/* "ESTABLISHED", "SYN_SENT" … as BCC prints them; "UNKNOWN" past the table. */
const char *tcp_state_name(long state);
/* A predicate for -L/-D PORT[,PORT…] (or LOW-HIGH ranges) on field (args.sport…), appended with &&; -1 on a bad list. */
int tcp_port_filter(struct strbuf *pred, const char *list, const char *field);
/* tcp_base_filter for a struct sock *$sk rather than the tracepoint's args. */
void tcp_sk_filter(struct strbuf *pred, int only4, int only6);
/* The script's common filter: TCP, and with only4/only6 one family. */
void tcp_base_filter(struct strbuf *pred, int only4, int only6);
#endif
