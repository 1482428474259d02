/* Engine-private: the records the engine's parts share (engine.c drives
 * pipelines, builds and copies; inventory.c keeps the AMIs that exist, their
 * storage, the consumers launching from them and the what-if events on
 * them; lifecycle.c runs lifecycle policies over them).
 *
 * Calls go one way, down this list; a part may call any part below it,
 * never one above:
 *
 *   engine.c      pipelines, images, copies, what-if events; sets up and
 *                 arms the inventory, then the lifecycle policies (and
 *                 frees them in the reverse order)
 *   chain.c       the supply chain in the run: what a build uses, its
 *                 trigger and ripple, invitations and RAM events (chain.h)
 *   lifecycle.c   lifecycle policies over the inventory (lifecycle.h)
 *   inventory.c   AMIs, snapshots, storage, consumers (inventory.h)
 *   core.c        what they share: random streams, failure counts,
 *                 pipelines by name, pool samples (declared under "core.c")
 *   tracing.c, results.c, freelist.c   trace events, results, free lists
 *                 (none of the three calls another)
 *   the kernel
 *
 * So each part can be read, and changed, knowing only the parts below it:
 * the inventory does not know that policies act on it, and nothing below
 * engine.c knows how images are built or copied. The inline functions here
 * count as their section's file. tests/engine/check_layers.py fails the
 * tests when a file refers to a function defined in a file above it. */
#pragma once

#include <gsl/gsl_rng.h>

#include "amisim/access.h"
#include "amisim/engine.h"
#include "amisim/kernel.h"
#include "amisim/link.h"
#include "amisim/pool.h"
#include "amisim/rng.h"
#include "amisim/supply.h"
#include "engine/freelist.h"

typedef struct AmsEngineImage Image;
typedef struct Chain Chain;
typedef struct ChainPipe ChainPipe;
typedef struct Ripple Ripple;
typedef struct AmsEngineCopy Copy;
typedef struct LcImage LcImage;
typedef struct Inventory Inventory;

/* An account and region: its copy slots, its stream of copy durations,
 * its AMIs and storage. A copy reads and writes the first four cache lines
 * (the record is 64-byte aligned: pool_for), so that an estate's thousands
 * of them take as few lines of the cache as they can. */
typedef struct
{
  /* lines 0 and 1: what a copy reads and writes here, besides the slots */
  AmsRngInline rng;        /* copy/<account>/<region>: copy durations (&rng.r) */
  uint64_t copies;
  uint64_t waited;
  uint64_t amis;           /* AMIs registered in this account and region */
  uint64_t binned;         /* AMIs in its Recycle Bin (they count against the quota too) */
  /* storage (inventory.c) */
  uint64_t snapshot_bytes; /* snapshots here, Recycle Bin included */
  double byte_ticks;       /* integral of snapshot bytes over time, byte-µs */
  AmsTime t_storage;       /* when byte_ticks was last brought up to date */
  guint amis_max;
  guint index;             /* in e->pools (Target.pool) */
  AmsEngine *e;
  uint64_t bin_bytes;      /* of which in the Recycle Bin */
  /* lines 2 and 3: the slots (a request's and a release's part of them) */
  AmsPool pool;            /* copies_per_account_region */
  gsl_rng *faults;         /* copy/<account>/<region>/faults: transient failures */
  const AmsAccount *account;
  const AmsRegion *region;
  GHashTable *lists;       /* inventory: Pipeline* -> AmiList* (AMIs of the pipeline here) */
  AmsPool **source_pools;  /* legacy per-source-region caps here, by source region index;
                              NULL without them */
} EnginePool;

G_STATIC_ASSERT (G_STRUCT_OFFSET (EnginePool, pool) == 128);

/* A decision of the permission checks, valid while the world's epoch is. */
typedef struct
{
  uint64_t epoch;          /* 0: not decided yet */
  AmsCause cause;
  AmsStep step;
  const char *message;     /* why, when refused (interned in the engine) */
} Decision;

/* A permission decision, valid while the world's epoch is: 8 bytes. The
 * message of a refusal is kept aside (ams_engine_refusal): refusals are the
 * exception. */
typedef struct
{
  uint32_t epoch;          /* the low 32 bits of the epoch decided at; 0: not decided yet
                              (epochs count what-if events: far fewer than 2^32) */
  guint8 cause;            /* AmsCause (fewer than 256) */
  guint8 step;             /* AmsStep */
} TargetDecision;

/* The decisions of one question the copy checks ask (AmsAccess numbers
 * them: ams_access_copy_question): every target that asks it shares them,
 * so an estate's pipelines copying to one account and region are decided
 * once, not once each. */
