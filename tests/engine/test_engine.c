/* Engine tests: hand-computed queueing, horizon and drain, start
 * conditions, determinism and common random numbers. Scenarios are written
 * inline so that each test shows the whole situation it checks. */
#include <stdio.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/engine.h"
#include "amisim/report.h"

/* Three pipelines fire together at 1d; each builds for 10 min and makes one
 * copy into the same pool of 2 slots; copies take 30 min. */
static const char three_into_two[] =
  "amisim: 1\n"
  "horizon: 2d\n"
  "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: {Statement: [{Effect: Allow, Principal: {AWS: \"111111111111\"}, "
  "Action: \"sts:AssumeRole\"}]}\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "x-p: &p\n"
  "  account: \"111111111111\"\n"
  "  region: us-east-1\n"
  "  schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"
  "  recipe: {name: r, version: 1.0.0}\n"
  "  build_time: 10m\n"
  "  test_time: 0s\n"
  "  distribution:\n"
  "    name: fanout\n"
  "    distributions:\n"
  "      - region: us-east-1\n"
  "        amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}\n"
  "pipelines:\n"
  "  - {<<: *p, name: team-a}\n"
  "  - {<<: *p, name: team-b}\n"
  "  - {<<: *p, name: team-c}\n"
  "simulation:\n"
  "  limits: {copies_per_account_region: 2}\n"
  "  copy: {duration: 30m}\n"
  "  schedule_delay: 0s\n";

static AmsScenario *
load (const char *text, const AmsOverride *ov, guint n)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("inline.yaml", text, -1, ov, n, &error);
  if (sc == NULL)
    printf ("\n%s\n", error->message);
  return sc;
}

static void
summary (const AmsStat *st, AmsStatSummary *s)
{
  ams_stat_summary (st, s);
}

