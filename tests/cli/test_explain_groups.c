/* `amisim explain` groups blockers by root cause (issue 14): one trust
 * policy statement of a template role, aliased into twelve target accounts,
 * is one root cause for its 48 blockers (12 accounts × 2 regions × 2
 * pipelines); a second template statement is a second root cause, a
 * missing role a third. The text prints the fix once with what it affects,
 * `--json` carries every blocker's fields and the root causes, `--format
 * sarif` is SARIF 2.1.0 pointing at the statement's line. */
#include <glib/gstdio.h>
#include <string.h>

#include "amisim/scenario.h"
#include "ams_proc.h"

/* The template's trust statement is on line TEMPLATE_LINE, the other one
 * on OTHER_LINE (both at column 23). */
#define TEMPLATE_LINE 6
#define OTHER_LINE 10

static char *
scenario_text (void)
{
  GString *s = g_string_new (
    "amisim: 1\n"
    "horizon: 1d12h\n"
    "regions: [{name: us-east-1}, {name: eu-west-1}]\n"
    "x-bad: &bad\n"
    "  name: EC2ImageBuilderDistributionCrossAccountRole\n"
    "  trust: {Statement: [{Sid: TemplateTrust, Effect: Allow, Principal: {AWS: "
    "\"999999999999\"}, Action: \"sts:AssumeRole\"}]}\n"
    "  managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
    "x-other: &other\n"
    "  name: EC2ImageBuilderDistributionCrossAccountRole\n"
    "  trust: {Statement: [{Sid: OtherTrust, Effect: Allow, Principal: {AWS: "
    "\"888888888888\"}, Action: \"sts:AssumeRole\"}]}\n"
    "  managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n"
    "accounts:\n"
    "  - id: \"111111111111\"\n");
  g_autoptr (GString) targets = g_string_new (NULL);
  for (guint i = 1; i <= 12; i++)
    {
      g_string_append_printf (s, "  - {id: \"2000000000%02u\", roles: [*bad]}\n", i);
      g_string_append_printf (targets, "%s\"2000000000%02u\"", i > 1 ? ", " : "", i);
    }
  for (guint i = 1; i <= 2; i++)
    {
      g_string_append_printf (s, "  - {id: \"3000000000%02u\", roles: [*other]}\n", i);
      g_string_append_printf (targets, ", \"3000000000%02u\"", i);
    }
  g_string_append (s, "  - {id: \"400000000001\"}\n");
  g_string_append (targets, ", \"400000000001\"");
  g_string_append_printf (
    s,
    "x-p: &p\n"
    "  account: \"111111111111\"\n"
    "  region: us-east-1\n"
    "  schedule: {scheduleExpression: rate(1 day), pipelineExecutionStartCondition: "
    "EXPRESSION_MATCH_ONLY}\n"
    "  recipe: {name: golden, version: 1.0.0}\n"
    "  build_time: 10m\n"
    "  test_time: 0s\n"
    "  distribution:\n"
    "    name: fanout\n"
    "    distributions:\n"
    "      - region: us-east-1\n"
    "        amiDistributionConfiguration: {targetAccountIds: [%s]}\n"
    "      - region: eu-west-1\n"
    "        amiDistributionConfiguration: {targetAccountIds: [%s]}\n"
    "pipelines:\n"
    "  - {<<: *p, name: golden-a}\n"
    "  - {<<: *p, name: golden-b}\n"
    "simulation:\n"
    "  copy: {duration: 30m}\n"
    "  schedule_delay: 0s\n",
    targets->str, targets->str);
  return g_string_free (s, FALSE);
}

typedef struct
{
  char *dir;
  char *file;
} Fixture;

