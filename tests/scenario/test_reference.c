/* amisim tests — docs/scenario-reference.md against the loader's tables.
 *
 * The reference documents every key in Markdown tables. Its convention,
 * which this test enforces:
 *
 *  - A key table is a table whose header row starts with "| key |"; its
 *    columns are key, type, default, limits, meaning. The first cell of
 *    every row below the header is the key's full path in backticks and
 *    nothing else: `simulation.limits.copies_per_account_region`, with []
 *    for any item of a list (`pipelines[].recipe.name`).
 *  - The default cell of a required key begins with the word "required"
 *    (bold or not; "**required** (…)" may say more), and only a required
 *    key's does.
 *  - The row of a key the loader rejects as not supported yet says "not
 *    supported yet", and only such a row does.
 *  - An action table is a table whose header row starts with "| action |";
 *    its columns are action, needs, may have, meaning. Each row names one
 *    action of events[] in backticks, and the keys it needs and may have
 *    (besides at and action) in backticks, or "—" for none.
 *
 * Every key of every AmsField table (ams_schema_tables, with the path each
 * applies at) must have exactly one row, and every row must be a key the
 * loader knows; likewise for the actions and their keys. Every AmsField
 * table in src/scenario/schema_*.c must be listed in the registry, so that
 * a new table cannot escape the check.
 */
#include <string.h>

#include "ams_test.h"
#include "amisim/text.h"
#include "schema.h"

#define REFERENCE "docs/scenario-reference.md"

typedef struct
{
  guint flags;
  char *where;   /* file:table, for messages */
} LoaderKey;

static void
loader_key_free (gpointer p)
{
  LoaderKey *k = p;
  g_free (k->where);
  g_free (k);
}

/* A row of a table of the reference. */
typedef struct
{
  guint line;
  GPtrArray *cells;   /* of char*, trimmed */
} Row;

static void
row_free (gpointer p)
{
  Row *r = p;
  g_ptr_array_unref (r->cells);
  g_free (r);
}

typedef struct
{
  GHashTable *keys;     /* documented path -> Row* */
  GHashTable *actions;  /* documented action -> Row* */
  guint problems;       /* malformed rows, duplicates */
} Reference;

static void
reference_clear (Reference *ref)
{
  g_hash_table_unref (ref->keys);
  g_hash_table_unref (ref->actions);
}


/* `x` -> x when the whole cell is one code span without spaces, else NULL. */
static char *
code_span (const char *cell)
{
  gsize len = strlen (cell);
  if (len < 3 || cell[0] != '`' || cell[len - 1] != '`')
    return NULL;
  g_autofree char *inner = g_strndup (cell + 1, len - 2);
  if (strpbrk (inner, "` \t") != NULL)
    return NULL;
  return g_steal_pointer (&inner);
}

/* The code spans of a cell "`a`, `b`" ("—" or "" is none); NULL if the cell
 * holds anything else. */
static GPtrArray *
code_list (const char *cell)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  if (cell[0] == '\0' || strcmp (cell, "—") == 0)
    return out;
  g_auto (GStrv) parts = g_strsplit (cell, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *item = code_span (g_strstrip (parts[i]));
      if (item == NULL)
        {
          g_ptr_array_unref (out);
          return NULL;
        }
      g_ptr_array_add (out, item);
    }
  return out;
}

static void
problem (Reference *ref, guint line, const char *fmt, ...) G_GNUC_PRINTF (3, 4);

static void
problem (Reference *ref, guint line, const char *fmt, ...)
{
  va_list ap;
  va_start (ap, fmt);
  g_autofree char *msg = g_strdup_vprintf (fmt, ap);
  va_end (ap);
  fprintf (stderr, "\n  " REFERENCE ":%u: %s", line, msg);
  ref->problems++;
}

