/* `amisim explain SCENARIO`: the permission preflight.
 *
 * For every pipeline, distribution region and target account (the owner's
 * own copies included), every region's launch permissions and every launch
 * template update, it runs the checks the real service would make
 * (access.h) and prints each blocker: cause, step, where, the resource, the
 * sentence saying what to change, and the policy statements that decided
 * (with their positions in the scenario). A user should be able to fix the
 * policies from this output alone. Exit 0 when nothing blocks, 3 when
 * something does, 2 on bad input, 1 when the report could not be written
 * (a verdict nobody read is not one).
 */
#include <stdio.h>
#include <string.h>

#include "amisim/cli.h"
#include "amisim/preflight.h"
#include "amisim/report.h"
#include "amisim/world.h"
#include "cli/cli-private.h"
#include "report/json.h"

/* Blockers that differ only in the pipeline are printed once, with the
 * list of pipelines: 80 pipelines missing the same role is one finding. */
typedef struct
{
  char *text;          /* the paragraph, without the pipeline */
  AmsFindingKind kind; /* of what it lists */
  GPtrArray *pipelines;/* of const char*: pipelines, lifecycle policies or events */
} Group;

typedef struct
{
  const AmsExplainOptions *opt;
  guint checks;
  guint blockers;
  guint by_cause[AMS_CAUSE_COUNT];
  GPtrArray *groups;   /* of Group*, in the order first found */
  GHashTable *by_text; /* paragraph -> Group* */
  GStringChunk *names; /* pipeline (or event) names the groups list */
  AmsJson json;        /* the JSON report: one record per blocker */
  GString *json_out;
} Explain;

static void
group_free (gpointer p)
{
  Group *g = p;
  g_free (g->text);
  g_ptr_array_unref (g->pipelines);
  g_free (g);
}

/* One finding of the preflight: its paragraph, grouped with the same
 * paragraph of other pipelines (or policies, or events); its JSON record. */
static void
on_finding (const AmsFinding *f, gpointer user)
{
  Explain *x = user;
  const AmsBlocker *b = f->b;
  const char *subject = f->subject;
  if (f->kind == AMS_FINDING_EVENT)
    {
      g_autofree char *at = ams_format_duration (f->event->at);
      g_autofree char *what = g_strdup_printf ("%s at %s", f->subject, at);
      subject = g_string_chunk_insert_const (x->names, what);
    }
  else
    subject = g_string_chunk_insert_const (x->names, subject);
  x->blockers++;
  x->by_cause[b->cause]++;
  const char *account = b->account ? b->account->id : "-";
  const char *region = b->region ? b->region->name : "-";
  g_autoptr (GString) text = g_string_new (NULL);
  g_string_append_printf (text, "%s  account %s, %s, step %s\n", ams_cause_name (b->cause),
                          account, region, ams_step_name (b->step));
  if (f->after != NULL)
    {
      g_autofree char *at = ams_format_duration (f->after->at);
      g_string_append_printf (text, "  from %s at %s (%s) on\n", f->after->loc.path, at,
                              ams_sc_event_action (f->after->kind));
    }
  g_string_append_printf (text, "  %s\n", b->message);
  GArray *st = b->verdict.statements;
  if (st != NULL && st->len > 0)
    {
      g_string_append (text, b->verdict.decision == AMS_DECISION_EXPLICIT_DENY
                               ? "  denied by:\n"
                               : "  statements:\n");
      for (guint i = 0; i < st->len; i++)
        {
          ams_report_statement (text, "    ", NULL, &g_array_index (st, AmsStatementRef, i));
        }
    }
  ams_report_near_misses (text, "  ", b->verdict.near_misses);
  Group *g = g_hash_table_lookup (x->by_text, text->str);
  if (g == NULL)
    {
      g = g_new0 (Group, 1);
      g->text = g_strdup (text->str);
      g->kind = f->kind;
      g->pipelines = g_ptr_array_new ();
      g_ptr_array_add (x->groups, g);
      g_hash_table_insert (x->by_text, g->text, g);
    }
  /* a pipeline is listed once per paragraph, however many of its blockers read the same */
  guint k = 0;
  while (k < g->pipelines->len && g->pipelines->pdata[k] != subject) /* names are interned */
    k++;
  if (k == g->pipelines->len)
    g_ptr_array_add (g->pipelines, (gpointer) subject);

  AmsJson *j = &x->json;
  ams_json_begin_object (j, NULL);
  ams_json_string (j, "cause", ams_cause_name (b->cause));
  ams_json_string (j, "step", ams_step_name (b->step));
  ams_json_string (j, "pipeline", f->kind == AMS_FINDING_PIPELINE ? f->subject : NULL);
  if (f->kind == AMS_FINDING_LIFECYCLE)
    ams_json_string (j, "lifecycle_policy", f->subject);
  if (f->kind == AMS_FINDING_EVENT)
    {
      ams_json_string (j, "event", f->event->loc.path);
      ams_json_double (j, "event_at_s", ams_time_to_s (f->event->at));
    }
  if (f->after != NULL)
    {
      ams_json_string (j, "after_event", f->after->loc.path);
      ams_json_double (j, "after_event_at_s", ams_time_to_s (f->after->at));
    }
  ams_json_string (j, "region", b->region ? b->region->name : NULL);
  ams_json_string (j, "account", b->account ? b->account->id : NULL);
  ams_json_string (j, "resource", b->resource);
  ams_json_string (j, "message", b->message);
  ams_json_string (j, "decision", b->verdict.reason ? ams_decision_name (b->verdict.decision) : NULL);
  ams_json_statements (j, "statements", st);
  ams_json_near_misses (j, "near_misses", b->verdict.near_misses);
  ams_json_end_object (j);
}

