/* Report tests: JSON writer shape and escaping, human durations, the
 * whole-or-nothing output folder, the streamed CSVs (timeseries.csv,
 * lifecycle.csv), storage.csv, and the lifecycle, launches and storage parts
 * of summary.json and of the stdout table. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/report.h"
#include "report/json.h"

static void
test_report_json_shape_and_escaping (void)
{
  g_autoptr (GString) s = g_string_new (NULL);
  AmsJson j;
  ams_json_init (&j, s);
  ams_json_begin_object (&j, NULL);
  ams_json_string (&j, "a", "q\"uote\\ \n\x01");
  ams_json_uint (&j, "n", 18446744073709551615ull);
  ams_json_double (&j, "x", 0.1);
  ams_json_double (&j, "nan", NAN);
  ams_json_begin_array (&j, "empty");
  ams_json_end_array (&j);
  ams_json_begin_array (&j, "list");
  ams_json_int (&j, NULL, -3);
  ams_json_bool (&j, NULL, TRUE);
  ams_json_string (&j, NULL, NULL);
  ams_json_end_array (&j);
  ams_json_end_object (&j);
  CU_ASSERT_STRING_EQUAL (s->str,
                          "{\n"
                          "  \"a\": \"q\\\"uote\\\\ \\n\\u0001\",\n"
                          "  \"n\": 18446744073709551615,\n"
                          "  \"x\": 0.1,\n"
                          "  \"nan\": null,\n"
                          "  \"empty\": [],\n"
                          "  \"list\": [\n"
                          "    -3,\n"
                          "    true,\n"
                          "    null\n"
                          "  ]\n"
                          "}\n");
}

static void
test_report_format_seconds (void)
{
  const struct { double s; const char *want; } cases[] = {
    { 0, "0.0s" }, { 12.34, "12.3s" }, { 59.94, "59.9s" }, { 60, "1m00s" }, { 245, "4m05s" },
    { 3599.4, "59m59s" }, { 3600, "1h00m" }, { 11520, "3h12m" }, { 86400, "1d00h" },
    { 183600, "2d03h" }, { -90, "-1m30s" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *got = ams_report_format_seconds (cases[i].s);
      CU_ASSERT_STRING_EQUAL (got, cases[i].want);
    }
}

static void
test_report_write_dir_whole (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-report-XXXXXX", NULL);
  g_autofree char *dir = g_build_filename (tmp, "a", "b", NULL);
  g_autoptr (GString) one = g_string_new ("1\n"), two = g_string_new ("2\n");
  AmsOutputFile files[] = { { "one.txt", one }, { "two.txt", two } };
  g_autoptr (GError) error = NULL;
  CU_ASSERT_TRUE (ams_report_write_dir (dir, files, 2, &error));
  g_autofree char *p1 = g_build_filename (dir, "one.txt", NULL);
  g_autofree char *p2 = g_build_filename (dir, "two.txt", NULL);
  g_autofree char *c1 = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (p1, &c1, NULL, NULL));
  CU_ASSERT_STRING_EQUAL (c1, "1\n");
  CU_ASSERT_TRUE (g_file_test (p2, G_FILE_TEST_IS_REGULAR));

  /* A folder with nothing but the two files: no temporaries left. */
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  guint n = 0;
  while (g_dir_read_name (d))
    n++;
  CU_ASSERT_EQUAL (n, 2);
  g_unlink (p1);
  g_unlink (p2);
  g_rmdir (dir);
  g_autofree char *mid = g_build_filename (tmp, "a", NULL);
  g_rmdir (mid);
  g_rmdir (tmp);
}

static void
test_report_write_dir_refuses_a_file (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-report-XXXXXX", NULL);
  g_autofree char *file = g_build_filename (tmp, "plain", NULL);
  CU_ASSERT_TRUE (g_file_set_contents (file, "x", 1, NULL));
  g_autoptr (GString) one = g_string_new ("1\n");
  AmsOutputFile files[] = { { "one.txt", one } };
  g_autoptr (GError) error = NULL;
  CU_ASSERT_FALSE (ams_report_write_dir (file, files, 1, &error));
  CU_ASSERT_PTR_NOT_NULL (error);
  if (error)
    CU_ASSERT_PTR_NOT_NULL (strstr (error->message, "not a folder"));
  g_unlink (file);
  g_rmdir (tmp);
}

/* ---- CSV ------------------------------------------------------------- */

