#!/usr/bin/env bats
# rp2040 device types in the emulator: gpio (the blinky template, with its
# LED's transitions recorded and timed; edge callbacks from pins driven by
# the runner), and the types the chip does not have refused at configure.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR MIRLEFT_RP2040_OPTS
RUNNER="$SRC/targets/rp2040/runner/run.js"

missing() {
    command -v arm-none-eabi-gcc >/dev/null || echo "arm-none-eabi-gcc (gcc-arm-none-eabi)"
    command -v node >/dev/null || echo "node (nodejs)"
    [ -d "$SRC/targets/rp2040/runner/node_modules/rp2040js" ] ||
        echo "rp2040js (run .ci/deps: npm ci in targets/rp2040/runner)"
}

setup() {
    local why
    why=$(missing | paste -sd, -)
    [ -z "$why" ] || skip "missing: $why"
    cd "$BATS_FILE_TMPDIR" || return 1
}

@test "blinky: GPIO 25 toggles every --interval ms of emulated time, then the unikernel exits" {
    mirleft new blinky -T blinky >/dev/null
    cd blinky
    mirleft build -t rp2040 >/dev/null
    MIRLEFT_RP2040_OPTS="--gpio-trace=$BATS_TEST_TMPDIR/trace" run mirleft run -t rp2040 --no-build -- --blinks=2 --interval=100
    assert_success
    assert_output "blinking GPIO 25 every 100 ms
blinked"
    # LED low at set-up, then high/low alternating 100 ms (+- 0.1 ms) apart
    run grep ' GPIO25 ' "$BATS_TEST_TMPDIR/trace"
    assert_equal "${#lines[@]}" 5
    levels=$(printf '%s\n' "${lines[@]}" | awk '{print $3}' | paste -sd' ')
    assert_equal "$levels" "0 1 0 1 0"
    t=($(printf '%s\n' "${lines[@]}" | awk '{print $1}'))
    for i in 1 2 3; do
        gap=$(( t[i + 1] - t[i] ))
        [ "$gap" -ge 99900000 ] && [ "$gap" -le 100100000 ] || fail "gap $i is $gap ns"
    done
}

@test "blinky refuses bad arguments with status 2" {
    cd blinky
    run mirleft run -t rp2040 --no-build -- --interval=0
    assert_failure 2
    assert_output "--interval must be > 0 and --blinks >= 0"
}

@test "a gpio device on a target without gpio is refused at configure, with what the target provides" {
    cd blinky
    run mirleft configure -t spt
    assert_failure 5
    assert_line --partial "unikernel.yml:9:16: error: target 'spt' does not provide device type 'gpio'"
    assert_line --partial "target 'spt' provides: console, clock, net, block, kv_ro, stack"
}

@test "net, stack and block are refused for rp2040 with the list of what it provides" {
    mirleft new tcp -T tcp-echo >/dev/null
    cd tcp
    run mirleft configure -t rp2040
    assert_failure 5
    assert_output --partial "does not provide device type 'net'"
    assert_output --regexp "target 'rp2040' provides: console, clock, kv_ro, gpio"
    refute [ -d _build/rp2040 ]
}

edges_project() {
    mkdir -p "$BATS_FILE_TMPDIR/edges"
    cd "$BATS_FILE_TMPDIR/edges" || return 1
    [ -f dist/edges.elf ] && return 0
    cat >unikernel.yml <<EOF
name: edges
min-version: $(cat "$SRC/VERSION")
sources: [unikernel.c]
entry: start
devices:
  console: console
  clock: clock
  button: { type: gpio, pin: 15, pull: up }
  led: { type: gpio, pin: 16, output: true, initial: true }
EOF
    cat >unikernel.c <<'EOF'
#include <mirleft/gpio.h>
#include <stdio.h>
#include "devices.h"
static int presses;
static void edge(struct ml_gpio *g, unsigned edges, void *arg)
{
    struct devices *d = arg;
    unsigned long ms = (unsigned long)(ml_clock_now(&d->clock) / ML_MS);
    ml_gpio_toggle(&d->led);
    printf("%s%s at %lu ms, level %d, led %d\n",
           edges & ML_GPIO_FALLING ? "press" : "",
           edges & ML_GPIO_RISING ? "release" : "", ms, ml_gpio_read(g),
           ml_gpio_read(&d->led));
    if (edges & ML_GPIO_FALLING && ++presses == 2)
        ml_gpio_on_edge(g, 0, NULL, NULL);      /* nothing pending: exit */
}
int start(struct devices *d, const struct args *a)
{
    (void)a;
    printf("button %d led %d\n", ml_gpio_read(&d->button), ml_gpio_read(&d->led));
    return ml_gpio_on_edge(&d->button, ML_GPIO_FALLING | ML_GPIO_RISING, edge, d);
}
EOF
    mirleft build -t rp2040 >/dev/null
}

