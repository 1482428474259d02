/* The permission checks of distribution (access.h).
 *
 * Each check builds the request the real service would make (who acts,
 * which action, on which resource, with which context keys) and asks the
 * policy evaluator; a refusal is turned into a blocker whose cause follows
 * from the part that refused: an SCP layer -> scp_denies, a key policy ->
 * key_policy_denies, the role's own policies -> role_kms_denied (or
 * role_ec2_denied, launch_template_denied), a trust policy ->
 * role_trust_denies. Policies built into amisim (the service-linked role,
 * managed policies) are compiled once per AmsAccess.
 */
#include <stdarg.h>
#include <string.h>

#include "amisim/access.h"
#include "amisim/scenario.h"
#include "amisim/sharing.h"
#include "access-private.h"

#define SLR_PATH "aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"

/* What amisim assumes AWSServiceRoleForImageBuilder may do (see access.h). */
static const char slr_policy_json[] =
  "{\"Version\": \"2012-10-17\", \"Statement\": ["
  "{\"Sid\": \"AssumeDistributionRoles\", \"Effect\": \"Allow\", \"Action\": \"sts:AssumeRole\", "
  "\"Resource\": \"arn:aws:iam::*:role/" AMS_CROSS_ACCOUNT_ROLE "\"}, "
  "{\"Sid\": \"Images\", \"Effect\": \"Allow\", \"Action\": [\"ec2:CopyImage\", \"ec2:CreateTags\", "
  "\"ec2:DescribeImages\", \"ec2:ModifyImageAttribute\", \"ec2:CreateLaunchTemplateVersion\", "
  "\"ec2:ModifyLaunchTemplate\", \"ec2:DescribeLaunchTemplates\"], \"Resource\": \"*\"}, "
  "{\"Sid\": \"Parameters\", \"Effect\": \"Allow\", \"Action\": \"ssm:PutParameter\", "
  "\"Resource\": \"*\"}, "
  "{\"Sid\": \"Keys\", \"Effect\": \"Allow\", \"Action\": [\"kms:Encrypt\", \"kms:Decrypt\", "
  "\"kms:ReEncrypt*\", \"kms:GenerateDataKey*\", \"kms:DescribeKey\", \"kms:CreateGrant\", "
  "\"kms:ListGrants\", \"kms:RevokeGrant\"], \"Resource\": \"*\"}]}";

/* A consumer account's root user: IAM allows it everything; SCPs and key
 * policies still apply. */
static const char root_policy_json[] =
  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"RootUser\", \"Effect\": \"Allow\", "
  "\"Action\": \"*\", \"Resource\": \"*\"}]}";

/* The names of an account that the checks use, built on its first check
 * (not at set-up for all: a world may have ten thousand accounts). */
typedef struct
{
  const char *slr_arn;     /* arn:aws:iam::<id>:role/aws-service-role/… */
  const char *slr_what;    /* Image Builder's service-linked role in account <id> */
  const char *root_arn;    /* arn:aws:iam::<id>:root */
  const char *root_what;   /* account <id> */
  const char *xrole_arn;   /* arn:aws:iam::<id>:role/EC2ImageBuilderDistributionCrossAccountRole */
  const char *xrole_what;  /* role <xrole_arn> */
} AccountNames;

/* The same for a region. */
typedef struct
{
  const char *images;      /* arn:aws:ec2:<region>::image/(star) */
  const char *via;         /* ec2.<region>.amazonaws.com (kms:ViaService) */
} RegionNames;

/* One question a copy check asks: everything copy_phase reads, and
 * nothing else. The world's own state (roles, keys, policies, where
 * accounts sit) is the same for every entry of the cache: the cache holds
 * the answers of one world generation (ams_world_generation). */
typedef struct
{
  AmsCopyPhase phase;
  const AmsAccount *owner, *target;
  const AmsRegion *source, *region;
  gboolean pv, encrypted;  /* the pipeline's (as truth values) */
  int entry_encrypted;     /* the entry's encrypted: 0 FALSE, 1 TRUE, 2 anything else */
  const char *src_key;     /* the pipeline's kms_key (owned in the cache) */
  const char *dst_key;     /* the entry's kmsKeyId (owned in the cache) */
} CopyQuestion;

/* A question without its target, and a list of targets (ams_access_copy_questions). */
typedef struct
{
  CopyQuestion q;
  gconstpointer list;
} ListQuestion;

/* Its answer: what the uncached check returned and left in the blocker. */
typedef struct
{
  gboolean ok;
  AmsBlocker b;
} CopyAnswer;

struct AmsAccess
{
  const AmsWorld *w;
  AmsPolicy *slr;
  AmsPolicy *root;
  GHashTable *managed;     /* name -> AmsPolicy* */
  GHashTable *role_ids;    /* const AmsScRole* -> GPtrArray* of AmsPolicy* (identity policies) */
  guint64 generation;      /* the world's generation role_ids and copies hold for */
  GHashTable *copies;      /* CopyQuestion* -> CopyAnswer* */
  GHashTable *questions;   /* CopyQuestion* (phase 0) -> 1 + its number (ams_access_copy_question) */
  GHashTable *lists;       /* ListQuestion* -> guint* (their numbers; ams_access_copy_questions) */
  GStringChunk *names;     /* the strings of accounts[] and regions[] */
  AccountNames **accounts; /* by account index; NULL until first needed */
  RegionNames **regions;   /* by region index; NULL until first needed */
  guint n_accounts, n_regions;
};

const char *
ams_step_name (AmsStep s)
{
  static const char *const names[] = {
    [AMS_STEP_REGION] = "region",
    [AMS_STEP_ASSUME_ROLE] = "assume_role",
    [AMS_STEP_COPY] = "copy",
    [AMS_STEP_DECRYPT] = "decrypt",
    [AMS_STEP_ENCRYPT] = "encrypt",
    [AMS_STEP_SHARE] = "share",
    [AMS_STEP_LAUNCH_TEMPLATE] = "launch_template",
    [AMS_STEP_LIFECYCLE] = "lifecycle",
    [AMS_STEP_SSM_PARAMETER] = "ssm_parameter",
    [AMS_STEP_DEPENDENCY] = "dependency",
    [AMS_STEP_RAM] = "ram",
    [AMS_STEP_LAUNCH] = "launch",
    [AMS_STEP_BUILD] = "build",
    [AMS_STEP_EXECUTION] = "execution",
  };
  g_return_val_if_fail (s < G_N_ELEMENTS (names), "?");
  return names[s];
}

void
ams_blocker_init (AmsBlocker *b)
{
  memset (b, 0, sizeof *b);
  ams_verdict_init (&b->verdict);
}

void
ams_blocker_clear (AmsBlocker *b)
{
  g_free (b->resource);
  g_free (b->message);
  ams_verdict_clear (&b->verdict);
  b->resource = b->message = NULL;
  b->cause = AMS_CAUSE_NONE;
}

