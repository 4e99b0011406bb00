/* Records from BPF, formatted in user space from the table sema built. */
#include "events.h"
#include "../sym/resolve.h"
#include "session.h"
#include "metrics.h"
#include "cgroup.h"
#include "sinks.h"
#include "../out/format.h"
#include "../out/json.h"
#include "../out/mapprint.h"
#include "../bpf/loader.h"
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <time.h>

/* A record's text, or with -f json its object; cgroup (--label-cgroup) adds a field. */
static void emit_in(struct session *s, const char *type, struct strbuf *text, const char *cgroup)
{
	if (!s->o.json) {
		fwrite(sb_str(text), 1, text->len, s->out);
		return;
	}
	fprintf(s->out, "{\"type\": \"%s\", \"data\": ", type);
	struct strbuf j = { 0 };
	json_escape(&j, sb_str(text), text->len);
	if (cgroup) {
		sb_puts(&j, ", \"cgroup\": ");
		json_escape(&j, cgroup, strlen(cgroup));
	}
	fprintf(s->out, "%s}\n", sb_str(&j));
	sb_free(&j);
}

static void emit(struct session *s, const char *type, struct strbuf *text)
{
	emit_in(s, type, text, NULL);
}

/* The hot path at a million records a second: buffers are reused, not allocated. */
static void do_printf(struct session *s, const struct record *r, const uint8_t *data)
{
	if (s->o.on_printf) {
		s->o.on_printf(s, r, data, s->o.at_exit_arg);
		return;
	}
	struct fmt_value vals[FMT_MAX_CONV] = { 0 };
	for (int i = 0; i < r->nargs; i++) {
		const struct type *t = r->args[i];
		if (i < r->spec.nconv && r->spec.conv[i].kind == FMT_STR) {
			sb_reset(&s->args[i]);
			value_string(&s->args[i], &s->vc, t, data + r->offs[i]);
			vals[i].s = sb_str(&s->args[i]);
		} else {
			memcpy(&vals[i].i, data + r->offs[i], 8);
		}
	}
	sb_reset(&s->line);
	fmt_render(&s->line, r->fmt, vals, r->nargs);
	if (r->sink) {	/* errorf, warnf, system, cat */
		sink_emit(s, r, sb_str(&s->line));
		return;
	}
	if (s->o.json && s->o.label_cgroup && r->nargs > r->spec.nconv) {
		/* --label-cgroup: the hidden last argument is the event's cgroup */
		struct strbuf cg = { 0 };
		cgroup_label((uint64_t)vals[r->nargs - 1].i, &cg);
		emit_in(s, "printf", &s->line, sb_str(&cg));
		sb_free(&cg);
		return;
	}
	emit(s, "printf", &s->line);
}

static void do_time(struct session *s, const struct record *r)
{
	char buf[256];
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	size_t n = strftime(buf, sizeof(buf), r->fmt, &tm);
	struct strbuf out = { 0 };
	sb_putn(&out, buf, n);
	emit(s, "time", &out);
	sb_free(&out);
}

static void do_join(struct session *s, const struct record *r, const uint8_t *data)
{
	uint64_t n;
	memcpy(&n, data + 8, 8);
	struct strbuf out = { 0 };
	for (uint64_t i = 0; i < n && i < JOIN_MAX_ARGS; i++) {
		const char *str = (const char *)data + 16 + i * (size_t)sonde_strlen;
		if (i)
			sb_puts(&out, r->fmt);
		sb_putn(&out, str, strnlen(str, (size_t)sonde_strlen));
	}
	/* bpftrace's JSON join record has no trailing newline */
	if (!s->o.json)
		sb_putc(&out, '\n');
	emit(s, "join", &out);
	sb_free(&out);
}

