# A target for uflow under Debian's /usr/bin/python3.11 (run with -I -S):
# sleeps 1 s (uflow attaches with -p), then a call left by an exception,
# a generator resumed three times (each resume an entry, each yield a
# return) and a coroutine run to its end, so entries and returns pair up.
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


time.sleep(1)
flow_catch()
for _ in flow_gen():
    pass
try:
    flow_co().send(None)
except StopIteration as stop:
    assert stop.value == 3
print("ok")
