/* amisim — `amisim import`: an estate export (docs/estate-export.md) turned
 * into a scenario (docs/import.md says what is read from where).
 *
 * Every file is read as JSON through the scenario module's document reader
 * (ams_value_load_file: JSON is YAML), checked to be the output of the
 * operation its place in the layout names, and mapped key by key: what the
 * scenario has a key for is written, output-only members (ARNs, dates,
 * owners: what the place in the layout or the scenario's own keys already
 * say) are dropped by name, and anything else is a note naming the file
 * and the JSON path. The scenario written is loaded by the scenario loader
 * before it is handed back: the import never returns a scenario amisim
 * refuses.
 */
#include "amisim/import.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "amisim/policy.h"
#include "amisim/scenario.h"
#include "amisim/value.h"

G_DEFINE_QUARK (ams-import-error-quark, ams_import_error)

/* The timing defaults an export cannot know, written into every scenario
 * with a comment (docs/import.md). */
#define IMPORT_HORIZON "7d"
#define IMPORT_BUILD_TIME "lognormal(mean=45m, sd=10m)"
#define IMPORT_TEST_TIME "fixed(15m)"

void
ams_import_notes_init (AmsImportNotes *notes)
{
  notes->lines = g_ptr_array_new_with_free_func (g_free);
}

void
ams_import_notes_clear (AmsImportNotes *notes)
{
  g_clear_pointer (&notes->lines, g_ptr_array_unref);
}

/* ------------------------------------------------------------ context */

typedef struct
{
  char *id;
  char *name;
  gboolean active;
  const char *state;
} Account;

typedef struct
{
  const char *dir;
  AmsImportNotes *notes;
  GError *error;                /* the first error; everything stops at it */
  GHashTable *docs;             /* relative path -> AmsValueDoc* (NULL value: absent) */
  GPtrArray *regions;           /* of char* */
  GPtrArray *accounts;          /* of Account*, in the organization's order */
  GHashTable *account_by_id;    /* id -> Account* */
  GHashTable *pipeline_names;   /* names written, for uniqueness */
  GHashTable *share_names;
  GHashTable *ecr;              /* "account\tregion\trepo" -> 1 */
  GHashTable *roles_not_read;   /* role name -> GPtrArray of account ids */
  GHashTable *recipe_pipeline;  /* "account\tregion\trecipe" -> the pipeline written */
  GArray *places;               /* of Place: the active accounts' regions, made on first use */
  guint amis, amis_skipped, images;
  gint64 newest;                /* the newest AMI's creation, µs since the epoch; 0: none */
} Ctx;

static void
account_free (gpointer p)
{
  Account *a = p;
  g_free (a->id);
  g_free (a->name);
  g_free (a);
}

static void G_GNUC_PRINTF (2, 3)
note (Ctx *c, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  char *s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  if (c->notes != NULL)
    g_ptr_array_add (c->notes->lines, s);
  else
    g_free (s);
}

static void G_GNUC_PRINTF (3, 4)
fail (Ctx *c, AmsImportError code, const char *fmt, ...)
{
  if (c->error != NULL)
    return;
  va_list ap;
  va_start (ap, fmt);
  char *s = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  c->error = g_error_new_literal (AMS_IMPORT_ERROR, code, s);
  g_free (s);
}

static char *
full (const Ctx *c, const char *rel)
{
  return g_build_filename (c->dir, rel, NULL);
}

/* ------------------------------------------------------------ places */

/* An active account and a region: where the export has a folder to read. */
typedef struct
{
  const char *account;
  const char *region;
} Place;

/* Every active account's regions, in the organization's order, then the
 * regions' (once the organization, which names the accounts, is read). */
static const GArray *
places (Ctx *c)
{
  if (c->places != NULL)
    return c->places;
  c->places = g_array_new (FALSE, FALSE, sizeof (Place));
  for (guint i = 0; i < c->accounts->len; i++)
    {
      const Account *a = c->accounts->pdata[i];
      for (guint r = 0; a->active && r < c->regions->len; r++)
        {
          Place pl = { a->id, c->regions->pdata[r] };
          g_array_append_val (c->places, pl);
        }
    }
  return c->places;
}

/* "FILE:LINE:COL: PATH" of a value, for messages. */
static char *
where (const Ctx *c, const char *rel, const AmsValue *v)
{
  g_autofree char *f = full (c, rel);
  if (v == NULL)
    return g_strdup (f);
  return g_strdup_printf ("%s:%u:%u: %s", f, v->loc.line, v->loc.col,
                          v->loc.path && *v->loc.path ? v->loc.path : "(top)");
}

static void
dangling (Ctx *c, const char *rel, const AmsValue *v, const char *what)
{
  g_autofree char *w = where (c, rel, v);
  fail (c, AMS_IMPORT_ERROR_DANGLING, "%s: %s '%s' names nothing in the export", w, what,
        v && v->text ? v->text : "");
}

/* Loads `rel` (cached). Absent: NULL without error. An empty file is the
 * output {} (the CLI prints nothing for it). `member`, when given, must be
 * a member of the top-level object of the operation's output: its absence
 * means the file holds another operation's output. */
static const AmsValue *
load (Ctx *c, const char *rel, const char *op, const char *member, AmsValueKind kind)
{
  if (c->error != NULL)
    return NULL;
  AmsValueDoc *doc = NULL;
  if (g_hash_table_lookup_extended (c->docs, rel, NULL, (gpointer *) &doc))
    {
      if (doc == NULL)
        return NULL;
    }
  else
    {
      g_autofree char *path = full (c, rel);
      g_autofree char *data = NULL;
      gsize len = 0;
      GError *e = NULL;
      if (!g_file_get_contents (path, &data, &len, &e))
        {
          gboolean absent = g_error_matches (e, G_FILE_ERROR, G_FILE_ERROR_NOENT);
          if (!absent)
            fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: %s", path, e->message);
          g_error_free (e);
          g_hash_table_insert (c->docs, g_strdup (rel), NULL);
          return NULL;
        }
      gboolean blank = TRUE;
      for (gsize i = 0; i < len && blank; i++)
        blank = g_ascii_isspace (data[i]);
      doc = ams_value_load_data (path, blank ? "{}" : data, blank ? 2 : (gssize) len, &e);
      if (doc == NULL)
        {
          fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s (not the JSON output of %s: truncated or "
                                              "not JSON)", e->message, op);
          g_error_free (e);
          return NULL;
        }
      g_hash_table_insert (c->docs, g_strdup (rel), doc);
    }
  const AmsValue *root = ams_value_doc_root (doc);
  g_autofree char *path = full (c, rel);
  if (root == NULL || root->kind != AMS_VALUE_OBJECT)
    {
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: (top): the output of %s is a JSON object, not %s",
            path, op, root ? ams_value_describe (root) : "nothing");
      return NULL;
    }
  if (member == NULL)
    return root;
  const AmsValue *m = ams_value_get (root, member);
  if (m == NULL || m->kind != kind)
    {
      GString *has = g_string_new (NULL);
      for (guint i = 0; i < root->n && i < 4; i++)
        g_string_append_printf (has, "%s%s", i ? ", " : "", root->keys[i]);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE,
            "%s:%u:%u: %s: %s (the output of %s has %s %s; this file has %s)", path,
            m ? m->loc.line : root->loc.line, m ? m->loc.col : root->loc.col, member,
            m ? "of the wrong type" : "missing", op, kind == AMS_VALUE_ARRAY ? "a list" : "an object",
            member, has->len ? has->str : "no members");
      g_string_free (has, TRUE);
      return NULL;
    }
  return m;
}

/* A member that must be a string; error naming file and path otherwise. */
static const char *
str_member (Ctx *c, const char *rel, const AmsValue *obj, const char *key, gboolean required)
{
  if (c->error != NULL || obj == NULL)
    return NULL;
  const AmsValue *v = ams_value_get (obj, key);
  if (v == NULL || v->kind == AMS_VALUE_NULL)
    {
      if (required)
        {
          g_autofree char *w = where (c, rel, obj);
          fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: member %s missing", w, key);
        }
      return NULL;
    }
  if (v->kind != AMS_VALUE_STRING)
    {
      g_autofree char *w = where (c, rel, v);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: a string expected, not %s", w,
            ams_value_describe (v));
      return NULL;
    }
  return v->text;
}

static const AmsValue *
typed_member (Ctx *c, const char *rel, const AmsValue *obj, const char *key, AmsValueKind kind)
{
  if (c->error != NULL || obj == NULL)
    return NULL;
  const AmsValue *v = ams_value_get (obj, key);
  if (v == NULL || v->kind == AMS_VALUE_NULL)
    return NULL;
  if (v->kind != kind)
    {
      g_autofree char *w = where (c, rel, v);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: %s expected, not %s", w,
            kind == AMS_VALUE_ARRAY ? "a list" : "an object", ams_value_describe (v));
      return NULL;
    }
  return v;
}

