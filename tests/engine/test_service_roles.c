/* The roles the service runs as in the owner's account, in `run` and in
 * `explain` (the preflight), each both ways: a lifecycle policy's
 * execution role (it exists, imagebuilder.amazonaws.com may assume it for
 * the policy, it allows what the rules do), the cross-account lifecycle
 * role for rules that only deprecate or disable, the ECR repository tag
 * container deletions need, and the build instances' instance profile.
 *
 * The world: a factory (111…) builds `golden` (AMIs, a copy to 222…) and
 * `app` (container images into image-builder-app) daily at 01:00 for three
 * days, on the infrastructure configurations `builders` and
 * `container-builders`. Two lifecycle policies run daily at 03:00: `amis`
 * keeps the newest golden image, `containers` the newest app image. Markers (#…#) are replaced per case.
 */
#include <stdio.h>
#include <string.h>

#include "ams_edit.h"
#include "ams_test.h"
#include "amisim/engine.h"
#include "amisim/preflight.h"

#define IMAGEBUILDER_TRUST                                                                   \
  "{Statement: [{Effect: Allow, Principal: {Service: imagebuilder.amazonaws.com}, "        \
  "Action: \"sts:AssumeRole\"}]}"
#define EC2_TRUST                                                                            \
  "{Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, "                 \
  "Action: \"sts:AssumeRole\"}]}"

static const char base[] =
  "amisim: 1\n"
  "start: 2026-01-01T00:00:00Z\n"
  "horizon: 2d4h\n"
  "regions: [{name: us-east-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    roles:\n"
  "      - name: LifecycleRole\n"
  "        trust: #LCTRUST#\n"
  "        managed_policies: [#LCPOLICIES#]\n"
  "#LCINLINE#"
  "      - name: BuildProfile\n"
  "        trust: #PTRUST#\n"
  "        managed_policies: [#PPOLICIES#]\n"
  "      - name: ContainerProfile\n"
  "        trust: " EC2_TRUST "\n"
  "        managed_policies: [#CPOLICIES#]\n"
  "    ecr_repositories:\n"
  "      - {name: #REPO#, tags: {#REPOTAGS#}}\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: {Statement: [{Effect: Allow, Principal: {AWS: \"arn:aws:iam::111111111111:root\"},"
  " Action: \"sts:AssumeRole\"}]}\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "#XLIFECYCLE#"
  "components:\n"
  "  - {name: hardening, semanticVersion: 1.0.0, platform: Linux, account: \"111111111111\",\n"
  "     region: us-east-1}\n"
  "infrastructure_configurations:\n"
  "  - {name: builders, account: \"111111111111\", region: us-east-1,"
  " instanceProfileName: #PROFILE#}\n"
  "  - {name: container-builders, account: \"111111111111\", region: us-east-1,"
  " instanceProfileName: #CPROFILE#}\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: \"cron(0 1 * * ? *)\", "
  "pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: golden, version: 1.0.0, snapshot_size: 10GiB,\n"
  "             components: [{componentArn: \"arn:aws:imagebuilder:us-east-1:111111111111:"
  "component/hardening/x.x.x\"}]}\n"
  "#GOLDENINFRA#"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "    distribution:\n"
  "      name: golden\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}\n"
  "  - name: app\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: \"cron(0 1 * * ? *)\", "
  "pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: app, version: 1.0.0, target_repository: #REPO#}\n"
  "    infrastructureConfigurationArn: \"arn:aws:imagebuilder:us-east-1:111111111111:"
  "infrastructure-configuration/container-builders\"\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "lifecycle_policies:\n"
  "  - account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    name: amis\n"
  "    executionRole: #LCROLE#\n"
  "    resourceType: AMI_IMAGE\n"
  "    resourceSelection: {recipes: [{name: golden, semanticVersion: 1.x.x}]}\n"
  "    policyDetails:\n"
  "#AMIRULES#"
  "  - account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    name: containers\n"
  "    executionRole: #LCROLE#\n"
  "    resourceType: CONTAINER_IMAGE\n"
  "    resourceSelection: {recipes: [{name: app, semanticVersion: 1.x.x}]}\n"
  "    policyDetails:\n"
  "      - action: {type: DELETE, includeResources: {containers: true}}\n"
  "        filter: {type: COUNT, value: 1}\n"
  "simulation:\n"
  "  schedule_delay: 0s\n"
  "  copy: {duration: 30m}\n"
  "  lifecycle_run_at: \"03:00\"\n"
  "  lifecycle: {update_time: 1m}\n"
  "events: [#EVENTS#]\n";

