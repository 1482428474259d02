/* Warm-up deletion (simulation.warmup): the run is the same with or
 * without it, and the statistics count only from the warm-up on. Each
 * figure is checked against an independent account of the same run (the
 * records it streams: images, copies, pool samples): counts of what ended
 * after the warm-up, durations observed after it, time averages of busy
 * slots, queues and storage over [warm-up, end]. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/engine.h"

#define GIB_MONTH_S (730.0 * 3600.0)

typedef struct
{
  AmsTime t;
  guint busy;
  guint queued;
  guint limit;
  double gib;
} Sample;

typedef struct
{
  GArray *images;  /* of AmsImageRecord (strings not kept) */
  GArray *copies;  /* of AmsCopyRecord (strings not kept) */
  GHashTable *pools; /* "account/region" (owned) -> GArray of Sample */
} Rec;

static void
on_image (void *user, const AmsImageRecord *r)
{
  Rec *rec = user;
  AmsImageRecord k = *r;
  k.pipeline = k.recipe = k.version = NULL;
  g_array_append_val (rec->images, k);
}

static void
on_copy (void *user, const AmsCopyRecord *r)
{
  Rec *rec = user;
  AmsCopyRecord k = *r;
  k.pipeline = k.version = k.source_region = k.region = k.account = k.message = NULL;
  g_array_append_val (rec->copies, k);
}

static void
on_pool (void *user, const AmsPoolSample *s)
{
  Rec *rec = user;
  g_autofree char *key = g_strdup_printf ("%s/%s", s->account, s->region);
  GArray *list = g_hash_table_lookup (rec->pools, key);
  if (list == NULL)
    {
      list = g_array_new (FALSE, FALSE, sizeof (Sample));
      g_hash_table_insert (rec->pools, g_steal_pointer (&key), list);
    }
  Sample x = { s->t, s->busy, s->queued, s->limit, s->snapshot_gib };
  g_array_append_val (list, x);
}

static void
rec_init (Rec *rec)
{
  rec->images = g_array_new (FALSE, FALSE, sizeof (AmsImageRecord));
  rec->copies = g_array_new (FALSE, FALSE, sizeof (AmsCopyRecord));
  rec->pools = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                      (GDestroyNotify) g_array_unref);
}

static void
rec_clear (Rec *rec)
{
  g_array_unref (rec->images);
  g_array_unref (rec->copies);
  g_hash_table_unref (rec->pools);
}

typedef struct
{
  AmsScenario *sc;
  AmsWorld *w;
  AmsEngine *e;
  Rec rec;
} Run;

static const AmsResults *
run (Run *x, const char *file, const char *text, const AmsOverride *ov, guint n)
{
  g_autoptr (GError) error = NULL;
  x->sc = file != NULL ? ams_scenario_load_file (file, ov, n, &error)
                       : ams_scenario_load_data ("test.yaml", text, -1, ov, n, &error);
  if (x->sc == NULL)
    {
      printf ("\n    %s\n", error->message);
      return NULL;
    }
  rec_init (&x->rec);
  x->w = ams_world_new (x->sc);
  x->e = ams_engine_new (x->sc, x->w, x->sc->seed, 0);
  AmsRecorder r = { on_image, on_copy, on_pool, NULL, &x->rec };
  ams_engine_set_recorder (x->e, &r);
  ams_engine_run (x->e);
  return ams_engine_results (x->e);
}

static void
run_free (Run *x)
{
  if (x->sc == NULL)
    return;
  ams_engine_free (x->e);
  ams_world_free (x->w);
  ams_scenario_free (x->sc);
  rec_clear (&x->rec);
}

/* The integral of a pool's samples' `what` (0 busy, 1 queued, 2 GiB) over
 * [from, to]: piecewise constant, each sample holding until the next. */
static double
integral (const GArray *samples, AmsTime from, AmsTime to, int what)
{
  double area = 0.0, v = 0.0;
  AmsTime at = from;
  for (guint i = 0; i < samples->len; i++)
    {
      const Sample *s = &g_array_index (samples, Sample, i);
      if (s->t > at)
        {
          AmsTime until = MIN (s->t, to);
          if (until > at)
            area += v * ams_time_to_s (until - at);
          at = MAX (at, until);
        }
      v = what == 0 ? s->busy : what == 1 ? s->queued : s->gib;
    }
  if (to > at)
    area += v * ams_time_to_s (to - at);
  return area;
}

static double
stat_mean (const AmsStat *st, uint64_t *count)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  *count = s.count;
  return s.mean;
}

