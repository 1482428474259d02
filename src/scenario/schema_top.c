/* amisim — scenario loader: the top of the document, regions, accounts,
 * and the resolution of references once everything is read.
 *
 * A region or account counts as defined as soon as its name or id is
 * written, even if that name is malformed (which is reported on its own):
 * references to it then do not pile up a second, misleading error.
 * References are resolved after the walk, so order in the file does not
 * matter, and an unresolved one points at where it was written.
 */
#include <string.h>

#include "schema.h"

/* ---- regions[] ---- */

static void
region_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScRegion *r = target;
  const char *text;
  if (!ams_get_scalar (c, value, ams_pattern_describe (AMS_PAT_REGION), &text))
    return;
  const AmsYNode *first = g_hash_table_lookup (c->regions, text);
  if (first != NULL)
    {
      ams_check_error (c, value, "duplicate region '%s' (first at %u:%u)", text, first->line,
                       first->col);
      return;
    }
  g_hash_table_insert (c->regions, (gpointer) text, (gpointer) value);
  g_ptr_array_add (c->region_names, (gpointer) text);
  ams_get_pattern (c, value, AMS_PAT_REGION, &r->name);
}

static void
region_pv (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScRegion *) target)->pv_supported);
}

static void
region_opt_in (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScRegion *) target)->opt_in);
}

static const AmsField region_fields[] = {
  { "name", region_name, AMS_FIELD_REQUIRED, "the region's name, e.g. name: us-east-1" },
  { "pv_supported", region_pv, 0, NULL },
  { "opt_in", region_opt_in, 0, NULL },
  { NULL },
};

static void
region_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  g_autofree AmsScRegion *r = g_new0 (AmsScRegion, 1);
  r->pv_supported = TRUE;
  ams_check_loc (c, item, &r->loc);
  ams_check_mapping (c, item, region_fields, 0, r);
  if (r->name != NULL)
    g_ptr_array_add (sc->regions, g_steal_pointer (&r));
}

/* ---- accounts[] ---- */

static void
account_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScAccount *a = target;
  const char *text;
  if (!ams_get_scalar (c, value, ams_pattern_describe (AMS_PAT_ACCOUNT_ID), &text))
    return;
  const AmsYNode *first = g_hash_table_lookup (c->accounts, text);
  if (first != NULL)
    {
      ams_check_error (c, value, "duplicate account '%s' (first at %u:%u)", text, first->line,
                       first->col);
      return;
    }
  g_hash_table_insert (c->accounts, (gpointer) text, (gpointer) value);
  g_ptr_array_add (c->account_names, (gpointer) text);
  ams_get_pattern (c, value, AMS_PAT_ACCOUNT_ID, &a->id);
}

static void
account_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScAccount *a = target;
  ams_get_string (c, value, 1, 256, &a->name);
}

static const AmsField account_fields[] = {
  { "id", account_id, AMS_FIELD_REQUIRED,
    "the 12-digit account id, e.g. id: \"111111111111\"" },
  { "name", account_name, 0, NULL },
  { "enabled_regions", ams_schema_account_enabled_regions, 0, NULL },
  { "kms_keys", ams_schema_account_kms_keys, 0, NULL },
  { "roles", ams_schema_account_roles, 0, NULL },
  { "block_public_ami_access", ams_schema_account_block_public, 0, NULL },
  { "recycle_bin", ams_schema_account_recycle_bin, 0, NULL },
  { "ecr_repositories", ams_schema_account_repositories, 0, NULL },
  { "ram_invitations", ams_schema_account_ram_invitations, 0, NULL },
  { NULL },
};

static void
account_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScAccount *a = ams_sc_account_new ();
  ams_check_loc (c, item, &a->loc);
  ams_check_mapping (c, item, account_fields, 0, a);
  if (a->id != NULL)
    g_ptr_array_add (sc->accounts, a);
  else
    ams_sc_account_free (a);
}

/* ---- the document ---- */

static void
top_amisim (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  if (value->kind == AMS_YNODE_SCALAR && !ams_ynode_is_string (value)
      && strcmp (value->text, "1") == 0)
    {
      sc->format_version = 1;
      return;
    }
  if (value->kind == AMS_YNODE_SCALAR)
    {
      g_autofree char *esc = g_strescape (value->text, NULL);
      ams_check_error (c, value, "expected the format version 1 (amisim: 1), got \"%s\"", esc);
    }
  else
    ams_check_error (c, value, "expected the format version 1 (amisim: 1), got %s",
                     ams_ynode_describe (value));
}

static void
top_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_string (c, value, 1, 256, &sc->name);
}

static void
top_description (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_text (c, value, 0, 0, &sc->description);
}

static void
top_seed (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  guint64 v;
  if (ams_get_uint (c, value, 0, G_MAXUINT64, &v))
    sc->seed = v;
}

static void
top_start (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  ams_get_time (c, value, &sc->start);
}

