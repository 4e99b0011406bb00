/*
 * pprof profiles: the profile.proto message, encoded by hand (out/protobuf.c)
 * and gzip'd. Each stack is turned into location ids and encoded as a Sample
 * as soon as it is added, so only the encoded samples and the deduplicated
 * tables stay in memory; pprof_write() streams the rest after them.
 */
#include "out/pprof.h"
#include "out/protobuf.h"
#include "util/util.h"
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* Field numbers of profile.proto, per message. */
enum { PROFILE_SAMPLE_TYPE = 1, PROFILE_SAMPLE, PROFILE_MAPPING, PROFILE_LOCATION,
       PROFILE_FUNCTION, PROFILE_STRING_TABLE, PROFILE_DROP_FRAMES, PROFILE_KEEP_FRAMES,
       PROFILE_TIME_NANOS, PROFILE_DURATION_NANOS, PROFILE_PERIOD_TYPE, PROFILE_PERIOD,
       PROFILE_COMMENT, PROFILE_DEFAULT_SAMPLE_TYPE };
enum { VALUE_TYPE_TYPE = 1, VALUE_TYPE_UNIT };
enum { SAMPLE_LOCATION_ID = 1, SAMPLE_VALUE, SAMPLE_LABEL };
enum { LABEL_KEY = 1, LABEL_STR, LABEL_NUM };
enum { MAPPING_ID = 1, MAPPING_MEMORY_START, MAPPING_MEMORY_LIMIT, MAPPING_FILE_OFFSET,
       MAPPING_FILENAME, MAPPING_BUILD_ID, MAPPING_HAS_FUNCTIONS };
enum { LOCATION_ID = 1, LOCATION_MAPPING_ID, LOCATION_ADDRESS, LOCATION_LINE };
enum { LINE_FUNCTION_ID = 1, LINE_LINE };
enum { FUNCTION_ID = 1, FUNCTION_NAME, FUNCTION_SYSTEM_NAME, FUNCTION_FILENAME, FUNCTION_START_LINE };

#define KERNEL_MODULE "[kernel.kallsyms]"
/* On x86-64 and arm64 no user space address has the top bit set. */
#define KERNEL_START (1ull << 63)

/* Strings used by every profile, interned first so their indexes are fixed. */
enum { S_EMPTY, S_SAMPLES, S_COUNT, S_CPU, S_NANOSECONDS, S_PID, S_COMM };
static const char *const fixed_strings[] = { "", "samples", "count", "cpu", "nanoseconds", "pid", "comm" };

/* Open addressing over one of the tables below: deduplication must stay
 * linear, a profile can bring 100k stacks of 127 frames. */
struct index {
	struct slot {
		uint32_t pos;	/* 0: empty; else 1 + the entry's position */
		uint32_t hash;	/* kept to compare cheaply and grow without rehashing */
	} *slot;
	uint32_t cap, n;	/* cap is a power of two, kept above 2n */
};

/* Keys are all-uint64 structs, so they compare and hash bytewise (no padding). */
struct mapping {
	struct mapping_key { uint64_t file, start, end, pgoff; } key;
	bool has_functions;
};
struct function {
	struct function_key { uint64_t name, module, file, start_line; } key;
};
struct location {
	/* name is in the key so frames known by name only (address 0) stay apart */
	struct location_key { uint64_t mapping, addr, name, line; } key;
	uint64_t function;
};

struct pprof {
	uint64_t period_ns, time_ns, duration_ns;
	char *main_file;	/* written first: what pprof names the profile after */
	VEC(char *) strings;
	VEC(struct mapping) mappings;
	VEC(struct function) functions;
	VEC(struct location) locations;
	struct index string_ix, mapping_ix, function_ix, location_ix;
	struct strbuf samples;	/* the Sample fields, encoded */
	struct strbuf msg;	/* scratch: one sample or table entry */
	VEC(uint64_t) ids;	/* scratch: one sample's location ids */
};

static uint32_t hash_bytes(const void *data, size_t n)
{
	const unsigned char *s = data;
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ull;
	return (uint32_t)(h ^ h >> 32);
}

static void index_grow(struct index *ix)
{
	uint32_t cap = ix->cap ? 2 * ix->cap : 64;
	struct slot *slot = xcalloc(cap, sizeof(*slot));
	for (uint32_t i = 0; i < ix->cap; i++) {
		if (!ix->slot[i].pos)
			continue;
		uint32_t j = ix->slot[i].hash & (cap - 1);
		while (slot[j].pos)
			j = (j + 1) & (cap - 1);
		slot[j] = ix->slot[i];
	}
	free(ix->slot);
	ix->slot = slot;
	ix->cap = cap;
}

