### count_sum_min_max_avg
--- prog
BEGIN { @c = count(); @c = count(); @s = sum(5); @s = sum(-2); @mi = min(5); @mi = min(-3); @ma = max(-5); @ma = max(-9); @av = avg(-7); @av = avg(2); exit(); }
--- stdout


@av: -2
@c: 2
@ma: -5
@mi: -3
@s: 3

### stats_prints_count_average_total
--- prog
BEGIN { @s = stats(2); @s = stats(4); @s = stats(6); exit(); }
--- stdout


@s: { .count = 3, .average = 4, .total = 12 }

### keyed_counts_sort_by_value
--- prog
BEGIN { @[3] = count(); @[1] = count(); @[1] = count(); @[2] = count(); @[2] = count(); @[2] = count(); exit(); }
--- stdout


@[3]: 1
@[1]: 2
@[2]: 3

### hist_buckets_negative_zero_and_powers_of_two
--- prog
BEGIN { @ = hist(-1); @ = hist(2); @ = hist(3); @ = hist(7); @ = hist(20); exit(); }
--- stdout


@:
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[0]                    0 |                                                    |
[1]                    0 |                                                    |
[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[8, 16)                0 |                                                    |
[16, 32)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |


### hist_large_values_use_k_m_suffixes
--- prog
BEGIN { @h = hist(1024); @h = hist(3000000); exit(); }
--- stdout-re
\n\n@h:\n\[1K, 2K\) +1 \|@+\|\n(.*\n)*\[2M, 4M\) +1 \|@+\|

### lhist_buckets_below_inside_and_above
--- prog
BEGIN { @l = lhist(2, 0, 10, 2); @l = lhist(3, 0, 10, 2); @l = lhist(7, 0, 10, 2); @l = lhist(-1, 0, 10, 2); @l = lhist(11, 0, 10, 2); exit(); }
--- stdout


@l:
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[0, 2)                 0 |                                                    |
[2, 4)                 2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[4, 6)                 0 |                                                    |
[6, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[8, 10)                0 |                                                    |
[10, ...)              1 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |


### keyed_histograms_order_by_total
--- prog
BEGIN { @h["b"] = hist(1); @h["b"] = hist(1); @h["a"] = hist(4); exit(); }
--- stdout


@h[a]:
[4, 8)                 1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@h[b]:
[1]                    2 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|


### zero_keeps_entries_with_zero_values
--- prog
BEGIN { @c["a"] = count(); @c["a"] = count(); zero(@c); exit(); }
--- stdout


@c[a]: 0

### json_for_hist_and_stats
--- flags
-f json
--- prog
BEGIN { @h = hist(3); @l = lhist(100, 0, 100, 10); @s = stats(3); @av[1] = avg(4); exit(); }
--- stdout
{"type": "attached_probes", "data": {"probes": 1}}
{"type": "stats", "data": {"@av": {"1": 4}}}
{"type": "hist", "data": {"@h": [{"min": 2, "max": 3, "count": 1}]}}
{"type": "hist", "data": {"@l": [{"min": 100, "count": 1}]}}
{"type": "stats", "data": {"@s": {"count": 1, "average": 3, "total": 3}}}

### aggregation_must_be_assigned_to_a_map
--- prog
BEGIN { $x = count(); }
--- rc
1
--- stderr
stdin:1:14-21: ERROR: count() should be directly assigned to a map
BEGIN { $x = count(); }
             ~~~~~~~

### hist_with_k_splits_each_power_of_two_in_2_to_the_k_buckets
bpftrace 0.20's hist(n, k): below 2^(k+1) one value per bucket, then each
power of two in 2^k equal parts; bounds take K/M/G as bpftrace writes them.
--- prog
BEGIN { for ($i : 0..70) { @h = hist($i, 2); } @b = hist(1000000, 3); @b = hist(1100000, 3); @n = hist(-5, 1); @n = hist(0, 1); exit(); }
--- stdout


@b:
[960K, 1024K)          1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[1024K, 1152K)         1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

@h:
[0]                    1 |@@@@@@                                              |
[1]                    1 |@@@@@@                                              |
[2]                    1 |@@@@@@                                              |
[3]                    1 |@@@@@@                                              |
[4]                    1 |@@@@@@                                              |
[5]                    1 |@@@@@@                                              |
[6]                    1 |@@@@@@                                              |
[7]                    1 |@@@@@@                                              |
[8, 10)                2 |@@@@@@@@@@@@@                                       |
[10, 12)               2 |@@@@@@@@@@@@@                                       |
[12, 14)               2 |@@@@@@@@@@@@@                                       |
[14, 16)               2 |@@@@@@@@@@@@@                                       |
[16, 20)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[20, 24)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[24, 28)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[28, 32)               4 |@@@@@@@@@@@@@@@@@@@@@@@@@@                          |
[32, 40)               8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[40, 48)               8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[48, 56)               8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[56, 64)               8 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[64, 80)               6 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@             |

@n:
(..., 0)               1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
[0]                    1 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|

### hist_with_k_in_json_gives_inclusive_bounds_to_the_top_of_uint64
The largest value falls in the last of (65 - 5) * 32 buckets.
--- flags
-q -f json
--- prog
BEGIN { @h = hist(0xffffffffffffffff, 5); @g = hist(3, 1); @g = hist(9, 1); exit(); }
--- stdout
{"type": "hist", "data": {"@g": [{"min": 3, "max": 3, "count": 1}, {"min": 4, "max": 5, "count": 0}, {"min": 6, "max": 7, "count": 0}, {"min": 8, "max": 11, "count": 1}]}}
{"type": "hist", "data": {"@h": [{"min": 18158513697557839872, "max": 18446744073709551615, "count": 1}]}}

### hist_k_must_be_a_constant_from_0_to_5
--- prog
BEGIN { @x = hist(1, 6); }
--- stderr
stdin:1:22-23: ERROR: hist() k is 0 to 5 (2^k buckets per power of two), not 6
BEGIN { @x = hist(1, 6); }
                     ~
--- rc
1

### one_map_keeps_one_k
--- prog
BEGIN { @h = hist(1, 1); @h = hist(1, 2); }
--- stderr-has
ERROR: Type mismatch for @h: trying to assign value of type 'hist_t(k=2)' when map already contains a value of type 'hist_t(k=1)'
--- rc
1
