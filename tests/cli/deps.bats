#!/usr/bin/env bats
# Device dependencies: missing, of the wrong type, ambiguous, cycles. The
# stock catalogue has one dependency (kv_ro's block), so these tests add a
# toy device type with a console dependency and a toy-to-toy one to a copy
# of the data; resolution must handle them with no change to mirleft.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_app 0
    copy_data
    add_toy_type
    add_toy_target
    TARGET=toy
}

@test "dependency on a device that is not declared, with did-you-mean" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: hi, out: cno }\n'; } >unikernel.yml
    run mirleft configure -t toy
    assert_failure 3
    assert_output "unikernel.yml:6:35: error: device 'a' depends on 'cno', which is not declared
    6 |   a: { type: toy, label: hi, out: cno }
      |                                   ^
unikernel.yml:6:35: hint: did you mean 'con'?"
    assert_nothing_built
}

@test "dependency on a device of the wrong type" {
    { yml_head; printf 'devices:\n  con: console\n  clk: clock\n  a: { type: toy, label: hi, out: clk }\n'; } >unikernel.yml
    run mirleft configure -t toy
    assert_failure 3
    assert_output "unikernel.yml:7:35: error: 'out' of device 'a' must be a console device, but 'clk' is a clock
    7 |   a: { type: toy, label: hi, out: clk }
      |                                   ^"
    assert_nothing_built
}

@test "dependency of the wrong type in the stock catalogue: kv_ro's block" {
    { yml_head; printf 'devices:\n  c: console\n  site: { type: kv_ro, backend: tar, dir: ., block: c }\n'; } >unikernel.yml
    run mirleft check -t hvt
    assert_failure 3
    assert_line "unikernel.yml:6:53: error: 'block' of device 'site' must be a block device, but 'c' is a console"
    assert_nothing_built
}

@test "a required dependency with no device of its type" {
    { yml_head; printf 'devices:\n  a: { type: toy, label: hi }\n'; } >unikernel.yml
    assert_config_error 3 "5:3: error: device 'a' needs a console device for 'out' and none is declared" \
        "5:3: hint: declare one under devices:, e.g. 'console: { type: console }'"
}

@test "an ambiguous dependency must be named" {
    { yml_head; printf 'devices:\n  c1: console\n  c2: console\n  a: { type: toy, label: hi }\n'; } >unikernel.yml
    assert_config_error 3 "7:3: error: device 'a' needs a console device for 'out' and there are 2: say which with 'out: NAME'"
}

@test "the only device of the type is bound when none is named" {
    { yml_head; printf 'devices:\n  c1: console\n  a: { type: toy, label: hi }\n'; } >unikernel.yml
    run mirleft describe -t toy
    assert_success
    assert_line "    out -> c1"
}

@test "a cycle of two devices" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: hi, peer: b }\n  b: { type: toy, label: ho, peer: a }\n'; } >unikernel.yml
    run mirleft configure -t toy
    assert_failure 3
    assert_output "unikernel.yml:6:3: error: the device graph has a cycle: a -> b -> a
    6 |   a: { type: toy, label: hi, peer: b }
      |   ^"
    assert_nothing_built
}

@test "a cycle of three devices names them in order" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: a, peer: b }\n  b: { type: toy, label: b, peer: c }\n  c: { type: toy, label: c, peer: a }\n'; } >unikernel.yml
    assert_config_error 3 "6:3: error: the device graph has a cycle: a -> b -> c -> a"
}

@test "a device that depends on itself" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: hi, peer: a }\n'; } >unikernel.yml
    assert_config_error 3 "6:3: error: the device graph has a cycle: a -> a"
}

@test "peers of the same type are never bound by guess (no cycle nobody wrote)" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: a }\n  b: { type: toy, label: b }\n'; } >unikernel.yml
    run mirleft describe -t toy
    assert_success
    refute_output --partial "peer ->"
    assert_line "    out -> con"
}

@test "a chain is initialised dependencies first" {
    { yml_head; printf 'devices:\n  a: { type: toy, label: a, peer: b }\n  b: { type: toy, label: b }\n  con: console\n'; } >unikernel.yml
    run mirleft describe -t toy
    assert_success
    assert_line --index 1 "  con: console"
    assert_line --index 2 "  b: toy"
    assert_line --index 6 "  a: toy"
    run mirleft query -t toy main.c
    assert_success
    # b's init comes before a's, which points at it.
    local b a
    b=$(grep -n 'ml_toy_init(&d->b' <<<"$output" | cut -d: -f1)
    a=$(grep -n 'ml_toy_init(&d->a' <<<"$output" | cut -d: -f1)
    assert [ "$b" -lt "$a" ]
    assert_line "        cfg.peer = &d->b;"
}

@test "a required parameter that is missing" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy }\n'; } >unikernel.yml
    assert_config_error 3 "6:3: error: device 'a' (toy) needs parameter 'label': what it says"
}

@test "a parameter of the wrong type" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: hi, level: loud }\n'; } >unikernel.yml
    assert_config_error 3 "6:37: error: parameter 'level' of device 'a' (int): expected an integer, found 'loud'"
}

@test "a parameter bound to an argument of another type" {
    { yml_head; printf 'devices:\n  con: console\n  a: { type: toy, label: hi, level: { arg: lvl } }\nargs:\n  lvl: string\n'; } >unikernel.yml
    assert_config_error 3 "6:44: error: argument 'lvl' is string but parameter 'level' of device 'a' is int"
}