typedef bool match_fn(const struct pprof *p, uint32_t pos, const void *key);

/* The slot holding the entry MATCH accepts, or the empty slot where it goes
 * (room is made first, so the slot stays valid for index_add). */
static struct slot *index_find(struct index *ix, uint32_t hash, match_fn *match,
			       const struct pprof *p, const void *key)
{
	if (2 * (ix->n + 1) > ix->cap)
		index_grow(ix);
	uint32_t j = hash & (ix->cap - 1);
	while (ix->slot[j].pos && !(ix->slot[j].hash == hash && match(p, ix->slot[j].pos - 1, key)))
		j = (j + 1) & (ix->cap - 1);
	return &ix->slot[j];
}

static void index_add(struct index *ix, struct slot *slot, uint32_t hash, uint32_t pos)
{
	*slot = (struct slot){ pos + 1, hash };
	ix->n++;
}

static bool string_match(const struct pprof *p, uint32_t pos, const void *key)
{
	return strcmp(p->strings.v[pos], key) == 0;
}

static bool mapping_match(const struct pprof *p, uint32_t pos, const void *key)
{
	return !memcmp(&p->mappings.v[pos].key, key, sizeof(struct mapping_key));
}

static bool function_match(const struct pprof *p, uint32_t pos, const void *key)
{
	return !memcmp(&p->functions.v[pos].key, key, sizeof(struct function_key));
}

static bool location_match(const struct pprof *p, uint32_t pos, const void *key)
{
	return !memcmp(&p->locations.v[pos].key, key, sizeof(struct location_key));
}

/* Index of S in the string table. */
static uint64_t string_id(struct pprof *p, const char *s)
{
	uint32_t h = hash_bytes(s, strlen(s));
	struct slot *slot = index_find(&p->string_ix, h, string_match, p, s);
	if (!slot->pos) {
		VEC_PUSH(p->strings, xstrdup(s));
		index_add(&p->string_ix, slot, h, p->strings.n - 1);
	}
	return slot->pos - 1;
}

/* Mapping ids, like function and location ids, count from 1: 0 means none. */
static uint64_t mapping_id(struct pprof *p, const struct mapping_key *k)
{
	uint32_t h = hash_bytes(k, sizeof(*k));
	struct slot *slot = index_find(&p->mapping_ix, h, mapping_match, p, k);
	if (!slot->pos) {
		VEC_PUSH(p->mappings, ((struct mapping){ .key = *k }));
		index_add(&p->mapping_ix, slot, h, p->mappings.n - 1);
	}
	return slot->pos;
}

static uint64_t function_id(struct pprof *p, const struct function_key *k)
{
	uint32_t h = hash_bytes(k, sizeof(*k));
	struct slot *slot = index_find(&p->function_ix, h, function_match, p, k);
	if (!slot->pos) {
		VEC_PUSH(p->functions, ((struct function){ .key = *k }));
		index_add(&p->function_ix, slot, h, p->functions.n - 1);
	}
	return slot->pos;
}

/* A frame's location; its function and mapping are made with it. */
static uint64_t location_id(struct pprof *p, const struct pprof_frame *f)
{
	const char *module = f->module;
	if (!module && f->addr >= KERNEL_START)
		module = KERNEL_MODULE;
	uint64_t file = module ? string_id(p, module) : 0;
	struct mapping_key mk = { file, f->map_start, f->map_end, f->map_pgoff };
	bool unmapped = !file && !mk.start && !mk.end && !mk.pgoff;
	struct location_key lk = {
		.mapping = unmapped ? 0 : mapping_id(p, &mk),
		.addr = f->addr,
		.name = f->name ? string_id(p, f->name) : 0,
		.line = f->line > 0 ? (uint64_t)f->line : 0,
	};
	uint32_t h = hash_bytes(&lk, sizeof(lk));
	struct slot *slot = index_find(&p->location_ix, h, location_match, p, &lk);
	if (slot->pos)
		return slot->pos;

	/* A frame without a name is still told apart by its address: pprof
	 * would otherwise merge all of a file's unknown frames into one
	 * "[file]" entry. The mapping keeps has_functions unset unless some
	 * frame in it has a real name, so pprof may still symbolize it. */
	struct function_key fk = { lk.name, file, f->file ? string_id(p, f->file) : 0,
				   f->start_line > 0 ? (uint64_t)f->start_line : 0 };
	if (!f->name && f->addr) {
		char hex[24];
		snprintf(hex, sizeof(hex), "0x%" PRIx64, f->addr);
		fk.name = string_id(p, hex);
	}
	struct location loc = { .key = lk, .function = fk.name ? function_id(p, &fk) : 0 };
	if (f->name && lk.mapping)
		p->mappings.v[lk.mapping - 1].has_functions = true;
	/* string_id() and function_id() above do not touch location_ix */
	VEC_PUSH(p->locations, loc);
	index_add(&p->location_ix, slot, h, p->locations.n - 1);
	return slot->pos;
}

