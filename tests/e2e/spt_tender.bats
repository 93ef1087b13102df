#!/usr/bin/env bats
# mirleft-spt and the spt bindings, end to end: the tender's checks and
# messages (Solo5 spec §3), the sandbox (§5.4) and the guest platform calls.
# The test guests and the elfpatch helper come from tests/spt/tests.mk.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
SPT=$SRC/build/mirleft-spt
G=$SRC/build/tests/spt
GUESTS="hello faults blk net badmft nomft maxdev bigbss"

setup_file() {
    local targets="build/mirleft-spt build/tests/spt/elfpatch"
    for g in $GUESTS; do targets="$targets build/tests/spt/$g.spt"; done
    # shellcheck disable=SC2086
    make -C "$SRC" -s $targets >&2
}

setup() {
    cd "$BATS_TEST_TMPDIR"
}

# Run the tender; stdout and stderr together in $output.
spt() {
    run "$SPT" "$@"
}

# A copy of guest $1 with elfpatch $2... applied, as ./p.spt.
patched() {
    local g=$1
    shift
    cp "$G/$g.spt" p.spt
    "$G/elfpatch" p.spt "$@"
}

refused() {
    assert_failure 1
    assert_output --partial "$1"
}

# ---- running guests ------------------------------------------------------

@test "spt: hello prints, sees its command line and exits 0" {
    spt --mem=32 "$G/hello.spt" Hello_Solo5 two  words
    assert_success
    assert_output --partial "Hello, World"
    assert_output --partial "Command line is: 'Hello_Solo5 two words'"
    assert_output --partial "SUCCESS"
}

@test "spt: the guest's exit status is the tender's" {
    spt --mem=32 "$G/hello.spt" exit=42
    assert_failure 42
    spt --mem=32 "$G/hello.spt" exit=1
    assert_failure 1
}

@test "spt: default memory (512 MiB) and -- before KERNEL" {
    spt -- "$G/hello.spt" x
    assert_success
    assert_output --partial "Command line is: 'x'"
}

@test "spt: leading --solo5:* options are stripped, others kept" {
    spt --mem=32 "$G/hello.spt" --solo5:quiet --solo5:debug  --solo5:new exit=3 --solo5:info
    assert_failure 3
    assert_output --partial "Command line is: 'exit=3 --solo5:info'"
    refute_output --partial "Solo5:"
}

@test "spt: heap is [_end page, mem_size) with the stack at its top" {
    spt --mem=32 "$G/faults.spt" heap
    assert_success
    assert_output --partial "SUCCESS"
}

@test "spt: clocks and yield (past deadline, 100 ms sleeps, wall clock)" {
    spt --mem=32 "$G/faults.spt" time
    assert_success
    assert_output --partial "SUCCESS"
}

@test "spt: image is not executable on the host (PT_INTERP)" {
    run -127 "$G/hello.spt"
}

@test "spt: stripped hello image is smaller than Solo5's (21496 bytes)" {
    strip -o h.spt "$G/hello.spt"
    run "$SPT" --mem=32 h.spt
    assert_success
    size=$(stat -c %s h.spt)
    echo "stripped hello: $size bytes"
    [ "$size" -le 21496 ]
}

@test "spt: the hello template built by mirleft runs, and is small" {
    [ -x "$SRC/build/mirleft" ] || skip "build/mirleft not built"
    "$SRC/build/mirleft" new hi >/dev/null
    cd hi
    run "$SRC/build/mirleft" build -t spt
    assert_success
    strip -o hi.spt dist/hi.spt
    spt --mem=32 hi.spt --solo5:quiet --hello=Bonjour
    assert_success
    assert_line --index 0 "Bonjour"
    size=$(stat -c %s hi.spt)
    echo "stripped template hello: $size bytes"
    [ "$size" -le 21496 ]
}

# ---- faults and the sandbox ---------------------------------------------

@test "spt: guest faults give SIGSEGV (139)" {
    for mode in zeropage unmapped xnow wnox notls; do
        spt --mem=32 "$G/faults.spt" $mode
        echo "mode $mode: $status"
        assert_failure 139
        refute_output --partial "still alive"
    done
}

# Whether this kernel runs 32-bit programs (IA32 emulation): the unit
# tests' 32-bit smoke32 either starts or is refused with ENOEXEC.
ia32_kernel() {
    "$SRC/build/tests/unit/smoke32" >/dev/null 2>&1
    [ $? -ne 126 ]
}

