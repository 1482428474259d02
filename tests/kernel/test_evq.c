/* Tests of the kernel's clock and event queue: ordering and its
 * tie-breaks, cancel in every state a handle can be in, cancelling from
 * inside handlers, run_until and stop, independence of two kernels, record
 * pooling, a long randomized run against a plain reference ordering, and
 * one at scale against a sorted reference. The same suite runs against the
 * plain-heap variant of the kernel (kernel/evq-heap in meson.build). */
#include "ams_test.h"
#include "event-log.h"
#include "kernel-private.h"

#include <amisim/kernel.h>
#include <amisim/rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1 unless this suite is built against the plain-heap variant (meson.build) */
#ifndef AMS_KERNEL_LADDER
#define AMS_KERNEL_LADDER 1
#endif

/* ---- helpers ----------------------------------------------------------- */

static void
on_nothing (AmsKernel *k, void *data, uint64_t arg)
{
}

static guint criticals;

/* ---- ordering ---------------------------------------------------------- */

static void
test_evq_order_by_time (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  const AmsTime at[] = { 50, 10, 30, 20, 40, 0 };
  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    ams_kernel_schedule (k, at[i], AMS_PRIORITY_DEFAULT, on_log, &l, (uint64_t) at[i]);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 6);
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), 0);
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 100), 6);
  CU_ASSERT_EQUAL (l.ids->len, 6);
  for (guint i = 0; i < l.ids->len; i++)
    {
      CU_ASSERT_EQUAL (log_id (&l, i), (uint64_t) (i * 10));
      CU_ASSERT_EQUAL (g_array_index (l.times, AmsTime, i), (AmsTime) (i * 10));
    }
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 6);
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), AMS_TIME_NEVER);
  log_clear (&l);
}

static void
test_evq_ties_priority_then_fifo (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  /* id = expected position. Same time, priorities mixed, and several
   * events per priority scheduled out of priority order. */
  struct { int prio; uint64_t id; } ev[] = {
    { 5, 6 }, { AMS_PRIORITY_MAX, 9 }, { 0, 3 }, { -7, 1 }, { 5, 7 },
    { 0, 4 }, { AMS_PRIORITY_MIN, 0 }, { 0, 5 }, { -7, 2 }, { 5, 8 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (ev); i++)
    ams_kernel_schedule (k, 1000, ev[i].prio, on_log, &l, ev[i].id);
  /* An earlier time beats any priority. */
  ams_kernel_schedule (k, 999, AMS_PRIORITY_MAX, on_log, &l, 100);
  ams_kernel_run_until (k, 1000);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, G_N_ELEMENTS (ev) + 1);
  CU_ASSERT_EQUAL (log_id (&l, 0), 100);
  for (guint i = 0; i < G_N_ELEMENTS (ev); i++)
    CU_ASSERT_EQUAL (log_id (&l, i + 1), (uint64_t) i);
  log_clear (&l);
}

static void
test_evq_schedule_in_and_saturation (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  ams_kernel_run_until (k, 500);
  AmsEventHandle h = ams_kernel_schedule_in (k, 25, 0, on_nothing, NULL, 0);
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), 525);
  CU_ASSERT_TRUE (ams_kernel_cancel (k, h));
  ams_kernel_schedule_in (k, AMS_TIME_MAX - 10, 0, on_nothing, NULL, 0);
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), AMS_TIME_MAX);
}

static void
test_evq_programming_errors (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  guint handler = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &criticals);
  criticals = 0;
  ams_kernel_run_until (k, 100);

  /* A time in the past is clamped to now, with a critical. */
  Log l;
  log_init (&l);
  ams_kernel_schedule (k, 40, 0, on_log, &l, 1);
  CU_ASSERT_EQUAL (criticals, 1);
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), 100);
  ams_kernel_schedule_in (k, -5, 0, on_log, &l, 2);
  CU_ASSERT_EQUAL (criticals, 2);
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL (l.ids->len, 2);

  /* Out-of-range priority or no handler: nothing scheduled, zero handle. */
  AmsEventHandle h = ams_kernel_schedule (k, 200, AMS_PRIORITY_MAX + 1, on_log, &l, 3);
  CU_ASSERT_PTR_NULL (h.ev);
  h = ams_kernel_schedule (k, 200, AMS_PRIORITY_MIN - 1, on_log, &l, 3);
  CU_ASSERT_PTR_NULL (h.ev);
  h = ams_kernel_schedule (k, 200, 0, NULL, &l, 3);
  CU_ASSERT_PTR_NULL (h.ev);
  CU_ASSERT_EQUAL (criticals, 5);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 0);

  g_log_remove_handler ("amisim", handler);
  log_clear (&l);
}

/* ---- cancel ------------------------------------------------------------ */

static void
test_evq_cancel_before_run (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  AmsEventHandle a = ams_kernel_schedule (k, 10, 0, on_log, &l, 1);
  AmsEventHandle b = ams_kernel_schedule (k, 20, 0, on_log, &l, 2);
  AmsEventHandle c = ams_kernel_schedule (k, 30, 0, on_log, &l, 3);
  CU_ASSERT_TRUE (ams_kernel_is_pending (k, b));
  CU_ASSERT_TRUE (ams_kernel_cancel (k, b));
  CU_ASSERT_FALSE (ams_kernel_is_pending (k, b));
  CU_ASSERT_FALSE (ams_kernel_cancel (k, b)); /* already cancelled */
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 2);
  /* Cancelling the earliest changes what comes next. */
  CU_ASSERT_TRUE (ams_kernel_cancel (k, a));
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), 30);
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 1);
  CU_ASSERT_EQUAL (log_id (&l, 0), 3);
  CU_ASSERT_FALSE (ams_kernel_is_pending (k, c));
  log_clear (&l);
}

