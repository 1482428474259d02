/* amisim — scenario loader: the Image Builder supply chain (DOMAIN.md §5).
 *
 *   components[]         CreateComponent requests, plus account and region
 *   recipes[]            CreateImageRecipe requests, plus account and region
 *   container_recipes[]  CreateContainerRecipe requests, plus account and region
 *   resource_shares[]    RAM CreateResourceShare requests, plus account and region
 *   resource_policies[]  PutComponentPolicy / PutImagePolicy / PutImageRecipePolicy /
 *                        PutContainerRecipePolicy requests
 *
 * and the keys a pipeline's recipe block shares with recipes[] (parentImage,
 * components, amisim's snapshot_size, encrypted, kms_key, virtualization).
 *
 * Image Builder ARNs, semantic versions and RAM principals are read by
 * arn.c; each place here says which resource types and version forms it
 * accepts (AmsArnSpec). RAM takes components and images by build version
 * (…/1.0.0/1) and recipes by version (…/1.0.0), never a pattern with x.
 *
 * References are checked once the whole document is read
 * (ams_schema_resolve_supply): pipelines' imageRecipeArn / containerRecipeArn
 * first, since the rest of the loader reads their flat recipe fields; then
 * that every ARN a share or policy names exists, and that a share holds only
 * what its account owns in its region. What a pipeline or recipe builds from
 * may be another account's or another region's: that is the run's to judge
 * (the recipe may be shared, or not), not the loader's.
 */
#include <string.h>

#include "schema.h"

#define MAX_RECIPE_COMPONENTS 20 /* AWS: "up to 20 components to a recipe" */
#define MAX_OS_VERSIONS 25
#define SAMPLE_ARN "arn:aws:imagebuilder:us-east-1:111111111111:"

static const AmsArnSpec component_ref_spec = {
  { AMS_ARN_BUILD | AMS_ARN_VERSION | AMS_ARN_PATTERN, 0, 0, 0 }, NULL, NULL,
};

static const AmsArnSpec parent_spec = {
  { 0, AMS_ARN_BUILD | AMS_ARN_VERSION | AMS_ARN_PATTERN, 0, 0 }, NULL, NULL,
};

/* ---- allocation ---- */

AmsScRecipe *
ams_sc_recipe_new (void)
{
  AmsScRecipe *r = g_new0 (AmsScRecipe, 1);
  r->components = g_array_new (FALSE, TRUE, sizeof (AmsScResRef));
  r->snapshot_size = G_GUINT64_CONSTANT (8) << 30; /* 8 GiB, as a pipeline's default */
  return r;
}

void
ams_sc_recipe_free (gpointer p)
{
  AmsScRecipe *r = p;
  if (r == NULL)
    return;
  g_array_unref (r->components);
  g_free (r);
}

void
ams_sc_component_free (gpointer p)
{
  g_free (p);
}

/* A share with the position of its name (the scenario holds &s->share). */
typedef struct
{
  AmsScResourceShare share; /* first: an AmsScResourceShare* is a Share* */
  AmsSrcLoc name_loc;
} Share;

void
ams_sc_resource_share_free (gpointer p)
{
  AmsScResourceShare *s = p;
  if (s == NULL)
    return;
  g_array_unref (s->resources);
  g_array_unref (s->principals);
  g_array_unref (s->tags);
  g_array_unref (s->associate_new_images);
  g_free ((Share *) s);
}

void
ams_sc_resource_policy_free (gpointer p)
{
  AmsScResourcePolicy *rp = p;
  if (rp == NULL)
    return;
  ams_policy_unref (rp->policy);
  g_free (rp);
}

/* ---- keys every request may have ---- */

/* description, changeDescription: free text, read and checked, not used */
static void
text_1024 (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  ams_get_text (c, value, 1, 1024, &text);
}

/* workingDirectory: a path, read and checked, not used */
static void
string_1024 (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  ams_get_string (c, value, 1, 1024, &text);
}

static void
tag_map (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  g_autoptr (GArray) ignored = ams_check_tags_new ();
  ams_get_tags (c, value, 1, ignored);
}

static void
client_token (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  ams_get_string (c, value, 1, 64, &text);
}

/* ---- a recipe's keys (recipes[], container_recipes[], pipelines[].recipe) ---- */

void
ams_schema_recipe_snapshot_size (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                 gpointer target)
{
  uint64_t bytes;
  if (!ams_get_size (c, value, &bytes))
    return;
  if (bytes == 0)
    {
      ams_check_error (c, value, "a snapshot cannot be empty, got \"%s\"", value->text);
      return;
    }
  ((AmsScRecipe *) target)->snapshot_size = bytes;
}

void
ams_schema_recipe_encrypted (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                             gpointer target)
{
  ams_get_bool (c, value, &((AmsScRecipe *) target)->encrypted);
}

void
ams_schema_recipe_kms_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                           gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_KMS_KEY_REF, &((AmsScRecipe *) target)->kms_key);
}

void
ams_schema_recipe_virtualization (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                  gpointer target)
{
  static const char *const names[] = { "hvm", "pv" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScRecipe *) target)->pv = i == 1;
}

void
ams_schema_recipe_check (AmsCheck *c, const AmsYNode *node, const AmsScRecipe *r)
{
  if (r->kms_key.value != NULL && !r->encrypted)
    {
      const AmsYNode *k = ams_ynode_lookup (node, "kms_key");
      gsize mark = ams_check_push_key (c, "kms_key");
      ams_check_error (c, k, "a kms_key is only used for encrypted images; add encrypted: true "
                             "or remove kms_key");
      ams_check_pop (c, mark);
    }
}

/* An AMI id as EC2 writes it. */
static gboolean
is_ami_id (const char *text)
{
  if (!g_str_has_prefix (text, "ami-"))
    return FALSE;
  gsize len = strlen (text + 4);
  return (len == 8 || len == 17) && strspn (text + 4, "0123456789abcdef") == len;
}

/* parentImage: an image recipe builds from an AMI id, an SSM parameter
 * (ssm:NAME) or an Image Builder image; a container recipe from a container
 * image (any URI) or an Image Builder image. */
