/* RAM resource shares of Image Builder resources (components, images,
 * recipes; DOMAIN.md §5): who may use a resource shared through AWS
 * Resource Access Manager, and when that access starts.
 *
 * As in RAM, a share is a container of resources and principals, and an
 * invitation is one per share and principal: a principal that accepted has
 * access to every resource the share holds, including resources added
 * later. Inside the owner's organization, when that organization has RAM
 * sharing enabled, a principal is associated at once; an organization or
 * OU of the owner's organization without it cannot be associated (RAM
 * answers that sharing with the organization is not enabled); every other
 * principal is invited. For an organization or OU principal the
 * invitation is one for the whole principal, and any account beneath it
 * may answer it (the model has no notion of a principal's management
 * account). Invitations never answered expire, which RAM counts as
 * declined.
 *
 * Shares are few and small (tens of shares, a few principals each), so
 * lookups by resource walk the shares: no index to keep in step.
 */
#include "sharing-private.h"

#include <string.h>

typedef enum
{
  PRINCIPAL_ACCOUNT,
  PRINCIPAL_ORG,
  PRINCIPAL_OU,
} PrincipalKind;

typedef enum
{
  STATE_ASSOCIATED,
  STATE_INVITED,
  STATE_FAILED_ORG_SHARING,
  STATE_FAILED_EXTERNAL,
  STATE_REJECTED,
  STATE_EXPIRED,
} PrincipalState;

typedef struct
{
  char *text;          /* as given: the account id or the ARN */
  PrincipalKind kind;
  char *org_id;        /* PRINCIPAL_ORG and PRINCIPAL_OU */
  char *ou_id;         /* PRINCIPAL_OU */
  PrincipalState state;
  guint invitation;    /* its invitation's index + 1; 0 when none */
} Principal;

typedef struct
{
  char *name;
  char *owner;
  char *region;
  gboolean allow_external;
  GPtrArray *resources;  /* of char*, in the order added */
  GPtrArray *principals; /* of Principal*, in the order added */
} Share;

typedef struct
{
  guint share;
  Principal *principal;  /* NULL once withdrawn (the principal left the share) */
} Invitation;

struct AmsRam
{
  GHashTable *org_sharing; /* set of org ids with RAM sharing enabled */
  GPtrArray *shares;       /* of Share* */
  GArray *invitations;     /* of Invitation */
};

const char *
ams_ram_result_name (AmsRamResult r)
{
  static const char *const names[] = {
    [AMS_RAM_OK] = "ok",
    [AMS_RAM_PENDING] = "pending",
    [AMS_RAM_UNKNOWN] = "unknown",
    [AMS_RAM_ORG_SHARING_DISABLED] = "org_sharing_disabled",
    [AMS_RAM_EXTERNAL_NOT_ALLOWED] = "external_not_allowed",
    [AMS_RAM_REJECTED] = "rejected",
    [AMS_RAM_EXPIRED] = "expired",
    [AMS_RAM_BAD_PRINCIPAL] = "bad_principal",
    [AMS_RAM_ALREADY] = "already",
    [AMS_RAM_NOT_ADDRESSED] = "not_addressed",
  };
  if ((guint) r >= G_N_ELEMENTS (names))
    return "invalid";
  return names[r];
}

/* ---- records ------------------------------------------------------------- */

static void
principal_free (gpointer p)
{
  Principal *pr = p;
  g_free (pr->text);
  g_free (pr->org_id);
  g_free (pr->ou_id);
  g_free (pr);
}

static void
share_free (gpointer p)
{
  Share *s = p;
  g_free (s->name);
  g_free (s->owner);
  g_free (s->region);
  g_ptr_array_unref (s->resources);
  g_ptr_array_unref (s->principals);
  g_free (s);
}

/* A new principal record, or NULL when `text` is neither an account id nor
 * an organization or OU ARN (ids alone are not principals). */
static Principal *
principal_parse (const char *text)
{
  Principal *pr = g_new0 (Principal, 1);
  if (text != NULL && ams__share_is_account (text))
    pr->kind = PRINCIPAL_ACCOUNT;
  else if (text != NULL && ams__share_parse_org_arn (text, &pr->org_id))
    pr->kind = PRINCIPAL_ORG;
  else if (text != NULL && ams__share_parse_ou_arn (text, &pr->org_id, &pr->ou_id))
    pr->kind = PRINCIPAL_OU;
  else
    {
      g_free (pr);
      return NULL;
    }
  pr->text = g_strdup (text);
  return pr;
}

