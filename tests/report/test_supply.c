/* Supply-chain report tests: the images.csv columns trigger, upstream,
 * ripple and message; summary.json's "supply" object for one run (exact
 * text), for none (zeros) and over replications (means and Student-t
 * intervals against hand-computed values); the table's "supply chain"
 * section (one run, replications, absent when nothing happened); the trace
 * lines of the new kinds and fields and the kind filter; the narration of
 * invitations, refused what-if events, dependent builds and refused builds;
 * sweep.csv's, the sweep summary's and the sweep table's ripple_delay_s. */
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ams_test.h"
#include "amisim/report.h"
#include "amisim/scenario.h"
#include "amisim/tracelog.h"
#include "amisim/value.h"

/* Student t quantiles t(0.975, df) in closed form: df 1, tan(0.475 pi);
 * df 2, from F(t) = 1/2 + t / (2 sqrt(2 + t^2)) = 0.975. */
#define T975_DF1 12.706204736174696
#define T975_DF2 4.302652729749464

static const AmsRunInfo run_info = { .scenario = "hand", .scenario_file = "hand.yaml",
                                     .replications = 1, .wall_s = 0.5 };

/* ---- helpers -------------------------------------------------------------- */

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

static const char *
mem_close (MemFile *m)
{
  fclose (m->f);
  m->f = NULL;
  return m->buf;
}

/* The text of the top-level object `key` of a summary, from its key to its
 * closing brace. Free with g_free; NULL if absent. */
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

static gboolean
close_to (double got, double want)
{
  return fabs (got - want) <= 1e-8 * MAX (1.0, fabs (want));
}

/* The number at `path` is `want`. */
static void
check_number (const AmsValue *root, const char *path, double want)
{
  double got = number (member (root, path));
  if (!close_to (got, want))
    printf ("\n    %s: got %.12g, want %.12g\n", path, got, want);
  CU_ASSERT_TRUE (close_to (got, want));
}

/* The interval at `path` is mean -/+ t * sd / sqrt(n). */
static void
check_interval (const AmsValue *root, const char *path, double mean, double sd, guint n,
                double t)
{
  const AmsValue *pair = member (root, path);
  CU_ASSERT_TRUE_FATAL (pair != NULL && pair->kind == AMS_VALUE_ARRAY && pair->n == 2);
  double half = t * sd / sqrt ((double) n);
  double lo = number (pair->items[0]), hi = number (pair->items[1]);
  if (!close_to (lo, mean - half) || !close_to (hi, mean + half))
    printf ("\n    %s: got [%.12g, %.12g], want [%.12g, %.12g]\n", path, lo, hi, mean - half,
            mean + half);
  CU_ASSERT_TRUE (close_to (lo, mean - half));
  CU_ASSERT_TRUE (close_to (hi, mean + half));
}

/* One run with a supply chain: 5 ripples of 4 and 12 dependent builds (the
 * other three ripples still going), delays of 10 and 30 minutes. */
static void
supply_results (AmsResults *r)
{
  ams_results_init (r);
  r->seed = 42;
  r->ripples = 5;
  r->ripple_images = 40;
  r->ripple_available = 38;
  r->ripple_failed = 2;
  ams_stat_add (&r->ripple_size, 4);
  ams_stat_add (&r->ripple_size, 12);
  ams_stat_add (&r->ripple_delay_s, 600);
  ams_stat_add (&r->ripple_delay_s, 1800);
  r->ripple_depth_max = 3;
  r->builds_blocked = 7;
  r->invitations_sent = 3;
  r->invitations_accepted = 2;
  r->invitations_expired = 1;
  r->events_refused = 1;
}

/* Three replications (hand-computed means and intervals in the tests). */
static void
replication_results (AmsResults r[3])
{
  for (guint i = 0; i < 3; i++)
    {
      ams_results_init (&r[i]);
      r[i].seed = 42;
      r[i].replication = i;
    }
  /* ripples 2, 4, 0; dependent builds 10, 14, 0 (9, 14, 0 available; 1, 0, 0 failed) */
  r[0].ripples = 2, r[1].ripples = 4, r[2].ripples = 0;
  r[0].ripple_images = 10, r[1].ripple_images = 14;
  r[0].ripple_available = 9, r[1].ripple_available = 14;
  r[0].ripple_failed = 1;
  /* sizes {4, 6} and {2, 6}; delays {600, 1800} and {1200, 1200}; none in the third */
  ams_stat_add (&r[0].ripple_size, 4);
  ams_stat_add (&r[0].ripple_size, 6);
  ams_stat_add (&r[1].ripple_size, 2);
  ams_stat_add (&r[1].ripple_size, 6);
  ams_stat_add (&r[0].ripple_delay_s, 600);
  ams_stat_add (&r[0].ripple_delay_s, 1800);
  ams_stat_add (&r[1].ripple_delay_s, 1200);
  ams_stat_add (&r[1].ripple_delay_s, 1200);
  r[0].ripple_depth_max = 2, r[1].ripple_depth_max = 3;
  r[0].builds_blocked = 1, r[1].builds_blocked = 3, r[2].builds_blocked = 2;
  for (guint i = 0; i < 3; i++)
    r[i].invitations_sent = 3;
  r[0].invitations_accepted = 2, r[1].invitations_accepted = 3, r[2].invitations_accepted = 1;
  r[2].invitations_rejected = 1;
  r[0].invitations_expired = 1, r[2].invitations_expired = 1;
  r[1].events_refused = 1, r[2].events_refused = 2;
}

/* ---- images.csv ----------------------------------------------------------- */

