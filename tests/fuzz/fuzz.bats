#!/usr/bin/env bats
# Smoke run of the config-loader fuzzer under ASan/UBSan (see README.md for
# a long run). Runs on a copy of the corpus so the tree is not modified.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

FUZZ="$MIRLEFT_SRC/build/fuzz/fuzz_config"

setup() {
    [ -x "$FUZZ" ] || skip "build/fuzz/fuzz_config not built (needs clang and libclang-rt-14-dev; run make unit)"
    work=$(mktemp -d)
    cp "$MIRLEFT_SRC"/tests/fuzz/corpus/config/* "$work/"
}

teardown() {
    [ -n "${work:-}" ] && rm -rf "$work"
}

@test "fuzz: config loader survives every seed input" {
    run "$FUZZ" -runs=0 "$work"
    assert_success
    assert_output --partial "INITED"
}

@test "fuzz: config loader, 20-second smoke run, no crash, leak or UB" {
    run "$FUZZ" -max_total_time=20 -timeout=5 -rss_limit_mb=1024 \
        -artifact_prefix="$work/" "$work"
    assert_success
    refute_output --partial "ERROR: AddressSanitizer"
    refute_output --partial "runtime error:"
    refute_output --partial "ERROR: LeakSanitizer"
}
