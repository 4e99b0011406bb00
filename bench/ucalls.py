#!/usr/bin/env python3
"""What ucalls adds to each Python call, on Debian's /usr/bin/python3.11.

  bench/ucalls.py [--runs N] [--calls N] [--sonde PATH]

A target (written to a temporary file) waits for SIGUSR1, then times CALLS
calls of a one-line function in a loop with perf_counter_ns and prints the
nanoseconds per iteration. Each run starts it, starts the tool on its pid,
waits for the tool's header (its probes are attached then), signals the
target and reads its figure; the tool ends with the target. Modes,
interleaved: untraced, `ucalls PID` (one USDT probe per return),
`ucalls -L PID` (also a uprobe on RESUME per entry, and a per-thread stack
of stamps). Medians of the runs; the cost is traced minus untraced.

Debian's bpftrace 0.17 cannot be compared: it fails on these probes'
arguments ("couldn't get argument 0 for ...:python:function__return").

Only processes started here are signalled. Needs root.
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3.11"
TARGET = r"""
import signal, sys, time
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})   # held until waited for: no race
print("ready", flush=True)
if signal.sigtimedwait({signal.SIGUSR1}, 60) is None:         # never wait forever
    sys.exit("no SIGUSR1")
def f(n):
    return n
calls = int(sys.argv[1])
t0 = time.perf_counter_ns()
for i in range(calls):
    f(i)
print((time.perf_counter_ns() - t0) / calls, flush=True)
"""


def one_run(src, calls, tool):
    target = subprocess.Popen([PYTHON, "-I", "-S", src, str(calls)], stdout=subprocess.PIPE, text=True)
    assert target.stdout.readline().strip() == "ready"
    sonde = None
    try:
        if tool:
            sonde = subprocess.Popen(tool + [str(target.pid)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
            header = sonde.stdout.readline()       # printed once the probes are attached
            if not header.startswith("Tracing calls"):
                raise SystemExit(f"ucalls did not start: {header}{sonde.stderr.read()}")
        target.send_signal(signal.SIGUSR1)
        ns = float(target.stdout.readline())
        target.wait(timeout=120)
        if sonde:
            out, _ = sonde.communicate(timeout=60)
            if f".f {calls}" not in " ".join(out.split()):
                raise SystemExit(f"ucalls did not count {calls} calls:\n{out}")
        return ns
    finally:
        for p in (target, sonde):
            if p and p.poll() is None:
                p.kill()
                p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    a = ap.parse_args()
    modes = [("untraced", None), ("ucalls", [a.sonde, "ucalls"]), ("ucalls -L", [a.sonde, "ucalls", "-L"])]
    res = {m: [] for m, _ in modes}
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(TARGET)
        src = f.name
    try:
        for r in range(a.runs):
            for name, tool in modes:
                res[name].append(one_run(src, a.calls, tool))
                print(f"run {r + 1} {name}: {res[name][-1]:.1f} ns/call", file=sys.stderr)
    finally:
        os.unlink(src)
    base = statistics.median(res["untraced"])
    print(f"{'mode':<12} {'ns/call (median)':>17} {'added ns/call':>14}")
    for name, _ in modes:
        m = statistics.median(res[name])
        print(f"{name:<12} {m:17.1f} {m - base:14.1f}")


if __name__ == "__main__":
    main()