void
ams_schema_recipe_parent_image (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                gpointer target)
{
  AmsScRecipe *r = target;
  const char *text;
  if (!ams_get_string (c, value, 1, 1024, &text))
    return;
  if (g_str_has_prefix (text, "arn:") && strstr (text, ":imagebuilder:") != NULL)
    {
      ams_get_ib_arn (c, value, &parent_spec, &r->parent);
      return;
    }
  if (r->container || is_ami_id (text) || (g_str_has_prefix (text, "ssm:") && text[4] != '\0'))
    {
      r->parent_external = text;
      return;
    }
  g_autofree char *esc = g_strescape (text, NULL);
  ams_check_error (c, value, "expected a parent image: an AMI id like ami-0123456789abcdef0, an "
                             "SSM parameter like ssm:/golden/ami/latest, or an Image Builder image "
                             "ARN like " SAMPLE_ARN "image/golden/1.0.0/1 (a build version) or "
                             "…/image/golden/x.x.x (the newest of a version pattern), got \"%s\"",
                   esc);
}

static void
component_arn (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ib_arn (c, value, &component_ref_spec, target);
}

static const AmsField recipe_component_fields[] = {
  { "componentArn", component_arn, AMS_FIELD_REQUIRED,
    "the component, e.g. componentArn: " SAMPLE_ARN "component/hardening/x.x.x" },
  { "parameters", NULL, 0, NULL },
  { NULL },
};

static void
recipe_component_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScRecipe *r = target;
  AmsScResRef ref = { 0 };
  if (ams_check_mapping (c, item, recipe_component_fields, 0, &ref) && ref.arn != NULL)
    g_array_append_val (r->components, ref);
}

void
ams_schema_recipe_components (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                              gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE
      && (value->items->len == 0 || value->items->len > MAX_RECIPE_COMPONENTS))
    {
      ams_check_error (c, value, "expected 1 to %d components (AWS: up to %d components to a "
                                 "recipe), got %u", MAX_RECIPE_COMPONENTS, MAX_RECIPE_COMPONENTS,
                       value->items->len);
      return;
    }
  ams_check_sequence (c, value, recipe_component_item, target);
}

const char *
ams_schema_recipe_arn (AmsCheck *c, const AmsScRecipe *r)
{
  if (r->name == NULL || r->version == NULL || r->account.value == NULL
      || r->region.value == NULL)
    return NULL;
  g_autofree char *name = ams_sc_arn_name (r->name);
  g_autofree char *arn = g_strdup_printf ("arn:aws:imagebuilder:%s:%s:%s/%s/%s", r->region.value,
                                          r->account.value,
                                          r->container ? "container-recipe" : "image-recipe",
                                          name, r->version);
  return ams_check_intern (c, arn);
}

/* ---- recipes[] and container_recipes[] ---- */

static void
recipe_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &((AmsScRecipe *) target)->name);
}

static void
recipe_version (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_semver (c, value, &((AmsScRecipe *) target)->version);
}

static void
recipe_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &((AmsScRecipe *) target)->account);
}

static void
recipe_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_REGION, &((AmsScRecipe *) target)->region);
}

static const AmsField image_recipe_fields[] = {
  { "name", recipe_name, AMS_FIELD_REQUIRED, "the recipe's name, e.g. name: golden" },
  { "semanticVersion", recipe_version, AMS_FIELD_REQUIRED,
    "the recipe's version, e.g. semanticVersion: 1.0.0" },
  { "parentImage", ams_schema_recipe_parent_image, AMS_FIELD_REQUIRED,
    "what the image builds from: an AMI id, ssm:PARAMETER or an Image Builder image ARN" },
  { "components", ams_schema_recipe_components, 0, NULL },
  { "description", text_1024, 0, NULL },
  { "workingDirectory", string_1024, 0, NULL },
  { "tags", tag_map, 0, NULL },
  { "additionalInstanceConfiguration", NULL, 0, NULL },
  { "amiTags", tag_map, 0, NULL },
  { "amiWatermarks", NULL, 0, NULL },
  { "blockDeviceMappings", NULL, AMS_FIELD_NOT_YET,
    "block device mappings; meanwhile amisim's snapshot_size, encrypted and kms_key describe "
    "the image's volume" },
  { "clientToken", client_token, 0, NULL },
  { "account", recipe_account, AMS_FIELD_REQUIRED,
    "the owner account, e.g. account: \"111111111111\"" },
  { "region", recipe_region, AMS_FIELD_REQUIRED, "where the recipe lives, e.g. region: us-east-1" },
  { "snapshot_size", ams_schema_recipe_snapshot_size, 0, NULL },
  { "encrypted", ams_schema_recipe_encrypted, 0, NULL },
  { "kms_key", ams_schema_recipe_kms_key, 0, NULL },
  { "virtualization", ams_schema_recipe_virtualization, 0, NULL },
  { NULL },
};

static void
container_type (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "DOCKER" };
  guint i;
  ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i);
}

static void
repository_service (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "ECR" };
  guint i;
  ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i);
}

static void
repository_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 1, 1024, &((AmsScRecipe *) target)->target_repository);
}

static const AmsField target_repository_fields[] = {
  { "service", repository_service, AMS_FIELD_REQUIRED, "the repository service: service: ECR" },
  { "repositoryName", repository_name, AMS_FIELD_REQUIRED,
    "one of the owner's ecr_repositories, e.g. repositoryName: golden/app" },
  { NULL },
};

static void
target_repository (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_mapping (c, value, target_repository_fields, 0, target);
}

static const AmsField container_recipe_fields[] = {
  { "name", recipe_name, AMS_FIELD_REQUIRED, "the recipe's name, e.g. name: app" },
  { "semanticVersion", recipe_version, AMS_FIELD_REQUIRED,
    "the recipe's version, e.g. semanticVersion: 1.0.0" },
  { "containerType", container_type, AMS_FIELD_REQUIRED, "containerType: DOCKER" },
  { "parentImage", ams_schema_recipe_parent_image, AMS_FIELD_REQUIRED,
    "what the image builds from: a container image URI or an Image Builder image ARN" },
  { "targetRepository", target_repository, AMS_FIELD_REQUIRED,
    "where images go, e.g. targetRepository: {service: ECR, repositoryName: golden/app}" },
  { "components", ams_schema_recipe_components, 0, NULL },
  { "description", text_1024, 0, NULL },
  { "workingDirectory", string_1024, 0, NULL },
  { "tags", tag_map, 0, NULL },
  { "dockerfileTemplateData", NULL, 0, NULL },
  { "dockerfileTemplateUri", NULL, 0, NULL },
  { "platformOverride", NULL, 0, NULL },
  { "imageOsVersionOverride", NULL, 0, NULL },
  { "instanceConfiguration", NULL, 0, NULL },
  { "kmsKeyId", NULL, 0, NULL }, /* read in recipe_item: it also sets encrypted */
  { "clientToken", client_token, 0, NULL },
  { "account", recipe_account, AMS_FIELD_REQUIRED,
    "the owner account, e.g. account: \"111111111111\"" },
  { "region", recipe_region, AMS_FIELD_REQUIRED, "where the recipe lives, e.g. region: us-east-1" },
  { "snapshot_size", ams_schema_recipe_snapshot_size, 0, NULL },
  { "encrypted", ams_schema_recipe_encrypted, 0, NULL },
  { "kms_key", ams_schema_recipe_kms_key, 0, NULL },
  { "virtualization", ams_schema_recipe_virtualization, 0, NULL },
  { NULL },
};

