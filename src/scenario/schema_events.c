/* amisim — scenario loader: events[], what-if changes at simulated times.
 *
 *   events:
 *     - {at: 3d, action: disable_key, key: arn:aws:kms:us-east-1:111111111111:key/…}
 *     - {at: 1d, action: add_statement, account: "222222222222",
 *        role: EC2ImageBuilderDistributionCrossAccountRole, statement: {…}}
 *     - {at: 2d, action: set_deregistration_protection, pipeline: golden, enabled: false}
 *     - {at: 3d, action: restore_image, pipeline: golden, version: 1.0.0/3}
 *     - {at: 4d, action: set_lifecycle_policy, policy: keep-five, status: DISABLED}
 *     - {at: 5d, action: publish_component, component: hardening, version: 1.1.0,
 *        shares: [golden-components]}
 *     - {at: 6d, action: associate_resource_share, share: golden-components,
 *        principals: ["333333333333"]}
 *
 * One table holds every key an event may have; each action then says which
 * it needs and which it has no use for, so a misplaced key is an error
 * rather than silently ignored. A statement to add is compiled here, at the
 * position where it was written, as a one-statement policy. References
 * (keys, accounts, roles, OUs, pipelines) are resolved once everything is
 * read, in ams_schema_resolve_events; so are a restore_image version
 * (against the pipeline's recipe version) and a set_lifecycle_policy
 * policy (whose account, when not written, becomes that of the only
 * account with a policy so named), and the supply chain's shares,
 * components and ARNs. Those only need to exist: who may delete or re-share
 * what is decided at run time, as the real API decides it.
 */
#include <string.h>

#include "schema.h"

/* name, kind, the keys it must have (besides at and action), those it may have */
typedef AmsSchemaAction Action;

static const Action actions[] = {
  { "set_limit", AMS_SC_EV_SET_LIMIT, { "copies_per_account_region" }, { "account", "region" } },
  { "disable_key", AMS_SC_EV_DISABLE_KEY, { "key" }, { NULL } },
  { "enable_key", AMS_SC_EV_ENABLE_KEY, { "key" }, { NULL } },
  { "schedule_key_deletion", AMS_SC_EV_SCHEDULE_KEY_DELETION, { "key" }, { NULL } },
  { "cancel_key_deletion", AMS_SC_EV_CANCEL_KEY_DELETION, { "key" }, { NULL } },
  { "add_statement", AMS_SC_EV_ADD_STATEMENT, { "statement" }, { "key", "account", "role" } },
  { "remove_statement", AMS_SC_EV_REMOVE_STATEMENT, { "sid" }, { "key", "account", "role" } },
  { "delete_role", AMS_SC_EV_DELETE_ROLE, { "account", "role" }, { NULL } },
  { "move_account", AMS_SC_EV_MOVE_ACCOUNT, { "account", "to" }, { NULL } },
  { "dependency_update", AMS_SC_EV_DEPENDENCY_UPDATE, { "pipeline" }, { NULL } },
  { "retry_image", AMS_SC_EV_RETRY_IMAGE, { "pipeline" }, { NULL } },
  { "set_distribution", AMS_SC_EV_SET_DISTRIBUTION, { "pipeline", "distribution" }, { NULL } },
  { "set_deregistration_protection", AMS_SC_EV_SET_DEREGISTRATION_PROTECTION,
    { "pipeline", "enabled" }, { "account", "region", "cooldown" } },
  { "restore_image", AMS_SC_EV_RESTORE_IMAGE, { "pipeline" }, { "version" } },
  { "set_lifecycle_policy", AMS_SC_EV_SET_LIFECYCLE_POLICY, { "policy", "status" },
    { "account" } },
  { "register_image", AMS_SC_EV_REGISTER_IMAGE, { "pipeline" }, { "account", "region" } },
  { "associate_resource_share", AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE, { "share" },
    { "resources", "principals", "account" } },
  { "disassociate_resource_share", AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE, { "share" },
    { "resources", "principals", "account" } },
  { "accept_invitation", AMS_SC_EV_ACCEPT_INVITATION, { "share", "account" }, { NULL } },
  { "reject_invitation", AMS_SC_EV_REJECT_INVITATION, { "share", "account" }, { NULL } },
  { "delete_resource", AMS_SC_EV_DELETE_RESOURCE, { "arn" }, { "account" } },
  { "modify_image_attribute", AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE,
    { "pipeline", "launchPermission" }, { "region", "version" } },
  { "reset_image_attribute", AMS_SC_EV_RESET_IMAGE_ATTRIBUTE, { "pipeline" },
    { "region", "version" } },
  { "publish_component", AMS_SC_EV_PUBLISH_COMPONENT, { "component", "version" },
    { "account", "region", "shares" } },
};

