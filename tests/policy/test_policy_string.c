/* amisim tests — policy documents held as JSON strings
 * (ams_policy_compile_string, and strings in the `amisim policy eval`
 * input): the same policy as the document itself; every problem inside the
 * string reported at the string's own location, the path going on into the
 * document and the message saying the line and column inside the string;
 * statements cited at the string and their warnings saying where in it;
 * what cannot be a document refused; and `policy eval` deciding the same
 * with strings as with objects, through the library and the binary.
 *
 * Documents are written with ` for " to keep the tables readable.
 */
#include <glib/gstdio.h>

#include "ams_proc.h"
#include "policy_test.h"

#define OUTER_PATH "accounts[0].kms_keys[0].policy"

/* `text` (with ` for ") as a string value written at k.yaml:7:17, `path`. */
static const AmsValue *
string_value (AmsValueDoc *doc, const char *text, const char *path)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "`", '"');
  AmsSrcLoc loc = { .file = "k.yaml", .path = path, .line = 7, .col = 17 };
  return ams_value_new_scalar (doc, AMS_VALUE_STRING, json, &loc);
}

/* Errors as pt_collect writes them, with the file in front. */
static void
collect_with_file (void *user, const AmsSrcLoc *loc, const char *message)
{
  PtErrors *e = user;
  g_ptr_array_add (e->lines, g_strdup_printf ("%s:%u:%u: %s: %s", loc->file, loc->line, loc->col,
                                              loc->path && *loc->path ? loc->path : "(root)",
                                              message));
}

#define KEY_POLICY \
  "{\n" \
  "  `Version`: `2012-10-17`,\n" \
  "  `Statement`: [\n" \
  "    {`Sid`: `Admin`, `Effect`: `Allow`, `Principal`: {`AWS`: `arn:aws:iam::111111111111:root`},\n" \
  "     `Action`: `kms:*`, `Resource`: `*`},\n" \
  "    {`Sid`: `OrgUnit`, `Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:Decrypt`,\n" \
  "     `Condition`: {`StringLike`: {`aws:PrincipalOrgPaths`: `o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`}}}\n" \
  "  ]\n" \
  "}"

/* The same statements as the document compiled on its own; statements
 * cited at the string; warnings saying where in the string. */
static void
test_string_same_policy (void)
{
  g_autoptr (AmsValueDoc) doc = ams_value_doc_new ();
  const AmsValue *text = string_value (doc, KEY_POLICY, OUTER_PATH);
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsPolicy) p = ams_policy_compile_string (text, AMS_POLICY_RESOURCE, "key policy",
                                                       collect_with_file, &e);
  CU_ASSERT_EQUAL (e.lines->len, 0);
  g_autofree char *json = g_strdelimit (g_strdup (KEY_POLICY), "`", '"');
  g_autoptr (AmsPolicy) q = ams_policy_compile_json ("d.json", json, AMS_POLICY_RESOURCE,
                                                     "key policy", collect_with_file, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (p);
  CU_ASSERT_PTR_NOT_NULL_FATAL (q);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (p), "key policy");
  CU_ASSERT_EQUAL (ams_policy_kind (p), AMS_POLICY_RESOURCE);
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_statements (p), 2);
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_statements (q), 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *a = ams_policy_statement_to_json (p, i);
      g_autofree char *b = ams_policy_statement_to_json (q, i);
      CU_ASSERT_STRING_EQUAL (a, b);
      CU_ASSERT_STRING_EQUAL (ams_policy_statement_sid (p, i), ams_policy_statement_sid (q, i));
      CU_ASSERT_TRUE (ams_policy_statement_allows (p, i));
      const AmsSrcLoc *loc = ams_policy_statement_loc (p, i);
      g_autofree char *path = g_strdup_printf (OUTER_PATH ".Statement[%u]", i);
      CU_ASSERT_STRING_EQUAL (loc->file, "k.yaml");
      CU_ASSERT_EQUAL (loc->line, 7);
      CU_ASSERT_EQUAL (loc->col, 17);
      CU_ASSERT_STRING_EQUAL (loc->path, path);
    }
  /* the statement the warning is about starts at line 6, column 5 of the string */
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_warnings (p), 1);
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_warnings (q), 1);
  const AmsSrcLoc *wloc = NULL;
  const char *w = ams_policy_warning (p, 0, &wloc);
  g_autofree char *want = g_strconcat ("in the JSON string at line 6, column 5: ",
                                       ams_policy_warning (q, 0, NULL), NULL);
  CU_ASSERT_STRING_EQUAL (w, want);
  CU_ASSERT_STRING_EQUAL (wloc->path, OUTER_PATH ".Statement[1]");

  /* decisions: the same */
  AmsRequest req = { .action = "kms:Decrypt", .resource = "arn:aws:kms:us-east-1:111111111111:key/k",
                     .principal = "arn:aws:iam::111111111111:role/R",
                     .principal_account = "111111111111" };
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, NULL), ams_policy_evaluate (q, &req, NULL));
  CU_ASSERT_EQUAL (ams_policy_evaluate (p, &req, NULL), AMS_DECISION_ALLOW);
  pt_errors_clear (&e);
}