@test "spt: forbidden system calls give SIGSYS (159); int 0x80 never gets through" {
    # dup; write to fd 2; the x32 ABI
    for mode in dup write2 x32; do
        spt --mem=32 "$G/faults.spt" $mode
        echo "mode $mode: $status"
        assert_failure 159
        refute_output --partial "still alive"
    done
    # The i386 ABI through int 0x80 (a write that would print "int80
    # wrote"): with IA32 emulation the kernel takes it as a system call
    # and seccomp kills the guest (SIGSYS); without, int 0x80 is no
    # system call at all and the guest dies of SIGSEGV. Either way the
    # write has no effect and the guest does not go on.
    spt --mem=32 "$G/faults.spt" int80
    if ia32_kernel; then
        echo "int80: status $status (IA32 emulation: seccomp)"
        assert_failure 159
    else
        echo "int80: status $status (no IA32 emulation in this kernel)"
        assert_failure 139
    fi
    refute_output --partial "int80 wrote"
    refute_output --partial "still alive"
}

@test "spt: seccomp pins the arguments of the allowed calls" {
    # clock_gettime, arch_prctl, write, timerfd_settime, epoll_pwait
    allowed=("228 1 buf" "228 0 buf" "158 4098 0" "1 1 buf 0" "286 tfd 1 buf"
             "281 epfd buf 1 0")
    killed=("228 7 buf" "158 4099 buf" "1 2 buf 0" "0 0 buf 1" "286 epfd 1 buf"
            "281 tfd buf 1 0" "17 epfd buf 512 0" "18 1 buf 512 0" "39" "57"
            "59 buf 0 0" "9 0 4096 7 34")
    for a in "${allowed[@]}"; do
        spt --mem=32 "$G/faults.spt" sys $a
        echo "sys $a: $status"
        assert_success
        assert_output --partial "returned"
    done
    for a in "${killed[@]}"; do
        spt --mem=32 "$G/faults.spt" sys $a
        echo "sys $a: $status"
        assert_failure 159
        refute_output --partial "returned"
    done
}

@test "spt: stack smashing is detected: message and 255" {
    spt --mem=32 "$G/faults.spt" smash
    assert_failure 255
    assert_output --partial "mirleft: stack smashing detected"
}

@test "spt: ml_plat_abort exits 255 with ABORT" {
    spt --mem=32 "$G/faults.spt" abort
    assert_failure 255
    assert_output --partial "ABORT"
}

# ---- block devices -------------------------------------------------------

@test "spt: block read/write, range/alignment/pointer checks" {
    truncate -s 1M disk.img
    spt --mem=32 --block:storage=disk.img "$G/blk.spt" rw
    assert_success
    assert_output --partial "capacity 1048576 block size 512"
    assert_output --partial "SUCCESS"
    [ "$(stat -c %s disk.img)" -eq 1048576 ]
}

@test "spt: block with --block-sector-size=4096" {
    truncate -s 256K disk.img
    spt --mem=32 --block-sector-size:storage=4096 --block:storage=disk.img "$G/blk.spt" rw
    assert_success
    assert_output --partial "block size 4096"
}

@test "spt: block writes reach the file" {
    truncate -s 8K disk.img
    spt --mem=32 --block:storage=disk.img "$G/blk.spt" persist
    assert_success
    run dd if=disk.img bs=512 skip=1 count=1 status=none
    assert_output --partial "MIRLEFT!MIRLEFT!"
}

@test "spt: raw block calls outside the rules are killed, file unchanged" {
    truncate -s 8K disk.img
    for mode in raw-count raw-beyond raw-fd; do
        spt --mem=32 --block:storage=disk.img "$G/blk.spt" $mode
        echo "mode $mode: $status"
        assert_failure 159
    done
    [ "$(stat -c %s disk.img)" -eq 8192 ]
    [ -z "$(tr -d '\0' < disk.img)" ]
    spt --mem=32 --block:storage=disk.img "$G/blk.spt" raw-ok
    assert_success
}

@test "spt: 63 block devices (the manifest maximum)" {
    args=()
    for i in $(seq 0 62); do
        truncate -s 4K "d$i.img"
        args+=("--block:storage$i=d$i.img")
    done
    spt --mem=32 "${args[@]}" "$G/maxdev.spt" maxdev
    assert_success
    assert_output --partial "SUCCESS"
}

@test "spt: block backing storage not block aligned" {
    truncate -s 6K disk.img
    spt --block-sector-size:storage=4096 --block:storage=disk.img "$G/blk.spt"
    refused "Backing storage size must be block aligned"
}

@test "spt: block sector size must be a power of two >= 512" {
    truncate -s 8K disk.img
    for n in 521 256 0 abc; do
        spt --block-sector-size:storage=$n --block:storage=disk.img "$G/blk.spt"
        refused "Block size must be a multiple of 2 greater than or equal 512"
    done
}