/* What was written to a memory stream so far (the stream stays open). */
typedef struct
{
  char *buf;
  size_t len;
  FILE *f;
} MemFile;

static void
mem_open (MemFile *m)
{
  m->buf = NULL;
  m->len = 0;
  m->f = open_memstream (&m->buf, &m->len);
  g_assert_nonnull (m->f);
}

/* Closes the stream; the text stays in m->buf (free with free). */
static const char *
mem_close (MemFile *m)
{
  fclose (m->f);
  m->f = NULL;
  return m->buf;
}

static void
test_report_csv_lifecycle_rows (void)
{
  MemFile lc;
  mem_open (&lc);
  AmsCsvRecorder *c = ams_csv_recorder_new (NULL, NULL, NULL, lc.f, 10);
  ams_csv_recorder_set_start (c, INT64_C (1767225600) * AMS_TICKS_PER_SECOND); /* 2026-01-01 */
  AmsRecorder rec = { 0 };
  ams_csv_recorder_bind (c, &rec);
  CU_ASSERT_PTR_NULL (rec.image);
  CU_ASSERT_PTR_NULL (rec.copy);
  CU_ASSERT_PTR_NULL (rec.pool);
  CU_ASSERT_PTR_NOT_NULL_FATAL (rec.lifecycle);
  CU_ASSERT_PTR_EQUAL (rec.user, c);

  const AmsLifecycleRecord rows[] = {
    { .t = 86400 * AMS_TICKS_PER_SECOND + 3 * 3600 * AMS_TICKS_PER_SECOND + 2500000,
      .policy = "keep-five", .pipeline = "web", .version = "1.0.0/3",
      .resource = AMS_LC_RESOURCE_AMI, .resource_id = "ami-0123456789abcdef0",
      .account = "111111111111", .region = "eu-west-1", .action = "DEPRECATE",
      .status = AMS_LC_SUCCESS, .reason = "" },
    { .t = 2 * AMS_TICKS_PER_SECOND, .policy = "keep-five", .pipeline = "web",
      .version = "1.0.0/3", .resource = AMS_LC_RESOURCE_SNAPSHOT,
      .resource_id = "snap-0123", .account = "222222222222", .region = "us-east-1",
      .action = "DELETE", .status = AMS_LC_SKIPPED,
      .reason = "excluded: tag keep=yes, and \"pinned\"" },
    { .t = 0, .policy = "p", .pipeline = "web", .version = "1.0.0/4",
      .resource = AMS_LC_RESOURCE_IMAGE, .resource_id = "1.0.0/4", .account = "111111111111",
      .region = "eu-west-1", .action = "DELETE", .status = AMS_LC_FAILED,
      .reason = "deregistration_protected", .cause = AMS_CAUSE_DEREGISTRATION_PROTECTED },
    { .t = 3, .policy = "p", .pipeline = "", .version = "", .resource = AMS_LC_RESOURCE_POLICY,
      .resource_id = "role", .account = "000000000042", .region = "eu-west-1", .action = "",
      .status = AMS_LC_FAILED, .reason = "no role, see \"x\"",
      .cause = AMS_CAUSE_ROLE_MISSING },
    { .t = 1, .policy = "ecr", .pipeline = "svc", .version = "2.1.0/1",
      .resource = AMS_LC_RESOURCE_CONTAINER, .resource_id = "sha256:ab", .account = "1",
      .region = "r", .action = "DELETE", .status = AMS_LC_SUCCESS, .reason = NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    rec.lifecycle (rec.user, &rows[i]);
  CU_ASSERT_FALSE (ams_csv_recorder_truncated (c));
  ams_csv_recorder_free (c);
  const char *text = mem_close (&lc);
  CU_ASSERT_STRING_EQUAL (text,
    "t_s,t_at,policy,pipeline,version,resource,resource_id,account,region,action,status,cause,"
    "message\n"
    "97202.500000,2026-01-02T03:00:02.500Z,keep-five,web,1.0.0/3,ami,ami-0123456789abcdef0,"
    "\"111111111111\",eu-west-1,DEPRECATE,SUCCESS,,\n"
    "2.000000,2026-01-01T00:00:02.000Z,keep-five,web,1.0.0/3,snapshot,snap-0123,"
    "\"222222222222\",us-east-1,DELETE,SKIPPED,,"
    "\"excluded: tag keep=yes, and \"\"pinned\"\"\"\n"
    "0.000000,2026-01-01T00:00:00.000Z,p,web,1.0.0/4,image,1.0.0/4,\"111111111111\",eu-west-1,"
    "DELETE,FAILED,deregistration_protected,\n"
    "0.000003,2026-01-01T00:00:00.000Z,p,,,policy,role,\"000000000042\",eu-west-1,,FAILED,"
    "role_missing,\"no role, see \"\"x\"\"\"\n"
    "0.000001,2026-01-01T00:00:00.000Z,ecr,svc,2.1.0/1,container,sha256:ab,\"1\",r,DELETE,"
    "SUCCESS,,\n");
  /* every row has the header's 13 fields once quoted fields are read whole */
  gchar **lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      guint fields = 1;
      gboolean quoted = FALSE;
      for (const char *q = lines[i]; *q; q++)
        if (*q == '"')
          quoted = !quoted;
        else if (*q == ',' && !quoted)
          fields++;
      CU_ASSERT_EQUAL (fields, 13);
    }
  g_strfreev (lines);
  free (lc.buf);
}

static void
test_report_csv_lifecycle_header_only_and_absent (void)
{
  /* asked for and nothing happened: the header alone */
  MemFile lc;
  mem_open (&lc);
  AmsCsvRecorder *c = ams_csv_recorder_new (NULL, NULL, NULL, lc.f, 10);
  ams_csv_recorder_free (c);
  CU_ASSERT_STRING_EQUAL (mem_close (&lc),
    "t_s,t_at,policy,pipeline,version,resource,resource_id,account,region,action,status,cause,"
    "message\n");
  free (lc.buf);

  /* not asked for: no callback, so the engine pays nothing */
  MemFile ts;
  mem_open (&ts);
  c = ams_csv_recorder_new (NULL, NULL, ts.f, NULL, 10);
  AmsRecorder rec;
  memset (&rec, 0xff, sizeof rec);
  ams_csv_recorder_bind (c, &rec);
  CU_ASSERT_PTR_NULL (rec.lifecycle);
  CU_ASSERT_PTR_NOT_NULL (rec.pool);
  ams_csv_recorder_free (c);
  mem_close (&ts);
  free (ts.buf);
}

static void
test_report_csv_timeseries_columns (void)
{
  MemFile ts;
  mem_open (&ts);
  AmsCsvRecorder *c = ams_csv_recorder_new (NULL, NULL, ts.f, NULL, 3);
  AmsRecorder rec = { 0 };
  ams_csv_recorder_bind (c, &rec);
  CU_ASSERT_PTR_NOT_NULL_FATAL (rec.pool);
  const AmsPoolSample samples[] = {
    { .t = 0, .account = "111111111111", .region = "us-east-1", .busy = 0, .queued = 0,
      .limit = 5, .amis = 0, .snapshot_gib = 0.0 },
    { .t = 90 * AMS_TICKS_PER_SECOND + 1, .account = "111111111111", .region = "us-east-1",
      .busy = 5, .queued = 12, .limit = 5, .amis = 49999, .snapshot_gib = 12345.6786 },
    { .t = 91 * AMS_TICKS_PER_SECOND, .account = "222222222222", .region = "eu-west-1",
      .busy = 1, .queued = 0, .limit = 5, .amis = 3, .snapshot_gib = -1e-9 },
    { .t = 92 * AMS_TICKS_PER_SECOND, .account = "222222222222", .region = "eu-west-1",
      .busy = 0, .queued = 0, .limit = 5, .amis = 3, .snapshot_gib = 8.0 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    rec.pool (rec.user, &samples[i]);
  CU_ASSERT_TRUE (ams_csv_recorder_truncated (c));
  ams_csv_recorder_free (c);
  CU_ASSERT_STRING_EQUAL (mem_close (&ts),
                          "t_s,t_at,account,region,busy,queued,limit,amis,snapshot_gib\n"
                          "0.000000,1970-01-01T00:00:00.000Z,\"111111111111\",us-east-1,0,0,5,"
                          "0,0.000\n"
                          "90.000001,1970-01-01T00:01:30.000Z,\"111111111111\",us-east-1,5,12,"
                          "5,49999,12345.679\n"
                          "91.000000,1970-01-01T00:01:31.000Z,\"222222222222\",eu-west-1,1,0,"
                          "5,3,0.000\n");
  free (ts.buf);
}

/* A hand-filled result with lifecycle, launches and storage figures. */
static void
filled_results (AmsResults *r)
{
  ams_results_init (r);
  r->seed = 42;
  r->lc_runs = 30;
  r->lc_runs_failed = 2;
  r->lc_runs_busy = 1;
  r->lc_deprecated = 11;
  r->lc_disabled = 7;
  r->lc_deleted = 5;
  r->lc_skipped = 4;
  r->lc_failed = 3;
  r->lc_amis_deprecated = 77;
  r->lc_amis_disabled = 49;
  r->lc_amis_deregistered = 35;
  r->lc_snapshots_deleted = 34;
  r->lc_restored = 1;
  ams_stat_add (&r->lc_execution_s, 120.0);
  ams_stat_add (&r->lc_execution_s, 360.0);
  r->launches = 1200;
  r->launches_ok = 1100;
  r->launches_disabled = 50;
  r->launches_deleted = 30;
  r->launches_no_ami = 20;
  r->storage_price = 0.05;
  r->storage_gib = 12345678.3;
  r->storage_gib_max = 20000000.5;
  r->storage_gib_months = 765.5;
  r->storage_cost = 38.28;
  r->recycle_bin_gib = 16.0;
  r->amis = 120;
  r->amis_max = 45000;
  const AmsStorageReport st[] = {
    { "111111111111", "eu-west-1", 20, 30, 100.25, 300.5 },
    { "111111111111", "us-east-1", 100, 45000, 12345578.05, 465.0 },
  };
  g_array_append_vals (r->storage, st, G_N_ELEMENTS (st));
}

static void
test_report_csv_storage (void)
{
  AmsResults r;
  filled_results (&r);
  MemFile m;
  mem_open (&m);
  ams_csv_storage (m.f, &r);
  CU_ASSERT_STRING_EQUAL (mem_close (&m),
                          "account,region,amis,amis_max,snapshot_gib,gib_months\n"
                          "\"111111111111\",eu-west-1,20,30,100.25,300.5\n"
                          "\"111111111111\",us-east-1,100,45000,12345578.05,465\n");
  free (m.buf);
  ams_results_clear (&r);

  /* no storage: the header alone */
  ams_results_init (&r);
  mem_open (&m);
  ams_csv_storage (m.f, &r);
  CU_ASSERT_STRING_EQUAL (mem_close (&m), "account,region,amis,amis_max,snapshot_gib,gib_months\n");
  free (m.buf);
  ams_results_clear (&r);
}

/* ---- summary.json ----------------------------------------------------- */

/* The text of the top-level object `key` of a summary, from its key to its
 * closing brace (two-space indent). Free with g_free; NULL if absent. */
static char *
top_object (const char *json, const char *key)
{
  g_autofree char *open = g_strdup_printf ("\n  \"%s\": {", key);
  const char *a = strstr (json, open);
  if (a == NULL)
    return NULL;
  const char *b = strstr (a, "\n  }");
  if (b == NULL)
    return NULL;
  return g_strndup (a + 1, (gsize) (b + 4 - (a + 1)));
}

static const AmsRunInfo run_info = { .scenario = "hand", .scenario_file = "hand.yaml",
                                     .replications = 1, .wall_s = 0.5 };

static void
test_report_summary_lifecycle_launches_storage (void)
{
  AmsResults r;
  filled_results (&r);
  g_autoptr (GString) s = ams_report_summary_json (&r, &run_info);
  g_autoptr (GString) again = ams_report_summary_json (&r, &run_info);
  CU_ASSERT_STRING_EQUAL (s->str, again->str);

  g_autofree char *lc = top_object (s->str, "lifecycle");
  CU_ASSERT_PTR_NOT_NULL_FATAL (lc);
  CU_ASSERT_PTR_NOT_NULL (strstr (lc,
                                  "  \"lifecycle\": {\n"
                                  "    \"runs\": 30,\n"
                                  "    \"runs_failed\": 2,\n"
                                  "    \"runs_busy\": 1,\n"
                                  "    \"deprecated\": 11,\n"
                                  "    \"disabled\": 7,\n"
                                  "    \"deleted\": 5,\n"
                                  "    \"skipped\": 4,\n"
                                  "    \"failed\": 3,\n"
                                  "    \"amis_deprecated\": 77,\n"
                                  "    \"amis_disabled\": 49,\n"
                                  "    \"amis_deregistered\": 35,\n"
                                  "    \"snapshots_deleted\": 34,\n"
                                  "    \"restored\": 1,\n"
                                  "    \"execution_s\": {\n"
                                  "      \"count\": 2,\n"
                                  "      \"mean\": 240,\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (lc, "\"min\": 120,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (lc, "\"max\": 360\n"));

  g_autofree char *la = top_object (s->str, "launches");
  CU_ASSERT_PTR_NOT_NULL_FATAL (la);
  CU_ASSERT_STRING_EQUAL (la,
                          "  \"launches\": {\n"
                          "    \"requested\": 1200,\n"
                          "    \"succeeded\": 1100,\n"
                          "    \"failed_disabled\": 50,\n"
                          "    \"failed_deleted\": 30,\n"
                          "    \"failed_no_ami\": 20,\n"
                          "    \"failed_key_denied\": 0\n"
                          "  }");

  const char *storage_head =
    "  \"storage\": {\n"
    "    \"snapshot_gib\": 12345678.3,\n"
    "    \"snapshot_gib_max\": 20000000.5,\n"
    "    \"gib_months\": 765.5,\n"
    "    \"price_per_gib_month\": 0.05,\n"
    "    \"cost\": 38.28,\n"
    "    \"cost_per_month_at_end\": 617283.915,\n"
    "    \"recycle_bin_gib\": 16,\n"
    "    \"amis\": 120,\n"
    "    \"amis_max_account_region\": 45000,\n"
    "    \"by_account_region\": [\n"
    "      {\n"
    "        \"account\": \"111111111111\",\n"
    "        \"region\": \"eu-west-1\",\n"
    "        \"amis\": 20,\n"
    "        \"amis_max\": 30,\n"
    "        \"snapshot_gib\": 100.25,\n"
    "        \"gib_months\": 300.5\n"
    "      },\n"
    "      {\n"
    "        \"account\": \"111111111111\",\n"
    "        \"region\": \"us-east-1\",\n"
    "        \"amis\": 100,\n"
    "        \"amis_max\": 45000,\n"
    "        \"snapshot_gib\": 12345578.05,\n"
    "        \"gib_months\": 465\n"
    "      }\n"
    "    ]";
  g_autofree char *st = top_object (s->str, "storage");
  CU_ASSERT_PTR_NOT_NULL_FATAL (st);
  g_autofree char *want = g_strconcat (storage_head, "\n  }", NULL);
  CU_ASSERT_STRING_EQUAL (st, want);

  /* with a comparison run: the baseline and what lifecycle saved */
  r.compared = TRUE;
  r.baseline_gib = 12345700.3;
  r.baseline_gib_months = 2000.0;
  r.baseline_cost = 100.0;
  r.baseline_amis = 300;
  g_autoptr (GString) c = ams_report_summary_json (&r, &run_info);
  g_autofree char *cst = top_object (c->str, "storage");
  CU_ASSERT_PTR_NOT_NULL_FATAL (cst);
  g_autofree char *cwant = g_strconcat (storage_head, ",\n"
                                        "    \"without_lifecycle\": {\n"
                                        "      \"snapshot_gib\": 12345700.3,\n"
                                        "      \"gib_months\": 2000,\n"
                                        "      \"cost\": 100,\n"
                                        "      \"amis\": 300\n"
                                        "    },\n"
                                        "    \"saved\": {\n"
                                        "      \"snapshot_gib\": 22,\n"
                                        "      \"gib_months\": 1234.5,\n"
                                        "      \"cost\": 61.72,\n"
                                        "      \"amis\": 180\n"
                                        "    }\n"
                                        "  }", NULL);
  CU_ASSERT_STRING_EQUAL (cst, cwant);

  /* more AMIs with lifecycle than without (restores): a negative saving */
  r.baseline_amis = 100;
  g_autoptr (GString) neg = ams_report_summary_json (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (neg->str, "      \"amis\": -20\n    }\n  }"));
  ams_results_clear (&r);
}

static void
test_report_summary_new_keys_when_empty (void)
{
  AmsResults r;
  ams_results_init (&r);
  g_autoptr (GString) s = ams_report_summary_json (&r, &run_info);
  g_autofree char *lc = top_object (s->str, "lifecycle");
  g_autofree char *la = top_object (s->str, "launches");
  g_autofree char *st = top_object (s->str, "storage");
  CU_ASSERT_PTR_NOT_NULL_FATAL (lc);
  CU_ASSERT_PTR_NOT_NULL_FATAL (la);
  CU_ASSERT_PTR_NOT_NULL_FATAL (st);
  const char *lc_keys[] = { "runs", "deprecated", "disabled", "deleted", "skipped", "failed" };
  for (guint i = 0; i < G_N_ELEMENTS (lc_keys); i++)
    {
      g_autofree char *k = g_strdup_printf ("\n    \"%s\": 0,", lc_keys[i]);
      CU_ASSERT_PTR_NOT_NULL (strstr (lc, k));
    }
  CU_ASSERT_PTR_NOT_NULL (strstr (lc, "\"execution_s\": {\n      \"count\": 0,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (st, "\n    \"snapshot_gib\": 0,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (st, "\n    \"gib_months\": 0,"));
  CU_ASSERT_PTR_NOT_NULL (strstr (st, "\n    \"by_account_region\": []\n  }"));
  CU_ASSERT_PTR_NULL (strstr (st, "without_lifecycle"));
  CU_ASSERT_PTR_NULL (strstr (st, "saved"));
  /* the new objects come after the failures and before the last key */
  const char *f = strstr (s->str, "\n  \"failures\": [");
  const char *l = strstr (s->str, "\n  \"lifecycle\": {");
  const char *t = strstr (s->str, "\n  \"timeseries_truncated\":");
  CU_ASSERT (f != NULL && l != NULL && t != NULL && f < l && l < t);
  ams_results_clear (&r);
}

/* ---- the stdout table --------------------------------------------------- */

static void
test_report_table_sections_only_when_relevant (void)
{
  AmsResults r;
  ams_results_init (&r);
  g_autoptr (GString) plain = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NULL (strstr (plain->str, "\nlifecycle"));
  CU_ASSERT_PTR_NULL (strstr (plain->str, "\nlaunches"));
  CU_ASSERT_PTR_NULL (strstr (plain->str, "\nstorage"));
  CU_ASSERT_PTR_NULL (strstr (plain->str, "GiB"));

  /* one lifecycle count alone is enough to show the section */
  r.lc_skipped = 2;
  g_autoptr (GString) skipped = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (skipped->str, "\nlifecycle  runs 0  failed 0\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (skipped->str, "  resources  skipped 2  failed 0\n"));
  CU_ASSERT_PTR_NULL (strstr (skipped->str, "\nlaunches"));
  CU_ASSERT_PTR_NULL (strstr (skipped->str, "\nstorage"));
  ams_results_clear (&r);

  filled_results (&r);
  g_autoptr (GString) t = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str,
                                  "\nlifecycle  runs 30  failed 2  not started (previous run still "
                                  "going) 1  execution mean 4m00s, max 6m00s\n"
                                  "  images     deprecated 11  disabled 7  deleted 5\n"
                                  "  AMIs       deprecated 77  disabled 49  deregistered 35"
                                  "  restored from the Recycle Bin 1\n"
                                  "  snapshots  deleted 34\n"
                                  "  resources  skipped 4  failed 3\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str,
                                  "\nlaunches  requested 1,200  succeeded 1,100 (91.7%)  failed: "
                                  "AMI disabled 50  AMI deregistered 30  no usable AMI 20\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str,
                                  "\nstorage  snapshots 12,345,678.3 GiB at end (max 20,000,000.5 "
                                  "GiB; 16.0 GiB in the Recycle Bin)  765.5 GiB-months  $38.28 at "
                                  "$0.05/GiB-month; at the end $617,283.92/month\n"
                                  "  AMIs 120 at end  most in one account and region 45,000 of the "
                                  "50,000 quota (90.0%) in 111111111111 us-east-1\n"));
  CU_ASSERT_PTR_NULL (strstr (t->str, "without lifecycle"));
  CU_ASSERT_PTR_NULL (strstr (t->str, "saved"));
  /* sections in reading order, the congested pools (none here) last */
  const char *a = strstr (t->str, "\nlifecycle"), *b = strstr (t->str, "\nlaunches"),
             *c = strstr (t->str, "\nstorage");
  CU_ASSERT (a != NULL && b != NULL && c != NULL && a < b && b < c);

  /* a scenario's own quota */
  AmsRunInfo small = run_info;
  small.amis_quota = 60000;
  g_autoptr (GString) q = ams_report_table (&r, &small);
  CU_ASSERT_PTR_NOT_NULL (strstr (q->str, "45,000 of the 60,000 quota (75.0%)"));

  /* launches alone */
  ams_results_clear (&r);
  ams_results_init (&r);
  r.launches = 4;
  r.launches_no_ami = 4;
  g_autoptr (GString) l = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (l->str, "\nlaunches  requested 4  succeeded 0 (0.0%)"));
  CU_ASSERT_PTR_NULL (strstr (l->str, "\nlifecycle"));
  CU_ASSERT_PTR_NULL (strstr (l->str, "\nstorage"));
  ams_results_clear (&r);
}

static void
test_report_table_comparison (void)
{
  AmsResults r;
  filled_results (&r);
  r.compared = TRUE;
  r.baseline_gib = 12345700.3;
  r.baseline_gib_months = 2000.0;
  r.baseline_cost = 100.01;
  r.baseline_amis = 300;
  g_autoptr (GString) t = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str,
                                  "(90.0%) in 111111111111 us-east-1\n"
                                  "  without lifecycle  12,345,700.3 GiB at end  2,000.0 GiB-months"
                                  "  $100.01  AMIs 300\n"
                                  "  lifecycle saved  1,234.5 GiB-months (61.7%), $61.73  22.0 GiB "
                                  "at end  AMIs 180\n"));

  /* nothing to compare with: no percentage, and a negative saving says so */
  r.baseline_gib_months = 0.0;
  r.baseline_cost = 0.0;
  r.baseline_amis = 100;
  g_autoptr (GString) z = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (z->str,
                                  "  lifecycle saved  -765.5 GiB-months, -$38.28  22.0 GiB at end"
                                  "  AMIs -20\n"));
  ams_results_clear (&r);
}

