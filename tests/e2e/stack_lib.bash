# Shared by the stack's e2e tests (udp_echo.bats, tcp_echo.bats): a network
# namespace with a tap device (10.0.0.1/24) per test, the unikernel run on
# it inside the namespace, and teardown. Names carry the test file's
# process id so parallel runs do not clash.

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR

# Why these tests cannot run here, or nothing.
stack_missing() {
    [ "$(id -u)" -eq 0 ] || { echo "needs root (network namespaces, tap devices)"; return; }
    [ -c /dev/net/tun ] || { echo "no /dev/net/tun"; return; }
    command -v ip >/dev/null || { echo "no ip(8) (iproute2)"; return; }
    command -v python3 >/dev/null || { echo "no python3"; return; }
}

# Builds template $1 as project $2 in the file's temporary directory.
stack_build() {
    cd "$BATS_FILE_TMPDIR" || return 1
    "$SRC/build/mirleft" new -T "$1" "$2" >/dev/null
    cd "$2" || return 1
    "$SRC/build/mirleft" build >/dev/null
}

# Makes the namespace NS with TAP up at 10.0.0.1/24; skips if impossible.
stack_setup() {
    why=$(stack_missing)
    [ -z "$why" ] || skip "$why"
    NS=ml$1${ID}t$BATS_TEST_NUMBER
    TAP=ml$1${ID}t$BATS_TEST_NUMBER
    ip netns add "$NS" || skip "cannot create a network namespace"
    if ! ip -n "$NS" tuntap add dev "$TAP" mode tap 2>/dev/null; then
        ip netns del "$NS"
        skip "cannot create a tap device"
    fi
    ip -n "$NS" addr add 10.0.0.1/24 dev "$TAP"
    ip -n "$NS" link set "$TAP" up
    ip -n "$NS" link set lo up
    UK_PID=
}

stack_teardown() {
    [ -n "${NS:-}" ] || return 0
    for pid in $(ip netns pids "$NS" 2>/dev/null); do
        kill -KILL "$pid" 2>/dev/null || true
    done
    [ -z "$UK_PID" ] || wait "$UK_PID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
}

in_ns() {
    ip netns exec "$NS" "$@"
}

# Starts image $1 on the tap in the background (more arguments follow),
# output in uk.out; waits until the link is up and the address answers
# ping (at most 10 s).
start_uk() {
    local image=$1
    shift
    in_ns mirleft-spt --mem="${UK_MEM:-64}" --net:service="$TAP" "$image" "$@" \
        >uk.out 2>&1 &
    UK_PID=$!
    for _ in $(seq 100); do
        ip -n "$NS" link show "$TAP" | grep -q 'LOWER_UP.* state UP ' && break
        kill -0 "$UK_PID" 2>/dev/null || { cat uk.out; fail "the unikernel exited"; }
        sleep 0.05
    done
    for _ in $(seq 10); do
        in_ns ping -c 1 -W 1 10.0.0.2 >/dev/null && return 0
    done
    cat uk.out
    fail "no echo reply from 10.0.0.2"
}

# The tcp-echo test client (Python): concurrent connections, churn, and
# the --debug-port statistics. Shared by the spt and hvt tests.
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
