#!/bin/sh
# A TCP transfer on a lossy path, in a network namespace this script makes
# and removes: nftables drops a tenth of the packets to port 5555 on the
# namespace's loopback, so the sender retransmits. Sends 300 KB three times, in 1500-byte packets; prints
# "sent N" when the receiver has it all, then "dropped N" (nftables' count)
# and "retransmitted N" (the kernel's). Bounded: 15 s at most.
#   lossy_transfer.sh NAME
set -eu
ns="sonde-$1-$$"
cleanup() { ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up mtu 1500 gso_max_segs 1
ip netns exec "$ns" nft add table inet sonde
ip netns exec "$ns" nft add chain inet sonde out '{ type filter hook output priority 0; }'
ip netns exec "$ns" nft add rule inet sonde out tcp dport 5555 numgen random mod 10 == 0 counter drop
ip netns exec "$ns" timeout 15 python3 -c '
import socket, threading
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 5555)); srv.listen(4)
got = []
def recv():
    c, _ = srv.accept(); n = 0
    while True:
        b = c.recv(65536)
        if not b: break
        n += len(b)
    got.append(n)
for _ in range(3):  # three connections: each a fresh chance of loss
    t = threading.Thread(target=recv); t.start()
    s = socket.create_connection(("127.0.0.1", 5555)); s.sendall(b"x" * 300000); s.close(); t.join()
print("sent", sum(got), flush=True)
'
ip netns exec "$ns" nft list ruleset | sed -n 's/.*counter packets \([0-9]*\).*/dropped \1/p'
# the kernel's own count of retransmitted segments in the namespace (TCP MIB RetransSegs)
ip netns exec "$ns" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RetransSegs") c = i; h = 1 } else print "retransmitted", $c }' /proc/net/snmp