static void
read_reference (Reference *ref)
{
  ref->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, row_free);
  ref->actions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, row_free);
  ref->problems = 0;
  g_autofree char *path = ams_source_path (REFERENCE);
  g_autofree char *text = NULL;
  CU_ASSERT_TRUE_FATAL (g_file_get_contents (path, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  enum { NONE, KEYS, ACTIONS, OTHER } table = NONE;
  gboolean in_fence = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      guint lineno = i + 1;
      if (g_str_has_prefix (line, "```"))
        in_fence = !in_fence;
      if (in_fence || !g_str_has_prefix (line, "|"))
        {
          table = NONE;
          continue;
        }
      g_autoptr (GPtrArray) cells = ams_md_table_cells (line);
      if (table == NONE) /* the header row */
        {
          const char *first = cells->len > 0 ? cells->pdata[0] : "";
          table = strcmp (first, "key") == 0 ? KEYS : strcmp (first, "action") == 0 ? ACTIONS
                                                                                  : OTHER;
          guint want = table == KEYS ? 5 : table == ACTIONS ? 4 : cells->len;
          if (cells->len != want)
            problem (ref, lineno, "a %s table has %u columns, this header has %u",
                     table == KEYS ? "key" : "action", want, cells->len);
          continue;
        }
      if (table == OTHER || g_str_has_prefix (line, "|---") || g_str_has_prefix (line, "| ---"))
        continue;
      guint want = table == KEYS ? 5 : 4;
      if (cells->len != want)
        {
          problem (ref, lineno, "expected %u cells, got %u (write | inside a cell as \\|)", want,
                   cells->len);
          continue;
        }
      char *name = code_span (cells->pdata[0]);
      if (name == NULL)
        {
          problem (ref, lineno, "the first cell must be one %s in backticks, got '%s'",
                   table == KEYS ? "key path" : "action", (const char *) cells->pdata[0]);
          continue;
        }
      GHashTable *into = table == KEYS ? ref->keys : ref->actions;
      const Row *first = g_hash_table_lookup (into, name);
      if (first != NULL)
        {
          problem (ref, lineno, "'%s' is documented twice (first at line %u)", name,
                   first->line);
          g_free (name);
          continue;
        }
      Row *row = g_new0 (Row, 1);
      row->line = lineno;
      row->cells = g_ptr_array_ref (cells);
      g_hash_table_insert (into, name, row);
    }
}

/* Every key of the loader's tables: full path -> LoaderKey*. */
static GHashTable *
loader_keys (GArray *tables)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, loader_key_free);
  for (guint i = 0; i < tables->len; i++)
    {
      const AmsSchemaTable *t = &g_array_index (tables, AmsSchemaTable, i);
      g_autofree char *file = g_path_get_basename (t->file);
      for (const AmsField *f = t->fields; f->key != NULL; f++)
        {
          char *path = t->path[0] == '\0' ? g_strdup (f->key)
                                          : g_strdup_printf ("%s.%s", t->path, f->key);
          const LoaderKey *seen = g_hash_table_lookup (keys, path);
          if (seen != NULL)
            {
              /* two shapes at one place (a distribution): they must agree */
              CU_ASSERT_EQUAL (seen->flags, f->flags);
              g_free (path);
              continue;
            }
          LoaderKey *k = g_new0 (LoaderKey, 1);
          k->flags = f->flags;
          k->where = g_strdup_printf ("%s %s", file, t->name);
          g_hash_table_insert (keys, path, k);
        }
    }
  return keys;
}

static gboolean
is_required_cell (const char *cell)
{
  g_autofree char *plain = g_strdup (cell);
  char *w = plain;
  for (const char *r = cell; *r != '\0'; r++)
    if (*r != '*' && *r != '_')
      *w++ = *r;
  *w = '\0';
  const char *t = g_strstrip (plain);
  return g_str_has_prefix (t, "required") && !g_ascii_isalnum (t[strlen ("required")]);
}

static gboolean
row_says_not_yet (const Row *row)
{
  for (guint i = 0; i < row->cells->len; i++)
    if (strstr (row->cells->pdata[i], "not supported yet") != NULL)
      return TRUE;
  return FALSE;
}

static gint
by_string (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* The keys of `table`, sorted (strings owned by the table). */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  GPtrArray *out = g_ptr_array_new ();
  GHashTableIter it;
  gpointer key;
  g_hash_table_iter_init (&it, table);
  while (g_hash_table_iter_next (&it, &key, NULL))
    g_ptr_array_add (out, key);
  g_ptr_array_sort (out, by_string);
  return out;
}

/* Every table key has its row, with "required" and "not supported yet"
 * where the loader says so; every documented key is a table key. */
