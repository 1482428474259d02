/* The readable table a run prints on stdout: what happened, how long it
 * took, what lifecycle policies did, what snapshots cost, and where copies
 * queued. Meant for people; scripts read
 * summary.json (or --json). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "amisim/report.h"
#include "report/aggregate.h"

char *
ams_report_format_seconds (double s)
{
  if (!isfinite (s))
    return g_strdup ("-");
  if (s < 0)
    {
      g_autofree char *pos = ams_report_format_seconds (-s);
      return g_strdup_printf ("-%s", pos);
    }
  if (s < 60.0)
    return g_strdup_printf ("%.1fs", s);
  double r = floor (s + 0.5);
  if (r < 3600.0)
    return g_strdup_printf ("%dm%02ds", (int) (r / 60), (int) fmod (r, 60));
  if (r < 86400.0)
    return g_strdup_printf ("%dh%02dm", (int) (r / 3600), (int) fmod (r / 60, 60));
  return g_strdup_printf ("%dd%02dh", (int) (r / 86400), (int) fmod (r / 3600, 24));
}

static void
stat_row (GString *out, const char *label, const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  g_string_append_printf (out, "  %-16s %9" G_GUINT64_FORMAT, label, (guint64) s.count);
  const double v[] = { s.mean, s.p50, s.p90, s.p99, s.max };
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autofree char *f = s.count ? ams_report_format_seconds (v[i]) : g_strdup ("-");
      g_string_append_printf (out, " %9s", f);
    }
  g_string_append_c (out, '\n');
}

/* "03:12:45" of seconds since midnight */
static char *
time_of_day (double s)
{
  int t = (int) floor (s);
  return g_strdup_printf ("%02d:%02d:%02d", t / 3600, t / 60 % 60, t % 60);
}

static int
double_cmp (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* When each day's last copy ended, in clock time (UTC): every day when
 * there are at most a week of them, else the latest, the median and the
 * earliest; over replications, the means (± the half-width of their
 * interval when listed). */
static void
days_line (GString *out, const AmsResults *const *r, guint n)
{
  g_autoptr (GArray) days = ams_agg_days (r, n);
  if (days->len == 0)
    return;
  g_string_append_printf (out, "\nlast copy of the day (UTC%s", n > 1 ? ", means" : "");
  if (days->len <= 7)
    {
      g_string_append (out, ")");
      for (guint i = 0; i < days->len; i++)
        {
          const AmsAggDay *d = &g_array_index (days, AmsAggDay, i);
          char date[AMS_CLOCK_LEN];
          ams_clock_date (date, d->day);
          g_autofree char *t = time_of_day (d->last_of_day_s.mean);
          g_string_append_printf (out, "  %s %s", date, t);
          double half = ams_agg_half (&d->last_of_day_s);
          if (!isnan (half))
            {
              g_autofree char *h = ams_report_format_seconds (half);
              g_string_append_printf (out, " ± %s", h);
            }
        }
      g_string_append_c (out, '\n');
      return;
    }
  g_autofree double *tod = g_new (double, days->len);
  const AmsAggDay *late = NULL, *early = NULL;
  for (guint i = 0; i < days->len; i++)
    {
      const AmsAggDay *d = &g_array_index (days, AmsAggDay, i);
      tod[i] = d->last_of_day_s.mean;
      if (late == NULL || d->last_of_day_s.mean > late->last_of_day_s.mean)
        late = d;
      if (early == NULL || d->last_of_day_s.mean < early->last_of_day_s.mean)
        early = d;
    }
  qsort (tod, days->len, sizeof *tod, double_cmp);
  char late_date[AMS_CLOCK_LEN], early_date[AMS_CLOCK_LEN];
  ams_clock_date (late_date, late->day);
  ams_clock_date (early_date, early->day);
  g_autofree char *l = time_of_day (late->last_of_day_s.mean);
  g_autofree char *m = time_of_day (tod[(days->len - 1) / 2]);
  g_autofree char *e = time_of_day (early->last_of_day_s.mean);
  g_string_append_printf (out, ", %u days with copies)  latest %s on %s  median %s  "
                               "earliest %s on %s\n",
                          days->len, l, late_date, m, e, early_date);
}

static double
percent (uint64_t part, uint64_t whole)
{
  return whole ? 100.0 * (double) part / (double) whole : 0.0;
}

/* A number for people, with thousands separated by commas and `decimals`
 * fixed decimals: "1,234.5". The same bytes whatever the locale; never "-0.0".
 * Free with g_free. */
static char *
grouped (double v, guint decimals)
{
  if (!isfinite (v))
    return g_strdup ("-");
  char fmt[8], buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_snprintf (fmt, sizeof fmt, "%%.%uf", MIN (decimals, 9u));
  g_ascii_formatd (buf, sizeof buf, fmt, v);
  const char *digits = buf;
  gboolean negative = *digits == '-';
  if (negative)
    digits++;
  if (strspn (digits, "0.") == strlen (digits))
    negative = FALSE;
  size_t int_len = strcspn (digits, ".");
  GString *out = g_string_new (negative ? "-" : "");
  for (size_t i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  g_string_append (out, digits + int_len);
  return g_string_free (out, FALSE);
}

/* Dollars for people: "$1,234.50", "-$3.10". Free with g_free. */
static char *
money (double v)
{
  g_autofree char *n = grouped (v, 2);
  return n[0] == '-' ? g_strdup_printf ("-$%s", n + 1) : g_strdup_printf ("$%s", n);
}

static char *
grouped_count (uint64_t n)
{
  /* exact for any count: no detour through double */
  char buf[24];
  g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT, (guint64) n);
  size_t len = strlen (buf);
  GString *out = g_string_new (NULL);
  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, buf[i]);
    }
  return g_string_free (out, FALSE);
}

