/* Replications and sweeps: the 95 % intervals cover the analytic M/M/c
 * value about 95 % of the time, results do not depend on --threads, common
 * random numbers make differences between points less noisy than
 * independent streams would, and `amisim sweep` checks its points and
 * writes sweep.csv. Nothing here is timed. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "ams_proc.h"
#include "amisim/engine.h"
#include "amisim/report.h"
#include "cli/cli-private.h"

/* ---- running the binary ------------------------------------------------ */


static char *
read_text (const char *path)
{
  char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

/* The text without its "wall_s" lines: the one machine-dependent figure. */
static char *
without_wall (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  GString *out = g_string_new (NULL);
  for (char **l = lines; *l != NULL; l++)
    if (strstr (*l, "\"wall_s\": ") == NULL)
      g_string_append_printf (out, "%s\n", *l);
  return g_string_free (out, FALSE);
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  if (d == NULL)
    return;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_remove (path);
    }
  g_rmdir (dir);
}

/* ---- reading summary.json --------------------------------------------- */

/* The member at a dotted path of a JSON document ("copies.wait_s"). */
static const AmsValue *
member (const AmsValue *v, const char *path)
{
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  for (char **p = parts; *p != NULL && v != NULL; p++)
    v = ams_value_get (v, *p);
  return v;
}

static double
number (const AmsValue *v)
{
  if (v == NULL || v->kind != AMS_VALUE_NUMBER)
    return NAN;
  return g_ascii_strtod (v->text, NULL);
}

/* ---- M/M/c ------------------------------------------------------------- */

/* Erlang C: probability that an arrival waits in M/M/c with offered load a. */
static double
erlang_c (unsigned c, double a)
{
  double term = 1.0, sum = 0.0;
  for (unsigned k = 0; k < c; k++)
    {
      sum += term;
      term *= a / (k + 1);
    }
  double last = term * c / (c - a);
  return last / (sum + last);
}

/* Runs `n` replications of `sc` (seed `seed`) and returns their summary.json
 * as --replications writes it. */
static GString *
replicate (const AmsScenario *sc, uint64_t seed, guint n, guint threads)
{
  g_autofree AmsCliJob *jobs = g_new0 (AmsCliJob, n);
  for (guint r = 0; r < n; r++)
    jobs[r] = (AmsCliJob) { .sc = sc, .seed = seed, .replication = r };
  ams_cli_run_jobs (jobs, n, threads);
  g_autofree const AmsResults **res = g_new (const AmsResults *, n);
  for (guint r = 0; r < n; r++)
    res[r] = &jobs[r].res;
  AmsRunInfo info = { .scenario = sc->name, .scenario_file = sc->file, .replications = n };
  GString *json = ams_report_summary_json_n (res, n, &info);
  ams_cli_jobs_clear (jobs, n);
  return json;
}

