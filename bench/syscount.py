#!/usr/bin/env python3
"""Added cost per system call of sonde syscount against the bpftrace script that does the same.

  bench/syscount.py [--runs N] [--calls N] [--sonde PATH] [--bpftrace PATH]

build/targets/sysload timed-getppid N makes N getppid() calls and times them
itself. Interleaved runs, medians: untraced; `sonde syscount -- sysload …`
(raw_syscalls:sys_exit counted by syscall number for the command only);
`bpftrace -e 'tracepoint:raw_syscalls:sys_exit /pid == cpid/ { @[args->id]
= count(); }' -c 'sysload …'`; and the same two with -L (entry stamp, time
summed per syscall at exit). Only processes started here are signalled.
"""
import argparse
import os
import re
import statistics
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD = os.path.join(ROOT, "build/targets/sysload")


def ns_per_call(argv):
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    m = re.search(r"ns_per_call ([\d.]+)", p.stderr.decode(errors="replace"))
    return float(m.group(1)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    load = [LOAD, "timed-getppid", str(a.calls)]
    lat = ("tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @s[tid] = nsecs; } "
           "tracepoint:raw_syscalls:sys_exit /pid == cpid && @s[tid]/ { @c[args->id] = count(); "
           "@t[args->id] = sum(nsecs - @s[tid]); delete(@s[tid]); }")
    variants = [("untraced", load),
                ("sonde syscount", [a.sonde, "syscount", "--"] + load),
                ("sonde syscount -L", [a.sonde, "syscount", "-L", "--"] + load)]
    if os.access(a.bpftrace, os.X_OK):
        variants += [("bpftrace count", [a.bpftrace, "-e", "tracepoint:raw_syscalls:sys_exit /pid == cpid/ "
                                         "{ @[args->id] = count(); }", "-c", " ".join(load)]),
                     ("bpftrace latency", [a.bpftrace, "-e", lat, "-c", " ".join(load)])]
    cost = {name: [] for name, _ in variants}
    for _ in range(a.runs):
        for name, argv in variants:
            cost[name].append(ns_per_call(argv))
    base = statistics.median(cost["untraced"])
    print(f"getppid() loop, {a.calls} calls, {a.runs} interleaved runs, medians; untraced {base:.1f} ns per call")
    for name, _ in variants[1:]:
        print(f"  {name:18s} +{statistics.median(cost[name]) - base:6.1f} ns per call")


if __name__ == "__main__":
    main()
