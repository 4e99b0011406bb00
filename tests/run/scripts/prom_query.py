#!/usr/bin/env python3
"""Debian's real Prometheus scraping a sonde --metrics, for tests/run/metrics.t.

    prom_query.py SONDE_PORT [--target CMD] [--until PROMQL] [--deadline S]
                  [--rules FILE] [--page] [--stay S] [--native] [--doc GUIDE.md --scale A=B...
                  --at-exit] QUERY...

Starts prometheus on a free loopback port with a temporary config and data
directory (scrape every second), starts CMD (the traced target), waits until
PROMQL returns something (or the deadline), then prints `QUERY => VALUE` for
each QUERY (one line per series, `{labels}` first when there are several;
`QUERY => none` when empty). --page also fetches sonde's /metrics and prints
`promtool: ok` or promtool's complaint. Prometheus and the target are ended
by pid and the directory removed on every way out; both also get SIGTERM
from the kernel if this script dies (PR_SET_PDEATHSIG).

--doc takes the recording rules (the ```yaml block with `groups:`) and the
queries (each ```promql block, printed as `doc[N] => VALUE`) from a guide,
with each --scale A=B replaced in both (windows shrunk for a short run).
--at-exit evaluates the queries at the moment the target exited.
--native turns on Prometheus' native histograms, which it then asks for in
the protobuf format.
"""
import re
import argparse
import ctypes
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def die_with_parent():
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def end(p):
    if p and p.poll() is None:
        p.terminate()
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def query(base, q, at=None):
    args = {"query": q}
    if at is not None:
        args["time"] = "%.3f" % at
    url = base + "/api/v1/query?" + urllib.parse.urlencode(args)
    with urllib.request.urlopen(url, timeout=5) as r:
        data = json.load(r)["data"]
    if data["resultType"] == "scalar":
        return [({}, data["result"][1])]
    # a native histogram: its count, sum and buckets as (lower, upper] = count
    return [(x["metric"], x["value"][1] if "value" in x else
             "histogram count=%s sum=%s %s" % (x["histogram"][1]["count"], x["histogram"][1]["sum"],
                                               " ".join("(%s,%s]=%s" % (b[1], b[2], b[3])
                                                        for b in x["histogram"][1].get("buckets", []))))
            for x in data["result"]]


def fmt(v):
    if v.startswith("histogram"):
        return v
    f = float(v)
    return str(int(f)) if f == int(f) and abs(f) < 1e15 else "%.4f" % f


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port")
    ap.add_argument("--target")
    ap.add_argument("--until")
    ap.add_argument("--deadline", type=float, default=15)
    ap.add_argument("--rules")
    ap.add_argument("--page", action="store_true")
    ap.add_argument("--stay", type=float, default=0, help="seconds to keep scraping after --until")
    ap.add_argument("--interval", default="1s", help="scrape and rule evaluation interval")
    ap.add_argument("--native", action="store_true", help="--enable-feature=native-histograms (protobuf scrapes)")
    ap.add_argument("--doc")
    ap.add_argument("--scale", action="append", default=[])
    ap.add_argument("--at-exit", action="store_true")
    ap.add_argument("queries", nargs="*")
    a = ap.parse_intermixed_args()
    named = [(q, q) for q in a.queries]
    doc_rules = None
    if a.doc:
        text = open(a.doc).read()
        for pair in a.scale:
            old, new = pair.split("=", 1)
            text = text.replace(old, new)
        blocks = re.findall(r"```(\w*)\n(.*?)```", text, re.S)
        doc_rules = next((b for kind, b in blocks if kind == "yaml" and "groups:" in b), None)
        named += [(f"doc[{i}]", b.strip()) for i, b in enumerate(b for kind, b in blocks if kind == "promql")]
    tmp = tempfile.mkdtemp(prefix="sonde-prom-")
    prom = target = None
    try:
        pport = free_port()
        rules = ""
        if a.rules:
            shutil.copy(a.rules, os.path.join(tmp, "rules.yml"))
        elif doc_rules:
            with open(os.path.join(tmp, "rules.yml"), "w") as f:
                f.write(doc_rules)
        if a.rules or doc_rules:
            rules = "rule_files: [" + os.path.join(tmp, "rules.yml") + "]\n"
        with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
            f.write(f"global: {{scrape_interval: {a.interval}, evaluation_interval: {a.interval}}}\n" + rules +
                    "scrape_configs:\n- job_name: sonde\n  static_configs:\n"
                    f"  - targets: ['127.0.0.1:{a.port}']\n")
        prom = subprocess.Popen(["prometheus", "--config.file=" + os.path.join(tmp, "prometheus.yml"),
                                 "--storage.tsdb.path=" + os.path.join(tmp, "data"),
                                 f"--web.listen-address=127.0.0.1:{pport}", "--log.level=error"]
                                + (["--enable-feature=native-histograms"] if a.native else []),
                                stdout=subprocess.DEVNULL, stderr=open(os.path.join(tmp, "prom.log"), "w"),
                                preexec_fn=die_with_parent)
        if a.target:
            target = subprocess.Popen(shlex.split(a.target), stdout=subprocess.DEVNULL, preexec_fn=die_with_parent)
        base = f"http://127.0.0.1:{pport}"
        start = time.monotonic()
        ready = False
        while time.monotonic() - start < a.deadline:
            time.sleep(0.5)
            try:
                if query(base, a.until or "up == 1"):
                    ready = True
                    break
            except OSError:
                pass  # prometheus still starting
        if not ready:
            print(f"not ready after {a.deadline} s: {a.until}")
            print(open(os.path.join(tmp, "prom.log")).read()[-2000:])
            try:
                with urllib.request.urlopen(base + "/api/v1/targets", timeout=5) as r:
                    for t in json.load(r)["data"]["activeTargets"]:
                        print("target:", t.get("health"), t.get("lastError"))
            except OSError as e:
                print("targets:", e)
        at = None
        if a.at_exit and target:
            try:
                target.wait(timeout=max(a.deadline - (time.monotonic() - start), 1))
            except subprocess.TimeoutExpired:
                print("the target did not exit in time")
            # the target's last calls were 300 ms before its exit: a scrape
            # (every 250 ms in the SLO test) has them by exit + 0.3 s, and a 1 s
            # window still holds a scrape from inside the last phase
            time.sleep(0.3)
            at = time.time()
            time.sleep(1.5)
        time.sleep(a.stay)
        for name, q in named:
            res = query(base, q, at)
            if not res:
                print(f"{name} => none")
            for labels, v in sorted(res, key=lambda x: sorted(x[0].items())):
                shown = {k: v2 for k, v2 in labels.items() if k not in ("job", "instance")}
                lb = "{" + ",".join(f'{k}="{v2}"' for k, v2 in sorted(shown.items())) + "} " if len(res) > 1 else ""
                print(f"{name} => {lb}{fmt(v)}")
        if a.page:
            with urllib.request.urlopen(f"http://127.0.0.1:{a.port}/metrics", timeout=5) as r:
                page = r.read()
            p = subprocess.run(["promtool", "check", "metrics"], input=page, capture_output=True)
            print("promtool: ok" if p.returncode == 0 else
                  f"promtool: {p.returncode} {p.stdout.decode()} {p.stderr.decode()}")
        sys.stdout.flush()
    finally:
        end(target)
        end(prom)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