/* Clock times against GLib's calendar, over four centuries either side of
 * 1970 (leap days, 2000 and 2100 included), and at the edges of a day. */
static void
test_report_clock_against_glib (void)
{
  char iso[AMS_CLOCK_LEN];
  ams_iso_time (iso, 0, 0);
  CU_ASSERT_STRING_EQUAL (iso, "1970-01-01T00:00:00.000Z");
  ams_iso_time (iso, 0, -1); /* one µs before: rounded down */
  CU_ASSERT_STRING_EQUAL (iso, "1969-12-31T23:59:59.999Z");
  AmsTime start = (AmsTime) 20454 * AMS_DAYS (1); /* 2026-01-01 */
  ams_iso_time (iso, start, AMS_DAYS (1) + AMS_MINUTES (70) + 1234567);
  CU_ASSERT_STRING_EQUAL (iso, "2026-01-02T01:10:01.234Z");
  CU_ASSERT_EQUAL (ams_clock_day (start, AMS_DAYS (1) - 1), 20454);
  CU_ASSERT_EQUAL (ams_clock_day (start, AMS_DAYS (1)), 20455);
  CU_ASSERT_DOUBLE_EQUAL (ams_clock_of_day_s (start, AMS_DAYS (3) + AMS_MINUTES (90)), 5400.0,
                          1e-9);

  guint64 x = 0x9e3779b97f4a7c15u;
  for (int i = 0; i < 20000; i++)
    {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      /* seconds in [-12.6e9, 12.6e9): years 1570 to 2370 */
      gint64 secs = (gint64) (x % 25200000000u) - 12600000000;
      gint64 ms = (gint64) (x >> 40) % 1000;
      AmsTime t = secs * AMS_TICKS_PER_SECOND + ms * 1000 + (i % 7 ? 999 : 0);
      g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (secs);
      g_autofree char *want_s = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
      g_autofree char *want = g_strdup_printf ("%s.%03dZ", want_s, (int) ms);
      ams_iso_time (iso, t, 0); /* the same instant as start + 0 */
      if (strcmp (iso, want) != 0)
        printf ("\n    %" G_GINT64_FORMAT ": got %s want %s\n", t, iso, want);
      CU_ASSERT_STRING_EQUAL_FATAL (iso, want);
      char date[AMS_CLOCK_LEN];
      ams_clock_date (date, ams_clock_day (0, t));
      CU_ASSERT_EQUAL_FATAL (strncmp (date, want, 10), 0);
    }
}

