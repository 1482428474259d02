/* The reports of a sweep (amisim sweep): sweep.csv, its summary.json and
 * the comparison table, from the results of every point's replications.
 *
 * Every point runs replications 0..N-1 on the same master seed, so
 * replication r of two points draws the same streams for the same entities
 * (common random numbers, rng.h): their difference is mostly the effect of
 * the axes, and a paired t-test on the N differences (replication r of the
 * point against replication r of the first point) tells whether it is
 * larger than chance. */
#include <math.h>
#include <string.h>
#include <gsl/gsl_cdf.h>

#include "amisim/report.h"
#include "report/aggregate.h"
#include "report/json.h"

/* ---- headline measures ---------------------------------------------- */

static const struct
{
  const char *name;
  AmsAggUnit unit;
  gboolean optional; /* a column of the table only when some point has it */
} measures[AMS_MEASURE_COUNT] = {
  [AMS_MEASURE_END_TO_END] = { "end_to_end_s", AMS_AGG_SECONDS },
  [AMS_MEASURE_DISTRIBUTION] = { "distribution_s", AMS_AGG_SECONDS },
  [AMS_MEASURE_WAIT] = { "wait_s", AMS_AGG_SECONDS },
  [AMS_MEASURE_TRANSFER] = { "transfer_s", AMS_AGG_SECONDS },
  [AMS_MEASURE_P_WAIT] = { "p_wait", AMS_AGG_PERCENT },
  [AMS_MEASURE_COPIES_FAILED] = { "copies_failed", AMS_AGG_NUMBER },
  [AMS_MEASURE_IMAGES_FAILED] = { "images_failed", AMS_AGG_NUMBER },
  [AMS_MEASURE_LAST_COPY] = { "last_copy_s", AMS_AGG_SECONDS },
  [AMS_MEASURE_GIB_MONTHS] = { "gib_months", AMS_AGG_NUMBER },
  [AMS_MEASURE_LAUNCHES_FAILED] = { "launches_failed", AMS_AGG_NUMBER },
  [AMS_MEASURE_RIPPLE_DELAY] = { "ripple_delay_s", AMS_AGG_SECONDS, TRUE },
};

/* The measures a sweep tests for a difference from its first point. */
static const AmsMeasure key_measures[] = { AMS_MEASURE_END_TO_END, AMS_MEASURE_WAIT,
                                           AMS_MEASURE_LAST_COPY };

const char *
ams_measure_name (AmsMeasure m)
{
  g_return_val_if_fail (m < AMS_MEASURE_COUNT, NULL);
  return measures[m].name;
}

gboolean
ams_measure_is_time (AmsMeasure m)
{
  g_return_val_if_fail (m < AMS_MEASURE_COUNT, FALSE);
  return measures[m].unit == AMS_AGG_SECONDS;
}

static double
stat_mean (const AmsStat *st)
{
  AmsStatSummary s;
  ams_stat_summary (st, &s);
  return s.count > 0 ? s.mean : NAN;
}

double
ams_measure_value (AmsMeasure m, const AmsResults *r)
{
  g_return_val_if_fail (r != NULL, NAN);
  switch (m)
    {
    case AMS_MEASURE_END_TO_END:
      return stat_mean (&r->end_to_end_s);
    case AMS_MEASURE_DISTRIBUTION:
      return stat_mean (&r->distribution_s);
    case AMS_MEASURE_WAIT:
      return stat_mean (&r->wait_s);
    case AMS_MEASURE_TRANSFER:
      return stat_mean (&r->transfer_s);
    case AMS_MEASURE_P_WAIT:
      return r->copies_requested > 0
               ? (double) r->copies_waited / (double) r->copies_requested : NAN;
    case AMS_MEASURE_COPIES_FAILED:
      return (double) r->copies_failed;
    case AMS_MEASURE_IMAGES_FAILED:
      return (double) r->images_failed;
    case AMS_MEASURE_LAST_COPY:
      return r->last_copy == AMS_TIME_NEVER ? NAN : ams_time_to_s (r->last_copy);
    case AMS_MEASURE_GIB_MONTHS:
      return r->storage_gib_months;
    case AMS_MEASURE_LAUNCHES_FAILED:
      return (double) (r->launches_disabled + r->launches_deleted + r->launches_no_ami
                       + r->launches_key_denied);
    case AMS_MEASURE_RIPPLE_DELAY:
      return stat_mean (&r->ripple_delay_s);
    case AMS_MEASURE_COUNT:
      break;
    }
  g_return_val_if_reached (NAN);
}

