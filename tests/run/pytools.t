# The Python tools (ucalls, ugc, ustat, uflow) on Debian's /usr/bin/python3.11
# running tests/targets/python/utools.py, which sleeps first ("WAIT_MS")
# while the tool attaches with -p, calls known functions a known number of
# times, checks its own results and prints "ok ..." (bg_out): tracing must
# not change what it computes. The interpreter collects again as it exits,
# so ugc sees more than the program asks for. In 3.11 calls are counted at their returns;
# entries (for -L and uflow) are uprobes on the interpreter's RESUME handlers.

### ucalls_counts_exactly_the_calls_of_a_function_called_1000_times
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 1000 0 0
--- flags
ucalls {BG}
--- check
out.startswith(f"Tracing calls in process {bg_pid} (language: python)... Ctrl-C to quit.\nCalls are counted at their returns") and re.search(r"^\S*utools\.py\.sonde_known +1000$", out, re.M) is not None and re.search(r"^METHOD +# CALLS$", out, re.M) is not None and out.endswith("Detaching...\n") and bg_out == "ok 1000 0 0\n"

### ucalls_latency_shows_a_10_ms_nap_as_at_least_10_ms
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 10 3 0
--- flags
ucalls -L -m {BG}
--- check
(lambda m: m is not None and 30.0 <= float(m.group(1)) < 1000.0)(re.search(r"^\S*utools\.py\.sonde_slow +3 +([0-9.]+)$", out, re.M)) and re.search(r"^METHOD +# CALLS TIME \(ms\)$", out, re.M) is not None and "uprobes on the interpreter's RESUME handlers" in out and bg_out == "ok 10 3 0\n"

### ucalls_latency_of_a_fast_function_is_below_that_of_the_nap
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 200 2 0
--- flags
ucalls -L {BG}
--- check
(lambda k, s: k is not None and s is not None and int(k.group(1)) == 200 and float(k.group(2)) / 200 < float(s.group(1)) / 2 and float(s.group(1)) >= 20000)(re.search(r"^\S*utools\.py\.sonde_known +(\d+) +([0-9.]+)$", out, re.M), re.search(r"^\S*utools\.py\.sonde_slow +2 +([0-9.]+)$", out, re.M))

### ucalls_top_keeps_the_most_called
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 1000 0 0
--- flags
ucalls -T 1 {BG}
--- check
re.search(r"^METHOD +# CALLS\n\S*utools\.py\.sonde_known +1000\nDetaching", out, re.M) is not None

### ucalls_counts_syscalls_with_dash_S
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 500 0 0
--- flags
ucalls -S {BG}
--- check
(lambda m: m is not None and int(m.group(1)) >= 500)(re.search(r"^getppid +(\d+)$", out, re.M)) and "Attached kernel tracepoints for syscall tracing.\n" in out and out.endswith("Detaching kernel probes, please wait...\n")

### ucalls_json_is_one_object_per_summary
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 100 0 0
--- flags
ucalls --json {BG}
--- check
(lambda l, p: l[0]["type"] == "attached" and l[0]["data"]["pid"] == p and l[1]["type"] == "calls" and any(r["method"].endswith("utools.py.sonde_known") and r["calls"] == 100 for r in l[1]["data"]["rows"]))([__import__("json").loads(x) for x in out.splitlines()], bg_pid)

### ucalls_refuses_a_process_that_is_not_python_in_one_line
--- background
sleep 3
--- flags
ucalls {BG}
--- rc
1
--- check
out == "" and err.count("\n") == 1 and err.startswith("ERROR: ucalls: process ") and "(sleep) is not a Python process" in err

### ugc_sees_each_gc_collect_with_its_duration
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 10 0 3
--- flags
ugc {BG}
--- check
out.startswith(f"Tracing garbage collections in python process {bg_pid}... Ctrl-C to quit.\nSTART    TIME (us) DESCRIPTION") and len(re.findall(r"^\d+\.\d{3} +([0-9.]+) +gen 2 GC collected \d+ objects$", out, re.M)) >= 3 and all(float(d) > 0 for d in re.findall(r"^\d+\.\d{3} +([0-9.]+) +gen 2 GC", out, re.M)) and bg_out == "ok 10 0 3\n"

### ugc_minimum_hides_collections_shorter_than_it
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 10 0 3
--- flags
ugc -m -M 5000 {BG}
--- check
out == f"Tracing garbage collections in python process {bg_pid}... Ctrl-C to quit.\nSTART    TIME (ms) DESCRIPTION                             \n"

