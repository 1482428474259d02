/* Lifecycle engine tests (DOMAIN.md §6; src/engine/lifecycle.c and
 * src/engine/inventory.c).
 *
 * Every scenario is written inline and made deterministic so that its
 * outcome can be computed by hand:
 *   - start 2026-01-01T00:00:00Z, pipelines on cron(0 1 … ) (01:00 UTC),
 *     simulation.schedule_delay 0s, build_time 10m, test_time 0s: an image
 *     of day d is created at d·24h + 1h and its AMI registered at +10 min;
 *   - copies take exactly 30 min (simulation.copy.duration: 30m);
 *   - lifecycle policies run daily at 03:00 (t = r·24h + 3h on day r), and
 *     every resource state update takes simulation.lifecycle.update_time
 *     (1 min unless a test says otherwise).
 * An image of day d is therefore (r - d)·24h + 2h old at the run of day r:
 * an AGE filter of v days matches it from the run of day d + v on.
 *
 * A recorder copies every lifecycle record (strings included) into an
 * array the tests assert on; run with AMS_LC_DUMP=1 in the environment to
 * print them. */
#include <stdio.h>
#include <string.h>

#include "ams_test.h"
#include "lc_scenario.h"
#include "amisim/engine.h"

/* ---- running a scenario and keeping its lifecycle records ---------------- */

typedef struct
{
  AmsTime t;
  char *policy;
  char *pipeline;
  char *version;
  AmsLcResource resource;
  char *resource_id;
  char *account;
  char *region;
  char *action;
  AmsLcStatus status;
  char *reason;
} Row;

typedef struct
{
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  const AmsResults *r;
  GArray *rows; /* of Row: resources */
  GArray *executions; /* of Row: the executions' own rows (resource POLICY) */
} Run;

static void
row_clear (gpointer data)
{
  Row *row = data;
  g_free (row->policy);
  g_free (row->pipeline);
  g_free (row->version);
  g_free (row->resource_id);
  g_free (row->account);
  g_free (row->region);
  g_free (row->action);
  g_free (row->reason);
}

static void
on_lifecycle (void *user, const AmsLifecycleRecord *r)
{
  Run *run = user;
  GArray *rows = r->resource == AMS_LC_RESOURCE_POLICY ? run->executions : run->rows;
  Row row = {
    .t = r->t,
    .policy = g_strdup (r->policy),
    .pipeline = g_strdup (r->pipeline),
    .version = g_strdup (r->version),
    .resource = r->resource,
    .resource_id = g_strdup (r->resource_id),
    .account = g_strdup (r->account),
    .region = g_strdup (r->region),
    .action = g_strdup (r->action),
    .status = r->status,
    .reason = g_strdup (r->reason),
  };
  g_array_append_val (rows, row);
}

static const char *const resource_names[] = { "IMAGE", "AMI", "SNAPSHOT", "CONTAINER", "POLICY" };
static const char *const status_names[] = { "SUCCESS", "FAILED", "SKIPPED" };

static void
dump (const char *title, const Run *run)
{
  if (g_getenv ("AMS_LC_DUMP") == NULL)
    return;
  printf ("\n-- %s: %u lifecycle records\n", title, run->rows->len);
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      AmsTime s = w->t / AMS_TICKS_PER_SECOND;
      printf ("%3" G_GINT64_FORMAT "h%02" G_GINT64_FORMAT "m%02" G_GINT64_FORMAT "s %-10s %-8s "
              "%-9s %-22s %s %-14s %-9s %-7s %s\n",
              s / 3600, s / 60 % 60, s % 60, w->pipeline, w->version, resource_names[w->resource],
              w->resource_id, w->account, w->region, w->action, status_names[w->status],
              w->reason);
    }
  const AmsResults *r = run->r;
  printf ("lc_runs %" G_GUINT64_FORMAT " busy %" G_GUINT64_FORMAT " failed %" G_GUINT64_FORMAT
          " deprecated %" G_GUINT64_FORMAT " disabled %" G_GUINT64_FORMAT " deleted %"
          G_GUINT64_FORMAT " skipped %" G_GUINT64_FORMAT " lc_failed %" G_GUINT64_FORMAT
          " amis %" G_GUINT64_FORMAT " gib %.3f bin %.3f gib_months %.6f\n",
          r->lc_runs, r->lc_runs_busy, r->lc_runs_failed, r->lc_deprecated, r->lc_disabled,
          r->lc_deleted, r->lc_skipped, r->lc_failed, r->amis, r->storage_gib,
          r->recycle_bin_gib, r->storage_gib_months);
  printf ("launches %" G_GUINT64_FORMAT " ok %" G_GUINT64_FORMAT " disabled %" G_GUINT64_FORMAT
          " deleted %" G_GUINT64_FORMAT " no_ami %" G_GUINT64_FORMAT "\n",
          r->launches, r->launches_ok, r->launches_disabled, r->launches_deleted,
          r->launches_no_ami);
}

/* Loads `text` with the overrides, runs it with `seed` and keeps the
 * lifecycle records; NULL (with the loader's message printed) if the
 * scenario does not load. `lifecycle` < 0 keeps the scenario's setting. */
static Run *
run_full (const char *text, const AmsOverride *ov, guint n, uint64_t seed, int lifecycle)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("inline.yaml", text, -1, ov, n, &error);
  if (sc == NULL)
    {
      printf ("\n%s\n", error->message);
      return NULL;
    }
  Run *run = g_new0 (Run, 1);
  run->sc = sc;
  run->w = ams_world_new (sc);
  run->e = ams_engine_new (sc, run->w, seed, 0);
  run->rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (run->rows, row_clear);
  run->executions = g_array_new (FALSE, TRUE, sizeof (Row));
  g_array_set_clear_func (run->executions, row_clear);
  AmsRecorder rec = { .lifecycle = on_lifecycle, .user = run };
  ams_engine_set_recorder (run->e, &rec);
  if (lifecycle >= 0)
    ams_engine_set_lifecycle (run->e, lifecycle != 0);
  ams_engine_run (run->e);
  run->r = ams_engine_results (run->e);
  return run;
}

static Run *
run_with (const char *text, const AmsOverride *ov, guint n)
{
  return run_full (text, ov, n, 1, -1);
}

static void
run_free (Run *run)
{
  if (run == NULL)
    return;
  g_array_unref (run->rows);
  g_array_unref (run->executions);
  ams_engine_free (run->e);
  ams_world_free (run->w);
  ams_scenario_free (run->sc);
  g_free (run);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

/* Matching rows: NULL or -1 match anything. */
typedef struct
{
  int resource;          /* AmsLcResource or -1 */
  const char *version;
  const char *action;
  int status;            /* AmsLcStatus or -1 */
  const char *reason;
  const char *account;
  const char *region;
  AmsTime t;             /* -1: any time */
} Want;

#define ANY { -1, NULL, NULL, -1, NULL, NULL, NULL, -1 }

static gboolean
row_matches (const Row *w, const Want *q)
{
  return (q->resource < 0 || (int) w->resource == q->resource)
         && (q->version == NULL || strcmp (w->version, q->version) == 0)
         && (q->action == NULL || strcmp (w->action, q->action) == 0)
         && (q->status < 0 || (int) w->status == q->status)
         && (q->reason == NULL || strcmp (w->reason, q->reason) == 0)
         && (q->account == NULL || strcmp (w->account, q->account) == 0)
         && (q->region == NULL || strcmp (w->region, q->region) == 0)
         && (q->t < 0 || w->t == q->t);
}

static guint
count_rows (const Run *run, Want q)
{
  guint n = 0;
  for (guint i = 0; i < run->rows->len; i++)
    n += row_matches (&g_array_index (run->rows, Row, i), &q);
  return n;
}

/* The only row matching, or NULL when none or several match. */
static const Row *
the_row (const Run *run, Want q)
{
  const Row *found = NULL;
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      if (!row_matches (w, &q))
        continue;
      if (found != NULL)
        return NULL;
      found = w;
    }
  return found;
}

static double
stat_max (const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  return s.max;
}

static uint64_t
stat_count (const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  return s.count;
}

#define GIB10 (10.0)

/* ---- 1. COUNT retention per recipe version ------------------------------- */

/* DOMAIN.md §6: retention for delete is counted per recipe version: a
 * policy on 1.x.x with COUNT 2 keeps two images of 1.0.0 AND two of 1.1.0.
 * Builds on days 0..4 (horizon 4d4h: the run of day 4 at 99h is the last, its
 * updates end before the horizon).
 * At the run of day r each version has images of days 0..r; COUNT 2 deletes
 * those of days ≤ r-2: day 0 at run 2, day 1 at run 3, day 2 at run 4 —
 * three per version, six in all; the images of days 3 and 4 remain, 2 per
 * version, 4 AMIs of 10 GiB. Each deletion: AMI deregistered at +1 min,
 * its snapshot deleted at +2 min, then the image record. */
static const char count_per_version[] =
  HEAD ("4d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("old", "base", "1.0.0", "1", "*") HOME_ONLY
  PIPELINE ("new", "base", "1.1.0", "1", "*") HOME_ONLY
  "lifecycle_policies:\n"
  POLICY ("keep-two", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 2}\n"
  SIMULATION;

static void
test_lc_count_per_recipe_version (void)
{
  g_autoptr (Run) run = run_with (count_per_version, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("count per version", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 10);
  CU_ASSERT_EQUAL (r->lc_runs, 5);
  CU_ASSERT_EQUAL (r->lc_deleted, 6);
  CU_ASSERT_EQUAL (r->lc_amis_deregistered, 6);
  CU_ASSERT_EQUAL (r->lc_snapshots_deleted, 6);
  CU_ASSERT_EQUAL (r->lc_skipped, 0);
  CU_ASSERT_EQUAL (r->lc_failed, 0);
  CU_ASSERT_EQUAL (r->amis, 4);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, 4 * GIB10, 1e-9);
  CU_ASSERT_EQUAL (run->rows->len, 6 * 3);
  static const char *const versions[] = { "1.0.0", "1.1.0" };
  for (guint v = 0; v < 2; v++)
    for (guint b = 1; b <= 5; b++)
      {
        g_autofree char *id = g_strdup_printf ("%s/%u", versions[v], b);
        guint day = b - 1;
        if (b <= 3)
          {
            /* deleted at the run of day b + 1 (= day + 2) */
            const Row *img = the_row (run, (Want) { IMG, id, "DELETE", OK, "", NULL, NULL, -1 });
            CU_ASSERT_PTR_NOT_NULL (img);
            if (img != NULL)
              CU_ASSERT_EQUAL (img->t, RUN_PLUS (day + 2, 2));
            CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, id, "DELETE", OK, "", "111111111111",
                                                        "us-east-1", RUN_PLUS (day + 2, 1) }), 1);
            CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, id, "DELETE", OK, "", NULL, NULL,
                                                        RUN_PLUS (day + 2, 2) }), 1);
          }
        else
          {
            Want any = ANY;
            any.version = id;
            CU_ASSERT_EQUAL (count_rows (run, any), 0);
          }
      }

  /* semanticVersion 1.0.x selects 1.0.0 only: its 3 deletions; 2 + 5 AMIs left */
  AmsOverride only_100[] = {
    { "lifecycle_policies[0].resourceSelection.recipes[0].semanticVersion", "1.0.x", "test" },
  };
  g_autoptr (Run) narrow = run_with (count_per_version, only_100, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (narrow);
  CU_ASSERT_EQUAL (narrow->r->lc_deleted, 3);
  CU_ASSERT_EQUAL (narrow->r->amis, 7);
  for (guint i = 0; i < narrow->rows->len; i++)
    CU_ASSERT_STRING_EQUAL (g_array_index (narrow->rows, Row, i).pipeline, "old");
}


