#!/usr/bin/env python3
"""Checks an image against the Solo5 image rules (shared/specs/solo5-abi.md
§2, §3.2-3.4, §9) that stock tenders enforce, independently of our own
tender's code: python3 solo5_conformance.py IMAGE TARGET DEVICES...
where DEVICES are the expected manifest entries as NAME:BLOCK|NET.
Prints each violated rule and exits 1, or prints "conforms" and exits 0."""
import struct, sys

path, target, want = sys.argv[1], sys.argv[2], sys.argv[3:]
abi_target = {"hvt": 1, "spt": 2}[target]
data = open(path, "rb").read()
errors = []
def check(cond, what):
    if not cond:
        errors.append(what)

check(data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, "ELF64 little-endian")
e_type, e_machine, e_version, e_entry, e_phoff = struct.unpack_from("<HHIQQ", data, 16)
e_phentsize, e_phnum = struct.unpack_from("<HH", data, 54)
check(e_type == 2, "ET_EXEC (not PIE, not a shared object)")
check(e_machine == 62 and e_version == 1, "EM_X86_64, version 1")
check(e_phentsize == 56 and e_phnum >= 1, "program headers present")
check(e_entry >= 0x100000, "entry >= 0x100000")
phdrs = [struct.unpack_from("<IIQQQQQQ", data, e_phoff + i * 56) for i in range(e_phnum)]
PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_NOTE = 1, 2, 3, 4
check(not any(p[0] == PT_DYNAMIC for p in phdrs), "static: no PT_DYNAMIC")
prev_end = 0
for (t, flags, off, vaddr, _, filesz, memsz, align) in phdrs:
    if t != PT_LOAD or filesz == 0:
        continue
    check(align and align & (align - 1) == 0, "p_align a power of two")
    start, end = vaddr & ~(align - 1), (vaddr + memsz + align - 1) & ~(align - 1)
    check(vaddr >= 0x100000 and start >= 0x100000, "PT_LOAD at >= 0x100000")
    check(start >= prev_end, "PT_LOADs ascending, not overlapping")
    check(start % 4096 == 0 and end % 4096 == 0, "PT_LOAD start and end 4 KiB aligned")
    check(not (flags & 2 and flags & 1), "no PT_LOAD both writable and executable")
    check(memsz >= filesz and off + filesz <= len(data), "PT_LOAD inside the file")
    prev_end = end
interp = [p for p in phdrs if p[0] == PT_INTERP]
check(interp and data[interp[0][2]:interp[0][2] + interp[0][5]].rstrip(b"\0") == b"/nonexistent/solo5/",
      "PT_INTERP /nonexistent/solo5/ (not runnable on the host)")

# Only the first note of each PT_NOTE is read by the tenders.
firsts = []
for (t, _, off, _, _, filesz, _, _) in phdrs:
    if t == PT_NOTE and filesz >= 12:
        namesz, descsz, ntype = struct.unpack_from("<III", data, off)
        name = data[off + 12: off + 12 + namesz].rstrip(b"\0")
        firsts.append((name, ntype, off, descsz, filesz))
check(firsts and firsts[0][0] == b"OpenBSD", "the OpenBSD note is first in the first PT_NOTE")
abi = [f for f in firsts if f[0] == b"Solo5" and f[1] == 0x31494241]
mft = [f for f in firsts if f[0] == b"Solo5" and f[1] == 0x3154464d]
check(len(abi) == 1, "one ABI1 note, alone at the start of its PT_NOTE")
check(len(mft) == 1, "one MFT1 note, alone at the start of its PT_NOTE")
if abi:
    _, _, off, descsz, _ = abi[0]
    check(descsz == 16 and struct.unpack_from("<II", data, off + 20) == (abi_target, 2),
          "ABI1: target %d, version 2" % abi_target)
if mft:
    _, _, off, descsz, filesz = mft[0]
    version, n = struct.unpack_from("<II", data, off + 24)
    check(version == 1 and 1 <= n <= 64, "MFT1 version 1, 1..64 entries")
    check(descsz == 12 + 104 * n and filesz >= 32 + 104 * n, "MFT1 note is exactly 32 + 104*N bytes")
    entries = []
    for i in range(n):
        e = off + 32 + 104 * i
        name = data[e:e + 68].split(b"\0")[0].decode()
        etype, attached = struct.unpack_from("<I", data, e + 68)[0], data[e + 96]
        check(data[e + 67] == 0 and attached == 0, "entry %d: NUL-terminated, not attached" % i)
        entries.append((name, etype))
    check(entries and entries[0] == ("", 1 << 30), "entry 0 reserved")
    kinds = {"BLOCK": 1, "NET": 2}
    check(entries[1:] == [(w.split(":")[0], kinds[w.split(":")[1]]) for w in want],
          "manifest entries %s, found %s" % (want, entries[1:]))
for e in errors:
    print("violates:", e)
print("conforms" if not errors else "%d rule(s) violated" % len(errors))
sys.exit(1 if errors else 0)
