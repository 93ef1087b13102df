#!/usr/bin/env bats
# Targets and device types are data: a copy of share/, targets/ and
# templates/ with a toy target and a toy device type added, used through
# MIRLEFT_DATADIR, works with no change to mirleft.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_app 0
    copy_data
    add_toy_type
    add_toy_target
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  con: console
  buzzer: { type: toy, label: "beep", level: 5 }
  horn: { type: toy, label: "honk", peer: buzzer }
EOF
}

@test "the toy target and the toy type are listed" {
    run mirleft targets
    assert_success
    assert_line --regexp '^toy +buildable +x86_64 '
    assert_line "         devices: toy $(provided_by spt | sed 's/,//g')"
    run mirleft devices
    assert_line --regexp '^toy +a toy device for tests$'
    run mirleft devices toy
    assert_success
    assert_output "toy: a toy device for tests
  header: <mirleft/toy.h>, C type: struct ml_toy
  param level: int = 3  # how loud
  param label: string  # what it says
  dep out: console device  # where it writes
  dep peer: toy device (optional)  # another toy"
}

@test "configure -t toy generates glue for the toy devices" {
    run mirleft configure -t toy
    assert_success
    assert_output "configured proj for toy in _build/toy (7 of 7 files changed)"
    run grep -F 'toy' _build/toy/devices.h
    assert_line '#include <mirleft/toy.h>'
    assert_line '    struct ml_toy buzzer; /* toy */'
    assert_line '    struct ml_toy horn; /* toy */'
    main=$(cat _build/toy/main.c)
    assert_regex "$main" 'struct ml_toy_config cfg = \{ \.name = "buzzer" \};
        cfg\.level = INT64_C\(5\);
        cfg\.label = "beep";
        cfg\.out = &d->con;
        if \(ml_toy_init\(&d->buzzer, &cfg\) != 0\)'
    assert_regex "$main" 'cfg\.level = INT64_C\(3\);
        cfg\.label = "honk";
        cfg\.out = &d->con;
        cfg\.peer = &d->buzzer;
        if \(ml_toy_init\(&d->horn, &cfg\) != 0\)'
    run grep -c "MLROOT := $DATA\$" _build/toy/Makefile
    assert_output "1"
}

@test "the toy type is unknown to the stock data" {
    unset MIRLEFT_DATADIR
    run mirleft check
    assert_failure 3
    assert_line --index 0 "unikernel.yml:6:19: error: unknown device type 'toy'"
    run mirleft check -t toy
    assert_failure 2
    assert_line --index 0 "mirleft: unknown target 'toy'"
}

@test "the stock targets do not provide the toy type: exit 5, lists what they do" {
    run mirleft configure -t spt
    assert_failure 5
    assert_line --index 0 "unikernel.yml:6:19: error: target 'spt' does not provide device type 'toy' (device 'buzzer')"
    assert_line "unikernel.yml:6:19: hint: target 'spt' provides: $(provided_by spt)"
    assert_nothing_built
}

@test "a toy device with an argument-bound parameter" {
    sed -i 's/level: 5 }/level: { arg: volume, default: 9, doc: "buzzer volume" } }/' unikernel.yml
    run mirleft describe -t toy
    assert_success
    assert_line "    level = --volume (default 9)"
    assert_line "  --volume: int = 9  # buzzer volume"
    run mirleft query -t toy main.c
    assert_line "        cfg.level = a->volume;"
}

@test "the toy device builds and runs on the toy target" {
    mkdir -p "$DATA/share/lib/toy"
    echo "sources: [share/lib/toy/toy.c]" >>"$DATA/share/devices/toy.yml"
    cat >"$DATA/share/include/mirleft/toy.h" <<'EOF'
#ifndef MIRLEFT_TOY_H
#define MIRLEFT_TOY_H
#include <stdint.h>
#include <mirleft/console.h>
struct ml_toy {
    const char *label;
};
struct ml_toy_config {
    const char *name;
    int64_t level;
    const char *label;
    struct ml_console *out;
    struct ml_toy *peer;
};
int ml_toy_init(struct ml_toy *dev, const struct ml_toy_config *cfg);
#endif
EOF
    cat >"$DATA/share/lib/toy/toy.c" <<'EOF'
#include <mirleft/toy.h>
int ml_toy_init(struct ml_toy *dev, const struct ml_toy_config *cfg)
{
    dev->label = cfg->label;
    ml_console_printf(cfg->out, "%s says %s at %d%s%s\n", cfg->name,
                      cfg->label, (int)cfg->level,
                      cfg->peer ? " after " : "",
                      cfg->peer ? cfg->peer->label : "");
    return 0;
}
EOF
    run mirleft build -t toy
    assert_success
    assert_line "  CC      share/lib/toy/toy.c"
    assert_line "  LD      proj.spt"
    run mirleft run -t toy --no-build
    assert_success
    assert_output "buzzer says beep at 5
horn says honk at 3 after beep"
}

