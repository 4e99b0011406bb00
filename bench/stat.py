#!/usr/bin/env python3
"""What `sonde stat -- true` adds to `true`, against `perf stat -- true`.

  bench/stat.py [--runs N] [--sonde PATH]

Wall time of each command, interleaved runs, medians (ms). perf is Debian's
linux-perf. Only processes started here are run; nothing is signalled.
"""
import argparse
import os
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def wall_ms(argv):
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return (time.perf_counter() - t0) * 1e3


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    a = ap.parse_args()
    variants = [("true", ["true"]), ("sonde stat -- true", [a.sonde, "stat", "--", "true"]),
                ("perf stat -- true", ["perf", "stat", "--", "true"]),
                ("sonde stat -e syscalls:sys_enter_* -- true", [a.sonde, "stat", "-e", "syscalls:sys_enter_*", "--", "true"]),
                ("perf stat -e syscalls:sys_enter_* -- true", ["perf", "stat", "-e", "syscalls:sys_enter_*", "--", "true"])]
    ms = {n: [] for n, _ in variants}
    for _ in range(a.runs):
        for n, argv in variants:
            ms[n].append(wall_ms(argv))
    base = statistics.median(ms["true"])
    print(f"{a.runs} interleaved runs, medians; true alone {base:.2f} ms")
    for n, _ in variants[1:]:
        print(f"  {n:45s} {statistics.median(ms[n]):8.2f} ms  (+{statistics.median(ms[n]) - base:.2f})")


if __name__ == "__main__":
    main()
