/* Tests of the streaming statistics: the tally against a two-pass
 * computation on data where the textbook formula cancels to noise, merges
 * against the combined data, a hand-computed time average, the quantile
 * sketch against exact order statistics within its documented error,
 * histogram bins and edges, and the replication confidence interval
 * against a hand-computed Student-t interval. */
#include "ams_test.h"

#include <amisim/rng.h>
#include <amisim/stats.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

static guint criticals;

/* ---- tally ---------------------------------------------------------- */

/* Mean and variance by two passes in long double: the reference. */
static void
two_pass (const double *x, size_t n, long double *mean, long double *var)
{
  long double s = 0;
  for (size_t i = 0; i < n; i++)
    s += x[i];
  *mean = s / n;
  long double ss = 0;
  for (size_t i = 0; i < n; i++)
    ss += (x[i] - *mean) * (x[i] - *mean);
  *var = ss / (n - 1);
}

static void
test_stats_tally_stable_on_large_offset (void)
{
  enum { N = 100000 };
  g_autoptr (gsl_rng) r = ams_rng_new (1, 0, "test/stats/offset");
  double *x = g_new (double, N);
  for (int i = 0; i < N; i++)
    x[i] = 1e9 + gsl_ran_flat (r, -0.5, 0.5);
  AmsTally t;
  ams_tally_init (&t);
  for (int i = 0; i < N; i++)
    ams_tally_add (&t, x[i]);
  long double mean, var;
  two_pass (x, N, &mean, &var);

  /* The data are awkward: the textbook one-pass formula in doubles,
   * (sum x^2 - n mean^2) / (n - 1), is wrong by orders of magnitude
   * (sum x^2 ~ 1e23 is rounded to ~1e7, the variance is 0.08). */
  double s1 = 0, s2 = 0;
  for (int i = 0; i < N; i++)
    {
      s1 += x[i];
      s2 += x[i] * x[i];
    }
  double naive = (s2 - s1 * s1 / N) / (N - 1);
  CU_ASSERT_TRUE (fabs (naive / (double) var - 1.0) > 1.0);

  /* Welford: the mean to about sqrt(N) ulps of 1e9 (rounding errors of
   * the running mean are damped, not summed), the variance to far better
   * than the 2^-24 relative precision of the inputs' spread. */
  CU_ASSERT_EQUAL (t.n, N);
  CU_ASSERT_DOUBLE_EQUAL (t.mean, (double) mean, 1e-13 * 1e9);
  CU_ASSERT_DOUBLE_EQUAL (ams_tally_var (&t), (double) var, 1e-5 * (double) var);
  CU_ASSERT_DOUBLE_EQUAL (ams_tally_sd (&t), (double) sqrtl (var), 1e-5 * (double) sqrtl (var));
  double lo = x[0], hi = x[0];
  for (int i = 0; i < N; i++)
    {
      lo = MIN (lo, x[i]);
      hi = MAX (hi, x[i]);
    }
  CU_ASSERT_EQUAL (t.min, lo);
  CU_ASSERT_EQUAL (t.max, hi);
  g_free (x);
}

static void
test_stats_tally_small_counts (void)
{
  AmsTally t;
  ams_tally_init (&t);
  CU_ASSERT_EQUAL (t.mean, 0.0);
  CU_ASSERT_EQUAL (ams_tally_var (&t), 0.0);
  ams_tally_add (&t, 5);
  CU_ASSERT_EQUAL (t.mean, 5.0);
  CU_ASSERT_EQUAL (ams_tally_sd (&t), 0.0);
  CU_ASSERT_EQUAL (t.min, 5.0);
  CU_ASSERT_EQUAL (t.max, 5.0);
  ams_tally_add (&t, 7);
  CU_ASSERT_DOUBLE_EQUAL (ams_tally_var (&t), 2.0, 1e-15);
  /* A zeroed tally works like an initialised one (min from the first). */
  AmsTally z = { 0 };
  ams_tally_add (&z, 3);
  CU_ASSERT_EQUAL (z.min, 3.0);
}

