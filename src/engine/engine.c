/* The engine: pipelines start images, images build and test, and every
 * distribution output becomes a copy through its destination pool, decided
 * at its simulated moment by the same permission checks as `explain`.
 *
 * Everything the event loop touches is resolved at set-up: each pipeline
 * holds the outputs of its distribution (the copies, with their pools and
 * cached permission decisions; the launch permissions and launch template
 * updates of each region), each pool its own random streams. A permission
 * decision is kept with the world's epoch and made again only when the
 * world changed, so a copy costs one pool request, one or two samples and
 * one event, with no lookups and no malloc (records come from free lists).
 *
 * Which copies an image makes (DOMAIN.md §4): for each region of the
 * distribution other than the build region, a copy into the owner account
 * there; for each target account of a region, a copy owned by that account
 * in that region (the owner's own entries are covered by the first rule).
 *
 * When a check fails (DOMAIN.md §4, "Rules that fail a copy"): the request
 * checks (region, cross-account role, ec2:CopyImage) refuse the copy at
 * once, without a slot; the key checks fail it when its transfer starts,
 * and the slot is given back. An image with any failed output ends FAILED,
 * its first cause kept; otherwise AVAILABLE.
 *
 * Distribution timeouts: all images of a pipeline have the same timeout,
 * so the images distributing are in deadline order in a FIFO; one watchdog
 * event per pipeline waits for the oldest deadline. Finishing an image only
 * unlinks it, so timeouts cost almost nothing when they do not fire.
 */
#include <string.h>
#include <sys/mman.h>
#include <gsl/gsl_rng.h>

#include "amisim/access.h"
#include "amisim/engine.h"
#include "amisim/kernel.h"
#include "amisim/link.h"
#include "amisim/pool.h"
#include "amisim/rng.h"
#include "engine/chain.h"
#include "engine/engine-private.h"
#include "engine/lifecycle.h"

/* ---- set-up ------------------------------------------------------------ */

#define stream ams_engine_stream
#define count_failure ams_engine_count_failure
#define draw ams_engine_draw

static void pool_observe (const AmsPool *pool, void *user);

static void
build_slots_free (gpointer p)
{
  BuildSlots *bs = p;
  g_queue_clear (&bs->waiting);
  g_free (bs);
}

/* The copies a destination (account, region) takes at once: Image
 * Builder's limit (or an override), bounded by EC2's and EBS's caps per
 * destination account and region when the scenario sets them (each AMI
 * copy is one snapshot copy). */
static guint
copy_limit (const AmsScenario *sc, const AmsAccount *account, const AmsRegion *region)
{
  guint limit = sc->sim.copies_per_account_region;
  for (guint i = 0; i < sc->sim.limit_overrides->len; i++)
    {
      const AmsScLimitOverride *o = sc->sim.limit_overrides->pdata[i];
      if ((o->account.value == NULL || strcmp (o->account.value, account->id) == 0)
          && (o->region.value == NULL || strcmp (o->region.value, region->name) == 0))
        limit = o->copies;
    }
  if (sc->sim.copies_per_region > 0)
    limit = MIN (limit, sc->sim.copies_per_region);
  if (sc->sim.snapshot_copies_per_region > 0)
    limit = MIN (limit, sc->sim.snapshot_copies_per_region);
  return limit;
}

static EnginePool *
pool_for (AmsEngine *e, GHashTable *index, const AmsAccount *account, const AmsRegion *region)
{
  gsize key = ams_engine_place_key (e, account, region);
  EnginePool *ep = g_hash_table_lookup (index, GSIZE_TO_POINTER (key));
  if (ep != NULL)
    return ep;
  /* aligned to a cache line: what a copy touches is four lines, no more */
  ep = g_aligned_alloc0 (1, sizeof (EnginePool), 64);
  ep->e = e;
  ep->account = account;
  ep->region = region;
  ams_pool_init (&ep->pool, e->k, copy_limit (e->sc, account, region), AMS_POOL_QUEUE);
  g_autofree char *name = g_strdup_printf ("copy/%s/%s", account->id, region->name);
  ams_rng_init (&ep->rng, e->seed, e->replication, name);
  ep->faults = stream (e, "%s/faults", name);
  ep->index = e->pools->len;
  g_ptr_array_add (e->pools, ep);
  g_hash_table_insert (index, GSIZE_TO_POINTER (key), ep);
  return ep;
}

/* The bandwidth model's link between two regions, made on first use. */
static void
link_for (AmsEngine *e, const AmsRegion *from, const AmsRegion *to)
{
  guint n = ams_world_n_regions (e->w);
  AmsLink **link = &e->links[from->index * n + to->index];
  if (*link == NULL)
    *link = ams_link_new (e->k, e->sc->sim.region_pair_throughput, e->sc->sim.per_copy_throughput);
}

/* The legacy per-source-region cap of a destination, made on first use. */
static void
source_pool_for (AmsEngine *e, EnginePool *ep, const AmsRegion *source)
{
  if (ep->source_pools == NULL)
    ep->source_pools = g_new0 (AmsPool *, ams_world_n_regions (e->w));
  if (ep->source_pools[source->index] == NULL)
    ep->source_pools[source->index] = ams_pool_new (e->k, e->sc->sim.copies_per_source_region,
                                                    AMS_POOL_QUEUE);
}

/* A target of the pipeline: spec's copy, whose question is `question`
 * (ams_access_copy_question). */
static void
add_target (AmsEngine *e, Pipeline *p, GHashTable *index, const AmsCopySpec *spec, guint question)
{
  EnginePool *ep = pool_for (e, index, spec->target, spec->region);
  Target t = {
    .pool = ep->index,
    .entry = spec->entry,
    .question = question,
    .crypto = ams_access_copy_encrypted (spec),
  };
  if (t.question >= e->questions->len)
    g_array_set_size (e->questions, t.question + 1); /* zeroed: not decided yet */
  if (e->sc->sim.copy_bandwidth)
    link_for (e, spec->source_region, spec->region);
  if (e->sc->sim.copies_per_source_region > 0)
    source_pool_for (e, ep, spec->source_region);
  p->targets[p->n_targets++] = t;
}

static void pipeline_outputs (AmsEngine *e, Pipeline *p, const GPtrArray *distributions,
                              GHashTable *index);

static void
pipeline_setup (AmsEngine *e, Pipeline *p, const AmsScPipeline *sc, GHashTable *index)
{
  p->e = e;
  p->sc = sc;
  p->arrivals = stream (e, "pipeline/%s/arrivals", sc->name);
  p->schedule = stream (e, "pipeline/%s/schedule", sc->name);
  p->build = stream (e, "pipeline/%s/build", sc->name);
  p->test = stream (e, "pipeline/%s/test", sc->name);
  /* image_built does nothing but schedule the test: no build failures to
   * draw, and test durations drawn at the builds' starts go to the same
   * images (they are all the same, or the builds end in the order they
   * started, all taking as long) */
  p->relay_test = sc->failure_probability == 0.0
                  && (ams_dist_is_constant (&sc->test_time) || ams_dist_is_constant (&sc->build_time));
  p->faults = stream (e, "pipeline/%s/faults", sc->name);
  p->updates_pending = TRUE; /* nothing built yet: the first match builds */
  p->timeout = sc->distribution_timeout > 0 ? sc->distribution_timeout
                                            : e->sc->sim.distribution_timeout;
  if (sc->trigger == AMS_SC_TRIGGER_POISSON)
    {
      double mean = 1.0 / sc->arrival_rate;
      g_assert_true (ams_dist_set (&p->interarrival, AMS_DIST_EXPONENTIAL, &mean, 1, NULL));
    }

  /* the 100-concurrent-builds quota is per owner account and build region */
  {
    const AmsAccount *owner = ams_world_find_account (e->w, sc->account.value);
    const AmsRegion *home = ams_world_find_region (e->w, sc->region.value);
    gint64 key = ((gint64) owner->index << 32) | home->index;
    p->builds_slots = g_hash_table_lookup (e->build_slots, &key);
    if (p->builds_slots == NULL)
      {
        gint64 *k = g_new (gint64, 1);
        *k = key;
        p->builds_slots = g_new0 (BuildSlots, 1);
        p->builds_slots->capacity = e->sc->sim.concurrent_builds;
        g_queue_init (&p->builds_slots->waiting);
        g_hash_table_insert (e->build_slots, k, p->builds_slots);
      }
  }

  /* builds are numbered per recipe version, across pipelines */
  g_autofree char *recipe = g_strdup_printf ("%s/%s", sc->recipe_name, sc->recipe_version);
  p->builds = g_hash_table_lookup (e->builds, recipe);
  if (p->builds == NULL)
    {
      p->builds = g_new0 (uint64_t, 1);
      g_hash_table_insert (e->builds, g_steal_pointer (&recipe), p->builds);
    }

  AmsCopySpec spec = {
    .pipeline = sc,
    .owner = ams_world_find_account (e->w, sc->account.value),
    .source_region = ams_world_find_region (e->w, sc->region.value),
  };
  g_assert (spec.owner != NULL && spec.source_region != NULL); /* resolved by the loader */
  p->home = pool_for (e, index, spec.owner, spec.source_region);
  pipeline_outputs (e, p, sc->distributions, index);
}

