/* The roles a service runs as in the owner's own account (access.h): a
 * lifecycle policy's execution role, and the instance profile of a
 * pipeline's build instances.
 *
 * Each check walks what the service does: the role must exist, its trust
 * must let the service assume it (imagebuilder.amazonaws.com for the
 * policy, with the policy as the source; ec2.amazonaws.com for the build
 * instances), and its identity policies, under the account's SCPs, must
 * allow each call the work makes, on the resources it makes them on. The
 * calls are those of the AWS managed policies the user guide attaches
 * (EC2ImageBuilderLifecycleExecutionPolicy; EC2InstanceProfileForImageBuilder
 * with AmazonSSMManagedInstanceCore, and its ECR variant for container
 * builds), asked for only where the policy's rules or the recipe need them.
 */
#include <string.h>

#include "access-private.h"

#define IMAGE_BUILDER_TAG "EC2 Image Builder"

/* A role named by name or ARN (arn:aws:iam::<account>:role/<path/>name):
 * the account the ARN names (else `account`) and the name. */
static const AmsScRole *
find_role (const AmsWorld *w, const AmsAccount *account, const char *ref,
           const AmsAccount **where, char **arn)
{
  const char *name = ref;
  *where = account;
  if (g_str_has_prefix (ref, "arn:"))
    {
      g_auto (GStrv) parts = g_strsplit (ref, ":", 6);
      if (g_strv_length (parts) == 6)
        {
          const AmsAccount *named = ams_world_find_account (w, parts[4]);
          if (named != NULL)
            *where = named;
        }
      const char *slash = strrchr (ref, '/');
      name = slash != NULL ? slash + 1 : ref;
    }
  *arn = g_strdup_printf ("arn:aws:iam::%s:role/%s", (*where)->id, name);
  return ams_world_find_role (w, *where, name);
}

/* One call a role makes. */
typedef struct
{
  const char *action;
  const char *resource;
} Call;

/* Asks for each call in turn; the first refused fills *b. */
static gboolean
allows (AmsAccess *ax, const AmsActor *actor, const Call *calls, guint n, AmsContext *ctx,
        const AmsAccount *acct, const AmsRegion *region, AmsStep step, AmsCause cause,
        const char *hint, AmsBlocker *b)
{
  for (guint i = 0; i < n; i++)
    if (!ams__decide (ams__access_world (ax), actor, calls[i].action, calls[i].resource, acct,
                      NULL, AMS_RESOURCE_GENERIC, ctx, step, region, cause, cause, hint, b))
      return FALSE;
  return TRUE;
}

/* ---- lifecycle execution role --------------------------------------------- */

