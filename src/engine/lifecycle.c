/* Lifecycle policies at work (DOMAIN.md §6).
 *
 * Every enabled policy runs once a day at simulation.lifecycle_run_at; a
 * policy whose previous execution is still going does not start another
 * (lc_runs_busy). An execution:
 *
 * 1. Selects the images of the policy's account and region whose recipe
 *    matches one of resourceSelection.recipes (name, and semantic version
 *    with x wildcards, resolved now) or that carry any of its tagMap tags.
 *    Images in progress (building, testing, distributing, retried) are
 *    skipped until the next run; images another policy's execution is at
 *    work on keep their place in the ranking but are not acted on.
 * 2. Decides one action per image, in priority DEPRECATE > DISABLE >
 *    DELETE: the first rule whose filter matches and whose skip rule does
 *    not apply (deprecate skips deprecated, disabled and failed images;
 *    disable skips disabled and failed ones; delete considers every
 *    state). Filters are evaluated per recipe version (1.0.0, 1.1.0, … each
 *    on its own), newest first, age from the image's creation:
 *      COUNT n      the newest n images are kept, the others match;
 *      AGE v unit   images at least v units old match (a month is 30 days,
 *                   a year 365); retainAtLeast k keeps the newest k anyway.
 *    FAILED images always match and take no slot. An image carrying one of
 *    the rule's exclusionRules.tagMap tags takes no slot either and is
 *    SKIPPED where it would have matched.
 * 3. Acts on the image's resources: with includeResources.amis, each of its
 *    AMIs that exists, in every account and region, unless an AMI exclusion
 *    matches, checked in this order: regions, isPublic, tagMap (the AMI's
 *    amiTags), sharedAccounts (the AMI is in, or shared by launch permission
 *    with, one of them), lastLaunched (as EC2 reports it, a day late). Each
 *    AMI action, and each snapshot deletion after its AMI was deregistered,
 *    is one resource state update: it waits for one of the policy account
 *    and region's simulation.limits.lifecycle_state_updates slots and takes
 *    simulation.lifecycle.update_time. An AMI in another account needs the
 *    Ec2ImageBuilderCrossAccountLifecycleAccess role there
 *    (lifecycle_role_missing otherwise); deregistration protection, or its
 *    24 h cooldown, fails a deregistration (deregistration_protected). A
 *    snapshot is deleted only when no registered AMI uses it, and never for
 *    a disabled AMI (both SKIPPED).
 *    Policies of resourceType CONTAINER_IMAGE select the images of container
 *    recipes (recipe.target_repository); with includeResources.containers a
 *    DELETE removes the image from its ECR repository, which needs the
 *    repository tag LifecycleExecutionAccess: EC2 Image Builder
 *    (ecr_repository_tag_missing otherwise).
 * 4. When the image's resources are done, the image record changes: it is
 *    DEPRECATED or DISABLED; for DELETE it is deleted only if none of its
 *    AMIs failed or was skipped (otherwise it stays, and a later run tries
 *    again). The execution is FAILED if any resource failed.
 *
 * Disabling a policy (set_lifecycle_policy) lets the update in progress
 * finish and skips the ones still waiting.
 */
#include <string.h>

#include "amisim/world.h"
#include "engine/inventory.h"
#include "engine/lifecycle.h"

typedef struct LcPolicy LcPolicy;

typedef struct
{
  LcPolicy *pol;
  LcImage *img;
  const AmsScLcRule *rule;
  guint remaining;         /* updates not done, + 1 while being set up */
  guint failed;            /* AMI updates that failed */
  guint kept;              /* AMIs skipped or failed: still registered after a DELETE */
  guint cancelled;         /* updates skipped because the policy was disabled */
  char version[64];
} Task;

typedef struct
{
  Task *task;
  Ami *ami;
  AmsLcResource what;      /* AMI, SNAPSHOT or CONTAINER */
  gboolean cancelled;      /* the policy was disabled before the update began */
} Update;