static void do_print_value(struct session *s, const struct record *r, const uint8_t *data)
{
	struct strbuf out = { 0 };
	if (s->o.json) {
		sb_puts(&out, "{\"type\": \"value\", \"data\": ");
		value_json(&out, &s->vc, r->args[0], data + r->offs[0]);
		sb_puts(&out, "}\n");
	} else {
		value_text(&out, &s->vc, r->args[0], data + r->offs[0], 0);
		sb_putc(&out, '\n');
	}
	fputs(sb_str(&out), s->out);
	sb_free(&out);
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	uint64_t id;
	if (size < 8 || s->exit_seen)
		return 0;
	memcpy(&id, data, 8);
	if (id == REC_ID_SNAPSHOT && size == 16) {
		uint64_t pid;
		memcpy(&pid, (const uint8_t *)data + 8, 8);
		sym_user_snapshot(s->vc.syms, (int)pid);
		return 0;
	}
	if (id == REC_ID_READ_FAILED && size == 24) {
		int64_t err;
		uint64_t place;
		memcpy(&err, (const uint8_t *)data + 8, 8);
		memcpy(&place, (const uint8_t *)data + 16, 8);
		struct span sp = { (int)(place >> 48), (int)(place >> 32 & 0xffff), (int)(place >> 16 & 0xffff),
				   (int)(place & 0xffff) };
		fflush(s->out);	/* after the output of the events before it */
		diag_warn(&s->diag, sp, "Failed to read user memory: %s (%lld)", strerror((int)-err), (long long)err);
		return 0;
	}
	if (id >= (uint64_t)s->script.records.n)
		return 0;
	const struct record *r = s->script.records.v[id];
	if (size > (size_t)r->size)
		return 0;
	/* A trimmed record's missing tail is the string's zero padding. */
	if (size < (size_t)r->size) {
		if (s->padded_cap < (size_t)r->size) {
			s->padded_cap = (size_t)r->size;
			s->padded = xrealloc(s->padded, s->padded_cap);
		}
		memcpy(s->padded, data, size);
		memset(s->padded + size, 0, (size_t)r->size - size);
		data = s->padded;
	}
	struct map_print_opts po = { .json = s->o.json, .top = r->top, .div = r->div, .empty_scalar_as_zero = !s->o.generated };
	struct strbuf out = { 0 };
	switch (r->kind) {
	case REC_PRINTF:
		do_printf(s, r, data);
		break;
	case REC_TIME:
		do_time(s, r);
		break;
	case REC_JOIN:
		do_join(s, r, data);
		break;
	case REC_PRINT_VAL:
		do_print_value(s, r, data);
		break;
	case REC_PRINT_MAP:
		session_print_map(s, &out, r->map, &po);
		fputs(sb_str(&out), s->out);
		break;
	case REC_CLEAR:
		if (!metrics_clear(s, r->map, 0))
			bpf_map_clear(r->map);
		break;
	case REC_ZERO:
		metrics_clear(s, r->map, 1);
		bpf_map_zero(r->map);
		break;
	case REC_EXIT:
		memcpy(&id, (const uint8_t *)data + r->offs[0], 8);
		s->exit_code = (int)(int64_t)id;
		s->exiting = s->exit_seen = 1;
		break;
	}
	sb_free(&out);
	return 0;
}

/* exit() whose record the ring buffer had no room for still stops the run. */
static void check_exit_flag(struct session *s)
{
	uint32_t key = 0;
	int64_t v[2];
	if (s->exiting || s->exit_fd < 0 || bpf_map_lookup_elem(s->exit_fd, &key, v) || !v[0])
		return;
	s->exiting = 1;
	s->exit_code = (int)v[1];
}

int events_open(struct session *s)
{
	s->rb = ring_buffer__new(s->ringbuf_fd, on_record, s, NULL);
	if (!s->rb) {
		diag_plain(&s->diag, "cannot open the ring buffer");
		return -1;
	}
	return 0;
}

/* --metrics: a scrape ends the wait too (the ring buffer's epoll fd is readable when it has data). */
static int wait_or_scrape(struct session *s, int timeout_ms)
{
	struct pollfd p[2] = {
		{ .fd = ring_buffer__epoll_fd(s->rb), .events = POLLIN },
		{ .fd = metrics_wake_fd(s->metrics), .events = POLLIN },
	};
	poll(p, 2, timeout_ms);
	return 0;
}

int events_poll(struct session *s, int timeout_ms)
{
	/* Records arrive without wake-ups: consume whatever the wait brought or not. */
	int n = s->metrics ? wait_or_scrape(s, timeout_ms) : ring_buffer__poll(s->rb, timeout_ms);
	int m = ring_buffer__consume(s->rb);
	check_exit_flag(s);
	if (s->o.buffering == BUF_LINE)
		fflush(s->out);
	return (n > 0 ? n : 0) + (m > 0 ? m : 0);
}

void events_drain(struct session *s)
{
	if (s->rb)
		ring_buffer__consume(s->rb);
	check_exit_flag(s);
	if (s->o.buffering == BUF_LINE)
		fflush(s->out);
}

void events_close(struct session *s)
{
	ring_buffer__free(s->rb);
	s->rb = NULL;
}
