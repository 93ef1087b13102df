#!/usr/bin/env bats
# The rp2040 target end to end: the unchanged hello template built for the
# Cortex-M0+ and run in the rp2040js emulator (targets/rp2040/runner),
# its UF2 checked by an independent parser, boot2's CRC, the runner's
# checks of the clock and UART set-up, arguments (given and baked), the
# exit status with and without a debugger, and the time limits.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR MIRLEFT_RP2040_OPTS
RUNNER="$SRC/targets/rp2040/runner/run.js"
IMAGE_TOOL="$SRC/targets/rp2040/tools/rp2040-image"

# What the tests need and cannot bring themselves; empty when all is here.
missing() {
    command -v arm-none-eabi-gcc >/dev/null || echo "arm-none-eabi-gcc (gcc-arm-none-eabi)"
    command -v node >/dev/null || echo "node (nodejs)"
    [ -d "$SRC/targets/rp2040/runner/node_modules/rp2040js" ] ||
        echo "rp2040js (run .ci/deps: npm ci in targets/rp2040/runner)"
}

setup_file() {
    [ -z "$(missing)" ] || return 0
    cd "$BATS_FILE_TMPDIR" || return 1
    mirleft new hello >/dev/null
    cd hello || return 1
    mirleft build -t rp2040 >"$BATS_FILE_TMPDIR/build.out"
}

setup() {
    local why
    why=$(missing | paste -sd, -)
    [ -z "$why" ] || skip "missing: $why"
    cd "$BATS_FILE_TMPDIR/hello" || return 1
}

@test "build gives an ARM ELF and a UF2 and reports flash and RAM used" {
    assert [ -f dist/hello.elf ]
    assert [ -f dist/hello.uf2 ]
    run arm-none-eabi-readelf -h dist/hello.elf
    assert_line --regexp 'Machine: +ARM'
    # the reset handler, in flash, Thumb (odd)
    assert_line --regexp 'Entry point address: +0x100[0-9a-f]{4}[13579bdf]$'
    run cat "$BATS_FILE_TMPDIR/build.out"
    assert_line --regexp '^  SIZE    hello\.elf: flash [0-9.]+ KiB of 2 MiB \([0-9.]+%\), RAM [0-9.]+ (KiB|B) of 264 KiB'
    # the report comes after every build, also one with nothing to redo
    run mirleft build -t rp2040
    assert_success
    assert_output --regexp '^  SIZE    hello\.elf: flash'
}

@test "the UF2 passes an independent parser and reproduces the ELF's flash bytes" {
    arm-none-eabi-objcopy -O binary dist/hello.elf "$BATS_TEST_TMPDIR/flash.bin"
    run python3 "$BATS_TEST_DIRNAME/rp2040_uf2.py" dist/hello.uf2 "$BATS_TEST_TMPDIR/flash.bin"
    assert_success
    assert_output --regexp "^ok [0-9]+ blocks, image [0-9]+ bytes, args ''$"
    # the vector table at 0x10000100: SP at the top of the 264 KiB of SRAM
    # (0x20042000), then the reset handler in flash with the Thumb bit
    run arm-none-eabi-objdump -s -j .text --start-address=0x10000100 --stop-address=0x10000108 dist/hello.elf
    assert_line --regexp '^ 10000100 00200420 [0-9a-f][13579bdf][0-9a-f]{2}0010 '
}

@test "the parser is not a rubber stamp: broken UF2s are refused" {
    cp dist/hello.uf2 "$BATS_TEST_TMPDIR/a.uf2"
    # family of block 1
    printf '\x00\x00\x00\x00' | dd of="$BATS_TEST_TMPDIR/a.uf2" bs=1 seek=$((512 + 28)) conv=notrunc 2>/dev/null
    run python3 "$BATS_TEST_DIRNAME/rp2040_uf2.py" "$BATS_TEST_TMPDIR/a.uf2"
    assert_failure
    assert_output --partial "block 1: flags"
    cp dist/hello.uf2 "$BATS_TEST_TMPDIR/b.uf2"
    # block number of block 2
    printf '\x07\x00\x00\x00' | dd of="$BATS_TEST_TMPDIR/b.uf2" bs=1 seek=$((1024 + 20)) conv=notrunc 2>/dev/null
    run python3 "$BATS_TEST_DIRNAME/rp2040_uf2.py" "$BATS_TEST_TMPDIR/b.uf2"
    assert_failure
    assert_output --partial "block 2: numbered 7"
}

