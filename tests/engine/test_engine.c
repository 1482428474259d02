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
  /* at the limit (both slots busy) for those first 30 min; the third copy
   * waited all of them */
  CU_ASSERT_DOUBLE_EQUAL (p->at_limit_s, 1800.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (p->at_limit, 30.0 / 2880.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (p->wait_max_s, 1800.0, 1e-9);

  /* the clock starts at 2026-01-01T00:00Z: all three copies end on
   * 2026-01-02 (day 20455 since 1970), the last at 1d 01:10 */
  CU_ASSERT_EQUAL (r->start, (AmsTime) 20454 * AMS_DAYS (1));
  CU_ASSERT_EQUAL_FATAL (r->days->len, 1);
  const AmsDayReport *d = &g_array_index (r->days, AmsDayReport, 0);
  CU_ASSERT_EQUAL (d->day, 20455);
  CU_ASSERT_EQUAL (d->copies, 3);
  CU_ASSERT_EQUAL (d->last, AMS_DAYS (1) + AMS_MINUTES (70));
}

/* The same night starting at 23:00 UTC: the first two copies end at 23:40
 * on 2026-01-02, the third after midnight, at 00:10 on 2026-01-03. */
static void
test_engine_last_copy_of_each_day (void)
{
  AmsOverride ov[] = { { "start", "2026-01-01T23:00:00Z", "test" } };
  g_autoptr (AmsScenario) sc = load (three_into_two, ov, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  CU_ASSERT_EQUAL (r->copies_succeeded, 3);
  CU_ASSERT_EQUAL_FATAL (r->days->len, 2);
  const AmsDayReport *a = &g_array_index (r->days, AmsDayReport, 0);
  const AmsDayReport *b = &g_array_index (r->days, AmsDayReport, 1);
  CU_ASSERT_EQUAL (a->day, 20455);
  CU_ASSERT_EQUAL (a->copies, 2);
  CU_ASSERT_EQUAL (a->last, AMS_DAYS (1) + AMS_MINUTES (40));
  CU_ASSERT_EQUAL (b->day, 20456);
  CU_ASSERT_EQUAL (b->copies, 1);
  CU_ASSERT_EQUAL (b->last, AMS_DAYS (1) + AMS_MINUTES (70));
  CU_ASSERT_EQUAL (r->last_copy, b->last);
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
  /* three copies in three slots for 30 min: at the limit, yet nobody
   * waited; with four slots never at the limit */
  const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, 0);
  CU_ASSERT_DOUBLE_EQUAL (p->at_limit_s, 1800.0, 1e-9);
  CU_ASSERT_DOUBLE_EQUAL (p->wait_max_s, 0.0, 1e-12);
  AmsOverride four[] = { { "simulation.limits.copies_per_account_region", "4", "test" } };
  g_autoptr (AmsScenario) sc4 = load (three_into_two, four, 1);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc4);
  g_autoptr (AmsWorld) w4 = ams_world_new (sc4);
  g_autoptr (AmsEngine) e4 = ams_engine_new (sc4, w4, 1, 0);
  ams_engine_run (e4);
  const AmsPoolReport *p4 = &g_array_index (ams_engine_results (e4)->pools, AmsPoolReport, 0);
  CU_ASSERT_DOUBLE_EQUAL (p4->at_limit_s, 0.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (p4->wait_max_s, 0.0, 1e-12);
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
   * behind the 50-copy limit, and a failure with its cause. */
  g_autofree char *text = default_text ();
  g_autoptr (AmsScenario) sc = load (text, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, sc->seed, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  CU_ASSERT_EQUAL (r->images_started, 240);
  CU_ASSERT_EQUAL (r->images_available, 237);
  CU_ASSERT_EQUAL (r->copies_requested, 240 * 7 + 3);
  CU_ASSERT (r->copies_waited > 0);
  /* and its one failure cause: team-80's sandbox has no role */
  CU_ASSERT_EQUAL (r->images_failed, 3);
  CU_ASSERT_EQUAL (r->failures_total, 3);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_ROLE_MISSING], 3);
  guint full = 0;
  for (guint i = 0; i < r->pools->len; i++)
    if (g_array_index (r->pools, AmsPoolReport, i).busy_max == 50)
      full++;
  CU_ASSERT (full > 0);
}

