#!/usr/bin/env python3
"""Checks what `sonde promql split --json --rules FILE` says of a corpus:
every side it prints, and every alert's expression as sonde prints it back,
passes `promtool check rules` (each wrapped as a recording rule), and the
printed expressions split again to the same pairs (the printer is a fixpoint).

Usage: promql_sides.py SONDE RULES.yml TMPDIR MIN_ALERTS
Prints "N alerts, N sides checked by promtool" and exits 0 when all is well.
"""
import json
import subprocess
import sys


def split(sonde, path):
    p = subprocess.run([sonde, "promql", "split", "--json", "--rules", path], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"sonde failed on {path} ({p.returncode}):\n{p.stderr}")
    return json.loads(p.stdout)["alerts"]


def write_rules(path, kind, exprs):
    with open(path, "w") as f:
        f.write("groups:\n  - name: sides\n    rules:\n")
        for i, e in enumerate(exprs):
            f.write(f"      - {kind}: {'side_' if kind == 'record' else 'Alert'}{i}\n")
            f.write(f"        expr: {json.dumps(e, ensure_ascii=False)}\n")


def main():
    sonde, rules, tmp, min_alerts = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    alerts = split(sonde, rules)
    if len(alerts) < min_alerts:
        sys.exit(f"only {len(alerts)} alerts split, expected at least {min_alerts}")
    sides = []
    for a in alerts:
        if not a["pairs"]:
            sys.exit(f"{a['alert']}: no pairs")
        for p in a["pairs"]:
            sides += [p["left"]] + ([p["right"]] if p["op"] else [])
    write_rules(f"{tmp}/sides.yml", "record", sides + [a["expr"] for a in alerts])
    p = subprocess.run(["promtool", "check", "rules", f"{tmp}/sides.yml"], capture_output=True, text=True)
    if p.returncode:
        sys.exit(f"promtool refused sides:\n{p.stdout}{p.stderr}")
    # the printed expressions again, as alerts: the same text and the same pairs
    write_rules(f"{tmp}/again.yml", "alert", [a["expr"] for a in alerts])
    again = split(sonde, f"{tmp}/again.yml")
    for a, b in zip(alerts, again):
        if (a["expr"], a["pairs"]) != (b["expr"], b["pairs"]):
            sys.exit(f"{a['alert']}: printing is not a fixpoint:\n{a}\n{b}")
    print(f"{len(alerts)} alerts, {len(sides)} sides checked by promtool")


if __name__ == "__main__":
    main()