@test "MIRLEFT_DATADIR that is not a data directory is refused" {
    export MIRLEFT_DATADIR=$BATS_TEST_TMPDIR
    run mirleft targets
    assert_failure 1
    assert_output "mirleft: MIRLEFT_DATADIR=$BATS_TEST_TMPDIR does not hold share/devices and targets/"
}

@test "a broken device type file is reported with its path and position" {
    printf 'type: toy\ndoc: "x"\nheader: mirleft/toy.h\nparams:\n  level: { type: integer }\n' >"$DATA/share/devices/toy.yml"
    run mirleft devices
    assert_failure 1
    assert_line --index 0 "$DATA/share/devices/toy.yml:5:18: error: unknown parameter type 'integer'"
}

# bindings: paths are relative to targets/NAME/ and are normalised; the toy
# target (a copy of spt) names the shared Solo5 guest code through ../../share.
toy_binding() {
    sed -i "s|^bindings:\$|bindings:\n  - $1|" "$DATA/targets/toy/target.yml"
    LINE=$(grep -n "^  - $1\$" "$DATA/targets/toy/target.yml" | cut -d: -f1)
}

@test "a toy target's bindings may name shared files: ../../share/..., compiled as share/..." {
    grep -q '^  - \.\./\.\./share/solo5/guest/start\.c$' "$DATA/targets/toy/target.yml"
    run mirleft configure -t toy
    assert_success
    run grep -E 'obj/ml/(share/solo5/guest|targets/toy/bindings)/[a-z]+\.o' _build/toy/Makefile
    assert_line $'\tobj/ml/share/solo5/guest/start.o \\'
    assert_line $'\tobj/ml/targets/toy/bindings/start.o'
    refute_output --partial '..'
    sed -i '/^  horn:/d; /^  buzzer:/d' unikernel.yml
    run mirleft build -t toy
    assert_success
    assert_line "  CC      share/solo5/guest/start.c"
    run mirleft run -t toy --no-build -- --solo5:quiet
    assert_success
}

@test "a bindings path that leaves the data root is refused at its position: exit 5" {
    toy_binding ../../../outside.c
    touch "$DATA/../outside.c"
    run mirleft check -t toy
    assert_failure 5
    assert_line --index 0 "$DATA/targets/toy/target.yml:$LINE:5: error: bindings path '../../../outside.c' leaves the data root"
    assert_line --index 1 "$(printf ' %4d |   - ../../../outside.c' "$LINE")"
    run mirleft targets
    assert_failure 5
    assert_line --index 0 "$DATA/targets/toy/target.yml:$LINE:5: error: bindings path '../../../outside.c' leaves the data root"
}

@test "a bindings path naming no file is refused at its position: exit 5" {
    toy_binding ../../share/solo5/guest/nope.c
    run mirleft configure -t toy
    assert_failure 5
    assert_line --index 0 "$DATA/targets/toy/target.yml:$LINE:5: error: bindings file '../../share/solo5/guest/nope.c' does not exist (no file $DATA/share/solo5/guest/nope.c)"
    assert_nothing_built
}

@test "a target providing a device type that does not exist: exit 1 at its position, nearest type" {
    sed -i 's/^  toy: {}$/  toy: {}\n  clokc: {}/' "$DATA/targets/toy/target.yml"
    line=$(grep -n '^  clokc:' "$DATA/targets/toy/target.yml" | cut -d: -f1)
    run mirleft check -t toy
    assert_failure 1
    assert_line --index 0 "$DATA/targets/toy/target.yml:$line:3: error: unknown device type 'clokc'"
    assert_output --partial "did you mean 'clock'?"
    run mirleft targets
    assert_failure 1
    assert_line --index 0 "$DATA/targets/toy/target.yml:$line:3: error: unknown device type 'clokc'"
}

@test "a target's default backend that its type does not list: exit 1 at its position" {
    sed -i 's/kv_ro: { backend: crunch }/kv_ro: { backend: crunchy }/' "$DATA/targets/toy/target.yml"
    line=$(grep -n 'backend: crunchy' "$DATA/targets/toy/target.yml" | cut -d: -f1)
    run mirleft configure -t toy
    assert_failure 1
    assert_line --index 0 --regexp "^$DATA/targets/toy/target.yml:$line:[0-9]+: error: unknown backend 'crunchy'"
    assert_output --partial "did you mean 'crunch'?"
    assert_nothing_built
}

