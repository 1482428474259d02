/* amisim — scenario loader: pipelines[].distribution.
 *
 * Two verbatim AWS shapes are accepted, so that a user can paste what they
 * already have: the CreateDistributionConfiguration request (name,
 * description, distributions, tags, clientToken), or the output of
 * `aws imagebuilder get-distribution-configuration` ({distributionConfiguration:
 * {arn, name, …, dateCreated, timeoutMinutes}, requestId}). Field limits and
 * patterns are those of the API model (shared/aws/api_constraints.json).
 * Outputs other than AMIs (launch templates, SSM parameters, …) and the
 * AMI settings that need later features are rejected as not supported yet.
 */
#include <string.h>

#include "schema.h"

#define MAX_TARGET_ACCOUNTS 1536
#define MAX_TAGS 50

typedef struct
{
  AmsScPipeline *pl;
  GHashTable *regions; /* region name -> node, within this configuration */
} Config;

typedef struct
{
  AmsScDistRegion *dr;
  GHashTable *targets; /* account id -> node, within this list */
} Entry;

/* ---- amiDistributionConfiguration ---- */

/* The templates Image Builder fills in an AMI name. */
static const char *const ami_templates[] = {
  "imagebuilder:buildDate",
  "imagebuilder:buildVersion",
};

static gboolean
check_templates (AmsCheck *c, const AmsYNode *n, const char *name)
{
  for (const char *p = strstr (name, "{{"); p != NULL; p = strstr (p, "{{"))
    {
      const char *end = strstr (p + 2, "}}");
      if (end == NULL)
        {
          ams_check_error (c, n, "unclosed '{{' in the AMI name \"%s\"; templates are written "
                                 "{{imagebuilder:buildDate}}", name);
          return FALSE;
        }
      g_autofree char *inner = g_strstrip (g_strndup (p + 2, (gsize) (end - p - 2)));
      gboolean known = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (ami_templates); i++)
        known = known || strcmp (inner, ami_templates[i]) == 0;
      if (!known)
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "unknown template '{{%s}}' in the AMI name", inner);
          const char *s = ams_suggest (inner, ami_templates, G_N_ELEMENTS (ami_templates));
          if (s != NULL)
            g_string_append_printf (msg, "; did you mean '{{%s}}'?", s);
          else
            g_string_append (msg, "; expected {{imagebuilder:buildDate}} or "
                                  "{{imagebuilder:buildVersion}}");
          ams_check_error (c, n, "%s", msg->str);
          return FALSE;
        }
      p = end + 2;
    }
  return TRUE;
}

static void
ami_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  const char *name;
  if (!ams_get_string (c, value, 1, 127, &name) || !check_templates (c, value, name))
    return;
  if (ams_get_pattern (c, value, AMS_PAT_AMI_NAME, &name))
    e->dr->ami_name = name;
}

static void
ami_description (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_string (c, value, 1, 1024, &e->dr->ami_description);
}

static void
target_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Entry *e = target;
  const char *id;
  if (!ams_get_pattern (c, item, AMS_PAT_ACCOUNT_ID, &id))
    return;
  const AmsYNode *first = g_hash_table_lookup (e->targets, id);
  if (first != NULL)
    {
      ams_check_error (c, item, "duplicate account '%s' in targetAccountIds (first at %u:%u)",
                       id, first->line, first->col);
      return;
    }
  g_hash_table_insert (e->targets, (gpointer) id, (gpointer) item);
  AmsScRef ref = { .value = id };
  ams_check_loc (c, item, &ref.loc);
  g_array_append_val (e->dr->target_account_ids, ref);
}

static void
ami_targets (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  if (value->kind == AMS_YNODE_SEQUENCE && value->items->len == 0)
    {
      ams_check_error (c, value, "expected 1 to %d account ids, got an empty list",
                       MAX_TARGET_ACCOUNTS);
      return;
    }
  if (value->kind == AMS_YNODE_SEQUENCE && value->items->len > MAX_TARGET_ACCOUNTS)
    {
      ams_check_error (c, value, "expected at most %d account ids (the AWS limit), got %u",
                       MAX_TARGET_ACCOUNTS, value->items->len);
      return;
    }
  e->targets = g_hash_table_new (g_str_hash, g_str_equal);
  ams_check_sequence (c, value, target_item, e);
  g_clear_pointer (&e->targets, g_hash_table_unref);
}