typedef struct
{
  TargetDecision request;
  TargetDecision transfer;
} QuestionDecisions;

/* One copy an image of the pipeline makes: only what the copy path reads.
 * What the permission checks and the reports want (AmsCopySpec) follows
 * from it: ams_engine_target_spec. */
typedef struct
{
  const AmsScDistRegion *entry; /* the distribution entry of the destination region */
  uint32_t pool;           /* the destination account and region: e->pools (ams_target_pool);
                              an index, not a pointer, so that a target takes 24 bytes */
  uint32_t question;       /* its decisions: e->questions[question] */
  uint32_t lc_epoch;       /* the cross-account lifecycle role (lifecycle.c): decided at, */
  guint8 lc_cause;         /* and its cause (the message is not needed) */
  guint8 landed;           /* a copy of this pipeline's snapshots reached the destination */
  guint8 crypto;           /* decrypts or encrypts: encryption overhead applies */
} Target;

G_STATIC_ASSERT (sizeof (Target) == 24); /* one per pipeline x region x account of an estate */

/* One region of the distribution: its launch permissions and launch
 * template updates, outputs that need no copy. */
/* An output of a region that failed: its cause and where. */
typedef struct
{
  AmsCause cause;
  const AmsAccount *account;
} Failed;

typedef struct
{
  AmsCopySpec spec;        /* target = owner */
  uint64_t epoch;          /* when `failed` was decided */
  GArray *failed;          /* of Failed: the launch permissions and templates that fail */
  guint outputs;           /* 1 for the launch permissions if any, + templates and parameters */
  gboolean shares_failed;  /* the launch permissions failed (with `failed`) */
} Entry;

/* The concurrent-builds quota of an account and region: a counter and the
 * builds waiting for it (a pool's time-averaged statistics are not needed
 * here, and every image passes through it). */
typedef struct
{
  guint running;
  guint capacity;
  GQueue waiting;          /* of Image*, FIFO */
} BuildSlots;

typedef struct Pipeline
{
  AmsEngine *e;
  const AmsScPipeline *sc;
  gsl_rng *arrivals;
  gsl_rng *schedule;
  gsl_rng *build;
  gsl_rng *test;
  gsl_rng *faults;         /* build and test failures */
  BuildSlots *builds_slots;/* concurrent builds of the owner account and build region */
  EnginePool *home;        /* the owner account in the build region (its AMIs count) */
  AmsDist interarrival;    /* POISSON: exponential(mean = 1 / rate) */
  Target *targets;
  guint n_targets;
  Copy *spare_copies;      /* the copies array of its image that ended last, for the next */
  guint spare_cap;
  Entry *entries;
  guint n_entries;
  guint entry_outputs;     /* sum of entries[].outputs */
  uint64_t *builds;        /* build counter of the recipe version (shared) */
  AmsTime next_fire;       /* RATE, CRON: the next schedule match */
  GTimeZone *tz;           /* CRON: the schedule's time zone (NULL: UTC) */
  AmsEventHandle trigger;  /* the pending schedule match or arrival */
  gboolean updates_pending;/* the next match builds: nothing built yet, or a dependency_update
                              event */
  gboolean scripted_update;/* updates_pending comes from a dependency_update event */
  const char *next_trigger;/* what the scheduled start coming is for ("schedule", …) */
  ChainPipe *chain;        /* chain.c: what its builds use (NULL: nothing the supply chain
                              decides) */
  Decision profile;        /* its builds' instance profile (sc->infrastructure) */
  guint consecutive_failures;
  gboolean disabled;
  AmsTime timeout;         /* distribution timeout */
  GPtrArray *retry;        /* the failed copies (Target*) of its last failed image */
  Target *retry_targets;   /* the array they are in (that image's targets) */
  uint64_t retry_build;    /* that image's build number, 0 if none */
  AmsTime retry_start;
  AmsTime retry_end;       /* when that image ended FAILED */
  Image *distributing;     /* FIFO (oldest first) of images distributing */
  Image *distributing_tail;
  AmsEventHandle watchdog;
  guint index;             /* in e->pipelines */
  LcImage *first, *last;   /* inventory: its images, oldest first */
  const AmsScDistRegion *home_entry; /* the distribution entry of the build region, or NULL */
  gboolean relay_test;     /* a build and its test can be one event (build_granted) */
} Pipeline;

