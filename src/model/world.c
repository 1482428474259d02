/* The world of a simulation: regions, accounts (listed, and made by
 * account_sets), organizations with their OU trees and SCPs, keys and roles.
 *
 * Built once from a scenario the loader has already validated, so every
 * reference in it resolves; a failed lookup here is a programming error.
 * Org paths are computed once per OU (not per account), and accounts made
 * by a set point at their template's scenario entry instead of copying
 * keys and roles. Key policies that the scenario does not spell out (the
 * default key policy, the AWS managed key's) are compiled on first use and
 * kept per account. */
#include <stdio.h>
#include <string.h>

#include "amisim/world.h"

struct AmsWorld
{
  const AmsScenario *sc;
  GStringChunk *strings;
  GArray *regions;        /* of AmsRegion */
  GPtrArray *accounts;    /* of AmsAccount* (owned) */
  GPtrArray *orgs;        /* of AmsOrg* (owned) */
  GPtrArray *nodes;       /* of AmsOrgNode* (owned) */
  GHashTable *by_region;  /* name -> index + 1 */
  GHashTable *by_account; /* id -> AmsAccount* */
  GHashTable *by_org;     /* o-… -> AmsOrg* */
  GHashTable *by_node;    /* r-… / ou-… -> AmsOrgNode* */
  /* the default key policy of an account, or its aws/ebs key's in a region, by
   * key_policy_slot () -> AmsPolicy* */
  GHashTable *key_policies;
  /* what-if changes, by key_slot () "<account>/<region>/<key id>" or
   * "<account>/<role name, lower case>" */
  GHashTable *key_states;   /* -> GINT_TO_POINTER (state + 1) */
  GHashTable *edited_keys;  /* -> AmsPolicy* (owned) */
  GHashTable *roles;        /* -> AmsScRole* (owned shallow copy), or DELETED */
  guint64 generation;       /* bumped by every what-if change (ams_world_generation) */
};

/* A role deleted by an event. */
static const AmsScRole deleted_role;
#define DELETED ((AmsScRole *) &deleted_role)

/* ---- building ---- */

static void
role_override_free (gpointer p)
{
  AmsScRole *r = p;
  if (r == DELETED)
    return;
  ams_policy_unref (r->trust);
  g_ptr_array_unref (r->inline_policies);
  g_free (r);
}

/* A role as events change it: a copy of `now` owning its trust policy and
 * its list of inline policies (references to the same policies; the
 * managed policies' names stay the scenario's). */
static AmsScRole *
role_override (const AmsScRole *now)
{
  AmsScRole *r = g_new (AmsScRole, 1);
  *r = *now;
  r->trust = ams_policy_ref (now->trust);
  r->inline_policies = g_ptr_array_new_full (now->inline_policies->len,
                                             (GDestroyNotify) ams_policy_unref);
  for (guint i = 0; i < now->inline_policies->len; i++)
    g_ptr_array_add (r->inline_policies, ams_policy_ref (now->inline_policies->pdata[i]));
  return r;
}

static const char *
intern (AmsWorld *w, const char *s)
{
  return s == NULL ? NULL : g_string_chunk_insert_const (w->strings, s);
}

static AmsOrgNode *
node_new (AmsWorld *w, const AmsOrg *org, const AmsOrgNode *parent, const char *id,
          const char *name)
{
  AmsOrgNode *n = g_new0 (AmsOrgNode, 1);
  n->id = id;
  n->name = name;
  n->parent = parent;
  n->org = org;
  n->depth = parent ? parent->depth + 1 : 0;
  g_autofree char *path = parent ? g_strdup_printf ("%s%s/", parent->path, id)
                                 : g_strdup_printf ("%s/%s/", org->id, id);
  n->path = intern (w, path);
  n->scps = g_ptr_array_new ();
  g_ptr_array_add (w->nodes, n);
  g_hash_table_insert (w->by_node, (gpointer) id, n);
  return n;
}

static AmsAccount *
account_add (AmsWorld *w, const char *id, const char *name, const AmsScAccount *proto)
{
  AmsAccount *a = g_new0 (AmsAccount, 1);
  a->index = w->accounts->len;
  a->id = id;
  a->name = name;
  a->proto = proto;
  g_ptr_array_add (w->accounts, a);
  g_hash_table_insert (w->by_account, (gpointer) id, a);
  return a;
}