struct LcPolicy
{
  AmsEngine *e;
  const AmsScLifecyclePolicy *sc;
  const AmsAccount *account;
  const AmsRegion *region;
  gboolean enabled;
  gsl_rng *rng;            /* lifecycle/<account>/<region>/<name>: update durations */
  AmsPool *slots;          /* state updates at once, per account and region */
  const AmsScLcRule *rules[3]; /* by action; NULL if the policy has none */
  /* the execution in progress */
  gboolean running;
  gboolean failed;
  guint open;              /* tasks not ended, + 1 while being planned */
  AmsTime started;
  /* its execution role (ams_access_check_execution_role), decided again
   * when the world changes */
  uint64_t role_epoch;
  AmsCause role_cause;
  const char *role_message; /* interned in the engine */
};

static const char *const action_names[] = { "DEPRECATE", "DISABLE", "DELETE" };

/* ---- records ------------------------------------------------------------ */

static const char *const resource_names[] = {
  [AMS_LC_RESOURCE_IMAGE] = "image",         [AMS_LC_RESOURCE_AMI] = "ami",
  [AMS_LC_RESOURCE_SNAPSHOT] = "snapshot",   [AMS_LC_RESOURCE_CONTAINER] = "container",
  [AMS_LC_RESOURCE_POLICY] = "policy",
};
static const char *const status_names[] = {
  [AMS_LC_SUCCESS] = "SUCCESS", [AMS_LC_FAILED] = "FAILED", [AMS_LC_SKIPPED] = "SKIPPED",
};

/* lifecycle_action, or lifecycle_run_done for the execution's own row. */
G_GNUC_NO_INLINE static void
trace_record (AmsEngine *e, const AmsLifecycleRecord *r, const char *policy_account,
              AmsCause cause)
{
  gboolean run = r->resource == AMS_LC_RESOURCE_POLICY;
  AmsTraceEvent ev = {
    .kind = run ? AMS_TRACE_LIFECYCLE_RUN_DONE : AMS_TRACE_LIFECYCLE_ACTION,
    .policy = r->policy,
    .policy_account = run ? NULL : policy_account,
    .image = r->pipeline[0] ? r->pipeline : NULL,
    .version = r->version[0] ? r->version : NULL,
    .resource = run ? NULL : resource_names[r->resource],
    .resource_id = run ? NULL : r->resource_id,
    .account = r->account,
    .region = r->region,
    .action = r->action[0] ? r->action : NULL,
    .status = status_names[r->status],
    .cause = cause,
    .message = r->reason[0] ? r->reason : NULL,
  };
  ams_trace_emit (e, &ev);
}

static void
trace_run (LcPolicy *pol, AmsTraceKind kind, const char *message)
{
  AmsTraceEvent ev = {
    .kind = kind,
    .policy = pol->sc->name,
    .account = pol->account->id,
    .region = pol->region->name,
    .message = message,
  };
  ams_trace_emit (pol->e, &ev);
}

static void
record_cause (LcPolicy *pol, const Task *task, AmsLcResource what, const Ami *a,
              AmsLcStatus status, const char *reason, AmsCause cause);

static void
record (LcPolicy *pol, const Task *task, AmsLcResource what, const Ami *a, AmsLcStatus status,
        const char *reason)
{
  record_cause (pol, task, what, a, status, reason, AMS_CAUSE_NONE);
}

/* One row of lifecycle.csv (and its trace event); `cause` when it failed
 * of a cause (then `reason` is its name). */
