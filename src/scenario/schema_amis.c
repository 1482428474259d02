/* amisim — scenario loader: amis[], the AMIs that exist when the run starts
 * (an initial inventory: what describe-images gives, as amisim import
 * writes it).
 *
 *   amis:
 *     - id: ami-0a1b2c3d4e5f60718
 *       account: "222222222222"          # the owner: where it is registered
 *       region: us-east-1
 *       name: golden-al2023 2026-11-30   # optional
 *       created: 2026-11-30T03:12:40Z    # CreationDate; at or before `start`
 *       state: available                 # or disabled
 *       deprecation_time: 2027-05-30T00:00:00Z   # optional
 *       snapshots: [{id: snap-0123456789abcdef0, size: 30}]   # GiB, or 30GiB
 *       kms_key: alias/ami-factory       # optional: the key of its snapshots
 *       encrypted: true                  # optional: the default EBS key
 *       launchPermission: {userIds: […], organizationArns: […], …}
 *       tags: {Name: golden}
 *       pipeline: golden-al2023          # optional: the Image Builder image
 *       version: 1.0.0/3                 # with pipeline: its version/build
 *
 * launchPermission has the form of a distribution entry's (the same
 * parser); the AMI's tags, key and launch permissions are kept in an
 * AmsScDistRegion so that the engine treats them as a distribution entry's.
 * References (accounts, regions, pipelines) are resolved once the whole
 * document is read; times become simulated times then, once `start` is
 * known.
 */
#include <string.h>

#include "schema.h"

#define MAX_SNAPSHOTS 128 /* block device mappings of an AMI (EC2 allows far fewer) */

typedef struct
{
  AmsScAmi *ami;
  AmsSrcLoc created_loc;
  AmsSrcLoc version_loc;
  gboolean created_given;
} Entry;

void
ams_sc_ami_free (gpointer p)
{
  AmsScAmi *a = p;
  if (a == NULL)
    return;
  g_array_unref (a->snapshots);
  ams_sc_dist_region_free (a->traits);
  g_free (a);
}

/* ami-… or snap-… with 8 or 17 lowercase hex digits, as EC2 gives them. */
static gboolean
ec2_id (const char *text, const char *prefix)
{
  gsize p = strlen (prefix), n = strlen (text);
  if (strncmp (text, prefix, p) != 0 || (n - p != 8 && n - p != 17))
    return FALSE;
  for (gsize i = p; i < n; i++)
    if (!g_ascii_isdigit (text[i]) && (text[i] < 'a' || text[i] > 'f'))
      return FALSE;
  return TRUE;
}

static gboolean
get_ec2_id (AmsCheck *c, const AmsYNode *value, const char *prefix, const char **out)
{
  const char *text;
  g_autofree char *what = g_strdup_printf ("an id like %s0123456789abcdef0", prefix);
  if (!ams_get_scalar (c, value, what, &text))
    return FALSE;
  if (!ec2_id (text, prefix))
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, value, "expected %s (%s and 8 or 17 hex digits), got \"%s\"", what,
                       prefix, esc);
      return FALSE;
    }
  *out = ams_check_intern (c, text);
  return TRUE;
}

static void
a_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  get_ec2_id (c, value, "ami-", &e->ami->id);
}

static void
a_account (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref (c, value, AMS_PAT_ACCOUNT_ID, &e->ami->account);
}

static void
a_region (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref (c, value, AMS_PAT_REGION, &e->ami->region);
}

static void
a_name (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_string (c, value, 3, 128, &e->ami->name); /* RegisterImage: 3 to 128 */
}

static void
a_created (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  if (ams_get_time (c, value, &e->ami->created_abs))
    {
      e->created_given = TRUE;
      ams_check_loc (c, value, &e->created_loc);
    }
}

static void
a_state (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  const char *text;
  if (!ams_get_scalar (c, value, "available or disabled", &text))
    return;
  if (strcmp (text, "available") == 0 || strcmp (text, "disabled") == 0)
    e->ami->disabled = text[0] == 'd';
  else
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, value, "expected available or disabled, got \"%s\" (an AMI that is "
                                 "pending, failed or deregistered does not exist at the start: "
                                 "leave it out)", esc);
    }
}

