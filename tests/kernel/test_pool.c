/* Tests of the counting pool: grants, FIFO waiting with the time waited,
 * reject mode, capacity changes, withdraw, the observer, the time-weighted
 * statistics against a hand-computed piecewise case, and callbacks that
 * call back into the pool. The clock is moved with ams_kernel_run_until on
 * an empty kernel, which sets it to the given time. */
#include "ams_test.h"

#include <amisim/kernel.h>
#include <amisim/pool.h>
#include <amisim/rng.h>
#include <amisim/stats.h>
#include <string.h>

/* Grant callbacks log which request was granted and how long it waited. */
typedef struct
{
  GArray *who;    /* int     */
  GArray *waited; /* AmsTime */
} Grants;

static void
grants_init (Grants *g)
{
  g->who = g_array_new (FALSE, FALSE, sizeof (int));
  g->waited = g_array_new (FALSE, FALSE, sizeof (AmsTime));
}

static void
grants_clear (Grants *g)
{
  g_array_free (g->who, TRUE);
  g_array_free (g->waited, TRUE);
}

/* A request: its id and where to log. */
typedef struct
{
  int id;
  Grants *log;
  AmsPool *pool; /* for callbacks that call back in */
} Req;

static void
on_grant (AmsKernel *k, void *data, AmsTime waited)
{
  Req *r = data;
  g_array_append_val (r->log->who, r->id);
  g_array_append_val (r->log->waited, waited);
}

static int
who (const Grants *g, guint i)
{
  return g_array_index (g->who, int, i);
}

static AmsTime
waited (const Grants *g, guint i)
{
  return g_array_index (g->waited, AmsTime, i);
}

static void
advance (AmsKernel *k, AmsTime t)
{
  ams_kernel_run_until (k, t);
}

/* ---- basics -------------------------------------------------------------- */

static void
test_pool_immediate_grant (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 2, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req a = { 1, &g, p }, b = { 2, &g, p }, c = { 3, &g, p };
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &a), AMS_POOL_GRANTED);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &b), AMS_POOL_GRANTED);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 2);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &c), AMS_POOL_QUEUED);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 1);
  CU_ASSERT_EQUAL (g.who->len, 0); /* immediate grants do not call back */
  CU_ASSERT_EQUAL (ams_pool_capacity (p), 2);
  CU_ASSERT_EQUAL (ams_pool_mode (p), AMS_POOL_QUEUE);
  grants_clear (&g);
}

static void
test_pool_fifo_and_waited (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req r[4];
  for (int i = 0; i < 4; i++)
    r[i] = (Req) { i, &g, p };
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[0]), AMS_POOL_GRANTED);
  advance (k, 10);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[1]), AMS_POOL_QUEUED);
  advance (k, 15);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[2]), AMS_POOL_QUEUED);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[3]), AMS_POOL_QUEUED);
  advance (k, 100);
  ams_pool_release (p);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 1);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 2);
  advance (k, 130);
  ams_pool_release (p);
  ams_pool_release (p);
  ams_pool_release (p);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 0);
  CU_ASSERT_EQUAL_FATAL (g.who->len, 3);
  CU_ASSERT_EQUAL (who (&g, 0), 1);
  CU_ASSERT_EQUAL (who (&g, 1), 2);
  CU_ASSERT_EQUAL (who (&g, 2), 3);
  CU_ASSERT_EQUAL (waited (&g, 0), 90);
  CU_ASSERT_EQUAL (waited (&g, 1), 115);
  CU_ASSERT_EQUAL (waited (&g, 2), 115);
  grants_clear (&g);
}

/* Many waiters through a small ring: growth and wrap-around keep FIFO. */
static void
test_pool_fifo_through_ring_growth (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  enum { N = 300 };
  Req *r = g_new (Req, N);
  for (int i = 0; i < N; i++)
    r[i] = (Req) { i, &g, p };
  ams_pool_request (p, on_grant, &r[0]);
  /* Keep about ten waiting while the ring head travels round it, then
   * pile up the rest so that the ring grows while wrapped. */
  int next = 1;
  for (; next < 11; next++)
    ams_pool_request (p, on_grant, &r[next]);
  for (int i = 0; i < 40; i++)
    {
      ams_pool_release (p);
      ams_pool_request (p, on_grant, &r[next++]);
    }
  for (; next < N; next++)
    ams_pool_request (p, on_grant, &r[next]);
  while (ams_pool_busy (p) > 0)
    ams_pool_release (p);
  CU_ASSERT_EQUAL_FATAL (g.who->len, N - 1);
  gboolean in_order = TRUE;
  for (int i = 0; i < N - 1; i++)
    in_order = in_order && who (&g, i) == i + 1;
  CU_ASSERT_TRUE (in_order);
  g_free (r);
  grants_clear (&g);
}

