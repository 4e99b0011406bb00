#include "metrics_http.h"
#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* A scrape waits this long for the event loop (busy in BEGIN, or attaching) before a 503. */
#define SCRAPE_WAIT_S 10

/*
 * libmicrohttpd is opened when --metrics is asked for, not linked: it brings
 * GnuTLS and its kin, which doubled the RSS of every sonde run (3 → 6 MB).
 */
static struct {
	int tried;
	struct MHD_Daemon *(*start_daemon)(unsigned int flags, uint16_t port, MHD_AcceptPolicyCallback apc,
					   void *apc_cls, MHD_AccessHandlerCallback dh, void *dh_cls, ...);
	void (*stop_daemon)(struct MHD_Daemon *d);
	struct MHD_Response *(*response_from_buffer)(size_t size, void *buffer, enum MHD_ResponseMemoryMode mode);
	enum MHD_Result (*add_header)(struct MHD_Response *r, const char *header, const char *content);
	enum MHD_Result (*queue_response)(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r);
	void (*destroy_response)(struct MHD_Response *r);
	const char *(*lookup_value)(struct MHD_Connection *c, enum MHD_ValueKind kind, const char *key);
} mhd;

static int mhd_load(char *err, size_t errlen)
{
	if (!mhd.tried) {
		mhd.tried = 1;
		void *lib = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
		if (!lib)
			lib = dlopen("libmicrohttpd.so", RTLD_NOW | RTLD_LOCAL);
		if (lib) {
			*(void **)&mhd.start_daemon = dlsym(lib, "MHD_start_daemon");
			*(void **)&mhd.stop_daemon = dlsym(lib, "MHD_stop_daemon");
			*(void **)&mhd.response_from_buffer = dlsym(lib, "MHD_create_response_from_buffer");
			*(void **)&mhd.add_header = dlsym(lib, "MHD_add_response_header");
			*(void **)&mhd.queue_response = dlsym(lib, "MHD_queue_response");
			*(void **)&mhd.destroy_response = dlsym(lib, "MHD_destroy_response");
			*(void **)&mhd.lookup_value = dlsym(lib, "MHD_lookup_connection_value");
		}
	}
	if (mhd.start_daemon && mhd.stop_daemon && mhd.response_from_buffer && mhd.add_header && mhd.queue_response &&
	    mhd.destroy_response && mhd.lookup_value)
		return 0;
	snprintf(err, errlen, "the HTTP server library libmicrohttpd is missing (Debian: apt-get install libmicrohttpd12)");
	return -1;
}

struct metrics_http {
	struct MHD_Daemon *daemon;
	int listen_fd, wake_fd;
	char *index;
	pthread_mutex_t lock;
	pthread_cond_t served_cond;
	/* per format: scrapes asked for, pages published (a page answers every request before it) */
	uint64_t requested[PROM_FORMATS], served[PROM_FORMATS];
	uint64_t target[PROM_FORMATS];	/* what the page being rendered will answer */
	unsigned want;
	struct strbuf page[PROM_FORMATS];
	int stopping;
};

static int all_digits(const char *s, size_t n)
{
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int metrics_addr_like(const char *s)
{
	const char *colon = strrchr(s, ':');
	if (!colon)
		return all_digits(s, strlen(s));
	return all_digits(colon + 1, strlen(colon + 1)) && s[0] != '-' && !strchr(s, '/');
}

/* ADDR → host and port strings (host without brackets); -1 when malformed. */
static int split_addr(const char *addr, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon = strrchr(addr, ':');
	const char *p = colon ? colon + 1 : addr;
	size_t n = colon ? (size_t)(colon - addr) : 0;
	size_t pn = strlen(p);
	if (!all_digits(p, pn) || pn > 5 || pn >= plen || atoi(p) > 65535)
		return -1;
	memcpy(port, p, pn + 1);
	if (n >= 2 && addr[0] == '[' && addr[n - 1] == ']') {
		addr++;
		n -= 2;
	} else if (memchr(addr, ':', n) || memchr(addr, '[', n)) {
		return -1;	/* an IPv6 address needs its brackets */
	}
	if (n == 0)	/* PORT or :PORT: loopback, never every interface by accident */
		snprintf(host, hlen, "%s", METRICS_DEFAULT_HOST);
	else if (n < hlen)
		snprintf(host, hlen, "%.*s", (int)n, addr);
	else
		return -1;
	return 0;
}

static int bind_addr(const char *addr, char *err, size_t errlen, char *bound, size_t boundlen)
{
	char host[256], port[8];
	if (split_addr(addr, host, sizeof(host), port, sizeof(port))) {
		snprintf(err, errlen, "bad address '%s': expected PORT, HOST:PORT or [IPV6]:PORT (port 0 to 65535)", addr);
		return -1;
	}
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV }, *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc) {
		snprintf(err, errlen, "bad address '%s': %s", addr, gai_strerror(rc));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int one = 1;
	/* SO_REUSEADDR: a restart is not refused for the last run's TIME_WAIT
	 * connections; a port another process listens on still is */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64)) {
		int e = errno;
		snprintf(err, errlen, strchr(host, ':') ? "cannot listen on [%s]:%s: %s%s" : "cannot listen on %s:%s: %s%s",
			 host, port, strerror(e),
			 e == EADDRINUSE ? " (another program, or another sonde --metrics, serves there: give another port)"
			 : e == EADDRNOTAVAIL ? " (no interface of this host has that address)" : "");
		if (fd >= 0)
			close(fd);
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	char h[INET6_ADDRSTRLEN] = "?";
	int p = 0;
	if (!getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		if (ss.ss_family == AF_INET6) {
			struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
			inet_ntop(AF_INET6, &s6->sin6_addr, h, sizeof(h));
			p = ntohs(s6->sin6_port);
		} else {
			struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
			inet_ntop(AF_INET, &s4->sin_addr, h, sizeof(h));
			p = ntohs(s4->sin_port);
		}
	}
	snprintf(bound, boundlen, ss.ss_family == AF_INET6 ? "[%s]:%d" : "%s:%d", h, p);
	return fd;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, char *body, size_t len)
{
	struct MHD_Response *r = mhd.response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	mhd.add_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	enum MHD_Result rc = mhd.queue_response(c, status, r);
	mhd.destroy_response(r);
	return rc;
}

