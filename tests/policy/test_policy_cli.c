/* amisim tests — `amisim policy eval` as a user runs it: compile warnings on
 * stderr at their statements' FILE:LINE:COL (the exit status and stdout
 * unchanged), and requests the evaluator used to get wrong: the root user
 * assuming a role, a role's session named by its role, null for an absent
 * principal_account, and a request for "*".
 */
#include <glib/gstdio.h>

#include "ams_proc.h"

/* Writes `text` (with ` for ") to a new file in `dir`; the path is returned. */
static char *
write_input (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autofree char *json = g_strdelimit (g_strdup (text), "`", '"');
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

static void
test_policy_cli_warnings (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-policy-XXXXXX", NULL);
  g_autofree char *in = write_input (tmp, "warn.json",
    "{`policies`: {\n"
    "  `identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`}}],\n"
    "  `resource`: {`Version`: `2012-10-17`, `Statement`: [\n"
    "    {`Sid`: `OrgUnit`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`,\n"
    "     `Condition`: {`StringLike`: {`aws:PrincipalOrgPaths`: `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`}}}]},\n"
    "  `scp`: [{`Statement`: [{`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`},\n"
    "          {`Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`,\n"
    "           `Condition`: {`StringNotEquals`: {`aws:TagKeys`: `Owner`}}}]}]},\n"
    " `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`,\n"
    "             `principal`: `arn:aws:iam::222222222222:role/R`, `principal_account`: null,\n"
    "             `context`: {`aws:PrincipalOrgPaths`: [`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`], `aws:TagKeys`: `Team`}}}\n");
  g_auto (Run) r = { 0 };
  amisim (&r, "policy", "eval", in, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (r.out, "ImplicitDeny\n"));
  /* the near miss says why the OU statement does not apply */
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out,
    "but StringLike on aws:PrincipalOrgPaths [\"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*\"] is false for "
    "[\"o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/\"]: aws:PrincipalOrgPaths is a multivalued key, which needs "
    "ForAnyValue: or ForAllValues:\n"));
  g_autofree char *want = g_strdup_printf (
    "%s:4:5: warning: policies.resource.Statement[0]: Condition StringLike on aws:PrincipalOrgPaths: "
    "aws:PrincipalOrgPaths is a multivalued key, and IAM requires ForAnyValue: or ForAllValues: with it; "
    "without one the condition is false whenever the request carries the key, so the statement never "
    "applies then. Write ForAnyValue:StringLike (some value matches) or ForAllValues:StringLike (every "
    "value matches)\n"
    "%s:7:11: warning: policies.scp[0].Statement[1]: Condition StringNotEquals on aws:TagKeys: "
    "aws:TagKeys is a multivalued key, and IAM requires ForAnyValue: or ForAllValues: with it; without "
    "one the condition is false whenever the request carries the key, so the statement never applies "
    "then. Write ForAnyValue:StringNotEquals (some value matches) or ForAllValues:StringNotEquals (every "
    "value matches)\n", in, in);
  if (strcmp (r.err, want) != 0)
    fprintf (stderr, "\nexpected stderr:\n%sgot:\n%s", want, r.err);
  CU_ASSERT_STRING_EQUAL (r.err, want);

  /* --json: stdout stays one JSON document, the warnings still go to stderr */
  g_auto (Run) j = { 0 };
  amisim (&j, "policy", "eval", "--json", in, NULL);
  CU_ASSERT_EQUAL (j.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (j.out, "{\n  \"decision\": \"ImplicitDeny\""));
  CU_ASSERT_STRING_EQUAL (j.err, want);

  /* the same with ForAnyValue: no warning, and the OU is allowed */
  g_autofree char *good = write_input (tmp, "good.json",
    "{`policies`: {\n"
    "  `identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`}}],\n"
    "  `resource`: {`Version`: `2012-10-17`, `Statement`: [\n"
    "    {`Sid`: `OrgUnit`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`,\n"
    "     `Condition`: {`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`}}}]}},\n"
    " `request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`,\n"
    "             `principal`: `arn:aws:iam::222222222222:role/R`,\n"
    "             `context`: {`aws:PrincipalOrgPaths`: [`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/`]}}}\n");
  g_auto (Run) g = { 0 };
  amisim (&g, "policy", "eval", good, NULL);
  CU_ASSERT_EQUAL (g.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (g.out, "Allow\n"));
  CU_ASSERT_STRING_EQUAL (g.err, "");

  g_unlink (in);
  g_unlink (good);
  g_rmdir (tmp);
}