gboolean
ams_access_check_execution_role (AmsAccess *ax, const AmsScLifecyclePolicy *lp, AmsBlocker *b)
{
  ams_blocker_init (b);
  const AmsWorld *w = ams__access_world (ax);
  const AmsAccount *account = ams_world_find_account (w, lp->account.value);
  const AmsRegion *region = ams_world_find_region (w, lp->region.value);
  g_assert (account != NULL && region != NULL); /* resolved by the loader */
  const AmsAccount *where;
  g_autofree char *role_arn = NULL;
  const AmsScRole *role = find_role (w, account, lp->execution_role, &where, &role_arn);
  const char *fix = "create it with a trust policy that lets imagebuilder.amazonaws.com "
                    "assume it (sts:AssumeRole) and attach EC2ImageBuilderLifecycleExecutionPolicy";
  if (role == NULL)
    {
      ams__block (b, AMS_CAUSE_LIFECYCLE_ROLE_MISSING, AMS_STEP_EXECUTION, account, region,
                  role_arn, "lifecycle policy '%s' of account %s has no execution role: %s does "
                  "not exist, so none of its executions can run; %s", lp->name, account->id,
                  role_arn, fix);
      return FALSE;
    }

  /* the service assumes it, for this policy */
  g_autofree char *policy_arn = NULL;
  {
    g_autofree char *name = ams_sc_arn_name (lp->name);
    policy_arn = g_strdup_printf ("arn:aws:imagebuilder:%s:%s:lifecycle-policy/%s", region->name,
                                  account->id, name);
  }
  g_autoptr (AmsContext) svc = ams_context_new ();
  ams_context_set (svc, "aws:SourceAccount", account->id);
  ams_context_set (svc, "aws:SourceArn", policy_arn);
  AmsVerdict v;
  if (!ams__service_trusts (role, role_arn, where, "imagebuilder.amazonaws.com", svc, &v))
    {
      ams__block (b, AMS_CAUSE_LIFECYCLE_EXECUTION_DENIED, AMS_STEP_EXECUTION, account, region,
                  role_arn, "the trust policy of %s, the execution role of lifecycle policy '%s', "
                  "does not let imagebuilder.amazonaws.com assume it: %s. Allow sts:AssumeRole "
                  "for {\"Service\": \"imagebuilder.amazonaws.com\"}", role_arn, lp->name,
                  v.reason);
      ams__block_verdict (b, &v);
      return FALSE;
    }
  ams_verdict_clear (&v);

  /* what its rules do */
  AmsActor actor;
  ams__actor_role (ax, where, role, &actor);
  g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
  ams_context_set (ctx, "aws:ResourceTag/CreatedBy", IMAGE_BUILDER_TAG);
  ams_context_set (ctx, "ecr:ResourceTag/LifecycleExecutionAccess", IMAGE_BUILDER_TAG);
  g_autofree char *images = g_strdup_printf ("arn:aws:ec2:%s::image/*", region->name);
  g_autofree char *snapshots = g_strdup_printf ("arn:aws:ec2:%s::snapshot/*", region->name);
  g_autofree char *repos = g_strdup_printf ("arn:aws:ecr:%s:%s:repository/*", region->name,
                                            account->id);
  g_autoptr (GArray) calls = g_array_new (FALSE, FALSE, sizeof (Call));
  Call describe = { "ec2:DescribeImages", "*" };
  g_array_append_val (calls, describe);
  for (guint i = 0; i < lp->rules->len; i++)
    {
      const AmsScLcRule *r = lp->rules->pdata[i];
      Call c[3];
      guint n = 0;
      if (lp->containers)
        {
          if (r->action == AMS_LC_DELETE && r->include_containers)
            c[n++] = (Call){ "ecr:BatchDeleteImage", repos };
        }
      else if (r->action == AMS_LC_DEPRECATE && r->include_amis)
        c[n++] = (Call){ "ec2:EnableImageDeprecation", images };
      else if (r->action == AMS_LC_DISABLE && r->include_amis)
        c[n++] = (Call){ "ec2:DisableImage", images };
      else if (r->action == AMS_LC_DELETE)
        {
          if (r->include_amis)
            c[n++] = (Call){ "ec2:DeregisterImage", images };
          if (r->include_snapshots)
            c[n++] = (Call){ "ec2:DeleteSnapshot", snapshots };
        }
      if (r->action == AMS_LC_DELETE)
        c[n++] = (Call){ "imagebuilder:DeleteImage", "*" };
      g_array_append_vals (calls, c, n);
    }
  g_autofree char *hint = g_strdup_printf ("Attach EC2ImageBuilderLifecycleExecutionPolicy to "
                                           "%s (the execution role of lifecycle policy '%s').",
                                           role_arn, lp->name);
  return allows (ax, &actor, (const Call *) (gpointer) calls->data, calls->len, ctx, where, region,
                 AMS_STEP_EXECUTION, AMS_CAUSE_LIFECYCLE_EXECUTION_DENIED, hint, b);
}

/* ---- the build instances' instance profile --------------------------------- */