static const AmsField ami_fields[] = {
  { "name", ami_name, 0, NULL },
  { "description", ami_description, 0, NULL },
  { "targetAccountIds", ami_targets, 0, NULL },
  { "amiTags", NULL, AMS_FIELD_NOT_YET, "lifecycle policies" },
  { "kmsKeyId", NULL, AMS_FIELD_NOT_YET, "encryption and KMS keys" },
  { "launchPermission", NULL, AMS_FIELD_NOT_YET, "launch permissions and sharing" },
  { NULL },
};

/* ---- distributions[] ---- */

static void
entry_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  const char *text;
  if (!ams_get_scalar (c, value, "the name of a region defined in regions", &text))
    return;
  e->dr->region.value = ams_check_intern (c, text);
  ams_check_loc (c, value, &e->dr->region.loc);
}

static void
entry_ami (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, ami_fields, 0, target);
}


static const AmsField entry_fields[] = {
  { "region", entry_region, AMS_FIELD_REQUIRED,
    "the region to distribute to, e.g. region: us-east-1" },
  { "amiDistributionConfiguration", entry_ami, 0, NULL },
  { "launchTemplateConfigurations", NULL, AMS_FIELD_NOT_YET, "launch template outputs" },
  { "ssmParameterConfigurations", NULL, AMS_FIELD_NOT_YET, "SSM parameter outputs" },
  { "s3ExportConfiguration", NULL, AMS_FIELD_NOT_YET, "S3 export outputs" },
  { "fastLaunchConfigurations", NULL, AMS_FIELD_NOT_YET, "Windows fast launch outputs" },
  { "containerDistributionConfiguration", NULL, AMS_FIELD_NOT_YET, "container images" },
  { "licenseConfigurationArns", NULL, AMS_FIELD_NOT_YET, "license configurations" },
  { NULL },
};

/* Keys of a region entry that produce something in that region. */
static const char *const outputs[] = {
  "amiDistributionConfiguration", "launchTemplateConfigurations", "ssmParameterConfigurations",
  "s3ExportConfiguration", "fastLaunchConfigurations", "containerDistributionConfiguration",
};

static void
entry_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Config *cfg = target;
  AmsScDistRegion *dr = g_new0 (AmsScDistRegion, 1);
  dr->target_account_ids = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  ams_check_loc (c, item, &dr->loc);
  g_ptr_array_add (cfg->pl->distributions, dr);
  Entry e = { .dr = dr };
  if (!ams_check_mapping (c, item, entry_fields, 0, &e))
    return;

  gboolean output = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      const AmsYNode *v = ams_ynode_lookup (item, outputs[i]);
      output = output || (v != NULL && !ams_ynode_is_null (v));
    }
  if (!output)
    ams_check_error (c, item, "a region entry must produce at least one output "
                              "(amiDistributionConfiguration, launchTemplateConfigurations, …)");

  const AmsYNode *region = ams_ynode_lookup (item, "region");
  if (dr->region.value != NULL)
    {
      const AmsYNode *first = g_hash_table_lookup (cfg->regions, dr->region.value);
      if (first != NULL)
        {
          gsize mark = ams_check_push_key (c, "region");
          ams_check_error (c, region, "duplicate region '%s' in distributions (first at %u:%u)",
                           dr->region.value, first->line, first->col);
          ams_check_pop (c, mark);
        }
      else
        g_hash_table_insert (cfg->regions, (gpointer) dr->region.value, (gpointer) region);
    }
}

/* ---- the configuration ---- */

static void
config_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Config *cfg = target;
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &cfg->pl->distribution_name);
}

static void
config_description (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *unused;
  ams_get_string (c, value, 1, 1024, &unused);
}