@test "hello runs unchanged in the emulator: output, emulated tick times, exit 0" {
    run --separate-stderr mirleft run -t rp2040 --no-build </dev/null
    assert_success
    assert_equal "$stderr" ""
    # emulated time is exact: the TIMER ticks at 1 µs from the watchdog tick
    assert_output "Hello World!
tick 3 (100 ms)
tick 2 (200 ms)
tick 1 (300 ms)"
}

@test "run -t rp2040 -- ARGS reach the unikernel; --help lists them" {
    run mirleft run -t rp2040 --no-build -- --hello=Hi --ticks=1 --interval=20
    assert_success
    assert_output "Hi
tick 1 (20 ms)"
    run mirleft run -t rp2040 --no-build -- --help
    assert_success
    assert_line "usage: hello [--NAME=VALUE ...]"
    assert_line "  --hello=string  the greeting to print (default: Hello World!)"
    assert_line "  --ticks=int  how many times to tick before exiting (default: 3)"
}

@test "the unikernel's exit status comes back through the breakpoint" {
    run mirleft run -t rp2040 --no-build -- --ticks=-1
    assert_failure 2
    assert_line "--ticks must be >= 0 and --interval > 0"
    run mirleft run -t rp2040 --no-build -- --bogus=1
    assert_failure
    assert_line --partial "unknown argument --bogus"
}

@test "without a debugger the exit breakpoint faults and the board halts with the status recorded" {
    run --separate-stderr node "$RUNNER" --no-debugger dist/hello.elf --ticks=-1
    assert_failure 2
    assert_equal "$stderr" "rp2040-run: halted without a debugger: exit status 2 in watchdog SCRATCH0"
    run --separate-stderr node "$RUNNER" --no-debugger dist/hello.elf --ticks=0
    assert_success
    assert_equal "$stderr" "rp2040-run: halted without a debugger: exit status 0 in watchdog SCRATCH0"
}

@test "arguments baked into a copy of the UF2 are read at boot" {
    run python3 "$IMAGE_TOOL" args dist/hello.uf2 "$BATS_TEST_TMPDIR/baked.uf2" -- --hello=Baked --ticks=0
    assert_success
    run python3 "$BATS_TEST_DIRNAME/rp2040_uf2.py" "$BATS_TEST_TMPDIR/baked.uf2"
    assert_success
    assert_output --regexp "args '--hello=Baked --ticks=0'$"
    run node "$RUNNER" "$BATS_TEST_TMPDIR/baked.uf2"
    assert_success
    assert_output "Baked"
    # ARGS on the runner's command line win over baked ones
    run node "$RUNNER" "$BATS_TEST_TMPDIR/baked.uf2" --hello=Given --ticks=0
    assert_output "Given"
    # the copy never overwrites its source
    run python3 "$IMAGE_TOOL" args dist/hello.uf2 dist/hello.uf2 --x
    assert_failure 1
    assert_output --partial "write the copy under another name"
}

@test "a corrupted boot2 CRC is caught: the boot ROM would not run it" {
    cp dist/hello.uf2 "$BATS_TEST_TMPDIR/bad.uf2"
    # one byte of boot2's code (payload of block 0 starts at offset 32)
    printf '\xff' | dd of="$BATS_TEST_TMPDIR/bad.uf2" bs=1 seek=$((32 + 6)) conv=notrunc 2>/dev/null
    run --separate-stderr node "$RUNNER" "$BATS_TEST_TMPDIR/bad.uf2"
    assert_failure 125
    assert_output ""
    assert_regex "$stderr" "boot2 CRC32 mismatch .*would not run this image"
    run python3 "$BATS_TEST_DIRNAME/rp2040_uf2.py" "$BATS_TEST_TMPDIR/bad.uf2"
    assert_failure
    assert_output --partial "boot2 CRC"
}

@test "the post-link step refuses an ELF without a proper boot2, and the build leaves no image" {
    cp dist/hello.elf "$BATS_TEST_TMPDIR/x.elf"
    arm-none-eabi-objcopy --remove-section=.boot2 "$BATS_TEST_TMPDIR/x.elf"
    run python3 "$IMAGE_TOOL" build "$BATS_TEST_TMPDIR/x.elf"
    assert_failure 1
    assert_output --partial "no .boot2 section"
    refute [ -e "$BATS_TEST_TMPDIR/x.uf2" ]
}

