/* The supply chain in runs (src/engine/chain.c, src/model/supply.c): the
 * rules of sharing Image Builder resources through RAM (DOMAIN.md §5), each
 * checked both ways — the fault is caught, in `run` and by `explain`, and
 * the healthy case is not blamed — and the ripple of a new version through
 * three tiers of pipelines against times computed by hand.
 *
 * One world serves every case: a platform account (111…) builds a golden
 * image with a hardening component and shares both with the apps OU; a
 * runtime account (222…) builds on the golden image and shares its runtime
 * with the same OU; two application accounts (333…, 444…) build on the
 * runtime; 999… is outside the organization. Build and test times are
 * fixed and schedules start on the minute, so every moment is known:
 *
 *   golden   nightly 00:00, 40 m + 10 m: AVAILABLE 00:50
 *   runtime  hourly; first build 01:00 (at 00:00 there is nothing to build
 *            on yet), 20 m + 10 m: AVAILABLE 01:30
 *   apps     hourly; 02:00 (at 01:00 the runtime is still building):
 *            AVAILABLE 02:30
 *
 * Each case changes a few lines of it (markers like #SHARING# are
 * replaced) and adds events.
 */
#include <stdio.h>
#include <string.h>

#include "ams_edit.h"
#include "ams_test.h"
#include "amisim/engine.h"
#include "amisim/records.h"
#include "amisim/supply.h"

#define OU_ARN "arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-aaaaaaaa"
#define HARDENING "arn:aws:imagebuilder:us-east-1:111111111111:component/hardening/1.0.0/1"
#define SPARE "arn:aws:imagebuilder:us-east-1:111111111111:component/spare/1.0.0/1"

static const char base[] =
  "amisim: 1\n"
  "horizon: 3d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "organizations:\n"
  "  - id: o-abcdefghij\n"
  "    management_account: \"111111111111\"\n"
  "    root: r-ab12\n"
  "    ram_sharing: #SHARING#\n"
  "    accounts: [\"111111111111\"]\n"
  "    units:\n"
  "      - {id: ou-ab12-aaaaaaaa, name: apps,\n"
  "         accounts: [\"222222222222\", \"333333333333\", \"444444444444\"]}\n"
  "    scps: [#SCPS#]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/components\n"
  "        policy: {Version: \"2012-10-17\", Statement: [\n"
  "          {Effect: Allow, Principal: {AWS: \"arn:aws:iam::111111111111:root\"}, Action: \"kms:*\","
  " Resource: \"*\"}#KEYPOLICY#]}\n"
  "  - id: \"222222222222\"\n"
  "    ram_invitations: #RAM222#\n"
  "  - id: \"333333333333\"\n"
  "  - id: \"444444444444\"\n"
  "  - id: \"999999999999\"\n"
  "components:\n"
  "  - {name: hardening, semanticVersion: 1.0.0, platform: Linux, account: \"111111111111\",\n"
  "     region: us-east-1#COMPKEY#}\n"
  "  - {name: spare, semanticVersion: 1.0.0, platform: Linux, account: \"111111111111\",\n"
  "     region: us-east-1}\n"
  "  - {name: agent, semanticVersion: 1.0.0, platform: Linux, account: \"222222222222\",\n"
  "     region: us-east-1}\n"
  "#RECIPES#"
  "x-hourly: &hourly {scheduleExpression: \"cron(0 * * * ? *)\"}\n"
  "x-launch: &launch {launchPermission: {organizationalUnitArns: [\"" OU_ARN "\"]}}\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: \"cron(0 0 * * ? *)\"}\n"
  "    recipe: {name: golden, version: 1.0.0, parentImage: ami-0abcdef1234567890,\n"
  "             components: [{componentArn: \"arn:aws:imagebuilder:us-east-1:111111111111:"
  "component/hardening/x.x.x\"}]}\n"
  "    build_time: 40m\n"
  "    test_time: 10m\n"
  "    distribution:\n"
  "      name: golden\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: #GOLDEN_AMI#\n"
  "  - name: runtime\n"
  "    account: \"222222222222\"\n"
  "    region: us-east-1\n"
  "    schedule: *hourly\n"
  "    recipe: {name: runtime, version: 1.0.0,\n"
  "             parentImage: \"arn:aws:imagebuilder:us-east-1:111111111111:image/golden/x.x.x\""
  "#RUNTIME_COMPONENTS#}\n"
  "    build_time: 20m\n"
  "    test_time: 10m\n"
  "    distribution: {name: runtime, distributions: [{region: us-east-1,"
  " amiDistributionConfiguration: *launch}]}\n"
  "  - name: app-a\n"
  "    account: \"333333333333\"\n"
  "    region: us-east-1\n"
  "    schedule: *hourly\n"
  "    recipe: {name: app-a, version: 1.0.0,\n"
  "             parentImage: \"arn:aws:imagebuilder:us-east-1:222222222222:image/runtime/x.x.x\"}\n"
  "    build_time: 20m\n"
  "    test_time: 10m\n"
  "  - name: app-b\n"
  "    account: \"444444444444\"\n"
  "    region: us-east-1\n"
  "    schedule: *hourly\n"
  "    recipe: {name: app-b, version: 1.0.0,\n"
  "             parentImage: \"arn:aws:imagebuilder:us-east-1:222222222222:image/runtime/x.x.x\"}\n"
  "    build_time: 20m\n"
  "    test_time: 10m\n"
  "#EXTRA_PIPELINES#"
  "resource_shares:\n"
  "  - name: golden-share\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    resourceArns: [\"" HARDENING "\", \"" SPARE "\"]\n"
  "    principals: [#PRINCIPAL#]\n"
  "    allowExternalPrincipals: #EXTERNAL#\n"
  "    associate_new_images: [golden]\n"
  "  - name: runtime-share\n"
  "    account: \"222222222222\"\n"
  "    region: us-east-1\n"
  "    principals: [\"" OU_ARN "\"]\n"
  "    associate_new_images: [runtime]\n"
  "  - name: app-share\n"
  "    account: \"222222222222\"\n"
  "    region: us-east-1\n"
  "    principals: []\n"
  "simulation:\n"
  "  schedule_delay: 0s\n"
  "  limits: {components_per_account_region: #QUOTA#}\n"
  "events: [#EVENTS#]\n";

