/* Access tests: the distribution checks on a scenario where each blocker
 * kind occurs once, the org-path example of DOMAIN.md §2 through a real key
 * policy, same-account copies, launch permissions of encrypted AMIs, launch
 * template tagging, and blocked copies named by their own destination in
 * explain and in the run. */
#include <glib/gstdio.h>
#include <string.h>

#include "ams_proc.h"
#include "amisim/access.h"
#include "amisim/engine.h"

typedef struct
{
  guint by_cause[AMS_CAUSE_COUNT];
  guint total;
  GString *log;   /* "cause account region step pipeline" lines */
} Seen;

static void
collect (const AmsScPipeline *pl, const AmsBlocker *b, gpointer user)
{
  Seen *s = user;
  s->by_cause[b->cause]++;
  s->total++;
  g_string_append_printf (s->log, "%s %s %s %s %s\n", ams_cause_name (b->cause),
                          b->account ? b->account->id : "-", b->region ? b->region->name : "-",
                          ams_step_name (b->step), pl->name);
  CU_ASSERT_PTR_NOT_NULL (b->message);
  CU_ASSERT_PTR_NOT_NULL (b->resource);
  /* an implicit deny by a key policy shows the statements that nearly applied */
  if (b->cause == AMS_CAUSE_KEY_POLICY_DENIES && b->verdict.decision == AMS_DECISION_IMPLICIT_DENY)
    {
      CU_ASSERT_PTR_NOT_NULL_FATAL (b->verdict.near_misses);
      gboolean paths = FALSE;
      for (guint i = 0; i < b->verdict.near_misses->len; i++)
        paths = paths || strstr (g_array_index (b->verdict.near_misses, AmsNearMiss, i).why,
                                 "aws:PrincipalOrgPaths") != NULL;
      CU_ASSERT_TRUE (paths);
    }
}

/* An AmsBlockerFn counting into a Seen. */
static void
collect_one (const AmsBlocker *b, gpointer user)
{
  Seen *s = user;
  s->by_cause[b->cause]++;
  s->total++;
}

/* Loads a shipped scenario with overrides and runs every check. */
static guint
check_file (const char *file, const AmsOverride *ov, guint n, Seen *seen)
{
  g_autofree char *path = ams_source_path (file);
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (path, ov, n, &error);
  if (sc == NULL)
    {
      printf ("\n%s\n", error->message);
      return 0;
    }
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  memset (seen->by_cause, 0, sizeof seen->by_cause);
  seen->total = 0;
  g_string_truncate (seen->log, 0);
  return ams_access_check_all (ax, collect, seen);
}

static void
test_access_each_blocker_kind_once (void)
{
  Seen s = { .log = g_string_new (NULL) };
  guint checks = check_file ("scenarios/broken-permissions.yaml", NULL, 0, &s);
  CU_ASSERT_EQUAL (checks, 24);
  const struct
  {
    AmsCause cause;
    const char *line;
  } want[] = {
    { AMS_CAUSE_KEY_POLICY_DENIES, "key_policy_denies 222222222222 us-east-1 decrypt golden" },
    { AMS_CAUSE_ROLE_MISSING, "role_missing 333333333333 us-east-1 assume_role golden" },
    { AMS_CAUSE_ROLE_TRUST_DENIES, "role_trust_denies 444444444444 us-east-1 assume_role golden" },
    { AMS_CAUSE_ROLE_EC2_DENIED, "role_ec2_denied 555555555555 us-east-1 copy golden" },
    { AMS_CAUSE_ROLE_KMS_DENIED, "role_kms_denied 666666666666 us-east-1 decrypt golden" },
    { AMS_CAUSE_SCP_DENIES, "scp_denies 777777777777 us-east-1 copy golden" },
    { AMS_CAUSE_KEY_DISABLED, "key_disabled 111111111111 eu-west-1 encrypt regional" },
    { AMS_CAUSE_KEY_PENDING_DELETION, "key_pending_deletion 111111111111 ap-southeast-2 encrypt regional" },
    { AMS_CAUSE_KEY_MISSING_IN_REGION, "key_missing_in_region 111111111111 sa-east-1 encrypt regional" },
    { AMS_CAUSE_PUBLIC_SHARE_BLOCKED, "public_share_blocked 111111111111 us-east-1 share legacy-pv" },
    { AMS_CAUSE_LAUNCH_TEMPLATE_DENIED, "launch_template_denied 999999999999 us-east-1 launch_template legacy-pv" },
    { AMS_CAUSE_REGION_NOT_ENABLED, "region_not_enabled 111111111111 af-south-1 region legacy-pv" },
    { AMS_CAUSE_PV_UNSUPPORTED, "pv_unsupported 111111111111 ap-northeast-3 region legacy-pv" },
    { AMS_CAUSE_AWS_MANAGED_KEY_SHARE, "aws_managed_key_share 111111111111 us-east-1 share managed-key" },
    { AMS_CAUSE_ENCRYPTED_TO_UNENCRYPTED, "encrypted_to_unencrypted 111111111111 eu-west-1 copy managed-key" },
  };
  CU_ASSERT_EQUAL (s.total, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      CU_ASSERT_EQUAL (s.by_cause[want[i].cause], 1);
      if (strstr (s.log->str, want[i].line) == NULL)
        printf ("\n    missing: %s\n    log:\n%s", want[i].line, s.log->str);
      CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, want[i].line));
    }
  g_string_free (s.log, TRUE);
}

