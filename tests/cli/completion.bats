#!/usr/bin/env bats
# Shell completion: the bash function of `mirleft completion bash`, driven
# as bash drives it (COMP_WORDS, COMP_CWORD), offers commands, options,
# targets, templates and device types from the command table and the data.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

# candidates WORD...: the candidates for the last word, one a line.
candidates() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _mirleft
    printf '%s\n' "${COMPREPLY[@]}"
}

setup() {
    project_setup
    source <(mirleft completion bash)
}

@test "completion bash defines _mirleft for mirleft" {
    run complete -p mirleft
    assert_output "complete -F _mirleft mirleft"
}

@test "commands: every command of the table, by prefix" {
    run candidates mirleft ""
    expected=$(mirleft help | sed -n '/^Commands:/,/^$/p' | grep -oE '^  [a-z]+' | tr -d ' ' | sort)
    assert_equal "$(echo "$output" | sort)" "$expected"
    run candidates mirleft c
    assert_output "configure
check
clean
completion"
}

@test "options: each command's table, so every option its usage lists" {
    for c in $(mirleft help | sed -n '/^Commands:/,/^$/p' | grep -oE '^  [a-z]+'); do
        offered=$(candidates mirleft "$c" --)
        for opt in $(mirleft help "$c" | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
            echo "$offered" | grep -qx -- "$opt" || fail "mirleft $c: $opt not offered"
        done
    done
    run candidates mirleft build --j
    assert_output "--jobs
--json"
    # run's options come from its usage text
    run candidates mirleft run --m
    assert_output "--mem"
}

@test "targets after -t and --target, from the target folders" {
    expected=$(ls "$MIRLEFT_SRC/targets")
    run candidates mirleft build -t ""
    assert_output "$expected"
    run candidates mirleft check --target s
    assert_output "spt"
    # bash splits --target=sp at the '='
    run candidates mirleft configure --target = sp
    assert_output "spt"
}

@test "templates after new --template, device types after devices" {
    run candidates mirleft new --template ""
    assert_output "$(ls "$MIRLEFT_SRC/templates")"
    run candidates mirleft devices ""
    assert_output "$(ls "$MIRLEFT_SRC/share/devices" | sed -n 's/\.yml$//p')"
    run candidates mirleft devices --json s
    assert_output "spi
stack"
    run candidates mirleft help de
    assert_output "describe
devices"
}

@test "--color values, anywhere; files after -f" {
    run candidates mirleft --color ""
    assert_output "always
auto
never"
    run candidates mirleft check --color = n
    assert_output "never"
    touch unikernel.yml other.yml
    run candidates mirleft build -f o
    assert_output "other.yml"
    run candidates mirleft completion ""
    assert_output "bash
zsh"
}

@test "__complete: an unsplit --opt=VALUE word (as zsh passes it) gets its prefix back; --describe adds summaries" {
    run mirleft __complete 2 mirleft build --target=s
    assert_output "--target=spt"
    run mirleft __complete 2 mirleft check --color=a
    assert_output "--color=always
--color=auto"
    run mirleft __complete --describe 1 mirleft de
    assert_output "describe:print the resolved device graph
devices:list the device types"
    run mirleft __complete
    assert_failure 2
}

@test "completion: zsh script, and errors" {
    run mirleft completion zsh
    assert_success
    assert_line --index 0 "#compdef mirleft"
    run mirleft completion fish
    assert_failure 2
    assert_output "mirleft completion: unknown shell 'fish'
hint: did you mean 'bash'?"
    run mirleft completion
    assert_failure 2
}

@test "zsh: _mirleft hands __complete's candidates to _describe, files to _files" {
    command -v zsh >/dev/null || skip "zsh not installed (Debian package zsh)"
    mirleft completion zsh >"$BATS_TEST_TMPDIR/_mirleft"
    zsh -n "$BATS_TEST_TMPDIR/_mirleft"
    # the completion system's functions replaced by ones that print what
    # they were given; words and CURRENT as zsh sets them (1-based)
    cat >"$BATS_TEST_TMPDIR/drive.zsh" <<'EOF'
_describe() { print -l -- "${(@P)${@[-1]}}"; }
_files() { print -- "FILES $*"; }
source "$1" >/dev/null
shift
words=("$@"); CURRENT=$#words
_mirleft
EOF
    z() { zsh -f "$BATS_TEST_TMPDIR/drive.zsh" "$BATS_TEST_TMPDIR/_mirleft" "$@"; }
    run z mirleft de
    assert_output "describe:print the resolved device graph
devices:list the device types"
    run z mirleft build -t ""
    assert_output "$(ls "$MIRLEFT_SRC/targets")"
    run z mirleft check --color=n
    assert_output "--color=never"
    run z mirleft inspect ""
    assert_output "FILES "
    run z mirleft new ""
    assert_output "FILES -/"
}