static guint
copy_question_hash (gconstpointer p)
{
  const CopyQuestion *q = p;
  guint h = (guint) q->phase;
  h = h * 31u + g_direct_hash (q->owner);
  h = h * 31u + g_direct_hash (q->target);
  h = h * 31u + g_direct_hash (q->source);
  h = h * 31u + g_direct_hash (q->region);
  h = h * 31u + (guint) q->pv * 2u + (guint) q->encrypted;
  h = h * 31u + (guint) q->entry_encrypted;
  h = h * 31u + (q->src_key ? g_str_hash (q->src_key) : 0u);
  h = h * 31u + (q->dst_key ? g_str_hash (q->dst_key) : 0u);
  return h;
}

static gboolean
copy_question_equal (gconstpointer pa, gconstpointer pb)
{
  const CopyQuestion *a = pa, *b = pb;
  return a->phase == b->phase && a->owner == b->owner && a->target == b->target
         && a->source == b->source && a->region == b->region && a->pv == b->pv
         && a->encrypted == b->encrypted && a->entry_encrypted == b->entry_encrypted
         && g_strcmp0 (a->src_key, b->src_key) == 0 && g_strcmp0 (a->dst_key, b->dst_key) == 0;
}

static void
copy_question_free (gpointer p)
{
  CopyQuestion *q = p;
  g_free ((char *) q->src_key);
  g_free ((char *) q->dst_key);
  g_free (q);
}

static guint
list_question_hash (gconstpointer p)
{
  const ListQuestion *l = p;
  return copy_question_hash (&l->q) * 31u + g_direct_hash (l->list);
}

static gboolean
list_question_equal (gconstpointer pa, gconstpointer pb)
{
  const ListQuestion *a = pa, *b = pb;
  return a->list == b->list && copy_question_equal (&a->q, &b->q);
}

static void
list_question_free (gpointer p)
{
  ListQuestion *l = p;
  g_free ((char *) l->q.src_key);
  g_free ((char *) l->q.dst_key);
  g_free (l);
}

static void
copy_answer_free (gpointer p)
{
  CopyAnswer *a = p;
  ams_blocker_clear (&a->b);
  g_free (a);
}

/* Forgets what was decided from an older world: the copy answers, and the
 * identity policies by role (an event replaces a role by a new copy, which
 * may be allocated where a freed one was). */
static inline void
sync_generation (AmsAccess *ax)
{
  guint64 g = ams_world_generation (ax->w);
  if (G_LIKELY (g == ax->generation))
    return;
  g_hash_table_remove_all (ax->copies);
  g_hash_table_remove_all (ax->role_ids);
  ax->generation = g;
}

static const AccountNames *
account_names (AmsAccess *ax, const AmsAccount *a)
{
  g_assert (a->index < ax->n_accounts && ams_world_account (ax->w, a->index) == a);
  AccountNames *n = ax->accounts[a->index];
  if (G_LIKELY (n != NULL))
    return n;
  n = g_new (AccountNames, 1);
  char buf[512];
  g_snprintf (buf, sizeof buf, "arn:aws:iam::%s:role/%s", a->id, SLR_PATH);
  n->slr_arn = g_string_chunk_insert (ax->names, buf);
  g_snprintf (buf, sizeof buf, "Image Builder's service-linked role in account %s", a->id);
  n->slr_what = g_string_chunk_insert (ax->names, buf);
  g_snprintf (buf, sizeof buf, "arn:aws:iam::%s:root", a->id);
  n->root_arn = g_string_chunk_insert (ax->names, buf);
  g_snprintf (buf, sizeof buf, "account %s", a->id);
  n->root_what = g_string_chunk_insert (ax->names, buf);
  g_snprintf (buf, sizeof buf, "arn:aws:iam::%s:role/%s", a->id, AMS_CROSS_ACCOUNT_ROLE);
  n->xrole_arn = g_string_chunk_insert (ax->names, buf);
  g_snprintf (buf, sizeof buf, "role %s", n->xrole_arn);
  n->xrole_what = g_string_chunk_insert (ax->names, buf);
  ax->accounts[a->index] = n;
  return n;
}

static const RegionNames *
region_names (AmsAccess *ax, const AmsRegion *r)
{
  g_assert (r->index < ax->n_regions && ams_world_region (ax->w, r->index) == r);
  RegionNames *n = ax->regions[r->index];
  if (G_LIKELY (n != NULL))
    return n;
  n = g_new (RegionNames, 1);
  char buf[512];
  g_snprintf (buf, sizeof buf, "arn:aws:ec2:%s::image/*", r->name);
  n->images = g_string_chunk_insert (ax->names, buf);
  g_snprintf (buf, sizeof buf, "ec2.%s.amazonaws.com", r->name);
  n->via = g_string_chunk_insert (ax->names, buf);
  ax->regions[r->index] = n;
  return n;
}

AmsAccess *
ams_access_new (const AmsWorld *w)
{
  AmsAccess *ax = g_new0 (AmsAccess, 1);
  ax->w = w;
  ax->generation = ams_world_generation (w);
  ax->copies = g_hash_table_new_full (copy_question_hash, copy_question_equal,
                                      copy_question_free, copy_answer_free);
  ax->questions = g_hash_table_new_full (copy_question_hash, copy_question_equal,
                                         copy_question_free, NULL);
  ax->lists = g_hash_table_new_full (list_question_hash, list_question_equal, list_question_free,
                                     g_free);
  ax->names = g_string_chunk_new (4096);
  ax->n_accounts = ams_world_n_accounts (w);
  ax->n_regions = ams_world_n_regions (w);
  ax->accounts = g_new0 (AccountNames *, ax->n_accounts);
  ax->regions = g_new0 (RegionNames *, ax->n_regions);
  ax->slr = ams_policy_builtin ("AWSServiceRoleForImageBuilder (as amisim models it)", slr_policy_json,
                                AMS_POLICY_IDENTITY);
  ax->root = ams_policy_builtin ("root user", root_policy_json, AMS_POLICY_IDENTITY);
  ax->managed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) ams_policy_unref);
  ax->role_ids = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  return ax;
}

void
ams_access_free (AmsAccess *ax)
{
  if (ax == NULL)
    return;
  ams_policy_unref (ax->slr);
  ams_policy_unref (ax->root);
  g_hash_table_unref (ax->managed);
  g_hash_table_unref (ax->role_ids);
  g_hash_table_unref (ax->copies);
  g_hash_table_unref (ax->questions);
  g_hash_table_unref (ax->lists);
  for (guint i = 0; i < ax->n_accounts; i++)
    g_free (ax->accounts[i]);
  for (guint i = 0; i < ax->n_regions; i++)
    g_free (ax->regions[i]);
  g_free (ax->accounts);
  g_free (ax->regions);
  g_string_chunk_free (ax->names);
  g_free (ax);
}