static void
test_reference_keys (void)
{
  g_autoptr (GArray) tables = g_array_new (FALSE, FALSE, sizeof (AmsSchemaTable));
  ams_schema_tables (tables);
  CU_ASSERT_TRUE_FATAL (tables->len >= 30);
  g_autoptr (GHashTable) keys = loader_keys (tables);
  Reference ref;
  read_reference (&ref);
  guint missing = 0, unknown = 0, flags = 0;

  g_autoptr (GPtrArray) paths = sorted_keys (keys);
  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = paths->pdata[i];
      const LoaderKey *k = g_hash_table_lookup (keys, path);
      const Row *row = g_hash_table_lookup (ref.keys, path);
      if (row == NULL)
        {
          fprintf (stderr, "\n  %s: key `%s` (%s) has no row in a key table", REFERENCE, path,
                   k->where);
          missing++;
          continue;
        }
      gboolean required = (k->flags & AMS_FIELD_REQUIRED) != 0;
      if (required != is_required_cell (row->cells->pdata[2]))
        {
          fprintf (stderr, "\n  %s:%u: `%s` is %s, but its default cell says '%s'", REFERENCE,
                   row->line, path, required ? "required" : "optional",
                   (const char *) row->cells->pdata[2]);
          flags++;
        }
      gboolean not_yet = (k->flags & AMS_FIELD_NOT_YET) != 0;
      if (not_yet != row_says_not_yet (row))
        {
          fprintf (stderr, "\n  %s:%u: `%s` is %s, so its row %s say \"not supported yet\"",
                   REFERENCE, row->line, path, not_yet ? "rejected" : "read",
                   not_yet ? "must" : "must not");
          flags++;
        }
    }
  g_autoptr (GPtrArray) documented = sorted_keys (ref.keys);
  for (guint i = 0; i < documented->len; i++)
    if (!g_hash_table_contains (keys, documented->pdata[i]))
      {
        const Row *row = g_hash_table_lookup (ref.keys, documented->pdata[i]);
        fprintf (stderr, "\n  %s:%u: `%s` is not a key of the loader's tables", REFERENCE,
                 row->line, (const char *) documented->pdata[i]);
        unknown++;
      }
  if (missing + unknown + flags + ref.problems > 0)
    fprintf (stderr, "\n");
  CU_ASSERT_EQUAL (ref.problems, 0);
  CU_ASSERT_EQUAL (missing, 0);
  CU_ASSERT_EQUAL (unknown, 0);
  CU_ASSERT_EQUAL (flags, 0);
  reference_clear (&ref);
}

static gboolean
same_keys (const char *const *loader, GPtrArray *documented)
{
  guint n = 0;
  for (guint i = 0; i < AMS_SCHEMA_ACTION_KEYS && loader[i] != NULL; i++, n++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < documented->len && !found; j++)
        found = strcmp (documented->pdata[j], loader[i]) == 0;
      if (!found)
        return FALSE;
    }
  return n == documented->len;
}

static char *
key_list (const char *const *keys)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < AMS_SCHEMA_ACTION_KEYS && keys[i] != NULL; i++)
    g_string_append_printf (s, "%s`%s`", i == 0 ? "" : ", ", keys[i]);
  if (s->len == 0)
    g_string_append (s, "—");
  return g_string_free (s, FALSE);
}

/* Every action of events[] has its row with the keys it needs and may
 * have; every documented action is one; its keys are events[] keys. */