/* The defaults of the markers: the healthy world. */
typedef AmsEdit Edit;

static const Edit defaults[] = {
  { "#SHARING#", "true" },
  { "#RECIPES#", "" },
  { "#SCPS#", "" },
  { "#KEYPOLICY#", "" },
  { "#RAM222#", "{accept: true}" },
  { "#COMPKEY#", "" },
  { "#GOLDEN_AMI#", "*launch" },
  { "#RUNTIME_COMPONENTS#", "" },
  { "#EXTRA_PIPELINES#", "" },
  { "#PRINCIPAL#", "\"" OU_ARN "\"" },
  { "#EXTERNAL#", "true" },
  { "#QUOTA#", "0" },
  { "#EVENTS#", "" },
};

/* The base scenario with `edits` (NULL-ended) applied, then the defaults. */
static AmsScenario *
load (const Edit *edits)
{
  return ams_edit_load ("chain.yaml", base, edits, defaults, G_N_ELEMENTS (defaults));
}

/* ---- what a run did, and what explain says -------------------------------- */

typedef struct
{
  GString *images; /* "pipeline version trigger [upstream] [ripple] start end status cause" lines */
} Log;

static void
log_image (void *user, const AmsImageRecord *r)
{
  Log *log = user;
  g_string_append_printf (log->images, "%s %s %s", r->pipeline, r->version,
                          r->trigger != NULL ? r->trigger : "-");
  if (r->upstream != NULL)
    {
      const char *tail = strrchr (r->upstream, ':');
      g_string_append_printf (log->images, " %s", tail != NULL ? tail + 1 : r->upstream);
    }
  if (r->ripple != NULL)
    g_string_append_printf (log->images, " [%s]", r->ripple);
  g_string_append_printf (log->images, " %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " %s%s%s\n",
                          r->start / AMS_TICKS_PER_SECOND, r->end / AMS_TICKS_PER_SECOND,
                          r->outcome == AMS_IMAGE_AVAILABLE ? "AVAILABLE" : "FAILED",
                          r->cause != AMS_CAUSE_NONE ? " " : "",
                          r->cause != AMS_CAUSE_NONE ? ams_cause_name (r->cause) : "");
}

typedef struct
{
  AmsResults res;
  char *images;
} Run;

static void
run_clear (Run *r)
{
  ams_results_clear (&r->res);
  g_free (r->images);
}

static gboolean
run (const Edit *edits, Run *out)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return FALSE;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  Log log = { .images = g_string_new (NULL) };
  AmsRecorder rec = { .image = log_image, .user = &log };
  ams_engine_set_recorder (e, &rec);
  ams_engine_run (e);
  ams_engine_take_results (e, &out->res);
  out->images = g_string_free (log.images, FALSE);
  return TRUE;
}

static uint64_t
failed (const Run *r, AmsCause c)
{
  return r->res.failures_by_cause[c];
}

/* The supply-chain causes `explain` names, counted. */
typedef struct
{
  guint by_cause[AMS_CAUSE_COUNT];
  guint total;
  GString *log;  /* "cause account region" lines */
} Explained;

static void
on_pipeline (const AmsScPipeline *pl, const AmsBlocker *b, gpointer user)
{
  Explained *x = user;
  x->by_cause[b->cause]++;
  x->total++;
  g_string_append_printf (x->log, "%s %s %s\n", ams_cause_name (b->cause),
                          b->account != NULL ? b->account->id : "-",
                          b->region != NULL ? b->region->name : "-");
}

static void
on_event (const AmsScEvent *ev, const AmsBlocker *b, gpointer user)
{
  on_pipeline (NULL, b, user);
}

