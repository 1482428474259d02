/* Launch permissions of one AMI (EC2 ModifyImageAttribute / ResetImageAttribute
 * launchPermission): who may launch, and the quirks the model must reproduce
 * (DOMAIN.md §4): an organization or OU share covers every account beneath
 * it, removing one account that such a share still covers leaves its access
 * in place, reset removes everything, disabling removes everything for good,
 * the AWS managed key forbids sharing, block public access forbids `all`,
 * and an AMI has at most 1,000 sharing targets (an org, OU or `all` is one).
 *
 * can_launch is on the hot path (asked for thousands of accounts), so the
 * accounts sit in a hash set and the org/OU shares, of which there are few
 * (the distribution API allows 25 of each), in small arrays scanned in order.
 *
 * This file also holds the ARN and org-path helpers the RAM half shares
 * (sharing-private.h).
 */
#include "sharing-private.h"

#include <string.h>

#define MAX_TARGETS 1000u

/* ---- helpers shared with ram.c ----------------------------------------- */

/* The patterns of api_constraints.json (imagebuilder OrganizationArn and
 * OrganizationalUnitArn), anchored at both ends: the OU pattern in the model
 * lacks its trailing `$`, which would accept trailing garbage. DOLLAR_ENDONLY
 * so that a trailing newline does not slip through either. */
#define ORG_ARN_RE "^arn:aws[^:]*:organizations::[0-9]{12}:organization/(o-[a-z0-9]{10,32})$"
#define OU_ARN_RE                                                                                  \
  "^arn:aws[^:]*:organizations::[0-9]{12}:ou/(o-[a-z0-9]{10,32})/"                                 \
  "(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32})$"

static GRegex *
compile_once (gsize *once, const char *pattern)
{
  if (g_once_init_enter (once))
    {
      GRegex *re = g_regex_new (pattern, G_REGEX_OPTIMIZE | G_REGEX_DOLLAR_ENDONLY, 0, NULL);
      g_assert (re != NULL);
      g_once_init_leave (once, (gsize) re);
    }
  return (GRegex *) *once;
}

