# --metrics: sonde serves its maps to a real Prometheus (Debian's 2.42),
# started by tests/run/scripts/prom_query.py on a loopback port with a
# temporary config and data directory, ended by pid. Targets:
# tests/targets/slow.c (work(): every 4th call naps 5 ms, the others return
# at once), sysload.c (exact system calls). {PORT} is a free loopback port.

### funccount_metrics_give_prometheus_the_exact_call_count
40 calls of work(): Prometheus reads exactly 40 from funccount's counter,
labelled by function, and promtool accepts the page.
--- background
python3 tests/run/scripts/prom_query.py {PORT} --target 'build/targets/slow wait 1500 work 40' --until 'sonde_funccount_calls_total == 40' --page 'sonde_funccount_calls_total{function="work"}'
--- flags
funccount --metrics {PORT} -d 7 build/targets/slow:work
--- check
bg_out == 'sonde_funccount_calls_total{function="work"} => 40\npromtool: ok\n' and "work                                       40" in out

### funclatency_metrics_histogram_has_exact_log2_bounds_in_seconds
A quarter of work()'s 40 calls nap 5 ms: in Prometheus, the share of calls
at or under 2^20-1 ns (le="0.001048575") is exactly 0.75, the 90th
percentile lies in the nap's bucket (4194304 to 8388607 ns), and the sum
holds the naps.
--- background
python3 tests/run/scripts/prom_query.py {PORT} --target 'build/targets/slow wait 1500 work 40' --until 'sonde_funclatency_seconds_count == 40' --page 'sonde_funclatency_seconds_bucket{le="0.001048575"} / ignoring(le) sonde_funclatency_seconds_count' 'histogram_quantile(0.9, sonde_funclatency_seconds_bucket) > 0.004194303 < 0.008388607 > bool 0' 'sonde_funclatency_seconds_sum >= bool 0.05' 'sonde_funclatency_seconds_bucket{le="0.008388607"}' 'sonde_funclatency_seconds_bucket{le="+Inf"}'
--- flags
funclatency --metrics {PORT} -d 7 build/targets/slow:work
--- check
bg_out == 'sonde_funclatency_seconds_bucket{le="0.001048575"} / ignoring(le) sonde_funclatency_seconds_count => 0.7500\nhistogram_quantile(0.9, sonde_funclatency_seconds_bucket) > 0.004194303 < 0.008388607 > bool 0 => 1\nsonde_funclatency_seconds_sum >= bool 0.05 => 1\nsonde_funclatency_seconds_bucket{le="0.008388607"} => 40\nsonde_funclatency_seconds_bucket{le="+Inf"} => 40\npromtool: ok\n'

### a_counter_the_script_clears_every_200_ms_never_goes_down
clear(@work_calls) runs five times a second while work() is called 40
times: the exported counter still reaches exactly 40 and Prometheus sees
no reset, while the map itself ends empty (not printed at exit).
--- background
python3 tests/run/scripts/prom_query.py {PORT} --target 'build/targets/slow wait 1500 work 40' --until 'sonde_work_calls_total == 40' --stay 2 'sonde_work_calls_total' 'resets(sonde_work_calls_total[1m])' 'sonde_all_calls_total'
--- flags
-q --metrics {PORT}
--- prog
uprobe:build/targets/slow:work { @work_calls = count(); @all_calls = count(); } interval:ms:200 { clear(@work_calls); } interval:s:8 { exit(); }
--- check
bg_out == 'sonde_work_calls_total => 40\nresets(sonde_work_calls_total[1m]) => 0\nsonde_all_calls_total => 40\n' and "@work_calls" not in out and "@all_calls: 40" in out

