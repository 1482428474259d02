/* amisim tests — combining policies (ams_authorize) and verdicts.
 *
 * One table from DOMAIN.md §2 and IAM's evaluation logic: same account vs
 * cross account with identity only, resource only and both; the KMS
 * key-policy rule (an identity allow alone is not enough; naming the
 * account root needs an identity allow; naming the principal suffices);
 * trust policies for imagebuilder.amazonaws.com with the aws:SourceAccount
 * and aws:SourceArn conditions of Ec2ImageBuilderCrossAccountLifecycleAccess;
 * SCP layering; explicit deny beating allow in every part; the org-path
 * key policy of DOMAIN.md §2; roles' sessions named by their roles; and the
 * root user, who cannot assume roles. Each row states the decision, the part that
 * was missing or denied (and the SCP layer), the deciding statements, and
 * for many rows the exact reason.
 *
 * Documents are written with ` for " to keep the table readable.
 */
#include "policy_test.h"

#define ALLOW AMS_DECISION_ALLOW
#define IMPL AMS_DECISION_IMPLICIT_DENY
#define EXPL AMS_DECISION_EXPLICIT_DENY
#define P_NONE AMS_PART_NONE
#define P_ID AMS_PART_IDENTITY
#define P_RES AMS_PART_RESOURCE
#define P_SCP AMS_PART_SCP
#define GEN AMS_RESOURCE_GENERIC
#define KMS AMS_RESOURCE_KMS_KEY
#define TRUST AMS_RESOURCE_TRUST

#define SRC "111111111111" /* owns the key / the pipeline */
#define DST "222222222222" /* the principal's account     */
#define ROLE "arn:aws:iam::" DST ":role/EC2ImageBuilderDistributionCrossAccountRole"
#define SRC_KEY "arn:aws:kms:us-east-1:" SRC ":key/k-src"
#define DST_KEY "arn:aws:kms:us-east-1:" DST ":key/k-dst"
#define DST_BUCKET "arn:aws:s3:::dst-bucket"
#define SVC "imagebuilder.amazonaws.com"
#define LC_ROLE "arn:aws:iam::" DST ":role/Ec2ImageBuilderCrossAccountLifecycleAccess"
#define SLR "arn:aws:iam::" SRC ":role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"
#define DIST_ROLE_ARN "arn:aws:iam::" DST ":role/EC2ImageBuilderDistributionCrossAccountRole"

#define DOC(...) "{`Version`: `2012-10-17`, `Statement`: [" __VA_ARGS__ "]}"

/* identity policies */
#define ID_KMS DOC ("{`Sid`: `IdKms`, `Effect`: `Allow`, `Action`: [`kms:Encrypt`, `kms:Decrypt`, `kms:ReEncrypt*`, " \
                    "`kms:GenerateDataKey*`, `kms:DescribeKey`, `kms:CreateGrant`, `kms:ListGrants`, `kms:RevokeGrant`], `Resource`: `*`}")
#define ID_KMS_DENY DOC ("{`Sid`: `IdDenyDecrypt`, `Effect`: `Deny`, `Action`: `kms:Decrypt`, `Resource`: `*`}")
#define ID_S3 DOC ("{`Sid`: `IdS3`, `Effect`: `Allow`, `Action`: `s3:GetObject`, `Resource`: `arn:aws:s3:::*`}")
#define ID_S3_DENY DOC ("{`Sid`: `IdDenyS3`, `Effect`: `Deny`, `Action`: `s3:*`, `Resource`: `*`}")
#define ID_ASSUME DOC ("{`Sid`: `IdAssume`, `Effect`: `Allow`, `Action`: `sts:AssumeRole`, `Resource`: `arn:aws:iam::*:role/EC2ImageBuilderDistributionCrossAccountRole`}")

/* generic resource policies (a bucket) */
#define RES_ROLE DOC ("{`Sid`: `ResRole`, `Effect`: `Allow`, `Principal`: {`AWS`: `" ROLE "`}, `Action`: `s3:GetObject`, `Resource`: `" DST_BUCKET "`}")
#define RES_ANY DOC ("{`Sid`: `ResAny`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:GetObject`, `Resource`: `" DST_BUCKET "`}")
#define RES_DST_ACCT DOC ("{`Sid`: `ResAcct`, `Effect`: `Allow`, `Principal`: {`AWS`: `" DST "`}, `Action`: `s3:*`, `Resource`: `" DST_BUCKET "`}")
#define RES_OTHER_ACCT DOC ("{`Sid`: `ResOther`, `Effect`: `Allow`, `Principal`: {`AWS`: `333333333333`}, `Action`: `s3:*`, `Resource`: `*`}")
#define RES_DENY DOC ("{`Sid`: `ResAny`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:*`, `Resource`: `*`}, " \
                      "{`Sid`: `ResDeny`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `s3:GetObject`, `Resource`: `*`}")
#define RES_NOTHING DOC ("{`Sid`: `ResPut`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `s3:PutObject`, `Resource`: `*`}")

