/* The engine: pipelines start images, images build and test, and every
 * distribution output becomes a copy through its destination pool.
 *
 * Everything the event loop touches is resolved at set-up: each pipeline
 * holds the list of pools its copies go to, each pool its own random stream,
 * so a copy costs one pool request, one sample and one event, with no
 * lookups and no malloc (records come from free lists).
 *
 * Which copies an image makes (DOMAIN.md §4): for each region of the
 * distribution other than the build region, a copy into the owner account
 * there; for each target account of a region, a copy owned by that account
 * in that region (the owner's own entries are covered by the first rule). */
#include <string.h>
#include <gsl/gsl_rng.h>

#include "amisim/engine.h"
#include "amisim/kernel.h"
#include "amisim/pool.h"
#include "amisim/rng.h"
#include "engine/freelist.h"

typedef struct
{
  AmsPool *pool;
  gsl_rng *rng;            /* copy/<account>/<region> */
  guint account;
  guint region;
  uint64_t copies;
  uint64_t waited;
} EnginePool;

typedef struct
{
  AmsEngine *e;
  const AmsScPipeline *sc;
  gsl_rng *arrivals;
  AmsDist interarrival;    /* POISSON: exponential(mean = 1 / rate) */
  gsl_rng *schedule;
  gsl_rng *build;
  gsl_rng *test;
  EnginePool **targets;    /* destination pools, one per copy of an image */
  guint n_targets;
  AmsTime next_fire;       /* RATE: the next schedule match */
  AmsEventHandle trigger;  /* the pending schedule match or arrival */
  gboolean updates_pending;/* a dependency changed since the last build */
} Pipeline;

typedef struct
{
  Pipeline *p;
  AmsTime t_start;         /* pipeline execution start */
  AmsTime t_dist;          /* distribution start        */
  guint remaining;         /* copies not yet done       */
} Image;

typedef struct
{
  Image *img;
  EnginePool *pool;
  AmsTime t_req;
  AmsTime t_start;
} Copy;

struct AmsEngine
{
  const AmsScenario *sc;
  const AmsWorld *w;
  AmsKernel *k;
  uint64_t seed;
  uint64_t replication;
  Pipeline *pipelines;
  guint n_pipelines;
  GPtrArray *pools;        /* of EnginePool*, in creation order */
  AmsFreeList images;
  AmsFreeList copies;
  gboolean ran;
  AmsResults res;
};

/* ---- set-up ------------------------------------------------------------ */

static gsl_rng *
stream (AmsEngine *e, const char *fmt, ...) G_GNUC_PRINTF (2, 3);

static gsl_rng *
stream (AmsEngine *e, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *name = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return ams_rng_new (e->seed, e->replication, name);
}

static EnginePool *
pool_for (AmsEngine *e, GHashTable *index, guint account, guint region)
{
  gsize key = (gsize) account * ams_world_n_regions (e->w) + region + 1;
  EnginePool *ep = g_hash_table_lookup (index, GSIZE_TO_POINTER (key));
  if (ep != NULL)
    return ep;
  ep = g_new0 (EnginePool, 1);
  ep->account = account;
  ep->region = region;
  ep->pool = ams_pool_new (e->k, e->sc->sim.copies_per_account_region, AMS_POOL_QUEUE);
  ep->rng = stream (e, "copy/%s/%s", ams_world_account (e->w, account)->id,
                    ams_world_region (e->w, region)->name);
  g_ptr_array_add (e->pools, ep);
  g_hash_table_insert (index, GSIZE_TO_POINTER (key), ep);
  return ep;
}

static guint
account_index (const AmsEngine *e, const char *id)
{
  const AmsAccount *a = ams_world_find_account (e->w, id);
  g_assert (a != NULL); /* the loader resolved every reference */
  return a->index;
}

static guint
region_index (const AmsEngine *e, const char *name)
{
  const AmsRegion *r = ams_world_find_region (e->w, name);
  g_assert (r != NULL);
  return r->index;
}

