/* The supply chain (supply.h): Image Builder resources, who may use them,
 * and what a pipeline's build resolves its references to.
 *
 * Resources are grouped in families: one per type, owner, region and name
 * (the name as ARNs write it). A family's versions are its builds
 * (components, images: x.y.z/n) or its versions (recipes: x.y.z), each
 * with a serial that identifies it for callers comparing what two builds
 * used. Image families belong to the pipelines that build them (several
 * pipelines of one recipe share one family, as they share build numbers);
 * their versions appear as builds become AVAILABLE.
 *
 * Whether an account may use a version is decided in the order the
 * service would: the region (shares are regional), ownership (its own and
 * AWS's resources need no grant), a grant (a RAM share, ram.c, or the
 * resource's policy, decided by the policy evaluator), the account's SCPs
 * (on the imagebuilder:Get… call the grant is for), the resource's KMS
 * key, and for a parent image the launch permission of its AMI. A
 * reference with x wildcards takes the newest version the account may use;
 * when none may be used, the newest version's refusal is the answer, as it
 * is the one the user meant.
 *
 * Nothing here is on the engine's hot path: a consumer pipeline resolves
 * at its schedule matches, and the engine keeps answers while the epochs
 * of the world and of the supply stay put.
 */
#include "access-private.h"

#include <string.h>

#include "amisim/sharing.h"
#include "amisim/supply.h"

typedef enum
{
  V_ACTIVE,
  V_DEPRECATED,
  V_DISABLED,
  V_DELETED,
} VState;

typedef struct Family Family;

typedef struct
{
  Family *family;
  char *version;          /* x.y.z */
  guint64 build;          /* 0 for recipes */
  char *arn;
  uint64_t serial;
  VState state;
  gpointer user;
  const AmsScRecipe *recipe; /* recipes */
} Version;

struct Family
{
  AmsScResType type;
  char *owner;            /* account id, or "aws" */
  char *region;
  char *name;             /* as ARNs write it */
  GPtrArray *versions;    /* of Version*, in creation order (owned) */
  const AmsScComponent *component; /* components: the first version's entry (its key) */
  GArray *producers;      /* images: pipeline indices (guint) that build it */
};

/* What a pipeline's build uses: its recipe (when not its own block), the
 * recipe's Image Builder parent image, its components. */
typedef struct
{
  const AmsScResRef *ref; /* NULL: the pipeline's recipe itself */
} Slot;

typedef struct
{
  const AmsScPipeline *pl;
  const AmsAccount *account;
  const AmsRegion *region;
  GArray *slots;          /* of Slot */
  gboolean producer;      /* its images are resources others use */
  Family *family;         /* its image family */
  AmsLaunchPerms *launch; /* who may launch its AMI in its build region (built when needed) */
  gboolean launch_built;
} Consumer;

struct AmsSupply
{
  const AmsWorld *w;
  const AmsScenario *sc;
  AmsAccess *ax;
  AmsRam *ram;
  AmsPolicy *ram_grant;   /* what a RAM share lets a principal do, as a resource policy */
  GHashTable *families;   /* "type|owner|region|name" -> Family* (owned) */
  GHashTable *by_arn;     /* arn -> Version* (borrowed from families) */
  GHashTable *policies;   /* arn -> const AmsScResourcePolicy* */
  Consumer *consumers;    /* one per pipeline */
  guint n_consumers;
  uint64_t serial;
  uint64_t epoch;
  gboolean started;
  const Version *created;  /* what the last publish_component made */
};