/* A copy in flight. What its path reads at its start and end is here
 * (pool, crypto, ready), so that with an estate's targets far out of the
 * cache it touches its target only when it is requested. Its image's
 * copies are one array in the order requested (Image.copies), so that the
 * thousands an image of an estate asks for at once are written one after
 * the other, not into free records scattered over the heap, and its end
 * unlinks nothing. It is 48 bytes: the kernel's prefetch of the next
 * event's data (two lines) fetches all of it; its target is an index into
 * its image's array, its request time is its image's distribution start,
 * and whether its transfer was already allowed is a bit that holds while
 * the image's epoch is the engine's. */
struct AmsEngineCopy
{
  Image *img;              /* NULL once it has ended */
  EnginePool *pool;        /* its target's pool */
  AmsTime t_start;         /* AMS_TIME_NEVER while queued */
  union
  {
    AmsEventHandle done;   /* the transfer's end, or the next retry */
    AmsFlowHandle flow;    /* bandwidth model, while `flowing`: the transfer on its region pair */
  };
  uint32_t target;         /* its target: img->targets[target] (ams_copy_target) */
  guint16 attempts;        /* retry mode: refusals so far (at most 1000) */
  guint8 holding : 2;      /* slots held: 0, 1 (its pool), 2 (and the source cap) */
  guint8 queued : 2;       /* waiting in: 0 nowhere, 1 its pool, 2 the source cap */
  guint8 doomed : 1;       /* a transient failure will end it */
  guint8 flowing : 1;      /* `flow` is the handle (bandwidth model, transferring) */
  guint8 crypto : 1;       /* its target's crypto */
  guint8 ready : 1;        /* its transfer was allowed in img->epoch when it was requested */
};

G_STATIC_ASSERT (sizeof (Copy) == 48); /* one per copy in flight: an estate's night */

struct AmsEngineImage
{
  Pipeline *p;
  uint64_t build;
  AmsTime t_start;         /* pipeline execution start */
  AmsTime t_built;         /* build + test done */
  AmsTime t_dist;          /* distribution start       */
  guint remaining;         /* outputs not yet done     */
  guint outputs;
  guint failed;
  AmsCause cause;          /* first failure            */
  gboolean scheduled;      /* started by the schedule (counts toward auto-disable) */
  gboolean retried;        /* a RetryImage of an earlier failed image */
  GPtrArray *failed_targets; /* copies that failed (Target*), NULL until one does */
  Copy *copies;            /* its copies, in the order requested (`one`, or allocated);
                              those ended have img NULL */
  guint n_copies;          /* copies requested so far */
  guint copies_cap;        /* room in `copies` */
  Copy one;                /* `copies` when it asks for one (no allocation) */
  Target *targets;         /* the array its copies' targets are in (Copy.target) */
  uint64_t epoch;          /* the engine's epoch when its copies were requested */
  Image *next, *prev;      /* in the pipeline's distributing FIFO */
  LcImage *lc;             /* inventory: its record, or NULL */
  /* chain.c */
  const char *trigger;     /* what started it (AmsImageRecord.trigger) */
  const char *upstream;    /* trigger "dependency": the new version it uses (interned) */
  const char *message;     /* refused at its start: why (interned) */
  Ripple *ripple;          /* the ripple it belongs to, or NULL */
  guint depth;             /* its place in that ripple's chain (1: direct dependent) */
  uint64_t *serials;       /* what it used (ams_supply_resolve serials), then what its
                              pipeline had used before it; NULL: nothing */
};


struct AmsEngine
{
  const AmsScenario *sc;
  const AmsWorld *w;
  AmsKernel *k;
  AmsAccess *access;
  uint64_t seed;
  uint64_t replication;
  uint64_t epoch;          /* the world's generation + 1 (0: a decision not made yet), read
                              on the hot path without a call */
  Pipeline *pipelines;
  guint n_pipelines;
  GPtrArray *pools;        /* of EnginePool*, in creation order */
  GHashTable *builds;      /* "recipe/version" -> uint64_t* */
  AmsLink **links;         /* bandwidth model: by source region x regions + region; NULL
                              without it */
  GArray *questions;       /* of QuestionDecisions, by question number (Target.question) */
  GHashTable *refusals;    /* 1 + 2 x question + phase -> why it refuses (interned in messages) */
  GHashTable *build_slots; /* packed (account, region) -> BuildSlots* */
  GHashTable *pool_index;  /* packed (account, region) -> EnginePool* */
  GHashTable *account_lists; /* a targetAccountIds list (GArray*) -> its accounts (account_list) */
  GPtrArray *retired;      /* target arrays replaced by set_distribution (copies may point in) */
  GStringChunk *messages;  /* the reasons of refused outputs, each stored once */
  GHashTable *failures;    /* packed (cause, region, account) -> count */
  AmsFreeList images;
  AmsRecorder recorder;
  AmsTracer tracer;        /* tracing.c; tracer.event NULL: not tracing */
  AmsProgressFn progress;  /* tracing.c: called from the kernel's tick, or NULL */
  void *progress_user;
  gboolean ran;
  uint64_t events_applied;
  AmsResults res;
  AmsTime day_next;        /* when the clock's next calendar day begins (res.days) */
  uint64_t warm_images;    /* images in flight at the warm-up (counted before it) */
  uint64_t warm_copies;    /* copies in flight at the warm-up */

