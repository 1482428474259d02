/* amisim — scenario loader: pipelines[].distribution.
 *
 * Two verbatim AWS shapes are accepted, so that a user can paste what they
 * already have: the CreateDistributionConfiguration request (name,
 * description, distributions, tags, clientToken), or the output of
 * `aws imagebuilder get-distribution-configuration` ({distributionConfiguration:
 * {arn, name, …, dateCreated, timeoutMinutes}, requestId}). Field limits and
 * patterns are those of the API model (shared/aws/api_constraints.json).
 * Outputs amisim does not model (S3 export, fast launch, containers,
 * license configurations) are rejected as not supported yet.
 */
#include <string.h>

#include "schema.h"

#define MAX_TARGET_ACCOUNTS 1536

typedef struct
{
  AmsScPipeline *pl;
  GHashTable *regions; /* region name -> node, within this configuration */
} Config;

typedef struct
{
  AmsScDistRegion *dr;
  GHashTable *targets; /* account id -> node, within this list */
  const char *targets_path; /* the targetAccountIds list's path (interned) */
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
  ams_get_text (c, value, 1, 1024, &e->dr->ami_description);
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
  /* one path for the list, not one per item: the items of an estate's
   * lists are most of a large scenario's references */
  ams_check_loc_item (c, item, &e->targets_path, &ref.loc);
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
  /* A list used again through an alias (an estate's accounts behind every
   * pipeline and region) was read, checked and stored once: its uses share
   * it, so memory follows the lists written, not their uses. Its items'
   * locations name the path of its first use. */
  GArray *read = g_hash_table_lookup (c->target_lists, value);
  if (read != NULL)
    {
      g_array_unref (e->dr->target_account_ids);
      e->dr->target_account_ids = g_array_ref (read);
      return;
    }
  guint problems = ams_diag_count (c->diag);
  e->targets = g_hash_table_new (g_str_hash, g_str_equal);
  e->targets_path = NULL;
  if (value->kind == AMS_YNODE_SEQUENCE && e->dr->target_account_ids->len == 0)
    {
      /* room for all at once: no doubling slack in an estate's longest lists */
      g_array_unref (e->dr->target_account_ids);
      e->dr->target_account_ids = g_array_sized_new (FALSE, TRUE, sizeof (AmsScRef),
                                                     value->items->len);
    }
  ams_check_sequence (c, value, target_item, e);
  g_clear_pointer (&e->targets, g_hash_table_unref);
  if (ams_diag_count (c->diag) == problems) /* one with problems is read (and told) again */
    g_hash_table_insert (c->target_lists, (gpointer) value, e->dr->target_account_ids);
}

static void
ami_kms_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref (c, value, AMS_PAT_KMS_KEY_REF, &e->dr->kms_key_id);
}

static void
ami_encrypted (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  gboolean b;
  if (ams_get_bool (c, value, &b))
    e->dr->encrypted = b;
}

/* ---- amiDistributionConfiguration.launchPermission ---- */

#define MAX_LP_ORGS 25

/* A list of organization or OU ARNs; an id where the ARN belongs gets a
 * message that spells out the ARN form (DOMAIN.md §1). */