/* The accounts of a targetAccountIds list, resolved once (the loader gives
 * the entries that share a list through an alias the same list: in an
 * estate, every pipeline and region); the array is the engine's. */
static const AmsAccount *const *
account_list (AmsEngine *e, const GArray *ids)
{
  const AmsAccount **accounts = g_hash_table_lookup (e->account_lists, ids);
  if (accounts != NULL)
    return accounts;
  accounts = g_new (const AmsAccount *, MAX (ids->len, 1u));
  for (guint j = 0; j < ids->len; j++)
    accounts[j] = ams_world_find_account (e->w, g_array_index (ids, AmsScRef, j).value);
  g_hash_table_insert (e->account_lists, (gpointer) ids, accounts);
  return accounts;
}

/* The outputs of the pipeline's images for a distribution configuration:
 * its copies (targets) and its regions' other outputs (entries). */
static void
pipeline_outputs (AmsEngine *e, Pipeline *p, const GPtrArray *distributions, GHashTable *index)
{
  const AmsScPipeline *sc = p->sc;
  AmsCopySpec spec = {
    .pipeline = sc,
    .owner = ams_world_find_account (e->w, sc->account.value),
    .source_region = ams_world_find_region (e->w, sc->region.value),
  };
  guint n = 0;
  for (guint i = 0; i < distributions->len; i++)
    n += 1 + ((const AmsScDistRegion *) g_ptr_array_index (distributions, i))->target_account_ids->len;
  /* An array of exactly n (at most one target too many), not a GArray:
   * that one rounds its size up to a power of two, which for an estate's
   * thousands of targets per pipeline was 60 % more memory than they
   * take. */
  p->targets = g_new (Target, n);
  p->n_targets = 0;
  p->n_entries = distributions->len;
  p->entries = g_new0 (Entry, p->n_entries);
  p->entry_outputs = 0;
  p->home_entry = NULL;
  for (guint i = 0; i < distributions->len; i++)
    {
      const AmsScDistRegion *d = g_ptr_array_index (distributions, i);
      spec.entry = d;
      spec.region = ams_world_find_region (e->w, d->region.value);
      if (spec.region == spec.source_region)
        p->home_entry = d;
      spec.target = spec.owner;
      if (spec.region != spec.source_region)
        add_target (e, p, index, &spec, ams_access_copy_question (e->access, &spec));
      const AmsAccount *const *accounts = account_list (e, d->target_account_ids);
      const guint *questions = ams_access_copy_questions (
        e->access, &spec, d->target_account_ids, accounts, d->target_account_ids->len);
      for (guint j = 0; j < d->target_account_ids->len; j++)
        {
          spec.target = accounts[j];
          if (spec.target != spec.owner)
            add_target (e, p, index, &spec, questions[j]);
        }
      Entry *en = &p->entries[i];
      en->spec = spec;
      en->spec.target = spec.owner;
      gboolean shares = d->lp_user_ids->len + d->lp_org_arns->len + d->lp_ou_arns->len > 0
                        || d->lp_public;
      en->outputs = (shares ? 1 : 0) + d->launch_templates->len + d->ssm_parameters->len;
      p->entry_outputs += en->outputs;
    }
}

static void engine_warm (AmsEventFn fn, void *data, unsigned ahead);

AmsEngine *
ams_engine_new (const AmsScenario *sc, const AmsWorld *w, uint64_t seed, uint64_t replication)
{
  g_return_val_if_fail (sc != NULL && w != NULL, NULL);
  AmsEngine *e = g_new0 (AmsEngine, 1);
  e->sc = sc;
  e->w = w;
  e->k = ams_kernel_new ();
  ams_kernel_set_warm (e->k, engine_warm, 5);
  e->access = ams_access_new (w);
  e->seed = seed;
  e->replication = replication;
  e->epoch = ams_world_generation (w) + 1;
  e->pools = g_ptr_array_new ();
  e->builds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (sc->sim.copy_bandwidth)
    e->links = g_new0 (AmsLink *, ams_world_n_regions (w) * ams_world_n_regions (w));
  e->refusals = g_hash_table_new (NULL, NULL);
  e->questions = g_array_new (FALSE, TRUE, sizeof (QuestionDecisions));
  e->build_slots = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, build_slots_free);
  e->failures = g_hash_table_new (g_int64_hash, g_int64_equal);
  ams_freelist_init (&e->images, sizeof (Image), 256);
  ams_results_init (&e->res);
  e->res.seed = seed;
  e->res.replication = replication;
  e->res.horizon = sc->horizon;
  e->res.warmup = sc->sim.warmup;
  e->res.start = sc->start;

  e->pool_index = g_hash_table_new (NULL, NULL);
  e->account_lists = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  e->retired = g_ptr_array_new_with_free_func (g_free);
  e->messages = g_string_chunk_new (4096);
  e->n_pipelines = sc->pipelines->len;
  e->pipelines = g_new0 (Pipeline, e->n_pipelines);
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      e->pipelines[i].index = i;
      pipeline_setup (e, &e->pipelines[i], g_ptr_array_index (sc->pipelines, i), e->pool_index);
    }
  /* the places of the AMIs that exist at the start (inventory.c stores them) */
  for (guint i = 0; i < sc->amis->len; i++)
    {
      const AmsScAmi *a = sc->amis->pdata[i];
      pool_for (e, e->pool_index, ams_world_find_account (w, a->account.value),
                ams_world_find_region (w, a->region.value));
    }
  e->lifecycle = sc->sim.lifecycle_enabled;
  ams_chain_setup (e);
  return e;
}

void
ams_engine_set_lifecycle (AmsEngine *e, gboolean enabled)
{
  g_return_if_fail (e != NULL && !e->ran);
  e->lifecycle = enabled;
}

void
ams_engine_compare (AmsEngine *e, const AmsResults *baseline)
{
  g_return_if_fail (e != NULL && e->ran && baseline != NULL);
  e->res.compared = TRUE;
  e->res.baseline_gib = baseline->storage_gib;
  e->res.baseline_gib_months = baseline->storage_gib_months;
  e->res.baseline_cost = baseline->storage_cost;
  e->res.baseline_amis = baseline->amis;
}

void
ams_engine_set_recorder (AmsEngine *e, const AmsRecorder *r)
{
  g_return_if_fail (e != NULL && !e->ran);
  if (r != NULL)
    e->recorder = *r;
  else
    memset (&e->recorder, 0, sizeof e->recorder);
}

/* Room for the n copies the image is about to ask for, all at once: the
 * array its pipeline's last image to end gave back when it fits (most
 * images of a pipeline ask for as many copies as the one before), else a
 * fresh one. Reused, an estate's array (hundreds of kilobytes at 4x the
 * capacity scenario's accounts) costs no mapping, no page faults and no
 * unmapping every night: capacity 3 days at 4x CPU -3 %, page faults
 * 57,000 -> 42,500; at 1x the same. An image that asks for less than
 * half of it (a retry of a few failed targets) takes a fresh one, so that
 * the pipeline's next whole image still finds it. */
static void
copies_reserve (Image *img, guint n)
{
  img->n_copies = 0;
  if (n <= 1)
    {
      img->copies = &img->one;
      return;
    }
  Pipeline *p = img->p;
  if (p->spare_copies != NULL && n <= p->spare_cap && n >= p->spare_cap / 2)
    {
      img->copies = g_steal_pointer (&p->spare_copies);
      img->copies_cap = p->spare_cap;
      return;
    }
  img->copies = g_new (Copy, n);
  img->copies_cap = n;
#ifdef MADV_POPULATE_WRITE
  /* A fresh estate's array is mapped afresh, and its requests, one after
   * the other, each waited on a page fault every 85 copies: its pages are
   * made at once instead (capacity 3 days at 4x the accounts: CPU -2 to
   * -4 %). Where the kernel cannot, it faults as before. */
  gsize bytes = (gsize) n * sizeof (Copy);
  if (bytes >= 128 * 1024)
    {
      uintptr_t lo = ((uintptr_t) img->copies + 4095) & ~(uintptr_t) 4095;
      uintptr_t hi = ((uintptr_t) img->copies + bytes) & ~(uintptr_t) 4095;
      if (hi > lo)
        madvise ((void *) lo, hi - lo, MADV_POPULATE_WRITE);
    }
#endif
}