@test "gpio edges raised by the pin interrupt reach callbacks in the event loop, timed" {
    edges_project
    run node "$RUNNER" --gpio-drive=15:0=1,50=0,70=1,120=0 dist/edges.elf
    assert_success
    assert_output "button 1 led 1
press at 50 ms, level 0, led 0
release at 70 ms, level 1, led 1
press at 120 ms, level 0, led 0"
    # with no edge the unikernel waits: the emulated-time limit ends it
    run node "$RUNNER" --sim-timeout=1 dist/edges.elf
    assert_failure 124
}

@test "an undriven input reads its pull: up is 1, down is 0" {
    edges_project
    run node "$RUNNER" --sim-timeout=0.01 dist/edges.elf
    assert_failure 124
    assert_line "button 1 led 1"
    sed -i 's/pull: up/pull: down/' unikernel.yml
    mirleft build -t rp2040 >/dev/null
    run node "$RUNNER" --sim-timeout=0.01 dist/edges.elf
    assert_line "button 0 led 1"
    sed -i 's/pull: down/pull: up/' unikernel.yml
    mirleft build -t rp2040 >/dev/null
}

@test "uart-echo: bytes fed to UART1 come back, the stop byte ends it" {
    mirleft new echo -T uart-echo >/dev/null
    cd echo
    mirleft build -t rp2040 >/dev/null
    printf 'hello\nworld\n\004' >in.txt
    MIRLEFT_RP2040_OPTS="--uart1-in=in.txt --uart1-out=out.txt" run mirleft run -t rp2040 --no-build
    assert_success
    assert_output "echoing on uart serial
echoed 12 bytes, 0 lost"
    assert_equal "$(cat out.txt)" "hello
world"
}

@test "uart: 6000 bytes at the full 115200 line rate, none lost" {
    cd echo
    head -c 6000 /dev/urandom | tr -d '\004' >big.bin
    n=$(stat -c %s big.bin)
    printf '\004' >>big.bin
    run node "$RUNNER" --uart1-in=big.bin --uart1-out=big.out dist/echo.elf
    assert_success
    assert_line "echoed $n bytes, 0 lost"
    head -c "$n" big.bin | cmp - big.out
}

@test "the runner checks UART1's baud rate against the one expected" {
    cd echo
    mirleft build -t rp2040 >/dev/null
    printf 'x\004' >in.txt
    run --separate-stderr node "$RUNNER" --uart1-baud=9600 --uart1-in=in.txt dist/echo.elf
    assert_failure 125
    assert_regex "$stderr" "UART1 byte sent at 115[0-9]{3} baud, 8 bits, expected 9600 8N1"
}

@test "pin and peripheral conflicts are configuration errors at their position" {
    mkdir -p conflicts && cd conflicts
    cat >unikernel.yml <<EOF
name: conflicts
min-version: $(cat "$SRC/VERSION")
sources: [unikernel.c]
devices:
  console: console
  led: { type: gpio, pin: 0x4, output: true }
  serial: { type: uart, instance: 0, tx: 4, rx: 5 }
  rx: { type: gpio, pin: 1 }
  a: { type: gpio, pin: 25 }
  b: { type: gpio, pin: 25 }
EOF
    echo 'int start(void *d, const void *a) { (void)d; (void)a; return 0; }' >unikernel.c
    run mirleft configure -t rp2040
    assert_failure 3
    assert_line "unikernel.yml:7:35: error: uart 0 (instance of device 'serial') is reserved on target 'rp2040': UART0 is the console"
    assert_line "unikernel.yml:7:42: error: pin 4 (tx of device 'serial') is already used by device 'led'"
    assert_line "unikernel.yml:6:27: hint: device 'led' claims pin 4 here"
    assert_line "unikernel.yml:8:26: error: pin 1 (device 'rx') is reserved on target 'rp2040': the console's UART0 RX"
    assert_line "unikernel.yml:10:25: error: pin 25 (device 'b') is already used by device 'a'"
    refute [ -d _build/rp2040 ]
    # the same project without the conflicts configures
    sed -i 's/instance: 0, tx: 4, rx: 5/instance: 1, tx: 8, rx: 9/; s/pin: 1 }/pin: 2 }/; s/b: { type: gpio, pin: 25 }/b: { type: gpio, pin: 26 }/' unikernel.yml
    run mirleft configure -t rp2040
    assert_success
}

