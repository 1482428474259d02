/* summary.json: the machine-readable result of a run (SCENARIO.md §3).
 *
 * Field names are part of the contract; new fields may be added, none may be
 * renamed. Pools and storage are listed in (account, region) order so that the file is
 * byte-identical for the same scenario and seed, except for `wall_s`.
 *
 * One writer serves a single run and several replications of it (report.h,
 * "replications"): every figure goes through figure() or stat_object(),
 * which write the run's own value when there is one replication, and the
 * mean over replications (with its interval where report.h says) when
 * there are several, so the two shapes cannot drift apart. */
#include <math.h>
#include <string.h>
#include "amisim/report.h"
#include "report/aggregate.h"
#include "report/json.h"

typedef struct
{
  AmsJson *j;
  const AmsResults *const *r; /* r[0..n-1]: the replications */
  guint n;
} Out;

typedef enum
{
  FIG_UINT,   /* a count */
  FIG_INT,    /* a signed count */
  FIG_DOUBLE,
} FigKind;

typedef enum
{
  NO_CI,
  CI,         /* with several replications, also KEY_ci95 */
} Ci;

static void
interval (Out *o, const char *key, const AmsAgg *a)
{
  g_autofree char *k = g_strconcat (key, "_ci95", NULL);
  ams_json_pair (o->j, k, a->low, a->high);
}

/* One figure given by its aggregate: with one replication, its value as the
 * run measured it; with several, the mean (and its interval with CI). */
static void
figure (Out *o, const char *key, const AmsAgg *a, FigKind kind, Ci ci)
{
  if (o->n == 1)
    {
      switch (kind)
        {
        case FIG_UINT:
          ams_json_uint (o->j, key, (uint64_t) a->mean);
          break;
        case FIG_INT:
          ams_json_int (o->j, key, (int64_t) a->mean);
          break;
        case FIG_DOUBLE:
          ams_json_double (o->j, key, a->mean);
          break;
        }
      return;
    }
  ams_json_double (o->j, key, a->mean);
  if (ci == CI)
    interval (o, key, a);
}

/* A figure from one value per replication (v[0..n-1]). */
static void
figure_of (Out *o, const char *key, const double *v, FigKind kind, Ci ci)
{
  AmsAgg a;
  ams_agg_of (&a, v, o->n);
  figure (o, key, &a, kind, ci);
}

/* A uint64_t field of the results, given by its address in r[0]. */
static void
count (Out *o, const char *key, const uint64_t *first, Ci ci)
{
  AmsAgg a;
  if (o->n == 1)
    {
      ams_json_uint (o->j, key, *first); /* exact, whatever its size */
      return;
    }
  ams_agg_u64 (&a, o->r, o->n, first);
  figure (o, key, &a, FIG_UINT, ci);
}

/* A double field of the results, given by its address in r[0]. */
static void
real (Out *o, const char *key, const double *first, Ci ci)
{
  AmsAgg a;
  ams_agg_double (&a, o->r, o->n, first);
  figure (o, key, &a, FIG_DOUBLE, ci);
}

/* Seconds from a time of the results. */
static void
seconds (Out *o, const char *key, const AmsTime *first, Ci ci)
{
  gsize off = (gsize) ((const char *) first - (const char *) o->r[0]);
  g_autofree double *v = g_new (double, o->n);
  for (guint i = 0; i < o->n; i++)
    {
      AmsTime t = *(const AmsTime *) (const void *) ((const char *) o->r[i] + off);
      v[i] = t == AMS_TIME_NEVER ? NAN : ams_time_to_s (t);
    }
  figure_of (o, key, v, FIG_DOUBLE, ci);
}

/* copies.last_end_at: last_end_s as an instant (the mean's, with
 * replications); null when no copy ended. */
