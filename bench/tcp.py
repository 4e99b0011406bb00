#!/usr/bin/env python3
"""Added cost per TCP connection of sonde tcplife and tcpstates against the bpftrace scripts that do the same.

  bench/tcp.py [--runs N] [--conns N] [--sonde PATH] [--bpftrace PATH]

build/targets/sysload timed-tcp N opens N loopback connections (listen,
connect, accept, close: about ten state changes each, half of them in
softirq) and times them itself. Interleaved runs, medians: untraced; sonde
tcplife and tcpstates (output to /dev/null); the bpftrace scripts with the
same probe and work (sock:inet_sock_set_state; tcplife reads struct
tcp_sock's bytes through BTF at the close). Only processes started here are
signalled.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOAD = os.path.join(ROOT, "build/targets/sysload")

BT_TCPLIFE = """tracepoint:sock:inet_sock_set_state /args->protocol == 6/ {
  $sk = (uint64)args->skaddr;
  if (args->newstate < 4 && @birth[$sk] == 0) { @birth[$sk] = nsecs; }
  if (args->newstate == 2 || args->newstate == 9) { @wpid[$sk] = pid; @wcomm[$sk] = comm; }
  if (args->newstate == 7) {
    if (@birth[$sk] != 0) {
      $tp = (struct tcp_sock *)args->skaddr;
      printf("%d %s %d %d %d %d %d %s %s\\n", @wpid[$sk], @wcomm[$sk], args->sport, args->dport,
             (nsecs - @birth[$sk]) / 1000, $tp->bytes_acked, $tp->bytes_received, ntop(args->saddr), ntop(args->daddr));
    }
    delete(@birth[$sk]); delete(@wpid[$sk]); delete(@wcomm[$sk]);
  }
}"""

BT_TCPSTATES = """tracepoint:sock:inet_sock_set_state /args->protocol == 6/ {
  $sk = (uint64)args->skaddr;
  $last = @last[$sk];
  printf("%lx %d %s %s %d %s %d %d -> %d %d\\n", $sk, pid, comm, ntop(args->saddr), args->sport, ntop(args->daddr),
         args->dport, args->oldstate, args->newstate, $last ? (nsecs - $last) / 1000 : 0);
  if (args->newstate == 7) { delete(@last[$sk]); } else { @last[$sk] = nsecs; }
}"""


def ns_per_conn(argv, ns):
    """One run in a fresh network namespace: its ports are free, whatever TIME_WAIT the last run left."""
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    m = re.search(r"ns_per_call ([\d.]+)", p.stderr.decode(errors="replace"))
    return float(m.group(1)) if m else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--conns", type=int, default=20000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    ns = f"sonde-bench-tcp-{os.getpid()}"
    ip = os.path.realpath(shutil.which("ip") or "/usr/sbin/ip")  # bpftrace -c wants one path
    load = [ip, "netns", "exec", ns, LOAD, "timed-tcp", str(a.conns)]
    variants = [("untraced", load),
                ("sonde tcplife", [a.sonde, "tcplife", "--"] + load),
                ("sonde tcpstates", [a.sonde, "tcpstates", "--"] + load)]
    if os.access(a.bpftrace, os.X_OK):
        variants += [("bpftrace tcplife.bt", [a.bpftrace, "-e", BT_TCPLIFE, "-c", " ".join(load)]),
                     ("bpftrace tcpstates.bt", [a.bpftrace, "-e", BT_TCPSTATES, "-c", " ".join(load)])]
    cost = {name: [] for name, _ in variants}
    for _ in range(a.runs):
        for name, argv in variants:
            cost[name].append(ns_per_conn(argv, ns))
    base = statistics.median(cost["untraced"])
    print(f"loopback connections, {a.conns} per run, {a.runs} interleaved runs, medians; untraced {base / 1000:.1f} us per connection")
    for name, _ in variants[1:]:
        print(f"  {name:22s} +{(statistics.median(cost[name]) - base) / 1000:6.2f} us per connection")


if __name__ == "__main__":
    main()
