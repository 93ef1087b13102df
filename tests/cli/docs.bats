#!/usr/bin/env bats
# The manual keeps up with the code: every key the target and device-type
# loaders accept (the NULL-terminated lists given to the strict key check,
# sc_keys, in src/target.c and src/catalogue.c) is described in
# man/mirleft-data.5, and the man pages render without warnings.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

# loader_keys FILE: every string in the arrays FILE passes to sc_keys, one
# per line, sorted.
loader_keys() {
    local file=$1 arrays a
    arrays=$(grep -oE 'sc_keys\([^,]+,[^,]+, *[A-Za-z_][A-Za-z0-9_]*' "$file" |
             sed 's/.*, *//' | sort -u)
    for a in $arrays; do
        tr '\n' ' ' <"$file" |
            grep -oE "[^A-Za-z0-9_]$a\[\] *= *\{[^}]*\}" |
            grep -oE '"[^"]*"' | tr -d '"'
    done | sort -u
}

# A value accepted beside the keys: the strings of array NAME in FILE.
array_strings() {
    tr '\n' ' ' <"$1" | grep -oE "[^A-Za-z0-9_]$2\[\] *= *\{[^}]*\}" |
        grep -oE '"[^"]*"' | tr -d '"'
}

# missing_from_page WORD...: those not written as a bold word in the page
# (roff spells - as \-).
missing_from_page() {
    local page=$SRC/man/mirleft-data.5 w r
    for w in "$@"; do
        r=${w//-/\\\\-}
        grep -qE "(^\.B[IR]? \"?|\\\\fB)$r([ \"]|\\\\f|\$)" "$page" || echo "$w"
    done
}

@test "docs: every target.yml key the loader accepts is in mirleft-data(5)" {
    keys=$(loader_keys "$SRC/src/target.c")
    # the extraction itself still works: the top-level and nested lists
    for k in name toolchain bindings-exports suffix abi-version cflags \
             objcopy net-option backend sources; do
        grep -qx -- "$k" <<<"$keys" || fail "key '$k' not extracted from src/target.c"
    done
    mapfile -t list <<<"$keys"
    run missing_from_page "${list[@]}"
    assert_output ""
}

@test "docs: every device-type key the loader accepts is in mirleft-data(5)" {
    keys=$(loader_keys "$SRC/src/catalogue.c")
    for k in type header solo5 backends params deps sources default host \
             embed optional; do
        grep -qx -- "$k" <<<"$keys" || fail "key '$k' not extracted from src/catalogue.c"
    done
    mapfile -t list <<<"$keys"
    run missing_from_page "${list[@]}"
    assert_output ""
}

@test "docs: the accepted values (status, Solo5 kinds, embed kinds, value types) are in mirleft-data(5)" {
    values=$(array_strings "$SRC/src/target.c" st
             array_strings "$SRC/src/catalogue.c" kinds
             array_strings "$SRC/src/schema.c" vtype_names)
    for v in ready planned BLOCK_BASIC NET_BASIC tree string ipv4-addr path; do
        grep -qx -- "$v" <<<"$values" || fail "value '$v' not extracted"
    done
    mapfile -t list <<<"$values"
    run missing_from_page "${list[@]}"
    assert_output ""
}

# render PAGE: the warnings groff (or man) gives for the page, if any.
render() {
    if command -v groff >/dev/null; then
        groff -man -Tutf8 -ww -z "$1" 2>&1
    else
        # the warnings (stderr) are the output; the page itself is dropped
        # shellcheck disable=SC2069
        LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings=all -l "$1" 2>&1 >/dev/null
    fi
}

@test "docs: the man pages render without warnings" {
    if ! command -v groff >/dev/null && ! command -v man >/dev/null; then
        skip "neither groff nor man is installed"
    fi
    for page in "$SRC"/man/*.[135]; do
        run render "$page"
        assert_success
        assert_output ""
    done
}

@test "docs: mirleft(1) and unikernel.yml(5) refer to mirleft-data(5)" {
    grep -q '^\.BR mirleft\\-data (5)' "$SRC/man/mirleft.1"
    grep -q '^\.BR mirleft\\-data (5)' "$SRC/man/unikernel.yml.5"
}