static void
arn_list (AmsCheck *c, const AmsYNode *value, AmsPattern arn, AmsPattern id, const char *form,
          GArray *out)
{
  if (value->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, value, "expected a list of %s, got %s", ams_pattern_describe (arn),
                       ams_ynode_describe (value));
      return;
    }
  if (value->items->len < 1 || value->items->len > MAX_LP_ORGS)
    {
      ams_check_error (c, value, "expected 1 to %d ARNs (the AWS limit), got %u", MAX_LP_ORGS,
                       value->items->len);
      return;
    }
  for (guint i = 0; i < value->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (value->items, i);
      gsize mark = ams_check_push_index (c, i);
      const char *text;
      if (ams_get_scalar (c, item, ams_pattern_describe (arn), &text))
        {
          if (ams_pattern_match (id, text, strlen (text)))
            ams_check_error (c, item, "'%s' is an id, but launch permissions need the ARN: %s",
                             text, form);
          else if (!ams_pattern_match (arn, text, strlen (text)))
            ams_check_error (c, item, "expected %s, got \"%s\"", ams_pattern_describe (arn), text);
          else
            {
              gboolean dup = FALSE;
              for (guint j = 0; j < out->len && !dup; j++)
                dup = strcmp (g_array_index (out, AmsScRef, j).value, text) == 0;
              if (dup)
                ams_check_error (c, item, "'%s' is listed twice", text);
              else
                {
                  AmsScRef ref = { .value = ams_check_intern (c, text) };
                  ams_check_loc (c, item, &ref.loc);
                  g_array_append_val (out, ref);
                }
            }
        }
      ams_check_pop (c, mark);
    }
}

static void
lp_user_ids (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref_list (c, value, AMS_PAT_ACCOUNT_ID, 1, MAX_TARGET_ACCOUNTS, TRUE, e->dr->lp_user_ids);
}

static void
lp_user_groups (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  if (value->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, value, "expected a list of groups ([\"all\"]), got %s",
                       ams_ynode_describe (value));
      return;
    }
  for (guint i = 0; i < value->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (value->items, i);
      gsize mark = ams_check_push_index (c, i);
      const char *text;
      if (ams_get_scalar (c, item, "the group all", &text))
        {
          if (strcmp (text, "all") == 0)
            e->dr->lp_public = TRUE;
          else
            ams_check_error (c, item, "the only launch permission group is \"all\" (public), "
                                      "got \"%s\"", text);
        }
      ams_check_pop (c, mark);
    }
}

static void
lp_org_arns (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  arn_list (c, value, AMS_PAT_ORG_ARN, AMS_PAT_ORG_ID,
            "arn:aws:organizations::<management-account>:organization/o-…", e->dr->lp_org_arns);
}

static void
lp_ou_arns (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  arn_list (c, value, AMS_PAT_OU_ARN, AMS_PAT_OU_ID,
            "arn:aws:organizations::<management-account>:ou/o-…/ou-…", e->dr->lp_ou_arns);
}

static const AmsField lp_fields[] = {
  { "userIds", lp_user_ids, 0, NULL },
  { "userGroups", lp_user_groups, 0, NULL },
  { "organizationArns", lp_org_arns, 0, NULL },
  { "organizationalUnitArns", lp_ou_arns, 0, NULL },
  { NULL },
};

static void
ami_launch_permission (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, lp_fields, 0, target);
}

void
ams_schema_launch_permission (AmsCheck *c, const AmsYNode *value, AmsScDistRegion *dr)
{
  Entry e = { .dr = dr };
  ams_check_mapping (c, value, lp_fields, 0, &e);
}

/* amiTags: the tags of the AMIs this entry makes (TagMap, 1 to 50). */
static void
ami_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_tags (c, value, 1, e->dr->ami_tags);
}

static const AmsField ami_fields[] = {
  { "name", ami_name, 0, NULL },
  { "description", ami_description, 0, NULL },
  { "targetAccountIds", ami_targets, 0, NULL },
  { "kmsKeyId", ami_kms_key, 0, NULL },
  { "encrypted", ami_encrypted, 0, NULL },
  { "launchPermission", ami_launch_permission, 0, NULL },
  { "amiTags", ami_tags, 0, NULL },
  { NULL },
};

/* ---- launchTemplateConfigurations[] ---- */

#define MAX_LAUNCH_TEMPLATES 100

static void
lt_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_LAUNCH_TEMPLATE_ID,
                   &((AmsScLaunchTemplate *) target)->launch_template_id);
}

static void
lt_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScLaunchTemplate *lt = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &lt->account);
}

static void
lt_default (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScLaunchTemplate *) target)->set_default_version);
}

