#!/usr/bin/env python3
"""sonde promql split and promtool agree on what is valid PromQL.

Usage: promql_agree.py SONDE VALID.txt INVALID.txt TMPDIR   ("-" skips a list)
Each line of VALID.txt must be accepted by both (and every side sonde
prints, by promtool too); each line of INVALID.txt refused by both, sonde
with an ERROR that points at a line and column and a non-zero exit.
Prints "N valid, N invalid: sonde and promtool agree".
"""
import json
import re
import subprocess
import sys


def lines(path):
    if path == "-":  # this list is not checked
        return []
    with open(path) as f:
        return [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]


def promtool_accepts(tmp, exprs):
    path = f"{tmp}/rules.yml"
    with open(path, "w") as f:
        f.write("groups:\n  - name: g\n    rules:\n")
        for i, e in enumerate(exprs):
            f.write(f"      - record: r{i}\n        expr: {json.dumps(e)}\n")
    return subprocess.run(["promtool", "check", "rules", path], capture_output=True).returncode == 0


def main():
    sonde, valid, invalid, tmp = sys.argv[1:5]
    problems = []
    for e in lines(valid):
        p = subprocess.run([sonde, "promql", "split", "--json", "--", e], capture_output=True, text=True)
        if p.returncode:
            problems.append(f"sonde refuses valid {e!r}:\n{p.stderr}")
            continue
        pairs = json.loads(p.stdout)["pairs"]
        sides = [s for pr in pairs for s in (pr["left"], pr["right"]) if s is not None]
        if not promtool_accepts(tmp, [e]):
            problems.append(f"promtool refuses {e!r}: remove it from {valid}")
        elif not promtool_accepts(tmp, sides + [json.loads(p.stdout)["expr"]]):
            problems.append(f"promtool refuses a side of {e!r}: {sides}")
    for e in lines(invalid):
        p = subprocess.run([sonde, "promql", "split", "--", e], capture_output=True, text=True)
        if p.returncode != 1 or not re.match(r"expr:\d+:\d+-\d+: ERROR: ", p.stderr) or "Sanitizer" in p.stderr:
            problems.append(f"sonde does not refuse {e!r} properly (exit {p.returncode}):\n{p.stdout}{p.stderr}")
        if promtool_accepts(tmp, [e]):
            problems.append(f"promtool accepts {e!r}: remove it from {invalid}")
    for pr in problems:
        print(pr)
    if problems:
        sys.exit(1)
    print(f"{len(lines(valid))} valid, {len(lines(invalid))} invalid: sonde and promtool agree")


if __name__ == "__main__":
    main()
