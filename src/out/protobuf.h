/*
 * Just enough of the protocol buffers wire format to write a message: varints,
 * length-delimited fields (strings, nested messages) and packed repeated
 * integers, appended to a strbuf. Nested messages are built in their own
 * buffer and then added with pb_bytes(), since the length comes first.
 */
#ifndef SONDE_PROTOBUF_H
#define SONDE_PROTOBUF_H
#include "util/util.h"
#include <stddef.h>
#include <stdint.h>

enum pb_wire { PB_VARINT = 0, PB_I64 = 1, PB_LEN = 2 };

size_t pb_varint_len(uint64_t v);
void pb_varint(struct strbuf *b, uint64_t v);
void pb_tag(struct strbuf *b, int field, enum pb_wire wire);
/* An integer field; omitted when 0, its default. int64 fields pass their
 * two's-complement bits (a negative value takes ten bytes). */
void pb_uint(struct strbuf *b, int field, uint64_t v);
/* A string, bytes or nested message field; written even when empty. */
void pb_bytes(struct strbuf *b, int field, const void *data, size_t n);
/* A double field (little-endian IEEE 754), written even when 0. */
void pb_double(struct strbuf *b, int field, double v);
/* sint32/sint64's zigzag encoding: small negative numbers stay short. */
uint64_t pb_zigzag(int64_t v);
/* A packed repeated integer field; omitted when N is 0. */
void pb_packed(struct strbuf *b, int field, const uint64_t *v, size_t n);

#endif
