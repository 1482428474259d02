/* amisim — the permission checks of distribution, in the order the real
 * service makes them (DOMAIN.md §4).
 *
 * For one copy of an image (owner account to a region, or to a target
 * account through its EC2ImageBuilderDistributionCrossAccountRole), one
 * region's launch permissions, or one launch template update, these
 * functions walk the checks the service would make and report the first
 * that fails, with its stable cause name, the account, region and resource,
 * the deciding (or missing) policy statements, and a sentence that says
 * what to change. `amisim explain` runs them over a whole scenario before
 * anything is simulated; the engine runs the same checks at the simulated
 * moment of each copy, so a key disabled on day 3 fails copies from then.
 *
 * The service-linked role of Image Builder (AWSServiceRoleForImageBuilder)
 * is modelled by a built-in identity policy: sts:AssumeRole on any
 * account's EC2ImageBuilderDistributionCrossAccountRole, the EC2 image and
 * launch template actions, and the KMS actions of distribution, all on
 * any resource (a simplification of the published policy, which narrows
 * some of them with conditions that do not change these decisions).
 */
#pragma once

#include <glib.h>
#include "amisim/cause.h"
#include "amisim/policy.h"
#include "amisim/world.h"

G_BEGIN_DECLS

#define AMS_CROSS_ACCOUNT_ROLE "EC2ImageBuilderDistributionCrossAccountRole"
#define AMS_LIFECYCLE_ROLE "Ec2ImageBuilderCrossAccountLifecycleAccess"

typedef enum
{
  AMS_STEP_REGION,          /* the destination region is usable */
  AMS_STEP_ASSUME_ROLE,     /* assume the destination's cross-account role */
  AMS_STEP_COPY,            /* ec2:CopyImage into the destination */
  AMS_STEP_DECRYPT,         /* use the source key */
  AMS_STEP_ENCRYPT,         /* use the destination key */
  AMS_STEP_SHARE,           /* apply launch permissions */
  AMS_STEP_LAUNCH_TEMPLATE, /* update a launch template */
  AMS_STEP_LIFECYCLE,       /* deregister a copy in another account (lifecycle delete) */
  AMS_STEP_SSM_PARAMETER,   /* write an SSM parameter with the AMI id */
  AMS_STEP_DEPENDENCY,      /* a build uses its recipe, parent image or a component */
  AMS_STEP_RAM,             /* a change to a resource or its sharing (what-if events) */
  AMS_STEP_LAUNCH,          /* a consumer launches an instance from an AMI */
  AMS_STEP_BUILD,           /* the build instance (its instance profile) */
  AMS_STEP_EXECUTION,       /* a lifecycle policy's execution role */
} AmsStep;

/* "region", "assume_role", "copy", "decrypt", "encrypt", "share", "launch_template",
 * "lifecycle", "ssm_parameter", "dependency", "ram", "launch", "build", "execution". */
const char *ams_step_name (AmsStep s);

typedef struct
{
  AmsCause cause;
  AmsStep step;
  const AmsAccount *account;  /* where it fails (destination or consumer account) */
  const AmsRegion *region;
  char *resource;             /* the resource concerned (role, key, AMI, template ARN) */
  char *message;              /* what is wrong and what to change, one paragraph */
  AmsVerdict verdict;         /* the policy decision behind it, when one decided */
} AmsBlocker;

void ams_blocker_init (AmsBlocker *b);
/* Releases what *b holds; safe on a zeroed or already cleared blocker. */
void ams_blocker_clear (AmsBlocker *b);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AmsBlocker, ams_blocker_clear)

typedef struct AmsAccess AmsAccess;

/* The checks over `w` (which must outlive it). */
AmsAccess *ams_access_new (const AmsWorld *w);
void ams_access_free (AmsAccess *ax); /* accepts NULL */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AmsAccess, ams_access_free)

/* One image output and where it goes. */
typedef struct
{
  const AmsScPipeline *pipeline;
  const AmsAccount *owner;
  const AmsRegion *source_region;   /* the build region */
  const AmsScDistRegion *entry;     /* the distribution entry of `region` */
  const AmsRegion *region;          /* the destination region */
  const AmsAccount *target;         /* the owner itself for the owner's copy */
} AmsCopySpec;