static void
record_cause (LcPolicy *pol, const Task *task, AmsLcResource what, const Ami *a,
              AmsLcStatus status, const char *reason, AmsCause cause)
{
  AmsEngine *e = pol->e;
  /* an image left because some of its AMIs were is not counted again, nor
   * is an execution (lc_runs_failed counts those) */
  gboolean consequence = what == AMS_LC_RESOURCE_POLICY
                         || (what == AMS_LC_RESOURCE_IMAGE && task->kept > 0);
  if (status == AMS_LC_SKIPPED && !consequence)
    e->res.lc_skipped++;
  else if (status == AMS_LC_FAILED && !consequence)
    e->res.lc_failed++;
  if (e->recorder.lifecycle == NULL && !AMS_TRACING (e))
    return;
  char id[400] = "";
  if (what == AMS_LC_RESOURCE_CONTAINER)
    g_snprintf (id, sizeof id, "%s:%s", task->img->p->sc->target_repository, task->version);
  else if (what == AMS_LC_RESOURCE_AMI)
    ams_inv_ami_id (a, id, sizeof id);
  else if (what == AMS_LC_RESOURCE_SNAPSHOT)
    ams_inv_snapshot_id (a->snap, id, sizeof id);
  else if (what == AMS_LC_RESOURCE_POLICY)
    g_strlcpy (id, pol->sc->execution_role, sizeof id);
  else
    g_strlcpy (id, task->version, sizeof id);
  const AmsAccount *account = a != NULL ? a->pool->account : pol->account;
  const AmsRegion *region = a != NULL ? a->pool->region : pol->region;
  AmsLifecycleRecord r = {
    .t = ams_kernel_now (e->k),
    .policy = pol->sc->name,
    .pipeline = task != NULL ? task->img->p->sc->name : "",
    .version = task != NULL ? task->version : "",
    .resource = what,
    .resource_id = id,
    .account = account->id,
    .region = region->name,
    .action = task != NULL ? action_names[task->rule->action] : "",
    .status = status,
    .reason = reason != NULL ? reason : "",
    .cause = cause,
  };
  if (e->recorder.lifecycle != NULL)
    e->recorder.lifecycle (e->recorder.user, &r);
  if (AMS_TRACING (e))
    trace_record (e, &r, pol->account->id, cause);
}

static void
fail (LcPolicy *pol, Task *task, AmsLcResource what, const Ami *a, AmsCause cause)
{
  pol->failed = TRUE;
  task->failed++;
  ams_engine_count_failure (pol->e, cause, a != NULL ? a->pool->region : pol->region,
                            a != NULL ? a->pool->account : pol->account);
  record_cause (pol, task, what, a, AMS_LC_FAILED, ams_cause_name (cause), cause);
}

/* Lifecycle actions on a repository's images need its tag
 * LifecycleExecutionAccess: EC2 Image Builder. */
static gboolean
repository_open (const LcPolicy *pol, const Pipeline *p)
{
  g_auto (AmsBlocker) b = { 0 };
  return ams_access_check_repository_tag (pol->e->access, p->sc, &b);
}

/* ---- the end of things ---------------------------------------------------- */

/* The execution's own row: SUCCESS, or FAILED when a resource failed. */
static void
execution_end (LcPolicy *pol)
{
  AmsEngine *e = pol->e;
  pol->running = FALSE;
  ams_stat_add (&e->res.lc_execution_s, ams_time_to_s (ams_kernel_now (e->k) - pol->started));
  if (pol->failed)
    e->res.lc_runs_failed++;
  record (pol, NULL, AMS_LC_RESOURCE_POLICY, NULL, pol->failed ? AMS_LC_FAILED : AMS_LC_SUCCESS,
          pol->failed ? "a resource failed" : NULL);
}

static void
task_end (Task *task)
{
  LcPolicy *pol = task->pol;
  AmsEngine *e = pol->e;
  LcImage *img = task->img;
  if (task->cancelled > 0 && task->rule->action != AMS_LC_DELETE)
    {
      /* the policy was disabled before all its AMIs were done: the image
       * keeps its state (a later run goes on) */
      record (pol, task, AMS_LC_RESOURCE_IMAGE, NULL, AMS_LC_SKIPPED, "policy disabled");
      goto done;
    }
  switch (task->rule->action)
    {
    case AMS_LC_DEPRECATE:
      img->state = LC_DEPRECATED;
      if (e->supply != NULL)
        ams_supply_image_state (e->supply, img->p->index, img->build, AMS_SUPPLY_DEPRECATED);
      e->res.lc_deprecated++;
      record (pol, task, AMS_LC_RESOURCE_IMAGE, NULL, AMS_LC_SUCCESS, NULL);
      break;
    case AMS_LC_DISABLE:
      img->state = LC_DISABLED;
      if (e->supply != NULL)
        ams_supply_image_state (e->supply, img->p->index, img->build, AMS_SUPPLY_DISABLED);
      e->res.lc_disabled++;
      record (pol, task, AMS_LC_RESOURCE_IMAGE, NULL, AMS_LC_SUCCESS, NULL);
      break;
    case AMS_LC_DELETE:
      if (task->kept == 0)
        {
          ams_inv_delete_image (e, img);
          e->res.lc_deleted++;
          record (pol, task, AMS_LC_RESOURCE_IMAGE, NULL, AMS_LC_SUCCESS, NULL);
        }
      else
        {
          char why[96];
          if (img->container)
            g_strlcpy (why, "the container image was not deleted", sizeof why);
          else
            g_snprintf (why, sizeof why, "%u AMIs not deregistered", task->kept);
          if (task->failed > 0)
            pol->failed = TRUE;
          record (pol, task, AMS_LC_RESOURCE_IMAGE, NULL,
                  task->failed > 0 ? AMS_LC_FAILED : AMS_LC_SKIPPED, why);
        }
      break;
    }
done:
  img->busy--;
  ams_inv_release_image (e, img);
  ams_freelist_release (&e->inv->tasks, task);
  if (--pol->open == 0)
    execution_end (pol);
}

