/* Engine-private: the AMIs and snapshots that exist, one by one, for the
 * parts that act on them (lifecycle policies, consumers, what-if events).
 *
 * Records follow what exists, not what ever existed: an AMI's record goes
 * when the AMI is gone for good (deregistered and out of the Recycle Bin)
 * and no consumer still holds it; an image's when it is deleted and none of
 * its AMIs is left. Storage is counted per pool whether or not records are
 * kept (engine-private.h, ams_inv_storage_changed).
 */
#pragma once

#include "amisim/sharing.h"
#include "engine/engine-private.h"

typedef enum
{
  LC_BUILDING,   /* building, testing or distributing */
  LC_AVAILABLE,
  LC_FAILED,
  LC_DEPRECATED,
  LC_DISABLED,
  LC_DELETED,    /* the Image Builder image is gone (AMIs may remain) */
} LcState;

typedef struct
{
  uint64_t id;          /* snap-… number */
  const char *given;    /* its id when it existed at the start (amis[]), else NULL */
  uint64_t bytes;
  EnginePool *pool;     /* where it is stored */
  guint users;          /* registered AMIs that use it: it cannot be deleted while > 0 */
  guint holders;        /* AMI records that point to it */
  gboolean deleted;     /* deleted (its bytes no longer stored, or in the Recycle Bin) */
  gboolean binned;      /* deleted into the Recycle Bin: still stored */
} Snapshot;

typedef struct Ami Ami;
struct Ami
{
  LcImage *img;
  EnginePool *pool;     /* its account and region */
  Target *t;            /* the copy that made it; NULL for the image's own AMI, and for
                           an AMI that existed at the start */
  const AmsScAmi *given;/* amis[]: it existed at the start; NULL: made in the run */
  const AmsScDistRegion *entry; /* the distribution entry of its region, or NULL */
  Snapshot *snap;
  uint64_t id;          /* ami-… number */
  AmsTime deprecated_at;/* AMS_TIME_NEVER: not deprecated */
  AmsTime protect_until;/* deregistration blocked before this (AMS_TIME_NEVER while on) */
  AmsTime bin_until;    /* in the Recycle Bin until then */
  AmsTime launched[3];  /* the last launch, and the last of each of two earlier days */
  AmsEventHandle bin_expiry;
  guint index;          /* in img->amis */
  guint pins;           /* consumers that use it */
  guint busy;           /* lifecycle state updates of it in flight */
  gboolean registered;
  gboolean binned;      /* deregistered into the Recycle Bin */
  gboolean disabled;
  gboolean shared;      /* owner's AMI: its launch permissions are in force */
  gboolean snapshot_with_bin; /* its snapshot went to the Recycle Bin with it */
  gboolean protect_cooldown;  /* protection enabled WithCooldown: 24 h more once turned off */
  AmsLaunchPerms *perms;/* its own launch permissions once an event changed them (owned);
                           NULL: its distribution entry's */
  Ami *next, *prev;     /* in its pool's list for the pipeline, oldest first */
};

struct LcImage
{
  Pipeline *p;
  const char *semver;   /* its recipe's version: the pipeline's, or an older image's
                           (amis[]) */
  uint64_t build;
  AmsTime created;
  AmsTime deleted_at;
  LcState state;
  guint busy;           /* in a lifecycle execution */
  gboolean container;   /* a container image in ECR (no AMIs) */
  gboolean pushed;      /* container: its image is in the repository */
  GPtrArray *amis;      /* of Ami*: records not yet gone */
  LcImage *next, *prev; /* in the pipeline's list, oldest first */
};

/* "1.0.0/3" */
void ams_inv_version (const LcImage *img, char *buf, gsize len);
/* ami-0000000000000002a style ids, or the id an AMI (snapshot) that
 * existed at the start was given */
void ams_inv_ami_id (const Ami *a, char *buf, gsize len);
void ams_inv_snapshot_id (const Snapshot *s, char *buf, gsize len);

/* Effects (DOMAIN.md §6), applied at the simulated moment. */
void ams_inv_deprecate (AmsEngine *e, Ami *a);
void ams_inv_disable (AmsEngine *e, Ami *a);
/* Deregisters the AMI (into the Recycle Bin when its account has a rule). */
void ams_inv_deregister (AmsEngine *e, Ami *a);
/* Deletes the AMI's snapshot (after the AMI was deregistered). */
void ams_inv_delete_snapshot (AmsEngine *e, Ami *a);
/* The image record is deleted. */
void ams_inv_delete_image (AmsEngine *e, LcImage *img);
/* Frees what is no longer needed once a lifecycle update let go of it. */
void ams_inv_release_ami (AmsEngine *e, Ami *a);
void ams_inv_release_image (AmsEngine *e, LcImage *img);

/* The last launch EC2 reports now (published once a day, so at least a day
 * old), or G_MININT64 if none. */
AmsTime ams_inv_last_launched_seen (const AmsEngine *e, const Ami *a);
/* Whether the AMI is public (the owner's, shared with all). */
gboolean ams_inv_ami_public (const Ami *a);
/* Whether the AMI is in `account` or shared with it by launch permission. */
gboolean ams_inv_ami_shared_with (const Ami *a, const char *account);

struct Inventory
{
  gboolean lifecycle;        /* policies run */
  GPtrArray *consumers;      /* of Consumer* (inventory.c) */
  GHashTable *perms;         /* AmsScDistRegion* -> AmsLaunchPerms* (built when needed) */
  GPtrArray *policies;       /* of LcPolicy* (lifecycle.c) */
  GHashTable *update_slots;  /* packed (account, region) -> AmsPool*: state updates at once */
  AmsFreeList tasks;         /* lifecycle.c: one image's action in an execution */
  AmsFreeList updates;       /* lifecycle.c: resource state updates in flight */
  GHashTable *given_snaps;   /* amis[]: snapshot id -> Snapshot* (each held once by the table:
                                they live as long as the run, bounded by the input) */
};
