/* amisim — scenario loader: the world beyond regions and account ids:
 * accounts' KMS keys and IAM roles, organizations with their OU trees and
 * service control policies, and account_sets (many accounts from one
 * template).
 *
 * Policy documents are compiled here, once, through the policy module; its
 * grammar errors come back with the positions where they were written.
 * Everything that refers to something else (an account placed in an OU, an
 * SCP's target, a set's parent or template) is checked after the whole
 * document is read, in ams_schema_resolve_world, so order in the file does
 * not matter and each unresolved reference points at where it was written.
 */
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ---- allocation ---- */

static void
key_free (gpointer p)
{
  AmsScKey *k = p;
  ams_policy_unref (k->policy);
  g_free (k);
}

static void
role_free (gpointer p)
{
  AmsScRole *r = p;
  ams_policy_unref (r->trust);
  g_array_unref (r->managed_policies);
  g_ptr_array_unref (r->inline_policies);
  g_free (r);
}

static void
repository_free (gpointer p)
{
  AmsScRepository *r = p;
  g_array_unref (r->tags);
  g_free (r);
}

AmsScAccount *
ams_sc_account_new (void)
{
  AmsScAccount *a = g_new0 (AmsScAccount, 1);
  a->enabled_regions = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  a->kms_keys = g_ptr_array_new_with_free_func (key_free);
  a->roles = g_ptr_array_new_with_free_func (role_free);
  a->block_public_ami_access = TRUE;
  a->ecr_repositories = g_ptr_array_new_with_free_func (repository_free);
  a->ram_accept = TRUE; /* invitations are accepted, after simulation.ram.acceptance_delay */
  return a;
}

void
ams_sc_account_free (gpointer p)
{
  AmsScAccount *a = p;
  if (a == NULL)
    return;
  g_array_unref (a->enabled_regions);
  g_ptr_array_unref (a->kms_keys);
  g_ptr_array_unref (a->roles);
  g_ptr_array_unref (a->ecr_repositories);
  ams_dist_clear (&a->ram_after);
  g_free (a);
}

static void unit_free (gpointer p);

static AmsScUnit *
unit_new (void)
{
  AmsScUnit *u = g_new0 (AmsScUnit, 1);
  u->accounts = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  u->units = g_ptr_array_new_with_free_func (unit_free);
  return u;
}

static void
unit_free (gpointer p)
{
  AmsScUnit *u = p;
  g_array_unref (u->accounts);
  g_ptr_array_unref (u->units);
  g_free (u);
}

static void
scp_free (gpointer p)
{
  AmsScScp *s = p;
  ams_policy_unref (s->policy);
  g_free (s);
}

void
ams_sc_org_free (gpointer p)
{
  AmsScOrg *o = p;
  if (o == NULL)
    return;
  g_array_unref (o->accounts);
  g_ptr_array_unref (o->units);
  g_ptr_array_unref (o->scps);
  g_free (o);
}

/* ---- accounts[].kms_keys[] ---- */

static void
key_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_KMS_KEY_ID, &((AmsScKey *) target)->id);
}

static void
key_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScKey *k = target;
  ams_get_ref (c, value, AMS_PAT_REGION, &k->region);
}

static void
key_alias (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScKey *k = target;
  if (!ams_get_pattern (c, value, AMS_PAT_KMS_ALIAS, &k->alias))
    return;
  if (g_str_has_prefix (k->alias, "alias/aws/"))
    {
      ams_check_error (c, value, "aliases that begin with alias/aws/ are reserved for AWS managed "
                                 "keys; the AWS managed EBS key alias/aws/ebs exists in every "
                                 "account and region without being listed");
      k->alias = NULL;
    }
}

static void
key_state (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "enabled", "disabled", "pending_deletion" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScKey *) target)->state = (AmsKeyState) i;
}

static const AmsField key_fields[] = {
  { "id", key_id, AMS_FIELD_REQUIRED, "the key id, e.g. id: 1234abcd-12ab-34cd-56ef-1234567890ab" },
  { "region", key_region, AMS_FIELD_REQUIRED, "the key's region, e.g. region: us-east-1" },
  { "alias", key_alias, 0, NULL },
  { "state", key_state, 0, NULL },
  { "policy", NULL, 0, NULL }, /* compiled in key_item, once the key is named */
  { NULL },
};

