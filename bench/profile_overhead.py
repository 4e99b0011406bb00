#!/usr/bin/env python3
"""What sampling costs the sampled process: CPU time per unit of work.

  bench/profile_overhead.py [--runs N] [--units N] [--sonde PATH] [--bpftrace PATH]
  bench/profile_overhead.py --unwind [--runs N] [--units N] [--sonde PATH]
  bench/profile_overhead.py --python [--runs N] [--units N] [--sonde PATH]

build/targets/stacks `work N` runs N units of arithmetic in
main → outer → middle → inner and prints its own CPU time per unit
(CLOCK_PROCESS_CPUTIME_ID, so time the kernel spends in the sampling
interrupt on its behalf counts). Interleaved per run: untraced; sonde
profile at 99 Hz and 999 Hz (user + kernel stacks of that process); and
bpftrace's `profile:hz:N /pid == X/ { @[ustack, kstack] = count(); }` at
the same rates. Medians; overhead = traced / untraced − 1. Root; only
processes started here are signalled.

--unwind compares user stacks walked by CFI (sonde's default) with the
frame-pointer walk (SONDE_UNWIND=fp) on build/targets/stacks-nofp, the
same program without frame pointers: the target's CPU time per unit, and
the BPF program's own time per sample (`sonde -v` run statistics) on that
target and on Debian's python3.11; then the unwind tables' size and build
time for libc, python3.11 and the Go target (`-v`'s unwind lines).

--python times bench/pywork.py (top → mid → leaf in Python on Debian's
python3.11) untraced and under `sonde profile -F HZ -p PID -f` with Python
frames (the default) and without (SONDE_PYTHON_FRAMES=0), at 99 and 999 Hz,
then the BPF program's time per sample of `@[ustack]` with and without, on
that program and on build/targets/stacks (C: what a process that runs no
Python pays).
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "build/targets/stacks")


def run_work(units, tracer=None, target=TARGET, env=None, cmd=None):
    """One run of the target (or cmd, a shell command taking `work N`), with the tracer (a function pid → argv) attached first."""
    # the shell stops itself, keeps its pid through exec: the tracer attaches, then it continues
    cmd = cmd or f'"{target}"'
    t = subprocess.Popen(["sh", "-c", f'kill -STOP $$; exec {cmd} work {units}'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(5000):
        with open(f"/proc/{t.pid}/stat") as f:
            if f.read().split(")")[1].split()[0] in "Tt":
                break
        time.sleep(0.001)
    tr = None
    if tracer:
        tr = subprocess.Popen(tracer(t.pid), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, **(env or {})))
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


def bpf_ns_per_sample(sonde, argv, hz, env, seconds=3):
    """sonde -v's run statistics for a profile of a process started here: ns per sample."""
    t = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.3)
    prog = f"profile:hz:{hz} /pid == {t.pid}/ {{ @[ustack] = count(); }} interval:s:{seconds} {{ exit(); }}"
    r = subprocess.run([sonde, "-v", "-p", str(t.pid), "-e", prog], capture_output=True, text=True,
                       env=dict(os.environ, **env), timeout=120)
    t.kill()
    t.wait()
    m = re.search(r"^probe profile:hz:\d+ \(line 1\): (\d+) runs, \d+ ns, (\d+) ns per run", r.stderr, re.M)
    tables = re.findall(r"^unwind:   (\S+): (CFI|frame pointers), (\d+) rows \((\d+) KiB\), ([\d.]+) ms", r.stderr, re.M)
    return (int(m.group(2)) if m else None), tables