### every_map_kind_escaped_labels_and_many_keys_pass_promtool
count() keyed by comm and a string with a quote, a backslash and a newline
(escaped), 150 keys, hist(), lhist(), stats(), min(), max(), avg() and a
plain value: promtool accepts the text page; an OpenMetrics Accept header
gets OpenMetrics (its content type, `# EOF`); `/` lists what is exported.
--- background
sh -c 'sleep 2; curl -sf http://127.0.0.1:{PORT}/metrics > {TMP}/page && promtool check metrics < {TMP}/page && echo promtool-ok; curl -sf -D {TMP}/hdr -H "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5" http://127.0.0.1:{PORT}/metrics > {TMP}/om; grep -i "^content-type" {TMP}/hdr | tr -d "\r"; tail -1 {TMP}/om; curl -sf http://127.0.0.1:{PORT}/ > {TMP}/index'
--- flags
-q --metrics {PORT}
--- prog
interval:ms:10 { @requests[comm, "q\"b\\s\nn"] = count(); @request_bytes = hist(@ticks * 1000); @size_bytes = lhist(@ticks % 100, 0, 100, 10); @ticks++; @payload_bytes = stats(@ticks); @smallest_tick = min(@ticks); @largest_tick = max(@ticks); @mean_bytes = avg(@ticks); @by_slot[@ticks % 150] = count(); }
interval:ms:3000 { exit(); }
--- check
(lambda page, index, bg_out: bg_out == "promtool-ok\nContent-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\n# EOF\n" and re.search(r'^sonde_requests_total\{comm="sonde[-a-z]*",key1="q\\"b\\\\s\\nn"\} \d+$', page, re.M) and len(re.findall(r"^sonde_by_slot_total\{slot=", page, re.M)) == 0 and len(re.findall(r"^sonde_by_slot_total\{key0=\"\d+\"\} \d+$", page, re.M)) == 150 and re.search(r'^sonde_request_bytes_bucket\{le="1023"\} \d+$', page, re.M) and 'sonde_size_bytes_bucket{le="9"}' in page and re.search(r"^sonde_payload_bytes_count \d+$", page, re.M) and "# TYPE sonde_payload_bytes summary" in page and "# TYPE sonde_mean_bytes gauge" in page and "# TYPE sonde_ticks gauge" in page and re.search(r"^sonde_requests_total +counter +comm,key1 ", index, re.M))(open("{TMP}/page").read(), open("{TMP}/index").read(), bg_out)

### histogram_buckets_are_bpftrace_buckets_cumulated_with_exact_integer_bounds
Values 0, 1, 2, 3, 4, 1000: bpftrace's buckets [0], [1], [2, 4), [4, 8) …
[512, 1K) give le 0, 1, 3, 7 … 1023 (2^k - 1), cumulative, from the bucket
below the lowest used one; lhist(v, 0, 10, 5) gives le -1, 4, 9 and +Inf.
--- background
sh -c 'sleep 1.5; curl -sf http://127.0.0.1:{PORT}/metrics | grep -E "^sonde_(value|linear)_bytes"'
--- flags
-q --metrics {PORT}
--- prog
BEGIN { @value_bytes = hist(0); @value_bytes = hist(1); @value_bytes = hist(2); @value_bytes = hist(3); @value_bytes = hist(4); @value_bytes = hist(1000); @linear_bytes = lhist(3, 0, 10, 5); @linear_bytes = lhist(7, 0, 10, 5); @linear_bytes = lhist(12, 0, 10, 5); }
interval:ms:2500 { exit(); }
--- check
bg_out == 'sonde_linear_bytes_bucket{le="-1"} 0\nsonde_linear_bytes_bucket{le="4"} 1\nsonde_linear_bytes_bucket{le="9"} 2\nsonde_linear_bytes_bucket{le="+Inf"} 3\nsonde_linear_bytes_count 3\nsonde_value_bytes_bucket{le="0"} 1\nsonde_value_bytes_bucket{le="1"} 2\nsonde_value_bytes_bucket{le="3"} 4\nsonde_value_bytes_bucket{le="7"} 5\nsonde_value_bytes_bucket{le="15"} 5\nsonde_value_bytes_bucket{le="31"} 5\nsonde_value_bytes_bucket{le="63"} 5\nsonde_value_bytes_bucket{le="127"} 5\nsonde_value_bytes_bucket{le="255"} 5\nsonde_value_bytes_bucket{le="511"} 5\nsonde_value_bytes_bucket{le="1023"} 6\nsonde_value_bytes_bucket{le="+Inf"} 6\nsonde_value_bytes_count 6\n'

