/* amisim fuzzing — the bytes as a `policy eval` input and as a policy
 * document.
 *
 * Three ways in, as a user's file reaches the policy module:
 * 1. as the input of `amisim policy eval FILE` (src/cli/policy_eval.c):
 *    ams_value_load_data (JSON or YAML), ams_eval_input_compile, and when
 *    that compiles, ams_authorize and the verdict written as the command
 *    writes it (ams_report_statement, ams_report_near_misses, warnings);
 * 2. the same tree as a policy document of each kind (ams_policy_compile),
 *    as a policy pasted into a scenario;
 * 3. the bytes as JSON text through the policy module's own reader
 *    (ams_policy_compile_json), which takes a NUL-terminated string: the
 *    bytes up to the first NUL byte go there.
 * Every policy that compiles is written back (statements as JSON,
 * warnings) and evaluated against a few fixed requests, on its own and as
 * its part of a policy set. The input is accepted when any of the ways
 * compiles it. Besides crashes, sanitizer reports, leaks, hangs and GLib
 * criticals, the target holds the compilers to their contract: a problem
 * reported means nothing returned.
 */
#include <string.h>

#include "amisim/policy.h"
#include "amisim/report.h"
#include "amisim/scenario.h"
#include "fuzz.h"

#define DISPLAY_NAME "fuzz.json"

/* The problems of one way in: how many, and the first as a located line. */
typedef struct
{
  guint n;
  char *first;
} Problems;

static void
problems_clear (Problems *p)
{
  g_clear_pointer (&p->first, g_free);
  p->n = 0;
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Problems, problems_clear)

static void
on_problem (void *user, const AmsSrcLoc *loc, const char *message)
{
  g_assert_nonnull (loc);
  g_assert_nonnull (loc->file);
  g_assert_nonnull (message);
  Problems *p = user;
  if (p->n++ == 0)
    p->first = g_strdup_printf ("%s:%u:%u: error: %s: %s", loc->file, loc->line, loc->col,
                                loc->path != NULL && *loc->path ? loc->path : "(root)", message);
}

static AmsContext *
org_context (void)
{
  AmsContext *c = ams_context_new ();
  ams_context_add (c, "aws:PrincipalOrgID", "o-a1b2c3d4e5");
  ams_context_add (c, "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-a1b2/ou-a1b2-aaaaaaaa/");
  ams_context_add (c, "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-a1b2/ou-a1b2-bbbbbbbb/");
  ams_context_add (c, "aws:SourceArn",
                   "arn:aws:imagebuilder:us-east-1:111111111111:image/golden/1.0.0/1");
  ams_context_add (c, "aws:SourceAccount", "111111111111");
  ams_context_add (c, "aws:RequestTag/CreatedBy", "EC2 Image Builder");
  ams_context_add (c, "aws:TagKeys", "CreatedBy");
  ams_context_add (c, "aws:TagKeys", "Team");
  ams_context_add (c, "aws:SecureTransport", "true");
  ams_context_add (c, "aws:SourceIp", "10.1.2.3");
  ams_context_add (c, "aws:CurrentTime", "2026-01-05T02:00:00Z");
  ams_context_add (c, "aws:EpochTime", "1767578400");
  ams_context_add (c, "kms:ViaService", "ec2.us-east-1.amazonaws.com");
  ams_context_add (c, "kms:GrantIsForAWSResource", "true");
  return c;
}

