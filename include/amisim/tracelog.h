/* amisim — what a run's trace events (trace.h) become for people and
 * scripts: the JSON Lines trace file (--trace) and the narration of the
 * run (--narrate).
 *
 * Both stream: neither keeps the events, so their memory follows the
 * model (pools, consumers, policies) and what is in flight (images
 * distributing), not the length of the run.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include "amisim/scenario.h"
#include "amisim/trace.h"

G_BEGIN_DECLS

/* ---- the trace file (src/report/trace.c) ---- */

/* Which events a trace keeps: each list is NULL-terminated; a NULL or
 * empty list keeps everything. An event is kept when it matches every
 * list given: its account is one of `accounts`, its region one of
 * `regions`, its image (pipeline) one of `images`, its kind one of
 * `kinds`. An event without an account (or region, or image) does not
 * match a list of those: `--trace-image` leaves out pool_state. */
typedef struct
{
  const char *const *accounts;
  const char *const *regions;
  const char *const *images;   /* pipeline names */
  const char *const *kinds;    /* ams_trace_kind_name names */
} AmsTraceFilter;

/* Checks the filter against the scenario: every kind must be a trace kind
 * (the message lists them), every account, region and image one of the
 * scenario's (an account listed or made by an account set); with `sc`
 * NULL, only the kinds.
 * Errors: G_OPTION_ERROR_BAD_VALUE, the message starting with the option
 * ("--trace-kind bogus: …"). */
gboolean ams_trace_filter_check (const AmsTraceFilter *f, const AmsScenario *sc,
                                 GError **error);

/* A trace file being written: one JSON object per line, fields in a fixed
 * order, only those the event has:
 *   {"t_s": 8400.123456, "t_at": "2026-01-01T02:20:00.123Z", "kind": "copy_started",
 *    "pipeline": "golden", "version": "1.0.0/3",
 *    "account": "222222222222", "region": "eu-west-1", "source_region": "us-east-1",
 *    "busy": 50, "queued": 12, "limit": 50, "cause": "…", "step": "…", "message": "…", …}
 * in the order t_s, t_at, kind, pipeline, version, trigger, upstream, policy,
 * policy_account, share, principal, account, region, source_region,
 * busy/queued/limit, the counts of the kind (outputs, failed, copies,
 * accounts, regions, attempt), resource, resource_id, action, status,
 * cause, step, message, after a first header line (ams_trace_writer_header).
 * t_s has exactly six decimals (the kernel's microsecond), so the same
 * scenario and seed give the same bytes. The file is written under a
 * temporary name next to `path` (registered with the signal handler, so
 * a signal that stops amisim removes it) and renamed into place by commit;
 * freed uncommitted, the temporary is removed: the file is whole or
 * absent. An existing character device or FIFO (/dev/null) is written
 * directly. Every write is checked; the first that failed is the reason
 * close and commit give. */
typedef struct AmsTraceWriter AmsTraceWriter;

/* What the trace's first line says of the run: it makes the file
 * self-describing (docs/outputs.md). */
typedef struct
{
  const char *scenario;      /* its name */
  const char *scenario_file; /* as given, or "builtin:default.yaml" */
  uint64_t seed;
  AmsTime start;             /* the clock at time 0: µs since the Unix epoch */
  AmsTime horizon;
  guint replication;         /* the replication traced (0) */
} AmsTraceHeader;

/* The header line: {"t_s": 0.000000, "t_at": START, "kind": "header",
 * "amisim_version": …, "scenario": …, "scenario_file": …, "seed": N,
 * "start": START, "horizon_s": S, "replication": R} and a newline. */
void ams_trace_header_json (GString *out, const AmsTraceHeader *h);
/* One event as its JSON line (with the newline) appended to `out` (see
 * AmsTraceWriter), its t_at on the clock `start`. */
void ams_trace_event_json (GString *out, const AmsTraceEvent *ev, AmsTime start);

/* Errors: G_FILE_ERROR, the message naming `path`; the filter as
 * ams_trace_filter_check (kinds only: the writer has no scenario). */
AmsTraceWriter *ams_trace_writer_new (const char *path, const AmsTraceFilter *f, GError **error);
/* Writes the header line (whatever the filter) and sets the clock of every
 * later line's t_at; call it first. */
void ams_trace_writer_header (AmsTraceWriter *w, const AmsTraceHeader *h);
/* Writes the event if the filter keeps it. */
void ams_trace_writer_event (AmsTraceWriter *w, const AmsTraceEvent *ev);
/* Whether the filter keeps `ev`. */
gboolean ams_trace_writer_keeps (const AmsTraceWriter *w, const AmsTraceEvent *ev);
/* Lines written so far. */
uint64_t ams_trace_writer_lines (const AmsTraceWriter *w);
/* Flushes and closes the file, checking every write; nothing is renamed
 * yet (on failure the temporary is removed). Errors: G_FILE_ERROR, the
 * message naming the path and the reason. */
gboolean ams_trace_writer_close (AmsTraceWriter *w, GError **error);
/* Closes (if not done) and renames the file into place, with SIGINT,
 * SIGTERM, SIGHUP and SIGPIPE blocked. Errors: G_FILE_ERROR. */
gboolean ams_trace_writer_commit (AmsTraceWriter *w, GError **error);
void ams_trace_writer_free (AmsTraceWriter *w); /* accepts NULL; removes an uncommitted file */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsTraceWriter, ams_trace_writer_free)

/* ---- the narration (src/report/narrate.c) ---- */

/* The story of a run for people, one line per thing worth telling, each
 * starting with the simulated day and time of day (UTC):
 *   day 1 02:41  golden 1.0.0/1 built and tested in 41m05s; distributes to 200 accounts
 *                in 4 regions (800 copies)
 *   day 1 02:41  eu-west-1/333333333333 pool full (50/50), 12 waiting
 * It aggregates so that big runs stay readable: one line when an image
 * starts distributing and one when it ends (its failed outputs counted by
 * cause, the first of each cause told with its reason), a pool's line
 * when it first fills (or fills again after draining) and when it drains,
 * one line per lifecycle execution that did something, a consumer's line
 * when its launches start failing and when they work again, a build that
 * starts on a new version of what its recipe uses (routine, like an image
 * starting to distribute), a pipeline's first build refused by the supply
 * chain for each cause (with the reason) and its first build after, every
 * RAM invitation (sent, accepted, rejected, expired) and every what-if event
 * (applied or refused); routine lines beyond three per simulated hour of
 * each kind and other lines beyond `max_per_hour` are counted, then told as
 * "(… in that hour: …)". */
typedef struct AmsNarrator AmsNarrator;

/* Writes to `out` (borrowed); `start` is the scenario's start (for the
 * time of day). */
AmsNarrator *ams_narrator_new (FILE *out, AmsTime start, guint max_per_hour);
void ams_narrator_event (AmsNarrator *n, const AmsTraceEvent *ev);
/* Tells what is pending and what is still in flight at `end`. */
void ams_narrator_finish (AmsNarrator *n, AmsTime end);
void ams_narrator_free (AmsNarrator *n); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsNarrator, ams_narrator_free)

/* "day 2 02:00" for simulated time `t` of a run that starts at `start`. */
void ams_narrate_when (char *buf, gsize len, AmsTime start, AmsTime t);

G_END_DECLS
