#!/usr/bin/env bats
# The runtime's random generator end to end (mirleft/random.h): a small
# unikernel prints what seeded its generator and 32 bytes from it. Two
# boots of one image must differ; the source is RDSEED or RDRAND where
# the CPU has them, with no warning; on hvt with the CPU's generators
# hidden from CPUID (mirleft-hvt --hide-cpu-rng) the console warns and
# names the fallback, and two boots still differ; so does an image for a
# target without any entropy source. Images that do not use the
# generator do not contain it.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR

setup_file() {
    cd "$BATS_FILE_TMPDIR" || return 1
    mkdir rnd && cd rnd || return 1
    cat >unikernel.yml <<YML
name: rnd
min-version: $(cat "$SRC/VERSION")
sources: [unikernel.c]
entry: start
devices:
  console: console
YML
    cat >unikernel.c <<'C'
#include <stdio.h>
#include <mirleft/random.h>
#include "devices.h"

int start(struct devices *dev, const struct args *args)
{
    uint8_t b[32];
    (void)dev;
    (void)args;
    ml_random_bytes(b, sizeof b);
    printf("source: %s\nhardware: %d\nbytes: ", ml_random_source(),
           ml_random_hardware());
    for (size_t i = 0; i < sizeof b; i++)
        printf("%02x", b[i]);
    printf("\n");
    return 0;
}
C
    mirleft build -t spt >/dev/null
    # The same project for a target without an entropy source: the spt
    # target's data with share/solo5/guest/entropy.c left out of its
    # bindings, so the runtime's weak ml_plat_entropy answers "none" (what
    # a new target gets until it provides one).
    local d=$BATS_FILE_TMPDIR/data
    mkdir -p "$d"
    ln -s "$SRC/share" "$d/share"
    ln -s "$SRC/templates" "$d/templates"
    cp -r "$SRC/targets" "$d/targets"
    sed -i '/share\/solo5\/guest\/entropy.c/d' "$d/targets/spt/target.yml"
    cp -r "$BATS_FILE_TMPDIR/rnd" "$BATS_FILE_TMPDIR/rnd-none"
    (cd "$BATS_FILE_TMPDIR/rnd-none" && rm -rf _build dist &&
     MIRLEFT_DATADIR=$d mirleft build -t spt >/dev/null)
}

# Whether the kernel says this CPU has RDSEED or RDRAND. (It may hide a
# flag the CPUID instruction still reports: Linux clears RDSEED on AMD
# CPUs whose 16- and 32-bit forms are broken; we use the 64-bit form.)
cpu_has_rng() {
    grep -qwE 'rdseed|rdrand' /proc/cpuinfo
}

# Whether this host's /dev/kvm runs an hvt guest.
kvm_usable() {
    mirleft-hvt --mem=2 "$SRC/build/tests/hvt/floor.hvt" >/dev/null 2>&1
}

# The command, in mirleft-vm's emulated VM (whose nested KVM offers a
# /dev/kvm and applies CPUID settings, as hardware KVM does).
in_vm() {
    mirleft-vm run -q --module kvm_amd -- "$@"
}

setup() {
    cd "$BATS_FILE_TMPDIR/rnd" || return 1
}

# Runs the image twice with runner $@; checks both boots and that their
# bytes differ. Sets out1.
two_boots() {
    run --separate-stderr "$@"
    assert_success
    out1=$output$stderr
    local b1 b2
    b1=$(grep '^bytes: ' <<<"$output")
    run --separate-stderr "$@"
    assert_success
    b2=$(grep '^bytes: ' <<<"$output")
    [[ $b1 =~ ^bytes:\ [0-9a-f]{64}$ ]] || fail "no bytes printed: $out1"
    [ "$b1" != "$b2" ] || fail "two boots gave the same bytes: $b1"
}

expect_source() {
    if cpu_has_rng; then
        grep -qxE "source: (RDSEED|RDRAND)" <<<"$out1" || fail "expected RDSEED or RDRAND: $out1"
        grep -qx "hardware: 1" <<<"$out1" || fail "$out1"
        ! grep -q WARNING <<<"$out1" || fail "warned although the CPU has a generator: $out1"
    else
        grep -q 'WARNING: no hardware entropy: ' <<<"$out1" ||
            fail "no warning on a CPU without RDSEED/RDRAND: $out1"
        grep -qx "hardware: 0" <<<"$out1" || fail "$out1"
    fi
}

@test "spt: two boots of one image draw different bytes, seeded from the CPU's generator" {
    two_boots mirleft-spt dist/rnd.spt
    expect_source
}

@test "hvt: two boots of one image draw different bytes, seeded from the CPU's generator" {
    mirleft build -t hvt >/dev/null
    if kvm_usable; then
        two_boots mirleft-hvt --mem=2 dist/rnd.hvt
    else
        echo "# no usable /dev/kvm: hvt boots in the emulated VM" >&3
        two_boots in_vm mirleft-hvt --mem=2 dist/rnd.hvt
    fi
    expect_source
}

@test "hvt: without RDRAND and RDSEED in CPUID the console warns, names the fallback, and boots still differ" {
    mirleft build -t hvt >/dev/null
    if kvm_usable; then
        two_boots mirleft-hvt --mem=2 --hide-cpu-rng dist/rnd.hvt
    fi
    # Hardware KVM traps every CPUID; kvm_pvm runs ring-3 guest code
    # natively, CPUID included, so KVM_SET_CPUID2 does not reach it. There
    # (and without KVM) the emulated VM's nested KVM applies it.
    if ! kvm_usable || grep -qx 'hardware: 1' <<<"$out1"; then
        echo "# this host's KVM cannot hide CPUID bits from ring 3 (or is missing): in the emulated VM" >&3
        two_boots in_vm mirleft-hvt --mem=2 --hide-cpu-rng dist/rnd.hvt
    fi
    grep -q '^mirleft: WARNING: no hardware entropy: the CPU has neither RDSEED nor RDRAND; .*clock jitter' <<<"$out1" ||
        fail "no warning: $out1"
    grep -qx 'source: clock jitter (fallback: the CPU has neither RDSEED nor RDRAND)' <<<"$out1" ||
        fail "$out1"
    grep -qx 'hardware: 0' <<<"$out1" || fail "$out1"
}

@test "spt, no entropy source: the console warns, names the fallback, and two boots still differ" {
    cd "$BATS_FILE_TMPDIR/rnd-none" || return 1
    two_boots mirleft-spt dist/rnd.spt
    grep -q '^mirleft: WARNING: no hardware entropy: this target has no entropy source; .*clock jitter' <<<"$out1" ||
        fail "no warning: $out1"
    grep -qx 'source: clock jitter (fallback: this target has no entropy source)' <<<"$out1" ||
        fail "$out1"
    grep -qx 'hardware: 0' <<<"$out1" || fail "$out1"
}

@test "spt: mirleft-spt refuses --hide-cpu-rng (only a hypervisor can hide CPUID bits)" {
    run mirleft-spt --hide-cpu-rng dist/rnd.spt
    assert_failure 1
    assert_output --partial "Invalid option: \`--hide-cpu-rng'"
}

@test "the generator is linked only into images that use it" {
    nm dist/rnd.spt | grep -q ' ml_chacha20_block$' || fail "rnd.spt lacks the generator"
    cd "$BATS_FILE_TMPDIR" && mirleft new hello >/dev/null && cd hello &&
        mirleft build -t spt >/dev/null
    run nm dist/hello.spt
    refute_output --partial ml_chacha20_block
    refute_output --partial ml_plat_entropy
    refute_output --partial ml_seed_key
}