### ugc_refuses_a_process_that_is_not_python
--- background
sleep 3
--- flags
ugc {BG}
--- rc
1
--- stderr-has
is not a Python process

### ustat_lists_a_python3_11_process_found_by_what_it_maps_with_its_call_rate
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 300 10 0 0 4
--- flags
ustat -C 1 2
--- check
(lambda rows: len(rows) == 2 and all(int(r) > 1000 for r in rows))(re.findall(r"^" + str(bg_pid) + r" +/usr/bin/python3\.11 +(\d+) +\d+ +0 +\d+ +0 +0 *$", out, re.M)) and out.startswith("Tracing... Output every 1 secs. Hit Ctrl-C to end\n") and len(re.findall(r"^PID    CMDLINE              METHOD/s   GC/s   OBJNEW/s   CLOAD/s  EXC/s  THR/s $", out, re.M)) == 2 and re.search(r"^\d\d:\d\d:\d\d loadavg: ", out, re.M) is not None

### ustat_json_sorted_by_method_and_cut_to_maxrows
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 300 10 0 0 3
--- flags
ustat --json -S method -r 50 1 1
--- check
(lambda l, p: l[0]["type"] == "attached" and l[1]["type"] == "rates" and [r["method"] for r in l[1]["data"]["rows"]] == sorted((r["method"] for r in l[1]["data"]["rows"]), reverse=True) and any(r["pid"] == p and r["method"] > 1000 for r in l[1]["data"]["rows"]))([__import__("json").loads(x) for x in out.splitlines()], bg_pid)

### uflow_shows_the_nesting_of_a_known_chain
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 2 0 0
--- flags
uflow {BG}
--- check
out.startswith(f"Tracing method calls in python process {bg_pid}... Ctrl-C to quit.\nPython 3.11 fires function__entry only for calls from C: entries are uprobes on the interpreter's RESUME handlers.\nCPU PID    TID    TIME(us) METHOD\n") and (lambda p, o: [re.sub(r"\S*utools\.py\.", "", l[27:]) for l in o.splitlines() if re.match(r"\d+ +%d +%d +\d+\.\d{3} " % (p, p), l)])(bg_pid, out) == ["-> sonde_known", "<- sonde_known"] * 2 + ["-> sonde_top", "  -> sonde_mid", "    -> sonde_leaf", "    <- sonde_leaf", "  <- sonde_mid", "<- sonde_top", "<- <module>"] and bg_out == "ok 2 0 0\n"

### uflow_method_prefix_keeps_only_those_calls
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 2 0 0
--- flags
uflow -M sonde_l {BG}
--- check
(lambda o: [re.sub(r"\S*utools\.py\.", "", l[27:]) for l in o.splitlines() if re.match(r"\d+ +\d+ +\d+ +\d+\.\d{3} ", l)])(out) == ["-> sonde_leaf", "<- sonde_leaf"]

### uflow_class_prefix_is_the_file_name
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 1000 2 0 0
--- flags
uflow -C /nonexistent/ {BG}
--- check
len(re.findall(r"^\d+ +\d+ +\d+ +[0-9.]+ ", out, re.M)) == 0 and out.endswith("METHOD\n")

### uflow_refuses_a_process_that_is_not_python
--- background
sleep 3
--- flags
uflow {BG}
--- rc
1
--- stderr-has
is not a Python process

### uflow_pairs_an_exception_a_generator_and_a_coroutine_and_names_a_non_ascii_function
--- background
/usr/bin/python3.11 -I -S tests/targets/python/flows.py
--- flags
uflow {BG}
--- check
(lambda o: [re.sub(r"\S*flows\.py\.", "", l[27:]) for l in o.splitlines() if re.match(r"\d+ +\d+ +\d+ +\d+\.\d{3} ", l)])(out) in (["-> flow_catch", "  -> flow_boom", "  <- flow_boom", "<- flow_catch"] + ["-> flow_gen", "<- flow_gen"] * 3 + ["-> flow_co", "<- flow_co", first, "<- flow_größe", "-> flow_größe", "<- flow_größe", "-> flow_closer", "  -> flow_gen", "  <- flow_gen", "  <- flow_gen", "<- flow_closer", "<- <module>"] for first in ("-> flow_größe", "-> ")) and bg_out == "ok\n"

