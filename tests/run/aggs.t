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

### tseries_keeps_one_value_per_interval_reduced_as_asked
bpftrace 0.24's tseries(): the last value by default, or avg/min/max/sum of
an interval's values; one-hour intervals, so all fall in one. A chart per
key, least recently updated first.
--- prog
BEGIN { @last = tseries(5, 1h, 3); @last = tseries(7, 1h, 3); @last = tseries(3, 1h, 3);
  @avg = tseries(5, 1h, 3, "avg"); @avg = tseries(7, 1h, 3, "avg"); @avg = tseries(3, 1h, 3, "avg");
  @k[1] = tseries(-2, 1h, 2, "min"); @k[1] = tseries(4, 1h, 2, "min"); @k[2] = tseries(10, 1h, 2, "min");
  @m = tseries(4, 1h, 2, "max"); @m = tseries(9, 1h, 2, "max"); @s = tseries(4, 1h, 2, "sum"); @s = tseries(9, 1h, 2, "sum"); }
--- stdout-re
\n\n@avg:
             5                                                   5
hh:mm:ss\.ms  \|___________________________________________________\|
\d\d:\d\d:\d\d\.000 \*                                                   \| 5
             v___________________________________________________v
             5                                                   5

@k\[1\]:
             -2                                                 -2
hh:mm:ss\.ms  \|___________________________________________________\|
\d\d:\d\d:\d\d\.000 \*                                                   \| -2
             v___________________________________________________v
             -2                                                 -2

@k\[2\]:
             10                                                 10
hh:mm:ss\.ms  \|___________________________________________________\|
\d\d:\d\d:\d\d\.000 \*                                                   \| 10
             v___________________________________________________v
             10                                                 10

@last:
             3                                                   3
[^\n]*\n\d\d:\d\d:\d\d\.000 \*  +\| 3
[^\n]*\n[^\n]*

@m:
             9                                                   9
[^\n]*\n\d\d:\d\d:\d\d\.000 \*  +\| 9
[^\n]*\n[^\n]*

@s:
             13                                                 13
[^\n]*\n\d\d:\d\d:\d\d\.000 \*  +\| 13
[^\n]*\n[^\n]*

### tseries_charts_a_value_over_time_with_its_scale_and_zero_line
bpftrace's zigzag example: every 50 ms a value from -5 to 5 and back. Each
row's '*' is at floor((v - min) * 52 / (max - min)), '.' marks zero, and
the times step by 50 ms (an interval the machine's load skipped is an
empty row).
--- prog
BEGIN { @dir = 1; @c = -5; }
interval:ms:50 { @ = tseries(@c, 50ms, 40); @c += @dir; if (@c > 5) { @dir = -1; @c = 4 } else if (@c < -5) { @dir = 1; @c = -4; } }
interval:ms:1600 { clear(@dir); clear(@c); exit(); }
--- check
(lambda out, rows: out.startswith("\n\n@:\n             -5" + " " * 50 + "5\nhh:mm:ss.ms  |" + "_" * 51 + "|\n") and len(rows) >= 20 and all(r[13 + (int(r.split()[-1]) + 5) * 52 // 10] == "*" and (r.split()[-1] == "0" or r[13 + 26] == ".") for r in rows if r.endswith(tuple("0123456789"))) and all((int(a[9:12]) + 50) % 1000 == int(b[9:12]) for a, b in zip(rows, rows[1:])))(out, [l for l in out.splitlines() if re.match(r"\d\d:\d\d:\d\d\.\d{3} ", l)])

### tseries_in_json_gives_each_interval_its_time_and_value
--- flags
-q -f json
--- prog
BEGIN { @s = tseries(5, 1h, 3, "max"); @s = tseries(9, 1h, 3, "max"); @s = tseries(2, 1h, 3, "max"); exit(); }
--- stdout-re
\{"type": "tseries", "data": \{"@s": \[\{"time": "\d\d:\d\d:\d\d\.000", "ns": \d+000000000, "value": 9\}\]\}\}\n*

### tseries_arguments_are_checked
--- prog
BEGIN { @s = tseries(5, 1s, 3, "median"); }
--- stderr
stdin:1:32-40: ERROR: tseries() aggregates an interval by "avg", "max", "min" or "sum"
BEGIN { @s = tseries(5, 1s, 3, "median"); }
                               ~~~~~~~~
--- rc
1

### a_tseries_interval_is_above_zero
--- prog
BEGIN { @s = tseries(5, 0, 3); }
--- stderr-has
stdin:1:25-26: ERROR: tseries() interval must be above 0 (ns; 100ms, 1s also work)
--- rc
1

### a_tseries_is_not_read_in_an_expression
--- prog
BEGIN { @s = tseries(5, 1s, 3); $x = @s; }
--- stderr-has
stdin:1:38-40: ERROR: the tseries_t(1000000000 ns, 3, last) value of @s cannot be read in an expression; print(@s) shows it
--- rc
1