static int
cmp_strp (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Sorted names in a folder (files and folders), NULL-terminated; empty for
 * an absent folder. */
static char **
list_dir (const Ctx *c, const char *rel)
{
  g_autofree char *path = full (c, rel);
  GPtrArray *a = g_ptr_array_new ();
  GDir *d = g_dir_open (path, 0, NULL);
  if (d != NULL)
    {
      const char *n;
      while ((n = g_dir_read_name (d)) != NULL)
        g_ptr_array_add (a, g_strdup (n));
      g_dir_close (d);
    }
  g_ptr_array_sort (a, cmp_strp);
  g_ptr_array_add (a, NULL);
  return (char **) g_ptr_array_free (a, FALSE);
}

/* Sorted "NAME" of every NAME.json in a folder. */
static char **
list_json (const Ctx *c, const char *rel)
{
  g_auto (GStrv) all = list_dir (c, rel);
  GPtrArray *a = g_ptr_array_new ();
  for (char **p = all; *p; p++)
    if (g_str_has_suffix (*p, ".json"))
      g_ptr_array_add (a, g_strndup (*p, strlen (*p) - 5));
  g_ptr_array_add (a, NULL);
  return (char **) g_ptr_array_free (a, FALSE);
}

/* ------------------------------------------------------------ emitting */

static void
emit_string (GString *o, const char *s)
{
  g_string_append_c (o, '"');
  for (const unsigned char *p = (const unsigned char *) s; *p; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_printf (o, "\\%c", *p);
      else if (*p == '\n')
        g_string_append (o, "\\n");
      else if (*p == '\t')
        g_string_append (o, "\\t");
      else if (*p == '\r')
        g_string_append (o, "\\r");
      else if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (o, "\\u%04x", *p);
      else
        g_string_append_c (o, (char) *p);
    }
  g_string_append_c (o, '"');
}

/* A document in JSON flow style (valid YAML). */
static void
emit_value (GString *o, const AmsValue *v)
{
  switch (v->kind)
    {
    case AMS_VALUE_NULL:
      g_string_append (o, "null");
      break;
    case AMS_VALUE_BOOL:
      g_string_append (o, g_ascii_strcasecmp (v->text, "true") == 0 ? "true" : "false");
      break;
    case AMS_VALUE_NUMBER:
      g_string_append (o, v->text);
      break;
    case AMS_VALUE_STRING:
      emit_string (o, v->text);
      break;
    case AMS_VALUE_ARRAY:
      g_string_append_c (o, '[');
      for (guint i = 0; i < v->n; i++)
        {
          if (i)
            g_string_append (o, ", ");
          emit_value (o, v->items[i]);
        }
      g_string_append_c (o, ']');
      break;
    case AMS_VALUE_OBJECT:
      g_string_append_c (o, '{');
      for (guint i = 0; i < v->n; i++)
        {
          if (i)
            g_string_append (o, ", ");
          emit_string (o, v->keys[i]);
          g_string_append (o, ": ");
          emit_value (o, v->items[i]);
        }
      g_string_append_c (o, '}');
      break;
    }
}

static gboolean
in_list (const char *const *list, const char *s)
{
  for (; list && *list; list++)
    if (strcmp (*list, s) == 0)
      return TRUE;
  return FALSE;
}

/* The members of `obj` that are in `keep`, as "key": value pairs appended
 * to a flow mapping being written (each preceded by ", " unless *first);
 * members in `drop` (output only) are left out quietly, others are noted. */
static void
emit_members (Ctx *c, GString *o, const char *rel, const AmsValue *obj, const char *const *keep,
              const char *const *drop, gboolean *first)
{
  for (guint i = 0; i < obj->n; i++)
    {
      const char *k = obj->keys[i];
      if (in_list (keep, k))
        {
          if (obj->items[i]->kind == AMS_VALUE_NULL)
            continue;
          if (!*first)
            g_string_append (o, ", ");
          *first = FALSE;
          emit_string (o, k);
          g_string_append (o, ": ");
          emit_value (o, obj->items[i]);
        }
      else if (!in_list (drop, k))
        {
          g_autofree char *w = where (c, rel, obj->items[i]);
          note (c, "%s: not imported (amisim has no key for it)", w);
        }
    }
}

static void
emit_kv (GString *o, gboolean *first, const char *k, const char *v)
{
  if (!*first)
    g_string_append (o, ", ");
  *first = FALSE;
  emit_string (o, k);
  g_string_append (o, ": ");
  emit_string (o, v);
}

/* ------------------------------------------------------------ organization */

static Account *
account_add (Ctx *c, const char *rel, const AmsValue *row)
{
  const char *id = str_member (c, rel, row, "Id", TRUE);
  const char *name = str_member (c, rel, row, "Name", FALSE);
  const char *state = str_member (c, rel, row, "State", FALSE);
  if (state == NULL)
    state = str_member (c, rel, row, "Status", FALSE);
  if (id == NULL)
    return NULL;
  if (g_hash_table_contains (c->account_by_id, id))
    {
      g_autofree char *w = where (c, rel, row);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: account %s is listed under two parents", w, id);
      return NULL;
    }
  Account *a = g_new0 (Account, 1);
  a->id = g_strdup (id);
  a->name = g_strdup (name);
  a->active = state == NULL || strcmp (state, "ACTIVE") == 0;
  a->state = state ? g_intern_string (state) : "ACTIVE";
  g_ptr_array_add (c->accounts, a);
  g_hash_table_insert (c->account_by_id, a->id, a);
  if (!a->active)
    {
      g_autofree char *w = where (c, rel, row);
      note (c, "%s: account %s (%s) is %s: left out of the scenario (not in accounts[] nor in the "
               "organization)", w, id, name ? name : "", state);
    }
  return a;
}

static void indent (GString *o, int n) { g_string_append_printf (o, "%*s", n, ""); }

/* The accounts directly under `parent`, as a flow list of the active ones. */
static void
emit_parent_accounts (Ctx *c, GString *o, const char *parent, int ind)
{
  g_autofree char *rel = g_strdup_printf ("organizations/list-accounts-for-parent/%s.json", parent);
  const AmsValue *rows = load (c, rel, "organizations list-accounts-for-parent", "Accounts",
                               AMS_VALUE_ARRAY);
  if (rows == NULL)
    {
      if (c->error == NULL)
        fail (c, AMS_IMPORT_ERROR_NOT_EXPORT, "%s/%s: missing: the accounts under %s were not "
                                              "exported", c->dir, rel, parent);
      return;
    }
  GString *list = g_string_new (NULL);
  for (guint i = 0; i < rows->n && c->error == NULL; i++)
    {
      Account *a = account_add (c, rel, rows->items[i]);
      if (a != NULL && a->active)
        {
          g_string_append (list, list->len ? ", " : "");
          emit_string (list, a->id);
        }
    }
  if (list->len)
    {
      indent (o, ind);
      g_string_append_printf (o, "accounts: [%s]\n", list->str);
    }
  g_string_free (list, TRUE);
}

static void
emit_units (Ctx *c, GString *o, const char *parent, int ind, guint depth)
{
  g_autofree char *rel
      = g_strdup_printf ("organizations/list-organizational-units-for-parent/%s.json", parent);
  const AmsValue *ous = load (c, rel, "organizations list-organizational-units-for-parent",
                              "OrganizationalUnits", AMS_VALUE_ARRAY);
  if (ous == NULL)
    {
      if (c->error == NULL)
        fail (c, AMS_IMPORT_ERROR_NOT_EXPORT, "%s/%s: missing: the OUs under %s were not "
                                              "exported", c->dir, rel, parent);
      return;
    }
  if (ous->n == 0)
    return;
  if (depth > 5)
    {
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s/%s: OUs more than 5 levels below the root", c->dir,
            rel);
      return;
    }
  indent (o, ind);
  g_string_append (o, "units:\n");
  for (guint i = 0; i < ous->n && c->error == NULL; i++)
    {
      const char *id = str_member (c, rel, ous->items[i], "Id", TRUE);
      const char *name = str_member (c, rel, ous->items[i], "Name", FALSE);
      if (id == NULL)
        return;
      indent (o, ind);
      g_string_append (o, "  - id: ");
      emit_string (o, id);
      g_string_append_c (o, '\n');
      if (name)
        {
          indent (o, ind + 4);
          g_string_append (o, "name: ");
          emit_string (o, name);
          g_string_append_c (o, '\n');
        }
      emit_parent_accounts (c, o, id, ind + 4);
      emit_units (c, o, id, ind + 4, depth + 1);
    }
}

/* The SCP document of describe-policy/ID.json, parsed from its Content. */
static AmsValueDoc *
scp_document (Ctx *c, const char *id, const char **name, gboolean *full_access)
{
  g_autofree char *rel = g_strdup_printf ("organizations/describe-policy/%s.json", id);
  const AmsValue *pol = load (c, rel, "organizations describe-policy", "Policy", AMS_VALUE_OBJECT);
  if (pol == NULL)
    {
      if (c->error == NULL)
        fail (c, AMS_IMPORT_ERROR_DANGLING, "%s/%s: missing: policy %s is attached but was not "
                                            "described", c->dir, rel, id);
      return NULL;
    }
  const AmsValue *sum = typed_member (c, rel, pol, "PolicySummary", AMS_VALUE_OBJECT);
  *name = sum ? str_member (c, rel, sum, "Name", FALSE) : NULL;
  const char *type = sum ? str_member (c, rel, sum, "Type", FALSE) : NULL;
  const AmsValue *aws = sum ? ams_value_get (sum, "AwsManaged") : NULL;
  const char *content = str_member (c, rel, pol, "Content", TRUE);
  if (content == NULL)
    return NULL;
  if (type && strcmp (type, "SERVICE_CONTROL_POLICY") != 0)
    {
      g_autofree char *w = where (c, rel, ams_value_get (sum, "Type"));
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: %s is not a service control policy", w, type);
      return NULL;
    }
  *full_access = *name && strcmp (*name, "FullAWSAccess") == 0 && aws
                 && aws->kind == AMS_VALUE_BOOL && g_ascii_strcasecmp (aws->text, "true") == 0;
  g_autofree char *f = full (c, rel);
  g_autofree char *disp = g_strdup_printf ("%s (Policy.Content)", f);
  GError *e = NULL;
  AmsValueDoc *doc = ams_value_load_data (disp, content, -1, &e);
  if (doc == NULL)
    {
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s", e->message);
      g_error_free (e);
    }
  return doc;
}

static void
emit_scps (Ctx *c, GString *o, const char *mgmt)
{
  g_auto (GStrv) targets = list_json (c, "organizations/list-policies-for-target");
  GString *body = g_string_new (NULL);
  for (char **t = targets; *t && c->error == NULL; t++)
    {
      g_autofree char *rel = g_strdup_printf ("organizations/list-policies-for-target/%s.json", *t);
      const AmsValue *pols = load (c, rel, "organizations list-policies-for-target", "Policies",
                                   AMS_VALUE_ARRAY);
      if (pols == NULL)
        break;
      Account *acct = g_hash_table_lookup (c->account_by_id, *t);
      if (g_ascii_isdigit (**t) && (acct == NULL || !acct->active))
        {
          if (pols->n)
            note (c, "%s/%s: SCPs of account %s not imported: the account is not in the scenario",
                  c->dir, rel, *t);
          continue;
        }
      /* FullAWSAccess alone at a level is amisim's default: left out then. */
      gboolean only_full = TRUE;
      g_autoptr (GPtrArray) docs = g_ptr_array_new_with_free_func ((GDestroyNotify) ams_value_doc_free);
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      for (guint i = 0; i < pols->n && c->error == NULL; i++)
        {
          const char *id = str_member (c, rel, pols->items[i], "Id", TRUE);
          if (id == NULL)
            break;
          const char *name = NULL;
          gboolean fa = FALSE;
          AmsValueDoc *d = scp_document (c, id, &name, &fa);
          if (d == NULL)
            break;
          only_full = only_full && fa;
          g_ptr_array_add (docs, d);
          g_ptr_array_add (names, (gpointer) (name ? name : id));
        }
      if (c->error != NULL || only_full)
        continue;
      if (mgmt && strcmp (*t, mgmt) == 0)
        note (c, "%s/%s: SCPs attached to the management account %s are imported; they never "
                 "apply to it", c->dir, rel, *t);
      for (guint i = 0; i < docs->len; i++)
        {
          g_string_append (body, "      - {target: ");
          emit_string (body, *t);
          g_string_append (body, ", name: ");
          emit_string (body, names->pdata[i]);
          g_string_append (body, ",\n         policy: ");
          emit_value (body, ams_value_doc_root (docs->pdata[i]));
          g_string_append (body, "}\n");
        }
    }
  if (body->len)
    {
      g_string_append (o, "    scps:\n");
      g_string_append (o, body->str);
    }
  g_string_free (body, TRUE);
}

