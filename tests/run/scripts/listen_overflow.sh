#!/bin/sh
# A listener whose accept queue overflows, in a network namespace this
# script makes and removes. The listener (port 5556, backlog 1) never
# accepts. One client (source port 40001) sends its SYN while nftables
# holds back its handshake's last ACK, so its request waits in SYN_RECV;
# two more clients then fill the accept queue; the rule goes, the server
# repeats its SYN-ACK (after a second), the held client answers, and the
# kernel drops that ACK: TCP_LISTEN_OVERFLOW. Prints the kernel's
# ListenOverflows count. Bounded: 15 s at most.
#   listen_overflow.sh NAME
set -eu
ns="sonde-$1-$$"
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" nft add table inet sonde
ip netns exec "$ns" nft add chain inet sonde in '{ type filter hook input priority 0; }'
ip netns exec "$ns" nft add rule inet sonde in tcp sport 40001 tcp dport 5556 tcp flags '& (syn|ack) == ack' drop
ip netns exec "$ns" timeout 15 python3 -c '
import socket, subprocess, time
srv = socket.socket(); srv.bind(("127.0.0.1", 5556)); srv.listen(1)
held = socket.socket(); held.bind(("127.0.0.1", 40001)); held.setblocking(False)
held.connect_ex(("127.0.0.1", 5556))
time.sleep(0.1)
others = [socket.create_connection(("127.0.0.1", 5556)) for _ in range(2)]
subprocess.run(["nft", "flush", "ruleset"], check=True)
time.sleep(2.5)  # the SYN-ACK is repeated after 1 s
for c in others + [held]: c.close()
srv.close()
'
ip netns exec "$ns" nstat -az TcpExtListenOverflows | awk '/ListenOverflows/ { print "overflows", $2 }'
