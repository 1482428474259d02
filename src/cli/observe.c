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
 */
#include <stdio.h>
#include <unistd.h>

#include "amisim/report.h"
#include "amisim/tracelog.h"
#include "cli/cli-private.h"

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

AmsObservers *
ams_cli_observers_new (const AmsRunOptions *opt, const AmsScenario *sc, GError **error)
{
  g_return_val_if_fail (opt != NULL && sc != NULL, NULL);
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
      return NULL;
    }
  gboolean narrate = opt->narrate && !opt->quiet;
  if (narrate && opt->json)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--narrate and --json both print on stdout; use one of them (--out DIR "
                   "writes summary.json)");
      return NULL;
    }
  if (opt->trace != NULL && !ams_trace_filter_check (&filter, sc, error))
    return NULL;
  g_autoptr (AmsTraceWriter) trace = NULL;
  if (opt->trace != NULL)
    {
      trace = ams_trace_writer_new (opt->trace, &filter, error);
      if (trace == NULL)
        return NULL;
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
    printf ("The story of %s (seed %" G_GUINT64_FORMAT "), in simulated time (UTC):\n\n",
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
    }
  if (obs->narrator != NULL && obs->attached)
    {
      /* the run ends at the horizon, or later when it drained */
      ams_narrator_finish (obs->narrator, MAX (obs->horizon, obs->last));
      putchar ('\n'); /* the summary table follows */
    }
  if (obs->trace != NULL && !ams_trace_writer_commit (obs->trace, error))
    return FALSE;
  return TRUE;
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
