#!/usr/bin/env bats
# The commands that read a project without building it: check, describe,
# query; and clean, which removes only what mirleft made.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_project
}

# ---- check ----------------------------------------------------------

@test "check: ok for the default target, writes nothing" {
    before=$(snapshot)
    run mirleft check
    assert_success
    assert_output "unikernel.yml: ok for spt"
    assert_equal "$(snapshot)" "$before"
}

@test "check -t TARGET: a planned target is checked and flagged" {
    run mirleft check -t xen
    assert_success
    assert_output "unikernel.yml: ok for xen (target not buildable yet)"
    run mirleft check --target spt
    assert_output "unikernel.yml: ok for spt"
}

@test "check -q prints nothing on success, still reports errors" {
    run mirleft check -q
    assert_success
    assert_output ""
    echo "bogus: 1" >>unikernel.yml
    run mirleft check --quiet
    assert_failure 3
    assert_line --index 0 "unikernel.yml:8:1: error: unknown key 'bogus'"
}

@test "check --all-targets: every target, one line each" {
    run mirleft check --all-targets
    assert_success
    assert_output "unikernel.yml: ok for hvt
unikernel.yml: ok for rp2040
unikernel.yml: ok for spt
unikernel.yml: ok for xen (target not buildable yet)"
}

@test "check --all-targets keeps going past a failing target" {
    copy_data
    add_toy_type
    add_toy_target
    { yml_head; echo "devices:"; echo "  c: console"; echo "  t: { type: toy, label: x }"; } >unikernel.yml
    run --separate-stderr mirleft check --all-targets
    assert_failure 5
    assert_output "unikernel.yml: ok for toy"
    for t in hvt rp2040 spt xen; do
        assert_regex "$stderr" "target '$t' does not provide device type 'toy'"
    done
    assert_nothing_built
}

@test "check: -t and --all-targets together are a usage error" {
    run mirleft check -t spt --all-targets
    assert_failure 2
    assert_output "mirleft check: give -t TARGET or --all-targets, not both
Try 'mirleft help check'."
}

@test "check never writes, even for an invalid file" {
    echo "bogus: 1" >>unikernel.yml
    before=$(snapshot)
    run mirleft check --all-targets
    assert_failure 3
    assert_equal "$(snapshot)" "$before"
}

@test "check: unknown target is exit 2, unexpected argument is exit 2" {
    run mirleft check -t nope
    assert_failure 2
    assert_line --index 0 "mirleft: unknown target 'nope'"
    run mirleft check extra
    assert_failure 2
    assert_output "mirleft check: unexpected argument 'extra'
Try 'mirleft help check'."
}

# ---- describe -------------------------------------------------------

@test "describe prints the resolved graph as text" {
    run mirleft describe
    assert_success
    assert_output "proj for spt: 1 device, 1 argument
  console: console
  --hello: string = Hello World!  # what to print"
}

@test "describe shows parameters, Solo5 handles and host names" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
  disk: { type: block, size: 1M }
  data: { type: block, name: store }
EOF
    run mirleft describe -t hvt
    assert_success
    assert_output "proj for hvt: 3 devices, 0 arguments
  console: console
  disk: block [BLOCK_BASIC, handle 1]
    size = 1M
  data: block host name store [BLOCK_BASIC, handle 2]
    size = 64M"
}

@test "describe --dot prints a Graphviz digraph" {
    run mirleft describe --dot
    assert_success
    assert_output 'digraph "proj" {
  rankdir=LR;
  node [shape=box];
  "console" [label="console\nconsole"];
}'
}

@test "describe --dot: one node per device, one labelled edge per dependency" {
    copy_data
    add_toy_type
    add_toy_target
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  con: console
  a: { type: toy, label: a, peer: b }
  b: { type: toy, label: b }
EOF
    run mirleft describe -t toy --dot
    assert_success
    assert_line --index 0 'digraph "proj" {'
    assert_line '  "a" [label="a\ntoy"];'
    assert_line '  "a" -> "con" [label="out"];'
    assert_line '  "a" -> "b" [label="peer"];'
    assert_line '  "b" -> "con" [label="out"];'
    assert_line --index $((${#lines[@]} - 1)) '}'
    assert_equal "$(grep -c -- ' -> ' <<<"$output")" 3
}

@test "describe writes nothing and reports config errors" {
    before=$(snapshot)
    mirleft describe >/dev/null
    assert_equal "$(snapshot)" "$before"
    echo "bogus: 1" >>unikernel.yml
    run mirleft describe
    assert_failure 3
    assert_line --index 0 "unikernel.yml:8:1: error: unknown key 'bogus'"
}

# ---- query ----------------------------------------------------------

@test "query with no name lists the generated files" {
    run mirleft query
    assert_success
    assert_output "Makefile
args.c
buildinfo.c
compile_commands.json
devices.h
main.c
manifest.c"
}

@test "query FILE prints exactly what configure writes, for every file" {
    before=$(snapshot)
    for f in $(mirleft query); do
        mirleft query "$f" >"$BATS_TEST_TMPDIR/q.$f"
    done
    assert_equal "$(snapshot)" "$before"
    assert_nothing_built
    mirleft configure
    for f in $(mirleft query); do
        assert cmp "$BATS_TEST_TMPDIR/q.$f" "_build/spt/$f"
    done
}

@test "query of an unknown file: exit 2 with a suggestion" {
    run mirleft query main.cc
    assert_failure 2
    assert_output "mirleft query: unknown generated file 'main.cc'
hint: did you mean 'main.c'?"
    run mirleft query zzzzzzzzz
    assert_failure 2
    assert_output "mirleft query: unknown generated file 'zzzzzzzzz'
hint: \`mirleft query\` lists them"
    run mirleft query a b
    assert_failure 2
    assert_output "mirleft query: expected one generated file name
Try 'mirleft help query'."
}

@test "query -t for a target without a Solo5 manifest lists no manifest.c" {
    run mirleft query -t rp2040
    assert_success
    refute_line "manifest.c"
    assert_line "main.c"
}

# ---- clean ----------------------------------------------------------

@test "clean removes _build and dist and nothing else" {
    mirleft configure
    mkdir -p dist src
    echo image >dist/proj.spt
    echo keep >src/keep.c
    echo keep >_buildnot
    run mirleft clean
    assert_success
    assert_output ""
    assert_nothing_built
    run ls -A
    assert_output "_buildnot
src
unikernel.c
unikernel.yml"
    assert_equal "$(cat src/keep.c)" "keep"
}

@test "clean in a clean project is fine" {
    run mirleft clean
    assert_success
}

@test "clean -f FILE cleans that project only" {
    mkdir other
    cp unikernel.yml unikernel.c other/
    mkdir _build other/_build
    run mirleft clean -f other/unikernel.yml
    assert_success
    assert [ ! -e other/_build ]
    assert [ -d _build ]
}

@test "clean refuses outside a project and removes nothing" {
    rm unikernel.yml
    mkdir _build dist
    run mirleft clean
    assert_failure 1
    assert_output "mirleft: unikernel.yml not found: not a mirleft project directory"
    assert [ -d _build ]
    assert [ -d dist ]
}

@test "clean: an unexpected argument is exit 2" {
    mkdir _build
    run mirleft clean _build
    assert_failure 2
    assert_output "mirleft clean: unexpected argument '_build'
Try 'mirleft help clean'."
    assert [ -d _build ]
}
