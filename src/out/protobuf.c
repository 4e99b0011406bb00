/* Protocol buffers wire format, writing side only. */
#include "out/protobuf.h"
#include <string.h>

size_t pb_varint_len(uint64_t v)
{
	size_t n = 1;
	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

void pb_varint(struct strbuf *b, uint64_t v)
{
	char buf[10];
	size_t n = 0;
	while (v >= 0x80) {
		buf[n++] = (char)((v & 0x7f) | 0x80);
		v >>= 7;
	}
	buf[n++] = (char)v;
	sb_putn(b, buf, n);
}

void pb_tag(struct strbuf *b, int field, enum pb_wire wire)
{
	pb_varint(b, (uint64_t)field << 3 | wire);
}

void pb_uint(struct strbuf *b, int field, uint64_t v)
{
	if (!v)
		return;
	pb_tag(b, field, PB_VARINT);
	pb_varint(b, v);
}

void pb_bytes(struct strbuf *b, int field, const void *data, size_t n)
{
	pb_tag(b, field, PB_LEN);
	pb_varint(b, n);
	if (n)
		sb_putn(b, data, n);
}

void pb_packed(struct strbuf *b, int field, const uint64_t *v, size_t n)
{
	size_t len = 0;
	if (!n)
		return;
	for (size_t i = 0; i < n; i++)
		len += pb_varint_len(v[i]);
	pb_tag(b, field, PB_LEN);
	pb_varint(b, len);
	for (size_t i = 0; i < n; i++)
		pb_varint(b, v[i]);
}

void pb_double(struct strbuf *b, int field, double v)
{
	uint64_t bits;
	char buf[8];
	memcpy(&bits, &v, 8);
	for (int i = 0; i < 8; i++)
		buf[i] = (char)(bits >> (8 * i));
	pb_tag(b, field, PB_I64);
	sb_putn(b, buf, 8);
}

uint64_t pb_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}
