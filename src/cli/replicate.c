/* Replications on a thread pool (cli-private.h).
 *
 * Each job is one replication: its own world (what-if events change the
 * world) and engine over the scenario, which every job only reads. The
 * threads share nothing else that changes: the random streams are the
 * engine's, derived from (seed, replication, name) (rng.h); compiled
 * policies are immutable with atomic reference counts; the regexes
 * compiled once (launch permissions, the loader's patterns) are made under
 * g_once_init_enter and only read after. So a job's results are the same
 * whichever thread runs it, and the caller, reading them in job order,
 * writes the same bytes for any number of threads.
 *
 * The calling thread takes job 0 (the one recorded and observed: CSV
 * streams, trace, narration, progress) before the pool's threads start,
 * then all take the next job not taken until none is left. The pool's
 * threads block the signals amisim handles (SIGINT, SIGTERM, SIGHUP,
 * SIGPIPE): the calling thread handles them (report/cleanup.h). */
#include "cli/cli-private.h"
#include "report/cleanup.h"
#include "amisim/engine.h"
#include "amisim/world.h"

typedef struct
{
  AmsCliJob *jobs;
  guint n;
  gint *next; /* the next job to take (atomic) */
} Work;

void
ams_cli_run_job (AmsCliJob *job)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (AmsWorld) world = ams_world_new (job->sc);
  g_autoptr (AmsEngine) engine = ams_engine_new (job->sc, world, job->seed, job->replication);
  if (job->recorder != NULL)
    ams_engine_set_recorder (engine, job->recorder);
  if (job->observers != NULL)
    ams_cli_observers_attach (job->observers, engine);
  ams_engine_run (engine);
  if (job->sc->sim.lifecycle_compare)
    {
      /* the same replication without lifecycle: same seed, same streams,
       * so every build and copy happens as in the run above (common random
       * numbers); a world of its own, as events change the world */
      g_autoptr (AmsWorld) base_world = ams_world_new (job->sc);
      g_autoptr (AmsEngine) base = ams_engine_new (job->sc, base_world, job->seed,
                                                   job->replication);
      ams_engine_set_lifecycle (base, FALSE);
      if (job->base_recorder != NULL)
        ams_engine_set_recorder (base, job->base_recorder);
      ams_engine_run (base);
      ams_engine_compare (engine, ams_engine_results (base));
    }
  ams_engine_take_results (engine, &job->res);
  job->wall_s = (double) (g_get_monotonic_time () - t0) / 1e6;
}

static void
work (Work *w)
{
  for (;;)
    {
      gint i = g_atomic_int_add (w->next, 1);
      if (i < 0 || (guint) i >= w->n)
        return;
      ams_cli_run_job (&w->jobs[i]);
    }
}

static void
pool_thread (gpointer data, gpointer user)
{
  /* the calling thread handles the signals (report/cleanup.h) */
  ams_cleanup_block_here ();
  work (user);
}

void
ams_cli_run_jobs (AmsCliJob *jobs, guint n, guint threads)
{
  gint next = 1;
  ams_cli_run_jobs_from (jobs, n, threads, &next);
}

void
ams_cli_run_jobs_from (AmsCliJob *jobs, guint n, guint threads, gint *next)
{
  g_return_if_fail (n == 0 || jobs != NULL);
  if (n == 0)
    return;
  Work w = { jobs, n, next };
  threads = CLAMP (threads, 1u, n);
  GThreadPool *pool = NULL;
  if (threads > 1)
    {
      g_autoptr (GError) error = NULL;
      /* the pool's threads start with the signals blocked (they inherit
       * this thread's mask), so only this thread handles them */
      sigset_t saved;
      ams_cleanup_block (&saved);
      pool = g_thread_pool_new (pool_thread, &w, (gint) threads - 1, TRUE, &error);
      ams_cleanup_unblock (&saved);
      if (pool == NULL)
        g_warning ("running the replications on one thread: %s", error->message);
      for (guint t = 1; pool != NULL && t < threads; t++)
        g_thread_pool_push (pool, GUINT_TO_POINTER (t), NULL);
    }
  ams_cli_run_job (&jobs[0]);
  work (&w);
  if (pool != NULL)
    g_thread_pool_free (pool, FALSE, TRUE); /* waits for the jobs taken */
}

void
ams_cli_jobs_clear (AmsCliJob *jobs, guint n)
{
  for (guint i = 0; i < n; i++)
    ams_results_clear (&jobs[i].res);
}
