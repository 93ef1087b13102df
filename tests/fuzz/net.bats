#!/usr/bin/env bats
# Smoke run of the network stack's receive-path fuzzer under ASan/UBSan
# (see README.md for a long run). Runs on a copy of the corpus so the
# tree is not modified.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

FUZZ="$MIRLEFT_SRC/build/fuzz/fuzz_net"

setup() {
    [ -x "$FUZZ" ] || skip "build/fuzz/fuzz_net not built (needs clang and libclang-rt-14-dev; run make unit)"
    work=$(mktemp -d)
    cp "$MIRLEFT_SRC"/tests/fuzz/corpus/net/* "$work/"
}

# On failure, only the report's end (the input, in Base64, and the stack):
# the progress lines before it would bury it.
fuzz_verdict() {
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$output" | grep -v '^#[0-9]' | tail -n 80
        echo "fuzzer exit status $status (seed ${MIRLEFT_FUZZ_SEED:-1})"
        return 1
    fi
}

teardown() {
    [ -n "${work:-}" ] && rm -rf "$work"
}

@test "fuzz net: every seed (ARP, ping, UDP, fragments, TCP handshakes, out-of-order, slow reader, active open) runs clean" {
    run "$FUZZ" -runs=0 "$work"
    assert_success
    assert_output --partial "INITED"
}

@test "fuzz net: the seeds reach what they are for (handshakes complete, datagrams reassembled, a DHCP lease taken)" {
    run env FUZZ_NET_VERBOSE=1 "$FUZZ" "$work/tcp-echo" "$work/frags"
    assert_success
    assert_output --partial "accepts 1"
    assert_output --partial "reassembled 1"
    run env FUZZ_NET_VERBOSE=1 "$FUZZ" "$work/dhcp"
    assert_success
    assert_output --partial "address 0a00004d"   # leased, then answers ping
    assert_output --partial "echo 1"
}

# A fixed seed and run count: the same inputs on every machine, so a red
# CI names a reproducible input (MIRLEFT_FUZZ_SEED=0 picks a random seed).
@test "fuzz net: 150,000-input smoke run, fixed seed, no crash, leak, UB or timer left behind" {
    run "$FUZZ" -seed="${MIRLEFT_FUZZ_SEED:-1}" -runs=150000 -max_total_time=300 \
        -timeout=5 -rss_limit_mb=1024 -artifact_prefix="$work/" "$work"
    fuzz_verdict
    refute_output --partial "ERROR: AddressSanitizer"
    refute_output --partial "runtime error:"
    refute_output --partial "ERROR: LeakSanitizer"
    refute_output --partial "outlive the stack"
}