static void
test_stats_tally_merge_equals_combined (void)
{
  g_autoptr (gsl_rng) r = ams_rng_new (2, 0, "test/stats/merge");
  AmsTally all, part[3];
  ams_tally_init (&all);
  for (int i = 0; i < 3; i++)
    ams_tally_init (&part[i]);
  const int sizes[3] = { 1, 777, 20000 };
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < sizes[i]; j++)
      {
        /* Parts with different centres make the merge's correction term
         * matter. */
        double x = 1e6 * i + gsl_ran_exponential (r, 10.0 * (i + 1));
        ams_tally_add (&all, x);
        ams_tally_add (&part[i], x);
      }
  AmsTally m;
  ams_tally_init (&m);
  AmsTally empty;
  ams_tally_init (&empty);
  ams_tally_merge (&m, &empty);       /* empty into empty */
  ams_tally_merge (&m, &part[2]);     /* into empty: a copy */
  ams_tally_merge (&m, &part[0]);
  ams_tally_merge (&m, &part[1]);
  ams_tally_merge (&m, &empty);       /* empty into full: nothing */
  CU_ASSERT_EQUAL (m.n, all.n);
  CU_ASSERT_DOUBLE_EQUAL (m.mean, all.mean, 1e-12 * all.mean);
  CU_ASSERT_DOUBLE_EQUAL (ams_tally_var (&m), ams_tally_var (&all), 1e-10 * ams_tally_var (&all));
  CU_ASSERT_EQUAL (m.min, all.min);
  CU_ASSERT_EQUAL (m.max, all.max);
}

/* ---- time average ---------------------------------------------------- */

static void
test_stats_timeavg_hand_case (void)
{
  AmsTimeAvg a;
  ams_timeavg_init (&a, 0, 2);
  CU_ASSERT_EQUAL (ams_timeavg_mean (&a, 0), 2.0); /* now == start */
  ams_timeavg_set (&a, 10, 5);
  ams_timeavg_set (&a, 30, 0);
  ams_timeavg_set (&a, 30, 1); /* zero-length step: no area */
  ams_timeavg_set (&a, 35, 0);
  /* 2*10 + 5*20 + 0*0 + 1*5 + 0*5 = 125 over 40. */
  CU_ASSERT_DOUBLE_EQUAL (ams_timeavg_mean (&a, 40), 125.0 / 40.0, 1e-12);
  CU_ASSERT_EQUAL (a.max, 5.0);
  CU_ASSERT_DOUBLE_EQUAL (a.area, 125.0, 1e-12);

  ams_timeavg_reset (&a, 40);
  CU_ASSERT_EQUAL (a.max, 0.0);
  CU_ASSERT_EQUAL (a.start, 40);
  ams_timeavg_set (&a, 45, 4);
  CU_ASSERT_DOUBLE_EQUAL (ams_timeavg_mean (&a, 50), 20.0 / 10.0, 1e-12);
  CU_ASSERT_EQUAL (a.max, 4.0);

  /* A window starting later than 0, in large ticks. */
  ams_timeavg_init (&a, AMS_DAYS (300), 3);
  ams_timeavg_set (&a, AMS_DAYS (301), 1);
  CU_ASSERT_DOUBLE_EQUAL (ams_timeavg_mean (&a, AMS_DAYS (303)), (3.0 + 2.0) / 3.0, 1e-12);
}

/* ---- quantile sketch --------------------------------------------------- */

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

/* The exact nearest-rank order statistic. */
static double
exact_quantile (const double *sorted, size_t n, double p)
{
  double r = ceil (p * (double) n);
  size_t rank = r < 1 ? 1 : (size_t) r;
  return sorted[MIN (rank, n) - 1];
}

typedef double (*Sampler) (gsl_rng *r);

static double
draw_exponential (gsl_rng *r)
{
  return gsl_ran_exponential (r, 1500.0);
}