static void
last_end_at (Out *o, AmsTime start)
{
  char iso[AMS_ISO_TIME_LEN];
  if (o->n == 1)
    {
      ams_json_iso (o->j, "last_end_at", ams_iso_time (iso, start, o->r[0]->last_copy));
      return;
    }
  g_autofree double *v = g_new (double, o->n);
  for (guint i = 0; i < o->n; i++)
    v[i] = o->r[i]->last_copy == AMS_TIME_NEVER ? NAN : ams_time_to_s (o->r[i]->last_copy);
  AmsAgg a;
  ams_agg_of (&a, v, o->n);
  ams_json_iso (o->j, "last_end_at", ams_iso_time_s (iso, start, a.mean));
}

static void
stat_object (Out *o, const char *key, const AmsStat *first)
{
  ams_json_begin_object (o->j, key);
  if (o->n == 1)
    {
      AmsStatSummary s;
      ams_stat_summary (first, &s);
      /* nothing observed: the count 0, every other figure null (not 0) */
      double none = s.count > 0 ? 0.0 : NAN;
      ams_json_uint (o->j, "count", s.count);
      ams_json_double (o->j, "mean", s.mean + none);
      ams_json_double (o->j, "sd", s.sd + none);
      ams_json_double (o->j, "min", s.min + none);
      ams_json_double (o->j, "p50", s.p50 + none);
      ams_json_double (o->j, "p90", s.p90 + none);
      ams_json_double (o->j, "p99", s.p99 + none);
      ams_json_double (o->j, "max", s.max + none);
    }
  else
    {
      AmsAggStat s;
      ams_agg_stat (&s, o->r, o->n, first);
      ams_json_double (o->j, "count", s.count.mean);
      ams_json_double (o->j, "mean", s.mean.mean);
      ams_json_double (o->j, "sd", s.sd.mean);
      ams_json_double (o->j, "min", s.min.mean);
      ams_json_double (o->j, "p50", s.p50.mean);
      ams_json_double (o->j, "p90", s.p90.mean);
      ams_json_double (o->j, "p99", s.p99.mean);
      ams_json_double (o->j, "max", s.max.mean);
      ams_json_pair (o->j, "mean_ci95", s.mean.low, s.mean.high);
    }
  ams_json_end_object (o->j);
}

typedef struct
{
  const char *name;
  double count;
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
tally_add (GArray *list, GHashTable *index, const char *name, double n)
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
tally_array (Out *o, const char *key, const char *label, GArray *list)
{
  g_array_sort (list, tally_cmp);
  ams_json_begin_array (o->j, key);
  for (guint i = 0; i < list->len; i++)
    {
      const Tally *t = &g_array_index (list, Tally, i);
      ams_json_begin_object (o->j, NULL);
      ams_json_string (o->j, label, t->name);
      AmsAgg a = { .mean = t->count, .n = o->n };
      figure (o, "count", &a, FIG_UINT, NO_CI);
      ams_json_end_object (o->j);
    }
  ams_json_end_array (o->j);
}

/* "failures": one object per cause, most frequent first, each with its
 * breakdown by region and by account. */
static void
failures_array (Out *o)
{
  AmsAgg by_cause[AMS_CAUSE_COUNT];
  g_autofree double *v = g_new (double, o->n);
  g_autoptr (GArray) causes = g_array_new (FALSE, FALSE, sizeof (Tally));
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    {
      for (guint i = 0; i < o->n; i++)
        v[i] = (double) o->r[i]->failures_by_cause[c];
      ams_agg_of (&by_cause[c], v, o->n);
      if (by_cause[c].mean > 0)
        {
          Tally t = { ams_cause_name ((AmsCause) c), by_cause[c].mean };
          g_array_append_val (causes, t);
        }
    }
  g_array_sort (causes, tally_cmp);
  g_autoptr (GArray) all = ams_agg_failures (o->r, o->n);
  ams_json_begin_array (o->j, "failures");
  for (guint i = 0; i < causes->len; i++)
    {
      const Tally *ct = &g_array_index (causes, Tally, i);
      AmsCause cause;
      ams_cause_from_name (ct->name, &cause);
      g_autoptr (GArray) regions = g_array_new (FALSE, FALSE, sizeof (Tally));
      g_autoptr (GArray) accounts = g_array_new (FALSE, FALSE, sizeof (Tally));
      g_autoptr (GHashTable) ri = g_hash_table_new (g_str_hash, g_str_equal);
      g_autoptr (GHashTable) ai = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint k = 0; k < all->len; k++)
        {
          const AmsAggFailure *f = &g_array_index (all, AmsAggFailure, k);
          if (f->cause != cause)
            continue;
          tally_add (regions, ri, f->region, f->count.mean);
          tally_add (accounts, ai, f->account, f->count.mean);
        }
      ams_json_begin_object (o->j, NULL);
      ams_json_string (o->j, "cause", ct->name);
      figure (o, "count", &by_cause[cause], FIG_UINT, CI);
      tally_array (o, "by_region", "region", regions);
      tally_array (o, "by_account", "account", accounts);
      ams_json_end_object (o->j);
    }
  ams_json_end_array (o->j);
}

