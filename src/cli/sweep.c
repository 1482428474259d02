/* `amisim sweep`: a scenario over the cartesian product of some values.
 *
 * A --set whose value has commas is an axis (its values are the parts
 * between commas, so a value that itself holds a comma cannot be swept or
 * set here); any other override is fixed; a sweep needs one axis at least.
 * The points are the product of the axes, the first varying slowest, at
 * most MAX_POINTS, and points × replications at most AMS_MAX_RUNS. Every
 * point's scenario is loaded (and so checked) before any runs: a bad value
 * stops the sweep with exit 2 and nothing written. Then every (point,
 * replication) is one job on the thread pool (replicate.c), each point
 * with the same master seed and replication numbers 0..N-1: common random
 * numbers, since streams are named by entity (rng.h). The reports are
 * built in point and replication order (report.h, "sweeps"), so they do
 * not depend on --threads. sweep.csv and summary.json are written at the
 * end, together or not at all (report.h). */
#include <stdio.h>
#include <string.h>

#include "amisim/cli.h"
#include "amisim/report.h"
#include "cli/cli-private.h"
#include "cli/mpi.h"
#include "report/plotdata.h"

/* Points at most: a sweep is for people to read. */
#define MAX_POINTS 10000

typedef struct
{
  const char *path;
  GPtrArray *values;  /* of char* (owned) */
  guint override;     /* its index in the overrides */
} Axis;

static void
axes_free (GArray *axes)
{
  for (guint a = 0; a < axes->len; a++)
    g_ptr_array_unref (g_array_index (axes, Axis, a).values);
  g_array_unref (axes);
}

/* The axes among the overrides. FALSE after a message on stderr. */
static gboolean
find_axes (const AmsSweepOptions *opt, GArray *axes)
{
  for (guint i = 0; i < opt->n_overrides; i++)
    {
      const AmsOverride *ov = &opt->overrides[i];
      if (g_strcmp0 (ov->origin, "--set") != 0 || strchr (ov->value, ',') == NULL)
        continue;
      for (guint a = 0; a < axes->len; a++)
        if (strcmp (g_array_index (axes, Axis, a).path, ov->path) == 0)
          {
            fprintf (stderr, "amisim sweep: --set %s: this path is already an axis; give its "
                             "values once, separated by commas\n", ov->path);
            return FALSE;
          }
      Axis axis = { ov->path, g_ptr_array_new_with_free_func (g_free), i };
      g_array_append_val (axes, axis);
      g_auto (GStrv) parts = g_strsplit (ov->value, ",", -1);
      for (char **v = parts; *v != NULL; v++)
        {
          char *value = g_strstrip (g_strdup (*v));
          if (*value == '\0')
            {
              fprintf (stderr, "amisim sweep: --set %s=%s: an empty value in the list (values "
                               "are separated by commas)\n", ov->path, ov->value);
              g_free (value);
              return FALSE;
            }
          g_ptr_array_add (axis.values, value);
        }
    }
  return TRUE;
}

/* The values of point p: p's digits in the mixed radix of the axes' sizes,
 * the first axis the most significant. */
static const char *
point_value (const GArray *axes, guint p, guint a)
{
  guint div = 1;
  for (guint b = axes->len; b-- > a + 1;)
    div *= g_array_index (axes, Axis, b).values->len;
  const Axis *axis = &g_array_index (axes, Axis, a);
  return axis->values->pdata[(p / div) % axis->values->len];
}

/* "PATH=V, PATH=V" of point p, for messages. Free with g_free. */
static char *
point_label (const GArray *axes, guint p)
{
  GString *s = g_string_new (NULL);
  for (guint a = 0; a < axes->len; a++)
    g_string_append_printf (s, "%s%s=%s", a ? ", " : "", g_array_index (axes, Axis, a).path,
                            point_value (axes, p, a));
  return g_string_free (s, FALSE);
}

/* Loads every point's scenario, or says which cannot be and returns FALSE
 * (each distinct loader message once, with the first point it stopped). */