typedef struct
{
  const char *text;
  const char *path;       /* of the string; NULL: OUTER_PATH */
  AmsPolicyKind kind;
  const char *errors[3];
} StringError;

#define DOC(statement) "{`Version`: `2012-10-17`, `Statement`: [" statement "]}"

static const StringError string_errors[] = {
  /* JSON syntax, line 3 of the string */
  { "{\n  `Version`: `2012-10-17`,\n  `Statement`: [{`Effect`: `Allow` `Action`: `kms:*`}]\n}",
    NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Statement[0]: in the JSON string at line 3, column 36: expected ',' or '}' in an object" } },
  /* compile errors, every one */
  { DOC ("{`Effect`: `Alow`, `Action`: `kms:*`, `Resource`: `*`}, {`Effect`: `Allow`, `Action`: `kms`, `Resource`: `*`}"),
    NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Statement[0].Effect: in the JSON string at line 1, column 52: Effect must be \"Allow\" or \"Deny\", not \"Alow\"; did you mean \"Allow\"?",
      "k.yaml:7:17: " OUTER_PATH ".Statement[1].Action: in the JSON string at line 1, column 127: action 'kms' is not of the form service:Action, like kms:Decrypt or ec2:Describe*" } },
  /* the kind matters */
  { DOC ("{`Effect`: `Allow`, `Principal`: `*`, `Action`: `kms:*`, `Resource`: `*`}"),
    NULL, AMS_POLICY_SCP,
    { "k.yaml:7:17: " OUTER_PATH ".Statement[0].Principal: in the JSON string at line 1, column 61: Principal is not allowed in a service control policy: it applies to every principal of the accounts it is attached to" } },
  /* an error about the document itself: the string's own path */
  { "{`Version`: `2012-10-17`}", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": in the JSON string at line 1, column 1: the policy has no Statement" } },
  { "{`Versoin`: `2012-10-17`, `Statement`: []}", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Versoin: in the JSON string at line 1, column 2: unknown policy element 'Versoin'; did you mean 'Version'?",
      "k.yaml:7:17: " OUTER_PATH ".Statement: in the JSON string at line 1, column 40: Statement must not be an empty list" } },
  /* a string at the root of its document: the inner path alone */
  { "{`Version`: `2012-10-17`}", "", AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: (root): in the JSON string at line 1, column 1: the policy has no Statement" } },
  { "{`Statement`: {`Effect`: 1}}", "", AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: Statement.Effect: in the JSON string at line 1, column 26: Effect must be the string \"Allow\" or \"Deny\", not a number",
      "k.yaml:7:17: Statement: in the JSON string at line 1, column 15: the statement has no Action (or NotAction): add e.g. \"Action\": \"kms:Decrypt\"",
      "k.yaml:7:17: Statement: in the JSON string at line 1, column 15: the statement has no Resource (or NotResource): add \"Resource\": \"*\" or the ARNs it applies to" } },
  /* what the JSON reader refuses */
  { DOC ("{`Sid`: `a\\u0000b`}"), NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Statement[0].Sid: in the JSON string at line 1, column 57: \\u0000 is not allowed in a string" } },
  { DOC ("{`Sid`: `a\tb`}"), NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Statement[0].Sid: in the JSON string at line 1, column 51: control character in a string: write it as \\u0009" } },
  { "{`Version`: `2012-10-17`, `Version`: `2012-10-17`}", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Version: in the JSON string at line 1, column 27: duplicate member 'Version'" } },
  { "{`Statement`: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
    NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ".Statement[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: "
      "in the JSON string at line 1, column 78: collections nested more than 64 deep, the limit; refusing to go on" } },
  { "{}  x", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": in the JSON string at line 1, column 5: unexpected text after the document" } },
  /* what cannot be a document: at the string */
  { "", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got an empty string" } },
  { " \n\t ", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got a string of white space only" } },
  { "[" DOC ("") "]", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"[{\\\"Version\\\": \\\"2012-10-17\\\", \\\"Statement\\\": …\"" } },
  { "arn:aws:iam::aws:policy/a-managed-policy-name-that-goes-on-and-on", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"arn:aws:iam::aws:policy/a-managed-policy…\"" } },
  { "17", NULL, AMS_POLICY_IDENTITY,
    { "k.yaml:7:17: " OUTER_PATH ": expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"17\"" } },
};

