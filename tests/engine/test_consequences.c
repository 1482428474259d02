/* What `explain` names must happen in runs: launches under the AMI's key,
 * launch access as the organization stands at each launch, and launch
 * permissions removed or reset by events, each both ways (the fault is
 * caught; the healthy case is not blamed).
 *
 * The world: a factory account (111…) builds a golden image nightly at
 * 00:00 (30 m, AVAILABLE 00:30), encrypted with its key, and shares it in
 * us-east-1 with the apps OU (222…, 333…) and with 444… (in the other OU)
 * by account. The key policy allows the apps OU (by org path) to use it at
 * launch. Consumers launch every hour or so from the newest AMI they may
 * use. Markers (#…#) are replaced per case.
 */
#include <stdio.h>
#include <string.h>

#include "ams_edit.h"
#include "ams_test.h"
#include "amisim/engine.h"
#include "amisim/preflight.h"

#define APPS_OU "arn:aws:organizations::111111111111:ou/o-aaaaaaaaaa/ou-aaaa-appsapps"
#define OTHER_OU "arn:aws:organizations::111111111111:ou/o-aaaaaaaaaa/ou-aaaa-other000"

static const char base[] =
  "amisim: 1\n"
  "horizon: 4d\n"
  "seed: 3\n"
  "regions: [{name: us-east-1}]\n"
  "organizations:\n"
  "  - id: o-aaaaaaaaaa\n"
  "    management_account: \"111111111111\"\n"
  "    root: r-aaaa\n"
  "    units:\n"
  "      - {id: ou-aaaa-appsapps, name: apps, accounts: [\"222222222222\", \"333333333333\"]}\n"
  "      - {id: ou-aaaa-other000, name: other, accounts: [\"444444444444\"]}\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/golden\n"
  "        policy: {Version: \"2012-10-17\", Statement: [\n"
  "          {Effect: Allow, Principal: {AWS: \"arn:aws:iam::111111111111:root\"}, Action: "
  "\"kms:*\", Resource: \"*\"},\n"
  "          {Effect: Allow, Principal: \"*\", Action: [\"kms:DescribeKey\", "
  "\"kms:CreateGrant\", \"kms:Decrypt\"], Resource: \"*\",\n"
  "           Condition: {\"ForAnyValue:StringLike\": {\"aws:PrincipalOrgPaths\": "
  "[\"o-aaaaaaaaaa/r-aaaa/ou-aaaa-appsapps/*\"]}}}#KEY#]}\n"
  "  - id: \"222222222222\"\n"
  "  - id: \"333333333333\"\n"
  "  - id: \"444444444444\"\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: \"cron(0 0 * * ? *)\", pipelineExecutionStartCondition: "
  "EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: golden, version: 1.0.0, encrypted: #ENCRYPTED#, kms_key: alias/golden}\n"
  "    build_time: 30m\n"
  "    test_time: 0s\n"
  "    distribution:\n"
  "      name: golden\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration:\n"
  "            launchPermission: {organizationalUnitArns: [\"" APPS_OU "\"], "
  "userIds: [#USERS#]}\n"
  "launches:\n"
  "  - {name: consumers, accounts: [#CONSUMERS#], region: us-east-1, pipeline: golden,"
  " rate: 1/h}\n"
  "simulation: {schedule_delay: 0s}\n"
  "events: [#EVENTS#]\n";

typedef AmsEdit Edit;

static const Edit defaults[] = {
  { "#KEY#", "" },
  { "#ENCRYPTED#", "true" },
  { "#USERS#", "\"444444444444\"" },
  { "#CONSUMERS#", "\"222222222222\", \"444444444444\"" },
  { "#EVENTS#", "" },
};

static AmsScenario *
load (const Edit *edits)
{
  return ams_edit_load ("consequences.yaml", base, edits, defaults, G_N_ELEMENTS (defaults));
}

/* Launch outcomes per consumer account, before and after a moment. */
typedef struct
{
  AmsTime split;
  /* [account 0..3 for 111…444][0 before, 1 after] */
  guint ok[4][2];
  guint key[4][2];
  guint not_shared[4][2]; /* no AMI it may launch: not shared (any more), or none found */
} Tally;

static guint
slot (const char *account)
{
  return account != NULL && account[0] >= '1' && account[0] <= '4' ? (guint) (account[0] - '1')
                                                                   : 0;
}

