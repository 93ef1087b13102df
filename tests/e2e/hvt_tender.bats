#!/usr/bin/env bats
# mirleft-hvt and the hvt bindings, end to end on KVM: guest output and
# exit status, ring-3 faults reported by the ring-0 stub, SSE results,
# hostile hypercalls and unbacked memory refused by the tender, an idle
# guest costing no CPU, the tender's checks and Solo5's messages, and every
# template built with `mirleft build -t hvt` and run. Kept short: on
# software KVM (kvm_pvm) every VM exit is tens of microseconds.
# needs: kvm
# (tests/run runs this file natively where /dev/kvm works and inside an
# emulated VM elsewhere; its projects are built by hvt_prep.bash first.)

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
HVT=$SRC/build/mirleft-hvt
G=$SRC/build/tests/hvt
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR
GUESTS="hello traps hostile hostile0 blk maxdev net bigbss floor unbacked entry triple hlt sse0"

# Why hvt guests cannot run here, or nothing.
kvm_missing() {
    [ -e /dev/kvm ] || { echo "no /dev/kvm (KVM not available)"; return; }
    [ -r /dev/kvm ] && [ -w /dev/kvm ] ||
        { echo "/dev/kvm is not readable and writable by $(id -un)"; return; }
    "$HVT" --mem=2 "$G/floor.hvt" >/dev/null 2>"$BATS_FILE_TMPDIR/kvm.err" ||
        echo "/dev/kvm is not usable: $(head -1 "$BATS_FILE_TMPDIR/kvm.err")"
}

setup_file() {
    local targets="build/mirleft-hvt build/mirleft build/tests/spt/elfpatch"
    targets="$targets build/tests/spt/hello.spt"
    for g in $GUESTS; do targets="$targets build/tests/hvt/$g.hvt"; done
    # shellcheck disable=SC2086
    make -C "$SRC" -s $targets >&2
    if [ -z "${MIRLEFT_TEST_PREP:-}" ]; then
        export MIRLEFT_TEST_PREP=$BATS_FILE_TMPDIR/prep
        "$SRC/tests/e2e/hvt_prep.bash" "$MIRLEFT_TEST_PREP" >&2
    fi
    if [ -n "${MIRLEFT_TEST_VM:-}" ]; then
        echo "# hvt: in an emulated VM (QEMU TCG, nested KVM)" >&3
    fi
}

setup() {
    cd "$BATS_TEST_TMPDIR" || return 1
    why=$(kvm_missing)
    [ -z "$why" ] || skip "$why"
}

hvt() {
    run "$HVT" "$@"
}

# A copy of guest $1 with elfpatch $2... applied, as ./p.hvt.
patched() {
    local g=$1
    shift
    cp "$G/$g.hvt" p.hvt
    "$SRC/build/tests/spt/elfpatch" p.hvt "$@"
}

refused() {
    assert_failure 1
    assert_output --partial "$1"
}

# ---- running guests --------------------------------------------------------

@test "hvt: hello prints, sees its command line and exits 0; exit status propagates" {
    hvt --mem=32 "$G/hello.hvt" Hello_Solo5 two  words
    assert_success
    assert_output --partial "Hello, World"
    assert_output --partial "Command line is: 'Hello_Solo5 two words'"
    assert_output --partial "SUCCESS"
    hvt --mem=32 "$G/hello.hvt" exit=42
    assert_failure 42
    hvt -- "$G/hello.hvt" --solo5:quiet --solo5:debug exit=3 --solo5:info
    assert_failure 3
    assert_output --partial "Command line is: 'exit=3 --solo5:info'"
    refute_output --partial "Solo5:"
}

@test "hvt: a raw ring-0 guest (as Solo5-built images run) finds the entry state of the ABI" {
    hvt --mem=32 "$G/entry.hvt"
    assert_success
    assert_output "entry state OK"
    hvt --mem=2 "$G/entry.hvt"
    assert_success
}

@test "hvt: runs in 2 MiB of memory; .bss beyond memory is refused by the bindings" {
    hvt --mem=2 "$G/hello.hvt"
    assert_success
    assert_output --partial "SUCCESS"
    hvt --mem=2 "$G/bigbss.hvt"
    assert_failure 255
    assert_output --partial "not enough memory"
    hvt --mem=8 "$G/bigbss.hvt"
    assert_success
}

