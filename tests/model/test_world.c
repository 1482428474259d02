/* World tests: organization trees and org paths, accounts made by sets,
 * SCP layers, key and role lookup, opt-in regions. */
#include <string.h>

#include "ams_test.h"
#include "amisim/world.h"

static const char world_yaml[] =
  "amisim: 1\n"
  "horizon: 1d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}, {name: af-south-1, opt_in: true}]\n"
  "organizations:\n"
  "  - id: o-a1b2c3d4e5\n"
  "    management_account: \"111111111111\"\n"
  "    root: r-a1b2\n"
  "    accounts: [\"222222222222\"]\n"
  "    units:\n"
  "      - id: ou-a1b2-aaaaaaaa\n"
  "        name: workloads\n"
  "        accounts: [\"333333333333\"]\n"
  "        units:\n"
  "          - id: ou-a1b2-bbbbbbbb\n"
  "            name: prod\n"
  "            units: [{id: ou-a1b2-cccccccc, name: payments}]\n"
  "    scps:\n"
  "      - {target: r-a1b2, name: full, policy: {\"Statement\": [{\"Effect\": \"Allow\", "
  "\"Action\": \"*\", \"Resource\": \"*\"}]}}\n"
  "      - {target: ou-a1b2-bbbbbbbb, name: prod-guard, policy: {\"Statement\": [{\"Effect\": "
  "\"Deny\", \"Action\": \"ec2:DeleteSnapshot\", \"Resource\": \"*\"}]}}\n"
  "      - {target: \"400000000001\", name: one-account, policy: {\"Statement\": [{\"Effect\": "
  "\"Allow\", \"Action\": \"ec2:*\", \"Resource\": \"*\"}]}}\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - {id: 1234abcd-12ab-34cd-56ef-1234567890ab, region: us-east-1, alias: alias/ami}\n"
  "      - {id: 2234abcd-12ab-34cd-56ef-1234567890ab, region: eu-west-1, alias: alias/ami, "
  "state: disabled}\n"
  "  - id: \"222222222222\"\n"
  "  - id: \"333333333333\"\n"
  "    enabled_regions: [af-south-1]\n"
  "    block_public_ami_access: false\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: {\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": "
  "\"111111111111\"}, \"Action\": \"sts:AssumeRole\"}]}\n"
  "    kms_keys:\n"
  "      - {id: 3234abcd-12ab-34cd-56ef-1234567890ab, region: eu-west-1}\n"
  "      - {id: mrk-1234abcd12ab34cd56ef1234567890ab, region: us-east-1}\n"
  "      - {id: mrk-1234abcd12ab34cd56ef1234567890ab, region: eu-west-1}\n"
  "account_sets:\n"
  "  - {count: 3, first_id: \"400000000000\", parent: ou-a1b2-cccccccc, like: \"333333333333\", "
  "name_prefix: pay-}\n"
  "  - {count: 2, first_id: \"000000000010\"}\n";

static AmsScenario *
load (void)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("world.yaml", world_yaml, -1, NULL, 0, &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  return sc;
}

