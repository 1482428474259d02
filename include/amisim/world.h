/* amisim — the world: regions, accounts, organizations and their OU trees,
 * KMS keys and IAM roles.
 *
 * The world is built once from a validated scenario and is read-only while
 * a simulation runs. Entities get dense indices (0..n-1) so that the engine
 * can keep per-entity state in plain arrays; lookups by name go through hash
 * tables and are meant for set-up and checks, not for the event loop.
 *
 * Accounts created by account_sets share their template's keys, roles and
 * settings (nothing is copied per account: the template's scenario entry is
 * the account's `proto`), so ten thousand accounts cost ten thousand small
 * records.
 */
#pragma once

#include <glib.h>
#include "amisim/policy.h"
#include "amisim/scenario.h"
#include "amisim/sharing.h"

G_BEGIN_DECLS

typedef struct
{
  guint index;
  const char *name;        /* borrowed from the scenario */
  gboolean pv_supported;
  gboolean opt_in;
} AmsRegion;

typedef struct AmsOrg AmsOrg;
typedef struct AmsOrgNode AmsOrgNode;

/* The root or an OU of an organization. */
struct AmsOrgNode
{
  const char *id;          /* r-… or ou-… */
  const char *name;        /* may be NULL */
  const AmsOrgNode *parent;/* NULL for the root */
  const AmsOrg *org;
  const char *path;        /* org path down to this node, with a trailing slash:
                              "o-x/r-y/" for the root, "o-x/r-y/ou-a/" for an OU */
  GPtrArray *scps;         /* of AmsPolicy* attached here (borrowed) */
  guint depth;             /* 0 for the root */
};

struct AmsOrg
{
  guint index;
  const char *id;          /* o-… */
  const char *management_account;
  const char *arn;         /* arn:aws:organizations::<mgmt>:organization/o-… */
  gboolean ram_sharing;
  gboolean scps_enabled;   /* any SCP is attached anywhere in the organization */
  AmsOrgNode *root;
};

typedef struct
{
  guint index;
  const char *id;          /* 12 digits */
  const char *name;        /* may be NULL */
  const AmsOrgNode *parent;/* root or OU it sits in; NULL outside organizations */
  /* Where keys, roles and settings come from: the account's own scenario
   * entry, or its set's template; NULL for a set account with no template
   * (no keys, no roles, default settings). */
  const AmsScAccount *proto;
  GPtrArray *scps;         /* of AmsPolicy* attached to the account itself; may be NULL */
} AmsAccount;

typedef struct AmsWorld AmsWorld;

/* Builds the world of a validated scenario. The world borrows strings and
 * policies from `sc`, which must outlive it. Never NULL. */
AmsWorld *ams_world_new (const AmsScenario *sc);
void ams_world_free (AmsWorld *w); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsWorld, ams_world_free)

const AmsScenario *ams_world_scenario (const AmsWorld *w);

guint ams_world_n_regions (const AmsWorld *w);
guint ams_world_n_accounts (const AmsWorld *w);
guint ams_world_n_orgs (const AmsWorld *w);
const AmsRegion *ams_world_region (const AmsWorld *w, guint index);
const AmsAccount *ams_world_account (const AmsWorld *w, guint index);
const AmsOrg *ams_world_org (const AmsWorld *w, guint index);
/* NULL when there is no such region / account / organization / root or OU. */
const AmsRegion *ams_world_find_region (const AmsWorld *w, const char *name);
const AmsAccount *ams_world_find_account (const AmsWorld *w, const char *id);
const AmsOrg *ams_world_find_org (const AmsWorld *w, const char *id);
const AmsOrgNode *ams_world_find_org_node (const AmsWorld *w, const char *id);

/* ---- accounts ---- */

/* The organization an account belongs to, or NULL. */
const AmsOrg *ams_account_org (const AmsAccount *a);
/* Its org path (aws:PrincipalOrgPaths value), or NULL outside organizations. */
const char *ams_account_org_path (const AmsAccount *a);
/* Where it sits, for the sharing rules. */
void ams_account_place (const AmsAccount *a, AmsPlace *out);
/* Can the account use `region`: not opt-in, or enabled by the account? */
gboolean ams_account_region_enabled (const AmsAccount *a, const AmsRegion *region);
gboolean ams_account_blocks_public_amis (const AmsAccount *a);
/* An IAM role of the account by name (case-insensitive, as IAM), as the
 * world now has it (events may have deleted it or edited its trust), or NULL. */
const AmsScRole *ams_world_find_role (const AmsWorld *w, const AmsAccount *a, const char *name);
/* TRUE if the account is the management account of its organization
 * (SCPs never apply to it). */
gboolean ams_account_is_management (const AmsAccount *a);