static void
test_access_org_path_wildcard (void)
{
  /* DOMAIN.md §2: the exact OU path grants only accounts directly in that
   * OU; with '*' the OU and everything below it. The prod account sits one
   * OU below workloads. */
  Seen s = { .log = g_string_new (NULL) };
  AmsOverride fix[] = {
    { "accounts[0].kms_keys[0].policy.Statement[1].Condition.ForAnyValue:StringLike"
      ".aws:PrincipalOrgPaths[0]",
      "o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/*", "test" },
  };
  check_file ("scenarios/broken-permissions.yaml", fix, 1, &s);
  CU_ASSERT_EQUAL (s.by_cause[AMS_CAUSE_KEY_POLICY_DENIES], 0);
  CU_ASSERT_EQUAL (s.total, 14);

  /* the exact path of prod itself also works, for prod only */
  AmsOverride prod[] = {
    { "accounts[0].kms_keys[0].policy.Statement[1].Condition.ForAnyValue:StringLike"
      ".aws:PrincipalOrgPaths[0]",
      "o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/ou-a1b2-bbbbbbbb/", "test" },
  };
  check_file ("scenarios/broken-permissions.yaml", prod, 1, &s);
  /* … and now the workloads accounts fail instead of prod: 999 (whose role
   * is fine) and 666 (whose role also lacks the KMS actions; the key policy
   * is reported as the part missing) */
  CU_ASSERT_EQUAL (s.by_cause[AMS_CAUSE_KEY_POLICY_DENIES], 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "key_policy_denies 666666666666 us-east-1 decrypt"));
  CU_ASSERT_PTR_NULL (strstr (s.log->str, "key_policy_denies 222222222222"));
  CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "key_policy_denies 999999999999 us-east-1 decrypt"));
  g_string_free (s.log, TRUE);
}

static void
test_access_shipped_scenarios_are_clean (void)
{
  Seen s = { .log = g_string_new (NULL) };
  const char *files[] = { "scenarios/mmc.yaml", "scenarios/bench-mmc.yaml", "scenarios/capacity.yaml" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      CU_ASSERT (check_file (files[i], NULL, 0, &s) > 0);
      if (s.total > 0)
        printf ("\n%s:\n%s", files[i], s.log->str);
      CU_ASSERT_EQUAL (s.total, 0);
    }
  /* the default teaching scenario has exactly its one deliberate blocker */
  check_file ("scenarios/default.yaml", NULL, 0, &s);
  CU_ASSERT_EQUAL (s.total, 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "role_missing 444444444444 us-east-1 assume_role team-80"));
  g_string_free (s.log, TRUE);
}

static const char shared_yaml[] =
  "amisim: 1\n"
  "horizon: 1d\n"
  "regions: [{name: us-east-1}]\n"
  "organizations:\n"
  "  - id: o-a1b2c3d4e5\n"
  "    management_account: \"111111111111\"\n"
  "    root: r-a1b2\n"
  "    units:\n"
  "      - {id: ou-a1b2-aaaaaaaa, accounts: [\"222222222222\"],\n"
  "         units: [{id: ou-a1b2-bbbbbbbb, accounts: [\"333333333333\"]}]}\n"
  "      - {id: ou-a1b2-cccccccc, accounts: [\"444444444444\"]}\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/shared\n"
  "        policy: {\"Statement\": [\n"
  "          {\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"111111111111\"}, \"Action\": \"kms:*\", "
  "\"Resource\": \"*\"},\n"
  "          {\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"kms:Decrypt\", "
  "\"kms:DescribeKey\", \"kms:CreateGrant\"], \"Resource\": \"*\", \"Condition\": "
  "{\"ForAnyValue:StringLike\": {\"aws:PrincipalOrgPaths\": "
  "[\"o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/*\"]}}}]}\n"
  "  - id: \"222222222222\"\n"
  "  - id: \"333333333333\"\n"
  "  - id: \"444444444444\"\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    recipe: {name: golden, version: 1.0.0, encrypted: true, kms_key: alias/shared}\n"
  "    distribution:\n"
  "      name: shared\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration:\n"
  "            launchPermission:\n"
  "              organizationArns: [\"arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5\"]\n";

static void
test_access_shared_encrypted_ami_needs_the_key (void)
{
  /* Shared with the whole organization, but the key policy only lets the
   * workloads OU (and below) use the key: the sandbox account cannot
   * launch. The owner's own copies need nothing of the key policy but its
   * root statement. */
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("shared.yaml", shared_yaml, -1, NULL, 0,
                                                       &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  Seen s = { .log = g_string_new (NULL) };
  guint checks = ams_access_check_all (ax, collect, &s);
  CU_ASSERT_EQUAL (checks, 1);
  CU_ASSERT_EQUAL (s.total, 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "key_policy_denies 444444444444 us-east-1 share golden"));
  g_string_free (s.log, TRUE);
}

static const char encrypt_yaml[] =
  "amisim: 1\n"
  "horizon: 1d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}, {name: eu-central-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    recipe: {name: golden, version: 1.0.0}\n"
  "    distribution:\n"
  "      name: fanout\n"
  "      distributions:\n"
  "        - {region: us-east-1, amiDistributionConfiguration: {name: golden}}\n"
  "        - {region: eu-west-1, amiDistributionConfiguration: {encrypted: true, "
  "launchPermission: {userIds: [\"222222222222\"]}}}\n"
  "        - {region: eu-central-1, amiDistributionConfiguration: {encrypted: false}}\n";

