/* amisim — the AWS managed policy documents amisim ships, and compiling a
 * policy from JSON text.
 *
 * The documents are the published default versions, copied from the AWS
 * Managed Policy Reference (docs.aws.amazon.com/aws-managed-policy/latest/
 * reference/<Name>.html):
 *   - Ec2ImageBuilderCrossAccountDistributionAccess, v1 (created and last
 *     edited 2020-09-30): ec2:CreateTags on AMIs; DescribeImages, CopyImage
 *     and ModifyImageAttribute on "*". No KMS actions: encrypted
 *     distribution needs an inline policy on the role as well.
 *   - EC2ImageBuilderLifecycleExecutionPolicy, v1 (created and last edited
 *     2023-11-16).
 *   - EC2InstanceProfileForImageBuilder, EC2InstanceProfileForImageBuilder-
 *     ECRContainerBuilds and AmazonSSMManagedInstanceCore: what the build
 *     instances' instance profile carries (the Image Builder user guide,
 *     "Prerequisites" / instance profile): components and their S3 objects,
 *     logs, ECR pushes to repositories named image-builder-*, and the
 *     Systems Manager agent's calls (ssm:, ssmmessages:, ec2messages:).
 * Ec2ImageBuilderCrossAccountLifecycleAccess is a role name, not a managed
 * policy: the Image Builder user guide ("Lifecycle management
 * prerequisites", cross-account role) has it carry
 * EC2ImageBuilderLifecycleExecutionPolicy, so that is the document it
 * gets. Its trust policy depends on the owner account and is the
 * scenario's to write.
 *
 * The texts are compiled with the module's own JSON reader (the policy
 * module cannot use the scenario loader), with "builtin:<Name>" as the file
 * name in locations.
 */
#include "policy-private.h"

