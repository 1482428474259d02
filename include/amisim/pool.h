/* amisim — counting resources: a pool of identical slots.
 *
 * A pool has a capacity (slots), a number of busy slots, and a FIFO queue
 * of requests waiting for one. In AMS_POOL_QUEUE mode a request that finds
 * no free slot waits; in AMS_POOL_REJECT mode it is refused at once and
 * counted. The capacity can change during a run: raising it grants waiting
 * requests at once; lowering it pre-empts nothing (busy may exceed capacity
 * until enough slots are released).
 *
 * The pool keeps its own statistics, time-weighted over the observation
 * window: busy slots, queue length, their maxima, grants and rejects.
 * The pool knows nothing about what is being held.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/kernel.h"

G_BEGIN_DECLS

typedef struct AmsPool AmsPool;
typedef struct AmsPoolWaiter AmsPoolWaiter;

typedef enum
{
  AMS_POOL_QUEUE,  /* wait FIFO for a free slot */
  AMS_POOL_REJECT, /* refuse when no slot is free */
} AmsPoolMode;

typedef enum
{
  AMS_POOL_GRANTED,  /* the caller holds a slot now; the grant callback is not called */
  AMS_POOL_QUEUED,   /* the grant callback will be called when a slot is given */
  AMS_POOL_REJECTED, /* reject mode and no free slot */
} AmsPoolResult;

/* Called when a queued request is granted, synchronously from inside
 * ams_pool_release or ams_pool_set_capacity, with the time it waited.
 * From then on the request's owner holds a slot and must release it. */
typedef void (*AmsPoolGrantFn) (AmsKernel *k, void *data, AmsTime waited);

/* Called after every change of busy or queued (for time series). */
typedef void (*AmsPoolObserverFn) (const AmsPool *p, void *user_data);

/* A pool's storage, public only so that a caller can keep a pool inside
 * its own record (ams_pool_init): an estate has a pool per account and
 * region, and a copy reads its pool and the record around it, so the two
 * are best in adjacent cache lines. The fields are private: use the
 * functions. What a request and a release read and write is in the first
 * 128 bytes (two cache lines when the pool is 64-byte aligned). */
struct AmsPool
{
  /* first line */
  AmsKernel *k;
  guint capacity;
  guint busy;
  guint32 len;          /* waiting                                       */
  guint32 head;         /* index of the oldest waiter in ring            */
  guint32 cap;          /* ring's size: a power of two (or 0)            */
  guint8 mode;          /* AmsPoolMode                                   */
  guint32 busy_max;     /* over the observation window                   */
  guint32 queue_max;
  AmsTime last;         /* the last change of busy or len                */
  double busy_area;     /* busy integrated over [start, last], slot-ticks */
  double queue_area;    /* len integrated likewise                       */
  /* second line */
  AmsPoolWaiter *ring;
  uint64_t requests, grants, waited;
  AmsTime full_time;    /* time spent with every slot busy, up to full_since */
  AmsTime full_since;   /* when it last became full; -1 while not full   */
  AmsTime wait_max;     /* the longest wait of a grant                   */
  AmsPoolObserverFn observer;
  /* rarely read */
  void *observer_data;
  uint64_t rejects;
  AmsTime start;        /* the observation window's start                */
};

/* A pool of `capacity` slots (0 allowed: everything waits or is refused).
 * Statistics start at the kernel's current time. */
AmsPool *ams_pool_new (AmsKernel *k, guint capacity, AmsPoolMode mode);
/* Frees the pool; queued requests are dropped without callbacks. Accepts NULL. */
void ams_pool_free (AmsPool *p);
/* The same in storage the caller owns: ams_pool_init sets up the pool at
 * p, ams_pool_clear frees what it allocated (not p). */
void ams_pool_init (AmsPool *p, AmsKernel *k, guint capacity, AmsPoolMode mode);
void ams_pool_clear (AmsPool *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsPool, ams_pool_free)

/* Asks for one slot. `fn`/`data` identify the request if it has to wait. */
AmsPoolResult ams_pool_request (AmsPool *p, AmsPoolGrantFn fn, void *data);
/* Removes a waiting request (the first queued with this data pointer).
 * Returns FALSE if none is queued. O(queue length). */
gboolean ams_pool_withdraw (AmsPool *p, void *data);
/* Gives back one slot held; grants waiting requests in FIFO order while
 * busy < capacity. Releasing with no busy slot is a programming error. */
void ams_pool_release (AmsPool *p);
/* Warm-up (ams_kernel_set_warm), for a caller that will release a slot
 * soon, one stage after the other (each reads what the one before
 * fetched): asks the cache for the pool's counters, then for the place of
 * the request a release would grant next, then for that request's data.
 * Read only; the last two do nothing when none waits. */
void ams_pool_prefetch (const AmsPool *p);
void ams_pool_prefetch_head (const AmsPool *p);
void ams_pool_prefetch_next (const AmsPool *p);
void ams_pool_set_capacity (AmsPool *p, guint capacity);
void ams_pool_set_mode (AmsPool *p, AmsPoolMode mode);
void ams_pool_set_observer (AmsPool *p, AmsPoolObserverFn fn, void *user_data);

guint ams_pool_capacity (const AmsPool *p);
guint ams_pool_busy (const AmsPool *p);
guint ams_pool_queued (const AmsPool *p);
AmsPoolMode ams_pool_mode (const AmsPool *p);

typedef struct
{
  uint64_t requests;  /* all requests                           */
  uint64_t grants;    /* immediate + after waiting              */
  uint64_t waited;    /* grants that had to wait                */
  uint64_t rejects;   /* refused in reject mode                 */
  double busy_mean;   /* time-average busy slots                */
  double queue_mean;  /* time-average queue length              */
  guint busy_max;
  guint queue_max;
  AmsTime observed;   /* length of the observation window       */
  AmsTime full_time;  /* of which every slot was busy (at the limit) */
  AmsTime wait_max;   /* the longest wait of a grant            */
} AmsPoolStats;

/* Statistics over [window start, now]. */
void ams_pool_stats (const AmsPool *p, AmsPoolStats *out);
/* Restarts the statistics at now (warm-up deletion); counts go to 0. */
void ams_pool_reset_stats (AmsPool *p);

G_END_DECLS