static char *
emit_organization (Ctx *c, GString *o)
{
  const char *rel = "organizations/describe-organization.json";
  const AmsValue *org = load (c, rel, "organizations describe-organization", "Organization",
                              AMS_VALUE_OBJECT);
  const AmsValue *roots = load (c, "organizations/list-roots.json", "organizations list-roots",
                                "Roots", AMS_VALUE_ARRAY);
  if (c->error != NULL)
    return NULL;
  if (org == NULL || roots == NULL)
    {
      fail (c, AMS_IMPORT_ERROR_NOT_EXPORT, "%s: not an estate export: no %s (write one with "
                                            "tools/export-aws-estate, docs/estate-export.md)",
            c->dir, org == NULL ? rel : "organizations/list-roots.json");
      return NULL;
    }
  const char *id = str_member (c, rel, org, "Id", TRUE);
  const char *mgmt = str_member (c, rel, org, "MasterAccountId", TRUE);
  if (roots->n != 1)
    {
      g_autofree char *w = where (c, "organizations/list-roots.json", roots);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: an organization has one root, not %u", w, roots->n);
      return NULL;
    }
  const char *root = str_member (c, "organizations/list-roots.json", roots->items[0], "Id", TRUE);
  if (c->error != NULL)
    return NULL;
  g_string_append (o, "organizations:\n  - id: ");
  emit_string (o, id);
  g_string_append (o, "\n    management_account: ");
  emit_string (o, mgmt);
  g_string_append (o, "\n    root: ");
  emit_string (o, root);
  g_string_append_c (o, '\n');
  emit_parent_accounts (c, o, root, 4);
  emit_units (c, o, root, 4, 1);
  /* RAM sharing with the organization: on when a share's principal is the
   * organization or an OU (RAM associates those only when it is on) */
  const char *evidence = NULL;
  const GArray *ps = places (c);
  for (guint p = 0; p < ps->len && evidence == NULL && c->error == NULL; p++)
    {
      const Place *pl = &g_array_index (ps, Place, p);
      g_autofree char *prel = g_strdup_printf ("accounts/%s/%s/ram/list-principals.json",
                                               pl->account, pl->region);
      g_autofree char *path = full (c, prel);
      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        continue;
      const AmsValue *pri = load (c, prel, "ram list-principals", "principals", AMS_VALUE_ARRAY);
      for (guint j = 0; pri != NULL && j < pri->n && evidence == NULL; j++)
        {
          const AmsValue *pid = ams_value_get (pri->items[j], "id");
          if (pid != NULL && pid->kind == AMS_VALUE_STRING
              && g_str_has_prefix (pid->text, "arn:aws:organizations::"))
            evidence = ams_value_doc_intern (g_hash_table_lookup (c->docs, prel), pid->text);
        }
    }
  if (evidence != NULL)
    {
      g_string_append (o, "    # RAM sharing with the organization is on: a resource share's "
                          "principal is\n    # ");
      g_string_append (o, evidence);
      g_string_append (o, " (list-principals.json)\n    ram_sharing: true\n");
    }
  else
    g_string_append (o, "    # not exported: whether RAM sharing with the organization is on "
                        "(Organizations list-aws-service-access-for-organization).\n"
                        "    # CALIBRATE: true if it is (shares to the organization then need no "
                        "invitation).\n    ram_sharing: false\n");
  if (c->error == NULL && !g_hash_table_contains (c->account_by_id, mgmt))
    {
      g_autofree char *w = where (c, rel, ams_value_get (org, "MasterAccountId"));
      fail (c, AMS_IMPORT_ERROR_DANGLING, "%s: management account %s is not listed under the "
                                          "root or any OU", w, mgmt);
    }
  emit_scps (c, o, mgmt);
  return g_strdup (mgmt);
}

/* ------------------------------------------------------------ accounts */

static void
emit_keys (Ctx *c, GString *o, const Account *a, GHashTable *seen_ids)
{
  gboolean header = FALSE;
  for (guint r = 0; r < c->regions->len && c->error == NULL; r++)
    {
      const char *region = c->regions->pdata[r];
      g_autofree char *base = g_strdup_printf ("accounts/%s/%s/kms", a->id, region);
      g_autofree char *dk = g_strdup_printf ("%s/describe-key", base);
      g_auto (GStrv) ids = list_json (c, dk);
      g_autofree char *arel = g_strdup_printf ("%s/list-aliases.json", base);
      const AmsValue *aliases = NULL;
      if (ids[0] != NULL)
        aliases = load (c, arel, "kms list-aliases", "Aliases", AMS_VALUE_ARRAY);
      for (char **k = ids; *k && c->error == NULL; k++)
        {
          g_autofree char *rel = g_strdup_printf ("%s/%s.json", dk, *k);
          const AmsValue *m = load (c, rel, "kms describe-key", "KeyMetadata", AMS_VALUE_OBJECT);
          if (m == NULL)
            return;
          const char *kid = str_member (c, rel, m, "KeyId", TRUE);
          const char *mgr = str_member (c, rel, m, "KeyManager", FALSE);
          const char *state = str_member (c, rel, m, "KeyState", FALSE);
          if (kid == NULL)
            return;
          if (strcmp (kid, *k) != 0)
            {
              g_autofree char *w = where (c, rel, ams_value_get (m, "KeyId"));
              fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: key %s under the name of key %s", w, kid, *k);
              return;
            }
          if (mgr && strcmp (mgr, "CUSTOMER") != 0)
            continue; /* AWS managed keys (alias/aws/ebs) are implicit */
          const char *st = NULL;
          if (state == NULL || strcmp (state, "Enabled") == 0)
            st = "enabled";
          else if (strcmp (state, "Disabled") == 0)
            st = "disabled";
          else if (strcmp (state, "PendingDeletion") == 0
                   || strcmp (state, "PendingReplicaDeletion") == 0)
            st = "pending_deletion";
          if (st == NULL)
            {
              g_autofree char *w = where (c, rel, ams_value_get (m, "KeyState"));
              note (c, "%s: key %s in state %s not imported (amisim's keys are enabled, disabled "
                       "or pending deletion)", w, kid, state);
              continue;
            }
          /* a multi-Region key: its primary and replicas share the id, one per region */
          g_autofree char *seen_key = g_strdup_printf ("%s\t%s", kid, region);
          if (g_hash_table_contains (seen_ids, seen_key))
            continue; /* listed twice in one region: the first stands */
          g_hash_table_insert (seen_ids, g_steal_pointer (&seen_key), (gpointer) region);
          /* its alias: the first not AWS's own, by name */
          const char *alias = NULL;
          for (guint i = 0; aliases && i < aliases->n; i++)
            {
              const AmsValue *t = ams_value_get (aliases->items[i], "TargetKeyId");
              const AmsValue *an = ams_value_get (aliases->items[i], "AliasName");
              if (t && t->text && an && an->text && strcmp (t->text, kid) == 0
                  && !g_str_has_prefix (an->text, "alias/aws/"))
                {
                  if (alias == NULL)
                    alias = an->text;
                  else
                    {
                      g_autofree char *w = where (c, arel, aliases->items[i]);
                      note (c, "%s: second alias %s of key %s not imported (amisim keeps one: %s)",
                            w, an->text, kid, alias);
                    }
                }
            }
          g_autofree char *prel = g_strdup_printf ("%s/get-key-policy/%s.json", base, kid);
          const AmsValue *pstr = load (c, prel, "kms get-key-policy", "Policy", AMS_VALUE_STRING);
          if (c->error != NULL)
            return;
          g_autoptr (AmsValueDoc) pdoc = NULL;
          if (pstr != NULL)
            {
              g_autofree char *f = full (c, prel);
              g_autofree char *disp = g_strdup_printf ("%s (Policy)", f);
              GError *e = NULL;
              pdoc = ams_value_load_data (disp, pstr->text, -1, &e);
              if (pdoc == NULL)
                {
                  fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s", e->message);
                  g_error_free (e);
                  return;
                }
            }
          else
            note (c, "%s/%s: missing: the key policy of %s was not read; the scenario gives it "
                     "the default key policy (the account's IAM policies decide)", c->dir, prel,
                  kid);
          if (!header)
            g_string_append (o, "    kms_keys:\n");
          header = TRUE;
          g_string_append (o, "      - {id: ");
          emit_string (o, kid);
          g_string_append (o, ", region: ");
          emit_string (o, region);
          if (alias)
            {
              g_string_append (o, ", alias: ");
              emit_string (o, alias);
            }
          g_string_append_printf (o, ", state: %s", st);
          if (pdoc)
            {
              g_string_append (o, ",\n         policy: ");
              emit_value (o, ams_value_doc_root (pdoc));
            }
          g_string_append (o, "}\n");
        }
    }
}

static AmsValueDoc *
decode_doc (Ctx *c, const char *rel, const AmsValue *v)
{
  /* The CLI decodes IAM's URL-encoded documents; other tooling may not. */
  g_autofree char *text = g_uri_unescape_string (v->text, NULL);
  g_autofree char *w = where (c, rel, v);
  GError *e = NULL;
  AmsValueDoc *d = text ? ams_value_load_data (w, text, -1, &e) : NULL;
  if (d == NULL)
    {
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: a policy document that is not JSON%s%s", w,
            e ? ": " : "", e ? e->message : "");
      g_clear_error (&e);
    }
  return d;
}

static void
emit_doc (Ctx *c, GString *o, const char *rel, const AmsValue *v)
{
  if (v->kind == AMS_VALUE_STRING)
    {
      g_autoptr (AmsValueDoc) d = decode_doc (c, rel, v);
      if (d)
        emit_value (o, ams_value_doc_root (d));
    }
  else if (v->kind == AMS_VALUE_OBJECT)
    emit_value (o, v);
  else
    {
      g_autofree char *w = where (c, rel, v);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: a policy document expected, not %s", w,
            ams_value_describe (v));
    }
}

static void
emit_roles (Ctx *c, GString *o, const Account *a)
{
  g_autofree char *iam = g_strdup_printf ("accounts/%s/iam", a->id);
  g_autofree char *lrel = g_strdup_printf ("%s/list-roles.json", iam);
  const AmsValue *listed = load (c, lrel, "iam list-roles", "Roles", AMS_VALUE_ARRAY);
  g_autofree char *gr = g_strdup_printf ("%s/get-role", iam);
  g_auto (GStrv) roles = list_json (c, gr);
  const char *const *managed = ams_managed_policy_names ();
  for (guint i = 0; listed && i < listed->n && c->error == NULL; i++)
    {
      const char *n = str_member (c, lrel, listed->items[i], "RoleName", TRUE);
      if (n && !g_strv_contains ((const char *const *) roles, n))
        {
          GPtrArray *in = g_hash_table_lookup (c->roles_not_read, n);
          if (in == NULL)
            {
              in = g_ptr_array_new_with_free_func (g_free);
              g_hash_table_insert (c->roles_not_read, g_strdup (n), in);
            }
          g_ptr_array_add (in, g_strdup (a->id));
        }
    }
  if (roles[0] != NULL)
    g_string_append (o, "    roles:\n");
  for (char **r = roles; *r && c->error == NULL; r++)
    {
      g_autofree char *rel = g_strdup_printf ("%s/%s.json", gr, *r);
      const AmsValue *role = load (c, rel, "iam get-role", "Role", AMS_VALUE_OBJECT);
      if (role == NULL)
        return;
      const char *name = str_member (c, rel, role, "RoleName", TRUE);
      const AmsValue *trust = ams_value_get (role, "AssumeRolePolicyDocument");
      if (name == NULL)
        return;
      if (trust == NULL)
        {
          g_autofree char *w = where (c, rel, role);
          fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: AssumeRolePolicyDocument missing", w);
          return;
        }
      g_string_append (o, "      - name: ");
      emit_string (o, name);
      g_string_append (o, "\n        trust: ");
      emit_doc (c, o, rel, trust);
      g_string_append_c (o, '\n');
      /* managed policies, by name: the ones amisim ships */
      g_autofree char *mrel = g_strdup_printf ("%s/list-attached-role-policies/%s.json", iam, *r);
      const AmsValue *att = load (c, mrel, "iam list-attached-role-policies", "AttachedPolicies",
                                  AMS_VALUE_ARRAY);
      if (att == NULL && c->error == NULL)
        note (c, "%s/%s: missing: role %s imported without managed policies", c->dir, mrel, name);
      GString *ml = g_string_new (NULL);
      for (guint i = 0; att && i < att->n && c->error == NULL; i++)
        {
          const char *pn = str_member (c, mrel, att->items[i], "PolicyName", TRUE);
          const char *pa = str_member (c, mrel, att->items[i], "PolicyArn", FALSE);
          if (pn == NULL)
            break;
          gboolean aws = pa == NULL || g_str_has_prefix (pa, "arn:aws:iam::aws:policy/")
                         || strstr (pa, ":iam::aws:policy/") != NULL;
          if (aws && in_list (managed, pn))
            {
              g_string_append (ml, ml->len ? ", " : "");
              emit_string (ml, pn);
            }
          else
            {
              g_autofree char *w = where (c, mrel, att->items[i]);
              note (c, "%s: managed policy %s of role %s in %s not imported (%s)", w,
                    pa ? pa : pn, name, a->id,
                    aws ? "amisim does not ship its document"
                        : "customer managed: its document is not exported");
            }
        }
      if (ml->len)
        g_string_append_printf (o, "        managed_policies: [%s]\n", ml->str);
      g_string_free (ml, TRUE);
      /* inline policies, as read */
      g_autofree char *irel = g_strdup_printf ("%s/list-role-policies/%s.json", iam, *r);
      const AmsValue *inl = load (c, irel, "iam list-role-policies", "PolicyNames",
                                  AMS_VALUE_ARRAY);
      if (inl == NULL && c->error == NULL)
        note (c, "%s/%s: missing: role %s imported without inline policies", c->dir, irel, name);
      gboolean first = TRUE;
      for (guint i = 0; inl && i < inl->n && c->error == NULL; i++)
        {
          const AmsValue *pn = inl->items[i];
          if (pn->kind != AMS_VALUE_STRING)
            {
              g_autofree char *w = where (c, irel, pn);
              fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: a policy name expected", w);
              break;
            }
          g_autofree char *prel = g_strdup_printf ("%s/get-role-policy/%s/%s.json", iam, *r, pn->text);
          const AmsValue *pol = load (c, prel, "iam get-role-policy", NULL, AMS_VALUE_OBJECT);
          const AmsValue *doc = pol ? ams_value_get (pol, "PolicyDocument") : NULL;
          if (c->error != NULL)
            break;
          if (pol != NULL && doc == NULL)
            {
              g_autofree char *w = where (c, prel, pol);
              fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: PolicyDocument: missing (the output of iam "
                                                  "get-role-policy has one)", w);
              break;
            }
          if (pol == NULL)
            {
              note (c, "%s/%s: missing: inline policy %s of role %s not imported", c->dir, prel,
                    pn->text, name);
              continue;
            }
          g_string_append (o, first ? "        inline_policies:\n" : "");
          first = FALSE;
          g_string_append (o, "          - ");
          emit_doc (c, o, prel, doc);
          g_string_append_c (o, '\n');
        }
    }
}