static void
test_pool_reject_mode (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_REJECT);
  CU_ASSERT_EQUAL (ams_pool_request (p, NULL, NULL), AMS_POOL_GRANTED);
  CU_ASSERT_EQUAL (ams_pool_request (p, NULL, NULL), AMS_POOL_REJECTED);
  CU_ASSERT_EQUAL (ams_pool_request (p, NULL, NULL), AMS_POOL_REJECTED);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 0);
  ams_pool_release (p);
  CU_ASSERT_EQUAL (ams_pool_request (p, NULL, NULL), AMS_POOL_GRANTED);
  AmsPoolStats s;
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.requests, 4);
  CU_ASSERT_EQUAL (s.grants, 2);
  CU_ASSERT_EQUAL (s.rejects, 2);
  CU_ASSERT_EQUAL (s.waited, 0);

  /* Switching modes at run time. */
  Grants g;
  grants_init (&g);
  Req a = { 1, &g, p };
  ams_pool_set_mode (p, AMS_POOL_QUEUE);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &a), AMS_POOL_QUEUED);
  ams_pool_set_mode (p, AMS_POOL_REJECT);
  CU_ASSERT_EQUAL (ams_pool_mode (p), AMS_POOL_REJECT);
  ams_pool_release (p); /* the waiter queued before still gets its turn */
  CU_ASSERT_EQUAL (g.who->len, 1);
  grants_clear (&g);
}

static void
test_pool_zero_capacity (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 0, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req a = { 1, &g, p };
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &a), AMS_POOL_QUEUED);
  advance (k, 7);
  ams_pool_set_capacity (p, 1);
  CU_ASSERT_EQUAL_FATAL (g.who->len, 1);
  CU_ASSERT_EQUAL (waited (&g, 0), 7);
  grants_clear (&g);
}

/* ---- capacity changes ---------------------------------------------------- */

static void
test_pool_capacity_raised_grants_waiters (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req r[5];
  for (int i = 0; i < 5; i++)
    {
      r[i] = (Req) { i, &g, p };
      ams_pool_request (p, on_grant, &r[i]);
    }
  CU_ASSERT_EQUAL (ams_pool_queued (p), 4);
  advance (k, 50);
  ams_pool_set_capacity (p, 3);
  /* Synchronously, in FIFO order. */
  CU_ASSERT_EQUAL_FATAL (g.who->len, 2);
  CU_ASSERT_EQUAL (who (&g, 0), 1);
  CU_ASSERT_EQUAL (who (&g, 1), 2);
  CU_ASSERT_EQUAL (waited (&g, 1), 50);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 3);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 2);
  grants_clear (&g);
}

static void
test_pool_capacity_lowered_preempts_nothing (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 3, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req w = { 9, &g, p };
  for (int i = 0; i < 3; i++)
    ams_pool_request (p, on_grant, NULL);
  ams_pool_request (p, on_grant, &w);
  ams_pool_set_capacity (p, 1);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 3); /* above capacity until released */
  ams_pool_release (p);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 2);
  ams_pool_release (p);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 1);
  CU_ASSERT_EQUAL (g.who->len, 0);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &w), AMS_POOL_QUEUED);
  ams_pool_release (p);
  CU_ASSERT_EQUAL (g.who->len, 1); /* the first waiter, not the second */
  CU_ASSERT_EQUAL (ams_pool_busy (p), 1);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 1);
  grants_clear (&g);
}

/* ---- withdraw ------------------------------------------------------------ */