/* Whether the copy spec->target receives in spec->region is encrypted: the
 * image is, or the region's entry names a kmsKeyId or says encrypted: true. */
gboolean ams_access_copy_encrypted (const AmsCopySpec *spec);

/* The checks for one copy. TRUE if it may go ahead; otherwise FALSE with
 * the first blocker in *out (initialised by the call; clear it after). The
 * blocker names the copy's own destination (spec->target, spec->region),
 * whatever refused it: a key check names the key as the resource. */
gboolean ams_access_check_copy (AmsAccess *ax, const AmsCopySpec *spec, AmsBlocker *out);

/* The same checks in the two moments the service makes them: when it asks
 * for the copy (regions, the cross-account role and its trust,
 * ec2:CopyImage: refused at once), and when the copy's snapshots are
 * transferred (the source and destination keys: the copy fails then). */
typedef enum
{
  AMS_COPY_AT_REQUEST,
  AMS_COPY_AT_TRANSFER,
} AmsCopyPhase;

/* The question a copy's checks ask, as a dense number (0, 1, 2, … in the
 * order first seen): two specs get the same number exactly when
 * ams_access_check_copy_phase reads the same inputs for them, so that in
 * any world, at either phase, it answers them alike. An estate's many
 * pipelines copying to the same account and region mostly ask one. */
guint ams_access_copy_question (AmsAccess *ax, const AmsCopySpec *spec);

/* The question numbers of a list's targets, as ams_access_copy_question
 * gives them one by one (spec with target = targets[i]; G_MAXUINT for a
 * target that is spec's owner, which asks none). `list` is what the
 * targets were resolved from (a targetAccountIds list of the scenario) and
 * must outlive ax: the same spec and list give the same numbers at once,
 * the array they are in (borrowed, n of them). In an estate, every
 * pipeline of an owner copies to one list of accounts in each region. */
const guint *ams_access_copy_questions (AmsAccess *ax, const AmsCopySpec *spec, gconstpointer list,
                                        const AmsAccount *const *targets, guint n);

gboolean ams_access_check_copy_phase (AmsAccess *ax, const AmsCopySpec *spec, AmsCopyPhase phase,
                                      AmsBlocker *out);

/* Called for each blocker found by the multi-result checks below; the
 * blocker is cleared after the call returns. */
typedef void (*AmsBlockerFn) (const AmsBlocker *b, gpointer user);

/* Launch permissions of the owner's AMI in spec->region (spec->target is
 * ignored): the AWS managed key rule, block public access, the sharing
 * limit, and for encrypted AMIs whether every account the permissions
 * cover may use the AMI's key. Returns the number of blockers reported. */
guint ams_access_check_shares (AmsAccess *ax, const AmsCopySpec *spec, AmsBlockerFn fn,
                               gpointer user);

/* The launch template updates of spec->entry (spec->target ignored).
 * Returns the number of blockers reported. */
guint ams_access_check_launch_templates (AmsAccess *ax, const AmsCopySpec *spec,
                                         AmsBlockerFn fn, gpointer user);

/* Lifecycle deletion of the copy spec->target received: Image Builder, as
 * the service imagebuilder.amazonaws.com, assumes the target's
 * Ec2ImageBuilderCrossAccountLifecycleAccess role (its trust must allow the
 * service with aws:SourceAccount = the owner and an image aws:SourceArn),
 * then deregisters the AMI and deletes its snapshots with that role's
 * permissions (the images carry CreatedBy = EC2 Image Builder). Not needed
 * for the owner's own AMIs. TRUE if deletion may proceed; otherwise FALSE
 * with a lifecycle_role_missing (or scp_denies) blocker in *out. */
gboolean ams_access_check_lifecycle_delete (AmsAccess *ax, const AmsCopySpec *spec,
                                            AmsBlocker *out);

/* Every check of the world's scenario, in order: for each pipeline and
 * distribution region, the owner's copy (outside the build region) and
 * each target account's copy, then the region's launch permissions, then
 * its launch template updates. `fn` gets each blocker with its pipeline.
 * Returns the number of checks made. */