static gboolean
lifecycle_happened (const AmsResults *r)
{
  return r->lc_runs || r->lc_runs_failed || r->lc_runs_busy || r->lc_deprecated
         || r->lc_disabled || r->lc_deleted || r->lc_amis_deprecated || r->lc_amis_disabled
         || r->lc_amis_deregistered || r->lc_snapshots_deleted || r->lc_skipped || r->lc_failed
         || r->lc_restored;
}

/* "lifecycle": policy runs and what they did to images, AMIs and snapshots. */
static void
lifecycle_section (GString *out, const AmsResults *r)
{
  g_string_append_printf (out, "\nlifecycle  runs %" G_GUINT64_FORMAT "  failed %" G_GUINT64_FORMAT,
                          (guint64) r->lc_runs, (guint64) r->lc_runs_failed);
  if (r->lc_runs_busy)
    g_string_append_printf (out, "  not started (previous run still going) %" G_GUINT64_FORMAT,
                            (guint64) r->lc_runs_busy);
  AmsStatSummary ex;
  ams_stat_summary (&r->lc_execution_s, &ex);
  if (ex.count > 0)
    {
      g_autofree char *mean = ams_report_format_seconds (ex.mean);
      g_autofree char *max = ams_report_format_seconds (ex.max);
      g_string_append_printf (out, "  execution mean %s, max %s", mean, max);
    }
  g_string_append_printf (out,
                          "\n  %-10s deprecated %" G_GUINT64_FORMAT "  disabled %" G_GUINT64_FORMAT
                          "  deleted %" G_GUINT64_FORMAT "\n",
                          "images", (guint64) r->lc_deprecated, (guint64) r->lc_disabled,
                          (guint64) r->lc_deleted);
  g_string_append_printf (out,
                          "  %-10s deprecated %" G_GUINT64_FORMAT "  disabled %" G_GUINT64_FORMAT
                          "  deregistered %" G_GUINT64_FORMAT,
                          "AMIs", (guint64) r->lc_amis_deprecated, (guint64) r->lc_amis_disabled,
                          (guint64) r->lc_amis_deregistered);
  if (r->lc_restored)
    g_string_append_printf (out, "  restored from the Recycle Bin %" G_GUINT64_FORMAT,
                            (guint64) r->lc_restored);
  g_string_append_printf (out,
                          "\n  %-10s deleted %" G_GUINT64_FORMAT "\n"
                          "  %-10s skipped %" G_GUINT64_FORMAT "  failed %" G_GUINT64_FORMAT "\n",
                          "snapshots", (guint64) r->lc_snapshots_deleted, "resources",
                          (guint64) r->lc_skipped, (guint64) r->lc_failed);
}

/* "launches": consumers launching from the pipelines' AMIs. */
static void
launches_section (GString *out, const AmsResults *r)
{
  g_autofree char *asked = grouped_count (r->launches);
  g_autofree char *ok = grouped_count (r->launches_ok);
  g_autofree char *dis = grouped_count (r->launches_disabled);
  g_autofree char *del = grouped_count (r->launches_deleted);
  g_autofree char *none = grouped_count (r->launches_no_ami);
  g_autofree char *pct = grouped (percent (r->launches_ok, r->launches), 1);
  g_string_append_printf (out,
                          "\nlaunches  requested %s  succeeded %s (%s%%)  failed: AMI disabled %s"
                          "  AMI deregistered %s  no usable AMI %s",
                          asked, ok, pct, dis, del, none);
  if (r->launches_key_denied > 0)
    {
      g_autofree char *key = grouped_count (r->launches_key_denied);
      g_string_append_printf (out, "  key denies %s", key);
    }
  g_string_append_c (out, '\n');
}

/* "storage": snapshot GiB, GiB-months and their cost, AMIs against the
 * quota; with a comparison run, the run without lifecycle and the savings. */
