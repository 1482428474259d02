/* amisim — the simulation kernel: clock and pending-event set.
 *
 * The pending set is ordered by (time, key) over small entries {time, key,
 * event}. The key packs the priority (offset to be non-negative) into its
 * top 16 bits and an insertion counter into the low 48 bits, so one
 * unsigned comparison settles both tie-breaks: lower priority number first,
 * then first scheduled first.
 *
 * The set is a ladder queue (Tang, Goh & Thng 2005; "the ladder queue"
 * below) whose bottom is a 4-ary min-heap of those entries kept in one
 * array. With up to BOTTOM_MAX (1024) events pending the bottom heap is all
 * there is; beyond that the ladder spreads the later events over buckets
 * of time and feeds them to the heap a bucket at a time, so the heap stays
 * small and push and pop are O(1) amortized instead of O(log n) with cache
 * misses. The heap decides the order in either case, so it is exactly
 * (time, priority, insertion). tools/bench_hold measured it, against the
 * plain heap (built with AMS_KERNEL_LADDER=0: bench_hold_heap), within
 * the noise (+-8 %) at 10 to 1000 pending, 1.6 to 2.9 times as fast from
 * 10^4 to 10^6 (exponential increments), 1.3 to 2 times (lognormal) and
 * 1.4 to 1.8 times over a capacity-scenario night of 10^5 to 6x10^5
 * transfers.
 *
 * Event records live in chunks owned by the kernel and are recycled through
 * a free list, never freed before the kernel: a handle therefore always
 * points at valid memory, and the 64-bit sequence number stored both in the
 * handle and in the record tells a live event from a record that has since
 * run, been cancelled or been reused. A record's sequence number is 0 while
 * it is not pending. (With the ladder, cancel only zeroes it: the record
 * goes back to the free list when its entry is dropped.)
 *
 * A relay (ams_kernel_schedule_relay; its bookkeeping in relay.c) is an
 * event whose handler would only schedule another: the kernel pushes the
 * second alone, with the insertion order the first would have had, and
 * pushes the first after all (relay_unmerge) only when a later push would
 * otherwise run out of order.
 *
 * A record is put back on the free list *before* its handler runs: the
 * handler then sees its own event as no longer pending (cancelling it is a
 * harmless no-op), and the event the handler most likely schedules next
 * reuses the record that is still hot in the cache.
 */
#include "kernel-private.h"
#include "relay-private.h"

#include <stdlib.h>
#include <string.h>

/* 1: the ladder queue (the kernel's); 0: the plain heap, with the heap
 * index in each record and eager cancel, kept for tools/bench_hold's
 * comparison (bench_hold_heap) and tested as kernel/evq-heap. */
#ifndef AMS_KERNEL_LADDER
#define AMS_KERNEL_LADDER 1
#endif

#define ORDER_BITS 48
#define ORDER_MASK ((UINT64_C(1) << ORDER_BITS) - 1)

/* Records per chunk: small kernels stay small, big ones grow in few steps. */
#define CHUNK_FIRST 64
#define CHUNK_MAX 4096

struct AmsEvent
{
  AmsEventFn fn;
  void *data;
  uint64_t arg;
  uint64_t seq;          /* 0 when not pending         */
#if !AMS_KERNEL_LADDER
  size_t heap_index;     /* position in k->heap        */
#endif
};

/* A sequence number's top 24 bits are its kernel's number, so that a
 * handle from another kernel never matches a record of this one (with the
 * ladder, that is the only test: a record holds no pointer to its kernel
 * and is 32 bytes). The low SEQ_COUNT_BITS count the kernel's events; they
 * wrap (skipping 0) after 2^40, by which time a handle that old is long
 * gone. */
#define SEQ_COUNT_BITS 40
#define SEQ_COUNT_MASK ((UINT64_C(1) << SEQ_COUNT_BITS) - 1)
#if AMS_KERNEL_LADDER
G_STATIC_ASSERT (sizeof (AmsEvent) == 32);
#endif

typedef struct
{
  AmsTime time;
  uint64_t key; /* (priority - AMS_PRIORITY_MIN) << 48 | insertion order */
  AmsEvent *ev;
} Entry;

#if AMS_KERNEL_LADDER
#define LADDER_RUNGS 8

/* A bucket: its entries, in an array of its own (cap > 0) or, when cap is
 * 0 and e is set, in a slice of its rung's block (rung_fill), which holds
 * exactly the n it was filled with: a push copies them out first. */
typedef struct
{
  Entry *e;
  size_t n, cap;
} Vec;

typedef struct
{
  uint64_t start, width; /* bucket i holds [start + i width, start + (i+1) width) */
  uint64_t limit;        /* ... and the last one up to here (exclusive)           */
  uint64_t cur_start;    /* times below this belong to lower rungs or the bottom  */
  size_t nb, cur;        /* buckets in use; first not yet taken                   */
  Vec *b;
  size_t bcap;           /* bucket vectors allocated (kept for reuse)             */
  Entry *block;          /* the buckets' entries as filled, one after the other   */
  size_t block_cap;
} Rung;
#endif

typedef struct Chunk Chunk;
/* Records are 32 bytes (ladder) and the chunk is aligned to a cache line
 * with a header of 32, so no record straddles two lines. */
struct Chunk
{
  Chunk *next;
  size_t n;
  char pad[16];
  AmsEvent ev[];
};
#define CHUNK_ALIGN 64

struct AmsKernel
{
  Entry *heap;         /* the heap; for the ladder, its bottom */
  size_t n;            /* pending events              */
  size_t cap;
#if AMS_KERNEL_LADDER
  size_t bn;           /* entries in the bottom heap, and the hole if any */
  gboolean hole;       /* the bottom heap's root is vacant (hole_fill, hole_close) */
  size_t hole_best;    /* then, with bn >= 2: its least child */
  size_t bottom_limit; /* bottom size that triggers a spread onto a rung */
  size_t entries;      /* entries anywhere, cancelled ones included */
  Vec top;
  uint64_t top_start;  /* times at or after this go to the top */
  unsigned m;          /* rungs in use                */
  Rung rung[LADDER_RUNGS];
#endif
  AmsTime now;
  uint64_t max_key;    /* the greatest key run at `now` (UINT64_MAX: every event
                          at `now` has run): an event at `now` pending before
                          the first of these ran has run iff its key is less */
  uint64_t seq;        /* last handle sequence number */
  uint64_t order;      /* next insertion order, < 2^48 */
  uint64_t events_run;
  uint64_t tick_at;    /* events_run at which tick_fn is called next; never when unset */
  uint64_t tick_every;
  AmsKernelTickFn tick_fn;
  void *tick_user;
  AmsKernelWarmFn warm;
  unsigned warm_stages;
  gboolean stop;
  AmsEvent **free;     /* the free records: a stack with room for every record */
  size_t n_free, free_cap;
  Chunk *chunks;
  size_t records;      /* records allocated in chunks */
  RelaySet relays;     /* ams_kernel_schedule_relay's, while pending */
};

