/* The ring buffer of records: open, poll on a timer, drain, dispatch. */
#ifndef SONDE_EVENTS_H
#define SONDE_EVENTS_H

struct session;
int events_open(struct session *s);
/* Waits up to timeout_ms, then consumes; returns how many records were handled. */
int events_poll(struct session *s, int timeout_ms);
void events_drain(struct session *s);
void events_close(struct session *s);

#endif
