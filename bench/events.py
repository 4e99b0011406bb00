#!/usr/bin/env python3
"""Per-event cost and printf throughput: sonde vs bpftrace, interleaved runs.

  bench/events.py [--runs N] [--calls N] [--sonde PATH] [--bpftrace PATH]

1. Added cost per event: `tracepoint:syscalls:sys_enter_getppid { @c = count(); }`
   while build/targets/sysload makes N getppid() calls and times them itself
   (ns per call); the untraced loop is the baseline. Medians of interleaved runs.
2. printf rate: `... /pid == cpid/ { printf("%d\\n", pid); }` over the same
   loop: records delivered per second of the traced loop, and records lost.

Only processes started here are ever signalled. Needs root.
"""
import argparse
import os
import re
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD = os.path.join(ROOT, "build/targets/sysload")
COUNT = "tracepoint:syscalls:sys_enter_getppid { @c = count(); }"
FUNCS = os.path.join(ROOT, "build/targets/funcs")
UCOUNT = f"uprobe:{FUNCS}:add {{ @c = count(); }}"
PRINTF = 'tracepoint:syscalls:sys_enter_getppid /pid == cpid/ { printf("%d\\n", pid); }'


def run(argv, out=subprocess.DEVNULL, timeout=300):
    """Runs argv; returns (ns per getppid call, stdout line count, stderr text, seconds)."""
    t0 = time.monotonic()
    p = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, timeout=timeout)
    secs = time.monotonic() - t0
    err = p.stderr.decode(errors="replace")
    m = re.search(r"ns_per_call ([\d.]+)", err)
    return (float(m.group(1)) if m else None), err, secs


def tracer(tool, prog, calls):
    load = f"{LOAD} timed-getppid {calls}"
    return [tool, "-q" if "sonde" in tool else "-q", "-e", prog, "-c", load]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    tools = [("sonde", a.sonde)] + ([("bpftrace", a.bpftrace)] if os.access(a.bpftrace, os.X_OK) else [])

    cost = {"baseline": []} | {name: [] for name, _ in tools}
    rate = {name: [] for name, _ in tools}
    lost = {name: [] for name, _ in tools}
    for _ in range(a.runs):
        ns, _, _ = run([LOAD, "timed-getppid", str(a.calls)])
        cost["baseline"].append(ns)
        for name, path in tools:
            ns, err, _ = run(tracer(path, COUNT, a.calls))
            cost[name].append(ns)
        for name, path in tools:
            outfile = f"/tmp/sonde-bench-{os.getpid()}.out"
            with open(outfile, "w") as f:
                ns, err, _ = run(tracer(path, PRINTF, a.calls), out=f)
            with open(outfile) as f:
                delivered = sum(1 for line in f if line.strip().isdigit())
            os.unlink(outfile)
            m = re.search(r"Lost (\d+) events", err)
            lost[name].append(int(m.group(1)) if m else 0)
            elapsed = ns * a.calls / 1e9 if ns else float("nan")
            rate[name].append(delivered / elapsed if elapsed else 0)

    # 3. per-hit cost of a uprobe on a plain C function (the add() of tests/targets/funcs)
    ucost = {"baseline": []} | {name: [] for name, _ in tools}
    ucalls = a.calls // 5
    for _ in range(a.runs):
        ns, _, _ = run([FUNCS, "timed", str(ucalls)])
        ucost["baseline"].append(ns)
        for name, path in tools:
            ns, _, _ = run([path, "-q", "-e", UCOUNT, "-c", f"{FUNCS} timed {ucalls}"])
            ucost[name].append(ns)

    base = statistics.median(cost["baseline"])
    print(f"getppid() loop, {a.calls} calls, {a.runs} interleaved runs, medians")
    print(f"  untraced: {base:.1f} ns per call")
    for name, _ in tools:
        med = statistics.median(cost[name])
        print(f"  {name:9s} @c = count(): {med:.1f} ns per call, +{med - base:.1f} ns per event")
    if len(tools) == 2:
        s, b = (statistics.median(cost[n]) - base for n, _ in tools)
        print(f"  added cost bpftrace/sonde: {b / s:.2f}x" if s > 0 else "")
    print("printf per event (/pid == cpid/), records delivered per second of the traced loop:")
    for name, _ in tools:
        print(f"  {name:9s} {statistics.median(rate[name]) / 1e6:.2f} M records/s, lost (median) {statistics.median(lost[name]):.0f}")
    if len(tools) == 2:
        s, b = (statistics.median(rate[n]) for n, _ in tools)
        print(f"  printf rate sonde/bpftrace: {s / b:.1f}x" if b > 0 else "")
    ubase = statistics.median(ucost["baseline"])
    print(f"uprobe on add(), {ucalls} calls: untraced {ubase:.1f} ns per call")
    for name, _ in tools:
        med = statistics.median(ucost[name])
        print(f"  {name:9s} @c = count(): +{med - ubase:.1f} ns per hit")


if __name__ == "__main__":
    main()
