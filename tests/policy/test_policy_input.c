/* amisim tests — the input of `amisim policy eval` (AmsEvalInput): the
 * documented shape, what is inferred (resource kind, accounts; null as
 * absent; "*" as the resource), SCP layers, decisions end to end, and every
 * input error with its exact message and position.
 *
 * Documents are written with ` for " to keep the tables readable.
 */
#include "policy_test.h"

#define ID_KMS "{`Id`: `RoleKms`, `Statement`: {`Sid`: `IdKms`, `Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`}}"
#define KP_ORG "{`Version`: `2012-10-17`, `Statement`: [{`Sid`: `AllowOrgUnit`, `Effect`: `Allow`, `Principal`: `*`, " \
               "`Action`: `kms:Decrypt`, `Resource`: `*`, `Condition`: {`StringEquals`: {`aws:PrincipalOrgID`: `o-a1b2c3d4e5`}, " \
               "`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: [`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`]}}}]}"
#define SCP_FULL "{`Statement`: {`Sid`: `Full`, `Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}}"
#define REQ "`request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, " \
            "`principal`: `arn:aws:iam::222222222222:role/R`}"

static AmsEvalInput *
load_input (const char *text, PtErrors *e)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "`", '"');
  g_autoptr (AmsValueDoc) doc = pt_load (json);
  if (doc == NULL)
    return NULL;
  return ams_eval_input_compile (ams_value_doc_root (doc), pt_collect, e);
}

/* The shape of SCENARIO.md §2, end to end. */
static void
test_policy_input_documented_shape (void)
{
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsEvalInput) in = load_input (
    "{`policies`: {`identity`: [" ID_KMS "], `resource`: " KP_ORG ", `scp`: [" SCP_FULL "]},\n"
    " `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`,\n"
    "             `resource_account`: `111111111111`, `principal`: `arn:aws:iam::222222222222:role/R`,\n"
    "             `principal_account`: `222222222222`,\n"
    "             `context`: {`aws:PrincipalOrgID`: `o-a1b2c3d4e5`,\n"
    "                         `aws:PrincipalOrgPaths`: [`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/`]}}}", &e);
  CU_ASSERT_EQUAL (e.lines->len, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (in);
  const AmsPolicySet *set = ams_eval_input_policies (in);
  const AmsRequest *req = ams_eval_input_request (in);
  CU_ASSERT_EQUAL (set->n_identity, 1);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (set->identity[0]), "identity policy \"RoleKms\"");
  CU_ASSERT_STRING_EQUAL (ams_policy_name (set->resource), "key policy");
  CU_ASSERT_EQUAL (ams_policy_kind (set->resource), AMS_POLICY_RESOURCE);
  CU_ASSERT_EQUAL (set->resource_kind, AMS_RESOURCE_KMS_KEY);
  CU_ASSERT_EQUAL (set->n_scp_layers, 1);
  CU_ASSERT_EQUAL (set->n_scp[0], 1);
  CU_ASSERT_STRING_EQUAL (set->scp_layer_names[0], "the SCP layer");
  CU_ASSERT_STRING_EQUAL (ams_policy_name (set->scp_layers[0][0]), "SCP 1.1");
  CU_ASSERT_STRING_EQUAL (req->action, "kms:Decrypt");
  CU_ASSERT_STRING_EQUAL (req->resource_account, "111111111111");
  CU_ASSERT_STRING_EQUAL (req->principal_account, "222222222222");
  CU_ASSERT_STRING_EQUAL (ams_context_get (req->context, "aws:principalorgid")[0], "o-a1b2c3d4e5");
  AmsVerdict v;
  ams_verdict_init (&v);
  CU_ASSERT_EQUAL (ams_authorize (set, req, &v), AMS_DECISION_ALLOW);
  CU_ASSERT_EQUAL (v.statements->len, 2);
  ams_verdict_clear (&v);
  pt_errors_clear (&e);
}

/* Inferred: accounts from ARNs, resource kind from the action; explicit
 * resource_kind wins; a service principal has no account. */
