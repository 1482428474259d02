/* amisim — command-line internals shared by the commands' files. */
#pragma once

#include <glib.h>
#include "amisim/cli.h"
#include "amisim/engine.h"

G_BEGIN_DECLS

/* ---- standard output, checked (output.c) ---- */

/* Writes to stdout; a failure is remembered, with its reason, for
 * ams_cli_stdout_ok (cli.h). FALSE once any write to stdout failed. */
gboolean ams_cli_print (const char *text, gsize len);
gboolean ams_cli_print_string (const GString *s);
gboolean ams_cli_printf (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

/* ---- what watches a run (observe.c) ---- */

/* Checks what --trace, --trace-… and --narrate ask for, before anything is
 * made: with `sc` NULL what needs no scenario (the filters given without
 * --trace, --narrate with --json, the kinds, the trace file's path: not a
 * folder, in a folder that exists and may be written); with the scenario,
 * also that every --trace-account, --trace-region and --trace-image is
 * one of its own. Errors: G_OPTION_ERROR_BAD_VALUE or G_FILE_ERROR, the
 * message starting with the option. */
gboolean ams_cli_observers_check (const AmsRunOptions *opt, const AmsScenario *sc,
                                  GError **error);

/* What --trace, --narrate and the progress bar attach to a run. NULL with
 * no error when nothing is asked for. Checks as ams_cli_observers_check;
 * errors making the trace file's temporary: G_FILE_ERROR, the message
 * naming the path. */
typedef struct AmsObservers AmsObservers;
AmsObservers *ams_cli_observers_new (const AmsRunOptions *opt, const AmsScenario *sc,
                                     GError **error);
/* Before ams_engine_run of the one engine observed (the first replication). */
void ams_cli_observers_attach (AmsObservers *obs, AmsEngine *e);
/* After the run: ends the story, clears the progress bar, and flushes and
 * closes the trace file, checking every write (nothing published yet). */
gboolean ams_cli_observers_finish (AmsObservers *obs, GError **error);
/* Publishes the trace file (renames it into place). */
gboolean ams_cli_observers_commit (AmsObservers *obs, GError **error);
void ams_cli_observers_free (AmsObservers *obs); /* accepts NULL; removes an unpublished trace */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsObservers, ams_cli_observers_free)

/* commands.c: whether the folder of --out can be made (it is a folder
 * already, or its nearest existing ancestor is one we may write in): a
 * message saying why not, or NULL. */
char *ams_cli_out_dir_problem (const char *out);

/* ---- replications (replicate.c) ---- */

/* One replication to run: a world and an engine of its own, on the
 * scenario shared read-only with every other job. */
typedef struct
{
  const AmsScenario *sc;
  uint64_t seed;                     /* master seed */
  uint64_t replication;              /* the streams' replication number */
  /* the one job that is recorded and observed (job 0); NULL for the others */
  const AmsRecorder *recorder;       /* images.csv, copies.csv, … */
  const AmsRecorder *base_recorder;  /* the run without lifecycle (lifecycle.compare) */
  AmsObservers *observers;
  /* out */
  AmsResults res;                    /* detached: outlives engine and world */
  double wall_s;                     /* how long this job took */
} AmsCliJob;

/* Runs every job on `threads` threads (>= 1; the calling thread is one of
 * them and runs job 0, so that what observes it stays on this thread; the
 * others block the signals the calling thread handles, report/cleanup.h);
 * with simulation.lifecycle.compare each job also runs its replication
 * without lifecycle. The results do not depend on `threads`: each job's
 * are its own, and the caller reads them in job order. */
void ams_cli_run_jobs (AmsCliJob *jobs, guint n, guint threads);
/* The same, the jobs after job 0 taken from the counter *next (atomic;
 * 1 to start with), which others may share (cli/mpi.c: other ranks' jobs
 * are taken from it too). */
void ams_cli_run_jobs_from (AmsCliJob *jobs, guint n, guint threads, gint *next);
/* Runs one job, on this thread. */
void ams_cli_run_job (AmsCliJob *job);
/* Clears the jobs' results. */
void ams_cli_jobs_clear (AmsCliJob *jobs, guint n);

G_END_DECLS