static void
test_world_org_paths_and_places (void)
{
  g_autoptr (AmsScenario) sc = load ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  CU_ASSERT_EQUAL (ams_world_n_accounts (w), 3 + 3 + 2);
  CU_ASSERT_EQUAL (ams_world_n_orgs (w), 1);

  const struct
  {
    const char *id;
    const char *path;
  } cases[] = {
    { "111111111111", "o-a1b2c3d4e5/r-a1b2/" }, /* management account: at the root */
    { "222222222222", "o-a1b2c3d4e5/r-a1b2/" },
    { "333333333333", "o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/" },
    { "400000000000", "o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/ou-a1b2-bbbbbbbb/ou-a1b2-cccccccc/" },
    { "400000000002", "o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/ou-a1b2-bbbbbbbb/ou-a1b2-cccccccc/" },
    { "000000000011", NULL },                    /* a set outside any organization */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AmsAccount *a = ams_world_find_account (w, cases[i].id);
      CU_ASSERT_PTR_NOT_NULL_FATAL (a);
      CU_ASSERT_STRING_EQUAL (a->id, cases[i].id);
      if (cases[i].path == NULL)
        {
          CU_ASSERT_PTR_NULL (ams_account_org_path (a));
          CU_ASSERT_PTR_NULL (ams_account_org (a));
        }
      else
        {
          CU_ASSERT_STRING_EQUAL (ams_account_org_path (a), cases[i].path);
          AmsPlace place;
          ams_account_place (a, &place);
          CU_ASSERT_STRING_EQUAL (place.org_id, "o-a1b2c3d4e5");
          CU_ASSERT_STRING_EQUAL (place.org_path, cases[i].path);
        }
    }
  CU_ASSERT_PTR_NULL (ams_world_find_account (w, "400000000003"));
  CU_ASSERT_STRING_EQUAL (ams_world_find_account (w, "400000000001")->name, "pay-2");
  CU_ASSERT_TRUE (ams_account_is_management (ams_world_find_account (w, "111111111111")));
  CU_ASSERT_FALSE (ams_account_is_management (ams_world_find_account (w, "222222222222")));
  CU_ASSERT_STRING_EQUAL (ams_world_find_org (w, "o-a1b2c3d4e5")->arn,
                          "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5");
  const AmsOrgNode *pay = ams_world_find_org_node (w, "ou-a1b2-cccccccc");
  CU_ASSERT_EQUAL (pay->depth, 3);
  CU_ASSERT_STRING_EQUAL (pay->parent->id, "ou-a1b2-bbbbbbbb");
}

static void
test_world_set_accounts_follow_their_template (void)
{
  g_autoptr (AmsScenario) sc = load ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  const AmsAccount *made = ams_world_find_account (w, "400000000001");
  const AmsAccount *bare = ams_world_find_account (w, "000000000010");
  const AmsRegion *af = ams_world_find_region (w, "af-south-1");
  const AmsRegion *us = ams_world_find_region (w, "us-east-1");
  CU_ASSERT_PTR_NOT_NULL (ams_world_find_role (w, made, "EC2ImageBuilderDistributionCrossAccountRole"));
  CU_ASSERT_PTR_NOT_NULL (ams_world_find_role (w, made, "ec2imagebuilderdistributioncrossaccountrole"));
  CU_ASSERT_PTR_NULL (ams_world_find_role (w, bare, "EC2ImageBuilderDistributionCrossAccountRole"));
  CU_ASSERT_TRUE (ams_account_region_enabled (made, af));
  CU_ASSERT_FALSE (ams_account_region_enabled (bare, af));
  CU_ASSERT_TRUE (ams_account_region_enabled (bare, us));
  CU_ASSERT_FALSE (ams_account_blocks_public_amis (made));
  CU_ASSERT_TRUE (ams_account_blocks_public_amis (bare));
}

static void
test_world_scp_layers (void)
{
  g_autoptr (AmsScenario) sc = load ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  AmsScpLayers l;

  /* root (full), workloads (nothing attached: FullAWSAccess, left out), prod, payments (nothing),
   * then the account's own */
  ams_world_scp_layers (w, ams_world_find_account (w, "400000000001"), &l);
  CU_ASSERT_EQUAL_FATAL (l.n, 3);
  CU_ASSERT_STRING_EQUAL (l.name[0], "r-a1b2");
  CU_ASSERT_STRING_EQUAL (l.name[1], "ou-a1b2-bbbbbbbb");
  CU_ASSERT_STRING_EQUAL (l.name[2], "400000000001");
  CU_ASSERT_EQUAL (l.count[0], 1);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (l.layer[1][0]), "SCP prod-guard");

  ams_world_scp_layers (w, ams_world_find_account (w, "333333333333"), &l);
  CU_ASSERT_EQUAL (l.n, 1);
  /* SCPs never apply to the management account, nor outside organizations */
  ams_world_scp_layers (w, ams_world_find_account (w, "111111111111"), &l);
  CU_ASSERT_EQUAL (l.n, 0);
  ams_world_scp_layers (w, ams_world_find_account (w, "000000000010"), &l);
  CU_ASSERT_EQUAL (l.n, 0);

  AmsPolicySet set = { 0 };
  ams_world_scp_layers (w, ams_world_find_account (w, "400000000000"), &l);
  ams_scp_layers_apply (&l, &set);
  CU_ASSERT_EQUAL (set.n_scp_layers, 2);
  CU_ASSERT_PTR_EQUAL (set.scp_layers, l.layer);
}