static void
task_done_one (Task *task)
{
  if (--task->remaining == 0)
    task_end (task);
}

/* ---- resource state updates ------------------------------------------------ */

/* May Image Builder act on the AMI in its account? The owner's own AMIs
 * always; others need the cross-account lifecycle role (decision cached on
 * the copy's target while the world is unchanged). */
static gboolean
role_allows (AmsEngine *e, Ami *a)
{
  Target *t = a->t;
  if (t == NULL || ams_target_pool (e, t)->account == a->img->p->home->account)
    return TRUE;
  if (t->lc_epoch != (uint32_t) e->epoch)
    {
      g_auto (AmsBlocker) b = { 0 };
      AmsCopySpec spec = ams_engine_target_spec (a->img->p, t);
      gboolean ok = ams_access_check_lifecycle_delete (e->access, &spec, &b);
      t->lc_epoch = (uint32_t) e->epoch;
      t->lc_cause = (guint8) (ok ? AMS_CAUSE_NONE : b.cause);
    }
  return t->lc_cause == AMS_CAUSE_NONE;
}

static void update_request (Task *task, Ami *a, AmsLcResource what);

static void
apply (Update *u)
{
  Task *task = u->task;
  LcPolicy *pol = task->pol;
  AmsEngine *e = pol->e;
  Ami *a = u->ami;
  AmsTime now = ams_kernel_now (e->k);
  if (u->cancelled)
    {
      task->cancelled++;
      record (pol, task, u->what, a, AMS_LC_SKIPPED, "policy disabled");
      if (task->rule->action == AMS_LC_DELETE && u->what != AMS_LC_RESOURCE_SNAPSHOT)
        task->kept++;
      return;
    }
  if (u->what == AMS_LC_RESOURCE_CONTAINER)
    {
      LcImage *img = task->img;
      if (!repository_open (pol, img->p))
        {
          fail (pol, task, u->what, NULL, AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING);
          task->kept++;
          return;
        }
      img->pushed = FALSE;
      record (pol, task, u->what, NULL, AMS_LC_SUCCESS, NULL);
      return;
    }
  if (u->what == AMS_LC_RESOURCE_SNAPSHOT)
    {
      if (a->snap->deleted)
        return;
      if (a->disabled)
        record (pol, task, u->what, a, AMS_LC_SKIPPED, "the AMI is disabled");
      else if (a->snap->users > 0)
        record (pol, task, u->what, a, AMS_LC_SKIPPED, "in use by another AMI");
      else
        {
          ams_inv_delete_snapshot (e, a);
          e->res.lc_snapshots_deleted++;
          record (pol, task, u->what, a, AMS_LC_SUCCESS, NULL);
        }
      return;
    }
  if (!a->registered)
    return; /* gone meanwhile */
  if (!role_allows (e, a))
    {
      fail (pol, task, AMS_LC_RESOURCE_AMI, a, (AmsCause) a->t->lc_cause);
      task->kept++;
      return;
    }
  switch (task->rule->action)
    {
    case AMS_LC_DEPRECATE:
      ams_inv_deprecate (e, a);
      e->res.lc_amis_deprecated++;
      break;
    case AMS_LC_DISABLE:
      ams_inv_disable (e, a);
      e->res.lc_amis_disabled++;
      break;
    case AMS_LC_DELETE:
      if (a->protect_until > now)
        {
          fail (pol, task, AMS_LC_RESOURCE_AMI, a, AMS_CAUSE_DEREGISTRATION_PROTECTED);
          task->kept++;
          return;
        }
      ams_inv_deregister (e, a);
      e->res.lc_amis_deregistered++;
      break;
    }
  record (pol, task, u->what, a, AMS_LC_SUCCESS, NULL);
  if (task->rule->action == AMS_LC_DELETE && task->rule->include_snapshots)
    update_request (task, a, AMS_LC_RESOURCE_SNAPSHOT);
}

