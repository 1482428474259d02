/* amisim — scenario loader: pipelines[].
 *
 * A pipeline is started by its `schedule` (the Image Builder schedule
 * object, pasted verbatim: scheduleExpression cron(…) or rate(N unit)), by
 * stochastic `arrivals` (poisson(rate=R), a what-if), or only by hand when
 * it has neither. The build and test durations are not published by AWS;
 * the defaults (lognormal(mean=45m, sd=10m) and fixed(15m)) follow what
 * users report, "about an hour for build and test".
 */
#include <string.h>

#include "schema.h"
#include "units.h"

typedef struct
{
  AmsScPipeline *pl;
  const AmsYNode *schedule_key;
  const AmsYNode *arrivals_key;
} Pipeline;

void
ams_sc_dist_region_free (gpointer p)
{
  AmsScDistRegion *dr = p;
  g_array_unref (dr->target_account_ids);
  g_array_unref (dr->lp_user_ids);
  g_array_unref (dr->lp_org_arns);
  g_array_unref (dr->lp_ou_arns);
  g_ptr_array_unref (dr->launch_templates);
  g_ptr_array_unref (dr->ssm_parameters);
  g_array_unref (dr->ami_tags);
  g_free (dr);
}

AmsScPipeline *
ams_sc_pipeline_new (void)
{
  AmsScPipeline *pl = g_new0 (AmsScPipeline, 1);
  const double build[2] = { 45 * 60.0, 10 * 60.0 };
  if (!ams_dist_set (&pl->build_time, AMS_DIST_LOGNORMAL, build, 2, NULL))
    g_assert_not_reached ();
  ams_dist_set_fixed (&pl->test_time, 15 * 60.0);
  pl->trigger = AMS_SC_TRIGGER_MANUAL;
  pl->snapshot_size = G_GUINT64_CONSTANT (8) << 30; /* 8 GiB, the usual root volume */
  pl->start_condition = AMS_SC_START_DEPENDENCY_UPDATES;
  pl->distributions = g_ptr_array_new_with_free_func (ams_sc_dist_region_free);
  pl->image_tags = ams_check_tags_new ();
  return pl;
}

void
ams_sc_pipeline_free (gpointer p)
{
  AmsScPipeline *pl = p;
  if (pl == NULL)
    return;
  ams_dist_clear (&pl->build_time);
  ams_dist_clear (&pl->test_time);
  ams_cron_free (pl->cron);
  if (pl->recipe != NULL && pl->recipe->block)
    ams_sc_recipe_free (pl->recipe);
  g_ptr_array_unref (pl->distributions);
  g_array_unref (pl->image_tags);
  g_free (pl);
}

/* ---- schedule ---- */

/* rate(N unit): unit minute(s), hour(s) or day(s); singular for N = 1 and
 * plural otherwise, as AWS requires. */
static void
parse_rate_expression (AmsCheck *c, const AmsYNode *n, AmsScPipeline *pl)
{
  const char *text = n->text;
  if (g_str_has_prefix (text, "cron("))
    {
      g_autoptr (GError) e = NULL;
      AmsCron *cron = ams_cron_parse (text, &e);
      if (cron == NULL)
        {
          ams_check_error (c, n, "%s", e->message);
          return;
        }
      ams_cron_free (pl->cron);
      pl->cron = cron;
      pl->trigger = AMS_SC_TRIGGER_CRON;
      pl->schedule_expression = ams_check_intern (c, text);
      return;
    }
  g_autofree char *name = NULL, *args = NULL;
  if (!g_str_has_prefix (text, "rate(") || !ams_split_call (text, &name, &args, NULL))
    {
      ams_check_error (c, n, "expected cron(…) or rate(N unit), such as cron(0 2 * * ? *) or "
                             "rate(1 day), got \"%s\"", text);
      return;
    }
  g_auto (GStrv) parts = g_strsplit_set (args, " \t", -1);
  const char *number = NULL, *unit = NULL;
  guint words = 0;
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      {
        if (words == 0)
          number = parts[i];
        else if (words == 1)
          unit = parts[i];
        words++;
      }
  gboolean digits = number != NULL && strlen (number) < 10;
  for (const char *p = number; digits && *p != '\0'; p++)
    digits = g_ascii_isdigit (*p);
  if (words != 2 || !digits)
    {
      ams_check_error (c, n, "expected rate(N unit) with N a whole number, such as "
                             "rate(1 day) or rate(12 hours), got \"%s\"", text);
      return;
    }
  guint64 value = g_ascii_strtoull (number, NULL, 10);
  if (value < 1)
    {
      ams_check_error (c, n, "the rate value must be at least 1, got \"%s\"", text);
      return;
    }
  static const struct
  {
    const char *singular, *plural;
    AmsTime period;
  } units[] = {
    { "minute", "minutes", AMS_MINUTES (1) },
    { "hour", "hours", AMS_HOURS (1) },
    { "day", "days", AMS_DAYS (1) },
  };
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      gboolean singular = strcmp (unit, units[i].singular) == 0;
      if (!singular && strcmp (unit, units[i].plural) != 0)
        continue;
      if (value == 1 && !singular)
        ams_check_error (c, n, "use the singular for 1, as in rate(1 %s), got \"%s\"",
                         units[i].singular, text);
      else if (value != 1 && singular)
        ams_check_error (c, n, "use the plural for more than 1, as in rate(%" G_GUINT64_FORMAT
                               " %s), got \"%s\"", value, units[i].plural, text);
      else if (value > (guint64) (G_MAXINT64 / units[i].period))
        ams_check_error (c, n, "the period of \"%s\" is too long (at most 106751991 days)",
                         text);
      else
        {
          pl->trigger = AMS_SC_TRIGGER_RATE;
          pl->schedule_expression = ams_check_intern (c, text);
          pl->rate_period = (AmsTime) value * units[i].period;
        }
      return;
    }
  ams_check_error (c, n, "unknown unit '%s' in \"%s\"; use minute(s), hour(s) or day(s)", unit,
                   text);
}