/* Does principal `pr` (whatever its state) cover `who`? */
static gboolean
covers (const Principal *pr, const AmsPlace *who)
{
  switch (pr->kind)
    {
    case PRINCIPAL_ACCOUNT:
      return who->account != NULL && strcmp (pr->text, who->account) == 0;
    case PRINCIPAL_ORG:
      return ams__share_place_in_org (who, pr->org_id);
    case PRINCIPAL_OU:
      return ams__share_place_in_ou (who, pr->org_id, pr->ou_id);
    }
  g_assert_not_reached ();
  return FALSE;
}

static Share *
share_get (const AmsRam *ram, guint share)
{
  g_return_val_if_fail (share < ram->shares->len, NULL);
  return ram->shares->pdata[share];
}

static gint
find_string (GPtrArray *list, const char *s)
{
  for (guint i = 0; i < list->len; i++)
    if (strcmp (list->pdata[i], s) == 0)
      return (gint) i;
  return -1;
}

static Principal *
find_principal (const Share *s, const char *text, guint *index)
{
  for (guint i = 0; i < s->principals->len; i++)
    {
      Principal *pr = s->principals->pdata[i];
      if (strcmp (pr->text, text) == 0)
        {
          if (index != NULL)
            *index = i;
          return pr;
        }
    }
  return NULL;
}

/* ---- the registry ---------------------------------------------------------- */

AmsRam *
ams_ram_new (void)
{
  AmsRam *ram = g_new0 (AmsRam, 1);
  ram->org_sharing = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ram->shares = g_ptr_array_new_with_free_func (share_free);
  ram->invitations = g_array_new (FALSE, FALSE, sizeof (Invitation));
  return ram;
}

void
ams_ram_free (AmsRam *ram)
{
  if (ram == NULL)
    return;
  g_array_unref (ram->invitations);
  g_ptr_array_unref (ram->shares);
  g_hash_table_unref (ram->org_sharing);
  g_free (ram);
}

void
ams_ram_enable_org_sharing (AmsRam *ram, const char *org_id)
{
  g_return_if_fail (ram != NULL && org_id != NULL);
  g_hash_table_add (ram->org_sharing, g_strdup (org_id));
}

gboolean
ams_ram_org_sharing (const AmsRam *ram, const char *org_id)
{
  g_return_val_if_fail (ram != NULL, FALSE);
  return org_id != NULL && g_hash_table_contains (ram->org_sharing, org_id);
}

guint
ams_ram_create_share (AmsRam *ram, const char *name, const char *owner, const char *region,
                      gboolean allow_external)
{
  g_return_val_if_fail (ram != NULL && name != NULL && owner != NULL && region != NULL, 0);
  Share *s = g_new0 (Share, 1);
  s->name = g_strdup (name);
  s->owner = g_strdup (owner);
  s->region = g_strdup (region);
  s->allow_external = allow_external;
  s->resources = g_ptr_array_new_with_free_func (g_free);
  s->principals = g_ptr_array_new_with_free_func (principal_free);
  g_ptr_array_add (ram->shares, s);
  return ram->shares->len - 1;
}

guint
ams_ram_n_shares (const AmsRam *ram)
{
  return ram->shares->len;
}

const char *
ams_ram_share_name (const AmsRam *ram, guint share)
{
  const Share *s = share_get (ram, share);
  return s != NULL ? s->name : NULL;
}

const char *
ams_ram_share_owner (const AmsRam *ram, guint share)
{
  const Share *s = share_get (ram, share);
  return s != NULL ? s->owner : NULL;
}

const char *
ams_ram_share_region (const AmsRam *ram, guint share)
{
  const Share *s = share_get (ram, share);
  return s != NULL ? s->region : NULL;
}

gboolean
ams_ram_find_share (const AmsRam *ram, const char *name, guint *share)
{
  for (guint i = 0; name != NULL && i < ram->shares->len; i++)
    if (strcmp (((const Share *) ram->shares->pdata[i])->name, name) == 0)
      {
        *share = i;
        return TRUE;
      }
  return FALSE;
}

/* ---- resources ------------------------------------------------------------- */

AmsRamResult
ams_ram_associate_resource (AmsRam *ram, guint share, const char *arn)
{
  Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL && arn != NULL, AMS_RAM_UNKNOWN);
  if (find_string (s->resources, arn) >= 0)
    return AMS_RAM_ALREADY;
  g_ptr_array_add (s->resources, g_strdup (arn));
  return AMS_RAM_OK;
}

