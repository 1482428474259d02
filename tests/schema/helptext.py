"""Shared by the schema folder's tests: the options of `amisim COMMAND --help`."""
import os
import re
import subprocess

COMMANDS = ["run", "validate", "explain", "policy eval", "plot", "sweep", "import"]


def help_text(binary, args):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    out = subprocess.run([binary] + args + ["--help"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env, check=True)
    return out.stdout.decode("utf-8")


def options(binary, command):
    """Every option (short and long) listed under the '… Options:' headings."""
    found = []
    in_options = False
    for line in help_text(binary, command.split()).split("\n"):
        if line.endswith("Options:") and not line.startswith(" "):
            in_options = True
            continue
        if in_options and line.startswith("  "):
            spec = re.split(r"\s{2,}", line.strip())[0]
            for item in spec.split(", "):
                found.append(item.split("=", 1)[0])
    return found
