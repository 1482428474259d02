/* amisim — prints a JSON Schema (draft 2020-12) of the scenario format.
 *
 *   gen-schema docs/scenario-reference.md > amisim-scenario.schema.json
 *
 * The shape comes from the loader's key tables (ams_schema_tables, with the
 * document path each applies at): a mapping of a table is an object of its
 * keys with `additionalProperties: false` (the loader refuses unknown
 * keys; at the top level it skips keys starting with "x-", kept for YAML
 * anchors), `required` from AMS_FIELD_REQUIRED, and a "[]" path is a list
 * of such objects. A table listed twice at one place (the two forms of a
 * distribution) is their union; a key is required there only if every
 * form requires it. Types, enum values and descriptions come from the key
 * tables of docs/scenario-reference.md (the same convention that
 * tests/scenario/test_reference.c holds to the tables): string-like types
 * are strings, integer, number, probability and boolean are what they say,
 * mapping / tag map are objects, lists are arrays, a policy document is a
 * mapping or a string; a type checked only by the loader (durations,
 * distributions, sizes, …) is a string or a number; "any" is
 * unconstrained. A null value of an
 * optional key is the same as leaving it out, so optional keys also accept
 * null.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "schema.h"
#include "amisim/text.h" /* ams_md_table_cells */
#include "report/json.h"  /* ams_json_escape */

/* A row of a key table of the reference. */
typedef struct
{
  char *type;
  char *limits;
  char *meaning;
} DocRow;

static void
doc_row_free (gpointer p)
{
  DocRow *r = p;
  g_free (r->type);
  g_free (r->limits);
  g_free (r->meaning);
  g_free (r);
}


/* `x` -> x when the whole cell is one code span, else NULL. */
static char *
code_span (const char *cell)
{
  gsize len = strlen (cell);
  if (len < 3 || cell[0] != '`' || cell[len - 1] != '`')
    return NULL;
  g_autofree char *inner = g_strndup (cell + 1, len - 2);
  if (strchr (inner, '`') != NULL)
    return NULL;
  return g_steal_pointer (&inner);
}

/* path -> DocRow*, from every table whose header starts with "| key |". */
static GHashTable *
read_reference (const char *file)
{
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (file, &text, NULL, &error))
    {
      fprintf (stderr, "gen-schema: %s\n", error->message);
      return NULL;
    }
  GHashTable *rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, doc_row_free);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean in_keys = FALSE;
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      if (!g_str_has_prefix (line, "|"))
        {
          in_keys = FALSE;
          continue;
        }
      if (g_str_has_prefix (line, "| key |"))
        {
          in_keys = TRUE;
          continue;
        }
      if (!in_keys || g_str_has_prefix (line, "|---"))
        continue;
      g_autoptr (GPtrArray) cells = ams_md_table_cells (line);
      if (cells->len < 5)
        continue;
      char *path = code_span (cells->pdata[0]);
      if (path == NULL)
        continue;
      DocRow *r = g_new0 (DocRow, 1);
      r->type = g_strdup (cells->pdata[1]);
      r->limits = g_strdup (cells->pdata[3]);
      r->meaning = g_strdup (cells->pdata[4]);
      g_hash_table_replace (rows, path, r);
    }
  return rows;
}

static void
indent (GString *out, guint depth)
{
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

/* The values of an enum's limits cell "`a`, `b`; more words": the code
 * spans before the first ';', or NULL if that part holds anything else. */
static GPtrArray *
enum_values (const char *limits)
{
  g_autofree char *head = g_strdup (limits);
  char *semi = strchr (head, ';');
  if (semi != NULL)
    *semi = '\0';
  g_auto (GStrv) parts = g_strsplit (head, ",", -1);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *v = code_span (g_strstrip (parts[i]));
      if (v == NULL)
        {
          g_ptr_array_unref (out);
          return NULL;
        }
      g_ptr_array_add (out, v);
    }
  if (out->len == 0)
    {
      g_ptr_array_unref (out);
      return NULL;
    }
  return out;
}