#define CROSS_ACCOUNT_LIFECYCLE                                                              \
  "      - name: Ec2ImageBuilderCrossAccountLifecycleAccess\n"                             \
  "        trust: {Statement: [{Effect: Allow, Principal: {Service: imagebuilder.amazonaws.com}, " \
  "Action: \"sts:AssumeRole\", Condition: {StringEquals: {\"aws:SourceAccount\": \"111111111111\"}}}]}\n" \
  "        managed_policies: [EC2ImageBuilderLifecycleExecutionPolicy]\n"

typedef AmsEdit Edit;

static const Edit defaults[] = {
  { "#LCTRUST#", IMAGEBUILDER_TRUST },
  { "#LCPOLICIES#", "EC2ImageBuilderLifecycleExecutionPolicy" },
  { "#LCINLINE#", "" },
  { "#LCROLE#", "LifecycleRole" },
  { "#PTRUST#", EC2_TRUST },
  { "#PPOLICIES#", "EC2InstanceProfileForImageBuilder, AmazonSSMManagedInstanceCore" },
  { "#PROFILE#", "BuildProfile" },
  { "#CPOLICIES#", "EC2InstanceProfileForImageBuilderECRContainerBuilds, "
                   "AmazonSSMManagedInstanceCore" },
  { "#CPROFILE#", "ContainerProfile" },
  { "#REPO#", "image-builder-app" },
  { "#REPOTAGS#", "LifecycleExecutionAccess: EC2 Image Builder" },
  { "#XLIFECYCLE#", CROSS_ACCOUNT_LIFECYCLE },
  { "#GOLDENINFRA#", "    infrastructureConfigurationArn: \"arn:aws:imagebuilder:us-east-1:"
                     "111111111111:infrastructure-configuration/builders\"\n" },
  { "#AMIRULES#", "      - action: {type: DELETE, includeResources: {amis: true, snapshots: true}}\n"
                  "        filter: {type: COUNT, value: 1}\n" },
  { "#EVENTS#", "" },
};

static AmsScenario *
load (const Edit *edits)
{
  return ams_edit_load ("service-roles.yaml", base, edits, defaults, G_N_ELEMENTS (defaults));
}

/* What a run did, in the terms the assertions need. */
typedef struct
{
  AmsResults r;
  GString *lifecycle;  /* "policy resource status reason\n" per lifecycle row */
  GString *images;     /* "pipeline status cause\n" per image */
} Run;

static void
on_lifecycle (void *user, const AmsLifecycleRecord *rec)
{
  static const char *const what[] = { "image", "ami", "snapshot", "container", "policy" };
  static const char *const status[] = { "SUCCESS", "FAILED", "SKIPPED" };
  Run *run = user;
  g_string_append_printf (run->lifecycle, "%s %s %s %s %s\n", rec->policy, what[rec->resource],
                          rec->account, status[rec->status],
                          rec->resource == AMS_LC_RESOURCE_POLICY ? "" : rec->reason);
}

static void
on_image (void *user, const AmsImageRecord *rec)
{
  Run *run = user;
  g_string_append_printf (run->images, "%s %s %s\n", rec->pipeline,
                          rec->outcome == AMS_IMAGE_AVAILABLE ? "AVAILABLE" : "FAILED",
                          ams_cause_name (rec->cause));
  if (rec->message != NULL)
    g_string_append_printf (run->images, "  %s\n", rec->message);
}

