/* amisim — reports: summary.json, the stdout table, and output folders.
 *
 * Reports are built in memory (GString) from AmsResults, then written: a
 * folder of outputs is written whole or not at all (see "output folders"
 * below).
 */
#pragma once

#include <glib.h>
#include "amisim/policy.h"
#include <stdio.h>
#include "amisim/records.h"
#include "amisim/results.h"
#include "amisim/scenario.h"

G_BEGIN_DECLS

/* What a report says about the run besides the results. */
typedef struct
{
  const char *scenario;      /* scenario name */
  const char *scenario_file; /* as given, or "builtin:default.yaml" */
  uint64_t replications;
  double wall_s;             /* wall-clock seconds: the one machine-dependent figure */
  gboolean timeseries_truncated; /* timeseries.csv stopped at its row limit */
  guint amis_quota;          /* AMIs per account and region (the table compares the most
                                held with it); 0: the EC2 default, 50,000 */
  AmsTime start;             /* the scenario's start, µs since the Unix epoch (the clock at
                                time 0 of every _s figure) */
} AmsRunInfo;

/* summary.json (SCENARIO.md §3). Free with g_string_free. */
GString *ams_report_summary_json (const AmsResults *r, const AmsRunInfo *info);

/* The readable table printed on stdout. Free with g_string_free. */
GString *ams_report_table (const AmsResults *r, const AmsRunInfo *info);

/* ---- replications (--replications N) ----
 *
 * r[0..n-1] are the results of replications 0..n-1 of one run. With n == 1
 * these give exactly what the single-run functions above give. With n > 1
 * every number is the mean over the replications; stats objects carry
 * mean_ci95 [low, high] (Student t, 95 %), and the run's measures (the
 * counts and figures of images, copies, failures, lifecycle, launches,
 * storage, supply; pools' utilization and queue_mean) a KEY_ci95 sibling; the
 * breakdowns (by region, by account, by account and region) carry means
 * only. A replication that observed no value of a duration leaves it out of
 * that stats object's mean and interval (its count, 0, is averaged in); a
 * pool, failure or storage place a replication does not list counts as 0
 * there. An interval that cannot be computed (fewer than two values) is
 * [null, null]. */
GString *ams_report_summary_json_n (const AmsResults *const *r, guint n, const AmsRunInfo *info);
/* The table: means ± the half-width of their 95 % interval. */
GString *ams_report_table_n (const AmsResults *const *r, guint n, const AmsRunInfo *info);

/* The headline measures of one replication, compared across a sweep; in
 * sweep.csv's order. */
typedef enum
{
  AMS_MEASURE_END_TO_END,      /* end_to_end_s: mean image end-to-end seconds */
  AMS_MEASURE_DISTRIBUTION,    /* distribution_s: mean distribution seconds */
  AMS_MEASURE_WAIT,            /* wait_s: mean copy wait for a slot */
  AMS_MEASURE_TRANSFER,        /* transfer_s: mean copy transfer */
  AMS_MEASURE_P_WAIT,          /* p_wait: fraction of the copies that waited */
  AMS_MEASURE_COPIES_FAILED,   /* copies_failed */
  AMS_MEASURE_IMAGES_FAILED,   /* images_failed */
  AMS_MEASURE_LAST_COPY,       /* last_copy_s: simulated time the last copy ended */
  AMS_MEASURE_GIB_MONTHS,      /* gib_months: snapshot storage */
  AMS_MEASURE_LAUNCHES_FAILED, /* launches_failed */
  AMS_MEASURE_RIPPLE_DELAY,    /* ripple_delay_s: mean seconds from a ripple's build AVAILABLE
                                  to its last dependent AVAILABLE */
  AMS_MEASURE_COUNT,
} AmsMeasure;

/* "end_to_end_s", … */
const char *ams_measure_name (AmsMeasure m);
/* The measure in one run; NAN when the run has none (no image became
 * available, no copy was asked for, no ripple ended). */
double ams_measure_value (AmsMeasure m, const AmsResults *r);
/* Whether the measure is a duration in seconds (shown as one). */
gboolean ams_measure_is_time (AmsMeasure m);

