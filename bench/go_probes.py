#!/usr/bin/env python3
"""Per-call cost of probes on a Go function: sonde vs bpftrace, interleaved runs.

  bench/go_probes.py [--runs N] [--calls N] [--sonde PATH] [--bpftrace PATH]

build/targets/goserver `timed N` calls main.(*Arith).Mul N times in one
goroutine and times the loop itself (ns per call). Per run, interleaved: the
untraced loop; sonde with an entry probe, a return probe, and both; bpftrace
with an entry probe (its return probe crashes Go programs whose stacks move,
see tests/run/go.t). Each probe does `@c = count()`. Medians; the added cost
is (traced - untraced). Only processes started here are signalled. Root.
"""
import argparse
import os
import re
import statistics
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVER = os.path.join(ROOT, "build/targets/goserver")
FUNC = f"{SERVER}:main.*.Mul"
BT_FUNC = f'{SERVER}:"main.(*Arith).Mul"'
CASES = [
    ("sonde", "entry", f"uprobe:{FUNC} {{ @c = count(); }}"),
    ("sonde", "return", f"uretprobe:{FUNC} {{ @c = count(); }}"),
    ("sonde", "entry+return", f"uprobe:{FUNC} {{ @s[goid] = nsecs; }} uretprobe:{FUNC} {{ @ns = hist(nsecs - @s[goid]); delete(@s[goid]); }}"),
    ("bpftrace", "entry", f"uprobe:{BT_FUNC} {{ @c = count(); }}"),
]


def ns_per_call(argv):
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    m = re.search(r"ns_per_call ([\d.]+)", p.stderr.decode(errors="replace"))
    if not m:
        raise SystemExit(f"no timing from {argv[0]}: {p.stderr.decode(errors='replace')[-400:]}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calls", type=int, default=200000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    tools = {"sonde": a.sonde, "bpftrace": a.bpftrace}
    cases = [c for c in CASES if os.access(tools[c[0]], os.X_OK)]
    cmd = f"{SERVER} timed {a.calls}"
    base, cost = [], {c: [] for c in cases}
    for _ in range(a.runs):
        base.append(ns_per_call([SERVER, "timed", str(a.calls)]))
        for c in cases:
            cost[c].append(ns_per_call([tools[c[0]], "-q", "-e", c[2], "-c", cmd]))
    b = statistics.median(base)
    print(f"main.(*Arith).Mul, {a.calls} calls, {a.runs} interleaved runs, medians")
    print(f"  untraced: {b:.1f} ns per call")
    for c in cases:
        print(f"  {c[0]:9s} {c[1]:13s} +{statistics.median(cost[c]) - b:8.1f} ns per call")


if __name__ == "__main__":
    main()
