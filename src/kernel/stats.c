/* amisim — streaming statistics: tallies, time averages, histograms and
 * across-replication confidence intervals (the quantile sketch is in
 * quantiles.c).
 *
 * Everything is updated one observation at a time in constant memory, so a
 * statistic costs the same whether the run lasts a day or a decade. Means
 * and variances use Welford's update rather than sums of squares: simulated
 * times are large numbers with small differences (a wait of seconds at a
 * clock of 10^9 s), exactly where the textbook formula cancels to noise.
 */
#include "quantiles-private.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>

/* ---- tally ---------------------------------------------------------- */

void
ams_tally_init (AmsTally *t)
{
  g_return_if_fail (t != NULL);
  *t = (AmsTally) { 0, 0.0, 0.0, 0.0, 0.0 };
}

void
ams_tally_add (AmsTally *t, double x)
{
  g_return_if_fail (t != NULL);
  /* The first value sets min and max, so a zeroed tally works as well as
   * an initialised one. */
  if (t->n == 0)
    t->min = t->max = x;
  else if (x < t->min)
    t->min = x;
  else if (x > t->max)
    t->max = x;
  t->n++;
  double d = x - t->mean;
  t->mean += d / (double) t->n;
  t->m2 += d * (x - t->mean);
}

void
ams_tally_merge (AmsTally *a, const AmsTally *b)
{
  g_return_if_fail (a != NULL && b != NULL);
  if (b->n == 0)
    return;
  if (a->n == 0)
    {
      *a = *b;
      return;
    }
  double na = (double) a->n, nb = (double) b->n, n = na + nb;
  double d = b->mean - a->mean;
  a->mean += d * (nb / n);
  a->m2 += b->m2 + d * d * (na * nb / n);
  a->n += b->n;
  a->min = MIN (a->min, b->min);
  a->max = MAX (a->max, b->max);
}

double
ams_tally_var (const AmsTally *t)
{
  g_return_val_if_fail (t != NULL, 0.0);
  if (t->n < 2)
    return 0.0;
  double v = t->m2 / (double) (t->n - 1);
  return v > 0.0 ? v : 0.0;
}

double
ams_tally_sd (const AmsTally *t)
{
  return sqrt (ams_tally_var (t));
}

/* ---- tally + sketch --------------------------------------------------- */

/* The sketch is created on first use, so that a zeroed AmsStat is an
 * empty one and statistics nobody feeds cost nothing. */

void
ams_stat_init (AmsStat *s)
{
  g_return_if_fail (s != NULL);
  ams_tally_init (&s->tally);
  s->q = NULL;
}

void
ams_stat_clear (AmsStat *s)
{
  if (s == NULL)
    return;
  ams_quantiles_free (s->q);
  ams_stat_init (s);
}

/* The sketch's count and extremes, which the adds leave in the tally
 * (stats.h): copied in before anything reads the sketch. q is the
 * statistic's own, not const. */
static void
stat_sync (const AmsStat *s)
{
  if (s->q == NULL)
    return;
  s->q->count = s->tally.n;
  s->q->min = s->tally.min;
  s->q->max = s->tally.max;
}

const AmsQuantiles *
ams_stat_sketch (const AmsStat *s)
{
  g_return_val_if_fail (s != NULL, NULL);
  stat_sync (s);
  return s->q;
}

/* The tally's update, with its extremes chosen without a branch (the
 * sketch's are these, copied in by stat_sync). */
static inline void
stat_tally (AmsStat *s, double x)
{
  AmsTally *t = &s->tally;
  uint64_t n = t->n + 1;
  double lo = n == 1 ? x : t->min, hi = n == 1 ? x : t->max;
  lo = x < lo ? x : lo;
  hi = x > hi ? x : hi;
  t->min = lo;
  t->max = hi;
  t->n = n;
  double d = x - t->mean;
  t->mean += d / (double) (int64_t) n; /* the same value: n < 2^63 (a signed
                                          conversion is one instruction) */
  t->m2 += d * (x - t->mean);
}

/* The whole add, every case: the first value (the sketch is created), a
 * value outside the sketch's blocks or in one not yet used, -0.0, and the
 * programming errors. */
