/* Trace events (trace.h): their names, and the helpers the engine's parts
 * call to fill one in. Everything here runs only when a tracer is set: the
 * places that trace test AMS_TRACING first and call in here, so a run
 * without a tracer never builds an event. */
#include <string.h>

#include "engine/engine-private.h"

static const char *const kind_names[] = {
  [AMS_TRACE_IMAGE_STARTED] = "image_started",
  [AMS_TRACE_BUILD_STARTED] = "build_started",
  [AMS_TRACE_BUILD_DONE] = "build_done",
  [AMS_TRACE_BUILD_FAILED] = "build_failed",
  [AMS_TRACE_TEST_FAILED] = "test_failed",
  [AMS_TRACE_DISTRIBUTION_STARTED] = "distribution_started",
  [AMS_TRACE_IMAGE_AVAILABLE] = "image_available",
  [AMS_TRACE_IMAGE_FAILED] = "image_failed",
  [AMS_TRACE_COPY_REQUESTED] = "copy_requested",
  [AMS_TRACE_COPY_QUEUED] = "copy_queued",
  [AMS_TRACE_COPY_STARTED] = "copy_started",
  [AMS_TRACE_COPY_RETRY] = "copy_retry",
  [AMS_TRACE_COPY_DONE] = "copy_done",
  [AMS_TRACE_COPY_FAILED] = "copy_failed",
  [AMS_TRACE_SHARE_FAILED] = "share_failed",
  [AMS_TRACE_POOL_STATE] = "pool_state",
  [AMS_TRACE_SCHEDULE_SKIPPED] = "schedule_skipped",
  [AMS_TRACE_PIPELINE_DISABLED] = "pipeline_disabled",
  [AMS_TRACE_EVENT_APPLIED] = "event_applied",
  [AMS_TRACE_LIFECYCLE_RUN_STARTED] = "lifecycle_run_started",
  [AMS_TRACE_LIFECYCLE_RUN_SKIPPED] = "lifecycle_run_skipped",
  [AMS_TRACE_LIFECYCLE_ACTION] = "lifecycle_action",
  [AMS_TRACE_LIFECYCLE_RUN_DONE] = "lifecycle_run_done",
  [AMS_TRACE_LAUNCH] = "launch",
  [AMS_TRACE_LAUNCH_FAILED] = "launch_failed",
  [AMS_TRACE_WARMUP_DONE] = "warmup_done",
  [AMS_TRACE_INVITATION] = "invitation",
  [AMS_TRACE_EVENT_REFUSED] = "event_refused",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == AMS_TRACE_N_KINDS);

const char *
ams_trace_kind_name (AmsTraceKind k)
{
  g_return_val_if_fail ((guint) k < AMS_TRACE_N_KINDS, "");
  return kind_names[k];
}

gboolean
ams_trace_kind_from_name (const char *name, AmsTraceKind *out)
{
  g_return_val_if_fail (name != NULL, FALSE);
  for (guint i = 0; i < AMS_TRACE_N_KINDS; i++)
    if (strcmp (kind_names[i], name) == 0)
      {
        if (out != NULL)
          *out = (AmsTraceKind) i;
        return TRUE;
      }
  return FALSE;
}

void
ams_engine_set_tracer (AmsEngine *e, const AmsTracer *t)
{
  g_return_if_fail (e != NULL && !e->ran);
  if (t != NULL && t->event != NULL)
    e->tracer = *t;
  else
    memset (&e->tracer, 0, sizeof e->tracer);
}

static void
progress_tick (AmsKernel *k, void *user)
{
  AmsEngine *e = user;
  e->progress (e->progress_user, ams_kernel_now (k), e->sc->horizon, ams_kernel_events_run (k));
}

void
ams_engine_set_progress (AmsEngine *e, uint64_t every, AmsProgressFn fn, void *user)
{
  g_return_if_fail (e != NULL && !e->ran);
  g_return_if_fail (fn == NULL || every > 0);
  e->progress = fn;
  e->progress_user = user;
  ams_kernel_set_tick (e->k, every, fn != NULL ? progress_tick : NULL, e);
}

