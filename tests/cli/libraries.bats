#!/usr/bin/env bats
# libraries: in unikernel.yml, mirleft pull and mirleft lock, against a
# throw-away HTTP server on 127.0.0.1 and local git repositories: no network.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

FIX="$MIRLEFT_SRC/tests/cli/fixtures"
VERSION=$(cat "$MIRLEFT_SRC/VERSION")

setup_file() {
    export SRV="$BATS_FILE_TMPDIR/srv"
    mkdir -p "$SRV" "$BATS_FILE_TMPDIR/src/foo-1.0/src" "$BATS_FILE_TMPDIR/src/foo-1.0/include"
    local s="$BATS_FILE_TMPDIR/src"
    echo 'int foo_twice(int x);' > "$s/foo-1.0/include/foo.h"
    printf '#include "foo.h"\nint foo_twice(int x) { return 2 * x; }\n' > "$s/foo-1.0/src/foo.c"
    printf 'min-version: 0.1\nsources: ["src/*.c"]\ninclude: [include]\n' > "$s/foo-1.0/mirleft-lib.yml"
    tar -C "$s" -czf "$SRV/foo-1.0.tar.gz" foo-1.0
    (cd "$s" && zip -qr "$SRV/foo-1.0.zip" foo-1.0 2>/dev/null) || true
    # a library that needs a newer mirleft, and one that does not compile
    mkdir -p "$s/newer/src" "$s/broken"
    echo 'int newer(void) { return 0; }' > "$s/newer/src/n.c"
    printf 'min-version: 99.0\nsources: ["src/*.c"]\n' > "$s/newer/mirleft-lib.yml"
    tar -C "$s" -czf "$SRV/newer.tar.gz" newer
    echo 'int broken(void) { return undeclared_thing; }' > "$s/broken/b.c"
    tar -C "$s" -czf "$SRV/broken.tar.gz" broken
    for k in abs dotdot dev fifo symlink-out symlink-abs hardlink-out symlink-in; do
        python3 "$FIX/mkbadtar.py" "$k" "$SRV/bad-$k.tar.gz"
    done
    head -c 300000 /dev/urandom > "$SRV/big.bin"
    # a git repository with a tag
    export GITREPO="$BATS_FILE_TMPDIR/bar"
    mkdir -p "$GITREPO/inc"
    echo 'int bar_add(int a, int b);' > "$GITREPO/inc/bar.h"
    printf '#include "bar.h"\nint bar_add(int a, int b) { return a + b; }\n' > "$GITREPO/bar.c"
    git -C "$GITREPO" init -q
    git -C "$GITREPO" add .
    git -C "$GITREPO" -c user.email=t@t -c user.name=t commit -qm v1
    git -C "$GITREPO" tag v1.0
    python3 "$FIX/httpd.py" "$SRV" > "$BATS_FILE_TMPDIR/port" &
    echo $! > "$BATS_FILE_TMPDIR/httpd.pid"
    for _ in $(seq 50); do [ -s "$BATS_FILE_TMPDIR/port" ] && break; sleep 0.1; done
}

teardown_file() {
    kill "$(cat "$BATS_FILE_TMPDIR/httpd.pid")" 2>/dev/null || true
}

setup() {
    PORT=$(cat "$BATS_FILE_TMPDIR/port")
    URL="http://127.0.0.1:$PORT"
    FOO_SHA=$(sha256sum "$SRV/foo-1.0.tar.gz" | cut -d' ' -f1)
    export MIRLEFT_CACHE="$BATS_TEST_TMPDIR/cache"
    PROJ="$BATS_TEST_TMPDIR/app"
    mkdir -p "$PROJ" "$BATS_TEST_TMPDIR/baz"
    echo 'int baz_one(void) { return 1; }' > "$BATS_TEST_TMPDIR/baz/baz.c"
    cd "$PROJ"
    cat > unikernel.c <<'C'
#include <stdio.h>
#include "devices.h"
int start(struct devices *d, const struct args *a)
{
    (void)d; (void)a;
    printf("app ran\n");
    return 0;
}
C
}

# write_project LIBRARY-LINES... : a project whose libraries: are the lines.
write_project() {
    {
        printf 'name: app\nmin-version: %s\nsources: [unikernel.c]\n' "$VERSION"
        printf 'devices:\n  console: console\nlibraries:\n'
        for l in "$@"; do printf '  - %s\n' "$l"; done
    } > unikernel.yml
}

