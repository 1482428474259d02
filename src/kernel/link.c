/* amisim — a shared transfer capacity with fair sharing.
 *
 * All active flows receive the same rate, so one number describes the
 * progress of every one of them: the service clock S, the bytes a flow
 * active since the link became busy would have received by now. A flow
 * that starts when the clock reads S0 with B bytes is done when S reaches
 * S0 + B, its threshold, whatever the rate does in between. Pending flows
 * sit in a min-heap by (threshold, start order); a change of rate moves
 * only S's speed, so it touches no flow, and only the earliest threshold
 * needs a kernel event. Between changes S advances by r * dt.
 *
 * Time and rounding. Kernel time is in whole ticks, the rate in bytes per
 * second, so the exact instant at which S reaches the earliest threshold is
 * rarely a tick. The event goes at the first tick at or after it: ceil of
 * the exact tick count, less an allowance of SNAP_TICKS for floating-point
 * noise, so that a quotient meant to be 2000000 but computed as
 * 2000000.0000001 does not cost a tick. When the event (or anything else)
 * runs at that tick, S is raised to the threshold it was scheduled for
 * ("snapping"): the flow is then done even if S, advanced in floating
 * point, fell a hair short. This is what guarantees progress: every
 * completion event finishes at least the flow it was scheduled for, so the
 * link never reschedules itself in a loop at one instant.
 *
 * S grows without bound while the link stays busy; as it grows, its
 * absolute precision shrinks. It is therefore set back to 0 whenever the
 * link falls idle, and when it passes REBASE_AT (2^40 bytes: the precision
 * there is 2^-12 bytes) every threshold is lowered by S in one O(n) pass.
 *
 * Re-entrancy. Callbacks run from the completion event may call anything
 * on the link. The event first decides which flows it serves (those
 * started before it ran, by sequence number), and re-reads the heap after
 * every callback; a flow started from a callback, even of 0 bytes, is
 * finished by a later event, so completions always come from an event and
 * never from inside a call the user made. While callbacks run, the kernel
 * event is not touched until the batch ends; a free from a callback is
 * deferred until it returns.
 *
 * Flow records live in chunks owned by the link and recycled through a free
 * list, as the kernel's event records do; a record's sequence number is 0
 * while it is not pending, so a handle can always be checked.
 */
#include "amisim/link.h"
#include "amisim/stats.h"

#include <math.h>

#define TICKS ((double) AMS_TICKS_PER_SECOND)
/* How far before the exact finish instant (in ticks) a flow may finish:
 * much more than the noise of the arithmetic, much less than a tick. */
#define SNAP_TICKS 1e-3
#define REBASE_AT 1099511627776.0 /* 2^40 bytes */

#define CHUNK_FIRST 16
#define CHUNK_MAX 4096

struct AmsFlow
{
  double bytes;
  AmsTime started;
  AmsFlowDoneFn fn;
  union
  {
    void *data;         /* while pending           */
    AmsFlow *next_free; /* while on the free list  */
  };
  uint64_t seq;         /* 0 when not pending      */
  size_t heap_index;
};

typedef struct
{
  double threshold; /* the value of S at which the flow is done */
  uint64_t seq;     /* start order                              */
  AmsFlow *f;
} Entry;

typedef struct Chunk Chunk;
struct Chunk
{
  Chunk *next;
  size_t n;
  AmsFlow f[];
};

struct AmsLink
{
  AmsKernel *k;
  double capacity;    /* +inf when unlimited                    */
  double cap;         /* per flow; +inf when unlimited          */
  double rate;        /* per flow now; 0 when idle              */

  double service;     /* S at time `last`                       */
  AmsTime last;
  double start_sum;   /* sum of S0 over the active flows        */

  Entry *heap;
  size_t n;           /* active flows                           */
  size_t heap_cap;
  uint64_t seq;       /* last flow sequence number              */

  AmsFlow *free_list;
  Chunk *chunks;
  size_t records;

  AmsEventHandle ev;  /* the one completion event, if pending   */
  AmsTime ev_time;
  double target;      /* the threshold ev was scheduled for     */

  guint dispatching;  /* > 0 while completion callbacks run     */
  gboolean free_pending;

  /* Statistics over [active_avg.start, now]. */
  AmsTimeAvg active_avg;
  AmsTimeAvg util_avg;
  uint64_t started, completed, cancelled;
  double delivered_done; /* since creation: finished and cancelled flows */
  double delivered_base; /* total delivered when the window started      */
};

/* ---- the heap ----------------------------------------------------------- */

static inline gboolean
entry_less (const Entry *a, const Entry *b)
{
  return a->threshold < b->threshold || (a->threshold == b->threshold && a->seq < b->seq);
}

static inline void
heap_place (Entry *heap, size_t i, Entry e)
{
  heap[i] = e;
  e.f->heap_index = i;
}