struct pprof *pprof_new(uint64_t period_ns)
{
	struct pprof *p = xcalloc(1, sizeof(*p));
	struct timespec ts;
	p->period_ns = period_ns;
	if (clock_gettime(CLOCK_REALTIME, &ts) == 0)
		p->time_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	for (size_t i = 0; i < ARRAY_SIZE(fixed_strings); i++)
		string_id(p, fixed_strings[i]);
	return p;
}

void pprof_set_duration(struct pprof *p, uint64_t duration_ns)
{
	if (p)
		p->duration_ns = duration_ns;
}

/* Appends the message built in p->msg to OUT as field FIELD; p->msg is
 * left empty for the next one. */
static void put_msg(struct pprof *p, struct strbuf *out, int field)
{
	pb_bytes(out, field, p->msg.s, p->msg.len);
	sb_reset(&p->msg);
}

static void put_label(struct strbuf *b, uint64_t key, uint64_t str, uint64_t num)
{
	struct strbuf label = { 0 };
	pb_uint(&label, LABEL_KEY, key);
	pb_uint(&label, LABEL_STR, str);
	pb_uint(&label, LABEL_NUM, num);
	pb_bytes(b, SAMPLE_LABEL, label.s, label.len);
	sb_free(&label);
}

int pprof_add(struct pprof *p, const struct pprof_frame *frames, size_t n,
	      int64_t count, const char *comm, int pid)
{
	if (!p || (!frames && n) || count < 0) {
		errno = EINVAL;
		return -1;
	}
	if (!count)
		return 0;
	p->ids.n = 0;
	for (size_t i = 0; i < n; i++)
		VEC_PUSH(p->ids, location_id(p, &frames[i]));
	uint64_t values[2] = { (uint64_t)count, (uint64_t)count * p->period_ns };

	struct strbuf *m = &p->msg;
	pb_packed(m, SAMPLE_LOCATION_ID, p->ids.v, (size_t)p->ids.n);
	pb_packed(m, SAMPLE_VALUE, values, ARRAY_SIZE(values));
	if (pid)
		put_label(m, S_PID, 0, (uint64_t)(int64_t)pid);
	if (comm)
		put_label(m, S_COMM, string_id(p, comm), 0);
	put_msg(p, &p->samples, PROFILE_SAMPLE);
	return 0;
}

static void put_value_type(struct pprof *p, struct strbuf *out, int field,
			   uint64_t type, uint64_t unit)
{
	pb_uint(&p->msg, VALUE_TYPE_TYPE, type);
	pb_uint(&p->msg, VALUE_TYPE_UNIT, unit);
	put_msg(p, out, field);
}

static int gz_put(gzFile gz, const char *data, size_t n)
{
	while (n) {
		unsigned chunk = n < 1u << 30 ? (unsigned)n : 1u << 30;
		if (gzwrite(gz, data, chunk) != (int)chunk)
			return -1;
		data += chunk;
		n -= chunk;
	}
	return 0;
}

/* Hands OUT to zlib once it is worth a call, or at the end (FINAL). */
static int flush(gzFile gz, struct strbuf *out, bool final)
{
	if (!final && out->len < 1 << 16)
		return 0;
	if (gz_put(gz, out->s, out->len))
		return -1;
	sb_reset(out);
	return 0;
}