static void
test_evq_cancel_after_run (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  AmsEventHandle a = ams_kernel_schedule (k, 10, 0, on_nothing, NULL, 0);
  CU_ASSERT_TRUE (ams_kernel_step (k));
  CU_ASSERT_FALSE (ams_kernel_is_pending (k, a));
  CU_ASSERT_FALSE (ams_kernel_cancel (k, a));
  CU_ASSERT_FALSE (ams_kernel_step (k));
}

static void
test_evq_cancel_stale_handle_after_reuse (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  AmsEventHandle a = ams_kernel_schedule (k, 10, 0, on_log, &l, 1);
  ams_kernel_run_until (k, 10);
  /* The freed record is the first one handed out again. */
  AmsEventHandle b = ams_kernel_schedule (k, 20, 0, on_log, &l, 2);
  CU_ASSERT_PTR_EQUAL (a.ev, b.ev);
  CU_ASSERT_NOT_EQUAL (a.seq, b.seq);
  CU_ASSERT_FALSE (ams_kernel_is_pending (k, a));
  CU_ASSERT_FALSE (ams_kernel_cancel (k, a));
  CU_ASSERT_TRUE (ams_kernel_is_pending (k, b));
  /* Same after a cancel instead of a run. */
  CU_ASSERT_TRUE (ams_kernel_cancel (k, b));
  AmsEventHandle c = ams_kernel_schedule (k, 30, 0, on_log, &l, 3);
  CU_ASSERT_PTR_EQUAL (b.ev, c.ev);
  CU_ASSERT_FALSE (ams_kernel_cancel (k, b));
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 2);
  CU_ASSERT_EQUAL (log_id (&l, 1), 3);
  log_clear (&l);
}

static void
test_evq_cancel_zero_handle (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  AmsEventHandle zero = { 0 };
  CU_ASSERT_FALSE (ams_kernel_cancel (k, zero));
  CU_ASSERT_FALSE (ams_kernel_is_pending (k, zero));
  ams_kernel_schedule (k, 10, 0, on_nothing, NULL, 0);
  CU_ASSERT_FALSE (ams_kernel_cancel (k, zero));
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1);
}

/* A handler that cancels the handles listed in its context. */
typedef struct
{
  Log log;
  AmsEventHandle self;
  AmsEventHandle targets[3];
  gboolean results[4];
} CancelCtx;

static void
on_cancel_others (AmsKernel *k, void *data, uint64_t arg)
{
  CancelCtx *c = data;
  on_log (k, &c->log, arg);
  CU_ASSERT_FALSE (ams_kernel_is_pending (k, c->self));
  c->results[0] = ams_kernel_cancel (k, c->self);
  for (int i = 0; i < 3; i++)
    c->results[i + 1] = ams_kernel_cancel (k, c->targets[i]);
}

static void
test_evq_cancel_from_handler (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  CancelCtx c = { 0 };
  log_init (&c.log);
  /* At time 10: an event before the canceller, the canceller, and two
   * after it at the same time; a later one at 20 is cancelled too. */
  ams_kernel_schedule (k, 10, -1, on_log, &c.log, 1);
  c.self = ams_kernel_schedule (k, 10, 0, on_cancel_others, &c, 2);
  c.targets[0] = ams_kernel_schedule (k, 10, 0, on_log, &c.log, 3);
  ams_kernel_schedule (k, 10, 0, on_log, &c.log, 4);
  c.targets[1] = ams_kernel_schedule (k, 20, 0, on_log, &c.log, 5);
  c.targets[2] = ams_kernel_schedule (k, 10, 1, on_log, &c.log, 6);
  ams_kernel_run_until (k, 100);

  CU_ASSERT_FALSE (c.results[0]); /* itself: harmless no-op */
  CU_ASSERT_TRUE (c.results[1]);
  CU_ASSERT_TRUE (c.results[2]);
  CU_ASSERT_TRUE (c.results[3]);
  CU_ASSERT_EQUAL_FATAL (c.log.ids->len, 3);
  CU_ASSERT_EQUAL (log_id (&c.log, 0), 1);
  CU_ASSERT_EQUAL (log_id (&c.log, 1), 2);
  CU_ASSERT_EQUAL (log_id (&c.log, 2), 4);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 0);
  log_clear (&c.log);
}

/* The running event's record is reused by what its handler schedules; the
 * old handle must still not cancel the new event. */
typedef struct
{
  AmsEventHandle self;
  AmsEventHandle next;
  gboolean cancelled;
} SelfCtx;

static void
on_reschedule_then_cancel_self (AmsKernel *k, void *data, uint64_t arg)
{
  SelfCtx *c = data;
  c->next = ams_kernel_schedule_in (k, 0, 0, on_nothing, NULL, 0);
  c->cancelled = ams_kernel_cancel (k, c->self);
}

static void
test_evq_cancel_running_after_reuse (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  SelfCtx c = { 0 };
  c.self = ams_kernel_schedule (k, 5, 0, on_reschedule_then_cancel_self, &c, 0);
  CU_ASSERT_TRUE (ams_kernel_step (k));
  CU_ASSERT_PTR_EQUAL (c.next.ev, c.self.ev);
  CU_ASSERT_FALSE (c.cancelled);
  CU_ASSERT_TRUE (ams_kernel_is_pending (k, c.next));
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1);
}

