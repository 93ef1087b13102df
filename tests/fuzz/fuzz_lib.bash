# What fuzz.bats and net.bats share: a fuzzer run on a copy of its corpus
# (the tree is never modified), a smoke run with a fixed seed and input
# count, and a verdict that shows the report's end only.

# fuzz_setup NAME CORPUS: FUZZ is build/fuzz/NAME, work a copy of
# tests/fuzz/corpus/CORPUS; skips (saying why) when the fuzzer is not built.
fuzz_setup() {
    FUZZ="$MIRLEFT_SRC/build/fuzz/$1"
    [ -x "$FUZZ" ] || skip "build/fuzz/$1 not built (needs clang and libclang-rt-14-dev; run make unit)"
    work=$(mktemp -d)
    cp "$MIRLEFT_SRC/tests/fuzz/corpus/$2"/* "$work/"
}

fuzz_teardown() {
    [ -n "${work:-}" ] && rm -rf "$work"
}

# fuzz_smoke RUNS: RUNS inputs from a fixed seed, so every machine tries
# the same ones and a red CI names a reproducible input
# (MIRLEFT_FUZZ_SEED=N picks another seed, 0 a random one).
fuzz_smoke() {
    run "$FUZZ" -seed="${MIRLEFT_FUZZ_SEED:-1}" -runs="$1" -max_total_time=300 \
        -timeout=5 -rss_limit_mb=1024 -artifact_prefix="$work/" "$work"
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
