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

struct AmsPoolWaiter
{
  AmsPoolGrantFn fn;
  void *data;
  AmsTime enqueued;
};
typedef AmsPoolWaiter Waiter;

/* What a request and a release touch is in the first two lines. */
G_STATIC_ASSERT (G_STRUCT_OFFSET (AmsPool, ring) == 64);
G_STATIC_ASSERT (G_STRUCT_OFFSET (AmsPool, observer_data) == 128);

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
  p->start = p->last = now;
  p->busy_area = p->queue_area = 0.0;
  p->busy_max = p->busy;
  p->queue_max = p->len;
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

/* Busy and len are about to change: their integrals are brought up to
 * now with the values they have held since the last change. (Every change
 * is noted before and observed after, so the values now are those of the
 * last change: the pool keeps no copy of them.) */
static inline void
note (AmsPool *p, AmsTime now)
{
  p->busy_area += (double) p->busy * (double) (now - p->last);
  p->queue_area += (double) p->len * (double) (now - p->last);
  p->last = now;
}

/* Busy or len changed (after note): their maxima, the time at the limit,
 * and the observer. */
static void
changed (AmsPool *p, AmsTime now)
{
  if (p->busy > p->busy_max)
    p->busy_max = p->busy;
  if (p->len > p->queue_max)
    p->queue_max = p->len;
  track_full (p, now);
  if (p->observer != NULL)
    p->observer (p, p->observer_data);
}

void
ams_pool_init (AmsPool *p, AmsKernel *k, guint capacity, AmsPoolMode mode)
{
  g_return_if_fail (p != NULL && k != NULL);
  g_return_if_fail (mode == AMS_POOL_QUEUE || mode == AMS_POOL_REJECT);
  *p = (AmsPool) { .k = k, .capacity = capacity, .mode = (guint8) mode };
  stats_start (p);
}

void
ams_pool_clear (AmsPool *p)
{
  if (p == NULL)
    return;
  g_clear_pointer (&p->ring, g_free);
  p->len = p->cap = p->head = 0;
}

AmsPool *
ams_pool_new (AmsKernel *k, guint capacity, AmsPoolMode mode)
{
  g_return_val_if_fail (k != NULL, NULL);
  g_return_val_if_fail (mode == AMS_POOL_QUEUE || mode == AMS_POOL_REJECT, NULL);
  AmsPool *p = g_new (AmsPool, 1);
  ams_pool_init (p, k, capacity, mode);
  return p;
}

void
ams_pool_free (AmsPool *p)
{
  if (p == NULL)
    return;
  ams_pool_clear (p);
  g_free (p);
}

/* ---- the ring ---------------------------------------------------------- */

static void
ring_push (AmsPool *p, Waiter w)
{
  if (p->len == p->cap)
    {
      /* Unroll into a new buffer twice the size, oldest first. (2^31
       * waiters would take 48 GiB: the 32-bit counts are not the limit.) */
      if (G_UNLIKELY (p->cap >= (UINT32_C (1) << 31)))
        g_error ("ams_pool_request: more than 2^31 requests waiting");
      guint32 cap = p->cap == 0 ? 16 : 2 * p->cap;
      Waiter *ring = g_new (Waiter, cap);
      for (guint32 i = 0; i < p->len; i++)
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
      AmsTime now = ams_kernel_now (p->k);
      note (p, now);
      Waiter w = ring_pop (p);
      p->busy++;
      p->grants++;
      p->waited++;
      changed (p, now);
      AmsTime waited = now - w.enqueued;
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
  AmsTime now = ams_kernel_now (p->k);
  /* A free slot goes to a newcomer only if nobody is waiting: FIFO. (A
   * free slot with waiters exists only transiently, while a capacity
   * increase is being granted and a callback asks again.) */
  if (p->busy < p->capacity && p->len == 0)
    {
      note (p, now);
      p->busy++;
      p->grants++;
      changed (p, now);
      return AMS_POOL_GRANTED;
    }
  if (p->mode == AMS_POOL_REJECT)
    {
      p->rejects++;
      return AMS_POOL_REJECTED;
    }
  g_return_val_if_fail (fn != NULL, AMS_POOL_REJECTED);
  note (p, now);
  ring_push (p, (Waiter) { fn, data, now });
  changed (p, now);
  return AMS_POOL_QUEUED;
}

gboolean
ams_pool_withdraw (AmsPool *p, void *data)
{
  g_return_val_if_fail (p != NULL, FALSE);
  for (guint32 i = 0; i < p->len; i++)
    {
      guint32 mask = p->cap - 1;
      if (p->ring[(p->head + i) & mask].data != data)
        continue;
      /* Close the gap by moving the later waiters one place forward. */
      for (guint32 j = i; j + 1 < p->len; j++)
        p->ring[(p->head + j) & mask] = p->ring[(p->head + j + 1) & mask];
      AmsTime now = ams_kernel_now (p->k);
      note (p, now);
      p->len--;
      changed (p, now);
      return TRUE;
    }
  return FALSE;
}

void
ams_pool_release (AmsPool *p)
{
  g_return_if_fail (p != NULL);
  g_return_if_fail (p->busy > 0);
  AmsTime now = ams_kernel_now (p->k);
  note (p, now);
  p->busy--;
  /* With a waiter the slot passes straight on: grant_waiters observes the
   * new state once rather than a dip in busy that lasts no time (its own
   * note adds nothing: no time has passed). */
  if (p->len > 0 && p->busy < p->capacity)
    grant_waiters (p);
  else
    changed (p, now);
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
  p->mode = (guint8) mode;
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
  return p->len;
}

AmsPoolMode
ams_pool_mode (const AmsPool *p)
{
  g_return_val_if_fail (p != NULL, AMS_POOL_QUEUE);
  return (AmsPoolMode) p->mode;
}

/* The time average over [start, now] of a value now held since the last
 * change, whose integral up to then is `area` (what ams_timeavg_mean
 * computes, with the same operations). */
static double
time_mean (const AmsPool *p, double area, guint value, AmsTime now)
{
  if (now == p->start)
    return value;
  return (area + (double) value * (double) (now - p->last)) / (double) (now - p->start);
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
    .busy_mean = time_mean (p, p->busy_area, p->busy, now),
    .queue_mean = time_mean (p, p->queue_area, p->len, now),
    .busy_max = p->busy_max,
    .queue_max = p->queue_max,
    .observed = now - p->start,
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
