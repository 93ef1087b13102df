#!/usr/bin/env bats
# Editor support: configure writes _build/TARGET/compile_commands.json and
# links it from the project root, where clangd finds it; clangd then
# understands every template's sources (devices.h, <mirleft/*.h>, the
# libc subset). The root link replaces only mirleft's own link.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

needs_clangd() {
    command -v clangd >/dev/null || skip "clangd not installed (Debian package clangd)"
}

# The target a template is meant for: rp2040 templates say so.
template_target() {
    grep -q rp2040 "$MIRLEFT_SRC/templates/$1/unikernel.yml" && echo rp2040 || echo spt
}

# clangd --check on one file: its summary line, and no E[ lines.
clangd_clean() {
    run clangd --check="$1"
    assert_line --partial "All checks completed, 0 errors"
    refute_line --regexp '^E\['
}

@test "every template: clangd --check reports no errors in any of its sources" {
    needs_clangd
    for t in $(ls "$MIRLEFT_SRC/templates"); do
        cd "$BATS_TEST_TMPDIR"
        mirleft new --template "$t" "ed-$t" >/dev/null
        cd "ed-$t"
        mirleft configure -t "$(template_target "$t")" >/dev/null
        assert [ -L compile_commands.json ]
        for f in $(python3 -c 'import json; print("\n".join(e["file"] for e in json.load(open("compile_commands.json")) if e["directory"] == "'"$PWD"'"))'); do
            echo "# $t: $f" >&3
            clangd_clean "$f"
        done
    done
}

@test "without compile_commands.json clangd finds neither <mirleft/*.h> nor devices.h (the test above can fail)" {
    needs_clangd
    mirleft new --template hello h >/dev/null
    cd h
    run clangd --check=unikernel.c
    assert_line --regexp "^E\[.*'mirleft/clock.h' file not found"
    assert_line --partial 'incomplete definition of type'
}

@test "compile_commands.json: the app, each library and the generated sources, with the build's include paths" {
    write_project
    mkdir -p ../vend/include && echo 'int vend(void);' >../vend/include/vend.h
    printf '#include "vend.h"\nint vend(void) { return 1; }\n' >../vend/vend.c
    printf 'libraries:\n  - { name: vend, path: ../vend, sources: [vend.c], include: [include] }\n' >>unikernel.yml
    run mirleft configure
    assert_success
    run python3 - "$PWD" <<'PY'
import json, os, sys
proj = sys.argv[1]
db = json.load(open(proj + "/_build/spt/compile_commands.json"))
by = {(e["directory"], e["file"]): e["arguments"] for e in db}
vend = os.path.realpath(proj + "/../vend")
app = by[(proj, "unikernel.c")]
assert "-I" + proj + "/_build/spt" in app, app
assert "-I" + vend + "/include" in app, app    # the app sees the library's headers
assert "-nostdlibinc" in app and app[app.index("-isystem") + 1].endswith("share/include/libc")
assert "-I" + vend + "/include" in by[(vend, "vend.c")]
assert (proj + "/_build/spt", "main.c") in by
for args in by.values():
    assert args[-2] == "-c", args
print("ok", len(db))
PY
    assert_success
    assert_output "ok 4"
}

@test "the root link follows the target configured last and clean removes it" {
    write_project
    mirleft configure >/dev/null
    assert_equal "$(readlink compile_commands.json)" _build/spt/compile_commands.json
    mirleft configure -t hvt >/dev/null
    assert_equal "$(readlink compile_commands.json)" _build/hvt/compile_commands.json
    assert [ -f compile_commands.json ]
    mirleft clean
    assert [ ! -e compile_commands.json ]
    assert [ ! -L compile_commands.json ]
}

@test "a compile_commands.json of the user's is never replaced or removed" {
    write_project
    echo '[]' >compile_commands.json
    run mirleft configure
    assert_success
    assert_line "note: compile_commands.json in the project is not mirleft's link: left alone (_build/spt/compile_commands.json is this target's)"
    assert_equal "$(cat compile_commands.json)" "[]"
    assert [ -f _build/spt/compile_commands.json ]
    mirleft clean
    assert_equal "$(cat compile_commands.json)" "[]"
    # nor a link of the user's to somewhere else
    rm compile_commands.json
    ln -s build/compile_commands.json compile_commands.json
    mirleft configure >/dev/null
    assert_equal "$(readlink compile_commands.json)" build/compile_commands.json
    mirleft clean
    assert_equal "$(readlink compile_commands.json)" build/compile_commands.json
}
