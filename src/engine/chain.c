/* The supply chain in a run (chain.h): what each build uses, why it went
 * ahead, the ripples of new versions through the pipelines that use them,
 * and RAM's invitations and events at their simulated moments.
 *
 * What a build uses is asked of the model (supply.h) at the build's start.
 * A pipeline remembers what its newest build that has not failed used, so
 * that a schedule match under the default start condition
 * (EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE) builds exactly when
 * a reference now resolves to another version — a new golden build the
 * account may use, a component published, a share that now reaches it —
 * and a build that failed leaves the next match to try again.
 *
 * A ripple starts at a build of a pipeline others use (or a component
 * version published by an event) and takes in each build that is the first
 * of its pipeline to use it, then the builds that are the first to use
 * those, to any depth. It is measured from the moment its version exists
 * to its last dependent build AVAILABLE. Ripples are kept until the end of
 * the run (one small record per build of a pipeline others use).
 *
 * A build whose references are out of reach (not shared, invitation not
 * accepted, deleted, in another region, a key that does not allow the
 * account, …) is refused at its start with the model's cause, and counted
 * like other failures in the owner account and build region.
 */
#include <string.h>

#include "engine/chain.h"

struct Ripple
{
  char *name;            /* "golden 1.0.0/3", or the component version's ARN */
  AmsTime t_root;        /* when its version came to exist */
  guint members;         /* dependent builds started */
  guint available;
  guint failed;
  AmsTime last_end;      /* the last dependent build AVAILABLE; AMS_TIME_NEVER: none */
  guint depth_max;
};

/* What an image version of the supply carries for the engine. */
typedef struct
{
  Ripple *ripple;
  guint depth;
} Origin;

struct ChainPipe
{
  guint n;               /* things a build uses */
  AmsSupplyUse *uses;    /* the last resolution */
  uint64_t epoch[2];     /* of the world and of the supply, when it was made */
  gboolean ok;           /* it succeeded */
  AmsCause cause;        /* otherwise why */
  const char *message;   /* (interned) */
  uint64_t *last;        /* serials of its newest build that did not fail */
  gboolean built;        /* `last` is set */
};

struct Chain
{
  GPtrArray *ripples;    /* of Ripple*, in the order they started */
  GPtrArray *origins;    /* of Origin* (owned) */
  GHashTable *streams;   /* "share/principal" -> gsl_rng* (answers of invitations) */
  GStringChunk *strings; /* upstream ARNs, messages */
  GHashTable *live;      /* the serials of images in flight (freed with the chain if the
                            run ends with them) */
  AmsTime since;         /* warm-up: ripples from then on are counted */
};

/* ---- set-up --------------------------------------------------------------- */

static gboolean
scenario_has_supply (const AmsScenario *sc)
{
  if (sc->resource_shares->len > 0 || sc->resource_policies->len > 0 || sc->recipes->len > 0)
    return TRUE;
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScRecipe *r = ((const AmsScPipeline *) sc->pipelines->pdata[i])->recipe;
      if (r != NULL && (!r->block || r->parent.arn != NULL || r->components->len > 0))
        return TRUE;
    }
  for (guint i = 0; i < sc->events->len; i++)
    if (ams_sc_event_is_supply (((const AmsScEvent *) sc->events->pdata[i])->kind))
      return TRUE;
  return FALSE;
}

static void
ripple_free (gpointer p)
{
  Ripple *r = p;
  g_free (r->name);
  g_free (r);
}

void
ams_chain_setup (AmsEngine *e)
{
  if (!scenario_has_supply (e->sc))
    return;
  e->supply = ams_supply_new (e->w, e->access);
  e->chain = g_new0 (Chain, 1);
  e->chain->ripples = g_ptr_array_new_with_free_func (ripple_free);
  e->chain->origins = g_ptr_array_new_with_free_func (g_free);
  e->chain->streams = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) gsl_rng_free);
  e->chain->strings = g_string_chunk_new (1024);
  e->chain->live = g_hash_table_new_full (NULL, NULL, g_free, NULL);
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      guint n = ams_supply_n_uses (e->supply, i);
      if (n == 0)
        continue;
      ChainPipe *cp = g_new0 (ChainPipe, 1);
      cp->n = n;
      cp->uses = g_new0 (AmsSupplyUse, n);
      cp->last = g_new0 (uint64_t, n);
      e->pipelines[i].chain = cp;
    }
}

