#!/usr/bin/env bats
# The stack's TCP templates on hvt (`mirleft build -t hvt`, run by
# mirleft-hvt --net:service=TAP) in a network namespace with a tap device
# (see stack_lib.bash): tcp-echo with 1 MiB through nc compared byte for
# byte, http with curl and a SHA-256 compare. Kept short: on software KVM
# (kvm_pvm) every VM exit is tens of microseconds.
# needs: kvm
# (tests/run runs this file natively where /dev/kvm works and inside an
# emulated VM elsewhere; its projects are built by hvt_prep.bash first.)

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

HVT=$SRC/build/mirleft-hvt

kvm_missing() {
    [ -e /dev/kvm ] || { echo "no /dev/kvm (KVM not available)"; return; }
    [ -r /dev/kvm ] && [ -w /dev/kvm ] ||
        { echo "/dev/kvm is not readable and writable by $(id -un)"; return; }
}

# Template $1 as built by hvt_prep.bash, copied to $BATS_FILE_TMPDIR/$1
# (once per file) and entered.
hvt_template() {
    local t=$1
    if [ ! -d "$BATS_FILE_TMPDIR/$t" ]; then
        cp -a "$MIRLEFT_TEST_PREP/$t" "$BATS_FILE_TMPDIR/$t" || fail "no prepared $t project"
    fi
    cd "$BATS_FILE_TMPDIR/$t" || return 1
}

# Starts hvt image $1 on the tap (more arguments follow), output in uk.out;
# waits until the address answers ping (at most ~20 s).
start_hvt() {
    local image=$1
    shift
    in_ns "$HVT" --mem="${UK_MEM:-64}" --net:service="$TAP" "$image" "$@" \
        >uk.out 2>&1 &
    UK_PID=$!
    for _ in $(seq 20); do
        kill -0 "$UK_PID" 2>/dev/null || { cat uk.out; fail "the unikernel exited"; }
        in_ns ping -c 1 -W 1 10.0.0.2 >/dev/null && return 0
    done
    cat uk.out
    fail "no echo reply from 10.0.0.2"
}

setup_file() {
    export ID=$$
    make -C "$SRC" -s build/mirleft-hvt build/mirleft >&2
    if [ -z "${MIRLEFT_TEST_PREP:-}" ]; then
        export MIRLEFT_TEST_PREP=$BATS_FILE_TMPDIR/prep
        "$SRC/tests/e2e/hvt_prep.bash" "$MIRLEFT_TEST_PREP" >&2
    fi
    if [ -n "${MIRLEFT_TEST_VM:-}" ]; then
        echo "# hvt: in an emulated VM (QEMU TCG, nested KVM)" >&3
    fi
    head -c 10485760 /dev/urandom >"$BATS_FILE_TMPDIR/10m"
    client_py >"$BATS_FILE_TMPDIR/client.py"
}

setup() {
    why=$(kvm_missing)
    [ -z "$why" ] || skip "$why"
    stack_setup hv
}

teardown() {
    stack_teardown
}

@test "hvt tcp-echo: nc sends 10 MiB of random data and gets it back byte for byte" {
    command -v nc >/dev/null || skip "no nc"
    hvt_template tcp-echo
    start_hvt dist/tcp-echo.hvt --ipv4=10.0.0.2/24
    timeout 120 ip netns exec "$NS" nc -N 10.0.0.2 7 <"$BATS_FILE_TMPDIR/10m" >echoed
    run cmp "$BATS_FILE_TMPDIR/10m" echoed
    assert_success
}

@test "hvt tcp-echo: 100 concurrent connections, 64 KiB each, all echoed intact" {
    hvt_template tcp-echo
    start_hvt dist/tcp-echo.hvt --ipv4=10.0.0.2/24
    run in_ns timeout 120 python3 "$BATS_FILE_TMPDIR/client.py" concurrent 100 65536
    assert_success
    assert_output "connections 100, echoed intact 100"
}

@test "hvt http: curl GETs a 1 MiB file (SHA-256 compared), a page, HEAD and a 404" {
    command -v curl >/dev/null || skip "no curl"
    hvt_template http            # with htdocs/big.bin, 1 MiB of random bytes
    start_hvt dist/http.hvt --ipv4=10.0.0.2/24
    run in_ns curl -s -m 60 http://10.0.0.2/big.bin -o got.bin
    assert_success
    assert_equal "$(sha256sum <got.bin)" "$(sha256sum <htdocs/big.bin)"
    run in_ns curl -s -m 20 http://10.0.0.2/
    assert_success
    assert_output "$(cat htdocs/index.html)"
    run in_ns curl -s -m 20 -o /dev/null -w '%{http_code}' -I http://10.0.0.2/big.bin
    assert_output 200
    run in_ns curl -s -m 20 -o /dev/null -w '%{http_code}' http://10.0.0.2/missing.html
    assert_output 404
}