static void
tally (void *user, const AmsTraceEvent *ev)
{
  Tally *t = user;
  if (ev->kind != AMS_TRACE_LAUNCH && ev->kind != AMS_TRACE_LAUNCH_FAILED)
    return;
  guint a = slot (ev->account), h = ev->t >= t->split;
  if (ev->kind == AMS_TRACE_LAUNCH)
    t->ok[a][h]++;
  else if (strcmp (ev->status, "key_denied") == 0)
    t->key[a][h]++;
  else if (strcmp (ev->status, "not_shared") == 0 || strcmp (ev->status, "no_ami") == 0)
    t->not_shared[a][h]++; /* (a consumer that looks again finds none it may use) */
}

static gboolean
run (const Edit *edits, AmsTime split, Tally *t, AmsResults *out)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return FALSE;
  memset (t, 0, sizeof *t);
  t->split = split;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, sc->seed, 0);
  AmsTracer tracer = { .event = tally, .user = t };
  ams_engine_set_tracer (e, &tracer);
  ams_engine_run (e);
  ams_engine_take_results (e, out);
  return TRUE;
}

/* The causes `explain` names for the launch permissions (and their keys). */
static void
count_share_blockers (const AmsBlocker *b, gpointer user)
{
  GString *log = user;
  g_string_append_printf (log, "%s %s %s\n", ams_cause_name (b->cause),
                          b->account != NULL ? b->account->id : "-",
                          b->region != NULL ? b->region->name : "-");
}

static char *
explain_shares (const Edit *edits)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return NULL;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  const AmsScPipeline *pl = sc->pipelines->pdata[0];
  AmsCopySpec spec = {
    .pipeline = pl,
    .owner = ams_world_find_account (w, pl->account.value),
    .source_region = ams_world_find_region (w, pl->region.value),
    .entry = pl->distributions->pdata[0],
    .region = ams_world_find_region (w, pl->region.value),
  };
  spec.target = spec.owner;
  GString *log = g_string_new (NULL);
  ams_access_check_shares (ax, &spec, count_share_blockers, log);
  return g_string_free (log, FALSE);
}

/* The preflight's findings (explain over the horizon): "cause account
 * region [after events[N]]\n" each. */
static void
on_finding (const AmsFinding *f, gpointer user)
{
  g_string_append_printf (user, "%s %s %s%s\n", ams_cause_name (f->b->cause),
                          f->b->account ? f->b->account->id : "-",
                          f->b->region ? f->b->region->name : "-",
                          f->after != NULL ? " after" : "");
}

static char *
preflight (const Edit *edits)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return NULL;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  GString *log = g_string_new (NULL);
  ams_preflight (w, on_finding, log);
  return g_string_free (log, FALSE);
}

/* ---- 1. launches under the AMI's key --------------------------------------- */