static void
test_pool_withdraw (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req a = { 1, &g, p }, b = { 2, &g, p }, c = { 3, &g, p };
  ams_pool_request (p, on_grant, NULL);
  ams_pool_request (p, on_grant, &a);
  ams_pool_request (p, on_grant, &b);
  ams_pool_request (p, on_grant, &c);
  ams_pool_request (p, on_grant, &b); /* b twice: withdraw takes the first */
  CU_ASSERT_TRUE (ams_pool_withdraw (p, &b));
  CU_ASSERT_EQUAL (ams_pool_queued (p), 3);
  CU_ASSERT_TRUE (ams_pool_withdraw (p, &b));
  CU_ASSERT_FALSE (ams_pool_withdraw (p, &b));
  CU_ASSERT_EQUAL (ams_pool_queued (p), 2);
  for (int i = 0; i < 3; i++)
    ams_pool_release (p);
  CU_ASSERT_EQUAL_FATAL (g.who->len, 2);
  CU_ASSERT_EQUAL (who (&g, 0), 1);
  CU_ASSERT_EQUAL (who (&g, 1), 3);
  CU_ASSERT_FALSE (ams_pool_withdraw (p, &a));
  grants_clear (&g);
}

/* ---- observer -------------------------------------------------------------- */

typedef struct
{
  GString *trace;
} Obs;

static void
on_observe (const AmsPool *p, void *user_data)
{
  Obs *o = user_data;
  g_string_append_printf (o->trace, "%u/%u ", ams_pool_busy (p), ams_pool_queued (p));
}

static void
test_pool_observer (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Obs o = { g_string_new (NULL) };
  Grants g;
  grants_init (&g);
  Req a = { 1, &g, p }, b = { 2, &g, p };
  ams_pool_set_observer (p, on_observe, &o);
  ams_pool_request (p, on_grant, NULL);  /* 1/0 */
  ams_pool_request (p, on_grant, &a);    /* 1/1 */
  ams_pool_request (p, on_grant, &b);    /* 1/2 */
  ams_pool_withdraw (p, &b);             /* 1/1 */
  ams_pool_release (p);                  /* 1/0: handed straight to a */
  ams_pool_release (p);                  /* 0/0 */
  ams_pool_set_capacity (p, 4);          /* no change of busy or queued */
  CU_ASSERT_STRING_EQUAL (o.trace->str, "1/0 1/1 1/2 1/1 1/0 0/0 ");
  ams_pool_set_observer (p, NULL, NULL);
  ams_pool_request (p, on_grant, NULL);
  CU_ASSERT_STRING_EQUAL (o.trace->str, "1/0 1/1 1/2 1/1 1/0 0/0 ");
  g_string_free (o.trace, TRUE);
  grants_clear (&g);
}

/* ---- statistics -------------------------------------------------------------- */

/* Capacity 2. Busy: 1 on [0,10), 2 on [10,70), 1 on [70,100) -> area 160.
 * Queue: 1 on [20,30), 2 on [30,40), 1 on [40,60) -> area 50. */
static void
test_pool_time_averages_hand_case (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 2, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req c = { 3, &g, p }, d = { 4, &g, p };
  ams_pool_request (p, on_grant, NULL);
  advance (k, 10);
  ams_pool_request (p, on_grant, NULL);
  advance (k, 20);
  ams_pool_request (p, on_grant, &c);
  advance (k, 30);
  ams_pool_request (p, on_grant, &d);
  advance (k, 40);
  ams_pool_release (p);
  advance (k, 60);
  ams_pool_release (p);
  advance (k, 70);
  ams_pool_release (p);
  advance (k, 100);

  AmsPoolStats s;
  ams_pool_stats (p, &s);
  CU_ASSERT_DOUBLE_EQUAL (s.busy_mean, 1.6, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (s.queue_mean, 0.5, 1e-12);
  CU_ASSERT_EQUAL (s.busy_max, 2);
  CU_ASSERT_EQUAL (s.queue_max, 2);
  CU_ASSERT_EQUAL (s.requests, 4);
  CU_ASSERT_EQUAL (s.grants, 4);
  CU_ASSERT_EQUAL (s.waited, 2);
  CU_ASSERT_EQUAL (s.rejects, 0);
  CU_ASSERT_EQUAL (s.observed, 100);
  CU_ASSERT_EQUAL (waited (&g, 0), 20);
  CU_ASSERT_EQUAL (waited (&g, 1), 30);
  /* at the limit (2 busy) on [10, 70); the longest wait 30 */
  CU_ASSERT_EQUAL (s.full_time, 60);
  CU_ASSERT_EQUAL (s.wait_max, 30);

  /* Warm-up deletion: counts to 0, averages restart with the current
   * state (busy 1, queue 0). */
  ams_pool_reset_stats (p);
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.observed, 0);
  CU_ASSERT_DOUBLE_EQUAL (s.busy_mean, 1.0, 1e-12);
  advance (k, 120);
  ams_pool_request (p, on_grant, NULL); /* busy 2 on [120, 150) */
  advance (k, 150);
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.observed, 50);
  CU_ASSERT_DOUBLE_EQUAL (s.busy_mean, (20 * 1 + 30 * 2) / 50.0, 1e-12);
  CU_ASSERT_DOUBLE_EQUAL (s.queue_mean, 0.0, 1e-12);
  CU_ASSERT_EQUAL (s.busy_max, 2);
  CU_ASSERT_EQUAL (s.queue_max, 0);
  CU_ASSERT_EQUAL (s.requests, 1);
  CU_ASSERT_EQUAL (s.grants, 1);
  /* the spell since 120 is still open: 30; nobody waited since the reset */
  CU_ASSERT_EQUAL (s.full_time, 30);
  CU_ASSERT_EQUAL (s.wait_max, 0);
  /* a higher limit ends the spell, a lower one starts another */
  ams_pool_set_capacity (p, 3);
  advance (k, 160);
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.full_time, 30);
  ams_pool_set_capacity (p, 2);
  advance (k, 180);
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.full_time, 50); /* 30, then full again on [160, 180) */
  grants_clear (&g);
}