static const char ram_grant_json[] =
  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"ResourceShare\", "
  "\"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": [\"imagebuilder:Get*\", "
  "\"imagebuilder:List*\"], \"Resource\": \"*\"}]}";

static const char *const type_names[] = {
  [AMS_SC_RES_COMPONENT] = "component",
  [AMS_SC_RES_IMAGE] = "image",
  [AMS_SC_RES_IMAGE_RECIPE] = "image recipe",
  [AMS_SC_RES_CONTAINER_RECIPE] = "container recipe",
};

static const char *const get_actions[] = {
  [AMS_SC_RES_COMPONENT] = "imagebuilder:GetComponent",
  [AMS_SC_RES_IMAGE] = "imagebuilder:GetImage",
  [AMS_SC_RES_IMAGE_RECIPE] = "imagebuilder:GetImageRecipe",
  [AMS_SC_RES_CONTAINER_RECIPE] = "imagebuilder:GetContainerRecipe",
};

static const char *const policy_calls[] = {
  [AMS_SC_RES_COMPONENT] = "PutComponentPolicy",
  [AMS_SC_RES_IMAGE] = "PutImagePolicy",
  [AMS_SC_RES_IMAGE_RECIPE] = "PutImageRecipePolicy",
  [AMS_SC_RES_CONTAINER_RECIPE] = "PutContainerRecipePolicy",
};

static const char *const arn_types[] = {
  [AMS_SC_RES_COMPONENT] = "component",
  [AMS_SC_RES_IMAGE] = "image",
  [AMS_SC_RES_IMAGE_RECIPE] = "image-recipe",
  [AMS_SC_RES_CONTAINER_RECIPE] = "container-recipe",
};

/* ---- families and versions ------------------------------------------------ */

static void
version_free (gpointer p)
{
  Version *v = p;
  g_free (v->version);
  g_free (v->arn);
  g_free (v);
}

static void
family_free (gpointer p)
{
  Family *f = p;
  g_free (f->owner);
  g_free (f->region);
  g_free (f->name);
  g_ptr_array_unref (f->versions);
  if (f->producers != NULL)
    g_array_unref (f->producers);
  g_free (f);
}

static char *
family_key (AmsScResType type, const char *owner, const char *region, const char *name)
{
  return g_strdup_printf ("%d|%s|%s|%s", (int) type, owner, region, name);
}

static Family *
family_find (const AmsSupply *s, AmsScResType type, const char *owner, const char *region,
             const char *name)
{
  g_autofree char *key = family_key (type, owner, region, name);
  return g_hash_table_lookup (s->families, key);
}

static Family *
family_get (AmsSupply *s, AmsScResType type, const char *owner, const char *region,
            const char *name)
{
  Family *f = family_find (s, type, owner, region, name);
  if (f != NULL)
    return f;
  f = g_new0 (Family, 1);
  f->type = type;
  f->owner = g_strdup (owner);
  f->region = g_strdup (region);
  f->name = g_strdup (name);
  f->versions = g_ptr_array_new_with_free_func (version_free);
  g_hash_table_insert (s->families, family_key (type, owner, region, name), f);
  return f;
}

/* The newest build of `version` in the family + 1. */
static guint64
next_build (const Family *f, const char *version)
{
  guint64 build = 0;
  for (guint i = 0; i < f->versions->len; i++)
    {
      const Version *v = f->versions->pdata[i];
      if (strcmp (v->version, version) == 0 && v->build > build)
        build = v->build;
    }
  return build + 1;
}

static Version *
version_add (AmsSupply *s, Family *f, const char *version, guint64 build, const char *arn)
{
  Version *v = g_new0 (Version, 1);
  v->family = f;
  v->version = g_strdup (version);
  v->build = build;
  v->arn = arn != NULL ? g_strdup (arn)
                       : g_strdup_printf ("arn:aws:imagebuilder:%s:%s:%s/%s/%s/%" G_GUINT64_FORMAT,
                                          f->region, f->owner, arn_types[f->type], f->name,
                                          version, build);
  v->serial = ++s->serial;
  g_ptr_array_add (f->versions, v);
  /* the first one named so stays the one found by its ARN */
  if (!g_hash_table_contains (s->by_arn, v->arn))
    g_hash_table_insert (s->by_arn, v->arn, v);
  s->epoch++;
  return v;
}

/* Newer first: semantic version, then build. */
static int
version_cmp (const Version *a, const Version *b)
{
  int c = ams_sc_semver_compare (a->version, b->version);
  if (c != 0)
    return c;
  return a->build < b->build ? -1 : a->build > b->build ? 1 : 0;
}

static gboolean
has_wildcard (const char *version)
{
  return strchr (version, 'x') != NULL;
}

/* Does version v answer the reference? */
static gboolean
matches (const Version *v, const AmsScResRef *ref)
{
  if (ref->build > 0)
    return v->build == ref->build && strcmp (v->version, ref->version) == 0;
  if (has_wildcard (ref->version))
    return ams_sc_semver_matches (ref->version, v->version);
  return strcmp (v->version, ref->version) == 0;
}

/* ---- set-up ------------------------------------------------------------------ */

static const AmsAccount *
account_of (const AmsSupply *s, const char *id)
{
  return id != NULL ? ams_world_find_account (s->w, id) : NULL;
}

AmsSupply *
ams_supply_new (const AmsWorld *w, AmsAccess *ax)
{
  g_return_val_if_fail (w != NULL && ax != NULL, NULL);
  AmsSupply *s = g_new0 (AmsSupply, 1);
  s->w = w;
  s->sc = ams_world_scenario (w);
  s->ax = ax;
  s->ram = ams_ram_new ();
  s->ram_grant = ams_policy_builtin ("a RAM resource share's grant", ram_grant_json,
                                     AMS_POLICY_RESOURCE);
  s->families = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, family_free);
  s->by_arn = g_hash_table_new (g_str_hash, g_str_equal);
  s->policies = g_hash_table_new (g_str_hash, g_str_equal);
  const AmsScenario *sc = s->sc;

  for (guint i = 0; i < ams_world_n_orgs (w); i++)
    {
      const AmsOrg *org = ams_world_org (w, i);
      if (org->ram_sharing)
        ams_ram_enable_org_sharing (s->ram, org->id);
    }

  /* components: build 1 of each version listed */
  for (guint i = 0; i < sc->components->len; i++)
    {
      const AmsScComponent *c = sc->components->pdata[i];
      g_autofree char *name = ams_sc_arn_name (c->name);
      Family *f = family_get (s, AMS_SC_RES_COMPONENT, c->account.value, c->region.value, name);
      if (f->component == NULL)
        f->component = c;
      version_add (s, f, c->version, next_build (f, c->version), c->arn);
    }

  /* recipes: the scenario's, then the pipelines' blocks */
  for (guint i = 0; i < sc->recipes->len; i++)
    {
      const AmsScRecipe *r = sc->recipes->pdata[i];
      g_autofree char *name = ams_sc_arn_name (r->name);
      Family *f = family_get (s, r->container ? AMS_SC_RES_CONTAINER_RECIPE
                                              : AMS_SC_RES_IMAGE_RECIPE,
                              r->account.value, r->region.value, name);
      Version *v = version_add (s, f, r->version, 0, r->arn);
      v->recipe = r;
    }

  /* pipelines: their recipe blocks, their image families, what they use */
  s->n_consumers = sc->pipelines->len;
  s->consumers = g_new0 (Consumer, s->n_consumers);
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      Consumer *cs = &s->consumers[i];
      cs->pl = pl;
      cs->account = ams_world_find_account (w, pl->account.value);
      cs->region = ams_world_find_region (w, pl->region.value);
      cs->slots = g_array_new (FALSE, FALSE, sizeof (Slot));
      const AmsScRecipe *r = pl->recipe;
      if (r != NULL && r->block && !g_hash_table_contains (s->by_arn, r->arn))
        {
          g_autofree char *name = ams_sc_arn_name (r->name);
          Family *f = family_get (s, r->container ? AMS_SC_RES_CONTAINER_RECIPE
                                                  : AMS_SC_RES_IMAGE_RECIPE,
                                  r->account.value, r->region.value, name);
          Version *v = version_add (s, f, r->version, 0, r->arn);
          v->recipe = r;
        }
      g_autofree char *image = ams_sc_arn_name (pl->recipe_name);
      cs->family = family_get (s, AMS_SC_RES_IMAGE, pl->account.value, pl->region.value, image);
      if (cs->family->producers == NULL)
        cs->family->producers = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (cs->family->producers, i);
      if (r == NULL)
        continue;
      Slot slot = { NULL };
      if (!r->block)
        g_array_append_val (cs->slots, slot);
      if (r->parent.arn != NULL)
        {
          slot.ref = &r->parent;
          g_array_append_val (cs->slots, slot);
        }
      for (guint j = 0; j < r->components->len; j++)
        {
          slot.ref = &g_array_index (r->components, AmsScResRef, j);
          g_array_append_val (cs->slots, slot);
        }
    }

  /* the images that exist at the start (amis[] of a pipeline): one version
   * each (pipeline, version), in force unless every AMI of it is disabled
   * or deprecated */
  if (sc->amis->len > 0)
    {
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < s->n_consumers; i++)
        g_hash_table_insert (index, (gpointer) s->consumers[i].pl->name, GUINT_TO_POINTER (i + 1));
      for (guint i = 0; i < sc->amis->len; i++)
        {
          const AmsScAmi *a = sc->amis->pdata[i];
          guint k = a->pipeline.value != NULL
                      ? GPOINTER_TO_UINT (g_hash_table_lookup (index, a->pipeline.value))
                      : 0;
          if (k == 0)
            continue;
          char *key = g_strdup_printf ("%s\n%s", a->pipeline.value, a->version);
          Version *v = g_hash_table_lookup (seen, key);
          gboolean active = !a->disabled && a->deprecated_at > 0;
          if (v != NULL)
            {
              g_free (key);
              if (active)
                v->state = V_ACTIVE;
              else if (!a->disabled && v->state == V_DISABLED)
                v->state = V_DEPRECATED;
              continue;
            }
          Consumer *cs = &s->consumers[k - 1];
          v = version_add (s, cs->family, a->semver, a->build, NULL);
          v->state = active ? V_ACTIVE : a->disabled ? V_DISABLED : V_DEPRECATED;
          g_hash_table_insert (seen, key, v);
        }
    }

  /* which pipelines' images others use */
  for (guint i = 0; i < s->n_consumers; i++)
    {
      const AmsScRecipe *r = s->consumers[i].pl->recipe;
      if (r == NULL || r->parent.arn == NULL)
        continue;
      Family *f = family_find (s, AMS_SC_RES_IMAGE, r->parent.account, r->parent.region,
                               r->parent.name);
      for (guint j = 0; f != NULL && f->producers != NULL && j < f->producers->len; j++)
        s->consumers[g_array_index (f->producers, guint, j)].producer = TRUE;
    }
  for (guint i = 0; i < sc->recipes->len; i++)
    {
      const AmsScRecipe *r = sc->recipes->pdata[i];
      Family *f = r->parent.arn == NULL ? NULL
                                        : family_find (s, AMS_SC_RES_IMAGE, r->parent.account,
                                                       r->parent.region, r->parent.name);
      for (guint j = 0; f != NULL && f->producers != NULL && j < f->producers->len; j++)
        s->consumers[g_array_index (f->producers, guint, j)].producer = TRUE;
    }

  /* shares, with their resources; their principals come with ams_supply_start */
  for (guint i = 0; i < sc->resource_shares->len; i++)
    {
      const AmsScResourceShare *sh = sc->resource_shares->pdata[i];
      guint id = ams_ram_create_share (s->ram, sh->name, sh->account.value, sh->region.value,
                                       sh->allow_external);
      g_assert (id == i);
      for (guint j = 0; j < sh->resources->len; j++)
        ams_ram_associate_resource (s->ram, id,
                                    g_array_index (sh->resources, AmsScResRef, j).arn);
      for (guint j = 0; j < sh->associate_new_images->len; j++)
        {
          const char *name = g_array_index (sh->associate_new_images, AmsScRef, j).value;
          for (guint k = 0; k < s->n_consumers; k++)
            if (strcmp (s->consumers[k].pl->name, name) == 0)
              {
                s->consumers[k].producer = TRUE;
                /* its images of the start are in the share already */
                GPtrArray *vs = s->consumers[k].family->versions;
                for (guint m = 0; m < vs->len; m++)
                  ams_ram_associate_resource (s->ram, id, ((Version *) vs->pdata[m])->arn);
              }
        }
    }

  /* resource policies; an image's names a build that may come later */
  for (guint i = 0; i < sc->resource_policies->len; i++)
    {
      const AmsScResourcePolicy *rp = sc->resource_policies->pdata[i];
      g_hash_table_insert (s->policies, (gpointer) rp->arn.arn, (gpointer) rp);
      if (rp->arn.type != AMS_SC_RES_IMAGE)
        continue;
      Family *f = family_find (s, AMS_SC_RES_IMAGE, rp->arn.account, rp->arn.region,
                               rp->arn.name);
      for (guint j = 0; f != NULL && f->producers != NULL && j < f->producers->len; j++)
        s->consumers[g_array_index (f->producers, guint, j)].producer = TRUE;
    }
  /* and images that events name */
  for (guint i = 0; i < sc->events->len; i++)
    {
      const AmsScEvent *ev = sc->events->pdata[i];
      for (guint j = 0; ev->resources != NULL && j <= ev->resources->len; j++)
        {
          const AmsScResRef *ref = j < ev->resources->len
                                     ? &g_array_index (ev->resources, AmsScResRef, j)
                                     : &ev->arn;
          if (ref->arn == NULL || ref->type != AMS_SC_RES_IMAGE)
            continue;
          Family *f = family_find (s, AMS_SC_RES_IMAGE, ref->account, ref->region, ref->name);
          for (guint k = 0; f != NULL && f->producers != NULL && k < f->producers->len; k++)
            s->consumers[g_array_index (f->producers, guint, k)].producer = TRUE;
        }
      if (ev->arn.arn != NULL && ev->arn.type == AMS_SC_RES_IMAGE)
        {
          Family *f = family_find (s, AMS_SC_RES_IMAGE, ev->arn.account, ev->arn.region,
                                   ev->arn.name);
          for (guint k = 0; f != NULL && f->producers != NULL && k < f->producers->len; k++)
            s->consumers[g_array_index (f->producers, guint, k)].producer = TRUE;
        }
    }
  s->epoch = 1;
  return s;
}

