#!/usr/bin/env python3
"""Builds the fixture estate the fake `aws` (tests/import/fake-aws) answers
from: an organization of 55 accounts in nested OUs with SCPs, 3 regions,
10 Image Builder pipelines (image and container recipes, distribution
configurations with cross-account and cross-region copies, launch
permissions to OUs, accounts and the organization, KMS keys on the AMIs),
components, a lifecycle policy, RAM shares, IAM roles with trust, inline
and managed policies, and 1,000 existing AMIs with their snapshots.

    tests/import/make-estate.py DIR

writes DIR/org.json and DIR/accounts/<account-id>.json. Deterministic: the
same files every time (ids are hashes of names, times are fixed).

The data is held as the APIs send it, before the AWS CLI's own changes:
timestamps of timestamp-typed members as epoch seconds, IAM policy
documents URL-encoded (RFC 3986), KMS key policies and SCP contents as JSON
strings. The fake applies what the CLI does (ISO 8601 timestamps, decoded
IAM policy documents, merged pages) with the shapes of aws-shapes.json.
"""

import datetime
import hashlib
import json
import os
import sys
import urllib.parse

NOW = 1772323200                     # 2026-03-01T00:00:00Z
DAY = 86400
REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2']
ORG = 'o-7k2m9p4q1x'
ROOT = 'r-7k2m'
MGMT = '111111111111'
FACTORY = '222222222222'
SHARED = '333333333333'
AUDIT = '444444444444'
LOGS = '555555555555'
PROD = ['6000000000%02d' % i for i in range(1, 21)]
NONPROD = ['7000000000%02d' % i for i in range(1, 11)]
DEV = ['7100000000%02d' % i for i in range(1, 16)]
SANDBOX = ['8000000000%02d' % i for i in range(1, 6)]
SUSPENDED = SANDBOX[4]
TOTAL_AMIS = 1000

OU = {
    'Infrastructure': 'ou-7k2m-infra001',
    'Security': 'ou-7k2m-secur001',
    'Workloads': 'ou-7k2m-workl001',
    'Prod': 'ou-7k2m-prod0001',
    'NonProd': 'ou-7k2m-nprod001',
    'Dev': 'ou-7k2m-dev00001',
    'Sandbox': 'ou-7k2m-sandb001',
}
# parent -> [(OU name)], and parent -> accounts
OU_TREE = {ROOT: ['Infrastructure', 'Security', 'Workloads', 'Sandbox'],
           OU['Workloads']: ['Prod', 'NonProd'], OU['NonProd']: ['Dev']}
PLACEMENT = {ROOT: [MGMT], OU['Infrastructure']: [FACTORY, SHARED], OU['Security']: [AUDIT, LOGS],
             OU['Prod']: PROD, OU['NonProd']: NONPROD, OU['Dev']: DEV, OU['Sandbox']: SANDBOX}
NAMES = {MGMT: 'management', FACTORY: 'image-factory', SHARED: 'shared-services', AUDIT: 'audit',
         LOGS: 'log-archive'}
for i, a in enumerate(PROD):
    NAMES[a] = 'prod-%02d' % (i + 1)
for i, a in enumerate(NONPROD):
    NAMES[a] = 'nonprod-%02d' % (i + 1)
for i, a in enumerate(DEV):
    NAMES[a] = 'dev-%02d' % (i + 1)
for i, a in enumerate(SANDBOX):
    NAMES[a] = 'sandbox-%02d' % (i + 1)
INVITED = {LOGS, SANDBOX[3]}


def h(*parts, n=17):
    return hashlib.sha256('/'.join(map(str, parts)).encode()).hexdigest()[:n]


def uuid_of(*parts):
    x = h(*parts, n=32)
    return '%s-%s-%s-%s-%s' % (x[:8], x[8:12], x[12:16], x[16:20], x[20:])


def upper_id(prefix, *parts):
    """AROA…/AIDA…: 21 characters of upper-case letters and digits."""
    digest = hashlib.sha256('/'.join(parts).encode()).digest()
    alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
    return prefix + ''.join(alphabet[b % 32] for b in digest[:21 - len(prefix)])


