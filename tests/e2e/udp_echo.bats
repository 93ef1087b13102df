#!/usr/bin/env bats
# The udp-echo template end to end on spt, in a network namespace with a
# tap device (see stack_lib.bash): 10,000 datagrams of random sizes and
# contents echoed exactly, fragmented datagrams, port unreachable.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

client_py() {
    cat <<'PY'
# usage: client.py COUNT: sends COUNT datagrams to 10.0.0.2:7 with a few
# in flight, checks every echo, prints a summary; exits 1 on a mismatch.
import os, random, socket, sys, time
n = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.connect(('10.0.0.2', 7))
s.settimeout(0.5)
rnd = random.Random(7)
sent = {}
ok = bad = lost = 0
window = 16
i = 0
t0 = time.time()
rtts = []
while i < n or sent:
    while i < n and len(sent) < window:
        size = rnd.choice([1, 8, 64, 512, 1024, 1400, 1472, rnd.randrange(1, 1473)])
        data = i.to_bytes(4, 'big') + os.urandom(max(size, 4) - 4)
        sent[i] = (data, time.time())
        s.send(data)
        i += 1
    try:
        d = s.recv(65536)
    except socket.timeout:
        lost += len(sent)
        sent.clear()
        continue
    k = int.from_bytes(d[:4], 'big')
    if k in sent:
        data, t = sent.pop(k)
        rtts.append(time.time() - t)
        if d == data:
            ok += 1
        else:
            bad += 1
dt = time.time() - t0
rtts.sort()
print('echoed %d, wrong %d, lost %d in %.2f s, median rtt %.0f us' %
      (ok, bad, lost, dt, rtts[len(rtts) // 2] * 1e6 if rtts else 0))
sys.exit(1 if bad else 0)
PY
}

setup_file() {
    export ID=$$
    client_py >"$BATS_FILE_TMPDIR/client.py"
    stack_build udp-echo ue
}

setup() {
    cd "$BATS_FILE_TMPDIR/ue" || return 1
    stack_setup ue
}

teardown() {
    stack_teardown
}

@test "udp-echo: 10,000 datagrams of random sizes echoed byte for byte" {
    start_uk dist/ue.spt --ipv4=10.0.0.2/24
    run in_ns python3 "$BATS_FILE_TMPDIR/client.py" 10000
    echo "$output"
    assert_success
    # the tap may drop a few under load (UDP); nothing may come back wrong
    n=$(sed -n 's/^echoed \([0-9]*\),.*/\1/p' <<<"$output")
    [ "$n" -ge 9990 ] || fail "only $n of 10000 echoed"
    kill -0 "$UK_PID" || fail "the unikernel died"
}

@test "udp-echo: fragmented datagrams (8000 and 65507 bytes) come back whole" {
    start_uk dist/ue.spt --ipv4=10.0.0.2/24
    run in_ns python3 -c '
import os, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for size in (8000, 30000, 65507):
    d = os.urandom(size)
    for attempt in range(3):
        s.sendto(d, ("10.0.0.2", 7))
        try:
            r, a = s.recvfrom(70000)
            break
        except socket.timeout:
            r = b""
    print(size, r == d)
'
    assert_success
    assert_output "8000 True
30000 True
65507 True"
}

@test "udp-echo: another port gets ICMP port unreachable; --port moves the service" {
    start_uk dist/ue.spt --ipv4=10.0.0.2/24 --port=9999
    run in_ns python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.connect(("10.0.0.2", 7))
s.send(b"x")
try:
    s.recv(10); print("answered")
except ConnectionRefusedError:
    print("refused")
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"y", ("10.0.0.2", 9999))
print(s.recvfrom(10)[0])
'
    assert_success
    assert_output "refused
b'y'"
}

@test "udp-echo: the stack answers ping and heap use is flat across a burst" {
    start_uk dist/ue.spt --ipv4=10.0.0.2/24
    run in_ns python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
def stats():
    s.sendto(b"!stats", ("10.0.0.2", 7))
    return int(s.recvfrom(100)[0].split()[3])
a = stats()
for i in range(2000):
    s.sendto(b"z" * 100, ("10.0.0.2", 7))
    s.recvfrom(200)
b = stats()
print("heap", a, b)
assert a == b
'
    assert_success
    run in_ns ping -c 3 -i 0.2 -W 2 10.0.0.2
    assert_success
}
