/* amisim tests — evaluating single policies (ams_policy_evaluate).
 *
 * One table, written from the IAM documentation's rules (JSON policy
 * elements, condition operators, multivalued context keys, policy
 * variables): every condition operator positive and negated, …IfExists,
 * ForAnyValue:/ForAllValues: with present, absent and multi-valued keys,
 * Null, Bool, numbers and dates, wildcards in actions, resources and ARN
 * parts, the case rules, NotAction/NotResource/NotPrincipal, and deny over
 * allow inside one policy; multivalued keys without a set operator (no
 * match), variables only in an ARN's resource part, requests for "*", and
 * roles' sessions named by their roles.
 *
 * Documents are written with ` for " to keep the table readable.
 */
#include "policy_test.h"

#define ALLOW AMS_DECISION_ALLOW
#define IMPL AMS_DECISION_IMPLICIT_DENY
#define EXPL AMS_DECISION_EXPLICIT_DENY

#define KEY1 "arn:aws:kms:us-east-1:111111111111:key/k1"
#define ROLE "arn:aws:iam::222222222222:role/R"
#define SVC "imagebuilder.amazonaws.com"

typedef struct
{
  /* 'C': `text` is a Condition block of an identity statement allowing
   *      kms:Decrypt on "*";
   * 'S': `text` is the rest of an identity statement with Effect Allow;
   * 'P': `text` is a whole identity policy;
   * 'R': `text` is a whole resource policy. */
  char kind;
  const char *text;
  const char *ctx;       /* pt_context spec */
  AmsDecision expect;
  const char *action;    /* NULL: kms:Decrypt */
  const char *resource;  /* NULL: KEY1 */
  const char *principal; /* NULL: ROLE; a service name has no account */
} EvalCase;

