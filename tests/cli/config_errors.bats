#!/usr/bin/env bats
# Every class of error in unikernel.yml: FILE:LINE:COL: error: ..., the
# source line with a caret, the hint, the exit code (3 invalid, 5 the target
# cannot build it), and nothing written.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_app 0
}

@test "malformed YAML: libyaml's problem at libyaml's position, exit 3" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c
devices: {}
EOF
    assert_config_error 3 "4:8: error: YAML syntax: did not find expected ',' or ']' while parsing a flow sequence (line 3)"
}

@test "malformed YAML: a tab where indentation is expected" {
    printf 'name: proj\nmin-version: %s\nsources:\n\t- unikernel.c\n' "$VERSION" >unikernel.yml
    run mirleft configure
    assert_failure 3
    assert_line --index 0 --regexp '^unikernel\.yml:4:1: error: YAML syntax: found character that cannot start any token'
    assert_nothing_built
}

@test "an empty file says what it expected" {
    : >unikernel.yml
    assert_config_error 3 "1:1: error: the file is empty: expected a mapping with at least 'name' and 'min-version'"
}

@test "a top level that is not a mapping" {
    write_yml <<'EOF'
- name: proj
EOF
    assert_config_error 3 "1:1: error: unikernel.yml: expected a mapping, found a sequence"
}

@test "unknown top-level key: error, caret line and did-you-mean" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sourcs: [unikernel.c]
sources: [unikernel.c]
EOF
    run mirleft configure
    assert_failure 3
    assert_output "unikernel.yml:3:1: error: unknown key 'sourcs'
    3 | sourcs: [unikernel.c]
      | ^
unikernel.yml:3:1: hint: did you mean 'sources'?"
    assert_nothing_built
}

@test "unknown key with nothing near lists the valid keys" {
    { yml_head; echo "zzzzzzzz: 1"; } >unikernel.yml
    assert_config_error 3 "4:1: error: unknown key 'zzzzzzzz'" \
        "4:1: hint: expected one of: name, min-version, max-version, sources, entry, cflags, devices, args, targets, libraries, printf-float"
}

@test "unknown key inside a device: did you mean the parameter" {
    { yml_head; echo "devices:"; echo "  console: { type: console, nmae: con }"; } >unikernel.yml
    assert_config_error 3 "5:29: error: unknown key for a console device 'nmae'" \
        "5:29: hint: did you mean 'name'?"
}

@test "unknown key inside an argument" {
    { yml_head; echo "args:"; echo "  n: { type: int, defualt: 1 }"; } >unikernel.yml
    assert_config_error 3 "5:19: error: unknown argument key 'defualt'" \
        "5:19: hint: did you mean 'default'?"
}

@test "wrong type: a sequence where a scalar is expected" {
    write_yml <<EOF
name: [proj]
min-version: $VERSION
sources: [unikernel.c]
EOF
    assert_config_error 3 "1:7: error: name: expected a scalar, found a sequence"
}

@test "wrong type: devices must be a mapping" {
    { yml_head; echo "devices: [console]"; } >unikernel.yml
    assert_config_error 3 "4:10: error: devices: expected a mapping, found a sequence"
}

@test "wrong type: a device parameter of the wrong type" {
    { yml_head; echo "devices:"; echo "  console: { type: console, name: [a] }"; } >unikernel.yml
    assert_config_error 3 "5:35: error: name: expected a scalar, found a sequence"
}

@test "missing required key 'sources' at the top, with a hint" {
    write_yml <<EOF
name: proj
min-version: $VERSION
EOF
    assert_config_error 3 "1:1: error: missing required key 'sources'" \
        "1:1: hint: add 'sources: [unikernel.c]'"
}

@test "missing required key 'name' at the top, with a hint" {
    write_yml <<EOF
min-version: $VERSION
sources: [unikernel.c]
EOF
    assert_config_error 3 "1:1: error: missing required key 'name'" \
        "1:1: hint: add 'name: my-unikernel'"
}

@test "missing required key 'min-version' suggests this version" {
    write_yml <<'EOF'
name: proj
sources: [unikernel.c]
EOF
    assert_config_error 3 "1:1: error: missing required key 'min-version'" \
        "1:1: hint: add 'min-version: $VERSION' (this mirleft's version)"
}

@test "missing 'type' in a device names the device" {
    { yml_head; echo "devices:"; echo "  con: { name: con }"; } >unikernel.yml
    assert_config_error 3 "5:8: error: device 'con': missing required key 'type'"
}