/* Runs `text` with overrides; returns the results (the run's objects in *_out). */
static const AmsResults *
run_text (const char *text, const AmsOverride *ov, guint n, AmsScenario **sc_out,
          AmsWorld **w_out, AmsEngine **e_out)
{
  *sc_out = load (text, ov, n);
  if (*sc_out == NULL)
    return NULL;
  *w_out = ams_world_new (*sc_out);
  *e_out = ams_engine_new (*sc_out, *w_out, 1, 0);
  ams_engine_run (*e_out);
  return ams_engine_results (*e_out);
}

static const AmsResults *
run_with (const AmsOverride *ov, guint n, AmsScenario **sc_out, AmsWorld **w_out, AmsEngine **e_out)
{
  return run_text (three_into_two, ov, n, sc_out, w_out, e_out);
}

/* three_into_two with limits.overrides set to `overrides` (a flow list). */
static char *
with_overrides (const char *overrides)
{
  g_autofree char *limits = g_strdup_printf ("  limits: {copies_per_account_region: 2, overrides: %s}\n",
                                             overrides);
  GString *t = g_string_new (three_into_two);
  g_string_replace (t, "  limits: {copies_per_account_region: 2}\n", limits, 1);
  return g_string_free (t, FALSE);
}

static void
free_run (AmsScenario *sc, AmsWorld *w, AmsEngine *e)
{
  ams_engine_free (e);
  ams_world_free (w);
  ams_scenario_free (sc);
}

static double
mean_of (const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  return s.mean;
}

static void
test_engine_failures_match_explain (void)
{
  /* the run fails, at their simulated moment, exactly the outputs that
   * explain reports: one of each cause on the first night */
  g_autofree char *file = ams_source_path ("scenarios/broken-permissions.yaml");
  g_autoptr (GError) error = NULL;
  AmsOverride ov[] = { { "horizon", "1d2h", "test" } };
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (file, ov, 1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 7, 0);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  CU_ASSERT_EQUAL (r->failures_total, 15);
  const AmsCause each[] = {
    AMS_CAUSE_ROLE_MISSING, AMS_CAUSE_ROLE_TRUST_DENIES, AMS_CAUSE_ROLE_KMS_DENIED,
    AMS_CAUSE_KEY_POLICY_DENIES, AMS_CAUSE_KEY_MISSING_IN_REGION, AMS_CAUSE_KEY_DISABLED,
    AMS_CAUSE_KEY_PENDING_DELETION, AMS_CAUSE_PV_UNSUPPORTED, AMS_CAUSE_AWS_MANAGED_KEY_SHARE,
    AMS_CAUSE_PUBLIC_SHARE_BLOCKED, AMS_CAUSE_REGION_NOT_ENABLED, AMS_CAUSE_LAUNCH_TEMPLATE_DENIED,
    AMS_CAUSE_SCP_DENIES, AMS_CAUSE_ROLE_EC2_DENIED, AMS_CAUSE_ENCRYPTED_TO_UNENCRYPTED,
  };
  for (guint i = 0; i < G_N_ELEMENTS (each); i++)
    CU_ASSERT_EQUAL (r->failures_by_cause[each[i]], 1);
  CU_ASSERT_EQUAL (r->images_started, 4);
  CU_ASSERT_EQUAL (r->images_failed, 4);
  CU_ASSERT_EQUAL (r->copies_succeeded, 1); /* to 999999999999, the account that works */
  CU_ASSERT_EQUAL (r->failures->len, 15);
}