/* Compiles the document at `item`.`field` (if written) as `kind`, named
 * `name` in verdicts; the path is that of the field. */
static AmsPolicy *
compile_field (AmsCheck *c, const AmsYNode *item, const char *field, AmsPolicyKind kind,
               const char *name)
{
  const AmsYNode *doc = item->kind == AMS_YNODE_MAPPING ? ams_ynode_lookup (item, field) : NULL;
  if (doc == NULL || ams_ynode_is_null (doc))
    return NULL;
  gsize mark = ams_check_push_key (c, field);
  AmsPolicy *p = ams_get_policy (c, doc, kind, name);
  ams_check_pop (c, mark);
  return p;
}

static void
key_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScAccount *a = target;
  AmsScKey *k = g_new0 (AmsScKey, 1);
  ams_check_loc (c, item, &k->loc);
  ams_check_mapping (c, item, key_fields, 0, k);
  g_autofree char *name = g_strdup_printf ("key policy of %s", k->alias   ? k->alias
                                                               : k->id    ? k->id
                                                                          : "a key");
  k->policy = compile_field (c, item, "policy", AMS_POLICY_RESOURCE, name);
  if (k->id == NULL || k->region.value == NULL)
    {
      key_free (k);
      return;
    }
  for (guint i = 0; i < a->kms_keys->len; i++)
    {
      const AmsScKey *o = a->kms_keys->pdata[i];
      /* a multi-Region key's primary and replicas share their id, one per region */
      gboolean replica = g_str_has_prefix (k->id, "mrk-")
                         && strcmp (o->region.value, k->region.value) != 0;
      if (strcmp (o->id, k->id) == 0 && !replica)
        {
          ams_check_error (c, item, "duplicate key id '%s' in this account (first at %u:%u)%s",
                           k->id, o->loc.line, o->loc.col,
                           g_str_has_prefix (k->id, "mrk-")
                             ? "; a multi-Region key has one replica per region" : "");
          key_free (k);
          return;
        }
      if (k->alias && o->alias && strcmp (o->alias, k->alias) == 0
          && strcmp (o->region.value, k->region.value) == 0)
        {
          ams_check_error (c, item, "alias '%s' is already used by key %s in %s (at %u:%u); an "
                                    "alias names one key per account and region",
                           k->alias, o->id, o->region.value, o->loc.line, o->loc.col);
          key_free (k);
          return;
        }
    }
  g_ptr_array_add (a->kms_keys, k);
}

/* ---- accounts[].roles[] ---- */

static void
role_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_ROLE_NAME, &((AmsScRole *) target)->name);
}

static void
role_managed (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScRole *r = target;
  if (value->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, value, "expected a list of AWS managed policy names, got %s",
                       ams_ynode_describe (value));
      return;
    }
  const char *const *known = ams_managed_policy_names ();
  guint n_known = g_strv_length ((char **) known);
  for (guint i = 0; i < value->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (value->items, i);
      gsize mark = ams_check_push_index (c, i);
      const char *text;
      if (ams_get_scalar (c, item, "a managed policy name", &text))
        {
          gboolean ok = FALSE;
          for (guint j = 0; j < n_known && !ok; j++)
            ok = strcmp (known[j], text) == 0;
          if (ok)
            {
              AmsScRef ref = { .value = ams_check_intern (c, text) };
              ams_check_loc (c, item, &ref.loc);
              g_array_append_val (r->managed_policies, ref);
            }
          else
            {
              g_autoptr (GString) msg = g_string_new (NULL);
              g_string_printf (msg, "unknown managed policy '%s'", text);
              ams_append_suggestion (msg, text, known, n_known, 8,
                                     "amisim ships the documents of: ");
              ams_check_error (c, item, "%s", msg->str);
            }
        }
      ams_check_pop (c, mark);
    }
}

static void
inline_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScRole *r = target;
  g_autofree char *name = g_strdup_printf ("inline policy %u of role %s", index,
                                           r->name ? r->name : "");
  AmsPolicy *p = ams_get_policy (c, item, AMS_POLICY_IDENTITY, name);
  if (p != NULL)
    g_ptr_array_add (r->inline_policies, p);
}

static void
role_inline (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, inline_item, target);
}

