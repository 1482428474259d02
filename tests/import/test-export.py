#!/usr/bin/env python3
"""tools/export-aws-estate against a fake `aws` (tests/import/fake-aws) first on
PATH, answering from the fixture estate of tests/import/make-estate.py
(docs/estate-export.md).

One export of the whole estate (55 accounts, 3 regions), with three injected
access denials, is checked for: every path of the layout and nothing else;
each file byte for byte what the fake printed for the call that belongs at
that path; every output in the shape the AWS CLI prints (botocore's models,
aws-shapes.json); the failures recorded and listed at the end, the other
accounts complete; only read calls, whole outputs, the caller's profile for
the management account and assumed-role sessions elsewhere. Then: bad usage
exits 2, nothing readable exits 1, an interrupted export leaves no OUTDIR,
--all-roles reads every role, and the hand-checked samples in sample/.
"""

import glob
import hashlib
import importlib.machinery
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get('AMISIM_SOURCE_ROOT') or os.path.dirname(os.path.dirname(HERE))
EXPORTER = os.path.join(ROOT, 'tools', 'export-aws-estate')
REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2']
MGMT = '111111111111'
WELL_KNOWN = ('EC2ImageBuilderDistributionCrossAccountRole', 'Ec2ImageBuilderCrossAccountLifecycleAccess')

# Injected into the whole-estate export.
DENIED_ACCOUNT = '600000000007'
INJECTED = [
    {'account': DENIED_ACCOUNT, 'service': 'sts', 'operation': 'assume-role'},
    {'account': '600000000003', 'region': 'us-east-1', 'service': 'kms', 'operation': 'get-key-policy'},
    {'account': '700000000002', 'region': 'eu-west-1', 'service': 'ec2', 'operation': 'describe-snapshots'},
]

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print('FAIL: ' + what, flush=True)
    return cond


