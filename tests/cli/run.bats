#!/usr/bin/env bats
# mirleft run: the unikernel's exit status and output, its arguments after
# --, --no-build, and the device-binding options. The app prints --hello and
# returns --code (default 7); it is built once in setup_file.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

write_run_app() {
    cat >unikernel.c <<'EOF'
#include <stdio.h>

#include "devices.h"

int start(struct devices *dev, const struct args *args)
{
    (void)dev;
    printf("%s\n", args->hello);
    return (int)args->code;
}
EOF
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
args:
  hello: { type: string, default: "Hello World!", doc: "what to print" }
  code: { type: int, default: 7, doc: "exit status" }
EOF
}

setup_file() {
    BASE=$BATS_FILE_TMPDIR/base
    mkdir -p "$BASE"
    cd "$BASE" || return 1
    write_run_app
    mirleft build >/dev/null
}

setup() {
    PROJ=$BATS_TEST_TMPDIR/proj
    cp -a "$BATS_FILE_TMPDIR/base" "$PROJ"
    cd "$PROJ" || return 1
    # Catch up with any change to mirleft's own sources since setup_file,
    # so the assertions on make's output see only what the test did.
    mirleft build >/dev/null
}

@test "run propagates the unikernel's exit status (start returns 7)" {
    run --separate-stderr mirleft run
    assert_failure 7
    assert_output "Hello World!"
    assert_equal "$stderr" ""
}

@test "arguments after -- reach the unikernel" {
    run mirleft run -- --code=0
    assert_success
    assert_output "Hello World!"
    run mirleft run -- "--hello=Hi there" --code=3
    assert_failure 3
    assert_output "Hi there"
}

@test "-- --help lists the unikernel's arguments and exits 0" {
    run mirleft run -- --help
    assert_success
    assert_output "usage: proj [--NAME=VALUE ...]
  --hello=string  what to print (default: Hello World!)
  --code=int  exit status (default: 7)
  --log=LEVEL  log level: error, warn, info, debug (default: info)
  --help  show this help and exit"
}

@test "a bad runtime argument: the unikernel exits 2 naming the argument" {
    run mirleft run -- --code=seven
    assert_failure 2
    assert_output --regexp '^proj: .*--code'
    refute_output --partial "Hello World!"
    run mirleft run -- --colour=red
    assert_failure 2
    assert_output "proj: unknown argument --colour (--help lists the arguments)"
    run mirleft run -- --hello
    assert_failure 2
    assert_output "proj: --hello needs a value: --hello=string"
}

@test "run builds first when the source changed; the build talks on stderr, ending with the image and its size" {
    sed -i 's/return (int)args->code;/return 5;/' unikernel.c
    run --separate-stderr mirleft run
    assert_failure 5
    assert_output "Hello World!"
    size=$(stat -c %s dist/proj.spt)
    [[ "$stderr" == *"CC      unikernel.c"$'\n'"  LD      proj.spt"$'\n'"mirleft: built dist/proj.spt ($size bytes)" ]] ||
        fail "stderr: $stderr"
    # nothing rebuilt: no build line at all
    run --separate-stderr mirleft run
    assert_failure 5
    assert_equal "$stderr" ""
}

@test "--no-build runs the existing image without compiling" {
    sed -i 's/return (int)args->code;/return 5;/' unikernel.c
    run mirleft run --no-build
    assert_failure 7
    assert_output "Hello World!"
    refute [ unikernel.c -ot dist/proj.spt ]
}

@test "--no-build without an image: exit 1, says to build" {
    rm -rf dist
    run mirleft run --no-build
    assert_failure 1
    assert_output "mirleft: $PROJ/dist/proj.spt does not exist: run mirleft build -t spt"
}

@test "--mem MIB is passed to the tender; a bad value is exit 2" {
    run mirleft run --mem 64 --no-build -- --code=0
    assert_success
    run mirleft run --mem 0
    assert_failure 2
    assert_output "mirleft run: --mem: expected MiB from 1 to 65536, got '0'
Try 'mirleft help run'."
}

@test "--block / --net need NAME=VALUE: exit 2" {
    run mirleft run --block disk
    assert_failure 2
    assert_output "mirleft run: --block: expected NAME=VALUE, got 'disk'
Try 'mirleft help run'."
    run mirleft run --net =tap0
    assert_failure 2
    assert_output "mirleft run: --net: expected NAME=VALUE, got '=tap0'
Try 'mirleft help run'."
    run mirleft run --block disk=
    assert_failure 2
    assert_line --index 0 "mirleft run: --block: expected NAME=VALUE, got 'disk='"
}

@test "--block / --net for a device the project does not have: exit 2 with a hint" {
    run mirleft run --no-build --block disk=/tmp/disk.img
    assert_failure 2
    assert_output "mirleft: no block device named 'disk' in proj
hint: proj declares no block devices"
    run mirleft run --no-build --net service=tap0
    assert_failure 2
    assert_output "mirleft: no net device named 'service' in proj
hint: proj declares no net devices"
}

@test "--net / --block with a misspelt device name: exit 2 and the nearest name, before anything is attached" {
    cd "$BATS_TEST_TMPDIR"
    mirleft new -T udp-echo netproj >/dev/null
    cd netproj
    run mirleft run --no-build --net servce=tap0
    assert_failure 2
    assert_output "mirleft: no net device named 'servce' in netproj
hint: did you mean 'service'?"
    run mirleft run --no-build --net service=tap0 --block service=/tmp/x.img
    assert_failure 2
    assert_output "mirleft: no block device named 'service' in netproj
hint: netproj declares no block devices"
    run mirleft run --no-build --net uplink=tap0
    assert_failure 2
    assert_output "mirleft: no net device named 'uplink' in netproj
hint: the net devices are: service"
}

@test "run for a planned target: exit 5" {
    run mirleft run -t xen
    assert_failure 5
    assert_output "mirleft: target 'xen' is described but not buildable yet (status: planned)"
}

@test "run with an invalid config: exit 3, nothing run" {
    echo "bogus: 1" >>unikernel.yml
    run mirleft run
    assert_failure 3
    assert_line --index 0 "unikernel.yml:9:1: error: unknown key 'bogus'"
    refute_output --partial "Hello"
}

@test "a unikernel killed by a signal: 128+signal and a message" {
    # the address comes from --code so the compiler cannot see it is bad
    sed -i 's/return (int)args->code;/return *(volatile int *)(uintptr_t)args->code;/' unikernel.c
    mirleft build >/dev/null
    run --separate-stderr mirleft run --no-build -- --code=8
    assert_failure 139
    assert_equal "$stderr" "mirleft: the unikernel was killed by SIGSEGV: a memory access fault (bad pointer, or a write to read-only memory)"
}

@test "an unknown option: exit 2" {
    run mirleft run --hello=x
    assert_failure 2
    assert_line "Try 'mirleft help run'."
}

@test "the unikernel's --help needs no device attached: a net template lists its arguments without a tap" {
    cd "$BATS_TEST_TMPDIR"
    mirleft new -T udp-echo ue >/dev/null
    cd ue
    run --separate-stderr mirleft run -- --help
    assert_success
    assert_output --partial "--ipv4"
    # without --help the tap is still required
    run mirleft run --no-build
    assert_failure 2
    assert_output --partial "net device 'service' needs a tap interface"
}