typedef void (*AmsPipelineBlockerFn) (const AmsScPipeline *pipeline, const AmsBlocker *b,
                                      gpointer user);
guint ams_access_check_all (AmsAccess *ax, AmsPipelineBlockerFn fn, gpointer user);

/* The SSM parameter outputs of spec->entry (spec->target ignored): the
 * owner's service-linked role, or the parameter account's cross-account
 * role, needs ssm:PutParameter on the parameter. Returns the number of
 * blockers reported. */
guint ams_access_check_ssm_parameters (AmsAccess *ax, const AmsCopySpec *spec, AmsBlockerFn fn,
                                       gpointer user);

/* The key the owner's AMI in spec->region is encrypted with (the recipe's
 * key in the build region, the entry's kmsKeyId elsewhere, else the AWS
 * managed key), when that AMI is encrypted (see ams_access_copy_encrypted);
 * FALSE when it is not. */
gboolean ams_access_image_key (AmsAccess *ax, const AmsCopySpec *spec, AmsKeyInfo *out,
                               AmsKeyLookup *lookup);

/* A consumer (`consumer`) launches an instance in `region` from an AMI
 * (named by `ami` in messages) encrypted with key k (found by `found` from
 * the reference `ref`): the key must be usable and its policy (and the
 * consumer's SCPs) must allow the consumer what EC2 asks at launch:
 * kms:DescribeKey, kms:CreateGrant, kms:Decrypt. TRUE if it may; otherwise
 * FALSE with the blocker (the consumer's account and region, step launch)
 * in *b, initialised by the call. */
gboolean ams_access_check_launch (AmsAccess *ax, const AmsAccount *consumer,
                                  const AmsRegion *region, const char *ami,
                                  const AmsKeyInfo *k, AmsKeyLookup found, const char *ref,
                                  AmsBlocker *b);

/* A lifecycle policy's execution role: it exists in the policy's account
 * (lifecycle_role_missing), its trust lets imagebuilder.amazonaws.com
 * assume it for the policy (aws:SourceAccount, aws:SourceArn), and its
 * policies (and SCPs) allow what the policy's rules do: deprecate, disable
 * and deregister Image Builder's AMIs, delete their snapshots and the
 * images, delete container images (lifecycle_execution_denied). TRUE if the
 * policy can run; otherwise FALSE with the blocker (the policy's account
 * and region, step execution) in *b, initialised by the call. */
gboolean ams_access_check_execution_role (AmsAccess *ax, const AmsScLifecyclePolicy *lp,
                                          AmsBlocker *b);

/* The instance profile of pl's builds (its infrastructure configuration's
 * instanceProfileName, a role of the pipeline's account): it exists
 * (instance_profile_missing), its trust lets ec2.amazonaws.com assume it,
 * and its policies (and SCPs) allow what a build does: the Systems Manager
 * agent's calls, imagebuilder:GetComponent on the recipe's components, and
 * for a container recipe the ECR pushes to its repository
 * (instance_profile_denied). TRUE when the pipeline names no
 * infrastructure configuration. */
gboolean ams_access_check_instance_profile (AmsAccess *ax, const AmsScPipeline *pl,
                                            AmsBlocker *b);

/* Lifecycle actions on pl's container images need its ECR repository
 * tagged LifecycleExecutionAccess: EC2 Image Builder
 * (ecr_repository_tag_missing, in the owner's account and build region). */
gboolean ams_access_check_repository_tag (AmsAccess *ax, const AmsScPipeline *pl, AmsBlocker *b);

/* Every lifecycle policy that runs (ENABLED, or enabled by an event): its
 * execution role, and for a container policy that deletes, the repository
 * of each pipeline it selects. Calls fn for each blocker; returns the
 * number of checks made. */
typedef void (*AmsLifecycleBlockerFn) (const AmsScLifecyclePolicy *policy, const AmsBlocker *b,
                                       gpointer user);
guint ams_access_check_lifecycle (AmsAccess *ax, AmsLifecycleBlockerFn fn, gpointer user);

G_END_DECLS
