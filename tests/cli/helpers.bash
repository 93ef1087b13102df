# shellcheck shell=bash
# Shared by tests/cli/*.bats: a fresh project directory per test, the
# mirleft of this tree first on PATH, and small writers for project files.

bats_require_minimum_version 1.5.0

SRC=${MIRLEFT_SRC:-$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}
PATH="$SRC/build:$PATH"
VERSION=$(cat "$SRC/VERSION")
export PATH
# The data must come from this tree unless a test says otherwise.
unset MIRLEFT_DATADIR

# Every test starts in its own empty project directory $PROJ. A file that
# defines setup() itself calls project_setup.
project_setup() {
    PROJ=$BATS_TEST_TMPDIR/proj
    mkdir -p "$PROJ"
    cd "$PROJ" || return 1
}

setup() {
    project_setup
}

# write_yml [FILE] <<'EOF' ... EOF: the configuration from a heredoc.
write_yml() {
    cat >"${1:-unikernel.yml}"
}

# write_app [STATUS]: a unikernel.c whose start prints nothing and returns
# STATUS (default 0).
write_app() {
    cat >unikernel.c <<EOF
#include "devices.h"

int start(struct devices *dev, const struct args *args)
{
    (void)dev;
    (void)args;
    return ${1:-0};
}
EOF
}

# A valid project: one console, one string argument.
write_project() {
    write_app 0
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
args:
  hello: { type: string, default: "Hello World!", doc: "what to print" }
EOF
}

# The header every error test uses: the three required keys, valid.
yml_head() {
    printf 'name: proj\nmin-version: %s\nsources: [unikernel.c]\n' "$VERSION"
}

# Path, size and mtime (ns) of every file under the current directory:
# compare two snapshots to prove a command wrote nothing.
snapshot() {
    find . -printf '%p %s %T@\n' | LC_ALL=C sort
}

assert_nothing_built() {
    assert [ ! -e _build ]
    assert [ ! -e dist ]
}

# assert_config_error STATUS 'L:C: error: MESSAGE' [HINT-LINE]: configure
# fails with STATUS, the first line is exactly FILE:L:C: error: MESSAGE,
# the hint line (if given) is present exactly, and nothing was written.
# The target is $TARGET (default spt).
assert_config_error() {
    local status=$1 err=$2 hint=${3:-}
    run mirleft configure -t "${TARGET:-spt}"
    assert_failure "$status"
    assert_line --index 0 "unikernel.yml:$err"
    if [ -n "$hint" ]; then
        assert_line "unikernel.yml:$hint"
    fi
    assert_nothing_built
}

# A copy of mirleft's data (share/, targets/, templates/) in $DATA, used
# through MIRLEFT_DATADIR.
copy_data() {
    DATA=$BATS_TEST_TMPDIR/data
    mkdir -p "$DATA"
    cp -r "$SRC/share" "$SRC/targets" "$SRC/templates" "$DATA/"
    export MIRLEFT_DATADIR=$DATA
}

# In the copied data: a device type `toy` with parameters and two
# dependencies (a console, and optionally another toy).
add_toy_type() {
    cat >"$DATA/share/devices/toy.yml" <<'EOF'
type: toy
doc: "a toy device for tests"
header: mirleft/toy.h
params:
  level: { type: int, default: 3, doc: "how loud" }
  label: { type: string, doc: "what it says" }
deps:
  out: { type: console, doc: "where it writes" }
  peer: { type: toy, optional: true, doc: "another toy" }
EOF
}

# In the copied data: a target `toy`, spt's folder renamed, that also
# provides the toy device type.
add_toy_target() {
    cp -r "$DATA/targets/spt" "$DATA/targets/toy"
    sed -i -e 's/^name: spt$/name: toy/' \
        -e 's/^devices:$/devices:\n  toy: {}/' "$DATA/targets/toy/target.yml"
    grep -q '^name: toy$' "$DATA/targets/toy/target.yml"
    grep -q '^  toy: {}$' "$DATA/targets/toy/target.yml"
}

# The device types target $1 provides, as mirleft lists them ("a, b, c"),
# read from its target.yml so the tests follow the data.
provided_by() {
    awk '/^devices:/ { f = 1; next }
         f && /^[^ #]/ { f = 0 }
         f && /^  [a-z0-9_]+:/ { sub(/^  /, ""); sub(/:.*/, "");
                                 printf "%s%s", (n++ ? ", " : ""), $0 }' \
        "$SRC/targets/$1/target.yml"
}
