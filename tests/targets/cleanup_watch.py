"""Kills a tracer that probes a process with -p, and watches the process from outside.

    cleanup_watch.py PID LINKS LIB FUNC SEMAPHORE

PID runs a program that maps the shared library LIB; the tracer (the process
whose command line holds "-p PID", started by the same parent as PID: the
test's own sonde) probes the function FUNC of LIB and a USDT probe guarded by
the semaphore variable SEMAPHORE, with LINKS BPF links in all. FUNC's first
byte and the semaphore are read through /proc/PID/mem; the tracer's links and
programs are its file descriptors' fdinfo, looked up again in
`bpftool link/prog show` once it is gone.

Once all of it is in place (15 s at most) the tracer gets SIGKILL, by pid:
killing it when it is seen attached, not after a fixed time, keeps the test
valid when attaching is slow. Prints two lines:
    during: first byte 0xcc, semaphore 1, tracer links T1 T2 ..., listed by bpftool N/N
    after: first byte original, semaphore 0, links left 0, programs left 0
(the second once the state is clean, or 1 s after the tracer is gone), then
sends PID SIGUSR1 (`uselib hold` ends on it).
"""
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time


def wait_for(cond, seconds):
    end = time.monotonic() + seconds
    while True:
        v = cond()
        if v or time.monotonic() > end:
            return v
        time.sleep(0.01)


def mapping_base(pid, lib):
    """Where LIB's first page (file offset 0) is mapped in PID, or None."""
    try:
        with open(f"/proc/{pid}/maps") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 6 and parts[5] == lib and int(parts[2], 16) == 0:
                    return int(parts[0].split("-")[0], 16)
    except OSError:
        pass
    return None


def symbols(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    return {f[2]: int(f[0], 16) for f in (line.split() for line in out.splitlines()) if len(f) == 3}


def file_offset(lib, vaddr):
    """The file offset of a virtual address of LIB, through its PT_LOAD headers."""
    with open(lib, "rb") as f:
        elf = f.read()
    phoff, = struct.unpack_from("<Q", elf, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", elf, 0x36)
    for i in range(phnum):
        p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from("<IIQQQQ", elf, phoff + i * phentsize)
        if p_type == 1 and p_vaddr <= vaddr < p_vaddr + p_filesz:
            return vaddr - p_vaddr + p_offset
    raise SystemExit(f"cleanup_watch: {vaddr:#x} is in no PT_LOAD of {lib}")


def peek(pid, addr, n):
    with open(f"/proc/{pid}/mem", "rb") as f:
        f.seek(addr)
        return f.read(n)


def tracer_of(pid):
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    args = f.read().split(b"\0")
            except OSError:
                continue
            if any(a == b"-p" and b == str(pid).encode() for a, b in zip(args, args[1:])):
                return int(d)
    return None


def links_of(pid):
    """{link_id: (link_type, prog_id)} of the BPF links PID holds."""
    links = {}
    try:
        fds = os.listdir(f"/proc/{pid}/fdinfo")
    except OSError:
        return links
    for fd in fds:
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                info = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        if "link_id" in info:
            links[int(info["link_id"])] = (info["link_type"].strip(), int(info["prog_id"]))
    return links


def parent_of(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        return None


def gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def bpftool_ids(kind):
    tool = shutil.which("bpftool") or "/usr/sbin/bpftool"
    out = subprocess.run([tool, "-j", kind, "show"], capture_output=True, text=True, check=True).stdout
    return {x["id"] for x in json.loads(out or "[]")}


def watch(pid, want_links, lib, func, sema):
    lib = os.path.realpath(lib)
    syms = symbols(lib)
    with open(lib, "rb") as f:
        f.seek(file_offset(lib, syms[func]))
        original = f.read(1)[0]
    # PID is a shell until it execs the program
    base = wait_for(lambda: mapping_base(pid, lib), 5)
    if base is None:
        return f"cleanup_watch: {lib} is not mapped in {pid}"
    byte = lambda: peek(pid, base + syms[func], 1)[0]
    semaphore = lambda: struct.unpack("<H", peek(pid, base + syms[sema], 2))[0]

    def armed():
        tracer = tracer_of(pid)
        links = links_of(tracer) if tracer else {}
        return (tracer, links) if len(links) >= want_links and byte() == 0xCC and semaphore() > 0 else None

    found = wait_for(armed, 15)
    if not found:
        t = tracer_of(pid)
        return (f"during: never armed: first byte {byte():#04x}, semaphore {semaphore()}, "
                f"tracer {t}, links {links_of(t) if t else {}}")
    tracer, links = found
    listed = len(set(links) & bpftool_ids("link"))
    types = " ".join(sorted(t for t, _ in links.values()))
    print(f"during: first byte {byte():#04x}, semaphore {semaphore()}, tracer links {types}, "
          f"listed by bpftool {listed}/{len(links)}", flush=True)

    # only the sonde this test started: a sibling of PID (the runner started both)
    if parent_of(tracer) != parent_of(pid):
        return f"after: {tracer} is not the test's own sonde (parent {parent_of(tracer)}, not {parent_of(pid)})"
    os.kill(tracer, signal.SIGKILL)
    if not wait_for(lambda: gone(tracer), 15):
        return "after: the tracer is still running 15 s after SIGKILL"
    progs = {p for _, p in links.values()}

    def state():
        return (byte(), semaphore(), len(set(links) & bpftool_ids("link")), len(progs & bpftool_ids("prog")))

    wait_for(lambda: state() == (original, 0, 0, 0), 1)
    b, s, nl, np = state()
    shown = "original" if b == original else f"{b:#04x} (original {original:#04x})"
    return f"after: first byte {shown}, semaphore {s}, links left {nl}, programs left {np}"


def main():
    pid = int(sys.argv[1])
    try:
        print(watch(pid, int(sys.argv[2]), *sys.argv[3:6]), flush=True)
    except OSError as e:  # PID ended early: its output says why
        print(f"cleanup_watch: {e}", flush=True)
    finally:
        try:
            os.kill(pid, signal.SIGUSR1)
        except OSError:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