static void
pipeline_setup (AmsEngine *e, Pipeline *p, const AmsScPipeline *sc, GHashTable *index)
{
  p->e = e;
  p->sc = sc;
  p->arrivals = stream (e, "pipeline/%s/arrivals", sc->name);
  p->schedule = stream (e, "pipeline/%s/schedule", sc->name);
  p->build = stream (e, "pipeline/%s/build", sc->name);
  p->test = stream (e, "pipeline/%s/test", sc->name);
  p->updates_pending = TRUE; /* nothing built yet: the first match builds */
  if (sc->trigger == AMS_SC_TRIGGER_POISSON)
    {
      double mean = 1.0 / sc->arrival_rate;
      g_assert_true (ams_dist_set (&p->interarrival, AMS_DIST_EXPONENTIAL, &mean, 1, NULL));
    }

  guint owner = account_index (e, sc->account.value);
  guint home = region_index (e, sc->region.value);
  GPtrArray *targets = g_ptr_array_new ();
  for (guint i = 0; i < sc->distributions->len; i++)
    {
      const AmsScDistRegion *d = g_ptr_array_index (sc->distributions, i);
      guint region = region_index (e, d->region.value);
      if (region != home)
        g_ptr_array_add (targets, pool_for (e, index, owner, region));
      for (guint j = 0; j < d->target_account_ids->len; j++)
        {
          const AmsScRef *ref = &g_array_index (d->target_account_ids, AmsScRef, j);
          guint account = account_index (e, ref->value);
          if (account != owner)
            g_ptr_array_add (targets, pool_for (e, index, account, region));
        }
    }
  p->n_targets = targets->len;
  p->targets = (EnginePool **) g_ptr_array_free (targets, FALSE);
}

AmsEngine *
ams_engine_new (const AmsScenario *sc, const AmsWorld *w, uint64_t seed, uint64_t replication)
{
  g_return_val_if_fail (sc != NULL && w != NULL, NULL);
  AmsEngine *e = g_new0 (AmsEngine, 1);
  e->sc = sc;
  e->w = w;
  e->k = ams_kernel_new ();
  e->seed = seed;
  e->replication = replication;
  e->pools = g_ptr_array_new ();
  ams_freelist_init (&e->images, sizeof (Image), 256);
  ams_freelist_init (&e->copies, sizeof (Copy), 1024);
  ams_results_init (&e->res);
  e->res.seed = seed;
  e->res.replication = replication;
  e->res.horizon = sc->horizon;

  g_autoptr (GHashTable) index = g_hash_table_new (NULL, NULL);
  e->n_pipelines = sc->pipelines->len;
  e->pipelines = g_new0 (Pipeline, e->n_pipelines);
  for (guint i = 0; i < e->n_pipelines; i++)
    pipeline_setup (e, &e->pipelines[i], g_ptr_array_index (sc->pipelines, i), index);
  return e;
}

void
ams_engine_free (AmsEngine *e)
{
  if (e == NULL)
    return;
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      Pipeline *p = &e->pipelines[i];
      gsl_rng_free (p->arrivals);
      gsl_rng_free (p->schedule);
      gsl_rng_free (p->build);
      gsl_rng_free (p->test);
      g_free (p->targets);
      ams_dist_clear (&p->interarrival);
    }
  g_free (e->pipelines);
  for (guint i = 0; i < e->pools->len; i++)
    {
      EnginePool *ep = g_ptr_array_index (e->pools, i);
      ams_pool_free (ep->pool);
      gsl_rng_free (ep->rng);
      g_free (ep);
    }
  g_ptr_array_unref (e->pools);
  ams_kernel_free (e->k); /* before the free lists: pending events point into them */
  ams_freelist_clear (&e->images);
  ams_freelist_clear (&e->copies);
  ams_results_clear (&e->res);
  g_free (e);
}

/* ---- the life of an image ---------------------------------------------- */

static void image_built (AmsKernel *k, void *data, uint64_t arg);
static void image_tested (AmsKernel *k, void *data, uint64_t arg);

