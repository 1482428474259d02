#!/usr/bin/env python3
"""Writes amisim's man page (troff, section 1) from the binary's help texts.

    tools/gen-man.py BUILD/src/amisim OUTPUT.1 [DATADIR]

DATADIR (default /usr/local/share) is where `meson install` puts the data
files, for FILES.

Runs `amisim --help` and `amisim COMMAND --help` for every command and
turns them into NAME, SYNOPSIS, DESCRIPTION, COMMANDS (each command's text
and options), EXIT STATUS, ENVIRONMENT, FILES and SEE ALSO, so the page says
exactly what the help says. tests/schema/test-man.py holds the page to the
help texts.
"""
import os
import re
import subprocess
import sys

COMMANDS = ["run", "validate", "explain", "policy eval", "plot", "sweep", "import"]


def help_text(binary, args):
    env = dict(os.environ, LC_ALL="C.UTF-8", COLUMNS="200")
    out = subprocess.run([binary] + args + ["--help"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, check=False)
    if out.returncode != 0:
        sys.exit("gen-man: %s %s --help exited %d: %s"
                 % (binary, " ".join(args), out.returncode, out.stderr.decode(errors="replace")))
    return out.stdout.decode("utf-8")


def esc(text):
    """Plain text for troff: backslashes, hyphens and leading dots escaped."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + l) if l[:1] in (".", "'") else l for l in text.split("\n"))


def parse_command(text):
    """(usage, description lines, [(option spec, description)])."""
    lines = text.split("\n")
    usage = ""
    desc = []
    options = []
    section = None
    for line in lines:
        if line == "Usage:":
            section = "usage"
            continue
        if line.endswith("Options:") and not line.startswith(" "):
            section = "options" if line.startswith("Application") else "help"
            continue
        if section == "usage":
            if line.strip():
                usage = line.strip()
                section = "desc"
            continue
        if section == "desc":
            desc.append(line)
            continue
        if section in ("options", "help") and line.startswith("  "):
            m = re.match(r"\s+(\S.*?)(?:\s{2,}(\S.*))?$", line)
            if m:
                spec, what = m.group(1), m.group(2) or ""
                if section == "options" or spec.startswith("-h"):
                    options.append((spec, what))
    while desc and not desc[0].strip():
        desc.pop(0)
    while desc and not desc[-1].strip():
        desc.pop()
    return usage, desc, options


def paragraphs(lines):
    """Lines joined into paragraphs; a line starting "Exit codes:" starts one."""
    out, cur = [], []
    for line in lines:
        if not line.strip() or line.startswith("Exit codes:"):
            if cur:
                out.append(" ".join(cur))
            cur = [line.strip()] if line.strip() else []
        else:
            cur.append(line.strip())
    if cur:
        out.append(" ".join(cur))
    return out


def option_spec(spec):
    """"-q, --quiet" / "--seed=N" in bold with the argument in italics."""
    parts = []
    for item in spec.split(", "):
        if "=" in item:
            name, arg = item.split("=", 1)
            parts.append("\\fB%s\\fR=\\fI%s\\fR" % (esc(name), esc(arg)))
        else:
            parts.append("\\fB%s\\fR" % esc(item))
    return ", ".join(parts)


def argument(word):
    """"[OPTION…]" -> [\\fIOPTION…\\fR]: the brackets roman, the name in italics."""
    m = re.match(r"^(\[?)(.*?)(\]?)$", word)
    return "%s\\fI%s\\fR%s" % (m.group(1), esc(m.group(2)), m.group(3))


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: gen-man.py AMISIM OUTPUT [DATADIR]")
    binary, output = sys.argv[1], sys.argv[2]
    datadir = (sys.argv[3] if len(sys.argv) == 4 else "/usr/local/share").rstrip("/")
    d = esc(datadir)
    main_help = help_text(binary, [])
    version = subprocess.run([binary, "--version"], stdout=subprocess.PIPE,
                             check=False).stdout.decode().split()
    version = version[1] if len(version) > 1 else ""

    mlines = main_help.split("\n")
    summary = next((l for l in mlines[1:] if l.strip()), "").strip()
    # the Commands block: "  NAME ARGS   text" with continuation lines
    cmd_lines, exit_lines, in_cmds, in_exit = [], [], False, False
    options_line = ""
    for line in mlines:
        if line.startswith("Commands:"):
            in_cmds = True
            continue
        if in_cmds and not line.strip():
            in_cmds = False
            continue
        if in_cmds:
            cmd_lines.append(line)
        if line.startswith("Options:"):
            options_line = line[len("Options:"):].strip()
        if line.startswith("Exit codes:"):
            in_exit = True
        if in_exit and line.strip():
            exit_lines.append(line.strip())
    exit_text = " ".join(exit_lines)[len("Exit codes:"):].strip()

    out = []
    out.append('.\\" Generated by tools/gen-man.py from amisim --help; do not edit.')
    out.append('.TH AMISIM 1 "" "amisim %s" "User Commands"' % esc(version))
    out.append(".SH NAME")
    out.append("amisim \\- %s" % esc(summary[0].lower() + summary[1:].rstrip(".")))
    out.append(".SH SYNOPSIS")
    synopsis = []
    for cmd in COMMANDS:
        usage, _, _ = parse_command(help_text(binary, cmd.split()))
        synopsis.append(usage)
    out.append(".nf")
    out.append("\\fBamisim\\fR [\\fIOPTION\\fR...]")
    for usage in synopsis:
        words = usage.split()
        cmd_words = []
        rest = []
        for i, w in enumerate(words):
            if i == 0 or (not rest and re.match(r"^[a-z]+$", w)):
                cmd_words.append(w)
            else:
                rest.append(w)
        out.append("\\fB%s\\fR %s" % (esc(" ".join(cmd_words)), " ".join(map(argument, rest))))
    out.append("\\fBamisim help\\fR [\\fICOMMAND\\fR]")
    out.append("\\fBamisim \\-\\-help\\fR | \\fB\\-\\-version\\fR")
    out.append(".fi")
    out.append(".SH DESCRIPTION")
    out.append(esc(summary))
    out.append(".PP")
    out.append("Without a command, \\fBamisim\\fR runs (\\fBamisim run\\fR).")
    out.append("A scenario is a YAML file (format version 1, described in "
               "\\fIscenario\\-reference.md\\fR); the same scenario and seed always give "
               "the same results, byte for byte.")
    out.append(".PP")
    out.append(esc(options_line))
    out.append(".SH COMMANDS")
    # the one-line summaries of the main help
    entries, cur = [], None
    for line in cmd_lines:
        m = re.match(r"  (\S.*?)(?:\s{2,}(\S.*))?$", line)
        if m and not line.startswith("    "):
            cur = [m.group(1), [m.group(2)] if m.group(2) else []]
            entries.append(cur)
        elif cur is not None:
            cur[1].append(line.strip())
    for cmd in COMMANDS:
        usage, desc, options = parse_command(help_text(binary, cmd.split()))
        out.append(".SS %s" % esc(usage))
        for i, par in enumerate(paragraphs(desc)):
            if i:
                out.append(".PP")
            out.append(esc(par))
        for spec, what in options:
            out.append(".TP")
            out.append(option_spec(spec))
            out.append(esc(what))
    help_entry = next((e for e in entries if e[0].startswith("help")), None)
    if help_entry is not None:
        out.append(".SS amisim %s" % esc(help_entry[0]))
        out.append(esc(" ".join(help_entry[1])) + ".")
    out.append(".SH EXIT STATUS")
    out.append(esc(exit_text))
    out.append(".SH ENVIRONMENT")
    out.append(".TP")
    out.append("\\fBAMISIM_PLOTS_DIR\\fR")
    out.append("The gnuplot scripts of \\fBamisim plot\\fR (else the source tree's or the "
               "installed \\fIplots/\\fR folder).")
    out.append(".SH FILES")
    for path, what in [
            (d + "/amisim/scenarios/", "example scenarios (default.yaml is built "
             "into the binary); policy/ holds policy eval requests"),
            (d + "/amisim/amisim\\-scenario.schema.json", "the scenario's JSON "
             "Schema, for editors (yaml\\-language\\-server: "
             "# yaml\\-language\\-server: $schema=FILE)"),
            (d + "/amisim/plots/", "the gnuplot scripts of amisim plot"),
            (d + "/doc/amisim/", "README.md and the reference documents "
             "(scenario\\-reference.md, outputs.md, limits.md, causes.md, …)"),
            (d + "/bash\\-completion/completions/amisim", "bash completion")]:
        out.append(".TP")
        out.append("\\fI%s\\fR" % path)
        out.append(what.replace("-", "\\-") if "\\-" not in what else what)
    out.append(".SH SEE ALSO")
    out.append("\\fBgnuplot\\fR(1), \\fBaws\\fR(1); "
               "\\fIscenario\\-reference.md\\fR, \\fIoutputs.md\\fR and "
               "\\fIestate\\-export.md\\fR in the documentation folder.")
    text = "\n".join(out) + "\n"
    tmp = output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, output)


if __name__ == "__main__":
    main()