static const AmsField role_fields[] = {
  { "name", role_name, AMS_FIELD_REQUIRED,
    "the role's name, e.g. name: EC2ImageBuilderDistributionCrossAccountRole" },
  { "trust", NULL, AMS_FIELD_REQUIRED, /* compiled in role_item, once the role is named */
    "the role's trust policy, e.g. trust: {\"Version\": \"2012-10-17\", \"Statement\": [...]}" },
  { "managed_policies", role_managed, 0, NULL },
  { "inline_policies", NULL, 0, NULL }, /* likewise */
  { NULL },
};

static void
role_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScAccount *a = target;
  AmsScRole *r = g_new0 (AmsScRole, 1);
  r->managed_policies = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  r->inline_policies = g_ptr_array_new_with_free_func ((GDestroyNotify) ams_policy_unref);
  ams_check_loc (c, item, &r->loc);
  ams_check_mapping (c, item, role_fields, 0, r);
  if (r->name != NULL)
    {
      g_autofree char *name = g_strdup_printf ("trust policy of role %s", r->name);
      r->trust = compile_field (c, item, "trust", AMS_POLICY_RESOURCE, name);
      const AmsYNode *inl = ams_ynode_lookup (item, "inline_policies");
      if (inl != NULL && !ams_ynode_is_null (inl))
        {
          gsize mark = ams_check_push_key (c, "inline_policies");
          role_inline (c, NULL, inl, r);
          ams_check_pop (c, mark);
        }
    }
  if (r->name == NULL || r->trust == NULL)
    {
      role_free (r);
      return;
    }
  for (guint i = 0; i < a->roles->len; i++)
    {
      const AmsScRole *o = a->roles->pdata[i];
      /* IAM role names are unique per account, case-insensitively */
      if (g_ascii_strcasecmp (o->name, r->name) == 0)
        {
          ams_check_error (c, item, "duplicate role '%s' in this account (first at %u:%u)",
                           r->name, o->loc.line, o->loc.col);
          role_free (r);
          return;
        }
    }
  g_ptr_array_add (a->roles, r);
}

/* ---- accounts[] fields beyond id and name ---- */

void
ams_schema_account_enabled_regions (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                    gpointer target)
{
  AmsScAccount *a = target;
  ams_get_ref_list (c, value, AMS_PAT_REGION, 0, 0, TRUE, a->enabled_regions);
}

void
ams_schema_account_kms_keys (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                             gpointer target)
{
  ams_check_sequence (c, value, key_item, target);
}

void
ams_schema_account_roles (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                          gpointer target)
{
  ams_check_sequence (c, value, role_item, target);
}

void
ams_schema_account_block_public (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                 gpointer target)
{
  AmsScAccount *a = target;
  ams_get_bool (c, value, &a->block_public_ami_access);
}

/* recycle_bin: {retention: 7d}, a Recycle Bin retention rule for AMIs in
 * every region of the account. Recycle Bin counts retention in whole days,
 * from 1 to 365. */
static void
recycle_retention (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScAccount *a = target;
  AmsTime t;
  if (!ams_get_duration (c, value, &t))
    return;
  if (t < AMS_DAYS (1) || t > AMS_DAYS (365) || t % AMS_DAYS (1) != 0)
    {
      ams_check_error (c, value, "a Recycle Bin retention is a whole number of days from 1d to "
                                 "365d, got \"%s\"", value->text);
      return;
    }
  a->recycle_bin_retention = t;
}

static const AmsField recycle_bin_fields[] = {
  { "retention", recycle_retention, AMS_FIELD_REQUIRED,
    "how long deregistered AMIs stay restorable, 1d to 365d, e.g. retention: 7d" },
  { NULL },
};

/* ecr_repositories: [{name, region, tags}] */
static void
repo_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScRepository *r = target;
  const char *name;
  if (!ams_get_string (c, value, 2, 256, &name))
    return;
  if (!g_regex_match_simple ("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$",
                             name, 0, 0))
    {
      ams_check_error (c, value, "an ECR repository name is lowercase letters, digits and . _ - "
                                 "separators, with / between path parts, got \"%s\"", name);
      return;
    }
  r->name = name;
}

static void
repo_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_ref (c, value, AMS_PAT_REGION, &((AmsScRepository *) target)->region);
}

static void
repo_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_tags (c, value, 0, ((AmsScRepository *) target)->tags);
}

