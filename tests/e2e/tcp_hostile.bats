#!/usr/bin/env bats
# Hostile peers against the tcp-echo template on spt, from the namespace
# (see stack_lib.bash). A raw-socket peer (python3, AF_PACKET on the tap)
# poses as 10.0.0.50 with a MAC of its own, answers ARP for it, and
# speaks TCP by hand: a hole followed by 10,000 future segments, segments
# beyond the window, a SYN flood past the backlog, an RST storm. Heap use
# is read through --debug-port from 10.0.0.1, and a real client checks
# that the service keeps answering.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

peer_py() {
    cat <<'PY'
# usage: peer.py TAP GUEST_MAC MODE
import os, random, socket, struct, sys, time
tap, gmac_s, mode = sys.argv[1:4]
GMAC = bytes(int(x, 16) for x in gmac_s.split(':'))
ME = bytes([2, 0x50, 0, 0, 0, 0x50])
MYIP, GIP = socket.inet_aton('10.0.0.50'), socket.inet_aton('10.0.0.2')
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind((tap, 0))
s.setblocking(False)
rnd = random.Random(5)

def csum(b):
    if len(b) % 2:
        b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff

def send_tcp(sport, dport, seq, ack, flags, data=b'', wnd=65535, opts=b''):
    off = (20 + len(opts)) // 4
    h = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff,
                    off << 4, flags, wnd, 0, 0) + opts + data
    ph = MYIP + GIP + struct.pack('!BBH', 0, 6, len(h))
    h = h[:16] + struct.pack('!H', csum(ph + h)) + h[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(h), 1, 0, 64, 6, 0, MYIP, GIP)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    for _ in range(1000):       # the tap's queue may be full for a moment
        try:
            s.send(GMAC + ME + b'\x08\x00' + ip + h)
            return
        except BlockingIOError:
            time.sleep(0.001)

def poll(until):
    """Answers ARP for 10.0.0.50; returns TCP segments to it as
    (sport, dport, seq, ack, flags, wnd, data, options)."""
    segs = []
    while time.time() < until:
        try:
            f = s.recv(65536)
        except BlockingIOError:
            time.sleep(0.001)
            continue
        if f[12:14] == b'\x08\x06' and f[38:42] == MYIP and f[20:22] == b'\0\1':
            a = struct.pack('!HHBBH', 1, 0x800, 6, 4, 2) + ME + MYIP + f[22:28] + f[28:32]
            s.send(f[6:12] + ME + b'\x08\x06' + a)
        elif f[12:14] == b'\x08\x00' and f[23] == 6 and f[30:34] == MYIP:
            ihl = (f[14] & 15) * 4
            t = f[14 + ihl:]
            sp, dp, sq, ak, off, fl, wn = struct.unpack('!HHIIBBH', t[:16])
            tot = struct.unpack('!H', f[16:18])[0]
            segs.append((sp, dp, sq, ak, fl, wn, t[(off >> 4) * 4:tot - ihl],
                         t[20:(off >> 4) * 4]))
    return segs

def options(o):
    """(kind, value) pairs of a TCP option list."""
    i, out = 0, []
    while i < len(o) and o[i] != 0:
        if o[i] == 1:
            i += 1
            continue
        if i + 1 >= len(o) or o[i + 1] < 2:
            break
        out.append((o[i], o[i + 2:i + o[i + 1]]))
        i += o[i + 1]
    return out

synack = []

def handshake(sport, sack=False):
    opts = bytes([2, 4, 5, 0xb4]) + (bytes([1, 1, 4, 2]) if sack else b'')
    send_tcp(sport, 7, 1000, 0, 2, opts=opts)
    for _ in range(50):
        for sg in poll(time.time() + 0.1):
            if sg[0] == 7 and sg[1] == sport and sg[4] == 0x12:
                synack[:] = options(sg[7])
                send_tcp(sport, 7, 1001, sg[2] + 1, 0x10)
                return sg[2] + 1
        send_tcp(sport, 7, 1000, 0, 2, opts=opts)
    raise SystemExit('no SYN-ACK')

