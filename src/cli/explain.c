/* `amisim explain SCENARIO`: the permission preflight.
 *
 * For every pipeline, distribution region and target account (the owner's
 * own copies included), every region's launch permissions and every launch
 * template update, it runs the checks the real service would make
 * (access.h) and prints each blocker: cause, step, where, the resource, the
 * sentence saying what to change, and the policy statements that decided
 * (with their positions in the scenario). A user should be able to fix the
 * policies from this output alone. Exit 0 when nothing blocks, 3 when
 * something does, 2 on bad input.
 */
#include <stdio.h>
#include <string.h>

#include "amisim/access.h"
#include "amisim/cli.h"
#include "amisim/world.h"
#include "report/json.h"

typedef struct
{
  const AmsExplainOptions *opt;
  const char *pipeline;
  guint checks;
  guint blockers;
  guint by_cause[AMS_CAUSE_COUNT];
  GString *text;   /* the readable report */
  AmsJson json;    /* the JSON report */
  GString *json_out;
} Explain;

static void
statement_line (GString *out, const AmsPolicy *p, guint i)
{
  const AmsSrcLoc *loc = ams_policy_statement_loc (p, i);
  const char *sid = ams_policy_statement_sid (p, i);
  g_autofree char *json = ams_policy_statement_to_json (p, i);
  g_string_append_printf (out, "    %s, statement %u%s%s%s", ams_policy_name (p), i,
                          sid ? " \"" : "", sid ? sid : "", sid ? "\"" : "");
  if (loc != NULL && loc->file != NULL && loc->line > 0)
    g_string_append_printf (out, " (%s:%u:%u)", loc->file, loc->line, loc->col);
  g_string_append_printf (out, ":\n      %s\n", json);
}

