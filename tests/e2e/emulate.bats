#!/usr/bin/env bats
# mirleft-vm (the emulated Linux VM that gives a tender /dev/kvm where the
# host has none) and `mirleft run`'s statuses around it: the command's
# output, arguments and status come back; signals reach it; a timeout
# stops it; bad options are refused; `mirleft run -t hvt --emulate` runs
# hello, its arguments, a disk and an exit status; a runner that fails
# before the guest starts gives 125, with what to do about a missing
# /dev/kvm. Real QEMU, real Debian kernel (fetched once into the cache).

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
VM=$SRC/build/mirleft-vm
unset MIRLEFT_DATADIR

setup_file() {
    make -C "$SRC" -s build/mirleft build/mirleft-vm build/mirleft-hvt build/mirleft-spt >&2
    # the kernel download and the initramfs, once (and said, if it fails)
    "$VM" prepare -q --module kvm_amd >&2
    cd "$BATS_FILE_TMPDIR" || return 1
    mirleft new -T hello hello >/dev/null
    (cd hello && mirleft build -t hvt >/dev/null 2>&1 && mirleft build >/dev/null 2>&1)
    mirleft new -T block block >/dev/null
    (cd block && mirleft build -t hvt >/dev/null 2>&1)
}

setup() {
    cd "$BATS_TEST_TMPDIR" || return 1
}

@test "mirleft-vm: the command's stdout, stderr and status come back apart; the host's files are there, read-only" {
    run --separate-stderr "$VM" run -q -- sh -c 'echo "out $(hostname)"; echo err >&2; cat /etc/debian_version; touch /etc/x 2>/dev/null || echo ro; exit 7'
    assert_failure 7
    assert_line --index 0 "out mirleft-vm"
    assert_line --index 1 "$(cat /etc/debian_version)"
    assert_line --index 2 "ro"
    assert_equal "$stderr" "err"
}

@test "mirleft-vm: --rw directories are writable, --tmpfs ones are the VM's own, -C and the environment carry over" {
    mkdir w t
    echo host >t/f
    run env MLVM_TEST='it'"'"'s $HOME' "$VM" run -q --rw w --tmpfs t -C w -- \
        sh -c 'echo "$MLVM_TEST" >here; pwd; ls ../t | wc -l'
    assert_success
    assert_line --index 0 "$PWD/w"
    assert_line --index 1 0
    assert_equal "$(cat w/here)" 'it'"'"'s $HOME'
    assert_equal "$(cat t/f)" host
}

@test "mirleft-vm: --module kvm_amd gives the command a /dev/kvm that runs an hvt guest" {
    run "$VM" run -q --module kvm_amd -- mirleft-hvt --mem=2 "$SRC/build/tests/hvt/hello.hvt" exit=9
    assert_failure 9
    assert_output --partial "Hello, World"
}

@test "mirleft-vm: SIGTERM reaches the command; --timeout stops a command that hangs (124)" {
    "$VM" run -q -- sh -c 'trap "echo got TERM; exit 3" TERM; echo ready; while :; do sleep 0.1; done' >out 2>&1 &
    pid=$!
    for _ in $(seq 600); do grep -q ready out && break; sleep 0.1; done
    kill -TERM $pid
    st=0
    wait $pid || st=$?
    assert_equal "$st" 3
    run grep "got TERM" out
    assert_success
    run "$VM" run -q --timeout 20 -- sleep 600
    assert_failure 124
    assert_output --partial "did not end within 20 s"
}

