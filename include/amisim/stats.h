/* amisim — statistics in streaming form.
 *
 * Everything here uses memory bounded by a constant, whatever the number of
 * observations, so a year-long run keeps its statistics without history:
 *  - AmsTally: count, mean, sd (Welford's update, numerically stable), min, max.
 *  - AmsQuantiles: a log-bucketed sketch (HDR-histogram style). A value x > 0
 *    falls in the bucket given by its binary exponent and the top 7 bits of its
 *    mantissa, so every bucket spans a factor of at most 1 + 1/128; a quantile
 *    is reported as its bucket's geometric midpoint, clamped to the exact min
 *    and max seen (ranks 1 and n are the exact min and max): relative error
 *    at most 0.4 % (|q_est / q_true - 1| <= 1/256 for values in
 *    [2^-30, 2^40]; below 2^-30 values count as 0, above 2^40 in an
 *    overflow bucket reported as max). Zero is its own exact bucket.
 *    Memory: about 70 * 128 * 8 bytes = 70 KiB per sketch, allocated lazily
 *    by exponent block. Negative values are rejected (durations only).
 *  - AmsStat: a tally plus a sketch, summarised as {count, mean, sd, min,
 *    p50, p90, p99, max} (SCENARIO.md §3 "stats object").
 *  - AmsTimeAvg: a time-weighted average of a piecewise-constant quantity
 *    (busy slots, queue length), its maximum and the area under it.
 *  - AmsHistogram: fixed-width bins with underflow and overflow (a thin layer
 *    over gsl_histogram).
 *  - AmsReplStat: one value per replication; mean, sd and the Student-t 95 %
 *    confidence interval of the mean.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/time.h"

G_BEGIN_DECLS

/* ---- tally ---------------------------------------------------------- */

typedef struct
{
  uint64_t n;
  double mean;
  double m2;   /* sum of squared deviations from the mean */
  double min;
  double max;
} AmsTally;

void ams_tally_init (AmsTally *t);
void ams_tally_add (AmsTally *t, double x);
/* Folds b into a (Chan et al. parallel update). */
void ams_tally_merge (AmsTally *a, const AmsTally *b);
/* Sample variance and sd (n - 1 divisor); 0 when n < 2. Mean 0 when n == 0. */
double ams_tally_var (const AmsTally *t);
double ams_tally_sd (const AmsTally *t);

/* ---- quantile sketch ------------------------------------------------ */

typedef struct AmsQuantiles AmsQuantiles;

AmsQuantiles *ams_quantiles_new (void);
void ams_quantiles_free (AmsQuantiles *q); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsQuantiles, ams_quantiles_free)
/* x must be >= 0 and finite (programming error otherwise). */
void ams_quantiles_add (AmsQuantiles *q, double x);
void ams_quantiles_merge (AmsQuantiles *a, const AmsQuantiles *b);
uint64_t ams_quantiles_count (const AmsQuantiles *q);
/* The p-quantile (0 <= p <= 1) by the nearest-rank rule on buckets;
 * NAN if the sketch is empty. */
double ams_quantiles_get (const AmsQuantiles *q, double p);
/* The sketch's whole state (counts, exact extremes, every block in use),
 * to send it to another process and rebuild it there bit for bit
 * (report/results_wire.c); of type AMS_QUANTILES_VARIANT_TYPE, in this
 * machine's byte order. from_variant returns NULL when `v` is not a
 * sketch's state. */
#define AMS_QUANTILES_VARIANT_TYPE "(tttdda(qat))"
GVariant *ams_quantiles_to_variant (const AmsQuantiles *q);
AmsQuantiles *ams_quantiles_from_variant (GVariant *v);

/* ---- tally + sketch --------------------------------------------------- */

/* The sketch's count and extremes are the tally's (both see every value):
 * an add updates them in the tally only, and ams_stat_sketch copies them
 * into the sketch. Read q through ams_stat_sketch. */
typedef struct
{
  AmsTally tally;
  AmsQuantiles *q;
} AmsStat;

typedef struct
{
  uint64_t count;
  double mean, sd, min, p50, p90, p99, max; /* all 0 when count == 0 */
} AmsStatSummary;

void ams_stat_init (AmsStat *s);
void ams_stat_clear (AmsStat *s);
void ams_stat_add (AmsStat *s, double x);
void ams_stat_merge (AmsStat *a, const AmsStat *b);
void ams_stat_summary (const AmsStat *s, AmsStatSummary *out);
/* The statistic's sketch with its count and extremes brought up to date,
 * or NULL before the first value. */
const AmsQuantiles *ams_stat_sketch (const AmsStat *s);

/* ---- time-weighted average -------------------------------------------- */

typedef struct
{
  AmsTime start;   /* when observation began                   */
  AmsTime last;    /* time of the last change                  */
  double value;    /* current value                            */
  double area;     /* integral of value dt over [start, last], in value * ticks */
  double max;      /* largest value held                       */
} AmsTimeAvg;

void ams_timeavg_init (AmsTimeAvg *a, AmsTime start, double value);
/* The quantity changes to `value` at time `now` (now >= last). */
void ams_timeavg_set (AmsTimeAvg *a, AmsTime now, double value);
/* Time average over [start, now]; the current value if now == start. */
double ams_timeavg_mean (const AmsTimeAvg *a, AmsTime now);
/* Restarts observation at `now` keeping the current value (warm-up deletion). */
void ams_timeavg_reset (AmsTimeAvg *a, AmsTime now);

/* ---- histogram -------------------------------------------------------- */

typedef struct AmsHistogram AmsHistogram;

/* n >= 1 bins of equal width over [lo, hi), lo < hi. */
AmsHistogram *ams_histogram_new (guint n, double lo, double hi);
void ams_histogram_free (AmsHistogram *h); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsHistogram, ams_histogram_free)
void ams_histogram_add (AmsHistogram *h, double x);
guint ams_histogram_bins (const AmsHistogram *h);
/* Count of bin i; the bin's range through lo/hi (may be NULL). */
uint64_t ams_histogram_bin (const AmsHistogram *h, guint i, double *lo, double *hi);
uint64_t ams_histogram_underflow (const AmsHistogram *h);
uint64_t ams_histogram_overflow (const AmsHistogram *h);
uint64_t ams_histogram_total (const AmsHistogram *h);

/* ---- across replications ---------------------------------------------- */

typedef struct
{
  AmsTally t;
} AmsReplStat;

void ams_repl_init (AmsReplStat *r);
void ams_repl_add (AmsReplStat *r, double x);
uint64_t ams_repl_n (const AmsReplStat *r);
double ams_repl_mean (const AmsReplStat *r);
double ams_repl_sd (const AmsReplStat *r);
/* Student-t 95 % interval of the mean: mean -/+ t(0.975, n-1) * sd / sqrt(n).
 * With n < 2 both ends equal the mean. */
void ams_repl_ci95 (const AmsReplStat *r, double *low, double *high);

G_END_DECLS
