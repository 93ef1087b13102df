#!/usr/bin/env bats
# The net-ping template end to end on spt: each test makes its own network
# namespace with a tap device (10.0.0.1/24) in it, runs the unikernel on
# the tap inside the namespace and pings it from there. Needs root,
# /dev/net/tun and ip(8); the namespaces and taps carry this file's process
# id, so parallel runs do not clash, and teardown removes them.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR

# Why these tests cannot run here, or nothing.
missing() {
    [ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces, tap devices)"; return; }
    [ -c /dev/net/tun ] || { echo "no /dev/net/tun"; return; }
    command -v ip >/dev/null || { echo "no ip(8) (iproute2)"; return; }
    command -v ping >/dev/null || { echo "no ping(8)"; return; }
}

# The frame generator for the flood test (run inside the namespace):
# malformed frames of every kind, then valid requests; it prints how many
# of each were answered and fails on a wrong reply.
frames_py() {
    cat <<'PY'
# Sends malformed frames and a few valid requests to the net-ping unikernel
# on TAP (from inside its namespace), and counts what it answers.
# usage: frames.py TAP GUEST_MAC GUEST_IP [SEED [RANDOM_FRAMES]]
import random, socket, struct, sys, time

tap, gmac_s, gip_s = sys.argv[1:4]
gmac = bytes(int(x, 16) for x in gmac_s.split(':'))
gip = socket.inet_aton(gip_s)
me = bytes([2, 0, 0, 0, 0, 0xaa])
other = bytes([2, 0, 0, 0, 0, 0xbb])
bcast = b'\xff' * 6
ip = socket.inet_aton
BAD_ID, GOOD_ID = 0xbad0, 0x600d

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

def eth(dst, typ, body, src=me):
    return dst + src + struct.pack('!H', typ) + body

def icmp(typ=8, code=0, ident=BAD_ID, seq=1, data=b'x' * 56, bad=False):
    h = struct.pack('!BBHHH', typ, code, 0, ident, seq) + data
    c = csum(h) ^ (0x1234 if bad else 0)
    return h[:2] + struct.pack('!H', c) + h[4:]

def ipv4(payload, src=ip('10.0.0.1'), dst=gip, proto=1, ihl=None, total=None,
         frag=0, ver=4, opts=b'', bad=False):
    ihl = 5 + len(opts) // 4 if ihl is None else ihl
    total = 20 + len(opts) + len(payload) if total is None else total
    h = struct.pack('!BBHHHBBH4s4s', ver << 4 | ihl, 0, total, 7, frag, 64,
                    proto, 0, src, dst) + opts
    c = csum(h[:max(ihl * 4, 20)] if ihl >= 5 else h) ^ (0x0f0f if bad else 0)
    return h[:10] + struct.pack('!H', c) + h[12:] + payload

def arp(op=1, sha=me, spa=ip('10.0.0.66'), tha=b'\0' * 6, tpa=gip,
        htype=1, ptype=0x0800, hlen=6, plen=4):
    return struct.pack('!HHBBH', htype, ptype, hlen, plen, op) + sha + spa + tha + tpa

def ip_frame(p, dst=gmac):
    return eth(dst, 0x0800, p)

bad = [
    b'\x01', gmac + me[:4], gmac + me + b'\x08',              # runts
    eth(gmac, 0x0800, b''), eth(bcast, 0x0806, b''),
    ip_frame(ipv4(icmp(), bad=True)),                           # IP checksum
    ip_frame(ipv4(icmp(bad=True))),                             # ICMP checksum
    ip_frame(ipv4(icmp(), ihl=4)),
    ip_frame(ipv4(icmp(data=b''), ihl=15, total=28)),           # total < hlen
    ip_frame(ipv4(icmp(), total=1000)),                         # total > frame
    ip_frame(ipv4(icmp()))[:30],                                # cut IP header
    ip_frame(ipv4(icmp()))[:14 + 20 + 5],                       # cut ICMP header
    ip_frame(ipv4(icmp(), ver=6)),
    ip_frame(ipv4(icmp(), frag=0x2000)),                        # MF
    ip_frame(ipv4(icmp(), frag=0x0010)),                        # offset
    ip_frame(ipv4(icmp(), dst=ip('10.0.0.3'))),
    ip_frame(ipv4(icmp()), dst=other),
    ip_frame(ipv4(icmp()), dst=bcast),
    ip_frame(ipv4(icmp(typ=13))),
    ip_frame(ipv4(icmp(code=1))),
    ip_frame(ipv4(icmp(typ=0))),                                # a reply
    ip_frame(ipv4(icmp()[:4])),                                 # ICMP of 4 bytes
    ip_frame(ipv4(icmp(), src=ip('255.255.255.255'))),
    ip_frame(ipv4(icmp(), src=ip('224.0.0.1'))),
    ip_frame(ipv4(icmp(), src=ip('0.0.0.0'))),
    ip_frame(ipv4(icmp(), proto=17)),
    eth(bcast, 0x0806, arp())[:14 + 20],                        # cut ARP
    eth(bcast, 0x0806, arp(hlen=8)),
    eth(bcast, 0x0806, arp(plen=6)),
    eth(bcast, 0x0806, arp(htype=6)),
    eth(bcast, 0x0806, arp(ptype=0x86dd)),
    eth(bcast, 0x0806, arp(op=2)),
    eth(bcast, 0x0806, arp(op=3)),
    eth(bcast, 0x0806, arp(tpa=ip('10.0.0.3'))),
    eth(bcast, 0x0806, arp(sha=bcast)),
    eth(other, 0x0806, arp()),
    eth(gmac, 0x86dd, bytes(60)),
]
rnd = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
for i in range(int(sys.argv[5]) if len(sys.argv) > 5 else 3000):
    n = rnd.randrange(0, 1501)
    typ = rnd.choice([0x0800, 0x0806, rnd.randrange(0x10000)])
    bad.append(eth(rnd.choice([gmac, bcast]), typ, rnd.randbytes(n)))

good_ping = [
    ip_frame(ipv4(icmp(ident=GOOD_ID, seq=1))),
    ip_frame(ipv4(icmp(ident=GOOD_ID, seq=2, data=b'odd' * 19),
                  opts=b'\x01\x01\x01\x00')),                   # options, odd
    ip_frame(ipv4(icmp(ident=GOOD_ID, seq=3, data=bytes(range(256)) * 5))),
]
good_arp = eth(bcast, 0x0806, arp(spa=ip('10.0.0.77')))

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((tap, 0))
s.setblocking(False)
sent = 0
for i, f in enumerate(bad):
    try:
        s.send(f)
        sent += 1
    except OSError:
        pass
    if i % 50 == 49:
        time.sleep(0.002)
time.sleep(0.3)
for f in good_ping + [good_arp]:
    s.send(f)

bad_replies = good = arp_ok = 0
problems = []
end = time.time() + 1.5
while time.time() < end:
    try:
        f = s.recv(65536)
    except BlockingIOError:
        time.sleep(0.01)
        continue
    if f[6:12] != gmac:
        continue
    typ = struct.unpack('!H', f[12:14])[0]
    if typ == 0x0806 and len(f) >= 42:
        spa, tpa = f[28:32], f[38:42]
        if tpa == ip('10.0.0.77'):
            if (f[0:6] == me and f[20:22] == b'\0\2' and f[22:28] == gmac
                    and spa == gip and f[32:38] == me):
                arp_ok += 1
            else:
                problems.append('bad ARP reply ' + f[:42].hex())
        elif tpa == ip('10.0.0.66'):
            bad_replies += 1
    elif typ == 0x0800 and len(f) >= 42:
        ihl = (f[14] & 15) * 4
        tot = struct.unpack('!H', f[16:18])[0]
        ic = f[14 + ihl:14 + tot]
        ident, seq = struct.unpack('!HH', ic[4:8])
        if ident == BAD_ID:
            bad_replies += 1
            continue
        if ident != GOOD_ID:
            continue
        req = good_ping[seq - 1]
        rihl = (req[14] & 15) * 4
        want = b'\0\0' + req[14 + rihl + 2:]
        ok = (f[0:6] == me and ihl == 20 and csum(f[14:34]) == 0 and
              f[26:30] == gip and f[30:34] == ip('10.0.0.1') and
              f[23] == 1 and csum(ic) == 0 and ic[:2] + ic[4:] == want[:2] + want[4:]
              and len(f) == 14 + tot)
        if ok:
            good += 1
        else:
            problems.append('bad echo reply seq %d: %s' % (seq, f[:64].hex()))
print('malformed frames sent: %d of %d' % (sent, len(bad)))
print('replies to malformed frames: %d' % bad_replies)
print('replies to valid requests: %d' % good)
print('ARP replies: %d' % arp_ok)
for p in problems:
    print(p)
sys.exit(1 if problems or arp_ok != 1 else 0)
PY
}