/* ---- the heap -------------------------------------------------------- */

/* Lexicographic (time, key), as one unsigned 128-bit comparison (time in
 * the high half: pending times are never negative), which compiles to a
 * compare and a subtract-with-borrow, without a branch. Measured against
 * two comparisons with a branch on the time: M/M/50 (bench-mmc) 7 % less
 * CPU; tools/bench_hold 6 to 15 % faster at 10 to 1000 pending, the same
 * within the noise from 10^4 to 10^6. */
static inline gboolean
entry_less (const Entry *a, const Entry *b)
{
  unsigned __int128 av = ((unsigned __int128) (uint64_t) a->time << 64) | a->key;
  unsigned __int128 bv = ((unsigned __int128) (uint64_t) b->time << 64) | b->key;
  return av < bv;
}

static inline void
heap_place (Entry *heap, size_t i, Entry e)
{
  heap[i] = e;
#if !AMS_KERNEL_LADDER
  e.ev->heap_index = i;
#endif
}

/* The heap is 4-ary: half the levels of a binary heap, and the four
 * children of a node (96 bytes) sit in one or two cache lines, so a pop
 * touches fewer lines. It measured about 10 % faster than a binary heap at
 * 10^6 pending events and no slower at 10^2. */
#define ARITY 4

static inline void
sift_up (Entry *heap, size_t i, Entry e)
{
  while (i > 0)
    {
      size_t parent = (i - 1) / ARITY;
      if (!entry_less (&e, &heap[parent]))
        break;
      heap_place (heap, i, heap[parent]);
      i = parent;
    }
  heap_place (heap, i, e);
}

/* Index of the lesser of heap[a] and heap[b] (a on ties), without a
 * branch: which child is least is a coin toss the predictor cannot learn. */
static inline size_t
lesser (const Entry *heap, size_t a, size_t b)
{
  size_t lt = (size_t) entry_less (&heap[b], &heap[a]);
  return a ^ ((a ^ b) & (0 - lt));
}

/* The least of the children that start at `first` (< n) in a heap of n. */
static inline size_t
least_child (const Entry *heap, size_t n, size_t first)
{
  if (G_LIKELY (first + ARITY <= n))
    return lesser (heap, lesser (heap, first, first + 1), lesser (heap, first + 2, first + 3));
  size_t best = first;
  for (size_t c = first + 1; c < n; c++)
    best = lesser (heap, best, c);
  return best;
}

/* The entry comes in its three parts, in registers: an Entry (24 bytes)
 * passed by value to a call GCC leaves out of line goes through the stack,
 * written as two 8-byte stores and read back as one 16-byte load, which
 * the store buffer cannot forward (a stall of a dozen cycles or more; perf
 * put 60 % of push_entry's samples on it, then 43 % of bottom_push's).
 * Every sift and push the run loop makes goes through one of the two.
 * bench-mmc 7 % less CPU. */
static void
sift_down_parts (Entry *heap, size_t n, size_t i, AmsTime time, uint64_t key, AmsEvent *ev)
{
  Entry e = { .time = time, .key = key, .ev = ev };
  for (;;)
    {
      size_t first = ARITY * i + 1;
      if (first >= n)
        break;
      size_t best = least_child (heap, n, first);
      if (!entry_less (&heap[best], &e))
        break;
      heap_place (heap, i, heap[best]);
      i = best;
    }
  heap_place (heap, i, e);
}

static inline void
sift_down (Entry *heap, size_t n, size_t i, Entry e)
{
  sift_down_parts (heap, n, i, e.time, e.key, e.ev);
}

#if !AMS_KERNEL_LADDER
/* Removes the entry at index i, filling the hole with the last entry. */
static inline void
heap_remove (AmsKernel *k, size_t i)
{
  size_t n = --k->n;
  if (i == n)
    return;
  Entry last = k->heap[n];
  if (i > 0 && entry_less (&last, &k->heap[(i - 1) / ARITY]))
    sift_up (k->heap, i, last);
  else
    sift_down (k->heap, n, i, last);
}
#endif

/* ---- event records ---------------------------------------------------- */

static G_GNUC_NO_INLINE void
grow_records (AmsKernel *k)
{
  size_t n = k->records == 0 ? CHUNK_FIRST : MIN (k->records, (size_t) CHUNK_MAX);
  Chunk *c = g_aligned_alloc (1, sizeof (Chunk) + n * sizeof (AmsEvent), CHUNK_ALIGN);
  c->next = k->chunks;
  c->n = n;
  k->chunks = c;
  k->records += n;
  if (k->records > k->free_cap)
    {
      k->free_cap = MAX (k->records, 2 * k->free_cap);
      k->free = g_renew (AmsEvent *, k->free, k->free_cap);
    }
  /* Stacked so that the lowest address is handed out first. */
  for (size_t i = n; i-- > 0;)
    {
      c->ev[i].fn = NULL;
      c->ev[i].arg = 0;
      c->ev[i].seq = 0;
#if !AMS_KERNEL_LADDER
      c->ev[i].heap_index = 0;
#endif
      k->free[k->n_free++] = &c->ev[i];
    }
}

static inline void
release_record (AmsKernel *k, AmsEvent *ev)
{
  ev->seq = 0;
  k->free[k->n_free++] = ev;
}

/* ---- the ordering counter ------------------------------------------- */

static int
entry_cmp (const void *a, const void *b)
{
  const Entry *x = a, *y = b;
  if (entry_less (x, y))
    return -1;
  return entry_less (y, x) ? 1 : 0;
}

/* After 2^48 insertions the low bits of the key would run into the
 * priority. Only the relative order of what is pending matters, so the
 * pending entries are sorted (a sorted array is a valid heap) and numbered
 * again from `base`. This happens at most once per 2^48 schedules. */