static const EvalCase cases[] = {
  /* ---- StringEquals / StringNotEquals ------------------------------------ */
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-xyz", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=O-ABC", IMPL },
  { 'C', "{`StringEquals`: {`AWS:principalorgid`: `o-abc`}}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "AWS:PRINCIPALORGID=o-abc", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: [`o-1`, `o-abc`]}}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: [`o-1`, `o-2`]}}", "aws:PrincipalOrgID=o-abc", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-*`}}", "aws:PrincipalOrgID=o-abc", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-*`}}", "aws:PrincipalOrgID=o-*", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`, `aws:PrincipalAccount`: `222222222222`}}",
    "aws:PrincipalOrgID=o-abc;aws:PrincipalAccount=222222222222", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`, `aws:PrincipalAccount`: `222222222222`}}",
    "aws:PrincipalOrgID=o-abc", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}, `StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Build*`}}",
    "aws:PrincipalOrgID=o-abc;aws:PrincipalArn=arn:aws:iam::222222222222:role/BuildBot", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-abc`}, `StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Build*`}}",
    "aws:PrincipalOrgID=o-abc;aws:PrincipalArn=arn:aws:iam::222222222222:role/Deploy", IMPL },
  { 'C', "{`StringEquals`: {`s3:max-keys`: 10}}", "s3:max-keys=10", ALLOW },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-xyz", ALLOW },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-abc", IMPL },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "", ALLOW },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgID`: [`o-1`, `o-2`]}}", "aws:PrincipalOrgID=o-2", IMPL },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgID`: [`o-1`, `o-2`]}}", "aws:PrincipalOrgID=o-3", ALLOW },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=O-ABC", ALLOW },

  /* ---- …IgnoreCase ---------------------------------------------------------- */
  { 'C', "{`StringEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "aws:PrincipalTag/team=BUILD", ALLOW },
  { 'C', "{`StringEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "aws:PrincipalTag/team=build", ALLOW },
  { 'C', "{`StringEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "aws:PrincipalTag/team=builds", IMPL },
  { 'C', "{`StringEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "", IMPL },
  { 'C', "{`StringNotEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "aws:PrincipalTag/team=BUILD", IMPL },
  { 'C', "{`StringNotEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "aws:PrincipalTag/team=ops", ALLOW },
  { 'C', "{`StringNotEqualsIgnoreCase`: {`aws:PrincipalTag/team`: `Build`}}", "", ALLOW },

  /* ---- StringLike / StringNotLike ------------------------------------------ */
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Image*`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/ImageBuilder", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Image*`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/Other", IMPL },
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/image*`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/ImageBuilder", IMPL },
  { 'C', "{`StringLike`: {`aws:SourceAccount`: `11111111111?`}}", "aws:SourceAccount=111111111112", ALLOW },
  { 'C', "{`StringLike`: {`aws:SourceAccount`: `11111111111?`}}", "aws:SourceAccount=1111111111123", IMPL },
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Image*`}}", "", IMPL },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `*`}}", "aws:PrincipalTag/x=", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/R`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:x:role/R", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `caf?`}}", "aws:PrincipalTag/x=caf\xc3\xa9", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `a*b*c`}}", "aws:PrincipalTag/x=aXbYbZc", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `a*b*c`}}", "aws:PrincipalTag/x=aXbYbZ", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/x`: `a\\\\b`}}", "aws:PrincipalTag/x=a\\b", ALLOW },
  { 'C', "{`StringNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Admin*`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/AdminX", IMPL },
  { 'C', "{`StringNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Admin*`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/Dev", ALLOW },
  { 'C', "{`StringNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Admin*`}}", "", ALLOW },

  /* ---- …IfExists ----------------------------------------------------------- */
  { 'C', "{`StringEqualsIfExists`: {`aws:PrincipalOrgID`: `o-abc`}}", "", ALLOW },
  { 'C', "{`StringEqualsIfExists`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'C', "{`StringEqualsIfExists`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-x", IMPL },
  { 'C', "{`StringLikeIfExists`: {`aws:PrincipalArn`: `*:role/R`}}", "", ALLOW },
  { 'C', "{`StringNotEqualsIfExists`: {`aws:PrincipalOrgID`: `o-abc`}}", "", ALLOW },
  { 'C', "{`StringNotEqualsIfExists`: {`aws:PrincipalOrgID`: `o-abc`}}", "aws:PrincipalOrgID=o-abc", IMPL },
  { 'C', "{`NumericLessThanIfExists`: {`kms:GrantCount`: `5`}}", "", ALLOW },
  { 'C', "{`NumericLessThanIfExists`: {`kms:GrantCount`: `5`}}", "kms:GrantCount=3", ALLOW },
  { 'C', "{`NumericLessThanIfExists`: {`kms:GrantCount`: `5`}}", "kms:GrantCount=9", IMPL },
  { 'C', "{`ArnLikeIfExists`: {`aws:SourceArn`: `arn:aws:imagebuilder:*:*:image/*`}}", "", ALLOW },
  { 'C', "{`ArnLikeIfExists`: {`aws:SourceArn`: `arn:aws:imagebuilder:*:*:image/*`}}",
    "aws:SourceArn=arn:aws:s3:::bucket", IMPL },
  { 'C', "{`BoolIfExists`: {`aws:MultiFactorAuthPresent`: `true`}}", "", ALLOW },
  { 'C', "{`BoolIfExists`: {`aws:MultiFactorAuthPresent`: `true`}}", "aws:MultiFactorAuthPresent=false", IMPL },
  { 'C', "{`DateLessThanIfExists`: {`aws:CurrentTime`: `2030-01-01T00:00:00Z`}}", "", ALLOW },
  { 'C', "{`DateLessThanIfExists`: {`aws:CurrentTime`: `2030-01-01T00:00:00Z`}}", "aws:CurrentTime=2031-01-01T00:00:00Z", IMPL },

  /* ---- Arn… ---------------------------------------------------------------- */
  { 'C', "{`ArnLike`: {`aws:SourceArn`: `arn:*:imagebuilder:*:*:image/*/*/*`}}",
    "aws:SourceArn=arn:aws:imagebuilder:us-east-1:111111111111:image/my-recipe/1.0.0/1", ALLOW },
  { 'C', "{`ArnLike`: {`aws:SourceArn`: `arn:*:imagebuilder:*:*:image/*/*/*`}}",
    "aws:SourceArn=arn:aws:imagebuilder:us-east-1:111111111111:image-recipe/my-recipe/1.0.0", IMPL },
  { 'C', "{`ArnEquals`: {`aws:SourceArn`: `arn:aws:imagebuilder:us-east-1:111111111111:image/*`}}",
    "aws:SourceArn=arn:aws:imagebuilder:us-east-1:111111111111:image/r/1.0.0/1", ALLOW },
  { 'C', "{`ArnEquals`: {`aws:SourceArn`: `arn:aws:imagebuilder:us-east-1:111111111111:image/r/1.0.0/1`}}",
    "aws:SourceArn=arn:aws:imagebuilder:us-east-1:111111111111:image/r/1.0.0/1", ALLOW },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/R`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:x:role/R", IMPL },
  { 'C', "{`ArnLike`: {`aws:SourceArn`: `arn:aws:logs:us-east-1:111111111111:log-group:*`}}",
    "aws:SourceArn=arn:aws:logs:us-east-1:111111111111:log-group:my:stream", ALLOW },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/r`}}", "aws:PrincipalArn=" ROLE, IMPL },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/*`}}", "aws:PrincipalArn=not-an-arn", IMPL },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::22222222222?:role/R`}}", "aws:PrincipalArn=" ROLE, ALLOW },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/*`}}", "", IMPL },
  { 'C', "{`ArnNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Admin`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/Admin", IMPL },
  { 'C', "{`ArnNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Admin`}}", "aws:PrincipalArn=" ROLE, ALLOW },
  { 'C', "{`ArnNotLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/Admin`}}", "", ALLOW },
  { 'C', "{`ArnNotEquals`: {`aws:PrincipalArn`: `arn:aws:iam::222222222222:role/Admin`}}",
    "aws:PrincipalArn=arn:aws:iam::222222222222:role/Admin", IMPL },
  { 'C', "{`ArnNotEquals`: {`aws:PrincipalArn`: `arn:aws:iam::222222222222:role/Admin`}}", "aws:PrincipalArn=" ROLE, ALLOW },

  /* ---- Bool / Null ------------------------------------------------------------- */
  { 'C', "{`Bool`: {`aws:SecureTransport`: `true`}}", "aws:SecureTransport=true", ALLOW },
  { 'C', "{`Bool`: {`aws:SecureTransport`: `true`}}", "aws:SecureTransport=false", IMPL },
  { 'C', "{`Bool`: {`aws:SecureTransport`: `true`}}", "", IMPL },
  { 'C', "{`Bool`: {`aws:SecureTransport`: `true`}}", "aws:SecureTransport=TRUE", ALLOW },
  { 'C', "{`Bool`: {`aws:SecureTransport`: true}}", "aws:SecureTransport=true", ALLOW },
  { 'C', "{`Bool`: {`aws:ViaAWSService`: `false`}}", "aws:ViaAWSService=false", ALLOW },
  { 'C', "{`Bool`: {`aws:ViaAWSService`: `false`}}", "aws:ViaAWSService=yes", IMPL },
  { 'C', "{`Null`: {`aws:PrincipalOrgID`: `true`}}", "", ALLOW },
  { 'C', "{`Null`: {`aws:PrincipalOrgID`: `true`}}", "aws:PrincipalOrgID=o-abc", IMPL },
  { 'C', "{`Null`: {`aws:PrincipalOrgID`: `false`}}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'C', "{`Null`: {`aws:PrincipalOrgID`: `false`}}", "", IMPL },
  { 'C', "{`Null`: {`aws:PrincipalOrgID`: false}}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'C', "{`Null`: {`AWS:PRINCIPALORGID`: `false`}}", "aws:principalorgid=o-abc", ALLOW },

  /* ---- Numeric… ------------------------------------------------------------------ */
  { 'C', "{`NumericEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600", ALLOW },
  { 'C', "{`NumericEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600.0", ALLOW },
  { 'C', "{`NumericEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3601", IMPL },
  { 'C', "{`NumericEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "", IMPL },
  { 'C', "{`NumericEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=abc", IMPL },
  { 'C', "{`NumericEquals`: {`s3:max-keys`: 10}}", "s3:max-keys=10", ALLOW },
  { 'C', "{`NumericNotEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600", IMPL },
  { 'C', "{`NumericNotEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=10", ALLOW },
  { 'C', "{`NumericNotEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "", ALLOW },
  { 'C', "{`NumericLessThan`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3599", ALLOW },
  { 'C', "{`NumericLessThan`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600", IMPL },
  { 'C', "{`NumericLessThanEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600", ALLOW },
  { 'C', "{`NumericLessThanEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3601", IMPL },
  { 'C', "{`NumericGreaterThan`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3601", ALLOW },
  { 'C', "{`NumericGreaterThan`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600", IMPL },
  { 'C', "{`NumericGreaterThanEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3600", ALLOW },
  { 'C', "{`NumericGreaterThanEquals`: {`aws:MultiFactorAuthAge`: `3600`}}", "aws:MultiFactorAuthAge=3599", IMPL },
  { 'C', "{`NumericLessThan`: {`s3:x`: `-1.5`}}", "s3:x=-2", ALLOW },
  { 'C', "{`NumericLessThan`: {`s3:x`: `-1.5`}}", "s3:x=-1.5", IMPL },
  { 'C', "{`NumericLessThan`: {`s3:x`: `1e3`}}", "s3:x=999", ALLOW },
  { 'C', "{`NumericGreaterThan`: {`s3:x`: [`10`, `100`]}}", "s3:x=50", ALLOW },

  /* ---- Date… --------------------------------------------------------------------- */
  { 'C', "{`DateGreaterThan`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-06-01T12:00:00Z", ALLOW },
  { 'C', "{`DateGreaterThan`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2023-12-31T23:59:59Z", IMPL },
  { 'C', "{`DateGreaterThan`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", IMPL },
  { 'C', "{`DateGreaterThan`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "", IMPL },
  { 'C', "{`DateLessThan`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2023-12-31T23:59:59Z", ALLOW },
  { 'C', "{`DateLessThan`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", IMPL },
  { 'C', "{`DateEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", ALLOW },
  { 'C', "{`DateEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=1704067200", ALLOW },
  { 'C', "{`DateEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T01:00:00+01:00", ALLOW },
  { 'C', "{`DateEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:01Z", IMPL },
  { 'C', "{`DateNotEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", IMPL },
  { 'C', "{`DateNotEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-02-01T00:00:00Z", ALLOW },
  { 'C', "{`DateNotEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "", ALLOW },
  { 'C', "{`DateLessThanEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", ALLOW },
  { 'C', "{`DateLessThanEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:01Z", IMPL },
  { 'C', "{`DateGreaterThanEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", ALLOW },
  { 'C', "{`DateGreaterThanEquals`: {`aws:CurrentTime`: `2024-01-01T00:00:00Z`}}", "aws:CurrentTime=2023-01-01T00:00:00Z", IMPL },
  { 'C', "{`DateLessThan`: {`aws:EpochTime`: `1704067200`}}", "aws:EpochTime=1704067199", ALLOW },
  { 'C', "{`DateLessThan`: {`aws:EpochTime`: 1704067200}}", "aws:EpochTime=1704067200", IMPL },
  { 'C', "{`DateGreaterThanEquals`: {`aws:CurrentTime`: `2024-01-01`}}", "aws:CurrentTime=2024-01-01T00:00:00Z", ALLOW },
  { 'C', "{`DateGreaterThanEquals`: {`aws:CurrentTime`: `2024-01-01`}}", "aws:CurrentTime=yesterday", IMPL },

  /* ---- ForAnyValue: / ForAllValues: ---------------------------------------------- */
  { 'C', "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "aws:TagKeys=Owner|Cost", ALLOW },
  { 'C', "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "aws:TagKeys=Cost|Env", IMPL },
  { 'C', "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "", IMPL },
  { 'C', "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "aws:TagKeys=Team", ALLOW },
  { 'C', "{`ForAnyValue:StringNotEquals`: {`aws:TagKeys`: [`DataClass`, `Owner`]}}", "aws:TagKeys=DataClass|Owner", IMPL },
  { 'C', "{`ForAnyValue:StringNotEquals`: {`aws:TagKeys`: [`DataClass`, `Owner`]}}", "aws:TagKeys=Dept|DataClass", ALLOW },
  { 'C', "{`ForAnyValue:StringNotEquals`: {`aws:TagKeys`: [`DataClass`, `Owner`]}}", "", IMPL },
  { 'C', "{`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: [`o-a/r-1/ou-1/*`]}}", "aws:PrincipalOrgPaths=o-a/r-1/ou-1/ou-2/", ALLOW },
  { 'C', "{`ForAnyValue:StringEqualsIfExists`: {`aws:TagKeys`: `Owner`}}", "", ALLOW },
  { 'C', "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "aws:TagKeys=Owner|Team", ALLOW },
  { 'C', "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "aws:TagKeys=Owner", ALLOW },
  { 'C', "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "aws:TagKeys=Owner|Cost", IMPL },
  { 'C', "{`ForAllValues:StringEquals`: {`aws:TagKeys`: [`Owner`, `Team`]}}", "", ALLOW },
  { 'C', "{`ForAllValues:StringNotEquals`: {`aws:TagKeys`: `Secret`}}", "aws:TagKeys=Owner|Team", ALLOW },
  { 'C', "{`ForAllValues:StringNotEquals`: {`aws:TagKeys`: `Secret`}}", "aws:TagKeys=Owner|Secret", IMPL },
  { 'C', "{`ForAllValues:StringNotEquals`: {`aws:TagKeys`: `Secret`}}", "", ALLOW },
  { 'C', "{`ForAllValues:StringLike`: {`aws:TagKeys`: `key1*`}}", "aws:TagKeys=key1a|key1b", ALLOW },
  { 'C', "{`ForAllValues:StringLike`: {`aws:TagKeys`: `key1*`}}", "aws:TagKeys=key1a|key2", IMPL },
  { 'C', "{`ForAllValues:StringEquals`: {`aws:TagKeys`: `Owner`}, `Null`: {`aws:TagKeys`: `false`}}", "", IMPL },
  { 'C', "{`ForAllValues:StringEquals`: {`aws:TagKeys`: `Owner`}, `Null`: {`aws:TagKeys`: `false`}}", "aws:TagKeys=Owner", ALLOW },
  { 'C', "{`ForAllValues:NumericLessThan`: {`s3:x`: `10`}}", "s3:x=1|2", ALLOW },
  { 'C', "{`ForAllValues:NumericLessThan`: {`s3:x`: `10`}}", "s3:x=1|20", IMPL },
  { 'C', "{`ForAnyValue:ArnLike`: {`aws:CalledVia`: `arn:aws:iam::*:role/*`}}", "aws:CalledVia=x|" ROLE, ALLOW },

  /* ---- a multivalued key under an operator without ForAnyValue:/ForAllValues:
   * (see condition.c): IAM requires a set operator, so such a condition does
   * not match while the request has the key, negated or not; these rows
   * used to read the values as ForAnyValue: would (Allow), which was wrong. */
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/`}}", "aws:PrincipalOrgPaths=o-a/r-1/|o-a/r-1/ou-1/", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/`}}", "aws:PrincipalOrgPaths=o-a/r-1/|o-a/r-1/ou-2/", IMPL },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/`}}", "aws:PrincipalOrgPaths=o-a/r-1/|o-a/r-1/ou-1/", IMPL },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/`}}", "aws:PrincipalOrgPaths=o-a/r-1/|o-a/r-1/ou-2/", IMPL },
  /* documented as multivalued: even one value needs a set operator */
  { 'C', "{`StringLike`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/*`}}", "aws:PrincipalOrgPaths=o-a/r-1/ou-1/ou-2/", IMPL },
  { 'C', "{`StringEquals`: {`aws:TagKeys`: `Owner`}}", "aws:TagKeys=Owner", IMPL },
  { 'C', "{`StringEquals`: {`AWS:tagkeys`: `Owner`}}", "aws:TagKeys=Owner", IMPL },
  { 'C', "{`StringNotEquals`: {`aws:TagKeys`: `Secret`}}", "aws:TagKeys=Owner", IMPL },
  { 'C', "{`StringEqualsIfExists`: {`aws:TagKeys`: `Owner`}}", "aws:TagKeys=Owner", IMPL },
  { 'C', "{`ArnLike`: {`aws:CalledVia`: `arn:aws:iam::*:role/*`}}", "aws:CalledVia=" ROLE, IMPL },
  { 'C', "{`StringEquals`: {`aws:ResourceOrgPaths`: `o-a/r-1/`}}", "aws:ResourceOrgPaths=o-a/r-1/", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalServiceNamesList`: `ec2.amazonaws.com`}}",
    "aws:PrincipalServiceNamesList=ec2.amazonaws.com", IMPL },
  /* a single-valued key that the request gives several values */
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/team`: `build`}}", "aws:PrincipalTag/team=build|ops", IMPL },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalTag/team`: `admin`}}", "aws:PrincipalTag/team=build|ops", IMPL },
  /* healthy around it: an absent key keeps the missing-key rules, the set
   * operators and Null work on multivalued keys, a single value of a
   * single-valued key is compared as always */
  { 'C', "{`StringNotEquals`: {`aws:TagKeys`: `Secret`}}", "", ALLOW },
  { 'C', "{`StringEqualsIfExists`: {`aws:TagKeys`: `Owner`}}", "", ALLOW },
  { 'C', "{`StringEquals`: {`aws:TagKeys`: `Owner`}}", "", IMPL },
  { 'C', "{`ForAnyValue:StringEquals`: {`aws:TagKeys`: `Owner`}}", "aws:TagKeys=Owner", ALLOW },
  { 'C', "{`ForAllValues:StringNotEquals`: {`aws:TagKeys`: `Secret`}}", "aws:TagKeys=Owner", ALLOW },
  { 'C', "{`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/*`}}", "aws:PrincipalOrgPaths=o-a/r-1/ou-1/ou-2/", ALLOW },
  { 'C', "{`Null`: {`aws:PrincipalOrgPaths`: `false`}}", "aws:PrincipalOrgPaths=o-a/r-1/|o-a/r-1/ou-1/", ALLOW },
  { 'C', "{`ForAnyValue:StringEquals`: {`aws:PrincipalTag/team`: `build`}}", "aws:PrincipalTag/team=build|ops", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/team`: `build`}}", "aws:PrincipalTag/team=build", ALLOW },
  { 'C', "{`StringNotEquals`: {`aws:PrincipalTag/team`: `admin`}}", "aws:PrincipalTag/team=build", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalOrgID`: `o-a`}}", "aws:PrincipalOrgID=o-a", ALLOW },
  { 'C', "{`ArnLike`: {`aws:CalledViaFirst`: `arn:aws:iam::*:role/*`}}", "aws:CalledViaFirst=" ROLE, ALLOW },

  /* ---- policy variables (Version 2012-10-17) ----------------------------------- */
  { 'C', "{`StringEquals`: {`aws:SourceAccount`: `${aws:PrincipalAccount}`}}",
    "aws:SourceAccount=111111111111;aws:PrincipalAccount=111111111111", ALLOW },
  { 'C', "{`StringEquals`: {`aws:SourceAccount`: `${aws:PrincipalAccount}`}}",
    "aws:SourceAccount=111111111111;aws:PrincipalAccount=222222222222", IMPL },
  { 'C', "{`StringEquals`: {`aws:SourceAccount`: `${aws:PrincipalAccount}`}}", "aws:SourceAccount=111111111111", IMPL },
  { 'C', "{`StringEquals`: {`aws:SourceAccount`: `${AWS:principalaccount}`}}",
    "aws:SourceAccount=111111111111;aws:PrincipalAccount=111111111111", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/team`: `${aws:RequestTag/team, 'none'}`}}", "aws:PrincipalTag/team=none", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/team`: `${aws:RequestTag/team, 'none'}`}}",
    "aws:PrincipalTag/team=none;aws:RequestTag/team=ops", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/q`: `${aws:username, 'it''s'}`}}", "aws:PrincipalTag/q=it's", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `a${*}b`}}", "aws:PrincipalTag/x=a*b", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `a${*}b`}}", "aws:PrincipalTag/x=axxb", IMPL },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/x`: `a${?}b`}}", "aws:PrincipalTag/x=axb", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/x`: `cost${$}`}}", "aws:PrincipalTag/x=cost$", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/p`: `${aws:PrincipalTag/q}`}}", "aws:PrincipalTag/q=a*;aws:PrincipalTag/p=abc", IMPL },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/p`: `${aws:PrincipalTag/q}`}}", "aws:PrincipalTag/q=a*;aws:PrincipalTag/p=a*", ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalTag/p`: `${aws:PrincipalTag/q}*`}}", "aws:PrincipalTag/q=a;aws:PrincipalTag/p=abc", ALLOW },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/p`: `${aws:PrincipalOrgPaths}`}}",
    "aws:PrincipalOrgPaths=o-a/r-1/|o-a/r-2/;aws:PrincipalTag/p=o-a/r-1/", IMPL },
  /* A variable in an ARN's account part is a compile error (see
   * test_policy_compile.c); as a string it may stand anywhere. */
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::${aws:PrincipalAccount}:role/*`}}",
    "aws:PrincipalAccount=222222222222;aws:PrincipalArn=" ROLE, ALLOW },
  { 'C', "{`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::${aws:PrincipalAccount}:role/*`}}",
    "aws:PrincipalAccount=333333333333;aws:PrincipalArn=" ROLE, IMPL },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/${aws:PrincipalTag/role}`}}",
    "aws:PrincipalTag/role=R;aws:PrincipalArn=" ROLE, ALLOW },
  { 'C', "{`ArnLike`: {`aws:PrincipalArn`: `arn:aws:iam::*:role/${aws:PrincipalTag/role}`}}",
    "aws:PrincipalTag/role=Q;aws:PrincipalArn=" ROLE, IMPL },
  { 'C', "{`StringNotEquals`: {`aws:SourceAccount`: `${aws:ResourceAccount}`}}", "aws:SourceAccount=1", ALLOW },
  /* Variables in the resource part of a Resource (after the fifth colon,
   * where the value's own colons are literal). The account part used to be
   * accepted here; it is a compile error now (test_policy_compile.c). */
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `kms:*`, "
         "`Resource`: `arn:aws:kms:*:111111111111:key/${aws:PrincipalTag/key}`}}", "aws:PrincipalTag/key=k1", ALLOW },
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `kms:*`, "
         "`Resource`: `arn:aws:kms:*:111111111111:key/${aws:PrincipalTag/key}`}}", "aws:PrincipalTag/key=k2", IMPL },
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `kms:*`, "
         "`Resource`: `arn:aws:kms:*:111111111111:key/${aws:PrincipalTag/key}`}}", "", IMPL },
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `kms:*`, "
         "`NotResource`: `arn:aws:kms:*:111111111111:key/${aws:PrincipalTag/key}`}}", "aws:PrincipalTag/key=k1", IMPL },
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `kms:*`, "
         "`Resource`: `arn:aws:kms:*:111111111111:${aws:PrincipalTag/key}`}}", "aws:PrincipalTag/key=key/k1", ALLOW },
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `logs:*`, "
         "`Resource`: `arn:aws:logs:us-east-1:111111111111:log-group:${aws:username}`}}", "aws:username=a:b", ALLOW,
    "logs:PutLogEvents", "arn:aws:logs:us-east-1:111111111111:log-group:a:b" },
  { 'P', "{`Version`: `2012-10-17`, `Statement`: {`Effect`: `Allow`, `Action`: `logs:*`, "
         "`Resource`: `arn:aws:logs:us-east-1:111111111111:log-group:${aws:username}`}}", "aws:username=a:c", IMPL,
    "logs:PutLogEvents", "arn:aws:logs:us-east-1:111111111111:log-group:a:b" },
  /* a multivalued key cannot stand in for a variable, even with one value */
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/p`: `${aws:PrincipalOrgPaths}`}}",
    "aws:PrincipalOrgPaths=o-a/r-1/;aws:PrincipalTag/p=o-a/r-1/", IMPL },
  { 'C', "{`StringEquals`: {`aws:PrincipalTag/p`: `${aws:PrincipalOrgPaths, 'none'}`}}",
    "aws:PrincipalOrgPaths=o-a/r-1/;aws:PrincipalTag/p=none", ALLOW },

  /* ---- actions ----------------------------------------------------------------- */
  { 'S', "`Action`: `kms:Decrypt`, `Resource`: `*`", "", ALLOW, "KMS:decrypt" },
  { 'S', "`Action`: `kms:decrypt`, `Resource`: `*`", "", ALLOW, "kms:Decrypt" },
  { 'S', "`Action`: `kms:Decrypt`, `Resource`: `*`", "", IMPL, "kms:Encrypt" },
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: `*`", "", ALLOW, "ec2:DescribeImages" },
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: `*`", "", IMPL, "ec2:CopyImage" },
  { 'S', "`Action`: `kms:ReEncrypt*`, `Resource`: `*`", "", ALLOW, "kms:ReEncryptFrom" },
  { 'S', "`Action`: `kms:GenerateDataKey*`, `Resource`: `*`", "", ALLOW, "kms:GenerateDataKeyWithoutPlaintext" },
  { 'S', "`Action`: `ec2:?opyImage`, `Resource`: `*`", "", ALLOW, "ec2:CopyImage" },
  { 'S', "`Action`: `ec2:?opyImage`, `Resource`: `*`", "", IMPL, "ec2:CCopyImage" },
  { 'S', "`Action`: `*`, `Resource`: `*`", "", ALLOW, "sts:AssumeRole" },
  { 'S', "`Action`: `kms:*`, `Resource`: `*`", "", IMPL, "ec2:CopyImage" },
  { 'S', "`Action`: `kms:*`, `Resource`: `*`", "", IMPL, "kmsx:Decrypt" },
  { 'S', "`Action`: [`kms:Decrypt`, `kms:Encrypt`], `Resource`: `*`", "", ALLOW, "kms:Encrypt" },
  { 'S', "`NotAction`: `kms:*`, `Resource`: `*`", "", ALLOW, "ec2:CopyImage" },
  { 'S', "`NotAction`: `kms:*`, `Resource`: `*`", "", IMPL, "kms:Decrypt" },
  { 'S', "`NotAction`: [`kms:*`, `ec2:Copy*`], `Resource`: `*`", "", IMPL, "EC2:copyimage" },
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `NotAction`: `ec2:*`, `Resource`: `*`}]}", "", EXPL, "kms:Decrypt" },
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `NotAction`: `ec2:*`, `Resource`: `*`}]}", "", ALLOW, "ec2:CopyImage" },

  /* ---- a request without a resource ("*": actions without resource-level
   * permissions): only Resource "*" matches it, and a NotResource of ARNs ---- */
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: `*`", "", ALLOW, "ec2:DescribeImages", "*" },
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: [`arn:aws:ec2:*::image/*`, `*`]", "", ALLOW, "ec2:DescribeImages", "*" },
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: `arn:aws:ec2:*::image/*`", "", IMPL, "ec2:DescribeImages", "*" },
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: `arn:*:*:*:*:*`", "", IMPL, "ec2:DescribeImages", "*" },
  { 'S', "`Action`: `ec2:Describe*`, `Resource`: `arn:aws:ec2:*:*:*`", "", IMPL, "ec2:DescribeImages", "*" },
  { 'S', "`Action`: `ec2:Describe*`, `NotResource`: `arn:aws:ec2:*::image/*`", "", ALLOW, "ec2:DescribeImages", "*" },
  { 'S', "`Action`: `ec2:Describe*`, `NotResource`: `*`", "", IMPL, "ec2:DescribeImages", "*" },
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `Action`: `ec2:*`, `NotResource`: `arn:aws:ec2:*::image/ami-1`}]}", "", EXPL, "ec2:DescribeImages", "*" },

  /* ---- resources --------------------------------------------------------------- */
  { 'S', "`Action`: `kms:*`, `Resource`: `arn:aws:kms:us-east-1:111111111111:key/*`", "", ALLOW },
  { 'S', "`Action`: `kms:*`, `Resource`: `arn:aws:kms:us-east-1:111111111111:key/*`", "", IMPL, NULL,
    "arn:aws:kms:us-west-2:111111111111:key/k1" },
  { 'S', "`Action`: `kms:*`, `Resource`: `arn:aws:kms:*:111111111111:key/*`", "", ALLOW, NULL,
    "arn:aws:kms:us-west-2:111111111111:key/k1" },
  { 'S', "`Action`: `kms:*`, `Resource`: `arn:aws:kms:us-east-1:111111111111:key/K1`", "", IMPL },
  { 'S', "`Action`: `kms:*`, `Resource`: `arn:aws:kms:us-east-1:111111111111:key/k?`", "", ALLOW },
  { 'S', "`Action`: `kms:*`, `Resource`: `arn:aws:kms:us-east-1:111111111111:key/k?`", "", IMPL, NULL,
    "arn:aws:kms:us-east-1:111111111111:key/k12" },
  { 'S', "`Action`: `ec2:*`, `Resource`: `arn:aws:ec2:*::image/*`", "", ALLOW, "ec2:CreateTags",
    "arn:aws:ec2:us-east-1::image/ami-0123" },
  { 'S', "`Action`: `ec2:*`, `Resource`: `arn:aws:ec2:*::image/*`", "", IMPL, "ec2:CreateTags",
    "arn:aws:ec2:us-east-1::snapshot/snap-0123" },
  { 'S', "`Action`: `kms:*`, `NotResource`: `arn:aws:kms:*:111111111111:key/secret`", "", ALLOW },
  { 'S', "`Action`: `kms:*`, `NotResource`: `arn:aws:kms:*:111111111111:key/secret`", "", IMPL, NULL,
    "arn:aws:kms:us-east-1:111111111111:key/secret" },
  { 'S', "`Action`: `kms:*`, `Resource`: [`arn:aws:kms:*:333333333333:key/*`, `arn:aws:kms:*:111111111111:key/*`]", "", ALLOW },
  { 'S', "`Action`: `iam:*`, `Resource`: `arn:aws:iam::*:role/R`", "", IMPL, "iam:GetRole",
    "arn:aws:iam::111111111111:x:role/R" },
  { 'S', "`Action`: `iam:*`, `Resource`: `arn:aws:iam::*:role/*`", "", ALLOW, "iam:GetRole", ROLE },

  /* ---- deny over allow inside one policy -------------------------------------- */
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `kms:*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `Action`: `kms:Decrypt`, `Resource`: `*`}]}", "", EXPL },
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `kms:*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `Action`: `kms:Decrypt`, `Resource`: `*`}]}", "", ALLOW, "kms:Encrypt" },
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `kms:*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`, "
         "`Condition`: {`StringNotEquals`: {`aws:PrincipalOrgID`: `o-abc`}}}]}", "aws:PrincipalOrgID=o-abc", ALLOW },
  { 'P', "{`Statement`: [{`Effect`: `Allow`, `Action`: `kms:*`, `Resource`: `*`}, "
         "{`Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`, "
         "`Condition`: {`StringNotEquals`: {`aws:PrincipalOrgID`: `o-abc`}}}]}", "", EXPL },
  { 'P', "{`Statement`: {`Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`}}", "", EXPL },
  { 'P', "{`Statement`: {`Effect`: `Allow`, `Action`: `ec2:*`, `Resource`: `*`}}", "", IMPL },

  /* ---- resource policies: principals ------------------------------------------ */
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `" ROLE "`}, `Action`: `kms:*`, `Resource`: `*`}}", "", ALLOW },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `" ROLE "`}, `Action`: `kms:*`, `Resource`: `*`}}", "", IMPL,
    NULL, NULL, "arn:aws:iam::222222222222:role/Other" },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `222222222222`}, `Action`: `kms:*`, `Resource`: `*`}}", "", ALLOW },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `222222222222`}, `Action`: `kms:*`, `Resource`: `*`}}", "", IMPL,
    NULL, NULL, "arn:aws:iam::333333333333:role/R" },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::222222222222:root`}, `Action`: `kms:*`, `Resource`: `*`}}", "", ALLOW },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`, `Resource`: `*`}}", "", ALLOW },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `*`}, `Action`: `kms:*`, `Resource`: `*`}}", "", ALLOW },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: [`333333333333`, `" ROLE "`]}, `Action`: `kms:*`, `Resource`: `*`}}", "", ALLOW },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`Service`: `" SVC "`}, `Action`: `sts:AssumeRole`}}", "", ALLOW,
    "sts:AssumeRole", NULL, SVC },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`Service`: [`ec2.amazonaws.com`, `" SVC "`]}, `Action`: `sts:AssumeRole`}}", "", ALLOW,
    "sts:AssumeRole", NULL, SVC },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`Service`: `" SVC "`}, `Action`: `sts:AssumeRole`}}", "", IMPL,
    "sts:AssumeRole", NULL, ROLE },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `222222222222`}, `Action`: `sts:AssumeRole`}}", "", IMPL,
    "sts:AssumeRole", NULL, SVC },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: `*`, `Action`: `sts:AssumeRole`}}", "", ALLOW,
    "sts:AssumeRole", NULL, SVC },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:sts::222222222222:assumed-role/R/s1`}, `Action`: `kms:*`}}", "", ALLOW,
    NULL, NULL, "arn:aws:sts::222222222222:assumed-role/R/s1" },
  { 'R', "{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`}, "
         "{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `arn:aws:iam::222222222222:role/Admin`}, `Action`: `kms:Decrypt`}]}", "", EXPL },
  { 'R', "{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`}, "
         "{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `arn:aws:iam::222222222222:role/Admin`}, `Action`: `kms:Decrypt`}]}", "", ALLOW,
    NULL, NULL, "arn:aws:iam::222222222222:role/Admin" },
  { 'R', "{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`}, "
         "{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `222222222222`}, `Action`: `kms:*`}]}", "", ALLOW },
  { 'R', "{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`}, "
         "{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `222222222222`}, `Action`: `kms:*`}]}", "", EXPL,
    NULL, NULL, "arn:aws:iam::333333333333:role/R" },
  { 'R', "{`Statement`: {`Effect`: `Deny`, `Principal`: {`AWS`: `222222222222`}, `Action`: `kms:*`}}", "", EXPL },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `NotPrincipal`: {`AWS`: `333333333333`}, `Action`: `kms:*`}}", "", ALLOW },

  /* ---- a role's sessions: a Principal naming the role names them -------------- */