@test "i2c-sensor: reads a simulated sensor's register at 400 kHz; a NAK is an error code" {
    mirleft new sensor -T i2c-sensor >/dev/null
    cd sensor
    mirleft build -t rp2040 >/dev/null
    MIRLEFT_RP2040_OPTS=--i2c=0:0x48:1780 run mirleft run -t rp2040 --no-build
    assert_success
    assert_output "reading the sensor at 0x48 on i2c sensor
0 ms: 23.50 C
1000 ms: 23.50 C
2000 ms: 23.50 C"
    # a negative reading, and the register pointer written before the read
    run node "$RUNNER" --i2c=0:0x48:FF80 dist/sensor.elf --reads=1
    assert_output --partial "0 ms: -0.50 C"
    # nothing at 0x49: the address is not acknowledged, -ENXIO (-6)
    run node "$RUNNER" --i2c=0:0x48:1780 dist/sensor.elf --addr=0x49
    assert_failure 1
    assert_line "sensor at 0x49: error -6 (no acknowledge: nothing at that address)"
}

@test "spi-loopback: synchronous and interrupt-driven transfers come back, at the bus rate" {
    mirleft new loop -T spi-loopback >/dev/null
    cd loop
    mirleft build -t rp2040 >/dev/null
    MIRLEFT_RP2040_OPTS=--spi=0:loopback run mirleft run -t rp2040 --no-build
    assert_success
    assert_line --index 0 "spi bus at 992063 Hz"
    # 64 frames of 8 bits at 992 kHz take 516 µs on the wire
    assert_line --index 1 --regexp '^sync: 64 bytes back in 5[1-4][0-9] us$'
    assert_line --index 2 --regexp '^async: 64 bytes back in 5[1-9][0-9] us$'
    # fewer frames than the RX interrupt's level: the receive timeout ends it
    run node "$RUNNER" --spi=0:loopback dist/loop.elf --size=3
    assert_success
    assert_line --regexp '^async: 3 bytes back in [0-9]+ us$'
    # no wire: what comes back is not what went out
    run node "$RUNNER" dist/loop.elf
    assert_failure 1
    assert_line "sync: byte 0 sent 0x01, received 0x00"
}

@test "kv_ro crunch on rp2040: the files are served from flash" {
    mirleft new kv -T kv >/dev/null
    cd kv
    run mirleft run -t rp2040
    assert_success
    assert_line --regexp '^hello.txt +43 f30d58cf5efb37d02c35d73c08bd60f78abff237db58dcb8f406ea4ef49ead6d$'
    assert_line "3 files, 307 bytes"
    # the embedded tree is in the XIP flash window, not copied to RAM
    addr=$(arm-none-eabi-nm dist/kv.elf | awk '/mlgen_tree_files/ { print $1; exit }')
    [ -n "$addr" ] && [ "${addr:0:2}" = "10" ] || fail "tree at '$addr', not in flash"
}

@test "pins a peripheral cannot use and values out of range are refused at configure, at their position" {
    cd echo
    cp unikernel.yml unikernel.yml.orig
    sed -i 's/tx: 4/tx: 6/; s/baud: 115200/baud: 5000000/' unikernel.yml
    run mirleft configure -t rp2040
    assert_failure 3
    assert_line "unikernel.yml:8:42: error: tx 6 of device 'serial': target 'rp2040' allows 4, 8, 20, 24"
    cp unikernel.yml.orig unikernel.yml
    sed -i 's/baud: 115200/baud: 5000000/' unikernel.yml
    run mirleft configure -t rp2040
    assert_failure 3
    assert_line --regexp "^unikernel.yml:8:[0-9]+: error: baud 5000000 of device 'serial': target 'rp2040' allows 300..921600$"
    cp unikernel.yml.orig unikernel.yml
    cd "$BATS_FILE_TMPDIR/sensor"
    cp unikernel.yml unikernel.yml.orig
    sed -i 's/bus: 0, sda: 4, scl: 5/bus: 1, sda: 4, scl: 5/' unikernel.yml
    run mirleft configure -t rp2040
    assert_failure 3
    assert_line --regexp "^unikernel.yml:[0-9]+:[0-9]+: error: bus 1 of device 'sensor': target 'rp2040' allows 0 with sda 4, scl 5$"
    cp unikernel.yml.orig unikernel.yml
}