static void renumber_from (AmsKernel *k, uint64_t base);
static void relays_unmerge_all (AmsKernel *k);

static G_GNUC_NO_INLINE void
renumber (AmsKernel *k)
{
  renumber_from (k, 0);
}

void
ams__kernel_set_order_counter (AmsKernel *k, uint64_t next)
{
  g_return_if_fail (k != NULL);
  g_return_if_fail (next <= AMS__KERNEL_ORDER_LIMIT);
  /* Keep what is pending ordered as before: number it from 0, or from
   * below the new counter if there is room. */
  if (next >= k->n)
    {
      renumber_from (k, next - k->n);
      k->order = next;
    }
  else
    renumber_from (k, 0);
}

uint64_t
ams__kernel_order_counter (const AmsKernel *k)
{
  return k->order;
}

size_t
ams__kernel_records_allocated (const AmsKernel *k)
{
  return k->records;
}

#if !AMS_KERNEL_LADDER

/* The plain heap pops before the handler runs: nothing to settle. */
static inline void
settle (AmsKernel *k)
{
  (void) k;
}

static void
renumber_from (AmsKernel *k, uint64_t base)
{
  relays_unmerge_all (k);
  qsort (k->heap, k->n, sizeof (Entry), entry_cmp);
  for (size_t i = 0; i < k->n; i++)
    {
      k->heap[i].key = (k->heap[i].key & ~ORDER_MASK) | (base + i);
      k->heap[i].ev->heap_index = i;
    }
  k->order = base + k->n;
}

#else /* AMS_KERNEL_LADDER */

/* ---- the ladder queue ------------------------------------------------- */

/* A ladder queue (Tang, Goh & Thng 2005) whose bottom is the same 4-ary
 * heap of {time, key, event} entries, ordered by (time, key): the ladder
 * only keeps that heap small, so the order is exactly the heap kernel's.
 *
 * Times at or after top_start go unsorted into the top. Below that, rung 0
 * splits [start, limit) into buckets of equal width; a bucket too full when
 * its turn comes is split by a finer rung of its own, down to
 * LADDER_RUNGS rungs. Times below the lowest rung's current bucket go into
 * the bottom heap. The bottom's first entry is therefore the earliest of
 * all, and it is kept a live one after every operation, so that
 * k->heap[0] means the same as in the heap kernel.
 *
 * While few events are pending (up to BOTTOM_MAX) the bottom heap is all
 * there is (top_start = TOP_NONE); a bottom heap that grows beyond that is
 * spread onto a new rung.
 *
 * Cancel is lazy: it zeroes the record's sequence number and leaves the
 * entry where it is; the entry, and with it the record, is dropped when it
 * reaches the front or is moved. k->entries counts entries live or not, and
 * if cancelled ones outnumber the live ones the whole set is rebuilt. */
#define BOTTOM_MAX 1024
#define BUCKET_SPLIT 64
#define BUCKET_FILL 4
#define TOP_NONE UINT64_MAX

static inline gboolean
entry_dead (const Entry *e)
{
  return e->ev->seq == 0;
}

static inline void
drop_dead (AmsKernel *k, const Entry *e)
{
  release_record (k, e->ev);
  k->entries--;
}

static G_GNUC_NO_INLINE void
vec_grow (Vec *v)
{
  if (v->cap == 0 && v->e != NULL)
    {
      /* a slice of its rung's block: its entries move to an array of its own */
      Entry *own = g_new (Entry, MAX (v->n * 2, (size_t) 4));
      memcpy (own, v->e, v->n * sizeof (Entry));
      v->e = own;
      v->cap = MAX (v->n * 2, (size_t) 4);
      return;
    }
  v->cap = v->cap == 0 ? 4 : 2 * v->cap;
  v->e = g_renew (Entry, v->e, v->cap);
}

static inline void
vec_push (Vec *v, Entry e)
{
  if (G_UNLIKELY (v->n >= v->cap)) /* full, or a slice (cap 0) */
    vec_grow (v);
  v->e[v->n++] = e;
}

/* An emptied bucket keeps a small vector for its next use, not a large
 * one: a night's buckets fill to hundreds of entries once, and kept they
 * held as much memory again as the entries pending. */
#define VEC_KEEP 16

static inline void
vec_trim (Vec *v)
{
  if (v->cap > VEC_KEEP)
    g_free (v->e);
  if (v->cap > VEC_KEEP || v->cap == 0)
    {
      v->e = NULL; /* or a slice of its rung's block, to which it no longer has a claim */
      v->cap = 0;
    }
}

/* A rung no longer in use keeps its block for the next spread, unless the
 * block is large: memory follows what is pending, not the most that ever
 * was (the block of a spread of an estate's night at 4x the capacity
 * scenario's accounts is about 35,000 entries). */
#define BLOCK_KEEP 65536

static void
rung_done (Rung *r)
{
  if (r->block_cap > BLOCK_KEEP)
    {
      g_free (r->block);
      r->block = NULL;
      r->block_cap = 0;
    }
}

/* The event running was taken from the bottom heap's root and, until its
 * handler returns, the root is a hole (run_first): the handler's first
 * push to the bottom takes its place and sinks from there (a replacement,
 * one sift instead of the pop's down and the push's up: a Poisson
 * arrival's next arrival, due before most of what is pending, stops near
 * the root); if none comes, the hole is closed as a pop would have been.
 * Either way the heap ends as a heap of the same entries, and the order
 * of events is their (time, key), so it is exactly the same. */
/* The hole at the root of a heap of n (the hole counted) takes e: e stays
 * there if no greater than the root's least child (or if it has none),
 * else the child moves up and e sinks from the child's place. */
static inline void
hole_take (AmsKernel *k, size_t n, Entry e)
{
  k->hole = FALSE;
  size_t best = k->hole_best;
  if (n < 2 || !entry_less (&k->heap[best], &e))
    {
      heap_place (k->heap, 0, e);
      return;
    }
  heap_place (k->heap, 0, k->heap[best]);
  sift_down (k->heap, n, best, e);
}

static inline void
hole_fill (AmsKernel *k, Entry e)
{
  hole_take (k, k->bn, e);
}

/* The pop, with the root's least child already known: the last entry
 * takes the hole (the least child may be that last entry: it then stays
 * at the root). */