static gboolean
explain (const Edit *edits, Explained *x)
{
  g_autoptr (AmsScenario) sc = load (edits);
  if (sc == NULL)
    return FALSE;
  memset (x, 0, sizeof *x);
  x->log = g_string_new (NULL);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  g_autoptr (AmsSupply) s = ams_supply_new (w, ax);
  ams_supply_check_all (s, on_pipeline, x);
  ams_supply_check_events (s, on_event, x);
  return TRUE;
}

static void
explained_clear (Explained *x)
{
  g_string_free (x->log, TRUE);
}

/* ---- the ripple, by hand ----------------------------------------------------- */

static void
test_chain_ripple_hand_computed (void)
{
  /* hardening 1.1.0 is published at 1d06h and joins the share: the golden
   * image rebuilds at its next match (2d 00:00), the runtime on it, the
   * apps on the runtime: a ripple three deep. */
  static const Edit edits[] = {
    { "#EVENTS#", "{at: 1d6h, action: publish_component, component: hardening, version: 1.1.0,"
                  " shares: [golden-share]}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  const char *want =
    "golden 1.0.0/1 schedule 0-3000 AVAILABLE\n"
    "runtime 1.0.0/1 dependency image/golden/1.0.0/1 [golden 1.0.0/1] 3600-5400 AVAILABLE\n"
    "app-a 1.0.0/1 dependency image/runtime/1.0.0/1 [golden 1.0.0/1] 7200-9000 AVAILABLE\n"
    "app-b 1.0.0/1 dependency image/runtime/1.0.0/1 [golden 1.0.0/1] 7200-9000 AVAILABLE\n"
    "golden 1.0.0/2 dependency component/hardening/1.1.0/1 [component hardening 1.1.0/1] "
    "172800-175800 AVAILABLE\n"
    "runtime 1.0.0/2 dependency image/golden/1.0.0/2 [component hardening 1.1.0/1] "
    "176400-178200 AVAILABLE\n"
    "app-a 1.0.0/2 dependency image/runtime/1.0.0/2 [component hardening 1.1.0/1] "
    "180000-181800 AVAILABLE\n"
    "app-b 1.0.0/2 dependency image/runtime/1.0.0/2 [component hardening 1.1.0/1] "
    "180000-181800 AVAILABLE\n";
  CU_ASSERT_STRING_EQUAL (r.images, want);
  if (strcmp (r.images, want) != 0)
    printf ("\n%s", r.images);

  CU_ASSERT_EQUAL (r.res.ripples, 2);
  CU_ASSERT_EQUAL (r.res.ripple_images, 3 + 4);
  CU_ASSERT_EQUAL (r.res.ripple_available, 7);
  CU_ASSERT_EQUAL (r.res.ripple_failed, 0);
  CU_ASSERT_EQUAL (r.res.ripple_depth_max, 3);
  AmsStatSummary s;
  ams_stat_summary (&r.res.ripple_size, &s);
  CU_ASSERT_EQUAL (s.count, 2);
  CU_ASSERT_DOUBLE_EQUAL (s.mean, 3.5, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 4.0, 1e-9);
  /* golden 1.0.0/1 AVAILABLE at 00:50, the apps at 02:30: 1h40m; hardening
   * 1.1.0 at 1d06h, the last app at 2d02h30: 20h30m */
  ams_stat_summary (&r.res.ripple_delay_s, &s);
  CU_ASSERT_EQUAL (s.count, 2);
  CU_ASSERT_DOUBLE_EQUAL (s.min, 6000.0, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 73800.0, 1e-6);
  /* the other matches saw nothing new: golden twice, the hourly ones
   * 72 times each, less their builds */
  CU_ASSERT_EQUAL (r.res.images_started, 8);
  CU_ASSERT_EQUAL (r.res.images_failed, 0);
  CU_ASSERT_EQUAL (r.res.builds_blocked, 0);
  CU_ASSERT_EQUAL (r.res.failures_total, 0);
  run_clear (&r);
}

static void
test_chain_no_update_no_build (void)
{
  /* Without a new version, nothing builds again; with EXPRESSION_MATCH_ONLY
   * the runtime builds every hour, and only its first build is the
   * ripple's. */
  Run r;
  CU_ASSERT_TRUE_FATAL (run (NULL, &r));
  CU_ASSERT_EQUAL (r.res.images_started, 4);
  CU_ASSERT_EQUAL (r.res.ripples, 1);
  CU_ASSERT_EQUAL (r.res.ripple_images, 3);
  run_clear (&r);
}

/* ---- RAM: sharing with an OU needs RAM sharing enabled ---------------------- */

static void
test_chain_org_sharing_switch (void)
{
  static const Edit off[] = { { "#SHARING#", "false" }, { NULL } };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (off, &r));
  /* the runtime cannot use the golden image; its first build fails, and it
   * sees no updates after; the apps have nothing to build on */
  CU_ASSERT (failed (&r, AMS_CAUSE_ORG_SHARING_DISABLED) >= 1);
  CU_ASSERT_EQUAL (r.res.images_available, 1);
  CU_ASSERT (strstr (r.images, "runtime 1.0.0/1 schedule 3600-3600 FAILED org_sharing_disabled")
             != NULL);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (off, &x));
  CU_ASSERT (x.by_cause[AMS_CAUSE_ORG_SHARING_DISABLED] >= 1);
  CU_ASSERT (strstr (x.log->str, "org_sharing_disabled 222222222222 us-east-1") != NULL);
  explained_clear (&x);
  run_clear (&r);

  /* enabled (the base): access at once, nothing blamed */
  CU_ASSERT_TRUE_FATAL (run (NULL, &r));
  CU_ASSERT_EQUAL (r.res.failures_total, 0);
  CU_ASSERT_EQUAL (r.res.invitations_sent, 0);
  CU_ASSERT_TRUE_FATAL (explain (NULL, &x));
  CU_ASSERT_EQUAL (x.total, 0);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- RAM: accounts are invited; access once accepted ------------------------- */

static void
test_chain_invitation (void)
{
  /* Shared with the runtime's account itself, without RAM sharing: an
   * invitation it accepts after 3 h. Its 01:00 build fails
   * (invitation_pending); at 03:00 the invitation is accepted just before
   * the match, which builds. */
  static const Edit late[] = {
    { "#SHARING#", "false" },
    { "#PRINCIPAL#", "\"222222222222\"" },
    { "#RAM222#", "{accept: true, after: 3h}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (late, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_INVITATION_PENDING), 1);
  CU_ASSERT_EQUAL (r.res.invitations_sent, 1);
  CU_ASSERT_EQUAL (r.res.invitations_accepted, 1);
  CU_ASSERT (strstr (r.images, "runtime 1.0.0/1 schedule 3600-3600 FAILED invitation_pending\n"
                               "runtime 1.0.0/2 dependency image/golden/1.0.0/1 [golden 1.0.0/1] "
                               "10800-12600 AVAILABLE") != NULL);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (late, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_INVITATION_PENDING], 1);
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_NOT_SHARED], 0); /* it will be accepted */
  explained_clear (&x);
  run_clear (&r);

  /* accepted at once (an event at 0s) : nothing fails */
  static const Edit accepted[] = {
    { "#SHARING#", "false" },
    { "#PRINCIPAL#", "\"222222222222\"" },
    { "#RAM222#", "{accept: false}" },
    { "#EVENTS#", "{at: 0s, action: accept_invitation, share: golden-share, account: "
                  "\"222222222222\"}" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (accepted, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_INVITATION_PENDING), 0);
  CU_ASSERT_EQUAL (r.res.invitations_accepted, 1);
  CU_ASSERT (strstr (r.images, "runtime 1.0.0/1 dependency image/golden/1.0.0/1 [golden 1.0.0/1] "
                               "3600-5400 AVAILABLE") != NULL);
  /* (without RAM sharing the apps cannot use the runtime through its OU) */
  CU_ASSERT (failed (&r, AMS_CAUSE_ORG_SHARING_DISABLED) >= 2);
  run_clear (&r);

  /* never accepted: pending, then expired (not shared) after 1 d */
  static const Edit never[] = {
    { "#SHARING#", "false" },
    { "#PRINCIPAL#", "\"222222222222\"" },
    { "#RAM222#", "{accept: false}" },
    { "#EVENTS#", "{at: 1d1h, action: accept_invitation, share: golden-share, account: "
                  "\"222222222222\"}" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (never, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_INVITATION_PENDING), 1);
  CU_ASSERT_EQUAL (r.res.invitations_expired, 0); /* 7 d by default: not within 3 d */
  /* the event accepted it at 1d1h, just before that hour's match */
  CU_ASSERT (strstr (r.images, "runtime 1.0.0/2 dependency image/golden/1.0.0/1 [golden 1.0.0/1] "
                               "90000-91800 AVAILABLE") != NULL);
  run_clear (&r);
}

static void
test_chain_invitation_declined (void)
{
  /* Rejected (at 30 m), or expired (simulation.ram.invitation_expiry):
   * no access; the runtime, on EXPRESSION_MATCH_ONLY, fails every hour. */
  static const Edit rejected[] = {
    { "#SHARING#", "false" },
    { "#PRINCIPAL#", "\"222222222222\"" },
    { "#RAM222#", "{accept: false}" },
    { "#EVENTS#", "{at: 30m, action: reject_invitation, share: golden-share, account: "
                  "\"222222222222\"}" },
    { "schedule: *hourly\n    recipe: {name: runtime",
      "schedule: {scheduleExpression: \"cron(0 * * * ? *)\", pipelineExecutionStartCondition: "
      "EXPRESSION_MATCH_ONLY}\n    recipe: {name: runtime" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (rejected, &r));
  CU_ASSERT_EQUAL (r.res.invitations_rejected, 1);
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_INVITATION_PENDING), 0);
  /* 00:00 nothing to build on yet, then 01:00 … 3d 00:00 */
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_UNAVAILABLE), 1);
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_NOT_SHARED), 72);
  run_clear (&r);

  /* expired after 2 h: 01:00 pending, from 02:00 not shared */
  static const Edit expired[] = {
    { "#SHARING#", "false" },
    { "#PRINCIPAL#", "\"222222222222\"" },
    { "#RAM222#", "{accept: false}" },
    { "schedule_delay: 0s\n", "schedule_delay: 0s\n  ram: {invitation_expiry: 2h}\n" },
    { "schedule: *hourly\n    recipe: {name: runtime",
      "schedule: {scheduleExpression: \"cron(0 * * * ? *)\", pipelineExecutionStartCondition: "
      "EXPRESSION_MATCH_ONLY}\n    recipe: {name: runtime" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (expired, &r));
  CU_ASSERT_EQUAL (r.res.invitations_expired, 1);
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_INVITATION_PENDING), 1);
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_NOT_SHARED), 71);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (expired, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_INVITATION_PENDING], 1);
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_NOT_SHARED], 1);
  explained_clear (&x);
  run_clear (&r);
}

