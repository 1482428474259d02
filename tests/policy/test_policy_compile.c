/* amisim tests — compiling policy documents: every compile error with its
 * exact message and position, warnings, statements as JSON, accessors,
 * reference counting, the JSON reader behind ams_policy_compile_json, and the
 * managed policies amisim ships.
 *
 * Documents are written with ` for " to keep the tables readable.
 */
#include "policy_test.h"

#define I AMS_POLICY_IDENTITY
#define R AMS_POLICY_RESOURCE
#define S AMS_POLICY_SCP

typedef struct
{
  AmsPolicyKind kind;
  const char *doc;
  const char *errors[4]; /* "LINE:COL: PATH: MESSAGE", in report order */
} ErrorCase;

#define ST(body) "{`Version`: `2012-10-17`, `Statement`: [{" body "}]}"
#define OK_ID "`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`"
#define COND(c) ST (OK_ID ", `Condition`: " c)

static const ErrorCase error_cases[] = {
  /* ---- the document ------------------------------------------------------ */
  { I, "[1]", { "1:1: (root): a policy document must be an object with \"Version\" and \"Statement\", not an array" } },
  { I, "{`Version`: `2012-10-17`, `Statment`: []}",
    { "1:27: Statment: unknown policy element 'Statment'; did you mean 'Statement'?",
      "1:1: (root): the policy has no Statement" } },
  { I, "{`Version`: `2012-10-17`, `Foo`: 1, `Statement`: {" OK_ID "}}",
    { "1:27: Foo: unknown policy element 'Foo'; expected one of: Version, Id, Statement" } },
  { I, "{`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`}",
    { "1:2: Effect: 'Effect' belongs in a statement: put the statement in \"Statement\": [{…}] next to \"Version\"",
      "1:21: Action: 'Action' belongs in a statement: put the statement in \"Statement\": [{…}] next to \"Version\"",
      "1:46: Resource: 'Resource' belongs in a statement: put the statement in \"Statement\": [{…}] next to \"Version\"",
      "1:1: (root): the policy has no Statement" } },
  { I, "{`Version`: `2024-01-01`, `Statement`: {" OK_ID "}}",
    { "1:13: Version: Version must be \"2012-10-17\" (or the older \"2008-10-17\"), not \"2024-01-01\": it names the policy language, not the date of your policy" } },
  { I, "{`Version`: 2012, `Statement`: {" OK_ID "}}",
    { "1:13: Version: Version must be the string \"2012-10-17\", not a number" } },
  { I, "{`Id`: 7, `Statement`: {" OK_ID "}}", { "1:8: Id: Id must be a string, not a number" } },
  { I, "{`Version`: `2012-10-17`}", { "1:1: (root): the policy has no Statement" } },
  { I, "{`Statement`: []}", { "1:15: Statement: Statement must not be an empty list" } },
  { I, "{`Statement`: `Allow`}",
    { "1:15: Statement: Statement must be an object or a list of objects, not a string" } },
  { I, "{`Statement`: [`x`]}",
    { "1:16: Statement[0]: a statement must be an object with Effect, Action, …, not a string" } },

  /* ---- Effect, Sid, unknown elements ------------------------------------------ */
  { I, ST ("`Action`: `kms:Decrypt`, `Resource`: `*`"),
    { "1:41: Statement[0]: the statement has no Effect: add \"Effect\": \"Allow\" or \"Deny\"" } },
  { I, ST ("`Effect`: `allow`, `Action`: `kms:Decrypt`, `Resource`: `*`"),
    { "1:52: Statement[0].Effect: Effect must be \"Allow\" or \"Deny\", not \"allow\"; did you mean \"Allow\"?" } },
  { I, ST ("`Effect`: `Permit`, `Action`: `kms:Decrypt`, `Resource`: `*`"),
    { "1:52: Statement[0].Effect: Effect must be \"Allow\" or \"Deny\", not \"Permit\"" } },
  { I, ST ("`Effect`: true, `Action`: `kms:Decrypt`, `Resource`: `*`"),
    { "1:52: Statement[0].Effect: Effect must be the string \"Allow\" or \"Deny\", not a boolean" } },
  { I, ST ("`Sid`: 1, " OK_ID), { "1:49: Statement[0].Sid: Sid must be a string, not a number" } },
  { I, ST (OK_ID ", `Actions`: `kms:Encrypt`"),
    { "1:103: Statement[0].Actions: unknown statement element 'Actions'; did you mean 'Action'?" } },
  { I, ST (OK_ID ", `Version`: `2012-10-17`"),
    { "1:103: Statement[0].Version: 'Version' belongs at the top of the policy document, not in a statement" } },

  /* ---- Action / NotAction -------------------------------------------------------- */
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `NotAction`: `kms:Encrypt`, `Resource`: `*`"),
    { "1:86: Statement[0].NotAction: a statement cannot have both Action and NotAction" } },
  { I, ST ("`Effect`: `Allow`, `Resource`: `*`"),
    { "1:41: Statement[0]: the statement has no Action (or NotAction): add e.g. \"Action\": \"kms:Decrypt\"" } },
  { I, ST ("`Effect`: `Allow`, `Action`: [], `Resource`: `*`"),
    { "1:71: Statement[0].Action: Action must not be an empty list" } },
  { I, ST ("`Effect`: `Allow`, `Action`: {`kms`: `Decrypt`}, `Resource`: `*`"),
    { "1:71: Statement[0].Action: Action must be a string or a list of strings, not an object" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms-Decrypt`, `Resource`: `*`"),
    { "1:71: Statement[0].Action: action 'kms-Decrypt' is not of the form service:Action, like kms:Decrypt or ec2:Describe*" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `*:Decrypt`, `Resource`: `*`"),
    { "1:71: Statement[0].Action: action '*:Decrypt': wildcards are not allowed in the service prefix; write \"*\" for every action, or service:* for one service" } },
  { I, ST ("`Effect`: `Allow`, `Action`: [`kms:Decrypt`, 5], `Resource`: `*`"),
    { "1:87: Statement[0].Action[1]: Action values must be strings, not a number" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt now`, `Resource`: `*`"),
    { "1:71: Statement[0].Action: action 'kms:Decrypt now' is not of the form service:Action, like kms:Decrypt or ec2:Describe*" } },

  /* ---- Resource / NotResource ----------------------------------------------------- */
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`"),
    { "1:41: Statement[0]: the statement has no Resource (or NotResource): add \"Resource\": \"*\" or the ARNs it applies to" } },
  { I, ST (OK_ID ", `NotResource`: `*`"),
    { "1:103: Statement[0].NotResource: a statement cannot have both Resource and NotResource" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `alias/x`"),
    { "1:98: Statement[0].Resource: resource 'alias/x' is not \"*\" or an ARN (arn:partition:service:region:account:resource, e.g. arn:aws:kms:us-east-1:111111111111:key/*)" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `arn:aws:kms:key/x`"),
    { "1:98: Statement[0].Resource: resource 'arn:aws:kms:key/x' is not \"*\" or an ARN (arn:partition:service:region:account:resource, e.g. arn:aws:kms:us-east-1:111111111111:key/*)" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: []"),
    { "1:98: Statement[0].Resource: Resource must not be an empty list" } },

  /* ---- Principal / NotPrincipal ----------------------------------------------------- */
  { I, ST (OK_ID ", `Principal`: `*`"),
    { "1:103: Statement[0].Principal: Principal is not allowed in an identity policy: it applies to the identity it is attached to" } },
  { S, ST (OK_ID ", `NotPrincipal`: `*`"),
    { "1:103: Statement[0].NotPrincipal: NotPrincipal is not allowed in a service control policy: it applies to every principal of the accounts it is attached to" } },
  { R, ST (OK_ID),
    { "1:41: Statement[0]: a statement of a resource policy needs a Principal (or NotPrincipal) naming who it allows or denies" } },
  { R, ST (OK_ID ", `Principal`: `*`, `NotPrincipal`: `*`"),
    { "1:121: Statement[0].NotPrincipal: a statement cannot have both Principal and NotPrincipal" } },
  { R, ST (OK_ID ", `Principal`: `111111111111`"),
    { "1:116: Statement[0].Principal: Principal must be \"*\" or an object such as {\"AWS\": \"111111111111\"} or {\"Service\": \"imagebuilder.amazonaws.com\"}, not the bare string '111111111111'" } },
  { R, ST (OK_ID ", `Principal`: 5"),
    { "1:116: Statement[0].Principal: Principal must be \"*\" or an object such as {\"AWS\": \"111111111111\"} or {\"Service\": \"imagebuilder.amazonaws.com\"}, not a number" } },
  { R, ST (OK_ID ", `Principal`: {}"),
    { "1:116: Statement[0].Principal: Principal names no principal: give \"AWS\" or \"Service\"" } },
  { R, ST (OK_ID ", `Principal`: {`AWS`: `arn:aws:iam::*:role/x`}"),
    { "1:124: Statement[0].Principal.AWS: wildcards are not allowed in AWS principals ('arn:aws:iam::*:role/x'): use \"*\" with a Condition such as ArnLike on aws:PrincipalArn" } },
  { R, ST (OK_ID ", `Principal`: {`AWS`: `bob`}"),
    { "1:124: Statement[0].Principal.AWS: 'bob' is not an AWS principal amisim understands: use \"*\", a 12-digit account id, arn:aws:iam::ACCOUNT:root, or a role or user ARN (arn:aws:iam::ACCOUNT:role/NAME)" } },
  { R, ST (OK_ID ", `Principal`: {`AWS`: [`111111111111`, 111111111111]}"),
    { "1:141: Statement[0].Principal.AWS[1]: account id 111111111111 must be a string: quote it (leading zeros matter)" } },
  { R, ST (OK_ID ", `Principal`: {`Federated`: `cognito-identity.amazonaws.com`}"),
    { "1:117: Statement[0].Principal.Federated: 'Federated' principals are not supported by amisim (it models accounts, IAM roles and users, and services)" } },
  { R, ST (OK_ID ", `Principal`: {`Servce`: `imagebuilder.amazonaws.com`}"),
    { "1:117: Statement[0].Principal.Servce: unknown principal type 'Servce'; did you mean 'Service'?" } },
  { R, ST (OK_ID ", `Principal`: {`Service`: `imagebuilder`}"),
    { "1:128: Statement[0].Principal.Service: 'imagebuilder' is not a service principal: they are written like imagebuilder.amazonaws.com" } },
  { R, ST (OK_ID ", `Principal`: {`Service`: []}"),
    { "1:128: Statement[0].Principal.Service: Principal Service must not be an empty list" } },

  /* ---- Condition ------------------------------------------------------------------------ */
  { I, COND ("`aws:SecureTransport`"),
    { "1:116: Statement[0].Condition: Condition must be an object like {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-…\"}}, not a string" } },
  { I, COND ("{`StringEqual`: {`aws:SourceAccount`: `111111111111`}}"),
    { "1:117: Statement[0].Condition.StringEqual: unknown condition operator 'StringEqual'; did you mean 'StringEquals'?" } },
  { I, COND ("{`StringEqualIfExists`: {`aws:SourceAccount`: `111111111111`}}"),
    { "1:117: Statement[0].Condition.StringEqualIfExists: unknown condition operator 'StringEqualIfExists'; did you mean 'StringEqualsIfExists'?" } },
  { I, COND ("{`ForAnyValues:StringLike`: {`aws:TagKeys`: `a*`}}"),
    { "1:117: Statement[0].Condition.ForAnyValues:StringLike: unknown set qualifier 'ForAnyValues' in condition operator 'ForAnyValues:StringLike'; did you mean 'ForAnyValue'?" } },
  { I, COND ("{`ForAllValues:StringLikee`: {`aws:TagKeys`: `a*`}}"),
    { "1:117: Statement[0].Condition.ForAllValues:StringLikee: unknown condition operator 'ForAllValues:StringLikee'; did you mean 'ForAllValues:StringLike'?" } },
  { I, COND ("{`ForAnyValue:`: {`aws:TagKeys`: `a*`}}"),
    { "1:117: Statement[0].Condition.ForAnyValue:: unknown condition operator 'ForAnyValue:'; operators are String…, Arn…, Numeric…, Date…, Bool and Null, optionally with …IfExists and ForAnyValue:/ForAllValues:" } },
  { I, COND ("{`NullIfExists`: {`aws:TagKeys`: `true`}}"),
    { "1:117: Statement[0].Condition.NullIfExists: 'NullIfExists': Null cannot take IfExists (Null itself tests whether the key exists)" } },
  { I, COND ("{`ForAnyValue:Null`: {`aws:TagKeys`: `true`}}"),
    { "1:117: Statement[0].Condition.ForAnyValue:Null: 'ForAnyValue:Null': Null cannot take a ForAnyValue:/ForAllValues: qualifier" } },
  { I, COND ("{`IpAddress`: {`aws:SourceIp`: `10.0.0.0/8`}}"),
    { "1:117: Statement[0].Condition.IpAddress: condition operator 'IpAddress' is not supported by amisim (it evaluates String…, Arn…, Numeric…, Date…, Bool and Null, with …IfExists and ForAnyValue:/ForAllValues:)" } },
  { I, COND ("{`Frobnicate`: {`aws:TagKeys`: `a`}}"),
    { "1:117: Statement[0].Condition.Frobnicate: unknown condition operator 'Frobnicate'; operators are String…, Arn…, Numeric…, Date…, Bool and Null, optionally with …IfExists and ForAnyValue:/ForAllValues:" } },
  { I, COND ("{`StringEquals`: `x`}"),
    { "1:133: Statement[0].Condition.StringEquals: StringEquals must map condition keys to values, like {\"aws:SourceAccount\": \"111111111111\"}, not a string" } },
  { I, COND ("{`StringEquals`: {}}"),
    { "1:133: Statement[0].Condition.StringEquals: StringEquals has no condition keys" } },
  { I, COND ("{`StringEquals`: {`SourceAccount`: `111111111111`}}"),
    { "1:134: Statement[0].Condition.StringEquals.SourceAccount: condition key 'SourceAccount' needs a service prefix and a name, like aws:PrincipalOrgID; did you mean 'aws:SourceAccount'?" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipleOrgID`: `o-abc`}}"),
    { "1:134: Statement[0].Condition.StringEquals.aws:PrincipleOrgID: unknown global condition key 'aws:PrincipleOrgID'; did you mean 'aws:PrincipalOrgID'?" } },
  { I, COND ("{`StringEquals`: {`aws:ResourceTag/`: `x`}}"),
    { "1:134: Statement[0].Condition.StringEquals.aws:ResourceTag/: condition key 'aws:ResourceTag/' needs a tag key after the '/'" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalOrgID`: []}}"),
    { "1:156: Statement[0].Condition.StringEquals.aws:PrincipalOrgID: condition key 'aws:PrincipalOrgID' has an empty list of values: it would never match" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalOrgID`: {`a`: `b`}}}"),
    { "1:156: Statement[0].Condition.StringEquals.aws:PrincipalOrgID: a condition value must be a string, number or boolean, not an object" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalOrgID`: [`o-1`, null]}}"),
    { "1:164: Statement[0].Condition.StringEquals.aws:PrincipalOrgID[1]: a condition value must be a string, number or boolean, not null" } },
  { I, COND ("{`NumericEquals`: {`s3:max-keys`: `ten`}}"),
    { "1:150: Statement[0].Condition.NumericEquals.s3:max-keys: 'ten' is not a number (NumericEquals)" } },
  { I, COND ("{`DateLessThan`: {`aws:CurrentTime`: `tomorrow`}}"),
    { "1:153: Statement[0].Condition.DateLessThan.aws:CurrentTime: 'tomorrow' is not a date (ISO 8601 like 2024-01-31T12:00:00Z, or epoch seconds) (DateLessThan)" } },
  { I, COND ("{`Bool`: {`aws:SecureTransport`: `yes`}}"),
    { "1:149: Statement[0].Condition.Bool.aws:SecureTransport: 'yes' is not true or false (Bool)" } },
  { I, COND ("{`Null`: {`aws:TagKeys`: `maybe`}}"),
    { "1:141: Statement[0].Condition.Null.aws:TagKeys: 'maybe' is not true (the key must be absent) or false (it must be present) (Null)" } },
  { I, COND ("{`ArnLike`: {`aws:SourceArn`: `image/*`}}"),
    { "1:146: Statement[0].Condition.ArnLike.aws:SourceArn: 'image/*' is not an ARN: ArnLike compares the six parts of arn:partition:service:region:account:resource (wildcards allowed in each); use StringLike for other strings" } },
  { I, COND ("{`NumericLessThan`: {`s3:max-keys`: `${aws:x}`}}"),
    { "1:152: Statement[0].Condition.NumericLessThan.s3:max-keys: '${aws:x}': policy variables can only be used with String… and Arn… operators, not NumericLessThan" } },

  /* ---- policy variables ----------------------------------------------------------------- */
  { I, "{`Version`: `2008-10-17`, `Statement`: {" OK_ID ", `Condition`: {`StringEquals`: {`aws:SourceAccount`: `${aws:PrincipalAccount}`}}}}",
    { "1:154: Statement.Condition.StringEquals.aws:SourceAccount: policy variable ${aws:PrincipalAccount} needs \"Version\": \"2012-10-17\" in the policy; without it IAM compares the text literally" } },
  { I, "{`Statement`: {`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `arn:aws:kms:*:${aws:PrincipalAccount}:key/*`}}",
    { "1:72: Statement.Resource: policy variable ${aws:PrincipalAccount} needs \"Version\": \"2012-10-17\" in the policy; without it IAM compares the text literally" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalTag/x`: `${aws:username`}}"),
    { "1:156: Statement[0].Condition.StringEquals.aws:PrincipalTag/x: '${aws:username' has a '${' with no closing '}'; write ${$} for a literal '$'" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalTag/x`: `${aws:username, anonymous}`}}"),
    { "1:156: Statement[0].Condition.StringEquals.aws:PrincipalTag/x: malformed policy variable ${aws:username, anonymous}: expected ${prefix:Key}, ${prefix:Key, 'default'}, ${*}, ${?} or ${$}" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalTag/x`: `${}`}}"),
    { "1:156: Statement[0].Condition.StringEquals.aws:PrincipalTag/x: malformed policy variable ${}: expected ${prefix:Key}, ${prefix:Key, 'default'}, ${*}, ${?} or ${$}" } },
  { I, COND ("{`StringEquals`: {`aws:PrincipalTag/x`: `${username}`}}"),
    { "1:156: Statement[0].Condition.StringEquals.aws:PrincipalTag/x: policy variable ${username} names no context key: keys have a service prefix, like ${aws:PrincipalAccount}" } },

  /* ---- policy variables in an ARN: only in the resource part, after the fifth colon ---------- */
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*`"),
    { "1:98: Statement[0].Resource: policy variable ${aws:PrincipalAccount} is in the account part of the ARN 'arn:aws:kms:us-east-1:${aws:PrincipalAccount}:key/*': IAM replaces variables only in the resource part, after the fifth colon; write the account as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `arn:aws:kms:${aws:RequestedRegion}:111111111111:key/*`"),
    { "1:98: Statement[0].Resource: policy variable ${aws:RequestedRegion} is in the region part of the ARN 'arn:aws:kms:${aws:RequestedRegion}:111111111111:key/*': IAM replaces variables only in the resource part, after the fifth colon; write the region as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `arn:aws:${aws:PrincipalTag/svc}:us-east-1:111111111111:key/*`"),
    { "1:98: Statement[0].Resource: policy variable ${aws:PrincipalTag/svc} is in the service part of the ARN 'arn:aws:${aws:PrincipalTag/svc}:us-east-1:111111111111:key/*': IAM replaces variables only in the resource part, after the fifth colon; write the service as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `arn:${aws:PrincipalTag/p}:kms:us-east-1:111111111111:key/*`"),
    { "1:98: Statement[0].Resource: policy variable ${aws:PrincipalTag/p} is in the partition part of the ARN 'arn:${aws:PrincipalTag/p}:kms:us-east-1:111111111111:key/*': IAM replaces variables only in the resource part, after the fifth colon; write the partition as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `s3:*`, `NotResource`: [`arn:aws:s3:::b/*`, `arn:aws:s3::${aws:PrincipalAccount, '1'}:x`]"),
    { "1:115: Statement[0].NotResource[1]: policy variable ${aws:PrincipalAccount, '1'} is in the account part of the ARN 'arn:aws:s3::${aws:PrincipalAccount, '1'}:x': IAM replaces variables only in the resource part, after the fifth colon; write the account as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, ST ("`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: `arn:aws:s3:${aws:x}`"),
    { "1:91: Statement[0].Resource: policy variable ${aws:x} is in the region part of the ARN 'arn:aws:s3:${aws:x}': IAM replaces variables only in the resource part, after the fifth colon; write the region as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, COND ("{`ArnLike`: {`aws:SourceArn`: `arn:aws:imagebuilder:*:${aws:PrincipalAccount}:image/*`}}"),
    { "1:146: Statement[0].Condition.ArnLike.aws:SourceArn: policy variable ${aws:PrincipalAccount} is in the account part of the ARN 'arn:aws:imagebuilder:*:${aws:PrincipalAccount}:image/*': IAM replaces variables only in the resource part, after the fifth colon; write the account as text (wildcards allowed) and test the variable in a Condition instead" } },
  { I, COND ("{`ArnNotEquals`: {`aws:PrincipalArn`: [`arn:aws:iam::*:role/x`, `${aws:SourceArn}`]}}"),
    { "1:180: Statement[0].Condition.ArnNotEquals.aws:PrincipalArn[1]: policy variable ${aws:SourceArn} begins the ARN '${aws:SourceArn}': IAM replaces variables only in the resource part, after the fifth colon; write arn:partition:service:region:account: before it" } },

  /* ---- several problems at once: all reported ---------------------------------------------- */
  { R, "{`Version`: `2012-10-17`, `Statement`: [{`Effect`: `Alow`, `Action`: `kms`}, {`Effect`: `Deny`, `Principal`: `*`, `Action`: `kms:*`, `Condition`: {`StringLikes`: {`aws:x`: `y`}}}]}",
    { "1:52: Statement[0].Effect: Effect must be \"Allow\" or \"Deny\", not \"Alow\"; did you mean \"Allow\"?",
      "1:41: Statement[0]: a statement of a resource policy needs a Principal (or NotPrincipal) naming who it allows or denies",
      "1:70: Statement[0].Action: action 'kms' is not of the form service:Action, like kms:Decrypt or ec2:Describe*",
      "1:148: Statement[1].Condition.StringLikes: unknown condition operator 'StringLikes'; did you mean 'StringLike'?" } },
};

static void
test_policy_compile_errors (void)
{
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      const ErrorCase *c = &error_cases[i];
      g_autofree char *text = g_strdelimit (g_strdup (c->doc), "`", '"');
      g_autoptr (AmsValueDoc) doc = pt_load (text);
      CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsPolicy) p = ams_policy_compile (ams_value_doc_root (doc), c->kind, "P",
                                                    pt_collect, &e);
      guint n = 0;
      while (n < G_N_ELEMENTS (c->errors) && c->errors[n] != NULL)
        n++;
      gboolean ok = p == NULL && e.lines->len == n;
      for (guint j = 0; ok && j < n; j++)
        ok = strcmp (g_ptr_array_index (e.lines, j), c->errors[j]) == 0;
      if (!ok)
        {
          failed++;
          fprintf (stderr, "\nerror case %u: %s\n  expected:\n", i, text);
          for (guint j = 0; j < n; j++)
            fprintf (stderr, "    %s\n", c->errors[j]);
          fprintf (stderr, "  got%s:\n", p != NULL ? " (and a policy)" : "");
          for (guint j = 0; j < e.lines->len; j++)
            fprintf (stderr, "    %s\n", (char *) g_ptr_array_index (e.lines, j));
        }
      pt_errors_clear (&e);
    }
  printf ("\n  %u compile error cases\n", (guint) G_N_ELEMENTS (error_cases));
  CU_ASSERT_EQUAL (failed, 0);
}

/* Documents inside the subset compile, including every operator form. */
static void
test_policy_compile_valid (void)
{
  static const struct
  {
    AmsPolicyKind kind;
    const char *doc;
  } valid[] = {
    { I, "{`Statement`: {" OK_ID "}}" },
    { I, "{`Version`: `2008-10-17`, `Id`: `x`, `Statement`: [{" OK_ID "}]}" },
    { I, ST (OK_ID ", `Condition`: {}") },
    { I, COND ("{`ForAnyValue:StringLikeIfExists`: {`aws:TagKeys`: [`a*`]}, "
               "`ForAllValues:ArnNotLike`: {`aws:CalledVia`: `arn:aws:iam::*:role/*`}, "
               "`NumericGreaterThanEquals`: {`kms:x`: 1.5}, `DateNotEqualsIfExists`: {`aws:CurrentTime`: 1704067200}, "
               "`Bool`: {`aws:SecureTransport`: [true, `false`]}, `Null`: {`aws:PrincipalTag/Team Name`: `TRUE`}, "
               "`StringNotLikeIfExists`: {`ec2:ResourceTag/CreatedBy`: `EC2 Image Builder`}}") },
    { I, COND ("{`StringEquals`: {`aws:PrincipalTag/x`: `${aws:username, 'it''s'}${*}${?}${$}`, `aws:NewKeyNotInTheList`: `x`}}") },
    /* variables in an ARN's resource part; in a string anywhere */
    { I, ST ("`Effect`: `Allow`, `Action`: `s3:*`, `Resource`: [`arn:aws:s3:::home/${aws:username}/*`, "
             "`arn:aws:kms:*:111111111111:${aws:PrincipalTag/k}`, `arn:aws:kms:*:*:key/${*}${aws:x}:y`]") },
    { I, COND ("{`ArnLike`: {`aws:SourceArn`: `arn:aws:imagebuilder:*:111111111111:image/${aws:PrincipalTag/r}/*`}, "
               "`StringLike`: {`aws:PrincipalArn`: `arn:aws:iam::${aws:PrincipalAccount}:role/*`}}") },
    { I, ST (OK_ID ", `Condition`: {`StringEquals`: {`aws:SourceAccount`: `cost $5`}}") },
    { R, ST ("`Effect`: `Allow`, `Principal`: {`AWS`: [`*`, `111111111111`, `arn:aws:iam::111111111111:root`, "
             "`arn:aws:iam::111111111111:role/path/R`, `arn:aws:iam::111111111111:user/u`, "
             "`arn:aws:sts::111111111111:assumed-role/R/s`], `Service`: `imagebuilder.amazonaws.com`}, "
             "`Action`: `sts:AssumeRole`") },
    { R, ST ("`Effect`: `Deny`, `NotPrincipal`: {`AWS`: `arn:aws-cn:iam::111111111111:root`}, `NotAction`: `kms:*`, "
             "`NotResource`: [`arn:aws:kms:*:*:key/*`]") },
    { S, ST ("`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`") },
    { S, ST ("`Effect`: `Deny`, `Action`: `ec2:*`") },
  };
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autofree char *text = g_strdelimit (g_strdup (valid[i].doc), "`", '"');
      g_autoptr (AmsPolicy) p = pt_policy (text, valid[i].kind, "P");
      if (p == NULL)
        fprintf (stderr, "valid case %u does not compile: %s\n", i, text);
      CU_ASSERT_PTR_NOT_NULL (p);
    }
}

