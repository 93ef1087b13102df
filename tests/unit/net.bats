#!/usr/bin/env bats
# Host unit tests of the net device and the net-ping template's packet
# handling (built by `make unit`; see net.mk). The program prints
# "net: N checks, M failures".

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

UT="$MIRLEFT_SRC/build/tests/unit"

@test "net device and net-ping: budgeted loop-driven receive, write checks, stats; ARP and echo replies, malformed frames ignored, --limit" {
    [ -x "$UT/test_net" ] || skip "build/tests/unit/test_net not built (make unit)"
    run "$UT/test_net" 3000
    assert_success
    assert_output --partial "net: "
    assert_output --partial " 0 failures"
}