def iso_ms(t):
    """EC2's and Image Builder's string dates: 2026-02-27T02:41:10.000Z."""
    d = datetime.datetime.fromtimestamp(t, datetime.timezone.utc)
    return d.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (d.microsecond // 1000)


def iam_doc(doc):
    """IAM sends policy documents URL-encoded (RFC 3986)."""
    return urllib.parse.quote(json.dumps(doc), safe='')


def ib_arn(region, account, kind, *parts):
    return 'arn:aws:imagebuilder:%s:%s:%s/%s' % (region, account, kind, '/'.join(parts))


def key_arn(region, account, kid):
    return 'arn:aws:kms:%s:%s:key/%s' % (region, account, kid)


def ou_arn(name):
    return 'arn:aws:organizations::%s:ou/%s/%s' % (MGMT, ORG, OU[name])


ORG_ARN = 'arn:aws:organizations::%s:organization/%s' % (MGMT, ORG)


# ---------------------------------------------------------------- organization

def organization():
    accounts_by_parent = {}
    ous_by_parent = {}
    for parent, names in OU_TREE.items():
        ous_by_parent[parent] = [{'Id': OU[n], 'Arn': ou_arn(n), 'Name': n} for n in names]
    for parent, accts in PLACEMENT.items():
        rows = []
        for a in accts:
            state = 'SUSPENDED' if a == SUSPENDED else 'ACTIVE'
            rows.append({
                'Id': a,
                'Arn': 'arn:aws:organizations::%s:account/%s/%s' % (MGMT, ORG, a),
                'Email': 'aws+%s@example.com' % NAMES[a],
                'Name': NAMES[a],
                'Status': state,
                'State': state,
                'JoinedMethod': 'INVITED' if a in INVITED else 'CREATED',
                'JoinedTimestamp': 1609459200 + int(h('joined', a, n=6), 16) % (3 * 365 * DAY)
                + 0.123,
            })
        accounts_by_parent[parent] = rows
    for o in OU.values():
        ous_by_parent.setdefault(o, [])
        accounts_by_parent.setdefault(o, [])

    def scp(pid, name, desc, doc, aws=False):
        arn = ('arn:aws:organizations::aws:policy/service_control_policy/%s' % pid if aws else
               'arn:aws:organizations::%s:policy/%s/service_control_policy/%s' % (MGMT, ORG, pid))
        return {'PolicySummary': {'Id': pid, 'Arn': arn, 'Name': name, 'Description': desc,
                                  'Type': 'SERVICE_CONTROL_POLICY', 'AwsManaged': aws},
                'Content': json.dumps(doc, indent=2)}

    policies = {
        'p-FullAWSAccess': scp('p-FullAWSAccess', 'FullAWSAccess',
                               'Allows access to every operation',
                               {'Version': '2012-10-17', 'Statement': [
                                   {'Effect': 'Allow', 'Action': '*', 'Resource': '*'}]}, aws=True),
        'p-0denyleave1': scp('p-0denyleave1', 'deny-leave-organization',
                             'Member accounts may not leave the organization',
                             {'Version': '2012-10-17', 'Statement': [
                                 {'Sid': 'DenyLeave', 'Effect': 'Deny',
                                  'Action': 'organizations:LeaveOrganization', 'Resource': '*'}]}),
        'p-0regions01': scp('p-0regions01', 'allowed-regions',
                            'Workloads run in the three estate regions only',
                            {'Version': '2012-10-17', 'Statement': [
                                {'Sid': 'DenyOtherRegions', 'Effect': 'Deny',
                                 'NotAction': ['iam:*', 'organizations:*', 'sts:*', 'support:*'],
                                 'Resource': '*',
                                 'Condition': {'StringNotEquals': {'aws:RequestedRegion': REGIONS}}}]}),
        'p-0sandbox01': scp('p-0sandbox01', 'sandbox-no-image-copies',
                            'Sandboxes do not receive AMI copies',
                            {'Version': '2012-10-17', 'Statement': [
                                {'Sid': 'DenyCopies', 'Effect': 'Deny',
                                 'Action': ['ec2:CopyImage', 'ec2:CopySnapshot'], 'Resource': '*'}]}),
    }
    attachments = {}
    every = [ROOT] + list(OU.values()) + [a for accts in PLACEMENT.values() for a in accts]
    for t in every:
        attachments[t] = ['p-FullAWSAccess']
    attachments[ROOT].append('p-0denyleave1')
    attachments[OU['Workloads']].append('p-0regions01')
    attachments[OU['Sandbox']].append('p-0sandbox01')

    return {
        'organization': {
            'Id': ORG,
            'Arn': ORG_ARN,
            'FeatureSet': 'ALL',
            'MasterAccountArn': 'arn:aws:organizations::%s:account/%s/%s' % (MGMT, ORG, MGMT),
            'MasterAccountId': MGMT,
            'MasterAccountEmail': 'aws+management@example.com',
            'AvailablePolicyTypes': [{'Type': 'SERVICE_CONTROL_POLICY', 'Status': 'ENABLED'}],
        },
        'roots': [{'Id': ROOT, 'Arn': 'arn:aws:organizations::%s:root/%s/%s' % (MGMT, ORG, ROOT),
                   'Name': 'Root',
                   'PolicyTypes': [{'Type': 'SERVICE_CONTROL_POLICY', 'Status': 'ENABLED'}]}],
        'ous_by_parent': ous_by_parent,
        'accounts_by_parent': accounts_by_parent,
        'policies': policies,
        'attachments': attachments,
        # Who runs the exporter: the profiles of the fake's configuration.
        'profiles': {
            'default': {'region': 'us-east-1', 'account': MGMT,
                        'user': 'platform-admin'},
            'estate-admin': {'region': 'eu-west-1', 'account': MGMT,
                             'user': 'estate-reader'},
            'no-region': {'account': MGMT, 'user': 'estate-reader'},
        },
    }


# ---------------------------------------------------------------- accounts

class Account:
    def __init__(self, aid):
        self.id = aid
        self.roles = []
        self.attached = {}
        self.inline = {}
        self.regions = {r: {
            'kms': {'keys': [], 'policies': {}, 'aliases': []},
            'imagebuilder': {'pipelines': [], 'recipes': [], 'container_recipes': [],
                             'distributions': [], 'lifecycle_policies': [], 'components': [],
                             'images': [], 'infrastructure': []},
            'ec2': {'images': [], 'snapshots': []},
            'ram': {'shares': [], 'resources': [], 'principals': []},
        } for r in REGIONS}

    def role(self, name, trust, managed=(), inline=None, path='/', description=None, tags=None,
             last_used=None):
        created = 1640995200 + int(h('role', self.id, name, n=6), 16) % (2 * 365 * DAY)
        r = {'Path': path, 'RoleName': name, 'RoleId': upper_id('AROA', self.id, name),
             'Arn': 'arn:aws:iam::%s:role%s%s' % (self.id, path, name),
             'CreateDate': created, 'AssumeRolePolicyDocument': iam_doc(trust)}
        if description:
            r['Description'] = description
        r['MaxSessionDuration'] = 3600
        if tags:
            r['Tags'] = [{'Key': k, 'Value': v} for k, v in tags.items()]
        r['RoleLastUsed'] = ({'LastUsedDate': last_used[0], 'Region': last_used[1]}
                             if last_used else {})
        self.roles.append(r)
        self.attached[name] = [{'PolicyName': m.rsplit('/', 1)[1], 'PolicyArn': m} for m in managed]
        self.inline[name] = {k: iam_doc(v) for k, v in (inline or {}).items()}

    def data(self):
        return {'id': self.id, 'iam': {'roles': sorted(self.roles, key=lambda r: r['RoleName']),
                                       'attached': self.attached, 'inline': self.inline},
                'regions': self.regions}


MANAGED = {
    'admin': 'arn:aws:iam::aws:policy/AdministratorAccess',
    'distribution': 'arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess',
    'lifecycle': 'arn:aws:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy',
    'instance': 'arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder',
    'ecr': 'arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilderECRContainerBuilds',
    'ssm': 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    'slr': 'arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForImageBuilder',
}


def trust_account(*accounts):
    return {'Version': '2012-10-17', 'Statement': [{
        'Effect': 'Allow',
        'Principal': {'AWS': ['arn:aws:iam::%s:root' % a for a in accounts]
                      if len(accounts) > 1 else 'arn:aws:iam::%s:root' % accounts[0]},
        'Action': 'sts:AssumeRole'}]}


def trust_service(service, condition=None):
    st = {'Effect': 'Allow', 'Principal': {'Service': service}, 'Action': 'sts:AssumeRole'}
    if condition:
        st['Condition'] = condition
    return {'Version': '2012-10-17', 'Statement': [st]}


def add_key(acct, region, kid, alias=None, description='', state='Enabled', policy=None,
            multi_region=None, created=None):
    created = created or (1672531200 + int(h('key', acct.id, region, kid, n=6), 16) % (365 * DAY)
                          + 0.512)
    meta = {'AWSAccountId': acct.id, 'KeyId': kid, 'Arn': key_arn(region, acct.id, kid),
            'CreationDate': created, 'Enabled': state == 'Enabled', 'Description': description,
            'KeyUsage': 'ENCRYPT_DECRYPT', 'KeyState': state}
    if state == 'PendingDeletion':
        meta['DeletionDate'] = NOW + 21 * DAY + 0.25
    meta.update({'Origin': 'AWS_KMS', 'KeyManager': 'CUSTOMER' if policy else 'AWS',
                 'CustomerMasterKeySpec': 'SYMMETRIC_DEFAULT', 'KeySpec': 'SYMMETRIC_DEFAULT',
                 'EncryptionAlgorithms': ['SYMMETRIC_DEFAULT'],
                 'MultiRegion': multi_region is not None})
    if multi_region is not None:
        meta['MultiRegionConfiguration'] = multi_region
    if state == 'PendingDeletion':
        meta['PendingDeletionWindowInDays'] = 30
    kms = acct.regions[region]['kms']
    kms['keys'].append(meta)
    kms['policies'][kid] = json.dumps(policy if policy else aws_managed_key_policy(acct.id, region),
                                      indent=2)
    if alias:
        kms['aliases'].append({'AliasName': alias,
                               'AliasArn': 'arn:aws:kms:%s:%s:%s' % (region, acct.id, alias),
                               'TargetKeyId': kid, 'CreationDate': created,
                               'LastUpdatedDate': created})
    return meta['Arn']


def aws_managed_key_policy(account, region):
    return {'Version': '2012-10-17', 'Id': 'auto-ebs-2', 'Statement': [
        {'Sid': 'Allow access through EBS for all principals in the account that are authorized to use EBS',
         'Effect': 'Allow', 'Principal': {'AWS': '*'},
         'Action': ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*',
                    'kms:CreateGrant', 'kms:DescribeKey'],
         'Resource': '*',
         'Condition': {'StringEquals': {'kms:ViaService': 'ec2.%s.amazonaws.com' % region,
                                        'kms:CallerAccount': account}}},
        {'Sid': 'Allow direct access to key metadata to the account', 'Effect': 'Allow',
         'Principal': {'AWS': 'arn:aws:iam::%s:root' % account},
         'Action': ['kms:Describe*', 'kms:Get*', 'kms:List*', 'kms:RevokeGrant'],
         'Resource': '*'}]}


