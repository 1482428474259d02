/* amisim tests — loading whole scenarios (src/scenario/loader.c and the
 * schema tables): every value of a fully populated scenario, the defaults,
 * anchors and merges, JSON, overrides, several errors in one pass, I/O
 * errors and generated edge cases (1536 target accounts, alias bombs). */
#include <string.h>

#include "amisim/scenario.h"
#include "ams_test.h"

#define MINUTES(x) ((AmsTime) (x) * 60 * 1000000)
#define SEC(x) ((AmsTime) (x) * 1000000)

static AmsScenario *
load_fixture (const char *name, const AmsOverride *ov, guint n_ov, GError **error)
{
  g_autofree char *rel = g_build_filename ("scenario", "fixtures", name, NULL);
  g_autofree char *path = ams_test_path (rel);
  return ams_scenario_load_file (path, ov, n_ov, error);
}

static AmsScenario *
must_load (const char *name, const AmsOverride *ov, guint n_ov)
{
  GError *error = NULL;
  AmsScenario *sc = load_fixture (name, ov, n_ov, &error);
  if (sc == NULL)
    fprintf (stderr, "\n  %s:\n%s\n", name, error->message);
  g_clear_error (&error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  return sc;
}

/* The whole error message of loading `text` as "t.yaml", or "(loaded)". */
static char *
errors_of (const char *text, const AmsOverride *ov, guint n_ov)
{
  GError *error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("t.yaml", text, -1, ov, n_ov, &error);
  if (sc != NULL)
    {
      CU_ASSERT_PTR_NULL (error);
      ams_scenario_free (sc);
      return g_strdup ("(loaded)");
    }
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
  char *m = g_strdup (error->message);
  g_error_free (error);
  return m;
}

static void
expect_errors (const char *text, const AmsOverride *ov, guint n_ov, const char *expected)
{
  g_autofree char *got = errors_of (text, ov, n_ov);
  if (strcmp (got, expected) != 0)
    fprintf (stderr, "\n  got:\n%s\n  expected:\n%s\n", got, expected);
  CU_ASSERT_STRING_EQUAL (got, expected);
}

static void
assert_loc (const AmsSrcLoc *loc, const char *file_suffix, guint line, guint col,
            const char *path)
{
  CU_ASSERT_TRUE (g_str_has_suffix (loc->file, file_suffix));
  CU_ASSERT_EQUAL (loc->line, line);
  CU_ASSERT_EQUAL (loc->col, col);
  g_autofree char *full = ams_srcloc_path (loc);
  CU_ASSERT_STRING_EQUAL (full, path);
}

static void
assert_dist (const AmsDist *d, AmsDistKind kind, double p0, double p1)
{
  CU_ASSERT_EQUAL (d->kind, kind);
  CU_ASSERT_DOUBLE_EQUAL (d->p[0], p0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (d->p[1], p1, 1e-9);
}

static void
test_loader_full (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/full.yaml", NULL, 0);
  CU_ASSERT_TRUE (g_str_has_suffix (sc->file, "valid/full.yaml"));
  CU_ASSERT_EQUAL (sc->format_version, 1);
  CU_ASSERT_STRING_EQUAL (sc->name, "full-example");
  CU_ASSERT_STRING_EQUAL (sc->description, "Every supported key, none at its default.");
  CU_ASSERT_EQUAL (sc->seed, G_MAXUINT64);
  CU_ASSERT_EQUAL (sc->start, SEC (INT64_C (1772368200))); /* 2026-03-01T12:30:00Z */
  CU_ASSERT_EQUAL (sc->horizon, SEC (17 * 86400));

  CU_ASSERT_EQUAL_FATAL (sc->regions->len, 3);
  const AmsScRegion *r2 = sc->regions->pdata[2];
  CU_ASSERT_STRING_EQUAL (r2->name, "ap-southeast-2");
  assert_loc (&r2->loc, "full.yaml", 13, 5, "regions[2]");

  CU_ASSERT_EQUAL_FATAL (sc->accounts->len, 3);
  const AmsScAccount *a0 = sc->accounts->pdata[0];
  CU_ASSERT_STRING_EQUAL (a0->id, "012345678901");
  CU_ASSERT_STRING_EQUAL (a0->name, "factory");
  assert_loc (&a0->loc, "full.yaml", 16, 5, "accounts[0]");
  CU_ASSERT_PTR_NULL (((AmsScAccount *) sc->accounts->pdata[1])->name);
  CU_ASSERT_STRING_EQUAL (((AmsScAccount *) sc->accounts->pdata[2])->id, "333333333333");

  CU_ASSERT_EQUAL_FATAL (sc->pipelines->len, 4);
  const AmsScPipeline *p0 = sc->pipelines->pdata[0];
  CU_ASSERT_STRING_EQUAL (p0->name, "golden al2023");
  assert_loc (&p0->loc, "full.yaml", 23, 5, "pipelines[0]");
  CU_ASSERT_STRING_EQUAL (p0->account.value, "012345678901");
  assert_loc (&p0->account.loc, "full.yaml", 24, 14, "pipelines[0].account");
  CU_ASSERT_STRING_EQUAL (p0->region.value, "us-east-1");
  CU_ASSERT_EQUAL (p0->trigger, AMS_SC_TRIGGER_RATE);
  CU_ASSERT_STRING_EQUAL (p0->schedule_expression, "rate(12 hours)");
  CU_ASSERT_EQUAL (p0->rate_period, MINUTES (12 * 60));
  CU_ASSERT_EQUAL (p0->start_condition, AMS_SC_START_EXPRESSION_MATCH);
  CU_ASSERT_STRING_EQUAL (p0->timezone, "America/Los_Angeles");
  CU_ASSERT_STRING_EQUAL (p0->recipe_name, "al2023-base");
  CU_ASSERT_STRING_EQUAL (p0->recipe_version, "2.10.3");
  assert_dist (&p0->build_time, AMS_DIST_GAMMA, 2400, 300);
  CU_ASSERT_EQUAL (p0->test_time.kind, AMS_DIST_FIXED);
  CU_ASSERT_DOUBLE_EQUAL (p0->test_time.p[0], 1200, 1e-9);
  CU_ASSERT_STRING_EQUAL (p0->distribution_name, "fanout");
  CU_ASSERT_EQUAL_FATAL (p0->distributions->len, 2);
  const AmsScDistRegion *d0 = p0->distributions->pdata[0];
  CU_ASSERT_STRING_EQUAL (d0->region.value, "us-east-1");
  assert_loc (&d0->region.loc, "full.yaml", 41, 19,
              "pipelines[0].distribution.distributions[0].region");
  assert_loc (&d0->loc, "full.yaml", 41, 11, "pipelines[0].distribution.distributions[0]");
  CU_ASSERT_STRING_EQUAL (d0->ami_name, "golden {{ imagebuilder:buildDate }}");
  CU_ASSERT_STRING_EQUAL (d0->ami_description, "The golden image.");
  CU_ASSERT_EQUAL_FATAL (d0->target_account_ids->len, 2);
  const AmsScRef *t1 = &g_array_index (d0->target_account_ids, AmsScRef, 1);
  CU_ASSERT_STRING_EQUAL (t1->value, "333333333333");
  assert_loc (&t1->loc, "full.yaml", 45, 48,
              "pipelines[0].distribution.distributions[0].amiDistributionConfiguration"
              ".targetAccountIds[1]");
  const AmsScDistRegion *d1 = p0->distributions->pdata[1];
  CU_ASSERT_STRING_EQUAL (d1->region.value, "eu-west-1");
  CU_ASSERT_PTR_NULL (d1->ami_name);
  CU_ASSERT_PTR_NULL (d1->ami_description);
  CU_ASSERT_EQUAL (d1->target_account_ids->len, 1);

  const AmsScPipeline *p1 = sc->pipelines->pdata[1];
  CU_ASSERT_EQUAL (p1->trigger, AMS_SC_TRIGGER_POISSON);
  CU_ASSERT_DOUBLE_EQUAL (p1->arrival_rate, 10.0 / 86400, 1e-15);
  CU_ASSERT_PTR_NULL (p1->schedule_expression);
  CU_ASSERT_EQUAL (p1->build_time.kind, AMS_DIST_EMPIRICAL);
  CU_ASSERT_EQUAL_FATAL (p1->build_time.n_values, 3);
  CU_ASSERT_DOUBLE_EQUAL (p1->build_time.values[0], 600, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (p1->build_time.values[2], 1800, 1e-9);
  assert_dist (&p1->test_time, AMS_DIST_WEIBULL, 1.5, 300);
  CU_ASSERT_PTR_NULL (p1->distribution_name);
  CU_ASSERT_EQUAL (p1->distributions->len, 0);
  CU_ASSERT_STRING_EQUAL (p1->recipe_version, "0.0.1");

  const AmsScPipeline *p2 = sc->pipelines->pdata[2];
  CU_ASSERT_EQUAL (p2->trigger, AMS_SC_TRIGGER_RATE);
  CU_ASSERT_EQUAL (p2->rate_period, MINUTES (1));
  CU_ASSERT_EQUAL (p2->start_condition, AMS_SC_START_DEPENDENCY_UPDATES);
  CU_ASSERT_PTR_NULL (p2->timezone);

  const AmsScPipeline *p3 = sc->pipelines->pdata[3];
  CU_ASSERT_EQUAL (p3->trigger, AMS_SC_TRIGGER_MANUAL);
  CU_ASSERT_PTR_NULL (p3->schedule_expression);
  assert_dist (&p3->build_time, AMS_DIST_LOGNORMAL, 2700, 600);

  CU_ASSERT_EQUAL (sc->sim.copies_per_account_region, 100);
  assert_dist (&sc->sim.copy_duration, AMS_DIST_NORMAL, 1800, 300);
  assert_dist (&sc->sim.schedule_delay, AMS_DIST_UNIFORM, 5, 120);
  CU_ASSERT_TRUE (sc->sim.drain);
}

static void
test_loader_defaults (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/minimal.yaml", NULL, 0);
  CU_ASSERT_EQUAL (sc->format_version, 1);
  CU_ASSERT_STRING_EQUAL (sc->name, "minimal");
  CU_ASSERT_PTR_NULL (sc->description);
  CU_ASSERT_EQUAL (sc->seed, 1);
  CU_ASSERT_EQUAL (sc->start, SEC (INT64_C (1767225600))); /* 2026-01-01T00:00:00Z */
  CU_ASSERT_EQUAL (sc->horizon, SEC (86400));
  CU_ASSERT_EQUAL (sc->regions->len, 0);
  CU_ASSERT_EQUAL (sc->accounts->len, 0);
  CU_ASSERT_EQUAL (sc->pipelines->len, 0);
  CU_ASSERT_EQUAL (sc->sim.copies_per_account_region, 50);
  assert_dist (&sc->sim.copy_duration, AMS_DIST_LOGNORMAL, 1500, 480);
  assert_dist (&sc->sim.schedule_delay, AMS_DIST_UNIFORM, 0, 60);
  CU_ASSERT_FALSE (sc->sim.drain);
  CU_ASSERT_EQUAL (sc->sim.lifecycle_state_updates, 50);
  CU_ASSERT_EQUAL (sc->sim.lifecycle_run_at, MINUTES (3 * 60));
  CU_ASSERT_TRUE (sc->sim.lifecycle_enabled);
  CU_ASSERT_FALSE (sc->sim.lifecycle_compare);
  CU_ASSERT_EQUAL (sc->sim.lifecycle_update_time.kind, AMS_DIST_FIXED);
  CU_ASSERT_DOUBLE_EQUAL (sc->sim.lifecycle_update_time.p[0], 2, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (sc->sim.storage_price, 0.05, 1e-12);
  CU_ASSERT_PTR_NOT_NULL (sc->launches);
  CU_ASSERT_EQUAL (sc->launches->len, 0);

  /* a pipeline's defaults */
  GError *error = NULL;
  g_autoptr (AmsScenario) one = ams_scenario_load_data (
      "dir/my.scenario.yaml",
      "amisim: 1\nhorizon: 1d\nregions: [{name: us-east-1}]\n"
      "accounts: [{id: \"111111111111\"}]\n"
      "pipelines:\n  - {name: p-1, account: \"111111111111\", region: us-east-1,\n"
      "     recipe: {name: r, version: 1.0.0}}\n",
      -1, NULL, 0, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (one);
  CU_ASSERT_STRING_EQUAL (one->name, "my.scenario");
  const AmsScPipeline *p = one->pipelines->pdata[0];
  CU_ASSERT_EQUAL (p->trigger, AMS_SC_TRIGGER_MANUAL);
  CU_ASSERT_EQUAL (p->start_condition, AMS_SC_START_DEPENDENCY_UPDATES);
  CU_ASSERT_PTR_NULL (p->timezone);
  CU_ASSERT_PTR_NULL (p->schedule_expression);
  assert_dist (&p->build_time, AMS_DIST_LOGNORMAL, 2700, 600);
  CU_ASSERT_EQUAL (p->test_time.kind, AMS_DIST_FIXED);
  CU_ASSERT_DOUBLE_EQUAL (p->test_time.p[0], 900, 1e-9);
  CU_ASSERT_PTR_NULL (p->distribution_name);
  CU_ASSERT_EQUAL (p->distributions->len, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p->image_tags);
  CU_ASSERT_EQUAL (p->image_tags->len, 0);
  CU_ASSERT_EQUAL (((const AmsScAccount *) one->accounts->pdata[0])->recycle_bin_retention, 0);

  /* the built-in default scenario is named after its file */
  g_autoptr (AmsScenario) builtin = ams_scenario_load_data ("builtin:default.yaml",
                                                            "amisim: 1\nhorizon: 1d\n", -1,
                                                            NULL, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (builtin);
  CU_ASSERT_STRING_EQUAL (builtin->name, "default");
  CU_ASSERT_STRING_EQUAL (builtin->file, "builtin:default.yaml");
}

static void
test_loader_anchors (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/anchors.yaml", NULL, 0);
  CU_ASSERT_EQUAL_FATAL (sc->regions->len, 2);
  CU_ASSERT_EQUAL_FATAL (sc->pipelines->len, 2);
  const AmsScPipeline *a = sc->pipelines->pdata[0], *b = sc->pipelines->pdata[1];
  CU_ASSERT_STRING_EQUAL (a->name, "first");
  CU_ASSERT_STRING_EQUAL (b->name, "second");
  CU_ASSERT_EQUAL (a->trigger, AMS_SC_TRIGGER_RATE);
  CU_ASSERT_EQUAL (b->trigger, AMS_SC_TRIGGER_RATE);
  CU_ASSERT_EQUAL (a->rate_period, MINUTES (24 * 60));
  assert_dist (&a->build_time, AMS_DIST_LOGNORMAL, 1800, 180);
  CU_ASSERT_EQUAL (b->build_time.kind, AMS_DIST_FIXED); /* overridden */
  CU_ASSERT_DOUBLE_EQUAL (b->build_time.p[0], 3600, 1e-9);
  CU_ASSERT_STRING_EQUAL (a->distribution_name, "shared-fanout");
  CU_ASSERT_STRING_EQUAL (b->distribution_name, "shared-fanout");
  CU_ASSERT_EQUAL (a->distributions->len, 1);
  CU_ASSERT_EQUAL (b->distributions->len, 1);
  /* a merged value keeps the position where it was written, with this path */
  assert_loc (&a->account.loc, "anchors.yaml", 11, 12, "pipelines[0].account");
  assert_loc (&b->account.loc, "anchors.yaml", 11, 12, "pipelines[1].account");
  /* issue 16: an aliased targetAccountIds list is read once, its uses share
   * it (memory follows the lists written), its items named by the first use */
  const AmsScDistRegion *da = a->distributions->pdata[0], *db = b->distributions->pdata[0];
  CU_ASSERT_PTR_EQUAL (da->target_account_ids, db->target_account_ids);
  CU_ASSERT_EQUAL_FATAL (da->target_account_ids->len, 1);
  assert_loc (&g_array_index (db->target_account_ids, AmsScRef, 0).loc, "anchors.yaml", 21, 30,
              "pipelines[0].distribution.distributions[0].amiDistributionConfiguration"
              ".targetAccountIds[0]");
}

/* A shared target list with a problem is told as before sharing (once: the
 * report keeps one error per position); lists written twice are two. */
static void
test_loader_shared_targets (void)
{
  const char *text =
    "amisim: 1\nhorizon: 1d\n"
    "regions: [{name: us-east-1}]\n"
    "accounts: [{id: \"111111111111\"}, {id: \"222222222222\"}]\n"
    "x-t: &t [\"222222222222\", \"222222222222\"]\n"
    "x-p: &p {account: \"111111111111\", region: us-east-1, recipe: {name: r, version: 1.0.0},\n"
    "  distribution: {name: dist, distributions: [{region: us-east-1,\n"
    "    amiDistributionConfiguration: {targetAccountIds: *t}}]}}\n"
    "pipelines: [{<<: *p, name: alpha}, {<<: *p, name: bravo}]\n";
  g_autofree char *got = errors_of (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (got, "t.yaml:5:26: error: pipelines[0].distribution.distributions"
                                       "[0].amiDistributionConfiguration.targetAccountIds[1]: "
                                       "duplicate account '222222222222'"));

  /* resolved at its first use only, and an undefined account is still
   * told, once, at the item */
  const char *undefined =
    "amisim: 1\nhorizon: 1d\n"
    "regions: [{name: us-east-1}]\n"
    "accounts: [{id: \"111111111111\"}, {id: \"222222222222\"}]\n"
    "x-t: &t [\"222222222222\", \"333333333333\"]\n"
    "x-p: &p {account: \"111111111111\", region: us-east-1, recipe: {name: r, version: 1.0.0},\n"
    "  distribution: {name: dist, distributions: [{region: us-east-1,\n"
    "    amiDistributionConfiguration: {targetAccountIds: *t}}]}}\n"
    "pipelines: [{<<: *p, name: alpha}, {<<: *p, name: bravo}]\n";
  g_autofree char *told = errors_of (undefined, NULL, 0);
  const char *first = strstr (told, "t.yaml:5:26: error: pipelines[0].distribution.distributions"
                                    "[0].amiDistributionConfiguration.targetAccountIds[1]: "
                                    "account '333333333333' is not defined");
  CU_ASSERT_PTR_NOT_NULL_FATAL (first);
  first = strstr (first, "is not defined");
  CU_ASSERT_PTR_NULL (strstr (first + 1, "is not defined"));

  const char *two =
    "amisim: 1\nhorizon: 1d\n"
    "regions: [{name: us-east-1}]\n"
    "accounts: [{id: \"111111111111\"}, {id: \"222222222222\"}]\n"
    "x-p: &p {account: \"111111111111\", region: us-east-1, recipe: {name: r, version: 1.0.0}}\n"
    "pipelines:\n"
    "  - {<<: *p, name: alpha, distribution: {name: dist, distributions: [{region: us-east-1,\n"
    "      amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}}]}}\n"
    "  - {<<: *p, name: bravo, distribution: {name: dist, distributions: [{region: us-east-1,\n"
    "      amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}}]}}\n";
  GError *error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("t.yaml", two, -1, NULL, 0, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  const AmsScPipeline *a = sc->pipelines->pdata[0], *b = sc->pipelines->pdata[1];
  const AmsScDistRegion *da = a->distributions->pdata[0], *db = b->distributions->pdata[0];
  CU_ASSERT_PTR_NOT_EQUAL (da->target_account_ids, db->target_account_ids);
}

static void
test_loader_json (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/json.yaml", NULL, 0);
  CU_ASSERT_STRING_EQUAL (sc->name, "json-scenario");
  CU_ASSERT_EQUAL (sc->seed, 7);
  CU_ASSERT_EQUAL (sc->horizon, SEC (3 * 86400));
  CU_ASSERT_EQUAL (sc->sim.copies_per_account_region, 25);
  const AmsScPipeline *p = sc->pipelines->pdata[0];
  CU_ASSERT_EQUAL (p->rate_period, MINUTES (7 * 24 * 60));
  CU_ASSERT_STRING_EQUAL (p->timezone, "Etc/UTC");
  CU_ASSERT_STRING_EQUAL (p->recipe_version, "1.2.3");
  const AmsScDistRegion *d = p->distributions->pdata[0];
  CU_ASSERT_STRING_EQUAL (d->ami_name, "json {{imagebuilder:buildVersion}}");

  g_autoptr (AmsScenario) out = must_load ("valid/get-output.yaml", NULL, 0);
  const AmsScPipeline *q = out->pipelines->pdata[0];
  CU_ASSERT_STRING_EQUAL (q->distribution_name, "pasted-fanout");
  CU_ASSERT_EQUAL_FATAL (q->distributions->len, 1);
  const AmsScDistRegion *e = q->distributions->pdata[0];
  CU_ASSERT_STRING_EQUAL (e->region.value, "eu-west-1");
  CU_ASSERT_EQUAL (e->target_account_ids->len, 1);
  assert_loc (&e->region.loc, "get-output.yaml", 24, 31,
              "pipelines[0].distribution.distributionConfiguration.distributions[0].region");
}

static void
test_loader_overrides (void)
{
  const AmsOverride ov[] = {
    { "simulation.limits.copies_per_account_region", "7", "--set" },
    { "pipelines[1].build_time", "fixed(2h)", "--set" },
    { "pipelines.0.recipe.version", "9.9.9", "--set" },
    { "seed", "99", "--seed" },
    { "horizon", "36h", "--horizon" },
    { "x-pipeline.build_time", "garbage", "--set" }, /* ignored like the rest of x- */
  };
  g_autoptr (AmsScenario) sc = must_load ("valid/anchors.yaml", ov, G_N_ELEMENTS (ov));
  CU_ASSERT_EQUAL (sc->sim.copies_per_account_region, 7);
  CU_ASSERT_EQUAL (sc->seed, 99);
  CU_ASSERT_EQUAL (sc->horizon, SEC (36 * 3600));
  const AmsScPipeline *a = sc->pipelines->pdata[0], *b = sc->pipelines->pdata[1];
  assert_dist (&a->build_time, AMS_DIST_LOGNORMAL, 1800, 180);
  CU_ASSERT_DOUBLE_EQUAL (b->build_time.p[0], 7200, 1e-9);
  CU_ASSERT_STRING_EQUAL (a->recipe_version, "9.9.9");
  CU_ASSERT_STRING_EQUAL (b->recipe_version, "1.0.0"); /* shared through the merge */

  /* create missing keys */
  const AmsOverride drain[] = { { "simulation.drain", "true", "--set" } };
  g_autoptr (AmsScenario) m = must_load ("valid/minimal.yaml", drain, 1);
  CU_ASSERT_TRUE (m->sim.drain);

  /* keys of mappings the file does not have: simulation.lifecycle, .storage */
  const AmsOverride lifecycle[] = {
    { "simulation.lifecycle.compare", "true", "--set" },
    { "simulation.storage.price_per_gib_month", "0.1", "--set" },
    { "simulation.lifecycle_run_at", "23:59", "--set" },
    { "simulation.limits.lifecycle_state_updates", "5", "--set" },
  };
  g_autoptr (AmsScenario) lc = must_load ("valid/minimal.yaml", lifecycle,
                                          G_N_ELEMENTS (lifecycle));
  CU_ASSERT_TRUE (lc->sim.lifecycle_compare);
  CU_ASSERT_TRUE (lc->sim.lifecycle_enabled);
  CU_ASSERT_DOUBLE_EQUAL (lc->sim.storage_price, 0.1, 1e-12);
  CU_ASSERT_EQUAL (lc->sim.lifecycle_run_at, MINUTES (23 * 60 + 59));
  CU_ASSERT_EQUAL (lc->sim.lifecycle_state_updates, 5);
  /* and keys of a mapping the file has */
  const AmsOverride enabled[] = { { "simulation.lifecycle.enabled", "true", "--set" },
                                  { "simulation.lifecycle.update_time", "fixed(10s)", "--set" } };
  g_autoptr (AmsScenario) le = must_load ("valid/lifecycle-run.yaml", enabled, 2);
  CU_ASSERT_TRUE (le->sim.lifecycle_enabled);
  CU_ASSERT_TRUE (le->sim.lifecycle_compare);
  assert_dist (&le->sim.lifecycle_update_time, AMS_DIST_FIXED, 10, 0);
  const AmsOverride bad_run_at[] = { { "simulation.lifecycle_run_at", "24:00", "--set" } };
  expect_errors ("amisim: 1\nhorizon: 1d\n", bad_run_at, 1,
                 "--set:1:1: error: simulation.lifecycle_run_at: expected a time of day "
                 "\"HH:MM\" (UTC) from 00:00 to 23:59, got \"24:00\"");

  /* errors point at the option */
  const char *text = "amisim: 1\nhorizon: 1d\npipelines: []\n";
  const AmsOverride typo[] = { { "simulation.limts.copies_per_account_region", "10", "--set" } };
  expect_errors (text, typo, 1,
                 "--set:1:1: error: simulation.limts: unknown key 'limts'; did you mean "
                 "'limits'?");
  const AmsOverride bad_value[] = { { "horizon", "soon", "--horizon" } };
  expect_errors (text, bad_value, 1,
                 "--horizon:1:1: error: horizon: expected a duration like 90s, 25m or 1h30m, "
                 "got \"soon\"");
  const AmsOverride bad_seed[] = { { "seed", "-3", "--seed" } };
  expect_errors (text, bad_seed, 1,
                 "--seed:1:1: error: seed: expected a whole number from 0 to "
                 "18446744073709551615, got \"-3\"");
  const AmsOverride bad_index[] = { { "pipelines[0].name", "x", "--set" } };
  expect_errors (text, bad_index, 1,
                 "--set:1:1: error: pipelines[0]: index 0 is out of range: 'pipelines' has no "
                 "entries");
  const AmsOverride through[] = { { "horizon.days", "1", "--set" } };
  expect_errors (text, through, 1,
                 "--set:1:1: error: horizon.days: cannot set 'days': 'horizon' is a scalar, "
                 "not a mapping");
  /* several overrides: each error in the order given, after the file's */
  const AmsOverride several[] = {
    { "simulation.drain", "maybe", "--set" },
    { "nmae", "x", "--set" },
  };
  expect_errors ("amisim: 1\nhorizon: 1d\nseed: x\n", several, 2,
                 "t.yaml:3:7: error: seed: expected a whole number from 0 to "
                 "18446744073709551615, got \"x\"\n"
                 "--set:1:1: error: simulation.drain: expected true or false, got \"maybe\"\n"
                 "--set:1:1: error: nmae: unknown key 'nmae'; did you mean 'name'?");
}

static void
test_loader_several_errors (void)
{
  /* every problem in one pass, in document order (references last in the
   * walk, first by position), and no scenario */
  expect_errors ("amisim: 1\n"
                 "horizon: 2 days\n"
                 "regions:\n"
                 "  - name: us-east-1\n"
                 "  - name: us-east-1\n"
                 "accounts:\n"
                 "  - id: 1234\n"
                 "pipelines:\n"
                 "  - name: p-1\n"
                 "    account: \"999999999999\"\n"
                 "    region: us-east-1\n"
                 "    recipe: {name: r}\n"
                 "    build_time: lognormal(mean=1h)\n"
                 "simulation:\n"
                 "  drain: yes\n"
                 "  limits: {copies_per_account_region: 0, lifecycle_state_updates: 0}\n"
                 "  cpy: {}\n",
                 NULL, 0,
                 "t.yaml:2:10: error: horizon: expected a duration like 90s, 25m or 1h30m, got "
                 "\"2 days\"\n"
                 "t.yaml:5:11: error: regions[1].name: duplicate region 'us-east-1' (first at "
                 "4:11)\n"
                 "t.yaml:7:9: error: accounts[0].id: expected a 12-digit account id like "
                 "\"111111111111\", got \"1234\"\n"
                 "t.yaml:10:14: error: pipelines[0].account: account '999999999999' is not "
                 "defined in accounts or account_sets; defined: 1234\n"
                 "t.yaml:12:13: error: pipelines[0].recipe.version: missing required key "
                 "'version' (the recipe's semantic version, e.g. version: 1.0.0)\n"
                 "t.yaml:13:17: error: pipelines[0].build_time: lognormal needs 'sd', as in "
                 "lognormal(mean=45m, sd=10m)\n"
                 "t.yaml:15:10: error: simulation.drain: expected true or false, got \"yes\"\n"
                 "t.yaml:16:39: error: simulation.limits.copies_per_account_region: expected a "
                 "whole number from 1 to 100000, got \"0\"\n"
                 "t.yaml:16:67: error: simulation.limits.lifecycle_state_updates: expected a "
                 "whole number from 1 to 100000, got \"0\"\n"
                 "t.yaml:17:3: error: simulation.cpy: unknown key 'cpy'; did you mean 'copy'?");
}

static void
test_loader_io_and_empty (void)
{
  GError *error = NULL;
  AmsScenario *sc = ams_scenario_load_file ("/nonexistent/dir/none.yaml", NULL, 0, &error);
  CU_ASSERT_PTR_NULL (sc);
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_IO));
  if (error != NULL)
    CU_ASSERT_STRING_EQUAL (error->message, "/nonexistent/dir/none.yaml:1:1: error: (file): "
                                            "cannot read file: No such file or directory");
  g_clear_error (&error);

  g_autofree char *dir = ams_test_path ("scenario");
  sc = ams_scenario_load_file (dir, NULL, 0, &error);
  CU_ASSERT_PTR_NULL (sc);
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_IO));
  g_clear_error (&error);

  expect_errors ("", NULL, 0,
                 "t.yaml:1:1: error: (root): the file is empty; a scenario needs at least "
                 "'amisim: 1' and 'horizon'");
  sc = ams_scenario_load_data ("e.yaml", NULL, 0, NULL, 0, &error);
  CU_ASSERT_PTR_NULL (sc);
  CU_ASSERT_TRUE (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
  g_clear_error (&error);
  /* bytes that are not UTF-8 */
  expect_errors ("amisim: 1\nhorizon: \xff\n", NULL, 0,
                 "t.yaml:2:10: error: (root): YAML syntax error: invalid leading UTF-8 octet");
}

/* A scenario with `n` accounts and one pipeline distributing to the first
 * `targets` of them. */
static char *
fanout (guint n, guint targets)
{
  GString *s = g_string_new ("amisim: 1\nhorizon: 1d\nregions: [{name: us-east-1}]\naccounts:\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "  - id: \"%012u\"\n", 100000 + i);
  g_string_append (s, "pipelines:\n  - name: wide\n    account: \"000000100000\"\n"
                      "    region: us-east-1\n    recipe: {name: r, version: 1.0.0}\n"
                      "    distribution:\n      name: wide\n      distributions:\n"
                      "        - region: us-east-1\n          amiDistributionConfiguration:\n"
                      "            targetAccountIds:\n");
  for (guint i = 0; i < targets; i++)
    g_string_append_printf (s, "              - \"%012u\"\n", 100000 + i);
  return g_string_free (s, FALSE);
}

static void
test_loader_target_limit (void)
{
  g_autofree char *ok = fanout (1537, 1536);
  GError *error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_data ("wide.yaml", ok, -1, NULL, 0, &error);
  CU_ASSERT_PTR_NULL (error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  const AmsScPipeline *p = sc->pipelines->pdata[0];
  CU_ASSERT_EQUAL (((AmsScDistRegion *) p->distributions->pdata[0])->target_account_ids->len,
                   1536);

  g_autofree char *over = fanout (1537, 1537);
  expect_errors (over, NULL, 0,
                 "t.yaml:1553:15: error: pipelines[0].distribution.distributions[0]"
                 ".amiDistributionConfiguration.targetAccountIds: expected at most 1536 account "
                 "ids (the AWS limit), got 1537");
}

static void
test_loader_alias_bomb (void)
{
  /* 200 pipelines x 200 regions x 200 targets through aliases: 8 million
   * nodes from a few kilobytes. The parse gives up instead of the walk
   * running away. */
  GString *s = g_string_new ("amisim: 1\nhorizon: 1d\nx-t: &t [");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (s, "%sbad", i ? ", " : "");
  g_string_append (s, "]\nx-e: &e {region: r, amiDistributionConfiguration: "
                      "{targetAccountIds: *t}}\nx-d: &d [");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (s, "%s*e", i ? ", " : "");
  g_string_append (s, "]\nx-p: &p {name: p-1, account: a, region: r, recipe: {name: r, "
                      "version: 1.0.0}, distribution: {name: d-1, distributions: *d}}\n"
                      "pipelines: [");
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (s, "%s*p", i ? ", " : "");
  g_string_append (s, "]\n");
  g_autofree char *text = g_string_free (s, FALSE);
  g_autofree char *errors = errors_of (text, NULL, 0);
  /* refused while parsing, at the alias that passes the limit on what
   * aliases add: 83,002 nodes before the pipelines, 41,419 for each *p */
  CU_ASSERT_STRING_EQUAL (errors, "t.yaml:7:101: error: pipelines[22]: aliases add more than "
                                  "1000000 nodes to the document, the limit (an alias counts "
                                  "every node of what it names); refusing to go on");
}

static void
test_loader_lifecycle (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/lifecycle.yaml", NULL, 0);
  CU_ASSERT_EQUAL_FATAL (sc->lifecycle_policies->len, 2);
  const AmsScLifecyclePolicy *a = sc->lifecycle_policies->pdata[0];
  CU_ASSERT_STRING_EQUAL (a->name, "keep-five");
  CU_ASSERT_STRING_EQUAL (a->account.value, "111111111111");
  CU_ASSERT_STRING_EQUAL (a->region.value, "us-east-1"); /* the first region */
  CU_ASSERT_TRUE (a->enabled);
  CU_ASSERT_FALSE (a->containers);
  CU_ASSERT_EQUAL_FATAL (a->rules->len, 1);
  const AmsScLcRule *r = a->rules->pdata[0];
  CU_ASSERT_EQUAL (r->action, AMS_LC_DELETE);
  CU_ASSERT_TRUE (r->include_amis && r->include_snapshots && !r->include_containers);
  CU_ASSERT_EQUAL (r->filter, AMS_LC_COUNT);
  CU_ASSERT_EQUAL (r->value, 5);
  CU_ASSERT_EQUAL (r->retain_at_least, 0);
  CU_ASSERT_EQUAL_FATAL (a->recipes->len, 1);
  CU_ASSERT_STRING_EQUAL (g_array_index (a->recipes, AmsScLcRecipe, 0).semantic_version, "1.x.x");

  const AmsScLifecyclePolicy *b = sc->lifecycle_policies->pdata[1];
  CU_ASSERT_STRING_EQUAL (b->region.value, "eu-west-1");
  CU_ASSERT_FALSE (b->enabled);
  CU_ASSERT_EQUAL_FATAL (b->rules->len, 2);
  const AmsScLcRule *dep = b->rules->pdata[0], *del = b->rules->pdata[1];
  CU_ASSERT_EQUAL (dep->action, AMS_LC_DEPRECATE);
  CU_ASSERT_EQUAL (dep->filter, AMS_LC_AGE);
  CU_ASSERT_EQUAL (dep->unit, AMS_LC_WEEKS);
  CU_ASSERT_EQUAL (del->value, 90);
  CU_ASSERT_EQUAL (del->unit, AMS_LC_DAYS);
  CU_ASSERT_EQUAL (del->retain_at_least, 2);
  CU_ASSERT_EQUAL (del->exclude_tags->len, 1);
  CU_ASSERT_TRUE (del->exclude_public);
  CU_ASSERT_EQUAL (del->exclude_regions->len, 1);
  CU_ASSERT_EQUAL (del->exclude_shared_accounts->len, 1);
  CU_ASSERT_EQUAL (del->last_launched_value, 7);
  CU_ASSERT_EQUAL (del->last_launched_unit, AMS_LC_DAYS);
  CU_ASSERT_EQUAL_FATAL (del->exclude_ami_tags->len, 1);
  CU_ASSERT_STRING_EQUAL (g_array_index (del->exclude_ami_tags, AmsScTag, 0).key, "pinned");
  CU_ASSERT_STRING_EQUAL (g_array_index (del->exclude_ami_tags, AmsScTag, 0).value, "");
  CU_ASSERT_EQUAL (b->recipes->len, 0);
  CU_ASSERT_EQUAL (b->selection_tags->len, 1);

  CU_ASSERT_TRUE (ams_sc_semver_matches ("1.x.x", "1.4.2"));
  CU_ASSERT_TRUE (ams_sc_semver_matches ("1.4.x", "1.4.0"));
  CU_ASSERT_FALSE (ams_sc_semver_matches ("1.x.x", "2.0.0"));
  CU_ASSERT_FALSE (ams_sc_semver_matches ("1.4.x", "1.5.0"));
  CU_ASSERT_TRUE (ams_sc_semver_matches ("x.x.x", "7.8.9"));
  CU_ASSERT_TRUE (ams_sc_semver_matches ("1.0.0", "1.0.0"));
}

static const AmsScTag *
tag (const GArray *tags, guint i)
{
  return &g_array_index (tags, AmsScTag, i);
}

static void
test_loader_lifecycle_run (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/lifecycle-run.yaml", NULL, 0);

  /* accounts[].recycle_bin */
  CU_ASSERT_EQUAL_FATAL (sc->accounts->len, 3);
  const AmsScAccount *a0 = sc->accounts->pdata[0], *a1 = sc->accounts->pdata[1];
  CU_ASSERT_EQUAL (a0->recycle_bin_retention, SEC (7 * 86400));
  CU_ASSERT_EQUAL (a1->recycle_bin_retention, SEC (10 * 86400));
  CU_ASSERT_EQUAL (((const AmsScAccount *) sc->accounts->pdata[2])->recycle_bin_retention, 0);

  /* pipelines[].image_tags, amiTags */
  const AmsScPipeline *golden = sc->pipelines->pdata[0], *plain = sc->pipelines->pdata[1];
  CU_ASSERT_EQUAL_FATAL (golden->image_tags->len, 3);
  CU_ASSERT_STRING_EQUAL (tag (golden->image_tags, 0)->key, "team");
  CU_ASSERT_STRING_EQUAL (tag (golden->image_tags, 0)->value, "platform");
  CU_ASSERT_STRING_EQUAL (tag (golden->image_tags, 1)->key, "cost center");
  CU_ASSERT_STRING_EQUAL (tag (golden->image_tags, 1)->value, "42");
  CU_ASSERT_STRING_EQUAL (tag (golden->image_tags, 2)->key, "keep");
  CU_ASSERT_STRING_EQUAL (tag (golden->image_tags, 2)->value, "");
  CU_ASSERT_EQUAL (plain->image_tags->len, 0);
  const AmsScDistRegion *d0 = golden->distributions->pdata[0];
  const AmsScDistRegion *d1 = golden->distributions->pdata[1];
  CU_ASSERT_EQUAL_FATAL (d0->ami_tags->len, 2);
  CU_ASSERT_STRING_EQUAL (tag (d0->ami_tags, 0)->key, "Name");
  CU_ASSERT_STRING_EQUAL (tag (d0->ami_tags, 0)->value, "golden");
  CU_ASSERT_STRING_EQUAL (tag (d0->ami_tags, 1)->key, "pinned");
  CU_ASSERT_STRING_EQUAL (tag (d0->ami_tags, 1)->value, "");
  CU_ASSERT_PTR_NOT_NULL_FATAL (d1->ami_tags);
  CU_ASSERT_EQUAL (d1->ami_tags->len, 0);

  /* simulation */
  CU_ASSERT_EQUAL (sc->sim.lifecycle_state_updates, 20);
  CU_ASSERT_EQUAL (sc->sim.lifecycle_run_at, MINUTES (4 * 60 + 30));
  CU_ASSERT_FALSE (sc->sim.lifecycle_enabled);
  CU_ASSERT_TRUE (sc->sim.lifecycle_compare);
  assert_dist (&sc->sim.lifecycle_update_time, AMS_DIST_UNIFORM, 1, 5);
  CU_ASSERT_DOUBLE_EQUAL (sc->sim.storage_price, 0.0125, 1e-12);

  /* events */
  CU_ASSERT_EQUAL_FATAL (sc->events->len, 8);
  const AmsScEvent *const *ev = (const AmsScEvent *const *) sc->events->pdata;
  CU_ASSERT_EQUAL (ev[0]->kind, AMS_SC_EV_SET_DEREGISTRATION_PROTECTION);
  CU_ASSERT_EQUAL (ev[0]->at, SEC (86400));
  CU_ASSERT_STRING_EQUAL (ev[0]->pipeline.value, "golden");
  CU_ASSERT_TRUE (ev[0]->enabled);
  CU_ASSERT_TRUE (ev[0]->cooldown);
  CU_ASSERT_PTR_NULL (ev[0]->account.value);
  CU_ASSERT_PTR_NULL (ev[0]->region.value);
  CU_ASSERT_FALSE (ev[1]->enabled);
  CU_ASSERT_FALSE (ev[1]->cooldown); /* the default */
  CU_ASSERT_STRING_EQUAL (ev[1]->account.value, "222222222222");
  CU_ASSERT_STRING_EQUAL (ev[1]->region.value, "eu-west-1");
  CU_ASSERT_FALSE (ev[2]->enabled);
  CU_ASSERT_FALSE (ev[2]->cooldown);
  CU_ASSERT_EQUAL (ev[3]->kind, AMS_SC_EV_RESTORE_IMAGE);
  CU_ASSERT_STRING_EQUAL (ev[3]->pipeline.value, "golden");
  CU_ASSERT_PTR_NULL (ev[3]->version);
  CU_ASSERT_STRING_EQUAL (ev[4]->version, "1.2.0/3");
  CU_ASSERT_EQUAL (ev[5]->kind, AMS_SC_EV_SET_LIFECYCLE_POLICY);
  CU_ASSERT_STRING_EQUAL (ev[5]->policy, "age-out");
  CU_ASSERT_FALSE (ev[5]->enabled);
  /* the only account with a policy so named */
  CU_ASSERT_STRING_EQUAL (ev[5]->account.value, "111111111111");
  CU_ASSERT_STRING_EQUAL (ev[6]->policy, "keep-five");
  CU_ASSERT_STRING_EQUAL (ev[6]->account.value, "333333333333");
  CU_ASSERT_TRUE (ev[6]->enabled);
  CU_ASSERT_EQUAL (ev[7]->kind, AMS_SC_EV_SET_DISTRIBUTION);
  CU_ASSERT_EQUAL_FATAL (ev[7]->distributions->len, 1);
  const AmsScDistRegion *nd = ev[7]->distributions->pdata[0];
  CU_ASSERT_EQUAL_FATAL (nd->ami_tags->len, 1);
  CU_ASSERT_STRING_EQUAL (tag (nd->ami_tags, 0)->value, "golden-v2");

  /* launches */
  CU_ASSERT_EQUAL_FATAL (sc->launches->len, 2);
  const AmsScLaunches *l0 = sc->launches->pdata[0], *l1 = sc->launches->pdata[1];
  CU_ASSERT_STRING_EQUAL (l0->name, "prod-fleet");
  CU_ASSERT_EQUAL_FATAL (l0->accounts->len, 2);
  CU_ASSERT_STRING_EQUAL (g_array_index (l0->accounts, AmsScRef, 1).value, "400000000001");
  CU_ASSERT_EQUAL_FATAL (l0->units->len, 2);
  CU_ASSERT_STRING_EQUAL (g_array_index (l0->units, AmsScRef, 0).value, "ou-a1b2-bbbbbbbb");
  CU_ASSERT_STRING_EQUAL (g_array_index (l0->units, AmsScRef, 1).value,
                          "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-aaaaaaaa");
  assert_loc (&g_array_index (l0->units, AmsScRef, 0).loc, "lifecycle-run.yaml", 113, 11,
              "launches[0].ous[0]");
  CU_ASSERT_STRING_EQUAL (l0->region.value, "eu-west-1");
  CU_ASSERT_STRING_EQUAL (l0->pipeline.value, "golden");
  CU_ASSERT_DOUBLE_EQUAL (l0->rate, 10.0 / 86400, 1e-15);
  CU_ASSERT_EQUAL (l0->refresh, SEC (3600));
  assert_loc (&l0->loc, "lifecycle-run.yaml", 111, 5, "launches[0]");
  assert_loc (&l1->loc, "lifecycle-run.yaml", 118, 5, "launches[1]");
  CU_ASSERT_STRING_EQUAL (l1->name, "launches[1]");
  CU_ASSERT_EQUAL (l1->accounts->len, 0);
  CU_ASSERT_EQUAL (l1->units->len, 1);
  CU_ASSERT_STRING_EQUAL (l1->pipeline.value, "plain");
  CU_ASSERT_DOUBLE_EQUAL (l1->rate, 2.0 / 3600, 1e-15);
  CU_ASSERT_EQUAL (l1->refresh, 0);
}

static void
assert_res (const AmsScResRef *r, AmsScResType type, const char *region, const char *account,
            const char *name, const char *version, guint build)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (r->arn);
  CU_ASSERT_EQUAL (r->type, type);
  CU_ASSERT_STRING_EQUAL (r->region, region);
  CU_ASSERT_STRING_EQUAL (r->account, account);
  CU_ASSERT_STRING_EQUAL (r->name, name);
  CU_ASSERT_STRING_EQUAL (r->version, version);
  CU_ASSERT_EQUAL (r->build, build);
}

#define F_ACCT "111111111111"
#define F_ARN "arn:aws:imagebuilder:us-east-1:111111111111:"

static void
test_loader_supply_chain (void)
{
  g_autoptr (AmsScenario) sc = must_load ("valid/supply-chain.yaml", NULL, 0);

  /* helpers */
  g_autofree char *an = ams_sc_arn_name ("Hardening Baseline_2");
  CU_ASSERT_STRING_EQUAL (an, "hardening-baseline_2");
  CU_ASSERT_TRUE (ams_sc_semver_compare ("1.10.0", "1.9.0") > 0);
  CU_ASSERT_TRUE (ams_sc_semver_compare ("0.9.9", "1.0.0") < 0);
  CU_ASSERT_EQUAL (ams_sc_semver_compare ("1.2.3", "1.2.3"), 0);
  CU_ASSERT_EQUAL (ams_sc_semver_compare ("01.2.3", "1.2.3"), 0);

  /* accounts[].ram_invitations */
  CU_ASSERT_EQUAL_FATAL (sc->accounts->len, 4);
  const AmsScAccount *const *acc = (const AmsScAccount *const *) sc->accounts->pdata;
  CU_ASSERT_TRUE (acc[1]->ram_accept);
  CU_ASSERT_TRUE (acc[1]->ram_after_set);
  assert_dist (&acc[1]->ram_after, AMS_DIST_UNIFORM, 3600, 2 * 86400);
  CU_ASSERT_FALSE (acc[2]->ram_accept);
  CU_ASSERT_FALSE (acc[2]->ram_after_set);
  CU_ASSERT_TRUE (acc[3]->ram_accept); /* the default */
  CU_ASSERT_FALSE (acc[3]->ram_after_set);

  /* components[] */
  CU_ASSERT_EQUAL_FATAL (sc->components->len, 3);
  const AmsScComponent *c0 = sc->components->pdata[0], *c1 = sc->components->pdata[1];
  const AmsScComponent *c2 = sc->components->pdata[2];
  CU_ASSERT_STRING_EQUAL (c0->name, "Hardening Baseline");
  CU_ASSERT_STRING_EQUAL (c0->version, "1.0.0");
  CU_ASSERT_STRING_EQUAL (c0->platform, "Linux");
  CU_ASSERT_STRING_EQUAL (c0->account.value, F_ACCT);
  CU_ASSERT_STRING_EQUAL (c0->region.value, "us-east-1");
  CU_ASSERT_STRING_EQUAL (c0->kms_key.value, "alias/components");
  CU_ASSERT_STRING_EQUAL (c0->arn, F_ARN "component/hardening-baseline/1.0.0/1");
  assert_loc (&c0->loc, "supply-chain.yaml", 34, 5, "components[0]");
  CU_ASSERT_STRING_EQUAL (c1->arn, F_ARN "component/hardening-baseline/1.2.0/1");
  CU_ASSERT_PTR_NULL (c1->kms_key.value);
  CU_ASSERT_STRING_EQUAL (c2->platform, "Windows");
  CU_ASSERT_STRING_EQUAL (c2->arn, "arn:aws:imagebuilder:eu-west-1:222222222222:component/agent/"
                                   "2.0.0/1");

  /* recipes[] then container_recipes[] */
  CU_ASSERT_EQUAL_FATAL (sc->recipes->len, 5);
  AmsScRecipe *const *r = (AmsScRecipe *const *) sc->recipes->pdata;
  CU_ASSERT_STRING_EQUAL (r[0]->name, "golden");
  CU_ASSERT_STRING_EQUAL (r[0]->version, "1.0.0");
  CU_ASSERT_STRING_EQUAL (r[0]->arn, F_ARN "image-recipe/golden/1.0.0");
  CU_ASSERT_FALSE (r[0]->container);
  CU_ASSERT_FALSE (r[0]->block);
  CU_ASSERT_STRING_EQUAL (r[0]->parent_external, "ami-0123456789abcdef0");
  CU_ASSERT_PTR_NULL (r[0]->parent.arn);
  CU_ASSERT_EQUAL_FATAL (r[0]->components->len, 2);
  assert_res (&g_array_index (r[0]->components, AmsScResRef, 0), AMS_SC_RES_COMPONENT,
              "us-east-1", F_ACCT, "hardening-baseline", "1.0.0", 1);
  assert_res (&g_array_index (r[0]->components, AmsScResRef, 1), AMS_SC_RES_COMPONENT,
              "us-east-1", "aws", "update-linux", "x.x.x", 0);
  assert_loc (&g_array_index (r[0]->components, AmsScResRef, 1).loc, "supply-chain.yaml", 68, 23,
              "recipes[0].components[1].componentArn");
  CU_ASSERT_EQUAL (r[0]->snapshot_size, G_GUINT64_CONSTANT (30) << 30);
  CU_ASSERT_TRUE (r[0]->encrypted);
  CU_ASSERT_STRING_EQUAL (r[0]->kms_key.value, "alias/components");
  CU_ASSERT_TRUE (r[0]->pv);
  CU_ASSERT_STRING_EQUAL (r[1]->parent_external,
                          "ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  CU_ASSERT_EQUAL (r[1]->snapshot_size, G_GUINT64_CONSTANT (16) << 30);
  CU_ASSERT_FALSE (r[1]->encrypted);
  CU_ASSERT_EQUAL (r[1]->components->len, 0);
  CU_ASSERT_PTR_NULL (r[2]->parent_external);
  assert_res (&r[2]->parent, AMS_SC_RES_IMAGE, "us-east-1", F_ACCT, "base", "1.x.x", 0);
  CU_ASSERT_TRUE (r[3]->container);
  CU_ASSERT_STRING_EQUAL (r[3]->arn, F_ARN "container-recipe/app/1.0.0");
  CU_ASSERT_STRING_EQUAL (r[3]->parent_external, "amazonlinux:2023");
  CU_ASSERT_STRING_EQUAL (r[3]->target_repository, "golden/app");
  CU_ASSERT_TRUE (r[3]->encrypted); /* kmsKeyId */
  CU_ASSERT_STRING_EQUAL (r[3]->kms_key.value, "alias/components");
  CU_ASSERT_EQUAL (r[3]->snapshot_size, G_GUINT64_CONSTANT (20) << 30);
  CU_ASSERT_EQUAL_FATAL (r[3]->components->len, 1);
  CU_ASSERT_STRING_EQUAL (g_array_index (r[3]->components, AmsScResRef, 0).version, "1.x.x");
  assert_res (&r[4]->parent, AMS_SC_RES_IMAGE, "us-east-1", F_ACCT, "base", "1.0.0", 2);
  CU_ASSERT_TRUE (r[4]->encrypted);

  /* pipelines: a block, and recipes by ARN with their flat fields copied */
  CU_ASSERT_EQUAL_FATAL (sc->pipelines->len, 4);
  const AmsScPipeline *const *pl = (const AmsScPipeline *const *) sc->pipelines->pdata;
  const AmsScRecipe *block = pl[0]->recipe;
  CU_ASSERT_PTR_NOT_NULL_FATAL (block);
  CU_ASSERT_TRUE (block->block);
  CU_ASSERT_FALSE (block->container);
  CU_ASSERT_PTR_NULL (pl[0]->recipe_ref.arn);
  CU_ASSERT_STRING_EQUAL (block->arn, F_ARN "image-recipe/base/1.0.0");
  CU_ASSERT_STRING_EQUAL (block->account.value, F_ACCT);
  CU_ASSERT_STRING_EQUAL (block->region.value, "us-east-1");
  CU_ASSERT_STRING_EQUAL (block->parent_external, "ami-0123456789abcdef0");
  CU_ASSERT_EQUAL (block->components->len, 1);
  assert_loc (&block->loc, "supply-chain.yaml", 131, 7, "pipelines[0].recipe");
  CU_ASSERT_STRING_EQUAL (pl[0]->recipe_name, "base");
  CU_ASSERT_STRING_EQUAL (pl[0]->recipe_version, "1.0.0");

  /* 1.x.x: the newest matching version, 1.2.0 (2.0.0 does not match) */
  CU_ASSERT_PTR_EQUAL (pl[1]->recipe, r[1]);
  assert_res (&pl[1]->recipe_ref, AMS_SC_RES_IMAGE_RECIPE, "us-east-1", F_ACCT, "golden",
              "1.x.x", 0);
  assert_loc (&pl[1]->recipe_ref.loc, "supply-chain.yaml", 140, 21, "pipelines[1].imageRecipeArn");
  CU_ASSERT_STRING_EQUAL (pl[1]->recipe_name, "golden");
  CU_ASSERT_STRING_EQUAL (pl[1]->recipe_version, "1.2.0");
  CU_ASSERT_EQUAL (pl[1]->snapshot_size, G_GUINT64_CONSTANT (16) << 30);
  CU_ASSERT_FALSE (pl[1]->encrypted);
  CU_ASSERT_FALSE (pl[1]->pv);
  CU_ASSERT_PTR_NULL (pl[1]->target_repository);
  /* a container recipe */
  CU_ASSERT_PTR_EQUAL (pl[2]->recipe, r[3]);
  CU_ASSERT_EQUAL (pl[2]->recipe_ref.type, AMS_SC_RES_CONTAINER_RECIPE);
  CU_ASSERT_STRING_EQUAL (pl[2]->target_repository, "golden/app");
  CU_ASSERT_TRUE (pl[2]->encrypted);
  CU_ASSERT_STRING_EQUAL (pl[2]->kms_key.value, "alias/components");
  /* another account's recipe: left to the run (it may be shared) */
  CU_ASSERT_PTR_EQUAL (pl[3]->recipe, r[0]);
  CU_ASSERT_STRING_EQUAL (pl[3]->recipe_version, "1.0.0");
  CU_ASSERT_TRUE (pl[3]->pv);
  CU_ASSERT_TRUE (pl[3]->encrypted);
  CU_ASSERT_EQUAL (pl[3]->snapshot_size, G_GUINT64_CONSTANT (30) << 30);

  /* resource_shares[] */
  CU_ASSERT_EQUAL_FATAL (sc->resource_shares->len, 2);
  const AmsScResourceShare *s0 = sc->resource_shares->pdata[0];
  const AmsScResourceShare *s1 = sc->resource_shares->pdata[1];
  CU_ASSERT_STRING_EQUAL (s0->name, "golden-components");
  CU_ASSERT_STRING_EQUAL (s0->account.value, F_ACCT);
  CU_ASSERT_STRING_EQUAL (s0->region.value, "us-east-1");
  CU_ASSERT_EQUAL_FATAL (s0->resources->len, 4);
  assert_res (&g_array_index (s0->resources, AmsScResRef, 0), AMS_SC_RES_COMPONENT, "us-east-1",
              F_ACCT, "hardening-baseline", "1.0.0", 1);
  assert_res (&g_array_index (s0->resources, AmsScResRef, 1), AMS_SC_RES_IMAGE_RECIPE,
              "us-east-1", F_ACCT, "golden", "1.2.0", 0);
  assert_res (&g_array_index (s0->resources, AmsScResRef, 2), AMS_SC_RES_CONTAINER_RECIPE,
              "us-east-1", F_ACCT, "app", "1.0.0", 0);
  CU_ASSERT_EQUAL_FATAL (s0->principals->len, 3);
  CU_ASSERT_STRING_EQUAL (g_array_index (s0->principals, AmsScRef, 0).value, "222222222222");
  CU_ASSERT_STRING_EQUAL (g_array_index (s0->principals, AmsScRef, 2).value,
                          "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-a1b2-aaaaaaaa");
  CU_ASSERT_FALSE (s0->allow_external);
  CU_ASSERT_EQUAL_FATAL (s0->tags->len, 2);
  CU_ASSERT_STRING_EQUAL (tag (s0->tags, 0)->key, "team");
  CU_ASSERT_STRING_EQUAL (tag (s0->tags, 0)->value, "platform");
  CU_ASSERT_STRING_EQUAL (tag (s0->tags, 1)->key, "keep");
  CU_ASSERT_STRING_EQUAL (tag (s0->tags, 1)->value, "");
  CU_ASSERT_EQUAL_FATAL (s0->associate_new_images->len, 2);
  CU_ASSERT_STRING_EQUAL (g_array_index (s0->associate_new_images, AmsScRef, 0).value, "golden");
  CU_ASSERT_STRING_EQUAL (g_array_index (s0->associate_new_images, AmsScRef, 1).value, "base");
  CU_ASSERT_TRUE (s1->allow_external); /* RAM's default */
  CU_ASSERT_EQUAL (s1->tags->len, 0);
  CU_ASSERT_EQUAL (s1->associate_new_images->len, 0);

  /* resource_policies[] */
  CU_ASSERT_EQUAL_FATAL (sc->resource_policies->len, 4);
  const AmsScResourcePolicy *const *rp =
    (const AmsScResourcePolicy *const *) sc->resource_policies->pdata;
  assert_res (&rp[0]->arn, AMS_SC_RES_COMPONENT, "us-east-1", F_ACCT, "hardening-baseline",
              "1.2.0", 1);
  assert_res (&rp[1]->arn, AMS_SC_RES_IMAGE, "us-east-1", F_ACCT, "golden", "1.2.0", 4);
  assert_res (&rp[2]->arn, AMS_SC_RES_IMAGE_RECIPE, "us-east-1", F_ACCT, "golden", "1.0.0", 0);
  assert_res (&rp[3]->arn, AMS_SC_RES_CONTAINER_RECIPE, "us-east-1", F_ACCT, "app", "1.1.0", 0);
  for (guint i = 0; i < 4; i++)
    CU_ASSERT_PTR_NOT_NULL (rp[i]->policy);

  /* simulation */
  CU_ASSERT_EQUAL (sc->sim.components_per_account_region, 100);
  assert_dist (&sc->sim.ram_acceptance_delay, AMS_DIST_LOGNORMAL, 7200, 1800);
  CU_ASSERT_EQUAL (sc->sim.ram_invitation_expiry, SEC (3 * 86400));

  /* events */
  CU_ASSERT_EQUAL_FATAL (sc->events->len, 8);
  const AmsScEvent *const *ev = (const AmsScEvent *const *) sc->events->pdata;
  CU_ASSERT_EQUAL (ev[0]->kind, AMS_SC_EV_PUBLISH_COMPONENT);
  CU_ASSERT_STRING_EQUAL (ev[0]->component.value, "Hardening Baseline");
  CU_ASSERT_STRING_EQUAL (ev[0]->version, "1.3.0");
  CU_ASSERT_PTR_EQUAL (ev[0]->component_def, c1); /* the newest version there */
  CU_ASSERT_STRING_EQUAL (ev[0]->account.value, F_ACCT); /* filled in from the component */
  CU_ASSERT_STRING_EQUAL (ev[0]->region.value, "us-east-1");
  CU_ASSERT_EQUAL_FATAL (ev[0]->shares->len, 1);
  CU_ASSERT_STRING_EQUAL (g_array_index (ev[0]->shares, AmsScRef, 0).value, "golden-components");
  CU_ASSERT_EQUAL (ev[1]->kind, AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE);
  CU_ASSERT_PTR_EQUAL (ev[1]->share_def, s0);
  CU_ASSERT_EQUAL_FATAL (ev[1]->resources->len, 2);
  assert_res (&g_array_index (ev[1]->resources, AmsScResRef, 0), AMS_SC_RES_IMAGE, "us-east-1",
              F_ACCT, "golden", "1.2.0", 1);
  /* a version publish_component makes counts as existing */
  assert_res (&g_array_index (ev[1]->resources, AmsScResRef, 1), AMS_SC_RES_COMPONENT,
              "us-east-1", F_ACCT, "hardening-baseline", "1.3.0", 1);
  CU_ASSERT_EQUAL (ev[1]->principals->len, 1);
  CU_ASSERT_STRING_EQUAL (ev[1]->account.value, F_ACCT);
  CU_ASSERT_EQUAL (ev[2]->kind, AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE);
  CU_ASSERT_PTR_NULL (ev[2]->resources);
  CU_ASSERT_EQUAL (ev[2]->principals->len, 1);
  CU_ASSERT_PTR_NULL (ev[2]->account.value);
  CU_ASSERT_EQUAL (ev[3]->kind, AMS_SC_EV_ACCEPT_INVITATION);
  CU_ASSERT_STRING_EQUAL (ev[3]->account.value, "333333333333");
  CU_ASSERT_EQUAL (ev[4]->kind, AMS_SC_EV_REJECT_INVITATION);
  CU_ASSERT_PTR_EQUAL (ev[4]->share_def, s1);
  CU_ASSERT_EQUAL (ev[5]->kind, AMS_SC_EV_DELETE_RESOURCE);
  assert_res (&ev[5]->arn, AMS_SC_RES_COMPONENT, "eu-west-1", "222222222222", "agent", "2.0.0", 1);
  CU_ASSERT_PTR_EQUAL (ev[6]->component_def, c2);
  CU_ASSERT_STRING_EQUAL (ev[6]->version, "2.0.0");
  CU_ASSERT_PTR_NULL (ev[6]->shares);
  CU_ASSERT_EQUAL (ev[7]->kind, AMS_SC_EV_RESTORE_IMAGE);
  CU_ASSERT_STRING_EQUAL (ev[7]->version, "1.2.0/1");

  /* the defaults */
  g_autoptr (AmsScenario) m = must_load ("valid/minimal.yaml", NULL, 0);
  assert_dist (&m->sim.ram_acceptance_delay, AMS_DIST_EXPONENTIAL, 4 * 3600, 0);
  CU_ASSERT_EQUAL (m->sim.ram_invitation_expiry, SEC (7 * 86400));
  CU_ASSERT_EQUAL (m->sim.components_per_account_region, 0);
  CU_ASSERT_EQUAL (m->components->len, 0);
  CU_ASSERT_EQUAL (m->recipes->len, 0);
  CU_ASSERT_EQUAL (m->resource_shares->len, 0);
  CU_ASSERT_EQUAL (m->resource_policies->len, 0);
}

/* A multi-Region key's primary and replicas share their id, one per region;
 * any other id twice in an account, or a replica twice in a region, is
 * refused. */
static void
test_loader_multi_region_key (void)
{
#define KEYS_HEAD                                                                            \
  "amisim: 1\nhorizon: 1d\nregions: [{name: us-east-1}, {name: eu-west-1}]\n"            \
  "accounts:\n  - id: \"111111111111\"\n    kms_keys:\n"
  static const char replicas[] = KEYS_HEAD
    "      - {id: mrk-1234abcd12ab34cd56ef1234567890ab, region: eu-west-1}\n"
    "      - {id: mrk-1234abcd12ab34cd56ef1234567890ab, region: us-east-1}\n";
  g_autofree char *ok = errors_of (replicas, NULL, 0);
  CU_ASSERT_STRING_EQUAL (ok, "(loaded)");
  expect_errors (KEYS_HEAD
                 "      - {id: mrk-1234abcd12ab34cd56ef1234567890ab, region: eu-west-1}\n"
                 "      - {id: mrk-1234abcd12ab34cd56ef1234567890ab, region: eu-west-1}\n",
                 NULL, 0,
                 "t.yaml:8:9: error: accounts[0].kms_keys[1]: duplicate key id "
                 "'mrk-1234abcd12ab34cd56ef1234567890ab' in this account (first at 7:9); a "
                 "multi-Region key has one replica per region");
  expect_errors (KEYS_HEAD
                 "      - {id: 1234abcd-12ab-34cd-56ef-1234567890ab, region: eu-west-1}\n"
                 "      - {id: 1234abcd-12ab-34cd-56ef-1234567890ab, region: us-east-1}\n",
                 NULL, 0,
                 "t.yaml:8:9: error: accounts[0].kms_keys[1]: duplicate key id "
                 "'1234abcd-12ab-34cd-56ef-1234567890ab' in this account (first at 7:9)");
#undef KEYS_HEAD
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "loader_full", test_loader_full },
    { "loader_multi_region_key", test_loader_multi_region_key },
    { "loader_lifecycle", test_loader_lifecycle },
    { "loader_lifecycle_run", test_loader_lifecycle_run },
    { "loader_defaults", test_loader_defaults },
    { "loader_anchors", test_loader_anchors },
    { "loader_shared_targets", test_loader_shared_targets },
    { "loader_json", test_loader_json },
    { "loader_overrides", test_loader_overrides },
    { "loader_several_errors", test_loader_several_errors },
    { "loader_io_and_empty", test_loader_io_and_empty },
    { "loader_target_limit", test_loader_target_limit },
    { "loader_alias_bomb", test_loader_alias_bomb },
    { "loader_supply_chain", test_loader_supply_chain },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_loader", cases);
}
