/* What watches a run (cli-private.h): the trace file (--trace), the
 * narration (--narrate) and the progress bar.
 *
 * One tracer is set on the engine and hands each event to the trace
 * writer and the narrator. The progress bar is drawn on stderr when it is
 * a terminal, from the kernel's tick every PROGRESS_EVERY events: the tick
 * costs one comparison per event when it is not set, and when it is, one
 * clock read every PROGRESS_EVERY events; the bar appears only once the
 * run has taken a second, is redrawn at most ten times a second, and is
 * cleared at the end. There is no bar with --quiet, nor with --narrate
 * (the story is the progress, and the two would garble one terminal).
 *
 * Everything asked for is checked (ams_cli_observers_check) before
 * anything is made, the trace file's path and its filters against the
 * scenario included; the trace file is published only with the outputs,
 * after every write to it was checked.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "amisim/report.h"
#include "amisim/tracelog.h"
#include "cli/cli-private.h"
#include "report/cleanup.h"

#define PROGRESS_EVERY 65536
#define PROGRESS_AFTER G_USEC_PER_SEC      /* runs shorter than this show no bar */
#define PROGRESS_REDRAW (G_USEC_PER_SEC / 10)
#define BAR_WIDTH 30
/* Lines of narration per simulated hour before "(… N more in that hour)". */
#define NARRATE_PER_HOUR 24

struct AmsObservers
{
  AmsTraceWriter *trace;
  AmsNarrator *narrator;
  gboolean progress;
  gboolean attached;       /* to the one engine observed (freed before finish) */
  AmsTime horizon;
  AmsTime last;            /* the time of the last event seen */
  gint64 t0;               /* wall clock at attach, µs */
  gint64 drawn_at;         /* wall clock of the last bar drawn, 0: none drawn */
};

static gboolean
any (const char *const *list)
{
  return list != NULL && list[0] != NULL;
}

static char *
strip_slashes (const char *path)
{
  gsize n = strlen (path);
  while (n > 1 && G_IS_DIR_SEPARATOR (path[n - 1]))
    n--;
  return g_strndup (path, n);
}

/* The trace file can be written: not a folder, not a device other than a
 * character device or FIFO, in a folder that exists and may be written. */
static gboolean
check_trace_path (const char *trace, const char *out, GError **error)
{
  GStatBuf st;
  if (g_stat (trace, &st) == 0)
    {
      if (S_ISDIR (st.st_mode))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                       "--trace %s: is a folder; give a file name", trace);
          return FALSE;
        }
      if (S_ISCHR (st.st_mode) || S_ISFIFO (st.st_mode))
        {
          if (access (trace, W_OK) == 0)
            return TRUE; /* written directly */
          int err = errno;
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                       "--trace %s: cannot write: %s", trace, g_strerror (err));
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                       "--trace %s: exists and is not a regular file", trace);
          return FALSE;
        }
    }
  if (G_IS_DIR_SEPARATOR (trace[strlen (trace) - 1]))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR,
                   "--trace %s: names a folder; give a file name", trace);
      return FALSE;
    }
  g_autofree char *dir = g_path_get_dirname (trace);
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *a = strip_slashes (dir);
      g_autofree char *b = out != NULL ? strip_slashes (out) : NULL;
      if (b != NULL && strcmp (a, b) == 0)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
                     "--trace %s: no folder %s yet; --out makes it only when the run ends, "
                     "so create it first or write the trace elsewhere", trace, dir);
      else
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "--trace %s: no folder %s", trace,
                     dir);
      return FALSE;
    }
  if (access (dir, W_OK | X_OK) != 0)
    {
      int err = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (err),
                   "--trace %s: cannot write in %s: %s", trace, dir, g_strerror (err));
      return FALSE;
    }
  return TRUE;
}

gboolean
ams_cli_observers_check (const AmsRunOptions *opt, const AmsScenario *sc, GError **error)
{
  g_return_val_if_fail (opt != NULL, FALSE);
  AmsTraceFilter filter = {
    .accounts = opt->trace_accounts,
    .regions = opt->trace_regions,
    .images = opt->trace_images,
    .kinds = opt->trace_kinds,
  };
  if (opt->trace == NULL
      && (any (filter.accounts) || any (filter.regions) || any (filter.images)
          || any (filter.kinds)))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--trace-account, --trace-region, --trace-image and --trace-kind choose what "
                   "--trace FILE writes; give --trace FILE");
      return FALSE;
    }
  if (opt->narrate && !opt->quiet && opt->json)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--narrate and --json both print on stdout; use one of them (--out DIR "
                   "writes summary.json)");
      return FALSE;
    }
  if (opt->trace == NULL)
    return TRUE;
  if (strcmp (opt->trace, "-") == 0 && (opt->narrate || opt->json))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--trace - writes the trace on stdout, where --%s would print too; write "
                   "the trace to a file, or leave out --%s", opt->narrate ? "narrate" : "json",
                   opt->narrate ? "narrate" : "json");
      return FALSE;
    }
  if (sc != NULL)
    return ams_trace_filter_check (&filter, sc, error);
  if (strcmp (opt->trace, "-") == 0)
    return ams_trace_filter_check (&filter, NULL, error);
  /* before the scenario loads: the kinds, and the path */
  return ams_trace_filter_check (&filter, NULL, error)
         && check_trace_path (opt->trace, opt->out, error);
}

