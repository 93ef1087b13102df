#!/usr/bin/env bats
# mirleft new --template SOURCE: a local directory or a git repository
# (URL#REV) as the template, placeholders in names and contents, and what
# is refused. Local repositories only: no network.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

setup() {
    export MIRLEFT_CACHE="$BATS_TEST_TMPDIR/cache"
    cd "$BATS_TEST_TMPDIR"
    mkdir -p tpl/src
    printf 'name: {{name}}\nmin-version: {{version}}\nsources: [src/{{name}}.c]\ndevices:\n  console: console\n' > tpl/unikernel.yml
    printf '#include <stdio.h>\n#include "devices.h"\nint start(struct devices *d, const struct args *a)\n{ (void)d; (void)a; printf("I am {{name}}\\n"); return 0; }\n' > 'tpl/src/{{name}}.c'
    printf '\000\001{{name}}' > tpl/blob.bin
    printf '#!/bin/sh\necho {{name}}\n' > tpl/run.sh
    chmod +x tpl/run.sh
}

git_template() {
    git -C tpl init -q
    git -C tpl add -A
    git -C tpl -c user.email=t@t -c user.name=t commit -qm one
    git -C tpl tag v1
}

@test "new --template DIR: placeholders filled in names and text, binary kept, mode kept" {
    run mirleft new --template ./tpl proj
    assert_success
    assert_line "created proj from template './tpl'"
    [ -f proj/src/proj.c ]
    run grep -c 'I am proj' proj/src/proj.c
    assert_output 1
    run grep "^min-version: $(cat "$MIRLEFT_SRC/VERSION")$" proj/unikernel.yml
    assert_success
    cmp tpl/blob.bin proj/blob.bin
    [ -x proj/run.sh ]
    cd proj
    run mirleft run
    assert_success
    assert_line "I am proj"
}

@test "new --template file://REPO#TAG and the default branch (HEAD)" {
    git_template
    echo 'two' > tpl/later.txt
    git -C tpl add -A
    git -C tpl -c user.email=t@t -c user.name=t commit -qm two
    run mirleft new --template "file://$BATS_TEST_TMPDIR/tpl#v1" at-tag
    assert_success
    [ -f at-tag/src/at-tag.c ]
    [ ! -e at-tag/later.txt ]     # v1 predates it
    run mirleft new --template "file://$BATS_TEST_TMPDIR/tpl" at-head
    assert_success
    [ -f at-head/later.txt ]
    [ ! -e at-head/.git ]
    cd at-head && run mirleft run
    assert_line "I am at-head"
}

@test "new --template: a rev that does not exist, a non-template, a missing directory" {
    git_template
    run mirleft new --template "file://$BATS_TEST_TMPDIR/tpl#v9" p
    assert_failure 1
    assert_output --partial "no tag, branch or commit 'v9'"
    [ ! -e p ]
    mkdir -p empty-tpl && echo hi > empty-tpl/README
    run mirleft new --template ./empty-tpl p
    assert_failure 1
    assert_output "mirleft: ./empty-tpl is not a template: it has no unikernel.yml"
    [ ! -e p ]
    run mirleft new --template ./nowhere p
    assert_failure 1
    assert_output "mirleft: template directory ./nowhere does not exist"
}

@test "new --template: a symbolic link in the template is refused, nothing written" {
    ln -s /etc/passwd tpl/evil
    run mirleft new --template ./tpl p
    assert_failure 1
    assert_output "mirleft: template file ./tpl/evil is a symbolic link: refused, a template may not point outside itself"
    [ ! -e p ]
    run ls -A
    refute_output --partial ".p.mirleft-new"
}
