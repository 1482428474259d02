/* amisim tests — policy documents written as JSON strings in a scenario
 * (issue 13): what AWS hands out (kms get-key-policy's Policy,
 * Organizations' Policy.Content, Terraform state) pasted as a string,
 * double-quoted with escapes or as a block literal, loads and decides
 * exactly as the same document written as a mapping; problems inside the
 * string are reported at the string's FILE:LINE:COL with the path going on
 * into the document and the line and column inside the string; what cannot
 * be a document is refused, and so are control characters and repeated
 * strings past their limit.
 *
 * The scenario below is a template: each @NAME@ is replaced by a policy
 * document in one of three forms (a flow mapping, a double-quoted string,
 * a block literal), the JSON text being the same in all three. */
#include <glib/gstdio.h>
#include <string.h>

#include "amisim/scenario.h"
#include "ams_proc.h"

static const char scenario_template[] =
  "amisim: 1\n"
  "name: strings\n"
  "seed: 7\n"
  "horizon: 2d\n"
  "regions:\n"
  "  - name: us-east-1\n"
  "organizations:\n"
  "  - id: o-a1b2c3d4e5\n"
  "    management_account: \"111111111111\"\n"
  "    root: r-a1b2\n"
  "    units:\n"
  "      - id: ou-a1b2-aaaaaaaa\n"
  "        name: workloads\n"
  "        accounts: [\"222222222222\", \"333333333333\"]\n"
  "    scps:\n"
  "      - target: \"333333333333\"\n"
  "        name: no-image-copies\n"
  "        policy: @SCP@\n"
  "accounts:\n"
  "  - id: \"111111111111\"\n"
  "    kms_keys:\n"
  "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
  "        region: us-east-1\n"
  "        alias: alias/ami-factory\n"
  "        policy: @KEY@\n"
  "  - id: \"222222222222\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: @TRUST@\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "        inline_policies:\n"
  "          - @INLINE@\n"
  "  - id: \"333333333333\"\n"
  "    roles:\n"
  "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
  "        trust: @WRONG_TRUST@\n"
  "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
  "        inline_policies:\n"
  "          - @INLINE@\n"
  "pipelines:\n"
  "  - name: golden\n"
  "    account: \"111111111111\"\n"
  "    region: us-east-1\n"
  "    schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: "
  "EXPRESSION_MATCH_ONLY}\n"
  "    build_time: 40m\n"
  "    test_time: 15m\n"
  "    recipe: {name: golden, version: 1.0.0, encrypted: true, kms_key: alias/ami-factory}\n"
  "    distribution:\n"
  "      name: workloads\n"
  "      distributions:\n"
  "        - region: us-east-1\n"
  "          amiDistributionConfiguration:\n"
  "            name: \"golden {{ imagebuilder:buildDate }}\"\n"
  "            targetAccountIds: [\"222222222222\", \"333333333333\"]\n"
  "resource_policies:\n"
  "  - imageArn: arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/1\n"
  "    policy: @RP@\n";

