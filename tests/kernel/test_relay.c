/* Tests of the kernel's relays (ams_kernel_schedule_relay): the second
 * step runs exactly where it would had a first event run and scheduled
 * it, including among ties; the first step runs only where that order
 * needs it, and otherwise costs no event. Checked case by case, then by
 * long randomized runs (ties on a small grid of times, priorities,
 * cancels, pushes between run_until calls, a renumbering, a ladder spread
 * over thousands of pending events) against the same worlds with every
 * relay written as two plain events. The same suite runs against the
 * plain-heap variant of the kernel (kernel/relay-heap in meson.build). */
#include "ams_test.h"
#include "event-log.h"
#include "kernel-private.h"

#include <amisim/kernel.h>
#include <amisim/rng.h>
#include <string.h>

/* ---- case by case ------------------------------------------------------ */

/* Nothing else at the second step's time: one event, at delay + then. */
static void
test_relay_alone_is_one_event (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 5, 0, on_log, &l, 1);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1);
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 1);
  CU_ASSERT_EQUAL (log_time (&l, 0), 15);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 1);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 0);
  log_clear (&l);
  ams_kernel_free (k);
}

/* An event pushed before the first step's time, at the second step's time
 * and priority, runs first (the second step would be scheduled after it):
 * the first step runs as an event of its own. */
static void
test_relay_overtaken_runs_first_step (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 5, 0, on_log, &l, 1);
  ams_kernel_schedule (k, 15, 0, on_log, &l, 2);
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 2);
  CU_ASSERT_EQUAL (log_id (&l, 0), 2);
  CU_ASSERT_EQUAL (log_id (&l, 1), 1);
  CU_ASSERT_EQUAL (log_time (&l, 1), 15);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 3);
  log_clear (&l);
  ams_kernel_free (k);
}

static void
on_schedule_at_15 (AmsKernel *k, void *data, uint64_t arg)
{
  ams_kernel_schedule (k, 15, 0, on_log, data, arg);
}

/* Pushed after the first step's (virtual) run, the same event runs after
 * the second step, and nothing extra runs; pushed at the first step's
 * time but by an event that runs before it (priority -1), it overtakes. */
static void
test_relay_not_overtaken_after_first_step (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 5, 0, on_log, &l, 1);
  ams_kernel_schedule (k, 12, 0, on_schedule_at_15, &l, 2);
  ams_kernel_schedule (k, 10, 1, on_schedule_at_15, &l, 3); /* after the first step */
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 3);
  CU_ASSERT_EQUAL (log_id (&l, 0), 1);
  CU_ASSERT_EQUAL (log_id (&l, 1), 3);
  CU_ASSERT_EQUAL (log_id (&l, 2), 2);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 5); /* two schedulers, three logs */
  log_clear (&l);
  ams_kernel_free (k);

  k = ams_kernel_new ();
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 5, 0, on_log, &l, 1);
  ams_kernel_schedule (k, 10, -1, on_schedule_at_15, &l, 2); /* before the first step */
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 2);
  CU_ASSERT_EQUAL (log_id (&l, 0), 2);
  CU_ASSERT_EQUAL (log_id (&l, 1), 1);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 4);
  log_clear (&l);
  ams_kernel_free (k);
}

/* Two relays whose second steps tie run in the order of their first
 * steps' runs, not of the calls. */
static void
test_relay_two_relays_tie_by_first_steps (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 5, 0, on_log, &l, 1); /* first step at 10 */
  ams_kernel_schedule_relay (k, 5, 0, 10, 0, on_log, &l, 2);  /* first step at 5  */
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 2);
  CU_ASSERT_EQUAL (log_id (&l, 0), 2);
  CU_ASSERT_EQUAL (log_id (&l, 1), 1);
  log_clear (&l);
  ams_kernel_free (k);
}

typedef struct
{
  Log *l;
  AmsTime at;
  uint64_t id;
} Then;

/* Logs itself, then schedules `id` at `at`. */
static void
on_log_then (AmsKernel *k, void *data, uint64_t arg)
{
  Then *t = data;
  on_log (k, t->l, arg);
  ams_kernel_schedule (k, t->at, 0, on_log, t->l, t->id);
}

typedef struct
{
  Log *l;
} Maker;

/* At 5, a relay whose first step is at 20, the time of the other relay's
 * second step, and whose second step is at 25. */
static void
on_make_relay (AmsKernel *k, void *data, uint64_t arg)
{
  Maker *m = data;
  ams_kernel_schedule_relay (k, 15, 0, 5, 0, on_log, m->l, 2);
}