static void
test_policy_input_inference (void)
{
  static const struct
  {
    const char *text;
    AmsResourceKind kind;
    const char *principal_account;
    const char *resource_account;
  } rows[] = {
    { "{`policies`: {}, " REQ "}", AMS_RESOURCE_KMS_KEY, "222222222222", "111111111111" },
    { "{`policies`: {`resource_kind`: `generic`}, " REQ "}", AMS_RESOURCE_GENERIC, "222222222222", "111111111111" },
    { "{`policies`: {}, `request`: {`action`: `sts:AssumeRole`, `resource`: `arn:aws:iam::222222222222:role/X`, "
      "`principal`: `imagebuilder.amazonaws.com`}}", AMS_RESOURCE_TRUST, NULL, "222222222222" },
    { "{`policies`: {}, `request`: {`action`: `sts:AssumeRoleWithWebIdentity`, `resource`: `arn:aws:iam::222222222222:role/X`, "
      "`principal`: `arn:aws:sts::333333333333:assumed-role/A/s`}}", AMS_RESOURCE_TRUST, "333333333333", "222222222222" },
    { "{`policies`: {`resource_kind`: `trust`}, `request`: {`action`: `ec2:CopyImage`, `resource`: `arn:aws:ec2:us-east-1::image/ami-1`, "
      "`resource_account`: `222222222222`, `principal`: `arn:aws:iam::222222222222:role/R`}}", AMS_RESOURCE_TRUST, "222222222222", "222222222222" },
    { "{`policies`: {}, `request`: {`action`: `ec2:CopyImage`, `resource`: `arn:aws:ec2:us-east-1::image/ami-1`, "
      "`principal`: `imagebuilder.amazonaws.com`}}", AMS_RESOURCE_GENERIC, NULL, NULL },
    /* the parts of assuming a role are decided by the trust policy too */
    { "{`policies`: {}, `request`: {`action`: `sts:TagSession`, `resource`: `arn:aws:iam::222222222222:role/X`, "
      "`principal`: `arn:aws:iam::333333333333:role/A`}}", AMS_RESOURCE_TRUST, "333333333333", "222222222222" },
    { "{`policies`: {}, `request`: {`action`: `STS:setsourceidentity`, `resource`: `arn:aws:iam::222222222222:role/X`, "
      "`principal`: `arn:aws:iam::333333333333:role/A`}}", AMS_RESOURCE_TRUST, "333333333333", "222222222222" },
    { "{`policies`: {`resource_kind`: `generic`}, `request`: {`action`: `sts:TagSession`, `resource`: `arn:aws:iam::222222222222:role/X`, "
      "`principal`: `arn:aws:iam::333333333333:role/A`}}", AMS_RESOURCE_GENERIC, "333333333333", "222222222222" },
    { "{`policies`: {}, `request`: {`action`: `sts:GetCallerIdentity`, `resource`: `*`, "
      "`principal`: `arn:aws:iam::333333333333:role/A`}}", AMS_RESOURCE_GENERIC, "333333333333", NULL },
    { "{`policies`: {}, `request`: {`action`: `sts:AssumeRoot`, `resource`: `arn:aws:iam::222222222222:root`, "
      "`principal`: `arn:aws:iam::333333333333:role/A`}}", AMS_RESOURCE_GENERIC, "333333333333", "222222222222" },
    /* null is absent: inferred as if left out */
    { "{`policies`: {`resource_kind`: null, `resource`: null, `identity`: null, `scp`: null}, `request`: {`action`: `kms:Decrypt`, "
      "`resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, `principal`: `arn:aws:iam::222222222222:role/R`, "
      "`principal_account`: null, `resource_account`: null, `context`: null}}", AMS_RESOURCE_KMS_KEY, "222222222222", "111111111111" },
    { "{`policies`: {}, `request`: {`action`: `sts:AssumeRole`, `resource`: `arn:aws:iam::222222222222:role/X`, "
      "`principal`: `imagebuilder.amazonaws.com`, `principal_account`: null}}", AMS_RESOURCE_TRUST, NULL, "222222222222" },
    { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
      "`principal`: `arn:aws:sts::222222222222:assumed-role/R/s`, `principal_account`: null}}", AMS_RESOURCE_KMS_KEY, "222222222222", "111111111111" },
    /* resource_account: given wins over the ARN's; "*" names no account */
    { "{`policies`: {}, `request`: {`action`: `s3:GetObject`, `resource`: `arn:aws:s3:::bucket/k`, "
      "`resource_account`: `444444444444`, `principal`: `arn:aws:iam::222222222222:role/R`}}", AMS_RESOURCE_GENERIC, "222222222222", "444444444444" },
    { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
      "`resource_account`: `444444444444`, `principal`: `arn:aws:iam::222222222222:role/R`}}", AMS_RESOURCE_KMS_KEY, "222222222222", "444444444444" },
    { "{`policies`: {}, `request`: {`action`: `ec2:DescribeImages`, `resource`: `*`, "
      "`principal`: `arn:aws:iam::222222222222:role/R`}}", AMS_RESOURCE_GENERIC, "222222222222", NULL },
    { "{`policies`: {}, `request`: {`action`: `ec2:DescribeImages`, `resource`: `*`, `resource_account`: `222222222222`, "
      "`principal`: `arn:aws:iam::222222222222:role/R`}}", AMS_RESOURCE_GENERIC, "222222222222", "222222222222" },
    { "{`policies`: {}, `request`: {`action`: `ec2:DescribeImages`, `resource`: `*`, `resource_account`: null, "
      "`principal`: `imagebuilder.amazonaws.com`}}", AMS_RESOURCE_GENERIC, NULL, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsEvalInput) in = load_input (rows[i].text, &e);
      for (guint j = 0; j < e.lines->len; j++)
        fprintf (stderr, "row %u: %s\n", i, (char *) g_ptr_array_index (e.lines, j));
      CU_ASSERT_PTR_NOT_NULL_FATAL (in);
      const AmsRequest *req = ams_eval_input_request (in);
      CU_ASSERT_EQUAL (ams_eval_input_policies (in)->resource_kind, rows[i].kind);
      CU_ASSERT_EQUAL (ams_eval_input_policies (in)->n_identity, 0);
      CU_ASSERT_PTR_NULL (ams_eval_input_policies (in)->resource);
      CU_ASSERT_EQUAL (g_strcmp0 (req->principal_account, rows[i].principal_account), 0);
      CU_ASSERT_EQUAL (g_strcmp0 (req->resource_account, rows[i].resource_account), 0);
      pt_errors_clear (&e);
    }
}