/* A container recipe's kmsKeyId: its images are encrypted with that key
 * (what kms_key with encrypted: true says for the others). */
static void
container_kms_key_id (AmsCheck *c, const AmsYNode *item, AmsScRecipe *r)
{
  const AmsYNode *k = ams_ynode_lookup (item, "kmsKeyId");
  if (k == NULL || ams_ynode_is_null (k))
    return;
  gsize mark = ams_check_push_key (c, "kmsKeyId");
  const AmsYNode *other = ams_ynode_lookup (item, "kms_key");
  const AmsYNode *enc = ams_ynode_lookup (item, "encrypted");
  if (other != NULL && !ams_ynode_is_null (other))
    ams_check_error (c, k, "kmsKeyId and kms_key both name the key; keep kmsKeyId");
  else if (enc != NULL && !ams_ynode_is_null (enc) && !r->encrypted)
    ams_check_error (c, k, "kmsKeyId encrypts the images; remove encrypted: false");
  else if (ams_get_ref (c, k, AMS_PAT_KMS_KEY_REF, &r->kms_key))
    r->encrypted = TRUE;
  ams_check_pop (c, mark);
}

static void
recipe_item (AmsCheck *c, const AmsYNode *item, AmsScenario *sc, gboolean container)
{
  AmsScRecipe *r = ams_sc_recipe_new ();
  r->container = container;
  ams_check_loc (c, item, &r->loc);
  g_ptr_array_add (sc->recipes, r);
  if (!ams_check_mapping (c, item, container ? container_recipe_fields : image_recipe_fields, 0,
                          r))
    return;
  if (container)
    container_kms_key_id (c, item, r);
  ams_schema_recipe_check (c, item, r);
  r->arn = ams_schema_recipe_arn (c, r);
}

static void
image_recipe_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer sc)
{
  recipe_item (c, item, sc, FALSE);
}

static void
container_recipe_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer sc)
{
  recipe_item (c, item, sc, TRUE);
}

void
ams_schema_recipes (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_sequence (c, value, image_recipe_item, sc);
}

void
ams_schema_container_recipes (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                              gpointer sc)
{
  ams_check_sequence (c, value, container_recipe_item, sc);
}

/* ---- components[] ---- */

static void
co_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &((AmsScComponent *) target)->name);
}

static void
co_version (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_semver (c, value, &((AmsScComponent *) target)->version);
}

static void
co_platform (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "Windows", "Linux", "macOS" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScComponent *) target)->platform = names[i];
}

static void
co_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &((AmsScComponent *) target)->account);
}

static void
co_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_REGION, &((AmsScComponent *) target)->region);
}

static void
co_kms_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_KMS_KEY_REF, &((AmsScComponent *) target)->kms_key);
}

static void
co_os_version (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  const char *text;
  ams_get_string (c, item, 1, 0, &text);
}

static void
co_os_versions (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE
      && (value->items->len == 0 || value->items->len > MAX_OS_VERSIONS))
    {
      ams_check_error (c, value, "expected 1 to %d operating system versions, got %u",
                       MAX_OS_VERSIONS, value->items->len);
      return;
    }
  ams_check_sequence (c, value, co_os_version, target);
}

static void
co_data (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  ams_get_text (c, value, 1, 16000, &text);
}

static void
co_uri (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  const char *text;
  ams_get_string (c, value, 1, 0, &text);
}

static const AmsField component_fields[] = {
  { "name", co_name, AMS_FIELD_REQUIRED, "the component's name, e.g. name: hardening" },
  { "semanticVersion", co_version, AMS_FIELD_REQUIRED,
    "the component's version, e.g. semanticVersion: 1.0.0" },
  { "platform", co_platform, AMS_FIELD_REQUIRED, "Windows, Linux or macOS" },
  { "account", co_account, AMS_FIELD_REQUIRED,
    "the owner account, e.g. account: \"111111111111\"" },
  { "region", co_region, AMS_FIELD_REQUIRED,
    "where the component lives, e.g. region: us-east-1" },
  { "kmsKeyId", co_kms_key, 0, NULL },
  { "description", text_1024, 0, NULL },
  { "changeDescription", text_1024, 0, NULL },
  { "supportedOsVersions", co_os_versions, 0, NULL },
  { "data", co_data, 0, NULL },
  { "uri", co_uri, 0, NULL },
  { "tags", tag_map, 0, NULL },
  { "clientToken", NULL, 0, NULL },
  { NULL },
};

static void
component_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScComponent *co = g_new0 (AmsScComponent, 1);
  ams_check_loc (c, item, &co->loc);
  g_ptr_array_add (sc->components, co);
  if (!ams_check_mapping (c, item, component_fields, 0, co))
    return;
  const AmsYNode *data = ams_ynode_lookup (item, "data"), *uri = ams_ynode_lookup (item, "uri");
  if (data != NULL && uri != NULL && !ams_ynode_is_null (data) && !ams_ynode_is_null (uri))
    {
      gsize mark = ams_check_push_key (c, "uri");
      ams_check_error (c, uri, "a component's document is either inline (data) or in S3 (uri), "
                               "not both; remove one");
      ams_check_pop (c, mark);
    }
  if (co->name == NULL || co->version == NULL || co->account.value == NULL
      || co->region.value == NULL)
    return;
  g_autofree char *name = ams_sc_arn_name (co->name);
  g_autofree char *arn = g_strdup_printf ("arn:aws:imagebuilder:%s:%s:component/%s/%s/1",
                                          co->region.value, co->account.value, name,
                                          co->version);
  co->arn = ams_check_intern (c, arn);
}

void
ams_schema_components (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_sequence (c, value, component_item, sc);
}

/* ---- resource_shares[] ---- */

static void
share_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Share *s = target;
  if (ams_get_string (c, value, 1, 255, &s->share.name))
    ams_check_loc (c, value, &s->name_loc);
}

