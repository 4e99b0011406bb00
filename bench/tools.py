#!/usr/bin/env python3
"""The function tools against the bpftrace scripts that do the same, interleaved runs.

  bench/tools.py [--runs N] [--calls N] [--sonde PATH] [--bpftrace PATH]

1. Time to attach: from starting the tool to the moment the traced process's
   probed instruction holds the breakpoint (its first byte reads 0xcc in
   /proc/PID/mem): one function (slow's pick()), and 1000 functions of a
   generated program (bench/gen_funcs.sh; the last one is watched).
   sonde funccount -p PID 'BIN:PATTERN' against
   bpftrace -p PID -e 'uprobe:BIN:PATTERN { @[probe] = count(); }'.
2. Added cost per call of step() (build/targets/slow timed N, which times
   itself; step() starts with `push %rbp`, which the kernel emulates), untraced, under sonde funccount and bpftrace's count script, and
   under sonde funclatency and bpftrace's latency script (an entry stamp per
   thread, a uretprobe that takes a hist of the difference).

Only processes started here are ever signalled. Needs root.
"""
import argparse
import os
import re
import signal
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLOW = os.path.join(ROOT, "build/targets/slow")
GEN = os.path.join(ROOT, "build/bench/funcs1000")


def build_generated():
    if os.access(GEN, os.X_OK):
        return
    os.makedirs(os.path.dirname(GEN), exist_ok=True)
    src = GEN + ".c"
    with open(src, "w") as f:
        subprocess.run(["sh", os.path.join(ROOT, "bench/gen_funcs.sh"), "1000"], stdout=f, check=True)
    # the generated main calls every function once at start: wrap it so the program waits first
    subprocess.run(["cc", "-O0", "-g", "-Dmain=generated_main", src, "-c", "-o", GEN + ".o"], check=True)
    with open(GEN + "-main.c", "w") as f:
        f.write("#include <unistd.h>\nint generated_main(void);\n"
                "int main(void) { sleep(30); return generated_main(); }\n")
    subprocess.run(["cc", "-O0", GEN + ".o", GEN + "-main.c", "-o", GEN], check=True)


def symbol_addr(pid, path, name):
    """The run-time address of name in process pid (PIE base from its maps)."""
    out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
    value = int(re.search(rf"^([0-9a-f]+) [tT] {re.escape(name)}$", out, re.M).group(1), 16)
    real = os.path.realpath(path)
    base = None
    with open(f"/proc/{pid}/maps") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 6 and parts[5] == real and int(parts[2], 16) == 0:
                base = int(parts[0].split("-")[0], 16)
                break
    with open(path, "rb") as f:
        is_pie = f.read(18)[16] == 3  # ET_DYN
    return value + (base if is_pie else 0)


def time_to_attach(argv, pid, addr, timeout=120):
    """Seconds from starting argv until the byte at addr in pid is int3, or None."""
    t0 = time.monotonic()
    tool = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    took = None
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        while time.monotonic() - t0 < timeout and tool.poll() is None:
            mem.seek(addr)
            if mem.read(1) == b"\xcc":
                took = time.monotonic() - t0
                break
            time.sleep(0.0005)
    tool.send_signal(signal.SIGINT)
    try:
        tool.wait(timeout=60)
    except subprocess.TimeoutExpired:
        tool.kill()
        tool.wait()
    return took


def attach_runs(a, tools, target_argv, path, watch, pattern, runs):
    res = {name: [] for name, _ in tools}
    for _ in range(runs):
        for name, mk in tools:
            target = subprocess.Popen(target_argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.05)
            try:
                addr = symbol_addr(target.pid, path, watch)
                res[name].append(time_to_attach(mk(target.pid, path, pattern), target.pid, addr))
            finally:
                target.kill()
                target.wait()
            time.sleep(0.2)  # let detached probes' RCU grace periods pass
    return res


def ns_per_call(tool_argv, calls):
    """Starts slow (waiting 700 ms), then the tool with -p; the target's own timing."""
    target = subprocess.Popen([SLOW, "wait", "700", "timed", str(calls)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    tool = None
    if tool_argv:
        tool = subprocess.Popen([x.replace("{PID}", str(target.pid)) for x in tool_argv],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    err = target.communicate(timeout=600)[1].decode()
    if tool:
        try:
            tool.wait(timeout=30)
        except subprocess.TimeoutExpired:
            tool.send_signal(signal.SIGINT)
            tool.wait()
    m = re.search(r"ns_per_call ([\d.]+)", err)
    return float(m.group(1)) if m else float("nan")


def fmt(v):
    return f"{v * 1000:8.1f} ms" if v is not None else "   failed"


# 1000 probes is past bpftrace's (and sonde's scripts') default limit of 512
os.environ.setdefault("BPFTRACE_MAX_PROBES", "2000")
os.environ.setdefault("BPFTRACE_MAX_BPF_PROGS", "2000")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--calls", type=int, default=200000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    a = ap.parse_args()
    build_generated()
    have_bt = os.access(a.bpftrace, os.X_OK)
    tools = [("sonde funccount", lambda pid, path, pat: [a.sonde, "funccount", "-p", str(pid), f"{path}:{pat}"])]
    if have_bt:
        tools.append(("bpftrace", lambda pid, path, pat: [a.bpftrace, "-p", str(pid), "-e",
                                                          f"uprobe:{path}:{pat} {{ @[probe] = count(); }}"]))

    print(f"time to attach (start → breakpoint in the process), {a.runs} interleaved runs, median [min..max]")
    for label, argv, path, watch, pat in [
            ("1 function ", [SLOW, "wait", "30000", "work", "1"], SLOW, "pick", "pick"),
            ("1000 functions", [GEN], GEN, "f0999", "f0*")]:
        res = attach_runs(a, tools, argv, path, watch, pat, a.runs)
        for name, _ in tools:
            ok = [x for x in res[name] if x is not None]
            med = statistics.median(ok) if ok else None
            print(f"  {label:15s} {name:16s} {fmt(med)} [{fmt(min(ok)) if ok else '-'}..{fmt(max(ok)) if ok else '-'}]"
                  f"{'' if len(ok) == len(res[name]) else f'  ({len(res[name]) - len(ok)} failed)'}")

    prog_lat = (f"uprobe:{SLOW}:step {{ @s[tid] = nsecs; }} "
                f"uretprobe:{SLOW}:step /@s[tid]/ {{ @h = hist(nsecs - @s[tid]); delete(@s[tid]); }}")
    variants = [("untraced", None),
                ("sonde funccount", [a.sonde, "funccount", "-p", "{PID}", f"{SLOW}:step"]),
                ("sonde funclatency", [a.sonde, "funclatency", "-p", "{PID}", f"{SLOW}:step"])]
    if have_bt:
        variants += [("bpftrace count", [a.bpftrace, "-p", "{PID}", "-e", f"uprobe:{SLOW}:step {{ @[probe] = count(); }}"]),
                     ("bpftrace latency", [a.bpftrace, "-p", "{PID}", "-e", prog_lat])]
    cost = {name: [] for name, _ in variants}
    for _ in range(a.runs):
        for name, argv in variants:
            cost[name].append(ns_per_call(argv, a.calls))
    base = statistics.median(cost["untraced"])
    print(f"cost per call of step() (entry `push %rbp`, emulated), {a.calls} calls, {a.runs} interleaved runs, medians; untraced {base:.1f} ns")
    for name, _ in variants[1:]:
        med = statistics.median(cost[name])
        print(f"  {name:18s} +{med - base:7.1f} ns per call")


if __name__ == "__main__":
    main()