static void
test_sweep_intervals_cover_erlang_c (void)
{
  /* SETS independent sets of REPS replications each (set s: master seed
   * 1000 + s), each set's interval of the mean wait as --replications
   * reports it. If the intervals are right, each covers the true mean wait
   * with probability 0.95 and the number that do is Binomial(SETS, 0.95):
   * mean 57, sd 1.7. The test asks for at least 51 of 60 (0.85): by chance
   * alone that fails with probability 0.0005 (P[X <= 50]). It is not
   * tighter because the mean wait of a replication in heavy traffic is
   * skewed, and a t interval of 5 such means covers a little less than its
   * nominal 95 % (0.943 measured over 400 sets at this length, 0.917 at
   * half of it; 0.865 without the warm-up: the empty start biases waits
   * down). The seeds are fixed, so the outcome does not change from run to
   * run; the bound says that the intervals are not grossly wrong.
   *
   * Each replication: 6 simulated hours of M/M/50 at rho 0.9 (~16,000
   * copies), the first 30 minutes deleted as warm-up. */
  enum { SETS = 60, REPS = 5 };
  g_autofree char *file = ams_source_path ("scenarios/mmc.yaml");
  AmsOverride ov[] = { { "horizon", "6h", "test" }, { "simulation.warmup", "30m", "test" } };
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = ams_scenario_load_file (file, ov, G_N_ELEMENTS (ov), &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);

  double wq = erlang_c (50, 45.0) / (50.0 - 45.0) * 60.0; /* seconds */
  guint covered = 0, sets = 0;
  for (guint s = 0; s < SETS; s++)
    {
      g_autoptr (GString) json = replicate (sc, 1000 + s, REPS, 2);
      g_autoptr (AmsValueDoc) doc = ams_value_load_data ("summary.json", json->str,
                                                         (gssize) json->len, &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
      const AmsValue *root = ams_value_doc_root (doc);
      CU_ASSERT_EQUAL (number (member (root, "replications")), REPS);
      const AmsValue *ci = member (root, "copies.wait_s.mean_ci95");
      CU_ASSERT_FATAL (ci != NULL && ci->kind == AMS_VALUE_ARRAY && ci->n == 2);
      double lo = number (ci->items[0]), hi = number (ci->items[1]);
      double mean = number (member (root, "copies.wait_s.mean"));
      CU_ASSERT (lo < mean && mean < hi);
      sets++;
      if (lo <= wq && wq <= hi)
        covered++;
    }
  printf ("\n    %u of %u intervals of the mean wait cover Erlang C's %.4f s\n", covered, sets, wq);
  CU_ASSERT (covered >= (guint) ceil (0.85 * SETS));
}

static void
test_sweep_crn_smaller_variance_of_differences (void)
{
  /* Two copy limits on the M/M/c scenario (50 and 52 slots), compared
   * replication by replication. With common random numbers (the same seed
   * at both points, as amisim sweep does) the arrivals and copy times are
   * the same at both, and the differences vary much less than with
   * independent streams (a different seed for the second point): measured
   * over other seeds, 1.6 to 6 times less for the mean wait, 6 to 30 times
   * for the fraction of copies that waited. */
  enum { REPS = 20 };
  g_autofree char *file = ams_source_path ("scenarios/mmc.yaml");
  const char *limits[] = { "50", "52" };
  AmsScenario *sc[2];
  for (guint p = 0; p < 2; p++)
    {
      AmsOverride ov[] = { { "horizon", "2h", "test" }, { "simulation.warmup", "20m", "test" },
                           { "simulation.limits.copies_per_account_region", limits[p], "test" } };
      g_autoptr (GError) error = NULL;
      sc[p] = ams_scenario_load_file (file, ov, G_N_ELEMENTS (ov), &error);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc[p]);
    }
  const AmsMeasure measures[] = { AMS_MEASURE_WAIT, AMS_MEASURE_P_WAIT };
  AmsReplStat crn[2], ind[2];
  for (guint m = 0; m < 2; m++)
    {
      ams_repl_init (&crn[m]);
      ams_repl_init (&ind[m]);
    }
  for (uint64_t r = 0; r < REPS; r++)
    {
      /* point 0 with seed 7; point 1 with seed 7 (CRN) and seed 77 */
      const struct { guint point; uint64_t seed; } runs[] = { { 0, 7 }, { 1, 7 }, { 1, 77 } };
      double v[3][2];
      for (guint k = 0; k < G_N_ELEMENTS (runs); k++)
        {
          const AmsScenario *s = sc[runs[k].point];
          g_autoptr (AmsWorld) w = ams_world_new (s);
          g_autoptr (AmsEngine) e = ams_engine_new (s, w, runs[k].seed, r);
          ams_engine_run (e);
          for (guint m = 0; m < 2; m++)
            v[k][m] = ams_measure_value (measures[m], ams_engine_results (e));
        }
      for (guint m = 0; m < 2; m++)
        {
          ams_repl_add (&crn[m], v[1][m] - v[0][m]);
          ams_repl_add (&ind[m], v[2][m] - v[0][m]);
        }
    }
  for (guint m = 0; m < 2; m++)
    {
      double v_crn = pow (ams_repl_sd (&crn[m]), 2), v_ind = pow (ams_repl_sd (&ind[m]), 2);
      printf ("\n    %s: variance of the difference, common random numbers %.4g, "
              "independent %.4g (%.1f times less)", ams_measure_name (measures[m]), v_crn, v_ind,
              v_ind / v_crn);
      CU_ASSERT (v_crn < v_ind);
      /* and the effect itself is seen: more slots, less waiting */
      CU_ASSERT (ams_repl_mean (&crn[m]) < 0);
    }
  printf ("\n");
  for (guint p = 0; p < 2; p++)
    ams_scenario_free (sc[p]);
}