static void
test_policy_compile_accessors (void)
{
  g_autofree char *text = g_strdelimit (g_strdup (
    "{`Version`: `2012-10-17`,\n"
    " `Statement`: [\n"
    "  {`Sid`: `AllowUse`, `Effect`: `Allow`, `Principal`: {`AWS`: `111111111111`}, `Action`: `kms:*`},\n"
    "  {`Effect`: `Deny`, `Principal`: `*`, `Action`: `kms:Delete*`}]}"), "`", '"');
  g_autoptr (AmsPolicy) p = pt_policy (text, R, "key policy of alias/x");
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (p), "key policy of alias/x");
  CU_ASSERT_EQUAL (ams_policy_kind (p), AMS_POLICY_RESOURCE);
  CU_ASSERT_EQUAL (ams_policy_n_statements (p), 2);
  CU_ASSERT_STRING_EQUAL (ams_policy_statement_sid (p, 0), "AllowUse");
  CU_ASSERT_PTR_NULL (ams_policy_statement_sid (p, 1));
  CU_ASSERT_TRUE (ams_policy_statement_allows (p, 0));
  CU_ASSERT_FALSE (ams_policy_statement_allows (p, 1));
  const AmsSrcLoc *loc = ams_policy_statement_loc (p, 1);
  CU_ASSERT_STRING_EQUAL (loc->file, "t.json");
  CU_ASSERT_STRING_EQUAL (loc->path, "Statement[1]");
  CU_ASSERT_EQUAL (loc->line, 4);
  CU_ASSERT_EQUAL (loc->col, 3);
  AmsPolicy *again = ams_policy_ref (p);
  CU_ASSERT_PTR_EQUAL (again, p);
  ams_policy_unref (again);
  CU_ASSERT_EQUAL (ams_policy_n_statements (p), 2);
  ams_policy_unref (NULL);

  /* Without a report function, problems still make compilation fail. */
  g_autoptr (AmsValueDoc) bad = pt_load ("{\"Statement\": {\"Effect\": \"Allow\"}}");
  CU_ASSERT_PTR_NULL (ams_policy_compile (ams_value_doc_root (bad), I, "P", NULL, NULL));

  /* Out of range is a programming error. */
  guint n_crit = 0;
  guint h = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &n_crit);
  CU_ASSERT_PTR_NULL (ams_policy_statement_to_json (p, 2));
  g_log_remove_handler ("amisim", h);
  CU_ASSERT_EQUAL (n_crit, 1);
}