static double
draw_lognormal (gsl_rng *r)
{
  return gsl_ran_lognormal (r, 7.0, 1.5);
}

static double
draw_uniform (gsl_rng *r)
{
  return gsl_ran_flat (r, 0.001, 0.002);
}

static double
draw_wide (gsl_rng *r)
{
  /* Values over 12 orders of magnitude, a fifth of them exactly 0. */
  return gsl_rng_uniform (r) < 0.2 ? 0.0 : pow (10.0, gsl_ran_flat (r, -6, 6));
}

static void
test_stats_quantiles_accuracy (void)
{
  enum { N = 100000 };
  const struct { const char *name; Sampler draw; } dists[] = {
    { "exponential", draw_exponential },
    { "lognormal", draw_lognormal },
    { "uniform", draw_uniform },
    { "wide", draw_wide },
  };
  const double ps[] = { 0.0, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1.0 };
  double *x = g_new (double, N);
  for (guint d = 0; d < G_N_ELEMENTS (dists); d++)
    {
      g_autofree char *stream = g_strdup_printf ("test/stats/q/%s", dists[d].name);
      g_autoptr (gsl_rng) r = ams_rng_new (3, 0, stream);
      g_autoptr (AmsQuantiles) q = ams_quantiles_new ();
      for (int i = 0; i < N; i++)
        {
          x[i] = dists[d].draw (r);
          ams_quantiles_add (q, x[i]);
        }
      qsort (x, N, sizeof (double), cmp_double);
      CU_ASSERT_EQUAL (ams_quantiles_count (q), N);
      for (guint i = 0; i < G_N_ELEMENTS (ps); i++)
        {
          double exact = exact_quantile (x, N, ps[i]);
          double est = ams_quantiles_get (q, ps[i]);
          if (exact == 0.0)
            {
              CU_ASSERT_EQUAL (est, 0.0); /* zeros are exact */
            }
          else
            {
              CU_ASSERT_TRUE (fabs (est / exact - 1.0) <= 1.0 / 256.0);
            }
        }
      /* The ends are the exact extremes. */
      CU_ASSERT_EQUAL (ams_quantiles_get (q, 0.0), x[0]);
      CU_ASSERT_EQUAL (ams_quantiles_get (q, 1.0), x[N - 1]);
    }
  g_free (x);
}

/* The worst case: values at bucket edges, for which the midpoint is
 * furthest away. Still within 1/256. */
static void
test_stats_quantiles_bucket_edges (void)
{
  g_autoptr (AmsQuantiles) q = ams_quantiles_new ();
  const int exps[] = { -30, -29, -1, 0, 1, 10, 39 };
  for (guint k = 0; k < G_N_ELEMENTS (exps); k++)
    for (int j = 0; j < 128; j += 9)
      {
        int e = exps[k];
        g_autoptr (AmsQuantiles) one = ams_quantiles_new ();
        double lo = ldexp (1.0 + j / 128.0, e);
        double hi = nextafter (ldexp (1.0 + (j + 1) / 128.0, e), 0.0);
        /* Two values at the two edges of one bucket plus far-away
         * guards so that min/max clamping does not help. */
        ams_quantiles_add (one, 0.0);
        ams_quantiles_add (one, lo);
        ams_quantiles_add (one, hi);
        ams_quantiles_add (one, 0x1p41);
        double mid = ams_quantiles_get (one, 0.5);
        CU_ASSERT_TRUE (fabs (mid / lo - 1.0) <= 1.0 / 256.0);
        CU_ASSERT_TRUE (fabs (mid / hi - 1.0) <= 1.0 / 256.0);
        CU_ASSERT_EQUAL (ams_quantiles_get (one, 0.75), mid);
        ams_quantiles_merge (q, one);
      }
  CU_ASSERT_EQUAL (ams_quantiles_count (q), 4 * 7 * 15);
}

