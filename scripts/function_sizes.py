#!/usr/bin/env python3
"""Function sizes of C++ sources: every function longer than a limit, or a check against an
allow-list.

A function's size is the number of lines from its opening brace to its closing brace, both
included (lambdas and local classes count as part of the function that holds them). Functions are
found by counting braces in the text with comments, string and character literals blanked out: a
brace opens a function body when it is at namespace or class scope and the text before it (since
the previous ';', '{' or '}') has a parameter list and is not a class, namespace, enum or an
initializer. Good enough for code formatted by clang-format; it is not a C++ parser.

FILE may be a directory: its .cc files, recursively.

  function_sizes.py [--limit N] FILE...             prints "size path:line name" over the limit
  function_sizes.py --limit N --allow LIST FILE...  exits 1 when a function over the limit is not
                                                    in LIST, or is larger than LIST says; LIST has
                                                    lines "size path name" ('#' comments)
"""
import argparse
import os
import re
import sys

KEYWORDS_NOT_FUNCTION = ("namespace", "class", "struct", "union", "enum", "extern")
CONTROL = re.compile(r"^(if|for|while|switch|catch|do|else|try|return)\b")


def blank(text):
    """Comments, string and character literals replaced by spaces (newlines kept)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == 'R' and text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if not m:
                out.append(c)
                i += 1
                continue
            end = ")" + m.group(1) + '"'
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c in "\"'":
            # A digit separator (1'000) is not a character literal.
            if c == "'" and i > 0 and text[i - 1].isalnum() and i + 1 < n and text[i + 1].isalnum():
                out.append(" ")
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(" " * (j - i))
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line of the body, size in lines) of every function defined in `path`."""
    with open(path, encoding="utf-8") as f:
        text = blank(f.read())
    # Preprocessor lines (with their continuations) blanked too.
    text = re.sub(r"(?m)^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    found = []
    # Each open scope: (kind, name, line of its '{'); kind is "ns", "class", "fn" or "block".
    scopes = []
    head_start = 0
    line = 1
    for i, c in enumerate(text):
        if c == "\n":
            line += 1
        elif c == ";":
            head_start = i + 1
        elif c == "{":
            head = " ".join(text[head_start:i].split())
            head = re.sub(r"^(public|private|protected)\s*:\s*", "", head)
            kind, name = "block", ""
            in_fn = any(s[0] in ("fn", "block") for s in scopes)
            if not in_fn:
                if head.endswith("=") or "=" in head.split("(")[0]:
                    kind = "block"  # an initializer
                elif head.startswith(KEYWORDS_NOT_FUNCTION) or re.search(r"\b(class|struct)\b", head.split("(")[0]):
                    kind = "ns" if head.startswith(("namespace", "extern")) else "class"
                    m = re.search(r"\b(?:class|struct|union)\s+(\w+)", head)
                    name = m.group(1) if m else ""
                elif "(" in head and not CONTROL.match(head):
                    m = re.search(r"([\w:~]+|operator\s*\S+)\s*$", head.split("(")[0])
                    kind, name = "fn", m.group(1) if m else "?"
                    owners = [s[1] for s in scopes if s[0] == "class" and s[1]]
                    if owners and "::" not in name:
                        name = "::".join(owners + [name])
                else:
                    kind = "class"  # a scope of declarations (an unnamed struct, extern "C")
            scopes.append((kind, name, line))
            head_start = i + 1
        elif c == "}":
            if scopes:
                kind, name, start = scopes.pop()
                if kind == "fn":
                    found.append((name, start, line - start + 1))
            head_start = i + 1
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("--allow", help="allow-list file")
    ap.add_argument("--root", default=".", help="paths are printed relative to this directory")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    paths = []
    for path in args.files:
        if os.path.isdir(path):
            for d, _, names in sorted(os.walk(path)):
                paths += [os.path.join(d, n) for n in sorted(names) if n.endswith(".cc")]
        else:
            paths.append(path)
    over = []
    for path in paths:
        rel = os.path.relpath(path, args.root)
        for name, start, size in functions(path):
            if size > args.limit:
                over.append((size, rel, start, name))
    over.sort(key=lambda o: (-o[0], o[1], o[2]))
    if not args.allow:
        for size, rel, start, name in over:
            print(f"{size:5d} {rel}:{start} {name}")
        return 0
    allowed = {}
    with open(args.allow, encoding="utf-8") as f:
        for raw in f:
            entry = raw.split("#", 1)[0].split()
            if len(entry) == 3:
                allowed[(entry[1], entry[2])] = int(entry[0])
    bad = 0
    for size, rel, start, name in over:
        limit = allowed.get((rel, name))
        if limit is None:
            print(f"{rel}:{start}: {name} is {size} lines (over {args.limit}); shorten it",
                  file=sys.stderr)
            bad += 1
        elif size > limit:
            print(f"{rel}:{start}: {name} grew to {size} lines (allow-list: {limit}); shorten it",
                  file=sys.stderr)
            bad += 1
    present = {(rel, name) for _, rel, _, name in over}
    for (rel, name), size in sorted(allowed.items()):
        if (rel, name) not in present:
            print(f"note: {rel} {name} ({size}) is no longer over {args.limit} lines; "
                  "remove it from the allow-list", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
