#!/usr/bin/env bats
# Smoke run of the network stack's receive-path fuzzer under ASan/UBSan
# (see README.md for a long run). Runs on a copy of the corpus so the
# tree is not modified.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

load fuzz_lib

setup() {
    fuzz_setup fuzz_net net
}

teardown() {
    fuzz_teardown
}

@test "fuzz net: every seed (ARP, ping, UDP, fragments, TCP handshakes, out-of-order, slow reader, active open) runs clean" {
    run "$FUZZ" -runs=0 "$work"
    assert_success
    assert_output --partial "INITED"
}

@test "fuzz net: the seeds reach what they are for (handshakes complete, datagrams reassembled, a DHCP lease taken, ICMP errors matched)" {
    run env FUZZ_NET_VERBOSE=1 "$FUZZ" "$work/tcp-echo" "$work/frags"
    assert_success
    assert_output --partial "accepts 1"
    assert_output --partial "reassembled 1"
    run env FUZZ_NET_VERBOSE=1 "$FUZZ" "$work/dhcp"
    assert_success
    assert_output --partial "address 0a00004d"   # leased, then answers ping
    assert_output --partial "echo 1"
    run env FUZZ_NET_VERBOSE=1 "$FUZZ" "$work/tcp-sack"
    assert_success
    assert_output --regexp "accepts 1 retransmits [1-9]"
    run env FUZZ_NET_VERBOSE=1 "$FUZZ" "$work/icmp-errors"
    assert_success
    assert_output --partial "icmp errors 3"
}

@test "fuzz net: 150,000-input smoke run, fixed seed, no crash, leak, UB or timer left behind" {
    fuzz_smoke 150000
    fuzz_verdict
    refute_output --partial "ERROR: AddressSanitizer"
    refute_output --partial "runtime error:"
    refute_output --partial "ERROR: LeakSanitizer"
    refute_output --partial "outlive the stack"
}
