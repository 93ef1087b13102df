#!/usr/bin/env bats
# Host unit tests of the block and kv_ro devices and SHA-256 (built by
# `make unit`; see devices.mk). Each program prints "NAME: N checks, M
# failures".

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

UT="$MIRLEFT_SRC/build/tests/unit"

run_unit() {
    local bin="$UT/test_$1"
    [ -x "$bin" ] || skip "build/tests/unit/test_$1 not built (make unit)"
    run "$bin" "${@:2}"
    assert_success
    assert_output --partial "$1: "
    assert_output --partial " 0 failures"
}

@test "sha256: NIST vectors, sha256sum on every length near the padding edges, split updates" {
    run_unit sha256
}

@test "block: geometry, refusals never reach the platform, sync reads, async queue from the loop in order" {
    run_unit block
}

@test "kv_ro: crunch tree, GNU tar's five formats on 512/4096-byte sectors, hand-made and hostile headers" {
    run_unit kvro 3000
    assert_output --partial "fuzz: 3000 rounds"
}

@test "random: ChaCha20 (RFC 8439 vectors), the generator's construction, SipHash-2-4 (paper vectors), stuck and absent sources refused with a warning" {
    run_unit random
}
