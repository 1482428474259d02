/* The commands: load a scenario, run it, report, write outputs, and pick the
 * exit code (0 ok, 1 the run failed or an output could not be written, 2
 * bad input). Nothing here parses arguments (main.c does) or knows YAML
 * (the loader does). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>

#include "amisim/cli.h"
#include "cli/cli-private.h"
#include "cli/mpi.h"
#include "amisim/engine.h"
#include "amisim/report.h"
#include "amisim/world.h"
#include "report/cleanup.h"
#include "report/json.h"
#include "report/plotdata.h"

extern const char ams_default_scenario_yaml[];
extern const size_t ams_default_scenario_yaml_len;

const char *
ams_default_scenario (gsize *len)
{
  if (len != NULL)
    *len = ams_default_scenario_yaml_len;
  return ams_default_scenario_yaml;
}

static AmsScenario *
load (const char *file, const AmsOverride *ov, guint n_ov, GError **error)
{
  if (file == NULL)
    {
      gsize len;
      const char *text = ams_default_scenario (&len);
      return ams_scenario_load_data (AMS_DEFAULT_SCENARIO_NAME, text, (gssize) len, ov, n_ov,
                                     error);
    }
  return ams_scenario_load_file (file, ov, n_ov, error);
}

/* Prints a multi-line error message to stderr, one line per line. */
static void
print_error (const GError *error)
{
  fputs (error->message, stderr);
  if (error->message[0] && error->message[strlen (error->message) - 1] != '\n')
    fputc ('\n', stderr);
}

AmsScenario *
ams_cli_load (const char *file, const AmsOverride *ov, guint n_ov)
{
  g_autoptr (GError) error = NULL;
  AmsScenario *sc = load (file, ov, n_ov, &error);
  if (sc == NULL)
    print_error (error);
  return sc;
}

/* Checks, before anything runs, that the output folder can be made: it is a
 * folder already, or its nearest existing ancestor is a folder we may write
 * in. Returns a message, or NULL when it looks usable. */