static void
test_access_encrypted_flag (void)
{
  /* CopyImage's Encrypted flag: true encrypts a copy of an unencrypted
   * image (with the default EBS key); false on an encrypted image is
   * refused with encrypted_to_unencrypted, on an unencrypted one it is
   * what happens anyway. */
  for (guint encrypted_image = 0; encrypted_image < 2; encrypted_image++)
    {
      g_autoptr (GError) error = NULL;
      AmsOverride ov[] = { { "pipelines[0].recipe.encrypted", encrypted_image ? "true" : "false",
                             "test" } };
      g_autoptr (AmsScenario) sc = ams_scenario_load_data ("encrypt.yaml", encrypt_yaml, -1, ov,
                                                           1, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_autoptr (AmsWorld) w = ams_world_new (sc);
      g_autoptr (AmsAccess) ax = ams_access_new (w);
      const AmsScPipeline *pl = sc->pipelines->pdata[0];
      const AmsAccount *owner = ams_world_find_account (w, "111111111111");
      const AmsRegion *source = ams_world_find_region (w, "us-east-1");
      gboolean want_encrypted[] = { encrypted_image, TRUE, encrypted_image };
      gboolean want_ok[] = { TRUE, TRUE, !encrypted_image };
      for (guint i = 0; i < 3; i++)
        {
          const AmsScDistRegion *entry = pl->distributions->pdata[i];
          AmsCopySpec spec = {
            .pipeline = pl, .owner = owner, .source_region = source, .entry = entry,
            .region = ams_world_find_region (w, entry->region.value), .target = owner,
          };
          CU_ASSERT_EQUAL (ams_access_copy_encrypted (&spec), want_encrypted[i]);
          if (i == 1)
            {
              /* the copy is under the AWS managed key, which cannot be shared */
              Seen shares = { .log = g_string_new (NULL) };
              CU_ASSERT_EQUAL (ams_access_check_shares (ax, &spec, collect_one, &shares), 1);
              CU_ASSERT_EQUAL (shares.by_cause[AMS_CAUSE_AWS_MANAGED_KEY_SHARE], 1);
              g_string_free (shares.log, TRUE);
            }
          g_auto (AmsBlocker) b = { 0 };
          gboolean ok = ams_access_check_copy (ax, &spec, &b);
          CU_ASSERT_EQUAL (ok, want_ok[i]);
          if (!ok)
            {
              CU_ASSERT_EQUAL (b.cause, AMS_CAUSE_ENCRYPTED_TO_UNENCRYPTED);
              CU_ASSERT_EQUAL (b.step, AMS_STEP_COPY);
            }
        }
    }
}

#define LIFECYCLE_TRUST(acct)                                                             \
  "{\"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"Service\": "                \
  "\"imagebuilder.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\", \"Condition\": "        \
  "{\"StringEquals\": {\"aws:SourceAccount\": \"" acct "\"}, \"ArnLike\": "                 \
  "{\"aws:SourceArn\": \"arn:*:imagebuilder:*:*:image/*/*/*\"}}}]}"

static const char lifecycle_yaml[] =
  "amisim: 1\n"
  "horizon: 1d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "  - id: \"222222222222\"\n"
  "    roles: [{name: Ec2ImageBuilderCrossAccountLifecycleAccess, trust: "
  LIFECYCLE_TRUST ("111111111111") ", managed_policies: [EC2ImageBuilderLifecycleExecutionPolicy]}]\n"
  "  - id: \"333333333333\"\n"
  "  - id: \"444444444444\"\n"
  "    roles: [{name: Ec2ImageBuilderCrossAccountLifecycleAccess, trust: "
  LIFECYCLE_TRUST ("999999999999") ", managed_policies: [EC2ImageBuilderLifecycleExecutionPolicy]}]\n"
  "  - id: \"555555555555\"\n"
  "    roles: [{name: Ec2ImageBuilderCrossAccountLifecycleAccess, trust: "
  LIFECYCLE_TRUST ("111111111111") "}]\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    recipe: {name: golden, version: 1.0.0}\n"
  "    distribution:\n"
  "      name: fanout\n"
  "      distributions:\n"
  "        - region: eu-west-1\n"
  "          amiDistributionConfiguration:\n"
  "            targetAccountIds: [\"222222222222\", \"333333333333\", \"444444444444\", "
  "\"555555555555\"]\n"
  "        - {region: us-east-1, amiDistributionConfiguration: {}}\n";

static void
test_access_lifecycle_in_explain (void)
{
  /* with a lifecycle policy that deletes the pipeline's AMIs, every account
   * that received copies needs the lifecycle role: 333 has none, 444 trusts
   * another account, 555 lacks the permissions; 222 is fine */
  g_autofree char *text = g_strconcat (lifecycle_yaml,
    "lifecycle_policies:\n"
    "  - account: \"111111111111\"\n"
    "    name: keep-five\n"
    "    executionRole: EC2ImageBuilderLifecycleExecutionRole\n"
    "    resourceType: AMI_IMAGE\n"
    "    policyDetails:\n"
    "      - action: {type: DELETE, includeResources: {amis: true}}\n"
    "        filter: {type: COUNT, value: 5}\n"
    "    resourceSelection: {recipes: [{name: golden, semanticVersion: 1.x.x}]}\n", NULL);
  for (guint selected = 0; selected < 2; selected++)
    {
      g_autoptr (GError) error = NULL;
      AmsOverride ov[] = { { "lifecycle_policies[0].resourceSelection.recipes[0].semanticVersion",
                             "2.x.x", "test" } };
      g_autoptr (AmsScenario) sc = ams_scenario_load_data ("lifecycle.yaml", text, -1, ov,
                                                           selected ? 0 : 1, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_autoptr (AmsWorld) w = ams_world_new (sc);
      g_autoptr (AmsAccess) ax = ams_access_new (w);
      Seen s = { .log = g_string_new (NULL) };
      guint checks = ams_access_check_all (ax, collect, &s);
      /* 4 copies to the targets, 1 to the owner's region, 2 share checks (one
       * per region); and when the policy selects golden 1.0.0, 4 lifecycle checks */
      CU_ASSERT_EQUAL (checks, selected ? 11 : 7);
      CU_ASSERT_EQUAL (s.by_cause[AMS_CAUSE_LIFECYCLE_ROLE_MISSING], selected ? 3 : 0);
      if (selected)
        {
          CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "lifecycle_role_missing 333333333333"));
          CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "lifecycle_role_missing 444444444444"));
          CU_ASSERT_PTR_NOT_NULL (strstr (s.log->str, "lifecycle_role_missing 555555555555"));
          CU_ASSERT_PTR_NULL (strstr (s.log->str, "lifecycle_role_missing 222222222222"));
        }
      g_string_free (s.log, TRUE);
    }
}