/* "lifecycle": what the lifecycle policies' executions did. */
static void
lifecycle_object (Out *o)
{
  const AmsResults *r = o->r[0];
  ams_json_begin_object (o->j, "lifecycle");
  count (o, "runs", &r->lc_runs, CI);
  count (o, "runs_failed", &r->lc_runs_failed, CI);
  count (o, "runs_busy", &r->lc_runs_busy, CI);
  count (o, "deprecated", &r->lc_deprecated, CI);
  count (o, "disabled", &r->lc_disabled, CI);
  count (o, "deleted", &r->lc_deleted, CI);
  count (o, "skipped", &r->lc_skipped, CI);
  count (o, "failed", &r->lc_failed, CI);
  count (o, "amis_deprecated", &r->lc_amis_deprecated, CI);
  count (o, "amis_disabled", &r->lc_amis_disabled, CI);
  count (o, "amis_deregistered", &r->lc_amis_deregistered, CI);
  count (o, "snapshots_deleted", &r->lc_snapshots_deleted, CI);
  count (o, "restored", &r->lc_restored, CI);
  stat_object (o, "execution_s", &r->lc_execution_s);
  ams_json_end_object (o->j);
}

/* "launches": consumers launching from the pipelines' AMIs. */
static void
launches_object (Out *o)
{
  const AmsResults *r = o->r[0];
  ams_json_begin_object (o->j, "launches");
  count (o, "requested", &r->launches, CI);
  count (o, "succeeded", &r->launches_ok, CI);
  count (o, "failed_disabled", &r->launches_disabled, CI);
  count (o, "failed_deleted", &r->launches_deleted, CI);
  count (o, "failed_no_ami", &r->launches_no_ami, CI);
  count (o, "failed_key_denied", &r->launches_key_denied, CI);
  ams_json_end_object (o->j);
}

/* "supply": the supply chain (RAM sharing of components, images and
 * recipes; the ripples of builds through recipes that use other pipelines'
 * images). Always there: zeros without a supply chain. `size` is a stats
 * object of counts (dependent builds per ripple), `delay_s` of seconds. */