static inline void
hole_close (AmsKernel *k)
{
  if (!k->hole)
    return;
  size_t n = --k->bn;
  if (n == 0)
    {
      k->hole = FALSE;
      return;
    }
  hole_take (k, n, k->heap[n]);
}

/* In parts, like sift_down_parts. */
static void
bottom_push_parts (AmsKernel *k, AmsTime time, uint64_t key, AmsEvent *ev)
{
  Entry e = { .time = time, .key = key, .ev = ev };
  if (k->hole)
    {
      hole_fill (k, e);
      return;
    }
  if (G_UNLIKELY (k->bn == k->cap))
    {
      k->cap *= 2;
      k->heap = g_renew (Entry, k->heap, k->cap);
    }
  sift_up (k->heap, k->bn++, e);
}

static inline void
bottom_push (AmsKernel *k, Entry e)
{
  bottom_push_parts (k, e.time, e.key, e.ev);
}

static inline void
bottom_pop (AmsKernel *k)
{
  size_t n = --k->bn;
  if (n > 0)
    sift_down (k->heap, n, 0, k->heap[n]);
}

static void
bottom_heapify (AmsKernel *k)
{
  if (k->bn < 2)
    return;
  for (size_t i = (k->bn - 2) / ARITY + 1; i-- > 0;)
    sift_down (k->heap, k->bn, i, k->heap[i]);
}

/* Drops the dead entries of e[0..*n) in place and finds the live ones'
 * earliest and latest times. */
static void
live_span (AmsKernel *k, Entry *e, size_t *n, uint64_t *lo, uint64_t *hi)
{
  size_t j = 0;
  uint64_t a = UINT64_MAX, b = 0;
  if (k->entries == k->n)
    {
      /* Nothing cancelled is pending anywhere: every entry is live, and
       * the records need not be read. (A night's top at 4x the capacity
       * scenario's accounts is 400,000 entries, whose records are far
       * apart: reading each was a wait.) */
      for (size_t i = 0; i < *n; i++)
        {
          uint64_t t = (uint64_t) e[i].time;
          a = MIN (a, t);
          b = MAX (b, t);
        }
      *lo = a;
      *hi = b;
      return;
    }
  for (size_t i = 0; i < *n; i++)
    {
      if (entry_dead (&e[i]))
        {
          drop_dead (k, &e[i]);
          continue;
        }
      uint64_t t = (uint64_t) e[i].time;
      a = MIN (a, t);
      b = MAX (b, t);
      e[j++] = e[i];
    }
  *n = j;
  *lo = a;
  *hi = b;
}

/* Puts the n live entries e[], with times in [lo, hi], on a new lowest
 * rung covering [lo, limit) (limit > hi), about BUCKET_FILL entries per
 * bucket. Each bucket's vector is sized to what it receives (counted
 * first), so that a rung of an estate's night costs little more than its
 * entries: with one entry per bucket, as the ladder queue's paper has it,
 * and vectors starting at four, the rungs took four times the memory of
 * the entries on them. */
static void
rung_fill (AmsKernel *k, const Entry *e, size_t n, uint64_t lo, uint64_t hi, uint64_t limit)
{
  g_assert (k->m < LADDER_RUNGS && n > 0);
  Rung *r = &k->rung[k->m++];
  uint64_t span = hi - lo + 1;
  uint64_t want = (n + BUCKET_FILL - 1) / BUCKET_FILL;
  uint64_t width = span / want + (span % want != 0);
  size_t nb = (size_t) (span / width + (span % width != 0));
  if (nb > r->bcap)
    {
      r->b = g_renew (Vec, r->b, nb);
      memset (r->b + r->bcap, 0, (nb - r->bcap) * sizeof (Vec));
      r->bcap = nb;
    }
  r->start = lo;
  r->width = width;
  r->limit = limit;
  r->nb = nb;
  r->cur = 0;
  r->cur_start = lo;
  /* count (the buckets are empty), give each its slice of the rung's
   * block, then place: the buckets' entries lie one after the other, in
   * the order they will be taken (a vector per bucket, written in turn as
   * the entries came, were as many allocations scattered over the heap) */
  for (size_t i = 0; i < n; i++)
    r->b[MIN (((uint64_t) e[i].time - lo) / width, (uint64_t) nb - 1)].n++;
  if (n > r->block_cap)
    {
      g_free (r->block);
      r->block = g_new (Entry, n);
      r->block_cap = n;
    }
  size_t at = 0;
  for (size_t b = 0; b < nb; b++)
    {
      Vec *v = &r->b[b];
      if (v->cap > 0)
        g_free (v->e);
      v->e = r->block + at;
      v->cap = 0;
      at += v->n;
      v->n = 0;
    }
  for (size_t i = 0; i < n; i++)
    {
      Vec *v = &r->b[MIN (((uint64_t) e[i].time - lo) / width, (uint64_t) nb - 1)];
      v->e[v->n++] = e[i];
    }
}