static void
update_done (AmsKernel *k, void *data, uint64_t arg)
{
  Update *u = data;
  Task *task = u->task;
  LcPolicy *pol = task->pol;
  Ami *a = u->ami;
  apply (u);
  ams_freelist_release (&pol->e->inv->updates, u);
  if (a != NULL)
    {
      a->busy--;
      ams_inv_release_ami (pol->e, a);
    }
  ams_pool_release (pol->slots);
  task_done_one (task);
}

static void
update_granted (AmsKernel *k, void *data, AmsTime waited)
{
  Update *u = data;
  LcPolicy *pol = u->task->pol;
  u->cancelled = !pol->enabled; /* one begun goes on to its end */
  AmsTime d = pol->enabled ? ams_engine_draw (&pol->e->sc->sim.lifecycle_update_time, pol->rng)
                           : 0;
  ams_kernel_schedule_in (k, d, AMS_PRIORITY_DEFAULT, update_done, u, 0);
}

static void
update_request (Task *task, Ami *a, AmsLcResource what)
{
  Update *u = ams_freelist_alloc (&task->pol->e->inv->updates);
  u->task = task;
  u->ami = a;
  u->what = what;
  if (a != NULL)
    a->busy++;
  task->remaining++;
  if (ams_pool_request (task->pol->slots, update_granted, u) == AMS_POOL_GRANTED)
    update_granted (task->pol->e->k, u, 0);
}

/* ---- deciding ------------------------------------------------------------- */

