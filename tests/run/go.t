# Go: the rpcx-shaped target (tests/targets/go/server.go), plain and stripped.

### go_functions_are_listed_from_the_symbol_table
--- flags
-l uprobe:build/targets/goserver:main.[(d]*
--- stdout
uprobe:build/targets/goserver:main.(*Arith).Mul
uprobe:build/targets/goserver:main.deep

### a_stripped_go_binary_lists_its_functions_from_gopclntab
--- flags
-l uprobe:build/targets/goserver-stripped:main.[(d]*
--- stdout
uprobe:build/targets/goserver-stripped:main.(*Arith).Mul
uprobe:build/targets/goserver-stripped:main.deep

### the_seed_one_liner_prints_the_arguments_of_mul
--- flags
-q -c 'build/targets/goserver-stripped calls 3'
--- prog
uprobe:build/targets/goserver-stripped:main.*.Mul {printf("%s - %s: arg1: %d, arg2: %d\n", comm, func, arg0, arg1)}
--- check
out.count("goserver-stripp - main.(*Arith).Mul: arg1: 10, arg2: 20\n") == 3 and "600\n" in out

### go_returns_are_probed_at_their_ret_instructions_while_stacks_move
--- flags
-q -c 'build/targets/goserver grow 10000'
--- prog
uprobe:build/targets/goserver:main.*.Mul { @calls = count(); }
uretprobe:build/targets/goserver:main.*.Mul { @returns[func, retval] = count(); }
--- stdout
2000000


@calls: 10000
@returns[main.(*Arith).Mul, 0]: 10000

### one_call_fires_once_although_morestack_restarts_the_function
--- flags
-q -c 'build/targets/goserver edge 2000'
--- prog
uprobe:build/targets/goserver:main.*.Mul { @entries = count(); }
uprobe:build/targets/goserver:main.*.Mul+4 { @jbe = count(); @restarts = sum((reg("flags") & 0x41) != 0); }
uretprobe:build/targets/goserver:main.*.Mul { @returns = count(); }
--- check
re.search(r"^@entries: 2000$", out, re.M) and re.search(r"^@returns: 2000$", out, re.M) and int(re.search(r"^@restarts: (\d+)$", out, re.M).group(1)) > 0 and int(re.search(r"^@jbe: (\d+)$", out, re.M).group(1)) == 2000 + int(re.search(r"^@restarts: (\d+)$", out, re.M).group(1))

### beside_a_c_function_a_go_entry_probe_moves_past_the_stack_check
--- flags
-q -c 'build/targets/goserver edge 2000'
--- prog
uprobe:build/targets/goserver:main.*.Mul, uprobe:build/targets/funcs:add { @[func, arg0, arg1] = count(); }
--- check
re.search(r"^@\[main\.\(\*Arith\)\.Mul, 10, 20\]: 2000$", out, re.M)

### latency_keyed_by_goid_pairs_every_call_while_goroutines_migrate
--- env
GOMAXPROCS=2
--- flags
-q -c 'build/targets/goserver par 50 100'
--- prog
uprobe:build/targets/goserver:main.*.Mul { @s[goid] = nsecs; @g[goid] = 1; }
uretprobe:build/targets/goserver:main.*.Mul /@s[goid]/ { @pairs = count(); delete(@s[goid]); }
END { printf("unpaired %d, goroutines %d\n", len(@s), len(@g)); clear(@g); }
--- check
"unpaired 0, goroutines 50\n" in out and re.search(r"^@pairs: 5000$", out, re.M) and "1000000\n" in out

### goid_of_a_stripped_binary_comes_from_its_go_release
--- flags
-q -c 'build/targets/goserver-stripped calls 100'
--- prog
uprobe:build/targets/goserver-stripped:main.*.Mul { @[goid > 1] = count(); }
--- check
re.search(r"^@\[true\]: 100$", out, re.M)

### goid_is_refused_outside_go_programs
--- prog
uprobe:build/targets/funcs:add { print(goid); }
--- rc
1
--- stderr-has
ERROR: goid is only known in uprobes and uretprobes of Go programs, not in uprobe:build/targets/funcs:add

### a_missing_go_function_may_have_been_inlined
--- prog
uprobe:build/targets/goserver:main.nothere { exit(); }
--- rc
1
--- stderr-has
ERROR: no function matches 'main.nothere' in build/targets/goserver (list them with: sonde -l 'uprobe:build/targets/goserver:*'); the Go compiler may have inlined it away: build with -gcflags=-l or mark it //go:noinline

### a_go_program_without_symbols_or_function_table_is_named
--- setup
objcopy --remove-section .gopclntab build/targets/goserver-stripped {TMP}/gonotab
--- prog
uprobe:{TMP}/gonotab:main.main { exit(); }
--- rc
1
--- stderr-has
is a Go program without symbols or a .gopclntab function table: sonde cannot find 'main.main' in it

### a_go_program_older_than_the_register_abi_is_named
--- setup
objcopy --remove-section .go.buildinfo build/targets/goserver {TMP}/oldgo
python3 -c "
import subprocess, sys
p = sys.argv[1]
off = [l.split() for l in subprocess.run(['readelf', '-SW', p], capture_output=True, text=True).stdout.splitlines() if ' .gopclntab ' in l][0]
i = off.index('.gopclntab')
f = open(p, 'r+b'); f.seek(int(off[i + 3], 16)); f.write(bytes([0xfb, 0xff, 0xff, 0xff]))
" {TMP}/oldgo
--- prog
uprobe:{TMP}/oldgo:main.main { print(goid); }
--- rc
1
--- stderr-has
was built by Go before 1.17: arguments travel on the stack, so arg0…arg5 and retval are not its arguments and results
ERROR: goid needs Go 1.17 or later (the g pointer in r14);

### go_args_follow_gos_register_abi
--- flags
-q -c 'build/targets/goserver timed 5'
--- prog
uprobe:build/targets/goserver:main.*.Mul { @reply[args.reply->C, args.reply == reg("r8"), args.t == reg("ax")] = count(); }
--- stdout


@reply[0, true, true]: 1
@reply[200, true, true]: 4

### go_args_of_a_recursive_function
--- flags
-q -c 'build/targets/goserver grow 1'
--- prog
uprobe:build/targets/goserver:main.deep /args.n >= 1998/ { @[args.n] = count(); }
--- check
re.search(r"^@\[1998\]: 1\n@\[1999\]: 1\n@\[2000\]: 1$", out, re.M)

### list_go_parameters_without_results
--- flags
-lv uprobe:build/targets/goserver:main.*.Mul
--- stdout
uprobe:build/targets/goserver:main.(*Arith).Mul
    main.Arith* t
    context.Context ctx
    main.Args args
    main.Reply* reply

### the_seed_offset_one_liner_prints_the_reply
--- setup
objdump -d --no-show-raw-insn build/targets/goserver-stripped > {TMP}/dis
start=$(objdump -d build/targets/goserver | awk '/<main.\(\*Arith\)\.Mul>:/ { print $1 }' | sed 's/^0*//')
store=$(awk -v s="$start" 'BEGIN { f = 0 } $1 ~ /:$/ && found { sub(":", "", $1); print $1; exit } index($0, "imul") && f { found = 1 } { a = $1; sub(":", "", a); if (a == s) f = 1 }' {TMP}/dis)
test -n "$store"
printf 'uprobe:build/targets/goserver-stripped:main.*.Mul+%d {printf("%%s - %%s: reply: %%d\\n", comm, func, arg0)}\n' $((0x$store - 0x$start)) > {TMP}/reply.bt
--- flags
-q -c 'build/targets/goserver-stripped calls 3' {TMP}/reply.bt
--- check
out.count("goserver-stripp - main.(*Arith).Mul: reply: 200\n") == 3

### go_params_after_ones_dwarf_leaves_out_and_huge_frames_count_once
--- flags
-q -c 'build/targets/goserver shapes 500'
--- prog
uprobe:build/targets/goserver:main.Blank { @b[args.b] = count(); }
uprobe:build/targets/goserver:main.Generic* { @g[args.n] = count(); }
uprobe:build/targets/goserver:main.Huge, uprobe:build/targets/goserver:main.Hu* { @h = count(); }
uretprobe:build/targets/goserver:main.Huge { @hr = count(); }
--- stdout
10000


@b[6]: 500
@g[13]: 500
@h: 500
@hr: 500

### go_functions_without_a_return_are_skipped_in_a_wildcard
--- prog
uretprobe:build/targets/goserver:runtime.gcBg* { @ = count(); } interval:ms:1 { exit(); }
--- stderr-has
WARNING: the Go function runtime.gcBgMarkWorker has no return instruction (it never returns, or ends in a tail call): skipped

### a_go_return_probe_stack_starts_in_the_caller_as_after_a_uretprobe
At a RET, [sp] is the caller's return address: it takes the place of the
returning function's own frame.
--- flags
-q -c 'build/targets/goserver calls 3'
--- prog
uretprobe:build/targets/goserver:"main.(*Arith).Mul" /pid == cpid/ { @r[ustack(2)] = count(); }
uprobe:build/targets/goserver:"main.(*Arith).Mul" /pid == cpid/ { @e[ustack(2)] = count(); }
--- stdout-re
600


@e\[
    main\.\(\*Arith\)\.Mul\+4
    main\.run\.func1\+\d+
\]: 3
@r\[
    main\.run\.func1\+\d+
    runtime\.goexit\.abi0\+\d+
\]: 3
