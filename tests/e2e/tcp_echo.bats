#!/usr/bin/env bats
# The tcp-echo template end to end on spt, in a network namespace with a
# tap device (see stack_lib.bash): 10 MiB through nc compared byte for
# byte, 100 concurrent connections, connect/send/close churn with the heap
# watched through --debug-port, and the stack's answers to strays.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib


setup_file() {
    export ID=$$
    client_py >"$BATS_FILE_TMPDIR/client.py"
    head -c 10485760 /dev/urandom >"$BATS_FILE_TMPDIR/10m"
    stack_build tcp-echo te
}

setup() {
    cd "$BATS_FILE_TMPDIR/te" || return 1
    stack_setup te
    command -v nc >/dev/null || skip "no nc"
}

teardown() {
    stack_teardown
}

@test "tcp-echo: nc sends 10 MiB of random data and gets it back byte for byte" {
    start_uk dist/te.spt --ipv4=10.0.0.2/24
    start=$(date +%s.%N)
    timeout 60 ip netns exec "$NS" nc -N 10.0.0.2 7 <"$BATS_FILE_TMPDIR/10m" >echoed
    end=$(date +%s.%N)
    echo "10 MiB echoed in $(echo "$end - $start" | bc 2>/dev/null || echo '?') s"
    cmp "$BATS_FILE_TMPDIR/10m" echoed
}

@test "tcp-echo: 100 concurrent connections, 64 KiB each, all echoed intact" {
    start_uk dist/te.spt --ipv4=10.0.0.2/24
    run in_ns python3 "$BATS_FILE_TMPDIR/client.py" concurrent 100 65536
    echo "$output"
    assert_success
    assert_output "connections 100, echoed intact 100"
}

@test "tcp-echo: 2,000 connect/send/close cycles leave the heap where it was after 100" {
    start_uk dist/te.spt --ipv4=10.0.0.2/24 --debug-port=8
    run in_ns python3 "$BATS_FILE_TMPDIR/client.py" churn 2000
    echo "$output"
    assert_success
}

@test "tcp-echo: 100,000-cycle churn soak, heap flat (long: MIRLEFT_LONG=1)" {
    [ -n "${MIRLEFT_LONG:-}" ] || skip "long test: set MIRLEFT_LONG=1"
    # four source addresses and the whole port range: the client's own
    # TIME-WAIT entries would exhaust one address's ports
    for a in 11 12 13; do ip -n "$NS" addr add 10.0.0.$a/24 dev "$TAP"; done
    in_ns sysctl -qw net.ipv4.ip_local_port_range="1024 65535"
    start_uk dist/te.spt --ipv4=10.0.0.2/24 --debug-port=8
    run in_ns env CHURN_SOURCES=10.0.0.1,10.0.0.11,10.0.0.12,10.0.0.13 \
        python3 "$BATS_FILE_TMPDIR/client.py" churn 100000
    echo "$output"
    assert_success
}

@test "tcp-echo: a closed port answers RST; --port moves the service; ping works" {
    start_uk dist/te.spt --ipv4=10.0.0.2/24 --port=2000
    run in_ns python3 -c '
import socket
try:
    socket.create_connection(("10.0.0.2", 7), timeout=3); print("connected")
except ConnectionRefusedError:
    print("refused")
s = socket.create_connection(("10.0.0.2", 2000), timeout=3)
s.sendall(b"abc"); print(s.recv(10))
'
    assert_success
    assert_output "refused
b'abc'"
    run in_ns ping -c 2 -i 0.2 -W 2 10.0.0.2
    assert_success
}

@test "tcp-echo: a client that stops reading gets a closed window, then all its data" {
    start_uk dist/te.spt --ipv4=10.0.0.2/24
    run in_ns python3 -c '
import os, socket, time
s = socket.create_connection(("10.0.0.2", 7), timeout=10)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
data = os.urandom(4 << 20)
s.setblocking(False)
sent = 0
t = time.time()
while time.time() - t < 2:                 # write without reading
    try:
        sent += s.send(data[sent:sent + 65536])
    except BlockingIOError:
        time.sleep(0.05)
print("stalled after", "more" if sent < len(data) else "all")
s.setblocking(True)
got = bytearray()
while len(got) < sent:
    got += s.recv(65536)
    if sent < len(data):
        try:
            s.setblocking(False)
            sent += s.send(data[sent:sent + 65536])
        except BlockingIOError:
            pass
        s.setblocking(True)
s.shutdown(socket.SHUT_WR)
while True:
    d = s.recv(65536)
    if not d:
        break
    got += d
print("intact", bytes(got) == data[:sent], sent == len(data))
'
    echo "$output"
    assert_success
    assert_output --partial "stalled after more"
    assert_output --partial "intact True True"
}