static void
test_stats_quantiles_zero_small_and_overflow (void)
{
  g_autoptr (AmsQuantiles) q = ams_quantiles_new ();
  CU_ASSERT_TRUE (isnan (ams_quantiles_get (q, 0.5)));
  for (int i = 0; i < 10; i++)
    ams_quantiles_add (q, 0.0);
  CU_ASSERT_EQUAL (ams_quantiles_get (q, 0.5), 0.0);
  CU_ASSERT_EQUAL (ams_quantiles_get (q, 1.0), 0.0);
  ams_quantiles_add (q, 1e-12); /* below 2^-30: counted with zero */
  ams_quantiles_add (q, 1e15);  /* above 2^40: overflow, reported as max */
  ams_quantiles_add (q, 3e15);
  CU_ASSERT_EQUAL (ams_quantiles_count (q), 13);
  CU_ASSERT_EQUAL (ams_quantiles_get (q, 0.8), 0.0);  /* rank 11 */
  CU_ASSERT_EQUAL (ams_quantiles_get (q, 0.9), 3e15); /* rank 12 */
  CU_ASSERT_EQUAL (ams_quantiles_get (q, 1.0), 3e15);

  /* Only tiny positive values: the zero bucket is clamped to the min. */
  g_autoptr (AmsQuantiles) t = ams_quantiles_new ();
  ams_quantiles_add (t, 1e-12);
  ams_quantiles_add (t, 2e-12);
  CU_ASSERT_EQUAL (ams_quantiles_get (t, 0.5), 1e-12);

  /* Programming errors: negative, NaN, p out of range. */
  guint handler = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &criticals);
  criticals = 0;
  ams_quantiles_add (q, -1.0);
  ams_quantiles_add (q, NAN);
  ams_quantiles_add (q, INFINITY);
  CU_ASSERT_TRUE (isnan (ams_quantiles_get (q, 1.5)));
  CU_ASSERT_EQUAL (criticals, 4);
  CU_ASSERT_EQUAL (ams_quantiles_count (q), 13);
  g_log_remove_handler ("amisim", handler);
  ams_quantiles_free (NULL);
}

static void
test_stats_quantiles_merge (void)
{
  g_autoptr (gsl_rng) r = ams_rng_new (4, 0, "test/stats/qmerge");
  g_autoptr (AmsQuantiles) all = ams_quantiles_new ();
  g_autoptr (AmsQuantiles) a = ams_quantiles_new ();
  g_autoptr (AmsQuantiles) b = ams_quantiles_new ();
  g_autoptr (AmsQuantiles) empty = ams_quantiles_new ();
  for (int i = 0; i < 20000; i++)
    {
      double x = i % 2 ? gsl_ran_exponential (r, 10) : gsl_ran_exponential (r, 1e5);
      ams_quantiles_add (all, x);
      ams_quantiles_add (i % 3 ? a : b, x);
    }
  ams_quantiles_merge (a, b);
  ams_quantiles_merge (a, empty);
  ams_quantiles_merge (empty, a);
  CU_ASSERT_EQUAL (ams_quantiles_count (a), 20000);
  for (double p = 0.0; p <= 1.0; p += 0.01)
    {
      CU_ASSERT_EQUAL (ams_quantiles_get (a, p), ams_quantiles_get (all, p));
      CU_ASSERT_EQUAL (ams_quantiles_get (empty, p), ams_quantiles_get (all, p));
    }
}

/* ---- tally + sketch ------------------------------------------------------ */

