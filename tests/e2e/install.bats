#!/usr/bin/env bats
# make install: the installed tool finds its data under PREFIX/share/mirleft
# (relocatably, so a DESTDIR staging tree works too), its tender beside it,
# and builds and runs hello; the man pages are installed.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

setup_file() {
    export DEST=$(mktemp -d)
    make -C "$MIRLEFT_SRC" install PREFIX=/opt/ml DESTDIR="$DEST" >/dev/null
}

teardown_file() {
    rm -rf "$DEST"
}

@test "install: tool, tender, data and man pages land under DESTDIR/PREFIX" {
    [ -x "$DEST/opt/ml/bin/mirleft" ]
    [ -x "$DEST/opt/ml/bin/mirleft-spt" ]
    [ -f "$DEST/opt/ml/lib/mirleft/libmirleft-net.so" ]
    [ -f "$DEST/opt/ml/share/mirleft/targets/spt/target.yml" ]
    [ -f "$DEST/opt/ml/share/mirleft/share/devices/console.yml" ]
    [ -f "$DEST/opt/ml/share/mirleft/templates/hello/unikernel.yml" ]
    [ -f "$DEST/opt/ml/share/man/man1/mirleft.1" ]
    [ -f "$DEST/opt/ml/share/man/man5/unikernel.yml.5" ]
    [ -f "$DEST/opt/ml/share/man/man5/mirleft-data.5" ]
    # the API reference: every section 3 page, and man finds them
    for p in "$MIRLEFT_SRC"/man/*.3; do
        [ -f "$DEST/opt/ml/share/man/man3/$(basename "$p")" ] || fail "$(basename "$p") not installed"
    done
    if command -v man >/dev/null; then
        run env MANPATH="$DEST/opt/ml/share/man" MANWIDTH=80 man 3 ml_stack
        assert_success
        assert_output --partial "ml_tcp_write"
        # the other names of a page's NAME line find it too
        run env MANPATH="$DEST/opt/ml/share/man" MANWIDTH=80 man 3 ml_tcp
        assert_success
        assert_output --partial "ml_tcp_write"
    fi
    run cat "$DEST/opt/ml/share/man/man3/ml_timer.3"
    assert_output ".so man3/ml_loop.3"
    # shell completion, where bash-completion and zsh look
    cmp "$DEST/opt/ml/share/bash-completion/completions/mirleft" <("$MIRLEFT_SRC/build/mirleft" completion bash)
    cmp "$DEST/opt/ml/share/zsh/site-functions/_mirleft" <("$MIRLEFT_SRC/build/mirleft" completion zsh)
    # no build products or make fragments in the data
    run find "$DEST/opt/ml/share/mirleft" -name '*.o' -o -name '*.mk'
    assert_output ""
}

@test "install: the installed mirleft builds and runs hello from its own data" {
    cd "$BATS_TEST_TMPDIR"
    run env PATH="$DEST/opt/ml/bin:/usr/bin:/bin" mirleft new hi
    assert_success
    cd hi
    run env PATH="$DEST/opt/ml/bin:/usr/bin:/bin" mirleft run -- --hello=installed
    assert_success
    assert_output --partial "installed"
    # new --template with a git URL goes through the installed libmirleft-net.so
    run env PATH="$DEST/opt/ml/bin:/usr/bin:/bin" MIRLEFT_CACHE="$BATS_TEST_TMPDIR/c" \
        mirleft new --template "file://$MIRLEFT_SRC/nonexistent-repo" x
    assert_failure 1
    refute_output --partial "cannot load"
    assert_output --partial "cannot list file://$MIRLEFT_SRC/nonexistent-repo"   # libgit2 answered
    # the generated Makefile compiles from the installed data, not the source tree
    run grep "^MLROOT := " _build/spt/Makefile
    assert_output "MLROOT := $DEST/opt/ml/share/mirleft"
}

@test "install: uninstall removes what install put there" {
    make -C "$MIRLEFT_SRC" uninstall PREFIX=/opt/ml DESTDIR="$DEST" >/dev/null
    [ ! -e "$DEST/opt/ml/bin/mirleft" ]
    [ ! -e "$DEST/opt/ml/share/mirleft" ]
    [ ! -e "$DEST/opt/ml/lib/mirleft" ]
    [ ! -e "$DEST/opt/ml/share/man/man1/mirleft.1" ]
    [ ! -e "$DEST/opt/ml/share/man/man5/mirleft-data.5" ]
    run find "$DEST/opt/ml/share/man/man3" -name '*.3'
    assert_output ""
    [ ! -e "$DEST/opt/ml/share/bash-completion/completions/mirleft" ]
    [ ! -e "$DEST/opt/ml/share/zsh/site-functions/_mirleft" ]
}
