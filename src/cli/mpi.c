/* One run over the ranks of an MPI job (cli/mpi.h).
 *
 * Only one thread of a rank talks MPI at a time (MPI_THREAD_SERIALIZED):
 * on rank 0 the main thread agrees with the others, then a server thread
 * deals the jobs and takes the results while the main thread runs jobs,
 * then the main thread again once the server has ended; on the other ranks
 * the main thread alone, its own threads only running jobs. Whoever waits
 * for a message polls and sleeps (Open MPI's blocking calls spin, and a
 * spinning rank would take a core from the jobs).
 *
 * Messages to rank 0: ASK (a job, please), RESULT (job number, run time,
 * results; and a job, please), FAIL (why this rank stops), DONE (this rank
 * has nothing left in flight; its last message). Rank 0 answers ASK and
 * RESULT with JOB: a job number, or -1 (none left, or the run stops). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <mpi.h>

#include "cli/mpi.h"
#include "report/cleanup.h"
#include "report/results_wire.h"

enum
{
  TAG_ASK = 1,
  TAG_RESULT,
  TAG_FAIL,
  TAG_DONE,
  TAG_JOB,
  TAG_SAID,
};

static struct
{
  gboolean on;     /* MPI_Init done */
  int rank, size;
  gboolean agreed;
  int held_err;    /* the other ranks: their stderr until the agreement, or -1 */
  int saved_err;   /* the real stderr meanwhile */
  char host[MPI_MAX_PROCESSOR_NAME + 1];
} M = { .held_err = -1, .saved_err = -1 };

/* Started by a launcher (mpirun, mpiexec, srun), rather than by hand. */
static gboolean
launched (void)
{
  static const char *const vars[] = { "OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK",
                                      "PMI_SIZE", "MPI_LOCALNRANKS" };
  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    if (g_getenv (vars[i]) != NULL)
      return TRUE;
  return FALSE;
}