/* The image's copies are over: its array becomes its pipeline's spare
 * (the larger of the two is kept), so memory is at most one array per
 * pipeline more than the copies in flight. */
static void
copies_free (Image *img)
{
  if (img->copies != &img->one && img->copies != NULL)
    {
      Pipeline *p = img->p;
      if (p->spare_copies == NULL || p->spare_cap < img->copies_cap)
        {
          g_free (p->spare_copies);
          p->spare_copies = img->copies;
          p->spare_cap = img->copies_cap;
        }
      else
        g_free (img->copies);
    }
  img->copies = NULL;
}

static void
failure_key_free (gpointer p)
{
  g_free (p);
}

void
ams_engine_free (AmsEngine *e)
{
  if (e == NULL)
    return;
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      Pipeline *p = &e->pipelines[i];
      /* the copies of images still distributing (the records go with the
       * free list) */
      for (Image *img = p->distributing; img != NULL; img = img->next)
        copies_free (img);
      gsl_rng_free (p->arrivals);
      gsl_rng_free (p->schedule);
      gsl_rng_free (p->build);
      gsl_rng_free (p->test);
      gsl_rng_free (p->faults);
      g_free (p->spare_copies);
      if (p->tz != NULL)
        g_time_zone_unref (p->tz);
      if (p->retry != NULL)
        g_ptr_array_unref (p->retry);
      g_free (p->targets);
      for (guint j = 0; j < p->n_entries; j++)
        if (p->entries[j].failed != NULL)
          g_array_unref (p->entries[j].failed);
      g_free (p->entries);
      ams_dist_clear (&p->interarrival);
    }
  /* the policies before the inventory they work on, and both before the
   * pools and pipelines their records point to */
  ams_lc_free (e);
  ams_inv_free (e);
  ams_chain_free (e);
  g_free (e->pipelines);
  for (guint i = 0; i < e->pools->len; i++)
    {
      EnginePool *ep = g_ptr_array_index (e->pools, i);
      ams_pool_clear (&ep->pool);
      if (ep->lists != NULL)
        g_hash_table_unref (ep->lists);
      gsl_rng_free (ep->faults);
      if (ep->source_pools != NULL)
        for (guint r = 0; r < ams_world_n_regions (e->w); r++)
          ams_pool_free (ep->source_pools[r]);
      g_free (ep->source_pools);
      g_aligned_free (ep);
    }
  g_ptr_array_unref (e->pools);
  if (e->links != NULL) /* links before their kernel */
    for (guint i = 0; i < ams_world_n_regions (e->w) * ams_world_n_regions (e->w); i++)
      ams_link_free (e->links[i]);
  g_free (e->links);
  g_hash_table_unref (e->refusals);
  g_array_unref (e->questions);
  g_hash_table_unref (e->build_slots);
  g_hash_table_unref (e->pool_index);
  g_hash_table_unref (e->account_lists);
  g_ptr_array_unref (e->retired);
  g_string_chunk_free (e->messages);
  ams_kernel_free (e->k); /* before the free lists: pending events point into them */
  ams_access_free (e->access);
  g_hash_table_unref (e->builds);
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, e->failures);
  while (g_hash_table_iter_next (&it, &key, NULL))
    failure_key_free (key);
  g_hash_table_unref (e->failures);
  ams_freelist_clear (&e->images);
  ams_results_clear (&e->res);
  g_free (e);
}

/* ---- permission decisions ---------------------------------------------- */

/* The world's decision for a target, made again only if the world changed
 * (the check is inline: on the hot path it is one comparison). */
static const TargetDecision *decide_again (AmsEngine *e, const Pipeline *p, Target *t,
                                           AmsCopyPhase phase);

static inline const TargetDecision *
decide (AmsEngine *e, const Pipeline *p, Target *t, AmsCopyPhase phase)
{
  const TargetDecision *d = ams_engine_decision (e, t, phase);
  if (G_LIKELY (d->epoch == (uint32_t) e->epoch))
    return d;
  return decide_again (e, p, t, phase);
}

G_GNUC_NO_INLINE static const TargetDecision *
decide_again (AmsEngine *e, const Pipeline *p, Target *t, AmsCopyPhase phase)
{
  g_auto (AmsBlocker) b = { 0 };
  AmsCopySpec spec = ams_engine_target_spec (p, t);
  gboolean ok = ams_access_check_copy_phase (e->access, &spec, phase, &b);
  ams_engine_decided (e, t, phase, ok ? AMS_CAUSE_NONE : b.cause, b.step,
                      ok ? NULL : b.message);
  return ams_engine_decision (e, t, phase);
}

/* Is the target's transfer already known to be allowed in this epoch?
 * (Copy.ready) */
static inline gboolean
ready_now (const AmsEngine *e, const Target *t)
{
  const TargetDecision *d = ams_engine_decision (e, t, AMS_COPY_AT_TRANSFER);
  return d->epoch == (uint32_t) e->epoch && d->cause == AMS_CAUSE_NONE;
}

/* ---- the life of an image ---------------------------------------------- */

static void
version_of (const Image *img, char *buf, gsize len)
{
  g_snprintf (buf, len, "%s/%" G_GUINT64_FORMAT, img->p->sc->recipe_version, img->build);
}

static void pipeline_stop (Pipeline *p);

static void
unlink_distributing (Image *img)
{
  Pipeline *p = img->p;
  if (img->prev != NULL)
    img->prev->next = img->next;
  else if (p->distributing == img)
    p->distributing = img->next;
  if (img->next != NULL)
    img->next->prev = img->prev;
  else if (p->distributing_tail == img)
    p->distributing_tail = img->prev;
  img->next = img->prev = NULL;
  if (p->distributing == NULL)
    ams_kernel_cancel (p->e->k, p->watchdog); /* nothing left to time out */
}

/* The image is done: AVAILABLE, or FAILED with its first cause. */
static void
image_end (AmsEngine *e, Image *img)
{
  AmsTime now = ams_kernel_now (e->k);
  Pipeline *p = img->p;
  gboolean failed = img->failed > 0;
  unlink_distributing (img);
  if (AMS_TRACING (e))
    ams_trace_image (e, failed ? AMS_TRACE_IMAGE_FAILED : AMS_TRACE_IMAGE_AVAILABLE, img,
                     img->cause);
  ams_inv_image_ended (e, img, failed);
  if (failed)
    {
      e->res.images_failed++;
      /* what a RetryImage would run again */
      if (p->retry != NULL)
        g_ptr_array_unref (p->retry);
      p->retry = g_steal_pointer (&img->failed_targets);
      p->retry_targets = img->targets;
      p->retry_build = img->build;
      p->retry_start = img->t_start;
      p->retry_end = now;
    }
  else
    {
      e->res.images_available++;
      ams_stat_add (&e->res.distribution_s, ams_time_to_s (now - img->t_dist));
      ams_stat_add (&e->res.end_to_end_s, ams_time_to_s (now - img->t_start));
    }
  if (img->scheduled)
    {
      /* AWS: N consecutive failed scheduled runs disable the pipeline; a
       * success resets the count. */
      if (!failed)
        p->consecutive_failures = 0;
      else if (++p->consecutive_failures == p->sc->auto_disable_failures && !p->disabled)
        {
          p->disabled = TRUE;
          e->res.pipelines_disabled++;
          pipeline_stop (p);
          if (AMS_TRACING (e))
            ams_trace_image (e, AMS_TRACE_PIPELINE_DISABLED, img, img->cause);
        }
    }
  if (e->recorder.image != NULL)
    {
      char version[64];
      version_of (img, version, sizeof version);
      AmsImageRecord r = {
        .trigger = img->trigger,
        .upstream = img->upstream,
        .ripple = ams_chain_ripple_name (img->ripple),
        .message = img->message,
        .pipeline = p->sc->name,
        .recipe = p->sc->recipe_name,
        .version = version,
        .start = img->t_start,
        .built = img->t_built,
        .end = now,
        .outcome = failed ? AMS_IMAGE_FAILED : AMS_IMAGE_AVAILABLE,
        .cause = img->cause,
        .outputs = img->outputs,
        .failed_outputs = img->failed,
      };
      e->recorder.image (e->recorder.user, &r);
    }
  if (G_UNLIKELY (e->chain != NULL))
    ams_chain_image_end (e, img, failed);
  if (img->failed_targets != NULL)
    g_ptr_array_unref (img->failed_targets);
  copies_free (img);
  ams_freelist_release (&e->images, img);
}