def sha(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def load(name, path):
    loader = importlib.machinery.SourceFileLoader(name, path)
    spec = importlib.util.spec_from_loader(name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


class World:
    def __init__(self, work):
        self.work = work
        self.estate = os.path.join(work, 'estate')
        self.log = None
        subprocess.run([sys.executable, os.path.join(HERE, 'make-estate.py'), self.estate], check=True)
        # The fake as a command (bin-command/aws, this Python without site
        # packages), and as a server in this process with a bash client on
        # PATH (bin/aws) for the exports' thousands of calls.
        self.bin_command = os.path.join(work, 'bin-command')
        os.makedirs(self.bin_command)
        with open(os.path.join(HERE, 'fake-aws')) as f:
            body = f.read().split('\n', 1)[1]
        aws = os.path.join(self.bin_command, 'aws')
        with open(aws, 'w') as f:
            f.write('#!%s -S\n%s' % (sys.executable, body))
        os.chmod(aws, 0o755)
        self.fake = load('fake_aws', os.path.join(HERE, 'fake-aws'))
        self.server = self.fake.serve()
        self.bin = os.path.join(work, 'bin')
        os.makedirs(self.bin)
        with open(os.path.join(self.bin, 'aws'), 'w') as f:
            f.write(self.fake.client_script(self.server.server_address[1]))
        os.chmod(os.path.join(self.bin, 'aws'), 0o755)
        with open(os.path.join(self.estate, 'org.json')) as f:
            self.org = json.load(f)
        self.accounts = {}
        for path in glob.glob(os.path.join(self.estate, 'accounts', '*.json')):
            with open(path) as f:
                a = json.load(f)
            self.accounts[a['id']] = a

    def env(self, log=True, command=False, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(('AWS_', 'FAKE_AWS_'))}
        env['PATH'] = (self.bin_command if command else self.bin) + os.pathsep + env.get('PATH', '/usr/bin:/bin')
        env['FAKE_AWS_ESTATE'] = self.estate
        env['FAKE_AWS_SHAPES'] = os.path.join(HERE, 'aws-shapes.json')
        if log:
            # A new folder each time: calls of a killed export may still finish in the server.
            self.runs = getattr(self, 'runs', 0) + 1
            self.log = os.path.join(self.work, 'log-%d' % self.runs)
            os.makedirs(self.log)
            env['FAKE_AWS_LOG'] = self.log
        env.update(extra)
        return env

    def export(self, args, env, timeout=1500):
        return subprocess.run([sys.executable, EXPORTER] + args, env=env, capture_output=True,
                              text=True, timeout=timeout)

    def calls(self):
        out = []
        for path in glob.glob(os.path.join(self.log, '*.json')):
            with open(path) as f:
                out.append(json.load(f))
        return out


# ---------------------------------------------------------------- where a call's output belongs

def split_argv(argv):
    glob_opts, rest, i = {}, [], 0
    while i < len(argv):
        if argv[i] in ('--profile', '--region', '--output'):
            glob_opts[argv[i]] = argv[i + 1]
            i += 2
        else:
            rest.append(argv[i])
            i += 1
    return glob_opts, rest


def options(opts):
    d, key = {}, None
    for a in opts:
        if a.startswith('--'):
            key = a
            d[key] = []
        else:
            d[key].append(a)
    return d


def ib_name(arn, count):
    return arn.split(':', 5)[5].split('/')[1:1 + count]


def layout_path(entry):
    """The layout's path for a logged call (docs/estate-export.md), None for calls not written."""
    g, rest = split_argv(entry['argv'])
    if len(rest) < 2:
        return None
    if rest[0] in ('sts', 'configure'):
        return None
    service, op, opts = rest[0], rest[1], options(rest[2:])
    one = lambda k: opts[k][0]
    if service == 'organizations':
        arg = {'list-organizational-units-for-parent': '--parent-id', 'list-accounts-for-parent': '--parent-id',
               'list-policies-for-target': '--target-id', 'describe-policy': '--policy-id'}.get(op)
        return os.path.join('organizations', op, *([one(arg)] if arg else [])) + '.json'
    acct = entry['account']
    if service == 'iam':
        parts = []
        if '--role-name' in opts:
            parts.append(one('--role-name'))
        if '--policy-name' in opts:
            parts.append(one('--policy-name'))
        return os.path.join('accounts', acct, 'iam', op, *parts) + '.json'
    base = ['accounts', acct, g['--region'], service, op]
    if service == 'imagebuilder':
        arn_opts = [k for k in opts if k.endswith('-arn')]
        if arn_opts:
            count = 1 if op in ('get-image-pipeline', 'get-distribution-configuration',
                                'get-lifecycle-policy') else 2
            base += ib_name(one(arn_opts[0]), count)
    if service == 'kms' and op in ('describe-key', 'get-key-policy'):
        base.append(one('--key-id'))
    return os.path.join(*base) + '.json'


# ---------------------------------------------------------------- the layout the estate should give

def expected_paths(world, injected_denials=True):
    org = world.org
    paths = {'errors.json', 'export.json', 'organizations/describe-organization.json',
             'organizations/list-roots.json'}
    parents = [r['Id'] for r in org['roots']] + [o['Id'] for rows in org['ous_by_parent'].values() for o in rows]
    accounts = {a['Id']: a for rows in org['accounts_by_parent'].values() for a in rows}
    for p in parents:
        paths.add('organizations/list-organizational-units-for-parent/%s.json' % p)
        paths.add('organizations/list-accounts-for-parent/%s.json' % p)
    for t in parents + list(accounts):
        paths.add('organizations/list-policies-for-target/%s.json' % t)
    for pid in {p for ids in org['attachments'].values() for p in ids}:
        paths.add('organizations/describe-policy/%s.json' % pid)
    denied = {(r['account'], r.get('region'), r['service'], r['operation']) for r in INJECTED}
    for aid, a in accounts.items():
        if a['State'] != 'ACTIVE' or aid == DENIED_ACCOUNT:
            continue
        acct = world.accounts[aid]
        refs = set()
        for region in REGIONS:
            d = acct['regions'][region]
            ib = d['imagebuilder']
            pre = 'accounts/%s/%s/' % (aid, region)
            for op in ('list-image-pipelines', 'list-image-recipes', 'list-container-recipes',
                       'list-distribution-configurations', 'list-lifecycle-policies', 'list-components',
                       'list-images', 'list-infrastructure-configurations'):
                paths.add(pre + 'imagebuilder/%s.json' % op)
            for p in ib['pipelines']:
                paths.add(pre + 'imagebuilder/get-image-pipeline/%s.json' % ib_name(p['arn'], 1)[0])
                if p.get('executionRole'):
                    refs.add(p['executionRole'].rsplit('/', 1)[-1])
            for r in ib['recipes']:
                paths.add(pre + 'imagebuilder/get-image-recipe/%s.json' % '/'.join(ib_name(r['arn'], 2)))
            for r in ib['container_recipes']:
                paths.add(pre + 'imagebuilder/get-container-recipe/%s.json' % '/'.join(ib_name(r['arn'], 2)))
            for x in ib['distributions']:
                paths.add(pre + 'imagebuilder/get-distribution-configuration/%s.json' % ib_name(x['arn'], 1)[0])
            for x in ib['lifecycle_policies']:
                paths.add(pre + 'imagebuilder/get-lifecycle-policy/%s.json' % ib_name(x['arn'], 1)[0])
                refs.add(x['executionRole'].rsplit('/', 1)[-1])
            for c in ib['components']:
                paths.add(pre + 'imagebuilder/get-component/%s.json' % '/'.join(ib_name(c['arn'], 2)))
            for i in ib['images']:
                paths.add(pre + 'imagebuilder/list-image-build-versions/%s.json' % '/'.join(ib_name(i['arn'], 2)))
            for i in ib['infrastructure']:
                refs.add(i['instanceProfileName'])
            paths.update({pre + 'kms/list-keys.json', pre + 'kms/list-aliases.json',
                          pre + 'ec2/describe-images.json', pre + 'ram/get-resource-shares.json',
                          pre + 'ram/list-resources.json', pre + 'ram/list-principals.json'})
            if not (injected_denials and (aid, region, 'ec2', 'describe-snapshots') in denied):
                paths.add(pre + 'ec2/describe-snapshots.json')
            for k in d['kms']['keys']:
                paths.add(pre + 'kms/describe-key/%s.json' % k['KeyId'])
                if k['KeyManager'] == 'CUSTOMER' and not (
                        injected_denials and (aid, region, 'kms', 'get-key-policy') in denied):
                    paths.add(pre + 'kms/get-key-policy/%s.json' % k['KeyId'])
        pre = 'accounts/%s/iam/' % aid
        paths.add(pre + 'list-roles.json')
        names = {r['RoleName'] for r in acct['iam']['roles']}
        for role in names & (set(WELL_KNOWN) | refs):
            paths.add(pre + 'get-role/%s.json' % role)
            paths.add(pre + 'list-attached-role-policies/%s.json' % role)
            paths.add(pre + 'list-role-policies/%s.json' % role)
            for pol in acct['iam']['inline'][role]:
                paths.add(pre + 'get-role-policy/%s/%s.json' % (role, pol))
    return paths


def tree(root):
    out = set()
    for d, _, files in os.walk(root):
        for f in files:
            out.add(os.path.relpath(os.path.join(d, f), root))
    return out


# ---------------------------------------------------------------- shapes

ISO = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?\+00:00$')
# Values the services print outside the model's enum (EC2 gives `windows`).
ENUM_AS_PRINTED = {('ec2', 'PlatformValues'): {'windows'}}


def validate(value, shape, shapes, service, where, errs):
    s = shapes[shape]
    t = s['type']
    if t == 'structure':
        if not isinstance(value, dict):
            errs.append('%s: not an object' % where)
            return
        members = list(s['members'])
        unknown = [k for k in value if k not in s['members']]
        if unknown:
            errs.append('%s: members %s not in %s' % (where, unknown, shape))
        order = [members.index(k) for k in value if k in s['members']]
        if order != sorted(order):
            errs.append('%s: members not in the model\'s order' % where)
        for req in s.get('required', []):
            if req not in value:
                errs.append('%s: %s missing' % (where, req))
        for k, v in value.items():
            if k in s['members']:
                validate(v, s['members'][k], shapes, service, where + '.' + k, errs)
    elif t == 'list':
        if not isinstance(value, list):
            errs.append('%s: not a list' % where)
            return
        for i, v in enumerate(value):
            validate(v, s['member'], shapes, service, '%s[%d]' % (where, i), errs)
    elif t == 'map':
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            errs.append('%s: not a map of strings' % where)
    elif t == 'timestamp':
        if not (isinstance(value, str) and ISO.match(value)):
            errs.append('%s: timestamp %r is not ISO 8601' % (where, value))
    elif t == 'string':
        if s.get('url_encoded_json'):
            if not isinstance(value, dict) or 'Statement' not in value:
                errs.append('%s: a policy document the CLI prints as a JSON object' % where)
        elif not isinstance(value, str):
            errs.append('%s: not a string' % where)
        elif 'enum' in s and value not in s['enum'] and value not in ENUM_AS_PRINTED.get((service, shape), ()):
            errs.append('%s: %r not in %s' % (where, value, shape))
    elif t == 'boolean':
        if not isinstance(value, bool):
            errs.append('%s: not a boolean' % where)
    elif t in ('integer', 'long'):
        if isinstance(value, bool) or not isinstance(value, int):
            errs.append('%s: not an integer' % where)


def check_shapes(world, out, entries):
    with open(os.path.join(HERE, 'aws-shapes.json')) as f:
        models = json.load(f)['services']
    errs = []
    checked = 0
    for e in entries:
        path = layout_path(e)
        if path is None or e['exit'] != 0 or not os.path.exists(os.path.join(out, path)):
            continue          # a missing file is the layout's failure
        _, rest = split_argv(e['argv'])
        service, cli = rest[0], rest[1]
        op = next(o for o in models[service]['operations'].values() if o['cli'] == cli)
        with open(os.path.join(out, path), 'rb') as f:
            raw = f.read()
        doc = json.loads(raw)
        if raw != (json.dumps(doc, indent=4, ensure_ascii=False) + '\n').encode():
            errs.append('%s: not printed as the CLI prints JSON' % path)
        if 'paginator' in op:
            keys = op['paginator']['result_keys'] + op['paginator']['non_aggregate_keys']
            if set(doc) - set(keys) or not set(op['paginator']['result_keys']) <= set(doc):
                errs.append('%s: a paginated output has %s, not its result keys %s' % (path, sorted(doc), keys))
        validate(doc, op['output'], models[service]['shapes'], service, path, errs)
        checked += 1
    # Strings that hold JSON documents stay strings.
    for path in glob.glob(os.path.join(out, 'accounts/*/*/kms/get-key-policy/*.json')):
        with open(path) as f:
            pol = json.load(f)['Policy']
        if not (isinstance(pol, str) and 'Statement' in json.loads(pol)):
            errs.append('%s: Policy is a JSON string' % path)
    for path in glob.glob(os.path.join(out, 'organizations/describe-policy/*.json')):
        with open(path) as f:
            content = json.load(f)['Policy']['Content']
        if not (isinstance(content, str) and 'Statement' in json.loads(content)):
            errs.append('%s: Content is a JSON string' % path)
    for e in errs[:20]:
        check(False, 'shape: ' + e)
    check(not errs, '%d outputs in the CLI\'s shapes (%d problems)' % (checked, len(errs)))
    check(checked > 2500, 'shapes checked on %d outputs' % checked)


# ---------------------------------------------------------------- the whole estate

def whole_estate(world):
    out = os.path.join(world.work, 'estate-export')
    rules = os.path.join(world.work, 'failures.json')
    with open(rules, 'w') as f:
        json.dump(INJECTED, f)
    env = world.env(FAKE_AWS_FAILURES=rules)
    started = time.monotonic()
    r = world.export([out, '--regions', ','.join(REGIONS), '--profile', 'estate-admin'], env)
    print('whole estate: exit %d in %.0fs' % (r.returncode, time.monotonic() - started), flush=True)
    if not check(r.returncode == 0, 'the export exits 0 with recorded failures (%d): %s'
                 % (r.returncode, r.stderr[-2000:])):
        return
    check_whole_estate(world, out, r.stderr, world.calls())


def check_whole_estate(world, out, stderr, entries):
    # The layout: every path, nothing else.
    want = expected_paths(world)
    got = tree(out)
    check(got == want, 'layout: missing %s; unexpected %s'
          % (sorted(want - got)[:10], sorted(got - want)[:10]))
    check(len(want) > 2900, 'the layout has %d files' % len(want))

    # Each file is what the fake printed for the call that belongs there, once.
    by_path = {}
    for e in entries:
        p = layout_path(e)
        if p is not None and e['exit'] == 0:
            check(p not in by_path, 'one call for %s' % p)
            by_path[p] = e
    bad = [p for p in got - {'errors.json', 'export.json'}
           if p not in by_path or by_path[p]['sha256'] != sha(os.path.join(out, p))]
    check(not bad, 'byte for byte what the fake printed: %s' % bad[:10])
    check(set(by_path) == got - {'errors.json', 'export.json'},
          'every successful read is written: %s' % sorted(set(by_path) - got)[:10])

    # Only reads, whole outputs, JSON; the caller's profile for the management account, sessions elsewhere.
    reads = re.compile(r'^(describe|get|list)-')
    for e in entries:
        g, rest = split_argv(e['argv'])
        if e['argv'] == ['--version'] or rest[:2] == ['configure', 'get']:
            continue
        service, op = rest[0], rest[1]
        check(reads.match(op) or (service, op) == ('sts', 'assume-role'), 'a read call: %s' % e['argv'])
        check(not any(a in e['argv'] for a in ('--query', '--no-paginate', '--max-items')),
              'whole outputs: %s' % e['argv'])
        check(g.get('--output') == 'json' and g.get('--region') in REGIONS,
              '--output json and a region: %s' % e['argv'])
        if e['credentials'] == 'profile':
            check(g.get('--profile') == 'estate-admin' and e['account'] == MGMT,
                  'the caller\'s profile reads the management account: %s' % e['argv'])
        else:
            check('--profile' not in g and e['account'] != MGMT,
                  'an assumed-role session reads a member account: %s' % e['argv'])
    member_reads = {e['account'] for e in entries if e.get('credentials') == 'session'}
    check(len(member_reads) == 52, 'sessions in 52 member accounts (%d)' % len(member_reads))

    # The failures: recorded, listed at the end, not fatal.
    with open(os.path.join(out, 'errors.json')) as f:
        errors = json.load(f)
    got_errors = sorted((e['account'], e['region'] or '', e['service'], e['operation']) for e in errors)
    want_errors = sorted((r['account'], r.get('region', ''), r['service'], r['operation']) for r in INJECTED)
    check(got_errors == want_errors, 'errors.json has the injected failures: %s' % got_errors)
    for e in errors:
        check(e['exit_code'] == 254 and 'An error occurred (' in e['message'],
              'a failure keeps the CLI\'s exit code and message: %s' % e)
    tail = stderr[stderr.rfind('[54/54]'):]
    check('3 of' in tail and all(rule['account'] in tail for rule in INJECTED),
          'the failures are listed at the end: %s' % tail[-1500:])
    with open(os.path.join(out, 'export.json')) as f:
        manifest = json.load(f)
    states = manifest['accounts']
    check(states.get(DENIED_ACCOUNT) == 'assume-role failed', 'the denied account is named in export.json')
    check(states.get('800000000005') == 'skipped: SUSPENDED', 'the suspended account is skipped')
    check(sum(1 for s in states.values() if s == 'read') == 53, 'the other 53 accounts are read')
    check(manifest['regions'] == REGIONS and manifest['failed'] == 3, 'export.json: regions and failures')
    check(not [p for p in os.listdir(world.work) if '.partial-' in p], 'no partial folder left')

    # The whole inventory: every AMI and snapshot of the accounts read (the
    # exporter asks for deprecated and disabled AMIs too).
    def ids(kind, key, accounts):
        return {(a, r, x[key]) for a in accounts for r in REGIONS
                for x in world.accounts[a]['regions'][r]['ec2'][kind]}
    read = [a for a, s in states.items() if s == 'read']
    exported = {'images': set(), 'snapshots': set()}
    for path in glob.glob(os.path.join(out, 'accounts/*/*/ec2/describe-*.json')):
        a, r, _, name = os.path.relpath(path, out).split(os.sep)[1:]
        kind, key = ('images', 'ImageId') if name == 'describe-images.json' else ('snapshots', 'SnapshotId')
        with open(path) as f:
            exported[kind] |= {(a, r, x[key]) for x in json.load(f)[kind.capitalize()]}
    want_images = ids('images', 'ImageId', read)
    check(exported['images'] == want_images and len(want_images) > 900,
          'every AMI of the accounts read is exported (%d of %d)' % (len(exported['images']), len(want_images)))
    want_snaps = ids('snapshots', 'SnapshotId', read) - ids('snapshots', 'SnapshotId', ['700000000002']) | {
        x for x in ids('snapshots', 'SnapshotId', ['700000000002']) if x[1] != 'eu-west-1'}
    check(exported['snapshots'] == want_snaps,
          'every snapshot of the accounts read is exported (%d of %d)' % (len(exported['snapshots']), len(want_snaps)))

    check_shapes(world, out, entries)

    # The hand-checked samples: what the export holds, and what the fake
    # prints run as a command for the same call.
    sample = os.path.join(HERE, 'sample')
    by_path = {layout_path(e): e for e in entries if e['exit'] == 0}
    samples = sorted(tree(sample))
    check(len(samples) >= 10, 'samples to compare (%d)' % len(samples))
    for p in samples:
        check(os.path.exists(os.path.join(out, p)) and sha(os.path.join(out, p)) == sha(os.path.join(sample, p)),
              'sample %s is what the export holds' % p)
        e = by_path.get(p)
        if check(e is not None, 'sample %s was read' % p):
            printed = command(world, e['argv'], e['account'])
            check(hashlib.sha256(printed).hexdigest() == sha(os.path.join(sample, p)),
                  'sample %s is what the fake prints as a command' % p)


def command(world, argv, account):
    """stdout of the fake run as a command, as the exporter ran it in account."""
    env = world.env(log=False, command=True)
    g, rest = split_argv(argv)
    if account != MGMT:
        r = subprocess.run(['aws', '--profile', 'estate-admin', '--region', 'us-east-1', '--output', 'json',
                            'sts', 'assume-role', '--role-arn',
                            'arn:aws:iam::%s:role/OrganizationAccountAccessRole' % account,
                            '--role-session-name', 'amisim-export'],
                           env=env, capture_output=True, check=True)
        creds = json.loads(r.stdout)['Credentials']
        env.update(AWS_ACCESS_KEY_ID=creds['AccessKeyId'], AWS_SECRET_ACCESS_KEY=creds['SecretAccessKey'],
                   AWS_SESSION_TOKEN=creds['SessionToken'])
    return subprocess.run(['aws'] + argv, env=env, capture_output=True, check=True).stdout


# ---------------------------------------------------------------- usage, nothing readable, interruption

def bad_usage(world):
    env = world.env(command=True)
    existing = os.path.join(world.work, 'not-empty')
    os.makedirs(existing)
    with open(os.path.join(existing, 'keep'), 'w') as f:
        f.write('x')
    out = os.path.join(world.work, 'usage-out')
    cases = [[], ['--regions', 'us-east-1'], [out, 'extra'], [out, '--regions', 'useast1'],
             [out, '--regions', 'us-east-1,us-east-1'], [out, '--jobs', '0'], [out, '--bogus'],
             [out, '--role-name', 'bad/name'], [existing], [os.path.join(world.work, 'no', 'such', 'dir')],
             [out, '--profile', 'no-region']]
    for args in cases:
        r = world.export(args, env)
        check(r.returncode == 2 and 'usage:' in r.stderr + r.stdout or
              (r.returncode == 2 and 'give --regions' in r.stderr),
              'bad usage %s exits 2 (%d): %s' % (args, r.returncode, r.stderr.strip()[:300]))
        check(not os.path.exists(out), 'bad usage %s writes nothing' % args)
    check(os.listdir(existing) == ['keep'], 'a non-empty OUTDIR is left alone')
    r = world.export(['--help'], env)
    check(r.returncode == 0 and 'OUTDIR' in r.stdout and '--role-name' in r.stdout, '--help exits 0')
    leftovers = [p for p in os.listdir(world.work) if '.partial-' in p]
    check(not leftovers, 'bad usage leaves no partial folder: %s' % leftovers)


def nothing_readable(world):
    out = os.path.join(world.work, 'unreadable')
    cases = [
        ('not in an organization', {'FAKE_AWS_FAILURES': [{'service': 'organizations', 'operation': 'describe-organization',
                                                           'code': 'AWSOrganizationsNotInUseException',
                                                           'message': 'Your account is not a member of an organization.'}]},
         'not a member of an organization'),
        ('roots not listable', {'FAKE_AWS_FAILURES': [{'service': 'organizations', 'operation': 'list-roots'}]},
         'delegated administrator'),
        ('no credentials', {'FAKE_AWS_FAILURES': [{'service': 'sts', 'operation': 'get-caller-identity',
                                                   'code': 'InvalidClientTokenId',
                                                   'message': 'The security token included in the request is invalid.'}]},
         'sts get-caller-identity'),
        ('AWS CLI version 1', {'FAKE_AWS_VERSION': 'aws-cli/1.32.0 Python/3.11.2 Linux/6.1.0 botocore/1.34.0'},
         'version 2'),
    ]
    for name, extra, says in cases:
        env = world.env(command=True)
        if 'FAKE_AWS_FAILURES' in extra:
            rules = os.path.join(world.work, 'rules.json')
            with open(rules, 'w') as f:
                json.dump(extra['FAKE_AWS_FAILURES'], f)
            env['FAKE_AWS_FAILURES'] = rules
        else:
            env.update(extra)
        r = world.export([out, '--profile', 'estate-admin'], env)
        check(r.returncode == 1 and says in r.stderr, '%s exits 1 and says why (%d): %s'
              % (name, r.returncode, r.stderr.strip()[-400:]))
        check(not os.path.exists(out) and not [p for p in os.listdir(world.work) if '.partial-' in p],
              '%s leaves nothing' % name)
    # The default region: the profile's, or AWS_REGION's.
    for extra, region in (({}, 'eu-west-1'), ({'AWS_REGION': 'ap-southeast-2'}, 'ap-southeast-2')):
        env = world.env(command=True, **extra)
        rules = os.path.join(world.work, 'rules.json')
        with open(rules, 'w') as f:
            json.dump([{'service': 'organizations', 'operation': 'describe-organization'}], f)
        env['FAKE_AWS_FAILURES'] = rules
        world.export([out, '--profile', 'estate-admin'], env)
        regions = {split_argv(e['argv'])[0].get('--region') for e in world.calls()
                   if 'sts' in e['argv'] or 'organizations' in e['argv']}
        check(regions == {region}, 'without --regions the configured region %s is read: %s' % (region, regions))


def interrupted(world):
    for sig, code in ((signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGKILL, -9)):
        out = os.path.join(world.work, 'interrupted')
        env = world.env(FAKE_AWS_DELAY='0.05')
        before = set(os.listdir(world.work))
        p = subprocess.Popen([sys.executable, EXPORTER, out, '--regions', 'us-east-1', '--jobs', '2'],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        partial = None
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and p.poll() is None:
            found = [d for d in set(os.listdir(world.work)) - before if d.startswith('.interrupted.partial-')]
            if found and len(tree(os.path.join(world.work, found[0]))) >= 30:
                partial = found[0]
                break
            time.sleep(0.05)
        check(partial is not None, 'the export writes into a partial folder next to OUTDIR')
        p.send_signal(sig)
        _, err = p.communicate(timeout=120)
        check(p.returncode == code, 'signal %d: exit %d (%d)' % (sig, code, p.returncode))
        check(not os.path.exists(out), 'signal %d leaves no OUTDIR' % sig)
        left = [d for d in os.listdir(world.work) if d.startswith('.interrupted.partial-')]
        if sig == signal.SIGKILL:
            for d in left:        # nothing can clean up after SIGKILL; OUTDIR is still never half-written
                shutil.rmtree(os.path.join(world.work, d))
        else:
            check(not left, 'signal %d removes the partial folder' % sig)
            check('interrupted' in err, 'signal %d is reported' % sig)


def all_roles(world):
    """--all-roles reads every role in full (one account, through the exporter's own code)."""
    mod = load('export_aws_estate', EXPORTER)
    env = world.env()
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        for flag in (True, False):
            tmp = tempfile.mkdtemp(dir=world.work)
            opts = types.SimpleNamespace(regions=['us-east-1'], profile=None, role_name='OrganizationAccountAccessRole',
                                         all_roles=flag, jobs=1)
            ex = mod.Exporter(opts, shutil.which('aws', path=env['PATH']), tmp)
            ctx = ex.member_context('222222222222')
            ex.read_iam(ctx, {'EC2InstanceProfileForImageBuilder'})
            roles = {r['RoleName'] for r in world.accounts['222222222222']['iam']['roles']}
            got = {os.path.basename(p)[:-5] for p in glob.glob(os.path.join(tmp, 'accounts/222222222222/iam/get-role/*'))}
            want = roles if flag else {'EC2InstanceProfileForImageBuilder'}
            check(got == want and not ex.errors, '--all-roles %s reads %s (%s)' % (flag, sorted(want), sorted(got)))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def main():
    work = tempfile.mkdtemp(prefix='amisim-export-test-')
    world = None
    try:
        world = World(work)
        again = os.path.join(work, 'estate-again')
        subprocess.run([sys.executable, os.path.join(HERE, 'make-estate.py'), again], check=True)
        check({p: sha(os.path.join(again, p)) for p in tree(again)} ==
              {p: sha(os.path.join(world.estate, p)) for p in tree(world.estate)}, 'the estate is deterministic')
        amis = sum(len(r['ec2']['images']) for a in world.accounts.values() for r in a['regions'].values())
        check(amis == 1000, 'the estate holds 1,000 AMIs (%d)' % amis)
        bad_usage(world)
        nothing_readable(world)
        all_roles(world)
        interrupted(world)
        whole_estate(world)
    finally:
        if world is not None:
            world.server.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print('%d checks failed' % len(failures))
        return 1
    print('all checks passed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
