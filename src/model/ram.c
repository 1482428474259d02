/* RAM shares of Image Builder resources (components, images, recipes;
 * DOMAIN.md §5): who may use a resource shared through AWS Resource Access
 * Manager, when that access starts, and what the owner may no longer do
 * while it is shared.
 *
 * A share names one principal: an account, an organization ARN or an OU
 * ARN. Inside the owner's organization, when that organization has RAM
 * sharing enabled, the share is active at once; anywhere else it waits for
 * an invitation to be accepted. For an organization or OU principal the
 * invitation is one for the whole principal, and the first account of it
 * to accept activates the share for every account beneath it (the model
 * has no notion of a principal's management account, so "any member
 * accepts on its behalf" is the closest it can say).
 *
 * Whether an account is inside the owner's organization is known from the
 * places registered with ams_ram_add_account; an account never registered
 * counts as outside every organization.
 */
#include "sharing-private.h"

#include <string.h>

typedef enum
{
  PRINCIPAL_ACCOUNT,
  PRINCIPAL_ORG,
  PRINCIPAL_OU,
} PrincipalKind;

/* An AmsPlace with its own copies of the strings. */
typedef struct
{
  char *account;
  char *org_id;
  char *org_path;
} OwnedPlace;

typedef struct Resource Resource;

typedef struct
{
  PrincipalKind kind;
  char *key;      /* the account id, the org id, or "o-…/ou-…" */
  char *account;  /* PRINCIPAL_ACCOUNT */
  char *org_id;   /* PRINCIPAL_ORG and PRINCIPAL_OU */
  char *ou_id;    /* PRINCIPAL_OU */
  gboolean active;
  guint64 invitation; /* 0 when the share was immediate */
} Share;

typedef struct
{
  char *dependent_arn;
  OwnedPlace consumer;
} Dependency;

struct Resource
{
  char *arn;
  AmsRamType type;
  char *owner;
  char *region;
  AmsRamKeyCheck key_check;
  gpointer key_user;
  GHashTable *shares; /* key -> Share*, owned */
  GPtrArray *groups;  /* of Share*, borrowed: the org and OU shares, scanned by can_use */
  GHashTable *deps;   /* dependent arn -> Dependency*, owned */
};

struct AmsRam
{
  GHashTable *org_sharing; /* set of org ids with RAM sharing enabled */
  GHashTable *places;      /* account -> OwnedPlace*, owned */
  GHashTable *resources;   /* arn -> Resource*, owned */
  GHashTable *invitations; /* &share->invitation -> Share*, borrowed */
  guint64 next_invitation;
};

const char *
ams_ram_result_name (AmsRamResult r)
{
  static const char *const names[] = {
    [AMS_RAM_OK] = "ok",
    [AMS_RAM_PENDING] = "pending",
    [AMS_RAM_NOT_OWNER] = "not_owner",
    [AMS_RAM_WRONG_REGION] = "wrong_region",
    [AMS_RAM_STILL_SHARED] = "still_shared",
    [AMS_RAM_IN_USE] = "in_use",
    [AMS_RAM_UNKNOWN] = "unknown",
    [AMS_RAM_KEY_NOT_SHARED] = "key_not_shared",
  };
  if ((guint) r >= G_N_ELEMENTS (names))
    return "invalid";
  return names[r];
}

/* ---- small owned things ------------------------------------------------- */

static void
owned_place_init (OwnedPlace *op, const AmsPlace *p)
{
  op->account = g_strdup (p->account);
  op->org_id = g_strdup (p->org_id);
  op->org_path = g_strdup (p->org_path);
}

static void
owned_place_clear (OwnedPlace *op)
{
  g_free (op->account);
  g_free (op->org_id);
  g_free (op->org_path);
}

static AmsPlace
owned_place_view (const OwnedPlace *op)
{
  return (AmsPlace){ .account = op->account, .org_id = op->org_id, .org_path = op->org_path };
}

static void
owned_place_free (gpointer p)
{
  owned_place_clear (p);
  g_free (p);
}

static void
share_free (gpointer p)
{
  Share *s = p;
  g_free (s->key);
  g_free (s->account);
  g_free (s->org_id);
  g_free (s->ou_id);
  g_free (s);
}

static void
dependency_free (gpointer p)
{
  Dependency *d = p;
  g_free (d->dependent_arn);
  owned_place_clear (&d->consumer);
  g_free (d);
}

