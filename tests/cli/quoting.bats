#!/usr/bin/env bats
# Values from unikernel.yml and mirleft-lib.yml reach the compiler as
# exactly the words written: make and the shell interpret none of them, and
# a library's metadata cannot give flags that change where output goes,
# load plugins or run programs (mirleft(1) LIBRARIES, unikernel.yml(5)).

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    MARK=$BATS_TEST_TMPDIR/mark
    LIB=$BATS_TEST_TMPDIR/lib
    mkdir -p "$MARK" "$LIB/inc"
    echo 'const char *lib_def(void);' >"$LIB/inc/lib.h"
    echo 'const char *lib_def(void) { return LIBDEF; }' >"$LIB/l.c"
}

# Each payload, were make or the shell to read it, creates a file in $MARK.
payloads() {
    printf '%s\n' "\$(shell touch $MARK/make)" "\`touch $MARK/tick\`" \
        "\$\$(touch $MARK/dollar)" "x;touch $MARK/semi" "x' ; touch $MARK/quote '" \
        "\$(shell touch $MARK/make2)#c"
}

assert_nothing_ran() {
    run ls -A "$MARK"
    assert_output ""
}

# yq: a YAML single-quoted scalar of $1.
yq() { printf "'%s'" "${1//\'/\'\'}"; }

@test "defines with spaces, quotes, \$, backticks, # and % reach the compiler intact" {
    odd="a \$(shell touch $MARK/a) \`touch $MARK/b\` \$\$(touch $MARK/c) #x %d ' \\\\ \\\"q\\\" end"
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
cflags:
  - '-DGREETING="hello there"'
  - $(yq "-DODD=\"$odd\"")
devices:
  console: console
libraries:
  - { name: lib, path: ../lib }
EOF
    printf 'sources: ["*.c"]\ninclude: [inc]\ncflags: [%s]\n' \
        "$(yq "-DLIBDEF=\"lib \$(shell touch $MARK/d) \`touch $MARK/e\` #h %s\"")" >"$LIB/mirleft-lib.yml"
    cat >unikernel.c <<'EOF'
#include <stdio.h>
#include "devices.h"
#include "lib.h"
int start(struct devices *d, const struct args *a)
{
    (void)d; (void)a;
    printf("[%s]\n[%s]\n[%s]\n", GREETING, ODD, lib_def());
    return 0;
}
EOF
    run mirleft build
    assert_success
    run -0 mirleft run
    assert_line "[hello there]"
    assert_line "[a \$(shell touch $MARK/a) \`touch $MARK/b\` \$\$(touch $MARK/c) #x %d ' \\ \"q\" end]"
    assert_line "[lib \$(shell touch $MARK/d) \`touch $MARK/e\` #h %s]"
    assert_nothing_ran
}

@test "hostile values in every field of unikernel.yml never execute" {
    write_app 0
    mkdir -p site
    echo hi >site/index.html
    payloads | while IFS= read -r p; do
        # one payload into each field in turn; configure and build may
        # refuse the value, but nothing may run
        for field in name sources entry cflags dir argdef argdoc libname libpath \
            libsources libinclude libcflags url git rev; do
            v=$(yq "$p")
            name=proj sources=unikernel.c entry=start cflags=-DX=1 dir=site
            argdef=x argdoc=x libname=l libpath=../lib libsources=l.c
            libinclude=inc libcflags=-DLIBDEF=\"x\"
            lib="{ name: $libname, path: $libpath, sources: [$libsources], include: [$libinclude], cflags: [$libcflags] }"
            case $field in
            url) lib="{ name: l, url: $v, sha256: $(printf '0%.0s' $(seq 64)) }" ;;
            git | rev) lib="{ name: l, git: $( [ $field = git ] && echo "$v" || echo "$LIB"), rev: $( [ $field = rev ] && echo "$v" || echo v1) }" ;;
            lib*) eval "$field=\$v"
                lib="{ name: $libname, path: $libpath, sources: [$libsources], include: [$libinclude], cflags: [$libcflags] }" ;;
            *) eval "$field=\$v" ;;
            esac
            cat >unikernel.yml <<EOF
name: $name
min-version: $VERSION
sources: [$sources]
entry: $entry
cflags: [$cflags]
devices:
  console: console
  site: { type: kv_ro, backend: crunch, dir: $dir }
args:
  hello: { type: string, default: $argdef, doc: $argdoc }
libraries:
  - $lib
EOF
            mirleft build --offline >/dev/null 2>&1 || true
            [ -z "$(ls -A "$MARK")" ] || { echo "field $field ran: $p"; ls -A "$MARK"; false; }
        done
    done
}

