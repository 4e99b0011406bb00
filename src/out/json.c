/* JSON string escaping, matching bpftrace's -f json output. */
#include "out/json.h"

/* The short escapes bpftrace uses; every other byte below 0x20 is \u00XX. */
static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"': return "\\\"";
	case '\\': return "\\\\";
	case '\n': return "\\n";
	case '\r': return "\\r";
	case '\t': return "\\t";
	default: return NULL;
	}
}

void json_escape(struct strbuf *out, const char *s, size_t n)
{
	sb_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = short_escape(c);
		if (esc)
			sb_puts(out, esc);
		else if (c < 0x20)
			sb_printf(out, "\\u%04x", c);	/* lowercase hex, as bpftrace */
		else
			sb_putc(out, (char)c);
	}
	sb_putc(out, '"');
}
