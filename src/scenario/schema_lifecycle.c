/* amisim — scenario loader: lifecycle_policies[], each a verbatim
 * CreateLifecyclePolicy request (name, description, status, executionRole,
 * resourceType, policyDetails, resourceSelection, tags, clientToken) plus
 * `account` (the owner) and `region` (where the policy lives), validated
 * against the API's limits and DOMAIN.md §6. */
#include <string.h>

#include "schema.h"

#define MAX_RULES 3
#define MAX_RECIPES 50
#define MAX_SHARED_ACCOUNTS 1536
#define MAX_POLICIES_PER_REGION 50 /* Image Builder quota per account and region */

static const char *const action_names[] = { "DEPRECATE", "DISABLE", "DELETE" };
static const char *const filter_names[] = { "AGE", "COUNT" };
static const char *const unit_names[] = { "DAYS", "WEEKS", "MONTHS", "YEARS" };
static const char *const type_names[] = { "AMI_IMAGE", "CONTAINER_IMAGE" };
static const char *const status_names[] = { "ENABLED", "DISABLED" };

gboolean
ams_sc_semver_matches (const char *pattern, const char *version)
{
  g_auto (GStrv) p = g_strsplit (pattern, ".", 3);
  g_auto (GStrv) v = g_strsplit (version, ".", 3);
  if (g_strv_length (p) != 3 || g_strv_length (v) != 3)
    return FALSE;
  for (guint i = 0; i < 3; i++)
    if (strcmp (p[i], "x") != 0 && g_ascii_strtoull (p[i], NULL, 10)
                                     != g_ascii_strtoull (v[i], NULL, 10))
      return FALSE;
  return TRUE;
}

gboolean
ams_sc_lifecycle_selects (const AmsScLifecyclePolicy *lp, const AmsScPipeline *pl)
{
  return ams_sc_lifecycle_selects_version (lp, pl, pl->recipe_version);
}