static void
test_access_lifecycle_delete (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("lifecycle.yaml", lifecycle_yaml, -1, NULL,
                                                       0, &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  const AmsScPipeline *pl = sc->pipelines->pdata[0];
  AmsCopySpec spec = {
    .pipeline = pl,
    .owner = ams_world_find_account (w, "111111111111"),
    .source_region = ams_world_find_region (w, "us-east-1"),
    .entry = pl->distributions->pdata[0],
    .region = ams_world_find_region (w, "eu-west-1"),
  };
  const struct
  {
    const char *account;
    gboolean ok;
    const char *says;
  } cases[] = {
    { "111111111111", TRUE, NULL },  /* the owner's own AMIs need no cross-account role */
    { "222222222222", TRUE, NULL },
    { "333333333333", FALSE, "has no role Ec2ImageBuilderCrossAccountLifecycleAccess" },
    { "444444444444", FALSE, "does not let imagebuilder.amazonaws.com assume it" },
    { "555555555555", FALSE, "may not ec2:DeregisterImage" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      spec.target = ams_world_find_account (w, cases[i].account);
      g_auto (AmsBlocker) b = { 0 };
      gboolean ok = ams_access_check_lifecycle_delete (ax, &spec, &b);
      CU_ASSERT_EQUAL (ok, cases[i].ok);
      if (!cases[i].ok)
        {
          CU_ASSERT_EQUAL (b.cause, AMS_CAUSE_LIFECYCLE_ROLE_MISSING);
          CU_ASSERT_EQUAL (b.step, AMS_STEP_LIFECYCLE);
          CU_ASSERT_PTR_NOT_NULL (b.message ? strstr (b.message, cases[i].says) : NULL);
        }
    }
}

static const char ssm_yaml[] =
  "amisim: 1\n"
  "horizon: 1d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: {Statement: [{Effect: Allow, Principal: {AWS: \"111111111111\"}, Action: \"sts:AssumeRole\"}]}\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "  - id: \"333333333333\"\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    recipe: {name: golden, version: 1.0.0}\n"
  "    distribution:\n"
  "      name: fanout\n"
  "      distributions:\n"
  "        - region: eu-west-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\", \"333333333333\"]}\n"
  "          ssmParameterConfigurations:\n"
  "            - {parameterName: /golden/latest, dataType: \"aws:ec2:image\"}\n"
  "            - {amiAccountId: \"222222222222\", parameterName: /golden/latest}\n"
  "            - {amiAccountId: \"333333333333\", parameterName: golden-latest}\n"
  "        - {region: us-east-1, amiDistributionConfiguration: {}}\n";

static void
test_access_ssm_parameters (void)
{
  /* the owner writes its parameter with the service-linked role; 222's
   * distribution role may copy but not write parameters; 333 has no role */
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("ssm.yaml", ssm_yaml, -1, NULL, 0, &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  Seen seen = { .log = g_string_new (NULL) };
  guint checks = ams_access_check_all (ax, collect, &seen);
  /* eu-west-1: owner copy, 2 target copies, shares, 3 parameters; us-east-1: shares */
  CU_ASSERT_EQUAL (checks, 3 + 1 + 3 + 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (seen.log->str,
                                  "ssm_parameter_denied 222222222222 eu-west-1 ssm_parameter golden"));
  CU_ASSERT_PTR_NOT_NULL (strstr (seen.log->str, "role_missing 333333333333 eu-west-1 ssm_parameter golden"));
  CU_ASSERT_EQUAL (seen.by_cause[AMS_CAUSE_SSM_PARAMETER_DENIED], 1);
  CU_ASSERT_EQUAL (seen.total, 3); /* and 333's copy: role_missing */
  g_string_free (seen.log, TRUE);
}

/* ---- launch templates: ec2:CreateTags on the template ---- */

#define DIST_TRUST                                                                        \
  "{Statement: [{Effect: Allow, Principal: {AWS: \"111111111111\"}, "                     \
  "Action: \"sts:AssumeRole\"}]}"
/* What a role needs for launch templates, but for tagging them. */
#define LT_UPDATE                                                                         \
  "{Sid: Describe, Effect: Allow, Action: \"ec2:DescribeLaunchTemplates\", Resource: \"*\"}, " \
  "{Sid: Update, Effect: Allow, Action: [\"ec2:CreateLaunchTemplateVersion\", "           \
  "\"ec2:ModifyLaunchTemplate\"], Resource: \"*\", Condition: {StringEquals: "            \
  "{\"aws:ResourceTag/CreatedBy\": \"EC2 Image Builder\"}}}"
#define LT_ROLE(statements)                                                               \
  "    roles:\n"                                                                          \
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"                           \
  "        trust: " DIST_TRUST "\n"                                                       \
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"           \
  "        inline_policies: [{Statement: [" statements "]}]\n"

static const char templates_yaml[] =
  "amisim: 1\n"
  "horizon: 1d12h\n"
  "regions: [{name: us-east-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "  - id: \"222222222222\"\n" /* may update templates, not tag them */
  LT_ROLE (LT_UPDATE)
  "  - id: \"333333333333\"\n" /* and tag them, as the Image Builder guide shows */
  LT_ROLE (LT_UPDATE ", {Sid: Tag, Effect: Allow, Action: \"ec2:CreateTags\", "
           "Resource: \"arn:aws:ec2:*:*:launch-template/*\", Condition: {StringEquals: "
           "{\"aws:RequestTag/CreatedBy\": \"EC2 Image Builder\"}, "
           "\"ForAllValues:StringEquals\": {\"aws:TagKeys\": [CreatedBy]}}}")
  "  - id: \"444444444444\"\n" /* tags only with a tag Image Builder does not set */
  LT_ROLE (LT_UPDATE ", {Sid: Tag, Effect: Allow, Action: \"ec2:CreateTags\", "
           "Resource: \"arn:aws:ec2:*:*:launch-template/*\", Condition: {StringEquals: "
           "{\"aws:RequestTag/Team\": \"platform\"}}}")
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: "
  "EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: golden, version: 1.0.0}\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "    distribution:\n"
  "      name: templates\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: {name: golden}\n"
  "          launchTemplateConfigurations:\n"
  "            - {launchTemplateId: lt-0123456789abcdef0}\n"
  "            - {launchTemplateId: lt-0123456789abcdef2, accountId: \"222222222222\"}\n"
  "            - {launchTemplateId: lt-0123456789abcdef3, accountId: \"333333333333\"}\n"
  "            - {launchTemplateId: lt-0123456789abcdef4, accountId: \"444444444444\"}\n"
  "simulation:\n"
  "  schedule_delay: 0s\n";

static AmsScenario *
load_text (const char *name, const char *text, const AmsOverride *ov, guint n)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data (name, text, -1, ov, n, &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  return sc;
}

/* Every check of `sc`, as explain makes them: "cause account region step
 * pipeline" lines in seen.log; the messages and resources, one a line. */
typedef struct
{
  Seen seen;
  GString *messages;
  GString *resources;
} Explained;

static void
collect_all (const AmsScPipeline *pl, const AmsBlocker *b, gpointer user)
{
  Explained *x = user;
  x->seen.by_cause[b->cause]++;
  x->seen.total++;
  g_string_append_printf (x->seen.log, "%s %s %s %s %s\n", ams_cause_name (b->cause),
                          b->account ? b->account->id : "-", b->region ? b->region->name : "-",
                          ams_step_name (b->step), pl->name);
  g_string_append_printf (x->messages, "%s\n", b->message);
  g_string_append_printf (x->resources, "%s\n", b->resource);
}

static guint
explain_in_process (const AmsScenario *sc, Explained *x)
{
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  memset (x, 0, sizeof *x);
  x->seen.log = g_string_new (NULL);
  x->messages = g_string_new (NULL);
  x->resources = g_string_new (NULL);
  return ams_access_check_all (ax, collect_all, x);
}

static void
explained_clear (Explained *x)
{
  g_string_free (x->seen.log, TRUE);
  g_string_free (x->messages, TRUE);
  g_string_free (x->resources, TRUE);
}

/* The failures of a run of `sc` (seed 1), "cause account region count"
 * lines; *available gets the images that ended AVAILABLE. */
static char *
run_failures (const AmsScenario *sc, guint64 *available)
{
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  GString *log = g_string_new (NULL);
  for (guint i = 0; i < r->failures->len; i++)
    {
      const AmsFailureCount *f = &g_array_index (r->failures, AmsFailureCount, i);
      g_string_append_printf (log, "%s %s %s %" G_GUINT64_FORMAT "\n", ams_cause_name (f->cause),
                              f->account, f->region, f->count);
    }
  if (available != NULL)
    *available = r->images_available;
  return g_string_free (log, FALSE);
}

/* Writes `text` to a new folder as NAME; returns the file's path. */
static char *
write_scenario (const char *name, const char *text, char **dir)
{
  *dir = g_dir_make_tmp ("amisim-access-XXXXXX", NULL);
  g_assert_nonnull (*dir);
  char *path = g_build_filename (*dir, name, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        remove_tree (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static void
test_access_launch_template_create_tags (void)
{
  /* Image Builder tags the template it updates: ec2:CreateTags with the
   * request tag CreatedBy = EC2 Image Builder. The managed policy allows
   * CreateTags on images only, so 222 (no tagging statement) and 444 (one
   * for another tag) fail; 333 (the statement of the guide) and the owner
   * (its service-linked role) do not. */
  g_autoptr (AmsScenario) sc = load_text ("templates.yaml", templates_yaml, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  Explained x;
  guint checks = explain_in_process (sc, &x);
  CU_ASSERT_EQUAL (checks, 1 + 4); /* the region's launch permissions, 4 templates */
  CU_ASSERT_EQUAL (x.seen.total, 2);
  CU_ASSERT_EQUAL (x.seen.by_cause[AMS_CAUSE_LAUNCH_TEMPLATE_DENIED], 2);
  CU_ASSERT_PTR_NOT_NULL (strstr (x.seen.log->str,
                                  "launch_template_denied 222222222222 us-east-1 launch_template"));
  CU_ASSERT_PTR_NOT_NULL (strstr (x.seen.log->str,
                                  "launch_template_denied 444444444444 us-east-1 launch_template"));
  CU_ASSERT_PTR_NULL (strstr (x.seen.log->str, "333333333333"));
  CU_ASSERT_PTR_NULL (strstr (x.seen.log->str, "111111111111"));
  /* it names the action, the template and what to add */
  CU_ASSERT_PTR_NOT_NULL (strstr (x.messages->str,
    "role arn:aws:iam::222222222222:role/EC2ImageBuilderDistributionCrossAccountRole may not "
    "ec2:CreateTags on arn:aws:ec2:us-east-1:222222222222:launch-template/lt-0123456789abcdef2"));
  CU_ASSERT_PTR_NOT_NULL (strstr (x.messages->str,
    "may not ec2:CreateTags on arn:aws:ec2:us-east-1:444444444444:launch-template/"
    "lt-0123456789abcdef4"));
  CU_ASSERT_PTR_NOT_NULL (strstr (x.messages->str, "ec2:CreateTags on "
                                                   "arn:aws:ec2:*:*:launch-template/*"));
  CU_ASSERT_PTR_NOT_NULL (strstr (x.resources->str, "launch-template/lt-0123456789abcdef2\n"));
  explained_clear (&x);

  /* the run: the image fails with the same two outputs */
  guint64 available = 99;
  g_autofree char *failures = run_failures (sc, &available);
  CU_ASSERT_STRING_EQUAL (failures, "launch_template_denied 222222222222 us-east-1 1\n"
                                    "launch_template_denied 444444444444 us-east-1 1\n");
  CU_ASSERT_EQUAL (available, 0);

  /* every template in 333: nothing blocks, the image is AVAILABLE */
  AmsOverride all_333[] = {
    { "pipelines[0].distribution.distributions[0].launchTemplateConfigurations[1].accountId",
      "333333333333", "test" },
    { "pipelines[0].distribution.distributions[0].launchTemplateConfigurations[3].accountId",
      "333333333333", "test" },
  };
  g_autoptr (AmsScenario) fixed = load_text ("templates.yaml", templates_yaml, all_333, 2);
  CU_ASSERT_PTR_NOT_NULL_FATAL (fixed);
  explain_in_process (fixed, &x);
  CU_ASSERT_EQUAL (x.seen.total, 0);
  explained_clear (&x);
  g_autofree char *none = run_failures (fixed, &available);
  CU_ASSERT_STRING_EQUAL (none, "");
  CU_ASSERT_EQUAL (available, 1);

  /* and `amisim explain` says it */
  g_autofree char *dir = NULL;
  g_autofree char *file = write_scenario ("templates.yaml", templates_yaml, &dir);
  g_auto (Run) r = { 0 };
  amisim (&r, "explain", file, NULL);
  CU_ASSERT_EQUAL (r.status, 3);
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "launch_template_denied  account 222222222222, "
                                         "us-east-1, step launch_template\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "may not ec2:CreateTags on "
                                         "arn:aws:ec2:us-east-1:222222222222:launch-template/"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "2 blockers (2 distinct) in 5 checks: "
                                         "launch_template_denied 2\n"));
  remove_tree (dir);
}

/* ---- a blocked copy is named by its own destination ---- */

#define KEY_ARN "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"

/* One key (the recipe's, in us-east-1) for two pipelines that copy to four
 * target accounts in two regions (and the owner's own copy to eu-west-1);
 * the key is disabled. */
static const char one_key_yaml[] =
  "amisim: 1\n"
  "horizon: 1d12h\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "x-role: &role\n"
  "  name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "  trust: " DIST_TRUST "\n"
  "  managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "  inline_policies: [{Statement: [{Effect: Allow, Action: \"kms:*\", Resource: \"*\"}]}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/golden\n"
  "        state: disabled\n"
  "        policy: {Statement: [{Effect: Allow, Action: \"kms:*\", Resource: \"*\", Principal: "
  "{AWS: [\"111111111111\", \"222222222222\", \"333333333333\", \"444444444444\", "
  "\"555555555555\"]}}]}\n"
  "  - {id: \"222222222222\", roles: [*role]}\n"
  "  - {id: \"333333333333\", roles: [*role]}\n"
  "  - {id: \"444444444444\", roles: [*role]}\n"
  "  - {id: \"555555555555\", roles: [*role]}\n"
  "x-p: &p\n"
  "  account: \"111111111111\"\n"
  "  region: us-east-1\n"
  "  schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: "
  "EXPRESSION_MATCH_ONLY}\n"
  "  recipe: {name: golden, version: 1.0.0, encrypted: true, kms_key: alias/golden}\n"
  "  build_time: 10m\n"
  "  test_time: 0s\n"
  "  distribution:\n"
  "    name: fanout\n"
  "    distributions:\n"
  "      - region: us-east-1\n"
  "        amiDistributionConfiguration: {targetAccountIds: [\"222222222222\", \"333333333333\"]}\n"
  "      - region: eu-west-1\n"
  "        amiDistributionConfiguration: {targetAccountIds: [\"444444444444\", \"555555555555\"]}\n"
  "pipelines:\n"
  "  - {<<: *p, name: golden-a}\n"
  "  - {<<: *p, name: golden-b}\n"
  "simulation:\n"
  "  copy: {duration: 30m}\n"
  "  schedule_delay: 0s\n";

static const char *const blocked_copies[][2] = {
  { "222222222222", "us-east-1" },
  { "333333333333", "us-east-1" },
  { "111111111111", "eu-west-1" }, /* the owner's own copy */
  { "444444444444", "eu-west-1" },
  { "555555555555", "eu-west-1" },
};

static void
test_access_blocked_copies_named_by_destination (void)
{
  g_autoptr (AmsScenario) sc = load_text ("one-key.yaml", one_key_yaml, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);

  /* the checks: one blocker per copy, at the copy's account and region
   * (not the key's: 111111111111 in us-east-1), with the key as resource */
  Explained x;
  explain_in_process (sc, &x);
  CU_ASSERT_EQUAL (x.seen.total, 2 * G_N_ELEMENTS (blocked_copies));
  CU_ASSERT_EQUAL (x.seen.by_cause[AMS_CAUSE_KEY_DISABLED], x.seen.total);
  for (guint i = 0; i < G_N_ELEMENTS (blocked_copies); i++)
    for (guint p = 0; p < 2; p++)
      {
        g_autofree char *line = g_strdup_printf ("key_disabled %s %s decrypt golden-%c\n",
                                                 blocked_copies[i][0], blocked_copies[i][1],
                                                 "ab"[p]);
        if (strstr (x.seen.log->str, line) == NULL)
          printf ("\n    missing: %s    log:\n%s", line, x.seen.log->str);
        CU_ASSERT_PTR_NOT_NULL (strstr (x.seen.log->str, line));
      }
  CU_ASSERT_PTR_NULL (strstr (x.seen.log->str, "111111111111 us-east-1"));
  g_autoptr (GString) resources = g_string_new (NULL);
  for (guint i = 0; i < x.seen.total; i++)
    g_string_append (resources, KEY_ARN "\n");
  CU_ASSERT_STRING_EQUAL (x.resources->str, resources->str);
  CU_ASSERT_PTR_NOT_NULL (strstr (x.messages->str, "key " KEY_ARN " is disabled"));
  explained_clear (&x);

  /* the run counts the same places, one failure per copy of each image */
  g_autofree char *failures = run_failures (sc, NULL);
  CU_ASSERT_STRING_EQUAL (failures, "key_disabled 111111111111 eu-west-1 2\n"
                                    "key_disabled 444444444444 eu-west-1 2\n"
                                    "key_disabled 555555555555 eu-west-1 2\n"
                                    "key_disabled 222222222222 us-east-1 2\n"
                                    "key_disabled 333333333333 us-east-1 2\n");

  /* `amisim explain`: a paragraph per copy, each for both pipelines; --json
   * a record per blocker with its account and region; `run --out`:
   * failures.csv with the same places */
  g_autofree char *dir = NULL;
  g_autofree char *file = write_scenario ("one-key.yaml", one_key_yaml, &dir);
  g_auto (Run) text = { 0 };
  amisim (&text, "explain", file, NULL);
  CU_ASSERT_EQUAL (text.status, 3);
  g_auto (Run) json = { 0 };
  amisim (&json, "explain", "--json", file, NULL);
  CU_ASSERT_EQUAL (json.status, 3);
  for (guint i = 0; i < G_N_ELEMENTS (blocked_copies); i++)
    {
      g_autofree char *head = g_strdup_printf ("\nkey_disabled  account %s, %s, step decrypt\n"
                                               "  the image's key: key " KEY_ARN " is disabled; "
                                               "enable it\n  pipelines: golden-a golden-b\n",
                                               blocked_copies[i][0], blocked_copies[i][1]);
      CU_ASSERT_PTR_NOT_NULL (strstr (text.out, head));
      for (guint p = 0; p < 2; p++)
        {
          g_autofree char *record = g_strdup_printf ("\"pipeline\": \"golden-%c\",\n"
                                                     "      \"region\": \"%s\",\n"
                                                     "      \"account\": \"%s\",\n"
                                                     "      \"resource\": \"" KEY_ARN "\",",
                                                     "ab"[p], blocked_copies[i][1],
                                                     blocked_copies[i][0]);
          CU_ASSERT_PTR_NOT_NULL (strstr (json.out, record));
        }
    }
  CU_ASSERT_PTR_NOT_NULL (strstr (text.out, "\n10 blockers (5 distinct) in 14 checks: "
                                            "key_disabled 10\n"));
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_auto (Run) run = { 0 };
  amisim (&run, "run", "--quiet", "--out", out, file, NULL);
  CU_ASSERT_EQUAL (run.status, 0);
  g_autofree char *csv_path = g_build_filename (out, "failures.csv", NULL);
  g_autofree char *csv = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (csv_path, &csv, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (csv, "cause,region,account,count\n"
                               "key_disabled,eu-west-1,\"111111111111\",2\n"
                               "key_disabled,eu-west-1,\"444444444444\",2\n"
                               "key_disabled,eu-west-1,\"555555555555\",2\n"
                               "key_disabled,us-east-1,\"222222222222\",2\n"
                               "key_disabled,us-east-1,\"333333333333\",2\n");
  remove_tree (dir);

  /* the key enabled, its policy without 444 and 555: their eu-west-1
   * copies are refused by the key policy (of a key in us-east-1), and
   * named eu-west-1 in explain and in the run */
  AmsOverride policy[] = {
    { "accounts[0].kms_keys[0].state", "enabled", "test" },
    { "accounts[0].kms_keys[0].policy.Statement[0].Principal.AWS[3]",
      "arn:aws:iam::111111111111:root", "test" },
    { "accounts[0].kms_keys[0].policy.Statement[0].Principal.AWS[4]",
      "arn:aws:iam::111111111111:root", "test" },
  };
  g_autoptr (AmsScenario) narrow = load_text ("one-key.yaml", one_key_yaml, policy, 3);
  CU_ASSERT_PTR_NOT_NULL_FATAL (narrow);
  explain_in_process (narrow, &x);
  CU_ASSERT_EQUAL (x.seen.total, 4);
  CU_ASSERT_EQUAL (x.seen.by_cause[AMS_CAUSE_KEY_POLICY_DENIES], 4);
  CU_ASSERT_PTR_NOT_NULL (strstr (x.seen.log->str,
                                  "key_policy_denies 444444444444 eu-west-1 decrypt golden-a\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (x.seen.log->str,
                                  "key_policy_denies 555555555555 eu-west-1 decrypt golden-b\n"));
  CU_ASSERT_PTR_NULL (strstr (x.seen.log->str, "us-east-1"));
  explained_clear (&x);
  g_autofree char *denied = run_failures (narrow, NULL);
  CU_ASSERT_STRING_EQUAL (denied, "key_policy_denies 444444444444 eu-west-1 2\n"
                                  "key_policy_denies 555555555555 eu-west-1 2\n");
}

/* ---- aws:RequestedRegion: the region each call is made in ---- */

/* An organization SCP allowing two regions only (the usual "allowed
 * regions" guardrail, global services left out); the pipeline copies to a
 * member account in three regions, unencrypted. */
static const char allowed_regions_yaml[] =
  "amisim: 1\n"
  "horizon: 1d12h\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}, {name: ap-southeast-2}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: " DIST_TRUST "\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "organizations:\n"
  "  - id: o-a1b2c3d4e5\n"
  "    management_account: \"111111111111\"\n"
  "    root: r-a1b2\n"
  "    accounts: [\"111111111111\", \"222222222222\"]\n"
  "    scps:\n"
  "      - target: r-a1b2\n"
  "        name: allowed-regions\n"
  "        policy: {Statement: [{Sid: DenyOtherRegions, Effect: Deny, NotAction: [\"iam:*\", "
  "\"sts:*\", \"organizations:*\"], Resource: \"*\", Condition: {StringNotEquals: "
  "{\"aws:RequestedRegion\": [us-east-1, eu-west-1]}}}]}\n"
  "      - target: r-a1b2\n"
  "        name: FullAWSAccess\n"
  "        policy: {Statement: [{Effect: Allow, Action: \"*\", Resource: \"*\"}]}\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: "
  "EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: golden, version: 1.0.0}\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "    distribution:\n"
  "      name: three-regions\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}\n"
  "        - region: eu-west-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}\n"
  "        - region: ap-southeast-2\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}\n"
  "simulation:\n"
  "  copy: {duration: 30m}\n"
  "  schedule_delay: 0s\n";

static void
test_access_requested_region (void)
{
  g_autoptr (AmsScenario) sc = load_text ("regions.yaml", allowed_regions_yaml, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  /* the copy called in ap-southeast-2 is denied; those in the allowed
   * regions are not blamed */
  Explained x;
  explain_in_process (sc, &x);
  CU_ASSERT_EQUAL (x.seen.total, 1);
  CU_ASSERT_EQUAL (x.seen.by_cause[AMS_CAUSE_SCP_DENIES], 1);
  CU_ASSERT_PTR_NOT_NULL (strstr (x.seen.log->str, "scp_denies 222222222222 ap-southeast-2 copy golden\n"));
  if (x.seen.total != 1)
    printf ("\n%s", x.seen.log->str);
  explained_clear (&x);
  /* the run: one image (rate(1 day) first runs at 1d), its copy to
   * 222222222222 in ap-southeast-2 fails; the owner's own copy there is
   * made by the service-linked role, which SCPs do not restrict */
  g_autofree char *failures = run_failures (sc, NULL);
  CU_ASSERT_STRING_EQUAL (failures, "scp_denies 222222222222 ap-southeast-2 1\n");
}

static const AmsTestCase cases[] = {
  { "test_access_ssm_parameters", test_access_ssm_parameters },
  { "test_access_lifecycle_delete", test_access_lifecycle_delete },
  { "test_access_each_blocker_kind_once", test_access_each_blocker_kind_once },
  { "test_access_org_path_wildcard", test_access_org_path_wildcard },
  { "test_access_shipped_scenarios_are_clean", test_access_shipped_scenarios_are_clean },
  { "test_access_shared_encrypted_ami_needs_the_key", test_access_shared_encrypted_ami_needs_the_key },
  { "test_access_encrypted_flag", test_access_encrypted_flag },
  { "test_access_lifecycle_in_explain", test_access_lifecycle_in_explain },
  { "test_access_launch_template_create_tags", test_access_launch_template_create_tags },
  { "test_access_blocked_copies_named_by_destination",
    test_access_blocked_copies_named_by_destination },
  { "test_access_requested_region", test_access_requested_region },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("access", cases);
}