static void
supply_object (Out *o)
{
  const AmsResults *r = o->r[0];
  ams_json_begin_object (o->j, "supply");
  count (o, "ripples", &r->ripples, CI);
  count (o, "dependent_images", &r->ripple_images, CI);
  count (o, "dependent_available", &r->ripple_available, CI);
  count (o, "dependent_failed", &r->ripple_failed, CI);
  stat_object (o, "size", &r->ripple_size);
  stat_object (o, "delay_s", &r->ripple_delay_s);
  g_autofree double *v = g_new (double, o->n);
  for (guint i = 0; i < o->n; i++)
    v[i] = o->r[i]->ripple_depth_max;
  figure_of (o, "depth_max", v, FIG_UINT, CI);
  count (o, "builds_blocked", &r->builds_blocked, CI);
  ams_json_begin_object (o->j, "invitations");
  count (o, "sent", &r->invitations_sent, CI);
  count (o, "accepted", &r->invitations_accepted, CI);
  count (o, "rejected", &r->invitations_rejected, CI);
  count (o, "expired", &r->invitations_expired, CI);
  ams_json_end_object (o->j);
  count (o, "events_refused", &r->events_refused, CI);
  ams_json_end_object (o->j);
}

/* A signed difference of counts, without wrapping. */
static int64_t
count_diff (uint64_t a, uint64_t b)
{
  return a >= b ? (int64_t) MIN (a - b, (uint64_t) G_MAXINT64)
                : -(int64_t) MIN (b - a, (uint64_t) G_MAXINT64);
}

/* What lifecycle saved, replication by replication (each compared with
 * the same replication without lifecycle: common random numbers). */
typedef enum
{
  SAVED_GIB,
  SAVED_GIB_MONTHS,
  SAVED_COST,
  SAVED_AMIS,
} Saved;

static void
saved (Out *o, const char *key, Saved what)
{
  g_autofree double *v = g_new (double, o->n);
  for (guint i = 0; i < o->n; i++)
    {
      const AmsResults *r = o->r[i];
      switch (what)
        {
        case SAVED_GIB:
          v[i] = r->baseline_gib - r->storage_gib;
          break;
        case SAVED_GIB_MONTHS:
          v[i] = r->baseline_gib_months - r->storage_gib_months;
          break;
        case SAVED_COST:
          v[i] = r->baseline_cost - r->storage_cost;
          break;
        case SAVED_AMIS:
          v[i] = (double) count_diff (r->baseline_amis, r->amis);
          break;
        }
    }
  if (o->n == 1 && what == SAVED_AMIS)
    ams_json_int (o->j, key, count_diff (o->r[0]->baseline_amis, o->r[0]->amis));
  else
    figure_of (o, key, v, what == SAVED_AMIS ? FIG_INT : FIG_DOUBLE, CI);
}

/* "storage": snapshot storage and AMIs, overall and by (account, region);
 * with a comparison run, the same without lifecycle and what it saved. */
/* copies.days: each calendar day (UTC) on which copies ended, and when the
 * last of them ended, in simulated time, clock time and time of day. */
static void
days_array (Out *o)
{
  g_autoptr (GArray) days = ams_agg_days (o->r, o->n);
  ams_json_begin_array (o->j, "days");
  for (guint i = 0; i < days->len; i++)
    {
      const AmsAggDay *d = &g_array_index (days, AmsAggDay, i);
      char date[AMS_CLOCK_LEN], at[AMS_ISO_TIME_LEN];
      ams_clock_date (date, d->day);
      ams_iso_time_s (at, o->r[0]->start, d->last_s.mean);
      ams_json_begin_object (o->j, NULL);
      ams_json_string (o->j, "day", date);
      figure (o, "copies", &d->copies, FIG_UINT, CI);
      figure (o, "last_end_s", &d->last_s, FIG_DOUBLE, CI);
      ams_json_string (o->j, "last_end_at", at);
      figure (o, "last_end_of_day_s", &d->last_of_day_s, FIG_DOUBLE, CI);
      if (o->n > 1)
        ams_json_uint (o->j, "replications", d->last_s.n);
      ams_json_end_object (o->j);
    }
  ams_json_end_array (o->j);
}

