/* amisim — counting resources: a pool of identical slots with a FIFO queue.
 *
 * This is what models a concurrency limit such as "50 copies per account
 * and region". Waiting requests sit in a ring buffer of {callback, data,
 * enqueue time}: FIFO order costs O(1) per request and the buffer only grows
 * to the longest queue seen, never per request.
 *
 * Grants are synchronous: a release (or a capacity increase) hands the slot
 * to the first waiter and calls its callback before returning, at the same
 * simulated time, so no other event can slip in and take the slot. The
 * callbacks may call back into the pool (request, release, withdraw,
 * set_capacity); every loop below therefore re-reads the pool's state after
 * each callback and never keeps a pointer into the ring across one (a
 * request from inside a callback may grow and move it).
 */
#include "amisim/pool.h"
#include "amisim/stats.h"

typedef struct
{
  AmsPoolGrantFn fn;
  void *data;
  AmsTime enqueued;
} Waiter;

struct AmsPool
{
  AmsKernel *k;
  guint capacity;
  guint busy;
  AmsPoolMode mode;

  Waiter *ring;   /* cap is a power of two (or 0)              */
  gsize head;     /* index of the oldest waiter                */
  gsize len;
  gsize cap;

  AmsPoolObserverFn observer;
  void *observer_data;

  /* Statistics over [busy_avg.start, now]. */
  AmsTimeAvg busy_avg;
  AmsTimeAvg queue_avg;
  uint64_t requests, grants, waited, rejects;
  AmsTime full_time;   /* time spent with every slot busy, up to full_since */
  AmsTime full_since;  /* when it last became full; -1 while not full */
  AmsTime wait_max;    /* the longest wait of a grant */
};

/* Every slot busy (a pool of no slots is never full: nothing is granted). */
static inline gboolean
is_full (const AmsPool *p)
{
  return p->capacity > 0 && p->busy >= p->capacity;
}

static void
stats_start (AmsPool *p)
{
  AmsTime now = ams_kernel_now (p->k);
  ams_timeavg_init (&p->busy_avg, now, p->busy);
  ams_timeavg_init (&p->queue_avg, now, (double) p->len);
  p->requests = p->grants = p->waited = p->rejects = 0;
  p->full_time = 0;
  p->full_since = is_full (p) ? now : -1;
  p->wait_max = 0;
}

/* Time at the limit: starts or ends a spell of every slot busy. */
static void
track_full (AmsPool *p, AmsTime now)
{
  gboolean full = is_full (p);
  if (full && p->full_since < 0)
    p->full_since = now;
  else if (!full && p->full_since >= 0)
    {
      p->full_time += now - p->full_since;
      p->full_since = -1;
    }
}

/* Records the current busy/queued at now and tells the observer. */
static void
changed (AmsPool *p)
{
  AmsTime now = ams_kernel_now (p->k);
  ams_timeavg_set (&p->busy_avg, now, p->busy);
  ams_timeavg_set (&p->queue_avg, now, (double) p->len);
  track_full (p, now);
  if (p->observer != NULL)
    p->observer (p, p->observer_data);
}

AmsPool *
ams_pool_new (AmsKernel *k, guint capacity, AmsPoolMode mode)
{
  g_return_val_if_fail (k != NULL, NULL);
  g_return_val_if_fail (mode == AMS_POOL_QUEUE || mode == AMS_POOL_REJECT, NULL);
  AmsPool *p = g_new0 (AmsPool, 1);
  p->k = k;
  p->capacity = capacity;
  p->mode = mode;
  stats_start (p);
  return p;
}

void
ams_pool_free (AmsPool *p)
{
  if (p == NULL)
    return;
  g_free (p->ring);
  g_free (p);
}

/* ---- the ring ---------------------------------------------------------- */

static void
ring_push (AmsPool *p, Waiter w)
{
  if (p->len == p->cap)
    {
      /* Unroll into a new buffer twice the size, oldest first. */
      gsize cap = p->cap == 0 ? 16 : 2 * p->cap;
      Waiter *ring = g_new (Waiter, cap);
      for (gsize i = 0; i < p->len; i++)
        ring[i] = p->ring[(p->head + i) & (p->cap - 1)];
      g_free (p->ring);
      p->ring = ring;
      p->cap = cap;
      p->head = 0;
    }
  p->ring[(p->head + p->len) & (p->cap - 1)] = w;
  p->len++;
}

static Waiter
ring_pop (AmsPool *p)
{
  Waiter w = p->ring[p->head];
  p->head = (p->head + 1) & (p->cap - 1);
  p->len--;
  return w;
}

/* ---- requests and grants ---------------------------------------------- */

/* Hands free slots to waiters, oldest first. Each grant is recorded and
 * observed before its callback runs, so the callback sees a consistent
 * pool; the condition is re-read after every callback. */
static void
grant_waiters (AmsPool *p)
{
  while (p->len > 0 && p->busy < p->capacity)
    {
      Waiter w = ring_pop (p);
      p->busy++;
      p->grants++;
      p->waited++;
      changed (p);
      AmsTime waited = ams_kernel_now (p->k) - w.enqueued;
      if (waited > p->wait_max)
        p->wait_max = waited;
      w.fn (p->k, w.data, waited);
    }
}