static gboolean
type_in (const char *type, const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (type, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *const string_types[] = {
  "string", "text", "account id", "region name", "resource name", "key reference",
  "KMS key reference", "Image Builder ARN", "semantic version", "time", "role name",
  "organization ARN", "OU ARN", "ARN", "principal", NULL,
};

/* Read from a scalar by the loader (units, a distribution's text): a
 * string or a number, never a mapping or a list. */
static const char *const scalar_types[] = {
  "duration", "size", "rate", "throughput", "distribution", "integer or size", NULL,
};

/* The JSON types of a documented scalar type ("string", …), or NULL when
 * it is left to the loader. */
static const char *
scalar_json_type (const char *type)
{
  if (type_in (type, string_types))
    return "\"string\"";
  if (strcmp (type, "integer") == 0)
    return "\"integer\"";
  if (strcmp (type, "number") == 0 || strcmp (type, "probability") == 0)
    return "\"number\"";
  if (strcmp (type, "boolean") == 0)
    return "\"boolean\"";
  if (strcmp (type, "mapping") == 0 || strcmp (type, "tag map") == 0)
    return "\"object\"";
  if (strcmp (type, "policy document") == 0)
    return "\"object\", \"string\"";
  if (strcmp (type, "enum") == 0)
    return "\"string\"";
  if (type_in (type, scalar_types))
    return "\"string\", \"number\"";
  return NULL;
}

/* "type": [...] with "null" added for an optional key. */
static void
emit_type (GString *out, guint depth, const char *types, gboolean nullable)
{
  indent (out, depth);
  g_string_append_printf (out, "\"type\": [%s%s],\n", types, nullable ? ", \"null\"" : "");
}

typedef struct
{
  GArray *tables;     /* of AmsSchemaTable */
  GHashTable *doc;    /* path -> DocRow* */
} Gen;

static gboolean
has_table (const Gen *g, const char *path)
{
  for (guint i = 0; i < g->tables->len; i++)
    if (strcmp (g_array_index (g->tables, AmsSchemaTable, i).path, path) == 0)
      return TRUE;
  return FALSE;
}

static void emit_object (const Gen *g, GString *out, guint depth, const char *path,
                         gboolean nullable, const char *description);

/* The members of a schema (without braces) for the value of the key at
 * `path` (the key's full path), whose documentation row is `row`. */
static void
emit_value (const Gen *g, GString *out, guint depth, const char *path, gboolean nullable,
            const char *hint)
{
  const DocRow *row = g_hash_table_lookup (g->doc, path);
  const char *description = row != NULL && row->meaning[0] != '\0' ? row->meaning : hint;
  if (has_table (g, path))
    {
      emit_object (g, out, depth, path, nullable, description);
      return;
    }
  g_autofree char *item_path = g_strconcat (path, "[]", NULL);
  if (has_table (g, item_path))
    {
      emit_type (out, depth, "\"array\"", nullable);
      indent (out, depth);
      g_string_append (out, "\"items\": {\n");
      emit_object (g, out, depth + 1, item_path, FALSE, NULL);
      g_string_append_c (out, '\n');
      indent (out, depth);
      g_string_append (out, "},\n");
      indent (out, depth);
      g_string_append (out, "\"description\": ");
      ams_json_escape (out, description != NULL ? description : "");
      return;
    }
  const char *type = row != NULL ? row->type : "";
  const char *json = scalar_json_type (type);
  if (json != NULL)
    emit_type (out, depth, json, nullable);
  else if (g_str_has_prefix (type, "list"))
    {
      emit_type (out, depth, "\"array\"", nullable);
      const char *of = g_str_has_prefix (type, "list of ") ? type + strlen ("list of ") : "";
      const char *items = NULL;
      if (strcmp (of, "mappings") == 0)
        items = "\"object\"";
      else if (strcmp (of, "policy documents") == 0)
        items = "\"object\", \"string\"";
      else if (g_str_has_suffix (of, "s"))
        {
          g_autofree char *one = g_strndup (of, strlen (of) - 1);
          if (type_in (one, string_types))
            items = "\"string\"";
        }
      if (items != NULL)
        {
          indent (out, depth);
          g_string_append_printf (out, "\"items\": {\"type\": [%s]},\n", items);
        }
    }
  if (row != NULL && strcmp (row->type, "enum") == 0)
    {
      g_autoptr (GPtrArray) values = enum_values (row->limits);
      if (values != NULL)
        {
          indent (out, depth);
          g_string_append (out, "\"enum\": [");
          for (guint i = 0; i < values->len; i++)
            {
              if (i > 0)
                g_string_append (out, ", ");
              ams_json_escape (out, values->pdata[i]);
            }
          if (nullable)
            g_string_append (out, ", null");
          g_string_append (out, "],\n");
        }
    }
  indent (out, depth);
  g_string_append (out, "\"description\": ");
  ams_json_escape (out, description != NULL ? description : "");
}

/* The members of an object schema for the mapping at `path`. */
static void
emit_object (const Gen *g, GString *out, guint depth, const char *path, gboolean nullable,
             const char *description)
{
  /* the keys of every table at `path`, in order, with how many of those
   * tables require each */
  g_autoptr (GPtrArray) keys = g_ptr_array_new ();
  g_autoptr (GPtrArray) hints = g_ptr_array_new ();
  g_autoptr (GHashTable) required = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) present = g_hash_table_new (g_str_hash, g_str_equal);
  guint forms = 0;
  for (guint i = 0; i < g->tables->len; i++)
    {
      const AmsSchemaTable *t = &g_array_index (g->tables, AmsSchemaTable, i);
      if (strcmp (t->path, path) != 0)
        continue;
      forms++;
      for (const AmsField *f = t->fields; f->key != NULL; f++)
        {
          guint n = GPOINTER_TO_UINT (g_hash_table_lookup (present, f->key));
          if (n == 0)
            {
              g_ptr_array_add (keys, (gpointer) f->key);
              g_ptr_array_add (hints, (gpointer) f->hint);
            }
          g_hash_table_insert (present, (gpointer) f->key, GUINT_TO_POINTER (n + 1));
          if (f->flags & AMS_FIELD_REQUIRED)
            {
              guint r = GPOINTER_TO_UINT (g_hash_table_lookup (required, f->key));
              g_hash_table_insert (required, (gpointer) f->key, GUINT_TO_POINTER (r + 1));
            }
        }
    }

  emit_type (out, depth, "\"object\"", nullable);
  if (description != NULL)
    {
      indent (out, depth);
      g_string_append (out, "\"description\": ");
      ams_json_escape (out, description);
      g_string_append (out, ",\n");
    }
  indent (out, depth);
  g_string_append (out, "\"properties\": {");
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      g_autofree char *child = path[0] == '\0' ? g_strdup (key)
                                               : g_strdup_printf ("%s.%s", path, key);
      guint r = GPOINTER_TO_UINT (g_hash_table_lookup (required, key));
      g_string_append (out, i > 0 ? ",\n" : "\n");
      indent (out, depth + 1);
      ams_json_escape (out, key);
      g_string_append (out, ": {\n");
      emit_value (g, out, depth + 2, child, r < forms, hints->pdata[i]);
      g_string_append_c (out, '\n');
      indent (out, depth + 1);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "\n");
  indent (out, depth);
  g_string_append (out, "},\n");

  gboolean first = TRUE;
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = keys->pdata[i];
      if (GPOINTER_TO_UINT (g_hash_table_lookup (required, key)) < forms)
        continue;
      if (first)
        {
          indent (out, depth);
          g_string_append (out, "\"required\": [");
        }
      else
        g_string_append (out, ", ");
      ams_json_escape (out, key);
      first = FALSE;
    }
  if (!first)
    g_string_append (out, "],\n");

  if (path[0] == '\0')
    {
      indent (out, depth);
      g_string_append (out, "\"patternProperties\": {\"^x-\": true},\n");
    }
  indent (out, depth);
  g_string_append (out, "\"additionalProperties\": false");
}

int
main (int argc, char **argv)
{
  if (argc != 2)
    {
      fprintf (stderr, "usage: gen-schema docs/scenario-reference.md\n");
      return 2;
    }
  g_autoptr (GHashTable) doc = read_reference (argv[1]);
  if (doc == NULL)
    return 1;
  g_autoptr (GArray) tables = g_array_new (FALSE, FALSE, sizeof (AmsSchemaTable));
  ams_schema_tables (tables);
  Gen g = { tables, doc };

  g_autoptr (GString) out = g_string_new ("{\n");
  g_string_append (out, "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n"
                        "  \"title\": \"amisim scenario (format version 1)\",\n"
                        "  \"description\": \"Generated by tools/gen-schema from the loader's key "
                        "tables and docs/scenario-reference.md (amisim " PACKAGE_VERSION "). "
                        "amisim validate checks more than this schema: units, references, "
                        "limits.\",\n");
  emit_object (&g, out, 1, "", FALSE, NULL);
  g_string_append (out, "\n}\n");
  if (fwrite (out->str, 1, out->len, stdout) != out->len || fflush (stdout) != 0)
    {
      fprintf (stderr, "gen-schema: cannot write the schema\n");
      return 1;
    }
  return 0;
}
