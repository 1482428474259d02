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
 *
 * Blockers are grouped by root cause, the thing to fix: the scenario's
 * policy statements that decided (or came closest), when there are some,
 * with the resource as written for any account and region (so one trust
 * policy aliased into 40 accounts is one root cause); otherwise the cause,
 * resource, message and account (a missing role is a root cause per
 * account). `--format json` gives every blocker and every root cause,
 * `--format sarif` a SARIF 2.1.0 result per root cause for CI systems.
 */
#include <stdio.h>
#include <string.h>

#include "amisim/cli.h"
#include "amisim/preflight.h"
#include "amisim/report.h"
#include "amisim/world.h"
#include "cli/cli-private.h"
#include "report/json.h"

typedef struct RootCause RootCause;

/* Blockers that differ only in the pipeline are printed once, with the
 * list of pipelines: 80 pipelines missing the same role is one finding. */
typedef struct
{
  char *text;          /* the paragraph, without the pipeline */
  AmsFindingKind kind; /* of what it lists */
  GPtrArray *pipelines;/* of const char*: pipelines, lifecycle policies or events */
} Group;

/* A statement a root cause names (policies do not outlive the check, so
 * what is printed is copied). */
typedef struct
{
  char *policy;
  guint index;
  char *sid;           /* or NULL */
  const char *file;    /* interned, or NULL */
  guint line, col;
  gboolean deciding;   /* FALSE: a closest statement (ImplicitDeny) */
} RcStatement;

/* An ordered set of interned names. */
typedef struct
{
  GPtrArray *list;
  GHashTable *set;
} NameSet;

/* The root cause of blockers: what to fix, once. */
struct RootCause
{
  guint id;
  AmsCause cause;
  AmsFindingKind kind;
  const AmsScEvent *after;
  guint steps;         /* bit set of AmsStep */
  AmsStep step;        /* the first blocker's */
  char *resource;      /* the first blocker's */
  char *fix;           /* the first blocker's message */
  char *statements_text; /* its statements and closest statements, as printed */
  GArray *statements;  /* of RcStatement */
  const char *fallback_file; /* where the subject is written, for SARIF */
  guint fallback_line, fallback_col;
  NameSet subjects, accounts, regions;
  guint blockers;
  guint paragraphs;
  GHashTable *groups;  /* the paragraphs of its blockers (Group*) */
  Group *single;       /* the first paragraph */
};

typedef struct
{
  const AmsExplainOptions *opt;
  guint checks;
  guint blockers;
  guint by_cause[AMS_CAUSE_COUNT];
  GPtrArray *groups;   /* of Group*, in the order first found */
  GHashTable *by_text; /* paragraph -> Group* */
  GPtrArray *roots;    /* of RootCause*, in the order first found */
  GHashTable *by_key;  /* root cause key -> RootCause* */
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

static void
name_set_init (NameSet *n)
{
  n->list = g_ptr_array_new ();
  n->set = g_hash_table_new (g_direct_hash, g_direct_equal);
}

static void
name_set_clear (NameSet *n)
{
  g_ptr_array_unref (n->list);
  g_hash_table_unref (n->set);
}

/* `name` must be interned. */
static void
name_set_add (NameSet *n, const char *name)
{
  if (name != NULL && g_hash_table_add (n->set, (gpointer) name))
    g_ptr_array_add (n->list, (gpointer) name);
}

static void
root_free (gpointer p)
{
  RootCause *r = p;
  g_free (r->resource);
  g_free (r->fix);
  g_free (r->statements_text);
  for (guint i = 0; i < r->statements->len; i++)
    {
      RcStatement *st = &g_array_index (r->statements, RcStatement, i);
      g_free (st->policy);
      g_free (st->sid);
    }
  g_array_unref (r->statements);
  name_set_clear (&r->subjects);
  name_set_clear (&r->accounts);
  name_set_clear (&r->regions);
  g_hash_table_unref (r->groups);
  g_free (r);
}

/* `s` with every `what` replaced by `with` (what may be NULL or empty). */
static char *
replace_all (const char *s, const char *what, const char *with)
{
  if (s == NULL)
    return g_strdup ("");
  if (what == NULL || *what == '\0')
    return g_strdup (s);
  g_auto (GStrv) parts = g_strsplit (s, what, -1);
  return g_strjoinv (with, parts);
}

/* Appends the identity of each statement of `refs` (of AmsStatementRef, or
 * of AmsNearMiss when `near`) to key: its place in the scenario, or the
 * policy's name and index for policies written nowhere (managed ones).
 * TRUE if one is written in the scenario. */
static gboolean
key_statements (GString *key, const GArray *refs, gboolean near)
{
  gboolean located = FALSE;
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const AmsStatementRef *r = near ? &g_array_index (refs, AmsNearMiss, i).ref
                                      : &g_array_index (refs, AmsStatementRef, i);
      const AmsSrcLoc *loc = ams_policy_statement_loc (r->policy, r->statement);
      if (loc != NULL && loc->file != NULL && loc->line > 0)
        {
          g_string_append_printf (key, "\037%c%s:%u:%u#%u", near ? 'n' : 'd', loc->file,
                                  loc->line, loc->col, r->statement);
          located = TRUE;
        }
      else
        g_string_append_printf (key, "\037%c%s#%u", near ? 'n' : 'd', ams_policy_name (r->policy),
                                r->statement);
    }
  return located;
}