/* The SCP layers that apply to principals of `a`, from the root down to the
 * account, each with the policies attached at that level, ready for an
 * AmsPolicySet. A level with nothing attached counts as FullAWSAccess (as
 * AWS attaches it by default) and is left out. No layers at all outside an
 * organization, in organizations without SCPs, and for the management
 * account. */
/* AWS nests OUs at most 5 deep below the root: root + 5 OUs + account. */
#define AMS_SCP_MAX_LAYERS 7

typedef struct
{
  guint n;
  AmsPolicy *const *layer[AMS_SCP_MAX_LAYERS]; /* borrowed from the world */
  guint count[AMS_SCP_MAX_LAYERS];
  const char *name[AMS_SCP_MAX_LAYERS];        /* "r-…", "ou-…" or the account id */
} AmsScpLayers;

/* Fills *out; allocates nothing. */
void ams_world_scp_layers (const AmsWorld *w, const AmsAccount *a, AmsScpLayers *out);
/* Points `set`'s SCP fields at `l` (valid while `l` is). */
void ams_scp_layers_apply (const AmsScpLayers *l, AmsPolicySet *set);

/* ---- KMS keys ---- */

typedef struct
{
  const AmsScKey *key;     /* NULL for the AWS managed key */
  gboolean aws_managed;    /* alias/aws/ebs */
  const AmsAccount *account;
  const AmsRegion *region;
  AmsKeyState state;
  char arn[160];           /* arn:aws:kms:<region>:<account>:key/<id> (aws/ebs: alias ARN) */
} AmsKeyInfo;

typedef enum
{
  AMS_KEY_FOUND,
  AMS_KEY_NOT_FOUND,       /* no such key in that account and region */
  AMS_KEY_OTHER_REGION,    /* the reference names a key in another region */
} AmsKeyLookup;

/* Resolves a key reference (key id, alias, key ARN, alias ARN; NULL means
 * the AWS managed EBS key) as seen from `account` in `region`: ids and
 * aliases are looked up there, ARNs name their own account and region.
 * "alias/aws/ebs" is the AWS managed key, which exists everywhere. */
AmsKeyLookup ams_world_find_key (const AmsWorld *w, const char *ref, const AmsAccount *account,
                                 const AmsRegion *region, AmsKeyInfo *out);

/* The key policy that governs `k`: its own, the default key policy (the
 * account root may use the key; IAM policies decide) when it has none, or
 * the AWS managed key's policy (use through EC2 by principals of the owning
 * account only). Borrowed; compiled once per world and account as needed. */
const AmsPolicy *ams_world_key_policy (const AmsWorld *w, const AmsKeyInfo *k);

/* ---- what-if changes (events) ----
 * Each changes the world from now on; the caller (the engine) makes its
 * cached decisions again. */

void ams_world_set_key_state (AmsWorld *w, const AmsKeyInfo *k, AmsKeyState state);
/* Replaces the key's policy by an edit of it (ams_policy_edit). FALSE for
 * the AWS managed key. */
gboolean ams_world_edit_key_policy (AmsWorld *w, const AmsKeyInfo *k, const char *remove_sid,
                                    AmsPolicy *add, guint *removed);
/* Edits the trust policy of a role of `a`; FALSE if it has no such role. */
gboolean ams_world_edit_trust (AmsWorld *w, const AmsAccount *a, const char *role,
                               const char *remove_sid, AmsPolicy *add, guint *removed);
/* Removes statement i of the key's policy (its own, or the default key
 * policy it has none), whatever its Sid; FALSE for the AWS managed key or
 * an i out of range. */
gboolean ams_world_remove_key_statement (AmsWorld *w, const AmsKeyInfo *k, guint i);
/* Removes statement i of a role's trust policy (`policy` < 0) or of its
 * inline policy number `policy`; FALSE if there is no such role, policy or
 * statement. */
gboolean ams_world_remove_role_statement (AmsWorld *w, const AmsAccount *a, const char *role,
                                          int policy, guint i);
/* Deletes a role of `a`; FALSE if it has no such role. */
gboolean ams_world_delete_role (AmsWorld *w, const AmsAccount *a, const char *role);
/* Moves `a` into the root or OU `to` of its own organization (or, outside
 * one, into `to`'s organization). */
void ams_world_move_account (AmsWorld *w, const AmsAccount *a, const AmsOrgNode *to);
/* Applies a what-if event that changes the world (a key's state, a key or
 * trust policy's statements, a role, an account's place in its
 * organization) and returns TRUE; FALSE, changing nothing, for any other
 * kind of event. */
gboolean ams_world_apply_event (AmsWorld *w, const AmsScEvent *ev);

/* A number that every change above (and so every applied event) increases
 * and nothing else does: whatever was decided from the world at one
 * generation holds as long as the generation is the same. Starts at 0. */
guint64 ams_world_generation (const AmsWorld *w);

G_END_DECLS