static void
place_accounts (AmsWorld *w, const AmsOrgNode *node, const GArray *refs)
{
  for (guint i = 0; i < refs->len; i++)
    {
      AmsAccount *a = g_hash_table_lookup (w->by_account, g_array_index (refs, AmsScRef, i).value);
      g_assert (a != NULL);
      a->parent = node;
    }
}

static void
build_units (AmsWorld *w, const AmsOrg *org, const AmsOrgNode *parent, const GPtrArray *units)
{
  for (guint i = 0; i < units->len; i++)
    {
      const AmsScUnit *u = units->pdata[i];
      AmsOrgNode *n = node_new (w, org, parent, u->id, u->name);
      place_accounts (w, n, u->accounts);
      build_units (w, org, n, u->units);
    }
}

static const AmsScAccount *
scenario_account (const AmsScenario *sc, const char *id)
{
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = sc->accounts->pdata[i];
      if (strcmp (a->id, id) == 0)
        return a;
    }
  return NULL;
}

AmsWorld *
ams_world_new (const AmsScenario *sc)
{
  g_return_val_if_fail (sc != NULL, NULL);
  AmsWorld *w = g_new0 (AmsWorld, 1);
  w->sc = sc;
  w->strings = g_string_chunk_new (4096);
  w->regions = g_array_sized_new (FALSE, TRUE, sizeof (AmsRegion), sc->regions->len);
  w->accounts = g_ptr_array_new_with_free_func (g_free);
  w->orgs = g_ptr_array_new_with_free_func (g_free);
  w->nodes = g_ptr_array_new ();
  w->by_region = g_hash_table_new (g_str_hash, g_str_equal);
  w->by_account = g_hash_table_new (g_str_hash, g_str_equal);
  w->by_org = g_hash_table_new (g_str_hash, g_str_equal);
  w->by_node = g_hash_table_new (g_str_hash, g_str_equal);
  w->key_policies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) ams_policy_unref);
  w->key_states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  w->edited_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) ams_policy_unref);
  w->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, role_override_free);

  for (guint i = 0; i < sc->regions->len; i++)
    {
      const AmsScRegion *r = g_ptr_array_index (sc->regions, i);
      AmsRegion region = {
        .index = i, .name = r->name, .pv_supported = r->pv_supported, .opt_in = r->opt_in,
      };
      g_array_append_val (w->regions, region);
      g_hash_table_insert (w->by_region, (gpointer) r->name, GUINT_TO_POINTER (i + 1));
    }

  /* accounts: the listed ones, then each set's, in order */
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = g_ptr_array_index (sc->accounts, i);
      account_add (w, a->id, a->name, a);
    }
  for (guint i = 0; i < sc->account_sets->len; i++)
    {
      const AmsScAccountSet *s = g_ptr_array_index (sc->account_sets, i);
      const AmsScAccount *proto = s->like.value ? scenario_account (sc, s->like.value) : NULL;
      guint64 first = g_ascii_strtoull (s->first_id, NULL, 10);
      for (guint j = 0; j < s->count; j++)
        {
          char id[16], name[160];
          g_snprintf (id, sizeof id, "%012" G_GUINT64_FORMAT, first + j);
          const char *nm = NULL;
          if (s->name_prefix != NULL)
            {
              g_snprintf (name, sizeof name, "%s%u", s->name_prefix, j + 1);
              nm = intern (w, name);
            }
          account_add (w, intern (w, id), nm, proto);
        }
    }

  /* organizations: nodes, placements, SCP attachments */
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = g_ptr_array_index (sc->organizations, i);
      AmsOrg *org = g_new0 (AmsOrg, 1);
      org->index = i;
      org->id = o->id;
      org->management_account = o->management_account.value;
      g_autofree char *arn = g_strdup_printf ("arn:aws:organizations::%s:organization/%s",
                                              org->management_account, org->id);
      org->arn = intern (w, arn);
      org->ram_sharing = o->ram_sharing;
      org->scps_enabled = o->scps->len > 0;
      g_ptr_array_add (w->orgs, org);
      g_hash_table_insert (w->by_org, (gpointer) org->id, org);
      org->root = node_new (w, org, NULL, o->root, NULL);
      place_accounts (w, org->root, o->accounts);
      build_units (w, org, org->root, o->units);
      /* the management account sits at the root unless listed elsewhere */
      AmsAccount *mgmt = g_hash_table_lookup (w->by_account, org->management_account);
      g_assert (mgmt != NULL);
      if (mgmt->parent == NULL)
        mgmt->parent = org->root;
    }
  for (guint i = 0; i < sc->account_sets->len; i++)
    {
      const AmsScAccountSet *s = g_ptr_array_index (sc->account_sets, i);
      if (s->parent.value == NULL)
        continue;
      const AmsOrgNode *parent = g_hash_table_lookup (w->by_node, s->parent.value);
      g_assert (parent != NULL);
      guint64 first = g_ascii_strtoull (s->first_id, NULL, 10);
      for (guint j = 0; j < s->count; j++)
        {
          char id[16];
          g_snprintf (id, sizeof id, "%012" G_GUINT64_FORMAT, first + j);
          AmsAccount *a = g_hash_table_lookup (w->by_account, id);
          a->parent = parent;
        }
    }
  for (guint i = 0; i < sc->organizations->len; i++)
    {
      const AmsScOrg *o = g_ptr_array_index (sc->organizations, i);
      for (guint j = 0; j < o->scps->len; j++)
        {
          const AmsScScp *s = o->scps->pdata[j];
          AmsOrgNode *n = g_hash_table_lookup (w->by_node, s->target.value);
          if (n != NULL)
            {
              g_ptr_array_add (n->scps, s->policy);
              continue;
            }
          AmsAccount *a = g_hash_table_lookup (w->by_account, s->target.value);
          g_assert (a != NULL);
          if (a->scps == NULL)
            a->scps = g_ptr_array_new ();
          g_ptr_array_add (a->scps, s->policy);
        }
    }
  return w;
}

