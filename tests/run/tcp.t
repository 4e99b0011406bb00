# TCP tools on sock:inet_sock_set_state, with a loopback connection
# build/targets/sysload makes (`tcp`: listen, connect, accept, close; it
# prints the listening port first).

### tcpstates_shows_both_ends_of_a_connection_through_every_state
--- flags
tcpstates -- build/targets/sysload tcp
--- check
(lambda port, rows: {("CLOSE", "LISTEN"), ("CLOSE", "SYN_SENT"), ("SYN_SENT", "ESTABLISHED"), ("LISTEN", "SYN_RECV"), ("SYN_RECV", "ESTABLISHED"), ("ESTABLISHED", "FIN_WAIT1"), ("ESTABLISHED", "CLOSE_WAIT"), ("LAST_ACK", "CLOSE"), ("LISTEN", "CLOSE")} <= {(r[6], r[7]) for r in rows} and all(r[3] == port or r[5] == port for r in rows if r[6] != "CLOSE" or r[7] != "SYN_SENT"))(re.search(r"^(\d+)$", out, re.M).group(1), re.findall(r"^([0-9a-f]{16}) (\d+) +sysload +(\S+) +(\d+) +(\S+) +(\d+) +(\w+) +-> (\w+) +\d+\.\d{3}$", out, re.M))

### tcplife_one_line_per_closed_session_with_its_ports
--- flags
tcplife -- build/targets/sysload tcp
--- check
(lambda port, rows: len(rows) == 2 and sorted(port in r for r in rows) == [True, True] and set(rows[0]) == set(rows[1]))(re.search(r"^(\d+)$", out, re.M).group(1), re.findall(r"^\d+ +sysload +127\.0\.0\.1 +(\d+) +127\.0\.0\.1 +(\d+) +0 +0 +[\d.]+$", out, re.M))