/* SCP layers: a flat list is one layer; a list of lists or of named
 * layers gives one layer each, from the root down. */
static void
test_policy_input_scp_layers (void)
{
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsEvalInput) lists = load_input (
    "{`policies`: {`scp`: [[" SCP_FULL "], [" SCP_FULL ", " SCP_FULL "], []]}, " REQ "}", &e);
  CU_ASSERT_EQUAL (e.lines->len, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (lists);
  const AmsPolicySet *set = ams_eval_input_policies (lists);
  CU_ASSERT_EQUAL_FATAL (set->n_scp_layers, 3);
  CU_ASSERT_EQUAL (set->n_scp[0], 1);
  CU_ASSERT_EQUAL (set->n_scp[1], 2);
  CU_ASSERT_EQUAL (set->n_scp[2], 0);
  CU_ASSERT_STRING_EQUAL (set->scp_layer_names[1], "SCP level 2");
  CU_ASSERT_STRING_EQUAL (ams_policy_name (set->scp_layers[1][1]), "SCP 2.2");
  AmsVerdict v;
  ams_verdict_init (&v);
  CU_ASSERT_EQUAL (ams_authorize (set, ams_eval_input_request (lists), &v), AMS_DECISION_IMPLICIT_DENY);
  CU_ASSERT_EQUAL (v.missing, AMS_PART_SCP);
  CU_ASSERT_EQUAL (v.scp_layer, 2);

  g_autoptr (AmsEvalInput) named = load_input (
    "{`policies`: {`identity`: [" ID_KMS "], `resource`: {`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `222222222222`}, `Action`: `kms:*`}}, "
    "`scp`: [{`name`: `r-ab12`, `policies`: [" SCP_FULL "]}, "
    "{`name`: `ou-ab12-11111111`, `policies`: [{`Statement`: {`Sid`: `NoKms`, `Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`}}, " SCP_FULL "]}]}, "
    REQ "}", &e);
  CU_ASSERT_EQUAL (e.lines->len, 0);
  CU_ASSERT_PTR_NOT_NULL_FATAL (named);
  set = ams_eval_input_policies (named);
  CU_ASSERT_EQUAL_FATAL (set->n_scp_layers, 2);
  CU_ASSERT_STRING_EQUAL (set->scp_layer_names[0], "r-ab12");
  CU_ASSERT_EQUAL (ams_authorize (set, ams_eval_input_request (named), &v), AMS_DECISION_EXPLICIT_DENY);
  CU_ASSERT_EQUAL (v.denied_by, AMS_PART_SCP);
  CU_ASSERT_EQUAL (v.scp_layer, 1);
  CU_ASSERT_STRING_EQUAL (v.reason, "statement \"NoKms\" of SCP 2.1 (SCP attached at ou-ab12-11111111) explicitly denies "
                                    "kms:Decrypt on arn:aws:kms:us-east-1:111111111111:key/k for arn:aws:iam::222222222222:role/R");
  ams_verdict_clear (&v);
  pt_errors_clear (&e);
}