static void
test_supply_images_csv_columns (void)
{
  MemFile im;
  mem_open (&im);
  AmsCsvRecorder *c = ams_csv_recorder_new (im.f, NULL, NULL, NULL, 10);
  ams_csv_recorder_set_start (c, INT64_C (1767225600) * AMS_TICKS_PER_SECOND); /* 2026-01-01 */
  AmsRecorder rec = { 0 };
  ams_csv_recorder_bind (c, &rec);
  CU_ASSERT_PTR_NOT_NULL_FATAL (rec.image);
  const AmsImageRecord rows[] = {
    { .pipeline = "golden", .recipe = "golden-al2023", .version = "1.0.0/4",
      .start = AMS_HOURS (2), .built = AMS_HOURS (2) + AMS_MINUTES (50),
      .end = AMS_HOURS (3), .outcome = AMS_IMAGE_AVAILABLE, .cause = AMS_CAUSE_NONE,
      .outputs = 3, .failed_outputs = 0, .trigger = "schedule" },
    { .pipeline = "team-a", .recipe = "team-a", .version = "1.0.0/3",
      .start = AMS_HOURS (3), .built = AMS_HOURS (4), .end = AMS_HOURS (4) + 1,
      .outcome = AMS_IMAGE_AVAILABLE, .cause = AMS_CAUSE_NONE, .outputs = 1,
      .trigger = "dependency",
      .upstream = "arn:aws:imagebuilder:us-east-1:111111111111:image/golden-al2023/1.0.0/4",
      .ripple = "golden 1.0.0/4" },
    { .pipeline = "team-b", .recipe = "team-b", .version = "2.0.0/1", .start = AMS_HOURS (3),
      .built = AMS_TIME_NEVER, .end = AMS_HOURS (3), .outcome = AMS_IMAGE_FAILED,
      .cause = AMS_CAUSE_RESOURCE_NOT_SHARED, .trigger = "dependency",
      .upstream = "arn:aws:imagebuilder:us-east-1:111111111111:image/golden-al2023/1.0.0/4",
      .ripple = "golden 1.0.0/4",
      .message = "component \"hardening\" of 111111111111, version 1.x.x: not shared with "
                 "333333333333" },
    { .pipeline = "plain", .recipe = "plain", .version = "1.0.0/1", .start = 0,
      .built = AMS_SECONDS (1), .end = AMS_SECONDS (2), .outcome = AMS_IMAGE_AVAILABLE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    rec.image (rec.user, &rows[i]);
  ams_csv_recorder_free (c);
  const char *text = mem_close (&im);
  const char *want =
    "pipeline,recipe,version,start_s,start_at,built_s,built_at,end_s,end_at,status,cause,"
    "outputs,failed_outputs,trigger,upstream,ripple,message\n"
    "golden,golden-al2023,1.0.0/4,7200.000000,2026-01-01T02:00:00.000Z,10200.000000,"
    "2026-01-01T02:50:00.000Z,10800.000000,2026-01-01T03:00:00.000Z,AVAILABLE,,3,0,"
    "schedule,,,\n"
    "team-a,team-a,1.0.0/3,10800.000000,2026-01-01T03:00:00.000Z,14400.000000,"
    "2026-01-01T04:00:00.000Z,14400.000001,2026-01-01T04:00:00.000Z,AVAILABLE,,1,0,dependency,"
    "arn:aws:imagebuilder:us-east-1:111111111111:image/golden-al2023/1.0.0/4,golden 1.0.0/4,\n"
    "team-b,team-b,2.0.0/1,10800.000000,2026-01-01T03:00:00.000Z,,,10800.000000,"
    "2026-01-01T03:00:00.000Z,FAILED,resource_not_shared,0,0,"
    "dependency,arn:aws:imagebuilder:us-east-1:111111111111:image/golden-al2023/1.0.0/4,"
    "golden 1.0.0/4,\"component \"\"hardening\"\" of 111111111111, version 1.x.x: not shared "
    "with 333333333333\"\n"
    "plain,plain,1.0.0/1,0.000000,2026-01-01T00:00:00.000Z,1.000000,2026-01-01T00:00:01.000Z,"
    "2.000000,2026-01-01T00:00:02.000Z,AVAILABLE,,0,0,,,,\n";
  if (strcmp (text, want) != 0)
    printf ("\n    got:\n%s", text);
  CU_ASSERT_STRING_EQUAL (text, want);
  free (im.buf);
}

/* ---- summary.json --------------------------------------------------------- */

static void
test_supply_summary_one_run (void)
{
  AmsResults r;
  supply_results (&r);
  g_autoptr (GString) s = ams_report_summary_json (&r, &run_info);
  g_autofree char *supply = top_object (s->str, "supply");
  CU_ASSERT_PTR_NOT_NULL_FATAL (supply);
  const char *want = "  \"supply\": {\n"
                     "    \"ripples\": 5,\n"
                     "    \"dependent_images\": 40,\n"
                     "    \"dependent_available\": 38,\n"
                     "    \"dependent_failed\": 2,\n"
                     "    \"size\": {\n"
                     "      \"count\": 2,\n"
                     "      \"mean\": 8,\n"
                     "      \"sd\": 5.656854249,\n"
                     "      \"min\": 4,\n"
                     "      \"p50\": 4,\n"
                     "      \"p90\": 12,\n"
                     "      \"p99\": 12,\n"
                     "      \"max\": 12\n"
                     "    },\n"
                     "    \"delay_s\": {\n"
                     "      \"count\": 2,\n"
                     "      \"mean\": 1200,\n"
                     "      \"sd\": 848.5281374,\n"
                     "      \"min\": 600,\n"
                     "      \"p50\": 600,\n"
                     "      \"p90\": 1800,\n"
                     "      \"p99\": 1800,\n"
                     "      \"max\": 1800\n"
                     "    },\n"
                     "    \"depth_max\": 3,\n"
                     "    \"builds_blocked\": 7,\n"
                     "    \"invitations\": {\n"
                     "      \"sent\": 3,\n"
                     "      \"accepted\": 2,\n"
                     "      \"rejected\": 0,\n"
                     "      \"expired\": 1\n"
                     "    },\n"
                     "    \"events_refused\": 1\n"
                     "  }";
  if (strcmp (supply, want) != 0)
    printf ("\n    got:\n%s\n", supply);
  CU_ASSERT_STRING_EQUAL (supply, want);
  /* after storage, before the last key */
  const char *st = strstr (s->str, "\n  \"storage\": {");
  const char *su = strstr (s->str, "\n  \"supply\": {");
  const char *t = strstr (s->str, "\n  \"timeseries_truncated\":");
  CU_ASSERT (st != NULL && su != NULL && t != NULL && st < su && su < t);
  ams_results_clear (&r);
}

static void
test_supply_summary_zeros (void)
{
  AmsResults r;
  ams_results_init (&r);
  g_autoptr (GString) s = ams_report_summary_json (&r, &run_info);
  g_autofree char *supply = top_object (s->str, "supply");
  CU_ASSERT_PTR_NOT_NULL_FATAL (supply);
  /* an empty statistic: the count 0, every other figure null */
  const char *zero_stat = "{\n"
                          "      \"count\": 0,\n"
                          "      \"mean\": null,\n"
                          "      \"sd\": null,\n"
                          "      \"min\": null,\n"
                          "      \"p50\": null,\n"
                          "      \"p90\": null,\n"
                          "      \"p99\": null,\n"
                          "      \"max\": null\n"
                          "    }";
  g_autofree char *want = g_strdup_printf ("  \"supply\": {\n"
                                           "    \"ripples\": 0,\n"
                                           "    \"dependent_images\": 0,\n"
                                           "    \"dependent_available\": 0,\n"
                                           "    \"dependent_failed\": 0,\n"
                                           "    \"size\": %s,\n"
                                           "    \"delay_s\": %s,\n"
                                           "    \"depth_max\": 0,\n"
                                           "    \"builds_blocked\": 0,\n"
                                           "    \"invitations\": {\n"
                                           "      \"sent\": 0,\n"
                                           "      \"accepted\": 0,\n"
                                           "      \"rejected\": 0,\n"
                                           "      \"expired\": 0\n"
                                           "    },\n"
                                           "    \"events_refused\": 0\n"
                                           "  }",
                                           zero_stat, zero_stat);
  CU_ASSERT_STRING_EQUAL (supply, want);
  ams_results_clear (&r);
}

static void
test_supply_summary_replications (void)
{
  AmsResults r[3];
  replication_results (r);
  const AmsResults *const rs[] = { &r[0], &r[1], &r[2] };
  AmsRunInfo info = run_info;
  info.replications = 3;
  g_autoptr (GString) s = ams_report_summary_json_n (rs, 3, &info);
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("summary.json", s->str, -1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  const AmsValue *root = ams_value_doc_root (doc);
  const AmsValue *supply = member (root, "supply");
  CU_ASSERT_FATAL (supply != NULL && supply->kind == AMS_VALUE_OBJECT);

  /* every count a mean with its interval, in this order */
  static const char *const keys[] = {
    "ripples", "ripples_ci95", "dependent_images", "dependent_images_ci95",
    "dependent_available", "dependent_available_ci95", "dependent_failed",
    "dependent_failed_ci95", "size", "delay_s", "depth_max", "depth_max_ci95",
    "builds_blocked", "builds_blocked_ci95", "invitations", "events_refused",
    "events_refused_ci95",
  };
  CU_ASSERT_EQUAL_FATAL (supply->n, G_N_ELEMENTS (keys));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    CU_ASSERT_STRING_EQUAL (supply->keys[i], keys[i]);

  /* ripples 2, 4, 0: mean 2, sd 2 */
  check_number (supply, "ripples", 2.0);
  check_interval (supply, "ripples_ci95", 2.0, 2.0, 3, T975_DF2);
  /* 10, 14, 0: mean 8, sd sqrt(52) */
  check_number (supply, "dependent_images", 8.0);
  check_interval (supply, "dependent_images_ci95", 8.0, sqrt (52.0), 3, T975_DF2);
  /* 9, 14, 0: mean 23/3, squares about it (16 + 361 + 529) / 9, over 2 */
  check_number (supply, "dependent_available", 23.0 / 3.0);
  check_interval (supply, "dependent_available_ci95", 23.0 / 3.0, sqrt (906.0 / 9.0 / 2.0), 3,
                  T975_DF2);
  /* 1, 0, 0: mean 1/3, sd 1/sqrt(3) */
  check_number (supply, "dependent_failed", 1.0 / 3.0);
  check_interval (supply, "dependent_failed_ci95", 1.0 / 3.0, 1.0 / sqrt (3.0), 3, T975_DF2);
  /* depth 2, 3, 0: mean 5/3, sd sqrt(7/3) */
  check_number (supply, "depth_max", 5.0 / 3.0);
  check_interval (supply, "depth_max_ci95", 5.0 / 3.0, sqrt (7.0 / 3.0), 3, T975_DF2);
  /* blocked 1, 3, 2 and refused 0, 1, 2: mean 2 and 1, sd 1 */
  check_number (supply, "builds_blocked", 2.0);
  check_interval (supply, "builds_blocked_ci95", 2.0, 1.0, 3, T975_DF2);
  check_number (supply, "events_refused", 1.0);
  check_interval (supply, "events_refused_ci95", 1.0, 1.0, 3, T975_DF2);
  /* invitations: sent 3 every time (an interval of width 0), accepted 2, 3, 1,
   * rejected 0, 0, 1, expired 1, 0, 1 */
  check_number (supply, "invitations.sent", 3.0);
  check_interval (supply, "invitations.sent_ci95", 3.0, 0.0, 3, T975_DF2);
  check_number (supply, "invitations.accepted", 2.0);
  check_interval (supply, "invitations.accepted_ci95", 2.0, 1.0, 3, T975_DF2);
  check_number (supply, "invitations.rejected", 1.0 / 3.0);
  check_interval (supply, "invitations.rejected_ci95", 1.0 / 3.0, 1.0 / sqrt (3.0), 3,
                  T975_DF2);
  check_number (supply, "invitations.expired", 2.0 / 3.0);
  check_interval (supply, "invitations.expired_ci95", 2.0 / 3.0, 1.0 / sqrt (3.0), 3,
                  T975_DF2);

  /* size: counts 2, 2, 0 averaged over the three; the rest over the two
   * that observed ripples: means 5 and 4, p50 4 and 2, max 6 and 6 */
  check_number (supply, "size.count", 4.0 / 3.0);
  check_number (supply, "size.mean", 4.5);
  check_interval (supply, "size.mean_ci95", 4.5, sqrt (0.5), 2, T975_DF1);
  check_number (supply, "size.min", 3.0);
  check_number (supply, "size.p50", 3.0);
  check_number (supply, "size.max", 6.0);
  /* delay: means 1200 and 1200, p50 600 and 1200, max 1800 and 1200 */
  check_number (supply, "delay_s.count", 4.0 / 3.0);
  check_number (supply, "delay_s.mean", 1200.0);
  check_interval (supply, "delay_s.mean_ci95", 1200.0, 0.0, 2, T975_DF1);
  check_number (supply, "delay_s.p50", 900.0);
  check_number (supply, "delay_s.max", 1500.0);

  /* one replication alone: the run's own figures, no intervals */
  g_autoptr (GString) one = ams_report_summary_json_n (rs, 1, &run_info);
  g_autoptr (GString) single = ams_report_summary_json (&r[0], &run_info);
  CU_ASSERT_STRING_EQUAL (one->str, single->str);
  CU_ASSERT_PTR_NULL (strstr (one->str, "_ci95"));
  for (guint i = 0; i < 3; i++)
    ams_results_clear (&r[i]);
}

/* ---- the table ------------------------------------------------------------ */

static void
test_supply_table_one_run (void)
{
  AmsResults r;
  supply_results (&r);
  r.failures_total = 1;
  r.failures_by_cause[AMS_CAUSE_RESOURCE_NOT_SHARED] = 1;
  AmsFailureCount f = { AMS_CAUSE_RESOURCE_NOT_SHARED, "us-east-1", "333333333333", 1 };
  g_array_append_val (r.failures, f);
  r.lc_runs = 1;
  g_autoptr (GString) t = ams_report_table (&r, &run_info);
  const char *want =
    "\nsupply chain  ripples 5  dependent builds 40 (38 available, 2 failed)  longest chain 3"
    "  builds blocked 7  invitations 3 sent, 2 accepted, 1 expired  events refused 1\n"
    "  per ripple           count      mean       p50       p90       p99       max\n"
    "  ripple delay             2    20m00s    10m00s    30m00s    30m00s    30m00s\n"
    "  ripple size              2       8.0       4.0      12.0      12.0      12.0\n";
  const char *at = strstr (t->str, want);
  if (at == NULL)
    printf ("\n    got:\n%s", t->str);
  CU_ASSERT_PTR_NOT_NULL (at);
  /* after the failures, before lifecycle */
  const char *fa = strstr (t->str, "\nfailures  1 ");
  const char *lc = strstr (t->str, "\nlifecycle  ");
  CU_ASSERT (fa != NULL && at != NULL && lc != NULL && fa < at && at < lc);

  /* only what happened: invitations alone, rejected shown when there are some */
  ams_results_clear (&r);
  ams_results_init (&r);
  r.invitations_sent = 2;
  r.invitations_rejected = 1;
  g_autoptr (GString) inv = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NOT_NULL (strstr (inv->str, "\nsupply chain  invitations 2 sent, 1 rejected\n"));
  CU_ASSERT_PTR_NULL (strstr (inv->str, "ripples"));
  CU_ASSERT_PTR_NULL (strstr (inv->str, "per ripple"));
  ams_results_clear (&r);

  /* nothing: no section */
  ams_results_init (&r);
  g_autoptr (GString) none = ams_report_table (&r, &run_info);
  CU_ASSERT_PTR_NULL (strstr (none->str, "supply chain"));
  CU_ASSERT_PTR_NULL (strstr (none->str, "ripple"));
  ams_results_clear (&r);
}

static void
test_supply_table_replications (void)
{
  AmsResults r[3];
  replication_results (r);
  const AmsResults *const rs[] = { &r[0], &r[1], &r[2] };
  AmsRunInfo info = run_info;
  info.replications = 3;
  g_autoptr (GString) t = ams_report_table_n (rs, 3, &info);
  /* half-widths t * sd / sqrt(3): ripples 4.97, dependent builds 17.91,
   * available 17.62, failed 1.43, chain 3.79, blocked 2.48, sent 0,
   * accepted 2.48, rejected 1.43, expired 1.43, refused 2.48; size 4.5 ±
   * 12.706 * 0.5 */
  const char *want =
    "\nsupply chain  ripples 2.0 ± 5.0  dependent builds 8.0 ± 17.9 (7.7 ± 17.6 available,"
    " 0.3 ± 1.4 failed)  longest chain 1.7 ± 3.8  builds blocked 2.0 ± 2.5  invitations"
    " 3.0 ± 0.0 sent, 2.0 ± 2.5 accepted, 0.3 ± 1.4 rejected, 0.7 ± 1.4 expired"
    "  events refused 1.0 ± 2.5\n"
    "  per ripple             count                  mean       p50       p90       p99       max\n"
    "  ripple delay             1.3        20m00s ± 0.0s    15m00s    25m00s    25m00s    25m00s\n"
    "  ripple size              1.3            4.5 ± 6.4       3.0       6.0       6.0       6.0\n";
  if (strstr (t->str, want) == NULL)
    printf ("\n    got:\n%s", t->str);
  CU_ASSERT_PTR_NOT_NULL (strstr (t->str, want));
  for (guint i = 0; i < 3; i++)
    ams_results_clear (&r[i]);

  /* replications without a supply chain: no section */
  AmsResults e[2];
  ams_results_init (&e[0]);
  ams_results_init (&e[1]);
  const AmsResults *const es[] = { &e[0], &e[1] };
  g_autoptr (GString) none = ams_report_table_n (es, 2, &info);
  CU_ASSERT_PTR_NULL (strstr (none->str, "supply chain"));
  ams_results_clear (&e[0]);
  ams_results_clear (&e[1]);
}

/* ---- trace ---------------------------------------------------------------- */

static const AmsTraceEvent sent_event = {
  .t = 0, .kind = AMS_TRACE_INVITATION, .share = "golden-share", .principal = "999999999999",
  .account = "999999999999", .region = "us-east-1", .status = "SENT",
};

static const AmsTraceEvent refused_event = {
  .t = AMS_DAYS (2) + AMS_HOURS (4), .kind = AMS_TRACE_EVENT_REFUSED,
  .action = "delete_resource", .account = "111111111111", .region = "us-east-1",
  .cause = AMS_CAUSE_RESOURCE_STILL_SHARED,
  .message = "component golden-hardening is shared by golden-share",
};

static const AmsTraceEvent dependent_event = {
  .t = AMS_HOURS (3), .kind = AMS_TRACE_IMAGE_STARTED, .image = "team-a", .version = "1.0.0/3",
  .account = "222222222222", .region = "us-east-1", .trigger = "dependency",
  .upstream = "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4",
};

static void
test_supply_trace_lines (void)
{
  CU_ASSERT_STRING_EQUAL (ams_trace_kind_name (AMS_TRACE_INVITATION), "invitation");
  CU_ASSERT_STRING_EQUAL (ams_trace_kind_name (AMS_TRACE_EVENT_REFUSED), "event_refused");
  g_autoptr (GString) s = g_string_new (NULL);
  const AmsTime start = INT64_C (1767225600) * AMS_TICKS_PER_SECOND; /* 2026-01-01 */
  ams_trace_event_json (s, &sent_event, start);
  ams_trace_event_json (s, &refused_event, start);
  ams_trace_event_json (s, &dependent_event, start);
  AmsTraceEvent failed = { .t = AMS_HOURS (3), .kind = AMS_TRACE_IMAGE_FAILED, .image = "team-b",
                           .version = "2.0.0/1", .account = "333333333333",
                           .region = "us-east-1", .trigger = "schedule",
                           .cause = AMS_CAUSE_INVITATION_PENDING,
                           .message = "share golden-share: the invitation of 333333333333 is "
                                      "not accepted" };
  ams_trace_event_json (s, &failed, start);
  CU_ASSERT_STRING_EQUAL (s->str,
    "{\"t_s\": 0.000000, \"t_at\": \"2026-01-01T00:00:00.000Z\", \"kind\": \"invitation\", "
    "\"share\": \"golden-share\", \"principal\": "
    "\"999999999999\", \"account\": \"999999999999\", \"region\": \"us-east-1\", \"status\": "
    "\"SENT\"}\n"
    "{\"t_s\": 187200.000000, \"t_at\": \"2026-01-03T04:00:00.000Z\", \"kind\": "
    "\"event_refused\", \"account\": \"111111111111\", "
    "\"region\": \"us-east-1\", \"action\": \"delete_resource\", \"cause\": "
    "\"resource_still_shared\", \"message\": \"component golden-hardening is shared by "
    "golden-share\"}\n"
    "{\"t_s\": 10800.000000, \"t_at\": \"2026-01-01T03:00:00.000Z\", \"kind\": "
    "\"image_started\", \"pipeline\": \"team-a\", \"version\": "
    "\"1.0.0/3\", \"trigger\": \"dependency\", \"upstream\": "
    "\"arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4\", \"account\": "
    "\"222222222222\", \"region\": \"us-east-1\"}\n"
    "{\"t_s\": 10800.000000, \"t_at\": \"2026-01-01T03:00:00.000Z\", \"kind\": "
    "\"image_failed\", \"pipeline\": \"team-b\", \"version\": "
    "\"2.0.0/1\", \"trigger\": \"schedule\", \"account\": \"333333333333\", \"region\": "
    "\"us-east-1\", \"outputs\": 0, \"failed\": 0, \"cause\": \"invitation_pending\", "
    "\"message\": \"share golden-share: the invitation of 333333333333 is not accepted\"}\n");
}

static void
test_supply_trace_kind_filter (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-supply-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "t.jsonl", NULL);
  static const char *const kinds[] = { "invitation", "event_refused", NULL };
  AmsTraceFilter f = { .kinds = kinds };
  g_autoptr (GError) error = NULL;
  AmsTraceWriter *w = ams_trace_writer_new (path, &f, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (w);
  CU_ASSERT_TRUE (ams_trace_writer_keeps (w, &sent_event));
  CU_ASSERT_TRUE (ams_trace_writer_keeps (w, &refused_event));
  CU_ASSERT_FALSE (ams_trace_writer_keeps (w, &dependent_event));
  ams_trace_writer_event (w, &dependent_event);
  ams_trace_writer_event (w, &sent_event);
  ams_trace_writer_event (w, &refused_event);
  CU_ASSERT_EQUAL (ams_trace_writer_lines (w), 2);
  CU_ASSERT_TRUE (ams_trace_writer_commit (w, &error));
  ams_trace_writer_free (w);
  g_autofree char *text = NULL;
  CU_ASSERT_TRUE (g_file_get_contents (path, &text, NULL, NULL));
  CU_ASSERT_TRUE (g_str_has_prefix (text, "{\"t_s\": 0.000000, \"t_at\": "
                                          "\"1970-01-01T00:00:00.000Z\", \"kind\": \"invitation\""));
  CU_ASSERT_PTR_NOT_NULL (strstr (text, "\n{\"t_s\": 187200.000000, \"t_at\": "
                                        "\"1970-01-03T04:00:00.000Z\", \"kind\": \"event_refused\""));
  g_unlink (path);

  /* an account filter keeps the invitations that account answers */
  static const char *const accounts[] = { "999999999999", NULL };
  AmsTraceFilter a = { .accounts = accounts };
  w = ams_trace_writer_new (path, &a, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (w);
  CU_ASSERT_TRUE (ams_trace_writer_keeps (w, &sent_event));
  CU_ASSERT_FALSE (ams_trace_writer_keeps (w, &refused_event));
  ams_trace_writer_free (w);
  g_rmdir (tmp);
}

/* ---- narration ------------------------------------------------------------ */

static void
narrate (AmsNarrator *n, AmsTime t, AmsTraceKind kind, const char *image, const char *version,
         const char *trigger, AmsCause cause, const char *message)
{
  AmsTraceEvent ev = { .t = t, .kind = kind, .image = image, .version = version,
                       .account = "222222222222", .region = "us-east-1", .trigger = trigger,
                       .cause = cause, .message = message };
  if (trigger != NULL && strcmp (trigger, "dependency") == 0)
    ev.upstream = "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4";
  if (kind == AMS_TRACE_IMAGE_FAILED)
    ev.outputs = ev.failed = 1; /* as the engine ends a refused image */
  ams_narrator_event (n, &ev);
}

static void
test_supply_narration (void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  AmsNarrator *n = ams_narrator_new (out, 0, 24);

  /* invitations: sent (answered, or not by any account of the scenario),
   * accepted, rejected, expired */
  ams_narrator_event (n, &sent_event);
  AmsTraceEvent inv = { .t = 0, .kind = AMS_TRACE_INVITATION, .share = "golden-share",
                        .principal = "888888888888", .region = "us-east-1", .status = "SENT" };
  ams_narrator_event (n, &inv);
  inv = sent_event;
  inv.t = AMS_HOURS (1);
  inv.status = "ACCEPTED";
  ams_narrator_event (n, &inv);
  inv.principal = inv.account = "777777777777";
  inv.status = "REJECTED";
  ams_narrator_event (n, &inv);

  /* five dependent builds in an hour: three told, two counted */
  narrate (n, AMS_HOURS (2), AMS_TRACE_IMAGE_STARTED, "golden", "1.0.0/4", "schedule",
           AMS_CAUSE_NONE, NULL);
  static const char *const teams[] = { "team-a", "team-b", "team-c", "team-d", "team-e" };
  for (guint i = 0; i < G_N_ELEMENTS (teams); i++)
    narrate (n, AMS_HOURS (2) + AMS_MINUTES (50), AMS_TRACE_IMAGE_STARTED, teams[i], "1.0.0/3",
             "dependency", AMS_CAUSE_NONE, NULL);

  /* team-x refused: told once per cause until it builds again */
  const char *why = "recipe team-x uses component arn:aws:imagebuilder:us-east-1:111111111111:"
                    "component/hardening/1.x.x, not shared with 222222222222";
  narrate (n, AMS_HOURS (3), AMS_TRACE_IMAGE_STARTED, "team-x", "1.0.0/1", "dependency",
           AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_HOURS (3), AMS_TRACE_IMAGE_FAILED, "team-x", "1.0.0/1", "dependency",
           AMS_CAUSE_RESOURCE_NOT_SHARED, why);
  narrate (n, AMS_DAYS (1) + AMS_HOURS (3), AMS_TRACE_IMAGE_STARTED, "team-x", "1.0.0/2",
           "schedule", AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_DAYS (1) + AMS_HOURS (3), AMS_TRACE_IMAGE_FAILED, "team-x", "1.0.0/2",
           "schedule", AMS_CAUSE_RESOURCE_NOT_SHARED, why);
  narrate (n, AMS_DAYS (1) + AMS_HOURS (4), AMS_TRACE_IMAGE_STARTED, "team-x", "1.0.0/3",
           "schedule", AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_DAYS (1) + AMS_HOURS (4), AMS_TRACE_IMAGE_FAILED, "team-x", "1.0.0/3",
           "schedule", AMS_CAUSE_INVITATION_PENDING, "the invitation of 222222222222 to share "
           "golden-share is not accepted");
  narrate (n, AMS_DAYS (2) + AMS_HOURS (3), AMS_TRACE_IMAGE_STARTED, "team-x", "1.0.0/4",
           "schedule", AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_DAYS (2) + AMS_HOURS (3), AMS_TRACE_BUILD_STARTED, "team-x", "1.0.0/4", NULL,
           AMS_CAUSE_NONE, NULL);

  /* a what-if the service refuses; a pipeline still refused at the end;
   * the invitation nobody answers expires */
  ams_narrator_event (n, &refused_event);
  narrate (n, AMS_DAYS (2) + AMS_HOURS (5), AMS_TRACE_IMAGE_STARTED, "team-y", "1.0.0/1",
           "schedule", AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_DAYS (2) + AMS_HOURS (5), AMS_TRACE_IMAGE_FAILED, "team-y", "1.0.0/1",
           "schedule", AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED, "share golden-share does not allow "
           "external principals");
  inv = (AmsTraceEvent) { .t = AMS_DAYS (2) + AMS_HOURS (5), .kind = AMS_TRACE_INVITATION,
                          .share = "golden-share", .principal = "888888888888",
                          .region = "us-east-1", .status = "EXPIRED" };
  ams_narrator_event (n, &inv);
  ams_narrator_finish (n, AMS_DAYS (2) + AMS_HOURS (6));
  ams_narrator_free (n);
  fclose (out);
  g_autofree char *story = buf;
  const char *want =
    "day 1 00:00   share golden-share invites 999999999999 (answered by account 999999999999)\n"
    "day 1 00:00   share golden-share invites 888888888888 (no account of the scenario answers "
    "it)\n"
    "day 1 01:00   account 999999999999 accepts the invitation to share golden-share\n"
    "day 1 01:00   account 777777777777 rejects the invitation to share golden-share\n"
    "day 1 02:50   team-a 1.0.0/3 builds on "
    "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4 (new)\n"
    "day 1 02:50   team-b 1.0.0/3 builds on "
    "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4 (new)\n"
    "day 1 02:50   team-c 1.0.0/3 builds on "
    "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4 (new)\n"
    "              (… in that hour: 2 more dependent builds started)\n"
    "day 1 03:00   team-x 1.0.0/1 builds on "
    "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/4 (new)\n"
    "day 1 03:00   team-x 1.0.0/1 cannot build (resource_not_shared): recipe team-x uses "
    "component arn:aws:imagebuilder:us-east-1:111111111111:component/hardening/1.x.x, not "
    "shared with 222222222222\n"
    "day 2 04:00   team-x 1.0.0/3 cannot build (invitation_pending): the invitation of "
    "222222222222 to share golden-share is not accepted\n"
    "day 3 03:00   team-x builds again after 3 refused runs (2d00h)\n"
    "day 3 04:00   what-if refused: delete_resource 111111111111 us-east-1 "
    "(resource_still_shared): component golden-hardening is shared by golden-share\n"
    "day 3 05:00   team-y 1.0.0/1 cannot build (external_principal_denied): share golden-share "
    "does not allow external principals\n"
    "day 3 05:00   the invitation of 888888888888 to share golden-share expires unanswered\n"
    "day 3 06:00   the run ends with 7 images in flight, 1 pipeline whose builds are refused\n";
  if (strcmp (story, want) != 0)
    printf ("\n    got:\n%s", story);
  CU_ASSERT_STRING_EQUAL (story, want);
}

/* An image that fails with a supply-chain cause after its build started is
 * told as any failed image; a refusal without a message too; an event
 * applied without an action does not print "(null)". */
static void
test_supply_narration_other_failures (void)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream (&buf, &len);
  AmsNarrator *n = ams_narrator_new (out, 0, 24);
  narrate (n, 0, AMS_TRACE_IMAGE_STARTED, "p", "1.0.0/1", "schedule", AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_MINUTES (5), AMS_TRACE_IMAGE_FAILED, "p", "1.0.0/1", "schedule",
           AMS_CAUSE_RESOURCE_NOT_SHARED, NULL);
  narrate (n, AMS_MINUTES (6), AMS_TRACE_IMAGE_STARTED, "q", "1.0.0/1", "schedule",
           AMS_CAUSE_NONE, NULL);
  narrate (n, AMS_MINUTES (6), AMS_TRACE_BUILD_STARTED, "q", "1.0.0/1", NULL, AMS_CAUSE_NONE,
           NULL);
  narrate (n, AMS_MINUTES (7), AMS_TRACE_IMAGE_FAILED, "q", "1.0.0/1", "schedule",
           AMS_CAUSE_PARENT_AMI_NOT_SHARED, "the parent AMI has no launch permission");
  AmsTraceEvent applied = { .t = AMS_MINUTES (8), .kind = AMS_TRACE_EVENT_APPLIED,
                            .account = "111111111111" };
  ams_narrator_event (n, &applied);
  ams_narrator_finish (n, AMS_MINUTES (10));
  ams_narrator_free (n);
  fclose (out);
  g_autofree char *story = buf;
  CU_ASSERT_STRING_EQUAL (story,
                          "day 1 00:05   p 1.0.0/1 FAILED: 1 of 1 output failed "
                          "(resource_not_shared); 5m00s after it started\n"
                          "day 1 00:07   q 1.0.0/1 FAILED: 1 of 1 output failed "
                          "(parent_ami_not_shared); 1m00s after it started\n"
                          "day 1 00:08   what-if: ? 111111111111\n"
                          "day 1 00:10   the run ends\n");
}

/* ---- sweeps --------------------------------------------------------------- */

static void
test_supply_sweep (void)
{
  CU_ASSERT_STRING_EQUAL (ams_measure_name (AMS_MEASURE_RIPPLE_DELAY), "ripple_delay_s");
  CU_ASSERT_TRUE (ams_measure_is_time (AMS_MEASURE_RIPPLE_DELAY));
  CU_ASSERT_EQUAL (AMS_MEASURE_RIPPLE_DELAY, AMS_MEASURE_COUNT - 1); /* the last column */

  /* two points of two replications: the first has no ripple, the second
   * ripples of mean delay 1200 s and 1800 s */
  AmsResults r[4];
  for (guint i = 0; i < 4; i++)
    ams_results_init (&r[i]);
  ams_stat_add (&r[2].ripple_delay_s, 1200);
  ams_stat_add (&r[3].ripple_delay_s, 1500);
  ams_stat_add (&r[3].ripple_delay_s, 2100);
  CU_ASSERT_TRUE (isnan (ams_measure_value (AMS_MEASURE_RIPPLE_DELAY, &r[0])));
  CU_ASSERT_TRUE (close_to (ams_measure_value (AMS_MEASURE_RIPPLE_DELAY, &r[3]), 1800.0));
  const AmsResults *const rs[] = { &r[0], &r[1], &r[2], &r[3] };
  static const char *const axes[] = { "supply.shares[0].allowExternalPrincipals" };
  static const char *const values[] = { "false", "true" };
  const AmsRunInfo infos[] = { run_info, run_info };
  AmsSweepReport s = { .scenario = "hand", .scenario_file = "hand.yaml", .seed = 42,
                       .same_seed = TRUE, .replications = 2, .n_axes = 1, .axes = axes,
                       .n_points = 2, .values = values, .results = rs, .info = infos };

  g_autoptr (GString) csv = ams_report_sweep_csv (&s);
  g_auto (GStrv) lines = g_strsplit (csv->str, "\n", -1);
  CU_ASSERT_TRUE (g_str_has_suffix (lines[0], ",launches_failed,launches_failed_ci_low,"
                                              "launches_failed_ci_high,ripple_delay_s,"
                                              "ripple_delay_s_ci_low,ripple_delay_s_ci_high,"
                                              "last_copy_at"));
  /* no ripple: empty cells; no copy: no last_copy_at */
  CU_ASSERT_TRUE (g_str_has_suffix (lines[1], ",,,,"));
  g_auto (GStrv) all_cells = g_strsplit (lines[2], ",", -1);
  guint k = g_strv_length (all_cells);
  CU_ASSERT_EQUAL_FATAL (k, 3 + 3 * AMS_MEASURE_COUNT);
  CU_ASSERT_STRING_EQUAL (all_cells[k - 1], "");
  k--; /* the cells of the measures */
  char **cells = all_cells;
  /* mean 1500, sd 300 sqrt(2), t(0.975, 1) * sd / sqrt(2) = 300 t */
  CU_ASSERT_TRUE (close_to (g_ascii_strtod (cells[k - 3], NULL), 1500.0));
  CU_ASSERT_TRUE (close_to (g_ascii_strtod (cells[k - 2], NULL), 1500.0 - 300.0 * T975_DF1));
  CU_ASSERT_TRUE (close_to (g_ascii_strtod (cells[k - 1], NULL), 1500.0 + 300.0 * T975_DF1));

  g_autoptr (GString) json = ams_report_sweep_json (&s);
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("summary.json", json->str, -1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  const AmsValue *root = ams_value_doc_root (doc);
  const AmsValue *names = member (root, "measures");
  CU_ASSERT_FATAL (names != NULL && names->n == AMS_MEASURE_COUNT);
  CU_ASSERT_STRING_EQUAL (names->items[AMS_MEASURE_COUNT - 1]->text, "ripple_delay_s");
  const AmsValue *points = member (root, "points");
  CU_ASSERT_FATAL (points != NULL && points->n == 2);
  const AmsValue *first = member (points->items[0], "measures.ripple_delay_s.mean");
  CU_ASSERT_TRUE (first != NULL && first->kind == AMS_VALUE_NULL);
  check_number (points->items[1], "measures.ripple_delay_s.mean", 1500.0);
  check_interval (points->items[1], "measures.ripple_delay_s.ci95", 1500.0, 300.0 * sqrt (2.0),
                  2, T975_DF1);
  /* its summary: the mean of the replications' means */
  check_number (points->items[1], "summary.supply.delay_s.mean", 1500.0);

  /* the table shows the column when a point has it, and not otherwise */
  g_autoptr (GString) table = ams_report_sweep_table (&s);
  CU_ASSERT_PTR_NOT_NULL (strstr (table->str, "launches_failed  ripple_delay_s\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (table->str, " 25m00s ± 1h03m\n"));
  ams_stat_clear (&r[2].ripple_delay_s);
  ams_stat_clear (&r[3].ripple_delay_s);
  ams_stat_init (&r[2].ripple_delay_s);
  ams_stat_init (&r[3].ripple_delay_s);
  g_autoptr (GString) plain = ams_report_sweep_table (&s);
  CU_ASSERT_PTR_NULL (strstr (plain->str, "ripple_delay_s"));
  CU_ASSERT_PTR_NOT_NULL (strstr (plain->str, "launches_failed\n"));
  g_autoptr (GString) plain_csv = ams_report_sweep_csv (&s);
  CU_ASSERT_PTR_NOT_NULL (strstr (plain_csv->str, ",ripple_delay_s_ci_high,last_copy_at\n"));
  for (guint i = 0; i < 4; i++)
    ams_results_clear (&r[i]);
}

static const AmsTestCase cases[] = {
  { "test_supply_images_csv_columns", test_supply_images_csv_columns },
  { "test_supply_summary_one_run", test_supply_summary_one_run },
  { "test_supply_summary_zeros", test_supply_summary_zeros },
  { "test_supply_summary_replications", test_supply_summary_replications },
  { "test_supply_table_one_run", test_supply_table_one_run },
  { "test_supply_table_replications", test_supply_table_replications },
  { "test_supply_trace_lines", test_supply_trace_lines },
  { "test_supply_trace_kind_filter", test_supply_trace_kind_filter },
  { "test_supply_narration", test_supply_narration },
  { "test_supply_narration_other_failures", test_supply_narration_other_failures },
  { "test_supply_sweep", test_supply_sweep },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("supply", cases);
}