char *
ams_cli_out_dir_problem (const char *out)
{
  if (g_file_test (out, G_FILE_TEST_EXISTS))
    {
      if (!g_file_test (out, G_FILE_TEST_IS_DIR))
        return g_strdup_printf ("--out %s: exists and is not a folder", out);
      if (access (out, W_OK | X_OK) != 0)
        return g_strdup_printf ("--out %s: cannot write in this folder: %s", out,
                                g_strerror (errno));
      return NULL;
    }
  g_autofree char *dir = g_path_get_dirname (out);
  while (!g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      char *up = g_path_get_dirname (dir);
      g_free (dir);
      dir = up;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return g_strdup_printf ("--out %s: %s is not a folder", out, dir);
  if (access (dir, W_OK | X_OK) != 0)
    return g_strdup_printf ("--out %s: cannot create it in %s: %s", out, dir, g_strerror (errno));
  return NULL;
}

static int report (const AmsRunOptions *opt, AmsOutDir *od, AmsObservers *observers,
                   const AmsResults *const *res, guint n, const AmsRunInfo *info,
                   const AmsPlotData *plot);

/* Says `error` on stderr ("amisim: MESSAGE") and returns `status`. */
static int
fail (const GError *error, int status)
{
  fprintf (stderr, "amisim: %s\n", error->message);
  return status;
}

int
ams_cli_run (const AmsRunOptions *opt)
{
  g_autoptr (GError) error = NULL;

  /* The other ranks of an MPI run only run jobs: rank 0 alone writes
   * (cli/mpi.h). */
  if (!ams_mpi_input_ok (opt->scenario))
    return AMS_EXIT_BAD_INPUT;
  AmsRunOptions worker_opt;
  if (ams_mpi_worker ())
    {
      worker_opt = (AmsRunOptions) { .scenario = opt->scenario, .overrides = opt->overrides,
                                     .n_overrides = opt->n_overrides,
                                     .replications = opt->replications,
                                     .threads = opt->threads, .quiet = TRUE };
      opt = &worker_opt;
    }

  /* Every option, then the scenario, before anything is made: bad input
   * leaves no folder, no temporary, no file. */
  guint n = MAX (opt->replications, 1u);
  if (n > AMS_MAX_REPLICATIONS || opt->threads > AMS_MAX_THREADS)
    {
      fprintf (stderr, "amisim: --replications %u, --threads %u: at most %d replications and "
                       "%d threads\n", opt->replications, opt->threads, AMS_MAX_REPLICATIONS,
               AMS_MAX_THREADS);
      return AMS_EXIT_BAD_INPUT;
    }
  if (opt->out != NULL)
    {
      g_autofree char *problem = ams_cli_out_dir_problem (opt->out);
      if (problem != NULL)
        {
          fprintf (stderr, "amisim: %s\n", problem);
          return AMS_EXIT_BAD_INPUT;
        }
    }
  if (!ams_cli_observers_check (opt, NULL, &error))
    return fail (error, AMS_EXIT_BAD_INPUT);
  g_autoptr (AmsScenario) sc = load (opt->scenario, opt->overrides, opt->n_overrides, &error);
  if (sc == NULL)
    {
      print_error (error);
      return AMS_EXIT_BAD_INPUT;
    }
  if (!ams_cli_observers_check (opt, sc, &error))
    return fail (error, AMS_EXIT_BAD_INPUT);
  /* the replications' results are kept until the report */
  g_autofree AmsCliJob *jobs = g_try_new0 (AmsCliJob, n);
  g_autofree const AmsResults **results = g_try_new (const AmsResults *, n);
  if (jobs == NULL || results == NULL)
    {
      fprintf (stderr, "amisim: --replications %u: not enough memory for the results\n", n);
      return AMS_EXIT_FAILURE;
    }

  /* With --out, the per-image, per-copy and time-series files stream to a
   * staging folder while the run goes; everything is published together
   * at the end, or removed if anything fails (or a signal stops the run). */
  g_autoptr (AmsOutDir) od = NULL;
  g_autoptr (AmsCsvRecorder) csv = NULL;
  if (opt->out != NULL)
    {
      od = ams_outdir_open (opt->out, AMS_OUTDIR_MANIFEST, &error);
      FILE *images = od ? ams_outdir_create (od, "images.csv", &error) : NULL;
      FILE *copies = images && sc->sim.output_copies ? ams_outdir_create (od, "copies.csv", &error)
                                                     : NULL;
      FILE *series = images && (copies || !sc->sim.output_copies)
                       ? ams_outdir_create (od, "timeseries.csv", &error)
                       : NULL;
      FILE *lifecycle = series ? ams_outdir_create (od, "lifecycle.csv", &error) : NULL;
      if (lifecycle == NULL)
        return fail (error, AMS_EXIT_FAILURE);
      csv = ams_csv_recorder_new (images, copies, series, lifecycle,
                                  sc->sim.timeseries_max_rows);
      ams_csv_recorder_set_start (csv, sc->start);
    }

  /* the run without lifecycle (simulation.lifecycle.compare): its storage
   * over time, for the plot with and without lifecycle */
  g_autoptr (AmsCsvRecorder) base_csv = NULL;
  if (od != NULL && sc->sim.lifecycle_compare)
    {
      FILE *series = ams_outdir_create (od, "timeseries-without-lifecycle.csv", &error);
      if (series == NULL)
        return fail (error, AMS_EXIT_FAILURE);
      base_csv = ams_csv_recorder_new (NULL, NULL, series, NULL, sc->sim.timeseries_max_rows);
      ams_csv_recorder_set_start (base_csv, sc->start);
    }

  g_autoptr (AmsObservers) observers = ams_cli_observers_new (opt, sc, &error);
  if (observers == NULL && error != NULL)
    return fail (error, AMS_EXIT_FAILURE); /* checked above: the file system refused */

  /* Replication r runs on streams (seed, r, name); replication 0 alone is
   * recorded (the CSV streams) and observed (trace, narration, progress). */
  gint64 t0 = g_get_monotonic_time ();
  for (guint r = 0; r < n; r++)
    jobs[r] = (AmsCliJob) { .sc = sc, .seed = sc->seed, .replication = r };
  AmsRecorder rec, base_rec, plot_rec, plot_base_rec;
  if (csv != NULL)
    {
      ams_csv_recorder_bind (csv, &rec);
      jobs[0].recorder = &rec;
    }
  if (base_csv != NULL)
    {
      ams_csv_recorder_bind (base_csv, &base_rec);
      jobs[0].base_recorder = &base_rec;
    }
  /* and the data of `amisim plot`, gathered in front of the CSV files */
  g_autoptr (AmsPlotData) plot = od != NULL ? ams_plotdata_new (sc->start, sc->horizon) : NULL;
  if (plot != NULL)
    {
      ams_plotdata_bind (plot, jobs[0].recorder, &plot_rec);
      jobs[0].recorder = &plot_rec;
      if (jobs[0].base_recorder != NULL)
        {
          ams_plotdata_bind_base (plot, jobs[0].base_recorder, &plot_base_rec);
          jobs[0].base_recorder = &plot_base_rec;
        }
    }
  jobs[0].observers = observers;
  int ranks_status;
  if (!ams_mpi_run_jobs (jobs, n, MAX (opt->threads, 1u), &ranks_status, &error))
    {
      ams_cli_observers_finish (observers, NULL);
      ams_cli_jobs_clear (jobs, n);
      return error != NULL ? fail (error, ranks_status) : ranks_status;
    }
  for (guint r = 0; r < n; r++)
    results[r] = &jobs[r].res;
  if (!ams_cli_observers_finish (observers, &error))
    {
      ams_cli_jobs_clear (jobs, n);
      return fail (error, AMS_EXIT_FAILURE);
    }

  AmsRunInfo info = {
    .scenario = sc->name,
    .scenario_file = sc->file,
    .replications = n,
    .wall_s = (double) (g_get_monotonic_time () - t0) / 1e6,
    .timeseries_truncated = csv != NULL && ams_csv_recorder_truncated (csv),
    .amis_quota = sc->sim.amis_per_account_region,
    .start = sc->start,
  };
  int status = report (opt, od, observers, results, n, &info, plot);
  ams_cli_jobs_clear (jobs, n);
  return status;
}

/* summary.json, pools.csv, failures.csv, storage.csv (means with
 * replications: the streamed CSVs are replication 0's), every file checked,
 * the outputs and the trace published together, the table or JSON on
 * stdout. */
static int
report (const AmsRunOptions *opt, AmsOutDir *od, AmsObservers *observers,
        const AmsResults *const *res, guint n, const AmsRunInfo *info, const AmsPlotData *plot)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) summary = ams_report_summary_json_n (res, n, info);

  if (od != NULL)
    {
      FILE *f = ams_outdir_create (od, "summary.json", &error);
      if (f != NULL)
        fputs (summary->str, f);
      FILE *pools = f ? ams_outdir_create (od, "pools.csv", &error) : NULL;
      if (pools != NULL)
        ams_csv_pools_n (pools, res, n);
      FILE *failures = pools ? ams_outdir_create (od, "failures.csv", &error) : NULL;
      if (failures != NULL)
        ams_csv_failures_n (failures, res, n);
      FILE *storage = failures ? ams_outdir_create (od, "storage.csv", &error) : NULL;
      if (storage != NULL)
        ams_csv_storage_n (storage, res, n);
      FILE *pf = storage ? ams_outdir_create (od, AMS_PLOTDATA_NAME, &error) : NULL;
      if (pf != NULL)
        {
          g_autoptr (GString) text = ams_plotdata_run (plot, res, n);
          fputs (text->str, pf);
        }
      if (pf == NULL || !ams_outdir_close (od, &error))
        return fail (error, AMS_EXIT_FAILURE);
    }

  /* Both written whole: publish them with the signals held back, so that
   * a signal comes after, not between. */
  sigset_t saved;
  ams_cleanup_block (&saved);
  gboolean published = (od == NULL || ams_outdir_commit (od, &error))
                       && ams_cli_observers_commit (observers, &error);
  ams_cleanup_unblock (&saved);
  if (!published)
    return fail (error, AMS_EXIT_FAILURE);

  /* with --trace -, stdout is the trace's */
  gboolean trace_on_stdout = opt->trace != NULL && strcmp (opt->trace, "-") == 0;
  if (!opt->quiet && !trace_on_stdout)
    {
      if (opt->json)
        ams_cli_print_string (summary);
      else
        {
          g_autoptr (GString) table = ams_report_table_n (res, n, info);
          ams_cli_print_string (table);
          if (opt->out != NULL)
            ams_cli_printf ("\noutputs written to %s/\n", opt->out);
        }
    }
  return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
}