static void
sift_up (Entry *heap, size_t i, Entry e)
{
  while (i > 0)
    {
      size_t parent = (i - 1) / 2;
      if (!entry_less (&e, &heap[parent]))
        break;
      heap_place (heap, i, heap[parent]);
      i = parent;
    }
  heap_place (heap, i, e);
}

static void
sift_down (Entry *heap, size_t n, size_t i, Entry e)
{
  for (;;)
    {
      size_t c = 2 * i + 1;
      if (c >= n)
        break;
      if (c + 1 < n && entry_less (&heap[c + 1], &heap[c]))
        c++;
      if (!entry_less (&heap[c], &e))
        break;
      heap_place (heap, i, heap[c]);
      i = c;
    }
  heap_place (heap, i, e);
}

static void
heap_push (AmsLink *l, Entry e)
{
  if (l->n == l->heap_cap)
    {
      l->heap_cap = l->heap_cap == 0 ? 16 : 2 * l->heap_cap;
      l->heap = g_renew (Entry, l->heap, l->heap_cap);
    }
  sift_up (l->heap, l->n++, e);
}

/* Removes the entry at index i, filling the hole with the last entry. */
static void
heap_remove (AmsLink *l, size_t i)
{
  size_t n = --l->n;
  if (i == n)
    return;
  Entry last = l->heap[n];
  if (i > 0 && entry_less (&last, &l->heap[(i - 1) / 2]))
    sift_up (l->heap, i, last);
  else
    sift_down (l->heap, n, i, last);
}

/* ---- flow records ------------------------------------------------------- */

static G_GNUC_NO_INLINE void
grow_records (AmsLink *l)
{
  size_t n = l->records == 0 ? CHUNK_FIRST : MIN (l->records, (size_t) CHUNK_MAX);
  Chunk *c = g_malloc (sizeof (Chunk) + n * sizeof (AmsFlow));
  c->next = l->chunks;
  c->n = n;
  l->chunks = c;
  l->records += n;
  for (size_t i = n; i-- > 0;)
    {
      c->f[i] = (AmsFlow) { .seq = 0 };
      c->f[i].next_free = l->free_list;
      l->free_list = &c->f[i];
    }
}

static AmsFlow *
take_record (AmsLink *l)
{
  if (G_UNLIKELY (l->free_list == NULL))
    grow_records (l);
  AmsFlow *f = l->free_list;
  l->free_list = f->next_free;
  return f;
}

static void
release_record (AmsLink *l, AmsFlow *f)
{
  f->seq = 0;
  f->fn = NULL;
  f->next_free = l->free_list;
  l->free_list = f;
}

/* A handle names a pending flow of *this* link only if the sequence numbers
 * agree and the record sits where it says in this link's heap. */
static gboolean
flow_pending (const AmsLink *l, AmsFlowHandle h)
{
  if (h.flow == NULL || h.seq == 0 || h.flow->seq != h.seq)
    return FALSE;
  size_t i = h.flow->heap_index;
  return i < l->n && l->heap[i].f == h.flow;
}

/* ---- the service clock ---------------------------------------------------- */

static double
unlimited_if_not_positive (double x)
{
  return x > 0.0 ? x : INFINITY;
}

/* S at `now` (>= last) without changing the link. At the tick the
 * completion event is due, S is at least the threshold it was scheduled
 * for: see "snapping" above. With an infinite rate S does not move; every
 * flow is due at once instead. */
static double
service_at (const AmsLink *l, AmsTime now)
{
  double s = l->service;
  if (l->n == 0 || !isfinite (l->rate))
    return s;
  if (now > l->last)
    s += l->rate * (double) (now - l->last) / TICKS;
  if (now >= l->ev_time && s < l->target && ams_kernel_is_pending (l->k, l->ev))
    s = l->target;
  return s;
}

/* Lowers S and every threshold by S. Subtracting one number keeps the
 * thresholds' order but may turn a "<" into a tie that the start order then
 * decides the other way, so the heap is rebuilt (Floyd, O(n)). */
static G_GNUC_NO_INLINE void
rebase (AmsLink *l)
{
  double base = l->service;
  for (size_t i = 0; i < l->n; i++)
    l->heap[i].threshold -= base;
  for (size_t i = l->n / 2; i-- > 0;)
    sift_down (l->heap, l->n, i, l->heap[i]);
  l->target -= base;
  l->start_sum -= base * (double) l->n;
  l->service = 0.0;
}

/* Brings S up to now. Every change of flows or rates starts with this. */
static void
advance (AmsLink *l)
{
  AmsTime now = ams_kernel_now (l->k);
  l->service = service_at (l, now);
  l->last = now;
  if (l->service > REBASE_AT)
    rebase (l);
}