static void
a_deprecation (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_time (c, value, &e->ami->deprecation_abs);
}

/* ---- snapshots[] ---- */

typedef struct
{
  AmsScSnapshot *s;
  gboolean size_given;
} Snap;

static void
s_id (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Snap *sn = target;
  get_ec2_id (c, value, "snap-", &sn->s->id);
}

/* VolumeSize: whole GiB as describe-images gives it, or a size like 30GiB. */
static void
s_size (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Snap *sn = target;
  gboolean digits = value->kind == AMS_YNODE_SCALAR && !ams_ynode_is_string (value)
                    && value->len > 0 && strspn (value->text, "0123456789") == value->len;
  if (digits)
    {
      guint64 gib = 0;
      if (!ams_get_uint (c, value, 1, 65536, &gib)) /* EBS: at most 64 TiB */
        return;
      sn->s->bytes = gib << 30;
    }
  else if (!ams_get_size (c, value, &sn->s->bytes))
    return;
  else if (sn->s->bytes == 0)
    {
      ams_check_error (c, value, "a snapshot's size is more than 0");
      return;
    }
  sn->size_given = TRUE;
}

static const AmsField snapshot_fields[] = {
  { "id", s_id, AMS_FIELD_REQUIRED, "the snapshot's id, e.g. id: snap-0123456789abcdef0" },
  { "size", s_size, AMS_FIELD_REQUIRED, "its volume's size in GiB, e.g. size: 30" },
  { NULL },
};

static void
snapshot_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  Entry *e = target;
  AmsScSnapshot s = { 0 };
  Snap sn = { .s = &s };
  if (!ams_check_mapping (c, item, snapshot_fields, 0, &sn) || s.id == NULL || !sn.size_given)
    return;
  for (guint i = 0; i < e->ami->snapshots->len; i++)
    if (strcmp (g_array_index (e->ami->snapshots, AmsScSnapshot, i).id, s.id) == 0)
      {
        ams_check_error (c, item, "snapshot %s is listed twice", s.id);
        return;
      }
  g_array_append_val (e->ami->snapshots, s);
  e->ami->bytes += s.bytes;
}

static void
a_snapshots (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  if (value->kind == AMS_YNODE_SEQUENCE
      && (value->items->len == 0 || value->items->len > MAX_SNAPSHOTS))
    {
      ams_check_error (c, value, "expected 1 to %d snapshots, got %u", MAX_SNAPSHOTS,
                       value->items->len);
      return;
    }
  ams_check_sequence (c, value, snapshot_item, target);
}

static void
a_kms_key (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_ref (c, value, AMS_PAT_KMS_KEY_REF, &e->ami->traits->kms_key_id);
}

static void
a_encrypted (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  gboolean b;
  if (ams_get_bool (c, value, &b))
    e->ami->traits->encrypted = b;
}

static void
a_launch_permission (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_schema_launch_permission (c, value, e->ami->traits);
}

static void
a_tags (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  ams_get_tags (c, value, 0, e->ami->traits->ami_tags);
}

static void
a_pipeline (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  if (ams_get_string (c, value, 1, 128, &e->ami->pipeline.value))
    ams_check_loc (c, value, &e->ami->pipeline.loc);
}

/* "1.0.0/3": the image's semantic version and build number. */
static void
a_version (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer target)
{
  Entry *e = target;
  const char *text;
  if (!ams_get_scalar (c, value, "a version like 1.0.0/3", &text))
    return;
  const char *slash = strchr (text, '/');
  gboolean ok = slash != NULL && slash[1] != '\0' && strspn (slash + 1, "0123456789")
                                                         == strlen (slash + 1);
  guint64 build = 0;
  if (ok)
    ok = g_ascii_string_to_unsigned (slash + 1, 10, 1, G_MAXUINT32, &build, NULL);
  g_autofree char *semver = ok ? g_strndup (text, (gsize) (slash - text)) : NULL;
  guint dots = 0;
  for (const char *p = semver; ok && *p != '\0'; p++)
    {
      if (*p == '.')
        dots++;
      else if (!g_ascii_isdigit (*p))
        ok = FALSE;
    }
  if (!ok || dots != 2 || semver[0] == '.' || strstr (semver, "..") != NULL
      || g_str_has_suffix (semver, "."))
    {
      g_autofree char *esc = g_strescape (text, NULL);
      ams_check_error (c, value, "expected the image's version and build like 1.0.0/3, got "
                                 "\"%s\"", esc);
      return;
    }
  e->ami->version = ams_check_intern (c, text);
  e->ami->semver = ams_check_intern (c, semver);
  e->ami->build = build;
  ams_check_loc (c, value, &e->version_loc);
}