static void
storage_section (GString *out, const AmsResults *r, const AmsRunInfo *info)
{
  g_autofree char *gib = grouped (r->storage_gib, 1);
  g_autofree char *gib_max = grouped (r->storage_gib_max, 1);
  g_autofree char *months = grouped (r->storage_gib_months, 1);
  g_autofree char *cost = money (r->storage_cost);
  char price[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (price, sizeof price, "%.6g", r->storage_price);
  g_string_append_printf (out, "\nstorage  snapshots %s GiB at end (max %s GiB", gib, gib_max);
  if (r->recycle_bin_gib > 0)
    {
      g_autofree char *bin = grouped (r->recycle_bin_gib, 1);
      g_string_append_printf (out, "; %s GiB in the Recycle Bin", bin);
    }
  g_autofree char *rate = money (r->storage_gib * r->storage_price);
  g_string_append_printf (out, ")  %s GiB-months  %s at $%s/GiB-month; at the end %s/month\n",
                          months, cost, price, rate);

  /* the (account, region) that held the most AMIs at once */
  const AmsStorageReport *top = NULL;
  for (guint i = 0; r->storage != NULL && i < r->storage->len; i++)
    {
      const AmsStorageReport *s = &g_array_index (r->storage, AmsStorageReport, i);
      if (top == NULL || s->amis_max > top->amis_max)
        top = s;
    }
  guint quota = info->amis_quota ? info->amis_quota : 50000;
  g_autofree char *amis = grouped_count (r->amis);
  g_autofree char *most = grouped_count (r->amis_max);
  g_autofree char *quota_s = grouped_count (quota);
  g_autofree char *quota_pct = grouped (percent (r->amis_max, quota), 1);
  g_string_append_printf (out, "  AMIs %s at end  most in one account and region %s of the %s quota (%s%%)",
                          amis, most, quota_s, quota_pct);
  if (top != NULL && top->amis_max == r->amis_max)
    g_string_append_printf (out, " in %s %s", top->account, top->region);
  g_string_append_c (out, '\n');

  if (!r->compared)
    return;
  g_autofree char *b_gib = grouped (r->baseline_gib, 1);
  g_autofree char *b_months = grouped (r->baseline_gib_months, 1);
  g_autofree char *b_cost = money (r->baseline_cost);
  g_autofree char *b_amis = grouped_count (r->baseline_amis);
  g_string_append_printf (out, "  without lifecycle  %s GiB at end  %s GiB-months  %s  AMIs %s\n",
                          b_gib, b_months, b_cost, b_amis);
  double saved_months = r->baseline_gib_months - r->storage_gib_months;
  g_autofree char *s_months = grouped (saved_months, 1);
  g_autofree char *s_cost = money (r->baseline_cost - r->storage_cost);
  g_autofree char *s_gib = grouped (r->baseline_gib - r->storage_gib, 1);
  g_string_append_printf (out, "  lifecycle saved  %s GiB-months", s_months);
  if (r->baseline_gib_months > 0)
    {
      g_autofree char *pct = grouped (100.0 * saved_months / r->baseline_gib_months, 1);
      g_string_append_printf (out, " (%s%%)", pct);
    }
  g_string_append_printf (out, ", %s  %s GiB at end  AMIs ", s_cost, s_gib);
  if (r->baseline_amis >= r->amis)
    {
      g_autofree char *s_amis = grouped_count (r->baseline_amis - r->amis);
      g_string_append (out, s_amis);
    }
  else
    {
      g_autofree char *s_amis = grouped_count (r->amis - r->baseline_amis);
      g_string_append_printf (out, "-%s", s_amis);
    }
  g_string_append_c (out, '\n');
}

/* A row of counts in the time table's columns (ripple size): one decimal. */
static void
count_row (GString *out, const char *label, const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  g_string_append_printf (out, "  %-16s %9" G_GUINT64_FORMAT, label, (guint64) s.count);
  const double v[] = { s.mean, s.p50, s.p90, s.p99, s.max };
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autofree char *f = s.count ? grouped (v[i], 1) : g_strdup ("-");
      g_string_append_printf (out, " %9s", f);
    }
  g_string_append_c (out, '\n');
}

static gboolean
supply_happened (const AmsResults *r)
{
  return r->ripples || r->ripple_images || r->ripple_available || r->ripple_failed
         || r->ripple_size.tally.n || r->ripple_delay_s.tally.n || r->ripple_depth_max
         || r->builds_blocked || r->invitations_sent || r->invitations_accepted
         || r->invitations_rejected || r->invitations_expired || r->events_refused;
}

/* "supply chain": ripples of builds through the recipes that use them,
 * builds the supply chain refused, RAM invitations, what-if events refused;
 * then the delay and size of the ripples in the time table's columns. */
static void
supply_section (GString *out, const AmsResults *r)
{
  g_string_append (out, "\nsupply chain");
  if (r->ripples || r->ripple_images || r->ripple_depth_max)
    {
      g_autofree char *ripples = grouped_count (r->ripples);
      g_autofree char *images = grouped_count (r->ripple_images);
      g_autofree char *ok = grouped_count (r->ripple_available);
      g_autofree char *failed = grouped_count (r->ripple_failed);
      g_string_append_printf (out, "  ripples %s  dependent builds %s (%s available, %s failed)"
                                   "  longest chain %u",
                              ripples, images, ok, failed, r->ripple_depth_max);
    }
  if (r->builds_blocked)
    {
      g_autofree char *blocked = grouped_count (r->builds_blocked);
      g_string_append_printf (out, "  builds blocked %s", blocked);
    }
  if (r->invitations_sent || r->invitations_accepted || r->invitations_rejected
      || r->invitations_expired)
    {
      const uint64_t v[] = { r->invitations_accepted, r->invitations_rejected,
                             r->invitations_expired };
      static const char *const what[] = { "accepted", "rejected", "expired" };
      g_autofree char *sent = grouped_count (r->invitations_sent);
      g_string_append_printf (out, "  invitations %s sent", sent);
      for (guint i = 0; i < G_N_ELEMENTS (v); i++)
        if (v[i] > 0)
          {
            g_autofree char *c = grouped_count (v[i]);
            g_string_append_printf (out, ", %s %s", c, what[i]);
          }
    }
  if (r->events_refused)
    {
      g_autofree char *refused = grouped_count (r->events_refused);
      g_string_append_printf (out, "  events refused %s", refused);
    }
  g_string_append_c (out, '\n');
  if (r->ripple_size.tally.n == 0 && r->ripple_delay_s.tally.n == 0)
    return;
  g_string_append_printf (out, "  %-16s %9s %9s %9s %9s %9s %9s\n", "per ripple", "count", "mean",
                          "p50", "p90", "p99", "max");
  stat_row (out, "ripple delay", &r->ripple_delay_s);
  count_row (out, "ripple size", &r->ripple_size);
}