  /* storage, AMIs and lifecycle (inventory.c, lifecycle.c) */
  uint64_t snapshot_bytes; /* all pools */
  uint64_t bin_bytes;
  uint64_t snapshot_bytes_max;
  uint64_t ami_ids;        /* the last ami-/snap- number given */
  Inventory *inv;          /* NULL when nothing needs AMIs one by one */
  gboolean lifecycle;      /* run the lifecycle policies (default: simulation.lifecycle.enabled) */

  /* the supply chain (chain.c) */
  AmsSupply *supply;       /* NULL when the scenario has none */
  Chain *chain;
};


/* ---- core.c: shared helpers ---- */

gsl_rng *ams_engine_stream (AmsEngine *e, const char *fmt, ...) G_GNUC_PRINTF (2, 3);
/* The key of an (account, region) in e->pool_index and like tables. */
static inline gsize
ams_engine_place_key (const AmsEngine *e, const AmsAccount *account, const AmsRegion *region)
{
  return (gsize) account->index * ams_world_n_regions (e->w) + region->index + 1;
}

/* The pipeline named so (resolved by the loader: never NULL for a name the
 * scenario uses). */
Pipeline *ams_engine_pipeline (AmsEngine *e, const char *name);

/* Reports the pool's state (its slots and its storage) to the recorder. */
void ams_engine_sample_pool (EnginePool *ep);
void ams_engine_count_failure (AmsEngine *e, AmsCause cause, const AmsRegion *region,
                               const AmsAccount *account);

static inline AmsTime
ams_engine_draw (const AmsDist *d, gsl_rng *r)
{
  return ams_time_from_s (ams_dist_sample (d, r));
}

/* (in the lowest section, below: every file's targets have a pool) */
static inline EnginePool *ams_target_pool (const AmsEngine *e, const Target *t);

/* The permission checks' view of a target of pipeline p. */
static inline AmsCopySpec
ams_engine_target_spec (const Pipeline *p, const Target *t)
{
  const EnginePool *ep = ams_target_pool (p->e, t);
  return (AmsCopySpec) {
    .pipeline = p->sc,
    .owner = p->home->account,
    .source_region = p->home->region,
    .entry = t->entry,
    .region = ep->region,
    .target = ep->account,
  };
}

/* Asks for what the copy path reads of a pool: its first four lines (its
 * counts, storage and stream of copy durations, then its slots). With an
 * estate's thousands of pools these are mostly out of the cache. */
static inline void
ams_engine_prefetch_pool (const EnginePool *ep)
{
  for (int i = 0; i < 4; i++)
    __builtin_prefetch ((const char *) ep + 64 * i);
}

/* The region pair's link of the bandwidth model, or NULL. */
static inline AmsLink *
ams_engine_link (const AmsEngine *e, const struct Pipeline *p, const Target *t)
{
  return G_UNLIKELY (e->links != NULL)
           ? e->links[p->home->region->index * ams_world_n_regions (e->w)
                       + ams_target_pool (e, t)->region->index]
           : NULL;
}

/* The decision of the target's question at a phase. */
static inline TargetDecision *
ams_engine_decision (const AmsEngine *e, const Target *t, AmsCopyPhase phase)
{
  QuestionDecisions *q = &g_array_index (e->questions, QuestionDecisions, t->question);
  return phase == AMS_COPY_AT_REQUEST ? &q->request : &q->transfer;
}

/* Notes the decision of the target's question at a phase, made now: its
 * cause and step, and why it refuses (message, NULL when it allows). */
void ams_engine_decided (AmsEngine *e, const Target *t, AmsCopyPhase phase, AmsCause cause,
                         AmsStep step, const char *message);
/* Why the target's question refuses at the phase (interned), or NULL. */
const char *ams_engine_refusal (AmsEngine *e, const Target *t, AmsCopyPhase phase);

/* ---- tracing.c: trace events (trace.h) ---- */