#define SESSION "arn:aws:sts::222222222222:assumed-role/R/s1"
#define ALLOW_KMS_TO(p) "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `" p "`}, `Action`: `kms:*`}}"
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/R"), "", ALLOW, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/team/a/R"), "", ALLOW, NULL, NULL, SESSION },
  { 'R', "{`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: [`arn:aws:iam::222222222222:role/Q`, `arn:aws:iam::222222222222:role/R`]}, "
         "`Action`: `sts:AssumeRole`}}", "", ALLOW, "sts:AssumeRole", NULL, SESSION },
  { 'R', "{`Statement`: {`Effect`: `Deny`, `Principal`: {`AWS`: `arn:aws:iam::222222222222:role/R`}, `Action`: `kms:*`}}", "", EXPL,
    NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/R"), "", ALLOW, NULL, NULL, "arn:aws:sts::222222222222:assumed-role/R/other-session" },
  { 'R', ALLOW_KMS_TO (SESSION), "", ALLOW, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("222222222222"), "", ALLOW, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:root"), "", ALLOW, NULL, NULL, SESSION },
  /* not another role's, another account's or partition's, a user's, or a session naming another one */
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/R"), "", IMPL, NULL, NULL, "arn:aws:sts::222222222222:assumed-role/Rx/s1" },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/R"), "", IMPL, NULL, NULL, "arn:aws:sts::222222222222:assumed-role/Q/s1" },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/team/R"), "", IMPL, NULL, NULL, "arn:aws:sts::222222222222:assumed-role/team/s1" },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::333333333333:role/R"), "", IMPL, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws-cn:iam::222222222222:role/R"), "", IMPL, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:user/R"), "", IMPL, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws:sts::222222222222:assumed-role/R/s2"), "", IMPL, NULL, NULL, SESSION },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/R"), "", ALLOW },
  { 'R', ALLOW_KMS_TO ("arn:aws:iam::222222222222:role/R"), "", IMPL, NULL, NULL, "arn:aws:iam::222222222222:role/Rx" },
  /* NotPrincipal spares an assumed-role session only when it lists the
   * session itself (IAM User Guide, NotPrincipal) or its account */
  { 'R', "{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`}, "
         "{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `arn:aws:iam::222222222222:role/R`}, `Action`: `kms:*`}]}", "", EXPL,
    NULL, NULL, SESSION },
  { 'R', "{`Statement`: [{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`}, "
         "{`Effect`: `Deny`, `NotPrincipal`: {`AWS`: [`" SESSION "`, `arn:aws:iam::222222222222:role/R`]}, `Action`: `kms:*`}]}", "", ALLOW,
    NULL, NULL, SESSION },
};