/* Warnings: an operator without ForAnyValue:/ForAllValues: on a key IAM
 * documents as multivalued compiles (IAM accepts it) but is recorded, at
 * its statement, with what to write instead; set operators, Null and
 * single-valued keys are not warned about. */
static void
test_policy_compile_warnings (void)
{
  g_autofree char *text = g_strdelimit (g_strdup (
    "{`Version`: `2012-10-17`,\n"
    " `Statement`: [\n"
    "  {`Sid`: `Paths`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`,\n"
    "   `Condition`: {`StringLike`: {`aws:PrincipalOrgPaths`: [`o-a/r-1/ou-1/*`]}}},\n"
    "  {`Sid`: `Fine`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`,\n"
    "   `Condition`: {`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: `o-a/r-1/ou-1/*`},\n"
    "                 `ForAllValues:StringEquals`: {`aws:TagKeys`: `Owner`}, `Null`: {`aws:TagKeys`: `false`},\n"
    "                 `StringEquals`: {`aws:PrincipalOrgID`: `o-a`, `aws:PrincipalTag/team`: `build`}}},\n"
    "    {`Effect`: `Deny`, `Principal`: `*`, `Action`: `kms:*`,\n"
    "     `Condition`: {`StringNotEqualsIfExists`: {`AWS:TagKeys`: `Owner`},\n"
    "                   `ArnNotLike`: {`aws:CalledVia`: `arn:aws:iam::*:role/*`}}}]}"), "`", '"');
  g_autoptr (AmsPolicy) p = pt_policy (text, R, "key policy");
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_warnings (p), 3);
  static const struct
  {
    guint line, col;
    const char *path, *message;
  } expect[] = {
    { 3, 3, "Statement[0]",
      "Condition StringLike on aws:PrincipalOrgPaths: aws:PrincipalOrgPaths is a multivalued key, and IAM requires "
      "ForAnyValue: or ForAllValues: with it; without one the condition is false whenever the request carries the "
      "key, so the statement never applies then. Write ForAnyValue:StringLike (some value matches) or "
      "ForAllValues:StringLike (every value matches)" },
    { 9, 5, "Statement[2]",
      "Condition StringNotEqualsIfExists on AWS:TagKeys: AWS:TagKeys is a multivalued key, and IAM requires "
      "ForAnyValue: or ForAllValues: with it; without one the condition is false whenever the request carries the "
      "key, so the statement never applies then. Write ForAnyValue:StringNotEqualsIfExists (some value matches) or "
      "ForAllValues:StringNotEqualsIfExists (every value matches)" },
    { 9, 5, "Statement[2]",
      "Condition ArnNotLike on aws:CalledVia: aws:CalledVia is a multivalued key, and IAM requires "
      "ForAnyValue: or ForAllValues: with it; without one the condition is false whenever the request carries the "
      "key, so the statement never applies then. Write ForAnyValue:ArnNotLike (some value matches) or "
      "ForAllValues:ArnNotLike (every value matches)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
    {
      const AmsSrcLoc *loc = NULL;
      const char *msg = ams_policy_warning (p, i, &loc);
      CU_ASSERT_PTR_NOT_NULL_FATAL (msg);
      CU_ASSERT_PTR_NOT_NULL_FATAL (loc);
      if (strcmp (msg, expect[i].message) != 0)
        fprintf (stderr, "\nwarning %u:\n  expected %s\n  got      %s\n", i, expect[i].message, msg);
      CU_ASSERT_STRING_EQUAL (msg, expect[i].message);
      CU_ASSERT_STRING_EQUAL (loc->file, "t.json");
      CU_ASSERT_STRING_EQUAL (loc->path, expect[i].path);
      CU_ASSERT_EQUAL (loc->line, expect[i].line);
      CU_ASSERT_EQUAL (loc->col, expect[i].col);
      /* the location is optional */
      CU_ASSERT_PTR_EQUAL (ams_policy_warning (p, i, NULL), msg);
    }

  /* An edited policy has the warnings of the statements it keeps. */
  guint removed = 0;
  g_autoptr (AmsPolicy) edited = ams_policy_edit (p, "Paths", NULL, &removed);
  CU_ASSERT_EQUAL (removed, 1);
  CU_ASSERT_EQUAL (ams_policy_n_warnings (edited), 2);
  const AmsSrcLoc *loc = NULL;
  CU_ASSERT_STRING_EQUAL (ams_policy_warning (edited, 1, &loc), expect[2].message);
  CU_ASSERT_EQUAL (loc->line, 9);
  g_autoptr (AmsPolicy) both = ams_policy_edit (edited, NULL, p, NULL);
  CU_ASSERT_EQUAL (ams_policy_n_warnings (both), 5);

  /* The statements that warn still evaluate, as IAM would: they never apply
   * to a request that carries their keys (neither the Allow nor the Deny). */
  g_autoptr (AmsContext) ctx = pt_context ("aws:PrincipalOrgPaths=o-a/r-1/ou-1/;aws:TagKeys=Secret;"
                                           "aws:CalledVia=athena.amazonaws.com");
  AmsRequest req = { .action = "kms:Decrypt", .resource = "arn:aws:kms:us-east-1:111111111111:key/k",
                     .resource_account = "111111111111", .principal = "arn:aws:iam::222222222222:role/R",
                     .principal_account = "222222222222", .context = ctx };
  g_autoptr (GArray) m = g_array_new (FALSE, FALSE, sizeof (AmsStatementRef));
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, m), AMS_DECISION_IMPLICIT_DENY);
  CU_ASSERT_EQUAL (m->len, 0);

  /* No warning: a clean policy, and the managed ones amisim ships. */
  g_autofree char *clean = g_strdelimit (g_strdup (ST (OK_ID ", `Condition`: {`StringEquals`: {`aws:PrincipalOrgID`: `o-a`}}")), "`", '"');
  g_autoptr (AmsPolicy) c = pt_policy (clean, I, "P");
  CU_ASSERT_PTR_NOT_NULL_FATAL (c);
  CU_ASSERT_EQUAL (ams_policy_n_warnings (c), 0);
  for (const char *const *n = ams_managed_policy_names (); *n != NULL; n++)
    {
      g_autoptr (AmsPolicy) managed = ams_managed_policy_new (*n);
      CU_ASSERT_EQUAL (ams_policy_n_warnings (managed), 0);
    }

  /* Out of range is a programming error. */
  guint n_crit = 0;
  guint h = g_log_set_handler ("amisim", G_LOG_LEVEL_CRITICAL, ams_test_count_log, &n_crit);
  CU_ASSERT_PTR_NULL (ams_policy_warning (p, 3, NULL));
  g_log_remove_handler ("amisim", h);
  CU_ASSERT_EQUAL (n_crit, 1);
}