### syscount_metrics_name_system_calls
sysload's 7 getppid() calls, counted by syscount: the label is the call's
name.
--- background
sh -c 'sleep 1.5; build/targets/sysload getppid 7; sleep 0.3; curl -sf http://127.0.0.1:{PORT}/metrics | grep "^sonde_syscount_calls_total{syscall=\"getppid\"}"'
--- flags
syscount --metrics {PORT} -d 3
--- check
re.fullmatch(r'sonde_syscount_calls_total\{syscall="getppid"\} (\d+)\n', bg_out) is not None and int(bg_out.split()[-1]) >= 7

### probe_stats_export_each_probe_runs_and_run_time
--probe-stats turns the kernel's BPF statistics on: each probe's runs and
time in it are exported, labelled by probe and line.
--- background
sh -c 'sleep 1.5; curl -sf http://127.0.0.1:{PORT}/metrics | grep "^sonde_probe_run"'
--- flags
-q --metrics {PORT} --probe-stats
--- prog
interval:ms:10 { @ticks = count(); }
interval:ms:2500 { exit(); }
--- check
re.search(r'^sonde_probe_runs_total\{probe="interval:ms:10",line="1"\} ([1-9]\d*)$', bg_out, re.M) is not None and re.search(r'^sonde_probe_run_seconds_total\{probe="interval:ms:10",line="1"\} 0\.\d{9}$', bg_out, re.M) is not None

### metrics_runs_until_sigterm_and_exits_cleanly
A service: no exit() in the script; SIGTERM ends it with status 0, maps
printed, the address said on stderr.
--- flags
-q --metrics {PORT}
--- prog
interval:ms:100 { @ticks = count(); }
--- signal
SIGTERM 1500
--- stderr-has
Serving metrics at http://127.0.0.1:{PORT}/metrics
--- check
re.search(r"^@ticks: \d+$", out, re.M) is not None

### metrics_port_in_use_is_refused_before_anything_runs
A listener holds the port first (the setup waits until it listens: a
loaded machine starts python slowly); it ends by itself.
--- setup
python3 -c "import socket,time; s=socket.socket(); s.bind(('127.0.0.1', {PORT})); s.listen(); time.sleep(4)" > /dev/null 2>&1 &
for i in $(seq 200); do ss -Hltn "sport = :{PORT}" | grep -q . && break; sleep 0.05; done
--- flags
-q --metrics {PORT}
--- prog
BEGIN { printf("ran\n"); exit(); }
--- rc
1
--- stdout
--- stderr
ERROR: --metrics: cannot listen on 127.0.0.1:{PORT}: Address already in use (another program, or another sonde --metrics, serves there: give another port)

### metrics_bad_addresses_are_refused
--- flags
-q --metrics=127.0.0.1:70000
--- prog
BEGIN { exit(); }
--- rc
1
--- stderr
ERROR: --metrics: bad address '127.0.0.1:70000': expected PORT, HOST:PORT or [IPV6]:PORT (port 0 to 65535)

### metrics_ipv6_needs_brackets
--- flags
-q --metrics=::1:9435
--- prog
BEGIN { exit(); }
--- rc
1
--- stderr
ERROR: --metrics: bad address '::1:9435': expected PORT, HOST:PORT or [IPV6]:PORT (port 0 to 65535)

### metrics_an_address_no_interface_has_is_refused
192.0.2.1 is TEST-NET-1: no interface has it, nothing is sent.
--- flags
-q --metrics 192.0.2.1:9435
--- prog
BEGIN { exit(); }
--- rc
1
--- stderr
ERROR: --metrics: cannot listen on 192.0.2.1:9435: Cannot assign requested address (no interface of this host has that address)