@test "hvt: heap, TSC clock, 100 ms yields and the wall clock" {
    hvt --mem=32 "$G/traps.hvt" heap
    assert_success
    assert_output --partial "heap 0x"
    hvt --mem=32 "$G/traps.hvt" time
    assert_success
    assert_output --partial "SUCCESS"
}

@test "hvt: SSE and x87 in ring 3 give the right results" {
    hvt --mem=32 "$G/traps.hvt" fpu
    assert_success
    assert_output --partial "squares 2.250000 4.000000 9.000000 0.062500"
    assert_output --partial "1.5*5.0=7.500000 sqrt2=1.414214 3pi=9.424778 sum=1008.000000"
    assert_output --partial "SUCCESS"
}

@test "hvt: ring-3 exceptions are reported with vector, error code, CR2 and registers; 255" {
    for t in "pf:#PF page fault (vector 14):cr2=0x400000000:error=0x6" \
             "zeropage:#PF page fault (vector 14):cr2=0x8:error=0x6" \
             "xnow:#PF page fault (vector 14):cr2=0x10:error=0x7" \
             "stubpage:#PF page fault (vector 14):cr2=0x100000:error=0x7" \
             "bootinfo:#PF page fault (vector 14):cr2=0x10000:error=0x7" \
             "ud:#UD invalid opcode (vector 6):cr2=:error=0x0" \
             "de:#DE divide error (vector 0):cr2=:error=0x0" \
             "gp:#GP general protection (vector 13):cr2=:error=0x0" \
             "int3:#BP breakpoint (vector 3):cr2=:error=0x0"; do
        IFS=: read -r mode what cr2 ec <<<"$t"
        hvt --mem=32 "$G/traps.hvt" "$mode"
        assert_failure 255
        assert_output --partial "mirleft: trap: $what in ring 3"
        assert_output --partial "$ec rip=0x"
        assert_output --partial " $cr2"
        assert_output --regexp "rax=0x[0-9a-f]+ rbx=0x[0-9a-f]+ .* r15=0x"
        assert_output --partial "mirleft: ABORT: fatal trap"
        refute_output --partial "still alive"
    done
    hvt --mem=32 "$G/traps.hvt" zeropage
    assert_output --partial "cr2=0x8 (not present, write from ring 3)"
    hvt --mem=32 "$G/traps.hvt" xnow
    assert_output --partial "(protection violation, write from ring 3)"
}

@test "hvt: stack smashing and ml_plat_abort exit 255 with ABORT" {
    hvt --mem=32 "$G/traps.hvt" smash
    assert_failure 255
    assert_output --partial "ABORT: stack smashing detected"
    hvt --mem=32 "$G/traps.hvt" abort
    assert_failure 255
    assert_output --partial "ABORT: ml_plat_abort() called"
}

@test "hvt: a guest touching unbacked memory is stopped as a guest fault" {
    hvt --mem=32 "$G/unbacked.hvt"
    refused "Guest fault: write of unbacked memory at gpa=0x20000000"
    assert_output --partial "rip=0x"
}