static inline AmsTime
draw (const AmsDist *d, gsl_rng *r)
{
  return ams_time_from_s (ams_dist_sample (d, r));
}

static void
image_available (AmsEngine *e, Image *img)
{
  AmsTime now = ams_kernel_now (e->k);
  e->res.images_available++;
  ams_stat_add (&e->res.distribution_s, ams_time_to_s (now - img->t_dist));
  ams_stat_add (&e->res.end_to_end_s, ams_time_to_s (now - img->t_start));
  ams_freelist_release (&e->images, img);
}

static void
copy_done (AmsKernel *k, void *data, uint64_t arg)
{
  Copy *c = data;
  EnginePool *ep = c->pool;
  Image *img = c->img;
  AmsEngine *e = img->p->e;
  AmsTime now = ams_kernel_now (k);

  e->res.copies_succeeded++;
  ams_stat_add (&e->res.wait_s, ams_time_to_s (c->t_start - c->t_req));
  ams_stat_add (&e->res.transfer_s, ams_time_to_s (now - c->t_start));
  ams_stat_add (&e->res.total_s, ams_time_to_s (now - c->t_req));
  ams_freelist_release (&e->copies, c);

  ams_pool_release (ep->pool); /* may start the next queued copy */
  if (--img->remaining == 0)
    image_available (e, img);
}

static void
copy_start (Copy *c)
{
  AmsEngine *e = c->img->p->e;
  c->t_start = ams_kernel_now (e->k);
  AmsTime d = draw (&e->sc->sim.copy_duration, c->pool->rng);
  ams_kernel_schedule_in (e->k, d, AMS_PRIORITY_DEFAULT, copy_done, c, 0);
}

static void
copy_granted (AmsKernel *k, void *data, AmsTime waited)
{
  copy_start (data);
}

static void
copy_request (AmsEngine *e, Image *img, EnginePool *ep)
{
  Copy *c = ams_freelist_alloc (&e->copies);
  c->img = img;
  c->pool = ep;
  c->t_req = ams_kernel_now (e->k);
  e->res.copies_requested++;
  ep->copies++;
  switch (ams_pool_request (ep->pool, copy_granted, c))
    {
    case AMS_POOL_GRANTED:
      copy_start (c);
      break;
    case AMS_POOL_QUEUED:
      ep->waited++;
      e->res.copies_waited++;
      break;
    case AMS_POOL_REJECTED:
      g_assert_not_reached (); /* pools queue in this engine */
    }
}

/* Schedules fn at now + d, or calls it at once when d is 0: zero-length
 * phases (build_time: 0s in what-if runs) then cost no event. */
static inline void
after (AmsEngine *e, AmsTime d, AmsEventFn fn, void *data)
{
  if (d == 0)
    fn (e->k, data, 0);
  else
    ams_kernel_schedule_in (e->k, d, AMS_PRIORITY_DEFAULT, fn, data, 0);
}

static void
image_tested (AmsKernel *k, void *data, uint64_t arg)
{
  Image *img = data;
  Pipeline *p = img->p;
  AmsEngine *e = p->e;
  AmsTime now = ams_kernel_now (k);

  ams_stat_add (&e->res.build_s, ams_time_to_s (now - img->t_start));
  img->t_dist = now;
  img->remaining = p->n_targets;
  if (p->n_targets == 0)
    {
      image_available (e, img);
      return;
    }
  for (guint i = 0; i < p->n_targets; i++)
    copy_request (e, img, p->targets[i]);
}

static void
image_built (AmsKernel *k, void *data, uint64_t arg)
{
  Image *img = data;
  after (img->p->e, draw (&img->p->sc->test_time, img->p->test), image_tested, img);
}

static void
image_start (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  AmsEngine *e = p->e;
  Image *img = ams_freelist_alloc (&e->images);
  img->p = p;
  img->t_start = ams_kernel_now (k);
  e->res.images_started++;
  after (e, draw (&p->sc->build_time, p->build), image_built, img);
}

/* ---- triggers ---------------------------------------------------------- */