#define ASSERT_CLOSE(a, b)                                                              \
  do                                                                                    \
    {                                                                                   \
      double a_ = (a), b_ = (b);                                                        \
      if (!(fabs (a_ - b_) <= 1e-9 * MAX (1.0, fabs (b_))))                             \
        printf ("\n    %s = %.12g, expected %.12g\n", #a, a_, b_);                      \
      CU_ASSERT (fabs (a_ - b_) <= 1e-9 * MAX (1.0, fabs (b_)));                        \
    }                                                                                   \
  while (0)

static void
test_warmup_default_and_bounds (void)
{
  g_autofree char *file = ams_source_path ("scenarios/mmc.yaml");
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (file, NULL, 0, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  CU_ASSERT_EQUAL (sc->sim.warmup, 0);

  AmsOverride ok[] = { { "simulation.warmup", "23h59m", "--set" } };
  g_autoptr (AmsScenario) sc2 = ams_scenario_load_file (file, ok, 1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc2);
  CU_ASSERT_EQUAL (sc2->sim.warmup, AMS_MINUTES (23 * 60 + 59));

  /* --horizon shorter than the warm-up written in the file */
  AmsOverride bad[] = { { "simulation.warmup", "2h", "--set" }, { "horizon", "2h", "--horizon" } };
  AmsScenario *none = ams_scenario_load_file (file, bad, 2, &error);
  CU_ASSERT_PTR_NULL (none);
  CU_ASSERT_PTR_NOT_NULL_FATAL (error);
  CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "error: simulation.warmup: the warm-up (2h) "
                                                  "must be shorter than the horizon (2h)"));
}

static void
test_warmup_counts_from_the_warmup (void)
{
  g_autofree char *file = ams_source_path ("scenarios/default.yaml");
  AmsOverride all_ov[] = { { "horizon", "3d", "test" } };
  AmsOverride warm_ov[] = { { "horizon", "3d", "test" }, { "simulation.warmup", "1d6h", "test" } };
  Run all = { 0 }, warm = { 0 };
  const AmsResults *a = run (&all, file, NULL, all_ov, 1);
  const AmsResults *r = run (&warm, file, NULL, warm_ov, 2);
  CU_ASSERT_PTR_NOT_NULL_FATAL (a);
  CU_ASSERT_PTR_NOT_NULL_FATAL (r);
  AmsTime W = AMS_HOURS (30), end = r->end;
  CU_ASSERT_EQUAL (r->warmup, W);

  /* the same run: the warm-up is one more event and changes nothing else */
  CU_ASSERT_EQUAL (r->events, a->events + 1);
  CU_ASSERT_EQUAL (r->end, a->end);
  CU_ASSERT_EQUAL (warm.rec.images->len, all.rec.images->len);
  CU_ASSERT_EQUAL (warm.rec.copies->len, all.rec.copies->len);
  CU_ASSERT_EQUAL (r->images_in_flight, a->images_in_flight);
  CU_ASSERT_EQUAL (r->copies_in_flight, a->copies_in_flight);
  CU_ASSERT_EQUAL (r->last_copy, a->last_copy);
  ASSERT_CLOSE (r->storage_gib, a->storage_gib);

  /* images: ended after the warm-up, started after it */
  uint64_t available = 0, failed = 0, started_before = 0;
  double e2e = 0.0;
  for (guint i = 0; i < warm.rec.images->len; i++)
    {
      const AmsImageRecord *im = &g_array_index (warm.rec.images, AmsImageRecord, i);
      if (im->start < W)
        started_before++;
      if (im->end < W)
        continue;
      if (im->outcome == AMS_IMAGE_AVAILABLE)
        {
          available++;
          e2e += ams_time_to_s (im->end - im->start);
        }
      else
        failed++;
    }
  CU_ASSERT (available > 0 && started_before > 0);
  CU_ASSERT_EQUAL (r->images_available, available);
  CU_ASSERT_EQUAL (r->images_failed, failed);
  /* (every image started before the warm-up has ended by the end) */
  CU_ASSERT_EQUAL (r->images_started, a->images_started - started_before);
  uint64_t n;
  ASSERT_CLOSE (stat_mean (&r->end_to_end_s, &n), e2e / (double) available);
  CU_ASSERT_EQUAL (n, available);

  /* copies: ended after the warm-up (their waits observed then), asked
   * for after it */
  uint64_t ok = 0, bad = 0, asked_before = 0;
  double wait = 0.0;
  for (guint i = 0; i < warm.rec.copies->len; i++)
    {
      const AmsCopyRecord *c = &g_array_index (warm.rec.copies, AmsCopyRecord, i);
      if (c->requested < W)
        asked_before++;
      if (c->ended < W)
        continue;
      if (c->ok)
        {
          ok++;
          wait += ams_time_to_s (c->started - c->requested);
        }
      else
        bad++;
    }
  CU_ASSERT (ok > 0 && bad > 0 && asked_before > 0);
  CU_ASSERT_EQUAL (r->copies_succeeded, ok);
  CU_ASSERT_EQUAL (r->copies_failed, bad);
  CU_ASSERT_EQUAL (r->copies_requested, a->copies_requested - asked_before);
  ASSERT_CLOSE (stat_mean (&r->wait_s, &n), wait / (double) ok);
  CU_ASSERT_EQUAL (n, ok);
  CU_ASSERT (r->failures_total > 0 && r->failures_total < a->failures_total);
  uint64_t listed = 0;
  for (guint i = 0; i < r->failures->len; i++)
    listed += g_array_index (r->failures, AmsFailureCount, i).count;
  CU_ASSERT_EQUAL (listed, r->failures_total);

  /* pools: time averages over [warm-up, end] */
  CU_ASSERT (r->pools->len > 0);
  for (guint i = 0; i < r->pools->len; i++)
    {
      const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, i);
      g_autofree char *key = g_strdup_printf ("%s/%s", p->account, p->region);
      const GArray *samples = g_hash_table_lookup (warm.rec.pools, key);
      CU_ASSERT_PTR_NOT_NULL_FATAL (samples);
      double span = ams_time_to_s (end - W);
      ASSERT_CLOSE (p->busy_mean, integral (samples, W, end, 0) / span);
      ASSERT_CLOSE (p->queue_mean, integral (samples, W, end, 1) / span);
    }

  /* storage: GiB-months over [warm-up, end] */
  double gib_s = 0.0;
  GHashTableIter it;
  gpointer value;
  g_hash_table_iter_init (&it, warm.rec.pools);
  while (g_hash_table_iter_next (&it, NULL, &value))
    gib_s += integral (value, W, end, 2);
  CU_ASSERT (r->storage_gib_months > 0 && r->storage_gib_months < a->storage_gib_months);
  CU_ASSERT (fabs (r->storage_gib_months - gib_s / GIB_MONTH_S) <= 1e-6 * r->storage_gib_months);

  run_free (&all);
  run_free (&warm);
}

