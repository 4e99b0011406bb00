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