@test "missing 'type' in an argument names the argument" {
    { yml_head; echo "args:"; echo "  n: { default: 1 }"; } >unikernel.yml
    assert_config_error 3 "5:6: error: argument 'n': missing required key 'type'"
}

@test "a source file that does not exist" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c, missing.c]
EOF
    assert_config_error 3 "3:24: error: sources: 'missing.c' does not exist"
}

@test "a source outside the project is refused" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [../unikernel.c]
EOF
    assert_config_error 3 "3:11: error: sources: '../unikernel.c': expected a .c file relative to the project directory, inside it"
}

@test "a source name make cannot handle is refused before the build" {
    cp unikernel.c 'my app.c'
    cp unikernel.c 'a$b.c'
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: ["my app.c", "a\$b.c"]
EOF
    run mirleft build
    assert_failure 3
    assert_line --index 0 "unikernel.yml:3:11: error: sources: 'my app.c': a file name may only use letters, digits and . _ + - /"
    assert_line "unikernel.yml:3:23: error: sources: 'a\$b.c': a file name may only use letters, digits and . _ + - /"
    assert_nothing_built
}

@test "a source listed twice" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c, unikernel.c]
EOF
    assert_config_error 3 "3:24: error: sources: 'unikernel.c' is listed twice"
}

@test "duplicate top-level key points at both" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
name: other
EOF
    assert_config_error 3 "4:1: error: duplicate key 'name'" \
        "1:1: hint: 'name' was first given here"
}

@test "a device name used twice is a duplicate key" {
    { yml_head; printf 'devices:\n  con: console\n  clk: clock\n  con: clock\n'; } >unikernel.yml
    run mirleft configure
    assert_failure 3
    assert_output "unikernel.yml:7:3: error: duplicate key 'con'
    7 |   con: clock
      |   ^
unikernel.yml:5:3: hint: 'con' was first given here"
    assert_nothing_built
}

@test "two devices with the same host-side name" {
    copy_data
    { yml_head; printf 'devices:\n  a: { type: block, name: disk }\n  b: { type: block, name: disk }\n'; } >unikernel.yml
    run mirleft configure -t hvt
    assert_failure 3
    assert_line --index 0 "unikernel.yml:6:3: error: devices 'a' and 'b' have the same host-side name 'disk'"
    assert_nothing_built
}

@test "an argument default of the wrong type" {
    { yml_head; echo "args:"; echo "  count: { type: int, default: many }"; } >unikernel.yml
    assert_config_error 3 "5:32: error: default of argument 'count' (int): expected an integer, found 'many'"
}

@test "an argument default of the wrong type: bool and ipv4" {
    { yml_head; echo "args:"; echo "  on: { type: bool, default: yes-please }";
      echo "  ip: { type: ipv4, default: 10.0.0.300/24 }"; } >unikernel.yml
    run mirleft configure
    assert_failure 3
    assert_line --index 0 "unikernel.yml:5:30: error: default of argument 'on' (bool): expected true or false, found 'yes-please'"
    assert_line "unikernel.yml:6:30: error: default of argument 'ip' (ipv4): expected an IPv4 address with prefix, such as 10.0.0.2/24, found '10.0.0.300/24'"
    assert_nothing_built
}

@test "an unknown argument type suggests the nearest, or lists them" {
    { yml_head; echo "args:"; echo "  n: { type: strng }"; } >unikernel.yml
    assert_config_error 3 "5:14: error: unknown argument type 'strng'" \
        "5:14: hint: did you mean 'string'?"
    { yml_head; echo "args:"; echo "  n: { type: integer }"; } >unikernel.yml
    assert_config_error 3 "5:14: error: unknown argument type 'integer'" \
        "5:14: hint: expected one of: string, int, bool, size, ipv4, ipv4-addr, mac"
}

@test "bad project name" {
    write_yml <<EOF
name: Proj_1
min-version: $VERSION
sources: [unikernel.c]
EOF
    assert_config_error 3 "1:7: error: name 'Proj_1': expected a lower-case letter followed by up to 62 lower-case letters, digits or '-'"
}

@test "bad device name: upper case" {
    { yml_head; echo "devices:"; echo "  Con: console"; } >unikernel.yml
    assert_config_error 3 "5:3: error: device name 'Con': expected a C identifier in lower case ([a-z][a-z0-9_]*, at most 63 characters, not a C keyword)"
}