/* ---- run_until and stop ------------------------------------------------- */

static void
test_evq_run_until (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  /* Nothing pending: the clock still moves to `until`. */
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 50), 0);
  CU_ASSERT_EQUAL (ams_kernel_now (k), 50);

  ams_kernel_schedule (k, 60, 0, on_log, &l, 1);
  ams_kernel_schedule (k, 100, 0, on_log, &l, 2); /* exactly at until: runs */
  ams_kernel_schedule (k, 101, 0, on_log, &l, 3);
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 100), 2);
  CU_ASSERT_EQUAL (ams_kernel_now (k), 100);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1);

  /* until == now is allowed and runs what is due now. */
  ams_kernel_schedule (k, 100, 0, on_log, &l, 4);
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 100), 1);

  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 1000), 1);
  CU_ASSERT_EQUAL (ams_kernel_now (k), 1000);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 4);
  CU_ASSERT_EQUAL (log_id (&l, 3), 3);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 4);
  log_clear (&l);
}

static void
on_stop (AmsKernel *k, void *data, uint64_t arg)
{
  on_log (k, data, arg);
  ams_kernel_stop (k);
}

static void
test_evq_stop (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule (k, 10, 0, on_log, &l, 1);
  ams_kernel_schedule (k, 20, 0, on_stop, &l, 2);
  ams_kernel_schedule (k, 20, 0, on_log, &l, 3); /* same time, after the stop */
  ams_kernel_schedule (k, 30, 0, on_log, &l, 4);
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 100), 2);
  CU_ASSERT_EQUAL (ams_kernel_now (k), 20); /* stopped: the last event's time */
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 2);
  /* The stop was consumed: the next run goes on to the end. */
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 100), 2);
  CU_ASSERT_EQUAL (ams_kernel_now (k), 100);

  /* A stop asked outside any run makes the next run return at once. */
  ams_kernel_schedule (k, 150, 0, on_log, &l, 5);
  ams_kernel_stop (k);
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 200), 0);
  CU_ASSERT_EQUAL (ams_kernel_now (k), 100);
  CU_ASSERT_EQUAL (ams_kernel_run_until (k, 200), 1);
  CU_ASSERT_EQUAL (l.ids->len, 5);
  log_clear (&l);
}

/* ---- two kernels ---------------------------------------------------------- */

static void
test_evq_two_kernels_independent (void)
{
  AmsKernel *a = ams_kernel_new ();
  AmsKernel *b = ams_kernel_new ();
  Log la, lb;
  log_init (&la);
  log_init (&lb);
  AmsEventHandle ha[50], hb[50];
  for (uint64_t i = 0; i < 50; i++)
    {
      ha[i] = ams_kernel_schedule (a, (AmsTime) (100 - i), 0, on_log, &la, i);
      hb[i] = ams_kernel_schedule (b, (AmsTime) (i * 3), 0, on_log, &lb, 1000 + i);
    }
  /* A handle of one kernel means nothing to the other. */
  CU_ASSERT_FALSE (ams_kernel_is_pending (b, ha[0]));
  CU_ASSERT_FALSE (ams_kernel_cancel (b, ha[0]));
  CU_ASSERT_TRUE (ams_kernel_is_pending (a, ha[0]));
  CU_ASSERT_TRUE (ams_kernel_cancel (b, hb[49]));

  /* Interleaved stepping. */
  for (int i = 0; i < 20; i++)
    {
      CU_ASSERT_TRUE (ams_kernel_step (a));
      CU_ASSERT_TRUE (ams_kernel_step (b));
    }
  CU_ASSERT_EQUAL (ams_kernel_now (a), 70);
  CU_ASSERT_EQUAL (ams_kernel_now (b), 57);
  ams_kernel_run_until (b, 1000);
  CU_ASSERT_EQUAL (ams_kernel_pending (a), 30);
  CU_ASSERT_EQUAL (ams_kernel_now (a), 70);
  ams_kernel_free (b); /* a lives on */
  ams_kernel_run_until (a, 1000);
  CU_ASSERT_EQUAL (la.ids->len, 50);
  CU_ASSERT_EQUAL (lb.ids->len, 49);
  for (guint i = 0; i < 50; i++)
    CU_ASSERT_EQUAL (log_id (&la, i), 49 - i);
  ams_kernel_free (a);
  ams_kernel_free (NULL);
  log_clear (&la);
  log_clear (&lb);
}

/* ---- pooling -------------------------------------------------------------- */

static void
on_hold (AmsKernel *k, void *data, uint64_t arg)
{
  gsl_rng *r = data;
  ams_kernel_schedule_in (k, (AmsTime) gsl_rng_uniform_int (r, 1000), 0, on_hold, r, arg);
}

static void
test_evq_pool_reuse (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  g_autoptr (gsl_rng) r = ams_rng_new (1, 0, "test/evq/hold");
  for (uint64_t i = 0; i < 1000; i++)
    ams_kernel_schedule (k, (AmsTime) gsl_rng_uniform_int (r, 1000), 0, on_hold, r, i);
  size_t records = ams__kernel_records_allocated (k);
  CU_ASSERT_TRUE (records >= 1000);
  for (int i = 0; i < 100000; i++)
    ams_kernel_step (k);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1000);
  CU_ASSERT_EQUAL (ams__kernel_records_allocated (k), records);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 100000);
}

/* The 48-bit insertion counter is renumbered when it runs out; FIFO order
 * among equal (time, priority) must survive. */
