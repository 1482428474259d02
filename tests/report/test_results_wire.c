/* The results of a run as bytes and back (report/results_wire.h): what the
 * ranks of an MPI run send to rank 0. Results that went through the wire
 * give the same summary.json, table, pools.csv, failures.csv and
 * storage.csv bytes as the originals, for one replication and several;
 * bytes that are not results of this version and layout are refused. */
#include <stdio.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/report.h"
#include "cli/cli-private.h"
#include "report/results_wire.h"

#define N_REPS 3

/* What the reports of results r[0..n-1] write, every file one after the
 * other. */
static char *
reports (const AmsResults *const *r, guint n)
{
  AmsRunInfo info = { .scenario = "wire", .scenario_file = "wire.yaml", .replications = n };
  g_autoptr (GString) json = ams_report_summary_json_n (r, n, &info);
  g_autoptr (GString) table = ams_report_table_n (r, n, &info);
  char *csv = NULL;
  size_t len = 0;
  FILE *f = open_memstream (&csv, &len);
  g_assert_nonnull (f);
  ams_csv_pools_n (f, r, n);
  ams_csv_failures_n (f, r, n);
  ams_csv_storage_n (f, r, n);
  fclose (f);
  char *all = g_strconcat (json->str, table->str, csv, NULL);
  free (csv);
  return all;
}

/* Runs N_REPS replications of the scenario (with --set overrides), sends
 * each through the wire, and compares the reports. */
static void
check_scenario (const char *file, const AmsOverride *ov, guint n_ov)
{
  g_autofree char *path = file ? ams_source_path (file) : NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsScenario) sc = NULL;
  if (path != NULL)
    sc = ams_scenario_load_file (path, ov, n_ov, &error);
  else
    {
      gsize len;
      const char *text = ams_default_scenario (&len);
      sc = ams_scenario_load_data ("default", text, (gssize) len, ov, n_ov, &error);
    }
  CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
  AmsCliJob jobs[N_REPS];
  for (guint r = 0; r < N_REPS; r++)
    jobs[r] = (AmsCliJob) { .sc = sc, .seed = sc->seed, .replication = r };
  ams_cli_run_jobs (jobs, N_REPS, 2);

  AmsResults back[N_REPS];
  const AmsResults *orig[N_REPS], *wired[N_REPS];
  for (guint r = 0; r < N_REPS; r++)
    {
      g_autoptr (GBytes) b = ams_results_wire_save (&jobs[r].res);
      g_autoptr (GError) err = NULL;
      CU_ASSERT_TRUE (ams_results_wire_load (b, &back[r], &err));
      /* and again: what was rebuilt gives the same bytes */
      g_autoptr (GBytes) again = ams_results_wire_save (&back[r]);
      CU_ASSERT_EQUAL (g_bytes_get_size (again), g_bytes_get_size (b));
      orig[r] = &jobs[r].res;
      wired[r] = &back[r];
    }
  for (guint n = 1; n <= N_REPS; n += N_REPS - 1)
    {
      g_autofree char *want = reports (orig, n);
      g_autofree char *got = reports (wired, n);
      CU_ASSERT_STRING_EQUAL (got, want);
      CU_ASSERT_TRUE (strlen (want) > 1000);
    }
  for (guint r = 0; r < N_REPS; r++)
    ams_results_clear (&back[r]);
  ams_cli_jobs_clear (jobs, N_REPS);
}

static void
test_wire_default (void)
{
  AmsOverride ov[] = { { "horizon", "3d", "--horizon" } };
  check_scenario (NULL, ov, G_N_ELEMENTS (ov));
}

static void
test_wire_capacity (void)
{
  AmsOverride ov[] = { { "horizon", "6h", "--horizon" } };
  check_scenario ("scenarios/capacity.yaml", ov, G_N_ELEMENTS (ov));
}

static void
test_wire_lifecycle_compare (void)
{
  AmsOverride ov[] = { { "simulation.lifecycle.compare", "true", "--set" } };
  check_scenario ("scenarios/lifecycle-retention.yaml", ov, G_N_ELEMENTS (ov));
}

static void
test_wire_supply_and_failures (void)
{
  check_scenario ("scenarios/supply-chain.yaml", NULL, 0);
  check_scenario ("scenarios/broken-permissions.yaml", NULL, 0);
}

/* Bytes that are not results: refused with a message, `out` left empty. */
static void
test_wire_refuses (void)
{
  AmsResults r;
  ams_results_init (&r);
  r.copies_requested = 7;
  g_autoptr (GBytes) b = ams_results_wire_save (&r);
  gsize len;
  const guint8 *data = g_bytes_get_data (b, &len);

  AmsResults out;
  g_autoptr (GError) e1 = NULL;
  g_autoptr (GBytes) cut = g_bytes_new (data, len / 2);
  CU_ASSERT_FALSE (ams_results_wire_load (cut, &out, &e1));
  CU_ASSERT_TRUE (e1 != NULL && g_error_matches (e1, AMS_RESULTS_WIRE_ERROR, 0));
  CU_ASSERT_EQUAL (out.copies_requested, 0);
  ams_results_clear (&out);

  /* another version (the first 4 bytes) */
  g_autofree guint8 *other = g_memdup2 (data, len);
  other[0] ^= 0x40;
  g_autoptr (GBytes) ob = g_bytes_new (other, len);
  g_autoptr (GError) e2 = NULL;
  CU_ASSERT_FALSE (ams_results_wire_load (ob, &out, &e2));
  CU_ASSERT_TRUE (e2 != NULL && strstr (e2->message, "version") != NULL);
  ams_results_clear (&out);

  g_autoptr (GError) e3 = NULL;
  CU_ASSERT_TRUE (ams_results_wire_load (b, &out, &e3));
  CU_ASSERT_EQUAL (out.copies_requested, 7);
  CU_ASSERT_EQUAL (out.last_copy, AMS_TIME_NEVER);
  ams_results_clear (&out);
  ams_results_clear (&r);
}

static const AmsTestCase cases[] = {
  { "wire_default", test_wire_default },
  { "wire_capacity", test_wire_capacity },
  { "wire_lifecycle_compare", test_wire_lifecycle_compare },
  { "wire_supply_and_failures", test_wire_supply_and_failures },
  { "wire_refuses", test_wire_refuses },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("results_wire", cases);
}