setup_file() {
    export ID=$$
    frames_py >"$BATS_FILE_TMPDIR/frames.py"
    cd "$BATS_FILE_TMPDIR" || return 1
    "$SRC/build/mirleft" new -T net-ping ping >/dev/null
    cd ping || return 1
    "$SRC/build/mirleft" build >/dev/null
}

setup() {
    cd "$BATS_FILE_TMPDIR/ping" || return 1
    why=$(missing)
    [ -z "$why" ] || skip "$why"
    NS=mlping${ID}t$BATS_TEST_NUMBER
    TAP=mlp${ID}t$BATS_TEST_NUMBER
    ip netns add "$NS" || skip "cannot create a network namespace"
    if ! ip -n "$NS" tuntap add dev "$TAP" mode tap 2>/dev/null; then
        ip netns del "$NS"
        skip "cannot create a tap device"
    fi
    ip -n "$NS" addr add 10.0.0.1/24 dev "$TAP"
    ip -n "$NS" link set "$TAP" up
    UK_PID=
}

teardown() {
    [ -n "${NS:-}" ] || return 0
    # Everything still running in the namespace was started by this test.
    for pid in $(ip netns pids "$NS" 2>/dev/null); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    [ -z "$UK_PID" ] || wait "$UK_PID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
}

in_ns() {
    ip netns exec "$NS" "$@"
}

