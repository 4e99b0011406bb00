#!/usr/bin/env python3
"""A listener with backlog 1 that never accepts, and six connects to it.

The kernel queues two of them (a queue is full past its backlog) and turns
the others' SYNs away. Prints the listening port. Bounded in time.
"""
import socket
import time

time.sleep(0.3)
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
print(srv.getsockname()[1], flush=True)
clients = []
for _ in range(6):
    c = socket.socket()
    c.setblocking(False)
    c.connect_ex(srv.getsockname())
    clients.append(c)
time.sleep(0.5)
for c in clients:
    c.close()
srv.close()