typedef struct
{
  const char *text;
  const char *errors[4];
} InputError;

static const InputError input_errors[] = {
  { "[1]", { "1:1: (root): the input must be an object with \"policies\" and \"request\", not an array" } },
  { "{}", { "1:1: (root): the input has no \"policies\"", "1:1: (root): the input has no \"request\"" } },
  { "{`polices`: {}, " REQ "}",
    { "1:2: polices: unknown key 'polices' in the input; did you mean 'policies'?", "1:1: (root): the input has no \"policies\"" } },
  { "{`policies`: [], " REQ "}",
    { "1:14: policies: policies must be an object with \"identity\", \"resource\" and \"scp\", not an array" } },
  { "{`policies`: {`identities`: []}, " REQ "}",
    { "1:15: policies.identities: unknown key 'identities' in policies; did you mean 'identity'?" } },
  { "{`policies`: {`identity`: `RoleKms`}, " REQ "}",
    { "1:27: policies.identity: expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"RoleKms\"" } },
  { "{`policies`: {`identity`: 5}, " REQ "}",
    { "1:27: policies.identity: identity must be a list of policy documents, not a number" } },
  { "{`policies`: {`resource`: `key`}, " REQ "}",
    { "1:27: policies.resource: expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"key\"" } },
  { "{`policies`: {`resource`: [{}]}, " REQ "}",
    { "1:27: policies.resource: resource must be a policy document (an object, or a JSON string holding one) or null, not an array" } },
  { "{`policies`: {`resource_kind`: `kms`}, " REQ "}",
    { "1:32: policies.resource_kind: unknown resource_kind 'kms'; expected one of: kms_key, trust, generic" } },
  { "{`policies`: {`resource_kind`: 1}, " REQ "}",
    { "1:32: policies.resource_kind: resource_kind must be \"kms_key\", \"trust\" or \"generic\", not a number" } },
  { "{`policies`: {`scp`: `FullAWSAccess`}, " REQ "}",
    { "1:22: policies.scp: scp must be a list of SCP documents (one layer) or a list of layers from the root down, not a string" } },
  { "{`policies`: {`scp`: [" SCP_FULL ", []]}, " REQ "}",
    { "1:22: policies.scp: scp mixes policy documents with layers: give either one list of SCPs, or a list of layers (each a list of SCPs or {\"name\", \"policies\"})" } },
  { "{`policies`: {`scp`: [[`x`]]}, " REQ "}",
    { "1:24: policies.scp[0][0]: expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"x\"" } },
  { "{`policies`: {`scp`: [[true]]}, " REQ "}",
    { "1:24: policies.scp[0][0]: an SCP must be a policy document (an object, or a JSON string holding one), not a boolean" } },
  { "{`policies`: {`scp`: [{`name`: `r-1`, `policies`: {}, `extra`: 1}]}, " REQ "}",
    { "1:55: policies.scp[0].extra: unknown key 'extra' in an SCP layer; expected one of: name, policies",
      "1:51: policies.scp[0].policies: policies must be a list of SCP documents, not an object" } },
  { "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `kms:Decrypt`}}]}, " REQ "}",
    { "1:42: policies.identity[0].Statement: the statement has no Resource (or NotResource): add \"Resource\": \"*\" or the ARNs it applies to" } },
  { "{`policies`: {`scp`: [{`Statement`: {`Effect`: `Allow`, `Principal`: `*`, `Action`: `*`}}]}, " REQ "}",
    { "1:57: policies.scp[0].Statement.Principal: Principal is not allowed in a service control policy: it applies to every principal of the accounts it is attached to" } },
  { "{`policies`: {}, `request`: []}",
    { "1:29: request: request must be an object with \"action\", \"resource\", \"principal\", …, not an array" } },
  { "{`policies`: {}, `request`: {`acton`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, `principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:30: request.acton: unknown key 'acton' in request; did you mean 'action'?",
      "1:29: request: the request has no \"action\": add e.g. \"action\": \"kms:Decrypt\"" } },
  { "{`policies`: {}, `request`: {`action`: `kms:*`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, `principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:40: request.action: action 'kms:*' must be one action of the form service:Action, like kms:Decrypt (no wildcards: a request does one thing)" } },
  { "{`policies`: {}, `request`: {`action`: 5, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, `principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:40: request.action: action must be a string, not a number" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `alias/x`, `principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:67: request.resource: resource 'alias/x' must be an ARN (arn:partition:service:region:account:resource), "
      "or \"*\" for an action without resource-level permissions" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:*`, `principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:67: request.resource: resource 'arn:*' must be an ARN (arn:partition:service:region:account:resource), "
      "or \"*\" for an action without resource-level permissions" } },
  /* null is absent: a required member is still missing, a wrong one still wrong */
  { "{`policies`: {}, `request`: {`action`: null, `resource`: `*`, `principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:40: request.action: action must be a string, not null" } },
  { "{`policies`: {}, `request`: {`action`: `ec2:CopyImage`, `resource`: `arn:aws:ec2:us-east-1::image/ami-1`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `resource_account`: null}}",
    { "1:29: request: the request has no \"resource_account\" and the resource ARN names no account: add \"resource_account\": \"111111111111\"" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `principal_account`: null, `resource_account`: `x`}}",
    { "1:207: request.resource_account: resource_account 'x' must be 12 digits" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`}}",
    { "1:29: request: the request has no \"principal\": add e.g. \"principal\": \"arn:aws:iam::222222222222:role/R\"" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, `principal`: `bob`}}",
    { "1:124: request.principal: principal 'bob' must be an IAM ARN (arn:aws:iam::ACCOUNT:role/NAME) or a service (imagebuilder.amazonaws.com)" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `principal_account`: `333333333333`}}",
    { "1:181: request.principal_account: principal_account 333333333333 does not match the account in the principal ARN (222222222222)" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `principal_account`: 222222222222}}",
    { "1:181: request.principal_account: principal_account must be a string: quote it (leading zeros matter)" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `imagebuilder.amazonaws.com`, `principal_account`: `222222222222`}}",
    { "1:175: request.principal_account: a service principal (imagebuilder.amazonaws.com) has no account: remove principal_account" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `resource_account`: `1234`}}",
    { "1:180: request.resource_account: resource_account '1234' must be 12 digits" } },
  { "{`policies`: {}, `request`: {`action`: `ec2:CopyImage`, `resource`: `arn:aws:ec2:us-east-1::image/ami-1`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`}}",
    { "1:29: request: the request has no \"resource_account\" and the resource ARN names no account: add \"resource_account\": \"111111111111\"" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `context`: {`PrincipalOrgID`: `o-1`, `aws:TagKeys`: [], "
    "`aws:x`: {`a`: 1}, `aws:y`: [`a`, [`b`]]}}}",
    { "1:172: request.context.PrincipalOrgID: context key 'PrincipalOrgID' needs a service prefix, like aws:PrincipalOrgID",
      "1:212: request.context.aws:TagKeys: context key 'aws:TagKeys' has an empty list: leave the key out for a request without it",
      "1:225: request.context.aws:x: a context value must be a string or a list of strings, not an object",
      "1:250: request.context.aws:y[1]: a context value must be a string, not an array" } },
  { "{`policies`: {}, `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, "
    "`principal`: `arn:aws:iam::222222222222:role/R`, `context`: `o-1`}}",
    { "1:171: request.context: context must be an object of condition keys, like {\"aws:PrincipalOrgID\": \"o-…\"}, not a string" } },
};