void
ams_world_free (AmsWorld *w)
{
  if (w == NULL)
    return;
  for (guint i = 0; i < w->accounts->len; i++)
    {
      AmsAccount *a = w->accounts->pdata[i];
      if (a->scps != NULL)
        g_ptr_array_unref (a->scps);
    }
  for (guint i = 0; i < w->nodes->len; i++)
    {
      AmsOrgNode *n = w->nodes->pdata[i];
      g_ptr_array_unref (n->scps);
      g_free (n);
    }
  g_ptr_array_unref (w->nodes);
  g_ptr_array_unref (w->accounts);
  g_ptr_array_unref (w->orgs);
  g_array_unref (w->regions);
  g_hash_table_unref (w->by_region);
  g_hash_table_unref (w->by_account);
  g_hash_table_unref (w->by_org);
  g_hash_table_unref (w->by_node);
  g_hash_table_unref (w->key_policies);
  g_hash_table_unref (w->key_states);
  g_hash_table_unref (w->edited_keys);
  g_hash_table_unref (w->roles);
  g_string_chunk_free (w->strings);
  g_free (w);
}

/* ---- lookups ---- */

const AmsScenario *
ams_world_scenario (const AmsWorld *w)
{
  return w->sc;
}

guint
ams_world_n_regions (const AmsWorld *w)
{
  return w->regions->len;
}

guint
ams_world_n_accounts (const AmsWorld *w)
{
  return w->accounts->len;
}

guint
ams_world_n_orgs (const AmsWorld *w)
{
  return w->orgs->len;
}

const AmsRegion *
ams_world_region (const AmsWorld *w, guint index)
{
  g_return_val_if_fail (index < w->regions->len, NULL);
  return &g_array_index (w->regions, AmsRegion, index);
}

const AmsAccount *
ams_world_account (const AmsWorld *w, guint index)
{
  g_return_val_if_fail (index < w->accounts->len, NULL);
  return w->accounts->pdata[index];
}

const AmsOrg *
ams_world_org (const AmsWorld *w, guint index)
{
  g_return_val_if_fail (index < w->orgs->len, NULL);
  return w->orgs->pdata[index];
}

const AmsRegion *
ams_world_find_region (const AmsWorld *w, const char *name)
{
  guint i = GPOINTER_TO_UINT (g_hash_table_lookup (w->by_region, name));
  return i == 0 ? NULL : ams_world_region (w, i - 1);
}