static void
top_horizon (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScenario *sc = target;
  AmsTime t;
  if (!ams_get_duration (c, value, &t))
    return;
  if (t <= 0)
    {
      ams_check_error (c, value, "the horizon must be longer than 0s, got \"%s\"", value->text);
      return;
    }
  sc->horizon = t;
}

static void
top_regions (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, region_item, target);
}

static void
top_accounts (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, account_item, target);
}

static void
top_organizations (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, ams_schema_organization, target);
}

static void
top_account_sets (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, ams_schema_account_set, target);
}

static void
top_pipelines (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, ams_schema_pipeline, target);
}

static void
top_lifecycle_policies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                        gpointer target)
{
  ams_check_sequence (c, value, ams_schema_lifecycle_policy, target);
}

static const AmsField top_fields[] = {
  { "amisim", top_amisim, AMS_FIELD_REQUIRED, "the format version: amisim: 1" },
  { "name", top_name, 0, NULL },
  { "description", top_description, 0, NULL },
  { "seed", top_seed, 0, NULL },
  { "start", top_start, 0, NULL },
  { "horizon", top_horizon, AMS_FIELD_REQUIRED, "the simulated length, e.g. horizon: 14d" },
  { "regions", top_regions, 0, NULL },
  { "accounts", top_accounts, 0, NULL },
  { "pipelines", top_pipelines, 0, NULL },
  { "simulation", ams_schema_simulation, 0, NULL },
  { "organizations", top_organizations, 0, NULL },
  { "account_sets", top_account_sets, 0, NULL },
  { "lifecycle_policies", top_lifecycle_policies, 0, NULL },
  { "events", ams_schema_events, 0, NULL },
  { "launches", ams_schema_launches, 0, NULL },
  { "amis", ams_schema_amis, 0, NULL },
  { "components", ams_schema_components, 0, NULL },
  { "recipes", ams_schema_recipes, 0, NULL },
  { "container_recipes", ams_schema_container_recipes, 0, NULL },
  { "resource_shares", ams_schema_resource_shares, 0, NULL },
  { "resource_policies", ams_schema_resource_policies, 0, NULL },
  { "infrastructure_configurations", ams_schema_infrastructure, 0, NULL },
  { NULL },
};

/* ---- references ---- */

static void
unresolved (AmsCheck *c, const AmsScRef *ref, const char *what, const char *where,
            GPtrArray *defined)
{
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "%s '%s' is not defined in %s", what, ref->value, where);
  if (defined->len == 0)
    g_string_append_printf (msg, " (the scenario defines no %s)", where);
  else
    ams_append_suggestion (msg, ref->value, (const char *const *) defined->pdata, defined->len,
                           8, "defined: ");
  g_autofree char *path = ams_srcloc_path (&ref->loc);
  ams_diag_add (c->diag, ref->loc.file, ref->loc.line, ref->loc.col, path, "%s", msg->str);
}

static void
resolve (AmsCheck *c, const AmsScRef *ref, gboolean is_account, GPtrArray *defined)
{
  if (ref->value == NULL)
    return;
  if (is_account)
    {
      if (!ams_schema_account_defined (c, ref->value))
        unresolved (c, ref, "account", "accounts or account_sets", defined);
    }
  else if (!g_hash_table_contains (c->regions, ref->value))
    unresolved (c, ref, "region", "regions", defined);
}

void
ams_schema_resolve_region (AmsCheck *c, const AmsScRef *ref)
{
  resolve (c, ref, FALSE, c->region_names);
}

void
ams_schema_resolve_account (AmsCheck *c, const AmsScRef *ref)
{
  resolve (c, ref, TRUE, c->account_names);
}

/* A container recipe's repository is one of the owner account's, in the
 * build region (for a recipe block here; container_recipes[] entries are
 * checked with the supply chain); a container pipeline makes no AMIs to
 * distribute. */
static void
resolve_repositories (AmsCheck *c, AmsScenario *sc)
{
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = sc->accounts->pdata[i];
      for (guint j = 0; j < a->ecr_repositories->len; j++)
        {
          const AmsScRepository *r = a->ecr_repositories->pdata[j];
          if (r->region.value != NULL)
            resolve (c, &r->region, FALSE, c->region_names);
        }
    }
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->target_repository == NULL || pl->account.value == NULL)
        continue;
      gboolean block = pl->recipe != NULL && pl->recipe->block;
      gboolean found = !block;
      for (guint j = 0; j < sc->accounts->len && !found; j++)
        {
          const AmsScAccount *a = sc->accounts->pdata[j];
          if (strcmp (a->id, pl->account.value) != 0)
            continue;
          for (guint k = 0; k < a->ecr_repositories->len && !found; k++)
            {
              const AmsScRepository *r = a->ecr_repositories->pdata[k];
              found = r->name == NULL /* invalid: reported already */
                      || (strcmp (r->name, pl->target_repository) == 0
                          && (r->region.value == NULL || pl->region.value == NULL
                              || strcmp (r->region.value, pl->region.value) == 0));
            }
        }
      if (!found)
        ams_check_error_at (c, &pl->loc,
                            "recipe.target_repository '%s' is not one of account %s's "
                            "ecr_repositories in %s; add it there",
                            pl->target_repository, pl->account.value,
                            pl->region.value != NULL ? pl->region.value : "its region");
      if (pl->distributions->len > 0)
        ams_check_error_at (c, &pl->loc,
                            "a container recipe (%s) sends its images to "
                            "its ECR repository; containerDistributionConfiguration is not "
                            "modelled, so remove the distribution",
                            block ? "recipe.target_repository" : "containerRecipeArn");
    }
}