@test "spt: empty or missing backing storage" {
    : > empty.img
    spt --block:storage=empty.img "$G/blk.spt"
    refused "at least one block"
    spt --block:storage=nonexistent.img "$G/blk.spt"
    refused "nonexistent.img: Could not open block device"
}

# ---- network devices -----------------------------------------------------

@test "spt: net on an open fd (@FD): read a frame, send one back" {
    mkfifo ff
    truncate -s 4K d.img
    exec 5<>ff
    printf '%060d' 0 > ff
    spt --mem=32 --net:service0=@5 --net-mac:service0=02:00:00:00:00:07 \
        --block:storage=d.img "$G/net.spt" wait
    exec 5>&-
    assert_success
    assert_output --partial "MTU is 1500"
    assert_output --partial "MAC is 02:00:00:00:00:07"
    assert_output --partial "frame 60 bytes"
}

@test "spt: net on a tap in a network namespace: MTU, MAC, a frame" {
    ns=mlspt$$
    if ! ip netns add $ns 2>/dev/null; then
        skip "cannot create a network namespace (needs root and iproute2)"
    fi
    if ! ip netns exec $ns ip tuntap add dev tap0 mode tap 2>/dev/null; then
        ip netns del $ns
        skip "cannot create a tap device (no /dev/net/tun?)"
    fi
    ip netns exec $ns ip link set tap0 mtu 9000 up
    ip netns exec $ns ip addr add 10.9.0.1/24 dev tap0
    truncate -s 4K d.img
    ip netns exec $ns "$SPT" --mem=32 --net:service0=tap0 --block:storage=d.img \
        "$G/net.spt" wait > out.txt 2>&1 &
    pid=$!
    sleep 0.3
    # Any packet to 10.9.0.2 makes the host send an ARP request to the guest.
    ip netns exec $ns bash -c 'echo hi > /dev/udp/10.9.0.2/9' || true
    wait $pid && status=0 || status=$?
    ip netns exec $ns "$SPT" --net:service0=tap1 --block:storage=d.img \
        "$G/net.spt" > missing.txt 2>&1 && mstatus=0 || mstatus=$?
    ip netns del $ns
    output=$(cat out.txt)
    assert_success
    assert_output --partial "MTU is 9000"
    assert_output --regexp "MAC is [0-9a-f][26ae]:"   # unicast, local
    assert_output --partial "SUCCESS"
    [ "$mstatus" -eq 1 ]
    grep -q "Could not attach interface: tap1: No such device (create it: ip tuntap add dev tap1" missing.txt
}

@test "spt: malformed --net-mac" {
    spt --net:service0=@1 --net-mac:service0=02:00:00:00:00 --block:storage=x "$G/net.spt"
    refused "Malformed MAC address"
}

# ---- tender errors: command line -----------------------------------------

@test "spt: --version and --help" {
    spt --version
    assert_success
    assert_output --partial "mirleft-spt tender, version"
    assert_output --partial "ABI version 2"
    spt --help
    assert_failure 1
    assert_output --partial "usage: mirleft-spt"
}

@test "spt: missing KERNEL, unknown option" {
    spt --mem=32
    refused "Missing KERNEL operand"
    spt --bogus "$G/hello.spt"
    refused "Invalid option: \`--bogus'"
    assert_output --partial "usage:"
}

@test "spt: bad --mem values" {
    for v in abc "" -1 12x 1 0 99999999999999999999 99999999999; do
        spt --mem=$v "$G/hello.spt"
        refused "Invalid memory size in \`--mem=$v'"
    done
}

@test "spt: --mem=2 (as Solo5's test suite) runs hello" {
    spt --mem=2 "$G/hello.spt"
    assert_success
}

@test "spt: .bss larger than guest memory: the bindings refuse to start" {
    spt --mem=2 "$G/bigbss.spt"
    assert_failure 255
    assert_output --partial "mirleft: not enough memory for this unikernel"
    spt --mem=8 "$G/bigbss.spt"
    assert_success
}

@test "spt: image larger than guest memory" {
    patched hello entry 0x300000
    spt --mem=2 p.spt
    refused "is outside guest memory"
}

@test "spt: guest command line longer than 8191 characters" {
    long=$(head -c 8191 /dev/zero | tr '\0' a)
    spt --mem=32 "$G/hello.spt" "$long"
    assert_success
    spt --mem=32 "$G/hello.spt" "${long}b"
    refused "Guest command line too long (max=8191 characters)"
    spt --mem=32 "$G/hello.spt" "${long:1}" b
    refused "Guest command line too long"
}

@test "spt: Resource not declared in manifest" {
    spt --block:foo=x "$G/hello.spt"
    refused "Resource not declared in manifest: 'foo'"
    assert_output --partial "Invalid option"
    spt --net:storage=tap0 "$G/blk.spt"
    refused "Resource not declared in manifest: 'storage'"
    spt --block:bad_name=x "$G/blk.spt"
    refused "Invalid option"
}

