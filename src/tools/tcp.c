#include "tcp.h"
#include "toolkit.h"
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