gboolean
ams__share_is_account (const char *s)
{
  if (s == NULL)
    return FALSE;
  for (int i = 0; i < 12; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return s[12] == '\0';
}

gboolean
ams__share_parse_org_arn (const char *arn, char **org_id)
{
  static gsize once = 0;
  if (arn == NULL)
    return FALSE;
  g_autoptr (GMatchInfo) mi = NULL;
  if (!g_regex_match (compile_once (&once, ORG_ARN_RE), arn, 0, &mi))
    return FALSE;
  if (org_id != NULL)
    *org_id = g_match_info_fetch (mi, 1);
  return TRUE;
}

gboolean
ams__share_parse_ou_arn (const char *arn, char **org_id, char **ou_id)
{
  static gsize once = 0;
  if (arn == NULL)
    return FALSE;
  g_autoptr (GMatchInfo) mi = NULL;
  if (!g_regex_match (compile_once (&once, OU_ARN_RE), arn, 0, &mi))
    return FALSE;
  if (org_id != NULL)
    *org_id = g_match_info_fetch (mi, 1);
  if (ou_id != NULL)
    *ou_id = g_match_info_fetch (mi, 2);
  return TRUE;
}

gboolean
ams__share_place_in_org (const AmsPlace *who, const char *org_id)
{
  return who->org_id != NULL && strcmp (who->org_id, org_id) == 0;
}

gboolean
ams__share_place_in_ou (const AmsPlace *who, const char *org_id, const char *ou_id)
{
  if (!ams__share_place_in_org (who, org_id) || who->org_path == NULL)
    return FALSE;
  /* Walk the path one segment at a time and compare whole segments: a
   * substring search would let an id match inside a longer one. */
  size_t want = strlen (ou_id);
  const char *seg = who->org_path;
  while (*seg != '\0')
    {
      const char *end = strchr (seg, '/');
      size_t len = end != NULL ? (size_t) (end - seg) : strlen (seg);
      if (len == want && memcmp (seg, ou_id, len) == 0)
        return TRUE;
      if (end == NULL)
        break;
      seg = end + 1;
    }
  return FALSE;
}

/* ---- launch permissions ------------------------------------------------ */

/* One organization (ou_id NULL) or OU share. Kept by ids: two ARNs naming
 * the same organization or OU are one target. */
typedef struct
{
  char *org_id;
  char *ou_id;
} GroupShare;

struct AmsLaunchPerms
{
  char *owner;
  AmsAmiTraits traits;
  gboolean disabled;
  gboolean public;
  GHashTable *accounts; /* set of owned account ids */
  GPtrArray *groups;    /* of GroupShare*, orgs and OUs */
};

static void
group_share_free (gpointer p)
{
  GroupShare *g = p;
  g_free (g->org_id);
  g_free (g->ou_id);
  g_free (g);
}

const char *
ams_share_result_name (AmsShareResult r)
{
  static const char *const names[] = {
    [AMS_SHARE_OK] = "ok",
    [AMS_SHARE_STILL_COVERED] = "still_covered",
    [AMS_SHARE_AWS_MANAGED_KEY] = "aws_managed_key",
    [AMS_SHARE_PUBLIC_BLOCKED] = "public_blocked",
    [AMS_SHARE_BAD_ARN] = "bad_arn",
    [AMS_SHARE_TOO_MANY] = "too_many",
    [AMS_SHARE_NOT_OWNER] = "not_owner",
    [AMS_SHARE_DISABLED] = "disabled",
  };
  if ((guint) r >= G_N_ELEMENTS (names))
    return "invalid";
  return names[r];
}

AmsLaunchPerms *
ams_launch_perms_new (const char *owner, const AmsAmiTraits *traits)
{
  g_return_val_if_fail (owner != NULL, NULL);
  AmsLaunchPerms *lp = g_new0 (AmsLaunchPerms, 1);
  lp->owner = g_strdup (owner);
  if (traits != NULL)
    lp->traits = *traits;
  lp->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lp->groups = g_ptr_array_new_with_free_func (group_share_free);
  return lp;
}

void
ams_launch_perms_free (AmsLaunchPerms *lp)
{
  if (lp == NULL)
    return;
  g_free (lp->owner);
  g_hash_table_unref (lp->accounts);
  g_ptr_array_unref (lp->groups);
  g_free (lp);
}

static gboolean
is_owner (const AmsLaunchPerms *lp, const char *account)
{
  return account != NULL && strcmp (lp->owner, account) == 0;
}

static void
clear_all (AmsLaunchPerms *lp)
{
  lp->public = FALSE;
  g_hash_table_remove_all (lp->accounts);
  g_ptr_array_set_size (lp->groups, 0);
}

static gint
find_group (const AmsLaunchPerms *lp, const char *org_id, const char *ou_id)
{
  for (guint i = 0; i < lp->groups->len; i++)
    {
      const GroupShare *g = g_ptr_array_index (lp->groups, i);
      if (strcmp (g->org_id, org_id) == 0 && g_strcmp0 (g->ou_id, ou_id) == 0)
        return (gint) i;
    }
  return -1;
}

/* The checks every add makes, in the order the service would: who asks,
 * then the AMI's state, then its key. The target itself (ARN form, group
 * `all` and block public access, the quota) is checked by the caller. */
static AmsShareResult
check_add (const AmsLaunchPerms *lp, const char *caller)
{
  if (!is_owner (lp, caller))
    return AMS_SHARE_NOT_OWNER;
  if (lp->disabled)
    return AMS_SHARE_DISABLED;
  if (lp->traits.aws_managed_key)
    return AMS_SHARE_AWS_MANAGED_KEY;
  return AMS_SHARE_OK;
}

AmsShareResult
ams_launch_perms_add_account (AmsLaunchPerms *lp, const char *caller, const char *account)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  AmsShareResult r = check_add (lp, caller);
  if (r != AMS_SHARE_OK)
    return r;
  if (!ams__share_is_account (account))
    return AMS_SHARE_BAD_ARN;
  /* The owner always has access; listing it changes nothing. */
  if (is_owner (lp, account) || g_hash_table_contains (lp->accounts, account))
    return AMS_SHARE_OK;
  if (ams_launch_perms_n_targets (lp) >= MAX_TARGETS)
    return AMS_SHARE_TOO_MANY;
  g_hash_table_add (lp->accounts, g_strdup (account));
  return AMS_SHARE_OK;
}