static void
test_chain_external_principal (void)
{
  /* A consumer outside the organization: invited when the share allows
   * external principals, refused outright when it does not. */
  static const char vendor[] =
    "  - name: vendor\n"
    "    account: \"999999999999\"\n"
    "    region: us-east-1\n"
    "    schedule: *hourly\n"
    "    recipe: {name: vendor, version: 1.0.0, components: [{componentArn: \"" SPARE "\"}]}\n"
    "    build_time: 10m\n";
  static const Edit closed[] = {
    { "#EXTRA_PIPELINES#", vendor },
    { "#PRINCIPAL#", "\"" OU_ARN "\", \"999999999999\"" },
    { "#EXTERNAL#", "false" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (closed, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED), 1);
  CU_ASSERT_EQUAL (r.res.invitations_sent, 0);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (closed, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED], 1);
  explained_clear (&x);
  run_clear (&r);

  static const Edit open[] = {
    { "#EXTRA_PIPELINES#", vendor },
    { "#PRINCIPAL#", "\"" OU_ARN "\", \"999999999999\"" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (open, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED), 0);
  CU_ASSERT_EQUAL (r.res.invitations_sent, 1);
  CU_ASSERT_EQUAL (r.res.invitations_accepted, 1); /* the default: accepted after a delay */
  run_clear (&r);
}

/* ---- shares are regional -------------------------------------------------------- */

static void
test_chain_regional (void)
{
  /* A consumer in eu-west-1 naming the golden image of us-east-1 is
   * refused (shares, and resources, are regional); the runtime, in
   * us-east-1, is fine. (A reference naming the component in a region it
   * is not in is bad input: the loader refuses it.) */
  static const char far[] =
    "  - name: far\n"
    "    account: \"333333333333\"\n"
    "    region: eu-west-1\n"
    "    schedule: {scheduleExpression: \"cron(0 * * * ? *)\", pipelineExecutionStartCondition:"
    " EXPRESSION_MATCH_ONLY}\n"
    "    recipe: {name: far, version: 1.0.0,\n"
    "             parentImage: \"arn:aws:imagebuilder:us-east-1:111111111111:image/golden/x.x.x\"}\n"
    "    build_time: 10m\n";
  static const Edit edits[] = { { "#EXTRA_PIPELINES#", far }, { NULL } };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  /* every hour from 00:00 to 3d 00:00: a reference to another region is
   * wrong whether or not a version exists yet */
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_WRONG_REGION), 73);
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_UNAVAILABLE), 0);
  CU_ASSERT (strstr (r.images, "runtime 1.0.0/1 dependency") != NULL);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (edits, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_WRONG_REGION], 1);
  CU_ASSERT_EQUAL (x.total, 1);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- the key of a shared resource must allow the consumer ------------------------ */