static gboolean
run_with (const Edit *edits, Run *run)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return FALSE;
  run->lifecycle = g_string_new (NULL);
  run->images = g_string_new (NULL);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  AmsRecorder rec = { .image = on_image, .lifecycle = on_lifecycle, .user = run };
  ams_engine_set_recorder (e, &rec);
  ams_engine_run (e);
  ams_engine_take_results (e, &run->r);
  return TRUE;
}

static void
run_clear (Run *run)
{
  ams_results_clear (&run->r);
  g_string_free (run->lifecycle, TRUE);
  g_string_free (run->images, TRUE);
}

static guint
count_in (const char *log, const char *line)
{
  guint n = 0;
  for (const char *p = strstr (log, line); p != NULL; p = strstr (p + 1, line))
    n++;
  return n;
}

/* The preflight's findings: "cause account region subject\n" each. */
static void
on_finding (const AmsFinding *f, gpointer user)
{
  g_string_append_printf (user, "%s %s %s %s\n", ams_cause_name (f->b->cause),
                          f->b->account ? f->b->account->id : "-",
                          f->b->region ? f->b->region->name : "-", f->subject);
}

static char *
explain (const Edit *edits)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return NULL;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  GString *log = g_string_new (NULL);
  ams_preflight (w, on_finding, log);
  return g_string_free (log, FALSE);
}

/* ---- the healthy world ------------------------------------------------------ */

static void
test_roles_healthy (void)
{
  /* every role right: nothing fails, explain is quiet; 3 golden and 3 app
   * images; each policy deletes 2 images (runs of days 1 and 2) */
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (NULL, &run));
  CU_ASSERT_EQUAL (run.r.failures_total, 0);
  CU_ASSERT_EQUAL (run.r.images_available, 6);
  CU_ASSERT_EQUAL (run.r.lc_runs_failed, 0);
  CU_ASSERT_EQUAL (run.r.lc_deleted, 4);
  CU_ASSERT_EQUAL (count_in (run.lifecycle->str, "FAILED"), 0);
  g_autofree char *found = explain (NULL);
  CU_ASSERT_STRING_EQUAL (found, "");
  run_clear (&run);

  /* a role that only deprecates needs only what deprecating asks for: an
   * inline policy with ec2:EnableImageDeprecation and DescribeImages is
   * enough for a DEPRECATE rule (no blame for DeregisterImage) */
  static const Edit deprecate_only[] = {
    { "#LCPOLICIES#", "" },
    { "#LCINLINE#", "        inline_policies:\n"
                    "          - {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: "
                    "[\"ec2:EnableImageDeprecation\", \"ec2:DescribeImages\", \"ecr:BatchDeleteImage\","
                    " \"imagebuilder:DeleteImage\"], Resource: \"*\"}]}\n" },
    { "#AMIRULES#", "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
                    "        filter: {type: COUNT, value: 1}\n" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run_with (deprecate_only, &run));
  CU_ASSERT_EQUAL (run.r.failures_total, 0);
  CU_ASSERT_EQUAL (run.r.lc_runs_failed, 0);
  CU_ASSERT (run.r.lc_amis_deprecated >= 2);
  g_autofree char *quiet = explain (deprecate_only);
  CU_ASSERT_STRING_EQUAL (quiet, "");
  run_clear (&run);
}

/* ---- 4. the lifecycle execution role ------------------------------------------ */