AmsShareResult
ams_launch_perms_add_all (AmsLaunchPerms *lp, const char *caller)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  AmsShareResult r = check_add (lp, caller);
  if (r != AMS_SHARE_OK)
    return r;
  if (lp->traits.block_public)
    return AMS_SHARE_PUBLIC_BLOCKED;
  if (lp->public)
    return AMS_SHARE_OK;
  if (ams_launch_perms_n_targets (lp) >= MAX_TARGETS)
    return AMS_SHARE_TOO_MANY;
  lp->public = TRUE;
  return AMS_SHARE_OK;
}

static AmsShareResult
add_group (AmsLaunchPerms *lp, char *org_id, char *ou_id)
{
  if (find_group (lp, org_id, ou_id) >= 0)
    {
      g_free (org_id);
      g_free (ou_id);
      return AMS_SHARE_OK;
    }
  if (ams_launch_perms_n_targets (lp) >= MAX_TARGETS)
    {
      g_free (org_id);
      g_free (ou_id);
      return AMS_SHARE_TOO_MANY;
    }
  GroupShare *g = g_new (GroupShare, 1);
  g->org_id = org_id;
  g->ou_id = ou_id;
  g_ptr_array_add (lp->groups, g);
  return AMS_SHARE_OK;
}

AmsShareResult
ams_launch_perms_add_org (AmsLaunchPerms *lp, const char *caller, const char *org_arn)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  AmsShareResult r = check_add (lp, caller);
  if (r != AMS_SHARE_OK)
    return r;
  char *org_id = NULL;
  if (!ams__share_parse_org_arn (org_arn, &org_id))
    return AMS_SHARE_BAD_ARN;
  return add_group (lp, org_id, NULL);
}

AmsShareResult
ams_launch_perms_add_ou (AmsLaunchPerms *lp, const char *caller, const char *ou_arn)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  AmsShareResult r = check_add (lp, caller);
  if (r != AMS_SHARE_OK)
    return r;
  char *org_id = NULL, *ou_id = NULL;
  if (!ams__share_parse_ou_arn (ou_arn, &org_id, &ou_id))
    return AMS_SHARE_BAD_ARN;
  return add_group (lp, org_id, ou_id);
}

/* Does a share other than the account list (all, an org, an OU) cover `who`? */
static gboolean
covered_by_group (const AmsLaunchPerms *lp, const AmsPlace *who)
{
  if (lp->public)
    return TRUE;
  if (who->org_id == NULL)
    return FALSE;
  for (guint i = 0; i < lp->groups->len; i++)
    {
      const GroupShare *g = g_ptr_array_index (lp->groups, i);
      if (g->ou_id == NULL ? ams__share_place_in_org (who, g->org_id)
                           : ams__share_place_in_ou (who, g->org_id, g->ou_id))
        return TRUE;
    }
  return FALSE;
}

AmsShareResult
ams_launch_perms_remove_account_at (AmsLaunchPerms *lp, const char *caller, const AmsPlace *who)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  g_return_val_if_fail (who != NULL, AMS_SHARE_BAD_ARN);
  if (!is_owner (lp, caller))
    return AMS_SHARE_NOT_OWNER;
  if (!ams__share_is_account (who->account))
    return AMS_SHARE_BAD_ARN;
  /* Removing an account that is not listed succeeds too, as in EC2. */
  g_hash_table_remove (lp->accounts, who->account);
  if (!is_owner (lp, who->account) && covered_by_group (lp, who))
    return AMS_SHARE_STILL_COVERED;
  return AMS_SHARE_OK;
}