/* RetryImage of an image that failed before the warm-up: it is in flight
 * again, its failure is not counted (and not taken off a count that never
 * had it). */
static const char retry_yaml[] =
  "amisim: 1\n"
  "horizon: 3d\n"
  "regions: [{name: us-east-1}]\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - {id: 1234abcd-12ab-34cd-56ef-1234567890ab, region: us-east-1, alias: alias/ami,\n"
  "         policy: {Statement: [{Effect: Allow, Principal: \"*\", Action: \"kms:*\", Resource: \"*\"}]}}\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: {Statement: [{Effect: Allow, Principal: {AWS: \"111111111111\"}, Action: \"sts:AssumeRole\"}]}\n"
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
  "events:\n"
  "  - {at: 12h, action: disable_key, key: \"arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}\n"
  "  - {at: 1d1h, action: enable_key, key: \"arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\"}\n"
  "  - {at: 1d2h, action: retry_image, pipeline: golden}\n";

static void
test_warmup_retry_of_an_image_failed_before (void)
{
  Run all = { 0 };
  const AmsResults *a = run (&all, NULL, retry_yaml, NULL, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (a);
  CU_ASSERT_EQUAL (a->images_failed, 0); /* the retry made it available */
  /* the warm-up after the failure and before the retry (1d1h30m), and
   * after the retry, before the retried copy ends (1d2h15m) */
  const char *warmups[] = { "1d1h30m", "1d2h15m" };
  for (guint i = 0; i < G_N_ELEMENTS (warmups); i++)
    {
      AmsOverride ov[] = { { "simulation.warmup", warmups[i], "test" } };
      Run warm = { 0 };
      const AmsResults *r = run (&warm, NULL, retry_yaml, ov, 1);
      CU_ASSERT_PTR_NOT_NULL_FATAL (r);
      uint64_t available = 0;
      for (guint k = 0; k < warm.rec.images->len; k++)
        {
          const AmsImageRecord *im = &g_array_index (warm.rec.images, AmsImageRecord, k);
          if (im->end >= r->warmup && im->outcome == AMS_IMAGE_AVAILABLE)
            available++;
        }
      CU_ASSERT_EQUAL (r->images_failed, 0);
      CU_ASSERT_EQUAL (r->images_available, available);
      CU_ASSERT (available >= 2); /* the retried image and the next night's */
      CU_ASSERT_EQUAL (r->images_in_flight, a->images_in_flight);
      run_free (&warm);
    }
  run_free (&all);
}

static const AmsTestCase cases[] = {
  { "test_warmup_default_and_bounds", test_warmup_default_and_bounds },
  { "test_warmup_counts_from_the_warmup", test_warmup_counts_from_the_warmup },
  { "test_warmup_retry_of_an_image_failed_before", test_warmup_retry_of_an_image_failed_before },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("warmup", cases);
}