static void
test_engine_limit_overrides_and_caps (void)
{
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  /* an override for the destination lifts the limit of 2 */
  g_autofree char *lift = with_overrides ("[{account: \"222222222222\", copies_per_account_region: 3}]");
  const AmsResults *r = run_text (lift, NULL, 0, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->copies_waited, 0);
  CU_ASSERT_EQUAL (g_array_index (r->pools, AmsPoolReport, 0).limit, 3);
  free_run (sc, w, e);

  /* an override for another region changes nothing; the last match wins */
  g_autofree char *other = with_overrides ("[{region: eu-west-1, copies_per_account_region: 3}, "
                                           "{account: \"222222222222\", region: us-east-1, "
                                           "copies_per_account_region: 1}, {region: us-east-1, "
                                           "copies_per_account_region: 2}]");
  r = run_text (other, NULL, 0, &sc, &w, &e);
  CU_ASSERT_EQUAL (r->copies_waited, 1);
  free_run (sc, w, e);

  /* EBS's snapshot cap (1 snapshot per AMI copy) binds below the limit */
  AmsOverride snap[] = {
    { "simulation.limits.copies_per_account_region", "50", "test" },
    { "simulation.limits.snapshot_copies_per_region", "2", "test" },
  };
  r = run_with (snap, 2, &sc, &w, &e);
  CU_ASSERT_EQUAL (r->copies_waited, 1);
  CU_ASSERT_EQUAL (g_array_index (r->pools, AmsPoolReport, 0).limit, 2);
  free_run (sc, w, e);

  /* the legacy cap per source region is a second slot each copy needs:
   * one at a time, so waits of 0, 30 and 60 minutes */
  AmsOverride source[] = {
    { "simulation.limits.copies_per_account_region", "50", "test" },
    { "simulation.limits.copies_per_source_region", "1", "test" },
  };
  r = run_with (source, 2, &sc, &w, &e);
  CU_ASSERT_EQUAL (r->copies_succeeded, 3);
  CU_ASSERT_DOUBLE_EQUAL (mean_of (&r->wait_s), 1800.0, 1e-6);
  free_run (sc, w, e);
}

static void
count_retries (void *user, const AmsTraceEvent *ev)
{
  if (ev->kind == AMS_TRACE_COPY_RETRY)
    (*(guint *) user)++;
}

/* Copies refused before one fails, with simulation.retry.attempts = n. */
static guint
tries_with (const char *n, guint *failed)
{
  AmsOverride ov[] = {
    { "simulation.on_limit", "retry", "test" },
    { "simulation.retry.attempts", n, "test" },
    { "simulation.retry.base", "1s", "test" },
    { "simulation.retry.max", "1s", "test" },
  };
  g_autoptr (AmsScenario) sc = load (three_into_two, ov, G_N_ELEMENTS (ov));
  if (sc == NULL)
    return 0;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsEngine) e = ams_engine_new (sc, w, 1, 0);
  guint retries = 0;
  AmsTracer tracer = { .event = count_retries, .user = &retries };
  ams_engine_set_tracer (e, &tracer);
  ams_engine_run (e);
  *failed = ams_engine_results (e)->failures_by_cause[AMS_CAUSE_COPY_LIMIT_REJECTED];
  return retries + *failed; /* each retry was a refused try; so was the last */
}

static void
test_engine_retry_attempts (void)
{
  /* attempts counts tries: the third copy (two slots, 30 minutes each,
   * retried every second) is refused exactly that many times, then fails */
  guint failed = 0;
  CU_ASSERT_EQUAL (tries_with ("1", &failed), 1);
  CU_ASSERT_EQUAL (failed, 1);
  CU_ASSERT_EQUAL (tries_with ("3", &failed), 3);
  CU_ASSERT_EQUAL (failed, 1);
  CU_ASSERT_EQUAL (tries_with ("10", &failed), 10);
  CU_ASSERT_EQUAL (failed, 1);
}