/* Statements come back as compact JSON, keys in document order. */
static void
test_policy_compile_statement_json (void)
{
  g_autofree char *text = g_strdelimit (g_strdup (
    "{`Statement`: [{`Effect`: `Allow`, `Sid`: `A`, `Action`: [`kms:Decrypt`, `kms:Encrypt`],\n"
    "  `Resource`: `*`, `Condition`: {`Bool`: {`aws:SecureTransport`: true},\n"
    "  `NumericLessThan`: {`s3:x`: 1e3}, `StringEquals`: {`aws:PrincipalTag/q`: `say \\`hi\\`\\\\ \\u00e9`}}}]}"),
    "`", '"');
  g_autoptr (AmsPolicy) p = pt_policy (text, I, "P");
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  g_autofree char *json = ams_policy_statement_to_json (p, 0);
  CU_ASSERT_STRING_EQUAL (json,
    "{\"Effect\":\"Allow\",\"Sid\":\"A\",\"Action\":[\"kms:Decrypt\",\"kms:Encrypt\"],"
    "\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":true},"
    "\"NumericLessThan\":{\"s3:x\":1e3},\"StringEquals\":{\"aws:PrincipalTag/q\":\"say \\\"hi\\\"\\\\ \xc3\xa9\"}}}");

  /* The same statement written in YAML gives valid JSON too. */
  GError *error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("t.yaml",
    "Statement:\n"
    "  - Effect: Allow\n"
    "    Principal: {AWS: '111111111111'}\n"
    "    Action: [kms:Decrypt]\n"
    "    Condition:\n"
    "      Bool: {aws:SecureTransport: True}\n", -1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  g_autoptr (AmsPolicy) y = ams_policy_compile (ams_value_doc_root (doc), R, "Y", NULL, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (y);
  g_autofree char *yj = ams_policy_statement_to_json (y, 0);
  CU_ASSERT_STRING_EQUAL (yj,
    "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"111111111111\"},\"Action\":[\"kms:Decrypt\"],"
    "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":true}}}");
}