static void
test_roles_execution_trust (void)
{
  /* the role trusts EC2, not Image Builder: every execution of both
   * policies fails at once (3 days × 2), touching nothing, and explain
   * names the role for each policy in its account and region */
  static const Edit edits[] = { { "#LCTRUST#", EC2_TRUST }, { NULL } };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (edits, &run));
  CU_ASSERT_EQUAL (run.r.lc_runs, 6);
  CU_ASSERT_EQUAL (run.r.lc_runs_failed, 6);
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_LIFECYCLE_EXECUTION_DENIED], 6);
  CU_ASSERT_EQUAL (run.r.lc_deleted, 0);
  CU_ASSERT_EQUAL (count_in (run.lifecycle->str, "amis policy 111111111111 FAILED"), 3);
  CU_ASSERT_EQUAL (count_in (run.lifecycle->str, "SUCCESS"), 0);
  g_autofree char *found = explain (edits);
  CU_ASSERT_STRING_EQUAL (found,
                          "lifecycle_execution_denied 111111111111 us-east-1 amis\n"
                          "lifecycle_execution_denied 111111111111 us-east-1 containers\n");
  run_clear (&run);

  /* trusting the service only for another account's policies
   * (aws:SourceAccount) is the same refusal; for this account, healthy */
  static const Edit other[] = {
    { "#LCTRUST#", "{Statement: [{Effect: Allow, Principal: {Service: imagebuilder.amazonaws.com},"
                   " Action: \"sts:AssumeRole\", Condition: {StringEquals: "
                   "{\"aws:SourceAccount\": \"999999999999\"}}}]}" },
    { NULL },
  };
  g_autofree char *denied = explain (other);
  CU_ASSERT_EQUAL (count_in (denied, "lifecycle_execution_denied"), 2);
  static const Edit own[] = {
    { "#LCTRUST#", "{Statement: [{Effect: Allow, Principal: {Service: imagebuilder.amazonaws.com},"
                   " Action: \"sts:AssumeRole\", Condition: {StringEquals: "
                   "{\"aws:SourceAccount\": \"111111111111\"}, ArnLike: {\"aws:SourceArn\": "
                   "\"arn:aws:imagebuilder:*:111111111111:lifecycle-policy/*\"}}}]}" },
    { NULL },
  };
  g_autofree char *fine = explain (own);
  CU_ASSERT_STRING_EQUAL (fine, "");
  CU_ASSERT_TRUE_FATAL (run_with (own, &run));
  CU_ASSERT_EQUAL (run.r.lc_runs_failed, 0);
  run_clear (&run);
}

static void
test_roles_execution_permissions (void)
{
  /* the role may deprecate but not deregister: the DELETE policy's
   * executions fail (lifecycle_execution_denied), the container policy's
   * too (no ecr:BatchDeleteImage) */
  static const Edit edits[] = {
    { "#LCPOLICIES#", "" },
    { "#LCINLINE#", "        inline_policies:\n"
                    "          - {Version: \"2012-10-17\", Statement: [{Effect: Allow, Action: "
                    "[\"ec2:EnableImageDeprecation\", \"ec2:DescribeImages\"], Resource: \"*\"}]}\n" },
    { NULL },
  };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (edits, &run));
  CU_ASSERT_EQUAL (run.r.lc_runs_failed, 6);
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_LIFECYCLE_EXECUTION_DENIED], 6);
  CU_ASSERT_EQUAL (run.r.lc_deleted, 0);
  g_autofree char *found = explain (edits);
  CU_ASSERT_STRING_EQUAL (found,
                          "lifecycle_execution_denied 111111111111 us-east-1 amis\n"
                          "lifecycle_execution_denied 111111111111 us-east-1 containers\n");
  run_clear (&run);

  /* the role deleted at 1d12h: the runs of days 0 and 1 work, day 2's
   * fails (lifecycle_role_missing); explain names it after the event */
  static const Edit deleted[] = {
    { "#EVENTS#", "{at: 1d12h, action: delete_role, account: \"111111111111\", role: LifecycleRole}" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run_with (deleted, &run));
  CU_ASSERT_EQUAL (run.r.lc_runs_failed, 2);
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_LIFECYCLE_ROLE_MISSING], 2);
  CU_ASSERT_EQUAL (run.r.lc_deleted, 2); /* day 1's run deleted day 0's images */
  g_autofree char *after = explain (deleted);
  CU_ASSERT_STRING_EQUAL (after,
                          "lifecycle_role_missing 111111111111 us-east-1 amis\n"
                          "lifecycle_role_missing 111111111111 us-east-1 containers\n");
  run_clear (&run);
}