/* ---- 2. FAILED images ------------------------------------------------------ */

/* DOMAIN.md §6: FAILED images always qualify for DELETE and take no slot.
 * Two pipelines build recipe base 1.0.0 (one counter: builds /1, /2, … in
 * start order): "good" at 01:00, "bad" at 02:00 with failure_probability 1,
 * so each day's failed image is newer than its good one. Builds on days
 * 0..3; runs of days 0..3. Day d: good is build 2d+1, bad 2d+2.
 * At the run of day r (newest first: bad_r, good_r, bad_r-1, …) COUNT 2
 * deletes every failed image not yet deleted (bad_r at once: no AMI, so the
 * image record comes at the run's time) and the good images older than the
 * two newest good ones (good_r-2). Deleted: 4 failed + good of days 0 and
 * 1 = 6; left: good of days 2 and 3 (builds /5 and /7), 2 AMIs. Had failed
 * images taken slots, good of day 2 would have gone at the run of day 3. */
static const char failed_images[] =
  HEAD ("3d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("good", "base", "1.0.0", "1", "*") HOME_ONLY
  PIPELINE ("bad", "base", "1.0.0", "2", "*") HOME_ONLY
  "    failure_probability: 1\n"
  "lifecycle_policies:\n"
  POLICY ("keep-two", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 2}\n"
  SIMULATION;

static void
test_lc_failed_images_take_no_slot (void)
{
  g_autoptr (Run) run = run_with (failed_images, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("failed images", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 4);
  CU_ASSERT_EQUAL (r->images_failed, 4);
  CU_ASSERT_EQUAL (r->lc_deleted, 6);
  CU_ASSERT_EQUAL (r->lc_amis_deregistered, 2);
  CU_ASSERT_EQUAL (r->amis, 2);
  for (guint d = 0; d < 4; d++)
    {
      /* the failed image of day d goes at the run of day d, at once */
      g_autofree char *bad = g_strdup_printf ("1.0.0/%u", 2 * d + 2);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, bad, "DELETE", OK, "", NULL, NULL, RUN (d) }), 1);
      Want any = ANY;
      any.version = bad;
      CU_ASSERT_EQUAL (count_rows (run, any), 1); /* no AMI, no snapshot */
    }
  /* good of day 0 (/1) at the run of day 2, of day 1 (/3) at the run of day 3 */
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/3", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 2) }), 1);
  Want five = ANY, seven = ANY;
  five.version = "1.0.0/5";
  seven.version = "1.0.0/7";
  CU_ASSERT_EQUAL (count_rows (run, five), 0);
  CU_ASSERT_EQUAL (count_rows (run, seven), 0);
}

/* ---- 3. AGE with retainAtLeast ----------------------------------------------- */

/* DOMAIN.md §6: AGE v matches images at least v units old; retainAtLeast k
 * keeps the newest k whatever their age. Builds only on days 0, 1, 2
 * (cron day-of-month 1-3); runs of days 0..7; DELETE AGE 3 DAYS,
 * retainAtLeast 2. The image of day 0 (/1) is 3d2h old at the run of day 3
 * and not one of the two newest: deleted then (not at the run of day 2,
 * when it is 2d2h old). /2 and /3 reach 3 days at the runs of days 4 and
 * 5 but are the two newest: kept to the end. Without retainAtLeast they go
 * at the runs of days 4 and 5. */
static const char age_retain[] =
  HEAD ("7d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("golden", "golden", "1.0.0", "1", "1-3") HOME_ONLY
  "lifecycle_policies:\n"
  POLICY ("three-days", "golden", "1.0.0")
  DELETE_ALL
  "        filter: {type: AGE, value: 3, unit: DAYS, retainAtLeast: 2}\n"
  SIMULATION;

static void
test_lc_age_retain_at_least (void)
{
  g_autoptr (Run) run = run_with (age_retain, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("age retainAtLeast", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 3);
  CU_ASSERT_EQUAL (r->lc_runs, 8);
  CU_ASSERT_EQUAL (r->lc_deleted, 1);
  CU_ASSERT_EQUAL (r->amis, 2);
  CU_ASSERT_EQUAL (run->rows->len, 3);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 2) }), 1);

  /* the same without retainAtLeast: one image a day from the run of day 3 */
  g_autofree char *plain = g_strdup (age_retain);
  char *at = strstr (plain, ", retainAtLeast: 2");
  CU_ASSERT_PTR_NOT_NULL_FATAL (at);
  memmove (at, at + strlen (", retainAtLeast: 2"), strlen (at + strlen (", retainAtLeast: 2")) + 1);
  g_autoptr (Run) all = run_with (plain, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (all);
  dump ("age without retainAtLeast", all);
  CU_ASSERT_EQUAL (all->r->lc_deleted, 3);
  CU_ASSERT_EQUAL (all->r->amis, 0);
  for (guint d = 0; d < 3; d++)
    {
      g_autofree char *v = g_strdup_printf ("1.0.0/%u", d + 1);
      CU_ASSERT_EQUAL (count_rows (all, (Want) { IMG, v, "DELETE", OK, "", NULL, NULL, RUN_PLUS (d + 3, 2) }), 1);
    }
}

/* ---- 4. image tag exclusion ---------------------------------------------------- */

/* DOMAIN.md §6: the image-tag exclusion (exclusionRules.tagMap against the
 * pipeline's image_tags) is checked after retention, and an excluded image
 * takes no slot; lifecycle.c records it SKIPPED "exclusionRules.tagMap"
 * where it would have matched. "plain" builds at 01:00, "pinned" (tagged
 * keep=yes) at 02:00, same recipe version, days 0..3; COUNT 1.
 * Run of day r, newest first: pinned_r (would not match: no record),
 * plain_r (kept: the slot), pinned_r-1 … pinned_0 (match, excluded:
 * SKIPPED each), plain_r-1 (deleted). SKIPPED rows: 0+1+2+3 = 6; plain of
 * days 0..2 deleted; left: plain of day 3 and the 4 pinned, 5 AMIs. Had a
 * pinned image taken the slot, plain_r would have been deleted each day. */
static const char tag_exclusion[] =
  HEAD ("3d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("plain", "base", "1.0.0", "1", "*") HOME_ONLY
  PIPELINE ("pinned", "base", "1.0.0", "2", "*") HOME_ONLY
  "    image_tags: {keep: \"yes\"}\n"
  "lifecycle_policies:\n"
  POLICY ("keep-one", "base", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 1}\n"
  "        exclusionRules: {tagMap: {keep: \"yes\"}}\n"
  SIMULATION;

static void
test_lc_tag_exclusion_takes_no_slot (void)
{
  g_autoptr (Run) run = run_with (tag_exclusion, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("tag exclusion", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 8);
  CU_ASSERT_EQUAL (r->lc_deleted, 3);
  CU_ASSERT_EQUAL (r->lc_skipped, 6);
  CU_ASSERT_EQUAL (r->amis, 5);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, NULL, "DELETE", SKIPPED, "exclusionRules.tagMap", NULL, NULL, -1 }), 6);
  for (guint r_ = 1; r_ <= 3; r_++)
    {
      /* the run of day r skips pinned of days 0..r-1 (builds 2d+2) and deletes plain of day r-1 */
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, NULL, NULL, SKIPPED, NULL, NULL, NULL, RUN (r_) }), r_);
      g_autofree char *plain = g_strdup_printf ("1.0.0/%u", 2 * (r_ - 1) + 1);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, plain, "DELETE", OK, "", NULL, NULL, RUN_PLUS (r_, 2) }), 1);
    }
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      CU_ASSERT_STRING_EQUAL (w->pipeline, w->status == SKIPPED ? "pinned" : "plain");
    }
  Want last = ANY;
  last.version = "1.0.0/7"; /* plain of day 3 */
  CU_ASSERT_EQUAL (count_rows (run, last), 0);
}


/* ---- 5. AMI exclusions and their order --------------------------------------- */

/* DOMAIN.md §6: AMI exclusions run per output AMI in the order regions,
 * isPublic, AMI tags, sharedAccounts, lastLaunched; the first match skips
 * the AMI with that reason; a DELETE whose AMIs were not all deregistered
 * leaves the image (image row SKIPPED, not deleted).
 * Each image has six AMIs (copies take 30 min, all in place by 01:40):
 *   us-east-1      owner, public + amiTags keep=yes   -> isPublic (before tagMap)
 *   eu-west-1      owner, amiTags + shared with 444   -> tagMap (before sharedAccounts)
 *   ap-southeast-2 owner, public, excluded region     -> regions (before isPublic)
 *   eu-central-1   owner, nothing                     -> deregistered
 *   eu-central-1   copy in 444                        -> sharedAccounts (it is in 444)
 *   us-west-2      owner, shared with 444             -> sharedAccounts
 * Builds on days 0 and 1; COUNT 1 matches /1 at the run of day 1 (27h):
 * five AMIs SKIPPED at 27h, one deregistered at 27h+1m, its snapshot at
 * +2m, then the image row SKIPPED "5 AMIs not deregistered" (not counted
 * again in lc_skipped). AMIs at the end: 6 of /2 + 5 of /1 = 11. */
static const char ami_exclusions[] =
  HEAD ("1d4h")
  "regions: [{name: us-east-1}, {name: eu-west-1}, {name: ap-southeast-2}, {name: eu-central-1}, "
  "{name: us-west-2}]\n"
  "accounts:\n" OWNER
  "    block_public_ami_access: false\n"
  "  - id: \"444444444444\"\n"
  "    roles:\n" DISTRIBUTION_ROLE LIFECYCLE_ROLE ("111111111111")
  "pipelines:\n"
  PIPELINE ("golden", "golden", "1.0.0", "1", "*")
  "    distribution:\n"
  "      name: many\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration:\n"
  "            launchPermission: {userGroups: [all]}\n"
  "            amiTags: {keep: \"yes\"}\n"
  "        - region: eu-west-1\n"
  "          amiDistributionConfiguration:\n"
  "            amiTags: {keep: \"yes\"}\n"
  "            launchPermission: {userIds: [\"444444444444\"]}\n"
  "        - region: ap-southeast-2\n"
  "          amiDistributionConfiguration:\n"
  "            launchPermission: {userGroups: [all]}\n"
  "        - region: eu-central-1\n"
  "          amiDistributionConfiguration:\n"
  "            targetAccountIds: [\"444444444444\"]\n"
  "        - region: us-west-2\n"
  "          amiDistributionConfiguration:\n"
  "            launchPermission: {userIds: [\"444444444444\"]}\n"
  "lifecycle_policies:\n"
  POLICY ("keep-one", "golden", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 1}\n"
  "        exclusionRules:\n"
  "          amis:\n"
  "            regions: [ap-southeast-2]\n"
  "            isPublic: true\n"
  "            tagMap: {keep: \"yes\"}\n"
  "            sharedAccounts: [\"444444444444\"]\n"
  SIMULATION;