static void
test_evq_order_counter_wrap (void)
{
  g_autoptr (AmsKernel) k = ams_kernel_new ();
  Log l;
  log_init (&l);
  for (uint64_t i = 0; i < 5; i++)
    ams_kernel_schedule (k, 10, 0, on_log, &l, i);
  ams__kernel_set_order_counter (k, AMS__KERNEL_ORDER_LIMIT - 3);
  CU_ASSERT_EQUAL (ams__kernel_order_counter (k), AMS__KERNEL_ORDER_LIMIT - 3);
  for (uint64_t i = 5; i < 10; i++)
    ams_kernel_schedule (k, 10, 0, on_log, &l, i);
  CU_ASSERT_TRUE (ams__kernel_order_counter (k) < 100);
  ams_kernel_schedule (k, 10, -1, on_log, &l, 100);
  ams_kernel_schedule (k, 5, 0, on_log, &l, 200);
  ams_kernel_run_until (k, 10);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 12);
  CU_ASSERT_EQUAL (log_id (&l, 0), 200);
  CU_ASSERT_EQUAL (log_id (&l, 1), 100);
  for (guint i = 0; i < 10; i++)
    CU_ASSERT_EQUAL (log_id (&l, i + 2), i);
  log_clear (&l);
}

/* ---- randomized, against a reference ----------------------------------- */

/* The reference keeps every scheduled event with its (time, priority,
 * insertion number) and its state; the next to run is the minimum of the
 * pending ones, found by a plain scan. Handlers schedule and cancel too. */
typedef struct
{
  AmsTime time;
  int prio;
  uint64_t ins;
  AmsEventHandle h;
  int state; /* 0 pending, 1 ran, 2 cancelled */
} RefEvent;

typedef struct
{
  AmsKernel *k;
  gsl_rng *r;
  GArray *ev;        /* RefEvent, index = id */
  uint64_t ins;
  uint64_t expected; /* id the reference says runs next */
  guint mismatches;
  guint ran, cancelled, stale_ok;
} Ref;

static void on_ref (AmsKernel *k, void *data, uint64_t arg);

static void
ref_schedule (Ref *f)
{
  static const int prios[] = { -2, 0, 0, 1, 7 };
  RefEvent e = {
    .time = ams_kernel_now (f->k) + (AmsTime) gsl_rng_uniform_int (f->r, 20),
    .prio = prios[gsl_rng_uniform_int (f->r, G_N_ELEMENTS (prios))],
    .ins = f->ins++,
  };
  e.h = ams_kernel_schedule (f->k, e.time, e.prio, on_ref, f, f->ev->len);
  g_array_append_val (f->ev, e);
}

static void
ref_cancel_random (Ref *f)
{
  guint id = (guint) gsl_rng_uniform_int (f->r, f->ev->len);
  RefEvent *e = &g_array_index (f->ev, RefEvent, id);
  gboolean ok = ams_kernel_cancel (f->k, e->h);
  if (e->state == 0)
    {
      if (!ok)
        f->mismatches++;
      e->state = 2;
      f->cancelled++;
    }
  else if (ok)
    f->mismatches++;
  else
    f->stale_ok++;
}

static gboolean
ref_next (Ref *f, guint *out)
{
  gboolean found = FALSE;
  const RefEvent *best = NULL;
  for (guint i = 0; i < f->ev->len; i++)
    {
      const RefEvent *e = &g_array_index (f->ev, RefEvent, i);
      if (e->state != 0)
        continue;
      if (best == NULL || e->time < best->time
          || (e->time == best->time
              && (e->prio < best->prio || (e->prio == best->prio && e->ins < best->ins))))
        {
          best = e;
          *out = i;
          found = TRUE;
        }
    }
  return found;
}

/* Event `arg` runs: the one the reference expects, due now and pending. */
static void
ref_ran (Ref *f, AmsKernel *k, uint64_t arg)
{
  if (arg != f->expected)
    f->mismatches++;
  RefEvent *e = &g_array_index (f->ev, RefEvent, arg);
  if (e->time != ams_kernel_now (k) || e->state != 0)
    f->mismatches++;
  e->state = 1;
  f->ran++;
}

static void
on_ref (AmsKernel *k, void *data, uint64_t arg)
{
  Ref *f = data;
  ref_ran (f, k, arg);
  /* Handlers act on the queue too: schedule (possibly at now) and cancel. */
  double u = gsl_rng_uniform (f->r);
  if (u < 0.5)
    ref_schedule (f);
  if (u > 0.7)
    ref_cancel_random (f);
}

static void
test_evq_random_against_reference (void)
{
  Ref f = { 0 };
  f.k = ams_kernel_new ();
  f.r = ams_rng_new (2024, 0, "test/evq/random");
  f.ev = g_array_new (FALSE, FALSE, sizeof (RefEvent));

  for (int op = 0; op < 6000; op++)
    {
      double u = gsl_rng_uniform (f.r);
      if (u < 0.45)
        ref_schedule (&f);
      else if (u < 0.6 && f.ev->len > 0)
        ref_cancel_random (&f);
      else
        {
          guint next;
          gboolean any = ref_next (&f, &next);
          CU_ASSERT_EQUAL (any, ams_kernel_pending (f.k) > 0);
          if (!any)
            continue;
          f.expected = next;
          /* Each step's expectation is set before it; handlers that
           * schedule at now are checked on the following step. */
          CU_ASSERT_TRUE (ams_kernel_step (f.k));
        }
      guint pending = 0;
      for (guint i = 0; i < f.ev->len; i++)
        pending += g_array_index (f.ev, RefEvent, i).state == 0;
      if (pending != ams_kernel_pending (f.k))
        f.mismatches++;
    }
  /* Drain. */
  guint next;
  while (ref_next (&f, &next))
    {
      f.expected = next;
      CU_ASSERT_TRUE_FATAL (ams_kernel_step (f.k));
    }
  CU_ASSERT_EQUAL (f.mismatches, 0);
  CU_ASSERT_EQUAL (ams_kernel_pending (f.k), 0);
  CU_ASSERT_TRUE (f.ran > 1000);
  CU_ASSERT_TRUE (f.cancelled > 300);
  CU_ASSERT_TRUE (f.stale_ok > 100);
  g_array_free (f.ev, TRUE);
  gsl_rng_free (f.r);
  ams_kernel_free (f.k);
}

