#!/usr/bin/env python3
"""Runs sonde on scripts and compares what it prints.

Each tests/run/*.t file holds cases:

    ### name_that_states_the_behaviour
    --- prog        the program (passed with -e)
    --- flags       extra command-line flags (shell words); default: -q
    --- params      positional parameters (shell words)
    --- env         KEY=VALUE lines
    --- stdin       text fed to standard input
    --- signal      NAME MILLISECONDS: send the signal after that long
    --- as-nobody   run as user nobody, without privileges
    --- setup       shell commands (sh -e) run first, 30 s at most; a failure fails the case.
                    {TMP} in any section is a fresh directory, removed afterwards;
                    {SONDE} in setup is the sonde under test (for scripts that drive it)
                    {PORT} in any section is a loopback TCP port free when the case starts
    --- background  a command started first; {BG} in flags/prog is its pid
    --- check       a Python expression over `out`, `err`, `bg_out`, `bg_pid` (and `re`) that must be true
    --- stdout      expected stdout ({PID} = sonde's pid); trailing blank lines
                    are not compared (they separate cases in this file)
    --- stdout-re   a regular expression stdout must match in full
    --- stderr      exact expected stderr
    --- stderr-has  a line stderr must contain
    --- rc          expected exit status (default 0)

Usage: runner.py SONDE [FILE.t | NAME-PART]: every case, the cases of one
file, or the cases whose name holds NAME-PART.

Programs run for real: BEGIN/END/interval blocks are loaded into the kernel
and executed with BPF_PROG_TEST_RUN. Prints `N passed, N failed` last.
"""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SECTIONS = ("setup", "prog", "flags", "params", "env", "stdin", "signal", "as-nobody", "background", "check", "stdout", "stdout-re", "stderr", "stderr-has", "rc")


def parse(path):
    cases, cur, sec = [], None, None
    with open(path) as f:
        for line in f:
            if line.startswith("### "):
                cur = {"name": line[4:].strip(), "file": os.path.basename(path)}
                cases.append(cur)
                sec = None
            elif line.startswith("--- ") and line[4:].strip() in SECTIONS and cur is not None:
                sec = line[4:].strip()
                cur[sec] = ""
            elif cur is not None and sec:
                cur[sec] += line
    return cases


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(sonde, case):
    if any("{PORT}" in v for v in case.values()):
        port = str(free_port())
        case = {k: v.replace("{PORT}", port) for k, v in case.items()}
    if "setup" not in case and not any("{TMP}" in v for v in case.values()):
        return run_with(sonde, case)
    tmp = tempfile.mkdtemp(prefix="sonde-test-")
    try:
        case = {k: v.replace("{TMP}", tmp) for k, v in case.items()}
        if "setup" in case:
            try:
                setup = case["setup"].replace("{SONDE}", shlex.quote(os.path.abspath(sonde)))
                p = subprocess.run(["sh", "-ec", setup], capture_output=True, timeout=30)
            except subprocess.TimeoutExpired:
                return ["setup timed out after 30 s"]
            if p.returncode:
                return [f"setup failed ({p.returncode}):\n{p.stdout.decode(errors='replace')}{p.stderr.decode(errors='replace')}"]
        return run_with(sonde, case)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_with(sonde, case):
    bg = None
    if "background" in case:
        # the process a -p test follows; ended by pid afterwards if still running
        bg = subprocess.Popen(shlex.split(case["background"]), stdout=subprocess.PIPE)
        time.sleep(0.1)
    try:
        return run_sonde(sonde, case, bg)
    finally:
        if bg:
            try:
                bg.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                bg.kill()
                bg.communicate()


