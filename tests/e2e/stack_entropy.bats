#!/usr/bin/env bats
# The stack's secrets on spt, from the namespace (see stack_lib.bash):
#  - two boots of one tcp-echo image answer a SYN with the same 4-tuple
#    with initial sequence numbers whose keyed part (RFC 6528's F: the ISN
#    minus the 4 us clock, which on spt is the host's CLOCK_MONOTONIC)
#    differs: the key is drawn anew at each boot;
#  - an image for a target without an entropy source (the spt target's
#    data with share/solo5/guest/entropy.c left out of its bindings, so
#    the runtime's weak ml_plat_entropy answers "none") says so on the
#    console at boot, names the fallback, and still serves.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

# usage: isn.py TAP GUEST_MAC SPORT: one SYN from 10.0.0.50:SPORT to
# 10.0.0.2:7; prints "ISN T0 T1" (the SYN-ACK's sequence number and the
# monotonic clock, in ns, before the SYN and after the SYN-ACK), then
# resets the half-open connection.
isn_py() {
    cat <<'PY'
import socket, struct, sys, time
tap, gmac_s, sport = sys.argv[1], sys.argv[2], int(sys.argv[3])
GMAC = bytes(int(x, 16) for x in gmac_s.split(':'))
ME = bytes([2, 0x50, 0, 0, 0, 0x50])
MYIP, GIP = socket.inet_aton('10.0.0.50'), socket.inet_aton('10.0.0.2')
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
s.bind((tap, 0))
s.setblocking(False)

def csum(b):
    if len(b) % 2:
        b += b'\0'
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while t >> 16:
        t = (t & 0xffff) + (t >> 16)
    return ~t & 0xffff

def send_tcp(seq, ack, flags):
    h = struct.pack('!HHIIBBHHH', sport, 7, seq, ack, 5 << 4, flags, 65535, 0, 0)
    ph = MYIP + GIP + struct.pack('!BBH', 0, 6, len(h))
    h = h[:16] + struct.pack('!H', csum(ph + h)) + h[18:]
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(h), 1, 0, 64, 6, 0, MYIP, GIP)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    s.send(GMAC + ME + b'\x08\x00' + ip + h)

def mono():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)

end = time.time() + 5
t0 = mono()
send_tcp(1000, 0, 2)
resent = time.time()
while time.time() < end:
    try:
        f = s.recv(65536)
    except BlockingIOError:
        if time.time() - resent > 1:   # the guest was resolving our MAC
            t0 = mono()
            send_tcp(1000, 0, 2)
            resent = time.time()
        time.sleep(0.0005)
        continue
    if f[12:14] == b'\x08\x06' and f[38:42] == MYIP and f[20:22] == b'\0\1':
        a = struct.pack('!HHBBH', 1, 0x800, 6, 4, 2) + ME + MYIP + f[22:28] + f[28:32]
        s.send(f[6:12] + ME + b'\x08\x06' + a)
    elif f[12:14] == b'\x08\x00' and f[23] == 6 and f[30:34] == MYIP:
        ihl = (f[14] & 15) * 4
        sp, dp, seq, ack, off, fl = struct.unpack('!HHIIBB', f[14 + ihl:14 + ihl + 14])
        if dp == sport and fl & 0x12 == 0x12 and ack == 1001:
            t1 = mono()
            send_tcp(1001, 0, 4)
            print(seq, t0, t1)
            sys.exit(0)
sys.exit('no SYN-ACK')
PY
}

setup_file() {
    export ID=$$
    isn_py >"$BATS_FILE_TMPDIR/isn.py"
    stack_build tcp-echo te
    # A data directory whose spt target has no entropy source.
    local d=$BATS_FILE_TMPDIR/data
    mkdir -p "$d"
    ln -s "$SRC/share" "$d/share"
    ln -s "$SRC/templates" "$d/templates"
    cp -r "$SRC/targets" "$d/targets"
    sed -i '/share\/solo5\/guest\/entropy.c/d' "$d/targets/spt/target.yml"
    (cd "$BATS_FILE_TMPDIR" && MIRLEFT_DATADIR=$d "$SRC/build/mirleft" new -T tcp-echo tn >/dev/null &&
     cd tn && MIRLEFT_DATADIR=$d "$SRC/build/mirleft" build >/dev/null)
}

setup() {
    cd "$BATS_FILE_TMPDIR/te" || return 1
    stack_setup te
}

teardown() {
    stack_teardown
}

guest_mac() {
    ip -n "$NS" neigh show 10.0.0.2 | sed -n 's/.*lladdr \([0-9a-f:]*\).*/\1/p'
}

# One boot: the keyed part of the ISN for 10.0.0.50:40000 -> :7, and the
# clock window (in 4 us ticks) it is known to within, as "F WINDOW".
keyed_isn() {
    start_uk dist/te.spt --ipv4=10.0.0.2/24
    local r
    r=$(in_ns python3 "$BATS_FILE_TMPDIR/isn.py" "$TAP" "$(guest_mac)" 40000) ||
        fail "no SYN-ACK: $r"
    # The unikernel, not the shell that started it: the tap is free again
    # only once mirleft-spt has gone.
    for pid in $(ip netns pids "$NS"); do
        kill "$pid" 2>/dev/null || true
    done
    wait "$UK_PID" 2>/dev/null || true
    UK_PID=
    for _ in $(seq 100); do
        [ -z "$(ip netns pids "$NS")" ] && break
        sleep 0.05
    done
    python3 -c '
import sys
isn, t0, t1 = map(int, sys.argv[1:4])
print((isn - t1 // 4000) % 2**32, (t1 - t0) // 4000 + 2)' $r
}

@test "stack: two boots answer the same 4-tuple with ISNs whose keyed part differs (the ISN key is drawn at boot)" {
    read -r f1 w1 <<<"$(keyed_isn)"
    grep -q WARNING uk.out && fail "warned with a hardware source: $(cat uk.out)"
    read -r f2 w2 <<<"$(keyed_isn)"
    echo "F1=$f1 (±$w1) F2=$f2 (±$w2)"
    [ -n "$f1" ] && [ -n "$f2" ]
    python3 -c '
import sys
f1, w1, f2, w2 = map(int, sys.argv[1:5])
d = (f1 - f2) % 2**32
d = min(d, 2**32 - d)
sys.exit(0 if d > w1 + w2 else "same keyed ISN part: %d apart" % d)' "$f1" "$w1" "$f2" "$w2"
}

@test "stack: without an entropy source the console says so at boot, names the fallback, and the stack serves" {
    cd "$BATS_FILE_TMPDIR/tn" || return 1
    start_uk dist/tn.spt --ipv4=10.0.0.2/24
    run cat uk.out
    assert_output --partial "mirleft: WARNING: no hardware entropy: this target has no entropy source; secrets (TCP sequence numbers, SYN cookies, ports, ids) come from clock jitter instead"
    run bash -c "echo still-serving | timeout 10 ip netns exec $NS nc -N 10.0.0.2 7"
    assert_output "still-serving"
}