static void
test_string_errors (void)
{
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (string_errors); i++)
    {
      const StringError *c = &string_errors[i];
      g_autoptr (AmsValueDoc) doc = ams_value_doc_new ();
      const AmsValue *text = string_value (doc, c->text, c->path != NULL ? c->path : OUTER_PATH);
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsPolicy) p = ams_policy_compile_string (text, c->kind, "p", collect_with_file, &e);
      guint n = 0;
      while (n < G_N_ELEMENTS (c->errors) && c->errors[n] != NULL)
        n++;
      gboolean ok = p == NULL && e.lines->len == n;
      for (guint j = 0; ok && j < n; j++)
        ok = strcmp (g_ptr_array_index (e.lines, j), c->errors[j]) == 0;
      if (!ok)
        {
          failed++;
          fprintf (stderr, "\nstring error case %u: %s\n  expected:\n", i, c->text);
          for (guint j = 0; j < n; j++)
            fprintf (stderr, "    %s\n", c->errors[j]);
          fprintf (stderr, "  got%s:\n", p != NULL ? " (and a policy)" : "");
          for (guint j = 0; j < e.lines->len; j++)
            fprintf (stderr, "    %s\n", (char *) g_ptr_array_index (e.lines, j));
        }
      /* and without a callback: NULL all the same */
      g_autoptr (AmsPolicy) quiet = ams_policy_compile_string (text, c->kind, "p", NULL, NULL);
      CU_ASSERT_PTR_NULL (quiet);
      pt_errors_clear (&e);
    }
  printf ("\n  %u string error cases\n", (guint) G_N_ELEMENTS (string_errors));
  CU_ASSERT_EQUAL (failed, 0);
}

/* ---- `amisim policy eval` input ------------------------------------------ */

#define ID_KMS "{`Id`: `RoleKms`, `Statement`: {`Sid`: `IdKms`, `Effect`: `Allow`, `Action`: `kms:Decrypt`, `Resource`: `*`}}"
#define KP_ORG "{`Version`: `2012-10-17`, `Id`: `OrgKey`, `Statement`: [{`Sid`: `AllowOrgUnit`, `Effect`: `Allow`, `Principal`: `*`, " \
               "`Action`: `kms:Decrypt`, `Resource`: `*`, `Condition`: {`StringEquals`: {`aws:PrincipalOrgID`: `o-a1b2c3d4e5`}, " \
               "`ForAnyValue:StringLike`: {`aws:PrincipalOrgPaths`: [`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*`]}}}]}"
#define SCP_FULL "{`Statement`: {`Sid`: `Full`, `Effect`: `Allow`, `Action`: `*`, `Resource`: `*`}}"
#define SCP_DENY "{`Statement`: {`Sid`: `NoKms`, `Effect`: `Deny`, `Action`: `kms:*`, `Resource`: `*`}}"
#define REQ "`request`: {`action`: `kms:Decrypt`, `resource`: `arn:aws:kms:us-east-1:111111111111:key/k`, " \
            "`principal`: `arn:aws:iam::222222222222:role/R`, " \
            "`context`: {`aws:PrincipalOrgID`: `o-a1b2c3d4e5`, " \
            "`aws:PrincipalOrgPaths`: [`o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/`]}}"