/* One output of the image failed. */
static void
output_failed (AmsEngine *e, Image *img, AmsCause cause, const AmsRegion *region,
               const AmsAccount *account)
{
  img->failed++;
  if (img->cause == AMS_CAUSE_NONE)
    img->cause = cause;
  count_failure (e, cause, region, account);
}

static void
output_done (AmsEngine *e, Image *img)
{
  if (--img->remaining == 0)
    image_end (e, img);
}

static void
record_copy (AmsEngine *e, const Copy *c, gboolean ok, AmsCause cause, AmsStep step,
             const char *message)
{
  if (e->recorder.copy == NULL)
    return;
  char version[64];
  version_of (c->img, version, sizeof version);
  AmsCopyRecord r = {
    .pipeline = c->img->p->sc->name,
    .version = version,
    .source_region = c->img->p->home->region->name,
    .region = c->pool->region->name,
    .account = c->pool->account->id,
    .requested = c->img->t_dist, /* its copies are requested as distribution starts */
    .started = c->t_start,
    .ended = ams_kernel_now (e->k),
    .ok = ok,
    .cause = cause,
    .step = step,
    .message = message,
  };
  e->recorder.copy (e->recorder.user, &r);
}

/* The first copy to end on a new calendar day (UTC) of the clock: a new
 * entry in the results' days, and the time the day after begins. */
static void
day_begin (AmsEngine *e, AmsTime now)
{
  const AmsTime DAY = AMS_DAYS (1);
  AmsTime clock = e->res.start + now;
  int64_t day = clock / DAY - (clock % DAY < 0); /* floor, before 1970 too */
  AmsDayReport d = { .day = day, .copies = 0, .last = now };
  g_array_append_val (e->res.days, d);
  e->day_next = (day + 1) * DAY - e->res.start;
}

/* A copy ends: its record, its counts, and its image's outputs. */
static void
copy_end_why (AmsEngine *e, Copy *c, gboolean ok, AmsCause cause, AmsStep step,
              const char *message)
{
  Image *img = c->img;
  AmsTime now = ams_kernel_now (e->k);
  e->res.last_copy = now;
  if (G_UNLIKELY (now >= e->day_next))
    day_begin (e, now);
  AmsDayReport *day = &g_array_index (e->res.days, AmsDayReport, e->res.days->len - 1);
  day->copies++;
  day->last = now;
  record_copy (e, c, ok, cause, step, message);
  if (AMS_TRACING (e))
    ams_trace_copy (e, ok ? AMS_TRACE_COPY_DONE : AMS_TRACE_COPY_FAILED, c, cause, step, message);
  if (ok)
    {
      if (G_UNLIKELY (e->links != NULL)) /* read by the bandwidth model only */
        ams_copy_target (c)->landed = TRUE;
      ams_inv_ami_registered (e, img, c->pool, ams_copy_target (c));
      e->res.copies_succeeded++;
      ams_stat_add (&e->res.wait_s, ams_time_to_s (c->t_start - img->t_dist));
      ams_stat_add (&e->res.transfer_s, ams_time_to_s (now - c->t_start));
      ams_stat_add (&e->res.total_s, ams_time_to_s (now - img->t_dist));
    }
  else
    {
      e->res.copies_failed++;
      output_failed (e, img, cause, c->pool->region, c->pool->account);
      if (img->failed_targets == NULL)
        img->failed_targets = g_ptr_array_new ();
      g_ptr_array_add (img->failed_targets, ams_copy_target (c));
    }
  c->img = NULL;
  output_done (e, img);
}

/* A copy ends for a reason that needs no explaining (done, timed out,
 * refused by a limit, a transient fault). */
static inline void
copy_end (AmsEngine *e, Copy *c, gboolean ok, AmsCause cause, AmsStep step)
{
  copy_end_why (e, c, ok, cause, step, NULL);
}

/* Gives back the slots a copy holds (last taken first), after its end was
 * recorded: a release may start the next queued copy at once. */
static void
release_slots (EnginePool *ep, AmsPool *source, guint holding)
{
  if (holding >= 2)
    ams_pool_release (source);
  if (holding >= 1)
    ams_pool_release (&ep->pool);
}

/* The copy's per-source-region cap, or NULL. */
static inline AmsPool *
copy_source_pool (const Copy *c)
{
  return G_UNLIKELY (c->pool->source_pools != NULL)
           ? c->pool->source_pools[c->img->p->home->region->index]
           : NULL;
}

static void
copy_finished (AmsKernel *k, void *data, uint64_t arg)
{
  Copy *c = data;
  EnginePool *ep = c->pool;
  /* its pool's counts and storage (the record's first two lines) are read
   * soon and with an estate's thousands of pools are mostly out of the
   * cache: ask for them first (with an estate, the warm-up, engine_warm,
   * has asked for them and the slots already; an M/M/50's few pending
   * events, all in the cache, do without) */
  __builtin_prefetch (ep);
  __builtin_prefetch ((const char *) ep + 64);
  AmsEngine *e = c->img->p->e;
  guint holding = c->holding;
  AmsPool *source = holding >= 2 ? copy_source_pool (c) : NULL;
  gboolean doomed = c->doomed;
  copy_end (e, c, !doomed, doomed ? AMS_CAUSE_TRANSIENT : AMS_CAUSE_NONE, AMS_STEP_COPY);
  release_slots (ep, source, holding);
}

/* The kernel's warm-up (ams_kernel_set_warm): a copy that ends releases
 * its slot, and the release grants the copy waiting first, which reads
 * itself: the copy, its pool's counts (the record's first two lines), its
 * slots (the next two), the first waiter's place, that waiter's copy, one
 * link per stage (a line or two each: asked for many at once, the
 * requests waited on one another). */
static inline void
prefetch_copy (const void *c)
{
  __builtin_prefetch (c);
  __builtin_prefetch ((const char *) c + sizeof (Copy) - 1);
}

static void
engine_warm (AmsEventFn fn, void *data, unsigned ahead)
{
  if (fn != copy_finished)
    return;
  const Copy *c = data;
  switch (ahead)
    {
    case 4:
      prefetch_copy (c);
      break;
    case 3:
      __builtin_prefetch (c->pool);
      __builtin_prefetch ((const char *) c->pool + 64);
      break;
    case 2:
      ams_pool_prefetch (&c->pool->pool);
      break;
    case 1:
      ams_pool_prefetch_head (&c->pool->pool);
      break;
    default:
      ams_pool_prefetch_next (&c->pool->pool);
      break;
    }
}

/* Bandwidth model: the snapshot has arrived; re-encryption still takes
 * its overhead. */
static void
copy_transferred (AmsKernel *k, void *data, AmsTime duration)
{
  Copy *c = data;
  AmsEngine *e = c->img->p->e;
  c->flowing = FALSE;
  c->done = (AmsEventHandle) { 0 };
  AmsTime overhead = c->crypto ? draw (&e->sc->sim.encryption_overhead, &c->pool->rng.r) : 0;
  if (overhead == 0)
    copy_finished (k, c, 0);
  else
    c->done = ams_kernel_schedule_in (k, overhead, AMS_PRIORITY_DEFAULT, copy_finished, c, 0);
}

static void
copy_start (Copy *c)
{
  AmsEngine *e = c->img->p->e;
  Target *t = ams_copy_target (c);
  EnginePool *ep = c->pool;
  c->t_start = ams_kernel_now (e->k);

  if (G_UNLIKELY (!c->ready || c->img->epoch != e->epoch))
    {
      const TargetDecision *d = decide (e, c->img->p, t, AMS_COPY_AT_TRANSFER);
      if (G_UNLIKELY (d->cause != AMS_CAUSE_NONE))
        {
          guint holding = c->holding;
          AmsPool *source = holding >= 2 ? copy_source_pool (c) : NULL;
          copy_end_why (e, c, FALSE, d->cause, d->step,
                        ams_engine_refusal (e, t, AMS_COPY_AT_TRANSFER));
          release_slots (ep, source, holding);
          return;
        }
    }
  if (AMS_TRACING (e))
    ams_trace_copy (e, AMS_TRACE_COPY_STARTED, c, AMS_CAUSE_NONE, 0, NULL);
  double p = e->sc->sim.transient_failure_probability;
  c->doomed = p > 0.0 && gsl_rng_uniform (ep->faults) < p;
  AmsLink *link = ams_engine_link (e, c->img->p, t);
  if (link != NULL)
    {
      /* The first copy of a lineage into a destination, and any copy that
       * encrypts (a new key: the keys are regional), moves the whole
       * snapshot; later ones only the changed blocks. */
      double bytes = (double) c->img->p->sc->snapshot_size;
      if (t->landed && !c->crypto)
        bytes *= e->sc->sim.incremental_fraction;
      c->flowing = TRUE;
      c->flow = ams_link_start (link, bytes, copy_transferred, c);
      return;
    }
  AmsTime duration = draw (&e->sc->sim.copy_duration, &ep->rng.r);
  if (c->crypto)
    duration += draw (&e->sc->sim.encryption_overhead, &ep->rng.r);
  c->done = ams_kernel_schedule_in (e->k, duration, AMS_PRIORITY_DEFAULT, copy_finished, c, 0);
}