@test "bad device name: a C keyword" {
    { yml_head; echo "devices:"; echo "  int: console"; } >unikernel.yml
    assert_config_error 3 "5:3: error: device name 'int': expected a C identifier in lower case ([a-z][a-z0-9_]*, at most 63 characters, not a C keyword)"
}

@test "bad argument names: invalid, reserved, C keyword" {
    { yml_head; echo "args:"; echo "  Foo: string"; echo "  help: string"; echo "  do: int"; } >unikernel.yml
    run mirleft configure
    assert_failure 3
    assert_line --index 0 "unikernel.yml:5:3: error: argument name 'Foo': expected a lower-case letter followed by lower-case letters, digits or '-'"
    assert_line "unikernel.yml:6:3: error: argument name 'help' is reserved: every unikernel has --help and --log"
    assert_line "unikernel.yml:7:3: error: argument name 'do' is a C keyword and cannot name a field of struct args"
    assert_nothing_built
}

@test "bad entry name" {
    { yml_head; echo "entry: 2start"; } >unikernel.yml
    assert_config_error 3 "4:8: error: entry '2start': expected a C function name"
}

@test "unknown device type suggests the nearest" {
    { yml_head; echo "devices:"; echo "  c: consle"; } >unikernel.yml
    assert_config_error 3 "5:6: error: unknown device type 'consle'" \
        "5:6: hint: did you mean 'console'?"
}

@test "a device type the target does not provide: exit 5, lists what it provides" {
    copy_data
    add_toy_type
    { yml_head; echo "devices:"; echo "  beep: { type: toy, label: x }"; echo "  c: console"; } >unikernel.yml
    run mirleft configure
    assert_failure 5
    assert_output "unikernel.yml:5:17: error: target 'spt' does not provide device type 'toy' (device 'beep')
    5 |   beep: { type: toy, label: x }
      |                 ^
unikernel.yml:5:17: hint: target 'spt' provides: $(provided_by spt)"
    assert_nothing_built
}

@test "check reports a device type the target lacks with exit 5 too" {
    copy_data
    add_toy_type
    add_toy_target
    { yml_head; echo "devices:"; echo "  c: console"; echo "  t: { type: toy, label: x }"; } >unikernel.yml
    run mirleft check
    assert_failure 5
    assert_line --index 0 "unikernel.yml:6:14: error: target 'spt' does not provide device type 'toy' (device 't')"
    assert_line "unikernel.yml:6:14: hint: target 'spt' provides: $(provided_by spt)"
    run mirleft check -t toy
    assert_success
    assert_nothing_built
}

@test "an override for an unknown target suggests the nearest" {
    { yml_head; printf 'devices:\n  console: console\ntargets:\n  sptt: { devices: { console: { name: c } } }\n'; } >unikernel.yml
    assert_config_error 3 "7:3: error: unknown target 'sptt'" "7:3: hint: did you mean 'spt'?"
}

@test "an override cannot change a device's type" {
    { yml_head; printf 'devices:\n  console: console\ntargets:\n  spt: { devices: { console: { type: clock } } }\n'; } >unikernel.yml
    assert_config_error 3 "7:38: error: a target override cannot change a device's type"
}

@test "errors keep going: every error of the file is reported" {
    write_yml <<EOF
name: Proj
min-version: $VERSION
sources: [unikernel.c]
bogus: 1
args:
  n: { type: int, default: x }
EOF
    run mirleft check
    assert_failure 3
    assert_line "unikernel.yml:4:1: error: unknown key 'bogus'"
    assert_line "unikernel.yml:1:7: error: name 'Proj': expected a lower-case letter followed by up to 62 lower-case letters, digits or '-'"
    assert_line "unikernel.yml:6:28: error: default of argument 'n' (int): expected an integer, found 'x'"
}

@test "-f FILE: messages name that file" {
    mkdir sub
    write_app 0
    cp unikernel.c sub/
    { yml_head; echo "bogus: 1"; } >sub/other.yml
    run mirleft configure -f sub/other.yml
    assert_failure 3
    assert_line --index 0 "sub/other.yml:4:1: error: unknown key 'bogus'"
    assert [ ! -e sub/_build ]
    assert_nothing_built
}

@test "YAML aliases and a second document are refused" {
    write_yml <<EOF
name: &n proj
min-version: $VERSION
sources: [unikernel.c]
entry: *n
EOF
    assert_config_error 3 "4:8: error: YAML aliases (*n) are not supported: write the value out"
    printf -- '---\nname: a\n---\nname: b\n' >unikernel.yml
    assert_config_error 3 "3:1: error: expected one YAML document, found a second"
}
