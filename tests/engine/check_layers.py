#!/usr/bin/env python3
"""Holds the engine to its direction of calls (src/engine/engine-private.h).

Each file of src/engine/ has a level; a file may refer to a function
defined in a file of a lower level, never in one of its own level or above.
A function is a definition at the start of a line, GNU style
(`ams_name (` after its return type on the line before). A reference is
the name anywhere outside comments and strings, so that a call through a
macro or a function pointer counts too. The static inline functions of the
headers count as the file of their section: a call to one is a reference
to every function it refers to.

Usage: check_layers.py SRC_ENGINE_DIR. Exit 1, listing each wrong-way
reference as file:line, when there is one.
"""
import pathlib
import re
import sys

# Highest first; engine-private.h lists the same order.
LEVELS = {
    "engine.c": 4,
    "chain.c": 3,
    "lifecycle.c": 3,
    "inventory.c": 2,
    "core.c": 1,
    "tracing.c": 0,
    "results.c": 0,
    "freelist.c": 0,
}

DEFINITION = re.compile(r"^(ams_\w+) \(", re.M)
INLINE = re.compile(r"^static inline\s+[^;{]*?\n(ams_\w+) \(", re.M)
NAME = re.compile(r"\bams_\w+\b")
SECTION = re.compile(r"/\* ---- (\w+\.c)\b")
NOISE = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"', re.S)


def strip(text):
    """Comments and strings blanked, line breaks kept (for line numbers)."""
    return NOISE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def inline_functions(header):
    """Name -> (file of its section, names its body refers to)."""
    raw = header.read_text()
    text = strip(raw)
    found = {}
    for m in INLINE.finditer(text):
        sections = SECTION.findall(raw[: m.start()])
        # a header without sections is its own file's (freelist.h: freelist.c)
        owner = sections[-1] if sections else header.stem + ".c"
        end = text.find("\n}\n", m.end())
        body = text[m.end() : end if end >= 0 else len(text)]
        found[m.group(1)] = (owner, set(NAME.findall(body)) - {m.group(1)})
    return found


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    src = pathlib.Path(sys.argv[1])
    sources = sorted(src.glob("*.c"))
    unplaced = [f.name for f in sources if f.name not in LEVELS]
    if unplaced:
        sys.exit("check_layers: no level for %s: add it to LEVELS (and to engine-private.h)"
                 % ", ".join(unplaced))

    owner = {}  # function name -> the file that defines it
    texts = {}
    for f in sources:
        texts[f.name] = strip(f.read_text())
        names = DEFINITION.findall(texts[f.name])
        if not names:
            sys.exit("check_layers: no definition found in %s: has the style changed?" % f.name)
        for name in names:
            owner[name] = f.name

    inlines = {}
    for h in sorted(src.glob("*.h")):
        inlines.update(inline_functions(h))
    if not inlines:
        sys.exit("check_layers: no static inline function found in the headers")
    for name, (section, _) in inlines.items():
        if section not in LEVELS:
            sys.exit("check_layers: inline %s is in no known section (%s)" % (name, section))
        owner.setdefault(name, section)

    def reaches(name, seen):
        """name, and what the inline functions it leads through refer to."""
        if name in seen:
            return
        seen.add(name)
        for inner in inlines.get(name, (None, ()))[1]:
            reaches(inner, seen)

    wrong = []
    # the headers' inline functions: each as its section's file
    for name, (section, refs) in sorted(inlines.items()):
        for ref in sorted(refs):
            if ref in owner and LEVELS[owner[ref]] >= LEVELS[section] and owner[ref] != section:
                wrong.append("%s (inline in the %s section) -> %s (%s)"
                             % (name, section, ref, owner[ref]))
    for f in sources:
        level = LEVELS[f.name]
        for number, line in enumerate(texts[f.name].splitlines(), 1):
            for used in NAME.findall(line):
                reached = set()
                reaches(used, reached)
                for ref in sorted(reached):
                    home = owner.get(ref)
                    if home is None or home == f.name or LEVELS[home] < level:
                        continue
                    via = "" if ref == used else " via %s" % used
                    wrong.append("%s:%d: %s (%s)%s" % (f.name, number, ref, home, via))

    if wrong:
        print("calls against the engine's direction (engine-private.h):")
        for w in wrong:
            print("  " + w)
        return 1
    print("engine: %d files, %d functions, every call goes down"
          % (len(sources), len(owner)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