static const AmsField repository_fields[] = {
  { "name", repo_name, AMS_FIELD_REQUIRED, "the repository's name, e.g. name: golden/app" },
  { "region", repo_region, 0, NULL },
  { "tags", repo_tags, 0, NULL },
  { NULL },
};

static void
repository_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScAccount *a = target;
  AmsScRepository *r = g_new0 (AmsScRepository, 1);
  r->tags = ams_check_tags_new ();
  ams_check_loc (c, item, &r->loc);
  g_ptr_array_add (a->ecr_repositories, r);
  ams_check_mapping (c, item, repository_fields, 0, r);
}

void
ams_schema_account_repositories (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                 gpointer target)
{
  ams_check_sequence (c, value, repository_item, target);
}

void
ams_schema_account_recycle_bin (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                gpointer target)
{
  ams_check_mapping (c, value, recycle_bin_fields, 0, target);
}

/* ram_invitations: {accept: true, after: DIST}, how the account answers
 * RAM resource share invitations. The accounts of an account set answer as
 * their template does (the engine reads it through the template); without
 * a template, as the defaults say. */
static void
ram_accept (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScAccount *) target)->ram_accept);
}

static void
ram_after (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScAccount *a = target;
  if (ams_get_dist (c, value, &a->ram_after))
    a->ram_after_set = TRUE;
}

static const AmsField ram_invitation_fields[] = {
  { "accept", ram_accept, 0, NULL },
  { "after", ram_after, 0, NULL },
  { NULL },
};

void
ams_schema_account_ram_invitations (AmsCheck *c, const AmsYNode *key, const AmsYNode *value,
                                    gpointer target)
{
  AmsScAccount *a = target;
  if (!ams_check_mapping (c, value, ram_invitation_fields, 0, a) || a->ram_accept
      || !a->ram_after_set)
    return;
  const AmsYNode *after = ams_ynode_lookup (value, "after");
  gsize mark = ams_check_push_key (c, "after");
  ams_check_error (c, after, "after goes with accept: true (an account that does not accept "
                             "never answers, and its invitations expire); remove one");
  ams_check_pop (c, mark);
}

/* ---- organizations[] ---- */

static void unit_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target);

static void
placed_accounts (AmsCheck *c, const AmsYNode *value, GArray *out)
{
  ams_get_ref_list (c, value, AMS_PAT_ACCOUNT_ID, 0, 0, TRUE, out);
}

static void
unit_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_OU_ID, &((AmsScUnit *) target)->id);
}

static void
unit_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 1, 128, &((AmsScUnit *) target)->name);
}

static void
unit_accounts (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  placed_accounts (c, value, ((AmsScUnit *) target)->accounts);
}

static void
unit_units (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, unit_item, ((AmsScUnit *) target)->units);
}

static const AmsField unit_fields[] = {
  { "id", unit_id, AMS_FIELD_REQUIRED, "the OU's id, e.g. id: ou-a1b2-aaaaaaaa" },
  { "name", unit_name, 0, NULL },
  { "accounts", unit_accounts, 0, NULL },
  { "units", unit_units, 0, NULL },
  { NULL },
};

static void
unit_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  GPtrArray *units = target;
  AmsScUnit *u = unit_new ();
  ams_check_loc (c, item, &u->loc);
  ams_check_mapping (c, item, unit_fields, 0, u);
  if (u->id == NULL)
    {
      unit_free (u);
      return;
    }
  g_ptr_array_add (units, u);
}

static void
org_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_ORG_ID, &((AmsScOrg *) target)->id);
}

static void
org_management (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScOrg *o = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &o->management_account);
}

static void
org_root (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_ROOT_ID, &((AmsScOrg *) target)->root);
}

static void
org_ram (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScOrg *) target)->ram_sharing);
}

static void
org_accounts (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  placed_accounts (c, value, ((AmsScOrg *) target)->accounts);
}

static void
org_units (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, unit_item, ((AmsScOrg *) target)->units);
}