# A unikernel that prints, breaks one part of the set-up a board needs
# (--what), then prints again: the runner must stop it at the second line.
make_breaker() {
    mkdir -p "$BATS_FILE_TMPDIR/breaker"
    cd "$BATS_FILE_TMPDIR/breaker" || return 1
    [ -f dist/breaker.elf ] && return 0
    cat >unikernel.yml <<EOF
name: breaker
min-version: $(cat "$SRC/VERSION")
sources: [unikernel.c]
entry: start
devices: { console: console }
args:
  what: { type: string, default: none, doc: "what to break" }
EOF
    cat >unikernel.c <<'EOF'
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "devices.h"
#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))
int start(struct devices *d, const struct args *a)
{
    (void)d;
    printf("before\n");
    if (!strcmp(a->what, "baud")) {            /* UART0 IBRD, latched by LCR_H */
        REG(0x40034024) = 134;
        REG(0x4003402C) = 0x70;
    } else if (!strcmp(a->what, "clk_peri")) { /* CLK_PERI_CTRL: disabled */
        REG(0x40008048) = 0;
    } else if (!strcmp(a->what, "tick")) {     /* watchdog TICK: 6 cycles */
        REG(0x4005802C) = (1u << 9) | 6;
    } else if (!strcmp(a->what, "pin")) {      /* GPIO0 to SIO */
        REG(0x40014004) = 5;
    } else if (!strcmp(a->what, "fault")) {    /* undefined instruction */
        __asm__ volatile("udf #7");
    } else if (!strcmp(a->what, "stdin")) {    /* 3 bytes from UART0 RX */
        for (int n = 0; n < 3; n++) {
            while (REG(0x40034018) & (1u << 4))  /* FR.RXFE */
                ;
            printf("got '%c'\n", (char)REG(0x40034000));
        }
        return 0;
    }
    printf("after\n");
    return 0;
}
EOF
    mirleft build -t rp2040 >/dev/null
}

@test "the runner catches a wrong baud, clk_peri, tick or pin set-up the emulator would pass" {
    make_breaker
    run node "$RUNNER" dist/breaker.elf
    assert_success
    assert_output "before
after"
    run --separate-stderr node "$RUNNER" dist/breaker.elf --what=baud
    assert_failure 125
    assert_output "before"
    assert_regex "$stderr" "UART0 runs at 57[0-9]{3} baud, expected 115200"
    run --separate-stderr node "$RUNNER" dist/breaker.elf --what=clk_peri
    assert_failure 125
    assert_regex "$stderr" "clk_peri is not enabled"
    run --separate-stderr node "$RUNNER" dist/breaker.elf --what=tick
    assert_failure 125
    assert_regex "$stderr" "the watchdog tick is 6 cycles, expected 12"
    run --separate-stderr node "$RUNNER" dist/breaker.elf --what=pin
    assert_failure 125
    assert_regex "$stderr" "GPIO0 is on function 5, not UART0 TX"
}

@test "emulated-time and wall-clock limits end a run with status 124" {
    run --separate-stderr node "$RUNNER" --sim-timeout=0.15 dist/hello.elf
    assert_failure 124
    assert_output "Hello World!
tick 3 (100 ms)"
    assert_equal "$stderr" "rp2040-run: emulated-time limit of 0.15 s reached"
    # a million 1 ms ticks take far longer than 0.3 s of wall time to emulate
    run --separate-stderr node "$RUNNER" --timeout=0.3 dist/hello.elf --ticks=1000000 --interval=1
    assert_failure 124
    assert_equal "$stderr" "rp2040-run: wall-clock limit of 0.3 s reached"
}

@test "the runner's own usage errors" {
    run node "$RUNNER" --bogus dist/hello.elf
    assert_failure 2
    assert_output --partial "unknown option --bogus"
    run node "$RUNNER" "$BATS_TEST_TMPDIR/none.elf"
    assert_failure 125
    assert_output --partial "none.uf2 does not exist"
}

@test "MIRLEFT_RP2040_OPTS passes runner options through mirleft run" {
    MIRLEFT_RP2040_OPTS="--gpio-trace=$BATS_TEST_TMPDIR/trace --stats" run --separate-stderr mirleft run -t rp2040 --no-build -- --ticks=0
    assert_success
    assert_regex "$stderr" "first console byte at [0-9.]+ µs"
    # the console's set-up hands GPIO0 to UART0: a change of the pin, timed
    run cat "$BATS_TEST_TMPDIR/trace"
    assert_line --regexp '^[0-9]+ GPIO0 [01z]$'
}