gboolean
ams_sc_lifecycle_selects_version (const AmsScLifecyclePolicy *lp, const AmsScPipeline *pl,
                                  const char *semver)
{
  if (strcmp (lp->account.value, pl->account.value) != 0
      || strcmp (lp->region.value, pl->region.value) != 0
      || lp->containers != (pl->target_repository != NULL))
    return FALSE;
  for (guint i = 0; i < lp->recipes->len; i++)
    {
      const AmsScLcRecipe *r = &g_array_index (lp->recipes, AmsScLcRecipe, i);
      if (strcmp (r->name, pl->recipe_name) == 0
          && ams_sc_semver_matches (r->semantic_version, semver))
        return TRUE;
    }
  for (guint i = 0; i < lp->selection_tags->len; i++)
    {
      const AmsScTag *want = &g_array_index (lp->selection_tags, AmsScTag, i);
      for (guint j = 0; j < pl->image_tags->len; j++)
        {
          const AmsScTag *have = &g_array_index (pl->image_tags, AmsScTag, j);
          if (strcmp (have->key, want->key) == 0 && strcmp (have->value, want->value) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

int
ams_sc_semver_compare (const char *a, const char *b)
{
  g_auto (GStrv) x = g_strsplit (a, ".", 3);
  g_auto (GStrv) y = g_strsplit (b, ".", 3);
  for (guint i = 0; i < 3 && x[i] != NULL && y[i] != NULL; i++)
    {
      guint64 u = g_ascii_strtoull (x[i], NULL, 10), v = g_ascii_strtoull (y[i], NULL, 10);
      if (u != v)
        return u < v ? -1 : 1;
    }
  return 0;
}

/* Image Builder writes a resource's name in its ARN in lower case, with
 * hyphens for spaces. */
char *
ams_sc_arn_name (const char *name)
{
  char *s = g_ascii_strdown (name, -1);
  for (char *p = s; *p != '\0'; p++)
    if (*p == ' ')
      *p = '-';
  return s;
}

/* TRUE if map.key.sub is one of `names` (read without reporting: its own
 * handler reports it; rules across keys check only what is valid). */
static gboolean
valid_enum (const AmsYNode *map, const char *key, const char *sub, const char *const *names,
            guint n)
{
  const AmsYNode *v = map != NULL && map->kind == AMS_YNODE_MAPPING ? ams_ynode_lookup (map, key)
                                                                     : NULL;
  if (v != NULL && v->kind == AMS_YNODE_MAPPING)
    v = ams_ynode_lookup (v, sub);
  else
    v = NULL;
  if (v == NULL || v->kind != AMS_YNODE_SCALAR)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (strcmp (v->text, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
rule_free (gpointer p)
{
  AmsScLcRule *r = p;
  g_array_unref (r->exclude_tags);
  g_array_unref (r->exclude_regions);
  g_array_unref (r->exclude_shared_accounts);
  g_array_unref (r->exclude_ami_tags);
  g_free (r);
}

void
ams_sc_lifecycle_policy_free (gpointer p)
{
  AmsScLifecyclePolicy *lp = p;
  g_ptr_array_unref (lp->rules);
  g_array_unref (lp->recipes);
  g_array_unref (lp->selection_tags);
  g_free (lp);
}

static gboolean
get_unit (AmsCheck *c, const AmsYNode *value, AmsLcUnit *out)
{
  guint i;
  if (!ams_get_enum (c, value, unit_names, G_N_ELEMENTS (unit_names), &i))
    return FALSE;
  *out = i;
  return TRUE;
}

/* ---- policyDetails[i] ---- */

typedef struct
{
  AmsScLcRule *rule;
  const AmsYNode *retain;   /* as written, for the rules across keys */
  const AmsYNode *unit;
} Rule;

static void
include_bool (AmsCheck *c, const AmsYNode *value, gboolean *out)
{
  ams_get_bool (c, value, out);
}

static void
inc_amis (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  include_bool (c, value, &((Rule *) target)->rule->include_amis);
}

static void
inc_snapshots (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  include_bool (c, value, &((Rule *) target)->rule->include_snapshots);
}

static void
inc_containers (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  include_bool (c, value, &((Rule *) target)->rule->include_containers);
}

static const AmsField include_fields[] = {
  { "amis", inc_amis, 0, NULL },
  { "snapshots", inc_snapshots, 0, NULL },
  { "containers", inc_containers, 0, NULL },
  { NULL },
};

static void
action_type (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint i;
  if (ams_get_enum (c, value, action_names, G_N_ELEMENTS (action_names), &i))
    ((Rule *) target)->rule->action = i;
}

static void
action_include (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, include_fields, 0, target);
}

static const AmsField action_fields[] = {
  { "type", action_type, AMS_FIELD_REQUIRED, "DEPRECATE, DISABLE or DELETE" },
  { "includeResources", action_include, 0, NULL },
  { NULL },
};

static void
filter_type (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint i;
  if (ams_get_enum (c, value, filter_names, G_N_ELEMENTS (filter_names), &i))
    ((Rule *) target)->rule->filter = i;
}

static void
filter_value (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 1000, &v))
    ((Rule *) target)->rule->value = (guint) v;
}

static void
filter_unit (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Rule *r = target;
  get_unit (c, value, &r->rule->unit);
  r->unit = value;
}

static void
filter_retain (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Rule *r = target;
  guint64 v;
  r->retain = value;
  if (ams_get_uint (c, value, 1, 10, &v))
    r->rule->retain_at_least = (guint) v;
}

static const AmsField filter_fields[] = {
  { "type", filter_type, AMS_FIELD_REQUIRED, "AGE or COUNT" },
  { "value", filter_value, AMS_FIELD_REQUIRED, "images to keep (COUNT) or age in units (AGE)" },
  { "unit", filter_unit, 0, NULL },
  { "retainAtLeast", filter_retain, 0, NULL },
  { NULL },
};

static void
ll_value (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 365, &v))
    ((Rule *) target)->rule->last_launched_value = (guint) v;
}

static void
ll_unit (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  get_unit (c, value, &((Rule *) target)->rule->last_launched_unit);
}

static const AmsField last_launched_fields[] = {
  { "value", ll_value, AMS_FIELD_REQUIRED, "1 to 365" },
  { "unit", ll_unit, AMS_FIELD_REQUIRED, "DAYS, WEEKS, MONTHS or YEARS" },
  { NULL },
};

static void
amis_public (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((Rule *) target)->rule->exclude_public);
}

static void
amis_regions (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref_list (c, value, AMS_PAT_REGION, 0, 0, TRUE,
                    ((Rule *) target)->rule->exclude_regions);
}

static void
amis_shared (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref_list (c, value, AMS_PAT_ACCOUNT_ID, 1, MAX_SHARED_ACCOUNTS, TRUE,
                    ((Rule *) target)->rule->exclude_shared_accounts);
}

static void
amis_last_launched (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, last_launched_fields, 0, target);
}

