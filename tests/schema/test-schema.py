#!/usr/bin/env python3
"""The scenario's JSON Schema (tools/gen-schema.c) against scenarios/.

    test-schema.py BUILD/tools/amisim-scenario.schema.json SOURCE_ROOT

(a) every scenarios/*.yaml (and tests/scenario/fixtures/valid/*.yaml) is
    valid against the schema;
(b) a sample of bad inputs, each made from scenarios/default.yaml, is
    rejected: an unknown top-level key, a pipeline without its required
    `name`, horizon as a list, an unknown key in a pipeline, an amis[]
    entry without `id`; and a top-level "x-" key (YAML anchors) is accepted.

YAML is read as the loader reads it (YAML 1.2 core schema): a timestamp
stays a string, as in yaml-language-server.
"""
import copy
import glob
import json
import os
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:
    # Debian's python3-jsonschema and python3-yaml (what tools/bootstrap
    # installs) are Debian's python3's: use it when the python3 that meson
    # found (a pyenv or venv one, say) lacks them
    system = '/usr/bin/python3'
    if os.path.realpath(sys.executable) != os.path.realpath(system) and os.access(system, os.X_OK):
        os.execv(system, [system] + sys.argv)
    sys.exit("FAIL: %s; install python3-jsonschema and python3-yaml (tools/bootstrap does)" % e)


class CoreLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's timestamps (the loader keeps them as text)."""


CoreLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CoreLoader)


def main():
    schema_path, root = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    failures = 0

    scenarios = sorted(glob.glob(os.path.join(root, "scenarios", "*.yaml")))
    if len(scenarios) < 10:
        sys.exit("FAIL: only %d scenarios under %s/scenarios" % (len(scenarios), root))
    fixtures = sorted(glob.glob(os.path.join(root, "tests", "scenario", "fixtures", "valid",
                                             "*.yaml")))
    for path in scenarios + fixtures:
        errors = sorted(validator.iter_errors(load(path)), key=lambda e: list(e.path))
        for e in errors[:5]:
            print("FAIL: %s: %s: %s" % (os.path.relpath(path, root),
                                        "/".join(map(str, e.path)) or "(top)", e.message[:300]))
        failures += bool(errors)
        if not errors:
            print("ok   %s is valid" % os.path.relpath(path, root))

    default = load(os.path.join(root, "scenarios", "default.yaml"))
    # an AMI that exists at the start (no scenario under scenarios/ has one)
    amis = copy.deepcopy(default)
    amis["amis"] = [{"id": "ami-0123456789abcdef0", "account": "111111111111",
                     "region": "us-east-1", "created": "2025-12-01T00:00:00Z",
                     "snapshots": [{"id": "snap-0123456789abcdef0", "size": 8}]}]
    errors = list(validator.iter_errors(amis))
    if errors:
        print("FAIL: a valid amis[] entry is refused: %s" % errors[0].message)
        failures += 1

    def bad(name, doc, edit, where):
        doc = copy.deepcopy(doc)
        edit(doc)
        errors = list(validator.iter_errors(doc))
        if not errors:
            print("FAIL: %s: accepted" % name)
            return 1
        paths = ["/".join(map(str, e.path)) for e in errors]
        if not any(p.startswith(where) for p in paths):
            print("FAIL: %s: rejected, but at %s, not at %s" % (name, paths, where))
            return 1
        print("ok   %s: rejected (%s)" % (name, errors[0].message[:120]))
        return 0

    def first_pipeline(doc):
        return doc["pipelines"][0]

    failures += bad("unknown top-level key", default, lambda d: d.update(pipeline=[]), "")
    failures += bad("pipeline without name", default,
                    lambda d: first_pipeline(d).pop("name"), "pipelines/0")
    failures += bad("horizon as a list", default,
                    lambda d: d.update(horizon=["3d"]), "horizon")
    failures += bad("unknown key in a pipeline", default,
                    lambda d: first_pipeline(d).update(buildtime="2h"), "pipelines/0")
    failures += bad("amisim as a string", default, lambda d: d.update(amisim="1"), "amisim")
    failures += bad("unknown key in simulation.limits", default,
                    lambda d: d.setdefault("simulation", {}).setdefault("limits", {})
                    .update(copies_per_acount_region=5), "simulation/limits")
    failures += bad("amis[] entry without id", amis,
                    lambda d: d["amis"][0].pop("id"), "amis/0")

    ok = copy.deepcopy(default)
    ok["x-anchors"] = {"a": 1}
    errors = list(validator.iter_errors(ok))
    if errors:
        print("FAIL: a top-level x- key is refused: %s" % errors[0].message)
        failures += 1
    else:
        print("ok   a top-level x- key is accepted")

    if failures:
        sys.exit("%d failure(s)" % failures)


if __name__ == "__main__":
    main()