def factory_key_policy(account):
    return {'Version': '2012-10-17', 'Id': 'ami-factory', 'Statement': [
        {'Sid': 'KeyAdministration', 'Effect': 'Allow',
         'Principal': {'AWS': 'arn:aws:iam::%s:root' % account}, 'Action': 'kms:*', 'Resource': '*'},
        {'Sid': 'AllowOrganizationUse', 'Effect': 'Allow', 'Principal': {'AWS': '*'},
         'Action': ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*',
                    'kms:GenerateDataKey*', 'kms:CreateGrant'],
         'Resource': '*', 'Condition': {'StringEquals': {'aws:PrincipalOrgID': ORG}}},
        {'Sid': 'AllowWorkloadsDistribution', 'Effect': 'Allow', 'Principal': {'AWS': '*'},
         'Action': ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:CreateGrant', 'kms:DescribeKey',
                    'kms:GenerateDataKeyWithoutPlaintext'],
         'Resource': '*',
         'Condition': {'ForAnyValue:StringLike': {
             'aws:PrincipalOrgPaths': ['%s/%s/%s/*' % (ORG, ROOT, OU['Workloads'])]},
             'ArnLike': {'aws:PrincipalArn':
                         'arn:aws:iam::*:role/EC2ImageBuilderDistributionCrossAccountRole'}}}]}


def own_key_policy(account, sid='KeyAdministration'):
    return {'Version': '2012-10-17', 'Id': 'key-consolepolicy-3', 'Statement': [
        {'Sid': sid, 'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::%s:root' % account},
         'Action': 'kms:*', 'Resource': '*'}]}


def build_accounts():
    accts = {a: Account(a) for a in NAMES}
    ebs_key = {}
    for a, acct in accts.items():
        for r in REGIONS:
            kid = uuid_of('aws/ebs', a, r)
            ebs_key[(a, r)] = add_key(acct, r, kid, alias='alias/aws/ebs',
                                      description='Default key that protects my EBS volumes when no '
                                                  'other key is defined')
            kms = acct.regions[r]['kms']
            kms['aliases'].append({'AliasName': 'alias/aws/ssm',
                                   'AliasArn': 'arn:aws:kms:%s:%s:alias/aws/ssm' % (r, a)})
            kms['aliases'].sort(key=lambda x: x['AliasName'])

    # Member accounts: the organization's access role.
    for a, acct in accts.items():
        if a != MGMT and a != SUSPENDED:
            acct.role('OrganizationAccountAccessRole', trust_account(MGMT), [MANAGED['admin']],
                      last_used=(NOW - 3 * DAY, 'us-east-1'))

    # Workload accounts receive copies.
    for a in PROD + NONPROD + DEV:
        if a == DEV[14]:
            continue            # dev-15 never got the distribution role
        trusted = (FACTORY, SHARED) if a in NONPROD else (FACTORY,)
        trust = trust_account(*trusted)
        if a == PROD[19]:
            trust = trust_account(SHARED)   # prod-20 trusts the wrong account
        accts[a].role('EC2ImageBuilderDistributionCrossAccountRole', trust,
                      [MANAGED['distribution']],
                      inline={'use-factory-keys': {'Version': '2012-10-17', 'Statement': [{
                          'Sid': 'UseFactoryKeys', 'Effect': 'Allow',
                          'Action': ['kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKeyWithoutPlaintext',
                                     'kms:DescribeKey', 'kms:CreateGrant'],
                          'Resource': 'arn:aws:kms:*:%s:key/*' % FACTORY}]}},
                      description='Lets EC2 Image Builder in the image factory copy AMIs here',
                      tags={'owner': 'platform'}, last_used=(NOW - DAY, 'us-east-1'))
    for a in PROD:
        accts[a].role('Ec2ImageBuilderCrossAccountLifecycleAccess',
                      trust_service('imagebuilder.amazonaws.com',
                                    {'StringEquals': {'aws:SourceAccount': FACTORY},
                                     'ArnLike': {'aws:SourceArn': 'arn:*:imagebuilder:*:*:image/*/*/*'}}),
                      [MANAGED['lifecycle']])
    for a in PROD:
        add_key(accts[a], 'us-east-1', uuid_of('ebs-workloads', a), alias='alias/ebs-workloads',
                description='Workload volumes', policy=own_key_policy(a))

    f = accts[FACTORY]
    f.role('EC2ImageBuilderLifecycleExecutionRole', trust_service('imagebuilder.amazonaws.com'),
           [MANAGED['lifecycle']], description='Runs the image factory lifecycle policies')
    f.role('EC2InstanceProfileForImageBuilder', trust_service('ec2.amazonaws.com'),
           [MANAGED['instance'], MANAGED['ssm']],
           inline={'read-build-artifacts': {'Version': '2012-10-17', 'Statement': [{
               'Effect': 'Allow', 'Action': ['s3:GetObject'],
               'Resource': 'arn:aws:s3:::image-factory-artifacts/*'}]},
               'use-factory-keys': {'Version': '2012-10-17', 'Statement': [{
                   'Effect': 'Allow', 'Action': ['kms:Decrypt', 'kms:GenerateDataKey*'],
                   'Resource': 'arn:aws:kms:*:%s:key/*' % FACTORY}]}})
    f.role('AWSServiceRoleForImageBuilder', trust_service('imagebuilder.amazonaws.com'),
           [MANAGED['slr']], path='/aws-service-role/imagebuilder.amazonaws.com/',
           description='Allows EC2 Image Builder to call AWS services on your behalf.')
    f.role('ImageBuilderWorkflowRole', trust_service('imagebuilder.amazonaws.com'),
           [], inline={'workflows': {'Version': '2012-10-17', 'Statement': [{
               'Effect': 'Allow', 'Action': ['ssm:SendCommand', 'ec2:CreateTags'], 'Resource': '*'}]}})
    f.role('ci-deployer', trust_account(SHARED), [MANAGED['admin']])
    s = accts[SHARED]
    s.role('EC2InstanceProfileForImageBuilderECRContainerBuilds', trust_service('ec2.amazonaws.com'),
           [MANAGED['ecr'], MANAGED['ssm']])
    s.role('EC2InstanceProfileForImageBuilder', trust_service('ec2.amazonaws.com'),
           [MANAGED['instance'], MANAGED['ssm']])
    s.role('AWSServiceRoleForImageBuilder', trust_service('imagebuilder.amazonaws.com'),
           [MANAGED['slr']], path='/aws-service-role/imagebuilder.amazonaws.com/')
    accts[AUDIT].role('SecurityAudit', trust_account(MGMT), ['arn:aws:iam::aws:policy/SecurityAudit'])
    accts[MGMT].role('estate-reader', trust_account(MGMT), ['arn:aws:iam::aws:policy/ReadOnlyAccess'])

    # Keys of the image factory and shared services.
    fkey = {}
    for r in REGIONS:
        fkey[r] = add_key(f, r, uuid_of('ami-factory', r), alias='alias/ami-factory',
                          description='Image factory AMIs', policy=factory_key_policy(FACTORY))
    mrk = 'mrk-' + h('mrk', n=32)
    mrk_cfg = lambda: {'MultiRegionKeyType': 'PRIMARY',
                       'PrimaryKey': {'Arn': key_arn('eu-west-1', FACTORY, mrk), 'Region': 'eu-west-1'},
                       'ReplicaKeys': [{'Arn': key_arn('us-east-1', FACTORY, mrk), 'Region': 'us-east-1'}]}
    mrk_eu = add_key(f, 'eu-west-1', mrk, alias='alias/ami-factory-mrk',
                     description='Ubuntu images (multi-Region)', policy=factory_key_policy(FACTORY),
                     multi_region=mrk_cfg())
    replica = mrk_cfg()
    replica['MultiRegionKeyType'] = 'REPLICA'
    add_key(f, 'us-east-1', mrk, alias='alias/ami-factory-mrk', description='Ubuntu images (multi-Region)',
            policy=factory_key_policy(FACTORY), multi_region=replica)
    add_key(f, 'eu-west-1', uuid_of('old-ami-key'), alias='alias/old-ami-key',
            description='Retired image key', state='Disabled', policy=own_key_policy(FACTORY))
    add_key(f, 'us-east-1', uuid_of('scratch-key'), description='Scratch key',
            state='PendingDeletion', policy=own_key_policy(FACTORY))
    comp_key = add_key(s, 'us-east-1', uuid_of('components'), alias='alias/components',
                       description='Image Builder components',
                       policy=factory_key_policy(SHARED))
    add_key(s, 'us-east-1', uuid_of('container-images'), alias='alias/container-images',
            description='Container images', policy=own_key_policy(SHARED))
    for a in accts.values():
        for r in REGIONS:
            a.regions[r]['kms']['aliases'].sort(key=lambda x: x['AliasName'])
    return accts, ebs_key, fkey, mrk_eu, comp_key