/* ---- per point --------------------------------------------------------- */

static const AmsResults *const *
point_results (const AmsSweepReport *s, guint p)
{
  return s->results + (gsize) p * s->replications;
}

static const char *
axis_value (const AmsSweepReport *s, guint p, guint a)
{
  return s->values[(gsize) p * s->n_axes + a];
}

/* The measure in each replication of point p (v: replications values). */
static void
measure_values (const AmsSweepReport *s, guint p, AmsMeasure m, double *v)
{
  const AmsResults *const *r = point_results (s, p);
  for (guint i = 0; i < s->replications; i++)
    v[i] = ams_measure_value (m, r[i]);
}

static void
measure_agg (const AmsSweepReport *s, guint p, AmsMeasure m, AmsAgg *out)
{
  g_autofree double *v = g_new (double, s->replications);
  measure_values (s, p, m, v);
  ams_agg_of (out, v, s->replications);
}

/* Point p against the first point, replication by replication. */
typedef struct
{
  guint pairs;        /* replications where both have the measure */
  double diff;        /* mean of (p - first); NAN without pairs */
  double low, high;   /* its 95 % interval; NAN with fewer than 2 pairs */
  double p;           /* two-sided p-value of the paired t-test; NAN with fewer than 2 pairs */
  gboolean significant;
} Paired;

static void
paired (const AmsSweepReport *s, guint p, AmsMeasure m, Paired *out)
{
  guint n = s->replications;
  g_autofree double *a = g_new (double, n);
  g_autofree double *b = g_new (double, n);
  measure_values (s, 0, m, a);
  measure_values (s, p, m, b);
  AmsReplStat d;
  ams_repl_init (&d);
  for (guint i = 0; i < n; i++)
    if (!isnan (a[i]) && !isnan (b[i]))
      ams_repl_add (&d, b[i] - a[i]);
  *out = (Paired) { .pairs = (guint) ams_repl_n (&d), .diff = NAN, .low = NAN, .high = NAN,
                    .p = NAN };
  if (out->pairs == 0)
    return;
  out->diff = ams_repl_mean (&d);
  if (out->pairs < 2)
    return;
  ams_repl_ci95 (&d, &out->low, &out->high);
  double sd = ams_repl_sd (&d);
  if (sd == 0.0)
    {
      /* the same difference in every replication: none at all, or one
       * that chance does not explain */
      out->p = out->diff == 0.0 ? 1.0 : 0.0;
    }
  else
    {
      double t = out->diff / (sd / sqrt ((double) out->pairs));
      out->p = 2.0 * gsl_cdf_tdist_Q (fabs (t), (double) out->pairs - 1.0);
    }
  out->significant = out->p < 0.05;
}

/* ---- sweep.csv --------------------------------------------------------- */

