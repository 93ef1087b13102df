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