/* The root cause of a finding: what it lists (pipelines, policies, events)
 * and from when; then, when statements written in the scenario decided (or
 * came closest), those statements and the resource with the blocker's own
 * account and region left out; otherwise the resource, the message and the
 * account. */
static char *
root_key (const AmsFinding *f)
{
  const AmsBlocker *b = f->b;
  GString *key = g_string_new (NULL);
  g_string_append_printf (key, "%d\037%s\037%s", f->kind, f->after ? f->after->loc.path : "",
                          ams_cause_name (b->cause));
  GString *st = g_string_new (NULL);
  gboolean located = key_statements (st, b->verdict.statements, FALSE);
  located = key_statements (st, b->verdict.near_misses, TRUE) || located;
  if (located)
    {
      g_autofree char *a = replace_all (b->resource, b->account ? b->account->id : NULL,
                                        "{account}");
      g_autofree char *r = replace_all (a, b->region ? b->region->name : NULL, "{region}");
      g_string_append_printf (key, "\037S\037%s\037%s", r, st->str);
    }
  else
    g_string_append_printf (key, "\037R\037%s\037%s\037%s", b->resource ? b->resource : "",
                            b->message ? b->message : "", b->account ? b->account->id : "");
  g_string_free (st, TRUE);
  return g_string_free (key, FALSE);
}

static void
root_add_statements (Explain *x, RootCause *r, const GArray *refs, gboolean near)
{
  for (guint i = 0; refs != NULL && i < refs->len; i++)
    {
      const AmsStatementRef *ref = near ? &g_array_index (refs, AmsNearMiss, i).ref
                                        : &g_array_index (refs, AmsStatementRef, i);
      const AmsSrcLoc *loc = ams_policy_statement_loc (ref->policy, ref->statement);
      const char *sid = ams_policy_statement_sid (ref->policy, ref->statement);
      RcStatement st = {
        .policy = g_strdup (ams_policy_name (ref->policy)),
        .index = ref->statement,
        .sid = g_strdup (sid),
        .file = loc && loc->file ? g_string_chunk_insert_const (x->names, loc->file) : NULL,
        .line = loc ? loc->line : 0,
        .col = loc ? loc->col : 0,
        .deciding = !near,
      };
      g_array_append_val (r->statements, st);
    }
}

/* The action and principal of a refused request, from its message ("PRINCIPAL
 * may not ACTION on RESOURCE …"); NULL where the message names none. */