void
ams_supply_free (AmsSupply *s)
{
  if (s == NULL)
    return;
  for (guint i = 0; i < s->n_consumers; i++)
    {
      g_array_unref (s->consumers[i].slots);
      ams_launch_perms_free (s->consumers[i].launch);
    }
  g_free (s->consumers);
  g_hash_table_unref (s->by_arn);
  g_hash_table_unref (s->policies);
  g_hash_table_unref (s->families);
  ams_policy_unref (s->ram_grant);
  ams_ram_free (s->ram);
  g_free (s);
}

uint64_t
ams_supply_epoch (const AmsSupply *s)
{
  return s->epoch;
}

/* ---- principals and invitations -------------------------------------------- */

/* The account that answers an invitation to `principal`: the account
 * itself, or the management account of the organization or OU's
 * organization; NULL when the scenario has no such account. */
static const AmsAccount *
answerer (const AmsSupply *s, const char *principal)
{
  if (g_str_has_prefix (principal, "arn:"))
    {
      /* …:organization/o-x or …:ou/o-x/ou-… */
      const char *o = strstr (principal, "/o-");
      if (o == NULL)
        return NULL;
      g_autofree char *org_id = g_strndup (o + 1, strcspn (o + 1, "/"));
      const AmsOrg *org = ams_world_find_org (s->w, org_id);
      return org != NULL ? account_of (s, org->management_account) : NULL;
    }
  return account_of (s, principal);
}

static AmsRamResult
associate_principal (AmsSupply *s, guint share, const char *principal, AmsInvitedFn invited,
                     gpointer user)
{
  const AmsAccount *owner = account_of (s, ams_ram_share_owner (s->ram, share));
  g_assert (owner != NULL); /* the loader resolved the share's account */
  AmsPlace owner_place, place;
  ams_account_place (owner, &owner_place);
  const AmsAccount *who = g_str_has_prefix (principal, "arn:") ? NULL : account_of (s, principal);
  if (who != NULL)
    ams_account_place (who, &place);
  guint invitation;
  AmsRamResult r = ams_ram_associate_principal (s->ram, share, &owner_place, principal,
                                                who != NULL ? &place : NULL, &invitation);
  s->epoch++;
  if (r == AMS_RAM_PENDING && invited != NULL)
    invited (invitation, answerer (s, principal), user);
  return r;
}

void
ams_supply_start (AmsSupply *s, AmsInvitedFn invited, gpointer user)
{
  g_return_if_fail (s != NULL && !s->started);
  s->started = TRUE;
  for (guint i = 0; i < s->sc->resource_shares->len; i++)
    {
      const AmsScResourceShare *sh = s->sc->resource_shares->pdata[i];
      for (guint j = 0; j < sh->principals->len; j++)
        associate_principal (s, i, g_array_index (sh->principals, AmsScRef, j).value, invited,
                             user);
    }
}

gboolean
ams_supply_answer (AmsSupply *s, guint invitation, const AmsAccount *who, gboolean accept)
{
  g_return_val_if_fail (s != NULL && who != NULL, FALSE);
  AmsPlace place;
  ams_account_place (who, &place);
  AmsRamResult r = accept ? ams_ram_accept (s->ram, invitation, &place)
                          : ams_ram_reject (s->ram, invitation, &place);
  if (r == AMS_RAM_OK)
    s->epoch++;
  return r == AMS_RAM_OK;
}

gboolean
ams_supply_expire (AmsSupply *s, guint invitation)
{
  gboolean expired = ams_ram_expire (s->ram, invitation);
  if (expired)
    s->epoch++;
  return expired;
}

const char *
ams_supply_invitation_share (const AmsSupply *s, guint invitation)
{
  return ams_ram_share_name (s->ram, ams_ram_invitation_share (s->ram, invitation));
}

const char *
ams_supply_invitation_principal (const AmsSupply *s, guint invitation)
{
  return ams_ram_invitation_principal (s->ram, invitation);
}

/* ---- may an account use a version ------------------------------------------ */

/* The launch permissions of pipeline i's AMI in its build region. */
static const AmsLaunchPerms *
launch_perms (AmsSupply *s, guint i)
{
  Consumer *cs = &s->consumers[i];
  if (cs->launch_built)
    return cs->launch;
  cs->launch_built = TRUE;
  const AmsScDistRegion *home = NULL;
  for (guint j = 0; j < cs->pl->distributions->len && home == NULL; j++)
    {
      const AmsScDistRegion *d = cs->pl->distributions->pdata[j];
      if (strcmp (d->region.value, cs->pl->region.value) == 0)
        home = d;
    }
  if (home == NULL)
    return NULL;
  AmsAmiTraits traits = { 0 };
  cs->launch = ams_launch_perms_new (cs->account->id, &traits);
  const char *owner = cs->account->id;
  for (guint j = 0; j < home->lp_user_ids->len; j++)
    ams_launch_perms_add_account (cs->launch, owner, g_array_index (home->lp_user_ids, AmsScRef, j).value);
  for (guint j = 0; j < home->lp_org_arns->len; j++)
    ams_launch_perms_add_org (cs->launch, owner, g_array_index (home->lp_org_arns, AmsScRef, j).value);
  for (guint j = 0; j < home->lp_ou_arns->len; j++)
    ams_launch_perms_add_ou (cs->launch, owner, g_array_index (home->lp_ou_arns, AmsScRef, j).value);
  if (home->lp_public)
    ams_launch_perms_add_all (cs->launch, owner);
  /* accounts that receive a copy in the build region have an AMI of their own */
  for (guint j = 0; j < home->target_account_ids->len; j++)
    ams_launch_perms_add_account (cs->launch, owner,
                                  g_array_index (home->target_account_ids, AmsScRef, j).value);
  return cs->launch;
}

static const char *
consumer_what (const AmsScPipeline *pl, char *buf, gsize len)
{
  g_snprintf (buf, len, "pipeline %s (account %s, %s)", pl->name, pl->account.value,
              pl->region.value);
  return buf;
}

/* The grant that lets `who` use v, beyond ownership: a RAM share or v's
 * policy; then the account's SCPs on the call. */