static void copy_acquire (Copy *c);

/* A slot was given to a queued copy: take the next one it needs. */
static void
copy_granted (AmsKernel *k, void *data, AmsTime waited)
{
  Copy *c = data;
  c->queued = 0;
  c->holding++;
  copy_acquire (c);
}

/* Queue mode: takes the copy's slots in a fixed order (its pool, then the
 * source-region cap), waiting FIFO at each; the fixed order means two
 * copies can never wait for each other. */
static void
copy_acquire (Copy *c)
{
  AmsPool *source = copy_source_pool (c);
  AmsPool *next = c->holding == 0 ? &c->pool->pool : c->holding == 1 ? source : NULL;
  while (next != NULL)
    {
      if (ams_pool_request (next, copy_granted, c) == AMS_POOL_QUEUED)
        {
          c->queued = c->holding + 1;
          if (c->holding == 0)
            {
              c->pool->waited++;
              c->img->p->e->res.copies_waited++;
              if (AMS_TRACING (c->img->p->e))
                ams_trace_copy (c->img->p->e, AMS_TRACE_COPY_QUEUED, c, AMS_CAUSE_NONE, 0, NULL);
            }
          return;
        }
      c->holding++;
      next = c->holding == 1 ? source : NULL;
    }
  copy_start (c);
}

static void copy_retry (AmsKernel *k, void *data, uint64_t arg);

/* Retry mode: the copy gets every slot it needs at once, or is refused and
 * asks again after an exponential back-off with full jitter (a client's
 * answer to ResourceLimitExceeded), until its attempts run out. */
static void
copy_try (Copy *c)
{
  AmsEngine *e = c->img->p->e;
  const AmsScSimulation *sim = &e->sc->sim;
  AmsPool *pool = &c->pool->pool;
  AmsPool *source = copy_source_pool (c);
  gboolean room = ams_pool_busy (pool) < ams_pool_capacity (pool)
                  && (source == NULL || ams_pool_busy (source) < ams_pool_capacity (source));
  if (room)
    {
      copy_acquire (c); /* every request is granted at once */
      return;
    }
  if (c->attempts++ == 0)
    {
      c->pool->waited++;
      e->res.copies_waited++;
    }
  if (c->attempts >= sim->retry_attempts)
    {
      copy_end (e, c, FALSE, AMS_CAUSE_COPY_LIMIT_REJECTED, AMS_STEP_COPY);
      return;
    }
  double ceiling = ams_time_to_s (sim->retry_base) * (double) (1u << MIN ((guint) c->attempts - 1u, 30u));
  ceiling = MIN (ceiling, ams_time_to_s (sim->retry_max));
  AmsTime delay = ams_time_from_s (gsl_rng_uniform (c->pool->faults) * ceiling);
  if (AMS_TRACING (e))
    ams_trace_copy (e, AMS_TRACE_COPY_RETRY, c, AMS_CAUSE_NONE, 0, NULL);
  c->done = ams_kernel_schedule_in (e->k, delay, AMS_PRIORITY_DEFAULT, copy_retry, c, 0);
}

static void
copy_retry (AmsKernel *k, void *data, uint64_t arg)
{
  copy_try (data);
}

static void
copy_request (AmsEngine *e, Image *img, Target *t)
{
  EnginePool *ep = ams_target_pool (e, t);
  Copy *c = &img->copies[img->n_copies++]; /* every field set here */
  *c = (Copy) {
    .img = img,
    .pool = ep,
    .t_start = AMS_TIME_NEVER,
    .target = (uint32_t) (t - img->targets),
    /* the transfer's decision, if already made in this epoch and allowing:
     * its start then need not look at the target again (img->epoch is
     * this epoch: every copy of an image is requested at once) */
    .ready = ready_now (e, t),
    .crypto = t->crypto,
  };
  e->res.copies_requested++;
  if (AMS_TRACING (e))
    ams_trace_copy (e, AMS_TRACE_COPY_REQUESTED, c, AMS_CAUSE_NONE, 0, NULL);

  const TargetDecision *d = decide (e, img->p, t, AMS_COPY_AT_REQUEST);
  if (G_UNLIKELY (d->cause != AMS_CAUSE_NONE))
    {
      copy_end_why (e, c, FALSE, d->cause, d->step,
                    ams_engine_refusal (e, t, AMS_COPY_AT_REQUEST));
      return;
    }
  if (G_UNLIKELY (ep->amis + ep->binned >= e->sc->sim.amis_per_account_region))
    {
      copy_end (e, c, FALSE, AMS_CAUSE_AMI_QUOTA_EXCEEDED, AMS_STEP_COPY);
      return;
    }
  ep->copies++;
  if (e->sc->sim.on_limit == AMS_SC_ON_LIMIT_RETRY)
    copy_try (c);
  else
    copy_acquire (c);
}

/* Launch permissions and launch templates of each region: outputs decided
 * when distribution starts. A consumer that cannot use the AMI's key is
 * not a failure of the image (the service applies the permission; the
 * consumer's launches fail later); the AWS managed key, block public access
 * and the sharing limit are. */
static void
keep_share_failure (const AmsBlocker *b, gpointer user)
{
  Entry *en = user;
  if (b->cause != AMS_CAUSE_AWS_MANAGED_KEY_SHARE && b->cause != AMS_CAUSE_PUBLIC_SHARE_BLOCKED
      && b->cause != AMS_CAUSE_SHARE_LIMIT_EXCEEDED)
    return;
  for (guint i = 0; i < en->failed->len; i++)
    if (g_array_index (en->failed, Failed, i).cause != AMS_CAUSE_LAUNCH_TEMPLATE_DENIED)
      return; /* the launch permissions are one output: its first failure */
  Failed f = { b->cause, b->account };
  g_array_append_val (en->failed, f);
  en->shares_failed = TRUE;
}

static void
keep_template_failure (const AmsBlocker *b, gpointer user)
{
  Entry *en = user;
  Failed f = { b->cause, b->account };
  g_array_append_val (en->failed, f);
}

G_GNUC_NO_INLINE static void
trace_share_failed (AmsEngine *e, const Image *img, const Failed *f, const AmsRegion *region)
{
  char version[64];
  ams_trace_version (img->p, img->build, version, sizeof version);
  AmsTraceEvent ev = {
    .kind = AMS_TRACE_SHARE_FAILED,
    .image = img->p->sc->name,
    .version = version,
    .account = f->account != NULL ? f->account->id : NULL,
    .region = region->name,
    .cause = f->cause,
  };
  ams_trace_emit (e, &ev);
}

static void
shares_and_templates (AmsEngine *e, Image *img)
{
  Pipeline *p = img->p;
  for (guint i = 0; i < p->n_entries; i++)
    {
      Entry *en = &p->entries[i];
      if (en->outputs == 0)
        continue;
      if (en->epoch != e->epoch)
        {
          en->epoch = e->epoch;
          if (en->failed == NULL)
            en->failed = g_array_new (FALSE, FALSE, sizeof (Failed));
          g_array_set_size (en->failed, 0);
          en->shares_failed = FALSE;
          ams_access_check_shares (e->access, &en->spec, keep_share_failure, en);
          ams_access_check_launch_templates (e->access, &en->spec, keep_template_failure, en);
          ams_access_check_ssm_parameters (e->access, &en->spec, keep_template_failure, en);
        }
      for (guint j = 0; j < en->failed->len; j++)
        {
          const Failed *f = &g_array_index (en->failed, Failed, j);
          output_failed (e, img, f->cause, en->spec.region, f->account);
          if (AMS_TRACING (e))
            trace_share_failed (e, img, f, en->spec.region);
        }
      for (guint j = 0; j < en->outputs; j++)
        output_done (e, img);
    }
}

static void
image_failed_early (AmsEngine *e, Image *img, AmsCause cause)
{
  Pipeline *p = img->p;
  const AmsRegion *region = ams_world_find_region (e->w, p->sc->region.value);
  const AmsAccount *owner = ams_world_find_account (e->w, p->sc->account.value);
  img->outputs = 1;
  img->remaining = 1;
  output_failed (e, img, cause, region, owner);
  output_done (e, img);
}

static void watchdog (AmsKernel *k, void *data, uint64_t arg);
static void build_over (Pipeline *p);

