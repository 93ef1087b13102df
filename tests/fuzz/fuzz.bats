#!/usr/bin/env bats
# Smoke run of the config-loader fuzzer under ASan/UBSan (see README.md for
# a long run). Runs on a copy of the corpus so the tree is not modified.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

load fuzz_lib

setup() {
    fuzz_setup fuzz_config config
}

teardown() {
    fuzz_teardown
}

@test "fuzz: config loader survives every seed input" {
    run "$FUZZ" -runs=0 "$work"
    assert_success
    assert_output --partial "INITED"
}

@test "fuzz: config loader, 100,000-input smoke run, fixed seed, no crash, leak or UB" {
    fuzz_smoke 100000
    fuzz_verdict
    refute_output --partial "ERROR: AddressSanitizer"
    refute_output --partial "runtime error:"
    refute_output --partial "ERROR: LeakSanitizer"
}
