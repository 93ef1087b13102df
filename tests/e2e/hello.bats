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

@test "hello prints Hello World! and exits 0" {
    run --separate-stderr mirleft run
    assert_success
    assert_output "Hello World!"
    assert_equal "$stderr" ""
}

@test "the image runs straight under mirleft-spt too" {
    run mirleft-spt --mem=32 dist/hello.spt
    assert_success
    assert_output "Hello World!"
}

@test "--hello=Hi there prints Hi there" {
    run mirleft run --no-build -- "--hello=Hi there"
    assert_success
    assert_output "Hi there"
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