/* Makes k->heap[0] the earliest live entry, if there is one. */
static G_GNUC_NO_INLINE void
prepare_slow (AmsKernel *k)
{
  g_assert (!k->hole);
  for (;;)
    {
      while (k->bn > 0 && entry_dead (&k->heap[0]))
        {
          drop_dead (k, &k->heap[0]);
          bottom_pop (k);
        }
      if (k->bn > 0)
        return;
      k->bottom_limit = BOTTOM_MAX;

      if (k->m == 0)
        {
          /* Everything left is in the top. */
          size_t n = k->top.n;
          if (n == 0)
            return;
          uint64_t lo, hi;
          live_span (k, k->top.e, &n, &lo, &hi);
          k->top.n = 0;
          if (n == 0)
            continue;
          if (n <= BOTTOM_MAX || lo == hi)
            {
              /* Few: back to the plain heap. */
              if (n > k->cap)
                {
                  k->cap = n;
                  k->heap = g_renew (Entry, k->heap, k->cap);
                }
              memcpy (k->heap, k->top.e, n * sizeof (Entry));
              k->bn = n;
              bottom_heapify (k);
              k->top_start = TOP_NONE;
              continue;
            }
          rung_fill (k, k->top.e, n, lo, hi, 0);
          Rung *r = &k->rung[0];
          r->limit = r->start + r->nb * r->width;
          k->top_start = r->limit;
          continue;
        }

      Rung *r = &k->rung[k->m - 1];
      while (r->cur < r->nb && r->b[r->cur].n == 0)
        r->cur++;
      if (r->cur == r->nb)
        {
          rung_done (r);
          k->m--;
          continue;
        }
      Vec *b = &r->b[r->cur++];
      r->cur_start = r->cur == r->nb ? r->limit : r->start + r->cur * r->width;
      size_t n = b->n;
      b->n = 0;
      /* What the buckets after this one will need is asked for while
       * this one runs, a stage further along for each bucket further
       * out, so that each request finds what it reads already fetched by
       * the one a take before: the application's warm-up stages (from the
       * records' data on, ams_kernel_set_warm) or, without one, the data
       * of the records for the next bucket; then the records; then the
       * entries. With an estate's night pending these are far apart and
       * mostly out of the cache; fetched only as the handlers reached
       * them, each was a wait (capacity 3 days at 4x the accounts: CPU
       * -9 % for the data stage). */
      size_t records = k->warm != NULL ? k->warm_stages : 1;
      for (size_t s = 0; s <= records + 1 && r->cur + s < r->nb; s++)
        {
          const Vec *v = &r->b[r->cur + s];
          if (s == records + 1)
            {
              if (v->e != NULL)
                for (int l = 0; l < 3; l++)
                  __builtin_prefetch ((const char *) v->e + 64 * l);
              break;
            }
          for (size_t i = 0; i < v->n && i < 2 * BUCKET_FILL; i++)
            {
              const AmsEvent *ev = v->e[i].ev;
              if (s == records)
                __builtin_prefetch (ev);
              else if (k->warm == NULL)
                {
                  uintptr_t d = (uintptr_t) ev->data;
                  __builtin_prefetch ((const void *) d);
                  __builtin_prefetch ((const void *) (d + 64));
                }
              else if (ev->seq != 0)
                k->warm (ev->fn, ev->data, (unsigned) s);
            }
        }
      if (n > BUCKET_SPLIT && k->m < LADDER_RUNGS)
        {
          uint64_t lo, hi;
          live_span (k, b->e, &n, &lo, &hi);
          if (n > BUCKET_SPLIT && lo < hi)
            {
              rung_fill (k, b->e, n, lo, hi, r->cur_start);
              vec_trim (b);
              continue;
            }
        }
      for (size_t i = 0; i < n; i++)
        {
          if (entry_dead (&b->e[i]))
            drop_dead (k, &b->e[i]);
          else
            bottom_push (k, b->e[i]);
        }
      vec_trim (b);
    }
}

static inline void
prepare (AmsKernel *k)
{
  if (G_UNLIKELY (k->bn == 0 || entry_dead (&k->heap[0])))
    prepare_slow (k);
}

static void ladder_clear (AmsKernel *k);

/* After a handler (or within one, before the pending set is read): the
 * root's hole closed if no push took it, and k->heap[0] the earliest live
 * entry if anything is pending. */
static inline void
settle (AmsKernel *k)
{
  hole_close (k);
  if (k->n == 0)
    ladder_clear (k);
  else
    prepare (k);
}

/* The bottom heap has grown past k->bottom_limit: spread it on a new
 * lowest rung if its times differ and a rung is free, else let it grow. */
static G_GNUC_NO_INLINE void
spread_bottom (AmsKernel *k)
{
  size_t n = k->bn;
  uint64_t lo, hi;
  live_span (k, k->heap, &n, &lo, &hi);
  k->bn = n;
  if (k->m == LADDER_RUNGS || n <= BUCKET_SPLIT || lo == hi)
    {
      bottom_heapify (k);
      k->bottom_limit = 2 * MAX (n, (size_t) BOTTOM_MAX);
      return;
    }
  uint64_t limit = k->m > 0 ? k->rung[k->m - 1].cur_start : k->top_start;
  if (limit == TOP_NONE)
    limit = k->top_start = hi + 1;
  rung_fill (k, k->heap, n, lo, hi, limit);
  k->bn = 0;
  prepare (k);
}

static inline void
ladder_insert (AmsKernel *k, Entry e)
{
  uint64_t t = (uint64_t) e.time;
  k->entries++;
  if (t >= k->top_start)
    {
      vec_push (&k->top, e);
      return;
    }
  for (unsigned i = 0; i < k->m; i++)
    {
      Rung *r = &k->rung[i];
      if (t >= r->cur_start)
        {
          uint64_t b = (t - r->start) / r->width;
          vec_push (&r->b[MIN (b, (uint64_t) r->nb - 1)], e);
          return;
        }
    }
  bottom_push (k, e);
  if (G_UNLIKELY (k->bn > k->bottom_limit))
    spread_bottom (k);
}

/* Moves every live entry into `out` (n of them) and every dead one back to
 * the free list, leaving the ladder empty. */
static void
ladder_take_all (AmsKernel *k, Entry *out)
{
  hole_close (k);
  size_t j = 0;
#define TAKE(E)                   \
  do                              \
    {                             \
      if (entry_dead (E))         \
        release_record (k, (E)->ev); \
      else                        \
        out[j++] = *(E);          \
    }                             \
  while (0)
  for (size_t i = 0; i < k->bn; i++)
    TAKE (&k->heap[i]);
  for (size_t i = 0; i < k->top.n; i++)
    TAKE (&k->top.e[i]);
  for (unsigned r = 0; r < k->m; r++)
    for (size_t b = k->rung[r].cur; b < k->rung[r].nb; b++)
      {
        Vec *v = &k->rung[r].b[b];
        for (size_t i = 0; i < v->n; i++)
          TAKE (&v->e[i]);
        v->n = 0;
      }
#undef TAKE
  g_assert (j == k->n);
  for (unsigned r = 0; r < k->m; r++)
    rung_done (&k->rung[r]);
  k->bn = 0;
  k->top.n = 0;
  k->m = 0;
  k->top_start = TOP_NONE;
  k->bottom_limit = BOTTOM_MAX;
  k->entries = 0;
}

/* Puts the n live entries e[] (sorted or not) back into an empty ladder. */
static void
ladder_refill (AmsKernel *k, const Entry *e, size_t n)
{
  if (n > k->cap)
    {
      k->cap = n;
      k->heap = g_renew (Entry, k->heap, k->cap);
    }
  memcpy (k->heap, e, n * sizeof (Entry));
  k->bn = n;
  k->entries = n;
  bottom_heapify (k);
  if (k->bn > k->bottom_limit)
    spread_bottom (k);
}