static void
emit_accounts (Ctx *c, GString *o)
{
  g_string_append (o, "\naccounts:\n");
  for (guint i = 0; i < c->accounts->len && c->error == NULL; i++)
    {
      const Account *a = c->accounts->pdata[i];
      if (!a->active)
        continue;
      g_string_append (o, "  - id: ");
      emit_string (o, a->id);
      g_string_append_c (o, '\n');
      if (a->name)
        {
          g_string_append (o, "    name: ");
          emit_string (o, a->name);
          g_string_append_c (o, '\n');
        }
      g_autofree char *arel = g_strdup_printf ("accounts/%s", a->id);
      g_autofree char *apath = full (c, arel);
      if (!g_file_test (apath, G_FILE_TEST_IS_DIR))
        {
          note (c, "%s: missing: account %s was not read (see export.json and errors.json): it has "
                   "no roles, keys or resources in the scenario", apath, a->id);
          continue;
        }
      g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      emit_keys (c, o, a, seen);
      emit_roles (c, o, a);
      /* ECR repositories the account's container recipes push to */
      gboolean head = FALSE;
      GHashTableIter it;
      gpointer k;
      g_autoptr (GPtrArray) repos = g_ptr_array_new ();
      g_hash_table_iter_init (&it, c->ecr);
      while (g_hash_table_iter_next (&it, &k, NULL))
        if (g_str_has_prefix (k, a->id) && ((const char *) k)[strlen (a->id)] == '\t')
          g_ptr_array_add (repos, k);
      g_ptr_array_sort (repos, cmp_strp);
      for (guint j = 0; j < repos->len; j++)
        {
          g_auto (GStrv) f = g_strsplit (repos->pdata[j], "\t", 3);
          if (!head)
            g_string_append (o, "    # ECR repositories are not exported: these are the container "
                                "recipes' targetRepository.\n    # CALIBRATE: their tags "
                                "(LifecycleExecutionAccess) are unknown.\n    ecr_repositories:\n");
          head = TRUE;
          g_string_append (o, "      - {name: ");
          emit_string (o, f[2]);
          g_string_append (o, ", region: ");
          emit_string (o, f[1]);
          g_string_append (o, "}\n");
        }
    }
}

/* ------------------------------------------------------------ Image Builder */

/* An Image Builder ARN: region, account, kind, and the parts after it. */
typedef struct
{
  char *region, *account, *kind;
  char **parts;
} IbArn;

static gboolean
ib_arn_parse (const char *arn, IbArn *out)
{
  memset (out, 0, sizeof *out);
  g_auto (GStrv) f = g_strsplit (arn, ":", 6);
  if (g_strv_length (f) != 6 || strcmp (f[0], "arn") != 0 || strcmp (f[2], "imagebuilder") != 0)
    return FALSE;
  g_auto (GStrv) p = g_strsplit (f[5], "/", -1);
  if (p[0] == NULL || p[1] == NULL)
    return FALSE;
  out->region = g_strdup (f[3]);
  out->account = g_strdup (f[4]);
  out->kind = g_strdup (p[0]);
  out->parts = g_strdupv (p + 1);
  return TRUE;
}

static void
ib_arn_clear (IbArn *a)
{
  g_free (a->region);
  g_free (a->account);
  g_free (a->kind);
  g_strfreev (a->parts);
}

/* The layout's file for an ARN of `kind` (count name parts), checked to
 * exist; error naming rel/v when it does not. NULL for AWS's own ARNs. */
static char *
resolve (Ctx *c, const char *rel, const AmsValue *v, const char *kind, const char *op,
         guint count, gboolean *aws_owned)
{
  if (aws_owned)
    *aws_owned = FALSE;
  if (c->error != NULL)
    return NULL;
  IbArn a;
  if (v == NULL || v->kind != AMS_VALUE_STRING || !ib_arn_parse (v->text, &a))
    {
      g_autofree char *w = where (c, rel, v);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: an Image Builder %s ARN expected", w, kind);
      return NULL;
    }
  char *out = NULL;
  if (strcmp (a.account, "aws") == 0)
    {
      if (aws_owned)
        *aws_owned = TRUE;
    }
  else if (strcmp (a.kind, kind) != 0 || g_strv_length (a.parts) < count)
    {
      g_autofree char *w = where (c, rel, v);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: an Image Builder %s ARN expected, not %s", w, kind,
            v->text);
    }
  else
    {
      g_autofree char *name = g_strjoinv ("/", (char *[]) { a.parts[0], count > 1 ? a.parts[1] : NULL, NULL });
      out = g_strdup_printf ("accounts/%s/%s/imagebuilder/%s/%s.json", a.account, a.region, op, name);
      g_autofree char *p = full (c, out);
      if (!g_file_test (p, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *what = g_strdup_printf ("%s (no %s)", kind, out);
          dangling (c, rel, v, what);
          g_clear_pointer (&out, g_free);
        }
    }
  ib_arn_clear (&a);
  return out;
}

static const char *const recipe_keep[]
    = { "name", "description", "parentImage", "components", "workingDirectory", "tags",
        "additionalInstanceConfiguration", "amiTags", NULL };
static const char *const recipe_drop[]
    = { "arn", "type", "platform", "owner", "version", "blockDeviceMappings", "dateCreated",
        "requestId", NULL };
static const char *const ctr_keep[]
    = { "name", "description", "containerType", "parentImage", "components", "workingDirectory",
        "tags", "dockerfileTemplateData", "instanceConfiguration", "kmsKeyId", "targetRepository",
        "platformOverride", "imageOsVersionOverride", NULL };
static const char *const ctr_drop[]
    = { "arn", "platform", "owner", "version", "encrypted", "dateCreated", NULL };
static const char *const comp_keep[]
    = { "name", "description", "changeDescription", "platform", "supportedOsVersions", "data",
        "kmsKeyId", "tags", NULL };
static const char *const comp_drop[]
    = { "arn", "version", "type", "state", "owner", "encrypted", "dateCreated", "obfuscate",
        "publisher", "productCodes", NULL };
static const char *const lc_keep[]
    = { "name", "description", "status", "executionRole", "resourceType", "policyDetails",
        "resourceSelection", "tags", NULL };
static const char *const lc_drop[]
    = { "arn", "dateCreated", "dateUpdated", "dateLastRun", NULL };
static const char *const infra_keep[]
    = { "name", "instanceProfileName", "description", "instanceTypes", "securityGroupIds",
        "subnetId", "logging", "keyPair", "terminateInstanceOnFailure", "snsTopicArn",
        "resourceTags", "instanceMetadataOptions", "tags", "placement", NULL };
static const char *const infra_drop[] = { "arn", "dateCreated", "dateUpdated", NULL };
static const char *const dist_keep[]
    = { "arn", "name", "description", "timeoutMinutes", "dateCreated", "dateUpdated", "tags",
        NULL };
static const char *const entry_keep[]
    = { "region", "launchTemplateConfigurations", "ssmParameterConfigurations", NULL };
static const char *const ami_keep[]
    = { "name", "description", "kmsKeyId", "launchPermission", "amiTags", NULL };

/* The volume of a recipe's first EBS mapping: snapshot_size, encrypted,
 * kms_key. */
static void
emit_volume (Ctx *c, GString *o, const char *rel, const AmsValue *bdm, gboolean with_key)
{
  if (bdm == NULL || bdm->kind != AMS_VALUE_ARRAY)
    return;
  for (guint i = 0; i < bdm->n; i++)
    {
      const AmsValue *ebs = ams_value_get (bdm->items[i], "ebs");
      if (ebs == NULL || ebs->kind != AMS_VALUE_OBJECT)
        continue;
      const AmsValue *size = ams_value_get (ebs, "volumeSize");
      const AmsValue *enc = ams_value_get (ebs, "encrypted");
      const AmsValue *key = ams_value_get (ebs, "kmsKeyId");
      if (size && size->kind == AMS_VALUE_NUMBER)
        g_string_append_printf (o, ", snapshot_size: %sGiB", size->text);
      gboolean e = enc && enc->kind == AMS_VALUE_BOOL && g_ascii_strcasecmp (enc->text, "true") == 0;
      if (e && with_key)
        {
          g_string_append (o, ", encrypted: true");
          if (key && key->kind == AMS_VALUE_STRING)
            {
              g_string_append (o, ", kms_key: ");
              emit_string (o, key->text);
            }
        }
      if (i + 1 < bdm->n)
        {
          g_autofree char *w = where (c, rel, bdm);
          note (c, "%s: only the first volume is imported (snapshot_size, encryption)", w);
        }
      return;
    }
}

/* Each componentArn of an account must be an exported component. */
static void
check_components (Ctx *c, const char *rel, const AmsValue *comps)
{
  for (guint i = 0; comps && i < comps->n && c->error == NULL; i++)
    {
      const AmsValue *arn = ams_value_get (comps->items[i], "componentArn");
      IbArn a;
      if (arn == NULL || arn->kind != AMS_VALUE_STRING || !ib_arn_parse (arn->text, &a))
        {
          g_autofree char *w = where (c, rel, arn ? arn : comps->items[i]);
          fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: a component ARN expected", w);
          return;
        }
      if (strcmp (a.account, "aws") != 0)
        {
          g_autofree char *d = g_strdup_printf ("accounts/%s/%s/imagebuilder/get-component/%s",
                                                a.account, a.region, a.parts[0]);
          g_autofree char *p = full (c, d);
          if (strcmp (a.kind, "component") != 0 || !g_file_test (p, G_FILE_TEST_IS_DIR))
            dangling (c, rel, arn, "component (no get-component output of it)");
        }
      ib_arn_clear (&a);
    }
}