static void
scp_target (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScScp *s = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a root id, OU id or account id", &text))
    return;
  gsize len = strlen (text);
  if (!ams_pattern_match (AMS_PAT_ROOT_ID, text, len) && !ams_pattern_match (AMS_PAT_OU_ID, text, len)
      && !ams_pattern_match (AMS_PAT_ACCOUNT_ID, text, len))
    {
      ams_check_error (c, value, "expected the root (r-…), an OU (ou-…-…) or a 12-digit account "
                                 "id as the SCP's target, got \"%s\"", text);
      return;
    }
  s->target.value = ams_check_intern (c, text);
  ams_check_loc (c, value, &s->target.loc);
}

static void
scp_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 1, 128, &((AmsScScp *) target)->name);
}

static const AmsField scp_fields[] = {
  { "target", scp_target, AMS_FIELD_REQUIRED,
    "where the SCP is attached: the root (r-…), an OU (ou-…) or an account id" },
  { "name", scp_name, 0, NULL },
  { "policy", NULL, AMS_FIELD_REQUIRED, "the SCP document" }, /* compiled in scp_item */
  { NULL },
};

static void
scp_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScOrg *o = target;
  AmsScScp *s = g_new0 (AmsScScp, 1);
  ams_check_loc (c, item, &s->loc);
  ams_check_mapping (c, item, scp_fields, 0, s);
  g_autofree char *name = s->name ? g_strdup_printf ("SCP %s", s->name)
                                  : g_strdup_printf ("SCP %u of %s", index, o->id ? o->id : "");
  s->policy = compile_field (c, item, "policy", AMS_POLICY_SCP, name);
  if (s->target.value == NULL || s->policy == NULL)
    {
      scp_free (s);
      return;
    }
  g_ptr_array_add (o->scps, s);
}

static void
org_scps (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, scp_item, target);
}

static const AmsField org_fields[] = {
  { "id", org_id, AMS_FIELD_REQUIRED, "the organization's id, e.g. id: o-a1b2c3d4e5" },
  { "management_account", org_management, AMS_FIELD_REQUIRED,
    "the management account's id, e.g. management_account: \"111111111111\"" },
  { "root", org_root, AMS_FIELD_REQUIRED, "the root's id, e.g. root: r-a1b2" },
  { "ram_sharing", org_ram, 0, NULL },
  { "accounts", org_accounts, 0, NULL },
  { "units", org_units, 0, NULL },
  { "scps", org_scps, 0, NULL },
  { NULL },
};

void
ams_schema_organization (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScOrg *o = g_new0 (AmsScOrg, 1);
  o->accounts = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  o->units = g_ptr_array_new_with_free_func (unit_free);
  o->scps = g_ptr_array_new_with_free_func (scp_free);
  ams_check_loc (c, item, &o->loc);
  ams_check_mapping (c, item, org_fields, 0, o);
  if (o->id == NULL || o->root == NULL || o->management_account.value == NULL)
    {
      ams_sc_org_free (o);
      return;
    }
  g_ptr_array_add (sc->organizations, o);
}

/* ---- account_sets[] ---- */

static void
set_count (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 1000000, &v))
    ((AmsScAccountSet *) target)->count = (guint) v;
}

static void
set_first_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_ACCOUNT_ID, &((AmsScAccountSet *) target)->first_id);
}

static void
set_parent (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScAccountSet *s = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a root id (r-…) or an OU id (ou-…)", &text))
    return;
  gsize len = strlen (text);
  if (!ams_pattern_match (AMS_PAT_ROOT_ID, text, len) && !ams_pattern_match (AMS_PAT_OU_ID, text, len))
    {
      ams_check_error (c, value, "expected a root id (r-…) or an OU id (ou-…-…) as the parent, "
                                 "got \"%s\"", text);
      return;
    }
  s->parent.value = ams_check_intern (c, text);
  ams_check_loc (c, value, &s->parent.loc);
}

static void
set_like (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScAccountSet *s = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &s->like);
}

static void
set_name_prefix (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 1, 100, &((AmsScAccountSet *) target)->name_prefix);
}

static const AmsField set_fields[] = {
  { "count", set_count, AMS_FIELD_REQUIRED, "how many accounts, e.g. count: 2000" },
  { "first_id", set_first_id, AMS_FIELD_REQUIRED,
    "the first account id; the others count up from it, e.g. first_id: \"400000000000\"" },
  { "parent", set_parent, 0, NULL },
  { "like", set_like, 0, NULL },
  { "name_prefix", set_name_prefix, 0, NULL },
  { NULL },
};

