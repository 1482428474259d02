/* amisim — the commands behind the command line.
 *
 * main.c parses arguments into these option structs and calls one command;
 * everything a command does (loading, running, reporting, writing files,
 * choosing the exit code) is here, so tests can call commands directly.
 */
#pragma once

#include <glib.h>
#include "amisim/scenario.h"

G_BEGIN_DECLS

typedef enum
{
  AMS_EXIT_OK = 0,
  AMS_EXIT_FAILURE = 1,   /* the run could not complete or write its outputs (a file, the
                             trace, standard output) */
  AMS_EXIT_BAD_INPUT = 2, /* bad scenario, bad option, unusable path */
} AmsExit;
/* Stopped by SIGHUP, SIGINT or SIGTERM: 128 + the signal (129, 130, 143),
 * with every temporary removed and nothing published (report/cleanup.h);
 * by SIGPIPE (the reader of stdout went away): the same, silently, ending
 * by SIGPIPE itself. */

/* Limits of the command line (docs/outputs.md), checked before anything
 * is made: the replications of a run (each keeps its results until the
 * report: tens of kilobytes, more with many pools), the threads, and the
 * runs of a sweep (points × replications). */
#define AMS_MAX_REPLICATIONS 100000
#define AMS_MAX_THREADS 256
#define AMS_MAX_RUNS 100000

/* What every command needs, once, before anything else: the handler of
 * SIGINT, SIGTERM, SIGHUP and SIGPIPE that removes the temporaries and
 * exits with 128 + the signal, and a check at exit that whatever went to standard
 * output got there (else "amisim: cannot write standard output: REASON"
 * on stderr and exit 1, whatever the command returned). */
void ams_cli_init (void);

/* Flushes standard output: TRUE when everything written to it got there;
 * else FALSE, after saying why on stderr (once). Every command ends with
 * it and exits 1 on FALSE. */
gboolean ams_cli_stdout_ok (void);

/* The display name of the scenario built into the binary. */
#define AMS_DEFAULT_SCENARIO_NAME "builtin:default.yaml"

/* The text of scenarios/default.yaml as built into the binary. */
const char *ams_default_scenario (gsize *len);

typedef struct
{
  const char *scenario;          /* file, or NULL for the built-in default */
  const char *out;               /* output folder, or NULL */
  const AmsOverride *overrides;  /* --seed, --horizon, --set, in order given */
  guint n_overrides;
  gboolean json;                 /* summary JSON on stdout instead of the table */
  gboolean quiet;                /* nothing on stdout (and no progress bar) */
  guint replications;            /* --replications, 1 to AMS_MAX_REPLICATIONS (0 is taken
                                    as 1) */
  guint threads;                 /* --threads, 1 to AMS_MAX_THREADS (0 is taken as 1) */
  const char *trace;             /* --trace FILE: kernel events as JSON Lines, or NULL */
  const char *const *trace_accounts; /* --trace-account, NULL-terminated, or NULL: all */
  const char *const *trace_regions;  /* --trace-region */
  const char *const *trace_images;   /* --trace-image: pipeline names */
  const char *const *trace_kinds;    /* --trace-kind: event kinds */
  gboolean narrate;              /* --narrate: the story of the run on stdout */
} AmsRunOptions;

/* `amisim run`. Every option and the scenario are checked before anything
 * is made (bad: exit 2, nothing created); the outputs of --out and --trace
 * are then staged and published at the end, all or nothing (report.h).
 * Messages go to stderr, results to stdout. With
 * replications > 1 the summary, the table, pools.csv, failures.csv and
 * storage.csv give means over the replications (report.h); the streamed
 * CSVs (images, copies, timeseries, lifecycle) and the observers (trace,
 * narration, progress) are replication 0's. */
int ams_cli_run (const AmsRunOptions *opt);

typedef struct
{
  const char *scenario;          /* file (required) */
  const char *out;               /* folder for sweep.csv and summary.json, or NULL */
  const AmsOverride *overrides;  /* --seed, --horizon, --set, in the order given; a --set
                                    whose value has a comma is an axis: its values are
                                    the comma-separated parts */
  guint n_overrides;
  guint replications;            /* per point, >= 1 (0 is taken as 1); points × replications
                                    at most AMS_MAX_RUNS */
  guint threads;                 /* 1 to AMS_MAX_THREADS (0 is taken as 1) */
  gboolean json;                 /* the sweep's summary.json on stdout instead of the table */
  gboolean quiet;                /* nothing on stdout */
} AmsSweepOptions;

