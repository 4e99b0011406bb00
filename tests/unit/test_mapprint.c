/* Map renderers, fed per-CPU values by hand: every map kind, text and JSON. */
#include "test.h"
#include "out/mapprint.h"
#include <stdlib.h>
#include <string.h>

#define NCPUS 2

struct fixture {
	struct arena *a;
	struct script s;
	struct mapinfo m;
	struct map_table tb;
	struct value_ctx vc;
	struct strbuf out;
};

/* A map named `name` with key type `key` (NULL: scalar) and value type `val`. */
static void setup(struct fixture *f, const char *name, struct type *key, struct type *val, struct arena *a)
{
	memset(f, 0, sizeof(*f));
	f->a = a;
	f->m.name = (char *)name;
	f->m.key = key;
	f->m.val = val;
	f->m.percpu = type_is_agg(val);
	f->m.key_size = (key ? key->size : 8) + (val->kind == TY_HIST || val->kind == TY_LHIST ? 8 : 0);
	f->m.value_size = val->size;
	f->vc.s = &f->s;
	map_table_init(&f->tb, &f->m, NCPUS);
}

/* Adds key → per-CPU words: cpu0 = (w0, w1), cpu1 = (w2, w3) for 16-byte values. */
static void add(struct fixture *f, const void *key, const int64_t *words)
{
	uint8_t k[256] = { 0 }, vals[256] = { 0 };
	memcpy(k, key, (size_t)f->m.key_size);
	int stride = (int)ALIGN8((size_t)f->m.value_size);
	int n = f->m.percpu ? NCPUS : 1;
	for (int c = 0; c < n; c++)
		memcpy(vals + c * stride, words + c * (stride / 8), (size_t)stride);
	map_table_add(&f->tb, k, vals);
}

static const char *render(struct fixture *f, int json, int64_t top, int64_t div)
{
	map_table_finish(&f->tb);
	struct map_print_opts o = { .json = json, .top = top, .div = div };
	sb_free(&f->out);
	map_render(&f->out, &f->vc, &f->tb, &o);
	return sb_str(&f->out);
}

static void teardown(struct fixture *f)
{
	map_table_free(&f->tb);
	sb_free(&f->out);
}

static uint8_t *int_key(int64_t v, int64_t bucket)
{
	static int64_t k[2];
	k[0] = v;
	k[1] = bucket;
	return (uint8_t *)k;
}

static uint8_t *str_key(const char *s)
{
	static char k[80];
	memset(k, 0, sizeof(k));
	strcpy(k, s);
	return (uint8_t *)k;
}