static void
test_lc_ami_exclusions_order (void)
{
  g_autoptr (Run) run = run_with (ami_exclusions, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("AMI exclusions", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 2);
  CU_ASSERT_EQUAL (r->copies_succeeded, 2 * 5);
  CU_ASSERT_EQUAL (r->lc_deleted, 0);
  CU_ASSERT_EQUAL (r->lc_amis_deregistered, 1);
  CU_ASSERT_EQUAL (r->lc_snapshots_deleted, 1);
  CU_ASSERT_EQUAL (r->lc_skipped, 5);
  CU_ASSERT_EQUAL (r->lc_failed, 0);
  CU_ASSERT_EQUAL (r->lc_runs_failed, 0);
  CU_ASSERT_EQUAL (r->amis, 11);
  CU_ASSERT_EQUAL (run->rows->len, 5 + 1 + 1 + 1);
  const char *const O = "111111111111", *const T = "444444444444";
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.isPublic", O, "us-east-1", RUN (1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.tagMap", O, "eu-west-1", RUN (1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.regions", O, "ap-southeast-2", RUN (1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.sharedAccounts", T, "eu-central-1", RUN (1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.sharedAccounts", O, "us-west-2", RUN (1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", O, "eu-central-1", RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/1", "DELETE", OK, "", O, "eu-central-1", RUN_PLUS (1, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", SKIPPED, "5 AMIs not deregistered", NULL, NULL, RUN_PLUS (1, 2) }), 1);
}

/* DOMAIN.md §6 / inventory.c: lastLaunched as EC2 reports it, a day late
 * (published once a day at the run time with the day before's launches: a
 * run sees launches at least 24 h old). "old" builds /1 once on day 0 at
 * `hour`; "new" builds /2 on day 1 at 01:00 (same recipe version); COUNT 1
 * matches /1 at the run of day 1 (27h). A consumer in the owner account
 * launches from "old" 100 times an hour, so there is a launch seconds
 * before every run once the AMI exists.
 *   old at 01:00 (AMI 01:10): launches before 03:00 of day 0 are published
 *     at 27h, about 24 h old: lastLaunched 2 DAYS excludes /1's AMI;
 *     lastLaunched 1 DAYS cannot (what is published is ≥ 24 h old):
 *     deleted;
 *   old at 04:00 (AMI 04:10): its launches (all after 03:00 of day 0) are
 *     published only at the run of day 2: at 27h EC2 reports none, and
 *     lastLaunched 2 DAYS does not exclude the AMI launched a minute ago. */
