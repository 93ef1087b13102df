#!/usr/bin/env bats
# spt images mirleft builds follow the Solo5 image rules the stock tenders
# enforce (spec §9), checked by an independent reader (solo5_conformance.py),
# since the stock solo5-spt cannot be installed here (not in Debian).

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

CHECK="$MIRLEFT_SRC/tests/e2e/solo5_conformance.py"

setup_file() {
    cd "$BATS_FILE_TMPDIR"
    mirleft new hello >/dev/null
    (cd hello && mirleft build >/dev/null)
    mkdir devs && cd devs
    cat > unikernel.yml <<YML
name: devs
min-version: $(cat "$MIRLEFT_SRC/VERSION")
sources: [unikernel.c]
devices:
  console: console
  disk: { type: block, name: storage }
  data: { type: block, name: data2 }
  service: { type: net }
YML
    printf '#include "devices.h"\nint start(struct devices *d, const struct args *a) { (void)d; (void)a; return 0; }\n' > unikernel.c
    mirleft build >/dev/null
}

@test "solo5: hello.spt conforms (no devices)" {
    run python3 "$CHECK" "$BATS_FILE_TMPDIR/hello/dist/hello.spt" spt
    assert_success
    assert_output "conforms"
}

@test "solo5: an spt image with block and net devices conforms, manifest in declaration order" {
    run python3 "$CHECK" "$BATS_FILE_TMPDIR/devs/dist/devs.spt" spt storage:BLOCK data2:BLOCK service:NET
    assert_success
    assert_output "conforms"
}

@test "solo5: a stripped image still conforms and still runs" {
    strip -o "$BATS_TEST_TMPDIR/h.spt" "$BATS_FILE_TMPDIR/hello/dist/hello.spt"
    run python3 "$CHECK" "$BATS_TEST_TMPDIR/h.spt" spt
    assert_success
    run mirleft-spt --mem=8 "$BATS_TEST_TMPDIR/h.spt" --ticks=0
    assert_success
    assert_output "Hello World!"
}

@test "solo5: the checker itself rejects a non-conforming image" {
    # a host program: PIE, dynamic, no Solo5 notes
    run python3 "$CHECK" /bin/true spt
    assert_failure
    assert_line "violates: ET_EXEC (not PIE, not a shared object)"
    assert_line "violates: one ABI1 note, alone at the start of its PT_NOTE"
}
