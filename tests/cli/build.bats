#!/usr/bin/env bats
# mirleft build: the image, incremental rebuilds (checked on make's own
# output lines), -j, -v, failures. One project is built in setup_file and
# copied (with its mtimes) into each test.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup_file() {
    BASE=$BATS_FILE_TMPDIR/base
    mkdir -p "$BASE"
    cd "$BASE" || return 1
    write_project
    mirleft build >"$BATS_FILE_TMPDIR/first-build.log" 2>&1
}

setup() {
    BASE=$BATS_FILE_TMPDIR/base
    PROJ=$BATS_TEST_TMPDIR/proj
    cp -a "$BASE" "$PROJ"
    cd "$PROJ" || return 1
    # Catch up with any change to mirleft's own sources since setup_file,
    # so the assertions on make's output see only what the test did.
    mirleft build >/dev/null
}

@test "the first build compiles runtime, bindings, app and glue into dist/proj.spt" {
    log=$(cat "$BATS_FILE_TMPDIR/first-build.log")
    assert_regex "$log" $'(^|\n)  CC      share/runtime/boot\\.c\n'
    assert_regex "$log" $'(^|\n)  CC      targets/spt/bindings/start\\.c\n'
    assert_regex "$log" $'(^|\n)  CC      unikernel\\.c\n'
    assert_regex "$log" $'(^|\n)  CC      main\\.c \\(generated\\)\n'
    assert_regex "$log" $'(^|\n)  CC      manifest\\.c \\(generated\\)\n'
    assert_equal "$(tail -1 <<<"$log")" "  LD      proj.spt"
    assert [ -f dist/proj.spt ]
    assert_equal "$(head -c 4 dist/proj.spt | od -An -c | tr -d ' ')" '177ELF'
    run ls dist
    assert_output "proj.spt"
}

@test "a no-op rebuild compiles nothing, prints nothing, keeps the image" {
    before=$(stat -c %Y.%y dist/proj.spt)
    run mirleft build
    assert_success
    assert_output ""
    assert_equal "$(stat -c %Y.%y dist/proj.spt)" "$before"
}

@test "touching unikernel.c recompiles only it, then links" {
    touch unikernel.c
    run mirleft build
    assert_success
    assert_output "  CC      unikernel.c
  LD      proj.spt"
    run mirleft build
    assert_output ""
}

@test "a change to an argument recompiles the glue and the app, not the runtime" {
    sed -i 's/"what to print"/"the greeting"/' unikernel.yml
    run mirleft build -j1
    assert_success
    # buildinfo.c records the configuration's digest, so it changes too
    assert_output "  CC      unikernel.c
  CC      args.c (generated)
  CC      buildinfo.c (generated)
  CC      main.c (generated)
  LD      proj.spt"
}

@test "a change to cflags rewrites the Makefile, which makes every object stale" {
    run make -q -C _build/spt all
    assert_success
    echo "cflags: [-DEXTRA=1]" >>unikernel.yml
    run mirleft configure
    assert_output "configured proj for spt in _build/spt (3 of 7 files changed)"
    run grep -c -- '-DEXTRA=1' _build/spt/Makefile
    assert_output "1"
    # make -q: 1 means out of date (a full rebuild is timed in the -j test)
    run make -q -C _build/spt all
    assert_failure 1
}

@test "-j N and --jobs=N build in parallel" {
    rm -rf _build dist
    run mirleft build -j 4
    assert_success
    assert [ -f dist/proj.spt ]
    touch unikernel.c
    run mirleft build --jobs=2
    assert_success
    assert_output "  CC      unikernel.c
  LD      proj.spt"
    run mirleft build -j1
    assert_output ""
}

@test "-j with a bad count: exit 2" {
    run mirleft build -j 0
    assert_failure 2
    assert_output "mirleft build: -j: expected a number of jobs from 1 to 1024, got '0'
Try 'mirleft help build'."
    run mirleft build -j lots
    assert_failure 2
    assert_line --index 0 "mirleft build: -j: expected a number of jobs from 1 to 1024, got 'lots'"
}

@test "-v shows the compiler command lines" {
    touch unikernel.c
    run mirleft build -v
    assert_success
    assert_line --index 0 "  CC      unikernel.c"
    # the compiler's messages go through the filter that names files from
    # the project root (issue 12)
    assert_line --index 1 --regexp '^gcc .* -c \.\./\.\./unikernel\.c -o obj/app/unikernel\.o 2>obj/app/unikernel\.o\.diag; .*; \(exit \$s\)$'
    assert_line --index 2 "  LD      proj.spt"
    assert_line --index 3 --regexp '^gcc .* -o \.\./\.\./dist/proj\.spt\.tmp .*'
    touch unikernel.c
    run mirleft build --verbose
    assert_line --regexp '^gcc .*unikernel\.c'
    touch unikernel.c
    run mirleft build
    refute_line --regexp '^gcc '
}

@test "a compile error: exit 1, the compiler's message (naming the file from the project root) and mirleft's" {
    echo "this is not C;" >>unikernel.c
    run mirleft build
    assert_failure 1
    assert_line --regexp '^unikernel\.c:9:1: error: '
    refute_output --partial "../../"
    assert_line "mirleft: build of proj for spt failed"
    # the old image is not replaced by a half-built one
    assert [ -f dist/proj.spt ]
    assert [ ! -e dist/proj.spt.tmp ]
}

@test "build configures first: a config error stops it with exit 3" {
    echo "bogus: 1" >>unikernel.yml
    before=$(stat -c %Y dist/proj.spt)
    run mirleft build
    assert_failure 3
    assert_line --index 0 "unikernel.yml:8:1: error: unknown key 'bogus'"
    assert_equal "$(stat -c %Y dist/proj.spt)" "$before"
}

@test "build for a planned target: exit 5" {
    run mirleft build -t xen
    assert_failure 5
    assert_output "mirleft: target 'xen' is described but not buildable yet (status: planned)"
    assert [ ! -e _build/xen ]
}

@test "build -f FILE from another directory" {
    cd ..
    run mirleft build -f proj/unikernel.yml
    assert_success
    assert_output ""
    touch proj/unikernel.c
    run mirleft build -f proj/unikernel.yml
    assert_output "  CC      unikernel.c
  LD      proj.spt"
}

@test "an unexpected argument: exit 2" {
    run mirleft build spt
    assert_failure 2
    assert_output "mirleft build: unexpected argument 'spt'
Try 'mirleft help build'."
}