# ---------------------------------------------------------------- Image Builder

def ib_date(t):
    return iso_ms(t)


def component(acct, region, name, version, desc, kms=None, created=None, platform='Linux',
              ctype='BUILD'):
    created = created or NOW - 200 * DAY + int(h('comp', name, version, n=4), 16) % (100 * DAY)
    c = {'arn': ib_arn(region, acct.id, 'component', name, version, '1'), 'name': name,
         'version': version, 'description': desc, 'changeDescription': 'Version %s' % version,
         'type': ctype, 'platform': platform,
         'supportedOsVersions': ['Amazon Linux 2023'] if platform == 'Linux' else
         ['Microsoft Windows Server 2022'],
         'state': {'status': 'ACTIVE'}, 'owner': acct.id,
         'data': 'name: %s\ndescription: %s\nschemaVersion: 1.0\nphases:\n  - name: build\n'
                 '    steps:\n      - name: run\n        action: ExecuteBash\n        inputs:\n'
                 '          commands:\n            - echo %s %s\n' % (name, desc, name, version),
         'encrypted': True, 'dateCreated': ib_date(created), 'tags': {'team': 'platform'},
         'obfuscate': False}
    if kms:
        c['kmsKeyId'] = kms
    acct.regions[region]['imagebuilder']['components'].append(c)
    return c['arn']


def recipe(acct, region, name, version, components, parent, kms, size=20, platform='Linux',
           created=None, ami_tags=None):
    created = created or NOW - 120 * DAY + int(h('recipe', name, version, n=4), 16) % (60 * DAY)
    r = {'arn': ib_arn(region, acct.id, 'image-recipe', name, version), 'type': 'AMI', 'name': name,
         'description': '%s %s' % (name, version), 'platform': platform, 'owner': acct.id,
         'version': version, 'components': [{'componentArn': c} for c in components],
         'parentImage': parent,
         'blockDeviceMappings': [{'deviceName': '/dev/xvda' if platform == 'Linux' else '/dev/sda1',
                                  'ebs': dict({'encrypted': kms is not None, 'deleteOnTermination': True},
                                              **({'kmsKeyId': kms} if kms else {}),
                                              volumeSize=size, volumeType='gp3')}],
         'dateCreated': ib_date(created), 'tags': {'team': 'platform'},
         'workingDirectory': '/tmp' if platform == 'Linux' else 'C:/',
         'additionalInstanceConfiguration': {'systemsManagerAgent': {'uninstallAfterBuild': False}}}
    if ami_tags:
        r['amiTags'] = ami_tags
    acct.regions[region]['imagebuilder']['recipes'].append(r)
    return r['arn']


def infra(acct, region, name, profile):
    c = {'arn': ib_arn(region, acct.id, 'infrastructure-configuration', name), 'name': name,
         'description': 'Builds with %s' % profile, 'dateCreated': ib_date(NOW - 300 * DAY),
         'dateUpdated': ib_date(NOW - 90 * DAY), 'resourceTags': {}, 'tags': {},
         'instanceTypes': ['m6i.large'], 'instanceProfileName': profile}
    acct.regions[region]['imagebuilder']['infrastructure'].append(c)
    return c['arn']


def distribution(acct, region, name, entries, desc=None):
    d = {'arn': ib_arn(region, acct.id, 'distribution-configuration', name), 'name': name,
         'description': desc or 'Distribution of %s' % name, 'distributions': entries,
         'timeoutMinutes': 360, 'dateCreated': ib_date(NOW - 150 * DAY),
         'dateUpdated': ib_date(NOW - 20 * DAY), 'tags': {'team': 'platform'}}
    acct.regions[region]['imagebuilder']['distributions'].append(d)
    return d


def ami_entry(region, name, targets=None, kms=None, launch=None, tags=None, ssm=None, lt=None):
    e = {'region': region, 'amiDistributionConfiguration': {
        'name': '%s {{imagebuilder:buildDate}}' % name,
        'description': '%s built by the image factory' % name}}
    ami = e['amiDistributionConfiguration']
    if targets:
        ami['targetAccountIds'] = list(targets)
    if tags:
        ami['amiTags'] = tags
    if kms:
        ami['kmsKeyId'] = kms
    if launch:
        ami['launchPermission'] = launch
    if lt:
        e['launchTemplateConfigurations'] = lt
    if ssm:
        e['ssmParameterConfigurations'] = ssm
    return e


