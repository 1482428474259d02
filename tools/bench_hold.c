/* amisim — the classic "hold" benchmark of the event queue.
 *
 * For each queue size n the queue is filled with n events at exponential
 * times; then each hold runs the earliest event (through ams_kernel_step),
 * whose handler schedules one new event an exponential time later, so the
 * queue stays at n. The time per hold is what the kernel adds to every
 * event of a simulation: pop, push, one exponential variate drawn the way
 * a model draws it (AmsDist on an amisim random stream) and the handler
 * call. Only the public kernel API is used.
 *
 * Usage: bench_hold [SCALE]   (SCALE multiplies the number of holds; 1 by
 * default, which keeps the whole run to a few seconds).
 */
#include <amisim/dist.h>
#include <amisim/kernel.h>
#include <amisim/rng.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct
{
  gsl_rng *rng;
  AmsDist delay; /* exponential, mean 1 s, as a model would draw it */
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
seconds_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + 1e-9 * (double) ts.tv_nsec;
}

static void
bench (size_t n, uint64_t holds)
{
  Hold h = { ams_rng_new (42, 0, "bench/hold"), { 0 } };
  const double mean_s = 1.0;
  if (!ams_dist_set (&h.delay, AMS_DIST_EXPONENTIAL, &mean_s, 1, NULL))
    abort ();
  AmsKernel *k = ams_kernel_new ();
  for (size_t i = 0; i < n; i++)
    ams_kernel_schedule (k, draw (&h), AMS_PRIORITY_DEFAULT, on_hold, &h, i);

  /* A short warm-up lets the queue reach its steady shape (the prefill is
   * uniform-ish in time, the steady state is not) before timing starts. */
  uint64_t warm = MIN (holds / 10, (uint64_t) n * 2);
  for (uint64_t i = 0; i < warm; i++)
    ams_kernel_step (k);

  double t0 = seconds_now ();
  for (uint64_t i = 0; i < holds; i++)
    ams_kernel_step (k);
  double el = seconds_now () - t0;

  printf ("hold n=%zu holds=%" G_GUINT64_FORMAT " ns_per_hold=%.1f\n", n, holds,
          1e9 * el / (double) holds);
  fflush (stdout);
  ams_kernel_free (k);
  gsl_rng_free (h.rng);
  ams_dist_clear (&h.delay);
}

int
main (int argc, char **argv)
{
  double scale = 1.0;
  if (argc > 1)
    {
      char *end = NULL;
      scale = strtod (argv[1], &end);
      if (end == argv[1] || *end != '\0' || !(scale > 0.0) || argc > 2)
        {
          fprintf (stderr, "usage: %s [SCALE]   (SCALE > 0 multiplies the hold count)\n",
                   argv[0]);
          return 2;
        }
    }

  static const struct
  {
    size_t n;
    double holds;
  } runs[] = {
    { 100, 2e7 }, { 1000, 1e7 }, { 10000, 1e7 }, { 100000, 5e6 }, { 1000000, 3e6 },
  };
  for (size_t i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      double holds = runs[i].holds * scale;
      bench (runs[i].n, holds < 1.0 ? 1 : (uint64_t) holds);
    }
  return 0;
}