static void
test_engine_retry_mode (void)
{
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  /* one attempt: the third copy is refused and fails */
  AmsOverride once[] = {
    { "simulation.on_limit", "retry", "test" },
    { "simulation.retry.attempts", "1", "test" },
    { "simulation.retry.base", "1m", "test" },
  };
  const AmsResults *r = run_with (once, 3, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->copies_succeeded, 2);
  CU_ASSERT_EQUAL (r->copies_failed, 1);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_COPY_LIMIT_REJECTED], 1);
  CU_ASSERT_EQUAL (r->images_failed, 1);
  free_run (sc, w, e);

  /* enough attempts: it gets a slot once one frees, after 30 minutes at
   * least, and never queues (queue length stays 0) */
  AmsOverride patient[] = {
    { "simulation.on_limit", "retry", "test" },
    { "simulation.retry.attempts", "100", "test" },
    { "simulation.retry.base", "1m", "test" },
    { "simulation.retry.max", "2m", "test" },
  };
  r = run_with (patient, 4, &sc, &w, &e);
  CU_ASSERT_EQUAL (r->copies_succeeded, 3);
  CU_ASSERT_EQUAL (r->copies_waited, 1);
  AmsStatSummary s;
  ams_stat_summary (&r->wait_s, &s);
  CU_ASSERT (s.max >= 1800.0 && s.max <= 1800.0 + 120.0);
  CU_ASSERT_EQUAL (g_array_index (r->pools, AmsPoolReport, 0).queue_max, 0);
  free_run (sc, w, e);
}

static void
test_engine_failures_and_auto_disable (void)
{
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  /* every copy fails transiently: slots are given back, images fail */
  AmsOverride transient[] = { { "simulation.transient_failure_probability", "1", "test" } };
  const AmsResults *r = run_with (transient, 1, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->copies_failed, 3);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_TRANSIENT], 3);
  CU_ASSERT_EQUAL (r->images_failed, 3);
  CU_ASSERT_EQUAL (g_array_index (r->pools, AmsPoolReport, 0).busy_max, 2);
  free_run (sc, w, e);

  /* builds always fail; team-a disables itself after 2 scheduled failures,
   * the others (no policy) go on every day for 5 days */
  AmsOverride builds[] = {
    { "horizon", "5d", "test" },
    { "pipelines[0].failure_probability", "1", "test" },
    { "pipelines[0].schedule.autoDisablePolicy.failureCount", "2", "test" },
    { "pipelines[1].test_failure_probability", "1", "test" },
  };
  r = run_with (builds, 4, &sc, &w, &e);
  CU_ASSERT_EQUAL (r->pipelines_disabled, 1);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_BUILD_FAILED], 2);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_TEST_FAILED], 4); /* days 1-4 finish; day 5 at the horizon */
  CU_ASSERT_EQUAL (r->images_started, 2 + 5 + 5);
  free_run (sc, w, e);
}

static void
test_engine_distribution_timeout (void)
{
  /* one slot, copies of 40 minutes, a 1-hour timeout: the first image is
   * available at 40 minutes; at 60 the second's copy (running since 40)
   * and the third's (queued) fail */
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  AmsOverride ov[] = {
    { "simulation.limits.copies_per_account_region", "1", "test" },
    { "simulation.copy.duration", "40m", "test" },
    { "simulation.distribution_timeout", "60m", "test" },
  };
  const AmsResults *r = run_with (ov, 3, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->images_available, 1);
  CU_ASSERT_EQUAL (r->images_failed, 2);
  CU_ASSERT_EQUAL (r->copies_succeeded, 1);
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_DISTRIBUTION_TIMEOUT], 2);
  CU_ASSERT_EQUAL (r->copies_in_flight, 0);
  const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, 0);
  /* busy 40 + 20 + 0 minutes, over 2 days */
  CU_ASSERT_DOUBLE_EQUAL (p->busy_mean, 60.0 / 2880.0, 1e-9);
  free_run (sc, w, e);
}