static void
csv_field (GString *out, const char *s)
{
  if (strpbrk (s, ",\"\n") == NULL)
    {
      g_string_append (out, s);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = s; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

static void
csv_number (GString *out, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  if (isfinite (v))
    g_string_append (out, g_ascii_formatd (buf, sizeof buf, "%.10g", v == 0.0 ? 0.0 : v));
}

GString *
ams_report_sweep_csv (const AmsSweepReport *s)
{
  GString *out = g_string_new (NULL);
  for (guint a = 0; a < s->n_axes; a++)
    {
      csv_field (out, s->axes[a]);
      g_string_append_c (out, ',');
    }
  g_string_append (out, "replications");
  for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
    g_string_append_printf (out, ",%s,%s_ci_low,%s_ci_high", measures[m].name, measures[m].name,
                            measures[m].name);
  /* last_copy_s (the mean) as an instant on the point's clock (its start:
   * summary.json's, or the axis's when start is one) */
  g_string_append (out, ",last_copy_at\n");
  for (guint p = 0; p < s->n_points; p++)
    {
      for (guint a = 0; a < s->n_axes; a++)
        {
          csv_field (out, axis_value (s, p, a));
          g_string_append_c (out, ',');
        }
      g_string_append_printf (out, "%u", s->replications);
      for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
        {
          AmsAgg agg;
          measure_agg (s, p, (AmsMeasure) m, &agg);
          g_string_append_c (out, ',');
          csv_number (out, agg.mean);
          g_string_append_c (out, ',');
          csv_number (out, agg.low);
          g_string_append_c (out, ',');
          csv_number (out, agg.high);
        }
      AmsAgg last;
      measure_agg (s, p, AMS_MEASURE_LAST_COPY, &last);
      char at[AMS_ISO_TIME_LEN];
      g_string_append_printf (out, ",%s\n", ams_iso_time_s (at, s->info[p].start, last.mean));
    }
  return out;
}

/* ---- summary.json ------------------------------------------------------ */

GString *
ams_report_sweep_json (const AmsSweepReport *s)
{
  GString *out = g_string_sized_new (8192);
  AmsJson j;
  ams_json_init (&j, out);
  ams_json_begin_object (&j, NULL);
  ams_json_string (&j, "amisim_version", PACKAGE_VERSION);
  ams_json_string (&j, "scenario", s->scenario);
  ams_json_string (&j, "scenario_file", s->scenario_file);
  ams_json_uint (&j, "seed", s->seed);
  char start[AMS_ISO_TIME_LEN];
  /* the first point's: each point's own is in its summary */
  ams_json_iso (&j, "start", ams_iso_time (start, s->info[0].start, 0));
  ams_json_uint (&j, "replications", s->replications);
  ams_json_bool (&j, "common_random_numbers", s->same_seed);
  ams_json_begin_array (&j, "axes");
  for (guint a = 0; a < s->n_axes; a++)
    {
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "path", s->axes[a]);
      ams_json_begin_array (&j, "values");
      /* the values in the order given: those of the points where every
       * other axis has its first value */
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint p = 0; p < s->n_points; p++)
        if (g_hash_table_add (seen, (gpointer) axis_value (s, p, a)))
          ams_json_string (&j, NULL, axis_value (s, p, a));
      ams_json_end_array (&j);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);
  ams_json_begin_array (&j, "fixed");
  for (guint i = 0; i < s->n_fixed; i++)
    {
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "path", s->fixed[i].path);
      ams_json_string (&j, "value", s->fixed[i].value);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);
  ams_json_begin_array (&j, "measures");
  for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
    ams_json_string (&j, NULL, measures[m].name);
  ams_json_end_array (&j);
  ams_json_double (&j, "wall_s", s->wall_s);

  g_autofree double *v = g_new (double, s->replications);
  ams_json_begin_array (&j, "points");
  for (guint p = 0; p < s->n_points; p++)
    {
      ams_json_begin_object (&j, NULL);
      ams_json_uint (&j, "point", p + 1);
      ams_json_begin_object (&j, "axes");
      for (guint a = 0; a < s->n_axes; a++)
        ams_json_string (&j, s->axes[a], axis_value (s, p, a));
      ams_json_end_object (&j);
      ams_json_begin_object (&j, "measures");
      for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
        {
          measure_values (s, p, (AmsMeasure) m, v);
          AmsAgg agg;
          ams_agg_of (&agg, v, s->replications);
          ams_json_begin_object (&j, measures[m].name);
          ams_json_double (&j, "mean", agg.mean);
          ams_json_pair (&j, "ci95", agg.low, agg.high);
          ams_json_begin_array (&j, "replications");
          for (guint i = 0; i < s->replications; i++)
            ams_json_double (&j, NULL, v[i]);
          ams_json_end_array (&j);
          ams_json_end_object (&j);
        }
      ams_json_end_object (&j);
      if (p > 0)
        {
          /* paired t-test against the first point */
          ams_json_begin_object (&j, "vs_first");
          for (guint k = 0; k < G_N_ELEMENTS (key_measures); k++)
            {
              Paired d;
              paired (s, p, key_measures[k], &d);
              ams_json_begin_object (&j, measures[key_measures[k]].name);
              ams_json_double (&j, "difference", d.diff);
              ams_json_pair (&j, "ci95", d.low, d.high);
              ams_json_double (&j, "p", d.p);
              if (isnan (d.p))
                ams_json_string (&j, "significant", NULL);
              else
                ams_json_bool (&j, "significant", d.significant);
              ams_json_end_object (&j);
            }
          ams_json_end_object (&j);
        }
      ams_report_summary_write (&j, "summary", point_results (s, p), s->replications,
                                &s->info[p]);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);
  ams_json_end_object (&j);
  return out;
}

