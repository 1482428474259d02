/* amisim — records a run can stream out as it goes (one per image, one per
 * copy, one per change of a pool or of its storage, one per lifecycle action
 * on a resource), for the CSV outputs.
 *
 * The engine calls an AmsRecorder's functions at the simulated moment
 * things end; it formats nothing and keeps nothing. With no recorder a run
 * pays nothing for them. Strings are borrowed for the call only.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/access.h"
#include "amisim/cause.h"
#include "amisim/time.h"

G_BEGIN_DECLS

typedef enum
{
  AMS_IMAGE_AVAILABLE,
  AMS_IMAGE_FAILED,
} AmsImageOutcome;

typedef struct
{
  const char *pipeline;
  const char *recipe;
  const char *version;       /* "1.0.0/3": recipe version / build number */
  AmsTime start;             /* pipeline execution start (simulated, from 0) */
  AmsTime built;             /* build and test done, or AMS_TIME_NEVER */
  AmsTime end;               /* AVAILABLE or FAILED */
  AmsImageOutcome outcome;
  AmsCause cause;            /* first failure, AMS_CAUSE_NONE when available */
  guint outputs;             /* copies, shares and launch template updates */
  guint failed_outputs;
  const char *trigger;       /* what started it: "schedule" (a schedule match), "arrival"
                                (arrivals), "dependency" (a schedule match or arrival whose build
                                uses a newer version of something its recipe references than the
                                pipeline's previous build did), "dependency_update" (the scripted
                                event), "retry" (RetryImage) */
  const char *upstream;      /* trigger "dependency": the new version it uses (an ARN); else NULL */
  const char *ripple;        /* the build whose ripple it belongs to ("golden-al2023 1.0.0/3"),
                                or NULL */
  const char *message;       /* FAILED before building (the supply chain refused it): why */
} AmsImageRecord;

typedef struct
{
  const char *pipeline;
  const char *version;
  const char *source_region;
  const char *region;
  const char *account;
  AmsTime requested;
  AmsTime started;           /* got its slot; AMS_TIME_NEVER if it never did */
  AmsTime ended;
  gboolean ok;
  AmsCause cause;            /* AMS_CAUSE_NONE when ok */
  AmsStep step;              /* where it failed */
  const char *message;       /* why a permission check refused it, or NULL */
} AmsCopyRecord;

typedef struct
{
  AmsTime t;
  const char *account;
  const char *region;
  guint busy;
  guint queued;
  guint limit;
  guint amis;                /* AMIs registered in the account and region */
  double snapshot_gib;       /* snapshot storage there, GiB (Recycle Bin included) */
} AmsPoolSample;

/* One action of a lifecycle execution on one resource (lifecycle.csv). */
typedef enum
{
  AMS_LC_RESOURCE_IMAGE,     /* the Image Builder image */
  AMS_LC_RESOURCE_AMI,       /* one output AMI, in one account and region */
  AMS_LC_RESOURCE_SNAPSHOT,  /* the snapshot of an AMI */
  AMS_LC_RESOURCE_CONTAINER, /* a container image in ECR */
  AMS_LC_RESOURCE_POLICY,    /* the execution itself (its execution role) */
} AmsLcResource;

typedef enum
{
  AMS_LC_SUCCESS,
  AMS_LC_FAILED,
  AMS_LC_SKIPPED,
} AmsLcStatus;

typedef struct
{
  AmsTime t;                 /* when the action ended (or was decided, SKIPPED) */
  const char *policy;
  const char *pipeline;
  const char *version;       /* "1.0.0/3" */
  AmsLcResource resource;
  const char *resource_id;   /* ami-…, snap-…, or the image's version for the image */
  const char *account;
  const char *region;
  const char *action;        /* DEPRECATE, DISABLE, DELETE */
  AmsLcStatus status;
  const char *reason;        /* SKIPPED: the exclusion or skip rule; FAILED: the cause name;
                                "" on SUCCESS */
  AmsCause cause;            /* FAILED of a cause: that cause; else AMS_CAUSE_NONE */
} AmsLifecycleRecord;

typedef struct
{
  void (*image) (void *user, const AmsImageRecord *r);   /* may be NULL */
  void (*copy) (void *user, const AmsCopyRecord *r);     /* may be NULL */
  void (*pool) (void *user, const AmsPoolSample *s);     /* may be NULL */
  void (*lifecycle) (void *user, const AmsLifecycleRecord *r); /* may be NULL */
  void *user;
} AmsRecorder;

G_END_DECLS