def heap():
    c = socket.create_connection(('10.0.0.2', 8), timeout=5)
    d = b''
    while not d.endswith(b'\n'):
        x = c.recv(200)
        if not x:
            break
        d += x
    c.close()
    return int(d.split()[1])

if mode == 'hole':
    iss = handshake(40000, sack=True)
    print('SACK-permitted in the SYN-ACK:', any(k == 4 for k, _ in synack))
    poll(time.time() + 0.2)
    h0 = heap()
    # a hole at 1001..1100, then 10,000 segments after it, in and past the window
    for i in range(10000):
        off = 100 + (i * 997) % 400000
        send_tcp(40000, 7, 1001 + off, iss, 0x10, bytes([i & 255]) * 200)
        if i % 200 == 0:
            poll(time.time() + 0.002)
    segs = poll(time.time() + 0.5)
    dup = [sg for sg in segs if sg[1] == 40000 and sg[3] == 1001]
    print('duplicate ACKs for the hole:', 'yes' if dup else 'no')
    # RFC 2018 blocks in them: the data held beyond the hole, never the hole
    blocks = [struct.unpack('!II', v[j:j + 8]) for sg in dup
              for k, v in options(sg[7]) if k == 5 for j in range(0, len(v), 8)]
    print('SACK blocks beyond the hole:',
          'yes' if blocks and all(l >= 1101 and r > l for l, r in blocks) else blocks[:4])
    h1 = heap()
    print('heap with the connection: %d, after the flood: %d' % (h0, h1))
    print('heap flat:', h1 == h0)
    send_tcp(40000, 7, 1001, iss, 0x14)       # RST at rcv_nxt: gone
    poll(time.time() + 0.2)
elif mode == 'window':
    iss = handshake(40001)
    for i in range(2000):   # far past any window, and long before it
        send_tcp(40001, 7, 1001 + 10000000 + i * 1460, iss, 0x10, b'w' * 1000)
        send_tcp(40001, 7, 1001 - 5000000 - i, iss, 0x10, b'o' * 100)
        if i % 100 == 0:    # drain the ACKs they earn, or ours overflow
            poll(time.time() + 0.002)
    poll(time.time() + 0.2)
    send_tcp(40001, 7, 1001, iss, 0x18, b'ping')
    segs = []
    end = time.time() + 3   # the echo, or its retransmission (RTO 1 s)
    while time.time() < end and not any(sg[6] for sg in segs if sg[1] == 40001):
        segs += poll(time.time() + 0.1)
    echo = b''.join(sg[6] for sg in segs if sg[1] == 40001 and sg[6])
    print('echo after the junk:', echo)
    send_tcp(40001, 7, 1005, iss + len(echo), 0x14)
    poll(time.time() + 0.2)
elif mode == 'rststorm':
    iss = handshake(40002)
    for i in range(20000):  # every sequence number but the right one
        seq = 1001 + rnd.randrange(1, 1 << 31)
        send_tcp(40002, 7, seq, 0, 0x04)
        if i % 500 == 0:
            poll(time.time() + 0.002)
    segs = poll(time.time() + 0.3)
    chal = sum(1 for sg in segs if sg[1] == 40002 and sg[4] == 0x10)
    send_tcp(40002, 7, 1001, iss, 0x18, b'still there?')
    segs = poll(time.time() + 0.5)
    echo = b''.join(sg[6] for sg in segs if sg[1] == 40002 and sg[6])
    print('challenge ACKs (limited):', 'ok' if chal <= 300 else chal)
    print('echo after the storm:', echo)
    send_tcp(40002, 7, 1001 + 12, iss + len(echo), 0x14)
    poll(time.time() + 0.2)
elif mode == 'synflood':
    n = 0
    end = time.time() + 3
    while time.time() < end:
        send_tcp(rnd.randrange(1024, 65535), 7, rnd.randrange(1 << 32), 0, 2)
        n += 1
        if n % 500 == 0:
            poll(time.time() + 0.001)
    print('SYNs sent:', n)