@test "mirleft-vm: bad command lines exit 2; an unknown module and a missing QEMU say what to do (125)" {
    run "$VM"
    assert_failure 2
    assert_output --partial "usage: mirleft-vm"
    run "$VM" frobnicate
    assert_failure 2
    assert_output --partial "unknown command 'frobnicate'"
    run "$VM" run -q --mem 12 -- true
    assert_failure 2
    assert_output --partial "--mem: expected a whole number from 64 to 65536, not '12'"
    run "$VM" run -q --rw /no/such/dir -- true
    assert_failure 2
    assert_output --partial "--rw /no/such/dir: No such file or directory"
    run "$VM" run -q
    assert_failure 2
    assert_output --partial "no command given"
    run "$VM" run -q --module no_such_module -- true
    assert_failure 125
    assert_output --regexp "has no module 'no_such_module'"
    run env PATH=/nonexistent "$VM" run -q -- true
    assert_failure 125
    assert_output --partial "qemu-system-x86_64 is not installed: apt-get install qemu-system-x86"
}

@test "run -t hvt --emulate: hello with its arguments and exit status, said to be emulated; stdout is the unikernel's only" {
    cd "$BATS_FILE_TMPDIR/hello"
    run --separate-stderr mirleft run -t hvt --emulate --no-build -- --hello=Emulated --ticks=1
    assert_success
    assert_line --index 0 "Emulated"
    assert_line --index 1 --regexp '^tick 1 \(1[0-4][0-9] ms\)$'
    assert_equal "${#lines[@]}" 2
    [[ "$stderr" == *"running in an emulated VM"* ]]
    run mirleft run -t hvt --emulate --no-build -- --ticks=-1
    assert_failure 2
    assert_output --partial -- "--ticks must be >= 0"
}

@test "run -t hvt --emulate: the block template's disk is written through, the same digest as on the host" {
    cd "$BATS_FILE_TMPDIR/block"
    rm -f _build/hvt/disk.img
    run --separate-stderr mirleft run -t hvt --emulate --no-build
    assert_success
    assert_line "OK"
    digest=$(printf '%s\n' "${lines[@]}" | sed -n 's/^disk sha256  //p')
    assert_equal "$digest" "$(sha256sum _build/hvt/disk.img | cut -d' ' -f1)"
}

@test "run --emulate is refused for a target that needs nothing from the host (exit 2)" {
    cd "$BATS_FILE_TMPDIR/hello"
    run mirleft run --emulate --no-build
    assert_failure 2
    assert_output --partial "target spt runs without an emulated VM"
}

@test "run: a tender that fails before the guest starts gives 125, not the unikernel's 1" {
    cd "$BATS_FILE_TMPDIR/block"
    run mirleft run -t hvt --no-build --block disk=/no/such/disk.img
    assert_failure 125
    assert_output --partial "the unikernel did not start: "
    # the unikernel's own failing status stays its own
    cd "$BATS_FILE_TMPDIR/hello"
    run mirleft run -t hvt --no-build -- --ticks=-1
    assert_failure 2
    refute_output --partial "did not start"
    run mirleft run --no-build -- --ticks=-1
    assert_failure 2
}

@test "run -t hvt without /dev/kvm: what is missing and what to do, exit 125" {
    [ "$(id -u)" -eq 0 ] || skip "needs root (a mount namespace without /dev/kvm)"
    command -v unshare >/dev/null || skip "no unshare(1)"
    cd "$BATS_FILE_TMPDIR/hello"
    run unshare -m sh -c 'mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 &&
        exec mirleft run -t hvt --no-build'
    assert_failure 125
    assert_output --partial "/dev/kvm cannot be used: No such file or directory"
    assert_output --partial "hint: load KVM"
    assert_output --partial "hint: or run it in an emulated VM, slowly: mirleft run -t hvt --emulate"
}

@test "run: ml_exit with a status outside 0..124 says so and exits 255" {
    cp -r "$BATS_FILE_TMPDIR/hello" h2
    cd h2
    python3 - <<'PY'
s = open('unikernel.c').read()
s = s.replace('    printf("%s\\n", args->hello);', '    printf("%s\\n", args->hello);\n    if (args->ticks == 77)\n        ml_exit(125);', 1)
s = '#include <mirleft/runtime.h>\n' + s
open('unikernel.c', 'w').write(s)
PY
    run mirleft run -- --ticks=77
    assert_failure 255
    assert_output --partial "exit status 125 is outside 0..124"
}