static void
amis_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_tags (c, value, 1, ((Rule *) target)->rule->exclude_ami_tags);
}

static const AmsField amis_fields[] = {
  { "isPublic", amis_public, 0, NULL },
  { "regions", amis_regions, 0, NULL },
  { "sharedAccounts", amis_shared, 0, NULL },
  { "lastLaunched", amis_last_launched, 0, NULL },
  { "tagMap", amis_tags, 0, NULL },
  { NULL },
};

static void
exclusion_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_tags (c, value, 1, ((Rule *) target)->rule->exclude_tags);
}

static void
exclusion_amis (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, amis_fields, 0, target);
}

static const AmsField exclusion_fields[] = {
  { "tagMap", exclusion_tags, 0, NULL },
  { "amis", exclusion_amis, 0, NULL },
  { NULL },
};

static void
rule_action (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, action_fields, 0, target);
}

static void
rule_filter (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, filter_fields, 0, target);
}

static void
rule_exclusions (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, exclusion_fields, 0, target);
}

static const AmsField rule_fields[] = {
  { "action", rule_action, AMS_FIELD_REQUIRED, "action: {type: DELETE}" },
  { "filter", rule_filter, AMS_FIELD_REQUIRED, "filter: {type: COUNT, value: 5}" },
  { "exclusionRules", rule_exclusions, 0, NULL },
  { NULL },
};

static void
rule_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScLifecyclePolicy *lp = target;
  AmsScLcRule *rule = g_new0 (AmsScLcRule, 1);
  rule->exclude_tags = ams_check_tags_new ();
  rule->exclude_regions = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  rule->exclude_shared_accounts = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  rule->exclude_ami_tags = ams_check_tags_new ();
  ams_check_loc (c, item, &rule->loc);
  g_ptr_array_add (lp->rules, rule);
  Rule r = { .rule = rule };
  if (!ams_check_mapping (c, item, rule_fields, 0, &r))
    return;
  if (!valid_enum (item, "filter", "type", filter_names, G_N_ELEMENTS (filter_names)))
    return;
  const AmsYNode *filter = ams_ynode_lookup (item, "filter");
  gsize mark = ams_check_push_key (c, "filter");
  if (rule->filter == AMS_LC_AGE && r.unit == NULL)
    ams_check_error (c, filter, "an AGE filter needs a unit (DAYS, WEEKS, MONTHS or YEARS)");
  if (rule->filter == AMS_LC_COUNT && r.unit != NULL)
    {
      gsize m = ams_check_push_key (c, "unit");
      ams_check_error (c, r.unit, "a COUNT filter counts images; unit goes with AGE filters");
      ams_check_pop (c, m);
    }
  if (r.retain != NULL
      && valid_enum (item, "action", "type", action_names, G_N_ELEMENTS (action_names))
      && (rule->filter != AMS_LC_AGE || rule->action != AMS_LC_DELETE))
    {
      gsize m = ams_check_push_key (c, "retainAtLeast");
      ams_check_error (c, r.retain, "retainAtLeast goes only with an AGE filter of a DELETE "
                                    "action");
      ams_check_pop (c, m);
    }
  ams_check_pop (c, mark);
}

/* ---- resourceSelection ---- */

static void
recipe_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &((AmsScLcRecipe *) target)->name);
}