@test "a YAML error in a target.yml is a data error: exit 1, with libyaml's position" {
    printf 'doc: "again"\n' >> "$DATA/targets/toy/target.yml"
    run mirleft targets
    assert_failure 1
    assert_output --regexp "target.yml:[0-9]+:1: error: duplicate key 'doc'"
}

@test "a runner without mem: mirleft run passes no --mem unless given one" {
    printf '#!/bin/sh\necho "runner got: $*"\n' >"$BATS_TEST_TMPDIR/runner.sh"
    chmod +x "$BATS_TEST_TMPDIR/runner.sh"
    sed -i -e "s|^  program: mirleft-spt$|  program: $BATS_TEST_TMPDIR/runner.sh|" \
        -e '/^  mem: [0-9]*/d' "$DATA/targets/toy/target.yml"
    grep -q "runner.sh" "$DATA/targets/toy/target.yml"
    write_yml <<EOF2
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  con: console
EOF2
    mkdir -p dist && touch dist/proj.spt
    run mirleft run -t toy --no-build -- --x=1
    assert_success
    assert_output "runner got: $PWD/dist/proj.spt --x=1"
    run mirleft run -t toy --no-build --mem 8
    assert_success
    assert_output "runner got: --mem=8 $PWD/dist/proj.spt"
}

@test "a device type whose dependency names a type that does not exist: exit 1 at its position, nearest type" {
    sed -i 's/  out: { type: console,/  out: { type: consle,/' "$DATA/share/devices/toy.yml"
    run mirleft devices
    assert_failure 1
    assert_line --index 0 "$DATA/share/devices/toy.yml:8:16: error: dependency 'out': unknown device type 'consle'"
    assert_output --partial "did you mean 'console'?"
    run mirleft check
    assert_failure 1
}

@test "a device type name that is not a C identifier is refused (it names C types)" {
    printf 'type: my-dev\ndoc: "x"\nheader: mirleft/x.h\n' >"$DATA/share/devices/my-dev.yml"
    run mirleft devices
    assert_failure 1
    assert_line --index 0 "$DATA/share/devices/my-dev.yml:1:7: error: type 'my-dev' must be a lowercase C identifier ([a-z][a-z0-9_]*): it names C types and functions"
}

@test "a device type with two embedded parameters is refused (a device gets one tree)" {
    cat >>"$DATA/share/devices/toy.yml" <<'EOF2'
  a: { type: path, host: true, embed: tree }
  b: { type: path, host: true, embed: tree }
EOF2
    # the params: mapping is above deps:, so move these lines under it
    python3 - "$DATA/share/devices/toy.yml" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().splitlines()
extra = lines[-2:]
lines = lines[:-2]
i = lines.index('deps:')
open(p, 'w').write('\n'.join(lines[:i] + extra + lines[i:]) + '\n')
PY
    run mirleft devices
    assert_failure 1
    assert_output --regexp "toy.yml:[0-9]+:[0-9]+: error: only one parameter of a type can be embedded \('a' is already\)"
}

@test "a target whose ldscript names no file is refused at its position: exit 5" {
    sed -i 's/^  ldscript: spt.ld$/  ldscript: sptt.ld/' "$DATA/targets/toy/target.yml"
    line=$(grep -n 'ldscript: sptt.ld' "$DATA/targets/toy/target.yml" | cut -d: -f1)
    run mirleft configure -t toy
    assert_failure 5
    assert_line --index 0 "$DATA/targets/toy/target.yml:$line:13: error: ldscript 'sptt.ld' does not exist (no file $DATA/targets/toy/sptt.ld)"
    assert_nothing_built
}

@test "sources patterns that name no file: a device type's (exit 1) and a ready target's (exit 5), at their position" {
    echo "sources: [share/lib/toy/*.c]" >>"$DATA/share/devices/toy.yml"
    run mirleft devices
    assert_failure 1
    assert_line --index 0 "$DATA/share/devices/toy.yml:10:11: error: sources pattern 'share/lib/toy/*.c' names no file under $DATA"
    mkdir -p "$DATA/share/lib/toy" && touch "$DATA/share/lib/toy/toy.c"
    run mirleft devices
    assert_success
    sed -i 's/^  toy: {}$/  toy: { sources: [toy\/*.c] }/' "$DATA/targets/toy/target.yml"
    line=$(grep -n '^  toy: { sources' "$DATA/targets/toy/target.yml" | cut -d: -f1)
    run mirleft targets
    assert_failure 5
    assert_line --index 0 "$DATA/targets/toy/target.yml:$line:20: error: sources pattern 'toy/*.c' names no file under $DATA/targets/toy"
}