void
ams_schema_account_set (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  g_autofree AmsScAccountSet *s = g_new0 (AmsScAccountSet, 1);
  ams_check_loc (c, item, &s->loc);
  ams_check_mapping (c, item, set_fields, 0, s);
  if (s->count == 0 || s->first_id == NULL)
    return;
  guint64 first = g_ascii_strtoull (s->first_id, NULL, 10);
  if (first + s->count - 1 > G_GUINT64_CONSTANT (999999999999))
    {
      ams_check_error (c, item, "%u accounts from %s run past the largest account id "
                                "999999999999", s->count, s->first_id);
      return;
    }
  g_ptr_array_add (sc->account_sets, g_steal_pointer (&s));
}

/* ---- references ---- */

/* The set (index into sc->account_sets) that creates `id`, or -1. */
static int
range_of (const AmsScenario *sc, const char *id)
{
  if (!ams_pattern_match (AMS_PAT_ACCOUNT_ID, id, strlen (id)))
    return -1;
  guint64 v = g_ascii_strtoull (id, NULL, 10);
  for (guint i = 0; i < sc->account_sets->len; i++)
    {
      const AmsScAccountSet *s = sc->account_sets->pdata[i];
      guint64 first = g_ascii_strtoull (s->first_id, NULL, 10);
      if (v >= first && v < first + s->count)
        return (int) i;
    }
  return -1;
}

gboolean
ams_schema_account_defined (AmsCheck *c, const char *id)
{
  return g_hash_table_contains (c->accounts, id) || range_of (c->sc, id) >= 0;
}

/* An account reference that must name a defined account. */
static gboolean
need_account (AmsCheck *c, const AmsScRef *ref)
{
  if (ref->value == NULL || ams_schema_account_defined (c, ref->value))
    return TRUE;
  g_autoptr (GString) msg = g_string_new (NULL);
  g_string_printf (msg, "account '%s' is not defined in accounts or account_sets", ref->value);
  ams_append_suggestion (msg, ref->value, (const char *const *) c->account_names->pdata,
                         c->account_names->len, 8, "defined: ");
  ams_check_error_at (c, &ref->loc, "%s", msg->str);
  return FALSE;
}

typedef struct
{
  const AmsScRef *ref;   /* where it was placed */
  const AmsScOrg *org;   /* in which organization */
} Placement;

typedef struct
{
  AmsCheck *c;
  GHashTable *placed;    /* account id -> Placement* (owned) */
  GHashTable *parents;   /* r-… / ou-… -> AmsScOrg* */
  GHashTable *unit_locs; /* ou-… -> AmsSrcLoc* (first definition) */
  GPtrArray *parent_names;
} World;

static void
place (World *w, const AmsScOrg *o, const AmsScRef *ref)
{
  if (!need_account (w->c, ref))
    return;
  const Placement *first = g_hash_table_lookup (w->placed, ref->value);
  if (first != NULL)
    {
      ams_check_error_at (w->c, &ref->loc, "account '%s' is placed twice in the organization tree (first at "
                               "%u:%u); an account sits in the root or in exactly one OU",
                    ref->value, first->ref->loc.line, first->ref->loc.col);
      return;
    }
  int set = range_of (w->c->sc, ref->value);
  if (set >= 0 && ((const AmsScAccountSet *) w->c->sc->account_sets->pdata[set])->parent.value)
    {
      const AmsScAccountSet *s = w->c->sc->account_sets->pdata[set];
      ams_check_error_at (w->c, &ref->loc, "account '%s' is placed twice: account_sets[%d] (at %u:%u) already "
                               "places it under %s", ref->value, set, s->loc.line, s->loc.col,
                    s->parent.value);
      return;
    }
  Placement *pl = g_new (Placement, 1);
  pl->ref = ref;
  pl->org = o;
  g_hash_table_insert (w->placed, (gpointer) ref->value, pl);
}

/* AWS: OUs nest at most five levels below the root. */
#define MAX_OU_DEPTH 5

