/* summary.json: the machine-readable result of a run (SCENARIO.md §3).
 *
 * Field names are part of the contract; new fields may be added, none may be
 * renamed. Pools and storage are listed in (account, region) order so that the file is
 * byte-identical for the same scenario and seed, except for `wall_s`. */
#include <string.h>
#include "amisim/report.h"
#include "report/json.h"

static void
stat_object (AmsJson *j, const char *key, const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  ams_json_begin_object (j, key);
  ams_json_uint (j, "count", s.count);
  ams_json_double (j, "mean", s.mean);
  ams_json_double (j, "sd", s.sd);
  ams_json_double (j, "min", s.min);
  ams_json_double (j, "p50", s.p50);
  ams_json_double (j, "p90", s.p90);
  ams_json_double (j, "p99", s.p99);
  ams_json_double (j, "max", s.max);
  ams_json_end_object (j);
}

typedef struct
{
  const char *name;
  uint64_t count;
} Tally;

/* Most first, then by name: the order people read a breakdown in. */
static int
tally_cmp (gconstpointer a, gconstpointer b)
{
  const Tally *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp (x->name, y->name);
}

/* Adds `n` to the tally of `name` in `list` (indexed by `index`). */
static void
tally_add (GArray *list, GHashTable *index, const char *name, uint64_t n)
{
  gpointer at = g_hash_table_lookup (index, name);
  if (at == NULL)
    {
      Tally t = { name, 0 };
      g_array_append_val (list, t);
      at = GUINT_TO_POINTER (list->len);
      g_hash_table_insert (index, (gpointer) name, at);
    }
  g_array_index (list, Tally, GPOINTER_TO_UINT (at) - 1).count += n;
}