static void
share_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &((Share *) target)->share.account);
}

static void
share_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_REGION, &((Share *) target)->share.region);
}

static void
share_resources (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Share *s = target;
  GArray *got = s->share.resources;
  guint before = got->len;
  ams_get_ib_arn_list (c, value, &ams_arn_spec_ram, 0, got);
  /* images come and go with builds: a share takes them as they are made */
  for (guint i = before; i < got->len;)
    {
      const AmsScResRef *ref = &g_array_index (got, AmsScResRef, i);
      if (ref->type != AMS_SC_RES_IMAGE)
        {
          i++;
          continue;
        }
      ams_check_error_at (c, &ref->loc, "images exist only once a pipeline builds them: list the "
                                        "pipeline under associate_new_images (each image it "
                                        "builds joins the share when it becomes AVAILABLE), or "
                                        "add the image with an associate_resource_share event");
      g_array_remove_index (got, i);
    }
}

static void
share_principals (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_principals (c, value, 0, ((Share *) target)->share.principals);
}

static void
share_external (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((Share *) target)->share.allow_external);
}

static void
ram_tag_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScTag *t = target;
  const char *k;
  if (ams_get_pattern (c, value, AMS_PAT_TAG_KEY, &k) && ams_get_string (c, value, 1, 128, &k))
    t->key = k;
}

static void
ram_tag_value (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 0, 256, &((AmsScTag *) target)->value);
}

static const AmsField ram_tag_fields[] = {
  { "key", ram_tag_key, AMS_FIELD_REQUIRED, "the tag's name, e.g. key: team" },
  { "value", ram_tag_value, 0, NULL },
  { NULL },
};

static void
ram_tag_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  GArray *tags = target;
  AmsScTag t = { .value = "" };
  if (!ams_check_mapping (c, item, ram_tag_fields, 0, &t) || t.key == NULL)
    return;
  for (guint i = 0; i < tags->len; i++)
    if (strcmp (g_array_index (tags, AmsScTag, i).key, t.key) == 0)
      {
        ams_check_error (c, item, "tag key '%s' is given twice", t.key);
        return;
      }
  g_array_append_val (tags, t);
}

/* RAM writes tags as a list [{key: K, value: V}]. */
static void
share_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE && value->items->len > AMS_MAX_TAGS)
    {
      ams_check_error (c, value, "expected at most %d tags, got %u", AMS_MAX_TAGS,
                       value->items->len);
      return;
    }
  ams_check_sequence (c, value, ram_tag_item, ((Share *) target)->share.tags);
}

static void
share_new_images (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  GArray *out = ((Share *) target)->share.associate_new_images;
  if (value->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, value, "expected a list of pipeline names, got %s",
                       ams_ynode_describe (value));
      return;
    }
  for (guint i = 0; i < value->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (value->items, i);
      gsize mark = ams_check_push_index (c, i);
      AmsScRef ref = { 0 };
      if (ams_get_string (c, item, 1, 128, &ref.value))
        {
          ams_check_loc (c, item, &ref.loc);
          const AmsScRef *first = NULL;
          for (guint j = 0; j < out->len && first == NULL; j++)
            if (strcmp (g_array_index (out, AmsScRef, j).value, ref.value) == 0)
              first = &g_array_index (out, AmsScRef, j);
          if (first != NULL)
            ams_check_error (c, item, "'%s' is listed twice (first at %u:%u)", ref.value,
                             first->loc.line, first->loc.col);
          else
            g_array_append_val (out, ref);
        }
      ams_check_pop (c, mark);
    }
}

static const AmsField share_fields[] = {
  { "name", share_name, AMS_FIELD_REQUIRED,
    "the share's name, unique in the scenario, e.g. name: golden-components" },
  { "account", share_account, AMS_FIELD_REQUIRED,
    "the owner account, e.g. account: \"111111111111\"" },
  { "region", share_region, AMS_FIELD_REQUIRED, "where the share lives, e.g. region: us-east-1" },
  { "resourceArns", share_resources, 0, NULL },
  { "principals", share_principals, 0, NULL },
  { "allowExternalPrincipals", share_external, 0, NULL },
  { "tags", share_tags, 0, NULL },
  { "permissionArns", NULL, 0, NULL },
  { "clientToken", NULL, 0, NULL },
  { "sources", NULL, 0, NULL },
  { "resourceShareConfiguration", NULL, 0, NULL },
  { "associate_new_images", share_new_images, 0, NULL },
  { NULL },
};

static void
share_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  Share *s = g_new0 (Share, 1);
  s->share.resources = g_array_new (FALSE, TRUE, sizeof (AmsScResRef));
  s->share.principals = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  s->share.allow_external = TRUE; /* RAM's default */
  s->share.tags = ams_check_tags_new ();
  s->share.associate_new_images = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  ams_check_loc (c, item, &s->share.loc);
  g_ptr_array_add (sc->resource_shares, &s->share);
  ams_check_mapping (c, item, share_fields, 0, s);
}

void
ams_schema_resource_shares (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                            gpointer sc)
{
  ams_check_sequence (c, value, share_item, sc);
}

/* ---- resource_policies[] ---- */

typedef struct
{
  AmsScResourcePolicy *rp;
  AmsScRef account, region; /* as written: they must be the ARN's */
} Policy;

static const AmsArnSpec policy_specs[] = {
  { { AMS_ARN_BUILD, 0, 0, 0 }, NULL, "a component's policy is put on a build version" },
  { { 0, AMS_ARN_BUILD, 0, 0 }, NULL, "an image's policy is put on a build version" },
  { { 0, 0, AMS_ARN_VERSION, 0 }, NULL, "a recipe's policy is put on a version" },
  { { 0, 0, 0, AMS_ARN_VERSION }, NULL, "a recipe's policy is put on a version" },
};
static const char *const policy_arn_keys[] = { "componentArn", "imageArn", "imageRecipeArn",
                                               "containerRecipeArn" };

static void
policy_arn (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Policy *p = target;
  for (guint i = 0; i < G_N_ELEMENTS (policy_arn_keys); i++)
    if (strcmp (key->text, policy_arn_keys[i]) == 0)
      ams_get_ib_arn (c, value, &policy_specs[i], &p->rp->arn);
}

static void
policy_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &((Policy *) target)->account);
}

static void
policy_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_REGION, &((Policy *) target)->region);
}