/* ---- the table --------------------------------------------------------- */

/* A table of cells, columns padded to their widest cell (in characters:
 * cells may hold "±"). The first `left` columns are aligned left. */
typedef struct
{
  GPtrArray *cells; /* of char*, row-major */
  guint cols;
} Grid;

static void
grid_add (Grid *g, char *cell)
{
  g_ptr_array_add (g->cells, cell);
}

static void
grid_print (GString *out, const Grid *g, guint left)
{
  guint rows = g->cells->len / g->cols;
  g_autofree glong *width = g_new0 (glong, g->cols);
  for (guint i = 0; i < g->cells->len; i++)
    width[i % g->cols] = MAX (width[i % g->cols], g_utf8_strlen (g->cells->pdata[i], -1));
  for (guint r = 0; r < rows; r++)
    {
      for (guint c = 0; c < g->cols; c++)
        {
          const char *cell = g->cells->pdata[r * g->cols + c];
          glong pad = width[c] - g_utf8_strlen (cell, -1);
          g_string_append (out, "  ");
          if (c >= left)
            for (glong k = 0; k < pad; k++)
              g_string_append_c (out, ' ');
          g_string_append (out, cell);
          if (c < left && c + 1 < g->cols)
            for (glong k = 0; k < pad; k++)
              g_string_append_c (out, ' ');
        }
      g_string_append_c (out, '\n');
    }
}

/* The last part of a PATH: the column heading of its axis. */
static const char *
axis_heading (const char *path)
{
  const char *dot = strrchr (path, '.');
  return dot != NULL ? dot + 1 : path;
}

