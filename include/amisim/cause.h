/* amisim — failure causes: stable snake_case names (SCENARIO.md §3).
 *
 * A simulated failure is data, not an error: every copy, share or lifecycle
 * action that fails carries one cause, counted in the statistics and named
 * in outputs. The names below are a contract; new causes may be added,
 * none renamed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  AMS_CAUSE_NONE = 0,
  AMS_CAUSE_ROLE_MISSING,             /* destination account lacks the cross-account role */
  AMS_CAUSE_ROLE_TRUST_DENIES,        /* its trust policy does not let the source account in */
  AMS_CAUSE_ROLE_KMS_DENIED,          /* the role's own policies lack the KMS permissions */
  AMS_CAUSE_KEY_POLICY_DENIES,        /* a key policy does not allow the principal */
  AMS_CAUSE_KEY_MISSING_IN_REGION,    /* no such key in the region where it is needed */
  AMS_CAUSE_KEY_DISABLED,
  AMS_CAUSE_KEY_PENDING_DELETION,
  AMS_CAUSE_ENCRYPTED_TO_UNENCRYPTED, /* an encrypted image cannot be copied unencrypted */
  AMS_CAUSE_PV_UNSUPPORTED,           /* PV image to a region without PV */
  AMS_CAUSE_AWS_MANAGED_KEY_SHARE,    /* launch permission on an image under the AWS managed key */
  AMS_CAUSE_PUBLIC_SHARE_BLOCKED,     /* userGroups all while block public access is on */
  AMS_CAUSE_REGION_NOT_ENABLED,       /* opt-in region not enabled by the account */
  AMS_CAUSE_AMI_QUOTA_EXCEEDED,
  AMS_CAUSE_COPY_LIMIT_REJECTED,
  AMS_CAUSE_TRANSIENT,
  AMS_CAUSE_DISTRIBUTION_TIMEOUT,
  AMS_CAUSE_BUILD_FAILED,
  AMS_CAUSE_TEST_FAILED,
  AMS_CAUSE_LAUNCH_TEMPLATE_DENIED,
  AMS_CAUSE_LIFECYCLE_ROLE_MISSING,
  AMS_CAUSE_DEREGISTRATION_PROTECTED,
  AMS_CAUSE_SCP_DENIES,
  /* amisim's own, beyond SCENARIO.md's list */
  AMS_CAUSE_ROLE_EC2_DENIED,          /* the cross-account role may not copy images (managed
                                         policy Ec2ImageBuilderCrossAccountDistributionAccess missing) */
  AMS_CAUSE_SHARE_LIMIT_EXCEEDED,     /* more than 1,000 sharing targets on one AMI */
  AMS_CAUSE_SSM_PARAMETER_DENIED,     /* the SSM parameter output cannot be written */
  AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING, /* lifecycle on container images of a repository
                                         without LifecycleExecutionAccess: EC2 Image Builder */
  /* the supply chain (DOMAIN.md §5): a build that cannot use what its recipe
   * references, and what RAM refuses an owner or a consumer */
  AMS_CAUSE_RESOURCE_NOT_SHARED,      /* no RAM share nor resource policy gives the consumer the
                                         component, image or recipe (or its invitation was
                                         rejected or expired) */
  AMS_CAUSE_INVITATION_PENDING,       /* shared through an invitation not accepted (yet) */
  AMS_CAUSE_ORG_SHARING_DISABLED,     /* shared with an organization or OU while RAM sharing with
                                         the organization is not enabled */
  AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED,/* shared with a principal outside the owner's organization
                                         by a share with allowExternalPrincipals false */
  AMS_CAUSE_RESOURCE_WRONG_REGION,    /* the resource is in another region (shares are regional) */
  AMS_CAUSE_RESOURCE_UNAVAILABLE,     /* no version of the resource exists (yet), or it was deleted,
                                         disabled or deprecated out of reach */
  AMS_CAUSE_PARENT_AMI_NOT_SHARED,    /* the parent image's AMI has no launch permission for the
                                         consumer */
  AMS_CAUSE_NOT_RESOURCE_OWNER,       /* only the owner shares, modifies or deletes a resource */
  AMS_CAUSE_RESOURCE_STILL_SHARED,    /* a resource cannot be deleted while it is shared */
  AMS_CAUSE_RESOURCE_IN_USE,          /* cannot stop sharing what a consumer depends on */
  AMS_CAUSE_RESOURCE_QUOTA_EXCEEDED,  /* the owner's quota of components in the region */
  AMS_CAUSE_LIFECYCLE_EXECUTION_DENIED, /* a lifecycle policy's execution role does not let
                                         imagebuilder.amazonaws.com assume it, or lacks the
                                         permissions its rules need */
  AMS_CAUSE_INSTANCE_PROFILE_MISSING, /* a build's instance profile (role) does not exist */
  AMS_CAUSE_INSTANCE_PROFILE_DENIED,  /* its trust does not let EC2 assume it, or it lacks what a
                                         build needs (the SSM agent, components, ECR pushes) */
  AMS_CAUSE_COUNT
} AmsCause;

/* The stable name ("role_missing"); "none" for AMS_CAUSE_NONE. */
const char *ams_cause_name (AmsCause c);
/* The cause of a name, FALSE if there is none. */
gboolean ams_cause_from_name (const char *name, AmsCause *out);

G_END_DECLS
