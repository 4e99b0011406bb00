/* errorf, warnf, system and cat: where a printf-like record's text goes (sema/sema.h's enum printf_sink). */
#ifndef SONDE_SINKS_H
#define SONDE_SINKS_H
struct session;
struct record;

void sink_emit(struct session *s, const struct record *r, const char *text);

#endif