/* The documents, as JSON texts of several lines. */
static const struct
{
  const char *name;
  const char *json;
} documents[] = {
  { "SCP",
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [{\"Sid\": \"DenyCopies\", \"Effect\": \"Deny\",\n"
    "                 \"Action\": \"ec2:CopyImage\", \"Resource\": \"*\"}]\n"
    "}" },
  { "KEY",
    "{\n"
    "  \"Version\": \"2012-10-17\",\n"
    "  \"Statement\": [\n"
    "    {\"Sid\": \"KeyAdministration\", \"Effect\": \"Allow\",\n"
    "     \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"}, \"Action\": \"kms:*\",\n"
    "     \"Resource\": \"*\"},\n"
    "    {\"Sid\": \"AllowWorkloads\", \"Effect\": \"Allow\", \"Principal\": \"*\",\n"
    "     \"Action\": [\"kms:Decrypt\", \"kms:DescribeKey\", \"kms:CreateGrant\", \"kms:ReEncrypt*\",\n"
    "                \"kms:GenerateDataKey*\"], \"Resource\": \"*\",\n"
    "     \"Condition\": {\"StringEquals\": {\"aws:PrincipalOrgID\": \"o-a1b2c3d4e5\"},\n"
    "                   \"ForAnyValue:StringLike\": {\"aws:PrincipalOrgPaths\":\n"
    "                     [\"o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/\"]}}}\n"
    "  ]\n"
    "}" },
  { "TRUST",
    "{\"Version\": \"2012-10-17\",\n"
    " \"Statement\": [{\"Effect\": \"Allow\",\n"
    "   \"Principal\": {\"AWS\": \"arn:aws:iam::111111111111:root\"}, \"Action\": \"sts:AssumeRole\"}]}" },
  { "WRONG_TRUST",
    "{\"Version\": \"2012-10-17\",\n"
    " \"Statement\": [{\"Sid\": \"Elsewhere\", \"Effect\": \"Allow\",\n"
    "   \"Principal\": {\"AWS\": \"arn:aws:iam::101010101010:root\"}, \"Action\": \"sts:AssumeRole\"}]}" },
  { "INLINE",
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"DistributionKms\",\n"
    "  \"Effect\": \"Allow\", \"Action\": [\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\",\n"
    "  \"kms:GenerateDataKey*\", \"kms:DescribeKey\", \"kms:CreateGrant\", \"kms:ListGrants\",\n"
    "  \"kms:RevokeGrant\"], \"Resource\": \"*\"}]}" },
  { "RP",
    "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\",\n"
    "  \"Principal\": {\"AWS\": \"444444444444\"}, \"Action\": \"imagebuilder:GetImage\",\n"
    "  \"Resource\": \"*\"}]}" },
};

typedef enum
{
  FORM_MAPPING,  /* the JSON text as a flow mapping          */
  FORM_QUOTED,   /* a double-quoted string with escapes      */
  FORM_LITERAL,  /* a block literal (|), the text line by line */
} Form;

/* `json` written in `form` as the value of a key on a line indented by
 * `indent` spaces. */
static void
append_document (GString *out, const char *json, Form form, guint indent)
{
  g_auto (GStrv) lines = g_strsplit (json, "\n", -1);
  g_autofree char *pad = g_strnfill (indent + 4, ' ');
  if (form == FORM_QUOTED)
    {
      g_string_append_c (out, '"');
      for (const char *c = json; *c; c++)
        if (*c == '\n')
          g_string_append (out, "\\n");
        else
          {
            if (*c == '"' || *c == '\\')
              g_string_append_c (out, '\\');
            g_string_append_c (out, *c);
          }
      g_string_append_c (out, '"');
      return;
    }
  if (form == FORM_LITERAL)
    g_string_append (out, "|\n");
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (i > 0 || form == FORM_LITERAL)
        g_string_append (out, pad);
      g_string_append (out, lines[i]);
      if (lines[i + 1] != NULL)
        g_string_append_c (out, '\n');
    }
}

/* `template` with each @NAME@ replaced by document NAME in `form`;
 * `override` (NAME, JSON; may be NULL) replaces one document's text. */
static char *
fill (const char *template, Form form, const char *override_name, const char *override_json)
{
  GString *out = g_string_new (NULL);
  const char *line_start = template;
  for (const char *c = template; *c;)
    {
      if (*c == '\n')
        line_start = c + 1;
      const char *end = *c == '@' ? strchr (c + 1, '@') : NULL;
      if (end == NULL)
        {
          g_string_append_c (out, *c++);
          continue;
        }
      g_autofree char *name = g_strndup (c + 1, (gsize) (end - c - 1));
      const char *json = NULL;
      for (guint i = 0; i < G_N_ELEMENTS (documents); i++)
        if (strcmp (documents[i].name, name) == 0)
          json = documents[i].json;
      if (override_name != NULL && strcmp (name, override_name) == 0)
        json = override_json;
      g_assert_nonnull (json);
      append_document (out, json, form, (guint) strspn (line_start, " "));
      c = end + 1;
    }
  return g_string_free (out, FALSE);
}

static AmsScenario *
load (const char *text, char **errors)
{
  GError *error = NULL;
  AmsScenario *sc = ams_scenario_load_data ("t.yaml", text, -1, NULL, 0, &error);
  if (errors != NULL)
    *errors = error != NULL ? g_strdup (error->message) : g_strdup ("(loaded)");
  if (sc == NULL && errors == NULL)
    fprintf (stderr, "\n%s\n%s\n", text, error->message);
  g_clear_error (&error);
  return sc;
}

/* Every compiled policy of the scenario, in a fixed order. */
static GPtrArray *
policies_of (const AmsScenario *sc)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      for (guint j = 0; j < o->scps->len; j++)
        g_ptr_array_add (out, ((AmsScScp *) o->scps->pdata[j])->policy);
    }
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = sc->accounts->pdata[i];
      for (guint j = 0; j < a->kms_keys->len; j++)
        g_ptr_array_add (out, ((AmsScKey *) a->kms_keys->pdata[j])->policy);
      for (guint j = 0; j < a->roles->len; j++)
        {
          const AmsScRole *r = a->roles->pdata[j];
          g_ptr_array_add (out, r->trust);
          for (guint k = 0; k < r->inline_policies->len; k++)
            g_ptr_array_add (out, r->inline_policies->pdata[k]);
        }
    }
  for (guint i = 0; i < sc->resource_policies->len; i++)
    g_ptr_array_add (out, ((AmsScResourcePolicy *) sc->resource_policies->pdata[i])->policy);
  return out;
}