/* One relay's second step (20) has the time and priority of another's
 * first step, made after the first relay and before its first step ran
 * (10): the second relay's first step runs before the first relay's
 * second step, so its second step (25) comes before what that one
 * schedules for 25. */
static void
test_relay_second_step_ties_another_first_step (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  Then then = { &l, 25, 3 };
  Maker maker = { &l };
  ams_kernel_schedule_relay (k, 10, 0, 10, 0, on_log_then, &then, 1);
  ams_kernel_schedule (k, 5, 0, on_make_relay, &maker, 0);
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 3);
  CU_ASSERT_EQUAL (log_id (&l, 0), 1);
  CU_ASSERT_EQUAL (log_time (&l, 0), 20);
  CU_ASSERT_EQUAL (log_id (&l, 1), 2);
  CU_ASSERT_EQUAL (log_id (&l, 2), 3);
  log_clear (&l);
  ams_kernel_free (k);
}

/* Priorities: the second step's priority counts at its time, the first
 * step's at its own; a push outside any run, after run_until reached the
 * first step's time, comes after its run. */
static void
test_relay_priorities_and_outside_pushes (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 5, 1, on_log, &l, 1);
  ams_kernel_schedule (k, 15, 0, on_log, &l, 2); /* lower priority number: first anyway */
  ams_kernel_schedule (k, 15, 2, on_log, &l, 3);
  ams_kernel_run_until (k, 10);
  ams_kernel_schedule (k, 15, 1, on_log, &l, 4); /* after the first step ran */
  ams_kernel_run_until (k, 100);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 4);
  CU_ASSERT_EQUAL (log_id (&l, 0), 2);
  CU_ASSERT_EQUAL (log_id (&l, 1), 1);
  CU_ASSERT_EQUAL (log_id (&l, 2), 4);
  CU_ASSERT_EQUAL (log_id (&l, 3), 3);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 4);
  log_clear (&l);
  ams_kernel_free (k);
}

/* Where pushes swamp a pending relay (thousands pushed before its second
 * step), merging stops: the next relays are two events each, until as
 * many of them as the debt allows have been; then relays merge again.
 * The order is the same either way. */
static void
test_relay_merging_stops_where_pushes_swamp_it (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule_relay (k, 10, 0, 1000000, 0, on_log, &l, 0);
  for (uint64_t i = 0; i < 5000; i++)
    ams_kernel_schedule (k, 100 + (AmsTime) i, 0, on_log, &l, 1);
  ams_kernel_run_until (k, 2000000);
  CU_ASSERT_EQUAL (l.ids->len, 5001);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k), 5001); /* that one merged */

  uint64_t before = ams_kernel_events_run (k);
  for (guint i = 0; i < 100; i++)
    ams_kernel_schedule_relay (k, 10 + i, 0, 5, 0, on_log, &l, 2);
  ams_kernel_run_until (k, 3000000);
  CU_ASSERT_EQUAL (l.ids->len, 5101);
  CU_ASSERT_EQUAL (ams_kernel_events_run (k) - before, 200); /* none merged */

  before = ams_kernel_events_run (k);
  for (guint i = 0; i < 1000; i++)
    ams_kernel_schedule_relay (k, 10 + i, 0, 5, 0, on_log, &l, 3);
  ams_kernel_run_until (k, 4000000);
  CU_ASSERT_EQUAL (l.ids->len, 6101);
  uint64_t first_steps = ams_kernel_events_run (k) - before - 1000;
  CU_ASSERT_TRUE (first_steps >= 900 && first_steps < 1000); /* merging again */
  for (guint i = 1; i < l.times->len; i++)
    CU_ASSERT_TRUE_FATAL (log_time (&l, i - 1) <= log_time (&l, i));
  log_clear (&l);
  ams_kernel_free (k);
}

