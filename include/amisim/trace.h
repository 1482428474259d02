/* amisim — watching a run: one trace event per thing that happens.
 *
 * An AmsTracer set on an engine (ams_engine_set_tracer) is called at the
 * simulated moment each thing happens, in the order the kernel runs them:
 * an image starts, builds, distributes and ends; a copy is asked for,
 * waits for a slot of its destination pool, starts and ends; a pool's busy
 * and queued slots change; a lifecycle execution acts on a resource; a
 * consumer launches; a what-if event is applied. Several trace events may
 * share one kernel event (a copy that ends frees a slot that starts the
 * next one).
 *
 * The engine formats nothing and keeps nothing for the tracer: strings are
 * borrowed for the call only. With no tracer set, each place that could
 * trace costs one predictable branch.
 *
 * Kinds have stable snake_case names (ams_trace_kind_name), a contract like
 * the failure causes: new kinds may be added, none renamed. What each kind
 * sets besides t and kind:
 *
 *   image_started        image, version, account (owner), region (build region)
 *   build_started        the same, and busy/queued/limit of the owner's concurrent builds
 *   build_done           the same as image_started (tests begin)
 *   build_failed         + cause build_failed
 *   test_failed          + cause test_failed
 *   distribution_started + outputs, copies, accounts (the copies' destination accounts),
 *                        regions (of every output); of a RetryImage: of the copies made again
 *   image_available      + outputs
 *   image_failed         + outputs, failed (outputs that failed), cause (the first)
 *   copy_requested       image, version, account and region (the destination),
 *                        source_region, and the pool's busy/queued/limit
 *   copy_queued          the same, the pool after the copy joined its queue
 *   copy_started         the same, the pool after the copy took its slot
 *   copy_retry           the same (on_limit: retry, refused: backs off), + attempt
 *   copy_done            the same, the pool before the copy gives its slot back
 *   copy_failed          the same, + cause, step, message (why a check refused it)
 *   share_failed         image, version, account (whose launch permission, launch
 *                        template or SSM parameter), region, cause
 *   pool_state           account, region, busy/queued/limit: after every change of a
 *                        copy pool (and of its limit)
 *   schedule_skipped     image (pipeline), account, region: a schedule match with no
 *                        dependency update to build
 *   pipeline_disabled    image, version (the image whose failure disabled it), account,
 *                        region, cause (that image's first cause)
 *   event_applied        action (the events[] action), and image (pipeline), account,
 *                        region, message (the key or role) where the event names them
 *   lifecycle_run_started policy, account, region
 *   lifecycle_run_skipped policy, account, region, message (the previous execution
 *                        is still going)
 *   lifecycle_action     policy, policy_account, image, version, resource,
 *                        resource_id, account and region (the resource's), action,
 *                        status, cause (FAILED), message (the reason)
 *   lifecycle_run_done   policy, account, region, status (SUCCESS | FAILED), cause and
 *                        message when it could not run at all
 *   launch               account, region (the consumer), image, version (the AMI's)
 *   launch_failed        the same (image NULL when none was found), status
 *                        (no_ami | deregistered | disabled | not_shared | key_denied),
 *                        message; key_denied also carries the cause
 *   warmup_done          nothing more: simulation.warmup is over, the statistics
 *                        start again from here
 *   invitation           share, principal, account (the account that answers it, if the
 *                        scenario has one), region (the share's), status (SENT | ACCEPTED |
 *                        REJECTED | EXPIRED)
 *   event_refused        action (the events[] action), account and region (where it was
 *                        refused), cause, message: the service refused a what-if event
 *   image_started (and image_failed, image_available) also carry trigger (see
 *                        AmsImageRecord) and upstream (the new version it uses) when set;
 *                        an image refused at its start by the supply chain ends at once
 *                        with image_failed, its cause and message
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/cause.h"
#include "amisim/time.h"

G_BEGIN_DECLS

typedef enum
{
  AMS_TRACE_IMAGE_STARTED,
  AMS_TRACE_BUILD_STARTED,
  AMS_TRACE_BUILD_DONE,
  AMS_TRACE_BUILD_FAILED,
  AMS_TRACE_TEST_FAILED,
  AMS_TRACE_DISTRIBUTION_STARTED,
  AMS_TRACE_IMAGE_AVAILABLE,
  AMS_TRACE_IMAGE_FAILED,
  AMS_TRACE_COPY_REQUESTED,
  AMS_TRACE_COPY_QUEUED,
  AMS_TRACE_COPY_STARTED,
  AMS_TRACE_COPY_RETRY,
  AMS_TRACE_COPY_DONE,
  AMS_TRACE_COPY_FAILED,
  AMS_TRACE_SHARE_FAILED,
  AMS_TRACE_POOL_STATE,
  AMS_TRACE_SCHEDULE_SKIPPED,
  AMS_TRACE_PIPELINE_DISABLED,
  AMS_TRACE_EVENT_APPLIED,
  AMS_TRACE_LIFECYCLE_RUN_STARTED,
  AMS_TRACE_LIFECYCLE_RUN_SKIPPED,
  AMS_TRACE_LIFECYCLE_ACTION,
  AMS_TRACE_LIFECYCLE_RUN_DONE,
  AMS_TRACE_LAUNCH,
  AMS_TRACE_LAUNCH_FAILED,
  AMS_TRACE_WARMUP_DONE,
  AMS_TRACE_INVITATION,
  AMS_TRACE_EVENT_REFUSED,
  AMS_TRACE_N_KINDS
} AmsTraceKind;

/* The stable name ("copy_started"). */
const char *ams_trace_kind_name (AmsTraceKind k);
/* The kind of a name; FALSE if there is none. */
gboolean ams_trace_kind_from_name (const char *name, AmsTraceKind *out);

