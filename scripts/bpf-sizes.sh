#!/bin/sh
# Compiles a fixed set of scripts across probe types with -v and prints, per
# script, the instruction count of each block: a refactoring of the compiler
# should leave these the same or smaller. Usage: scripts/bpf-sizes.sh SONDE [DUMPDIR]
# (DUMPDIR keeps each script's full -v output, to diff the code itself).
# Needs the targets: make build/targets/{funcs,funcs-nopie,usdt,goserver,goserver-stripped,stacks,uselib}
set -u
SONDE=${1:?usage: $0 SONDE [DUMPDIR]}
DUMP=${2:-}
T=build/targets
STOP='interval:ms:50 { exit(); }'
n=0
while IFS='|' read -r flags prog; do
	case "$flags" in '#'*|'') continue ;; esac
	n=$((n + 1))
	out=$(eval "timeout 30 $SONDE -v $flags -e \"\$prog \$STOP\"" 2>&1 >/dev/null)
	counts=$(printf '%s\n' "$out" | sed -n 's/^\([0-9]*\) BPF instructions.*/\1/p' | tr '\n' ' ')
	printf '%02d %-40s %s\n' "$n" "$(printf '%s' "$prog" | cut -c1-40)" "${counts:-FAILED}"
	[ -n "$DUMP" ] && mkdir -p "$DUMP" && printf '%s\n' "$out" | grep -v 'processed\|verification time\|^WARNING\| runs, ' > "$DUMP/$n.txt"
done <<CASES
# tracepoints: integer, string, __data_loc and array fields; raw_syscalls' args
-q|tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); @f[args.flags] = count(); }
-q|tracepoint:sched:sched_process_exec { printf("%s %d\n", str(args.filename), args.pid); }
-q|tracepoint:sched:sched_switch { @[args.prev_comm, args.next_pid] = count(); }
-q|tracepoint:raw_syscalls:sys_enter { @[args.id] = count(); @s[str(args.args[1])] = count(); }
-q|tracepoint:net:netif_receive_skb { @[str(args.name)] = count(); }
# syscalls: one program per field layout; many points through the raw_syscalls dispatch
-q|tracepoint:syscalls:sys_enter_open, tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }
-q|tracepoint:syscalls:sys_enter_* { @[probe] = count(); }
-q|tracepoint:syscalls:sys_exit_* /args.ret < 0/ { @[probe, args.ret] = count(); }
-q -p 1|tracepoint:syscalls:sys_enter_read, tracepoint:syscalls:sys_enter_pread64 { @[probe, comm] = sum(args.count); }
# uprobes: registers, retval, func, reg(), uaddr(), DWARF args and structs
-q|uprobe:$T/funcs:add { @s = sum(arg0 + arg1); } uretprobe:$T/funcs:add { @r[func] = sum(retval); }
-q|uretprobe:$T/funcs:greet, uretprobe:$T/funcs:add { printf("%s returned %d (%s)\n", func, retval, probe); }
-q|uprobe:$T/funcs:greet { printf("[%s] [%s]\n", str(reg("di")), str(arg0)); @[usym(reg("ip"))] = count(); }
-q|uprobe:$T/funcs:mix { printf("%d %d %ld %d %s\n", args.c, args.u, args.neg, args->after, args.p ? "p" : "null"); }
-q|uprobe:$T/funcs:measure { printf("%s %d %d %ld %s\n", args.s->name, args.s->origin.x, args.s->corner->y, args.s->area, str(args.s->label)); }
-q|uprobe:$T/funcs:fib /args.n > 8/ { @fib[args.n] = count(); } uprobe:$T/funcs:add+7 { @b[reg("si")] = count(); }
-q|uprobe:$T/stacks:inner { printf("%s %d\n", usym(uaddr("middle")), reg("ip") == uaddr("inner")); }
-q|uprobe:$T/funcs-nopie:add { printf("%s %d\n", usym(uaddr("fib")), args.b); }
# Go: its ABI's registers, goid (DWARF and stripped), returns at RETs, stack checks, ustack
-q|uprobe:$T/goserver:main.*.Mul { @s[goid] = nsecs; @r[args.reply->C, args.t == reg("ax")] = count(); }
-q|uretprobe:$T/goserver:main.*.Mul { @returns[func, retval] = count(); }
-q|uprobe:$T/goserver-stripped:main.*.Mul { @[goid > 1, arg0, arg1] = count(); }
-q|uprobe:$T/goserver:main.deep /args.n >= 1998/ { @[args.n] = count(); }
-q|uretprobe:$T/goserver:"main.(*Arith).Mul" { @r[ustack(2)] = count(); } uprobe:$T/goserver:"main.(*Arith).Mul" { @e[ustack(2)] = count(); }
-q|uprobe:$T/goserver:main.*.Mul, uprobe:$T/funcs:add { @[func, arg0, arg1] = count(); }
# USDT: registers, memory operands, globals, constants; sites that differ (python3.11)
-q|usdt:$T/usdt:sonde:tick { @t = sum(arg0 + arg1 + arg2); } usdt:$T/usdt:sonde:mem { @m = sum(arg0 + arg1); }
-q|usdt:$T/usdt:sonde:global { @[arg0, arg1] = count(); } usdt:$T/usdt:sonde:guarded { @g = count(); }
-q|usdt:$T/usdt:sonde:consts { @a = arg0; @b = arg1; @c = arg2; @d = arg3; @e = arg4; @f = arg5; }
-q|usdt:/usr/bin/python3.11:python:function__return { @[str(arg1), str(arg0), arg2] = count(); }
-q|usdt:/usr/bin/python3.11:python:gc__start { @gen[arg0] = count(); }
-q -c "$T/uselib"|usdt:*:libprobes:* { @[probe, arg0] = count(); }
# sampling, stacks, time
-q|profile:hz:99 { @[kstack] = count(); @u[ustack] = count(); }
-q|software:cpu-clock:100000 { @[cpu] = count(); }
-q|tracepoint:syscalls:sys_enter_getppid { @[ustack(1), comm, kstack(perf, 2)] = count(); }
-q|uprobe:$T/stacks:inner { @[ustack] = count(); } uprobe:$T/stacks:inner+10 { @m[ustack(perf, 3)] = count(); }
-q|BEGIN { @x = 1; printf("%d %s\n", elapsed, strftime("%H", nsecs)); } interval:ms:10 { @i = count(); }
CASES