static void
test_policy_input_errors (void)
{
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (input_errors); i++)
    {
      const InputError *c = &input_errors[i];
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsEvalInput) in = load_input (c->text, &e);
      guint n = 0;
      while (n < G_N_ELEMENTS (c->errors) && c->errors[n] != NULL)
        n++;
      gboolean ok = in == NULL && e.lines->len == n;
      for (guint j = 0; ok && j < n; j++)
        ok = strcmp (g_ptr_array_index (e.lines, j), c->errors[j]) == 0;
      if (!ok)
        {
          failed++;
          fprintf (stderr, "\ninput error case %u: %s\n  expected:\n", i, c->text);
          for (guint j = 0; j < n; j++)
            fprintf (stderr, "    %s\n", c->errors[j]);
          fprintf (stderr, "  got%s:\n", in != NULL ? " (and an input)" : "");
          for (guint j = 0; j < e.lines->len; j++)
            fprintf (stderr, "    %s\n", (char *) g_ptr_array_index (e.lines, j));
        }
      pt_errors_clear (&e);
    }
  printf ("\n  %u input error cases\n", (guint) G_N_ELEMENTS (input_errors));
  CU_ASSERT_EQUAL (failed, 0);
  ams_eval_input_free (NULL);
}

/* Decisions end to end: the parts of assuming a role need the trust policy
 * (it used to be read as a generic resource policy, which an identity allow
 * in the same account overrides), the root user cannot assume roles, and a
 * request for "*" is allowed only by Resource "*". */