/* `amisim sweep`: every point of the cartesian product of the axes (the
 * first axis varies slowest), each with the same seed and replication
 * numbers (common random numbers). At least one axis; every point's
 * scenario is checked before any runs. 0 ok, 1 outputs not written, 2 bad
 * input. */
int ams_cli_sweep (const AmsSweepOptions *opt);

typedef struct
{
  const char *const *files;
  guint n_files;
  const AmsOverride *overrides;
  guint n_overrides;
  gboolean json;
  gboolean quiet;
} AmsValidateOptions;

/* `amisim validate`: 0 when every file is valid, 2 otherwise, 1 when the
 * verdicts could not be written. */
int ams_cli_validate (const AmsValidateOptions *opt);

#define AMS_EXIT_BLOCKERS 3 /* `explain`: blockers found */

/* What `explain` prints. */
typedef enum
{
  AMS_EXPLAIN_TEXT,              /* the root causes, then the summary line */
  AMS_EXPLAIN_JSON,              /* every blocker and root cause as JSON */
  AMS_EXPLAIN_SARIF,             /* SARIF 2.1.0: a result per root cause */
} AmsExplainFormat;

typedef struct
{
  const char *scenario;          /* file, or NULL for the built-in default */
  const AmsOverride *overrides;
  guint n_overrides;
  gboolean json;                 /* the report as JSON on stdout (the same as
                                    format = AMS_EXPLAIN_JSON) */
  gboolean quiet;                /* only the summary line (text) */
  AmsExplainFormat format;       /* --format; AMS_EXPLAIN_TEXT (0) unless json is set */
} AmsExplainOptions;

/* `amisim explain`: 0 no blocker, 3 blockers found, 2 bad input, 1 the
 * report could not be written. */
int ams_cli_explain (const AmsExplainOptions *opt);

typedef struct
{
  const char *file;
  gboolean json;
} AmsPolicyEvalOptions;

/* `amisim policy eval FILE`: prints the decision; 0, 2 on bad input, 1 when
 * it could not be written. */
int ams_cli_policy_eval (const AmsPolicyEvalOptions *opt);

/* Which pictures `amisim plot` draws (a bit set). */
typedef enum
{
  AMS_PLOT_PNG = 1 << 0,
  AMS_PLOT_SVG = 1 << 1,
  AMS_PLOT_BOTH = AMS_PLOT_PNG | AMS_PLOT_SVG,
} AmsPlotFormat;

typedef struct
{
  const char *dir;        /* a finished `run --out` or `sweep --out` folder */
  AmsPlotFormat formats;  /* 0 is taken as AMS_PLOT_BOTH */
  gboolean quiet;         /* nothing on stdout, no notes on skipped plots */
} AmsPlotOptions;

/* `amisim plot OUTDIR`: renders the plots whose inputs OUTDIR holds into
 * OUTDIR/plots/ (replaced whole, or left as it was) with gnuplot and the
 * scripts of $AMISIM_PLOTS_DIR or amisim's plots/ folder; prints the files
 * written. 0 ok; 2 OUTDIR is not a run's output; 1 gnuplot is missing or
 * failed (its messages on stderr) or the folder cannot be written. */
int ams_cli_plot (const AmsPlotOptions *opt);

typedef struct
{
  const char *dir;        /* an estate export (docs/estate-export.md) */
  const char *output;     /* the scenario file; NULL or "-": stdout */
  gboolean quiet;         /* no notes on stderr */
} AmsImportOptions;

/* `amisim import OUTDIR`: writes the scenario of the estate export
 * (docs/import.md). 0 written; 2 bad input (the export; an -o that cannot
 * be a file), nothing written; 1 the scenario could not be written. */
int ams_cli_import (const AmsImportOptions *opt);

/* Loads a scenario (or the built-in default when `file` is NULL); on bad
 * input prints the errors on stderr and returns NULL. */
AmsScenario *ams_cli_load (const char *file, const AmsOverride *ov, guint n_ov);

G_END_DECLS
