#!/usr/bin/env python3
"""One loopback TCP transfer of BYTES (default 3 MB) inside this process.

A thread reads everything; the sender closes when all is sent. Prints
"sent N" and "received N", then lives LINGER seconds more (default 0: a
scrape can read the tool's metrics meanwhile). Bounded in time.
  loopback_transfer.py [BYTES [LINGER]]
"""
import socket
import sys
import threading
import time

size = int(sys.argv[1]) if len(sys.argv) > 1 else 3000000
time.sleep(0.3)
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
got = []


def receive():
    conn, _ = srv.accept()
    conn.settimeout(10)
    n = 0
    while True:
        b = conn.recv(1 << 16)
        if not b:
            break
        n += len(b)
    got.append(n)
    conn.close()


t = threading.Thread(target=receive)
t.start()
c = socket.create_connection(srv.getsockname())
c.sendall(b"x" * size)
c.close()
t.join(15)
print("sent", size)
print("received", got[0] if got else 0, flush=True)
time.sleep(min(float(sys.argv[2]), 10) if len(sys.argv) > 2 else 0)