static void
emit_recipe (Ctx *c, GString *o, const char *rel, const char *acct, const char *region,
             gboolean container)
{
  const AmsValue *r = container ? load (c, rel, "imagebuilder get-container-recipe",
                                        "containerRecipe", AMS_VALUE_OBJECT)
                                : load (c, rel, "imagebuilder get-image-recipe", "imageRecipe",
                                        AMS_VALUE_OBJECT);
  if (r == NULL)
    return;
  const char *version = str_member (c, rel, r, "version", TRUE);
  check_components (c, rel, typed_member (c, rel, r, "components", AMS_VALUE_ARRAY));
  if (c->error != NULL)
    return;
  g_string_append (o, "  - {");
  gboolean first = TRUE;
  emit_members (c, o, rel, r, container ? ctr_keep : recipe_keep,
                container ? ctr_drop : recipe_drop, &first);
  emit_kv (o, &first, "semanticVersion", version);
  emit_kv (o, &first, "account", acct);
  emit_kv (o, &first, "region", region);
  if (container)
    {
      const AmsValue *ic = ams_value_get (r, "instanceConfiguration");
      emit_volume (c, o, rel, ic ? ams_value_get (ic, "blockDeviceMappings") : NULL, FALSE);
      const AmsValue *tr = ams_value_get (r, "targetRepository");
      const AmsValue *rn = tr ? ams_value_get (tr, "repositoryName") : NULL;
      if (rn && rn->kind == AMS_VALUE_STRING)
        g_hash_table_add (c->ecr, g_strdup_printf ("%s\t%s\t%s", acct, region, rn->text));
    }
  else
    emit_volume (c, o, rel, ams_value_get (r, "blockDeviceMappings"), TRUE);
  g_string_append (o, "}\n");
}

/* Every file NAME/VERSION.json below `op` of each account and region. */
typedef void (*VersionedFn) (Ctx *c, GString *o, const char *rel, const char *acct,
                             const char *region, gboolean flag);

static void
each_versioned (Ctx *c, GString *o, const char *op, VersionedFn fn, gboolean flag)
{
  const GArray *ps = places (c);
  for (guint p = 0; p < ps->len && c->error == NULL; p++)
    {
      const Place *pl = &g_array_index (ps, Place, p);
      g_autofree char *base = g_strdup_printf ("accounts/%s/%s/imagebuilder/%s", pl->account,
                                               pl->region, op);
      g_auto (GStrv) names = list_dir (c, base);
      for (char **n = names; *n && c->error == NULL; n++)
        {
          g_autofree char *sub = g_strdup_printf ("%s/%s", base, *n);
          g_auto (GStrv) versions = list_json (c, sub);
          for (char **v = versions; *v && c->error == NULL; v++)
            {
              g_autofree char *rel = g_strdup_printf ("%s/%s.json", sub, *v);
              fn (c, o, rel, pl->account, pl->region, flag);
            }
        }
    }
}

static void
emit_component (Ctx *c, GString *o, const char *rel, const char *acct, const char *region,
                gboolean unused)
{
  (void) unused;
  const AmsValue *r = load (c, rel, "imagebuilder get-component", "component", AMS_VALUE_OBJECT);
  if (r == NULL)
    return;
  const char *version = str_member (c, rel, r, "version", TRUE);
  const char *arn = str_member (c, rel, r, "arn", FALSE);
  if (c->error != NULL)
    return;
  if (arn && !g_str_has_suffix (arn, "/1"))
    {
      g_autofree char *w = where (c, rel, ams_value_get (r, "arn"));
      note (c, "%s: component build %s imported as build 1 (a scenario's components[] entry is "
               "build 1 of its version)", w, arn);
    }
  g_string_append (o, "  - {");
  gboolean first = TRUE;
  emit_members (c, o, rel, r, comp_keep, comp_drop, &first);
  emit_kv (o, &first, "semanticVersion", version);
  emit_kv (o, &first, "account", acct);
  emit_kv (o, &first, "region", region);
  g_string_append (o, "}\n");
}

/* Files NAME.json below `op` of each account and region. */
typedef void (*NamedFn) (Ctx *c, GString *o, const char *rel, const char *acct,
                         const char *region);

static void
each_named (Ctx *c, GString *o, const char *op, NamedFn fn)
{
  const GArray *ps = places (c);
  for (guint p = 0; p < ps->len && c->error == NULL; p++)
    {
      const Place *pl = &g_array_index (ps, Place, p);
      g_autofree char *base = g_strdup_printf ("accounts/%s/%s/imagebuilder/%s", pl->account,
                                               pl->region, op);
      g_auto (GStrv) names = list_json (c, base);
      for (char **n = names; *n && c->error == NULL; n++)
        {
          g_autofree char *rel = g_strdup_printf ("%s/%s.json", base, *n);
          fn (c, o, rel, pl->account, pl->region);
        }
    }
}

static void
emit_lifecycle (Ctx *c, GString *o, const char *rel, const char *acct, const char *region)
{
  const AmsValue *r = load (c, rel, "imagebuilder get-lifecycle-policy", "lifecyclePolicy",
                            AMS_VALUE_OBJECT);
  if (r == NULL)
    return;
  g_string_append (o, "  - {");
  gboolean first = TRUE;
  emit_kv (o, &first, "account", acct);
  emit_kv (o, &first, "region", region);
  emit_members (c, o, rel, r, lc_keep, lc_drop, &first);
  g_string_append (o, "}\n");
}

static void
emit_infra_list (Ctx *c, GString *o)
{
  const GArray *ps = places (c);
  for (guint p = 0; p < ps->len && c->error == NULL; p++)
    {
      const Place *pl = &g_array_index (ps, Place, p);
      const char *region = pl->region;
      g_autofree char *rel = g_strdup_printf (
          "accounts/%s/%s/imagebuilder/list-infrastructure-configurations.json", pl->account, region);
      const AmsValue *l = load (c, rel, "imagebuilder list-infrastructure-configurations",
                                "infrastructureConfigurationSummaryList", AMS_VALUE_ARRAY);
      for (guint j = 0; l && j < l->n && c->error == NULL; j++)
        {
          g_string_append (o, "  - {");
          gboolean first = TRUE;
          emit_kv (o, &first, "account", pl->account);
          emit_kv (o, &first, "region", region);
          emit_members (c, o, rel, l->items[j], infra_keep, infra_drop, &first);
          g_string_append (o, "}\n");
        }
    }
}

/* A distribution configuration's output form, keeping what the loader
 * takes; targets outside the scenario are noted and left out. */
static void
emit_distribution (Ctx *c, GString *o, const char *rel)
{
  const AmsValue *d = load (c, rel, "imagebuilder get-distribution-configuration",
                            "distributionConfiguration", AMS_VALUE_OBJECT);
  if (d == NULL)
    return;
  const AmsValue *entries = typed_member (c, rel, d, "distributions", AMS_VALUE_ARRAY);
  if (entries == NULL)
    {
      if (c->error == NULL)
        {
          g_autofree char *w = where (c, rel, d);
          fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: distributions: missing", w);
        }
      return;
    }
  g_string_append (o, "    distribution:\n      distributionConfiguration: {");
  gboolean first = TRUE;
  emit_members (c, o, rel, d, dist_keep, (const char *const[]) { "distributions", NULL }, &first);
  g_string_append (o, ",\n        distributions: [");
  for (guint i = 0; i < entries->n && c->error == NULL; i++)
    {
      const AmsValue *e = entries->items[i];
      if (e->kind != AMS_VALUE_OBJECT)
        {
          g_autofree char *w = where (c, rel, e);
          fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: an object expected", w);
          return;
        }
      g_string_append (o, i ? ",\n          {" : "\n          {");
      gboolean f2 = TRUE;
      emit_members (c, o, rel, e, entry_keep, (const char *const[]) { "amiDistributionConfiguration", NULL },
                    &f2);
      const AmsValue *ami = ams_value_get (e, "amiDistributionConfiguration");
      if (ami && ami->kind == AMS_VALUE_OBJECT)
        {
          g_string_append (o, f2 ? "" : ", ");
          f2 = FALSE;
          g_string_append (o, "\"amiDistributionConfiguration\": {");
          gboolean f3 = TRUE;
          emit_members (c, o, rel, ami, ami_keep, (const char *const[]) { "targetAccountIds", NULL },
                        &f3);
          const AmsValue *t = ams_value_get (ami, "targetAccountIds");
          GString *tl = g_string_new (NULL);
          for (guint j = 0; t && t->kind == AMS_VALUE_ARRAY && j < t->n; j++)
            {
              const AmsValue *id = t->items[j];
              Account *acc = id->kind == AMS_VALUE_STRING ? g_hash_table_lookup (c->account_by_id, id->text) : NULL;
              if (acc == NULL || !acc->active)
                {
                  g_autofree char *w = where (c, rel, id);
                  note (c, "%s: target account %s left out: it is not an active account of the "
                           "organization", w, id->text ? id->text : "");
                  continue;
                }
              g_string_append (tl, tl->len ? ", " : "");
              emit_string (tl, id->text);
            }
          if (tl->len)
            {
              g_string_append (o, f3 ? "" : ", ");
              g_string_append_printf (o, "\"targetAccountIds\": [%s]", tl->str);
            }
          g_string_free (tl, TRUE);
          g_string_append_c (o, '}');
        }
      g_string_append_c (o, '}');
    }
  g_string_append (o, "]}\n");
}

/* Infrastructure configurations are listed, not read one by one: the ARN
 * must be in its account's and region's list. */
static void
check_infra (Ctx *c, const char *rel, const AmsValue *v)
{
  IbArn a;
  if (v->kind != AMS_VALUE_STRING || !ib_arn_parse (v->text, &a))
    {
      g_autofree char *w = where (c, rel, v);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: an infrastructure configuration ARN expected", w);
      return;
    }
  g_autofree char *lrel = g_strdup_printf (
      "accounts/%s/%s/imagebuilder/list-infrastructure-configurations.json", a.account, a.region);
  ib_arn_clear (&a);
  const AmsValue *l = load (c, lrel, "imagebuilder list-infrastructure-configurations",
                            "infrastructureConfigurationSummaryList", AMS_VALUE_ARRAY);
  for (guint i = 0; l && i < l->n; i++)
    {
      const AmsValue *arn = ams_value_get (l->items[i], "arn");
      if (arn && arn->text && strcmp (arn->text, v->text) == 0)
        return;
    }
  g_autofree char *what = g_strdup_printf ("infrastructure configuration (not in %s)", lrel);
  dangling (c, rel, v, what);
}