static void
test_engine_bandwidth_model (void)
{
  /* Three copies between the same pair of regions (cross-account, within
   * us-east-1) share 1000 MiB/s, each capped at 500 MiB/s, snapshots of
   * 1000 MiB. Night 1: full copies, 333.3 MiB/s each -> 3 s. Night 2: the
   * lineage is there, incremental 10 % -> 100 MiB at 333.3 -> 0.3 s. */
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  AmsOverride ov[] = {
    { "horizon", "2d12h", "test" },
    { "simulation.limits.copies_per_account_region", "3", "test" },
    { "simulation.copy.model", "bandwidth", "test" },
    { "simulation.copy.per_copy_throughput", "500MiB/s", "test" },
    { "simulation.copy.region_pair_throughput", "1000MiB/s", "test" },
    { "pipelines[0].recipe.snapshot_size", "1000MiB", "test" },
    { "pipelines[1].recipe.snapshot_size", "1000MiB", "test" },
    { "pipelines[2].recipe.snapshot_size", "1000MiB", "test" },
  };
  const AmsResults *r = run_with (ov, G_N_ELEMENTS (ov), &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  AmsStatSummary s;
  ams_stat_summary (&r->transfer_s, &s);
  CU_ASSERT_EQUAL (s.count, 6);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 3.0, 2e-6);
  CU_ASSERT_DOUBLE_EQUAL (s.min, 0.3, 2e-6);
  CU_ASSERT_DOUBLE_EQUAL (s.mean, (3 * 3.0 + 3 * 0.3) / 6, 2e-6);
  free_run (sc, w, e);

  /* two slots: two copies at 500 MiB/s (2 s), then the third alone, capped
   * at 500 (2 s more): raising the limit from 2 to 3 saves only 1 s */
  ov[0].value = "1d12h";
  ov[1].value = "2";
  r = run_with (ov, G_N_ELEMENTS (ov), &sc, &w, &e);
  ams_stat_summary (&r->transfer_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 2.0, 2e-6);
  ams_stat_summary (&r->total_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 4.0, 2e-6);
  free_run (sc, w, e);

  /* an encrypting copy (kmsKeyId) is full every night */
  ov[0].value = "2d12h";
  ov[1].value = "3";
  AmsOverride enc[G_N_ELEMENTS (ov) + 3];
  memcpy (enc, ov, sizeof ov);
  for (guint i = 0; i < 3; i++)
    {
      static const char *const paths[] = {
        "pipelines[0].distribution.distributions[0].amiDistributionConfiguration.kmsKeyId",
        "pipelines[1].distribution.distributions[0].amiDistributionConfiguration.kmsKeyId",
        "pipelines[2].distribution.distributions[0].amiDistributionConfiguration.kmsKeyId",
      };
      enc[G_N_ELEMENTS (ov) + i] = (AmsOverride) { paths[i], "alias/aws/ebs", "test" };
    }
  r = run_with (enc, G_N_ELEMENTS (enc), &sc, &w, &e);
  ams_stat_summary (&r->transfer_s, &s);
  CU_ASSERT_EQUAL (s.count, 6);
  CU_ASSERT_DOUBLE_EQUAL (s.min, 3.0, 2e-6);
  free_run (sc, w, e);
}

static void
record_start (void *user, const AmsImageRecord *r)
{
  g_array_append_val ((GArray *) user, r->start);
}