/* The identity policies of a role: managed ones by name, then inline. */
static GPtrArray *
role_policies (AmsAccess *ax, const AmsScRole *role)
{
  sync_generation (ax);
  GPtrArray *list = g_hash_table_lookup (ax->role_ids, role);
  if (list != NULL)
    return list;
  list = g_ptr_array_new ();
  for (guint i = 0; i < role->managed_policies->len; i++)
    {
      const char *name = g_array_index (role->managed_policies, AmsScRef, i).value;
      AmsPolicy *p = g_hash_table_lookup (ax->managed, name);
      if (p == NULL)
        {
          p = ams_managed_policy_new (name);
          g_assert (p != NULL); /* the loader only accepts names the module knows */
          g_hash_table_insert (ax->managed, (gpointer) name, p);
        }
      g_ptr_array_add (list, p);
    }
  for (guint i = 0; i < role->inline_policies->len; i++)
    g_ptr_array_add (list, role->inline_policies->pdata[i]);
  g_hash_table_insert (ax->role_ids, (gpointer) role, list);
  return list;
}

/* ---- who acts ---- */

/* (AmsActor's buffers are left as they are unless used: the names of
 * service-linked roles, roots and cross-account roles are built once.) */
static inline void
actor_start (AmsActor *a, const AmsAccount *acct)
{
  a->account = acct;
  a->identity = NULL;
  a->n_identity = 0;
  a->service_linked = FALSE;
  a->arn_buf[0] = a->what_buf[0] = '\0';
}

void
ams__actor_slr (AmsAccess *ax, const AmsAccount *owner, AmsActor *a)
{
  const AccountNames *n = account_names (ax, owner);
  actor_start (a, owner);
  a->arn = n->slr_arn;
  a->identity = &ax->slr;
  a->n_identity = 1;
  a->service_linked = TRUE;
  a->what = n->slr_what;
}

void
ams__actor_role (AmsAccess *ax, const AmsAccount *acct, const AmsScRole *role, AmsActor *a)
{
  actor_start (a, acct);
  if (strcmp (role->name, AMS_CROSS_ACCOUNT_ROLE) == 0)
    {
      const AccountNames *n = account_names (ax, acct);
      a->arn = n->xrole_arn;
      a->what = n->xrole_what;
    }
  else
    {
      g_snprintf (a->arn_buf, sizeof a->arn_buf, "arn:aws:iam::%s:role/%s", acct->id, role->name);
      g_snprintf (a->what_buf, sizeof a->what_buf, "role %s", a->arn_buf);
      a->arn = a->arn_buf;
      a->what = a->what_buf;
    }
  GPtrArray *ids = role_policies (ax, role);
  a->identity = (AmsPolicy *const *) ids->pdata;
  a->n_identity = ids->len;
}

void
ams__actor_root (AmsAccess *ax, const AmsAccount *acct, AmsActor *a)
{
  const AccountNames *n = account_names (ax, acct);
  actor_start (a, acct);
  a->arn = n->root_arn;
  a->identity = &ax->root;
  a->n_identity = 1;
  a->what = n->root_what;
}

/* The context keys the service supplies for a principal. */
AmsContext *
ams__principal_context (const AmsActor *a)
{
  AmsContext *ctx = ams_context_new ();
  ams_context_set (ctx, "aws:PrincipalAccount", a->account->id);
  ams_context_set (ctx, "aws:PrincipalArn", a->arn);
  const AmsOrg *org = ams_account_org (a->account);
  if (org != NULL)
    {
      ams_context_set (ctx, "aws:PrincipalOrgID", org->id);
      ams_context_set (ctx, "aws:PrincipalOrgPaths", ams_account_org_path (a->account));
    }
  return ctx;
}

/* ---- blockers ---- */

void
ams__block (AmsBlocker *b, AmsCause cause, AmsStep step, const AmsAccount *account,
            const AmsRegion *region, const char *resource, const char *fmt, ...)
{
  b->cause = cause;
  b->step = step;
  b->account = account;
  b->region = region;
  g_free (b->resource);
  b->resource = g_strdup (resource);
  va_list ap;
  va_start (ap, fmt);
  g_free (b->message);
  b->message = g_strdup_vprintf (fmt, ap);
  va_end (ap);
}

/* Asks the evaluator; on refusal fills `b` with the cause that follows from
 * the refusing part (`identity_cause` when the actor's own policies lack
 * the permission, `resource_cause` for the resource policy). */
gboolean
ams__decide (const AmsWorld *w, const AmsActor *actor, const char *action,
             const char *resource, const AmsAccount *resource_account,
             const AmsPolicy *resource_policy, AmsResourceKind kind, AmsContext *ctx,
             AmsStep step, const AmsRegion *region, AmsCause identity_cause,
             AmsCause resource_cause, const char *hint, AmsBlocker *b)
{
  AmsPolicySet set = {
    .identity = actor->identity,
    .n_identity = actor->n_identity,
    .resource = resource_policy,
    .resource_kind = kind,
  };
  AmsScpLayers scps;
  if (!actor->service_linked)
    {
      ams_world_scp_layers (w, actor->account, &scps);
      ams_scp_layers_apply (&scps, &set);
    }
  /* the call is made in `region` (the copy's destination, the key's
   * region, …): what aws:RequestedRegion holds, as in every request */
  if (region != NULL && ctx != NULL)
    ams_context_set (ctx, "aws:RequestedRegion", region->name);
  AmsRequest req = {
    .action = action,
    .resource = resource,
    .resource_account = resource_account->id,
    .principal = actor->arn,
    .principal_account = actor->account->id,
    .context = ctx,
  };
  AmsVerdict v;
  ams_verdict_init (&v);
  if (ams_authorize (&set, &req, &v) == AMS_DECISION_ALLOW)
    {
      ams_verdict_clear (&v);
      return TRUE;
    }
  AmsPolicyPart part = v.decision == AMS_DECISION_EXPLICIT_DENY ? v.denied_by : v.missing;
  AmsCause cause = part == AMS_PART_SCP        ? AMS_CAUSE_SCP_DENIES
                   : part == AMS_PART_RESOURCE ? resource_cause
                                               : identity_cause;
  const char *path = ams_account_org_path (actor->account);
  g_autofree char *where = path ? g_strdup_printf (" (account %s, org path %s)",
                                                    actor->account->id, path)
                                : g_strdup_printf (" (account %s, in no organization)",
                                                   actor->account->id);
  ams__block (b, cause, step, actor->account, region, resource, "%s may not %s on %s%s: %s.%s%s",
         actor->what, action, resource, where, v.reason ? v.reason : ams_decision_name (v.decision),
         cause == AMS_CAUSE_SCP_DENIES ? "" : (hint ? " " : ""),
         cause == AMS_CAUSE_SCP_DENIES ? "" : (hint ? hint : ""));
  ams__block_verdict (b, &v);
  return FALSE;
}

void
ams__block_verdict (AmsBlocker *b, AmsVerdict *v)
{
  ams_verdict_clear (&b->verdict);
  b->verdict = *v;
}

gboolean
ams__service_trusts (const AmsScRole *role, const char *role_arn, const AmsAccount *acct,
                     const char *service, AmsContext *ctx, AmsVerdict *v)
{
  AmsPolicySet trust = { .resource = role->trust, .resource_kind = AMS_RESOURCE_TRUST };
  AmsRequest req = {
    .action = "sts:AssumeRole", .resource = role_arn, .resource_account = acct->id,
    .principal = service, .principal_account = NULL, .context = ctx,
  };
  ams_verdict_init (v);
  return ams_authorize (&trust, &req, v) == AMS_DECISION_ALLOW;
}

