/* amisim — the engine: pipelines, builds and distribution copies on the kernel.
 *
 * An engine takes a validated scenario and its world, owns a kernel, and
 * drives it: pipelines start builds (rate schedules or Poisson arrivals),
 * builds and tests take time drawn from the scenario's distributions, and
 * each distribution output becomes a copy that waits for and holds a slot
 * of its destination (account, region) pool.
 *
 * Random streams (see rng.h), one per entity so that changing one thing does
 * not reshuffle the others:
 *   pipeline/<name>/arrivals   Poisson inter-arrival times
 *   pipeline/<name>/schedule   how late each scheduled run starts
 *   pipeline/<name>/build      build durations
 *   pipeline/<name>/test       test durations
 *   pipeline/<name>/faults     build and test failures
 *   copy/<account>/<region>    copy durations (and encryption overhead) into that pool
 *   copy/<account>/<region>/faults   transient copy failures
 *   lifecycle/<account>/<region>/<policy>   how long its state updates take
 *   launches/<name>/<account>   a consumer's launch times
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/records.h"
#include "amisim/results.h"
#include "amisim/scenario.h"
#include "amisim/trace.h"
#include "amisim/world.h"

G_BEGIN_DECLS

typedef struct AmsEngine AmsEngine;

/* A new engine for `sc` (validated) and its world; both must outlive it.
 * `seed` is the master seed, `replication` the replication number. */
AmsEngine *ams_engine_new (const AmsScenario *sc, const AmsWorld *w,
                           uint64_t seed, uint64_t replication);
void ams_engine_free (AmsEngine *e); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsEngine, ams_engine_free)

/* Streams records (images, copies, pool changes) to `r` as the run goes;
 * call before ams_engine_run. NULL: none. */
void ams_engine_set_recorder (AmsEngine *e, const AmsRecorder *r);

/* Calls `t` at every simulation event (trace.h) as the run goes; call
 * before ams_engine_run. NULL: none (the default). */
void ams_engine_set_tracer (AmsEngine *e, const AmsTracer *t);

/* Calls `fn` every `every` kernel events (> 0) while the run goes; call
 * before ams_engine_run. NULL: none (the default). */
void ams_engine_set_progress (AmsEngine *e, uint64_t every, AmsProgressFn fn, void *user);

/* Whether the scenario's lifecycle policies run (default:
 * simulation.lifecycle.enabled); call before ams_engine_run. */
void ams_engine_set_lifecycle (AmsEngine *e, gboolean enabled);

/* After the run: records the storage figures of the same run without
 * lifecycle (another engine's results) for comparison. */
void ams_engine_compare (AmsEngine *e, const AmsResults *baseline);

/* Runs the simulation to the scenario's horizon (and, with
 * simulation.drain, on until nothing is in flight). Call once. */
void ams_engine_run (AmsEngine *e);

/* The results, valid after ams_engine_run until the engine is freed. */
const AmsResults *ams_engine_results (const AmsEngine *e);

/* Moves the results out of the engine into `out` (clear it with
 * ams_results_clear), detached: they outlive the engine, its world and its
 * scenario. After ams_engine_run (and ams_engine_compare, if any). */
void ams_engine_take_results (AmsEngine *e, AmsResults *out);

G_END_DECLS