/* ams_policy_compile_json: its own JSON reader, with positions. */
static void
test_policy_compile_json_reader (void)
{
  static const struct
  {
    const char *json;
    const char *error;
  } bad[] = {
    { "{\"Statement\": [}", "builtin:x:1:16: Statement[0]: unexpected character '}'" },
    { "{\"Statement\": {\"Effect\": \"Allow\",}}", "builtin:x:1:34: Statement: expected a member name in double quotes" },
    { "{\"Statement\": {\"Effect\": \"Allow\n\"}}", "builtin:x:1:32: Statement.Effect: unterminated string" },
    { "{\"Statement\": 1, \"Statement\": 2}", "builtin:x:1:18: Statement: duplicate member 'Statement'" },
    { "{\"Id\": \"\\x\"}", "builtin:x:1:9: Id: bad escape '\\x' in a string" },
    { "{\"Id\": \"\\ud800\"}", "builtin:x:1:15: Id: bad \\u escape: a high surrogate needs a low one after it" },
    { "{\"Id\": 01}", "builtin:x:1:8: Id: malformed number" },
    { "{\"Id\": -}", "builtin:x:1:8: Id: malformed number" },
    { "{\"Id\": tru}", "builtin:x:1:8: Id: unexpected character 't'" },
    { "{\n  \"Id\": \"x\"\n", "builtin:x:3:1: (root): expected ',' or '}' in an object" },
    { "{} {}", "builtin:x:1:4: (root): unexpected text after the document" },
    { "", "builtin:x:1:1: (root): unexpected end of the document" },
  };
  /* 65 arrays in one another: the 65th passes the nesting limit */
  g_autofree char *deep = g_strnfill (65, '[');
  g_autoptr (GString) deep_path = g_string_new ("builtin:x:1:65: ");
  for (guint i = 0; i < 64; i++)
    g_string_append (deep_path, "[0]");
  g_string_append (deep_path, ": collections nested more than 64 deep, the limit; refusing to go on");
  for (guint i = 0; i <= G_N_ELEMENTS (bad); i++)
    {
      const char *json = i < G_N_ELEMENTS (bad) ? bad[i].json : deep;
      const char *error = i < G_N_ELEMENTS (bad) ? bad[i].error : deep_path->str;
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsPolicy) p = ams_policy_compile_json ("builtin:x", json, I, "P",
                                                         pt_collect, &e);
      CU_ASSERT_PTR_NULL (p);
      CU_ASSERT_EQUAL (e.lines->len, 1);
      g_autofree char *got = e.lines->len > 0
        ? g_strconcat ("builtin:x:", (char *) g_ptr_array_index (e.lines, 0), NULL) : g_strdup ("");
      if (strcmp (got, error) != 0)
        fprintf (stderr, "json case %u:\n  expected %s\n  got      %s\n", i, error, got);
      CU_ASSERT_STRING_EQUAL (got, error);
      pt_errors_clear (&e);
    }

  /* Good text, with escapes, unicode, numbers and positions on later lines. */
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsPolicy) p = ams_policy_compile_json (
    "inline", "{\"Version\": \"2012-10-17\",\n \"Statement\": [\n  {\"Sid\": \"\\u0041\\ud83d\\ude00\\/\",\n"
    "   \"Effect\": \"Deny\", \"Action\": \"kms:*\", \"Resource\": \"*\",\n"
    "   \"Condition\": {\"NumericLessThan\": {\"s3:x\": -1.5e+2}, \"Bool\": {\"aws:SecureTransport\": false}}}]}",
    I, "P", pt_collect, &e);
  CU_ASSERT_EQUAL (e.lines->len, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  CU_ASSERT_STRING_EQUAL (ams_policy_statement_sid (p, 0), "A\xf0\x9f\x98\x80/");
  CU_ASSERT_EQUAL (ams_policy_statement_loc (p, 0)->line, 3);
  CU_ASSERT_EQUAL (ams_policy_statement_loc (p, 0)->col, 3);
  CU_ASSERT_STRING_EQUAL (ams_policy_statement_loc (p, 0)->file, "inline");
  g_autofree char *json = ams_policy_statement_to_json (p, 0);
  CU_ASSERT_STRING_EQUAL (json, "{\"Sid\":\"A\xf0\x9f\x98\x80/\",\"Effect\":\"Deny\",\"Action\":\"kms:*\","
                                "\"Resource\":\"*\",\"Condition\":{\"NumericLessThan\":{\"s3:x\":-1.5e+2},"
                                "\"Bool\":{\"aws:SecureTransport\":false}}}");
  pt_errors_clear (&e);

  /* Compile errors in JSON text point into it. */
  pt_errors_init (&e);
  g_autoptr (AmsPolicy) q = ams_policy_compile_json ("inline", "{\"Statement\": {\"Effect\": \"Allow\",\n \"Action\": \"kms:Decrypt\"}}",
                                                     I, "P", pt_collect, &e);
  CU_ASSERT_PTR_NULL (q);
  CU_ASSERT_EQUAL_FATAL (e.lines->len, 1);
  CU_ASSERT_STRING_EQUAL (g_ptr_array_index (e.lines, 0),
                          "1:15: Statement: the statement has no Resource (or NotResource): add \"Resource\": \"*\" or the ARNs it applies to");
  pt_errors_clear (&e);
}

