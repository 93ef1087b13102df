#!/usr/bin/env bats
# The kv template end to end on spt: the files of files/ embedded in the
# image (crunch), then the same code over tar archives on a block device
# (unikernel-tar.yml) in each format GNU tar writes; every key, size and
# SHA-256 checked against the host's files and sha256sum; corrupt and
# truncated archives refused with the offset named.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
unset MIRLEFT_DATADIR

setup_file() {
    cd "$BATS_FILE_TMPDIR" || return 1
    "$SRC/build/mirleft" new -T kv kv >/dev/null
    cd kv || return 1
    # more than the template ships: a binary file, a deeper path, a long
    # name, a file of exactly one tar block and an empty one
    mkdir -p files/data/deeper files/long-directory-name-that-goes-on-and-on-for-quite-a-while-indeed
    head -c 300000 /dev/urandom > files/data/random.bin
    head -c 512 /dev/urandom > files/data/deeper/one-block
    : > files/data/empty
    echo "a long path" > "files/long-directory-name-that-goes-on-and-on-for-quite-a-while-indeed/and-a-file-name-long-enough-to-need-more-than-100-bytes.txt"
    "$SRC/build/mirleft" build >/dev/null
    "$SRC/build/mirleft" build -f unikernel-tar.yml >/dev/null
}

setup() {
    cd "$BATS_FILE_TMPDIR/kv" || return 1
}

# What the unikernel should print for files/: "KEY SIZE SHA256" per file,
# sorted by key (C locale), then the summary line.
expected() {
    (cd files && find . -type f | sed 's|^\./||' | LC_ALL=C sort | while read -r f; do
        printf '%-24s %8d %s\n' "$f" "$(stat -c %s "$f")" "$(sha256sum "$f" | cut -d' ' -f1)"
    done
    n=$(find . -type f | wc -l)
    b=$(find . -type f -printf '%s\n' | awk '{s+=$1} END {print s}')
    echo "$n files, $b bytes")
}

@test "kv: crunch lists every file of files/ with its size and sha256sum's digest" {
    run --separate-stderr mirleft run --no-build
    assert_success
    assert_output "$(expected)"
    assert_line --regexp '^hello\.txt +43 f30d58cf5efb37d02c35d73c08bd60f78abff237db58dcb8f406ea4ef49ead6d$'
    assert_line "7 files, 300831 bytes"
}

@test "kv: --cat prints a value, --prefix narrows the list, a missing key exits 1" {
    run mirleft run --no-build -- --prefix=docs/ --cat=hello.txt
    assert_success
    assert_line --index 0 --regexp '^docs/notes\.md +138 '
    assert_line --index 1 "1 files, 138 bytes"
    assert_line --index 2 -- "--- hello.txt"
    assert_line --index 3 "Hello from a file embedded in a unikernel."
    run mirleft run --no-build -- --prefix=nothing --cat=no/such/file
    assert_failure 1
    assert_line "0 files, 0 bytes"
    assert_line "no/such/file: No such file or directory"
}

@test "kv: a changed file is re-embedded by the next build" {
    cp -r . ../kv2 && cd ../kv2
    echo "changed" > files/hello.txt
    run mirleft build
    assert_success
    run --separate-stderr mirleft run --no-build
    assert_success
    assert_output "$(expected)"
}

@test "kv: tar (GNU format) on a block device gives the same listing as crunch" {
    run --separate-stderr mirleft run --no-build
    crunch=$output
    tar -C files -cf gnu.tar .
    run --separate-stderr mirleft run --no-build -f unikernel-tar.yml --block disk=gnu.tar
    assert_success
    assert_output "$crunch"
    assert_output "$(expected)"
}

@test "kv: tar in pax, ustar, oldgnu formats, with ./ or bare names, directories and links skipped" {
    ln -sf hello.txt files/link-to-hello
    for fmt in posix ustar oldgnu; do
        tar --format=$fmt -C files -cf $fmt.tar .
        run --separate-stderr mirleft run --no-build -f unikernel-tar.yml --block disk=$fmt.tar
        echo "format $fmt: $stderr"
        assert_success
        rm -f files/link-to-hello
        assert_output "$(expected)"
        ln -sf hello.txt files/link-to-hello
    done
    rm -f files/link-to-hello
    (cd files && tar -cf ../bare.tar $(find . -type f | sed 's|^\./||'))
    run --separate-stderr mirleft run --no-build -f unikernel-tar.yml --block disk=bare.tar -- --cat=data/empty
    assert_success
    assert_line -- "--- data/empty"
}

@test "kv: a later archive member with the same name wins, as on extraction" {
    tar -C files -cf dup.tar ./hello.txt
    mkdir -p other && echo "second version" > other/hello.txt
    tar -C other -rf dup.tar ./hello.txt
    run mirleft run --no-build -f unikernel-tar.yml --block disk=dup.tar -- --cat=hello.txt
    assert_success
    assert_line --index 0 --regexp "^hello\.txt +15 $(sha256sum other/hello.txt | cut -d' ' -f1)\$"
    assert_line "second version"
}

@test "kv: a corrupt header is refused, naming its byte offset; exit 1" {
    tar -C files -cf bad.tar ./hello.txt ./index.html
    # the second header starts at 1024 (header + one data block); hit its name
    printf 'X' | dd of=bad.tar bs=1 seek=1030 conv=notrunc 2>/dev/null
    run mirleft run --no-build -f unikernel-tar.yml --block disk=bad.tar
    assert_failure 1
    [[ "$output" == *"kv_ro files: tar archive on block disk: header at byte offset 1024: bad header checksum"* ]]
}

@test "kv: a truncated archive is refused; a disk of zeros is an empty store; so is not-a-tar refused" {
    tar -C files -cf full.tar ./data/random.bin
    head -c 102400 full.tar > cut.tar
    run mirleft run --no-build -f unikernel-tar.yml --block disk=cut.tar
    assert_failure 1
    [[ "$output" == *"header at byte offset 0: entry of 300000 bytes runs past the end of the device (102400 bytes)"* ]]
    truncate -s 1M zeros.img
    run --separate-stderr mirleft run --no-build -f unikernel-tar.yml --block disk=zeros.img
    assert_success
    assert_output "0 files, 0 bytes"
    head -c 8192 /dev/urandom > noise.img
    run mirleft run --no-build -f unikernel-tar.yml --block disk=noise.img
    assert_failure 1
    [[ "$output" == *"header at byte offset 0: bad header checksum"* ]]
}

@test "kv: a bigger archive: 64 files of up to 128 KiB, digests against sha256sum" {
    mkdir -p big
    for i in $(seq 1 64); do head -c $((RANDOM * 4)) /dev/urandom > big/f$i; done
    tar -C big -cf big.tar .
    rm -rf files.bak && mv files files.bak && mv big files
    run --separate-stderr mirleft run --no-build -f unikernel-tar.yml --block disk=big.tar
    want=$(expected)
    rm -rf files && mv files.bak files
    assert_success
    assert_output "$want"
}