static void
action_and_principal (const AmsBlocker *b, char **action, char **principal)
{
  *action = *principal = NULL;
  const char *m = b->message;
  const char *mn = m ? strstr (m, " may not ") : NULL;
  if (mn == NULL)
    return;
  const char *a = mn + strlen (" may not ");
  const char *sp = strchr (a, ' ');
  if (sp != NULL && sp > a)
    *action = g_strndup (a, (gsize) (sp - a));
  g_autofree char *who = g_strndup (m, (gsize) (mn - m));
  static const char slr[] = "Image Builder's service-linked role in account ";
  if (g_str_has_prefix (who, "role arn:"))
    *principal = g_strdup (who + strlen ("role "));
  else if (g_str_has_prefix (who, slr))
    *principal = g_strdup_printf ("arn:aws:iam::%s:role/aws-service-role/"
                                  "imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder",
                                  who + strlen (slr));
  else if (g_str_has_prefix (who, "account ") && strlen (who) == strlen ("account ") + 12)
    *principal = g_strdup_printf ("arn:aws:iam::%s:root", who + strlen ("account "));
  else if (g_str_has_prefix (who, "arn:"))
    *principal = g_strdup (who);
}

/* The finding's root cause, made on first sight. */
static RootCause *
root_of (Explain *x, const AmsFinding *f, const char *stmt_text)
{
  g_autofree char *key = root_key (f);
  RootCause *r = g_hash_table_lookup (x->by_key, key);
  if (r != NULL)
    return r;
  const AmsBlocker *b = f->b;
  r = g_new0 (RootCause, 1);
  r->id = x->roots->len;
  r->cause = b->cause;
  r->kind = f->kind;
  r->after = f->after;
  r->step = b->step;
  r->resource = g_strdup (b->resource);
  r->fix = g_strdup (b->message);
  r->statements_text = g_strdup (stmt_text);
  r->statements = g_array_new (FALSE, TRUE, sizeof (RcStatement));
  root_add_statements (x, r, b->verdict.statements, FALSE);
  root_add_statements (x, r, b->verdict.near_misses, TRUE);
  const AmsSrcLoc *at = f->kind == AMS_FINDING_PIPELINE && f->pipeline ? &f->pipeline->loc
                        : f->kind == AMS_FINDING_LIFECYCLE && f->policy ? &f->policy->loc
                        : f->kind == AMS_FINDING_EVENT && f->event      ? &f->event->loc
                                                                        : NULL;
  if (at != NULL && at->file != NULL)
    {
      r->fallback_file = g_string_chunk_insert_const (x->names, at->file);
      r->fallback_line = at->line;
      r->fallback_col = at->col;
    }
  name_set_init (&r->subjects);
  name_set_init (&r->accounts);
  name_set_init (&r->regions);
  r->groups = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_ptr_array_add (x->roots, r);
  g_hash_table_insert (x->by_key, g_steal_pointer (&key), r);
  return r;
}

/* One finding of the preflight: its paragraph, grouped with the same
 * paragraph of other pipelines (or policies, or events), and its root
 * cause; its JSON record. */
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
  gsize stmt_from = text->len;
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

  RootCause *root = root_of (x, f, text->str + stmt_from);
  root->blockers++;
  root->steps |= 1u << b->step;
  name_set_add (&root->subjects, subject);
  if (b->account != NULL)
    name_set_add (&root->accounts, g_string_chunk_insert_const (x->names, b->account->id));
  if (b->region != NULL)
    name_set_add (&root->regions, g_string_chunk_insert_const (x->names, b->region->name));

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
  if (g_hash_table_add (root->groups, g))
    {
      if (root->paragraphs++ == 0)
        root->single = g;
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
  /* where the image comes from (the pipeline's or policy's build region) and goes */
  const char *source = f->kind == AMS_FINDING_PIPELINE && f->pipeline ? f->pipeline->region.value
                       : f->kind == AMS_FINDING_LIFECYCLE && f->policy ? f->policy->region.value
                                                                       : NULL;
  ams_json_string (j, "source_region", source);
  ams_json_string (j, "destination_region", b->region ? b->region->name : NULL);
  g_autofree char *action = NULL, *principal = NULL;
  action_and_principal (b, &action, &principal);
  ams_json_string (j, "action", action);
  ams_json_string (j, "principal", principal);
  ams_json_uint (j, "root_cause", root->id);
  ams_json_end_object (j);
}

