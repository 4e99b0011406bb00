#!/bin/sh
# One TCP transfer between two network namespaces this script makes and
# removes (a veth pair: 10.201.0.1 sends to 10.201.0.2, port 5555), shaped
# by MODE:
#   slow   the receiver's buffer is 4 KiB and it reads 4 KiB a millisecond
#   lossy  nftables drops one packet in 20 at the receiver's input (real
#          loss), on a link that tbf limits to 200 Mbit/s (so it lasts)
#   free   nothing in the way: both ends in one namespace, over its loopback
#   queue  no rule, but tbf at 50 Mbit/s with a 20 KB queue: it overflows
# The receiver answers one byte once it has everything; the sender then
# prints its socket as `ss -tiH` sees it ("ss: ..."), before it closes.
# Prints "got N" (bytes received). Bounded: 20 s at most.
#   bottleneck_transfer.sh MODE [BYTES]
set -eu
mode=$1
snd="sonde-bn-s-$$"
rcv="sonde-bn-r-$$"
cleanup() { ip netns del "$snd" 2>/dev/null || true; ip netns del "$rcv" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
ip netns add "$snd"
ip netns add "$rcv"
ip link add veth-s netns "$snd" type veth peer name veth-r netns "$rcv"
ip -n "$snd" addr add 10.201.0.1/24 dev veth-s
ip -n "$rcv" addr add 10.201.0.2/24 dev veth-r
ip -n "$snd" link set veth-s up
ip -n "$rcv" link set veth-r up
ip -n "$snd" link set lo up
ip -n "$rcv" link set lo up
if [ "$mode" = lossy ]; then
	ip netns exec "$rcv" nft add table inet sonde
	ip netns exec "$rcv" nft add chain inet sonde in '{ type filter hook input priority 0; }'
	ip netns exec "$rcv" nft add rule inet sonde in tcp dport 5555 numgen random mod 20 == 0 counter drop
	ip netns exec "$snd" tc qdisc add dev veth-s root tbf rate 200mbit burst 64kb latency 50ms
fi
if [ "$mode" = queue ]; then
	ip netns exec "$snd" tc qdisc add dev veth-s root tbf rate 50mbit burst 16kb limit 20kb
fi
# free: the sender shares the receiver's namespace and reaches it over loopback
sender_ns=$snd
[ "$mode" = free ] && sender_ns=$rcv
case $mode in
slow) size=300000 ;;
lossy) size=8000000 ;;
queue) size=3000000 ;;
*) size=300000000 ;;
esac
size=${2:-$size}
ip netns exec "$rcv" timeout 20 python3 -c '
import socket, sys, time
mode, size = sys.argv[1], int(sys.argv[2])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
if mode == "slow": srv.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
srv.bind(("10.201.0.2", 5555)); srv.listen(1)
print("listening", flush=True)
c, _ = srv.accept(); n = 0
buf = memoryview(bytearray(4096 if mode == "slow" else 1 << 20))
while n < size:
    got = c.recv_into(buf)  # into one buffer: the reader is not slowed by allocations
    if not got: break
    n += got
    if mode == "slow": time.sleep(0.001)
c.sendall(b"k"); c.recv(1)
print("got", n, flush=True)
' "$mode" "$size" > "/tmp/sonde-bn-$$" &
receiver=$!
for _ in $(seq 100); do grep -q listening "/tmp/sonde-bn-$$" 2>/dev/null && break; sleep 0.05; done
ip netns exec "$sender_ns" timeout 20 python3 -c '
import socket, subprocess, sys
size = int(sys.argv[1])
data = b"x" * size  # made before the connection: it lives to send, not to wait for its data
s = socket.create_connection(("10.201.0.2", 5555))
s.sendall(data)
s.recv(1)
port = s.getsockname()[1]
print("ss:", subprocess.run(["ss", "-tiH", "state", "established", "sport", "= :%d" % port], capture_output=True, text=True).stdout.replace("\n", " "), flush=True)
s.close()
' "$size"
wait "$receiver"
grep got "/tmp/sonde-bn-$$"
rm -f "/tmp/sonde-bn-$$"