/* Nothing is pending: the dead entries go back, and rungs emptied but not
 * yet dropped are (with what their blocks hold). */
static void
ladder_clear (AmsKernel *k)
{
  if (k->entries > 0 || k->m > 0)
    ladder_take_all (k, NULL);
}

static G_GNUC_NO_INLINE void
ladder_compact (AmsKernel *k)
{
  Entry *live = g_new (Entry, k->n);
  ladder_take_all (k, live);
  ladder_refill (k, live, k->n);
  g_free (live);
}

static void
renumber_from (AmsKernel *k, uint64_t base)
{
  relays_unmerge_all (k); /* their second steps' keys borrow orders */
  Entry *live = g_new (Entry, MAX (k->n, (size_t) 1));
  ladder_take_all (k, live);
  qsort (live, k->n, sizeof (Entry), entry_cmp);
  for (size_t i = 0; i < k->n; i++)
    live[i].key = (live[i].key & ~ORDER_MASK) | (base + i);
  k->order = base + k->n;
  ladder_refill (k, live, k->n);
  g_free (live);
}

#endif /* AMS_KERNEL_LADDER */

/* ---- public API -------------------------------------------------------- */

AmsKernel *
ams_kernel_new (void)
{
  AmsKernel *k = g_new0 (AmsKernel, 1);
  k->cap = 64;
  k->heap = g_new (Entry, k->cap);
  k->tick_at = UINT64_MAX;
  static gint kernels; /* numbers the kernels of the process (see SEQ_COUNT_BITS) */
  k->seq = (uint64_t) (guint) g_atomic_int_add (&kernels, 1) << SEQ_COUNT_BITS;
#if AMS_KERNEL_LADDER
  k->top_start = TOP_NONE;
  k->bottom_limit = BOTTOM_MAX;
#endif
  relay_set_init (&k->relays);
  return k;
}

void
ams_kernel_free (AmsKernel *k)
{
  if (k == NULL)
    return;
  Chunk *c = k->chunks;
  while (c != NULL)
    {
      Chunk *next = c->next;
      g_aligned_free (c);
      c = next;
    }
  g_free (k->heap);
  g_free (k->free);
  relay_set_clear (&k->relays);
#if AMS_KERNEL_LADDER
  g_free (k->top.e);
  for (unsigned r = 0; r < LADDER_RUNGS; r++)
    {
      for (size_t b = 0; b < k->rung[r].bcap; b++)
        if (k->rung[r].b[b].cap > 0)
          g_free (k->rung[r].b[b].e);
      g_free (k->rung[r].b);
      g_free (k->rung[r].block);
    }
#endif
  g_free (k);
}

/* No check of k here: the clock is read about ten times per copy (each
 * start, end, pool change and statistic), and a NULL kernel fails at once
 * on the load. */
AmsTime
ams_kernel_now (const AmsKernel *k)
{
  return k->now;
}

/* t + d (t, d >= 0), saturating at AMS_TIME_MAX (INT64_MAX: the sum
 * overflows exactly when it would pass it; an add and a conditional move). */
static inline AmsTime
time_after (AmsTime t, AmsTime d)
{
  G_STATIC_ASSERT (AMS_TIME_MAX == INT64_MAX);
  AmsTime sum;
  return __builtin_add_overflow (t, d, &sum) ? AMS_TIME_MAX : sum;
}

/* The key of an entry: priority (offset to be non-negative) above the
 * insertion order. */
static inline uint64_t
key_of (int priority, uint64_t order)
{
  return ((uint64_t) (priority - AMS_PRIORITY_MIN) << ORDER_BITS) | order;
}

/* The sequence count wrapped: 0 means "not pending", so it skips to 1.
 * Out of line, once in 2^40 pushes, so that the push tests and branches
 * rather than computing the skip every time. */
G_GNUC_NO_INLINE __attribute__ ((cold)) static uint64_t
seq_wrapped (uint64_t seq)
{
  return seq + 1;
}

/* Puts an entry with the given key in the pending set. */
static inline AmsEventHandle
push_entry (AmsKernel *k, AmsTime at, uint64_t key, AmsEventFn fn, void *data, uint64_t arg)
{
  if (G_UNLIKELY (k->n_free == 0))
    grow_records (k);
#if !AMS_KERNEL_LADDER
  if (G_UNLIKELY (k->n == k->cap))
    {
      k->cap *= 2;
      k->heap = g_renew (Entry, k->heap, k->cap);
    }
#endif
  AmsEvent *ev = k->free[--k->n_free];
  /* the record the fourth push from now will write: a night's requests take
   * thousands of long-freed records in a row, far apart and out of the
   * cache, each a wait on the write */
  if (G_LIKELY (k->n_free >= 4))
    __builtin_prefetch (k->free[k->n_free - 4], 1);
  ev->fn = fn;
  ev->data = data;
  ev->arg = arg;
  uint64_t seq = k->seq + 1;
  if (G_UNLIKELY ((seq & SEQ_COUNT_MASK) == 0))
    seq = seq_wrapped (seq);
  k->seq = ev->seq = seq;

  Entry e = { .time = at, .key = key, .ev = ev };
#if AMS_KERNEL_LADDER
  k->n++;
  ladder_insert (k, e);
#else
  sift_up (k->heap, k->n++, e);
#endif
  return (AmsEventHandle) { ev, ev->seq };
}

/* out of line and cold: push's fast path stays small */
G_GNUC_NO_INLINE __attribute__ ((cold)) static void relays_overtaken (AmsKernel *k, AmsTime at,
                                                                     int priority);

static inline AmsEventHandle
push (AmsKernel *k, AmsTime at, int priority, AmsEventFn fn, void *data, uint64_t arg)
{
  if (G_UNLIKELY (k->order == AMS__KERNEL_ORDER_LIMIT))
    renumber (k);
  if (G_UNLIKELY (relay_maybe_at (&k->relays, at)))
    relays_overtaken (k, at, priority);
  return push_entry (k, at, key_of (priority, k->order++), fn, data, arg);
}

