/* amisim — reports: summary.json, the stdout table, and output folders.
 *
 * Reports are built in memory (GString) from AmsResults, then written: a
 * folder of outputs is written whole or not at all (every file goes to a
 * temporary name first; only when all are written are they renamed into
 * place).
 */
#pragma once

#include <glib.h>
#include "amisim/policy.h"
#include <stdio.h>
#include "amisim/records.h"
#include "amisim/results.h"

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
} AmsRunInfo;

/* summary.json (SCENARIO.md §3). Free with g_string_free. */
GString *ams_report_summary_json (const AmsResults *r, const AmsRunInfo *info);

/* The readable table printed on stdout. Free with g_string_free. */
GString *ams_report_table (const AmsResults *r, const AmsRunInfo *info);

/* Formats seconds for people: "12.3s", "4m05s", "3h12m", "2d03h". Free with g_free. */
char *ams_report_format_seconds (double s);

/* One file of an output folder. */
typedef struct
{
  const char *name;      /* file name inside the folder, no slashes */
  const GString *data;
} AmsOutputFile;

/* Creates `dir` if needed (with parents) and writes the files into it, whole
 * or not at all: on error nothing of the new files is left behind (files
 * already there from an earlier run are replaced only if every new file was
 * written). Errors: G_FILE_ERROR, with a message naming the path. */
gboolean ams_report_write_dir (const char *dir, const AmsOutputFile *files, guint n,
                               GError **error);

/* An output folder filled while a run goes: each file is written under a
 * temporary name in the folder and published, all together, by commit.
 * Freed uncommitted (a failed run), it removes what it wrote. */
typedef struct AmsOutDir AmsOutDir;

/* Creates `dir` (with parents) if needed. Errors: G_FILE_ERROR. */
AmsOutDir *ams_outdir_open (const char *dir, GError **error);
/* A new file `name` to write; owned by `od` (do not fclose). */
FILE *ams_outdir_create (AmsOutDir *od, const char *name, GError **error);
/* Publishes every file (checking that each was written whole). */
gboolean ams_outdir_commit (AmsOutDir *od, GError **error);
void ams_outdir_free (AmsOutDir *od); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsOutDir, ams_outdir_free)

/* ---- CSV outputs (SCENARIO.md §3) ---- */

/* Streams images.csv, copies.csv, timeseries.csv (at most `max_rows` rows)
 * and lifecycle.csv while the engine runs; each file that is NULL is not
 * written. Each file gets its header row at once, so a run that records
 * nothing in one still leaves a header. */
typedef struct AmsCsvRecorder AmsCsvRecorder;

AmsCsvRecorder *ams_csv_recorder_new (FILE *images, FILE *copies, FILE *timeseries,
                                      FILE *lifecycle, guint max_rows);
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

/* One policy statement for people: "<indent><verb> <policy>, statement N
 * "Sid" (FILE:LINE:COL):" then the statement as JSON on the next line. */
void ams_report_statement (GString *out, const char *indent, const char *verb,
                           const AmsStatementRef *r);

/* A verdict's near misses for people, under a heading; nothing when none. */
void ams_report_near_misses (GString *out, const char *indent, const GArray *near);

G_END_DECLS