static void
assert_same_policy (const AmsPolicy *a, const AmsPolicy *b)
{
  CU_ASSERT_PTR_NOT_NULL_FATAL (a);
  CU_ASSERT_PTR_NOT_NULL_FATAL (b);
  CU_ASSERT_STRING_EQUAL (ams_policy_name (a), ams_policy_name (b));
  CU_ASSERT_EQUAL (ams_policy_kind (a), ams_policy_kind (b));
  CU_ASSERT_EQUAL_FATAL (ams_policy_n_statements (a), ams_policy_n_statements (b));
  for (guint i = 0; i < ams_policy_n_statements (a); i++)
    {
      g_autofree char *ja = ams_policy_statement_to_json (a, i);
      g_autofree char *jb = ams_policy_statement_to_json (b, i);
      CU_ASSERT_STRING_EQUAL (ja, jb);
      CU_ASSERT_EQUAL (g_strcmp0 (ams_policy_statement_sid (a, i), ams_policy_statement_sid (b, i)), 0);
      CU_ASSERT_EQUAL (ams_policy_statement_allows (a, i), ams_policy_statement_allows (b, i));
      /* the same path, wherever the statement was written */
      CU_ASSERT_STRING_EQUAL (ams_policy_statement_loc (a, i)->path,
                              ams_policy_statement_loc (b, i)->path);
    }
}

/* Both string forms compile to the same policies as the mapping form;
 * the statements of a string are cited where the string was written. */
static void
test_strings_same_policies (void)
{
  g_autofree char *mapping_text = fill (scenario_template, FORM_MAPPING, NULL, NULL);
  g_autoptr (AmsScenario) mapping = load (mapping_text, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (mapping);
  g_autoptr (GPtrArray) expected = policies_of (mapping);
  CU_ASSERT_EQUAL (expected->len, 7);
  for (Form form = FORM_QUOTED; form <= FORM_LITERAL; form++)
    {
      g_autofree char *text = fill (scenario_template, form, NULL, NULL);
      g_autoptr (AmsScenario) sc = load (text, NULL);
      CU_ASSERT_PTR_NOT_NULL_FATAL (sc);
      g_autoptr (GPtrArray) got = policies_of (sc);
      CU_ASSERT_EQUAL_FATAL (got->len, expected->len);
      for (guint i = 0; i < got->len; i++)
        assert_same_policy (got->pdata[i], expected->pdata[i]);
    }

  /* the key policy: its "policy: |" is on line 30 of the literal form
   * (the SCP's five lines before it) */
  g_autofree char *literal_text = fill (scenario_template, FORM_LITERAL, NULL, NULL);
  g_autoptr (AmsScenario) literal = load (literal_text, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (literal);
  const AmsScAccount *a = literal->accounts->pdata[0];
  const AmsPolicy *key = ((AmsScKey *) a->kms_keys->pdata[0])->policy;
  const AmsSrcLoc *loc = ams_policy_statement_loc (key, 1);
  CU_ASSERT_STRING_EQUAL (loc->file, "t.yaml");
  CU_ASSERT_EQUAL (loc->line, 30);
  CU_ASSERT_EQUAL (loc->col, 17);
  CU_ASSERT_STRING_EQUAL (loc->path, "accounts[0].kms_keys[0].policy.Statement[1]");
}

/* Replaces the values of "file", "line" and "col" (where things were
 * written, which the forms move) and the scenario's file name. */
static char *
without_positions (const char *json)
{
  g_autoptr (GRegex) re = g_regex_new ("\"(file|line|col|scenario_file)\": (\"[^\"]*\"|[0-9]+)",
                                       0, 0, NULL);
  return g_regex_replace (re, json, -1, 0, "\"\\1\": _", 0, NULL);
}

/* `amisim explain --json` finds the same blockers with the same
 * statements, whichever the form. */
static void
test_strings_same_decisions (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("amisim-strings-XXXXXX", NULL);
  g_autofree char *first = NULL;
  int first_status = -1;
  static const char *const names[] = { "mapping.yaml", "quoted.yaml", "literal.yaml" };
  for (Form form = FORM_MAPPING; form <= FORM_LITERAL; form++)
    {
      g_autofree char *text = fill (scenario_template, form, NULL, NULL);
      g_autofree char *path = g_build_filename (tmp, names[form], NULL);
      CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, text, -1, NULL));
      g_auto (Run) r = { 0 };
      amisim (&r, "explain", "--json", path, NULL);
      g_unlink (path);
      g_autofree char *out = without_positions (r.out);
      if (form == FORM_MAPPING)
        {
          /* the SCP and the wrong trust policy block 333333333333 */
          CU_ASSERT_EQUAL (r.status, 3);
          CU_ASSERT_PTR_NOT_NULL (strstr (out, "\"cause\": \"role_trust_denies\""));
          CU_ASSERT_PTR_NOT_NULL (strstr (out, "\"sid\": \"Elsewhere\""));
          first = g_steal_pointer (&out);
          first_status = r.status;
          continue;
        }
      CU_ASSERT_EQUAL (r.status, first_status);
      if (strcmp (out, first) != 0)
        fprintf (stderr, "\n%s:\n%s\nmapping form:\n%s\n", names[form], out, first);
      CU_ASSERT_STRING_EQUAL (out, first);
    }
  g_rmdir (tmp);
}

