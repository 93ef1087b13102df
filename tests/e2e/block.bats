#!/usr/bin/env bats
# The block template end to end on spt: a pattern written with async
# requests, read back async and sync, verified, and the disk's SHA-256
# checked against sha256sum of the host file; mismatches and bad
# arguments give non-zero exits.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR

setup_file() {
    cd "$BATS_FILE_TMPDIR" || return 1
    "$SRC/build/mirleft" new -T block blk >/dev/null
    cd blk || return 1
    "$SRC/build/mirleft" build >/dev/null
}

setup() {
    cd "$BATS_FILE_TMPDIR/blk" || return 1
}

# The digest the unikernel printed.
printed_sha() {
    printf '%s\n' "${lines[@]}" | sed -n 's/^disk sha256  //p'
}

@test "block: on the sparse image mirleft creates: geometry, refusals, three passes, OK" {
    rm -f _build/spt/disk.img
    run --separate-stderr mirleft run --no-build
    assert_success
    assert_line --index 0 "disk disk: 8192 sectors of 512 bytes (4194304 bytes)"
    assert_line "misaligned read refused: Invalid argument"
    assert_line "read past the end refused: Numerical result out of range"
    assert_line --regexp '^async write  4194304 bytes in [0-9]+\.[0-9]{3} ms'
    assert_line --regexp '^async read   4194304 bytes in [0-9]+\.[0-9]{3} ms'
    assert_line --regexp '^sync read    4194304 bytes in [0-9]+\.[0-9]{3} ms'
    assert_line --index 7 "OK"
    [[ "$stderr" == *"created"*"disk.img (4194304 bytes, sparse)"* ]]
    assert_equal "$(printed_sha)" "$(sha256sum _build/spt/disk.img | cut -d' ' -f1)"
}

@test "block: on a file given with --block; a second run only verifies" {
    truncate -s 1M mine.img
    run mirleft run --no-build --block disk=mine.img -- --seed=42
    assert_success
    assert_line --index 0 "disk disk: 2048 sectors of 512 bytes (1048576 bytes)"
    assert_line "OK"
    sha=$(printed_sha)
    assert_equal "$sha" "$(sha256sum mine.img | cut -d' ' -f1)"
    run mirleft run --no-build --block disk=mine.img -- --seed=42 --write=false
    assert_success
    refute_line --regexp '^async write'
    assert_line --regexp '^async read '
    assert_equal "$(printed_sha)" "$sha"
    # another seed is another pattern: verifying the old one fails
    run mirleft run --no-build --block disk=mine.img -- --seed=43 --write=false
    assert_failure 1
    assert_line --regexp '^MISMATCH \(async read\) at byte 0: '
}

@test "block: a corrupted byte is found and named, exit 1" {
    truncate -s 512K c.img
    run mirleft run --no-build --block disk=c.img
    assert_success
    printf 'Z' | dd of=c.img bs=1 seek=300001 conv=notrunc 2>/dev/null
    run mirleft run --no-build --block disk=c.img -- --write=false
    assert_failure 1
    assert_line --regexp '^MISMATCH \(async read\) at byte 300001: 0x5a, expected 0x[0-9a-f]{2}$'
    refute_line "OK"
}

@test "block: small requests, deep queue; the chunk must be whole sectors" {
    truncate -s 2M q.img
    run mirleft run --no-build --block disk=q.img -- --chunk=4K --depth=32 --seed=7
    assert_success
    assert_line "OK"
    assert_equal "$(printed_sha)" "$(sha256sum q.img | cut -d' ' -f1)"
    run mirleft run --no-build --block disk=q.img -- --chunk=512 --depth=1 --write=false --seed=7
    assert_success
    run mirleft run --no-build --block disk=q.img -- --chunk=1000
    assert_failure 2
    assert_line "--chunk=1000 is not a multiple of the sector size"
}

@test "block: a disk that is not a whole number of chunks" {
    truncate -s 1536K odd.img       # 1.5 MiB: 15.36 chunks of 100 KiB
    head -c 1000000 /dev/urandom | dd of=odd.img conv=notrunc 2>/dev/null
    run mirleft run --no-build --block disk=odd.img -- --chunk=100K
    assert_success
    assert_line "OK"
    assert_equal "$(printed_sha)" "$(sha256sum odd.img | cut -d' ' -f1)"
}

@test "block: the image runs straight under mirleft-spt with the file attached" {
    truncate -s 64K t.img
    run mirleft-spt --mem=32 --block:disk=t.img dist/blk.spt --chunk=8K
    assert_success
    assert_line "OK"
}