static void
recipe_version (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  if (!ams_get_scalar (c, value, "a semantic version like 1.x.x", &text))
    return;
  g_auto (GStrv) parts = g_strsplit (text, ".", -1);
  gboolean ok = g_strv_length (parts) == 3;
  gboolean wild = FALSE;
  for (guint i = 0; ok && i < 3; i++)
    {
      const char *s = parts[i];
      if (strcmp (s, "x") == 0)
        wild = TRUE;
      else
        {
          ok = s[0] != '\0' && !wild;
          for (const char *q = s; ok && *q; q++)
            ok = g_ascii_isdigit (*q);
        }
    }
  if (!ok)
    {
      ams_check_error (c, value,
                       "expected a semantic version major.minor.patch, each a number or x, "
                       "with every part after the first x also x (1.x.x, 2.3.x), got \"%s\"",
                       text);
      return;
    }
  ((AmsScLcRecipe *) target)->semantic_version = ams_check_intern (c, text);
}

static const AmsField recipe_fields[] = {
  { "name", recipe_name, AMS_FIELD_REQUIRED, "the recipe's name" },
  { "semanticVersion", recipe_version, AMS_FIELD_REQUIRED,
    "versions it selects, with x wildcards: semanticVersion: 1.x.x" },
  { NULL },
};

static void
recipe_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScLcRecipe r = { 0 };
  if (ams_check_mapping (c, item, recipe_fields, 0, &r) && r.name != NULL
      && r.semantic_version != NULL)
    g_array_append_val ((GArray *) target, r);
}

static void
selection_recipes (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScLifecyclePolicy *lp = target;
  if (value->kind == AMS_YNODE_SEQUENCE
      && (value->items->len == 0 || value->items->len > MAX_RECIPES))
    {
      ams_check_error (c, value, "expected 1 to %d recipes, got %u", MAX_RECIPES,
                       value->items->len);
      return;
    }
  ams_check_sequence (c, value, recipe_item, lp->recipes);
}

static void
selection_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_tags (c, value, 1, ((AmsScLifecyclePolicy *) target)->selection_tags);
}

static const AmsField selection_fields[] = {
  { "recipes", selection_recipes, 0, NULL },
  { "tagMap", selection_tags, 0, NULL },
  { NULL },
};

/* ---- the policy ---- */

static void
lp_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScLifecyclePolicy *lp = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &lp->account);
}

static void
lp_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScLifecyclePolicy *lp = target;
  ams_get_ref (c, value, AMS_PAT_REGION, &lp->region);
}

static void
lp_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &((AmsScLifecyclePolicy *) target)->name);
}

static void
lp_description (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_text (c, value, 1, 1024, &((AmsScLifecyclePolicy *) target)->description);
}

static void
lp_status (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint i;
  if (ams_get_enum (c, value, status_names, G_N_ELEMENTS (status_names), &i))
    ((AmsScLifecyclePolicy *) target)->enabled = i == 0;
}

static void
lp_role (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  if (!ams_get_string (c, value, 1, 2048, &text))
    return;
  /* ^(?:arn:aws(?:-[a-z]+)*:iam::[0-9]{12}:role/)?[a-zA-Z_0-9+=,.@\-_/]+$ */
  const char *name = text;
  gboolean ok = TRUE;
  if (g_str_has_prefix (text, "arn:"))
    {
      const char *role = strstr (text, ":role/");
      const char *acct = strstr (text, ":iam::");
      ok = g_str_has_prefix (text, "arn:aws") && role != NULL && acct != NULL
           && role - (acct + 6) == 12;
      for (const char *q = acct != NULL ? acct + 6 : text; ok && q < role; q++)
        ok = g_ascii_isdigit (*q);
      name = ok ? role + 6 : name;
    }
  for (const char *q = name; ok && *q; q++)
    ok = g_ascii_isalnum (*q) || strchr ("_+=,.@-/", *q) != NULL;
  if (!ok || *name == '\0')
    {
      ams_check_error (c, value, "expected a role name or arn:aws:iam::<12 digits>:role/NAME, "
                                 "got \"%s\"", text);
      return;
    }
  ((AmsScLifecyclePolicy *) target)->execution_role = text;
}

static void
lp_type (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint i;
  if (ams_get_enum (c, value, type_names, G_N_ELEMENTS (type_names), &i))
    ((AmsScLifecyclePolicy *) target)->containers = i == 1;
}

