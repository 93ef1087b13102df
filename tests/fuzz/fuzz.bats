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

@test "fuzz: config loader survives every seed input" {
    run "$FUZZ" -runs=0 "$work"
    assert_success
    assert_output --partial "INITED"
}

# A fixed seed and run count: the same inputs on every machine, so a red
# CI names a reproducible input (MIRLEFT_FUZZ_SEED=0 picks a random seed).
@test "fuzz: config loader, 100,000-input smoke run, fixed seed, no crash, leak or UB" {
    run "$FUZZ" -seed="${MIRLEFT_FUZZ_SEED:-1}" -runs=100000 -max_total_time=300 \
        -timeout=5 -rss_limit_mb=1024 -artifact_prefix="$work/" "$work"
    fuzz_verdict
    refute_output --partial "ERROR: AddressSanitizer"
    refute_output --partial "runtime error:"
    refute_output --partial "ERROR: LeakSanitizer"
}
