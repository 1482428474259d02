/* amisim — scenario loader: launches[], consumers launching instances from
 * a pipeline's newest AMI they can use in a region.
 *
 *   launches:
 *     - name: prod-fleet                 # default launches[i]
 *       accounts: ["222222222222"]       # and/or
 *       ous: [ou-a1b2-bbbbbbbb]          # OU ids or OU ARNs: every account under them
 *       region: us-east-1
 *       pipeline: golden-al2023
 *       rate: 10/d                       # per account, Poisson
 *       refresh: 1h                      # how often a consumer looks for a newer AMI
 *
 * OUs are kept as written (an id or an ARN); the engine expands them to
 * their accounts at the start of the run. References are resolved once the
 * whole document is read, so order in the file does not matter.
 */
#include <string.h>

#include "schema.h"

typedef struct
{
  AmsScenario *sc;
  GHashTable *names; /* name -> AmsSrcLoc* of where it was given (or the entry) */
} Launches;

void
ams_sc_launches_free (gpointer p)
{
  AmsScLaunches *l = p;
  if (l == NULL)
    return;
  g_array_unref (l->accounts);
  g_array_unref (l->units);
  g_free (l);
}

/* ---- launches[i] ---- */

typedef struct
{
  AmsScLaunches *l;
  AmsSrcLoc name_loc;
} Entry;

static void
l_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  if (ams_get_string (c, value, 1, 128, &e->l->name))
    ams_check_loc (c, value, &e->name_loc);
}

static void
l_accounts (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref_list (c, value, AMS_PAT_ACCOUNT_ID, 1, 0, TRUE, e->l->accounts);
}

static void
unit_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Entry *e = target;
  const char *text;
  if (!ams_get_scalar (c, item, "an OU id (ou-…) or an OU ARN", &text))
    return;
  gsize len = strlen (text);
  if (!ams_pattern_match (AMS_PAT_OU_ID, text, len) && !ams_pattern_match (AMS_PAT_OU_ARN, text, len))
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, item, "expected an OU id like ou-a1b2-aaaaaaaa or an OU ARN like "
                                "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/"
                                "ou-a1b2-aaaaaaaa, got \"%s\"", esc);
      return;
    }
  for (guint i = 0; i < e->l->units->len; i++)
    {
      const AmsScRef *o = &g_array_index (e->l->units, AmsScRef, i);
      if (strcmp (o->value, text) == 0)
        {
          ams_check_error (c, item, "'%s' is listed twice (first at %u:%u)", text, o->loc.line,
                           o->loc.col);
          return;
        }
    }
  AmsScRef ref = { .value = ams_check_intern (c, text) };
  ams_check_loc (c, item, &ref.loc);
  g_array_append_val (e->l->units, ref);
}

static void
l_ous (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE && value->items->len == 0)
    {
      ams_check_error (c, value, "expected at least 1 item, got 0");
      return;
    }
  ams_check_sequence (c, value, unit_item, target);
}

static void
l_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref (c, value, AMS_PAT_REGION, &e->l->region);
}

static void
l_pipeline (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  if (ams_get_string (c, value, 1, 128, &e->l->pipeline.value))
    ams_check_loc (c, value, &e->l->pipeline.loc);
}

static void
l_rate (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_rate (c, value, &e->l->rate); /* a rate is more than 0 */
}

static void
l_refresh (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_duration (c, value, &e->l->refresh); /* a duration is not negative */
}

static const AmsField launch_fields[] = {
  { "name", l_name, 0, NULL },
  { "accounts", l_accounts, 0, NULL },
  { "ous", l_ous, 0, NULL },
  { "region", l_region, AMS_FIELD_REQUIRED, "where the instances launch, e.g. region: us-east-1" },
  { "pipeline", l_pipeline, AMS_FIELD_REQUIRED,
    "the pipeline whose AMIs are launched, e.g. pipeline: golden-al2023" },
  { "rate", l_rate, AMS_FIELD_REQUIRED, "launches per account, e.g. rate: 10/d" },
  { "refresh", l_refresh, 0, NULL },
  { NULL },
};

static gboolean
written (const AmsYNode *item, const char *key)
{
  const AmsYNode *v = ams_ynode_lookup (item, key);
  return v != NULL && !ams_ynode_is_null (v);
}

static void
launch_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Launches *ls = target;
  AmsScLaunches *l = g_new0 (AmsScLaunches, 1);
  l->accounts = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  l->units = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  ams_check_loc (c, item, &l->loc);
  g_ptr_array_add (ls->sc->launches, l);
  Entry e = { .l = l };
  if (!ams_check_mapping (c, item, launch_fields, 0, &e))
    return;
  if (!written (item, "accounts") && !written (item, "ous"))
    ams_check_error (c, item, "a launches entry needs the consumers: accounts, ous or both");

  const AmsSrcLoc *where = e.name_loc.file != NULL ? &e.name_loc : &l->loc;
  if (l->name == NULL)
    {
      g_autofree char *name = g_strdup_printf ("launches[%u]", index);
      l->name = ams_check_intern (c, name);
    }
  const AmsSrcLoc *first = g_hash_table_lookup (ls->names, l->name);
  if (first != NULL)
    ams_check_error_at (c, where, "duplicate launches name '%s' (first at %u:%u)%s", l->name,
                        first->line, first->col,
                        e.name_loc.file == NULL ? "; give this entry a name" : "");
  else
    {
      AmsSrcLoc *kept = g_new (AmsSrcLoc, 1);
      *kept = *where;
      g_hash_table_insert (ls->names, (gpointer) l->name, kept);
    }
}