static void
test_policy_input_decisions (void)
{
#define ASSUME_IDENTITY "[{`Statement`: {`Effect`: `Allow`, `Action`: [`sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`], `Resource`: `*`}}]"
#define TRUST_ASSUME_ONLY "{`Statement`: {`Sid`: `Assume`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::222222222222:role/Builder`}, `Action`: `sts:AssumeRole`}}"
#define TRUST_ALL "{`Statement`: {`Sid`: `All`, `Effect`: `Allow`, `Principal`: {`AWS`: `222222222222`}, " \
                  "`Action`: [`sts:AssumeRole`, `sts:TagSession`, `sts:SetSourceIdentity`]}}"
#define ASSUME_REQ(action, principal) "`request`: {`action`: `" action "`, `resource`: `arn:aws:iam::222222222222:role/Target`, " \
                                      "`principal`: `" principal "`}"
#define DESCRIBE_REQ "`request`: {`action`: `ec2:DescribeImages`, `resource`: `*`, `principal`: `arn:aws:iam::222222222222:role/Builder`}"
  static const struct
  {
    const char *text;
    AmsDecision expect;
    AmsPolicyPart part;
    const char *reason; /* exact, or NULL */
  } rows[] = {
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ASSUME_ONLY "}, "
      ASSUME_REQ ("sts:AssumeRole", "arn:aws:iam::222222222222:role/Builder") "}", AMS_DECISION_ALLOW, AMS_PART_NONE, NULL },
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ASSUME_ONLY "}, "
      ASSUME_REQ ("sts:TagSession", "arn:aws:iam::222222222222:role/Builder") "}", AMS_DECISION_IMPLICIT_DENY, AMS_PART_RESOURCE,
      "no statement of trust policy allows sts:TagSession on arn:aws:iam::222222222222:role/Target for "
      "arn:aws:iam::222222222222:role/Builder; a role's trust policy must allow the principal itself or its account "
      "222222222222, an identity policy alone is not enough" },
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ASSUME_ONLY "}, "
      ASSUME_REQ ("sts:SetSourceIdentity", "arn:aws:iam::222222222222:role/Builder") "}", AMS_DECISION_IMPLICIT_DENY, AMS_PART_RESOURCE, NULL },
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ALL "}, "
      ASSUME_REQ ("sts:TagSession", "arn:aws:iam::222222222222:role/Builder") "}", AMS_DECISION_ALLOW, AMS_PART_NONE, NULL },
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ALL "}, "
      ASSUME_REQ ("sts:SetSourceIdentity", "arn:aws:sts::222222222222:assumed-role/Builder/s") "}", AMS_DECISION_ALLOW, AMS_PART_NONE, NULL },
    /* the root user: refused whatever the policies say */
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ALL "}, "
      ASSUME_REQ ("sts:AssumeRole", "arn:aws:iam::222222222222:root") "}", AMS_DECISION_IMPLICIT_DENY, AMS_PART_IDENTITY,
      "the root user cannot assume roles: sts:AssumeRole on arn:aws:iam::222222222222:role/Target for "
      "arn:aws:iam::222222222222:root is a call by the root user of account 222222222222, which AWS STS refuses "
      "whatever the policies say; make it as an IAM user or role of that account" },
    { "{`policies`: {`identity`: " ASSUME_IDENTITY ", `resource`: " TRUST_ALL "}, "
      ASSUME_REQ ("sts:TagSession", "arn:aws:iam::222222222222:root") "}", AMS_DECISION_IMPLICIT_DENY, AMS_PART_IDENTITY, NULL },
    /* resource "*": Resource "*" allows, an ARN pattern does not */
    { "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `ec2:Describe*`, `Resource`: `*`}}]}, " DESCRIBE_REQ "}",
      AMS_DECISION_ALLOW, AMS_PART_NONE,
      "Statement[0] of identity policy allows ec2:DescribeImages on * for arn:aws:iam::222222222222:role/Builder" },
    { "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `ec2:Describe*`, `Resource`: `arn:aws:ec2:*:*:*`}}]}, " DESCRIBE_REQ "}",
      AMS_DECISION_IMPLICIT_DENY, AMS_PART_IDENTITY, NULL },
    { "{`policies`: {`identity`: [{`Statement`: [{`Effect`: `Allow`, `Action`: `ec2:*`, `Resource`: `*`}, "
      "{`Effect`: `Deny`, `Action`: `ec2:*`, `NotResource`: `arn:aws:ec2:*::image/ami-1`}]}]}, " DESCRIBE_REQ "}",
      AMS_DECISION_EXPLICIT_DENY, AMS_PART_IDENTITY, NULL },
  };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsEvalInput) in = load_input (rows[i].text, &e);
      for (guint j = 0; j < e.lines->len; j++)
        fprintf (stderr, "row %u: %s\n", i, (char *) g_ptr_array_index (e.lines, j));
      CU_ASSERT_PTR_NOT_NULL_FATAL (in);
      AmsVerdict v;
      ams_verdict_init (&v);
      AmsDecision d = ams_authorize (ams_eval_input_policies (in), ams_eval_input_request (in), &v);
      AmsPolicyPart part = d == AMS_DECISION_EXPLICIT_DENY ? v.denied_by : v.missing;
      gboolean ok = d == rows[i].expect && part == rows[i].part
                    && (rows[i].reason == NULL || strcmp (v.reason, rows[i].reason) == 0);
      if (!ok)
        fprintf (stderr, "\ndecision row %u: expected %s part %d, got %s part %d\n  reason: %s\n", i,
                 ams_decision_name (rows[i].expect), rows[i].part, ams_decision_name (d), part, v.reason);
      CU_ASSERT_TRUE (ok);
      ams_verdict_clear (&v);
      pt_errors_clear (&e);
    }
}