static const char *
subject_label (AmsFindingKind kind, gboolean one)
{
  switch (kind)
    {
    case AMS_FINDING_LIFECYCLE:
      return one ? "lifecycle policy" : "lifecycle policies";
    case AMS_FINDING_EVENT:
      return one ? "event" : "events";
    case AMS_FINDING_PIPELINE:
    default:
      return one ? "pipeline" : "pipelines";
    }
}

static const char *
subject_key (AmsFindingKind kind)
{
  return kind == AMS_FINDING_LIFECYCLE ? "lifecycle_policies"
         : kind == AMS_FINDING_EVENT   ? "events"
                                       : "pipelines";
}

/* "  LABEL: a b c … and N more\n" (at most 6 names). */
static void
list_names (GString *out, const char *indent, const char *label, const GPtrArray *names)
{
  g_string_append_printf (out, "%s%s:", indent, label);
  for (guint k = 0; k < names->len && k < 6; k++)
    g_string_append_printf (out, " %s", (const char *) names->pdata[k]);
  if (names->len > 6)
    g_string_append_printf (out, " … and %u more", names->len - 6);
  g_string_append_c (out, '\n');
}

/* A root cause of several paragraphs: the fix once, then what it affects. */
static void
print_root (GString *text, const RootCause *r)
{
  g_string_append_printf (text, "\n%s  root cause of %u blockers, step", ams_cause_name (r->cause),
                          r->blockers);
  gboolean first = TRUE;
  for (guint s = 0; s < 32; s++)
    if (r->steps & (1u << s))
      {
        g_string_append_printf (text, "%s %s", first ? "" : ",", ams_step_name ((AmsStep) s));
        first = FALSE;
      }
  g_string_append_c (text, '\n');
  if (r->after != NULL)
    {
      g_autofree char *at = ams_format_duration (r->after->at);
      g_string_append_printf (text, "  from %s at %s (%s) on\n", r->after->loc.path, at,
                              ams_sc_event_action (r->after->kind));
    }
  g_string_append_printf (text, "  %s\n", r->fix);
  g_string_append (text, r->statements_text);
  guint np = r->subjects.list->len, na = r->accounts.list->len, nr = r->regions.list->len;
  g_string_append_printf (text, "  affects %u %s, %u account%s, %u region%s:\n", np,
                          subject_label (r->kind, np == 1), na, na == 1 ? "" : "s", nr,
                          nr == 1 ? "" : "s");
  list_names (text, "    ", subject_label (r->kind, np == 1), r->subjects.list);
  if (na > 0)
    list_names (text, "    ", na == 1 ? "account" : "accounts", r->accounts.list);
  if (nr > 0)
    list_names (text, "    ", nr == 1 ? "region" : "regions", r->regions.list);
}

static void
json_names (AmsJson *j, const char *key, const GPtrArray *names)
{
  ams_json_begin_array (j, key);
  for (guint i = 0; i < names->len; i++)
    ams_json_string (j, NULL, names->pdata[i]);
  ams_json_end_array (j);
}