/* Errors inside a string: at the string, the path going on into the
 * document, the line and column inside the string. */
static void
test_strings_errors (void)
{
  /* a missing comma on line 3 of a block literal (its "|" on line 30) */
  g_autofree char *syntax = fill (scenario_template, FORM_LITERAL, "KEY",
                                  "{\n"
                                  "  \"Version\": \"2012-10-17\",\n"
                                  "  \"Statement\": [{\"Effect\": \"Allow\" \"Action\": \"kms:*\"}]\n"
                                  "}");
  g_autofree char *got = NULL;
  g_autoptr (AmsScenario) sc = load (syntax, &got);
  CU_ASSERT_PTR_NULL (sc);
  CU_ASSERT_STRING_EQUAL (got, "t.yaml:30:17: error: accounts[0].kms_keys[0].policy.Statement[0]: "
                               "in the JSON string at line 3, column 36: expected ',' or '}' in "
                               "an object");

  /* a bad Effect in a double-quoted trust policy */
  g_autofree char *effect = fill (scenario_template, FORM_QUOTED, "TRUST",
                                  "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Alow\", "
                                  "\"Principal\": {\"AWS\": \"111111111111\"}, \"Action\": "
                                  "\"sts:AssumeRole\"}]}");
  g_free (got);
  g_autoptr (AmsScenario) sc2 = load (effect, &got);
  CU_ASSERT_PTR_NULL (sc2);
  CU_ASSERT_STRING_EQUAL (got, "t.yaml:29:16: error: accounts[1].roles[0].trust.Statement[0].Effect: "
                               "in the JSON string at line 1, column 52: Effect must be \"Allow\" or "
                               "\"Deny\", not \"Alow\"; did you mean \"Allow\"?");

  /* the same through the binary: exit 2, the file's name in front */
  g_autofree char *tmp = g_dir_make_tmp ("amisim-strings-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (tmp, "bad.yaml", NULL);
  CU_ASSERT_TRUE_FATAL (g_file_set_contents (path, syntax, -1, NULL));
  g_auto (Run) r = { 0 };
  amisim (&r, "validate", path, NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  g_autofree char *line = first_line (r.err);
  g_autofree char *want = g_strdup_printf ("%s:30:17: error: accounts[0].kms_keys[0].policy."
                                           "Statement[0]: in the JSON string at line 3, column 36: "
                                           "expected ',' or '}' in an object", path);
  CU_ASSERT_STRING_EQUAL (line, want);
  g_unlink (path);
  g_rmdir (tmp);
}

/* What cannot be a document, or holds what no document may. */
static void
test_strings_refused (void)
{
  static const struct
  {
    const char *value; /* of accounts[0].kms_keys[0].policy */
    const char *error;
  } rows[] = {
    /* \u0000 in the JSON text (the YAML single-quoted string keeps it as written) */
    { "'{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"a\\u0000b\"}]}'",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy.Statement[0].Sid: in the JSON string "
      "at line 1, column 57: \\u0000 is not allowed in a string" },
    /* a NUL decoded by YAML itself: refused before anything reads it */
    { "\"{\\\"Version\\\": \\\"2012-10-17\\\", \\0 \\\"Statement\\\": []}\"",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: control character U+0000 (NUL) at "
      "character 27; no string may hold one (free text such as a description may hold tabs and "
      "line breaks)" },
    /* a raw tab inside a JSON string of a block literal (tabs between tokens are white space) */
    { "|\n          {\"Version\":\t\"2012-10-17\", \"Statement\": [{\"Sid\": \"a\tb\"}]}",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy.Statement[0].Sid: in the JSON string "
      "at line 1, column 51: control character in a string: write it as \\u0009" },
    { "\"[{\\\"Effect\\\": \\\"Allow\\\"}]\"",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: expected a policy document (a JSON "
      "object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got "
      "\"[{\\\"Effect\\\": \\\"Allow\\\"}]\"" },
    { "\"\"",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: expected a policy document (a JSON "
      "object such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}) in the string, got an "
      "empty string" },
    { "\"{}  trailing\"",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: in the JSON string at line 1, column "
      "5: unexpected text after the document" },
    /* not strings: refused as before */
    { "42",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: expected a policy document (a mapping "
      "such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}, or the same as a JSON string), "
      "got \"42\"" },
    { "[]",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: expected a policy document (a mapping "
      "such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}, or the same as a JSON string), "
      "got a sequence" },
    { "FullAWSAccess",
      "t.yaml:9:17: error: accounts[0].kms_keys[0].policy: expected a policy document (a mapping "
      "such as {\"Version\": \"2012-10-17\", \"Statement\": [...]}, or the same as a JSON string), "
      "got \"FullAWSAccess\"" },
  };
  guint failed = 0;
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *text = g_strdup_printf ("amisim: 1\n"
                                               "horizon: 1d\n"
                                               "regions: [{name: us-east-1}]\n"
                                               "accounts:\n"
                                               "  - id: \"111111111111\"\n"
                                               "    kms_keys:\n"
                                               "      - id: 1234abcd-12ab-34cd-56ef-1234567890ab\n"
                                               "        region: us-east-1\n"
                                               "        policy: %s\n", rows[i].value);
      g_autofree char *got = NULL;
      ams_scenario_free (load (text, &got));
      g_autofree char *first = first_line (got);
      if (strcmp (first, rows[i].error) != 0)
        {
          fprintf (stderr, "\nrow %u:\n  got      %s\n  expected %s\n", i, first, rows[i].error);
          failed++;
        }
    }
  CU_ASSERT_EQUAL (failed, 0);
}

/* A string repeated by aliases is parsed at each use: together at most
 * eight strings of the largest size (8 MiB); nine of nearly 1 MiB stop. */
static void
test_strings_alias_limit (void)
{
  GString *doc = g_string_new ("{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": "
                               "\"Allow\", \"Principal\": {\"AWS\": \"111111111111\"}, "
                               "\"Resource\": \"*\", \"Action\": [\"kms:Decrypt0\"");
  for (guint i = 1; doc->len < 1000000; i++)
    g_string_append_printf (doc, ", \"kms:Decrypt%u\"", i);
  g_string_append (doc, "]}]}");
  GString *text = g_string_new ("amisim: 1\nhorizon: 1d\nregions: [{name: us-east-1}]\nx-p: &p '");
  g_string_append (text, doc->str);
  g_string_append (text, "'\naccounts:\n  - id: \"111111111111\"\n    kms_keys:\n");
  for (guint i = 0; i < 9; i++)
    g_string_append_printf (text, "      - {id: %08x-12ab-34cd-56ef-1234567890ab, region: "
                            "us-east-1, policy: *p}\n", i);
  g_autofree char *got = NULL;
  gint64 start = g_get_monotonic_time ();
  g_autoptr (AmsScenario) sc = load (text->str, &got);
  gint64 took = g_get_monotonic_time () - start;
  CU_ASSERT_PTR_NULL (sc);
  CU_ASSERT_STRING_EQUAL (got, "t.yaml:4:6: error: accounts[0].kms_keys[8].policy: the policy "
                               "documents written as JSON strings and repeated by aliases hold "
                               "more than 8 MiB of text together (each use counts), the limit; "
                               "write the document as a mapping, or once per use");
  /* generous: sanitizers make it several times slower */
  CU_ASSERT_TRUE (took < 30 * G_USEC_PER_SEC);

  /* eight uses load */
  g_autofree char *eight = g_strndup (text->str, strstr (text->str, "      - {id: 00000008")
                                                 - text->str);
  g_autoptr (AmsScenario) ok = load (eight, NULL);
  CU_ASSERT_PTR_NOT_NULL (ok);
  g_string_free (text, TRUE);
  g_string_free (doc, TRUE);
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "same_policies", test_strings_same_policies },
    { "same_decisions", test_strings_same_decisions },
    { "errors", test_strings_errors },
    { "refused", test_strings_refused },
    { "alias_limit", test_strings_alias_limit },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_policy_strings", cases);
}