/* Zero delays, saturation, and the programming errors. */
static void
test_relay_edges (void)
{
  AmsKernel *k = ams_kernel_new ();
  Log l;
  log_init (&l);
  ams_kernel_schedule (k, 0, 0, on_log, &l, 1);
  ams_kernel_schedule_relay (k, 0, 0, 0, 0, on_log, &l, 2);
  ams_kernel_schedule (k, 0, 0, on_log, &l, 3); /* before the first step's run */
  ams_kernel_schedule_relay (k, AMS_TIME_MAX, 0, 7, 0, on_log, &l, 4);
  ams_kernel_run_until (k, 1000);
  CU_ASSERT_EQUAL_FATAL (l.ids->len, 3);
  CU_ASSERT_EQUAL (log_id (&l, 0), 1);
  CU_ASSERT_EQUAL (log_id (&l, 1), 3);
  CU_ASSERT_EQUAL (log_id (&l, 2), 2);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1); /* at AMS_TIME_MAX */
  CU_ASSERT_EQUAL (ams_kernel_next_time (k), AMS_TIME_MAX);

  guint criticals = 0;
  guint handler = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log,
                                     &criticals);
  ams_kernel_schedule_relay (k, -1, 0, 5, 0, on_log, &l, 5);
  ams_kernel_schedule_relay (k, 1, 0, -5, 0, on_log, &l, 6);
  ams_kernel_schedule_relay (k, 1, AMS_PRIORITY_MAX + 1, 5, 0, on_log, &l, 7);
  ams_kernel_schedule_relay (k, 1, 0, 5, AMS_PRIORITY_MIN - 1, on_log, &l, 8);
  ams_kernel_schedule_relay (k, 1, 0, 5, 0, NULL, &l, 9);
  g_log_remove_handler ("amisim", handler);
  CU_ASSERT_EQUAL (criticals, 5);
  CU_ASSERT_EQUAL (ams_kernel_pending (k), 1);
  log_clear (&l);
  ams_kernel_free (k);
}

/* ---- randomized, against relays written as two events ------------------ */

/* A world whose handlers, from their own stream, log themselves and
 * schedule events, relays and cancels. With `merged` FALSE each relay is
 * an event at now + delay that schedules the second step (what the kernel
 * must be indistinguishable from); its runs are not logged. */
typedef struct
{
  AmsKernel *k;
  gsl_rng *r;
  gboolean merged;
  Log log;
  uint64_t next_id;
  GArray *handles;   /* AmsEventHandle of plain events, for cancels */
  AmsTime spread;    /* delays drawn from [0, spread) some of the time */
  double grid;       /* the chance of a delay of 0 to 3 instead */
  guint budget;      /* events still to schedule */
  guint relays;
} World;

typedef struct
{
  World *w;
  AmsTime then;
  int priority2;
  uint64_t id;
} Pending;

static void on_world (AmsKernel *k, void *data, uint64_t arg);

static AmsTime
draw_delay (World *w)
{
  if (gsl_rng_uniform (w->r) >= w->grid)
    return (AmsTime) gsl_rng_uniform_int (w->r, (unsigned long) w->spread);
  return (AmsTime) gsl_rng_uniform_int (w->r, 4);
}

static int
draw_priority (World *w)
{
  static const int prios[] = { -1, 0, 0, 0, 1 };
  return prios[gsl_rng_uniform_int (w->r, G_N_ELEMENTS (prios))];
}

static void
on_first_step (AmsKernel *k, void *data, uint64_t arg)
{
  Pending *p = data;
  ams_kernel_schedule_in (k, p->then, p->priority2, on_world, p->w, p->id);
  g_free (p);
}

static void
world_act (World *w)
{
  guint n = (guint) gsl_rng_uniform_int (w->r, 3);
  for (guint i = 0; i < n && w->budget > 0; i++, w->budget--)
    {
      AmsTime d = draw_delay (w);
      int prio = draw_priority (w);
      uint64_t id = w->next_id++;
      if (gsl_rng_uniform (w->r) < 0.5)
        {
          AmsTime then = draw_delay (w);
          int prio2 = draw_priority (w);
          w->relays++;
          if (w->merged)
            ams_kernel_schedule_relay (w->k, d, prio, then, prio2, on_world, w, id);
          else
            {
              Pending *p = g_new (Pending, 1);
              *p = (Pending) { w, then, prio2, id };
              ams_kernel_schedule_in (w->k, d, prio, on_first_step, p, 0);
            }
        }
      else
        {
          AmsEventHandle h = ams_kernel_schedule_in (w->k, d, prio, on_world, w, id);
          g_array_append_val (w->handles, h);
        }
    }
  if (w->handles->len > 0 && gsl_rng_uniform (w->r) < 0.15)
    {
      guint i = (guint) gsl_rng_uniform_int (w->r, w->handles->len);
      ams_kernel_cancel (w->k, g_array_index (w->handles, AmsEventHandle, i));
      g_array_remove_index_fast (w->handles, i);
    }
}

static void
on_world (AmsKernel *k, void *data, uint64_t arg)
{
  World *w = data;
  on_log (k, &w->log, arg);
  world_act (w);
}

/* Runs a world of `events` events: `seeds` started at 0, then run_until
 * in steps of `step`, each followed by a few pushes from outside. */