/* Handlers that act several times each, with the ladder in use (3,000
 * pending, spread over 5,000 ticks, beyond the bottom heap's 1,024): the
 * running event's place at the root is a hole until its handler's first
 * push to the bottom heap fills it (kernel.c, hole_fill), so a handler
 * here schedules near (into the bottom) and far (onto the ladder, leaving
 * the hole open), cancels any event or the one it has just scheduled (its
 * record most likely the running event's, just released), and asks for
 * the next event's time, in any order; each against the reference. */
typedef struct
{
  Ref ref;
  gboolean quiet; /* the handlers only run */
  guint next_checks, own_cancels;
} RefBusy;

static void
ref_schedule_at (Ref *f, AmsTime at, AmsEventFn fn, void *data)
{
  static const int prios[] = { -2, 0, 0, 1, 7 };
  RefEvent e = {
    .time = at,
    .prio = prios[gsl_rng_uniform_int (f->r, G_N_ELEMENTS (prios))],
    .ins = f->ins++,
  };
  e.h = ams_kernel_schedule (f->k, e.time, e.prio, fn, data, f->ev->len);
  g_array_append_val (f->ev, e);
}

static void
on_busy (AmsKernel *k, void *data, uint64_t arg)
{
  RefBusy *b = data;
  Ref *f = &b->ref;
  ref_ran (f, k, arg);
  guint acts = b->quiet ? 0 : (guint) gsl_rng_uniform_int (f->r, 5);
  for (guint a = 0; a < acts; a++)
    {
      double u = gsl_rng_uniform (f->r);
      AmsTime now = ams_kernel_now (k);
      if (u < 0.3)
        ref_schedule_at (f, now + (AmsTime) gsl_rng_uniform_int (f->r, 8), on_busy, b);
      else if (u < 0.55)
        ref_schedule_at (f, now + (AmsTime) gsl_rng_uniform_int (f->r, 5000), on_busy, b);
      else if (u < 0.7)
        ref_cancel_random (f);
      else if (u < 0.85)
        {
          /* the event this handler scheduled last, if it did */
          RefEvent *last = &g_array_index (f->ev, RefEvent, f->ev->len - 1);
          if (last->state == 0 && last->ins + 1 == f->ins && last->time >= now)
            {
              if (!ams_kernel_cancel (k, last->h))
                f->mismatches++;
              last->state = 2;
              b->own_cancels++;
            }
        }
      else
        {
          guint next;
          AmsTime want = ref_next (f, &next) ? g_array_index (f->ev, RefEvent, next).time
                                             : AMS_TIME_NEVER;
          if (ams_kernel_next_time (k) != want)
            f->mismatches++;
          b->next_checks++;
        }
    }
}

static void
test_evq_busy_handlers_against_reference (void)
{
  RefBusy b = { 0 };
  Ref *f = &b.ref;
  f->k = ams_kernel_new ();
  f->r = ams_rng_new (2026, 0, "test/evq/busy");
  f->ev = g_array_new (FALSE, FALSE, sizeof (RefEvent));
  for (int i = 0; i < 3000; i++)
    ref_schedule_at (f, (AmsTime) gsl_rng_uniform_int (f->r, 5000), on_busy, &b);
  guint next;
  for (int step = 0; step < 12000 && ref_next (f, &next); step++)
    {
      f->expected = next;
      CU_ASSERT_TRUE_FATAL (ams_kernel_step (f->k));
      if (step % 97 == 0)
        {
          guint pending = 0;
          for (guint i = 0; i < f->ev->len; i++)
            pending += g_array_index (f->ev, RefEvent, i).state == 0;
          if (pending != ams_kernel_pending (f->k))
            f->mismatches++;
        }
    }
  /* Drain, the handlers now doing nothing more (the reference's scan is
   * quadratic). */
  while (ref_next (f, &next))
    {
      f->expected = next;
      b.quiet = TRUE;
      CU_ASSERT_TRUE_FATAL (ams_kernel_step (f->k));
    }
  CU_ASSERT_EQUAL (f->mismatches, 0);
  CU_ASSERT_EQUAL (ams_kernel_pending (f->k), 0);
  CU_ASSERT_TRUE (f->ran > 12000);
  CU_ASSERT_TRUE (f->cancelled > 500);
  CU_ASSERT_TRUE (b.own_cancels > 1500);
  CU_ASSERT_TRUE (b.next_checks > 2500);
  g_array_free (f->ev, TRUE);
  gsl_rng_free (f->r);
  ams_kernel_free (f->k);
}

static void
test_evq_free_with_pending (void)
{
  /* Pending events are released with the kernel (LSan checks). */
  AmsKernel *k = ams_kernel_new ();
  for (int i = 0; i < 5000; i++)
    ams_kernel_schedule (k, i % 97, i % 3, on_nothing, NULL, 0);
  ams_kernel_free (k);
}