static void
schedule_expression (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  const char *text;
  if (ams_get_scalar (c, value, "cron(…) or rate(N unit), such as cron(0 2 * * ? *)", &text))
    parse_rate_expression (c, value, p->pl);
}

static void
schedule_start_condition (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                          gpointer target)
{
  Pipeline *p = target;
  static const char *const names[] = {
    "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE",
    "EXPRESSION_MATCH_ONLY",
  };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    p->pl->start_condition = i == 0 ? AMS_SC_START_DEPENDENCY_UPDATES
                                    : AMS_SC_START_EXPRESSION_MATCH;
}

static void
schedule_timezone (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  const char *tz;
  if (!ams_get_pattern (c, value, AMS_PAT_TIMEZONE, &tz) || !ams_get_string (c, value, 3, 100, &tz))
    return;
  GTimeZone *zone = g_time_zone_new_identifier (tz);
  if (zone == NULL)
    {
      ams_check_error (c, value, "unknown time zone \"%s\"; expected %s", tz,
                       ams_pattern_describe (AMS_PAT_TIMEZONE));
      return;
    }
  g_time_zone_unref (zone);
  p->pl->timezone = tz;
}

static void
auto_disable_count (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 10, &v))
    ((Pipeline *) target)->pl->auto_disable_failures = (guint) v;
}

static const AmsField auto_disable_fields[] = {
  { "failureCount", auto_disable_count, AMS_FIELD_REQUIRED,
    "consecutive scheduled failures before the pipeline is disabled, 1 to 10" },
  { NULL },
};

static void
schedule_auto_disable (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, auto_disable_fields, 0, target);
}

static const AmsField schedule_fields[] = {
  { "scheduleExpression", schedule_expression, AMS_FIELD_REQUIRED,
    "when to build, e.g. scheduleExpression: rate(1 day)" },
  { "pipelineExecutionStartCondition", schedule_start_condition, 0, NULL },
  { "timezone", schedule_timezone, 0, NULL },
  { "autoDisablePolicy", schedule_auto_disable, 0, NULL },
  { NULL },
};

/* ---- pipeline keys ---- */

static void
pipeline_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  const char *text;
  if (!ams_get_scalar (c, value, ams_pattern_describe (AMS_PAT_RESOURCE_NAME), &text))
    return;
  const AmsYNode *first = g_hash_table_lookup (c->pipelines, text);
  if (first != NULL)
    {
      ams_check_error (c, value, "duplicate pipeline '%s' (first at %u:%u)", text, first->line,
                       first->col);
      return;
    }
  g_hash_table_insert (c->pipelines, (gpointer) text, (gpointer) value);
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &p->pl->name);
}

static void
get_ref (AmsCheck *c, const AmsYNode *value, const char *expected, AmsScRef *ref)
{
  const char *text;
  if (!ams_get_scalar (c, value, expected, &text))
    return;
  ref->value = ams_check_intern (c, text);
  ams_check_loc (c, value, &ref->loc);
}

static void
pipeline_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  get_ref (c, value, "the id of an account defined in accounts", &p->pl->account);
}

static void
pipeline_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  get_ref (c, value, "the name of a region defined in regions", &p->pl->region);
}

static void
pipeline_schedule (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  p->schedule_key = key;
  ams_check_mapping (c, value, schedule_fields, 0, p);
}

