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

/* ---- RAM resource shares of Image Builder resources -------------------- */

/* A resource share (RAM CreateResourceShare) belongs to one account in one
 * region and holds resources (ARNs) and principals (account ids,
 * organization ARNs, OU ARNs). A principal is associated at once when it
 * is inside the owner's organization and that organization has RAM sharing
 * enabled; an organization or OU principal inside the owner's organization
 * without it fails; every other principal gets an invitation, and has
 * access once the invitation is accepted (declined when rejected or when
 * it expires). Outside the owner's organization a share whose
 * allowExternalPrincipals is false cannot take the principal at all.
 *
 * The module decides who may use what and keeps no clock: the caller says
 * when invitations are answered or expire, and checks ownership and
 * regions (it knows the resources). Where accounts sit is passed in at
 * each call (AmsPlace), so a moved account is judged where it is now. */

typedef enum
{
  AMS_RAM_OK,
  AMS_RAM_PENDING,            /* an invitation was sent: access once it is accepted */
  AMS_RAM_UNKNOWN,            /* no such share, resource, principal or invitation, or no
                                 share gives the account the resource */
  AMS_RAM_ORG_SHARING_DISABLED, /* an organization or OU of the owner's organization, which
                                 has not enabled RAM sharing: the association failed */
  AMS_RAM_EXTERNAL_NOT_ALLOWED, /* outside the owner's organization, and the share does not
                                 allow external principals: the association failed */
  AMS_RAM_REJECTED,           /* the invitation was rejected */
  AMS_RAM_EXPIRED,            /* the invitation expired unanswered (RAM declines it) */
  AMS_RAM_BAD_PRINCIPAL,      /* not an account id, organization ARN or OU ARN */
  AMS_RAM_ALREADY,            /* already associated, or the invitation already answered */
  AMS_RAM_NOT_ADDRESSED,      /* the account may not answer this invitation */
} AmsRamResult;

/* A stable snake_case name ("org_sharing_disabled"). */
const char *ams_ram_result_name (AmsRamResult r);

typedef struct AmsRam AmsRam;

AmsRam *ams_ram_new (void);
void ams_ram_free (AmsRam *ram); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsRam, ams_ram_free)

/* The organization has enabled RAM sharing (EnableSharingWithAwsOrganization). */
void ams_ram_enable_org_sharing (AmsRam *ram, const char *org_id);
gboolean ams_ram_org_sharing (const AmsRam *ram, const char *org_id);

/* A new, empty share; strings copied. Returns its index (0, 1, …). */
guint ams_ram_create_share (AmsRam *ram, const char *name, const char *owner,
                            const char *region, gboolean allow_external);
guint ams_ram_n_shares (const AmsRam *ram);
const char *ams_ram_share_name (const AmsRam *ram, guint share);
const char *ams_ram_share_owner (const AmsRam *ram, guint share);
const char *ams_ram_share_region (const AmsRam *ram, guint share);
/* The share named so, or FALSE. */
gboolean ams_ram_find_share (const AmsRam *ram, const char *name, guint *share);

/* Resources (ARNs, copied). Associating one already there answers
 * AMS_RAM_ALREADY; disassociating one not there AMS_RAM_UNKNOWN. */
AmsRamResult ams_ram_associate_resource (AmsRam *ram, guint share, const char *arn);
AmsRamResult ams_ram_disassociate_resource (AmsRam *ram, guint share, const char *arn);
/* Whether the share holds the resource / any share does (a resource in a
 * share counts as shared, whatever its principals). */
gboolean ams_ram_share_has_resource (const AmsRam *ram, guint share, const char *arn);
gboolean ams_ram_is_shared (const AmsRam *ram, const char *arn);

/* Adds a principal. `owner` says where the share's owner sits now;
 * `place` where an account principal sits (NULL: in no organization the
 * scenario knows). Returns AMS_RAM_OK (associated at once), AMS_RAM_PENDING
 * (an invitation: *invitation gets its id, which may be NULL),
 * AMS_RAM_ORG_SHARING_DISABLED or AMS_RAM_EXTERNAL_NOT_ALLOWED (the
 * association failed; it stays listed so that uses can say why),
 * AMS_RAM_BAD_PRINCIPAL or AMS_RAM_ALREADY. */
AmsRamResult ams_ram_associate_principal (AmsRam *ram, guint share, const AmsPlace *owner,
                                          const char *principal, const AmsPlace *place,
                                          guint *invitation);
/* Removes a principal (and withdraws its invitation); AMS_RAM_UNKNOWN if
 * it is not associated. */
AmsRamResult ams_ram_disassociate_principal (AmsRam *ram, guint share, const char *principal);
guint ams_ram_n_principals (const AmsRam *ram, guint share);
const char *ams_ram_principal (const AmsRam *ram, guint share, guint i);
/* Whether principal i of the share (whatever its state) covers `who`: the
 * account itself, or an organization or OU above it. */
gboolean ams_ram_principal_covers (const AmsRam *ram, guint share, guint i, const AmsPlace *who);

/* ---- invitations (one per share and principal) ---- */

/* The invitation of `share` that `who` may answer (addressed to its
 * account, or to an organization or OU it is in), or FALSE. */
gboolean ams_ram_find_invitation (const AmsRam *ram, guint share, const AmsPlace *who,
                                  guint *invitation);
/* Invitations sent so far (ids 0 … n-1, whatever became of them). */
guint ams_ram_n_invitations (const AmsRam *ram);
/* The share and principal an invitation is for (NULL once withdrawn). */
guint ams_ram_invitation_share (const AmsRam *ram, guint invitation);
const char *ams_ram_invitation_principal (const AmsRam *ram, guint invitation);
/* `who` accepts or rejects: AMS_RAM_OK, AMS_RAM_NOT_ADDRESSED, AMS_RAM_ALREADY
 * (answered, expired, or withdrawn), AMS_RAM_UNKNOWN (no such invitation). */
AmsRamResult ams_ram_accept (AmsRam *ram, guint invitation, const AmsPlace *who);
AmsRamResult ams_ram_reject (AmsRam *ram, guint invitation, const AmsPlace *who);
/* The invitation's time is up: if still pending it expires (is declined).
 * TRUE if it did. */
gboolean ams_ram_expire (AmsRam *ram, guint invitation);

/* ---- use ---- */

/* May `who` use the resource through a share? AMS_RAM_OK when a principal
 * covering it is associated in a share that holds the resource; otherwise
 * the reason that says most, in this order: AMS_RAM_PENDING,
 * AMS_RAM_ORG_SHARING_DISABLED, AMS_RAM_EXTERNAL_NOT_ALLOWED,
 * AMS_RAM_REJECTED, AMS_RAM_EXPIRED, AMS_RAM_UNKNOWN (no share covers it).
 * *share and *principal (each may be NULL) get the share and principal
 * that decided (unchanged for AMS_RAM_UNKNOWN). Ownership is not
 * considered: the caller knows the owner. */
AmsRamResult ams_ram_can_use (const AmsRam *ram, const char *arn, const AmsPlace *who,
                              guint *share, const char **principal);

G_END_DECLS