static void
arm_watchdog (Pipeline *p)
{
  AmsEngine *e = p->e;
  if (p->distributing == NULL || ams_kernel_is_pending (e->k, p->watchdog))
    return;
  p->watchdog = ams_kernel_schedule (e->k, p->distributing->t_dist + p->timeout,
                                     AMS_PRIORITY_DEFAULT, watchdog, p, 0);
}

/* Appends img to the FIFO of images distributing, which the timeout watches. */
static void
start_distributing (Pipeline *p, Image *img)
{
  img->prev = p->distributing_tail;
  if (p->distributing_tail != NULL)
    p->distributing_tail->next = img;
  else
    p->distributing = img;
  p->distributing_tail = img;
  arm_watchdog (p);
}

/* The oldest image distributing has reached its timeout (or has already
 * ended: then wait for the next one). */
static void
watchdog (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  AmsEngine *e = p->e;
  AmsTime now = ams_kernel_now (k);
  while (p->distributing != NULL && p->distributing->t_dist + p->timeout <= now)
    {
      Image *img = p->distributing;
      unlink_distributing (img);
      /* every copy still queued or transferring fails, the last requested
       * first; the image with them */
      for (guint i = img->n_copies; i-- > 0;)
        {
          Copy *c = &img->copies[i];
          if (c->img == NULL)
            continue; /* ended */
          Target *t = ams_copy_target (c);
          EnginePool *ep = c->pool;
          guint holding = c->holding;
          AmsPool *source = copy_source_pool (c);
          if (c->flowing)
            ams_link_cancel (ams_engine_link (e, p, t), c->flow);
          else
            ams_kernel_cancel (k, c->done); /* its transfer, or its next retry */
          if (c->queued == 1)
            ams_pool_withdraw (&ep->pool, c);
          else if (c->queued == 2)
            ams_pool_withdraw (source, c);
          gboolean last = img->remaining == 1;
          copy_end (e, c, FALSE, AMS_CAUSE_DISTRIBUTION_TIMEOUT, AMS_STEP_COPY);
          release_slots (ep, source, holding);
          if (last)
            break; /* the image ended with this copy */
          if (img->copies == NULL)
            break; /* it ended with a copy this release granted (copies_free
                      set img->copies to NULL; the image's record is back on
                      the images' free list, which writes only its first word) */
        }
    }
  arm_watchdog (p);
}

static void
image_tested (AmsKernel *k, void *data, uint64_t arg)
{
  Image *img = data;
  Pipeline *p = img->p;
  AmsEngine *e = p->e;
  AmsTime now = ams_kernel_now (k);
  img->t_built = now;
  build_over (p); /* the build is over */
  ams_stat_add (&e->res.build_s, ams_time_to_s (now - img->t_start));
  double q = p->sc->test_failure_probability;
  if (q > 0.0 && gsl_rng_uniform (p->faults) < q)
    {
      if (AMS_TRACING (e))
        ams_trace_image (e, AMS_TRACE_TEST_FAILED, img, AMS_CAUSE_TEST_FAILED);
      image_failed_early (e, img, AMS_CAUSE_TEST_FAILED);
      return;
    }

  if (p->sc->target_repository != NULL)
    {
      /* a container recipe: the image goes to its ECR repository */
      img->t_dist = now;
      image_end (e, img);
      return;
    }
  /* the image's AMI is registered in the owner account and build region */
  if (G_UNLIKELY (p->home->amis + p->home->binned >= e->sc->sim.amis_per_account_region))
    {
      image_failed_early (e, img, AMS_CAUSE_AMI_QUOTA_EXCEEDED);
      return;
    }
  img->t_dist = now;
  img->targets = p->targets;
  img->epoch = e->epoch;
  img->outputs = p->n_targets + p->entry_outputs;
  img->remaining = img->outputs;
  if (img->outputs == 0)
    {
      ams_inv_ami_registered (e, img, p->home, NULL);
      image_end (e, img);
      return;
    }
  start_distributing (p, img);
  if (AMS_TRACING (e))
    ams_trace_distribution (e, img, NULL, 0);

  /* hold the image open while its outputs start, so that one failing at
   * once cannot end it before the others are asked for */
  img->remaining++;
  shares_and_templates (e, img);
  /* its AMI, once the region's launch permissions are decided */
  ams_inv_ami_registered (e, img, p->home, NULL);
  copies_reserve (img, p->n_targets);
  for (guint i = 0; i < p->n_targets; i++)
    {
      if (i + 2 < p->n_targets)
        ams_engine_prefetch_pool (ams_target_pool (e, &p->targets[i + 2]));
      copy_request (e, img, &p->targets[i]);
    }
  output_done (e, img);
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
image_built (AmsKernel *k, void *data, uint64_t arg)
{
  Image *img = data;
  Pipeline *p = img->p;
  double q = p->sc->failure_probability;
  if (q > 0.0 && gsl_rng_uniform (p->faults) < q)
    {
      img->t_built = ams_kernel_now (k);
      if (AMS_TRACING (p->e))
        ams_trace_image (p->e, AMS_TRACE_BUILD_FAILED, img, AMS_CAUSE_BUILD_FAILED);
      build_over (p);
      image_failed_early (p->e, img, AMS_CAUSE_BUILD_FAILED);
      return;
    }
  if (AMS_TRACING (p->e))
    ams_trace_image (p->e, AMS_TRACE_BUILD_DONE, img, AMS_CAUSE_NONE);
  after (p->e, draw (&p->sc->test_time, p->test), image_tested, img);
}

/* A build and its test as one event (build_granted): the kernel's relay
 * runs image_tested exactly where image_built's event would have
 * scheduled it, and runs that event only where the order needs it
 * (ams_kernel_schedule_relay). */
static G_GNUC_NO_INLINE void
build_and_test (Image *img, AmsTime build)
{
  Pipeline *p = img->p;
  /* drawn now, not at the build's end: relay_test says that this draws
   * the same durations for the same images */
  AmsTime test = draw (&p->sc->test_time, p->test);
  if (test > 0)
    ams_kernel_schedule_relay (p->e->k, build, AMS_PRIORITY_DEFAULT, test, AMS_PRIORITY_DEFAULT,
                               image_tested, img, 0);
  else /* image_built would call image_tested at once */
    ams_kernel_schedule_in (p->e->k, build, AMS_PRIORITY_DEFAULT, image_tested, img, 0);
}

/* The build starts. Where nothing can tell (relay_test, and no trace,
 * which would show the build's end), it and its test are one event. */
static void
build_granted (Image *img)
{
  Pipeline *p = img->p;
  AmsTime build = draw (&p->sc->build_time, p->build);
  if (build > 0 && p->relay_test && !AMS_TRACING (p->e))
    build_and_test (img, build);
  else
    after (p->e, build, image_built, img);
}

/* A build slot is free again: the longest-waiting build of the account and
 * region takes it. */
static void
build_over (Pipeline *p)
{
  BuildSlots *bs = p->builds_slots;
  Image *next = bs->waiting.length > 0 ? g_queue_pop_head (&bs->waiting) : NULL;
  if (next != NULL)
    {
      if (AMS_TRACING (p->e))
        ams_trace_image (p->e, AMS_TRACE_BUILD_STARTED, next, AMS_CAUSE_NONE);
      build_granted (next);
    }
  else
    bs->running--;
}

/* The build instances' instance profile (the pipeline's infrastructure
 * configuration): without what a build needs, the image fails as it
 * starts. Decided again only when the world changed. */
G_GNUC_NO_INLINE static AmsCause
instance_profile_refuses (AmsEngine *e, Image *img)
{
  Pipeline *p = img->p;
  Decision *d = &p->profile;
  if (d->epoch != e->epoch)
    {
      g_auto (AmsBlocker) b = { 0 };
      gboolean ok = ams_access_check_instance_profile (e->access, p->sc, &b);
      d->epoch = e->epoch;
      d->cause = ok ? AMS_CAUSE_NONE : b.cause;
      d->step = b.step;
      d->message = ok ? NULL : g_string_chunk_insert_const (e->messages, b.message);
    }
  img->message = d->message;
  return d->cause;
}

/* A pipeline execution starts: it waits for one of the account and
 * region's concurrent build slots, then builds. */
static void
image_start (Pipeline *p, gboolean scheduled, const char *trigger)
{
  AmsEngine *e = p->e;
  Image *img = ams_freelist_alloc (&e->images);
  img->p = p;
  img->build = ++*p->builds;
  img->t_start = ams_kernel_now (e->k);
  img->t_built = AMS_TIME_NEVER;
  img->scheduled = scheduled;
  img->trigger = trigger;
  e->res.images_started++;
  ams_inv_image_started (e, img);
  AmsCause refused = G_UNLIKELY (p->chain != NULL) ? ams_chain_image_start (e, img)
                                                  : AMS_CAUSE_NONE;
  if (G_UNLIKELY (p->sc->infrastructure != NULL) && refused == AMS_CAUSE_NONE)
    refused = instance_profile_refuses (e, img);
  if (G_UNLIKELY (refused != AMS_CAUSE_NONE))
    {
      /* the supply chain refuses it before it takes a build slot */
      if (AMS_TRACING (e))
        ams_trace_image (e, AMS_TRACE_IMAGE_STARTED, img, AMS_CAUSE_NONE);
      image_failed_early (e, img, refused);
      return;
    }
  BuildSlots *bs = p->builds_slots;
  gboolean slot = bs->running < bs->capacity;
  if (slot)
    bs->running++;
  if (AMS_TRACING (e))
    {
      ams_trace_image (e, AMS_TRACE_IMAGE_STARTED, img, AMS_CAUSE_NONE);
      if (slot)
        ams_trace_image (e, AMS_TRACE_BUILD_STARTED, img, AMS_CAUSE_NONE);
    }
  if (slot)
    build_granted (img);
  else
    {
      g_queue_push_tail (&bs->waiting, img);
      e->res.builds_waited++;
    }
}

static void
scheduled_start (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  image_start (p, TRUE, p->next_trigger);
}

/* ---- triggers ---------------------------------------------------------- */

static void
pipeline_stop (Pipeline *p)
{
  ams_kernel_cancel (p->e->k, p->trigger);
}

static void
poisson_arrival (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  p->trigger = ams_kernel_schedule_in (k, draw (&p->interarrival, p->arrivals),
                                       AMS_PRIORITY_DEFAULT, poisson_arrival, p, 0);
  image_start (p, TRUE, "arrival");
}

/* The next schedule match strictly after simulated time `after`, or
 * AMS_TIME_NEVER. Cron fields are wall-clock times in the schedule's zone
 * of the calendar that starts at the scenario's `start`. */
static AmsTime
next_match (Pipeline *p, AmsTime after)
{
  if (p->sc->trigger == AMS_SC_TRIGGER_RATE)
    return after + p->sc->rate_period;
  AmsTime start = p->e->sc->start;
  AmsTime next = ams_cron_next (p->sc->cron, start + after, p->tz);
  return next == AMS_TIME_NEVER ? AMS_TIME_NEVER : next - start;
}

static void
schedule_fire (AmsKernel *k, void *data, uint64_t arg)
{
  Pipeline *p = data;
  AmsEngine *e = p->e;
  p->next_fire = next_match (p, p->next_fire);
  if (p->next_fire != AMS_TIME_NEVER)
    p->trigger = ams_kernel_schedule (k, p->next_fire, AMS_PRIORITY_DEFAULT, schedule_fire, p, 0);

  /* The default start condition builds when something the recipe uses has
   * a new version since the last build, or for its first build, or when an
   * event says so. What the pipeline cannot reach it sees no updates of; a
   * first build waits for something to build from to exist. */
  if (p->sc->start_condition == AMS_SC_START_DEPENDENCY_UPDATES)
    {
      const char *why = NULL;
      AmsCause blocked = p->chain != NULL ? ams_chain_blocked (e, p, &why) : AMS_CAUSE_NONE;
      gboolean go = p->updates_pending ? blocked != AMS_CAUSE_RESOURCE_UNAVAILABLE
                                       : blocked == AMS_CAUSE_NONE && ams_chain_updates (e, p);
      if (!go)
        {
          e->res.runs_skipped++;
          if (AMS_TRACING (e))
            {
              AmsTraceEvent ev = {
                .kind = AMS_TRACE_SCHEDULE_SKIPPED,
                .image = p->sc->name,
                .account = p->home->account->id,
                .region = p->home->region->name,
                .cause = blocked,
                .message = why,
              };
              ams_trace_emit (e, &ev);
            }
          return;
        }
    }
  p->next_trigger = p->scripted_update ? "dependency_update" : "schedule";
  p->updates_pending = FALSE;
  p->scripted_update = FALSE;
  after (e, draw (&e->sc->sim.schedule_delay, p->schedule), scheduled_start, p);
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
    case AMS_SC_TRIGGER_CRON:
      /* A rate schedule first matches one period after the pipeline
       * exists; a cron schedule at its first match after the start. */
      if (p->sc->timezone != NULL)
        p->tz = g_time_zone_new_identifier (p->sc->timezone);
      p->next_fire = p->sc->trigger == AMS_SC_TRIGGER_RATE ? p->sc->rate_period
                                                           : next_match (p, -1);
      if (p->next_fire != AMS_TIME_NEVER)
        p->trigger = ams_kernel_schedule (e->k, p->next_fire, AMS_PRIORITY_DEFAULT,
                                          schedule_fire, p, 0);
      break;
    case AMS_SC_TRIGGER_MANUAL:
      break;
    }
}