foo_lib() { echo "{ name: foo, url: \"$URL/${1:-ok}/foo-1.0.tar.gz\", sha256: \"$FOO_SHA\" }"; }
bar_lib() { echo "{ name: bar, git: \"$GITREPO\", rev: ${1:-v1.0}, sources: [bar.c], include: [inc] }"; }

@test "libraries: one of each kind (url, git, path) compiled into a running unikernel" {
    write_project "$(foo_lib)" "$(bar_lib)" '{ name: baz, path: ../baz, sources: ["*.c"] }'
    cat > unikernel.c <<'C'
#include <stdio.h>
#include <foo.h>
#include <bar.h>
#include "devices.h"
int baz_one(void);
int start(struct devices *d, const struct args *a)
{
    (void)d; (void)a;
    printf("foo=%d bar=%d baz=%d\n", foo_twice(21), bar_add(2, 3), baz_one());
    return 0;
}
C
    run mirleft run
    assert_success
    assert_line "foo=42 bar=5 baz=1"
    assert_line --partial "CC      [foo] src/foo.c"
    assert_line --partial "CC      [bar] bar.c"
}

@test "libraries: a zip archive works too" {
    [ -f "$SRV/foo-1.0.zip" ] || skip "zip not installed"
    sha=$(sha256sum "$SRV/foo-1.0.zip" | cut -d' ' -f1)
    write_project "{ name: foo, url: \"$URL/ok/foo-1.0.zip\", sha256: \"$sha\" }"
    run mirleft build
    assert_success
}

@test "pull: fills the cache; --json gives one event per line" {
    write_project "$(foo_lib)" "$(bar_lib)"
    run mirleft pull --json
    assert_success
    assert_line --regexp '^\{"event":"start","library":"library .foo."\}$'
    assert_line --regexp '^\{"event":"done","library":"library .foo.","bytes":[0-9]+\}$'
    assert_line --regexp '^\{"event":"ready","library":"foo","kind":"url","root":".*/trees/sha256-'"$FOO_SHA"'","files":1\}$'
    assert_line --regexp '^\{"event":"ready","library":"bar","kind":"git",.*"commit":"[0-9a-f]{40}"'
    [ -d "$MIRLEFT_CACHE/trees/sha256-$FOO_SHA" ]
    # nothing left in the staging area
    run ls -A "$MIRLEFT_CACHE/tmp"
    assert_output ""
}

@test "lock: writes unikernel.lock; build honours it; a moved tag stops the build (exit 6)" {
    repo="$BATS_TEST_TMPDIR/moving"
    cp -r "$GITREPO" "$repo"
    write_project "$(foo_lib)" "{ name: bar, git: \"$repo\", rev: v1.0, sources: [bar.c], include: [inc] }"
    run mirleft lock
    assert_success
    assert_output "wrote unikernel.lock (2 libraries)"
    first=$(git -C "$repo" rev-parse v1.0)
    run grep -c "commit: $first" unikernel.lock
    assert_output 1
    run grep "sha256: $FOO_SHA" unikernel.lock
    assert_success
    run mirleft build
    assert_success
    # move the tag upstream
    echo '/* v1.1 */' >> "$repo/bar.c"
    git -C "$repo" -c user.email=t@t -c user.name=t commit -qam moved
    git -C "$repo" tag -f v1.0 >/dev/null
    second=$(git -C "$repo" rev-parse v1.0)
    run mirleft build
    assert_failure 6
    assert_output --partial "library 'bar': 'v1.0' has moved since it was locked: locked $first, now $second; run \`mirleft lock --update bar\` to accept it"
    run mirleft lock --update bar
    assert_success
    run grep -c "commit: $second" unikernel.lock
    assert_output 1
    run mirleft build
    assert_success
    # locking again changes nothing
    run mirleft lock
    assert_output "unchanged unikernel.lock (2 libraries)"
}

@test "lock: a rev edited in unikernel.yml makes the lock out of date (exit 6)" {
    write_project "$(bar_lib)"
    mirleft lock >/dev/null
    write_project "$(bar_lib master)"
    run mirleft build
    assert_failure 6
    assert_output --partial "unikernel.lock is out of date for library 'bar': its rev changed in the configuration; run \`mirleft lock --update bar\`"
    run mirleft lock --update nosuch
    assert_failure 2
    assert_output --partial "mirleft lock: unknown library 'nosuch'"
}