void
ams_chain_free (AmsEngine *e)
{
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      ChainPipe *cp = e->pipelines[i].chain;
      if (cp == NULL)
        continue;
      g_free (cp->uses);
      g_free (cp->last);
      g_free (cp);
      e->pipelines[i].chain = NULL;
    }
  if (e->chain != NULL)
    {
      g_ptr_array_unref (e->chain->ripples);
      g_ptr_array_unref (e->chain->origins);
      g_hash_table_unref (e->chain->streams);
      g_string_chunk_free (e->chain->strings);
      g_hash_table_unref (e->chain->live);
      g_free (e->chain);
      e->chain = NULL;
    }
  ams_supply_free (e->supply);
  e->supply = NULL;
}

/* ---- invitations ----------------------------------------------------------- */

static void
trace_invitation (AmsEngine *e, guint invitation, const AmsAccount *answerer, const char *status)
{
  const char *share = ams_supply_invitation_share (e->supply, invitation);
  const AmsScResourceShare *sh = NULL;
  for (guint i = 0; i < e->sc->resource_shares->len && sh == NULL; i++)
    {
      const AmsScResourceShare *s = e->sc->resource_shares->pdata[i];
      if (strcmp (s->name, share) == 0)
        sh = s;
    }
  AmsTraceEvent ev = {
    .kind = AMS_TRACE_INVITATION,
    .share = share,
    .principal = ams_supply_invitation_principal (e->supply, invitation),
    .account = answerer != NULL ? answerer->id : NULL,
    .region = sh != NULL ? sh->region.value : NULL,
    .status = status,
  };
  ams_trace_emit (e, &ev);
}

static void
invitation_answered (AmsKernel *k, void *data, uint64_t arg)
{
  AmsEngine *e = data;
  guint invitation = (guint) (arg & 0xffffffffu);
  const AmsAccount *who = ams_world_account (e->w, (guint) (arg >> 32));
  if (!ams_supply_answer (e->supply, invitation, who, TRUE))
    return; /* withdrawn meanwhile */
  e->res.invitations_accepted++;
  if (AMS_TRACING (e))
    trace_invitation (e, invitation, who, "ACCEPTED");
}

static void
invitation_expires (AmsKernel *k, void *data, uint64_t arg)
{
  AmsEngine *e = data;
  if (!ams_supply_expire (e->supply, (guint) arg))
    return;
  e->res.invitations_expired++;
  if (AMS_TRACING (e))
    trace_invitation (e, (guint) arg, NULL, "EXPIRED");
}

/* An invitation was sent: its account answers it after its delay (an
 * account that never accepts lets it expire). The delay is drawn from the
 * stream of the share and principal, so that other shares' invitations do
 * not change it. */
static void
invited (guint invitation, const AmsAccount *answerer, gpointer user)
{
  AmsEngine *e = user;
  e->res.invitations_sent++;
  if (AMS_TRACING (e))
    trace_invitation (e, invitation, answerer, "SENT");
  AmsTime expiry = e->sc->sim.ram_invitation_expiry;
  ams_kernel_schedule_in (e->k, expiry, AMS_PRIORITY_DEFAULT - 1, invitation_expires, e,
                          invitation);
  if (answerer == NULL)
    return;
  const AmsScAccount *p = answerer->proto;
  if (p != NULL && !p->ram_accept)
    return;
  g_autofree char *key = g_strdup_printf ("%s/%s",
                                          ams_supply_invitation_share (e->supply, invitation),
                                          ams_supply_invitation_principal (e->supply, invitation));
  gsl_rng *r = g_hash_table_lookup (e->chain->streams, key);
  if (r == NULL)
    {
      r = ams_engine_stream (e, "ram/%s", key);
      g_hash_table_insert (e->chain->streams, g_steal_pointer (&key), r);
    }
  const AmsDist *delay = p != NULL && p->ram_after_set ? &p->ram_after
                                                       : &e->sc->sim.ram_acceptance_delay;
  AmsTime after = ams_engine_draw (delay, r);
  if (after < expiry)
    ams_kernel_schedule_in (e->k, after, AMS_PRIORITY_DEFAULT - 1, invitation_answered, e,
                            ((uint64_t) answerer->index << 32) | invitation);
}

void
ams_chain_arm (AmsEngine *e)
{
  if (e->supply != NULL)
    ams_supply_start (e->supply, invited, e);
}

/* ---- what builds use ---------------------------------------------------------- */

/* The pipeline's resolution, made again only when the world or the
 * supply changed. */
