#!/usr/bin/env bats
# Diagnostics name files as the user sees them from the project root (the
# compiler's and the linker's), and an entry function no source defines is
# the configuration's error, at the entry key (issue 12, item 5).

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_project
}

# Every FILE:LINE: at the start of a message line names a file that exists
# from the project root.
assert_paths_from_root() {
    local f
    while IFS= read -r f; do
        [ -f "$f" ] || fail "'$f' (from the output) is not a file from the project root"
    done < <(grep -oE '^(In file included from )?[A-Za-z0-9_./+-]+\.[chS]:[0-9]+' <<<"$output" |
             sed -E 's/^In file included from //; s/:[0-9]+$//' | sort -u)
}

@test "a compile error in a source and a header in a subdirectory names them from the project root" {
    mkdir -p src
    printf '#define BAD this is not C;\nBAD\n' >src/bad.h
    printf '#include "devices.h"\n#include "bad.h"\nint helper(void) { return 0; }\n' >src/app.c
    sed -i 's/^sources: \[unikernel.c\]/sources: [unikernel.c, src\/app.c]/' unikernel.yml
    run mirleft build
    assert_failure 1
    assert_line --regexp '^In file included from src/app\.c:2:$'
    assert_line --regexp '^src/bad\.h:1:13: error: '
    refute_output --partial "../../"
    assert_paths_from_root
}

@test "a link error names the source from the project root, not _build/spt/./_build/spt" {
    cat >unikernel.c <<'C'
#include "devices.h"
int missing_function(void);
int start(struct devices *dev, const struct args *args)
{
    (void)dev;
    (void)args;
    return missing_function();
}
C
    run mirleft build
    assert_failure 1
    assert_line --regexp "^unikernel\.c:7: undefined reference to .missing_function'$"
    refute_output --partial "_build/spt/./_build"
    # make's own summary line names its target as make sees it
    refute_line --regexp '^[^m].*\.\./\.\./' 
    assert_paths_from_root
}

@test "an error in generated code names _build/TARGET/FILE" {
    # make alone does not regenerate: a damaged generated file stays
    mirleft configure >/dev/null
    printf '#error "damaged"\n' >>_build/spt/args.c
    run make --no-print-directory -s -C _build/spt
    assert_failure
    assert_line --regexp '^_build/spt/args\.c:[0-9]+:2: error: #error "damaged"$'
    assert_paths_from_root
}

@test "an entry no source defines: exit 3 at the entry key, with the nearest defined function, before linking" {
    sed -i 's/^sources: \[unikernel.c\]/sources: [unikernel.c]\nentry: strat/' unikernel.yml
    run mirleft build
    assert_failure 3
    assert_line "unikernel.yml:4:8: error: entry 'strat': no source defines this function"
    assert_line "unikernel.yml:4:8: hint: did you mean 'start'?"
    refute_output --partial "undefined reference"
    refute_line --partial "  LD "
    assert [ ! -e dist/proj.spt ]
}

@test "the default entry start undefined: exit 3, with what to do" {
    sed -i 's/^int start(/int begin(/' unikernel.c
    run mirleft build
    assert_failure 3
    assert_line "unikernel.yml: error: entry 'start': no source defines this function"
    assert_line "unikernel.yml: hint: define int start(struct devices *, const struct args *) in one of the sources, or name yours with 'entry:'"
    # naming it fixes it
    sed -i 's/^sources: \[unikernel.c\]/sources: [unikernel.c]\nentry: begin/' unikernel.yml
    run mirleft build
    assert_success
}

@test "an entry defined by a library is found there" {
    mkdir -p ../lib
    printf '#include "devices.h"\nint lib_start(struct devices *d, const struct args *a) { (void)d; (void)a; return 0; }\n' >../lib/l.c
    printf 'sources: ["*.c"]\n' >../lib/mirleft-lib.yml
    sed -i 's/^int start(/static int unused(/' unikernel.c
    echo 'int use_it(void) { return unused(0, 0); }' >>unikernel.c
    printf 'entry: lib_start\nlibraries:\n  - { name: lib, path: ../lib }\n' >>unikernel.yml
    run mirleft build
    assert_success
}