int
ams_cli_explain (const AmsExplainOptions *opt)
{
  g_autoptr (AmsScenario) sc = ams_cli_load (opt->scenario, opt->overrides, opt->n_overrides);
  if (sc == NULL)
    return AMS_EXIT_BAD_INPUT;
  g_autoptr (AmsWorld) w = ams_world_new (sc);

  Explain x = {
    .opt = opt,
    .groups = g_ptr_array_new_with_free_func (group_free),
    .by_text = g_hash_table_new (g_str_hash, g_str_equal),
    .names = g_string_chunk_new (256),
    .json_out = g_string_new (NULL),
  };
  ams_json_init (&x.json, x.json_out);
  ams_json_begin_object (&x.json, NULL);
  ams_json_string (&x.json, "scenario", sc->name);
  ams_json_string (&x.json, "scenario_file", sc->file);
  ams_json_begin_array (&x.json, "blockers");

  x.checks = ams_preflight (w, on_finding, &x);

  ams_json_end_array (&x.json);
  ams_json_uint (&x.json, "checks", x.checks);
  ams_json_uint (&x.json, "blockers_total", x.blockers);
  ams_json_begin_object (&x.json, "by_cause");
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    if (x.by_cause[c] > 0)
      ams_json_uint (&x.json, ams_cause_name ((AmsCause) c), x.by_cause[c]);
  ams_json_end_object (&x.json);
  ams_json_end_object (&x.json);

  g_autoptr (GString) text = g_string_new (NULL);
  if (opt->json)
    g_string_append (text, x.json_out->str);
  else
    {
      if (!opt->quiet)
        {
          g_string_append_printf (text, "amisim explain: scenario %s (%s)\n", sc->name, sc->file);
          for (guint i = 0; i < x.groups->len; i++)
            {
              const Group *g = x.groups->pdata[i];
              g_string_append_printf (text, "\n%s", g->text);
              static const char *const kinds[] = {
                [AMS_FINDING_PIPELINE] = "pipeline",
                [AMS_FINDING_LIFECYCLE] = "lifecycle polic",
                [AMS_FINDING_EVENT] = "event",
              };
              gboolean one = g->pipelines->len == 1;
              g_string_append_printf (text, "  %s%s:", kinds[g->kind],
                                      g->kind == AMS_FINDING_LIFECYCLE ? (one ? "y" : "ies")
                                                                       : (one ? "" : "s"));
              for (guint k = 0; k < g->pipelines->len && k < 6; k++)
                g_string_append_printf (text, " %s", (const char *) g->pipelines->pdata[k]);
              if (g->pipelines->len > 6)
                g_string_append_printf (text, " … and %u more", g->pipelines->len - 6);
              g_string_append_c (text, '\n');
            }
          if (x.blockers > 0)
            g_string_append_c (text, '\n');
        }
      g_string_append_printf (text, "%u blocker%s (%u distinct) in %u checks", x.blockers,
                              x.blockers == 1 ? "" : "s", x.groups->len, x.checks);
      gboolean first = TRUE;
      for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
        if (x.by_cause[c] > 0)
          {
            g_string_append_printf (text, "%s%s %u", first ? ": " : ", ",
                                    ams_cause_name ((AmsCause) c), x.by_cause[c]);
            first = FALSE;
          }
      g_string_append_c (text, '\n');
    }
  ams_cli_print_string (text);
  g_ptr_array_unref (x.groups);
  g_hash_table_unref (x.by_text);
  g_string_chunk_free (x.names);
  g_string_free (x.json_out, TRUE);
  if (!ams_cli_stdout_ok ())
    return AMS_EXIT_FAILURE; /* the report did not get there: not a verdict */
  return x.blockers > 0 ? AMS_EXIT_BLOCKERS : AMS_EXIT_OK;
}