static void
test_consequences_launch_key (void)
{
  /* 444… may launch (account launch permission) but the key allows only
   * the apps OU: every launch of it fails once there is an AMI, with the
   * cause explain names for that share; 222… launches. */
  Tally t;
  AmsResults r;
  CU_ASSERT_TRUE_FATAL (run (NULL, AMS_TIME_NEVER, &t, &r));
  CU_ASSERT (t.ok[1][0] > 20);
  CU_ASSERT_EQUAL (t.key[1][0], 0);
  CU_ASSERT (t.key[3][0] > 20);
  CU_ASSERT_EQUAL (t.ok[3][0], 0);
  CU_ASSERT_EQUAL (r.launches_key_denied, t.key[3][0]);
  CU_ASSERT_EQUAL (r.failures_by_cause[AMS_CAUSE_KEY_POLICY_DENIES], t.key[3][0]);
  g_autofree char *explained = explain_shares (NULL);
  CU_ASSERT_STRING_EQUAL (explained, "key_policy_denies 444444444444 us-east-1\n");
  ams_results_clear (&r);

  /* the key policy also allows 444… : nothing fails, explain is quiet */
  static const Edit allowed[] = {
    { "#KEY#", ",\n          {Effect: Allow, Principal: {AWS: \"444444444444\"}, Action: "
               "[\"kms:DescribeKey\", \"kms:CreateGrant\", \"kms:Decrypt\"], Resource: \"*\"}" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (allowed, AMS_TIME_NEVER, &t, &r));
  CU_ASSERT_EQUAL (r.launches_key_denied, 0);
  CU_ASSERT_EQUAL (r.failures_total, 0);
  CU_ASSERT (t.ok[3][0] > 20);
  g_autofree char *quiet = explain_shares (allowed);
  CU_ASSERT_STRING_EQUAL (quiet, "");
  ams_results_clear (&r);

  /* not encrypted: no key to ask */
  static const Edit plain[] = { { "#ENCRYPTED#", "false" }, { "kms_key: alias/golden", "snapshot_size: 8GiB" }, { NULL } };
  CU_ASSERT_TRUE_FATAL (run (plain, AMS_TIME_NEVER, &t, &r));
  CU_ASSERT_EQUAL (r.launches_key_denied, 0);
  CU_ASSERT (t.ok[3][0] > 20);
  ams_results_clear (&r);
}

static void
test_consequences_key_disabled_at_launch (void)
{
  /* The key disabled at 2d: from then on every launch fails (key_disabled),
   * decided at the launch's moment; before, they succeed. */
  static const Edit edits[] = {
    { "#CONSUMERS#", "\"222222222222\"" },
    { "#EVENTS#", "{at: 2d, action: disable_key, key: "
                  "\"arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}" },
    { NULL },
  };
  Tally t;
  AmsResults r;
  CU_ASSERT_TRUE_FATAL (run (edits, AMS_DAYS (2), &t, &r));
  CU_ASSERT (t.ok[1][0] > 20);
  CU_ASSERT_EQUAL (t.key[1][0], 0);
  CU_ASSERT_EQUAL (t.ok[1][1], 0);
  CU_ASSERT (t.key[1][1] > 20);
  CU_ASSERT_EQUAL (r.failures_by_cause[AMS_CAUSE_KEY_DISABLED], t.key[1][1]);
  ams_results_clear (&r);

  /* explain names it for the consumer's own account once the event has
   * disabled the key (besides the build that then cannot encrypt), and
   * names nothing without the event */
  g_autofree char *named = preflight (edits);
  CU_ASSERT_PTR_NOT_NULL_FATAL (named);
  CU_ASSERT_PTR_NOT_NULL (strstr (named, "key_disabled 222222222222 us-east-1 after\n"));
  CU_ASSERT_PTR_NULL (strstr (named, "key_disabled 222222222222 us-east-1\n"));
  static const Edit no_event[] = { { "#CONSUMERS#", "\"222222222222\"" }, { NULL } };
  static const Edit no_event_allowed[] = {
    { "#CONSUMERS#", "\"222222222222\"" },
    { "#USERS#", "\"222222222222\"" },
    { NULL },
  };
  g_autofree char *healthy = preflight (no_event_allowed);
  CU_ASSERT_STRING_EQUAL (healthy, "");
  g_autofree char *other = preflight (no_event);
  CU_ASSERT_PTR_NULL (strstr (other, "key_disabled"));
}

/* ---- 2. launch access follows the organization ------------------------------ */

static void
test_consequences_org_moves (void)
{
  /* At 2d, 222… moves out of the apps OU (into "other") and 444… into it.
   * 222… loses the OU's launch permission (not_shared); 444… gains the
   * key's grant by org path (its account permission was there already). */
  static const Edit edits[] = {
    { "#EVENTS#", "{at: 2d, action: move_account, account: \"222222222222\", to: "
                  "ou-aaaa-other000}, {at: 2d, action: move_account, account: \"444444444444\", "
                  "to: ou-aaaa-appsapps}" },
    { NULL },
  };
  Tally t;
  AmsResults r;
  CU_ASSERT_TRUE_FATAL (run (edits, AMS_DAYS (2), &t, &r));
  CU_ASSERT (t.ok[1][0] > 20);
  CU_ASSERT_EQUAL (t.ok[1][1], 0);
  CU_ASSERT (t.not_shared[1][1] > 20);
  CU_ASSERT (t.key[3][0] > 20);
  CU_ASSERT_EQUAL (t.ok[3][0], 0);
  CU_ASSERT (t.ok[3][1] > 20);
  CU_ASSERT_EQUAL (t.key[3][1], 0);
  ams_results_clear (&r);

  /* without the moves (the healthy case of the same world): unchanged */
  CU_ASSERT_TRUE_FATAL (run (NULL, AMS_DAYS (2), &t, &r));
  CU_ASSERT (t.ok[1][1] > 20);
  CU_ASSERT_EQUAL (t.not_shared[1][1], 0);
  ams_results_clear (&r);
}

/* ---- 3. stopping sharing ----------------------------------------------------- */

static void
test_consequences_remove_launch_permission (void)
{
  /* At 2d the owner removes the apps OU from the AMIs that exist: 222…
   * loses access to them (it is not listed by account). The AMIs built
   * later carry the distribution's permissions again (an event changes
   * AMIs, not the distribution), so from 3d 00:30 it launches again. */
  static const Edit edits[] = {
    { "#CONSUMERS#", "\"222222222222\"" },
    { "#EVENTS#", "{at: 2d, action: modify_image_attribute, pipeline: golden, "
                  "launchPermission: {Remove: [{OrganizationalUnitArn: \"" APPS_OU "\"}]}}" },
    { NULL },
  };
  Tally t;
  AmsResults r;
  CU_ASSERT_TRUE_FATAL (run (edits, AMS_DAYS (2), &t, &r));
  CU_ASSERT (t.ok[1][0] > 20);
  CU_ASSERT (t.not_shared[1][1] > 0);
  CU_ASSERT (t.ok[1][1] > 20); /* from the next image on */
  CU_ASSERT_EQUAL (r.launches_disabled + r.launches_no_ami, t.not_shared[1][1] + t.not_shared[1][0]);
  ams_results_clear (&r);
}

static void
test_consequences_remove_covered_account (void)
{
  /* Removing 222… by account while the apps OU still covers it
   * "succeeds", and access stays (ModifyImageAttribute's documented
   * behaviour); removing 444… (covered by nothing else) ends its access. */
  static const Edit edits[] = {
    { "#KEY#", ",\n          {Effect: Allow, Principal: {AWS: \"444444444444\"}, Action: "
               "[\"kms:DescribeKey\", \"kms:CreateGrant\", \"kms:Decrypt\"], Resource: \"*\"}" },
    { "#USERS#", "\"222222222222\", \"444444444444\"" },
    { "#EVENTS#", "{at: 1d12h, action: modify_image_attribute, pipeline: golden,"
                  " launchPermission: {Remove: [{UserId: \"222222222222\"}, "
                  "{UserId: \"444444444444\"}]}}" },
    { NULL },
  };
  Tally t;
  AmsResults r;
  /* from 1d12h every AMI that exists has lost 444… (until 2d00h30 brings
   * a new one), and none has lost 222… */
  CU_ASSERT_TRUE_FATAL (run (edits, AMS_HOURS (36), &t, &r));
  CU_ASSERT (t.ok[1][1] > 20);
  CU_ASSERT_EQUAL (t.not_shared[1][1], 0);
  CU_ASSERT (t.not_shared[3][1] > 5);
  CU_ASSERT (t.not_shared[3][0] <= 1); /* (a launch before the first image exists) */
  ams_results_clear (&r);
}

static void
test_consequences_reset (void)
{
  /* ResetImageAttribute removes every launch permission of the AMIs that
   * exist; the owner keeps launching them. */
  static const Edit edits[] = {
    { "#CONSUMERS#", "\"111111111111\", \"222222222222\"" },
    { "#EVENTS#", "{at: 3d1h, action: reset_image_attribute, pipeline: golden}" },
    { NULL },
  };
  Tally t;
  AmsResults r;
  CU_ASSERT_TRUE_FATAL (run (edits, AMS_HOURS (73), &t, &r));
  CU_ASSERT (t.ok[0][1] > 10);
  CU_ASSERT_EQUAL (t.not_shared[0][1], 0);
  CU_ASSERT_EQUAL (t.ok[1][1], 0);
  CU_ASSERT (t.not_shared[1][1] > 10);
  ams_results_clear (&r);
}

static const AmsTestCase cases[] = {
  { "launch_key", test_consequences_launch_key },
  { "key_disabled_at_launch", test_consequences_key_disabled_at_launch },
  { "org_moves", test_consequences_org_moves },
  { "remove_launch_permission", test_consequences_remove_launch_permission },
  { "remove_covered_account", test_consequences_remove_covered_account },
  { "reset", test_consequences_reset },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("consequences", cases);
}
