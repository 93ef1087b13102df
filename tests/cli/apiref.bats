#!/usr/bin/env bats
# The API reference (man/*.3) keeps up with the headers: every public
# symbol of share/include/mirleft/*.h has an entry, every page's EXAMPLES
# build as real projects (and run, where the page says how), and the pages
# are installed and pointed at (issue 13, item 1).

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

SYMBOLS=$SRC/tests/cli/api_symbols.py

headers() {
    ls "$SRC"/share/include/mirleft/*.h
}

# page_block PAGE N: the Nth .nf/.fi block of PAGE's EXAMPLES, roff's
# escapes turned back into text.
page_block() {
    awk -v n="$2" '/^\.SH EXAMPLES/ { f = 1; next } f && /^\.SH / { exit }
        f && /^\.nf$/ { i++; b = (i == n); next } f && /^\.fi$/ { b = 0 }
        b' "$1" |
        sed -e 's/\\-/-/g' -e "s/\\\\(aq/'/g" -e 's/\\(dq/"/g' \
            -e 's/\\&//g' -e 's/\\e/\\/g'
}

# page_blocks PAGE: how many .nf blocks its EXAMPLES has.
page_blocks() {
    awk '/^\.SH EXAMPLES/ { f = 1; next } f && /^\.SH / { exit }
        f && /^\.nf$/ { i++ } END { print i + 0 }' "$1"
}

# try_example PAGE: a project from the page's example (block 1
# unikernel.yml, block 2 unikernel.c) in its own directory, then block 3's
# commands (default: mirleft build) with bash -e. Prints what failed.
try_example() {
    local page=$1 dir out
    dir=$BATS_TEST_TMPDIR/$(basename "$page")
    mkdir -p "$dir"
    page_block "$page" 1 >"$dir/unikernel.yml"
    page_block "$page" 2 >"$dir/unikernel.c"
    page_block "$page" 3 >"$dir/run.sh"
    [ -s "$dir/run.sh" ] || echo "mirleft build" >"$dir/run.sh"
    if ! out=$(cd "$dir" && bash -e run.sh 2>&1); then
        printf '%s: the example failed:\n%s\n' "$(basename "$page")" "$(tail -n 30 <<<"$out")"
        return 1
    fi
}

rp2040_missing() {
    command -v arm-none-eabi-gcc >/dev/null || echo "arm-none-eabi-gcc (gcc-arm-none-eabi)"
    command -v node >/dev/null || echo "node (nodejs)"
    [ -d "$SRC/targets/rp2040/runner/node_modules/rp2040js" ] ||
        echo "rp2040js (run .ci/deps: npm ci in targets/rp2040/runner)"
}

@test "apiref: the symbol extractor finds each kind of declaration the headers use" {
    mapfile -t hs < <(headers)
    run python3 "$SYMBOLS" "$SRC/share/include" "${hs[@]}"
    assert_success
    for want in "tcp.h function ml_tcp_write" "checksum.h function ml_csum_add32" \
                "runtime.h function ml_fatal" "clock.h macro ML_NS" \
                "log.h macro ML_ERROR" "platform.h type ml_result_t" \
                "platform.h constant ML_R_OK" "log.h variable ml_log_threshold" \
                "timer.h struct ml_timer" "tcp.h struct ml_tcp_conn" \
                "tcp.h type ml_tcp_accept_fn" "args.h enum ml_arg_type" \
                "kv_tree.h struct ml_kv_file" "kv_ro.h variable ml_kv_ro_backend_tar"; do
        assert_line "$want"
    done
    # include guards and struct members are not symbols
    refute_line --partial "MIRLEFT_TCP_H"
    refute_line --regexp " (sndbuf|deadline|head)$"
    [ "${#lines[@]}" -ge 250 ]
}

@test "apiref: every public function, type and macro of share/include/mirleft has an entry in a SYNOPSIS of man/*.3, and is described" {
    mapfile -t hs < <(headers)
    run python3 "$SYMBOLS" --missing "$SRC/share/include" "$SRC/man" "${hs[@]}"
    assert_success
    assert_output ""
    # the check can fail: a page whose SYNOPSIS lacks one entry, and one
    # whose text no longer mentions a macro it lists
    mkdir man
    cp "$SRC"/man/*.3 man/
    sed -i -e '/^\.BI "long ml_tcp_write(/d' -e '/^\.BR ML_UDP_MAX_PAYLOAD ;$/d' man/ml_stack.3
    run python3 "$SYMBOLS" --missing "$SRC/share/include" man "${hs[@]}"
    assert_output "tcp.h function ml_tcp_write (no entry in a SYNOPSIS)
udp.h macro ML_UDP_MAX_PAYLOAD (not described outside SYNOPSIS and EXAMPLES)"
}

@test "apiref: every header is in some page's SYNOPSIS, and mirleft(3) names every page" {
    for h in $(headers); do
        inc="#include <mirleft/$(basename "$h")>"
        grep -lF "$inc" "$SRC"/man/*.3 >/dev/null || fail "no page's SYNOPSIS has $inc"
    done
    for p in "$SRC"/man/*.3; do
        name=$(basename "$p" .3)
        [ "$name" = mirleft ] && continue
        grep -qE "^\.BR (\"?)${name//_/\\\\?_}\\1 \"?\\(3\\)" "$SRC/man/mirleft.3" ||
            grep -qF "\" $name\" (3)" "$SRC/man/mirleft.3" ||
            fail "mirleft(3) does not name $name(3)"
    done
}

@test "apiref: every page has an EXAMPLES section, and the spt ones build and run as written" {
    for p in "$SRC"/man/*.3; do
        [ "$(page_blocks "$p")" -ge 2 ] || fail "$(basename "$p") has no example project"
        grep -q 'rp2040' <(page_block "$p" 3) && continue
        try_example "$p"
    done
}

@test "apiref: the rp2040 pages' EXAMPLES build (and run in the emulator where they say so)" {
    why=$(rp2040_missing | paste -sd, -)
    [ -z "$why" ] || skip "missing: $why"
    n=0
    for p in "$SRC"/man/*.3; do
        grep -q 'rp2040' <(page_block "$p" 3) || continue
        try_example "$p"
        n=$((n + 1))
    done
    [ "$n" -ge 4 ]
}

@test "apiref: README and mirleft(1) point at mirleft(3)" {
    grep -q 'mirleft(3)' "$SRC/README.md"
    grep -qE '^\.BR mirleft \(3\)' "$SRC/man/mirleft.1"
}