/* An event with the positions of the values resolved after the walk that
 * AmsScEvent keeps no AmsScRef for; the scenario holds &e->ev. */
typedef struct
{
  AmsScEvent ev;          /* first: an AmsScEvent* is an Event* */
  AmsSrcLoc version_loc;  /* restore_image, publish_component: version */
  const AmsYNode *version_node; /* checked once the action is known */
  AmsSrcLoc policy_loc;   /* set_lifecycle_policy: policy */
  AmsSrcLoc enabled_loc;  /* set_deregistration_protection: enabled */
} Event;

static const char *const action_names[] = {
  "set_limit", "disable_key", "enable_key", "schedule_key_deletion", "cancel_key_deletion",
  "add_statement", "remove_statement", "delete_role", "move_account", "dependency_update",
  "retry_image", "set_distribution", "set_deregistration_protection", "restore_image",
  "set_lifecycle_policy", "register_image", "associate_resource_share",
  "disassociate_resource_share", "accept_invitation", "reject_invitation", "delete_resource",
  "modify_image_attribute", "reset_image_attribute", "publish_component",
};

G_STATIC_ASSERT (G_N_ELEMENTS (actions) == G_N_ELEMENTS (action_names));
G_STATIC_ASSERT (G_N_ELEMENTS (action_names) == AMS_SC_EV_PUBLISH_COMPONENT + 1);

const char *
ams_sc_event_action (AmsScEventKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (action_names), "?");
  return action_names[kind];
}

static void
event_free (gpointer p)
{
  AmsScEvent *ev = p;
  ams_policy_unref (ev->statement);
  if (ev->distributions != NULL)
    g_ptr_array_unref (ev->distributions);
  if (ev->resources != NULL)
    g_array_unref (ev->resources);
  if (ev->principals != NULL)
    g_array_unref (ev->principals);
  if (ev->shares != NULL)
    g_array_unref (ev->shares);
  if (ev->launch_remove != NULL)
    g_array_unref (ev->launch_remove);
  g_free ((Event *) ev);
}

GDestroyNotify
ams_sc_event_free_func (void)
{
  return event_free;
}

static void
ev_at (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_duration (c, value, &((AmsScEvent *) target)->at);
}

static void
ev_ref (AmsCheck *c, const AmsYNode *value, AmsPattern p, AmsScRef *ref)
{
  if (ams_get_pattern (c, value, p, &ref->value))
    ams_check_loc (c, value, &ref->loc);
}

static void
ev_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a key ARN", &text))
    return;
  if (!g_str_has_prefix (text, "arn:") || !ams_pattern_match (AMS_PAT_KMS_KEY_REF, text, strlen (text)))
    {
      ams_check_error (c, value, "expected a key ARN like arn:aws:kms:us-east-1:111111111111:key/"
                                 "1234abcd-12ab-34cd-56ef-1234567890ab (or an alias ARN), got \"%s\"",
                       text);
      return;
    }
  ev->key.value = ams_check_intern (c, text);
  ams_check_loc (c, value, &ev->key.loc);
}

static void
ev_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ev_ref (c, value, AMS_PAT_ACCOUNT_ID, &((AmsScEvent *) target)->account);
}

static void
ev_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ev_ref (c, value, AMS_PAT_REGION, &((AmsScEvent *) target)->region);
}

static void
ev_role (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_pattern (c, value, AMS_PAT_ROLE_NAME, &((AmsScEvent *) target)->role);
}

static void
ev_copies (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  guint64 v;
  if (ams_get_uint (c, value, 1, 100000, &v))
    ((AmsScEvent *) target)->copies = (guint) v;
}

static void
ev_sid (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_string (c, value, 1, 128, &((AmsScEvent *) target)->sid);
}

static void
ev_to (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a root id (r-…) or an OU id (ou-…)", &text))
    return;
  gsize len = strlen (text);
  if (!ams_pattern_match (AMS_PAT_ROOT_ID, text, len) && !ams_pattern_match (AMS_PAT_OU_ID, text, len))
    {
      ams_check_error (c, value, "expected a root id (r-…) or an OU id (ou-…-…), got \"%s\"", text);
      return;
    }
  ev->to.value = ams_check_intern (c, text);
  ams_check_loc (c, value, &ev->to.loc);
}

static void
ev_pipeline (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  if (ams_get_string (c, value, 1, 128, &ev->pipeline.value))
    ams_check_loc (c, value, &ev->pipeline.loc);
}

static void
ev_enabled (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Event *e = target;
  if (ams_get_bool (c, value, &e->ev.enabled))
    ams_check_loc (c, value, &e->enabled_loc);
}

static void
ev_cooldown (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_get_bool (c, value, &((AmsScEvent *) target)->cooldown);
}

/* version: read as written; what it must look like depends on the action
 * (check_version). */