static void
world_run (World *w, gboolean merged, AmsTime spread, double grid, guint events, guint seeds,
           AmsTime step, gboolean near_renumber)
{
  *w = (World) { 0 };
  w->k = ams_kernel_new ();
  w->r = ams_rng_new (7, 0, "test/relay/world");
  w->merged = merged;
  log_init (&w->log);
  w->handles = g_array_new (FALSE, FALSE, sizeof (AmsEventHandle));
  w->spread = spread;
  w->grid = grid;
  w->budget = events;
  if (near_renumber)
    ams__kernel_set_order_counter (w->k, AMS__KERNEL_ORDER_LIMIT - events / 2);
  for (guint i = 0; i < seeds; i++)
    world_act (w);
  for (AmsTime until = step; ams_kernel_pending (w->k) > 0; until += step)
    {
      ams_kernel_run_until (w->k, until);
      world_act (w);
    }
}

static void
world_free (World *w)
{
  log_clear (&w->log);
  g_array_free (w->handles, TRUE);
  gsl_rng_free (w->r);
  ams_kernel_free (w->k);
}

/* Runs the world with relays and with two events each; the logs must be
 * the same. Returns the share of relays whose first step ran. */
static double
check_worlds (AmsTime spread, double grid, guint events, guint seeds, AmsTime step,
              gboolean near_renumber)
{
  World a, b;
  world_run (&a, TRUE, spread, grid, events, seeds, step, near_renumber);
  world_run (&b, FALSE, spread, grid, events, seeds, step, near_renumber);
  CU_ASSERT_TRUE (b.log.ids->len > events / 2);
  CU_ASSERT_EQUAL_FATAL (a.log.ids->len, b.log.ids->len);
  CU_ASSERT_EQUAL (memcmp (a.log.ids->data, b.log.ids->data,
                           a.log.ids->len * sizeof (uint64_t)), 0);
  CU_ASSERT_EQUAL (memcmp (a.log.times->data, b.log.times->data, a.log.times->len * sizeof (AmsTime)),
                   0);
  CU_ASSERT_EQUAL (a.relays, b.relays);
  CU_ASSERT_TRUE (a.relays > events / 3);
  uint64_t first_steps = ams_kernel_events_run (a.k) - a.log.ids->len;
  CU_ASSERT_EQUAL (ams_kernel_events_run (b.k) - b.log.ids->len, b.relays);
  double share = (double) first_steps / a.relays;
  world_free (&a);
  world_free (&b);
  return share;
}

/* Ties everywhere (delays of 0 to 3, now and then up to 50; three
 * priorities): most relays need their first step, some do not. */
static void
test_relay_random_ties_against_two_events (void)
{
  double share = check_worlds (50, 0.8, 20000, 20, 7, FALSE);
  CU_ASSERT_TRUE (share > 0.5 && share < 0.95);
}

/* Thousands pending (delays up to 10^6 now and then), so that the ladder
 * spreads them over its rungs, with ties among the short ones. */
static void
test_relay_random_spread_against_two_events (void)
{
  double share = check_worlds (1000000, 0.8, 60000, 3000, 100000, FALSE);
  CU_ASSERT_TRUE (share > 0.1 && share < 0.6);
}

/* The insertion counter runs out half-way: the pending relays' borrowed
 * orders go with the renumbering. */
static void
test_relay_random_renumbered_against_two_events (void)
{
  double share = check_worlds (50, 0.8, 20000, 20, 7, TRUE);
  CU_ASSERT_TRUE (share > 0.5 && share < 0.95);
}

/* Delays from 0 to 10^6, so hardly any ties: nearly every relay is one
 * event. */
static void
test_relay_random_no_ties_one_event_each (void)
{
  double share = check_worlds (1000000, 0.0, 60000, 3000, 100000, FALSE);
  CU_ASSERT_TRUE (share < 0.01);
}

static const AmsTestCase cases[] = {
  { "alone_is_one_event", test_relay_alone_is_one_event },
  { "overtaken_runs_first_step", test_relay_overtaken_runs_first_step },
  { "not_overtaken_after_first_step", test_relay_not_overtaken_after_first_step },
  { "two_relays_tie_by_first_steps", test_relay_two_relays_tie_by_first_steps },
  { "second_step_ties_another_first_step", test_relay_second_step_ties_another_first_step },
  { "priorities_and_outside_pushes", test_relay_priorities_and_outside_pushes },
  { "merging_stops_where_pushes_swamp_it", test_relay_merging_stops_where_pushes_swamp_it },
  { "edges", test_relay_edges },
  { "random_ties_against_two_events", test_relay_random_ties_against_two_events },
  { "random_spread_against_two_events", test_relay_random_spread_against_two_events },
  { "random_renumbered_against_two_events", test_relay_random_renumbered_against_two_events },
  { "random_no_ties_one_event_each", test_relay_random_no_ties_one_event_each },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("relay", cases);
}
