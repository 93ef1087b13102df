#!/usr/bin/env bats
# mirleft configure: where files land, determinism, --dry-run, -t, -f.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_project
}

@test "configure writes the generated files under _build/spt" {
    run mirleft configure
    assert_success
    assert_output "configured proj for spt in _build/spt (7 of 7 files changed)"
    run ls _build/spt
    assert_output "Makefile
args.c
buildinfo.c
compile_commands.json
devices.h
main.c
manifest.c"
}

@test "configure writes nothing outside _build/TARGET but clangd's link" {
    mkdir -p keep && echo x >keep/file
    outside() { find . -mindepth 1 ! -path './_build' ! -path './_build/*' ! -path ./compile_commands.json -printf '%p %s %T@\n' | LC_ALL=C sort; }
    before=$(outside)
    mirleft configure
    assert_equal "$(outside)" "$before"
    assert_equal "$(readlink compile_commands.json)" _build/spt/compile_commands.json
    run find _build -mindepth 1 -maxdepth 1
    assert_output "_build/spt"
    assert [ ! -e dist ]
}

@test "devices.h has one typed field per device and per argument" {
    mirleft configure
    run grep -E '^    (struct ml_|const char)' _build/spt/devices.h
    assert_output "    struct ml_console console; /* console */
    const char *hello; /* what to print */"
}

@test "configuring twice gives byte-identical files and unchanged mtimes" {
    mirleft configure
    cp -a _build first
    stat_before=$(cd _build && find . -type f -printf '%p %T@\n' | sort)
    sleep 0.05
    run mirleft configure
    assert_success
    assert_output "configured proj for spt in _build/spt (0 of 7 files changed)"
    assert diff -r first _build
    assert_equal "$(cd _build && find . -type f -printf '%p %T@\n' | sort)" "$stat_before"
}

@test "generation is a function of the inputs, not of the directory" {
    mirleft configure
    mkdir ../elsewhere
    cp unikernel.yml unikernel.c ../elsewhere/
    (cd ../elsewhere && mirleft configure >/dev/null)
    assert diff -r -x compile_commands.json _build ../elsewhere/_build
    # compile_commands.json names the directory (the format wants it
    # absolute), and differs by nothing else
    here=$(cd .. && pwd)
    assert diff <(sed "s|$here/proj|DIR|g" _build/spt/compile_commands.json) \
        <(sed "s|$here/elsewhere|DIR|g" ../elsewhere/_build/spt/compile_commands.json)
}

@test "a change to the config rewrites only the files it affects" {
    mirleft configure
    sed -i 's/"what to print"/"the greeting"/' unikernel.yml
    run mirleft configure
    assert_success
    assert_output "configured proj for spt in _build/spt (3 of 7 files changed)"
    run grep -c "the greeting" _build/spt/args.c _build/spt/devices.h
    assert_output "_build/spt/args.c:1
_build/spt/devices.h:1"
}

@test "--dry-run lists the files and writes nothing" {
    before=$(snapshot)
    run mirleft configure --dry-run
    assert_success
    assert_line --index 0 --regexp '^_build/spt/Makefile \(new, [0-9]+ bytes\)$'
    assert_line --index 1 --regexp '^_build/spt/args\.c \(new, [0-9]+ bytes\)$'
    assert_line --index 2 --regexp '^_build/spt/buildinfo\.c \(new, [0-9]+ bytes\)$'
    assert_equal "${#lines[@]}" 7
    assert_equal "$(snapshot)" "$before"
    assert [ ! -e compile_commands.json ]
    assert_nothing_built
}

@test "-n after a configure says unchanged, then changed" {
    mirleft configure
    run mirleft configure -n
    assert_success
    assert_line "_build/spt/main.c (unchanged, $(stat -c %s _build/spt/main.c) bytes)"
    sed -i 's/"what to print"/"x"/' unikernel.yml
    before=$(snapshot)
    run mirleft configure -n
    assert_line --regexp '^_build/spt/devices\.h \(changed, [0-9]+ bytes\)$'
    assert_line --regexp '^_build/spt/main\.c \(unchanged, [0-9]+ bytes\)$'
    assert_equal "$(snapshot)" "$before"
}

@test "dry-run sizes are the sizes configure writes" {
    run mirleft configure --dry-run
    dry=$output
    mirleft configure
    for f in Makefile args.c devices.h main.c manifest.c; do
        assert_regex "$dry" "_build/spt/$f \(new, $(stat -c %s "_build/spt/$f") bytes\)"
    done
}

@test "-t and --target choose the target" {
    run mirleft configure -t spt
    assert_success
    run mirleft configure --target spt
    assert_success
    assert_output "configured proj for spt in _build/spt (0 of 7 files changed)"
}

@test "a planned target: exit 5, nothing written" {
    run mirleft configure -t xen
    assert_failure 5
    assert_output "mirleft: target 'xen' is described but not buildable yet (status: planned)"
    assert_nothing_built
}

@test "an unknown target: exit 2 with did-you-mean" {
    run mirleft configure -t sptt
    assert_failure 2
    assert_output "mirleft: unknown target 'sptt'
hint: did you mean 'spt'?"
    run mirleft configure -t qqqqqqq
    assert_failure 2
    assert_output "mirleft: unknown target 'qqqqqqq'
hint: \`mirleft targets\` lists them"
    assert_nothing_built
}

@test "-f FILE: the project is the file's directory" {
    mkdir sub
    mv unikernel.yml unikernel.c sub/
    mv sub/unikernel.yml sub/other.yml
    run mirleft configure -f sub/other.yml
    assert_success
    assert [ -f sub/_build/spt/main.c ]
    assert_nothing_built
    run head -1 sub/_build/spt/main.c
    assert_output "/* Generated by mirleft $VERSION from other.yml for 'proj', target spt. */"
}

@test "outside a project: exit 1 with a hint" {
    rm unikernel.yml
    run mirleft configure
    assert_failure 1
    assert_output "mirleft: cannot read unikernel.yml: No such file or directory
hint: run mirleft in a project directory, pass -f FILE, or create one with \`mirleft new NAME\`"
    assert_nothing_built
}

@test "an extra argument or unknown option: exit 2" {
    run mirleft configure spt
    assert_failure 2
    assert_output "mirleft configure: unexpected argument 'spt'
Try 'mirleft help configure'."
    run mirleft configure --bogus
    assert_failure 2
    assert_line --index 0 "mirleft configure: unrecognized option '--bogus'"
    assert_line --index 1 "Try 'mirleft help configure'."
    run mirleft configure -t
    assert_failure 2
    assert_nothing_built
}

@test "the generated files never touch a file the user wrote" {
    cp unikernel.c keep.c
    mirleft configure
    assert diff unikernel.c keep.c
}