static void
pipeline_arrivals (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  p->arrivals_key = key;
  const char *text;
  if (!ams_get_scalar (c, value, "an arrival process like poisson(rate=45/m)", &text))
    return;
  g_autofree char *name = NULL, *args = NULL;
  if (strchr (text, '(') == NULL || !ams_split_call (text, &name, &args, NULL))
    {
      ams_check_error (c, value, "expected an arrival process like poisson(rate=45/m), got \"%s\"",
                       text);
      return;
    }
  static const AmsCallSpec poisson = { "poisson", { "rate", NULL }, 1, "poisson(rate=45/m)" };
  if (strcmp (name, "poisson") != 0)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "unknown arrival process '%s'", name);
      ams_append_suggestion (msg, name, &poisson.name, 1, 1, NULL);
      ams_check_error (c, value, "%s", msg->str);
      return;
    }
  char *values[2] = { NULL, NULL };
  GError *e = NULL;
  double rate;
  if (!ams_parse_named_args (args, &poisson, values, &e))
    {
      ams_check_error (c, value, "%s", e->message);
      g_error_free (e);
      return;
    }
  if (!ams_parse_rate (values[0], &rate, &e))
    {
      ams_check_error (c, value, "poisson rate: %s", e->message);
      g_error_free (e);
    }
  else
    {
      p->pl->trigger = AMS_SC_TRIGGER_POISSON;
      p->pl->arrival_rate = rate;
    }
  g_free (values[0]);
}

/* ---- the recipe block (the keys it shares with recipes[] are schema_supply.c's) ---- */

static void
recipe_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 1, 128, &((AmsScRecipe *) target)->name);
}

static void
recipe_version (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_semver (c, value, &((AmsScRecipe *) target)->version);
}

static void
recipe_target_repository (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                          gpointer target)
{
  ams_get_string (c, value, 2, 256, &((AmsScRecipe *) target)->target_repository);
}

static const AmsField recipe_fields[] = {
  { "name", recipe_name, AMS_FIELD_REQUIRED, "the recipe's name, e.g. name: al2023-base" },
  { "version", recipe_version, AMS_FIELD_REQUIRED,
    "the recipe's semantic version, e.g. version: 1.0.0" },
  { "parentImage", ams_schema_recipe_parent_image, 0, NULL },
  { "components", ams_schema_recipe_components, 0, NULL },
  { "snapshot_size", ams_schema_recipe_snapshot_size, 0, NULL },
  { "encrypted", ams_schema_recipe_encrypted, 0, NULL },
  { "kms_key", ams_schema_recipe_kms_key, 0, NULL },
  { "virtualization", ams_schema_recipe_virtualization, 0, NULL },
  { "target_repository", recipe_target_repository, 0, NULL },
  { NULL },
};

static void
pipeline_recipe (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  if (p->pl->recipe != NULL && p->pl->recipe->block)
    ams_sc_recipe_free (p->pl->recipe);
  AmsScRecipe *r = p->pl->recipe = ams_sc_recipe_new ();
  r->block = TRUE;
  ams_check_loc (c, value, &r->loc);
  /* a block with a target repository is a container recipe (its parentImage
   * may be any container image) */
  const AmsYNode *repo = value->kind == AMS_YNODE_MAPPING
                           ? ams_ynode_lookup (value, "target_repository") : NULL;
  r->container = repo != NULL && !ams_ynode_is_null (repo);
  if (ams_check_mapping (c, value, recipe_fields, 0, r))
    ams_schema_recipe_check (c, value, r);
}

static const AmsArnSpec image_recipe_ref = {
  { 0, 0, AMS_ARN_VERSION | AMS_ARN_PATTERN, 0 }, NULL, NULL,
};
static const AmsArnSpec container_recipe_ref = {
  { 0, 0, 0, AMS_ARN_VERSION | AMS_ARN_PATTERN }, NULL, NULL,
};

static void
pipeline_image_recipe_arn (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                           gpointer target)
{
  Pipeline *p = target;
  ams_get_ib_arn (c, value, &image_recipe_ref, &p->pl->recipe_ref);
}

static void
pipeline_container_recipe_arn (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                               gpointer target)
{
  Pipeline *p = target;
  ams_get_ib_arn (c, value, &container_recipe_ref, &p->pl->recipe_ref);
}

static void
pipeline_infrastructure (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_schema_pipeline_infrastructure (c, value, &((Pipeline *) target)->pl->infrastructure_ref);
}

static void
pipeline_build_time (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  ams_get_dist (c, value, &p->pl->build_time);
}

static void
pipeline_test_time (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  ams_get_dist (c, value, &p->pl->test_time);
}

static void
pipeline_distribution (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Pipeline *p = target;
  ams_schema_distribution (c, value, p->pl);
}

static void
pipeline_failure (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_probability (c, value, &((Pipeline *) target)->pl->failure_probability);
}

static void
pipeline_test_failure (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_probability (c, value, &((Pipeline *) target)->pl->test_failure_probability);
}