/* The share of the capacity in use, n * r / C; 0 while C is unlimited. */
static double
utilisation (const AmsLink *l)
{
  return isfinite (l->capacity) ? (double) l->n * l->rate / l->capacity : 0.0;
}

/* Called after the set of flows, the capacity or the cap has changed (S
 * already brought up to now): the new rate, and the statistics' note of it.
 * An idle link restarts its clock at 0. */
static void
rate_changed (AmsLink *l)
{
  AmsTime now = ams_kernel_now (l->k);
  if (l->n == 0)
    {
      l->rate = 0.0;
      l->service = 0.0;
      l->start_sum = 0.0;
    }
  else
    l->rate = MIN (l->cap, l->capacity / (double) l->n);
  ams_timeavg_set (&l->active_avg, now, (double) l->n);
  ams_timeavg_set (&l->util_avg, now, utilisation (l));
}

static void on_event (AmsKernel *k, void *data, uint64_t arg);

/* Puts the one kernel event at the tick the earliest threshold is reached
 * at the current rate. An event already at that tick is kept (only its
 * target may change), which saves a cancel and a push when a flow joins or
 * leaves without moving the earliest finish. While completion callbacks
 * run, the event handler reschedules once at the end instead. */
static void
reschedule (AmsLink *l)
{
  if (l->dispatching > 0)
    return;
  if (l->n == 0)
    {
      ams_kernel_cancel (l->k, l->ev);
      l->ev = (AmsEventHandle) { NULL, 0 };
      return;
    }
  AmsTime now = ams_kernel_now (l->k);
  const Entry *top = &l->heap[0];
  AmsTime at = now;
  if (isfinite (l->rate) && top->threshold > l->service)
    {
      double x = (top->threshold - l->service) / l->rate * TICKS;
      double ticks = ceil (x - SNAP_TICKS);
      if (!(ticks < 9.0e18) || (AmsTime) ticks > AMS_TIME_MAX - now)
        at = AMS_TIME_MAX;
      else if (ticks > 0.0)
        at = now + (AmsTime) ticks;
    }
  l->target = top->threshold;
  if (l->ev_time == at && ams_kernel_is_pending (l->k, l->ev))
    return;
  ams_kernel_cancel (l->k, l->ev);
  l->ev = ams_kernel_schedule (l->k, at, AMS_PRIORITY_DEFAULT, on_event, l, 0);
  l->ev_time = at;
}

/* ---- life cycle ------------------------------------------------------------ */

static void
stats_start (AmsLink *l, double delivered_now)
{
  AmsTime now = ams_kernel_now (l->k);
  ams_timeavg_init (&l->active_avg, now, (double) l->n);
  ams_timeavg_init (&l->util_avg, now, utilisation (l));
  l->started = l->completed = l->cancelled = 0;
  l->delivered_base = delivered_now;
}

AmsLink *
ams_link_new (AmsKernel *k, double capacity, double per_flow_cap)
{
  g_return_val_if_fail (k != NULL, NULL);
  g_return_val_if_fail (!isnan (capacity) && !isnan (per_flow_cap), NULL);
  AmsLink *l = g_new0 (AmsLink, 1);
  l->k = k;
  l->capacity = unlimited_if_not_positive (capacity);
  l->cap = unlimited_if_not_positive (per_flow_cap);
  l->last = ams_kernel_now (k);
  l->ev_time = AMS_TIME_NEVER;
  stats_start (l, 0.0);
  return l;
}

static void
destroy (AmsLink *l)
{
  ams_kernel_cancel (l->k, l->ev);
  Chunk *c = l->chunks;
  while (c != NULL)
    {
      Chunk *next = c->next;
      g_free (c);
      c = next;
    }
  g_free (l->heap);
  g_free (l);
}

void
ams_link_free (AmsLink *l)
{
  if (l == NULL)
    return;
  /* From a callback: the event handler still holds l and finishes the free
   * when the callback returns. */
  if (l->dispatching > 0)
    {
      l->free_pending = TRUE;
      return;
    }
  destroy (l);
}

/* ---- flows ------------------------------------------------------------------- */

/* The completion event: finishes, in (threshold, start) order, the flows
 * started before it ran whose thresholds S has reached, each callback
 * running with the link already showing the flow gone and the new rate. */
static void
on_event (AmsKernel *k, void *data, uint64_t arg)
{
  AmsLink *l = data;
  l->ev = (AmsEventHandle) { NULL, 0 };
  advance (l);
  if (l->n > 0 && isfinite (l->rate) && l->service < l->target)
    l->service = l->target;

  AmsTime now = ams_kernel_now (k);
  uint64_t batch = l->seq;
  l->dispatching++;
  while (l->n > 0 && !l->free_pending)
    {
      Entry top = l->heap[0];
      if (top.seq > batch || (isfinite (l->rate) && top.threshold > l->service))
        break;
      AmsFlow *f = top.f;
      heap_remove (l, 0);
      l->completed++;
      l->delivered_done += f->bytes;
      l->start_sum -= top.threshold - f->bytes;
      AmsFlowDoneFn fn = f->fn;
      void *fdata = f->data;
      AmsTime duration = now - f->started;
      release_record (l, f);
      rate_changed (l);
      if (fn != NULL)
        fn (k, fdata, duration);
    }
  l->dispatching--;
  if (l->free_pending)
    {
      destroy (l);
      return;
    }
  reschedule (l);
}