static char *
policy_text (const EvalCase *c)
{
  g_autofree char *doc = NULL;
  switch (c->kind)
    {
    case 'C':
      doc = g_strdup_printf ("{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`, "
                             "`Action`: `kms:Decrypt`, `Resource`: `*`, `Condition`: %s}]}",
                             c->text);
      break;
    case 'S':
      doc = g_strdup_printf ("{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Allow`, %s}]}",
                             c->text);
      break;
    default:
      doc = g_strdup (c->text);
    }
  return g_strdelimit (g_steal_pointer (&doc), "`", '"');
}

static void
test_policy_eval_table (void)
{
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const EvalCase *c = &cases[i];
      g_autofree char *text = policy_text (c);
      g_autoptr (AmsPolicy) p = pt_policy (text, c->kind == 'R' ? AMS_POLICY_RESOURCE
                                                                 : AMS_POLICY_IDENTITY, "P");
      if (p == NULL)
        {
          fprintf (stderr, "case %u does not compile: %s\n", i, text);
          failed++;
          continue;
        }
      g_autoptr (AmsContext) ctx = pt_context (c->ctx);
      const char *principal = c->principal != NULL ? c->principal : ROLE;
      gboolean service = g_str_has_suffix (principal, ".amazonaws.com");
      g_autofree char *account = service ? NULL : g_strndup (principal + strlen ("arn:aws:iam::"), 12);
      AmsRequest req = {
        .action = c->action != NULL ? c->action : "kms:Decrypt",
        .resource = c->resource != NULL ? c->resource : KEY1,
        .resource_account = "111111111111",
        .principal = principal,
        .principal_account = account,
        .context = ctx,
      };
      g_autoptr (GArray) matched = g_array_new (FALSE, FALSE, sizeof (AmsStatementRef));
      AmsDecision d = ams_policy_evaluate (p, &req, matched);
      if (d != c->expect)
        {
          fprintf (stderr, "case %u: expected %s, got %s\n  policy: %s\n  context: %s\n", i,
                   pt_decision (c->expect), pt_decision (d), text, c->ctx);
          failed++;
        }
      /* The matching statements come back for any decision but ImplicitDeny. */
      if ((d == AMS_DECISION_IMPLICIT_DENY) != (matched->len == 0))
        {
          fprintf (stderr, "case %u: %u matched statements for %s\n", i, matched->len,
                   pt_decision (d));
          failed++;
        }
    }
  printf ("\n  %u evaluation cases\n", (guint) G_N_ELEMENTS (cases));
  CU_ASSERT_EQUAL (failed, 0);
}