class Pipeline:
    def __init__(self, acct, region, name, schedule, recipe_arn=None, container_arn=None,
                 dist=None, infra_arn=None, status='ENABLED', platform='Linux', builds=(),
                 execution_role=None, recipe_kms=None, size=20, arch='x86_64', tags=None):
        self.acct, self.region, self.name = acct, region, name
        self.dist, self.builds, self.platform = dist, builds, platform
        self.recipe_kms, self.size, self.arch = recipe_kms, size, arch
        self.version = (recipe_arn or container_arn).rsplit('/', 1)[1]
        self.container = container_arn is not None
        p = {'arn': ib_arn(region, acct.id, 'image-pipeline', name), 'name': name,
             'description': '%s pipeline' % name, 'platform': platform,
             'enhancedImageMetadataEnabled': True}
        if recipe_arn:
            p['imageRecipeArn'] = recipe_arn
        if container_arn:
            p['containerRecipeArn'] = container_arn
        p['infrastructureConfigurationArn'] = infra_arn
        if dist:
            p['distributionConfigurationArn'] = dist['arn']
        p['imageTestsConfiguration'] = {'imageTestsEnabled': True, 'timeoutMinutes': 720}
        if schedule:
            p['schedule'] = schedule
        p['status'] = status
        p['dateCreated'] = ib_date(NOW - 180 * DAY)
        p['dateUpdated'] = ib_date(NOW - 30 * DAY)
        if builds:
            p['dateLastRun'] = ib_date(builds[-1][0])
        if schedule and status == 'ENABLED':
            p['dateNextRun'] = ib_date(NOW + 2 * 3600)
        p['tags'] = tags or {'team': 'platform'}
        p['imageTags'] = {'pipeline': name}
        if execution_role:
            p['executionRole'] = execution_role
        acct.regions[region]['imagebuilder']['pipelines'].append(p)


def cron(expr, condition='EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE', tz=None, disable=None):
    s = {'scheduleExpression': expr}
    if tz:
        s['timezone'] = tz
    s['pipelineExecutionStartCondition'] = condition
    if disable:
        s['autoDisablePolicy'] = {'failureCount': disable}
    return s