void
ams_mpi_init (int *argc, char ***argv)
{
  if (!launched ())
    return;
  int provided = MPI_THREAD_SINGLE;
  /* MPI's own threads start with amisim's signals blocked, as the job
   * threads do: the main thread alone handles them (report/cleanup.h) */
  sigset_t saved;
  ams_cleanup_block (&saved);
  int started = MPI_Init_thread (argc, argv, MPI_THREAD_SERIALIZED, &provided);
  ams_cleanup_unblock (&saved);
  if (started != MPI_SUCCESS)
    {
      fputs ("amisim: MPI did not start\n", stderr);
      exit (AMS_EXIT_FAILURE);
    }
  M.on = TRUE;
  MPI_Comm_rank (MPI_COMM_WORLD, &M.rank);
  MPI_Comm_size (MPI_COMM_WORLD, &M.size);
  int len = 0;
  if (MPI_Get_processor_name (M.host, &len) != MPI_SUCCESS)
    g_strlcpy (M.host, "?", sizeof M.host);
  if (M.size > 1 && provided < MPI_THREAD_SERIALIZED)
    {
      if (M.rank == 0)
        fputs ("amisim: this MPI library cannot be used from more than one thread "
               "(MPI_THREAD_SERIALIZED); run with one rank\n", stderr);
      MPI_Finalize ();
      exit (AMS_EXIT_FAILURE);
    }
  if (M.rank == 0 || M.size < 2)
    return;
  /* the other ranks: no standard output; stderr held until the agreement,
   * so that bad input is said once, by rank 0 */
  int null = open ("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0)
    {
      fflush (stdout);
      dup2 (null, STDOUT_FILENO);
      close (null);
    }
  M.held_err = memfd_create ("amisim-stderr", MFD_CLOEXEC);
  M.saved_err = M.held_err >= 0 ? dup (STDERR_FILENO) : -1;
  if (M.saved_err >= 0)
    dup2 (M.held_err, STDERR_FILENO);
}

gboolean
ams_mpi_worker (void)
{
  return M.on && M.size > 1 && M.rank > 0;
}

gboolean
ams_mpi_input_ok (const char *scenario)
{
  if (!(M.on && M.size > 1) || scenario == NULL || strcmp (scenario, "-") != 0)
    return TRUE;
  if (M.rank == 0)
    fprintf (stderr, "amisim: the scenario '-' (standard input) reaches rank 0 only; under "
                     "mpirun give a file every rank can read\n");
  return FALSE;
}

/* What this rank wrote on stderr since ams_mpi_init; stderr is its own
 * again. */
static char *
release_stderr (void)
{
  if (M.saved_err < 0)
    return g_strdup ("");
  fflush (stderr);
  dup2 (M.saved_err, STDERR_FILENO);
  close (M.saved_err);
  M.saved_err = -1;
  GString *said = g_string_new (NULL);
  char buf[4096];
  ssize_t got;
  if (lseek (M.held_err, 0, SEEK_SET) == 0)
    while ((got = read (M.held_err, buf, sizeof buf)) > 0 && said->len < 65536)
      g_string_append_len (said, buf, got);
  close (M.held_err);
  M.held_err = -1;
  return g_string_free (said, FALSE);
}

/* Waits for `req`, sleeping between looks. */
static void
wait_for (MPI_Request *req, MPI_Status *st)
{
  gulong pause = 20;
  for (;;)
    {
      int done = 0;
      MPI_Test (req, &done, st != NULL ? st : MPI_STATUS_IGNORE);
      if (done)
        return;
      g_usleep (pause);
      pause = MIN (pause * 2, 2000ul);
    }
}

static void
send_bytes (const void *data, gsize len, int to, int tag)
{
  MPI_Request req;
  MPI_Isend (data, (int) len, MPI_BYTE, to, tag, MPI_COMM_WORLD, &req);
  wait_for (&req, NULL);
}

/* The next message for this rank (any tag, from `from` or anyone) when
 * `block`, else NULL when none is there; *tag and *source say what and
 * whose. */
static GBytes *
receive (int from, gboolean block, int *tag, int *source)
{
  MPI_Status st;
  gulong pause = 20;
  for (;;)
    {
      int there = 0;
      MPI_Iprobe (from, MPI_ANY_TAG, MPI_COMM_WORLD, &there, &st);
      if (there)
        break;
      if (!block)
        return NULL;
      g_usleep (pause);
      pause = MIN (pause * 2, 2000ul);
    }
  int len = 0;
  MPI_Get_count (&st, MPI_BYTE, &len);
  char *buf = g_malloc (MAX (len, 1));
  MPI_Recv (buf, len, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  *tag = st.MPI_TAG;
  *source = st.MPI_SOURCE;
  return g_bytes_new_take (buf, (gsize) len);
}

/* Every rank, once: each says whether it could get as far as its jobs
 * (0) or not (its exit status); rank 0 says the first reason (its own,
 * else that of the first other rank that stopped, with what it wrote).
 * Returns the common verdict: 0 to go on. */
static int
agree (int status, GError **error)
{
  M.agreed = TRUE;
  g_autofree char *said = release_stderr ();
  g_autofree int *all = g_new0 (int, M.size);
  MPI_Request req;
  MPI_Igather (&status, 1, MPI_INT, all, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
  wait_for (&req, NULL);
  int verdict = status;
  if (M.rank == 0)
    {
      for (int r = 1; r < M.size; r++)
        if (all[r] != 0)
          {
            int tag, source;
            g_autoptr (GBytes) b = receive (r, TRUE, &tag, &source);
            gsize len;
            const char *text = g_bytes_get_data (b, &len);
            if (verdict != 0)
              continue;
            verdict = all[r];
            g_autofree char *msg = g_strndup (text, len);
            char *text0 = strchr (msg, '\n');
            if (text0 != NULL)
              *text0++ = '\0';
            g_strchomp (text0 != NULL ? text0 : msg);
            g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
                         "rank %d of %d (on %s) stopped before its jobs; nothing was run%s%s", r,
                         M.size, msg, text0 != NULL && *text0 ? ":\n" : "",
                         text0 != NULL ? text0 : "");
          }
    }
  else if (status != 0)
    {
      g_autofree char *msg = g_strdup_printf ("%s\n%s", M.host, said);
      send_bytes (msg, strlen (msg), 0, TAG_SAID);
    }
  MPI_Ibcast (&verdict, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
  wait_for (&req, NULL);
  return verdict;
}

/* ---- rank 0 ---------------------------------------------------------- */

typedef struct
{
  AmsCliJob *jobs;
  guint n;
  gint next;         /* the next job to give (atomic), to this rank's threads or others */
  guint8 *got;       /* [job]: 1 given to another rank, 2 its results received */
  char *failure;     /* why the run stops, or NULL */
} Deal;

static void
deal_fail (Deal *d, char *why)
{
  if (d->failure == NULL)
    d->failure = why;
  else
    g_free (why);
  g_atomic_int_set (&d->next, G_MAXINT / 2); /* nobody takes another */
}

static void
answer (Deal *d, int to)
{
  gint32 job = -1;
  if (d->failure == NULL)
    {
      gint i = g_atomic_int_add (&d->next, 1);
      if (i >= 1 && (guint) i < d->n)
        {
          job = i;
          d->got[i] = 1;
        }
    }
  send_bytes (&job, sizeof job, to, TAG_JOB);
}

/* A result's message: the job's number and run time, then its results. */
typedef struct
{
  guint32 job;
  guint32 pad;
  double wall_s;
} ResultHead;

static void
take_result (Deal *d, int from, GBytes *msg)
{
  gsize len;
  const char *data = g_bytes_get_data (msg, &len);
  ResultHead head;
  if (len < sizeof head)
    {
      deal_fail (d, g_strdup_printf ("rank %d of %d sent a result too short to read", from,
                                     M.size));
      return;
    }
  memcpy (&head, data, sizeof head);
  if (head.job >= d->n || d->got[head.job] != 1)
    {
      deal_fail (d, g_strdup_printf ("rank %d of %d sent the results of job %u, not given to it",
                                     from, M.size, head.job + 1));
      return;
    }
  g_autoptr (GBytes) body = g_bytes_new_from_bytes (msg, sizeof head, len - sizeof head);
  g_autoptr (GError) error = NULL;
  AmsCliJob *job = &d->jobs[head.job];
  if (!ams_results_wire_load (body, &job->res, &error))
    {
      deal_fail (d, g_strdup_printf ("rank %d of %d, job %u: %s", from, M.size, head.job + 1,
                                     error->message));
      return;
    }
  job->wall_s = head.wall_s;
  d->got[head.job] = 2;
}

static gpointer
serve (gpointer data)
{
  Deal *d = data;
  int live = M.size - 1;
  while (live > 0)
    {
      int tag, from;
      g_autoptr (GBytes) msg = receive (MPI_ANY_SOURCE, TRUE, &tag, &from);
      switch (tag)
        {
        case TAG_ASK:
          answer (d, from);
          break;
        case TAG_RESULT:
          take_result (d, from, msg);
          answer (d, from);
          break;
        case TAG_FAIL:
          {
            gsize len;
            const char *text = g_bytes_get_data (msg, &len);
            deal_fail (d, g_strndup (text, len));
          }
          break;
        case TAG_DONE:
          live--;
          break;
        default:
          deal_fail (d, g_strdup_printf ("rank %d of %d sent an unknown message (%d)", from,
                                         M.size, tag));
        }
    }
  return NULL;
}

static gboolean
lead (AmsCliJob *jobs, guint n, guint threads, int *status, GError **error)
{
  Deal d = { jobs, n, 1, g_new0 (guint8, n), NULL };
  /* the server starts with the signals blocked: this thread handles them */
  sigset_t saved;
  ams_cleanup_block (&saved);
  GThread *server = g_thread_new ("amisim-mpi", serve, &d);
  ams_cleanup_unblock (&saved);
  ams_cli_run_jobs_from (jobs, n, threads, &d.next);
  g_thread_join (server);
  for (guint i = 1; d.failure == NULL && i < n; i++)
    if (d.got[i] == 1)
      d.failure = g_strdup_printf ("job %u of %u: its results never came", i + 1, n);
  g_free (d.got);
  if (d.failure == NULL)
    return TRUE;
  g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s; the run is stopped, nothing "
               "was written", d.failure);
  g_free (d.failure);
  *status = AMS_EXIT_FAILURE;
  return FALSE;
}

/* ---- the other ranks -------------------------------------------------- */

/* Sends `msg` (tag) to rank 0 and returns its answer: a job, or -1. */
static gint32
ask (int tag, const void *msg, gsize len)
{
  send_bytes (msg, len, 0, tag);
  gint32 job = -1;
  MPI_Request req;
  MPI_Irecv (&job, 1, MPI_INT32_T, 0, TAG_JOB, MPI_COMM_WORLD, &req);
  wait_for (&req, NULL);
  return job;
}

typedef struct
{
  GAsyncQueue *done; /* of AmsCliJob*, run */
} Crew;

static void
crew_run (gpointer data, gpointer user)
{
  ams_cleanup_block_here ();
  Crew *c = user;
  ams_cli_run_job (data);
  g_async_queue_push (c->done, data);
}

/* AMISIM_MPI_FAIL_RANK=R[:exit]: whether this rank is R (and how it fails:
 * R fails the first job it is given, or, given none, as it is refused one;
 * R:exit dies as it starts, before it asks for one). Either way it fails
 * even when the others have taken every job by then, as on a loaded
 * machine they can. */
static gboolean
injected (gboolean *die)
{
  const char *v = g_getenv ("AMISIM_MPI_FAIL_RANK");
  if (v == NULL)
    return FALSE;
  char *end = NULL;
  guint64 r = g_ascii_strtoull (v, &end, 10);
  *die = g_strcmp0 (end, ":exit") == 0;
  return end != v && r == (guint64) M.rank;
}

/* Tells rank 0 that this rank failed, as injected, at `what` (a job, or
 * none given). */
static void
send_injected (const char *what)
{
  g_autofree char *why = g_strdup_printf ("rank %d of %d (on %s), %s: failed: injected "
                                          "(AMISIM_MPI_FAIL_RANK=%d)", M.rank, M.size, M.host,
                                          what, M.rank);
  send_bytes (why, strlen (why), 0, TAG_FAIL);
}

static int
follow (AmsCliJob *jobs, guint n, guint threads)
{
  gboolean die = FALSE, fail = injected (&die);
  if (fail && die)
    _exit (AMS_EXIT_FAILURE);
  Crew c = { g_async_queue_new () };
  sigset_t saved;
  ams_cleanup_block (&saved);
  GThreadPool *pool = g_thread_pool_new (crew_run, &c, (gint) MAX (threads, 1u), FALSE, NULL);
  ams_cleanup_unblock (&saved);
  guint inflight = 0;
  gboolean stopped = FALSE;
  int status = AMS_EXIT_OK;

  /* a job given: run it, or fail it (injected) */
#define START(j)                                                                              \
  do                                                                                          \
    {                                                                                         \
      if (fail)                                                                               \
        {                                                                                     \
          g_autofree char *what = g_strdup_printf ("job %d of %u (replication %"              \
                                                   G_GUINT64_FORMAT ")", (j) + 1, n,          \
                                                   jobs[(j)].replication);                    \
          send_injected (what);                                                               \
          stopped = TRUE;                                                                     \
          status = AMS_EXIT_FAILURE;                                                          \
        }                                                                                     \
      else                                                                                    \
        {                                                                                     \
          g_thread_pool_push (pool, &jobs[(j)], NULL);                                        \
          inflight++;                                                                         \
        }                                                                                     \
    }                                                                                         \
  while (0)

  for (guint t = 0; t < MAX (threads, 1u) && !stopped; t++)
    {
      gint32 j = ask (TAG_ASK, NULL, 0);
      if (j < 1 || (guint) j >= n)
        break;
      START (j);
    }
  if (fail && !stopped)
    {
      /* given no job (on a loaded machine the others can take every one
       * before this rank asks): it fails all the same, so that the test
       * that injects it sees the failure whatever the timing */
      send_injected ("given no job");
      stopped = TRUE;
      status = AMS_EXIT_FAILURE;
    }
  while (inflight > 0)
    {
      AmsCliJob *job = g_async_queue_pop (c.done);
      inflight--;
      if (stopped)
        {
          ams_results_clear (&job->res);
          continue;
        }
      g_autoptr (GBytes) res = ams_results_wire_save (&job->res);
      ams_results_clear (&job->res);
      ResultHead head = { (guint32) (job - jobs), 0, job->wall_s };
      gsize len = g_bytes_get_size (res);
      g_autofree char *msg = g_try_malloc (sizeof head + len);
      if (msg == NULL)
        {
          g_autofree char *why = g_strdup_printf ("rank %d of %d (on %s): not enough memory to "
                                                  "send the results of job %u", M.rank, M.size,
                                                  M.host, head.job + 1);
          send_bytes (why, strlen (why), 0, TAG_FAIL);
          stopped = TRUE;
          status = AMS_EXIT_FAILURE;
          continue;
        }
      memcpy (msg, &head, sizeof head);
      memcpy (msg + sizeof head, g_bytes_get_data (res, NULL), len);
      gint32 j = ask (TAG_RESULT, msg, sizeof head + len);
      if (j >= 1 && (guint) j < n)
        START (j);
    }
#undef START
  g_thread_pool_free (pool, FALSE, TRUE);
  g_async_queue_unref (c.done);
  send_bytes (NULL, 0, 0, TAG_DONE);
  return status;
}

/* ---- every rank -------------------------------------------------------- */

gboolean
ams_mpi_run_jobs (AmsCliJob *jobs, guint n, guint threads, int *status, GError **error)
{
  *status = AMS_EXIT_OK;
  if (!M.on || M.size < 2)
    {
      ams_cli_run_jobs (jobs, n, threads);
      return TRUE;
    }
  int verdict = agree (AMS_EXIT_OK, M.rank == 0 ? error : NULL);
  if (verdict != 0)
    {
      *status = verdict;
      return FALSE;
    }
  if (M.rank == 0)
    return lead (jobs, n, threads, status, error);
  follow (jobs, n, threads);
  return FALSE;
}

int
ams_mpi_finish (int status)
{
  if (!M.on)
    return status;
  if (M.size > 1)
    {
      if (!M.agreed)
        {
          g_autoptr (GError) error = NULL;
          int verdict = agree (status, M.rank == 0 ? &error : NULL);
          if (M.rank == 0 && status == 0 && verdict != 0)
            {
              fprintf (stderr, "amisim: %s\n", error->message);
              status = verdict;
            }
        }
      MPI_Request req;
      MPI_Ibcast (&status, 1, MPI_INT, 0, MPI_COMM_WORLD, &req);
      wait_for (&req, NULL);
    }
  MPI_Finalize ();
  /* rank 0 alone carries the verdict (mpirun and srun exit with it); the
   * others end quietly, so that mpirun names rank 0 */
  return M.rank == 0 ? status : AMS_EXIT_OK;
}
