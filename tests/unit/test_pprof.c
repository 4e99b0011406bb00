/* pprof profiles (out/pprof.c): each test writes a profile, gunzips it and
 * decodes it with the small protobuf reader below, which knows profile.proto's
 * field numbers on its own (it shares no code with the writer). */
#include "test.h"
#include "out/pprof.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

/* ---- the reader ---- */

struct cursor {
	const unsigned char *p, *end;
	int bad;		/* truncated, or a field with the wrong wire type */
};

static uint64_t get_varint(struct cursor *c)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (c->p >= c->end) {
			c->bad = 1;
			return 0;
		}
		unsigned char b = *c->p++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	c->bad = 1;
	return 0;
}

struct field {
	int num, wire;
	uint64_t v;		/* wire type 0 */
	struct cursor body;	/* wire type 2 */
};

static int next_field(struct cursor *c, struct field *f)
{
	if (c->bad || c->p >= c->end)
		return 0;
	uint64_t tag = get_varint(c);
	f->num = (int)(tag >> 3);
	f->wire = (int)(tag & 7);
	if (f->wire == 0) {
		f->v = get_varint(c);
	} else if (f->wire == 2) {
		uint64_t n = get_varint(c);
		if (n > (uint64_t)(c->end - c->p)) {
			c->bad = 1;
			return 0;
		}
		f->body = (struct cursor){ c->p, c->p + n, 0 };
		c->p += n;
	} else {
		c->bad = 1;	/* the writer uses no other wire type */
		return 0;
	}
	return !c->bad;
}

static uint64_t want_varint(struct cursor *c, const struct field *f)
{
	if (f->wire != 0)
		c->bad = 1;
	return f->v;
}

/* A repeated integer, packed or not; appends to V (cap MAX), returns the count. */
static int get_ints(struct cursor *c, const struct field *f, uint64_t *v, int n, int max)
{
	if (f->wire == 0) {
		if (n < max)
			v[n] = f->v;
		return n + 1;
	}
	struct cursor body = f->body;
	while (body.p < body.end && !body.bad) {
		uint64_t x = get_varint(&body);
		if (n < max)
			v[n] = x;
		n++;
	}
	c->bad |= body.bad;
	return n;
}

#define MAXLOC 200
struct dsample {
	uint64_t loc[MAXLOC];
	int nloc, nval, nlabel;
	uint64_t val[4];
	struct { uint64_t key, str, num; } label[4];
};
struct dmapping { uint64_t id, start, limit, offset, filename, build_id, has_functions; };
struct dlocation { uint64_t id, mapping, addr, function, line; int nline; };
struct dfunction { uint64_t id, name, system_name, filename; };
struct value_type { uint64_t type, unit; };

struct decoded {
	int bad;
	char **strings;
	int nstrings;
	struct value_type sample_type[4], period_type;
	int nsample_type;
	struct dsample *samples;
	int nsamples;
	struct dmapping *mappings;
	int nmappings;
	struct dlocation *locations;
	int nlocations;
	struct dfunction *functions;
	int nfunctions;
	uint64_t time_nanos, duration_nanos, period, default_sample_type;
};

#define GROW(arr, n) ((arr) = realloc((arr), ((size_t)(n) + 1) * sizeof(*(arr))), \
		      memset(&(arr)[n], 0, sizeof(*(arr))), &(arr)[(n)++])

static struct value_type decode_value_type(struct cursor c)
{
	struct value_type vt = { 0 };
	struct field f;
	while (next_field(&c, &f)) {
		if (f.num == 1)
			vt.type = want_varint(&c, &f);
		else if (f.num == 2)
			vt.unit = want_varint(&c, &f);
	}
	return vt;
}

static void decode_sample(struct cursor c, struct dsample *s, int *bad)
{
	struct field f, g;
	while (next_field(&c, &f)) {
		if (f.num == 1) {
			s->nloc = get_ints(&c, &f, s->loc, s->nloc, MAXLOC);
		} else if (f.num == 2) {
			s->nval = get_ints(&c, &f, s->val, s->nval, 4);
		} else if (f.num == 3 && f.wire == 2 && s->nlabel < 4) {
			struct cursor l = f.body;
			while (next_field(&l, &g)) {
				uint64_t v = want_varint(&l, &g);
				if (g.num == 1)
					s->label[s->nlabel].key = v;
				else if (g.num == 2)
					s->label[s->nlabel].str = v;
				else if (g.num == 3)
					s->label[s->nlabel].num = v;
			}
			*bad |= l.bad;
			s->nlabel++;
		}
	}
	*bad |= c.bad;
}

