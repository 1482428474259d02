#!/usr/bin/env python3
"""The man page (tools/gen-man.py) against the help texts.

    test-man.py BUILD/tools/amisim.1 BUILD/src/amisim

The page must have its .TH and its sections, a .SS per command, and every
option of `amisim COMMAND --help` in that command's section; where groff is
installed, it must render without a warning (groff -man -ww), otherwise that
check is skipped with a note.
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helptext  # noqa: E402


def plain(troff):
    return re.sub(r"\\f[BIRP]", "", troff).replace("\\-", "-").replace("\\e", "\\") \
        .replace("\\&", "")


def main():
    page_path, binary = sys.argv[1], sys.argv[2]
    with open(page_path, encoding="utf-8") as f:
        page = f.read()
    failures = []
    if not re.search(r"^\.TH AMISIM 1 ", page, re.M):
        failures.append("no .TH AMISIM 1 line")
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "FILES",
                    "SEE ALSO"]:
        if not re.search(r"^\.SH %s$" % section, page, re.M):
            failures.append("no .SH %s" % section)
    for line in page.split("\n"):
        if line.startswith(".") and not re.match(r"^\.(\\\"|TH|SH|SS|PP|TP|nf|fi)( |$)", line):
            failures.append("unexpected request line: %s" % line)
    # the sections of the commands: from ".SS amisim CMD …" to the next .SS/.SH
    subsections = {}
    current = None
    for line in page.split("\n"):
        if line.startswith(".SS ") or line.startswith(".SH "):
            current = plain(line[4:]).strip() if line.startswith(".SS ") else None
            if current is not None:
                subsections[current] = []
            continue
        if current is not None:
            subsections[current].append(plain(line))
    for cmd in helptext.COMMANDS:
        title = next((t for t in subsections if t.startswith("amisim %s " % cmd)
                      or t == "amisim %s" % cmd), None)
        if title is None:
            failures.append("no .SS section for %s (sections: %s)" % (cmd, list(subsections)))
            continue
        text = "\n".join(subsections[title])
        for opt in helptext.options(binary, cmd):
            if not re.search(r"(^|[\s,])%s([=,\s]|$)" % re.escape(opt), text):
                failures.append("%s: option %s of --help is not in its section" % (cmd, opt))
    if "EXIT STATUS" in page and "129/130/143" not in plain(page):
        failures.append("EXIT STATUS does not give the signals' exit codes of --help")
    if shutil.which("groff"):
        out = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-k", "-z", page_path],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
        if out.returncode != 0 or out.stderr.strip():
            failures.append("groff: exit %d: %s" % (out.returncode, out.stderr.decode()))
        else:
            print("ok   groff -man -ww renders it without a warning")
    else:
        print("note: groff is not installed; the page was not rendered")
    for f in failures:
        print("FAIL:", f)
    if failures:
        sys.exit("%d failure(s)" % len(failures))
    print("ok   %s: %d commands, every option of their --help" % (page_path,
                                                                  len(helptext.COMMANDS)))


if __name__ == "__main__":
    main()