static void
test_stats_stat_summary (void)
{
  AmsStat s;
  ams_stat_init (&s);
  AmsStatSummary out;
  ams_stat_summary (&s, &out);
  CU_ASSERT_EQUAL (out.count, 0);
  CU_ASSERT_EQUAL (out.p50, 0.0);
  CU_ASSERT_EQUAL (out.max, 0.0);

  for (int i = 1; i <= 100; i++)
    ams_stat_add (&s, i);
  ams_stat_summary (&s, &out);
  CU_ASSERT_EQUAL (out.count, 100);
  CU_ASSERT_DOUBLE_EQUAL (out.mean, 50.5, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (out.sd, sqrt (841.666666666666667), 1e-9);
  CU_ASSERT_EQUAL (out.min, 1.0);
  CU_ASSERT_EQUAL (out.max, 100.0);
  CU_ASSERT_TRUE (fabs (out.p50 / 50.0 - 1) <= 1.0 / 256);
  CU_ASSERT_TRUE (fabs (out.p90 / 90.0 - 1) <= 1.0 / 256);
  CU_ASSERT_TRUE (fabs (out.p99 / 99.0 - 1) <= 1.0 / 256);

  AmsStat t = { 0 }; /* zeroed works too */
  for (int i = 101; i <= 200; i++)
    ams_stat_add (&t, i);
  AmsStat u;
  ams_stat_init (&u);
  ams_stat_merge (&u, &s);
  ams_stat_merge (&u, &t);
  ams_stat_summary (&u, &out);
  CU_ASSERT_EQUAL (out.count, 200);
  CU_ASSERT_DOUBLE_EQUAL (out.mean, 100.5, 1e-12);
  CU_ASSERT_EQUAL (out.max, 200.0);
  CU_ASSERT_TRUE (fabs (out.p50 / 100.0 - 1) <= 1.0 / 256);
  CU_ASSERT_TRUE (fabs (out.p99 / 198.0 - 1) <= 1.0 / 256);
  /* adds after a merge: the sketch's count and extremes are the tally's
   * once ams_stat_sketch has brought them up to date */
  ams_stat_add (&u, 0.5);
  ams_stat_add (&u, 500.0);
  const AmsQuantiles *uq = ams_stat_sketch (&u);
  CU_ASSERT_EQUAL (ams_quantiles_count (uq), 202);
  CU_ASSERT_EQUAL (ams_quantiles_get (uq, 0.0), 0.5);
  CU_ASSERT_EQUAL (ams_quantiles_get (uq, 1.0), 500.0);
  CU_ASSERT_PTR_NULL (ams_stat_sketch (&(AmsStat) { 0 }));

  ams_stat_clear (&s);
  ams_stat_clear (&s); /* twice is fine: clear leaves it empty */
  ams_stat_clear (&t);
  ams_stat_clear (&u);
  ams_stat_clear (NULL);
}

/* A statistic's sketch takes its count and extremes from the tally (both
 * see every value): it must answer every quantile exactly as a sketch fed
 * the same values on its own does, extremes included, whatever the order
 * (first value the largest, the smallest, zero, or beyond 2^40). */
static void
test_stats_stat_sketch_as_standalone (void)
{
  static const double orders[][6] = {
    { 5.0, 1.0, 9.0, 3.0, 0.0, 7.0 },
    { 0.0, 9.0, 1e-12, 2.5, 1e15, 0.5 },
    { 1e15, 3e15, 2.0, 0.0, 2.0, 8.0 },
    { 4.0, 4.0, 4.0, 4.0, 4.0, 4.0 },
    /* the edges of the sketch's blocks, read off the bits: 2^-30 is the
     * first block's, just below it counts as zero; 2^40 is the last
     * block's, just above it is overflow; -0.0 is a zero */
    { 0x1p-30, 0x1.fffffffffffffp-31, 0x1p40, 0x1.0000000000001p40, -0.0, 3.0 },
    { 0x1.0000000000001p40, -0.0, 0x1p40, 0x1.fffffffffffffp-31, 0x1p-30, 0x1.8p20 },
  };
  static const double ps[] = { 0.0, 0.1, 0.5, 0.8, 0.99, 1.0 };
  for (size_t o = 0; o < G_N_ELEMENTS (orders); o++)
    for (size_t n = 1; n <= 6; n++)
      {
        AmsStat s = { 0 };
        g_autoptr (AmsQuantiles) q = ams_quantiles_new ();
        for (size_t i = 0; i < n; i++)
          {
            ams_stat_add (&s, orders[o][i]);
            ams_quantiles_add (q, orders[o][i]);
          }
        /* the sketch as ams_stat_sketch brings it up to date (the adds
         * leave its count and extremes in the tally) */
        const AmsQuantiles *sq = ams_stat_sketch (&s);
        CU_ASSERT_EQUAL (ams_quantiles_count (sq), n);
        for (size_t i = 0; i < G_N_ELEMENTS (ps); i++)
          CU_ASSERT_EQUAL (ams_quantiles_get (sq, ps[i]), ams_quantiles_get (q, ps[i]));
        CU_ASSERT_EQUAL (ams_quantiles_get (sq, 0.0), s.tally.min);
        CU_ASSERT_EQUAL (ams_quantiles_get (sq, 1.0), s.tally.max);
        /* the whole state of the sketch, bucket by bucket, is the
         * standalone one's (quantiles alone, clamped to the extremes, can
         * hide a value counted in the wrong place) */
        g_autoptr (GVariant) vs = g_variant_ref_sink (ams_quantiles_to_variant (sq));
        g_autoptr (GVariant) vq = g_variant_ref_sink (ams_quantiles_to_variant (q));
        CU_ASSERT_TRUE (g_variant_equal (vs, vq));
        /* and the tally is ams_tally_add's, bit for bit */
        AmsTally t = { 0 };
        for (size_t i = 0; i < n; i++)
          ams_tally_add (&t, orders[o][i]);
        CU_ASSERT_EQUAL (memcmp (&t, &s.tally, sizeof t), 0);
        ams_stat_clear (&s);
      }

  /* Programming errors: a negative, NaN or infinite value is refused and
   * leaves the statistic as it was. */
  AmsStat s = { 0 };
  ams_stat_add (&s, 2.0);
  guint handler = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &criticals);
  criticals = 0;
  ams_stat_add (&s, -1.0);
  ams_stat_add (&s, -0x1p-1074);
  ams_stat_add (&s, NAN);
  ams_stat_add (&s, INFINITY);
  ams_stat_add (&s, -INFINITY);
  CU_ASSERT_EQUAL (criticals, 5);
  g_log_remove_handler ("amisim", handler);
  CU_ASSERT_EQUAL (s.tally.n, 1);
  CU_ASSERT_EQUAL (ams_quantiles_count (ams_stat_sketch (&s)), 1);
  CU_ASSERT_EQUAL (s.tally.mean, 2.0);
  ams_stat_clear (&s);
}