static gboolean
load_points (const AmsSweepOptions *opt, const GArray *axes, guint n_points, GPtrArray *scenarios)
{
  g_autofree AmsOverride *ov = g_new (AmsOverride, MAX (opt->n_overrides, 1u));
  g_autoptr (GHashTable) said = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint bad = 0;
  /* read once (standard input can be read only once), loaded per point */
  g_autoptr (GError) read_error = NULL;
  const char *name = NULL;
  gsize len = 0;
  g_autofree char *text = ams_scenario_read (opt->scenario, &len, &name, &read_error);
  if (text == NULL)
    {
      fprintf (stderr, "%s\n", read_error->message);
      return FALSE;
    }
  for (guint p = 0; p < n_points; p++)
    {
      if (opt->n_overrides > 0) /* an axis is an override: never 0 here, never NULL to memcpy */
        memcpy (ov, opt->overrides, opt->n_overrides * sizeof *ov);
      for (guint a = 0; a < axes->len; a++)
        ov[g_array_index (axes, Axis, a).override].value = point_value (axes, p, a);
      g_autoptr (GError) error = NULL;
      AmsScenario *sc = ams_scenario_load_data (name, text, (gssize) len, ov, opt->n_overrides,
                                                &error);
      g_ptr_array_add (scenarios, sc);
      if (sc != NULL)
        continue;
      bad++;
      if (!g_hash_table_add (said, g_strdup (error->message)))
        continue;
      fputs (error->message, stderr);
      if (error->message[0] && error->message[strlen (error->message) - 1] != '\n')
        fputc ('\n', stderr);
      g_autofree char *label = point_label (axes, p);
      fprintf (stderr, "amisim sweep: point %u of %u (%s) is not a valid scenario\n", p + 1,
               n_points, label);
    }
  if (bad > 0)
    fprintf (stderr, "amisim sweep: %u of %u points are not valid; nothing was run\n", bad,
             n_points);
  return bad == 0;
}