static const char distribution_access[] =
  "{\n"
  "  \"Version\": \"2012-10-17\",\n"
  "  \"Statement\": [\n"
  "    {\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": \"ec2:CreateTags\",\n"
  "      \"Resource\": \"arn:aws:ec2:*::image/*\"\n"
  "    },\n"
  "    {\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": [\n"
  "        \"ec2:DescribeImages\",\n"
  "        \"ec2:CopyImage\",\n"
  "        \"ec2:ModifyImageAttribute\"\n"
  "      ],\n"
  "      \"Resource\": \"*\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

static const char lifecycle_execution[] =
  "{\n"
  "  \"Version\": \"2012-10-17\",\n"
  "  \"Statement\": [\n"
  "    {\n"
  "      \"Sid\": \"Ec2ImagePermission\",\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": [\n"
  "        \"ec2:EnableImage\",\n"
  "        \"ec2:DeregisterImage\",\n"
  "        \"ec2:EnableImageDeprecation\",\n"
  "        \"ec2:DescribeImageAttribute\",\n"
  "        \"ec2:DisableImage\",\n"
  "        \"ec2:DisableImageDeprecation\"\n"
  "      ],\n"
  "      \"Resource\": \"arn:aws:ec2:*::image/*\",\n"
  "      \"Condition\": {\n"
  "        \"StringEquals\": {\n"
  "          \"aws:ResourceTag/CreatedBy\": \"EC2 Image Builder\"\n"
  "        }\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"Sid\": \"EC2DeleteSnapshotPermission\",\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": \"ec2:DeleteSnapshot\",\n"
  "      \"Resource\": \"arn:aws:ec2:*::snapshot/*\",\n"
  "      \"Condition\": {\n"
  "        \"StringEquals\": {\n"
  "          \"aws:ResourceTag/CreatedBy\": \"EC2 Image Builder\"\n"
  "        }\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"Sid\": \"EC2TagsPermission\",\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": [\n"
  "        \"ec2:DeleteTags\",\n"
  "        \"ec2:CreateTags\"\n"
  "      ],\n"
  "      \"Resource\": [\n"
  "        \"arn:aws:ec2:*::snapshot/*\",\n"
  "        \"arn:aws:ec2:*::image/*\"\n"
  "      ],\n"
  "      \"Condition\": {\n"
  "        \"StringEquals\": {\n"
  "          \"aws:RequestTag/DeprecatedBy\": \"EC2 Image Builder\",\n"
  "          \"aws:ResourceTag/CreatedBy\": \"EC2 Image Builder\"\n"
  "        },\n"
  "        \"ForAllValues:StringEquals\": {\n"
  "          \"aws:TagKeys\": \"DeprecatedBy\"\n"
  "        }\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"Sid\": \"ECRImagePermission\",\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": [\n"
  "        \"ecr:BatchGetImage\",\n"
  "        \"ecr:BatchDeleteImage\"\n"
  "      ],\n"
  "      \"Resource\": \"arn:aws:ecr:*:*:repository/*\",\n"
  "      \"Condition\": {\n"
  "        \"StringEquals\": {\n"
  "          \"ecr:ResourceTag/LifecycleExecutionAccess\": \"EC2 Image Builder\"\n"
  "        }\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"Sid\": \"ImageBuilderEC2TagServicePermission\",\n"
  "      \"Effect\": \"Allow\",\n"
  "      \"Action\": [\n"
  "        \"ec2:DescribeImages\",\n"
  "        \"tag:GetResources\",\n"
  "        \"imagebuilder:DeleteImage\"\n"
  "      ],\n"
  "      \"Resource\": \"*\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

static const char instance_profile[] =
  "{\n"
  "  \"Version\": \"2012-10-17\",\n"
  "  \"Statement\": [\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"imagebuilder:GetComponent\"], \"Resource\": \"*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"kms:Decrypt\"], \"Resource\": \"*\",\n"
  "     \"Condition\": {\"ForAnyValue:StringEquals\": {\"kms:EncryptionContextKeys\": "
  "\"aws:imagebuilder:arn\", \"aws:CalledVia\": [\"imagebuilder.amazonaws.com\"]}}},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"s3:GetObject\"], "
  "\"Resource\": \"arn:aws:s3:::ec2imagebuilder*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogStream\", \"logs:CreateLogGroup\", "
  "\"logs:PutLogEvents\"], \"Resource\": \"arn:aws:logs:*:*:log-group:/aws/imagebuilder/*\"}\n"
  "  ]\n"
  "}\n";

static const char instance_profile_ecr[] =
  "{\n"
  "  \"Version\": \"2012-10-17\",\n"
  "  \"Statement\": [\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"imagebuilder:GetComponent\"], \"Resource\": \"*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"kms:Decrypt\"], \"Resource\": \"*\",\n"
  "     \"Condition\": {\"ForAnyValue:StringEquals\": {\"kms:EncryptionContextKeys\": "
  "\"aws:imagebuilder:arn\", \"aws:CalledVia\": [\"imagebuilder.amazonaws.com\"]}}},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"ecr:GetAuthorizationToken\"], \"Resource\": \"*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"ecr:BatchGetImage\", \"ecr:BatchCheckLayerAvailability\", "
  "\"ecr:CompleteLayerUpload\", \"ecr:GetDownloadUrlForLayer\", \"ecr:InitiateLayerUpload\", "
  "\"ecr:PutImage\", \"ecr:UploadLayerPart\"], "
  "\"Resource\": \"arn:aws:ecr:*:*:repository/image-builder-*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"logs:CreateLogStream\", \"logs:CreateLogGroup\", "
  "\"logs:PutLogEvents\"], \"Resource\": \"arn:aws:logs:*:*:log-group:/aws/imagebuilder/*\"}\n"
  "  ]\n"
  "}\n";

static const char ssm_managed_instance_core[] =
  "{\n"
  "  \"Version\": \"2012-10-17\",\n"
  "  \"Statement\": [\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"ssm:DescribeAssociation\", "
  "\"ssm:GetDeployablePatchSnapshotForInstance\", \"ssm:GetDocument\", \"ssm:DescribeDocument\", "
  "\"ssm:GetManifest\", \"ssm:GetParameter\", \"ssm:GetParameters\", \"ssm:ListAssociations\", "
  "\"ssm:ListInstanceAssociations\", \"ssm:PutInventory\", \"ssm:PutComplianceItems\", "
  "\"ssm:PutConfigurePackageResult\", \"ssm:UpdateAssociationStatus\", "
  "\"ssm:UpdateInstanceAssociationStatus\", \"ssm:UpdateInstanceInformation\"], "
  "\"Resource\": \"*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"ssmmessages:CreateControlChannel\", "
  "\"ssmmessages:CreateDataChannel\", \"ssmmessages:OpenControlChannel\", "
  "\"ssmmessages:OpenDataChannel\"], \"Resource\": \"*\"},\n"
  "    {\"Effect\": \"Allow\", \"Action\": [\"ec2messages:AcknowledgeMessage\", "
  "\"ec2messages:DeleteMessage\", \"ec2messages:FailMessage\", \"ec2messages:GetEndpoint\", "
  "\"ec2messages:GetMessages\", \"ec2messages:SendReply\"], \"Resource\": \"*\"}\n"
  "  ]\n"
  "}\n";

typedef struct
{
  const char *name;
  const char *policy_name; /* in verdicts */
  const char *json;
} Managed;

static const Managed managed[] = {
  { "Ec2ImageBuilderCrossAccountDistributionAccess",
    "AWS managed policy Ec2ImageBuilderCrossAccountDistributionAccess", distribution_access },
  { "EC2ImageBuilderLifecycleExecutionPolicy",
    "AWS managed policy EC2ImageBuilderLifecycleExecutionPolicy", lifecycle_execution },
  { "Ec2ImageBuilderCrossAccountLifecycleAccess",
    "EC2ImageBuilderLifecycleExecutionPolicy of role Ec2ImageBuilderCrossAccountLifecycleAccess",
    lifecycle_execution },
  { "EC2InstanceProfileForImageBuilder", "AWS managed policy EC2InstanceProfileForImageBuilder",
    instance_profile },
  { "EC2InstanceProfileForImageBuilderECRContainerBuilds",
    "AWS managed policy EC2InstanceProfileForImageBuilderECRContainerBuilds",
    instance_profile_ecr },
  { "AmazonSSMManagedInstanceCore", "AWS managed policy AmazonSSMManagedInstanceCore",
    ssm_managed_instance_core },
};

static const char *const managed_names[] = {
  "Ec2ImageBuilderCrossAccountDistributionAccess",
  "EC2ImageBuilderLifecycleExecutionPolicy",
  "Ec2ImageBuilderCrossAccountLifecycleAccess",
  "EC2InstanceProfileForImageBuilder",
  "EC2InstanceProfileForImageBuilderECRContainerBuilds",
  "AmazonSSMManagedInstanceCore",
  NULL,
};

AmsPolicy *
ams_policy_compile_json (const char *display_name, const char *json, AmsPolicyKind kind,
                         const char *name, AmsPolicyErrorFn report, void *user)
{
  g_return_val_if_fail (json != NULL, NULL);
  AmsReporter r = { report, user, 0 };
  g_autoptr (AmsValueDoc) doc = ams__json_parse (display_name != NULL ? display_name : "(json)",
                                                 json, &r);
  if (doc == NULL)
    return NULL;
  return ams_policy_compile (ams_value_doc_root (doc), kind, name, report, user);
}

/* A built-in document that does not compile is a bug in this file. */
static void
builtin_error (void *user, const AmsSrcLoc *loc, const char *message)
{
  g_critical ("%s:%u:%u: %s: %s", loc->file, loc->line, loc->col, loc->path, message);
}

AmsPolicy *
ams_managed_policy_new (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (managed); i++)
    if (g_strcmp0 (managed[i].name, name) == 0)
      {
        g_autofree char *file = g_strconcat ("builtin:", name, NULL);
        return ams_policy_compile_json (file, managed[i].json, AMS_POLICY_IDENTITY,
                                        managed[i].policy_name, builtin_error, NULL);
      }
  return NULL;
}

const char *const *
ams_managed_policy_names (void)
{
  return managed_names;
}
