#!/usr/bin/env bats
# min-version / max-version: checked before anything else (exit 4, its own
# code), compared per component as written, malformed versions exit 3. From
# check, configure and build.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_app 0
    IFS=. read -r MAJ MIN PAT <<<"$VERSION"
    NEWER="$((MAJ + 1)).0"
}

# bound_yml MIN [MAX] [EXTRA-LINES]: a config with that bound.
bound_yml() {
    {
        echo "name: proj"
        echo "min-version: $1"
        if [ -n "${2:-}" ]; then echo "max-version: $2"; fi
        echo "sources: [unikernel.c]"
        echo "${3:-}"
    } >unikernel.yml
}

@test "the cases below that use literal versions are written for 0.1.x" {
    # 0.10 > 0.9 > 0.1.x == 0.1: if VERSION leaves 0.1, rewrite them.
    assert_regex "$VERSION" '^0\.1\.[0-9]+$'
}

@test "min-version above ours: exit 4 with the upgrade message, from check, configure and build" {
    bound_yml "$NEWER"
    for cmd in check configure build; do
        run mirleft "$cmd"
        assert_failure 4
        assert_output "unikernel.yml:2:14: error: this project needs mirleft >= $NEWER, this is $VERSION; upgrade mirleft
    2 | min-version: $NEWER
      |              ^"
    done
    assert_nothing_built
}

@test "min-version above ours wins over unknown keys and every other error" {
    write_yml <<EOF
name: Not_A_Name
min-version: $NEWER
features: [quantum]
devices:
  x: { type: teleporter, warp: 9 }
EOF
    for cmd in check configure build; do
        run mirleft "$cmd"
        assert_failure 4
        assert_line --index 0 "unikernel.yml:2:14: error: this project needs mirleft >= $NEWER, this is $VERSION; upgrade mirleft"
        refute_output --partial "unknown key"
        refute_output --partial "features"
    done
    assert_nothing_built
}

@test "min-version after other keys is still checked first" {
    write_yml <<EOF
brand-new-key: 1
name: proj
sources: [unikernel.c]
min-version: $NEWER
EOF
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:4:14: error: this project needs mirleft >= $NEWER, this is $VERSION; upgrade mirleft"
}

@test "min-version equal to ours, or shorter, is accepted" {
    bound_yml "$VERSION"
    run mirleft check
    assert_success
    bound_yml "$MAJ.$MIN"
    run mirleft check
    assert_success
    bound_yml "$MAJ"
    run mirleft check
    assert_success
}

@test "max-version is exclusive: equal to ours gives exit 4" {
    bound_yml 0 "$VERSION"
    for cmd in check configure build; do
        run mirleft "$cmd"
        assert_failure 4
        assert_output "unikernel.yml:3:14: error: this project needs mirleft < $VERSION, this is $VERSION; use an older mirleft
    3 | max-version: $VERSION
      |              ^"
    done
    assert_nothing_built
}

@test "max-version below ours gives exit 4 even with unknown keys" {
    bound_yml 0 "$MAJ.$MIN" "future-key: 1"
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:3:14: error: this project needs mirleft < $MAJ.$MIN, this is $VERSION; use an older mirleft"
    refute_output --partial "future-key"
}

@test "max-version above ours is accepted" {
    bound_yml "$VERSION" "$NEWER"
    run mirleft check
    assert_success
    assert_output "unikernel.yml: ok for spt"
}

@test "0.10 is read as written, not as the float 0.1: it is above 0.1.x" {
    bound_yml 0.10
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:2:14: error: this project needs mirleft >= 0.10, this is $VERSION; upgrade mirleft"
}

@test "0.10 > 0.9 per component: both bound 0.1.x from above, 0.10 is not 0.1" {
    bound_yml 0.1 0.9
    run mirleft check
    assert_success
    # As a float, 0.10 would equal min-version 0.1 and be refused (exit 3).
    bound_yml 0.1 0.10
    run mirleft check
    assert_success
    bound_yml 0.9
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:2:14: error: this project needs mirleft >= 0.9, this is $VERSION; upgrade mirleft"
}

@test "max-version must be above min-version, compared per component: an empty range excludes us (exit 4) and says why" {
    bound_yml 0.0.2 0.1.10
    run mirleft check
    assert_success
    bound_yml 0.1 0.1.0
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:3:14: error: this project needs mirleft < 0.1.0, this is $VERSION; use an older mirleft"
    assert_line "unikernel.yml:3:14: hint: max-version 0.1.0 is not greater than min-version 0.1: no mirleft fits this range"
    bound_yml 0.0.10 0.0.9
    run mirleft check
    assert_failure 4
    assert_line "unikernel.yml:3:14: hint: max-version 0.0.9 is not greater than min-version 0.0.10: no mirleft fits this range"
}

@test "a quoted version is the same version" {
    bound_yml "\"$VERSION\""
    run mirleft check
    assert_success
}

@test "malformed min-version values exit 3 and name the key" {
    for v in 0.1.x 1.2.3.4 v1.0 01.2 1..2 1. .1 -1 '""' 1e3; do
        bound_yml "$v"
        run mirleft check
        assert_failure 3
        shown=${v//\"/}
        assert_line --index 0 "unikernel.yml:2:14: error: min-version: expected a version such as 0.1 or 1.2.3, found '$shown'"
    done
}

@test "a non-scalar min-version is a type error, exit 3" {
    bound_yml "[0, 1]"
    run mirleft configure
    assert_failure 3
    assert_line --index 0 "unikernel.yml:2:14: error: min-version: expected a scalar, found a sequence"
    assert_nothing_built
}

@test "a malformed max-version exits 3 from check, configure and build" {
    bound_yml "$VERSION" "2.x"
    for cmd in check configure build; do
        run mirleft "$cmd"
        assert_failure 3
        assert_line --index 0 "unikernel.yml:3:14: error: max-version: expected a version such as 0.1 or 1.2.3, found '2.x'"
    done
    assert_nothing_built
}

@test "max-version that excludes us, with no min-version: exit 4, not the missing key" {
    write_yml <<EOF2
name: proj
max-version: 0.1
sources: [unikernel.c]
EOF2
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:2:14: error: this project needs mirleft < 0.1, this is $VERSION; use an older mirleft"
    refute_output --partial "missing required key"
}

@test "min-version 0.10 with max-version 0.9: the bound that excludes us wins over their order (exit 4)" {
    bound_yml 0.10 0.9
    run mirleft check
    assert_failure 4
    assert_line --index 0 "unikernel.yml:2:14: error: this project needs mirleft >= 0.10, this is $VERSION; upgrade mirleft"
    refute_output --partial "must be greater"
}

@test "both bounds excluding us are both reported, before any other error (exit 4)" {
    write_yml <<EOF2
name: Bad_Name
min-version: 0.10
max-version: 0.1
unknown-key: 1
EOF2
    run mirleft check
    assert_failure 4
    assert_line --index 0 --partial "unikernel.yml:2:14: error: this project needs mirleft >= 0.10"
    assert_line --partial "unikernel.yml:3:14: error: this project needs mirleft < 0.1"
    refute_output --partial "unknown"
}

@test "a malformed bound is exit 3 only once no readable bound excludes us" {
    bound_yml "$VERSION" "x.y"
    run mirleft check
    assert_failure 3
    assert_line --index 0 --partial "max-version: expected a version"
    bound_yml "x.y" 0.1
    run mirleft check
    assert_failure 4
}