static void
storage_object (Out *o)
{
  const AmsResults *r = o->r[0];
  ams_json_begin_object (o->j, "storage");
  real (o, "snapshot_gib", &r->storage_gib, CI);
  real (o, "snapshot_gib_max", &r->storage_gib_max, CI);
  real (o, "gib_months", &r->storage_gib_months, CI);
  real (o, "price_per_gib_month", &r->storage_price, NO_CI);
  real (o, "cost", &r->storage_cost, CI);
  g_autofree double *rate = g_new (double, o->n);
  for (guint i = 0; i < o->n; i++)
    rate[i] = o->r[i]->storage_gib * o->r[i]->storage_price;
  figure_of (o, "cost_per_month_at_end", rate, FIG_DOUBLE, CI);
  real (o, "recycle_bin_gib", &r->recycle_bin_gib, CI);
  count (o, "amis", &r->amis, CI);
  g_autofree double *v = g_new (double, o->n);
  for (guint i = 0; i < o->n; i++)
    v[i] = o->r[i]->amis_max;
  figure_of (o, "amis_max_account_region", v, FIG_UINT, CI);
  g_autoptr (GArray) places = ams_agg_storage (o->r, o->n);
  ams_json_begin_array (o->j, "by_account_region");
  for (guint i = 0; i < places->len; i++)
    {
      const AmsAggStorage *s = &g_array_index (places, AmsAggStorage, i);
      ams_json_begin_object (o->j, NULL);
      ams_json_string (o->j, "account", s->account);
      ams_json_string (o->j, "region", s->region);
      figure (o, "amis", &s->amis, FIG_UINT, NO_CI);
      figure (o, "amis_max", &s->amis_max, FIG_UINT, NO_CI);
      figure (o, "snapshot_gib", &s->gib, FIG_DOUBLE, NO_CI);
      figure (o, "gib_months", &s->gib_months, FIG_DOUBLE, NO_CI);
      ams_json_end_object (o->j);
    }
  ams_json_end_array (o->j);
  if (r->compared) /* the same for every replication: set by the scenario */
    {
      ams_json_begin_object (o->j, "without_lifecycle");
      real (o, "snapshot_gib", &r->baseline_gib, CI);
      real (o, "gib_months", &r->baseline_gib_months, CI);
      real (o, "cost", &r->baseline_cost, CI);
      count (o, "amis", &r->baseline_amis, CI);
      ams_json_end_object (o->j);
      ams_json_begin_object (o->j, "saved");
      saved (o, "snapshot_gib", SAVED_GIB);
      saved (o, "gib_months", SAVED_GIB_MONTHS);
      saved (o, "cost", SAVED_COST);
      saved (o, "amis", SAVED_AMIS);
      ams_json_end_object (o->j);
    }
  ams_json_end_object (o->j);
}

static void
pools_array (Out *o)
{
  g_autoptr (GArray) pools = ams_agg_pools (o->r, o->n);
  ams_json_begin_array (o->j, "pools");
  for (guint i = 0; i < pools->len; i++)
    {
      const AmsAggPool *p = &g_array_index (pools, AmsAggPool, i);
      ams_json_begin_object (o->j, NULL);
      ams_json_string (o->j, "account", p->account);
      ams_json_string (o->j, "region", p->region);
      ams_json_uint (o->j, "limit", p->limit);
      figure (o, "copies", &p->copies, FIG_UINT, NO_CI);
      figure (o, "waited", &p->waited, FIG_UINT, NO_CI);
      figure (o, "utilization", &p->utilization, FIG_DOUBLE, CI);
      figure (o, "busy_mean", &p->busy_mean, FIG_DOUBLE, NO_CI);
      figure (o, "busy_max", &p->busy_max, FIG_UINT, NO_CI);
      figure (o, "queue_mean", &p->queue_mean, FIG_DOUBLE, CI);
      figure (o, "queue_max", &p->queue_max, FIG_UINT, NO_CI);
      figure (o, "at_limit_s", &p->at_limit_s, FIG_DOUBLE, CI);
      figure (o, "at_limit", &p->at_limit, FIG_DOUBLE, CI);
      figure (o, "wait_max_s", &p->wait_max_s, FIG_DOUBLE, NO_CI);
      ams_json_end_object (o->j);
    }
  ams_json_end_array (o->j);
}