/* Pools ordered by time-average queue, then peak queue, then name. */
static int
congestion_cmp (const void *a, const void *b)
{
  const AmsPoolReport *x = *(const AmsPoolReport *const *) a;
  const AmsPoolReport *y = *(const AmsPoolReport *const *) b;
  if (x->at_limit_s != y->at_limit_s)
    return x->at_limit_s < y->at_limit_s ? 1 : -1;
  if (x->wait_max_s != y->wait_max_s)
    return x->wait_max_s < y->wait_max_s ? 1 : -1;
  if (x->queue_mean != y->queue_mean)
    return x->queue_mean < y->queue_mean ? 1 : -1;
  if (x->busy_max != y->busy_max)
    return x->busy_max < y->busy_max ? 1 : -1;
  int c = g_strcmp0 (x->account, y->account);
  return c ? c : g_strcmp0 (x->region, y->region);
}

GString *
ams_report_table (const AmsResults *r, const AmsRunInfo *info)
{
  GString *out = g_string_sized_new (2048);
  g_autofree char *sim = ams_report_format_seconds (ams_time_to_s (r->end));
  g_string_append_printf (out,
                          "amisim %s  scenario %s  seed %" G_GUINT64_FORMAT
                          "  simulated %s  events %" G_GUINT64_FORMAT "  wall %.2fs\n\n",
                          PACKAGE_VERSION, info->scenario, (guint64) r->seed, sim,
                          (guint64) r->events, info->wall_s);

  g_string_append_printf (out,
                          "images  started %" G_GUINT64_FORMAT "  available %" G_GUINT64_FORMAT
                          "  failed %" G_GUINT64_FORMAT "  in flight at end %" G_GUINT64_FORMAT,
                          (guint64) r->images_started, (guint64) r->images_available,
                          (guint64) r->images_failed, (guint64) r->images_in_flight);
  if (r->runs_skipped)
    g_string_append_printf (out, "  scheduled runs skipped (no dependency updates) %" G_GUINT64_FORMAT,
                            (guint64) r->runs_skipped);
  g_string_append_printf (out,
                          "\ncopies  requested %" G_GUINT64_FORMAT "  succeeded %" G_GUINT64_FORMAT
                          "  failed %" G_GUINT64_FORMAT "  in flight at end %" G_GUINT64_FORMAT
                          "  queued for a slot %" G_GUINT64_FORMAT " (%.1f%%)\n\n",
                          (guint64) r->copies_requested, (guint64) r->copies_succeeded,
                          (guint64) r->copies_failed, (guint64) r->copies_in_flight,
                          (guint64) r->copies_waited,
                          percent (r->copies_waited, r->copies_requested));

  g_string_append_printf (out, "  %-16s %9s %9s %9s %9s %9s %9s\n", "time", "count", "mean",
                          "p50", "p90", "p99", "max");
  stat_row (out, "build + test", &r->build_s);
  stat_row (out, "distribution", &r->distribution_s);
  stat_row (out, "end to end", &r->end_to_end_s);
  stat_row (out, "copy wait", &r->wait_s);
  stat_row (out, "copy transfer", &r->transfer_s);
  stat_row (out, "copy total", &r->total_s);
  days_line (out, &r, 1);

  if (r->failures_total > 0)
    {
      g_string_append_printf (out, "\nfailures  %" G_GUINT64_FORMAT " (failed builds, tests, "
                                   "copies, shares and launch template updates)\n",
                              (guint64) r->failures_total);
      /* causes, most frequent first */
      guint order[AMS_CAUSE_COUNT], n_order = 0;
      for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
        if (r->failures_by_cause[c] > 0)
          order[n_order++] = c;
      for (guint a = 0; a < n_order; a++)
        for (guint b = a + 1; b < n_order; b++)
          if (r->failures_by_cause[order[b]] > r->failures_by_cause[order[a]])
            {
              guint t = order[a];
              order[a] = order[b];
              order[b] = t;
            }
      for (guint i = 0; i < n_order && i < 8; i++)
        {
          /* where it happened most */
          const AmsFailureCount *top = NULL;
          for (guint k = 0; k < r->failures->len; k++)
            {
              const AmsFailureCount *f = &g_array_index (r->failures, AmsFailureCount, k);
              if (f->cause == order[i] && (top == NULL || f->count > top->count))
                top = f;
            }
          g_string_append_printf (out, "  %-26s %9" G_GUINT64_FORMAT "   most in %s %s (%" G_GUINT64_FORMAT ")\n",
                                  ams_cause_name ((AmsCause) order[i]),
                                  (guint64) r->failures_by_cause[order[i]], top->account,
                                  top->region, (guint64) top->count);
        }
    }
  if (r->pipelines_disabled > 0)
    g_string_append_printf (out, "  pipelines disabled after consecutive failures: %" G_GUINT64_FORMAT "\n",
                            (guint64) r->pipelines_disabled);
  if (supply_happened (r))
    supply_section (out, r);

  if (lifecycle_happened (r))
    lifecycle_section (out, r);
  if (r->launches > 0)
    launches_section (out, r);
  if (r->storage_gib_max > 0)
    storage_section (out, r, info);

  guint n = r->pools->len;
  if (n > 0)
    {
      g_autofree const AmsPoolReport **order = g_new (const AmsPoolReport *, n);
      for (guint i = 0; i < n; i++)
        order[i] = &g_array_index (r->pools, AmsPoolReport, i);
      qsort (order, n, sizeof *order, congestion_cmp);
      guint show = MIN (n, 10u);
      g_string_append_printf (out, "\nmost congested pools (%u of %u, by time at the limit)\n",
                              show, n);
      g_string_append_printf (out, "  %-14s %-16s %6s %9s %7s %5s %9s %12s %9s\n", "account",
                              "region", "limit", "copies", "queued", "peak", "at limit",
                              "longest wait", "queue max");
      for (guint i = 0; i < show; i++)
        {
          const AmsPoolReport *p = order[i];
          g_autofree char *at = ams_report_format_seconds (p->at_limit_s);
          g_autofree char *wait = ams_report_format_seconds (p->wait_max_s);
          g_string_append_printf (out,
                                  "  %-14s %-16s %6u %9" G_GUINT64_FORMAT " %6.1f%% %5u %9s %12s %9u\n",
                                  p->account, p->region, p->limit, (guint64) p->copies,
                                  percent (p->waited, p->copies), p->busy_max, at, wait,
                                  p->queue_max);
        }
    }
  return out;
}