/* The tick: called after every `every` events, by run_until and step
 * alike, between events (the clock reads the last event's time); none once
 * unset. */
typedef struct
{
  guint calls;
  uint64_t events[4];
  AmsTime now[4];
} Ticks;

static void
on_tick (AmsKernel *k, void *user)
{
  Ticks *t = user;
  if (t->calls < G_N_ELEMENTS (t->events))
    {
      t->events[t->calls] = ams_kernel_events_run (k);
      t->now[t->calls] = ams_kernel_now (k);
    }
  t->calls++;
}

static void
test_evq_tick (void)
{
  AmsKernel *k = ams_kernel_new ();
  Ticks t = { 0 };
  for (AmsTime i = 1; i <= 10; i++)
    ams_kernel_schedule (k, i * 10, AMS_PRIORITY_DEFAULT, on_nothing, NULL, 0);
  ams_kernel_set_tick (k, 3, on_tick, &t);
  ams_kernel_run_until (k, 55); /* 5 events: one tick, after the third */
  CU_ASSERT_EQUAL (t.calls, 1);
  CU_ASSERT_EQUAL (t.events[0], 3);
  CU_ASSERT_EQUAL (t.now[0], 30);
  while (ams_kernel_step (k)) /* 5 more: ticks after the sixth and the ninth */
    ;
  CU_ASSERT_EQUAL (t.calls, 3);
  CU_ASSERT_EQUAL (t.events[1], 6);
  CU_ASSERT_EQUAL (t.events[2], 9);
  CU_ASSERT_EQUAL (t.now[2], 90);
  ams_kernel_set_tick (k, 0, NULL, NULL);
  for (AmsTime i = 1; i <= 5; i++)
    ams_kernel_schedule (k, 100 + i, AMS_PRIORITY_DEFAULT, on_nothing, NULL, 0);
  ams_kernel_run_until (k, 200);
  CU_ASSERT_EQUAL (t.calls, 3);
  ams_kernel_free (k);
}

/* ---- at scale, against a sorted reference ------------------------------ */

/* Tens of thousands pending, times from zero-delay ties to far-future
 * outliers (AMS_TIME_MAX included), priorities, cancels from outside and
 * from handlers, a burst and a drain, and an order-counter renumbering in
 * the middle. The reference is a GSequence sorted by (time, priority,
 * insertion number): each event run must be its first element. This is
 * what exercises the ladder queue's rungs. */
typedef struct
{
  AmsTime time;
  int prio;
  uint64_t ins;
  AmsEventHandle h;
  GSequenceIter *it; /* NULL once run or cancelled */
} BigEvent;

typedef struct
{
  AmsKernel *k;
  gsl_rng *r;
  GPtrArray *ev; /* BigEvent *, index = id */
  GSequence *ref;
  uint64_t ins;
  guint mismatches, ran, cancelled;
  gboolean burst; /* handlers schedule more than they run */
} Big;

static gint
big_cmp (gconstpointer a, gconstpointer b, gpointer user)
{
  const BigEvent *x = a, *y = b;
  if (x->time != y->time)
    return x->time < y->time ? -1 : 1;
  if (x->prio != y->prio)
    return x->prio < y->prio ? -1 : 1;
  return x->ins < y->ins ? -1 : x->ins > y->ins;
}

static void on_big (AmsKernel *k, void *data, uint64_t arg);

static AmsTime
big_delay (Big *b)
{
  double u = gsl_rng_uniform (b->r);
  if (u < 0.10)
    return 0;
  if (u < 0.20)
    return (AmsTime) gsl_rng_uniform_int (b->r, 8);
  if (u < 0.55)
    return (AmsTime) gsl_rng_uniform_int (b->r, 5000);
  if (u < 0.90)
    return (AmsTime) (-2.0e5 * log1p (-gsl_rng_uniform (b->r))); /* exponential */
  if (u < 0.999)
    return (AmsTime) gsl_rng_uniform_int (b->r, 1000000000);
  return AMS_TIME_MAX; /* saturates */
}

static void
big_schedule (Big *b)
{
  static const int prios[] = { -3, 0, 0, 0, 2 };
  BigEvent *e = g_new0 (BigEvent, 1);
  AmsTime d = big_delay (b);
  AmsTime now = ams_kernel_now (b->k);
  e->time = d > AMS_TIME_MAX - now ? AMS_TIME_MAX : now + d;
  e->prio = prios[gsl_rng_uniform_int (b->r, G_N_ELEMENTS (prios))];
  e->ins = b->ins++;
  e->h = ams_kernel_schedule (b->k, e->time, e->prio, on_big, b, b->ev->len);
  e->it = g_sequence_insert_sorted (b->ref, e, big_cmp, NULL);
  g_ptr_array_add (b->ev, e);
}

static void
big_cancel_random (Big *b)
{
  BigEvent *e = g_ptr_array_index (b->ev, gsl_rng_uniform_int (b->r, b->ev->len));
  gboolean ok = ams_kernel_cancel (b->k, e->h);
  if (ok != (e->it != NULL))
    b->mismatches++;
  if (e->it != NULL)
    {
      g_sequence_remove (e->it);
      e->it = NULL;
      b->cancelled++;
    }
}