static const AmsField ami_fields[] = {
  { "id", a_id, AMS_FIELD_REQUIRED, "the AMI's id, e.g. id: ami-0a1b2c3d4e5f60718" },
  { "account", a_account, AMS_FIELD_REQUIRED, "its owner, e.g. account: \"222222222222\"" },
  { "region", a_region, AMS_FIELD_REQUIRED, "where it is registered, e.g. region: us-east-1" },
  { "name", a_name, 0, NULL },
  { "created", a_created, AMS_FIELD_REQUIRED,
    "when it was made (describe-images CreationDate), e.g. created: 2026-11-30T03:12:40Z" },
  { "state", a_state, 0, NULL },
  { "deprecation_time", a_deprecation, 0, NULL },
  { "snapshots", a_snapshots, AMS_FIELD_REQUIRED,
    "its EBS snapshots, e.g. snapshots: [{id: snap-0123456789abcdef0, size: 30}]" },
  { "kms_key", a_kms_key, 0, NULL },
  { "encrypted", a_encrypted, 0, NULL },
  { "launchPermission", a_launch_permission, 0, NULL },
  { "tags", a_tags, 0, NULL },
  { "pipeline", a_pipeline, 0, NULL },
  { "version", a_version, 0, NULL },
  { NULL },
};

static void
ami_item (AmsCheck *c, guint index, const AmsYNode *item, gpointer target)
{
  AmsScenario *sc = target;
  AmsScAmi *a = g_new0 (AmsScAmi, 1);
  a->snapshots = g_array_new (FALSE, TRUE, sizeof (AmsScSnapshot));
  a->traits = ams_sc_dist_region_new ();
  a->deprecation_abs = AMS_TIME_NEVER;
  a->deprecated_at = AMS_TIME_NEVER;
  ams_check_loc (c, item, &a->loc);
  a->traits->loc = a->loc;
  g_ptr_array_add (sc->amis, a);
  Entry e = { .ami = a };
  if (!ams_check_mapping (c, item, ami_fields, 0, &e))
    return;
  a->traits->region = a->region;
  if (a->traits->encrypted == FALSE && a->traits->kms_key_id.value != NULL)
    ams_check_error_at (c, &a->traits->kms_key_id.loc,
                        "%s encrypts its snapshots; it cannot go with encrypted: false",
                        a->traits->kms_key_id.value);
  /* as written (a value refused on its own is reported there) */
  const AmsYNode *pv = ams_ynode_lookup (item, "pipeline"), *vv = ams_ynode_lookup (item, "version");
  gboolean has_pipeline = pv != NULL && !ams_ynode_is_null (pv);
  gboolean has_version = vv != NULL && !ams_ynode_is_null (vv);
  if (has_pipeline != has_version)
    ams_check_error_at (c, &a->loc, "pipeline and version go together: the Image Builder "
                                    "image this AMI is an output of (e.g. pipeline: golden, "
                                    "version: 1.0.0/3), or neither for an AMI Image Builder "
                                    "did not make");
}

void
ams_schema_amis (AmsCheck *c, const AmsYNode *key, const AmsYNode *value, gpointer sc)
{
  ams_check_sequence (c, value, ami_item, sc);
}

/* ---- references ---- */

typedef struct
{
  const AmsScAmi *ami;
  const AmsScSnapshot *s;
} SnapOwner;

