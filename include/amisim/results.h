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
  double at_limit_s;     /* time with every slot busy (the queue's chance to grow) */
  double at_limit;       /* its fraction of the observed time       */
  double wait_max_s;     /* the longest wait for a slot             */
} AmsPoolReport;

/* The copies that ended on one calendar day of the clock (UTC): how many,
 * and when the last of them ended. */
typedef struct
{
  int64_t day;           /* days since 1970-01-01, UTC */
  uint64_t copies;       /* copies that ended that day, done or failed */
  AmsTime last;          /* simulated time the last of them ended */
} AmsDayReport;

/* Storage of one (account, region) that held AMIs during the run. */
typedef struct
{
  const char *account;   /* borrowed from the scenario */
  const char *region;
  guint amis;            /* AMIs registered at the end */
  guint amis_max;        /* the most at once (the quota is 50,000) */
  double gib;            /* snapshot GiB at the end (Recycle Bin included) */
  double gib_months;     /* integral of snapshot GiB over the run, in GiB-months (730 h) */
} AmsStorageReport;

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
  AmsTime warmup;        /* simulation.warmup: the figures below count from then on */
  AmsTime end;           /* simulated time when the run stopped */
  AmsTime start;         /* the clock at time 0 (scenario `start`): µs since the Unix epoch */

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
  AmsTime last_copy;           /* when the last copy ended (done or failed), warm-up or
                                  not; AMS_TIME_NEVER when none did */
  GArray *days;                /* of AmsDayReport: each UTC calendar day on which a copy
                                  ended (from the warm-up on), in day order */

  /* pools, sorted by account then region */
  GArray *pools;               /* of AmsPoolReport */

  /* failures: images (build, test, timeout) and outputs (copies, shares,
   * launch templates), by cause, region and account */
  uint64_t failures_total;
  uint64_t failures_by_cause[AMS_CAUSE_COUNT];
  GArray *failures;            /* of AmsFailureCount, sorted by cause, region, account */
  uint64_t pipelines_disabled; /* auto-disabled after consecutive scheduled failures */
  uint64_t runs_disabled;      /* schedule matches of disabled pipelines */

  /* lifecycle (DOMAIN.md §6) */
  uint64_t lc_runs;            /* policy executions started */
  uint64_t lc_runs_failed;     /* executions that ended FAILED (a resource failed) */
  uint64_t lc_runs_busy;       /* daily runs not started: the previous one still going */
  uint64_t lc_deprecated;      /* images deprecated */
  uint64_t lc_disabled;        /* images disabled */
  uint64_t lc_deleted;         /* images deleted */
  uint64_t lc_amis_deprecated; /* AMIs given a deprecation time */
  uint64_t lc_amis_disabled;
  uint64_t lc_amis_deregistered;
  uint64_t lc_snapshots_deleted;
  uint64_t lc_skipped;         /* resources skipped (an exclusion, a skip rule) */
  uint64_t lc_failed;          /* resource actions that failed */
  uint64_t lc_restored;        /* AMIs restored from the Recycle Bin */
  AmsStat lc_execution_s;      /* execution start -> end, seconds */

  /* launches (consumers) */
  uint64_t launches;           /* launches asked for */
  uint64_t launches_ok;
  uint64_t launches_disabled;  /* failed: the AMI in use was disabled (or its sharing removed) */
  uint64_t launches_deleted;   /* failed: the AMI in use was deregistered */
  uint64_t launches_no_ami;    /* failed: no AMI of the pipeline usable there yet */
  uint64_t launches_key_denied;/* failed: the AMI's key does not let the consumer (counted as
                                  failures too, with their cause) */

  /* the supply chain (DOMAIN.md §5): a build of a pipeline whose image
   * other pipelines' recipes use (through x wildcards) starts a ripple;
   * every build it triggers, and the builds those trigger, belong to it */
  uint64_t ripples;            /* builds that triggered at least one dependent build */
  uint64_t ripple_images;      /* dependent builds started, over every ripple */
  uint64_t ripple_available;   /* of which AVAILABLE */
  uint64_t ripple_failed;      /* of which FAILED */
  AmsStat ripple_size;         /* dependent builds per ripple */
  AmsStat ripple_delay_s;      /* the ripple's build AVAILABLE -> its last dependent AVAILABLE,
                                  seconds (ripples with a dependent AVAILABLE) */
  guint ripple_depth_max;      /* the longest chain of dependents (1: direct dependents) */
  uint64_t builds_blocked;     /* builds refused at their start because the pipeline may not
                                  use what its recipe references (counted as failures too) */
  uint64_t invitations_sent;   /* RAM resource share invitations */
  uint64_t invitations_accepted;
  uint64_t invitations_rejected;
  uint64_t invitations_expired;
  uint64_t events_refused;     /* what-if events the service refused (counted as failures too) */

  /* storage */
  double storage_price;        /* per GiB-month */
  double storage_gib;          /* snapshot GiB at the end, all accounts and regions */
  double storage_gib_max;
  double storage_gib_months;
  double storage_cost;         /* storage_gib_months * storage_price */
  double recycle_bin_gib;      /* of storage_gib, in the Recycle Bin */
  uint64_t amis;               /* AMIs registered at the end */
  guint amis_max;              /* the most any account and region held at once */
  GArray *storage;             /* of AmsStorageReport, sorted by account then region */

  /* the same run without lifecycle (simulation.lifecycle.compare) */
  gboolean compared;
  double baseline_gib;
  double baseline_gib_months;
  double baseline_cost;
  uint64_t baseline_amis;

  /* owner of the account and region names above once detached; NULL while
   * they are borrowed from the scenario and world of the run */
  GStringChunk *strings;
} AmsResults;

void ams_results_init (AmsResults *r);
void ams_results_clear (AmsResults *r);

/* Copies the account and region names the results borrow into r->strings,
 * so that they outlive the run's scenario and world. */
void ams_results_detach (AmsResults *r);

G_END_DECLS
