/* amisim — what a simulation run measured.
 *
 * Filled in by the engine, read by the report writers. Every figure is kept
 * in streaming form (counts, tallies, quantile sketches, time averages), so
 * the size of a result does not grow with the number of copies simulated:
 * it grows only with the number of (account, region) pools.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/cause.h"
#include "amisim/stats.h"
#include "amisim/time.h"

G_BEGIN_DECLS

/* One destination (account, region) copy pool. */
typedef struct
{
  const char *account;   /* borrowed from the scenario */
  const char *region;
  guint limit;
  uint64_t copies;       /* copies that asked this pool for a slot */
  uint64_t waited;       /* of which had to wait for one           */
  double busy_mean;      /* time-average busy slots                */
  double utilization;    /* busy_mean / limit                      */
  double queue_mean;     /* time-average queue length              */
  guint queue_max;
  guint busy_max;
} AmsPoolReport;

/* Failures of one cause in one region and account. */
typedef struct
{
  AmsCause cause;
  const char *region;    /* borrowed from the scenario */
  const char *account;
  uint64_t count;
} AmsFailureCount;

typedef struct
{
  /* run */
  uint64_t seed;
  uint64_t replication;
  uint64_t events;       /* kernel events processed */
  AmsTime horizon;       /* simulated length asked for */
  AmsTime end;           /* simulated time when the run stopped */

  /* images */
  uint64_t images_started;
  uint64_t images_available;
  uint64_t images_failed;
  uint64_t images_in_flight;   /* started but not finished at the end */
  uint64_t runs_skipped;       /* scheduled runs that built nothing (no dependency updates) */
  uint64_t builds_waited;      /* builds that waited for the concurrent-builds quota */
  AmsStat build_s;             /* build + test, seconds                 */
  AmsStat distribution_s;      /* distribution start -> AVAILABLE       */
  AmsStat end_to_end_s;        /* pipeline execution start -> AVAILABLE */

  /* copies */
  uint64_t copies_requested;
  uint64_t copies_succeeded;
  uint64_t copies_failed;
  uint64_t copies_in_flight;   /* waiting or transferring at the end */
  uint64_t copies_waited;      /* had to queue for a slot            */
  AmsStat wait_s;              /* queued for a slot                  */
  AmsStat transfer_s;          /* holding a slot                     */
  AmsStat total_s;             /* request -> done                    */

  /* pools, sorted by account then region */
  GArray *pools;               /* of AmsPoolReport */

  /* failures: images (build, test, timeout) and outputs (copies, shares,
   * launch templates), by cause, region and account */
  uint64_t failures_total;
  uint64_t failures_by_cause[AMS_CAUSE_COUNT];
  GArray *failures;            /* of AmsFailureCount, sorted by cause, region, account */
  uint64_t pipelines_disabled; /* auto-disabled after consecutive scheduled failures */
  uint64_t runs_disabled;      /* schedule matches of disabled pipelines */
} AmsResults;

void ams_results_init (AmsResults *r);
void ams_results_clear (AmsResults *r);

G_END_DECLS