# many_blocks N: a project with N block devices.
many_blocks() {
    {
        printf 'name: proj\nmin-version: %s\nsources: [unikernel.c]\ndevices:\n' "$VERSION"
        for i in $(seq "$1"); do echo "  d$i: { type: block }"; done
    } >unikernel.yml
}

@test "the device limit is the target's (solo5: max-devices): exit 5 naming target, limit and count" {
    many_blocks 200
    for t in spt hvt; do
        run mirleft configure -t "$t"
        assert_failure 5
        assert_line --index 0 "unikernel.yml:68:3: error: target '$t' allows at most 63 block and net devices (its Solo5 manifest), this project declares 200"
        assert_line "unikernel.yml:68:3: hint: 'd64' is device 64 of that kind; the limit is max-devices in $DATA/targets/$t/target.yml"
    done
    assert_nothing_built
    many_blocks 63
    run mirleft check -t spt
    assert_success
}

@test "a target's max-devices is data: a lower one applies, a target without the Solo5 manifest has none" {
    many_blocks 5
    sed -i 's/max-devices: 63/max-devices: 4/' "$DATA/targets/toy/target.yml"
    run mirleft configure -t toy
    assert_failure 5
    assert_line --index 0 "unikernel.yml:9:3: error: target 'toy' allows at most 4 block and net devices (its Solo5 manifest), this project declares 5"
    # without solo5: (no manifest) there is no limit
    sed -i '/^solo5:/d' "$DATA/targets/toy/target.yml"
    many_blocks 100
    run mirleft check -t toy
    assert_success
}

@test "max-devices above the manifest's 63 entries is a data error at its position" {
    sed -i 's/max-devices: 63/max-devices: 64/' "$DATA/targets/toy/target.yml"
    line=$(grep -n 'max-devices' "$DATA/targets/toy/target.yml" | cut -d: -f1)
    run mirleft targets
    assert_failure 1
    assert_line --index 0 --regexp "^$DATA/targets/toy/target.yml:$line:[0-9]+: error: max-devices: expected 1 to 63 \(the Solo5 manifest's 64 entries, less the reserved first\), found 64"
}

@test "claims: a toy parameter with claim: is unique per project and the target's reserved values are refused" {
    sed -i 's/  level: { type: int, default: 3, doc: "how loud" }/  level: { type: int, default: 3, claim: slot, doc: "how loud" }/' "$DATA/share/devices/toy.yml"
    printf 'reserved:\n  slot: { 7: "slot 7 is the tender'"'"'s" }\n' >>"$DATA/targets/toy/target.yml"
    { yml_head; echo "devices:"; echo "  c: console"
      echo "  a: { type: toy, label: x, level: 5 }"
      echo "  b: { type: toy, label: y, level: 0x5 }"
      echo "  d: { type: toy, label: z, level: 7 }"
      echo "  e: { type: toy, label: w }"; } >unikernel.yml
    run mirleft check -t toy
    assert_failure 3
    assert_line "unikernel.yml:7:36: error: slot 5 (level of device 'b') is already used by device 'a'"
    assert_line "unikernel.yml:6:36: hint: device 'a' claims slot 5 here"
    assert_line "unikernel.yml:8:36: error: slot 7 (level of device 'd') is reserved on target 'toy': slot 7 is the tender's"
    # e takes the default, 3: no conflict
    refute_output --partial "device 'e'"
    printf 'reserved:\n  slot: [7]\n' >>"$DATA/targets/toy/target.yml"
    run mirleft check -t toy
    assert_failure 1
    assert_output --partial "target.yml"
}

@test "allowed: a target limits a type's parameter values; the nearest entry's values are shown" {
    python3 - "$DATA/targets/toy/target.yml" <<'EOF'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace("  toy: {}", "  toy:\n    allowed:\n      - { label: [a, b], level: \"1..3\" }\n      - { label: c, level: [7, 9] }")
open(p, "w").write(s)
EOF
    { yml_head; echo "devices:"; echo "  c: console"
      echo "  a: { type: toy, label: a, level: 2 }"
      echo "  b: { type: toy, label: c, level: 0x9 }"
      echo "  d: { type: toy, label: a, level: 5 }"
      echo "  e: { type: toy, label: z, level: 7 }"; } >unikernel.yml
    run mirleft check -t toy
    assert_failure 3
    assert_line "unikernel.yml:8:36: error: level 5 of device 'd': target 'toy' allows 1..3 with label a"
    assert_line "unikernel.yml:9:26: error: label z of device 'e': target 'toy' allows c with level 7"
    refute_output --partial "device 'a'"
    refute_output --partial "device 'b'"
    sed -i 's/      - { label: c, level: \[7, 9\] }/      - [c]/' "$DATA/targets/toy/target.yml"
    run mirleft check -t toy
    assert_failure 1
    assert_output --partial "allowed entry"
}
