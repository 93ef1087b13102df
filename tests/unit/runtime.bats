#!/usr/bin/env bats
# The guest runtime's host unit tests (built by `make unit`; see tests.mk).
# Each program compares the runtime against glibc or a model and prints
# "NAME: N checks, M failures".

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

UT="$MIRLEFT_SRC/build/tests/unit"

run_unit() {
    local bin="$UT/test_$1"
    [ -x "$bin" ] || bin="$UT/$1"
    [ -x "$bin" ] || skip "build/tests/unit/test_$1 not built (make unit)"
    run "$bin" "${@:2}"
    assert_success
    assert_output --partial "$1: "
    assert_output --partial " 0 failures"
}

@test "printf family matches glibc on random formats, widths, precisions, lengths" {
    run_unit printf 50000
}

@test "printf: a second random seed" {
    run_unit printf 50000 0x1234567
}

@test "strtol family matches glibc: value, errno, end pointer, every base" {
    run_unit strtol 100000
}

@test "string.h, ctype.h, qsort, bsearch, strerror match glibc" {
    run_unit string
}

@test "heap: random alloc/free/realloc with pattern checks, OOM, fatal paths" {
    run_unit heap 200000
    assert_output --partial "fragmentation: "
}

@test "heap: full consistency walk after every operation" {
    run_unit heap 30000 0xabcdef 1
}

@test "timers and event loop on a fake platform" {
    run_unit loop
}

# smoke32 is an i386 program: the kernel runs it where it has IA32
# emulation; elsewhere (exec refused: status 126) QEMU's user-mode
# emulation does, so the 32-bit checks always run.
@test "32-bit ABI smoke test: printf lengths, strtol limits, heap, timers" {
    run "$UT/smoke32"
    if [ "$status" -eq 126 ]; then
        command -v qemu-i386 >/dev/null ||
            fail "no IA32 emulation in this kernel and no qemu-i386 (apt-get install qemu-user)"
        echo "# no IA32 emulation in this kernel: smoke32 runs under qemu-i386" >&3
        run qemu-i386 "$UT/smoke32"
    fi
    assert_success
    assert_output --partial "smoke32: "
    assert_output --partial " 0 failures"
}
