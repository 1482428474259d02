/* What every part of the engine shares, at the bottom of its direction of
 * calls (engine-private.h): random streams, failure counts, pipelines by
 * name, and the pool samples the recorder is sent. engine.c, lifecycle.c
 * and inventory.c all call in here; nothing here calls them back, so a part
 * that needs one of these helpers does not need the part that drives it. */
#include <string.h>
#include <gsl/gsl_rng.h>

#include "amisim/rng.h"
#include "engine/engine-private.h"

gsl_rng *
ams_engine_stream (AmsEngine *e, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *name = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  return ams_rng_new (e->seed, e->replication, name);
}

Pipeline *
ams_engine_pipeline (AmsEngine *e, const char *name)
{
  for (guint i = 0; i < e->n_pipelines; i++)
    if (strcmp (e->pipelines[i].sc->name, name) == 0)
      return &e->pipelines[i];
  return NULL;
}

/* Counts one failure of `cause` in (region, account). The key and its count
 * are one block, which engine.c reads back when it collects the results and
 * frees (g_free) at the warm-up and at the end. */
void
ams_engine_count_failure (AmsEngine *e, AmsCause cause, const AmsRegion *region,
                          const AmsAccount *account)
{
  e->res.failures_total++;
  e->res.failures_by_cause[cause]++;
  gint64 packed = ((gint64) cause << 48) | ((gint64) region->index << 24) | account->index;
  gint64 *count = g_hash_table_lookup (e->failures, &packed);
  if (count == NULL)
    {
      /* key and value in one block: [0] the key, [1] the count */
      count = g_new0 (gint64, 2);
      count[0] = packed;
      g_hash_table_insert (e->failures, count, count);
    }
  count[1]++;
}

static inline gpointer
refusal_key (const Target *t, AmsCopyPhase phase)
{
  return GSIZE_TO_POINTER (1 + 2 * (gsize) t->question + (phase == AMS_COPY_AT_REQUEST ? 0 : 1));
}

void
ams_engine_decided (AmsEngine *e, const Target *t, AmsCopyPhase phase, AmsCause cause,
                    AmsStep step, const char *message)
{
  TargetDecision *d = ams_engine_decision (e, t, phase);
  d->epoch = (uint32_t) e->epoch;
  d->cause = (guint8) cause;
  d->step = (guint8) step;
  if (message != NULL)
    g_hash_table_insert (e->refusals, refusal_key (t, phase),
                         g_string_chunk_insert_const (e->messages, message));
  else if (G_UNLIKELY (g_hash_table_size (e->refusals) > 0))
    g_hash_table_remove (e->refusals, refusal_key (t, phase));
}

G_STATIC_ASSERT (AMS_CAUSE_COUNT <= 256); /* TargetDecision.cause is 8 bits */

const char *
ams_engine_refusal (AmsEngine *e, const Target *t, AmsCopyPhase phase)
{
  return ams_engine_decision (e, t, phase)->cause == AMS_CAUSE_NONE
           ? NULL
           : g_hash_table_lookup (e->refusals, refusal_key (t, phase));
}

void
ams_engine_sample_pool (EnginePool *ep)
{
  AmsEngine *e = ep->e;
  if (e->recorder.pool == NULL)
    return;
  AmsPoolSample s = {
    .t = ams_kernel_now (e->k),
    .account = ep->account->id,
    .region = ep->region->name,
    .busy = ams_pool_busy (&ep->pool),
    .queued = ams_pool_queued (&ep->pool),
    .limit = ams_pool_capacity (&ep->pool),
    .amis = (guint) ep->amis,
    .snapshot_gib = (double) ep->snapshot_bytes / (1024.0 * 1024.0 * 1024.0),
  };
  e->recorder.pool (e->recorder.user, &s);
}
