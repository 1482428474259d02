/* amisim — the classic "hold" benchmark of the event queue.
 *
 * For each queue size n the queue is filled with n events; then each hold
 * runs the earliest event (through ams_kernel_step), whose handler
 * schedules one new event a random time later, so the queue stays at n.
 * The time per hold is what the kernel adds to every event of a
 * simulation: pop, push, one variate drawn the way a model draws it
 * (AmsDist on an amisim random stream) and the handler call. Only the
 * public kernel API is used. Times are CPU time of the process
 * (CLOCK_PROCESS_CPUTIME_ID), the best of REPEATS runs of each case.
 *
 * Cases:
 *   exp    increments exponential, mean 1 s, n = 10 .. 10^6;
 *   logn   increments lognormal, mean 25 min, sd 8 min (the capacity
 *          scenario's transfer times), n = 10^5, 2x10^5 (its nightly peak)
 *          and 10^6 (6x scale);
 *   night  the capacity scenario's shape over two days: 50 background
 *          chains (exponential, mean 10 min) all day; at midnight n
 *          transfers start within two hours, each followed by another
 *          (lognormal 25/8 min) until 06:00, then the queue drains back to
 *          the 50. ns per event run.
 *
 * The same source is built twice: bench_hold with the kernel as the
 * simulator uses it (the ladder queue), and bench_hold_heap with kernel.c
 * compiled in with AMS_KERNEL_LADDER=0, the plain 4-ary heap it replaced
 * (src/kernel/meson.build). Run them alternately to compare (tools/bench
 * runs bench_hold only).
 *
 * Usage: bench_hold [SCALE [REPEATS]]   (SCALE multiplies the number of
 * holds, 1 by default; REPEATS: 3 by default.)
 */
#include <amisim/dist.h>
#include <amisim/kernel.h>
#include <amisim/rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(AMS_KERNEL_LADDER) && !AMS_KERNEL_LADDER
#define QUEUE "heap"
#else
#define QUEUE "ladder"
#endif

typedef struct
{
  gsl_rng *rng;
  AmsDist delay;
} Hold;

static AmsTime
draw (Hold *h)
{
  return ams_time_from_s (ams_dist_sample (&h->delay, h->rng));
}

static void
on_hold (AmsKernel *k, void *data, uint64_t arg)
{
  Hold *h = data;
  ams_kernel_schedule_in (k, draw (h), AMS_PRIORITY_DEFAULT, on_hold, h, arg);
}

static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void
hold_init (Hold *h, AmsDistKind kind, double mean_s, double sd_s)
{
  const double p[2] = { mean_s, sd_s };
  h->rng = ams_rng_new (42, 0, "bench/hold");
  h->delay = (AmsDist) { 0 };
  if (!ams_dist_set (&h->delay, kind, p, kind == AMS_DIST_EXPONENTIAL ? 1 : 2, NULL))
    abort ();
}

static void
hold_clear (Hold *h)
{
  gsl_rng_free (h->rng);
  ams_dist_clear (&h->delay);
}

/* One run: seconds of CPU per hold. */
static double
hold_once (AmsDistKind kind, double mean_s, double sd_s, size_t n, uint64_t holds)
{
  Hold h;
  hold_init (&h, kind, mean_s, sd_s);
  AmsKernel *k = ams_kernel_new ();
  for (size_t i = 0; i < n; i++)
    ams_kernel_schedule (k, draw (&h), AMS_PRIORITY_DEFAULT, on_hold, &h, i);

  /* A warm-up lets the queue reach its steady shape (the prefill is
   * uniform-ish in time, the steady state is not) before timing starts. */
  uint64_t warm = MIN (holds / 10, (uint64_t) n * 2);
  for (uint64_t i = 0; i < warm; i++)
    ams_kernel_step (k);

  double t0 = cpu_now ();
  for (uint64_t i = 0; i < holds; i++)
    ams_kernel_step (k);
  double el = cpu_now () - t0;
  ams_kernel_free (k);
  hold_clear (&h);
  return el / (double) holds;
}

/* ---- night: a burst of transfers, then a drain ------------------------ */

typedef struct
{
  gsl_rng *rng;
  AmsDist background; /* exponential, mean 10 min */
  AmsDist transfer;   /* lognormal, mean 25 min, sd 8 min */
  size_t transfers;   /* started at each midnight */
} Night;

static const AmsTime day_s = 86400;

static void
on_background (AmsKernel *k, void *data, uint64_t arg)
{
  Night *w = data;
  ams_kernel_schedule_in (k, ams_time_from_s (ams_dist_sample (&w->background, w->rng)),
                          AMS_PRIORITY_DEFAULT, on_background, w, arg);
}