static void
resource_free (gpointer p)
{
  Resource *r = p;
  g_ptr_array_unref (r->groups);
  g_hash_table_unref (r->shares);
  g_hash_table_unref (r->deps);
  g_free (r->arn);
  g_free (r->owner);
  g_free (r->region);
  g_free (r);
}

/* Parses a principal into a new, inactive Share; NULL when it is neither an
 * account id nor an organization or OU ARN. */
static Share *
share_parse (const char *principal)
{
  Share *s = g_new0 (Share, 1);
  if (ams__share_is_account (principal))
    {
      s->kind = PRINCIPAL_ACCOUNT;
      s->account = g_strdup (principal);
      s->key = g_strdup (principal);
    }
  else if (ams__share_parse_org_arn (principal, &s->org_id))
    {
      s->kind = PRINCIPAL_ORG;
      s->key = g_strdup (s->org_id);
    }
  else if (ams__share_parse_ou_arn (principal, &s->org_id, &s->ou_id))
    {
      s->kind = PRINCIPAL_OU;
      s->key = g_strconcat (s->org_id, "/", s->ou_id, NULL);
    }
  else
    {
      g_free (s);
      return NULL;
    }
  return s;
}

/* Does the principal of `s` cover `who` (whatever the share's state)? */
static gboolean
share_covers (const Share *s, const AmsPlace *who)
{
  switch (s->kind)
    {
    case PRINCIPAL_ACCOUNT:
      return who->account != NULL && strcmp (s->account, who->account) == 0;
    case PRINCIPAL_ORG:
      return ams__share_place_in_org (who, s->org_id);
    case PRINCIPAL_OU:
      return ams__share_place_in_ou (who, s->org_id, s->ou_id);
    }
  g_assert_not_reached ();
  return FALSE;
}

/* ---- the registry ------------------------------------------------------- */

AmsRam *
ams_ram_new (void)
{
  AmsRam *ram = g_new0 (AmsRam, 1);
  ram->org_sharing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ram->places = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, owned_place_free);
  ram->resources = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, resource_free);
  ram->invitations = g_hash_table_new (g_int64_hash, g_int64_equal);
  ram->next_invitation = 1;
  return ram;
}

void
ams_ram_free (AmsRam *ram)
{
  if (ram == NULL)
    return;
  /* Invitations borrow from the shares, so they go first. */
  g_hash_table_unref (ram->invitations);
  g_hash_table_unref (ram->resources);
  g_hash_table_unref (ram->places);
  g_hash_table_unref (ram->org_sharing);
  g_free (ram);
}

void
ams_ram_enable_org_sharing (AmsRam *ram, const char *org_id)
{
  g_return_if_fail (ram != NULL && org_id != NULL);
  g_hash_table_add (ram->org_sharing, g_strdup (org_id));
}

void
ams_ram_add_account (AmsRam *ram, const AmsPlace *place)
{
  g_return_if_fail (ram != NULL && place != NULL && place->account != NULL);
  OwnedPlace *op = g_new (OwnedPlace, 1);
  owned_place_init (op, place);
  /* The key is the place's own copy of the id: replace, not insert, so that
   * the old key dies with the old value. */
  g_hash_table_replace (ram->places, op->account, op);
}

static Resource *
lookup (const AmsRam *ram, const char *arn)
{
  return arn != NULL ? g_hash_table_lookup (ram->resources, arn) : NULL;
}

static gboolean
is_owner (const Resource *res, const char *account)
{
  return account != NULL && strcmp (res->owner, account) == 0;
}

AmsRamResult
ams_ram_add_resource (AmsRam *ram, const char *arn, AmsRamType type, const char *owner,
                      const char *region, AmsRamKeyCheck key_check, gpointer key_user)
{
  g_return_val_if_fail (ram != NULL, AMS_RAM_UNKNOWN);
  g_return_val_if_fail (arn != NULL && owner != NULL && region != NULL, AMS_RAM_UNKNOWN);
  const Resource *old = lookup (ram, arn);
  if (old != NULL)
    /* Registering again changes nothing; the first registration stands. */
    return is_owner (old, owner) ? AMS_RAM_OK : AMS_RAM_NOT_OWNER;

  Resource *res = g_new0 (Resource, 1);
  res->arn = g_strdup (arn);
  res->type = type;
  res->owner = g_strdup (owner);
  res->region = g_strdup (region);
  res->key_check = key_check;
  res->key_user = key_user;
  res->shares = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, share_free);
  res->groups = g_ptr_array_new ();
  res->deps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, dependency_free);
  g_hash_table_insert (ram->resources, res->arn, res);
  return AMS_RAM_OK;
}

/* ---- sharing ------------------------------------------------------------ */