static void
test_sweep_threads_give_identical_outputs (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-threads-XXXXXX", NULL);
  g_autofree char *d1 = g_build_filename (tmp, "t1", NULL);
  g_autofree char *d2 = g_build_filename (tmp, "t3", NULL);
  /* lifecycle, launches, storage and the comparison run without lifecycle */
  g_auto (Run) a = { 0 }, b = { 0 };
  amisim (&a, "run", "scenarios/lifecycle-stages.yaml", "--replications", "4", "--threads", "1",
          "--set", "simulation.lifecycle.compare=true", "--out", d1, "--quiet", NULL);
  amisim (&b, "run", "scenarios/lifecycle-stages.yaml", "--replications", "4", "--threads", "3",
          "--set", "simulation.lifecycle.compare=true", "--out", d2, "--quiet", NULL);
  CU_ASSERT_EQUAL (a.status, 0);
  CU_ASSERT_EQUAL (b.status, 0);
  const char *files[] = { "summary.json", "pools.csv", "failures.csv", "storage.csv",
                          "images.csv", "copies.csv", "timeseries.csv", "lifecycle.csv",
                          "timeseries-without-lifecycle.csv", "plotdata.gp" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p1 = g_build_filename (d1, files[i], NULL);
      g_autofree char *p2 = g_build_filename (d2, files[i], NULL);
      g_autofree char *t1 = read_text (p1);
      g_autofree char *t2 = read_text (p2);
      CU_ASSERT_PTR_NOT_NULL_FATAL (t1);
      CU_ASSERT_PTR_NOT_NULL_FATAL (t2);
      g_autofree char *c1 = without_wall (t1);
      g_autofree char *c2 = without_wall (t2);
      if (strcmp (c1, c2) != 0)
        printf ("\n    %s differs between --threads 1 and 3\n", files[i]);
      CU_ASSERT_STRING_EQUAL (c1, c2);
    }
  g_autofree char *summary_path = g_build_filename (d1, "summary.json", NULL);
  g_autofree char *summary = read_text (summary_path);
  CU_ASSERT_PTR_NOT_NULL (strstr (summary, "\"replications\": 4,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (summary, "\"mean_ci95\": ["));
  CU_ASSERT_PTR_NOT_NULL (strstr (summary, "\"started_ci95\": ["));
  CU_ASSERT_PTR_NOT_NULL (strstr (summary, "\"saved\": {"));

  /* and a sweep */
  g_auto (Run) s1 = { 0 }, s2 = { 0 };
  amisim (&s1, "sweep", "scenarios/default.yaml", "--set",
          "simulation.limits.copies_per_account_region=10,50", "--replications", "3", "--horizon",
          "2d", "--threads", "1", "--json", NULL);
  amisim (&s2, "sweep", "scenarios/default.yaml", "--set",
          "simulation.limits.copies_per_account_region=10,50", "--replications", "3", "--horizon",
          "2d", "--threads", "2", "--json", NULL);
  CU_ASSERT_EQUAL (s1.status, 0);
  CU_ASSERT_EQUAL (s2.status, 0);
  g_autofree char *j1 = without_wall (s1.out);
  g_autofree char *j2 = without_wall (s2.out);
  CU_ASSERT_STRING_EQUAL (j1, j2);
  remove_tree (tmp);
}