static void decode_mapping(struct cursor c, struct dmapping *m, int *bad)
{
	struct field f;
	while (next_field(&c, &f)) {
		uint64_t v = want_varint(&c, &f);
		switch (f.num) {
		case 1: m->id = v; break;
		case 2: m->start = v; break;
		case 3: m->limit = v; break;
		case 4: m->offset = v; break;
		case 5: m->filename = v; break;
		case 6: m->build_id = v; break;
		case 7: m->has_functions = v; break;
		}
	}
	*bad |= c.bad;
}

static void decode_location(struct cursor c, struct dlocation *l, int *bad)
{
	struct field f, g;
	while (next_field(&c, &f)) {
		if (f.num == 4 && f.wire == 2) {
			struct cursor line = f.body;
			while (next_field(&line, &g)) {
				uint64_t v = want_varint(&line, &g);
				if (g.num == 1)
					l->function = v;
				else if (g.num == 2)
					l->line = v;
			}
			*bad |= line.bad;
			l->nline++;
			continue;
		}
		uint64_t v = want_varint(&c, &f);
		if (f.num == 1)
			l->id = v;
		else if (f.num == 2)
			l->mapping = v;
		else if (f.num == 3)
			l->addr = v;
	}
	*bad |= c.bad;
}

static void decode_function(struct cursor c, struct dfunction *fn, int *bad)
{
	struct field f;
	while (next_field(&c, &f)) {
		uint64_t v = want_varint(&c, &f);
		if (f.num == 1)
			fn->id = v;
		else if (f.num == 2)
			fn->name = v;
		else if (f.num == 3)
			fn->system_name = v;
		else if (f.num == 4)
			fn->filename = v;
	}
	*bad |= c.bad;
}

static void decode(const unsigned char *buf, size_t len, struct decoded *d)
{
	struct cursor c = { buf, buf + len, 0 };
	struct field f;
	memset(d, 0, sizeof(*d));
	while (next_field(&c, &f)) {
		switch (f.num) {
		case 1:
			if (f.wire == 2 && d->nsample_type < 4)
				d->sample_type[d->nsample_type++] = decode_value_type(f.body);
			break;
		case 2: decode_sample(f.body, GROW(d->samples, d->nsamples), &d->bad); break;
		case 3: decode_mapping(f.body, GROW(d->mappings, d->nmappings), &d->bad); break;
		case 4: decode_location(f.body, GROW(d->locations, d->nlocations), &d->bad); break;
		case 5: decode_function(f.body, GROW(d->functions, d->nfunctions), &d->bad); break;
		case 6:
			if (f.wire != 2) {
				d->bad = 1;
				break;
			}
			*GROW(d->strings, d->nstrings) = strndup((const char *)f.body.p,
								 (size_t)(f.body.end - f.body.p));
			break;
		case 9: d->time_nanos = want_varint(&c, &f); break;
		case 10: d->duration_nanos = want_varint(&c, &f); break;
		case 11:
			if (f.wire == 2)
				d->period_type = decode_value_type(f.body);
			break;
		case 12: d->period = want_varint(&c, &f); break;
		case 14: d->default_sample_type = want_varint(&c, &f); break;
		default: d->bad = 1;	/* nothing else is written */
		}
	}
	d->bad |= c.bad;
}

static void decoded_free(struct decoded *d)
{
	for (int i = 0; i < d->nstrings; i++)
		free(d->strings[i]);
	free(d->strings);
	free(d->samples);
	free(d->mappings);
	free(d->locations);
	free(d->functions);
}

static const char *str(const struct decoded *d, uint64_t i)
{
	return i < (uint64_t)d->nstrings ? d->strings[i] : "<bad string index>";
}

static const struct dfunction *function(const struct decoded *d, uint64_t id)
{
	static const struct dfunction none;
	return id && id <= (uint64_t)d->nfunctions ? &d->functions[id - 1] : &none;
}

