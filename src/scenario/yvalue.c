/* YAML nodes to AmsValue trees, and loading JSON or YAML documents on their
 * own (the request file of `amisim policy eval`); see yvalue.h. */
#include <stdio.h>
#include <string.h>

#include "amisim/scenario.h"
#include "amisim/text.h"
#include "diag.h"
#include "yvalue.h"

static gboolean
is_plain_number (const char *s)
{
  gsize n = ams_json_number_length (s);
  return n > 0 && s[n] == '\0';
}

static AmsValueKind
scalar_kind (const AmsYNode *n)
{
  if (ams_ynode_is_string (n))
    return AMS_VALUE_STRING;
  if (ams_ynode_is_null (n))
    return AMS_VALUE_NULL;
  if (g_ascii_strcasecmp (n->text, "true") == 0 || g_ascii_strcasecmp (n->text, "false") == 0)
    return AMS_VALUE_BOOL;
  if (is_plain_number (n->text))
    return AMS_VALUE_NUMBER;
  return AMS_VALUE_STRING;
}

static void
loc_of (const AmsYNode *n, const char *path, AmsSrcLoc *loc)
{
  loc->file = n->file;
  loc->path = path;
  loc->line = n->line;
  loc->col = n->col;
  loc->item = 0;
}

AmsValue *
ams_value_from_ynode (AmsValueDoc *doc, const AmsYNode *n, const char *path)
{
  AmsSrcLoc loc;
  loc_of (n, path, &loc);
  switch (n->kind)
    {
    case AMS_YNODE_SCALAR:
      return ams_value_new_scalar (doc, scalar_kind (n), n->text, &loc);
    case AMS_YNODE_SEQUENCE:
      {
        AmsValue *a = ams_value_new_array (doc, &loc);
        for (guint i = 0; i < n->items->len; i++)
          {
            g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);
            ams_value_append (doc, a, ams_value_from_ynode (doc, g_ptr_array_index (n->items, i), sub));
          }
        return a;
      }
    case AMS_YNODE_MAPPING:
      {
        AmsValue *o = ams_value_new_object (doc, &loc);
        for (guint i = 0; i < n->pairs->len; i++)
          {
            const AmsYPair *pair = &g_array_index (n->pairs, AmsYPair, i);
            const char *key = pair->key->kind == AMS_YNODE_SCALAR ? pair->key->text : "?";
            /* paths are printed: a control character (refused) is escaped there */
            g_autofree char *bad = ams_ynode_find_control (key, strlen (key), FALSE);
            g_autofree char *shown = bad != NULL ? g_strescape (key, NULL) : NULL;
            const char *seg = shown != NULL ? shown : key;
            g_autofree char *sub = *path ? g_strdup_printf ("%s.%s", path, seg) : g_strdup (seg);
            AmsSrcLoc key_loc;
            loc_of (pair->key, sub, &key_loc);
            ams_value_set_member (doc, o, key, &key_loc, ams_value_from_ynode (doc, pair->value, sub));
          }
        return o;
      }
    }
  g_assert_not_reached ();
}

AmsValueDoc *
ams_value_load_data (const char *display_name, const char *data, gssize len, GError **error)
{
  g_return_val_if_fail (display_name != NULL && data != NULL, NULL);
  gsize size = len < 0 ? strlen (data) : (gsize) len;
  g_autoptr (AmsDiag) diag = ams_diag_new (display_name);
  g_autoptr (AmsYDoc) ydoc = ams_ydoc_parse (display_name, data, size, NULL, diag);
  if (ams_diag_take_error (diag, AMS_SCENARIO_ERROR_INVALID, error))
    return NULL;
  AmsValueDoc *doc = ams_value_doc_new ();
  ams_value_doc_set_root (doc, ams_value_from_ynode (doc, ydoc->root, ""));
  return doc;
}

AmsValueDoc *
ams_value_load_file (const char *filename, GError **error)
{
  g_return_val_if_fail (filename != NULL, NULL);
  gsize len = 0;
  g_autofree char *data = ams_read_file (filename, &len, error);
  if (data == NULL)
    return NULL;
  return ams_value_load_data (ams_input_name (filename), data, (gssize) len, error);
}