static void
test_reference_actions (void)
{
  guint n;
  const AmsSchemaAction *actions = ams_schema_event_actions (&n);
  CU_ASSERT_TRUE_FATAL (n > 0);
  Reference ref;
  read_reference (&ref);
  g_autoptr (GArray) tables = g_array_new (FALSE, FALSE, sizeof (AmsSchemaTable));
  ams_schema_tables (tables);
  g_autoptr (GHashTable) keys = loader_keys (tables);
  guint wrong = 0;
  for (guint i = 0; i < n; i++)
    {
      const AmsSchemaAction *a = &actions[i];
      for (guint j = 0; j < AMS_SCHEMA_ACTION_KEYS; j++)
        for (guint m = 0; m < 2; m++)
          {
            const char *k = m == 0 ? a->needs[j] : a->may[j];
            g_autofree char *path = k != NULL ? g_strdup_printf ("events[].%s", k) : NULL;
            if (path != NULL && !g_hash_table_contains (keys, path))
              {
                fprintf (stderr, "\n  action %s uses '%s', which is not a key of events[]",
                         a->name, k);
                wrong++;
              }
          }
      const Row *row = g_hash_table_lookup (ref.actions, a->name);
      if (row == NULL)
        {
          fprintf (stderr, "\n  %s: action `%s` has no row in an action table", REFERENCE,
                   a->name);
          wrong++;
          continue;
        }
      g_autoptr (GPtrArray) needs = code_list (row->cells->pdata[1]);
      g_autoptr (GPtrArray) may = code_list (row->cells->pdata[2]);
      if (needs == NULL || !same_keys (a->needs, needs))
        {
          g_autofree char *want = key_list (a->needs);
          fprintf (stderr, "\n  %s:%u: action `%s` needs %s; its row says '%s'", REFERENCE,
                   row->line, a->name, want, (const char *) row->cells->pdata[1]);
          wrong++;
        }
      if (may == NULL || !same_keys (a->may, may))
        {
          g_autofree char *want = key_list (a->may);
          fprintf (stderr, "\n  %s:%u: action `%s` may have %s; its row says '%s'", REFERENCE,
                   row->line, a->name, want, (const char *) row->cells->pdata[2]);
          wrong++;
        }
    }
  g_autoptr (GPtrArray) documented = sorted_keys (ref.actions);
  for (guint i = 0; i < documented->len; i++)
    {
      gboolean found = FALSE;
      for (guint j = 0; j < n && !found; j++)
        found = strcmp (actions[j].name, documented->pdata[i]) == 0;
      if (!found)
        {
          const Row *row = g_hash_table_lookup (ref.actions, documented->pdata[i]);
          fprintf (stderr, "\n  %s:%u: `%s` is not an action of events[]", REFERENCE, row->line,
                   (const char *) documented->pdata[i]);
          wrong++;
        }
    }
  if (wrong + ref.problems > 0)
    fprintf (stderr, "\n");
  CU_ASSERT_EQUAL (ref.problems, 0);
  CU_ASSERT_EQUAL (wrong, 0);
  reference_clear (&ref);
}

/* Every AmsField table of src/scenario/schema_*.c is in the registry, once. */
static void
test_registry_complete (void)
{
  g_autoptr (GArray) tables = g_array_new (FALSE, FALSE, sizeof (AmsSchemaTable));
  ams_schema_tables (tables);
  g_autoptr (GHashTable) listed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < tables->len; i++)
    {
      const AmsSchemaTable *t = &g_array_index (tables, AmsSchemaTable, i);
      g_autofree char *file = g_path_get_basename (t->file);
      char *id = g_strdup_printf ("%s %s", file, t->name);
      if (!g_hash_table_add (listed, id))
        {
          fprintf (stderr, "\n  %s %s is listed twice in the registry\n", file, t->name);
          CU_FAIL ("table listed twice");
        }
    }

  g_autofree char *dir = ams_source_path ("src/scenario");
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  CU_ASSERT_PTR_NOT_NULL_FATAL (d);
  g_autoptr (GRegex) re = g_regex_new ("\\bAmsField\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\[\\s*\\]",
                                       0, 0, NULL);
  guint found = 0, unlisted = 0;
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_prefix (name, "schema_") || !g_str_has_suffix (name, ".c"))
        continue;
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      CU_ASSERT_TRUE_FATAL (g_file_get_contents (path, &text, NULL, NULL));
      g_autoptr (GMatchInfo) m = NULL;
      g_regex_match (re, text, 0, &m);
      for (; g_match_info_matches (m); g_match_info_next (m, NULL))
        {
          g_autofree char *table = g_match_info_fetch (m, 1);
          g_autofree char *id = g_strdup_printf ("%s %s", name, table);
          found++;
          if (!g_hash_table_contains (listed, id))
            {
              fprintf (stderr, "\n  %s: table %s is not listed by the file's "
                               "ams_schema_*_tables ()\n", name, table);
              unlisted++;
            }
        }
    }
  CU_ASSERT_EQUAL (unlisted, 0);
  CU_ASSERT_EQUAL (found, tables->len);
}

int
main (void)
{
  static const AmsTestCase cases[] = {
    { "registry_complete", test_registry_complete },
    { "reference_keys", test_reference_keys },
    { "reference_actions", test_reference_actions },
    { NULL, NULL },
  };
  return ams_test_main ("scenario_reference", cases);
}