@test "hostile values in every field of mirleft-lib.yml never execute" {
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
libraries:
  - { name: lib, path: ../lib }
EOF
    payloads | while IFS= read -r p; do
        v=$(yq "$p")
        for field in name min-version sources include cflags; do
            {
                for k in name min-version sources include cflags; do
                    case $k in
                    "$field") printf '%s: [%s]\n' "$k" "$v" ;;
                    name) echo "name: lib" ;;
                    min-version) echo "min-version: 0.1" ;;
                    sources) echo 'sources: ["*.c"]' ;;
                    include) echo "include: [inc]" ;;
                    cflags) echo 'cflags: [-DLIBDEF="x"]' ;;
                    esac
                done
            } >"$LIB/mirleft-lib.yml"
            mirleft build >/dev/null 2>&1 || true
            [ -z "$(ls -A "$MARK")" ] || { echo "field $field ran: $p"; ls -A "$MARK"; false; }
        done
    done
}

@test "a file name with make or shell metacharacters in an embedded directory is refused, not run" {
    write_app 0
    mkdir -p site
    for p in "\$(shell touch $MARK/make)" "a b:c%d#e" "semi;colon"; do
        echo x >"site/${p//\//_}"
    done
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
  site: { type: kv_ro, backend: crunch, dir: site }
EOF
    run mirleft build
    assert_failure 1
    assert_line "mirleft: cannot embed 'site/a b:c%d#e': file names with spaces or make and shell metacharacters are not supported"
    assert_nothing_ran
}

# lib_flags FLAG...: a path library whose mirleft-lib.yml lists the flags.
lib_flags() {
    {
        printf 'sources: ["*.c"]\ninclude: [inc]\ncflags:\n'
        for f in "$@"; do printf '  - %s\n' "$(yq "$f")"; done
    } >"$LIB/mirleft-lib.yml"
}

@test "a library's metadata may not give flags that redirect output, load plugins or run programs: exit 3 at each" {
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
libraries:
  - { name: lib, path: ../lib }
EOF
    hostile=(-o/tmp/out "-o" -B/tmp -specs=/tmp/s -fplugin=/tmp/p.so -fplugin-arg-x-y=1
        -wrapper -Wl,-plugin,/tmp/x.so -Wa,-o,/tmp/x -Wp,-MD,/tmp/x -fdump-tree-all
        -fprofile-generate -include -save-temps -x foo.c -I/etc "--sysroot=/" -fuse-ld=x)
    lib_flags -O2 "${hostile[@]}"
    run mirleft configure
    assert_failure 3
    for i in "${!hostile[@]}"; do
        assert_line --index $((3 * i)) --regexp "^$LIB/mirleft-lib.yml:$((i + 5)):5: error: cflags: '.*' is not allowed in a library's metadata: "
    done
    assert [ ! -e _build/spt/Makefile ]
    assert_nothing_built
}

@test "a library's metadata may give -D, -U, -O, -g, -std=, -W, -f, -m and -pedantic flags" {
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
libraries:
  - { name: lib, path: ../lib }
EOF
    lib_flags '-DLIBDEF="ok"' -UNOTHING -O1 -g -std=c11 -Wno-unused -Wshadow -fno-strict-aliasing -pedantic -w
    run mirleft build
    assert_success
}

@test "a fetched library's hostile flag is refused too (git, pinned by commit)" {
    write_app 0
    git -C "$LIB" init -q
    lib_flags '-DLIBDEF="x"' '-fplugin=/tmp/evil.so'
    git -C "$LIB" add .
    git -C "$LIB" -c user.email=t@t -c user.name=t commit -qm v1
    commit=$(git -C "$LIB" rev-parse HEAD)
    export MIRLEFT_CACHE=$BATS_TEST_TMPDIR/cache
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
libraries:
  - { name: lib, git: "$LIB", rev: $commit }
EOF
    run mirleft build
    assert_failure 3
    assert_line --index 0 --regexp "/mirleft-lib.yml:5:5: error: cflags: '-fplugin=/tmp/evil.so' is not allowed in a library's metadata"
    assert_nothing_built
}

@test "a flag with a newline is refused at its position: it cannot be one Makefile line" {
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
cflags: ["-DA=1\n\$(shell touch $MARK/nl)"]
devices:
  console: console
EOF
    run mirleft configure
    assert_failure 3
    assert_line --index 0 --regexp "^unikernel.yml:4:10: error: cflags: item 1 holds a control character \(0x0a\)"
    assert_nothing_ran
}
