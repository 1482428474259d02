#!/usr/bin/env python3
"""What `meson install` installs (issue 14, part 6), without installing.

    test-install.py MESON BUILD_ROOT

`meson introspect --installed` must list the binary, the man page, the
bash completion, the scenario schema, the example scenarios (default.yaml
and policy/) and the documentation (scenario-reference.md).
"""
import json
import os
import subprocess
import sys


def main():
    meson, build = sys.argv[1], sys.argv[2]
    out = subprocess.run([meson, "introspect", "--installed", build], stdout=subprocess.PIPE,
                         check=True)
    # an install_subdir() is listed as its folder: its files are those of
    # the source folder
    installed = set()
    for source, dest in json.loads(out.stdout).items():
        installed.add(dest)
        if os.path.isdir(source):
            for top, _, files in os.walk(source):
                for name in files:
                    installed.add(os.path.join(dest, os.path.relpath(os.path.join(top, name),
                                                                     source)))
    installed = sorted(installed)
    wanted = [
        "/bin/amisim",
        "/man1/amisim.1",
        "/bash-completion/completions/amisim",
        "/amisim/amisim-scenario.schema.json",
        "/amisim/scenarios/default.yaml",
        "/amisim/scenarios/policy/org-path.json",
        "/doc/amisim/scenario-reference.md",
        "/amisim/plots/",
    ]
    failures = [w for w in wanted if not any(w in path for path in installed)]
    for w in failures:
        print("FAIL: nothing installed as …%s" % w)
    if failures:
        print("installed:\n  " + "\n  ".join(installed))
        sys.exit("%d failure(s)" % len(failures))
    print("ok   %d files installed, among them %s" % (len(installed), ", ".join(wanted)))


if __name__ == "__main__":
    main()