AmsEventHandle
ams_kernel_schedule (AmsKernel *k, AmsTime at, int priority,
                     AmsEventFn fn, void *data, uint64_t arg)
{
  const AmsEventHandle none = { NULL, 0 };
  g_return_val_if_fail (k != NULL, none);
  g_return_val_if_fail (fn != NULL, none);
  g_return_val_if_fail (priority >= AMS_PRIORITY_MIN && priority <= AMS_PRIORITY_MAX, none);
  if (G_UNLIKELY (at < k->now))
    {
      g_critical ("ams_kernel_schedule: time %" G_GINT64_FORMAT " is before now (%"
                  G_GINT64_FORMAT "); scheduling at now", at, k->now);
      at = k->now;
    }
  return push (k, at, priority, fn, data, arg);
}

AmsEventHandle
ams_kernel_schedule_in (AmsKernel *k, AmsTime delay, int priority,
                        AmsEventFn fn, void *data, uint64_t arg)
{
  const AmsEventHandle none = { NULL, 0 };
  g_return_val_if_fail (k != NULL, none);
  g_return_val_if_fail (fn != NULL, none);
  g_return_val_if_fail (priority >= AMS_PRIORITY_MIN && priority <= AMS_PRIORITY_MAX, none);
  if (G_UNLIKELY (delay < 0))
    {
      g_critical ("ams_kernel_schedule_in: negative delay %" G_GINT64_FORMAT
                  "; scheduling at now", delay);
      delay = 0;
    }
  return push (k, time_after (k->now, delay), priority, fn, data, arg);
}

/* A handle names a pending event of *this* kernel only if the sequence
 * numbers agree and it is this kernel's: its number in the sequence
 * number's top bits (ladder) or the record where it says in this kernel's
 * heap (plain heap). The second test makes a handle from another kernel
 * harmless. */
static inline gboolean
handle_pending (const AmsKernel *k, AmsEventHandle h)
{
  if (h.ev == NULL || h.seq == 0 || h.ev->seq != h.seq)
    return FALSE;
#if AMS_KERNEL_LADDER
  return (h.seq & ~SEQ_COUNT_MASK) == (k->seq & ~SEQ_COUNT_MASK);
#else
  size_t i = h.ev->heap_index;
  return i < k->n && k->heap[i].ev == h.ev;
#endif
}

/* Cancels a pending event (handle_pending (k, h)). */
static void
cancel_pending (AmsKernel *k, AmsEventHandle h)
{
#if AMS_KERNEL_LADDER
  /* Lazy: the entry stays, dead, until it reaches the front or is moved.
   * Within a handler the root may be a hole (and the entry that was there
   * names a record since reused): settled first. */
  settle (k);
  h.ev->seq = 0;
  if (--k->n == 0)
    ladder_clear (k);
  else if (k->heap[0].ev == h.ev)
    prepare (k);
  else if (k->entries - k->n > k->n + BOTTOM_MAX)
    ladder_compact (k);
#else
  heap_remove (k, h.ev->heap_index);
  release_record (k, h.ev);
#endif
}

gboolean
ams_kernel_cancel (AmsKernel *k, AmsEventHandle h)
{
  g_return_val_if_fail (k != NULL, FALSE);
  if (!handle_pending (k, h))
    return FALSE;
  cancel_pending (k, h);
  return TRUE;
}

/* ---- relays (relay-private.h) ----------------------------------------- */

/* A relay's first step, run: it schedules the second, as any event would. */
static void
relay_first (AmsKernel *k, void *data, uint64_t arg)
{
  Relay *r = data;
  AmsEventFn fn = r->fn;
  void *d = r->data;
  uint64_t a = r->arg;
  int priority2 = r->priority2;
  AmsTime t2 = r->t2; /* it runs at t1: now + then, as asked */
  relay_release (&k->relays, r);
  push (k, t2, priority2, fn, d, a);
}

/* A merged relay's second step, run in place of both. */
static void
relay_second (AmsKernel *k, void *data, uint64_t arg)
{
  Relay *r = data;
  AmsEventFn fn = r->fn;
  void *d = r->data;
  uint64_t a = r->arg;
  if (r->merged)
    relay_remove (&k->relays, r);
  relay_release (&k->relays, r);
  fn (k, d, a);
}

/* A merged relay (out of the table) becomes two events again: its second
 * step is cancelled and its first pushed with the key it was given when
 * the relay was scheduled, as if it had been pushed then. */
static void
relay_unmerge (AmsKernel *k, Relay *r)
{
  cancel_pending (k, r->second);
  r->second = (AmsEventHandle) { 0 };
  push_entry (k, r->t1, r->key1, relay_first, r, 0);
}

/* An event is pushed now at (at, priority): every merged relay whose
 * second step has that time and priority and whose first step is still to
 * run would run its second step first, by the order it borrowed; the
 * first step has to run, as itself, to put the two in their order. */
static void
relays_overtaken (AmsKernel *k, AmsTime at, int priority)
{
  Relay *r;
  while ((r = relay_take_overtaken (&k->relays, at, priority, k->now, k->max_key)) != NULL)
    relay_unmerge (k, r);
}

/* Before a renumbering, which gives every pending entry a new order: no
 * relay may keep a borrowed one. A relay whose first step has (virtually)
 * run keeps its second step, now an event like any other (nothing pushed
 * from now on can overtake it); the others become two events again. */
static void
relays_unmerge_all (AmsKernel *k)
{
  Relay *r;
  while ((r = relay_take_any (&k->relays)) != NULL)
    if (k->now > r->t1 || (k->now == r->t1 && k->max_key > r->key1))
      continue; /* out of the table: its second step runs as it is */
    else
      relay_unmerge (k, r);
}

void
ams_kernel_schedule_relay (AmsKernel *k, AmsTime delay, int priority, AmsTime then,
                           int priority2, AmsEventFn fn, void *data, uint64_t arg)
{
  g_return_if_fail (k != NULL);
  g_return_if_fail (fn != NULL);
  g_return_if_fail (priority >= AMS_PRIORITY_MIN && priority <= AMS_PRIORITY_MAX);
  g_return_if_fail (priority2 >= AMS_PRIORITY_MIN && priority2 <= AMS_PRIORITY_MAX);
  g_return_if_fail (delay >= 0 && then >= 0);
  if (G_UNLIKELY (k->order == AMS__KERNEL_ORDER_LIMIT))
    renumber (k);
  AmsTime t1 = time_after (k->now, delay);
  /* the first step is pushed now, if only in name: it overtakes what any
   * push at its time and priority would */
  if (relay_maybe_at (&k->relays, t1))
    relays_overtaken (k, t1, priority);
  Relay *r = relay_new (&k->relays);
  r->t1 = t1;
  r->t2 = time_after (t1, then);
  r->key1 = key_of (priority, k->order++);
  r->priority2 = priority2;
  r->fn = fn;
  r->data = data;
  r->arg = arg;
  if (delay == 0 || (r->t2 == t1 && priority2 < priority)
      || relay_any_second_at (&k->relays, r->t2, priority2)
      || !relay_affordable (&k->relays))
    {
      /* Two events after all, where merged this relay would be run out of
       * its order: its first step is now (whether it has run is known
       * from the keys run at its time only for a relay made before); its
       * second step would come before its first (at the same time, with a
       * lower priority number); or another relay's second step has the
       * same time and priority (the two run in the order of their first
       * steps' runs, which only running this one settles); or merging has
       * cost more than it saved (relay_affordable). */
      push_entry (k, t1, r->key1, relay_first, r, 0);
      return;
    }
  r->second = push_entry (k, r->t2, key_of (priority2, r->key1 & ORDER_MASK), relay_second, r, 0);
  relay_add (&k->relays, r);
}