static void
test_roles_cross_account_deprecate (void)
{
  /* A policy that only deprecates still acts on the copy in 222… through
   * its cross-account lifecycle role: without it, explain names the role
   * there and the run's deprecations of that copy fail; with it (the
   * healthy case above) both are quiet. */
  static const Edit edits[] = {
    { "#XLIFECYCLE#", "" },
    { "#AMIRULES#", "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
                    "        filter: {type: COUNT, value: 1}\n" },
    { NULL },
  };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (edits, &run));
  CU_ASSERT (run.r.failures_by_cause[AMS_CAUSE_LIFECYCLE_ROLE_MISSING] >= 2);
  CU_ASSERT (count_in (run.lifecycle->str, "amis ami 222222222222 FAILED lifecycle_role_missing") >= 2);
  CU_ASSERT_EQUAL (count_in (run.lifecycle->str, "amis ami 111111111111 FAILED"), 0);
  g_autofree char *found = explain (edits);
  CU_ASSERT_STRING_EQUAL (found, "lifecycle_role_missing 222222222222 us-east-1 golden\n");
  run_clear (&run);
}

static void
test_roles_repository_tag (void)
{
  /* the repository without LifecycleExecutionAccess: explain names it for
   * the container policy; the run's container deletions fail with it */
  static const Edit edits[] = { { "#REPOTAGS#", "team: platform" }, { NULL } };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (edits, &run));
  /* day 1's run fails on day 0's image; day 2's on days 0 and 1 (what was
   * not deleted is tried again) */
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING], 3);
  CU_ASSERT_EQUAL (count_in (run.lifecycle->str, "containers container 111111111111 FAILED "
                                                 "ecr_repository_tag_missing"), 3);
  CU_ASSERT_EQUAL (count_in (run.lifecycle->str, "amis ami 111111111111 SUCCESS"), 2);
  g_autofree char *found = explain (edits);
  CU_ASSERT_STRING_EQUAL (found, "ecr_repository_tag_missing 111111111111 us-east-1 containers\n");
  run_clear (&run);
}

/* ---- 6. the build instances' instance profile ------------------------------- */

static void
test_roles_instance_profile_missing (void)
{
  /* the configurations name roles the account does not have: every build
   * of both pipelines fails as it starts (instance_profile_missing), with
   * the reason in the image record; explain names it per pipeline */
  static const Edit edits[] = {
    { "#PROFILE#", "NoSuchProfile" }, { "#CPROFILE#", "NoSuchProfile" }, { NULL },
  };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (edits, &run));
  CU_ASSERT_EQUAL (run.r.images_available, 0);
  CU_ASSERT_EQUAL (run.r.images_failed, 6);
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_INSTANCE_PROFILE_MISSING], 6);
  CU_ASSERT_EQUAL (count_in (run.images->str, "golden FAILED instance_profile_missing"), 3);
  CU_ASSERT (strstr (run.images->str, "has no role NoSuchProfile") != NULL);
  g_autofree char *found = explain (edits);
  CU_ASSERT_STRING_EQUAL (found,
                          "instance_profile_missing 111111111111 us-east-1 golden\n"
                          "instance_profile_missing 111111111111 us-east-1 app\n");
  run_clear (&run);

  /* without an infrastructure configuration, builds behave as before */
  static const Edit none[] = {
    { "#PROFILE#", "NoSuchProfile" }, { "#GOLDENINFRA#", "" }, { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run_with (none, &run));
  CU_ASSERT_EQUAL (count_in (run.images->str, "golden AVAILABLE"), 3);
  CU_ASSERT_EQUAL (run.r.failures_total, 0);
  g_autofree char *quiet = explain (none);
  CU_ASSERT_STRING_EQUAL (quiet, "");
  run_clear (&run);
}