static void
json_root_statements (AmsJson *j, const RootCause *r)
{
  ams_json_begin_array (j, "statements");
  for (guint i = 0; i < r->statements->len; i++)
    {
      const RcStatement *st = &g_array_index (r->statements, RcStatement, i);
      ams_json_begin_object (j, NULL);
      ams_json_string (j, "policy", st->policy);
      ams_json_uint (j, "index", st->index);
      ams_json_string (j, "sid", st->sid);
      ams_json_string (j, "file", st->file);
      ams_json_uint (j, "line", st->line);
      ams_json_uint (j, "col", st->col);
      ams_json_string (j, "role", st->deciding ? "deciding" : "closest");
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
}

static void
json_root_causes (AmsJson *j, const Explain *x)
{
  ams_json_begin_array (j, "root_causes");
  for (guint i = 0; i < x->roots->len; i++)
    {
      const RootCause *r = x->roots->pdata[i];
      ams_json_begin_object (j, NULL);
      ams_json_uint (j, "id", r->id);
      ams_json_string (j, "cause", ams_cause_name (r->cause));
      ams_json_string (j, "step", ams_step_name (r->step));
      ams_json_string (j, "resource", r->resource);
      ams_json_string (j, "fix", r->fix);
      if (r->after != NULL)
        {
          ams_json_string (j, "after_event", r->after->loc.path);
          ams_json_double (j, "after_event_at_s", ams_time_to_s (r->after->at));
        }
      json_root_statements (j, r);
      json_names (j, subject_key (r->kind), r->subjects.list);
      json_names (j, "accounts", r->accounts.list);
      json_names (j, "regions", r->regions.list);
      ams_json_uint (j, "blockers", r->blockers);
      ams_json_uint (j, "distinct", r->paragraphs);
      ams_json_end_object (j);
    }
  ams_json_end_array (j);
}

/* A file of the scenario as a SARIF artifact URI: relative paths as they
 * are (relative to where amisim ran), absolute ones as file: URIs. */
static char *
sarif_uri (const char *file)
{
  if (g_path_is_absolute (file))
    {
      char *uri = g_filename_to_uri (file, NULL, NULL);
      if (uri != NULL)
        return uri;
    }
  return g_uri_escape_string (file, "/", FALSE);
}

static void
sarif_location (AmsJson *j, const char *file, guint line, guint col, const char *what)
{
  g_autofree char *uri = sarif_uri (file);
  ams_json_begin_object (j, NULL);
  ams_json_begin_object (j, "physicalLocation");
  ams_json_begin_object (j, "artifactLocation");
  ams_json_string (j, "uri", uri);
  ams_json_end_object (j);
  if (line > 0)
    {
      ams_json_begin_object (j, "region");
      ams_json_uint (j, "startLine", line);
      if (col > 0)
        ams_json_uint (j, "startColumn", col);
      ams_json_end_object (j);
    }
  ams_json_end_object (j);
  if (what != NULL)
    {
      ams_json_begin_object (j, "message");
      ams_json_string (j, "text", what);
      ams_json_end_object (j);
    }
  ams_json_end_object (j);
}

/* SARIF 2.1.0: a rule per cause found, a result per root cause. */
static void
write_sarif (GString *out, const Explain *x, const AmsScenario *sc)
{
  AmsJson j;
  ams_json_init (&j, out);
  ams_json_begin_object (&j, NULL);
  ams_json_string (&j, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  ams_json_string (&j, "version", "2.1.0");
  ams_json_begin_array (&j, "runs");
  ams_json_begin_object (&j, NULL);
  ams_json_begin_object (&j, "tool");
  ams_json_begin_object (&j, "driver");
  ams_json_string (&j, "name", "amisim");
  ams_json_string (&j, "version", PACKAGE_VERSION);
  ams_json_string (&j, "informationUri", "https://github.com/amisim/amisim");
  int rule_index[AMS_CAUSE_COUNT];
  int n_rules = 0;
  ams_json_begin_array (&j, "rules");
  for (guint c = 1; c < AMS_CAUSE_COUNT; c++)
    {
      rule_index[c] = -1;
      if (x->by_cause[c] == 0)
        continue;
      rule_index[c] = n_rules++;
      const char *name = ams_cause_name ((AmsCause) c);
      g_autofree char *desc = g_strdup_printf ("amisim explain: %s (docs/causes.md)", name);
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "id", name);
      ams_json_string (&j, "name", name);
      ams_json_begin_object (&j, "shortDescription");
      ams_json_string (&j, "text", desc);
      ams_json_end_object (&j);
      ams_json_begin_object (&j, "defaultConfiguration");
      ams_json_string (&j, "level", "error");
      ams_json_end_object (&j);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);
  ams_json_end_object (&j); /* driver */
  ams_json_end_object (&j); /* tool */
  ams_json_begin_array (&j, "results");
  for (guint i = 0; i < x->roots->len; i++)
    {
      const RootCause *r = x->roots->pdata[i];
      ams_json_begin_object (&j, NULL);
      ams_json_string (&j, "ruleId", ams_cause_name (r->cause));
      ams_json_uint (&j, "ruleIndex", (guint64) rule_index[r->cause]);
      ams_json_string (&j, "level", "error");
      ams_json_begin_object (&j, "message");
      ams_json_string (&j, "text", r->fix);
      ams_json_end_object (&j);
      ams_json_begin_array (&j, "locations");
      guint located = 0;
      /* the deciding statements; without one, the closest */
      for (int pass = 0; pass < 2 && located == 0; pass++)
        for (guint s = 0; s < r->statements->len; s++)
          {
            const RcStatement *st = &g_array_index (r->statements, RcStatement, s);
            if (st->deciding != (pass == 0) || st->file == NULL)
              continue;
            g_autofree char *what
              = st->sid ? g_strdup_printf ("%s, statement %u \"%s\"", st->policy, st->index,
                                           st->sid)
                        : g_strdup_printf ("%s, statement %u", st->policy, st->index);
            sarif_location (&j, st->file, st->line, st->col, what);
            located++;
          }
      if (located == 0)
        sarif_location (&j, r->fallback_file ? r->fallback_file : sc->file,
                        r->fallback_file ? r->fallback_line : 0,
                        r->fallback_file ? r->fallback_col : 0, NULL);
      ams_json_end_array (&j);
      ams_json_begin_object (&j, "properties");
      ams_json_uint (&j, "root_cause", r->id);
      ams_json_string (&j, "step", ams_step_name (r->step));
      ams_json_string (&j, "resource", r->resource);
      ams_json_uint (&j, "blockers", r->blockers);
      ams_json_uint (&j, subject_key (r->kind), r->subjects.list->len);
      ams_json_uint (&j, "accounts", r->accounts.list->len);
      ams_json_uint (&j, "regions", r->regions.list->len);
      g_autofree char *k1 = g_strdup_printf ("%s_list", subject_key (r->kind));
      json_names (&j, k1, r->subjects.list);
      json_names (&j, "accounts_list", r->accounts.list);
      json_names (&j, "regions_list", r->regions.list);
      ams_json_end_object (&j);
      ams_json_end_object (&j);
    }
  ams_json_end_array (&j);
  ams_json_end_object (&j); /* run */
  ams_json_end_array (&j);
  ams_json_end_object (&j);
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
    .roots = g_ptr_array_new_with_free_func (root_free),
    .by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
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
  json_root_causes (&x.json, &x);
  ams_json_end_object (&x.json);

  AmsExplainFormat format = opt->json ? AMS_EXPLAIN_JSON : opt->format;
  g_autoptr (GString) text = g_string_new (NULL);
  if (format == AMS_EXPLAIN_JSON)
    g_string_append (text, x.json_out->str);
  else if (format == AMS_EXPLAIN_SARIF)
    {
      write_sarif (text, &x, sc);
      g_string_append_c (text, '\n');
    }
  else
    {
      if (!opt->quiet)
        {
          g_string_append_printf (text, "amisim explain: scenario %s (%s)\n", sc->name, sc->file);
          /* a root cause of one paragraph is that paragraph; of several,
           * the fix once and what it affects */
          for (guint i = 0; i < x.roots->len; i++)
            {
              const RootCause *r = x.roots->pdata[i];
              if (r->paragraphs != 1)
                {
                  print_root (text, r);
                  continue;
                }
              const Group *g = r->single;
              g_string_append_printf (text, "\n%s", g->text);
              list_names (text, "  ", subject_label (g->kind, g->pipelines->len == 1),
                          g->pipelines);
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
  g_ptr_array_unref (x.roots);
  g_hash_table_unref (x.by_key);
  g_string_chunk_free (x.names);
  g_string_free (x.json_out, TRUE);
  if (!ams_cli_stdout_ok ())
    return AMS_EXIT_FAILURE; /* the report did not get there: not a verdict */
  return x.blockers > 0 ? AMS_EXIT_BLOCKERS : AMS_EXIT_OK;
}