static void
poisson_arrival (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  p->trigger = ams_kernel_schedule_in (k, draw (&p->interarrival, p->arrivals),
                                       AMS_PRIORITY_DEFAULT, poisson_arrival, p, 0);
  image_start (k, p, 0);
}

static void
schedule_fire (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  AmsEngine *e = p->e;
  p->next_fire += p->sc->rate_period;
  p->trigger = ams_kernel_schedule (k, p->next_fire, AMS_PRIORITY_DEFAULT, schedule_fire, p, 0);

  if (p->sc->start_condition == AMS_SC_START_DEPENDENCY_UPDATES && !p->updates_pending)
    {
      e->res.runs_skipped++;
      return;
    }
  p->updates_pending = FALSE;
  after (e, draw (&e->sc->sim.schedule_delay, p->schedule), image_start, p);
}

static void
pipeline_arm (AmsEngine *e, Pipeline *p)
{
  switch (p->sc->trigger)
    {
    case AMS_SC_TRIGGER_POISSON:
      p->trigger = ams_kernel_schedule_in (e->k, draw (&p->interarrival, p->arrivals),
                                           AMS_PRIORITY_DEFAULT, poisson_arrival, p, 0);
      break;
    case AMS_SC_TRIGGER_RATE:
      /* A rate schedule first matches one period after the pipeline exists. */
      p->next_fire = p->sc->rate_period;
      p->trigger = ams_kernel_schedule (e->k, p->next_fire, AMS_PRIORITY_DEFAULT, schedule_fire,
                                        p, 0);
      break;
    case AMS_SC_TRIGGER_MANUAL:
      break;
    }
}

/* ---- running ----------------------------------------------------------- */

static int
pool_result_cmp (gconstpointer a, gconstpointer b)
{
  const AmsPoolReport *x = a, *y = b;
  int c = strcmp (x->account, y->account);
  return c != 0 ? c : strcmp (x->region, y->region);
}

static void
collect (AmsEngine *e)
{
  AmsResults *r = &e->res;
  r->events = ams_kernel_events_run (e->k);
  r->end = ams_kernel_now (e->k);
  r->images_in_flight = r->images_started - r->images_available - r->images_failed;
  r->copies_in_flight = r->copies_requested - r->copies_succeeded - r->copies_failed;
  for (guint i = 0; i < e->pools->len; i++)
    {
      const EnginePool *ep = g_ptr_array_index (e->pools, i);
      AmsPoolStats st;
      ams_pool_stats (ep->pool, &st);
      guint limit = ams_pool_capacity (ep->pool);
      AmsPoolReport pr = {
        .account = ams_world_account (e->w, ep->account)->id,
        .region = ams_world_region (e->w, ep->region)->name,
        .limit = limit,
        .copies = ep->copies,
        .waited = ep->waited,
        .busy_mean = st.busy_mean,
        .utilization = limit > 0 ? st.busy_mean / limit : 0.0,
        .queue_mean = st.queue_mean,
        .queue_max = st.queue_max,
        .busy_max = st.busy_max,
      };
      g_array_append_val (r->pools, pr);
    }
  g_array_sort (r->pools, pool_result_cmp);
}

void
ams_engine_run (AmsEngine *e)
{
  g_return_if_fail (e != NULL && !e->ran);
  e->ran = TRUE;
  for (guint i = 0; i < e->n_pipelines; i++)
    pipeline_arm (e, &e->pipelines[i]);
  ams_kernel_run_until (e->k, e->sc->horizon);
  if (e->sc->sim.drain)
    {
      /* Start nothing new; run what is in flight to its end, so that the
       * clock stops at the last copy done. */
      for (guint i = 0; i < e->n_pipelines; i++)
        ams_kernel_cancel (e->k, e->pipelines[i].trigger);
      while (ams_kernel_step (e->k))
        ;
    }
  collect (e);
}

const AmsResults *
ams_engine_results (const AmsEngine *e)
{
  g_return_val_if_fail (e != NULL && e->ran, NULL);
  return &e->res;
}