static void
test_chain_key (void)
{
  static const Edit denied[] = {
    { "#COMPKEY#", ", kmsKeyId: alias/components" },
    { "#RUNTIME_COMPONENTS#", ", components: [{componentArn: \"arn:aws:imagebuilder:us-east-1:"
                              "111111111111:component/hardening/x.x.x\"}]" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (denied, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_KEY_POLICY_DENIES), 1);
  CU_ASSERT_EQUAL (r.res.images_available, 1); /* the golden image: its owner needs no grant */
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (denied, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_KEY_POLICY_DENIES], 1);
  explained_clear (&x);
  run_clear (&r);

  /* the key policy allows the organization: nothing blamed */
  static const Edit allowed[] = {
    { "#COMPKEY#", ", kmsKeyId: alias/components" },
    { "#RUNTIME_COMPONENTS#", ", components: [{componentArn: \"arn:aws:imagebuilder:us-east-1:"
                              "111111111111:component/hardening/x.x.x\"}]" },
    { "#KEYPOLICY#", ", {Effect: Allow, Principal: \"*\", Action: [\"kms:Decrypt\", "
                     "\"kms:DescribeKey\"], Resource: \"*\", Condition: {StringEquals: "
                     "{\"aws:PrincipalOrgID\": o-abcdefghij}}}" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (allowed, &r));
  CU_ASSERT_EQUAL (r.res.failures_total, 0);
  CU_ASSERT_EQUAL (r.res.images_available, 4);
  CU_ASSERT_TRUE_FATAL (explain (allowed, &x));
  CU_ASSERT_EQUAL (x.total, 0);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- the parent image's AMI must be launchable ------------------------------------ */

static void
test_chain_parent_ami (void)
{
  static const Edit no_launch[] = { { "#GOLDEN_AMI#", "{name: golden}" }, { NULL } };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (no_launch, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_PARENT_AMI_NOT_SHARED), 1);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (no_launch, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_PARENT_AMI_NOT_SHARED], 1);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- SCPs apply to the consumer's use ---------------------------------------------- */

static void
test_chain_scp (void)
{
  static const Edit scp[] = {
    { "#SCPS#", "{target: ou-ab12-aaaaaaaa, policy: {Version: \"2012-10-17\", Statement: ["
                "{Effect: Allow, Action: \"*\", Resource: \"*\"}, "
                "{Effect: Deny, Action: \"imagebuilder:GetImage\", Resource: \"*\"}]}}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (scp, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_SCP_DENIES), 1);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (scp, &x));
  /* explain also sees that the runtime never builds, so the apps have no
   * image of it to use (in the run they wait for one) */
  CU_ASSERT (strstr (x.log->str, "scp_denies 222222222222 us-east-1\n") != NULL);
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_SCP_DENIES], 1);
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_UNAVAILABLE], x.total - 1);
  CU_ASSERT (x.total > 1);
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_UNAVAILABLE), 0);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- resource policies (option 2) ------------------------------------------------- */