static void
ev_version (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Event *e = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a version", &text))
    return;
  e->ev.version = ams_check_intern (c, text);
  e->version_node = value;
  ams_check_loc (c, value, &e->version_loc);
}

/* restore_image: "1.0.0/3", the recipe's semantic version and the build
 * number, as Image Builder writes an image's version. publish_component:
 * the component's new semantic version, "1.1.0". */
static gboolean
check_version (AmsCheck *c, Event *e)
{
  AmsScEvent *ev = &e->ev;
  if (ev->version == NULL)
    return TRUE;
  gsize mark = ams_check_push_key (c, "version");
  gboolean ok;
  if (ev->kind == AMS_SC_EV_PUBLISH_COMPONENT)
    ok = ams_get_semver (c, e->version_node, &ev->version);
  else
    {
      const char *text = ev->version;
      const char *slash = strchr (text, '/');
      ok = slash != NULL && ams_pattern_match (AMS_PAT_VERSION, text, (gsize) (slash - text))
           && slash[1] != '\0' && slash[1] != '0' && strlen (slash + 1) <= 9;
      for (const char *q = slash != NULL ? slash + 1 : ""; ok && *q != '\0'; q++)
        ok = g_ascii_isdigit (*q);
      if (!ok)
        {
          g_autofree char *esc = g_strescape (text, NULL);
          ams_check_error (c, e->version_node, "expected an image version: the recipe version "
                                               "and the build number, like 1.0.0/3, got \"%s\"",
                           esc);
        }
    }
  ams_check_pop (c, mark);
  return ok;
}

static void
ev_policy (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  if (ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &ev->policy))
    ams_check_loc (c, value, &((Event *) ev)->policy_loc);
}

static void
ev_share (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  if (ams_get_string (c, value, 1, 255, &ev->share.value))
    ams_check_loc (c, value, &ev->share.loc);
}

static void
ev_resources (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  ev->resources = g_array_new (FALSE, TRUE, sizeof (AmsScResRef));
  ams_get_ib_arn_list (c, value, &ams_arn_spec_ram, 1, ev->resources);
}

static void
ev_principals (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  ev->principals = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  ams_get_principals (c, value, 1, ev->principals);
}

/* launchPermission: {Remove: [{UserId: …}, {Group: all}, {OrganizationArn: …},
 * {OrganizationalUnitArn: …}]}, EC2's LaunchPermissionModifications. */
typedef struct
{
  AmsScEvent *ev;
  AmsScLaunchTarget item;
  guint keys;
} LaunchItem;

static void
lp_item_key (AmsCheck *c, const AmsYNode *value, LaunchItem *li, AmsScLaunchTargetKind kind,
             AmsPattern p)
{
  li->keys++;
  li->item.kind = kind;
  ams_get_ref (c, value, p, &li->item.value);
}

static void
lp_user (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  lp_item_key (c, value, target, AMS_SC_LP_ACCOUNT, AMS_PAT_ACCOUNT_ID);
}

static void
lp_org (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  lp_item_key (c, value, target, AMS_SC_LP_ORG, AMS_PAT_ORG_ARN);
}

static void
lp_ou (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  lp_item_key (c, value, target, AMS_SC_LP_OU, AMS_PAT_OU_ARN);
}

static void
lp_group (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  LaunchItem *li = target;
  static const char *const names[] = { "all" };
  guint i;
  li->keys++;
  li->item.kind = AMS_SC_LP_ALL;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    {
      li->item.value.value = "all";
      ams_check_loc (c, value, &li->item.value.loc);
    }
}

static const AmsField lp_item_fields[] = {
  { "UserId", lp_user, 0, NULL },
  { "Group", lp_group, 0, NULL },
  { "OrganizationArn", lp_org, 0, NULL },
  { "OrganizationalUnitArn", lp_ou, 0, NULL },
  { NULL },
};

static void
lp_remove_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  LaunchItem li = { .ev = target };
  if (!ams_check_mapping (c, item, lp_item_fields, 0, &li))
    return;
  if (li.keys != 1)
    {
      ams_check_error (c, item, "each entry names one UserId, Group, OrganizationArn or "
                                "OrganizationalUnitArn, got %u", li.keys);
      return;
    }
  if (li.item.value.value != NULL)
    g_array_append_val (li.ev->launch_remove, li.item);
}

static void
lp_remove (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  ams_check_sequence (c, value, lp_remove_item, target);
}

static const AmsField lp_fields[] = {
  { "Remove", lp_remove, AMS_FIELD_REQUIRED,
    "the launch permissions to remove, e.g. Remove: [{UserId: \"222222222222\"}]" },
  { "Add", NULL, AMS_FIELD_NOT_YET,
    "events that add launch permissions: a pipeline's launchPermission gives them" },
  { NULL },
};

