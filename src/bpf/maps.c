#include "loader.h"
#include "../out/maptable.h"
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* BPFTRACE_MAX_MAP_KEYS is newer bpftrace's name, BPFTRACE_MAP_KEYS_MAX 0.17's; the first wins. */
uint32_t bpf_map_max_keys(const struct script *s)
{
	if (s->map_keys_max)
		return s->map_keys_max;
	static const char *const names[] = { "BPFTRACE_MAX_MAP_KEYS", "BPFTRACE_MAP_KEYS_MAX" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *env = getenv(names[i]);
		int v = env ? atoi(env) : 0;
		if (v > 0)
			return (uint32_t)v;
	}
	return 4096;
}

int bpf_create_maps(struct script *s, struct diag *d)
{
	for (int i = 0; i < s->maps.n; i++) {
		struct mapinfo *m = s->maps.v[i];
		if (!m->val)
			continue;	/* only named in a failed check */
		/* a tseries key holds the slot as a hist key its bucket; its "last value" is one for all CPUs */
		int bucketed = m->val->kind == TY_HIST || m->val->kind == TY_LHIST || m->val->kind == TY_TSERIES;
		m->percpu = type_is_agg(m->val) && m->val->kind != TY_TSERIES;
		m->key_size = (m->key ? m->key->size : 8) + (bucketed ? 8 : 0);
		m->value_size = m->val->size;
		char name[BPF_OBJ_NAME_LEN];
		snprintf(name, sizeof(name), "%s", m->name[1] ? m->name + 1 : "AT_");
		for (char *c = name; *c; c++)
			if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
				*c = '_';
		enum bpf_map_type type = m->percpu ? (m->lru ? BPF_MAP_TYPE_LRU_PERCPU_HASH : BPF_MAP_TYPE_PERCPU_HASH)
						   : (m->lru ? BPF_MAP_TYPE_LRU_HASH : BPF_MAP_TYPE_HASH);
		m->fd = bpf_map_create(type, name, (__u32)m->key_size, (__u32)m->value_size,
				       m->max_entries ? m->max_entries : bpf_map_max_keys(s), NULL);
		if (m->fd < 0) {
			int err = errno;
			if (err == EPERM || err == EACCES)
				diag_plain(d, "cannot create BPF maps: %s. sonde needs root or CAP_BPF and CAP_PERFMON", strerror(err));
			else
				diag_plain(d, "cannot create map %s (key %d bytes, value %d bytes): %s", m->name,
					   m->key_size, m->value_size, strerror(err));
			return -1;
		}
	}
	return 0;
}

void bpf_close_maps(struct script *s)
{
	for (int i = 0; i < s->maps.n; i++)
		if (s->maps.v[i]->fd >= 0) {
			close(s->maps.v[i]->fd);
			s->maps.v[i]->fd = -1;
		}
}

static int ncpus(void)
{
	static int n;
	if (!n)
		n = libbpf_num_possible_cpus();
	return n > 0 ? n : 1;
}

int bpf_ncpus(void)
{
	return ncpus();
}

/* Reads every entry of a script map into tb (initialised by the caller). */
void bpf_map_read_table(const struct mapinfo *m, struct map_table *tb)
{
	uint8_t *key = xcalloc(1, (size_t)m->key_size), *next = xcalloc(1, (size_t)m->key_size);
	size_t vsize = m->percpu ? (size_t)ncpus() * ALIGN8((size_t)m->value_size) : (size_t)m->value_size;
	uint8_t *vals = xmalloc(vsize);
	void *prev = NULL;
	int guard = 0;
	while (!bpf_map_get_next_key(m->fd, prev, next) && guard++ < 1000000) {
		if (!bpf_map_lookup_elem(m->fd, next, vals))
			map_table_add(tb, next, vals);
		memcpy(key, next, (size_t)m->key_size);
		prev = key;
	}
	map_table_finish(tb);
	free(key);
	free(next);
	free(vals);
}

/*
 * The same with BPF_MAP_LOOKUP_BATCH: a few system calls for the whole map
 * instead of two per key (scrapes read maps of 10 000 keys every second).
 * -1 when the kernel cannot (the caller reads key by key); entries added
 * during the walk may be missed, as with the key-by-key walk.
 */
int bpf_map_read_table_batch(const struct mapinfo *m, struct map_table *tb)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	if (m->fd < 0 || bpf_obj_get_info_by_fd(m->fd, &info, &len) || !info.max_entries)
		return -1;
	size_t ks = (size_t)m->key_size;
	size_t vsize = m->percpu ? (size_t)ncpus() * ALIGN8((size_t)m->value_size) : (size_t)m->value_size;
	/* room for every key in one call: a batch smaller than a hash bucket fails with ENOSPC */
	__u32 cap = info.max_entries;
	uint8_t *keys = xmalloc(ks * cap), *vals = xmalloc(vsize * cap);
	uint64_t batch_in = 0, batch_out = 0;	/* the kernel's u32 bucket cursor */
	void *in = NULL;
	int rc = 0;
	for (int guard = 0; guard < 1000000; guard++) {
		__u32 count = cap;
		int err = bpf_map_lookup_batch(m->fd, in, &batch_out, keys, vals, &count, NULL);
		if (err && errno != ENOENT) {
			rc = -1;
			break;
		}
		for (__u32 i = 0; i < count; i++)
			map_table_add(tb, keys + i * ks, vals + i * vsize);
		if (err)	/* ENOENT: the walk is over */
			break;
		batch_in = batch_out;
		in = &batch_in;
	}
	free(keys);
	free(vals);
	if (!rc)
		map_table_finish(tb);
	return rc;
}

static void for_each_key(const struct mapinfo *m, int zero)
{
	uint8_t *key = xcalloc(1, (size_t)m->key_size), *next = xcalloc(1, (size_t)m->key_size);
	size_t vsize = m->percpu ? (size_t)ncpus() * ALIGN8((size_t)m->value_size) : (size_t)m->value_size;
	uint8_t *zeros = xcalloc(1, vsize);
	int guard = 0;
	if (zero) {
		void *prev = NULL;
		while (!bpf_map_get_next_key(m->fd, prev, next) && guard++ < 1000000) {
			bpf_map_update_elem(m->fd, next, zeros, BPF_EXIST);
			memcpy(key, next, (size_t)m->key_size);
			prev = key;
		}
	} else {
		/* Deleting while walking restarts the walk; take the first key each time. */
		while (!bpf_map_get_next_key(m->fd, NULL, next) && guard++ < 1000000)
			bpf_map_delete_elem(m->fd, next);
	}
	free(key);
	free(next);
	free(zeros);
}

void bpf_map_clear(const struct mapinfo *m)
{
	if (m->fd >= 0)
		for_each_key(m, 0);
}

void bpf_map_zero(const struct mapinfo *m)
{
	if (m->fd >= 0)
		for_each_key(m, 1);
}
