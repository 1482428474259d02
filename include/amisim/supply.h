/* amisim — the supply chain: Image Builder components, recipes and images
 * as resources of their owners, shared with other accounts through RAM
 * resource shares or resource policies, and what a pipeline's build can
 * use at a given moment (DOMAIN.md §5).
 *
 * A pipeline's build uses its recipe, the recipe's parent image and its
 * components. Each reference names a version, a build version, or a
 * pattern with x wildcards ("x.x.x": the newest version the account can
 * use). A build may use a resource when it is the account's own, or AWS's,
 * or a RAM share holding it has an associated principal covering the
 * account, or the resource's policy allows the account; and the resource
 * is in the build's region (shares never cross regions), its KMS key (if
 * any) allows the account, and, for a parent image, the image's AMI may be
 * launched by the account. When a build cannot, the blocker says why with
 * a stable cause (resource_not_shared, invitation_pending,
 * org_sharing_disabled, external_principal_denied, resource_wrong_region,
 * resource_unavailable, parent_ami_not_shared, key_*, scp_denies), the
 * account, the resource and the fix.
 *
 * The supply chain changes as the run goes: pipelines build new image
 * versions (the engine reports them; shares listing the pipeline under
 * associate_new_images take them in), invitations are answered or expire,
 * and what-if events add and remove resources and principals, publish
 * component versions and delete resources. Each change bumps the epoch, so
 * that callers can keep answers until it moves. `amisim explain` runs the
 * same checks on a supply of its own.
 *
 * The module knows the world and the policy evaluator; it keeps no clock.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include "amisim/access.h"
#include "amisim/scenario.h"
#include "amisim/world.h"

G_BEGIN_DECLS

typedef struct AmsSupply AmsSupply;

/* The supply chain of `w`'s scenario: its components, recipes and image
 * families, its shares (holding their resources, no principals yet: see
 * ams_supply_start) and resource policies. The world and `ax` must
 * outlive it. */
AmsSupply *ams_supply_new (const AmsWorld *w, AmsAccess *ax);
void ams_supply_free (AmsSupply *s); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsSupply, ams_supply_free)

/* Called for each invitation sent: `answerer` is the account that answers
 * it (the invited account; for an organization or OU, its organization's
 * management account), NULL when the scenario has no such account (then
 * nobody answers and it expires). */
typedef void (*AmsInvitedFn) (guint invitation, const AmsAccount *answerer, gpointer user);

/* The shares' principals are associated, as when the run starts: members
 * of the owner's organization at once when it has RAM sharing enabled,
 * everyone else invited (each invitation reported to `invited`, which may
 * be NULL). Call once. */
void ams_supply_start (AmsSupply *s, AmsInvitedFn invited, gpointer user);

/* Bumped by every change that can change an answer of ams_supply_resolve. */
uint64_t ams_supply_epoch (const AmsSupply *s);

/* ---- pipelines as consumers ---- */

/* How many things a build of pipeline i uses that the supply chain
 * decides (its recipe when it is not the pipeline's own recipe block, an
 * Image Builder parent image, each component); 0: the pipeline builds as
 * if there were no supply chain. */
guint ams_supply_n_uses (const AmsSupply *s, guint pipeline);

/* One thing a build uses, resolved. */
typedef struct
{
  uint64_t serial;   /* the version's identity: another serial is another version */
  const char *arn;   /* the version used (borrowed, valid until the next change) */
  gpointer user;     /* what the caller attached to an image version, or NULL */
  gboolean follows;  /* the reference follows new versions (x wildcards) */
} AmsSupplyUse;

/* What a build of pipeline i would use now: TRUE with uses[0 … n_uses-1]
 * filled, or FALSE with the first blocker in *b (initialised by the call;
 * clear it after), whose account and region are the pipeline's. */
gboolean ams_supply_resolve (AmsSupply *s, guint pipeline, AmsSupplyUse *uses, AmsBlocker *b);

/* ---- images, as pipelines build them ---- */

/* Whether pipeline i's images are resources others may use (a recipe
 * references its image, a share takes them in, a policy or an event names
 * them): only such images need reporting. */
gboolean ams_supply_producer (const AmsSupply *s, guint pipeline);

/* Build `build` of pipeline i became AVAILABLE: a new version of its
 * image, joining the shares that list the pipeline under
 * associate_new_images; `user` stays attached to it. */
void ams_supply_image_available (AmsSupply *s, guint pipeline, uint64_t build, gpointer user);

typedef enum
{
  AMS_SUPPLY_DEPRECATED,
  AMS_SUPPLY_DISABLED,
  AMS_SUPPLY_DELETED,
} AmsSupplyState;

/* Lifecycle changed an image: it is no longer a version builds may take. */
void ams_supply_image_state (AmsSupply *s, guint pipeline, uint64_t build, AmsSupplyState st);

/* ---- invitations and what-if events ---- */

/* An invitation answered by `who` (accept: TRUE, reject: FALSE); FALSE if
 * it could not be (already answered, expired, withdrawn). */
gboolean ams_supply_answer (AmsSupply *s, guint invitation, const AmsAccount *who, gboolean accept);
/* The invitation's time is up (simulation.ram.invitation_expiry): TRUE if
 * it was still pending and has expired. */
gboolean ams_supply_expire (AmsSupply *s, guint invitation);
/* The share and the principal an invitation is for (for messages). */
const char *ams_supply_invitation_share (const AmsSupply *s, guint invitation);
const char *ams_supply_invitation_principal (const AmsSupply *s, guint invitation);

/* A supply-chain event (associate_resource_share, disassociate_resource_share,
 * accept_invitation, reject_invitation, delete_resource, publish_component)
 * at the simulated moment. TRUE when the service does it (new invitations
 * go to `invited`); FALSE when it refuses, with the blocker in *b
 * (initialised by the call; clear it after): not_resource_owner,
 * resource_still_shared, resource_in_use, resource_quota_exceeded,
 * resource_unavailable, resource_wrong_region, resource_not_shared. */
gboolean ams_supply_event (AmsSupply *s, const AmsScEvent *ev, AmsInvitedFn invited,
                           gpointer user, AmsBlocker *b);

/* The ARN of the version the last successful publish_component made
 * (borrowed, until the next change), or NULL. */
const char *ams_supply_last_created (const AmsSupply *s);
/* Attaches `user` to the version of that ARN (as ams_supply_image_available
 * does for images); FALSE if there is no such version. */
gboolean ams_supply_attach (AmsSupply *s, const char *arn, gpointer user);

/* ---- explain ---- */

/* The preflight of `amisim explain`: starts the supply (ams_supply_start),
 * gives each pipeline whose images others use its first image (so that a
 * reference to an image not built yet is judged as the first build will
 * be), then checks every pipeline's build as the run starts. A pending
 * invitation is a blocker (builds fail until it is accepted; the message
 * says when it will be, from the account's ram_invitations); one never
 * answered is reported twice: invitation_pending, then
 * resource_not_shared once it expires. Returns the number of checks. */
guint ams_supply_check_all (AmsSupply *s, AmsPipelineBlockerFn fn, gpointer user);

/* Then the events, in time order, on the same supply: each one the service
 * would refuse, with its blocker. Invitations are taken as answered the way
 * their accounts' settings say (accepted, or expired once expiry has
 * passed). Returns the number of events checked. */
typedef void (*AmsEventBlockerFn) (const AmsScEvent *ev, const AmsBlocker *b, gpointer user);
guint ams_supply_check_events (AmsSupply *s, AmsEventBlockerFn fn, gpointer user);

G_END_DECLS