### metrics_a_stack_key_cannot_be_a_label
--- flags
-q --metrics {PORT}
--- prog
profile:hz:99 { @stacks[kstack] = count(); }
--- rc
1
--- stderr
stdin:1:17-32: ERROR: --metrics: @stacks is keyed by a stack, which cannot be a label (every stack would be a series, its frames one long value); name it @_stacks to keep it out of the metrics, or key it by func, probe or comm
profile:hz:99 { @stacks[kstack] = count(); }
                ~~~~~~~~~~~~~~~

### metrics_private_maps_stay_out
A map named @_… is not exported: the stack is fine there.
--- background
sh -c 'sleep 1.5; curl -sf http://127.0.0.1:{PORT}/metrics | grep -c "^sonde_ticks_total " ; curl -sf http://127.0.0.1:{PORT}/metrics | grep -c "stacks"'
--- flags
-q --metrics {PORT}
--- prog
profile:hz:99 { @_stacks[kstack] = count(); } interval:ms:10 { @ticks = count(); } interval:ms:2500 { exit(); }
--- check
bg_out == "1\n0\n"

### metrics_a_string_value_cannot_be_a_metric
--- flags
-q --metrics {PORT}
--- prog
BEGIN { @last = comm; }
--- rc
1
--- stderr-has
ERROR: --metrics: @last holds string[64] values, which cannot be a metric (numbers, count(), sum(), min(), max(), avg(), stats(), hist() and lhist() can); name it @_last to keep it out of the metrics

### metrics_is_refused_by_tools_without_it
--- flags
execsnoop --metrics {PORT}
--- rc
1
--- stderr
ERROR: execsnoop: --metrics is not available for this tool yet (funccount, funclatency, syscount, ucalls, ustat, tcprtt, tcptop, tcpsubnet and tcpsynbl have it; any script has it: sonde --metrics -e '…')

### probe_stats_need_metrics
--- flags
-q --probe-stats
--- prog
BEGIN { exit(); }
--- rc
1
--- stderr
ERROR: --probe-stats goes with --metrics: the figures are exported there

### slo_guide_queries_give_the_sli_of_a_target_down_half_the_time
docs/slo.md's recording rules and queries, as written there but for their
windows ([1m] → [1s], [30d:1m] → [8s:250ms], the run's length; scrapes and
rules every 250 ms), evaluated just after the target exits: `slow phases 400
2` is up 2 s (fast calls) then down 2 s (5 ms calls), twice. The per-minute
SLI reads 0 after the down phase; the availability is what a window w over
phases p gives, (p - w) / 2p = 0.25 (a window holding a switch is bad); the
error budget is overspent; exactly half the calls were fast.
--- background
python3 tests/run/scripts/prom_query.py {PORT} --interval 250ms --target 'build/targets/slow wait 1500 phases 400 2' --deadline 16 --doc docs/slo.md --scale [1m]=[1s] --scale [30d:1m]=[8s:250ms] --at-exit
--- flags
funclatency --metrics {PORT} -d 14 build/targets/slow:work
--- check
(lambda r: r.get("doc[0]") == "0" and 0.15 < float(r.get("doc[1]", "nan")) < 0.4 and float(r.get("doc[2]", "nan")) < -500 and r.get("doc[3]") == "0.5000" and len(r) == 4)(dict(l.split(" => ", 1) for l in bg_out.splitlines() if " => " in l))