/* Key usable at all: exists where needed, enabled. */
gboolean
ams__key_usable (AmsKeyLookup lookup, const AmsKeyInfo *k, const char *ref,
                 const AmsAccount *where, const AmsRegion *region, AmsStep step,
                 const char *purpose, AmsBlocker *b)
{
  if (lookup == AMS_KEY_NOT_FOUND)
    {
      ams__block (b, AMS_CAUSE_KEY_MISSING_IN_REGION, step, where, region, ref,
             "%s: no KMS key '%s' in account %s in %s; create the key there (a key lives in "
             "one account and one region) or name one that exists",
             purpose, ref, where->id, region->name);
      return FALSE;
    }
  if (lookup == AMS_KEY_OTHER_REGION)
    {
      ams__block (b, AMS_CAUSE_KEY_MISSING_IN_REGION, step, where, region, ref,
             "%s: key '%s' is not in %s (KMS keys are regional); name a key of %s, for "
             "example a replica of a multi-Region key", purpose, ref, region->name, region->name);
      return FALSE;
    }
  if (k->state == AMS_KEY_DISABLED)
    {
      ams__block (b, AMS_CAUSE_KEY_DISABLED, step, k->account, k->region, k->arn,
             "%s: key %s is disabled; enable it", purpose, k->arn);
      return FALSE;
    }
  if (k->state == AMS_KEY_PENDING_DELETION)
    {
      ams__block (b, AMS_CAUSE_KEY_PENDING_DELETION, step, k->account, k->region, k->arn,
             "%s: key %s is pending deletion; cancel the deletion or name another key",
             purpose, k->arn);
      return FALSE;
    }
  return TRUE;
}

/* The actor may use key k for every action listed. */
gboolean
ams__key_allows (AmsAccess *ax, const AmsActor *actor, const AmsKeyInfo *k,
                 const char *const *actions, AmsStep step, AmsBlocker *b)
{
  g_autoptr (AmsContext) ctx = ams__principal_context (actor);
  ams_context_set (ctx, "kms:CallerAccount", actor->account->id);
  ams_context_set (ctx, "kms:ViaService", region_names (ax, k->region)->via);
  const AmsPolicy *kp = ams_world_key_policy (ax->w, k);
  g_autofree char *hint = NULL;
  if (k->aws_managed && actor->account != k->account)
    hint = g_strdup_printf ("The AWS managed key alias/aws/ebs can only be used by its own "
                            "account; encrypt the image with a customer managed key and allow "
                            "account %s in its key policy.", actor->account->id);
  else
    hint = g_strdup_printf ("Allow it in the key policy of %s (for example for the account, its "
                            "organization with aws:PrincipalOrgID, or its OU with "
                            "aws:PrincipalOrgPaths) and in the role's own policies.", k->arn);
  for (guint i = 0; actions[i] != NULL; i++)
    if (!ams__decide (ax->w, actor, actions[i], k->arn, k->account, kp, AMS_RESOURCE_KMS_KEY, ctx, step,
                 k->region, AMS_CAUSE_ROLE_KMS_DENIED, AMS_CAUSE_KEY_POLICY_DENIES, hint, b))
      return FALSE;
  return TRUE;
}

static const char *const source_key_actions[] = {
  "kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", "kms:ReEncryptFrom", NULL,
};
static const char *const reencrypt_actions[] = {
  "kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptTo",
  NULL,
};
static const char *const encrypt_actions[] = {
  "kms:DescribeKey", "kms:CreateGrant", "kms:GenerateDataKeyWithoutPlaintext", "kms:Encrypt",
  NULL,
};
const char *const ams__launch_key_actions[] = {
  "kms:DescribeKey", "kms:CreateGrant", "kms:Decrypt", NULL,
};

/* Assumes the cross-account role of `target` for `owner`'s service-linked
 * role; fills *actor with the role on success. */
static gboolean
assume_role (AmsAccess *ax, const AmsAccount *owner, const AmsAccount *target,
             const AmsRegion *region, AmsStep step, AmsCause missing_cause, AmsActor *actor,
             AmsBlocker *b)
{
  const AmsScRole *role = ams_world_find_role (ax->w, target, AMS_CROSS_ACCOUNT_ROLE);
  const char *role_arn = account_names (ax, target)->xrole_arn;
  if (role == NULL)
    {
      ams__block (b, missing_cause, step, target, region, role_arn,
             "account %s has no role %s; create it with a trust policy that lets account %s "
             "assume it (sts:AssumeRole for arn:aws:iam::%s:root) and attach "
             "Ec2ImageBuilderCrossAccountDistributionAccess",
             target->id, AMS_CROSS_ACCOUNT_ROLE, owner->id, owner->id);
      return FALSE;
    }
  AmsActor slr;
  ams__actor_slr (ax, owner, &slr);
  g_autoptr (AmsContext) ctx = ams__principal_context (&slr);
  g_autofree char *hint = g_strdup_printf ("Add a trust statement allowing sts:AssumeRole for "
                                           "{\"AWS\": \"arn:aws:iam::%s:root\"}.", owner->id);
  if (!ams__decide (ax->w, &slr, "sts:AssumeRole", role_arn, target, role->trust, AMS_RESOURCE_TRUST,
               ctx, step, region, AMS_CAUSE_ROLE_TRUST_DENIES, AMS_CAUSE_ROLE_TRUST_DENIES, hint, b))
    {
      b->account = target;
      return FALSE;
    }
  ams__actor_role (ax, target, role, actor);
  return TRUE;
}

gboolean
ams_access_image_key (AmsAccess *ax, const AmsCopySpec *spec, AmsKeyInfo *out,
                      AmsKeyLookup *lookup)
{
  const AmsScPipeline *pl = spec->pipeline;
  gboolean source = spec->region == spec->source_region;
  /* the owner's AMI in another region is its copy, encrypted as the copy is */
  if (source ? !pl->encrypted : !ams_access_copy_encrypted (spec))
    return FALSE;
  AmsKeyLookup r;
  if (source)
    r = ams_world_find_key (ax->w, pl->kms_key.value, spec->owner, spec->source_region, out);
  else
    r = ams_world_find_key (ax->w, spec->entry->kms_key_id.value, spec->owner, spec->region, out);
  if (lookup != NULL)
    *lookup = r;
  return TRUE;
}

/* Who acts in `acct` for `owner`'s image: the owner's service-linked role,
 * or acct's cross-account role (assumed, with its trust checked). */
static gboolean
actor_in (AmsAccess *ax, const AmsAccount *owner, const AmsAccount *acct,
          const AmsRegion *region, AmsStep step, AmsActor *actor, AmsBlocker *b)
{
  if (acct == owner)
    {
      ams__actor_slr (ax, owner, actor);
      return TRUE;
    }
  return assume_role (ax, owner, acct, region, step, AMS_CAUSE_ROLE_MISSING, actor, b);
}