AmsPoolResult
ams_pool_request (AmsPool *p, AmsPoolGrantFn fn, void *data)
{
  g_return_val_if_fail (p != NULL, AMS_POOL_REJECTED);
  p->requests++;
  /* A free slot goes to a newcomer only if nobody is waiting: FIFO. (A
   * free slot with waiters exists only transiently, while a capacity
   * increase is being granted and a callback asks again.) */
  if (p->busy < p->capacity && p->len == 0)
    {
      p->busy++;
      p->grants++;
      changed (p);
      return AMS_POOL_GRANTED;
    }
  if (p->mode == AMS_POOL_REJECT)
    {
      p->rejects++;
      return AMS_POOL_REJECTED;
    }
  g_return_val_if_fail (fn != NULL, AMS_POOL_REJECTED);
  ring_push (p, (Waiter) { fn, data, ams_kernel_now (p->k) });
  changed (p);
  return AMS_POOL_QUEUED;
}

gboolean
ams_pool_withdraw (AmsPool *p, void *data)
{
  g_return_val_if_fail (p != NULL, FALSE);
  for (gsize i = 0; i < p->len; i++)
    {
      gsize mask = p->cap - 1;
      if (p->ring[(p->head + i) & mask].data != data)
        continue;
      /* Close the gap by moving the later waiters one place forward. */
      for (gsize j = i; j + 1 < p->len; j++)
        p->ring[(p->head + j) & mask] = p->ring[(p->head + j + 1) & mask];
      p->len--;
      changed (p);
      return TRUE;
    }
  return FALSE;
}

void
ams_pool_release (AmsPool *p)
{
  g_return_if_fail (p != NULL);
  g_return_if_fail (p->busy > 0);
  p->busy--;
  /* With a waiter the slot passes straight on: grant_waiters records one
   * observation at the new state rather than a dip in busy that lasts no
   * time. */
  if (p->len > 0 && p->busy < p->capacity)
    grant_waiters (p);
  else
    changed (p);
}

void
ams_pool_prefetch (const AmsPool *p)
{
  __builtin_prefetch (p);
  __builtin_prefetch ((const char *) p + 64);
}

void
ams_pool_prefetch_head (const AmsPool *p)
{
  if (p->len > 0)
    __builtin_prefetch (&p->ring[p->head]);
}

void
ams_pool_prefetch_next (const AmsPool *p)
{
  if (p->len > 0)
    {
      uintptr_t d = (uintptr_t) p->ring[p->head].data;
      __builtin_prefetch ((const void *) d);
      __builtin_prefetch ((const void *) (d + 64));
    }
}

void
ams_pool_set_capacity (AmsPool *p, guint capacity)
{
  g_return_if_fail (p != NULL);
  p->capacity = capacity;
  grant_waiters (p);
  track_full (p, ams_kernel_now (p->k)); /* a new limit may start or end a spell */
}

void
ams_pool_set_mode (AmsPool *p, AmsPoolMode mode)
{
  g_return_if_fail (p != NULL);
  g_return_if_fail (mode == AMS_POOL_QUEUE || mode == AMS_POOL_REJECT);
  /* Requests already waiting keep waiting and are granted in turn. */
  p->mode = mode;
}

void
ams_pool_set_observer (AmsPool *p, AmsPoolObserverFn fn, void *user_data)
{
  g_return_if_fail (p != NULL);
  p->observer = fn;
  p->observer_data = user_data;
}

guint
ams_pool_capacity (const AmsPool *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return p->capacity;
}

guint
ams_pool_busy (const AmsPool *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return p->busy;
}

guint
ams_pool_queued (const AmsPool *p)
{
  g_return_val_if_fail (p != NULL, 0);
  return (guint) p->len;
}

AmsPoolMode
ams_pool_mode (const AmsPool *p)
{
  g_return_val_if_fail (p != NULL, AMS_POOL_QUEUE);
  return p->mode;
}

void
ams_pool_stats (const AmsPool *p, AmsPoolStats *out)
{
  g_return_if_fail (p != NULL && out != NULL);
  AmsTime now = ams_kernel_now (p->k);
  *out = (AmsPoolStats) {
    .requests = p->requests,
    .grants = p->grants,
    .waited = p->waited,
    .rejects = p->rejects,
    .busy_mean = ams_timeavg_mean (&p->busy_avg, now),
    .queue_mean = ams_timeavg_mean (&p->queue_avg, now),
    .busy_max = (guint) p->busy_avg.max,
    .queue_max = (guint) p->queue_avg.max,
    .observed = now - p->busy_avg.start,
    .full_time = p->full_time + (p->full_since >= 0 ? now - p->full_since : 0),
    .wait_max = p->wait_max,
  };
}

void
ams_pool_reset_stats (AmsPool *p)
{
  g_return_if_fail (p != NULL);
  stats_start (p);
}