static void
ev_launch_permission (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  ev->launch_remove = g_array_new (FALSE, TRUE, sizeof (AmsScLaunchTarget));
  ams_check_mapping (c, value, lp_fields, 0, ev);
}

static void
ev_arn (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const AmsArnSpec deletable = {
    { AMS_ARN_BUILD, AMS_ARN_BUILD, AMS_ARN_VERSION, AMS_ARN_VERSION },
    "an Image Builder ARN",
    "Image Builder deletes components and images by build version, recipes by version",
  };
  ams_get_ib_arn (c, value, &deletable, &((AmsScEvent *) target)->arn);
}

static void
ev_component (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  if (ams_get_pattern (c, value, AMS_PAT_RESOURCE_NAME, &ev->component.value))
    ams_check_loc (c, value, &ev->component.loc);
}

static void
ev_shares (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  AmsScEvent *ev = target;
  if (value->kind != AMS_YNODE_SEQUENCE)
    {
      ams_check_error (c, value, "expected a list of resource share names, got %s",
                       ams_ynode_describe (value));
      return;
    }
  ev->shares = g_array_new (FALSE, TRUE, sizeof (AmsScRef));
  for (guint i = 0; i < value->items->len; i++)
    {
      const AmsYNode *item = g_ptr_array_index (value->items, i);
      gsize mark = ams_check_push_index (c, i);
      AmsScRef ref = { 0 };
      if (ams_get_string (c, item, 1, 255, &ref.value))
        {
          ams_check_loc (c, item, &ref.loc);
          const AmsScRef *first = NULL;
          for (guint j = 0; j < ev->shares->len && first == NULL; j++)
            if (strcmp (g_array_index (ev->shares, AmsScRef, j).value, ref.value) == 0)
              first = &g_array_index (ev->shares, AmsScRef, j);
          if (first != NULL)
            ams_check_error (c, item, "'%s' is listed twice (first at %u:%u)", ref.value,
                             first->loc.line, first->loc.col);
          else
            g_array_append_val (ev->shares, ref);
        }
      ams_check_pop (c, mark);
    }
}

static void
ev_status (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  static const char *const names[] = { "ENABLED", "DISABLED" };
  guint i;
  if (ams_get_enum (c, value, names, G_N_ELEMENTS (names), &i))
    ((AmsScEvent *) target)->enabled = i == 0;
}

static const AmsField event_fields[] = {
  { "at", ev_at, AMS_FIELD_REQUIRED, "when it happens, from the start, e.g. at: 3d" },
  { "action", NULL, AMS_FIELD_REQUIRED,
    "what happens, e.g. action: disable_key (see the scenario reference)" },
  { "key", ev_key, 0, NULL },
  { "account", ev_account, 0, NULL },
  { "region", ev_region, 0, NULL },
  { "role", ev_role, 0, NULL },
  { "copies_per_account_region", ev_copies, 0, NULL },
  { "sid", ev_sid, 0, NULL },
  { "statement", NULL, 0, NULL }, /* compiled below, once the action is known */
  { "to", ev_to, 0, NULL },
  { "pipeline", ev_pipeline, 0, NULL },
  { "distribution", NULL, 0, NULL }, /* read below, as a pipeline's distribution */
  { "enabled", ev_enabled, 0, NULL },
  { "cooldown", ev_cooldown, 0, NULL },
  { "version", ev_version, 0, NULL },
  { "policy", ev_policy, 0, NULL },
  { "status", ev_status, 0, NULL },
  { "share", ev_share, 0, NULL },
  { "resources", ev_resources, 0, NULL },
  { "principals", ev_principals, 0, NULL },
  { "arn", ev_arn, 0, NULL },
  { "component", ev_component, 0, NULL },
  { "shares", ev_shares, 0, NULL },
  { "launchPermission", ev_launch_permission, 0, NULL },
  { NULL },
};

static gboolean
listed (const char *const *list, guint n, const char *key)
{
  for (guint i = 0; i < n && list[i] != NULL; i++)
    if (strcmp (list[i], key) == 0)
      return TRUE;
  return FALSE;
}

/* A one-statement policy from the mapping written at `n`. */
static AmsPolicy *
compile_statement (AmsCheck *c, const AmsYNode *n, const char *name)
{
  if (n->kind != AMS_YNODE_MAPPING)
    {
      ams_check_error (c, n, "expected a policy statement (a mapping with Effect, Action, …), "
                             "got %s", ams_ynode_describe (n));
      return NULL;
    }
  g_autoptr (AmsValueDoc) doc = ams_value_doc_new ();
  AmsSrcLoc loc = { .file = n->file, .path = c->path->str, .line = n->line, .col = n->col };
  AmsValue *root = ams_value_new_object (doc, &loc);
  ams_value_set_member (doc, root, "Version", &loc,
                        ams_value_new_scalar (doc, AMS_VALUE_STRING, "2012-10-17", &loc));
  AmsValue *list = ams_value_new_array (doc, &loc);
  g_autofree char *path = g_strdup (c->path->str);
  ams_value_append (doc, list, ams_value_from_ynode (doc, n, path));
  ams_value_set_member (doc, root, "Statement", &loc, list);
  return ams_policy_compile (root, AMS_POLICY_RESOURCE, name, ams_check_policy_report, c);
}

