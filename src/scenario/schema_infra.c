/* amisim — scenario loader: infrastructure_configurations[], the
 * CreateInfrastructureConfiguration requests a pipeline names by
 * infrastructureConfigurationArn.
 *
 * What the simulation reads of one is the instance profile its build
 * instances run with (instanceProfileName): the IAM role of that name in
 * the configuration's account, which the builds' checks judge (its trust
 * of ec2.amazonaws.com, and what EC2InstanceProfileForImageBuilder and
 * SSM's managed instance policy let it do). The other keys of the request
 * are accepted as written and not read. An infrastructure configuration
 * cannot be shared: a pipeline names one of its own account and region.
 */
#include <string.h>

#include "schema.h"

static void
infra_free (gpointer p)
{
  g_free (p);
}

GDestroyNotify
ams_sc_infra_free_func (void)
{
  return infra_free;
}

static void
infra_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &((AmsScInfraConfig *) target)->name);
}

static void
infra_profile (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  /* an instance profile name is an IAM name, as a role's */
  ams_get_pattern (c, value, AMS_PAT_ROLE_NAME, &((AmsScInfraConfig *) target)->instance_profile);
}

static void
infra_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &((AmsScInfraConfig *) target)->account);
}

static void
infra_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_REGION, &((AmsScInfraConfig *) target)->region);
}

static const AmsField infra_fields[] = {
  { "name", infra_name, AMS_FIELD_REQUIRED, "the configuration's name, e.g. name: builders" },
  { "instanceProfileName", infra_profile, AMS_FIELD_REQUIRED,
    "the instance profile of the build instances, e.g. instanceProfileName: "
    "EC2InstanceProfileForImageBuilder" },
  { "account", infra_account, AMS_FIELD_REQUIRED,
    "the owner account's id, e.g. account: \"111111111111\"" },
  { "region", infra_region, AMS_FIELD_REQUIRED, "its region, e.g. region: us-east-1" },
  /* the rest of CreateInfrastructureConfiguration: accepted, not read */
  { "description", NULL, 0, NULL },
  { "instanceTypes", NULL, 0, NULL },
  { "securityGroupIds", NULL, 0, NULL },
  { "subnetId", NULL, 0, NULL },
  { "logging", NULL, 0, NULL },
  { "keyPair", NULL, 0, NULL },
  { "terminateInstanceOnFailure", NULL, 0, NULL },
  { "snsTopicArn", NULL, 0, NULL },
  { "resourceTags", NULL, 0, NULL },
  { "instanceMetadataOptions", NULL, 0, NULL },
  { "tags", NULL, 0, NULL },
  { "placement", NULL, 0, NULL },
  { "clientToken", NULL, 0, NULL },
  { NULL },
};

static void
infra_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScInfraConfig *ic = g_new0 (AmsScInfraConfig, 1);
  ams_check_loc (c, item, &ic->loc);
  g_ptr_array_add (sc->infrastructure_configurations, ic);
  ams_check_mapping (c, item, infra_fields, 0, ic);
  if (ic->name != NULL && ic->account.value != NULL && ic->region.value != NULL)
    {
      g_autofree char *name = ams_sc_arn_name (ic->name);
      g_autofree char *arn = g_strdup_printf ("arn:aws:imagebuilder:%s:%s:"
                                              "infrastructure-configuration/%s",
                                              ic->region.value, ic->account.value, name);
      ic->arn = ams_check_intern (c, arn);
    }
}

void
ams_schema_infrastructure (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_sequence (c, value, infra_item, sc);
}

/* infrastructureConfigurationArn of a pipeline: the pattern of the API
 * model (InfrastructureConfigurationArn). */
void
ams_schema_pipeline_infrastructure (AmsCheck *c, const AmsYNode *value, AmsScRef *ref)
{
  const char *text;
  if (!ams_get_scalar (c, value, "an infrastructure configuration ARN", &text))
    return;
  gboolean ok = g_str_has_prefix (text, "arn:aws");
  g_auto (GStrv) parts = g_strsplit (text, ":", 6);
  ok = ok && g_strv_length (parts) == 6 && strcmp (parts[2], "imagebuilder") == 0
       && ams_pattern_match (AMS_PAT_REGION, parts[3], strlen (parts[3]))
       && ams_pattern_match (AMS_PAT_ACCOUNT_ID, parts[4], strlen (parts[4]))
       && g_str_has_prefix (parts[5], "infrastructure-configuration/");
  const char *name = ok ? parts[5] + strlen ("infrastructure-configuration/") : "";
  ok = ok && name[0] != '\0';
  for (const char *q = name; ok && *q != '\0'; q++)
    ok = g_ascii_islower (*q) || g_ascii_isdigit (*q) || *q == '-' || *q == '_';
  if (!ok)
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, value, "expected an infrastructure configuration ARN like "
                                 "arn:aws:imagebuilder:us-east-1:111111111111:"
                                 "infrastructure-configuration/builders, got \"%s\"", esc);
      return;
    }
  ref->value = ams_check_intern (c, text);
  ams_check_loc (c, value, &ref->loc);
}

/* After the walk: names unique per account and region; each pipeline's
 * ARN names a configuration of its own account and region. */
void
ams_schema_resolve_infrastructure (AmsCheck *c, AmsScenario *sc)
{
  for (guint i = 0; i < sc->infrastructure_configurations->len; i++)
    {
      const AmsScInfraConfig *ic = sc->infrastructure_configurations->pdata[i];
      ams_schema_resolve_account (c, &ic->account);
      ams_schema_resolve_region (c, &ic->region);
      for (guint j = 0; j < i && ic->arn != NULL; j++)
        {
          const AmsScInfraConfig *first = sc->infrastructure_configurations->pdata[j];
          if (first->arn != NULL && strcmp (first->arn, ic->arn) == 0)
            {
              ams_check_error_at (c, &ic->loc, "duplicate infrastructure configuration %s "
                                               "(first at %u:%u)", ic->arn, first->loc.line,
                                  first->loc.col);
              break;
            }
        }
    }
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->infrastructure_ref.value == NULL)
        continue;
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint j = 0; j < sc->infrastructure_configurations->len; j++)
        {
          const AmsScInfraConfig *ic = sc->infrastructure_configurations->pdata[j];
          if (ic->arn == NULL)
            continue;
          if (strcmp (ic->arn, pl->infrastructure_ref.value) == 0)
            pl->infrastructure = ic;
          g_ptr_array_add (names, (gpointer) ic->arn);
        }
      if (pl->infrastructure == NULL)
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "no infrastructure configuration %s in "
                                "infrastructure_configurations", pl->infrastructure_ref.value);
          ams_append_suggestion (msg, pl->infrastructure_ref.value,
                                 (const char *const *) names->pdata, names->len, 8, "defined: ");
          ams_check_error_at (c, &pl->infrastructure_ref.loc, "%s", msg->str);
        }
      else if (pl->account.value != NULL && pl->region.value != NULL
               && (strcmp (pl->infrastructure->account.value, pl->account.value) != 0
                   || strcmp (pl->infrastructure->region.value, pl->region.value) != 0))
        {
          ams_check_error_at (c, &pl->infrastructure_ref.loc,
                              "pipeline '%s' builds in account %s, %s: its infrastructure "
                              "configuration must be one of that account and region (they "
                              "cannot be shared), got %s", pl->name, pl->account.value,
                              pl->region.value, pl->infrastructure_ref.value);
          pl->infrastructure = NULL;
        }
    }
}

const AmsSchemaTable *
ams_schema_infra_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("infrastructure_configurations[]", infra_fields),
    { NULL },
  };
  return tables;
}
