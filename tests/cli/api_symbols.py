#!/usr/bin/env python3
"""Lists the public symbols of mirleft's C API, one per line as
"HEADER KIND NAME" (KIND: function, variable, type, struct, enum,
constant, macro), for the API reference check in tests/cli/apiref.bats.

Each header is run through the real preprocessor (gcc -E -dD) so comments,
line continuations and attributes are gone and macro definitions are kept;
only the lines the line markers attribute to the header itself count.
Declarations are then split at brace depth 0 into statements (a ';', or
the '}' closing a function body), and each is classified.

usage: api_symbols.py INCLUDE-DIR HEADER.h...
       api_symbols.py --missing INCLUDE-DIR MAN-DIR HEADER.h...
The second form prints "HEADER KIND NAME (WHY)" for each symbol that no
page man/*.3 sets in bold in its SYNOPSIS (a .B, .BI, .BR, .IB or .RB
argument in bold, or \fB...\f), or that no page's text mentions outside
SYNOPSIS and EXAMPLES: every symbol must have an entry, and be described.
"""
import re
import subprocess
import sys

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
KEYWORDS = {"struct", "union", "enum", "typedef", "extern", "static",
            "inline", "const", "volatile", "unsigned", "signed", "void",
            "char", "short", "int", "long", "float", "double", "_Bool",
            "bool", "_Noreturn", "restrict", "__restrict", "sizeof"}


def own_lines(incdir, header):
    """The preprocessed lines that come from header itself."""
    out = subprocess.run(
        ["gcc", "-E", "-dD", "-std=c11", "-ffreestanding", "-I", incdir,
         header], check=True, capture_output=True, text=True).stdout
    mine, cur = [], None
    for line in out.splitlines():
        m = re.match(r'# \d+ "([^"]*)"', line)
        if m:
            cur = m.group(1)
            continue
        if cur == header:
            mine.append(line)
    return mine


def strip_attributes(text):
    """Removes __attribute__((...)) with balanced parentheses."""
    while True:
        i = text.find("__attribute__")
        if i < 0:
            return text
        j = text.index("(", i)
        depth = 0
        for k in range(j, len(text)):
            depth += {"(": 1, ")": -1}.get(text[k], 0)
            if depth == 0:
                break
        text = text[:i] + " " + text[k + 1:]


def statements(text):
    """Top-level declarations: split at ';' (depth 0) and at the '}' that
    closes a function body (its statement ends with ')' before the '{')."""
    out, cur, depth, opened_after_paren = [], [], 0, False
    for ch in text:
        cur.append(ch)
        if ch == "{":
            if depth == 0:
                opened_after_paren = "".join(cur[:-1]).rstrip().endswith(")")
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and opened_after_paren:
                out.append("".join(cur))
                cur = []
        elif ch == ";" and depth == 0:
            out.append("".join(cur))
            cur = []
    return [s.strip() for s in out if s.strip(" ;\n\t")]


def classify(stmt):
    """Yields (kind, name) for what one top-level statement declares."""
    for m in re.finditer(r"\b(struct|union|enum)\s+(" + IDENT + ")", stmt):
        yield ("enum" if m.group(1) == "enum" else "struct", m.group(2))
    for m in re.finditer(r"\benum\b[^{;]*\{([^}]*)\}", stmt):
        for item in m.group(1).split(","):
            c = re.match(r"\s*(" + IDENT + ")", item)
            if c:
                yield ("constant", c.group(1))
    # what is declared at the outer level: the text without brace bodies
    outer = re.sub(r"\{[^{}]*\}", " ", stmt)
    while "{" in outer:
        outer = re.sub(r"\{[^{}]*\}", " ", outer)
    outer = outer.strip(" ;")
    if outer.startswith("typedef"):
        fp = re.search(r"\(\s*\*\s*(" + IDENT + r")\s*\)", outer)
        if fp:
            yield ("type", fp.group(1))
        else:
            yield ("type", re.findall(IDENT, re.sub(r"\[[^]]*\]", "", outer))[-1])
        return
    fn = re.match(r"([^()]*?)\b(" + IDENT + r")\s*\(", outer)
    if fn and fn.group(2) not in KEYWORDS:
        yield ("function", fn.group(2))
        return
    if re.match(r"(extern\s+)?[^()]*\b" + IDENT + r"\s*(\[[^]]*\])?$", outer) \
            and not re.match(r"^(struct|union|enum)\s+" + IDENT + "$", outer):
        names = re.findall(IDENT, re.sub(r"\[[^]]*\]", "", outer))
        if names and names[-1] not in KEYWORDS and len(names) > 1:
            yield ("variable", names[-1])