/* A pool created later starts its window then. */
static void
test_pool_stats_window_starts_at_creation (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  advance (k, 1000);
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  advance (k, 1010);
  ams_pool_request (p, NULL, NULL);
  advance (k, 1040);
  AmsPoolStats s;
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.observed, 40);
  CU_ASSERT_DOUBLE_EQUAL (s.busy_mean, 0.75, 1e-12);
}

/* ---- re-entrancy ----------------------------------------------------------- */

typedef struct
{
  Req self;
  Req again; /* asked for from inside the grant */
} Greedy;

/* Granted: asks for another slot (which must queue behind the others),
 * then gives its slot straight back. */
static void
on_grant_reenter (AmsKernel *k, void *data, AmsTime w)
{
  Greedy *gr = data;
  on_grant (k, &gr->self, w);
  CU_ASSERT_EQUAL (ams_pool_request (gr->self.pool, on_grant, &gr->again), AMS_POOL_QUEUED);
  ams_pool_release (gr->self.pool);
}

static void
test_pool_reentrant_grant_callback (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Greedy b = { { 2, &g, p }, { 20, &g, p } };
  Req c = { 3, &g, p };
  ams_pool_request (p, on_grant, NULL);           /* A holds the slot */
  ams_pool_request (p, on_grant_reenter, &b);     /* B waits */
  ams_pool_request (p, on_grant, &c);             /* C waits */
  ams_pool_release (p);
  /* A -> B; B queues B2 behind C and releases -> C. */
  CU_ASSERT_EQUAL_FATAL (g.who->len, 2);
  CU_ASSERT_EQUAL (who (&g, 0), 2);
  CU_ASSERT_EQUAL (who (&g, 1), 3);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 1);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 1);
  ams_pool_release (p);
  CU_ASSERT_EQUAL_FATAL (g.who->len, 3);
  CU_ASSERT_EQUAL (who (&g, 2), 20);
  AmsPoolStats s;
  ams_pool_stats (p, &s);
  CU_ASSERT_EQUAL (s.requests, 4);
  CU_ASSERT_EQUAL (s.grants, 4);
  CU_ASSERT_EQUAL (s.waited, 3);
  grants_clear (&g);
}

/* A capacity raise whose grants ask for more slots: the newcomers queue
 * behind those already waiting, and the raise grants exactly up to the
 * new capacity. */
static void
on_grant_ask_more (AmsKernel *k, void *data, AmsTime w)
{
  Greedy *gr = data;
  on_grant (k, &gr->self, w);
  ams_pool_request (gr->self.pool, on_grant, &gr->again);
}

