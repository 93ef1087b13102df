#!/usr/bin/env bats
# The http template end to end on spt, in a network namespace with a tap
# device (see stack_lib.bash), with curl: the embedded files (crunch),
# HEAD, 404, 405, If-None-Match/304 with the SHA-256 ETag, keep-alive and
# pipelining, then the tar backend on a block device with files up to
# 16 MiB compared by SHA-256, and concurrent clients.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
bats_require_minimum_version 1.5.0
load stack_lib

setup_file() {
    export ID=$$
    stack_build http web
    # the tar variant: a few files, the largest 16 MiB
    mkdir -p "$BATS_FILE_TMPDIR/big/sub"
    head -c 16777216 /dev/urandom >"$BATS_FILE_TMPDIR/big/large.bin"
    head -c 1000001 /dev/urandom >"$BATS_FILE_TMPDIR/big/sub/odd.bin"
    echo '<p>tar</p>' >"$BATS_FILE_TMPDIR/big/index.html"
    tar -C "$BATS_FILE_TMPDIR/big" -cf "$BATS_FILE_TMPDIR/big.tar" .
    "$SRC/build/mirleft" build -f unikernel-tar.yml >/dev/null
}

setup() {
    cd "$BATS_FILE_TMPDIR/web" || return 1
    stack_setup web
    command -v curl >/dev/null || skip "no curl"
}

teardown() {
    stack_teardown
}

@test "http: GET / and a nested file, with Content-Length, type and SHA-256 ETag" {
    start_uk dist/web.spt --ipv4=10.0.0.2/24
    run in_ns curl -s -i http://10.0.0.2/
    assert_success
    assert_line --partial "HTTP/1.1 200 OK"
    assert_line --partial "Content-Type: text/html"
    sum=$(sha256sum htdocs/index.html | cut -d' ' -f1)
    assert_line --partial "ETag: \"$sum\""
    assert_line --partial "Content-Length: $(stat -c %s htdocs/index.html)"
    run in_ns curl -s http://10.0.0.2/docs/notes.txt
    assert_output "$(cat htdocs/docs/notes.txt)"
}

@test "http: HEAD, 404, 405, bad targets, If-None-Match gives 304" {
    start_uk dist/web.spt --ipv4=10.0.0.2/24
    run in_ns curl -s -I http://10.0.0.2/docs/notes.txt
    assert_line --partial "HTTP/1.1 200 OK"
    assert_line --partial "Content-Length: $(stat -c %s htdocs/docs/notes.txt)"
    run in_ns curl -s -o /dev/null -w '%{http_code}' http://10.0.0.2/missing.html
    assert_output 404
    run in_ns curl -s -o /dev/null -w '%{http_code}' -X DELETE http://10.0.0.2/
    assert_output 405
    run in_ns curl -s -o /dev/null -w '%{http_code}' --path-as-is http://10.0.0.2/../etc/passwd
    assert_output 400
    etag="\"$(sha256sum htdocs/index.html | cut -d' ' -f1)\""
    run in_ns curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" http://10.0.0.2/
    assert_output 304
    run in_ns curl -s -o /dev/null -w '%{http_code}' -H 'If-None-Match: "other"' http://10.0.0.2/
    assert_output 200
}

@test "http: keep-alive reuses one connection; pipelined requests are answered in order" {
    start_uk dist/web.spt --ipv4=10.0.0.2/24
    run in_ns curl -s -o /dev/null -o /dev/null -o /dev/null -w '%{num_connects}\n' \
        http://10.0.0.2/ http://10.0.0.2/docs/notes.txt http://10.0.0.2/
    assert_output "1
0
0"
    run in_ns python3 -c '
import socket
s = socket.create_connection(("10.0.0.2", 80), timeout=5)
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /docs/notes.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
d = b""
while True:
    x = s.recv(65536)
    if not x: break
    d += x
import re
print([m.decode() for m in re.findall(rb"HTTP/1\.1 [0-9]{3} [A-Za-z ]+(?=\r\n)", d)])'
    assert_output "['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 404 Not Found']"
}

@test "http: tar backend on a block device: files up to 16 MiB come back with the same SHA-256" {
    UK_MEM=64
    in_ns mirleft-spt --mem=64 --net:service="$TAP" --block:disk="$BATS_FILE_TMPDIR/big.tar" \
        dist/web-tar.spt --ipv4=10.0.0.2/24 >uk.out 2>&1 &
    UK_PID=$!
    for _ in $(seq 50); do in_ns ping -c1 -W1 10.0.0.2 >/dev/null 2>&1 && break; done
    for f in large.bin sub/odd.bin index.html; do
        want=$(sha256sum "$BATS_FILE_TMPDIR/big/$f" | cut -d' ' -f1)
        got=$(in_ns curl -s --max-time 60 "http://10.0.0.2/$f" | sha256sum | cut -d' ' -f1)
        [ "$got" = "$want" ] || fail "$f: $got != $want ($(cat uk.out))"
    done
}

@test "http: 50 concurrent clients, 20 requests each, all answered" {
    start_uk dist/web.spt --ipv4=10.0.0.2/24
    run in_ns python3 -c '
import threading, urllib.request
ok = []
def client():
    n = 0
    for _ in range(20):
        try:
            with urllib.request.urlopen("http://10.0.0.2/docs/notes.txt", timeout=10) as r:
                n += r.status == 200 and len(r.read()) > 0
        except Exception as e:
            print(e)
    ok.append(n)
ts = [threading.Thread(target=client) for _ in range(50)]
[t.start() for t in ts]; [t.join() for t in ts]
print("answered", sum(ok))'
    assert_success
    assert_output --partial "answered 1000"
}

@test "http: wrk for 10 seconds, no errors, no Nagle stall" {
    command -v wrk >/dev/null || skip "no wrk"
    start_uk dist/web.spt --ipv4=10.0.0.2/24
    run in_ns wrk -t2 -c32 -d10s http://10.0.0.2/
    echo "$output"
    assert_success
    refute_output --partial "Non-2xx"
    refute_output --partial "Socket errors"
    # a Nagle/delayed-ACK stall shows as ~25 requests/s per connection
    rps=$(sed -n 's/^Requests\/sec: *\([0-9]*\).*/\1/p' <<<"$output")
    [ "${rps:-0}" -ge 2000 ] || fail "only $rps requests/s"
}
