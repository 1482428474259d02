/* Policy statements in reports: the same shape in `explain` and
 * `policy eval`, text and JSON. */
#include "amisim/report.h"
#include "report/json.h"

void
ams_json_statements (AmsJson *j, const char *key, const GArray *statements)
{
  ams_json_begin_array (j, key);
  for (guint i = 0; statements != NULL && i < statements->len; i++)
    {
      const AmsStatementRef *r = &g_array_index (statements, AmsStatementRef, i);
      const AmsSrcLoc *loc = ams_policy_statement_loc (r->policy, r->statement);
      g_autofree char *text = ams_policy_statement_to_json (r->policy, r->statement);
      ams_json_begin_object (j, NULL);
      ams_json_string (j, "policy", ams_policy_name (r->policy));
      ams_json_uint (j, "index", r->statement);
      ams_json_string (j, "sid", ams_policy_statement_sid (r->policy, r->statement));
      ams_json_string (j, "effect",
                       ams_policy_statement_allows (r->policy, r->statement) ? "Allow" : "Deny");
      ams_json_string (j, "file", loc ? loc->file : NULL);
      ams_json_uint (j, "line", loc ? loc->line : 0);
      ams_json_uint (j, "col", loc ? loc->col : 0);
      ams_json_string (j, "json", text);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
}

void
ams_report_statement (GString *out, const char *indent, const char *verb,
                      const AmsStatementRef *r)
{
  const AmsSrcLoc *loc = ams_policy_statement_loc (r->policy, r->statement);
  const char *sid = ams_policy_statement_sid (r->policy, r->statement);
  g_autofree char *json = ams_policy_statement_to_json (r->policy, r->statement);
  g_string_append_printf (out, "%s%s%s%s, statement %u", indent, verb ? verb : "", verb ? " " : "",
                          ams_policy_name (r->policy), r->statement);
  if (sid != NULL)
    g_string_append_printf (out, " \"%s\"", sid);
  if (loc != NULL && loc->file != NULL && loc->line > 0)
    g_string_append_printf (out, " (%s:%u:%u)", loc->file, loc->line, loc->col);
  g_string_append_printf (out, ":\n%s  %s\n", indent, json);
}

void
ams_report_near_misses (GString *out, const char *indent, const GArray *near)
{
  if (near == NULL || near->len == 0)
    return;
  g_string_append_printf (out, "%sclosest statements (they grant the action, but not here):\n",
                          indent);
  g_autofree char *deeper = g_strconcat (indent, "  ", NULL);
  for (guint i = 0; i < near->len; i++)
    {
      const AmsNearMiss *nm = &g_array_index (near, AmsNearMiss, i);
      ams_report_statement (out, deeper, NULL, &nm->ref);
      g_string_append_printf (out, "%s  but %s\n", deeper, nm->why);
    }
}

void
ams_json_near_misses (AmsJson *j, const char *key, const GArray *near)
{
  ams_json_begin_array (j, key);
  for (guint i = 0; near != NULL && i < near->len; i++)
    {
      const AmsNearMiss *nm = &g_array_index (near, AmsNearMiss, i);
      const AmsSrcLoc *loc = ams_policy_statement_loc (nm->ref.policy, nm->ref.statement);
      ams_json_begin_object (j, NULL);
      ams_json_string (j, "policy", ams_policy_name (nm->ref.policy));
      ams_json_uint (j, "index", nm->ref.statement);
      ams_json_string (j, "sid", ams_policy_statement_sid (nm->ref.policy, nm->ref.statement));
      ams_json_string (j, "file", loc ? loc->file : NULL);
      ams_json_uint (j, "line", loc ? loc->line : 0);
      ams_json_uint (j, "col", loc ? loc->col : 0);
      ams_json_string (j, "why", nm->why);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
}
