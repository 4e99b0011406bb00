#!/usr/bin/env python3
"""What sampling costs the sampled process: CPU time per unit of work.

  bench/profile_overhead.py [--runs N] [--units N] [--sonde PATH] [--bpftrace PATH]

build/targets/stacks `work N` runs N units of arithmetic in
main → outer → middle → inner and prints its own CPU time per unit
(CLOCK_PROCESS_CPUTIME_ID, so time the kernel spends in the sampling
interrupt on its behalf counts). Interleaved per run: untraced; sonde
profile at 99 Hz and 999 Hz (user + kernel stacks of that process); and
bpftrace's `profile:hz:N /pid == X/ { @[ustack, kstack] = count(); }` at
the same rates. Medians; overhead = traced / untraced − 1. Root; only
processes started here are signalled.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "build/targets/stacks")


def run_work(units, tracer=None):
    """One run of the target, with the tracer (a function pid → argv) attached first."""
    # the shell stops itself, keeps its pid through exec: the tracer attaches, then it continues
    t = subprocess.Popen(["sh", "-c", f'kill -STOP $$; exec "{TARGET}" work {units}'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(5000):
        with open(f"/proc/{t.pid}/stat") as f:
            if f.read().split(")")[1].split()[0] in "Tt":
                break
        time.sleep(0.001)
    tr = None
    if tracer:
        tr = subprocess.Popen(tracer(t.pid), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # attach (bpftrace takes ~0.3 s to start)
    os.kill(t.pid, signal.SIGCONT)
    err = t.communicate(timeout=600)[1].decode(errors="replace")
    if tr:
        tr.send_signal(signal.SIGINT)
        try:
            tr.wait(timeout=30)
        except subprocess.TimeoutExpired:
            tr.kill()
            tr.wait()
    m = re.search(r"cpu_ns_per_unit ([\d.]+)", err)
    if not m:
        raise SystemExit(f"no timing from the target: {err[-400:]}")
    return float(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=300000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    cases = []
    for hz in (99, 999):
        cases.append((f"sonde profile {hz} Hz", lambda pid, hz=hz: [a.sonde, "profile", "-F", str(hz), "-p", str(pid), "-f"]))
        if os.access(a.bpftrace, os.X_OK):
            prog = f"profile:hz:{hz} /pid == {{}}/ {{ @[ustack, kstack] = count(); }}"
            cases.append((f"bpftrace       {hz} Hz", lambda pid, prog=prog: [a.bpftrace, "-e", prog.replace("{}", str(pid))]))
    base, cost = [], {c[0]: [] for c in cases}
    for _ in range(a.runs):
        base.append(run_work(a.units))
        for name, tracer in cases:
            cost[name].append(run_work(a.units, tracer))
    b = statistics.median(base)
    print(f"stacks work {a.units}: CPU time per unit, {a.runs} interleaved runs, medians")
    print(f"  untraced: {b:.1f} ns per unit")
    for name, _ in cases:
        m = statistics.median(cost[name])
        print(f"  {name}: {m:.1f} ns per unit, overhead {100 * (m / b - 1):+.2f} %")


if __name__ == "__main__":
    main()