@test "offline: a cold cache lists exactly what is missing; a warm one builds" {
    write_project "$(foo_lib)" "$(bar_lib)" '{ name: baz, path: ../baz, sources: ["*.c"] }'
    run mirleft build --offline
    assert_failure 1
    assert_line --index 0 --partial "--offline: 2 libraries are not in the cache"
    assert_line "  library 'foo' ($URL/ok/foo-1.0.tar.gz, sha256 $FOO_SHA)"
    assert_line --partial "  library 'bar' ($GITREPO at v1.0)"
    assert_line "hint: run \`mirleft pull\` with network access first"
    mirleft pull -q
    kill -STOP "$(cat "$BATS_FILE_TMPDIR/httpd.pid")"   # the server is gone
    run mirleft build --offline
    kill -CONT "$(cat "$BATS_FILE_TMPDIR/httpd.pid")"
    assert_success
}

@test "fetch: a server answering 500 then 200 is retried" {
    write_project "$(foo_lib flaky)"
    run mirleft pull
    assert_success
    assert_line --regexp '^foo +url '
}

@test "fetch: a server that stays down fails after retries, with the status" {
    write_project "$(foo_lib down)"
    run mirleft pull
    assert_failure 1
    assert_output --partial "library 'foo': cannot fetch $URL/down/foo-1.0.tar.gz: the server answered HTTP 503 (after retries)"
    [ ! -d "$MIRLEFT_CACHE/trees/sha256-$FOO_SHA" ]
}

@test "fetch: a truncated download is refused and nothing is kept" {
    write_project "$(foo_lib trunc)"
    run mirleft pull
    assert_failure 1
    assert_output --partial "the download was truncated"
    [ ! -d "$MIRLEFT_CACHE/trees/sha256-$FOO_SHA" ]
    run ls -A "$MIRLEFT_CACHE/tmp"
    assert_output ""
}

@test "fetch: a wrong sha256 is refused before unpacking, nothing kept" {
    bad=0000000000000000000000000000000000000000000000000000000000000000
    write_project "{ name: foo, url: \"$URL/ok/foo-1.0.tar.gz\", sha256: \"$bad\" }"
    run mirleft pull
    assert_failure 1
    assert_output --partial "library 'foo': sha256 mismatch for $URL/ok/foo-1.0.tar.gz: expected $bad, got $FOO_SHA; nothing was kept"
    run find "$MIRLEFT_CACHE/trees" -mindepth 1
    assert_output ""
}

@test "fetch: a download over the size limit is refused" {
    sha=$(sha256sum "$SRV/big.bin" | cut -d' ' -f1)
    write_project "{ name: big, url: \"$URL/ok/big.bin\", sha256: \"$sha\", sources: [x.c] }"
    MIRLEFT_MAX_DOWNLOAD=100K run mirleft pull
    assert_failure 1
    assert_output --partial "larger than the download limit of 102400 bytes"
}

@test "fetch: a server that stops sending is given up after MIRLEFT_STALL_TIMEOUT, nothing kept" {
    write_project "$(foo_lib stall)"
    MIRLEFT_STALL_TIMEOUT=1 run mirleft pull
    assert_failure 1
    assert_output --regexp "cannot fetch $URL/stall/foo-1.0.tar.gz: stalled: no data for 1 s after [0-9]+ bytes \(MIRLEFT_STALL_TIMEOUT\) \(after retries\)"
    [ ! -d "$MIRLEFT_CACHE/trees/sha256-$FOO_SHA" ]
    run ls -A "$MIRLEFT_CACHE/tmp"
    assert_output ""
}

@test "fetch: a download still trickling at MIRLEFT_FETCH_TIMEOUT is given up" {
    write_project "$(foo_lib slow)"
    MIRLEFT_FETCH_TIMEOUT=1 run mirleft pull
    assert_failure 1
    assert_output --regexp "cannot fetch $URL/slow/foo-1.0.tar.gz: not finished within 1 s, [0-9]+ bytes received \(MIRLEFT_FETCH_TIMEOUT\)"
}

@test "fetch: a host that never answers the connection is given up after MIRLEFT_CONNECT_TIMEOUT" {
    python3 "$FIX/blackhole.py" > "$BATS_TEST_TMPDIR/bh" &
    bh=$!
    for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/bh" ] && break; sleep 0.1; done
    u="http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/bh")/foo-1.0.tar.gz"
    write_project "{ name: foo, url: \"$u\", sha256: \"$FOO_SHA\" }"
    MIRLEFT_CONNECT_TIMEOUT=1 run mirleft pull
    kill "$bh"
    assert_failure 1
    assert_output --partial "cannot fetch $u: no connection within 1 s (MIRLEFT_CONNECT_TIMEOUT) (after retries)"
}