/* image_tags: the tags of the Image Builder images the pipeline makes, which
 * lifecycle policies select by (resourceSelection.tagMap) and exclude by
 * (exclusionRules.tagMap); AWS tag limits, an empty mapping is no tags. */
static void
pipeline_image_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_tags (c, value, 0, ((Pipeline *) target)->pl->image_tags);
}

static const AmsField pipeline_fields[] = {
  { "name", pipeline_name, AMS_FIELD_REQUIRED, "the pipeline's name, e.g. name: golden-al2023" },
  { "account", pipeline_account, AMS_FIELD_REQUIRED,
    "the owner account's id, e.g. account: \"111111111111\"" },
  { "region", pipeline_region, AMS_FIELD_REQUIRED, "the build region, e.g. region: us-east-1" },
  { "schedule", pipeline_schedule, 0, NULL },
  { "arrivals", pipeline_arrivals, 0, NULL },
  { "recipe", pipeline_recipe, 0, NULL },
  { "imageRecipeArn", pipeline_image_recipe_arn, 0, NULL },
  { "containerRecipeArn", pipeline_container_recipe_arn, 0, NULL },
  { "infrastructureConfigurationArn", pipeline_infrastructure, 0, NULL },
  { "build_time", pipeline_build_time, 0, NULL },
  { "test_time", pipeline_test_time, 0, NULL },
  { "distribution", pipeline_distribution, 0, NULL },
  { "failure_probability", pipeline_failure, 0, NULL },
  { "test_failure_probability", pipeline_test_failure, 0, NULL },
  { "image_tags", pipeline_image_tags, 0, NULL },
  { NULL },
};

/* A pipeline builds one recipe: its own block, or a recipes[] /
 * container_recipes[] entry by ARN. */
static void
check_recipe_source (AmsCheck *c, const AmsYNode *item)
{
  static const char *const keys[] = { "recipe", "imageRecipeArn", "containerRecipeArn" };
  static const char *const what = "a pipeline builds one recipe: recipe: {…}, imageRecipeArn "
                                  "or containerRecipeArn";
  const AmsYNode *first = NULL;
  for (guint i = 0; i < item->pairs->len; i++)
    {
      const AmsYPair *pair = &g_array_index (item->pairs, AmsYPair, i);
      const AmsYNode *k = pair->key;
      gboolean source = FALSE;
      for (guint j = 0; j < G_N_ELEMENTS (keys) && k->kind == AMS_YNODE_SCALAR; j++)
        source = source || strcmp (k->text, keys[j]) == 0;
      if (!source || ams_ynode_is_null (pair->value))
        continue;
      if (first == NULL)
        {
          first = k;
          continue;
        }
      gsize mark = ams_check_push_key (c, k->text);
      ams_check_error (c, k, "%s; remove %s or %s", what, first->text, k->text);
      ams_check_pop (c, mark);
    }
  if (first == NULL)
    ams_check_error (c, item, "%s", what);
}

void
ams_schema_pipeline (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  Pipeline p = { .pl = ams_sc_pipeline_new () };
  ams_check_loc (c, item, &p.pl->loc);
  g_ptr_array_add (sc->pipelines, p.pl);
  if (!ams_check_mapping (c, item, pipeline_fields, 0, &p))
    return;
  if (p.schedule_key != NULL && p.arrivals_key != NULL)
    {
      const AmsYNode *later = p.schedule_key;
      if (p.arrivals_key->line > later->line
          || (p.arrivals_key->line == later->line && p.arrivals_key->col > later->col))
        later = p.arrivals_key;
      gsize mark = ams_check_push_key (c, later->text);
      ams_check_error (c, later, "a pipeline starts either on a schedule or on arrivals, "
                                 "not both; remove one");
      ams_check_pop (c, mark);
    }
  check_recipe_source (c, item);
  AmsScRecipe *r = p.pl->recipe;
  if (r != NULL && r->block)
    {
      /* the block is the pipeline's own recipe, in its account and region */
      r->account = p.pl->account;
      r->region = p.pl->region;
      r->arn = ams_schema_recipe_arn (c, r);
      p.pl->recipe_name = r->name;
      p.pl->recipe_version = r->version;
      p.pl->encrypted = r->encrypted;
      p.pl->kms_key = r->kms_key;
      p.pl->pv = r->pv;
      p.pl->snapshot_size = r->snapshot_size;
      p.pl->target_repository = r->target_repository;
    }
}

const AmsSchemaTable *
ams_schema_pipeline_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("pipelines[]", pipeline_fields),
    AMS_SCHEMA_TABLE ("pipelines[].schedule", schedule_fields),
    AMS_SCHEMA_TABLE ("pipelines[].schedule.autoDisablePolicy", auto_disable_fields),
    AMS_SCHEMA_TABLE ("pipelines[].recipe", recipe_fields),
    { NULL },
  };
  return tables;
}
