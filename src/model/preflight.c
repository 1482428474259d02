/* The permission preflight (preflight.h): the checks of access.h and
 * supply.h over the start of the scenario, then again after each moment at
 * which its events change the world.
 */
#include <string.h>

#include "amisim/preflight.h"
#include "amisim/supply.h"

typedef struct
{
  AmsFindingFn fn;
  gpointer user;
  const AmsScEvent *after; /* the phase: NULL at the start */
  GHashTable *seen;        /* the findings reported so far, by key (owned strings) */
} Preflight;

/* Reports f unless the same blocker of the same subject was reported
 * before (a later phase finds again whatever still blocks). */
static void
report (Preflight *pf, AmsFinding *f)
{
  const AmsBlocker *b = f->b;
  char *key = g_strdup_printf ("%d\037%s\037%d\037%s\037%s\037%s\037%s", f->kind, f->subject,
                               b->cause, b->account ? b->account->id : "",
                               b->region ? b->region->name : "", b->resource ? b->resource : "",
                               b->message ? b->message : "");
  if (!g_hash_table_add (pf->seen, key))
    return;
  f->after = pf->after;
  pf->fn (f, pf->user);
}

static void
on_pipeline (const AmsScPipeline *pl, const AmsBlocker *b, gpointer user)
{
  AmsFinding f = { .kind = AMS_FINDING_PIPELINE, .subject = pl->name, .pipeline = pl, .b = b };
  report (user, &f);
}

static void
on_policy (const AmsScLifecyclePolicy *lp, const AmsBlocker *b, gpointer user)
{
  AmsFinding f = { .kind = AMS_FINDING_LIFECYCLE, .subject = lp->name, .policy = lp, .b = b };
  report (user, &f);
}

static void
on_event (const AmsScEvent *ev, const AmsBlocker *b, gpointer user)
{
  AmsFinding f = { .kind = AMS_FINDING_EVENT, .subject = ev->loc.path, .event = ev, .b = b };
  report (user, &f);
}

/* Every check on the world as it is now. */
static guint
check_world (AmsWorld *w, Preflight *pf, gboolean events)
{
  g_autoptr (AmsAccess) ax = ams_access_new (w);
  guint checks = ams_access_check_all (ax, on_pipeline, pf);
  checks += ams_access_check_lifecycle (ax, on_policy, pf);
  /* the supply chain as the run starts (a fresh supply: its own events are
   * judged once, on the world as it starts) */
  g_autoptr (AmsSupply) supply = ams_supply_new (w, ax);
  checks += ams_supply_check_all (supply, on_pipeline, pf);
  if (events)
    checks += ams_supply_check_events (supply, on_event, pf);
  return checks;
}

static int
by_time (gconstpointer a, gconstpointer b)
{
  const AmsScEvent *x = *(const AmsScEvent *const *) a, *y = *(const AmsScEvent *const *) b;
  return x->at < y->at ? -1 : x->at > y->at ? 1 : 0;
}

guint
ams_preflight (AmsWorld *w, AmsFindingFn fn, gpointer user)
{
  const AmsScenario *sc = ams_world_scenario (w);
  Preflight pf = {
    .fn = fn,
    .user = user,
    .seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  guint checks = check_world (w, &pf, TRUE);

  /* the events that change the world, in the order the run applies them
   * (time, then their order in the scenario: the sort is stable) */
  g_autoptr (GPtrArray) changes = g_ptr_array_new ();
  for (guint i = 0; i < sc->events->len; i++)
    {
      const AmsScEvent *ev = sc->events->pdata[i];
      if (ev->at <= sc->horizon)
        g_ptr_array_add (changes, (gpointer) ev);
    }
  g_ptr_array_sort (changes, by_time);
  for (guint i = 0; i < changes->len;)
    {
      /* every event of one moment, then the checks */
      AmsTime at = ((const AmsScEvent *) changes->pdata[i])->at;
      gboolean changed = FALSE;
      for (; i < changes->len && ((const AmsScEvent *) changes->pdata[i])->at == at; i++)
        if (ams_world_apply_event (w, changes->pdata[i]))
          {
            changed = TRUE;
            pf.after = changes->pdata[i];
          }
      if (changed)
        checks += check_world (w, &pf, FALSE);
    }
  g_hash_table_unref (pf.seen);
  return checks;
}