/* The same input written in YAML (the command reads either). */
static void
test_policy_input_yaml (void)
{
  GError *error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("in.yaml",
    "policies:\n"
    "  identity:\n"
    "    - Statement:\n"
    "        Effect: Allow\n"
    "        Action: sts:AssumeRole\n"
    "        Resource: '*'\n"
    "  resource:\n"
    "    Version: '2012-10-17'\n"
    "    Statement:\n"
    "      Effect: Allow\n"
    "      Principal: {AWS: 'arn:aws:iam::111111111111:root'}\n"
    "      Action: sts:AssumeRole\n"
    "request:\n"
    "  action: sts:AssumeRole\n"
    "  resource: arn:aws:iam::222222222222:role/EC2ImageBuilderDistributionCrossAccountRole\n"
    "  principal: arn:aws:iam::111111111111:role/Builder\n", -1, &error);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsEvalInput) in = ams_eval_input_compile (ams_value_doc_root (doc), pt_collect, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (in);
  CU_ASSERT_EQUAL (ams_eval_input_policies (in)->resource_kind, AMS_RESOURCE_TRUST);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (ams_eval_input_policies (in)->resource), "trust policy");
  CU_ASSERT_EQUAL (ams_authorize (ams_eval_input_policies (in), ams_eval_input_request (in), NULL),
                   AMS_DECISION_ALLOW);
  pt_errors_clear (&e);
}

static const AmsTestCase test_cases[] = {
  { "test_policy_input_documented_shape", test_policy_input_documented_shape },
  { "test_policy_input_inference", test_policy_input_inference },
  { "test_policy_input_scp_layers", test_policy_input_scp_layers },
  { "test_policy_input_decisions", test_policy_input_decisions },
  { "test_policy_input_errors", test_policy_input_errors },
  { "test_policy_input_yaml", test_policy_input_yaml },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("policy/input", test_cases);
}
