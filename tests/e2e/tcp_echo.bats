#!/usr/bin/env bats
# The tcp-echo template end to end on spt, in a network namespace with a
# tap device (see stack_lib.bash): 10 MiB through nc compared byte for
# byte, 100 concurrent connections, connect/send/close churn with the heap
# watched through --debug-port, and the stack's answers to strays.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

client_py() {
    cat <<'PY'
# usage: client.py concurrent N SIZE | churn N | stats
import os, selectors, socket, sys, time
ADDR = ('10.0.0.2', 7)

def stats():
    s = socket.create_connection(('10.0.0.2', 8), timeout=5)
    line = b''
    while not line.endswith(b'\n'):
        d = s.recv(200)
        if not d:
            break
        line += d
    s.close()
    f = line.split()
    return dict(zip(f[::2], (int(x) for x in f[1::2])))

def concurrent(n, size):
    sel = selectors.DefaultSelector()
    conns = []
    for i in range(n):
        s = socket.create_connection(ADDR, timeout=10)
        s.setblocking(False)
        data = os.urandom(size)
        c = {'s': s, 'out': data, 'sent': 0, 'got': bytearray(), 'want': data}
        conns.append(c)
        sel.register(s, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
    done = 0
    end = time.time() + 60
    while done < n and time.time() < end:
        for key, ev in sel.select(timeout=1):
            c = key.data
            s = c['s']
            if ev & selectors.EVENT_WRITE:
                if c['sent'] < len(c['out']):
                    try:
                        c['sent'] += s.send(c['out'][c['sent']:c['sent'] + 65536])
                    except BlockingIOError:
                        pass
                if c['sent'] == len(c['out']):
                    s.shutdown(socket.SHUT_WR)
                    sel.modify(s, selectors.EVENT_READ, c)
            if ev & selectors.EVENT_READ:
                try:
                    d = s.recv(65536)
                except BlockingIOError:
                    continue
                if d:
                    c['got'] += d
                else:
                    sel.unregister(s)
                    s.close()
                    done += 1
    ok = sum(1 for c in conns if bytes(c['got']) == c['want'])
    print('connections %d, echoed intact %d' % (n, ok))
    return ok == n

SOURCES = [a for a in os.environ.get('CHURN_SOURCES', '10.0.0.1').split(',')]

def churn(n):
    first = None
    t0 = time.time()
    for i in range(n):
        s = socket.create_connection(ADDR, timeout=5,
                                     source_address=(SOURCES[i % len(SOURCES)], 0))
        msg = b'cycle %d ' % i * 8
        s.sendall(msg)
        s.shutdown(socket.SHUT_WR)
        got = b''
        while True:
            d = s.recv(4096)
            if not d:
                break
            got += d
        s.close()
        if got != msg:
            print('cycle %d: wrong echo' % i)
            return False
        if i == min(999, n // 20):
            time.sleep(0.2)
            first = stats()
    time.sleep(0.3)
    last = stats()
    dt = time.time() - t0
    print('cycles %d in %.1f s; heap after the first: %d, at the end: %d; conns %d' %
          (n, dt, first[b'heap_in_use'], last[b'heap_in_use'], last[b'conns']))
    return last[b'heap_in_use'] == first[b'heap_in_use'] and last[b'conns'] == 1

mode = sys.argv[1]
if mode == 'concurrent':
    ok = concurrent(int(sys.argv[2]), int(sys.argv[3]))
elif mode == 'churn':
    ok = churn(int(sys.argv[2]))
else:
    print(stats())
    ok = True
sys.exit(0 if ok else 1)
PY
}

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