gboolean
ams_access_check_instance_profile (AmsAccess *ax, const AmsScPipeline *pl, AmsBlocker *b)
{
  ams_blocker_init (b);
  if (pl->infrastructure == NULL)
    return TRUE;
  const AmsWorld *w = ams__access_world (ax);
  const AmsAccount *account = ams_world_find_account (w, pl->account.value);
  const AmsRegion *region = ams_world_find_region (w, pl->region.value);
  const char *profile = pl->infrastructure->instance_profile;
  const AmsAccount *where;
  g_autofree char *role_arn = NULL;
  const AmsScRole *role = find_role (w, account, profile, &where, &role_arn);
  gboolean container = pl->target_repository != NULL;
  const char *policies = container ? "EC2InstanceProfileForImageBuilderECRContainerBuilds and "
                                     "AmazonSSMManagedInstanceCore"
                                   : "EC2InstanceProfileForImageBuilder and "
                                     "AmazonSSMManagedInstanceCore";
  if (role == NULL)
    {
      ams__block (b, AMS_CAUSE_INSTANCE_PROFILE_MISSING, AMS_STEP_BUILD, account, region, role_arn,
                  "pipeline %s builds on instances with the instance profile %s (infrastructure "
                  "configuration %s), but account %s has no role %s, so its builds cannot "
                  "start; create it with a trust policy that lets ec2.amazonaws.com assume it "
                  "and attach %s", pl->name, profile, pl->infrastructure->name, account->id,
                  profile, policies);
      return FALSE;
    }
  AmsVerdict v;
  if (!ams__service_trusts (role, role_arn, where, "ec2.amazonaws.com", NULL, &v))
    {
      ams__block (b, AMS_CAUSE_INSTANCE_PROFILE_DENIED, AMS_STEP_BUILD, account, region, role_arn,
                  "the trust policy of %s, the instance profile of pipeline %s's builds, does "
                  "not let ec2.amazonaws.com assume it: %s. Allow sts:AssumeRole for "
                  "{\"Service\": \"ec2.amazonaws.com\"}", role_arn, pl->name, v.reason);
      ams__block_verdict (b, &v);
      return FALSE;
    }
  ams_verdict_clear (&v);

  AmsActor actor;
  ams__actor_role (ax, where, role, &actor);
  g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
  g_autoptr (GArray) calls = g_array_new (FALSE, FALSE, sizeof (Call));
  /* the Systems Manager agent: without it Image Builder cannot run the
   * build on the instance */
  static const Call agent[] = {
    { "ssm:UpdateInstanceInformation", "*" },
    { "ssmmessages:CreateControlChannel", "*" },
    { "ec2messages:GetMessages", "*" },
  };
  g_array_append_vals (calls, agent, G_N_ELEMENTS (agent));
  const AmsScRecipe *r = pl->recipe;
  for (guint i = 0; r != NULL && i < r->components->len; i++)
    {
      Call c = { "imagebuilder:GetComponent", g_array_index (r->components, AmsScResRef, i).arn };
      g_array_append_val (calls, c);
    }
  g_autofree char *repo = NULL;
  if (container)
    {
      repo = g_strdup_printf ("arn:aws:ecr:%s:%s:repository/%s", region->name, account->id,
                              pl->target_repository);
      const Call push[] = {
        { "ecr:GetAuthorizationToken", "*" },
        { "ecr:BatchCheckLayerAvailability", repo },
        { "ecr:InitiateLayerUpload", repo },
        { "ecr:UploadLayerPart", repo },
        { "ecr:CompleteLayerUpload", repo },
        { "ecr:PutImage", repo },
      };
      g_array_append_vals (calls, push, G_N_ELEMENTS (push));
    }
  g_autofree char *hint = g_strdup_printf ("Attach %s to %s%s.", policies, role_arn,
                                           container ? " (its ECR actions cover repositories "
                                                       "named image-builder-*; allow the "
                                                       "repository otherwise)" : "");
  return allows (ax, &actor, (const Call *) (gpointer) calls->data, calls->len, ctx, where, region,
                 AMS_STEP_BUILD, AMS_CAUSE_INSTANCE_PROFILE_DENIED, hint, b);
}