static ChainPipe *
resolve (AmsEngine *e, Pipeline *p)
{
  ChainPipe *cp = p->chain;
  uint64_t supply_epoch = ams_supply_epoch (e->supply);
  if (cp->epoch[0] == e->epoch && cp->epoch[1] == supply_epoch)
    return cp;
  cp->epoch[0] = e->epoch;
  cp->epoch[1] = supply_epoch;
  g_auto (AmsBlocker) b = { 0 };
  cp->ok = ams_supply_resolve (e->supply, p->index, cp->uses, &b);
  cp->cause = cp->ok ? AMS_CAUSE_NONE : b.cause;
  cp->message = cp->ok ? NULL : g_string_chunk_insert_const (e->chain->strings, b.message);
  return cp;
}

/* The first thing the build would use that the pipeline's newest build did
 * not (following references only: a fixed version never moves), or -1. A
 * pipeline that never built uses everything for the first time, but only a
 * version some ripple brought counts as new then: the first build of the
 * golden image is not a dependency build of the component it starts with. */
static int
first_new (const ChainPipe *cp)
{
  int found = -1;
  for (guint i = 0; i < cp->n; i++)
    {
      if (!cp->uses[i].follows || (cp->built && cp->uses[i].serial == cp->last[i])
          || (!cp->built && cp->uses[i].user == NULL))
        continue;
      /* a version with a ripple says more than one without */
      if (found < 0 || (cp->uses[found].user == NULL && cp->uses[i].user != NULL))
        found = (int) i;
    }
  return found;
}

AmsCause
ams_chain_blocked (AmsEngine *e, Pipeline *p, const char **message)
{
  if (p->chain == NULL)
    return AMS_CAUSE_NONE;
  const ChainPipe *cp = resolve (e, p);
  if (message != NULL)
    *message = cp->message;
  return cp->cause;
}

gboolean
ams_chain_updates (AmsEngine *e, Pipeline *p)
{
  if (p->chain == NULL)
    return FALSE;
  const ChainPipe *cp = resolve (e, p);
  return cp->ok && first_new (cp) >= 0;
}

AmsCause
ams_chain_image_start (AmsEngine *e, Image *img)
{
  Pipeline *p = img->p;
  if (p->chain == NULL)
    return AMS_CAUSE_NONE;
  ChainPipe *cp = resolve (e, p);
  if (!cp->ok)
    {
      img->message = cp->message;
      e->res.builds_blocked++;
      return cp->cause;
    }
  int i = first_new (cp);
  if (i >= 0)
    {
      const AmsSupplyUse *u = &cp->uses[i];
      img->trigger = "dependency";
      img->upstream = g_string_chunk_insert_const (e->chain->strings, u->arn);
      const Origin *o = u->user;
      if (o != NULL && o->ripple != NULL)
        {
          img->ripple = o->ripple;
          img->depth = o->depth + 1;
          o->ripple->members++;
          o->ripple->depth_max = MAX (o->ripple->depth_max, img->depth);
        }
    }
  /* [0, n): what it uses; [n, 2n): what the pipeline had used before it,
   * and [2n]: whether it had built at all (restored if this build fails) */
  img->serials = g_new (uint64_t, 2 * cp->n + 1);
  for (guint j = 0; j < cp->n; j++)
    {
      img->serials[j] = cp->uses[j].serial;
      img->serials[cp->n + j] = cp->last[j];
    }
  img->serials[2 * cp->n] = cp->built;
  g_hash_table_add (e->chain->live, img->serials);
  memcpy (cp->last, img->serials, cp->n * sizeof (uint64_t));
  cp->built = TRUE;
  return AMS_CAUSE_NONE;
}

static Ripple *
ripple_new (AmsEngine *e, char *name)
{
  Ripple *r = g_new0 (Ripple, 1);
  r->name = name;
  r->t_root = ams_kernel_now (e->k);
  r->last_end = AMS_TIME_NEVER;
  g_ptr_array_add (e->chain->ripples, r);
  return r;
}

static Origin *
origin_new (AmsEngine *e, Ripple *r, guint depth)
{
  Origin *o = g_new (Origin, 1);
  o->ripple = r;
  o->depth = depth;
  g_ptr_array_add (e->chain->origins, o);
  return o;
}