/* ---- histogram ------------------------------------------------------------ */

static void
test_stats_histogram (void)
{
  g_autoptr (AmsHistogram) h = ams_histogram_new (10, 0.0, 100.0);
  CU_ASSERT_EQUAL (ams_histogram_bins (h), 10);
  const double x[] = { 0.0, 9.999, 10.0, 55.0, 99.999, nextafter (100.0, 0.0),
                       100.0, 1e9, -0.1, -INFINITY, INFINITY };
  for (guint i = 0; i < G_N_ELEMENTS (x); i++)
    ams_histogram_add (h, x[i]);
  CU_ASSERT_EQUAL (ams_histogram_bin (h, 0, NULL, NULL), 2);
  CU_ASSERT_EQUAL (ams_histogram_bin (h, 1, NULL, NULL), 1);
  CU_ASSERT_EQUAL (ams_histogram_bin (h, 5, NULL, NULL), 1);
  CU_ASSERT_EQUAL (ams_histogram_bin (h, 9, NULL, NULL), 2);
  CU_ASSERT_EQUAL (ams_histogram_underflow (h), 2);
  CU_ASSERT_EQUAL (ams_histogram_overflow (h), 3);
  CU_ASSERT_EQUAL (ams_histogram_total (h), G_N_ELEMENTS (x));
  uint64_t sum = ams_histogram_underflow (h) + ams_histogram_overflow (h);
  for (guint i = 0; i < 10; i++)
    sum += ams_histogram_bin (h, i, NULL, NULL);
  CU_ASSERT_EQUAL (sum, ams_histogram_total (h));
  double lo, hi;
  ams_histogram_bin (h, 3, &lo, &hi);
  CU_ASSERT_DOUBLE_EQUAL (lo, 30.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (hi, 40.0, 1e-12);

  /* Edges that are not exact binary fractions: just below hi is still in
   * the last bin. */
  g_autoptr (AmsHistogram) g = ams_histogram_new (3, 0.1, 0.7);
  ams_histogram_add (g, nextafter (0.7, 0.0));
  ams_histogram_add (g, 0.1);
  CU_ASSERT_EQUAL (ams_histogram_bin (g, 2, NULL, &hi), 1);
  CU_ASSERT_EQUAL (hi, 0.7);
  CU_ASSERT_EQUAL (ams_histogram_bin (g, 0, NULL, NULL), 1);
  CU_ASSERT_EQUAL (ams_histogram_overflow (g), 0);

  guint handler = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &criticals);
  criticals = 0;
  CU_ASSERT_PTR_NULL (ams_histogram_new (0, 0, 1));
  CU_ASSERT_PTR_NULL (ams_histogram_new (5, 1, 1));
  CU_ASSERT_EQUAL (criticals, 2);
  g_log_remove_handler ("amisim", handler);
  ams_histogram_free (NULL);
}