AmsObservers *
ams_cli_observers_new (const AmsRunOptions *opt, const AmsScenario *sc, GError **error)
{
  g_return_val_if_fail (opt != NULL && sc != NULL, NULL);
  if (!ams_cli_observers_check (opt, NULL, error) || !ams_cli_observers_check (opt, sc, error))
    return NULL;
  AmsTraceFilter filter = {
    .accounts = opt->trace_accounts,
    .regions = opt->trace_regions,
    .images = opt->trace_images,
    .kinds = opt->trace_kinds,
  };
  gboolean narrate = opt->narrate && !opt->quiet;
  g_autoptr (AmsTraceWriter) trace = NULL;
  if (opt->trace != NULL)
    {
      trace = ams_trace_writer_new (opt->trace, &filter, error);
      if (trace == NULL)
        return NULL;
      AmsTraceHeader header = {
        .scenario = sc->name,
        .scenario_file = sc->file,
        .seed = sc->seed,
        .start = sc->start,
        .horizon = sc->horizon,
        .replication = 0, /* replication 0 alone is observed */
      };
      ams_trace_writer_header (trace, &header);
    }
  gboolean progress = !opt->quiet && !narrate && isatty (STDERR_FILENO);
  if (trace == NULL && !narrate && !progress)
    return NULL;
  AmsObservers *obs = g_new0 (AmsObservers, 1);
  obs->trace = g_steal_pointer (&trace);
  obs->narrator = narrate ? ams_narrator_new (stdout, sc->start, NARRATE_PER_HOUR) : NULL;
  obs->progress = progress;
  obs->horizon = sc->horizon;
  if (narrate)
    ams_cli_printf ("The story of %s (seed %" G_GUINT64_FORMAT "), in simulated time (UTC):\n\n",
                    sc->name, sc->seed);
  return obs;
}

static void
on_event (void *user, const AmsTraceEvent *ev)
{
  AmsObservers *obs = user;
  obs->last = ev->t;
  if (obs->trace != NULL)
    ams_trace_writer_event (obs->trace, ev);
  if (obs->narrator != NULL)
    ams_narrator_event (obs->narrator, ev);
}

static void
on_progress (void *user, AmsTime now, AmsTime horizon, uint64_t events)
{
  AmsObservers *obs = user;
  gint64 wall = g_get_monotonic_time ();
  if (wall - obs->t0 < PROGRESS_AFTER
      || (obs->drawn_at != 0 && wall - obs->drawn_at < PROGRESS_REDRAW))
    return;
  obs->drawn_at = wall;
  double done = now >= horizon ? 1.0 : (double) now / (double) horizon;
  int filled = (int) (done * BAR_WIDTH + 0.5);
  char bar[BAR_WIDTH + 1];
  for (int i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  double rate = (double) events / ((double) (wall - obs->t0) / G_USEC_PER_SEC);
  g_autofree char *at = ams_report_format_seconds (ams_time_to_s (now));
  g_autofree char *of = ams_report_format_seconds (ams_time_to_s (horizon));
  /* \033[K clears what a longer earlier bar left on the line */
  fprintf (stderr, "\r[%s] %3d%%  %s %s %s  %.1fM events/s\033[K", bar, (int) (done * 100),
           at, now > horizon ? "draining after" : "of", of, rate / 1e6);
  fflush (stderr);
  ams_cleanup_set_progress_line (TRUE); /* a signal's message clears it first */
}

void
ams_cli_observers_attach (AmsObservers *obs, AmsEngine *e)
{
  if (obs == NULL)
    return;
  g_return_if_fail (!obs->attached); /* one engine is observed */
  obs->attached = TRUE;
  obs->t0 = g_get_monotonic_time ();
  if (obs->trace != NULL || obs->narrator != NULL)
    {
      AmsTracer tracer = { .event = on_event, .user = obs };
      ams_engine_set_tracer (e, &tracer);
    }
  if (obs->progress)
    ams_engine_set_progress (e, PROGRESS_EVERY, on_progress, obs);
}

gboolean
ams_cli_observers_finish (AmsObservers *obs, GError **error)
{
  if (obs == NULL)
    return TRUE;
  if (obs->drawn_at != 0)
    {
      fputs ("\r\033[K", stderr);
      fflush (stderr);
      obs->drawn_at = 0;
      ams_cleanup_set_progress_line (FALSE);
    }
  if (obs->narrator != NULL && obs->attached)
    {
      /* the run ends at the horizon, or later when it drained */
      ams_narrator_finish (obs->narrator, MAX (obs->horizon, obs->last));
      ams_cli_print ("\n", 1); /* the summary table follows */
    }
  if (obs->trace != NULL && !ams_trace_writer_close (obs->trace, error))
    return FALSE;
  return TRUE;
}

gboolean
ams_cli_observers_commit (AmsObservers *obs, GError **error)
{
  if (obs == NULL || obs->trace == NULL)
    return TRUE;
  return ams_trace_writer_commit (obs->trace, error);
}

void
ams_cli_observers_free (AmsObservers *obs)
{
  if (obs == NULL)
    return;
  ams_trace_writer_free (obs->trace);
  ams_narrator_free (obs->narrator);
  g_free (obs);
}