AmsRamResult
ams_ram_disassociate_resource (AmsRam *ram, guint share, const char *arn)
{
  Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL, AMS_RAM_UNKNOWN);
  gint i = arn != NULL ? find_string (s->resources, arn) : -1;
  if (i < 0)
    return AMS_RAM_UNKNOWN;
  g_ptr_array_remove_index (s->resources, (guint) i); /* keeps the order of the others */
  return AMS_RAM_OK;
}

gboolean
ams_ram_share_has_resource (const AmsRam *ram, guint share, const char *arn)
{
  const Share *s = share_get (ram, share);
  return s != NULL && arn != NULL && find_string (s->resources, arn) >= 0;
}

gboolean
ams_ram_is_shared (const AmsRam *ram, const char *arn)
{
  for (guint i = 0; i < ram->shares->len; i++)
    if (ams_ram_share_has_resource (ram, i, arn))
      return TRUE;
  return FALSE;
}

/* ---- principals ------------------------------------------------------------ */

/* Is the principal inside organization `org_id`? An account is known to
 * be only through its place. */
static gboolean
inside (const Principal *pr, const AmsPlace *place, const char *org_id)
{
  if (org_id == NULL)
    return FALSE;
  if (pr->kind != PRINCIPAL_ACCOUNT)
    return strcmp (pr->org_id, org_id) == 0;
  return place != NULL && place->org_id != NULL && strcmp (place->org_id, org_id) == 0;
}

AmsRamResult
ams_ram_associate_principal (AmsRam *ram, guint share, const AmsPlace *owner,
                             const char *principal, const AmsPlace *place, guint *invitation)
{
  Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL && owner != NULL, AMS_RAM_UNKNOWN);
  if (invitation != NULL)
    *invitation = 0;
  Principal *pr = principal_parse (principal);
  if (pr == NULL)
    return AMS_RAM_BAD_PRINCIPAL;
  if (find_principal (s, principal, NULL) != NULL)
    {
      principal_free (pr);
      return AMS_RAM_ALREADY;
    }
  g_ptr_array_add (s->principals, pr);

  const char *org = owner->org_id;
  gboolean in_org = inside (pr, place, org);
  if (in_org && ams_ram_org_sharing (ram, org))
    {
      pr->state = STATE_ASSOCIATED;
      return AMS_RAM_OK;
    }
  if (in_org && pr->kind != PRINCIPAL_ACCOUNT)
    {
      pr->state = STATE_FAILED_ORG_SHARING;
      return AMS_RAM_ORG_SHARING_DISABLED;
    }
  /* allowExternalPrincipals false only means something to an owner that
   * has an organization for principals to be outside of */
  if (!in_org && org != NULL && !s->allow_external)
    {
      pr->state = STATE_FAILED_EXTERNAL;
      return AMS_RAM_EXTERNAL_NOT_ALLOWED;
    }
  pr->state = STATE_INVITED;
  Invitation inv = { .share = share, .principal = pr };
  g_array_append_val (ram->invitations, inv);
  pr->invitation = ram->invitations->len;
  if (invitation != NULL)
    *invitation = ram->invitations->len - 1;
  return AMS_RAM_PENDING;
}

AmsRamResult
ams_ram_disassociate_principal (AmsRam *ram, guint share, const char *principal)
{
  Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL, AMS_RAM_UNKNOWN);
  guint i;
  Principal *pr = principal != NULL ? find_principal (s, principal, &i) : NULL;
  if (pr == NULL)
    return AMS_RAM_UNKNOWN;
  if (pr->invitation > 0)
    g_array_index (ram->invitations, Invitation, pr->invitation - 1).principal = NULL;
  g_ptr_array_remove_index (s->principals, i);
  return AMS_RAM_OK;
}

guint
ams_ram_n_principals (const AmsRam *ram, guint share)
{
  const Share *s = share_get (ram, share);
  return s != NULL ? s->principals->len : 0;
}

const char *
ams_ram_principal (const AmsRam *ram, guint share, guint i)
{
  const Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL && i < s->principals->len, NULL);
  return ((const Principal *) s->principals->pdata[i])->text;
}

gboolean
ams_ram_principal_covers (const AmsRam *ram, guint share, guint i, const AmsPlace *who)
{
  const Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL && i < s->principals->len && who != NULL, FALSE);
  return covers (s->principals->pdata[i], who);
}

/* ---- invitations ----------------------------------------------------------- */