# A directory that looks like the drive a Pico in BOOTSEL mode mounts.
fake_drive() {
    mkdir -p "$1/RPI-RP2"
    printf 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n' >"$1/RPI-RP2/INFO_UF2.TXT"
    echo '<html></html>' >"$1/RPI-RP2/INDEX.HTM"
}

@test "--board copies the UF2, with the arguments baked in, to the RPI-RP2 drive it finds" {
    fake_drive "$BATS_TEST_TMPDIR/media"
    MIRLEFT_RP2040_MOUNTS="$BATS_TEST_TMPDIR/none:$BATS_TEST_TMPDIR/media" MIRLEFT_RP2040_OPTS=--board \
        run mirleft run -t rp2040 --no-build -- --hello=Board --ticks=0
    assert_success
    blocks=$(( $(stat -c %s "$BATS_TEST_TMPDIR/media/RPI-RP2/hello.uf2") / 512 ))
    assert_output "copied hello.uf2 ($blocks blocks, arguments '--hello=Board --ticks=0') to $BATS_TEST_TMPDIR/media/RPI-RP2: the Pico reboots into it"
    run python3 "$BATS_TEST_DIRNAME/rp2040_uf2.py" "$BATS_TEST_TMPDIR/media/RPI-RP2/hello.uf2"
    assert_success
    assert_output --regexp "args '--hello=Board --ticks=0'$"
    # what the board gets runs as the emulator shows
    run node "$RUNNER" "$BATS_TEST_TMPDIR/media/RPI-RP2/hello.uf2"
    assert_success
    assert_output "Board"
    # without arguments the image's own UF2 goes, byte for byte
    run python3 "$IMAGE_TOOL" flash --drive="$BATS_TEST_TMPDIR/media/RPI-RP2" dist/hello.elf
    assert_success
    cmp dist/hello.uf2 "$BATS_TEST_TMPDIR/media/RPI-RP2/hello.uf2"
}

@test "--board refuses a directory that is not a Pico's drive, and says how to get one" {
    mkdir -p "$BATS_TEST_TMPDIR/usb/STICK"
    run python3 "$IMAGE_TOOL" flash --drive="$BATS_TEST_TMPDIR/usb/STICK" dist/hello.elf
    assert_failure 1
    assert_output --partial "is not an RPI-RP2 drive (no INFO_UF2.TXT with Board-ID: RPI-RP2)"
    refute [ -e "$BATS_TEST_TMPDIR/usb/STICK/hello.uf2" ]
    MIRLEFT_RP2040_MOUNTS="$BATS_TEST_TMPDIR/usb" run python3 "$IMAGE_TOOL" flash dist/hello.elf
    assert_failure 1
    assert_output --partial "no RPI-RP2 drive found under $BATS_TEST_TMPDIR/usb: hold BOOTSEL while plugging the Pico in"
    fake_drive "$BATS_TEST_TMPDIR/two/a"
    fake_drive "$BATS_TEST_TMPDIR/two/b"
    mv "$BATS_TEST_TMPDIR/two/a/RPI-RP2" "$BATS_TEST_TMPDIR/two/RPI-RP2"
    mv "$BATS_TEST_TMPDIR/two/b/RPI-RP2" "$BATS_TEST_TMPDIR/two/RPI-RP2-1"
    MIRLEFT_RP2040_MOUNTS="$BATS_TEST_TMPDIR/two" run python3 "$IMAGE_TOOL" flash dist/hello.elf
    assert_failure 1
    assert_output --partial "several RPI-RP2 drives"
}

@test "mirleft inspect reads the rp2040 image's build information" {
    run mirleft inspect dist/hello.elf
    assert_success
    assert_line --regexp '^  target +rp2040$'
    assert_line --regexp '^  name +hello$'
}

@test "a fault is caught by the image's handler and the run ends with the faulting PC" {
    make_breaker
    run --separate-stderr node "$RUNNER" dist/breaker.elf --what=fault
    assert_failure 125
    assert_output "before"
    assert_regex "$stderr" "the unikernel faulted \(PC 0x100[0-9a-f]{5}\) and halted"
    pc=$(sed -n 's/.*PC \(0x[0-9a-f]*\).*/\1/p' <<<"$stderr")
    run arm-none-eabi-addr2line -e dist/breaker.elf "$pc"
    assert_output --regexp 'unikernel.c:[0-9]+$'
}

@test "stdin reaches UART0 RX at the line rate" {
    make_breaker
    run bash -c "printf 'abc' | node '$RUNNER' dist/breaker.elf --what=stdin"
    assert_success
    assert_output "before
got 'a'
got 'b'
got 'c'"
}