void
ams_trace_emit (AmsEngine *e, AmsTraceEvent *ev)
{
  ev->t = ams_kernel_now (e->k);
  e->tracer.event (e->tracer.user, ev);
}

void
ams_trace_version (const Pipeline *p, uint64_t build, char *buf, gsize len)
{
  g_snprintf (buf, len, "%s/%" G_GUINT64_FORMAT, p->sc->recipe_version, build);
}

void
ams_trace_image (AmsEngine *e, AmsTraceKind kind, const Image *img, AmsCause cause)
{
  const Pipeline *p = img->p;
  char version[64];
  ams_trace_version (p, img->build, version, sizeof version);
  AmsTraceEvent ev = {
    .kind = kind,
    .image = p->sc->name,
    .version = version,
    .account = p->home->account->id,
    .region = p->home->region->name,
    .cause = cause,
  };
  switch (kind)
    {
    case AMS_TRACE_IMAGE_STARTED:
    case AMS_TRACE_IMAGE_AVAILABLE:
    case AMS_TRACE_IMAGE_FAILED:
      ev.trigger = img->trigger;
      ev.upstream = img->upstream;
      if (kind == AMS_TRACE_IMAGE_FAILED)
        ev.message = img->message;
      break;
    default:
      break;
    }
  switch (kind)
    {
    case AMS_TRACE_BUILD_STARTED:
      ev.has_pool = TRUE;
      ev.busy = p->builds_slots->running;
      ev.queued = p->builds_slots->waiting.length;
      ev.limit = p->builds_slots->capacity;
      break;
    case AMS_TRACE_IMAGE_AVAILABLE:
    case AMS_TRACE_IMAGE_FAILED:
      ev.outputs = img->outputs;
      ev.failed = img->failed;
      break;
    default:
      break;
    }
  ams_trace_emit (e, &ev);
}

void
ams_trace_distribution (AmsEngine *e, const Image *img, Target *const *retried, guint n)
{
  const Pipeline *p = img->p;
  char version[64];
  ams_trace_version (p, img->build, version, sizeof version);
  /* the copies' destinations, and the regions of every output (of a retry:
   * of the copies made again) */
  g_autoptr (GHashTable) accounts = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) regions = g_hash_table_new (NULL, NULL);
  guint copies = retried != NULL ? n : p->n_targets;
  for (guint i = 0; i < copies; i++)
    {
      const Target *t = retried != NULL ? retried[i] : &p->targets[i];
      const EnginePool *ep = ams_target_pool (e, t);
      g_hash_table_add (accounts, (gpointer) ep->account);
      g_hash_table_add (regions, (gpointer) ep->region);
    }
  for (guint i = 0; retried == NULL && i < p->n_entries; i++)
    g_hash_table_add (regions, (gpointer) p->entries[i].spec.region);
  AmsTraceEvent ev = {
    .kind = AMS_TRACE_DISTRIBUTION_STARTED,
    .image = p->sc->name,
    .version = version,
    .account = p->home->account->id,
    .region = p->home->region->name,
    .outputs = img->outputs,
    .copies = copies,
    .accounts = g_hash_table_size (accounts),
    .regions = g_hash_table_size (regions),
  };
  ams_trace_emit (e, &ev);
}

void
ams_trace_copy (AmsEngine *e, AmsTraceKind kind, const Copy *c, AmsCause cause, AmsStep step,
                const char *message)
{
  const EnginePool *ep = ams_target_pool (e, ams_copy_target (c));
  const AmsPool *pool = &ep->pool;
  char version[64];
  ams_trace_version (c->img->p, c->img->build, version, sizeof version);
  AmsTraceEvent ev = {
    .kind = kind,
    .image = c->img->p->sc->name,
    .version = version,
    .account = ep->account->id,
    .region = ep->region->name,
    .source_region = c->img->p->home->region->name,
    .has_pool = TRUE,
    .busy = ams_pool_busy (pool),
    .queued = ams_pool_queued (pool),
    .limit = ams_pool_capacity (pool),
    .cause = cause,
    .step = cause != AMS_CAUSE_NONE ? ams_step_name (step) : NULL,
    .message = message,
    .attempt = c->attempts,
  };
  ams_trace_emit (e, &ev);
}