def unwind_main(a):
    nofp = os.path.join(ROOT, "build/targets/stacks-nofp")
    fp_only = {"SONDE_UNWIND": "fp"}
    cases = []
    for hz in (99, 999):
        prof = lambda pid, hz=hz: [a.sonde, "profile", "-U", "-F", str(hz), "-p", str(pid), "-f"]
        cases.append((f"CFI {hz} Hz", prof, {}))
        cases.append((f"fp  {hz} Hz", prof, fp_only))
        if shutil.which("perf"):
            # perf copies 8 KiB of stack per sample and unwinds in user space (when reporting)
            rec = lambda pid, hz=hz: ["perf", "record", "-q", "-e", "cpu-clock", "-F", str(hz), "--call-graph", "dwarf",
                                      "-p", str(pid), "-o", f"/tmp/sonde-bench-perf-{os.getpid()}.data"]
            cases.append((f"perf record --call-graph dwarf {hz} Hz", rec, {}))
    base, cost = [], {c[0]: [] for c in cases}
    for _ in range(a.runs):
        base.append(run_work(a.units, target=nofp))
        for name, tracer, env in cases:
            cost[name].append(run_work(a.units, tracer, target=nofp, env=env))
    b = statistics.median(base)
    print(f"stacks-nofp work {a.units}: CPU time per unit, {a.runs} interleaved runs, medians")
    print(f"  untraced: {b:.1f} ns per unit")
    for name, _, _ in cases:
        m = statistics.median(cost[name])
        label = name if name.startswith("perf") else f"sonde profile -U, {name}"
        print(f"  {label}: {m:.1f} ns per unit, overhead {100 * (m / b - 1):+.2f} %")
    if os.path.exists(f"/tmp/sonde-bench-perf-{os.getpid()}.data"):
        os.unlink(f"/tmp/sonde-bench-perf-{os.getpid()}.data")
    busy = ["/usr/bin/python3.11", os.path.join(ROOT, "tests/targets/python/busy.py"), "30"]
    print("BPF time per sample (sonde -v run statistics; medians of the runs):")
    seen = {}
    # the same source built with frame pointers: both walks see the whole stack there
    withfp = os.path.join(ROOT, "build/targets/stacks")
    for label, argv in (("stacks-nofp", [nofp, "burn", "30000"]), ("stacks (fp)", [withfp, "burn", "30000"]),
                        ("python3.11", busy)):
        for hz in (99, 999):
            for walk, env in (("CFI", {}), ("fp ", fp_only)):
                runs = []
                for _ in range(max(1, a.runs // 2)):
                    ns, tables = bpf_ns_per_sample(a.sonde, argv, hz, env)
                    runs.append(ns or 0)
                    for t in tables:
                        seen[os.path.basename(t[0])] = t
                print(f"  {label:11} {hz:3} Hz {walk}: {statistics.median(runs)} ns per sample")
    goserver = os.path.join(ROOT, "build/targets/goserver")
    if os.access(goserver, os.X_OK):
        _, tables = bpf_ns_per_sample(a.sonde, [goserver, "wait", "3000", "calls", "1"], 99, {}, seconds=1)
        for t in tables:
            seen[os.path.basename(t[0])] = t
    print("unwind tables (the last run's -v):")
    for name in sorted(seen):
        path, kind, rows, kib, ms = seen[name]
        print(f"  {name:28} {kind:15} {int(rows):7} rows {int(kib):6} KiB {float(ms):7.1f} ms")


def python_main(a):
    py = f'/usr/bin/python3.11 "{os.path.join(ROOT, "bench/pywork.py")}"'
    units = 2 * a.units  # a unit is ~3 µs: 2 s a run by default
    no_py = {"SONDE_PYTHON_FRAMES": "0"}
    cases = []
    for hz in (99, 999):
        prof = lambda pid, hz=hz: [a.sonde, "profile", "-F", str(hz), "-p", str(pid), "-f"]
        cases.append((f"{hz} Hz, native frames only", prof, no_py))
        cases.append((f"{hz} Hz, Python frames     ", prof, {}))
    base, cost = [], {c[0]: [] for c in cases}
    for _ in range(a.runs):
        base.append(run_work(units, cmd=py))
        for name, tracer, env in cases:
            cost[name].append(run_work(units, tracer, env=env, cmd=py))
    b = statistics.median(base)
    print(f"pywork.py work {units}: CPU time per unit, {a.runs} interleaved runs, medians")
    print(f"  untraced: {b:.1f} ns per unit")
    for name, _, _ in cases:
        m = statistics.median(cost[name])
        print(f"  sonde profile {name}: {m:.1f} ns per unit, overhead {100 * (m / b - 1):+.2f} %")
    print("BPF time per sample of @[ustack] (sonde -v run statistics; medians of the runs):")
    py_argv = ["/usr/bin/python3.11", os.path.join(ROOT, "bench/pywork.py"), "work", "100000000"]
    # a C program: what the Python support costs a process that runs no Python (one map lookup)
    c_argv = [TARGET, "burn", "30000"]
    for name, argv in (("python3.11", py_argv), ("stacks (C)", c_argv)):
        for hz in (99, 999):
            for label, env in (("native frames only", no_py), ("Python frames     ", {})):
                runs = [bpf_ns_per_sample(a.sonde, argv, hz, env)[0] or 0 for _ in range(max(1, a.runs // 2))]
                print(f"  {name:10} {hz:3} Hz, {label}: {statistics.median(runs)} ns per sample")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=300000)
    ap.add_argument("--sonde", default=os.path.join(ROOT, "build/sonde"))
    ap.add_argument("--bpftrace", default="/usr/bin/bpftrace")
    ap.add_argument("--unwind", action="store_true", help="CFI against frame-pointer walks, and the tables")
    ap.add_argument("--python", action="store_true", help="profiles of a Python program with and without Python frames")
    a = ap.parse_args()
    if a.unwind:
        return unwind_main(a)
    if a.python:
        return python_main(a)
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