/* `doc` (with ` for ") as a JSON string literal, ` staying ` outside it:
 * pretty is TRUE for a text broken into lines, as kms get-key-policy
 * gives it ("\n" escapes). */
static char *
as_string (const char *doc, gboolean pretty)
{
  GString *out = g_string_new ("\"");
  for (const char *c = doc; *c; c++)
    {
      if (*c == '`')
        g_string_append (out, "\\\"");
      else
        g_string_append_c (out, *c);
      if (pretty && *c == ',')
        g_string_append (out, "\\n  ");
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* `template` with each @N replaced by docs[N]. */
static char *
subst (const char *template, const char *const *docs)
{
  GString *out = g_string_new (NULL);
  for (const char *c = template; *c; c++)
    if (*c == '@' && g_ascii_isdigit (c[1]))
      g_string_append (out, docs[*++c - '0']);
    else
      g_string_append_c (out, *c);
  return g_string_free (out, FALSE);
}

static AmsEvalInput *
load_input (const char *text, PtErrors *e)
{
  g_autofree char *json = g_strdelimit (g_strdup (text), "`", '"');
  g_autoptr (AmsValueDoc) doc = pt_load (json);
  if (doc == NULL)
    return NULL;
  return ams_eval_input_compile (ams_value_doc_root (doc), pt_collect, e);
}

static void
assert_same_verdict (const AmsEvalInput *a, const AmsEvalInput *b, AmsDecision expect)
{
  const AmsPolicySet *sa = ams_eval_input_policies (a), *sb = ams_eval_input_policies (b);
  CU_ASSERT_EQUAL_FATAL (sa->n_identity, sb->n_identity);
  for (guint i = 0; i < sa->n_identity; i++)
    CU_ASSERT_STRING_EQUAL (ams_policy_name (sa->identity[i]), ams_policy_name (sb->identity[i]));
  CU_ASSERT_EQUAL_FATAL (sa->resource != NULL, sb->resource != NULL);
  if (sa->resource != NULL)
    CU_ASSERT_STRING_EQUAL (ams_policy_name (sa->resource), ams_policy_name (sb->resource));
  CU_ASSERT_EQUAL (sa->resource_kind, sb->resource_kind);
  CU_ASSERT_EQUAL_FATAL (sa->n_scp_layers, sb->n_scp_layers);
  for (guint l = 0; l < sa->n_scp_layers; l++)
    CU_ASSERT_EQUAL (sa->n_scp[l], sb->n_scp[l]);
  AmsVerdict va, vb;
  ams_verdict_init (&va);
  ams_verdict_init (&vb);
  CU_ASSERT_EQUAL (ams_authorize (sa, ams_eval_input_request (a), &va), expect);
  CU_ASSERT_EQUAL (ams_authorize (sb, ams_eval_input_request (b), &vb), expect);
  CU_ASSERT_STRING_EQUAL (va.reason, vb.reason);
  CU_ASSERT_EQUAL_FATAL (va.statements->len, vb.statements->len);
  for (guint i = 0; i < va.statements->len; i++)
    {
      const AmsStatementRef *ra = &g_array_index (va.statements, AmsStatementRef, i);
      const AmsStatementRef *rb = &g_array_index (vb.statements, AmsStatementRef, i);
      g_autofree char *ja = ams_policy_statement_to_json (ra->policy, ra->statement);
      g_autofree char *jb = ams_policy_statement_to_json (rb->policy, rb->statement);
      CU_ASSERT_STRING_EQUAL (ja, jb);
    }
  ams_verdict_clear (&va);
  ams_verdict_clear (&vb);
}

/* Identity (one, or a list), resource and SCPs (flat, layers, named
 * layers) given as strings, on one line or several: the same verdicts,
 * names (with the Id inside the string) and statements. */
static void
test_string_eval_input_same (void)
{
  static const struct
  {
    const char *template; /* @0 to @3: ID_KMS, KP_ORG, SCP_FULL, SCP_DENY */
    AmsDecision decision;
  } rows[] = {
    { "{`policies`: {`identity`: [@0], `resource`: @1, `scp`: [@2]}, " REQ "}", AMS_DECISION_ALLOW },
    { "{`policies`: {`identity`: @0, `resource`: @1, `scp`: [[@2], []]}, " REQ "}", AMS_DECISION_IMPLICIT_DENY },
    { "{`policies`: {`identity`: [@0], `scp`: [{`name`: `r-ab12`, `policies`: [@2, @3]}]}, " REQ "}", AMS_DECISION_EXPLICIT_DENY },
  };
  const char *docs[] = { ID_KMS, KP_ORG, SCP_FULL, SCP_DENY };
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    for (gboolean pretty = FALSE; pretty <= TRUE; pretty++)
      {
        g_autofree char *s0 = as_string (docs[0], pretty), *s1 = as_string (docs[1], pretty);
        g_autofree char *s2 = as_string (docs[2], pretty), *s3 = as_string (docs[3], pretty);
        const char *strs[] = { s0, s1, s2, s3 };
        g_autofree char *objects = subst (rows[i].template, docs);
        g_autofree char *strings = subst (rows[i].template, strs);
        PtErrors e;
        pt_errors_init (&e);
        g_autoptr (AmsEvalInput) a = load_input (objects, &e);
        g_autoptr (AmsEvalInput) b = load_input (strings, &e);
        for (guint j = 0; j < e.lines->len; j++)
          fprintf (stderr, "row %u: %s\n", i, (char *) g_ptr_array_index (e.lines, j));
        CU_ASSERT_EQUAL (e.lines->len, 0);
        CU_ASSERT_PTR_NOT_NULL_FATAL (a);
        CU_ASSERT_PTR_NOT_NULL_FATAL (b);
        assert_same_verdict (a, b, rows[i].decision);
        pt_errors_clear (&e);
      }
  /* the names, from the Id inside the string */
  g_autofree char *s0 = as_string (ID_KMS, TRUE), *s1 = as_string (KP_ORG, TRUE);
  g_autofree char *text = g_strdup_printf ("{`policies`: {`identity`: %s, `resource`: %s}, " REQ "}",
                                           s0, s1);
  PtErrors e;
  pt_errors_init (&e);
  g_autoptr (AmsEvalInput) in = load_input (text, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (in);
  const AmsPolicySet *set = ams_eval_input_policies (in);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (set->identity[0]), "identity policy \"RoleKms\"");
  CU_ASSERT_STRING_EQUAL (ams_policy_name (set->resource), "key policy \"OrgKey\"");
  pt_errors_clear (&e);
}

/* Problems inside a string point into it; control characters: a document
 * string's line breaks are white space, anything else is refused, and the
 * rest of the input is held to the old rule. */
static void
test_string_eval_input_errors (void)
{
  static const struct
  {
    const char *text;
    const char *errors[3];
  } rows[] = {
    { "{`policies`: {`resource`: \"{\\n \\\"Statement\\\": [{\\\"Effect\\\": \\\"Allw\\\"}]}\"}, " REQ "}",
      { "1:27: policies.resource.Statement[0].Effect: in the JSON string at line 2, column 27: Effect must be \"Allow\" or \"Deny\", not \"Allw\"; did you mean \"Allow\"?",
        "1:27: policies.resource.Statement[0]: in the JSON string at line 2, column 16: a statement of a resource policy needs a Principal (or NotPrincipal) naming who it allows or denies",
        "1:27: policies.resource.Statement[0]: in the JSON string at line 2, column 16: the statement has no Action (or NotAction): add e.g. \"Action\": \"kms:Decrypt\"" } },
    { "{`policies`: {`identity`: [\"{}\", \"{\\\"Statement\\\": [}\"]}, " REQ "}",
      { "1:28: policies.identity[0]: in the JSON string at line 1, column 1: the policy has no Statement",
        "1:34: policies.identity[1].Statement[0]: in the JSON string at line 1, column 16: unexpected character '}'" } },
    { "{`policies`: {`scp`: [{`name`: `r-1`, `policies`: [\"{\\\"Statement\\\": {\\\"Sid\\\": \\\"a\\tb\\\"}}\"]}]}, " REQ "}",
      { "1:52: policies.scp[0].policies[0].Statement.Sid: in the JSON string at line 1, column 25: control character in a string: write it as \\u0009" } },
    { "{`policies`: {`scp`: [\"[]\"]}, " REQ "}",
      { "1:23: policies.scp[0]: expected a policy document (a JSON object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got \"[]\"" } },
    /* outside the documents, a line break is refused as before */
    { "{`policies`: {`scp`: [{`name`: `r-\\n1`, `policies`: []}]}, " REQ "}",
      { "1:32: policies.scp[0].name: control character U+000A (line feed) at character 3; policy documents and requests hold no control characters in their strings" } },
    { "{`policies`: {`resource_kind`: `kms\\n`}, " REQ "}",
      { "1:32: policies.resource_kind: control character U+000A (line feed) at character 4; policy documents and requests hold no control characters in their strings" } },
    { "{`policies`: {`identity`: [{`Statement`: {`Sid`: `a\\nb`}}]}, " REQ "}",
      { "1:50: policies.identity[0].Statement.Sid: control character U+000A (line feed) at character 2; policy documents and requests hold no control characters in their strings" } },
  };
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsEvalInput) in = load_input (rows[i].text, &e);
      guint n = 0;
      while (n < G_N_ELEMENTS (rows[i].errors) && rows[i].errors[n] != NULL)
        n++;
      gboolean ok = in == NULL && e.lines->len == n;
      for (guint j = 0; ok && j < n; j++)
        ok = strcmp (g_ptr_array_index (e.lines, j), rows[i].errors[j]) == 0;
      if (!ok)
        {
          failed++;
          fprintf (stderr, "\neval input case %u: %s\n  expected:\n", i, rows[i].text);
          for (guint j = 0; j < n; j++)
            fprintf (stderr, "    %s\n", rows[i].errors[j]);
          fprintf (stderr, "  got%s:\n", in != NULL ? " (and an input)" : "");
          for (guint j = 0; j < e.lines->len; j++)
            fprintf (stderr, "    %s\n", (char *) g_ptr_array_index (e.lines, j));
        }
      pt_errors_clear (&e);
    }
  CU_ASSERT_EQUAL (failed, 0);
}