static const AmsField lt_fields[] = {
  { "launchTemplateId", lt_id, AMS_FIELD_REQUIRED,
    "the launch template to update, e.g. launchTemplateId: lt-0123456789abcdef0" },
  { "accountId", lt_account, 0, NULL },
  { "setDefaultVersion", lt_default, 0, NULL },
  { NULL },
};

static void
lt_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Entry *e = target;
  AmsScLaunchTemplate *lt = g_new0 (AmsScLaunchTemplate, 1);
  ams_check_loc (c, item, &lt->loc);
  ams_check_mapping (c, item, lt_fields, 0, lt);
  if (lt->launch_template_id == NULL)
    {
      g_free (lt);
      return;
    }
  g_ptr_array_add (e->dr->launch_templates, lt);
}

static void
entry_launch_templates (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE
      && (value->items->len < 1 || value->items->len > MAX_LAUNCH_TEMPLATES))
    {
      ams_check_error (c, value, "expected 1 to %d launch template configurations (the AWS "
                                 "limit), got %u", MAX_LAUNCH_TEMPLATES, value->items->len);
      return;
    }
  ams_check_sequence (c, value, lt_item, target);
}

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


/* ---- ssmParameterConfigurations[] ---- */

static void
ssm_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScSsmParameter *sp = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &sp->account);
}

static void
ssm_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_SSM_PARAMETER_NAME, &((AmsScSsmParameter *) target)->name);
}

static void
ssm_type (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "text", "aws:ec2:image" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScSsmParameter *) target)->ec2_image = i == 1;
}

static const AmsField ssm_fields[] = {
  { "amiAccountId", ssm_account, 0, NULL },
  { "parameterName", ssm_name, AMS_FIELD_REQUIRED,
    "the parameter to write the AMI id to, e.g. parameterName: /golden/ami/latest" },
  { "dataType", ssm_type, 0, NULL },
  { NULL },
};

static void
ssm_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Entry *e = target;
  AmsScSsmParameter *sp = g_new0 (AmsScSsmParameter, 1);
  ams_check_loc (c, item, &sp->loc);
  ams_check_mapping (c, item, ssm_fields, 0, sp);
  if (sp->name == NULL)
    {
      g_free (sp);
      return;
    }
  g_ptr_array_add (e->dr->ssm_parameters, sp);
}

static void
entry_ssm (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, ssm_item, target);
}

