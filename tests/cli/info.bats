#!/usr/bin/env bats
# The commands about mirleft itself: targets, devices, version, help,
# --help on every command, and the dispatcher's errors.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

COMMANDS="new configure build run check describe query clean targets devices completion version help"

@test "version and --version print the VERSION file's version" {
    run mirleft version
    assert_success
    assert_output "mirleft $VERSION"
    run mirleft --version
    assert_output "mirleft $VERSION"
    run mirleft -V
    assert_output "mirleft $VERSION"
}

@test "version: an argument is a usage error" {
    run mirleft version 1
    assert_failure 2
    assert_output "mirleft version: unexpected argument '1'
Try 'mirleft help version'."
}

@test "the version is not repeated in the sources" {
    run grep -rn --include='*.c' --include='*.h' -F "\"$VERSION\"" "$SRC/src"
    assert_failure 1
}

@test "targets lists every target folder with its status and devices" {
    run mirleft targets
    assert_success
    assert_line --regexp '^spt +buildable +x86_64 +sandboxed Linux process'
    assert_line --regexp '^hvt +buildable +x86_64 '
    assert_line --regexp '^xen +planned '
    assert_line --regexp '^rp2040 +buildable +armv6-m '
    assert_line "         devices: $(provided_by spt | sed 's/,//g')"
    # two lines per target, one target per folder with a target.yml
    assert_equal "${#lines[@]}" $((2 * $(ls "$SRC"/targets/*/target.yml | wc -l)))
}

@test "targets: an argument is a usage error" {
    run mirleft targets spt
    assert_failure 2
    assert_output "mirleft targets: unexpected argument 'spt'
Try 'mirleft help targets'."
}

@test "devices lists the catalogue, one type per file" {
    run mirleft devices
    assert_success
    assert_line --regexp '^console +text output to the host'
    assert_line --regexp '^block +sector-addressed block storage'
    assert_equal "${#lines[@]}" "$(ls "$SRC"/share/devices/*.yml | wc -l)"
}

@test "devices TYPE shows one type" {
    run mirleft devices block
    assert_success
    assert_output "block: sector-addressed block storage backed by a host file
  header: <mirleft/block.h>, C type: struct ml_block
  Solo5 manifest kind: BLOCK_BASIC
  param size: size = 64M (build time)  # size of the disk image \`mirleft run\` creates when none is given"
    run mirleft devices kv_ro
    assert_success
    assert_line "  backends: crunch tar"
    assert_line --partial '  dep block: block device [only with backend tar]  # '
}

@test "devices: unknown type with a hint; two types is a usage error" {
    run mirleft devices blok
    assert_failure 2
    assert_output "mirleft devices: unknown device type 'blok'
hint: did you mean 'block'?"
    run mirleft devices zzzzzzzz
    assert_failure 2
    assert_output "mirleft devices: unknown device type 'zzzzzzzz'
hint: \`mirleft devices\` lists them"
    run mirleft devices block net
    assert_failure 2
    assert_output "mirleft devices: expected at most one device type
Try 'mirleft help devices'."
}

@test "help lists every command" {
    run mirleft help
    assert_success
    assert_line --index 0 "usage: mirleft COMMAND [OPTIONS]"
    for c in $COMMANDS; do
        assert_line --regexp "^  $c +"
    done
    assert_line "2 bad command line, 3 invalid unikernel.yml, 4 version bound not met,"
}

@test "--help and -h are help" {
    run mirleft help
    full=$output
    run mirleft --help
    assert_success
    assert_output "$full"
    run mirleft -h
    assert_output "$full"
}

@test "no command: the help on stderr, exit 2" {
    run --separate-stderr mirleft
    assert_failure 2
    assert_output ""
    assert_regex "$stderr" '^usage: mirleft COMMAND'
}

@test "help CMD and CMD --help print the same usage for every command" {
    for c in $COMMANDS; do
        run --separate-stderr mirleft help "$c"
        assert_success
        if [ "$c" = help ]; then
            assert_regex "$output" "^usage: mirleft COMMAND"
        else
            assert_regex "$output" "^usage: mirleft $c"
        fi
        via_help=$output
        run --separate-stderr mirleft "$c" --help
        assert_success
        assert_equal "$output" "$via_help"
        assert_equal "$stderr" ""
        run mirleft "$c" -h
        assert_success
        assert_equal "$output" "$via_help"
    done
}

@test "every option a command's help lists is accepted by that command" {
    # Long options from each usage text, tried with --help after them so
    # nothing runs: an unknown option would fail with exit 2 first.
    for c in $COMMANDS; do
        for opt in $(mirleft help "$c" | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
            case $opt in
            --target | --file | --template | --name | --jobs | --mem | --block | --net) arg=("$opt=x") ;;
            *) arg=("$opt") ;;
            esac
            [ "$opt" = --jobs ] && arg=("--jobs=1")
            [ "$opt" = --mem ] && arg=("--mem=1")
            [ "$opt" = --block ] || [ "$opt" = --net ] && arg=("$opt=a=b")
            [ "$opt" = --help ] && continue
            [ "$c" = new ] && [ "$opt" = --list ] && continue
            run mirleft "$c" "${arg[@]}" --help
            assert_success
        done
    done
}

@test "help --help and help help show help's usage" {
    run mirleft help --help
    assert_success
    assert_line --index 0 "usage: mirleft COMMAND [OPTIONS]"
    run mirleft help help
    assert_success
    assert_line --index 0 "usage: mirleft COMMAND [OPTIONS]"
}

@test "help with an unknown command suggests the nearest" {
    run mirleft help confgure
    assert_failure 2
    assert_output "mirleft help: unknown command 'confgure'
hint: did you mean 'mirleft help configure'?"
    run mirleft help a b
    assert_failure 2
}

@test "an unknown command suggests the nearest, exit 2" {
    run mirleft biuld
    assert_failure 2
    assert_output "mirleft: unknown command 'biuld'
hint: did you mean 'mirleft build'?"
    run mirleft frobnicate
    assert_failure 2
    assert_output "mirleft: unknown command 'frobnicate'
hint: \`mirleft help\` lists them"
}