static gboolean
granted (AmsSupply *s, const Version *v, const AmsAccount *who, const AmsRegion *region,
         const AmsScPipeline *pl, AmsBlocker *b)
{
  const Family *f = v->family;
  const AmsAccount *owner = account_of (s, f->owner);
  AmsActor actor;
  ams__actor_root (s->ax, who, &actor);
  char what[300];
  consumer_what (pl, what, sizeof what);
  const char *type = type_names[f->type];

  AmsPlace place;
  ams_account_place (who, &place);
  guint share = 0;
  const char *principal = NULL;
  AmsRamResult ram = ams_ram_can_use (s->ram, v->arn, &place, &share, &principal);
  const AmsScResourcePolicy *rp = g_hash_table_lookup (s->policies, v->arn);

  if (ram == AMS_RAM_OK)
    {
      g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
      return ams__decide (s->w, &actor, get_actions[f->type], v->arn, owner, s->ram_grant,
                          AMS_RESOURCE_GENERIC, ctx, AMS_STEP_DEPENDENCY, region,
                          AMS_CAUSE_RESOURCE_NOT_SHARED, AMS_CAUSE_RESOURCE_NOT_SHARED, NULL, b);
    }
  if (rp != NULL)
    {
      g_autoptr (AmsContext) ctx = ams__principal_context (&actor);
      g_autofree char *hint = g_strdup_printf (
        "Allow %s for account %s in the policy of %s (%s), or add it to a resource share "
        "whose principals cover the account.", get_actions[f->type], who->id, v->arn,
        policy_calls[f->type]);
      if (ams__decide (s->w, &actor, get_actions[f->type], v->arn, owner, rp->policy,
                       AMS_RESOURCE_GENERIC, ctx, AMS_STEP_DEPENDENCY, region,
                       AMS_CAUSE_RESOURCE_NOT_SHARED, AMS_CAUSE_RESOURCE_NOT_SHARED, hint, b))
        return TRUE;
      if (b->cause == AMS_CAUSE_SCP_DENIES || ram == AMS_RAM_UNKNOWN)
        {
          g_autofree char *msg = g_strdup_printf ("%s cannot use %s %s of account %s: %s", what,
                                                  type, v->arn, f->owner, b->message);
          g_free (b->message);
          b->message = g_steal_pointer (&msg);
          b->account = who;
          return FALSE;
        }
      ams_blocker_clear (b);
      ams_blocker_init (b);
    }

  const char *share_name = ram != AMS_RAM_UNKNOWN ? ams_ram_share_name (s->ram, share) : NULL;
  const AmsOrg *org = ams_account_org (owner);
  switch (ram)
    {
    case AMS_RAM_PENDING:
      ams__block (b, AMS_CAUSE_INVITATION_PENDING, AMS_STEP_DEPENDENCY, who, region, v->arn,
                  "%s cannot use %s %s of account %s yet: resource share '%s' invites %s and "
                  "the invitation is not accepted. Accept it in account %s (an "
                  "accept_invitation event, or accounts[].ram_invitations), or share with an "
                  "OU or the organization of account %s with RAM sharing enabled, so that "
                  "access is immediate", what, type, v->arn, f->owner, share_name, principal,
                  principal, f->owner);
      break;
    case AMS_RAM_ORG_SHARING_DISABLED:
      ams__block (b, AMS_CAUSE_ORG_SHARING_DISABLED, AMS_STEP_DEPENDENCY, who, region, v->arn,
                  "%s cannot use %s %s: resource share '%s' of account %s names %s, but "
                  "organization %s has not enabled RAM sharing with AWS Organizations, so that "
                  "principal could not be associated. Enable it (organizations[].ram_sharing: "
                  "true), or share with account %s itself (it then gets an invitation)",
                  what, type, v->arn, share_name, f->owner, principal,
                  org != NULL ? org->id : "?", who->id);
      break;
    case AMS_RAM_EXTERNAL_NOT_ALLOWED:
      ams__block (b, AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED, AMS_STEP_DEPENDENCY, who, region,
                  v->arn,
                  "%s cannot use %s %s: account %s is outside the organization of its owner %s "
                  "and resource share '%s' does not allow external principals; set "
                  "allowExternalPrincipals: true on the share (%s then gets an invitation)",
                  what, type, v->arn, who->id, f->owner, share_name, principal);
      break;
    case AMS_RAM_REJECTED:
    case AMS_RAM_EXPIRED:
      ams__block (b, AMS_CAUSE_RESOURCE_NOT_SHARED, AMS_STEP_DEPENDENCY, who, region, v->arn,
                  "%s cannot use %s %s of account %s: the invitation of resource share '%s' to "
                  "%s was %s, so it gives no access. The owner must share again "
                  "(disassociate and associate %s) and %s accept the new invitation", what,
                  type, v->arn, f->owner, share_name, principal,
                  ram == AMS_RAM_REJECTED ? "rejected" : "never answered and expired",
                  principal, principal);
      break;
    default:
      ams__block (b, AMS_CAUSE_RESOURCE_NOT_SHARED, AMS_STEP_DEPENDENCY, who, region, v->arn,
                  "%s cannot use %s %s of account %s: no resource share of account %s in %s "
                  "holds it for account %s, and no resource policy allows it. Add it to a "
                  "resource share whose principals cover account %s (the account, its OU or "
                  "its organization), or allow %s in its policy (%s)", what, type, v->arn,
                  f->owner, f->owner, f->region, who->id, who->id, get_actions[f->type],
                  policy_calls[f->type]);
      break;
    }
  return FALSE;
}

/* The KMS key a version is encrypted with that consumers need: a
 * component's kmsKeyId, an image's AMI key in its build region. FALSE when
 * none. */
static gboolean
version_key (AmsSupply *s, const Version *v, AmsKeyInfo *k, AmsKeyLookup *found,
             const char **ref)
{
  const Family *f = v->family;
  const AmsAccount *owner = account_of (s, f->owner);
  const AmsRegion *region = ams_world_find_region (s->w, f->region);
  if (owner == NULL || region == NULL)
    return FALSE;
  if (f->type == AMS_SC_RES_COMPONENT && f->component != NULL
      && f->component->kms_key.value != NULL)
    {
      *ref = f->component->kms_key.value;
      *found = ams_world_find_key (s->w, *ref, owner, region, k);
      return TRUE;
    }
  if (f->type == AMS_SC_RES_IMAGE && f->producers != NULL && f->producers->len > 0)
    {
      const AmsScPipeline *pl = s->consumers[g_array_index (f->producers, guint, 0)].pl;
      if (!pl->encrypted || pl->target_repository != NULL)
        return FALSE;
      *ref = pl->kms_key.value != NULL ? pl->kms_key.value : "alias/aws/ebs";
      *found = ams_world_find_key (s->w, pl->kms_key.value, owner, region, k);
      return TRUE;
    }
  return FALSE;
}

static const char *const component_key_actions[] = {
  "kms:DescribeKey", "kms:Decrypt", NULL,
};

