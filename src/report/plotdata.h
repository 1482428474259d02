/* Report-private: the data of `amisim plot`, prepared where the data is.
 *
 * `amisim run --out DIR` feeds an AmsPlotData from the run as it goes (a
 * recorder in front of the CSV one) and, at the end, writes DIR/plotdata.gp
 * from it and the results; `amisim sweep --out DIR` writes DIR/plotdata.gp
 * from its report. `amisim plot DIR` only loads that file into gnuplot
 * before each script of plots/: it reads no CSV.
 *
 * plotdata.gp is a gnuplot script: its first line is AMS_PLOTDATA_MAGIC,
 * then one comment line per picture, "# draw NAME" or "# skip NAME: why",
 * then gnuplot datablocks ($NAME_…) and, per picture, the variables its
 * script takes, set when the variable `picture` names it.
 *
 * Memory follows what is in flight, not history: per-pool levels, fixed
 * time bins over the horizon, quantile sketches, and the copies and pool
 * changes of at most a few days (the busiest so far and the ones still
 * going), each capped.
 */
#pragma once

#include <glib.h>
#include "amisim/records.h"
#include "amisim/report.h"

G_BEGIN_DECLS

/* The file's name in an output folder, and its first line. */
#define AMS_PLOTDATA_NAME "plotdata.gp"
#define AMS_PLOTDATA_MAGIC "# amisim plot data 2"

typedef struct AmsPlotData AmsPlotData;

/* `start`: the scenario's clock at time 0 (µs since the Unix epoch);
 * `horizon`: its simulated length. */
AmsPlotData *ams_plotdata_new (AmsTime start, AmsTime horizon);
void ams_plotdata_free (AmsPlotData *pd); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsPlotData, ams_plotdata_free)

/* The recorder to give the engine: it feeds `pd`, then `next` (NULL: none;
 * borrowed, it must outlive the run). */
void ams_plotdata_bind (AmsPlotData *pd, const AmsRecorder *next, AmsRecorder *out);
/* The same for the run without lifecycle (simulation.lifecycle.compare):
 * only its pool samples (its storage) are used and passed on. */
void ams_plotdata_bind_base (AmsPlotData *pd, const AmsRecorder *next, AmsRecorder *out);

/* plotdata.gp of a run: what `pd` gathered (replication 0) and the results
 * of its n replications (failures and launches: means over them). */
GString *ams_plotdata_run (const AmsPlotData *pd, const AmsResults *const *r, guint n);

/* plotdata.gp of a sweep. */
GString *ams_plotdata_sweep (const AmsSweepReport *s);

G_END_DECLS