static void
test_sweep_cli_bad_value (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-sweep-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_auto (Run) p = { 0 };
  amisim (&p, "sweep", "scenarios/mmc.yaml", "--set",
          "simulation.limits.copies_per_account_region=25,abc", "--out", out, NULL);
  CU_ASSERT_EQUAL (p.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (p.err, "--set:1:1: error: simulation.limits."
                                           "copies_per_account_region: expected a whole number"));
  CU_ASSERT_PTR_NOT_NULL (strstr (p.err, "amisim sweep: point 2 of 2 "
                                         "(simulation.limits.copies_per_account_region=abc) "
                                         "is not a valid scenario"));
  CU_ASSERT_STRING_EQUAL (p.out, "");
  CU_ASSERT_FALSE (g_file_test (out, G_FILE_TEST_EXISTS)); /* nothing ran, nothing written */

  const struct
  {
    const char *set;
    const char *first;
  } misuse[] = {
    { "simulation.limits.copies_per_account_region=25,,50",
      "amisim sweep: --set simulation.limits.copies_per_account_region=25,,50: an empty value in "
      "the list (values are separated by commas)" },
    { "seed=1,2", NULL }, /* fine: an axis of seeds */
  };
  for (guint i = 0; i < G_N_ELEMENTS (misuse); i++)
    {
      g_auto (Run) q = { 0 };
      amisim (&q, "sweep", "scenarios/mmc.yaml", "--set", misuse[i].set, "--horizon", "10m",
              "--quiet", NULL);
      CU_ASSERT_EQUAL (q.status, misuse[i].first ? 2 : 0);
      if (misuse[i].first != NULL)
        CU_ASSERT_TRUE (g_str_has_prefix (q.err, misuse[i].first));
    }
  g_auto (Run) twice = { 0 };
  amisim (&twice, "sweep", "scenarios/mmc.yaml", "--set", "seed=1,2", "--set", "seed=3,4",
          "--quiet", NULL);
  CU_ASSERT_EQUAL (twice.status, 2);
  g_auto (Run) none = { 0 };
  amisim (&none, "sweep", "--set", "seed=1,2", NULL);
  CU_ASSERT_EQUAL (none.status, 2);
  CU_ASSERT_TRUE (g_str_has_prefix (none.err, "amisim sweep: expected a scenario file\n"));
  remove_tree (tmp);
}