# Starts the unikernel on the tap in the background, output to uk.out.
start_uk() {
    in_ns mirleft-spt --mem=32 --net:service="$TAP" dist/ping.spt "$@" \
        >uk.out 2>&1 &
    UK_PID=$!
}

# Waits until the tap has carrier and the kernel has activated it (state
# UP: until then the host drops what it sends to the tap), at most 5 s.
wait_link() {
    for _ in $(seq 100); do
        ip -n "$NS" link show "$TAP" | grep -q 'LOWER_UP.* state UP ' && return 0
        kill -0 "$UK_PID" 2>/dev/null || { cat uk.out; fail "the unikernel exited"; }
        sleep 0.05
    done
    ip -n "$NS" link show "$TAP"
    fail "$TAP did not come up within 5 s"
}

# Waits for the link, then for a first echo reply from ADDR (default
# 10.0.0.2), retrying a lost first ping; at most 10 tries.
wait_ping() {
    wait_link
    for _ in $(seq 10); do
        in_ns ping -c 1 -W 1 "${1:-10.0.0.2}" >/dev/null && return 0
    done
    cat uk.out
    fail "no echo reply from ${1:-10.0.0.2} in 10 tries"
}

# "N received" from ping's summary.
received() {
    sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$output"
}

@test "net-ping: ping -c 5 from the namespace gets 5 replies" {
    start_uk --ipv4=10.0.0.2/24
    wait_ping
    run in_ns ping -c 5 -i 0.2 -W 2 10.0.0.2
    assert_success
    assert_equal "$(received)" 5
    assert_output --partial " 0% packet loss"
    # the ARP reply taught the host the unikernel's MAC
    mac=$(sed -n 's/.*MAC \([0-9a-f:]*\),.*/\1/p' uk.out)
    [ -n "$mac" ] || fail "no MAC in: $(cat uk.out)"
    run ip -n "$NS" neigh show 10.0.0.2 dev "$TAP"
    assert_output --partial "lladdr $mac"
}

@test "net-ping: start-up line names the address, device, MAC and MTU" {
    in_ns ip link set "$TAP" mtu 9000
    start_uk --ipv4=10.0.0.2/24
    wait_link
    kill -KILL "$UK_PID"
    wait "$UK_PID" || true
    run cat uk.out
    assert_line --regexp '^ping: 10\.0\.0\.2/24 on service, MAC ([0-9a-f]{2}:){5}[0-9a-f]{2}, MTU 9000$'
}

@test "net-ping: the gratuitous ARP at start announces the address" {
    # Accept unsolicited ARP so the announcement creates a neighbour entry.
    in_ns sysctl -qw "net.ipv4.conf.$TAP.arp_accept=1"
    start_uk --ipv4=10.0.0.2/24
    wait_link
    for _ in $(seq 40); do
        ip -n "$NS" neigh show 10.0.0.2 dev "$TAP" | grep -q lladdr && break
        sleep 0.05
    done
    mac=$(sed -n 's/.*MAC \([0-9a-f:]*\),.*/\1/p' uk.out)
    run ip -n "$NS" neigh show 10.0.0.2 dev "$TAP"
    assert_output --partial "lladdr $mac"
}