static const AmsField policy_fields[] = {
  { "componentArn", policy_arn, 0, NULL },
  { "imageArn", policy_arn, 0, NULL },
  { "imageRecipeArn", policy_arn, 0, NULL },
  { "containerRecipeArn", policy_arn, 0, NULL },
  { "policy", NULL, AMS_FIELD_REQUIRED, /* compiled in policy_item, once the ARN is known */
    "the resource policy, e.g. policy: {\"Version\": \"2012-10-17\", \"Statement\": [...]}" },
  { "account", policy_account, 0, NULL },
  { "region", policy_region, 0, NULL },
  { NULL },
};

static void
policy_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  Policy p = { .rp = g_new0 (AmsScResourcePolicy, 1) };
  ams_check_loc (c, item, &p.rp->loc);
  g_ptr_array_add (sc->resource_policies, p.rp);
  if (!ams_check_mapping (c, item, policy_fields, 0, &p))
    return;
  /* one resource, named by the key of its type */
  const AmsYPair *first = NULL;
  gboolean several = FALSE;
  for (guint i = 0; i < item->pairs->len; i++)
    {
      const AmsYPair *pair = &g_array_index (item->pairs, AmsYPair, i);
      gboolean arn_key = FALSE;
      for (guint k = 0; k < G_N_ELEMENTS (policy_arn_keys); k++)
        arn_key = arn_key || strcmp (pair->key->text, policy_arn_keys[k]) == 0;
      if (!arn_key || ams_ynode_is_null (pair->value))
        continue;
      if (first == NULL)
        {
          first = pair;
          continue;
        }
      gsize mark = ams_check_push_key (c, pair->key->text);
      ams_check_error (c, pair->key, "a resource policy is put on one resource: %s or %s, not "
                                     "both; remove one", first->key->text, pair->key->text);
      ams_check_pop (c, mark);
      several = TRUE;
    }
  if (first == NULL)
    ams_check_error (c, item, "a resource policy is put on one resource: write componentArn, "
                              "imageArn, imageRecipeArn or containerRecipeArn");
  if (first == NULL || several)
    p.rp->arn.arn = NULL;
  const AmsYNode *doc = ams_ynode_lookup (item, "policy");
  if (doc != NULL && !ams_ynode_is_null (doc))
    {
      g_autofree char *name = g_strdup_printf ("resource policy of %s",
                                               p.rp->arn.arn != NULL ? p.rp->arn.arn
                                                                     : "a resource");
      gsize mark = ams_check_push_key (c, "policy");
      p.rp->policy = ams_get_policy (c, doc, AMS_POLICY_RESOURCE, name);
      ams_check_pop (c, mark);
    }
  const AmsScResRef *arn = &p.rp->arn;
  if (arn->arn == NULL)
    return;
  if (p.account.value != NULL && strcmp (p.account.value, arn->account) != 0)
    ams_check_error_at (c, &p.account.loc, "account %s does not own %s (its owner is %s): a "
                                           "resource policy is the owner's; remove account or "
                                           "write %s", p.account.value, arn->arn, arn->account,
                        arn->account);
  if (p.region.value != NULL && strcmp (p.region.value, arn->region) != 0)
    ams_check_error_at (c, &p.region.loc, "%s is in %s, not %s: a resource policy lives in its "
                                          "resource's region; remove region or write %s",
                        arn->arn, arn->region, p.region.value, arn->region);
}

void
ams_schema_resource_policies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                              gpointer sc)
{
  ams_check_sequence (c, value, policy_item, sc);
}

/* ---- references ---- */

const AmsScPipeline *
ams_schema_find_pipeline (const AmsScenario *sc, const char *name)
{
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->name != NULL && strcmp (pl->name, name) == 0)
        return pl;
    }
  return NULL;
}

static gboolean
same_place (const AmsScResRef *ref, const AmsScRef *account, const AmsScRef *region,
            const char *name)
{
  if (account->value == NULL || region->value == NULL || name == NULL)
    return FALSE;
  g_autofree char *arn_name = ams_sc_arn_name (name);
  return strcmp (ref->account, account->value) == 0 && strcmp (ref->region, region->value) == 0
         && strcmp (ref->name, arn_name) == 0;
}

/* Every recipe the scenario defines: recipes[], container_recipes[] and, with
 * `blocks`, pipelines' recipe blocks (borrowed). */
static GPtrArray *
all_recipes (const AmsScenario *sc, gboolean blocks)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < sc->recipes->len; i++)
    g_ptr_array_add (out, sc->recipes->pdata[i]);
  for (guint i = 0; blocks && i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->recipe != NULL && pl->recipe->block)
        g_ptr_array_add (out, pl->recipe);
    }
  return out;
}

/* The newest recipe of `list` that `ref` (a version or a pattern) names. */
static AmsScRecipe *
find_recipe (GPtrArray *list, const AmsScResRef *ref)
{
  AmsScRecipe *best = NULL;
  gboolean container = ref->type == AMS_SC_RES_CONTAINER_RECIPE;
  for (guint i = 0; i < list->len; i++)
    {
      AmsScRecipe *r = list->pdata[i];
      if (r->container != container || r->version == NULL
          || !same_place (ref, &r->account, &r->region, r->name)
          || !ams_sc_semver_matches (ref->version, r->version))
        continue;
      if (best == NULL || ams_sc_semver_compare (r->version, best->version) > 0)
        best = r;
    }
  return best;
}

/* A pipeline whose images `ref` names (its account, region, recipe name and
 * a recipe version the ARN's version or pattern matches). */
static const AmsScPipeline *
image_family (const AmsScenario *sc, const AmsScResRef *ref)
{
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->recipe_version != NULL && same_place (ref, &pl->account, &pl->region, pl->recipe_name)
          && ams_sc_semver_matches (ref->version, pl->recipe_version))
        return pl;
    }
  return NULL;
}

static const AmsScComponent *
find_component (const AmsScenario *sc, const AmsScResRef *ref, gboolean any_version)
{
  for (guint i = 0; i < sc->components->len; i++)
    {
      const AmsScComponent *co = sc->components->pdata[i];
      if (co->version != NULL && same_place (ref, &co->account, &co->region, co->name)
          && (any_version || ams_sc_semver_compare (co->version, ref->version) == 0))
        return co;
    }
  return NULL;
}

/* Appends a "did you mean" among `candidates` (of char*), or says there are none. */
static void
suggest (GString *msg, const char *word, GPtrArray *candidates, const char *none)
{
  if (candidates->len == 0)
    g_string_append_printf (msg, " (%s)", none);
  else
    ams_append_suggestion (msg, word, (const char *const *) candidates->pdata, candidates->len,
                           8, "defined: ");
}

