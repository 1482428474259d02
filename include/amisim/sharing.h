/* amisim — sharing: who may launch an AMI, and RAM shares of Image Builder
 * resources (DOMAIN.md §4 "Sharing quirks", §5).
 *
 * Model-level rules with no clock: the engine decides when things happen
 * (an invitation accepted after a delay), this module decides what is
 * allowed and what follows. Accounts are described by where they sit in an
 * organization (AmsPlace), so the module needs no world.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where an account sits: its id, and if it is in an organization, the
 * organization id and its org path ("o-x/r-y/ou-a/ou-b/", trailing slash,
 * from the root down to the account's own OU; "o-x/r-y/" at the root). */
typedef struct
{
  const char *account;
  const char *org_id;   /* NULL outside any organization */
  const char *org_path; /* NULL outside any organization */
} AmsPlace;

/* ---- AMI launch permissions ------------------------------------------- */

typedef enum
{
  AMS_SHARE_OK,
  AMS_SHARE_STILL_COVERED,    /* remove: "succeeds", but an org/OU/group share still covers it */
  AMS_SHARE_AWS_MANAGED_KEY,  /* the AMI is encrypted with the AWS managed key: cannot share */
  AMS_SHARE_PUBLIC_BLOCKED,   /* userGroups all while block public access for AMIs is on */
  AMS_SHARE_BAD_ARN,          /* an organization or OU not given as a full ARN */
  AMS_SHARE_TOO_MANY,         /* more than 1,000 sharing targets (an org or OU counts as one) */
  AMS_SHARE_NOT_OWNER,        /* only the owner can change launch permissions */
  AMS_SHARE_DISABLED,         /* the AMI is disabled: no launch permissions can be added */
} AmsShareResult;

/* A stable snake_case name for messages and tests ("aws_managed_key"). */
const char *ams_share_result_name (AmsShareResult r);

typedef struct
{
  gboolean aws_managed_key; /* snapshots encrypted with the AWS managed EBS key */
  gboolean block_public;    /* block public access for AMIs on, in the owner's account and region */
} AmsAmiTraits;

typedef struct AmsLaunchPerms AmsLaunchPerms;

/* The launch permissions of one AMI owned by `owner` (12 digits, copied). */
AmsLaunchPerms *ams_launch_perms_new (const char *owner, const AmsAmiTraits *traits);
void ams_launch_perms_free (AmsLaunchPerms *lp); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsLaunchPerms, ams_launch_perms_free)

/* Adding and removing (ModifyImageAttribute launchPermission), done by
 * `caller` (must be the owner). Organization and OU are full ARNs
 * (arn:aws:organizations::<mgmt>:organization/o-… and …:ou/o-…/ou-…).
 * Adding what is already there is OK and changes nothing. */
AmsShareResult ams_launch_perms_add_account (AmsLaunchPerms *lp, const char *caller, const char *account);
AmsShareResult ams_launch_perms_add_all (AmsLaunchPerms *lp, const char *caller);
AmsShareResult ams_launch_perms_add_org (AmsLaunchPerms *lp, const char *caller, const char *org_arn);
AmsShareResult ams_launch_perms_add_ou (AmsLaunchPerms *lp, const char *caller, const char *ou_arn);
/* Removing an account that an org/OU/all share still covers returns
 * AMS_SHARE_STILL_COVERED (the real API answers success; access stays). */
AmsShareResult ams_launch_perms_remove_account (AmsLaunchPerms *lp, const char *caller, const char *account);
AmsShareResult ams_launch_perms_remove_all (AmsLaunchPerms *lp, const char *caller);
AmsShareResult ams_launch_perms_remove_org (AmsLaunchPerms *lp, const char *caller, const char *org_arn);
AmsShareResult ams_launch_perms_remove_ou (AmsLaunchPerms *lp, const char *caller, const char *ou_arn);
/* reset-image-attribute: removes every launch permission (owner only). */
AmsShareResult ams_launch_perms_reset (AmsLaunchPerms *lp, const char *caller);
/* Disabling an AMI removes all launch permissions; re-enabling does not
 * restore them. While disabled, adds fail with AMS_SHARE_DISABLED and
 * nobody but the owner can see it (launching is blocked for all). */
void ams_launch_perms_set_disabled (AmsLaunchPerms *lp, gboolean disabled);

/* May `who` launch from the AMI? The owner always (unless disabled); an
 * account listed; everyone when shared with all; every account in the
 * organization, or in the OU or any OU below it. */
gboolean ams_launch_perms_can_launch (const AmsLaunchPerms *lp, const AmsPlace *who);
/* Consumers can launch but never modify, share, deregister or see tags. */
gboolean ams_launch_perms_can_modify (const AmsLaunchPerms *lp, const char *account);
/* Sharing targets counted against the 1,000 limit (an org or OU counts as one). */
guint ams_launch_perms_n_targets (const AmsLaunchPerms *lp);
gboolean ams_launch_perms_is_public (const AmsLaunchPerms *lp);
/* Added with the implementation. remove_account knows only an id, so it can
 * see only an `all` share still covering the account; this variant is given
 * where the account sits and also reports AMS_SHARE_STILL_COVERED for an
 * organization or OU share that covers it. An id that is not 12 digits
 * gives AMS_SHARE_BAD_ARN (so does add_account). */