/* Evaluates `p` against `req`: on its own, and as its part of a set. */
static void
evaluate (const AmsPolicy *p, const AmsRequest *req)
{
  g_autoptr (GArray) matched = g_array_new (FALSE, TRUE, sizeof (AmsStatementRef));
  ams_policy_evaluate (p, req, matched);
  for (guint i = 0; i < matched->len; i++)
    g_assert_true (g_array_index (matched, AmsStatementRef, i).statement
                   < ams_policy_n_statements (p));

  AmsPolicy *one[] = { (AmsPolicy *) p };
  AmsPolicy *const *layers[] = { one };
  const guint n_scp[] = { 1 };
  const char *const layer_names[] = { "r-a1b2" };
  AmsPolicySet set = { 0 };
  switch (ams_policy_kind (p))
    {
    case AMS_POLICY_IDENTITY:
      set.identity = one;
      set.n_identity = 1;
      break;
    case AMS_POLICY_RESOURCE:
      set.resource = p;
      set.resource_kind = g_str_has_prefix (req->action, "kms:") ? AMS_RESOURCE_KMS_KEY
                          : g_str_has_prefix (req->action, "sts:") ? AMS_RESOURCE_TRUST
                                                                   : AMS_RESOURCE_GENERIC;
      break;
    case AMS_POLICY_SCP:
      set.scp_layers = layers;
      set.n_scp = n_scp;
      set.scp_layer_names = layer_names;
      set.n_scp_layers = 1;
      break;
    }
  AmsVerdict v;
  ams_verdict_init (&v);
  ams_authorize (&set, req, &v);
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < v.statements->len; i++)
    ams_report_statement (text, "  ", "by", &g_array_index (v.statements, AmsStatementRef, i));
  ams_report_near_misses (text, "  ", v.near_misses);
  ams_verdict_clear (&v);
}

/* Everything a compiled policy gives back, and its decisions. */
static void
exercise (const AmsPolicy *p)
{
  g_assert_nonnull (ams_policy_name (p));
  for (guint i = 0; i < ams_policy_n_statements (p); i++)
    {
      g_autofree char *json = ams_policy_statement_to_json (p, i);
      g_assert_nonnull (json);
      (void) ams_policy_statement_sid (p, i);
      (void) ams_policy_statement_allows (p, i);
      g_assert_nonnull (ams_policy_statement_loc (p, i));
    }
  for (guint i = 0; i < ams_policy_n_warnings (p); i++)
    {
      const AmsSrcLoc *loc = NULL;
      g_assert_nonnull (ams_policy_warning (p, i, &loc));
      g_assert_nonnull (loc);
    }

  g_autoptr (AmsContext) context = org_context ();
  const AmsRequest requests[] = {
    { .action = "kms:Decrypt",
      .resource = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      .resource_account = "111111111111",
      .principal = "arn:aws:iam::222222222222:role/EC2ImageBuilderDistributionCrossAccountRole",
      .principal_account = "222222222222",
      .context = context },
    { .action = "sts:AssumeRole",
      .resource = "arn:aws:iam::111111111111:role/EC2ImageBuilderDistributionCrossAccountRole",
      .principal = "imagebuilder.amazonaws.com" },
    { .action = "ec2:CreateTags",
      .resource = "*",
      .principal = "arn:aws:sts::111111111111:assumed-role/ImageBuilderRole/session",
      .principal_account = "111111111111",
      .context = context },
  };
  for (guint i = 0; i < G_N_ELEMENTS (requests); i++)
    evaluate (p, &requests[i]);
}

static void
warnings_of (const AmsPolicy *p, GString *out)
{
  for (guint i = 0; p != NULL && i < ams_policy_n_warnings (p); i++)
    {
      const AmsSrcLoc *loc = NULL;
      const char *message = ams_policy_warning (p, i, &loc);
      g_string_append_printf (out, "%s:%u:%u: warning: %s\n", loc->file, loc->line, loc->col,
                              message);
    }
}