/* ---- replications: means ± the half-width of their 95 % interval ---- */

/* "12.5 ± 0.3" (decimals fixed); the mean alone without an interval. */
static char *
pm_number (const AmsAgg *a, guint decimals, const char *unit)
{
  g_autofree char *m = grouped (a->mean, decimals);
  double half = ams_agg_half (a);
  if (isnan (half))
    return g_strdup_printf ("%s%s", m, unit);
  g_autofree char *h = grouped (half, decimals);
  return g_strdup_printf ("%s%s ± %s%s", m, unit, h, unit);
}

/* "4m05s ± 12.0s" */
static char *
pm_seconds (const AmsAgg *a)
{
  if (isnan (a->mean))
    return g_strdup ("-");
  g_autofree char *m = ams_report_format_seconds (a->mean);
  double half = ams_agg_half (a);
  if (isnan (half))
    return g_steal_pointer (&m);
  g_autofree char *h = ams_report_format_seconds (half);
  return g_strdup_printf ("%s ± %s", m, h);
}

/* A line of counts: "  label1 m ± h  label2 m ± h …". */
static void
pm_counts (GString *out, const AmsResults *const *r, guint n, const char *const *labels,
           const uint64_t *const *fields, guint k)
{
  for (guint i = 0; i < k; i++)
    {
      AmsAgg a;
      ams_agg_u64 (&a, r, n, fields[i]);
      g_autofree char *s = pm_number (&a, 1, "");
      g_string_append_printf (out, "%s%s %s", i ? "  " : "", labels[i], s);
    }
}

char *
ams_agg_format (const AmsAgg *a, AmsAggUnit unit)
{
  if (isnan (a->mean))
    return g_strdup ("-");
  switch (unit)
    {
    case AMS_AGG_SECONDS:
      return pm_seconds (a);
    case AMS_AGG_PERCENT:
      {
        AmsAgg pc = { 100.0 * a->mean, 100.0 * a->low, 100.0 * a->high, a->n };
        return pm_number (&pc, 1, "%");
      }
    case AMS_AGG_NUMBER:
    default:
      return pm_number (a, 1, "");
    }
}

static void
pm_stat_row (GString *out, const char *label, const AmsResults *const *r, guint n,
             const AmsStat *first)
{
  AmsAggStat s;
  ams_agg_stat (&s, r, n, first);
  g_autofree char *count = grouped (s.count.mean, 1);
  g_autofree char *mean = pm_seconds (&s.mean);
  g_string_append_printf (out, "  %-16s %11s %21s", label, count, mean);
  const AmsAgg *v[] = { &s.p50, &s.p90, &s.p99, &s.max };
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autofree char *f = isnan (v[i]->mean) ? g_strdup ("-")
                                              : ams_report_format_seconds (v[i]->mean);
      g_string_append_printf (out, " %9s", f);
    }
  g_string_append_c (out, '\n');
}