/* Is the principal of `s` inside organization `org_id`? An account is
 * known to be only through its registered place. */
static gboolean
principal_inside (const AmsRam *ram, const Share *s, const char *org_id)
{
  if (s->kind != PRINCIPAL_ACCOUNT)
    return strcmp (s->org_id, org_id) == 0;
  const OwnedPlace *op = g_hash_table_lookup (ram->places, s->account);
  return op != NULL && op->org_id != NULL && strcmp (op->org_id, org_id) == 0;
}

AmsRamResult
ams_ram_share (AmsRam *ram, const char *arn, const char *caller, const AmsPlace *owner_place,
               const char *principal, guint64 *invitation)
{
  g_return_val_if_fail (ram != NULL && owner_place != NULL, AMS_RAM_UNKNOWN);
  if (invitation != NULL)
    *invitation = 0;
  Resource *res = lookup (ram, arn);
  if (res == NULL)
    return AMS_RAM_UNKNOWN;
  /* Only the owner shares: a consumer cannot pass on what it was given. */
  if (!is_owner (res, caller))
    return AMS_RAM_NOT_OWNER;
  g_return_val_if_fail (owner_place->account == NULL || is_owner (res, owner_place->account),
                        AMS_RAM_NOT_OWNER);

  Share *s = share_parse (principal);
  if (s == NULL)
    return AMS_RAM_UNKNOWN;
  /* The owner has access anyway: sharing with itself changes nothing. */
  if (s->kind == PRINCIPAL_ACCOUNT && is_owner (res, s->account))
    {
      share_free (s);
      return AMS_RAM_OK;
    }
  /* Sharing again with the same principal answers how the share stands. */
  const Share *old = g_hash_table_lookup (res->shares, s->key);
  if (old != NULL)
    {
      share_free (s);
      if (invitation != NULL)
        *invitation = old->invitation;
      return old->active ? AMS_RAM_OK : AMS_RAM_PENDING;
    }

  const char *org = owner_place->org_id;
  s->active = org != NULL && g_hash_table_contains (ram->org_sharing, org)
              && principal_inside (ram, s, org);
  g_hash_table_insert (res->shares, s->key, s);
  if (s->kind != PRINCIPAL_ACCOUNT)
    g_ptr_array_add (res->groups, s);
  if (s->active)
    return AMS_RAM_OK;

  s->invitation = ram->next_invitation++;
  g_hash_table_insert (ram->invitations, &s->invitation, s);
  if (invitation != NULL)
    *invitation = s->invitation;
  return AMS_RAM_PENDING;
}

AmsRamResult
ams_ram_accept (AmsRam *ram, guint64 invitation, const char *account)
{
  g_return_val_if_fail (ram != NULL, AMS_RAM_UNKNOWN);
  Share *s = g_hash_table_lookup (ram->invitations, &invitation);
  if (s == NULL || account == NULL)
    return AMS_RAM_UNKNOWN;
  /* Only an account the invitation is addressed to may accept it; for an
   * organization or OU that is any account registered beneath it. */
  gboolean addressed;
  if (s->kind == PRINCIPAL_ACCOUNT)
    addressed = strcmp (s->account, account) == 0;
  else
    {
      const OwnedPlace *op = g_hash_table_lookup (ram->places, account);
      AmsPlace who = op != NULL ? owned_place_view (op) : (AmsPlace){ .account = account };
      addressed = share_covers (s, &who);
    }
  if (!addressed)
    return AMS_RAM_UNKNOWN;
  s->active = TRUE;
  return AMS_RAM_OK;
}

AmsRamResult
ams_ram_unshare (AmsRam *ram, const char *arn, const char *caller, const char *principal)
{
  g_return_val_if_fail (ram != NULL, AMS_RAM_UNKNOWN);
  Resource *res = lookup (ram, arn);
  if (res == NULL)
    return AMS_RAM_UNKNOWN;
  if (!is_owner (res, caller))
    return AMS_RAM_NOT_OWNER;
  Share *probe = share_parse (principal);
  if (probe == NULL)
    return AMS_RAM_UNKNOWN;
  Share *s = g_hash_table_lookup (res->shares, probe->key);
  share_free (probe);
  if (s == NULL)
    return AMS_RAM_UNKNOWN;

  /* A consumer that uses the resource through this share would lose it.
   * A share never accepted gave no access, so nothing can depend on it. */
  if (s->active)
    {
      GHashTableIter it;
      gpointer value;
      g_hash_table_iter_init (&it, res->deps);
      while (g_hash_table_iter_next (&it, NULL, &value))
        {
          const Dependency *d = value;
          AmsPlace who = owned_place_view (&d->consumer);
          if (share_covers (s, &who))
            return AMS_RAM_IN_USE;
        }
    }

  if (s->invitation != 0)
    g_hash_table_remove (ram->invitations, &s->invitation);
  if (s->kind != PRINCIPAL_ACCOUNT)
    g_ptr_array_remove_fast (res->groups, s);
  g_hash_table_remove (res->shares, s->key);
  return AMS_RAM_OK;
}