PY
}

setup_file() {
    export ID=$$
    peer_py >"$BATS_FILE_TMPDIR/peer.py"
    stack_build tcp-echo th
}

setup() {
    cd "$BATS_FILE_TMPDIR/th" || return 1
    stack_setup th
    command -v nc >/dev/null || skip "no nc"
}

teardown() {
    stack_teardown
}

mac() {
    sed -n 's/.*MAC \([0-9a-f:]*\).*/\1/p' uk.out
}

heap() {
    in_ns python3 -c '
import socket
s = socket.create_connection(("10.0.0.2", 8), timeout=5)
d = b""
while not d.endswith(b"\n"):
    x = s.recv(200)
    if not x: break
    d += x
print(d.split()[1].decode())'
}

# The service answers a real client.
echo_ok() {
    run bash -c "echo still-serving | timeout 10 ip netns exec $NS nc -N 10.0.0.2 7"
    assert_output "still-serving"
}

# The guest MAC comes from a ping's ARP (the template does not print it).
guest_mac() {
    ip -n "$NS" neigh show 10.0.0.2 | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p'
}

@test "tcp hostile: a hole then 10,000 future segments: heap bounded, duplicate ACKs with SACK blocks, service answers" {
    start_uk dist/th.spt --ipv4=10.0.0.2/24 --debug-port=8
    before=$(heap)
    run in_ns python3 "$BATS_FILE_TMPDIR/peer.py" "$TAP" "$(guest_mac)" hole
    echo "$output"
    assert_success
    assert_output --partial "SACK-permitted in the SYN-ACK: True"
    assert_output --partial "duplicate ACKs for the hole: yes"
    assert_output --partial "SACK blocks beyond the hole: yes"
    assert_output --partial "heap flat: True"
    after=$(heap)
    echo "heap before $before, after $after"
    [ "$after" -eq "$before" ] || fail "heap in use went from $before to $after"
    echo_ok
}

@test "tcp hostile: segments far beyond and before the window are dropped; the connection still echoes" {
    start_uk dist/th.spt --ipv4=10.0.0.2/24 --debug-port=8
    run in_ns python3 "$BATS_FILE_TMPDIR/peer.py" "$TAP" "$(guest_mac)" window
    echo "$output"
    assert_success
    assert_output --partial "echo after the junk: b'ping'"
    echo_ok
}

@test "tcp hostile: an RST storm with wrong sequence numbers leaves the connection up (RFC 5961)" {
    start_uk dist/th.spt --ipv4=10.0.0.2/24 --debug-port=8
    run in_ns python3 "$BATS_FILE_TMPDIR/peer.py" "$TAP" "$(guest_mac)" rststorm
    echo "$output"
    assert_success
    assert_output --partial "challenge ACKs (limited): ok"
    assert_output --partial "echo after the storm: b'still there?'"
    echo_ok
}

@test "tcp hostile: a SYN flood past the backlog (SYN cookies): memory bounded, real clients served during it" {
    start_uk dist/th.spt --ipv4=10.0.0.2/24 --debug-port=8 --backlog=32
    before=$(heap)
    in_ns python3 "$BATS_FILE_TMPDIR/peer.py" "$TAP" "$(guest_mac)" synflood >flood.out 2>&1 &
    flood=$!
    sleep 1
    served=0
    for _ in 1 2 3; do
        out=$(echo during-flood | timeout 10 ip netns exec "$NS" nc -N 10.0.0.2 7) || true
        [ "$out" = during-flood ] && served=$((served + 1))
    done
    during=$(heap)
    wait "$flood"
    cat flood.out
    echo "heap before $before, during $during; served $served of 3"
    [ "$served" -eq 3 ] || fail "only $served of 3 clients served during the flood"
    # 32 handshakes of a few hundred bytes each, at most
    [ "$during" -lt $((before + 200000)) ] || fail "heap grew from $before to $during"
    echo_ok
}