/* Who copies into spec->target. */
static gboolean
copier (AmsAccess *ax, const AmsCopySpec *spec, AmsActor *actor, AmsBlocker *b)
{
  return actor_in (ax, spec->owner, spec->target, spec->region, AMS_STEP_ASSUME_ROLE, actor, b);
}

gboolean
ams_access_check_copy (AmsAccess *ax, const AmsCopySpec *spec, AmsBlocker *b)
{
  if (!ams_access_check_copy_phase (ax, spec, AMS_COPY_AT_REQUEST, b))
    return FALSE;
  ams_blocker_clear (b);
  return ams_access_check_copy_phase (ax, spec, AMS_COPY_AT_TRANSFER, b);
}

gboolean
ams_access_copy_encrypted (const AmsCopySpec *spec)
{
  const AmsScDistRegion *e = spec->entry;
  return spec->pipeline->encrypted || e->kms_key_id.value != NULL || e->encrypted == TRUE;
}

static gboolean copy_phase (AmsAccess *ax, const AmsCopySpec *spec, AmsCopyPhase phase,
                            AmsBlocker *b);

/* A blocked copy is named by its own destination: the account that would
 * own it and the region it goes to, whatever refused it. A key check
 * reports where the key is (the source key in the build region, a key of
 * another account), which would file the copies of many accounts and
 * regions under one place; the key stays in the resource and the message. */
static gboolean
copy_phase_uncached (AmsAccess *ax, const AmsCopySpec *spec, AmsCopyPhase phase, AmsBlocker *b)
{
  if (copy_phase (ax, spec, phase, b))
    return TRUE;
  b->account = spec->target;
  b->region = spec->region;
  return FALSE;
}

static void
blocker_copy (AmsBlocker *dst, const AmsBlocker *src)
{
  dst->cause = src->cause;
  dst->step = src->step;
  dst->account = src->account;
  dst->region = src->region;
  dst->resource = g_strdup (src->resource);
  dst->message = g_strdup (src->message);
  ams_verdict_copy (&dst->verdict, &src->verdict);
}

static CopyQuestion
copy_question_of (const AmsCopySpec *spec, AmsCopyPhase phase)
{
  const AmsScPipeline *pl = spec->pipeline;
  const AmsScDistRegion *e = spec->entry;
  return (CopyQuestion) {
    .phase = phase,
    .owner = spec->owner,
    .target = spec->target,
    .source = spec->source_region,
    .region = spec->region,
    .pv = pl->pv ? TRUE : FALSE,
    .encrypted = pl->encrypted ? TRUE : FALSE,
    .entry_encrypted = e->encrypted == FALSE ? 0 : e->encrypted == TRUE ? 1 : 2,
    .src_key = pl->kms_key.value,
    .dst_key = e->kms_key_id.value,
  };
}

/* A copy of q that owns its strings, for a key of the tables. */
static CopyQuestion *
copy_question_dup (const CopyQuestion *q)
{
  CopyQuestion *key = g_memdup2 (q, sizeof *q);
  key->src_key = g_strdup (q->src_key);
  key->dst_key = g_strdup (q->dst_key);
  return key;
}

guint
ams_access_copy_question (AmsAccess *ax, const AmsCopySpec *spec)
{
  g_return_val_if_fail (ax != NULL && spec != NULL, 0);
  /* the phase is not part of it: one number for both */
  CopyQuestion q = copy_question_of (spec, AMS_COPY_AT_REQUEST);
  gpointer id = g_hash_table_lookup (ax->questions, &q);
  if (id == NULL)
    {
      id = GUINT_TO_POINTER (g_hash_table_size (ax->questions) + 1);
      g_hash_table_insert (ax->questions, copy_question_dup (&q), id);
    }
  return GPOINTER_TO_UINT (id) - 1;
}

const guint *
ams_access_copy_questions (AmsAccess *ax, const AmsCopySpec *spec, gconstpointer list,
                           const AmsAccount *const *targets, guint n)
{
  g_return_val_if_fail (ax != NULL && spec != NULL && list != NULL, NULL);
  g_return_val_if_fail (targets != NULL || n == 0, NULL);
  AmsCopySpec any = *spec;
  any.target = NULL;
  ListQuestion key = { copy_question_of (&any, AMS_COPY_AT_REQUEST), list };
  guint *numbers = g_hash_table_lookup (ax->lists, &key);
  if (numbers != NULL)
    return numbers;
  numbers = g_new (guint, MAX (n, 1u));
  for (guint i = 0; i < n; i++)
    {
      any.target = targets[i];
      numbers[i] = targets[i] == spec->owner ? G_MAXUINT : ams_access_copy_question (ax, &any);
    }
  ListQuestion *owned = g_new (ListQuestion, 1);
  *owned = key;
  owned->q.src_key = g_strdup (key.q.src_key);
  owned->q.dst_key = g_strdup (key.q.dst_key);
  g_hash_table_insert (ax->lists, owned, numbers);
  return numbers;
}

/* The answer is made once per distinct question and world generation: in
 * a fleet, every pipeline of an owner asks the same of each destination
 * account and region (see CopyQuestion for what makes a question). */
gboolean
ams_access_check_copy_phase (AmsAccess *ax, const AmsCopySpec *spec, AmsCopyPhase phase,
                             AmsBlocker *b)
{
  g_return_val_if_fail (ax != NULL && spec != NULL && b != NULL, FALSE);
  sync_generation (ax);
  CopyQuestion q = copy_question_of (spec, phase);
  const CopyAnswer *a = g_hash_table_lookup (ax->copies, &q);
  if (a == NULL)
    {
      CopyAnswer *made = g_new (CopyAnswer, 1);
      made->ok = copy_phase_uncached (ax, spec, phase, &made->b);
      g_hash_table_insert (ax->copies, copy_question_dup (&q), made);
      a = made;
    }
  memset (b, 0, sizeof *b);
  blocker_copy (b, &a->b);
  return a->ok;
}

gboolean
ams__access_check_copy_phase_uncached (AmsAccess *ax, const AmsCopySpec *spec,
                                       AmsCopyPhase phase, AmsBlocker *b)
{
  return copy_phase_uncached (ax, spec, phase, b);
}