/* The same of counts (ripple size): one decimal. */
static void
pm_count_row (GString *out, const char *label, const AmsResults *const *r, guint n,
              const AmsStat *first)
{
  AmsAggStat s;
  ams_agg_stat (&s, r, n, first);
  g_autofree char *count = grouped (s.count.mean, 1);
  g_autofree char *mean = pm_number (&s.mean, 1, "");
  g_string_append_printf (out, "  %-16s %11s %21s", label, count, mean);
  const AmsAgg *v[] = { &s.p50, &s.p90, &s.p99, &s.max };
  for (guint i = 0; i < G_N_ELEMENTS (v); i++)
    {
      g_autofree char *f = grouped (v[i]->mean, 1); /* "-" without one */
      g_string_append_printf (out, " %9s", f);
    }
  g_string_append_c (out, '\n');
}

static int
agg_congestion_cmp (const void *a, const void *b)
{
  const AmsAggPool *x = *(const AmsAggPool *const *) a;
  const AmsAggPool *y = *(const AmsAggPool *const *) b;
  if (x->at_limit_s.mean != y->at_limit_s.mean)
    return x->at_limit_s.mean < y->at_limit_s.mean ? 1 : -1;
  if (x->wait_max_s.mean != y->wait_max_s.mean)
    return x->wait_max_s.mean < y->wait_max_s.mean ? 1 : -1;
  if (x->queue_mean.mean != y->queue_mean.mean)
    return x->queue_mean.mean < y->queue_mean.mean ? 1 : -1;
  if (x->busy_max.mean != y->busy_max.mean)
    return x->busy_max.mean < y->busy_max.mean ? 1 : -1;
  int c = g_strcmp0 (x->account, y->account);
  return c ? c : g_strcmp0 (x->region, y->region);
}

static void
pm_failures (GString *out, const AmsResults *const *r, guint n)
{
  AmsAgg total;
  ams_agg_u64 (&total, r, n, &r[0]->failures_total);
  if (!(total.mean > 0))
    return;
  g_autofree char *t = pm_number (&total, 1, "");
  g_string_append_printf (out, "\nfailures  %s (failed builds, tests, copies, shares and launch "
                               "template updates)\n", t);
  AmsAgg by_cause[AMS_CAUSE_COUNT];
  guint order[AMS_CAUSE_COUNT], n_order = 0;
  g_autofree double *v = g_new (double, n);
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    {
      for (guint i = 0; i < n; i++)
        v[i] = (double) r[i]->failures_by_cause[c];
      ams_agg_of (&by_cause[c], v, n);
      if (by_cause[c].mean > 0)
        order[n_order++] = c;
    }
  for (guint a = 0; a < n_order; a++)
    for (guint b = a + 1; b < n_order; b++)
      if (by_cause[order[b]].mean > by_cause[order[a]].mean)
        {
          guint x = order[a];
          order[a] = order[b];
          order[b] = x;
        }
  g_autoptr (GArray) places = ams_agg_failures (r, n);
  for (guint i = 0; i < n_order && i < 8; i++)
    {
      const AmsAggFailure *top = NULL;
      for (guint k = 0; k < places->len; k++)
        {
          const AmsAggFailure *f = &g_array_index (places, AmsAggFailure, k);
          if (f->cause == order[i] && (top == NULL || f->count.mean > top->count.mean))
            top = f;
        }
      g_autofree char *c = pm_number (&by_cause[order[i]], 1, "");
      g_autofree char *most = grouped (top != NULL ? top->count.mean : 0.0, 1);
      g_string_append_printf (out, "  %-26s %17s   most in %s %s (%s)\n",
                              ams_cause_name ((AmsCause) order[i]), c,
                              top != NULL ? top->account : "-", top != NULL ? top->region : "-",
                              most);
    }
}

/* "supply chain" of n replications: means ± half-widths; only when one of
 * its figures has a mean above 0. */