### ucalls_on_a_program_given_with_dash_c_names_its_functions_string
--- background
/usr/bin/python3.11 -I -S -c "import time; time.sleep(1); f = lambda n: n + 1; [f(i) for i in range(50)]; print('ok')"
--- flags
ucalls {BG}
--- check
re.search(r"^<string>\.<lambda> +50$", out, re.M) is not None and re.search(r"^<string>\.<listcomp> +1$", out, re.M) is not None and bg_out == "ok\n"

### harm_detaching_from_a_running_call_heavy_loop_leaves_its_results_right
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 300 1000 2 2 3
--- flags
ucalls -L -S -d 1 {BG}
--- check
re.search(r"^\S*utools\.py\.sonde_known +\d+ +[0-9.]+$", out, re.M) is not None and re.fullmatch(r"ok 1000 2 2\nspun \d+\n", bg_out) is not None

### ucalls_counts_and_times_the_calls_of_four_threads_each_on_its_own_stack
--- background
/usr/bin/python3.11 -I -S tests/targets/python/threads.py
--- flags
ucalls -L -m {BG}
--- check
re.search(r"^\S*threads\.py\.sonde_tcall +2000 +[0-9.]+$", out, re.M) is not None and (lambda m: m is not None and 80.0 <= float(m.group(1)) < 2000.0)(re.search(r"^\S*threads\.py\.sonde_tnap +4 +([0-9.]+)$", out, re.M)) and re.search(r"^\S*threads\.py\.work +4 +[0-9.]+$", out, re.M) is not None and bg_out == "ok\n"

### ucalls_intervals_print_what_happened_since_the_last_one_and_lose_nothing
--- background
/usr/bin/python3.11 -I -S tests/targets/python/utools.py 300 1000 0 0 2.5
--- flags
ucalls {BG} 1
--- check
len(re.findall(r"^METHOD +# CALLS$", out, re.M)) >= 2 and (lambda o, spun: sum(int(c) for c in re.findall(r"^\S*utools\.py\.sonde_known +(\d+)$", o, re.M)) == 1000 + spun)(out, int(re.search(r"^spun (\d+)$", bg_out, re.M).group(1)))

### ucalls_metrics_count_each_function_by_file_and_name
--- background
/usr/bin/python3.11 -I -S tests/targets/python/scrape.py {PORT} 1000 300
--- flags
ucalls --metrics 127.0.0.1:{PORT} {BG}
--- check
re.fullmatch(r'sonde_ucalls_calls_total\{file="\S*scrape\.py",function="sonde_known"\} 300\n', bg_out) is not None

### ucalls_latency_pairs_each_return_with_its_own_entry_around_a_closed_generator
--- background
/usr/bin/python3.11 -I -S tests/targets/python/flows.py
--- flags
ucalls -L -m {BG}
--- check
(lambda m: m is not None and 30.0 <= float(m.group(1)) < 1000.0)(re.search(r"^\S*flows\.py\.flow_closer +1 +([0-9.]+)$", out, re.M)) and re.search(r"^\S*flows\.py\.flow_gen +5 +[0-9.]+$", out, re.M) is not None and re.search(r"^\S*flows\.py\.flow_größe +2 +[0-9.]+$", out, re.M) is not None and bg_out == "ok\n"

### ustat_metrics_count_the_calls_of_each_python_process
--- background
/usr/bin/python3.11 -I -S tests/targets/python/scrape.py {PORT} 1000 300 ustat
--- flags
ustat -C --metrics 127.0.0.1:{PORT} 1 4
--- check
(lambda m, p: m is not None and m.group(1) == str(p) and int(m.group(2)) >= 300)(re.fullmatch(r'sonde_ustat_calls_total\{pid="(\d+)"\} (\d+)\n', bg_out), bg_pid)

### ucalls_finds_python_in_the_libpython_an_embedding_program_maps
--- background
build/targets/pyembed 1000 1000
--- flags
ucalls -L {BG}
--- check
"uprobes on the interpreter's RESUME handlers" in out and re.search(r"^<string>\.embedded_known +1000 +[0-9.]+$", out, re.M) is not None and (lambda m: m is not None and float(m.group(1)) > 0)(re.search(r"^<string>\.<module> +1 +([0-9.]+)$", out, re.M)) and bg_out == "ok 1000\n"

### uflow_names_the_calls_of_an_embedded_interpreter
--- background
build/targets/pyembed 1000 2
--- flags
uflow -M embedded {BG}
--- check
(lambda o: [l[27:] for l in o.splitlines() if re.match(r"\d+ +\d+ +\d+ +\d+\.\d{3} ", l)])(out) == ["-> <string>.embedded_known", "<- <string>.embedded_known"] * 2 and bg_out == "ok 2\n"