static gboolean
copy_phase (AmsAccess *ax, const AmsCopySpec *spec, AmsCopyPhase phase, AmsBlocker *b)
{
  ams_blocker_init (b);
  const AmsAccount *owner = spec->owner, *target = spec->target;
  const AmsRegion *region = spec->region, *source = spec->source_region;
  const AmsScPipeline *pl = spec->pipeline;
  AmsActor actor;
  if (phase == AMS_COPY_AT_TRANSFER)
    {
      if (!copier (ax, spec, &actor, b))
        return FALSE; /* cannot happen after a request that passed, unless the world changed */
      goto keys;
    }

  /* 1. regions */
  if (!ams_account_region_enabled (owner, source))
    {
      ams__block (b, AMS_CAUSE_REGION_NOT_ENABLED, AMS_STEP_REGION, owner, source, source->name,
             "%s is an opt-in region that account %s has not enabled; enable it "
             "(enabled_regions of the account)", source->name, owner->id);
      return FALSE;
    }
  if (!ams_account_region_enabled (target, region))
    {
      ams__block (b, AMS_CAUSE_REGION_NOT_ENABLED, AMS_STEP_REGION, target, region, region->name,
             "%s is an opt-in region that account %s has not enabled; enable it "
             "(enabled_regions of the account)", region->name, target->id);
      return FALSE;
    }
  if (pl->pv && !region->pv_supported)
    {
      ams__block (b, AMS_CAUSE_PV_UNSUPPORTED, AMS_STEP_REGION, target, region, region->name,
             "the image is paravirtual (PV) and %s does not support PV AMIs; build an HVM "
             "image or leave %s out of the distribution", region->name, region->name);
      return FALSE;
    }

  if (pl->encrypted && spec->entry->encrypted == FALSE)
    {
      const char *image = region_names (ax, source)->images;
      ams__block (b, AMS_CAUSE_ENCRYPTED_TO_UNENCRYPTED, AMS_STEP_COPY, target, region, image,
             "the image is encrypted (key %s) and the distribution to %s asks for an "
             "unencrypted copy (encrypted: false); a copy of an encrypted snapshot stays "
             "encrypted: drop encrypted: false, or build the image unencrypted",
             pl->kms_key.value ? pl->kms_key.value : "alias/aws/ebs", region->name);
      return FALSE;
    }

  /* 2. who copies: the owner's service-linked role, or the target's role */
  if (!copier (ax, spec, &actor, b))
    return FALSE;

  /* 3. the copy itself */
  {
    const char *images = region_names (ax, region)->images;
    g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
    if (!ams__decide (ax->w, &actor, "ec2:CopyImage", images, target, NULL, AMS_RESOURCE_GENERIC, ctx,
                 AMS_STEP_COPY, region, AMS_CAUSE_ROLE_EC2_DENIED, AMS_CAUSE_ROLE_EC2_DENIED,
                 "Attach the managed policy Ec2ImageBuilderCrossAccountDistributionAccess to the "
                 "role.", b))
      return FALSE;
  }
  return TRUE;

keys:
  /* 4. the source key (the recipe's, in the build region) */
  if (pl->encrypted)
    {
      AmsKeyInfo k;
      const char *ref = pl->kms_key.value ? pl->kms_key.value : "alias/aws/ebs";
      AmsKeyLookup found = ams_world_find_key (ax->w, pl->kms_key.value, owner, source, &k);
      if (!ams__key_usable (found, &k, ref, owner, source, AMS_STEP_DECRYPT, "the image's key", b))
        return FALSE;
      if (!ams__key_allows (ax, &actor, &k, source_key_actions, AMS_STEP_DECRYPT, b))
        return FALSE;
    }

  /* 5. the destination key: kmsKeyId of the region, else the default EBS key */
  const char *dst_ref = spec->entry->kms_key_id.value;
  if (ams_access_copy_encrypted (spec))
    {
      AmsKeyInfo k;
      AmsKeyLookup found = ams_world_find_key (ax->w, dst_ref, target, region, &k);
      if (!ams__key_usable (found, &k, dst_ref ? dst_ref : "alias/aws/ebs", target, region,
                       AMS_STEP_ENCRYPT, "the key of the copy (kmsKeyId)", b))
        return FALSE;
      if (!ams__key_allows (ax, &actor, &k, pl->encrypted ? reencrypt_actions : encrypt_actions,
                       AMS_STEP_ENCRYPT, b))
        return FALSE;
    }
  return TRUE;
}

/* ---- launch permissions ---- */

/* Hands a blocker over and makes *b ready for the next one. */
static void
report (AmsBlockerFn fn, gpointer user, AmsBlocker *b, guint *n)
{
  fn (b, user);
  ams_blocker_clear (b);
  ams_blocker_init (b);
  (*n)++;
}

guint
ams_access_check_shares (AmsAccess *ax, const AmsCopySpec *spec, AmsBlockerFn fn, gpointer user)
{
  const AmsScDistRegion *e = spec->entry;
  guint targets = e->lp_user_ids->len + e->lp_org_arns->len + e->lp_ou_arns->len
                  + (e->lp_public ? 1 : 0);
  if (targets == 0)
    return 0;
  const AmsAccount *owner = spec->owner;
  const AmsRegion *region = spec->region;
  guint n = 0;
  g_auto (AmsBlocker) b = { 0 };
  ams_blocker_init (&b);
  g_autofree char *ami = g_strdup_printf ("the image's AMI in %s (owner %s)", region->name,
                                          owner->id);

  AmsKeyInfo key;
  AmsKeyLookup found = AMS_KEY_FOUND;
  gboolean encrypted = ams_access_image_key (ax, spec, &key, &found);
  if (encrypted && found == AMS_KEY_FOUND && key.aws_managed)
    {
      ams__block (&b, AMS_CAUSE_AWS_MANAGED_KEY_SHARE, AMS_STEP_SHARE, owner, region, ami,
             "%s is encrypted with the AWS managed key alias/aws/ebs, which cannot be shared: "
             "its launch permissions fail. Encrypt it with a customer managed key (recipe "
             "kms_key in the build region, kmsKeyId elsewhere) whose key policy allows the "
             "accounts it is shared with", ami);
      report (fn, user, &b, &n);
      return n;
    }
  if (e->lp_public && ams_account_blocks_public_amis (owner))
    {
      ams__block (&b, AMS_CAUSE_PUBLIC_SHARE_BLOCKED, AMS_STEP_SHARE, owner, region, ami,
             "userGroups [\"all\"] makes %s public, but block public access for AMIs is on in "
             "account %s (%s); turn it off (block_public_ami_access: false) or do not share "
             "publicly", ami, owner->id, region->name);
      report (fn, user, &b, &n);
    }
  if (targets > 1000)
    {
      ams__block (&b, AMS_CAUSE_SHARE_LIMIT_EXCEEDED, AMS_STEP_SHARE, owner, region, ami,
             "%s would have %u sharing targets; an AMI can be shared with at most 1,000 "
             "(an organization or OU counts as one): share with OUs instead of accounts",
             ami, targets);
      report (fn, user, &b, &n);
    }
  if (!encrypted || found != AMS_KEY_FOUND)
    return n;

  /* An encrypted AMI is usable only where its key is: every account the
   * launch permissions cover needs the key policy's permission. */
  AmsAmiTraits traits = { .aws_managed_key = FALSE, .block_public = FALSE };
  g_autoptr (AmsLaunchPerms) lp = ams_launch_perms_new (owner->id, &traits);
  for (guint i = 0; i < e->lp_user_ids->len; i++)
    ams_launch_perms_add_account (lp, owner->id, g_array_index (e->lp_user_ids, AmsScRef, i).value);
  for (guint i = 0; i < e->lp_org_arns->len; i++)
    ams_launch_perms_add_org (lp, owner->id, g_array_index (e->lp_org_arns, AmsScRef, i).value);
  for (guint i = 0; i < e->lp_ou_arns->len; i++)
    ams_launch_perms_add_ou (lp, owner->id, g_array_index (e->lp_ou_arns, AmsScRef, i).value);
  for (guint i = 0; i < ams_world_n_accounts (ax->w); i++)
    {
      const AmsAccount *a = ams_world_account (ax->w, i);
      AmsPlace place;
      ams_account_place (a, &place);
      if (a == owner || !ams_launch_perms_can_launch (lp, &place))
        continue;
      AmsActor consumer;
      ams__actor_root (ax, a, &consumer);
      /* A disabled key, or one pending deletion, fails every consumer's
       * launch (launch.c), whatever its policy says. */
      if (!ams__key_usable (found, &key, key.arn, owner, region, AMS_STEP_SHARE, "the image's key",
                            &b)
          || !ams__key_allows (ax, &consumer, &key, ams__launch_key_actions, AMS_STEP_SHARE, &b))
        {
          g_autofree char *msg = g_strdup_printf ("%s is shared with account %s, which cannot "
                                                  "launch it: %s", ami, a->id, b.message);
          g_free (b.message);
          b.message = g_steal_pointer (&msg);
          b.account = a;
          b.region = region;
          report (fn, user, &b, &n);
        }
    }
  return n;
}