/* ---- replications ---------------------------------------------------------- */

static void
test_stats_repl_ci95 (void)
{
  AmsReplStat r;
  ams_repl_init (&r);
  double lo, hi;
  ams_repl_ci95 (&r, &lo, &hi);
  CU_ASSERT_EQUAL (lo, 0.0);
  CU_ASSERT_EQUAL (hi, 0.0);
  ams_repl_add (&r, 10);
  ams_repl_ci95 (&r, &lo, &hi); /* n < 2: both ends the mean */
  CU_ASSERT_EQUAL (lo, 10.0);
  CU_ASSERT_EQUAL (hi, 10.0);
  const double more[] = { 12, 9, 11, 13 };
  for (guint i = 0; i < G_N_ELEMENTS (more); i++)
    ams_repl_add (&r, more[i]);
  /* n = 5, mean 11, sd sqrt(10/4); t(0.975, 4) = 2.776445. */
  CU_ASSERT_EQUAL (ams_repl_n (&r), 5);
  CU_ASSERT_DOUBLE_EQUAL (ams_repl_mean (&r), 11.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (ams_repl_sd (&r), sqrt (2.5), 1e-12);
  double half = 2.776445 * sqrt (2.5) / sqrt (5.0);
  ams_repl_ci95 (&r, &lo, &hi);
  CU_ASSERT_DOUBLE_EQUAL (lo, 11.0 - half, 1e-6);
  CU_ASSERT_DOUBLE_EQUAL (hi, 11.0 + half, 1e-6);
  ams_repl_ci95 (&r, NULL, &hi);
}

static const AmsTestCase cases[] = {
  { "tally_stable_on_large_offset", test_stats_tally_stable_on_large_offset },
  { "tally_small_counts", test_stats_tally_small_counts },
  { "tally_merge_equals_combined", test_stats_tally_merge_equals_combined },
  { "timeavg_hand_case", test_stats_timeavg_hand_case },
  { "quantiles_accuracy", test_stats_quantiles_accuracy },
  { "quantiles_bucket_edges", test_stats_quantiles_bucket_edges },
  { "quantiles_zero_small_and_overflow", test_stats_quantiles_zero_small_and_overflow },
  { "quantiles_merge", test_stats_quantiles_merge },
  { "stat_summary", test_stats_stat_summary },
  { "stat_sketch_as_standalone", test_stats_stat_sketch_as_standalone },
  { "histogram", test_stats_histogram },
  { "repl_ci95", test_stats_repl_ci95 },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("stats", cases);
}
