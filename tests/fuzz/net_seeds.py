#!/usr/bin/env python3
# Writes the seed corpus of fuzz_net (tests/fuzz/corpus/net/) in its input
# format (see fuzz_net.c): frames from the peer 10.0.0.1 to the stack at
# 10.0.0.2, with checksums fixed up by the harness (opcode 1) and TCP ACKs
# relative to the stack's last SYN (opcode 3).
import os, struct, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'corpus', 'net')
os.makedirs(out, exist_ok=True)
ME = bytes([2, 0, 0, 0, 0, 2]); PEER = bytes([2, 0, 0, 0, 0, 1]); BC = b'\xff' * 6
A1 = bytes([10, 0, 0, 1]); A2 = bytes([10, 0, 0, 2])

def frame(op, f):
    return bytes([op]) + struct.pack('!H', len(f)) + f

def eth(t, body, dst=ME):
    return dst + PEER + struct.pack('!H', t) + body

def ip(proto, payload, ident=1, frag=0):
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0, A1, A2) + payload

def tcp(sport, dport, seq, ack, flags, data=b'', opts=b'', wnd=65535):
    off = (20 + len(opts)) // 4
    return struct.pack('!HHIIBBHHH', sport, dport, seq, ack, off << 4, flags, wnd, 0, 0) + opts + data

def udp(sport, dport, data):
    return struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data

def wait(ms_pow):
    return bytes([0xf0 | ms_pow])

SYN, ACK, FIN, RST, PSH = 2, 16, 1, 4, 8
OPTS = bytes([2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1])
arp = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + PEER + A1 + bytes(6) + A2
def quoted(proto, sport, dport, rest=b''):
    # the IP header and first 8 payload bytes of a datagram the stack sent
    # (10.0.0.2 -> 10.0.0.1), as an ICMP error quotes them
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 28, 5, 0, 64, proto, 0, A2, A1) + \
        struct.pack('!HH', sport, dport) + (rest + bytes(4))[:4]

def sack_opt(*blocks):
    return bytes([1, 1, 5, 2 + 8 * len(blocks)]) + b''.join(struct.pack('!II', a, b) for a, b in blocks)

def icmp_err(t, code, q):
    return struct.pack('!BBHI', t, code, 0, 0) + q