void
ams_schema_launches (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  Launches ls = {
    .sc = sc,
    .names = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free),
  };
  ams_check_sequence (c, value, launch_item, &ls);
  g_hash_table_unref (ls.names);
}

/* ---- references ---- */

/* Every OU id of `units` -> its organization, and the ids in order. */
static void
collect_units (const GPtrArray *units, const AmsScOrg *org, GHashTable *out, GPtrArray *ids)
{
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      if (!g_hash_table_contains (out, u->id))
        {
          g_hash_table_insert (out, (gpointer) u->id, (gpointer) org);
          g_ptr_array_add (ids, (gpointer) u->id);
        }
      collect_units (u->units, org, out, ids);
    }
}

static void
resolve_unit (AmsCheck *c, const AmsScenario *sc, const AmsScRef *ref, GHashTable *units,
              GPtrArray *ids)
{
  const char *ou = ref->value;
  const char *org_id = NULL, *mgmt = NULL;
  g_auto (GStrv) parts = NULL, res = NULL;
  if (g_str_has_prefix (ou, "arn:"))
    {
      /* arn:aws:organizations::<mgmt>:ou/o-x/ou-y (the pattern was checked) */
      parts = g_strsplit (ou, ":", 6);
      res = g_strsplit (parts[5], "/", 3);
      mgmt = parts[4];
      org_id = res[1];
      ou = res[2];
    }
  const AmsScOrg *org = g_hash_table_lookup (units, ou);
  if (org_id != NULL)
    {
      const AmsScOrg *named = NULL;
      for (guint i = 0; i < sc->organizations->len && named == NULL; i++)
        if (strcmp (((const AmsScOrg *) sc->organizations->pdata[i])->id, org_id) == 0)
          named = sc->organizations->pdata[i];
      if (named == NULL)
        {
          ams_check_error_at (c, &ref->loc, "organization %s is not defined in organizations; "
                                            "launches need the OU's accounts", org_id);
          return;
        }
      if (strcmp (named->management_account.value, mgmt) != 0)
        {
          ams_check_error_at (c, &ref->loc, "organization %s is managed by account %s, but the "
                                            "ARN names %s; expected "
                                            "arn:aws:organizations::%s:ou/%s/%s",
                              org_id, named->management_account.value, mgmt,
                              named->management_account.value, org_id, ou);
          return;
        }
      if (org != named)
        {
          ams_check_error_at (c, &ref->loc, "organization %s has no OU %s", org_id, ou);
          return;
        }
    }
  if (org == NULL)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "OU '%s' is not in any organization", ou);
      if (ids->len == 0)
        g_string_append (msg, " (the scenario defines no OUs)");
      else
        ams_append_suggestion (msg, ou, (const char *const *) ids->pdata, ids->len, 8,
                               "defined: ");
      ams_check_error_at (c, &ref->loc, "%s", msg->str);
    }
}

void
ams_schema_resolve_launches (AmsCheck *c, AmsScenario *sc)
{
  if (sc->launches->len == 0)
    return;
  g_autoptr (GHashTable) units = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) unit_ids = g_ptr_array_new ();
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      collect_units (o->units, o, units, unit_ids);
    }
  g_autoptr (GPtrArray) pipelines = g_ptr_array_new ();
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->name != NULL)
        g_ptr_array_add (pipelines, (gpointer) pl->name);
    }

  for (guint i = 0; i < sc->launches->len; i++)
    {
      const AmsScLaunches *l = sc->launches->pdata[i];
      for (guint j = 0; j < l->accounts->len; j++)
        ams_schema_resolve_account (c, &g_array_index (l->accounts, AmsScRef, j));
      g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < l->units->len; j++)
        {
          const AmsScRef *ref = &g_array_index (l->units, AmsScRef, j);
          resolve_unit (c, sc, ref, units, unit_ids);
          /* the same OU as an id and as an ARN */
          const char *ou = strrchr (ref->value, '/') != NULL ? strrchr (ref->value, '/') + 1
                                                             : ref->value;
          const AmsScRef *first = g_hash_table_lookup (seen, ou);
          if (first != NULL)
            ams_check_error_at (c, &ref->loc, "OU %s is listed twice (first at %u:%u)", ou,
                                first->loc.line, first->loc.col);
          else
            g_hash_table_insert (seen, (gpointer) ou, (gpointer) ref);
        }
      ams_schema_resolve_region (c, &l->region);
      if (l->pipeline.value != NULL && !g_hash_table_contains (c->pipelines, l->pipeline.value))
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "no pipeline named '%s'", l->pipeline.value);
          if (pipelines->len == 0)
            g_string_append (msg, " (the scenario defines no pipelines)");
          else
            ams_append_suggestion (msg, l->pipeline.value,
                                   (const char *const *) pipelines->pdata, pipelines->len, 8,
                                   "defined: ");
          ams_check_error_at (c, &l->pipeline.loc, "%s", msg->str);
        }
    }
}

const AmsSchemaTable *
ams_schema_launches_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("launches[]", launch_fields),
    { NULL },
  };
  return tables;
}