static void
test_pool_reentrant_capacity_raise (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 0, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Greedy r[3] = {
    { { 1, &g, p }, { 10, &g, p } },
    { { 2, &g, p }, { 20, &g, p } },
    { { 3, &g, p }, { 30, &g, p } },
  };
  for (int i = 0; i < 3; i++)
    ams_pool_request (p, on_grant_ask_more, &r[i]);
  ams_pool_set_capacity (p, 4);
  /* 1 (asks 10), 2 (asks 20), 3 (asks 30), then one slot left: 10. */
  CU_ASSERT_EQUAL_FATAL (g.who->len, 4);
  CU_ASSERT_EQUAL (who (&g, 0), 1);
  CU_ASSERT_EQUAL (who (&g, 1), 2);
  CU_ASSERT_EQUAL (who (&g, 2), 3);
  CU_ASSERT_EQUAL (who (&g, 3), 10);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 4);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 2);
  grants_clear (&g);
}

static void
test_pool_free_with_waiters (void)
{
  AmsKernel *k = ams_kernel_new ();
  AmsPool *p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  Grants g;
  grants_init (&g);
  Req r = { 1, &g, p };
  for (int i = 0; i < 100; i++)
    ams_pool_request (p, on_grant, &r);
  ams_pool_free (p); /* dropped without callbacks */
  ams_pool_free (NULL);
  CU_ASSERT_EQUAL (g.who->len, 0);
  ams_kernel_free (k);
  grants_clear (&g);
}

/* ---- a pool in the caller's storage, and its time averages ------------- */

/* A pool kept inside a record (ams_pool_init), between guards that must
 * stay untouched. */
typedef struct
{
  guint64 before[8];
  AmsPool pool;
  guint64 after[8];
} Holder;

/* What the pool's time averages must equal, bit for bit: an AmsTimeAvg of
 * busy and one of the queue, set after every change (the observer is
 * called after every change), as the pool computed them before it kept
 * its integrals itself. */
typedef struct
{
  AmsTimeAvg busy, queue;
  AmsKernel *k;
} Shadow;

static void
shadow_observe (const AmsPool *p, void *user)
{
  Shadow *sh = user;
  AmsTime now = ams_kernel_now (sh->k);
  ams_timeavg_set (&sh->busy, now, ams_pool_busy (p));
  ams_timeavg_set (&sh->queue, now, ams_pool_queued (p));
}

typedef struct
{
  gboolean granted;
  gboolean withdrawn;
} RandReq;

static void
rand_granted (AmsKernel *k, void *data, AmsTime waited)
{
  ((RandReq *) data)->granted = TRUE;
}

static void
test_pool_in_caller_storage_matches_timeavg (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (gsl_rng) r = ams_rng_new (11, 0, "test/pool/random");
  Holder *h = g_new (Holder, 1);
  memset (h->before, 0xA5, sizeof h->before);
  memset (h->after, 0x5A, sizeof h->after);
  ams_pool_init (&h->pool, k, 3, AMS_POOL_QUEUE);
  Shadow sh = { .k = k };
  ams_timeavg_init (&sh.busy, 0, 0);
  ams_timeavg_init (&sh.queue, 0, 0);
  ams_pool_set_observer (&h->pool, shadow_observe, &sh);

  enum { N = 4000 };
  RandReq *req = g_new0 (RandReq, N);
  guint held = 0, n_req = 0, bad = 0;
  AmsTime now = 0;
  for (guint step = 0; step < 3 * N && n_req < N; step++)
    {
      /* the clock stays put one time in three: changes at the same time */
      if (gsl_rng_uniform_int (r, 3) != 0)
        advance (k, now += 1 + (AmsTime) gsl_rng_uniform_int (r, 5));
      double u = gsl_rng_uniform (r);
      if (u < 0.45)
        {
          RandReq *q = &req[n_req++];
          if (ams_pool_request (&h->pool, rand_granted, q) == AMS_POOL_GRANTED)
            q->granted = TRUE;
        }
      else if (u < 0.85 && ams_pool_busy (&h->pool) > 0)
        {
          ams_pool_release (&h->pool);
        }
      else if (u < 0.95 && n_req > 0)
        {
          RandReq *q = &req[gsl_rng_uniform_int (r, n_req)];
          if (!q->granted && !q->withdrawn)
            q->withdrawn = ams_pool_withdraw (&h->pool, q);
        }
      else if (u < 0.97)
        ams_pool_set_capacity (&h->pool, 1 + (guint) gsl_rng_uniform_int (r, 5));
      else if (u < 0.975)
        {
          ams_pool_reset_stats (&h->pool);
          ams_timeavg_init (&sh.busy, now, ams_pool_busy (&h->pool));
          ams_timeavg_init (&sh.queue, now, ams_pool_queued (&h->pool));
        }
      AmsPoolStats s;
      ams_pool_stats (&h->pool, &s);
      double busy_mean = ams_timeavg_mean (&sh.busy, now);
      double queue_mean = ams_timeavg_mean (&sh.queue, now);
      bad += memcmp (&s.busy_mean, &busy_mean, sizeof busy_mean) != 0;
      bad += memcmp (&s.queue_mean, &queue_mean, sizeof queue_mean) != 0;
      bad += s.busy_max != (guint) sh.busy.max || s.queue_max != (guint) sh.queue.max;
      bad += s.observed != now - sh.busy.start;
    }
  CU_ASSERT_EQUAL (n_req, N);
  CU_ASSERT_EQUAL (bad, 0);
  for (guint i = 0; i < N; i++)
    held += req[i].granted;
  CU_ASSERT_TRUE (held > N / 2);
  for (guint i = 0; i < G_N_ELEMENTS (h->before); i++)
    {
      CU_ASSERT_EQUAL (h->before[i], UINT64_C (0xA5A5A5A5A5A5A5A5));
      CU_ASSERT_EQUAL (h->after[i], UINT64_C (0x5A5A5A5A5A5A5A5A));
    }
  ams_pool_clear (&h->pool); /* frees its ring: the sanitizers would see a leak */
  CU_ASSERT_EQUAL (ams_pool_queued (&h->pool), 0);
  g_free (req);
  g_free (h);
}