static void
emit_pipeline (Ctx *c, GString *o, const char *rel, const char *acct, const char *region)
{
  const AmsValue *p = load (c, rel, "imagebuilder get-image-pipeline", "imagePipeline",
                            AMS_VALUE_OBJECT);
  if (p == NULL)
    return;
  const char *name = str_member (c, rel, p, "name", TRUE);
  const char *status = str_member (c, rel, p, "status", FALSE);
  const AmsValue *recipe = ams_value_get (p, "imageRecipeArn");
  const AmsValue *ctr = ams_value_get (p, "containerRecipeArn");
  const AmsValue *infra = ams_value_get (p, "infrastructureConfigurationArn");
  const AmsValue *dist = ams_value_get (p, "distributionConfigurationArn");
  const AmsValue *sched = typed_member (c, rel, p, "schedule", AMS_VALUE_OBJECT);
  if (c->error != NULL)
    return;
  if ((recipe == NULL) == (ctr == NULL))
    {
      g_autofree char *w = where (c, rel, p);
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: a pipeline has an imageRecipeArn or a "
                                          "containerRecipeArn", w);
      return;
    }
  gboolean aws = FALSE;
  /* the recipe must be in the export (its file is not needed here) */
  g_free (recipe ? resolve (c, rel, recipe, "image-recipe", "get-image-recipe", 2, &aws)
                 : resolve (c, rel, ctr, "container-recipe", "get-container-recipe", 2, &aws));
  if (c->error == NULL && aws)
    {
      g_autofree char *w = where (c, rel, recipe ? recipe : ctr);
      fail (c, AMS_IMPORT_ERROR_DANGLING, "%s: a recipe of AWS's own names nothing in the export",
            w);
    }
  if (infra)
    check_infra (c, rel, infra);
  g_autofree char *drel = dist ? resolve (c, rel, dist, "distribution-configuration",
                                          "get-distribution-configuration", 1, NULL)
                               : NULL;
  if (c->error != NULL)
    return;
  char *unique = g_strdup (name);
  if (g_hash_table_contains (c->pipeline_names, unique))
    {
      g_free (unique);
      unique = g_strdup_printf ("%s-%s-%s", name, acct, region);
      g_autofree char *w = where (c, rel, ams_value_get (p, "name"));
      note (c, "%s: a second pipeline named %s: imported as %s (pipeline names are unique in a "
               "scenario)", w, name, unique);
    }
  g_hash_table_add (c->pipeline_names, unique);
  /* the images of the recipe are its (amis: an image's ARN names its recipe) */
  IbArn ra;
  if (ib_arn_parse ((recipe ? recipe : ctr)->text, &ra))
    {
      char *key = g_strdup_printf ("%s\t%s\t%s", acct, region, ra.parts[0]);
      if (!g_hash_table_contains (c->recipe_pipeline, key))
        g_hash_table_insert (c->recipe_pipeline, key, g_strdup (unique));
      else
        g_free (key);
      ib_arn_clear (&ra);
    }
  g_string_append (o, "  - name: ");
  emit_string (o, unique);
  g_string_append (o, "\n    account: ");
  emit_string (o, acct);
  g_string_append (o, "\n    region: ");
  emit_string (o, region);
  g_string_append_c (o, '\n');
  if (sched && status && strcmp (status, "ENABLED") != 0)
    {
      g_string_append (o, "    # DISABLED in the export: its schedule is not written, so it never "
                          "starts by itself; was: ");
      emit_value (o, sched);
      g_string_append_c (o, '\n');
      g_autofree char *w = where (c, rel, ams_value_get (p, "status"));
      note (c, "%s: pipeline %s is %s: imported without its schedule", w, name, status);
    }
  else if (sched)
    {
      g_string_append (o, "    schedule: {");
      gboolean first = TRUE;
      emit_members (c, o, rel, sched,
                    (const char *const[]) { "scheduleExpression", "pipelineExecutionStartCondition",
                                            "timezone", "autoDisablePolicy", NULL },
                    NULL, &first);
      g_string_append (o, "}\n");
    }
  g_string_append (o, recipe ? "    imageRecipeArn: " : "    containerRecipeArn: ");
  emit_string (o, (recipe ? recipe : ctr)->text);
  g_string_append_c (o, '\n');
  if (infra)
    {
      g_string_append (o, "    infrastructureConfigurationArn: ");
      emit_string (o, infra->text);
      g_string_append_c (o, '\n');
    }
  const AmsValue *tags = typed_member (c, rel, p, "imageTags", AMS_VALUE_OBJECT);
  if (tags && tags->n)
    {
      g_string_append (o, "    image_tags: ");
      emit_value (o, tags);
      g_string_append_c (o, '\n');
    }
  const AmsValue *exec = ams_value_get (p, "executionRole");
  if (exec)
    {
      g_autofree char *w = where (c, rel, exec);
      note (c, "%s: the pipeline's workflow execution role is not modelled (workflows are not "
               "exported)", w);
    }
  g_string_append (o, "    # not in the export: CALIBRATE from your builds' history (amisim's "
                      "defaults)\n    build_time: " IMPORT_BUILD_TIME "\n");
  const AmsValue *tests = typed_member (c, rel, p, "imageTestsConfiguration", AMS_VALUE_OBJECT);
  const AmsValue *te = tests ? ams_value_get (tests, "imageTestsEnabled") : NULL;
  if (te && te->kind == AMS_VALUE_BOOL && g_ascii_strcasecmp (te->text, "false") == 0)
    g_string_append (o, "    test_time: 0s   # imageTestsEnabled: false\n");
  else
    g_string_append (o, "    test_time: " IMPORT_TEST_TIME "\n");
  if (drel)
    emit_distribution (c, o, drel);
}

/* ------------------------------------------------------------ RAM */

static void
emit_shares (Ctx *c, GString *o, gboolean *header)
{
  const GArray *ps = places (c);
  for (guint p = 0; p < ps->len && c->error == NULL; p++)
    {
      const Place *pl = &g_array_index (ps, Place, p);
      const char *region = pl->region;
      g_autofree char *base = g_strdup_printf ("accounts/%s/%s/ram", pl->account, region);
      g_autofree char *srel = g_strdup_printf ("%s/get-resource-shares.json", base);
      g_autofree char *rrel = g_strdup_printf ("%s/list-resources.json", base);
      g_autofree char *prel = g_strdup_printf ("%s/list-principals.json", base);
      const AmsValue *shares = load (c, srel, "ram get-resource-shares", "resourceShares",
                                     AMS_VALUE_ARRAY);
      if (shares == NULL || shares->n == 0)
        continue;
      const AmsValue *res = load (c, rrel, "ram list-resources", "resources", AMS_VALUE_ARRAY);
      const AmsValue *pri = load (c, prel, "ram list-principals", "principals", AMS_VALUE_ARRAY);
      if (c->error != NULL)
        return;
      for (guint s = 0; s < shares->n && c->error == NULL; s++)
        {
          const AmsValue *sh = shares->items[s];
          const char *arn = str_member (c, srel, sh, "resourceShareArn", TRUE);
          const char *name = str_member (c, srel, sh, "name", TRUE);
          const char *st = str_member (c, srel, sh, "status", FALSE);
          if (c->error != NULL)
            return;
          if (st && strcmp (st, "ACTIVE") != 0)
            {
              g_autofree char *w = where (c, srel, sh);
              note (c, "%s: share %s is %s: not imported", w, name, st);
              continue;
            }
          GString *arns = g_string_new (NULL), *pris = g_string_new (NULL),
                  *assoc = g_string_new (NULL);
          for (guint j = 0; res && j < res->n; j++)
            {
              const AmsValue *x = res->items[j];
              const AmsValue *sa = ams_value_get (x, "resourceShareArn");
              const AmsValue *ra = ams_value_get (x, "arn");
              if (!sa || !sa->text || strcmp (sa->text, arn) != 0 || !ra || !ra->text)
                continue;
              IbArn ia;
              gboolean ib = ib_arn_parse (ra->text, &ia);
              if (ib && strcmp (ia.kind, "image") == 0)
                {
                  /* an image of a pipeline: its images join as they are built */
                  const char *pipeline = ia.parts[0];
                  g_autofree char *pf = g_strdup_printf (
                      "accounts/%s/%s/imagebuilder/get-image-pipeline/%s.json", ia.account,
                      ia.region, pipeline);
                  g_autofree char *pp = full (c, pf);
                  g_autofree char *w = where (c, rrel, ra);
                  if (strcmp (ia.account, pl->account) == 0 && strcmp (ia.region, region) == 0
                      && g_file_test (pp, G_FILE_TEST_IS_REGULAR))
                    {
                      if (!strstr (assoc->str, pipeline))
                        {
                          g_string_append (assoc, assoc->len ? ", " : "");
                          emit_string (assoc, pipeline);
                        }
                      note (c, "%s: image %s shared: imported as associate_new_images: [%s] "
                               "(the pipeline's images join the share as they are built)",
                            w, ra->text, pipeline);
                    }
                  else
                    note (c, "%s: image %s shared: not imported (no pipeline of it in the "
                             "export)", w, ra->text);
                }
              else if (ib && (strcmp (ia.kind, "component") == 0
                              || strcmp (ia.kind, "image-recipe") == 0
                              || strcmp (ia.kind, "container-recipe") == 0))
                {
                  const char *op = strcmp (ia.kind, "component") == 0 ? "get-component"
                                   : strcmp (ia.kind, "image-recipe") == 0 ? "get-image-recipe"
                                                                           : "get-container-recipe";
                  g_autofree char *f = ia.parts[1] ? g_strdup_printf (
                                           "accounts/%s/%s/imagebuilder/%s/%s/%s.json",
                                           ia.account, ia.region, op, ia.parts[0], ia.parts[1])
                                                   : NULL;
                  g_autofree char *fp = f ? full (c, f) : NULL;
                  if (fp == NULL || !g_file_test (fp, G_FILE_TEST_IS_REGULAR))
                    {
                      dangling (c, rrel, ra, "shared resource");
                      ib_arn_clear (&ia);
                      break;
                    }
                  g_string_append (arns, arns->len ? ", " : "");
                  emit_string (arns, ra->text);
                }
              else
                {
                  g_autofree char *w = where (c, rrel, ra);
                  note (c, "%s: shared resource %s not imported (amisim models shares of "
                           "Image Builder components, recipes and images)", w, ra->text);
                }
              if (ib)
                ib_arn_clear (&ia);
            }
          for (guint j = 0; pri && j < pri->n; j++)
            {
              const AmsValue *x = pri->items[j];
              const AmsValue *sa = ams_value_get (x, "resourceShareArn");
              const AmsValue *id = ams_value_get (x, "id");
              if (!sa || !sa->text || strcmp (sa->text, arn) != 0 || !id || !id->text)
                continue;
              g_string_append (pris, pris->len ? ", " : "");
              emit_string (pris, id->text);
            }
          if (c->error == NULL)
            {
              if (!*header)
                g_string_append (o, "\nresource_shares:\n");
              *header = TRUE;
              char *unique = g_strdup (name);
              if (g_hash_table_contains (c->share_names, unique))
                {
                  g_free (unique);
                  unique = g_strdup_printf ("%s-%s-%s", name, pl->account, region);
                  g_autofree char *w = where (c, srel, ams_value_get (sh, "name"));
                  note (c, "%s: a second share named %s: imported as %s", w, name, unique);
                }
              g_hash_table_add (c->share_names, unique);
              g_string_append (o, "  - {name: ");
              emit_string (o, unique);
              g_string_append (o, ", account: ");
              emit_string (o, pl->account);
              g_string_append (o, ", region: ");
              emit_string (o, region);
              const AmsValue *ext = ams_value_get (sh, "allowExternalPrincipals");
              if (ext && ext->kind == AMS_VALUE_BOOL)
                g_string_append_printf (o, ", allowExternalPrincipals: %s",
                                        g_ascii_strcasecmp (ext->text, "true") == 0 ? "true" : "false");
              const AmsValue *tags = ams_value_get (sh, "tags");
              if (tags && tags->kind == AMS_VALUE_ARRAY && tags->n)
                {
                  g_string_append (o, ", tags: ");
                  emit_value (o, tags);
                }
              g_string_append_printf (o, ",\n     resourceArns: [%s],\n     principals: [%s]",
                                      arns->str, pris->str);
              if (assoc->len)
                g_string_append_printf (o, ",\n     associate_new_images: [%s]", assoc->str);
              g_string_append (o, "}\n");
            }
          g_string_free (arns, TRUE);
          g_string_free (pris, TRUE);
          g_string_free (assoc, TRUE);
        }
    }
}

/* ------------------------------------------------------------ the AMIs that exist */

/* µs since the epoch of an ISO 8601 time, or -1. */
static gint64
iso_time (const char *text)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (text, NULL);
  return dt != NULL ? g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt)
                    : -1;
}