/* ---- launch templates ---- */

guint
ams_access_check_launch_templates (AmsAccess *ax, const AmsCopySpec *spec, AmsBlockerFn fn,
                                   gpointer user)
{
  const AmsScDistRegion *e = spec->entry;
  const AmsRegion *region = spec->region;
  guint n = 0;
  g_auto (AmsBlocker) b = { 0 };
  ams_blocker_init (&b);
  for (guint i = 0; i < e->launch_templates->len; i++)
    {
      const AmsScLaunchTemplate *lt = e->launch_templates->pdata[i];
      const AmsAccount *acct = lt->account.value
                                 ? ams_world_find_account (ax->w, lt->account.value)
                                 : spec->owner;
      g_assert (acct != NULL);
      AmsActor actor;
      if (!actor_in (ax, spec->owner, acct, region, AMS_STEP_LAUNCH_TEMPLATE, &actor, &b))
        {
          report (fn, user, &b, &n);
          continue;
        }
      g_autofree char *arn = g_strdup_printf ("arn:aws:ec2:%s:%s:launch-template/%s", region->name,
                                              acct->id, lt->launch_template_id);
      g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
      /* Image Builder tags what it manages; a template it may update carries the tag. */
      ams_context_set (ctx, "aws:ResourceTag/CreatedBy", "EC2 Image Builder");
      /* … and it tags the template it updates (ec2:CreateTags with the request tag
       * CreatedBy = EC2 Image Builder): the managed policy allows CreateTags on
       * images only, so the role needs its own statement for launch templates. */
      g_autoptr (AmsContext) tag_ctx = ams__principal_context (&actor);
      ams_context_set (tag_ctx, "aws:ResourceTag/CreatedBy", "EC2 Image Builder");
      ams_context_set (tag_ctx, "aws:RequestTag/CreatedBy", "EC2 Image Builder");
      ams_context_set (tag_ctx, "aws:TagKeys", "CreatedBy");
      const char *hint = "Allow ec2:CreateLaunchTemplateVersion, ec2:ModifyLaunchTemplate "
                         "(with the tag condition CreatedBy = EC2 Image Builder), "
                         "ec2:DescribeLaunchTemplates, and ec2:CreateTags on "
                         "arn:aws:ec2:*:*:launch-template/* (request tag CreatedBy = EC2 Image "
                         "Builder) in the role's policies; "
                         "Ec2ImageBuilderCrossAccountDistributionAccess allows ec2:CreateTags "
                         "on images only.";
      struct
      {
        const char *action;
        const char *resource;
        AmsContext *ctx;
      } steps[] = {
        { "ec2:DescribeLaunchTemplates", "*", ctx },
        { "ec2:CreateLaunchTemplateVersion", arn, ctx },
        { "ec2:ModifyLaunchTemplate", arn, ctx },
        { "ec2:CreateTags", arn, tag_ctx },
      };
      for (guint j = 0; j < G_N_ELEMENTS (steps); j++)
        if (!ams__decide (ax->w, &actor, steps[j].action, steps[j].resource, acct, NULL,
                     AMS_RESOURCE_GENERIC, steps[j].ctx, AMS_STEP_LAUNCH_TEMPLATE, region,
                     AMS_CAUSE_LAUNCH_TEMPLATE_DENIED, AMS_CAUSE_LAUNCH_TEMPLATE_DENIED, hint, &b))
          {
            g_free (b.resource);
            b.resource = g_strdup (arn);
            report (fn, user, &b, &n);
            break;
          }
    }
  return n;
}

/* ---- SSM parameters ---- */

guint
ams_access_check_ssm_parameters (AmsAccess *ax, const AmsCopySpec *spec, AmsBlockerFn fn,
                                 gpointer user)
{
  const AmsScDistRegion *e = spec->entry;
  const AmsRegion *region = spec->region;
  guint n = 0;
  g_auto (AmsBlocker) b = { 0 };
  ams_blocker_init (&b);
  for (guint i = 0; i < e->ssm_parameters->len; i++)
    {
      const AmsScSsmParameter *sp = e->ssm_parameters->pdata[i];
      const AmsAccount *acct = sp->account.value ? ams_world_find_account (ax->w, sp->account.value)
                                                 : spec->owner;
      AmsActor actor;
      if (!actor_in (ax, spec->owner, acct, region, AMS_STEP_SSM_PARAMETER, &actor, &b))
        {
          report (fn, user, &b, &n);
          continue;
        }
      const char *name = sp->name[0] == '/' ? sp->name + 1 : sp->name;
      g_autofree char *arn = g_strdup_printf ("arn:aws:ssm:%s:%s:parameter/%s", region->name,
                                              acct->id, name);
      g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
      if (!ams__decide (ax->w, &actor, "ssm:PutParameter", arn, acct, NULL, AMS_RESOURCE_GENERIC, ctx,
                   AMS_STEP_SSM_PARAMETER, region, AMS_CAUSE_SSM_PARAMETER_DENIED,
                   AMS_CAUSE_SSM_PARAMETER_DENIED,
                   "Allow ssm:PutParameter on the parameter in the role's policies.", &b))
        report (fn, user, &b, &n);
    }
  return n;
}

/* ---- lifecycle deletion in other accounts ---- */

/* The first lifecycle policy of pl's owner that runs (ENABLED, or enabled
 * by an event), in its build region, that selects pl's images (by recipe
 * or image tag) and acts on their AMIs
 * (deprecates, disables or deletes them): the one whose actions need the
 * lifecycle role in every account that received copies. */
static const AmsScLifecyclePolicy *
deleting_policy (const AmsScenario *sc, const AmsScPipeline *pl)
{
  for (guint i = 0; i < sc->lifecycle_policies->len; i++)
    {
      const AmsScLifecyclePolicy *lp = sc->lifecycle_policies->pdata[i];
      if (lp->containers || !ams__lifecycle_runs (sc, lp) || !ams_sc_lifecycle_selects (lp, pl))
        continue;
      /* deprecating and disabling copies in other accounts go through the
       * same role as deleting them */
      for (guint j = 0; j < lp->rules->len; j++)
        if (((const AmsScLcRule *) lp->rules->pdata[j])->include_amis)
          return lp;
    }
  return NULL;
}