static void
fixture_write (Fixture *f, const char *text)
{
  f->dir = g_dir_make_tmp ("amisim-explain-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->file = g_build_filename (f->dir, "groups.yaml", NULL);
  g_assert_true (g_file_set_contents (f->file, text, -1, NULL));
}

static void
fixture_clear (Fixture *f)
{
  g_unlink (f->file);
  g_rmdir (f->dir);
  g_free (f->file);
  g_free (f->dir);
}

static const AmsValue *
member (const AmsValue *v, const char *key)
{
  const AmsValue *m = v ? ams_value_get (v, key) : NULL;
  if (m == NULL)
    printf ("\n    no member \"%s\"\n", key);
  return m;
}

static guint
count_of (const AmsValue *v, const char *key)
{
  const AmsValue *m = member (v, key);
  if (m == NULL)
    return G_MAXUINT;
  if (m->kind == AMS_VALUE_ARRAY)
    return m->n;
  return (guint) g_ascii_strtoull (m->text, NULL, 10);
}

static const char *
text_of (const AmsValue *v, const char *key)
{
  const AmsValue *m = member (v, key);
  return m && m->text ? m->text : "";
}

/* The root cause whose statements include `sid`, or the first of `cause`
 * when sid is NULL. */
static const AmsValue *
find_root (const AmsValue *roots, const char *cause, const char *sid)
{
  for (guint i = 0; roots != NULL && i < roots->n; i++)
    {
      const AmsValue *r = roots->items[i];
      if (strcmp (text_of (r, "cause"), cause) != 0)
        continue;
      if (sid == NULL)
        return r;
      const AmsValue *st = ams_value_get (r, "statements");
      for (guint k = 0; st != NULL && k < st->n; k++)
        {
          const AmsValue *s = ams_value_get (st->items[k], "sid");
          if (s != NULL && s->text != NULL && strcmp (s->text, sid) == 0)
            return r;
        }
    }
  return NULL;
}

static void
test_explain_groups_text (void)
{
  g_autofree char *text = scenario_text ();
  Fixture f;
  fixture_write (&f, text);
  g_auto (Run) r = { 0 };
  amisim (&r, "explain", f.file, NULL);
  CU_ASSERT_EQUAL (r.status, 3);
  /* the summary line as before */
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "\n60 blockers (30 distinct) in 66 checks: "
                                         "role_missing 4, role_trust_denies 56\n"));
  /* the template's statement: one paragraph, the fix once */
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "\nrole_trust_denies  root cause of 48 blockers, "
                                         "step assume_role\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "  affects 2 pipelines, 12 accounts, 2 regions:\n"
                                         "    pipelines: golden-a golden-b\n"
                                         "    accounts: 200000000001 200000000002 200000000003 "
                                         "200000000004 200000000005 200000000006 … and 6 more\n"
                                         "    regions: us-east-1 eu-west-1\n"));
  g_autofree char *at = g_strdup_printf ("statement 0 \"TemplateTrust\" (%s:%d:23):\n", f.file,
                                         TEMPLATE_LINE);
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, at));
  /* the statement and the fix are printed once, not per blocker */
  const char *first = strstr (r.out, "\"TemplateTrust\" (");
  CU_ASSERT_PTR_NOT_NULL_FATAL (first);
  CU_ASSERT_PTR_NULL (strstr (first + 1, "\"TemplateTrust\" ("));
  /* the other statement: its own root cause */
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "\nrole_trust_denies  root cause of 8 blockers, "
                                         "step assume_role\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "  affects 2 pipelines, 2 accounts, 2 regions:\n"));
  /* the missing role: a root cause of its own (the account's role) */
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "\nrole_missing  root cause of 4 blockers, "
                                         "step assume_role\n"));
  CU_ASSERT_PTR_NOT_NULL (strstr (r.out, "  affects 2 pipelines, 1 account, 2 regions:\n"
                                         "    pipelines: golden-a golden-b\n"
                                         "    account: 400000000001\n"));
  /* three root causes: three paragraphs, well under the 60 blockers */
  guint paragraphs = 0;
  for (const char *p = r.out; (p = strstr (p, "  root cause of ")) != NULL; p++)
    paragraphs++;
  CU_ASSERT_EQUAL (paragraphs, 3);

  g_auto (Run) q = { 0 };
  amisim (&q, "explain", "--quiet", f.file, NULL);
  CU_ASSERT_EQUAL (q.status, 3);
  CU_ASSERT_STRING_EQUAL (q.out, "60 blockers (30 distinct) in 66 checks: "
                                 "role_missing 4, role_trust_denies 56\n");
  fixture_clear (&f);
}

/* Both directions: the twelve accounts share the template's statement
 * (one root cause); given each its own copy of the statement, written in
 * a different place, they are as many root causes. */