seeds = {
    'arp': frame(0, eth(0x0806, arp, BC)),
    'ping': frame(1, eth(0x0800, ip(1, struct.pack('!BBHHH', 8, 0, 0, 1, 1) + b'x' * 56))),
    # ICMP errors about what we sent: UDP (port unreachable, time
    # exceeded) and TCP (a guessed sequence number: refused by RFC 5927)
    'icmp-errors': frame(1, eth(0x0800, ip(17, udp(5000, 7, b'hello')))) +
                   frame(1, eth(0x0800, ip(1, icmp_err(3, 3, quoted(17, 7, 5000))))) +
                   frame(1, eth(0x0800, ip(1, icmp_err(11, 0, quoted(17, 7, 5000))))) +
                   frame(1, eth(0x0800, ip(1, icmp_err(3, 3, quoted(6, 49152, 9000, b'\0\0\0\1'))))),
    'udp': frame(1, eth(0x0800, ip(17, udp(5000, 7, b'hello')))) +
           frame(1, eth(0x0800, ip(17, udp(5000, 9, b'nobody')))),
    'frags': frame(1, eth(0x0800, ip(17, udp(5000, 7, b'a' * 1000)[:512], 9, 0x2000))) +
             frame(1, eth(0x0800, ip(17, udp(5000, 7, b'a' * 1000)[512:], 9, 64))),
    'tcp-echo': frame(1, eth(0x0800, ip(6, tcp(40000, 80, 1000, 0, SYN, opts=OPTS)))) +
                frame(3, eth(0x0800, ip(6, tcp(40000, 80, 1001, 1, ACK)))) +
                frame(3, eth(0x0800, ip(6, tcp(40000, 80, 1001, 1, ACK | PSH, b'hello')))) +
                wait(6) +
                frame(3, eth(0x0800, ip(6, tcp(40000, 80, 1006, 6, ACK | FIN)))) +
                wait(8) +
                frame(3, eth(0x0800, ip(6, tcp(40000, 80, 1007, 7, ACK)))),
    'tcp-sink': frame(1, eth(0x0800, ip(6, tcp(40001, 81, 5, 0, SYN, opts=OPTS)))) +
                frame(3, eth(0x0800, ip(6, tcp(40001, 81, 6, 1, ACK)))) +
                b''.join(frame(3, eth(0x0800, ip(6, tcp(40001, 81, 6 + 1000 * k, 1, ACK, bytes([k]) * 1000)))) for k in range(6)) +
                wait(10) + b'\xff\x00' + wait(12) + b'\xff\x03',
    'tcp-ooo': frame(1, eth(0x0800, ip(6, tcp(40002, 80, 77, 0, SYN)))) +
               frame(3, eth(0x0800, ip(6, tcp(40002, 80, 78, 1, ACK)))) +
               frame(3, eth(0x0800, ip(6, tcp(40002, 80, 578, 1, ACK, b'b' * 500)))) +
               frame(3, eth(0x0800, ip(6, tcp(40002, 80, 1078, 1, ACK, b'c' * 500)))) +
               frame(3, eth(0x0800, ip(6, tcp(40002, 80, 78, 1, ACK, b'a' * 500)))) +
               frame(3, eth(0x0800, ip(6, tcp(40002, 80, 9999, 1, RST)))) +
               frame(3, eth(0x0800, ip(6, tcp(40002, 80, 1578, 1, RST)))),
    # the echo service writes 2 x 2201 bytes (app action 200, twice); the
    # peer loses the first segment and acknowledges the rest selectively
    # (ACK and SACK edges relative to our ISN)
    'tcp-sack': frame(1, eth(0x0800, ip(6, tcp(40003, 80, 500, 0, SYN, opts=OPTS)))) +
                frame(3, eth(0x0800, ip(6, tcp(40003, 80, 501, 1, ACK)))) +
                b'\xff\xc8' + b'\xff\xc8' +
                b''.join(frame(3, eth(0x0800, ip(6, tcp(40003, 80, 501, 1, ACK,
                    opts=sack_opt((1461, 1461 + 1460 * k))))))
                    for k in (1, 2, 2, 2)) + wait(12),
    'tcp-active': frame(3, eth(0x0800, ip(6, tcp(9000, 0, 300, 1, SYN | ACK, opts=OPTS)))) +
                  frame(3, eth(0x0800, ip(6, tcp(9000, 0, 301, 6, ACK, b'world')))) + wait(11) +
                  frame(3, eth(0x0800, ip(6, tcp(9000, 0, 306, 11, ACK | FIN)))) + wait(14),
}
def bootp(typ, yi=bytes([10, 0, 0, 77])):
    m = bytearray(240)
    m[0], m[1], m[2] = 2, 1, 6
    m[16:20] = yi
    m[28:34] = ME
    m[236:240] = b'\x63\x82\x53\x63'
    m += bytes([53, 1, typ, 54, 4]) + A1 + bytes([1, 4, 255, 255, 255, 0, 3, 4]) + A1
    m += bytes([51, 4, 0, 0, 0, 120, 255])
    return bytes(m)

def ip_bcast(payload):
    return struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, 17, 0, A1, b'\xff' * 4) + payload

seeds['dhcp'] = (b'\xdc' + frame(3, eth(0x0800, ip_bcast(udp(67, 68, bootp(2))), BC)) +
                 wait(4) + frame(3, eth(0x0800, ip_bcast(udp(67, 68, bootp(5))), BC)) +
                 frame(1, eth(0x0800, ip(1, struct.pack('!BBHHH', 8, 0, 0, 1, 1) + b'x' * 8)[:16] +
                                  bytes([10, 0, 0, 77]) + ip(1, struct.pack('!BBHHH', 8, 0, 0, 1, 1) + b'x' * 8)[20:])) +
                 wait(15) + wait(15) + wait(15) + wait(15))
for name, data in seeds.items():
    with open(os.path.join(out, name), 'wb') as fh:
        fh.write(data)
print('%d seeds in %s' % (len(seeds), out))