const AmsAccount *
ams_world_find_account (const AmsWorld *w, const char *id)
{
  return g_hash_table_lookup (w->by_account, id);
}

const AmsOrg *
ams_world_find_org (const AmsWorld *w, const char *id)
{
  return g_hash_table_lookup (w->by_org, id);
}

const AmsOrgNode *
ams_world_find_org_node (const AmsWorld *w, const char *id)
{
  return g_hash_table_lookup (w->by_node, id);
}

/* ---- accounts ---- */

const AmsOrg *
ams_account_org (const AmsAccount *a)
{
  return a->parent ? a->parent->org : NULL;
}

const char *
ams_account_org_path (const AmsAccount *a)
{
  return a->parent ? a->parent->path : NULL;
}

void
ams_account_place (const AmsAccount *a, AmsPlace *out)
{
  out->account = a->id;
  out->org_id = a->parent ? a->parent->org->id : NULL;
  out->org_path = ams_account_org_path (a);
}

gboolean
ams_account_region_enabled (const AmsAccount *a, const AmsRegion *region)
{
  if (!region->opt_in)
    return TRUE;
  if (a->proto == NULL)
    return FALSE;
  for (guint i = 0; i < a->proto->enabled_regions->len; i++)
    if (strcmp (g_array_index (a->proto->enabled_regions, AmsScRef, i).value, region->name) == 0)
      return TRUE;
  return FALSE;
}

gboolean
ams_account_blocks_public_amis (const AmsAccount *a)
{
  return a->proto == NULL ? TRUE : a->proto->block_public_ami_access;
}

static char *
role_key (const AmsAccount *a, const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);
  return g_strdup_printf ("%s/%s", a->id, lower);
}

static const AmsScRole *
proto_role (const AmsAccount *a, const char *name)
{
  if (a->proto == NULL)
    return NULL;
  for (guint i = 0; i < a->proto->roles->len; i++)
    {
      const AmsScRole *r = a->proto->roles->pdata[i];
      if (g_ascii_strcasecmp (r->name, name) == 0)
        return r;
    }
  return NULL;
}

const AmsScRole *
ams_world_find_role (const AmsWorld *w, const AmsAccount *a, const char *name)
{
  if (g_hash_table_size (w->roles) > 0)
    {
      g_autofree char *key = role_key (a, name);
      const AmsScRole *r = g_hash_table_lookup (w->roles, key);
      if (r != NULL)
        return r == DELETED ? NULL : r;
    }
  return proto_role (a, name);
}

gboolean
ams_account_is_management (const AmsAccount *a)
{
  const AmsOrg *org = ams_account_org (a);
  return org != NULL && strcmp (org->management_account, a->id) == 0;
}

void
ams_world_scp_layers (const AmsWorld *w, const AmsAccount *a, AmsScpLayers *out)
{
  memset (out, 0, sizeof *out);
  const AmsOrg *org = ams_account_org (a);
  if (org == NULL || !org->scps_enabled || ams_account_is_management (a))
    return;
  const AmsOrgNode *chain[AMS_SCP_MAX_LAYERS];
  guint depth = 0;
  for (const AmsOrgNode *n = a->parent; n != NULL && depth < AMS_SCP_MAX_LAYERS - 1; n = n->parent)
    chain[depth++] = n;
  for (guint i = depth; i-- > 0;)
    if (chain[i]->scps->len > 0)
      {
        out->layer[out->n] = (AmsPolicy *const *) chain[i]->scps->pdata;
        out->count[out->n] = chain[i]->scps->len;
        out->name[out->n] = chain[i]->id;
        out->n++;
      }
  if (a->scps != NULL && a->scps->len > 0)
    {
      out->layer[out->n] = (AmsPolicy *const *) a->scps->pdata;
      out->count[out->n] = a->scps->len;
      out->name[out->n] = a->id;
      out->n++;
    }
}

void
ams_scp_layers_apply (const AmsScpLayers *l, AmsPolicySet *set)
{
  set->scp_layers = l->n ? l->layer : NULL;
  set->n_scp = l->n ? l->count : NULL;
  set->scp_layer_names = l->n ? l->name : NULL;
  set->n_scp_layers = l->n;
}

/* ---- keys ---- */

