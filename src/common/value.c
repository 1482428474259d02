/* Positioned document trees; see value.h.
 *
 * Nodes are allocated one by one and owned by the document's node list;
 * strings (texts, keys, file names, paths) live in one GStringChunk, so a
 * document is freed in one go and nothing in it needs its own free. */
#include <string.h>
#include "amisim/value.h"

typedef struct
{
  AmsValue v;
  guint cap;      /* allocated length of items/keys/key_locs */
} Node;

struct AmsValueDoc
{
  GStringChunk *strings;
  GPtrArray *nodes;  /* of Node*, owned */
  AmsValue *root;
};

static void
node_free (gpointer p)
{
  Node *n = p;
  g_free (n->v.items);
  g_free (n->v.keys);
  g_free (n->v.key_locs);
  g_free (n);
}

AmsValueDoc *
ams_value_doc_new (void)
{
  AmsValueDoc *doc = g_new0 (AmsValueDoc, 1);
  doc->strings = g_string_chunk_new (1024);
  doc->nodes = g_ptr_array_new_with_free_func (node_free);
  return doc;
}

void
ams_value_doc_free (AmsValueDoc *doc)
{
  if (doc == NULL)
    return;
  g_ptr_array_unref (doc->nodes);
  g_string_chunk_free (doc->strings);
  g_free (doc);
}

const AmsValue *
ams_value_doc_root (const AmsValueDoc *doc)
{
  return doc->root;
}

void
ams_value_doc_set_root (AmsValueDoc *doc, AmsValue *root)
{
  doc->root = root;
}

const char *
ams_value_doc_intern (AmsValueDoc *doc, const char *s)
{
  return s == NULL ? NULL : g_string_chunk_insert_const (doc->strings, s);
}

static void
copy_loc (AmsValueDoc *doc, AmsSrcLoc *dst, const AmsSrcLoc *src)
{
  if (src == NULL)
    {
      memset (dst, 0, sizeof *dst);
      return;
    }
  dst->file = ams_value_doc_intern (doc, src->file);
  dst->path = ams_value_doc_intern (doc, src->path);
  dst->line = src->line;
  dst->col = src->col;
  dst->item = src->item;
}

static AmsValue *
node_new (AmsValueDoc *doc, AmsValueKind kind, const AmsSrcLoc *loc)
{
  Node *n = g_new0 (Node, 1);
  n->v.kind = kind;
  copy_loc (doc, &n->v.loc, loc);
  g_ptr_array_add (doc->nodes, n);
  return &n->v;
}

AmsValue *
ams_value_new_scalar (AmsValueDoc *doc, AmsValueKind kind, const char *text, const AmsSrcLoc *loc)
{
  g_return_val_if_fail (kind <= AMS_VALUE_STRING, NULL);
  AmsValue *v = node_new (doc, kind, loc);
  v->text = ams_value_doc_intern (doc, text != NULL ? text : "");
  return v;
}

AmsValue *
ams_value_new_array (AmsValueDoc *doc, const AmsSrcLoc *loc)
{
  return node_new (doc, AMS_VALUE_ARRAY, loc);
}

AmsValue *
ams_value_new_object (AmsValueDoc *doc, const AmsSrcLoc *loc)
{
  return node_new (doc, AMS_VALUE_OBJECT, loc);
}

/* Makes room for one more item (and key, for objects). */
static void
grow (AmsValue *v)
{
  Node *n = (Node *) v; /* v is the first member of its Node */
  if (v->n < n->cap)
    return;
  n->cap = n->cap ? 2 * n->cap : 4;
  v->items = g_renew (AmsValue *, v->items, n->cap);
  if (v->kind == AMS_VALUE_OBJECT)
    {
      v->keys = g_renew (const char *, v->keys, n->cap);
      v->key_locs = g_renew (AmsSrcLoc, v->key_locs, n->cap);
    }
}

void
ams_value_append (AmsValueDoc *doc, AmsValue *array, AmsValue *item)
{
  g_return_if_fail (array != NULL && array->kind == AMS_VALUE_ARRAY && item != NULL);
  grow (array);
  array->items[array->n++] = item;
}

void
ams_value_set_member (AmsValueDoc *doc, AmsValue *object, const char *key,
                      const AmsSrcLoc *key_loc, AmsValue *value)
{
  g_return_if_fail (object != NULL && object->kind == AMS_VALUE_OBJECT && key != NULL);
  int i = ams_value_index (object, key);
  if (i >= 0)
    {
      object->items[i] = value;
      return;
    }
  grow (object);
  object->keys[object->n] = ams_value_doc_intern (doc, key);
  copy_loc (doc, &object->key_locs[object->n], key_loc != NULL ? key_loc : &value->loc);
  object->items[object->n++] = value;
}

int
ams_value_index (const AmsValue *object, const char *key)
{
  if (object == NULL || object->kind != AMS_VALUE_OBJECT)
    return -1;
  for (guint i = 0; i < object->n; i++)
    if (strcmp (object->keys[i], key) == 0)
      return (int) i;
  return -1;
}

const AmsValue *
ams_value_get (const AmsValue *object, const char *key)
{
  int i = ams_value_index (object, key);
  return i < 0 ? NULL : object->items[i];
}

gboolean
ams_value_is_scalar (const AmsValue *v)
{
  return v != NULL && (v->kind == AMS_VALUE_STRING || v->kind == AMS_VALUE_NUMBER
                       || v->kind == AMS_VALUE_BOOL);
}

const char *
ams_value_describe (const AmsValue *v)
{
  switch (v->kind)
    {
    case AMS_VALUE_NULL: return "null";
    case AMS_VALUE_BOOL: return "a boolean";
    case AMS_VALUE_NUMBER: return "a number";
    case AMS_VALUE_STRING: return "a string";
    case AMS_VALUE_ARRAY: return "an array";
    case AMS_VALUE_OBJECT: return "an object";
    }
  return "a value";
}