static void
test_engine_cron_schedule (void)
{
  /* 02:00 in Los Angeles is 10:00 UTC in January (PST); the scenario
   * starts 2026-01-05T00:00Z, so runs start at 10h, 34h and 58h. */
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  AmsOverride ov[] = {
    { "start", "2026-01-05T00:00:00Z", "test" },
    { "horizon", "3d", "test" },
    { "pipelines[0].schedule.scheduleExpression", "cron(0 2 * * ? *)", "test" },
    { "pipelines[0].schedule.timezone", "America/Los_Angeles", "test" },
    { "pipelines[1].schedule.scheduleExpression", "cron(0 2 ? * MON-FRI 2027)", "test" },
  };
  sc = load (three_into_two, ov, G_N_ELEMENTS (ov));
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  w = ams_world_new (sc);
  e = ams_engine_new (sc, w, 1, 0);
  g_autoptr (GArray) starts = g_array_new (FALSE, FALSE, sizeof (AmsTime));
  AmsRecorder rec = { .image = record_start, .user = starts };
  ams_engine_set_recorder (e, &rec);
  ams_engine_run (e);
  const AmsResults *r = ams_engine_results (e);
  /* team-a: 3 runs; team-b: none before 2027; team-c: rate(1 day) at 1d, 2d, 3d */
  CU_ASSERT_EQUAL (r->images_started, 3 + 0 + 3);
  gboolean at10 = FALSE, at34 = FALSE;
  for (guint i = 0; i < starts->len; i++)
    {
      AmsTime t = g_array_index (starts, AmsTime, i);
      at10 = at10 || t == AMS_HOURS (10);
      at34 = at34 || t == AMS_HOURS (34);
    }
  CU_ASSERT_TRUE (at10);
  CU_ASSERT_TRUE (at34);
  free_run (sc, w, e);
}

/* An encrypted nightly image to one account of the workloads OU, whose key
 * policy grants the OU and below; `events` is spliced in. Nights at 1d
 * and 2d finish; the 3d build is still running at the horizon. */