/* Which statements ams_policy_evaluate reports. */
static void
test_policy_eval_matched_statements (void)
{
  g_autofree char *text = g_strdelimit (g_strdup (
    "{`Version`: `2012-10-17`, `Statement`: ["
    "{`Sid`: `A1`, `Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`},"
    "{`Sid`: `A2`, `Effect`: `Allow`, `Action`: `kms:*`, `Resource`: `*`},"
    "{`Sid`: `D1`, `Effect`: `Deny`, `Action`: `kms:Encrypt`, `Resource`: `*`},"
    "{`Sid`: `A3`, `Effect`: `Allow`, `Action`: `ec2:*`, `Resource`: `*`}]}"), "`", '"');
  g_autoptr (AmsPolicy) p = pt_policy (text, AMS_POLICY_IDENTITY, "P");
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  AmsRequest req = { .action = "kms:Decrypt", .resource = KEY1, .principal = ROLE,
                     .principal_account = "222222222222", .resource_account = "222222222222" };
  g_autoptr (GArray) m = g_array_new (FALSE, FALSE, sizeof (AmsStatementRef));
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, m), AMS_DECISION_ALLOW);
  CU_ASSERT_EQUAL_FATAL (m->len, 2);
  CU_ASSERT_EQUAL (g_array_index (m, AmsStatementRef, 0).statement, 0);
  CU_ASSERT_EQUAL (g_array_index (m, AmsStatementRef, 1).statement, 1);
  CU_ASSERT_PTR_EQUAL (g_array_index (m, AmsStatementRef, 0).policy, p);

  g_array_set_size (m, 0);
  req.action = "kms:Encrypt";
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, m), AMS_DECISION_EXPLICIT_DENY);
  CU_ASSERT_EQUAL_FATAL (m->len, 1);
  CU_ASSERT_STRING_EQUAL (ams_policy_statement_sid (p, g_array_index (m, AmsStatementRef, 0).statement), "D1");

  req.action = "s3:GetObject";
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
  req.context = NULL; /* no context at all: conditions see every key absent */
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
}