/* The target's destination account and region. */
static inline EnginePool *
ams_target_pool (const AmsEngine *e, const Target *t)
{
  return g_ptr_array_index (e->pools, t->pool);
}

/* The copy's target (here, in the lowest section, as every file's copies
 * have one). */
static inline Target *
ams_copy_target (const Copy *c)
{
  return &c->img->targets[c->target];
}

/* Whether a tracer is set: every place that traces tests this first, so
 * that a run without one pays one predictable branch there. */
#define AMS_TRACING(e) G_UNLIKELY ((e)->tracer.event != NULL)

/* Sends `ev` (its t is set to now). */
void ams_trace_emit (AmsEngine *e, AmsTraceEvent *ev);
/* An event of `img` in its owner account and build region. */
void ams_trace_image (AmsEngine *e, AmsTraceKind kind, const Image *img, AmsCause cause);
/* distribution_started of `img`: its pipeline's outputs, or the `n`
 * targets `retried` (a RetryImage). */
void ams_trace_distribution (AmsEngine *e, const Image *img, Target *const *retried, guint n);
/* An event of copy `c` with its destination pool's state. */
void ams_trace_copy (AmsEngine *e, AmsTraceKind kind, const Copy *c, AmsCause cause, AmsStep step,
                     const char *message);
/* event_applied of a what-if event. */
void ams_trace_event_applied (AmsEngine *e, const AmsScEvent *ev);
/* pool_state of a copy pool. */
void ams_trace_pool (AmsEngine *e, const EnginePool *ep);
/* "1.0.0/3" */
void ams_trace_version (const Pipeline *p, uint64_t build, char *buf, gsize len);

/* ---- inventory.c: AMIs, snapshots, storage, consumers ---- */

/* Sets up the inventory when the scenario needs AMIs one by one (lifecycle
 * policies, launches, or events on AMIs); storage is counted either way. */
void ams_inv_setup (AmsEngine *e, gboolean lifecycle);
void ams_inv_free (AmsEngine *e);
/* Arms the consumers' launches and the lifecycle runs. */
void ams_inv_arm (AmsEngine *e);
/* An image starts (its Image Builder image exists, building). */
void ams_inv_image_started (AmsEngine *e, Image *img);
/* A RetryImage makes the image in progress again. */
void ams_inv_image_retried (AmsEngine *e, Image *img);
/* The image is AVAILABLE or FAILED. */
void ams_inv_image_ended (AmsEngine *e, Image *img, gboolean failed);
/* The record of an AMI registered (ams_inv_ami_registered). */
void ams_inv_ami_record (AmsEngine *e, Image *img, EnginePool *pool, Target *t);
/* set_deregistration_protection, restore_image, register_image. */
void ams_inv_event (AmsEngine *e, const AmsScEvent *ev);
/* Fills the storage and lifecycle parts of the results. */
void ams_inv_collect (AmsEngine *e);
/* Warm-up: the storage integrals and maxima restart now. */
void ams_inv_reset_stats (AmsEngine *e);
/* Snapshot bytes and AMIs of a pool change by `bytes` and `amis`: brings
 * its storage integral up to now and reports the change (on every AMI
 * registered: kept short). */
static inline void
ams_inv_storage_changed (AmsEngine *e, EnginePool *ep, int64_t bytes, int amis)
{
  AmsTime now = ams_kernel_now (e->k);
  ep->byte_ticks += (double) ep->snapshot_bytes * (double) (now - ep->t_storage);
  ep->t_storage = now;
  ep->snapshot_bytes = (uint64_t) ((int64_t) ep->snapshot_bytes + bytes);
  e->snapshot_bytes = (uint64_t) ((int64_t) e->snapshot_bytes + bytes);
  if (e->snapshot_bytes > e->snapshot_bytes_max)
    e->snapshot_bytes_max = e->snapshot_bytes;
  ep->amis = (uint64_t) ((int64_t) ep->amis + amis);
  if (ep->amis > ep->amis_max)
    ep->amis_max = (guint) ep->amis;
  if (e->recorder.pool != NULL)
    ams_engine_sample_pool (ep);
}

/* An AMI of `img` was registered in pool's account and region: the image's
 * own AMI (t == NULL) or a copy (t). */
static inline void
ams_inv_ami_registered (AmsEngine *e, Image *img, EnginePool *pool, Target *t)
{
  ams_inv_storage_changed (e, pool, (int64_t) img->p->sc->snapshot_size, 1);
  if (e->inv != NULL && img->lc != NULL)
    ams_inv_ami_record (e, img, pool, t);
}
