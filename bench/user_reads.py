#!/usr/bin/env python3
"""Per-hit cost of a uprobe that reads a string: sleepable vs not, and bpftrace.

  bench/user_reads.py [--runs N] [--calls N] [--sonde PATH] [--bpftrace PATH]

`uprobe:coldstr:greet { @[str(arg0)] = count(); }` while build/targets/coldstr
makes N calls of greet("warm") and times them itself (ns per call). sonde
loads the program sleepable (it may fault a cold page in); SONDE_NO_SLEEPABLE=1
loads the same program non-sleepable; bpftrace 0.17 reads with
bpf_probe_read_user only. The untraced loop is the baseline; runs are
interleaved and medians compared. The string is warm, so this measures what
being sleepable costs on every hit, not the rare fault-in.

Only processes started here are ever signalled. Needs root.
"""
import argparse
import os
import re
import statistics
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "build/targets/coldstr")
PROG = f"uprobe:{TARGET}:greet {{ @[str(arg0)] = count(); }}"


def ns_per_call(argv, env=None):
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600,
                       env=dict(os.environ, **(env or {})))
    m = re.search(r"ns_per_call ([\d.]+)", p.stderr.decode(errors="replace"))
    if not m:
        raise SystemExit(f"no timing from {argv[0]}: {p.stderr.decode(errors='replace')[-400:]}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--calls", type=int, default=500000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    load = f"{TARGET} timed {a.calls}"
    variants = [
        ("sonde sleepable", [a.sonde, "-q", "-e", PROG, "-c", load], {}),
        ("sonde non-sleepable", [a.sonde, "-q", "-e", PROG, "-c", load], {"SONDE_NO_SLEEPABLE": "1"}),
    ]
    if os.access(a.bpftrace, os.X_OK):
        variants.append(("bpftrace", [a.bpftrace, "-q", "-e", PROG, "-c", load], {}))
    cost = {"untraced": []} | {name: [] for name, _, _ in variants}
    for _ in range(a.runs):
        cost["untraced"].append(ns_per_call([TARGET, "timed", str(a.calls)]))
        for name, argv, env in variants:
            cost[name].append(ns_per_call(argv, env))
    base = statistics.median(cost["untraced"])
    print(f"uprobe on greet() doing @[str(arg0)] = count(), {a.calls} calls, {a.runs} interleaved runs, medians")
    print(f"  untraced: {base:.1f} ns per call")
    added = {}
    for name, _, _ in variants:
        med = statistics.median(cost[name])
        added[name] = med - base
        spread = f"{min(cost[name]) - base:.0f}..{max(cost[name]) - base:.0f}"
        print(f"  {name:20s} +{added[name]:.1f} ns per hit (runs {spread})")
    s, n = added["sonde sleepable"], added["sonde non-sleepable"]
    if n > 0:
        print(f"  sleepable / non-sleepable: {s / n:.3f} ({(s / n - 1) * 100:+.1f} %)")
    if "bpftrace" in added and s > 0:
        print(f"  bpftrace / sonde sleepable: {added['bpftrace'] / s:.2f}x")


if __name__ == "__main__":
    main()
