/* The readable table a run prints on stdout: what happened, how long it
 * took, and where copies queued. Meant for people; scripts read
 * summary.json (or --json). */
#include <math.h>
#include <stdlib.h>
#include "amisim/report.h"

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

static double
percent (uint64_t part, uint64_t whole)
{
  return whole ? 100.0 * (double) part / (double) whole : 0.0;
}

/* Pools ordered by time-average queue, then peak queue, then name. */
static int
congestion_cmp (const void *a, const void *b)
{
  const AmsPoolReport *x = *(const AmsPoolReport *const *) a;
  const AmsPoolReport *y = *(const AmsPoolReport *const *) b;
  if (x->queue_mean != y->queue_mean)
    return x->queue_mean < y->queue_mean ? 1 : -1;
  if (x->queue_max != y->queue_max)
    return x->queue_max < y->queue_max ? 1 : -1;
  if (x->utilization != y->utilization)
    return x->utilization < y->utilization ? 1 : -1;
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

  guint n = r->pools->len;
  if (n > 0)
    {
      g_autofree const AmsPoolReport **order = g_new (const AmsPoolReport *, n);
      for (guint i = 0; i < n; i++)
        order[i] = &g_array_index (r->pools, AmsPoolReport, i);
      qsort (order, n, sizeof *order, congestion_cmp);
      guint show = MIN (n, 10u);
      g_string_append_printf (out, "\nmost congested pools (%u of %u, by mean queue length)\n", show, n);
      g_string_append_printf (out, "  %-14s %-16s %6s %9s %7s %6s %10s %9s\n", "account", "region",
                              "limit", "copies", "queued", "util", "queue mean", "queue max");
      for (guint i = 0; i < show; i++)
        {
          const AmsPoolReport *p = order[i];
          g_string_append_printf (out,
                                  "  %-14s %-16s %6u %9" G_GUINT64_FORMAT " %6.1f%% %5.1f%% %10.2f %9u\n",
                                  p->account, p->region, p->limit, (guint64) p->copies,
                                  percent (p->waited, p->copies), 100.0 * p->utilization,
                                  p->queue_mean, p->queue_max);
        }
    }
  return out;
}