static void
event_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  Event *e = g_new0 (Event, 1);
  AmsScEvent *ev = &e->ev;
  ev->cooldown = FALSE; /* EnableImageDeregistrationProtection's WithCooldown default */
  ams_check_loc (c, item, &ev->loc);
  if (!ams_check_mapping (c, item, event_fields, 0, e))
    {
      event_free (ev);
      return;
    }
  const AmsYNode *action = ams_ynode_lookup (item, "action");
  guint a;
  gsize mark = ams_check_push_key (c, "action");
  gboolean known = action != NULL && ams_get_enum (c, action, action_names,
                                                   G_N_ELEMENTS (action_names), &a);
  ams_check_pop (c, mark);
  if (!known)
    {
      event_free (ev);
      return;
    }
  const Action *act = &actions[a];
  ev->kind = act->kind;

  /* what the action needs, and nothing it has no use for */
  gboolean ok = TRUE;
  for (guint i = 0; i < item->pairs->len; i++)
    {
      const AmsYPair *p = &g_array_index (item->pairs, AmsYPair, i);
      const char *k = p->key->text;
      if (strcmp (k, "at") == 0 || strcmp (k, "action") == 0
          || listed (act->needs, G_N_ELEMENTS (act->needs), k)
          || listed (act->may, G_N_ELEMENTS (act->may), k))
        continue;
      gsize m = ams_check_push_key (c, k);
      ams_check_error (c, p->key, "'%s' has no meaning for action %s", k, act->name);
      ams_check_pop (c, m);
      ok = FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (act->needs) && act->needs[i] != NULL; i++)
    if (ams_ynode_lookup (item, act->needs[i]) == NULL)
      {
        gsize m = ams_check_push_key (c, act->needs[i]);
        ams_check_error (c, item, "action %s needs '%s'", act->name, act->needs[i]);
        ams_check_pop (c, m);
        ok = FALSE;
      }
  if (ev->kind == AMS_SC_EV_ADD_STATEMENT || ev->kind == AMS_SC_EV_REMOVE_STATEMENT)
    {
      gboolean on_key = ams_ynode_lookup (item, "key") != NULL;
      gboolean on_role = ams_ynode_lookup (item, "role") != NULL
                         && ams_ynode_lookup (item, "account") != NULL;
      if (on_key == on_role)
        {
          ams_check_error (c, item, "action %s changes either a key policy (key: <key ARN>) or "
                                    "a role's trust policy (account and role), one of them",
                           act->name);
          ok = FALSE;
        }
    }
  if (ok && !check_version (c, e))
    ok = FALSE;
  if (ev->kind == AMS_SC_EV_ASSOCIATE_RESOURCE_SHARE
      || ev->kind == AMS_SC_EV_DISASSOCIATE_RESOURCE_SHARE)
    {
      const AmsYNode *res = ams_ynode_lookup (item, "resources");
      const AmsYNode *pr = ams_ynode_lookup (item, "principals");
      if ((res == NULL || ams_ynode_is_null (res)) && (pr == NULL || ams_ynode_is_null (pr)))
        {
          ams_check_error (c, item, "action %s needs 'resources', 'principals' or both",
                           act->name);
          ok = FALSE;
        }
    }
  const AmsYNode *cooldown = ams_ynode_lookup (item, "cooldown");
  if (ev->kind == AMS_SC_EV_SET_DEREGISTRATION_PROTECTION && cooldown != NULL
      && !ams_ynode_is_null (cooldown) && e->enabled_loc.file != NULL && !ev->enabled)
    {
      gsize m = ams_check_push_key (c, "cooldown");
      ams_check_error (c, cooldown, "cooldown goes with enabled: true (EnableImageDeregistration"
                                    "Protection's WithCooldown: once protection is turned off, "
                                    "deregistration stays blocked for 24 hours); remove it when "
                                    "disabling protection");
      ams_check_pop (c, m);
      ok = FALSE;
    }
  if (ev->kind == AMS_SC_EV_ADD_STATEMENT && ok)
    {
      const AmsYNode *st = ams_ynode_lookup (item, "statement");
      gsize m = ams_check_push_key (c, "statement");
      g_autofree char *name = g_strdup_printf ("statement added by events[%u]", index);
      ev->statement = compile_statement (c, st, name);
      ams_check_pop (c, m);
      ok = ev->statement != NULL;
    }
  if (ev->kind == AMS_SC_EV_SET_DISTRIBUTION && ok)
    {
      /* the same two AWS shapes a pipeline's distribution accepts */
      g_autoptr (GPtrArray) owner = g_ptr_array_new_with_free_func (ams_sc_pipeline_free);
      AmsScPipeline *shadow = ams_sc_pipeline_new ();
      g_ptr_array_add (owner, shadow);
      gsize m = ams_check_push_key (c, "distribution");
      ams_schema_distribution (c, ams_ynode_lookup (item, "distribution"), shadow);
      ams_check_pop (c, m);
      ev->distributions = g_ptr_array_ref (shadow->distributions);
      ev->distribution_timeout = shadow->distribution_timeout;
    }
  if (!ok)
    {
      event_free (ev);
      return;
    }
  g_ptr_array_add (sc->events, ev);
}