static void
walk_units (World *w, const AmsScOrg *o, GPtrArray *units, guint depth)
{
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      if (depth > MAX_OU_DEPTH)
        {
          ams_check_error_at (w->c, &u->loc, "OU '%s' is nested %u levels below the root; AWS "
                                       "allows at most %d", u->id, depth, MAX_OU_DEPTH);
          continue;
        }
      const AmsSrcLoc *first = g_hash_table_lookup (w->unit_locs, u->id);
      if (first != NULL)
        ams_check_error_at (w->c, &u->loc, "duplicate OU '%s' (first at %u:%u)", u->id, first->line,
                      first->col);
      else
        {
          g_hash_table_insert (w->unit_locs, (gpointer) u->id, (gpointer) &u->loc);
          g_hash_table_insert (w->parents, (gpointer) u->id, (gpointer) o);
          g_ptr_array_add (w->parent_names, (gpointer) u->id);
        }
      for (guint j = 0; j < u->accounts->len; j++)
        place (w, o, &g_array_index (u->accounts, AmsScRef, j));
      walk_units (w, o, u->units, depth + 1);
    }
}

/* Is `account` in organization `o`: its management account, listed in its
 * tree, or created by a set placed in it? */
static gboolean
in_org (World *w, const AmsScOrg *o, const char *account)
{
  if (strcmp (o->management_account.value, account) == 0)
    return TRUE;
  const Placement *pl = g_hash_table_lookup (w->placed, account);
  if (pl != NULL)
    return pl->org == o;
  int set = range_of (w->c->sc, account);
  if (set >= 0)
    {
      const AmsScAccountSet *s = w->c->sc->account_sets->pdata[set];
      return s->parent.value && g_hash_table_lookup (w->parents, s->parent.value) == o;
    }
  return FALSE;
}

