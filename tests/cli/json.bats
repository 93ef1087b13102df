#!/usr/bin/env bats
# --json on check, describe, targets, devices and build: one JSON object on
# stdout (schema in mirleft(1), JSON OUTPUT), null where there is nothing,
# the exit code unchanged. Each object is parsed and checked with python3.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load helpers

setup() {
    project_setup
    write_project
}

# py EXPR-LINES: runs python with `d` the JSON object of $output.
py() {
    python3 -c "import json, sys
d = json.loads(sys.argv[1])
$1" "$output"
}

@test "check --json on a valid project: ok, one target, no problems" {
    run --separate-stderr mirleft check --json
    assert_success
    assert_equal "$stderr" ""
    py 'assert d == {"file": "unikernel.yml", "ok": True, "exit": 0,
        "targets": [{"target": "spt", "ok": True, "buildable": True}],
        "problems": []}, d'
}

@test "check --json: every problem with file, line, column, code, message and hint" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: consle
  disk: { type: block, nmae: x }
EOF
    run --separate-stderr mirleft check --json
    assert_failure 3
    assert_equal "$stderr" ""
    py 'p = d["problems"]
assert d["ok"] is False and d["exit"] == 3, d
assert len(p) == 2, p
keys = {"target", "severity", "file", "line", "column", "code", "message", "hint"}
assert all(set(x) == keys for x in p), p
a = p[0]
assert (a["file"], a["line"], a["column"], a["code"], a["severity"]) == ("unikernel.yml", 5, 12, 3, "error"), a
assert a["message"] == "unknown device type '"'"'consle'"'"'", a
assert a["hint"] == "did you mean '"'"'console'"'"'?", a
assert p[1]["line"] == 6 and "nmae" in p[1]["message"] and p[1]["hint"], p[1]
assert all(x["target"] == "spt" for x in p), p'
    # the text form reports the same positions
    run mirleft check
    assert_line --index 0 "unikernel.yml:5:12: error: unknown device type 'consle'"
}

@test "check --json: a problem without a file or position has nulls; the exit code is its code" {
    run --separate-stderr mirleft check --json -t sptt
    assert_failure 2
    py 'p, = d["problems"]
assert (p["file"], p["line"], p["column"], p["code"]) == (None, None, None, 2), p
assert p["message"] == "unknown target '"'"'sptt'"'"'" and p["hint"] == "did you mean '"'"'spt'"'"'?", p'
    run --separate-stderr mirleft check --json -f nope.yml
    assert_failure 1
    py 'p, = d["problems"]
assert d["targets"] == [] and p["code"] == 1 and p["target"] is None, d
assert p["message"].startswith("cannot read nope.yml") and "mirleft new" in p["hint"], p'
}

@test "check --json --all-targets: one entry per target, problems tagged with theirs" {
    run --separate-stderr mirleft check --json --all-targets
    assert_success
    py 'names = [t["target"] for t in d["targets"]]
assert names == sorted(names) and "spt" in names and "rp2040" in names, names
assert all(set(t) == {"target", "ok", "buildable"} for t in d["targets"])'
}

@test "describe --json: devices in initialisation order, parameters, dependencies and arguments" {
    write_yml <<EOF
name: proj
min-version: $VERSION
sources: [unikernel.c]
devices:
  console: console
  net: { type: net }
  stack: { type: stack, net: net, ipv4: { arg: ip, default: 10.0.0.2/24 } }
args:
  hello: { type: string, default: "hi", doc: "what to print" }
  count: { type: int }
EOF
    run --separate-stderr mirleft describe --json
    assert_success
    py 'assert d["name"] == "proj" and d["target"] == "spt"
dev = {x["name"]: x for x in d["devices"]}
order = [x["name"] for x in d["devices"]]
assert order.index("net") < order.index("stack"), order
assert dev["console"]["backend"] is None and dev["console"]["handle"] is None
assert dev["net"]["solo5"] == "NET_BASIC" and dev["net"]["handle"] >= 1, dev["net"]
ip = [p for p in dev["stack"]["params"] if p["name"] == "ipv4"][0]
assert ip["arg"] == "ip" and ip["value"] is None, ip
assert {"name": "net", "device": "net"} in dev["stack"]["deps"], dev["stack"]["deps"]
args = {a["name"]: a for a in d["args"]}
assert args["count"] == {"name": "count", "type": "int", "default": None, "required": True, "doc": None}, args
assert args["hello"]["doc"] == "what to print" and args["ip"]["default"] == "10.0.0.2/24"'
    run mirleft describe --json --dot
    assert_failure 2
}

@test "targets --json and devices --json list the data" {
    run --separate-stderr mirleft targets --json
    assert_success
    py 'import os
names = [t["name"] for t in d["targets"]]
assert names == sorted(os.listdir(os.environ["MIRLEFT_SRC"] + "/targets")), names
spt = [t for t in d["targets"] if t["name"] == "spt"][0]
assert spt["buildable"] and spt["suffix"] == ".spt" and spt["solo5"] is True
assert {"type": "console", "backend": None} in spt["devices"], spt["devices"]'
    run --separate-stderr mirleft devices --json
    assert_success
    py 'import os
names = [t["name"] for t in d["devices"]]
files = sorted(f[:-4] for f in os.listdir(os.environ["MIRLEFT_SRC"] + "/share/devices") if f.endswith(".yml"))
assert names == files, (names, files)'
    run --separate-stderr mirleft devices --json block
    assert_success
    py 'assert d["name"] == "block" and d["header"] == "mirleft/block.h" and d["c_type"] == "struct ml_block"
assert d["solo5"] == "BLOCK_BASIC" and isinstance(d["params"], list) and isinstance(d["deps"], list)'
    run mirleft devices --json blok
    assert_failure 2
    assert_line "hint: did you mean 'block'?"
}

@test "build --json: the image and its size; the build's output goes to stderr" {
    run --separate-stderr mirleft build --json
    assert_success
    py 'import os
assert d["ok"] and d["exit"] == 0 and d["name"] == "proj" and d["target"] == "spt"
assert d["image"] == os.getcwd() + "/dist/proj.spt", d
assert d["size"] == os.path.getsize(d["image"]), d'
    assert_equal "${#lines[@]}" 1
    echo 'int broken(' >>unikernel.c
    run --separate-stderr mirleft build --json
    assert_failure 1
    py 'assert d == {"name": "proj", "target": "spt", "ok": False, "exit": 1, "image": None, "size": None}, d'
    assert_regex "$stderr" "unikernel.c:[0-9]+:[0-9]+: error"
}

@test "every --json output is one line that python3 -m json.tool accepts" {
    for cmd in "check --json" "describe --json" "targets --json" "devices --json" "devices --json stack"; do
        run --separate-stderr mirleft $cmd
        assert_success
        assert_equal "${#lines[@]}" 1
        echo "$output" | python3 -m json.tool >/dev/null
    done
}

@test "--json strings are escaped: quotes, backslashes, tabs and newlines survive" {
    write_yml <<'EOF'
name: proj
min-version: 0.0.1
sources: [unikernel.c]
devices:
  console: console
args:
  hello: { type: string, default: "a \"quoted\" \\ back\tslash\nline", doc: "x" }
EOF
    run --separate-stderr mirleft describe --json
    assert_success
    assert_equal "${#lines[@]}" 1
    py 'a, = [a for a in d["args"] if a["name"] == "hello"]
assert a["default"] == "a \"quoted\" \\ back\tslash\nline", repr(a["default"])'
}