static void
lp_rules (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE
      && (value->items->len == 0 || value->items->len > MAX_RULES))
    {
      ams_check_error (c, value, "expected 1 to %d rules, got %u", MAX_RULES, value->items->len);
      return;
    }
  ams_check_sequence (c, value, rule_item, target);
}

static void
lp_selection (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (!ams_check_mapping (c, value, selection_fields, 0, target))
    return;
  const AmsYNode *recipes = ams_ynode_lookup (value, "recipes");
  const AmsYNode *tags = ams_ynode_lookup (value, "tagMap");
  gboolean has_recipes = recipes != NULL && !ams_ynode_is_null (recipes);
  gboolean has_tags = tags != NULL && !ams_ynode_is_null (tags);
  if (!has_recipes && !has_tags)
    ams_check_error (c, value, "select images by recipes or by tagMap");
  else if (has_recipes && has_tags)
    ams_check_error (c, value, "select images by recipes or by tagMap, not both");
}

static void
lp_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  g_autoptr (GArray) ignored = ams_check_tags_new ();
  ams_get_tags (c, value, 1, ignored);
}

static void
lp_client_token (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  ams_get_string (c, value, 1, 64, &text);
}

static const AmsField policy_fields[] = {
  { "account", lp_account, AMS_FIELD_REQUIRED, "the owner account, e.g. account: \"111111111111\"" },
  { "region", lp_region, 0, NULL },
  { "name", lp_name, AMS_FIELD_REQUIRED, "the policy's name" },
  { "description", lp_description, 0, NULL },
  { "status", lp_status, 0, NULL },
  { "executionRole", lp_role, AMS_FIELD_REQUIRED,
    "the role Image Builder runs the policy with, e.g. "
    "EC2ImageBuilderLifecycleExecutionRole" },
  { "resourceType", lp_type, AMS_FIELD_REQUIRED, "AMI_IMAGE or CONTAINER_IMAGE" },
  { "policyDetails", lp_rules, AMS_FIELD_REQUIRED, "1 to 3 rules" },
  { "resourceSelection", lp_selection, AMS_FIELD_REQUIRED,
    "resourceSelection: {recipes: [{name: NAME, semanticVersion: 1.x.x}]}" },
  { "tags", lp_tags, 0, NULL },
  { "clientToken", lp_client_token, 0, NULL },
  { NULL },
};

/* Rules that depend on more than one key of the policy. */
static void
check_policy (AmsCheck *c, const AmsYNode *item, AmsScLifecyclePolicy *lp)
{
  const AmsYNode *details = ams_ynode_lookup (item, "policyDetails");
  if (details == NULL || details->kind != AMS_YNODE_SEQUENCE)
    return;
  gsize mark = ams_check_push_key (c, "policyDetails");
  const AmsScLcRule *seen[G_N_ELEMENTS (action_names)] = { NULL };
  for (guint i = 0; i < lp->rules->len && i < details->items->len; i++)
    {
      const AmsScLcRule *r = lp->rules->pdata[i];
      const AmsYNode *node = details->items->pdata[i];
      if (node->kind != AMS_YNODE_MAPPING)
        continue; /* reported already */
      gsize m = ams_check_push_index (c, i);
      /* an action type that is not valid was reported by its own key */
      gboolean typed = valid_enum (node, "action", "type", action_names,
                                   G_N_ELEMENTS (action_names));
      if (typed && seen[r->action] != NULL)
        ams_check_error (c, node, "a second %s rule (the first at %u:%u); each action "
                                  "appears once", action_names[r->action], seen[r->action]->loc.line,
                         seen[r->action]->loc.col);
      else if (typed)
        seen[r->action] = r;
      if (typed && r->action != AMS_LC_DELETE && (r->include_snapshots || r->include_containers))
        ams_check_error (c, node, "a %s rule can include AMIs only; snapshots and containers "
                                  "go with DELETE", action_names[r->action]);
      if (r->include_snapshots && !r->include_amis)
        ams_check_error (c, node, "includeResources snapshots goes only together with amis");
      if (typed && lp->containers && r->action != AMS_LC_DELETE)
        ams_check_error (c, node, "%s rules are not available for container images",
                         action_names[r->action]);
      if (lp->containers && (r->include_amis || r->include_snapshots))
        ams_check_error (c, node, "includeResources amis and snapshots go with "
                                  "resourceType AMI_IMAGE, not CONTAINER_IMAGE");
      if (!lp->containers && r->include_containers)
        ams_check_error (c, node, "includeResources containers goes with resourceType "
                                  "CONTAINER_IMAGE, not AMI_IMAGE");
      const AmsYNode *ex = ams_ynode_lookup (node, "exclusionRules");
      if (lp->containers && ex != NULL && ex->kind == AMS_YNODE_MAPPING
          && ams_ynode_lookup (ex, "amis") != NULL)
        ams_check_error (c, node, "exclusionRules.amis goes with resourceType AMI_IMAGE, not "
                                  "CONTAINER_IMAGE");
      ams_check_pop (c, m);
    }
  ams_check_pop (c, mark);
}