void
ams_schema_resolve_world (AmsCheck *c, AmsScenario *sc)
{
  World w = {
    .c = c,
    .placed = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free),
    .parents = g_hash_table_new (g_str_hash, g_str_equal),
    .unit_locs = g_hash_table_new (g_str_hash, g_str_equal),
    .parent_names = g_ptr_array_new (),
  };

  /* accounts: regions their keys live in and the regions they enabled */
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = sc->accounts->pdata[i];
      for (guint j = 0; j < a->enabled_regions->len; j++)
        ams_schema_resolve_region (c, &g_array_index (a->enabled_regions, AmsScRef, j));
      for (guint j = 0; j < a->kms_keys->len; j++)
        ams_schema_resolve_region (c, &((const AmsScKey *) a->kms_keys->pdata[j])->region);
    }

  /* account sets: ids must not collide with listed accounts or each other */
  for (guint i = 0; i < sc->account_sets->len; i++)
    {
      const AmsScAccountSet *s = sc->account_sets->pdata[i];
      guint64 first = g_ascii_strtoull (s->first_id, NULL, 10), last = first + s->count - 1;
      for (guint j = 0; j < i; j++)
        {
          const AmsScAccountSet *o = sc->account_sets->pdata[j];
          guint64 of = g_ascii_strtoull (o->first_id, NULL, 10), ol = of + o->count - 1;
          if (first <= ol && of <= last)
            ams_check_error_at (c, &s->loc, "the ids of this set (%012" G_GUINT64_FORMAT " to %012"
                                      G_GUINT64_FORMAT ") overlap account_sets[%u] (at %u:%u)",
                          first, last, j, o->loc.line, o->loc.col);
        }
      for (guint j = 0; j < sc->accounts->len; j++)
        {
          const AmsScAccount *a = sc->accounts->pdata[j];
          guint64 v = g_ascii_strtoull (a->id, NULL, 10);
          if (v >= first && v <= last)
            ams_check_error_at (c, &a->loc, "account '%s' is also created by account_sets[%u] (ids "
                                      "%012" G_GUINT64_FORMAT " to %012" G_GUINT64_FORMAT ")",
                          a->id, i, first, last);
        }
      if (s->like.value != NULL && !g_hash_table_contains (c->accounts, s->like.value))
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "template account '%s' is not defined in accounts", s->like.value);
          ams_append_suggestion (msg, s->like.value, (const char *const *) c->account_names->pdata,
                                 c->account_names->len, 8, "defined: ");
          ams_check_error_at (c, &s->like.loc, "%s", msg->str);
        }
    }

  /* organizations: ids, roots and OUs unique; every account in one place */
  g_autoptr (GHashTable) orgs = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      const AmsScOrg *first = g_hash_table_lookup (orgs, o->id);
      if (first != NULL)
        {
          ams_check_error_at (c, &o->loc, "duplicate organization '%s' (first at %u:%u)", o->id,
                        first->loc.line, first->loc.col);
          continue;
        }
      g_hash_table_insert (orgs, (gpointer) o->id, (gpointer) o);
      if (g_hash_table_contains (w.parents, o->root))
        ams_check_error_at (c, &o->loc, "root '%s' is already the root of another organization", o->root);
      g_hash_table_insert (w.parents, (gpointer) o->root, (gpointer) o);
      g_ptr_array_add (w.parent_names, (gpointer) o->root);
      need_account (c, &o->management_account);
      for (guint j = 0; j < o->accounts->len; j++)
        place (&w, o, &g_array_index (o->accounts, AmsScRef, j));
      walk_units (&w, o, o->units, 1);
    }
  /* a management account belongs to exactly one organization */
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      const Placement *placed = g_hash_table_lookup (w.placed, o->management_account.value);
      if (placed != NULL && placed->org != o)
        ams_check_error_at (c, &o->management_account.loc, "management account '%s' is placed in another "
                                                "organization, %s (at %u:%u)",
                      o->management_account.value, placed->org->id, placed->ref->loc.line,
                      placed->ref->loc.col);
      for (guint j = 0; j < i; j++)
        {
          const AmsScOrg *p = sc->organizations->pdata[j];
          if (strcmp (p->management_account.value, o->management_account.value) == 0)
            ams_check_error_at (c, &o->management_account.loc, "account '%s' already manages organization "
                                                    "%s; an account belongs to one organization",
                          o->management_account.value, p->id);
        }
    }
  for (guint i = 0; i < sc->account_sets->len; i++)
    {
      const AmsScAccountSet *s = sc->account_sets->pdata[i];
      if (s->parent.value != NULL && !g_hash_table_contains (w.parents, s->parent.value))
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "parent '%s' is not a root or OU of any organization", s->parent.value);
          ams_append_suggestion (msg, s->parent.value, (const char *const *) w.parent_names->pdata,
                                 w.parent_names->len, 8, "defined: ");
          ams_check_error_at (c, &s->parent.loc, "%s", msg->str);
        }
    }
  /* SCP targets resolve within their organization */
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      for (guint j = 0; j < o->scps->len; j++)
        {
          const AmsScScp *s = o->scps->pdata[j];
          const char *t = s->target.value;
          if (t[0] == 'r' || t[0] == 'o')
            {
              if (g_hash_table_lookup (w.parents, t) != o)
                ams_check_error_at (c, &s->target.loc, "'%s' is not the root or an OU of organization %s",
                              t, o->id);
            }
          else if (!in_org (&w, o, t))
            ams_check_error_at (c, &s->target.loc, "account '%s' is not in organization %s", t, o->id);
        }
    }

  g_hash_table_unref (w.placed);
  g_hash_table_unref (w.parents);
  g_hash_table_unref (w.unit_locs);
  g_ptr_array_unref (w.parent_names);
}

static gboolean
unit_defined (const GPtrArray *units, const char *id)
{
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      if (strcmp (u->id, id) == 0 || unit_defined (u->units, id))
        return TRUE;
    }
  return FALSE;
}

gboolean
ams_schema_org_node_defined (const AmsScenario *sc, const char *id)
{
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = sc->organizations->pdata[i];
      if (strcmp (o->root, id) == 0 || unit_defined (o->units, id))
        return TRUE;
    }
  return FALSE;
}

const AmsSchemaTable *
ams_schema_world_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("accounts[].kms_keys[]", key_fields),
    AMS_SCHEMA_TABLE ("accounts[].roles[]", role_fields),
    AMS_SCHEMA_TABLE ("accounts[].recycle_bin", recycle_bin_fields),
    AMS_SCHEMA_TABLE ("accounts[].ecr_repositories[]", repository_fields),
    AMS_SCHEMA_TABLE ("accounts[].ram_invitations", ram_invitation_fields),
    AMS_SCHEMA_TABLE ("organizations[]", org_fields),
    AMS_SCHEMA_TABLE ("organizations[].units[]", unit_fields), /* and units[] below it */
    AMS_SCHEMA_TABLE ("organizations[].scps[]", scp_fields),
    AMS_SCHEMA_TABLE ("account_sets[]", set_fields),
    { NULL },
  };
  return tables;
}
