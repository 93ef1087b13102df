#!/usr/bin/env bats
# The hello template end to end on spt, as a new user would go: new,
# configure, build, run; its output, exit status, --help and arguments.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR

setup_file() {
    cd "$BATS_FILE_TMPDIR" || return 1
    "$SRC/build/mirleft" new hello >/dev/null
    cd hello || return 1
    "$SRC/build/mirleft" configure >/dev/null
    "$SRC/build/mirleft" build >/dev/null
}

setup() {
    cd "$BATS_FILE_TMPDIR/hello" || return 1
}

@test "new, configure and build gave the image" {
    assert [ -f unikernel.yml ]
    assert [ -f _build/spt/main.c ]
    assert [ -f dist/hello.spt ]
}

@test "hello prints Hello World!, ticks 3 times on its timer and exits 0" {
    start=$(date +%s%N)
    run --separate-stderr mirleft run
    elapsed_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    assert_success
    assert_equal "${#lines[@]}" 4
    assert_line --index 0 "Hello World!"
    assert_line --index 1 --regexp '^tick 3 \([0-9]+ ms\)$'
    assert_line --index 2 --regexp '^tick 2 \([0-9]+ ms\)$'
    assert_line --index 3 --regexp '^tick 1 \([0-9]+ ms\)$'
    assert_equal "$stderr" ""
    # three ticks 100 ms apart: the timer really waited
    [ "$elapsed_ms" -ge 300 ]
}

@test "the ticks are --interval apart on the monotonic clock" {
    run mirleft run --no-build -- --ticks=4 --interval=50
    assert_success
    ms=($(printf '%s\n' "${lines[@]}" | sed -n 's/^tick [0-9]* (\([0-9]*\) ms)$/\1/p'))
    assert_equal "${#ms[@]}" 4
    # The timer keeps its schedule (a late tick makes the next gap shorter),
    # so check the span of the three periods rather than each gap: robust
    # under load, yet still fails if --interval were ignored (100 ms).
    span=$(( ms[3] - ms[0] ))
    [ "$span" -ge 145 ] && [ "$span" -le 260 ] || fail "ticks span $span ms, expected about 150"
}

@test "the image runs straight under mirleft-spt too" {
    run mirleft-spt --mem=32 dist/hello.spt --ticks=0
    assert_success
    assert_output "Hello World!"
}

@test "--hello=Hi there prints Hi there" {
    run mirleft run --no-build -- "--hello=Hi there" --ticks=0
    assert_success
    assert_output "Hi there"
}

@test "a bad --ticks value is refused by the app with status 2" {
    run mirleft run --no-build -- --ticks=-1
    assert_failure 2
    assert_output --partial "--ticks must be >= 0"
}

@test "--help lists the arguments and exits 0" {
    run mirleft run --no-build -- --help
    assert_success
    assert_line --index 0 "usage: hello [--NAME=VALUE ...]"
    assert_line "  --hello=string  the greeting to print (default: Hello World!)"
    assert_line --regexp '^  --help  '
    refute_output --partial "Hello World!
"
}

@test "a bad argument exits non-zero and names it" {
    run mirleft run --no-build -- --helo=x
    assert_failure 2
    assert_output "hello: unknown argument --helo; did you mean --hello? (--help lists the arguments)"
    run mirleft run --no-build -- --hello
    assert_failure 2
    assert_output --partial "--hello"
}

@test "printf-float: off by default (conversions print as written), on when asked" {
    cd "$BATS_TEST_TMPDIR"
    mirleft new pf >/dev/null
    cd pf
    printf '#include <stdio.h>\n#include "devices.h"\nint start(struct devices *d, const struct args *a)\n{ (void)d; (void)a; printf("pi=%%.3f e=%%g n=%%d\\n", 3.14159, 2.71828, 7); return 0; }\n' > unikernel.c
    run mirleft run
    assert_success
    assert_line "pi=%.3f e=%g n=7"
    echo "printf-float: true" >> unikernel.yml
    run mirleft run
    assert_success
    assert_line "pi=3.142 e=2.71828 n=7"
    sed -i 's/^printf-float: true$/printf-float: yes/' unikernel.yml
    run mirleft check
    assert_failure 3
    assert_output --partial "printf-float: expected true or false, found 'yes'"
}