static void
pm_supply (GString *out, const AmsResults *const *r, guint n)
{
  const AmsResults *r0 = r[0];
  enum { RIPPLES, IMAGES, AVAILABLE, FAILED, BLOCKED, SENT, ACCEPTED, REJECTED, EXPIRED,
         REFUSED, FIELDS };
  const uint64_t *const fields[FIELDS] = {
    &r0->ripples, &r0->ripple_images, &r0->ripple_available, &r0->ripple_failed,
    &r0->builds_blocked, &r0->invitations_sent, &r0->invitations_accepted,
    &r0->invitations_rejected, &r0->invitations_expired, &r0->events_refused,
  };
  AmsAgg a[FIELDS];
  gboolean any = FALSE;
  for (guint f = 0; f < FIELDS; f++)
    {
      ams_agg_u64 (&a[f], r, n, fields[f]);
      any = any || a[f].mean > 0;
    }
  g_autofree double *v = g_new (double, n);
  gboolean observed = FALSE;
  for (guint i = 0; i < n; i++)
    {
      v[i] = r[i]->ripple_depth_max;
      observed = observed || r[i]->ripple_size.tally.n > 0 || r[i]->ripple_delay_s.tally.n > 0;
    }
  AmsAgg depth;
  ams_agg_of (&depth, v, n);
  if (!any && !observed && !(depth.mean > 0))
    return;
  char *s[FIELDS];
  for (guint f = 0; f < FIELDS; f++)
    s[f] = pm_number (&a[f], 1, "");
  g_string_append (out, "\nsupply chain");
  if (a[RIPPLES].mean > 0 || a[IMAGES].mean > 0 || depth.mean > 0)
    {
      g_autofree char *d = pm_number (&depth, 1, "");
      g_string_append_printf (out, "  ripples %s  dependent builds %s (%s available, %s failed)"
                                   "  longest chain %s",
                              s[RIPPLES], s[IMAGES], s[AVAILABLE], s[FAILED], d);
    }
  if (a[BLOCKED].mean > 0)
    g_string_append_printf (out, "  builds blocked %s", s[BLOCKED]);
  if (a[SENT].mean > 0 || a[ACCEPTED].mean > 0 || a[REJECTED].mean > 0 || a[EXPIRED].mean > 0)
    {
      g_string_append_printf (out, "  invitations %s sent", s[SENT]);
      static const char *const what[] = { "accepted", "rejected", "expired" };
      for (guint f = ACCEPTED; f <= EXPIRED; f++)
        if (a[f].mean > 0)
          g_string_append_printf (out, ", %s %s", s[f], what[f - ACCEPTED]);
    }
  if (a[REFUSED].mean > 0)
    g_string_append_printf (out, "  events refused %s", s[REFUSED]);
  g_string_append_c (out, '\n');
  for (guint f = 0; f < FIELDS; f++)
    g_free (s[f]);
  if (!observed)
    return;
  g_string_append_printf (out, "  %-16s %11s %21s %9s %9s %9s %9s\n", "per ripple", "count",
                          "mean", "p50", "p90", "p99", "max");
  pm_stat_row (out, "ripple delay", r, n, &r0->ripple_delay_s);
  pm_count_row (out, "ripple size", r, n, &r0->ripple_size);
}

static void
pm_lifecycle_launches_storage (GString *out, const AmsResults *const *r, guint n)
{
  const AmsResults *r0 = r[0];
  AmsAgg runs, launches, gib_max;
  ams_agg_u64 (&runs, r, n, &r0->lc_runs);
  ams_agg_u64 (&launches, r, n, &r0->launches);
  ams_agg_double (&gib_max, r, n, &r0->storage_gib_max);
  if (runs.mean > 0)
    {
      static const char *const labels[] = { "runs", "failed", "images deprecated", "disabled",
                                            "deleted", "snapshots deleted" };
      const uint64_t *const fields[] = { &r0->lc_runs, &r0->lc_runs_failed, &r0->lc_deprecated,
                                         &r0->lc_disabled, &r0->lc_deleted,
                                         &r0->lc_snapshots_deleted };
      g_string_append (out, "\nlifecycle  ");
      pm_counts (out, r, n, labels, fields, G_N_ELEMENTS (fields));
      g_string_append_c (out, '\n');
    }
  if (launches.mean > 0)
    {
      static const char *const labels[] = { "requested", "succeeded", "failed: AMI disabled",
                                            "AMI deregistered", "no usable AMI", "key denies" };
      const uint64_t *const fields[] = { &r0->launches, &r0->launches_ok, &r0->launches_disabled,
                                         &r0->launches_deleted, &r0->launches_no_ami,
                                         &r0->launches_key_denied };
      AmsAgg key;
      ams_agg_u64 (&key, r, n, &r0->launches_key_denied);
      g_string_append (out, "\nlaunches  ");
      /* "key denies" only when some replication met it (older outputs keep their shape) */
      pm_counts (out, r, n, labels, fields, G_N_ELEMENTS (fields) - (key.mean > 0 ? 0 : 1));
      g_string_append_c (out, '\n');
    }
  if (gib_max.mean > 0)
    {
      AmsAgg gib, months, cost;
      ams_agg_double (&gib, r, n, &r0->storage_gib);
      ams_agg_double (&months, r, n, &r0->storage_gib_months);
      ams_agg_double (&cost, r, n, &r0->storage_cost);
      g_autofree char *g = pm_number (&gib, 1, "");
      g_autofree char *m = pm_number (&months, 1, "");
      g_autofree char *c = pm_number (&cost, 2, "");
      g_autofree double *rate = g_new (double, n);
      for (guint i = 0; i < n; i++)
        rate[i] = r[i]->storage_gib * r[i]->storage_price;
      AmsAgg run_rate;
      ams_agg_of (&run_rate, rate, n);
      g_autofree char *rr = pm_number (&run_rate, 2, "");
      g_string_append_printf (out, "\nstorage  snapshots %s GiB at end  %s GiB-months  $%s;  "
                                   "at the end $%s/month\n", g, m, c, rr);
      if (r0->compared)
        {
          g_autofree double *v = g_new (double, n);
          for (guint i = 0; i < n; i++)
            v[i] = r[i]->baseline_gib_months - r[i]->storage_gib_months;
          AmsAgg saved;
          ams_agg_of (&saved, v, n);
          for (guint i = 0; i < n; i++)
            v[i] = r[i]->baseline_cost - r[i]->storage_cost;
          AmsAgg saved_cost;
          ams_agg_of (&saved_cost, v, n);
          g_autofree char *s = pm_number (&saved, 1, "");
          g_autofree char *sc = pm_number (&saved_cost, 2, "");
          g_string_append_printf (out, "  lifecycle saved  %s GiB-months, $%s\n", s, sc);
        }
    }
}