static const struct dlocation *location(const struct decoded *d, uint64_t id)
{
	static const struct dlocation none;
	return id && id <= (uint64_t)d->nlocations ? &d->locations[id - 1] : &none;
}

static const struct dmapping *mapping(const struct decoded *d, uint64_t id)
{
	static const struct dmapping none;
	return id && id <= (uint64_t)d->nmappings ? &d->mappings[id - 1] : &none;
}

/* The function name at a location of a sample, or "" without one. */
static const char *frame_name(const struct decoded *d, const struct dsample *s, int i)
{
	const struct dlocation *l = location(d, s->loc[i]);
	return l->nline ? str(d, function(d, l->function)->name) : "";
}

/* ---- writing and reading back ---- */

static char path[64];

/* Writes P to a temporary file, gunzips it and decodes it into D; frees P. */
static int roundtrip(struct pprof *p, struct decoded *d)
{
	snprintf(path, sizeof(path), "/tmp/sonde-test-pprof-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	int ret = pprof_write(p, path);
	pprof_free(p);
	EXPECT_INT(ret, 0);

	unsigned char magic[2] = { 0 };
	FILE *f = fopen(path, "rb");
	if (f) {
		EXPECT_INT(fread(magic, 1, 2, f), 2);
		fclose(f);
	}
	EXPECT_INT(magic[0], 0x1f);	/* gzip, as pprof requires on disk */
	EXPECT_INT(magic[1], 0x8b);

	size_t len = 0, cap = 1 << 16;
	unsigned char *buf = malloc(cap);
	gzFile gz = gzopen(path, "rb");
	int n;
	while (gz && (n = gzread(gz, buf + len, (unsigned)(cap - len))) > 0) {
		len += (size_t)n;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (gz)
		gzclose(gz);
	unlink(path);
	decode(buf, len, d);
	free(buf);
	EXPECT_INT(d->bad, 0);
	return d->bad ? -1 : 0;
}

#define APP "/usr/bin/app"
static struct pprof_frame app(const char *name, uint64_t addr)
{
	return (struct pprof_frame){ addr, name, APP, 0x400000, 0x500000, 0x1000 };
}

TEST(test_pprof_string_zero_is_empty_and_sample_types_are_count_and_cpu_ns)
{
	struct decoded d;
	struct pprof *p = pprof_new(10101010);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (roundtrip(p, &d))
		return;
	EXPECT_STR(str(&d, 0), "");
	EXPECT_INT(d.nsample_type, 2);
	EXPECT_STR(str(&d, d.sample_type[0].type), "samples");
	EXPECT_STR(str(&d, d.sample_type[0].unit), "count");
	EXPECT_STR(str(&d, d.sample_type[1].type), "cpu");
	EXPECT_STR(str(&d, d.sample_type[1].unit), "nanoseconds");
	EXPECT_STR(str(&d, d.period_type.type), "cpu");
	EXPECT_STR(str(&d, d.period_type.unit), "nanoseconds");
	EXPECT_INT(d.period, 10101010);
	EXPECT_STR(str(&d, d.default_sample_type), "cpu");
	EXPECT_INT(d.nsamples, 0);
	EXPECT_INT(d.duration_nanos, 0);	/* unset: not written */
	/* time_nanos is when the profile began: within a minute of now */
	int64_t now = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	EXPECT_INT((int64_t)d.time_nanos > now - 60000000000 && (int64_t)d.time_nanos <= now + 60000000000, 1);
	decoded_free(&d);
}

TEST(test_pprof_sample_values_are_count_and_count_times_period_leaf_first)
{
	struct decoded d;
	struct pprof *p = pprof_new(1000000);
	struct pprof_frame stack[] = { app("leaf", 0x401000), app("mid", 0x402000), app("root", 0x403000) };
	pprof_set_duration(p, 5000000000);
	EXPECT_INT(pprof_add(p, stack, 3, 7, "app", 4242), 0);
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.duration_nanos, 5000000000);
	EXPECT_INT(d.nsamples, 1);
	if (d.nsamples != 1)
		goto out;
	const struct dsample *s = &d.samples[0];
	EXPECT_INT(s->nval, 2);
	EXPECT_INT(s->val[0], 7);
	EXPECT_INT(s->val[1], 7000000);
	EXPECT_INT(s->nloc, 3);
	EXPECT_STR(frame_name(&d, s, 0), "leaf");
	EXPECT_STR(frame_name(&d, s, 1), "mid");
	EXPECT_STR(frame_name(&d, s, 2), "root");
	EXPECT_INT(location(&d, s->loc[0])->addr, 0x401000);
	EXPECT_INT(s->nlabel, 2);
	EXPECT_STR(str(&d, s->label[0].key), "pid");
	EXPECT_INT(s->label[0].num, 4242);
	EXPECT_INT(s->label[0].str, 0);
	EXPECT_STR(str(&d, s->label[1].key), "comm");
	EXPECT_STR(str(&d, s->label[1].str), "app");
	EXPECT_INT(s->label[1].num, 0);
out:
	decoded_free(&d);
}

TEST(test_pprof_no_labels_without_pid_and_comm_and_zero_counts_are_dropped)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame f = app("f", 0x401000);
	EXPECT_INT(pprof_add(p, &f, 1, 1, NULL, 0), 0);
	EXPECT_INT(pprof_add(p, &f, 1, 0, "ignored", 1), 0);
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.nsamples, 1);
	EXPECT_INT(d.samples[0].nlabel, 0);
	for (int i = 0; i < d.nstrings; i++)
		EXPECT_INT(strcmp(d.strings[i], "ignored") != 0, 1);
	decoded_free(&d);
}

