/* amisim — the kernel's relays: the bookkeeping behind
 * ams_kernel_schedule_relay (kernel.c), kept apart from the event queue.
 *
 * A relay is an event `first` at t1 whose only effect would be to schedule
 * an event `second` at t2 = t1 + then. The kernel pushes `second` alone,
 * one event instead of two, with the insertion order `first` would have
 * had, and remembers the relay here until `second` runs. That order is
 * exact unless another event gets the same time and priority as `second`
 * while `first` has not yet (virtually) run: such an event must run before
 * `second`, whose order would put it after. The kernel asks this set, for
 * every event it pushes while relays are pending, which relays that push
 * overtakes (relay_take_overtaken); each of them goes back to being two
 * events (kernel.c, relay_unmerge), and `first` then runs at t1 with the
 * order it was given at the start.
 *
 * A merged second step runs with its borrowed order, and among the
 * first steps of other relays at its time and priority it sorts as its
 * true order would: a relay made before it has a smaller order either
 * way, one made after its first step ran a greater one either way, and
 * one made in between is no longer beside a merged relay: making it
 * pushed its first step, if only in name, at that time and priority,
 * which overtook this relay.
 *
 * The set is a hash table by t2 (chained, power-of-two size) over records
 * from a free list; none of this is public.
 */
#pragma once

#include "amisim/kernel.h"

G_BEGIN_DECLS

typedef struct Relay Relay;
struct Relay
{
  Relay *next;           /* in its hash chain, or on the free list */
  AmsTime t1, t2;        /* the first step's time, the second's (t1 + then,
                            saturated) */
  uint64_t key1;         /* the first step's key (priority and insertion order) */
  int priority2;         /* the second step's                       */
  AmsEventFn fn;         /* the second step                         */
  void *data;
  uint64_t arg;
  AmsEventHandle second; /* the pending second step, while merged   */
  gboolean merged;       /* in the table: `second` pending alone    */
};

typedef struct RelayChunk RelayChunk;

typedef struct
{
  Relay **slot;          /* by t2; NULL until the first relay is merged */
  unsigned bits;         /* 2^bits slots                          */
  size_t merged;         /* relays in the table                   */
  AmsTime hi;            /* no second step in the table is later (-1: none;
                            the latest added since it was last empty) */
  int64_t credit;        /* pushes that may still look at the table (see
                            relay_affordable) */
  Relay *free;
  RelayChunk *chunks;
} RelaySet;

/* Sets up an empty set; clear frees what it holds. */
void relay_set_init (RelaySet *s);
void relay_set_clear (RelaySet *s);

/* A record (next, merged and second cleared), and back to the free list. */
Relay *relay_new (RelaySet *s);
void relay_release (RelaySet *s, Relay *r);

/* Puts r (t2 set) in the table; r->merged becomes TRUE. */
void relay_add (RelaySet *s, Relay *r);
/* Takes r out of the table (r->merged FALSE). */
void relay_remove (RelaySet *s, Relay *r);

/* TRUE if a merged relay has its second step at time t and priority. */
gboolean relay_any_second_at (const RelaySet *s, AmsTime t, int priority);

/* A merged relay whose second step has time `at` and `priority` and
 * whose first step has not yet (virtually) run, taken out of
 * the table; NULL when there is none. The first step (made at an earlier
 * time) has run when the clock is past its time, or at its time once an
 * event of a greater key has run (max_key: the greatest key run at
 * `now`). An event pushed now with that time and priority runs before
 * the relay's second step. */
Relay *relay_take_overtaken (RelaySet *s, AmsTime at, int priority, AmsTime now,
                             uint64_t max_key);

/* Any merged relay, taken out of the table; NULL when none is left. */
Relay *relay_take_any (RelaySet *s);

static inline size_t
relay_slot_of (const RelaySet *s, AmsTime t)
{
  return (size_t) (((uint64_t) t * UINT64_C (0x9E3779B97F4A7C15)) >> (64 - s->bits));
}

/* What merging pays for and what it costs. A merged relay saves an
 * event (a push, a pop and a call: about 40 ns); while relays are
 * pending, every push at or before the latest second step looks at the
 * table (a hash and a load: 2 or 3 ns). Where many events are pushed
 * while relays are pending (an estate's night: a hundred thousand copies
 * while the day's 80 builds are in their tests) the looks cost far more
 * than the events saved, so each relay merged earns RELAY_CREDIT looks,
 * each look spends one, and a relay is merged only while the credit is
 * not negative; a relay left as two events earns one back, so that
 * merging is tried again after at most RELAY_DEBT_MAX of them. The
 * decisions follow from the events alone, and relays are exact either
 * way: outputs do not depend on them. */
#define RELAY_CREDIT 16
#define RELAY_DEBT_MAX 1024

/* FALSE when no merged relay's second step can be at time t: a
 * comparison for every push, and while relays are pending, a look at the
 * table's slot of t. */
static inline gboolean
relay_maybe_at (RelaySet *s, AmsTime t)
{
  if (G_LIKELY (t > s->hi))
    return FALSE;
  if (s->credit > -RELAY_DEBT_MAX)
    s->credit--;
  return s->slot[relay_slot_of (s, t)] != NULL;
}

/* TRUE if a relay may be merged now (see RELAY_CREDIT). */
static inline gboolean
relay_affordable (RelaySet *s)
{
  if (s->credit >= 0)
    return TRUE;
  s->credit++;
  return FALSE;
}

G_END_DECLS