/* May pipeline `pl` of account `who`, building in `region`, use version v? */
static gboolean
may_use (AmsSupply *s, const Version *v, const AmsScPipeline *pl, const AmsAccount *who,
         const AmsRegion *region, AmsBlocker *b)
{
  const Family *f = v->family;
  char what[300];
  consumer_what (pl, what, sizeof what);
  if (strcmp (f->region, region->name) != 0)
    {
      ams__block (b, AMS_CAUSE_RESOURCE_WRONG_REGION, AMS_STEP_DEPENDENCY, who, region, v->arn,
                  "%s cannot use %s %s: it is in %s, and Image Builder resources and their "
                  "shares are regional (they never replicate). Build in %s, or create the %s "
                  "(and its share) in %s", what, type_names[f->type], v->arn, f->region,
                  f->region, type_names[f->type], region->name);
      return FALSE;
    }
  if (strcmp (f->owner, "aws") == 0)
    return TRUE;
  if (strcmp (f->owner, who->id) != 0 && !granted (s, v, who, region, pl, b))
    return FALSE;

  /* the resource's key must let the consumer decrypt */
  AmsKeyInfo k;
  AmsKeyLookup found;
  const char *ref = NULL;
  if (strcmp (f->owner, who->id) != 0 && version_key (s, v, &k, &found, &ref))
    {
      const AmsAccount *owner = account_of (s, f->owner);
      g_autofree char *purpose = g_strdup_printf ("the key of %s %s", type_names[f->type],
                                                  v->arn);
      AmsActor actor;
      ams__actor_root (s->ax, who, &actor);
      if (!ams__key_usable (found, &k, ref, owner, ams_world_find_region (s->w, f->region),
                            AMS_STEP_DEPENDENCY, purpose, b)
          || !ams__key_allows (s->ax, &actor, &k,
                               f->type == AMS_SC_RES_IMAGE ? ams__launch_key_actions
                                                           : component_key_actions,
                               AMS_STEP_DEPENDENCY, b))
        {
          g_autofree char *msg = g_strdup_printf ("%s cannot use %s %s of account %s: %s%s",
                                                  what, type_names[f->type], v->arn, f->owner,
                                                  b->message,
                                                  b->cause == AMS_CAUSE_KEY_POLICY_DENIES
                                                    ? " (the key of a shared resource must be "
                                                      "shared with its consumers too)"
                                                    : "");
          g_free (b->message);
          b->message = g_steal_pointer (&msg);
          b->account = who;
          b->region = region;
          return FALSE;
        }
    }

  /* a parent image is launched: its AMI must be launchable by the consumer
   * (a container image has no AMI: its repository's policy is not modelled) */
  if (f->type == AMS_SC_RES_IMAGE && strcmp (f->owner, who->id) != 0 && f->producers != NULL
      && f->producers->len > 0
      && s->consumers[g_array_index (f->producers, guint, 0)].pl->target_repository == NULL)
    {
      guint producer = g_array_index (f->producers, guint, 0);
      const AmsLaunchPerms *lp = launch_perms (s, producer);
      AmsPlace place;
      ams_account_place (who, &place);
      if (lp == NULL || !ams_launch_perms_can_launch (lp, &place))
        {
          const AmsScPipeline *ppl = s->consumers[producer].pl;
          ams__block (b, AMS_CAUSE_PARENT_AMI_NOT_SHARED, AMS_STEP_DEPENDENCY, who, region,
                      v->arn,
                      "%s cannot launch the AMI of its parent image %s: that AMI belongs to "
                      "account %s in %s and no launch permission covers account %s. Add the "
                      "account, its OU or its organization to launchPermission (or "
                      "targetAccountIds) of the %s entry of pipeline %s's distribution",
                      what, v->arn, f->owner, f->region, who->id, f->region, ppl->name);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- resolution --------------------------------------------------------------- */

static int
version_newest_first (gconstpointer a, gconstpointer b)
{
  return -version_cmp (*(Version *const *) a, *(Version *const *) b);
}

/* The version reference `ref` resolves to for pipeline i (NULL ref: its
 * recipe). *v NULL with TRUE: an AWS resource outside the model. */
static gboolean
resolve_slot (AmsSupply *s, guint i, const AmsScResRef *ref, Version **out, AmsBlocker *b)
{
  Consumer *cs = &s->consumers[i];
  const AmsScPipeline *pl = cs->pl;
  char what[300];
  consumer_what (pl, what, sizeof what);
  *out = NULL;
  if (ref == NULL)
    {
      Version *v = g_hash_table_lookup (s->by_arn, pl->recipe->arn);
      if (v == NULL || v->state == V_DELETED)
        {
          ams__block (b, AMS_CAUSE_RESOURCE_UNAVAILABLE, AMS_STEP_DEPENDENCY, cs->account,
                      cs->region, pl->recipe->arn,
                      "%s cannot build: its recipe %s was deleted", what, pl->recipe->arn);
          return FALSE;
        }
      *out = v;
      return may_use (s, v, pl, cs->account, cs->region, b);
    }

  Family *f = family_find (s, ref->type, ref->account, ref->region, ref->name);
  if (f == NULL && strcmp (ref->account, "aws") == 0)
    return TRUE; /* published by AWS: always there, updates not modelled */
  if (f == NULL)
    {
      /* the same name elsewhere means the resource exists in another region */
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, s->families);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          const Family *g = value;
          if (g->type == ref->type && strcmp (g->owner, ref->account) == 0
              && strcmp (g->name, ref->name) == 0 && g->versions->len > 0)
            {
              ams__block (b, AMS_CAUSE_RESOURCE_WRONG_REGION, AMS_STEP_DEPENDENCY, cs->account,
                          cs->region, ref->arn,
                          "%s cannot use %s: %s %s of account %s exists in %s, not in %s; "
                          "Image Builder resources and their shares are regional (they never "
                          "replicate): build in %s, or create it (and its share) in %s", what,
                          ref->arn, type_names[ref->type], ref->name, ref->account, g->region,
                          ref->region, g->region, ref->region);
              return FALSE;
            }
        }
      ams__block (b, AMS_CAUSE_RESOURCE_UNAVAILABLE, AMS_STEP_DEPENDENCY, cs->account,
                  cs->region, ref->arn,
                  "%s cannot build: %s names %s %s of account %s in %s, which does not exist",
                  what, ref->arn, type_names[ref->type], ref->name, ref->account, ref->region);
      return FALSE;
    }
  if (strcmp (ref->region, pl->region.value) != 0)
    {
      ams__block (b, AMS_CAUSE_RESOURCE_WRONG_REGION, AMS_STEP_DEPENDENCY, cs->account,
                  cs->region, ref->arn,
                  "%s cannot use %s: it is in %s, and a build uses resources of its own region "
                  "only (Image Builder resources and their shares never replicate); build in "
                  "%s, or create the %s (and its share) in %s", what, ref->arn, ref->region,
                  ref->region, type_names[ref->type], pl->region.value);
      return FALSE;
    }

  g_autoptr (GPtrArray) candidates = g_ptr_array_new ();
  for (guint j = 0; j < f->versions->len; j++)
    {
      Version *v = f->versions->pdata[j];
      if (v->state == V_ACTIVE && matches (v, ref))
        g_ptr_array_add (candidates, v);
    }
  if (candidates->len == 0)
    {
      const char *why = f->type != AMS_SC_RES_IMAGE ? "deleted or never created"
                        : f->producers != NULL ? "not built yet, or deprecated, disabled or deleted"
                                               : "not built by any pipeline of the scenario";
      ams__block (b, AMS_CAUSE_RESOURCE_UNAVAILABLE, AMS_STEP_DEPENDENCY, cs->account,
                  cs->region, ref->arn,
                  "%s cannot build: no version of %s %s of account %s in %s matches %s%s%s "
                  "(%s)", what, type_names[f->type], f->name, f->owner, f->region, ref->version,
                  ref->build > 0 ? "/" : "", ref->build > 0 ? "build given" : "", why);
      return FALSE;
    }
  g_ptr_array_sort (candidates, version_newest_first);
  AmsBlocker first = { 0 }; /* the newest version's refusal: the one the user meant */
  for (guint j = 0; j < candidates->len; j++)
    {
      Version *v = candidates->pdata[j];
      AmsBlocker why;
      ams_blocker_init (&why);
      if (may_use (s, v, pl, cs->account, cs->region, &why))
        {
          ams_blocker_clear (&why);
          if (j > 0)
            ams_blocker_clear (&first);
          *out = v;
          return TRUE;
        }
      if (j == 0)
        first = why;
      else
        ams_blocker_clear (&why);
    }
  ams_blocker_clear (b);
  *b = first;
  return FALSE;
}

guint
ams_supply_n_uses (const AmsSupply *s, guint pipeline)
{
  g_return_val_if_fail (pipeline < s->n_consumers, 0);
  return s->consumers[pipeline].slots->len;
}

gboolean
ams_supply_resolve (AmsSupply *s, guint pipeline, AmsSupplyUse *uses, AmsBlocker *b)
{
  g_return_val_if_fail (s != NULL && pipeline < s->n_consumers, FALSE);
  ams_blocker_init (b);
  const Consumer *cs = &s->consumers[pipeline];
  for (guint i = 0; i < cs->slots->len; i++)
    {
      const Slot *slot = &g_array_index (cs->slots, Slot, i);
      Version *v;
      if (!resolve_slot (s, pipeline, slot->ref, &v, b))
        return FALSE;
      uses[i] = (AmsSupplyUse){
        .serial = v != NULL ? v->serial : 0,
        .arn = v != NULL ? v->arn : slot->ref->arn,
        .user = v != NULL ? v->user : NULL,
        .follows = slot->ref != NULL && slot->ref->build == 0,
      };
    }
  return TRUE;
}

/* ---- images ---------------------------------------------------------------------- */

gboolean
ams_supply_producer (const AmsSupply *s, guint pipeline)
{
  g_return_val_if_fail (pipeline < s->n_consumers, FALSE);
  return s->consumers[pipeline].producer;
}

static Version *
image_version (const AmsSupply *s, guint pipeline, uint64_t build)
{
  const Consumer *cs = &s->consumers[pipeline];
  for (guint i = cs->family->versions->len; i-- > 0;)
    {
      Version *v = cs->family->versions->pdata[i];
      if (v->build == build && strcmp (v->version, cs->pl->recipe_version) == 0)
        return v;
    }
  return NULL;
}

void
ams_supply_image_available (AmsSupply *s, guint pipeline, uint64_t build, gpointer user)
{
  g_return_if_fail (s != NULL && pipeline < s->n_consumers);
  Consumer *cs = &s->consumers[pipeline];
  Version *v = version_add (s, cs->family, cs->pl->recipe_version, build, NULL);
  v->user = user;
  for (guint i = 0; i < s->sc->resource_shares->len; i++)
    {
      const AmsScResourceShare *sh = s->sc->resource_shares->pdata[i];
      for (guint j = 0; j < sh->associate_new_images->len; j++)
        if (strcmp (g_array_index (sh->associate_new_images, AmsScRef, j).value,
                    cs->pl->name) == 0)
          ams_ram_associate_resource (s->ram, i, v->arn);
    }
}

static void
version_forget (AmsSupply *s, Version *v)
{
  if (s->created == v)
    s->created = NULL;
  /* the record goes; callers keep serials, never pointers */
  if (g_hash_table_lookup (s->by_arn, v->arn) == v)
    g_hash_table_remove (s->by_arn, v->arn);
  for (guint i = 0; i < ams_ram_n_shares (s->ram); i++)
    ams_ram_disassociate_resource (s->ram, i, v->arn);
  g_ptr_array_remove (v->family->versions, v);
}

void
ams_supply_image_state (AmsSupply *s, guint pipeline, uint64_t build, AmsSupplyState st)
{
  g_return_if_fail (s != NULL && pipeline < s->n_consumers);
  Version *v = image_version (s, pipeline, build);
  if (v == NULL)
    return;
  s->epoch++;
  switch (st)
    {
    case AMS_SUPPLY_DEPRECATED:
      if (v->state == V_ACTIVE)
        v->state = V_DEPRECATED;
      break;
    case AMS_SUPPLY_DISABLED:
      v->state = V_DISABLED;
      break;
    case AMS_SUPPLY_DELETED:
      version_forget (s, v);
      break;
    }
}

/* ---- events ------------------------------------------------------------------------- */

static Version *
find_version (const AmsSupply *s, const AmsScResRef *ref)
{
  Version *v = g_hash_table_lookup (s->by_arn, ref->arn);
  return v != NULL && v->state != V_DELETED ? v : NULL;
}

/* Everything account-and-region consumers use now, for "in use": for each
 * recipe (the scenario's and the pipelines' blocks) its owner's
 * references, and for each pipeline building another account's recipe,
 * that recipe and its references as the pipeline resolves them. Calls
 * `fn` with the consumer account, what it is, and the version used. */
typedef gboolean (*UsedFn) (const AmsAccount *consumer, const char *what, const Version *v,
                            gpointer user);

static gboolean
each_use (AmsSupply *s, UsedFn fn, gpointer user)
{
  for (guint i = 0; i < s->n_consumers; i++)
    {
      const Consumer *cs = &s->consumers[i];
      char what[300];
      consumer_what (cs->pl, what, sizeof what);
      for (guint j = 0; j < cs->slots->len; j++)
        {
          const Slot *slot = &g_array_index (cs->slots, Slot, j);
          Version *v = NULL;
          g_auto (AmsBlocker) b = { 0 };
          ams_blocker_init (&b);
          if (resolve_slot (s, i, slot->ref, &v, &b) && v != NULL && fn (cs->account, what, v, user))
            return TRUE;
        }
    }
  /* recipes of the scenario that no pipeline builds still hold on to what
   * they reference */
  for (guint i = 0; i < s->sc->recipes->len; i++)
    {
      const AmsScRecipe *r = s->sc->recipes->pdata[i];
      const AmsAccount *owner = account_of (s, r->account.value);
      for (guint j = 0; j <= r->components->len; j++)
        {
          const AmsScResRef *ref = j < r->components->len
                                     ? &g_array_index (r->components, AmsScResRef, j)
                                     : &r->parent;
          if (ref->arn == NULL)
            continue;
          Family *f = family_find (s, ref->type, ref->account, ref->region, ref->name);
          for (guint k = 0; f != NULL && k < f->versions->len; k++)
            {
              const Version *v = f->versions->pdata[k];
              g_autofree char *what = g_strdup_printf ("recipe %s (account %s)", r->arn,
                                                       r->account.value);
              if (v->state == V_ACTIVE && matches (v, ref) && ref->build > 0
                  && fn (owner, what, v, user))
                return TRUE;
            }
        }
    }
  return FALSE;
}

typedef struct
{
  AmsSupply *s;
  const char *arn;       /* the resource leaving */
  guint share;
  const char *principal; /* the principal leaving, or NULL: every principal of the share */
  const AmsAccount *who;
  char *what;
} InUse;

static gboolean
in_use_fn (const AmsAccount *consumer, const char *what, const Version *v, gpointer user)
{
  InUse *u = user;
  if (consumer == NULL || strcmp (consumer->id, v->family->owner) == 0)
    return FALSE; /* the owner's own use holds no share open */
  if (u->arn != NULL && strcmp (v->arn, u->arn) != 0)
    return FALSE;
  if (u->arn == NULL && !ams_ram_share_has_resource (u->s->ram, u->share, v->arn))
    return FALSE;
  AmsPlace place;
  ams_account_place (consumer, &place);
  for (guint i = 0; i < ams_ram_n_principals (u->s->ram, u->share); i++)
    {
      const char *p = ams_ram_principal (u->s->ram, u->share, i);
      if ((u->principal == NULL || strcmp (p, u->principal) == 0)
          && ams_ram_principal_covers (u->s->ram, u->share, i, &place))
        {
          u->who = consumer;
          u->what = g_strdup_printf ("%s uses %s", what, v->arn);
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
refuse_in_use (AmsSupply *s, guint share, const char *arn, const char *principal,
               const AmsAccount *caller, const AmsRegion *region, AmsBlocker *b)
{
  InUse u = { .s = s, .arn = arn, .share = share, .principal = principal };
  if (!each_use (s, in_use_fn, &u))
    return FALSE;
  ams__block (b, AMS_CAUSE_RESOURCE_IN_USE, AMS_STEP_RAM, caller, region,
              arn != NULL ? arn : principal,
              "account %s cannot stop sharing %s through resource share '%s': %s, which that "
              "share gives it. An owner cannot unshare a resource while a consumer depends on "
              "it; the consumer must stop using it first", caller->id,
              arn != NULL ? arn : "its resources", ams_ram_share_name (s->ram, share), u.what);
  g_free (u.what);
  return TRUE;
}

static gboolean
check_owner (AmsSupply *s, const char *owner, const AmsAccount *caller, const char *arn,
             const char *doing, const AmsRegion *region, AmsBlocker *b)
{
  if (strcmp (owner, caller->id) == 0)
    return TRUE;
  ams__block (b, AMS_CAUSE_NOT_RESOURCE_OWNER, AMS_STEP_RAM, caller, region, arn,
              "account %s cannot %s %s: it belongs to account %s. Only the owner shares, "
              "changes or deletes a resource; consumers may read and use it, and a resource "
              "shared with you cannot be re-shared", caller->id, doing, arn, owner);
  return FALSE;
}

static gboolean
event_share (AmsSupply *s, const AmsScEvent *ev, gboolean associate, AmsInvitedFn invited,
             gpointer user, AmsBlocker *b)
{
  guint share;
  gboolean found = ams_ram_find_share (s->ram, ev->share.value, &share);
  g_assert (found); /* resolved by the loader */
  const char *owner = ams_ram_share_owner (s->ram, share);
  const AmsAccount *caller = ev->account.value != NULL ? account_of (s, ev->account.value)
                                                       : account_of (s, owner);
  const AmsRegion *region = ams_world_find_region (s->w, ams_ram_share_region (s->ram, share));
  g_autofree char *share_arn = g_strdup_printf ("resource share '%s'", ev->share.value);
  if (!check_owner (s, owner, caller, share_arn, associate ? "add to" : "remove from", region, b))
    return FALSE;
  /* every part is checked before anything changes: RAM refuses the request whole */
  for (guint i = 0; ev->resources != NULL && i < ev->resources->len; i++)
    {
      const AmsScResRef *ref = &g_array_index (ev->resources, AmsScResRef, i);
      if (!associate)
        {
          if (refuse_in_use (s, share, ref->arn, NULL, caller, region, b))
            return FALSE;
          continue;
        }
      if (!check_owner (s, ref->account, caller, ref->arn, "share", region, b))
        return FALSE;
      if (strcmp (ref->region, ams_ram_share_region (s->ram, share)) != 0)
        {
          ams__block (b, AMS_CAUSE_RESOURCE_WRONG_REGION, AMS_STEP_RAM, caller, region, ref->arn,
                      "resource share '%s' is in %s and %s in %s: RAM shares are regional",
                      ev->share.value, ams_ram_share_region (s->ram, share), ref->arn,
                      ref->region);
          return FALSE;
        }
      if (find_version (s, ref) == NULL)
        {
          ams__block (b, AMS_CAUSE_RESOURCE_UNAVAILABLE, AMS_STEP_RAM, caller, region, ref->arn,
                      "%s %s does not exist (yet, or any more): nothing to add to resource "
                      "share '%s'", type_names[ref->type], ref->arn, ev->share.value);
          return FALSE;
        }
    }
  for (guint i = 0; !associate && ev->principals != NULL && i < ev->principals->len; i++)
    if (refuse_in_use (s, share, NULL, g_array_index (ev->principals, AmsScRef, i).value, caller,
                       region, b))
      return FALSE;

  for (guint i = 0; ev->resources != NULL && i < ev->resources->len; i++)
    {
      const char *arn = g_array_index (ev->resources, AmsScResRef, i).arn;
      if (associate)
        ams_ram_associate_resource (s->ram, share, arn);
      else
        ams_ram_disassociate_resource (s->ram, share, arn);
    }
  for (guint i = 0; ev->principals != NULL && i < ev->principals->len; i++)
    {
      const char *principal = g_array_index (ev->principals, AmsScRef, i).value;
      if (associate)
        associate_principal (s, share, principal, invited, user);
      else
        ams_ram_disassociate_principal (s->ram, share, principal);
    }
  s->epoch++;
  return TRUE;
}

static gboolean
event_answer (AmsSupply *s, const AmsScEvent *ev, gboolean accept, AmsBlocker *b)
{
  guint share;
  gboolean found = ams_ram_find_share (s->ram, ev->share.value, &share);
  g_assert (found);
  const AmsAccount *who = account_of (s, ev->account.value);
  const AmsRegion *region = ams_world_find_region (s->w, ams_ram_share_region (s->ram, share));
  AmsPlace place;
  ams_account_place (who, &place);
  guint invitation;
  if (!ams_ram_find_invitation (s->ram, share, &place, &invitation))
    {
      ams__block (b, AMS_CAUSE_RESOURCE_NOT_SHARED, AMS_STEP_RAM, who, region, ev->share.value,
                  "account %s has no invitation to resource share '%s' to %s", who->id,
                  ev->share.value, accept ? "accept" : "reject");
      return FALSE;
    }
  if (!ams_supply_answer (s, invitation, who, accept))
    {
      ams__block (b, AMS_CAUSE_RESOURCE_NOT_SHARED, AMS_STEP_RAM, who, region, ev->share.value,
                  "the invitation of resource share '%s' to %s was already answered or has "
                  "expired: it cannot be %s any more", ev->share.value,
                  ams_ram_invitation_principal (s->ram, invitation),
                  accept ? "accepted" : "rejected");
      return FALSE;
    }
  return TRUE;
}

static gboolean
event_delete (AmsSupply *s, const AmsScEvent *ev, AmsBlocker *b)
{
  const AmsScResRef *ref = &ev->arn;
  const AmsAccount *caller = ev->account.value != NULL ? account_of (s, ev->account.value)
                                                       : account_of (s, ref->account);
  const AmsRegion *region = ams_world_find_region (s->w, ref->region);
  Version *v = find_version (s, ref);
  if (!check_owner (s, ref->account, caller, ref->arn, "delete", region, b))
    return FALSE;
  if (v == NULL)
    {
      ams__block (b, AMS_CAUSE_RESOURCE_UNAVAILABLE, AMS_STEP_RAM, caller, region, ref->arn,
                  "%s %s does not exist (yet, or any more): nothing to delete",
                  type_names[ref->type], ref->arn);
      return FALSE;
    }
  for (guint i = 0; i < ams_ram_n_shares (s->ram); i++)
    if (ams_ram_share_has_resource (s->ram, i, v->arn))
      {
        ams__block (b, AMS_CAUSE_RESOURCE_STILL_SHARED, AMS_STEP_RAM, caller, region, v->arn,
                    "account %s cannot delete %s %s while it is shared: resource share '%s' "
                    "holds it. Remove it from the share first (a disassociate_resource_share "
                    "event)", caller->id, type_names[ref->type], v->arn,
                    ams_ram_share_name (s->ram, i));
        return FALSE;
      }
  version_forget (s, v);
  s->epoch++;
  return TRUE;
}

static gboolean
event_publish (AmsSupply *s, const AmsScEvent *ev, AmsBlocker *b)
{
  const AmsScComponent *c = ev->component_def;
  g_autofree char *name = ams_sc_arn_name (c->name);
  const AmsAccount *owner = account_of (s, c->account.value);
  const AmsRegion *region = ams_world_find_region (s->w, c->region.value);
  Family *f = family_get (s, AMS_SC_RES_COMPONENT, c->account.value, c->region.value, name);
  guint quota = s->sc->sim.components_per_account_region;
  if (quota > 0)
    {
      /* the owner's components in the region: shared ones count here only */
      guint owned = 0;
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, s->families);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          const Family *g = value;
          if (g->type == AMS_SC_RES_COMPONENT && strcmp (g->owner, owner->id) == 0
              && strcmp (g->region, region->name) == 0)
            owned += g->versions->len;
        }
      if (owned >= quota)
        {
          ams__block (b, AMS_CAUSE_RESOURCE_QUOTA_EXCEEDED, AMS_STEP_RAM, owner, region, c->name,
                      "account %s already owns %u component build versions in %s, its quota "
                      "(simulation.limits.components_per_account_region: %u); components "
                      "shared with it do not count, its own do: delete some or raise the "
                      "quota", owner->id, owned, region->name, quota);
          return FALSE;
        }
    }
  Version *v = version_add (s, f, ev->version, next_build (f, ev->version), NULL);
  s->created = v;
  for (guint i = 0; ev->shares != NULL && i < ev->shares->len; i++)
    {
      guint share;
      if (ams_ram_find_share (s->ram, g_array_index (ev->shares, AmsScRef, i).value, &share))
        ams_ram_associate_resource (s->ram, share, v->arn);
    }
  return TRUE;
}

gboolean
ams_supply_event (AmsSupply *s, const AmsScEvent *ev, AmsInvitedFn invited, gpointer user,
                  AmsBlocker *b)
{
  g_return_val_if_fail (s != NULL && ev != NULL, FALSE);
  ams_blocker_init (b);
  switch (ev->kind)
    {
    case AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE:
      return event_share (s, ev, TRUE, invited, user, b);
    case AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE:
      return event_share (s, ev, FALSE, invited, user, b);
    case AMS_SC_EV_ACCEPT_INVITATION:
      return event_answer (s, ev, TRUE, b);
    case AMS_SC_EV_REJECT_INVITATION:
      return event_answer (s, ev, FALSE, b);
    case AMS_SC_EV_DELETE_RESOURCE:
      return event_delete (s, ev, b);
    case AMS_SC_EV_PUBLISH_COMPONENT:
      return event_publish (s, ev, b);
    default:
      g_return_val_if_reached (FALSE);
    }
}

const char *
ams_supply_last_created (const AmsSupply *s)
{
  return s->created != NULL ? s->created->arn : NULL;
}

gboolean
ams_supply_attach (AmsSupply *s, const char *arn, gpointer user)
{
  Version *v = arn != NULL ? g_hash_table_lookup (s->by_arn, arn) : NULL;
  if (v == NULL)
    return FALSE;
  v->user = user;
  return TRUE;
}

/* ---- explain ---------------------------------------------------------------------------- */

/* How the account answering an invitation will answer it, in words. */
static char *
answer_plan (const AmsSupply *s, guint invitation, gboolean *never)
{
  const char *principal = ams_ram_invitation_principal (s->ram, invitation);
  const AmsAccount *a = principal != NULL ? answerer (s, principal) : NULL;
  const AmsScAccount *p = a != NULL ? a->proto : NULL;
  g_autofree char *expiry = ams_format_duration (s->sc->sim.ram_invitation_expiry);
  *never = a == NULL || (p != NULL && !p->ram_accept);
  if (*never)
    return g_strdup_printf ("%s never answers it (%s), so it expires after %s and the share "
                            "then gives nothing", a != NULL ? a->id : "nobody in the scenario",
                            a != NULL ? "ram_invitations: {accept: false}"
                                      : "the answering account is not in the scenario",
                            expiry);
  const AmsDist *delay = p != NULL && p->ram_after_set ? &p->ram_after
                                                      : &s->sc->sim.ram_acceptance_delay;
  g_autofree char *mean = ams_format_duration (ams_time_from_s (ams_dist_mean (delay)));
  return g_strdup_printf ("account %s accepts it %s %s (%s): builds before then fail", a->id,
                          ams_dist_is_constant (delay) ? "after" : "after a delay of, on average,",
                          mean, p != NULL && p->ram_after_set ? "its ram_invitations.after"
                                                              : "simulation.ram.acceptance_delay");
}

/* Will pipeline i's first build make an image, as the world stands? */
static gboolean
can_build (AmsSupply *s, guint i)
{
  const Consumer *cs = &s->consumers[i];
  g_auto (AmsBlocker) b = { 0 };
  if (!ams_access_check_instance_profile (s->ax, cs->pl, &b))
    return FALSE;
  if (cs->slots->len == 0)
    return TRUE;
  g_autofree AmsSupplyUse *uses = g_new (AmsSupplyUse, cs->slots->len);
  ams_blocker_clear (&b);
  if (ams_supply_resolve (s, i, uses, &b))
    return TRUE;
  /* waiting for an invitation its account will accept */
  guint share, invitation;
  AmsPlace place;
  ams_account_place (cs->account, &place);
  if (b.cause != AMS_CAUSE_INVITATION_PENDING
      || ams_ram_can_use (s->ram, b.resource, &place, &share, NULL) != AMS_RAM_PENDING
      || !ams_ram_find_invitation (s->ram, share, &place, &invitation))
    return FALSE;
  gboolean never = FALSE;
  g_free (answer_plan (s, invitation, &never)); /* whether it is ever answered */
  return !never;
}

guint
ams_supply_check_all (AmsSupply *s, AmsPipelineBlockerFn fn, gpointer user)
{
  if (!s->started)
    ams_supply_start (s, NULL, NULL);
  /* the first image of every pipeline others use, as it will be: once its
   * build can run (its instance profile allows it, and what it uses is
   * there, or comes with an invitation its account accepts), which may
   * take the first images of the pipelines it builds on */
  gboolean more = TRUE;
  while (more)
    {
      more = FALSE;
      for (guint i = 0; i < s->n_consumers; i++)
        if (s->consumers[i].producer && image_version (s, i, 1) == NULL && can_build (s, i))
          {
            ams_supply_image_available (s, i, 1, NULL);
            more = TRUE;
          }
    }

  guint checks = 0;
  g_autoptr (GArray) later = g_array_new (FALSE, FALSE, sizeof (guint)); /* pipelines */
  g_autoptr (GArray) never = g_array_new (FALSE, FALSE, sizeof (guint)); /* invitations */
  for (guint i = 0; i < s->n_consumers; i++)
    {
      const Consumer *cs = &s->consumers[i];
      if (cs->slots->len == 0)
        continue;
      checks++;
      g_autofree AmsSupplyUse *uses = g_new (AmsSupplyUse, cs->slots->len);
      g_auto (AmsBlocker) b = { 0 };
      if (ams_supply_resolve (s, i, uses, &b))
        continue;
      guint share, invitation;
      AmsPlace place;
      ams_account_place (cs->account, &place);
      if (b.cause == AMS_CAUSE_INVITATION_PENDING
          && ams_ram_can_use (s->ram, b.resource, &place, &share, NULL) == AMS_RAM_PENDING
          && ams_ram_find_invitation (s->ram, share, &place, &invitation))
        {
          gboolean no_answer = FALSE;
          g_autofree char *plan = answer_plan (s, invitation, &no_answer);
          g_autofree char *msg = g_strdup_printf ("%s. As the scenario stands, %s.", b.message,
                                                  plan);
          g_free (b.message);
          b.message = g_steal_pointer (&msg);
          if (no_answer)
            {
              g_array_append_val (later, i);
              g_array_append_val (never, invitation);
            }
        }
      fn (cs->pl, &b, user);
    }

  /* invitations nobody answers expire: what those builds meet from then on */
  for (guint i = 0; i < never->len; i++)
    ams_supply_expire (s, g_array_index (never, guint, i));
  for (guint i = 0; i < later->len; i++)
    {
      guint p = g_array_index (later, guint, i);
      g_autofree AmsSupplyUse *uses = g_new (AmsSupplyUse, s->consumers[p].slots->len);
      g_auto (AmsBlocker) b = { 0 };
      checks++;
      if (!ams_supply_resolve (s, p, uses, &b))
        fn (s->consumers[p].pl, &b, user);
    }
  return checks;
}

static int
event_by_time (gconstpointer a, gconstpointer b)
{
  const AmsScEvent *x = *(const AmsScEvent *const *) a, *y = *(const AmsScEvent *const *) b;
  return x->at < y->at ? -1 : x->at > y->at ? 1 : 0;
}

guint
ams_supply_check_events (AmsSupply *s, AmsEventBlockerFn fn, gpointer user)
{
  if (!s->started)
    ams_supply_start (s, NULL, NULL);
  /* events at one moment keep their written order (a stable sort) */
  g_autoptr (GPtrArray) events = g_ptr_array_new ();
  for (guint i = 0; i < s->sc->events->len; i++)
    {
      const AmsScEvent *ev = s->sc->events->pdata[i];
      if (ams_sc_event_is_supply (ev->kind) && ev->at <= s->sc->horizon)
        g_ptr_array_add (events, (gpointer) ev);
    }
  g_ptr_array_sort (events, event_by_time); /* g_ptr_array_sort is a stable merge sort */
  guint checks = 0;
  for (guint i = 0; i < events->len; i++)
    {
      const AmsScEvent *ev = events->pdata[i];
      /* invitations answered as their accounts will have by then */
      for (guint inv = 0; inv < ams_ram_n_invitations (s->ram); inv++)
        {
          gboolean never = FALSE;
          g_free (answer_plan (s, inv, &never));
          const char *principal = ams_ram_invitation_principal (s->ram, inv);
          const AmsAccount *a = principal != NULL ? answerer (s, principal) : NULL;
          if (!never && a != NULL)
            ams_supply_answer (s, inv, a, TRUE);
          else if (ev->at >= s->sc->sim.ram_invitation_expiry)
            ams_supply_expire (s, inv);
        }
      checks++;
      AmsBlocker b;
      if (!ams_supply_event (s, ev, NULL, NULL, &b))
        fn (ev, &b, user);
      ams_blocker_clear (&b);
    }
  return checks;
}