/* key policies */
#define KP_ROOT(acct) DOC ("{`Sid`: `EnableRoot`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" acct ":root`}, `Action`: `kms:*`, `Resource`: `*`}")
#define KP_ACCT(acct) DOC ("{`Sid`: `AllowAcct`, `Effect`: `Allow`, `Principal`: {`AWS`: `" acct "`}, `Action`: [`kms:Decrypt`, `kms:DescribeKey`], `Resource`: `*`}")
#define KP_ROLE DOC ("{`Sid`: `EnableRoot`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" SRC ":root`}, `Action`: `kms:*`, `Resource`: `*`}, " \
                     "{`Sid`: `AllowRole`, `Effect`: `Allow`, `Principal`: {`AWS`: `" ROLE "`}, `Action`: [`kms:Decrypt`, `kms:CreateGrant`], `Resource`: `*`}")
#define KP_OTHER_ROLE DOC ("{`Sid`: `AllowOther`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" DST ":role/Other`}, `Action`: `kms:*`, `Resource`: `*`}")
#define KP_ANY_ACCT DOC ("{`Sid`: `AnyInAcct`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`, `Resource`: `*`, " \
                         "`Condition`: {`StringEquals`: {`aws:PrincipalAccount`: `" DST "`}}}")
#define KP_DENY DOC ("{`Sid`: `AllowRole`, `Effect`: `Allow`, `Principal`: {`AWS`: `" ROLE "`}, `Action`: `kms:*`, `Resource`: `*`}, " \
                     "{`Sid`: `DenyDecrypt`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `kms:Decrypt`, `Resource`: `*`, " \
                     "`Condition`: {`Bool`: {`aws:ViaAWSService`: `false`}}}")
/* DOMAIN.md §2, as written: org id plus ForAnyValue:StringLike on the OU path. */
#define KP_ORG(path) DOC ("{`Sid`: `EnableRoot`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" SRC ":root`}, `Action`: `kms:*`, `Resource`: `*`}, " \
                          "{`Sid`: `AllowOrgUnit`, `Effect`: `Allow`, `Principal`: `*`, `Action`: [`kms:Decrypt`, `kms:DescribeKey`, `kms:CreateGrant`], `Resource`: `*`, " \
                          "`Condition`: {`StringEquals`: {`aws:PrincipalOrgID`: `o-a1b2c3d4e5`}, " \
                          "`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: [`" path "`]}}}")
#define OU_A "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/"
#define OU_B OU_A "ou-ab12-22222222/"
#define OU_C "o-a1b2c3d4e5/r-ab12/ou-ab12-33333333/"

/* trust policies */
#define TRUST_LC DOC ("{`Effect`: `Allow`, `Principal`: {`Service`: [`imagebuilder.amazonaws.com`]}, `Action`: `sts:AssumeRole`, " \
                      "`Condition`: {`StringEquals`: {`aws:SourceAccount`: `" SRC "`}, " \
                      "`ArnLike`: {`aws:SourceArn`: `arn:*:imagebuilder:*:*:image/*/*/*`}}}")
#define TRUST_SRC_ROOT DOC ("{`Sid`: `TrustSource`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" SRC ":root`}, `Action`: `sts:AssumeRole`}")
#define TRUST_DST_ROOT DOC ("{`Sid`: `TrustOwn`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" DST ":root`}, `Action`: `sts:AssumeRole`}")
#define TRUST_OTHER DOC ("{`Sid`: `TrustOther`, `Effect`: `Allow`, `Principal`: {`AWS`: `333333333333`}, `Action`: `sts:AssumeRole`}")
#define TRUST_DENY DOC ("{`Sid`: `Svc`, `Effect`: `Allow`, `Principal`: {`Service`: `" SVC "`}, `Action`: `sts:AssumeRole`}, " \
                        "{`Sid`: `DenyForeign`, `Effect`: `Deny`, `Principal`: `*`, `Action`: `sts:AssumeRole`, " \
                        "`Condition`: {`StringNotEquals`: {`aws:SourceAccount`: `" SRC "`}}}")

/* a role's sessions */
#define BUILDER_SESSION "arn:aws:sts::" SRC ":assumed-role/Builder/build-42"
#define TRUST_BUILDER DOC ("{`Sid`: `TrustBuilder`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::" SRC ":role/team/Builder`}, `Action`: `sts:AssumeRole`}")
#define ROLE_SESSION "arn:aws:sts::" DST ":assumed-role/EC2ImageBuilderDistributionCrossAccountRole/s"
#define DST_ROOT "arn:aws:iam::" DST ":root"
#define SRC_ROOT "arn:aws:iam::" SRC ":root"
#define ROOT_REASON(action, resource, principal, account) \
  "the root user cannot assume roles: " action " on " resource " for " principal " is a call by the root user of account " \
  account ", which AWS STS refuses whatever the policies say; make it as an IAM user or role of that account"

/* service control policies */
#define SCP_FULL DOC ("{`Sid`: `FullAWSAccess`, `Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}")
#define SCP_EC2_ONLY DOC ("{`Sid`: `Ec2Only`, `Effect`: `Allow`, `Action`: `ec2:*`, `Resource`: `*`}")
#define SCP_DENY_KMS DOC ("{`Sid`: `DenyKms`, `Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`}")
#define SCP_DENY_S3 DOC ("{`Sid`: `DenyS3Delete`, `Effect`: `Deny`, `Action`: `s3:Delete*`, `Resource`: `*`}")
#define SCP_DENY_OUTSIDE DOC ("{`Sid`: `DenyOutsideOrg`, `Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`, " \
                              "`Condition`: {`StringNotEquals`: {`aws:PrincipalOrgID`: `o-a1b2c3d4e5`}}}")
