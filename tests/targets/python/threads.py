# A target for ucalls under Debian's /usr/bin/python3.11 (run with -I -S):
# sleeps 1 s (the tool attaches with -p), then 4 threads each call
# sonde_tcall() 500 times and sonde_tnap() (a 20 ms nap) once, at the same
# time; each thread keeps its own depth of calls. Prints "ok" when every
# thread computed its sum.
import threading
import time


def sonde_tcall(n):
    return n + 1


def sonde_tnap():
    time.sleep(0.02)


def work(results, k):
    total = 0
    for i in range(500):
        total += sonde_tcall(i)
    sonde_tnap()
    results[k] = total


time.sleep(1)
results = [0] * 4
threads = [threading.Thread(target=work, args=(results, k)) for k in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("ok" if results == [500 * 501 // 2] * 4 else f"wrong {results}")