/* 1: what `amisim policy eval` does with the file. */
static void
as_eval_input (const AmsValue *root, Problems *problems)
{
  g_autoptr (AmsEvalInput) in = ams_eval_input_compile (root, on_problem, problems);
  if (in == NULL)
    return;
  g_assert_cmpuint (problems->n, ==, 0);
  ams_fuzz_accept ();

  const AmsPolicySet *set = ams_eval_input_policies (in);
  g_autoptr (GString) text = g_string_new (NULL);
  for (guint i = 0; i < set->n_identity; i++)
    warnings_of (set->identity[i], text);
  warnings_of (set->resource, text);
  for (guint l = 0; l < set->n_scp_layers; l++)
    for (guint i = 0; i < set->n_scp[l]; i++)
      warnings_of (set->scp_layers[l][i], text);

  AmsVerdict v;
  ams_verdict_init (&v);
  AmsDecision d = ams_authorize (set, ams_eval_input_request (in), &v);
  g_string_append_printf (text, "%s\n", ams_decision_name (d));
  if (v.reason != NULL)
    g_string_append_printf (text, "  %s\n", v.reason);
  for (guint i = 0; i < v.statements->len; i++)
    {
      const AmsStatementRef *r = &g_array_index (v.statements, AmsStatementRef, i);
      ams_report_statement (text, "  ",
                            ams_policy_statement_allows (r->policy, r->statement) ? "allowed by"
                                                                                  : "denied by",
                            r);
    }
  ams_report_near_misses (text, "  ", v.near_misses);
  ams_verdict_clear (&v);
}

static const AmsPolicyKind kinds[] = { AMS_POLICY_IDENTITY, AMS_POLICY_RESOURCE, AMS_POLICY_SCP };

/* 2: the tree as a policy document of each kind. */
static void
as_policy_tree (const AmsValue *root, Problems problems[])
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr (AmsPolicy) p = ams_policy_compile (root, kinds[k], "fuzzed policy", on_problem,
                                                    &problems[k]);
      if (p == NULL)
        continue;
      g_assert_cmpuint (problems[k].n, ==, 0);
      g_assert_cmpint (ams_policy_kind (p), ==, kinds[k]);
      ams_fuzz_accept ();
      exercise (p);
    }
}

/* 3: the bytes as JSON text, up to the first NUL. */
static void
as_policy_json (const uint8_t *data, size_t size)
{
  g_autofree char *json = g_strndup (ams_fuzz_text (data, size), size);
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_auto (Problems) problems = { 0 };
      g_autoptr (AmsPolicy) p = ams_policy_compile_json (DISPLAY_NAME, json, kinds[k],
                                                         "fuzzed policy", on_problem, &problems);
      if (p == NULL)
        continue;
      g_assert_cmpuint (problems.n, ==, 0);
      ams_fuzz_accept ();
      exercise (p);
    }
}

/* Why nothing compiled, for the replay's log: for a policy document (an
 * object with a Statement), the first problem of each kind; for anything
 * else, what `amisim policy eval` would say first. */
static void
refuse (const AmsValue *root, const Problems *eval, const Problems tree[])
{
  if (ams_value_get (root, "Statement") == NULL)
    {
      ams_fuzz_refuse (eval->first);
      return;
    }
  const char *none = "(no problem reported)";
  g_autofree char *why = g_strdup_printf ("as an identity policy: %s; as a resource policy: %s; "
                                          "as an SCP: %s", tree[0].first ? tree[0].first : none,
                                          tree[1].first ? tree[1].first : none,
                                          tree[2].first ? tree[2].first : none);
  ams_fuzz_refuse (why);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  ams_fuzz_begin ();
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_data (DISPLAY_NAME, ams_fuzz_text (data, size),
                                                     (gssize) size, &error);
  if (doc == NULL)
    {
      g_assert_true (g_error_matches (error, AMS_SCENARIO_ERROR, AMS_SCENARIO_ERROR_INVALID));
      ams_fuzz_refuse (error->message);
    }
  else
    {
      g_assert_null (error);
      const AmsValue *root = ams_value_doc_root (doc);
      g_auto (Problems) eval = { 0 };
      Problems tree[G_N_ELEMENTS (kinds)] = { { 0 } };
      as_eval_input (root, &eval);
      as_policy_tree (root, tree);
      if (!ams_fuzz_accepted ())
        refuse (root, &eval, tree);
      for (guint k = 0; k < G_N_ELEMENTS (tree); k++)
        problems_clear (&tree[k]);
    }
  as_policy_json (data, size);
  return 0;
}
