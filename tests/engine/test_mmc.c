/* The M/M/c check through a real scenario file (scenarios/mmc.yaml):
 * Poisson arrivals at 45/min of single copies into one pool of 50 slots,
 * exponential copy time with mean 1 min. Erlang C gives the mean wait in
 * queue and the probability of waiting; the simulated values over
 * independent replications must contain them in their Student-t 95 %
 * confidence intervals. The loader, world, engine and statistics are all
 * on the path, as in a user's run. */
#include <math.h>
#include <stdio.h>

#include "ams_test.h"
#include "amisim/engine.h"
#include "amisim/stats.h"

/* Erlang C: probability that an arrival waits in M/M/c with offered load a = lambda/mu. */
static double
erlang_c (unsigned c, double a)
{
  /* sum_{k<c} a^k/k! and a^c/c! * c/(c-a), in a numerically safe way */
  double term = 1.0, sum = 0.0;
  for (unsigned k = 0; k < c; k++)
    {
      sum += term;
      term *= a / (k + 1);
    }
  double last = term * c / (c - a); /* a^c/c! * c/(c-a) */
  return last / (sum + last);
}

static void
test_mmc_erlang_c_reference_values (void)
{
  /* The values quoted in the issue and in scenarios/mmc.yaml. */
  double pw = erlang_c (50, 45.0);
  double wq_min = pw / (50 * 1.0 - 45.0); /* mean wait = C / (c mu - lambda) */
  CU_ASSERT_DOUBLE_EQUAL (pw, 0.364, 0.0005);
  CU_ASSERT_DOUBLE_EQUAL (wq_min, 0.0728, 0.00005);
}

static void
test_mmc_inside_confidence_intervals (void)
{
  g_autofree char *file = ams_source_path ("scenarios/mmc.yaml");
  /* 12 replications of 2 simulated days (~130,000 copies each); the queue
   * forgets its empty start within minutes, so the start-up bias is far
   * below the width of the intervals. */
  AmsOverride ov[] = { { "horizon", "2d", "test" } };
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (file, ov, 1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  g_autoptr (AmsWorld) w = ams_world_new (sc);

  AmsReplStat wait, pwait, util;
  ams_repl_init (&wait);
  ams_repl_init (&pwait);
  ams_repl_init (&util);
  for (uint64_t rep = 0; rep < 12; rep++)
    {
      g_autoptr (AmsEngine) e = ams_engine_new (sc, w, sc->seed, rep);
      ams_engine_run (e);
      const AmsResults *r = ams_engine_results (e);
      AmsStatSummary s;
      ams_stat_summary (&r->wait_s, &s);
      CU_ASSERT (s.count > 120000);
      ams_repl_add (&wait, s.mean / 60.0);
      ams_repl_add (&pwait, (double) r->copies_waited / (double) r->copies_requested);
      CU_ASSERT_EQUAL_FATAL (r->pools->len, 1);
      ams_repl_add (&util, g_array_index (r->pools, AmsPoolReport, 0).utilization);
    }

  double pw = erlang_c (50, 45.0);
  double wq = pw / 5.0;
  double lo, hi;
  ams_repl_ci95 (&wait, &lo, &hi);
  printf ("\n    mean wait %.5f min, 95%% CI [%.5f, %.5f], Erlang C %.5f\n", ams_repl_mean (&wait), lo, hi, wq);
  CU_ASSERT (lo <= wq && wq <= hi);

  ams_repl_ci95 (&pwait, &lo, &hi);
  printf ("    P(wait) %.5f, 95%% CI [%.5f, %.5f], Erlang C %.5f\n", ams_repl_mean (&pwait), lo, hi, pw);
  CU_ASSERT (lo <= pw && pw <= hi);

  ams_repl_ci95 (&util, &lo, &hi);
  printf ("    utilization %.5f, 95%% CI [%.5f, %.5f], theory 0.9\n", ams_repl_mean (&util), lo, hi);
  CU_ASSERT (lo <= 0.9 && 0.9 <= hi);
}

static const AmsTestCase cases[] = {
  { "test_mmc_erlang_c_reference_values", test_mmc_erlang_c_reference_values },
  { "test_mmc_inside_confidence_intervals", test_mmc_inside_confidence_intervals },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("mmc", cases);
}