void
ams_chain_image_end (AmsEngine *e, Image *img, gboolean failed)
{
  Pipeline *p = img->p;
  if (img->ripple != NULL)
    {
      if (failed)
        img->ripple->failed++;
      else
        {
          img->ripple->available++;
          img->ripple->last_end = ams_kernel_now (e->k);
        }
    }
  if (p->chain != NULL && img->serials != NULL && failed)
    {
      /* a failed build did not use anything: the next match tries again,
       * unless a newer build has started since */
      ChainPipe *cp = p->chain;
      if (memcmp (cp->last, img->serials, cp->n * sizeof (uint64_t)) == 0)
        {
          memcpy (cp->last, img->serials + cp->n, cp->n * sizeof (uint64_t));
          cp->built = img->serials[2 * cp->n] != 0;
        }
    }
  ams_chain_image_release (img);
  if (failed || e->supply == NULL || !ams_supply_producer (e->supply, p->index))
    return;
  /* a new version others may use: a ripple starts here, or goes on */
  Ripple *r = img->ripple;
  if (r == NULL)
    {
      char version[64];
      ams_trace_version (p, img->build, version, sizeof version);
      r = ripple_new (e, g_strdup_printf ("%s %s", p->sc->name, version));
    }
  ams_supply_image_available (e->supply, p->index, img->build,
                              origin_new (e, r, img->ripple != NULL ? img->depth : 0));
}

void
ams_chain_image_release (Image *img)
{
  if (img->serials == NULL)
    return;
  g_hash_table_remove (img->p->e->chain->live, img->serials); /* frees them */
  img->serials = NULL;
}

const char *
ams_chain_ripple_name (const Ripple *r)
{
  return r != NULL ? r->name : NULL;
}

/* ---- events ------------------------------------------------------------------------ */

void
ams_chain_event (AmsEngine *e, const AmsScEvent *ev)
{
  g_return_if_fail (e->supply != NULL);
  g_auto (AmsBlocker) b = { 0 };
  gboolean rejecting = ev->kind == AMS_SC_EV_REJECT_INVITATION;
  if (ams_supply_event (e->supply, ev, invited, e, &b))
    {
      if (AMS_TRACING (e))
        ams_trace_event_applied (e, ev);
      if (rejecting)
        e->res.invitations_rejected++;
      else if (ev->kind == AMS_SC_EV_ACCEPT_INVITATION)
        e->res.invitations_accepted++;
      if (ev->kind == AMS_SC_EV_PUBLISH_COMPONENT)
        {
          /* a component version is a ripple's start as a golden build is */
          const char *arn = ams_supply_last_created (e->supply);
          const AmsScComponent *c = ev->component_def;
          const char *tail = strrchr (arn, '/');
          Ripple *r = ripple_new (e, g_strdup_printf ("component %s %s%s", c->name, ev->version,
                                                      tail != NULL ? tail : ""));
          ams_supply_attach (e->supply, arn, origin_new (e, r, 0));
        }
      return;
    }
  e->res.events_refused++;
  const AmsAccount *account = b.account != NULL ? b.account : ams_world_account (e->w, 0);
  const AmsRegion *region = b.region != NULL ? b.region : ams_world_region (e->w, 0);
  ams_engine_count_failure (e, b.cause, region, account);
  if (AMS_TRACING (e))
    {
      AmsTraceEvent tev = {
        .kind = AMS_TRACE_EVENT_REFUSED,
        .action = ams_sc_event_action (ev->kind),
        .account = account->id,
        .region = region->name,
        .cause = b.cause,
        .message = b.message,
      };
      ams_trace_emit (e, &tev);
    }
}

/* ---- results ------------------------------------------------------------------------- */

void
ams_chain_reset_stats (AmsEngine *e)
{
  if (e->chain != NULL)
    e->chain->since = ams_kernel_now (e->k);
}

void
ams_chain_collect (AmsEngine *e)
{
  if (e->chain == NULL)
    return;
  AmsResults *r = &e->res;
  for (guint i = 0; i < e->chain->ripples->len; i++)
    {
      const Ripple *rp = e->chain->ripples->pdata[i];
      if (rp->members == 0 || rp->t_root < e->chain->since)
        continue;
      r->ripples++;
      r->ripple_images += rp->members;
      r->ripple_available += rp->available;
      r->ripple_failed += rp->failed;
      ams_stat_add (&r->ripple_size, rp->members);
      if (rp->last_end != AMS_TIME_NEVER)
        ams_stat_add (&r->ripple_delay_s, ams_time_to_s (rp->last_end - rp->t_root));
      r->ripple_depth_max = MAX (r->ripple_depth_max, rp->depth_max);
    }
}