def build_image_builder(accts, ebs_key, fkey, mrk_eu, comp_key):
    f, s = accts[FACTORY], accts[SHARED]
    # Components: shared services' hardening (shared with the organization by RAM),
    # the factory's own agent in both build regions.
    hard_10 = component(s, 'us-east-1', 'hardening', '1.0.0', 'CIS hardening', kms=comp_key)
    hard_11 = component(s, 'us-east-1', 'hardening', '1.1.0', 'CIS hardening', kms=comp_key)
    component(s, 'us-east-1', 'cis-level1-test', '1.0.0', 'CIS level 1 checks', kms=comp_key,
              ctype='TEST')
    agent = {r: component(f, r, 'factory-agent', '2.0.0', 'Factory monitoring agent')
             for r in ('us-east-1', 'eu-west-1', 'ap-southeast-2')}
    win_agent = component(f, 'us-east-1', 'factory-agent-windows', '1.3.0', 'Factory agent (Windows)',
                          platform='Windows')
    update = 'arn:aws:imagebuilder:%s:aws:component/update-linux/x.x.x'

    fi = {r: infra(f, r, 'factory-build', 'EC2InstanceProfileForImageBuilder') for r in REGIONS}
    s_ami = infra(s, 'us-east-1', 'ami-build', 'EC2InstanceProfileForImageBuilder')
    s_ctr = infra(s, 'us-east-1', 'container-build', 'EC2InstanceProfileForImageBuilderECRContainerBuilds')

    ssm_al2023 = 'ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'
    recipe(f, 'us-east-1', 'golden-al2023', '1.1.0', [update % 'us-east-1', hard_10, agent['us-east-1']],
           ssm_al2023, fkey['us-east-1'], created=NOW - 170 * DAY)
    r_golden = recipe(f, 'us-east-1', 'golden-al2023', '1.2.0',
                      [update % 'us-east-1', hard_11, agent['us-east-1']], ssm_al2023, fkey['us-east-1'],
                      ami_tags={'image-family': 'golden'}, created=NOW - 90 * DAY)
    r_arm = recipe(f, 'us-east-1', 'golden-al2023-arm', '1.0.4',
                   [update % 'us-east-1', hard_11, agent['us-east-1']],
                   'ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64',
                   fkey['us-east-1'])
    r_win = recipe(f, 'us-east-1', 'golden-windows-2022', '3.0.1',
                   ['arn:aws:imagebuilder:us-east-1:aws:component/update-windows/x.x.x', win_agent],
                   'arn:aws:imagebuilder:us-east-1:aws:image/windows-server-2022-english-full-base-x86/x.x.x',
                   fkey['us-east-1'], size=60, platform='Windows')
    r_ubuntu = recipe(f, 'eu-west-1', 'golden-ubuntu-2204', '1.5.0',
                      [agent['eu-west-1']], 'ami-0a1b2c3d4e5f60718', mrk_eu)
    golden_images = ib_arn('us-east-1', FACTORY, 'image', 'golden-al2023', 'x.x.x')
    r_py = recipe(f, 'us-east-1', 'python-runtime', '3.12.0', [agent['us-east-1']], golden_images,
                  fkey['us-east-1'])
    r_java = recipe(f, 'us-east-1', 'java-runtime', '21.0.2', [agent['us-east-1']], golden_images,
                    fkey['us-east-1'])
    r_apac = recipe(f, 'ap-southeast-2', 'golden-al2023-apac', '1.0.0',
                    [update % 'ap-southeast-2', agent['ap-southeast-2']], ssm_al2023,
                    fkey['ap-southeast-2'])
    r_edge = recipe(f, 'eu-west-1', 'edge-appliance', '0.9.0', [agent['eu-west-1']],
                    'ami-0f1e2d3c4b5a69788', None, size=8)
    r_base = recipe(s, 'us-east-1', 'hardened-base', '1.0.0', [hard_11], ssm_al2023, None)
    ctr = {'arn': ib_arn('us-east-1', SHARED, 'container-recipe', 'platform-tools', '1.0.0'),
           'containerType': 'DOCKER', 'name': 'platform-tools', 'description': 'Platform CLI tools',
           'platform': 'Linux', 'owner': SHARED, 'version': '1.0.0',
           'components': [{'componentArn': hard_11}],
           'instanceConfiguration': {'image': 'ami-0c0ffee0c0ffee012', 'blockDeviceMappings': [
               {'deviceName': '/dev/xvda', 'ebs': {'encrypted': True, 'deleteOnTermination': True,
                                                   'volumeSize': 30, 'volumeType': 'gp3'}}]},
           'dockerfileTemplateData': 'FROM {{{ imagebuilder:parentImage }}}\n'
                                     '{{{ imagebuilder:environments }}}\n'
                                     '{{{ imagebuilder:components }}}\n',
           'kmsKeyId': key_arn('us-east-1', SHARED, uuid_of('container-images')),
           'encrypted': True, 'parentImage': 'amazonlinux:2023', 'dateCreated': ib_date(NOW - 60 * DAY),
           'tags': {'team': 'platform'}, 'workingDirectory': '/tmp',
           'targetRepository': {'service': 'ECR', 'repositoryName': 'image-builder-platform-tools'}}
    s.regions['us-east-1']['imagebuilder']['container_recipes'].append(ctr)

    # Distribution configurations.
    d_golden = distribution(f, 'us-east-1', 'golden-al2023', [
        ami_entry('us-east-1', 'golden-al2023', PROD, fkey['us-east-1'],
                  {'organizationalUnitArns': [ou_arn('Workloads')]}, {'image-family': 'golden'}),
        ami_entry('eu-west-1', 'golden-al2023', PROD[:5], fkey['eu-west-1'],
                  {'organizationalUnitArns': [ou_arn('Workloads')]}, {'image-family': 'golden'}),
        ami_entry('ap-southeast-2', 'golden-al2023', None, fkey['ap-southeast-2'],
                  {'organizationArns': [ORG_ARN]}, {'image-family': 'golden'})])
    d_arm = distribution(f, 'us-east-1', 'golden-al2023-arm', [
        ami_entry('us-east-1', 'golden-al2023-arm', NONPROD + DEV[:5], fkey['us-east-1']),
        ami_entry('eu-west-1', 'golden-al2023-arm', None, fkey['eu-west-1'],
                  {'userIds': NONPROD[:3]})])
    d_win = distribution(f, 'us-east-1', 'golden-windows-2022', [
        ami_entry('us-east-1', 'golden-windows-2022', PROD[:10], fkey['us-east-1'],
                  lt=[{'launchTemplateId': 'lt-0a1b2c3d4e5f60718', 'accountId': PROD[0],
                       'setDefaultVersion': True},
                      {'launchTemplateId': 'lt-0123456789abcdef0', 'setDefaultVersion': False}])])
    d_ubuntu = distribution(f, 'eu-west-1', 'golden-ubuntu-2204', [
        ami_entry('eu-west-1', 'golden-ubuntu-2204', DEV, mrk_eu,
                  ssm=[{'parameterName': '/golden/ubuntu-2204/latest', 'dataType': 'aws:ec2:image'}]),
        ami_entry('us-east-1', 'golden-ubuntu-2204', None, key_arn('us-east-1', FACTORY, mrk_eu.rsplit('/', 1)[1]),
                  {'userIds': DEV[:2]})])
    d_py = distribution(f, 'us-east-1', 'python-runtime', [
        ami_entry('us-east-1', 'python-runtime', NONPROD, fkey['us-east-1'], {'userIds': DEV[:3]})])
    d_java = distribution(f, 'us-east-1', 'java-runtime', [
        ami_entry('us-east-1', 'java-runtime', NONPROD[:5] + PROD[10:15], fkey['us-east-1'])])
    d_apac = distribution(f, 'ap-southeast-2', 'golden-al2023-apac', [
        ami_entry('ap-southeast-2', 'golden-al2023-apac', PROD[:10], fkey['ap-southeast-2'])])
    d_edge = distribution(f, 'eu-west-1', 'edge-appliance', [ami_entry('eu-west-1', 'edge-appliance')])
    d_base = distribution(s, 'us-east-1', 'hardened-base', [
        ami_entry('us-east-1', 'hardened-base', None, None, {'organizationArns': [ORG_ARN]}),
        ami_entry('eu-west-1', 'hardened-base')])

    def times(count, every, hour, last=1):
        # builds every `every` days at `hour` UTC, the last `last` days ago
        out = []
        for k in range(count):
            t = NOW - (last + (count - 1 - k) * every) * DAY + hour * 3600
            t += 60 * (int(h('build', hour, k, n=4), 16) % 50) + 7
            out.append((t, 'AVAILABLE'))
        return out

    arm_builds = times(6, 3, 3)
    arm_builds.insert(3, (arm_builds[2][0] + DAY, 'FAILED'))
    pipes = [
        Pipeline(f, 'us-east-1', 'golden-al2023', cron('cron(0 2 * * ? *)'), r_golden, dist=d_golden,
                 infra_arn=fi['us-east-1'], builds=times(10, 5, 2), recipe_kms=fkey['us-east-1']),
        Pipeline(f, 'us-east-1', 'golden-al2023-arm', cron('cron(0 3 * * ? *)'), r_arm, dist=d_arm,
                 infra_arn=fi['us-east-1'], builds=arm_builds, recipe_kms=fkey['us-east-1'], arch='arm64'),
        Pipeline(f, 'us-east-1', 'golden-windows-2022',
                 cron('cron(0 4 ? * SUN *)', 'EXPRESSION_MATCH_ONLY', disable=3), r_win, dist=d_win,
                 infra_arn=fi['us-east-1'], builds=times(4, 7, 4), platform='Windows',
                 execution_role='arn:aws:iam::%s:role/ImageBuilderWorkflowRole' % FACTORY,
                 recipe_kms=fkey['us-east-1'], size=60),
        Pipeline(f, 'eu-west-1', 'golden-ubuntu-2204', cron('cron(30 1 * * ? *)', tz='Europe/Dublin'),
                 r_ubuntu, dist=d_ubuntu, infra_arn=fi['eu-west-1'], builds=times(7, 4, 1),
                 recipe_kms=mrk_eu),
        Pipeline(f, 'us-east-1', 'python-runtime', cron('cron(0 6 * * ? *)'), r_py, dist=d_py,
                 infra_arn=fi['us-east-1'], builds=times(5, 5, 6), recipe_kms=fkey['us-east-1']),
        Pipeline(f, 'us-east-1', 'java-runtime', cron('cron(30 6 * * ? *)'), r_java, dist=d_java,
                 infra_arn=fi['us-east-1'], builds=times(5, 5, 6), recipe_kms=fkey['us-east-1']),
        Pipeline(f, 'ap-southeast-2', 'golden-al2023-apac',
                 cron('cron(0 14 * * ? *)', 'EXPRESSION_MATCH_ONLY', tz='Australia/Sydney'), r_apac,
                 dist=d_apac, infra_arn=fi['ap-southeast-2'], status='DISABLED',
                 builds=times(3, 10, 14, last=20), recipe_kms=fkey['ap-southeast-2']),
        Pipeline(f, 'eu-west-1', 'edge-appliance', None, r_edge, dist=d_edge, infra_arn=fi['eu-west-1'],
                 builds=times(2, 15, 9), size=8),
        Pipeline(s, 'us-east-1', 'platform-tools', cron('cron(0 5 ? * MON-FRI *)'),
                 container_arn=ctr['arn'], infra_arn=s_ctr, builds=times(4, 2, 5)),
        Pipeline(s, 'us-east-1', 'hardened-base', cron('cron(0 0 1 * ? *)', 'EXPRESSION_MATCH_ONLY'),
                 r_base, dist=d_base, infra_arn=s_ami, builds=times(6, 8, 0)),
    ]

    # Lifecycle policies of the factory.
    lc = {'arn': ib_arn('us-east-1', FACTORY, 'lifecycle-policy', 'golden-retention'),
          'name': 'golden-retention', 'description': 'Deprecate after 30 days, keep the newest 10',
          'status': 'ENABLED', 'executionRole': 'EC2ImageBuilderLifecycleExecutionRole',
          'resourceType': 'AMI_IMAGE',
          'policyDetails': [
              {'action': {'type': 'DEPRECATE', 'includeResources': {'amis': True}},
               'filter': {'type': 'AGE', 'value': 30, 'unit': 'DAYS'}},
              {'action': {'type': 'DELETE', 'includeResources': {'amis': True, 'snapshots': True}},
               'filter': {'type': 'COUNT', 'value': 10},
               'exclusionRules': {'amis': {'tagMap': {'keep': 'true'}}}}],
          'resourceSelection': {'recipes': [{'name': 'golden-al2023', 'semanticVersion': '1.x.x'},
                                            {'name': 'golden-al2023-arm', 'semanticVersion': '1.x.x'}]},
          'dateCreated': NOW - 100 * DAY + 0.5, 'dateUpdated': NOW - 40 * DAY + 0.5,
          'dateLastRun': NOW - DAY + 3 * 3600 + 0.5, 'tags': {'team': 'platform'}}
    f.regions['us-east-1']['imagebuilder']['lifecycle_policies'].append(lc)
    lc2 = {'arn': ib_arn('eu-west-1', FACTORY, 'lifecycle-policy', 'ubuntu-cleanup'),
           'name': 'ubuntu-cleanup', 'description': 'Delete Ubuntu images older than 6 months',
           'status': 'DISABLED',
           'executionRole': 'arn:aws:iam::%s:role/EC2ImageBuilderLifecycleExecutionRole' % FACTORY,
           'resourceType': 'AMI_IMAGE',
           'policyDetails': [
               {'action': {'type': 'DELETE', 'includeResources': {'amis': True, 'snapshots': True}},
                'filter': {'type': 'AGE', 'value': 6, 'unit': 'MONTHS', 'retainAtLeast': 2},
                'exclusionRules': {'tagMap': {'pinned': 'true'},
                                   'amis': {'regions': ['us-east-1'], 'lastLaunched': {'value': 30, 'unit': 'DAYS'}}}}],
           'resourceSelection': {'tagMap': {'pipeline': 'golden-ubuntu-2204'}},
           'dateCreated': NOW - 60 * DAY + 0.5, 'dateUpdated': NOW - 60 * DAY + 0.5,
           'tags': {'team': 'platform'}}
    f.regions['eu-west-1']['imagebuilder']['lifecycle_policies'].append(lc2)
    return pipes, (hard_11, ib_arn('us-east-1', SHARED, 'image-recipe', 'hardened-base', '1.0.0'))