gboolean
ams_kernel_is_pending (const AmsKernel *k, AmsEventHandle h)
{
  g_return_val_if_fail (k != NULL, FALSE);
  return handle_pending (k, h);
}

/* Kept out of the loop: it runs once in many thousand events. */
G_GNUC_NO_INLINE static void
tick (AmsKernel *k)
{
  k->tick_at += k->tick_every;
  k->tick_fn (k, k->tick_user);
}

/* Pops the earliest event and runs it. The caller has checked k->n > 0. */
G_ALWAYS_INLINE static inline void
run_first (AmsKernel *k)
{
  /* The record first: prepare () read it (its sequence number) when it
   * became the first, so it is in the cache. */
  Entry first = k->heap[0];
  AmsEvent *ev = first.ev;
  AmsEventFn fn = ev->fn;
  void *data = ev->data;
  uint64_t arg = ev->arg;
  /* What the next event's handler will read first is fetched while this
   * one runs: with an estate's night pending, the records and what they
   * point at are far apart in memory and mostly out of the cache. (And the
   * line after: data bigger than a line, or not aligned to one, spans two;
   * integer arithmetic: data may be NULL.) */
  uintptr_t next = 0;
#if AMS_KERNEL_LADDER
  /* The root stays a hole for the handler's first push (hole_fill); the
   * next event is its least child, unless the handler pushes an earlier
   * one, and that child is where the hole would sink first. */
  k->hole = TRUE;
  k->entries--;
  k->n--;
  if (G_LIKELY (k->bn >= 2))
    {
      k->hole_best = least_child (k->heap, k->bn, 1);
      next = (uintptr_t) k->heap[k->hole_best].ev->data;
    }
#else
  size_t n = --k->n;
  if (n > 0)
    {
      sift_down (k->heap, n, 0, k->heap[n]);
      next = (uintptr_t) k->heap[0].ev->data;
    }
#endif
  __builtin_prefetch ((const void *) next);
  __builtin_prefetch ((const void *) (next + 64));
  release_record (k, ev);

  /* the greatest key run at this time, for the relays (without a branch:
   * cheaper than asking first whether any is pending) */
  k->max_key = first.time == k->now && k->max_key > first.key ? k->max_key : first.key;
  k->now = first.time;
  k->events_run++;
  fn (k, data, arg);
  settle (k);
}

gboolean
ams_kernel_step (AmsKernel *k)
{
  g_return_val_if_fail (k != NULL, FALSE);
  if (k->n == 0)
    return FALSE;
  run_first (k);
  if (G_UNLIKELY (k->events_run == k->tick_at))
    tick (k);
  return TRUE;
}

/* The stop flag is consumed by the run_until that honours it (as libuv's
 * uv_stop is): it is checked before each event and cleared on return, so a
 * stop requested outside any run makes the next run_until return at once. */
uint64_t
ams_kernel_run_until (AmsKernel *k, AmsTime until)
{
  g_return_val_if_fail (k != NULL, 0);
  g_return_val_if_fail (until >= k->now, 0);

  uint64_t before = k->events_run;
  /* two loops, so that a run without a tick pays nothing for it */
  if (k->tick_fn == NULL)
    while (!k->stop && k->n > 0 && k->heap[0].time <= until)
      run_first (k);
  else
    while (!k->stop && k->n > 0 && k->heap[0].time <= until)
      {
        run_first (k);
        if (G_UNLIKELY (k->events_run == k->tick_at))
          tick (k);
      }

  /* A stopped run leaves the clock at the last event it ran, even if that
   * happened to be the last one before `until`. */
  if (!k->stop)
    {
      k->now = until;
      k->max_key = UINT64_MAX; /* every event at `until` has run */
    }
  k->stop = FALSE;
  return k->events_run - before;
}

void
ams_kernel_stop (AmsKernel *k)
{
  g_return_if_fail (k != NULL);
  k->stop = TRUE;
}

void
ams_kernel_set_warm (AmsKernel *k, AmsKernelWarmFn fn, unsigned stages)
{
  g_return_if_fail (k != NULL);
  g_return_if_fail (fn == NULL || (stages > 0 && stages <= 8));
  k->warm = fn;
  k->warm_stages = fn != NULL ? stages : 0;
}

void
ams_kernel_set_tick (AmsKernel *k, uint64_t every, AmsKernelTickFn fn, void *user)
{
  g_return_if_fail (k != NULL);
  g_return_if_fail (fn == NULL || every > 0);
  k->tick_fn = fn;
  k->tick_user = user;
  k->tick_every = every;
  k->tick_at = fn != NULL ? k->events_run + every : UINT64_MAX;
}

uint64_t
ams_kernel_events_run (const AmsKernel *k)
{
  g_return_val_if_fail (k != NULL, 0);
  return k->events_run;
}

size_t
ams_kernel_pending (const AmsKernel *k)
{
  g_return_val_if_fail (k != NULL, 0);
  return k->n;
}

AmsTime
ams_kernel_next_time (const AmsKernel *k)
{
  g_return_val_if_fail (k != NULL, AMS_TIME_NEVER);
#if AMS_KERNEL_LADDER
  /* Asked within a handler, the root may be a hole: settling it changes
   * how the same pending events are kept, not which they are. */
  settle ((AmsKernel *) k);
#endif
  return k->n > 0 ? k->heap[0].time : AMS_TIME_NEVER;
}