AmsShareResult
ams_launch_perms_remove_account (AmsLaunchPerms *lp, const char *caller, const char *account)
{
  /* Without a place only `all` can be seen to cover the account. */
  const AmsPlace who = { .account = account };
  return ams_launch_perms_remove_account_at (lp, caller, &who);
}

AmsShareResult
ams_launch_perms_remove_all (AmsLaunchPerms *lp, const char *caller)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  if (!is_owner (lp, caller))
    return AMS_SHARE_NOT_OWNER;
  lp->public = FALSE;
  return AMS_SHARE_OK;
}

static AmsShareResult
remove_group (AmsLaunchPerms *lp, char *org_id, char *ou_id)
{
  gint i = find_group (lp, org_id, ou_id);
  if (i >= 0)
    g_ptr_array_remove_index (lp->groups, (guint) i);
  g_free (org_id);
  g_free (ou_id);
  return AMS_SHARE_OK;
}

AmsShareResult
ams_launch_perms_remove_org (AmsLaunchPerms *lp, const char *caller, const char *org_arn)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  if (!is_owner (lp, caller))
    return AMS_SHARE_NOT_OWNER;
  char *org_id = NULL;
  if (!ams__share_parse_org_arn (org_arn, &org_id))
    return AMS_SHARE_BAD_ARN;
  return remove_group (lp, org_id, NULL);
}

AmsShareResult
ams_launch_perms_remove_ou (AmsLaunchPerms *lp, const char *caller, const char *ou_arn)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  if (!is_owner (lp, caller))
    return AMS_SHARE_NOT_OWNER;
  char *org_id = NULL, *ou_id = NULL;
  if (!ams__share_parse_ou_arn (ou_arn, &org_id, &ou_id))
    return AMS_SHARE_BAD_ARN;
  return remove_group (lp, org_id, ou_id);
}

AmsShareResult
ams_launch_perms_reset (AmsLaunchPerms *lp, const char *caller)
{
  g_return_val_if_fail (lp != NULL, AMS_SHARE_NOT_OWNER);
  if (!is_owner (lp, caller))
    return AMS_SHARE_NOT_OWNER;
  clear_all (lp);
  return AMS_SHARE_OK;
}

void
ams_launch_perms_set_disabled (AmsLaunchPerms *lp, gboolean disabled)
{
  g_return_if_fail (lp != NULL);
  /* Disabling makes the AMI private for good: re-enabling finds nothing to
   * restore. */
  if (disabled)
    clear_all (lp);
  lp->disabled = disabled != FALSE;
}

gboolean
ams_launch_perms_is_disabled (const AmsLaunchPerms *lp)
{
  g_return_val_if_fail (lp != NULL, FALSE);
  return lp->disabled;
}

gboolean
ams_launch_perms_can_launch (const AmsLaunchPerms *lp, const AmsPlace *who)
{
  g_return_val_if_fail (lp != NULL, FALSE);
  g_return_val_if_fail (who != NULL && who->account != NULL, FALSE);
  if (lp->disabled)
    return FALSE;
  if (is_owner (lp, who->account) || g_hash_table_contains (lp->accounts, who->account))
    return TRUE;
  return covered_by_group (lp, who);
}

gboolean
ams_launch_perms_can_modify (const AmsLaunchPerms *lp, const char *account)
{
  g_return_val_if_fail (lp != NULL, FALSE);
  return is_owner (lp, account);
}

guint
ams_launch_perms_n_targets (const AmsLaunchPerms *lp)
{
  g_return_val_if_fail (lp != NULL, 0);
  return g_hash_table_size (lp->accounts) + lp->groups->len + (lp->public ? 1u : 0u);
}

gboolean
ams_launch_perms_is_public (const AmsLaunchPerms *lp)
{
  g_return_val_if_fail (lp != NULL, FALSE);
  return lp->public;
}