/* The managed policies compile, say where they come from, and allow what
 * the published documents allow: distribution's EC2 actions, and nothing
 * of KMS. */
static void
test_policy_compile_managed (void)
{
  const char *const *names = ams_managed_policy_names ();
  guint n = 0;
  for (; names[n] != NULL; n++)
    {
      g_autoptr (AmsPolicy) p = ams_managed_policy_new (names[n]);
      CU_ASSERT_PTR_NOT_NULL (p);
      if (p == NULL)
        continue;
      CU_ASSERT_EQUAL (ams_policy_kind (p), AMS_POLICY_IDENTITY);
      g_autofree char *file = g_strconcat ("builtin:", names[n], NULL);
      CU_ASSERT_STRING_EQUAL (ams_policy_statement_loc (p, 0)->file, file);
    }
  CU_ASSERT_EQUAL (n, 6);
  CU_ASSERT_PTR_NULL (ams_managed_policy_new ("AdministratorAccess"));

  /* The build instances' policies: components and the SSM agent; ECR
   * pushes only to repositories named image-builder-*. */
  static const struct
  {
    const char *policy, *action, *resource;
    AmsDecision expect;
  } build_cases[] = {
    { "EC2InstanceProfileForImageBuilder", "imagebuilder:GetComponent",
      "arn:aws:imagebuilder:us-east-1:111111111111:component/c/1.0.0/1", AMS_DECISION_ALLOW },
    { "EC2InstanceProfileForImageBuilder", "ssm:UpdateInstanceInformation", "*",
      AMS_DECISION_IMPLICIT_DENY },
    { "EC2InstanceProfileForImageBuilder", "ecr:PutImage",
      "arn:aws:ecr:us-east-1:111111111111:repository/image-builder-app", AMS_DECISION_IMPLICIT_DENY },
    { "AmazonSSMManagedInstanceCore", "ssm:UpdateInstanceInformation", "*", AMS_DECISION_ALLOW },
    { "AmazonSSMManagedInstanceCore", "ssmmessages:CreateControlChannel", "*", AMS_DECISION_ALLOW },
    { "AmazonSSMManagedInstanceCore", "ec2messages:GetMessages", "*", AMS_DECISION_ALLOW },
    { "AmazonSSMManagedInstanceCore", "imagebuilder:GetComponent", "*", AMS_DECISION_IMPLICIT_DENY },
    { "EC2InstanceProfileForImageBuilderECRContainerBuilds", "ecr:PutImage",
      "arn:aws:ecr:us-east-1:111111111111:repository/image-builder-app", AMS_DECISION_ALLOW },
    { "EC2InstanceProfileForImageBuilderECRContainerBuilds", "ecr:PutImage",
      "arn:aws:ecr:us-east-1:111111111111:repository/app", AMS_DECISION_IMPLICIT_DENY },
    { "EC2InstanceProfileForImageBuilderECRContainerBuilds", "ecr:GetAuthorizationToken", "*",
      AMS_DECISION_ALLOW },
  };
  for (guint i = 0; i < G_N_ELEMENTS (build_cases); i++)
    {
      g_autoptr (AmsPolicy) bp = ams_managed_policy_new (build_cases[i].policy);
      CU_ASSERT_PTR_NOT_NULL_FATAL (bp);
      AmsRequest req = { .action = build_cases[i].action, .resource = build_cases[i].resource,
                         .principal = "arn:aws:iam::111111111111:role/EC2InstanceProfileForImageBuilder",
                         .principal_account = "111111111111", .resource_account = "111111111111" };
      CU_ASSERT_EQUAL (ams_policy_evaluate (bp, &req, NULL), build_cases[i].expect);
    }
  CU_ASSERT_PTR_NULL (ams_managed_policy_new ("ec2imagebuildercrossaccountdistributionaccess"));

  g_autoptr (AmsPolicy) dist = ams_managed_policy_new ("Ec2ImageBuilderCrossAccountDistributionAccess");
  CU_ASSERT_PTR_NOT_NULL_FATAL (dist);
  CU_ASSERT_EQUAL (ams_policy_n_statements (dist), 2);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (dist),
                          "AWS managed policy Ec2ImageBuilderCrossAccountDistributionAccess");
  static const struct
  {
    const char *action;
    const char *resource;
    AmsDecision expect;
  } dist_cases[] = {
    { "ec2:CopyImage", "arn:aws:ec2:us-west-2::image/ami-1", AMS_DECISION_ALLOW },
    { "ec2:DescribeImages", "*", AMS_DECISION_ALLOW },
    { "ec2:ModifyImageAttribute", "arn:aws:ec2:us-west-2::image/ami-1", AMS_DECISION_ALLOW },
    { "ec2:CreateTags", "arn:aws:ec2:us-west-2::image/ami-1", AMS_DECISION_ALLOW },
    { "ec2:CreateTags", "arn:aws:ec2:us-west-2:222222222222:launch-template/lt-1", AMS_DECISION_IMPLICIT_DENY },
    { "ec2:CreateLaunchTemplateVersion", "*", AMS_DECISION_IMPLICIT_DENY },
    { "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/k", AMS_DECISION_IMPLICIT_DENY },
    { "kms:CreateGrant", "arn:aws:kms:us-east-1:111111111111:key/k", AMS_DECISION_IMPLICIT_DENY },
    { "kms:ReEncryptFrom", "*", AMS_DECISION_IMPLICIT_DENY },
    { "ec2:DeregisterImage", "arn:aws:ec2:us-west-2::image/ami-1", AMS_DECISION_IMPLICIT_DENY },
  };
  for (guint i = 0; i < G_N_ELEMENTS (dist_cases); i++)
    {
      AmsRequest req = { .action = dist_cases[i].action, .resource = dist_cases[i].resource,
                         .principal = "arn:aws:iam::222222222222:role/EC2ImageBuilderDistributionCrossAccountRole",
                         .principal_account = "222222222222", .resource_account = "222222222222" };
      CU_ASSERT_EQUAL (ams_policy_evaluate (dist, &req, NULL), dist_cases[i].expect);
    }

  /* The lifecycle policy acts only on what Image Builder created. */
  const char *lifecycle_names[] = { "EC2ImageBuilderLifecycleExecutionPolicy",
                                    "Ec2ImageBuilderCrossAccountLifecycleAccess" };
  for (guint k = 0; k < G_N_ELEMENTS (lifecycle_names); k++)
    {
      g_autoptr (AmsPolicy) lc = ams_managed_policy_new (lifecycle_names[k]);
      CU_ASSERT_PTR_NOT_NULL_FATAL (lc);
      CU_ASSERT_EQUAL (ams_policy_n_statements (lc), 5);
      CU_ASSERT_STRING_EQUAL (ams_policy_statement_sid (lc, 0), "Ec2ImagePermission");
      g_autoptr (AmsContext) tagged = pt_context ("aws:ResourceTag/CreatedBy=EC2 Image Builder");
      g_autoptr (AmsContext) untagged = pt_context ("aws:ResourceTag/CreatedBy=someone");
      g_autoptr (AmsContext) deprecate = pt_context ("aws:ResourceTag/CreatedBy=EC2 Image Builder;"
                                                     "aws:RequestTag/DeprecatedBy=EC2 Image Builder;"
                                                     "aws:TagKeys=DeprecatedBy");
      g_autoptr (AmsContext) extra_tag = pt_context ("aws:ResourceTag/CreatedBy=EC2 Image Builder;"
                                                     "aws:RequestTag/DeprecatedBy=EC2 Image Builder;"
                                                     "aws:TagKeys=DeprecatedBy|Owner");
      AmsRequest req = { .action = "ec2:DeregisterImage", .resource = "arn:aws:ec2:us-east-1::image/ami-1",
                         .principal = "arn:aws:iam::222222222222:role/Ec2ImageBuilderCrossAccountLifecycleAccess",
                         .principal_account = "222222222222", .resource_account = "222222222222",
                         .context = tagged };
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_ALLOW);
      req.context = untagged;
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
      req.context = NULL;
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
      req.action = "ec2:DeleteSnapshot";
      req.resource = "arn:aws:ec2:us-east-1::snapshot/snap-1";
      req.context = tagged;
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_ALLOW);
      req.action = "ec2:CreateTags";
      req.context = deprecate;
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_ALLOW);
      req.context = extra_tag;
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
      req.action = "imagebuilder:DeleteImage";
      req.resource = "arn:aws:imagebuilder:us-east-1:222222222222:image/r/1.0.0/1";
      req.context = NULL;
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_ALLOW);
      req.action = "kms:Decrypt";
      CU_ASSERT_EQUAL (ams_policy_evaluate (lc, &req, NULL), AMS_DECISION_IMPLICIT_DENY);
    }
}

static const AmsTestCase test_cases[] = {
  { "test_policy_compile_errors", test_policy_compile_errors },
  { "test_policy_compile_valid", test_policy_compile_valid },
  { "test_policy_compile_accessors", test_policy_compile_accessors },
  { "test_policy_compile_warnings", test_policy_compile_warnings },
  { "test_policy_compile_statement_json", test_policy_compile_statement_json },
  { "test_policy_compile_json_reader", test_policy_compile_json_reader },
  { "test_policy_compile_managed", test_policy_compile_managed },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("policy/compile", test_cases);
}