static G_GNUC_NO_INLINE void
stat_add_slow (AmsStat *s, double x)
{
  g_return_if_fail (x >= 0.0 && isfinite (x));
  if (s->q == NULL)
    s->q = ams_quantiles_new ();
  stat_tally (s, x);
  ams__quantiles_bucket (s->q, x);
}

/* The bits of 2^-30 and 2^40, the sketch's blocks' range (values below
 * count as zero, above as overflow), and of +infinity. */
#define LOWEST_BITS ((uint64_t) (1023 + EXP_MIN) << 52)
#define HIGHEST_BITS ((uint64_t) (1023 + EXP_MAX) << 52)
#define INFINITY_BITS (UINT64_C (0x7FF) << 52)

void
ams_stat_add (AmsStat *s, double x)
{
  g_return_if_fail (s != NULL);
  /* Once per copy and several times per image. The usual case, read off
   * x's bits: x >= +0 and finite (as an unsigned number, below infinity's
   * bits: a sign bit set makes it larger), the sketch made, and x counted
   * in a block already in use, or as zero, or as overflow. Anything else
   * takes the whole add, stat_add_slow, which this one does exactly as.
   * (Each test its own branch: 30 instructions per copy fewer than one
   * combined condition, which GCC computed as flags and tested again.) */
  uint64_t bits;
  memcpy (&bits, &x, sizeof bits);
  AmsQuantiles *q = s->q;
  if (G_UNLIKELY (bits >= INFINITY_BITS || q == NULL))
    goto slow;
  uint64_t off = bits - LOWEST_BITS; /* the block in the exponent field, if in range */
  if (G_LIKELY (off <= HIGHEST_BITS - LOWEST_BITS))
    {
      uint64_t *block = q->block[off >> 52];
      if (G_UNLIKELY (block == NULL))
        goto slow;
      stat_tally (s, x);
      block[(off >> (52 - SUB_BITS)) & (N_SUB - 1)]++;
      return;
    }
  stat_tally (s, x);
  if (bits < LOWEST_BITS)
    q->zero++;
  else
    q->overflow++;
  return;
slow:
  stat_add_slow (s, x);
}

void
ams_stat_merge (AmsStat *a, const AmsStat *b)
{
  g_return_if_fail (a != NULL && b != NULL);
  g_return_if_fail (a != b);
  stat_sync (a);
  stat_sync (b);
  ams_tally_merge (&a->tally, &b->tally);
  if (b->q != NULL && ams_quantiles_count (b->q) > 0)
    {
      if (a->q == NULL)
        a->q = ams_quantiles_new ();
      ams_quantiles_merge (a->q, b->q);
    }
}

void
ams_stat_summary (const AmsStat *s, AmsStatSummary *out)
{
  g_return_if_fail (s != NULL && out != NULL);
  *out = (AmsStatSummary) { 0 };
  if (s->tally.n == 0)
    return;
  out->count = s->tally.n;
  out->mean = s->tally.mean;
  out->sd = ams_tally_sd (&s->tally);
  out->min = s->tally.min;
  out->max = s->tally.max;
  stat_sync (s);
  if (s->q != NULL && ams_quantiles_count (s->q) > 0)
    {
      out->p50 = ams_quantiles_get (s->q, 0.50);
      out->p90 = ams_quantiles_get (s->q, 0.90);
      out->p99 = ams_quantiles_get (s->q, 0.99);
    }
}

/* ---- time-weighted average -------------------------------------------- */

void
ams_timeavg_init (AmsTimeAvg *a, AmsTime start, double value)
{
  g_return_if_fail (a != NULL);
  *a = (AmsTimeAvg) { start, start, value, 0.0, value };
}

void
ams_timeavg_set (AmsTimeAvg *a, AmsTime now, double value)
{
  g_return_if_fail (a != NULL);
  g_return_if_fail (now >= a->last);
  a->area += a->value * (double) (now - a->last);
  a->last = now;
  a->value = value;
  if (value > a->max)
    a->max = value;
}

double
ams_timeavg_mean (const AmsTimeAvg *a, AmsTime now)
{
  g_return_val_if_fail (a != NULL, 0.0);
  g_return_val_if_fail (now >= a->last, a->value);
  if (now == a->start)
    return a->value;
  double area = a->area + a->value * (double) (now - a->last);
  return area / (double) (now - a->start);
}