static void
on_transfer (AmsKernel *k, void *data, uint64_t arg)
{
  Night *w = data;
  AmsTime now = ams_kernel_now (k);
  if (now % ams_time_from_s ((double) day_s) < ams_time_from_s (6 * 3600.0))
    ams_kernel_schedule_in (k, ams_time_from_s (ams_dist_sample (&w->transfer, w->rng)),
                            AMS_PRIORITY_DEFAULT, on_transfer, w, arg);
}

static void
on_midnight (AmsKernel *k, void *data, uint64_t arg)
{
  Night *w = data;
  for (size_t i = 0; i < w->transfers; i++)
    ams_kernel_schedule_in (k, ams_time_from_s (7200.0 * gsl_rng_uniform (w->rng)),
                            AMS_PRIORITY_DEFAULT, on_transfer, w, i);
  ams_kernel_schedule_in (k, ams_time_from_s ((double) day_s), -1, on_midnight, w, arg);
}

/* One run of two days: seconds of CPU per event; *events: events run. */
static double
night_once (size_t transfers, uint64_t *events)
{
  Night w = { ams_rng_new (42, 0, "bench/night"), { 0 }, { 0 }, transfers };
  const double bg[1] = { 600.0 }, tr[2] = { 1500.0, 480.0 };
  if (!ams_dist_set (&w.background, AMS_DIST_EXPONENTIAL, bg, 1, NULL)
      || !ams_dist_set (&w.transfer, AMS_DIST_LOGNORMAL, tr, 2, NULL))
    abort ();
  AmsKernel *k = ams_kernel_new ();
  for (uint64_t i = 0; i < 50; i++)
    ams_kernel_schedule_in (k, ams_time_from_s (600.0 * gsl_rng_uniform (w.rng)),
                            AMS_PRIORITY_DEFAULT, on_background, &w, i);
  ams_kernel_schedule (k, 0, -1, on_midnight, &w, 0);

  double t0 = cpu_now ();
  *events = ams_kernel_run_until (k, ams_time_from_s (2.0 * (double) day_s));
  double el = cpu_now () - t0;
  ams_kernel_free (k);
  gsl_rng_free (w.rng);
  ams_dist_clear (&w.background);
  ams_dist_clear (&w.transfer);
  return el / (double) *events;
}

int
main (int argc, char **argv)
{
  double scale = 1.0;
  long repeats = 3;
  if (argc > 1)
    {
      char *end = NULL;
      scale = strtod (argv[1], &end);
      gboolean bad = end == argv[1] || *end != '\0' || !(scale > 0.0) || argc > 3;
      if (!bad && argc > 2)
        {
          repeats = strtol (argv[2], &end, 10);
          bad = end == argv[2] || *end != '\0' || repeats < 1;
        }
      if (bad)
        {
          fprintf (stderr, "usage: %s [SCALE [REPEATS]]   (SCALE > 0 multiplies the hold "
                   "count; REPEATS >= 1, the best is reported)\n", argv[0]);
          return 2;
        }
    }

  static const struct
  {
    const char *name;
    AmsDistKind kind;
    double mean_s, sd_s;
    size_t n;
    double holds;
  } runs[] = {
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 10, 1e7 },
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 100, 1e7 },
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 1000, 5e6 },
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 10000, 5e6 },
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 100000, 3e6 },
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 200000, 3e6 },
    { "exp", AMS_DIST_EXPONENTIAL, 1.0, 0.0, 1000000, 2e6 },
    { "logn", AMS_DIST_LOGNORMAL, 1500.0, 480.0, 100000, 3e6 },
    { "logn", AMS_DIST_LOGNORMAL, 1500.0, 480.0, 200000, 3e6 },
    { "logn", AMS_DIST_LOGNORMAL, 1500.0, 480.0, 1000000, 2e6 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      double h = runs[i].holds * scale;
      uint64_t holds = h < 1.0 ? 1 : (uint64_t) h;
      double best = G_MAXDOUBLE;
      for (long r = 0; r < repeats; r++)
        best = MIN (best, hold_once (runs[i].kind, runs[i].mean_s, runs[i].sd_s,
                                     runs[i].n, holds));
      printf ("hold %-6s %-4s n=%-7zu holds=%-8" G_GUINT64_FORMAT " ns_per_hold=%.1f\n",
              QUEUE, runs[i].name, runs[i].n, holds, 1e9 * best);
      fflush (stdout);
    }

  static const size_t nights[] = { 100000, 200000, 600000 };
  for (size_t i = 0; i < G_N_ELEMENTS (nights); i++)
    {
      size_t transfers = nights[i];
      double best = G_MAXDOUBLE;
      uint64_t events = 0;
      for (long r = 0; r < repeats; r++)
        best = MIN (best, night_once (transfers, &events));
      printf ("hold %-6s %-4s n=%-7zu events=%-7" G_GUINT64_FORMAT " ns_per_event=%.1f\n",
              QUEUE, "night", transfers, events, 1e9 * best);
      fflush (stdout);
    }
  return 0;
}