static void
on_big (AmsKernel *k, void *data, uint64_t arg)
{
  Big *b = data;
  BigEvent *e = g_ptr_array_index (b->ev, arg);
  GSequenceIter *first = g_sequence_get_begin_iter (b->ref);
  if (e->it == NULL || e->it != first || e->time != ams_kernel_now (k))
    b->mismatches++;
  if (e->it != NULL)
    {
      g_sequence_remove (e->it);
      e->it = NULL;
    }
  b->ran++;
  double u = gsl_rng_uniform (b->r);
  if (u < (b->burst ? 0.75 : 0.7))
    big_schedule (b);
  if (b->burst && u < 0.25)
    big_schedule (b);
  if (u > 0.85)
    big_cancel_random (b);
}

static void
big_check_pending (Big *b)
{
  if ((size_t) g_sequence_get_length (b->ref) != ams_kernel_pending (b->k))
    b->mismatches++;
  AmsTime next = AMS_TIME_NEVER;
  if (g_sequence_get_length (b->ref) > 0)
    next = ((BigEvent *) g_sequence_get (g_sequence_get_begin_iter (b->ref)))->time;
  if (next != ams_kernel_next_time (b->k))
    b->mismatches++;
}

static void
test_evq_big_against_reference (void)
{
  Big b = { 0 };
  b.k = ams_kernel_new ();
  b.r = ams_rng_new (16, 4, "test/evq/big");
  b.ev = g_ptr_array_new_with_free_func (g_free);
  b.ref = g_sequence_new (NULL);

  for (int i = 0; i < 30000; i++)
    big_schedule (&b);
  for (int i = 0; i < 3000; i++)
    big_cancel_random (&b);
  big_check_pending (&b);
  for (int phase = 0; phase < 4; phase++)
    {
      b.burst = phase == 1;
      for (int i = 0; i < 40000 && ams_kernel_step (b.k); i++)
        if (i % 1000 == 0)
          {
            big_check_pending (&b);
            for (int j = 0; j < 50; j++)
              big_cancel_random (&b);
            big_check_pending (&b);
          }
      if (phase == 2)
        ams__kernel_set_order_counter (b.k, AMS__KERNEL_ORDER_LIMIT - 1000);
    }
  /* Drain (past the far outliers). */
  while (ams_kernel_step (b.k))
    ;
  big_check_pending (&b);
  if (g_getenv ("AMS_TEST_VERBOSE") != NULL)
    g_printerr ("big: ran %u cancelled %u mismatches %u\n", b.ran, b.cancelled, b.mismatches);
  CU_ASSERT_EQUAL (b.mismatches, 0);
  CU_ASSERT_EQUAL (g_sequence_get_length (b.ref), 0);
  CU_ASSERT_EQUAL (ams_kernel_pending (b.k), 0);
  CU_ASSERT_TRUE (b.ran > 100000);
  CU_ASSERT_TRUE (b.cancelled > 5000);
  CU_ASSERT_EQUAL (b.ran + b.cancelled, b.ev->len);

  /* Empty again: it works as new. */
  ams_kernel_schedule (b.k, ams_kernel_now (b.k), 0, on_nothing, NULL, 0);
  CU_ASSERT_EQUAL (ams_kernel_pending (b.k), 1);
  CU_ASSERT_TRUE (ams_kernel_step (b.k));

  g_sequence_free (b.ref);
  g_ptr_array_free (b.ev, TRUE);
  gsl_rng_free (b.r);
  ams_kernel_free (b.k);
}

/* A spread puts a bucket's entries in a slice of its rung's block; events
 * scheduled later into that bucket move them to an array of their own.
 * Many pending events (spread onto rungs), then as many again scheduled
 * into the rungs' range, each time between two already there, then more
 * far beyond: every event runs once, at its time, in time order and first
 * scheduled first. */
typedef struct
{
  AmsTime at;
  guint runs;
} SliceRec;

static struct
{
  AmsTime last_at;
  guint last_i, bad;
} slice_seen;

static void
on_slice_event (AmsKernel *k, void *data, uint64_t arg)
{
  SliceRec *r = data;
  guint i = (guint) arg;
  if (r->at != ams_kernel_now (k) || r->at < slice_seen.last_at
      || (r->at == slice_seen.last_at && i < slice_seen.last_i))
    slice_seen.bad++;
  slice_seen.last_at = r->at;
  slice_seen.last_i = i;
  r->runs++;
}

static void
test_evq_schedule_into_spread_buckets (void)
{
  enum { N = 20000, BIG = 150000 };
  AmsKernel *k = ams_kernel_new ();
  gsl_rng *r = ams_rng_new (3, 0, "test/evq/slices");
  SliceRec *rec = g_new0 (SliceRec, 2 * N + BIG);
  slice_seen.last_at = 0;
  slice_seen.last_i = 0;
  slice_seen.bad = 0;
  /* indices grow with the order of scheduling, so that ties run in index order */
  for (guint i = 0; i < N; i++)
    {
      rec[i].at = 1000 * (AmsTime) gsl_rng_uniform_int (r, 10000);
      ams_kernel_schedule (k, rec[i].at, 0, on_slice_event, &rec[i], i);
    }
  for (guint i = 0; i < 100; i++)
    ams_kernel_step (k);
  AmsTime now = ams_kernel_now (k);
  for (guint i = N; i < 2 * N; i++)
    {
      /* in the buckets already spread: the same times (ties) or between them */
      rec[i].at = now + 500 * (AmsTime) gsl_rng_uniform_int (r, 20000);
      ams_kernel_schedule (k, rec[i].at, 0, on_slice_event, &rec[i], i);
    }
  /* and far beyond them, more than a rung keeps its block for (the top,
   * spread once the rungs below are done, then given back) */
  AmsTime far = rec[0].at;
  for (guint i = 0; i < 2 * N; i++)
    far = MAX (far, rec[i].at);
  for (guint i = 2 * N; i < 2 * N + BIG; i++)
    {
      rec[i].at = far + 1 + (AmsTime) gsl_rng_uniform_int (r, 100000000);
      ams_kernel_schedule (k, rec[i].at, 0, on_slice_event, &rec[i], i);
    }
  while (ams_kernel_step (k))
    ;
  guint wrong = 0;
  for (guint i = 0; i < 2 * N + BIG; i++)
    wrong += rec[i].runs != 1;
  CU_ASSERT_EQUAL (wrong, 0);
  CU_ASSERT_EQUAL (slice_seen.bad, 0);
  g_free (rec);
  gsl_rng_free (r);
  ams_kernel_free (k);
}

