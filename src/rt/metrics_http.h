/*
 * --metrics' HTTP server (libmicrohttpd, a thread per connection). Pages are
 * not rendered here: a scrape wakes the event loop through an eventfd and
 * waits for the page the loop renders, so maps are read on the thread that
 * also prints and clears them.
 */
#ifndef SONDE_METRICS_HTTP_H
#define SONDE_METRICS_HTTP_H
#include "../out/prometheus.h"
#include <stddef.h>

#define METRICS_DEFAULT_HOST "127.0.0.1"
#define METRICS_DEFAULT_PORT "9435"

struct metrics_http;

/* Whether a command-line word reads as an address (PORT, :PORT, HOST:PORT, [V6]:PORT), not a file. */
int metrics_addr_like(const char *s);
/*
 * Binds ADDR (NULL: 127.0.0.1:9435; PORT or :PORT: loopback; HOST:PORT,
 * [V6]:PORT as given) and serves: `/` is INDEX (text), `/metrics` what the
 * event loop publishes. NULL with the reason in err. `bound` gets the
 * address actually bound ("127.0.0.1:9435"; port 0 picks one).
 */
struct metrics_http *metrics_http_start(const char *addr, const char *index, char *err, size_t errlen,
					char *bound, size_t boundlen);
/* Readable while a scrape waits for a page. */
int metrics_http_wake_fd(const struct metrics_http *h);
/* The formats (1 << enum prom_format) scrapes wait for; clears the wake-up. */
unsigned metrics_http_pending(struct metrics_http *h);
/* Hands a rendered page to the scrapes waiting for format f; takes page's memory. */
void metrics_http_publish(struct metrics_http *h, enum prom_format f, struct strbuf *page);
/* Stops serving (waiting scrapes get 503), joins the threads, frees. */
void metrics_http_stop(struct metrics_http *h);

#endif
