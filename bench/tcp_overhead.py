#!/usr/bin/env python3
"""Throughput of a loopback TCP transfer, untraced and under sonde tcptop / tcpdrop / tcpbottleneck.

  bench/tcp_overhead.py [--runs N] [--mb N] [--sonde PATH]

tests/run/scripts/loopback_transfer.py-like sender and reader in one
process (the reader into one buffer), timed inside the process; each tool
runs with the transfer as its command. Interleaved runs, medians; the cost
is the loss of throughput. Only processes started here are signalled.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSFER = r"""
import socket, sys, threading, time
size = int(sys.argv[1]); data = b"x" * (1 << 20)
time.sleep(0.3)
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen(1)
def reader():
    c, _ = srv.accept(); buf = memoryview(bytearray(1 << 20)); n = 0
    while n < size:
        got = c.recv_into(buf)
        if not got: break
        n += got
t = threading.Thread(target=reader); t.start()
s = socket.create_connection(srv.getsockname())
t0 = time.perf_counter()
for _ in range(size >> 20): s.sendall(data)
t.join(); dt = time.perf_counter() - t0
s.close()
print("mb_per_s %.1f" % (size / dt / 1e6), file=sys.stderr)
"""


def throughput(argv):
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=300)
    m = re.search(r"mb_per_s ([\d.]+)", p.stderr.decode(errors="replace"))
    return float(m.group(1)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--mb", type=int, default=2000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    a = ap.parse_args()
    load = [sys.executable, "-c", TRANSFER, str(a.mb << 20)]
    variants = [("untraced", load)] + [(f"sonde {t}", [a.sonde, t, "--"] + load)
                                       for t in ("tcptop", "tcpdrop", "tcpbottleneck")]
    tp = {n: [] for n, _ in variants}
    for _ in range(a.runs):
        for n, argv in variants:
            tp[n].append(throughput(argv))
    base = statistics.median(tp["untraced"])
    print(f"loopback transfer of {a.mb} MiB, {a.runs} interleaved runs, medians; untraced {base:.0f} MB/s")
    for n, _ in variants[1:]:
        m = statistics.median(tp[n])
        print(f"  {n:22s} {m:8.0f} MB/s  ({(m - base) / base * 100:+.1f} %)")


if __name__ == "__main__":
    main()