/* Why a condition without ForAnyValue:/ForAllValues: fails on several values:
 * the near miss says so. */
static void
test_policy_eval_near_miss_multivalued (void)
{
  g_autofree char *text = g_strdelimit (g_strdup (
    "{`Version`: `2012-10-17`, `Statement`: [{`Sid`: `Team`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`, "
    "`Condition`: {`StringEquals`: {`aws:PrincipalTag/team`: `build`}}}]}"), "`", '"');
  g_autoptr (AmsPolicy) p = pt_policy (text, AMS_POLICY_RESOURCE, "key policy");
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  CU_ASSERT_EQUAL (ams_policy_n_warnings (p), 0);
  g_autoptr (AmsContext) ctx = pt_context ("aws:PrincipalTag/team=build|ops");
  AmsPolicySet set = { .resource = p, .resource_kind = AMS_RESOURCE_KMS_KEY };
  AmsRequest req = { .action = "kms:Decrypt", .resource = KEY1, .resource_account = "222222222222",
                     .principal = ROLE, .principal_account = "222222222222", .context = ctx };
  AmsVerdict v;
  ams_verdict_init (&v);
  CU_ASSERT_EQUAL (ams_authorize (&set, &req, &v), AMS_DECISION_IMPLICIT_DENY);
  CU_ASSERT_PTR_NOT_NULL_FATAL (v.near_misses);
  CU_ASSERT_EQUAL_FATAL (v.near_misses->len, 1);
  CU_ASSERT_STRING_EQUAL (g_array_index (v.near_misses, AmsNearMiss, 0).why,
                          "StringEquals on aws:PrincipalTag/team [\"build\"] is false for [\"build\", \"ops\"]: "
                          "aws:PrincipalTag/team is given several values, which needs ForAnyValue: or ForAllValues:");
  /* one value: allowed, as always */
  g_autoptr (AmsContext) one = pt_context ("aws:PrincipalTag/team=build");
  req.context = one;
  CU_ASSERT_EQUAL (ams_authorize (&set, &req, &v), AMS_DECISION_ALLOW);
  ams_verdict_clear (&v);
}