# ---------------------------------------------------------------- images and AMIs

def ami_id(*parts):
    return 'ami-' + h('ami', *parts)


def snap_id(*parts):
    return 'snap-' + h('snap', *parts)


def add_ami(accts, owner, region, image_id, name, description, created, size, encrypted, key,
            platform='Linux', arch='x86_64', tags=None, deprecation=None, state='available',
            source=None):
    a = accts[owner].regions[region]['ec2']
    sid = snap_id(owner, region, image_id)
    windows = platform == 'Windows'
    root = '/dev/sda1' if windows else '/dev/xvda'
    img = {'PlatformDetails': 'Windows' if windows else 'Linux/UNIX',
           'UsageOperation': 'RunInstances:0002' if windows else 'RunInstances',
           'BlockDeviceMappings': [{'Ebs': {'DeleteOnTermination': True, 'SnapshotId': sid,
                                            'VolumeSize': size, 'VolumeType': 'gp3',
                                            'Encrypted': encrypted},
                                    'DeviceName': root}],
           'Description': description, 'EnaSupport': True, 'Hypervisor': 'xen', 'Name': name,
           'RootDeviceName': root, 'RootDeviceType': 'ebs', 'SriovNetSupport': 'simple'}
    if tags:
        img['Tags'] = [{'Key': k, 'Value': v} for k, v in tags.items()]
    img['VirtualizationType'] = 'hvm'
    img['BootMode'] = 'uefi' if arch == 'arm64' else 'uefi-preferred'
    if deprecation:
        img['DeprecationTime'] = iso_ms(deprecation)
    img['ImdsSupport'] = 'v2.0'
    if source:
        img['SourceImageId'], img['SourceImageRegion'] = source[0], source[1]
    img.update({'ImageId': image_id, 'ImageLocation': '%s/%s' % (owner, name), 'State': state,
                'OwnerId': owner, 'CreationDate': iso_ms(created), 'Public': False,
                'Architecture': arch, 'ImageType': 'machine'})
    if windows:
        img['Platform'] = 'windows'
    a['images'].append(img)
    snap = {'StorageTier': 'standard', 'SnapshotId': sid,
            'VolumeId': 'vol-ffffffff' if source else 'vol-' + h('vol', sid),
            'State': 'completed', 'StartTime': created - 600 + 0.25, 'Progress': '100%',
            'OwnerId': owner,
            'Description': ('Copied for DestinationAmi %s from SourceAmi %s for SourceSnapshot %s. '
                            'Task created on %s.' % (image_id, source[0],
                                                     snap_id(source[2], source[1], source[0]),
                                                     iso_ms(created)[:10])
                            if source else 'Created by CreateImage(i-%s) for %s' % (h('i', image_id), image_id)),
            'VolumeSize': size, 'Encrypted': encrypted}
    if encrypted:
        snap['KmsKeyId'] = key
    a['snapshots'].append(snap)
    return image_id