GString *
ams_report_table_n (const AmsResults *const *r, guint n, const AmsRunInfo *info)
{
  g_return_val_if_fail (r != NULL && n >= 1, NULL);
  if (n == 1)
    return ams_report_table (r[0], info);
  const AmsResults *r0 = r[0];
  GString *out = g_string_sized_new (2048);
  AmsAgg events;
  ams_agg_u64 (&events, r, n, &r0->events);
  g_autofree char *sim = ams_report_format_seconds (ams_time_to_s (r0->end));
  g_autofree char *ev = grouped (events.mean, 0);
  g_string_append_printf (out,
                          "amisim %s  scenario %s  seed %" G_GUINT64_FORMAT
                          "  replications %u  simulated %s  events %s (mean)  wall %.2fs\n",
                          PACKAGE_VERSION, info->scenario, (guint64) r0->seed, n, sim, ev,
                          info->wall_s);
  g_string_append_printf (out, "means over %u replications ± the half-width of their 95%% "
                               "confidence interval", n);
  if (r0->warmup > 0)
    {
      g_autofree char *w = ams_report_format_seconds (ams_time_to_s (r0->warmup));
      g_string_append_printf (out, "; statistics from the warm-up at %s on", w);
    }
  g_string_append (out, "\n\n");

  static const char *const image_labels[] = { "started", "available", "failed",
                                              "in flight at end" };
  const uint64_t *const image_fields[] = { &r0->images_started, &r0->images_available,
                                           &r0->images_failed, &r0->images_in_flight };
  g_string_append (out, "images  ");
  pm_counts (out, r, n, image_labels, image_fields, G_N_ELEMENTS (image_fields));
  static const char *const copy_labels[] = { "requested", "succeeded", "failed",
                                             "in flight at end", "queued for a slot" };
  const uint64_t *const copy_fields[] = { &r0->copies_requested, &r0->copies_succeeded,
                                          &r0->copies_failed, &r0->copies_in_flight,
                                          &r0->copies_waited };
  g_string_append (out, "\ncopies  ");
  pm_counts (out, r, n, copy_labels, copy_fields, G_N_ELEMENTS (copy_fields));
  g_autofree double *v = g_new (double, n);
  for (guint i = 0; i < n; i++)
    v[i] = r[i]->copies_requested > 0
             ? 100.0 * (double) r[i]->copies_waited / (double) r[i]->copies_requested
             : NAN;
  AmsAgg pw;
  ams_agg_of (&pw, v, n);
  if (!isnan (pw.mean))
    {
      g_autofree char *p = pm_number (&pw, 1, "%");
      g_string_append_printf (out, " (%s)", p);
    }
  g_string_append (out, "\n\n");

  g_string_append_printf (out, "  %-16s %11s %21s %9s %9s %9s %9s\n", "time", "count", "mean",
                          "p50", "p90", "p99", "max");
  pm_stat_row (out, "build + test", r, n, &r0->build_s);
  pm_stat_row (out, "distribution", r, n, &r0->distribution_s);
  pm_stat_row (out, "end to end", r, n, &r0->end_to_end_s);
  pm_stat_row (out, "copy wait", r, n, &r0->wait_s);
  pm_stat_row (out, "copy transfer", r, n, &r0->transfer_s);
  pm_stat_row (out, "copy total", r, n, &r0->total_s);
  days_line (out, r, n);

  pm_failures (out, r, n);
  pm_supply (out, r, n);
  pm_lifecycle_launches_storage (out, r, n);

  g_autoptr (GArray) pools = ams_agg_pools (r, n);
  guint np = pools->len;
  if (np > 0)
    {
      g_autofree const AmsAggPool **order = g_new (const AmsAggPool *, np);
      for (guint i = 0; i < np; i++)
        order[i] = &g_array_index (pools, AmsAggPool, i);
      qsort (order, np, sizeof *order, agg_congestion_cmp);
      guint show = MIN (np, 10u);
      g_string_append_printf (out, "\nmost congested pools (%u of %u, by time at the limit)\n",
                              show, np);
      g_string_append_printf (out, "  %-14s %-16s %6s %11s %7s %11s %21s %21s %9s\n", "account",
                              "region", "limit", "copies", "queued", "peak", "at limit",
                              "longest wait", "queue max");
      for (guint i = 0; i < show; i++)
        {
          const AmsAggPool *p = order[i];
          g_autofree char *copies = grouped (p->copies.mean, 1);
          g_autofree char *peak = pm_number (&p->busy_max, 1, "");
          g_autofree char *at = ams_agg_format (&p->at_limit_s, AMS_AGG_SECONDS);
          g_autofree char *wait = ams_agg_format (&p->wait_max_s, AMS_AGG_SECONDS);
          g_autofree char *qx = grouped (p->queue_max.mean, 1);
          double queued = p->copies.mean > 0 ? 100.0 * p->waited.mean / p->copies.mean : 0.0;
          g_string_append_printf (out, "  %-14s %-16s %6u %11s %6.1f%% %11s %21s %21s %9s\n",
                                  p->account, p->region, p->limit, copies, queued, peak, at, wait,
                                  qx);
        }
    }
  return out;
}