TEST(test_pprof_ids_count_from_one_and_references_resolve)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame stack[] = { app("a", 0x401000), app(NULL, 0x401100),
				       { 0xffffffff81000000, "k", "[kernel.kallsyms]", 0, 0, 0 } };
	pprof_add(p, stack, 3, 1, "x", 1);
	if (roundtrip(p, &d))
		return;
	for (int i = 0; i < d.nmappings; i++)
		EXPECT_INT(d.mappings[i].id, i + 1);
	for (int i = 0; i < d.nfunctions; i++) {
		EXPECT_INT(d.functions[i].id, i + 1);
		EXPECT_INT(d.functions[i].system_name, d.functions[i].name);
	}
	for (int i = 0; i < d.nlocations; i++) {
		EXPECT_INT(d.locations[i].id, i + 1);
		EXPECT_INT(d.locations[i].mapping >= 1 && d.locations[i].mapping <= (uint64_t)d.nmappings, 1);
		EXPECT_INT(d.locations[i].nline, 1);
		EXPECT_INT(d.locations[i].function >= 1 && d.locations[i].function <= (uint64_t)d.nfunctions, 1);
	}
	EXPECT_INT(d.nlocations, 3);
	EXPECT_INT(d.nmappings, 2);
	EXPECT_STR(str(&d, mapping(&d, 1)->filename), APP);
	EXPECT_INT(mapping(&d, 1)->start, 0x400000);
	EXPECT_INT(mapping(&d, 1)->limit, 0x500000);
	EXPECT_INT(mapping(&d, 1)->offset, 0x1000);
	EXPECT_STR(str(&d, mapping(&d, 2)->filename), "[kernel.kallsyms]");
	decoded_free(&d);
}

/* Two stacks of four frames share three: 5 locations, not 8; one function
 * called from two places is one function at two locations. */
TEST(test_pprof_functions_locations_mappings_are_deduplicated)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame s1[] = { app("work", 0x401010), app("loop", 0x402020), app("main", 0x403030),
				    app("_start", 0x404040) };
	struct pprof_frame s2[] = { app("work", 0x401018), app("loop", 0x402020), app("main", 0x403030),
				    app("_start", 0x404040) };
	for (int i = 0; i < 3; i++) {
		pprof_add(p, s1, 4, 1, "app", 1);
		pprof_add(p, s2, 4, 1, "app", 1);
	}
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.nsamples, 6);
	EXPECT_INT(d.nlocations, 5);
	EXPECT_INT(d.nfunctions, 4);
	EXPECT_INT(d.nmappings, 1);
	EXPECT_INT(d.mappings[0].has_functions, 1);
	EXPECT_INT(d.samples[0].loc[1], d.samples[1].loc[1]);
	EXPECT_INT(d.samples[0].loc[0] != d.samples[1].loc[0], 1);
	EXPECT_INT(location(&d, d.samples[0].loc[0])->function, location(&d, d.samples[1].loc[0])->function);
	/* every string once */
	for (int i = 0; i < d.nstrings; i++)
		for (int j = i + 1; j < d.nstrings; j++)
			EXPECT_INT(strcmp(d.strings[i], d.strings[j]) != 0, 1);
	decoded_free(&d);
}