static const AmsField entry_fields[] = {
  { "region", entry_region, AMS_FIELD_REQUIRED,
    "the region to distribute to, e.g. region: us-east-1" },
  { "amiDistributionConfiguration", entry_ami, 0, NULL },
  { "launchTemplateConfigurations", entry_launch_templates, 0, NULL },
  { "ssmParameterConfigurations", entry_ssm, 0, NULL },
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

AmsScDistRegion *
ams_sc_dist_region_new (void)
{
  AmsScDistRegion *dr = g_new0 (AmsScDistRegion, 1);
  dr->target_account_ids = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  dr->lp_user_ids = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  dr->lp_org_arns = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  dr->lp_ou_arns = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  dr->launch_templates = g_ptr_array_new_with_free_func (g_free);
  dr->ssm_parameters = g_ptr_array_new_with_free_func (g_free);
  dr->ami_tags = ams_check_tags_new ();
  dr->encrypted = AMS_SC_UNSET;
  return dr;
}

static void
entry_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Config *cfg = target;
  AmsScDistRegion *dr = ams_sc_dist_region_new ();
  ams_check_loc (c, item, &dr->loc);
  g_ptr_array_add (cfg->pl->distributions, dr);
  Entry e = { .dr = dr };
  if (!ams_check_mapping (c, item, entry_fields, 0, &e))
    return;

  /* CopyImage: a KmsKeyId needs Encrypted */
  if (dr->encrypted == FALSE && dr->kms_key_id.value != NULL)
    ams_check_error_at (c, &dr->kms_key_id.loc,
                        "%s encrypts the copy; it cannot go with encrypted: false",
                        dr->kms_key_id.value);

  /* an SSM parameter's account must receive the AMI in this region */
  for (guint i = 0; i < dr->ssm_parameters->len; i++)
    {
      const AmsScSsmParameter *sp = dr->ssm_parameters->pdata[i];
      if (sp->account.value == NULL)
        continue;
      gboolean target_of_region = FALSE;
      for (guint j = 0; j < dr->target_account_ids->len && !target_of_region; j++)
        target_of_region = strcmp (g_array_index (dr->target_account_ids, AmsScRef, j).value,
                                   sp->account.value) == 0;
      if (!target_of_region)
        ams_check_error_at (c, &sp->account.loc, "amiAccountId %s must be a target account of "
                                                 "this region (targetAccountIds): the parameter "
                                                 "holds the id of that account's copy",
                            sp->account.value);
    }

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
  ams_get_text (c, value, 1, 1024, &unused);
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
config_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  g_autoptr (GArray) ignored = ams_check_tags_new ();
  ams_get_tags (c, value, 0, ignored);
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

/* timeoutMinutes: how long distribution may take before the image fails
 * (DistributionConfiguration, 30 to 720 minutes). */
static void
config_timeout (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Config *cfg = target;
  guint64 v;
  if (ams_get_uint (c, value, 30, 720, &v))
    cfg->pl->distribution_timeout = AMS_MINUTES (v);
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
  { "timeoutMinutes", config_timeout, 0, NULL },
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

/* ---- references into organizations ---- */

static gboolean
unit_in (const GPtrArray *units, const char *id)
{
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      if (strcmp (u->id, id) == 0 || unit_in (u->units, id))
        return TRUE;
    }
  return FALSE;
}

/* An org or OU ARN naming an organization of the scenario must agree with
 * it (management account, OU). ARNs of organizations the scenario does not
 * define are fine: AMIs can be shared with other organizations. */
static void
check_org_arn (AmsCheck *c, const AmsScenario *sc, const AmsScRef *ref, gboolean is_ou)
{
  /* arn:aws:organizations::<mgmt>:organization/o-x  or  …:ou/o-x/ou-y */
  g_auto (GStrv) parts = g_strsplit (ref->value, ":", 6);
  if (g_strv_length (parts) != 6)
    return;
  const char *mgmt = parts[4];
  g_auto (GStrv) res = g_strsplit (parts[5], "/", 3);
  const char *org_id = res[1];
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      if (strcmp (o->id, org_id) != 0)
        continue;
      if (strcmp (o->management_account.value, mgmt) != 0)
        ams_check_error_at (c, &ref->loc, "organization %s is managed by account %s, but the ARN names %s; "
                              "expected arn:aws:organizations::%s:%s/%s%s%s",
                      o->id, o->management_account.value, mgmt, o->management_account.value,
                      is_ou ? "ou" : "organization", o->id, is_ou ? "/" : "",
                      is_ou ? res[2] : "");
      else if (is_ou && !unit_in (o->units, res[2]))
        ams_check_error_at (c, &ref->loc, "organization %s has no OU %s", o->id, res[2]);
      return;
    }
}

void
ams_schema_check_principal (AmsCheck *c, const AmsScenario *sc, const AmsScRef *ref)
{
  gsize len = strlen (ref->value);
  if (ams_pattern_match (AMS_PAT_ORG_ARN, ref->value, len))
    check_org_arn (c, sc, ref, FALSE);
  else if (ams_pattern_match (AMS_PAT_OU_ARN, ref->value, len))
    check_org_arn (c, sc, ref, TRUE);
}

/* ---- the build region ---- */

/* AWS: at least one distribution must be in the source region, the
 * pipeline's build region (where the image is made; its AMI there is an
 * output like the others). `where` names the pipeline for set_distribution
 * events. Regions that could not be read or that the scenario does not
 * define were reported already, and say nothing about this rule. */