/* The name under which a key's what-if state and edited policy are kept:
 * its account, region and id. A multi-Region key's primary and replicas
 * share an id (mrk-…) but are keys of their own in KMS, each with its own
 * state and key policy: disabling one leaves the others as they are. */
static char *
key_slot (const AmsAccount *account, const AmsScKey *key)
{
  return g_strdup_printf ("%s/%s/%s", account->id, key->region.value, key->id);
}

static void
key_arn (AmsKeyInfo *out)
{
  if (out->aws_managed)
    g_snprintf (out->arn, sizeof out->arn, "arn:aws:kms:%s:%s:alias/aws/ebs", out->region->name,
                out->account->id);
  else
    g_snprintf (out->arn, sizeof out->arn, "arn:aws:kms:%s:%s:key/%s", out->region->name,
                out->account->id, out->key->id);
}

static AmsKeyLookup
find_in (const AmsWorld *w, const AmsAccount *account, const AmsRegion *region,
         const char *id_or_alias, AmsKeyInfo *out)
{
  memset (out, 0, sizeof *out);
  out->account = account;
  out->region = region;
  if (strcmp (id_or_alias, "alias/aws/ebs") == 0)
    {
      out->aws_managed = TRUE;
      out->state = AMS_KEY_ENABLED;
      key_arn (out);
      return AMS_KEY_FOUND;
    }
  gboolean alias = g_str_has_prefix (id_or_alias, "alias/");
  gboolean elsewhere = FALSE;
  if (account->proto != NULL)
    for (guint i = 0; i < account->proto->kms_keys->len; i++)
      {
        const AmsScKey *k = account->proto->kms_keys->pdata[i];
        const char *name = alias ? k->alias : k->id;
        if (name == NULL || strcmp (name, id_or_alias) != 0)
          continue;
        if (strcmp (k->region.value, region->name) != 0)
          {
            elsewhere = TRUE;
            continue;
          }
        out->key = k;
        out->state = k->state;
        if (g_hash_table_size (w->key_states) > 0)
          {
            g_autofree char *sk = key_slot (account, k);
            gpointer st = g_hash_table_lookup (w->key_states, sk);
            if (st != NULL)
              out->state = (AmsKeyState) (GPOINTER_TO_INT (st) - 1);
          }
        key_arn (out);
        return AMS_KEY_FOUND;
      }
  return elsewhere ? AMS_KEY_OTHER_REGION : AMS_KEY_NOT_FOUND;
}

AmsKeyLookup
ams_world_find_key (const AmsWorld *w, const char *ref, const AmsAccount *account,
                    const AmsRegion *region, AmsKeyInfo *out)
{
  g_return_val_if_fail (account != NULL && region != NULL && out != NULL, AMS_KEY_NOT_FOUND);
  if (ref == NULL)
    ref = "alias/aws/ebs";
  if (!g_str_has_prefix (ref, "arn:"))
    return find_in (w, account, region, ref, out);

  /* arn:aws:kms:<region>:<account>:key/<id> or …:alias/<name> */
  g_auto (GStrv) parts = g_strsplit (ref, ":", 6);
  if (g_strv_length (parts) != 6)
    return AMS_KEY_NOT_FOUND;
  const AmsAccount *owner = ams_world_find_account (w, parts[4]);
  const AmsRegion *where = ams_world_find_region (w, parts[3]);
  const char *rest = parts[5];
  const char *id = g_str_has_prefix (rest, "key/") ? rest + 4 : rest;
  if (owner == NULL || where == NULL)
    {
      memset (out, 0, sizeof *out);
      return AMS_KEY_NOT_FOUND;
    }
  AmsKeyLookup r = find_in (w, owner, where, id, out);
  if (r == AMS_KEY_FOUND && where != region)
    return AMS_KEY_OTHER_REGION;
  return r;
}

/* The key policy as the scenario wrote it (or the default one). */
static AmsPolicy *
base_key_policy (const AmsWorld *w, const AmsKeyInfo *k);

const AmsPolicy *
ams_world_key_policy (const AmsWorld *w, const AmsKeyInfo *k)
{
  if (!k->aws_managed && g_hash_table_size (w->edited_keys) > 0)
    {
      g_autofree char *ek = key_slot (k->account, k->key);
      AmsPolicy *edited = g_hash_table_lookup (w->edited_keys, ek);
      if (edited != NULL)
        return edited;
    }
  return base_key_policy (w, k);
}