/* The stdout table's capacity view: pools ranked by the time at the limit,
 * with the peak and the longest wait; each day's last copy in clock time
 * (all days up to a week, else latest, median and earliest). */
static void
test_report_table_capacity (void)
{
  AmsResults r;
  ams_results_init (&r);
  r.start = (AmsTime) 20454 * AMS_DAYS (1); /* 2026-01-01T00:00Z */
  r.copies_requested = 90;
  const AmsPoolReport pools[] = {
    /* busy on average but never at its limit */
    { .account = "111111111111", .region = "eu-west-1", .limit = 50, .copies = 40,
      .waited = 0, .utilization = 0.4, .busy_max = 49, .queue_mean = 0.0 },
    /* quiet on average, at its limit for 1h13m every night */
    { .account = "222222222222", .region = "us-east-1", .limit = 50, .copies = 50,
      .waited = 20, .utilization = 0.026, .busy_max = 50, .queue_max = 30, .queue_mean = 0.3,
      .at_limit_s = 4380.0, .wait_max_s = 1135.0 },
  };
  g_array_append_vals (r.pools, pools, G_N_ELEMENTS (pools));
  const AmsDayReport days[] = {
    { .day = 20455, .copies = 60, .last = AMS_DAYS (1) + AMS_HOURS (1) + AMS_MINUTES (52) + 59 * AMS_TICKS_PER_SECOND },
    { .day = 20456, .copies = 30, .last = AMS_DAYS (2) + AMS_HOURS (2) + AMS_MINUTES (2) + 56 * AMS_TICKS_PER_SECOND },
  };
  g_array_append_vals (r.days, days, G_N_ELEMENTS (days));
  g_autoptr (GString) t = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str, "\nlast copy of the day (UTC)  2026-01-02 01:52:59  "
                                          "2026-01-03 02:02:56\n"));
  const char *want =
    "\nmost congested pools (2 of 2, by time at the limit)\n"
    "  account        region            limit    copies  queued  peak  at limit longest wait queue max\n"
    "  222222222222   us-east-1            50        50   40.0%    50     1h13m       18m55s        30\n"
    "  111111111111   eu-west-1            50        40    0.0%    49      0.0s         0.0s         0\n";
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str, want));
  if (strstr (t->str, want) == NULL)
    printf ("\n%s\n", t->str);

  /* summary.json: the days in clock time */
  g_autoptr (GString) j = ams_report_summary_json (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (j->str, "\"days\": [\n"
                                          "      {\n"
                                          "        \"day\": \"2026-01-02\",\n"
                                          "        \"copies\": 60,\n"
                                          "        \"last_end_s\": 93179,\n"
                                          "        \"last_end_at\": \"2026-01-02T01:52:59.000Z\",\n"
                                          "        \"last_end_of_day_s\": 6779\n"
                                          "      },"));

  /* more than a week: the latest, the median and the earliest */
  g_array_set_size (r.days, 0);
  for (int d = 0; d < 9; d++)
    {
      AmsDayReport day = { .day = 20455 + d, .copies = 10,
                           .last = AMS_DAYS (1 + d) + AMS_HOURS (2) + AMS_MINUTES (d == 4 ? 40 : 10 + d) };
      g_array_append_val (r.days, day);
    }
  g_autoptr (GString) many = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (many->str, "\nlast copy of the day (UTC, 9 days with copies)  "
                                             "latest 02:40:00 on 2026-01-06  median 02:15:00  "
                                             "earliest 02:10:00 on 2026-01-02\n"));
  /* no copy ended: no line */
  g_array_set_size (r.days, 0);
  g_autoptr (GString) none = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NULL (strstr (none->str, "last copy of the day"));
  ams_results_clear (&r);
}

static const AmsTestCase cases[] = {
  { "test_report_clock_against_glib", test_report_clock_against_glib },
  { "test_report_table_capacity", test_report_table_capacity },
  { "test_report_json_shape_and_escaping", test_report_json_shape_and_escaping },
  { "test_report_format_seconds", test_report_format_seconds },
  { "test_report_write_dir_whole", test_report_write_dir_whole },
  { "test_report_write_dir_refuses_a_file", test_report_write_dir_refuses_a_file },
  { "test_report_csv_lifecycle_rows", test_report_csv_lifecycle_rows },
  { "test_report_csv_lifecycle_header_only_and_absent",
    test_report_csv_lifecycle_header_only_and_absent },
  { "test_report_csv_timeseries_columns", test_report_csv_timeseries_columns },
  { "test_report_csv_storage", test_report_csv_storage },
  { "test_report_summary_lifecycle_launches_storage",
    test_report_summary_lifecycle_launches_storage },
  { "test_report_summary_new_keys_when_empty", test_report_summary_new_keys_when_empty },
  { "test_report_table_sections_only_when_relevant",
    test_report_table_sections_only_when_relevant },
  { "test_report_table_comparison", test_report_table_comparison },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("report", cases);
}