void
ams_timeavg_reset (AmsTimeAvg *a, AmsTime now)
{
  g_return_if_fail (a != NULL);
  g_return_if_fail (now >= a->last);
  ams_timeavg_init (a, now, a->value);
}

/* ---- histogram -------------------------------------------------------- */

struct AmsHistogram
{
  gsl_histogram *h;
  double lo, hi;
  uint64_t underflow, overflow, total;
};

AmsHistogram *
ams_histogram_new (guint n, double lo, double hi)
{
  g_return_val_if_fail (n >= 1, NULL);
  g_return_val_if_fail (isfinite (lo) && isfinite (hi) && lo < hi, NULL);
  AmsHistogram *h = g_new0 (AmsHistogram, 1);
  h->h = gsl_histogram_alloc (n);
  if (h->h == NULL)
    g_error ("ams_histogram_new: out of memory");
  gsl_histogram_set_ranges_uniform (h->h, lo, hi);
  /* GSL computes the edges as lo + (i/n)(hi - lo); make the last one hi
   * exactly so that "x < hi" and "lands in a bin" agree. */
  h->h->range[n] = hi;
  h->lo = lo;
  h->hi = hi;
  return h;
}

void
ams_histogram_free (AmsHistogram *h)
{
  if (h == NULL)
    return;
  gsl_histogram_free (h->h);
  g_free (h);
}

void
ams_histogram_add (AmsHistogram *h, double x)
{
  g_return_if_fail (h != NULL);
  g_return_if_fail (!isnan (x));
  h->total++;
  if (x < h->lo)
    h->underflow++;
  else if (x >= h->hi)
    h->overflow++;
  else if (gsl_histogram_increment (h->h, x) != GSL_SUCCESS)
    h->overflow++; /* unreachable with the exact edges set above */
}

guint
ams_histogram_bins (const AmsHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);
  return (guint) gsl_histogram_bins (h->h);
}

uint64_t
ams_histogram_bin (const AmsHistogram *h, guint i, double *lo, double *hi)
{
  g_return_val_if_fail (h != NULL, 0);
  g_return_val_if_fail (i < gsl_histogram_bins (h->h), 0);
  double a, b;
  gsl_histogram_get_range (h->h, i, &a, &b);
  if (lo != NULL)
    *lo = a;
  if (hi != NULL)
    *hi = b;
  /* GSL keeps counts as doubles; they are exact integers up to 2^53. */
  return (uint64_t) gsl_histogram_get (h->h, i);
}

uint64_t
ams_histogram_underflow (const AmsHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);
  return h->underflow;
}

uint64_t
ams_histogram_overflow (const AmsHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);
  return h->overflow;
}

uint64_t
ams_histogram_total (const AmsHistogram *h)
{
  g_return_val_if_fail (h != NULL, 0);
  return h->total;
}

/* ---- across replications ---------------------------------------------- */

void
ams_repl_init (AmsReplStat *r)
{
  g_return_if_fail (r != NULL);
  ams_tally_init (&r->t);
}

void
ams_repl_add (AmsReplStat *r, double x)
{
  g_return_if_fail (r != NULL);
  ams_tally_add (&r->t, x);
}

uint64_t
ams_repl_n (const AmsReplStat *r)
{
  g_return_val_if_fail (r != NULL, 0);
  return r->t.n;
}

double
ams_repl_mean (const AmsReplStat *r)
{
  g_return_val_if_fail (r != NULL, 0.0);
  return r->t.mean;
}

double
ams_repl_sd (const AmsReplStat *r)
{
  g_return_val_if_fail (r != NULL, 0.0);
  return ams_tally_sd (&r->t);
}

void
ams_repl_ci95 (const AmsReplStat *r, double *low, double *high)
{
  g_return_if_fail (r != NULL);
  double mean = r->t.mean, half = 0.0;
  if (r->t.n >= 2)
    {
      double n = (double) r->t.n;
      half = gsl_cdf_tdist_Pinv (0.975, n - 1.0) * ams_tally_sd (&r->t) / sqrt (n);
    }
  if (low != NULL)
    *low = mean - half;
  if (high != NULL)
    *high = mean + half;
}