static void
test_roles_instance_profile_denied (void)
{
  /* golden's profile trusts Image Builder instead of EC2: its builds fail
   * (instance_profile_denied); app's are not blamed */
  static const Edit trust[] = { { "#PTRUST#", IMAGEBUILDER_TRUST }, { NULL } };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (trust, &run));
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_INSTANCE_PROFILE_DENIED], 3);
  CU_ASSERT_EQUAL (count_in (run.images->str, "golden FAILED instance_profile_denied"), 3);
  CU_ASSERT_EQUAL (count_in (run.images->str, "app AVAILABLE"), 3);
  g_autofree char *found = explain (trust);
  CU_ASSERT_STRING_EQUAL (found, "instance_profile_denied 111111111111 us-east-1 golden\n");
  run_clear (&run);

  /* no Systems Manager agent policy: Image Builder cannot run the build */
  static const Edit no_ssm[] = { { "#PPOLICIES#", "EC2InstanceProfileForImageBuilder" }, { NULL } };
  g_autofree char *ssm = explain (no_ssm);
  CU_ASSERT_STRING_EQUAL (ssm, "instance_profile_denied 111111111111 us-east-1 golden\n");
  CU_ASSERT_TRUE_FATAL (run_with (no_ssm, &run));
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_INSTANCE_PROFILE_DENIED], 3);
  CU_ASSERT (strstr (run.images->str, "ssm:UpdateInstanceInformation") != NULL);
  run_clear (&run);

  /* the container builds with the AMI variant's policies cannot push to
   * ECR; with the ECR variant they can, but only to repositories named
   * image-builder-* */
  static const Edit no_ecr[] = {
    { "#CPOLICIES#", "EC2InstanceProfileForImageBuilder, AmazonSSMManagedInstanceCore" },
    { NULL },
  };
  g_autofree char *ecr = explain (no_ecr);
  CU_ASSERT_STRING_EQUAL (ecr, "instance_profile_denied 111111111111 us-east-1 app\n");
  CU_ASSERT_TRUE_FATAL (run_with (no_ecr, &run));
  CU_ASSERT_EQUAL (count_in (run.images->str, "golden AVAILABLE"), 3);
  CU_ASSERT_EQUAL (count_in (run.images->str, "app FAILED instance_profile_denied"), 3);
  run_clear (&run);
  static const Edit other_repo[] = { { "#REPO#", "golden/app" }, { NULL } };
  g_autofree char *repo = explain (other_repo);
  CU_ASSERT_STRING_EQUAL (repo, "instance_profile_denied 111111111111 us-east-1 app\n");
  CU_ASSERT_TRUE_FATAL (run_with (other_repo, &run));
  CU_ASSERT_EQUAL (count_in (run.images->str, "app FAILED instance_profile_denied"), 3);
  CU_ASSERT (strstr (run.images->str, "ecr:BatchCheckLayerAvailability on "
                                      "arn:aws:ecr:us-east-1:111111111111:repository/golden/app")
             != NULL);
  run_clear (&run);
}

static void
test_roles_instance_profile_event (void)
{
  /* golden's profile deleted at 1d12h: day 0's and day 1's builds
   * succeed, day 2's fails; explain names it after the event */
  static const Edit edits[] = {
    { "#EVENTS#", "{at: 1d12h, action: delete_role, account: \"111111111111\", role: BuildProfile}" },
    { NULL },
  };
  Run run;
  CU_ASSERT_TRUE_FATAL (run_with (edits, &run));
  CU_ASSERT_EQUAL (run.r.images_available, 5);
  CU_ASSERT_EQUAL (run.r.failures_by_cause[AMS_CAUSE_INSTANCE_PROFILE_MISSING], 1);
  g_autofree char *found = explain (edits);
  CU_ASSERT_STRING_EQUAL (found, "instance_profile_missing 111111111111 us-east-1 golden\n");
  run_clear (&run);
}

static const AmsTestCase cases[] = {
  { "healthy", test_roles_healthy },
  { "execution_trust", test_roles_execution_trust },
  { "execution_permissions", test_roles_execution_permissions },
  { "cross_account_deprecate", test_roles_cross_account_deprecate },
  { "repository_tag", test_roles_repository_tag },
  { "instance_profile_missing", test_roles_instance_profile_missing },
  { "instance_profile_denied", test_roles_instance_profile_denied },
  { "instance_profile_event", test_roles_instance_profile_event },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("service_roles", cases);
}
