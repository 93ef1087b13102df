#!/usr/bin/env bats
# Small things a new user trips on (issue 12, item 10): out-of-range
# integers, where bad bytes are, .gitignore from new, null in JSON, case
# in did-you-mean, temporary files of a killed configure.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

@test "an integer too large for 64 bits is 'out of range', in unikernel.yml and on the unikernel's command line" {
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
args:
  id: { type: int, default: 1 }
  sz: { type: size, default: 1K }
EOF
    run mirleft build
    assert_success
    run mirleft run -- --id=99999999999999999999
    assert_failure 2
    assert_line "proj: --id=99999999999999999999: out of range: expected an integer from -9223372036854775808 to 9223372036854775807"
    run mirleft run -- --id=-9223372036854775809
    assert_failure 2
    assert_line --partial "--id=-9223372036854775809: out of range"
    run mirleft run -- --sz=99999999999999999999K
    assert_failure 2
    assert_line --partial "--sz=99999999999999999999K: out of range"
    run mirleft run -- --id=12x
    assert_failure 2
    assert_line --partial "--id=12x: expected an integer"
    sed -i 's/default: 1 }/default: 99999999999999999999 }/' unikernel.yml
    run mirleft check
    assert_failure 3
    assert_line --index 0 "unikernel.yml:7:29: error: default of argument 'id' (int): out of range: expected an integer from -9223372036854775808 to 9223372036854775807, found '99999999999999999999'"
}

@test "control bytes in unikernel.yml are reported where they are, not at 1:1" {
    printf 'name: proj\nmin-version: %s\nsources: [unikernel.c]\nargs:\n  a: { type: string, default: "ab\001cd" }\n' "$VERSION" >unikernel.yml
    run mirleft check
    assert_failure 3
    assert_line --index 0 "unikernel.yml:5:34: error: YAML syntax: control characters are not allowed (byte 0x01)"
    printf 'name: proj\nmin-version: %s\nsources: [unikernel.c]\n\000\001\002' "$VERSION" >unikernel.yml
    run mirleft check
    assert_failure 3
    assert_line --index 0 "unikernel.yml:4:1: error: YAML syntax: control characters are not allowed (byte 0x00)"
    printf 'name: pro\377j\n' >unikernel.yml
    run mirleft check
    assert_failure 3
    assert_line --index 0 --regexp "^unikernel.yml:1:10: error: YAML syntax: .*UTF-8.* \(byte 0xff\)"
}

@test "new writes a .gitignore for _build/ and dist/, and keeps a template's own" {
    run mirleft new app
    assert_success
    assert_equal "$(cat app/.gitignore)" "_build/
dist/
compile_commands.json"
    cd app
    git init -q
    mirleft build >/dev/null
    run git status --porcelain --untracked-files=all
    refute_output --partial "_build"
    refute_output --partial "dist/"
    cd ..
    mkdir -p tmpl
    cp app/unikernel.yml app/unikernel.c tmpl/
    echo 'mine/' >tmpl/.gitignore
    run mirleft new -T ./tmpl other
    assert_success
    assert_equal "$(cat other/.gitignore)" "mine/"
}

@test "inspect --json writes null for what the image does not record, not the string \"none\"" {
    write_project
    run mirleft build
    assert_success
    run mirleft inspect --json dist/proj.spt
    assert_success
    assert_output --partial '"lock-sha256":null'
    assert_output --partial '"build-time":null'
    refute_output --partial '"none"'
    python3 -c 'import json,sys; d=json.load(sys.stdin)["buildinfo"]; assert d["lock-sha256"] is None and d["build-time"] is None' <<<"$output"
    # a project may be called none: that name stays a string
    sed -i 's/^name: proj/name: none/' unikernel.yml
    SOURCE_DATE_EPOCH=0 mirleft build >/dev/null
    run mirleft inspect --json dist/none.spt
    assert_output --partial '"name":"none"'
    assert_output --partial '"build-time":"1970-01-01T00:00:00Z"'
}

@test "a target or device type in the wrong case gets a did-you-mean" {
    write_project
    run mirleft configure -t SPT
    assert_failure 2
    assert_output "mirleft: unknown target 'SPT'
hint: did you mean 'spt'?"
    run mirleft devices Console
    assert_failure 2
    assert_line "hint: did you mean 'console'?"
}

@test "configure removes the temporary files a killed configure left behind, and only those" {
    write_project
    run mirleft configure
    assert_success
    # a pid that is surely not running, and one that is (this shell's)
    dead=999999999
    echo torn >"_build/spt/args.c.tmp.$dead"
    echo torn >"_build/spt/buildinfo.c.tmp.$dead"
    echo live >"_build/spt/main.c.tmp.$$"
    echo mine >"_build/spt/notes.tmp.txt"
    run mirleft configure
    assert_success
    assert [ ! -e "_build/spt/args.c.tmp.$dead" ]
    assert [ ! -e "_build/spt/buildinfo.c.tmp.$dead" ]
    assert [ -e "_build/spt/main.c.tmp.$$" ]
    assert [ -e "_build/spt/notes.tmp.txt" ]
}

@test "configure killed with SIGKILL over and over leaves no temporary file once it has run again" {
    write_project
    for _ in $(seq 40); do
        mirleft configure >/dev/null 2>&1 &
        pid=$!
        sleep 0.00$((RANDOM % 9))
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        # a change each time, so configure has files to write
        sed -i "s/doc: \".*\"/doc: \"run $RANDOM\"/" unikernel.yml
    done
    run mirleft configure
    assert_success
    run find _build -name '*.tmp.*'
    assert_output ""
}
