#!/usr/bin/env python3
"""The README's examples are the tool's real output.

Every fenced block of README.md whose first line is a command (`$ ...`) is
run, command by command, in a scratch folder that has the repository's
`scenarios/` and `plots/` and `build/src/amisim` (and `amisim` on PATH) as
the binary under test; the lines after each command are what it must print,
with two allowances only:
  - a line that is `...` or `…` stands for any number of lines;
  - `wall N.NNs` (the wall clock) matches any time.
  - within a line, `…` (a column or the end of a line left out) stands for
    any text.
Lines are compared with trailing spaces stripped and the block's common
indentation removed. A block needing gnuplot is skipped (and says so) on a
machine without it.

    test-readme.py README.md AMISIM_BINARY
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

WALL = re.compile(r"wall [0-9]+\.[0-9]+s")
GAP = {"...", "…"}


def blocks(text):
    for m in re.finditer(r"^( *)```([a-z]*)\n(.*?)^ *```", text, re.S | re.M):
        body = m.group(3).split("\n")
        if body and body[-1] == "":
            body.pop()
        indent = len(m.group(1))
        body = [l[indent:] if l[:indent].strip() == "" else l for l in body]
        if body and body[0].startswith("$ "):
            yield text[: m.start()].count("\n") + 1, body


def split_commands(body):
    """[(command, [expected lines])] of a block."""
    out = []
    i = 0
    while i < len(body):
        line = body[i]
        if line.startswith("$ "):
            cmd = line[2:]
            while cmd.endswith("\\") and i + 1 < len(body):
                i += 1
                cmd = cmd[:-1] + " " + body[i].strip()
            out.append((cmd, []))
        else:
            out[-1][1].append(line.rstrip())
        i += 1
    return out


def same(want, got):
    if "…" in want:
        pattern = ".*?".join(re.escape(part) for part in want.split("…"))
        return re.fullmatch(pattern, got) is not None
    return want == got


def matches(want, got):
    """Whether the lines `got` fit the pattern `want`; else the first
    differing line of each, for the message."""
    def norm(l):
        return WALL.sub("wall #s", l.rstrip())

    want = [norm(l) for l in want]
    got = [norm(l) for l in got]
    memo = {}

    def go(i, j):
        if (i, j) in memo:
            return memo[i, j]
        if i == len(want):
            r = j == len(got)
        elif want[i].strip() in GAP:
            r = any(go(i + 1, k) for k in range(j, len(got) + 1))
        else:
            r = j < len(got) and same(want[i], got[j]) and go(i + 1, j + 1)
        memo[i, j] = r
        return r

    if go(0, 0):
        return None
    # the first expected line (not a gap) missing from the output
    for w in want:
        if w.strip() not in GAP and not any(same(w, g) for g in got):
            return w
    return "(the lines are all there, but not in this order or with other lines between)"


def main():
    readme, binary = sys.argv[1], os.path.abspath(sys.argv[2])
    src = os.path.dirname(os.path.abspath(readme))
    text = open(readme, encoding="utf-8").read()
    have_gnuplot = shutil.which("gnuplot") is not None
    failures = 0
    ran = 0
    with tempfile.TemporaryDirectory(prefix="amisim-readme-") as scratch:
        for name in ("scenarios", "plots"):
            os.symlink(os.path.join(src, name), os.path.join(scratch, name))
        os.makedirs(os.path.join(scratch, "build", "src"))
        os.symlink(binary, os.path.join(scratch, "build", "src", "amisim"))
        bindir = os.path.join(scratch, ".bin")
        os.makedirs(bindir)
        os.symlink(binary, os.path.join(bindir, "amisim"))
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ.get("PATH", ""),
                   LC_ALL="C.UTF-8", COLUMNS="80")
        env.setdefault("AMISIM_PLOTS_DIR", os.path.join(src, "plots"))
        for line, body in blocks(text):
            cmds = split_commands(body)
            if not have_gnuplot and any(" plot " in c for c, _ in cmds):
                print(f"README.md:{line}: skipped (no gnuplot)")
                continue
            for cmd, want in cmds:
                ran += 1
                p = subprocess.run(["bash", "-c", cmd], cwd=scratch, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   timeout=600)
                got = p.stdout.decode("utf-8", "replace").split("\n")
                if got and got[-1] == "":
                    got.pop()
                bad = matches(want, got)
                if bad is not None and os.environ.get("README_DIFF"):
                    import difflib
                    sys.stdout.writelines(difflib.unified_diff(
                        [l + "\n" for l in want], [l + "\n" for l in got],
                        f"README.md:{line}", cmd))
                if bad is not None:
                    failures += 1
                    print(f"README.md:{line}: `{cmd}` does not print what the README shows;"
                          f" first line not matched:\n    {bad}\n  it printed:")
                    for l in got[:60]:
                        print("    | " + l)
    print(f"{ran} commands of README.md run, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