void
ams_report_summary_write (AmsJson *j, const char *key, const AmsResults *const *rs, guint n,
                          const AmsRunInfo *info)
{
  g_return_if_fail (rs != NULL && n >= 1);
  Out out = { j, rs, n };
  Out *o = &out;
  const AmsResults *r = rs[0];
  g_autofree double *v = g_new (double, n);

  ams_json_begin_object (j, key);
  ams_json_string (j, "amisim_version", PACKAGE_VERSION);
  ams_json_string (j, "scenario", info->scenario);
  ams_json_string (j, "scenario_file", info->scenario_file);
  ams_json_uint (j, "seed", r->seed);
  char iso[AMS_ISO_TIME_LEN];
  ams_json_iso (j, "start", ams_iso_time (iso, info->start, 0)); /* the clock at 0 s */
  ams_json_uint (j, "replications", n);
  ams_json_double (j, "horizon_s", ams_time_to_s (r->horizon));
  ams_json_double (j, "warmup_s", ams_time_to_s (r->warmup));
  seconds (o, "simulated_s", &r->end, NO_CI);
  count (o, "events", &r->events, NO_CI);
  ams_json_double (j, "wall_s", info->wall_s);

  ams_json_begin_object (j, "images");
  count (o, "started", &r->images_started, CI);
  count (o, "available", &r->images_available, CI);
  count (o, "failed", &r->images_failed, CI);
  count (o, "in_flight", &r->images_in_flight, CI);
  count (o, "runs_skipped", &r->runs_skipped, CI);
  count (o, "builds_waited", &r->builds_waited, CI);
  count (o, "pipelines_disabled", &r->pipelines_disabled, CI);
  stat_object (o, "build_s", &r->build_s);
  stat_object (o, "distribution_s", &r->distribution_s);
  stat_object (o, "end_to_end_s", &r->end_to_end_s);
  ams_json_end_object (j);

  ams_json_begin_object (j, "copies");
  count (o, "requested", &r->copies_requested, CI);
  count (o, "succeeded", &r->copies_succeeded, CI);
  count (o, "failed", &r->copies_failed, CI);
  count (o, "in_flight", &r->copies_in_flight, CI);
  count (o, "waited", &r->copies_waited, CI);
  for (guint i = 0; i < n; i++)
    v[i] = rs[i]->copies_requested > 0
             ? (double) rs[i]->copies_waited / (double) rs[i]->copies_requested
             : n == 1 ? 0.0 : NAN;
  figure_of (o, "p_wait", v, FIG_DOUBLE, CI);
  seconds (o, "last_end_s", &r->last_copy, CI);
  last_end_at (o, info->start);
  days_array (o);
  stat_object (o, "wait_s", &r->wait_s);
  stat_object (o, "transfer_s", &r->transfer_s);
  stat_object (o, "total_s", &r->total_s);
  ams_json_end_object (j);

  pools_array (o);

  count (o, "failures_total", &r->failures_total, CI);
  failures_array (o);
  lifecycle_object (o);
  launches_object (o);
  storage_object (o);
  supply_object (o);
  /* timeseries.csv is replication 0's */
  ams_json_bool (j, "timeseries_truncated", info->timeseries_truncated);
  ams_json_end_object (j);
}

GString *
ams_report_summary_json_n (const AmsResults *const *r, guint n, const AmsRunInfo *info)
{
  GString *out = g_string_sized_new (4096);
  AmsJson j;
  ams_json_init (&j, out);
  ams_report_summary_write (&j, NULL, r, n, info);
  return out;
}

GString *
ams_report_summary_json (const AmsResults *r, const AmsRunInfo *info)
{
  return ams_report_summary_json_n (&r, 1, info);
}