/* The warm-up's prefetches read and change nothing: with no waiter and
 * with waiters (and their data out of reach), the pool's state, its
 * statistics and the FIFO order of its grants stay as they were. */
static void
test_pool_prefetch_changes_nothing (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (AmsPool) p = ams_pool_new (k, 1, AMS_POOL_QUEUE);
  ams_pool_prefetch (p);
  ams_pool_prefetch_head (p); /* none waits */
  ams_pool_prefetch_next (p);
  Grants g;
  grants_init (&g);
  Req r[3];
  for (int i = 0; i < 3; i++)
    r[i] = (Req) { i, &g, p };
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[0]), AMS_POOL_GRANTED);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[1]), AMS_POOL_QUEUED);
  CU_ASSERT_EQUAL (ams_pool_request (p, on_grant, &r[2]), AMS_POOL_QUEUED);
  advance (k, 50);
  AmsPoolStats before, after;
  ams_pool_stats (p, &before);
  ams_pool_prefetch (p);
  ams_pool_prefetch_head (p);
  ams_pool_prefetch_next (p);
  ams_pool_stats (p, &after);
  CU_ASSERT_EQUAL (memcmp (&before, &after, sizeof before), 0);
  CU_ASSERT_EQUAL (ams_pool_busy (p), 1);
  CU_ASSERT_EQUAL (ams_pool_queued (p), 2);
  CU_ASSERT_EQUAL (g.who->len, 0);
  ams_pool_release (p);
  ams_pool_release (p);
  CU_ASSERT_EQUAL_FATAL (g.who->len, 2);
  CU_ASSERT_EQUAL (who (&g, 0), 1);
  CU_ASSERT_EQUAL (who (&g, 1), 2);
  grants_clear (&g);
}

static const AmsTestCase cases[] = {
  { "immediate_grant", test_pool_immediate_grant },
  { "fifo_and_waited", test_pool_fifo_and_waited },
  { "fifo_through_ring_growth", test_pool_fifo_through_ring_growth },
  { "reject_mode", test_pool_reject_mode },
  { "zero_capacity", test_pool_zero_capacity },
  { "capacity_raised_grants_waiters", test_pool_capacity_raised_grants_waiters },
  { "capacity_lowered_preempts_nothing", test_pool_capacity_lowered_preempts_nothing },
  { "withdraw", test_pool_withdraw },
  { "observer", test_pool_observer },
  { "time_averages_hand_case", test_pool_time_averages_hand_case },
  { "stats_window_starts_at_creation", test_pool_stats_window_starts_at_creation },
  { "reentrant_grant_callback", test_pool_reentrant_grant_callback },
  { "reentrant_capacity_raise", test_pool_reentrant_capacity_raise },
  { "free_with_waiters", test_pool_free_with_waiters },
  { "prefetch_changes_nothing", test_pool_prefetch_changes_nothing },
  { "in_caller_storage_matches_timeavg", test_pool_in_caller_storage_matches_timeavg },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("pool", cases);
}