/* The profile after the samples: tables, string table, header fields. */
static int write_rest(struct pprof *p, gzFile gz, struct strbuf *out)
{
	struct strbuf *m = &p->msg;
	/* pprof takes the first mapping written for the main binary: that one, then other user files, then the kernel */
	for (int k = 0; k < 3 * p->mappings.n; k++) {
		int i = k % p->mappings.n;
		const struct mapping *mp = &p->mappings.v[i];
		const char *file = p->strings.v[mp->key.file];
		int rank = p->main_file && !strcmp(file, p->main_file) ? 0 : strcmp(file, "[kernel.kallsyms]") ? 1 : 2;
		if (rank != k / p->mappings.n)
			continue;
		pb_uint(m, MAPPING_ID, (uint64_t)i + 1);
		pb_uint(m, MAPPING_MEMORY_START, mp->key.start);
		pb_uint(m, MAPPING_MEMORY_LIMIT, mp->key.end);
		pb_uint(m, MAPPING_FILE_OFFSET, mp->key.pgoff);
		pb_uint(m, MAPPING_FILENAME, mp->key.file);
		pb_uint(m, MAPPING_HAS_FUNCTIONS, mp->has_functions);
		put_msg(p, out, PROFILE_MAPPING);
		if (flush(gz, out, false))
			return -1;
	}
	for (int i = 0; i < p->locations.n; i++) {
		const struct location *l = &p->locations.v[i];
		pb_uint(m, LOCATION_ID, (uint64_t)i + 1);
		pb_uint(m, LOCATION_MAPPING_ID, l->key.mapping);
		pb_uint(m, LOCATION_ADDRESS, l->key.addr);
		if (l->function) {
			struct strbuf line = { 0 };
			pb_uint(&line, LINE_FUNCTION_ID, l->function);
			if (l->key.line)
				pb_uint(&line, LINE_LINE, l->key.line);
			pb_bytes(m, LOCATION_LINE, line.s, line.len);
			sb_free(&line);
		}
		put_msg(p, out, PROFILE_LOCATION);
		if (flush(gz, out, false))
			return -1;
	}
	for (int i = 0; i < p->functions.n; i++) {
		pb_uint(m, FUNCTION_ID, (uint64_t)i + 1);
		pb_uint(m, FUNCTION_NAME, p->functions.v[i].key.name);
		pb_uint(m, FUNCTION_SYSTEM_NAME, p->functions.v[i].key.name);
		if (p->functions.v[i].key.file)
			pb_uint(m, FUNCTION_FILENAME, p->functions.v[i].key.file);
		if (p->functions.v[i].key.start_line)
			pb_uint(m, FUNCTION_START_LINE, p->functions.v[i].key.start_line);
		put_msg(p, out, PROFILE_FUNCTION);
		if (flush(gz, out, false))
			return -1;
	}
	for (int i = 0; i < p->strings.n; i++) {
		pb_bytes(out, PROFILE_STRING_TABLE, p->strings.v[i], strlen(p->strings.v[i]));
		if (flush(gz, out, false))
			return -1;
	}
	pb_uint(out, PROFILE_TIME_NANOS, p->time_ns);
	pb_uint(out, PROFILE_DURATION_NANOS, p->duration_ns);
	put_value_type(p, out, PROFILE_PERIOD_TYPE, S_CPU, S_NANOSECONDS);
	pb_uint(out, PROFILE_PERIOD, p->period_ns);
	pb_uint(out, PROFILE_DEFAULT_SAMPLE_TYPE, S_CPU);
	return flush(gz, out, true);
}

int pprof_write(struct pprof *p, const char *path)
{
	struct strbuf out = { 0 };
	int fd, ret = -1, err = 0;
	gzFile gz;

	if (!p || !path) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	gz = gzdopen(fd, "wb");
	if (!gz) {
		err = errno ? errno : ENOMEM;
		close(fd);
		errno = err;
		return -1;
	}
	/* Profile is the outermost message, so its fields can be streamed in
	 * any order: the samples, encoded already, go first. */
	put_value_type(p, &out, PROFILE_SAMPLE_TYPE, S_SAMPLES, S_COUNT);
	put_value_type(p, &out, PROFILE_SAMPLE_TYPE, S_CPU, S_NANOSECONDS);
	if (flush(gz, &out, true) == 0 && gz_put(gz, p->samples.s, p->samples.len) == 0)
		ret = write_rest(p, gz, &out);
	if (ret) {
		int zerr;
		gzerror(gz, &zerr);
		err = zerr == Z_ERRNO && errno ? errno : EIO;
	}
	/* gzclose() writes what zlib still holds, and can fail doing so */
	if (gzclose(gz) != Z_OK && !err) {
		err = errno ? errno : EIO;
		ret = -1;
	}
	sb_free(&out);
	errno = err;
	return ret;
}

void pprof_set_main(struct pprof *p, const char *module)
{
	free(p->main_file);
	p->main_file = module ? xstrdup(module) : NULL;
}

void pprof_free(struct pprof *p)
{
	if (!p)
		return;
	free(p->main_file);
	for (int i = 0; i < p->strings.n; i++)
		free(p->strings.v[i]);
	free(p->strings.v);
	free(p->mappings.v);
	free(p->functions.v);
	free(p->locations.v);
	struct index *ixs[] = { &p->string_ix, &p->mapping_ix, &p->function_ix, &p->location_ix };
	for (size_t i = 0; i < ARRAY_SIZE(ixs); i++)
		free(ixs[i]->slot);
	sb_free(&p->samples);
	sb_free(&p->msg);
	free(p->ids.v);
	free(p);
}