gboolean
ams_access_check_lifecycle_delete (AmsAccess *ax, const AmsCopySpec *spec, AmsBlocker *b)
{
  ams_blocker_init (b);
  const AmsAccount *owner = spec->owner, *target = spec->target;
  const AmsRegion *region = spec->region;
  if (target == owner)
    return TRUE;
  g_autofree char *role_arn = g_strdup_printf ("arn:aws:iam::%s:role/%s", target->id,
                                               AMS_LIFECYCLE_ROLE);
  const AmsScRole *role = ams_world_find_role (ax->w, target, AMS_LIFECYCLE_ROLE);
  if (role == NULL)
    {
      ams__block (b, AMS_CAUSE_LIFECYCLE_ROLE_MISSING, AMS_STEP_LIFECYCLE, target, region, role_arn,
             "account %s received copies but has no role %s, so lifecycle policies of %s "
             "cannot deprecate, disable or delete them there; create it with a trust policy "
             "allowing imagebuilder.amazonaws.com (aws:SourceAccount %s, aws:SourceArn "
             "arn:*:imagebuilder:*:*:image/*/*/*) and attach "
             "EC2ImageBuilderLifecycleExecutionPolicy",
             target->id, AMS_LIFECYCLE_ROLE, owner->id, owner->id);
      return FALSE;
    }

  /* the service assumes the role for the owner's image */
  g_autoptr (AmsContext) svc = ams_context_new ();
  ams_context_set (svc, "aws:SourceAccount", owner->id);
  g_autofree char *image_arn = g_strdup_printf ("arn:aws:imagebuilder:%s:%s:image/%s/%s/1",
                                                spec->source_region->name, owner->id,
                                                spec->pipeline->recipe_name,
                                                spec->pipeline->recipe_version);
  ams_context_set (svc, "aws:SourceArn", image_arn);
  AmsVerdict v;
  if (!ams__service_trusts (role, role_arn, target, "imagebuilder.amazonaws.com", svc, &v))
    {
      ams__block (b, AMS_CAUSE_LIFECYCLE_ROLE_MISSING, AMS_STEP_LIFECYCLE, target, region, role_arn,
             "the trust policy of %s does not let imagebuilder.amazonaws.com assume it for "
             "account %s: %s. Allow sts:AssumeRole for {\"Service\": "
             "\"imagebuilder.amazonaws.com\"} with StringEquals aws:SourceAccount %s and "
             "ArnLike aws:SourceArn arn:*:imagebuilder:*:*:image/*/*/*",
             role_arn, owner->id, v.reason, owner->id);
      ams__block_verdict (b, &v);
      return FALSE;
    }
  ams_verdict_clear (&v);

  /* deregister the copy and delete its snapshots with the role's permissions */
  AmsActor actor;
  ams__actor_role (ax, target, role, &actor);
  g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
  ams_context_set (ctx, "aws:ResourceTag/CreatedBy", "EC2 Image Builder");
  g_autofree char *images = g_strdup_printf ("arn:aws:ec2:%s::image/*", region->name);
  g_autofree char *snapshots = g_strdup_printf ("arn:aws:ec2:%s::snapshot/*", region->name);
  const char *hint = "Attach EC2ImageBuilderLifecycleExecutionPolicy to the role.";
  if (!ams__decide (ax->w, &actor, "ec2:DeregisterImage", images, target, NULL, AMS_RESOURCE_GENERIC,
               ctx, AMS_STEP_LIFECYCLE, region, AMS_CAUSE_LIFECYCLE_ROLE_MISSING,
               AMS_CAUSE_LIFECYCLE_ROLE_MISSING, hint, b))
    return FALSE;
  if (!ams__decide (ax->w, &actor, "ec2:DeleteSnapshot", snapshots, target, NULL, AMS_RESOURCE_GENERIC,
               ctx, AMS_STEP_LIFECYCLE, region, AMS_CAUSE_LIFECYCLE_ROLE_MISSING,
               AMS_CAUSE_LIFECYCLE_ROLE_MISSING, hint, b))
    return FALSE;
  return TRUE;
}

/* ---- the whole scenario ---- */

typedef struct
{
  const AmsScPipeline *pipeline;
  AmsPipelineBlockerFn fn;
  gpointer user;
} Forward;

static void
forward (const AmsBlocker *b, gpointer user)
{
  Forward *f = user;
  f->fn (f->pipeline, b, f->user);
}

guint
ams_access_check_all (AmsAccess *ax, AmsPipelineBlockerFn fn, gpointer user)
{
  const AmsScenario *sc = ams_world_scenario (ax->w);
  guint checks = 0;
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      Forward f = { .pipeline = pl, .fn = fn, .user = user };
      const AmsScLifecyclePolicy *lifecycle = deleting_policy (sc, pl);
      if (pl->infrastructure != NULL)
        {
          /* its builds' instance profile */
          AmsBlocker b;
          checks++;
          if (!ams_access_check_instance_profile (ax, pl, &b))
            fn (pl, &b, user);
          ams_blocker_clear (&b);
        }
      AmsCopySpec spec = {
        .pipeline = pl,
        .owner = ams_world_find_account (ax->w, pl->account.value),
        .source_region = ams_world_find_region (ax->w, pl->region.value),
      };
      for (guint j = 0; j < pl->distributions->len; j++)
        {
          const AmsScDistRegion *e = pl->distributions->pdata[j];
          spec.entry = e;
          spec.region = ams_world_find_region (ax->w, e->region.value);
          /* the owner's AMI in this region, then each target account's copy */
          for (guint k = 0; k <= e->target_account_ids->len; k++)
            {
              if (k == 0)
                spec.target = spec.owner;
              else
                spec.target = ams_world_find_account (
                  ax->w, g_array_index (e->target_account_ids, AmsScRef, k - 1).value);
              if (spec.target == spec.owner && (k > 0 || spec.region == spec.source_region))
                continue;
              AmsBlocker b;
              checks++;
              if (!ams_access_check_copy (ax, &spec, &b))
                fn (pl, &b, user);
              ams_blocker_clear (&b);
              if (lifecycle != NULL && spec.target != spec.owner)
                {
                  checks++;
                  if (!ams_access_check_lifecycle_delete (ax, &spec, &b))
                    fn (pl, &b, user);
                  ams_blocker_clear (&b);
                }
            }
          spec.target = spec.owner;
          checks++;
          ams_access_check_shares (ax, &spec, forward, &f);
          checks += e->launch_templates->len;
          ams_access_check_launch_templates (ax, &spec, forward, &f);
          checks += e->ssm_parameters->len;
          ams_access_check_ssm_parameters (ax, &spec, forward, &f);
        }
    }
  return checks;
}

const AmsWorld *
ams__access_world (const AmsAccess *ax)
{
  return ax->w;
}