@test "hvt: an idle guest (a 2 s timer) uses next to no CPU; the tender is sandboxed" {
    # The tender's own start-up and exit, which the idle run also pays
    # (heavy where KVM itself is emulated), measured on a guest that
    # ends at once.
    /usr/bin/time -f "%U %S" -o base.txt "$HVT" --mem=32 "$G/traps.hvt" heap >/dev/null
    read -r buser bsys < base.txt
    /usr/bin/time -f "%e %U %S" -o t.txt "$HVT" --mem=32 "$G/traps.hvt" idle > out.txt &
    # The tender's seccomp mode, once it has one (start-up takes longer
    # where KVM is emulated).
    seccomp=
    for _ in $(seq 50); do
        sleep 0.1
        pid=$(pgrep -f "^$HVT --mem=32 $G/traps.hvt idle" | head -1)
        [ -n "$pid" ] || continue
        seccomp=$(awk '/^Seccomp:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
        [ "$seccomp" != 2 ] || break
    done
    wait $!
    grep -q SUCCESS out.txt
    [ "$seccomp" = 2 ]          # filter mode
    read -r wall user sys < t.txt
    echo "wall $wall s, user $user s, sys $sys s; a guest that ends at once: user $buser s, sys $bsys s"
    awk -v w="$wall" -v u="$user" -v s="$sys" -v bu="$buser" -v bs="$bsys" \
        'BEGIN { exit !(w >= 1.9 && (u + s) - (bu + bs) <= 0.1) }'
}

@test "hvt: triple fault, HLT and KVM internal errors are reported as what they are" {
    hvt --mem=32 "$G/triple.hvt"
    refused "KVM: triple fault"
    # The guest's registers, where KVM keeps them (Intel, kvm_pvm); on AMD
    # SVM KVM resets the vCPU first, and the tender says so.
    if [[ "$output" != *"its registers are lost"* ]]; then
        assert_output --regexp "rip=0x[0-9a-f]+ rsp=0x[0-9a-f]+ .* cr3=0x2000"
    fi
    hvt --mem=32 "$G/hlt.hvt"
    refused "the guest executed HLT with interrupts off (unhandled exit)"
    # SSE in ring 0: kvm_pvm cannot emulate it; hardware KVM runs it.
    hvt --mem=32 "$G/sse0.hvt"
    if [ "$status" -ne 0 ]; then
        refused "KVM: internal error exit: suberror=0x1 (KVM could not emulate an instruction"
    fi
}

# ---- hostile guests: the tender refuses, exits 1 and touches nothing -------

hostile() {
    truncate -s 4K d.img
    mkfifo ff 2>/dev/null || true
    exec 5<>ff
    run "$HVT" --mem=32 --block:storage=d.img --net:service0=@5 "$G/hostile.hvt" "$@"
    exec 5>&-
}

@test "hvt: every hypercall with its struct outside guest memory is refused" {
    for nr in 1 2 3 4 5 6 7 8; do
        hostile hc $nr top
        refused "Invalid guest access: gpa=0x2000000"
        hostile hc $nr 0x1fffffff     # struct straddles the end
        refused "Invalid guest access: gpa=0x1fffffff"
        hostile hc $nr 0xffffffff
        refused "Invalid guest access: gpa=0xffffffff"
    done
    for nr in 1 3 4 5 6 7; do         # structs with OUT fields in text
        hostile hc $nr text
        refused "(read-only guest memory)"
    done
}

@test "hvt: hypercall data pointers and lengths outside guest memory are refused" {
    for op in puts nwrite; do
        hostile $op top 1
        refused "Invalid guest access: gpa=0x2000000, sz=1"
        hostile $op 0x1ffffff0 16        # ends exactly at the top
        refused "Invalid guest access: gpa=0x1ffffff0, sz=16"
        hostile $op ok 0xffffffffffffffff
        refused "sz=18446744073709551615"
    done
    hostile bwrite top 512
    refused "Invalid guest access: gpa=0x2000000, sz=512"
    hostile bwrite 0x1ffffe00 512        # ends exactly at the top
    refused "Invalid guest access: gpa=0x1ffffe00, sz=512"
    for op in bread nread; do
        hostile $op top 512
        refused "Invalid guest access: gpa=0x2000000, sz=512"
        hostile $op text 512
        refused "(read-only guest memory)"
        hostile $op 0x1ffffe01 512
        refused "Invalid guest access: gpa=0x1ffffe01"
    done
    hostile halt top
    refused "Invalid guest access: gpa=0x2000000, sz=512"
    hostile halt 0x1ffffe00           # cookie needs 512 bytes
    refused "Invalid guest access: gpa=0x1ffffe00, sz=512"
    run cat d.img
    [ "$(tr -d '\0' < d.img | wc -c)" -eq 0 ]
}

@test "hvt: the 56-byte boot info: no ring offered, manifest and command line placed as Solo5" {
    hostile bootinfo
    assert_success
    assert_output --partial "mem_size 0x2000000 kernel_end 0x"
    assert_output --partial "SUCCESS"
}

@test "hvt: bad handles and block ranges give EINVAL, the guest goes on" {
    hostile handles
    assert_success
    assert_output --partial "SUCCESS"
}

@test "hvt: reserved, unknown and device-less hypercalls; wrong ports, sizes, direction" {
    hostile hc 0 ok
    refused "Invalid guest hypercall: num=0"
    run "$HVT" --mem=32 "$G/hostile0.hvt" bread ok 512
    refused "Invalid guest hypercall: num=5"
    run "$HVT" --mem=32 "$G/hostile0.hvt" nwrite ok 60
    refused "Invalid guest hypercall: num=6"
    hostile outb 0x509
    refused "Invalid guest port access: port=0x509 (out, size 1)"
    hostile outw 0x500
    refused "Invalid guest port access: port=0x500 (out, size 2)"
    hostile inl 0x500
    refused "Invalid guest port access: port=0x500 (in, size 4)"
    # Ports outside the TSS I/O bitmap never reach the tender: #GP.
    hostile outb 0x600
    assert_failure 255
    assert_output --partial "#GP general protection (vector 13) in ring 3"
}

# ---- devices -------------------------------------------------------------

@test "hvt: block read/write, range/alignment/pointer checks, 4096-byte sectors" {
    truncate -s 64K d.img
    hvt --mem=32 --block:storage=d.img "$G/blk.hvt" rw
    assert_success
    assert_output --partial "capacity 65536 block size 512"
    assert_output --partial "SUCCESS"
    hvt --mem=32 --block:storage=d.img --block-sector-size:storage=4096 "$G/blk.hvt" rw
    assert_success
    assert_output --partial "block size 4096"
    hvt --mem=32 --block:storage=d.img "$G/blk.hvt" persist
    assert_success
    [ "$(dd if=d.img bs=1 skip=512 count=8 2>/dev/null)" = "MIRLEFT!" ]
}

@test "hvt: 63 block devices (the manifest maximum)" {
    args=()
    for i in $(seq 0 62); do
        truncate -s 4K s$i.img
        args+=("--block:storage$i=s$i.img")
    done
    hvt --mem=32 "${args[@]}" "$G/maxdev.hvt" maxdev
    assert_success
    assert_output --partial "SUCCESS"
}

@test "hvt: net on an open fd (@FD): read a frame, send one back" {
    mkfifo ff
    truncate -s 4K d.img
    exec 5<>ff
    printf '%060d' 0 > ff
    hvt --mem=32 --net:service0=@5 --net-mac:service0=02:00:00:00:00:07 \
        --block:storage=d.img "$G/net.hvt" wait
    exec 5>&-
    assert_success
    assert_output --partial "MTU is 1500"
    assert_output --partial "MAC is 02:00:00:00:00:07"
    assert_output --partial "frame 60 bytes"
}

# ---- the tender's checks and messages --------------------------------------

@test "hvt: --version, --help, missing KERNEL, unknown option" {
    hvt --version
    assert_success
    assert_output --partial "mirleft-hvt tender, version"
    assert_output --partial "ABI version 2"
    hvt --help
    assert_failure 1
    assert_output --partial "usage: mirleft-hvt"
    assert_output --partial "--block:NAME=PATH"
    hvt
    refused "Missing KERNEL operand"
    hvt --frobnicate "$G/hello.hvt"
    refused "Invalid option: \`--frobnicate'"
}

@test "hvt: --mem: rounded down to 2 MiB, at least 2, at most 4096" {
    hvt --mem=5 "$G/hello.hvt"
    assert_success
    assert_output --partial "adjusting memory to 4 MiB"
    hvt --mem=1 "$G/hello.hvt"
    refused "at least 2 MiB"
    hvt --mem=4098 "$G/hello.hvt"
    refused "at most 4096 MiB"
    hvt --mem=x "$G/hello.hvt"
    refused "Invalid memory size"
}

@test "hvt: missing, undeclared and malformed devices" {
    hvt "$G/blk.hvt"
    refused "Device 'storage' of type BLOCK_BASIC declared but not attached."
    assert_output --partial "All declared devices must be attached"
    hvt --block:nosuch=x "$G/blk.hvt"
    refused "Resource not declared in manifest: 'nosuch'"
    truncate -s 1000 odd.img
    hvt --block:storage=odd.img "$G/blk.hvt"
    refused "Backing storage size must be block aligned"
    hvt --block:storage=odd.img --block-sector-size:storage=521 "$G/blk.hvt"
    refused "Block size must be a multiple of 2 greater than or equal 512"
    hvt --net:service0=@1 --net-mac:service0=02:00:00:00:00 --block:storage=x "$G/net.hvt"
    refused "Malformed MAC address"
}

@test "hvt: bad images: not ELF, truncated, wrong machine, W+X, outside memory" {
    echo "#!/bin/sh" > t.hvt
    hvt t.hvt
    refused "Invalid or unsupported executable"
    head -c 100 "$G/hello.hvt" > t.hvt
    hvt t.hvt
    refused "t.hvt: Invalid or unsupported executable"
    hvt nonexistent.hvt
    refused "nonexistent.hvt: Could not open"
    patched hello machine 183
    hvt p.hvt
    refused "wrong machine type"
    patched hello wx
    hvt --mem=32 p.hvt
    refused "requests WRITE and EXEC permissions"
    patched hello seg-vaddr 0x1000
    hvt --mem=32 p.hvt
    refused "below the guest's minimum address"
    patched hello entry 0x7000000
    hvt --mem=32 p.hvt
    refused "is outside guest memory"
}

@test "hvt: ABI and manifest notes: wrong target or version, missing, invalid" {
    hvt "$SRC/build/tests/spt/hello.spt"
    refused "Executable is not for the solo5-hvt target"
    patched hello abi-version 1
    hvt p.hvt
    refused "Executable requests unsupported ABI version 1"
    patched hello abi-type 7
    hvt p.hvt
    refused "No Solo5 ABI information found in executable"
    patched hello mft-type 7
    hvt p.hvt
    refused "No Solo5 manifest found in executable"
    patched hello mft-entries 2
    hvt p.hvt
    refused "Solo5 manifest is invalid"
}

@test "hvt: image is not executable on the host (PT_INTERP)" {
    run -127 "$G/hello.hvt"
}

# ---- templates built by mirleft for hvt --------------------------------------

# Template $1 as built by hvt_prep.bash, copied to $BATS_FILE_TMPDIR/$1
# (once per file) and entered.
template() {
    local t=$1
    if [ ! -d "$BATS_FILE_TMPDIR/$t" ]; then
        cp -a "$MIRLEFT_TEST_PREP/$t" "$BATS_FILE_TMPDIR/$t" || fail "no prepared $t project"
    fi
    cd "$BATS_FILE_TMPDIR/$t" || return 1
}

@test "hvt: the hello template runs with mirleft run, in 2 MiB, stripped no larger than Solo5's" {
    template hello
    run mirleft run -t hvt --no-build -- --ticks=2 --interval=50
    assert_success
    assert_output --partial "Hello World!"
    # A tick every 50 ms from boot, never early (late by a few ms where
    # the host is loaded or KVM is emulated).
    assert_output --regexp "tick 2 \([5-9][0-9] ms\)"
    assert_output --regexp "tick 1 \(1[0-4][0-9] ms\)"
    run "$HVT" --mem=2 dist/hello.hvt --ticks=0
    assert_success
    run python3 "$SRC/tests/e2e/solo5_conformance.py" dist/hello.hvt hvt
    assert_output "conforms"
    strip -o s.hvt dist/hello.hvt
    size=$(stat -c %s s.hvt)
    echo "stripped hello.hvt: $size bytes"
    [ "$size" -le 34064 ]
    run "$HVT" --mem=2 s.hvt --ticks=0
    assert_success
}

@test "hvt: images mirleft builds run under the stock solo5-hvt too" {
    command -v solo5-hvt >/dev/null || skip "no solo5-hvt on PATH"
    template hello
    run solo5-hvt --mem=4 dist/hello.hvt --ticks=0
    assert_success
    assert_output --partial "Hello World!"
    run solo5-hvt --mem=4 "$G/traps.hvt" fpu
    assert_success
    assert_output --partial "SUCCESS"
}

@test "hvt: the block template: geometry, refusals, three passes, digest" {
    template block
    rm -f _build/hvt/disk.img
    run --separate-stderr mirleft run -t hvt --no-build
    assert_success
    assert_line --index 0 "disk disk: 8192 sectors of 512 bytes (4194304 bytes)"
    assert_line "misaligned read refused: Invalid argument"
    assert_line "OK"
    digest=$(printf '%s\n' "${lines[@]}" | sed -n 's/^disk sha256  //p')
    assert_equal "$digest" "$(sha256sum _build/hvt/disk.img | cut -d' ' -f1)"
}

@test "hvt: the kv template lists its files with sha256sum's digests" {
    template kv
    run --separate-stderr mirleft run -t hvt --no-build
    assert_success
    for f in hello.txt index.html docs/notes.md; do
        assert_output --partial "$(sha256sum "files/$f" | cut -d' ' -f1)"
    done
    run mirleft run -t hvt --no-build -- --cat=no/such/file
    assert_failure 1
}

@test "hvt: the net-ping template answers ping (and a 1000-ping flood) on a tap in a namespace" {
    [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, tap devices)"
    [ -c /dev/net/tun ] || skip "no /dev/net/tun"
    command -v ping >/dev/null || skip "no ping(8)"
    template net-ping
    ns=mlhvt$$
    ip netns add $ns || skip "cannot create a network namespace"
    if ! ip -n $ns tuntap add dev tap0 mode tap 2>/dev/null; then
        ip netns del $ns
        skip "cannot create a tap device"
    fi
    ip -n $ns addr add 10.0.0.1/24 dev tap0
    ip -n $ns link set tap0 up
    ip netns exec $ns "$HVT" --mem=32 --net:service=tap0 dist/net-ping.hvt \
        --ipv4=10.0.0.2/24 > uk.out 2>&1 &
    pid=$!
    ok=1
    for _ in $(seq 10); do
        ip netns exec $ns ping -c 1 -W 1 10.0.0.2 >/dev/null && { ok=0; break; }
    done
    run ip netns exec $ns ping -c 5 -i 0.2 -W 2 10.0.0.2
    five=$output
    run ip netns exec $ns ping -f -c 1000 -W 2 10.0.0.2
    flood=$output
    kill -TERM $pid 2>/dev/null
    wait $pid 2>/dev/null || true
    ip netns del $ns
    [ $ok -eq 0 ] || fail "no first reply: $(cat uk.out)"
    [[ "$five" == *"5 received"* ]] || fail "$five"
    [[ "$flood" == *"1000 received"* ]] || fail "flood: $flood"
    grep -q "on service, MAC" uk.out
    grep -q "Exiting on signal 15" uk.out
}

@test "hvt: the udp-echo template (the network stack) echoes datagrams on a tap" {
    [ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces, tap devices)"
    [ -c /dev/net/tun ] || skip "no /dev/net/tun"
    [ -d "$SRC/templates/udp-echo" ] || skip "no udp-echo template"
    template udp-echo
    ns=mlhvu$$
    ip netns add $ns || skip "cannot create a network namespace"
    if ! ip -n $ns tuntap add dev tap0 mode tap 2>/dev/null; then
        ip netns del $ns
        skip "cannot create a tap device"
    fi
    ip -n $ns addr add 10.0.0.1/24 dev tap0
    ip -n $ns link set tap0 up
    ip netns exec $ns "$HVT" --mem=32 --net:service=tap0 dist/udp-echo.hvt \
        --ipv4=10.0.0.2/24 > uk.out 2>&1 &
    pid=$!
    run ip netns exec $ns python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
for _ in range(20):                      # until the unikernel is up
    try:
        s.sendto(b"hi", ("10.0.0.2", 7)); s.recvfrom(100); break
    except OSError:
        time.sleep(0.1)
for i in range(200):
    m = b"datagram %d " % i * (1 + i % 50)
    s.sendto(m, ("10.0.0.2", 7))
    assert s.recvfrom(4096)[0] == m, i
print("200 echoes")'
    kill -TERM $pid 2>/dev/null
    wait $pid 2>/dev/null || true
    ip netns del $ns
    assert_success
    assert_output "200 echoes"
}

@test "hvt: corrupted images never crash the tender (90 seeds)" {
    truncate -s 64K disk.img
    for seed in $(seq 1 90); do
        case $((seed % 3)) in
        0) g=hello; args=() ;;
        1) g=traps; args=() ;;
        2) g=blk; args=(--block:storage=disk.img) ;;
        esac
        patched $g random $seed
        # Refused with a message and status 1, or run: whatever the guest
        # then did (an exit status, a reported trap, a fault the tender
        # stopped, or spinning until the timeout), the tender itself
        # never dies of a signal.
        run timeout 3 "$HVT" --mem=32 "${args[@]}" p.hvt heap
        if [ "$status" -gt 128 ] && [ "$status" -ne 255 ]; then
            echo "seed $seed ($g): status $status"
            echo "$output"
            false
        fi
    done
}