/* ---- what-if events ------------------------------------------------------ */

/* RetryImage: the failed copies of the pipeline's last failed image run
 * again; the image is no longer FAILED while they do. */
static void
retry_image (AmsEngine *e, Pipeline *p)
{
  if (p->retry == NULL || p->retry->len == 0)
    return; /* nothing failed, or only outputs a retry cannot change */
  /* the image is no longer FAILED, but in flight again; had it failed
   * before the warm-up, its failure is not counted any more */
  if (p->retry_end >= e->sc->sim.warmup || ams_kernel_now (e->k) < e->sc->sim.warmup)
    e->res.images_failed--;
  else
    e->warm_images++;
  Image *img = ams_freelist_alloc (&e->images);
  img->p = p;
  img->build = p->retry_build;
  img->t_start = p->retry_start;
  img->t_built = img->t_dist = ams_kernel_now (e->k);
  img->retried = TRUE;
  img->trigger = "retry";
  ams_inv_image_retried (e, img);
  GPtrArray *targets = g_steal_pointer (&p->retry);
  img->targets = p->retry_targets; /* the failed image's: its failed targets are in it */
  img->epoch = e->epoch;
  img->outputs = targets->len;
  img->remaining = targets->len + 1;
  start_distributing (p, img);
  if (AMS_TRACING (e))
    ams_trace_distribution (e, img, (Target *const *) targets->pdata, targets->len);
  copies_reserve (img, targets->len);
  for (guint i = 0; i < targets->len; i++)
    copy_request (e, img, targets->pdata[i]);
  g_ptr_array_unref (targets);
  output_done (e, img);
}

static void
apply_event (AmsKernel *k, void *data, uint64_t arg)
{
  AmsEngine *e = data;
  const AmsScEvent *ev = e->sc->events->pdata[arg];
  AmsWorld *w = (AmsWorld *) e->w; /* events are the one thing that changes the world */
  e->events_applied++;
  /* (the supply chain's events say themselves whether they were applied or
   * refused) */
  if (AMS_TRACING (e) && !ams_sc_event_is_supply (ev->kind))
    ams_trace_event_applied (e, ev);
  switch (ev->kind)
    {
    case AMS_SC_EV_SET_LIMIT:
      for (guint i = 0; i < e->pools->len; i++)
        {
          EnginePool *ep = e->pools->pdata[i];
          if ((ev->account.value == NULL || strcmp (ev->account.value, ep->account->id) == 0)
              && (ev->region.value == NULL || strcmp (ev->region.value, ep->region->name) == 0))
            {
              ams_pool_set_capacity (&ep->pool, ev->copies);
              if (AMS_TRACING (e))
                ams_trace_pool (e, ep);
            }
        }
      return; /* no permission changed */
    case AMS_SC_EV_DISABLE_KEY:
    case AMS_SC_EV_ENABLE_KEY:
    case AMS_SC_EV_CANCEL_KEY_DELETION:
    case AMS_SC_EV_SCHEDULE_KEY_DELETION:
    case AMS_SC_EV_ADD_STATEMENT:
    case AMS_SC_EV_REMOVE_STATEMENT:
    case AMS_SC_EV_DELETE_ROLE:
    case AMS_SC_EV_MOVE_ACCOUNT:
      ams_world_apply_event (w, ev);
      break;
    case AMS_SC_EV_DEPENDENCY_UPDATE:
      {
        Pipeline *p = ams_engine_pipeline (e, ev->pipeline.value);
        p->updates_pending = TRUE;
        p->scripted_update = TRUE;
        return;
      }
    case AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE:
    case AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE:
    case AMS_SC_EV_ACCEPT_INVITATION:
    case AMS_SC_EV_REJECT_INVITATION:
    case AMS_SC_EV_DELETE_RESOURCE:
    case AMS_SC_EV_PUBLISH_COMPONENT:
      ams_chain_event (e, ev);
      return; /* the supply keeps its own epoch */
    case AMS_SC_EV_RETRY_IMAGE:
      retry_image (e, ams_engine_pipeline (e, ev->pipeline.value));
      return;
    case AMS_SC_EV_SET_DISTRIBUTION:
      {
        /* new images use the new configuration; those distributing keep
         * theirs (their copies point into the old targets, kept alive) */
        Pipeline *p = ams_engine_pipeline (e, ev->pipeline.value);
        p->consecutive_failures = 0; /* an update resets the count (AWS) */
        g_ptr_array_add (e->retired, p->targets);
        for (guint j = 0; j < p->n_entries; j++)
          if (p->entries[j].failed != NULL)
            g_array_unref (p->entries[j].failed);
        g_free (p->entries);
        pipeline_outputs (e, p, ev->distributions, e->pool_index);
        if (ev->distribution_timeout > 0)
          p->timeout = ev->distribution_timeout;
        if (e->recorder.pool != NULL || e->tracer.event != NULL)
          for (guint i = 0; i < e->pools->len; i++)
            {
              EnginePool *ep = g_ptr_array_index (e->pools, i);
              ams_pool_set_observer (&ep->pool, pool_observe, ep);
            }
        return;
      }
    case AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE:
    case AMS_SC_EV_RESET_IMAGE_ATTRIBUTE:
      ams_inv_event (e, ev);
      return; /* the AMIs' own launch permissions: nothing cached depends on them */
    case AMS_SC_EV_SET_DEREGISTRATION_PROTECTION:
    case AMS_SC_EV_RESTORE_IMAGE:
    case AMS_SC_EV_REGISTER_IMAGE:
      ams_inv_event (e, ev);
      return; /* no permission changed */
    case AMS_SC_EV_SET_LIFECYCLE_POLICY:
      ams_lc_set_status (e, ev);
      return;
    }
  /* every cached permission decision is made again when next needed, if
   * the event changed the world */
  e->epoch = ams_world_generation (w) + 1;
}

