#include "tcp.h"
#include "toolkit.h"
#include "../rt/session.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *tcp_state_name(long state)
{
	static const char *const names[] = { "UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
					     "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK",
					     "LISTEN", "CLOSING", "NEW_SYN_RECV" };
	return state > 0 && state < (long)ARRAY_SIZE(names) ? names[state] : "UNKNOWN";
}

int tcp_port_filter(struct strbuf *pred, const char *list, const char *field)
{
	char *copy = xstrdup(list), *save = NULL;
	int n = 0, bad = 0;
	sb_puts(pred, " && (");
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		long v;
		if (tk_parse_long(tok, 1, 65535, &v)) {
			bad = 1;
			break;
		}
		sb_printf(pred, "%s%s == %ld", n++ ? " || " : "", field, v);
	}
	sb_putc(pred, ')');
	free(copy);
	return bad || !n ? -1 : 0;
}

void tcp_base_filter(struct strbuf *pred, int only4, int only6)
{
	sb_puts(pred, "args.protocol == 6");	/* IPPROTO_TCP */
	if (only4)
		sb_puts(pred, " && args.family == 2");
	if (only6)
		sb_puts(pred, " && args.family == 10");
}

void tcp_sk_filter(struct strbuf *pred, int only4, int only6)
{
	sb_puts(pred, "$sk->sk_protocol == 6 && ");
	sb_puts(pred, only4   ? "$sk->__sk_common.skc_family == 2"
		      : only6 ? "$sk->__sk_common.skc_family == 10"
			      : "($sk->__sk_common.skc_family == 2 || $sk->__sk_common.skc_family == 10)");
}

void tcp_record_addrs(struct session *s, const struct record *r, const uint8_t *data, int v6,
		      struct strbuf *src, struct strbuf *dst)
{
	int first = r->nargs - 4 + (v6 ? 2 : 0);
	value_string(src, &s->vc, r->args[first], data + r->offs[first]);
	value_string(dst, &s->vc, r->args[first + 1], data + r->offs[first + 1]);
}

void tcp_flows_add(struct tcp_flows *f, const char *key)
{
	int i = 0;
	while (i < f->n && strcmp(f->v[i].key, key))
		i++;
	if (i == f->n) {
		if (f->n == f->cap) {
			f->cap = f->cap ? 2 * f->cap : 16;
			f->v = xrealloc(f->v, (size_t)f->cap * sizeof(*f->v));
		}
		snprintf(f->v[i].key, sizeof(f->v[i].key), "%s", key);
		f->v[f->n++].count = 0;
	}
	f->v[i].count++;
}

static int by_count_desc(const void *a, const void *b)
{
	const struct tcp_flow *x = a, *y = b;
	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

void tcp_flows_print(FILE *out, struct tcp_flows *f, const char *row_count)
{
	if (f->n)
		qsort(f->v, (size_t)f->n, sizeof(*f->v), by_count_desc);
	for (int i = 0; i < f->n; i++) {
		fprintf(out, "%s ", f->v[i].key);
		fprintf(out, row_count, f->v[i].count);
		fputc('\n', out);
	}
}

void tcp_flows_free(struct tcp_flows *f)
{
	free(f->v);
	*f = (struct tcp_flows){ 0 };
}