/* Asks the event loop for a page in format f and waits for it; NULL on a timeout or at shutdown. */
static char *await_page(struct metrics_http *h, enum prom_format f, size_t *len)
{
	struct timespec deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += SCRAPE_WAIT_S;
	char *page = NULL;
	uint64_t one = 1;
	pthread_mutex_lock(&h->lock);
	uint64_t mine = ++h->requested[f];
	h->want |= 1u << f;
	if (write(h->wake_fd, &one, sizeof(one)) < 0) {
		/* the counter cannot overflow in practice; the loop also polls */
	}
	while (h->served[f] < mine && !h->stopping)
		if (pthread_cond_timedwait(&h->served_cond, &h->lock, &deadline) == ETIMEDOUT)
			break;
	if (h->served[f] >= mine) {
		*len = h->page[f].len;
		page = xmalloc(*len + 1);
		memcpy(page, h->page[f].s ? h->page[f].s : "", *len);
	}
	pthread_mutex_unlock(&h->lock);
	return page;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct metrics_http *h = cls;
	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", xstrdup("GET only\n"), 9);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/plain; charset=utf-8", xstrdup(h->index), strlen(h->index));
	if (strcmp(url, "/metrics")) {
		static const char msg[] = "not found: the metrics are at /metrics\n";
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", xstrdup(msg), sizeof(msg) - 1);
	}
	enum prom_format f = prom_negotiate(mhd.lookup_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT));
	size_t len = 0;
	char *page = await_page(h, f, &len);
	if (!page) {
		static const char msg[] = "sonde is busy (starting, attaching or stopping): try again\n";
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", xstrdup(msg), sizeof(msg) - 1);
	}
	static const char *const types[] = {
		[PROM_TEXT] = PROM_TEXT_TYPE, [PROM_OPENMETRICS] = PROM_OPENMETRICS_TYPE, [PROM_PROTOBUF] = PROM_PROTOBUF_TYPE,
	};
	return reply(c, MHD_HTTP_OK, types[f], page, len);
}

struct metrics_http *metrics_http_start(const char *addr, const char *index, char *err, size_t errlen,
					char *bound, size_t boundlen)
{
	if (mhd_load(err, errlen))
		return NULL;
	int fd = bind_addr(addr ? addr : METRICS_DEFAULT_HOST ":" METRICS_DEFAULT_PORT, err, errlen, bound, boundlen);
	if (fd < 0)
		return NULL;
	struct metrics_http *h = xcalloc(1, sizeof(*h));
	h->listen_fd = fd;
	h->index = xstrdup(index);
	h->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->served_cond, &ca);
	pthread_condattr_destroy(&ca);
	/* the server's threads inherit this mask: SIGINT and SIGTERM stay the event loop's */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	if (h->wake_fd >= 0)
		h->daemon = mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
					     0, NULL, NULL, on_request, h, MHD_OPTION_LISTEN_SOCKET, fd,
					     MHD_OPTION_CONNECTION_LIMIT, 32u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
					     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!h->daemon) {
		snprintf(err, errlen, "cannot start the HTTP server on %s: %s", bound, strerror(errno));
		metrics_http_stop(h);
		return NULL;
	}
	return h;
}

int metrics_http_wake_fd(const struct metrics_http *h)
{
	return h->wake_fd;
}

unsigned metrics_http_pending(struct metrics_http *h)
{
	uint64_t n;
	if (read(h->wake_fd, &n, sizeof(n)) < 0) {
		/* EAGAIN: nobody asked since last time */
	}
	pthread_mutex_lock(&h->lock);
	unsigned want = h->want;
	/* the pages rendered next read the maps after these requests came */
	h->want = 0;
	for (int f = 0; f < PROM_FORMATS; f++)
		h->target[f] = h->requested[f];
	pthread_mutex_unlock(&h->lock);
	return want;
}

void metrics_http_publish(struct metrics_http *h, enum prom_format f, struct strbuf *page)
{
	pthread_mutex_lock(&h->lock);
	sb_free(&h->page[f]);
	h->page[f] = *page;
	*page = (struct strbuf){ 0 };
	h->served[f] = h->target[f];
	pthread_cond_broadcast(&h->served_cond);
	pthread_mutex_unlock(&h->lock);
}

void metrics_http_stop(struct metrics_http *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stopping = 1;
	pthread_cond_broadcast(&h->served_cond);
	pthread_mutex_unlock(&h->lock);
	if (h->daemon)
		mhd.stop_daemon(h->daemon);	/* closes the listening socket too */
	else
		close(h->listen_fd);
	if (h->wake_fd >= 0)
		close(h->wake_fd);
	pthread_mutex_destroy(&h->lock);
	pthread_cond_destroy(&h->served_cond);
	for (int f = 0; f < PROM_FORMATS; f++)
		sb_free(&h->page[f]);
	free(h->index);
	free(h);
}
