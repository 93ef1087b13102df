#!/usr/bin/env bash
# Builds the projects the hvt suites run (hvt_tender.bats, net_hvt.bats)
# into DIR/NAME, one per template, with `mirleft build -t hvt`; http also
# gets htdocs/big.bin (1 MiB of random bytes). tests/run calls this on the
# host before the hvt group, natively or emulated alike: compiling inside
# the emulated VM would take minutes per project. Run alone, a suite calls
# it itself.
set -eu
dir=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir"
cd "$dir"
for t in hello block kv net-ping udp-echo tcp-echo http; do
    rm -rf "$t"
    "$src/build/mirleft" new -T "$t" "$t" >/dev/null
    if [ "$t" = http ]; then
        head -c 1048576 /dev/urandom >"$t/htdocs/big.bin"
    fi
    (cd "$t" && "$src/build/mirleft" build -t hvt >/dev/null)
done
