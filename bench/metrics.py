#!/usr/bin/env python3
"""--metrics: scrape time and RSS with many series, and the cost per event.

  bench/metrics.py [--series N] [--scrapes N] [--runs N] [--calls N] [--sonde PATH]

1. Scrape: a script fills @series with N keys (sysload's getppid() calls,
   one key each), then the page is fetched --scrapes times over loopback.
   Prints the median and the worst wall time of a scrape (client side: HTTP
   included) and sonde's own sonde_scrape_duration_seconds, the page size,
   and sonde's RSS (VmRSS, and its peak VmHWM) after the scrapes; then the
   same page in protobuf (what Prometheus asks for with native histograms).
   Then the same with N/20 keys of hist() (about N series too, with their
   buckets; in protobuf, native).
2. Per event: sysload timed-getppid (it times its own calls) under a count()
   per syscall, without --metrics, with it, and with it while the page is
   fetched every 100 ms. Interleaved runs, medians; the BPF program is the
   same in all three, so only scrapes (user space, another CPU) can differ.

Only processes started here are signalled, by pid.
"""
import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD = os.path.join(ROOT, "build/targets/sysload")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # MiB
    return float("nan")


PROTOBUF = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"


def fetch(port, accept=None):
    t = time.monotonic()
    req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        page = r.read()
    return time.monotonic() - t, page if accept else page.decode()


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def scrape_bench(sonde, series, scrapes, prog, fill_calls, label):
    port = free_port()
    env = dict(os.environ, BPFTRACE_MAX_MAP_KEYS=str(max(series * 2, 4096)))
    p = subprocess.Popen([sonde, "-q", "--metrics", str(port), "-e", prog], env=env,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        # wait for the server, then fill the map
        for _ in range(100):
            try:
                fetch(port)
                break
            except OSError:
                time.sleep(0.1)
        subprocess.run([LOAD, "getppid", str(fill_calls)], check=True, stdout=subprocess.DEVNULL)
        times, own, page = [], [], ""
        for _ in range(scrapes):
            t, page = fetch(port)
            times.append(t)
            m = re.search(r"^sonde_scrape_duration_seconds ([\d.]+)$", page, re.M)
            own.append(float(m.group(1)) if m else float("nan"))
        nseries = len([l for l in page.splitlines() if l and not l.startswith("#") and not l.startswith("sonde_map")
                       and not l.startswith("sonde_events") and not l.startswith("sonde_read")
                       and not l.startswith("sonde_scrape")])
        proto = [fetch(port, PROTOBUF) for _ in range(scrapes)]
        rss, hwm = status(p.pid, "VmRSS"), status(p.pid, "VmHWM")
        print(f"{label}: {nseries} series, page {len(page) / 1024:.0f} KiB; scrape median "
              f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms (HTTP included), "
              f"sonde's own {statistics.median(own) * 1000:.1f} ms; protobuf (native histograms) median "
              f"{statistics.median(t for t, _ in proto) * 1000:.1f} ms, {len(proto[-1][1]) / 1024:.0f} KiB; "
              f"RSS {rss:.1f} MiB (peak {hwm:.1f} MiB)")
    finally:
        stop(p)


def ns_per_call(argv, scrape_port=None):
    stop_flag = threading.Event()

    def scraper():
        while not stop_flag.wait(0.1):
            try:
                fetch(scrape_port)
            except OSError:
                pass

    th = threading.Thread(target=scraper) if scrape_port else None
    if th:
        th.start()
    try:
        p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    finally:
        stop_flag.set()
        if th:
            th.join()
    m = re.search(r"ns_per_call ([\d.]+)", p.stderr.decode(errors="replace"))
    return float(m.group(1)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=10000)
    ap.add_argument("--scrapes", type=int, default=20)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--calls", type=int, default=1000000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    a = ap.parse_args()
    n = a.series
    scrape_bench(a.sonde, n, a.scrapes,
                 f"tracepoint:syscalls:sys_enter_getppid {{ @series[@next % {n}] = count(); @next++; }}",
                 n, f"{n} count() keys")
    scrape_bench(a.sonde, n, a.scrapes,
                 f"tracepoint:syscalls:sys_enter_getppid {{ @lat[@next % {n // 20}] = hist(@next); @next++; }}",
                 n, f"{n // 20} hist() keys")

    prog = "tracepoint:raw_syscalls:sys_exit /pid == cpid/ { @calls[args.id] = count(); }"
    load = " ".join([LOAD, "timed-getppid", str(a.calls)])
    port = free_port()
    variants = [("untraced", [LOAD, "timed-getppid", str(a.calls)], None),
                ("sonde", [a.sonde, "-q", "-e", prog, "-c", load], None),
                ("sonde --metrics", [a.sonde, "-q", "--metrics", str(port), "-e", prog, "-c", load], None),
                ("sonde --metrics, scraped every 100 ms", [a.sonde, "-q", "--metrics", str(port), "-e", prog, "-c", load],
                 port)]
    cost = {name: [] for name, _, _ in variants}
    for _ in range(a.runs):
        for name, argv, sp in variants:
            cost[name].append(ns_per_call(argv, sp))
    base = statistics.median(cost["untraced"])
    print(f"getppid() loop, {a.calls} calls, {a.runs} interleaved runs, medians; untraced {base:.1f} ns per call")
    for name, _, _ in variants[1:]:
        print(f"  {name:38s} +{statistics.median(cost[name]) - base:6.1f} ns per call")


if __name__ == "__main__":
    main()