static const char last_launched[] =
  HEAD ("1d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("old", "golden", "1.0.0", "1", "1") HOME_ONLY
  PIPELINE ("new", "golden", "1.0.0", "1", "2") HOME_ONLY
  "launches:\n"
  "  - {name: fleet, accounts: [\"111111111111\"], region: us-east-1, pipeline: old, "
  "rate: 2400/d, refresh: 0s}\n"
  "lifecycle_policies:\n"
  POLICY ("keep-one", "golden", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 1}\n"
  "        exclusionRules: {amis: {lastLaunched: {value: 2, unit: DAYS}}}\n"
  SIMULATION;

static void
test_lc_last_launched_lags_a_day (void)
{
  /* launched before 03:00 of day 0: seen at 27h, within 2 days: excluded */
  g_autoptr (Run) early = run_with (last_launched, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (early);
  dump ("lastLaunched, AMI at 01:10", early);
  CU_ASSERT (early->r->launches_ok > 0);
  CU_ASSERT (early->r->launches_no_ami > 0); /* before 01:10 */
  CU_ASSERT_EQUAL (early->r->lc_deleted, 0);
  CU_ASSERT_EQUAL (early->r->lc_skipped, 1);
  CU_ASSERT_EQUAL (early->rows->len, 2);
  CU_ASSERT_EQUAL (count_rows (early, (Want) { AMI, "1.0.0/1", "DELETE", SKIPPED, "exclusionRules.amis.lastLaunched", NULL, NULL, RUN (1) }), 1);
  CU_ASSERT_EQUAL (count_rows (early, (Want) { IMG, "1.0.0/1", "DELETE", SKIPPED, "1 AMIs not deregistered", NULL, NULL, RUN (1) }), 1);
  CU_ASSERT_EQUAL (early->r->amis, 2);
  CU_ASSERT_EQUAL (early->r->launches_deleted, 0);

  /* lastLaunched 1 DAYS: what EC2 reports is always at least a day old */
  AmsOverride one_day[] = {
    { "lifecycle_policies[0].policyDetails[0].exclusionRules.amis.lastLaunched.value", "1", "test" },
  };
  g_autoptr (Run) lag = run_with (last_launched, one_day, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (lag);
  dump ("lastLaunched 1 day", lag);
  CU_ASSERT_EQUAL (lag->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (lag->r->lc_skipped, 0);
  CU_ASSERT_EQUAL (count_rows (lag, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 2) }), 1);
  CU_ASSERT_EQUAL (lag->r->amis, 1);

  /* AMI at 04:10 of day 0: launched up to the run, but none published yet */
  AmsOverride late[] = {
    { "pipelines[0].schedule.scheduleExpression", "cron(0 4 1 * ? *)", "test" },
  };
  g_autoptr (Run) unseen = run_with (last_launched, late, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (unseen);
  dump ("lastLaunched, AMI at 04:10", unseen);
  CU_ASSERT (unseen->r->launches_ok > 0);
  CU_ASSERT_EQUAL (unseen->r->lc_skipped, 0);
  CU_ASSERT_EQUAL (unseen->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (count_rows (unseen, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 1) }), 1);
  /* the consumer (refresh 0) finds no AMI of "old" once it is gone */
  CU_ASSERT (unseen->r->launches_no_ami > 0);
  CU_ASSERT_EQUAL (unseen->r->launches_deleted, 0);
}

/* DOMAIN.md §4/§6: isPublic means the AMI IS public. With the owner's
 * block_public_ami_access on (the default) the userGroups: all launch
 * permission fails (public_share_blocked) and the images are FAILED (so
 * DELETE takes them whatever COUNT says); their AMIs are not public and
 * must not be excluded by isPublic. Builds on days 0 and 1; runs of days
 * 0 and 1: /1's AMI deregistered at the run of day 0 (3h+1m), /2's at the
 * run of day 1; nothing SKIPPED, both images deleted, no AMI left. */
static const char blocked_public[] =
  HEAD ("1d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("golden", "golden", "1.0.0", "1", "*")
  "    distribution:\n"
  "      name: public\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration: {launchPermission: {userGroups: [all]}}\n"
  "lifecycle_policies:\n"
  POLICY ("keep-five", "golden", "1.x.x")
  DELETE_ALL
  "        filter: {type: COUNT, value: 5}\n"
  "        exclusionRules: {amis: {isPublic: true}}\n"
  SIMULATION;

static void
test_lc_blocked_public_share_is_not_public (void)
{
  g_autoptr (Run) run = run_with (blocked_public, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("blocked public share", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_failed, 2);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_PUBLIC_SHARE_BLOCKED], 2);
  /* regression: the image's own AMI must be recorded after its region's
   * launch permissions are decided (a refused public share is no share),
   * else it counts as public and is SKIPPED exclusionRules.amis.isPublic
   * forever */
  CU_ASSERT_EQUAL (r->lc_skipped, 0);
  CU_ASSERT_EQUAL (r->lc_deleted, 2);
  CU_ASSERT_EQUAL (r->amis, 0);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (0, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/2", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 1) }), 1);
}


/* ---- 6. one action per image per run, priority, skip rules ---------------------- */

/* One pipeline "golden" building /1 once (day 0, 01:00), its AMI in
 * us-east-1 only, and a policy "stages" (selecting it) whose rules are
 * `details`; `owner` is added to the owner account, `tail` after the
 * simulation section (events, launches). */
static char *
one_image (const char *horizon, const char *owner, const char *details, const char *tail)
{
  return g_strdup_printf (HEAD ("%s")
                          "regions: [{name: us-east-1}]\n"
                          "accounts:\n" OWNER
                          "%s"
                          "pipelines:\n"
                          PIPELINE ("golden", "golden", "1.0.0", "1", "1") HOME_ONLY
                          "lifecycle_policies:\n"
                          POLICY ("stages", "golden", "1.x.x")
                          "%s"
                          SIMULATION
                          "%s",
                          horizon, owner, details, tail);
}

static char *
one_image_policy (const char *horizon, const char *details)
{
  return one_image (horizon, "", details, "");
}

/* DOMAIN.md §6: rules apply in priority DEPRECATE > DISABLE > DELETE, at
 * most one action per image per run; deprecate skips deprecated/disabled
 * images, disable skips disabled ones, delete considers every state.
 * DEPRECATE AGE 1, DISABLE AGE 2, DELETE AGE 3: /1 (created 01:00 day 0)
 * is deprecated at the run of day 1, disabled at day 2 (deprecate matches
 * again but is skipped), deleted at day 3 (both others skipped); its
 * snapshot is not deleted: the AMI is disabled (SKIPPED). Nothing at the
 * run of day 4. Each AMI update ends 1 min after the run. */
static void
test_lc_one_action_per_run (void)
{
  g_autofree char *text = one_image_policy (
    "4d4h",
    "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
    "        filter: {type: AGE, value: 1, unit: DAYS}\n"
    "      - action: {type: DISABLE, includeResources: {amis: true}}\n"
    "        filter: {type: AGE, value: 2, unit: DAYS}\n"
    DELETE_ALL
    "        filter: {type: AGE, value: 3, unit: DAYS}\n");
  g_autoptr (Run) run = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("three stages", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->lc_runs, 5);
  CU_ASSERT_EQUAL (r->lc_deprecated, 1);
  CU_ASSERT_EQUAL (r->lc_disabled, 1);
  CU_ASSERT_EQUAL (r->lc_deleted, 1);
  CU_ASSERT_EQUAL (r->lc_amis_deprecated, 1);
  CU_ASSERT_EQUAL (r->lc_amis_disabled, 1);
  CU_ASSERT_EQUAL (r->lc_amis_deregistered, 1);
  CU_ASSERT_EQUAL (r->lc_snapshots_deleted, 0);
  CU_ASSERT_EQUAL (r->lc_skipped, 1);
  CU_ASSERT_EQUAL (run->rows->len, 7);
  static const struct
  {
    AmsLcResource what;
    const char *action;
    AmsLcStatus status;
    const char *reason;
    AmsTime t;
  } expect[] = {
    { AMS_LC_RESOURCE_AMI, "DEPRECATE", AMS_LC_SUCCESS, "", RUN_PLUS (1, 1) },
    { AMS_LC_RESOURCE_IMAGE, "DEPRECATE", AMS_LC_SUCCESS, "", RUN_PLUS (1, 1) },
    { AMS_LC_RESOURCE_AMI, "DISABLE", AMS_LC_SUCCESS, "", RUN_PLUS (2, 1) },
    { AMS_LC_RESOURCE_IMAGE, "DISABLE", AMS_LC_SUCCESS, "", RUN_PLUS (2, 1) },
    { AMS_LC_RESOURCE_AMI, "DELETE", AMS_LC_SUCCESS, "", RUN_PLUS (3, 1) },
    { AMS_LC_RESOURCE_SNAPSHOT, "DELETE", AMS_LC_SKIPPED, "the AMI is disabled", RUN_PLUS (3, 2) },
    { AMS_LC_RESOURCE_IMAGE, "DELETE", AMS_LC_SUCCESS, "", RUN_PLUS (3, 2) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expect) && i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      CU_ASSERT_EQUAL (w->resource, expect[i].what);
      CU_ASSERT_STRING_EQUAL (w->action, expect[i].action);
      CU_ASSERT_EQUAL (w->status, expect[i].status);
      CU_ASSERT_STRING_EQUAL (w->reason, expect[i].reason);
      CU_ASSERT_EQUAL (w->t, expect[i].t);
      CU_ASSERT_STRING_EQUAL (w->version, "1.0.0/1");
    }
  /* the disabled AMI's snapshot stays */
  CU_ASSERT_EQUAL (r->amis, 0);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, GIB10, 1e-9);

  /* DEPRECATE AGE 1 and DELETE AGE 1 both match at the run of day 1:
   * deprecate wins; delete follows at the run of day 2 */
  g_autofree char *both = one_image_policy (
    "2d4h",
    "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
    "        filter: {type: AGE, value: 1, unit: DAYS}\n"
    DELETE_ALL
    "        filter: {type: AGE, value: 1, unit: DAYS}\n");
  g_autoptr (Run) prio = run_with (both, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (prio);
  dump ("deprecate before delete", prio);
  CU_ASSERT_EQUAL (count_rows (prio, (Want) { IMG, "1.0.0/1", "DEPRECATE", OK, "", NULL, NULL, RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (prio, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (prio, (Want) { SNAP, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 2) }), 1);
  CU_ASSERT_EQUAL (prio->rows->len, 2 + 3);
  CU_ASSERT_DOUBLE_EQUAL (prio->r->storage_gib, 0.0, 1e-9);

  /* DEPRECATE alone, five runs after it matches: deprecated once */
  g_autofree char *once = one_image_policy (
    "5d4h",
    "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
    "        filter: {type: AGE, value: 1, unit: DAYS}\n");
  g_autoptr (Run) dep = run_with (once, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dep);
  CU_ASSERT_EQUAL (dep->r->lc_runs, 6);
  CU_ASSERT_EQUAL (dep->r->lc_deprecated, 1);
  CU_ASSERT_EQUAL (dep->r->lc_amis_deprecated, 1);
  CU_ASSERT_EQUAL (dep->rows->len, 2);
  CU_ASSERT_EQUAL (dep->r->amis, 1); /* deprecated AMIs stay registered */
}

/* ---- 7. cross-account deletion -------------------------------------------------- */

/* DOMAIN.md §1/§6: deleting copies in other accounts needs
 * Ec2ImageBuilderCrossAccountLifecycleAccess there, trusting
 * imagebuilder.amazonaws.com with aws:SourceAccount = the owner; AMIs only
 * shared by launch permission need nothing. /1 (day 0 only) is copied in
 * us-east-1 into 222 (role right), 333 (no lifecycle role) and 555 (role
 * trusting another source account), and shared with 444 by launch
 * permission. DELETE AGE 1: at the run of day 1 the owner's AMI and 222's
 * are deregistered (+1 min) and their snapshots deleted (+2 min); 333's and
 * 555's FAIL lifecycle_role_missing (+1 min); the image stays (row FAILED,
 * "2 AMIs not deregistered", +2 min) and the execution FAILED. The run of
 * day 2 tries again: 2 more failures, image row at +1 min (no snapshot
 * left to delete). Nothing ever happens in 444. */
static const char cross_account[] =
  HEAD ("2d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "  - id: \"222222222222\"\n"
  "    roles:\n" DISTRIBUTION_ROLE LIFECYCLE_ROLE ("111111111111")
  "  - id: \"333333333333\"\n"
  "    roles:\n" DISTRIBUTION_ROLE
  "  - id: \"444444444444\"\n"
  "  - id: \"555555555555\"\n"
  "    roles:\n" DISTRIBUTION_ROLE LIFECYCLE_ROLE ("999999999999")
  "pipelines:\n"
  PIPELINE ("golden", "golden", "2.0.0", "1", "1")
  "    distribution:\n"
  "      name: workloads\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration:\n"
  "            targetAccountIds: [\"222222222222\", \"333333333333\", \"555555555555\"]\n"
  "            launchPermission: {userIds: [\"444444444444\"]}\n"
  "lifecycle_policies:\n"
  POLICY ("one-day", "golden", "2.x.x")
  DELETE_ALL
  "        filter: {type: AGE, value: 1, unit: DAYS}\n"
  SIMULATION;

static void
test_lc_cross_account_role (void)
{
  g_autoptr (Run) run = run_with (cross_account, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("cross-account", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 1);
  CU_ASSERT_EQUAL (r->copies_succeeded, 3);
  CU_ASSERT_EQUAL (r->lc_runs, 3);
  CU_ASSERT_EQUAL (r->lc_runs_failed, 2);
  CU_ASSERT_EQUAL (r->lc_deleted, 0);
  CU_ASSERT_EQUAL (r->lc_amis_deregistered, 2);
  CU_ASSERT_EQUAL (r->lc_snapshots_deleted, 2);
  CU_ASSERT_EQUAL (r->lc_failed, 4);
  CU_ASSERT_EQUAL (r->lc_skipped, 0);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_LIFECYCLE_ROLE_MISSING], 4);
  CU_ASSERT_EQUAL (r->amis, 2);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, 2 * GIB10, 1e-9);
  const char *const RM = "lifecycle_role_missing";
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, NULL, "DELETE", OK, "", "111111111111", NULL, RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, NULL, "DELETE", OK, "", "222222222222", NULL, RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, NULL, "DELETE", OK, "", "111111111111", NULL, RUN_PLUS (1, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, NULL, "DELETE", OK, "", "222222222222", NULL, RUN_PLUS (1, 2) }), 1);
  for (guint d = 1; d <= 2; d++)
    {
      CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, NULL, "DELETE", FAILED, RM, "333333333333", "us-east-1", RUN_PLUS (d, 1) }), 1);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, NULL, "DELETE", FAILED, RM, "555555555555", "us-east-1", RUN_PLUS (d, 1) }), 1);
    }
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "2.0.0/1", "DELETE", FAILED, "2 AMIs not deregistered", NULL, NULL, RUN_PLUS (1, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "2.0.0/1", "DELETE", FAILED, "2 AMIs not deregistered", NULL, NULL, RUN_PLUS (2, 1) }), 1);
  Want sandbox = ANY;
  sandbox.account = "444444444444";
  CU_ASSERT_EQUAL (count_rows (run, sandbox), 0);
  CU_ASSERT_EQUAL (run->rows->len, 4 + 3 + 3);
}

/* ---- 8. snapshots and storage ------------------------------------------------------ */

/* DOMAIN.md §6 / inventory.c: snapshots are deleted only with
 * includeResources.snapshots, never for a disabled AMI; storage integrates
 * snapshot GiB over time (GiB-months of 730 h). build_time 1h puts /1's
 * 10 GiB AMI at 02:00 of day 0; update_time 30m; DELETE AGE 1 at the run
 * of day 1 (27h): AMI deregistered at 27h30, snapshot deleted at 28h00:
 * 26 h of 10 GiB = 260/730 GiB-months; nothing at the end (horizon 2d).
 * Without snapshots: the snapshot stays to the horizon: 46 h, 10 GiB.
 * DISABLE AGE 1 then DELETE AGE 2 (horizon 3d): disabled at 27h30, AMI
 * deregistered at 51h30, snapshot SKIPPED at 52h: 70 h, 10 GiB left. */