void
ams_schema_events (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_sequence (c, value, event_item, sc);
}

/* ---- references ---- */

static const AmsScKey *
find_key (const AmsScenario *sc, const char *arn, const AmsScAccount **owner)
{
  /* arn:aws:kms:<region>:<account>:key/<id> or …:alias/<name> */
  g_auto (GStrv) parts = g_strsplit (arn, ":", 6);
  if (g_strv_length (parts) != 6)
    return NULL;
  const char *id = g_str_has_prefix (parts[5], "key/") ? parts[5] + 4 : parts[5];
  gboolean alias = g_str_has_prefix (id, "alias/");
  for (guint i = 0; i < sc->accounts->len; i++)
    {
      const AmsScAccount *a = sc->accounts->pdata[i];
      if (strcmp (a->id, parts[4]) != 0)
        continue;
      *owner = a;
      for (guint j = 0; j < a->kms_keys->len; j++)
        {
          const AmsScKey *k = a->kms_keys->pdata[j];
          const char *name = alias ? k->alias : k->id;
          if (name != NULL && strcmp (name, id) == 0 && strcmp (k->region.value, parts[3]) == 0)
            return k;
        }
    }
  return NULL;
}


/* restore_image: a version names an image of the pipeline, whose recipe
 * version is fixed. */
static void
resolve_version (AmsCheck *c, const AmsScenario *sc, const Event *e)
{
  const AmsScEvent *ev = &e->ev;
  if (ev->version == NULL || ev->pipeline.value == NULL)
    return;
  const AmsScPipeline *pl = ams_schema_find_pipeline (sc, ev->pipeline.value);
  if (pl == NULL || pl->recipe_version == NULL)
    return;
  gsize n = strlen (pl->recipe_version);
  if (strncmp (ev->version, pl->recipe_version, n) != 0 || ev->version[n] != '/')
    ams_check_error_at (c, &e->version_loc, "pipeline '%s' builds recipe version %s, so its "
                                            "images are %s/1, %s/2, …; got %s", pl->name,
                        pl->recipe_version, pl->recipe_version, pl->recipe_version, ev->version);
}

/* set_lifecycle_policy: the policy named, in `account` if given, else in
 * the only account with a policy of that name (which becomes `account`). */
static void
resolve_policy (AmsCheck *c, const AmsScenario *sc, Event *e)
{
  AmsScEvent *ev = &e->ev;
  if (ev->policy == NULL)
    return;
  g_autoptr (GPtrArray) names = g_ptr_array_new ();    /* every policy name, once */
  g_autoptr (GPtrArray) owners = g_ptr_array_new ();   /* accounts with one so named */
  for (guint i = 0; i < sc->lifecycle_policies->len; i++)
    {
      const AmsScLifecyclePolicy *lp = sc->lifecycle_policies->pdata[i];
      if (lp->name == NULL || lp->account.value == NULL)
        continue;
      GPtrArray *list = strcmp (lp->name, ev->policy) == 0 ? owners : names;
      const char *item = list == owners ? lp->account.value : lp->name;
      gboolean dup = FALSE;
      for (guint j = 0; j < list->len && !dup; j++)
        dup = strcmp (list->pdata[j], item) == 0;
      if (!dup)
        g_ptr_array_add (list, (gpointer) item);
    }
  if (owners->len == 0)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "no lifecycle policy named '%s'", ev->policy);
      if (names->len == 0)
        g_string_append (msg, " (the scenario defines no lifecycle_policies)");
      else
        ams_append_suggestion (msg, ev->policy, (const char *const *) names->pdata, names->len,
                               8, "defined: ");
      ams_check_error_at (c, &e->policy_loc, "%s", msg->str);
      return;
    }
  g_autoptr (GString) list = g_string_new (NULL);
  for (guint j = 0; j < owners->len; j++)
    g_string_append_printf (list, "%s%s", j == 0 ? "" : j + 1 == owners->len ? " and " : ", ",
                            (const char *) owners->pdata[j]);
  if (ev->account.value != NULL)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < owners->len && !found; j++)
        found = strcmp (owners->pdata[j], ev->account.value) == 0;
      if (!found && ams_schema_account_defined (c, ev->account.value))
        ams_check_error_at (c, &ev->account.loc, "account %s has no lifecycle policy named '%s' "
                                                 "(account%s %s ha%s one)", ev->account.value,
                            ev->policy, owners->len == 1 ? "" : "s", list->str,
                            owners->len == 1 ? "s" : "ve");
      return;
    }
  if (owners->len > 1)
    {
      ams_check_error_at (c, &e->policy_loc, "accounts %s each have a lifecycle policy named "
                                             "'%s'; add account: to say whose", list->str,
                          ev->policy);
      return;
    }
  if (ams_schema_account_defined (c, owners->pdata[0]))
    {
      ev->account.value = owners->pdata[0];
      ev->account.loc = e->policy_loc;
    }
}