#define SCP_NOT_IAM DOC ("{`Sid`: `AllButIam`, `Effect`: `Allow`, `NotAction`: `iam:*`, `Resource`: `*`}")

typedef struct
{
  const char *identity[3];
  const char *resource;
  AmsResourceKind kind;
  guint n_layers;
  const char *scp[3][3];
  const char *action;
  const char *resource_arn;
  const char *resource_account;
  const char *principal;   /* a service name has no account */
  const char *ctx;
  AmsDecision expect;
  AmsPolicyPart part;      /* missing (ImplicitDeny) or denied_by (ExplicitDeny) */
  guint layer;
  const char *sids;        /* deciding statements' Sids, comma-separated */
  const char *reason;      /* exact, or NULL */
} AuthCase;

#define NO_SCP 0, { { NULL } }

static const AuthCase cases[] = {
  /* ---- same account, generic resource ----------------------------------------------- */
  { { ID_S3 }, NULL, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", ALLOW, P_NONE, 0, "IdS3",
    "statement \"IdS3\" of identity policy #1 allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE },
  { { NULL }, RES_ROLE, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", ALLOW, P_NONE, 0, "ResRole", NULL },
  { { NULL }, RES_ANY, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", ALLOW, P_NONE, 0, "ResAny", NULL },
  { { NULL }, RES_DST_ACCT, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", IMPL, P_ID, 0, "",
    ROLE " has no identity policy, so nothing allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    "; statement \"ResAcct\" of bucket policy names the account " DST ", which leaves the decision to that account's identity policies" },
  { { ID_S3 }, RES_DST_ACCT, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", ALLOW, P_NONE, 0, "ResAcct,IdS3", NULL },
  { { ID_KMS }, NULL, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", IMPL, P_ID, 0, "",
    "no identity policy (identity policy #1) allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE },
  { { ID_KMS }, RES_NOTHING, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", IMPL, P_ID, 0, "",
    "no identity policy (identity policy #1) allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    ", and neither does bucket policy" },
  { { ID_S3 }, RES_NOTHING, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", ALLOW, P_NONE, 0, "IdS3", NULL },
  { { ID_S3 }, RES_DENY, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", EXPL, P_RES, 0, "ResDeny",
    "statement \"ResDeny\" of bucket policy explicitly denies s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE },
  { { ID_S3_DENY }, RES_ROLE, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", EXPL, P_ID, 0, "IdDenyS3", NULL },
  { { ID_S3, ID_S3_DENY }, NULL, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", EXPL, P_ID, 0, "IdDenyS3",
    "statement \"IdDenyS3\" of identity policy #2 explicitly denies s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE },
  { { ID_S3_DENY }, RES_DENY, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE, "", EXPL, P_RES, 0, "ResDeny,IdDenyS3",
    "statement \"ResDeny\" of bucket policy explicitly denies s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    " (2 deny statements apply)" },

  /* ---- cross account, generic resource -------------------------------------------------- */
  { { ID_S3 }, RES_NOTHING, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", IMPL, P_RES, 0, "",
    "no statement of bucket policy allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    "; cross-account access needs the resource policy to allow the principal or its account " DST },
  { { ID_S3 }, NULL, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", IMPL, P_RES, 0, "",
    "no resource policy is given, and s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE " needs a resource policy that allows it" },
  { { NULL }, RES_ROLE, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", IMPL, P_ID, 0, "",
    ROLE " has no identity policy, so nothing allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    "; cross-account access needs an allow on both sides" },
  { { ID_KMS }, RES_DST_ACCT, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", IMPL, P_ID, 0, "", NULL },
  { { ID_S3 }, RES_ROLE, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", ALLOW, P_NONE, 0, "ResRole,IdS3",
    "statement \"ResRole\" of bucket policy and statement \"IdS3\" of identity policy #1 allow s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE },
  { { ID_S3 }, RES_DST_ACCT, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", ALLOW, P_NONE, 0, "ResAcct,IdS3", NULL },
  { { ID_S3 }, RES_ANY, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", ALLOW, P_NONE, 0, "ResAny,IdS3", NULL },
  { { ID_S3 }, RES_OTHER_ACCT, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", IMPL, P_RES, 0, "", NULL },
  { { ID_S3 }, RES_DENY, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", EXPL, P_RES, 0, "ResDeny", NULL },
  { { ID_S3, ID_S3_DENY }, RES_ROLE, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, SRC, ROLE, "", EXPL, P_ID, 0, "IdDenyS3", NULL },

  /* ---- KMS key in the principal's own account ------------------------------------------- */
  { { ID_KMS }, KP_OTHER_ROLE, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", IMPL, P_RES, 0, "",
    "no statement of key policy allows kms:Decrypt on " DST_KEY " for " ROLE
    "; a key policy must allow the principal itself or its account " DST ", an identity policy alone is not enough" },
  { { ID_KMS }, NULL, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", IMPL, P_RES, 0, "",
    "no resource policy is given, and kms:Decrypt on " DST_KEY " for " ROLE " needs a key policy that allows it" },
  { { ID_KMS }, KP_ROOT (DST), KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", ALLOW, P_NONE, 0, "EnableRoot,IdKms",
    "statement \"EnableRoot\" of key policy and statement \"IdKms\" of identity policy #1 allow kms:Decrypt on " DST_KEY " for " ROLE },
  { { NULL }, KP_ROOT (DST), KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", IMPL, P_ID, 0, "",
    ROLE " has no identity policy, so nothing allows kms:Decrypt on " DST_KEY " for " ROLE
    "; statement \"EnableRoot\" of key policy names the account " DST ", which leaves the decision to that account's identity policies" },
  { { ID_S3 }, KP_ROOT (DST), KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", IMPL, P_ID, 0, "", NULL },
  { { ID_KMS }, KP_ACCT (DST), KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", ALLOW, P_NONE, 0, "AllowAcct,IdKms", NULL },
  { { NULL }, KP_ROLE, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", ALLOW, P_NONE, 0, "AllowRole",
    "statement \"AllowRole\" of key policy allows kms:Decrypt on " DST_KEY " for " ROLE },
  { { NULL }, KP_ANY_ACCT, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "aws:PrincipalAccount=" DST, ALLOW, P_NONE, 0, "AnyInAcct", NULL },
  { { NULL }, KP_ANY_ACCT, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "aws:PrincipalAccount=" SRC, IMPL, P_RES, 0, "", NULL },
  { { ID_KMS_DENY }, KP_ROLE, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "", EXPL, P_ID, 0, "IdDenyDecrypt", NULL },
  { { ID_KMS }, KP_DENY, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "aws:ViaAWSService=false", EXPL, P_RES, 0, "DenyDecrypt", NULL },
  { { ID_KMS }, KP_DENY, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE, "aws:ViaAWSService=true", ALLOW, P_NONE, 0, "AllowRole", NULL },
  { { NULL }, KP_ROLE, KMS, NO_SCP, "kms:Encrypt", DST_KEY, DST, ROLE, "", IMPL, P_RES, 0, "", NULL },

  /* ---- KMS key in another account --------------------------------------------------------- */
  { { ID_KMS }, KP_ACCT (DST), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", ALLOW, P_NONE, 0, "AllowAcct,IdKms", NULL },
  { { NULL }, KP_ACCT (DST), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", IMPL, P_ID, 0, "", NULL },
  { { ID_KMS }, KP_ROOT (DST), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", ALLOW, P_NONE, 0, "EnableRoot,IdKms", NULL },
  { { NULL }, KP_ROLE, KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", IMPL, P_ID, 0, "",
    ROLE " has no identity policy, so nothing allows kms:Decrypt on " SRC_KEY " for " ROLE "; cross-account access needs an allow on both sides" },
  { { ID_KMS }, KP_ROLE, KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", ALLOW, P_NONE, 0, "AllowRole,IdKms", NULL },
  { { ID_KMS }, KP_ROOT (SRC), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", IMPL, P_RES, 0, "",
    "no statement of key policy allows kms:Decrypt on " SRC_KEY " for " ROLE
    "; cross-account access needs the resource policy to allow the principal or its account " DST },
  { { ID_KMS }, KP_ORG (OU_A "*"), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=" OU_A, ALLOW, P_NONE, 0, "AllowOrgUnit,IdKms", NULL },
  { { ID_KMS }, KP_ORG (OU_A "*"), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=" OU_B, ALLOW, P_NONE, 0, "AllowOrgUnit,IdKms", NULL },
  { { ID_KMS }, KP_ORG (OU_A "*"), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=" OU_C, IMPL, P_RES, 0, "", NULL },
  { { ID_KMS }, KP_ORG (OU_A "*"), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-zzzzzzzzzz;aws:PrincipalOrgPaths=" OU_A, IMPL, P_RES, 0, "", NULL },
  { { ID_KMS }, KP_ORG (OU_A "*"), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", IMPL, P_RES, 0, "", NULL },
  { { NULL }, KP_ORG (OU_A "*"), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=" OU_A, IMPL, P_ID, 0, "", NULL },
  { { ID_KMS }, KP_ORG (OU_A), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=" OU_A, ALLOW, P_NONE, 0, "AllowOrgUnit,IdKms", NULL },
  { { ID_KMS }, KP_ORG (OU_A), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=" OU_B, IMPL, P_RES, 0, "", NULL },
  /* the org's own account (SRC, root of the key) is still allowed by EnableRoot + identity */
  { { ID_KMS }, KP_ORG (OU_A), KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, "arn:aws:iam::" SRC ":role/Builder",
    "aws:PrincipalOrgID=o-a1b2c3d4e5;aws:PrincipalOrgPaths=o-a1b2c3d4e5/r-ab12/", ALLOW, P_NONE, 0, "EnableRoot,IdKms", NULL },

  /* ---- role trust policies ----------------------------------------------------------------- */
  { { NULL }, TRUST_LC, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC,
    "aws:SourceAccount=" SRC ";aws:SourceArn=arn:aws:imagebuilder:us-east-1:" SRC ":image/my-recipe/1.0.0/3", ALLOW, P_NONE, 0, "",
    "Statement[0] of trust policy allows sts:AssumeRole on " LC_ROLE " for imagebuilder.amazonaws.com" },
  { { NULL }, TRUST_LC, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC,
    "aws:SourceAccount=333333333333;aws:SourceArn=arn:aws:imagebuilder:us-east-1:333333333333:image/my-recipe/1.0.0/3", IMPL, P_RES, 0, "",
    "no statement of trust policy allows sts:AssumeRole on " LC_ROLE " for imagebuilder.amazonaws.com; a service principal is allowed only by the resource policy" },
  { { NULL }, TRUST_LC, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC,
    "aws:SourceAccount=" SRC ";aws:SourceArn=arn:aws:imagebuilder:us-east-1:" SRC ":image-pipeline/p", IMPL, P_RES, 0, "", NULL },
  { { NULL }, TRUST_LC, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC,
    "aws:SourceArn=arn:aws:imagebuilder:us-east-1:" SRC ":image/my-recipe/1.0.0/3", IMPL, P_RES, 0, "", NULL },
  { { NULL }, TRUST_LC, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, "ec2.amazonaws.com",
    "aws:SourceAccount=" SRC ";aws:SourceArn=arn:aws:imagebuilder:us-east-1:" SRC ":image/my-recipe/1.0.0/3", IMPL, P_RES, 0, "", NULL },
  { { ID_ASSUME }, TRUST_LC, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, ROLE,
    "aws:SourceAccount=" SRC ";aws:SourceArn=arn:aws:imagebuilder:us-east-1:" SRC ":image/my-recipe/1.0.0/3", IMPL, P_RES, 0, "", NULL },
  { { NULL }, NULL, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC, "", IMPL, P_RES, 0, "",
    "no resource policy is given, and sts:AssumeRole on " LC_ROLE " for imagebuilder.amazonaws.com needs a role's trust policy that allows it" },
  { { NULL }, TRUST_DENY, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC, "aws:SourceAccount=333333333333", EXPL, P_RES, 0, "DenyForeign", NULL },
  { { NULL }, TRUST_DENY, TRUST, NO_SCP, "sts:AssumeRole", LC_ROLE, DST, SVC, "aws:SourceAccount=" SRC, ALLOW, P_NONE, 0, "Svc", NULL },
  { { ID_ASSUME }, TRUST_SRC_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, SLR, "", ALLOW, P_NONE, 0, "TrustSource,IdAssume", NULL },
  { { NULL }, TRUST_SRC_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, SLR, "", IMPL, P_ID, 0, "", NULL },
  { { ID_ASSUME }, TRUST_OTHER, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, SLR, "", IMPL, P_RES, 0, "", NULL },
  { { ID_ASSUME }, TRUST_DST_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, ROLE, "", ALLOW, P_NONE, 0, "TrustOwn,IdAssume", NULL },
  { { NULL }, TRUST_DST_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, ROLE, "", IMPL, P_ID, 0, "", NULL },
  { { ID_ASSUME }, TRUST_OTHER, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, ROLE, "", IMPL, P_RES, 0, "",
    "no statement of trust policy allows sts:AssumeRole on " DIST_ROLE_ARN " for " ROLE
    "; a role's trust policy must allow the principal itself or its account " DST ", an identity policy alone is not enough" },

  /* ---- a role's sessions: a Principal naming the role (with or without its
   * path) names them; these used to be ImplicitDeny -------------------------------------------- */
  { { ID_ASSUME }, TRUST_BUILDER, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, BUILDER_SESSION, "", ALLOW, P_NONE, 0,
    "TrustBuilder,IdAssume", NULL },
  { { NULL }, TRUST_BUILDER, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, BUILDER_SESSION, "", IMPL, P_ID, 0, "", NULL },
  { { ID_ASSUME }, TRUST_BUILDER, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, "arn:aws:sts::" SRC ":assumed-role/Deployer/build-42",
    "", IMPL, P_RES, 0, "", NULL },
  { { ID_ASSUME }, TRUST_BUILDER, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, "arn:aws:iam::" SRC ":role/team/Builder",
    "", ALLOW, P_NONE, 0, "TrustBuilder,IdAssume", NULL },
  { { NULL }, KP_ROLE, KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, ROLE_SESSION, "", ALLOW, P_NONE, 0, "AllowRole",
    "statement \"AllowRole\" of key policy allows kms:Decrypt on " DST_KEY " for " ROLE_SESSION },
  { { ID_KMS }, KP_ROLE, KMS, NO_SCP, "kms:Decrypt", SRC_KEY, SRC, ROLE_SESSION, "", ALLOW, P_NONE, 0, "AllowRole,IdKms", NULL },
  { { NULL }, KP_ROLE, KMS, NO_SCP, "kms:Encrypt", DST_KEY, DST, ROLE_SESSION, "", IMPL, P_RES, 0, "", NULL },
  { { NULL }, RES_ROLE, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, ROLE_SESSION, "", ALLOW, P_NONE, 0, "ResRole", NULL },

  /* ---- the root user cannot assume roles, whatever the policies say; these
   * used to be Allow -------------------------------------------------------------------------- */
  { { ID_ASSUME }, TRUST_DST_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, DST_ROOT, "", IMPL, P_ID, 0, "",
    ROOT_REASON ("sts:AssumeRole", DIST_ROLE_ARN, DST_ROOT, DST) },
  { { ID_ASSUME }, TRUST_SRC_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, SRC_ROOT, "", IMPL, P_ID, 0, "",
    ROOT_REASON ("sts:AssumeRole", DIST_ROLE_ARN, SRC_ROOT, SRC) },
  { { NULL }, TRUST_SRC_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, SRC_ROOT, "", IMPL, P_ID, 0, "", NULL },
  { { ID_ASSUME }, TRUST_DST_ROOT, TRUST, NO_SCP, "STS:assumerole", DIST_ROLE_ARN, DST, DST_ROOT, "", IMPL, P_ID, 0, "", NULL },
  { { ID_ASSUME }, TRUST_DENY, TRUST, 1, { { SCP_FULL } }, "sts:AssumeRole", DIST_ROLE_ARN, DST, DST_ROOT, "aws:SourceAccount=333333333333",
    IMPL, P_ID, 0, "", NULL },
  /* the root user may still do what is not assuming a role */
  { { ID_KMS }, KP_ROOT (DST), KMS, NO_SCP, "kms:Decrypt", DST_KEY, DST, DST_ROOT, "", ALLOW, P_NONE, 0, "EnableRoot", NULL },
  { { ID_S3 }, NULL, GEN, NO_SCP, "s3:GetObject", DST_BUCKET, DST, DST_ROOT, "", ALLOW, P_NONE, 0, "IdS3", NULL },
  { { ID_ASSUME }, TRUST_DST_ROOT, TRUST, NO_SCP, "sts:AssumeRole", DIST_ROLE_ARN, DST, ROLE, "", ALLOW, P_NONE, 0, "TrustOwn,IdAssume", NULL },

  /* ---- service control policies ------------------------------------------------------------- */
  { { ID_S3 }, NULL, GEN, 1, { { SCP_FULL } }, "s3:GetObject", DST_BUCKET, DST, ROLE, "", ALLOW, P_NONE, 0, "IdS3", NULL },
  { { ID_S3 }, NULL, GEN, 2, { { SCP_FULL }, { SCP_DENY_S3 } }, "s3:GetObject", DST_BUCKET, DST, ROLE, "", IMPL, P_SCP, 1, "",
    "no SCP attached at ou-ab12-11111111 (SCP 2.1) allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    "; SCPs must allow at every level from the root down to the account" },
  { { ID_S3 }, NULL, GEN, 3, { { SCP_FULL }, { SCP_FULL }, { NULL } }, "s3:GetObject", DST_BUCKET, DST, ROLE, "", IMPL, P_SCP, 2, "",
    "no SCP is attached at " DST ", so nothing there allows s3:GetObject on arn:aws:s3:::dst-bucket for " ROLE
    "; SCPs must allow at every level from the root down to the account" },
  { { ID_KMS }, KP_ROLE, KMS, 3, { { SCP_FULL }, { SCP_FULL }, { SCP_FULL, SCP_DENY_KMS } }, "kms:Decrypt", SRC_KEY, SRC, ROLE, "",
    EXPL, P_SCP, 2, "DenyKms",
    "statement \"DenyKms\" of SCP 3.2 (SCP attached at " DST ") explicitly denies kms:Decrypt on " SRC_KEY " for " ROLE },
  { { ID_KMS }, KP_ROLE, KMS, 2, { { SCP_FULL, SCP_DENY_KMS }, { SCP_FULL } }, "kms:Decrypt", SRC_KEY, SRC, ROLE, "",
    EXPL, P_SCP, 0, "DenyKms", NULL },
  { { ID_KMS }, KP_ROLE, KMS, 2, { { SCP_FULL }, { SCP_EC2_ONLY } }, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", IMPL, P_SCP, 1, "", NULL },
  { { ID_KMS }, KP_ROLE, KMS, 2, { { SCP_FULL }, { SCP_EC2_ONLY, SCP_NOT_IAM } }, "kms:Decrypt", SRC_KEY, SRC, ROLE, "",
    ALLOW, P_NONE, 0, "AllowRole,IdKms", NULL },
  { { NULL }, KP_ROLE, KMS, 2, { { SCP_FULL }, { SCP_FULL } }, "kms:Decrypt", SRC_KEY, SRC, ROLE, "", IMPL, P_ID, 0, "", NULL },
  { { ID_KMS }, KP_ROLE, KMS, 1, { { SCP_FULL, SCP_DENY_OUTSIDE } }, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-a1b2c3d4e5", ALLOW, P_NONE, 0, "AllowRole,IdKms", NULL },
  { { ID_KMS }, KP_ROLE, KMS, 1, { { SCP_FULL, SCP_DENY_OUTSIDE } }, "kms:Decrypt", SRC_KEY, SRC, ROLE,
    "aws:PrincipalOrgID=o-other00000", EXPL, P_SCP, 0, "DenyOutsideOrg", NULL },
  { { ID_S3 }, RES_DENY, GEN, 2, { { SCP_FULL }, { SCP_EC2_ONLY } }, "s3:GetObject", DST_BUCKET, DST, ROLE, "", EXPL, P_RES, 0, "ResDeny", NULL },
  { { ID_S3_DENY }, NULL, GEN, 1, { { SCP_EC2_ONLY } }, "s3:GetObject", DST_BUCKET, DST, ROLE, "", EXPL, P_ID, 0, "IdDenyS3", NULL },
};

static const char *const layer_names[] = { "r-ab12", "ou-ab12-11111111", DST };

/* "key policy", "trust policy" or "bucket policy", as a caller would name them. */
static const char *
resource_name (AmsResourceKind kind)
{
  return kind == KMS ? "key policy" : kind == TRUST ? "trust policy" : "bucket policy";
}

static AmsPolicy *
compile (const char *text, AmsPolicyKind kind, const char *name)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "`", '"');
  AmsPolicy *p = pt_policy (json, kind, name);
  if (p == NULL)
    fprintf (stderr, "does not compile: %s\n", json);
  return p;
}

static char *
sids_of (const GArray *refs)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < refs->len; i++)
    {
      const AmsStatementRef *r = &g_array_index (refs, AmsStatementRef, i);
      const char *sid = ams_policy_statement_sid (r->policy, r->statement);
      g_string_append_printf (s, "%s%s", i > 0 ? "," : "", sid != NULL ? sid : "");
    }
  return g_string_free (s, FALSE);
}

static void
test_policy_authorize_table (void)
{
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const AuthCase *c = &cases[i];
      g_autoptr (GPtrArray) owned = g_ptr_array_new_with_free_func ((GDestroyNotify) ams_policy_unref);
      AmsPolicy *identity[3] = { NULL };
      guint n_identity = 0;
      for (; n_identity < 3 && c->identity[n_identity] != NULL; n_identity++)
        {
          g_autofree char *name = g_strdup_printf ("identity policy #%u", n_identity + 1);
          identity[n_identity] = compile (c->identity[n_identity], AMS_POLICY_IDENTITY, name);
          g_ptr_array_add (owned, identity[n_identity]);
        }
      AmsPolicy *resource = NULL;
      if (c->resource != NULL)
        {
          resource = compile (c->resource, AMS_POLICY_RESOURCE, resource_name (c->kind));
          g_ptr_array_add (owned, resource);
        }
      AmsPolicy *scp[3][3] = { { NULL } };
      AmsPolicy *const *layers[3];
      guint n_scp[3] = { 0 };
      for (guint l = 0; l < c->n_layers; l++)
        {
          for (guint k = 0; k < 3 && c->scp[l][k] != NULL; k++)
            {
              g_autofree char *name = g_strdup_printf ("SCP %u.%u", l + 1, k + 1);
              scp[l][k] = compile (c->scp[l][k], AMS_POLICY_SCP, name);
              g_ptr_array_add (owned, scp[l][k]);
              n_scp[l]++;
            }
          layers[l] = scp[l];
        }
      AmsPolicySet set = {
        .identity = identity, .n_identity = n_identity, .resource = resource,
        .resource_kind = c->kind, .scp_layers = layers, .n_scp = n_scp,
        .scp_layer_names = layer_names, .n_scp_layers = c->n_layers,
      };
      g_autoptr (AmsContext) ctx = pt_context (c->ctx);
      gboolean service = g_str_has_suffix (c->principal, ".amazonaws.com");
      g_autofree char *account = service ? NULL : g_strndup (c->principal + strlen ("arn:aws:iam::"), 12);
      AmsRequest req = {
        .action = c->action, .resource = c->resource_arn, .resource_account = c->resource_account,
        .principal = c->principal, .principal_account = account, .context = ctx,
      };
      AmsVerdict v;
      ams_verdict_init (&v);
      AmsDecision d = ams_authorize (&set, &req, &v);
      g_autofree char *sids = sids_of (v.statements);
      AmsPolicyPart part = d == AMS_DECISION_EXPLICIT_DENY ? v.denied_by : v.missing;
      gboolean ok = d == c->expect && v.decision == d && part == c->part
                    && (part != AMS_PART_SCP || v.scp_layer == c->layer)
                    && strcmp (sids, c->sids) == 0
                    && (c->reason == NULL || strcmp (v.reason, c->reason) == 0);
      /* The other part field stays empty. */
      ok = ok && (d == AMS_DECISION_EXPLICIT_DENY ? v.missing : v.denied_by) == AMS_PART_NONE;
      if (!ok)
        {
          failed++;
          fprintf (stderr, "\nauthorize case %u (line of %s / %s):\n  expected %s part %d layer %u [%s]\n"
                           "  got      %s part %d layer %u [%s]\n  reason: %s\n",
                   i, c->action, c->principal, ams_decision_name (c->expect), c->part, c->layer,
                   c->sids, ams_decision_name (d), part, v.scp_layer, sids, v.reason);
          if (c->reason != NULL)
            fprintf (stderr, "  wanted: %s\n", c->reason);
        }
      /* The same answer without a verdict. */
      if (ams_authorize (&set, &req, NULL) != d)
        failed++;
      ams_verdict_clear (&v);
    }
  printf ("\n  %u authorization cases\n", (guint) G_N_ELEMENTS (cases));
  CU_ASSERT_EQUAL (failed, 0);
}

/* A verdict can be reused: ams_authorize clears it first. */
static void
test_policy_authorize_verdict_reuse (void)
{
  g_autoptr (AmsPolicy) id = compile (ID_S3, AMS_POLICY_IDENTITY, "inline");
  AmsPolicy *ids[] = { id };
  AmsPolicySet set = { .identity = ids, .n_identity = 1 };
  AmsRequest req = { .action = "s3:GetObject", .resource = DST_BUCKET, .resource_account = DST,
                     .principal = ROLE, .principal_account = DST };
  AmsVerdict v;
  ams_verdict_init (&v);
  CU_ASSERT_EQUAL (v.decision, AMS_DECISION_IMPLICIT_DENY);
  CU_ASSERT_PTR_NULL (v.reason);
  CU_ASSERT_EQUAL (ams_authorize (&set, &req, &v), AMS_DECISION_ALLOW);
  CU_ASSERT_EQUAL (v.statements->len, 1);
  req.action = "s3:PutObject";
  CU_ASSERT_EQUAL (ams_authorize (&set, &req, &v), AMS_DECISION_IMPLICIT_DENY);
  CU_ASSERT_EQUAL (v.statements->len, 0);
  CU_ASSERT_EQUAL (v.missing, AMS_PART_IDENTITY);
  CU_ASSERT_STRING_EQUAL (v.reason, "no identity policy (inline) allows s3:PutObject on arn:aws:s3:::dst-bucket for " ROLE);
  ams_verdict_clear (&v);
  ams_verdict_clear (&v);
  ams_verdict_clear (NULL);
  CU_ASSERT_STRING_EQUAL (ams_decision_name (AMS_DECISION_ALLOW), "Allow");
  CU_ASSERT_STRING_EQUAL (ams_decision_name (AMS_DECISION_IMPLICIT_DENY), "ImplicitDeny");
  CU_ASSERT_STRING_EQUAL (ams_decision_name (AMS_DECISION_EXPLICIT_DENY), "ExplicitDeny");
}

/* Cross-account encrypted distribution with the shipped managed policy:
 * it carries no KMS actions, so the role also needs an inline policy. */
static void
test_policy_authorize_managed_distribution (void)
{
  g_autoptr (AmsPolicy) managed = ams_managed_policy_new ("Ec2ImageBuilderCrossAccountDistributionAccess");
  g_autoptr (AmsPolicy) inline_kms = compile (ID_KMS, AMS_POLICY_IDENTITY, "inline policy KmsForDistribution");
  g_autoptr (AmsPolicy) key = compile (KP_ACCT (DST), AMS_POLICY_RESOURCE, "key policy of alias/ami-factory");
  CU_ASSERT_PTR_NOT_NULL_FATAL (managed);
  AmsPolicy *only_managed[] = { managed };
  AmsPolicy *both[] = { managed, inline_kms };
  AmsPolicySet set = { .identity = only_managed, .n_identity = 1, .resource = key,
                       .resource_kind = AMS_RESOURCE_KMS_KEY };
  AmsRequest req = { .action = "kms:Decrypt", .resource = SRC_KEY, .resource_account = SRC,
                     .principal = ROLE, .principal_account = DST };
  AmsVerdict v;
  ams_verdict_init (&v);
  CU_ASSERT_EQUAL (ams_authorize (&set, &req, &v), AMS_DECISION_IMPLICIT_DENY);
  CU_ASSERT_EQUAL (v.missing, AMS_PART_IDENTITY);
  CU_ASSERT_STRING_EQUAL (v.reason,
    "no identity policy (AWS managed policy Ec2ImageBuilderCrossAccountDistributionAccess) allows "
    "kms:Decrypt on " SRC_KEY " for " ROLE "; cross-account access needs an allow on both sides");
  set.identity = both;
  set.n_identity = 2;
  CU_ASSERT_EQUAL (ams_authorize (&set, &req, &v), AMS_DECISION_ALLOW);
  g_autofree char *sids = sids_of (v.statements);
  CU_ASSERT_STRING_EQUAL (sids, "AllowAcct,IdKms");
  CU_ASSERT_PTR_EQUAL (g_array_index (v.statements, AmsStatementRef, 0).policy, key);

  /* CopyImage itself is the managed policy's job; no resource policy in
   * the role's own account is needed for it. */
  AmsPolicySet ec2 = { .identity = only_managed, .n_identity = 1 };
  AmsRequest copy = { .action = "ec2:CopyImage", .resource = "arn:aws:ec2:us-west-2::image/ami-1",
                      .resource_account = DST, .principal = ROLE, .principal_account = DST };
  CU_ASSERT_EQUAL (ams_authorize (&ec2, &copy, &v), AMS_DECISION_ALLOW);
  CU_ASSERT_STRING_EQUAL (v.reason, "Statement[1] of AWS managed policy Ec2ImageBuilderCrossAccountDistributionAccess "
                                    "allows ec2:CopyImage on arn:aws:ec2:us-west-2::image/ami-1 for " ROLE);
  ams_verdict_clear (&v);
}

static const AmsTestCase test_cases[] = {
  { "test_policy_authorize_table", test_policy_authorize_table },
  { "test_policy_authorize_verdict_reuse", test_policy_authorize_verdict_reuse },
  { "test_policy_authorize_managed_distribution", test_policy_authorize_managed_distribution },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("policy/authorize", test_cases);
}