typedef struct
{
  AmsTime t;                 /* simulated, from the start */
  AmsTraceKind kind;
  const char *image;         /* the pipeline whose image it is, or NULL */
  const char *version;       /* "1.0.0/3": recipe version / build number, or NULL */
  const char *account;       /* or NULL */
  const char *region;        /* or NULL */
  const char *source_region; /* copies: where from */
  gboolean has_pool;         /* busy, queued and limit are set */
  guint busy, queued, limit;
  AmsCause cause;            /* AMS_CAUSE_NONE when none */
  const char *step;          /* copy_failed: the check that refused it ("assume_role"…) */
  const char *message;       /* why, when known, or NULL */
  const char *action;        /* lifecycle: DEPRECATE, DISABLE, DELETE; event_applied: its action */
  const char *policy;        /* lifecycle policy name */
  const char *policy_account;/* lifecycle_action: the policy's account (`account` is the
                                resource's) */
  const char *resource;      /* lifecycle: image, ami, snapshot, container, policy */
  const char *resource_id;   /* lifecycle: ami-…, snap-…, repository:version, role */
  const char *status;        /* lifecycle: SUCCESS, FAILED, SKIPPED; launch_failed: why */
  guint outputs;             /* distribution_started, image_available, image_failed */
  guint failed;              /* image_failed: outputs that failed */
  guint copies, accounts, regions; /* distribution_started */
  guint attempt;             /* copy_retry: refusals so far */
  const char *trigger;       /* images: what started it (AmsImageRecord.trigger) */
  const char *upstream;      /* images: the new version it uses, or NULL */
  const char *share;         /* invitation: the resource share's name */
  const char *principal;     /* invitation: the principal invited */
} AmsTraceEvent;

typedef struct
{
  void (*event) (void *user, const AmsTraceEvent *ev);
  void *user;
} AmsTracer;

/* Called every `every` kernel events while the engine runs (a progress
 * bar): `now` is the simulated time, `horizon` the scenario's, `events`
 * the kernel events run so far. */
typedef void (*AmsProgressFn) (void *user, AmsTime now, AmsTime horizon, uint64_t events);

G_END_DECLS
