/* Failure cause names (cause.h): one table, so that names and enum values
 * cannot drift apart. */
#include <string.h>
#include "amisim/cause.h"

static const char *const names[AMS_CAUSE_COUNT] = {
  [AMS_CAUSE_NONE] = "none",
  [AMS_CAUSE_ROLE_MISSING] = "role_missing",
  [AMS_CAUSE_ROLE_TRUST_DENIES] = "role_trust_denies",
  [AMS_CAUSE_ROLE_KMS_DENIED] = "role_kms_denied",
  [AMS_CAUSE_KEY_POLICY_DENIES] = "key_policy_denies",
  [AMS_CAUSE_KEY_MISSING_IN_REGION] = "key_missing_in_region",
  [AMS_CAUSE_KEY_DISABLED] = "key_disabled",
  [AMS_CAUSE_KEY_PENDING_DELETION] = "key_pending_deletion",
  [AMS_CAUSE_ENCRYPTED_TO_UNENCRYPTED] = "encrypted_to_unencrypted",
  [AMS_CAUSE_PV_UNSUPPORTED] = "pv_unsupported",
  [AMS_CAUSE_AWS_MANAGED_KEY_SHARE] = "aws_managed_key_share",
  [AMS_CAUSE_PUBLIC_SHARE_BLOCKED] = "public_share_blocked",
  [AMS_CAUSE_REGION_NOT_ENABLED] = "region_not_enabled",
  [AMS_CAUSE_AMI_QUOTA_EXCEEDED] = "ami_quota_exceeded",
  [AMS_CAUSE_COPY_LIMIT_REJECTED] = "copy_limit_rejected",
  [AMS_CAUSE_TRANSIENT] = "transient",
  [AMS_CAUSE_DISTRIBUTION_TIMEOUT] = "distribution_timeout",
  [AMS_CAUSE_BUILD_FAILED] = "build_failed",
  [AMS_CAUSE_TEST_FAILED] = "test_failed",
  [AMS_CAUSE_LAUNCH_TEMPLATE_DENIED] = "launch_template_denied",
  [AMS_CAUSE_LIFECYCLE_ROLE_MISSING] = "lifecycle_role_missing",
  [AMS_CAUSE_DEREGISTRATION_PROTECTED] = "deregistration_protected",
  [AMS_CAUSE_SCP_DENIES] = "scp_denies",
  [AMS_CAUSE_ROLE_EC2_DENIED] = "role_ec2_denied",
  [AMS_CAUSE_SHARE_LIMIT_EXCEEDED] = "share_limit_exceeded",
  [AMS_CAUSE_SSM_PARAMETER_DENIED] = "ssm_parameter_denied",
  [AMS_CAUSE_ECR_REPOSITORY_TAG_MISSING] = "ecr_repository_tag_missing",
  [AMS_CAUSE_RESOURCE_NOT_SHARED] = "resource_not_shared",
  [AMS_CAUSE_INVITATION_PENDING] = "invitation_pending",
  [AMS_CAUSE_ORG_SHARING_DISABLED] = "org_sharing_disabled",
  [AMS_CAUSE_EXTERNAL_PRINCIPAL_DENIED] = "external_principal_denied",
  [AMS_CAUSE_RESOURCE_WRONG_REGION] = "resource_wrong_region",
  [AMS_CAUSE_RESOURCE_UNAVAILABLE] = "resource_unavailable",
  [AMS_CAUSE_PARENT_AMI_NOT_SHARED] = "parent_ami_not_shared",
  [AMS_CAUSE_NOT_RESOURCE_OWNER] = "not_resource_owner",
  [AMS_CAUSE_RESOURCE_STILL_SHARED] = "resource_still_shared",
  [AMS_CAUSE_RESOURCE_IN_USE] = "resource_in_use",
  [AMS_CAUSE_RESOURCE_QUOTA_EXCEEDED] = "resource_quota_exceeded",
  [AMS_CAUSE_LIFECYCLE_EXECUTION_DENIED] = "lifecycle_execution_denied",
  [AMS_CAUSE_INSTANCE_PROFILE_MISSING] = "instance_profile_missing",
  [AMS_CAUSE_INSTANCE_PROFILE_DENIED] = "instance_profile_denied",
};

const char *
ams_cause_name (AmsCause c)
{
  g_return_val_if_fail (c < AMS_CAUSE_COUNT, "none");
  return names[c];
}

gboolean
ams_cause_from_name (const char *name, AmsCause *out)
{
  for (guint i = 0; i < AMS_CAUSE_COUNT; i++)
    if (strcmp (names[i], name) == 0)
      {
        *out = (AmsCause) i;
        return TRUE;
      }
  return FALSE;
}
