#!/usr/bin/env bats
# Build information in every image (mirleft inspect) and reproducible
# builds: the same project in two directories at two times, same bytes.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

VERSION=$(cat "$MIRLEFT_SRC/VERSION")

setup() {
    export MIRLEFT_CACHE="$BATS_TEST_TMPDIR/cache"
    cd "$BATS_TEST_TMPDIR"
    mirleft new --name prov p1 >/dev/null
    cd p1
    # a block device, so the manifest has an entry to show
    cat > unikernel.yml <<YML
name: prov
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
  clock: clock
  disk: { type: block, size: 1M, name: storage }
args:
  hello: { type: string, default: "Hello World!" }
  ticks: { type: int, default: 0 }
  interval: { type: int, default: 100 }
YML
}

@test "inspect: build info, ABI and devices of an spt image" {
    SOURCE_DATE_EPOCH=1700000000 mirleft build >/dev/null
    run mirleft inspect dist/prov.spt
    assert_success
    assert_line --regexp "^dist/prov.spt: [0-9]+ bytes$"
    assert_line "  mirleft        $VERSION"
    assert_line "  name           prov"
    assert_line "  target         spt"
    assert_line "  config-sha256  $(sha256sum unikernel.yml | cut -d' ' -f1)"
    assert_line "  lock-sha256    none"
    assert_line "  git-commit     none"
    assert_line "  build-time     2023-11-14T22:13:20Z"
    assert_line "Solo5 ABI: spt, version 2"
    assert_line --regexp "^  1  storage +BLOCK_BASIC$"
}

@test "inspect --json: one object with the same facts" {
    mirleft build >/dev/null
    run mirleft inspect --json dist/prov.spt
    assert_success
    assert_output --partial '"target":"spt"'
    assert_output --partial "\"config-sha256\":\"$(sha256sum unikernel.yml | cut -d' ' -f1)\""
    assert_output --partial '"build-time":null'
    assert_output --partial '"abi":{"target":"spt","version":2}'
    assert_output --partial '"devices":[{"name":"storage","type":"BLOCK_BASIC","handle":1}]'
    python3 -c 'import json,sys; json.loads(sys.stdin.read())' <<< "$output"
}

@test "inspect: the project's git commit and whether the tree was dirty" {
    git init -q .
    printf '_build/\ndist/\n' > .gitignore
    git add -A
    git -c user.email=t@t -c user.name=t commit -qm one
    commit=$(git rev-parse HEAD)
    mirleft build >/dev/null
    run mirleft inspect dist/prov.spt
    assert_line "  git-commit     $commit"
    assert_line "  git-dirty      false"
    echo '/* edit */' >> unikernel.c
    mirleft build >/dev/null
    run mirleft inspect dist/prov.spt
    assert_line "  git-dirty      true"
}

@test "inspect: files mirleft did not build, or not ELF at all, are refused cleanly" {
    run mirleft inspect /bin/true
    assert_failure 1
    assert_output "mirleft: /bin/true: no mirleft build-info note: not an image mirleft built"
    head -c 1000 /dev/urandom > junk
    run mirleft inspect junk
    assert_failure 1
    assert_output "mirleft: junk: not an ELF file"
    mirleft build >/dev/null
    for n in 10 64 200 1000 4000; do
        head -c $n dist/prov.spt > cut
        run mirleft inspect cut
        [ "$status" -le 1 ]
    done
    run mirleft inspect nonexistent
    assert_failure 1
    run mirleft inspect
    assert_failure 2
}

@test "reproducible: two directories, two times, byte-identical spt images" {
    cd "$BATS_TEST_TMPDIR"
    cp -r p1 p2
    (cd p1 && mirleft build >/dev/null)
    sleep 1.1
    (cd p2 && mirleft build -j1 >/dev/null)
    cmp p1/dist/prov.spt p2/dist/prov.spt
    # no trace of either directory in the image
    run grep -c "$BATS_TEST_TMPDIR" p1/dist/prov.spt
    assert_output 0
}

@test "reproducible: also with a library and SOURCE_DATE_EPOCH" {
    cd "$BATS_TEST_TMPDIR"
    mkdir -p lib && echo 'int lib_one(void) { return 1; }' > lib/one.c
    for d in q1 q2; do
        mkdir -p $d/sub && cp p1/unikernel.c $d/sub/
        cp p1/unikernel.yml $d/sub/
        printf 'libraries:\n  - { name: one, path: ../../lib, sources: [one.c] }\n' >> $d/sub/unikernel.yml
    done
    (cd q1/sub && SOURCE_DATE_EPOCH=1 mirleft build >/dev/null)
    sleep 1.1
    (cd q2/sub && SOURCE_DATE_EPOCH=1 mirleft build >/dev/null)
    cmp q1/sub/dist/prov.spt q2/sub/dist/prov.spt
}

@test "reproducible: two directories, two times, byte-identical hvt images" {
    cd "$BATS_TEST_TMPDIR"
    cp -r p1 p2
    (cd p1 && mirleft build -t hvt >/dev/null)
    sleep 1.1
    (cd p2 && mirleft build -t hvt -j1 >/dev/null)
    cmp p1/dist/prov.hvt p2/dist/prov.hvt
    run mirleft inspect p1/dist/prov.hvt
    assert_line "  target         hvt"
    assert_line "Solo5 ABI: hvt, version 2"
}
