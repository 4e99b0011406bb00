### a_uprobe_in_a_shared_library_counts_every_call_with_its_arguments
uselib maps build/targets/libprobes.so only after exec (-c): the probes are
placed on the file before any process maps it.
--- flags
-q -c 'build/targets/uselib calls 100'
--- prog
uprobe:build/targets/libprobes.so:lp_scale /pid == cpid/ { @calls = count(); @v = sum(arg0); @factor[arg1] = count(); }
uretprobe:build/targets/libprobes.so:lp_scale /pid == cpid/ { @ret = sum(retval); }
uprobe:build/targets/libprobes.so:lp_fire /pid == cpid/ { @names[str(arg1)] = count(); }
--- stdout
100 calls: sum 124750, gated 0


@calls: 100
@factor[3]: 100
@names[item]: 100
@ret: 14850
@v: 4950

### usdt_probes_in_a_shared_library_fire_with_their_arguments_even_behind_a_semaphore
gated fires only while its semaphore is raised; uselib's "gated 100" says
that the library saw it raised at every call.
--- flags
-q -c 'build/targets/uselib calls 100'
--- prog
usdt:build/targets/libprobes.so:libprobes:hit /pid == cpid/ { @hits = count(); @i = sum(arg0); @neg = sum(arg2); @name[str(arg1)] = count(); }
usdt:build/targets/libprobes.so:libprobes:gated /pid == cpid/ { @gated = count(); @squares = sum(arg1); }
--- stdout
100 calls: sum 124750, gated 100


@gated: 100
@hits: 100
@i: 4950
@name[item]: 100
@neg: -4950
@squares: 328350

### a_library_probe_behind_a_semaphore_fires_alone_without_its_provider_named
--- flags
-q -c 'build/targets/uselib calls 10'
--- prog
usdt:build/targets/libprobes.so:gated /pid == cpid/ { @[probe] = count(); }
--- stdout
10 calls: sum 10225, gated 10


@[usdt:build/targets/libprobes.so:libprobes:gated]: 10

### list_the_usdt_probes_of_a_shared_library
--- flags
-l usdt:build/targets/libprobes.so:*
--- stdout
usdt:build/targets/libprobes.so:libprobes:gated
usdt:build/targets/libprobes.so:libprobes:hit

### list_the_functions_of_a_shared_library
lp_depth.localalias is the name GCC gives lp_depth's own recursive calls in
a -fPIC library (they bypass the PLT); it is at lp_depth's address.
--- flags
-l uprobe:build/targets/libprobes.so:lp_*
--- stdout
uprobe:build/targets/libprobes.so:lp_depth
uprobe:build/targets/libprobes.so:lp_depth.localalias
uprobe:build/targets/libprobes.so:lp_fire
uprobe:build/targets/libprobes.so:lp_gated_semaphore
uprobe:build/targets/libprobes.so:lp_point
uprobe:build/targets/libprobes.so:lp_scale

### pid_bound_library_probes_skip_a_twin_of_the_same_program
Two uselib processes map the same library and run the same program. The one
followed with -p waits until sonde holds its 3 links, then lets its twin
(its child, started before sonde) make 70 calls, then makes 50 itself: only
those 50 count, in the library and in the program, and the twin never sees
the semaphore raised.
--- background
sh -c 'build/targets/uselib twin 70 & exec build/targets/uselib armed 50 3 $!'
--- flags
-q -p {BG}
--- prog
uprobe:build/targets/libprobes.so:lp_scale { @calls = count(); @traced[pid == {BG}] = count(); @args = sum(arg0 * arg1); }
usdt:build/targets/libprobes.so:libprobes:gated { @gated = count(); @i = sum(arg0); }
uprobe:build/targets/uselib:calls { @runs[arg0] = count(); }
--- stdout


@args: 3675
@calls: 50
@gated: 50
@i: 1225
@runs[50]: 1
@traced[true]: 50
--- check
bg_out.splitlines() == ["70 calls: sum 82075, gated 0", "50 calls: sum 56125, gated 50"]