def run_sonde(sonde, case, bg):
    subst = (lambda t: t.replace("{BG}", str(bg.pid))) if bg else (lambda t: t)
    prog = subst(case.get("prog", "").rstrip("\n"))
    flags = shlex.split(subst(case.get("flags", "-q")))
    params = shlex.split(case.get("params", ""))
    env = dict(os.environ)
    for kv in case.get("env", "").splitlines():
        if "=" in kv:
            k, v = kv.split("=", 1)
            env[k.strip()] = v.strip()
    argv = [sonde] + flags + (["-e", prog] if prog else []) + params
    scratch_dir = None
    if "as-nobody" in case:
        # a copy under /tmp: the checkout may sit where nobody cannot reach it
        scratch_dir = tempfile.mkdtemp(prefix="sonde-nobody-")
        copy = os.path.join(scratch_dir, "sonde")
        shutil.copy(sonde, copy)
        os.chmod(os.path.dirname(copy), 0o755)
        os.chmod(copy, 0o755)
        argv = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", copy] + argv[1:]
    try:
        p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)
        if "signal" in case:
            name, ms = case["signal"].split()
            time.sleep(int(ms) / 1000)
            p.send_signal(getattr(signal, name))
        out, err = p.communicate(case.get("stdin", "").encode(), timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        return ["timed out after 20 s"]
    finally:
        if scratch_dir:
            shutil.rmtree(scratch_dir, ignore_errors=True)
    out, err = out.decode(errors="replace"), err.decode(errors="replace")
    problems = []
    want_rc = int(case.get("rc", "0").strip() or 0)
    if p.returncode != want_rc:
        problems.append(f"exit status {p.returncode}, expected {want_rc}")
    if "stdout" in case:
        want = case["stdout"].replace("{PID}", str(p.pid)).rstrip("\n")
        if out.rstrip("\n") != want:
            problems.append(f"stdout differs:\n--- expected\n{want}--- got\n{out}")
    if "stdout-re" in case:
        pat = case["stdout-re"].replace("{PID}", str(p.pid)).rstrip("\n")
        if not re.fullmatch(pat, out.rstrip("\n"), re.S):
            problems.append(f"stdout does not match /{pat}/:\n{out}")
    if "stderr" in case and err.rstrip("\n") != case["stderr"].rstrip("\n"):
        problems.append(f"stderr differs:\n--- expected\n{case['stderr']}--- got\n{err}")
    for line in case.get("stderr-has", "").splitlines():
        if line and line not in err:
            problems.append(f"stderr lacks {line!r}:\n{err}")
    if "check" in case:
        expr = case["check"].strip()
        bg_out = ""
        if bg:
            try:  # the background process's own output, once it has finished
                bg_out = bg.communicate(timeout=10)[0].decode(errors="replace")
            except subprocess.TimeoutExpired:
                bg.kill()
                bg_out = bg.communicate()[0].decode(errors="replace")
        try:
            ok = eval(expr, {"re": re}, {"out": out, "err": err, "bg_out": bg_out, "bg_pid": bg.pid if bg else 0})
        except Exception as e:  # a broken check is a failure, with its reason
            ok, expr = False, f"{expr} raised {e!r}"
        if not ok:
            problems.append(f"check failed: {expr}\nstdout:\n{out[:2000]}\nstderr:\n{err[:2000]}"
                            + (f"\nbackground stdout:\n{bg_out[:2000]}" if bg else ""))
    if "AddressSanitizer" in err or "runtime error:" in err or "LeakSanitizer" in err:
        problems.append(f"sanitizer report:\n{err}")
    return problems


def main():
    sonde = sys.argv[1]
    only = sys.argv[2] if len(sys.argv) > 2 else ""
    here = os.path.dirname(os.path.abspath(__file__))
    # a .t file (tests/run/uprobe.t) runs that file; other words select cases by name
    only_file = os.path.basename(only) if only.endswith(".t") else ""
    if only_file:
        only = ""
    passed = failed = 0
    for name in sorted(os.listdir(here)):
        if not name.endswith(".t") or (only_file and name != only_file):
            continue
        for case in parse(os.path.join(here, name)):
            if only and only not in case["name"]:
                continue
            problems = run(sonde, case)
            if problems:
                failed += 1
                print(f"FAIL {case['file']}: {case['name']}")
                for pr in problems:
                    print("    " + pr.replace("\n", "\n    "))
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