static void
test_world_key_lookup (void)
{
  g_autoptr (AmsScenario) sc = load ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  const AmsAccount *factory = ams_world_find_account (w, "111111111111");
  const AmsAccount *made = ams_world_find_account (w, "400000000000");
  const AmsRegion *us = ams_world_find_region (w, "us-east-1");
  const AmsRegion *eu = ams_world_find_region (w, "eu-west-1");
  AmsKeyInfo k;

  CU_ASSERT_EQUAL (ams_world_find_key (w, "alias/ami", factory, us, &k), AMS_KEY_FOUND);
  CU_ASSERT_STRING_EQUAL (k.arn, "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  CU_ASSERT_EQUAL (k.state, AMS_KEY_ENABLED);
  CU_ASSERT_EQUAL (ams_world_find_key (w, "alias/ami", factory, eu, &k), AMS_KEY_FOUND);
  CU_ASSERT_EQUAL (k.state, AMS_KEY_DISABLED);
  CU_ASSERT_EQUAL (ams_world_find_key (w, "1234abcd-12ab-34cd-56ef-1234567890ab", factory, eu, &k),
                   AMS_KEY_OTHER_REGION);
  CU_ASSERT_EQUAL (ams_world_find_key (w, "alias/nope", factory, us, &k), AMS_KEY_NOT_FOUND);
  /* ARNs name their own account and region, whoever looks */
  CU_ASSERT_EQUAL (ams_world_find_key (w, "arn:aws:kms:us-east-1:111111111111:alias/ami", made, us,
                                       &k), AMS_KEY_FOUND);
  CU_ASSERT_PTR_EQUAL (k.account, factory);
  CU_ASSERT_EQUAL (ams_world_find_key (w, "arn:aws:kms:us-east-1:111111111111:key/"
                                          "1234abcd-12ab-34cd-56ef-1234567890ab", made, eu, &k),
                   AMS_KEY_OTHER_REGION);
  /* a set account has its template's keys under its own id */
  CU_ASSERT_EQUAL (ams_world_find_key (w, "3234abcd-12ab-34cd-56ef-1234567890ab", made, eu, &k),
                   AMS_KEY_FOUND);
  CU_ASSERT_STRING_EQUAL (k.arn, "arn:aws:kms:eu-west-1:400000000000:key/3234abcd-12ab-34cd-56ef-1234567890ab");
  /* the AWS managed key is everywhere; NULL means it */
  CU_ASSERT_EQUAL (ams_world_find_key (w, NULL, made, us, &k), AMS_KEY_FOUND);
  CU_ASSERT_TRUE (k.aws_managed);
  CU_ASSERT_STRING_EQUAL (k.arn, "arn:aws:kms:us-east-1:400000000000:alias/aws/ebs");

  /* the default key policy lets the account decide; the AWS managed key's only its own account */
  CU_ASSERT_EQUAL (ams_world_find_key (w, "alias/ami", factory, us, &k), AMS_KEY_FOUND);
  const AmsPolicy *def = ams_world_key_policy (w, &k);
  CU_ASSERT_PTR_EQUAL (def, ams_world_key_policy (w, &k)); /* compiled once */
  CU_ASSERT_STRING_EQUAL (ams_policy_name (def), "default key policy of account 111111111111");
  AmsKeyInfo ebs;
  ams_world_find_key (w, NULL, factory, us, &ebs);
  const AmsPolicy *managed = ams_world_key_policy (w, &ebs);
  g_autoptr (AmsContext) ctx = ams_context_new ();
  ams_context_set (ctx, "kms:CallerAccount", "222222222222");
  ams_context_set (ctx, "kms:ViaService", "ec2.us-east-1.amazonaws.com");
  AmsRequest req = {
    .action = "kms:Decrypt", .resource = ebs.arn, .resource_account = "111111111111",
    .principal = "arn:aws:iam::222222222222:role/R", .principal_account = "222222222222",
    .context = ctx,
  };
  CU_ASSERT_EQUAL (ams_policy_evaluate (managed, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
  ams_context_set (ctx, "kms:CallerAccount", "111111111111");
  req.principal = "arn:aws:iam::111111111111:role/R";
  req.principal_account = "111111111111";
  CU_ASSERT_EQUAL (ams_policy_evaluate (managed, &req, NULL), AMS_DECISION_ALLOW);
}

/* A multi-Region key's primary and its replica share an id but are keys of
 * their own (KMS: each has its own key state and key policy). A what-if
 * change to one leaves the other as it was; the change is still seen by
 * every lookup of the one changed. */
static void
test_world_multi_region_key_replicas_apart (void)
{
  g_autoptr (AmsScenario) sc = load ();
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  const AmsAccount *a = ams_world_find_account (w, "333333333333");
  const AmsRegion *us = ams_world_find_region (w, "us-east-1");
  const AmsRegion *eu = ams_world_find_region (w, "eu-west-1");
  const char *id = "mrk-1234abcd12ab34cd56ef1234567890ab";
  AmsKeyInfo primary, replica;
  CU_ASSERT_EQUAL_FATAL (ams_world_find_key (w, id, a, us, &primary), AMS_KEY_FOUND);
  CU_ASSERT_EQUAL_FATAL (ams_world_find_key (w, id, a, eu, &replica), AMS_KEY_FOUND);
  CU_ASSERT_PTR_NOT_EQUAL (primary.key, replica.key);

  /* the primary disabled: the replica stays enabled */
  ams_world_set_key_state (w, &primary, AMS_KEY_DISABLED);
  ams_world_find_key (w, id, a, us, &primary);
  ams_world_find_key (w, id, a, eu, &replica);
  CU_ASSERT_EQUAL (primary.state, AMS_KEY_DISABLED);
  CU_ASSERT_EQUAL (replica.state, AMS_KEY_ENABLED);
  /* ... and the ARN of the primary finds it disabled too */
  CU_ASSERT_EQUAL (ams_world_find_key (w, "arn:aws:kms:us-east-1:333333333333:key/"
                                          "mrk-1234abcd12ab34cd56ef1234567890ab", a, us, &primary),
                   AMS_KEY_FOUND);
  CU_ASSERT_EQUAL (primary.state, AMS_KEY_DISABLED);
  /* the replica scheduled for deletion: the primary is still only disabled */
  ams_world_set_key_state (w, &replica, AMS_KEY_PENDING_DELETION);
  ams_world_find_key (w, id, a, us, &primary);
  ams_world_find_key (w, id, a, eu, &replica);
  CU_ASSERT_EQUAL (primary.state, AMS_KEY_DISABLED);
  CU_ASSERT_EQUAL (replica.state, AMS_KEY_PENDING_DELETION);

  /* the replica's policy edited: the primary keeps the default one */
  const AmsPolicy *before = ams_world_key_policy (w, &primary);
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_statements (before), 1);
  CU_ASSERT_TRUE (ams_world_remove_key_statement (w, &replica, 0));
  CU_ASSERT_EQUAL (ams_policy_n_statements (ams_world_key_policy (w, &replica)), 0);
  CU_ASSERT_PTR_EQUAL (ams_world_key_policy (w, &primary), before);
  CU_ASSERT_EQUAL (ams_policy_n_statements (ams_world_key_policy (w, &primary)), 1);
}

static const AmsTestCase cases[] = {
  { "test_world_org_paths_and_places", test_world_org_paths_and_places },
  { "test_world_set_accounts_follow_their_template", test_world_set_accounts_follow_their_template },
  { "test_world_scp_layers", test_world_scp_layers },
  { "test_world_key_lookup", test_world_key_lookup },
  { "test_world_multi_region_key_replicas_apart", test_world_multi_region_key_replicas_apart },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("world", cases);
}