def symbols(incdir, header):
    lines = own_lines(incdir, header)
    seen = set()
    guard = None
    for line in lines:
        m = re.match(r"#define (" + IDENT + ")", line)
        if m:
            name = m.group(1)
            if guard is None and re.fullmatch(r"MIRLEFT_[A-Z0-9_]+_H", name):
                guard = name
                continue
            seen.add(("macro", name))
    text = strip_attributes(" ".join(l for l in lines if not l.startswith("#")))
    for stmt in statements(text):
        for sym in classify(stmt):
            seen.add(sym)
    return sorted(seen, key=lambda s: (s[1], s[0]))


def roff_args(rest):
    """A macro line's arguments, with roff's quoting."""
    args, cur, quoted, i, have = [], [], False, 0, False
    while i < len(rest):
        ch = rest[i]
        if quoted:
            if ch == '"' and rest[i + 1:i + 2] == '"':
                cur.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cur.append(ch)
        elif ch == '"' and not cur:
            quoted, have = True, True
        elif ch in " \t":
            if cur or have:
                args.append("".join(cur))
            cur, have = [], False
        else:
            cur.append(ch)
        i += 1
    if cur or have:
        args.append("".join(cur))
    return args


def sections(page, wanted):
    """The lines of a page's sections whose names are in wanted."""
    lines, inside = [], False
    with open(page, encoding="utf-8") as f:
        for line in f:
            if line.startswith(".SH "):
                inside = line.split(None, 1)[1].strip().strip('"') in wanted
            elif inside:
                lines.append(line.rstrip("\n"))
    return lines


def prose_words(page):
    """The identifiers a page's text uses outside SYNOPSIS and EXAMPLES."""
    names = set()
    with open(page, encoding="utf-8") as f:
        for line in f:
            if line.startswith(".SH "):
                names.add(line.split(None, 1)[1].strip().strip('"'))
    text = "\n".join(sections(page, names - {"SYNOPSIS", "EXAMPLES"}))
    for esc, plain in (("\\-", "-"), ("\\&", "")):
        text = text.replace(esc, plain)
    return set(re.findall(IDENT, text))


def bold_text(lines):
    """Everything the lines set in bold, roff escapes undone."""
    out = []
    for line in lines:
        m = re.match(r"\.(B|BI|BR|IB|RB)(\s+(.*))?$", line)
        if m:
            args = roff_args(m.group(3) or "")
            first = 1 if m.group(1) in ("IB", "RB") else 0
            step = 1 if m.group(1) == "B" else 2
            out.extend(args[first::step])
        out.extend(re.findall(r"\\fB(.*?)(?:\\f[RIP]|$)", line))
    text = "\n".join(out)
    for esc, plain in (("\\-", "-"), ("\\&", ""), ("\\~", " "),
                       ("\\e", "\\")):
        text = text.replace(esc, plain)
    return text


def main():
    if sys.argv[1] == "--missing":
        incdir, mandir, headers = sys.argv[2], sys.argv[3], sys.argv[4:]
        pages = sorted(p for p in __import__("glob").glob(mandir + "/*.3"))
        bold = "\n".join(bold_text(sections(p, {"SYNOPSIS"})) for p in pages)
        words = set(re.findall(IDENT, bold))
        prose = set().union(*(prose_words(p) for p in pages))
    else:
        incdir, headers, words = sys.argv[1], sys.argv[2:], None
    for h in headers:
        name = h.rsplit("/", 1)[-1]
        for kind, sym in symbols(incdir, h):
            if words is None:
                print(name, kind, sym)
            elif sym not in words:
                print(name, kind, sym, "(no entry in a SYNOPSIS)")
            elif sym not in prose:
                print(name, kind, sym, "(not described outside SYNOPSIS and EXAMPLES)")


if __name__ == "__main__":
    main()