/* A YAML alias repeats a string for a few bytes: together at most eight
 * strings of the largest size; nine of nearly 1 MiB stop. */
static void
test_string_eval_input_limit (void)
{
  GString *doc = g_string_new ("{\"Statement\": {\"Effect\": \"Allow\", \"Resource\": \"*\", "
                               "\"Action\": [\"kms:Decrypt0\"");
  for (guint i = 1; doc->len < 1000000; i++)
    g_string_append_printf (doc, ", \"kms:Decrypt%u\"", i);
  g_string_append (doc, "]}}");
  for (guint uses = 8; uses <= 9; uses++)
    {
      GString *text = g_string_new ("x: &p '");
      g_string_append (text, doc->str);
      g_string_append (text, "'\npolicies:\n  identity: [*p");
      for (guint i = 1; i < uses; i++)
        g_string_append (text, ", *p");
      g_string_append (text, "]\nrequest: {action: kms:Decrypt, resource: '*', "
                             "principal: 'arn:aws:iam::222222222222:role/R'}\n");
      GError *error = NULL;
      g_autoptr (AmsValueDoc) vdoc = ams_value_load_data ("t.yaml", text->str, -1, &error);
      g_assert_no_error (error);
      /* `x` is not a key of the input: only what goes with it is reported */
      PtErrors e;
      pt_errors_init (&e);
      g_autoptr (AmsEvalInput) in = ams_eval_input_compile (ams_value_doc_root (vdoc), pt_collect, &e);
      CU_ASSERT_PTR_NULL (in);
      CU_ASSERT_EQUAL (e.lines->len, uses == 8 ? 1 : 2);
      if (uses == 9 && e.lines->len == 2)
        CU_ASSERT_STRING_EQUAL (g_ptr_array_index (e.lines, 1),
                                "1:4: policies.identity[8]: the policy documents given as JSON "
                                "strings hold more than 8 MiB of text together (an alias counts "
                                "each time it is used), the limit; refusing to go on");
      pt_errors_clear (&e);
      g_string_free (text, TRUE);
    }
  g_string_free (doc, TRUE);
}