/* Formats seconds for people: "12.3s", "4m05s", "3h12m", "2d03h". Free with g_free. */
char *ams_report_format_seconds (double s);

/* Clock time (clock.c): `start` (the scenario's, µs since the Unix epoch)
 * plus the simulated time `t`, in UTC. */
#define AMS_CLOCK_LEN 40
/* The calendar day: days since 1970-01-01. */
int64_t ams_clock_day (AmsTime start, AmsTime t);
/* Seconds since that day's midnight. */
double ams_clock_of_day_s (AmsTime start, AmsTime t);
/* "2026-01-02" of a day since 1970-01-01. */
void ams_clock_date (char out[AMS_CLOCK_LEN], int64_t day);
/* (ISO 8601 instants: ams_iso_time in report/json.h) */

/* ---- output folders (outdir.c) ----
 *
 * An output folder is written whole or not at all: every file goes to a
 * staging folder on the same file system (beside the target when it does
 * not exist yet, inside it when it does), registered with the signal
 * handler (a signal that stops amisim removes it); the commit publishes them
 * together with the signals blocked: one rename of the staging folder, or,
 * into an existing folder, one rename per file with the earlier files kept
 * until every new one is in place and put back if any step fails. A file
 * or folder of amisim's name in the way that is not a regular file (a
 * folder named summary.json) stops the commit before it changes anything.
 * Errors: G_FILE_ERROR, the message naming the path. */

/* The list of what amisim published in a folder (AMS_OUTDIR_MANIFEST). */
#define AMS_OUTDIR_MANIFEST_NAME ".amisim-outputs"

typedef enum
{
  AMS_OUTDIR_NONE = 0,
  /* keep AMS_OUTDIR_MANIFEST_NAME in the folder, listing the files
   * published; a later commit removes the listed files (and folders, such
   * as plot's plots/) it does not write, and never touches anything else */
  AMS_OUTDIR_MANIFEST = 1 << 0,
} AmsOutDirFlags;

/* One file of an output folder. */
typedef struct
{
  const char *name;      /* file name inside the folder, no slashes */
  const GString *data;
} AmsOutputFile;

/* Writes the files into `dir` (made, with its parents, if needed), whole or
 * not at all: on error nothing of the new files is left behind, and the
 * files already there are as they were. */
gboolean ams_report_write_dir (const char *dir, const AmsOutputFile *files, guint n,
                               GError **error);
/* The same with flags (AMS_OUTDIR_MANIFEST). */
gboolean ams_report_write_dir_full (const char *dir, AmsOutDirFlags flags,
                                    const AmsOutputFile *files, guint n, GError **error);

/* An output folder filled while a run goes. Freed uncommitted (a failed
 * run), it removes everything it made, the parents it created included. */
typedef struct AmsOutDir AmsOutDir;

/* Makes the staging folder (and the target's missing parents). `dir` must
 * be a folder if it exists. */
AmsOutDir *ams_outdir_open (const char *dir, AmsOutDirFlags flags, GError **error);
/* A new file `name` (no slashes, not hidden) to write; owned by `od` (do
 * not fclose). */
FILE *ams_outdir_create (AmsOutDir *od, const char *name, GError **error);
/* Flushes and closes every file, checking that each was written whole
 * (the reason of the first failed write in the message). Nothing is
 * published yet. */
gboolean ams_outdir_close (AmsOutDir *od, GError **error);
/* Closes (if not done) and publishes every file, all or nothing. */
gboolean ams_outdir_commit (AmsOutDir *od, GError **error);
void ams_outdir_free (AmsOutDir *od); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsOutDir, ams_outdir_free)

/* An entry added to a folder's manifest (plot's "plots/"), written beside
 * it under a temporary name: NULL with no error when the folder has no
 * manifest or lists the entry already. Commit renames it into place (the
 * signals blocked); freed uncommitted, the temporary goes. */