/* Is an entry of the type `ref` names missing a part (reported already)?
 * Then `ref` may name it, and saying it names nothing would be a second
 * error for one mistake. */
static gboolean
incomplete (const AmsScenario *sc, AmsScResType type)
{
  if (type == AMS_SC_RES_COMPONENT)
    {
      for (guint i = 0; i < sc->components->len; i++)
        if (((const AmsScComponent *) sc->components->pdata[i])->arn == NULL)
          return TRUE;
      return FALSE;
    }
  if (type == AMS_SC_RES_IMAGE)
    {
      for (guint i = 0; i < sc->pipelines->len; i++)
        {
          const AmsScPipeline *pl = sc->pipelines->pdata[i];
          if (pl->recipe_name == NULL || pl->recipe_version == NULL || pl->account.value == NULL
              || pl->region.value == NULL)
            return TRUE;
        }
      return FALSE;
    }
  g_autoptr (GPtrArray) list = all_recipes (sc, TRUE);
  for (guint i = 0; i < list->len; i++)
    {
      const AmsScRecipe *r = list->pdata[i];
      if (r->arn == NULL && r->container == (type == AMS_SC_RES_CONTAINER_RECIPE))
        return TRUE;
    }
  return FALSE;
}

gboolean
ams_schema_check_resource (AmsCheck *c, const AmsScResRef *ref, gboolean later_builds)
{
  const AmsScenario *sc = c->sc;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) msg = g_string_new (NULL);
  switch (ref->type)
    {
    case AMS_SC_RES_COMPONENT:
      {
        const AmsScComponent *co = find_component (sc, ref, later_builds);
        if (co != NULL && (later_builds || ref->build == 1))
          return TRUE;
        if (co != NULL)
          {
            ams_check_error_at (c, &ref->loc, "%s names build %u, but a components[] entry is "
                                              "build 1 of its version (%s)", ref->arn,
                                ref->build, co->arn);
            return FALSE;
          }
        for (guint i = 0; i < sc->components->len; i++)
          {
            const AmsScComponent *o = sc->components->pdata[i];
            if (o->arn == NULL)
              continue;
            if (!later_builds)
              g_ptr_array_add (names, g_strdup (o->arn));
            else
              {
                /* in the form written: only the name and the place matter */
                g_autofree char *n = ams_sc_arn_name (o->name);
                const char *tail = strstr (ref->arn, ":component/");
                tail = tail != NULL ? strchr (tail + strlen (":component/"), '/') : NULL;
                g_ptr_array_add (names, g_strdup_printf ("arn:aws:imagebuilder:%s:%s:component/"
                                                         "%s%s", o->region.value,
                                                         o->account.value, n,
                                                         tail != NULL ? tail : ""));
              }
          }
        if (later_builds)
          g_string_printf (msg, "%s names no component of the scenario (no components[] entry "
                                "named %s in account %s, %s)", ref->arn, ref->name, ref->account,
                           ref->region);
        else
          g_string_printf (msg, "%s names no component of the scenario", ref->arn);
        suggest (msg, ref->arn, names, "the scenario defines no components");
        break;
      }
    case AMS_SC_RES_IMAGE:
      {
        if (image_family (sc, ref) != NULL)
          return TRUE;
        for (guint i = 0; i < sc->pipelines->len; i++)
          {
            const AmsScPipeline *pl = sc->pipelines->pdata[i];
            if (pl->recipe_name == NULL || pl->recipe_version == NULL
                || pl->account.value == NULL || pl->region.value == NULL)
              continue;
            g_autofree char *n = ams_sc_arn_name (pl->recipe_name);
            g_autofree char *build = ref->build > 0 ? g_strdup_printf ("/%u", ref->build)
                                                    : g_strdup ("");
            g_ptr_array_add (names, g_strdup_printf ("arn:aws:imagebuilder:%s:%s:image/%s/%s%s",
                                                     pl->region.value, pl->account.value, n,
                                                     pl->recipe_version, build));
          }
        g_string_printf (msg, "%s names no image of the scenario: no pipeline of account %s in "
                              "%s builds recipe %s %s %s", ref->arn, ref->account,
                         ref->region, ref->name,
                         strchr (ref->version, 'x') != NULL ? "in a version matching" : "version",
                         ref->version);
        suggest (msg, ref->arn, names, "the scenario defines no pipelines");
        break;
      }
    case AMS_SC_RES_IMAGE_RECIPE:
    case AMS_SC_RES_CONTAINER_RECIPE:
      {
        g_autoptr (GPtrArray) list = all_recipes (sc, TRUE);
        if (find_recipe (list, ref) != NULL)
          return TRUE;
        gboolean container = ref->type == AMS_SC_RES_CONTAINER_RECIPE;
        for (guint i = 0; i < list->len; i++)
          {
            const AmsScRecipe *r = list->pdata[i];
            if (r->arn != NULL && r->container == container)
              g_ptr_array_add (names, g_strdup (r->arn));
          }
        g_string_printf (msg, "%s names no %s of the scenario", ref->arn,
                         container ? "container recipe" : "image recipe");
        suggest (msg, ref->arn, names, container ? "the scenario defines no container recipes"
                                                 : "the scenario defines no image recipes");
        break;
      }
    }
  if (!incomplete (sc, ref->type))
    ams_check_error_at (c, &ref->loc, "%s", msg->str);
  return FALSE;
}

const AmsScResourceShare *
ams_schema_find_share (AmsCheck *c, const AmsScenario *sc, const AmsScRef *ref)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();
  for (guint i = 0; i < sc->resource_shares->len; i++)
    {
      const AmsScResourceShare *s = sc->resource_shares->pdata[i];
      if (s->name == NULL)
        continue;
      if (strcmp (s->name, ref->value) == 0)
        return s;
      g_ptr_array_add (names, (gpointer) s->name);
    }
  for (guint i = 0; i < sc->resource_shares->len; i++)
    if (((const AmsScResourceShare *) sc->resource_shares->pdata[i])->name == NULL)
      return NULL; /* it may be that one, whose name was reported */
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "no resource share named '%s'", ref->value);
  if (names->len == 0)
    g_string_append (msg, " (the scenario defines no resource_shares)");
  else
    ams_append_suggestion (msg, ref->value, (const char *const *) names->pdata, names->len, 8,
                           "defined: ");
  ams_check_error_at (c, &ref->loc, "%s", msg->str);
  return NULL;
}

