#!/usr/bin/env bats
# Colour: errors, warnings and hints are coloured on a terminal (a pty from
# script(1)), never in a pipe, never with NO_COLOR or --color=never, and
# always with --color=always.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

ESC=$'\e'

setup() {
    project_setup
    command -v script >/dev/null || skip "script (bsdutils) not installed"
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: consle
EOF
}

# on_tty CMD: runs the shell command CMD with its output on a pty.
on_tty() {
    run script -qec "$1" /dev/null
}

@test "on a terminal: the error label red, the hint cyan, the position bold, the caret green" {
    on_tty "mirleft check"
    assert_failure 3
    assert_output --partial "${ESC}[1munikernel.yml:5:12:${ESC}[0m ${ESC}[1;31merror:${ESC}[0m unknown device type 'consle'"
    assert_output --partial "${ESC}[1;36mhint:${ESC}[0m did you mean 'console'?"
    assert_output --partial "${ESC}[1;32m^${ESC}[0m"
    # a message about the environment: its mirleft: prefix red
    on_tty "mirleft check -f nope.yml"
    assert_failure 1
    assert_output --partial "${ESC}[1;31mmirleft:${ESC}[0m cannot read nope.yml"
}

@test "in a pipe: no colour, the text as before" {
    run mirleft check
    assert_failure 3
    [[ $output != *"$ESC"* ]]
    assert_line --index 0 "unikernel.yml:5:12: error: unknown device type 'consle'"
    run bash -c "mirleft check 2>&1 | cat"
    [[ $output != *"$ESC"* ]]
}

@test "NO_COLOR, TERM=dumb and --color=never turn it off on a terminal" {
    on_tty "NO_COLOR=1 mirleft check"
    assert_failure 3
    assert_output --partial "unikernel.yml:5:12: error: unknown device type"
    [[ $output != *"$ESC"* ]]
    on_tty "TERM=dumb mirleft check"
    [[ $output != *"$ESC"* ]]
    on_tty "mirleft check --color=never"
    assert_failure 3
    [[ $output != *"$ESC"* ]]
    on_tty "mirleft --color never check"
    [[ $output != *"$ESC"* ]]
    # an empty NO_COLOR is as if unset
    on_tty "NO_COLOR= mirleft check"
    [[ $output == *"$ESC"* ]]
}

@test "--color=always colours a pipe, even with NO_COLOR; --color=auto is the default" {
    run env NO_COLOR=1 mirleft --color=always check
    assert_failure 3
    assert_output --partial "${ESC}[1;31merror:${ESC}[0m"
    run mirleft check --color=auto
    [[ $output != *"$ESC"* ]]
    on_tty "mirleft check --color=auto"
    [[ $output == *"$ESC"* ]]
}

@test "--color with a bad value: exit 2" {
    run mirleft check --color=sometimes
    assert_failure 2
    assert_output "mirleft: --color: expected always, never or auto, got 'sometimes'"
}

@test "--color after -- is the unikernel's, not mirleft's" {
    write_project
    run mirleft run --color=never -- --color=never
    assert_failure
    assert_line --partial "proj: unknown argument --color"
}