static void
test_policy_cli_requests (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-policy-XXXXXX", NULL);
  /* the root user assuming a role: refused, whatever the policies say */
  g_autofree char *root = write_input (tmp, "root.json",
    "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}}],\n"
    "              `resource`: {`Statement`: {`Effect`: `Allow`, `Principal`: {`AWS`: `111111111111`}, `Action`: `sts:AssumeRole`}}},\n"
    " `request`: {`action`: `sts:AssumeRole`, `resource`: `arn:aws:iam::111111111111:role/Target`,\n"
    "             `principal`: `arn:aws:iam::111111111111:root`}}\n");
  g_auto (Run) r = { 0 };
  amisim (&r, "policy", "eval", root, NULL);
  CU_ASSERT_EQUAL (r.status, 0);
  CU_ASSERT_STRING_EQUAL (r.out,
    "ImplicitDeny\n"
    "  the root user cannot assume roles: sts:AssumeRole on arn:aws:iam::111111111111:role/Target for "
    "arn:aws:iam::111111111111:root is a call by the root user of account 111111111111, which AWS STS "
    "refuses whatever the policies say; make it as an IAM user or role of that account\n");
  CU_ASSERT_STRING_EQUAL (r.err, "");

  /* a session of a role the trust policy names, with its parts (tags) */
  g_autofree char *session = write_input (tmp, "session.json",
    "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: [`sts:AssumeRole`, `sts:TagSession`], `Resource`: `*`}}],\n"
    "              `resource`: {`Statement`: {`Sid`: `Builder`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::111111111111:role/ci/Builder`},\n"
    "                                         `Action`: `sts:AssumeRole`}}},\n"
    " `request`: {`action`: `sts:TagSession`, `resource`: `arn:aws:iam::222222222222:role/Target`,\n"
    "             `principal`: `arn:aws:sts::111111111111:assumed-role/Builder/run-7`}}\n");
  g_auto (Run) t = { 0 };
  amisim (&t, "policy", "eval", session, NULL);
  CU_ASSERT_EQUAL (t.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (t.out, "ImplicitDeny\n  no statement of trust policy allows sts:TagSession"));
  g_autofree char *fixed = write_input (tmp, "fixed.json",
    "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: [`sts:AssumeRole`, `sts:TagSession`], `Resource`: `*`}}],\n"
    "              `resource`: {`Statement`: {`Sid`: `Builder`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::111111111111:role/ci/Builder`},\n"
    "                                         `Action`: [`sts:AssumeRole`, `sts:TagSession`]}}},\n"
    " `request`: {`action`: `sts:TagSession`, `resource`: `arn:aws:iam::222222222222:role/Target`,\n"
    "             `principal`: `arn:aws:sts::111111111111:assumed-role/Builder/run-7`, `principal_account`: null}}\n");
  g_auto (Run) f = { 0 };
  amisim (&f, "policy", "eval", fixed, NULL);
  CU_ASSERT_EQUAL (f.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (f.out, "Allow\n  statement \"Builder\" of trust policy and Statement[0] of identity "
                                           "policy allow sts:TagSession"));
  CU_ASSERT_STRING_EQUAL (f.err, "");

  /* an action without resource-level permissions */
  g_autofree char *any = write_input (tmp, "any.yaml",
    "{`policies`: {`identity`: [{`Statement`: {`Effect`: `Allow`, `Action`: `ec2:Describe*`, `Resource`: `arn:aws:ec2:*::image/*`}}]},\n"
    " `request`: {`action`: `ec2:DescribeImages`, `resource`: `*`, `principal`: `arn:aws:iam::222222222222:role/R`}}\n");
  g_auto (Run) a = { 0 };
  amisim (&a, "policy", "eval", any, NULL);
  CU_ASSERT_EQUAL (a.status, 0);
  CU_ASSERT_TRUE (g_str_has_prefix (a.out, "ImplicitDeny\n  no identity policy (identity policy) allows "
                                           "ec2:DescribeImages on * for arn:aws:iam::222222222222:role/R\n"));

  g_unlink (root);
  g_unlink (session);
  g_unlink (fixed);
  g_unlink (any);
  g_rmdir (tmp);
}

static const AmsTestCase test_cases[] = {
  { "test_policy_cli_warnings", test_policy_cli_warnings },
  { "test_policy_cli_requests", test_policy_cli_requests },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("policy/cli", test_cases);
}
