# A target for uflow under Debian's /usr/bin/python3.11 (run with -I -S):
# sleeps 1 s (uflow attaches with -p), then a call left by an exception,
# a generator resumed three times (each resume an entry, each yield a
# return), a coroutine run to its end, so entries and returns pair up,
# twice a function whose name is not ASCII, and a generator closed early
# (close() runs it without RESUME: a return with no entry) under a 30 ms call.
import time


def flow_boom():
    raise ValueError("expected")


def flow_catch():
    try:
        flow_boom()
    except ValueError:
        return 1


def flow_gen():
    yield 1
    yield 2


async def flow_co():
    return 3


def flow_größe():
    return 4


def flow_closer():
    it = flow_gen()
    next(it)
    it.close()
    time.sleep(0.03)


time.sleep(1)
flow_catch()
for _ in flow_gen():
    pass
try:
    flow_co().send(None)
except StopIteration as stop:
    assert stop.value == 3
assert flow_größe() + flow_größe() == 8
flow_closer()
print("ok")
