#!/usr/bin/env bats
# mirleft new: templates, names, and never overwriting a user's directory.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

@test "new DIR scaffolds the hello template, named after DIR" {
    run mirleft new hello
    assert_success
    assert_output "created hello from template 'hello'
next: cd hello && mirleft build && mirleft run"
    run ls -A hello
    assert_output ".gitignore
README.md
unikernel.c
unikernel.yml"
    run grep -E '^(name|min-version):' hello/unikernel.yml
    assert_output "name: hello
min-version: $VERSION"
    run grep -c '{{' hello/unikernel.yml hello/unikernel.c hello/README.md
    assert_output "hello/unikernel.yml:0
hello/unikernel.c:0
hello/README.md:0"
}

@test "the scaffolded project checks clean and configures" {
    mirleft new app
    cd app
    run mirleft check
    assert_success
    assert_output "unikernel.yml: ok for spt"
}

@test "new leaves no temporary directory behind" {
    mirleft new a
    run ls -A
    assert_output "a"
}

@test "--template NAME and -T NAME" {
    run mirleft new --template hello t1
    assert_success
    assert_line --index 0 "created t1 from template 'hello'"
    run mirleft new -T hello t2
    assert_success
    assert diff -r t1/unikernel.c <(sed 's/t2/t1/g' t2/unikernel.c)
}

@test "--name NAME overrides the directory's name" {
    run mirleft new --name good-one some_dir
    assert_success
    run grep '^name:' some_dir/unikernel.yml
    assert_output "name: good-one"
    run mirleft new -n other x2
    assert_success
    run grep '^name:' x2/unikernel.yml
    assert_output "name: other"
}

@test "a trailing slash does not change the name" {
    mkdir p
    run mirleft new p/app/
    assert_success
    run grep '^name:' p/app/unikernel.yml
    assert_output "name: app"
}

@test "--list shows the templates with their summary" {
    run mirleft new --list
    assert_success
    assert_line --regexp '^hello +A first unikernel'
    run mirleft new -l
    assert_success
    # one line per template folder
    assert_equal "${#lines[@]}" "$(ls "$SRC/templates" | wc -l)"
}

@test "--list takes no directory" {
    run mirleft new --list foo
    assert_failure 2
    assert_output "mirleft new: --list takes no directory
Try 'mirleft help new'."
}

@test "refuses a non-empty directory and leaves it untouched" {
    mkdir keep
    echo mine >keep/unikernel.yml
    before=$(snapshot)
    run mirleft new keep
    assert_failure 1
    assert_output "mirleft: keep already exists and is not an empty directory; nothing was written"
    assert_equal "$(snapshot)" "$before"
    assert_equal "$(cat keep/unikernel.yml)" "mine"
}

@test "refuses an existing file" {
    echo data >f
    run mirleft new f
    assert_failure 1
    assert_output "mirleft: f already exists and is not an empty directory; nothing was written"
    assert_equal "$(cat f)" "data"
}

@test "an empty existing directory is fine" {
    mkdir empty
    run mirleft new empty
    assert_success
    assert [ -f empty/unikernel.yml ]
}

@test "invalid project name from the directory: exit 2, suggests --name" {
    run mirleft new Bad_Name
    assert_failure 2
    assert_output "mirleft new: 'Bad_Name' is not a valid project name (a lower-case letter, then lower-case letters, digits or '-'); pass --name NAME
Try 'mirleft help new'."
    assert [ ! -e Bad_Name ]
}

@test "invalid --name: exit 2, no advice to pass --name again" {
    run mirleft new --name 9lives dir
    assert_failure 2
    assert_output "mirleft new: '9lives' is not a valid project name (a lower-case letter, then lower-case letters, digits or '-')
Try 'mirleft help new'."
    assert [ ! -e dir ]
}

@test "unknown template: exit 2 with a suggestion, or the list" {
    run mirleft new --template helo x
    assert_failure 2
    assert_output "mirleft new: unknown template 'helo'
hint: did you mean 'hello'?"
    run mirleft new --template zzzzzzz x
    assert_failure 2
    assert_output "mirleft new: unknown template 'zzzzzzz'
hint: \`mirleft new --list\` lists them"
    assert [ ! -e x ]
}

@test "no directory, or two: exit 2" {
    run mirleft new
    assert_failure 2
    assert_output "mirleft new: expected one directory to create
Try 'mirleft help new'."
    run mirleft new a b
    assert_failure 2
    assert [ ! -e a ]
}

@test "an unknown option: exit 2" {
    run mirleft new --frobnicate x
    assert_failure 2
    assert_line "Try 'mirleft help new'."
    assert [ ! -e x ]
}