int
ams_cli_sweep (const AmsSweepOptions *opt)
{
  g_return_val_if_fail (opt != NULL && opt->scenario != NULL, AMS_EXIT_BAD_INPUT);
  /* the other ranks of an MPI run only run jobs (cli/mpi.h) */
  if (!ams_mpi_input_ok (opt->scenario))
    return AMS_EXIT_BAD_INPUT;
  AmsSweepOptions worker_opt;
  if (ams_mpi_worker ())
    {
      worker_opt = *opt;
      worker_opt.out = NULL;
      worker_opt.quiet = TRUE;
      opt = &worker_opt;
    }
  if (opt->out != NULL)
    {
      g_autofree char *problem = ams_cli_out_dir_problem (opt->out);
      if (problem != NULL)
        {
          fprintf (stderr, "amisim sweep: %s\n", problem);
          return AMS_EXIT_BAD_INPUT;
        }
    }

  GArray *axes = g_array_new (FALSE, FALSE, sizeof (Axis));
  if (!find_axes (opt, axes))
    {
      axes_free (axes);
      return AMS_EXIT_BAD_INPUT;
    }
  if (axes->len == 0)
    {
      fprintf (stderr, "amisim sweep: nothing to sweep: give at least one axis, --set "
                       "PATH=V1,V2,… (the values separated by commas); to run one point, use "
                       "amisim run --replications N\n");
      axes_free (axes);
      return AMS_EXIT_BAD_INPUT;
    }
  guint64 n_points = 1;
  for (guint a = 0; a < axes->len && n_points <= MAX_POINTS; a++)
    n_points *= g_array_index (axes, Axis, a).values->len;
  if (n_points > MAX_POINTS)
    {
      fprintf (stderr, "amisim sweep: more than %d points; sweep fewer values at once\n",
               MAX_POINTS);
      axes_free (axes);
      return AMS_EXIT_BAD_INPUT;
    }

  guint np = (guint) n_points;
  guint n = MAX (opt->replications, 1u);
  if ((guint64) np * n > AMS_MAX_RUNS || opt->threads > AMS_MAX_THREADS)
    {
      if (opt->threads > AMS_MAX_THREADS)
        fprintf (stderr, "amisim sweep: --threads %u: too many; at most %d threads\n",
                 opt->threads, AMS_MAX_THREADS);
      else
        fprintf (stderr, "amisim sweep: %u points × %u replications = %" G_GUINT64_FORMAT
                         " runs: too many; at most %d (sweep fewer values or replications at "
                         "once)\n", np, n, (guint64) np * n, AMS_MAX_RUNS);
      axes_free (axes);
      return AMS_EXIT_BAD_INPUT;
    }
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new_with_free_func (
    (GDestroyNotify) ams_scenario_free);
  if (!load_points (opt, axes, np, scenarios))
    {
      axes_free (axes);
      return AMS_EXIT_BAD_INPUT;
    }

  /* every (point, replication), point-major; their results are kept until
   * the report */
  g_autofree AmsCliJob *jobs = g_try_new0 (AmsCliJob, (gsize) np * n);
  if (jobs == NULL)
    {
      fprintf (stderr, "amisim sweep: %u runs: not enough memory for the results\n", np * n);
      axes_free (axes);
      return AMS_EXIT_FAILURE;
    }
  gint64 t0 = g_get_monotonic_time ();
  for (guint p = 0; p < np; p++)
    {
      const AmsScenario *sc = scenarios->pdata[p];
      for (guint r = 0; r < n; r++)
        jobs[(gsize) p * n + r] = (AmsCliJob) { .sc = sc, .seed = sc->seed, .replication = r };
    }
  int ranks_status;
  g_autoptr (GError) ranks_error = NULL;
  if (!ams_mpi_run_jobs (jobs, np * n, MAX (opt->threads, 1u), &ranks_status, &ranks_error))
    {
      if (ranks_error != NULL)
        fprintf (stderr, "amisim sweep: %s\n", ranks_error->message);
      ams_cli_jobs_clear (jobs, np * n);
      axes_free (axes);
      return ranks_status;
    }
  double wall_s = (double) (g_get_monotonic_time () - t0) / 1e6;

  g_autofree const AmsResults **results = g_new (const AmsResults *, (gsize) np * n);
  g_autofree const char **values = g_new (const char *, (gsize) np * MAX (axes->len, 1u));
  g_autofree const char **paths = g_new (const char *, MAX (axes->len, 1u));
  g_autofree AmsRunInfo *info = g_new0 (AmsRunInfo, np);
  g_autoptr (GArray) fixed = g_array_new (FALSE, FALSE, sizeof (AmsOverride));
  for (guint i = 0; i < opt->n_overrides; i++)
    {
      gboolean axis = FALSE;
      for (guint a = 0; a < axes->len; a++)
        axis = axis || g_array_index (axes, Axis, a).override == i;
      if (!axis)
        g_array_append_val (fixed, opt->overrides[i]);
    }
  for (guint a = 0; a < axes->len; a++)
    paths[a] = g_array_index (axes, Axis, a).path;
  for (guint p = 0; p < np; p++)
    {
      const AmsScenario *sc = scenarios->pdata[p];
      double point_wall = 0.0;
      for (guint r = 0; r < n; r++)
        {
          results[(gsize) p * n + r] = &jobs[(gsize) p * n + r].res;
          point_wall += jobs[(gsize) p * n + r].wall_s;
        }
      for (guint a = 0; a < axes->len; a++)
        values[(gsize) p * axes->len + a] = point_value (axes, p, a);
      info[p] = (AmsRunInfo) {
        .scenario = sc->name,
        .scenario_file = sc->file,
        .replications = n,
        .wall_s = point_wall, /* the sum of its replications' run times */
        .amis_quota = sc->sim.amis_per_account_region,
        .start = sc->start,
      };
    }
  const AmsScenario *first = scenarios->pdata[0];
  gboolean same_seed = TRUE;
  for (guint p = 1; p < np; p++)
    same_seed = same_seed && ((const AmsScenario *) scenarios->pdata[p])->seed == first->seed;
  AmsSweepReport report = {
    .scenario = first->name,
    .scenario_file = first->file,
    .seed = first->seed,
    .same_seed = same_seed,
    .replications = n,
    .n_axes = axes->len,
    .axes = paths,
    .fixed = (const AmsOverride *) (void *) fixed->data,
    .n_fixed = fixed->len,
    .n_points = np,
    .values = values,
    .results = results,
    .info = info,
    .wall_s = wall_s,
    .start = first->start,
  };

  int status = AMS_EXIT_OK;
  g_autoptr (GString) json = ams_report_sweep_json (&report);
  if (opt->out != NULL)
    {
      g_autoptr (GString) csv = ams_report_sweep_csv (&report);
      g_autoptr (GString) plot = ams_plotdata_sweep (&report);
      AmsOutputFile files[] = { { "sweep.csv", csv }, { "summary.json", json },
                                { AMS_PLOTDATA_NAME, plot } };
      g_autoptr (GError) error = NULL;
      if (!ams_report_write_dir_full (opt->out, AMS_OUTDIR_MANIFEST, files, G_N_ELEMENTS (files),
                                      &error))
        {
          fprintf (stderr, "amisim sweep: %s\n", error->message);
          status = AMS_EXIT_FAILURE;
        }
    }
  if (status == AMS_EXIT_OK && !opt->quiet)
    {
      if (opt->json)
        ams_cli_print_string (json);
      else
        {
          g_autoptr (GString) table = ams_report_sweep_table (&report);
          ams_cli_print_string (table);
          if (opt->out != NULL)
            ams_cli_printf ("\noutputs written to %s/\n", opt->out);
        }
    }
  if (!ams_cli_stdout_ok ())
    status = AMS_EXIT_FAILURE;
  ams_cli_jobs_clear (jobs, np * n);
  axes_free (axes);
  return status;
}