/* ---- running ----------------------------------------------------------- */

static void
pool_observe (const AmsPool *pool, void *user)
{
  EnginePool *ep = user;
  ams_engine_sample_pool (ep);
  if (AMS_TRACING (ep->e))
    ams_trace_pool (ep->e, ep);
}

static int
pool_result_cmp (gconstpointer a, gconstpointer b)
{
  const AmsPoolReport *x = a, *y = b;
  int c = strcmp (x->account, y->account);
  return c != 0 ? c : strcmp (x->region, y->region);
}

static int
failure_cmp (gconstpointer a, gconstpointer b)
{
  const AmsFailureCount *x = a, *y = b;
  if (x->cause != y->cause)
    return x->cause < y->cause ? -1 : 1;
  int c = strcmp (x->region, y->region);
  return c != 0 ? c : strcmp (x->account, y->account);
}

static void
collect (AmsEngine *e)
{
  AmsResults *r = &e->res;
  r->events = ams_kernel_events_run (e->k);
  r->end = ams_kernel_now (e->k);
  r->images_in_flight = e->warm_images + r->images_started - r->images_available
                        - r->images_failed;
  r->copies_in_flight = e->warm_copies + r->copies_requested - r->copies_succeeded
                        - r->copies_failed;
  for (guint i = 0; i < e->pools->len; i++)
    {
      const EnginePool *ep = g_ptr_array_index (e->pools, i);
      if (ep->copies == 0)
        continue; /* only pools that saw a copy (every one was refused at request) */
      AmsPoolStats st;
      ams_pool_stats (&ep->pool, &st);
      guint limit = ams_pool_capacity (&ep->pool);
      AmsPoolReport pr = {
        .account = ep->account->id,
        .region = ep->region->name,
        .limit = limit,
        .copies = ep->copies,
        .waited = ep->waited,
        .busy_mean = st.busy_mean,
        .utilization = limit > 0 ? st.busy_mean / limit : 0.0,
        .queue_mean = st.queue_mean,
        .queue_max = st.queue_max,
        .busy_max = st.busy_max,
        .at_limit_s = ams_time_to_s (st.full_time),
        .at_limit = st.observed > 0 ? (double) st.full_time / (double) st.observed : 0.0,
        .wait_max_s = ams_time_to_s (st.wait_max),
      };
      g_array_append_val (r->pools, pr);
    }
  g_array_sort (r->pools, pool_result_cmp);

  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, e->failures);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      const gint64 *kv = key;
      AmsFailureCount fc = {
        .cause = (AmsCause) (kv[0] >> 48),
        .region = ams_world_region (e->w, (guint) ((kv[0] >> 24) & 0xffffff))->name,
        .account = ams_world_account (e->w, (guint) (kv[0] & 0xffffff))->id,
        .count = (uint64_t) kv[1],
      };
      g_array_append_val (r->failures, fc);
    }
  g_array_sort (r->failures, failure_cmp);
  ams_inv_collect (e);
  ams_chain_collect (e);
}

/* Warm-up deletion (simulation.warmup): the statistics restart now, and
 * what the run did before is forgotten; what is in flight stays so. Each
 * count counts its own events from now on (an image started before the
 * warm-up and finished after it counts as finished, not as started) and a
 * duration is observed when it ends (that image's end-to-end time counts
 * whole). Time averages (pools, storage) cover [warmup, end]. */
static void
warmup (AmsKernel *k, void *data, uint64_t arg)
{
  AmsEngine *e = data;
  AmsResults *r = &e->res;
  if (AMS_TRACING (e))
    {
      AmsTraceEvent ev = { .kind = AMS_TRACE_WARMUP_DONE };
      ams_trace_emit (e, &ev);
    }
  e->warm_images = r->images_started - r->images_available - r->images_failed;
  e->warm_copies = r->copies_requested - r->copies_succeeded - r->copies_failed;
  AmsResults kept = *r; /* the run's identity and the last copy's time stay */
  ams_results_clear (r);
  ams_results_init (r);
  r->seed = kept.seed;
  r->replication = kept.replication;
  r->horizon = kept.horizon;
  r->warmup = kept.warmup;
  r->last_copy = kept.last_copy;
  r->start = kept.start;
  e->day_next = 0; /* days count from here on: the next copy opens its day again */
  for (guint i = 0; i < e->pools->len; i++)
    {
      EnginePool *ep = g_ptr_array_index (e->pools, i);
      ams_pool_reset_stats (&ep->pool);
      ep->copies = 0;
      ep->waited = 0;
    }
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, e->failures);
  while (g_hash_table_iter_next (&it, &key, NULL))
    {
      g_hash_table_iter_steal (&it);
      failure_key_free (key);
    }
  ams_inv_reset_stats (e);
  ams_chain_reset_stats (e);
}

void
ams_engine_run (AmsEngine *e)
{
  g_return_if_fail (e != NULL && !e->ran);
  e->ran = TRUE;
  ams_inv_setup (e, e->lifecycle);
  ams_lc_setup (e); /* the policies work on the inventory: set up after it */
  if (e->recorder.pool != NULL || e->tracer.event != NULL)
    for (guint i = 0; i < e->pools->len; i++)
      {
        EnginePool *ep = g_ptr_array_index (e->pools, i);
        ams_pool_set_observer (&ep->pool, pool_observe, ep);
      }
  for (guint i = 0; i < e->n_pipelines; i++)
    pipeline_arm (e, &e->pipelines[i]);
  ams_inv_arm (e);
  ams_lc_arm (e); /* after the consumers' launches, so that events keep their order */
  ams_chain_arm (e);
  /* events before schedules at the same moment: a key disabled at 3d
   * fails the copies asked for at 3d */
  for (guint i = 0; i < e->sc->events->len; i++)
    {
      const AmsScEvent *ev = e->sc->events->pdata[i];
      if (ev->at <= e->sc->horizon) /* what-ifs belong to the horizon, not to a drain */
        ams_kernel_schedule (e->k, ev->at, AMS_PRIORITY_DEFAULT - 1, apply_event, e, i);
    }
  if (e->sc->sim.warmup > 0)
    ams_kernel_schedule (e->k, e->sc->sim.warmup, AMS_PRIORITY_MIN, warmup, e, 0);
  ams_kernel_run_until (e->k, e->sc->horizon);
  if (e->sc->sim.drain)
    {
      /* Start nothing new; run what is in flight to its end, so that the
       * clock stops at the last output done. */
      for (guint i = 0; i < e->n_pipelines; i++)
        pipeline_stop (&e->pipelines[i]);
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

void
ams_engine_take_results (AmsEngine *e, AmsResults *out)
{
  g_return_if_fail (e != NULL && e->ran && out != NULL);
  *out = e->res;
  ams_results_init (&e->res);
  ams_results_detach (out);
}
