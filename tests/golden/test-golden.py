#!/usr/bin/env python3
"""Issue 16: the outputs of every scenario under scenarios/ stay byte-identical.

Performance work may change how many events a run takes and how long it
takes; nothing else. For every scenario this runs amisim the ways users do
(the table, the narration, --out with its files, --trace, three replications
as JSON), masks the event count and the wall time, and compares the SHA-256
of each output with tests/golden/digests.txt.

    test-golden.py AMISIM SOURCE_ROOT            compare (the test)
    test-golden.py AMISIM SOURCE_ROOT --update   rewrite digests.txt

--update is for a change meant to alter outputs: say why in the commit.
A scenario without digests fails the test, so a new scenario gets them.
"""

import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

# Scenarios too long for a test at their own horizon run a shorter one
# (the same model, the same code paths, the first part of the same run).
HORIZON = {
    "bench-mmc": "6h",
    "capacity": "1d",
}
# Scenarios whose replications would take too long for a test.
NO_REPLICATIONS = {"bench-mmc", "capacity"}

MASKS = [
    (re.compile(rb'("events": )[0-9.e+]+'), rb"\1N"),
    (re.compile(rb'("events_ci95": )\[[^\]]*\]'), rb"\1[N]"),
    (re.compile(rb'("wall_s": )[0-9.e+-]+'), rb"\1W"),
    (re.compile(rb"(  events )[0-9,]+( \(mean\))?(  wall )[0-9.]+s"), rb"\1N\2\3Ws"),
]


def mask(data):
    for pattern, repl in MASKS:
        data = pattern.sub(repl, data)
    return data


def digest(data):
    return hashlib.sha256(mask(data)).hexdigest()


def run(amisim, args, cwd):
    proc = subprocess.run([amisim] + args, cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    if proc.returncode not in (0, 1):
        sys.stderr.write("amisim %s: exit %d\n%s" % (" ".join(args), proc.returncode,
                                                     proc.stderr.decode(errors="replace")))
        sys.exit(1)
    return proc.returncode, proc.stdout


def outputs(amisim, root, name, scratch):
    """Yields (key, sha256) for every output of one scenario."""
    path = os.path.join("scenarios", name + ".yaml")
    base = [path]
    if name in HORIZON:
        base += ["--horizon", HORIZON[name]]

    rc, out = run(amisim, ["run"] + base, root)
    yield "table.txt exit=%d" % rc, digest(out)
    rc, out = run(amisim, ["run"] + base + ["--narrate"], root)
    yield "narrate.txt exit=%d" % rc, digest(out)

    outdir = os.path.join(scratch, name)
    trace = os.path.join(scratch, name + ".trace")
    rc, out = run(amisim, ["run"] + base + ["-q", "--out", outdir, "--trace", trace], root)
    yield "quiet.txt exit=%d" % rc, digest(out)
    for file in sorted(os.listdir(outdir)):
        with open(os.path.join(outdir, file), "rb") as f:
            yield "out/" + file, digest(f.read())
    with open(trace, "rb") as f:
        yield "trace.jsonl", digest(f.read())
    shutil.rmtree(outdir)
    os.remove(trace)

    if name not in NO_REPLICATIONS:
        rc, out = run(amisim, ["run"] + base + ["--replications", "3", "--threads", "2",
                                                "--json"], root)
        yield "replications.json exit=%d" % rc, digest(out)


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[3] != "--update"):
        sys.stderr.write("usage: test-golden.py AMISIM SOURCE_ROOT [--update]\n")
        return 2
    amisim = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2])
    update = len(sys.argv) == 4
    golden = os.path.join(root, "tests", "golden", "digests.txt")

    names = sorted(f[:-5] for f in os.listdir(os.path.join(root, "scenarios"))
                   if f.endswith(".yaml"))
    got = []
    with tempfile.TemporaryDirectory(prefix="amisim-golden-") as scratch:
        for name in names:
            for key, sha in outputs(amisim, root, name, scratch):
                got.append("%s %s %s" % (name, key, sha))

    if update:
        with open(golden, "w") as f:
            f.write("# scenario output sha256 (events and wall time masked); "
                    "tests/golden/test-golden.py --update writes it\n")
            f.write("\n".join(got) + "\n")
        print("wrote %d digests to %s" % (len(got), golden))
        return 0

    with open(golden) as f:
        want = [line.rstrip("\n") for line in f if not line.startswith("#")]
    want_keys = {" ".join(l.split(" ")[:-1]): l for l in want}
    got_keys = {" ".join(l.split(" ")[:-1]): l for l in got}
    bad = 0
    for key, line in got_keys.items():
        if key not in want_keys:
            print("new output, no golden digest: %s" % key)
            bad += 1
        elif want_keys[key] != line:
            print("changed: %s" % key)
            bad += 1
    for key in want_keys:
        if key not in got_keys:
            print("missing output (golden digest but not produced): %s" % key)
            bad += 1
    print("%d outputs of %d scenarios compared, %d differ" % (len(got), len(names), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