@test "fetch: a malformed limit in the environment is an error naming the variable" {
    write_project "$(foo_lib)"
    MIRLEFT_STALL_TIMEOUT=soon run mirleft pull
    assert_failure 1
    assert_output --partial "MIRLEFT_STALL_TIMEOUT: expected a positive whole number of seconds, got 'soon'"
    MIRLEFT_CONNECT_TIMEOUT=0 run mirleft pull
    assert_failure 1
    assert_output --partial "MIRLEFT_CONNECT_TIMEOUT: expected a positive whole number of seconds, got '0'"
    MIRLEFT_MAX_DOWNLOAD=12X run mirleft pull
    assert_failure 1
    assert_output --partial "MIRLEFT_MAX_DOWNLOAD: expected a positive size in bytes (suffix K, M or G allowed), got '12X'"
    MIRLEFT_FETCH_TIMEOUT=30 MIRLEFT_MAX_DOWNLOAD=1M run mirleft pull
    assert_success
}

@test "fetch: a 404 is not retried and names the status" {
    write_project "$(foo_lib missing)"
    run mirleft pull
    assert_failure 1
    assert_output --partial "the server answered HTTP 404"
    refute_output --partial "after retries"
}

@test "archives: every hostile entry kind refuses the whole archive" {
    for k in abs dotdot dev fifo symlink-out symlink-abs hardlink-out; do
        sha=$(sha256sum "$SRV/bad-$k.tar.gz" | cut -d' ' -f1)
        write_project "{ name: evil, url: \"$URL/ok/bad-$k.tar.gz\", sha256: \"$sha\", sources: [\"*.c\"] }"
        run mirleft pull
        assert_failure 1
        assert_output --partial "library 'evil': refusing the archive: entry"
        assert_output --partial "nothing was extracted"
        run find "$MIRLEFT_CACHE/trees" -mindepth 1
        assert_output ""
        [ ! -e /tmp/evil.c ]
    done
    # a link that stays inside is fine
    sha=$(sha256sum "$SRV/bad-symlink-in.tar.gz" | cut -d' ' -f1)
    write_project "{ name: fine, url: \"$URL/ok/bad-symlink-in.tar.gz\", sha256: \"$sha\", sources: [\"*.c\"] }"
    run mirleft pull
    assert_success
}

@test "git: a rev that does not exist is refused" {
    write_project "$(bar_lib v9.9)"
    run mirleft pull
    assert_failure 1
    assert_output --partial "library 'bar': no tag, branch or commit 'v9.9' in $GITREPO"
}

@test "libraries: a library's own min-version is checked (exit 4)" {
    sha=$(sha256sum "$SRV/newer.tar.gz" | cut -d' ' -f1)
    write_project "{ name: newer, url: \"$URL/ok/newer.tar.gz\", sha256: \"$sha\" }"
    run mirleft build
    assert_failure 4
    assert_output --partial "mirleft-lib.yml:1:14: error: library 'newer' needs mirleft >= 99.0, this is $VERSION; upgrade mirleft"
}

@test "libraries: a compile error names the library it came from" {
    sha=$(sha256sum "$SRV/broken.tar.gz" | cut -d' ' -f1)
    write_project "{ name: broken, url: \"$URL/ok/broken.tar.gz\", sha256: \"$sha\", sources: [b.c] }"
    run mirleft build
    assert_failure 1
    assert_output --partial "undeclared_thing"
    assert_output --partial "undeclared (first use in this function)"
    assert_output --partial "mirleft: the error above is in library 'broken' (b.c)"
}

@test "libraries: schema errors point at the file" {
    write_project '{ name: foo, url: "http://x/y.tgz" }'
    run mirleft check
    assert_failure 3
    assert_output --partial "unikernel.yml:7:5: error: library with a url: missing required key 'sha256'"
    write_project '{ name: foo, url: "http://x/y.tgz", sha256: abc }'
    run mirleft check
    assert_failure 3
    assert_output --partial "sha256: expected 64 hexadecimal digits, found 'abc'"
    write_project '{ name: foo, git: "x", rev: v1, path: y }'
    run mirleft check
    assert_failure 3
    assert_output --partial "library 'foo': give exactly one of url (with sha256), git (with rev) or path"
    write_project '{ name: foo, path: y, source: [a.c] }'
    run mirleft check
    assert_failure 3
    assert_output --partial "unknown library key 'source'"
    assert_output --partial "did you mean 'sources'?"
    write_project '{ name: foo, path: ../baz }' '{ name: foo, path: ../baz }'
    run mirleft check
    assert_failure 3
    assert_output --partial "library 'foo' is declared twice"
    write_project '{ name: baz, path: ../baz }'
    run mirleft build
    assert_failure 3
    assert_output --partial "library 'baz' says nothing about what to compile"
}

