/* amisim — the quantile sketch's representation, shared by quantiles.c
 * and stats.c so that a statistic's add (ams_stat_add, once per copy and
 * per image several times) checks its value once and adds it to the sketch
 * inline. Not part of the public contract.
 */
#pragma once

#include "amisim/stats.h"

#include <string.h>

#define EXP_MIN (-30) /* values below 2^-30 count as 0                 */
#define EXP_MAX 40    /* values above 2^40 go to the overflow bucket    */
#define N_BLOCKS (EXP_MAX - EXP_MIN + 1)
#define SUB_BITS 7
#define N_SUB (1 << SUB_BITS)

struct AmsQuantiles
{
  uint64_t count;
  uint64_t zero;      /* exact zeros and values below 2^-30 */
  uint64_t overflow;  /* values above 2^40                  */
  double min, max;    /* exact, over every value added      */
  uint64_t *block[N_BLOCKS];
};

static inline uint64_t *
block_get (AmsQuantiles *q, int b)
{
  if (G_UNLIKELY (q->block[b] == NULL))
    q->block[b] = g_new0 (uint64_t, N_SUB);
  return q->block[b];
}

static inline void
note_extremes (AmsQuantiles *q, double lo, double hi)
{
  if (q->count == 0 || lo < q->min)
    q->min = lo;
  if (q->count == 0 || hi > q->max)
    q->max = hi;
}

/* Counts x, known to be >= 0 and finite, in its bucket of q (not NULL),
 * leaving q's count and extremes to the caller. */
static inline void
ams__quantiles_bucket (AmsQuantiles *q, double x)
{
  if (x < 0x1p-30)
    {
      q->zero++;
      return;
    }
  if (x > 0x1p40)
    {
      q->overflow++;
      return;
    }
  /* x is normal here, so the exponent field minus the bias is floor(log2 x)
   * and the mantissa's top bits say where in [2^e, 2^(e+1)) it lies. */
  uint64_t bits;
  memcpy (&bits, &x, sizeof bits);
  int e = (int) ((bits >> 52) & 0x7FF) - 1023;
  unsigned sub = (unsigned) (bits >> (52 - SUB_BITS)) & (N_SUB - 1);
  block_get (q, e - EXP_MIN)[sub]++;
}

/* Adds x, known to be >= 0 and finite, to q (not NULL). */
static inline void
ams__quantiles_add_valid (AmsQuantiles *q, double x)
{
  note_extremes (q, x, x);
  q->count++;
  ams__quantiles_bucket (q, x);
}