/* The same file mapped twice (two processes, two bases) is two mappings;
 * the same name in two files is two functions. */
TEST(test_pprof_mapping_key_is_file_range_and_offset)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame a[] = {
		{ 0x7f0000001000, "memcpy", "/lib/libc.so.6", 0x7f0000000000, 0x7f0000100000, 0 },
		{ 0x7f1000001000, "memcpy", "/lib/libc.so.6", 0x7f1000000000, 0x7f1000100000, 0 },
		{ 0x7f1000101000, "memcpy", "/lib/libc.so.6", 0x7f1000100000, 0x7f1000200000, 0x100000 },
		{ 0x401000, "memcpy", APP, 0x400000, 0x500000, 0 },
	};
	pprof_add(p, a, 4, 1, NULL, 0);
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.nmappings, 4);
	EXPECT_INT(d.nlocations, 4);
	EXPECT_INT(d.nfunctions, 2);
	EXPECT_INT(d.mappings[2].offset, 0x100000);
	decoded_free(&d);
}

/* An unnamed frame is a function named by its address, so pprof lists it
 * on its own; a mapping without any named frame is left for pprof to
 * symbolize (has_functions unset). */
TEST(test_pprof_unnamed_frame_is_named_by_address)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame s[] = {
		{ 0x7f12345678, NULL, "/lib/libunknown.so", 0x7f12000000, 0x7f13000000, 0 },
		{ 0x7f12345678, NULL, "/lib/libunknown.so", 0x7f12000000, 0x7f13000000, 0 },
		app(NULL, 0x401abc),
		app("main", 0x401000),
	};
	pprof_add(p, s, 4, 1, NULL, 0);
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.samples[0].nloc, 4);
	EXPECT_INT(d.samples[0].loc[0], d.samples[0].loc[1]);
	EXPECT_STR(frame_name(&d, &d.samples[0], 0), "0x7f12345678");
	EXPECT_STR(frame_name(&d, &d.samples[0], 2), "0x401abc");
	EXPECT_INT(d.nmappings, 2);
	EXPECT_STR(str(&d, d.mappings[0].filename), "/lib/libunknown.so");
	EXPECT_INT(d.mappings[0].has_functions, 0);
	EXPECT_INT(d.mappings[1].has_functions, 1);
	decoded_free(&d);
}

/* Frames known by name only (no address, no file): one location per name,
 * no mapping. */
TEST(test_pprof_frames_without_address_are_told_apart_by_name)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame s[] = { { 0, "py_leaf", NULL, 0, 0, 0 }, { 0, "py_main", NULL, 0, 0, 0 },
				   { 0, "py_leaf", NULL, 0, 0, 0 }, { 0, NULL, NULL, 0, 0, 0 } };
	pprof_add(p, s, 4, 1, NULL, 0);
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.nmappings, 0);
	EXPECT_INT(d.nlocations, 3);
	EXPECT_INT(d.nfunctions, 2);
	EXPECT_STR(frame_name(&d, &d.samples[0], 0), "py_leaf");
	EXPECT_STR(frame_name(&d, &d.samples[0], 1), "py_main");
	EXPECT_INT(d.samples[0].loc[0], d.samples[0].loc[2]);
	EXPECT_INT(location(&d, d.samples[0].loc[0])->mapping, 0);
	/* nothing known at all: a location with no line */
	EXPECT_INT(location(&d, d.samples[0].loc[3])->nline, 0);
	decoded_free(&d);
}

TEST(test_pprof_kernel_address_without_module_goes_to_kernel_mapping)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame s[] = { { 0xffffffff81000010, "schedule", NULL, 0, 0, 0 },
				   { 0xffffffff81000020, NULL, "[kernel.kallsyms]", 0, 0, 0 } };
	pprof_add(p, s, 2, 1, NULL, 0);
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.nmappings, 1);
	EXPECT_STR(str(&d, d.mappings[0].filename), "[kernel.kallsyms]");
	EXPECT_INT(d.mappings[0].has_functions, 1);
	EXPECT_INT(location(&d, d.samples[0].loc[0])->mapping, 1);
	EXPECT_INT(location(&d, d.samples[0].loc[1])->mapping, 1);
	EXPECT_STR(frame_name(&d, &d.samples[0], 1), "0xffffffff81000020");
	decoded_free(&d);
}