@test "pull: two concurrent pulls on one cache both succeed, one entry results" {
    write_project "$(foo_lib)" "$(bar_lib)"
    mirleft pull -q & a=$!
    mirleft pull -q & b=$!
    wait $a
    wait $b
    run ls "$MIRLEFT_CACHE/trees"
    assert_line "sha256-$FOO_SHA"
    assert_equal "$(ls "$MIRLEFT_CACHE/trees" | wc -l)" 2
    run ls -A "$MIRLEFT_CACHE/tmp"
    assert_output ""
    run mirleft build --offline
    assert_success
}

@test "pull: on a terminal, a progress bar per download; quiet otherwise" {
    command -v script >/dev/null || skip "script (bsdutils) not installed"
    write_project "$(foo_lib)"
    run script -qec "mirleft pull" /dev/null
    assert_success
    assert_output --regexp "library 'foo' +\[#+\] 100% [0-9.]+ (B|KiB) +[0-9.]+ (B|KiB|MiB)/s +done"
    rm -rf "$MIRLEFT_CACHE"
    run --separate-stderr mirleft pull
    assert_success
    assert_equal "$stderr" ""
}

@test "fetch: TLS is always verified: a self-signed certificate is refused" {
    command -v openssl >/dev/null || skip "openssl not installed"
    d="$BATS_TEST_TMPDIR/tls"
    mkdir -p "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
        -keyout "$d/key.pem" -out "$d/cert.pem" 2>/dev/null
    python3 "$FIX/httpsd.py" "$SRV" "$d/cert.pem" "$d/key.pem" > "$d/port" &
    pid=$!
    for _ in $(seq 50); do [ -s "$d/port" ] && break; sleep 0.1; done
    write_project "{ name: foo, url: \"https://127.0.0.1:$(cat "$d/port")/foo-1.0.tar.gz\", sha256: \"$FOO_SHA\" }"
    run mirleft pull
    kill $pid
    assert_failure 1
    assert_output --regexp "library 'foo': cannot fetch https://127.0.0.1:[0-9]+/foo-1.0.tar.gz: .*(certificate|SSL)"
    [ ! -d "$MIRLEFT_CACHE/trees/sha256-$FOO_SHA" ]
}

@test "lock: an unreachable remote does not stop a build of the locked commit" {
    repo="$BATS_TEST_TMPDIR/gone"
    cp -r "$GITREPO" "$repo"
    write_project "{ name: bar, git: \"$repo\", rev: v1.0, sources: [bar.c], include: [inc] }"
    mirleft lock >/dev/null
    mirleft build >/dev/null
    mv "$repo" "$repo.away"
    run mirleft build
    assert_success
    assert_output --partial "mirleft: warning: library 'bar': cannot check whether 'v1.0' has moved upstream; building the locked commit"
}

@test "query: every generated file is byte for byte what configure writes, with a library of each kind" {
    write_project "$(foo_lib)" "$(bar_lib)" '{ name: baz, path: ../baz, sources: ["*.c"], cflags: ["-DBAZ=\"a b\""] }'
    printf '  site: { type: kv_ro, backend: crunch, dir: site }\n' >site.yml
    sed -i '/^  console: console$/r site.yml' unikernel.yml
    mkdir -p site
    echo hi >site/index.html
    # a path library that describes itself in mirleft-lib.yml
    mkdir -p ../qux/inc
    echo 'int qux(void) { return 3; }' >../qux/q.c
    printf 'sources: ["*.c"]\ninclude: [inc]\ncflags: [-DQUX=1]\n' >../qux/mirleft-lib.yml
    echo '  - { name: qux, path: ../qux }' >>unikernel.yml
    # before anything is fetched, query says what is missing and writes nothing
    run mirleft query Makefile
    assert_failure 1
    assert_output --partial "not in the cache"
    run ls "$MIRLEFT_CACHE/trees"
    assert_output ""
    run mirleft configure
    assert_success
    run mirleft query
    assert_success
    assert_line Makefile
    assert_line tree_site.c
    n=0
    for f in $(mirleft query); do
        mirleft query "$f" >"$BATS_TEST_TMPDIR/q"
        cmp "$BATS_TEST_TMPDIR/q" "_build/spt/$f"
        n=$((n + 1))
    done
    assert_equal "$n" "$(ls _build/spt | grep -cv '^obj$')"
    run grep -c 'LIB_ROOT_.* := /nonexistent' _build/spt/Makefile
    assert_output 0
}