static void
resolve_references (AmsCheck *c, AmsScenario *sc)
{
  GPtrArray *regions = c->region_names, *accounts = c->account_names;
  /* a targetAccountIds list an alias shares (an estate's accounts behind
   * every pipeline and region) is resolved at its first use only */
  g_autoptr (GHashTable) lists = g_hash_table_new (g_direct_hash, g_direct_equal);
  /* first: pipelines' recipes named by ARN, whose fields the rest reads */
  ams_schema_resolve_supply (c, sc);
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      resolve (c, &pl->account, TRUE, accounts);
      resolve (c, &pl->region, FALSE, regions);
      for (guint j = 0; j < pl->distributions->len; j++)
        {
          const AmsScDistRegion *dr = pl->distributions->pdata[j];
          resolve (c, &dr->region, FALSE, regions);
          if (g_hash_table_add (lists, dr->target_account_ids))
            for (guint k = 0; k < dr->target_account_ids->len; k++)
              resolve (c, &g_array_index (dr->target_account_ids, AmsScRef, k), TRUE, accounts);
          for (guint k = 0; k < dr->launch_templates->len; k++)
            resolve (c, &((const AmsScLaunchTemplate *) dr->launch_templates->pdata[k])->account,
                     TRUE, accounts);
        }
    }
  for (guint i = 0; i < sc->sim.limit_overrides->len; i++)
    {
      const AmsScLimitOverride *o = sc->sim.limit_overrides->pdata[i];
      resolve (c, &o->account, TRUE, accounts);
      resolve (c, &o->region, FALSE, regions);
    }
  ams_schema_resolve_world (c, sc);
  ams_schema_resolve_infrastructure (c, sc);
  ams_schema_resolve_sharing (c, sc);
  ams_schema_resolve_events (c, sc);
  ams_schema_resolve_lifecycle (c, sc);
  ams_schema_resolve_launches (c, sc);
  ams_schema_resolve_amis (c, sc);
  ams_schema_resolve_simulation (c, sc);
  resolve_repositories (c, sc);
}

void
ams_schema_check_scenario (AmsDiag *diag, const AmsYNode *root, AmsScenario *sc)
{
  AmsCheck c = {
    .diag = diag,
    .sc = sc,
    .path = g_string_new (NULL),
    .regions = g_hash_table_new (g_str_hash, g_str_equal),
    .accounts = g_hash_table_new (g_str_hash, g_str_equal),
    .pipelines = g_hash_table_new (g_str_hash, g_str_equal),
    .region_names = g_ptr_array_new (),
    .account_names = g_ptr_array_new (),
    .target_lists = g_hash_table_new (NULL, NULL),
  };

  if (root->kind != AMS_YNODE_MAPPING)
    ams_check_error (&c, root, "a scenario is a mapping of keys (amisim: 1, horizon: …), got %s",
                     ams_ynode_describe (root));
  else
    {
      /* Another format version: its other keys mean who knows what, so this
       * is the only problem worth reporting. */
      const AmsYNode *v = ams_ynode_lookup (root, "amisim");
      guint64 version = 0;
      gboolean numeric = v != NULL && v->kind == AMS_YNODE_SCALAR && !ams_ynode_is_string (v)
                         && v->len > 0 && v->len < 10;
      for (gsize i = 0; numeric && i < v->len; i++)
        numeric = g_ascii_isdigit (v->text[i]);
      if (numeric)
        version = g_ascii_strtoull (v->text, NULL, 10);
      if (numeric && version != 1)
        {
          ams_check_push_key (&c, "amisim");
          ams_check_error (&c, v, "unsupported format version %" G_GUINT64_FORMAT
                           "; this amisim reads version 1", version);
        }
      else
        {
          ams_check_mapping (&c, root, top_fields, AMS_MAP_IGNORE_X, sc);
          resolve_references (&c, sc);
        }
    }

  g_string_free (c.path, TRUE);
  g_hash_table_unref (c.regions);
  g_hash_table_unref (c.accounts);
  g_hash_table_unref (c.pipelines);
  g_hash_table_unref (c.target_lists);
  g_ptr_array_unref (c.region_names);
  g_ptr_array_unref (c.account_names);
}

const AmsSchemaTable *
ams_schema_top_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("", top_fields),
    AMS_SCHEMA_TABLE ("regions[]", region_fields),
    AMS_SCHEMA_TABLE ("accounts[]", account_fields),
    { NULL },
  };
  return tables;
}