gboolean
ams_ram_find_invitation (const AmsRam *ram, guint share, const AmsPlace *who, guint *invitation)
{
  const Share *s = share_get (ram, share);
  g_return_val_if_fail (s != NULL && who != NULL, FALSE);
  /* an invitation to the account itself first, then one to a group it is in */
  for (int pass = 0; pass < 2; pass++)
    for (guint i = 0; i < s->principals->len; i++)
      {
        const Principal *pr = s->principals->pdata[i];
        if (pr->invitation == 0 || (pass == 0) != (pr->kind == PRINCIPAL_ACCOUNT)
            || !covers (pr, who))
          continue;
        if (invitation != NULL)
          *invitation = pr->invitation - 1;
        return TRUE;
      }
  return FALSE;
}

static Invitation *
invitation_get (const AmsRam *ram, guint invitation)
{
  if (invitation >= ram->invitations->len)
    return NULL;
  return &g_array_index (ram->invitations, Invitation, invitation);
}

guint
ams_ram_n_invitations (const AmsRam *ram)
{
  return ram->invitations->len;
}

guint
ams_ram_invitation_share (const AmsRam *ram, guint invitation)
{
  const Invitation *inv = invitation_get (ram, invitation);
  g_return_val_if_fail (inv != NULL, 0);
  return inv->share;
}

const char *
ams_ram_invitation_principal (const AmsRam *ram, guint invitation)
{
  const Invitation *inv = invitation_get (ram, invitation);
  g_return_val_if_fail (inv != NULL, NULL);
  return inv->principal != NULL ? inv->principal->text : NULL;
}

static AmsRamResult
answer (AmsRam *ram, guint invitation, const AmsPlace *who, PrincipalState state)
{
  Invitation *inv = invitation_get (ram, invitation);
  if (inv == NULL)
    return AMS_RAM_UNKNOWN;
  if (inv->principal == NULL || inv->principal->state != STATE_INVITED)
    return AMS_RAM_ALREADY;
  if (who == NULL || !covers (inv->principal, who))
    return AMS_RAM_NOT_ADDRESSED;
  inv->principal->state = state;
  return AMS_RAM_OK;
}

AmsRamResult
ams_ram_accept (AmsRam *ram, guint invitation, const AmsPlace *who)
{
  return answer (ram, invitation, who, STATE_ASSOCIATED);
}

AmsRamResult
ams_ram_reject (AmsRam *ram, guint invitation, const AmsPlace *who)
{
  return answer (ram, invitation, who, STATE_REJECTED);
}

gboolean
ams_ram_expire (AmsRam *ram, guint invitation)
{
  Invitation *inv = invitation_get (ram, invitation);
  if (inv == NULL || inv->principal == NULL || inv->principal->state != STATE_INVITED)
    return FALSE;
  inv->principal->state = STATE_EXPIRED;
  return TRUE;
}

/* ---- use ------------------------------------------------------------------- */

/* How much a principal's state says about why there is no access (higher
 * first), the result it gives. */
static int
rank (PrincipalState st, AmsRamResult *r)
{
  switch (st)
    {
    case STATE_ASSOCIATED:
      *r = AMS_RAM_OK;
      return 6;
    case STATE_INVITED:
      *r = AMS_RAM_PENDING;
      return 5;
    case STATE_FAILED_ORG_SHARING:
      *r = AMS_RAM_ORG_SHARING_DISABLED;
      return 4;
    case STATE_FAILED_EXTERNAL:
      *r = AMS_RAM_EXTERNAL_NOT_ALLOWED;
      return 3;
    case STATE_REJECTED:
      *r = AMS_RAM_REJECTED;
      return 2;
    case STATE_EXPIRED:
      *r = AMS_RAM_EXPIRED;
      return 1;
    }
  g_assert_not_reached ();
  return 0;
}

AmsRamResult
ams_ram_can_use (const AmsRam *ram, const char *arn, const AmsPlace *who, guint *share,
                 const char **principal)
{
  g_return_val_if_fail (ram != NULL && who != NULL, AMS_RAM_UNKNOWN);
  AmsRamResult best = AMS_RAM_UNKNOWN;
  int best_rank = 0;
  for (guint i = 0; arn != NULL && i < ram->shares->len && best_rank < 6; i++)
    {
      const Share *s = ram->shares->pdata[i];
      if (find_string (s->resources, arn) < 0)
        continue;
      for (guint j = 0; j < s->principals->len; j++)
        {
          const Principal *pr = s->principals->pdata[j];
          AmsRamResult r;
          int k = rank (pr->state, &r);
          if (k <= best_rank || !covers (pr, who))
            continue;
          best = r;
          best_rank = k;
          if (share != NULL)
            *share = i;
          if (principal != NULL)
            *principal = pr->text;
          if (k == 6)
            break;
        }
    }
  return best;
}