### pid_bound_library_probes_skip_a_twin_on_the_fallback_path
As above, with one perf event per probe instead of uprobe_multi links.
--- env
SONDE_UPROBE_PERF=1
--- background
sh -c 'build/targets/uselib twin 70 & exec build/targets/uselib armed 50 3 $!'
--- flags
-q -p {BG}
--- prog
uprobe:build/targets/libprobes.so:lp_scale { @calls = count(); @traced[pid == {BG}] = count(); @args = sum(arg0 * arg1); }
usdt:build/targets/libprobes.so:libprobes:gated { @gated = count(); @i = sum(arg0); }
uprobe:build/targets/uselib:calls { @runs[arg0] = count(); }
--- stdout


@args: 3675
@calls: 50
@gated: 50
@i: 1225
@runs[50]: 1
@traced[true]: 50
--- check
bg_out.splitlines() == ["70 calls: sum 82075, gated 0", "50 calls: sum 56125, gated 50"]

### a_killed_sonde_leaves_no_probe_link_or_semaphore_behind
tests/targets/cleanup_watch.py looks at the traced process from outside:
lp_scale's first byte and the gated semaphore through /proc/PID/mem, and
sonde's own links and programs (from its fdinfo) in `bpftool link show` /
`bpftool prog show`. Once it sees them all in place it sends sonde SIGKILL,
by pid, and looks again. uselib keeps calling the library throughout and
must survive; the watcher ends it with SIGUSR1.
--- background
sh -c 'python3 tests/targets/cleanup_watch.py $$ 2 build/targets/libprobes.so lp_scale libprobes_gated_semaphore & exec build/targets/uselib hold 20000'
--- flags
-q -p {BG}
--- prog
uprobe:build/targets/libprobes.so:lp_scale { @calls = count(); }
usdt:build/targets/libprobes.so:libprobes:gated { @gated = count(); }
--- rc
-9
--- check
bg_out.splitlines()[:2] == ["during: first byte 0xcc, semaphore 1, tracer links uprobe_multi uprobe_multi, listed by bpftool 2/2", "after: first byte original, semaphore 0, links left 0, programs left 0"] and re.fullmatch(r"held: [1-9][0-9]* calls", bg_out.splitlines()[-1]) is not None

### a_killed_sonde_leaves_no_probe_link_or_semaphore_behind_on_the_fallback_path
--- env
SONDE_UPROBE_PERF=1
--- background
sh -c 'python3 tests/targets/cleanup_watch.py $$ 2 build/targets/libprobes.so lp_scale libprobes_gated_semaphore & exec build/targets/uselib hold 20000'
--- flags
-q -p {BG}
--- prog
uprobe:build/targets/libprobes.so:lp_scale { @calls = count(); }
usdt:build/targets/libprobes.so:libprobes:gated { @gated = count(); }
--- rc
-9
--- check
bg_out.splitlines()[:2] == ["during: first byte 0xcc, semaphore 1, tracer links perf perf, listed by bpftool 2/2", "after: first byte original, semaphore 0, links left 0, programs left 0"] and re.fullmatch(r"held: [1-9][0-9]* calls", bg_out.splitlines()[-1]) is not None

### python_gc_start_counts_each_explicit_collection
counts.py disables automatic collection, then runs gc.collect(1) 7 times;
the interpreter's own collections at start-up (generation 0) and at exit
(generation 2) are left out by the generation.
--- flags
-q -c '/usr/bin/python3.11 -I -S tests/targets/python/counts.py 7 12 300'
--- prog
usdt:/usr/bin/python3.11:python:gc__start /pid == cpid && arg0 == 1/ { @collections = count(); }
--- stdout
7 12 300 89766


@collections: 7

### python_imports_are_counted_with_their_module_names
Twelve modules sonde_gen_0 ... sonde_gen_11, generated in a fresh directory,
are each found and loaded once; the standard modules counts.py imports show
too and are not counted here.
--- flags
-q -c '/usr/bin/python3.11 -I -S tests/targets/python/counts.py 7 12 300'
--- prog
usdt:/usr/bin/python3.11:python:import__find__load__start /pid == cpid/ { @imports[str(arg0)] = count(); }
--- check
sorted(re.findall(r"^@imports\[(sonde_gen_[0-9]+)\]: ([0-9]+)$", out, re.M)) == sorted(("sonde_gen_%d" % i, "1") for i in range(12)) and "@imports[tempfile]: 1" in out