/* Where base_key_policy keeps the policy of a key with none of its own: one
 * slot per account for its default key policy, one per account and region
 * for its aws/ebs key (indices, not strings: no formatting per check). */
static gpointer
key_policy_slot (const AmsWorld *w, const AmsKeyInfo *k)
{
  guint per_account = w->regions->len + 1;
  guint slot = k->account->index * per_account + (k->aws_managed ? k->region->index + 1 : 0);
  return GUINT_TO_POINTER (slot + 1);
}

static AmsPolicy *
base_key_policy (const AmsWorld *w, const AmsKeyInfo *k)
{
  if (!k->aws_managed && k->key->policy != NULL)
    return k->key->policy;
  gpointer slot = key_policy_slot (w, k);
  AmsPolicy *p = g_hash_table_lookup (w->key_policies, slot);
  if (p != NULL)
    return p;
  g_autofree char *json = NULL, *name = NULL;
  if (k->aws_managed)
    {
      /* The policy AWS gives every account's aws/ebs key: principals of the
       * account may use it through EC2; nobody else can. */
      name = g_strdup_printf ("key policy of the AWS managed key alias/aws/ebs of %s in %s",
                              k->account->id, k->region->name);
      json = g_strdup_printf (
        "{\"Version\": \"2012-10-17\", \"Id\": \"auto-ebs-2\", \"Statement\": ["
        "{\"Sid\": \"Allow access through EBS for all principals in the account that are "
        "authorized to use EBS\", \"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"*\"}, "
        "\"Action\": [\"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", "
        "\"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\"], \"Resource\": \"*\", "
        "\"Condition\": {\"StringEquals\": {\"kms:ViaService\": \"ec2.%s.amazonaws.com\", "
        "\"kms:CallerAccount\": \"%s\"}}}, "
        "{\"Sid\": \"Allow direct access to key metadata to the account\", \"Effect\": \"Allow\", "
        "\"Principal\": {\"AWS\": \"arn:aws:iam::%s:root\"}, \"Action\": [\"kms:Describe*\", "
        "\"kms:Get*\", \"kms:List*\", \"kms:RevokeGrant\"], \"Resource\": \"*\"}]}",
        k->region->name, k->account->id, k->account->id);
    }
  else
    {
      /* The default key policy: the account root may use the key, so IAM
       * policies of the account decide. */
      name = g_strdup_printf ("default key policy of account %s", k->account->id);
      json = g_strdup_printf (
        "{\"Version\": \"2012-10-17\", \"Id\": \"key-default-1\", \"Statement\": ["
        "{\"Sid\": \"Enable IAM User Permissions\", \"Effect\": \"Allow\", "
        "\"Principal\": {\"AWS\": \"arn:aws:iam::%s:root\"}, \"Action\": \"kms:*\", "
        "\"Resource\": \"*\"}]}",
        k->account->id);
    }
  p = ams_policy_builtin (name, json, AMS_POLICY_RESOURCE);
  g_hash_table_insert (w->key_policies, slot, p);
  return p;
}

/* ---- what-if changes ---- */

void
ams_world_set_key_state (AmsWorld *w, const AmsKeyInfo *k, AmsKeyState state)
{
  g_return_if_fail (k->key != NULL);
  w->generation++;
  g_hash_table_insert (w->key_states, key_slot (k->account, k->key), GINT_TO_POINTER (state + 1));
}

gboolean
ams_world_edit_key_policy (AmsWorld *w, const AmsKeyInfo *k, const char *remove_sid,
                           AmsPolicy *add, guint *removed)
{
  if (k->aws_managed)
    return FALSE;
  AmsPolicy *now = (AmsPolicy *) ams_world_key_policy (w, k);
  AmsPolicy *edited = ams_policy_edit (now, remove_sid, add, removed);
  w->generation++;
  g_hash_table_insert (w->edited_keys, key_slot (k->account, k->key), edited);
  return TRUE;
}

gboolean
ams_world_edit_trust (AmsWorld *w, const AmsAccount *a, const char *role, const char *remove_sid,
                      AmsPolicy *add, guint *removed)
{
  const AmsScRole *now = ams_world_find_role (w, a, role);
  if (now == NULL)
    return FALSE;
  AmsScRole *copy = role_override (now);
  ams_policy_unref (copy->trust);
  copy->trust = ams_policy_edit (now->trust, remove_sid, add, removed);
  w->generation++;
  g_hash_table_insert (w->roles, role_key (a, role), copy);
  return TRUE;
}

