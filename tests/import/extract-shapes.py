#!/usr/bin/env python3
"""Extracts from botocore's service models the shapes the exporter's calls
print, into tests/import/aws-shapes.json (committed; the tests read it, not
botocore, which is not installed at test time).

    tests/import/extract-shapes.py BOTOCORE_CHECKOUT > tests/import/aws-shapes.json

BOTOCORE_CHECKOUT is a clone of github.com/boto/botocore (a work tree, or a
bare repository, read at HEAD); its commit is recorded in the output. For each operation: its CLI name, input shape (the
fake aws derives the options it accepts from it), output shape and
paginator (the AWS CLI paginates by default, prints only the result keys
and non-aggregate keys, and takes --starting-token, --page-size and
--max-items instead of the token and limit members); for each shape: type, members in model order (the
order the CLI prints them in), required members, enums, and whether a
string is IAM's URL-encoded policyDocumentType (the CLI prints it decoded).
"""
import json
import os
import subprocess
import sys

# service: (model folder, operations)
OPERATIONS = {
    'sts': ('2011-06-15', ['GetCallerIdentity', 'AssumeRole']),
    'organizations': ('2016-11-28', ['DescribeOrganization', 'ListRoots',
                                     'ListOrganizationalUnitsForParent', 'ListAccountsForParent',
                                     'ListPoliciesForTarget', 'DescribePolicy']),
    'iam': ('2010-05-08', ['ListRoles', 'GetRole', 'ListAttachedRolePolicies',
                           'ListRolePolicies', 'GetRolePolicy']),
    'kms': ('2014-11-01', ['ListKeys', 'ListAliases', 'DescribeKey', 'GetKeyPolicy']),
    'imagebuilder': ('2019-12-02', ['ListImagePipelines', 'GetImagePipeline',
                                    'ListImageRecipes', 'GetImageRecipe',
                                    'ListContainerRecipes', 'GetContainerRecipe',
                                    'ListDistributionConfigurations', 'GetDistributionConfiguration',
                                    'ListLifecyclePolicies', 'GetLifecyclePolicy',
                                    'ListComponents', 'GetComponent',
                                    'ListImages', 'ListImageBuildVersions',
                                    'ListInfrastructureConfigurations']),
    'ec2': ('2016-11-15', ['DescribeImages', 'DescribeSnapshots']),
    'ram': ('2018-01-04', ['GetResourceShares', 'ListResources', 'ListPrincipals']),
}


def cli_name(op):
    """botocore.xform_name(op, '-') for the names used here."""
    import re
    s = re.sub('(.)([A-Z][a-z]+)', r'\1-\2', op)
    return re.sub('([a-z0-9])([A-Z])', r'\1-\2', s).lower()


def closure(shapes, root, out):
    if root in out:
        return
    s = shapes[root]
    t = s['type']
    e = {'type': t}
    if t == 'structure':
        e['members'] = {k: v['shape'] for k, v in s['members'].items()}
        if s.get('required'):
            e['required'] = s['required']
    elif t == 'list':
        e['member'] = s['member']['shape']
    elif t == 'map':
        e['key'] = s['key']['shape']
        e['value'] = s['value']['shape']
    elif t == 'string':
        if 'enum' in s:
            e['enum'] = s['enum']
        if root == 'policyDocumentType':
            e['url_encoded_json'] = True
    out[root] = e
    for child in (e.get('members') or {}).values():
        closure(shapes, child, out)
    for k in ('member', 'key', 'value'):
        if k in e:
            closure(shapes, e[k], out)


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: extract-shapes.py BOTOCORE_CHECKOUT')
    root = sys.argv[1]
    bare = not os.path.isdir(os.path.join(root, 'botocore'))
    git = ['git', '--git-dir', root] if bare else ['git', '-C', root]
    commit = subprocess.run(git + ['rev-parse', 'HEAD'], capture_output=True,
                            text=True).stdout.strip() or 'unknown'

    def read(path):
        if bare:
            return json.loads(subprocess.run(git + ['show', 'HEAD:' + path], capture_output=True,
                                             check=True).stdout)
        with open(os.path.join(root, path)) as f:
            return json.load(f)
    result = {'source': f'github.com/boto/botocore {commit} botocore/data/*/service-2.json, '
                        'paginators-1.json (tests/import/extract-shapes.py)',
              'services': {}}
    for svc, (version, ops) in OPERATIONS.items():
        base = f'botocore/data/{svc}/{version}/'
        model = read(base + 'service-2.json')
        pag = read(base + 'paginators-1.json')['pagination']
        shapes = {}
        entry = {'protocol': model['metadata']['protocol'], 'operations': {}, 'shapes': shapes}
        for op in ops:
            o = model['operations'][op]
            d = {'cli': cli_name(op)}
            for k in ('input', 'output'):
                if k in o:
                    d[k] = o[k]['shape']
                    closure(model['shapes'], o[k]['shape'], shapes)
            if op in pag:
                p = pag[op]
                rk = p['result_key']
                listed = lambda v: v if isinstance(v, list) else [v]
                d['paginator'] = {'result_keys': listed(rk),
                                  'non_aggregate_keys': p.get('non_aggregate_keys', []),
                                  'input_token': listed(p['input_token']),
                                  'limit_key': listed(p.get('limit_key', []))}
            entry['operations'][op] = d
        result['services'][svc] = entry
    # One line per operation and per shape: small, and diffs stay readable.
    out = sys.stdout
    out.write('{\n "source": %s,\n "services": {\n' % json.dumps(result['source']))
    services = list(result['services'].items())
    for i, (svc, e) in enumerate(services):
        out.write('  %s: {\n   "protocol": %s,\n   "operations": {\n' % (json.dumps(svc), json.dumps(e['protocol'])))
        ops = list(e['operations'].items())
        for j, (op, d) in enumerate(ops):
            out.write('    %s: %s%s\n' % (json.dumps(op), json.dumps(d), ',' if j + 1 < len(ops) else ''))
        out.write('   },\n   "shapes": {\n')
        shapes = list(e['shapes'].items())
        for j, (name, d) in enumerate(shapes):
            out.write('    %s: %s%s\n' % (json.dumps(name), json.dumps(d), ',' if j + 1 < len(shapes) else ''))
        out.write('   }\n  }%s\n' % (',' if i + 1 < len(services) else ''))
    out.write(' }\n}\n')


if __name__ == '__main__':
    main()
