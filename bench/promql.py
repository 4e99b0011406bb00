#!/usr/bin/env python3
"""Parse and split 10,000 PromQL alert expressions: sonde promql split's cost.

Usage: bench/promql.py [SONDE]          (default: build/sonde)
Env:   N=11        measured runs (after one warm-up)
       ALERTS=10000

Builds a rules file of ALERTS alert rules by cycling through the expressions
of tests/data/promql/alerts.yml (322 distinct ones, 1 to 16 lines each), then
times `sonde promql split --json --rules FILE > /dev/null`: reading the YAML,
parsing and checking every expression, splitting it and printing every side
as PromQL and JSON. A one-alert file timed the same way gives the fixed cost
(start-up, libyaml), which the per-10,000 figure is net of. Wall and CPU time
(user + sys, from the child's rusage) are medians of N runs.
"""
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sonde = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "build/sonde")
N = int(os.environ.get("N", "11"))
ALERTS = int(os.environ.get("ALERTS", "10000"))


def corpus_exprs():
    out = subprocess.run([sonde, "promql", "split", "--json", "--rules",
                          os.path.join(root, "tests/data/promql/alerts.yml")],
                         capture_output=True, text=True, check=True).stdout
    return [a["expr"] for a in json.loads(out)["alerts"]]


def write_rules(path, exprs, n):
    with open(path, "w") as f:
        f.write("groups:\n  - name: bench\n    rules:\n")
        for i in range(n):
            f.write(f"      - alert: A{i}\n        expr: {json.dumps(exprs[i % len(exprs)])}\n")


def run(path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sonde, "promql", "split", "--json", "--rules", path],
                   stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall * 1000, cpu * 1000


def main():
    exprs = corpus_exprs()
    with tempfile.TemporaryDirectory() as tmp:
        big, one = os.path.join(tmp, "big.yml"), os.path.join(tmp, "one.yml")
        write_rules(big, exprs, ALERTS)
        write_rules(one, exprs, 1)
        out = subprocess.run([sonde, "promql", "split", "--json", "--rules", big],
                             capture_output=True, text=True, check=True).stdout
        pairs = sum(len(a["pairs"]) for a in json.loads(out)["alerts"])
        size = os.path.getsize(big)
        run(big), run(one)  # warm-up
        rows = {"big": [], "one": []}
        for _ in range(N):  # interleaved: load drift hits both alike
            rows["big"].append(run(big))
            rows["one"].append(run(one))
    med = {k: (statistics.median(w for w, c in v), statistics.median(c for w, c in v)) for k, v in rows.items()}
    print(f"promql split: {ALERTS} alerts ({size / 1e6:.1f} MB of YAML, {pairs} pairs), {N} runs, medians")
    print(f"{'':24} {'wall ms':>9} {'cpu ms':>9}")
    print(f"{'10,000 alerts' if ALERTS == 10000 else f'{ALERTS} alerts':24} {med['big'][0]:9.1f} {med['big'][1]:9.1f}")
    print(f"{'1 alert (fixed cost)':24} {med['one'][0]:9.1f} {med['one'][1]:9.1f}")
    print(f"{'net of the fixed cost':24} {med['big'][0] - med['one'][0]:9.1f} {med['big'][1] - med['one'][1]:9.1f}")


if __name__ == "__main__":
    main()
