# Stack shapes for python_stacks.t, each burning CPU for SECONDS and checking
# its own results (a wrong one prints WRONG and exits 1), then pausing so
# sonde can read the code objects: shapes.py MODE SECONDS
# MODE: recursion, generator, async, json (a default= callback under the C
# encoder), threads (alpha and beta, each in its own thread), many (40
# threads in alpha)
import asyncio
import json
import sys
import threading
import time

SECONDS = float(sys.argv[2])
deadline = time.time() + SECONDS


def spin(n):
    t = 0
    for i in range(n):
        t += i
    if t != n * (n - 1) // 2:
        print("WRONG")
        sys.exit(1)
    return t


def rec(depth):
    if depth == 0:
        return spin(5000)
    return rec(depth - 1)


def producer():
    while time.time() < deadline:
        yield spin(5000)


def consume():
    return sum(1 for _ in producer())


async def inner():
    spin(5000)
    await asyncio.sleep(0)


async def worker():
    while time.time() < deadline:
        await inner()


class Thing:
    pass


def burn_default(o):
    spin(5000)
    return "thing"


def dump_it():
    while time.time() < deadline:
        if json.dumps([Thing(), 1], default=burn_default) != '["thing", 1]':
            print("WRONG")
            sys.exit(1)


def alpha():
    while time.time() < deadline:
        spin(5000)


def beta():
    while time.time() < deadline:
        spin(5000)


mode = sys.argv[1]
print("pid", threading.get_native_id(), flush=True)
if mode == "recursion":
    while time.time() < deadline:
        rec(30)
elif mode == "generator":
    consume()
elif mode == "async":
    asyncio.run(worker())
elif mode == "json":
    dump_it()
elif mode == "threads":
    ts = [threading.Thread(target=alpha, name="alpha"), threading.Thread(target=beta, name="beta")]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
elif mode == "many":
    go = threading.Event()
    ts = [threading.Thread(target=lambda: go.wait() and alpha()) for _ in range(40)]
    for t in ts:
        t.start()
    go.set()
    for t in ts:
        t.join()
print("ok", flush=True)
time.sleep(0.5)
