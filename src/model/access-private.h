/* amisim — the parts of the permission checks (access.c) that the other
 * checks of the model share: who acts, asking the evaluator, KMS keys, and
 * turning a refusal into a blocker. Not part of the public contract; the
 * supply chain's checks (supply.c) use them, so that a key policy or an
 * SCP refuses a consumer of a shared component exactly as it refuses a
 * copy.
 */
#pragma once

#include "amisim/access.h"

G_BEGIN_DECLS

/* Who makes a request: a role, an account's root user or a service. */
typedef struct
{
  const AmsAccount *account;
  const char *arn;          /* built once per AmsAccess (the service-linked role,
                               an account's root, its cross-account role), or arn_buf */
  AmsPolicy *const *identity;
  guint n_identity;
  gboolean service_linked;  /* SCPs do not apply to service-linked roles */
  const char *what;         /* "role arn:aws:iam::222…:role/…"; built once, or what_buf */
  char arn_buf[256];        /* other roles (not to be copied: arn and what may point here) */
  char what_buf[200];
} AmsActor;

/* Does the trust policy of `role` (of `acct`, ARN role_arn) let the AWS
 * service `service` ("imagebuilder.amazonaws.com") assume it, with the
 * context `ctx` (aws:SourceAccount, aws:SourceArn; NULL: none)? The
 * verdict in *v (initialised by the call). */
gboolean ams__service_trusts (const AmsScRole *role, const char *role_arn, const AmsAccount *acct,
                              const char *service, AmsContext *ctx, AmsVerdict *v);
/* Gives b (filled by ams__block) the verdict behind it; *v is taken. */
void ams__block_verdict (AmsBlocker *b, AmsVerdict *v);
/* Will lifecycle policy lp run: ENABLED, or made so by an event? */
gboolean ams__lifecycle_runs (const AmsScenario *sc, const AmsScLifecyclePolicy *lp);
/* The owner's Image Builder service-linked role. */
void ams__actor_slr (AmsAccess *ax, const AmsAccount *owner, AmsActor *a);
/* A role of `acct`, with its identity policies (managed ones by name, then
 * inline). */
void ams__actor_role (AmsAccess *ax, const AmsAccount *acct, const AmsScRole *role,
                      AmsActor *a);
/* An account's root user (IAM allows it everything; SCPs and resource
 * policies still apply). */
void ams__actor_root (AmsAccess *ax, const AmsAccount *acct, AmsActor *a);
/* The context keys the service supplies for the actor's requests. */
AmsContext *ams__principal_context (const AmsActor *a);

/* Fills a blocker. */
void ams__block (AmsBlocker *b, AmsCause cause, AmsStep step, const AmsAccount *account,
                 const AmsRegion *region, const char *resource, const char *fmt, ...)
  G_GNUC_PRINTF (7, 8);

/* Asks the evaluator (the actor's identity policies, `resource_policy`,
 * the actor's SCPs); on refusal fills `b` with the cause that follows from
 * the part that refused: scp_denies for an SCP, `resource_cause` for the
 * resource policy, `identity_cause` for the actor's own policies; `hint`
 * ends the message (not for SCPs). */
gboolean ams__decide (const AmsWorld *w, const AmsActor *actor, const char *action,
                      const char *resource, const AmsAccount *resource_account,
                      const AmsPolicy *resource_policy, AmsResourceKind kind, AmsContext *ctx,
                      AmsStep step, const AmsRegion *region, AmsCause identity_cause,
                      AmsCause resource_cause, const char *hint, AmsBlocker *b);

/* The key found by a lookup is usable at all: it exists where needed and
 * is enabled; `purpose` starts the message ("the image's key"). */
gboolean ams__key_usable (AmsKeyLookup lookup, const AmsKeyInfo *k, const char *ref,
                          const AmsAccount *where, const AmsRegion *region, AmsStep step,
                          const char *purpose, AmsBlocker *b);
/* The actor may use key k for every action listed (NULL-terminated). */
gboolean ams__key_allows (AmsAccess *ax, const AmsActor *actor, const AmsKeyInfo *k,
                          const char *const *actions, AmsStep step, AmsBlocker *b);

/* What launching from an encrypted AMI asks of its key. */
extern const char *const ams__launch_key_actions[];

/* ams_access_check_copy_phase without its cache (for tests). */
gboolean ams__access_check_copy_phase_uncached (AmsAccess *ax, const AmsCopySpec *spec,
                                                AmsCopyPhase phase, AmsBlocker *b);

/* The world the checks look at. */
const AmsWorld *ams__access_world (const AmsAccess *ax);

G_END_DECLS