static void
test_lc_snapshots_and_storage (void)
{
  AmsOverride ov[] = {
    { "pipelines[0].build_time", "1h", "test" },
    { "simulation.lifecycle.update_time", "30m", "test" },
    { "simulation.storage.price_per_gib_month", "0.1", "test" },
  };
  g_autofree char *text = one_image_policy ("2d", DELETE_ALL
                                            "        filter: {type: AGE, value: 1, unit: DAYS}\n");
  g_autoptr (Run) run = run_with (text, ov, G_N_ELEMENTS (ov));
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("snapshots deleted", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 30) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 60) }), 1);
  CU_ASSERT_EQUAL (r->amis, 0);
  CU_ASSERT_EQUAL (r->amis_max, 1);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, 0.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib_max, GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib_months, 26.0 / 730.0 * GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_cost, 26.0 / 730.0 * GIB10 * 0.1, 1e-9);
  CU_ASSERT_EQUAL_FATAL (r->storage->len, 1);
  const AmsStorageReport *sr = &g_array_index (r->storage, AmsStorageReport, 0);
  CU_ASSERT_STRING_EQUAL (sr->account, "111111111111");
  CU_ASSERT_STRING_EQUAL (sr->region, "us-east-1");
  CU_ASSERT_EQUAL (sr->amis, 0);
  CU_ASSERT_EQUAL (sr->amis_max, 1);
  CU_ASSERT_DOUBLE_EQUAL (sr->gib_months, 26.0 / 730.0 * GIB10, 1e-9);

  /* AMIs only: the snapshot is left */
  AmsOverride amis_only[] = {
    ov[0], ov[1], ov[2],
    { "lifecycle_policies[0].policyDetails[0].action.includeResources.snapshots", "false", "test" },
  };
  g_autoptr (Run) kept = run_with (text, amis_only, G_N_ELEMENTS (amis_only));
  CU_ASSERT_PTR_NOT_NULL_FATAL (kept);
  dump ("AMIs only", kept);
  CU_ASSERT_EQUAL (kept->r->lc_amis_deregistered, 1);
  CU_ASSERT_EQUAL (kept->r->lc_snapshots_deleted, 0);
  CU_ASSERT_EQUAL (kept->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (kept->rows->len, 2); /* the AMI and the image: no snapshot row */
  CU_ASSERT_EQUAL (kept->r->amis, 0);
  CU_ASSERT_DOUBLE_EQUAL (kept->r->storage_gib, GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (kept->r->storage_gib_months, 46.0 / 730.0 * GIB10, 1e-9);

  /* disabled first: the snapshot cannot be deleted */
  g_autofree char *disable = one_image_policy (
    "3d",
    "      - action: {type: DISABLE, includeResources: {amis: true}}\n"
    "        filter: {type: AGE, value: 1, unit: DAYS}\n"
    DELETE_ALL
    "        filter: {type: AGE, value: 2, unit: DAYS}\n");
  g_autoptr (Run) dis = run_with (disable, ov, G_N_ELEMENTS (ov));
  CU_ASSERT_PTR_NOT_NULL_FATAL (dis);
  dump ("disabled, then deleted", dis);
  CU_ASSERT_EQUAL (count_rows (dis, (Want) { AMI, "1.0.0/1", "DISABLE", OK, "", NULL, NULL, RUN_PLUS (1, 30) }), 1);
  CU_ASSERT_EQUAL (count_rows (dis, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 30) }), 1);
  CU_ASSERT_EQUAL (count_rows (dis, (Want) { SNAP, "1.0.0/1", "DELETE", SKIPPED, "the AMI is disabled", NULL, NULL, RUN_PLUS (2, 60) }), 1);
  CU_ASSERT_EQUAL (dis->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (dis->r->lc_snapshots_deleted, 0);
  CU_ASSERT_EQUAL (dis->r->amis, 0);
  CU_ASSERT_DOUBLE_EQUAL (dis->r->storage_gib, GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (dis->r->storage_gib_months, 70.0 / 730.0 * GIB10, 1e-9);
}


/* ---- 9. deregistration protection ------------------------------------------------ */

/* DOMAIN.md §6: deregistration protection blocks a deletion
 * (deregistration_protected). EnableImageDeregistrationProtection with
 * WithCooldown (cooldown: true, on the enabling event) keeps deregistration
 * blocked for 24 h after protection is turned off; without it, turning
 * protection off unblocks at once. /1 (day 0), DELETE AGE 1: the runs of
 * days 1, 2, 3 (27h, 51h, 75h) try to delete it.
 *   protected at 12h, never released: FAILED at the three runs (+1 min);
 *   protected with cooldown, released at 27h30: blocked until 51h30, so
 *     FAILED at 27h and 51h, deleted at the run of day 3 (75h+1m);
 *   protected without cooldown, released at 27h30: deleted at the run of
 *     day 2. */
static void
test_lc_deregistration_protection (void)
{
  g_autofree char *on = one_image (
    "3d4h", "", DELETE_ALL "        filter: {type: AGE, value: 1, unit: DAYS}\n",
    "events:\n"
    "  - {at: 12h, action: set_deregistration_protection, pipeline: golden, enabled: true}\n");
  g_autoptr (Run) run = run_with (on, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("protected", run);
  const char *const DP = "deregistration_protected";
  CU_ASSERT_EQUAL (run->r->lc_deleted, 0);
  CU_ASSERT_EQUAL (run->r->lc_failed, 3);
  CU_ASSERT_EQUAL (run->r->lc_runs_failed, 3);
  CU_ASSERT_EQUAL (run->r->failures_by_cause[AMS_CAUSE_DEREGISTRATION_PROTECTED], 3);
  CU_ASSERT_EQUAL (run->r->amis, 1);
  for (guint d = 1; d <= 3; d++)
    {
      CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DELETE", FAILED, DP, NULL, NULL, RUN_PLUS (d, 1) }), 1);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", FAILED, "1 AMIs not deregistered", NULL, NULL, RUN_PLUS (d, 1) }), 1);
    }
  CU_ASSERT_EQUAL (run->rows->len, 6);

  g_autofree char *cooldown = one_image (
    "3d4h", "", DELETE_ALL "        filter: {type: AGE, value: 1, unit: DAYS}\n",
    "events:\n"
    "  - {at: 12h, action: set_deregistration_protection, pipeline: golden, enabled: true, "
    "cooldown: true}\n"
    "  - {at: 1d3h30m, action: set_deregistration_protection, pipeline: golden, enabled: false}\n");
  g_autoptr (Run) cool = run_with (cooldown, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (cool);
  dump ("released with cooldown", cool);
  CU_ASSERT_EQUAL (count_rows (cool, (Want) { AMI, "1.0.0/1", "DELETE", FAILED, DP, NULL, NULL, RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (cool, (Want) { AMI, "1.0.0/1", "DELETE", FAILED, DP, NULL, NULL, RUN_PLUS (2, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (cool, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (cool, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 2) }), 1);
  CU_ASSERT_EQUAL (cool->r->lc_failed, 2);
  CU_ASSERT_EQUAL (cool->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (cool->r->amis, 0);

  g_autofree char *now = one_image (
    "3d4h", "", DELETE_ALL "        filter: {type: AGE, value: 1, unit: DAYS}\n",
    "events:\n"
    "  - {at: 12h, action: set_deregistration_protection, pipeline: golden, enabled: true, "
    "cooldown: false}\n"
    "  - {at: 1d3h30m, action: set_deregistration_protection, pipeline: golden, enabled: false}\n");
  g_autoptr (Run) at_once = run_with (now, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (at_once);
  dump ("released without cooldown", at_once);
  CU_ASSERT_EQUAL (count_rows (at_once, (Want) { AMI, "1.0.0/1", "DELETE", FAILED, DP, NULL, NULL, RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (at_once, (Want) { AMI, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 1) }), 1);
  CU_ASSERT_EQUAL (at_once->r->lc_failed, 1);
  CU_ASSERT_EQUAL (at_once->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (at_once->r->amis, 0);
}

/* ---- 10. Recycle Bin -------------------------------------------------------------- */

/* DOMAIN.md §6: a Recycle Bin rule keeps a deregistered AMI restorable for
 * its retention; its snapshots stay stored (and billed) meanwhile.
 * Retention 2d; /1 (10 GiB, AMI at 01:10 of day 0) deleted with its
 * snapshot at the run of day 1: AMI at 27h01 (in the bin until 75h01),
 * snapshot at 27h02 (into the bin with it).
 *   horizon 3d: 10 GiB stored, all of it in the bin, no AMI; stored from
 *     1h10 to 72h: 70h50m;
 *   horizon 4d: the bin let go at 75h01: nothing stored; 73h51m stored;
 *   restore_image at 2d (horizon 4d): the AMI is back (lc_restored 1, one
 *     AMI), its snapshot out of the bin; stored 1h10 to 96h: 94h50m. */
static void
test_lc_recycle_bin (void)
{
  g_autofree char *text = one_image ("3d", "    recycle_bin: {retention: 2d}\n",
                                     DELETE_ALL "        filter: {type: AGE, value: 1, unit: DAYS}\n",
                                     "");
  g_autoptr (Run) run = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("recycle bin, 3d", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 1);
  CU_ASSERT_EQUAL (run->r->lc_snapshots_deleted, 1);
  CU_ASSERT_EQUAL (run->r->amis, 0);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib, GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (run->r->recycle_bin_gib, GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (run->r->storage_gib_months, (70.0 + 50.0 / 60) / 730.0 * GIB10, 1e-9);

  AmsOverride four[] = { { "horizon", "4d", "test" } };
  g_autoptr (Run) gone = run_with (text, four, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (gone);
  dump ("recycle bin, 4d", gone);
  CU_ASSERT_EQUAL (gone->r->amis, 0);
  CU_ASSERT_DOUBLE_EQUAL (gone->r->storage_gib, 0.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (gone->r->recycle_bin_gib, 0.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (gone->r->storage_gib_months, (73.0 + 51.0 / 60) / 730.0 * GIB10, 1e-9);
  CU_ASSERT_EQUAL (gone->r->lc_restored, 0);

  g_autofree char *restore = one_image (
    "4d", "    recycle_bin: {retention: 2d}\n",
    DELETE_ALL "        filter: {type: AGE, value: 1, unit: DAYS}\n",
    "events:\n"
    "  - {at: 2d, action: restore_image, pipeline: golden, version: 1.0.0/1}\n");
  g_autoptr (Run) back = run_with (restore, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (back);
  dump ("restored", back);
  CU_ASSERT_EQUAL (back->r->lc_restored, 1);
  CU_ASSERT_EQUAL (back->r->amis, 1);
  CU_ASSERT_DOUBLE_EQUAL (back->r->storage_gib, GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (back->r->recycle_bin_gib, 0.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (back->r->storage_gib_months, (94.0 + 50.0 / 60) / 730.0 * GIB10, 1e-9);
  CU_ASSERT_EQUAL (back->rows->len, 3); /* the deletion only */
}

/* ---- 11. concurrent state updates --------------------------------------------------- */

/* /1 copied to four more regions of the owner: five AMIs. */
static const char five_amis[] =
  HEAD ("1d4h")
  "regions: [{name: us-east-1}, {name: eu-west-1}, {name: ap-southeast-2}, {name: eu-central-1}, "
  "{name: us-west-2}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("golden", "golden", "1.0.0", "1", "1")
  "    distribution:\n"
  "      name: five\n"
  "      distributions:\n"
  "        - {region: us-east-1, amiDistributionConfiguration: {name: golden}}\n"
  "        - {region: eu-west-1, amiDistributionConfiguration: {name: golden}}\n"
  "        - {region: ap-southeast-2, amiDistributionConfiguration: {name: golden}}\n"
  "        - {region: eu-central-1, amiDistributionConfiguration: {name: golden}}\n"
  "        - {region: us-west-2, amiDistributionConfiguration: {name: golden}}\n"
  "lifecycle_policies:\n"
  POLICY ("deprecate", "golden", "1.x.x")
  "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
  "        filter: {type: AGE, value: 1, unit: DAYS}\n"
  SIMULATION;

/* DOMAIN.md §6 quotas: at most simulation.limits.lifecycle_state_updates
 * resource state updates at once (per account and region). Five AMIs to
 * deprecate at the run of day 1, 1 min each: one at a time they end at
 * +1..+5 min and the execution lasts 300 s; with the default 50, all end at
 * +1 min (60 s). The run of day 0 has nothing to do (0 s). */
static void
test_lc_state_update_quota (void)
{
  AmsOverride one[] = { { "simulation.limits.lifecycle_state_updates", "1", "test" } };
  g_autoptr (Run) run = run_with (five_amis, one, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("one update at a time", run);
  CU_ASSERT_EQUAL (run->r->lc_amis_deprecated, 5);
  CU_ASSERT_EQUAL (run->r->lc_deprecated, 1);
  for (guint m = 1; m <= 5; m++)
    CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DEPRECATE", OK, "", NULL, NULL, RUN_PLUS (1, m) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DEPRECATE", OK, "", NULL, NULL, RUN_PLUS (1, 5) }), 1);
  CU_ASSERT_EQUAL (stat_count (&run->r->lc_execution_s), 2);
  CU_ASSERT_DOUBLE_EQUAL (stat_max (&run->r->lc_execution_s), 300.0, 1e-9);

  g_autoptr (Run) wide = run_with (five_amis, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (wide);
  CU_ASSERT_EQUAL (count_rows (wide, (Want) { AMI, "1.0.0/1", "DEPRECATE", OK, "", NULL, NULL, RUN_PLUS (1, 1) }), 5);
  CU_ASSERT_DOUBLE_EQUAL (stat_max (&wide->r->lc_execution_s), 60.0, 1e-9);
}

/* ---- 12. consumers launching ---------------------------------------------------------- */

/* Daily images (days 0..3) shared with 222222222222, whose fleet launches
 * from them (refresh given per test); 333333333333 launches too but
 * nothing is shared with it. */
static char *
fleet (const char *details, const char *refresh, const char *accounts)
{
  return g_strdup_printf (HEAD ("3d12h")
                          "regions: [{name: us-east-1}]\n"
                          "accounts:\n" OWNER
                          "  - id: \"222222222222\"\n"
                          "  - id: \"333333333333\"\n"
                          "pipelines:\n"
                          PIPELINE ("golden", "golden", "1.0.0", "1", "*")
                          "    distribution:\n"
                          "      name: shared\n"
                          "      distributions:\n"
                          "        - region: us-east-1\n"
                          "          amiDistributionConfiguration:\n"
                          "            launchPermission: {userIds: [\"222222222222\"]}\n"
                          "launches:\n"
                          "  - {name: fleet, accounts: %s, region: us-east-1, pipeline: golden, "
                          "rate: 240/d, refresh: %s}\n"
                          "lifecycle_policies:\n"
                          POLICY ("stages", "golden", "1.x.x")
                          "%s"
                          SIMULATION,
                          accounts, refresh, details);
}

static void
assert_launches_add_up (const AmsResults *r)
{
  CU_ASSERT (r->launches > 0);
  CU_ASSERT_EQUAL (r->launches, r->launches_ok + r->launches_disabled + r->launches_deleted
                                  + r->launches_no_ami);
}

/* DOMAIN.md §6 / inventory.c consumers: a launch fails when the AMI the
 * consumer holds was disabled (launches_disabled) or deregistered
 * (launches_deleted), or when it found none (launches_no_ami); deprecated
 * AMIs still launch. With refresh 7d the fleet keeps /1 (the first AMI it
 * found, 01:10 of day 0) to the horizon; the policy acts on /1 at the run
 * of day 2 (51h+1m). Every launch before 01:10 of day 0 finds no AMI.
 * With refresh 0 the fleet always takes the newest usable AMI: nothing
 * fails once there is one. */
static void
test_lc_launches (void)
{
  const char *disable = "      - action: {type: DISABLE, includeResources: {amis: true}}\n"
                        "        filter: {type: AGE, value: 2, unit: DAYS}\n";
  const char *delete = DELETE_ALL "        filter: {type: AGE, value: 2, unit: DAYS}\n";
  const char *deprecate = "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
                          "        filter: {type: AGE, value: 1, unit: DAYS}\n";
  const char *sharer = "[\"222222222222\"]";

  g_autofree char *t1 = fleet (disable, "7d", sharer);
  g_autoptr (Run) dis = run_with (t1, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dis);

  /* with simulation.drain, consumers stop at the horizon (the run ends
   * instead of launching for ever) and launch exactly as without it */
  AmsOverride drain[] = { { "simulation.drain", "true", "test" } };
  g_autoptr (Run) drained = run_with (t1, drain, G_N_ELEMENTS (drain));
  CU_ASSERT_PTR_NOT_NULL_FATAL (drained);
  CU_ASSERT_EQUAL (drained->r->launches, dis->r->launches);
  CU_ASSERT_TRUE (drained->r->end <= drained->sc->horizon + AMS_HOURS (1));
  dump ("pinned, disabled", dis);
  assert_launches_add_up (dis->r);
  CU_ASSERT (dis->r->launches_no_ami > 0);
  CU_ASSERT (dis->r->launches_ok > 0);
  CU_ASSERT (dis->r->launches_disabled > 0);
  CU_ASSERT_EQUAL (dis->r->launches_deleted, 0);
  CU_ASSERT_EQUAL (count_rows (dis, (Want) { AMI, "1.0.0/1", "DISABLE", OK, "", NULL, NULL, RUN_PLUS (2, 1) }), 1);

  g_autofree char *t2 = fleet (delete, "7d", sharer);
  g_autoptr (Run) del = run_with (t2, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (del);
  dump ("pinned, deleted", del);
  assert_launches_add_up (del->r);
  CU_ASSERT (del->r->launches_deleted > 0);
  CU_ASSERT_EQUAL (del->r->launches_disabled, 0);
  /* the same launch times (own random stream), the same failures, only
   * counted as deleted instead of disabled */
  CU_ASSERT_EQUAL (del->r->launches, dis->r->launches);
  CU_ASSERT_EQUAL (del->r->launches_deleted, dis->r->launches_disabled);
  CU_ASSERT_EQUAL (del->r->launches_no_ami, dis->r->launches_no_ami);

  g_autofree char *t3 = fleet (disable, "0s", sharer);
  g_autoptr (Run) fresh = run_with (t3, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (fresh);
  dump ("refresh 0, disabled", fresh);
  assert_launches_add_up (fresh->r);
  CU_ASSERT_EQUAL (fresh->r->launches, dis->r->launches);
  CU_ASSERT_EQUAL (fresh->r->launches_disabled, 0);
  CU_ASSERT_EQUAL (fresh->r->launches_deleted, 0);
  CU_ASSERT_EQUAL (fresh->r->launches_no_ami, dis->r->launches_no_ami);
  CU_ASSERT_EQUAL (fresh->r->lc_amis_disabled, dis->r->lc_amis_disabled);

  /* deprecated AMIs still launch: refresh 7d keeps launching from /1 */
  g_autofree char *t4 = fleet (deprecate, "7d", sharer);
  g_autoptr (Run) dep = run_with (t4, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (dep);
  assert_launches_add_up (dep->r);
  CU_ASSERT (dep->r->lc_amis_deprecated > 0);
  CU_ASSERT_EQUAL (dep->r->launches_ok, dep->r->launches - dep->r->launches_no_ami);

  /* nothing is shared with 333333333333: it never has an AMI */
  g_autofree char *t5 = fleet (disable, "0s", "[\"333333333333\"]");
  g_autoptr (Run) none = run_with (t5, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (none);
  CU_ASSERT (none->r->launches > 0);
  CU_ASSERT_EQUAL (none->r->launches_no_ami, none->r->launches);
}

/* ---- 13. an execution still going at the next daily run ----------------------------- */

/* DOMAIN.md §6: one execution per policy at a time. The five AMIs of test
 * 11, one update at a time, 6 h each: the run of day 1 (27h) lasts 30 h
 * (to 57h); the run of day 2 (51h) finds it going: lc_runs_busy; the run
 * of day 3 (75h) starts (and finds nothing to do). */
static void
test_lc_execution_busy (void)
{
  AmsOverride ov[] = {
    { "simulation.limits.lifecycle_state_updates", "1", "test" },
    { "simulation.lifecycle.update_time", "6h", "test" },
    { "horizon", "3d4h", "test" },
  };
  g_autoptr (Run) run = run_with (five_amis, ov, G_N_ELEMENTS (ov));
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("busy", run);
  CU_ASSERT_EQUAL (run->r->lc_runs, 3);
  CU_ASSERT_EQUAL (run->r->lc_runs_busy, 1);
  CU_ASSERT_EQUAL (stat_count (&run->r->lc_execution_s), 3);
  CU_ASSERT_DOUBLE_EQUAL (stat_max (&run->r->lc_execution_s), 30.0 * 3600, 1e-9);
  for (guint i = 1; i <= 5; i++)
    CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DEPRECATE", OK, "", NULL, NULL, RUN (1) + AMS_HOURS (6 * i) }), 1);
  CU_ASSERT_EQUAL (run->r->lc_amis_deprecated, 5);
}

/* ---- 14. set_lifecycle_policy ------------------------------------------------------ */

/* scenario.h events: set_lifecycle_policy DISABLED stops the daily runs,
 * ENABLED starts them again. /1 (day 0), DELETE AGE 3: due at the run of
 * day 3. Disabled at 1d12h, enabled at 3d12h (horizon 5d4h): runs of days
 * 0, 1, 4, 5 only (4, against 6), and /1 deleted at the run of day 4. */
static void
test_lc_set_lifecycle_policy (void)
{
  const char *details = DELETE_ALL "        filter: {type: AGE, value: 3, unit: DAYS}\n";
  g_autofree char *plain = one_image ("5d4h", "", details, "");
  g_autoptr (Run) all = run_with (plain, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (all);
  CU_ASSERT_EQUAL (all->r->lc_runs, 6);
  CU_ASSERT_EQUAL (count_rows (all, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 2) }), 1);

  g_autofree char *paused = one_image (
    "5d4h", "", details,
    "events:\n"
    "  - {at: 1d12h, action: set_lifecycle_policy, policy: stages, status: DISABLED}\n"
    "  - {at: 3d12h, action: set_lifecycle_policy, policy: stages, status: ENABLED}\n");
  g_autoptr (Run) run = run_with (paused, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("paused", run);
  CU_ASSERT_EQUAL (run->r->lc_runs, 4);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (4, 2) }), 1);
  CU_ASSERT_EQUAL (run->rows->len, 3);

  /* disabled for good */
  g_autofree char *stopped = one_image (
    "5d4h", "", details,
    "events:\n"
    "  - {at: 1d12h, action: set_lifecycle_policy, policy: stages, status: DISABLED}\n");
  g_autoptr (Run) stop = run_with (stopped, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (stop);
  CU_ASSERT_EQUAL (stop->r->lc_runs, 2);
  CU_ASSERT_EQUAL (stop->rows->len, 0);
  CU_ASSERT_EQUAL (stop->r->amis, 1);
}

/* lifecycle.c: "Disabling a policy (set_lifecycle_policy) lets the update in
 * progress finish and skips the ones still waiting" (DOMAIN.md §6:
 * cancelling finishes the current action and skips the rest). Five AMIs
 * to deprecate one at a time (1 min each) from 27h; the policy is disabled
 * at 27h00m30s, during the first update: that one ends SUCCESS at 27h01,
 * the four waiting are SKIPPED "policy disabled". */
static void
test_lc_disable_policy_mid_execution (void)
{
  g_autofree char *text = g_strconcat (five_amis,
                                       "events:\n"
                                       "  - {at: 1d3h0m30s, action: set_lifecycle_policy, "
                                       "policy: deprecate, status: DISABLED}\n",
                                       NULL);
  AmsOverride one[] = { { "simulation.limits.lifecycle_state_updates", "1", "test" } };
  g_autoptr (Run) run = run_with (text, one, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("disabled mid-execution", run);
  /* regression: the update in progress when the policy is disabled
   * finishes (DOMAIN.md §6: "finishes the current action"); only those not
   * begun are SKIPPED "policy disabled" */
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DEPRECATE", SKIPPED, "policy disabled", NULL, NULL, RUN_PLUS (1, 1) }), 4);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/1", "DEPRECATE", OK, "", NULL, NULL, RUN_PLUS (1, 1) }), 1);
  CU_ASSERT_EQUAL (run->r->lc_amis_deprecated, 1);
  CU_ASSERT_EQUAL (run->r->lc_runs, 2);
}

/* ---- 15. determinism ---------------------------------------------------------------- */

static char *
scenario_file (const char *name)
{
  g_autofree char *file = ams_source_path (name);
  char *text = NULL;
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  return text;
}

static gboolean
same_rows (const Run *a, const Run *b)
{
  if (a->rows->len != b->rows->len)
    return FALSE;
  for (guint i = 0; i < a->rows->len; i++)
    {
      const Row *x = &g_array_index (a->rows, Row, i), *y = &g_array_index (b->rows, Row, i);
      if (x->t != y->t || x->resource != y->resource || x->status != y->status
          || strcmp (x->policy, y->policy) != 0 || strcmp (x->pipeline, y->pipeline) != 0
          || strcmp (x->version, y->version) != 0 || strcmp (x->resource_id, y->resource_id) != 0
          || strcmp (x->account, y->account) != 0 || strcmp (x->region, y->region) != 0
          || strcmp (x->action, y->action) != 0 || strcmp (x->reason, y->reason) != 0)
        return FALSE;
    }
  return TRUE;
}

/* engine.h: the same seed gives the same run, record for record; the
 * lifecycle draws (update_time here random) come from their own streams.
 * The shipped lifecycle scenarios with random build, copy and update
 * times: seed 7 twice is identical, seed 8 is not. */
static void
test_lc_same_seed_same_records (void)
{
  static const char *const files[] = {
    "scenarios/lifecycle-cross-account.yaml", "scenarios/lifecycle-stages.yaml",
    "scenarios/lifecycle-retention.yaml", "scenarios/lifecycle-consumers.yaml",
  };
  AmsOverride ov[] = {
    { "simulation.lifecycle.update_time", "lognormal(mean=20s, sd=10s)", "test" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *text = scenario_file (files[i]);
      g_autoptr (Run) a = run_full (text, ov, 1, 7, -1);
      g_autoptr (Run) b = run_full (text, ov, 1, 7, -1);
      g_autoptr (Run) c = run_full (text, ov, 1, 8, -1);
      CU_ASSERT_PTR_NOT_NULL_FATAL (a);
      CU_ASSERT_PTR_NOT_NULL_FATAL (b);
      CU_ASSERT_PTR_NOT_NULL_FATAL (c);
      CU_ASSERT (a->rows->len > 0);
      CU_ASSERT (same_rows (a, b));
      CU_ASSERT (!same_rows (a, c));
      CU_ASSERT_EQUAL (a->r->lc_runs, b->r->lc_runs);
      CU_ASSERT_EQUAL (a->r->launches_ok, b->r->launches_ok);
      CU_ASSERT_DOUBLE_EQUAL (a->r->storage_gib_months, b->r->storage_gib_months, 0.0);
    }
}

/* ---- 16. lifecycle switched off ------------------------------------------------------ */

/* scenario.h: simulation.lifecycle.enabled: false runs as if there were no
 * policies (ams_engine_set_lifecycle the same). The scenario of test 1
 * without lifecycle keeps all 10 images: 100 GiB against 40, and more
 * GiB-months; ams_engine_compare records those figures as the baseline. */
static void
test_lc_lifecycle_disabled (void)
{
  g_autoptr (Run) with = run_with (count_per_version, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (with);
  AmsOverride off[] = { { "simulation.lifecycle.enabled", "false", "test" } };
  g_autoptr (Run) without = run_with (count_per_version, off, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (without);
  CU_ASSERT_EQUAL (without->r->lc_runs, 0);
  CU_ASSERT_EQUAL (without->r->lc_deleted, 0);
  CU_ASSERT_EQUAL (without->rows->len, 0);
  CU_ASSERT_EQUAL (without->r->amis, 10);
  CU_ASSERT_DOUBLE_EQUAL (without->r->storage_gib, 10 * GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (with->r->storage_gib, 4 * GIB10, 1e-9);
  CU_ASSERT (without->r->storage_gib_months > with->r->storage_gib_months);
  /* images made at 1h10 of days 0..4 (two each), to 100h: 2·10 GiB·Σ(98h50m − 24h·d) */
  double hours = 0;
  for (guint d = 0; d < 5; d++)
    hours += 2 * (100.0 - (1.0 + 10.0 / 60) - 24.0 * d);
  CU_ASSERT_DOUBLE_EQUAL (without->r->storage_gib_months, hours * GIB10 / 730.0, 1e-9);

  /* the engine switch, and the comparison */
  g_autoptr (Run) api = run_full (count_per_version, NULL, 0, 1, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (api);
  CU_ASSERT_EQUAL (api->r->lc_runs, 0);
  CU_ASSERT_EQUAL (api->r->amis, 10);
  ams_engine_compare (with->e, api->r);
  CU_ASSERT (with->r->compared);
  CU_ASSERT_EQUAL (with->r->baseline_amis, 10);
  CU_ASSERT_DOUBLE_EQUAL (with->r->baseline_gib, 10 * GIB10, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (with->r->baseline_gib_months, without->r->storage_gib_months, 1e-9);
}


/* ---- 17. the AMI quota counts the Recycle Bin --------------------------------------- */

/* DOMAIN.md §4 quotas: "AMIs 50,000 (Recycle Bin included)". Quota 1 AMI
 * per account and region (simulation.limits.amis_per_account_region), a
 * Recycle Bin rule of 7 days, daily builds, DELETE AGE 1:
 *   /1 (day 0) registers the one AMI allowed;
 *   /2 (day 1, 25h10) fails ami_quota_exceeded;
 *   the run of day 1 deletes /1 (into the bin, 27h01) and the failed /2;
 *   /3 (day 2, 49h10): the binned AMI still counts, so it fails too.
 * Without the Recycle Bin rule /3 succeeds (the control). */
static const char quota_bin[] =
  HEAD ("2d2h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "    recycle_bin: {retention: 7d}\n"
  "pipelines:\n"
  PIPELINE ("golden", "golden", "1.0.0", "1", "*") HOME_ONLY
  "lifecycle_policies:\n"
  POLICY ("one-day", "golden", "1.x.x")
  DELETE_ALL
  "        filter: {type: AGE, value: 1, unit: DAYS}\n"
  SIMULATION
  "  limits: {amis_per_account_region: 1}\n";

static void
test_lc_ami_quota_counts_recycle_bin (void)
{
  g_autofree char *no_bin = g_strdup (quota_bin);
  char *at = strstr (no_bin, "    recycle_bin: {retention: 7d}\n");
  CU_ASSERT_PTR_NOT_NULL_FATAL (at);
  memmove (at, at + strlen ("    recycle_bin: {retention: 7d}\n"),
           strlen (at + strlen ("    recycle_bin: {retention: 7d}\n")) + 1);
  g_autoptr (Run) control = run_with (no_bin, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (control);
  dump ("quota, no bin", control);
  CU_ASSERT_EQUAL (control->r->images_started, 3);
  CU_ASSERT_EQUAL (control->r->images_failed, 1);
  CU_ASSERT_EQUAL (control->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 1);

  g_autoptr (Run) run = run_with (quota_bin, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("quota, bin", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 2);
  CU_ASSERT_DOUBLE_EQUAL (run->r->recycle_bin_gib, GIB10, 1e-9);
  /* regression: an AMI in the Recycle Bin still counts against
   * amis_per_account_region, so /3 fails too: images_failed 2, not 1 */
  CU_ASSERT_EQUAL (run->r->images_failed, 2);
  CU_ASSERT_EQUAL (run->r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 2);
}

/* ---- 18. two policies over the same images ------------------------------------------ */

/* DOMAIN.md §6: retention is counted per recipe version over its images,
 * newest first. Two policies of the owner select the same daily images
 * (days 0..3) and run at the same moment: "deprecate" (DEPRECATE AGE 1)
 * and "keep-two" (DELETE COUNT 2). keep-two must keep the two newest
 * images at each run whatever the other policy does: /1 deleted at the
 * run of day 2, /2 at the run of day 3; /3 and /4 left. The outcome must
 * not depend on the order the policies are listed in. */
static char *
two_policies (gboolean deprecate_first)
{
  const char *dep = POLICY ("deprecate", "golden", "1.x.x")
                    "      - action: {type: DEPRECATE, includeResources: {amis: true}}\n"
                    "        filter: {type: AGE, value: 1, unit: DAYS}\n";
  const char *del = POLICY ("keep-two", "golden", "1.x.x")
                    DELETE_ALL
                    "        filter: {type: COUNT, value: 2}\n";
  return g_strconcat (HEAD ("3d4h")
                      "regions: [{name: us-east-1}]\n"
                      "accounts:\n" OWNER
                      "pipelines:\n"
                      PIPELINE ("golden", "golden", "1.0.0", "1", "*") HOME_ONLY
                      "lifecycle_policies:\n",
                      deprecate_first ? dep : del, deprecate_first ? del : dep,
                      SIMULATION, NULL);
}

static void
test_lc_two_policies_same_images (void)
{
  for (int first = 0; first < 2; first++)
    {
      g_autofree char *text = two_policies (first);
      g_autoptr (Run) run = run_with (text, NULL, 0);
      CU_ASSERT_PTR_NOT_NULL_FATAL (run);
      dump (first ? "deprecate listed first" : "keep-two listed first", run);
      /* regression: an image another policy's execution is at work on
       * keeps its place in keep-two's COUNT ranking (whatever the order
       * the policies are listed in): /1 goes at the run of day 2, /2 at
       * the run of day 3 */
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 2) }), 1);
      CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/2", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 2) }), 1);
      CU_ASSERT_EQUAL (run->r->lc_deleted, 2);
      CU_ASSERT_EQUAL (run->r->amis, 2);
    }
}


/* ---- 19. selection by image tags ------------------------------------------------------ */

/* DOMAIN.md §6: resourceSelection by tagMap selects the images carrying
 * any of the tags (pipelines[].image_tags), whatever their recipe.
 * "tagged" (recipe x, tag team=a) and "other" (recipe y, no tag) build on
 * days 0..2; DELETE COUNT 1 selecting team=a: tagged's /1 at the run of
 * day 1, /2 at the run of day 2; other untouched: 1 + 3 AMIs left. */
static const char tag_selection[] =
  HEAD ("2d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n" OWNER
  "pipelines:\n"
  PIPELINE ("tagged", "x", "1.0.0", "1", "*") HOME_ONLY
  "    image_tags: {team: a}\n"
  PIPELINE ("other", "y", "1.0.0", "1", "*") HOME_ONLY
  "lifecycle_policies:\n"
  "  - account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    name: team-a\n"
  "    executionRole: EC2ImageBuilderLifecycleExecutionRole\n"
  "    resourceType: AMI_IMAGE\n"
  "    resourceSelection: {tagMap: {team: a}}\n"
  "    policyDetails:\n"
  DELETE_ALL
  "        filter: {type: COUNT, value: 1}\n"
  SIMULATION;

static void
test_lc_selection_by_tags (void)
{
  g_autoptr (Run) run = run_with (tag_selection, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("tag selection", run);
  CU_ASSERT_EQUAL (run->r->lc_deleted, 2);
  CU_ASSERT_EQUAL (run->r->amis, 4);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, "1.0.0/2", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 2) }), 1);
  for (guint i = 0; i < run->rows->len; i++)
    CU_ASSERT_STRING_EQUAL (g_array_index (run->rows, Row, i).pipeline, "tagged");
}

/* ---- 20. container images and their repository's tag --------------------------------- */

/* DOMAIN.md §6: container images (ECR) can be deleted by lifecycle only in
 * a repository tagged LifecycleExecutionAccess: EC2 Image Builder. Two
 * container recipes build daily at 01:00 (days 0..3), one into a tagged
 * repository, one into an untagged one; a CONTAINER_IMAGE policy keeps 2.
 * At the runs of days 2 and 3 (COUNT 2 over days 0..r) the tagged
 * repository loses day r-2's image (2 deletions in all); the untagged one
 * fails for every image beyond the newest two (1 at run 2, 2 at run 3: 3
 * failures), and its images stay. */
static const char containers[] =
  HEAD ("3d4h")
  "regions: [{name: us-east-1}]\n"
  "accounts:\n"
  OWNER
  "    ecr_repositories:\n"
  "      - {name: golden/app, tags: {LifecycleExecutionAccess: EC2 Image Builder}}\n"
  "      - {name: golden/closed, tags: {team: platform}}\n"
  "pipelines:\n"
  "  - name: app\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: \"cron(0 1 * * ? *)\", "
  "pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: app, version: 1.0.0, target_repository: golden/app}\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "  - name: closed\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: \"cron(0 1 * * ? *)\", "
  "pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: closed, version: 1.0.0, target_repository: golden/closed}\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "lifecycle_policies:\n"
  "  - account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    name: keep-two\n"
  "    executionRole: EC2ImageBuilderLifecycleExecutionRole\n"
  "    resourceType: CONTAINER_IMAGE\n"
  "    resourceSelection: {recipes: [{name: app, semanticVersion: 1.x.x}, "
  "{name: closed, semanticVersion: 1.x.x}]}\n"
  "    policyDetails:\n"
  "      - action: {type: DELETE, includeResources: {containers: true}}\n"
  "        filter: {type: COUNT, value: 2}\n"
  SIMULATION;

static void
test_lc_container_repository_tag (void)
{
  g_autoptr (Run) run = run_with (containers, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("containers", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (r->images_available, 8);
  CU_ASSERT_EQUAL (r->amis, 0); /* container recipes make no AMIs */
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib_max, 0.0, 1e-12);
  CU_ASSERT_EQUAL (r->lc_deleted, 2);
  CU_ASSERT_EQUAL (r->lc_failed, 3);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING], 3);
  CU_ASSERT_EQUAL (r->lc_runs_failed, 2);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMS_LC_RESOURCE_CONTAINER, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMS_LC_RESOURCE_CONTAINER, "1.0.0/2", "DELETE", OK, "", NULL, NULL, RUN_PLUS (3, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMS_LC_RESOURCE_CONTAINER, NULL, "DELETE", FAILED, "ecr_repository_tag_missing", NULL, NULL, -1 }), 3);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { IMG, NULL, "DELETE", FAILED, "the container image was not deleted", NULL, NULL, -1 }), 3);
  /* the resource id names the repository and the version */
  Want ok = { AMS_LC_RESOURCE_CONTAINER, "1.0.0/1", "DELETE", OK, "", NULL, NULL, -1 };
  for (guint i = 0; i < run->rows->len; i++)
    {
      const Row *w = &g_array_index (run->rows, Row, i);
      if (row_matches (w, &ok))
        CU_ASSERT_STRING_EQUAL (w->resource_id, "golden/app:1.0.0/1");
    }
}

/* ---- 21. a snapshot another AMI uses ------------------------------------------------ */

/* DOMAIN.md §6: a snapshot is deleted only when no other AMI uses it.
 * Daily images (days 0..2) with one 10 GiB AMI each (day d's registered at
 * d·24h + 1h10). At 26h register_image makes another AMI on the snapshot of
 * the newest AMI there, day 1's. COUNT 1 deletes day 0's image at the run
 * of day 1 (its snapshot too) and day 1's at the run of day 2: its AMI is
 * deregistered, its snapshot SKIPPED "in use by another AMI". At the end:
 * day 2's AMI and the other one, 20 GiB. */
static void
test_lc_snapshot_in_use (void)
{
  g_autofree char *text = g_strconcat (HEAD ("2d4h"),
    "regions: [{name: us-east-1}]\n"
    "accounts:\n" OWNER
    "pipelines:\n" PIPELINE ("golden", "golden", "1.0.0", "1", "*") HOME_ONLY
    "lifecycle_policies:\n" POLICY ("keep-one", "golden", "1.x.x") DELETE_ALL
    "        filter: {type: COUNT, value: 1}\n"
    "events:\n"
    "  - {at: 26h, action: register_image, pipeline: golden}\n"
    SIMULATION, NULL);
  g_autoptr (Run) run = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  dump ("snapshot in use", run);
  const AmsResults *r = run->r;
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/1", "DELETE", OK, "", NULL, NULL, RUN_PLUS (1, 2) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { AMI, "1.0.0/2", "DELETE", OK, "", NULL, NULL, RUN_PLUS (2, 1) }), 1);
  CU_ASSERT_EQUAL (count_rows (run, (Want) { SNAP, "1.0.0/2", "DELETE", SKIPPED, "in use by another AMI", NULL, NULL, RUN_PLUS (2, 2) }), 1);
  CU_ASSERT_EQUAL (r->lc_snapshots_deleted, 1);
  CU_ASSERT_EQUAL (r->lc_deleted, 2);
  CU_ASSERT_EQUAL (r->amis, 2);
  CU_ASSERT_DOUBLE_EQUAL (r->storage_gib, 2 * GIB10, 1e-9);
}

/* ---- 22. the executions' own rows, and a missing execution role -------------------- */

/* DOMAIN.md §6: the execution is FAILED if any resource failed. Every
 * execution ends with a row of its own (resource POLICY), SUCCESS or
 * FAILED. Without its execution role a policy cannot run at all: each
 * daily execution fails at once (lifecycle_role_missing), touching nothing. */
static void
test_lc_execution_rows (void)
{
  g_autoptr (Run) run = run_with (cross_account, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (run);
  CU_ASSERT_EQUAL (run->executions->len, run->r->lc_runs);
  guint failed = 0;
  for (guint i = 0; i < run->executions->len; i++)
    {
      const Row *w = &g_array_index (run->executions, Row, i);
      failed += w->status == FAILED;
      CU_ASSERT_STRING_EQUAL (w->policy, "one-day");
    }
  CU_ASSERT_EQUAL (failed, run->r->lc_runs_failed);
  CU_ASSERT_TRUE (failed > 0);

  g_autofree char *text = g_strconcat (HEAD ("2d4h"),
    "regions: [{name: us-east-1}]\n"
    "accounts:\n"
    "  - id: \"111111111111\"\n"
    "pipelines:\n" PIPELINE ("golden", "golden", "1.0.0", "1", "*") HOME_ONLY
    "lifecycle_policies:\n" POLICY ("keep-one", "golden", "1.x.x") DELETE_ALL
    "        filter: {type: COUNT, value: 1}\n"
    SIMULATION, NULL);
  g_autoptr (Run) norole = run_with (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (norole);
  CU_ASSERT_EQUAL (norole->r->lc_runs, 3);
  CU_ASSERT_EQUAL (norole->r->lc_runs_failed, 3);
  CU_ASSERT_EQUAL (norole->r->lc_deleted, 0);
  CU_ASSERT_EQUAL (norole->rows->len, 0);
  CU_ASSERT_EQUAL (norole->executions->len, 3);
  CU_ASSERT_EQUAL (norole->r->failures_by_cause[AMS_CAUSE_LIFECYCLE_ROLE_MISSING], 3);
  CU_ASSERT_EQUAL (norole->r->amis, 3);
}

/* ---- the table ------------------------------------------------------------- */

static const AmsTestCase cases[] = {
  { "test_lc_count_per_recipe_version", test_lc_count_per_recipe_version },
  { "test_lc_failed_images_take_no_slot", test_lc_failed_images_take_no_slot },
  { "test_lc_age_retain_at_least", test_lc_age_retain_at_least },
  { "test_lc_tag_exclusion_takes_no_slot", test_lc_tag_exclusion_takes_no_slot },
  { "test_lc_ami_exclusions_order", test_lc_ami_exclusions_order },
  { "test_lc_last_launched_lags_a_day", test_lc_last_launched_lags_a_day },
  { "test_lc_blocked_public_share_is_not_public", test_lc_blocked_public_share_is_not_public },
  { "test_lc_one_action_per_run", test_lc_one_action_per_run },
  { "test_lc_cross_account_role", test_lc_cross_account_role },
  { "test_lc_snapshots_and_storage", test_lc_snapshots_and_storage },
  { "test_lc_deregistration_protection", test_lc_deregistration_protection },
  { "test_lc_recycle_bin", test_lc_recycle_bin },
  { "test_lc_state_update_quota", test_lc_state_update_quota },
  { "test_lc_launches", test_lc_launches },
  { "test_lc_execution_busy", test_lc_execution_busy },
  { "test_lc_set_lifecycle_policy", test_lc_set_lifecycle_policy },
  { "test_lc_disable_policy_mid_execution", test_lc_disable_policy_mid_execution },
  { "test_lc_same_seed_same_records", test_lc_same_seed_same_records },
  { "test_lc_lifecycle_disabled", test_lc_lifecycle_disabled },
  { "test_lc_ami_quota_counts_recycle_bin", test_lc_ami_quota_counts_recycle_bin },
  { "test_lc_two_policies_same_images", test_lc_two_policies_same_images },
  { "test_lc_selection_by_tags", test_lc_selection_by_tags },
  { "test_lc_container_repository_tag", test_lc_container_repository_tag },
  { "test_lc_snapshot_in_use", test_lc_snapshot_in_use },
  { "test_lc_execution_rows", test_lc_execution_rows },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("lifecycle", cases);
}