/* Entries that name the same resource twice: `key` -> the first's position. */
static void
unique (AmsCheck *c, GHashTable *seen, const char *key, const AmsSrcLoc *loc, const char *what)
{
  const AmsSrcLoc *first = g_hash_table_lookup (seen, key);
  if (first != NULL)
    ams_check_error_at (c, loc, "%s (first at %u:%u)", what, first->line, first->col);
  else
    g_hash_table_insert (seen, g_strdup (key), (gpointer) loc);
}

/* A version with its parts as numbers (01.0.0 is 1.0.0). */
static char *
canonical_version (const char *v)
{
  g_auto (GStrv) p = g_strsplit (v, ".", 3);
  return g_strdup_printf ("%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT ".%" G_GUINT64_FORMAT,
                          g_ascii_strtoull (p[0], NULL, 10),
                          p[1] != NULL ? g_ascii_strtoull (p[1], NULL, 10) : 0,
                          p[1] != NULL && p[2] != NULL ? g_ascii_strtoull (p[2], NULL, 10) : 0);
}

static void
resolve_components (AmsCheck *c, AmsScenario *sc)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sc->components->len; i++)
    {
      const AmsScComponent *co = sc->components->pdata[i];
      ams_schema_resolve_account (c, &co->account);
      ams_schema_resolve_region (c, &co->region);
      if (co->arn == NULL)
        continue;
      g_autofree char *name = ams_sc_arn_name (co->name);
      g_autofree char *v = canonical_version (co->version);
      g_autofree char *key = g_strdup_printf ("%s:%s:%s/%s", co->region.value, co->account.value,
                                              name, v);
      g_autofree char *what = g_strdup_printf ("duplicate component: %s is already defined",
                                               co->arn);
      unique (c, seen, key, &co->loc, what);
    }
}

/* A recipe's components and parent image: those of an account (not AWS's)
 * must be the scenario's; whose they are and where is the run's concern. */
static void
check_recipe_refs (AmsCheck *c, const AmsScRecipe *r)
{
  for (guint j = 0; j < r->components->len; j++)
    {
      const AmsScResRef *ref = &g_array_index (r->components, AmsScResRef, j);
      if (!g_str_has_prefix (ref->account, "aws"))
        ams_schema_check_resource (c, ref, TRUE);
    }
  if (r->parent.arn != NULL && !g_str_has_prefix (r->parent.account, "aws"))
    ams_schema_check_resource (c, &r->parent, FALSE);
}

/* recipes[] and container_recipes[]: references, unique ARNs (a recipe
 * block may repeat another block's: pipelines may build the same recipe),
 * the repository of a container recipe. */
static void
resolve_recipes (AmsCheck *c, AmsScenario *sc)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sc->recipes->len; i++)
    {
      const AmsScRecipe *r = sc->recipes->pdata[i];
      ams_schema_resolve_account (c, &r->account);
      ams_schema_resolve_region (c, &r->region);
      if (r->arn == NULL)
        continue;
      g_autofree char *v = canonical_version (r->version);
      g_autofree char *key = g_strdup_printf ("%.*s%s", (int) (strrchr (r->arn, '/') - r->arn + 1),
                                              r->arn, v);
      g_autofree char *what = g_strdup_printf ("duplicate %s: %s is already defined",
                                               r->container ? "container recipe" : "image recipe",
                                               r->arn);
      unique (c, seen, key, &r->loc, what);
      if (r->target_repository == NULL || !ams_schema_account_defined (c, r->account.value))
        continue;
      gboolean found = FALSE;
      for (guint j = 0; j < sc->accounts->len && !found; j++)
        {
          const AmsScAccount *a = sc->accounts->pdata[j];
          if (strcmp (a->id, r->account.value) != 0)
            continue;
          for (guint k = 0; k < a->ecr_repositories->len && !found; k++)
            {
              const AmsScRepository *repo = a->ecr_repositories->pdata[k];
              found = repo->name == NULL /* invalid: reported already */
                      || (strcmp (repo->name, r->target_repository) == 0
                          && (repo->region.value == NULL
                              || strcmp (repo->region.value, r->region.value) == 0));
            }
        }
      if (!found)
        ams_check_error_at (c, &r->loc, "targetRepository.repositoryName '%s' is not one of "
                                        "account %s's ecr_repositories in %s; add it there",
                            r->target_repository, r->account.value, r->region.value);
    }
  /* a recipe block is not also a recipes[] entry */
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      const AmsScRecipe *r = pl->recipe;
      if (r == NULL || !r->block || r->arn == NULL)
        continue;
      g_autofree char *v = canonical_version (r->version);
      g_autofree char *key = g_strdup_printf ("%.*s%s", (int) (strrchr (r->arn, '/') - r->arn + 1),
                                              r->arn, v);
      const AmsSrcLoc *first = g_hash_table_lookup (seen, key);
      if (first != NULL)
        ams_check_error_at (c, &r->loc, "this recipe block is %s, already defined at %u:%u; "
                                        "build that one with %s: %s", r->arn, first->line,
                            first->col, r->container ? "containerRecipeArn" : "imageRecipeArn",
                            r->arn);
    }
}

/* Copies what the rest of the program reads from a pipeline's recipe. */
static void
copy_recipe (AmsScPipeline *pl, AmsScRecipe *r)
{
  pl->recipe = r;
  pl->recipe_name = r->name;
  pl->recipe_version = r->version;
  pl->encrypted = r->encrypted;
  pl->kms_key = r->kms_key;
  pl->pv = r->pv;
  pl->snapshot_size = r->snapshot_size;
  pl->target_repository = r->target_repository;
}

/* imageRecipeArn / containerRecipeArn: the newest recipes[] or
 * container_recipes[] entry the ARN names. A recipe of another account or
 * region is not refused here: it may be shared with the pipeline's account,
 * and the run says whether it is. */