/* publish_component: the components[] entry named, in `account` and
 * `region` when given, else the only place with a component so named
 * (which become `account` and `region`); of several versions there, the
 * newest. */
static void
resolve_component (AmsCheck *c, const AmsScenario *sc, AmsScEvent *ev)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new ();  /* other names, once */
  g_autoptr (GPtrArray) places = g_ptr_array_new_with_free_func (g_free);
  const AmsScComponent *found = NULL;
  gboolean named = FALSE, several = FALSE, broken = FALSE;
  for (guint i = 0; i < sc->components->len; i++)
    {
      const AmsScComponent *co = sc->components->pdata[i];
      if (co->name == NULL || co->account.value == NULL || co->region.value == NULL
          || co->version == NULL)
        {
          broken = TRUE; /* reported already; it may be the one named */
          continue;
        }
      if (strcmp (co->name, ev->component.value) != 0)
        {
          gboolean dup = FALSE;
          for (guint j = 0; j < names->len && !dup; j++)
            dup = strcmp (names->pdata[j], co->name) == 0;
          if (!dup)
            g_ptr_array_add (names, (gpointer) co->name);
          continue;
        }
      named = TRUE;
      char *place = g_strdup_printf ("%s %s", co->account.value, co->region.value);
      gboolean dup = FALSE;
      for (guint j = 0; j < places->len && !dup; j++)
        dup = strcmp (places->pdata[j], place) == 0;
      if (!dup)
        g_ptr_array_add (places, place);
      else
        g_free (place);
      if ((ev->account.value != NULL && strcmp (co->account.value, ev->account.value) != 0)
          || (ev->region.value != NULL && strcmp (co->region.value, ev->region.value) != 0))
        continue;
      if (found == NULL)
        found = co;
      else if (strcmp (found->account.value, co->account.value) != 0
               || strcmp (found->region.value, co->region.value) != 0)
        several = TRUE;
      else if (ams_sc_semver_compare (co->version, found->version) > 0)
        found = co;
    }
  g_autoptr (GString) list = g_string_new (NULL);
  for (guint j = 0; j < places->len; j++)
    g_string_append_printf (list, "%s%s", j == 0 ? "" : j + 1 == places->len ? " and " : ", ",
                            (const char *) places->pdata[j]);
  if (!named && broken)
    return;
  if (!named)
    {
      g_autoptr (GString) msg = g_string_new (NULL);
      g_string_printf (msg, "no component named '%s' in components", ev->component.value);
      if (names->len == 0)
        g_string_append (msg, " (the scenario defines no components)");
      else
        ams_append_suggestion (msg, ev->component.value, (const char *const *) names->pdata,
                               names->len, 8, "defined: ");
      ams_check_error_at (c, &ev->component.loc, "%s", msg->str);
      return;
    }
  if (found == NULL)
    {
      ams_check_error_at (c, &ev->component.loc, "no component named '%s' in %s%s%s (there is "
                                                 "one in %s)", ev->component.value,
                          ev->account.value != NULL ? ev->account.value : "",
                          ev->account.value != NULL && ev->region.value != NULL ? " " : "",
                          ev->region.value != NULL ? ev->region.value : "", list->str);
      return;
    }
  if (several)
    {
      ams_check_error_at (c, &ev->component.loc, "components named '%s' are in %s; add account "
                                                 "and region to say which", ev->component.value,
                          list->str);
      return;
    }
  ev->component_def = found;
  if (ev->account.value == NULL && ams_schema_account_defined (c, found->account.value))
    {
      ev->account.value = found->account.value;
      ev->account.loc = ev->component.loc;
    }
  if (ev->region.value == NULL)
    {
      ev->region.value = found->region.value;
      ev->region.loc = ev->component.loc;
    }
}

