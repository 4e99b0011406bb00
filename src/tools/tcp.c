#include "tcp.h"
#include "toolkit.h"
#include "../rt/session.h"
#include "../out/maptable.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <zlib.h>
#include <bpf/btf.h>

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
	for (char *tok = strtok_r(copy, ",", &save); tok && !bad; tok = strtok_r(NULL, ",", &save)) {
		long lo, hi;
		char *dash = strchr(tok, '-');
		if (dash)
			*dash = 0;
		if (tk_parse_long(tok, 1, 65535, &lo) || (dash && tk_parse_long(dash + 1, lo, 65535, &hi))) {
			bad = 1;
			break;
		}
		if (dash)
			sb_printf(pred, "%s(%s >= %ld && %s <= %ld)", n++ ? " || " : "", field, lo, field, hi);
		else
			sb_printf(pred, "%s%s == %ld", n++ ? " || " : "", field, lo);
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

void tcp_key_text(struct session *s, const struct map_table *tb, const uint8_t *key, int i, struct strbuf *out)
{
	value_string(out, &s->vc, tb->m->key->fields[i], key + tb->m->key->offs[i]);
}

int64_t tcp_key_int(const struct map_table *tb, const uint8_t *key, int i)
{
	const struct type *t = tb->m->key->fields[i];
	const uint8_t *p = key + tb->m->key->offs[i];
	uint64_t u = 0;
	memcpy(&u, p, t->size > 0 && t->size < 8 ? (size_t)t->size : 8);
	if (t->is_signed && t->size > 0 && t->size < 8 && (u >> (8 * t->size - 1)) & 1)
		u |= ~0ull << (8 * t->size);	/* sign-extend */
	return (int64_t)u;
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

/* CONFIG_HZ=N in a kernel config, plain or gzip (gzread reads both). */
static long hz_from_config(const char *path)
{
	gzFile f = gzopen(path, "rb");
	if (!f)
		return -1;
	char line[256];
	long hz = -1;
	while (hz < 0 && gzgets(f, line, sizeof(line)))
		if (!strncmp(line, "CONFIG_HZ=", 10))
			hz = strtol(line + 10, NULL, 10);
	gzclose(f);
	return hz;
}

/* The first "jiffies: N" of /proc/timer_list. */
static long long timer_list_jiffies(void)
{
	FILE *f = fopen("/proc/timer_list", "r");
	if (!f)
		return -1;
	char line[256];
	long long j = -1;
	while (j < 0 && fgets(line, sizeof(line), f))
		if (!strncmp(line, "jiffies: ", 9))
			j = atoll(line + 9);
	fclose(f);
	return j;
}

long tcp_kernel_hz(void)
{
	long hz = hz_from_config("/proc/config.gz");
	if (hz > 0)
		return hz;
	struct utsname u;
	char path[300];
	if (!uname(&u)) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		if ((hz = hz_from_config(path)) > 0)
			return hz;
	}
	/* no config: count the ticks of 200 ms and take the nearest usual rate */
	long long j0 = timer_list_jiffies();
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	nanosleep(&(struct timespec){ .tv_nsec = 200000000 }, NULL);
	long long j1 = timer_list_jiffies();
	uint64_t t1 = clock_ns(CLOCK_MONOTONIC);
	if (j0 < 0 || j1 <= j0)
		return -1;
	double measured = (double)(j1 - j0) * 1e9 / (double)(t1 - t0);
	static const long usual[] = { 100, 250, 300, 1000 };
	long best = usual[0];
	double best_off = 1e18;
	for (size_t i = 0; i < ARRAY_SIZE(usual); i++) {
		double off = measured > (double)usual[i] ? measured - (double)usual[i] : (double)usual[i] - measured;
		if (off < best_off)
			best = usual[i], best_off = off;
	}
	return best;
}

int tcp_drop_reasons_load(struct tcp_drop_reasons *r)
{
	*r = (struct tcp_drop_reasons){ 0 };
	struct btf *btf = btf__load_vmlinux_btf();
	if (!btf)
		return -1;
	int id = btf__find_by_name_kind(btf, "skb_drop_reason", BTF_KIND_ENUM);
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	if (!t) {
		btf__free(btf);
		return -1;
	}
	const struct btf_enum *e = btf_enum(t);
	r->n = btf_vlen(t);
	r->v = xcalloc((size_t)r->n, sizeof(*r->v));
	for (int i = 0; i < r->n; i++) {
		const char *name = btf__name_by_offset(btf, e[i].name_off);
		const char *prefix = "SKB_DROP_REASON_";
		if (name && !strncmp(name, prefix, strlen(prefix)))
			name += strlen(prefix);
		r->v[i].value = e[i].val;
		r->v[i].name = xstrdup(name ? name : "?");
	}
	btf__free(btf);
	return 0;
}

const char *tcp_drop_reason_name(const struct tcp_drop_reasons *r, long value)
{
	static char number[24];
	for (int i = 0; i < r->n; i++)
		if (r->v[i].value == value)
			return r->v[i].name;
	snprintf(number, sizeof(number), "%ld", value);
	return number;
}

void tcp_drop_reasons_free(struct tcp_drop_reasons *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->v[i].name);
	free(r->v);
	*r = (struct tcp_drop_reasons){ 0 };
}