static void
config_distributions (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE && value->items->len == 0)
    {
      ams_check_error (c, value, "expected at least one region entry, got an empty list");
      return;
    }
  ams_check_sequence (c, value, entry_item, target);
}

static void
tag_check (AmsCheck *c, const AmsYNode *key, const AmsYNode *value)
{
  const char *text;
  if (ams_get_pattern (c, key, AMS_PAT_TAG_KEY, &text))
    ams_get_string (c, key, 1, 128, &text);
  if (!ams_ynode_is_null (value))
    ams_get_string (c, value, 0, 256, &text);
}

static void
config_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind != AMS_YNODE_MAPPING)
    {
      ams_check_error (c, value, "expected a mapping of tag names to values, got %s",
                       ams_ynode_describe (value));
      return;
    }
  if (value->pairs->len > MAX_TAGS)
    {
      ams_check_error (c, value, "expected at most %d tags, got %u", MAX_TAGS,
                       value->pairs->len);
      return;
    }
  for (guint i = 0; i < value->pairs->len; i++)
    {
      const AmsYPair *p = &g_array_index (value->pairs, AmsYPair, i);
      if (p->key->kind != AMS_YNODE_SCALAR)
        {
          ams_check_error (c, p->key, "expected a tag name, got %s", ams_ynode_describe (p->key));
          continue;
        }
      gsize mark = ams_check_push_key (c, p->key->text);
      tag_check (c, p->key, p->value);
      ams_check_pop (c, mark);
    }
}

static void
config_client_token (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *unused;
  ams_get_string (c, value, 1, 64, &unused);
}

static void
config_arn (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *unused;
  ams_get_pattern (c, value, AMS_PAT_DIST_CONFIG_ARN, &unused);
}

static void
any_string (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *unused;
  ams_get_string (c, value, 0, 0, &unused);
}

/* CreateDistributionConfiguration request. */
static const AmsField request_fields[] = {
  { "name", config_name, AMS_FIELD_REQUIRED,
    "the configuration's name, e.g. name: fanout" },
  { "description", config_description, 0, NULL },
  { "distributions", config_distributions, AMS_FIELD_REQUIRED,
    "one entry per region, e.g. distributions: [{region: us-east-1, "
    "amiDistributionConfiguration: {}}]" },
  { "tags", config_tags, 0, NULL },
  { "clientToken", config_client_token, 0, NULL },
  { NULL },
};

/* get-distribution-configuration output: distributionConfiguration. */
static const AmsField output_config_fields[] = {
  { "arn", config_arn, 0, NULL },
  { "name", config_name, AMS_FIELD_REQUIRED, "the configuration's name, e.g. name: fanout" },
  { "description", config_description, 0, NULL },
  { "distributions", config_distributions, AMS_FIELD_REQUIRED,
    "one entry per region, e.g. distributions: [{region: us-east-1, "
    "amiDistributionConfiguration: {}}]" },
  { "timeoutMinutes", NULL, AMS_FIELD_NOT_YET, "the distribution timeout" },
  { "dateCreated", any_string, 0, NULL },
  { "dateUpdated", any_string, 0, NULL },
  { "tags", config_tags, 0, NULL },
  { NULL },
};

static void
output_config (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, output_config_fields, 0, target);
}

/* get-distribution-configuration output. */
static const AmsField output_fields[] = {
  { "distributionConfiguration", output_config, AMS_FIELD_REQUIRED, NULL },
  { "requestId", any_string, 0, NULL },
  { NULL },
};

void
ams_schema_distribution (AmsCheck *c, const AmsYNode *node, AmsScPipeline *pl)
{
  Config cfg = { .pl = pl, .regions = g_hash_table_new (g_str_hash, g_str_equal) };
  if (ams_ynode_lookup (node, "distributionConfiguration") != NULL)
    ams_check_mapping (c, node, output_fields, 0, &cfg);
  else
    ams_check_mapping (c, node, request_fields, 0, &cfg);
  g_hash_table_unref (cfg.regions);
}
