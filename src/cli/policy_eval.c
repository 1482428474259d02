/* `amisim policy eval FILE`: one authorization decision (SCENARIO.md §2).
 *
 * Reads a JSON or YAML document {policies: {identity, resource, scp},
 * request: {…}}, compiles it, decides, and prints the decision on the first
 * line of stdout (Allow, ImplicitDeny or ExplicitDeny), then why: the
 * statements that decided, or the part that lacked an allow. --json prints
 * {"decision": …, "statements": […], "reason": …}.
 */
#include <stdio.h>
#include <string.h>

#include "amisim/cli.h"
#include "amisim/policy.h"
#include "amisim/scenario.h"
#include "report/json.h"

typedef struct
{
  GPtrArray *lines;  /* of char*: "FILE:LINE:COL: error: PATH: MESSAGE" */
} Errors;

static void
on_error (void *user, const AmsSrcLoc *loc, const char *message)
{
  Errors *e = user;
  g_ptr_array_add (e->lines, g_strdup_printf ("%s:%u:%u: error: %s: %s", loc->file, loc->line,
                                              loc->col, loc->path && *loc->path ? loc->path : "(root)",
                                              message));
}

static const char *
part_name (AmsPolicyPart p)
{
  switch (p)
    {
    case AMS_PART_IDENTITY: return "identity";
    case AMS_PART_RESOURCE: return "resource";
    case AMS_PART_SCP: return "scp";
    case AMS_PART_NONE: break;
    }
  return NULL;
}

int
ams_cli_policy_eval (const AmsPolicyEvalOptions *opt)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (AmsValueDoc) doc = ams_value_load_file (opt->file, &error);
  if (doc == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return AMS_EXIT_BAD_INPUT;
    }
  Errors errs = { .lines = g_ptr_array_new_with_free_func (g_free) };
  g_autoptr (AmsEvalInput) in = ams_eval_input_compile (ams_value_doc_root (doc), on_error, &errs);
  if (in == NULL)
    {
      for (guint i = 0; i < errs.lines->len; i++)
        fprintf (stderr, "%s\n", (const char *) errs.lines->pdata[i]);
      if (errs.lines->len == 0)
        fprintf (stderr, "%s:1:1: error: (root): not a policy evaluation request\n", opt->file);
      g_ptr_array_unref (errs.lines);
      return AMS_EXIT_BAD_INPUT;
    }
  g_ptr_array_unref (errs.lines);

  AmsVerdict v;
  ams_verdict_init (&v);
  AmsDecision d = ams_authorize (ams_eval_input_policies (in), ams_eval_input_request (in), &v);
  GArray *st = v.statements;

  if (opt->json)
    {
      g_autoptr (GString) out = g_string_new (NULL);
      AmsJson j;
      ams_json_init (&j, out);
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "decision", ams_decision_name (d));
      ams_json_string (&j, "reason", v.reason);
      if (d == AMS_DECISION_IMPLICIT_DENY)
        ams_json_string (&j, "missing", part_name (v.missing));
      if (d == AMS_DECISION_EXPLICIT_DENY)
        ams_json_string (&j, "denied_by", part_name (v.denied_by));
      ams_json_begin_array (&j, "statements");
      for (guint i = 0; st != NULL && i < st->len; i++)
        {
          const AmsStatementRef *r = &g_array_index (st, AmsStatementRef, i);
          const AmsSrcLoc *loc = ams_policy_statement_loc (r->policy, r->statement);
          g_autofree char *text = ams_policy_statement_to_json (r->policy, r->statement);
          ams_json_begin_object (&j, NULL);
          ams_json_string (&j, "policy", ams_policy_name (r->policy));
          ams_json_uint (&j, "index", r->statement);
          ams_json_string (&j, "sid", ams_policy_statement_sid (r->policy, r->statement));
          ams_json_string (&j, "effect",
                           ams_policy_statement_allows (r->policy, r->statement) ? "Allow" : "Deny");
          ams_json_string (&j, "file", loc ? loc->file : NULL);
          ams_json_uint (&j, "line", loc ? loc->line : 0);
          ams_json_uint (&j, "col", loc ? loc->col : 0);
          ams_json_string (&j, "json", text);
          ams_json_end_object (&j);
        }
      ams_json_end_array (&j);
      ams_json_end_object (&j);
      fputs (out->str, stdout);
    }
  else
    {
      printf ("%s\n", ams_decision_name (d));
      if (v.reason != NULL)
        printf ("  %s\n", v.reason);
      for (guint i = 0; st != NULL && i < st->len; i++)
        {
          const AmsStatementRef *r = &g_array_index (st, AmsStatementRef, i);
          const AmsSrcLoc *loc = ams_policy_statement_loc (r->policy, r->statement);
          const char *sid = ams_policy_statement_sid (r->policy, r->statement);
          g_autofree char *text = ams_policy_statement_to_json (r->policy, r->statement);
          printf ("  %s %s, statement %u%s%s%s", ams_policy_statement_allows (r->policy, r->statement)
                                                   ? "allowed by" : "denied by",
                  ams_policy_name (r->policy), r->statement, sid ? " \"" : "", sid ? sid : "",
                  sid ? "\"" : "");
          if (loc != NULL && loc->line > 0)
            printf (" (%s:%u:%u)", loc->file, loc->line, loc->col);
          printf (":\n    %s\n", text);
        }
    }
  ams_verdict_clear (&v);
  return AMS_EXIT_OK;
}