static void
test_sweep_cli_csv (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-sweep-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_auto (Run) p = { 0 };
  amisim (&p, "sweep", "scenarios/mmc.yaml", "--set",
          "simulation.limits.copies_per_account_region=46,48,50", "--set",
          "simulation.on_limit=queue,retry", "--set", "simulation.warmup=10m", "--horizon", "1h",
          "--replications", "3", "--threads", "2", "--out", out, NULL);
  CU_ASSERT_EQUAL (p.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (p.out, "differences from the first point"));
  CU_ASSERT_PTR_NOT_NULL (strstr (p.out, "significant"));
  g_autofree char *csv_path = g_build_filename (out, "sweep.csv", NULL);
  g_autofree char *csv = read_text (csv_path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv);
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);
  CU_ASSERT_STRING_EQUAL (lines[0],
    "simulation.limits.copies_per_account_region,simulation.on_limit,replications,"
    "end_to_end_s,end_to_end_s_ci_low,end_to_end_s_ci_high,"
    "distribution_s,distribution_s_ci_low,distribution_s_ci_high,"
    "wait_s,wait_s_ci_low,wait_s_ci_high,"
    "transfer_s,transfer_s_ci_low,transfer_s_ci_high,"
    "p_wait,p_wait_ci_low,p_wait_ci_high,"
    "copies_failed,copies_failed_ci_low,copies_failed_ci_high,"
    "images_failed,images_failed_ci_low,images_failed_ci_high,"
    "last_copy_s,last_copy_s_ci_low,last_copy_s_ci_high,"
    "gib_months,gib_months_ci_low,gib_months_ci_high,"
    "launches_failed,launches_failed_ci_low,launches_failed_ci_high,"
    "ripple_delay_s,ripple_delay_s_ci_low,ripple_delay_s_ci_high,last_copy_at");
  CU_ASSERT_EQUAL (g_strv_length (lines), 1 + 6 + 1); /* header, 6 points, "" after the last \n */
  /* the first axis varies slowest */
  CU_ASSERT_TRUE (g_str_has_prefix (lines[1], "46,queue,3,"));
  CU_ASSERT_TRUE (g_str_has_prefix (lines[2], "46,retry,3,"));
  CU_ASSERT_TRUE (g_str_has_prefix (lines[6], "50,retry,3,"));
  g_auto (GStrv) cells = g_strsplit (lines[1], ",", -1);
  CU_ASSERT_EQUAL_FATAL (g_strv_length (cells), 3 + 3 * AMS_MEASURE_COUNT + 1);
  for (guint i = 3; i < 3 + 3 * 5; i++) /* times and p_wait: a mean and an interval each */
    CU_ASSERT (cells[i][0] != '\0');
  /* last_copy_at: the mean last_copy_s on the scenario's clock */
  const char *at = cells[3 + 3 * AMS_MEASURE_COUNT];
  CU_ASSERT_TRUE (strlen (at) == 24 && at[10] == 'T' && at[23] == 'Z');

  g_autofree char *json_path = g_build_filename (out, "summary.json", NULL);
  g_autofree char *json = read_text (json_path);
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("summary.json", json, -1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  const AmsValue *points = member (ams_value_doc_root (doc), "points");
  CU_ASSERT_FATAL (points != NULL && points->kind == AMS_VALUE_ARRAY && points->n == 6);
  CU_ASSERT_EQUAL (number (member (points->items[0], "summary.replications")), 3);
  CU_ASSERT_EQUAL (number (member (points->items[0], "summary.warmup_s")), 600);
  CU_ASSERT_PTR_NULL (member (points->items[0], "vs_first"));
  CU_ASSERT_PTR_NOT_NULL (member (points->items[5], "vs_first.wait_s.significant"));

  /* one replication: the intervals' cells are empty, no significance */
  g_autofree char *out1 = g_build_filename (tmp, "one", NULL);
  g_auto (Run) q = { 0 };
  amisim (&q, "sweep", "scenarios/mmc.yaml", "--set",
          "simulation.limits.copies_per_account_region=48,50", "--horizon", "30m", "--out", out1,
          NULL);
  CU_ASSERT_EQUAL (q.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (q.out, "n/a (1 replication)"));
  g_autofree char *csv1_path = g_build_filename (out1, "sweep.csv", NULL);
  g_autofree char *csv1 = read_text (csv1_path);
  CU_ASSERT_PTR_NOT_NULL_FATAL (csv1);
  g_auto (GStrv) rows = g_strsplit (csv1, "\n", -1);
  CU_ASSERT_EQUAL (g_strv_length (rows), 1 + 2 + 1);
  CU_ASSERT_TRUE (g_str_has_prefix (rows[1], "48,1,"));
  g_auto (GStrv) one = g_strsplit (rows[1], ",", -1);
  CU_ASSERT (one[2][0] != '\0' && one[3][0] == '\0' && one[4][0] == '\0');
  remove_tree (tmp);
}

static const AmsTestCase cases[] = {
  { "test_sweep_intervals_cover_erlang_c", test_sweep_intervals_cover_erlang_c },
  { "test_sweep_crn_smaller_variance_of_differences",
    test_sweep_crn_smaller_variance_of_differences },
  { "test_sweep_threads_give_identical_outputs", test_sweep_threads_give_identical_outputs },
  { "test_sweep_cli_bad_value", test_sweep_cli_bad_value },
  { "test_sweep_cli_csv", test_sweep_cli_csv },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("sweep", cases);
}