/* 3000 stacks of 127 frames drawn from 1000 functions: the tables grow
 * many times over and still hold each function once. */
TEST(test_pprof_large_profile_keeps_one_location_per_frame)
{
	struct decoded d;
	struct pprof *p = pprof_new(1);
	struct pprof_frame s[127];
	char names[1000][16];
	unsigned seed = 7;
	int64_t total = 0;
	for (int i = 0; i < 1000; i++)
		snprintf(names[i], sizeof(names[i]), "f%d", i);
	for (int n = 0; n < 3000; n++) {
		for (int i = 0; i < 127; i++) {
			/* the first stacks walk all of them, the rest at random */
			int f = n < 8 ? (n * 127 + i) % 1000 : rand_r(&seed) % 1000;
			s[i] = app(names[f], 0x400000 + (uint64_t)f * 16);
		}
		pprof_add(p, s, 127, n % 3 + 1, "app", 1);
		total += n % 3 + 1;
	}
	if (roundtrip(p, &d))
		return;
	EXPECT_INT(d.nsamples, 3000);
	EXPECT_INT(d.nlocations, 1000);
	EXPECT_INT(d.nfunctions, 1000);
	int64_t sum = 0;
	int ok = 1;
	for (int n = 0; n < d.nsamples; n++) {
		sum += (int64_t)d.samples[n].val[0];
		ok &= d.samples[n].nloc == 127;
	}
	EXPECT_INT(sum, total);
	EXPECT_INT(ok, 1);
	decoded_free(&d);
}

TEST(test_pprof_write_keeps_the_profile_so_it_can_be_written_again)
{
	struct decoded d1, d2;
	struct pprof *p = pprof_new(1);
	struct pprof_frame f = app("f", 0x401000);
	pprof_add(p, &f, 1, 3, "app", 1);
	char first[64];
	snprintf(first, sizeof(first), "/tmp/sonde-test-pprof-again-%d", (int)getpid());
	EXPECT_INT(pprof_write(p, first), 0);
	unlink(first);
	if (roundtrip(p, &d1))
		return;
	EXPECT_INT(d1.nsamples, 1);
	EXPECT_INT(d1.samples[0].val[0], 3);
	p = pprof_new(1);
	if (roundtrip(p, &d2) == 0)
		decoded_free(&d2);
	decoded_free(&d1);
}

TEST(test_pprof_bad_arguments_fail_with_einval_and_write_errors_keep_errno)
{
	struct pprof *p = pprof_new(1);
	struct pprof_frame f = app(NULL, 0);
	errno = 0;
	EXPECT_INT(pprof_add(NULL, &f, 1, 1, NULL, 0), -1);
	EXPECT_INT(errno, EINVAL);
	errno = 0;
	EXPECT_INT(pprof_add(p, NULL, 1, 1, NULL, 0), -1);
	EXPECT_INT(errno, EINVAL);
	errno = 0;
	EXPECT_INT(pprof_add(p, &f, 1, -1, NULL, 0), -1);
	EXPECT_INT(errno, EINVAL);
	EXPECT_INT(pprof_add(p, NULL, 0, 1, NULL, 0), 0);	/* an empty stack is a sample */
	EXPECT_INT(pprof_add(p, &f, 1, 1, NULL, 0), 0);	/* no name, no address */
	errno = 0;
	EXPECT_INT(pprof_write(p, "/nonexistent-dir/x.pb.gz"), -1);
	EXPECT_INT(errno, ENOENT);
	errno = 0;
	EXPECT_INT(pprof_write(NULL, "/tmp/x"), -1);
	EXPECT_INT(errno, EINVAL);
	errno = 0;
	EXPECT_INT(pprof_write(p, NULL), -1);
	EXPECT_INT(errno, EINVAL);
	if (access("/dev/full", W_OK) == 0) {
		errno = 0;
		EXPECT_INT(pprof_write(p, "/dev/full"), -1);
		EXPECT_INT(errno, ENOSPC);
	}
	pprof_free(p);
	pprof_free(NULL);
}