static void
resolve_pipeline_recipes (AmsCheck *c, AmsScenario *sc)
{
  g_autoptr (GPtrArray) list = all_recipes (sc, FALSE);
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      AmsScPipeline *pl = sc->pipelines->pdata[i];
      const AmsScResRef *ref = &pl->recipe_ref;
      if (pl->recipe != NULL || ref->arn == NULL)
        continue;
      AmsScRecipe *r = find_recipe (list, ref);
      if (r != NULL)
        {
          copy_recipe (pl, r);
          continue;
        }
      gboolean container = ref->type == AMS_SC_RES_CONTAINER_RECIPE;
      gboolean broken = FALSE;
      for (guint j = 0; j < list->len; j++)
        broken = broken || (((const AmsScRecipe *) list->pdata[j])->arn == NULL
                            && ((const AmsScRecipe *) list->pdata[j])->container == container);
      if (broken)
        continue; /* it may name the entry whose problem was reported */
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint j = 0; j < list->len; j++)
        {
          const AmsScRecipe *o = list->pdata[j];
          if (o->arn != NULL && o->container == container)
            g_ptr_array_add (names, (gpointer) o->arn);
        }
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "%s names no %s entry", ref->arn,
                       container ? "container_recipes[]" : "recipes[]");
      if (names->len == 0)
        g_string_append_printf (msg, " (the scenario defines no %s)",
                                container ? "container_recipes" : "recipes");
      else
        ams_append_suggestion (msg, ref->arn, (const char *const *) names->pdata, names->len, 8,
                               "defined: ");
      ams_check_error_at (c, &ref->loc, "%s", msg->str);
    }
}

static void
resolve_shares (AmsCheck *c, AmsScenario *sc)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) pipelines = g_ptr_array_new ();
  for (guint i = 0; i < sc->pipelines->len; i++)
    if (((const AmsScPipeline *) sc->pipelines->pdata[i])->name != NULL)
      g_ptr_array_add (pipelines, (gpointer) ((const AmsScPipeline *) sc->pipelines->pdata[i])->name);
  for (guint i = 0; i < sc->resource_shares->len; i++)
    {
      const Share *e = sc->resource_shares->pdata[i];
      const AmsScResourceShare *s = &e->share;
      ams_schema_resolve_account (c, &s->account);
      ams_schema_resolve_region (c, &s->region);
      if (s->name != NULL)
        {
          g_autofree char *what = g_strdup_printf ("duplicate resource share '%s': events name "
                                                   "shares, so a name is used once", s->name);
          unique (c, seen, s->name, &e->name_loc, what);
        }
      for (guint j = 0; j < s->principals->len; j++)
        ams_schema_check_principal (c, sc, &g_array_index (s->principals, AmsScRef, j));
      for (guint j = 0; j < s->resources->len; j++)
        {
          const AmsScResRef *ref = &g_array_index (s->resources, AmsScResRef, j);
          if (!ams_schema_check_resource (c, ref, FALSE) || s->account.value == NULL
              || s->region.value == NULL)
            continue;
          if (strcmp (ref->account, s->account.value) != 0)
            ams_check_error_at (c, &ref->loc, "account %s does not own %s (its owner is %s): "
                                              "only the owner can share a resource; a resource "
                                              "shared with you cannot be re-shared",
                                s->account.value, ref->arn, ref->account);
          else if (strcmp (ref->region, s->region.value) != 0)
            ams_check_error_at (c, &ref->loc, "RAM shares are regional: %s is in %s, the share "
                                              "in %s; create the share in %s", ref->arn,
                                ref->region, s->region.value, ref->region);
        }
      for (guint j = 0; j < s->associate_new_images->len; j++)
        {
          const AmsScRef *ref = &g_array_index (s->associate_new_images, AmsScRef, j);
          const AmsScPipeline *pl = ams_schema_find_pipeline (sc, ref->value);
          if (pl == NULL)
            {
              g_autoptr (GString) msg = g_string_new (NULL);
              g_string_printf (msg, "no pipeline named '%s'", ref->value);
              ams_append_suggestion (msg, ref->value, (const char *const *) pipelines->pdata,
                                     pipelines->len, 8, "defined: ");
              ams_check_error_at (c, &ref->loc, "%s", msg->str);
            }
          else if (pl->account.value == NULL || pl->region.value == NULL
                   || s->account.value == NULL || s->region.value == NULL)
            continue;
          else if (strcmp (pl->account.value, s->account.value) != 0)
            ams_check_error_at (c, &ref->loc, "pipeline '%s' belongs to account %s, the share "
                                              "to %s: only the owner can share a resource, so a "
                                              "share takes the images of its account's pipelines",
                                pl->name, pl->account.value, s->account.value);
          else if (strcmp (pl->region.value, s->region.value) != 0)
            ams_check_error_at (c, &ref->loc, "pipeline '%s' builds in %s, the share is in %s: "
                                              "RAM shares are regional; create the share in %s",
                                pl->name, pl->region.value, s->region.value, pl->region.value);
        }
    }
}

static void
resolve_policies (AmsCheck *c, AmsScenario *sc)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sc->resource_policies->len; i++)
    {
      const AmsScResourcePolicy *rp = sc->resource_policies->pdata[i];
      if (rp->arn.arn == NULL || !ams_schema_check_resource (c, &rp->arn, FALSE))
        continue;
      g_autofree char *what = g_strdup_printf ("a second resource policy for %s: a resource has "
                                               "one policy, so put every statement in one "
                                               "document", rp->arn.arn);
      unique (c, seen, rp->arn.arn, &rp->arn.loc, what);
    }
}

void
ams_schema_resolve_supply (AmsCheck *c, AmsScenario *sc)
{
  resolve_components (c, sc);
  resolve_recipes (c, sc);
  resolve_pipeline_recipes (c, sc);
  /* with every pipeline's recipe known, what recipes build from */
  for (guint i = 0; i < sc->recipes->len; i++)
    check_recipe_refs (c, sc->recipes->pdata[i]);
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->recipe != NULL && pl->recipe->block)
        check_recipe_refs (c, pl->recipe);
    }
  resolve_shares (c, sc);
  resolve_policies (c, sc);
}

const AmsSchemaTable *
ams_schema_supply_tables (void)
{
  /* recipes[].components[] is also read at container_recipes[].components[]
   * and pipelines[].recipe.components[] */
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("components[]", component_fields),
    AMS_SCHEMA_TABLE ("recipes[]", image_recipe_fields),
    AMS_SCHEMA_TABLE ("recipes[].components[]", recipe_component_fields),
    AMS_SCHEMA_TABLE ("container_recipes[]", container_recipe_fields),
    AMS_SCHEMA_TABLE ("container_recipes[].targetRepository", target_repository_fields),
    AMS_SCHEMA_TABLE ("resource_shares[]", share_fields),
    AMS_SCHEMA_TABLE ("resource_shares[].tags[]", ram_tag_fields),
    AMS_SCHEMA_TABLE ("resource_policies[]", policy_fields),
    { NULL },
  };
  return tables;
}