TEST(test_mapprint_counts_sum_cpus_and_sort_by_value)
{
	struct arena *a = arena_new();
	struct fixture f;
	setup(&f, "@c", type_str(a), type_simple(a, TY_COUNT), a);
	add(&f, str_key("b"), (int64_t[]){ 1, 2 });
	add(&f, str_key("a"), (int64_t[]){ 4, 0 });
	add(&f, str_key("c"), (int64_t[]){ 0, 1 });
	EXPECT_STR(render(&f, 0, 0, 1), "@c[c]: 1\n@c[b]: 3\n@c[a]: 4\n");
	EXPECT_STR(render(&f, 1, 0, 1), "{\"type\": \"map\", \"data\": {\"@c\": {\"c\": 1, \"b\": 3, \"a\": 4}}}\n");
	EXPECT_STR(render(&f, 0, 2, 1), "@c[b]: 3\n@c[a]: 4\n");
	EXPECT_STR(render(&f, 0, 0, 2), "@c[c]: 0\n@c[b]: 1\n@c[a]: 2\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_signed_sums_and_integer_keys_sort_signed)
{
	struct arena *a = arena_new();
	struct fixture f;
	struct type *sum = type_simple(a, TY_SUM);
	sum->is_signed = 1;
	setup(&f, "@s", type_int(a, 8, 1), sum, a);
	add(&f, int_key(3, 0), (int64_t[]){ -5, 1 });
	add(&f, int_key(-7, 0), (int64_t[]){ 10, 0 });
	EXPECT_STR(render(&f, 0, 0, 1), "@s[3]: -4\n@s[-7]: 10\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_min_and_max_ignore_cpus_that_never_saw_a_value)
{
	struct arena *a = arena_new();
	struct fixture f;
	struct type *min = type_simple(a, TY_MIN);
	min->is_signed = 1;
	setup(&f, "@mi", NULL, min, a);
	/* cpu0 unset (value 0, flag 0) must not win over cpu1's 7 */
	add(&f, int_key(0, 0), (int64_t[]){ 0, 0, 7, 1 });
	EXPECT_STR(render(&f, 0, 0, 1), "@mi: 7\n");
	teardown(&f);
	struct type *max = type_simple(a, TY_MAX);
	max->is_signed = 1;
	setup(&f, "@ma", NULL, max, a);
	add(&f, int_key(0, 0), (int64_t[]){ -9, 1, -3, 1 });
	EXPECT_STR(render(&f, 0, 0, 1), "@ma: -3\n");
	EXPECT_STR(render(&f, 1, 0, 1), "{\"type\": \"map\", \"data\": {\"@ma\": -3}}\n");
	teardown(&f);
	setup(&f, "@never", NULL, max, a);
	add(&f, int_key(0, 0), (int64_t[]){ 0, 0, 0, 0 });
	EXPECT_STR(render(&f, 0, 0, 1), "");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_avg_truncates_toward_zero_and_stats_layout)
{
	struct arena *a = arena_new();
	struct fixture f;
	struct type *avg = type_simple(a, TY_AVG);
	avg->is_signed = 1;
	setup(&f, "@av", NULL, avg, a);
	add(&f, int_key(0, 0), (int64_t[]){ 1, -7, 1, 2 });	/* (-7 + 2) / 2 */
	EXPECT_STR(render(&f, 0, 0, 1), "@av: -2\n");
	EXPECT_STR(render(&f, 1, 0, 1), "{\"type\": \"stats\", \"data\": {\"@av\": -2}}\n");
	teardown(&f);
	struct type *stats = type_simple(a, TY_STATS);
	stats->is_signed = 1;
	setup(&f, "@s", type_int(a, 8, 1), stats, a);
	add(&f, int_key(1, 0), (int64_t[]){ 2, 6, 1, 6 });
	EXPECT_STR(render(&f, 0, 0, 1), "@s[1]: { .count = 3, .average = 4, .total = 12 }\n");
	EXPECT_STR(render(&f, 1, 0, 1),
		   "{\"type\": \"stats\", \"data\": {\"@s\": {\"1\": {\"count\": 3, \"average\": 4, \"total\": 12}}}}\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_hist_folds_buckets_from_every_cpu)
{
	struct arena *a = arena_new();
	struct fixture f;
	setup(&f, "@h", NULL, type_simple(a, TY_HIST), a);
	/* scalar hist key: 8 zero bytes, then the bucket */
	add(&f, int_key(0, 3), (int64_t[]){ 1, 1 });	/* [2, 4): 2 */
	add(&f, int_key(0, 5), (int64_t[]){ 1, 0 });	/* [8, 16): 1 */
	EXPECT_STR(render(&f, 0, 0, 1),
		   "@h:\n"
		   "[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		   "[4, 8)                 0 |                                                    |\n"
		   "[8, 16)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		   "\n");
	EXPECT_STR(render(&f, 1, 0, 1),
		   "{\"type\": \"hist\", \"data\": {\"@h\": [{\"min\": 2, \"max\": 3, \"count\": 2}, "
		   "{\"min\": 4, \"max\": 7, \"count\": 0}, {\"min\": 8, \"max\": 15, \"count\": 1}]}}\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_keyed_lhist_orders_keys_by_total)
{
	struct arena *a = arena_new();
	struct fixture f;
	struct type *lh = type_simple(a, TY_LHIST);
	lh->lmin = 0;
	lh->lmax = 10;
	lh->lstep = 5;
	setup(&f, "@l", type_int(a, 8, 1), lh, a);
	add(&f, int_key(1, 1), (int64_t[]){ 2, 1 });	/* key 1: [0, 5) x3 */
	add(&f, int_key(2, 3), (int64_t[]){ 1, 0 });	/* key 2: [10, ...) x1 */
	EXPECT_STR(render(&f, 0, 0, 1),
		   "@l[2]:\n"
		   "[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		   "\n"
		   "@l[1]:\n"
		   "[0, 5)                 3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		   "\n");
	EXPECT_STR(render(&f, 1, 0, 1),
		   "{\"type\": \"hist\", \"data\": {\"@l\": {\"2\": [{\"min\": 10, \"count\": 1}], "
		   "\"1\": [{\"min\": 0, \"max\": 4, \"count\": 3}]}}}\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_plain_values_strings_and_tuples_sort_by_key)
{
	struct arena *a = arena_new();
	struct fixture f;
	struct type *fields[2] = { type_int(a, 8, 1), type_str(a) };
	struct type *tup = type_tuple(a, fields, 2);
	setup(&f, "@t", tup, type_str(a), a);
	uint8_t k[80] = { 0 };
	int64_t two = 2;
	memcpy(k, &two, 8);
	strcpy((char *)k + 8, "one");
	uint8_t v[64] = "second";
	map_table_add(&f.tb, k, v);
	int64_t one = 1;
	memcpy(k, &one, 8);
	strcpy((char *)k + 8, "two");
	uint8_t w[64] = "first \"quoted\"";
	map_table_add(&f.tb, k, w);
	EXPECT_STR(render(&f, 0, 0, 1), "@t[1, two]: first \"quoted\"\n@t[2, one]: second\n");
	EXPECT_STR(render(&f, 1, 0, 1),
		   "{\"type\": \"map\", \"data\": {\"@t\": {\"1,two\": \"first \\\"quoted\\\"\", \"2,one\": \"second\"}}}\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_tuple_and_bool_values)
{
	struct arena *a = arena_new();
	struct fixture f;
	struct type *inner[2] = { type_int(a, 8, 1), type_int(a, 8, 1) };
	struct type *fields[3] = { type_int(a, 8, 1), type_str(a), type_tuple(a, inner, 2) };
	struct type *tup = type_tuple(a, fields, 3);
	setup(&f, "@v", NULL, tup, a);
	uint8_t val[96] = { 0 };
	int64_t x = 1, y = 4, z = 5;
	memcpy(val, &x, 8);
	strcpy((char *)val + 8, "a");
	memcpy(val + 72, &y, 8);
	memcpy(val + 80, &z, 8);
	map_table_add(&f.tb, int_key(0, 0), val);
	EXPECT_STR(render(&f, 0, 0, 1), "@v: (1, a, (4, 5))\n");
	EXPECT_STR(render(&f, 1, 0, 1), "{\"type\": \"map\", \"data\": {\"@v\": [1,\"a\",[4,5]]}}\n");
	teardown(&f);
	setup(&f, "@b", type_simple(a, TY_BOOL), type_simple(a, TY_BOOL), a);
	int64_t t = 1;
	map_table_add(&f.tb, (uint8_t *)&t, (uint8_t *)&(int64_t){ 0 });
	EXPECT_STR(render(&f, 0, 0, 1), "@b[true]: false\n");
	teardown(&f);
	arena_free(a);
}

TEST(test_mapprint_empty_map_prints_nothing)
{
	struct arena *a = arena_new();
	struct fixture f;
	setup(&f, "@e", type_int(a, 8, 1), type_simple(a, TY_COUNT), a);
	EXPECT_STR(render(&f, 0, 0, 1), "");
	EXPECT_STR(render(&f, 1, 0, 1), "");
	teardown(&f);
	arena_free(a);
}
