/* `amisim policy eval FILE`: one authorization decision (SCENARIO.md §2).
 *
 * Reads a JSON or YAML document {policies: {identity, resource, scp},
 * request: {…}}, compiles it, decides, and prints the decision on the first
 * line of stdout (Allow, ImplicitDeny or ExplicitDeny), then why: the
 * statements that decided, or the part that lacked an allow. --json prints
 * {"decision": …, "statements": […], "reason": …}. Compile warnings of the
 * policies (ams_policy_warning) go to stderr as
 * "FILE:LINE:COL: warning: PATH: MESSAGE", at their statements, in document
 * order; they do not change the exit status. A decision that could not be
 * written to stdout is exit 1.
 */
#include <stdio.h>
#include <string.h>

#include "amisim/cli.h"
#include "amisim/policy.h"
#include "amisim/report.h"
#include "amisim/scenario.h"
#include "cli/cli-private.h"
#include "report/json.h"

typedef struct
{
  guint line, col, seq;
  char *text;        /* "FILE:LINE:COL: error: PATH: MESSAGE" (or warning) */
} Problem;

typedef struct
{
  GArray *problems;  /* of Problem */
} Errors;

static int problem_cmp (gconstpointer a, gconstpointer b);
static void problem_clear (gpointer p);

static void
add_problem (Errors *e, const char *severity, const AmsSrcLoc *loc, const char *message)
{
  Problem p = {
    .line = loc->line,
    .col = loc->col,
    .seq = e->problems->len,
    .text = g_strdup_printf ("%s:%u:%u: %s: %s: %s", loc->file, loc->line, loc->col, severity,
                             loc->path && *loc->path ? loc->path : "(root)", message),
  };
  g_array_append_val (e->problems, p);
}

static void
on_error (void *user, const AmsSrcLoc *loc, const char *message)
{
  add_problem (user, "error", loc, message);
}

static void
add_warnings (Errors *e, const AmsPolicy *p)
{
  for (guint i = 0; p != NULL && i < ams_policy_n_warnings (p); i++)
    {
      const AmsSrcLoc *loc = NULL;
      const char *message = ams_policy_warning (p, i, &loc);
      add_problem (e, "warning", loc, message);
    }
}

/* Every compile warning of the input's policies, in document order. */
static void
print_warnings (const AmsPolicySet *set)
{
  Errors w = { .problems = g_array_new (FALSE, TRUE, sizeof (Problem)) };
  g_array_set_clear_func (w.problems, problem_clear);
  for (guint i = 0; i < set->n_identity; i++)
    add_warnings (&w, set->identity[i]);
  add_warnings (&w, set->resource);
  for (guint l = 0; l < set->n_scp_layers; l++)
    for (guint i = 0; i < set->n_scp[l]; i++)
      add_warnings (&w, set->scp_layers[l][i]);
  g_array_sort (w.problems, problem_cmp);
  for (guint i = 0; i < w.problems->len; i++)
    fprintf (stderr, "%s\n", g_array_index (w.problems, Problem, i).text);
  g_array_unref (w.problems);
}

/* Document order, then the order found. */
static int
problem_cmp (gconstpointer a, gconstpointer b)
{
  const Problem *x = a, *y = b;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  if (x->col != y->col)
    return x->col < y->col ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
problem_clear (gpointer p)
{
  g_free (((Problem *) p)->text);
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
  Errors errs = { .problems = g_array_new (FALSE, TRUE, sizeof (Problem)) };
  g_array_set_clear_func (errs.problems, problem_clear);
  g_autoptr (AmsEvalInput) in = ams_eval_input_compile (ams_value_doc_root (doc), on_error, &errs);
  if (in == NULL)
    {
      g_array_sort (errs.problems, problem_cmp);
      for (guint i = 0; i < errs.problems->len; i++)
        fprintf (stderr, "%s\n", g_array_index (errs.problems, Problem, i).text);
      if (errs.problems->len == 0)
        fprintf (stderr, "%s:1:1: error: (root): not a policy evaluation request\n", opt->file);
      g_array_unref (errs.problems);
      return AMS_EXIT_BAD_INPUT;
    }
  g_array_unref (errs.problems);
  print_warnings (ams_eval_input_policies (in));

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
      ams_json_statements (&j, "statements", st);
      ams_json_near_misses (&j, "near_misses", v.near_misses);
      ams_json_end_object (&j);
      ams_cli_print_string (out);
    }
  else
    {
      g_autoptr (GString) text = g_string_new (NULL);
      g_string_append_printf (text, "%s\n", ams_decision_name (d));
      if (v.reason != NULL)
        g_string_append_printf (text, "  %s\n", v.reason);
      for (guint i = 0; st != NULL && i < st->len; i++)
        {
          const AmsStatementRef *r = &g_array_index (st, AmsStatementRef, i);
          ams_report_statement (text, "  ",
                                ams_policy_statement_allows (r->policy, r->statement) ? "allowed by"
                                                                                      : "denied by",
                                r);
        }
      ams_report_near_misses (text, "  ", v.near_misses);
      ams_cli_print_string (text);
    }
  ams_verdict_clear (&v);
  return ams_cli_stdout_ok () ? AMS_EXIT_OK : AMS_EXIT_FAILURE;
}