/* The accounts of a scenario: those listed and those its account sets make. */
static guint64
n_accounts (const AmsScenario *sc)
{
  guint64 n = sc->accounts->len;
  for (guint i = 0; sc->account_sets != NULL && i < sc->account_sets->len; i++)
    n += ((const AmsScAccountSet *) g_ptr_array_index (sc->account_sets, i))->count;
  return n;
}

int
ams_cli_validate (const AmsValidateOptions *opt)
{
  gboolean all_ok = TRUE;
  g_autoptr (GString) json = g_string_new ("[");
  for (guint i = 0; i < opt->n_files; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (AmsScenario) sc = load (opt->files[i], opt->overrides, opt->n_overrides, &error);
      if (sc == NULL)
        {
          all_ok = FALSE;
          print_error (error);
        }
      else if (!opt->quiet && !opt->json)
        ams_cli_printf (/* accounts listed and made by account sets */
                        "%s: valid (%u regions, %" G_GUINT64_FORMAT " accounts, %u pipelines)\n",
                        strcmp (opt->files[i], "-") == 0 ? "<stdin>" : opt->files[i],
                        sc->regions->len, n_accounts (sc), sc->pipelines->len);
      if (opt->json)
        {
          g_string_append (json, i ? ",\n  {\"file\": " : "\n  {\"file\": ");
          ams_json_escape (json, opt->files[i]);
          g_string_append_printf (json, ", \"valid\": %s, \"errors\": [", sc ? "true" : "false");
          if (sc == NULL)
            {
              g_auto (GStrv) lines = g_strsplit (error->message, "\n", -1);
              gboolean first = TRUE;
              for (char **l = lines; *l; l++)
                if (**l)
                  {
                    if (!first)
                      g_string_append (json, ", ");
                    ams_json_escape (json, *l);
                    first = FALSE;
                  }
            }
          g_string_append (json, "]}");
        }
    }
  if (opt->json && !opt->quiet)
    ams_cli_printf ("%s\n]\n", json->str);
  if (!ams_cli_stdout_ok ())
    return AMS_EXIT_FAILURE; /* the verdicts did not get there */
  return all_ok ? AMS_EXIT_OK : AMS_EXIT_BAD_INPUT;
}