static void
test_chain_resource_policy (void)
{
  /* The golden image is not in any share the runtime's account is covered
   * by; a policy on its first build allows it, or allows someone else. */
  static const char allow[] =
    "resource_policies:\n"
    "  - imageArn: arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/1\n"
    "    policy: {Version: \"2012-10-17\", Statement: [{Effect: Allow, Principal: {AWS: "
    "\"#WHO#\"}, Action: \"imagebuilder:GetImage\", Resource: \"*\"}]}\n"
    "resource_shares:\n";
  static const Edit allowed[] = {
    { "resource_shares:\n", allow },
    { "#WHO#", "222222222222" },
    { "#PRINCIPAL#", "\"333333333333\"" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (allowed, &r));
  CU_ASSERT_EQUAL (r.res.failures_total, 0);
  CU_ASSERT (strstr (r.images, "runtime 1.0.0/1 dependency image/golden/1.0.0/1") != NULL);
  run_clear (&r);

  static const Edit other[] = {
    { "resource_shares:\n", allow },
    { "#WHO#", "444444444444" },
    { "#PRINCIPAL#", "\"333333333333\"" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (other, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_NOT_SHARED), 1);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (other, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_NOT_SHARED], 1);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- a recipe is a resource too ---------------------------------------------------- */

static void
test_chain_shared_recipe (void)
{
  /* The platform's "service" recipe builds on the golden image; the
   * account of app-a builds it with a pipeline of its own. Shared: the
   * pipeline builds, after the golden image (the recipe's parent) exists.
   * Not shared: refused, and explain says so. */
  static const char recipe[] =
    "recipes:\n"
    "  - name: service\n"
    "    semanticVersion: 1.2.0\n"
    "    parentImage: arn:aws:imagebuilder:us-east-1:111111111111:image/golden/x.x.x\n"
    "    account: \"111111111111\"\n"
    "    region: us-east-1\n";
  static const char consumer[] =
    "  - name: service\n"
    "    account: \"333333333333\"\n"
    "    region: us-east-1\n"
    "    schedule: *hourly\n"
    "    imageRecipeArn: arn:aws:imagebuilder:us-east-1:111111111111:image-recipe/service/x.x.x\n"
    "    build_time: 10m\n"
    "    test_time: 0s\n";
  static const Edit shared[] = {
    { "#RECIPES#", recipe },
    { "#EXTRA_PIPELINES#", consumer },
    { "\"" SPARE "\"]", "\"" SPARE "\", \"arn:aws:imagebuilder:us-east-1:111111111111:"
                        "image-recipe/service/1.2.0\"]" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (shared, &r));
  CU_ASSERT_EQUAL (r.res.failures_total, 0);
  CU_ASSERT (strstr (r.images, "service 1.2.0/1 dependency image/golden/1.0.0/1 [golden 1.0.0/1] "
                               "3600-4200 AVAILABLE") != NULL);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (shared, &x));
  CU_ASSERT_EQUAL (x.total, 0);
  explained_clear (&x);
  run_clear (&r);

  static const Edit unshared[] = {
    { "#RECIPES#", recipe },
    { "#EXTRA_PIPELINES#", consumer },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (unshared, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_NOT_SHARED), 1);
  /* the recipe itself is out of reach: refused at the first match, and no
   * update of it can be seen after */
  CU_ASSERT (strstr (r.images, "service 1.2.0/1 schedule 0-0 FAILED resource_not_shared")
             != NULL);
  CU_ASSERT_TRUE_FATAL (explain (unshared, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_NOT_SHARED], 1);
  CU_ASSERT (strstr (x.log->str, "resource_not_shared 333333333333 us-east-1") != NULL);
  explained_clear (&x);
  run_clear (&r);
}

/* ---- owners and consumers: what each may do ----------------------------------------- */

static void
test_chain_only_owner_shares (void)
{
  /* The runtime's account puts the platform's component (shared with it)
   * into its own share: re-sharing is refused. Into the platform's share:
   * refused too. Its own component into its own share: fine. */
  static const Edit edits[] = {
    { "#EVENTS#",
      "{at: 1d, action: associate_resource_share, share: app-share, resources: [\"" HARDENING
      "\"]}, "
      "{at: 1d, action: associate_resource_share, share: golden-share, account: \"222222222222\","
      " principals: [\"999999999999\"]}, "
      "{at: 1d, action: associate_resource_share, share: app-share, resources: "
      "[\"arn:aws:imagebuilder:us-east-1:222222222222:component/agent/1.0.0/1\"]}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_NOT_RESOURCE_OWNER), 2);
  CU_ASSERT_EQUAL (r.res.events_refused, 2);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (edits, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_NOT_RESOURCE_OWNER], 2);
  CU_ASSERT_EQUAL (x.total, 2);
  explained_clear (&x);
  run_clear (&r);
}

static void
test_chain_consumer_cannot_delete (void)
{
  /* A consumer deletes the platform's component: refused; the owner
   * deletes one of its own that is shared with nobody: done. */
  static const Edit edits[] = {
    { "#EVENTS#",
      "{at: 1d, action: delete_resource, arn: \"" SPARE "\", account: \"222222222222\"}, "
      "{at: 1d, action: delete_resource, arn: "
      "\"arn:aws:imagebuilder:us-east-1:222222222222:component/agent/1.0.0/1\"}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_NOT_RESOURCE_OWNER), 1);
  CU_ASSERT_EQUAL (r.res.events_refused, 1);
  run_clear (&r);
}

static void
test_chain_no_delete_while_shared (void)
{
  /* Deleting the spare component while the share holds it: refused; after
   * it leaves the share (nobody uses it): deleted. */
  static const Edit edits[] = {
    { "#EVENTS#",
      "{at: 1d, action: delete_resource, arn: \"" SPARE "\"}, "
      "{at: 1d1h, action: disassociate_resource_share, share: golden-share, resources: [\""
      SPARE "\"]}, "
      "{at: 1d2h, action: delete_resource, arn: \"" SPARE "\"}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_STILL_SHARED), 1);
  CU_ASSERT_EQUAL (r.res.events_refused, 1);
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (edits, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_STILL_SHARED], 1);
  CU_ASSERT_EQUAL (x.total, 1);
  explained_clear (&x);
  run_clear (&r);
}

static void
test_chain_no_unshare_in_use (void)
{
  /* The runtime uses the golden image through the OU principal: taking the
   * OU out of the share is refused, and so is taking out the image it
   * uses; taking out the spare component nobody uses is fine. */
  static const Edit edits[] = {
    { "#EVENTS#",
      "{at: 1d, action: disassociate_resource_share, share: golden-share, principals: [\""
      OU_ARN "\"]}, "
      "{at: 1d, action: disassociate_resource_share, share: golden-share, resources: ["
      "\"arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/1\"]}, "
      "{at: 1d, action: disassociate_resource_share, share: golden-share, resources: [\""
      SPARE "\"]}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_IN_USE), 2);
  CU_ASSERT_EQUAL (r.res.events_refused, 2);
  CU_ASSERT_EQUAL (r.res.images_available, 4); /* nothing lost access */
  Explained x;
  CU_ASSERT_TRUE_FATAL (explain (edits, &x));
  CU_ASSERT_EQUAL (x.by_cause[AMS_CAUSE_RESOURCE_IN_USE], 2);
  CU_ASSERT_EQUAL (x.total, 2);
  explained_clear (&x);
  run_clear (&r);
}

static void
test_chain_quota_owner_only (void)
{
  /* A quota of 2 components per account and region: the platform owns 2
   * (hardening, spare) and cannot publish a third; the runtime's account,
   * with 2 shared with it, owns 1 and publishes a second of its own. */
  static const Edit edits[] = {
    { "#QUOTA#", "2" },
    { "#EVENTS#",
      "{at: 1d, action: publish_component, component: hardening, version: 1.1.0}, "
      "{at: 1d, action: publish_component, component: agent, version: 1.1.0}" },
    { NULL },
  };
  Run r;
  CU_ASSERT_TRUE_FATAL (run (edits, &r));
  CU_ASSERT_EQUAL (failed (&r, AMS_CAUSE_RESOURCE_QUOTA_EXCEEDED), 1);
  CU_ASSERT_EQUAL (r.res.events_refused, 1);
  CU_ASSERT_EQUAL (r.res.images_started, 4); /* no hardening 1.1.0: no ripple */
  run_clear (&r);

  /* with room for three, the platform's version ripples */
  static const Edit room[] = {
    { "#QUOTA#", "3" },
    { "#EVENTS#", "{at: 1d, action: publish_component, component: hardening, version: 1.1.0}" },
    { NULL },
  };
  CU_ASSERT_TRUE_FATAL (run (room, &r));
  CU_ASSERT_EQUAL (r.res.events_refused, 0);
  CU_ASSERT_EQUAL (r.res.failures_total, 0);
  /* golden rebuilds at 2d; its image reaches the others through the share */
  CU_ASSERT_EQUAL (r.res.images_started, 8);
  run_clear (&r);
}

/* ---- explain and run agree on the teaching scenario -------------------------------- */

static gboolean
is_supply_cause (AmsCause c)
{
  return c >= AMS_CAUSE_RESOURCE_NOT_SHARED || c == AMS_CAUSE_KEY_POLICY_DENIES
         || c == AMS_CAUSE_SCP_DENIES;
}

static void
test_chain_teaching_scenario_agrees (void)
{
  g_autofree char *path = ams_source_path ("scenarios/supply-chain.yaml");
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (path, NULL, 0, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);

  /* explain: (cause account region) of every supply-chain blocker */
  Explained x = { .log = g_string_new (NULL) };
  {
    g_autoptr (AmsWorld) w = ams_world_new (sc);
    g_autoptr (AmsAccess) ax = ams_access_new (w);
    g_autoptr (AmsSupply) s = ams_supply_new (w, ax);
    ams_supply_check_all (s, on_pipeline, &x);
    ams_supply_check_events (s, on_event, &x);
  }
  GHashTable *named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto (GStrv) lines = g_strsplit (x.log->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_hash_table_add (named, g_strdup (lines[i]));

  /* run: every supply-chain failure */
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, sc->seed, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < r->failures->len; i++)
    {
      const AmsFailureCount *f = &g_array_index (r->failures, AmsFailureCount, i);
      if (!is_supply_cause (f->cause))
        continue;
      char *line = g_strdup_printf ("%s %s %s", ams_cause_name (f->cause), f->account, f->region);
      if (!g_hash_table_contains (named, line))
        {
          printf ("\n  run reports %s, explain does not\n", line);
          CU_FAIL ("a failure of the run that explain did not name");
        }
      g_hash_table_add (seen, line);
    }
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, named);
  while (g_hash_table_iter_next (&it, &key, NULL))
    if (!g_hash_table_contains (seen, key))
      {
        printf ("\n  explain names %s, the run never meets it\n", (const char *) key);
        CU_FAIL ("a blocker of explain that the run never met");
      }
  /* the story the scenario tells: four distinct causes */
  CU_ASSERT_EQUAL (g_hash_table_size (named), 4);
  CU_ASSERT_TRUE (g_hash_table_contains (named, "invitation_pending 999999999999 us-east-1"));
  CU_ASSERT_TRUE (g_hash_table_contains (named, "resource_not_shared 999999999999 us-east-1"));
  CU_ASSERT_TRUE (g_hash_table_contains (named, "resource_still_shared 111111111111 us-east-1"));
  CU_ASSERT_TRUE (g_hash_table_contains (named, "resource_in_use 111111111111 us-east-1"));
  CU_ASSERT (r->ripples >= 2);
  CU_ASSERT_EQUAL (r->ripple_depth_max, 3);
  g_hash_table_unref (named);
  g_hash_table_unref (seen);
  explained_clear (&x);
}

static void
test_chain_deterministic (void)
{
  /* The same scenario and seed give the same images, whatever else ran. */
  static const Edit edits[] = {
    { "#SHARING#", "false" },
    { "#PRINCIPAL#", "\"222222222222\"" },
    { "#RAM222#", "{accept: true}" },
    { NULL },
  };
  Run a, b;
  CU_ASSERT_TRUE_FATAL (run (edits, &a));
  CU_ASSERT_TRUE_FATAL (run (edits, &b));
  CU_ASSERT_STRING_EQUAL (a.images, b.images);
  run_clear (&a);
  run_clear (&b);
}

static const AmsTestCase cases[] = {
  { "ripple_hand_computed", test_chain_ripple_hand_computed },
  { "no_update_no_build", test_chain_no_update_no_build },
  { "org_sharing_switch", test_chain_org_sharing_switch },
  { "invitation", test_chain_invitation },
  { "invitation_declined", test_chain_invitation_declined },
  { "external_principal", test_chain_external_principal },
  { "regional", test_chain_regional },
  { "key", test_chain_key },
  { "parent_ami", test_chain_parent_ami },
  { "scp", test_chain_scp },
  { "resource_policy", test_chain_resource_policy },
  { "shared_recipe", test_chain_shared_recipe },
  { "only_owner_shares", test_chain_only_owner_shares },
  { "consumer_cannot_delete", test_chain_consumer_cannot_delete },
  { "no_delete_while_shared", test_chain_no_delete_while_shared },
  { "no_unshare_in_use", test_chain_no_unshare_in_use },
  { "quota_owner_only", test_chain_quota_owner_only },
  { "teaching_scenario_agrees", test_chain_teaching_scenario_agrees },
  { "deterministic", test_chain_deterministic },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("chain", cases);
}
