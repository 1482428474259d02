/* amisim — a streaming quantile sketch with bounded relative error.
 *
 * Simulation outputs (waits, transfer times) span many orders of magnitude
 * and a year-long run sees too many of them to keep. Buckets of constant
 * *relative* width keep the error of every quantile below 0.4 % whatever
 * the scale, in memory that does not grow with the number of samples. The
 * bucket of x > 0 is read straight off its IEEE-754 representation: the
 * binary exponent picks a block, the top 7 bits of the mantissa the bucket
 * inside it, so adding a value is a few bit operations and an increment.
 * Blocks (one per binary exponent, 128 counters) are allocated on first
 * use: a statistic whose values stay within a factor of 8 touches at most
 * four blocks, 4 KiB.
 */
#include "quantiles-private.h"

#include <math.h>
#include <string.h>

AmsQuantiles *
ams_quantiles_new (void)
{
  return g_new0 (AmsQuantiles, 1);
}

void
ams_quantiles_free (AmsQuantiles *q)
{
  if (q == NULL)
    return;
  for (int i = 0; i < N_BLOCKS; i++)
    g_free (q->block[i]);
  g_free (q);
}

void
ams_quantiles_add (AmsQuantiles *q, double x)
{
  g_return_if_fail (q != NULL);
  g_return_if_fail (x >= 0.0 && isfinite (x));
  ams__quantiles_add_valid (q, x);
}

void
ams_quantiles_merge (AmsQuantiles *a, const AmsQuantiles *b)
{
  g_return_if_fail (a != NULL && b != NULL);
  g_return_if_fail (a != b);
  if (b->count == 0)
    return;
  note_extremes (a, b->min, b->max);
  a->count += b->count;
  a->zero += b->zero;
  a->overflow += b->overflow;
  for (int i = 0; i < N_BLOCKS; i++)
    if (b->block[i] != NULL)
      {
        uint64_t *dst = block_get (a, i);
        for (int j = 0; j < N_SUB; j++)
          dst[j] += b->block[i][j];
      }
}

uint64_t
ams_quantiles_count (const AmsQuantiles *q)
{
  g_return_val_if_fail (q != NULL, 0);
  return q->count;
}

/* The geometric midpoint of bucket (block i, sub j): the bucket is
 * [2^e (1 + j/128), 2^e (1 + (j+1)/128)), at most a factor 1 + 1/128 wide,
 * so its geometric midpoint is within sqrt(1 + 1/128) - 1 < 1/256 of any
 * value in it. */
static double
bucket_mid (int i, int j)
{
  double lo = ldexp (1.0 + (double) j / N_SUB, i + EXP_MIN);
  double hi = ldexp (1.0 + (double) (j + 1) / N_SUB, i + EXP_MIN);
  return sqrt (lo * hi);
}

static double
clamp (const AmsQuantiles *q, double v)
{
  return v < q->min ? q->min : v > q->max ? q->max : v;
}

double
ams_quantiles_get (const AmsQuantiles *q, double p)
{
  g_return_val_if_fail (q != NULL, NAN);
  g_return_val_if_fail (p >= 0.0 && p <= 1.0, NAN);
  if (q->count == 0)
    return NAN;

  /* Nearest rank: the smallest value with at least ceil(p n) values at or
   * below it; p = 0 gives the minimum. */
  double r = ceil (p * (double) q->count);
  uint64_t rank = r < 1.0 ? 1 : (uint64_t) r;
  if (rank > q->count)
    rank = q->count;
  /* The extreme order statistics are known exactly: no need for a bucket. */
  if (rank == 1)
    return q->min;
  if (rank == q->count)
    return q->max;

  uint64_t seen = q->zero;
  if (seen >= rank)
    return clamp (q, 0.0);
  for (int i = 0; i < N_BLOCKS; i++)
    {
      const uint64_t *blk = q->block[i];
      if (blk == NULL)
        continue;
      for (int j = 0; j < N_SUB; j++)
        {
          seen += blk[j];
          if (seen >= rank)
            return clamp (q, bucket_mid (i, j));
        }
    }
  return q->max; /* in the overflow bucket */
}

/* ---- state, for other processes (stats.h) ---------------------------- */

GVariant *
ams_quantiles_to_variant (const AmsQuantiles *q)
{
  g_return_val_if_fail (q != NULL, NULL);
  GVariantBuilder blocks;
  g_variant_builder_init (&blocks, G_VARIANT_TYPE ("a(qat)"));
  for (int i = 0; i < N_BLOCKS; i++)
    if (q->block[i] != NULL)
      g_variant_builder_add (&blocks, "(q@at)", (guint16) i,
                             g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, q->block[i], N_SUB,
                                                        sizeof (uint64_t)));
  return g_variant_new ("(tttdda(qat))", (guint64) q->count, (guint64) q->zero,
                        (guint64) q->overflow, q->min, q->max, &blocks);
}

AmsQuantiles *
ams_quantiles_from_variant (GVariant *v)
{
  g_return_val_if_fail (v != NULL, NULL);
  if (!g_variant_is_of_type (v, G_VARIANT_TYPE (AMS_QUANTILES_VARIANT_TYPE)))
    return NULL;
  g_autoptr (AmsQuantiles) q = ams_quantiles_new ();
  guint64 count, zero, overflow;
  g_autoptr (GVariant) blocks = NULL;
  g_variant_get (v, "(tttdd@a(qat))", &count, &zero, &overflow, &q->min, &q->max, &blocks);
  q->count = count;
  q->zero = zero;
  q->overflow = overflow;
  GVariantIter iter;
  g_variant_iter_init (&iter, blocks);
  guint16 i;
  GVariant *counts;
  while (g_variant_iter_next (&iter, "(q@at)", &i, &counts))
    {
      gsize n = 0;
      const uint64_t *c = g_variant_get_fixed_array (counts, &n, sizeof (uint64_t));
      gboolean ok = i < N_BLOCKS && n == N_SUB && q->block[i] == NULL;
      if (ok)
        q->block[i] = g_memdup2 (c, N_SUB * sizeof (uint64_t));
      g_variant_unref (counts);
      if (!ok)
        return NULL;
    }
  return g_steal_pointer (&q);
}