static void
tally_array (AmsJson *j, const char *key, const char *label, GArray *list)
{
  g_array_sort (list, tally_cmp);
  ams_json_begin_array (j, key);
  for (guint i = 0; i < list->len; i++)
    {
      const Tally *t = &g_array_index (list, Tally, i);
      ams_json_begin_object (j, NULL);
      ams_json_string (j, label, t->name);
      ams_json_uint (j, "count", t->count);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
}

/* "failures": one object per cause, most frequent first, each with its
 * breakdown by region and by account. */
static void
failures_array (AmsJson *j, const AmsResults *r)
{
  g_autoptr (GArray) causes = g_array_new (FALSE, FALSE, sizeof (Tally));
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    if (r->failures_by_cause[c] > 0)
      {
        Tally t = { ams_cause_name ((AmsCause) c), r->failures_by_cause[c] };
        g_array_append_val (causes, t);
      }
  g_array_sort (causes, tally_cmp);
  ams_json_begin_array (j, "failures");
  for (guint i = 0; i < causes->len; i++)
    {
      const Tally *ct = &g_array_index (causes, Tally, i);
      AmsCause cause;
      ams_cause_from_name (ct->name, &cause);
      g_autoptr (GArray) regions = g_array_new (FALSE, FALSE, sizeof (Tally));
      g_autoptr (GArray) accounts = g_array_new (FALSE, FALSE, sizeof (Tally));
      g_autoptr (GHashTable) ri = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr (GHashTable) ai = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint k = 0; k < r->failures->len; k++)
        {
          const AmsFailureCount *f = &g_array_index (r->failures, AmsFailureCount, k);
          if (f->cause != cause)
            continue;
          tally_add (regions, ri, f->region, f->count);
          tally_add (accounts, ai, f->account, f->count);
        }
      ams_json_begin_object (j, NULL);
      ams_json_string (j, "cause", ct->name);
      ams_json_uint (j, "count", ct->count);
      tally_array (j, "by_region", "region", regions);
      tally_array (j, "by_account", "account", accounts);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
}

/* "lifecycle": what the lifecycle policies' executions did. */
static void
lifecycle_object (AmsJson *j, const AmsResults *r)
{
  ams_json_begin_object (j, "lifecycle");
  ams_json_uint (j, "runs", r->lc_runs);
  ams_json_uint (j, "runs_failed", r->lc_runs_failed);
  ams_json_uint (j, "runs_busy", r->lc_runs_busy);
  ams_json_uint (j, "deprecated", r->lc_deprecated);
  ams_json_uint (j, "disabled", r->lc_disabled);
  ams_json_uint (j, "deleted", r->lc_deleted);
  ams_json_uint (j, "skipped", r->lc_skipped);
  ams_json_uint (j, "failed", r->lc_failed);
  ams_json_uint (j, "amis_deprecated", r->lc_amis_deprecated);
  ams_json_uint (j, "amis_disabled", r->lc_amis_disabled);
  ams_json_uint (j, "amis_deregistered", r->lc_amis_deregistered);
  ams_json_uint (j, "snapshots_deleted", r->lc_snapshots_deleted);
  ams_json_uint (j, "restored", r->lc_restored);
  stat_object (j, "execution_s", &r->lc_execution_s);
  ams_json_end_object (j);
}

/* "launches": consumers launching from the pipelines' AMIs. */
static void
launches_object (AmsJson *j, const AmsResults *r)
{
  ams_json_begin_object (j, "launches");
  ams_json_uint (j, "requested", r->launches);
  ams_json_uint (j, "succeeded", r->launches_ok);
  ams_json_uint (j, "failed_disabled", r->launches_disabled);
  ams_json_uint (j, "failed_deleted", r->launches_deleted);
  ams_json_uint (j, "failed_no_ami", r->launches_no_ami);
  ams_json_end_object (j);
}

/* A signed difference of counts, without wrapping. */
static int64_t
count_diff (uint64_t a, uint64_t b)
{
  return a >= b ? (int64_t) MIN (a - b, (uint64_t) G_MAXINT64)
                : -(int64_t) MIN (b - a, (uint64_t) G_MAXINT64);
}

/* "storage": snapshot storage and AMIs, overall and by (account, region);
 * with a comparison run, the same without lifecycle and what it saved. */
static void
storage_object (AmsJson *j, const AmsResults *r)
{
  ams_json_begin_object (j, "storage");
  ams_json_double (j, "snapshot_gib", r->storage_gib);
  ams_json_double (j, "snapshot_gib_max", r->storage_gib_max);
  ams_json_double (j, "gib_months", r->storage_gib_months);
  ams_json_double (j, "price_per_gib_month", r->storage_price);
  ams_json_double (j, "cost", r->storage_cost);
  ams_json_double (j, "recycle_bin_gib", r->recycle_bin_gib);
  ams_json_uint (j, "amis", r->amis);
  ams_json_uint (j, "amis_max_account_region", r->amis_max);
  ams_json_begin_array (j, "by_account_region");
  for (guint i = 0; r->storage != NULL && i < r->storage->len; i++)
    {
      const AmsStorageReport *s = &g_array_index (r->storage, AmsStorageReport, i);
      ams_json_begin_object (j, NULL);
      ams_json_string (j, "account", s->account);
      ams_json_string (j, "region", s->region);
      ams_json_uint (j, "amis", s->amis);
      ams_json_uint (j, "amis_max", s->amis_max);
      ams_json_double (j, "snapshot_gib", s->gib);
      ams_json_double (j, "gib_months", s->gib_months);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
  if (r->compared)
    {
      ams_json_begin_object (j, "without_lifecycle");
      ams_json_double (j, "snapshot_gib", r->baseline_gib);
      ams_json_double (j, "gib_months", r->baseline_gib_months);
      ams_json_double (j, "cost", r->baseline_cost);
      ams_json_uint (j, "amis", r->baseline_amis);
      ams_json_end_object (j);
      ams_json_begin_object (j, "saved");
      ams_json_double (j, "snapshot_gib", r->baseline_gib - r->storage_gib);
      ams_json_double (j, "gib_months", r->baseline_gib_months - r->storage_gib_months);
      ams_json_double (j, "cost", r->baseline_cost - r->storage_cost);
      ams_json_int (j, "amis", count_diff (r->baseline_amis, r->amis));
      ams_json_end_object (j);
    }
  ams_json_end_object (j);
}

GString *
ams_report_summary_json (const AmsResults *r, const AmsRunInfo *info)
{
  GString *out = g_string_sized_new (4096);
  AmsJson j;
  ams_json_init (&j, out);
  ams_json_begin_object (&j, NULL);
  ams_json_string (&j, "amisim_version", PACKAGE_VERSION);
  ams_json_string (&j, "scenario", info->scenario);
  ams_json_string (&j, "scenario_file", info->scenario_file);
  ams_json_uint (&j, "seed", r->seed);
  ams_json_uint (&j, "replications", info->replications);
  ams_json_double (&j, "horizon_s", ams_time_to_s (r->horizon));
  ams_json_double (&j, "simulated_s", ams_time_to_s (r->end));
  ams_json_uint (&j, "events", r->events);
  ams_json_double (&j, "wall_s", info->wall_s);

  ams_json_begin_object (&j, "images");
  ams_json_uint (&j, "started", r->images_started);
  ams_json_uint (&j, "available", r->images_available);
  ams_json_uint (&j, "failed", r->images_failed);
  ams_json_uint (&j, "in_flight", r->images_in_flight);
  ams_json_uint (&j, "runs_skipped", r->runs_skipped);
  ams_json_uint (&j, "builds_waited", r->builds_waited);
  ams_json_uint (&j, "pipelines_disabled", r->pipelines_disabled);
  stat_object (&j, "build_s", &r->build_s);
  stat_object (&j, "distribution_s", &r->distribution_s);
  stat_object (&j, "end_to_end_s", &r->end_to_end_s);
  ams_json_end_object (&j);

  ams_json_begin_object (&j, "copies");
  ams_json_uint (&j, "requested", r->copies_requested);
  ams_json_uint (&j, "succeeded", r->copies_succeeded);
  ams_json_uint (&j, "failed", r->copies_failed);
  ams_json_uint (&j, "in_flight", r->copies_in_flight);
  ams_json_uint (&j, "waited", r->copies_waited);
  ams_json_double (&j, "p_wait",
                   r->copies_requested > 0
                     ? (double) r->copies_waited / (double) r->copies_requested : 0.0);
  stat_object (&j, "wait_s", &r->wait_s);
  stat_object (&j, "transfer_s", &r->transfer_s);
  stat_object (&j, "total_s", &r->total_s);
  ams_json_end_object (&j);

  ams_json_begin_array (&j, "pools");
  for (guint i = 0; i < r->pools->len; i++)
    {
      const AmsPoolReport *p = &g_array_index (r->pools, AmsPoolReport, i);
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "account", p->account);
      ams_json_string (&j, "region", p->region);
      ams_json_uint (&j, "limit", p->limit);
      ams_json_uint (&j, "copies", p->copies);
      ams_json_uint (&j, "waited", p->waited);
      ams_json_double (&j, "utilization", p->utilization);
      ams_json_double (&j, "busy_mean", p->busy_mean);
      ams_json_uint (&j, "busy_max", p->busy_max);
      ams_json_double (&j, "queue_mean", p->queue_mean);
      ams_json_uint (&j, "queue_max", p->queue_max);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);

  ams_json_uint (&j, "failures_total", r->failures_total);
  failures_array (&j, r);
  lifecycle_object (&j, r);
  launches_object (&j, r);
  storage_object (&j, r);
  ams_json_bool (&j, "timeseries_truncated", info->timeseries_truncated);
  ams_json_end_object (&j);
  return out;
}