static void
test_explain_groups_two_statements (void)
{
  g_autofree char *text = scenario_text ();
  /* accounts 200000000011 and 200000000012 get a trust policy of their own */
  GString *s = g_string_new (text);
  for (guint i = 11; i <= 12; i++)
    {
      g_autofree char *from = g_strdup_printf ("  - {id: \"2000000000%02u\", roles: [*bad]}\n", i);
      g_autofree char *to = g_strdup_printf (
        "  - id: \"2000000000%02u\"\n"
        "    roles:\n"
        "      - name: EC2ImageBuilderDistributionCrossAccountRole\n"
        "        trust: {Statement: [{Sid: OwnTrust%u, Effect: Allow, Principal: {AWS: "
        "\"777777777777\"}, Action: \"sts:AssumeRole\"}]}\n"
        "        managed_policies: [Ec2ImageBuilderCrossAccountDistributionAccess]\n",
        i, i);
      g_string_replace (s, from, to, 1);
    }
  g_autofree char *edited = g_string_free (s, FALSE);
  Fixture f;
  fixture_write (&f, edited);
  g_auto (Run) r = { 0 };
  amisim (&r, "explain", "--json", f.file, NULL);
  CU_ASSERT_EQUAL (r.status, 3);
  g_autoptr (GError) e = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("explain.json", r.out, -1, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  const AmsValue *roots = member (ams_value_doc_root (doc), "root_causes");
  CU_ASSERT_PTR_NOT_NULL_FATAL (roots);
  CU_ASSERT_EQUAL (roots->n, 5);
  const AmsValue *tmpl = find_root (roots, "role_trust_denies", "TemplateTrust");
  CU_ASSERT_PTR_NOT_NULL_FATAL (tmpl);
  CU_ASSERT_EQUAL (count_of (tmpl, "accounts"), 10);
  CU_ASSERT_EQUAL (count_of (tmpl, "blockers"), 40);
  for (guint i = 11; i <= 12; i++)
    {
      g_autofree char *sid = g_strdup_printf ("OwnTrust%u", i);
      const AmsValue *own = find_root (roots, "role_trust_denies", sid);
      CU_ASSERT_PTR_NOT_NULL_FATAL (own);
      CU_ASSERT_EQUAL (count_of (own, "accounts"), 1);
      CU_ASSERT_EQUAL (count_of (own, "regions"), 2);
      CU_ASSERT_EQUAL (count_of (own, "pipelines"), 2);
      CU_ASSERT_EQUAL (count_of (own, "blockers"), 4);
    }
  fixture_clear (&f);
}

static void
test_explain_groups_json (void)
{
  g_autofree char *text = scenario_text ();
  Fixture f;
  fixture_write (&f, text);
  g_auto (Run) r = { 0 };
  amisim (&r, "explain", "--json", f.file, NULL);
  CU_ASSERT_EQUAL (r.status, 3);
  g_auto (Run) same = { 0 };
  amisim (&same, "explain", "--format", "json", f.file, NULL);
  CU_ASSERT_EQUAL (same.status, 3);
  CU_ASSERT_STRING_EQUAL (same.out, r.out);

  g_autoptr (GError) e = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("explain.json", r.out, -1, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  const AmsValue *root = ams_value_doc_root (doc);
  /* the keys as before */
  static const char *const top[] = { "scenario", "scenario_file", "blockers", "checks",
                                     "blockers_total", "by_cause", "root_causes" };
  for (guint i = 0; i < G_N_ELEMENTS (top); i++)
    CU_ASSERT_PTR_NOT_NULL (member (root, top[i]));
  CU_ASSERT_EQUAL (count_of (root, "blockers_total"), 60);
  const AmsValue *blockers = member (root, "blockers");
  CU_ASSERT_PTR_NOT_NULL_FATAL (blockers);
  CU_ASSERT_EQUAL (blockers->n, 60);
  const AmsValue *roots = member (root, "root_causes");
  CU_ASSERT_PTR_NOT_NULL_FATAL (roots);
  CU_ASSERT_EQUAL (roots->n, 3);

  /* every blocker: the old fields and the new, its root cause by id */
  static const char *const fields[] = {
    "cause", "step", "pipeline", "region", "account", "resource", "message", "decision",
    "statements", "near_misses", "source_region", "destination_region", "action", "principal",
    "root_cause",
  };
  guint in_template = 0;
  const AmsValue *tmpl = find_root (roots, "role_trust_denies", "TemplateTrust");
  CU_ASSERT_PTR_NOT_NULL_FATAL (tmpl);
  const char *tmpl_id = text_of (tmpl, "id");
  g_autoptr (GHashTable) places = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < blockers->n; i++)
    {
      const AmsValue *b = blockers->items[i];
      for (guint k = 0; k < G_N_ELEMENTS (fields); k++)
        CU_ASSERT_PTR_NOT_NULL (member (b, fields[k]));
      CU_ASSERT_STRING_EQUAL (text_of (b, "source_region"), "us-east-1");
      CU_ASSERT_STRING_EQUAL (text_of (b, "destination_region"), text_of (b, "region"));
      /* pipeline, account and destination region tell every record apart */
      g_autofree char *place = g_strdup_printf ("%s %s %s", text_of (b, "pipeline"),
                                                text_of (b, "account"), text_of (b, "region"));
      CU_ASSERT_TRUE (g_hash_table_add (places, g_steal_pointer (&place)));
      if (strcmp (text_of (b, "root_cause"), tmpl_id) == 0)
        {
          in_template++;
          CU_ASSERT_STRING_EQUAL (text_of (b, "cause"), "role_trust_denies");
          CU_ASSERT_STRING_EQUAL (text_of (b, "action"), "sts:AssumeRole");
          CU_ASSERT_STRING_EQUAL (text_of (b, "principal"),
                                  "arn:aws:iam::111111111111:role/aws-service-role/"
                                  "imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder");
          CU_ASSERT_TRUE (g_str_has_prefix (text_of (b, "account"), "2000000000"));
        }
    }
  CU_ASSERT_EQUAL (in_template, 48);

  /* the template's root cause: 2 pipelines, 12 accounts, 2 regions, 48 blockers */
  CU_ASSERT_EQUAL (count_of (tmpl, "pipelines"), 2);
  CU_ASSERT_EQUAL (count_of (tmpl, "accounts"), 12);
  CU_ASSERT_EQUAL (count_of (tmpl, "regions"), 2);
  CU_ASSERT_EQUAL (count_of (tmpl, "blockers"), 48);
  CU_ASSERT_TRUE (g_str_has_prefix (text_of (tmpl, "fix"),
                                    "Image Builder's service-linked role in account "
                                    "111111111111 may not sts:AssumeRole"));
  const AmsValue *st = member (tmpl, "statements");
  CU_ASSERT_PTR_NOT_NULL_FATAL (st);
  CU_ASSERT_EQUAL_FATAL (st->n, 1);
  CU_ASSERT_STRING_EQUAL (text_of (st->items[0], "file"), f.file);
  CU_ASSERT_EQUAL (count_of (st->items[0], "line"), TEMPLATE_LINE);
  CU_ASSERT_EQUAL (count_of (st->items[0], "col"), 23);

  /* the other statement and the missing role: root causes of their own */
  const AmsValue *other = find_root (roots, "role_trust_denies", "OtherTrust");
  CU_ASSERT_PTR_NOT_NULL_FATAL (other);
  CU_ASSERT_NOT_EQUAL (other, tmpl);
  CU_ASSERT_EQUAL (count_of (other, "accounts"), 2);
  CU_ASSERT_EQUAL (count_of (other, "blockers"), 8);
  const AmsValue *missing = find_root (roots, "role_missing", NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (missing);
  CU_ASSERT_EQUAL (count_of (missing, "accounts"), 1);
  CU_ASSERT_EQUAL (count_of (missing, "regions"), 2);
  CU_ASSERT_EQUAL (count_of (missing, "blockers"), 4);
  CU_ASSERT_STRING_EQUAL (text_of (missing, "resource"),
                          "arn:aws:iam::400000000001:role/"
                          "EC2ImageBuilderDistributionCrossAccountRole");
  fixture_clear (&f);
}

static void
test_explain_groups_sarif (void)
{
  g_autofree char *text = scenario_text ();
  Fixture f;
  fixture_write (&f, text);
  g_auto (Run) r = { 0 };
  amisim (&r, "explain", "--format", "sarif", f.file, NULL);
  CU_ASSERT_EQUAL (r.status, 3);
  g_autoptr (GError) e = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data ("explain.sarif", r.out, -1, &e);
  CU_ASSERT_PTR_NOT_NULL_FATAL (doc);
  const AmsValue *root = ams_value_doc_root (doc);
  CU_ASSERT_STRING_EQUAL (text_of (root, "version"), "2.1.0");
  const AmsValue *runs = member (root, "runs");
  CU_ASSERT_PTR_NOT_NULL_FATAL (runs);
  CU_ASSERT_EQUAL_FATAL (runs->n, 1);
  const AmsValue *run = runs->items[0];
  const AmsValue *driver = member (member (run, "tool"), "driver");
  CU_ASSERT_PTR_NOT_NULL_FATAL (driver);
  CU_ASSERT_STRING_EQUAL (text_of (driver, "name"), "amisim");
  const AmsValue *rules = member (driver, "rules");
  CU_ASSERT_PTR_NOT_NULL_FATAL (rules);
  /* a rule per cause */
  CU_ASSERT_EQUAL (rules->n, 2);
  for (guint i = 0; i < rules->n; i++)
    {
      CU_ASSERT_PTR_NOT_NULL (member (rules->items[i], "id"));
      CU_ASSERT_PTR_NOT_NULL (member (member (rules->items[i], "shortDescription"), "text"));
    }
  const AmsValue *results = member (run, "results");
  CU_ASSERT_PTR_NOT_NULL_FATAL (results);
  /* a result per root cause */
  CU_ASSERT_EQUAL_FATAL (results->n, 3);
  g_autofree char *uri = g_filename_to_uri (f.file, NULL, NULL);
  guint seen_template = 0;
  for (guint i = 0; i < results->n; i++)
    {
      const AmsValue *res = results->items[i];
      const char *rule = text_of (res, "ruleId");
      guint ri = count_of (res, "ruleIndex");
      CU_ASSERT_TRUE_FATAL (ri < rules->n);
      CU_ASSERT_STRING_EQUAL (text_of (rules->items[ri], "id"), rule);
      CU_ASSERT_STRING_EQUAL (text_of (res, "level"), "error");
      CU_ASSERT_TRUE (strlen (text_of (member (res, "message"), "text")) > 0);
      const AmsValue *locs = member (res, "locations");
      CU_ASSERT_PTR_NOT_NULL_FATAL (locs);
      CU_ASSERT_TRUE_FATAL (locs->n >= 1);
      const AmsValue *phys = member (locs->items[0], "physicalLocation");
      CU_ASSERT_STRING_EQUAL (text_of (member (phys, "artifactLocation"), "uri"), uri);
      const AmsValue *region = member (phys, "region");
      CU_ASSERT_TRUE (count_of (region, "startLine") >= 1);
      const AmsValue *props = member (res, "properties");
      if (count_of (props, "blockers") == 48)
        {
          seen_template++;
          CU_ASSERT_STRING_EQUAL (rule, "role_trust_denies");
          CU_ASSERT_EQUAL (count_of (region, "startLine"), TEMPLATE_LINE);
          CU_ASSERT_EQUAL (count_of (region, "startColumn"), 23);
          CU_ASSERT_EQUAL (count_of (props, "pipelines"), 2);
          CU_ASSERT_EQUAL (count_of (props, "accounts"), 12);
          CU_ASSERT_EQUAL (count_of (props, "regions"), 2);
        }
      else if (strcmp (rule, "role_trust_denies") == 0)
        CU_ASSERT_EQUAL (count_of (region, "startLine"), OTHER_LINE);
    }
  CU_ASSERT_EQUAL (seen_template, 1);

  /* nothing blocks: no result, exit 0 */
  g_auto (Run) none = { 0 };
  amisim (&none, "explain", "--format", "sarif", "scenarios/mmc.yaml", NULL);
  CU_ASSERT_EQUAL (none.status, 0);
  CU_ASSERT_PTR_NOT_NULL (strstr (none.out, "\"results\": []"));
  fixture_clear (&f);
}

static void
test_explain_groups_bad_format (void)
{
  g_auto (Run) r = { 0 };
  amisim (&r, "explain", "--format", "nope", "scenarios/mmc.yaml", NULL);
  CU_ASSERT_EQUAL (r.status, 2);
  CU_ASSERT_STRING_EQUAL (r.out, "");
  g_autofree char *first = first_line (r.err);
  CU_ASSERT_STRING_EQUAL (first, "amisim explain: --format expects text, json or sarif, got 'nope'");
  g_auto (Run) both = { 0 };
  amisim (&both, "explain", "--json", "--format", "sarif", "scenarios/mmc.yaml", NULL);
  CU_ASSERT_EQUAL (both.status, 2);
  g_auto (Run) text = { 0 };
  amisim (&text, "explain", "--format", "text", "--quiet", "scenarios/mmc.yaml", NULL);
  CU_ASSERT_EQUAL (text.status, 0);
  CU_ASSERT_STRING_EQUAL (text.out, "0 blockers (0 distinct) in 2 checks\n");
}

static const AmsTestCase cases[] = {
  { "test_explain_groups_text", test_explain_groups_text },
  { "test_explain_groups_two_statements", test_explain_groups_two_statements },
  { "test_explain_groups_json", test_explain_groups_json },
  { "test_explain_groups_sarif", test_explain_groups_sarif },
  { "test_explain_groups_bad_format", test_explain_groups_bad_format },
  { NULL, NULL },
};

int
main (void)
{
  return ams_test_main ("explain_groups", cases);
}
