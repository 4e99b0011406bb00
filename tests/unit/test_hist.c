/* hist/lhist rendering (language spec 7.3, 7.4, 7.8). Expected rows were
 * checked against bpftrace 0.17's output for the same values. */
#include "test.h"
#include "out/hist.h"
#include <stdio.h>

static char result[8192];

static const struct hist_shape log2_shape = { 0, 0, 0, 0 };

static const char *text(const struct hist_shape *sh, const uint64_t *counts)
{
	struct strbuf sb = { 0 };
	hist_render_text(&sb, sh, counts);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

static const char *json(const struct hist_shape *sh, const uint64_t *counts)
{
	struct strbuf sb = { 0 };
	hist_render_json(&sb, sh, counts);
	snprintf(result, sizeof(result), "%s", sb_str(&sb));
	sb_free(&sb);
	return result;
}

TEST(test_hist_bucket_counts)
{
	struct hist_shape lh = { 1, 0, 10, 2 }, odd = { 1, 5, 10, 2 }, bad = { 1, 0, 10, 0 };
	EXPECT_INT(hist_nbuckets(&log2_shape), 66);
	EXPECT_INT(hist_nbuckets(&lh), 7);
	EXPECT_INT(hist_nbuckets(&odd), 4);
	EXPECT_INT(hist_nbuckets(&bad), 0);
}

/* @=hist(-1); @=hist(2); @=hist(3); @=hist(7); @=hist(20) */
TEST(test_hist_negative_values_go_to_first_bucket_and_gaps_are_printed)
{
	uint64_t c[66] = { [0] = 1, [3] = 2, [4] = 1, [6] = 1 };
	EXPECT_STR(text(&log2_shape, c),
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[0]                    0 |                                                    |\n"
		"[1]                    0 |                                                    |\n"
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[8, 16)                0 |                                                    |\n"
		"[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
}

/* @h=hist(1) x3; @h=hist(600): no rows before the first non-empty bucket,
 * bar = floor(52 * 1 / 3) = 17. */
TEST(test_hist_rows_start_at_lowest_nonempty_bucket_and_use_k_suffix)
{
	uint64_t c[66] = { [2] = 3, [11] = 1 };
	EXPECT_STR(text(&log2_shape, c),
		"[1]                    3 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[2, 4)                 0 |                                                    |\n"
		"[4, 8)                 0 |                                                    |\n"
		"[8, 16)                0 |                                                    |\n"
		"[16, 32)               0 |                                                    |\n"
		"[32, 64)               0 |                                                    |\n"
		"[64, 128)              0 |                                                    |\n"
		"[128, 256)             0 |                                                    |\n"
		"[256, 512)             0 |                                                    |\n"
		"[512, 1K)              1 |@@@@@@@@@@@@@@@@@                                   |\n");
}

/* hist(600000); hist(2000000); then buckets for 2^30 and 2^63. */
TEST(test_hist_labels_use_k_m_g_e_suffixes)
{
	uint64_t c[66] = { [21] = 1, [22] = 1 };
	EXPECT_STR(text(&log2_shape, c),
		"[512K, 1M)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[1M, 2M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	uint64_t g[66] = { [32] = 4 };
	EXPECT_STR(text(&log2_shape, g),
		"[1G, 2G)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	uint64_t e[66] = { [65] = 1 };
	EXPECT_STR(text(&log2_shape, e),
		"[8E, 16E)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

TEST(test_hist_wide_counts_are_right_aligned_in_eight_columns)
{
	uint64_t c[66] = { [1] = 123456789, [2] = 1 };
	EXPECT_STR(text(&log2_shape, c),
		"[0]             123456789 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[1]                    1 |                                                    |\n");
}

TEST(test_hist_all_zero_prints_no_rows_and_empty_json_array)
{
	uint64_t c[66] = { 0 };
	struct hist_shape lh = { 1, 0, 10, 2 };
	EXPECT_STR(text(&log2_shape, c), "");
	EXPECT_STR(json(&log2_shape, c), "[]");
	EXPECT_STR(text(&lh, c), "");
	EXPECT_STR(json(&lh, c), "[]");
}

TEST(test_hist_json_bounds_are_inclusive_and_negative_bucket_has_only_max)
{
	uint64_t c[66] = { [0] = 1, [3] = 2, [4] = 1, [6] = 1 };
	EXPECT_STR(json(&log2_shape, c),
		"[{\"max\": -1, \"count\": 1}, {\"min\": 0, \"max\": 0, \"count\": 0}, "
		"{\"min\": 1, \"max\": 1, \"count\": 0}, {\"min\": 2, \"max\": 3, \"count\": 2}, "
		"{\"min\": 4, \"max\": 7, \"count\": 1}, {\"min\": 8, \"max\": 15, \"count\": 0}, "
		"{\"min\": 16, \"max\": 31, \"count\": 1}]");
}

TEST(test_hist_json_top_bucket_max_is_u64_max)
{
	uint64_t c[66] = { [65] = 2 };
	EXPECT_STR(json(&log2_shape, c),
		"[{\"min\": 9223372036854775808, \"max\": 18446744073709551615, \"count\": 2}]");
}

/* lhist(v, 0, 10, 2) for v = -1, 2, 3, 7, 11 */
TEST(test_lhist_has_below_min_and_at_or_above_max_buckets)
{
	struct hist_shape sh = { 1, 0, 10, 2 };
	uint64_t c[7] = { 1, 0, 2, 0, 1, 0, 1 };
	EXPECT_STR(text(&sh, c),
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[0, 2)                 0 |                                                    |\n"
		"[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 6)                 0 |                                                    |\n"
		"[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n"
		"[8, 10)                0 |                                                    |\n"
		"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
	EXPECT_STR(json(&sh, c),
		"[{\"max\": -1, \"count\": 1}, {\"min\": 0, \"max\": 1, \"count\": 0}, "
		"{\"min\": 2, \"max\": 3, \"count\": 2}, {\"min\": 4, \"max\": 5, \"count\": 0}, "
		"{\"min\": 6, \"max\": 7, \"count\": 1}, {\"min\": 8, \"max\": 9, \"count\": 0}, "
		"{\"min\": 10, \"count\": 1}]");
}

/* lhist(2, 0, 10, 2); lhist(11, 0, 10, 2) */
TEST(test_lhist_rows_run_from_first_to_last_nonempty_bucket)
{
	struct hist_shape sh = { 1, 0, 10, 2 };
	uint64_t c[7] = { 0, 0, 1, 0, 0, 0, 1 };
	EXPECT_STR(text(&sh, c),
		"[2, 4)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[4, 6)                 0 |                                                    |\n"
		"[6, 8)                 0 |                                                    |\n"
		"[8, 10)                0 |                                                    |\n"
		"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

/* lhist(-5, 5, 10, 2); lhist(9, 5, 10, 2): (10-5)/2 = 2 inner buckets, the
 * last bucket is labelled with max even though the range stops at 9. */
TEST(test_lhist_nonzero_min_and_range_not_multiple_of_step)
{
	struct hist_shape sh = { 1, 5, 10, 2 };
	uint64_t c[4] = { 1, 0, 0, 1 };
	EXPECT_STR(text(&sh, c),
		"(..., 5)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[5, 7)                 0 |                                                    |\n"
		"[7, 9)                 0 |                                                    |\n"
		"[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	EXPECT_STR(json(&sh, c),
		"[{\"max\": 4, \"count\": 1}, {\"min\": 5, \"max\": 6, \"count\": 0}, "
		"{\"min\": 7, \"max\": 8, \"count\": 0}, {\"min\": 10, \"count\": 1}]");
}

/* lhist(5000, 0, 10240, 1024); lhist(3145728, 1048576, 4194304, 1048576) */
TEST(test_lhist_k_and_m_labels_when_step_is_multiple_of_1024)
{
	struct hist_shape k = { 1, 0, 10240, 1024 }, m = { 1, 1048576, 4194304, 1048576 };
	uint64_t ck[12] = { [5] = 1 }, cm[5] = { [3] = 1 }, below[12] = { [0] = 1, [11] = 1 };
	EXPECT_STR(text(&k, ck),
		"[4K, 5K)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	EXPECT_STR(json(&k, ck), "[{\"min\": 4096, \"max\": 5119, \"count\": 1}]");
	EXPECT_STR(text(&m, cm),
		"[3M, 4M)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	EXPECT_STR(text(&k, below),
		"(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[0, 1K)                0 |                                                    |\n"
		"[1K, 2K)               0 |                                                    |\n"
		"[2K, 3K)               0 |                                                    |\n"
		"[3K, 4K)               0 |                                                    |\n"
		"[4K, 5K)               0 |                                                    |\n"
		"[5K, 6K)               0 |                                                    |\n"
		"[6K, 7K)               0 |                                                    |\n"
		"[7K, 8K)               0 |                                                    |\n"
		"[8K, 9K)               0 |                                                    |\n"
		"[9K, 10K)              0 |                                                    |\n"
		"[10K, ...)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

/* New bpftrace: lhist(2048, 0, 4096, 512) prints plain numbers although
 * 2048 is a multiple of 1024 (0.17 printed [2K, 2560)). */
TEST(test_lhist_plain_numbers_when_step_is_not_multiple_of_1024)
{
	struct hist_shape sh = { 1, 0, 4096, 512 };
	uint64_t c[10] = { [5] = 1, [9] = 1 };
	EXPECT_STR(text(&sh, c),
		"[2048, 2560)           1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[2560, 3072)           0 |                                                    |\n"
		"[3072, 3584)           0 |                                                    |\n"
		"[3584, 4096)           0 |                                                    |\n"
		"[4096, ...)            1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

TEST(test_lhist_negative_bounds_and_negative_k_labels)
{
	struct hist_shape sh = { 1, -10, 10, 5 }, k = { 1, -2048, 2048, 1024 };
	uint64_t c[6] = { 0, 2, 1 }, ck[6] = { 1, 1 };
	EXPECT_STR(text(&sh, c),
		"[-10, -5)              2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[-5, 0)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |\n");
	EXPECT_STR(text(&k, ck),
		"(..., -2K)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[-2K, -1K)             1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
}

TEST(test_hist_huge_counts_do_not_overflow_the_bar)
{
	uint64_t c[66] = { [1] = UINT64_MAX, [2] = UINT64_MAX / 2 };
	EXPECT_STR(text(&log2_shape, c),
		"[0]             18446744073709551615 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		"[1]             9223372036854775807 |@@@@@@@@@@@@@@@@@@@@@@@@@                           |\n");
}

/* hist(n, k): bpftrace 0.20's finer log2 buckets, bounds from its hist_index_label */
TEST(test_hist_with_k_bucket_ranges_and_labels)
{
	struct hist_shape k2 = { .bits = 2 }, k5 = { .bits = 5 };
	uint64_t lo, hi;
	EXPECT_INT(hist_nbuckets(&k2), 63 * 4 + 1);
	EXPECT_INT(hist_nbuckets(&k5), 60 * 32 + 1);
	EXPECT_INT(hist_log2_range(2, 8, &lo, &hi), 1);	/* [7] */
	EXPECT_INT((int)lo, 7);
	EXPECT_INT(hist_log2_range(2, 9, &lo, &hi), 0);	/* [8, 10) */
	EXPECT_INT((int)lo, 8);
	EXPECT_INT((int)hi, 10);
	EXPECT_INT(hist_log2_range(5, 1920, &lo, &hi), 0);	/* the top: saturated */
	EXPECT_INT(hi == UINT64_MAX, 1);
	uint64_t c[253] = { 0 };
	c[9] = 1;	/* [8, 10) */
	c[12] = 1;	/* [14, 16) */
	EXPECT_STR(text(&k2, c),
		   "[8, 10)                1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n"
		   "[10, 12)               0 |                                                    |\n"
		   "[12, 14)               0 |                                                    |\n"
		   "[14, 16)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|\n");
	EXPECT_STR(json(&k2, c), "[{\"min\": 8, \"max\": 9, \"count\": 1}, {\"min\": 10, \"max\": 11, \"count\": 0}, "
				"{\"min\": 12, \"max\": 13, \"count\": 0}, {\"min\": 14, \"max\": 15, \"count\": 1}]");
}