/* The warm-up (ams_kernel_set_warm) reads ahead and changes nothing: the
 * same schedule, with cancellations, runs in the same order with and
 * without it; it is called only for events still pending and not
 * cancelled, with `ahead` below its number of stages, and (ladder) at every
 * stage while the pending set is spread over rungs. */
typedef struct
{
  AmsTime at;
  gboolean cancelled, ran;
  AmsEventHandle h;
} WarmRec;

static struct
{
  guint calls[4], bad;
  GArray *order;
} warm_seen;

static void
on_warm_event (AmsKernel *k, void *data, uint64_t arg)
{
  WarmRec *r = data;
  if (r->cancelled || r->ran || r->at != ams_kernel_now (k))
    warm_seen.bad++;
  r->ran = TRUE;
  guint i = (guint) arg;
  g_array_append_val (warm_seen.order, i);
}

static void
warm_check (AmsEventFn fn, void *data, unsigned ahead)
{
  const WarmRec *r = data;
  if (fn != on_warm_event || r->cancelled || r->ran || ahead >= 3)
    warm_seen.bad++;
  else
    warm_seen.calls[ahead]++;
}

static GArray *
warm_run (gboolean warm)
{
  enum { N = 40000 };
  AmsKernel *k = ams_kernel_new ();
  if (warm)
    ams_kernel_set_warm (k, warm_check, 3);
  gsl_rng *r = ams_rng_new (7, 0, "test/evq/warm");
  WarmRec *rec = g_new0 (WarmRec, N);
  warm_seen.order = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < N; i++)
    {
      rec[i].at = (AmsTime) gsl_rng_uniform_int (r, 1000000000);
      rec[i].h = ams_kernel_schedule (k, rec[i].at, 0, on_warm_event, &rec[i], i);
    }
  for (guint i = 0; i < N / 10; i++)
    {
      WarmRec *c = &rec[gsl_rng_uniform_int (r, N)];
      if (ams_kernel_cancel (k, c->h))
        c->cancelled = TRUE;
    }
  while (ams_kernel_step (k))
    ;
  for (guint i = 0; i < N; i++)
    if (rec[i].ran == rec[i].cancelled)
      warm_seen.bad++;
  g_free (rec);
  gsl_rng_free (r);
  ams_kernel_free (k);
  return warm_seen.order;
}

static void
test_evq_warm (void)
{
  GArray *plain = warm_run (FALSE);
  memset (warm_seen.calls, 0, sizeof warm_seen.calls);
  CU_ASSERT_EQUAL (warm_seen.bad, 0);
  GArray *warmed = warm_run (TRUE);
  CU_ASSERT_EQUAL (warm_seen.bad, 0);
  CU_ASSERT_EQUAL (plain->len, warmed->len);
  CU_ASSERT_TRUE (plain->len > 30000);
  CU_ASSERT_EQUAL (memcmp (plain->data, warmed->data, plain->len * sizeof (guint)), 0);
#if AMS_KERNEL_LADDER
  for (int a = 0; a < 3; a++)
    CU_ASSERT_TRUE (warm_seen.calls[a] > 1000);
#else
  for (int a = 0; a < 3; a++)
    CU_ASSERT_EQUAL (warm_seen.calls[a], 0); /* the plain heap reads nothing ahead */
#endif
  g_array_unref (plain);
  g_array_unref (warmed);
}

static const AmsTestCase cases[] = {
  { "order_by_time", test_evq_order_by_time },
  { "ties_priority_then_fifo", test_evq_ties_priority_then_fifo },
  { "schedule_in_and_saturation", test_evq_schedule_in_and_saturation },
  { "programming_errors", test_evq_programming_errors },
  { "cancel_before_run", test_evq_cancel_before_run },
  { "cancel_after_run", test_evq_cancel_after_run },
  { "cancel_stale_handle_after_reuse", test_evq_cancel_stale_handle_after_reuse },
  { "cancel_zero_handle", test_evq_cancel_zero_handle },
  { "cancel_from_handler", test_evq_cancel_from_handler },
  { "cancel_running_after_reuse", test_evq_cancel_running_after_reuse },
  { "run_until", test_evq_run_until },
  { "stop", test_evq_stop },
  { "two_kernels_independent", test_evq_two_kernels_independent },
  { "pool_reuse", test_evq_pool_reuse },
  { "order_counter_wrap", test_evq_order_counter_wrap },
  { "random_against_reference", test_evq_random_against_reference },
  { "busy_handlers_against_reference", test_evq_busy_handlers_against_reference },
  { "free_with_pending", test_evq_free_with_pending },
  { "tick", test_evq_tick },
  { "big_against_reference", test_evq_big_against_reference },
  { "warm", test_evq_warm },
  { "schedule_into_spread_buckets", test_evq_schedule_into_spread_buckets },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("evq", cases);
}