static void
test_engine_hand_computed_queue (void)
{
  g_autoptr (AmsScenario) sc = load (three_into_two, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);

  /* Fires at 1d and 2d; the 2d builds are still building at the horizon. */
  CU_ASSERT_EQUAL (r->images_started, 6);
  CU_ASSERT_EQUAL (r->images_available, 3);
  CU_ASSERT_EQUAL (r->images_in_flight, 3);
  CU_ASSERT_EQUAL (r->end, AMS_DAYS (2));
  CU_ASSERT_EQUAL (r->copies_requested, 3);
  CU_ASSERT_EQUAL (r->copies_succeeded, 3);
  CU_ASSERT_EQUAL (r->copies_waited, 1);

  AmsStatSummary s;
  summary (&r->wait_s, &s);
  CU_ASSERT_EQUAL (s.count, 3);
  CU_ASSERT_DOUBLE_EQUAL (s.mean, 600.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 1800.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (s.min, 0.0, 1e-9);
  summary (&r->transfer_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.mean, 1800.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (s.sd, 0.0, 1e-9);
  summary (&r->distribution_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.mean, (1800.0 + 1800.0 + 3600.0) / 3, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 3600.0, 1e-9);
  summary (&r->end_to_end_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 4200.0, 1e-9);
  summary (&r->build_s, &s);
  CU_ASSERT_EQUAL (s.count, 3);
  CU_ASSERT_DOUBLE_EQUAL (s.mean, 600.0, 1e-9);

  CU_ASSERT_EQUAL_FATAL (r->pools->len, 1);
  const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, 0);
  CU_ASSERT_STRING_EQUAL (p->account, "222222222222");
  CU_ASSERT_STRING_EQUAL (p->region, "us-east-1");
  CU_ASSERT_EQUAL (p->limit, 2);
  CU_ASSERT_EQUAL (p->copies, 3);
  CU_ASSERT_EQUAL (p->waited, 1);
  CU_ASSERT_EQUAL (p->queue_max, 1);
  CU_ASSERT_EQUAL (p->busy_max, 2);
  /* 2 slots for 30 min, then 1 for 30 min, over 2 days; 1 waiting for 30 min. */
  CU_ASSERT_DOUBLE_EQUAL (p->busy_mean, 90.0 / 2880.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (p->utilization, 90.0 / 2880.0 / 2.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (p->queue_mean, 30.0 / 2880.0, 1e-12);
}

static void
test_engine_drain_finishes_in_flight (void)
{
  AmsOverride ov[] = { { "simulation.drain", "true", "test" } };
  g_autoptr (AmsScenario) sc = load (three_into_two, ov, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  CU_ASSERT_EQUAL (r->images_started, 6); /* nothing starts after the horizon */
  CU_ASSERT_EQUAL (r->images_available, 6);
  CU_ASSERT_EQUAL (r->images_in_flight, 0);
  CU_ASSERT_EQUAL (r->copies_in_flight, 0);
  CU_ASSERT_EQUAL (r->end, AMS_DAYS (2) + AMS_MINUTES (10 + 60));
}

static void
test_engine_raising_the_limit_removes_the_wait (void)
{
  AmsOverride ov[] = { { "simulation.limits.copies_per_account_region", "3", "test" } };
  g_autoptr (AmsScenario) sc = load (three_into_two, ov, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  CU_ASSERT_EQUAL (r->copies_waited, 0);
  AmsStatSummary s;
  ams_stat_summary (&r->distribution_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 1800.0, 1e-9);
}

static void
test_engine_dependency_updates_condition_skips_runs (void)
{
  /* The AWS default start condition builds only when a dependency changed;
   * with none scheduled, the first match builds and later ones are skipped. */
  AmsOverride ov[] = {
    { "pipelines[0].schedule.pipelineExecutionStartCondition",
      "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE", "test" },
    { "horizon", "5d", "test" },
  };
  g_autoptr (AmsScenario) sc = load (three_into_two, ov, 2);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  /* pipeline team-a: 1 build (1d) + 4 skipped; team-b and team-c build every day (5 each) */
  CU_ASSERT_EQUAL (r->runs_skipped, 4);
  CU_ASSERT_EQUAL (r->images_started, 1 + 5 + 5);
}

static char *
summary_of (const char *text, const AmsOverride *ov, guint n, uint64_t seed)
{
  g_autoptr (AmsScenario) sc = load (text, ov, n);
  if (sc == NULL)
    return NULL;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, seed, 0);
  ams_engine_run (e);
  AmsRunInfo info = { .scenario = sc->name, .scenario_file = sc->file, .replications = 1 };
  GString *s = ams_report_summary_json (ams_engine_results (e), &info);
  return g_string_free (s, FALSE);
}

static char *
default_text (void)
{
  g_autofree char *file = ams_source_path ("scenarios/default.yaml");
  char *text = NULL;
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  return text;
}

static void
test_engine_same_seed_same_bytes (void)
{
  g_autofree char *text = default_text ();
  g_autofree char *a = summary_of (text, NULL, 0, 7);
  g_autofree char *b = summary_of (text, NULL, 0, 7);
  g_autofree char *c = summary_of (text, NULL, 0, 8);
  CU_ASSERT_PTR_NOT_NULL_FATAL (a);
  CU_ASSERT_STRING_EQUAL (a, b);
  CU_ASSERT_STRING_NOT_EQUAL (a, c);
}

/* Extracts the text of one top-level stats object, e.g. "transfer_s". */
static char *
section (const char *json, const char *key)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\": {", key);
  const char *p = strstr (json, needle);
  if (p == NULL)
    return NULL;
  const char *end = strchr (p, '}');
  return g_strndup (p, (gsize) (end - p));
}

static void
test_engine_common_random_numbers (void)
{
  /* Raising the copy limit changes the waits, but not a single build time,
   * and not a single copy duration: each pool draws from its own stream in
   * request order, whatever the limit. */
  g_autofree char *text = default_text ();
  AmsOverride ov[] = { { "simulation.limits.copies_per_account_region", "100", "test" } };
  g_autofree char *at50 = summary_of (text, NULL, 0, 42);
  g_autofree char *at100 = summary_of (text, ov, 1, 42);
  CU_ASSERT_PTR_NOT_NULL_FATAL (at50);
  CU_ASSERT_PTR_NOT_NULL_FATAL (at100);
  g_autofree char *b50 = section (at50, "build_s"), *b100 = section (at100, "build_s");
  g_autofree char *t50 = section (at50, "transfer_s"), *t100 = section (at100, "transfer_s");
  g_autofree char *w50 = section (at50, "wait_s"), *w100 = section (at100, "wait_s");
  CU_ASSERT_STRING_EQUAL (b50, b100);
  CU_ASSERT_STRING_EQUAL (t50, t100);
  CU_ASSERT_STRING_NOT_EQUAL (w50, w100);
}

static void
test_engine_default_scenario_queues (void)
{
  /* The teaching scenario must show what it promises: copies queueing
   * behind the 50-copy limit. */
  g_autofree char *text = default_text ();
  g_autoptr (AmsScenario) sc = load (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, sc->seed, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  CU_ASSERT_EQUAL (r->images_started, 240);
  CU_ASSERT_EQUAL (r->images_available, 240);
  CU_ASSERT_EQUAL (r->copies_requested, 240 * 7);
  CU_ASSERT (r->copies_waited > 0);
  guint full = 0;
  for (guint i = 0; i < r->pools->len; i++)
    if (g_array_index (r->pools, AmsPoolReport, i).busy_max == 50)
      full++;
  CU_ASSERT (full > 0);
}

static const AmsTestCase cases[] = {
  { "test_engine_hand_computed_queue", test_engine_hand_computed_queue },
  { "test_engine_drain_finishes_in_flight", test_engine_drain_finishes_in_flight },
  { "test_engine_raising_the_limit_removes_the_wait", test_engine_raising_the_limit_removes_the_wait },
  { "test_engine_dependency_updates_condition_skips_runs", test_engine_dependency_updates_condition_skips_runs },
  { "test_engine_same_seed_same_bytes", test_engine_same_seed_same_bytes },
  { "test_engine_common_random_numbers", test_engine_common_random_numbers },
  { "test_engine_default_scenario_queues", test_engine_default_scenario_queues },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("engine", cases);
}