/* A time as the scenario writes it: whole seconds, UTC. */
static void
emit_time (GString *o, gint64 usec)
{
  g_autoptr (GDateTime) dt = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *text = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
  g_string_append (o, text);
}

/* The key an AMI's snapshot is encrypted with, as the scenario names it:
 * the key ARN when it is a customer managed key the export holds (written
 * under kms_keys), NULL for AWS's default EBS key (or a key the export does
 * not hold: noted). */
static const char *
snapshot_key (Ctx *c, const char *rel, const AmsValue *snap, const char *kms, gboolean *noted)
{
  g_auto (GStrv) f = g_strsplit (kms, ":", 6);
  if (g_strv_length (f) != 6 || strcmp (f[2], "kms") != 0 || !g_str_has_prefix (f[5], "key/"))
    return NULL;
  g_autofree char *krel = g_strdup_printf ("accounts/%s/%s/kms/describe-key/%s.json", f[4], f[3],
                                           f[5] + 4);
  g_autofree char *path = full (c, krel);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!*noted)
        {
          g_autofree char *w = where (c, rel, snap);
          note (c, "%s: KmsKeyId %s is not in the export (an AWS managed key, or a key of "
                   "another account): its AMIs are imported as encrypted with the default EBS "
                   "key (noted once per file)", w, kms);
        }
      *noted = TRUE;
      return NULL;
    }
  const AmsValue *md = load (c, krel, "kms describe-key", "KeyMetadata", AMS_VALUE_OBJECT);
  const AmsValue *mgr = md ? ams_value_get (md, "KeyManager") : NULL;
  if (mgr == NULL || mgr->kind != AMS_VALUE_STRING || strcmp (mgr->text, "CUSTOMER") != 0)
    return NULL;
  return kms;
}

/* One image of describe-images, or nothing (a state that does not exist at
 * the start, counted). */
static void
emit_ami (Ctx *c, GString *o, const char *rel, const char *acct, const char *region,
          const AmsValue *img, GHashTable *keys, gboolean *key_noted)
{
  const char *id = str_member (c, rel, img, "ImageId", TRUE);
  const char *state = str_member (c, rel, img, "State", TRUE);
  const char *created = str_member (c, rel, img, "CreationDate", TRUE);
  const AmsValue *bdm = typed_member (c, rel, img, "BlockDeviceMappings", AMS_VALUE_ARRAY);
  if (c->error != NULL)
    return;
  if (strcmp (state, "available") != 0 && strcmp (state, "disabled") != 0)
    {
      c->amis_skipped++;
      return;
    }
  gint64 t = iso_time (created);
  if (t < 0)
    {
      g_autofree char *w = where (c, rel, ams_value_get (img, "CreationDate"));
      fail (c, AMS_IMPORT_ERROR_BAD_FILE, "%s: CreationDate '%s' is not an ISO 8601 time", w,
            created);
      return;
    }
  /* the EBS snapshots; instance store volumes and others are not stored */
  g_autoptr (GString) snaps = g_string_new (NULL);
  const char *kms = NULL;
  gboolean encrypted = FALSE;
  guint n = 0;
  for (guint i = 0; bdm != NULL && i < bdm->n; i++)
    {
      const AmsValue *ebs = ams_value_get (bdm->items[i], "Ebs");
      const AmsValue *sid = ebs ? ams_value_get (ebs, "SnapshotId") : NULL;
      const AmsValue *size = ebs ? ams_value_get (ebs, "VolumeSize") : NULL;
      if (sid == NULL || sid->kind != AMS_VALUE_STRING || size == NULL
          || size->kind != AMS_VALUE_NUMBER)
        continue;
      g_string_append_printf (snaps, "%s{id: %s, size: %s}", n++ ? ", " : "", sid->text,
                              size->text);
      const AmsValue *enc = ams_value_get (ebs, "Encrypted");
      if (enc != NULL && enc->kind == AMS_VALUE_BOOL && g_ascii_strcasecmp (enc->text, "true") == 0)
        {
          encrypted = TRUE;
          const char *k = g_hash_table_lookup (keys, sid->text);
          if (k != NULL && kms == NULL)
            kms = snapshot_key (c, rel, bdm->items[i], k, key_noted);
        }
    }
  if (n == 0)
    {
      g_autofree char *w = where (c, rel, img);
      note (c, "%s: AMI %s has no EBS snapshot (instance store): not imported", w, id);
      c->amis_skipped++;
      return;
    }
  c->amis++;
  c->newest = MAX (c->newest, t);
  g_string_append (o, "  - {id: ");
  emit_string (o, id);
  g_string_append (o, ", account: ");
  emit_string (o, acct);
  g_string_append (o, ", region: ");
  emit_string (o, region);
  const AmsValue *name = ams_value_get (img, "Name");
  if (name != NULL && name->kind == AMS_VALUE_STRING && g_utf8_strlen (name->text, -1) >= 3
      && g_utf8_strlen (name->text, -1) <= 128)
    {
      g_string_append (o, ", name: ");
      emit_string (o, name->text);
    }
  g_string_append (o, ", created: ");
  emit_time (o, t);
  if (strcmp (state, "disabled") == 0)
    g_string_append (o, ", state: disabled");
  const AmsValue *dep = ams_value_get (img, "DeprecationTime");
  gint64 dt = dep != NULL && dep->kind == AMS_VALUE_STRING ? iso_time (dep->text) : -1;
  if (dt >= 0)
    {
      g_string_append (o, ", deprecation_time: ");
      emit_time (o, dt);
    }
  g_string_append_printf (o, ",\n     snapshots: [%s]", snaps->str);
  if (kms != NULL)
    {
      g_string_append (o, ", kms_key: ");
      emit_string (o, kms);
    }
  else if (encrypted)
    g_string_append (o, ", encrypted: true");
  /* tags, and the Image Builder image they name */
  const AmsValue *tags = ams_value_get (img, "Tags");
  const char *image_arn = NULL;
  guint written = 0;
  for (guint i = 0; tags != NULL && tags->kind == AMS_VALUE_ARRAY && i < tags->n; i++)
    {
      const AmsValue *k = ams_value_get (tags->items[i], "Key");
      const AmsValue *v = ams_value_get (tags->items[i], "Value");
      if (k == NULL || v == NULL || k->kind != AMS_VALUE_STRING || v->kind != AMS_VALUE_STRING)
        continue;
      if (strcmp (k->text, "Ec2ImageBuilderArn") == 0)
        image_arn = v->text;
      if (g_str_has_prefix (k->text, "aws:") || *k->text == '\0' || written == 50)
        continue; /* AWS's own (not settable), or beyond the limit */
      g_string_append (o, written++ ? ", " : ",\n     tags: {");
      emit_string (o, k->text);
      g_string_append (o, ": ");
      emit_string (o, v->text);
    }
  if (written)
    g_string_append_c (o, '}');
  IbArn ia;
  if (image_arn != NULL && ib_arn_parse (image_arn, &ia))
    {
      if (strcmp (ia.kind, "image") == 0 && g_strv_length (ia.parts) == 3)
        {
          g_autofree char *key = g_strdup_printf ("%s\t%s\t%s", ia.account, ia.region, ia.parts[0]);
          const char *pipeline = g_hash_table_lookup (c->recipe_pipeline, key);
          if (pipeline != NULL)
            {
              g_string_append (o, ",\n     pipeline: ");
              emit_string (o, pipeline);
              g_string_append_printf (o, ", version: %s/%s", ia.parts[1], ia.parts[2]);
            }
          else
            {
              g_autofree char *w = where (c, rel, img);
              note (c, "%s: AMI %s is an output of %s, whose pipeline is not in the export: "
                       "imported as an AMI no lifecycle policy acts on", w, id, image_arn);
            }
        }
      ib_arn_clear (&ia);
    }
  g_string_append (o, "}\n");
}

/* amis: every account's and region's AMIs (describe-images), with their
 * snapshots' keys (describe-snapshots); c->newest is the newest. */
static void
emit_amis (Ctx *c, GString *o)
{
  const GArray *ps = places (c);
  for (guint p = 0; p < ps->len && c->error == NULL; p++)
    {
      const Place *pl = &g_array_index (ps, Place, p);
      const char *region = pl->region;
      g_autofree char *ir = g_strdup_printf ("accounts/%s/%s/ec2/describe-images.json", pl->account, region);
      g_autofree char *sr = g_strdup_printf ("accounts/%s/%s/ec2/describe-snapshots.json", pl->account, region);
      g_autofree char *br = g_strdup_printf ("accounts/%s/%s/imagebuilder/list-images.json", pl->account, region);
      const AmsValue *im = load (c, ir, "ec2 describe-images", "Images", AMS_VALUE_ARRAY);
      const AmsValue *sn = load (c, sr, "ec2 describe-snapshots", "Snapshots", AMS_VALUE_ARRAY);
      const AmsValue *ib = load (c, br, "imagebuilder list-images", "imageVersionList",
                                 AMS_VALUE_ARRAY);
      c->images += ib ? ib->n : 0;
      g_autoptr (GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; sn != NULL && j < sn->n; j++)
        {
          const AmsValue *sid = ams_value_get (sn->items[j], "SnapshotId");
          const AmsValue *kid = ams_value_get (sn->items[j], "KmsKeyId");
          if (sid && kid && sid->kind == AMS_VALUE_STRING && kid->kind == AMS_VALUE_STRING)
            g_hash_table_insert (keys, (gpointer) sid->text, (gpointer) kid->text);
        }
      if (im != NULL && im->n > 0 && sn == NULL)
        note (c, "%s/%s: missing: the AMIs' keys are unknown (imported as encrypted with the "
                 "default EBS key where encrypted)", c->dir, sr);
      gboolean key_noted = FALSE;
      for (guint j = 0; im != NULL && j < im->n && c->error == NULL; j++)
        emit_ami (c, o, ir, pl->account, region, im->items[j], keys, &key_noted);
      /* drop them from the cache: 1,000s of AMIs are not needed again */
      g_hash_table_remove (c->docs, ir);
      g_hash_table_remove (c->docs, sr);
    }
}

/* Whether `rel` is a path of the layout (docs/estate-export.md). */
static gboolean
known_path (const Ctx *c, const char *rel)
{
  g_auto (GStrv) p = g_strsplit (rel, "/", -1);
  guint n = g_strv_length (p);
  if (!g_str_has_suffix (rel, ".json"))
    return FALSE;
  if (n == 1)
    return strcmp (p[0], "export.json") == 0 || strcmp (p[0], "errors.json") == 0;
  if (strcmp (p[0], "organizations") == 0)
    {
      if (n == 2)
        return strcmp (p[1], "describe-organization.json") == 0
               || strcmp (p[1], "list-roots.json") == 0;
      static const char *const ops[] = { "list-organizational-units-for-parent",
                                         "list-accounts-for-parent", "list-policies-for-target",
                                         "describe-policy", NULL };
      return n == 3 && in_list (ops, p[1]);
    }
  if (strcmp (p[0], "accounts") != 0 || n < 4)
    return FALSE;
  if (strcmp (p[2], "iam") == 0)
    {
      if (n == 4)
        return strcmp (p[3], "list-roles.json") == 0;
      static const char *const ops[] = { "get-role", "list-attached-role-policies",
                                         "list-role-policies", NULL };
      return (n == 5 && in_list (ops, p[3])) || (n == 6 && strcmp (p[3], "get-role-policy") == 0);
    }
  gboolean region = FALSE;
  for (guint i = 0; i < c->regions->len; i++)
    region = region || strcmp (p[2], c->regions->pdata[i]) == 0;
  if (!region || n < 5)
    return FALSE;
  g_autofree char *op = n == 5 ? g_strndup (p[4], strlen (p[4]) - 5) : g_strdup (p[4]);
  if (strcmp (p[3], "imagebuilder") == 0)
    {
      static const char *const lists[]
          = { "list-image-pipelines", "list-image-recipes", "list-container-recipes",
              "list-distribution-configurations", "list-lifecycle-policies", "list-components",
              "list-images", "list-infrastructure-configurations", NULL };
      static const char *const named[] = { "get-image-pipeline", "get-distribution-configuration",
                                           "get-lifecycle-policy", NULL };
      static const char *const versioned[] = { "get-image-recipe", "get-container-recipe",
                                               "get-component", "list-image-build-versions", NULL };
      return (n == 5 && in_list (lists, op)) || (n == 6 && in_list (named, op))
             || (n == 7 && in_list (versioned, op));
    }
  if (strcmp (p[3], "kms") == 0)
    return (n == 5 && (strcmp (op, "list-keys") == 0 || strcmp (op, "list-aliases") == 0))
           || (n == 6 && (strcmp (op, "describe-key") == 0 || strcmp (op, "get-key-policy") == 0));
  if (strcmp (p[3], "ec2") == 0)
    return n == 5 && (strcmp (op, "describe-images") == 0 || strcmp (op, "describe-snapshots") == 0);
  if (strcmp (p[3], "ram") == 0)
    return n == 5 && (strcmp (op, "get-resource-shares") == 0 || strcmp (op, "list-resources") == 0
                      || strcmp (op, "list-principals") == 0);
  return FALSE;
}

