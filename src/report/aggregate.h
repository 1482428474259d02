/* Report-private: the figures of several replications of a run, side by
 * side, as means with Student-t 95 % confidence intervals.
 *
 * Replication r of a run is results[r]; everything is computed in
 * replication order, so the same results give the same bytes whatever the
 * order in which the replications ran. A figure a replication does not
 * have (a duration of which it observed none: NAN) is left out of that
 * figure's mean and interval; a pool, failure or storage place that one
 * replication does not list counts as 0 there (it saw nothing).
 */
#pragma once

#include <glib.h>
#include "amisim/report.h"
#include "report/json.h"

G_BEGIN_DECLS

/* One figure over replications. */
typedef struct
{
  double mean;   /* NAN when no replication has the figure */
  double low;    /* the 95 % interval of the mean; NAN with fewer than 2 values */
  double high;
  guint n;       /* replications that have the figure */
} AmsAgg;

/* Of n values (NAN ones left out). */
void ams_agg_of (AmsAgg *a, const double *v, guint n);
/* The half-width of the interval (NAN without one). */
double ams_agg_half (const AmsAgg *a);

/* A stats object over replications: count over all of them, the other
 * fields over those that observed something (count > 0). */
typedef struct
{
  AmsAgg count, mean, sd, min, p50, p90, p99, max;
} AmsAggStat;

void ams_agg_stat (AmsAggStat *out, const AmsResults *const *r, guint n, const AmsStat *first);

/* A uint64_t or double field of AmsResults, given by its address in r[0]. */
void ams_agg_u64 (AmsAgg *out, const AmsResults *const *r, guint n, const uint64_t *first);
void ams_agg_double (AmsAgg *out, const AmsResults *const *r, guint n, const double *first);

/* Pools over replications, in (account, region) order. */
typedef struct
{
  const char *account;   /* borrowed from the results */
  const char *region;
  guint limit;           /* of the first replication that lists the pool */
  AmsAgg copies, waited, utilization, busy_mean, busy_max, queue_mean, queue_max;
  AmsAgg at_limit_s, at_limit, wait_max_s;
} AmsAggPool;
GArray *ams_agg_pools (const AmsResults *const *r, guint n);

/* Failures by (cause, region, account), in that order. */
typedef struct
{
  AmsCause cause;
  const char *region;
  const char *account;
  AmsAgg count;
} AmsAggFailure;
GArray *ams_agg_failures (const AmsResults *const *r, guint n);

/* Storage by (account, region), in that order. */
typedef struct
{
  const char *account;
  const char *region;
  AmsAgg amis, amis_max, gib, gib_months;
} AmsAggStorage;
GArray *ams_agg_storage (const AmsResults *const *r, guint n);

/* The days on which copies ended, over replications, in day order: the
 * copies (0 in a replication without that day), and the time of day (UTC,
 * seconds since midnight) and simulated time of the day's last copy (over
 * the replications that have the day). */
typedef struct
{
  int64_t day;           /* days since 1970-01-01 */
  AmsAgg copies, last_of_day_s, last_s;
} AmsAggDay;
GArray *ams_agg_days (const AmsResults *const *r, guint n);

/* An aggregate for people: "12.5 ± 0.3" (NUMBER, one decimal), "36.4% ±
 * 1.2%" (PERCENT, of a fraction), "4m05s ± 12.0s" (SECONDS); the mean alone
 * without an interval, "-" without a mean. Free with g_free. */
typedef enum
{
  AMS_AGG_NUMBER,
  AMS_AGG_PERCENT,
  AMS_AGG_SECONDS,
} AmsAggUnit;
char *ams_agg_format (const AmsAgg *a, AmsAggUnit unit);

/* Writes summary.json's object (SCENARIO.md §3) of n replications into
 * `j` under `key` (NULL at the top or in an array). */
void ams_report_summary_write (AmsJson *j, const char *key, const AmsResults *const *r, guint n,
                               const AmsRunInfo *info);

G_END_DECLS