/* The supply chain's events: shares, resources, principals, components. */
static void
resolve_supply (AmsCheck *c, AmsScenario *sc, AmsScEvent *ev)
{
  if (ev->share.value != NULL)
    ev->share_def = ams_schema_find_share (c, sc, &ev->share);
  for (guint j = 0; ev->resources != NULL && j < ev->resources->len; j++)
    ams_schema_check_resource (c, &g_array_index (ev->resources, AmsScResRef, j), TRUE);
  for (guint j = 0; ev->principals != NULL && j < ev->principals->len; j++)
    ams_schema_check_principal (c, sc, &g_array_index (ev->principals, AmsScRef, j));
  if (ev->arn.arn != NULL)
    ams_schema_check_resource (c, &ev->arn, TRUE);
  if (ev->component.value != NULL)
    resolve_component (c, sc, ev);
  const AmsScComponent *co = ev->component_def;
  for (guint j = 0; ev->shares != NULL && j < ev->shares->len; j++)
    {
      const AmsScRef *ref = &g_array_index (ev->shares, AmsScRef, j);
      const AmsScResourceShare *s = ams_schema_find_share (c, sc, ref);
      if (s == NULL || co == NULL || s->account.value == NULL || s->region.value == NULL)
        continue;
      if (strcmp (s->account.value, co->account.value) != 0)
        ams_check_error_at (c, &ref->loc, "share '%s' belongs to account %s, component '%s' to "
                                          "%s: only the owner can share a resource", s->name,
                            s->account.value, co->name, co->account.value);
      else if (strcmp (s->region.value, co->region.value) != 0)
        ams_check_error_at (c, &ref->loc, "share '%s' is in %s, component '%s' in %s: RAM "
                                          "shares are regional", s->name, s->region.value,
                            co->name, co->region.value);
    }
}

void
ams_schema_resolve_events (AmsCheck *c, AmsScenario *sc)
{
  for (guint i = 0; i < sc->events->len; i++)
    {
      Event *e = sc->events->pdata[i];
      if (e->ev.kind == AMS_SC_EV_RESTORE_IMAGE || e->ev.kind == AMS_SC_EV_MODIFY_IMAGE_ATTRIBUTE
          || e->ev.kind == AMS_SC_EV_RESET_IMAGE_ATTRIBUTE)
        resolve_version (c, sc, e);
      if (e->ev.kind == AMS_SC_EV_SET_LIFECYCLE_POLICY)
        resolve_policy (c, sc, e);
      const AmsScEvent *ev = &e->ev;
      if (ev->key.value != NULL)
        {
          const AmsScAccount *owner = NULL;
          if (find_key (sc, ev->key.value, &owner) == NULL)
            ams_check_error_at (c, &ev->key.loc, "no customer managed key %s in the scenario "
                                                 "(events change keys listed under an account's "
                                                 "kms_keys)", ev->key.value);
        }
      if (ev->account.value != NULL)
        ams_schema_resolve_account (c, &ev->account);
      if (ev->region.value != NULL)
        ams_schema_resolve_region (c, &ev->region);
      if (ev->to.value != NULL && !ams_schema_org_node_defined (sc, ev->to.value))
        ams_check_error_at (c, &ev->to.loc, "'%s' is not a root or OU of any organization",
                            ev->to.value);
      if (ev->pipeline.value != NULL && !g_hash_table_contains (c->pipelines, ev->pipeline.value))
        ams_check_error_at (c, &ev->pipeline.loc, "no pipeline named '%s'", ev->pipeline.value);
      for (guint j = 0; ev->distributions != NULL && j < ev->distributions->len; j++)
        {
          const AmsScDistRegion *dr = ev->distributions->pdata[j];
          ams_schema_resolve_region (c, &dr->region);
          for (guint k = 0; k < dr->target_account_ids->len; k++)
            ams_schema_resolve_account (c, &g_array_index (dr->target_account_ids, AmsScRef, k));
          for (guint k = 0; k < dr->launch_templates->len; k++)
            ams_schema_resolve_account (c, &((const AmsScLaunchTemplate *) dr->launch_templates->pdata[k])->account);
        }
      resolve_supply (c, sc, &e->ev);
    }
}

const AmsSchemaAction *
ams_schema_event_actions (guint *n)
{
  *n = G_N_ELEMENTS (actions);
  return actions;
}

const AmsSchemaTable *
ams_schema_events_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("events[]", event_fields),
    AMS_SCHEMA_TABLE ("events[].launchPermission", lp_fields),
    AMS_SCHEMA_TABLE ("events[].launchPermission.Remove[]", lp_item_fields),
    { NULL },
  };
  return tables;
}