static void
walk_unknown (Ctx *c, const char *rel)
{
  g_auto (GStrv) names = list_dir (c, rel ? rel : ".");
  for (char **n = names; *n; n++)
    {
      g_autofree char *sub = rel ? g_strdup_printf ("%s/%s", rel, *n) : g_strdup (*n);
      g_autofree char *p = full (c, sub);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        walk_unknown (c, sub);
      else if (!known_path (c, sub))
        note (c, "%s: ignored: not a file of the export layout (docs/estate-export.md)", p);
    }
}

/* ------------------------------------------------------------ regions */

static void
find_regions (Ctx *c)
{
  const AmsValue *ex = load (c, "export.json", "export-aws-estate", NULL, AMS_VALUE_OBJECT);
  const AmsValue *rs = ex ? ams_value_get (ex, "regions") : NULL;
  GHashTable *seen = g_hash_table_new (g_str_hash, g_str_equal);
  if (rs && rs->kind == AMS_VALUE_ARRAY)
    for (guint i = 0; i < rs->n; i++)
      if (rs->items[i]->kind == AMS_VALUE_STRING && !g_hash_table_contains (seen, rs->items[i]->text))
        {
          g_hash_table_add (seen, (gpointer) rs->items[i]->text);
          g_ptr_array_add (c->regions, g_strdup (rs->items[i]->text));
        }
  /* and every REGION folder of every account */
  g_auto (GStrv) accts = list_dir (c, "accounts");
  GPtrArray *extra = g_ptr_array_new ();
  for (char **a = accts; *a; a++)
    {
      g_autofree char *ad = g_strdup_printf ("accounts/%s", *a);
      g_auto (GStrv) subs = list_dir (c, ad);
      for (char **s = subs; *s; s++)
        {
          g_autofree char *sd = g_strdup_printf ("%s/%s", ad, *s);
          g_autofree char *sp = full (c, sd);
          if (strcmp (*s, "iam") != 0 && g_file_test (sp, G_FILE_TEST_IS_DIR)
              && !g_hash_table_contains (seen, *s))
            {
              char *r = g_strdup (*s);
              g_hash_table_add (seen, r);
              g_ptr_array_add (extra, r);
            }
        }
    }
  g_ptr_array_sort (extra, cmp_strp);
  for (guint i = 0; i < extra->len; i++)
    g_ptr_array_add (c->regions, extra->pdata[i]);
  g_ptr_array_free (extra, TRUE);
  g_hash_table_destroy (seen);
}

/* ------------------------------------------------------------ the whole */

gboolean
ams_import_dir (const char *dir, GString *yaml_out, AmsImportNotes *notes, GError **error)
{
  g_return_val_if_fail (dir != NULL && yaml_out != NULL, FALSE);
  Ctx c = { 0 };
  c.dir = dir;
  c.notes = notes;
  c.docs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) ams_value_doc_free);
  c.regions = g_ptr_array_new_with_free_func (g_free);
  c.accounts = g_ptr_array_new_with_free_func (account_free);
  c.account_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  c.pipeline_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.share_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.ecr = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  c.roles_not_read = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  c.recipe_pipeline = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GString *o = g_string_new (NULL);
  GString *org = g_string_new (NULL), *accts = g_string_new (NULL), *rest = g_string_new (NULL);
  GString *amis = g_string_new (NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    fail (&c, AMS_IMPORT_ERROR_NOT_EXPORT, "%s: not a folder", dir);
  if (c.error == NULL)
    find_regions (&c);
  char *mgmt = c.error == NULL ? emit_organization (&c, org) : NULL;
  if (c.error == NULL && c.regions->len == 0)
    fail (&c, AMS_IMPORT_ERROR_NOT_EXPORT, "%s: no regions: neither export.json's regions nor an "
                                           "accounts/ACCOUNT/REGION folder", dir);
  /* Image Builder first: the container recipes name the accounts' ECR
   * repositories */
  if (c.error == NULL)
    {
      GString *sec = g_string_new (NULL);
      each_versioned (&c, sec, "get-component", emit_component, FALSE);
      if (sec->len)
        g_string_append_printf (rest, "\ncomponents:\n%s", sec->str);
      g_string_truncate (sec, 0);
      each_versioned (&c, sec, "get-image-recipe", emit_recipe, FALSE);
      if (sec->len)
        g_string_append_printf (rest, "\nrecipes:\n%s", sec->str);
      g_string_truncate (sec, 0);
      each_versioned (&c, sec, "get-container-recipe", emit_recipe, TRUE);
      if (sec->len)
        g_string_append_printf (rest, "\ncontainer_recipes:\n%s", sec->str);
      g_string_truncate (sec, 0);
      emit_infra_list (&c, sec);
      if (sec->len)
        g_string_append_printf (rest, "\ninfrastructure_configurations:\n%s", sec->str);
      g_string_truncate (sec, 0);
      each_named (&c, sec, "get-image-pipeline", emit_pipeline);
      if (sec->len)
        g_string_append_printf (rest, "\npipelines:\n%s", sec->str);
      g_string_truncate (sec, 0);
      each_named (&c, sec, "get-lifecycle-policy", emit_lifecycle);
      if (sec->len)
        g_string_append_printf (rest, "\nlifecycle_policies:\n%s", sec->str);
      gboolean header = FALSE;
      emit_shares (&c, rest, &header);
      g_string_free (sec, TRUE);
    }
  if (c.error == NULL)
    emit_accounts (&c, accts);
  if (c.error == NULL)
    emit_amis (&c, amis);
  if (c.error == NULL)
    walk_unknown (&c, NULL);
  if (c.error == NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      g_autoptr (GPtrArray) names = g_ptr_array_new ();
      g_hash_table_iter_init (&it, c.roles_not_read);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_ptr_array_add (names, k);
      g_ptr_array_sort (names, cmp_strp);
      for (guint i = 0; i < names->len; i++)
        {
          GPtrArray *in = g_hash_table_lookup (c.roles_not_read, names->pdata[i]);
          note (&c, "%s/accounts/*/iam/list-roles.json: role %s (in %u account%s, "
                                   "first %s) is listed but was not read in full: not imported "
                                   "(export with --all-roles to read every role)",
                dir, (char *) names->pdata[i], in->len, in->len == 1 ? "" : "s",
                (char *) in->pdata[0]);
        }
      if (c.amis_skipped)
        note (&c, "%s: %u AMIs (ec2/describe-images.json) neither available nor disabled (pending, "
                  "failed, without EBS snapshots): they do not exist at the start, not imported",
              dir, c.amis_skipped);
      if (c.amis)
        note (&c, "%s: %u AMIs imported (amis); their launch permissions are not in the export "
                  "(describe-image-attribute): each is launchable by its owner only; the "
                  "Image Builder images (%u in list-images.json) are made from their AMIs",
              dir, c.amis, c.images);
    }
  if (c.error == NULL)
    {
      g_autofree char *base = g_path_get_basename (dir);
      g_string_append (o, "# Imported by amisim import from the estate export ");
      g_string_append (o, dir);
      g_string_append (o, "\n# (docs/import.md). Lines marked CALIBRATE hold amisim's defaults for "
                          "what the AWS estate\n# does not know: set them from your own builds "
                          "and copies.\namisim: 1\nname: ");
      emit_string (o, base);
      g_string_append (o, "\ndescription: ");
      g_autofree char *desc = g_strdup_printf ("Imported from the estate export %s", base);
      emit_string (o, desc);
      if (c.newest > 0)
        {
          /* the day after the newest AMI: every AMI exists at the start */
          gint64 day = (gint64) 86400 * G_USEC_PER_SEC;
          g_string_append (o, "\n# the day after the newest AMI of the export (00:00 UTC); "
                              "CALIBRATE: the moment your\n# export was taken\nstart: ");
          emit_time (o, (c.newest / day + 1) * day);
        }
      g_string_append (o, "\n# CALIBRATE: how long to simulate (amisim import's default)\nhorizon: "
                          IMPORT_HORIZON "\n\nregions:\n");
      for (guint i = 0; i < c.regions->len; i++)
        {
          g_string_append (o, "  - {name: ");
          emit_string (o, c.regions->pdata[i]);
          g_string_append (o, "}\n");
        }
      g_string_append (o, "\n");
      g_string_append (o, org->str);
      g_string_append (o, accts->str);
      g_string_append (o, rest->str);
      if (amis->len)
        {
          g_string_append (o, "\n# the AMIs that exist at the start (ec2 describe-images and "
                              "describe-snapshots)\namis:\n");
          g_string_append (o, amis->str);
        }
      g_string_append (o, "\n# Copy durations are not in the export: amisim's default copy model "
                          "applies.\n# CALIBRATE: simulation.copy.duration (default "
                          "lognormal(mean=25m, sd=8m)), or\n# simulation.copy.model: bandwidth "
                          "with its throughputs (docs/scenario-reference.md).\n");
      /* the loader must take it as it is */
      GError *e = NULL;
      AmsScenario *sc = ams_scenario_load_data ("(imported scenario)", o->str, (gssize) o->len,
                                                NULL, 0, &e);
      if (sc == NULL)
        {
          fail (&c, AMS_IMPORT_ERROR_SCENARIO, "%s: the scenario written from it is refused: %s",
                dir, e->message);
          g_error_free (e);
        }
      ams_scenario_free (sc);
    }
  g_free (mgmt);
  gboolean ok = c.error == NULL;
  if (ok)
    g_string_append_len (yaml_out, o->str, (gssize) o->len);
  else
    g_propagate_error (error, c.error);
  g_string_free (o, TRUE);
  g_string_free (org, TRUE);
  g_string_free (accts, TRUE);
  g_string_free (rest, TRUE);
  g_string_free (amis, TRUE);
  g_hash_table_destroy (c.recipe_pipeline);
  if (c.places != NULL)
    g_array_unref (c.places);
  g_hash_table_destroy (c.docs);
  g_ptr_array_unref (c.regions);
  g_hash_table_destroy (c.account_by_id);
  g_ptr_array_unref (c.accounts);
  g_hash_table_destroy (c.pipeline_names);
  g_hash_table_destroy (c.share_names);
  g_hash_table_destroy (c.ecr);
  g_hash_table_destroy (c.roles_not_read);
  return ok;
}
