#!/usr/bin/env bats
# The stack's DHCP client end to end on spt: the udp-echo template with
# `dhcp: true`, and a minimal DHCP server (python3) on the tap inside the
# namespace (see stack_lib.bash). The unikernel must discover, request the
# offered address, then answer ping and UDP there.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

server_py() {
    cat <<'PY'
# usage: dhcpd.py TAP: offers 10.0.0.77/24 (router 10.0.0.1, lease 600 s)
# and logs each message type it receives, one per line, to stdout.
import socket, struct, sys
tap = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, tap.encode())
s.bind(('0.0.0.0', 67))
ME, YOU = socket.inet_aton('10.0.0.1'), socket.inet_aton('10.0.0.77')
def opts(m):
    o, i = {}, 240
    while i < len(m) and m[i] != 255:
        if m[i] == 0:
            i += 1; continue
        o[m[i]] = m[i + 2:i + 2 + m[i + 1]]; i += 2 + m[i + 1]
    return o
while True:
    m, _ = s.recvfrom(2048)
    if len(m) < 240 or m[0] != 1:
        continue
    o = opts(m)
    t = o.get(53, b'\0')[0]
    extra = ''
    if t == 3:
        extra = ' requested=%s server=%s' % (socket.inet_ntoa(o.get(50, bytes(4))),
                                            socket.inet_ntoa(o.get(54, bytes(4))))
    print({1: 'DISCOVER', 3: 'REQUEST'}.get(t, str(t)) + extra, flush=True)
    reply_type = 2 if t == 1 else 5
    r = bytearray(240)
    r[0], r[1], r[2] = 2, 1, 6
    r[4:8] = m[4:8]
    r[10:12] = m[10:12]
    r[16:20] = YOU
    r[20:24] = ME
    r[28:44] = m[28:44]
    r[236:240] = b'\x63\x82\x53\x63'
    r += bytes([53, 1, reply_type, 54, 4]) + ME + bytes([1, 4, 255, 255, 255, 0, 3, 4]) + ME
    r += bytes([51, 4]) + struct.pack('!I', 600) + b'\xff'
    s.sendto(bytes(r), ('255.255.255.255', 68))
PY
}

setup_file() {
    export ID=$$
    server_py >"$BATS_FILE_TMPDIR/dhcpd.py"
    stack_build udp-echo dh
    sed -i 's/stack: { type: stack, net: service, ipv4: { arg: ipv4, default: 10.0.0.2\/24 } }/stack: { type: stack, net: service, dhcp: true }/' unikernel.yml
    grep -q 'dhcp: true' unikernel.yml
    "$SRC/build/mirleft" build >/dev/null
}

setup() {
    cd "$BATS_FILE_TMPDIR/dh" || return 1
    stack_setup dh
}

teardown() {
    stack_teardown
}

@test "stack dhcp: discover, offer, request, ack; then ping and UDP echo at the leased address" {
    in_ns python3 "$BATS_FILE_TMPDIR/dhcpd.py" "$TAP" >dhcpd.out 2>&1 &
    in_ns mirleft-spt --mem=32 --net:service="$TAP" dist/dh.spt --log=info >uk.out 2>&1 &
    UK_PID=$!
    ok=
    for _ in $(seq 40); do
        if in_ns ping -c 1 -W 1 10.0.0.77 >/dev/null 2>&1; then ok=1; break; fi
        sleep 0.2
    done
    cat dhcpd.out uk.out
    [ -n "$ok" ] || fail "no answer at the leased address"
    run cat dhcpd.out
    assert_line --index 0 "DISCOVER"
    assert_line --index 1 "REQUEST requested=10.0.0.77 server=10.0.0.1"
    run grep -c "DHCP lease 10.0.0.77/24 for 600 s" uk.out
    assert_output 1
    # the application learns its address from the stack's callback
    run grep -c "dh: echoing UDP on 10.0.0.77 port 7" uk.out
    assert_output 1
    refute grep -q "on 0.0.0.0" uk.out
    run in_ns python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto(b"leased", ("10.0.0.77", 7)); print(s.recvfrom(100)[0])'
    assert_output "b'leased'"
}