AmsFlowHandle
ams_link_start (AmsLink *l, double bytes, AmsFlowDoneFn fn, void *data)
{
  const AmsFlowHandle none = { NULL, 0 };
  g_return_val_if_fail (l != NULL, none);
  g_return_val_if_fail (isfinite (bytes) && bytes >= 0.0, none);
  g_return_val_if_fail (!l->free_pending, none);
  advance (l);
  AmsFlow *f = take_record (l);
  f->bytes = bytes;
  f->started = ams_kernel_now (l->k);
  f->fn = fn;
  f->data = data;
  f->seq = ++l->seq;
  heap_push (l, (Entry) { l->service + bytes, f->seq, f });
  l->start_sum += l->service;
  l->started++;
  rate_changed (l);
  reschedule (l);
  return (AmsFlowHandle) { f, f->seq };
}

gboolean
ams_link_cancel (AmsLink *l, AmsFlowHandle h)
{
  g_return_val_if_fail (l != NULL, FALSE);
  if (!flow_pending (l, h))
    return FALSE;
  advance (l);
  AmsFlow *f = h.flow;
  double start = l->heap[f->heap_index].threshold - f->bytes;
  heap_remove (l, f->heap_index);
  l->delivered_done += CLAMP (l->service - start, 0.0, f->bytes);
  l->start_sum -= start;
  l->cancelled++;
  release_record (l, f);
  rate_changed (l);
  reschedule (l);
  return TRUE;
}

void
ams_link_set_capacity (AmsLink *l, double capacity)
{
  g_return_if_fail (l != NULL);
  g_return_if_fail (!isnan (capacity));
  advance (l);
  l->capacity = unlimited_if_not_positive (capacity);
  rate_changed (l);
  reschedule (l);
}

void
ams_link_set_per_flow_cap (AmsLink *l, double cap)
{
  g_return_if_fail (l != NULL);
  g_return_if_fail (!isnan (cap));
  advance (l);
  l->cap = unlimited_if_not_positive (cap);
  rate_changed (l);
  reschedule (l);
}

/* ---- queries ------------------------------------------------------------------ */

double
ams_link_capacity (const AmsLink *l)
{
  g_return_val_if_fail (l != NULL, 0.0);
  return l->capacity;
}

double
ams_link_per_flow_cap (const AmsLink *l)
{
  g_return_val_if_fail (l != NULL, 0.0);
  return l->cap;
}

guint
ams_link_active (const AmsLink *l)
{
  g_return_val_if_fail (l != NULL, 0);
  return (guint) l->n;
}

double
ams_link_rate (const AmsLink *l)
{
  g_return_val_if_fail (l != NULL, 0.0);
  return l->rate;
}

double
ams_link_remaining (const AmsLink *l, AmsFlowHandle h)
{
  g_return_val_if_fail (l != NULL, -1.0);
  if (!flow_pending (l, h))
    return -1.0;
  double s = service_at (l, ams_kernel_now (l->k));
  return MAX (l->heap[h.flow->heap_index].threshold - s, 0.0);
}

/* Everything delivered since creation: the flows gone, plus n * S less the
 * clock readings at which the active flows started. */
static double
delivered_total (const AmsLink *l, AmsTime now)
{
  double active = 0.0;
  if (l->n > 0)
    active = MAX ((double) l->n * service_at (l, now) - l->start_sum, 0.0);
  return l->delivered_done + active;
}

void
ams_link_stats (const AmsLink *l, AmsLinkStats *out)
{
  g_return_if_fail (l != NULL && out != NULL);
  AmsTime now = ams_kernel_now (l->k);
  *out = (AmsLinkStats) {
    .started = l->started,
    .completed = l->completed,
    .cancelled = l->cancelled,
    .bytes_delivered = delivered_total (l, now) - l->delivered_base,
    .active_mean = ams_timeavg_mean (&l->active_avg, now),
    .active_max = (guint) l->active_avg.max,
    .utilisation_mean = ams_timeavg_mean (&l->util_avg, now),
    .observed = now - l->active_avg.start,
  };
}

void
ams_link_reset_stats (AmsLink *l)
{
  g_return_if_fail (l != NULL);
  stats_start (l, delivered_total (l, ams_kernel_now (l->k)));
}
