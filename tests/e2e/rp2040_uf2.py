#!/usr/bin/env python3
"""An independent check of a UF2 file for the RP2040, written from the UF2
specification (microsoft/uf2) and the RP2040 boot ROM's rules, sharing no
code with targets/rp2040/tools/rp2040-image.

usage: rp2040_uf2.py FILE.uf2 [FLASH.bin]

Checks every block: the three magic numbers, flags with family-ID present,
the RP2040 family, payload size 256, block numbers 0..N-1 in order with the
same total N, 256-byte aligned target addresses inside the 16 MiB flash
window, zero padding after the payload; that the first block is at
0x10000000 (a flash image), that no address repeats, and boot2's CRC-32/MPEG-2
(table-driven here). With FLASH.bin (objcopy -O binary of the ELF), the
blocks below the argument sector must reproduce it byte for byte. Prints
"ok N blocks, image M bytes, args 'TEXT'" or the first problem (exit 1).
"""
import struct
import sys

MAGIC_START0 = 0x0A324655
MAGIC_START1 = 0x9E5D5157
MAGIC_END = 0x0AB16F30
FLAG_FAMILY_ID = 0x00002000
FAMILY_RP2040 = 0xE48BFF56
XIP_BASE = 0x10000000
XIP_END = 0x11000000
ARG_SECTOR = 0x101FF000


def crc_table():
    table = []
    for i in range(256):
        c = i << 24
        for _ in range(8):
            c = (c << 1) ^ 0x04C11DB7 if c & 0x80000000 else c << 1
        table.append(c & 0xFFFFFFFF)
    return table


def crc32_mpeg2(data, table=crc_table()):
    c = 0xFFFFFFFF
    for b in data:
        c = ((c << 8) & 0xFFFFFFFF) ^ table[((c >> 24) ^ b) & 0xFF]
    return c


def fail(msg):
    print("bad: " + msg)
    sys.exit(1)


def main():
    blob = open(sys.argv[1], "rb").read()
    if not blob or len(blob) % 512:
        fail("size %d is not a non-zero multiple of 512" % len(blob))
    nblocks = len(blob) // 512
    pages = {}
    for n in range(nblocks):
        blk = blob[n * 512:(n + 1) * 512]
        m0, m1, flags, addr, size, no, total, family = struct.unpack("<8I", blk[:32])
        (mend,) = struct.unpack("<I", blk[508:])
        if (m0, m1, mend) != (MAGIC_START0, MAGIC_START1, MAGIC_END):
            fail("block %d: magic numbers" % n)
        if not flags & FLAG_FAMILY_ID or family != FAMILY_RP2040:
            fail("block %d: flags 0x%x family 0x%x, want family-ID flag and 0x%x"
                 % (n, flags, family, FAMILY_RP2040))
        if size != 256:
            fail("block %d: payload %d bytes, want 256" % (n, size))
        if no != n or total != nblocks:
            fail("block %d: numbered %d of %d, want %d of %d" % (n, no, total, n, nblocks))
        if addr % 256 or not XIP_BASE <= addr < XIP_END - 256:
            fail("block %d: address 0x%08x not 256-aligned in flash" % (n, addr))
        if n == 0 and addr != XIP_BASE:
            fail("first block at 0x%08x: not a flash image from 0x%08x" % (addr, XIP_BASE))
        if addr in pages:
            fail("block %d: address 0x%08x written twice" % (n, addr))
        if any(blk[32 + 256:508]):
            fail("block %d: padding after the payload is not zero" % n)
        pages[addr] = blk[32:32 + 256]
    image = bytearray()
    for addr in sorted(a for a in pages if a < ARG_SECTOR):
        if addr != XIP_BASE + len(image):
            fail("hole before 0x%08x" % addr)
        image += pages[addr]
    (stored,) = struct.unpack("<I", image[252:256])
    if crc32_mpeg2(image[:252]) != stored:
        fail("boot2 CRC 0x%08x, computed 0x%08x" % (stored, crc32_mpeg2(image[:252])))
    if len(sys.argv) > 2:
        want = open(sys.argv[2], "rb").read()
        if image[:len(want)] != want or any(image[len(want):]):
            fail("the blocks do not reproduce %s (%d bytes)" % (sys.argv[2], len(want)))
    args = "none"
    if ARG_SECTOR in pages:
        magic, length = struct.unpack("<II", pages[ARG_SECTOR][:8])
        text = b"".join(pages.get(ARG_SECTOR + i, b"\0" * 256) for i in range(0, 4096, 256))
        args = "'%s'" % text[8:8 + length].decode() if magic == 0x5347524D else "bad"
    print("ok %d blocks, image %d bytes, args %s" % (nblocks, len(image), args))


main()