/* ---- container images' repository ------------------------------------------ */

gboolean
ams_access_check_repository_tag (AmsAccess *ax, const AmsScPipeline *pl, AmsBlocker *b)
{
  ams_blocker_init (b);
  const AmsWorld *w = ams__access_world (ax);
  const AmsAccount *owner = ams_world_find_account (w, pl->account.value);
  const AmsRegion *region = ams_world_find_region (w, pl->region.value);
  const AmsScAccount *acc = owner->proto;
  for (guint i = 0; acc != NULL && i < acc->ecr_repositories->len; i++)
    {
      const AmsScRepository *r = acc->ecr_repositories->pdata[i];
      if (strcmp (r->name, pl->target_repository) != 0
          || (r->region.value != NULL && strcmp (r->region.value, region->name) != 0))
        continue;
      for (guint j = 0; j < r->tags->len; j++)
        {
          const AmsScTag *t = &g_array_index (r->tags, AmsScTag, j);
          if (strcmp (t->key, "LifecycleExecutionAccess") == 0
              && strcmp (t->value, IMAGE_BUILDER_TAG) == 0)
            return TRUE;
        }
    }
  g_autofree char *repo = g_strdup_printf ("arn:aws:ecr:%s:%s:repository/%s", region->name,
                                           owner->id, pl->target_repository);
  ams__block (b, AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING, AMS_STEP_EXECUTION, owner, region, repo,
              "lifecycle actions on the container images of pipeline %s need its repository "
              "%s tagged LifecycleExecutionAccess: EC2 Image Builder (the execution policy "
              "only reaches repositories with that tag); tag it (ecr_repositories[].tags of "
              "account %s)", pl->name, pl->target_repository, owner->id);
  return FALSE;
}

/* ---- every lifecycle policy ------------------------------------------------- */

gboolean
ams__lifecycle_runs (const AmsScenario *sc, const AmsScLifecyclePolicy *lp)
{
  if (lp->enabled)
    return TRUE;
  for (guint i = 0; i < sc->events->len; i++)
    {
      const AmsScEvent *ev = sc->events->pdata[i];
      if (ev->kind == AMS_SC_EV_SET_LIFECYCLE_POLICY && ev->enabled
          && strcmp (ev->policy, lp->name) == 0
          && (ev->account.value == NULL || strcmp (ev->account.value, lp->account.value) == 0))
        return TRUE;
    }
  return FALSE;
}

guint
ams_access_check_lifecycle (AmsAccess *ax, AmsLifecycleBlockerFn fn, gpointer user)
{
  const AmsScenario *sc = ams_world_scenario (ams__access_world (ax));
  guint checks = 0;
  for (guint i = 0; i < sc->lifecycle_policies->len; i++)
    {
      const AmsScLifecyclePolicy *lp = sc->lifecycle_policies->pdata[i];
      if (!ams__lifecycle_runs (sc, lp))
        continue;
      AmsBlocker b;
      checks++;
      if (!ams_access_check_execution_role (ax, lp, &b))
        fn (lp, &b, user);
      ams_blocker_clear (&b);
      gboolean deletes = FALSE;
      for (guint j = 0; j < lp->rules->len; j++)
        {
          const AmsScLcRule *r = lp->rules->pdata[j];
          deletes |= r->action == AMS_LC_DELETE && r->include_containers;
        }
      for (guint j = 0; lp->containers && deletes && j < sc->pipelines->len; j++)
        {
          const AmsScPipeline *pl = sc->pipelines->pdata[j];
          if (!ams_sc_lifecycle_selects (lp, pl))
            continue;
          checks++;
          if (!ams_access_check_repository_tag (ax, pl, &b))
            fn (lp, &b, user);
          ams_blocker_clear (&b);
        }
    }
  return checks;
}