AmsShareResult ams_launch_perms_remove_account_at (AmsLaunchPerms *lp, const char *caller,
                                                   const AmsPlace *who);
/* Whether ams_launch_perms_set_disabled (lp, TRUE) is in force. */
gboolean ams_launch_perms_is_disabled (const AmsLaunchPerms *lp);

/* ---- RAM shares of Image Builder resources ----------------------------- */

typedef enum
{
  AMS_RAM_COMPONENT,
  AMS_RAM_IMAGE,
  AMS_RAM_RECIPE,
} AmsRamType;

typedef enum
{
  AMS_RAM_OK,
  AMS_RAM_PENDING,       /* an invitation was sent; access when it is accepted */
  AMS_RAM_NOT_OWNER,     /* only the owner shares (not what was shared with it) */
  AMS_RAM_WRONG_REGION,  /* shares are regional: the consumer asked in another region */
  AMS_RAM_STILL_SHARED,  /* cannot delete a resource while it is shared */
  AMS_RAM_IN_USE,        /* cannot unshare while a consumer depends on it */
  AMS_RAM_UNKNOWN,       /* no such resource, share or invitation */
  AMS_RAM_KEY_NOT_SHARED,/* encrypted resource whose KMS key is not usable by the consumer */
} AmsRamResult;

const char *ams_ram_result_name (AmsRamResult r);

typedef struct AmsRam AmsRam;

/* The RAM shares of one world. Organizations with RAM sharing enabled are
 * registered so that shares inside them need no invitation. */
AmsRam *ams_ram_new (void);
void ams_ram_free (AmsRam *ram); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsRam, ams_ram_free)
void ams_ram_enable_org_sharing (AmsRam *ram, const char *org_id);
/* Added with the implementation. Registers where an account sits (strings
 * copied; registering again replaces). ams_ram_share consults it to tell
 * whether an account principal is inside the owner's organization, and
 * ams_ram_accept to tell whether an account belongs to the organization or
 * OU an invitation was sent to. Unregistered accounts are outside every
 * organization. */
void ams_ram_add_account (AmsRam *ram, const AmsPlace *place);

/* Registers a resource (ARN, copied) owned by `owner` in `region`.
 * `key_shared_with` is consulted when sharing an encrypted resource: NULL
 * means not encrypted; otherwise called per consumer to ask whether the
 * resource's KMS key is usable by that account. */
typedef gboolean (*AmsRamKeyCheck) (const AmsPlace *consumer, gpointer user);
AmsRamResult ams_ram_add_resource (AmsRam *ram, const char *arn, AmsRamType type,
                                   const char *owner, const char *region,
                                   AmsRamKeyCheck key_check, gpointer key_user);

/* Shares `arn` with a principal: an account id, an organization ARN or an
 * OU ARN (the latter inside or outside the owner's organization).
 * `caller` must be the owner. `owner_place` says where the owner sits.
 * Result OK when access is immediate (inside the owner's organization with
 * RAM sharing enabled), PENDING when invitations go out; *invitation (may be
 * NULL) gets an id to accept later (0 when none). */
AmsRamResult ams_ram_share (AmsRam *ram, const char *arn, const char *caller,
                            const AmsPlace *owner_place, const char *principal,
                            guint64 *invitation);
/* The consumer accepts an invitation: from now on it has access. */
AmsRamResult ams_ram_accept (AmsRam *ram, guint64 invitation, const char *account);
AmsRamResult ams_ram_unshare (AmsRam *ram, const char *arn, const char *caller,
                              const char *principal);
AmsRamResult ams_ram_delete_resource (AmsRam *ram, const char *arn, const char *caller);

/* May `who` use (read, build with) the resource in `region`? The owner
 * always; a consumer covered by an active share (accepted, or immediate).
 * Returns AMS_RAM_OK, AMS_RAM_WRONG_REGION, AMS_RAM_PENDING (invited, not
 * accepted), AMS_RAM_KEY_NOT_SHARED or AMS_RAM_UNKNOWN (no access). */
AmsRamResult ams_ram_can_use (const AmsRam *ram, const char *arn, const AmsPlace *who,
                              const char *region);
/* A consumer resource (e.g. a recipe of account `consumer`) depends on the
 * shared one; while any such dependency exists, unsharing from a principal
 * that covers the consumer fails with AMS_RAM_IN_USE. */
AmsRamResult ams_ram_add_dependency (AmsRam *ram, const char *arn, const AmsPlace *consumer,
                                     const char *dependent_arn);
AmsRamResult ams_ram_remove_dependency (AmsRam *ram, const char *arn, const char *dependent_arn);
/* Consumers may never modify, delete or re-share a shared resource. */
gboolean ams_ram_can_modify (const AmsRam *ram, const char *arn, const char *account);

G_END_DECLS
