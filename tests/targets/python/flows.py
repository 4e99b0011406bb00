# A target for uflow under Debian's /usr/bin/python3.11 (run with -I -S):
# sleeps 1 s (uflow attaches with -p), then a call left by an exception,
# a generator resumed three times (each resume an entry, each yield a
# return), a coroutine run to its end, so entries and returns pair up, and
# twice a function whose name is not ASCII.
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


time.sleep(1)
flow_catch()
for _ in flow_gen():
    pass
try:
    flow_co().send(None)
except StopIteration as stop:
    assert stop.value == 3
assert flow_größe() + flow_größe() == 8
print("ok")
