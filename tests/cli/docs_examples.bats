#!/usr/bin/env bats
# The documents tell the truth: README's commands and examples, and the man
# pages' EXAMPLES, are extracted from the files themselves and run, so they
# cannot drift from what mirleft does (issue 12, item 9).

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

README=$SRC/README.md

# readme_block HEADING-LINE: the indented lines of the first code block
# after the line matching HEADING-LINE, without their four spaces.
readme_block() {
    awk -v h="$1" '$0 ~ h { f = 1; next }
        f && /^    / { b = 1; sub(/^    /, ""); print; next }
        f && b { exit }' "$README"
}

# readme_yaml: README's ```yaml block.
readme_yaml() {
    awk '/^```yaml$/ { f = 1; next } f && /^```$/ { exit } f' "$README"
}

# man_examples PAGE N: the Nth .nf/.fi block of PAGE's EXAMPLES section,
# with roff's escapes turned back into text.
man_examples() {
    awk -v n="$2" '/^\.SH EXAMPLES/ { f = 1; next } f && /^\.SH / { exit }
        f && /^\.nf$/ { i++; b = (i == n); next } f && /^\.fi$/ { b = 0 }
        b' "$SRC/man/$1" |
        sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' -e 's/\\e/\\/g'
}

@test "README 'Using it' runs as written, with mirleft not on PATH beforehand" {
    block=$(readme_block '^## Using it$')
    assert_regex "$block" 'mirleft new myapp'
    # a new user's shell: mirleft is nowhere on PATH until the first line
    clean_path=$(tr ':' '\n' <<<"$PATH" | grep -v "^$SRC/build\$" | paste -sd:)
    run env PATH="$clean_path" TMPDIR="$BATS_TEST_TMPDIR" bash -ec "cd '$SRC'; $block"
    assert_success
    assert_line "Hello World!"
    assert_line "Hi"
    assert_output --partial "--hello"
    assert [ -f "$(ls -d "$BATS_TEST_TMPDIR"/tmp.*/myapp)/dist/myapp.spt" ]
}

@test "make quickstart ends by saying how to put mirleft on PATH, as README 'Using it' does" {
    run make -s -n -C "$SRC" quickstart
    assert_success
    assert_output --partial "export PATH=\\\"$SRC/build:\\\$PATH\\\""
    run grep -c 'export PATH="$PWD/build:$PATH"' "$README"
    assert_output 1
}

@test "README's unikernel.yml checks clean, and its sample error is what mirleft prints" {
    readme_yaml >unikernel.yml
    write_app 0
    run mirleft check
    assert_success
    sed -i 's/^devices:/devcies:/' unikernel.yml
    expected=$(readme_block 'suggest the nearest valid name')
    run mirleft check
    assert_failure 3
    assert_output "$expected"
}

@test "every command in README's table exists and has help" {
    cmds=$(grep -oE '^\| `mirleft [a-z]+' "$README" | awk '{ print $3 }' | sort -u)
    [ "$(wc -l <<<"$cmds")" -ge 12 ]
    for c in $cmds; do
        run mirleft "$c" --help
        assert_success
        assert_line --index 0 --regexp "^usage: mirleft $c"
    done
}

@test "unikernel.yml(5) EXAMPLES: the first passes check --all-targets, the second spt and hvt" {
    man_examples unikernel.yml.5 1 >unikernel.yml
    assert_regex "$(cat unikernel.yml)" '^name: store'
    touch main.c store.c
    mkdir files files-small
    run mirleft check --all-targets
    assert_success
    man_examples unikernel.yml.5 2 >unikernel.yml
    for t in spt hvt; do
        run mirleft check -t "$t"
        assert_success
    done
}

@test "mirleft-data(5) EXAMPLES: the toy type and target work as written, and build" {
    copy_data
    man_examples mirleft-data.5 1 >"$DATA/share/devices/toy.yml"
    {
        echo '#ifndef MIRLEFT_TOY_H'
        echo '#define MIRLEFT_TOY_H'
        echo '#include <stdint.h>'
        echo '#include <mirleft/console.h>'
        man_examples mirleft-data.5 2
        echo '#endif'
    } >"$DATA/share/include/mirleft/toy.h"
    mkdir -p "$DATA/share/lib/toy"
    cat >"$DATA/share/lib/toy/toy.c" <<'EOF'
#include <mirleft/toy.h>
int ml_toy_init(struct ml_toy *dev, const struct ml_toy_config *cfg)
{
    dev->label = cfg->label;
    return 0;
}
EOF
    cp -r "$DATA/targets/spt" "$DATA/targets/toy"
    man_examples mirleft-data.5 3 >"$DATA/targets/toy/target.yml"
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
  buzzer: { type: toy, label: beep }
EOF
    run mirleft targets
    assert_success
    assert_line --regexp '^toy +buildable'
    run mirleft build -t toy
    assert_success
    assert [ -f dist/proj.spt ]
}

@test "new --list gives each template's whole first paragraph, not a cut line" {
    run mirleft new --list
    assert_success
    for t in "$SRC"/templates/*/; do
        name=$(basename "$t")
        para=$(awk 'NR > 1 && /^[^# \t]/ { p = p (p ? " " : "") $0; next } p { exit } END { print p }' "$t/README.md")
        assert_line "$(printf '%-10s %s' "$name" "$para")"
        assert_regex "$para" '\.$'
    done
}

@test "new's next step names a mirleft that runs: its full path when mirleft is not on PATH" {
    clean_path=$(tr ':' '\n' <<<"$PATH" | grep -v "^$SRC/build\$" | paste -sd:)
    run env PATH="$clean_path" "$SRC/build/mirleft" new app
    assert_success
    assert_line "next: cd app && $SRC/build/mirleft build && $SRC/build/mirleft run"
    run mirleft new app2
    assert_line "next: cd app2 && mirleft build && mirleft run"
}

@test "mirleft(1): in the project, build writes only _build/ and dist/ (and clangd's link), lock only unikernel.lock besides" {
    write_project
    mkdir -p ../lib
    echo 'int lib_one(void) { return 1; }' >../lib/l.c
    printf '  - { name: lib, path: ../lib, sources: [l.c] }\n' >libs.yml
    printf 'libraries:\n' >>unikernel.yml
    cat libs.yml >>unikernel.yml
    rm libs.yml
    export MIRLEFT_CACHE=$BATS_TEST_TMPDIR/cache
    before=$(find . -path ./_build -prune -o -path ./dist -prune -o -print | sort)
    run mirleft build
    assert_success
    after=$(find . -path ./_build -prune -o -path ./dist -prune -o -path ./compile_commands.json -prune -o -print | sort)
    assert_equal "$after" "$before"
    assert_equal "$(readlink compile_commands.json)" _build/spt/compile_commands.json
    run mirleft lock
    assert_success
    after=$(find . -path ./_build -prune -o -path ./dist -prune -o -path ./compile_commands.json -prune -o -print | sort)
    assert_equal "$after" "$(printf '%s\n./unikernel.lock' "$before" | sort)"
    run grep -c 'writes' "$SRC/man/mirleft.1"
    refute_output 0
    run grep -F 'never writes outside' "$SRC/man/mirleft.1"
    assert_failure
}