void
ams_schema_resolve_amis (AmsCheck *c, AmsScenario *sc)
{
  if (sc->amis->len == 0)
    return;
  g_autoptr (GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) snaps = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr (GPtrArray) pipelines = g_ptr_array_new ();
  for (guint i = 0; i < sc->pipelines->len; i++)
    {
      const AmsScPipeline *pl = sc->pipelines->pdata[i];
      if (pl->name != NULL)
        g_ptr_array_add (pipelines, (gpointer) pl->name);
    }
  g_autoptr (GDateTime) start_time = g_date_time_new_from_unix_utc (sc->start
                                                                     / AMS_TICKS_PER_SECOND);
  g_autofree char *start = g_date_time_format_iso8601 (start_time);
  for (guint i = 0; i < sc->amis->len; i++)
    {
      AmsScAmi *a = sc->amis->pdata[i];
      if (a->id == NULL)
        continue; /* reported */
      const AmsScAmi *first = g_hash_table_lookup (ids, a->id);
      if (first != NULL)
        ams_check_error_at (c, &a->loc, "AMI %s is listed twice (first at %u:%u)", a->id,
                            first->loc.line, first->loc.col);
      else
        g_hash_table_insert (ids, (gpointer) a->id, a);
      ams_schema_resolve_account (c, &a->account);
      ams_schema_resolve_region (c, &a->region);
      a->created = a->created_abs - sc->start;
      if (a->created > 0)
        ams_check_error_at (c, &a->loc, "AMI %s was created after the start (%s): amis lists "
                                        "the AMIs that exist when the run starts",
                            a->id, start);
      if (a->deprecation_abs != AMS_TIME_NEVER)
        a->deprecated_at = a->deprecation_abs - sc->start;
      if (a->pipeline.value != NULL && !g_hash_table_contains (c->pipelines, a->pipeline.value))
        {
          g_autoptr (GString) msg = g_string_new (NULL);
          g_string_printf (msg, "no pipeline named '%s'", a->pipeline.value);
          if (pipelines->len == 0)
            g_string_append (msg, " (the scenario defines no pipelines)");
          else
            ams_append_suggestion (msg, a->pipeline.value,
                                   (const char *const *) pipelines->pdata, pipelines->len, 8,
                                   "defined: ");
          ams_check_error_at (c, &a->pipeline.loc, "%s", msg->str);
        }
      /* a snapshot lives in one account and region, with one size */
      for (guint j = 0; j < a->snapshots->len; j++)
        {
          const AmsScSnapshot *s = &g_array_index (a->snapshots, AmsScSnapshot, j);
          const SnapOwner *o = g_hash_table_lookup (snaps, s->id);
          if (o == NULL)
            {
              SnapOwner *n = g_new (SnapOwner, 1);
              n->ami = a;
              n->s = s;
              g_hash_table_insert (snaps, (gpointer) s->id, n);
            }
          else if (a->account.value != NULL && a->region.value != NULL
                   && o->ami->account.value != NULL && o->ami->region.value != NULL
                   && (strcmp (o->ami->account.value, a->account.value) != 0
                       || strcmp (o->ami->region.value, a->region.value) != 0))
            ams_check_error_at (c, &a->loc, "snapshot %s is in %s %s (AMI %s at %u:%u), not "
                                            "in %s %s: an AMI's snapshots are in its account "
                                            "and region", s->id, o->ami->account.value,
                                o->ami->region.value, o->ami->id, o->ami->loc.line,
                                o->ami->loc.col, a->account.value, a->region.value);
          else if (o->s->bytes != s->bytes)
            ams_check_error_at (c, &a->loc, "snapshot %s has another size at %u:%u", s->id,
                                o->ami->loc.line, o->ami->loc.col);
        }
    }
}

const AmsSchemaTable *
ams_schema_amis_tables (void)
{
  static const AmsSchemaTable tables[] = {
    AMS_SCHEMA_TABLE ("amis[]", ami_fields),
    AMS_SCHEMA_TABLE ("amis[].snapshots[]", snapshot_fields),
    { NULL },
  };
  return tables;
}