static gboolean
has_any_tag (const GArray *have, const GArray *wanted)
{
  for (guint i = 0; i < wanted->len; i++)
    {
      const AmsScTag *w = &g_array_index (wanted, AmsScTag, i);
      for (guint j = 0; j < have->len; j++)
        {
          const AmsScTag *h = &g_array_index (have, AmsScTag, j);
          if (strcmp (h->key, w->key) == 0 && strcmp (h->value, w->value) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static AmsTime
span (guint value, AmsLcUnit unit)
{
  static const int days[] = { [AMS_LC_DAYS] = 1, [AMS_LC_WEEKS] = 7, [AMS_LC_MONTHS] = 30,
                              [AMS_LC_YEARS] = 365 };
  return AMS_DAYS ((AmsTime) value * days[unit]);
}

/* The AMI exclusion that matches first, in the documented order, or NULL. */
static const char *
ami_excluded (AmsEngine *e, const AmsScLcRule *r, const Ami *a)
{
  for (guint i = 0; i < r->exclude_regions->len; i++)
    if (strcmp (g_array_index (r->exclude_regions, AmsScRef, i).value, a->pool->region->name) == 0)
      return "exclusionRules.amis.regions";
  if (r->exclude_public && ams_inv_ami_public (a))
    return "exclusionRules.amis.isPublic";
  if (r->exclude_ami_tags->len > 0 && a->entry != NULL
      && has_any_tag (a->entry->ami_tags, r->exclude_ami_tags))
    return "exclusionRules.amis.tagMap";
  for (guint i = 0; i < r->exclude_shared_accounts->len; i++)
    if (ams_inv_ami_shared_with (a, g_array_index (r->exclude_shared_accounts, AmsScRef, i).value))
      return "exclusionRules.amis.sharedAccounts";
  if (r->last_launched_value > 0)
    {
      AmsTime seen = ams_inv_last_launched_seen (e, a);
      if (seen != G_MININT64
          && ams_kernel_now (e->k) - seen < span (r->last_launched_value, r->last_launched_unit))
        return "exclusionRules.amis.lastLaunched";
    }
  return NULL;
}

static void
task_start (LcPolicy *pol, LcImage *img, const AmsScLcRule *rule)
{
  AmsEngine *e = pol->e;
  Task *task = ams_freelist_alloc (&e->inv->tasks);
  task->pol = pol;
  task->img = img;
  task->rule = rule;
  task->remaining = 1;
  ams_inv_version (img, task->version, sizeof task->version);
  img->busy++;
  pol->open++;
  if (img->container && rule->include_containers && img->pushed)
    update_request (task, NULL, AMS_LC_RESOURCE_CONTAINER);
  if (rule->include_amis)
    for (guint i = 0; i < img->amis->len; i++)
      {
        Ami *a = g_ptr_array_index (img->amis, i);
        if (!a->registered)
          continue;
        /* deprecated already: not an AMI of the start whose deprecation time is
         * still to come */
        if ((rule->action == AMS_LC_DEPRECATE && a->deprecated_at <= ams_kernel_now (e->k))
            || (rule->action == AMS_LC_DISABLE && a->disabled))
          continue; /* already so */
        const char *why = ami_excluded (e, rule, a);
        if (why != NULL)
          {
            record (pol, task, AMS_LC_RESOURCE_AMI, a, AMS_LC_SKIPPED, why);
            task->kept++;
            continue;
          }
        update_request (task, a, AMS_LC_RESOURCE_AMI);
      }
  task_done_one (task);
}

/* What each rule says of one image of a recipe version (newest first). */
typedef struct
{
  guint kept[3];           /* images that took a slot, per action */
} Ranking;

/* Whether `rule` matches the image, and *tag_excluded when the image
 * would match but carries an excluded tag. */
static gboolean
rule_matches (AmsEngine *e, const AmsScLcRule *rule, const LcImage *img, Ranking *rk,
              gboolean *tag_excluded)
{
  gboolean excluded = rule->exclude_tags->len > 0
                      && has_any_tag (img->p->sc->image_tags, rule->exclude_tags);
  *tag_excluded = FALSE;
  if (img->state == LC_FAILED)
    {
      *tag_excluded = excluded;
      return !excluded; /* always eligible, and takes no slot */
    }
  guint *kept = &rk->kept[rule->action];
  gboolean match;
  if (rule->filter == AMS_LC_COUNT)
    match = *kept >= rule->value;
  else if (rule->retain_at_least > 0 && *kept < rule->retain_at_least)
    match = FALSE;
  else
    match = ams_kernel_now (e->k) - img->created >= span (rule->value, rule->unit);
  if (excluded)
    {
      *tag_excluded = match;
      return FALSE; /* takes no slot */
    }
  ++*kept; /* its place in the ranking of the version */
  return match;
}

static gboolean
selected (const LcPolicy *pol, const Pipeline *p)
{
  return ams_sc_lifecycle_selects (pol->sc, p->sc);
}

static int
newest_first (gconstpointer a, gconstpointer b)
{
  const LcImage *x = *(LcImage *const *) a, *y = *(LcImage *const *) b;
  if (x->created != y->created)
    return x->created > y->created ? -1 : 1;
  return x->build > y->build ? -1 : x->build < y->build ? 1 : 0;
}

static void
plan_version (LcPolicy *pol, GPtrArray *images)
{
  AmsEngine *e = pol->e;
  g_ptr_array_sort (images, newest_first);
  Ranking rk = { { 0 } };
  for (guint i = 0; i < images->len; i++)
    {
      LcImage *img = images->pdata[i];
      gboolean match[3] = { FALSE }, excluded[3] = { FALSE };
      for (guint a = 0; a < 3; a++)
        if (pol->rules[a] != NULL)
          match[a] = rule_matches (e, pol->rules[a], img, &rk, &excluded[a]);
      LcState st = img->state;
      const AmsScLcRule *pick = NULL;
      if (match[AMS_LC_DEPRECATE] && st != LC_DEPRECATED && st != LC_DISABLED && st != LC_FAILED)
        pick = pol->rules[AMS_LC_DEPRECATE];
      else if (match[AMS_LC_DISABLE] && st != LC_DISABLED && st != LC_FAILED)
        pick = pol->rules[AMS_LC_DISABLE];
      else if (match[AMS_LC_DELETE])
        pick = pol->rules[AMS_LC_DELETE];
      if (img->busy > 0)
        continue; /* another policy's execution is at work on it */
      if (pick != NULL)
        {
          task_start (pol, img, pick);
          continue;
        }
      for (guint a = 0; a < 3; a++)
        if (excluded[a])
          {
            Task t = { .pol = pol, .img = img, .rule = pol->rules[a] };
            ams_inv_version (img, t.version, sizeof t.version);
            record (pol, &t, AMS_LC_RESOURCE_IMAGE, NULL, AMS_LC_SKIPPED,
                    "exclusionRules.tagMap");
            break;
          }
    }
}

/* Can the service act for the policy at all? Its execution role must
 * exist, let imagebuilder.amazonaws.com assume it, and allow what the
 * rules do (decided again only when the world changed: events delete
 * roles and statements). */
static AmsCause
execution_role_refuses (LcPolicy *pol)
{
  AmsEngine *e = pol->e;
  if (pol->role_epoch != e->epoch)
    {
      g_auto (AmsBlocker) b = { 0 };
      gboolean ok = ams_access_check_execution_role (e->access, pol->sc, &b);
      pol->role_epoch = e->epoch;
      pol->role_cause = ok ? AMS_CAUSE_NONE : b.cause;
      pol->role_message = ok ? NULL : g_string_chunk_insert_const (e->messages, b.message);
    }
  return pol->role_cause;
}

static void
execution_start (LcPolicy *pol)
{
  AmsEngine *e = pol->e;
  if (pol->running)
    {
      e->res.lc_runs_busy++;
      if (AMS_TRACING (e))
        trace_run (pol, AMS_TRACE_LIFECYCLE_RUN_SKIPPED, "the previous execution is still going");
      return;
    }
  e->res.lc_runs++;
  if (AMS_TRACING (e))
    trace_run (pol, AMS_TRACE_LIFECYCLE_RUN_STARTED, NULL);
  AmsCause refused = execution_role_refuses (pol);
  if (refused != AMS_CAUSE_NONE)
    {
      /* the service cannot act for the policy at all */
      record_cause (pol, NULL, AMS_LC_RESOURCE_POLICY, NULL, AMS_LC_FAILED, pol->role_message,
                    refused);
      ams_engine_count_failure (e, refused, pol->region, pol->account);
      e->res.lc_runs_failed++;
      ams_stat_add (&e->res.lc_execution_s, 0.0);
      return;
    }
  pol->running = TRUE;
  pol->failed = FALSE;
  pol->started = ams_kernel_now (e->k);
  pol->open = 1;
  /* images by recipe version: the unit of retention */
  g_autoptr (GHashTable) versions
    = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  GPtrArray *order = g_ptr_array_new (); /* versions in the order first seen */
  for (guint i = 0; i < e->n_pipelines; i++)
    {
      Pipeline *p = &e->pipelines[i];
      gboolean current = selected (pol, p);
      for (LcImage *img = p->first; img != NULL; img = img->next)
        {
          if (img->state == LC_BUILDING || img->state == LC_DELETED)
            continue;
          /* an older version's image (amis[]) is selected by its own version */
          gboolean chosen = img->semver == p->sc->recipe_version
                              ? current
                              : ams_sc_lifecycle_selects_version (pol->sc, p->sc, img->semver);
          if (!chosen)
            continue;
          char *key = g_strdup_printf ("%s/%s", p->sc->recipe_name, img->semver);
          GPtrArray *images = g_hash_table_lookup (versions, key);
          if (images == NULL)
            {
              images = g_ptr_array_new ();
              g_hash_table_insert (versions, key, images);
              g_ptr_array_add (order, images);
            }
          else
            g_free (key);
          g_ptr_array_add (images, img); /* in another execution: ranked, not acted on */
        }
    }
  for (guint i = 0; i < order->len; i++)
    plan_version (pol, order->pdata[i]);
  g_ptr_array_unref (order);
  if (--pol->open == 0)
    execution_end (pol);
}

/* ---- the daily run ---------------------------------------------------------- */

static void
daily (AmsKernel *k, void *data, uint64_t arg)
{
  AmsEngine *e = data;
  AmsTime next = ams_kernel_now (k) + AMS_DAYS (1);
  if (next <= e->sc->horizon)
    ams_kernel_schedule (k, next, AMS_PRIORITY_DEFAULT + 1, daily, e, 0);
  for (guint i = 0; i < e->inv->policies->len; i++)
    {
      LcPolicy *pol = e->inv->policies->pdata[i];
      if (pol->enabled)
        execution_start (pol);
    }
}

static void
policy_free (gpointer data)
{
  LcPolicy *pol = data;
  gsl_rng_free (pol->rng);
  g_free (pol);
}

void
ams_lc_setup (AmsEngine *e)
{
  Inventory *inv = e->inv;
  if (inv == NULL || !inv->lifecycle)
    return;
  inv->policies = g_ptr_array_new_with_free_func (policy_free);
  ams_freelist_init (&inv->tasks, sizeof (Task), 64);
  ams_freelist_init (&inv->updates, sizeof (Update), 256);
  inv->update_slots = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ams_pool_free);
  for (guint i = 0; i < e->sc->lifecycle_policies->len; i++)
    {
      const AmsScLifecyclePolicy *sc = e->sc->lifecycle_policies->pdata[i];
      LcPolicy *pol = g_new0 (LcPolicy, 1);
      pol->e = e;
      pol->sc = sc;
      pol->account = ams_world_find_account (e->w, sc->account.value);
      pol->region = ams_world_find_region (e->w, sc->region.value);
      g_assert (pol->account != NULL && pol->region != NULL); /* resolved by the loader */
      pol->enabled = sc->enabled;
      pol->rng = ams_engine_stream (e, "lifecycle/%s/%s/%s", pol->account->id, pol->region->name,
                                    sc->name);
      for (guint j = 0; j < sc->rules->len; j++)
        {
          const AmsScLcRule *r = sc->rules->pdata[j];
          pol->rules[r->action] = r;
        }
      gsize key = ams_engine_place_key (e, pol->account, pol->region);
      pol->slots = g_hash_table_lookup (inv->update_slots, GSIZE_TO_POINTER (key));
      if (pol->slots == NULL)
        {
          pol->slots = ams_pool_new (e->k, e->sc->sim.lifecycle_state_updates, AMS_POOL_QUEUE);
          g_hash_table_insert (inv->update_slots, GSIZE_TO_POINTER (key), pol->slots);
        }
      g_ptr_array_add (inv->policies, pol);
    }
}

void
ams_lc_arm (AmsEngine *e)
{
  if (e->inv == NULL || !e->inv->lifecycle)
    return;
  AmsTime day = AMS_DAYS (1);
  AmsTime into = ((e->sc->start % day) + day) % day; /* the start's time of day */
  AmsTime first = e->sc->sim.lifecycle_run_at - into;
  if (first < 0)
    first += day;
  if (first <= e->sc->horizon && e->inv->policies->len > 0)
    ams_kernel_schedule (e->k, first, AMS_PRIORITY_DEFAULT + 1, daily, e, 0);
}

void
ams_lc_free (AmsEngine *e)
{
  Inventory *inv = e->inv;
  if (inv == NULL)
    return;
  if (inv->update_slots != NULL)
    g_hash_table_unref (inv->update_slots);
  if (inv->policies != NULL)
    {
      g_ptr_array_unref (inv->policies);
      ams_freelist_clear (&inv->tasks); /* those of executions still going at the end */
      ams_freelist_clear (&inv->updates);
    }
}

void
ams_lc_set_status (AmsEngine *e, const AmsScEvent *ev)
{
  if (e->inv == NULL || !e->inv->lifecycle)
    return;
  for (guint i = 0; i < e->inv->policies->len; i++)
    {
      LcPolicy *pol = e->inv->policies->pdata[i];
      if (strcmp (pol->sc->name, ev->policy) == 0
          && (ev->account.value == NULL || strcmp (ev->account.value, pol->account->id) == 0))
        pol->enabled = ev->enabled;
    }
}