void
ams_trace_pool (AmsEngine *e, const EnginePool *ep)
{
  AmsTraceEvent ev = {
    .kind = AMS_TRACE_POOL_STATE,
    .account = ep->account->id,
    .region = ep->region->name,
    .has_pool = TRUE,
    .busy = ams_pool_busy (&ep->pool),
    .queued = ams_pool_queued (&ep->pool),
    .limit = ams_pool_capacity (&ep->pool),
  };
  ams_trace_emit (e, &ev);
}

void
ams_trace_event_applied (AmsEngine *e, const AmsScEvent *sev)
{
  g_autofree char *message = NULL;
  switch (sev->kind)
    {
    case AMS_SC_EV_SET_LIMIT:
      message = g_strdup_printf ("copies_per_account_region %u", sev->copies);
      break;
    case AMS_SC_EV_ADD_STATEMENT:
    case AMS_SC_EV_REMOVE_STATEMENT:
      message = g_strdup_printf ("statement %s of %s", sev->sid ? sev->sid : "(no Sid)",
                                 sev->key.value ? sev->key.value : sev->role ? sev->role : "?");
      break;
    case AMS_SC_EV_DELETE_ROLE:
      message = g_strdup (sev->role);
      break;
    case AMS_SC_EV_MOVE_ACCOUNT:
      message = g_strdup_printf ("to %s", sev->to.value);
      break;
    case AMS_SC_EV_SET_DEREGISTRATION_PROTECTION:
      message = g_strdup (sev->enabled ? (sev->cooldown ? "enabled with cooldown" : "enabled")
                                       : "disabled");
      break;
    case AMS_SC_EV_RESTORE_IMAGE:
      message = g_strdup (sev->version ? sev->version : "the image deleted last");
      break;
    case AMS_SC_EV_SET_LIFECYCLE_POLICY:
      message = g_strdup (sev->enabled ? "ENABLED" : "DISABLED");
      break;
    case AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE:
    case AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE:
      {
        guint nr = sev->resources != NULL ? sev->resources->len : 0;
        guint np = sev->principals != NULL ? sev->principals->len : 0;
        message = g_strdup_printf ("share %s: %u resource%s, %u principal%s", sev->share.value,
                                   nr, nr == 1 ? "" : "s", np, np == 1 ? "" : "s");
        break;
      }
    case AMS_SC_EV_ACCEPT_INVITATION:
    case AMS_SC_EV_REJECT_INVITATION:
      message = g_strdup_printf ("share %s", sev->share.value);
      break;
    case AMS_SC_EV_DELETE_RESOURCE:
      message = g_strdup (sev->arn.arn);
      break;
    case AMS_SC_EV_PUBLISH_COMPONENT:
      message = g_strdup_printf ("%s %s", sev->component.value, sev->version);
      break;
    case AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE:
    case AMS_SC_EV_RESET_IMAGE_ATTRIBUTE:
      {
        GString *m = g_string_new (sev->kind == AMS_SC_EV_RESET_IMAGE_ATTRIBUTE
                                     ? "every launch permission" : "remove");
        for (guint i = 0; sev->launch_remove != NULL && i < sev->launch_remove->len; i++)
          g_string_append_printf (m, "%s %s", i == 0 ? "" : ",",
                                  g_array_index (sev->launch_remove, AmsScLaunchTarget, i)
                                    .value.value);
        if (sev->version != NULL)
          g_string_append_printf (m, " of %s", sev->version);
        message = g_string_free (m, FALSE);
        break;
      }
    default:
      if (sev->key.value != NULL)
        message = g_strdup (sev->key.value);
      break;
    }
  AmsTraceEvent ev = {
    .kind = AMS_TRACE_EVENT_APPLIED,
    .action = ams_sc_event_action (sev->kind),
    .image = sev->pipeline.value,
    .account = sev->account.value,
    .region = sev->region.value,
    .policy = sev->policy,
    .message = message,
  };
  ams_trace_emit (e, &ev);
}
