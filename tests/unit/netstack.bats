#!/usr/bin/env bats
# Host unit tests of the network stack (share/lib/net; see netstack.mk).
# Each program prints "NAME: N checks, M failures".

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

UT="$MIRLEFT_SRC/build/tests/unit"

run_unit() {
    [ -x "$UT/$1" ] || skip "build/tests/unit/$1 not built (make unit)"
    run "$UT/$@"
    assert_success
    assert_output --partial " 0 failures"
}

@test "net checksum: optimised sum equals the RFC 1071 reference at every length and alignment; RFC 1624 updates" {
    run_unit test_csum 20000
}

@test "net stack: ARP, ICMP echo, UDP, port unreachable, ARP queue, gateway, reassembly bounds and timeout, random frames" {
    run_unit test_stack 5000
}

@test "net tcp: handshakes (passive, active, simultaneous), delayed ACK, Nagle, RTO backoff, fast retransmit, out-of-order and hole flood, RFC 5961, backlog, persist, back-pressure, keepalive, TIME-WAIT bound, nothing leaks" {
    run_unit test_tcp
}