static void
check_build_region (AmsCheck *c, const GPtrArray *distributions, const char *build_region,
                    const char *where)
{
  if (distributions == NULL || distributions->len == 0 || build_region == NULL
      || !g_hash_table_contains (c->regions, build_region))
    return;
  for (guint i = 0; i < distributions->len; i++)
    {
      const AmsScDistRegion *dr = distributions->pdata[i];
      if (dr->region.value == NULL || strcmp (dr->region.value, build_region) == 0
          || !g_hash_table_contains (c->regions, dr->region.value))
        return; /* there, or a region reported already (perhaps the build region mistyped) */
    }
  /* at the list: the path of its first entry without the index, there */
  const AmsScDistRegion *first = distributions->pdata[0];
  AmsSrcLoc at = first->loc;
  g_autofree char *path = NULL;
  const char *bracket = at.path != NULL ? strrchr (at.path, '[') : NULL;
  if (bracket != NULL)
    {
      path = g_strndup (at.path, (gsize) (bracket - at.path));
      at.path = path;
    }
  ams_check_error_at (c, &at,
                      "no entry for the build region %s%s; at least one distribution must be "
                      "in the source region (AWS): add `- region: %s` with an output, e.g. "
                      "`- {region: %s, amiDistributionConfiguration: {}}`",
                      build_region, where, build_region, build_region);
}

static const AmsScPipeline *
find_pipeline (const AmsScenario *sc, const char *name)
{
  for (guint i = 0; name != NULL && i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->name != NULL && strcmp (pl->name, name) == 0)
        return pl;
    }
  return NULL;
}

static void
resolve_build_regions (AmsCheck *c, const AmsScenario *sc)
{
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->target_repository == NULL) /* a container recipe's: reported already */
        check_build_region (c, pl->distributions, pl->region.value, "");
    }
  for (guint i = 0; i < sc->events->len; i++)
    {
      const AmsScEvent *ev = sc->events->pdata[i];
      if (ev->kind != AMS_SC_EV_SET_DISTRIBUTION)
        continue;
      const AmsScPipeline *pl = find_pipeline (sc, ev->pipeline.value);
      if (pl == NULL || pl->target_repository != NULL)
        continue; /* an unknown pipeline is reported by the events' references */
      g_autofree char *where = g_strdup_printf (" of pipeline %s", pl->name);
      check_build_region (c, ev->distributions, pl->region.value, where);
    }
}

/* Also the rule every distribution configuration follows once the whole
 * document is read: an entry for the build region. */
void
ams_schema_resolve_sharing (AmsCheck *c, AmsScenario *sc)
{
  resolve_build_regions (c, sc);
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      for (guint j = 0; j < pl->distributions->len; j++)
        {
          const AmsScDistRegion *dr = pl->distributions->pdata[j];
          for (guint k = 0; k < dr->lp_org_arns->len; k++)
            check_org_arn (c, sc, &g_array_index (dr->lp_org_arns, AmsScRef, k), FALSE);
          for (guint k = 0; k < dr->lp_ou_arns->len; k++)
            check_org_arn (c, sc, &g_array_index (dr->lp_ou_arns, AmsScRef, k), TRUE);
        }
    }
}

const AmsSchemaTable *
ams_schema_distribution_tables (void)
{
  /* also read at distribution.distributionConfiguration.distributions[] and
   * at events[].distribution */
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("pipelines[].distribution", request_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution", output_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution.distributionConfiguration",
                      output_config_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution.distributions[]", entry_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution.distributions[].amiDistributionConfiguration",
                      ami_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution.distributions[].amiDistributionConfiguration"
                      ".launchPermission", lp_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution.distributions[].launchTemplateConfigurations[]",
                      lt_fields),
    AMS_SCHEMA_TABLE ("pipelines[].distribution.distributions[].ssmParameterConfigurations[]",
                      ssm_fields),
    { NULL },
  };
  return tables;
}