/* Context: names case-insensitive, several values, set and remove. */
static void
test_policy_eval_context (void)
{
  g_autoptr (AmsContext) c = ams_context_new ();
  CU_ASSERT_PTR_NULL (ams_context_get (c, "aws:PrincipalOrgPaths"));
  ams_context_add (c, "aws:PrincipalOrgPaths", "o-a/r-1/");
  ams_context_add (c, "AWS:principalorgpaths", "o-a/r-1/ou-1/");
  const char *const *v = ams_context_get (c, "aws:PRINCIPALORGPATHS");
  CU_ASSERT_PTR_NOT_NULL_FATAL (v);
  CU_ASSERT_STRING_EQUAL (v[0], "o-a/r-1/");
  CU_ASSERT_STRING_EQUAL (v[1], "o-a/r-1/ou-1/");
  CU_ASSERT_PTR_NULL (v[2]);
  ams_context_set (c, "aws:PrincipalOrgPaths", "o-b/r-2/");
  v = ams_context_get (c, "aws:PrincipalOrgPaths");
  CU_ASSERT_STRING_EQUAL (v[0], "o-b/r-2/");
  CU_ASSERT_PTR_NULL (v[1]);
  ams_context_set (c, "aws:SourceAccount", "111111111111");
  CU_ASSERT_STRING_EQUAL (ams_context_get (c, "aws:sourceaccount")[0], "111111111111");
  ams_context_remove (c, "AWS:SourceAccount");
  CU_ASSERT_PTR_NULL (ams_context_get (c, "aws:SourceAccount"));
  ams_context_remove (c, "aws:NotThere");
  ams_context_free (NULL);
}

static const AmsTestCase test_cases[] = {
  { "test_policy_eval_table", test_policy_eval_table },
  { "test_policy_eval_matched_statements", test_policy_eval_matched_statements },
  { "test_policy_eval_near_miss_multivalued", test_policy_eval_near_miss_multivalued },
  { "test_policy_eval_context", test_policy_eval_context },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("policy/eval", test_cases);
}