@test "spt: every declared device must be attached" {
    spt "$G/blk.spt"
    refused "Device 'storage' of type BLOCK_BASIC declared but not attached."
    assert_output --partial "All declared devices must be attached"
    truncate -s 4K d.img
    spt --block:storage=d.img "$G/net.spt"
    refused "Device 'service0' of type NET_BASIC declared but not attached."
}

# ---- tender errors: the image --------------------------------------------

@test "spt: missing or unreadable KERNEL" {
    spt nonexistent.spt
    refused "nonexistent.spt: Could not open"
    spt .
    refused "not a regular file"
}

@test "spt: truncated images" {
    # Cut inside the header, the program headers, then the text segment.
    local text_end
    text_end=$(readelf -lW "$G/hello.spt" | awk '$1 == "LOAD" { print $5; exit }')
    for n in 0 10 63 100 500 $((text_end - 1)); do
        head -c $n "$G/hello.spt" > t.spt
        spt t.spt
        refused "t.spt: Invalid or unsupported executable"
    done
}

@test "spt: not ELF, wrong machine" {
    echo "#!/bin/sh" > t.spt
    spt t.spt
    refused "Invalid or unsupported executable"
    patched hello machine 183
    spt p.spt
    refused "wrong machine type"
}

@test "spt: program headers outside the file" {
    patched hello phoff 0xffffffffffffff00
    spt p.spt
    refused "Invalid or unsupported executable"
}

@test "spt: W+X segment" {
    patched hello wx
    spt --mem=32 p.spt
    refused "requests WRITE and EXEC permissions"
}

@test "spt: overlapping segments" {
    patched faults overlap
    spt --mem=32 p.spt
    refused "overlaps the previous segment"
}

@test "spt: segments outside guest memory or the file" {
    patched hello seg-vaddr 0x1000
    spt --mem=32 p.spt
    refused "below the guest's minimum address"
    patched hello seg-filesz 0xfffffffffffff000
    spt --mem=32 p.spt
    refused "does not fit in guest memory"
    patched hello seg-offset 0xfffffffffffff000
    spt --mem=32 p.spt
    refused "outside the file"
    patched hello entry 0x1000
    spt --mem=32 p.spt
    refused "entry point 0x1000 is outside guest memory"
    patched hello entry 0x7000000
    spt --mem=32 p.spt
    refused "is outside guest memory"
}

@test "spt: missing ABI note" {
    patched hello abi-type 7
    spt p.spt
    refused "No Solo5 ABI information found in executable"
}

@test "spt: wrong ABI target or version" {
    patched hello abi-target 1
    spt p.spt
    refused "Executable is not for the solo5-spt target"
    patched hello abi-version 1
    spt p.spt
    refused "Executable requests unsupported ABI version 1"
}

@test "spt: missing manifest" {
    patched hello mft-type 7
    spt p.spt
    refused "No Solo5 manifest found in executable"
    # No manifest section at all leaves an empty PT_NOTE: refused as Solo5.
    spt "$G/nomft.spt"
    refused "note does not fall within valid size"
}

@test "spt: invalid manifests" {
    spt "$G/badmft.spt"
    refused "Solo5 manifest is invalid"
    for n in 0 2 65 0xffffffff; do
        patched hello mft-entries $n
        spt p.spt
        refused "Solo5 manifest is invalid"
    done
    patched hello mft-descsz 99999
    spt p.spt
    refused "note does not fall within valid size"
}

@test "spt: corrupted images never crash the tender (120 seeds)" {
    command -v strace >/dev/null || skip "strace is not installed"
    truncate -s 64K disk.img
    for seed in $(seq 1 120); do
        case $((seed % 3)) in
        0) g=hello; args=() ;;
        1) g=faults; args=() ;;
        2) g=blk; args=(--block:storage=disk.img) ;;
        esac
        patched $g random $seed
        # Either the tender refused the image with a message and status
        # 1, or it loaded its seccomp filter and handed over to the guest,
        # whatever the guest then did; strace tells the two apart.
        run timeout 5 "$SPT" --mem=32 "${args[@]}" p.spt heap
        if [ "$status" -eq 1 ] && [[ "$output" == "mirleft-spt: "* ]]; then
            continue
        fi
        run timeout 5 strace -f -o st.txt -e trace=seccomp \
            "$SPT" --mem=32 "${args[@]}" p.spt heap
        if grep -q 'SECCOMP_SET_MODE_FILTER, 0, {len' st.txt; then
            continue
        fi
        echo "seed $seed ($g): status $status"
        assert_failure 1
        assert_output --partial "mirleft-spt: "
    done
}