def build_images(accts, pipes, ebs_key):
    count = 0
    for p in pipes:
        ib = p.acct.regions[p.region]['imagebuilder']
        for n, (t, status) in enumerate(p.builds, start=1):
            version = '%s/%d' % (p.version, n)
            arn = ib_arn(p.region, p.acct.id, 'image', p.name, p.version, str(n))
            summary = {'arn': arn, 'name': p.name, 'type': 'DOCKER' if p.container else 'AMI',
                       'version': version, 'platform': p.platform,
                       'osVersion': 'Microsoft Windows Server 2022' if p.platform == 'Windows'
                       else 'Amazon Linux 2023',
                       'state': {'status': status}, 'owner': p.acct.id, 'dateCreated': ib_date(t)}
            amis = []
            done = t + 50 * 60
            deprecated = None
            if p.name == 'golden-al2023' and NOW - done > 30 * DAY:
                deprecated = done + 30 * DAY      # by the lifecycle policy
            if p.name == 'edge-appliance':
                deprecated = done + 5 * DAY       # by hand: the whole version is deprecated
            if status == 'AVAILABLE' and p.container:
                summary['outputResources'] = {'containers': [{'region': p.region, 'imageUris': [
                    '%s.dkr.ecr.%s.amazonaws.com/image-builder-platform-tools:%s-%d'
                    % (p.acct.id, p.region, p.version, n)]}]}
            elif status == 'AVAILABLE':
                stamp = datetime.datetime.fromtimestamp(done, datetime.timezone.utc).strftime(
                    '%Y-%m-%dT%H-%M-%SZ')
                build_id = None
                for entry in p.dist['distributions']:
                    r = entry['region']
                    cfg = entry['amiDistributionConfiguration']
                    name = cfg['name'].replace('{{imagebuilder:buildDate}}', stamp)
                    key = cfg.get('kmsKeyId') or (p.recipe_kms if r == p.region else None)
                    encrypted = p.recipe_kms is not None or key is not None
                    if encrypted and key is None:
                        key = ebs_key[(p.acct.id, r)]
                    tags = {'CreatedBy': 'EC2 Image Builder', 'Ec2ImageBuilderArn': arn}
                    tags.update(cfg.get('amiTags', {}))
                    src = add_ami(accts, p.acct.id, r, ami_id(arn, r, p.acct.id), name,
                                  cfg['description'], done, p.size, encrypted, key, p.platform,
                                  p.arch, tags, deprecated,
                                  source=None if r == p.region else (build_id, p.region, p.acct.id))
                    if r == p.region:
                        build_id = src
                    amis.append({'region': r, 'image': src, 'name': name,
                                 'description': cfg['description'],
                                 'state': {'status': 'AVAILABLE'}, 'accountId': p.acct.id})
                    count += 1
                    for target in cfg.get('targetAccountIds', []):
                        tkey = cfg.get('kmsKeyId') or (ebs_key[(target, r)] if encrypted else None)
                        tid = add_ami(accts, target, r, ami_id(arn, r, target), name, cfg['description'],
                                      done + 600, p.size, encrypted, tkey, p.platform, p.arch, tags,
                                      deprecated if target in PROD else None,
                                      source=(src, r, p.acct.id))
                        amis.append({'region': r, 'image': tid, 'name': name,
                                     'description': cfg['description'],
                                     'state': {'status': 'AVAILABLE'}, 'accountId': target})
                        count += 1
                summary['outputResources'] = {'amis': amis}
            if status == 'FAILED':
                summary['state']['reason'] = 'Image build failed: component factory-agent exited 1'
            summary['tags'] = {'pipeline': p.name}
            summary['buildType'] = 'SCHEDULED'
            summary['imageSource'] = 'CUSTOM'
            if deprecated:
                summary['state']['status'] = 'DEPRECATED'
                summary['deprecationTime'] = deprecated + 0.5
                if p.name == 'golden-al2023':
                    summary['lifecycleExecutionId'] = 'lce-' + h('lce', arn)
            ib['images'].append(summary)

    # The rest of the 1,000: AMIs made by hand, not by Image Builder.
    others = SANDBOX[:4] + DEV + NONPROD + [AUDIT, SHARED]
    k = 0
    while count < TOTAL_AMIS:
        owner = others[k % len(others)]
        r = REGIONS[(k // len(others)) % len(REGIONS)]
        t = NOW - (3 + k % 400) * DAY + 3600 * (k % 24)
        encrypted = k % 3 != 0
        state = 'disabled' if k % 97 == 5 else 'available'
        add_ami(accts, owner, r, ami_id('manual', k), 'manual-%s-%04d' % (NAMES[owner], k),
                'Hand-made image %d' % k, t, 8 + 4 * (k % 5), encrypted,
                ebs_key[(owner, r)] if encrypted else None,
                tags={'Name': 'manual-%04d' % k, 'owner': NAMES[owner]} if k % 2 else None,
                deprecation=t + 365 * DAY if k % 11 == 0 else None, state=state)
        count += 1
        k += 1
    return count


def build_shares(accts, shared_resources):
    hard_11, recipe_arn = shared_resources
    s = accts[SHARED].regions['us-east-1']['ram']
    share = 'arn:aws:ram:us-east-1:%s:resource-share/%s' % (SHARED, uuid_of('share', 'platform'))
    t0 = NOW - 80 * DAY + 0.75
    s['shares'].append({'resourceShareArn': share, 'name': 'platform-components',
                        'owningAccountId': SHARED, 'allowExternalPrincipals': False,
                        'status': 'ACTIVE', 'tags': [{'key': 'team', 'value': 'platform'}],
                        'creationTime': t0, 'lastUpdatedTime': t0 + 10 * DAY,
                        'featureSet': 'STANDARD'})
    for arn, rtype in ((hard_11, 'imagebuilder:Component'), (recipe_arn, 'imagebuilder:ImageRecipe')):
        s['resources'].append({'arn': arn, 'type': rtype, 'resourceShareArn': share,
                               'status': 'AVAILABLE', 'creationTime': t0, 'lastUpdatedTime': t0,
                               'resourceRegionScope': 'REGIONAL'})
    s['principals'].append({'id': ORG_ARN, 'resourceShareArn': share, 'creationTime': t0,
                            'lastUpdatedTime': t0, 'external': False})

    f = accts[FACTORY].regions['us-east-1']
    share = 'arn:aws:ram:us-east-1:%s:resource-share/%s' % (FACTORY, uuid_of('share', 'golden'))
    t1 = NOW - 30 * DAY + 0.75
    f['ram']['shares'].append({'resourceShareArn': share, 'name': 'golden-images',
                               'owningAccountId': FACTORY, 'allowExternalPrincipals': True,
                               'status': 'ACTIVE', 'tags': [], 'creationTime': t1,
                               'lastUpdatedTime': t1, 'featureSet': 'STANDARD'})
    newest = [i for i in f['imagebuilder']['images'] if i['name'] == 'golden-al2023'][-1]['arn']
    f['ram']['resources'].append({'arn': newest, 'type': 'imagebuilder:Image', 'resourceShareArn': share,
                                  'status': 'AVAILABLE', 'creationTime': t1, 'lastUpdatedTime': t1,
                                  'resourceRegionScope': 'REGIONAL'})
    for pid, ext in ((ou_arn('Workloads'), False), ('999999999999', True)):
        f['ram']['principals'].append({'id': pid, 'resourceShareArn': share, 'creationTime': t1,
                                       'lastUpdatedTime': t1, 'external': ext})


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: make-estate.py DIR')
    out = sys.argv[1]
    org = organization()
    accts, ebs_key, fkey, mrk_eu, comp_key = build_accounts()
    pipes, shared = build_image_builder(accts, ebs_key, fkey, mrk_eu, comp_key)
    n = build_images(accts, pipes, ebs_key)
    assert n == TOTAL_AMIS, n
    build_shares(accts, shared)
    os.makedirs(os.path.join(out, 'accounts'), exist_ok=True)
    with open(os.path.join(out, 'org.json'), 'w') as f:
        json.dump(org, f, indent=1, sort_keys=True)
    for aid, acct in sorted(accts.items()):
        with open(os.path.join(out, 'accounts', aid + '.json'), 'w') as f:
            json.dump(acct.data(), f, indent=1, sort_keys=True)


if __name__ == '__main__':
    main()