### native_histograms_over_protobuf_one_series_per_hist
Prometheus with --enable-feature=native-histograms asks for the protobuf
format: hist() values 0, 1, 2, 3, 4, 1000 become one native histogram
(schema 0): 0 in the zero bucket, [1] in (0.5, 1], [2, 4) in (2, 4] (its
largest value's bucket: 2 itself is counted one bucket up), [4, 8) in (4,
8], [512, 1K) in (512, 1024]; its sum is unknown (NaN). A hist() with a
negative value and an lhist() stay classic (Prometheus writes their bounds
as floats); counters and gauges read as in the text format.
--- background
python3 tests/run/scripts/prom_query.py {PORT} --native --deadline 14 --until 'sonde_ticks == 5' 'sonde_value_bytes' 'histogram_fraction(0, 1, sonde_value_bytes)' 'count({__name__=~"sonde_value_bytes.*"})' 'sonde_linear_bytes_bucket{le="4.0"}' 'sonde_neg_bytes_bucket{le="-1.0"}' 'sonde_neg_bytes_count' 'sonde_events_lost_total' 'sonde_ticks'
--- flags
-q --metrics {PORT}
--- prog
BEGIN { @value_bytes = hist(0); @value_bytes = hist(1); @value_bytes = hist(2); @value_bytes = hist(3); @value_bytes = hist(4); @value_bytes = hist(1000); @linear_bytes = lhist(3, 0, 10, 5); @neg_bytes = hist(-5); @neg_bytes = hist(7); @ticks = 5; }
interval:s:16 { exit(); }
--- check
bg_out == 'sonde_value_bytes => histogram count=6 sum=NaN (-0,0]=1 (0.5,1]=1 (2,4]=2 (4,8]=1 (512,1024]=1\nhistogram_fraction(0, 1, sonde_value_bytes) => 0.3333\ncount({__name__=~"sonde_value_bytes.*"}) => 1\nsonde_linear_bytes_bucket{le="4.0"} => 1\nsonde_neg_bytes_bucket{le="-1.0"} => 1\nsonde_neg_bytes_count => 2\nsonde_events_lost_total => 0\nsonde_ticks => 5\n'

### a_counter_the_script_zeroes_keeps_counting
zero(@ticks_seen) every 250 ms: the map holds at most 3 ticks, the exported
counter every tick since the start (10 a second), rising between scrapes.
--- background
sh -c 'sleep 1; curl -sf http://127.0.0.1:{PORT}/metrics | grep "^sonde_ticks_seen_total"; sleep 1; curl -sf http://127.0.0.1:{PORT}/metrics | grep "^sonde_ticks_seen_total"'
--- flags
-q --metrics {PORT}
--- prog
interval:ms:100 { @ticks_seen = count(); } interval:ms:250 { zero(@ticks_seen); } interval:ms:2500 { exit(); }
--- check
(lambda v: len(v) == 2 and 6 <= v[0] < v[1] <= 26 and v[1] - v[0] >= 6)([int(x) for x in re.findall(r"^sonde_ticks_seen_total (\d+)$", bg_out, re.M)]) and int(re.search(r"^@ticks_seen: (\d+)$", out, re.M).group(1)) <= 3

### histogram_with_k_exports_its_finer_bounds
hist(n, 2): 5 and 6 fall in [5] and [6]; 9 in [8, 10) (le 9); 70 in
[64, 80) (le 79). Classic buckets: its parts are not a native schema.
--- background
sh -c 'sleep 1.5; curl -sf http://127.0.0.1:{PORT}/metrics | grep -E "^sonde_fine_bytes_(bucket|count)"'
--- flags
-q --metrics {PORT}
--- prog
BEGIN { @fine_bytes = hist(5, 2); @fine_bytes = hist(6, 2); @fine_bytes = hist(9, 2); @fine_bytes = hist(70, 2); }
interval:ms:2500 { exit(); }
--- check
bg_out.startswith('sonde_fine_bytes_bucket{le="4"} 0\nsonde_fine_bytes_bucket{le="5"} 1\nsonde_fine_bytes_bucket{le="6"} 2\nsonde_fine_bytes_bucket{le="7"} 2\nsonde_fine_bytes_bucket{le="9"} 3\n') and 'sonde_fine_bytes_bucket{le="79"} 4\n' in bg_out and 'sonde_fine_bytes_bucket{le="63"} 3\n' in bg_out and bg_out.endswith('sonde_fine_bytes_bucket{le="+Inf"} 4\nsonde_fine_bytes_count 4\n')
