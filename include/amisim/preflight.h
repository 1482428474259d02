/* amisim — the permission preflight of `amisim explain`: every check the
 * real service would make, over the scenario's whole horizon.
 *
 * First the world as the scenario writes it: each pipeline's copies,
 * launch permissions, launch template and SSM parameter outputs, the
 * cross-account lifecycle role, its builds' instance profile and what the
 * supply chain gives its builds; each lifecycle policy's execution role
 * and repositories; each supply-chain event the service would refuse. Then
 * the scenario's events that change the world (keys disabled, statements
 * removed, roles deleted, accounts moved), in time order: after each
 * moment at which some apply, every check is made again and what newly
 * blocks is reported as coming after that event. So each failure a run
 * can meet for lack of a permission is named, with where and why, before
 * the run.
 */
#pragma once

#include <glib.h>
#include "amisim/access.h"
#include "amisim/scenario.h"
#include "amisim/world.h"

G_BEGIN_DECLS

typedef enum
{
  AMS_FINDING_PIPELINE,        /* a pipeline's build, outputs or consumers */
  AMS_FINDING_LIFECYCLE,       /* a lifecycle policy's executions */
  AMS_FINDING_EVENT,           /* a what-if event the service would refuse */
} AmsFindingKind;

typedef struct
{
  AmsFindingKind kind;
  const char *subject;             /* the pipeline's or policy's name, or the event's path
                                      ("events[3]") */
  const AmsScPipeline *pipeline;   /* PIPELINE */
  const AmsScLifecyclePolicy *policy; /* LIFECYCLE */
  const AmsScEvent *event;         /* EVENT */
  const AmsScEvent *after;         /* it blocks only once this event (and those before it)
                                      has changed the world; NULL: from the start */
  const AmsBlocker *b;
} AmsFinding;

typedef void (*AmsFindingFn) (const AmsFinding *f, gpointer user);

/* Runs the preflight on `w` (a fresh world of its scenario, which the
 * scenario's events change as the preflight goes: use it for nothing else
 * after). Calls fn for each finding, each reported once however often the
 * same blocker is found again; returns the number of checks made. */
guint ams_preflight (AmsWorld *w, AmsFindingFn fn, gpointer user);

G_END_DECLS