static void
on_blocker (const AmsBlocker *b, gpointer user)
{
  Explain *x = user;
  x->blockers++;
  x->by_cause[b->cause]++;
  const char *account = b->account ? b->account->id : "-";
  const char *region = b->region ? b->region->name : "-";
  g_string_append_printf (x->text, "\n%-22s pipeline %s, %s, account %s, step %s\n",
                          ams_cause_name (b->cause), x->pipeline, region, account,
                          ams_step_name (b->step));
  g_string_append_printf (x->text, "  %s\n", b->message);
  GArray *st = b->verdict.statements;
  if (st != NULL && st->len > 0)
    {
      g_string_append (x->text, b->verdict.decision == AMS_DECISION_EXPLICIT_DENY
                                  ? "  denied by:\n"
                                  : "  statements:\n");
      for (guint i = 0; i < st->len; i++)
        {
          const AmsStatementRef *r = &g_array_index (st, AmsStatementRef, i);
          statement_line (x->text, r->policy, r->statement);
        }
    }

  AmsJson *j = &x->json;
  ams_json_begin_object (j, NULL);
  ams_json_string (j, "cause", ams_cause_name (b->cause));
  ams_json_string (j, "step", ams_step_name (b->step));
  ams_json_string (j, "pipeline", x->pipeline);
  ams_json_string (j, "region", b->region ? b->region->name : NULL);
  ams_json_string (j, "account", b->account ? b->account->id : NULL);
  ams_json_string (j, "resource", b->resource);
  ams_json_string (j, "message", b->message);
  ams_json_string (j, "decision", b->verdict.reason ? ams_decision_name (b->verdict.decision) : NULL);
  ams_json_begin_array (j, "statements");
  for (guint i = 0; st != NULL && i < st->len; i++)
    {
      const AmsStatementRef *r = &g_array_index (st, AmsStatementRef, i);
      const AmsSrcLoc *loc = ams_policy_statement_loc (r->policy, r->statement);
      g_autofree char *text = ams_policy_statement_to_json (r->policy, r->statement);
      ams_json_begin_object (j, NULL);
      ams_json_string (j, "policy", ams_policy_name (r->policy));
      ams_json_uint (j, "index", r->statement);
      ams_json_string (j, "sid", ams_policy_statement_sid (r->policy, r->statement));
      ams_json_string (j, "effect", ams_policy_statement_allows (r->policy, r->statement)
                                      ? "Allow" : "Deny");
      ams_json_string (j, "file", loc ? loc->file : NULL);
      ams_json_uint (j, "line", loc ? loc->line : 0);
      ams_json_uint (j, "col", loc ? loc->col : 0);
      ams_json_string (j, "json", text);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
  ams_json_end_object (j);
}

int
ams_cli_explain (const AmsExplainOptions *opt)
{
  g_autoptr (AmsScenario) sc = ams_cli_load (opt->scenario, opt->overrides, opt->n_overrides);
  if (sc == NULL)
    return AMS_EXIT_BAD_INPUT;
  g_autoptr (AmsWorld) w = ams_world_new (sc);
  g_autoptr (AmsAccess) ax = ams_access_new (w);

  Explain x = { .opt = opt, .text = g_string_new (NULL), .json_out = g_string_new (NULL) };
  ams_json_init (&x.json, x.json_out);
  ams_json_begin_object (&x.json, NULL);
  ams_json_string (&x.json, "scenario", sc->name);
  ams_json_string (&x.json, "scenario_file", sc->file);
  ams_json_begin_array (&x.json, "blockers");

  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      x.pipeline = pl->name;
      AmsCopySpec spec = {
        .pipeline = pl,
        .owner = ams_world_find_account (w, pl->account.value),
        .source_region = ams_world_find_region (w, pl->region.value),
      };
      for (guint j = 0; j < pl->distributions->len; j++)
        {
          const AmsScDistRegion *e = pl->distributions->pdata[j];
          spec.entry = e;
          spec.region = ams_world_find_region (w, e->region.value);
          /* the owner's AMI in this region, then each target account's copy */
          GPtrArray *targets = g_ptr_array_new ();
          if (spec.region != spec.source_region)
            g_ptr_array_add (targets, (gpointer) spec.owner);
          for (guint k = 0; k < e->target_account_ids->len; k++)
            {
              const AmsAccount *t = ams_world_find_account (
                w, g_array_index (e->target_account_ids, AmsScRef, k).value);
              if (t != spec.owner)
                g_ptr_array_add (targets, (gpointer) t);
            }
          for (guint k = 0; k < targets->len; k++)
            {
              spec.target = targets->pdata[k];
              AmsBlocker b;
              x.checks++;
              if (!ams_access_check_copy (ax, &spec, &b))
                on_blocker (&b, &x);
              ams_blocker_clear (&b);
            }
          g_ptr_array_unref (targets);
          spec.target = spec.owner;
          x.checks++;
          ams_access_check_shares (ax, &spec, on_blocker, &x);
          x.checks += e->launch_templates->len;
          ams_access_check_launch_templates (ax, &spec, on_blocker, &x);
        }
    }

  ams_json_end_array (&x.json);
  ams_json_uint (&x.json, "checks", x.checks);
  ams_json_uint (&x.json, "blockers_total", x.blockers);
  ams_json_begin_object (&x.json, "by_cause");
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    if (x.by_cause[c] > 0)
      ams_json_uint (&x.json, ams_cause_name ((AmsCause) c), x.by_cause[c]);
  ams_json_end_object (&x.json);
  ams_json_end_object (&x.json);

  if (opt->json)
    fputs (x.json_out->str, stdout);
  else
    {
      if (!opt->quiet)
        {
          printf ("amisim explain: scenario %s (%s)\n", sc->name, sc->file);
          fputs (x.text->str, stdout);
          if (x.blockers > 0)
            putchar ('\n');
        }
      printf ("%u blocker%s in %u checks", x.blockers, x.blockers == 1 ? "" : "s", x.checks);
      gboolean first = TRUE;
      for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
        if (x.by_cause[c] > 0)
          {
            printf ("%s%s %u", first ? ": " : ", ", ams_cause_name ((AmsCause) c), x.by_cause[c]);
            first = FALSE;
          }
      putchar ('\n');
    }
  g_string_free (x.text, TRUE);
  g_string_free (x.json_out, TRUE);
  return x.blockers > 0 ? AMS_EXIT_BLOCKERS : AMS_EXIT_OK;
}