AmsRamResult
ams_ram_delete_resource (AmsRam *ram, const char *arn, const char *caller)
{
  g_return_val_if_fail (ram != NULL, AMS_RAM_UNKNOWN);
  Resource *res = lookup (ram, arn);
  if (res == NULL)
    return AMS_RAM_UNKNOWN;
  if (!is_owner (res, caller))
    return AMS_RAM_NOT_OWNER;
  /* Pending invitations count as shared too: the owner must withdraw them. */
  if (g_hash_table_size (res->shares) > 0)
    return AMS_RAM_STILL_SHARED;
  g_hash_table_remove (ram->resources, res->arn);
  return AMS_RAM_OK;
}

/* ---- using ------------------------------------------------------------- */

AmsRamResult
ams_ram_can_use (const AmsRam *ram, const char *arn, const AmsPlace *who, const char *region)
{
  g_return_val_if_fail (ram != NULL && who != NULL && region != NULL, AMS_RAM_UNKNOWN);
  const Resource *res = lookup (ram, arn);
  if (res == NULL || who->account == NULL)
    return AMS_RAM_UNKNOWN;
  if (is_owner (res, who->account))
    return strcmp (res->region, region) == 0 ? AMS_RAM_OK : AMS_RAM_WRONG_REGION;

  gboolean active = FALSE, pending = FALSE;
  const Share *s = g_hash_table_lookup (res->shares, who->account);
  if (s != NULL)
    {
      active = s->active;
      pending = !s->active;
    }
  for (guint i = 0; i < res->groups->len && !active; i++)
    {
      s = g_ptr_array_index (res->groups, i);
      if (share_covers (s, who))
        {
          active = active || s->active;
          pending = pending || !s->active;
        }
    }
  if (!active && !pending)
    return AMS_RAM_UNKNOWN;
  /* Shares never cross regions: in another region the resource must be
   * copied, not used. */
  if (strcmp (res->region, region) != 0)
    return AMS_RAM_WRONG_REGION;
  if (!active)
    return AMS_RAM_PENDING;
  if (res->key_check != NULL && !res->key_check (who, res->key_user))
    return AMS_RAM_KEY_NOT_SHARED;
  return AMS_RAM_OK;
}

AmsRamResult
ams_ram_add_dependency (AmsRam *ram, const char *arn, const AmsPlace *consumer,
                        const char *dependent_arn)
{
  g_return_val_if_fail (ram != NULL && consumer != NULL && dependent_arn != NULL,
                        AMS_RAM_UNKNOWN);
  Resource *res = lookup (ram, arn);
  if (res == NULL)
    return AMS_RAM_UNKNOWN;
  /* A consumer can only build on what it can use, in the resource's region. */
  AmsRamResult r = ams_ram_can_use (ram, arn, consumer, res->region);
  if (r != AMS_RAM_OK)
    return r;
  /* The owner's own recipes do not hold a share open. */
  if (is_owner (res, consumer->account))
    return AMS_RAM_OK;
  Dependency *d = g_new (Dependency, 1);
  d->dependent_arn = g_strdup (dependent_arn);
  owned_place_init (&d->consumer, consumer);
  g_hash_table_replace (res->deps, d->dependent_arn, d);
  return AMS_RAM_OK;
}

AmsRamResult
ams_ram_remove_dependency (AmsRam *ram, const char *arn, const char *dependent_arn)
{
  g_return_val_if_fail (ram != NULL, AMS_RAM_UNKNOWN);
  Resource *res = lookup (ram, arn);
  if (res == NULL || dependent_arn == NULL)
    return AMS_RAM_UNKNOWN;
  return g_hash_table_remove (res->deps, dependent_arn) ? AMS_RAM_OK : AMS_RAM_UNKNOWN;
}

gboolean
ams_ram_can_modify (const AmsRam *ram, const char *arn, const char *account)
{
  g_return_val_if_fail (ram != NULL, FALSE);
  const Resource *res = lookup (ram, arn);
  return res != NULL && is_owner (res, account);
}
