#!/usr/bin/env bats
# Unit tests of the tool's modules: each program exits non-zero and names
# the failing check on failure.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

B="$MIRLEFT_SRC/build/tests/unit"

@test "unit: version parsing and numeric comparison" {
    run "$B/test_tool_version"
    assert_success
}

@test "unit: config loader errors, positions and exit codes" {
    run "$B/test_tool_config"
    assert_success
}

@test "unit: resolver (order, deps, cycles, targets) and generators" {
    run "$B/test_tool_resolve"
    assert_success
}

@test "unit: lexical path normalisation" {
    run "$B/test_tool_fsutil"
    assert_success
}

@test "unit: SHA-256 vectors; the SHA-extension and portable paths agree; files match sha256sum" {
    run "$B/test_tool_digest"
    assert_success
    assert_output --partial "digest: SHA extensions"
}
