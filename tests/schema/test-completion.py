#!/usr/bin/env python3
"""The bash completion (tools/amisim-completion.bash) against the help texts.

    test-completion.py tools/amisim-completion.bash BUILD/src/amisim

The options the script completes for each command are exactly those of
`amisim COMMAND --help`; and a few completions, run in bash without the
bash-completion package: the commands, `policy eval`, a command's options,
plot's --format values, scenario files.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helptext  # noqa: E402


def bash(script, code, cwd=None):
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c",
                          'source "$1" || exit 9\n' + code, "bash", script],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, check=False)
    if out.returncode != 0:
        raise RuntimeError("bash exited %d: %s" % (out.returncode, out.stderr.decode()))
    return out.stdout.decode()


def complete(script, line, cwd=None):
    """The completions of `line` (the cursor at its end)."""
    words = line.split(" ")
    code = ("COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=%s; COMP_POINT=${#COMP_LINE}\n"
            "_amisim; printf '%%s\\n' \"${COMPREPLY[@]}\""
            % (" ".join("'%s'" % w for w in words), len(words) - 1, "'%s'" % line))
    return sorted(w for w in bash(script, code, cwd).split("\n") if w)


def main():
    script, binary = os.path.abspath(sys.argv[1]), sys.argv[2]
    failures = []
    for cmd in helptext.COMMANDS:
        want = set(helptext.options(binary, cmd))
        have = set(bash(script, '_amisim_options "%s"' % cmd).split())
        if want != have:
            failures.append("%s: --help lists %s, the completion %s (missing %s, extra %s)"
                            % (cmd, sorted(want), sorted(have), sorted(want - have),
                               sorted(have - want)))
    checks = [
        ("amisim ", ["explain", "help", "import", "plot", "policy", "run", "sweep",
                     "validate"]),
        ("amisim s", ["sweep"]),
        ("amisim policy ", ["eval"]),
        ("amisim policy eval --", ["--help", "--json"]),
        ("amisim plot --format ", ["both", "png", "svg"]),
        ("amisim plot --format=s", ["svg"]),
        ("amisim explain --format ", ["json", "sarif", "text"]),
        ("amisim run --tr", ["--trace", "--trace-account", "--trace-image", "--trace-kind",
                             "--trace-region"]),
        ("amisim --", ["--help", "--version"]),
    ]
    for line, want in checks:
        have = complete(script, line)
        if have != want:
            failures.append("'%s' completes %s, not %s" % (line, have, want))
    with tempfile.TemporaryDirectory() as tmp:
        for name in ["a.yaml", "b.txt", "c.json"]:
            open(os.path.join(tmp, name), "w").close()
        os.mkdir(os.path.join(tmp, "out"))
        for line, want in [("amisim run ", ["a.yaml", "c.json", "out"]),
                           ("amisim validate a", ["a.yaml"]),
                           ("amisim plot ", ["out"]),
                           ("amisim run --out ", ["out"])]:
            have = complete(script, line, cwd=tmp)
            if have != want:
                failures.append("'%s' completes %s, not %s" % (line, have, want))
    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit("%d failure(s)" % len(failures))
    print("ok   the completion's options are those of --help for %d commands; %d completions"
          % (len(helptext.COMMANDS), len(checks) + 4))


if __name__ == "__main__":
    main()