void
ams_schema_lifecycle_policy (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScLifecyclePolicy *lp = g_new0 (AmsScLifecyclePolicy, 1);
  lp->enabled = TRUE;
  lp->rules = g_ptr_array_new_with_free_func (rule_free);
  lp->recipes = g_array_new (FALSE, TRUE, sizeof (AmsScLcRecipe));
  lp->selection_tags = ams_check_tags_new ();
  ams_check_loc (c, item, &lp->loc);
  g_ptr_array_add (sc->lifecycle_policies, lp);
  if (ams_check_mapping (c, item, policy_fields, 0, lp))
    check_policy (c, item, lp);
}

/* Once everything is read: references, the default region, unique names
 * and the quota of policies per account and region. */
void
ams_schema_resolve_lifecycle (AmsCheck *c, AmsScenario *sc)
{
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sc->lifecycle_policies->len; i++)
    {
      AmsScLifecyclePolicy *lp = sc->lifecycle_policies->pdata[i];
      ams_schema_resolve_account (c, &lp->account);
      ams_schema_resolve_region (c, &lp->region);
      if (lp->region.value == NULL && sc->regions->len > 0)
        lp->region.value = ((const AmsScRegion *) sc->regions->pdata[0])->name;
      for (guint j = 0; j < lp->rules->len; j++)
        {
          const AmsScLcRule *r = lp->rules->pdata[j];
          for (guint k = 0; k < r->exclude_regions->len; k++)
            ams_schema_resolve_region (c, &g_array_index (r->exclude_regions, AmsScRef, k));
        }
      if (lp->account.value == NULL || lp->region.value == NULL || lp->name == NULL)
        continue;
      char *where = g_strdup_printf ("%s/%s", lp->account.value, lp->region.value);
      char *key = g_strdup_printf ("%s/%s", where, lp->name);
      const AmsScLifecyclePolicy *first = g_hash_table_lookup (names, key);
      if (first != NULL)
        {
          ams_check_error_at (c, &lp->loc, "a second lifecycle policy '%s' in account %s, %s "
                                           "(the first at %u:%u)", lp->name, lp->account.value,
                              lp->region.value, first->loc.line, first->loc.col);
          g_free (key);
        }
      else
        g_hash_table_insert (names, key, lp);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, where)) + 1;
      if (n == MAX_POLICIES_PER_REGION + 1)
        ams_check_error_at (c, &lp->loc, "more than %d lifecycle policies in account %s, %s "
                                         "(the Image Builder quota)", MAX_POLICIES_PER_REGION,
                            lp->account.value, lp->region.value);
      g_hash_table_replace (counts, where, GUINT_TO_POINTER (n));
    }
}

const AmsSchemaTable *
ams_schema_lifecycle_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("lifecycle_policies[]", policy_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[]", rule_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[].action", action_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[].action.includeResources",
                      include_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[].filter", filter_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[].exclusionRules", exclusion_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[].exclusionRules.amis", amis_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].policyDetails[].exclusionRules.amis.lastLaunched",
                      last_launched_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].resourceSelection", selection_fields),
    AMS_SCHEMA_TABLE ("lifecycle_policies[].resourceSelection.recipes[]", recipe_fields),
    { NULL },
  };
  return tables;
}
