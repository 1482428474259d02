#!/usr/bin/env python3
"""The replay test: every input of a fuzz target's corpora through its
replay binary (replay.c), under a time bound and a memory cap.

    replay_test.py TARGET REPLAY_BINARY SOURCE_ROOT

TARGET is "scenario" or "policy". The inputs are the committed regression
corpus (tests/fuzz/regress/TARGET/), the seed corpus (scenarios/*.yaml; or
scenarios/policy/* and tests/fuzz/seed/policy/), and the large hostile
inputs below, which are generated into a temporary folder at test time
rather than committed. Every hostile input is named refused-…: the target
must refuse it, not only survive it (docs/fuzzing.md). The limits they pass
are those of src/scenario/input-limits.h (docs/limits.md).
"""
import os
import subprocess
import sys
import tempfile

BRACKETS = 100_000
HUGE_SCALAR = 64 * 1024 * 1024  # bytes


def nested(opening, closing, depth, inner=""):
    return opening * depth + inner + closing * depth


# A valid scenario (the committed refused-… scenarios start from it too):
# what is added to it below is the only reason to refuse the result.
SCENARIO = """amisim: 1
name: quickstart
seed: 1
start: 2026-01-05T00:00:00Z
horizon: 1d
regions:
  - name: us-east-1
accounts:
  - id: "111111111111"
pipelines:
  - name: golden-al2023
    account: "111111111111"
    region: us-east-1
    schedule:
      scheduleExpression: cron(0 2 * * ? *)
    recipe: {name: al2023-base, version: 1.0.0}
    build_time: fixed(40m)
    test_time: fixed(15m)
    distribution:
      name: one-region
      distributions:
        - region: us-east-1
          amiDistributionConfiguration: {name: "golden {{ imagebuilder:buildDate }}"}
"""


def scenario_with(key, value):
    """SCENARIO with a top-level `key` (an x- extension key, which the loader
    skips, or a free-text one) set to `value`."""
    return SCENARIO + f"{key}: {value}\n"


def eval_input(identity):
    """A `policy eval` input whose identity policies are `identity` (JSON text)."""
    return ('{"policies": {"identity": ' + identity + '},\n'
            ' "request": {"action": "kms:Decrypt", "resource": "*",\n'
            '             "principal": "arn:aws:iam::222222222222:role/R"}}\n')


def policy_document(statement):
    return '{"Version": "2012-10-17", "Statement": ' + statement + '}\n'


# name -> text, per target; every name starts with "refused-". A policy
# document has no place that takes any nesting, so there the brackets are
# also wrong in kind; the scalars are valid but for their length.
HOSTILE = {
    "scenario": {
        "refused-brackets.yaml": scenario_with("x-deep", nested("[", "]", BRACKETS)),
        "refused-brackets-unclosed.yaml": scenario_with("x-deep", "[" * BRACKETS),
        "refused-braces.yaml": scenario_with("x-deep", nested("{a: ", "}", BRACKETS, "b")),
        "refused-huge-scalar.yaml": scenario_with("description", "x" * HUGE_SCALAR),
    },
    "policy": {
        "refused-brackets-eval.json": eval_input(nested("[", "]", BRACKETS)),
        "refused-brackets-document.json": policy_document(nested("[", "]", BRACKETS)),
        "refused-brackets-unclosed.json": policy_document("[" * BRACKETS),
        "refused-braces-document.json":
            policy_document("[" + nested('{"a": ', "}", BRACKETS, '"b"') + "]"),
        "refused-huge-scalar-eval.json": eval_input(
            '[' + policy_document('[{"Effect": "Allow", "Action": "kms:' + "x" * HUGE_SCALAR
                                  + '", "Resource": "*"}]') + ']'),
        "refused-huge-scalar-document.json": policy_document(
            '[{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::'
            + "x" * HUGE_SCALAR + '"}]'),
    },
}


def corpora(target, root):
    fuzz = os.path.join(root, "tests", "fuzz")
    if target == "scenario":
        folders = [os.path.join(root, "scenarios")]  # its files: scenarios/*.yaml
    else:
        folders = [os.path.join(root, "scenarios", "policy"),
                   os.path.join(fuzz, "seed", "policy")]
    regress = os.path.join(fuzz, "regress", target)
    if os.path.isdir(regress):  # git keeps no empty folder
        folders.insert(0, regress)
    return folders


def main(argv):
    if len(argv) != 4 or argv[1] not in HOSTILE:
        sys.stderr.write(f"usage: {argv[0]} scenario|policy REPLAY_BINARY SOURCE_ROOT\n")
        return 2
    target, binary, root = argv[1], argv[2], argv[3]
    with tempfile.TemporaryDirectory(prefix=f"amisim-replay-{target}-") as hostile:
        for name, text in HOSTILE[target].items():
            with open(os.path.join(hostile, name), "w", encoding="utf-8") as f:
                f.write(text)
        sys.stdout.flush()
        return subprocess.run([binary, "--timeout", "20", "--memory", "2048", "--"]
                              + corpora(target, root) + [hostile]).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