### python_returns_of_one_function_are_counted_exactly_with_file_and_line
The interpreter names the script by its absolute path.
--- flags
-q -c '/usr/bin/python3.11 -I -S tests/targets/python/counts.py 7 12 300'
--- prog
usdt:/usr/bin/python3.11:python:function__return /pid == cpid && str(arg1) == "sonde_known"/ { @[str(arg0), str(arg1), arg2] = count(); }
--- stdout-re
7 12 300 89766


@\[/.*/tests/targets/python/counts\.py, sonde_known, 15\]: 300

### uretprobes_of_a_recursive_function_fire_once_per_level_innermost_first
lp_depth(20) makes 21 nested calls (20 through lp_depth.localalias, which
is the same address): every level returns its own depth.
--- flags
-q -c 'build/targets/uselib depth 20'
--- prog
uprobe:build/targets/libprobes.so:lp_depth /pid == cpid/ { @calls = count(); @args = sum(arg0); }
uretprobe:build/targets/libprobes.so:lp_depth /pid == cpid/ { @returns = count(); @sum = sum(retval); @min = min(retval); @max = max(retval); printf("%d ", retval); }
--- check
"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 " in out and "depth 20\n" in out and out.endswith("@args: 210\n@calls: 21\n@max: 20\n@min: 0\n@returns: 21\n@sum: 210\n")

### uretprobes_of_a_recursive_function_on_the_fallback_path
--- env
SONDE_UPROBE_PERF=1
--- flags
-q -c 'build/targets/uselib depth 20'
--- prog
uprobe:build/targets/libprobes.so:lp_depth /pid == cpid/ { @calls = count(); @args = sum(arg0); }
uretprobe:build/targets/libprobes.so:lp_depth /pid == cpid/ { @returns = count(); @sum = sum(retval); @min = min(retval); @max = max(retval); printf("%d ", retval); }
--- check
"0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 " in out and "depth 20\n" in out and out.endswith("@args: 210\n@calls: 21\n@max: 20\n@min: 0\n@returns: 21\n@sum: 210\n")

### a_glob_over_a_function_and_its_local_alias_probes_it_once
--- flags
-q -c 'build/targets/uselib depth 20'
--- prog
uretprobe:build/targets/libprobes.so:lp_dep* /pid == cpid/ { @[probe] = count(); }
--- stdout
depth 20


@[uretprobe:build/targets/libprobes.so:lp_depth]: 21

### a_char_array_in_a_struct_argument_reads_through_str_at_its_offset
lp_point(struct point *p): name (char[8]) is at offset 16, and the sum of x
and y comes back as the return value.
--- flags
-q -c 'build/targets/uselib calls 10'
--- prog
uprobe:build/targets/libprobes.so:lp_point /pid == cpid/ { @name[str(arg0 + 16)] = count(); }
uretprobe:build/targets/libprobes.so:lp_point /pid == cpid/ { @xy = sum(retval); }
--- stdout
10 calls: sum 10225, gated 0


@name[p0]: 1
@name[p1]: 1
@name[p2]: 1
@name[p3]: 1
@name[p4]: 1
@name[p5]: 1
@name[p6]: 1
@name[p7]: 1
@name[p8]: 1
@name[p9]: 1
@xy: 10090

### struct_fields_of_a_uprobe_argument_are_read_from_user_memory
A struct pointer cast of a uprobe argument is read from user memory
(bpf_probe_read_user): scripts cannot declare their own structs, so a cast
to kernel structs of the same layout (struct point starts with two int32,
x and y, like struct timezone; its int64 tag is at offset 8, like tv_nsec)
reads integer fields of a user struct without DWARF.
--- flags
-q -c 'build/targets/uselib calls 10'
--- prog
uprobe:build/targets/libprobes.so:lp_point /pid == cpid/ { @x = sum(((struct timezone *)arg0)->tz_minuteswest); @y = sum(((struct timezone *)arg0)->tz_dsttime); @tag = sum(((struct __kernel_timespec *)arg0)->tv_nsec); }
--- stdout
10 calls: sum 10225, gated 0


@tag: 315
@x: 45
@y: 10045