/* The binary: the same answer with strings as with objects, and an error
 * inside a string at the string, exit 2. */
static void
test_string_eval_cli (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-policy-XXXXXX", NULL);
  g_autofree char *s0 = as_string (ID_KMS, TRUE), *s1 = as_string (KP_ORG, TRUE);
  g_autofree char *s2 = as_string (SCP_FULL, FALSE);
  g_autofree char *objects = g_strdup_printf ("{`policies`: {`identity`: [%s], `resource`: %s, `scp`: [%s]},\n " REQ "}\n",
                                              ID_KMS, KP_ORG, SCP_FULL);
  g_autofree char *strings = g_strdup_printf ("{`policies`: {`identity`: [%s], `resource`: %s, `scp`: [%s]},\n " REQ "}\n",
                                              s0, s1, s2);
  g_autofree char *bad = g_strdup_printf ("{`policies`: {`identity`: [%s], `resource`: %s},\n " REQ "}\n",
                                          s0, "\"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Principal\\\": \\\"111111111111\\\", \\\"Action\\\": \\\"kms:*\\\"}]}\"");
  const char *texts[] = { objects, strings, bad };
  const char *names[] = { "objects.json", "strings.json", "bad.json" };
  char *paths[3] = { NULL };
  for (guint i = 0; i < 3; i++)
    {
      paths[i] = g_build_filename (tmp, names[i], NULL);
      g_autofree char *json = g_strdelimit (g_strdup (texts[i]), "`", '"');
      CU_ASSERT_TRUE_FATAL (g_file_set_contents (paths[i], json, -1, NULL));
    }
  g_auto (Run) a = { 0 };
  g_auto (Run) b = { 0 };
  g_auto (Run) c = { 0 };
  amisim (&a, "policy", "eval", "--json", paths[0], NULL);
  amisim (&b, "policy", "eval", "--json", paths[1], NULL);
  amisim (&c, "policy", "eval", paths[2], NULL);
  CU_ASSERT_EQUAL (a.status, 0);
  CU_ASSERT_EQUAL (b.status, a.status);
  CU_ASSERT_PTR_NOT_NULL (strstr (a.out, "\"decision\": \"Allow\""));
  /* where the statements were written differs; nothing else */
  g_autoptr (GRegex) re = g_regex_new ("\"(file|line|col)\": (\"[^\"]*\"|[0-9]+)", 0, 0, NULL);
  g_autofree char *na = g_regex_replace (re, a.out, -1, 0, "_", 0, NULL);
  g_autofree char *nb = g_regex_replace (re, b.out, -1, 0, "_", 0, NULL);
  CU_ASSERT_STRING_EQUAL (na, nb);
  CU_ASSERT_EQUAL (c.status, 2);
  g_autofree char *want = g_strdup_printf ("%s:1:%u: error: policies.resource.Statement[0].Principal: in the JSON "
                                           "string at line 1, column 49: Principal must be \"*\" or an object such as "
                                           "{\"AWS\": \"111111111111\"} or {\"Service\": \"imagebuilder.amazonaws.com\"}, "
                                           "not the bare string '111111111111'",
                                           paths[2], (guint) (strstr (bad, "`resource`: ") - bad + 13));
  g_autofree char *line = first_line (c.err);
  if (strcmp (line, want) != 0)
    fprintf (stderr, "\n  got      %s\n  expected %s\n", line, want);
  CU_ASSERT_STRING_EQUAL (line, want);
  for (guint i = 0; i < 3; i++)
    {
      g_unlink (paths[i]);
      g_free (paths[i]);
    }
  g_rmdir (tmp);
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "same_policy", test_string_same_policy },
    { "errors", test_string_errors },
    { "eval_input_same", test_string_eval_input_same },
    { "eval_input_errors", test_string_eval_input_errors },
    { "eval_input_limit", test_string_eval_input_limit },
    { "eval_cli", test_string_eval_cli },
    { NULL, NULL },
  };
  return ams_test_main ("policy_string", cases);
}