@test "net-ping: through mirleft run --net, --limit=5 exits 0 after 5 replies" {
    in_ns mirleft run --no-build -t spt --net service="$TAP" -- \
        --ipv4=10.0.0.2/24 --limit=5 >uk.out 2>&1 &
    UK_PID=$!
    # mirleft run spawns the tender: wait for the link it attaches
    wait_link
    ok=0
    for _ in $(seq 20); do
        kill -0 "$UK_PID" 2>/dev/null || break
        if in_ns ping -c 1 -W 1 10.0.0.2 >/dev/null; then ok=$((ok + 1)); fi
    done
    for _ in $(seq 40); do kill -0 "$UK_PID" 2>/dev/null || break; sleep 0.05; done
    run wait "$UK_PID"
    assert_success
    assert_equal "$ok" 5
    run cat uk.out
    assert_line "5 echo replies sent, exiting"
}

@test "net-ping: --ipv4 sets the address: only it is answered" {
    start_uk --ipv4=10.0.0.7/24
    wait_ping 10.0.0.7
    run in_ns ping -c 2 -i 0.2 -W 1 10.0.0.2
    assert_failure
    assert_equal "$(received)" 0
    run in_ns ping -c 2 -i 0.2 -W 1 10.0.0.7
    assert_success
    assert_equal "$(received)" 2
}

@test "net-ping: another address on the subnet is not answered, and it lives on" {
    start_uk --ipv4=10.0.0.2/24
    wait_ping
    run in_ns ping -c 3 -i 0.2 -W 1 10.0.0.3
    assert_failure
    assert_equal "$(received)" 0
    run ip -n "$NS" neigh show 10.0.0.3 dev "$TAP"
    refute_output --partial lladdr
    run in_ns ping -c 2 -i 0.2 -W 2 10.0.0.2
    assert_success
    assert_equal "$(received)" 2
}

@test "net-ping: large payloads: -s 1400 and a full 1514-byte frame" {
    start_uk --ipv4=10.0.0.2/24
    wait_ping
    run in_ns ping -c 3 -i 0.2 -W 2 -s 1400 10.0.0.2
    assert_success
    assert_equal "$(received)" 3
    assert_output --partial "1408 bytes from 10.0.0.2"
    run in_ns ping -c 2 -i 0.2 -W 2 -s 1472 -M do 10.0.0.2
    assert_success
    assert_equal "$(received)" 2
    # fragments are not reassembled: no reply, no harm
    run in_ns ping -c 2 -i 0.2 -W 1 -s 2000 10.0.0.2
    assert_equal "$(received)" 0
    run in_ns ping -c 2 -i 0.2 -W 2 10.0.0.2
    assert_equal "$(received)" 2
}

@test "net-ping: a flood of malformed frames is ignored, and it still answers" {
    command -v python3 >/dev/null || skip "no python3 (raw frames)"
    start_uk --ipv4=10.0.0.2/24
    wait_ping
    mac=$(sed -n 's/.*MAC \([0-9a-f:]*\),.*/\1/p' uk.out)
    run in_ns python3 "$BATS_FILE_TMPDIR/frames.py" "$TAP" "$mac" 10.0.0.2
    assert_success
    assert_output --partial "replies to malformed frames: 0"
    assert_output --partial "replies to valid requests: 3"
    kill -0 "$UK_PID" || fail "the unikernel died: $(cat uk.out)"
    run in_ns ping -c 3 -i 0.2 -W 2 10.0.0.2
    assert_success
    assert_equal "$(received)" 3
}

@test "net-ping: a ping flood is answered in full" {
    start_uk --ipv4=10.0.0.2/24
    wait_ping
    run in_ns ping -f -c 2000 -W 1 10.0.0.2
    assert_success
    assert_equal "$(received)" 2000
}

@test "net-ping: without the tap it says which device is missing" {
    run mirleft-spt --mem=32 dist/ping.spt
    assert_failure
    assert_output --partial "service"
}

@test "net-ping: a tap that does not exist, or that another tender holds, is refused with what to do" {
    run in_ns mirleft-spt --mem=32 --net:service=nosuchtap dist/ping.spt
    assert_failure
    assert_output --partial "Could not attach interface: nosuchtap: No such device (create it: ip tuntap add dev nosuchtap mode tap"
    start_uk --ipv4=10.0.0.2/24
    wait_link
    run in_ns mirleft-spt --mem=32 --net:service="$TAP" dist/ping.spt
    assert_failure
    assert_output --partial "Could not attach interface: $TAP: it is in use (by another tender?)"
}
