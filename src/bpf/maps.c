#include "loader.h"
#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int max_keys(void)
{
	const char *env = getenv("BPFTRACE_MAP_KEYS_MAX");
	int v = env ? atoi(env) : 0;
	return v > 0 ? v : 4096;
}

int bpf_create_maps(struct script *s, struct diag *d)
{
	for (int i = 0; i < s->maps.n; i++) {
		struct mapinfo *m = s->maps.v[i];
		if (!m->val)
			continue;	/* only named in a failed check */
		int bucketed = m->val->kind == TY_HIST || m->val->kind == TY_LHIST;
		m->percpu = type_is_agg(m->val);
		m->key_size = (m->key ? m->key->size : 8) + (bucketed ? 8 : 0);
		m->value_size = m->val->size;
		char name[BPF_OBJ_NAME_LEN];
		snprintf(name, sizeof(name), "%s", m->name[1] ? m->name + 1 : "AT_");
		for (char *c = name; *c; c++)
			if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
				*c = '_';
		m->fd = bpf_map_create(m->percpu ? BPF_MAP_TYPE_PERCPU_HASH : BPF_MAP_TYPE_HASH, name,
				       (__u32)m->key_size, (__u32)m->value_size, (__u32)max_keys(), NULL);
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