typedef struct AmsManifestEdit AmsManifestEdit;
AmsManifestEdit *ams_outdir_manifest_add (const char *dir, const char *entry, GError **error);
gboolean ams_outdir_manifest_commit (AmsManifestEdit *e, GError **error);
void ams_outdir_manifest_edit_free (AmsManifestEdit *e); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsManifestEdit, ams_outdir_manifest_edit_free)

/* ---- CSV outputs (SCENARIO.md §3) ---- */

/* Streams images.csv, copies.csv, timeseries.csv (at most `max_rows` rows)
 * and lifecycle.csv while the engine runs; each file that is NULL is not
 * written. Each file gets its header row at once, so a run that records
 * nothing in one still leaves a header. */
typedef struct AmsCsvRecorder AmsCsvRecorder;

AmsCsvRecorder *ams_csv_recorder_new (FILE *images, FILE *copies, FILE *timeseries,
                                      FILE *lifecycle, guint max_rows);
/* The scenario's start (µs since the Unix epoch): the clock of the _at
 * columns, the ISO 8601 companions of the _s columns; 0 until set. */
void ams_csv_recorder_set_start (AmsCsvRecorder *c, AmsTime start);
void ams_csv_recorder_free (AmsCsvRecorder *c); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsCsvRecorder, ams_csv_recorder_free)
/* The AmsRecorder to give the engine. */
void ams_csv_recorder_bind (AmsCsvRecorder *c, AmsRecorder *out);
/* TRUE if timeseries.csv stopped at its row limit. */
gboolean ams_csv_recorder_truncated (const AmsCsvRecorder *c);

/* pools.csv, failures.csv and storage.csv, from the results at the end. */
void ams_csv_pools (FILE *out, const AmsResults *r);
void ams_csv_failures (FILE *out, const AmsResults *r);
void ams_csv_storage (FILE *out, const AmsResults *r);
/* The same of n replications: the same columns, each value the mean over
 * them (n == 1: the functions above). */
void ams_csv_pools_n (FILE *out, const AmsResults *const *r, guint n);
void ams_csv_failures_n (FILE *out, const AmsResults *const *r, guint n);
void ams_csv_storage_n (FILE *out, const AmsResults *const *r, guint n);

/* ---- sweeps (amisim sweep) ---- */

typedef struct
{
  const char *scenario;          /* the scenario's name */
  const char *scenario_file;
  uint64_t seed;                 /* the master seed (of the first point) */
  gboolean same_seed;            /* every point has it: common random numbers (unless
                                    the seed is an axis) */
  guint replications;            /* per point, >= 1 */
  guint n_axes;
  const char *const *axes;       /* each axis's PATH */
  const AmsOverride *fixed;      /* the other overrides (--set without commas, --seed, --horizon) */
  guint n_fixed;
  guint n_points;
  const char *const *values;     /* [point * n_axes + axis]: the axis values of each point */
  const AmsResults *const *results; /* [point * replications + r] */
  const AmsRunInfo *info;        /* [point]: for each point's summary */
  double wall_s;
  AmsTime start;                 /* the first point's clock at time 0 (the plots' clock axes) */
} AmsSweepReport;

/* sweep.csv: one column per axis (named by its PATH), replications, then
 * for each headline measure M: M, M_ci_low, M_ci_high (the interval's cells
 * empty with one replication, every cell empty when no replication has the
 * measure). One row per point. */
GString *ams_report_sweep_csv (const AmsSweepReport *s);
/* The sweep's summary.json: the axes, and per point its axis values, its
 * headline measures (mean, interval, value of each replication), the
 * paired comparison with the first point, and its summary.json object. */
GString *ams_report_sweep_json (const AmsSweepReport *s);
/* The comparison table for people (ripple_delay_s only when a point has it). */
GString *ams_report_sweep_table (const AmsSweepReport *s);

/* One policy statement for people: "<indent><verb> <policy>, statement N
 * "Sid" (FILE:LINE:COL):" then the statement as JSON on the next line. */
void ams_report_statement (GString *out, const char *indent, const char *verb,
                           const AmsStatementRef *r);

/* A verdict's near misses for people, under a heading; nothing when none. */
void ams_report_near_misses (GString *out, const char *indent, const GArray *near);

G_END_DECLS