static const char events_yaml[] =
  "amisim: 1\n"
  "horizon: 3d\n"
  "regions: [{name: us-east-1}]\n"
  "organizations:\n"
  "  - {id: o-a1b2c3d4e5, management_account: \"111111111111\", root: r-a1b2, units: [\n"
  "     {id: ou-a1b2-aaaaaaaa, accounts: [\"222222222222\"]}, {id: ou-a1b2-bbbbbbbb}]}\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/ami\n"
  "        policy: {Statement: [\n"
  "          {Sid: Admin, Effect: Allow, Principal: {AWS: \"111111111111\"}, Action: \"kms:*\", Resource: \"*\"},\n"
  "          {Sid: Workloads, Effect: Allow, Principal: \"*\", Action: \"kms:*\", Resource: \"*\",\n"
  "           Condition: {\"ForAnyValue:StringLike\": {\"aws:PrincipalOrgPaths\": [\"o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/*\"]}}}]}\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: {Statement: [{Sid: Factory, Effect: Allow, Principal: {AWS: \"111111111111\"}, Action: \"sts:AssumeRole\"}]}\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "        inline_policies: [{Statement: [{Effect: Allow, Action: \"kms:*\", Resource: \"*\"}]}]\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: EXPRESSION_MATCH_ONLY}\n"
  "    recipe: {name: golden, version: 1.0.0, encrypted: true, kms_key: alias/ami}\n"
  "    build_time: 10m\n"
  "    test_time: 0s\n"
  "    distribution: {name: one, distributions: [{region: us-east-1,\n"
  "                   amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}}]}\n"
  "simulation:\n"
  "  copy: {duration: 30m}\n"
  "  schedule_delay: 0s\n"
  "events:\n";

#define KEY_ARN "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
#define ROLE "account: \"222222222222\", role: EC2ImageBuilderDistributionCrossAccountRole"

static void
test_engine_events (void)
{
  const struct
  {
    const char *events;
    guint available, failed;
    AmsCause cause;
    guint count;
  } cases[] = {
    { "  []\n", 2, 0, AMS_CAUSE_NONE, 0 },
    { "  - {at: 1d12h, action: disable_key, key: \"" KEY_ARN "\"}\n", 1, 1, AMS_CAUSE_KEY_DISABLED, 1 },
    { "  - {at: 1d12h, action: schedule_key_deletion, key: \"" KEY_ARN "\"}\n", 1, 1,
      AMS_CAUSE_KEY_PENDING_DELETION, 1 },
    { "  - {at: 1d12h, action: move_account, account: \"222222222222\", to: ou-a1b2-bbbbbbbb}\n",
      1, 1, AMS_CAUSE_KEY_POLICY_DENIES, 1 },
    { "  - {at: 1d12h, action: remove_statement, " ROLE ", sid: Factory}\n", 1, 1,
      AMS_CAUSE_ROLE_TRUST_DENIES, 1 },
    { "  - {at: 12h, action: delete_role, " ROLE "}\n", 0, 2, AMS_CAUSE_ROLE_MISSING, 2 },
    /* the grant is taken away on day 0 and given back (as written) on day 1 */
    { "  - {at: 12h, action: remove_statement, key: \"" KEY_ARN "\", sid: Workloads}\n"
      "  - {at: 1d12h, action: add_statement, key: \"" KEY_ARN "\", statement: {Sid: Back, Effect: Allow,\n"
      "     Principal: \"*\", Action: \"kms:*\", Resource: \"*\", Condition: {StringEquals: {\"aws:PrincipalOrgID\": o-a1b2c3d4e5}}}}\n",
      1, 1, AMS_CAUSE_KEY_POLICY_DENIES, 1 },
    /* night 1 fails on the disabled key; the key comes back and RetryImage
     * runs the failed copy again: both images end available */
    { "  - {at: 12h, action: disable_key, key: \"" KEY_ARN "\"}\n"
      "  - {at: 1d1h, action: enable_key, key: \"" KEY_ARN "\"}\n"
      "  - {at: 1d2h, action: retry_image, pipeline: golden}\n",
      2, 0, AMS_CAUSE_KEY_DISABLED, 1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (events_yaml, cases[i].events, NULL);
      AmsScenario *sc;
      AmsWorld *w;
      AmsEngine *e;
      const AmsResults *r = run_text (text, NULL, 0, &sc, &w, &e);
      CU_ASSERT_PTR_NOT_NULL_FATAL (r);
      if (r->images_available != cases[i].available || r->images_failed != cases[i].failed)
        printf ("\n    case %u: available %" G_GUINT64_FORMAT ", failed %" G_GUINT64_FORMAT "\n", i,
                (guint64) r->images_available, (guint64) r->images_failed);
      CU_ASSERT_EQUAL (r->images_available, cases[i].available);
      CU_ASSERT_EQUAL (r->images_failed, cases[i].failed);
      if (cases[i].cause != AMS_CAUSE_NONE)
        CU_ASSERT_EQUAL (r->failures_by_cause[cases[i].cause], cases[i].count);
      free_run (sc, w, e);
    }

  /* a limit raised before the night removes the queue */
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  g_autofree char *raised = g_strconcat (three_into_two,
    "events: [{at: 12h, action: set_limit, account: \"222222222222\", copies_per_account_region: 3}]\n",
    NULL);
  const AmsResults *r = run_text (raised, NULL, 0, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->copies_waited, 0);
  free_run (sc, w, e);

  /* team-a's distribution changes after night 1: its night-2 copy goes to
   * eu-west-1 instead (a new pool), the others still to us-east-1 */
  g_autofree char *moved = g_strconcat (three_into_two,
    "events:\n"
    "  - at: 1d12h\n"
    "    action: set_distribution\n"
    "    pipeline: team-a\n"
    "    distribution: {name: moved, distributions: [{region: us-east-1,\n"
    "      amiDistributionConfiguration: {}}, {region: eu-west-1,\n"
    "      amiDistributionConfiguration: {targetAccountIds: [\"222222222222\"]}}]}\n", NULL);
  AmsOverride longer[] = { { "horizon", "2d12h", "test" } };
  r = run_text (moved, longer, 1, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->images_available, 6);
  /* night 2: team-a makes an owner copy to eu-west-1 and the target copy */
  CU_ASSERT_EQUAL (r->copies_requested, 3 + 2 + 2);
  CU_ASSERT_EQUAL (r->pools->len, 3); /* 111/eu-west-1, 222/eu-west-1, 222/us-east-1 */
  free_run (sc, w, e);

  /* a dependency update lets the default start condition build again */
  g_autofree char *deps = g_strconcat (three_into_two,
    "events: [{at: 1d12h, action: dependency_update, pipeline: team-a}]\n", NULL);
  AmsOverride cond[] = {
    { "pipelines[0].schedule.pipelineExecutionStartCondition",
      "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE", "test" },
    { "horizon", "5d", "test" },
  };
  r = run_text (deps, cond, 2, &sc, &w, &e);
  CU_ASSERT_EQUAL (r->runs_skipped, 3); /* team-a builds on days 1 and 2, skips 3-5 */
  free_run (sc, w, e);
}

static void
test_engine_concurrent_builds (void)
{
  /* one build at a time: builds end at 10, 20 and 30 minutes past the day;
   * copies (30 min, 2 slots) then overlap less: only the third waits, for
   * 10 minutes (until the first ends at 40) */
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  AmsOverride ov[] = { { "simulation.limits.concurrent_builds", "1", "test" } };
  const AmsResults *r = run_with (ov, 1, &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->builds_waited, 4); /* two each night (the 2d night starts at the horizon) */
  AmsStatSummary s;
  ams_stat_summary (&r->build_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 1800.0, 1e-6); /* the third waited 20 min for its build slot */
  ams_stat_summary (&r->wait_s, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.max, 600.0, 1e-6);
  CU_ASSERT_EQUAL (r->copies_waited, 1);
  free_run (sc, w, e);
}

static void
test_engine_ami_quota (void)
{
  /* a quota of 4 AMIs per account and region: the destination takes the 3
   * copies of night 1 and one of night 2; the owner's build region (3 AMIs
   * a night) is full on night 2 after the first image */
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  AmsOverride ov[] = {
    { "simulation.limits.amis_per_account_region", "4", "test" },
    { "simulation.limits.copies_per_account_region", "3", "test" },
    { "horizon", "2d12h", "test" },
  };
  const AmsResults *r = run_with (ov, G_N_ELEMENTS (ov), &sc, &w, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  CU_ASSERT_EQUAL (r->images_started, 6);
  CU_ASSERT_EQUAL (r->images_available, 4); /* 3 on night 1, 1 on night 2 */
  CU_ASSERT_EQUAL (r->failures_by_cause[AMS_CAUSE_AMI_QUOTA_EXCEEDED], 2);
  free_run (sc, w, e);
}

static const AmsTestCase cases[] = {
  { "test_engine_ami_quota", test_engine_ami_quota },
  { "test_engine_concurrent_builds", test_engine_concurrent_builds },
  { "test_engine_events", test_engine_events },
  { "test_engine_cron_schedule", test_engine_cron_schedule },
  { "test_engine_bandwidth_model", test_engine_bandwidth_model },
  { "test_engine_failures_match_explain", test_engine_failures_match_explain },
  { "test_engine_limit_overrides_and_caps", test_engine_limit_overrides_and_caps },
  { "test_engine_retry_mode", test_engine_retry_mode },
  { "test_engine_retry_attempts", test_engine_retry_attempts },
  { "test_engine_failures_and_auto_disable", test_engine_failures_and_auto_disable },
  { "test_engine_distribution_timeout", test_engine_distribution_timeout },
  { "test_engine_hand_computed_queue", test_engine_hand_computed_queue },
  { "test_engine_last_copy_of_each_day", test_engine_last_copy_of_each_day },
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