GString *
ams_report_sweep_table (const AmsSweepReport *s)
{
  GString *out = g_string_sized_new (4096);
  guint n = s->replications;
  g_string_append_printf (out,
                          "amisim %s  sweep of %s (%s)  %u point%s × %u replication%s  seed %"
                          G_GUINT64_FORMAT "  wall %.2fs\n",
                          PACKAGE_VERSION, s->scenario_file, s->scenario, s->n_points,
                          s->n_points == 1 ? "" : "s", n, n == 1 ? "" : "s", (guint64) s->seed,
                          s->wall_s);
  for (guint a = 0; a < s->n_axes; a++)
    {
      g_string_append_printf (out, "axis %s: ", s->axes[a]);
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      gboolean first = TRUE;
      for (guint p = 0; p < s->n_points; p++)
        if (g_hash_table_add (seen, (gpointer) axis_value (s, p, a)))
          {
            g_string_append_printf (out, "%s%s", first ? "" : ", ", axis_value (s, p, a));
            first = FALSE;
          }
      g_string_append_c (out, '\n');
    }
  if (s->same_seed)
    g_string_append_printf (out, "common random numbers: every point runs replications 0..%u of "
                                 "seed %" G_GUINT64_FORMAT "\n",
                            n - 1, (guint64) s->seed);
  else
    g_string_append (out, "the points have different seeds: no common random numbers\n");
  if (n > 1)
    g_string_append (out, "means ± the half-width of their 95% confidence interval\n");
  g_string_append_c (out, '\n');

  /* the columns: every measure but an optional one no point has */
  gboolean shown[AMS_MEASURE_COUNT];
  guint n_shown = 0;
  for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
    {
      shown[m] = !measures[m].optional;
      for (guint p = 0; p < s->n_points && !shown[m]; p++)
        {
          AmsAgg agg;
          measure_agg (s, p, (AmsMeasure) m, &agg);
          shown[m] = agg.n > 0;
        }
      n_shown += shown[m];
    }
  Grid g = { g_ptr_array_new_with_free_func (g_free), s->n_axes + n_shown };
  for (guint a = 0; a < s->n_axes; a++)
    grid_add (&g, g_strdup (axis_heading (s->axes[a])));
  for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
    if (shown[m])
      grid_add (&g, g_strdup (measures[m].name));
  for (guint p = 0; p < s->n_points; p++)
    {
      for (guint a = 0; a < s->n_axes; a++)
        grid_add (&g, g_strdup (axis_value (s, p, a)));
      for (guint m = 0; m < AMS_MEASURE_COUNT; m++)
        {
          if (!shown[m])
            continue;
          AmsAgg agg;
          measure_agg (s, p, (AmsMeasure) m, &agg);
          grid_add (&g, ams_agg_format (&agg, measures[m].unit));
        }
    }
  grid_print (out, &g, s->n_axes);
  g_ptr_array_unref (g.cells);

  if (s->n_points < 2)
    return out;
  g_string_append (out, "\ndifferences from the first point");
  for (guint a = 0; a < s->n_axes; a++)
    g_string_append_printf (out, "%s%s=%s", a ? ", " : " (", axis_heading (s->axes[a]),
                            axis_value (s, 0, a));
  if (n < 2)
    {
      g_string_append_printf (out, "%s: n/a (1 replication)\n", s->n_axes ? ")" : "");
      return out;
    }
  g_string_append_printf (out, "%s, paired t-test over the %u replications "
                               "(replication r against replication r), 95%%:\n",
                          s->n_axes ? ")" : "", n);
  Grid d = { g_ptr_array_new_with_free_func (g_free), s->n_axes + G_N_ELEMENTS (key_measures) };
  for (guint a = 0; a < s->n_axes; a++)
    grid_add (&d, g_strdup (axis_heading (s->axes[a])));
  for (guint k = 0; k < G_N_ELEMENTS (key_measures); k++)
    grid_add (&d, g_strdup (measures[key_measures[k]].name));
  for (guint p = 1; p < s->n_points; p++)
    {
      for (guint a = 0; a < s->n_axes; a++)
        grid_add (&d, g_strdup (axis_value (s, p, a)));
      for (guint k = 0; k < G_N_ELEMENTS (key_measures); k++)
        {
          Paired pd;
          paired (s, p, key_measures[k], &pd);
          if (isnan (pd.p))
            {
              grid_add (&d, g_strdup ("-"));
              continue;
            }
          AmsAgg diff = { pd.diff, pd.low, pd.high, pd.pairs };
          g_autofree char *f = ams_agg_format (&diff, measures[key_measures[k]].unit);
          char pv[G_ASCII_DTOSTR_BUF_SIZE];
          g_ascii_formatd (pv, sizeof pv, "%.3f", pd.p);
          grid_add (&d, g_strdup_printf ("%s%s (p %s) %s", pd.diff > 0 ? "+" : "", f, pv,
                                         pd.significant ? "significant" : "not significant"));
        }
    }
  grid_print (out, &d, s->n_axes);
  g_ptr_array_unref (d.cells);
  return out;
}