### tcplife_json_has_the_bytes
--- flags
tcplife --json -- build/targets/sysload tcp
--- check
(lambda l: len(l) == 2 and all(x["type"] == "tcp_session" and x["data"]["comm"] == "sysload" and x["data"]["laddr"] == "127.0.0.1" and x["data"]["tx_bytes"] >= 1 for x in l))([__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### tcp_tools_refuse_bad_ports_and_both_families
--- flags
tcplife -L 70000
--- stderr
ERROR: tcplife: -L and -D take ports 1 to 65535 separated by commas
--- rc
1

### tcpstates_refuses_both_families
--- flags
tcpstates -4 -6
--- stderr
ERROR: tcpstates: -4 and -6 exclude each other
--- rc
2

### tcpconnect_shows_the_connect_with_its_local_port
The local port is 0 when connect() enters SYN_SENT: the line waits for the
next change, which has it.
--- flags
tcpconnect -L -- build/targets/sysload tcp
--- check
(lambda port, rows: len(rows) == 1 and rows[0][2] == port and rows[0][1] != "0")(re.search(r"^(\d+)$", out, re.M).group(1), re.findall(r"^(\d+) +sysload +4  127\.0\.0\.1 +(\d+) +127\.0\.0\.1 +(\d+) +$", out, re.M))

### tcpconnect_counts_per_flow
--- flags
tcpconnect -c -- build/targets/sysload tcp
--- check
re.search(r"^LADDR +RADDR +RPORT +CONNECTS *\n127\.0\.0\.1 +127\.0\.0\.1 +\d+ +1 *$", out, re.M) is not None

### tcpconnlat_times_syn_sent_to_established
--- flags
tcpconnlat -- build/targets/sysload tcp
--- check
re.search(r"^\d+ +sysload +4  127\.0\.0\.1 +127\.0\.0\.1 +\d+ \d+\.\d\d$", out, re.M) is not None

### tcpretrans_sees_the_retransmits_of_a_lossy_transfer
tests/run/scripts/lossy_transfer.sh makes a network namespace whose
loopback drops a tenth of the packets to port 5555 (nftables), sends 300 KB
three times through it, prints the kernel's own RetransSegs count and
removes the namespace. Most of those drops are local send failures TCP
retries at once; a few become retransmits, and when the kernel counts any
sonde must show some (not as many: RetransSegs counts segments, and one
retransmitted skb may carry several; the tracepoint also fires for a
retransmit that fails), from either end (the server repeats its FIN too).
Retransmits run in softirq: the command only bounds the run.
--- flags
tcpretrans -- tests/run/scripts/lossy_transfer.sh retrans
--- check
(lambda n, lines, o: "sent 900000\n" in o and (n == 0 or len(lines) >= 1) and all(re.fullmatch(r"\d\d:\d\d:\d\d \d+ +4  127\.0\.0\.1:\d+ +R> 127\.0\.0\.1:\d+ +[A-Z_0-9]+", x) for x in lines))(int(re.search(r"^retransmitted (\d+)$", out, re.M).group(1)), [x for x in out.splitlines() if ":5555" in x], out)

### tcpretrans_counts_per_flow
--- flags
tcpretrans -c -- tests/run/scripts/lossy_transfer.sh retransc
--- check
(lambda n, counts: (n == 0 or sum(counts) >= 1) and len(counts) <= 3)(int(re.search(r"^retransmitted (\d+)$", out, re.M).group(1)), [int(c) for c in re.findall(r"^\[127\.0\.0\.1\]#\d+ +<-> \[127\.0\.0\.1\]#5555 +(\d+)$", out, re.M)]) and re.search(r"^LADDR:LPORT +RADDR:RPORT +RETRANSMITS$", out, re.M) is not None

### tcpretrans_says_why_there_are_no_tail_loss_probes
--- flags
tcpretrans -l
--- stderr
ERROR: tcpretrans: -l: tail loss probes have no tracepoint; they need kprobes or fentry on tcp_send_loss_probe, which this kernel does not offer to BPF
--- rc
1

### tcprtt_histograms_the_smoothed_rtt_of_a_transfer
The lossy transfer's client receives acknowledgements from port 5555
(-P): each one is a tcp_probe with the socket's srtt; on a loopback every
one is far below 65 ms.
--- flags
tcprtt -e -P 5555 -- tests/run/scripts/lossy_transfer.sh rtt
--- check
(lambda rows, o: re.search(r"^All Addresses = \*{7} \[AVG \d+\]\n     usecs               : count     distribution$", o, re.M) is not None and sum(c for lo, c in rows) > 0 and all(c == 0 for lo, c in rows if lo >= 65536))([(int(a), int(b)) for a, b in re.findall(r"^ +(\d+) -> \d+ +: (\d+) +\|", out, re.M)], out)

### tcprtt_sections_per_local_address
-b gives a histogram per local address (here the namespace's 127.0.0.1),
with -e its average in the title.
--- flags
tcprtt -b -e -P 5555 -- tests/run/scripts/lossy_transfer.sh rttb
--- check
(lambda rows, o: re.search(r"^Local Address = 127\.0\.0\.1 \[AVG \d+\]\n     usecs               : count     distribution$", o, re.M) is not None and "All Addresses" not in o and sum(c for lo, c in rows) > 0)([(int(a), int(b)) for a, b in re.findall(r"^ +(\d+) -> \d+ +: (\d+) +\|", out, re.M)], out)

### tcprtt_address_filters_keep_only_that_address
-A 127.0.0.2 matches no segment of the transfer (its peer is 127.0.0.1):
no histogram; -A 127.0.0.1 -B has one section, for the remote 127.0.0.1.
--- flags
tcprtt -A 127.0.0.2 -P 5555 -- tests/run/scripts/lossy_transfer.sh rtta
--- check
"sent 900000" in out and "usecs" not in out

### tcprtt_remote_address_filter_and_sections
--- flags
tcprtt -A 127.0.0.1 -B --json -P 5555 -- tests/run/scripts/lossy_transfer.sh rttB
--- check
(lambda l: len(l) == 1 and [x["raddr"] for x in l[0]["data"]["by_raddr"]] == ["127.0.0.1"] and l[0]["data"]["by_raddr"][0]["count"] > 0)([__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### tcprtt_refuses_what_is_not_an_address
--- flags
tcprtt -a 127.0.0.1 -A 300.1.1.1
--- stderr
ERROR: tcprtt: -A takes an IPv4 or IPv6 address, got '300.1.1.1'
--- rc
1

### tcprtt_refuses_both_section_kinds
--- flags
tcprtt -b -B
--- stderr
ERROR: tcprtt: -b and -B exclude each other
--- rc
2

### tcpaccept_names_the_accepting_process_and_the_listening_port
The accepted socket is read behind the fd accept() returns, in the
acceptor's own context: the process is sysload, the local port is the one it
listens on.
--- flags
tcpaccept -t -- build/targets/sysload tcp
--- check
(lambda port, rows: len(rows) == 1 and rows[0][2] == port and rows[0][1] != port)(re.search(r"^(\d+)$", out, re.M).group(1), re.findall(r"^\d+\.\d{3} +(\d+) +sysload +4  127\.0\.0\.1 +(\d+) +127\.0\.0\.1 +(\d+)$", out, re.M)) and re.search(r"^TIME\(s\) +PID +COMM +IP RADDR +RPORT LADDR +LPORT$", out, re.M) is not None

### tcpaccept_json_and_the_family_filter
-6 leaves sysload's IPv4 accept out; --json has the ports.
--- flags
tcpaccept --json -- build/targets/sysload tcp
--- check
(lambda port, l: len(l) == 1 and l[0]["type"] == "tcp_accept" and str(l[0]["data"]["lport"]) == port and l[0]["data"]["comm"] == "sysload" and l[0]["data"]["raddr"] == "127.0.0.1")(re.search(r"^(\d+)$", out, re.M).group(1), [__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### tcpaccept_ipv6_only_leaves_an_ipv4_accept_out
--- flags
tcpaccept -6 -- build/targets/sysload tcp
--- check
re.search(r"sysload", out) is None and re.search(r"^PID +COMM", out, re.M) is not None

### tcpaccept_port_filter_refuses_a_bad_list
--- flags
tcpaccept -P 80,x
--- stderr
ERROR: tcpaccept: -P takes ports 1 to 65535 separated by commas
--- rc
1

### tcptracer_sees_connect_accept_and_both_closes
C and the client's X are on the connecting socket (local port ≠ the
listening one), A and the server's X on the accepted one.
--- flags
tcptracer -- build/targets/sysload tcp
--- check
(lambda port, rows: sorted(t for t, sp, dp in rows) == ["A", "C", "X", "X"] and all((sp == port) == (t == "A" or (t == "X" and dp != port)) for t, sp, dp in rows) and {dp for t, sp, dp in rows if t == "C"} == {port})(re.search(r"^(\d+)$", out, re.M).group(1), re.findall(r"^([CAX])  \d+ +sysload +4  127\.0\.0\.1 +127\.0\.0\.1 +(\d+) +(\d+) +$", out, re.M)) and out.startswith("Tracing TCP established connections. Ctrl-C to end.\nT  PID")

### tcptracer_verbose_names_the_types_and_the_network_namespace
--- flags
tcptracer -v -- build/targets/sysload tcp
--- check
(lambda ns, rows: sorted(t for t, n in rows) == ["accept", "close", "close", "connect"] and {n for t, n in rows} == {ns})(__import__("os").readlink("/proc/self/ns/net")[5:-1], re.findall(r"^(connect|accept|close) +\d+ +sysload +4  127\.0\.0\.1 +127\.0\.0\.1 +\d+ +\d+ +(\d+) *$", out, re.M))

### tcptracer_netns_filter_leaves_other_namespaces_out
--- flags
tcptracer -N 1 -- build/targets/sysload tcp
--- check
"sysload" not in out.split("SPORT", 1)[1]

### tcpbottleneck_calls_a_slow_reader_with_a_small_buffer_receiver
tests/run/scripts/bottleneck_transfer.sh sends 300 KB between two network
namespaces of its own to a reader with a 4 KiB receive buffer that reads
4 KiB a millisecond, and prints the sender's socket as ss -ti sees it just
before the close. The kernel's own figures must agree with sonde's: busy
and rwnd_limited in ms (whole ticks; the FIN sent after ss is busy time
until it is acknowledged: up to four ticks more under load).
--- flags
tcpbottleneck --json --min-bytes 1000 -P 5555 -- tests/run/scripts/bottleneck_transfer.sh slow
--- check
(lambda ss, l: len(l) == 1 and l[0]["verdict"] == "receiver" and l[0]["tx_bytes"] == 300000 and l[0]["rport"] == 5555 and l[0]["comm"] == "python3" and 0 <= l[0]["busy_ms"] - int(ss.group(1)) <= 16 and abs(l[0]["rwnd_limited_ms"] - int(ss.group(2))) <= 4)(re.search(r"busy:(\d+)ms rwnd_limited:(\d+)ms", out), [__import__("json").loads(x)["data"] for x in out.splitlines() if x.startswith("{")])

### tcpbottleneck_calls_a_lossy_path_network
nftables drops one packet in 20 at the receiver's input, on a link tbf
limits to 200 Mbit/s: the kernel retransmits (ss says how many), the
window is never the limit.
--- flags
tcpbottleneck --json --min-bytes 1000 -P 5555 -- tests/run/scripts/bottleneck_transfer.sh lossy
--- check
(lambda ss, l: len(l) == 1 and l[0]["verdict"] == "network" and int(ss.group(1)) > 0 and l[0]["retransmits"] > 0 and l[0]["rwnd_limited_pct"] < 20 and l[0]["tx_bytes"] == 8000000)(re.search(r"retrans:\d+/(\d+)", out), [__import__("json").loads(x)["data"] for x in out.splitlines() if x.startswith("{")])

### tcpbottleneck_calls_a_free_loopback_transfer_neither_receiver_nor_network
300 MB over a namespace's loopback, the data made before the connection
and read into one buffer: nothing holds it back.
--- flags
tcpbottleneck --json --min-bytes 1000 -P 5555 -- tests/run/scripts/bottleneck_transfer.sh free
--- check
(lambda l: len(l) == 1 and l[0]["verdict"] not in ("receiver", "network") and l[0]["tx_bytes"] == 300000000)([__import__("json").loads(x)["data"] for x in out.splitlines() if x.startswith("{")])

### tcpbottleneck_prints_the_live_transfer_every_interval
A slow reader's 4 MB last over a second: -i 1 prints it live (figures
over the interval) before the line at its close.
--- flags
tcpbottleneck -i 1 --min-bytes 1000 -P 5555 -- tests/run/scripts/bottleneck_transfer.sh slow 4000000
--- check
(lambda rows: len(rows) >= 2 and rows[0][0] == "live" and rows[-1][0] == "closed" and all(r[1] == "receiver" for r in rows))(re.findall(r"^(live|closed) +\d+ +python3 +10\.201\.0\.1:\d+ +10\.201\.0\.2:5555 .* (\S+) +(?:the peer's window.*)$", out, re.M)) and re.search(r"^STATE +PID +COMM +LADDR:LPORT +RADDR:RPORT +TX_KB +RX_KB +MS +MB/s +SRTT_us +CWND +SSTHRESH +RWND_KB +RETR +BUSY% +RWND% +SNDBUF% +VERDICT +REASON$", out, re.M) is not None

### tcpbottleneck_refuses_bad_flags
--- flags
tcpbottleneck --min-bytes lots
--- stderr
ERROR: tcpbottleneck: --min-bytes needs a number of bytes, got 'lots'
--- rc
2

### tcplife_and_the_others_see_ipv6_too
sysload tcp6 makes the same connection on ::1: tcplife -w prints both
sessions with the IPv6 addresses; -4 would leave them out.
--- flags
tcplife -w -6 -- build/targets/sysload tcp6
--- check
(lambda port, rows: len(rows) == 2 and sorted(port in r for r in rows) == [True, True])(re.search(r"^(\d+)$", out, re.M).group(1), re.findall(r"^\d+ +sysload +6  ::1 +(\d+) +::1 +(\d+) +0 +0 +[\d.]+$", out, re.M))

### tcptracer_brackets_ipv6_addresses
--- flags
tcptracer -- build/targets/sysload tcp6
--- check
sorted(re.findall(r"^([CAX])  \d+ +sysload +6  \[::1\] +\[::1\] +\d+ +\d+ +$", out, re.M)) == ["A", "C", "X", "X"]

### tcpaccept_ipv6
--- flags
tcpaccept -6 -- build/targets/sysload tcp6
--- check
(lambda port, o: re.search(r"^\d+ +sysload +6  ::1 +\d+ +::1 +" + port + "$", o, re.M) is not None)(re.search(r"^(\d+)$", out, re.M).group(1), out)

### tcpstates_ipv4_only_leaves_ipv6_out
--- flags
tcpstates -4 -- build/targets/sysload tcp6
--- check
"sysload" not in out.split("NEWSTATE", 1)[1]

### tcpstates_journal_gets_an_entry_per_change
-Y sends each change to the systemd journal with BCC's fields. The test
gives sonde a journal socket of its own (tests/run/scripts/fake_journal.sh:
a mount namespace whose /run/systemd/journal is a tmpfs) and reads the
entries back: one per line, with the same process, ports and states.
--- setup
tests/run/scripts/fake_journal.sh {TMP}/journal {SONDE} tcpstates -Y -- build/targets/sysload tcp > {TMP}/out
--- flags
-q -e 'BEGIN { exit(); }'
--- check
(lambda rows, entries: len(rows) >= 9 and [(e["OBJECT_PID"], e["OBJECT_TCP_SOURCE_PORT"], e["OBJECT_TCP_DESTINATION_PORT"], e["OBJECT_TCP_OLD_STATE"], e["OBJECT_TCP_NEW_STATE"]) for e in entries] == rows and all(e["SYSLOG_IDENTIFIER"] == "tcpstates" and e["PRIORITY"] == "5" and "OBJECT_IPV4_SOURCE_ADDRESS" in e for e in entries))(re.findall(r"^[0-9a-f]{16} (\d+) +\S+ +127\.0\.0\.1 +(\d+) +\S+ +(\d+) +(\w+) +-> (\w+)", open("{TMP}/out").read(), re.M), [dict(l.split("=", 1) for l in e.splitlines() if "=" in l) for e in open("{TMP}/journal").read().split("\n\n") if "MESSAGE=" in e])

### tcpstates_journal_missing_is_an_error
libsystemd drops entries silently when no journal listens: -Y without one
is refused before tracing (a mount namespace hides the machine's /run).
--- setup
unshare -m --propagation private sh -c 'mount -t tmpfs none /run && {SONDE} tcpstates -Y -- build/targets/sysload tcp > {TMP}/out 2> {TMP}/err; echo $? > {TMP}/rc'
--- flags
-q -e 'BEGIN { exit(); }'
--- check
open("{TMP}/rc").read() == "1\n" and open("{TMP}/err").read() == "ERROR: tcpstates: -Y: no systemd journal to write to (/run/systemd/journal/socket: No such file or directory)\n" and open("{TMP}/out").read() == ""

### tcpretrans_sequence_numbers_lie_within_the_transfer
-s reads the sequence number from the skb's control block (struct
tcp_skb_cb over skb->cb: an array member cast to a pointer). The lossy
link's 3 MB transfer retransmits; every SEQ of the flow lies within the
bytes it sent (SYN and FIN included).
--- flags
tcpretrans -s -- tests/run/scripts/bottleneck_transfer.sh lossy 3000000
--- check
(lambda seqs: len(seqs) >= 1 and (max(seqs) - min(seqs)) % (1 << 32) <= 3000002)([int(x) for x in re.findall(r"^\d\d:\d\d:\d\d \d+ +4  10\.201\.0\.1:\d+ +R> 10\.201\.0\.2:5555 +[A-Z_0-9]+ +(\d+) *$", out, re.M)]) and re.search(r"^TIME +PID +IP LADDR:LPORT +T> RADDR:RPORT +STATE +SEQ *$", out, re.M) is not None

### tcpdrop_names_the_reason_of_a_refused_connect
A SYN to a port nobody listens on is dropped with NO_SOCKET (the reason's
name from the kernel's enum skb_drop_reason in BTF); no socket, so no
state; the kernel stack ends in the connect() system call.
--- flags
tcpdrop -- tests/run/scripts/refused_connect.py
--- check
(lambda port, o: (lambda m: m is not None and "\ttcp_v4_rcv+0x" in m.group(1) and "\t__sys_connect+0x" in m.group(1))(re.search(r"^\d\d:\d\d:\d\d \d+ +python3 +4  127\.0\.0\.1:\d+ +> 127\.0\.0\.1:" + port + r" +- +\(SYN\) +NO_SOCKET\n((?:\t.*\n)+)", o, re.M)))(re.search(r"^(\d+)$", out, re.M).group(1), out) and "Connection refused" in out

### tcpdrop_sees_an_accept_queue_overflow
tests/run/scripts/listen_overflow.sh holds one client's last handshake ACK
(nftables) until two others fill a backlog-1 listener's accept queue: the
kernel drops that ACK when it comes (TCP_LISTEN_OVERFLOW) and counts it.
--- flags
tcpdrop -S --json -P 5556 -- tests/run/scripts/listen_overflow.sh ovf
--- check
(lambda l: any(x["reason"] == "TCP_LISTEN_OVERFLOW" and x["sport"] == 40001 and x["dport"] == 5556 and x["state"] == "LISTEN" and x["kstack"] == [] for x in l))([__import__("json").loads(x)["data"] for x in out.splitlines() if x.startswith("{")]) and int(re.search(r"^overflows (\d+)$", out, re.M).group(1)) >= 1

### tcptop_shows_both_ends_of_a_transfer_within_five_percent
tests/run/scripts/loopback_transfer.py sends 3 MB over loopback within one
process: its sending socket shows them as TX_KB, its receiving one as RX_KB
(from sock:sock_send_length and sock_recv_length; summed over the screens).
--- flags
tcptop -C -S -- tests/run/scripts/loopback_transfer.py 3000000
--- check
(lambda rows: abs(sum(int(tx) for rx, tx in rows) - 2929) <= 147 and abs(sum(int(rx) for rx, tx in rows) - 2929) <= 147)(re.findall(r"^\d+ +python3 +127\.0\.0\.1:\d+ +127\.0\.0\.1:\d+ +(\d+) +(\d+)$", out, re.M)) and re.search(r"^PID +COMM +LADDR +RADDR +RX_KB +TX_KB$", out, re.M) is not None and "received 3000000" in out

### tcptop_json_and_the_loadavg_line
--- flags
tcptop -C -- tests/run/scripts/loopback_transfer.py 1000000
--- check
re.search(r"^\d\d:\d\d:\d\d loadavg: [\d.]+ [\d.]+ [\d.]+ \d+/\d+ \d+$", out, re.M) is not None

### tcpsubnet_sums_the_bytes_sent_per_subnet
The 3 MB go to 127.0.0.1: all of them in 127.0.0.0/8, the first subnet
that holds it, none in 0.0.0.0/0.
--- flags
tcpsubnet -f B 127.0.0.0/8,0.0.0.0/0 -- tests/run/scripts/loopback_transfer.py 3000000
--- check
abs(sum(int(x) for x in re.findall(r"^127\.0\.0\.0/8 +(\d+)$", out, re.M)) - 3000000) <= 150000 and "0.0.0.0/0" not in out and re.search(r"^\[\d\d/\d\d/\d\d \d\d:\d\d:\d\d\]$", out, re.M) is not None

### tcpsubnet_refuses_a_bad_cidr
--- flags
tcpsubnet 10.0.0.0/8,192.168.1.0/33
--- stderr
ERROR: tcpsubnet: '192.168.1.0/33' is not an IPv4 subnet (ADDRESS/BITS, e.g. 10.0.0.0/8)
--- rc
2

### tcpsynbl_histograms_a_full_backlog
A listener with backlog 1 that never accepts, and six connects: two are
queued (the queue holds one more than its backlog), at lengths 1 and 2.
(Under load the listener was once woken a third time at length 1 or 0.)
--- flags
tcpsynbl -- tests/run/scripts/full_backlog.py
--- check
re.search(r"^backlog_max = 1\n     backlog             : count     distribution\n         0 -> 1          : [12] +\|\*+ *\|\n         2 -> 3          : 1 +\|\*+ *\|$", out, re.M) is not None

### tcpsynbl_counts_the_handshakes_dropped_for_a_full_queue
--- flags
tcpsynbl --json -- tests/run/scripts/listen_overflow.sh synbl
--- check
(lambda l: len(l) == 1 and any(x["backlog_max"] == 1 and x["listen_overflow_drops"] >= 1 for x in l[0]["data"]["listeners"]))([__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### tcpcong_a_free_loopback_transfer_stays_open
Both ends of the transfer, all their time in open. (Once in some twenty
runs one of the two rows was missing: not understood yet, see the notes of
issue 20.)
--- flags
tcpcong -- tests/run/scripts/loopback_transfer.py 3000000
--- check
(lambda rows: 1 <= len(rows) <= 2 and all(int(o) > 0 and int(d) + int(r) + int(c) + int(l) == 0 for o, d, r, c, l in rows))(re.findall(r"^127\.0\.0\.1/\d+ +127\.0\.0\.1/\d+ +(\d+) +(\d+) +(\d+) +(\d+) +(\d+) +0 *$", out, re.M)) and re.search(r"^LAddrPort +RAddrPort +Open_ms +Dod_ms +Rcov_ms +Cwr_ms +Loss_ms +Chgs *$", out, re.M) is not None

### tcpcong_an_overflowing_queue_shows_recovery_or_loss
tests/run/scripts/bottleneck_transfer.sh queue: tbf at 50 Mbit/s with a
20 KB queue between two namespaces; its tail drops put the sender in
recovery or loss.
--- flags
tcpcong --json -u -R 5555 -- tests/run/scripts/bottleneck_transfer.sh queue
--- check
(lambda l: len(l) == 1 and len(l[0]["data"]["connections"]) == 1 and (lambda c: c["recovery"] + c["loss"] > 0 and c["changes"] > 0 and c["open"] > 0)(l[0]["data"]["connections"][0]))([__import__("json").loads(x) for x in out.splitlines() if x.startswith("{")])

### tcpcong_dist_has_a_histogram_per_state
--- flags
tcpcong -d -R 5555 -- tests/run/scripts/bottleneck_transfer.sh queue
--- check
re.search(r"^tcp_congest_state = open\n     msecs               : count     distribution$", out, re.M) is not None and re.search(r"^tcp_congest_state = (recovery|loss)$", out, re.M) is not None

### tcp_tools_export_their_figures_as_metrics
tcptop's bytes per connection, tcpsubnet's per subnet and tcprtt's srtt
histogram, scraped while the transfer's process lingers.
--- setup
{SONDE} tcptop -C --metrics {PORT} -- tests/run/scripts/loopback_transfer.py 3000000 2 > /dev/null 2>&1 & t=$!; sleep 1.6; curl -s 127.0.0.1:{PORT}/metrics > {TMP}/top; wait $t
{SONDE} tcpsubnet --metrics {PORT} 127.0.0.0/8 -- tests/run/scripts/loopback_transfer.py 3000000 2 > /dev/null 2>&1 & t=$!; sleep 1.6; curl -s 127.0.0.1:{PORT}/metrics > {TMP}/subnet; wait $t
{SONDE} tcprtt -b --metrics {PORT} -- tests/run/scripts/loopback_transfer.py 3000000 2 > /dev/null 2>&1 & t=$!; sleep 1.6; curl -s 127.0.0.1:{PORT}/metrics > {TMP}/rtt; wait $t
--- flags
-q -e 'BEGIN { exit(); }'
--- check
re.search(r'^sonde_tcptop_sent_bytes_total\{pid="\d+",comm="python3",family="2",lport="\d+",rport="\d+",laddr="127\.0\.0\.1",raddr="127\.0\.0\.1"\} 3000000$', open("{TMP}/top").read(), re.M) is not None and re.search(r'^sonde_tcpsubnet_sent_bytes_total\{subnet="127\.0\.0\.0/8"\} 3000000$', open("{TMP}/subnet").read(), re.M) is not None and re.search(r'^sonde_tcprtt_seconds_count\{laddr="127\.0\.0\.1"\} [1-9]\d*$', open("{TMP}/rtt").read(), re.M) is not None