gboolean
ams_world_remove_role_statement (AmsWorld *w, const AmsAccount *a, const char *role, int policy,
                                 guint i)
{
  const AmsScRole *now = ams_world_find_role (w, a, role);
  if (now == NULL || policy >= (int) now->inline_policies->len)
    return FALSE;
  AmsPolicy **slot;
  AmsScRole *copy = role_override (now);
  slot = policy < 0 ? &copy->trust : (AmsPolicy **) &copy->inline_policies->pdata[policy];
  if (i >= ams_policy_n_statements (*slot))
    {
      role_override_free (copy);
      return FALSE;
    }
  AmsPolicy *edited = ams_policy_without (*slot, i);
  ams_policy_unref (*slot);
  *slot = edited;
  w->generation++;
  g_hash_table_insert (w->roles, role_key (a, role), copy);
  return TRUE;
}

gboolean
ams_world_remove_key_statement (AmsWorld *w, const AmsKeyInfo *k, guint i)
{
  if (k->aws_managed)
    return FALSE;
  AmsPolicy *now = (AmsPolicy *) ams_world_key_policy (w, k);
  if (i >= ams_policy_n_statements (now))
    return FALSE;
  w->generation++;
  g_hash_table_insert (w->edited_keys, key_slot (k->account, k->key), ams_policy_without (now, i));
  return TRUE;
}

gboolean
ams_world_delete_role (AmsWorld *w, const AmsAccount *a, const char *role)
{
  if (ams_world_find_role (w, a, role) == NULL)
    return FALSE;
  w->generation++;
  g_hash_table_insert (w->roles, role_key (a, role), DELETED);
  return TRUE;
}

void
ams_world_move_account (AmsWorld *w, const AmsAccount *a, const AmsOrgNode *to)
{
  ((AmsAccount *) a)->parent = to;
  w->generation++;
}

guint64
ams_world_generation (const AmsWorld *w)
{
  return w->generation;
}

gboolean
ams_world_apply_event (AmsWorld *w, const AmsScEvent *ev)
{
  AmsKeyInfo key;
  if (ev->key.value != NULL)
    {
      AmsKeyLookup found = ams_world_find_key (w, ev->key.value, ams_world_account (w, 0),
                                               ams_world_region (w, 0), &key);
      g_assert (found != AMS_KEY_NOT_FOUND); /* resolved by the loader */
    }
  const AmsAccount *account = ev->account.value ? ams_world_find_account (w, ev->account.value)
                                                : NULL;
  switch (ev->kind)
    {
    case AMS_SC_EV_DISABLE_KEY:
      ams_world_set_key_state (w, &key, AMS_KEY_DISABLED);
      return TRUE;
    case AMS_SC_EV_ENABLE_KEY:
      ams_world_set_key_state (w, &key, AMS_KEY_ENABLED);
      return TRUE;
    case AMS_SC_EV_CANCEL_KEY_DELETION:
      /* KMS: a key whose deletion is cancelled is Disabled until enabled */
      ams_world_set_key_state (w, &key, AMS_KEY_DISABLED);
      return TRUE;
    case AMS_SC_EV_SCHEDULE_KEY_DELETION:
      ams_world_set_key_state (w, &key, AMS_KEY_PENDING_DELETION);
      return TRUE;
    case AMS_SC_EV_ADD_STATEMENT:
    case AMS_SC_EV_REMOVE_STATEMENT:
      if (ev->key.value != NULL)
        ams_world_edit_key_policy (w, &key, ev->sid, ev->statement, NULL);
      else
        ams_world_edit_trust (w, account, ev->role, ev->sid, ev->statement, NULL);
      return TRUE;
    case AMS_SC_EV_DELETE_ROLE:
      ams_world_delete_role (w, account, ev->role);
      return TRUE;
    case AMS_SC_EV_MOVE_ACCOUNT:
      ams_world_move_account (w, account, ams_world_find_org_node (w, ev->to.value));
      return TRUE;
    default:
      return FALSE;
    }
}
